"""Issue 16: generated texts never raise anything but InputError, every span slices the text, and
no call is slow. The suite runs a small sample; ``SAYWHO_FUZZ_EXAMPLES=10000`` runs the full one
(docs/reliability.md has the numbers)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import saywho  # noqa: E402
from saywho import Article, InputError  # noqa: E402

EXAMPLES = int(os.environ.get("SAYWHO_FUZZ_EXAMPLES", "200"))
SLOWEST_S = 5.0
MARKS = "“”\"‘’'«»„‹›"
WORDS = ["said", "told", "he", "she", "Mayor", "Ann", "Lee", "according", "to", "the", "minister", "that",
         "Comments", "Email", "reported", "—", ",", ".", ":", "\n", "\n\n", "\r", "\r\n", " ", "\udcff",
         "\u2028", "\t", "\x00", "\ufeff", "…", "!!!", "<p>", "</p>"]
texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(list(MARKS)), st.text(max_size=8)),
             max_size=150).map(" ".join),
    st.lists(st.sampled_from(list(MARKS) + [" ", "a", "\n"]), max_size=3000).map("".join),
)
sources = st.one_of(texts, texts.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=400))


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(source=sources, fmt=st.sampled_from(["auto", "text", "html"]))
def test_generated_input(extractor: saywho.Extractor, consistent: Callable[[Article], None],
                         source: str | bytes, fmt: str) -> None:
    started = time.monotonic()
    try:
        article = extractor(source, fmt)  # type: ignore[arg-type]
    except InputError:
        return
    assert time.monotonic() - started < SLOWEST_S
    consistent(article)
    article.to_dict()
