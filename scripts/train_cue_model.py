"""Train the attribution-cue detector on PolNeAR train (never dev) and write its weights.

    .venv/bin/python scripts/train_cue_model.py [--train ../shared/data/polnear/train.jsonl]

Deterministic (fixed solver, no shuffling), a few minutes on one CPU core. Needs scikit-learn
(a dev dependency only); the library reads the JSON it writes without it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from saywho import cue_model
from saywho.ingest import ingest
from saywho.pipeline import Extractor

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TRAIN = ROOT.parent / "shared" / "data" / "polnear" / "train.jsonl"
OUT = ROOT / "src" / "saywho" / "data" / cue_model.MODEL_FILE


def examples(path: Path, limit: int | None):
    """(features, label) for every verb of every quote-bearing paragraph."""
    extractor = Extractor()
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit is not None and n >= limit:
                break
            record = json.loads(line)
            cues = [(q["cue_start"], q["cue_end"]) for q in record["quotes"] if q.get("cue_start") is not None]
            document = ingest(record["text"], "text")
            for paragraph in extractor._parse(document, batch_size=16):
                for token in paragraph.doc:
                    if token.pos_ not in ("VERB", "AUX"):
                        continue
                    start = paragraph.offset + token.idx
                    label = any(s <= start < e for s, e in cues)
                    yield cue_model.features(token), int(label)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--min-weight", type=float, default=0.01)
    parser.add_argument("--cache", type=Path, default=None, help="features file to write once and reuse")
    args = parser.parse_args()
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    feats, labels = [], []
    if args.cache is not None and args.cache.exists():
        rows = (json.loads(line) for line in args.cache.open(encoding="utf-8"))
    else:
        rows = ([f, y] for f, y in examples(args.train, args.limit))
    cache = args.cache.open("w", encoding="utf-8") if args.cache is not None and not args.cache.exists() else None
    for f, y in rows:
        if cache is not None:
            cache.write(json.dumps([f, y]) + "\n")
        feats.append({name: 1.0 for name in f})
        labels.append(y)
    if cache is not None:
        cache.close()
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform(feats)
    model = LogisticRegression(C=0.5, max_iter=3000, solver="lbfgs")
    model.fit(x, labels)
    weights = {
        name: round(float(w), 4)
        for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0], strict=True)
        if abs(w) >= args.min_weight
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({
        "trained_on": str(args.train.name), "examples": len(labels), "positives": int(sum(labels)),
        "intercept": round(float(model.intercept_[0]), 4), "weights": dict(sorted(weights.items())),
    }, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"{len(labels)} verbs, {sum(labels)} cues, {len(weights)} weights -> {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
