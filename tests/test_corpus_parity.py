"""`saywho run` and the Spark job read records by one set of rules (``saywho.corpus.reading``).

One fixture, built here: a JSONL file and a WARC file holding ordinary records and the three
inputs on which the two paths used to disagree (a WARC response whose status line has no code,
a record stating ``"outlet": "null"``, a date written "March 3, 2016"). Both paths run on it
with the real extractor and must give the same rows. The rules themselves are also checked
without Spark, so they are covered where Java is absent.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from saywho.corpus import reading
from saywho.corpus.records import QUOTE_COLUMNS
from test_corpus import warc_response

LEDGER = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Talks resume | The Daily Ledger</title>'
    '<meta property="og:site_name" content="The Daily Ledger">'
    '<meta property="article:published_time" content="2016-09-12T10:00:00Z"></head><body><article>'
    '<h1>Talks resume</h1><p>"We will be back at the table on Monday," the union leader Maria Costa told '
    'reporters outside the hall on Sunday evening.</p><p>Costa said the offer was not yet good enough for '
    'her members, who have been on strike for three weeks.</p></article></body></html>'
)
# No publisher and no date in the page: the outlet comes from the host, the date from the crawl.
BARE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Harbour plan</title></head><body><article>'
    '<h1>Harbour plan approved</h1><p>"This is the best news the town has had in years," said Peter Hale, '
    'who chairs the harbour board.</p><p>The council voted eight to three in favour of the plan on '
    'Tuesday night after a debate that lasted four hours.</p></article></body></html>'
)


def story(speaker: str, topic: str) -> str:
    return (f"{topic.capitalize()} plan delayed\n\n"
            f"The {topic} plan will not be ready before the summer, officials said on Monday.\n\n"
            f"“We need more time to get this right,” {speaker} told reporters after the meeting.\n\n"
            f"{speaker} said the delay would not raise the cost of the {topic} plan.\n")


RECORDS: list[dict[str, Any]] = [
    {"id": "plain", "text": story("Anna Berg", "bridge"), "outlet": "The Courier", "date": "2016-09-12",
     "url": "https://courier.example/bridge"},
    # disagreement 2: "null" states nothing, so the next field that names the outlet counts
    {"id": "null-outlet", "text": story("Tom Reyes", "rail"), "outlet": "null", "publisher": "Daily Bugle",
     "date": "2016-05-01"},
    # disagreement 3: a written-out date is read as the ISO day
    {"id": "long-date", "text": story("Lena Ford", "school"), "outlet": "The Herald", "date": "March 3, 2016"},
    # PolNeAR's layout: metadata under "metadata"; "None" as the top-level outlet states nothing either
    {"id": "nested", "text": story("Omar Said", "water"), "outlet": "None",
     "metadata": {"publisher": "politico", "publication_date": "2016-10-02", "title": "Water plan"}},
]
NO_CODE_URL = "https://www.harbour.example/plan"


def write_jsonl(path: Path) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    return path


def write_warc(path: Path) -> Path:
    from warcio.warcwriter import WARCWriter

    response = warc_response
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "saywho tests"}))
        response(writer, "https://www.ledger.example/talks", LEDGER.encode(), "text/html; charset=utf-8", "200 OK")
        # disagreement 1: a status line with no code ("HTTP/1.1" alone) in front of an HTML page
        response(writer, NO_CODE_URL, BARE.encode(), "text/html", "")
        response(writer, "https://www.ledger.example/gone", b"<html>Not found</html>", "text/html", "404 Not Found")
        response(writer, "https://www.ledger.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png",
                 "200 OK")
    return path


def key(row: dict[str, Any], article_id: Any) -> str:
    """Rows of one article on both sides: its url, else the record's id."""
    return str(row["url"] or article_id)


COLUMNS = [c for c in QUOTE_COLUMNS if c != "article_id"] + ["outlet", "date", "url"]


