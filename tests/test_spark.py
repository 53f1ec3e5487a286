"""The Spark job and DataFrame API in local mode, checked against the local library on real
PolNeAR articles. One local[2] SparkSession serves the whole test session (a start costs
~6 s); tests needing it are marked ``spark`` and skip when Java is missing. The executor-side
functions are also tested without Spark, so their logic is covered where Java is absent."""

from __future__ import annotations

import datetime as dt
import gzip
import html
import io
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark")
pytest.importorskip("warcio")

import pandas as pd  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402
from typer.testing import CliRunner  # noqa: E402
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

import saywho  # noqa: E402
from saywho import spark as saywho_spark  # noqa: E402
from saywho.corpus.records import QUOTE_COLUMNS, quote_records  # noqa: E402

# Lines that are not usable articles, each for a different reason; the job must record them all.
BAD_LINES = {
    "bad-binary": json.dumps({"id": "bad-binary", "text": "".join(chr(i) for i in range(1, 9)) * 40}),
    "bad-empty": json.dumps({"id": "bad-empty", "text": "   "}),
    "bad-broken": '{"id": "bad-broken", "text": "a line cut off in the middle',
}


# --------------------------------------------------------------------------- data

def polnear_sample(shared: Path) -> list[dict[str, Any]]:
    """The two shortest dev articles of three outlets: six articles, three outlets, several dates."""
    path = shared / "data" / "polnear" / "dev.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    picked = []
    for outlet in ("breitbart", "huff-post", "politico"):
        mine = sorted((d for d in docs if d["metadata"]["publisher"] == outlet), key=lambda d: len(d["text"]))
        picked.extend(mine[:2])
    return picked


