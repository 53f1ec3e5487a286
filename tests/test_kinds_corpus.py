"""Kinds and confidence across the corpus: stored per quote, speech by default in search, speaker
counts and exports, every kind on request (`--kind all`, `?kind=all`), a confidence floor.

The corpus is built here from news-style articles written for these tests (no shared data), with
the real extractor: one article in which a speaker says one thing and believes another, one in
which the only source believes and plans (and so is no speaker readers would count).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from saywho import Extractor
from saywho.cli import app
from saywho.corpus import export, export_rows
from saywho.corpus.store import SCHEMA_VERSION, Store, StoreError
from saywho.model import QUOTE_KINDS, Article

HARBOUR = """Harbour council approves ferry plan

The harbour council approved the new ferry route on Tuesday after a long debate.

"This route will bring visitors back to the old town," said Maria Costa, the council leader.

Costa believes the ferry will pay for itself within five years.

Peter Hale, who runs the boatyard, told reporters that the harbour needed the work.

Hale plans to open a second workshop next spring.
"""
# Anna Berg only thinks and intends here: readers would not count her as quoted.
ORCHARD = """Orchard growers brace for frost

Growers across the valley are covering their trees as temperatures fall.

Anna Berg, who farms forty acres near the river, fears the cold will destroy the early blossom.

Berg intends to hire extra workers for the harvest if the trees survive.

