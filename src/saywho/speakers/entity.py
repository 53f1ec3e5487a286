"""The entities speaker resolution builds: one per source in an article, with its type, the
gender the text states and the evidence for it, and the name helpers the resolver uses."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..lexicon import FEMALE_NOUNS, MALE_NOUNS, ORG_NOUNS, PERSON_NOUNS, denotes_people
from ..model import Span
from ..names import HONORIFIC_WORDS, OFFICE_WORDS, TITLE_WORDS
from ..nlp import lemma_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as DocSpan


@dataclass(eq=False)  # entities are compared and hashed by identity
class Entity:
    key: str
    name: str
    named: bool
    kind: str = "person"  # person | group | org | document
    gender: str | None = None  # "m" | "f", from evidence in the text only
    aliases: list[str] = field(default_factory=list)
    descriptors: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)
    seen: set[tuple[int, int]] = field(default_factory=set)
    heads: set[str] = field(default_factory=set)  # head nouns of its descriptions
    gender_evidence: list[Span] = field(default_factory=list)
    plural: bool = False  # a description in the plural ("parliamentary reports"): never "it"

    @property
    def type(self) -> str:
        """The speaker record's type: person, organisation, group, document or unnamed."""
        if self.kind == "person":
            return "person" if self.named else "unnamed"
        return {"org": "organisation", "group": "group", "document": "document"}[self.kind]

    def learn_gender(self, gender: str | None, evidence: Span | None) -> None:
        """Record a gender the text states (a pronoun that corefers, an honorific, "spokeswoman")."""
        if gender is None or self.kind != "person":
            return
        if self.gender is None:
            self.gender = gender
        if self.gender == gender and evidence is not None and all(
            (e.start, e.end) != (evidence.start, evidence.end) for e in self.gender_evidence
        ):
            self.gender_evidence.append(evidence)

    def add_mention(self, span: Span) -> None:
        if (span.start, span.end) not in self.seen:
            self.seen.add((span.start, span.end))
            self.mentions.append(span)

    def add_descriptor(self, text: str) -> None:
        text = text.strip(" ,.;:-–—")
        if text and text.lower() not in (d.lower() for d in self.descriptors) and text != self.name:
            self.descriptors.append(text)


ORG_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")
_ACRONYM_SKIP = frozenset({"of", "and", "for", "the", "&", "on", "in", "de", "du", "des"})


def description_words(head: Token) -> frozenset[str]:
    """The head noun and its compound modifiers, lowercased: "production company" -> production, company."""
    return frozenset([head.lower_] + [c.lower_ for c in head.lefts if c.dep_ in ("compound", "amod")])


def org_name_end(ent: DocSpan) -> int:
    """The end (in the paragraph) of an organisation's name, run on through "and", "of", "for" to
    the capitalised words the tagger split off: "Customs and Border Protection"."""
    doc, end = ent.doc, ent.end
    while end + 1 < len(doc) and doc[end].lower_ in ("and", "of", "for", "&") and doc[end + 1].pos_ == "PROPN" and (
        doc[end + 1].is_title or doc[end + 1].is_upper
    ) and doc[end + 1].ent_iob_ != "B":  # "Nissan and Volkswagen" are two organisations, each tagged
        end += 2
        while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title:
            end += 1
    last = doc[end - 1]
    return last.idx + len(last.text) - (doc[ent.start].idx - ent.start_char)


def is_acronym_of(short: list[str], full: list[str]) -> bool:
    """"CBP" for "Customs and Border Protection": one capitalised token whose letters are the
    initials of the full name's words (function words skipped), at least two of them."""
    if len(short) != 1 or not full or short == full:
        return False
    letters = short[0].replace(".", "")
    if not (2 <= len(letters) <= 6 and letters.isupper() and letters.isalpha()):
        return False
    if len(full) == 1:
        return is_contraction_of(letters, full[0])
    initials = "".join(w[0] for w in full if w.lower() not in _ACRONYM_SKIP and w[:1].isalpha()).upper()
    # "CDC" for "Chinese Center for Disease Control and Prevention": the initials of a run of the
    # name's words, three letters at least
    return initials == letters or len(letters) >= 3 and letters in initials


def is_contraction_of(letters: str, word: str) -> bool:
    """"VW" for "Volkswagen": two to four capitals, the word's first letter first and the rest,
    consonants, in order inside it; the word longer and not in capitals (not "UN" for "UNICEF")."""
    if not 2 <= len(letters) <= 4 or len(word) < 2 * len(letters) or word.isupper() or not word[:1].isupper():
        return False
    low = word.lower()
    if low[0] != letters[0].lower() or any(c in "aeiou" for c in letters[1:].lower()):
        return False  # later letters open the word's parts: consonants ("VW"), not "VA"
    at = 1
    for letter in letters[1:].lower():
        at = low.find(letter, at) + 1
        if at == 0:
            return False
    return True


