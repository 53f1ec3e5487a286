"""Shared fixtures: one spaCy pipeline per test session, the ../shared data folder, and the
structural checks every extracted article must pass."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import saywho
from saywho.types import QUOTE_REGIONS

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def extractor() -> saywho.Extractor:
    """Loading spaCy costs a second or two; every test shares this one pipeline."""
    return saywho.Extractor()


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared data folder next to the repository; tests needing it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"shared data folder {SHARED} is absent")
    return SHARED


def check_article(article: saywho.Article) -> None:
    """The output contract, independent of what the text says: every span slices
    ``article.text``, every id a quote points to exists, nothing is read from furniture."""
    text = article.text

    def check_span(span: saywho.Span, what: str) -> None:
        assert 0 <= span.start < span.end <= len(text), f"{what} {span} out of range"
        assert text[span.start : span.end] == span.text, f"{what} {span} does not slice the text"

    for r in article.regions:
        assert 0 <= r.start < r.end <= len(text), f"region {r} out of range"

    quote_ids = [q.id for q in article.quotes]
    speaker_ids = [s.id for s in article.speakers]
    assert len(set(quote_ids)) == len(quote_ids), "duplicate quote ids"
    assert len(set(speaker_ids)) == len(speaker_ids), "duplicate speaker ids"
    by_id = {q.id: q for q in article.quotes}

    for q in article.quotes:
        assert 0 <= q.start < q.end <= len(text), f"quote {q.id} out of range"
        assert text[q.start : q.end] == q.text, f"quote {q.id} does not slice the text"
        assert q.text.strip(), f"quote {q.id} is blank"
        assert q.type in ("direct", "indirect", "mixed")
        if q.cue is not None:
            check_span(q.cue, f"cue of {q.id}")
        if q.speaker is not None:
            check_span(q.speaker, f"speaker mention of {q.id}")
        if q.speaker_id is not None:
            assert q.speaker_id in speaker_ids, f"quote {q.id} points at unknown speaker {q.speaker_id}"
        if q.nested_in is not None:
            assert q.nested_in in by_id and q.nested_in != q.id, f"quote {q.id}: bad nested_in"
            outer = by_id[q.nested_in]
            assert outer.start <= q.start and q.end <= outer.end, f"quote {q.id} is not inside {outer.id}"
        # A quote always opens in a region that can hold quotations, never in a caption or a menu.
        opening = [r for r in article.regions if r.start <= q.start < r.end]
        assert opening and opening[0].kind in QUOTE_REGIONS, f"quote {q.id} opens outside the article body"

    for s in article.speakers:
        assert s.name.strip(), f"speaker {s.id} has no name"
        for m in s.mentions:
            check_span(m, f"mention of {s.id}")
        assert any(q.speaker_id == s.id for q in article.quotes), f"speaker {s.id} is quoted nowhere"


@pytest.fixture(scope="session")
def consistent() -> Callable[[saywho.Article], None]:
    """The structural checks as a fixture, so every test file can apply them to its articles."""
    return check_article


@pytest.fixture(scope="session")
def extract(extractor: saywho.Extractor) -> Callable[[str], saywho.Article]:
    """Extract a plain-text passage with the shared pipeline, checking the output contract on the way."""

    def run(text: str) -> saywho.Article:
        article = extractor(text, "text")
        check_article(article)
        return article

    return run
