"""Fit the pronoun antecedent ranker (``saywho/speakers/ranker.py``) on GUM train only.

    .venv/bin/python scripts/train_coref.py [--gum ../shared/data/gum] [--c 0.5]

Train is every GUM document not in dev, test or test2 (``splits.md``). Each document's gold
mentions are resolved in text order by ``speakers.mentions.MentionResolver`` (the rules); at
every third-person pronoun whose gold entity is named, each candidate entity the ranker would
weigh is a row: its features, and 1 when it is the gold entity (``evaluate_coref.is_right``),
else 0. Pronouns with no right candidate teach nothing about ranking and are left out. A
logistic regression (scikit-learn, liblinear: deterministic) is fitted and written to
``src/saywho/data/coref_model.json``; then GUM dev is scored with rules alone and with the
ranker, so a model that does not beat the rules is visible before it is committed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from saywho import evaluate_coref
from saywho.gum import GumDocument, read_gum, split_files
from saywho.ingest import ingest
from saywho.logistic import Model
from saywho.model import Span
from saywho.pipeline import Extractor
from saywho.speakers import Entity
from saywho.speakers.mentions import MentionResolver

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GUM = ROOT.parent / "shared" / "data" / "gum"
OUT = ROOT / "src" / "saywho" / "data" / "coref_model.json"


def rows_of_document(extractor: Extractor, doc: GumDocument) -> list[tuple[list[str], int]]:
    rows: list[tuple[list[str], int]] = []

    def observe(index: int, cands: list[Entity], feats: list[list[str]], rule: Entity | None) -> None:
        mention = doc.mentions[index]
        if not doc.entities[mention.entity].named or mention.pronoun_kind is None:
            return
        labels = [int(evaluate_coref.is_right(mention, c, doc)) for c in cands]
        if any(labels):
            rows.extend(zip(feats, labels, strict=True))

    parsed = extractor.parse(ingest(doc.text, "text"))
    MentionResolver(parsed, [Span(m.start, m.end, m.text) for m in doc.mentions], observe=observe).resolve_all()
    return rows


def fit(rows: list[tuple[list[str], int]], c: float) -> Model:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([dict.fromkeys(feats, 1) for feats, _ in rows])
    y = [label for _, label in rows]
    x.indices, x.indptr = x.indices.astype("int32"), x.indptr.astype("int32")  # liblinear wants 32-bit
    model = LogisticRegression(C=c, solver="liblinear", max_iter=2000).fit(x, y)
    weights = {name: round(float(w), 4) for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0],
                                                         strict=True) if abs(w) >= 1e-4}
    # the ranker takes the best candidate whatever its score: threshold 0
    return Model(dict(sorted(weights.items())), round(float(model.intercept_[0]), 4), 0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gum", type=Path, default=DEFAULT_GUM)
    parser.add_argument("--c", type=float, default=0.5, help="inverse regularisation")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    extractor = Extractor()
    rows: list[tuple[list[str], int]] = []
    files = split_files(args.gum, "train")
    for f in files:
        for doc in read_gum(f):
            rows.extend(rows_of_document(extractor, doc))
    print(f"{len(files)} documents, {len(rows)} rows", file=sys.stderr)
    model = fit(rows, args.c)
    payload = {"trained_on": "GUM train (splits.md: not dev, test or test2)", "c": args.c, "rows": len(rows),
               "models": {"pronoun": {"weights": model.weights, "intercept": model.intercept,
                                      "threshold": model.threshold}}}
    args.out.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {args.out} ({len(model.weights)} weights)", file=sys.stderr)
    from saywho.speakers import ranker

    ranker.shipped_model.cache_clear()
    dev = evaluate_coref.gum_documents([args.gum], "dev")
    for use in (False, True):
        report = evaluate_coref.evaluate_gum(extractor, dev, ranker=use)["all"]["rows"]
        print("dev", "rules+ranker" if use else "rules", {k: round(v["accuracy"] or 0, 3) for k, v in report.items()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