def canon(value: Any) -> Any:
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return [canon(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    return value


def table(rows: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, ...]]:
    return sorted((k, *(json.dumps(canon(r[c])) for c in COLUMNS)) for k, r in rows)


# --------------------------------------------------------------------------- the rules, without Spark

def test_missing_strings_state_nothing() -> None:
    assert reading.record_metadata(RECORDS[1])["publisher"] == "Daily Bugle"
    assert reading.record_metadata(RECORDS[3])["publisher"] == "politico"
    assert reading.record_metadata({"outlet": " NULL ", "source": ""}) == {}


def test_written_out_dates_are_iso_days() -> None:
    assert reading.normalize_date("March 3, 2016") == reading.normalize_date("2016-03-03T08:00:00Z") == "2016-03-03"
    assert reading.normalize_date("yesterday") is None  # never relative to the day of the run


def test_a_status_line_without_a_code_is_a_page(tmp_path: Path) -> None:
    from warcio.archiveiterator import ArchiveIterator

    with open(write_warc(tmp_path / "a.warc.gz"), "rb") as fh:
        pages = [(r.http_headers.get_statuscode() if r.http_headers else None, reading.warc_page(r))
                 for r in ArchiveIterator(fh)]
    kept = [(status, page.url) for status, page in pages if page is not None]
    assert kept == [("200", "https://www.ledger.example/talks"), ("", NO_CODE_URL)]


def test_stated_beats_found_and_defaults_fill_gaps() -> None:
    meta = {"headline": "H", "publisher": "Found", "date": None}
    reading.apply_stated(meta, {"publisher": "Stated", "url": "u"}, {"publisher": "host", "date": "2016-01-02"})
    assert meta == {"headline": "H", "publisher": "Stated", "date": "2016-01-02", "url": "u"}
    assert reading.article_columns(meta) == {"outlet": "Stated", "date": "2016-01-02", "url": "u"}


# --------------------------------------------------------------------------- both paths, one fixture

@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java (java not on PATH, JAVA_HOME unset)")
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (SparkSession.builder.master("local[2]").appName("saywho-parity")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session  # shared with test_spark.py's session when both run: getOrCreate returns it


@pytest.mark.spark
def test_saywho_run_and_spark_give_the_same_rows(spark: Any, extractor: Any, tmp_path: Path) -> None:
    import pandas as pd

    from saywho import spark as saywho_spark
    from saywho.corpus import export_rows, run_corpus
    from saywho.corpus.store import Store

    jsonl, warc = write_jsonl(tmp_path / "articles.jsonl"), write_warc(tmp_path / "crawl.warc.gz")
    with Store(tmp_path / "corpus.db") as store:
        summary = run_corpus([jsonl, warc], store, extractor=extractor)
        source_ids = {str(row["id"]): row["source_id"] for row, _ in store.iter_articles()}
        local = [(key(r, source_ids[str(r["article_id"])]), r) for r in export_rows(store, kinds=None)]
    assert (summary.processed, summary.errors) == (6, 0)

    spark_rows = []
    for name, path in (("jsonl", jsonl), ("warc", warc)):
        out = tmp_path / f"spark-{name}"
        job = saywho_spark.run_job(spark, [str(path)], str(out), partition_by="outlet")
        assert job.errors == 0
        frame = pd.read_parquet(out)
        frame["outlet"] = frame["outlet"].astype(str)  # a partition column reads back as a category
        spark_rows += [(key(r, r["article_id"]), r) for r in frame.to_dict("records")]

    assert table(spark_rows) == table(local)
    by_key = {k: (r["outlet"], r["date"]) for k, r in local}
    assert by_key["null-outlet"] == ("Daily Bugle", "2016-05-01")
    assert by_key["long-date"] == ("The Herald", "2016-03-03")
    assert by_key["nested"] == ("politico", "2016-10-02")
    assert by_key["https://www.ledger.example/talks"] == ("The Daily Ledger", "2016-09-12")
    assert by_key[NO_CODE_URL][0] == "harbour.example"  # the page states no publisher
    assert {k for k, _ in local} == {"https://courier.example/bridge", "null-outlet", "long-date", "nested",
                                     "https://www.ledger.example/talks", NO_CODE_URL}
