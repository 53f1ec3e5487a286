"""The learned antecedent ranker for third-person pronouns (``scripts/train_coref.py``).

The rules send "he" to the latest compatible entity; over every mention of an article that is
often a bystander ("Placed under the care of a Dr. Bailey, he was encouraged..." is the
biography's subject, not Bailey). The ranker scores each entity mentioned before the pronoun
that agrees with it (a logistic regression over distance, recency, Lappin-Leass salience,
grammatical role, frequency and the rules' own choice, trained on GUM train) and the best
scored is taken. The weights ship as ``data/coref_model.json``; scoring needs no ML library.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..lexicon import FEMALE_PRONOUNS, MALE_PRONOUNS, NEUTER_PRONOUNS, PLURAL_PRONOUNS
from ..logistic import Model
from .entity import Entity

MODEL_FILE = "coref_model.json"
# Paragraphs back that a pronoun's candidates come from: in effect the whole document. Three
# paragraphs left the right entity out of reach for a fifth of GUM's pronouns.
WINDOW = 1000
MAX_CANDIDATES = 60  # the most recently mentioned entities, at most


@dataclass(frozen=True)
class Seen:
    """One mention of an entity, as the ranker reads it."""

    offset: int
    paragraph: int
    dep: str  # the head's dependency label ("" for a name found by the tagger alone)
    form: str  # name | pronoun | description
    sentence: int = 0  # the sentence's number in the document


def pronoun_kind(word: str) -> str | None:
    low = word.lower()
    if low in MALE_PRONOUNS or low in FEMALE_PRONOUNS:
        return "he/she"
    if low in PLURAL_PRONOUNS:
        return "they"
    if low in NEUTER_PRONOUNS:
        return "it"
    return None


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f">{edges[-1]}"


def _role(dep: str) -> str:
    return {"nsubj": "subj", "nsubjpass": "subj", "dobj": "obj", "dative": "obj", "poss": "poss",
            "pobj": "pobj", "": "name"}.get(dep, "other")


# Lappin and Leass's salience factors (1994): a mention's weight by its role, halved with each
# sentence back; an entity's salience is the sum over its mentions.
_ROLE_WEIGHT = {"subj": 3.0, "obj": 2.0, "poss": 1.5, "pobj": 1.0, "name": 1.0, "other": 1.0}


def salience(seen: list[Seen], sentence: int) -> float:
    return sum(_ROLE_WEIGHT[_role(s.dep)] * 0.5 ** max(0, sentence - s.sentence) for s in seen)


def features(pronoun: str, pronoun_dep: str, paragraph: int, sentence: int, candidate: Entity,
             seen: list[Seen], rank: int, top_salience: float, rule: bool, agrees: bool) -> list[str]:
    """One (pronoun, candidate) pair: what a reader weighs. The first feature is always the
    pronoun's kind, which every trained model weighs (``Model.probability`` reads feats[0])."""
    kind = pronoun_kind(pronoun) or "other"
    low = pronoun.lower()
    gender = "m" if low in MALE_PRONOUNS else "f" if low in FEMALE_PRONOUNS else None
    last = seen[-1]
    count = len(seen)
    prole, lrole = _role(pronoun_dep), _role(last.dep)
    ck = f"{candidate.kind}{'+named' if candidate.named else ''}"
    g = "unk" if gender is None or candidate.gender is None else "match" if gender == candidate.gender else "clash"
    sd = _bucket(sentence - last.sentence, (0, 1, 2, 4))
    score = salience(seen, sentence)
    feats = [
        f"p={kind}",
        f"p={kind}|k={ck}",
        f"p={kind}|g={g}",
        f"p={kind}|agree={agrees}",
        f"p={kind}|rank={_bucket(rank, (0, 1, 2, 4))}",
        f"p={kind}|pd={_bucket(paragraph - last.paragraph, (0, 1, 2))}",
        f"p={kind}|sd={sd}",
        f"p={kind}|count={_bucket(count, (1, 2, 5, 10))}",
        f"p={kind}|last={last.form}|sd={sd}",
        f"p={kind}|role={prole}|last_role={lrole}",
        f"p={kind}|parallel={prole == lrole}",
        f"p={kind}|salience={_bucket(round(score * 2), (1, 2, 4, 8, 16))}",
        f"p={kind}|salience_share={_bucket(round(10 * score / top_salience) if top_salience else 0, (3, 6, 9))}",
        f"p={kind}|first_sentence={_bucket(seen[0].sentence, (0, 2, 5))}",
    ]
    if rule:
        feats.append(f"p={kind}|rule")
    if score == top_salience:
        feats.append(f"p={kind}|most_salient")
    if any(s.sentence == sentence - 1 and _role(s.dep) == "subj" for s in seen):
        feats.append(f"p={kind}|subject_of_previous_sentence")
    if last.sentence == sentence:
        feats.append(f"p={kind}|same_sentence|reflexive={low.endswith('self') or low.endswith('selves')}")
    if candidate.named:
        feats.append(f"p={kind}|named|agree={agrees}")
    return feats


@lru_cache(maxsize=1)
def shipped_model() -> Model | None:
    """The ranker in ``data/coref_model.json``; None when the file is missing."""
    try:
        raw = resources.files("saywho").joinpath("data", MODEL_FILE).read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    m = json.loads(raw)["models"]["pronoun"]
    return Model(m["weights"], m["intercept"], m.get("threshold", 0.5))
