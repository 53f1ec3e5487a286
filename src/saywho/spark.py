"""Apache Spark: the library over an archive too big for one machine.

Nothing here re-implements extraction: each executor's Python process loads one
``saywho.Extractor`` (module-level cache, so once per process, not per task) and
``mapInPandas`` streams articles to it as Arrow batches; every output row comes
from ``saywho.corpus.records.quote_records``, and records are read by the rules of
``saywho.corpus.reading`` (fields, metadata precedence, dates, WARC filter), so Spark,
`saywho run` and the library agree.

Library use, from PySpark::

    from saywho.spark import extract_quotes
    quotes = extract_quotes(df, text_col="text", id_col="id")  # lazy, one row per quote

Batch job: ``run_job`` (the ``saywho spark`` command; ``scripts/spark_job.py`` is the same
command as a file for spark-submit)::

    saywho spark articles.jsonl out/ --partition-by outlet

A bad article (empty, binary, broken JSON, a WARC record that is not an article)
becomes a row of the ``errors`` output and never fails the job.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Literal

from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

# Absolute imports: the functions handed to mapInPandas are pickled by reference to
# ``saywho.spark_worker``, which executors import from the shipped package.
from saywho.corpus import reading
from saywho.corpus.records import QUOTE_COLUMNS
from saywho.spark_worker import (
    MAX_RECORD_BYTES,
    METADATA_OF,
    PASSTHROUGH,
    QUOTE_TYPES,
    _article_schema,
    _extract_partition,
    _rows_schema,
    _warc_extract_partition,
    _warc_partition,
    extract_rows,
    warc_articles,
)

# The executor-side names users and tests reach through ``saywho.spark``.
__all__ = ["MAX_RECORD_BYTES", "PASSTHROUGH", "QUOTE_TYPES", "UNKNOWN", "Extraction", "JobSummary",
           "detect_format", "extract", "extract_normalised", "extract_quotes", "extract_rows",
           "normalise_articles", "read_articles", "run_job", "session", "warc_articles", "warc_paths"]

InputKind = Literal["auto", "jsonl", "parquet", "warc"]
PartitionBy = Literal["date", "outlet"]
WriteMode = Literal["errorifexists", "overwrite", "append"]

# A partition directory for rows whose outlet or date is unknown (instead of Hive's default name).
UNKNOWN = "unknown"


@dataclass
class Extraction:
    """The outputs of one extraction, all lazy views of the same ``rows``: call ``persist()``
    before using more than one of them, or every action parses the articles again."""

    rows: DataFrame
    quotes: DataFrame    # QUOTE_COLUMNS + the article's outlet/date/url where the input has them
    errors: DataFrame    # article_id, reason, source
    articles: DataFrame  # article_id, outlet/date/url, n_quotes, words, chars, source

    def persist(self) -> Extraction:
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
    stated: Column | None = None,
) -> DataFrame:
    """Turn a user's article frame into the frame the executors read. ``text_col`` (a string
    or binary column) is read with ``input_format``; a non-blank ``html_col``, where the frame
    has one, is read as HTML instead (the rule of ``reading.record_body``). ``passthrough``
    defaults to whichever of outlet/date/url the frame has; they are what the frame states,
    ``stated`` (a JSON record for ``reading.record_metadata``) adds to them."""
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

    # A non-blank html field wins over text (``reading.record_body``): the page has the headline and layout.
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
        (stated if stated is not None else F.lit(None)).cast("string").alias("_stated"),
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
    """One row per quote (the columns of ``saywho.corpus.records.QUOTE_COLUMNS``, then the article's
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


def _stated_keys() -> list[str]:
    """The record fields that can state an output column's value (``reading.RECORD_KEYS``)."""
    return list(dict.fromkeys(k for name in METADATA_OF.values() for k in reading.RECORD_KEYS[name]))


def _json_schema(text_col: str, id_col: str, html_col: str) -> T.StructType:
    # An explicit schema: one pass over the input (no inference pass) and unknown fields
    # (PolNeAR's annotations) are never parsed. Numbers read into string fields as their text.
    keys = _stated_keys()
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
    (PolNeAR's metadata.publisher and metadata.publication_date included): the outlet/date/url
    columns of this frame stay empty until extraction fills them by ``reading``'s rules."""
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
    # The candidate fields travel to the executor as one JSON object, where ``reading`` picks
    # from them exactly as `saywho run` does; the output columns start empty and are filled there.
    # (Packed before those columns are blanked: "outlet", "date" and "url" are candidates too.)
    present = set(raw.columns)
    raw = raw.withColumn("_stated_json", F.to_json(F.struct(
        *[F.col(k) for k in [*_stated_keys(), "metadata"] if k in present])))
    for name in PASSTHROUGH:
        raw = raw.withColumn(name, F.lit(None).cast("string"))
    return normalise_articles(
        raw, text_col, id_col, html_col=html_col, input_format="text", passthrough=list(PASSTHROUGH),
        error_col=error_col, source=F.col("_metadata.file_path"), stated=F.col("_stated_json"),
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
        # Local mode needs no network: the driver listens on loopback, not on the interface
        # Spark would pick (SPARK_LOCAL_IP overrides it, as documented by Spark).
        local_ip = os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = builder.config("spark.driver.host", local_ip).config("spark.driver.bindAddress", local_ip)
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
