"""Speaker resolution: every speaker mention to one entity per article.

No coreference model installs offline, so this is the rule set a careful reader uses:
- names cluster by their tokens: "Faisal al-Nouri" ... "Nouri", "Dr Okafor" = "Okafor",
  a short form joining a full name only when exactly one full name contains it;
- "he"/"she" go to the most recent compatible speaker (salience), else the most recent
  compatible person named; "they" to the most recent group;
- a definite description ("the medic") goes to the entity introduced with that head noun;
  an indefinite one ("an army medic who ...") introduces a new, unnamed entity;
- a headline or standfirst description ("..., says physician who treated them") is the
  article's lead source: the speaker of the first attributed quotation in the body;
- aliases are read where the text states them ("whose ... name was", "known as");
  descriptors from appositions, premodifiers and pull-quote credits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

from .deptree import after_dateline
from .lexicon import (
    FEMALE_PRONOUNS,
    FIRST_SECOND_PRONOUNS,
    GROUP_NOUNS,
    MALE_PRONOUNS,
    NAME_PARTICLES,
    PLURAL_PRONOUNS,
    TITLES,
)
from .model import Quote, Span, Speaker
from .names import TITLE_WORDS, article_key, gender_from_title, name_tokens, surname_forms
from .nlp import lemma_of
from .types import AttributedQuote, ParsedDocument

_ALIAS = re.compile(
    r"\s*\(?\s*(?:,\s*)?(?:whose\s+(?:[\w-]+\s+){0,4}?(?:name|nom de guerre|alias|nickname|kunya)\s+(?:is|was)"
    r"|(?:also\s+|better\s+|widely\s+)?known\s+as|a\.?k\.?a\.?|alias|nicknamed)\s+"
    r"(?P<alias>[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|al-[\w'’-]+|el-[\w'’-]+|bin|ibn|abu|abd|de|la))*)"
)
_NAME_TOKEN = re.compile(r"^[A-Z][\w'’.-]*$")
_SALIENCE_WINDOW = 4  # paragraphs back that a pronoun looks for its speaker


@dataclass(eq=False)  # entities are compared and hashed by identity
class Entity:
    key: str
    name: str
    named: bool
    kind: str = "person"  # person | group | org
    gender: str | None = None  # "m" | "f"
    aliases: list[str] = field(default_factory=list)
    descriptors: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)
    seen: set[tuple[int, int]] = field(default_factory=set)
    heads: set[str] = field(default_factory=set)  # head nouns of its descriptions

    def add_mention(self, span: Span) -> None:
        if (span.start, span.end) not in self.seen:
            self.seen.add((span.start, span.end))
            self.mentions.append(span)

    def add_descriptor(self, text: str) -> None:
        text = text.strip(" ,.;:-–—")
        if text and text.lower() not in (d.lower() for d in self.descriptors) and text != self.name:
            self.descriptors.append(text)


class Resolver:
    def __init__(self, parsed: ParsedDocument, quotes: list[AttributedQuote]) -> None:
        self.text = parsed.text
        self.document = parsed.document
        self.paragraphs = parsed.paragraphs
        self.quotes = quotes
        self.tokens = parsed.tokens
        self.entities: list[Entity] = []
        self.by_key: dict[str, Entity] = {}
        self.full_names: dict[str, Entity] = {}  # normalised multi-token name -> entity
        self.person_mentions: list[tuple[int, Entity]] = []  # (offset, entity) for pronoun antecedents
        self._collect_names()

    # ------------------------------------------------------------------ names
    def _collect_names(self) -> None:
        """Cluster every person named in the article, long names first."""
        found: list[tuple[Span, str]] = []
        for p in self.paragraphs:
            for ent in p.doc.ents:
                label = ent.label_
                first = ent[0].lower_
                if first in NAME_PARTICLES and len(ent) > 1:
                    label = "PERSON"  # "Abu Muslim", "Umm Khaled" are people
                if label != "PERSON":
                    continue
                s, e = p.offset + ent.start_char, p.offset + ent.end_char
                span = Span(s, e, self.text[s:e])
                if not name_tokens(span.text):
                    continue
                found.append((span, label))
        found.sort(key=lambda x: -len(name_tokens(x[0].text)))
        for span, _ in found:
            entity = self.entity_for_name(span.text)
            entity.add_mention(span)
        for span, _ in sorted(found, key=lambda x: x[0].start):
            entity = self.entity_for_name(span.text)
            self.person_mentions.append((span.start, entity))
            self._read_alias(span, entity)

    def entity_for_name(self, name: str, kind: str = "person") -> Entity:
        tokens = name_tokens(name)
        key = article_key(name)
        if key in self.full_names:
            return self.full_names[key]
        if len(tokens) == 1:
            short = tokens[0].lower()
            matches = {e for k, e in self.full_names.items()
                       if e.kind == kind and short in surname_forms(k.split()) and len(k.split()) > 1}
            if len(matches) == 1:
                entity = next(iter(matches))
                self.full_names[key] = entity
                return entity
        entity = Entity(key=key, name=" ".join(tokens) or name, named=True, kind=kind)
        entity.gender = gender_from_title(name)
        self.entities.append(entity)
        self.full_names[key] = entity
        return entity

    def _read_alias(self, span: Span, entity: Entity) -> None:
        m = _ALIAS.match(self.text, span.end, min(len(self.text), span.end + 160))
        if not m:
            return
        alias = m.group("alias").strip()
        if alias and article_key(alias) != entity.key and alias not in entity.aliases:
            entity.aliases.append(alias)
            self.full_names.setdefault(article_key(alias), entity)
            s = m.start("alias")
            entity.add_mention(Span(s, s + len(alias), alias))

    # ------------------------------------------------------------------ mentions
    def resolve(self) -> tuple[list[Quote], list[Speaker]]:
        assigned: list[Entity | None] = []
        for i, d in enumerate(self.quotes):
            entity = None
            if d.follows is not None and d.follows < i:
                entity = assigned[d.follows]
            elif d.speaker is not None:
                entity = self.resolve_mention(d, assigned)
                if entity is not None:
                    entity.add_mention(d.speaker)
            assigned.append(entity)
        self._resolve_lead_descriptions(assigned)
        return self._output(assigned)

    def resolve_mention(self, d: AttributedQuote, assigned: list[Entity | None]) -> Entity | None:
        span = d.speaker
        assert span is not None
        head = d.speaker_head
        words = span.text.split()
        low = span.text.lower()
        if head is None:  # a pull-quote credit: "- Name, role"
            entity = self.entity_for_name(span.text)
            line_end = self.text.find("\n", span.end)
            role = self.text[span.end : line_end if line_end != -1 else len(self.text)]
            if role.startswith(","):
                entity.add_descriptor(role[1:])
            return entity
        if head.pos_ == "PRON" or low in MALE_PRONOUNS | FEMALE_PRONOUNS | PLURAL_PRONOUNS | FIRST_SECOND_PRONOUNS:
            return self._resolve_pronoun(d, head.lower_, assigned)
        name = self._name_in(head)
        if name is not None:
            s, e = name
            is_org = head.ent_type_ in ("ORG", "GPE", "NORP", "FAC") and head.lower_ not in NAME_PARTICLES
            kind = "org" if is_org else "person"
            name_text = self.text[s:e]
            if kind == "org" and len(name_tokens(name_text)) == 1 and self._known_person(name_text):
                kind = "person"  # a lone surname the tagger took for a place or an organisation
            entity = self.entity_for_name(name_text, kind)
            self._descriptors_of(head, entity, (s, e))
            if head.pos_ == "NOUN" and self.tokens.pos(head) < s:
                # "The deputy mayor, Sam Obi, said": the description heads, the name is its apposition
                entity.add_descriptor(self._description_text(head))
                entity.heads.add(lemma_of(head))
            if entity.gender is None:
                entity.gender = gender_from_title(span.text)
            return entity
        if len(words) == 0:
            return None
        if head.ent_type_ == "PERSON" or head.text[:1].isupper() and (
            self._known_person(head.text) or article_key(head.text) in self.full_names
        ):
            # a name the tagger took for a common noun ("Trump said" at a sentence start)
            return self.entity_for_name(self.text[self.tokens.pos(head) : self.tokens.end(head)])
        return self._resolve_description(d, head)

    def _known_person(self, short: str) -> bool:
        low = short.lower()
        return sum(1 for k, e in self.full_names.items()
                   if e.kind == "person" and len(k.split()) > 1 and low in surname_forms(k.split())) == 1

    def _name_in(self, head: Token) -> tuple[int, int] | None:
        """The proper-name run ending at the mention's head (or in its apposition)."""
        doc = head.doc
        candidates = [head] + [c for c in head.children if c.dep_ == "appos"]
        for h in candidates:
            if h.pos_ != "PROPN" and not (h.ent_type_ == "PERSON"):
                continue
            left = h
            while left.i > 0:
                prev = doc[left.i - 1]
                if prev.pos_ == "PROPN" or prev.text in ("-", "'") or prev.lower_ in NAME_PARTICLES:
                    if prev.lower_.rstrip(".") in TITLE_WORDS and prev.pos_ != "PROPN":
                        break
                    if h.ent_type_ == "PERSON" and prev.ent_type_ and prev.ent_type_ != "PERSON":
                        # "Iraqi TV host X": a place or group before a person's name is not part of it
                        break
                    left = prev
                else:
                    break
            right = h
            while right.i + 1 < len(doc) and doc[right.i + 1].pos_ == "PROPN" and doc[right.i + 1].head.i == h.i and (
                doc[right.i + 1].dep_ == "compound"
            ):
                right = doc[right.i + 1]
            while left.i < h.i and (left.text in ("-", "'") or left.lower_.rstrip(".") in TITLE_WORDS):
                left = doc[left.i + 1]
            return self.tokens.pos(left), self.tokens.end(right)
        return None

    def _descriptors_of(self, head: Token, entity: Entity, name: tuple[int, int]) -> None:
        doc = head.doc
        # Premodifiers before the name: "Mosul resident Ahmed", "imprisoned former commander X".
        first = head.left_edge
        name_start = name[0]
        pre = [t for t in doc[first.i : head.i] if self.tokens.pos(t) < name_start and t.dep_ != "det"
               and not t.is_punct and t.lower_ not in TITLES]
        if pre and any(t.pos_ == "NOUN" for t in pre):
            s, e = self.tokens.pos(pre[0]), self.tokens.end(pre[-1])
            entity.add_descriptor(self.text[s:e])
            entity.heads.update(lemma_of(t) for t in pre if t.pos_ == "NOUN")
        for child in head.children:
            if child.dep_ == "appos" and child.pos_ == "NOUN" and not any(
                t.lower_ in ("whose", "who") for t in child.subtree
            ):
                entity.add_descriptor(self._description_text(child))
                entity.heads.add(lemma_of(child))

    def _description_text(self, head: Token) -> str:
        """"an Iraqi orthopaedic surgeon forced to work ..." -> "Iraqi orthopaedic surgeon"."""
        doc = head.doc
        left = after_dateline(head.left_edge, head)
        while left.i < head.i and (left.dep_ in ("det", "poss") or left.is_punct):
            left = doc[left.i + 1]
        right = head
        for child in head.rights:
            if child.dep_ in ("compound", "amod") and child.i == right.i + 1:
                right = child
        s, e = self.tokens.pos(left), self.tokens.end(right)
        return self.text[s:e].strip()

    def _resolve_pronoun(self, d: AttributedQuote, pronoun: str, assigned: list[Entity | None]) -> Entity | None:
        plural = pronoun in PLURAL_PRONOUNS or pronoun in ("we", "us")
        gender = "m" if pronoun in MALE_PRONOUNS else "f" if pronoun in FEMALE_PRONOUNS else None
        if d.parent is not None:
            # Inside a quotation: the nearest person described earlier in the quotation.
            entity = self._antecedent_in_quote(d, plural)
            if entity is not None:
                return entity
        if pronoun in FIRST_SECOND_PRONOUNS and not plural:
            return None
        # Inside a quotation, "he" and "she" are never the one quoted.
        outer = assigned[d.parent] if d.parent is not None and d.parent < len(assigned) else None
        # Salience: the latest speaker of a nearby quotation.
        for j in range(len(assigned) - 1, -1, -1):
            prev, entity = self.quotes[j], assigned[j]
            if entity is None or entity is outer or prev.parent is not None or prev.start >= d.start:
                continue
            if d.paragraph >= 0 and prev.paragraph >= 0 and d.paragraph - prev.paragraph > _SALIENCE_WINDOW:
                break
            if self._agrees(entity, plural, gender):
                self._learn_gender(entity, gender)
                return entity
        # Recency: the latest person named before the pronoun.
        pos = d.speaker.start if d.speaker else d.start
        for offset, entity in reversed(self.person_mentions):
            if offset < pos and entity is not outer and self._agrees(entity, plural, gender):
                self._learn_gender(entity, gender)
                return entity
        return None

    @staticmethod
    def _agrees(entity: Entity, plural: bool, gender: str | None) -> bool:
        if plural != (entity.kind in ("group", "org")) and not (plural and entity.kind == "org"):
            return False
        return gender is None or entity.gender in (None, gender)

    @staticmethod
    def _learn_gender(entity: Entity, gender: str | None) -> None:
        if entity.gender is None and gender is not None and entity.kind == "person":
            entity.gender = gender

    def _antecedent_in_quote(self, d: AttributedQuote, plural: bool) -> Entity | None:
        parent = self.quotes[d.parent] if d.parent is not None else None
        if parent is None or d.speaker_head is None:
            return None
        doc = d.speaker_head.doc
        best = None
        for t in doc:
            pos = self.tokens.pos(t)
            if pos < parent.start or pos >= (d.speaker.start if d.speaker else d.start):
                continue
            if t.dep_ in ("nsubj", "nsubjpass", "attr") and t.pos_ in ("NOUN", "PROPN") and (
                (t.tag_ in ("NNS", "NNPS")) == plural
            ):
                best = t
        if best is None:
            return None
        name = self._name_in(best)
        if name is not None:
            return self.entity_for_name(self.text[name[0] : name[1]])
        return self._description_entity(best, definite=False)

    def _resolve_description(self, d: AttributedQuote, head: Token) -> Entity | None:
        det = next((c.lower_ for c in head.children if c.dep_ == "det"), "")
        lemma = lemma_of(head)
        if det in ("the", "this", "that") or (det == "" and head.tag_ == "NN"):
            for entity in reversed(self.entities):
                if lemma in entity.heads:
                    return entity
        return self._description_entity(head, definite=det == "the")

    def _description_entity(self, head: Token, definite: bool) -> Entity:
        plural = head.tag_ in ("NNS", "NNPS") or head.lower_ in GROUP_NOUNS
        name = self._description_text(head)
        key = f"desc:{name.lower()}"
        if key in self.by_key:
            return self.by_key[key]
        entity = Entity(key=key, name=name, named=False, kind="group" if plural else "person")
        entity.heads.add(lemma_of(head))
        entity.add_descriptor(self._full_description(head))
        self.entities.append(entity)
        self.by_key[key] = entity
        return entity

    def _full_description(self, head: Token) -> str:
        left, right = after_dateline(head.left_edge, head), head.right_edge
        doc = head.doc
        while left.i < head.i and (left.dep_ in ("det",) or left.is_punct):
            left = doc[left.i + 1]
        while right.i > head.i and right.is_punct:
            right = doc[right.i - 1]
        return self.text[self.tokens.pos(left) : self.tokens.end(right)]

    def _resolve_lead_descriptions(self, assigned: list[Entity | None]) -> None:
        """A described source in the headline or standfirst is the body's lead source."""
        lead = None
        for d, entity in zip(self.quotes, assigned, strict=True):
            region = self._region(d.start)
            if region in ("body",) and entity is not None and entity.named and entity.kind == "person":
                lead = entity
                break
        if lead is None:
            return
        for i, (d, entity) in enumerate(zip(self.quotes, assigned, strict=True)):
            if self._region(d.start) in ("headline", "standfirst") and entity is not None and not entity.named:
                if entity.kind == "person":
                    lead.add_descriptor(entity.name)
                    for desc in entity.descriptors:
                        lead.add_descriptor(desc)
                    for m in entity.mentions:
                        lead.add_mention(m)
                    assigned[i] = lead
                    if entity in self.entities and not any(a is entity for a in assigned):
                        self.entities.remove(entity)

    def _region(self, offset: int) -> str | None:
        region = self.document.region_at(offset)
        return region.kind if region is not None else None

    # ------------------------------------------------------------------ output
    def _output(self, assigned: list[Entity | None]) -> tuple[list[Quote], list[Speaker]]:
        ids: dict[Entity, str] = {}
        speakers: list[Speaker] = []
        quote_ids = [f"q{i + 1}" for i in range(len(self.quotes))]
        enclosing = _enclosing(self.quotes)
        quotes = []
        for i, (d, entity) in enumerate(zip(self.quotes, assigned, strict=True)):
            sid = None
            if entity is not None:
                if entity not in ids:
                    ids[entity] = f"s{len(ids) + 1}"
                    speakers.append(Speaker(
                        id=ids[entity], name=entity.name, named=entity.named,
                        aliases=entity.aliases, descriptors=entity.descriptors,
                        mentions=sorted(entity.mentions, key=lambda m: m.start),
                    ))
                sid = ids[entity]
            quotes.append(Quote(
                id=quote_ids[i], start=d.start, end=d.end, text=self.text[d.start : d.end], type=d.type,
                kind=d.kind, cue=d.cue, speaker=d.speaker, speaker_id=sid,
                nested_in=quote_ids[enclosing[i]] if enclosing[i] is not None else None,
                pullquote=d.pullquote, continuation=d.continuation, confidence=d.confidence,
            ))
        return quotes, speakers


def _enclosing(quotes: list[AttributedQuote]) -> list[int | None]:
    """The quote each one is nested in: its parent, or else the smallest other quote that holds
    all of it ("said he hoped the bridge would reopen" holds the hope). Resolution reads only the
    parent (a pronoun inside a quotation is never its speaker); the output shows every nesting."""
    out: list[int | None] = []
    for i, q in enumerate(quotes):
        if q.parent is not None:
            out.append(q.parent)
            continue
        holders = [j for j, o in enumerate(quotes) if j != i and o.start <= q.start and q.end <= o.end
                   and (o.start, o.end) != (q.start, q.end)]
        out.append(min(holders, key=lambda j: quotes[j].end - quotes[j].start) if holders else None)
    return out


def resolve_speakers(parsed: ParsedDocument, quotes: list[AttributedQuote]) -> tuple[list[Quote], list[Speaker]]:
    """Speakers for the attributed quotes: one entity per source in the article, and the output quotes."""
    return Resolver(parsed, quotes).resolve()
