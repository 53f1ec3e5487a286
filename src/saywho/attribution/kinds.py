"""What kind of attribution a cue makes: ``speech``, ``thought``, ``intent`` or ``stance``.

The kind comes from the cue and its frame, not from the word alone (docs/kinds.md maps the
kinds to the Penn Discourse Treebank's attribution types):

* a verb of communication, "according to", a hearsay adverb, a poll or a statement that says,
  a "Name:" turn, a quotation credited by a dash or a pull-quote credit: ``speech``;
* "told X to", "urged X to", "asked X to": an order or a request is ``speech``; "vowed to",
  "plans to", "is expected to", "decided to" (an act of one's own to come): ``intent``;
* a that-clause under a verb of cognition ("believes", "hopes", "concluded"): ``thought``;
* a judgment verb ("criticized") with a clause or quoted words is ``speech``, with an object
  alone (no reported content) a ``stance``, as is every learned stance ("backed the deal").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..lexicon import (
    COGNITION_ADJECTIVES,
    COGNITION_LEMMAS,
    COMMUNICATION_LEMMAS,
    COMMUNICATION_NOUNS,
    CORE_COGNITION_LEMMAS,
    FINDING_NOUNS,
    HEARSAY_ADVERBS,
    INTENT_ADJECTIVES,
    INTENT_LEMMAS,
    INTENT_NOUNS,
    JUDGMENT_LEMMAS,
    VOLITION_LEMMAS,
    can_speak,
)
from ..nlp import lemma_of

if TYPE_CHECKING:
    from spacy.tokens import Token

    from .cues import Cue

QuoteKind = str  # "speech" | "thought" | "intent" | "stance"
KINDS = ("speech", "thought", "intent", "stance")


def mute(source: Token, text: str) -> bool:
    """A common noun for a thing that cannot say anything ("the bias begins to show", "his
    performance confirmed that ...", "the low turnout suggests that ..."): not a person, a body of
    people, an organisation or a place, nor a document, a medium or data (lexicon.can_speak); never
    a name or a pronoun. What such a source "says" is the writer's inference: no ``speech``.
    A capitalised word counts only where the article also writes it in lower case: "Ruiz said"
    at a sentence's start is a name the tagger took for a noun, "Turnout makes" may not be."""
    if source.pos_ != "NOUN" or source.ent_type_ or source.tag_ not in ("NN", "NNS"):
        return False
    if not source.is_lower and not re.search(rf"\b{re.escape(source.lower_)}\b", text):
        return False
    return not can_speak(lemma_of(source))


def kind_of(cue: Cue, quote_type: str) -> QuoteKind:
    """The kind of the attribution ``cue`` makes of a quote of ``quote_type``."""
    word = cue.word
    lower = word.lower_
    if lower == "according" or lower in HEARSAY_ADVERBS:
        return "speech"
    if word.pos_ == "ADP":  # "in a new poll, ...": a document that says
        return "speech"
    lemma = lemma_of(word)
    if word.pos_ in ("NOUN", "PROPN"):
        return _noun_kind(cue, lemma, quote_type)
    if word.pos_ == "ADJ":
        return "thought" if lemma in COGNITION_ADJECTIVES else "intent" if lemma in INTENT_ADJECTIVES else "stance"
    frame = _frame(cue)
    if quote_type == "mixed":
        # Quoted words under the cue were said or written ("called the plan “a disaster”",
        # "pledged to take “decisive action”"), unless the cue is an attitude or a want.
        if lemma in CORE_COGNITION_LEMMAS:
            return "thought"
        return "intent" if lemma in VOLITION_LEMMAS else "speech"
    if quote_type == "direct":
        # Words in quotation marks next to their cue were said or written, unless the verb says
        # they were only thought ("“Why me?” she wondered" is still speech-like; "thought" is not).
        return "thought" if lemma in COGNITION_LEMMAS and lemma not in COMMUNICATION_LEMMAS else "speech"
    if frame == "infinitive":
        return "intent" if lemma in INTENT_LEMMAS or lemma not in COMMUNICATION_LEMMAS else "speech"
    if frame == "object_infinitive":  # "told X to", "urged X to", "expects X to"
        if (lemma in COMMUNICATION_LEMMAS or lemma in JUDGMENT_LEMMAS) and _is_finite(word):
            return "speech"  # not "..., encouraging suppliers to be cleaner": an act described
        return "thought" if lemma in COGNITION_LEMMAS else "intent"
    if frame == "object":
        # "voiced concerns that officials are ...", "announced plans to cut jobs": a verb of
        # communication whose object holds a proposition reports it; "criticized the plan",
        # "announced a product" report no content: an act or a view of an entity.
        if lemma in COMMUNICATION_LEMMAS and _object_holds_proposition(cue) and _is_finite(word):
            return "speech"
        return "stance"
    # A reported clause.
    if lemma in COMMUNICATION_LEMMAS or lemma in JUDGMENT_LEMMAS:
        return "speech"
    if lemma in COGNITION_LEMMAS:
        return "thought"
    if lemma in INTENT_LEMMAS:
        return "intent"
    return "thought"  # a proposition under a verb of no known class: an attitude, not words said


def _noun_kind(cue: Cue, lemma: str, quote_type: str) -> QuoteKind:
    """"his claim that ..." speech, "her belief that ..." thought, "a plan to ..." intent; a noun
    whose content is no proposition ("calls with other leaders", "support for the bill") a stance."""
    if quote_type == "direct":
        return "speech"
    frame = _noun_frame(cue)
    if frame == "infinitive":
        return "intent"
    if frame == "clause" or quote_type == "mixed":
        if lemma in COMMUNICATION_NOUNS or lemma in FINDING_NOUNS:
            return "speech"
        return "intent" if lemma in INTENT_NOUNS else "thought"
    return "stance"


def _noun_frame(cue: Cue) -> str:
    noun = cue.word
    for child in noun.rights:
        if child.dep_ in ("acl", "relcl", "ccomp") and any(
            m.dep_ == "mark" and m.lower_ in ("that", "whether") for m in child.children
        ):
            return "clause"
        if child.dep_ in ("acl", "xcomp") and _is_infinitive(child):
            return "infinitive"
    return "object"


def _frame(cue: Cue) -> str:
    """``clause``, ``infinitive`` (no object before it), ``object_infinitive`` or ``object``."""
    word = cue.word
    if cue.content is None:
        return "clause"
    first, last = cue.content
    inside = [c for c in word.children if first.i <= c.i <= last.i]
    if any(c.dep_ == "ccomp" for c in inside) or cue.clausal and not any(
        c.dep_ in ("xcomp", "dobj", "dative", "prep") for c in inside
    ):
        return "clause"
    xcomp = next((c for c in inside if c.dep_ == "xcomp"), None)
    if xcomp is not None and _is_infinitive(xcomp):
        has_object = any(c.dep_ in ("dobj", "dative") and c.i < xcomp.i for c in word.children) or any(
            c.dep_ == "nsubj" for c in xcomp.children
        )
        return "object_infinitive" if has_object else "infinitive"
    return "clause" if cue.clausal else "object"


def _object_holds_proposition(cue: Cue) -> bool:
    """The object's head takes a that-clause or an infinitive: "voiced concerns that ...",
    "announced plans to cut jobs" (not a relative clause: "posted materials where ...")."""
    objects = [c for c in cue.word.children if c.dep_ in ("dobj", "dative")]
    return any(
        child.dep_ in ("acl", "ccomp") and (_is_infinitive(child) or any(
            m.dep_ == "mark" and m.lower_ == "that" for m in child.children))
        for o in objects for child in o.rights
    )


def _is_finite(verb: Token) -> bool:
    """A finite verb or one with a finite auxiliary: a participle ("announcing ...") describes."""
    return verb.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBZ", "VBP", "MD") for c in verb.children
    )


def _is_infinitive(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) or verb.tag_ == "VB"
