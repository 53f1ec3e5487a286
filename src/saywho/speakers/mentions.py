"""Resolution of arbitrary mentions (not only speakers): each span, in text order, is read as a
speaker mention is, by the same rules (names, pronouns with animacy, number and gender
agreement, descriptions, organisations, documents), its salience being the mentions resolved
before it. This is what GUM's coreference gold measures (``saywho.evaluate_coref``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Span
from ..types import AttributedQuote, ParsedDocument
from .entity import Entity
from .resolver import Resolver

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# spaCy entity labels of names that are no person, organisation or country
THING_ENTS = frozenset({"DATE", "TIME", "LOC", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE", "PRODUCT",
                        "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})

if TYPE_CHECKING:
    from spacy.tokens import Token


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

    def __init__(self, parsed: ParsedDocument, mentions: list[Span]) -> None:
        self.order = sorted(range(len(mentions)), key=lambda i: (mentions[i].start, -mentions[i].end))
        quotes = []
        for i in self.order:
            span = mentions[i]
            quotes.append(AttributedQuote(
                start=span.start, end=span.end, type="direct", speaker=span,
                speaker_head=head_token(parsed, span), paragraph=parsed.tokens.paragraph_at(span.start) or 0,
            ))
        super().__init__(parsed, quotes)

    def resolve_all(self) -> list[Entity | None]:
        assigned: list[Entity | None] = []
        # What pronoun salience reads: a speaker is the subject of its cue, so among arbitrary
        # mentions only subjects and names make an entity salient ("he lost his fortune" after
        # "made a living as a businessman" is not the businessman).
        salient: list[Entity | None] = []
        for d in self.quotes:
            entity = None
            head = d.speaker_head
            if head is not None:
                entity = self.resolve_mention(d, salient)
            if entity is not None and d.speaker is not None:
                entity.add_mention(d.speaker)
            assigned.append(entity)
            subject = head is not None and head.dep_ in SUBJECT_DEPS
            salient.append(entity if entity is not None and (subject or entity.named) else None)
        out: list[Entity | None] = [None] * len(assigned)
        for i, entity in zip(self.order, assigned, strict=True):
            out[i] = entity
        return out

    def resolve_mention(self, d: AttributedQuote, assigned: list[Entity | None]) -> Entity | None:
        head = d.speaker_head
        if head is not None and head.pos_ == "PROPN" and head.ent_type_ in THING_ENTS:
            # A speaker is someone; an arbitrary name may be a date, a place, a work: a thing,
            # which "he" and "she" never stand for.
            name = self.text[self.tokens.pos(head.left_edge) : self.tokens.end(head.right_edge)]
            entity = self.entity_for_name(name, "document")
            return entity
        return super().resolve_mention(d, assigned)


def resolve_mentions(parsed: ParsedDocument, mentions: list[Span], ranker: bool = False) -> list[Entity | None]:
    """The entity each mention is resolved to (None when the rules find none), in the order given.
    ``ranker``: pronouns by the learned antecedent ranker (``ranker.py``) instead of the rules."""
    return MentionResolver(parsed, mentions).resolve_all()
