"""Fit the quote-confidence model (``saywho/attribution/confidence.py``) on PolNeAR train only.

    .venv/bin/python scripts/train_confidence.py [--train ../shared/data/polnear/train.jsonl]
    .venv/bin/python scripts/train_confidence.py --report   # reliability on held-out gold, as markdown

Every quote saywho reports on a train article is a row: its evidence features, and 1 when it
matches a gold attribution (``saywho.evaluate``'s half-overlap match), 0 when it matches none;
pieces of an interrupted quote and quotes in discarded boilerplate are left out. A logistic
regression (scikit-learn, deterministic) is fitted and its weights written to
``src/saywho/data/confidence.json``, read at run time without any ML library. ``--report``
scores PolNeAR dev (every kind), the real pages and the seed (speech) and prints the reliability
table (``saywho.calibration``, which bench/run.py uses for docs/benchmarks.md#confidence).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from saywho import calibration, evaluate
from saywho.attribution import attribute, confidence
from saywho.attribution.learned import Model
from saywho.ingest import ingest
from saywho.model import Article
from saywho.pipeline import Extractor
from saywho.quotes import find_quotes
from saywho.speakers import resolve_speakers
from saywho.types import AttributedQuote

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEFAULT_TRAIN = SHARED / "data" / "polnear" / "train.jsonl"
OUT = ROOT / "src" / "saywho" / "data" / confidence.CONFIDENCE_FILE


def labelled(extractor: Extractor, gold: list[evaluate.GoldArticle]) -> list[tuple[AttributedQuote, list[str], int]]:
    """(quote, features, label) for every scored quote saywho reports on the gold articles."""
    rows = []
    for n, g in enumerate(gold):
        document = ingest(g.page if g.page is not None else g.text, "auto" if g.page is not None else "text")
        parsed = extractor.parse(document)
        quotes = attribute(parsed, find_quotes(document))
        article = Article(document.text, regions=list(document.regions))
        article.quotes, article.speakers = resolve_speakers(parsed, quotes)
        g = evaluate.anchored(g, article.text)
        kept = evaluate.of_kinds(article, g.kinds)
        index = {q.id: i for i, q in enumerate(article.quotes)}
        for pi, label in calibration.outcomes(evaluate.match_article(g, kept)):
            q = quotes[index[kept.quotes[pi].id]]
            rows.append((q, confidence.features(q, document), label))
        print(f"\r{n + 1}/{len(gold)}", end="", file=sys.stderr)
    print(file=sys.stderr)
    return rows


def fit(rows: list[tuple[AttributedQuote, list[str], int]], c: float) -> Model:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([{f: 1 for f in feats} for _, feats, _ in rows])
    y = [label for _, _, label in rows]
    model = LogisticRegression(C=c, max_iter=2000).fit(x, y)
    weights = {name: round(float(w), 4) for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0],
                                                         strict=True) if abs(w) >= 1e-4}
    return Model(dict(sorted(weights.items())), round(float(model.intercept_[0]), 4), 0.5)


def _precision(p: float | None) -> str:
    return "–" if p is None else f"{p:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation")
    parser.add_argument("--report", action="store_true", help="print the reliability table of the shipped model")
    args = parser.parse_args()
    extractor = Extractor()
    if args.report:
        model = confidence.shipped_model()
        assert model is not None, f"no {OUT.name} shipped"
        print("| gold | confidence | quotes | precision |\n|---|---|---:|---:|")
        for name, path in (("PolNeAR dev (every kind)", SHARED / "data" / "polnear" / "dev.jsonl"),
                           ("real pages dev (speech)", SHARED / "data" / "aeb" / "quotes-dev.jsonl"),
                           ("seed (speech)", SHARED / "examples" / "mee-mosul-foreign-fighters.gold.json")):
            # The confidence users see (rounded, as --min-confidence compares it), scored as `saywho eval` does.
            gold = evaluate.load_gold(path)
            _, results = evaluate.score(gold, evaluate.predict_gold(extractor, gold))
            for label, count, precision in calibration.reliability(calibration.confidence_outcomes(results)):
                print(f"| {name} | {label} | {count} | {_precision(precision)} |")
        return 0
    rows = labelled(extractor, evaluate.load_gold(args.train))
    model = fit(rows, args.c)
    OUT.write_text(json.dumps({
        "trained_on": args.train.name, "quotes": len(rows), "right": sum(r[2] for r in rows),
        "intercept": model.intercept, "weights": model.weights,
    }, indent=0) + "\n", encoding="utf-8")
    for label, count, precision in calibration.reliability((model.probability(f), y) for _, f, y in rows):
        print(f"train {label}: {count} quotes, precision {_precision(precision)}", file=sys.stderr)
    print(f"-> {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