"We have never seen a spring this cold," Maria Costa told the growers' meeting on Monday.
"""


def kinds_of(article: Article) -> dict[str, set[str]]:
    """Speaker name -> the kinds of their quotes."""
    out: dict[str, set[str]] = {}
    for q in article.quotes:
        sp = article.speaker(q.speaker_id)
        out.setdefault(sp.name if sp else "", set()).add(q.kind)
    return out


@pytest.fixture(scope="module")
def articles(extractor: Extractor) -> list[Article]:
    found = [extractor(text, "text") for text in (HARBOUR, ORCHARD)]
    # What the tests below rely on, checked first so a change in extraction says so plainly.
    assert {"speech", "thought"} <= kinds_of(found[0])["Maria Costa"]
    assert kinds_of(found[0])["Peter Hale"] == {"speech", "intent"}
    assert kinds_of(found[1])["Anna Berg"] <= {"thought", "intent"}
    assert "speech" in kinds_of(found[1])["Maria Costa"]
    return found


def build(db: Path, articles: list[Article]) -> Path:
    with Store(db) as store:
        for a in articles:
            store.add_article(a, hashlib.sha256(a.text.encode()).hexdigest(), source="test")
        store.consolidate()
    return db


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, articles: list[Article]) -> Path:
    return build(tmp_path_factory.mktemp("kinds") / "kinds.db", articles)


def all_quotes(articles: list[Article]) -> list[Any]:
    return [q for a in articles for q in a.quotes]


# --------------------------------------------------------------------------- the store

def test_kind_and_confidence_are_stored_for_every_quote(db: Path, articles: list[Article]) -> None:
    with Store(db) as store:
        stored = sorted(tuple(r) for r in store.conn.execute("SELECT text, kind, confidence FROM quotes"))
        assert stored == sorted((q.text, q.kind, q.confidence) for q in all_quotes(articles))
        rebuilt = [store.article(row["id"]) for row, _ in store.iter_articles()]
        assert [Article.from_dict(a).quotes for a in rebuilt] == [a.quotes for a in articles]  # type: ignore[arg-type]
        stats = store.stats()
    for kind in QUOTE_KINDS:
        assert stats[f"quotes_{kind}"] == sum(q.kind == kind for q in all_quotes(articles))
    assert stats["quotes"] == len(all_quotes(articles))


def test_search_shows_speech_unless_asked(db: Path, articles: list[Article]) -> None:
    quotes = all_quotes(articles)
    with Store(db) as store:
        default = store.search(limit=1000)
        every = store.search(limit=1000, kinds=None)
        thoughts = store.search(limit=1000, kinds=("thought",))
        believes = store.search("ferry", kinds=("thought", "speech"))
    assert {r["kind"] for r in default} == {"speech"}
    assert len(default) == sum(q.kind == "speech" for q in quotes)
    assert sorted(r["quote"] for r in every) == sorted(q.text for q in quotes)
    assert {r["kind"] for r in thoughts} == {"thought"}
    assert any("pay for itself" in r["quote"] for r in believes)
    assert all(0.0 <= r["confidence"] <= 1.0 for r in every)


def test_min_confidence_leaves_out_less_likely_quotes(db: Path, articles: list[Article]) -> None:
    values = sorted({q.confidence for q in all_quotes(articles)})
    floor = values[len(values) // 2]  # a floor that keeps some and drops some
    with Store(db) as store:
        kept = store.search(limit=1000, kinds=None, min_confidence=floor)
        everyone = store.speakers(kinds=None, min_confidence=floor)
    assert sorted(r["quote"] for r in kept) == sorted(q.text for q in all_quotes(articles) if q.confidence >= floor)
    assert 0 < len(kept) < len(all_quotes(articles))
    assert sum(s["quote_count"] for s in everyone) == sum(1 for r in kept if r["speaker_id"] is not None)


def test_speaker_counts_are_speech_unless_asked(db: Path, articles: list[Article]) -> None:
    with Store(db) as store:
        default = {s["name"]: s["quote_count"] for s in store.speakers()}
        every = {s["name"]: s["quote_count"] for s in store.speakers(kinds=None)}
        intents = {s["name"]: s["quote_count"] for s in store.speakers(kinds=("intent",))}
        berg = next(s for s in store.speakers(kinds=None) if s["name"] == "Anna Berg")
        berg_page = store.speaker(berg["id"])
        berg_all = store.speaker(berg["id"], kinds=None)
    by_name: dict[str, list[str]] = {}
    for a in articles:
        for q in a.quotes:
            if q.speaker_id:
                by_name.setdefault(a.speaker(q.speaker_id).name, []).append(q.kind)  # type: ignore[union-attr]
    assert "Anna Berg" not in default  # she believes and intends; she is not quoted
    assert default["Maria Costa"] == by_name["Maria Costa"].count("speech") == 2  # one per article
    assert every["Anna Berg"] == len(by_name["Anna Berg"]) and every["Maria Costa"] == len(by_name["Maria Costa"])
    assert intents["Peter Hale"] == 1 and "Maria Costa" not in intents
    assert list(default.values()) == sorted(default.values(), reverse=True)
    assert berg_page is not None and berg_page["quote_count"] == 0 and berg_page["quotes"] == []
    assert berg_all is not None and berg_all["quote_count"] == len(berg_all["quotes"]) == every["Anna Berg"]


def test_kept_counts_match_a_recount_after_deleting(tmp_path: Path, articles: list[Article]) -> None:
    with Store(build(tmp_path / "c.db", articles)) as store:
        first = next(row["id"] for row, _ in store.iter_articles())
        assert store.delete_article(first)
        kept = {s["name"]: s["quote_count"] for s in store.speakers()}
        store.consolidate()  # recounts from the quotes table
        assert {s["name"]: s["quote_count"] for s in store.speakers()} == kept
    assert kept["Maria Costa"] == 1 and "Peter Hale" not in kept


def test_an_older_database_is_refused_with_what_to_do(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    Store(old).close()
    conn = sqlite3.connect(old)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    conn.close()
    before = old.read_bytes()
    with pytest.raises(StoreError, match=r"older saywho.*re-run `saywho run"):
        Store(old, create=False)
    assert old.read_bytes() == before  # never upgraded or emptied
    result = CliRunner().invoke(app, ["speakers", "--db", str(old)])
    assert result.exit_code == 1 and "re-run" in result.output


# --------------------------------------------------------------------------- exports

def test_export_is_speech_unless_asked_and_labels_every_row(tmp_path: Path, db: Path,
                                                             articles: list[Article]) -> None:
    quotes = all_quotes(articles)
    with Store(db) as store:
        n_speech = export(store, tmp_path / "speech.parquet", "parquet")
        n_all = export(store, tmp_path / "all.parquet", "parquet", kinds=None)
        n_csv = export(store, tmp_path / "all.csv", "csv", kinds=None, min_confidence=0.9)
        rows = list(export_rows(store, kinds=None))
    assert n_speech == sum(q.kind == "speech" for q in quotes) and n_all == len(quotes)
    schema = pq.read_schema(tmp_path / "all.parquet")
    assert str(schema.field("kind").type) == "string" and str(schema.field("confidence").type) == "double"
    frame = pd.read_parquet(tmp_path / "all.parquet")
    assert sorted(zip(frame["quote"], frame["kind"], frame["confidence"], strict=True)) == sorted(
        (q.text, q.kind, q.confidence) for q in quotes)
    assert set(pd.read_parquet(tmp_path / "speech.parquet")["kind"]) == {"speech"}
    high = pd.read_csv(tmp_path / "all.csv")
    assert n_csv == len(high) == sum(q.confidence >= 0.9 for q in quotes) and (high["confidence"] >= 0.9).all()
    assert {r["kind"] for r in rows} == {q.kind for q in quotes}


def test_cli_kind_and_min_confidence(tmp_path: Path, db: Path, articles: list[Article]) -> None:
    runner = CliRunner()
    quotes = all_quotes(articles)

    def run_json(*args: str) -> Any:
        result = runner.invoke(app, [*args, "--db", str(db)])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    assert {r["kind"] for r in run_json("search", "-f", "json", "-n", "100")} == {"speech"}
    every = run_json("search", "-f", "json", "-n", "100", "--kind", "all")
    assert len(every) == len(quotes)
    two = run_json("search", "-f", "json", "-n", "100", "--kind", "thought,intent")
    assert {r["kind"] for r in two} == {"thought", "intent"}
    sure = run_json("search", "-f", "json", "-n", "100", "--kind", "all", "--min-confidence", "0.9")
    assert len(sure) == sum(q.confidence >= 0.9 for q in quotes)
    names = [s["name"] for s in run_json("speakers", "-f", "json")]
    assert "Anna Berg" not in names and "Maria Costa" in names
    assert "Anna Berg" in [s["name"] for s in run_json("speakers", "-f", "json", "--kind", "all")]
    table = runner.invoke(app, ["search", "--kind", "all", "--db", str(db)])
    assert "(thought)" in table.stdout  # a quote not speech is labelled in the table
    csv_head = runner.invoke(app, ["search", "-f", "csv", "--db", str(db)]).stdout.splitlines()[0]
    assert "kind,confidence" in csv_head

    jsonl = runner.invoke(app, ["export", "-", "-f", "jsonl", "--db", str(db)]).stdout.splitlines()
    assert len(jsonl) == sum(q.kind == "speech" for q in quotes)
    every_kind = runner.invoke(app, ["export", "-", "-f", "jsonl", "--kind", "all", "--db", str(db)])
    labelled = [json.loads(line) for line in every_kind.stdout.splitlines()]
    assert sorted(r["kind"] for r in labelled) == sorted(q.kind for q in quotes)

    bad = runner.invoke(app, ["search", "--kind", "gossip", "--db", str(db)])
    assert bad.exit_code == 1 and "gossip" in bad.output and "speech" in bad.output
    assert runner.invoke(app, ["export", "-", "-f", "csv", "--min-confidence", "2", "--db", str(db)]).exit_code == 2


# --------------------------------------------------------------------------- the web API

def test_web_corpus_endpoints_take_kind_and_min_confidence(db: Path, extractor: Extractor,
                                                           articles: list[Article]) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from saywho.web import create_app
    from saywho.web.schemas import QuoteSearch, SpeakerList, SpeakerWithQuotes, Stats

    quotes = all_quotes(articles)
    with TestClient(create_app(str(db), extractor=extractor)) as c:
        default = c.get("/api/quotes", params={"limit": 500}).json()
        every = c.get("/api/quotes", params={"limit": 500, "kind": "all"}).json()
        sure = c.get("/api/quotes", params={"limit": 500, "kind": "all", "min_confidence": 0.9}).json()
        speakers = c.get("/api/speakers").json()
        all_speakers = c.get("/api/speakers", params={"kind": "speech,thought,intent,stance"}).json()
        berg = next(s for s in all_speakers["speakers"] if s["name"] == "Anna Berg")
        berg_all = c.get(f"/api/speakers/{berg['id']}", params={"kind": "all"}).json()
        stats = c.get("/api/stats").json()
        assert c.get("/api/quotes", params={"kind": "gossip"}).status_code == 422
        assert c.get("/api/speakers", params={"min_confidence": 1.5}).status_code == 422
        extracted = c.post("/api/extract", json={"text": HARBOUR}).json()
    for body, model in ((default, QuoteSearch), (every, QuoteSearch), (speakers, SpeakerList),
                        (berg_all, SpeakerWithQuotes), (stats, Stats)):
        model.model_validate(body)  # the declared response models hold the new fields
    assert {r["kind"] for r in default["quotes"]} == {"speech"}
    assert len(every["quotes"]) == len(quotes)
    assert len(sure["quotes"]) == sum(q.confidence >= 0.9 for q in quotes)
    assert "Anna Berg" not in [s["name"] for s in speakers["speakers"]]
    assert {q["kind"] for q in berg_all["quotes"]} <= {"thought", "intent"} and berg_all["quotes"]
    assert stats["quotes_speech"] == sum(q.kind == "speech" for q in quotes)
    # /api/extract stays exactly Article.to_dict(): every kind, labelled
    assert extracted == extractor(HARBOUR, "text").to_dict()
    assert {q["kind"] for q in extracted["quotes"]} == {q.kind for q in articles[0].quotes}
