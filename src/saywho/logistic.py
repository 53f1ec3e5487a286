"""The logistic-regression scorer every learned part of saywho shares (the cue and predicate
models, quote confidence, the coreference ranker): weights trained offline by scikit-learn
scripts, shipped as JSON, scored here with no ML library. It sits below the stages so that
attribution and speaker resolution can both use it."""

from __future__ import annotations

import math
from dataclasses import dataclass

RARE = "lemma=<rare>"  # stands for every lemma seen too seldom in training to have its own weight


@dataclass
class Model:
    weights: dict[str, float]
    intercept: float
    threshold: float
    # verbs that training shows attributing a plain noun phrase ("backed the deal"); other verbs
    # need a clause to attribute ("approved the budget" is an act, not a stance) unless the model
    # scores the verb and its noun phrase at least object_threshold (1.0: never)
    object_lemmas: frozenset[str] = frozenset()
    object_threshold: float = 1.0

    def probability(self, feats: list[str]) -> float:
        if feats[0] not in self.weights:
            feats = [RARE, *feats[1:]]
        z = self.intercept + sum(self.weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-z))
