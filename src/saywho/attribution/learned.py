"""Learned attribution detectors: is this verb reporting what someone said or thinks?

The word lists in ``lexicon.py`` cover the frequent cues; news uses a long tail more
("slammed", "pushed back", "is calling for", "wants voters to", "would prohibit"). Two
logistic regressions over a verb's lemma and syntactic frame, trained on PolNeAR's train split
only (``scripts/train_cue_model.py``), score the rest:

* the *cue* model: is this verb an attribution cue at all (for quotations next to it, and
  verbs with a reported clause);
* the *predicate* model: is the verb together with its complements on the right an
  attribution whose content is those complements ("backed the deal", "plans to run")? A plain
  noun phrase needs more: a verb train shows taking one, or a score above a second threshold.

The weights ship as one small JSON file; scoring needs no ML library.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path

from spacy.tokens import Token

from ..deptree import has_verb
from ..logistic import RARE, Model
from ..nlp import lemma_of

__all__ = ["RARE", "Model"]  # re-exported: the scorer lives in saywho.logistic

MODEL_FILE = "cue_model.json"
THRESHOLD = 0.5  # the shipped models carry their own, chosen on held-out train articles
SPEECH_ACT_WEIGHT = 1.0


OBJECT_ONLY = "content=object"  # a noun phrase with no verb in it: "backed the deal"


def verb_lemma(token: Token) -> str:
    """The lemma, with its particle for a phrasal verb: "call off" is not "call"."""
    lemma = lemma_of(token)
    particle = next((c.lower_ for c in token.children if c.dep_ == "prt"), None)
    return f"{lemma}_{particle}" if particle else lemma


def features(token: Token) -> list[str]:
    """The verb's lemma and frame: complements, subject kind, voice, particles."""
    lemma = verb_lemma(token)
    feats = [f"lemma={lemma}", f"tag={token.tag_}", f"dep={token.dep_}", f"head_dep={token.head.dep_}"]
    subject = None
    for child in token.children:
        dep = child.dep_
        if dep in ("ccomp", "xcomp", "dobj", "dative", "prt", "neg", "auxpass", "nsubjpass", "advcl"):
            feats.append(f"has={dep}")
        if dep == "prep":
            feats.append(f"prep={child.lower_}")
            feats.append(f"lemma_prep={lemma}_{child.lower_}")
        if dep in ("nsubj", "nsubjpass") or dep == "poss" and token.pos_ == "NOUN":
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


def predicate_features(verb: Token, first: Token, last: Token) -> list[str]:
    """The verb's features plus the shape of its right-hand complements ``first..last``."""
    lemma = verb_lemma(verb)
    parts = [c for c in verb.rights if first.i <= c.i <= last.i]
    first_dep = parts[0].dep_ if parts else "none"
    feats = features(verb) + [
        f"first={first_dep}", f"lemma_first={lemma}_{first_dep}", f"content_pos={first.pos_}",
        f"len={min((last.i - first.i + 1) // 3, 6)}",
    ]
    feats += [f"part={c.dep_}" for c in parts[1:]]
    for child in verb.children:
        if child.dep_ == "aux":
            feats.append(f"aux={child.lower_}")
        elif child.dep_ == "nsubj" and child.pos_ == "NOUN":
            feats.append(f"subj_lemma={lemma_of(child)}")
    if first.ent_type_:
        feats.append(f"content_ent={first.ent_type_}")
    if not has_verb(first, last):
        feats.append(OBJECT_ONLY)
    return feats


def _parse(raw: str) -> dict[str, Model]:
    return {
        name: Model(m["weights"], m["intercept"], m.get("threshold", THRESHOLD), frozenset(m.get("object_lemmas", ())),
                    m.get("object_threshold", 1.0))
        for name, m in json.loads(raw)["models"].items()
    }


@lru_cache(maxsize=1)
def shipped_models() -> dict[str, Model]:
    """The models in the package's ``data/cue_model.json``; none when the file is missing."""
    try:
        raw = resources.files("saywho").joinpath("data", MODEL_FILE).read_text("utf-8")
    except (FileNotFoundError, OSError):
        return {}
    return _parse(raw)


def load_models(path: str | Path) -> dict[str, Model]:
    """Models from a weights file of the shipped format (what ``scripts/train_cue_model.py`` writes)."""
    return _parse(Path(path).read_text("utf-8"))


_swapped: list[dict[str, Model]] = []  # a stack: ``use_models`` blocks may nest


def models() -> dict[str, Model]:
    """The models in force: those of the innermost ``use_models`` block, else the shipped ones."""
    return _swapped[-1] if _swapped else shipped_models()


@contextmanager
def use_models(replacement: dict[str, Model]) -> Iterator[None]:
    """Score with other weights inside the block (training, tests, experiments); a name left
    out of ``replacement`` scores as if no model shipped for it."""
    _swapped.append(replacement)
    try:
        yield
    finally:
        _swapped.pop()


def probability(token: Token) -> float:
    """P(token is an attribution cue); 0 when no trained model ships."""
    model = models().get("cue")
    return 0.0 if model is None else model.probability(features(token))


def is_speech_act(token: Token) -> bool:
    """The lemma alone is strong evidence of attribution in training ("slam", "endorse"), so the
    verb reports speech even with a plain object ("slammed the plan")."""
    model = models().get("cue")
    return model is not None and model.weights.get(f"lemma={verb_lemma(token)}", 0.0) >= SPEECH_ACT_WEIGHT


def is_cue(token: Token) -> bool:
    model = models().get("cue")
    return model is not None and token.pos_ in ("VERB", "AUX") and probability(token) >= model.threshold


def is_predicate_attribution(verb: Token, first: Token, last: Token) -> bool:
    """Does the verb attribute its complements ``first..last`` to its subject? A plain noun phrase
    needs more than a clause: a verb seen taking one in training, or a known verb (not a rare one)
    the model scores at least ``object_threshold`` ("the choir sang “Silent Night”" is no
    attribution, whatever its frame)."""
    model = models().get("predicate")
    if model is None:
        return False
    probability = model.probability(predicate_features(verb, first, last))
    if probability < model.threshold:
        return False
    if has_verb(first, last):
        return True
    lemma = verb_lemma(verb)
    return lemma in model.object_lemmas or f"lemma={lemma}" in model.weights and probability >= model.object_threshold