# Last words of the names of laws, treaties, reports: documents, not organisations.
DOCUMENT_NAME_WORDS = frozenset("Act Law Bill Treaty Agreement Accord Accords Amendment Constitution Convention "
                                "Report Plan Protocol Charter Declaration Directive Resolution".split())
# Lowercase particles inside surnames: "de Blasio", "van Gogh", "da Silva".
SURNAME_PARTICLES = frozenset("de van von der den da di del della du la le dos das st".split())
# Rank words that are no name on their own: "Retired General", "Former Senator".
_RANK_WORDS = frozenset("retired former acting top senior junior then late deputy chief".split())
_INTERNAL_CAPITAL = re.compile(r"^[A-Z][a-z]+[A-Z]")
_CAPITALISED_PREFIXES = ("Mc", "Mac", "De", "Di", "Da", "La", "Le", "Van", "Von", "O'", "O’", "St")


def only_titles(name: str) -> bool:
    """A capitalised phrase of ranks and titles alone ("Retired General") names no one."""
    words = [w.strip(".,").lower() for w in name.split()]
    if len(words) > 1 and words[0] in HONORIFIC_WORDS and words[1] not in OFFICE_WORDS:
        return False  # "Mr. King": a surname after an honorific, though "king" is a title too
    return bool(words) and all(w in TITLE_WORDS or w in _RANK_WORDS for w in words)


def looks_like_an_org(token: str) -> bool:
    """"PolitiFact", "NVRA": an internal capital (not "McDonald", "DeSantis") or all capitals."""
    if len(token) >= 2 and token.isupper() and token.isalpha():
        return True
    return bool(_INTERNAL_CAPITAL.match(token)) and not token.startswith(_CAPITALISED_PREFIXES)


def holds_a_finite_verb(head: Token, name: tuple[int, int], pos: Callable[[Token], int]) -> bool:
    """A "name" with a finite verb in it is a headline fragment: "Veto Power Impedes Peace Efforts"."""
    start, end = name
    return any(t.tag_ in ("VBZ", "VBD", "VBP") and start <= pos(t) < end
               for t in head.doc[head.left_edge.i : head.right_edge.i + 1])
# Last words of company and institution names beyond the organisation nouns: "Patriot Coal".
ORG_NAME_WORDS = frozenset("""
coal energy oil gas motors airlines airways pharmaceuticals pharma holdings industries inc corp
corporation co llc ltd plc media records productions pictures entertainment communications telecom
technologies systems solutions
""".split())
GENERATION_SUFFIXES = frozenset({"Jr", "Sr", "II", "III", "IV"})


def shape_kind(tokens: list[str], kind: str) -> str:
    """The kind a name's own shape says, over the tagger's: a company word at the end makes an
    organisation ("Patriot Coal", "Dick Clark Productions"); a middle initial or a generation a
    person ("Vann R Newkirk II"). Other names keep ``kind``."""
    if kind == "document" or not tokens:
        return kind
    last = tokens[-1].lower()
    # Industry words end company names, never people's ("Patriot Coal"); organisation nouns end
    # names the tagger did not take for a person's ("Margaret Court" and "Emily Post" are people).
    if len(tokens) >= 2 and (last in ORG_NAME_WORDS or kind != "person" and last in ORG_NOUNS):
        return "org"
    if len(tokens) >= 3 and (tokens[-1].rstrip(".") in GENERATION_SUFFIXES or any(
        len(t.rstrip(".")) == 1 and t[:1].isupper() for t in tokens[1:-1]
    )):
        return "person"
    return kind


def capitalised_plural(head: Token) -> bool:
    """A plural noun for people that opens its sentence ("Demonstrators said"), taken for a name."""
    return head.is_sent_start and head.tag_ in ("NNPS", "NNS") and head.ent_type_ != "PERSON" and denotes_people(
        head.lower_.rstrip("s"))


def surname_with_role(head: Token) -> bool:
    """"Dean, a former party chairman, said": a capitalised title word with no determiner that
    a role is put beside is someone's surname (the rank alone takes one: "the dean said")."""
    return head.pos_ == "PROPN" and not any(c.dep_ in ("det", "poss") for c in head.children) and any(
        c.dep_ == "appos" and c.pos_ == "NOUN" and any(g.dep_ == "det" for g in c.children) for c in head.children)


