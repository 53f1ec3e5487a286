"""The dashboard's numbers are the audit's: /api/audit against ``saywho.corpus.audit`` and the
``saywho audit`` command on one small corpus, built with the real extractor from news-style
articles written for this test (two outlets, two months, women, men, an organisation, unnamed
sources, and one quote two outlets both printed)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from saywho import Extractor  # noqa: E402
from saywho.cli import app as cli_app  # noqa: E402
from saywho.corpus.audit import audit  # noqa: E402
from saywho.corpus.store import Store  # noqa: E402
from saywho.web import create_app  # noqa: E402

REPRINTED = "We will not close a single library while I am in office"
ARTICLES: list[tuple[str, str, str]] = [
    ("Harbour Gazette", "2024-03-04", f"""Council keeps libraries open

"{REPRINTED}," said Mayor Ana Ruiz on Monday. She added that the budget was balanced.

"The branches are full every afternoon," said Peter Hale, who chairs the library board. He told
reporters that volunteers would extend the opening hours.

The Library Workers Union said in a statement that it welcomed the decision.
"""),
    ("Harbour Gazette", "2024-04-11", """Ferry fares to rise in May

"Fuel has doubled in price since last year," said Maria Costa, the ferry company's director. She
said the increase would be the first in six years.

A council official, who asked not to be named, said the fares had been agreed in private.

"I take the ferry twice a day and I cannot afford this," said one commuter.
"""),
    ("Coast Chronicle", "2024-03-05", f"""Mayor rules out library closures

"{REPRINTED}," Ruiz said at a meeting on Monday evening.

"It is the right call for the town," said councillor John Briggs. He said the savings would come
from the parking budget instead.
"""),
    ("Coast Chronicle", "2024-04-12", """Port expansion approved

The Harbour Authority said the new quay would open in 2026.

