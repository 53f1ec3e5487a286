"""`nlp.add_pipe("saywho")` on a user's own pipeline gives what `saywho.extract` gives."""

from __future__ import annotations

import re

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


# spaCy-native output: doc.spans and plain data in doc.user_data.


@pytest.fixture(scope="module")
def paragraph_nlp() -> spacy.language.Language:
    """The documented set-up: sentences start at line breaks, as in the library's parse."""
    nlp = spacy.load(model_name())
    nlp.add_pipe("saywho_paragraphs", before="parser")
    nlp.add_pipe("saywho")
    return nlp


@pytest.fixture(scope="module")
def seed_doc(paragraph_nlp: spacy.language.Language, shared) -> spacy.tokens.Doc:
    return paragraph_nlp((shared / "examples" / "mee-mosul-foreign-fighters.txt").read_text(encoding="utf-8"))


def _span_rows(group: spacy.tokens.SpanGroup) -> list[tuple[int, int, str, str]]:
    return [(s.start_char, s.end_char, s.label_, s.id_) for s in group]


def test_quotes_and_mentions_are_doc_spans(seed_doc: spacy.tokens.Doc) -> None:
    quotes, spans = seed_doc._.quotes, seed_doc.spans["saywho_quotes"]
    assert len(spans) == len(quotes) > 30
    for quote, span in zip(quotes, spans, strict=True):
        assert (span.id_, span.label_) == (quote.id, quote.kind)
        # the tokens covering the quote; its exact characters are in user_data
        assert span.start_char <= quote.start < quote.end <= span.end_char
    speakers = {s.id: s for s in seed_doc._.speakers}
    mentions = seed_doc.spans["saywho_mentions"]
    assert {m.label_ for m in mentions} == set(speakers)
    for m in mentions:
        assert any(m.start_char <= x.start and x.end <= m.end_char for x in speakers[m.label_].mentions)


def test_displacy_renders_the_quotes_from_doc_spans(seed_doc: spacy.tokens.Doc) -> None:
    from spacy import displacy

    html = displacy.render(seed_doc, style="span", options={"spans_key": "saywho_quotes"})
    # displaCy writes a span's label once, where the span starts
    labels = re.findall(r">\s*(speech|thought|intent|stance)\s*</span>", html)
    assert labels == [s.label_ for s in sorted(seed_doc.spans["saywho_quotes"], key=lambda s: (s.start, -s.end))]


def test_a_docbin_round_trip_keeps_spans_and_quotes(seed_doc: spacy.tokens.Doc) -> None:
    from spacy.tokens import DocBin

    data = DocBin(store_user_data=True, docs=[seed_doc]).to_bytes()
    (back,) = DocBin().from_bytes(data).get_docs(spacy.blank("en").vocab)
    for key in ("saywho_quotes", "saywho_mentions"):
        assert _span_rows(back.spans[key]) == _span_rows(seed_doc.spans[key])
    assert back._.quotes == seed_doc._.quotes
    assert back._.speakers == seed_doc._.speakers
    assert back._.saywho_metadata == seed_doc._.saywho_metadata


def test_nlp_pipe_with_two_processes(paragraph_nlp: spacy.language.Language) -> None:
    texts = [TEXT, TEXT.replace("mayor", "governor"), "\u201cNo comment,\u201d a spokesman said."]
    parallel = list(paragraph_nlp.pipe(texts, n_process=2))
    single = list(paragraph_nlp.pipe(texts))
    assert [d._.quotes for d in parallel] == [d._.quotes for d in single]
    assert [_span_rows(d.spans["saywho_quotes"]) for d in parallel] == [
        _span_rows(d.spans["saywho_quotes"]) for d in single]
    assert all(d._.quotes for d in parallel)


def test_component_and_extract_agree_on_the_seed(seed_doc: spacy.tokens.Doc) -> None:
    # The same quotes (span and type) with the same ids; see docs/spacy.md for when they differ.
    library = {(q.start, q.end, q.type): q.id for q in saywho.extract(seed_doc.text, input_format="text").quotes}
    component = {(q.start, q.end, q.type): q.id for q in seed_doc._.quotes}
    same = [k for k in component if library.get(k) == component[k]]
    assert len(same) >= 0.95 * len(component), (len(same), len(component))
