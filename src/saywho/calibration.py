"""How well ``confidence`` predicts being right: the reliability table of docs/benchmarks.md.

One copy for the two users: ``scripts/train_confidence.py`` (the training rows, and ``--report``)
and ``bench/run.py`` (the "Confidence" section). A reported quote is right when the scorer of
``saywho.evaluate`` matches it to a gold quote, wrong when it matches none; pieces of an
interrupted quote and quotes set aside (boilerplate, borderline gold) are neither, so left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .evaluate import ArticleResult

BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)  # the last bin closed at 1.0
HIGH = 0.8  # the promise: quotes at or above it are right 95% of the time or more


def outcomes(result: ArticleResult) -> Iterator[tuple[int, int]]:
    """(index into ``result.article.quotes``, 1 if right else 0) for every quote that is scored."""
    matched = {p.pred for p in result.pairs}
    for pi in result.preds:
        if pi not in result.fragments:
            yield pi, int(pi in matched)


def confidence_outcomes(results: Iterable[ArticleResult]) -> list[tuple[float, int]]:
    """(the confidence saywho reported, right) for every scored quote of the results."""
    return [(r.article.quotes[pi].confidence, label) for r in results for pi, label in outcomes(r)]


def reliability(scored: Iterable[tuple[float, int]]) -> list[tuple[str, int, float | None]]:
    """(bin, quotes in it, share right) per confidence bin, then the same for ``>= HIGH``."""
    scored = list(scored)
    out: list[tuple[str, int, float | None]] = []

    def row(label: str, inside: list[int]) -> None:
        out.append((label, len(inside), sum(inside) / len(inside) if inside else None))

    for lo, hi in zip(BINS, BINS[1:], strict=False):
        row(f"[{lo:.1f}, {min(hi, 1.0):.1f}{']' if hi > 1 else ')'}", [y for p, y in scored if lo <= p < hi])
    row(f"≥ {HIGH}", [y for p, y in scored if p >= HIGH])
    return out
