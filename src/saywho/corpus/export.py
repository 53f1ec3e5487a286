"""Export of a corpus database: one row per stored quote occurrence, as Parquet, CSV or JSONL."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from ..model import READER_KINDS
from .records import QUOTE_COLUMNS, quote_records
from .store import Store

EXPORT_COLUMNS = (*QUOTE_COLUMNS, "outlet", "date", "url", "headline", "source",
                  "corpus_speaker_id", "corpus_speaker_key", "corpus_speaker", "corpus_speaker_type",
                  "corpus_speaker_gender", "source_type", "cluster_id")
EXPORT_FORMATS = ("parquet", "csv", "jsonl")
_LIST_COLUMNS = ("aliases", "descriptors")


def export_rows(
    store: Store, chunk: int = 200, kinds: Iterable[str] | None = READER_KINDS, min_confidence: float = 0.0,
) -> Iterator[dict[str, Any]]:
    """One row per stored quote occurrence of ``kinds`` (speech unless asked; None: every kind,
    labelled, as the Spark job writes them) with at least
    ``min_confidence``: ``quote_records`` of the rebuilt article plus the corpus columns. Reads
    ``chunk`` articles at a time. A quote nested in one left out is no longer ``nested_in`` it, as
    in ``Article.selected``, so no row points at a row the export does not hold."""
    narrow = kinds is not None or min_confidence > 0
    for row, article in store.iter_articles(chunk):
        if narrow:
            article = article.selected(kinds, min_confidence)
            if not article.quotes:
                continue
        ids = store.corpus_ids(row["id"])
        for rec in quote_records(str(row["id"]), article):
            extra = ids.get(rec["quote_id"], {})
            rec.update({
                # The database id, an integer like every other corpus id of the row.
                "article_id": int(row["id"]),
                "outlet": row["outlet"], "date": row["date"], "url": row["url"], "headline": row["headline"],
                "source": row["source"], "corpus_speaker_id": extra.get("sid"),
                "corpus_speaker_key": extra.get("skey"), "corpus_speaker": extra.get("sname"),
                "corpus_speaker_type": extra.get("stype"), "corpus_speaker_gender": extra.get("sgender"),
                "source_type": extra.get("source_type"), "cluster_id": extra.get("cluster_id"),
            })
            yield {col: rec.get(col) for col in EXPORT_COLUMNS}


def export(
    store: Store, out: str | Path, fmt: str, batch_rows: int = 5000,
    kinds: Iterable[str] | None = READER_KINDS, min_confidence: float = 0.0,
) -> int:
    """Write the quote occurrences of ``kinds`` (speech unless asked, as readers count quotes;
    None for every kind) with at least ``min_confidence`` to ``out`` ("-" is stdout for
    csv/jsonl); returns the row count. Every row carries its ``kind`` and ``confidence``."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    rows = export_rows(store, kinds=kinds, min_confidence=min_confidence)
    if fmt == "parquet":
        if str(out) == "-":
            raise ValueError("parquet cannot be written to stdout; give a file name")
        return _write_parquet(rows, Path(out), batch_rows)
    if str(out) == "-":
        return _write_text(rows, sys.stdout, fmt)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        return _write_text(rows, fh, fmt)


def _write_text(rows: Iterator[dict[str, Any]], fh: IO[str], fmt: str) -> int:
    n = 0
    if fmt == "jsonl":
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
        return n
    writer = csv.DictWriter(fh, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    for row in rows:
        for col in _LIST_COLUMNS:
            row[col] = json.dumps(row[col] or [], ensure_ascii=False)
        writer.writerow(row)
        n += 1
    return n


def _parquet_schema() -> Any:
    import pyarrow as pa

    types = {
        "article_id": pa.int64(), "date": pa.date32(),  # a date, not text: filters and plots read it as one
        "confidence": pa.float64(),
        "start": pa.int64(), "end": pa.int64(), "corpus_speaker_id": pa.int64(), "cluster_id": pa.int64(),
        "speaker_named": pa.bool_(), "pullquote": pa.bool_(), "continuation": pa.bool_(),
        "aliases": pa.list_(pa.string()), "descriptors": pa.list_(pa.string()),
    }
    return pa.schema([(col, types.get(col, pa.string())) for col in EXPORT_COLUMNS])


def _write_parquet(rows: Iterator[dict[str, Any]], out: Path, batch_rows: int) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _parquet_schema()
    strings = [f.name for f in schema if f.type == pa.string()]
    n = 0
    with pq.ParquetWriter(str(out), schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            for col in strings:  # a column the core adds later arrives here as text
                if row[col] is not None and not isinstance(row[col], str):
                    row[col] = json.dumps(row[col], ensure_ascii=False)
            if row["date"] is not None:
                row["date"] = date.fromisoformat(row["date"])
            batch.append(row)
            if len(batch) >= batch_rows:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n
