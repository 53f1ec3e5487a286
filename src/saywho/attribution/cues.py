"""Cues: every word in a parsed paragraph that attributes content to a source, with that source
and the content the parse shows.

Verbs of saying from the lexicon, verbs the learned cue model scores as cues, "according to",
"in a new poll", hearsay adverbs ("reportedly"), nouns with a that-clause ("his claim that ..."),
passives of saying ("was criticized by X") and, through the learned predicate model, stances and
plans ("backed the deal", "plans to run", "Obama's decision to ...", "critical of ...").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..deptree import (
    clause_edges,
    has_verb,
    is_parenthetical,
    sentence_end,
    subject_after,
    subject_of,
    trim_punct,
)
from ..lexicon import (
    ADDRESSEE_LEMMAS,
    CUE_LEMMAS,
    DOCUMENT_NOUNS,
    FINDING_NOUNS,
    HEARSAY_ADVERBS,
    INANIMATE_NOUNS,
    NOMINAL_CUE_PREPS,
    NOUN_CUE_LEMMAS,
    OBJECT_CUE_LEMMAS,
    RAISING_LEMMAS,
    TOLD_THINGS,
)
from ..nlp import lemma_of
from . import learned

if TYPE_CHECKING:
    from spacy.tokens import Token

    from ..types import Paragraph

MIN_INDIRECT_TOKENS = 3  # a reported clause shorter than this is a fragment, not content
ADJUNCT_PREPS = frozenset({"in", "at", "during", "after", "before", "since", "until", "amid", "while", "following"})
# Headline syntax is too compressed for the learned frames ("Fishermen count the cost").
TELEGRAPHIC_REGIONS = ("headline", "standfirst", "heading")
# Complements that carry what a verb attributes when it takes no reported clause.
PREDICATE_DEPS = ("dobj", "dative", "xcomp", "ccomp", "prep", "oprd", "attr", "acomp", "agent")
# "his decision to ...", "her criticism of ...", "critical of ...", "sure that ..."
NOUN_PREDICATE_DEPS = ("acl", "ccomp", "prep", "xcomp")
FINITE_TAGS = ("VBD", "VBZ", "VBP", "MD")
# Numbers and percentages can speak ("18 percent said", "two of them told ..."): polls and counts.
NON_AGENT_ENTITIES = ("QUANTITY", "MONEY", "DATE", "TIME", "ORDINAL", "EVENT")


@dataclass
class Cue:
    """A word that attributes content to a source: a verb ("said"), a noun ("claim"), an adjective
    ("critical"), a preposition ("according to", "in a new poll") or an adverb ("reportedly")."""

    word: Token
    subject: Token | None
    content: tuple[Token, Token] | None  # the reported clause, when the parse shows one
    clausal: bool = True  # False when the content is an object ("called for an inquiry")


def is_listed_cue(token: Token) -> bool:
    """A verb (or noun) of saying or believing from the lexicon."""
    return lemma_of(token) in CUE_LEMMAS and token.pos_ in ("VERB", "AUX", "NOUN")


def find_cues(paragraph: Paragraph) -> list[Cue]:
    """Every attribution cue in a parsed paragraph, with subject and reported clause."""
    found: list[Cue] = []
    doc = paragraph.doc
    for token in doc:
        if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to":
            found.append(_according_to(token))
            continue
        if token.lower_ in HEARSAY_ADVERBS and token.dep_ == "advmod" and token.head.pos_ in ("VERB", "AUX") and (
            token.i < token.head.i and token.head.dep_ not in ("acl", "amod", "relcl")
        ):
            # "the company has reportedly taken heat": an unnamed source reports the clause (not
            # "paid large sums - reportedly up to $10,000 - to ..." or "the $20 reportedly demanded by
            # Ferro", where it qualifies a phrase)
            left, right = clause_edges(token.head)
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
        listed = is_listed_cue(token)
        scored = not listed and learned.is_cue(token)
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children):
            # "this was confirmed in an interview": the subject is not the source; but "the plan
            # was criticized by unions": the agent is, and the subject what it spoke of
            passive = _passive(token) if listed or scored else None
            if passive is not None:
                found.append(passive)
            continue
        subject = None if _is_raised(token) else _cue_subject(token, listed)
        clauses = [c for c in token.children if c.dep_ == "ccomp"] if listed or scored else []
        clause = clauses[0] if clauses else (_clause_on_the_medium(token) if listed else None)
        content: tuple[Token, Token] | None = None
        parenthetical = False
        if clause is None and (listed or scored):
            # "X, he said, Y": the cue is parenthetical to the main clause.
            if token.dep_ in ("parataxis", "advcl", "conj") and token.head.i != token.i and is_parenthetical(token):
                clause, parenthetical = token.head, True
            else:
                content = _as_clause_content(token, subject) or _fronted_content(token, subject)
        if clause is not None:
            left, right = clause_edges(clause)
            if len(clauses) > 1:  # a parse that splits one complement in two
                right = max((clause_edges(c)[1] for c in clauses), key=lambda t: t.i)
            if is_parenthetical(token) and clause.i < token.i:
                # the sentence goes on after ", he said," (a second fragment)
                right = sentence_end(token)
            content = (left, right)
            if not parenthetical and clause.i > token.i and token.i > left.i:
                content = None  # tangled parse: the complement wraps its own verb
        elif (listed or scored) and content is None:
            # Object content only for speech acts, listed or strongly attested in training: other
            # verbs need a reported clause ("the council approved the budget" reports no speech).
            speech_act = listed and lemma_of(token) in OBJECT_CUE_LEMMAS or learned.is_speech_act(token)
            content = (_object_content(token) if speech_act and subject is not None and is_agent(subject)
                       else None)
            if content is not None:
                found.append(Cue(token, subject, content, clausal=False))
                continue
        if content is None and paragraph.region.kind not in TELEGRAPHIC_REGIONS:
            predicate = _learned_predicate(token, subject)
            if predicate is not None:
                found.append(predicate)
                continue
        if listed or scored:
            found.append(Cue(token, subject, content))
    return found


def _cue_subject(verb: Token, listed: bool) -> Token | None:
    """The verb's source: its subject in the parse, or the one a misparse hid (the helpers
    below); a listed verb of saying gets the checks that need the lexicon's certainty."""
    if listed and verb.tag_ == "VBG" and verb.dep_ == "advcl" and verb.head.dep_ == "ccomp" and (
            is_listed_cue(verb.head.head)):
        # "Pompeo said that Washington had concluded ..., saying he trusted ...": the
        # participle goes on with the speaker, not with the subject of what he reported
        speaker = subject_of(verb.head.head)
        if speaker is not None:
            return speaker
    return (_capitalised_modifier(verb) if listed else None) or subject_of(verb) or _misparsed_subject(verb) or (
        _inverted_subject(verb) if listed else None)


