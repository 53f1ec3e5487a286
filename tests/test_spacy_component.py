"""`nlp.add_pipe("saywho")` on a user's own pipeline gives what `saywho.extract` gives."""

from __future__ import annotations

import pytest
import spacy

import saywho
import saywho.spacy_component  # noqa: F401  registers the "saywho" factory
from saywho.errors import SaywhoError
from saywho.nlp import lemma_of, model_name

TEXT = (
    "Mayor defends plant deal\n\n"
    "The mayor said on Monday that the plant would stay open until at least 2030.\n\n"
    "\u201cNobody is losing a job this year,\u201d she told reporters at city hall.\n\n"
    "According to the union, the workers had not been consulted.\n"
)


def _quotes(quotes: list[saywho.Quote]) -> list[tuple[int, int, str, str | None]]:
    return [(q.start, q.end, q.type, q.cue.text if q.cue else None) for q in quotes]


@pytest.mark.parametrize("disable", [[], ["lemmatizer"]])
def test_component_matches_the_library(disable: list[str]) -> None:
    nlp = spacy.load(model_name(), disable=disable)
    nlp.add_pipe("saywho")
    doc = nlp(TEXT)
    expected = saywho.extract(TEXT, input_format="text")
    assert {"said", "told", "According to"} <= {q.cue.text for q in expected.quotes if q.cue}
    assert _quotes(doc._.quotes) == _quotes(expected.quotes)
    for q in doc._.quotes:
        assert doc.text[q.start : q.end] == q.text
    said = next(t for t in doc if t.text == "said")
    assert lemma_of(said) == "say"  # from the pipeline's lemmatizer, or on demand when it is disabled


def test_component_needs_a_parse() -> None:
    nlp = spacy.load(model_name(), exclude=["parser"])
    nlp.add_pipe("saywho")
    with pytest.raises(SaywhoError, match="dependency parse"):
        nlp(TEXT)


def test_component_spans_stay_inside_their_paragraph(shared) -> None:
    # One Doc for a whole scraped page: the parse runs across line breaks, the quotes must not.
    text = (shared / "examples" / "mee-mosul-foreign-fighters.txt").read_text(encoding="utf-8")
    nlp = spacy.load(model_name())
    nlp.add_pipe("saywho")
    doc = nlp(text)
    assert len(doc._.quotes) > 30
    for q in doc._.quotes:
        if q.speaker is not None:
            assert "\n" not in q.speaker.text, q.speaker
        if q.type == "indirect":  # direct quotations may run over paragraphs; reported speech does not
            assert "\n" not in q.text, q
