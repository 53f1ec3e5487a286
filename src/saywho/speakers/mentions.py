"""Resolution of arbitrary mentions (not only speakers): each span, in text order, is read as a
speaker mention is, by the same rules (names, pronouns with animacy, number and gender
agreement, descriptions, organisations, documents), its salience being the mentions resolved
before it. This is what GUM's coreference gold measures (``saywho.evaluate_coref``)."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..logistic import Model
from ..model import Span
from ..nlp import lemma_of
from ..types import AttributedQuote, ParsedDocument
from .entity import Entity
from .ranker import MAX_CANDIDATES, WINDOW, Seen, features, pronoun_kind, salience, shipped_model
from .resolver import Resolver

# The pronouns the ranker decides. All three kinds: ranking he/she alone scored lower on GUM dev
# with the first ranker (pronouns of people 0.612, against 0.651 with every kind ranked), the decisions
# for "they" shaping the entities later pronouns are ranked against (docs/coreference.md).
RANKED = frozenset({"he/she", "they", "it"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# spaCy entity labels of names that are no person, organisation or country
THING_ENTS = frozenset({"DATE", "TIME", "LOC", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE", "PRODUCT",
                        "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})

if TYPE_CHECKING:
    from spacy.tokens import Token

# Called for every pronoun the ranker reads (training): its index in the mentions given, the
# candidates, their features and the rules' choice.
Observer = Callable[[int, list[Entity], list[list[str]], "Entity | None"], None]


def head_token(parsed: ParsedDocument, span: Span) -> Token | None:
    """The mention's head in the parse: the first token inside the span whose syntactic head
    lies outside it (the root of the phrase); None when the span is in no parsed paragraph."""
    pi = parsed.tokens.paragraph_at(span.start)
    if pi is None:
        return None
    doc = parsed.paragraphs[pi].doc
    inside = [t for t in doc if span.start <= parsed.tokens.pos(t) < span.end]
    if not inside:
        return None
    ids = {t.i for t in inside}
    return next((t for t in inside if t.head.i == t.i or t.head.i not in ids), inside[0])


class MentionResolver(Resolver):
    """The speaker resolver over a list of mentions: each one a quote of its own whose speaker
    is the mention, so that salience (the latest compatible entity resolved nearby) reads the
    mentions resolved before it."""

    def __init__(self, parsed: ParsedDocument, mentions: list[Span], ranker: Model | None = None,
                 observe: Observer | None = None) -> None:
        self.order = sorted(range(len(mentions)), key=lambda i: (mentions[i].start, -mentions[i].end))
        quotes = []
        for i in self.order:
            span = mentions[i]
            quotes.append(AttributedQuote(
                start=span.start, end=span.end, type="direct", speaker=span,
                speaker_head=head_token(parsed, span), paragraph=parsed.tokens.paragraph_at(span.start) or 0,
            ))
        super().__init__(parsed, quotes)
        self.ranker = ranker
        self.observe = observe
        # every entity's mentions so far, for the ranker: the names the tagger found, then
        # each mention as it is resolved
        self.history: dict[Entity, list[Seen]] = {}
        self.by_head: dict[int, Entity] = {}  # the entity each resolved mention's head stands for
        self.sentence_starts = sorted(self.tokens.pos(s[0]) for p in parsed.paragraphs for s in p.doc.sents)
        for offset, entity in sorted(self.person_mentions + self.org_mentions, key=lambda x: x[0]):
            self._saw(entity, Seen(offset, self.tokens.paragraph_at(offset) or 0, "", "name", self._sentence(offset)))

    def _sentence(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.sentence_starts, offset) - 1)

    def _saw(self, entity: Entity, seen: Seen) -> None:
        out = self.history.setdefault(entity, [])
        for k, s in enumerate(out):
            if s.offset == seen.offset:
                out[k] = Seen(s.offset, s.paragraph, seen.dep or s.dep, s.form, s.sentence)
                return
        out.append(seen)
        out.sort(key=lambda s: s.offset)

    def resolve_all(self) -> list[Entity | None]:
        assigned: list[Entity | None] = []
        # What pronoun salience reads: a speaker is the subject of its cue, so among arbitrary
        # mentions only subjects and names make an entity salient ("he lost his fortune" after
        # "made a living as a businessman" is not the businessman).
        salient: list[Entity | None] = []
        for k, d in enumerate(self.quotes):
            entity = None
            head = d.speaker_head
            if head is not None:
                entity = self.resolve_mention(d, salient)
                if head.pos_ == "PRON" and pronoun_kind(head.text) and d.speaker is not None \
                        and d.speaker.text.lower() == head.lower_ and (self.ranker or self.observe):
                    entity = self._rank(k, d, head, entity)
            if entity is not None and head is not None:
                self.by_head[self.tokens.pos(head)] = entity
            if entity is not None and d.speaker is not None:
                entity.add_mention(d.speaker)
                if head is not None:
                    form = "pronoun" if head.pos_ == "PRON" else "name" if head.pos_ == "PROPN" else "description"
                    self._saw(entity, Seen(d.start, d.paragraph, head.dep_, form, self._sentence(d.start)))
            assigned.append(entity)
            subject = head is not None and head.dep_ in SUBJECT_DEPS
            salient.append(entity if entity is not None and (subject or entity.named) else None)
        out: list[Entity | None] = [None] * len(assigned)
        for i, entity in zip(self.order, assigned, strict=True):
            out[i] = entity
        return out

    def _rank(self, k: int, d: AttributedQuote, head: Token, rule: Entity | None) -> Entity | None:
        """The ranker's antecedent for a pronoun: the best scored entity mentioned in the last
        ``WINDOW`` paragraphs that agrees with it (the rules' choice when none is)."""
        recent = []
        for entity, seen in self.history.items():
            before = [s for s in seen if s.offset < d.start]
            if before and d.paragraph - before[-1].paragraph <= WINDOW:
                recent.append((before[-1].offset, entity, before))
        recent.sort(key=lambda x: -x[0])
        recent = recent[:MAX_CANDIDATES]
        if not recent:
            return rule
        low = head.lower_
        plural = pronoun_kind(low) == "they"
        gender = "m" if pronoun_kind(low) == "he/she" and low in ("he", "him", "his", "himself") else (
            "f" if pronoun_kind(low) == "he/she" else None)
        agree = [self._agrees(e, plural, gender, pronoun_kind(low) == "it") for _, e, _ in recent]
        if any(agree):  # agreement in number, animacy and gender filters before anything is weighed
            recent = [r for r, a in zip(recent, agree, strict=True) if a]
        sentence = self._sentence(d.start)
        top = max(salience(b, sentence) for _, _, b in recent)
        cands = [e for _, e, _ in recent]
        feats = [features(low, head.dep_, d.paragraph, sentence, e, b, rank, top, e is rule, any(agree))
                 for rank, (_, e, b) in enumerate(recent)]
        if self.observe is not None:
            self.observe(self.order[k], cands, feats, rule)
        if self.ranker is None or pronoun_kind(low) not in RANKED:
            return rule
        scores = [self.ranker.probability(f) for f in feats]
        best = max(range(len(cands)), key=lambda i: scores[i])
        if scores[best] < self.ranker.threshold:
            return rule
        chosen = cands[best]
        if chosen is not rule:
            chosen.learn_gender(gender, d.speaker)
        return chosen

    def resolve_mention(self, d: AttributedQuote, assigned: list[Entity | None]) -> Entity | None:
        head = d.speaker_head
        subject = predicated_of(head) if head is not None and head.pos_ != "PRON" else None
        if subject is not None and self.tokens.pos(subject) in self.by_head:
            # "he's the one who writes it", "Jason, who is our editor": a predicate noun is the
            # subject it is said of
            return self.by_head[self.tokens.pos(subject)]
        if head is not None and head.pos_ == "PROPN" and head.ent_type_ in THING_ENTS:
            # A speaker is someone; an arbitrary name may be a date, a place, a work: a thing,
            # which "he" and "she" never stand for.
            name = self.text[self.tokens.pos(head.left_edge) : self.tokens.end(head.right_edge)]
            entity = self.entity_for_name(name, "document")
            return entity
        return super().resolve_mention(d, assigned)


def predicated_of(head: Token) -> Token | None:
    """The subject a predicate noun is said of ("X is the editor", "X, who is our editor", "he's
    a blogger and the editor"), or None."""
    while head.dep_ == "conj" and head.head.i < head.i:
        head = head.head
    verb = head.head
    if head.dep_ != "attr" or lemma_of(verb) != "be":
        return None
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i), None)
    if subject is not None and subject.lower_ in ("who", "that") and verb.dep_ == "relcl":
        return verb.head  # "Jason, who is our editor": Jason
    return subject


def resolve_mentions(parsed: ParsedDocument, mentions: list[Span], ranker: bool = False) -> list[Entity | None]:
    """The entity each mention is resolved to (None when the rules find none), in the order given.
    ``ranker``: pronouns by the learned antecedent ranker (``ranker.py``) instead of the rules."""
    return MentionResolver(parsed, mentions, shipped_model() if ranker else None).resolve_all()
