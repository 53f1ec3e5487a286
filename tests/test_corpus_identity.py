"""Corpus speaker identity (issue 14): namesakes, short forms, cleaned name forms, curation,
the audit traced by search, and analysis-ready dates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from saywho.corpus.audit import audit
from saywho.corpus.curation import append_action, suggest_merges
from saywho.corpus.identity import SAYING_VERBS, clean_descriptor, clean_name
from saywho.corpus.reading import normalize_date
from saywho.corpus.store import Store
from saywho.model import Article, Mention, Quote, Speaker


def article(*people: tuple[str, str, str], text: str = "", outlet: str = "A", date: str = "2016-10-04") -> Article:
    """One quote per (name, gender, type) speaker; ``text`` is the article's text around them."""
    body = text
    quotes, speakers = [], []
    for i, (name, gender, type_) in enumerate(people):
        start = len(body) + 1
        body += f' "We said {i}." {name} said.'
        q_text = f"We said {i}."
        sid = f"s{i}"
        quotes.append(Quote(id=f"q{i}", start=start, end=start + len(q_text), text=q_text, type="direct",
                            speaker_id=sid, kind="speech", confidence=0.9))
        m_start = body.index(name, start)
        speakers.append(Speaker(id=sid, name=name, named=type_ != "unnamed", type=type_, gender=gender,
                                mentions=[Mention(m_start, m_start + len(name), name)]))
    return Article(text=body, metadata={"publisher": outlet, "date": date}, quotes=quotes, speakers=speakers)


def corpus_of(store: Store, name: str) -> int:
    rows = store.search(speaker=name, limit=1000)
    ids = {r["speaker_id"] for r in rows}
    assert len(ids) == 1, (name, ids)
    return ids.pop()