def canon(value: Any) -> Any:
    """Compare values from Spark Rows, pandas (numpy scalars/arrays) and plain dicts alike."""
    if hasattr(value, "tolist"):
        return canon(value.tolist())
    if isinstance(value, list | tuple):
        return [canon(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    return value


def table(rows: list[dict[str, Any]], columns: list[str]) -> list[tuple]:
    out = [tuple(json.dumps(canon(r[c]), sort_keys=True) for c in columns) for r in rows]
    return sorted(out)


def expected_rows(extractor: saywho.Extractor, docs: list[dict[str, Any]],
                  input_format: str = "auto") -> list[dict[str, Any]]:
    """What the local library gives for the same articles, with the outlet/date the job adds."""
    rows = []
    for doc in docs:
        article = extractor(doc["text"], input_format)
        for row in quote_records(doc["id"], article):
            rows.append({**row, "outlet": doc["metadata"]["publisher"],
                         "date": doc["metadata"]["publication_date"]})
    return rows


def write_jsonl(path: Path, docs: list[dict[str, Any]], bad: bool = True) -> Path:
    lines = [json.dumps(d) for d in docs]
    if bad:
        lines[2:2] = BAD_LINES.values()  # in the middle of a partition, not at its end
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def as_html(doc: dict[str, Any]) -> bytes:
    title, *paragraphs = [p for p in doc["text"].split("\n\n") if p.strip()]
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body><nav><a href='/'>Home</a></nav><article><h1>{html.escape(title)}</h1>\n{body}</article>"
            f"</body></html>")
    return page.encode("utf-8")


def write_warc(path: Path, records: list[tuple[str, str, bytes]]) -> Path:
    """A gzipped WARC of HTTP responses (url, content type, payload), each after its request."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, content_type, payload in records:
            request = writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
            writer.write_record(request)
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(payload), http_headers=headers))
    return path


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


# --------------------------------------------------------------------------- without Spark

def test_extract_rows_are_the_library_records(extractor: saywho.Extractor, shared: Path) -> None:
    doc = polnear_sample(shared)[0]
    record = {"_id": doc["id"], "_text": doc["text"], "_bytes": None, "_format": "auto", "_error": None,
              "_source": "x.jsonl", "outlet": "breitbart", "date": "2016-09-12"}
    rows = saywho_spark.extract_rows(record, extractor, ["outlet", "date"])
    quotes = [r for r in rows if r["_kind"] == "quote"]
    tally = [r for r in rows if r["_kind"] == "article"]
    article = extractor(doc["text"])
    assert quotes, "a PolNeAR article with quotes"
    assert [{c: r[c] for c in QUOTE_COLUMNS} for r in quotes] == quote_records(doc["id"], article)
    assert {r["outlet"] for r in quotes} == {"breitbart"}
    assert tally == [{"_kind": "article", "article_id": doc["id"], "n_quotes": len(article.quotes),
                      "words": len(article.text.split()), "chars": len(article.text), "source": "x.jsonl",
                      "outlet": "breitbart", "date": "2016-09-12"}]


@pytest.mark.parametrize(("record", "reason"), [
    ({"_id": "a", "_text": ""}, "empty"),
    ({"_id": "a", "_bytes": PNG}, "binary"),
    ({"_id": "a", "_text": None, "_bytes": None}, "neither text nor html"),
    ({"_id": None, "_text": "He said: “Yes.”"}, "no id"),
    ({"_id": "a", "_text": None, "_error": "malformed JSON line: {"}, "malformed JSON"),
])
def test_extract_rows_record_bad_articles(extractor: saywho.Extractor, record: dict, reason: str) -> None:
    rows = saywho_spark.extract_rows({"_source": "in.jsonl", **record}, extractor, [])
    assert len(rows) == 1 and rows[0]["_kind"] == "error"
    assert reason in rows[0]["reason"] and rows[0]["source"] == "in.jsonl"


def test_warc_articles_takes_html_responses_only(tmp_path: Path, shared: Path) -> None:
    doc = polnear_sample(shared)[0]
    warc = write_warc(tmp_path / "a.warc.gz", [
        ("https://www.example.com/news/1", "text/html; charset=utf-8", as_html(doc)),
        ("https://www.example.com/logo.png", "image/png", PNG),
        ("https://www.example.com/news/2", "text/html", PNG),  # mislabelled: the extractor rejects it
    ])
    rows = list(saywho_spark.warc_articles(str(warc)))
    assert [r["url"] for r in rows] == ["https://www.example.com/news/1", "https://www.example.com/news/2"]
    assert rows[0]["_bytes"] == as_html(doc) and rows[0]["_format"] == "html"
    assert rows[0]["_fallback_outlet"] == "example.com" and rows[0]["_id"] and "urn" not in rows[0]["_id"]
    assert len(rows[0]["_fallback_date"]) == 10 and rows[0]["_error"] is None

    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(gzip.compress(b"this is not a WARC file\r\n" * 10))
    [error] = list(saywho_spark.warc_articles(f"file:{broken}"))
    assert error["_id"] == f"file:{broken}" and "unreadable WARC file" in error["_error"]


LEDGER_PAGE = (
    b'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Talks resume | The Daily Ledger</title>'
    b'<meta property="og:site_name" content="The Daily Ledger">'
    b'<meta property="article:published_time" content="2016-09-12T10:00:00Z"></head><body><article>'
    b'<h1>Talks resume</h1><p>"We will be back at the table on Monday," the union leader Maria Costa told '
    b'reporters outside the hall on Sunday evening.</p><p>Costa said the offer was not yet good enough for '
    b'her members, who have been on strike for three weeks.</p></article></body></html>'
)


def test_warc_outlet_and_date_prefer_the_page(extractor: saywho.Extractor, tmp_path: Path, shared: Path) -> None:
    """As in `saywho run`: the page's own publisher and date win; host and crawl day fill gaps."""
    warc = write_warc(tmp_path / "a.warc.gz", [
        ("https://www.ledger.example/talks", "text/html", LEDGER_PAGE),
        ("https://www.other.example/1", "text/html", as_html(polnear_sample(shared)[0])),
    ])
    stated, bare = (saywho_spark.extract_rows(r, extractor, saywho_spark.PASSTHROUGH)
                    for r in saywho_spark.warc_articles(str(warc)))
    assert {(r["outlet"], r["date"], r["url"]) for r in stated} == {
        ("The Daily Ledger", "2016-09-12", "https://www.ledger.example/talks")}
    assert any(r["_kind"] == "quote" for r in stated)
    crawl_day = dt.datetime.now(dt.timezone.utc).date().isoformat()
    assert {(r["outlet"], r["date"]) for r in bare} <= {("other.example", crawl_day)}


def test_detect_format(tmp_path: Path) -> None:
    assert saywho_spark.detect_format(["a.jsonl", "s3a://b/c.jsonl.gz"]) == "jsonl"
    assert saywho_spark.detect_format(["hdfs:///cc/*.warc.gz"]) == "warc"
    (tmp_path / "part-0.parquet").write_bytes(b"")
    (tmp_path / "_SUCCESS").write_bytes(b"")
    assert saywho_spark.detect_format([str(tmp_path)]) == "parquet"
    with pytest.raises(ValueError, match="--format"):
        saywho_spark.detect_format(["a.jsonl", "b.parquet"])


def test_every_quote_column_has_a_spark_type() -> None:
    assert list(saywho_spark.QUOTE_TYPES) == list(QUOTE_COLUMNS)


def test_cli_registers_spark_command() -> None:
    from saywho.cli import app

    result = CliRunner().invoke(app, ["spark", "--help"])
    assert result.exit_code == 0 and "--partition-by" in result.output


# --------------------------------------------------------------------------- with Spark

@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java (java not on PATH, JAVA_HOME unset)")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (SparkSession.builder.master("local[2]").appName("saywho-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.default.parallelism", "2")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def sample(shared: Path) -> list[dict[str, Any]]:
    return polnear_sample(shared)


@pytest.fixture(scope="module")
def jsonl_job(spark: SparkSession, sample: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[saywho_spark.JobSummary, Path]:
    folder = tmp_path_factory.mktemp("spark-jsonl")
    source = write_jsonl(folder / "articles.jsonl", sample)
    output = folder / "quotes"
    summary = saywho_spark.run_job(spark, [str(source)], str(output), partition_by="outlet")
    return summary, output


@pytest.mark.spark
def test_job_quotes_equal_local_library(jsonl_job, sample, extractor: saywho.Extractor) -> None:
    summary, output = jsonl_job
    got = pd.read_parquet(output)  # pandas (pyarrow) skips the _errors folder, as Spark does
    columns = [*QUOTE_COLUMNS, "outlet", "date"]
    assert set(columns) <= set(got.columns)
    expected = expected_rows(extractor, sample, "text")  # a JSONL "text" field is plain text
    assert len(expected) > 10
    assert table(got.to_dict("records"), columns) == table(expected, columns)
    assert (summary.articles, summary.quotes) == (len(sample), len(expected))


@pytest.mark.spark
def test_job_quotes_equal_saywho_run(jsonl_job, sample, extractor: saywho.Extractor, tmp_path: Path) -> None:
    """The Spark job and the single-machine batch runner agree row for row on the same archive."""
    from saywho import corpus
    from saywho.corpus.store import Store

    store = Store(tmp_path / "corpus.db")
    try:
        corpus.run_corpus([write_jsonl(tmp_path / "articles.jsonl", sample)], store, extractor=extractor)
        source_ids = {str(row["id"]): row["source_id"] for row, _ in store.iter_articles()}
        local = [{**r, "article_id": source_ids[str(r["article_id"])]} for r in corpus.export_rows(store, kinds=None)]
    finally:
        store.close()
    columns = [*QUOTE_COLUMNS, "outlet", "date"]
    assert local and table(pd.read_parquet(jsonl_job[1]).to_dict("records"), columns) == table(local, columns)


@pytest.mark.spark
def test_job_output_is_partitioned_parquet(jsonl_job, sample) -> None:
    _, output = jsonl_job
    folders = sorted(p.name for p in output.iterdir() if p.is_dir() and not p.name.startswith("_"))
    assert folders == ["outlet=breitbart", "outlet=huff-post", "outlet=politico"]
    one = pd.read_parquet(output / "outlet=politico")  # a single partition reads alone
    politico = {d["id"] for d in sample if d["metadata"]["publisher"] == "politico"}
    assert set(one["article_id"]) == politico and "outlet" not in one.columns


@pytest.mark.spark
def test_job_records_bad_articles_and_keeps_the_rest(jsonl_job, sample) -> None:
    summary, output = jsonl_job
    errors = pd.read_parquet(output / "_errors")
    assert list(errors.columns) == ["article_id", "reason", "source"]
    reasons = dict(zip(errors["article_id"], errors["reason"], strict=True))
    assert set(reasons) == set(BAD_LINES)
    assert "binary" in reasons["bad-binary"] and "empty" in reasons["bad-empty"]
    assert reasons["bad-broken"].startswith("malformed JSON line")
    assert summary.errors == len(BAD_LINES) and summary.articles == len(sample)
    assert set(pd.read_parquet(output)["article_id"]) <= {d["id"] for d in sample}  # every good one processed


@pytest.mark.spark
def test_extract_quotes_dataframe_api(spark: SparkSession, sample, extractor: saywho.Extractor) -> None:
    frame = pd.DataFrame({"doc": [d["id"] for d in sample], "body": [d["text"] for d in sample],
                          "outlet": [d["metadata"]["publisher"] for d in sample],
                          "date": [d["metadata"]["publication_date"] for d in sample]})
    frame.loc[len(frame)] = ["bad-empty", "", "x", None]
    df = spark.createDataFrame(frame)
    quotes = saywho_spark.extract_quotes(df, text_col="body", id_col="doc")
    assert quotes.columns == [*QUOTE_COLUMNS, "outlet", "date"]
    got = [r.asDict() for r in quotes.collect()]
    assert table(got, quotes.columns) == table(expected_rows(extractor, sample), quotes.columns)

    errors = saywho_spark.extract(df, text_col="body", id_col="doc").errors.collect()
    assert [(e["article_id"], e["reason"]) for e in errors] == [("bad-empty", "input is empty")]


@pytest.mark.spark
def test_job_reads_warc_html_responses(spark: SparkSession, sample, extractor: saywho.Extractor,
                                       tmp_path: Path) -> None:
    docs = sample[:2]
    pages = {f"https://www.{d['metadata']['publisher']}.example/{i}": as_html(d) for i, d in enumerate(docs)}
    write_warc(tmp_path / "crawl-1.warc.gz", [
        *[(url, "text/html; charset=utf-8", page) for url, page in pages.items()],
        ("https://www.example.com/logo.png", "image/png", PNG),
        ("https://www.example.com/fake", "text/html", PNG),
    ])
    (tmp_path / "crawl-2.warc.gz").write_bytes(b"\x1f\x8b not really gzip")
    output = tmp_path / "quotes"
    summary = saywho_spark.run_job(spark, [str(tmp_path / "*.warc.gz")], str(output), partition_by="date")

    got = pd.read_parquet(output)
    assert {p.name.split("=")[0] for p in output.iterdir() if p.is_dir() and p.name != "_errors"} == {"date"}
    by_url = got.groupby("url")["quote"].apply(sorted).to_dict()
    for url, page in pages.items():
        article = extractor(page, "html")
        assert by_url.get(url, []) == sorted(r["quote"] for r in quote_records("x", article))
        assert article.quotes, "the HTML rendering of a PolNeAR article keeps its quotes"
    sample_rows = got[got["url"] == next(iter(pages))]
    assert set(sample_rows["outlet"]) == {"breitbart.example"}

    errors = pd.read_parquet(output / "_errors")
    assert summary.articles == 2 and summary.errors == 2 and len(errors) == 2

    # the two-step path (read, then extract; used with --partitions) sees the same records
    read = saywho_spark.read_articles(spark, [str(tmp_path)], "warc").select("url", "_error").collect()
    assert sorted(r["url"] or "" for r in read) == sorted(["", *pages, "https://www.example.com/fake"])
    fake = errors[errors["reason"].str.contains("binary")]
    assert len(fake) == 1 and fake["source"].iloc[0].endswith("crawl-1.warc.gz")
    assert errors["reason"].str.startswith("unreadable WARC file").sum() == 1


@pytest.mark.spark
def test_cli_command_runs_the_job(spark: SparkSession, sample, tmp_path: Path) -> None:
    """``saywho spark`` (also what scripts/spark_job.py runs under spark-submit) reuses the
    running session, as under spark-submit, and leaves it running."""
    from saywho.cli import app

    source = write_jsonl(tmp_path / "articles.jsonl", sample[:2], bad=False)
    output = tmp_path / "out"
    result = CliRunner().invoke(app, ["spark", str(source), str(output), "--partition-by", "date",
                                      "--partitions", "2"])
    assert result.exit_code == 0, result.output
    dates = {d["metadata"]["publication_date"] for d in sample[:2]}
    assert {p.name for p in output.iterdir() if p.is_dir()} == {f"date={d}" for d in dates} | {"_errors"}
    assert pd.read_parquet(output / "_errors").empty
    assert not spark.sparkContext._jsc.sc().isStopped()

    again = CliRunner().invoke(_spark_app(), [str(source), str(output)])
    assert again.exit_code == 1 and "already exists" in again.output


def _spark_app():
    import typer

    from saywho.cli import spark as cli_spark

    app = typer.Typer()
    cli_spark.register(app)
    return app
