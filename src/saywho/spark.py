"""Apache Spark: the library over an archive too big for one machine.

Nothing here re-implements extraction: each executor's Python process loads one
``saywho.Extractor`` (module-level cache, so once per process, not per task) and
``mapInPandas`` streams articles to it as Arrow batches; every output row comes
from ``saywho.records.quote_records``, so Spark, the CLI and the library agree.

Library use, from PySpark::

    from saywho.spark import extract_quotes
    quotes = extract_quotes(df, text_col="text", id_col="id")  # lazy, one row per quote

Batch job (``saywho spark`` or ``python -m saywho.spark``, or this file given to
spark-submit)::

    python -m saywho.spark articles.jsonl out/ --partition-by outlet

A bad article (empty, binary, broken JSON, a WARC record that is not an article)
becomes a row of the ``errors`` output and never fails the job.
"""

import os
import sys

# spark-submit runs this file as a script, which puts the package's own folder first on
# sys.path, where its module names (model, records, errors...) would shadow top-level ones.
if __name__ == "__main__" and not __package__:
    _here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _here]

import re  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterable, Iterator, Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from functools import partial  # noqa: E402
from typing import IO, TYPE_CHECKING, Any, Literal  # noqa: E402
from urllib.parse import urlparse  # noqa: E402

import pandas as pd  # noqa: E402
from pyspark import StorageLevel  # noqa: E402
from pyspark.sql import Column, DataFrame, SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402
from pyspark.sql import types as T  # noqa: E402

# Absolute imports: the functions handed to mapInPandas are pickled by reference to
# ``saywho.spark``, which executors import from the shipped package.
from saywho.errors import InputError  # noqa: E402
from saywho.records import QUOTE_COLUMNS, quote_records  # noqa: E402

if TYPE_CHECKING:
    from saywho.pipeline import Extractor

InputKind = Literal["auto", "jsonl", "parquet", "warc"]
PartitionBy = Literal["date", "outlet"]
WriteMode = Literal["errorifexists", "overwrite", "append"]

# Article-level columns carried onto every quote row when the input has them.
PASSTHROUGH = ("outlet", "date", "url")
# A partition directory for rows whose outlet or date is unknown (instead of Hive's default name).
UNKNOWN = "unknown"
# An HTML page past this is not a news article; reading it whole would only cost memory.
MAX_RECORD_BYTES = 10_000_000
# Where a record states its outlet, date and url, top level first, then under "metadata"
# (the field names `saywho run` reads too).
METADATA_KEYS = {
    "outlet": ("outlet", "publisher", "source", "site"),
    "date": ("date", "publication_date", "published", "pub_date"),
    "url": ("url", "link"),
}
HTML_TYPES = ("text/html", "application/xhtml+xml")
# Rows per pandas frame a worker yields: small frames keep a worker's memory flat on big inputs.
CHUNK_ROWS = 64

# Spark types of the ``quote_records`` columns. A column added there without a type here
# fails loudly at plan time (``_quote_fields``) rather than silently changing the output.
QUOTE_TYPES: dict[str, T.DataType] = {
    "article_id": T.StringType(),
    "quote_id": T.StringType(),
    "quote": T.StringType(),
    "type": T.StringType(),
    "start": T.IntegerType(),
    "end": T.IntegerType(),
    "cue": T.StringType(),
    "speaker_id": T.StringType(),
    "speaker": T.StringType(),
    "speaker_mention": T.StringType(),
    "speaker_named": T.BooleanType(),
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
    # Fill-ins only for what neither the record nor the page states (a WARC's host and crawl day).
    T.StructField("_fallback_outlet", T.StringType()),
    T.StructField("_fallback_date", T.StringType()),
]


def _article_schema() -> T.StructType:
    return T.StructType([*_ARTICLE_FIELDS, *[T.StructField(c, T.StringType()) for c in PASSTHROUGH]])


# --------------------------------------------------------------------------- executor side

_EXTRACTORS: dict[str | None, "Extractor"] = {}


def _extractor(model: str | None) -> "Extractor":
    """One Extractor per model per Python process: executors reuse their Python workers
    across tasks, so the spaCy model is loaded once per worker, not once per partition."""
    if model not in _EXTRACTORS:
        from saywho.pipeline import Extractor

        _EXTRACTORS[model] = Extractor(model)
    return _EXTRACTORS[model]


def _missing(value: Any) -> bool:
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


_PANDAS_DTYPES = {T.IntegerType: "Int32", T.LongType: "Int64", T.BooleanType: "boolean"}


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
    record: dict[str, Any], extractor: "Extractor | None", passthrough: Sequence[str]
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
        article = extractor(content, input_format)
    except InputError as exc:
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


