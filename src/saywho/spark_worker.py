"""The executor side of ``saywho.spark``: what runs in the Spark executors' Python workers.

Each worker process loads one ``saywho.Extractor`` (cached per model) and turns normalised
article records into output rows: quotes (``saywho.corpus.records.quote_records``), one tally
row per article, or one error row. Outlet, date and url follow ``saywho.corpus.reading``, the
rules `saywho run` uses too; WARC files are read here, one stream per task.

Absolute imports only: the functions handed to mapInPandas are pickled by reference to this
module, which executors import from the shipped package.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlparse

import pandas as pd
from pyspark.sql import types as T

from saywho.corpus import reading
from saywho.corpus.records import QUOTE_COLUMNS, quote_records
from saywho.deadline import time_limit
from saywho.errors import InputError

if TYPE_CHECKING:
    from saywho.pipeline import Extractor

# Article-level columns carried onto every quote row when the input has them.
PASSTHROUGH = ("outlet", "date", "url")
# An HTML page past this is not a news article; reading it whole would only cost memory.
MAX_RECORD_BYTES = 10_000_000
# The ``Article.metadata`` key each output column is read from (see ``reading.article_columns``).
METADATA_OF = {"outlet": "publisher", "date": "date", "url": "url"}
# Rows per pandas frame a worker yields: small frames keep a worker's memory flat on big inputs.
CHUNK_ROWS = 64
# One article may take this long before it becomes an error row ("took longer than 120 s"), as in
# `saywho run`: a task of thousands of articles must not stall on one.
ARTICLE_TIME_LIMIT_S = 120.0

# Spark types of the ``quote_records`` columns. A column added there without a type here
# fails loudly at plan time (``_quote_fields``) rather than silently changing the output.
QUOTE_TYPES: dict[str, T.DataType] = {
    "article_id": T.StringType(),
    "quote_id": T.StringType(),
    "quote": T.StringType(),
    "type": T.StringType(),
    "kind": T.StringType(),        # every kind is kept, labelled: a dataset job, not a reader's view
    "confidence": T.DoubleType(),
    "start": T.IntegerType(),
    "end": T.IntegerType(),
    "cue": T.StringType(),
    "speaker_id": T.StringType(),
    "speaker": T.StringType(),
    "speaker_mention": T.StringType(),
    "speaker_named": T.BooleanType(),
    "speaker_type": T.StringType(),
    "speaker_gender": T.StringType(),
    "aliases": T.ArrayType(T.StringType()),
    "descriptors": T.ArrayType(T.StringType()),
    "nested_in": T.StringType(),
    "pullquote": T.BooleanType(),
    "continuation": T.BooleanType(),
}

# The normalised article frame every input is turned into before extraction.
_ARTICLE_FIELDS = [
    T.StructField("_id", T.StringType()),
    T.StructField("_text", T.StringType()),      # text input, kept exactly as given
    T.StructField("_bytes", T.BinaryType()),     # raw bytes (WARC payloads, binary columns)
    T.StructField("_format", T.StringType()),    # input_format for the extractor
    T.StructField("_error", T.StringType()),     # a reason known before extraction (broken JSON line)
    T.StructField("_source", T.StringType()),    # the file the article came from, for the errors output
    # The record's candidate metadata fields as JSON, read on the executor by ``reading.record_metadata``
    # (JSONL and Parquet input); None where the passthrough columns already hold what is stated.
    T.StructField("_stated", T.StringType()),
    # Fill-ins only for what neither the record nor the page states (a WARC's host and crawl day).
    T.StructField("_fallback_outlet", T.StringType()),
    T.StructField("_fallback_date", T.StringType()),
]


def _article_schema() -> T.StructType:
    return T.StructType([*_ARTICLE_FIELDS, *[T.StructField(c, T.StringType()) for c in PASSTHROUGH]])


# --------------------------------------------------------------------------- executor side

_EXTRACTORS: dict[str | None, Extractor] = {}


def _extractor(model: str | None) -> Extractor:
    """One Extractor per model per Python process: executors reuse their Python workers
    across tasks, so the spaCy model is loaded once per worker, not once per partition."""
    if model not in _EXTRACTORS:
        from saywho.pipeline import Extractor

        _EXTRACTORS[model] = Extractor(model)
    return _EXTRACTORS[model]


def _missing(value: Any) -> bool:
    """A null that pandas may hand over as NaN (not the "null"-string rule: that is for metadata)."""
    return value is None or (isinstance(value, float) and value != value)


def _quote_fields() -> list[T.StructField]:
    unknown = [c for c in QUOTE_COLUMNS if c not in QUOTE_TYPES]
    if unknown:
        raise RuntimeError(f"saywho.spark has no Spark type for quote column(s) {unknown}; add them to QUOTE_TYPES")
    return [T.StructField(c, QUOTE_TYPES[c]) for c in QUOTE_COLUMNS]


def _rows_schema(passthrough: Sequence[str]) -> T.StructType:
    """Quotes, per-article tallies and errors travel in one frame (told apart by ``_kind``),
    so each article is parsed once however many outputs are written."""
    return T.StructType([
        T.StructField("_kind", T.StringType()),
        *_quote_fields(),
        *[T.StructField(c, T.StringType()) for c in passthrough],
        T.StructField("reason", T.StringType()),
        T.StructField("source", T.StringType()),
        T.StructField("n_quotes", T.IntegerType()),
        T.StructField("words", T.LongType()),
        T.StructField("chars", T.LongType()),
    ])


_PANDAS_DTYPES = {T.IntegerType: "Int32", T.LongType: "Int64", T.BooleanType: "boolean", T.DoubleType: "Float64"}


def _frame(rows: list[dict[str, Any]], schema: T.StructType) -> pd.DataFrame:
    """A pandas frame in the exact column order of ``schema``, with nullable dtypes so
    missing ints and booleans reach Arrow as nulls."""
    # Built column by column as objects: a missing value must stay None (NaN breaks list columns).
    frame = pd.DataFrame({name: pd.Series([r.get(name) for r in rows], dtype=object)
                          for name in schema.fieldNames()})
    dtypes = {f.name: _PANDAS_DTYPES[type(f.dataType)] for f in schema.fields
              if type(f.dataType) in _PANDAS_DTYPES}
    return frame.astype(dtypes)


def extract_rows(
    record: dict[str, Any], extractor: Extractor | None, passthrough: Sequence[str]
) -> list[dict[str, Any]]:
    """The output rows for one normalised article: its quotes and one ``article`` tally row,
    or a single ``error`` row. Unusable input is recorded, never raised. ``extractor`` may be
    None only for records that turn out to be errors before any parsing."""
    article_id = None if _missing(record.get("_id")) else str(record["_id"])
    extra = {c: (None if _missing(record.get(c)) else record[c]) for c in passthrough}
    source = None if _missing(record.get("_source")) else record["_source"]

    def error(reason: str) -> list[dict[str, Any]]:
        return [{"_kind": "error", "article_id": article_id, "reason": reason, "source": source, **extra}]

    if not _missing(record.get("_error")):
        return error(record["_error"])
    if article_id is None:
        return error("article has no id")
    content = record.get("_text")
    if _missing(content):
        content = record.get("_bytes")
    if _missing(content):
        return error("article has neither text nor html")
    if extractor is None:
        raise ValueError("an extractor is needed for a usable article")
    input_format = record.get("_format") or "auto"
    try:
        with time_limit(ARTICLE_TIME_LIMIT_S):
            article = extractor(content, input_format)
    except InputError as exc:  # TimeLimitError included: "took longer than N s"
        return error(str(exc))
    except Exception as exc:  # noqa: BLE001 - one article's bug must not cost a million-article job
        return error(f"internal error ({type(exc).__name__}): {exc}")
    extra = _article_fields(extra, article.metadata, record)
    rows = [{"_kind": "quote", **r, **extra} for r in quote_records(article_id, article)]
    rows.append({
        "_kind": "article", "article_id": article_id, "n_quotes": len(article.quotes),
        "words": len(article.text.split()), "chars": len(article.text), "source": source, **extra,
    })
    return rows


def _article_fields(extra: dict[str, Any], meta: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    """outlet/date/url as `saywho run` stores them (``reading.apply_stated``): what the record
    states wins, then what extraction found in the page, then the fallbacks (a WARC record's host
    and crawl day); the date as an ISO day."""
    stated = {METADATA_OF[c]: v for c, v in extra.items() if c in METADATA_OF}
    if not _missing(record.get("_stated")):
        stated.update(reading.record_metadata(json.loads(record["_stated"])))
    merged = dict(meta)
    reading.apply_stated(merged, stated, {"publisher": record.get("_fallback_outlet"),
                                          "date": record.get("_fallback_date")})
    columns = reading.article_columns(merged)
    return {c: columns[c] if c in columns else v for c, v in extra.items()}


def _chunked(rows: Iterable[dict[str, Any]], schema: T.StructType) -> Iterator[pd.DataFrame]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK_ROWS:
            yield _frame(chunk, schema)
            chunk = []
    if chunk:
        yield _frame(chunk, schema)


def _extracted(
    records: Iterable[dict[str, Any]], model: str | None, passthrough: Sequence[str]
) -> Iterator[dict[str, Any]]:
    """Output rows for a stream of normalised articles. A missing model (ModelError) is not an
    article's fault: it fails the task, so a misconfigured cluster stops at once instead of
    recording every article as an error."""
    for record in records:
        usable = _missing(record.get("_error")) and not (
            _missing(record.get("_text")) and _missing(record.get("_bytes")))
        yield from extract_rows(record, _extractor(model) if usable else None, passthrough)


def _extract_partition(
    batches: Iterator[pd.DataFrame], model: str | None, passthrough: tuple[str, ...]
) -> Iterator[pd.DataFrame]:
    """mapInPandas body: normalised articles in, output rows out."""
    records = (record for batch in batches for record in batch.to_dict("records"))
    yield from _chunked(_extracted(records, model, passthrough), _rows_schema(passthrough))


# --------------------------------------------------------------------------- WARC (executor side)

def _open_binary(path: str) -> IO[bytes]:
    """Open a path as Spark lists it (file:/, hdfs://, s3a://...) as a byte stream, without
    reading it whole: a Common Crawl WARC is about a gigabyte."""
    parsed = urlparse(path)
    if parsed.scheme in ("", "file"):
        return open(parsed.path if parsed.scheme else path, "rb")
    from pyarrow import fs as pafs

    uri = path
    if parsed.scheme in ("s3a", "s3n"):  # Hadoop's names for S3; Arrow knows it as s3
        uri = "s3" + path[len(parsed.scheme):]
    filesystem, inner = pafs.FileSystem.from_uri(uri)
    # compression=None: warcio reads the per-record gzip members itself
    return filesystem.open_input_stream(inner, compression=None)  # type: ignore[return-value]


def _record_id(header: str | None) -> str | None:
    if not header:
        return None
    return header.strip("<>").removeprefix("urn:uuid:")


def warc_articles(path: str, max_bytes: int = MAX_RECORD_BYTES) -> Iterator[dict[str, Any]]:
    """Normalised article records for the HTML pages of one WARC file (``reading.warc_page``
    decides which records those are). Requests, metadata, images and redirects are not articles
    and are skipped silently; an unreadable record or file yields an ``_error`` record, after
    whatever came before it."""
    from warcio.archiveiterator import ArchiveIterator

    def base(rid: str | None, page: reading.WarcPage) -> dict[str, Any]:
        # The page's own publisher and publication date, when extraction finds them, beat the
        # host name and the day it was crawled.
        defaults = page.defaults()
        return {"_id": rid, "_text": None, "_bytes": None, "_format": "html", "_error": None,
                "_source": path, "_stated": None, "_fallback_outlet": defaults.get("publisher"),
                "_fallback_date": reading.normalize_date(defaults.get("date")),
                "outlet": None, "date": None, "url": page.url}

    try:
        with _open_binary(path) as stream:
            for record in ArchiveIterator(stream):
                page = reading.warc_page(record)
                if page is None:
                    continue
                row = base(_record_id(page.record_id) or page.url, page)
                try:
                    payload = record.content_stream().read(max_bytes + 1)
                except Exception as exc:  # noqa: BLE001 - a broken payload (bad gzip/chunking) is one error
                    row["_error"] = f"unreadable WARC record ({type(exc).__name__}): {exc}"
                else:
                    if len(payload) > max_bytes:
                        row["_error"] = f"WARC record payload over {max_bytes:,} bytes"
                    else:
                        row["_bytes"] = payload
                yield row
    except Exception as exc:  # noqa: BLE001 - a truncated or foreign file ends that file only
        row = base(path, reading.WarcPage(None, None, None))
        row["_error"] = f"unreadable WARC file ({type(exc).__name__}): {exc}"
        yield row


def _warc_paths(batches: Iterator[pd.DataFrame]) -> Iterator[str]:
    return (path for batch in batches for path in batch["path"])


def _warc_partition(batches: Iterator[pd.DataFrame], max_bytes: int) -> Iterator[pd.DataFrame]:
    """mapInPandas body: WARC paths in, normalised articles out."""
    records = (row for path in _warc_paths(batches) for row in warc_articles(path, max_bytes))
    yield from _chunked(records, _article_schema())


def _warc_extract_partition(batches: Iterator[pd.DataFrame], model: str | None, max_bytes: int
                            ) -> Iterator[pd.DataFrame]:
    """mapInPandas body: WARC paths in, output rows out, in one Python worker, so that the
    pages never travel back to the JVM and on to a second Python process."""
    records = (row for path in _warc_paths(batches) for row in warc_articles(path, max_bytes))
    yield from _chunked(_extracted(records, model, PASSTHROUGH), _rows_schema(PASSTHROUGH))
