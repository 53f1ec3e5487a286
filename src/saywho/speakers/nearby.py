"""Who a description or a document stands for, from what is named near it: the issuer of "the
statement", the one person a definite role ("the senator") can be, the organisation "the
company" is. Each rule gives no one rather than a guess when two are named nearby: a wrong name
is worse than a description left unnamed.

A part of the Resolver (resolver.py), kept apart for its size; it reads the Resolver's names
(``org_mentions``, ``person_mentions``) and calls its name readers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..deptree import subject_of
from ..lexicon import ORG_NOUNS, denotes_people
from ..names import name_tokens
from ..nlp import lemma_of
from .entity import ROLE_EQUIVALENTS, Entity, description_words, introducing_verb, role_gender

if TYPE_CHECKING:
    from spacy.tokens import Token

    from ..types import Paragraph, TokenIndex

SALIENCE_WINDOW = 4  # paragraphs back that a pronoun or a description looks for what it stands for


class NearbyReferents:
    text: str
    tokens: TokenIndex
    paragraphs: list[Paragraph]
    org_mentions: list[tuple[int, Entity]]
    person_mentions: list[tuple[int, Entity]]

    if TYPE_CHECKING:  # the Resolver's name readers, which these rules call
        def _name_in(self, head: Token) -> tuple[int, int] | None: ...
        def _name_kind(self, head: Token, name: str) -> str: ...
        def entity_for_name(self, name: str, kind: str = "person") -> Entity: ...
        def _existing_entity(self, name: str) -> Entity | None: ...

    def _issuer(self, document: Token) -> Entity | None:
        """Who issued a statement, a letter, a report: "a report from Kotak", "a statement by the
        ministry", "the company's statement", else the organisation named last before it."""
        for child in document.children:
            named = None
            if child.dep_ == "poss":
                named = child
            elif child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
                named = next((c for c in child.children if c.dep_ == "pobj"), None)
            if named is None:
                continue
            name = self._name_in(named)
            if name is not None:
                text = self.text[name[0] : name[1]]
                return self.entity_for_name(text, self._name_kind(named, text))
            if lemma_of(named) in ORG_NOUNS:
                return self._salient_org(self.tokens.pos(named), description_words(named))
        introduced = self._introduction_issuer(document)
        if introduced is not None:
            return introduced
        if document.tag_ != "NN" or not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that")
                                             for c in document.children):
            return None  # "parliamentary reports", "a new report": not the one put out nearby
        return self._only_org_nearby(self.tokens.pos(document))

    def _introduction_issuer(self, document: Token) -> Entity | None:
        """"Big Machine Records issued a statement ... the statement said": a definite document
        refers back to the last one introduced within a few paragraphs, whose issuer is the
        subject of the verb that put it out ("issued a statement") or that spoke in it ("said in a
        statement"). Only a subject with a name counts: a wrong issuer is worse than none."""
        own = introducing_verb(document)  # "X issued a statement warning that ..."
        if own is not None:
            return self._named_subject(own)
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in document.children):
            return None
        offset, lemma = self.tokens.pos(document), lemma_of(document)
        here = self.tokens.paragraph_at(offset)
        earlier: list[Token] = []
        for p in self.paragraphs:
            if p.offset > offset or here is not None and (
                    (k := self.tokens.paragraph_at(p.offset)) is not None and here - k > SALIENCE_WINDOW):
                continue
            for t in p.doc:
                if p.offset + t.idx >= offset:
                    break
                if t.pos_ == "NOUN" and t.tag_ == "NN" and lemma_of(t) == lemma:
                    earlier.append(t)
        # the latest that introduced one: earlier definite mentions refer back themselves
        verb = next((v for t in reversed(earlier) if (v := introducing_verb(t)) is not None), None)
        return self._named_subject(verb) if verb is not None else None

    def _named_subject(self, verb: Token) -> Entity | None:
        subject = subject_of(verb)
        if subject is None:
            return None
        name = self._name_in(subject)
        if name is None:
            if subject.pos_ == "NOUN" and lemma_of(subject) in ORG_NOUNS and subject.tag_ == "NN":
                # "The company denied the allegations in a statement": the company it stands for
                return self._salient_org(self.tokens.pos(subject), description_words(subject))
            return None
        text = self.text[name[0] : name[1]]
        return self.entity_for_name(text, self._name_kind(subject, text))

    def _only_person_nearby(self, offset: int, role: str) -> Entity | None:
        """"Graham has been critical of Trump ... the South Carolina senator called on ...": a
        definite role ("the senator") with no earlier holder stands for the one person named in its
        paragraph before it or in the two before that, of a gender the role allows and no other
        role stated; none when two people are named there (a wrong name is worse than a
        description left unnamed)."""
        here = self.tokens.paragraph_at(offset)
        if here is None:
            return None
        gender = role_gender(role)
        near = {e for o, e in self.person_mentions
                if o < offset and (p := self.tokens.paragraph_at(o)) is not None and here - p <= 2}
        if len(near) != 1:
            return None
        person = next(iter(near))
        if gender is not None and person.gender not in (None, gender):
            return None
        # A person with another role stated ("Maria Smith, a voter") is not "the senator".
        return person if not person.heads or ROLE_EQUIVALENTS.get(role, frozenset({role})) & person.heads else None

    def _only_org_nearby(self, offset: int) -> Entity | None:
        """The issuer of a bare "the statement": the one organisation named in its paragraph or
        the one before, none if there are several or none (a wrong issuer is worse than none)."""
        here = self.tokens.paragraph_at(offset)
        if here is None:
            return None
        near = {e for o, e in self.org_mentions
                if o < offset and (p := self.tokens.paragraph_at(o)) is not None and here - p <= 1}
        return next(iter(near)) if len(near) == 1 else None

    def _salient_org(self, offset: int, words: frozenset[str] = frozenset(),
                     named_for: list[Token] | None = None) -> Entity | None:
        """The organisation a description or a document stands for: among those named before
        ``offset`` within a few paragraphs, one whose name holds a word of the description ("the
        production company": Dick Clark Productions, the most mentioned of them), else the only
        one named in this paragraph or the one before; with none before, the next one named in the
        same paragraph. Several candidates and no word to tell them apart: no one, since a wrong
        name is worse than a description left unnamed ("the automaker" in a story on two)."""
        here = self.tokens.paragraph_at(offset)
        counts: dict[Entity, int] = {}
        latest: dict[Entity, int] = {}
        for o, e in self.org_mentions:
            if o >= offset:
                break
            counts[e] = counts.get(e, 0) + 1
            latest[e] = o
        recent = [e for e, o in latest.items() if here is None or (p := self.tokens.paragraph_at(o)) is None
                  or here - p <= SALIENCE_WINDOW]
        def shares_a_word(e: Entity, wanted: frozenset[str]) -> bool:
            return bool({w.lower().rstrip("s") for w in name_tokens(e.name)} & {w.rstrip("s") for w in wanted})

        if named_for:
            # A noun modifier must be in the name: "the production company" is Dick Clark
            # Productions; "the teachers union" is no organisation named without "teachers".
            wanted = frozenset(t.lower_ for t in named_for)
            recent = [e for e in recent if shares_a_word(e, wanted)]
        if recent:
            matching = [e for e in recent if shares_a_word(e, words)]
            if matching:
                return max(matching, key=lambda e: (counts[e], latest[e]))
            return self._only_org_nearby(offset)  # "the automaker" with two carmakers named: no one
        if named_for:
            return None
        after = [(o, e) for o, e in self.org_mentions if o > offset]
        if after and here is not None and self.tokens.paragraph_at(after[0][0]) == here:
            return after[0][1]
        return None

    def _previous_subject(self, head: Token, role: str, across_paragraphs: bool = False) -> Entity | None:
        """"Trump ... cited problems in the Middle East. “We need change,” the New York businessman
        said": a definite role in subject position continues the person named as the subject of
        the sentence before it (the centre of attention), when the role's gender fits."""
        if head.dep_ not in ("nsubj", "nsubjpass"):
            return None
        sentence = head.sent
        doc = sentence.doc
        if sentence.start > 0:
            before = doc[sentence.start - 1].sent
        else:  # a pronoun opening a paragraph: the last sentence of the paragraph before
            here = self.tokens.paragraph_at(self.tokens.pos(head))
            if not here or not across_paragraphs:
                return None
            before = list(self.paragraphs[here - 1].doc.sents)[-1]
        subject = next((t for t in before if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT"
                        and t.pos_ == "PROPN"), None)
        name = self._name_in(subject) if subject is not None else None
        person = self._existing_entity(self.text[name[0] : name[1]]) if name is not None else None
        if person is None or person.kind != "person":
            return None
        gender = role_gender(role)
        # A gender the role rules out is the one check: one person is a daughter and a mother,
        # a senator and a businessman, and subject continuity is the evidence here.
        return person if gender is None or person.gender in (None, gender) else None

    @staticmethod
    def _governing_person_noun(pronoun: Token) -> Token | None:
        """"A New York man pleaded guilty to charges he threatened to kill ...": a subject pronoun
        in a clause that a described person governs as subject stands for that person, not for
        a name from an earlier sentence. Only the nearest governing subject counts, and not "an
        aide to the senator", where the pronoun may be the senator."""
        if pronoun.dep_ not in ("nsubj", "nsubjpass"):
            return None
        for verb in pronoun.head.ancestors:
            subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is None:
                continue
            if subject.i < pronoun.i and subject.pos_ == "NOUN" and subject.tag_ == "NN" and denotes_people(
                    lemma_of(subject)) and not any(c.dep_ in ("poss", "prep") for c in subject.children):
                return subject
            return None
        return None