def _capitalised_modifier(verb: Token) -> Token | None:
    """"but Early still says ...": a capitalised word mid-sentence that the tagger read as an
    adverb or an adjective before a verb with no subject of its own is a name (a surname that is
    also a word: Early, Young, Bright, Swift)."""
    if verb.tag_ not in ("VBZ", "VBD", "VBP") or any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children):
        return None
    for c in (t for left in verb.lefts if left.dep_ in ("advmod", "npadvmod") for t in left.subtree):
        if c.dep_ in ("advmod", "npadvmod", "amod") and c.pos_ in ("ADV", "ADJ") and c.is_alpha and (
                c.text[:1].isupper() and not c.text.isupper() and c.i > c.sent.start
                and (not c.doc[c.i - 1].is_punct or c.doc[c.i - 1].text == ",")):
            return c
    return None


def _inverted_subject(verb: Token) -> Token | None:
    """"..., said another witness in the probe, former adviser Fiona Hill" and "..., said the
    company's recently named chair Marcelo Claure in an email": after the reported clause, the
    words after the verb are its subject whatever the parse made of them (an object, a clause)."""
    if not any(c.dep_ == "ccomp" and c.i < verb.i for c in verb.children) or verb.i + 1 >= verb.sent.end:
        return None
    after = subject_after(verb, ("PROPN", "NOUN"))
    if after is not None:
        return after
    last = None
    for t in verb.doc[verb.i + 1 : verb.sent.end]:
        if t.is_punct or t.dep_ == "prep" or t.pos_ in ("VERB", "AUX") and t.tag_ != "VBN":
            break
        if t.pos_ in ("PROPN", "NOUN"):
            last = t
    return last


def _misparsed_subject(verb: Token) -> Token | None:
    """A subject the parse lost: "The company, which ..., confirmed that ..." parsed as a noun
    modified by a finite verb (a participle modifies, a finite verb predicates); "issued a
    statement warning that ...": the statement warns (and speaks for its issuer)."""
    head = verb.head
    if verb.dep_ != "acl" or head.i >= verb.i or head.pos_ not in ("NOUN", "PROPN"):
        return None
    if verb.tag_ in ("VBD", "VBZ", "VBP") and head.dep_ == "ROOT":
        return head
    if verb.tag_ == "VBG" and lemma_of(head) in DOCUMENT_NOUNS:
        return head
    return None


def _clause_on_the_medium(verb: Token) -> Token | None:
    """"told The Hill in a statement that her client did not intend ...": the parse hangs the
    reported clause on the statement; a "that" clause with its own subject is the verb's."""
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in NOMINAL_CUE_PREPS:
            continue
        for medium in (c for c in prep.children if c.dep_ == "pobj"):
            for c in medium.children:
                if c.dep_ in ("acl", "ccomp") and c.i > medium.i and any(m.dep_ == "mark" and m.lower_ == "that"
                                                                        for m in c.children) and any(
                        s.dep_ in ("nsubj", "nsubjpass") for s in c.children):
                    return c
    return None