def introducing_verb(document: Token) -> Token | None:
    """The verb that put a document out ("issued a statement") or spoke in it ("said in a statement")."""
    verb = document.head if document.dep_ == "dobj" else (
        document.head.head if document.dep_ == "pobj" and document.head.lower_ == "in" else None)
    return verb if verb is not None and verb.pos_ in ("VERB", "AUX") else None


# Titles and the role nouns they abbreviate or stand for: "Rep. Adam Schiff ... the California
# congressman", "Sen. X ... the senator", "Gov. Y ... the governor".
_ROLE_GROUPS = (
    frozenset({"rep", "representative", "congressman", "congresswoman", "congressmember"}),
    frozenset({"sen", "senator"}),
    frozenset({"gov", "governor"}),
    frozenset({"pres", "president"}),
    frozenset({"gen", "general"}),
    frozenset({"prof", "professor"}),
    frozenset({"dr", "doctor"}),
)
ROLE_EQUIVALENTS = {role: group for group in _ROLE_GROUPS for role in group}


# Parts of speech that never open a name; the tagger sometimes takes one in ("Unlike Patriot").
LEADING_NON_NAME_POS = frozenset({"ADP", "SCONJ", "CCONJ", "ADV", "PART", "INTJ", "VERB", "AUX", "ADJ"})


def role_gender(lemma: str) -> str | None:
    """"f" or "m" when a role noun states a gender ("spokeswoman", "his wife"), else None."""
    return "f" if lemma in FEMALE_NOUNS else "m" if lemma in MALE_NOUNS else None


def has_relative_who(head: Token) -> bool:
    """"Montell Figgins, who represents Thomas": a relative "who" stands for someone, so the name
    is a person's whatever the tagger says (companies take "which")."""
    return any(c.dep_ == "relcl" and any(t.lower_ in ("who", "whom") and t.dep_ in ("nsubj", "nsubjpass", "dobj")
                                         for t in c.children) for c in head.children)


# title words that only modify the title after them: "a former NASA administrator"
_TITLE_MODIFIERS = frozenset({"general", "prime", "former", "deputy", "chief", "vice"})


def role_states_a_person(ent: DocSpan) -> bool:
    """A title just before the name ("Foreign Minister X") or a person's role noun in
    apposition ("X, the foreign minister of France"); the lexicon's words only, not the
    agentive suffixes ("Apple, the iPhone maker" stays a company)."""
    doc, root = ent.doc, ent.root
    before = doc[ent.start - 1] if ent.start > 0 else None
    if before is not None and (before.lower_.rstrip(".") in TITLE_WORDS or before.pos_ == "NOUN" and lemma_of(
            before) in PERSON_NOUNS) and before.lower_.rstrip(".") not in _TITLE_MODIFIERS:
        return True  # "Foreign Minister X", "executive chair X"; not "a former NASA administrator"
    if has_relative_who(root):
        return True
    return any(c.dep_ == "appos" and c.pos_ == "NOUN" and lemma_of(c) in PERSON_NOUNS
               and lemma_of(c) not in ORG_NOUNS for c in root.children)


def name_span(ent: DocSpan) -> DocSpan:
    """The tagger's name without a word it ran into it ("Unlike Patriot", "Derelict Obama",
    "Recent Samsung") or a trailing possessive ("Fox News’s")."""
    if len(ent) > 1 and (ent[0].pos_ in LEADING_NON_NAME_POS or ent[-1].tag_ == "POS"):
        from spacy.tokens import Span as DocSpan

        first = next((t.i for t in ent if t.pos_ not in LEADING_NON_NAME_POS), ent.end - 1)
        last = ent.end - 1 if ent[-1].tag_ == "POS" and ent.end - 1 > first else ent.end
        return DocSpan(ent.doc, first, last, label=ent.label)
    return ent


def usual_labels(docs: Iterable[Doc]) -> dict[str, str]:
    """One-word names the tagger calls a person once but mostly an organisation, and never part
    of a person's full name: "Samsung" is an organisation five times and a person once ("Recent
    Samsung smart TVs") in one review. A surname ("Trump" tagged an organisation here and there)
    keeps the person its full name makes it."""
    counts: Counter[tuple[str, str]] = Counter()
    in_full_names: set[str] = set()
    for doc in docs:
        for ent in map(name_span, doc.ents):
            if len(ent) == 1 and ent.label_ in ("PERSON", "ORG"):
                counts[(ent.text.lower(), ent.label_)] += 1
            elif ent.label_ == "PERSON":
                in_full_names.update(t.lower_ for t in ent)
    return {name: "ORG" for name, label in counts if label == "PERSON" and name not in in_full_names
            and counts[(name, "ORG")] >= 3 * counts[(name, "PERSON")]}
