"""A learned attribution-cue detector: is this verb reporting what someone said or thinks?

The word lists in ``lexicon.py`` cover the frequent cues; news uses a long tail more
("slammed", "pushed back", "is calling for"). A logistic regression over the verb's lemma and
its syntactic frame, trained on PolNeAR's train split only (``scripts/train_cue_model.py``),
scores the rest. The weights ship as a small JSON file; scoring needs no ML library.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

from spacy.tokens import Token

MODEL_FILE = "cue_model.json"
THRESHOLD = 0.5
SPEECH_ACT_WEIGHT = 1.0


def features(token: Token) -> list[str]:
    """The verb's lemma and frame: complements, subject kind, voice, particles."""
    lemma = token.lemma_.lower()
    feats = [f"lemma={lemma}", f"tag={token.tag_}", f"dep={token.dep_}", f"head_dep={token.head.dep_}"]
    subject = None
    for child in token.children:
        dep = child.dep_
        if dep in ("ccomp", "xcomp", "dobj", "dative", "prt", "neg", "auxpass", "nsubjpass", "advcl"):
            feats.append(f"has={dep}")
        if dep == "prep":
            feats.append(f"prep={child.lower_}")
            feats.append(f"lemma_prep={lemma}_{child.lower_}")
        if dep == "prt":
            feats.append(f"lemma_prt={lemma}_{child.lower_}")
        if dep in ("nsubj", "nsubjpass"):
            subject = child
        if dep == "ccomp":
            feats.append(f"lemma_ccomp={lemma}")
        if dep == "dobj":
            feats.append(f"lemma_dobj={lemma}")
    if subject is None:
        feats.append("subj=none")
    else:
        kind = subject.ent_type_ or subject.pos_
        feats.append(f"subj={kind}")
        if subject.pos_ == "PRON":
            feats.append(f"subj_pron={subject.lower_}")
    prev = token.nbor(-1) if token.i > 0 else None
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if prev is not None and prev.text in ",\"”’'":
        feats.append("after_close_or_comma")
    if nxt is not None and nxt.text in (":", ",", "“", '"'):
        feats.append(f"before={nxt.text}")
    return feats


@lru_cache(maxsize=1)
def _weights() -> tuple[dict[str, float], float] | None:
    try:
        raw = resources.files("saywho").joinpath("data", MODEL_FILE).read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    data = json.loads(raw)
    return data["weights"], data["intercept"]


def available() -> bool:
    return _weights() is not None


def probability(token: Token) -> float:
    """P(token is an attribution cue); 0 when no trained model ships."""
    loaded = _weights()
    if loaded is None:
        return 0.0
    weights, intercept = loaded
    z = intercept + sum(weights.get(f, 0.0) for f in features(token))
    return 1.0 / (1.0 + math.exp(-z))


def is_speech_act(token: Token) -> bool:
    """The lemma alone is strong evidence of attribution in training ("slam", "endorse"), so the
    verb reports speech even with a plain object ("slammed the plan")."""
    loaded = _weights()
    return loaded is not None and loaded[0].get(f"lemma={token.lemma_.lower()}", 0.0) >= SPEECH_ACT_WEIGHT


def is_cue(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and probability(token) >= THRESHOLD
