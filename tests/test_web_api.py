"""The web app's JSON API (FastAPI TestClient): extraction, limits, errors, corpus endpoints, page safety."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("multipart")

import jsonschema  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

import saywho  # noqa: E402
from saywho import Article, Extractor, InputError  # noqa: E402
from saywho.cli import app as cli_app  # noqa: E402
from saywho.corpus.store import StoreError  # noqa: E402
from saywho.web import create_app  # noqa: E402
from saywho.web.middleware import BodyLimit  # noqa: E402
from saywho.web.pages import STATIC  # noqa: E402
from web_corpus import EXAMPLE, build_corpus, shared_file  # noqa: E402

SCRIPT_ARTICLE = (
    "Bridge to reopen\n\n"
    "The mayor said on Monday: \"We will rebuild the bridge before winter.\" "
    "<script>window.__pwned = 1</script> <img src=x onerror=\"window.__pwned = 2\">\n\n"
    "\"It is a matter of months,\" said Ana Ruiz, the city engineer.\n"
)


@pytest.fixture(scope="module")
def example_text() -> str:
    return shared_file(EXAMPLE).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def client(extractor: Extractor) -> Iterator[TestClient]:
    with TestClient(create_app(extractor=extractor)) as c:
        yield c


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> tuple[Path, list[tuple[int, Article]]]:
    db = tmp_path_factory.mktemp("corpus") / "corpus.db"
    return db, build_corpus(db, extractor)


@pytest.fixture(scope="module")
def corpus_client(corpus: tuple[Path, list], extractor: Extractor) -> Iterator[TestClient]:
    with TestClient(create_app(str(corpus[0]), extractor=extractor)) as c:
        yield c


# ------------------------------------------------------------------ POST /api/extract


def test_extract_json_returns_exactly_the_article_dict(client: TestClient, extractor: Extractor,
                                                       example_text: str) -> None:
    response = client.post("/api/extract", json={"text": example_text, "input_format": "auto"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body == extractor(example_text, "auto").to_dict()
    assert set(body) == {"text", "metadata", "quotes", "speakers", "regions"}
    assert body["quotes"] and body["speakers"]
    # Every span the page will paint really is that slice of the text.
    for q in body["quotes"]:
        assert body["text"][q["start"]:q["end"]] == q["text"]
    for s in body["speakers"]:
        for m in s["mentions"]:
            assert body["text"][m["start"]:m["end"]] == m["text"]
    assert Article.from_dict(body).to_dict() == body
    schema = json.loads((Path(saywho.__file__).parent / "article.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(body, schema)


def test_extract_multipart_upload_matches_pasted_text(client: TestClient, example_text: str) -> None:
    pasted = client.post("/api/extract", json={"text": example_text}).json()
    files = {"file": ("article.txt", example_text.encode("utf-8"), "text/plain")}
    uploaded = client.post("/api/extract", files=files, data={"input_format": "text"})
    assert uploaded.status_code == 200
    body = uploaded.json()
    assert body["text"] == pasted["text"]
    assert body["quotes"] == pasted["quotes"]
    assert body["speakers"] == pasted["speakers"]


def test_extract_raw_html_body(client: TestClient) -> None:
    page = (
        "<html><head><title>Port strike</title><script>var tracking = 1;</script></head><body>"
        "<nav>Home | World</nav><article><h1>Dock workers walk out</h1>"
        "<p>\u201cWe have waited three years for this contract,\u201d said Maria Lopez, a union organiser, "
        "on Tuesday outside the harbour gates.</p>"
        "<p>The port authority said talks would resume next week and that ships were being diverted.</p>"
        "<p>\u201cNobody wants a long strike,\u201d Lopez added.</p></article></body></html>"
    )
    response = client.post("/api/extract", content=page.encode(), headers={"content-type": "text/html"})
    assert response.status_code == 200
    body = response.json()
    assert body["metadata"]["input_format"] == "html"
    assert "var tracking" not in body["text"]
    assert any("waited three years" in q["text"] for q in body["quotes"])


def test_script_tags_in_an_article_come_back_as_plain_data(client: TestClient) -> None:
    response = client.post("/api/extract", json={"text": SCRIPT_ARTICLE, "input_format": "text"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert "<script>window.__pwned = 1</script>" in body["text"]
    assert any("rebuild the bridge" in q["text"] for q in body["quotes"])
    # Every response forbids inline script, so the page could not run it even if it tried.
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_input_error_is_422_with_its_message(client: TestClient, extractor: Extractor) -> None:
    for bad in ["   \n  ", "\x00\x01binary\x00"]:
        response = client.post("/api/extract", json={"text": bad})
        assert response.status_code == 422
        with pytest.raises(InputError) as raised:
            extractor(bad)
        assert response.json()["detail"] == str(raised.value)


def test_malformed_and_wrongly_shaped_json(client: TestClient) -> None:
    bad = client.post("/api/extract", content=b'{"text": "unterminated', headers={"content-type": "application/json"})
    assert bad.status_code == 400
    assert bad.json()["detail"].startswith("malformed JSON body")

    for payload, fragment in [
        ([1, 2], "expected a JSON object"),
        ({}, '"text" is required'),
        ({"text": 42}, '"text" is required'),
        ({"text": "x", "input_format": "pdf"}, "input_format must be one of"),
    ]:
        response = client.post("/api/extract", json=payload)
        assert response.status_code == 422, payload
        assert fragment in response.json()["detail"]


def test_no_file_system_paths_are_accepted(client: TestClient) -> None:
    refused = client.post("/api/extract", json={"path": "/etc/passwd"})
    assert refused.status_code == 422
    assert "unknown field(s) path" in refused.json()["detail"]
    # A path given as the text is just text: the file is never opened.
    as_text = client.post("/api/extract", json={"text": "/etc/passwd"})
    assert as_text.status_code == 200
    assert as_text.json()["text"] == "/etc/passwd" and as_text.json()["quotes"] == []
    # An upload's file name is ignored; only its bytes count.
    files = {"file": ("../../etc/passwd", b"\"Hello there,\" she said.", "text/plain")}
    uploaded = client.post("/api/extract", files=files)
    assert uploaded.status_code == 200
    assert uploaded.json()["text"].startswith("\"Hello there,\"")


def test_deeply_nested_json_is_a_clear_400(client: TestClient) -> None:
    response = client.post("/api/extract", content=b"[" * 200_000, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("malformed JSON body")


def test_a_bug_in_extraction_is_a_json_500_not_a_crash() -> None:
    def broken(source: str | bytes, input_format: str) -> Article:
        raise KeyError("oops")

    with TestClient(create_app(extractor=broken), raise_server_exceptions=False) as c:
        response = c.post("/api/extract", json={"text": "anything"})
        assert response.status_code == 500
        assert response.json() == {"detail": "extraction failed: KeyError"}
        # The server keeps serving.
        assert c.get("/api/info").status_code == 200


def test_unsupported_content_type_is_415(client: TestClient) -> None:
    response = client.post("/api/extract", content=b"%PDF-1.4", headers={"content-type": "application/pdf"})
    assert response.status_code == 415
    assert "multipart upload" in response.json()["detail"]


def test_multipart_without_a_file_is_422(client: TestClient) -> None:
    response = client.post("/api/extract", files={"other": ("a.txt", b"text", "text/plain")})
    assert response.status_code == 422
    assert 'field named "file"' in response.json()["detail"]


# ------------------------------------------------------------------ limits


def test_declared_size_over_the_cap_is_413() -> None:
    with TestClient(create_app(max_bytes=1_000, extractor=_never_called)) as c:
        response = c.post("/api/extract", json={"text": "x" * 2_000})
    assert response.status_code == 413
    assert response.json()["detail"] == "request body is larger than the limit of 1,000 bytes"
    assert "content-security-policy" in response.headers


def test_chunked_body_over_the_cap_is_413() -> None:
    chunks = iter([b'{"text": "', b"y" * 800, b"z" * 800, b'"}'])  # no Content-Length: chunked
    with TestClient(create_app(max_bytes=1_000, extractor=_never_called)) as c:
        response = c.post("/api/extract", content=chunks, headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_a_body_larger_than_its_content_length_is_still_cut_off() -> None:
    seen: list[bytes] = []

    async def downstream(scope: dict, receive: Any, send: Any) -> None:
        seen.append((await receive())["body"])

    messages = [
        {"type": "http.request", "body": b"a" * 60, "more_body": True},
        {"type": "http.request", "body": b"b" * 60, "more_body": False},
    ]
    sent: list[dict] = []

    async def receive() -> dict:
        return messages.pop(0)

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "headers": [(b"content-length", b"10")]}
    asyncio.run(BodyLimit(downstream, max_bytes=100)(scope, receive, send))
    assert not seen, "the app must not see an over-size body"
    assert sent[0]["status"] == 413


def test_within_the_cap_the_body_reaches_the_app(extractor: Extractor) -> None:
    with TestClient(create_app(max_bytes=10_000, extractor=extractor)) as c:
        response = c.post("/api/extract", json={"text": SCRIPT_ARTICLE})
    assert response.status_code == 200


def _never_called(source: str | bytes, input_format: str) -> Article:
    raise AssertionError("the extractor must not run for a refused request")


def test_slow_extraction_times_out_with_504() -> None:
    release = threading.Event()

    def slow(source: str | bytes, input_format: str) -> Article:
        release.wait(10)
        return Article(str(source))

    try:
        with TestClient(create_app(timeout_s=0.2, extractor=slow)) as c:
            response = c.post("/api/extract", json={"text": "anything"})
        assert response.status_code == 504
        assert "longer than 0.2 s" in response.json()["detail"]
    finally:
        release.set()


def test_extraction_worker_is_started_once_and_lazily() -> None:
    """The default app extracts in a worker process (issue 16): none at start, then one process
    that loads the model once and serves every request."""
    app = create_app(workers=1)
    extraction = app.state.extraction
    with TestClient(app) as c:
        assert extraction._all == []
        for _ in range(3):
            assert c.post("/api/extract", json={"text": SCRIPT_ARTICLE}).status_code == 200
        assert len(extraction._all) == 1 and extraction._all[0].process.is_alive()
    assert extraction._all == []  # stopped with the app


# ------------------------------------------------------------------ corpus endpoints


@pytest.mark.parametrize("path", ["/api/quotes?q=bridge", "/api/speakers", "/api/speakers/1",
                                  "/api/articles/1", "/api/stats"])
def test_corpus_endpoints_without_a_database_are_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "saywho serve --db" in response.json()["detail"]


def test_info_says_whether_a_corpus_is_loaded(client: TestClient, corpus_client: TestClient) -> None:
    assert client.get("/api/info").json()["corpus"] is False
    info = corpus_client.get("/api/info").json()
    assert info["corpus"] is True and info["max_bytes"] == 2_000_000


def test_search_quotes_full_text(corpus_client: TestClient, corpus: tuple[Path, list]) -> None:
    _, stored = corpus
    article_id, article = stored[1]
    # Search shows speech unless asked, as readers count quotes.
    quote = max((q for q in article.quotes if q.kind == "speech"), key=lambda q: len(q.text))
    word = max(re.findall(r"[A-Za-z]+", quote.text), key=len)
    response = corpus_client.get("/api/quotes", params={"q": word, "limit": 50})
    assert response.status_code == 200
    rows = response.json()["quotes"]
    assert rows, word
    hit = next(r for r in rows if r["article_id"] == article_id and r["quote_id"] == quote.id)
    assert hit["quote"] == quote.text
    assert any(m.casefold() == word.casefold() for m in hit["matches"])
    assert "\u0002" not in hit["snippet"] and "\u0003" not in hit["snippet"]
    for row in rows:
        assert {"quote_id", "quote", "type", "cue", "speaker", "speaker_id", "article_id", "headline",
                "outlet", "date", "url", "start", "end", "snippet", "matches"} <= set(row)


def test_search_by_speaker_outlet_and_date(corpus_client: TestClient, corpus: tuple[Path, list]) -> None:
    top = corpus_client.get("/api/speakers", params={"top": 5}).json()["speakers"][0]
    by_speaker = corpus_client.get("/api/quotes", params={"speaker": top["name"], "limit": 500}).json()["quotes"]
    assert len(by_speaker) == top["quote_count"]
    assert {r["speaker_id"] for r in by_speaker} == {top["id"]}

    _, stored = corpus
    meta = stored[1][1].metadata
    outlet, day = meta["publisher"], meta["date"][:10]
    rows = corpus_client.get("/api/quotes", params={"outlet": outlet, "since": day, "until": day}).json()["quotes"]
    assert rows and all(r["outlet"] == outlet and r["date"] == day for r in rows)
    none = corpus_client.get("/api/quotes", params={"outlet": outlet, "until": "1990"}).json()["quotes"]
    assert none == []


def test_search_paging_and_validation(corpus_client: TestClient) -> None:
    first = corpus_client.get("/api/quotes", params={"limit": 3}).json()
    second = corpus_client.get("/api/quotes", params={"limit": 3, "offset": 3}).json()
    assert len(first["quotes"]) == 3 and first["limit"] == 3
    assert {r["quote_id"] + str(r["article_id"]) for r in first["quotes"]}.isdisjoint(
        r["quote_id"] + str(r["article_id"]) for r in second["quotes"])
    for params, fragment in [({"limit": 0}, "limit"), ({"limit": "many"}, "limit"),
                             ({"since": "last tuesday"}, "as a date")]:
        response = corpus_client.get("/api/quotes", params=params)
        assert response.status_code == 422, params
        assert fragment in response.json()["detail"]
    # Text the full-text engine cannot parse is searched as its plain words (each word a quoted
    # phrase): the same results as asking for those words, never an error.
    for q, as_words in [('IS "fighters', '"IS" "fighters"'), ("fighters AND", '"fighters" "AND"')]:
        response = corpus_client.get("/api/quotes", params={"q": q})
        assert response.status_code == 200, q
        assert response.json()["quotes"], q
        assert response.json() == corpus_client.get("/api/quotes", params={"q": as_words}).json(), q
    for q in ["(((", "*"]:  # no words at all: nothing matches
        response = corpus_client.get("/api/quotes", params={"q": q})
        assert response.status_code == 200, q
        body = response.json()
        assert (body["quotes"], body["limit"], body["offset"], body["total"]) == ([], 50, 0, 0), q
        assert all(v["count"] == 0 for values in body["facets"].values() for v in values), q


def test_speakers_and_speaker_page(corpus_client: TestClient) -> None:
    speakers = corpus_client.get("/api/speakers").json()["speakers"]
    counts = [s["quote_count"] for s in speakers]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0
    top = speakers[0]
    page = corpus_client.get(f"/api/speakers/{top['id']}")
    assert page.status_code == 200
    body = page.json()
    assert body["name"] == top["name"]
    assert len(body["quotes"]) == top["quote_count"]
    assert all(q["speaker_id"] == top["id"] for q in body["quotes"])
    for missing in ("999999", "not-an-id"):
        response = corpus_client.get(f"/api/speakers/{missing}")
        assert response.status_code == 404
        assert "no speaker" in response.json()["detail"]


def test_article_page(corpus_client: TestClient, corpus: tuple[Path, list]) -> None:
    article_id, article = corpus[1][0]
    response = corpus_client.get(f"/api/articles/{article_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["text"] == article.text
    assert body["quotes"] == [q.to_dict() for q in article.quotes]
    assert Article.from_dict(body).speakers == article.speakers
    # Every speaker of the article was given a corpus speaker, and that one can be looked up.
    assert set(body["corpus_speaker_ids"]) == {s.id for s in article.speakers}
    for corpus_id in set(body["corpus_speaker_ids"].values()):
        assert corpus_client.get(f"/api/speakers/{corpus_id}").status_code == 200
    assert corpus_client.get("/api/articles/424242").status_code == 404


def test_stats(corpus_client: TestClient, corpus: tuple[Path, list]) -> None:
    stats = corpus_client.get("/api/stats").json()
    assert stats["articles"] == len(corpus[1])
    assert stats["quotes"] == sum(len(a.quotes) for _, a in corpus[1])


def test_missing_or_foreign_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        create_app(str(tmp_path / "nope.db"))
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.commit()
    with pytest.raises(StoreError):
        create_app(str(other))
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code == 1
    assert "no corpus database" in result.output


# ------------------------------------------------------------------ the page and the docs


def test_page_and_static_files_are_served_with_a_strict_policy(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert '<script type="module" src="/static/app.js"' in page.text
    for name in ("app.js", "dom.js", "state.js", "article.js", "corpus.js", "audit.js", "style.css",
                 "vendor/plot.umd.min.js", "vendor/d3.min.js"):
        assert client.get(f"/static/{name}").status_code == 200
    # Percent-encoded, the dots reach the server (a plain "/static/../" is resolved by the client
    # to "/app.py"); web/app.py lies just above static/, and must not be served.
    assert (STATIC.parent / "app.py").is_file()
    assert client.get("/static/%2e%2e/app.py").status_code == 404


def test_static_files_load_nothing_from_the_network_and_never_use_inner_html() -> None:
    ours = [path for path in STATIC.iterdir() if path.is_file()]
    assert {"app.js", "dom.js", "article.js", "corpus.js", "audit.js"} <= {p.name for p in ours}
    for path in ours:
        source = path.read_text(encoding="utf-8")
        assert "://" not in source, f"{path.name} refers to a remote resource"
        if path.suffix == ".js":
            for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
                assert sink not in source, (path.name, sink)
    # The charting library is vendored with its licence (the browser tests check nothing remote loads).
    vendor = {p.name for p in (STATIC / "vendor").iterdir()}
    assert {"plot.umd.min.js", "LICENSE-plot.txt", "d3.min.js", "LICENSE-d3.txt"} <= vendor


def test_api_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/extract", "/api/quotes", "/api/speakers", "/api/speakers/{speaker_id}",
                 "/api/articles/{article_id}"):
        assert path in spec["paths"]
    assert set(spec["paths"]["/api/extract"]["post"]["requestBody"]["content"]) >= {
        "application/json", "multipart/form-data"}
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/api/extract" in docs.text and "/api/speakers/{speaker_id}" in docs.text
    assert "<script" not in docs.text and "://" not in docs.text


def test_openapi_describes_every_response(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    extract_200 = spec["paths"]["/api/extract"]["post"]["responses"]["200"]["content"]["application/json"]
    assert extract_200["schema"] == {"$ref": "#/components/schemas/Article"}
    article = spec["components"]["schemas"]["Article"]
    assert {"text", "metadata", "quotes", "speakers", "regions"} <= set(article["properties"])
    for path, ops in spec["paths"].items():
        if path.startswith("/api/"):
            for op in ops.values():
                assert op["responses"]["200"]["content"]["application/json"]["schema"], path


def test_responses_are_what_their_models_say(corpus_client: TestClient, corpus: tuple[Path, list]) -> None:
    from saywho.web import schemas

    article_id, article = corpus[1][0]
    speaker_id = corpus_client.get("/api/speakers").json()["speakers"][0]["id"]
    for path, model in [
        ("/api/info", schemas.Info), ("/api/stats", schemas.Stats), ("/api/quotes?q=said", schemas.QuoteSearch),
        ("/api/speakers", schemas.SpeakerList), (f"/api/speakers/{speaker_id}", schemas.SpeakerWithQuotes),
        (f"/api/articles/{article_id}", schemas.CorpusArticle),
    ]:
        body = corpus_client.get(path).json()
        assert model.model_validate(body).model_dump(mode="json", exclude_unset=True) == body, path
    extracted = corpus_client.post("/api/extract", json={"text": article.text})
    # the body is still to_dict(), byte for byte: the response model only documents it
    assert extracted.content == json.dumps(
        saywho.extract(article.text).to_dict(), ensure_ascii=False, separators=(",", ":")).encode()
