"""Issue 16, the web side: errors before the app as JSON, request timeouts, out-of-range ids, and
extraction in worker processes that a hostile article cannot stall. Sockets on 127.0.0.1 only."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

import uvicorn  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from saywho import Extractor  # noqa: E402
from saywho.corpus.store import Store  # noqa: E402
from saywho.web import create_app  # noqa: E402
from saywho.web.server import SaywhoH11Protocol, uvicorn_options  # noqa: E402

GOOD = "Rail strike called off\n\n“We are pleased,” said Mark Dunn, the union’s general secretary.\n"


class QuickHeadTimeout(SaywhoH11Protocol):
    header_timeout_s = 0.5


@pytest.fixture(scope="module")
def server(extractor: Extractor) -> Iterator[int]:
    """A real uvicorn server (the options `saywho serve` uses) on a free loopback port."""
    options = {**uvicorn_options(), "http": QuickHeadTimeout}
    config = uvicorn.Config(create_app(extractor=extractor), host="127.0.0.1", port=0, log_level="warning",
                            **options)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started
    port = srv.servers[0].sockets[0].getsockname()[1]
    yield port
    srv.should_exit = True
    thread.join(10)


def _raw(port: int, data: bytes, timeout: float = 5.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def _json_body(response: bytes) -> Any:
    head, _, body = response.partition(b"\r\n\r\n")
    assert b"content-type: application/json" in head.lower(), head
    return json.loads(body)


def test_bad_content_length_is_a_json_400(server: int) -> None:
    response = _raw(server, b"POST /api/extract HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n")
    assert response.startswith(b"HTTP/1.1 400")
    assert "malformed HTTP request" in _json_body(response)["detail"]


def test_garbage_request_line_is_a_json_400(server: int) -> None:
    response = _raw(server, b"\x16\x03\x01 not http at all\r\n\r\n")
    assert response.startswith(b"HTTP/1.1 400") and _json_body(response)["detail"]


def test_half_sent_headers_are_closed(server: int) -> None:
    """50 clients that send half a request head are all dropped after the head timeout."""
    socks = [socket.create_connection(("127.0.0.1", server), timeout=5) for _ in range(50)]
    try:
        for sock in socks:
            sock.sendall(b"GET /api/info HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        for sock in socks:
            assert sock.recv(1024) == b""  # closed by the server
        assert time.monotonic() - started < 4.5
    finally:
        for sock in socks:
            sock.close()


def test_the_server_still_answers_after_the_slow_clients(server: int) -> None:
    response = _raw(server, b"GET /api/info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert response.startswith(b"HTTP/1.1 200") and "version" in _json_body(response)


@pytest.fixture(scope="module")
def corpus_client(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("failsafe") / "c.db"
    store = Store(db)
    store.add_article(extractor(GOOD), "hash-1", "a.txt", "1")
    store.close()
    with TestClient(create_app(str(db), extractor=extractor)) as c:
        yield c


@pytest.mark.parametrize("path", ["/api/articles/99999999999999999999999", "/api/speakers/99999999999999999999999",
                                  "/api/articles/-99999999999999999999999"])
def test_huge_ids_are_404(corpus_client: TestClient, path: str) -> None:
    response = corpus_client.get(path)
    assert response.status_code == 404 and response.json()["detail"]


@pytest.mark.parametrize("query", ["offset=99999999999999999999999", "limit=1&offset=9223372036854775807",
                                   "speaker=99999999999999999999999", "speaker=²"])
def test_huge_offsets_and_speaker_ids_answer_json(corpus_client: TestClient, query: str) -> None:
    response = corpus_client.get(f"/api/quotes?{query}")
    assert response.status_code in (200, 422), response.text
    assert response.headers["content-type"].startswith("application/json")


def test_store_search_with_huge_numbers(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    assert store.search(limit=10**30, offset=10**30) == []
    assert store.article(10**30) is None and store.speaker(str(10**30)) is None
    store.close()


def test_process_workers_time_out_and_recover() -> None:
    """The default app extracts in worker processes: past the time limit the worker is killed
    (504), its replacement serves the next request, and the event loop answers meanwhile."""
    app = create_app(timeout_s=0.01, workers=1)
    with TestClient(app) as client:
        assert client.post("/api/extract", json={"text": GOOD}).status_code == 504  # model still loading
        app.state.extraction.timeout_s = 60.0
        response = client.post("/api/extract", json={"text": GOOD})
        assert response.status_code == 200, response.text
        assert response.json()["quotes"][0]["text"] == "We are pleased,"
        assert client.post("/api/extract", json={"text": ""}).status_code == 422
        assert client.post("/api/extract", json={"text": GOOD, "input_format": "text"}).status_code == 200