def _iso_day(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text[:10] if re.match(r"\d{4}-\d{2}-\d{2}", text) else (text or None)


def _article_fields(extra: dict[str, Any], meta: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    """outlet/date/url as `saywho run` stores them: what the record states wins, then what
    extraction found in the page, then the fallbacks (a WARC record's host and crawl day)."""
    found = {"outlet": meta.get("publisher"), "date": _iso_day(meta.get("date")), "url": meta.get("url")}
    fallback = {"outlet": record.get("_fallback_outlet"), "date": record.get("_fallback_date")}
    out = dict(extra)
    for name in out:
        if out[name] is None:
            for candidate in (found.get(name), fallback.get(name)):
                if not _missing(candidate) and str(candidate).strip():
                    out[name] = str(candidate).strip()
                    break
    return out


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


def _outlet(url: str | None) -> str | None:
    host = urlparse(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def warc_articles(path: str, max_bytes: int = MAX_RECORD_BYTES) -> Iterator[dict[str, Any]]:
    """Normalised article records for the HTML pages (200 responses, resources) of one WARC
    file. Requests, metadata, images and redirects are not articles and are skipped silently; an
    unreadable record or file yields an ``_error`` record, after whatever came before it."""
    from warcio.archiveiterator import ArchiveIterator

    def base(rid: str | None, url: str | None, date: str | None) -> dict[str, Any]:
        # The page's own publisher and publication date, when extraction finds them, beat the
        # host name and the day it was crawled.
        return {"_id": rid, "_text": None, "_bytes": None, "_format": "html", "_error": None,
                "_source": path, "_fallback_outlet": _outlet(url), "_fallback_date": date,
                "outlet": None, "date": None, "url": url}

    try:
        with _open_binary(path) as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    if record.http_headers is None or record.http_headers.get_statuscode() != "200":
                        continue
                    content_type = record.http_headers.get_header("Content-Type") or ""
                elif record.rec_type == "resource":
                    content_type = record.rec_headers.get_header("Content-Type") or ""
                else:
                    continue
                if not content_type.lower().lstrip().startswith(HTML_TYPES):
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                date = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
                row = base(_record_id(record.rec_headers.get_header("WARC-Record-ID")) or url, url, date)
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
        row = base(path, None, None)
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


# --------------------------------------------------------------------------- driver side

@dataclass
class Extraction:
    """The outputs of one extraction, all lazy views of the same ``rows``: call ``persist()``
    before using more than one of them, or every action parses the articles again."""

    rows: DataFrame
    quotes: DataFrame    # QUOTE_COLUMNS + the article's outlet/date/url where the input has them
    errors: DataFrame    # article_id, reason, source
    articles: DataFrame  # article_id, outlet/date/url, n_quotes, words, chars, source

    def persist(self) -> "Extraction":
        rows = self.rows.persist(StorageLevel.MEMORY_AND_DISK)
        return _split(rows, [c for c in PASSTHROUGH if c in rows.columns])

    def unpersist(self) -> None:
        self.rows.unpersist()


def _split(rows: DataFrame, passthrough: Sequence[str]) -> Extraction:
    kind = F.col("_kind")
    return Extraction(
        rows=rows,
        quotes=rows.where(kind == "quote").select(*QUOTE_COLUMNS, *passthrough),
        errors=rows.where(kind == "error").select("article_id", "reason", "source"),
        articles=rows.where(kind == "article").select(
            "article_id", *passthrough, "n_quotes", "words", "chars", "source"),
    )


def _has(df: DataFrame, name: str) -> bool:
    """Whether ``name`` (possibly ``struct.field``) resolves in ``df``."""
    head, _, rest = name.partition(".")
    fields = {f.name: f.dataType for f in df.schema.fields}
    if head not in fields:
        return False
    if not rest:
        return True
    dtype = fields[head]
    return isinstance(dtype, T.StructType) and rest in dtype.fieldNames()


def _first_of(df: DataFrame, names: Iterable[str]) -> Column | None:
    """The first non-blank of the named fields that exist."""
    present = [F.nullif(F.trim(F.col(n).cast("string")), F.lit("")) for n in names if _has(df, n)]
    if not present:
        return None
    return F.coalesce(*present) if len(present) > 1 else present[0]


def _day(date: Column) -> Column:
    """ISO timestamps become their day, so that partitioning by date gives one folder a day."""
    return F.when(date.rlike(r"^\d{4}-\d{2}-\d{2}"), F.substring(date, 1, 10)).otherwise(date)


def normalise_articles(
    df: DataFrame,
    text_col: str = "text",
    id_col: str = "id",
    *,
    html_col: str | None = "html",
    input_format: str = "auto",
    passthrough: Sequence[str] | None = None,
    error_col: str | None = None,
    source: Column | None = None,
) -> DataFrame:
    """Turn a user's article frame into the frame the executors read. ``text_col`` (a string
    or binary column) is read with ``input_format``; a non-blank ``html_col``, where the frame
    has one, is read as HTML instead. ``passthrough`` defaults to whichever of outlet/date/url
    the frame has."""
    fields = {f.name: f.dataType for f in df.schema.fields}
    text = text_col if text_col in fields else None
    html = html_col if html_col and html_col in fields and html_col != text_col else None
    if text is None and html is None:
        raise ValueError(f"the articles have no {text_col!r} column{' nor ' + repr(html_col) if html_col else ''}")
    if id_col not in fields:
        raise ValueError(f"the articles have no {id_col!r} column (choose one with id_col)")
    if passthrough is None:
        passthrough = [c for c in PASSTHROUGH if c in fields]

    def as_text(name: str | None) -> Column:
        if name is None or isinstance(fields[name], T.BinaryType):
            return F.lit(None).cast("string")
        return F.col(name).cast("string")

    def as_bytes(name: str | None) -> Column:
        if name is not None and isinstance(fields[name], T.BinaryType):
            return F.col(name)
        return F.lit(None).cast("binary")

    # A non-blank html field wins over text, as in `saywho run`: the page has the headline and layout.
    if html is None:
        use_html = F.lit(False)
    elif isinstance(fields[html], T.BinaryType):
        use_html = F.coalesce(F.length(html) > 0, F.lit(False))
    else:
        use_html = F.coalesce(F.length(F.trim(F.col(html).cast("string"))) > 0, F.lit(False))
    text_value = F.when(use_html, as_text(html)).otherwise(as_text(text))
    bytes_value = F.when(use_html, as_bytes(html)).otherwise(as_bytes(text))
    fmt = F.when(use_html, F.lit("html")).otherwise(F.lit(input_format))
    return df.select(
        F.col(id_col).cast("string").alias("_id"),
        text_value.alias("_text"),
        bytes_value.alias("_bytes"),
        fmt.alias("_format"),
        (F.col(error_col) if error_col else F.lit(None)).cast("string").alias("_error"),
        (source if source is not None else F.lit(None)).cast("string").alias("_source"),
        F.lit(None).cast("string").alias("_fallback_outlet"),
        F.lit(None).cast("string").alias("_fallback_date"),
        *[F.col(c).cast("string").alias(c) for c in passthrough],
    )


def extract_normalised(articles: DataFrame, model: str | None = None) -> Extraction:
    """Extraction over a frame from ``normalise_articles`` (or the WARC reader)."""
    passthrough = tuple(c for c in articles.columns if not c.startswith("_"))
    worker = partial(_extract_partition, model=model, passthrough=passthrough)
    rows = articles.mapInPandas(worker, _rows_schema(passthrough))
    return _split(rows, passthrough)


def extract(
    df: DataFrame,
    text_col: str = "text",
    id_col: str = "id",
    *,
    html_col: str | None = "html",
    input_format: str = "auto",
    model: str | None = None,
) -> Extraction:
    """Quotes, errors and per-article tallies for a frame of articles (lazy)."""
    articles = normalise_articles(df, text_col, id_col, html_col=html_col, input_format=input_format)
    return extract_normalised(articles, model)


def extract_quotes(
    df: DataFrame,
    text_col: str = "text",
    id_col: str = "id",
    *,
    html_col: str | None = "html",
    input_format: str = "auto",
    model: str | None = None,
) -> DataFrame:
    """One row per quote (the columns of ``saywho.records.QUOTE_COLUMNS``, then the article's
    outlet/date/url where ``df`` has them). Lazy: nothing is parsed until an action runs, and
    every action parses again, so ``cache()`` the result to use it twice. Articles that cannot
    be processed are left out; ``extract(df).errors`` says which and why."""
    return extract(df, text_col, id_col, html_col=html_col, input_format=input_format, model=model).quotes


# --------------------------------------------------------------------------- reading inputs

_COMPRESSION = (".gz", ".bz2", ".zst", ".lz4", ".snappy", ".deflate", ".xz")


def _kind_of(name: str) -> str | None:
    name = name.lower().rstrip("/")
    for ext in _COMPRESSION:
        name = name.removesuffix(ext)
    if name.endswith((".warc", ".arc")):
        return "warc"
    if name.endswith((".jsonl", ".json", ".ndjson")):
        return "jsonl"
    if name.endswith(".parquet"):
        return "parquet"
    return None


def detect_format(paths: Sequence[str]) -> Literal["jsonl", "parquet", "warc"]:
    """The input kind from the file names; a local folder is judged by the files in it."""
    kinds = set()
    for path in paths:
        kind = _kind_of(path)
        local = path.removeprefix("file:")
        if kind is None and "://" not in path and os.path.isdir(local):
            inner = {_kind_of(n) for n in os.listdir(local) if not n.startswith(("_", "."))} - {None}
            kind = inner.pop() if len(inner) == 1 else None
        kinds.add(kind)
    if len(kinds) != 1 or None in kinds:
        raise ValueError(f"cannot tell the input format of {', '.join(paths)}; pass --format jsonl|parquet|warc")
    return kinds.pop()  # type: ignore[return-value]


def warc_paths(spark: SparkSession, paths: Sequence[str]) -> DataFrame:
    """The WARC files matching ``paths`` (globs, folders, any filesystem Spark reads), one
    file per partition: a file is one stream, read by one task."""
    # binaryFile lists the files; their content is never read, as only the path is selected.
    # Folders are walked whole (Common Crawl's are YEAR/MONTH/...), with no partition discovery.
    listing = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(list(paths))
    files = sorted(r.path for r in listing.select("path").collect())
    # A folder may also hold path lists, checksums, our own output...: only WARC names count,
    # unless none has one (then the user named the files and --format warc).
    files = [f for f in files if _kind_of(f) == "warc"] or files
    if not files:
        raise ValueError(f"no files match {', '.join(paths)}")
    # Round-robin from a single partition puts exactly one path in each of len(files)
    # partitions (hash partitioning would pair some files up while a core idles).
    return spark.createDataFrame([(f,) for f in files], "path string").repartition(len(files))


def _json_schema(text_col: str, id_col: str, html_col: str) -> T.StructType:
    # An explicit schema: one pass over the input (no inference pass) and unknown fields
    # (PolNeAR's annotations) are never parsed. Numbers read into string fields as their text.
    keys = [k for ks in METADATA_KEYS.values() for k in ks]
    meta = T.StructType([T.StructField(n, T.StringType()) for n in keys])
    names = dict.fromkeys([id_col, text_col, html_col, *keys])
    return T.StructType([
        *[T.StructField(n, T.StringType()) for n in names],
        T.StructField("metadata", meta),
        T.StructField("_corrupt_record", T.StringType()),
    ])


def read_articles(
    spark: SparkSession,
    paths: Sequence[str],
    fmt: InputKind = "auto",
    *,
    text_col: str = "text",
    id_col: str = "id",
    html_col: str = "html",
    max_record_bytes: int = MAX_RECORD_BYTES,
) -> DataFrame:
    """JSONL, Parquet or WARC files (any path Spark reads: local, HDFS, S3) as the normalised
    article frame. As in `saywho run`: ``text`` is read as plain text, a non-blank ``html`` as
    HTML, and outlet/date/url come from the record's own fields or its ``metadata`` object
    (PolNeAR's metadata.publisher and metadata.publication_date included)."""
    kind = detect_format(paths) if fmt == "auto" else fmt
    if kind == "warc":
        return warc_paths(spark, paths).mapInPandas(
            partial(_warc_partition, max_bytes=max_record_bytes), _article_schema())
    if kind == "jsonl":
        raw = (spark.read.schema(_json_schema(text_col, id_col, html_col))
               .option("mode", "PERMISSIVE").json(list(paths)))
        error = F.when(F.col("_corrupt_record").isNotNull(), F.concat(
            F.lit("malformed JSON line: "), F.substring("_corrupt_record", 1, 80)))
        # the id of a broken line, when it can still be read, makes its error row findable
        salvaged = F.regexp_extract("_corrupt_record", r'"' + re.escape(id_col) + r'"\s*:\s*"?([^",}]+)', 1)
        raw = raw.withColumn("_bad_line", error).withColumn(
            id_col, F.coalesce(F.col(id_col), F.when(salvaged != "", salvaged)))
        error_col: str | None = "_bad_line"
    elif kind == "parquet":
        raw = spark.read.parquet(*paths)
        error_col = None
    else:
        raise ValueError(f"unknown input format {kind!r}")
    columns = {name: _first_of(raw, [*keys, *[f"metadata.{k}" for k in keys]])
               for name, keys in METADATA_KEYS.items()}
    for name, value in columns.items():
        if value is None:
            value = F.lit(None).cast("string")
        raw = raw.withColumn(name, _day(value) if name == "date" else value)
    return normalise_articles(
        raw, text_col, id_col, html_col=html_col, input_format="text", passthrough=list(PASSTHROUGH),
        error_col=error_col, source=F.col("_metadata.file_path"),
    )


# --------------------------------------------------------------------------- the batch job

@dataclass
class JobSummary:
    articles: int
    quotes: int
    errors: int
    words: int
    seconds: float
    output: str
    errors_output: str


def session(master: str | None = None, app_name: str = "saywho", **conf: str) -> SparkSession:
    """A SparkSession for the job (or the one already running, e.g. under spark-submit)."""
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    # spark-submit hands its Python a running gateway; without one, Spark runs in this process.
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ
    if (master or "").startswith("local") or (master is None and not submitted):
        # local workers must run this interpreter (the one with saywho and the model); on a
        # cluster, PYSPARK_PYTHON / spark.pyspark.python name the executors' interpreter
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = builder.config("spark.ui.enabled", "false")
    # Articles are large rows: small Arrow batches keep each Python worker's memory flat.
    builder = builder.config("spark.sql.execution.arrow.maxRecordsPerBatch", "256")
    for key, value in conf.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def run_job(
    spark: SparkSession,
    inputs: Sequence[str],
    output: str,
    *,
    fmt: InputKind = "auto",
    partition_by: PartitionBy = "date",
    partitions: int | None = None,
    text_col: str = "text",
    id_col: str = "id",
    model: str | None = None,
    mode: WriteMode = "errorifexists",
) -> JobSummary:
    """Read ``inputs``, extract, and write OUTPUT (quotes, Parquet, Hive-partitioned by date
    or outlet) and OUTPUT/_errors (article_id, reason, source)."""
    if partition_by not in ("date", "outlet"):
        raise ValueError(f"partition_by must be 'date' or 'outlet', not {partition_by!r}")
    started = time.perf_counter()
    kind = detect_format(inputs) if fmt == "auto" else fmt
    if kind == "warc" and partitions is None:
        # one task per file, reading and extracting in the same Python worker
        worker = partial(_warc_extract_partition, model=model, max_bytes=MAX_RECORD_BYTES)
        rows = warc_paths(spark, inputs).mapInPandas(worker, _rows_schema(PASSTHROUGH))
        extraction = _split(rows, PASSTHROUGH)
    else:
        articles = read_articles(spark, inputs, kind, text_col=text_col, id_col=id_col)
        # A single input file is a single partition: spread it so every core gets articles.
        current = articles.rdd.getNumPartitions()
        wanted = partitions or max(current, spark.sparkContext.defaultParallelism)
        if wanted != current:
            articles = articles.repartition(wanted)
        extraction = extract_normalised(articles, model)
    result = extraction.persist()
    try:
        quotes = result.quotes.withColumn(partition_by, F.coalesce(F.col(partition_by), F.lit(UNKNOWN)))
        # one shuffle of the (small) quote rows: one file per partition folder, not one per task
        quotes.repartition(partition_by).write.mode(mode).partitionBy(partition_by).parquet(output)
        errors_output = output.rstrip("/") + "/_errors"
        result.errors.coalesce(1).write.mode("append" if mode == "append" else "overwrite").parquet(errors_output)
        tally = {r["_kind"]: r for r in result.rows.groupBy("_kind").agg(
            F.count(F.lit(1)).alias("n"), F.sum("words").alias("words")).collect()}
    finally:
        result.unpersist()
    count = {k: int(tally[k]["n"]) if k in tally else 0 for k in ("article", "quote", "error")}
    words = int(tally["article"]["words"] or 0) if "article" in tally else 0
    return JobSummary(count["article"], count["quote"], count["error"], words,
                      time.perf_counter() - started, output, errors_output)


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m saywho.spark`` / spark-submit: the arguments of ``saywho spark``."""
    import typer

    from saywho import cli_spark

    app = typer.Typer(add_completion=False)
    cli_spark.register(app)
    app(args=list(argv) if argv is not None else None, prog_name="saywho.spark")


if __name__ == "__main__":
    # Run through the imported module so that mapInPandas pickles ``saywho.spark`` functions
    # by reference (executors import them) rather than this script's copies by value.
    from saywho.spark import main as _main

    _main()