def _as_clause_content(verb: Token, subject: Token | None) -> tuple[Token, Token] | None:
    """"As Gupta noted at the time, the disease meant ...": a fronted "as" clause attributes the
    clause it leads into."""
    head = verb.head
    if subject is None or verb.dep_ != "advcl" or verb.i > head.i or head.pos_ not in ("VERB", "AUX") or not any(
        c.dep_ == "mark" and c.lower_ == "as" for c in verb.children
    ):
        return None
    doc = verb.doc
    first, last = doc[min(verb.right_edge.i + 1, head.right_edge.i)], clause_edges(head)[1]
    first, last = trim_punct(first, last)
    return (first, last) if last.i - first.i + 1 >= MIN_INDIRECT_TOKENS else None


def _fronted_content(verb: Token, subject: Token | None) -> tuple[Token, Token] | None:
    """"As yet, there is no evidence ..., the commission said.": a fronted clause the parse hangs
    on the verb as a modifier (no subordinator: no "when", "if" or "after") is what was said
    when the sentence ends with the subject and the verb."""
    if subject is None or verb.dep_ != "ROOT" or subject.i > verb.i:
        return None
    doc = verb.doc
    after = [t for t in doc[verb.i + 1 : verb.sent.end] if not t.is_punct and not t.is_space]
    if any(t.head.i == verb.i and t.dep_ not in ("prep", "npadvmod", "advmod") for t in after):
        return None
    for c in verb.children:
        if c.dep_ in ("advcl", "parataxis") and c.right_edge.i < subject.left_edge.i and not any(
            m.dep_ == "mark" or m.dep_ == "advmod" and m.tag_ == "WRB" for m in c.children
        ) and doc[c.right_edge.i + 1].text == "," and c.right_edge.i + 1 == subject.left_edge.i - 1:
            first, last = clause_edges(c)
            if last.i - first.i + 1 >= MIN_INDIRECT_TOKENS:
                return first, last
    return None


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
        return Cue(verb, None, clause_edges(clause)) if clause is not None else None
    if subject is None or not is_agent(source):
        return None
    return Cue(verb, source, trim_punct(subject.left_edge, subject.right_edge), clausal=False)


def _learned_predicate(word: Token, subject: Token | None) -> Cue | None:
    """A verb (or noun) the predicate model reads as attributing its complements to its source
    ("backed the deal", "plans to run again", "Obama's decision to veto the bill")."""
    subject = subject if subject is not None else predicate_source(word)
    if subject is None or not is_agent(subject):
        return None
    span = predicate_candidate(word, subject)
    if span is None or not learned.is_predicate_attribution(word, *span) or _addressee_only(word, *span):
        return None  # "approved the budget", "count the cost": an act, not a stance
    clausal = any(c.dep_ == "ccomp" for c in word.rights if span[0].i <= c.i <= span[1].i)
    return Cue(word, None if _is_raised(word) else subject, span, clausal=clausal)


def _is_raised(verb: Token) -> bool:
    """"X appears to clash with Y", "it seems that ...": the writer's view, X is no source.
    Not "the emails seem to show that ...", where X reports through a verb of saying."""
    if verb.pos_ not in ("VERB", "AUX") or is_listed_cue(verb):
        return False
    if lemma_of(verb) in RAISING_LEMMAS:
        raised = next((c for c in verb.children if c.dep_ == "xcomp"), None)
        return raised is None or not is_listed_cue(raised)
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
        return subject_of(word.head) if word.dep_ == "acomp" and word.head.pos_ in ("AUX", "VERB") else None
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in word.children):
        return None
    return subject_of(word)


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
    return trim_punct(parts[0].left_edge, parts[-1].right_edge)


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
    left, right = clause_edges(clause)
    if right.i - left.i + 1 < MIN_INDIRECT_TOKENS:
        return None
    return Cue(noun, source, (left, right))


def is_agent(subject: Token) -> bool:
    """Who can perform a speech act: people, organisations, pronouns for them, person nouns;
    not a thing in scare quotes ("the 'caliphate' offered a solution"), a quantity, a sum or a
    date, a possessive fragment ("’s biggest hurdle") or weather and
    physical things ("snow continued to fly")."""
    if subject.pos_ == "PRON":
        return subject.lower_ not in ("it", "this", "that", "which", "what")
    if subject.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    if subject.ent_type_ in NON_AGENT_ENTITIES or subject.lower_ in INANIMATE_NOUNS:
        return False
    if subject.left_edge.tag_ == "POS":
        return False
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
    if any(is_listed_cue(t) and t.pos_ in ("VERB", "AUX") and subject_of(t) is not None for t in prep.sent):
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
    first, last = trim_punct(first, last)
    return (first, last) if last.i - first.i >= MIN_INDIRECT_TOKENS else None
