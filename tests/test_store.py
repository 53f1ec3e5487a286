"""The corpus store on its own: no model needed. Real article texts come from PolNeAR with their
gold quotes (so the tests do not move when extraction improves); the merging rules are checked
on small hand-made articles where the expected answer is unambiguous."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from saywho.corpus.reading import normalize_date
from saywho.corpus.store import SCHEMA_VERSION, Store, StoreError, normalize_name, normalize_quote
from saywho.model import Article, Quote, Span, Speaker

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
POLNEAR_DEV = SHARED / "data" / "polnear" / "dev.jsonl"
PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "him", "her", "them"}


def gold_articles(n: int) -> list[tuple[str, Article]]:
    """``n`` PolNeAR dev articles (every tenth: the file is sorted by outlet) as Articles built
    from their gold annotations."""
    if not POLNEAR_DEV.exists():
        pytest.skip(f"shared data not found at {POLNEAR_DEV}")
    out = []
    with open(POLNEAR_DEV, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh):
            if len(out) >= n:
                break
            if lineno % 10:
                continue
            rec = json.loads(line)
            text, meta = rec["text"], rec["metadata"]
            speakers: dict[str, Speaker] = {}
            quotes = []
            for i, g in enumerate(rec["quotes"]):
                sid = None
                if g.get("speaker_start") is not None:
                    name = text[g["speaker_start"]:g["speaker_end"]]
                    key = name.lower()
                    if key not in speakers:
                        named = name[:1].isupper() and len(name.split()) <= 3 and key not in PRONOUNS
                        speakers[key] = Speaker(f"s{len(speakers)}", name, named)
                    sp = speakers[key]
                    sp.mentions.append(Span(g["speaker_start"], g["speaker_end"], name))
                    sid = sp.id
                s, e = g["content_start"], g["content_end"]
                cue = Span(g["cue_start"], g["cue_end"], text[g["cue_start"]:g["cue_end"]]) \
                    if g.get("cue_start") is not None else None
                quotes.append(Quote(f"q{i}", s, e, text[s:e], g["type"], cue=cue, speaker_id=sid))
            metadata = {"publisher": meta["publisher"], "date": meta["publication_date"], "headline": meta["title"]}
            out.append((rec["id"], Article(text, metadata, quotes, list(speakers.values()))))
    return out


def said(text: str, speaker: str | None, named: bool = True, **meta: str) -> Article:
    """A one-quote article: '<speaker> said: "<text>"'."""
    who = speaker or "Someone"
    body = f'{who} said: "{text}"\n'
    start = body.index('"') + 1
    speakers = [Speaker("s0", who, named, mentions=[Span(0, len(who), who)])] if speaker else []
    quote = Quote("q0", start, start + len(text), text, "direct", cue=Span(len(who) + 1, len(who) + 5, "said"),
                  speaker=Span(0, len(who), who) if speaker else None, speaker_id="s0" if speaker else None)
    return Article(body, dict(meta), [quote], speakers)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "corpus.db")
    yield s
    s.close()


@pytest.fixture
def gold_store(store: Store) -> Store:
    for i, (source_id, article) in enumerate(gold_articles(8)):
        store.add_article(article, f"hash{i}", source=f"dev.jsonl:{i + 1}", source_id=source_id)
    store.consolidate()
    return store


def table_counts(store: Store) -> dict[str, int]:
    return store.stats()


# --------------------------------------------------------------------------- writing

def test_adding_the_same_content_twice_stores_it_once(store: Store) -> None:
    (_, article), = gold_articles(1)
    first = store.add_article(article, "h1")
    counts = table_counts(store)
    assert first is not None
    assert store.add_article(article, "h1") is None
    assert table_counts(store) == counts
    assert counts["quotes"] == len(article.quotes)
    assert counts["mentions"] == sum(len(s.mentions) for s in article.speakers)


def test_stored_article_rebuilds_exactly_with_its_corpus_fields(gold_store: Store) -> None:
    for i, (source_id, article) in enumerate(gold_articles(8)):
        stored = gold_store.article(i + 1)
        assert stored is not None
        assert Article.from_dict(stored).to_dict() == article.to_dict()
        assert stored["source_id"] == source_id
        assert stored["outlet"] == article.metadata["publisher"]
        assert stored["date"] == article.metadata["date"]
        assert set(stored["cluster_ids"]) == {q.id for q in article.quotes}
        quoted = {q.speaker_id for q in article.quotes if q.speaker_id}
        assert quoted <= set(stored["corpus_speaker_ids"])
    assert gold_store.article(999) is None
    assert gold_store.article("not-an-id") is None


def test_one_failed_article_leaves_no_partial_rows(store: Store) -> None:
    (_, article), = gold_articles(1)
    broken = Article(article.text, article.metadata, [*article.quotes, article.quotes[0]], article.speakers)
    with pytest.raises(sqlite3.IntegrityError):  # the repeated quote id violates UNIQUE half way through
        store.add_article(broken, "h-broken")
    assert all(n == 0 for n in table_counts(store).values())
    assert store.search("the") == []


def test_errors_are_recorded_once_per_input(store: Store) -> None:
    store.record_error("a.jsonl:3", "input is empty", "abc")
    store.record_error("a.jsonl:3", "input is empty", "abc")
    store.record_error("a.jsonl:4", "not valid JSON")
    assert store.stats()["errors"] == 2
    assert store.has_error("abc") and not store.has_article("abc")
    assert store.errors()[0]["reason"] == "input is empty"
    assert store.clear_errors() == 2


# --------------------------------------------------------------------------- searching

def test_search_results_point_into_the_article_text(gold_store: Store) -> None:
    rows = gold_store.search(limit=1000)
    assert len(rows) == gold_store.stats()["quotes"]
    texts = {i + 1: a.text for i, (_, a) in enumerate(gold_articles(8))}
    for row in rows:
        assert texts[row["article_id"]][row["start"]:row["end"]] == row["quote"]
        assert {"quote_id", "quote", "type", "cue", "speaker", "speaker_id", "article_id", "headline", "outlet",
                "date", "url", "start", "end", "snippet"} <= set(row)


def test_text_search_is_ranked_and_marks_matches(gold_store: Store) -> None:
    rows = gold_store.search("Clinton", limit=100)
    assert rows
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)
    for r in rows:
        assert "clinton" in r["quote"].lower()
        assert "**" in r["snippet"]
    marked = gold_store.search("Clinton", limit=1, mark=("<m>", "</m>"))[0]["snippet"]
    assert "<m>" in marked.replace("<m>Clinton</m>", "<m>")


def test_more_relevant_quote_ranks_first(store: Store) -> None:
    store.add_article(said("We talked about many things today, among them the passport office hours.", "Ann Lee"),
                      "a")
    store.add_article(said("The passport, the passport, always the passport.", "Bo Chan"), "b")
    store.add_article(said("Nothing to see here.", "Cy Dee"), "c")
    rows = store.search("passport")
    assert [r["speaker"] for r in rows] == ["Bo Chan", "Ann Lee"]


def test_search_filters_combine(gold_store: Store) -> None:
    everything = gold_store.search(limit=1000)
    outlets = {r["outlet"] for r in everything}
    dates = sorted({r["date"] for r in everything})
    assert len(outlets) >= 2 and len(dates) >= 2

    outlet = sorted(outlets)[0]
    rows = gold_store.search(outlet=outlet.upper(), limit=1000)
    assert rows and all(r["outlet"] == outlet for r in rows)
    assert len(rows) == sum(r["outlet"] == outlet for r in everything)

    middle = dates[len(dates) // 2]
    later = gold_store.search(since=middle, limit=1000)
    earlier = gold_store.search(until=middle, limit=1000)
    assert all(r["date"] >= middle for r in later) and all(r["date"] <= middle for r in earlier)
    on_day = sum(r["date"] == middle for r in everything)
    assert len(later) + len(earlier) == len(everything) + on_day
    year = middle[:4]
    assert len(gold_store.search(since=year, until=year, limit=1000)) == sum(
        r["date"].startswith(year) for r in everything)

    top = gold_store.speakers(top=1, named_only=True)[0]
    by_speaker = gold_store.search(speaker=top["name"], limit=1000)
    assert len(by_speaker) == top["quote_count"]
    assert all(r["speaker_id"] == top["id"] for r in by_speaker)
    assert gold_store.search(speaker=str(top["id"]), limit=1000) == by_speaker

    both = gold_store.search("the", outlet=outlet, since=middle, limit=1000)
    assert all(r["outlet"] == outlet and r["date"] >= middle for r in both)


def test_limit_and_offset_page_through_results(gold_store: Store) -> None:
    full = gold_store.search("said OR says OR Trump OR Clinton", limit=1000)
    assert len(full) > 6
    pages = [gold_store.search("said OR says OR Trump OR Clinton", limit=3, offset=o) for o in range(0, 6, 3)]
    assert [r["id"] for page in pages for r in page] == [r["id"] for r in full[:6]]


def test_user_text_that_is_not_fts_syntax_still_searches(gold_store: Store) -> None:
    for q in ('U.S.', 'pro-life', 'AND', '"unbalanced', 'col:umn', "don't", "(", "*"):
        assert isinstance(gold_store.search(q), list)
    rows = gold_store.search("Clinton's")
    assert rows and all("clinton" in r["quote"].lower() for r in rows)


def test_unknown_filters_return_nothing_and_bad_dates_say_so(gold_store: Store) -> None:
    assert gold_store.search(speaker="Nobody Atall") == []
    assert gold_store.search(outlet="no such outlet") == []
    with pytest.raises(StoreError, match="date"):
        gold_store.search(since="last tuesday")


def test_deleting_an_article_keeps_the_index_in_sync(store: Store) -> None:
    aid = store.add_article(said("Visa rules are changing next spring.", "Ann Lee"), "a")
    store.add_article(said("Visa fees are going up.", "Bo Chan"), "b")
    assert len(store.search("visa")) == 2
    assert store.delete_article(aid)
    assert [r["speaker"] for r in store.search("visa")] == ["Bo Chan"]
    assert store.search("spring") == []
    assert store.stats()["speakers"] == 1
    # The FTS integrity check compares the index with the quotes table it mirrors.
    store.conn.execute("INSERT INTO quotes_fts(quotes_fts) VALUES ('integrity-check')")


def test_store_is_usable_from_several_threads(gold_store: Store) -> None:
    results: list[int] = []

    def work() -> None:
        results.append(len(gold_store.search("Clinton", limit=5)))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and len(set(results)) == 1


# --------------------------------------------------------------------------- corpus identity

def test_names_normalise_across_case_accents_and_titles() -> None:
    same = ["Dr. José Pérez", "JOSE PEREZ", "josé pérez", "Mr Jose Perez", "José Pérez PhD"]
    assert len({normalize_name(n) for n in same}) == 1
    # Jr. and Sr. are part of who someone is: a son is not his father (issue 14).
    assert normalize_name("Donald Trump Jr.") == "donald trump jr" != normalize_name("Donald Trump")
    assert normalize_name("Former President Barack Obama") == "barack obama"
    assert normalize_name("Donald J. Trump") == normalize_name("Donald Trump")
    assert normalize_name("J. K. Rowling") == normalize_name("JK Rowling")
    assert normalize_name("King") == "king"  # a title word is kept when it is all there is


def test_same_person_in_many_articles_is_one_speaker(store: Store) -> None:
    store.add_article(said("We will win.", "Dr. José Pérez", publisher="A"), "1")
    store.add_article(said("We will win again.", "JOSE PEREZ", publisher="B"), "2")
    store.add_article(said("Nobody saw it.", "Ann Lee", publisher="B"), "3")
    store.consolidate()
    people = {s["name"]: s for s in store.speakers()}
    assert set(people) == {"Dr. José Pérez", "Ann Lee"}
    assert people["Dr. José Pérez"]["quote_count"] == 2
    assert people["Dr. José Pérez"]["article_count"] == 2
    assert people["Dr. José Pérez"]["aliases"] == ["JOSE PEREZ"]
    detail = store.speaker(people["Dr. José Pérez"]["id"])
    assert detail is not None and len(detail["quotes"]) == 2


def test_short_form_joins_the_only_full_name_it_fits(store: Store) -> None:
    store.add_article(said("Good.", "Hillary Clinton"), "1")
    store.add_article(said("Fine.", "Mrs. Clinton"), "2")
    store.add_article(said("Yes.", "Clinton"), "3")
    store.consolidate()
    (hillary,) = store.speakers()
    assert hillary["name"] == "Hillary Clinton" and hillary["quote_count"] == 3
    assert {r["speaker"] for r in store.search(speaker="Clinton")} == {"Hillary Clinton"}
    short_id = store.conn.execute("SELECT id FROM speakers WHERE norm_name = 'clinton'").fetchone()[0]
    assert store.speaker(short_id)["id"] == hillary["id"]

    # A second full name makes the short form ambiguous: it stands alone again.
    store.add_article(said("Hello.", "Bill Clinton"), "4")
    store.consolidate()
    counts = {s["name"]: s["quote_count"] for s in store.speakers()}
    assert counts == {"Hillary Clinton": 1, "Clinton": 2, "Bill Clinton": 1}
    assert len(store.search(speaker="Clinton")) == 4


def test_merging_does_not_depend_on_arrival_order(tmp_path: Path) -> None:
    articles = [said("One.", "Clinton"), said("Two.", "Hillary Clinton"), said("Three.", "Bill Clinton"),
                said("Four.", "Trump"), said("Five.", "Donald J. Trump"), said("Six.", "Donald Trump")]
    outcomes = []
    for name, order in (("a", articles), ("b", articles[::-1])):
        with Store(tmp_path / f"{name}.db") as s:
            for article in order:
                s.add_article(article, article.quotes[0].text)
                s.consolidate()
            outcomes.append(sorted((r["speaker"], r["quote"]) for r in s.search(limit=100)))
    assert outcomes[0] == outcomes[1]
    assert ("Clinton", "One.") in outcomes[0]  # ambiguous between two full names
    assert {q for sp, q in outcomes[0] if sp in ("Donald J. Trump", "Donald Trump")} == {"Four.", "Five.", "Six."}


def test_unnamed_sources_are_never_merged(store: Store) -> None:
    store.add_article(said("It is bad.", "a senior official", named=False), "1")
    store.add_article(said("It is worse.", "a senior official", named=False), "2")
    store.consolidate()
    officials = store.speakers()
    assert len(officials) == 2 and not any(s["named"] for s in officials)
    assert store.speakers(named_only=True) == []
    assert len(store.search(speaker="a senior official")) == 2  # still findable by what they were called


def test_reprinted_quote_is_one_cluster(store: Store) -> None:
    store.add_article(said("We’re not going anywhere — not now, not ever.", "Ann Lee", publisher="A"), "1")
    store.add_article(said("We're NOT going anywhere. Not now, not ever!", "Ann Lee", publisher="B"), "2")
    store.add_article(said("We are going somewhere.", "Ann Lee", publisher="C"), "3")
    (cluster,) = store.clusters(min_occurrences=2)
    assert cluster["occurrences"] == 2 and cluster["article_count"] == 2
    assert cluster["norm_text"] == normalize_quote("we're not going anywhere not now not ever")
    assert {r["outlet"] for r in store.cluster(cluster["id"])} == {"A", "B"}


# --------------------------------------------------------------------------- opening

def test_only_corpus_databases_are_opened(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no corpus database"):
        Store(tmp_path / "missing.db", create=False)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a saywho corpus"):
        Store(junk, create=False)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.commit()
    for create in (False, True):
        with pytest.raises(StoreError, match="not a saywho corpus"):
            Store(other, create=create)
    old = tmp_path / "old.db"
    Store(old).close()
    conn = sqlite3.connect(old)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="schema version"):
        Store(old)


def test_dates_are_stored_as_iso_days() -> None:
    assert normalize_date("2016-09-12T10:00:00Z") == "2016-09-12"
    assert normalize_date("Mon, 12 Sep 2016 10:00:00 GMT") == "2016-09-12"
    assert normalize_date("September 12, 2016") == "2016-09-12"
    assert normalize_date("soon") is None and normalize_date(None) is None
