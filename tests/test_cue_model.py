"""The learned attribution detectors: how training labels verbs, and how the shipped model reads them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

import saywho
from saywho.attribution import learned
from saywho.ingest import ingest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "train_cue_model.py"
TEXT = (
    "Senator Ruth Alvarez backed the trade deal on Tuesday.\n\n"
    "The committee met for three hours in the old library.\n"
)


@pytest.fixture(scope="module")
def trainer():
    spec = importlib.util.spec_from_file_location("train_cue_model", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_training_rows_label_the_gold_cue_and_content(trainer, extractor: saywho.Extractor) -> None:
    cue = TEXT.index("backed")
    content = TEXT.index("the trade deal")
    record = {"text": TEXT, "quotes": [{
        "cue_start": cue, "cue_end": cue + len("backed"),
        "content_start": content, "content_end": content + len("the trade deal"),
    }]}
    paragraphs = extractor.parse(ingest(TEXT, "text"), batch_size=16).paragraphs
    cue_rows, predicate_rows = trainer.rows(record, paragraphs)
    assert [feats[0] for feats, label in cue_rows if label] == ["lemma=back"]
    positives = [feats for feats, label in predicate_rows if label]
    assert len(positives) == 1 and positives[0][0] == "lemma=back"
    assert learned.OBJECT_ONLY in positives[0]  # "the trade deal" holds no verb
    assert any(feats[0] == "lemma=meet" and not label for feats, label in predicate_rows)


def test_rare_lemmas_share_one_weight(trainer) -> None:
    rows = [(["lemma=say", "tag=VBD"], 1)] * trainer.RARE_LEMMA_COUNT + [(["lemma=sing", "lemma_dobj=sing"], 0)]
    out = trainer.without_rare_lemmas(rows)
    assert out[0][0] == ["lemma=say", "tag=VBD"]
    assert out[-1][0] == [learned.RARE]


def test_unknown_lemma_is_scored_as_rare() -> None:
    model = learned.Model({"lemma=say": 2.0, learned.RARE: -1.0}, 0.0, 0.5)
    assert model.probability(["lemma=say"]) > 0.5
    assert model.probability(["lemma=zzz"]) == model.probability([learned.RARE])


def test_shipped_model_loads_with_its_chosen_threshold() -> None:
    models = learned.shipped_models()
    assert set(models) == {"cue", "predicate"}
    predicate = models["predicate"]
    assert 0.0 < predicate.threshold < 1.0
    assert {"say", "endorse", "criticize"} <= predicate.object_lemmas


def test_a_noun_phrase_is_content_for_attested_verbs_or_above_the_object_threshold(
    extractor: saywho.Extractor,
) -> None:
    doc = extractor.nlp("The senator backed the trade deal.")
    verb = doc[2]
    first, last = doc[3], doc[5]
    assert learned.OBJECT_ONLY in learned.predicate_features(verb, first, last)
    model = learned.Model({"lemma=back": 1.0}, 0.0, 0.5)  # p = 0.73 for "backed the trade deal"
    with learned.use_models({"predicate": model}):
        assert not learned.is_predicate_attribution(verb, first, last)  # 1.0: only attested verbs
        model.object_threshold = 0.7
        assert learned.is_predicate_attribution(verb, first, last)
        model.object_threshold, model.object_lemmas = 1.0, frozenset({"back"})
        assert learned.is_predicate_attribution(verb, first, last)
    rare = learned.Model({learned.RARE: 3.0}, 0.0, 0.5, object_threshold=0.0)  # "back" unknown
    with learned.use_models({"predicate": rare}):
        assert not learned.is_predicate_attribution(verb, first, last)
    assert learned.models() is learned.shipped_models()  # the block restores the shipped weights
