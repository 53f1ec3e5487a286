"""The library API across many articles: streaming, in order, in one process or several."""

from __future__ import annotations

import pytest

import saywho

ARTICLES = [
    "Storm batters coast\n\n“We lost everything in one night,” said Maria Lopez, a fisherman’s widow.\n",
    "Court delays ruling\n\nThe judge said the hearing would resume in March after new evidence emerged.\n",
    "Mayor opens bridge\n\nAccording to the mayor, the new bridge will cut commuting times by half.\n",
]


def test_pipe_with_workers_equals_one_process(extractor: saywho.Extractor) -> None:
    alone = [a.to_dict() for a in extractor.pipe(ARTICLES)]
    parallel = [a.to_dict() for a in extractor.pipe(ARTICLES, workers=2)]
    assert parallel == alone
    assert [len(a["quotes"]) for a in alone] == [1, 1, 1]


def test_pipe_with_workers_raises_input_error_in_order(extractor: saywho.Extractor) -> None:
    results = extractor.pipe([ARTICLES[0], b"\x00\x01binary", ARTICLES[1]], workers=2)
    assert next(results).quotes[0].text == "We lost everything in one night,"
    with pytest.raises(saywho.InputError):
        next(results)


def test_long_article_keeps_every_quote_and_one_speaker(extractor: saywho.Extractor) -> None:
    paragraph = ("“The bridge will reopen before winter,” said Maria Lopez, the mayor. "
                 "She added that the cost would be shared with the state.\n\n")
    # Repeated paragraphs are prose, not a caption printed twice.
    article = extractor("Bridge to reopen\n\n" + paragraph * 300)
    assert len([q for q in article.quotes if q.type == "direct"]) == 300
    assert len([q for q in article.quotes if q.type == "indirect"]) == 300
    assert [s.name for s in article.speakers] == ["Maria Lopez"]
    for q in article.quotes:
        assert article.text[q.start : q.end] == q.text


def test_lemmas_on_demand_equal_the_lemmatizers(extractor: saywho.Extractor, shared) -> None:
    """The Extractor leaves the lemmatizer out of nlp.pipe; lemma_of() must give what it would."""
    from saywho.nlp import lemma_of

    text = (shared / "examples" / "mee-mosul-foreign-fighters.txt").read_text(encoding="utf-8")[:6000]
    assert "lemmatizer" in extractor.skipped_pipes
    lazy = extractor.nlp(text, disable=extractor.skipped_pipes)
    if extractor.attribute_lookup is not None:  # it stands in for the attribute ruler
        lazy = extractor.attribute_lookup(lazy)
    full = extractor.nlp(text)
    assert sum(1 for t in lazy if t.lemma) < len(lazy) / 4  # the attribute ruler sets some
    checked = [(lemma_of(a), b.lemma_.lower()) for a, b in zip(lazy, full, strict=True) if a.pos_ in ("VERB", "NOUN")]
    assert len(checked) > 100
    assert all(got == want for got, want in checked)
    assert {got for got, _ in checked} >= {"say", "tell"}
