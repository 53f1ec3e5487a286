"""Attribution: which marked spans are quotations, what reported speech the parse shows,
and for each the cue ("said") and the speaker mention ("Dr Okafor", "he", "the spokeswoman").

Rules, in the order a reader applies them:
1. A cue verb right after a closing mark (“...,” said X / “...,” X told Y) or right before
   an opening one (X said: “...”) attributes that direct quotation.
2. A cue verb whose clausal complement is not inside marks is reported speech: indirect,
   or mixed when the complement holds a quoted fragment. "According to X", "in a new poll",
   "reportedly", the parenthetical "..., X said, ..." and passives ("was criticized by X", "it
   was reported that ...") are read the same way.
3. A verb (or a noun with a possessor, an adjective after a copula) that the learned predicate
   model (``cue_model.py``) reads as a stance attributes its complements: "backed the deal",
   "plans to run", "Obama's decision to ...". A paragraph opening "Name:" is Name's turn.
4. A quotation with no cue of its own takes the speaker of the quotation just before it
   when it continues that speaker's paragraph or opens the next paragraph (continuation).
5. Short quoted words inside a sentence with no cue are scare quotes, not quotations.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from spacy.tokens import Token

from . import cue_model
from .cue_model import has_verb
from .ingest import Document
from .lexicon import (
    ADDRESSEE_LEMMAS,
    CUE_LEMMAS,
    FINDING_NOUNS,
    FIRST_SECOND_PRONOUNS,
    HEARSAY_ADVERBS,
    NOMINAL_CUE_PREPS,
    NOUN_CUE_LEMMAS,
    OBJECT_CUE_LEMMAS,
    RAISING_LEMMAS,
    RELATIVE_PRONOUNS,
    STRONG_SPEECH_LEMMAS,
    TOLD_THINGS,
)
from .model import Span
from .nlp import lemma_of
from .quotes import Marked

if TYPE_CHECKING:
    from .pipeline import Paragraph

SUBJECT_DEPS = ("nsubj", "nsubjpass")
CLAUSE_DEPS = ("ccomp", "xcomp", "parataxis")
MIN_INDIRECT_TOKENS = 3
ADJUNCT_PREPS = frozenset({"in", "at", "during", "after", "before", "since", "until", "amid", "while", "following"})
HYPOTHETICAL_MARKS = frozenset({"until", "unless", "if"})
DASHES = ("-", "—", "–", "--")
MENTION_STOPS = frozenset({":", "“", "\"", "«"})
MAX_LABEL_TOKENS = 6
NON_SPEAKER_LABELS = frozenset("""
update note editor editors photo photos video watch read related source sources breaking exclusive
advertisement image caption warning correction clarification listen subscribe follow share tags
analysis opinion live timeline explainer review factbox transcript interview commentary editorial
letters quiz recap podcast graphic chart map gallery contact email tel phone fax address date time
q a
""".split())
# Headline syntax is too compressed for the learned frames ("Fishermen count the cost").
TELEGRAPHIC_REGIONS = ("headline", "standfirst", "heading")
# Complements that carry what a verb attributes when it takes no reported clause.
PREDICATE_DEPS = ("dobj", "dative", "xcomp", "ccomp", "prep", "oprd", "attr", "acomp", "agent")
# "his decision to ...", "her criticism of ...", "critical of ...", "sure that ..."
NOUN_PREDICATE_DEPS = ("acl", "ccomp", "prep", "xcomp")
FINITE_TAGS = ("VBD", "VBZ", "VBP", "MD")


@dataclass
class Draft:
    """A quotation found and attributed, before speakers are resolved."""

    start: int
    end: int
    type: str
    cue: Span | None = None
    speaker: Span | None = None
    speaker_head: Token | None = None  # the head token of the speaker mention, for resolution
    paragraph: int = -1
    parent: int | None = None  # index into the list of drafts of the enclosing quotation
    pullquote: bool = False
    continuation: bool = False
    follows: int | None = None  # index of the draft whose speaker this one inherits


class Tokens:
    """Token lookup by article offset across the parsed paragraphs."""

    def __init__(self, paragraphs: list[Paragraph]) -> None:
        self.paragraphs = paragraphs
        self.starts = [p.region.start for p in paragraphs]
        # A paragraph is a Doc of its own (offset: where it starts) or a slice of one larger Doc
        # (offset 0): either way the offset is a property of the token's Doc.
        self.offsets = {id(getattr(p.doc, "doc", p.doc)): p.offset for p in paragraphs}

    def paragraph_at(self, offset: int) -> int | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and offset <= self.paragraphs[i].region.end:
            return i
        return None

    def pos(self, token: Token) -> int:
        """Article offset of a token."""
        return self._offset(token) + token.idx

    def end(self, token: Token) -> int:
        return self.pos(token) + len(token.text)

    def _offset(self, token: Token) -> int:
        try:
            return self.offsets[id(token.doc)]
        except KeyError:
            raise KeyError("token from an unknown paragraph") from None

    def span(self, first: Token, last: Token, text: str) -> Span:
        s, e = self.pos(first), self.end(last)
        return Span(s, e, text[s:e])

    def within_paragraph(self, first: Token, last: Token, anchor: Token) -> tuple[Token, Token]:
        """Edges moved inside the anchor's paragraph. Only a parse of one Doc for the whole
        article (the spaCy component) can run across a paragraph break."""
        pi = self.paragraph_at(self.pos(anchor))
        paragraph = self.paragraphs[pi].doc if pi is not None else None
        if paragraph is None or paragraph.doc is paragraph or not len(paragraph):
            return first, last
        doc, lo, hi = anchor.doc, paragraph.start, paragraph.end - 1
        return doc[min(max(first.i, lo), hi)], doc[max(min(last.i, hi), lo)]


def _is_cue(token: Token) -> bool:
    return lemma_of(token) in CUE_LEMMAS and token.pos_ in ("VERB", "AUX", "NOUN")


def _subject(verb: Token) -> Token | None:
    """The verb's subject, or the subject of the verb it is chained to (said ..., adding ...)."""
    seen = 0
    first = verb
    while verb is not None and seen < 4:
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS and not c.is_punct]
        if subjects:
            # Two subjects is a misparse ("CLEVELAND - When ..., Trump's advisers were ..."):
            # the one next to the verb is the real one more often than a dateline or a fronted phrase.
            return min(subjects, key=lambda s: abs(s.i - verb.i))
        if verb.i == first.i and verb.tag_ == "VBN" and not any(c.dep_ == "aux" for c in verb.children):
            return None  # "Asked about the deal, Smith said ...": Smith was asked; the asker is not named
        if verb.dep_ in ("advcl", "conj", "xcomp") and verb.head.i != verb.i:
            verb = verb.head
            seen += 1
            continue
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX"):
            verb = verb.head.head  # "began by marveling at ...": the one who began
            seen += 1
            continue
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN") and verb.tag_ == "VBG":
            return verb.head  # "a letter warning that ...", "Smith, speaking on Monday, ..."
        break
    if first.dep_ == "compound" and first.head.pos_ == "PROPN" and first.head.i > first.i:
        return first.head  # "Said Ellis: ..." parsed as a name with "Said" in it
    return _subject_after(first, ("PROPN",))


