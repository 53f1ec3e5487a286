"""The resolver: every speaker mention of one article to an entity, by the rules of the package
docstring (names, pronouns, descriptions, organisations, documents, lead sources)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..deptree import after_dateline
from ..lexicon import (
    COLLECTIVE_NOUNS,
    DOCUMENT_NOUNS,
    FEMALE_NOUNS,
    FEMALE_PRONOUNS,
    FIRST_SECOND_PRONOUNS,
    GROUP_NOUNS,
    MALE_NOUNS,
    MALE_PRONOUNS,
    NAME_PARTICLES,
    NEUTER_PRONOUNS,
    ORG_NOUNS,
    PERSON_NOUNS,
    PLACE_NOUNS,
    PLURAL_PRONOUNS,
    QUANTIFIER_PRONOUNS,
    SPEAKING_THINGS,
    TITLES,
    denotes_people,
)
from ..model import Quote, Span, Speaker
from ..names import HONORIFIC_WORDS, TITLE_WORDS, article_key, gender_from_title, name_tokens, surname_forms
from ..nlp import lemma_of
from ..types import AttributedQuote, ParsedDocument
from .entity import (
    DOCUMENT_NAME_WORDS,
    ORG_ARTICLE,
    ROLE_EQUIVALENTS,
    SURNAME_PARTICLES,
    Entity,
    capitalised_plural,
    description_words,
    has_relative_who,
    holds_a_finite_verb,
    is_acronym_of,
    looks_like_an_org,
    name_span,
    only_titles,
    org_name_end,
    role_gender,
    role_states_a_person,
    shape_kind,
    surname_with_role,
    usual_labels,
)
from .nearby import SALIENCE_WINDOW, NearbyReferents
from .output import speakers_and_quotes

if TYPE_CHECKING:
    from spacy.tokens import Token

_ALIAS = re.compile(
    r"\s*\(?\s*(?:,\s*)?(?:whose\s+(?:[\w-]+\s+){0,4}?(?:name|nom de guerre|alias|nickname|kunya)\s+(?:is|was)"
    r"|(?:also\s+|better\s+|widely\s+)?known\s+as|a\.?k\.?a\.?|alias|nicknamed)\s+"
    r"(?P<alias>[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|al-[\w'’-]+|el-[\w'’-]+|bin|ibn|abu|abd|de|la))*)"
)


class Resolver(NearbyReferents):
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
        self.org_mentions: list[tuple[int, Entity]] = []  # (offset, entity) of organisations named
        self.person_words: set[str] = set()  # the words of every name the tagger calls a person's
        self.org_words: set[str] = set()  # one-word names it calls an organisation's in full form too
        self._collect_names()

    # ------------------------------------------------------------------ names
    def _collect_names(self) -> None:
        """Cluster every person named in the article, long names first."""
        found: list[tuple[Span, str]] = []
        orgs: list[tuple[Span, Token]] = []
        roots: list[tuple[Span, Token]] = []
        usual = usual_labels(p.doc for p in self.paragraphs)
        for p in self.paragraphs:
            for ent in map(name_span, p.doc.ents):
                if any(t.lower_ in ("percent", "%", "per") for t in ent):
                    continue  # "Trump 47.3 percent": a poll's figure the tagger took for a name
                label = usual.get(ent.text.lower(), ent.label_) if len(ent) == 1 else ent.label_
                if label == "ORG" and role_states_a_person(ent):
                    label = "PERSON"  # "Jean-Marc Ayrault, the foreign minister": a person tagged ORG
                first = ent[0].lower_
                if first in NAME_PARTICLES and len(ent) > 1:
                    label = "PERSON"  # "Abu Muslim", "Umm Khaled" are people
                s, e = p.offset + ent.start_char, p.offset + ent.end_char
                if label == "ORG":
                    e = p.offset + org_name_end(ent)
                    orgs.append((Span(s, e, self.text[s:e]), ent.root))
                    if len(ent) > 1:
                        self.org_words.update(w.lower() for w in name_tokens(self.text[s:e]))
                if label != "PERSON":
                    continue
                span = Span(s, e, self.text[s:e])
                if not name_tokens(span.text):
                    continue
                found.append((span, label))
                roots.append((span, ent.root))
        self.person_words = {w.lower() for span, _ in found for w in name_tokens(span.text)}
        found.sort(key=lambda x: -len(name_tokens(x[0].text)))
        for span, _ in found:
            entity = self.entity_for_name(span.text)
            entity.add_mention(span)
            entity.learn_gender(gender_from_title(span.text), span)
        for span, _ in sorted(found, key=lambda x: x[0].start):
            entity = self.entity_for_name(span.text)
            # "Dick Clark Productions" tagged a person is a company by its shape
            (self.org_mentions if entity.kind == "org" else self.person_mentions).append((span.start, entity))
            self._read_alias(span, entity)
        for span, root in roots:
            # The role stated with the name anywhere in the article ("Wikileaks founder Julian
            # Assange", "Julian Assange, the Wikileaks founder") lets "the founder" find him.
            self._descriptors_of(root, self.entity_for_name(span.text), (span.start, span.end))
        for span, _ in orgs:
            name = ORG_ARTICLE.sub("", span.text)
            words = name_tokens(name)
            if words and self._known_person(words[-1]) and all(w.lower() in SURNAME_PARTICLES for w in words[:-1]):
                # "Shaw" after "Helen Shaw", "De Blasio", a "Trump" the tagger calls a person elsewhere:
                # a surname it took for an organisation here
                continue
            if name_tokens(name):
                kind = "document" if name_tokens(name)[-1] in DOCUMENT_NAME_WORDS else "org"
                entity = self.entity_for_name(name, kind)
                if entity.kind == "org":  # not a person the tagger also took for one, nor a law
                    entity.add_mention(span)
                    self.org_mentions.append((span.start, entity))
        self.org_mentions.sort(key=lambda x: x[0])

    def entity_for_name(self, name: str, kind: str = "person") -> Entity:
        kind = shape_kind(name_tokens(name) if kind == "person" else name.split(), kind)
        tokens = name_tokens(name)
        if kind != "person":  # titles lead people's names only: "General Motors" keeps "General"
            tokens = [w.strip(",.'’") for w in name.split() if w.strip(",.'’")] or tokens
        key = " ".join(w.lower() for w in tokens) if kind != "person" else article_key(name)
        if key in self.full_names:
            return self.full_names[key]
        if len(tokens) == 1:
            short = tokens[0].lower()
            matches = {e for _, e in self._full_names_holding(short) if e.kind == kind}
            if len(matches) == 1:
                entity = next(iter(matches))
                self.full_names[key] = entity
                return entity
        elif kind == "person" and all(t.lower() in SURNAME_PARTICLES for t in tokens[:-1]):
            # "De Blasio" in a headline after "Bill de Blasio": a surname with its particle
            tail = [t.lower() for t in tokens]
            matches = {e for k, e in self.full_names.items()
                       if e.kind == kind and len(k.split()) > len(tail) and k.split()[-len(tail):] == tail}
            if len(matches) == 1:
                entity = next(iter(matches))
                self.full_names[key] = entity
                return entity
        if kind == "org":
            same = self._acronym_match(tokens)
            if same is not None:
                self.full_names[key] = same
                if len(tokens) > len(name_tokens(same.name)) or len(tokens) == 1 and is_acronym_of(
                        name_tokens(same.name), tokens):
                    same.aliases.append(same.name)  # the full name is the name, the acronym an alias
                    same.name = " ".join(tokens)
                elif " ".join(tokens) not in same.aliases:
                    same.aliases.append(" ".join(tokens))
                return same
        entity = Entity(key=key, name=" ".join(tokens) or name, named=True, kind=kind)
        self.entities.append(entity)
        self.full_names[key] = entity
        return entity

    def _acronym_match(self, tokens: list[str]) -> Entity | None:
        """The organisation an acronym stands for, or the acronym a full name expands: "CBP" and
        "Customs and Border Protection", "the EU" and "the European Union"."""
        found = [e for e in dict.fromkeys(self.full_names.values()) if e.kind == "org" and e.named
                 and (is_acronym_of(tokens, name_tokens(e.name)) or is_acronym_of(name_tokens(e.name), tokens))]
        return found[0] if len(found) == 1 else None  # two that fit: neither is meant for certain

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
        if low in QUANTIFIER_PRONOUNS:  # "all of them say", "some argue": a group the article leaves unnamed
            return self._description_entity(head, definite=False, animate=True)
        if head.pos_ == "PRON" or low in MALE_PRONOUNS | FEMALE_PRONOUNS | PLURAL_PRONOUNS | FIRST_SECOND_PRONOUNS:
            return self._resolve_pronoun(d, head.lower_, assigned)
        name = self._name_in(head)
        if name is not None and holds_a_finite_verb(head, name, self.tokens.pos):
            return None  # "Veto Power Impedes Peace Efforts": a headline, no one's name
        if name is not None and name == (self.tokens.pos(head), self.tokens.end(head)) and capitalised_plural(head):
            return self._resolve_description(d, head)  # "Demonstrators said": capitalised by the sentence
        if name is not None and (only_titles(self.text[name[0] : name[1]]) or self.text[name[0] : name[1]].lower(
                ) in PERSON_NOUNS) and not surname_with_role(head):
            return self._resolve_description(d, head)  # "Retired General", "one neo-bank CEO": a role
        if name is not None:
            s, e = name
            name_text = self.text[s:e]
            kind = self._name_kind(head, name_text)
            entity = self.entity_for_name(name_text, kind)
            self._descriptors_of(head, entity, (s, e))
            if head.pos_ == "NOUN" and self.tokens.pos(head) < s:
                # "The deputy mayor, Sam Obi, said": the description heads, the name is its apposition
                entity.add_descriptor(self._description_text(head))
                entity.heads.add(lemma_of(head))
            entity.learn_gender(gender_from_title(span.text), span)
            return entity
        if len(words) == 0:
            return None
        if head.ent_type_ == "PERSON" or head.text[:1].isupper() and (
            self._known_person(head.text) or article_key(head.text) in self.full_names
        ):
            # a name the tagger took for a common noun ("Trump said" at a sentence start)
            return self.entity_for_name(self.text[self.tokens.pos(head) : self.tokens.end(head)])
        return self._resolve_description(d, head)

    def _name_kind(self, head: Token, name: str) -> str:
        """"person", "org" or "document" for a name, from the tagger and the name's own shape:
        a title or a role noun before it makes a person ("Foreign Minister Jean-Marc Ayrault"), as
        does a lone surname of a person named in full; an internal capital or an all-capitals
        word makes an organisation ("PolitiFact", "NVRA"); a law or a report is a document."""
        tokens = name_tokens(name)
        if tokens and tokens[-1] in DOCUMENT_NAME_WORDS:
            return "document"  # "the National Voter Registration Act", "the Paris Agreement"
        doc = head.doc
        roles = [t for t in doc[head.left_edge.i : head.i] if (t.lower_.rstrip(".") in TITLE_WORDS
                 or t.pos_ == "NOUN" and denotes_people(lemma_of(t)))
                 and not (t.i + 1 < len(doc) and doc[t.i + 1].tag_ == "POS")]  # "the Attorney's Office"
        if head.ent_type_ == "NORP" and (head.tag_ == "NNPS" or head.text.endswith("s")):
            return "group"  # "Mexicans", "Democrats": the people of a nation or a party
        if tokens and tokens[-1].lower() in ORG_NOUNS and any(
                c.dep_ == "poss" or c.dep_ == "det" and c.lower_ == "the" for c in head.children):
            return "org"  # "the U.S. Attorney's Office", "the Interior Department": an institution
        tagged_org = head.ent_type_ in ("ORG", "GPE", "NORP", "FAC") and head.lower_ not in NAME_PARTICLES
        if tagged_org and (roles or has_relative_who(head) or self._known_person(tokens[-1] if tokens else name)
                           and all(t.lower() in NAME_PARTICLES | SURNAME_PARTICLES for t in tokens[:-1])):
            return "person"  # "Shaw", "De Blasio" after "Bill de Blasio": a surname the tagger misread
        if not tagged_org and head.ent_type_ != "PERSON" and tokens and all(looks_like_an_org(t) for t in tokens):
            return "org"
        return "org" if tagged_org else "person"

    def _known_person(self, short: str) -> bool:
        """A surname of people named in full here and of no organisation ("Ford" in a profile of
        Mike Ford that also names his brother Dale Ford), or a word the tagger calls a person's
        name elsewhere in the article ("Trump" tagged an organisation in one sentence)."""
        low = short.lower()
        if low in self.person_words and low not in self.org_words:
            return True
        holders = [e.kind for _, e in self._full_names_holding(low)]
        return bool(holders) and all(kind == "person" for kind in holders)

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
                if left.lower_.rstrip(".") in HONORIFIC_WORDS and only_titles(self.text[
                        self.tokens.pos(doc[left.i + 1]) : self.tokens.end(right)]):
                    break  # "Mr. King": the honorific shows the title word after it is a surname
                left = doc[left.i + 1]
            return self.tokens.pos(left), self.tokens.end(right)
        return None

    def _descriptors_of(self, head: Token, entity: Entity, name: tuple[int, int]) -> None:
        doc = head.doc
        # A title before the name is a role too: "Governor Ana Ruiz" is "the governor".
        for t in doc[max(0, head.left_edge.i - 1) : head.i]:
            if t.lower_.rstrip(".") in TITLE_WORDS and t.lower_.rstrip(".") not in ("mr", "mrs", "ms", "dr", "miss"):
                entity.heads.add(t.lower_.rstrip("."))
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
        while left.i < head.i and (left.dep_ == "det" or left.is_punct or left.dep_ == "poss" and left.pos_ == "PRON"):
            left = doc[left.i + 1]
        # A named possessor stays ("RT's management"); a possessive word left alone is no name
        if left.dep_ == "case" and left.i < head.i:
            left = doc[left.i + 1]
        if left.lower_ == "own" and left.i < head.i:
            left = doc[left.i + 1]  # "its own website": "own" leans on the possessive left out
        right = head
        for child in head.rights:
            if child.dep_ in ("compound", "amod") and child.i == right.i + 1:
                right = child
        s, e = self.tokens.pos(left), self.tokens.end(right)
        return self.text[s:e].strip()

    def _resolve_pronoun(self, d: AttributedQuote, pronoun: str, assigned: list[Entity | None]) -> Entity | None:
        plural = pronoun in PLURAL_PRONOUNS or pronoun in ("we", "us")
        gender = "m" if pronoun in MALE_PRONOUNS else "f" if pronoun in FEMALE_PRONOUNS else None
        neuter = pronoun in NEUTER_PRONOUNS
        if d.parent is not None:
            # Inside a quotation: the nearest person described earlier in the quotation.
            entity = self._antecedent_in_quote(d, plural)
            if entity is not None:
                return entity
        if pronoun in FIRST_SECOND_PRONOUNS and (not plural or d.parent is None):
            return None  # outside quotation marks "I" and "we" are the writer ("we confirmed that ...")
        # Inside a quotation, "he" and "she" are never the one quoted.
        outer = assigned[d.parent] if d.parent is not None and d.parent < len(assigned) else None
        here = self._named_earlier_in_sentence(d, outer, plural, gender, neuter)
        if here is not None:
            # "Yet Sondland has amended his testimony — “I now do recall,” he said": the person
            # named earlier in the pronoun's own sentence comes before the last speaker
            here.learn_gender(gender, d.speaker)
            return here
        if d.speaker_head is not None and gender and d.parent is None:
            # the described subject governing the pronoun ("A man pleaded guilty to charges he
            # threatened ..."), else the subject of the sentence before ("Netanyahu visited the bloc.
            # “...,” he told settlers")
            governing = self._governing_person_noun(d.speaker_head)
            for find in (lambda: self._resolve_description(d, governing) if governing is not None else None,
                         lambda: self._previous_subject(d.speaker_head, "", across_paragraphs=True)):
                found = find()  # the sentence before is read only when no governing subject fits
                if found is not None and found is not outer and self._agrees(found, plural, gender, neuter):
                    found.learn_gender(gender, d.speaker)
                    return found
        # Salience: the latest speaker of a nearby quotation.
        for j in range(len(assigned) - 1, -1, -1):
            prev, entity = self.quotes[j], assigned[j]
            if entity is None or entity is outer or prev.parent is not None or prev.start >= d.start:
                continue
            if d.paragraph >= 0 and prev.paragraph >= 0 and d.paragraph - prev.paragraph > SALIENCE_WINDOW:
                break
            if self._agrees(entity, plural, gender, neuter):
                entity.learn_gender(gender, d.speaker)
                return entity
        # Recency: the latest person named before the pronoun.
        pos = d.speaker.start if d.speaker else d.start
        for offset, entity in reversed(self.person_mentions):
            if offset < pos and entity is not outer and self._agrees(entity, plural, gender, neuter):
                entity.learn_gender(gender, d.speaker)
                return entity
        return None

    def _named_earlier_in_sentence(self, d: AttributedQuote, outer: Entity | None, plural: bool,
                                   gender: str | None, neuter: bool) -> Entity | None:
        """The one entity named as a subject earlier in the pronoun's sentence, outside quotation
        marks, if it agrees; none when two agree (then salience decides)."""
        head = d.speaker_head
        if head is None or d.speaker is None:
            return None
        named = [t for t in head.sent if t.i < head.i and t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "PROPN"]
        found = set()
        for t in named:
            pos = self.tokens.pos(t)
            if any(q.start <= pos < q.end for q in self.quotes if q.type == "direct"):
                continue
            name = self._name_in(t)
            entity = self._existing_entity(self.text[name[0] : name[1]]) if name is not None else None
            if entity is not None and entity is not outer and self._agrees(entity, plural, gender, neuter):
                found.add(entity)
        return next(iter(found)) if len(found) == 1 else None

    def _existing_entity(self, name: str) -> Entity | None:
        """The entity a name already stands for in this article (its key, or the one full name a
        surname belongs to); None rather than a new one."""
        key = article_key(name)
        if key in self.full_names:
            return self.full_names[key]
        short = key.split()
        matches = {e for _, e in self._full_names_holding(short[0])} if len(short) == 1 else set()
        return next(iter(matches)) if len(matches) == 1 else None

    def _full_names_holding(self, short: str) -> list[tuple[str, Entity]]:
        """The full names (key, entity) of this article that a one-word form is a part of."""
        return [(k, e) for k, e in self.full_names.items() if len(k.split()) > 1 and short in surname_forms(k.split())]

    @staticmethod
    def _agrees(entity: Entity, plural: bool, gender: str | None, neuter: bool = False) -> bool:
        """Agreement in number, animacy and gender: "she" is a person (never a company or a
        statement) of no stated gender or a female one; "it" an organisation or a document;
        "they" a group or an organisation."""
        if neuter:
            return entity.kind in ("org", "document") and not entity.plural
        if plural:
            return entity.kind in ("group", "org")
        if entity.kind != "person":
            return False
        return gender is None or entity.gender in (None, gender)

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
            if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("NOUN", "PROPN") and (
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
        named = next((n for c in head.children if c.dep_ == "acl" and c.lower_ in ("named", "called")
                      for n in c.children if n.dep_ in ("oprd", "attr", "dobj") and n.pos_ == "PROPN"), None)
        if named is not None and (name := self._name_in(named)) is not None:
            return self.entity_for_name(self.text[name[0] : name[1]])  # "a man named Mario Diaz said"
        if lemma in DOCUMENT_NOUNS:
            issuer = self._issuer(head)
            if issuer is not None:
                issuer.add_descriptor(self._description_text(head))
                return issuer
        if det in ("the", "this", "that") or (det == "" and head.tag_ == "NN"):
            plural = head.tag_ in ("NNS", "NNPS")
            roles = ROLE_EQUIVALENTS.get(lemma, frozenset({lemma}))
            for entity in reversed(self.entities):
                if roles & entity.heads and not (plural and entity.kind == "person"):
                    return entity  # "the physicians" are not the physician named earlier
            if lemma in ORG_NOUNS and head.tag_ == "NN" and not any(c.dep_ == "poss" for c in head.children):
                # "the company", "the German automaker"; not "the farmers' union", which is its own
                org = self._salient_org(self.tokens.pos(head), description_words(head),
                                        named_for=[c for c in head.lefts if c.dep_ == "compound"])
                if org is not None:
                    org.add_descriptor(self._description_text(head))
                    org.heads.add(lemma)
                    return org
            role = det == "the" and not plural and (lemma in PERSON_NOUNS or lemma in TITLE_WORDS)
            kin_or_trade = det == "the" and not plural and (lemma in FEMALE_NOUNS or lemma in MALE_NOUNS
                                                            or lemma.endswith(("man", "woman")))
            named = self._only_person_nearby(self.tokens.pos(head), lemma) if role else None
            if named is None and (role or kin_or_trade):
                named = self._previous_subject(head, lemma)
            if named is not None:
                named.add_descriptor(self._description_text(head))
                named.heads.add(lemma)
                return named
        # "an architect who said ...": a relative "who" stands for someone, whatever the noun;
        # "brain cancer, which confirmed ...": "which" for something
        relative = d.speaker.text.lower() if d.speaker is not None else ""
        entity = self._description_entity(head, definite=det == "the", animate=relative in ("who", "whom"),
                                          inanimate=relative == "which")
        gender = role_gender(lemma)
        if gender is not None:
            entity.learn_gender(gender, Span(self.tokens.pos(head), self.tokens.end(head), head.text))
        return entity

    def _description_entity(self, head: Token, definite: bool, animate: bool = False,
                            inanimate: bool = False) -> Entity:
        plural = head.tag_ in ("NNS", "NNPS") or head.lower_ in GROUP_NOUNS or head.lower_ in QUANTIFIER_PRONOUNS
        name = self._description_text(head)
        key = f"desc:{name.lower()}"
        if key in self.by_key:
            return self.by_key[key]
        lemma = lemma_of(head)
        kind = "group" if plural else "person"
        if lemma in ORG_NOUNS or lemma in PLACE_NOUNS:
            # "the company", "a union", "the country": an organisation the article does not name;
            # "small groups", "the companies": several of them
            kind = "group" if plural else "org"
        elif lemma in COLLECTIVE_NOUNS:
            kind = "group"  # "the scientific community", "the public"
        elif head.ent_type_ in ("PERCENT", "CARDINAL") or lemma == "percent":
            kind = "group"  # "74 percent of likely voters", "two of them"
        elif lemma in SPEAKING_THINGS or inanimate or not animate and not denotes_people(lemma):
            kind = "document"  # "the ad", "the film", "the statement": a thing that says, not a person
        entity = Entity(key=key, name=name, named=False, kind=kind, plural=head.tag_ in ("NNS", "NNPS"))
        entity.heads.add(lemma)
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
        return speakers_and_quotes(self.text, self.quotes, assigned)
