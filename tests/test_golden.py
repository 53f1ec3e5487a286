"""The guard every refactor runs against: the exact output on real articles, and accuracy floors.

``tests/golden.json`` holds the sha256 of ``Article.to_dict()`` (canonical JSON) for the seed
article, the first 40 PolNeAR dev articles and the 38 real pages of ``data/aeb/quotes-dev.jsonl``
(their raw HTML). Only digests live in the repository, never the shared texts. A commit that
changes behaviour on purpose re-pins them in the same commit:

    .venv/bin/python tests/test_golden.py --update
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path

import pytest

import saywho
from saywho import evaluate

GOLDEN = Path(__file__).with_name("golden.json")
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "examples" / "mee-mosul-foreign-fighters.gold.json"
DEV = SHARED / "data" / "polnear" / "dev.jsonl"
PAGES = SHARED / "data" / "aeb"
DEV_SLICE = 40

# Accuracy floors (end-to-end F1), a little under what the pinned code scores, so a change that
# loses accuracy fails here even when it re-pins the digests.
SEED_E2E_FLOOR = 0.94
DEV_SLICE_E2E_FLOOR = 0.71


def digest(article: saywho.Article) -> str:
    blob = json.dumps(article.to_dict(), sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return hashlib.sha256(blob).hexdigest()


def golden_inputs() -> list[tuple[str, str | bytes, str]]:
    """(key, source, input format) for every pinned article, in a fixed order."""
    items: list[tuple[str, str | bytes, str]] = []
    seed_text = SEED.with_name(SEED.name.replace(".gold.json", ".txt")).read_text(encoding="utf-8")
    items.append(("seed", seed_text, "text"))
    with DEV.open(encoding="utf-8") as f:
        for n, line in enumerate(f):
            if n >= DEV_SLICE:
                break
            record = json.loads(line)
            items.append((f"polnear:{record['id']}", record["text"], "text"))
    with (PAGES / "quotes-dev.jsonl").open(encoding="utf-8") as f:
        page_ids = [json.loads(line)["id"] for line in f if line.strip()]
    by_prefix = {p.name.split(".")[0]: p for p in (PAGES / "html").glob("*.html.gz")}
    for page_id in page_ids:
        path = next(p for name, p in by_prefix.items() if name.startswith(page_id))
        items.append((f"aeb:{page_id}", gzip.decompress(path.read_bytes()), "auto"))
    return items


def compute(extractor: saywho.Extractor) -> dict[str, str]:
    return {key: digest(extractor(source, fmt)) for key, source, fmt in golden_inputs()}  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def pinned(shared: Path) -> dict[str, str]:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_outputs_are_byte_identical_to_the_pinned_digests(extractor: saywho.Extractor, pinned: dict[str, str]) -> None:
    actual = compute(extractor)
    assert list(actual) == list(pinned), "the set of pinned articles changed"
    changed = [key for key in pinned if actual[key] != pinned[key]]
    assert not changed, f"{len(changed)} of {len(pinned)} outputs changed, e.g. {changed[:5]}"


def _e2e_f1(extractor: saywho.Extractor, gold: list[evaluate.GoldArticle]) -> float:
    counts, _ = evaluate.score(gold, evaluate.predict(extractor, [g.text for g in gold]))
    f1 = counts.metrics()["end_to_end"]["f1"]
    assert f1 is not None
    return f1


def test_seed_accuracy_floor(extractor: saywho.Extractor, shared: Path) -> None:
    assert _e2e_f1(extractor, evaluate.load_gold(SEED)) >= SEED_E2E_FLOOR


def test_polnear_dev_slice_accuracy_floor(extractor: saywho.Extractor, shared: Path) -> None:
    gold = evaluate.load_gold(DEV)[:DEV_SLICE]
    assert _e2e_f1(extractor, gold) >= DEV_SLICE_E2E_FLOOR


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/test_golden.py --update")
    digests = compute(saywho.Extractor())
    GOLDEN.write_text(json.dumps(digests, indent=1) + "\n", encoding="utf-8")
    print(f"pinned {len(digests)} digests in {GOLDEN}")