def _subject_after(verb: Token, pos: tuple[str, ...]) -> Token | None:
    """"«...,» said Pierre Lambert" parsed with the mark as subject: the name after the verb speaks."""
    return next((c for c in verb.rights if c.pos_ in pos and c.dep_ in (
        "dobj", "npadvmod", "attr", "dep", "appos", "nsubj")), None)


def _mention_edges(head: Token) -> tuple[Token, Token]:
    """The speaker mention: the subject's subtree, without trailing punctuation or a clause
    that merely continues the sentence."""
    left, right = head.left_edge, head.right_edge
    doc = head.doc
    while right.i > head.i and (right.is_punct or right.is_space):
        right = doc[right.i - 1]
    while left.i < head.i and (left.is_punct or left.is_space or left.pos_ == "VERB"):
        left = doc[left.i + 1]
    return left, right


def _clause_edges(clause: Token) -> tuple[Token, Token]:
    """A complement clause without its complementizer and outer punctuation."""
    doc = clause.doc
    left, right = clause.left_edge, clause.right_edge
    while left.i < right.i and (left.dep_ == "mark" and left.lower_ in ("that", "whether", "if")
                                or left.is_punct or left.is_space):
        left = doc[left.i + 1]
    while right.i > left.i and (right.is_punct or right.is_space):
        right = doc[right.i - 1]
    return left, right


@dataclass
class Cue:
    verb: Token
    subject: Token | None
    content: tuple[Token, Token] | None  # the reported clause, when the parse shows one
    clausal: bool = True  # False when the content is an object ("called for an inquiry")


def _cues(paragraph: Paragraph) -> list[Cue]:
    """Every attribution cue in a parsed paragraph, with subject and reported clause."""
    found: list[Cue] = []
    doc = paragraph.doc
    for token in doc:
        if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to":
            found.append(_according_to(token))
            continue
        if token.lower_ in HEARSAY_ADVERBS and token.dep_ == "advmod" and token.head.pos_ in ("VERB", "AUX") and (
            token.i < token.head.i
        ):
            # "the company has reportedly taken heat": an unnamed source reports the clause (not
            # "paid large sums - reportedly up to $10,000 - to ...", where it qualifies a phrase)
            left, right = _clause_edges(token.head)
            if right.i - left.i >= MIN_INDIRECT_TOKENS:
                found.append(Cue(token, None, (left, right)))
            continue
        if token.lower_ in NOMINAL_CUE_PREPS and token.dep_ == "prep":
            # "in a statement", "in an interview": the source is the clause's subject; but
            # "in a new poll, 18 percent ...": the poll is
            finding = _in_a_finding(token)
            if finding is not None:
                found.append(finding)
            continue
        if token.pos_ == "NOUN":
            nominal = _nominal_cue(token)
            if nominal is None and paragraph.region.kind not in TELEGRAPHIC_REGIONS:
                nominal = _learned_predicate(token, None)
            if nominal is not None:
                found.append(nominal)
            continue
        if token.pos_ == "ADJ":
            if paragraph.region.kind not in TELEGRAPHIC_REGIONS:
                stance = _learned_predicate(token, None)
                if stance is not None:
                    found.append(stance)
            continue
        if token.pos_ not in ("VERB", "AUX"):
            continue
        listed = _is_cue(token)
        learned = not listed and cue_model.is_cue(token)
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children):
            # "this was confirmed in an interview": the subject is not the source; but "the plan
            # was criticized by unions": the agent is, and the subject what it spoke of
            passive = _passive(token) if listed or learned else None
            if passive is not None:
                found.append(passive)
            continue
        subject = None if _is_raised(token) else _subject(token)
        clauses = [c for c in token.children if c.dep_ == "ccomp"] if listed or learned else []
        clause = clauses[0] if clauses else None
        content: tuple[Token, Token] | None = None
        parenthetical = False
        if clause is None and (listed or learned):
            # "X, he said, Y": the cue is parenthetical to the main clause.
            if token.dep_ in ("parataxis", "advcl", "conj") and token.head.i != token.i and _is_parenthetical(token):
                clause, parenthetical = token.head, True
        if clause is not None:
            left, right = _clause_edges(clause)
            if len(clauses) > 1:  # a parse that splits one complement in two
                right = max((_clause_edges(c)[1] for c in clauses), key=lambda t: t.i)
            if _is_parenthetical(token) and clause.i < token.i:
                # the sentence goes on after ", he said," (a second fragment)
                right = _sentence_end(token)
            content = (left, right)
            if not parenthetical and clause.i > token.i and token.i > left.i:
                content = None  # tangled parse: the complement wraps its own verb
        elif listed or learned:
            # Object content only for speech acts, listed or strongly attested in training: other
            # verbs need a reported clause ("the council approved the budget" reports no speech).
            speech_act = listed and lemma_of(token) in OBJECT_CUE_LEMMAS or cue_model.is_speech_act(token)
            content = (_object_content(token) if speech_act and subject is not None and _is_agent(subject)
                       else None)
            if content is not None:
                found.append(Cue(token, subject, content, clausal=False))
                continue
        if content is None and paragraph.region.kind not in TELEGRAPHIC_REGIONS:
            predicate = _learned_predicate(token, subject)
            if predicate is not None:
                found.append(predicate)
                continue
        if listed or learned:
            found.append(Cue(token, subject, content))
    return found


