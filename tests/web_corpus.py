"""A small real corpus for the web tests: the shared example plus the first PolNeAR dev
articles, stored with their outlet, date and title the way `saywho run` stores them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from saywho import Article, Extractor
from saywho.corpus.store import Store

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EXAMPLE = SHARED / "examples" / "mee-mosul-foreign-fighters.txt"
POLNEAR_DEV = SHARED / "data" / "polnear" / "dev.jsonl"


def shared_file(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"{path} is not available (../shared is absent)")
    return path


def build_corpus(db: Path, extractor: Extractor, n_polnear: int = 4) -> list[tuple[int, Article]]:
    """A small real corpus: the shared example plus the first PolNeAR dev articles, stored with
    their outlet, date and title the way `saywho run` stores them."""
    items: list[tuple[str, dict[str, Any]]] = [(shared_file(EXAMPLE).read_text(encoding="utf-8"), {})]
    with shared_file(POLNEAR_DEV).open(encoding="utf-8") as fh:
        for line in fh:
            if len(items) > n_polnear:
                break
            record = json.loads(line)
            meta = record.get("metadata", {})
            items.append((record["text"], {
                "publisher": meta.get("publisher"), "date": meta.get("publication_date"),
                "headline": meta.get("title"),
            }))
    stored = []
    with Store(db) as store:
        for text, meta in items:
            article = extractor(text, "text")
            article.metadata.update({k: v for k, v in meta.items() if v})
            article_id = store.add_article(article, hashlib.sha256(text.encode()).hexdigest(), source="test")
            assert article_id is not None
            stored.append((article_id, article))
        store.consolidate()
    return stored