def test_bill_hillary_and_chelsea_clinton_stay_apart(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        store.add_article(article(("Hillary Clinton", "female", "person")), "1")
        store.add_article(article(("Hillary Clinton", "female", "person"), ("Clinton", "female", "person")), "2")
        store.add_article(article(("Bill Clinton", "male", "person")), "3")
        store.add_article(article(("Chelsea Clinton", "female", "person")), "4")
        store.add_article(article(("Hillary Clinton", "female", "person")), "5")
        store.add_article(article(("Clinton", "male", "person")), "6")      # "he": the former president
        store.add_article(article(("Clinton", "unknown", "person")), "7")   # the dominant Clinton
        store.consolidate()
        hillary, bill, chelsea = (corpus_of(store, n) for n in ("Hillary Clinton", "Bill Clinton", "Chelsea Clinton"))
        assert len({hillary, bill, chelsea}) == 3
        assert store.speaker(hillary)["quote_count"] == 5   # three full, the article's own "Clinton", #7
        assert store.speaker(bill)["quote_count"] == 2
        assert store.speaker(chelsea)["quote_count"] == 1
        assert store.speaker(hillary)["gender"] == "female" and store.speaker(bill)["gender"] == "male"


def test_a_pet_form_of_a_first_name_joins_the_given_name(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        store.add_article(article(("Leonard E. Burman", "male", "person")), "1")
        store.add_article(article(("Len Burman", "unknown", "person")), "2")
        store.add_article(article(("Chris Burman", "female", "person")), "3")  # "Chris" is no one given name
        store.consolidate()
        leonard = corpus_of(store, "Leonard E. Burman")
        assert corpus_of(store, "Len Burman") == leonard and store.speaker(leonard)["quote_count"] == 2
        assert corpus_of(store, "Chris Burman") != leonard


def test_donald_trump_and_donald_trump_jr_stay_apart(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        store.add_article(article(("Donald J. Trump", "male", "person")), "1")
        store.add_article(article(("Donald Trump", "male", "person"), ("Mr. Trump", "male", "person")), "2")
        store.add_article(article(("Donald Trump Jr.", "male", "person")), "3")
        store.add_article(article(("Trump Jr.", "male", "person"), text="Donald Trump Jr. spoke."), "4")
        store.add_article(article(("Trump", "male", "person")), "5")
        store.consolidate()
        father, son = corpus_of(store, "Donald Trump"), corpus_of(store, "Donald Trump Jr.")
        assert father != son
        assert store.speaker(father)["quote_count"] == 4
        assert store.speaker(son)["quote_count"] == 2


def test_a_short_form_joins_the_full_name_its_article_spells_out(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        store.add_article(article(("Stephen Lynch", "male", "person")), "1")
        store.add_article(article(("Lynch", "female", "person"), text="A lesson from Loretta Lynch.\n"), "2")
        store.consolidate()
        people = {s["name"]: s for s in store.speakers()}
        assert set(people) == {"Stephen Lynch", "Loretta Lynch"}
        assert "Lynch" in people["Loretta Lynch"]["aliases"]


def test_organisations_are_not_named_people_and_keep_their_type(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        store.add_article(article(("PolitiFact", "unknown", "organisation"), ("Ann Lee", "female", "person")), "1")
        store.consolidate()
        result = audit(store)
        assert result["totals"]["classes"]["organisation"] == 1
        assert result["totals"]["classes"]["female person"] == 1


@pytest.mark.parametrize("raw, clean", [
    ('">Sanders', "Sanders"), ("Obama Says", "Obama"), ("Elizabeth Warren Hammers Wells Fargo CEO", "Elizabeth Warren"),
    ("’s opponent", None), ("Trump Was ‘Mocking", None), ("Trump's running", None), ("<b>Ann Lee</b>", "Ann Lee"),
    ("Dr. José Pérez", "Dr. José Pérez"),
])
def test_name_forms_are_cleaned_of_markup_verbs_and_shards(raw: str, clean: str | None) -> None:
    assert clean_name(raw) == clean


def test_descriptors_are_cleaned_of_shards() -> None:
    assert clean_descriptor("’s opponent") is None
    assert clean_descriptor("Trump Was ‘Mocking") is None
    assert clean_descriptor("the senator") == "the senator"


def test_curation_merges_and_splits_survive_reruns(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with Store(db) as store:
        store.add_article(article(("Donald Trump", "male", "person")), "1")
        store.add_article(article(("Donand Trump", "unknown", "person")), "2")
        store.add_article(article(("Clinton", "unknown", "person"), ("Hillary Clinton", "female", "person")), "3")
        store.add_article(article(("Clinton", "unknown", "person")), "4")
        store.consolidate()
        suggestions = suggest_merges(store)
        assert any(s["speaker"]["key"] == "donand trump" and s["target"]["key"] == "donald trump"
                   for s in suggestions)
        assert store.curation_path == tmp_path / "c.curation.csv"
        append_action(store.curation_path, "merge", "donand trump", "donald trump")
        append_action(store.curation_path, "split", "clinton|u", "hillary clinton")
        store.consolidate()
        assert store.speaker(corpus_of(store, "Donald Trump"))["quote_count"] == 2
        assert store.speaker(corpus_of(store, "Hillary Clinton"))["quote_count"] == 2  # article 3's own
    with Store(db) as store:  # a later run (or --retry-errors) reads the same file
        store.add_article(article(("Ann Lee", "female", "person")), "5")
        store.consolidate()
        assert store.speaker(corpus_of(store, "Donald Trump"))["quote_count"] == 2
        assert not any(s["speaker"]["key"] == "donand trump" for s in suggest_merges(store))


def test_speaker_ids_are_stable_across_reruns(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        store.add_article(article(("Clinton", "unknown", "person")), "1")
        store.add_article(article(("Hillary Clinton", "female", "person")), "2")
        store.consolidate()
        before = {s["key"]: s["id"] for s in store.speakers()}
        store.add_article(article(("Bill Clinton", "male", "person")), "3")
        store.consolidate()
        after = {s["key"]: s["id"] for s in store.speakers()}
        assert after["hillary clinton"] == before["hillary clinton"]


def test_every_audit_cell_is_the_count_search_lists(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        store.add_article(article(("Hillary Clinton", "female", "person"), ("a senior official", "unknown", "unnamed"),
                                  outlet="A", date="2016-09-12"), "1")
        store.add_article(article(("Donald Trump", "male", "person"), ("PolitiFact", "unknown", "organisation"),
                                  outlet="B", date="2016-10-04"), "2")
        store.add_article(article(("Donald Trump", "male", "person"), outlet="A", date="2016-10-20"), "3")
        store.consolidate()
        for by in (None, "outlet", "month", "year", "speaker"):
            result = audit(store, by=by)
            assert result["totals"]["quotes"] == 5
            for cell in result["rows"]:
                assert len(store.search(limit=1000, **cell["trace"])) == cell["quotes"], (by, cell)
        by_outlet = {g["group"]: g for g in audit(store, by="outlet")["groups"]}
        assert by_outlet["A"]["classes"]["male person"] == 1 and by_outlet["A"]["classes"]["unnamed"] == 1
        assert audit(store, query="said", outlet="B")["totals"]["quotes"] == 2


def test_dates_are_read_in_every_form_news_writes() -> None:
    assert normalize_date("Oct. 4, 2016") == "2016-10-04"
    assert normalize_date("Tuesday, October 4, 2016") == "2016-10-04"
    assert normalize_date("2016-10-04T10:00:00Z") == "2016-10-04"
    assert normalize_date("04/10/2016") == "2016-10-04"
    assert normalize_date("10/04/2016", date_order="MDY") == "2016-10-04"
    assert normalize_date("yesterday") is None


def test_exports_hold_dates_ids_type_and_gender(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    from saywho.corpus import export

    with Store(tmp_path / "c.db") as store:
        store.add_article(article(("Hillary Clinton", "female", "person")), "1")
        store.consolidate()
        export(store, tmp_path / "q.parquet", "parquet")
        export(store, tmp_path / "q.jsonl", "jsonl")
    table = pq.read_table(tmp_path / "q.parquet")
    assert table.schema.field("date").type == pa.date32()
    assert table.schema.field("article_id").type == pa.int64()
    row = json.loads((tmp_path / "q.jsonl").read_text().splitlines()[0])
    assert (row["speaker_type"], row["speaker_gender"], row["corpus_speaker_gender"]) == ("person", "female", "female")
    assert row["source_type"] == "person" and row["corpus_speaker_key"] == "hillary clinton"
    assert isinstance(row["article_id"], int) and isinstance(row["corpus_speaker_id"], int)


# --------------------------------------------------------------------------- PolNeAR dev as a corpus

# The 20 most quoted people of PolNeAR dev, read by hand from the articles (name, stated gender).
POLNEAR_TOP20 = [
    ("Donald Trump", "m"), ("Barack Obama", "m"), ("Hillary Clinton", "f"), ("Tom Clarke", "m"),
    ("Loretta Lynch", "f"), ("Bernie Sanders", "m"), ("Norman Ham", "m"), ("Don Fowler", "m"), ("Ted Cruz", "m"),
    ("Bobby Scott", "m"), ("Ava DuVernay", "f"), ("Kevin McKinley", "m"), ("Adam Schiff", "m"),
    ("Lindsey Graham", "m"), ("Elizabeth Warren", "f"), ("Ed Rendell", "m"), ("Donna Sampson Rawlings", "f"),
    ("Bill Clinton", "m"), ("Douglas Holtz-Eakin", "m"), ("Michael Flynn", "m"),
]
RELATIVES = [("Donald Trump", "Melania Trump"), ("Donald Trump", "Ivanka Trump"), ("Hillary Clinton", "Bill Clinton")]


@pytest.fixture(scope="module")
def polnear(shared: Path, extractor: Any, tmp_path_factory: Any) -> Store:
    from saywho.corpus import run_corpus

    path = shared / "data" / "polnear" / "dev.jsonl"
    if not path.is_file():
        pytest.skip("PolNeAR dev is absent")
    store = Store(tmp_path_factory.mktemp("polnear") / "dev.db")
    run_corpus([path], store, extractor=extractor)
    return store


@pytest.mark.parametrize("name, gender", POLNEAR_TOP20)
def test_polnear_top_people_are_one_speaker_each(polnear: Store, name: str, gender: str) -> None:
    cid = corpus_of(polnear, name)
    surname = name.split()[-1].lower()
    for row in polnear.conn.execute("SELECT id, key, merged_into FROM speakers WHERE key LIKE ?", (f"{surname}|%",)):
        if row["key"].split("|")[1] in ("u", gender):
            if name == "Bill Clinton" and row["key"] == "clinton|u":
                continue  # unstated gender goes to the dominant Clinton, Hillary
            assert (row["merged_into"] or row["id"]) == cid, (name, row["key"])


def test_polnear_relatives_stay_apart(polnear: Store) -> None:
    for a, b in RELATIVES:
        assert corpus_of(polnear, a) != corpus_of(polnear, b)


def test_polnear_name_forms_hold_no_verb_markup_or_shard(polnear: Store) -> None:
    for row in polnear.conn.execute("SELECT name, aliases, descriptors FROM speakers WHERE named = 1"):
        for form in [row["name"], *json.loads(row["aliases"]), *json.loads(row["descriptors"])]:
            words = form.lower().split()
            assert not set(words) & SAYING_VERBS, form
            assert "<" not in form and ">" not in form, form
            assert not form.startswith(("’s", "'s")), form