def _passive(verb: Token) -> Cue | None:
    """"The plan was criticized by unions": the agent is the source, the subject what it spoke
    of. "It was reported that ...", "she is expected to run": a report from no one named."""
    if verb.tag_ != "VBN":
        return None  # a passive is a participle; anything else is a misparse
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    source = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if source is None:
        clause = next((c for c in verb.children if c.dep_ == "xcomp"
                       or c.dep_ == "ccomp" and subject is not None and subject.lower_ == "it"), None)
        return Cue(verb, None, _clause_edges(clause)) if clause is not None else None
    if subject is None or not _is_agent(source):
        return None
    return Cue(verb, source, _trim_punct(subject.left_edge, subject.right_edge), clausal=False)


def _learned_predicate(word: Token, subject: Token | None) -> Cue | None:
    """A verb (or noun) the predicate model reads as attributing its complements to its source
    ("backed the deal", "plans to run again", "Obama's decision to veto the bill")."""
    subject = subject if subject is not None else predicate_source(word)
    if subject is None or not _is_agent(subject):
        return None
    span = predicate_candidate(word, subject)
    if span is None or not cue_model.is_predicate_attribution(word, *span) or _addressee_only(word, *span):
        return None  # "approved the budget", "count the cost": an act, not a stance
    clausal = any(c.dep_ == "ccomp" for c in word.rights if span[0].i <= c.i <= span[1].i)
    return Cue(word, None if _is_raised(word) else subject, span, clausal=clausal)


def _is_raised(verb: Token) -> bool:
    """"X appears to clash with Y", "it seems that ...": the writer's view, X is no source.
    Not "the emails seem to show that ...", where X reports through a verb of saying."""
    if verb.pos_ not in ("VERB", "AUX") or _is_cue(verb):
        return False
    if lemma_of(verb) in RAISING_LEMMAS:
        raised = next((c for c in verb.children if c.dep_ == "xcomp"), None)
        return raised is None or not _is_cue(raised)
    return verb.dep_ == "xcomp" and lemma_of(verb.head) in RAISING_LEMMAS


def _addressee_only(verb: Token, first: Token, last: Token) -> bool:
    """"told reporters", "assured the panel": the object is who was told, and nothing else is
    (not "told a joke", "told voters about the plan", "reminded them of his record")."""
    if lemma_of(verb) not in ADDRESSEE_LEMMAS or has_verb(first, last):
        return False
    objects = [c for c in verb.children if c.dep_ in ("dobj", "dative") and first.i <= c.i <= last.i]
    if not objects or any(lemma_of(o) in TOLD_THINGS for o in objects):
        return False
    return not any(t.dep_ == "prep" and t.lower_ in ("about", "of", "on") for t in verb.doc[first.i : last.i + 1])


def predicate_source(word: Token) -> Token | None:
    """Whose stance a word would report: a verb's active subject, a noun's possessor."""
    if word.pos_ == "NOUN":
        return next((c for c in word.children if c.dep_ == "poss"), None)
    if word.pos_ == "ADJ":
        # "X is critical of ...", "X was sure that ...": the copula's subject holds the view
        return _subject(word.head) if word.dep_ == "acomp" and word.head.pos_ in ("AUX", "VERB") else None
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in word.children):
        return None
    return _subject(word)


def _is_adjunct(prep: Token) -> bool:
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    return prep.lower_ in ADJUNCT_PREPS or any(o.ent_type_ in ("DATE", "TIME") for o in objects)


def predicate_candidate(verb: Token, subject: Token | None = None) -> tuple[Token, Token] | None:
    """The word's complements on its right, up to a coordinated one: what it would attribute,
    when it has a source to attribute them to. Shared with the model's training."""
    if subject is None and predicate_source(verb) is None:
        return None
    stop = next((c.i for c in verb.rights if c.dep_ == "conj"), len(verb.doc))
    deps = NOUN_PREDICATE_DEPS if verb.pos_ in ("NOUN", "ADJ") else PREDICATE_DEPS
    parts = [c for c in verb.rights if c.dep_ in deps and c.i < stop]
    if not parts:
        return None
    # "backed the deal on Tuesday", "criticized it in an interview": when and where are not content
    while len(parts) > 1 and parts[-1].dep_ == "prep" and _is_adjunct(parts[-1]):
        parts.pop()
    return _trim_punct(parts[0].left_edge, parts[-1].right_edge)


