"""Train the attribution detectors on PolNeAR train (never dev) and write their weights.

    .venv/bin/python scripts/train_cue_model.py [--train ../shared/data/polnear/train.jsonl]

Two logistic regressions (see ``saywho/attribution/learned.py``). Both thresholds, then the score above
which a plain noun phrase is content, are chosen by end-to-end F1 on the last ``--holdout``
train articles with models fitted on the rest; both are then refitted on every train article.
Deterministic (fixed solver, no shuffling), a few minutes on one CPU core. Needs scikit-learn
(a dev dependency only); the library reads the JSON it writes without it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import pickle
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from saywho.attribution import learned, predicate_candidate
from saywho.evaluate import Counts, gold_article, match_article
from saywho.ingest import ingest
from saywho.pipeline import Extractor, analyse
from saywho.types import Document, Paragraph, ParsedDocument

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TRAIN = ROOT.parent / "shared" / "data" / "polnear" / "train.jsonl"
OUT = ROOT / "src" / "saywho" / "data" / learned.MODEL_FILE
RARE_LEMMA_COUNT = 10
# A verb attributes a plain noun phrase when train shows it doing so this often, at this rate.
OBJECT_MIN_POSITIVES, OBJECT_MIN_RATE = 3, 0.3
THRESHOLDS = [round(0.2 + 0.05 * i, 2) for i in range(9)]
CUE_THRESHOLDS = [0.3, 0.4, 0.5, 0.6]
# Above this score a noun phrase is content even for a verb train never shows taking one (1.0: never).
OBJECT_THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]


@dataclass
class Parsed:
    record: dict
    document: Document
    paragraphs: list[Paragraph]
    cue_rows: list[tuple[list[str], int]]
    predicate_rows: list[tuple[list[str], int]]


def _half_overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    return overlap > 0 and overlap >= 0.5 * min(a[1] - a[0], b[1] - b[0])


def parse(path: Path, limit: int | None, cache: Path | None) -> list[Parsed]:
    """Every train article parsed once (or read back from ``cache``), with its verb rows."""
    if cache is not None and cache.exists():
        with cache.open("rb") as f:
            parsed = pickle.load(f)
    else:
        extractor = Extractor()
        parsed = []
        with path.open(encoding="utf-8") as lines:
            for n, line in enumerate(lines):
                if limit is not None and n >= limit:
                    break
                record = json.loads(line)
                document = ingest(record["text"], "text")
                parsed.append((record, document, extractor.parse(document, batch_size=16).paragraphs))
                print(f"\rparsed {n + 1}", end="", file=sys.stderr)
        print(file=sys.stderr)
        if cache is not None:
            with cache.open("wb") as f:
                pickle.dump(parsed, f)
    return [Parsed(record, document, paragraphs, *rows(record, paragraphs)) for record, document, paragraphs in parsed]


def rows(record: dict, paragraphs: list[Paragraph]) -> tuple[list, list]:
    """(features, label) for every verb as a cue, and for every verb or noun with a source and
    complements as a predicate."""
    gold = [q for q in record["quotes"] if q.get("cue_start") is not None]
    cue_rows, predicate_rows = [], []
    for paragraph in paragraphs:
        for token in paragraph.doc:
            if token.pos_ not in ("VERB", "AUX", "NOUN", "ADJ"):
                continue
            start = paragraph.offset + token.idx
            cues = [q for q in gold if q["cue_start"] <= start < q["cue_end"]]
            if token.pos_ in ("VERB", "AUX"):
                cue_rows.append((learned.features(token), int(bool(cues))))
            span = predicate_candidate(token)
            if span is None:
                continue
            first, last = span
            chars = (paragraph.offset + first.idx, paragraph.offset + last.idx + len(last))
            label = any(_half_overlap(chars, (q["content_start"], q["content_end"])) for q in cues)
            predicate_rows.append((learned.predicate_features(token, first, last), int(label)))
    return cue_rows, predicate_rows


def without_rare_lemmas(rows: list[tuple[list[str], int]]) -> list[tuple[list[str], int]]:
    """A lemma seen fewer than RARE_LEMMA_COUNT times shares one weight with every other rare
    lemma, so that one lucky example does not make "sing" a speech verb."""
    counts = Counter(feats[0] for feats, _ in rows)
    out = []
    for feats, label in rows:
        if counts[feats[0]] < RARE_LEMMA_COUNT:
            word = feats[0].removeprefix("lemma=")
            feats = [learned.RARE] + [f for f in feats[1:] if not (f.startswith("lemma_") and word in f)]
        out.append((feats, label))
    return out


def fit(rows: list[tuple[list[str], int]], min_weight: float, c: float = 0.5) -> learned.Model:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = without_rare_lemmas(rows)
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([{name: 1.0 for name in feats} for feats, _ in rows])
    model = LogisticRegression(C=c, max_iter=3000, solver="lbfgs")
    model.fit(x, [label for _, label in rows])
    weights = {
        name: round(float(w), 4)
        for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0], strict=True)
        if abs(w) >= min_weight or name.startswith("lemma=")  # a known lemma keeps its weight
    }
    return learned.Model(dict(sorted(weights.items())), round(float(model.intercept_[0]), 4), learned.THRESHOLD)


def object_lemmas(rows: list[tuple[list[str], int]]) -> frozenset[str]:
    seen, positive = Counter(), Counter()
    for feats, label in rows:
        if learned.OBJECT_ONLY in feats:
            lemma = feats[0].removeprefix("lemma=")
            seen[lemma] += 1
            positive[lemma] += label
    return frozenset(w for w, n in positive.items() if n >= OBJECT_MIN_POSITIVES and n / seen[w] >= OBJECT_MIN_RATE)


def fit_all(articles: list[Parsed], min_weight: float, c: float) -> dict[str, learned.Model]:
    predicate_rows = [row for a in articles for row in a.predicate_rows]
    predicate = fit(predicate_rows, min_weight, c)
    predicate.object_lemmas = object_lemmas(predicate_rows)
    return {"cue": fit([row for a in articles for row in a.cue_rows], min_weight), "predicate": predicate}


def end_to_end_f1(articles: list[Parsed], models: dict[str, learned.Model]) -> float:
    counts = Counts()
    with learned.use_models(models):
        for a in articles:
            counts.add_result(match_article(gold_article(a.record), analyse(ParsedDocument(a.document, a.paragraphs))))
    return counts.metrics()["end_to_end"]["f1"] or 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--holdout", type=int, default=140, help="last N articles choose the threshold")
    parser.add_argument("--min-weight", type=float, default=0.01)
    parser.add_argument("--c", type=float, default=0.5, help="inverse regularisation of the predicate model")
    parser.add_argument("--cache", type=Path, default=None, help="parsed articles, written once and reused")
    args = parser.parse_args()

    articles = parse(args.train, args.limit, args.cache)
    fitted, held = articles[: -args.holdout], articles[-args.holdout :]
    models = fit_all(fitted, args.min_weight, args.c)
    scores = {}
    for cue_threshold, predicate_threshold in itertools.product(CUE_THRESHOLDS, THRESHOLDS):
        models["cue"].threshold, models["predicate"].threshold = cue_threshold, predicate_threshold
        scores[cue_threshold, predicate_threshold] = f1 = end_to_end_f1(held, models)
        print(f"thresholds cue {cue_threshold:.2f} predicate {predicate_threshold:.2f}: held-out end-to-end F1 "
              f"{f1:.4f}", file=sys.stderr)
    best = max(scores, key=lambda t: (scores[t], -abs(t[0] - 0.5) - abs(t[1] - 0.5)))
    models["cue"].threshold, models["predicate"].threshold = best
    object_scores = {}
    for object_threshold in OBJECT_THRESHOLDS:  # then, at those thresholds, the noun-phrase gate
        models["predicate"].object_threshold = object_threshold
        object_scores[object_threshold] = f1 = end_to_end_f1(held, models)
        print(f"object threshold {object_threshold:.2f}: held-out end-to-end F1 {f1:.4f}", file=sys.stderr)
    best_object = max(object_scores, key=lambda t: (object_scores[t], t))
    models = fit_all(articles, args.min_weight, args.c)
    models["cue"].threshold, models["predicate"].threshold = best
    models["predicate"].object_threshold = best_object

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({
        "trained_on": args.train.name, "articles": len(articles), "holdout": args.holdout,
        "models": {
            name: {
                "examples": len([r for a in articles for r in getattr(a, f"{name}_rows")]),
                "positives": sum(r[1] for a in articles for r in getattr(a, f"{name}_rows")),
                "threshold": m.threshold, "object_lemmas": sorted(m.object_lemmas),
                "object_threshold": m.object_threshold,
                "intercept": m.intercept, "weights": m.weights,
            }
            for name, m in models.items()
        },
    }, indent=0) + "\n", encoding="utf-8")
    print(f"thresholds {best}, object {best_object} (held-out F1 {object_scores[best_object]:.4f}) -> {OUT}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