"This is the biggest investment the port has seen in a generation," said Helen Ward, the
authority's chief executive. She said 200 jobs would be created.
"""),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Path:
    path = tmp_path_factory.mktemp("audit") / "corpus.db"
    with Store(path) as store:
        for outlet, date, text in ARTICLES:
            article = extractor(text, "text")
            article.metadata.update({"publisher": outlet, "date": date})
            assert store.add_article(article, hashlib.sha256(text.encode()).hexdigest(), source="test") is not None
        store.consolidate()
    return path


@pytest.fixture(scope="module")
def client(db: Path, extractor: Extractor) -> Iterator[TestClient]:
    with TestClient(create_app(str(db), extractor=extractor)) as c:
        yield c


def library(db: Path, **kwargs: Any) -> dict[str, Any]:
    with Store(db, create=False) as store:
        return audit(store, **kwargs)


def cli(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli_app, ["audit", "--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.output


AUDIT_FIELDS = ("by", "filters", "rows", "groups", "totals")


@pytest.mark.parametrize("by", [None, "outlet", "month", "year", "speaker"])
def test_api_audit_numbers_are_the_library_and_the_cli(client: TestClient, db: Path, by: str | None) -> None:
    params = {"by": by} if by else {}
    body = client.get("/api/audit", params=params).json()
    assert {k: body[k] for k in AUDIT_FIELDS} == library(db, by=by)
    assert {k: body[k] for k in AUDIT_FIELDS} == json.loads(cli(db, *(["--by", by] if by else []), "--format", "json"))
    assert body["totals"]["quotes"] > 0
    # The CSV download is the command's CSV, byte for byte once line endings agree.
    download = client.get("/api/audit", params={**params, "_format": "csv"})
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.text.replace("\r\n", "\n") == cli(db, *(["--by", by] if by else []), "--format", "csv").replace(
        "\r\n", "\n")


def test_the_corpus_has_what_the_dashboard_draws(client: TestClient, db: Path) -> None:
    by_outlet = client.get("/api/audit", params={"by": "outlet"}).json()
    assert [g["group"] for g in by_outlet["groups"]] == ["Coast Chronicle", "Harbour Gazette"]
    months = [g["group"] for g in client.get("/api/audit", params={"by": "month"}).json()["groups"]]
    assert months == ["2024-03", "2024-04"]
    classes = by_outlet["totals"]["classes"]
    assert classes["female person"] > 0 and classes["male person"] > 0
    assert classes["organisation"] + classes["unnamed"] > 0


@pytest.mark.parametrize("filters", [
    {"outlet": "Coast Chronicle"}, {"since": "2024-04", "until": "2024-04"}, {"query": "library"},
    {"kind": "all"}, {"type": "person", "gender": "female"},
])
def test_filters_and_facets_agree_with_the_library(client: TestClient, db: Path, filters: dict[str, str]) -> None:
    body = client.get("/api/audit", params={"by": "outlet", **filters}).json()
    kinds = None if filters.get("kind") == "all" else ("speech",)
    expected = library(db, by="outlet", kinds=kinds, outlet=filters.get("outlet"), since=filters.get("since"),
                       until=filters.get("until"), query=filters.get("query"), source_type=filters.get("type"),
                       gender=filters.get("gender"))
    assert {k: body[k] for k in AUDIT_FIELDS} == expected
    # Every facet sums to the audit's total, and its type and gender counts are the audit's classes.
    assert body["total"] == expected["totals"]["quotes"]
    for name in ("outlet", "type", "gender"):
        if not filters.get(name):  # a facet is counted without its own filter
            assert sum(v["count"] for v in body["facets"][name]) == body["total"], name
    if not filters.get("type") and not filters.get("gender"):
        women = client.get("/api/quotes", params={**_search(filters), "type": "person", "gender": "female"}).json()
        assert women["total"] == expected["totals"]["classes"]["female person"]


def _search(filters: dict[str, str]) -> dict[str, str]:
    """The /api/quotes parameters of an audit filter (the audit's `query` is the search's `q`)."""
    out = {k: v for k, v in filters.items() if k != "query"}
    if "query" in filters:
        out["q"] = filters["query"]
    return out


def test_every_audit_cell_is_listed_by_the_search_its_trace_names(client: TestClient) -> None:
    body = client.get("/api/audit", params={"by": "outlet"}).json()
    for cell in body["rows"]:
        trace = cell["trace"]
        params = {"q": trace["q"], "outlet": trace["outlet"], "since": trace["since"], "until": trace["until"],
                  "kind": ",".join(trace["kinds"]), "type": trace["source_type"], "gender": trace["gender"],
                  "_format": "csv"}
        rows = list(csv.DictReader(io.StringIO(client.get("/api/quotes", params={
            k: v for k, v in params.items() if v}).text)))
        assert len(rows) == cell["quotes"], cell


def test_audit_parameters_are_checked(client: TestClient) -> None:
    for params in [{"by": "week"}, {"type": "robot"}, {"gender": "other"}, {"kind": "gossip"}]:
        response = client.get("/api/audit", params=params)
        assert response.status_code == 422, params
        assert response.json()["detail"]


def test_a_quote_two_outlets_printed_is_one_cluster(client: TestClient) -> None:
    hits = client.get("/api/quotes", params={"q": '"single library"'}).json()["quotes"]
    assert len(hits) == 2 and {h["outlet"] for h in hits} == {"Harbour Gazette", "Coast Chronicle"}
    assert hits[0]["cluster_id"] == hits[1]["cluster_id"] and hits[0]["cluster_size"] == 2
    cluster = client.get(f"/api/clusters/{hits[0]['cluster_id']}").json()
    assert [q["outlet"] for q in cluster["quotes"]] == ["Harbour Gazette", "Coast Chronicle"]  # oldest first
    assert client.get("/api/clusters/999999").status_code == 404


def test_search_sort_total_and_downloads(client: TestClient) -> None:
    newest = client.get("/api/quotes", params={"sort": "newest", "kind": "all"}).json()
    oldest = client.get("/api/quotes", params={"sort": "oldest", "kind": "all"}).json()
    assert [q["date"] for q in newest["quotes"]] == sorted((q["date"] for q in newest["quotes"]), reverse=True)
    assert [q["date"] for q in oldest["quotes"]] == sorted(q["date"] for q in oldest["quotes"])
    assert newest["total"] == len(newest["quotes"]) == oldest["total"]
    paged = client.get("/api/quotes", params={"limit": 2, "kind": "all"}).json()
    assert len(paged["quotes"]) == 2 and paged["total"] == newest["total"]  # the total is every hit
    # A download holds every hit, not the page: the same rows as JSON and as CSV.
    as_json = client.get("/api/quotes", params={"limit": 2, "kind": "all", "_format": "json"})
    assert as_json.headers["content-disposition"] == 'attachment; filename="quotes.json"'
    as_csv = list(csv.DictReader(io.StringIO(client.get("/api/quotes", params={"kind": "all", "_format": "csv"}).text)))
    assert len(as_json.json()["quotes"]) == len(as_csv) == newest["total"]
    assert {r["quote"] for r in as_csv} == {q["quote"] for q in newest["quotes"]}
    assert client.get("/api/quotes", params={"_format": "xml"}).status_code == 422
    speakers = list(csv.DictReader(io.StringIO(client.get("/api/speakers", params={"_format": "csv"}).text)))
    assert speakers and {"name", "type", "gender", "quote_count"} <= set(speakers[0])
