"""The Gender Gap Tracker's quote metric (its ``evaluate_quotes.py``), on saywho's gold shapes.

The SFU Gender Gap Tracker scores its quote extractor thus, and ``bench/run.py`` reports it beside
saywho's own metric (``saywho.evaluate``) so numbers can be compared with the ones it publishes:

1. The score of a prediction P for a gold quote G is ``|G & P| / |G|`` (asymmetric: the gold is
   the reference). Sets are characters, whitespace left out, as in ``saywho.evaluate``; a gold
   quote is the union of its fragments.
2. Gold quotes are taken in article order; each takes, among the predictions not yet taken, the
   one with the highest score *strictly above* the threshold (the first such one on a tie). The
   tracker reports two thresholds, 0.3 and 0.8.
3. TP = matched gold quotes, FN = the other gold quotes, FP = every prediction left over
   (pieces of an interrupted quote included: the tracker has no notion of fragments).
   P = TP / (TP + FP), R = TP / (TP + FN).
4. Speaker accuracy = matched pairs whose speaker is right / TP. Right when the predicted mention
   overlaps the gold speaker span, or when neither names a speaker (the tracker's "floating
   quote" rule). The real pages give the mention as a string: it is located with ``word_anchor``
   (any occurrence outside the quote within ``MENTION_WINDOW`` characters of it counts, as the
   string does not say which); where it cannot be (no mention string, or none near), saywho's
   name agreement decides (``evaluate.speaker_correct``).

What the data adds and the tracker does not have: predictions lying >= 50% inside PolNeAR's
``discard_spans`` are dropped before matching, and a left-over prediction that half-overlaps a
borderline or nested gold item of the real pages is not a false positive (as in ``saywho.evaluate``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .evaluate import (
    GOLD_KINDS,
    MATCH_RATIO,
    Chars,
    GoldArticle,
    GoldQuote,
    anchored,
    chars,
    of_kinds,
    prf,
    ratio,
    speaker_correct,
)
from .model import Article, Quote
from .word_anchor import WordIndex

THRESHOLDS = (0.3, 0.8)
MENTION_WINDOW = 200  # characters between a quote and its speaker mention, at most


@dataclass
class GgtCounts:
    threshold: float
    gold: int = 0
    preds: int = 0  # predictions scored (discarded and neutral ones left out)
    tp: int = 0
    speaker: int = 0

    def metrics(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "gold": self.gold, "predicted": self.preds, "matched": self.tp,
                **prf(self.tp, self.preds, self.gold), "speaker_accuracy": ratio(self.speaker, self.tp)}


def greedy_match(gold: Sequence[Chars], preds: Sequence[Chars], threshold: float) -> list[tuple[int, int]]:
    """(gold index, prediction index) pairs, by the tracker's rule 2."""
    remaining = list(range(len(preds)))
    pairs = []
    for gi, g in enumerate(gold):
        best, best_score = None, 0.0
        for pi in remaining:
            score = len(g & preds[pi]) / len(g) if g else 0.0
            if score > threshold and score > best_score:
                best, best_score = pi, score
        if best is not None:
            remaining.remove(best)
            pairs.append((gi, best))
    return pairs


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(a[0] - b[1], b[0] - a[1], 0)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def locate_mentions(gold: GoldArticle) -> GoldArticle:
    """String gold with each quote's mention string placed in the text (rule 4), where it can be:
    every occurrence outside the quote within ``MENTION_WINDOW`` of it is kept, since the string
    alone does not say which one the annotator meant (the nearest is often the next quote's)."""
    if gold.strings is None:
        return gold
    index = WordIndex(gold.text)
    quotes = []
    for q in gold.quotes:
        if q.speaker_span is None and q.speaker_text and q.spans:
            # Outside every fragment, not the quote's extent: an interrupted quote holds its mention.
            near = tuple(s for s in index.find_all(q.speaker_text)
                         if not any(_overlaps(s, f) for f in q.spans)
                         and min(_gap(s, f) for f in q.spans) <= MENTION_WINDOW)
            if near:
                q = replace(q, speaker_span=near[0], flags={**q.flags, "mention_spans": near})
        quotes.append(q)
    return replace(gold, quotes=quotes)


def _speaker_right(gold: GoldQuote, pred: Quote, article: Article) -> bool:
    if gold.speaker_span is None:
        # Neither names a speaker (the floating-quote rule), or a name to compare where no span is known.
        return speaker_correct(gold, pred, article)
    if pred.speaker is None:
        return False
    mention = (pred.speaker.start, pred.speaker.end)
    return any(_overlaps(mention, s) for s in gold.flags.get("mention_spans", (gold.speaker_span,)))


def score_article(gold: GoldArticle, article: Article, threshold: float) -> GgtCounts:
    """One article's counts: ``gold`` anchored in ``article.text``, ``article`` of the kinds scored."""
    text = gold.text
    discard = chars(text, gold.discard_spans)
    kept, pred_chars = [], []
    for q in article.quotes:
        c = chars(text, [(q.start, q.end)])
        if not (discard and c and len(c & discard) >= MATCH_RATIO * len(c)):
            kept.append(q)
            pred_chars.append(c)
    gold_chars = [chars(text, q.spans) for q in gold.quotes]
    pairs = greedy_match(gold_chars, pred_chars, threshold)
    taken = {pi for _, pi in pairs}
    neutral = [n for spans in gold.neutral_spans if (n := chars(text, spans))]
    neutral_left = sum(1 for pi, p in enumerate(pred_chars) if pi not in taken and p and any(
        len(p & n) >= MATCH_RATIO * min(len(p), len(n)) for n in neutral))
    counts = GgtCounts(threshold, gold=len(gold.quotes), preds=len(kept) - neutral_left, tp=len(pairs))
    counts.speaker = sum(_speaker_right(gold.quotes[gi], kept[pi], article) for gi, pi in pairs)
    return counts


def score(
    gold: Sequence[GoldArticle], predictions: Iterable[Article | None], kinds: frozenset[str] | None = GOLD_KINDS,
    thresholds: Sequence[float] = THRESHOLDS,
) -> dict[float, GgtCounts]:
    """A file's counts per threshold, micro-averaged; ``kinds`` as in ``saywho.evaluate.score``."""
    totals = {t: GgtCounts(t) for t in thresholds}
    for g, article in zip(gold, predictions, strict=True):
        article = article if article is not None else Article(g.text)
        g = locate_mentions(anchored(g, article.text))
        article = of_kinds(article, g.kinds if kinds is GOLD_KINDS else kinds)
        for t in thresholds:
            c = score_article(g, article, t)
            total = totals[t]
            total.gold, total.preds, total.tp, total.speaker = (
                total.gold + c.gold, total.preds + c.preds, total.tp + c.tp, total.speaker + c.speaker)
    return totals
