"""The compiled attribute ruler sets exactly what spaCy's attribute ruler sets, token by token."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG

import saywho
from saywho.attribute_lookup import RULER, compile_ruler
from saywho.nlp import model_name

ATTRS = [POS, TAG, DEP, MORPH, LEMMA, HEAD, ENT_TYPE, ENT_IOB]
# Sentences for the rarer rules: multi-token lemmas ("gonna", "ain't", "y'all", "let's"),
# space tokens, "but" as an adverb, pronoun case by dependency, "there's" after an expletive.
RARE_RULES = [
    "Y'all gonna vote? I ain't gonna, he said. Let's go, c'mon! There's nothin' left to say.",
    "  The mayor said   she would\t\tresign.\n\n  \"We gotta move,\" it said. ",
    "But I told you, and you told it to me. Those who did it said that they had.",
    "It was what it was, but it is not now.",
]


def _paragraphs(shared: Path, n: int) -> list[str]:
    out = []
    with (shared / "data" / "polnear" / "dev.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            out.extend(p for p in json.loads(line)["text"].split("\n") if p.strip())
            if len(out) >= n:
                break
    return out[:n]


def _arrays(nlp: spacy.language.Language, texts: list[str], lookup: bool) -> list[np.ndarray]:
    if not lookup:
        return [d.to_array(ATTRS) for d in nlp.pipe(texts, disable=["lemmatizer"])]
    apply = compile_ruler(nlp)
    assert apply is not None
    return [apply(d).to_array(ATTRS) for d in nlp.pipe(texts, disable=["lemmatizer", RULER])]


def test_lookup_equals_ruler_on_real_news(extractor: saywho.Extractor, shared: Path) -> None:
    texts = _paragraphs(shared, 400) + RARE_RULES
    ruler, lookup = _arrays(extractor.nlp, texts, False), _arrays(extractor.nlp, texts, True)
    differ = [t[:60] for t, a, b in zip(texts, ruler, lookup, strict=True) if a.shape != b.shape or (a != b).any()]
    assert not differ, differ


def test_rare_rules_fire(extractor: saywho.Extractor) -> None:
    apply = compile_ruler(extractor.nlp)
    assert apply is not None
    doc = apply(next(extractor.nlp.pipe([RARE_RULES[0]], disable=["lemmatizer", RULER])))
    gon = next(t for t in doc if t.lower_ == "gon")
    assert (gon.lemma_, doc[gon.i + 1].lemma_) == ("go", "to")  # a two-token rule, both tokens
    assert all(t.pos_ and t.pos_ != "X" or t.is_space for t in doc if t.is_alpha)  # the tag map ran
    spaces = apply(next(extractor.nlp.pipe([RARE_RULES[1]], disable=["lemmatizer", RULER])))
    assert {t.pos_ for t in spaces if t.is_space} == {"SPACE"}


def test_extractor_skips_the_ruler(extractor: saywho.Extractor) -> None:
    assert extractor.attribute_lookup is not None and RULER in extractor.skipped_pipes
    article = extractor('"We will rebuild," the mayor said on Tuesday.')
    assert [q.cue.text for q in article.quotes if q.cue] == ["said"]


def test_a_later_component_keeps_the_ruler() -> None:
    nlp = spacy.load(model_name())
    nlp.add_pipe("sentencizer", last=True)  # might read POS: the lookup must not stand in
    assert compile_ruler(nlp) is None


def test_patterns_it_cannot_compile_keep_the_ruler() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe(RULER)
    ruler.add([[{"LOWER": "very", "OP": "+"}]], {"POS": "ADV"})  # a quantifier
    assert compile_ruler(nlp) is None
    assert compile_ruler(spacy.blank("en")) is None


@pytest.mark.parametrize("pattern", [{"LOWER": {"IN": ["a", "an"]}}, {"TAG": "DT"}, {"LOWER": {"REGEX": "^th"}}])
def test_compiled_patterns_on_a_blank_pipeline(pattern: dict[str, object]) -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe(RULER)
    ruler.add([[pattern]], {"POS": "DET", "MORPH": "Definite=Ind"})
    doc = nlp.make_doc("A cat and the dog saw an owl there")
    for t in doc:
        t.tag_ = "DT" if t.lower_ in ("a", "an", "the") else "NN"
    expected = ruler(doc.copy()).to_array([POS, MORPH])
    apply = compile_ruler(nlp)
    assert apply is not None
    assert (apply(doc).to_array([POS, MORPH]) == expected).all()
