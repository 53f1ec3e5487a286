"""The corpus layer end to end: archives (JSONL, directories, WARC) -> batch runner -> store ->
search and export. Extraction is the real one; assertions are about structure and invariants
(reruns change nothing, interrupted runs finish identically, offsets index the text), never
about how many quotes the model finds."""

from __future__ import annotations

import gzip
import html
import io
import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

import saywho
from saywho.cli import app
from saywho.corpus import EXPORT_COLUMNS, CorpusRunner, export, export_rows, run_corpus, sources
from saywho.corpus.records import QUOTE_COLUMNS
from saywho.corpus.sources import Archives
from saywho.corpus.store import Store
from saywho.errors import ModelError
from saywho.ingest import MAX_CHARS
from saywho.model import Article, Quote

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
POLNEAR_DEV = SHARED / "data" / "polnear" / "dev.jsonl"


def dev_records(n: int, step: int = 10) -> list[dict[str, Any]]:
    """``n`` PolNeAR dev articles, every ``step``-th (the file is sorted by outlet)."""
    if not POLNEAR_DEV.exists():
        pytest.skip(f"shared data not found at {POLNEAR_DEV}")
    out = []
    with open(POLNEAR_DEV, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % step == 0:
                out.append(json.loads(line))
            if len(out) == n:
                break
    return out


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def news_page(rec: dict[str, Any], outlet: str = "The Daily Ledger") -> str:
    """A news web page around a real article: navigation, byline, sidebar and footer included."""
    meta = rec["metadata"]
    title = html.escape(meta["title"])
    paras = "".join(f"<p>{html.escape(p)}</p>\n" for p in rec["text"].split("\n\n")[1:] if p.strip())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | {outlet}</title>
<meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="{meta['publication_date']}T09:30:00Z">
</head><body>
<header><nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/world">World</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By Staff Writer</p>
{paras}</article></main>
<aside><h3>Most read</h3><ul><li><a href="/a">Markets slide again</a></li></ul></aside>
<footer><p>© 2016 {outlet}. All rights reserved.</p></footer>
</body></html>"""


@pytest.fixture(scope="module")
def extractor() -> saywho.Extractor:
    return saywho.Extractor()


def snapshot(db: Path) -> dict[str, Any]:
    """Everything a user can see in a corpus, free of row ids and timestamps."""
    with Store(db) as s:
        c = s.conn
        rows = {
            "articles": c.execute(
                "SELECT content_hash, source, source_id, url, outlet, date, headline, text, doc_json FROM articles"
            ),
            "quotes": c.execute(
                """SELECT a.content_hash, q.quote_id, q.start, q."end", q.text, q.type, q.cue, cs.name,
                          cl.norm_text, cl.occurrences
                   FROM quotes q JOIN articles a ON a.id = q.article_id
                   LEFT JOIN speakers sp ON sp.id = q.speaker_id
                   LEFT JOIN speakers cs ON cs.id = COALESCE(sp.merged_into, sp.id)
                   JOIN quote_clusters cl ON cl.id = q.cluster_id"""
            ),
            "mentions": c.execute(
                """SELECT a.content_hash, m.start, m."end", m.text, cs.name FROM mentions m
                   JOIN articles a ON a.id = m.article_id JOIN speakers sp ON sp.id = m.speaker_id
                   JOIN speakers cs ON cs.id = COALESCE(sp.merged_into, sp.id)"""
            ),
            "errors": c.execute("SELECT source, content_hash, reason FROM errors"),
        }
        out: dict[str, Any] = {name: sorted(tuple(r) for r in cur) for name, cur in rows.items()}
        out["speakers"] = sorted(
            (d["name"], d["named"], d["quote_count"], d["article_count"]) for d in s.speakers(top=10**6)
        )
        out["stats"] = s.stats()
    return out


def assert_consistent(db: Path) -> None:
    """Every stored article has exactly its own quotes and mentions; the text index is intact."""
    with Store(db) as s:
        for row, article in s.iter_articles():
            n_quotes = s.conn.execute("SELECT count(*) FROM quotes WHERE article_id = ?", (row["id"],)).fetchone()[0]
            assert n_quotes == len(article.quotes)
            for q in article.quotes:
                assert article.text[q.start:q.end] == q.text
        s.conn.execute("INSERT INTO quotes_fts(quotes_fts) VALUES ('integrity-check')")


# --------------------------------------------------------------------------- reading archives

def test_jsonl_records_keep_their_polnear_metadata(tmp_path: Path) -> None:
    recs = dev_records(3)
    path = write_jsonl(tmp_path / "a.jsonl", recs)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("\n{not json\n")
        fh.write(json.dumps({"id": "x", "title": "no body"}) + "\n")
        fh.write(json.dumps({"id": "y", "html": "<html><body><p>Hi</p></body></html>", "outlet": "Z",
                             "date": "2020-01-02", "url": "https://z.example/y"}) + "\n")
    items = list(Archives([path]))
    assert [i.source_id for i in items[:3]] == [r["id"] for r in recs]
    first = items[0]
    assert first.input_format == "text" and first.payload == recs[0]["text"]
    assert first.metadata["publisher"] == recs[0]["metadata"]["publisher"]
    assert first.metadata["date"] == recs[0]["metadata"]["publication_date"]
    assert first.metadata["headline"] == recs[0]["metadata"]["title"]
    assert first.source == f"{path}:1"
    bad_json, no_body, page = items[3:]
    assert bad_json.error and "JSON" in bad_json.error and bad_json.source == f"{path}:5"
    assert no_body.error and "text" in no_body.error
    assert page.input_format == "html" and page.metadata == {
        "publisher": "Z", "date": "2020-01-02", "url": "https://z.example/y"}


def test_directories_are_walked_in_order_with_size_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text("Plain text.", encoding="utf-8")
    (tmp_path / "b" / "c.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "b" / "d.HTM").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    (tmp_path / "z.txt").write_text("x" * 5000, encoding="utf-8")
    monkeypatch.setattr(sources, "MAX_ITEM_BYTES", 1000)
    archives = Archives([tmp_path])
    items = list(archives)
    assert [Path(i.source).name for i in items] == ["a.txt", "c.html", "d.HTM", "z.txt"]
    assert [i.input_format for i in items[:3]] == ["text", "html", "html"]
    assert items[3].error and "limit" in items[3].error and items[3].payload is None
    assert archives.bytes_done == archives.total_bytes
    with pytest.raises(FileNotFoundError):
        Archives([tmp_path / "missing"])


# --------------------------------------------------------------------------- running

def test_rerunning_an_archive_adds_nothing(tmp_path: Path, extractor: saywho.Extractor) -> None:
    archive = write_jsonl(tmp_path / "dev.jsonl", dev_records(6))
    db = tmp_path / "c.db"
    first = run_corpus([archive], db, extractor=extractor)
    assert first.processed == 6 and first.errors == 0 and first.duplicates == 0
    before = snapshot(db)
    second = run_corpus([archive], db, extractor=extractor)
    assert (second.processed, second.duplicates, second.errors) == (0, 6, 0)
    assert snapshot(db) == before
    assert before["stats"]["articles"] == 6
    assert before["stats"]["quotes"] == first.quotes
    assert_consistent(db)


class Interrupting:
    """The real extractor, until Ctrl-C arrives on the ``after``-th article."""

    def __init__(self, extractor: saywho.Extractor, after: int) -> None:
        self.extractor, self.after, self.calls = extractor, after, 0

    def __call__(self, source: str | bytes, input_format: str = "auto") -> Article:
        self.calls += 1
        if self.calls == self.after:
            raise KeyboardInterrupt
        return self.extractor(source, input_format)


@pytest.mark.parametrize("how", ["interrupt", "limit"])
def test_a_stopped_run_resumes_to_the_same_corpus(tmp_path: Path, extractor: saywho.Extractor, how: str) -> None:
    recs = dev_records(6)
    archive = write_jsonl(tmp_path / "dev.jsonl", [*recs[:3], recs[0], *recs[3:]])  # one reprint inside
    clean = tmp_path / "clean.db"
    run_corpus([archive], clean, extractor=extractor)

    resumed = tmp_path / "resumed.db"
    if how == "interrupt":
        with pytest.raises(KeyboardInterrupt), Store(resumed) as store:
            runner = CorpusRunner(store, extractor=Interrupting(extractor, after=4))
            runner.run([archive])
        assert runner.summary.interrupted and runner.summary.processed == 3
    else:
        assert run_corpus([archive], resumed, extractor=extractor, limit=3).processed == 3
    assert_consistent(resumed)
    assert snapshot(resumed)["stats"]["articles"] == 3

    rest = run_corpus([archive], resumed, extractor=extractor)
    assert rest.processed == 3 and rest.duplicates == 4
    assert snapshot(resumed) == snapshot(clean)


def test_bad_articles_are_recorded_and_the_batch_goes_on(tmp_path: Path, extractor: saywho.Extractor) -> None:
    good = dev_records(3)
    bad = [
        {"id": "empty", "text": "   "},
        {"id": "binary", "text": "\x00\x01\x02\x03\x04\x05 PNG IHDR \x06\x07\x08" * 200},
        {"id": "no-article", "html": "<html><head><title></title></head><body><script>x()</script></body></html>"},
        {"id": "huge", "text": "Too long. " * (MAX_CHARS // 10 + 1)},
        {"id": "bug", "text": "This one trips a bug in extraction."},
        {"id": "dup", "text": "Here extraction returns one quote twice, which the store refuses."},
    ]
    path = tmp_path / "mixed.jsonl"
    lines = [json.dumps(good[0]), json.dumps(bad[0]), json.dumps(bad[1]), "{broken json", json.dumps(good[1]),
             json.dumps(bad[2]), json.dumps(bad[3]), json.dumps(bad[4]), json.dumps(good[2]), json.dumps(bad[5])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def buggy(source: str | bytes, input_format: str = "auto") -> Article:
        if "trips a bug" in str(source):
            raise ZeroDivisionError("division by zero")
        article = extractor(source, input_format)
        if "one quote twice" in str(source):
            article.quotes = [Quote("q0", 0, 4, article.text[:4], "direct")] * 2
        return article

    db = tmp_path / "c.db"
    summary = run_corpus([path], db, extractor=buggy)
    assert summary.processed == 3 and summary.errors == 7
    with Store(db) as store:
        reasons = {Path(e["source"]).name: e["reason"] for e in store.errors()}
        assert {r["source_id"] for r in store.conn.execute("SELECT source_id FROM articles")} == {
            r["id"] for r in good}
    assert "empty" in reasons["mixed.jsonl:2"]
    assert "binary" in reasons["mixed.jsonl:3"]
    assert "JSON" in reasons["mixed.jsonl:4"]
    assert "no article text" in reasons["mixed.jsonl:6"]
    assert "characters" in reasons["mixed.jsonl:7"]
    assert "ZeroDivisionError" in reasons["mixed.jsonl:8"]
    assert "cannot store" in reasons["mixed.jsonl:10"]
    assert_consistent(db)

    again = run_corpus([path], db, extractor=buggy)
    assert (again.processed, again.duplicates, again.previously_failed, again.errors) == (0, 3, 7, 0)
    assert snapshot(db)["stats"]["errors"] == 7
    retried = run_corpus([path], db, extractor=extractor, retry_errors=True)
    assert retried.processed == 2 and retried.errors == 5  # the bugs are gone; bad input stays bad


def warc_response(writer: Any, uri: str, body: bytes, ctype: str, status: str = "200 OK") -> None:
    """One HTTP response record (test_corpus_parity.py writes its WARC with it too)."""
    from warcio.statusandheaders import StatusAndHeaders

    headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers))


def _warc(path: Path, pages: list[tuple[str, str]]) -> Path:
    from warcio.warcwriter import WARCWriter

    response = warc_response
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "saywho tests"}))
        for uri, page in pages[:1]:
            response(writer, uri, page.encode("utf-8"), "text/html; charset=utf-8")
        response(writer, "https://news.example.com/logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
        response(writer, "https://news.example.com/gone", b"<html>Not found</html>", "text/html", "404 Not Found")
        for uri, page in pages[1:]:
            response(writer, uri, page.encode("utf-8"), "text/html")
        response(writer, "https://news.example.com/empty", b"<html><body></body></html>", "text/html")
    return path


def test_warc_archive_end_to_end(tmp_path: Path, extractor: saywho.Extractor) -> None:
    recs = dev_records(3, step=25)
    pages = [(f"https://www.news{i}.example.com/2016/story-{i}", news_page(r, f"News {i}"))
             for i, r in enumerate(recs)]
    archive = _warc(tmp_path / "crawl.warc.gz", pages)
    db = tmp_path / "c.db"
    summary = run_corpus([archive], db, extractor=extractor)
    assert summary.processed == 3 and summary.errors == 1  # the empty page; image and 404 are not articles
    with Store(db) as store:
        stored = {a["url"]: a for a in (store.article(i) for i in (1, 2, 3))}
        assert set(stored) == {uri for uri, _ in pages}
        for (uri, _), rec in zip(pages, recs, strict=True):
            art = stored[uri]
            assert art["date"] == rec["metadata"]["publication_date"]
            assert art["outlet"].startswith("News")
            assert art["headline"] == rec["metadata"]["title"]
            assert "Home" not in art["text"].split("\n")[:2]  # the page furniture is not the article
        assert store.errors()[0]["source"] == "https://news.example.com/empty"
        # every stored quote is found by its own longest word
        quote = store.conn.execute("SELECT text FROM quotes ORDER BY id LIMIT 1").fetchone()[0]
        word = max(quote.replace("’", "'").split(), key=lambda w: sum(c.isalpha() for c in w))
        word = "".join(c for c in word if c.isalpha())
        assert any(hit["quote"] == quote for hit in store.search(word, limit=1000))
    assert_consistent(db)
    assert run_corpus([archive], db, extractor=extractor).duplicates == 3


def test_damaged_warc_keeps_what_was_read(tmp_path: Path, extractor: saywho.Extractor) -> None:
    recs = dev_records(2, step=30)
    archive = _warc(tmp_path / "crawl.warc.gz", [(f"https://e.example/{i}", news_page(r)) for i, r in enumerate(recs)])
    data = gzip.decompress(archive.read_bytes())
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[: data.rindex(b"WARC/1.") - 1] + b"WARC/1.1\r\nContent-Length: 99999\r\n\r\n" + b"x" * 50)
    summary = run_corpus([cut], tmp_path / "c.db", extractor=extractor)
    assert summary.processed == 2 and summary.errors == 1


def crash_factory(model: str | None = None) -> Any:
    """A stand-in extractor for worker tests: kills its process on 'CRASH', else finds nothing."""
    def extract(source: str | bytes, input_format: str = "auto") -> Article:
        text = source.decode() if isinstance(source, bytes) else source
        if "CRASH" in text:
            os._exit(1)
        return Article(text, {"input_format": input_format})
    return extract


def test_a_dying_worker_costs_only_its_own_article(tmp_path: Path) -> None:
    lines = [{"id": str(i), "text": f"Article number {i}."} for i in range(12)]
    lines[5]["text"] = "This article makes the worker CRASH."
    archive = write_jsonl(tmp_path / "a.jsonl", lines)
    db = tmp_path / "c.db"
    summary = run_corpus([archive], db, workers=2, factory=crash_factory)
    assert summary.processed == 11 and summary.errors == 1
    with Store(db) as store:
        (err,) = store.errors()
    assert err["source"].endswith("a.jsonl:6") and "died" in err["reason"]


def missing_model_factory(model: str | None = None) -> Any:
    raise ModelError("cannot load spaCy model 'xx_none': not installed")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_model_that_cannot_load_stops_the_run_without_blaming_articles(tmp_path: Path, workers: int) -> None:
    archive = write_jsonl(tmp_path / "a.jsonl", [{"id": "1", "text": "Some text."}])
    db = tmp_path / "c.db"
    with pytest.raises(ModelError, match="xx_none"):
        run_corpus([archive], db, workers=workers, factory=missing_model_factory)
    with Store(db) as store:
        assert store.stats()["errors"] == 0 and store.stats()["articles"] == 0


def test_two_workers_build_the_same_corpus_as_one(tmp_path: Path, extractor: saywho.Extractor) -> None:
    archive = write_jsonl(tmp_path / "dev.jsonl", dev_records(5, step=15))
    serial, parallel = tmp_path / "serial.db", tmp_path / "parallel.db"
    run_corpus([archive], serial, extractor=extractor)
    summary = run_corpus([archive], parallel, workers=2)
    assert summary.processed == 5
    assert snapshot(parallel) == snapshot(serial)


# --------------------------------------------------------------------------- export and CLI

@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory, extractor: saywho.Extractor) -> Path:
    tmp = tmp_path_factory.mktemp("corpus")
    recs = dev_records(8)
    archive = write_jsonl(tmp / "dev.jsonl", recs)
    pages = tmp / "pages"
    pages.mkdir()
    (pages / "story.html").write_text(news_page(dev_records(1, step=41)[0]), encoding="utf-8")
    db = tmp / "c.db"
    run_corpus([archive, pages], db, extractor=extractor)
    return db


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_export_is_readable_by_pandas(tmp_path: Path, corpus_db: Path, fmt: str) -> None:
    out = tmp_path / f"quotes.{fmt}"
    with Store(corpus_db) as store:
        n = export(store, out, fmt)
        total = store.stats()["quotes_speech"]  # speech unless asked, as readers count quotes
        texts = {str(row["id"]): article.text for row, article in store.iter_articles()}
    frame = {"parquet": pd.read_parquet, "csv": pd.read_csv,
             "jsonl": lambda p: pd.read_json(p, lines=True, dtype=False)}[fmt](out)
    assert n == total == len(frame) > 0
    assert list(frame.columns) == list(EXPORT_COLUMNS)
    assert set(QUOTE_COLUMNS) <= set(frame.columns)
    assert set(frame["kind"]) == {"speech"}
    assert frame["confidence"].between(0, 1).all() and frame["confidence"].dtype == "float64"
    for rec in frame.head(50).to_dict("records"):
        assert texts[str(rec["article_id"])][int(rec["start"]):int(rec["end"])] == rec["quote"]
    with Store(corpus_db) as store:
        expected = [(r["aliases"], r["descriptors"]) for r in export_rows(store)]
    # lists stay lists: JSON-encoded in CSV, list columns in Parquet (numpy arrays in pandas) and JSONL
    for col in ("aliases", "descriptors"):
        assert all(isinstance(v, str) if fmt == "csv" else not isinstance(v, str) for v in frame[col])
    got = [tuple(json.loads(v) if fmt == "csv" else list(v) for v in pair)
           for pair in zip(frame["aliases"], frame["descriptors"], strict=True)]
    assert got == [tuple(pair) for pair in expected]
    assert any(aliases or descriptors for aliases, descriptors in expected)  # the check saw a list
    assert frame["outlet"].notna().all()


def test_cli_run_search_speakers_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    archive = write_jsonl(tmp_path / "dev.jsonl", dev_records(4, step=20))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SAYWHO_DB", str(tmp_path / "env.db"))

    missing = runner.invoke(app, ["search", "anything"])
    assert missing.exit_code == 1 and "saywho run" in missing.output

    result = runner.invoke(app, ["run", str(archive), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "Processed 4 articles" in result.output
    assert (tmp_path / "env.db").exists() and not (tmp_path / "corpus.db").exists()
    again = runner.invoke(app, ["run", str(archive), "-q"])
    assert "skipped 4 already stored" in again.output

    rows = json.loads(runner.invoke(app, ["search", "--format", "json", "--limit", "1000"]).stdout)
    outlet = rows[0]["outlet"]
    hits = json.loads(runner.invoke(app, ["search", "the", "--outlet", outlet, "-f", "json"]).stdout)
    assert hits and all(h["outlet"] == outlet for h in hits)
    csv_out = runner.invoke(app, ["search", "the", "-f", "csv", "-n", "3"]).stdout
    assert csv_out.splitlines()[0].startswith("article_id,quote_id,date,outlet,speaker")
    table = runner.invoke(app, ["search", "the", "-n", "2"])
    assert table.exit_code == 0 and "No quotes found." not in table.stdout
    first = json.loads(runner.invoke(app, ["search", "the", "-n", "2", "-f", "json"]).stdout)[0]
    assert f"{first['article_id']}:{first['quote_id']}" in table.stdout  # the table lists the same hits
    nothing = runner.invoke(app, ["search", "zqxjvw"])
    assert nothing.exit_code == 0 and "No quotes found." in nothing.stdout
    bad_date = runner.invoke(app, ["search", "x", "--since", "yesterday"])
    assert bad_date.exit_code == 1 and "date" in bad_date.output

    speakers = json.loads(runner.invoke(app, ["speakers", "--top", "5", "-f", "json"]).stdout)
    everyone = json.loads(runner.invoke(app, ["speakers", "--top", "100000", "-f", "json"]).stdout)
    assert everyone and speakers == everyone[:5]  # the five most quoted
    assert all({"id", "name", "quote_count", "article_count"} <= set(s) for s in speakers)
    assert [s["quote_count"] for s in everyone] == sorted((s["quote_count"] for s in everyone), reverse=True)
    assert runner.invoke(app, ["speakers"]).exit_code == 0

    result = runner.invoke(app, ["export", "out.parquet"])
    assert result.exit_code == 0, result.output
    assert len(pd.read_parquet(tmp_path / "out.parquet")) == len(rows)
    assert runner.invoke(app, ["export", "out.xyz"]).exit_code == 1
    jsonl = runner.invoke(app, ["export", "-", "--format", "jsonl"]).stdout
    assert len(jsonl.splitlines()) == len(rows)

    missing_archive = runner.invoke(app, ["run", "no/such/dir", "-q"])
    assert missing_archive.exit_code == 2 and "no such file" in missing_archive.output