def _trim_punct(first: Token, last: Token) -> tuple[Token, Token]:
    """A span without punctuation or whitespace at either edge."""
    doc = first.doc
    while first.i < last.i and (first.is_punct or first.is_space):
        first = doc[first.i + 1]
    while last.i > first.i and (last.is_punct or last.is_space):
        last = doc[last.i - 1]
    return first, last


def _nominal_cue(noun: Token) -> Cue | None:
    """"Trump's claim that ...", "a Times report that ...", "the suggestion by Democrats that ..."."""
    if lemma_of(noun) not in NOUN_CUE_LEMMAS:
        return None
    clause = next((c for c in noun.rights if c.dep_ in ("acl", "relcl", "ccomp")
                   and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
    if clause is None:
        return None
    source = next((c for c in noun.children if c.dep_ == "poss"), None)
    if source is None:
        by = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ == "by"), None)
        source = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
    if source is None:
        source = next((c for c in noun.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"), None)
    if source is None or source.pos_ == "PRON" and source.lower_ not in ("his", "her", "their"):
        return None
    left, right = _clause_edges(clause)
    if right.i - left.i + 1 < MIN_INDIRECT_TOKENS:
        return None
    return Cue(noun, source, (left, right))


def _is_agent(subject: Token) -> bool:
    """Who can perform a speech act: people, organisations, pronouns for them, person nouns;
    not a thing in scare quotes ("the 'caliphate' offered a solution")."""
    if subject.pos_ == "PRON":
        return subject.lower_ not in ("it", "this", "that", "which", "what")
    if subject.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    return not any(t.text in "\"“”‘’'" and t.dep_ != "case" for t in subject.subtree)  # "farmers'" is no mark


def _object_content(verb: Token) -> tuple[Token, Token] | None:
    """What a speech act is about when it takes no clause: "urged Congress to act",
    "called for an inquiry", "criticized the plan"."""
    if verb.tag_ not in FINITE_TAGS and not any(
        c.dep_ == "aux" and c.tag_ in FINITE_TAGS for c in verb.children
    ):
        return None  # a participle ("having pledged allegiance") reports no speech act
    doc = verb.doc
    children = list(verb.rights)
    if any(c.dep_ == "prt" and c.lower_ != "out" for c in children):
        return None  # "called off the strike", "backed down": the particle makes it another verb
    xcomp = next((c for c in children if c.dep_ == "xcomp"), None)
    dobj = next((c for c in children if c.dep_ in ("dobj", "dative")), None)
    prep = next((c for c in children if c.dep_ == "prep" and c.lower_ in ("for", "on", "to")), None)
    if xcomp is not None:
        first = dobj.left_edge if dobj is not None and dobj.i < xcomp.i else xcomp.left_edge
        right = xcomp.right_edge
    elif dobj is not None:
        first, right = dobj.left_edge, dobj.right_edge
    elif prep is not None and any(c.dep_ == "pobj" for c in prep.children):
        pobj = next(c for c in prep.children if c.dep_ == "pobj")
        first, right = pobj.left_edge, pobj.right_edge
    else:
        return None
    while right.i > first.i and (right.is_punct or right.is_space):
        right = doc[right.i - 1]
    if _addressee_only(verb, first, right):
        return None
    words = [t for t in doc[first.i : right.i + 1] if not t.is_punct]
    if not any(t.pos_ in ("NOUN", "PROPN", "VERB") for t in words) or all(
        t.pos_ in ("PRON", "DET") for t in words[:1]
    ) and len(words) == 1:
        return None
    return first, right


def _according_to(token: Token) -> Cue:
    to = token.doc[token.i + 1]
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    return Cue(token, source, _rest_of_sentence(token, source.right_edge if source is not None else to))


def _in_a_finding(prep: Token) -> Cue | None:
    """"In a new poll, 18 percent back ...", "Smith leads by 20 points in the Fox poll": a poll or
    study reports what the clause it modifies says, unless someone in that clause says it."""
    source = next((c for c in prep.children if c.dep_ == "pobj"), None)
    head = prep.head
    if source is None or lemma_of(source) not in FINDING_NOUNS or head.pos_ not in ("VERB", "AUX"):
        return None
    if head.dep_ in ("acl", "relcl", "amod"):
        return None  # "the voters surveyed in a new poll": a description, not the finding
    if any(_is_cue(t) and t.pos_ in ("VERB", "AUX") and _subject(t) is not None for t in prep.sent):
        return None  # "the agency said in a report that ...": the agency is the source
    content = _rest_of_sentence(prep, source.right_edge)
    return Cue(prep, source, content) if content is not None else None


def _rest_of_sentence(phrase: Token, phrase_end: Token) -> tuple[Token, Token] | None:
    """The sentence after a phrase that opens it, or before one that ends it."""
    doc = phrase.doc
    sent = phrase.sent
    if phrase.i <= sent.start + 1:
        first, last = doc[min(phrase_end.i + 1, sent.end - 1)], doc[sent.end - 1]
    else:
        first, last = doc[sent.start], doc[max(phrase.i - 1, sent.start)]
    first, last = _trim_punct(first, last)
    return (first, last) if last.i - first.i >= MIN_INDIRECT_TOKENS else None


def _is_parenthetical(verb: Token) -> bool:
    """", he said," or ", said the official,": the cue sits between commas mid-sentence."""
    doc = verb.doc
    sent = verb.sent
    left = verb.i - 1
    while left >= sent.start and doc[left].dep_ in SUBJECT_DEPS + ("det", "compound", "amod", "poss") :
        left -= 1
    right = verb.i + 1
    while right < sent.end and doc[right].head.i == verb.i and doc[right].dep_ in SUBJECT_DEPS + ("dobj",):
        right = doc[right].right_edge.i + 1
    return (left >= sent.start and doc[left].text == "," and right < sent.end - 1
            and doc[right].text == ",")


def _sentence_end(token: Token) -> Token:
    sent = token.sent
    last = sent[-1]
    doc = token.doc
    while last.i > token.i and (last.is_punct or last.is_space):
        last = doc[last.i - 1]
    return last


class Attributor:
    def __init__(self, document: Document, paragraphs: list[Paragraph], marked: list[Marked]) -> None:
        self.text = document.text
        self.document = document
        self.paragraphs = paragraphs
        self.marked = marked
        self.tokens = Tokens(paragraphs)
        self.cues: list[list[Cue]] = [_cues(p) for p in paragraphs]
        self.regions = document.regions
        self.region_starts = [r.start for r in self.regions]

    # ------------------------------------------------------------------ helpers
    def _mention(self, subject: Token | None, limit: int | None = None) -> tuple[Span | None, Token | None]:
        if subject is None:
            return None, None
        head = subject
        if subject.lower_ in RELATIVE_PRONOUNS:
            # "X, who said ...": the mention is "who"; resolution starts from X, which it stands for
            return self.tokens.span(subject, subject, self.text), _antecedent(subject)
        if subject.pos_ == "PRON":
            left = right = subject
        else:
            left, right = _mention_edges(head)
            right = _cut_clauses(head, right)
            stop = next((t for t in head.doc[head.i + 1 : right.i + 1] if t.text in MENTION_STOPS), None)
            if stop is not None:  # a mention never runs on into a colon or a quotation
                right = head.doc[max(head.i, stop.i - 1)]
            left, head = _past_dateline(left, right, head)
            left, right = self.tokens.within_paragraph(left, right, head)
        if limit is not None:
            while right.i > head.i and self.tokens.end(right) > limit:
                right = right.doc[right.i - 1]
        return self.tokens.span(left, right, self.text), head

    def _cue_span(self, cue: Cue) -> Span:
        verb = cue.verb
        last = verb
        if lemma_of(verb) == "accord":
            last = verb.doc[verb.i + 1]
        elif verb.i + 1 < len(verb.doc) and verb.doc[verb.i + 1].dep_ == "prt":
            last = verb.doc[verb.i + 1]  # "pointed out"
        return self.tokens.span(verb, last, self.text)

    def _cue_after(self, m: Marked, pi: int, bound: int | None = None) -> Cue | None:
        """“...,” said X. / “...,” X told Y. / “...” — X said."""
        if m.close_at is None:
            return None
        pi = self.tokens.paragraph_at(m.close_at) or pi
        limit = self.tokens.end(self.paragraphs[pi].doc[-1])
        window = self.text[m.close_at + 1 : min(limit, m.close_at + 120)]
        for cue in self.cues[pi]:
            vpos = self.tokens.pos(cue.verb)
            if vpos <= m.close_at:
                continue
            if bound is not None and vpos >= bound:
                break
            between = self.text[m.close_at + 1 : vpos]
            if _ends_sentence(between):
                break
            subject_first = cue.subject is not None and cue.subject.i < cue.verb.i and (
                self.text[m.close_at + 1 : self.tokens.pos(cue.subject.left_edge)].strip(" ,\u00a0'’\u200b") == ""
            )
            if not subject_first and (len(between) > len(window) or len(between.split()) > 6):
                break
            if cue.subject is not None and self.tokens.pos(cue.subject) < m.open_at:
                break  # "X said ... “...” and promised": a second verb of the clause before the quote
            if cue.subject is not None and self.tokens.pos(cue.subject) < m.close_at:
                # “... Full panic mode,” said Leslie Wimes: the parse took the quotation as subject
                cue = replace(cue, subject=_subject_after(cue.verb, ("PROPN", "NOUN")))
            if lemma_of(cue.verb) in STRONG_SPEECH_LEMMAS or lemma_of(cue.verb) == "accord":
                return cue
            if self.text[m.start : m.end].rstrip()[-1:] in ",?!" and len(between.split()) <= 3 and not any(
                w in ("and", "but", "or", "then") for w in between.lower().split()
            ):
                return cue  # “...,” she continued. / “...!” he shouted: the verb attributes what it follows
        return None

    def _cue_before(self, m: Marked, pi: int) -> Cue | None:
        """X said: “...” / He said, “...” / X told reporters “...”."""
        before = self.text[self.paragraphs[pi].region.start : m.open_at].rstrip()
        if not before:
            return None
        best = None
        for cue in self.cues[pi]:
            vend = self.tokens.end(cue.verb)
            if vend > m.open_at:
                break
            gap = self.text[vend : m.open_at]
            if _ends_sentence(gap) or len(gap.split()) > 8:
                continue
            if lemma_of(cue.verb) in STRONG_SPEECH_LEMMAS or gap.rstrip()[-1:] in (":", ","):
                best = cue
        if best is None:
            return None
        # Only when the clause leads into the quotation: a colon, a comma, or nothing at all.
        if before[-1] in ":,—–-" or self.text[self.tokens.end(best.verb) : m.open_at].strip() == "":
            return best
        if best.content is not None and self.tokens.pos(best.content[0]) >= m.open_at:
            return best
        return None

    def _is_quotation(self, m: Marked) -> bool:
        """A real quotation rather than scare quotes or a title."""
        words = self.text[m.start : m.end].split()
        region = self.regions_by_offset(m.open_at)
        starts_paragraph = region is not None and m.open_at == region.start
        ends_sentence = self.text[m.end - 1] in ".,!?…:;-—" if m.end > m.start else False
        if len(words) >= 8:
            return True
        if len(words) >= 3 and (starts_paragraph or ends_sentence):
            return True
        return False

    def regions_by_offset(self, offset: int):
        i = bisect.bisect_right(self.region_starts, offset) - 1
        if i >= 0 and offset < self.regions[i].end:
            return self.regions[i]
        return None

    # ------------------------------------------------------------------ main
    def run(self) -> list[Draft]:
        drafts: list[Draft] = []
        used_cues: set[tuple[int, int]] = set()  # (paragraph, verb index) spent on a direct quote
        attributed: list[Marked] = []
        pending: list[tuple[Marked, int]] = []  # quotation-like spans with no cue of their own
        fragments: list[Marked] = []
        # 1. Quotations with a cue next to them.
        for m in self.marked:
            pi = self.tokens.paragraph_at(m.open_at)
            region = self.regions_by_offset(m.open_at)
            if region is not None and region.kind == "pullquote":
                drafts.append(self._pullquote(m, region))
                continue
            if pi is None:
                continue
            if m.parent is not None and not any(a.start <= m.start and m.end <= a.end for a in attributed
                                                if a.parent is None):
                if not any(p.start <= m.start and m.end <= p.end for p, _ in pending):
                    continue
            bound = self.marked[m.parent].end if m.parent is not None else None
            credit = self._dash_credit(m) if m.parent is None else None
            if credit is not None:
                drafts.append(Draft(m.start, m.end, "direct", paragraph=pi, speaker=credit))
                attributed.append(m)
                continue
            cue = after = self._cue_after(m, pi, bound)
            if after is None or after.subject is None:
                # “...,” referring to ...: a participle after the quote names no one; "He vowed, “...”" does
                cue = self._cue_before(m, pi) or after
                if after is not None:
                    used_cues.add((pi, after.verb.i))
            if cue is None:
                if m.parent is None:
                    (pending if self._is_quotation(m) else fragments).append(m if not self._is_quotation(m)
                                                                            else (m, pi))
                continue
            used_cues.add((pi, cue.verb.i))
            draft = Draft(m.start, m.end, "direct", paragraph=pi, cue=self._cue_span(cue))
            draft.speaker, draft.speaker_head = self._mention(cue.subject, limit=None)
            if m.parent is not None:
                draft.parent = -1  # fixed below, once all drafts are known
            else:
                attributed.append(m)
            drafts.append(draft)
        # 2. Reported speech; a quotation-like span inside its clause is a fragment of it.
        reported = self._reported_speech(used_cues)
        direct = [(m.start, m.end) for m in attributed]
        for m, pi in pending:
            if any(s <= m.open_at < e and m.end > s for s, e, _, _ in reported):
                fragments.append(m)
            else:
                drafts.append(Draft(m.start, m.end, "direct", paragraph=pi))
                direct.append((m.start, m.end))
        self._add_reported(drafts, reported, direct, fragments)
        self._labelled_turns(drafts)
        drafts.sort(key=lambda d: (d.start, -d.end))
        self._link(drafts)
        return drafts

    def _labelled_turns(self, drafts: list[Draft]) -> None:
        """"WALLACE: Let's start ...", "Sanders: Clinton needs a plan": a paragraph that opens with
        a name and a colon is that person's turn, in transcripts and in headlines."""
        for pi, paragraph in enumerate(self.paragraphs):
            label = _speaker_label(paragraph.doc)
            if label is None:
                continue
            colon, last = label
            doc = paragraph.doc
            end = doc[-1]
            while end.i > colon.i and (end.is_space or end.is_punct and end.text not in "”\"’'"):
                end = doc[end.i - 1]
            start, stop = self.tokens.end(colon), self.tokens.end(end)
            while start < stop and self.text[start] in " \t\u00a0“\"‘'":
                start += 1
            speaker = self.tokens.span(doc[0], last, self.text)
            cue = self.tokens.span(colon, colon, self.text)
            overlapping = [d for d in drafts if d.start < stop and start < d.end]
            for d in overlapping:
                if d.speaker is None and d.type == "direct":
                    d.speaker, d.speaker_head, d.cue = speaker, last, cue
            if not overlapping and start < stop:
                drafts.append(Draft(start, stop, "indirect", cue=cue, speaker=speaker, speaker_head=last,
                                    paragraph=pi))

    def _dash_credit(self, m: Marked) -> Span | None:
        """“...” ― Name: a quotation credited with a dash, as epigraphs and reader comments are."""
        if m.close_at is None:
            return None
        found = _DASH_CREDIT.match(self.text, m.close_at + 1)
        if not found:
            return None
        s, e = found.span("name")
        return Span(s, e, self.text[s:e])

    def _pullquote(self, m: Marked, region) -> Draft:
        draft = Draft(m.start, m.end, "direct", pullquote=True)
        credit = next((r for r in self.regions if r.start > region.end and r.kind == "pullquote_credit"), None)
        if credit is not None:
            line = self.text[credit.start : credit.end]
            name_start = credit.start + len(line) - len(line.lstrip("-–— "))
            comma = self.text.find(",", name_start, credit.end)
            name_end = comma if comma != -1 else credit.end
            draft.speaker = Span(name_start, name_end, self.text[name_start:name_end])
        return draft

    def _reported_speech(self, used: set[tuple[int, int]]) -> list[tuple[int, int, Cue, int]]:
        """Cues with a reported clause. A cue inside another's clause is kept too: "Aides said the
        senator plans to run" attributes the plan to the senator inside the aides' report."""
        candidates: list[tuple[int, int, Cue, int]] = []
        for pi, cues in enumerate(self.cues):
            for cue in cues:
                if (pi, cue.verb.i) in used or cue.content is None:
                    continue
                first, last = self.tokens.within_paragraph(*cue.content, cue.verb)
                if cue.clausal and (last.i - first.i + 1 < MIN_INDIRECT_TOKENS or not has_verb(first, last)):
                    continue
                if _is_anonymity_formula(first, last) or _is_hypothetical(cue.verb):
                    continue
                candidates.append((self.tokens.pos(first), self.tokens.end(last), cue, pi))
        return candidates

    def _add_reported(
        self, drafts: list[Draft], reported: list[tuple[int, int, Cue, int]], direct: list[tuple[int, int]],
        fragments: list[Marked],
    ) -> None:
        direct_index = _SpanIndex(direct)
        fragment_index = _SpanIndex([(f.open_at, f.end) for f in fragments])
        for s, e, cue, pi in reported:
            vpos = self.tokens.pos(cue.verb)
            near = direct_index.overlapping(s, e)
            inside = next(((ds, de) for ds, de in direct_index.overlapping(vpos, vpos + 1)), None)
            if inside is not None:
                # Reported speech inside a quotation: kept only for plain speech by a third party.
                if lemma_of(cue.verb) not in ("say", "tell") or not cue.clausal or cue.subject is None or (
                    cue.subject.lower_ in FIRST_SECOND_PRONOUNS
                ):
                    continue
                if not (inside[0] <= s and e <= inside[1]):
                    continue
            else:
                overlap = sum(max(0, min(e, de) - max(s, ds)) for ds, de in near)
                if overlap > 0.3 * (e - s):
                    continue
            qtype = "indirect"
            held = [(o, fe) for o, fe in fragment_index.overlapping(s, e + 2) if s <= o < e + 2]
            if held:
                qtype = "mixed"
                # The content runs to the end of the quoted fragment it holds, marks excluded.
                e = max([e] + [fe for _, fe in held])
            draft = Draft(s, e, qtype, paragraph=pi, cue=self._cue_span(cue))
            draft.speaker, draft.speaker_head = self._mention(cue.subject)
            if inside is not None:
                draft.parent = -1
            drafts.append(draft)

    def _earlier_cue(self, d: Draft) -> Cue | None:
        """"X called him a master of the deal. “He showed ...”": a quotation after a sentence
        whose subject performed a speech act speaks for that subject."""
        if d.paragraph < 0 or d.paragraph >= len(self.cues):
            return None
        before = [c for c in self.cues[d.paragraph]
                  if c.subject is not None and self.tokens.end(c.verb) <= d.start and c.verb.pos_ != "NOUN"]
        if not before:
            return None
        cue = before[-1]
        if cue.verb.sent.end < len(cue.verb.doc) and self.tokens.pos(cue.verb.doc[cue.verb.sent.end - 1]) > d.start:
            return None
        return cue if _is_agent(cue.subject) and cue.subject.lower_ not in FIRST_SECOND_PRONOUNS else None

    def _colon_intro(self, pi: int) -> Cue | None:
        """A paragraph ending "X continued:" or "She told the crowd:" introduces the next one."""
        if pi <= 0 or pi > len(self.paragraphs):
            return None
        previous = self.paragraphs[pi - 1]
        if not self.text[previous.region.start : previous.region.end].rstrip().endswith(":"):
            return None
        last_sentence = list(previous.doc.sents)[-1]
        verb = last_sentence.root
        subject = _subject(verb) if verb.pos_ in ("VERB", "AUX") else None
        if subject is None:
            return None
        return Cue(verb, subject, None)

    def _link(self, drafts: list[Draft]) -> None:
        """Parents of nested quotations; speakers of continuations and second fragments."""
        for i, d in enumerate(drafts):
            if d.parent == -1:
                d.parent = next(
                    (j for j in range(i - 1, -1, -1)
                     if drafts[j].start <= d.start and d.end <= drafts[j].end and drafts[j].parent is None),
                    None,
                )
        previous: int | None = None
        for i, d in enumerate(drafts):
            if d.parent is not None or d.pullquote:
                continue
            if d.cue is None and d.speaker is None and previous is not None:
                prev = drafts[previous]
                same_paragraph = prev.paragraph == d.paragraph
                region = self.regions_by_offset(d.start)
                opens_paragraph = region is not None and self.text[region.start] in "“\"‘'«" and (
                    d.start - region.start <= 2
                )
                intro = self._colon_intro(d.paragraph) if opens_paragraph else self._earlier_cue(d)
                if same_paragraph and d.start >= prev.end:
                    # "X said Y. “Z.”": the next quotation in the paragraph is X's too
                    d.follows, d.cue, d.speaker, d.speaker_head = previous, prev.cue, prev.speaker, prev.speaker_head
                elif intro is not None:
                    d.cue, (d.speaker, d.speaker_head) = self._cue_span(intro), self._mention(intro.subject)
                elif opens_paragraph and d.paragraph - prev.paragraph <= 1 and prev.type in ("direct", "mixed"):
                    d.follows, d.continuation = previous, True
            elif d.cue is None and d.speaker is None:
                region = self.regions_by_offset(d.start)
                opens = region is not None and d.start - region.start <= 2
                intro = self._colon_intro(d.paragraph) if opens else self._earlier_cue(d)
                if intro is not None:
                    d.cue, (d.speaker, d.speaker_head) = self._cue_span(intro), self._mention(intro.subject)
            if d.cue is not None or d.follows is not None:
                previous = i


class _SpanIndex:
    """(start, end) spans sorted by start, for the spans overlapping a range without a full scan."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.longest = max((e - s for s, e in self.spans), default=0)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        lo = bisect.bisect_left(self.starts, start - self.longest)
        hi = bisect.bisect_left(self.starts, end)
        return [(s, e) for s, e in self.spans[lo:hi] if s < end and e > start]


_DASH_CREDIT = re.compile(
    r"[ \t\u00a0]*[―—–][ \t\u00a0]*(?P<name>[A-Z][\w.'’-]*(?:[ \u00a0][A-Z][\w.'’-]*){0,4})[ \t\u00a0]*(?=[“\"\n]|$)"
)
_SENTENCE_BREAK = re.compile(r"(?<![A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z][a-z])[.?!](?=\s|$)|[“\"‘]")


def _speaker_label(doc) -> tuple[Token, Token] | None:
    """The colon and the label's last token when a paragraph opens "Name:" or "NAME:" and goes on
    for a few words; section labels ("Update:", "Photo:") and Q/A letters are not speakers."""
    colon = next((t for t in doc[:MAX_LABEL_TOKENS + 1] if t.text == ":"), None)
    if colon is None or colon.i == 0 or len([t for t in doc[colon.i + 1 :] if t.is_alpha]) < 3:
        return None
    label = [t for t in doc[: colon.i] if not t.is_punct]
    if not label or label[0].lower_ in NON_SPEAKER_LABELS or not all(
        t.is_title or t.is_upper or not t.is_alpha for t in label
    ) or any(t.pos_ in ("VERB", "AUX") for t in label):
        return None  # "Said Ellis:" is a cue with its subject, not a label
    if not any(t.is_alpha and len(t) > 1 for t in label):
        return None
    return colon, label[-1]


def _ends_sentence(stretch: str) -> bool:
    """A sentence end or a new quotation in the stretch between a quote and a cue
    (the stops of "Mr." and "U.S." do not count)."""
    return bool(_SENTENCE_BREAK.search(stretch))


_ANONYMITY = re.compile(r"^(?:not\s+to\s+be\s+(?:named|identified|quoted)|anonymity\b)", re.I)


def _past_dateline(left: Token, right: Token, head: Token) -> tuple[Token, Token]:
    """"CLEVELAND - Donald Trump's advisers were ...": the parse folds the dateline into the
    subject; the mention starts after the dash, headed by what the dash's right side hangs on."""
    start = after_dateline(left, right)
    if start is left or head.i >= start.i:
        return start, head
    doc = left.doc
    inside = [t for t in doc[start.i : right.i + 1] if not (start.i <= t.head.i <= right.i) or t.head.i == t.i]
    return start, next((t for t in inside if t.pos_ in ("NOUN", "PROPN")), head)


def after_dateline(left: Token, right: Token) -> Token:
    """The first token after an all-capitals dateline and its dash within ``left..right``, or ``left``."""
    doc = left.doc
    dash = next((t for t in doc[left.i : right.i] if t.text in DASHES), None)
    if dash is None:
        return left
    before = [t for t in doc[left.i : dash.i] if not t.is_punct]
    if not before or not all(t.is_upper or not t.is_alpha for t in before) or not any(t.is_alpha for t in before):
        return left
    return doc[dash.i + 1]


def _is_hypothetical(verb: Token) -> bool:
    """"until ministers agreed to meet them", "if he says yes": a condition or a time, not a report."""
    return verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS for c in verb.children)


def _is_anonymity_formula(first: Token, last: Token) -> bool:
    """"who asked not to be named": wire copy's reason for anonymity, not what was said."""
    return bool(_ANONYMITY.match(first.doc[first.i : last.i + 1].text))


def _antecedent(relative: Token) -> Token:
    """The noun a relative pronoun stands for: the relative clause's head, or failing a clean
    parse, the nearest noun before it outside any parenthesis."""
    if relative.head.dep_ == "relcl" and relative.head.head.pos_ in ("NOUN", "PROPN"):
        return relative.head.head
    doc = relative.doc
    depth = 0
    for i in range(relative.i - 1, max(-1, relative.i - 40), -1):
        t = doc[i]
        if t.text == ")":
            depth += 1
        elif t.text == "(":
            depth -= 1
        elif depth == 0 and t.pos_ in ("PROPN", "NOUN"):
            return t
    return relative


def _noun_phrase(head: Token) -> tuple[Token, Token]:
    left = head
    doc = head.doc
    while left.i > 0 and doc[left.i - 1].head.i == head.i and doc[left.i - 1].dep_ in (
        "compound", "amod", "det", "poss", "nmod", "nummod", "punct"
    ) and doc[left.i - 1].text not in ",(":
        left = doc[left.i - 1]
    while left.i < head.i and left.is_punct:
        left = doc[left.i + 1]
    return left, head


def _cut_clauses(head: Token, right: Token) -> Token:
    """Drop a participial or relative clause hung on a name after a comma ("said X, listing ...")."""
    doc = head.doc
    for child in head.rights:
        if child.dep_ in ("acl", "relcl", "advcl", "conj", "cc") and child.left_edge.i > head.i:
            prev = doc[child.left_edge.i - 1]
            if prev.text in ",(" or child.dep_ in ("conj", "cc"):
                end = prev.i - 1 if prev.text in ",(" else child.left_edge.i - 1
                return doc[max(head.i, min(end, right.i))]
    return right


def attribute(document: Document, paragraphs: list[Paragraph], marked: list[Marked]) -> list[Draft]:
    """Turn marked spans and parsed cues into attributed quotation drafts."""
    return Attributor(document, paragraphs, marked).run()
