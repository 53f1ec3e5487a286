"""How likely a reported quote is right: a logistic regression over the evidence behind it.

The evidence is what a reader weighs: the quote's type and kind, the cue (a verb of saying from
the lexicon, one the learned cue model found, a colon, none), the speaker mention (a name, a
pronoun, a description, none), whether it continues or sits inside another quote, where it is
(headline or body) and its length. The weights are fitted on PolNeAR train only
(``scripts/train_confidence.py``: a quote is right when it matches a gold attribution) and ship
in ``data/confidence.json``; the reliability on held-out data is in docs/benchmarks.md.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from ..lexicon import COMMUNICATION_LEMMAS, FIRST_SECOND_PRONOUNS, STRONG_SPEECH_LEMMAS
from ..nlp import lemma_of
from . import learned
from .learned import Model

if TYPE_CHECKING:
    from spacy.tokens import Token

    from ..types import AttributedQuote, Document

CONFIDENCE_FILE = "confidence.json"


def cue_class(word: Token | None) -> str:
    if word is None:
        return "none"
    lower = word.lower_
    if lower == ":":
        return "colon"
    if lower == "according":
        return "according"
    if word.pos_ == "NOUN":
        return "noun"
    if word.pos_ not in ("VERB", "AUX"):
        return word.pos_.lower()
    lemma = lemma_of(word)
    if lemma == "say":
        return "say"
    if lemma in STRONG_SPEECH_LEMMAS:
        return "speech_verb"
    return "communication_verb" if lemma in COMMUNICATION_LEMMAS else "other_verb"


def speaker_class(head: Token | None, has_mention: bool) -> str:
    if not has_mention:
        return "none"
    if head is None:
        return "credit"  # a pull-quote or dash credit: a name on its own line
    if head.pos_ == "PRON":
        return "relative" if head.lower_ in ("who", "which", "that") else "pronoun"
    if head.pos_ == "PROPN" or head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return "name"
    return "description"


def features(q: AttributedQuote, document: Document) -> list[str]:
    cue = cue_class(q.cue_word)
    speaker = speaker_class(q.speaker_head, q.speaker is not None)
    words = len(document.text[q.start : q.end].split())
    region = document.region_at(q.start)
    feats = [
        f"type={q.type}", f"kind={q.kind}", f"type_kind={q.type}_{q.kind}", f"cue={cue}", f"type_cue={q.type}_{cue}",
        f"speaker={speaker}", f"type_speaker={q.type}_{speaker}", f"kind_cue={q.kind}_{cue}",
        f"region={region.kind if region is not None else 'none'}",
        f"words={min(words // 5, 8)}",
    ]
    word = q.cue_word
    if word is not None and word.pos_ in ("VERB", "AUX", "NOUN"):
        feats.append(f"lemma={lemma_of(word)}")
        if word.pos_ != "NOUN":
            feats.append(f"cue_p={min(int(learned.probability(word) * 5), 4)}")
    if q.cue is not None:
        feats.append("cue_before" if q.cue.end <= q.start else "cue_after" if q.cue.start >= q.end else "cue_inside")
    before = document.text[max(0, q.start - 5) : q.start].lower()
    if q.type != "direct" and before.rstrip().endswith("that"):
        feats.append("that_clause")
    if q.speaker is not None:
        feats.append(f"speaker_words={min(len(q.speaker.text.split()), 6)}")
        if q.speaker.text.lower() in FIRST_SECOND_PRONOUNS:
            feats.append("speaker_first_second")
    if q.parent is not None:
        feats.append("nested")
    if q.continuation:
        feats.append("continuation")
    elif q.follows is not None:
        feats.append("follows")
    return feats


@lru_cache(maxsize=1)
def shipped_model() -> Model | None:
    try:
        raw = resources.files("saywho").joinpath("data", CONFIDENCE_FILE).read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    m = json.loads(raw)
    return Model(m["weights"], m["intercept"], 0.5)


def score(quotes: list[AttributedQuote], document: Document, model: Model | None = None) -> None:
    """Set each quote's confidence (two decimals); 1.0 where no model ships."""
    model = model if model is not None else shipped_model()
    if model is None:
        return
    for q in quotes:
        q.confidence = round(model.probability(features(q, document)), 2)
