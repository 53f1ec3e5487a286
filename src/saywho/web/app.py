"""The FastAPI app behind ``saywho serve``: one page, a JSON API, and search over a corpus database.

Safety rules this module keeps: request bodies are capped before any handler sees them (declared
and actual size), extraction runs in a worker thread under a time limit, nothing in a request is
ever used as a file-system path, and every response carries a Content-Security-Policy that only
allows this server's own script and styles, so article text can never run as code in the page.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import re
import sqlite3
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import UploadFile

from .. import __version__
from ..errors import InputError, ModelError
from ..pipeline import Extractor
from ..store import Store, StoreError

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
INPUT_FORMATS = ("auto", "text", "html")
# The store wraps search matches in these inside "snippet"; control characters never occur in
# quote text, so they can be taken out again without ambiguity (see _unmark).
SNIPPET_MARK = ("\u0002", "\u0003")
NO_CORPUS = (
    "no corpus database is loaded: start the server with `saywho serve --db corpus.db` to search quotes"
)

# Only this server's own files may load; inline script (and so any markup smuggled into the page) is inert.
SECURITY_HEADERS = [
    (b"content-security-policy", (
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
ExtractFn = Callable[[str | bytes, str], Any]


async def _send_json(send: Send, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuse bodies over ``max_bytes`` with 413: by Content-Length first, then by counting what
    actually arrives (chunked uploads and lying headers), so handlers only ever see capped bodies."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self) -> dict[str, str]:
        return {"detail": f"request body is larger than the limit of {self.max_bytes:,} bytes"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                await _send_json(send, 400, {"detail": "invalid Content-Length header"})
                return
            if length > self.max_bytes:
                await _send_json(send, 413, self._too_large())
                return
        # Buffer the (capped) body once; the app then reads it from memory.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await _send_json(send, 413, self._too_large())
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class SecurityHeaders:
    """Add SECURITY_HEADERS to every HTTP response, including the 413s sent by BodyLimit."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Extraction:
    """One Extractor per app, loaded on first use, driven by a single worker thread.

    One thread because a spaCy pipeline is not documented as safe to call concurrently and the
    GIL leaves little to gain; requests queue for it, and the time limit covers the wait too.
    A timed-out extraction cannot be killed: it finishes in the background and its result is dropped.
    """

    def __init__(self, timeout_s: float, extract: ExtractFn | None = None) -> None:
        self.timeout_s = timeout_s
        self._extract = extract
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="saywho-extract")

    def _extractor(self) -> ExtractFn:
        if self._extract is None:
            with self._lock:
                if self._extract is None:
                    self._extract = Extractor()
        return self._extract

    def warm(self) -> None:
        """Start loading the model in the worker now, so the first request does not wait for it."""
        self._pool.submit(self._extractor)

    def _run(self, source: str | bytes, input_format: str) -> dict[str, Any]:
        return self._extractor()(source, input_format).to_dict()

    async def __call__(self, source: str | bytes, input_format: str) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        job = loop.run_in_executor(self._pool, self._run, source, input_format)
        try:
            return await asyncio.wait_for(job, self.timeout_s)
        except asyncio.TimeoutError:
            raise HTTPException(
                504, f"extraction took longer than {self.timeout_s:g} s; try a shorter article"
            ) from None
        except RecursionError:
            raise InputError("input is nested too deeply to read") from None
        except (InputError, ModelError):
            raise
        except Exception as exc:
            # A bug in extraction must still answer in JSON, and say which article broke it.
            log.exception("extraction failed")
            raise HTTPException(500, f"extraction failed: {type(exc).__name__}") from None


class Corpus:
    """The optional corpus database. ``Store`` gives each thread its own SQLite connection, so
    one instance serves every request."""

    def __init__(self, path: str | None) -> None:
        self.store: Store | None = None
        if path is not None:
            if not Path(path).is_file():
                raise FileNotFoundError(f"no corpus database at {path}: build one with `saywho run`")
            # create=False: a wrong file is refused (StoreError), never turned into an empty corpus.
            self.store = Store(path, create=False)

    def __call__(self) -> Store:
        if self.store is None:
            raise HTTPException(404, NO_CORPUS)
        return self.store


def _unmark(row: dict[str, Any]) -> dict[str, Any]:
    """Replace the store's in-band match marks by a plain ``snippet`` and a ``matches`` list of
    the words that matched, which a client can highlight without parsing any markup."""
    snippet = row.get("snippet") or ""
    open_mark, close_mark = SNIPPET_MARK
    matches: list[str] = []
    for piece in snippet.split(open_mark)[1:]:
        word = piece.split(close_mark, 1)[0]
        if word and word not in matches:
            matches.append(word)
    row["snippet"] = snippet.replace(open_mark, "").replace(close_mark, "")
    row["matches"] = matches
    return row


def _readable(errors: list[dict[str, Any]]) -> str:
    parts = []
    for err in errors:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid")))
    return "; ".join(parts) or "invalid request"


def _source_from_json(body: bytes) -> tuple[str, str]:
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HTTPException(400, f"malformed JSON body: {exc}") from None
    except RecursionError:
        raise HTTPException(400, "malformed JSON body: nested too deeply") from None
    if not isinstance(payload, dict):
        raise HTTPException(422, 'expected a JSON object: {"text": "...", "input_format": "auto"}')
    unknown = sorted(set(payload) - {"text", "input_format"})
    if unknown:
        # Naming the field matters: a "path" or "url" here is refused, never opened or fetched.
        raise HTTPException(
            422, f"unknown field(s) {', '.join(unknown)}: send the article itself in \"text\""
        )
    text = payload.get("text")
    if not isinstance(text, str):
        raise HTTPException(
            422, '"text" is required and must be a string: the article, as plain text or HTML'
        )
    return text, _input_format(payload.get("input_format", "auto"))


def _input_format(value: Any) -> str:
    if value not in INPUT_FORMATS:
        raise HTTPException(422, f"input_format must be one of {', '.join(INPUT_FORMATS)}, not {value!r}")
    return str(value)


async def _source_from_form(request: Request, max_bytes: int) -> tuple[str | bytes, str]:
    form = await request.form(max_files=1, max_fields=8, max_part_size=max_bytes)
    fmt = _input_format(form.get("input_format") or "auto")
    upload = form.get("file")
    # The upload's file name is never used: only its bytes.
    if isinstance(upload, UploadFile):
        data = await upload.read()
        await upload.close()
        return data, fmt
    text = form.get("text")
    if isinstance(text, str):
        return text, fmt
    raise HTTPException(422, 'upload the article as a form field named "file" (or paste it in "text")')


_EXTRACT_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {
            "type": "object", "required": ["text"], "additionalProperties": False,
            "properties": {
                "text": {"type": "string", "description": "the article, plain text or HTML"},
                "input_format": {"type": "string", "enum": list(INPUT_FORMATS), "default": "auto"},
            },
        }},
        "multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {
                "file": {"type": "string", "format": "binary", "description": "article file, text or HTML"},
                "input_format": {"type": "string", "enum": list(INPUT_FORMATS), "default": "auto"},
            },
        }},
        "text/plain": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
    },
}


def create_app(
    db: str | None = None,
    max_bytes: int = 2_000_000,
    timeout_s: float = 30.0,
    *,
    extractor: ExtractFn | None = None,
) -> FastAPI:
    """The web app. ``db`` is a corpus built by ``saywho run`` (corpus endpoints answer 404
    without one); a missing file raises FileNotFoundError, a file that is not a corpus StoreError.
    ``extractor`` replaces the default ``Extractor()`` (embedding, tests)."""
    app = FastAPI(
        title="saywho",
        version=__version__,
        description="Who said what: quotations, cues and resolved speakers from news articles.",
        docs_url=None,  # the stock docs page loads its script from a CDN; ours is self-contained
        redoc_url=None,
    )
    extraction = Extraction(timeout_s, extractor)
    corpus = Corpus(db)
    app.state.extraction = extraction
    app.state.corpus = corpus

    @app.exception_handler(InputError)
    async def input_error(_: Request, exc: InputError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(StoreError)
    async def store_error(_: Request, exc: StoreError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(ModelError)
    async def model_error(_: Request, exc: ModelError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = json.loads(json.dumps(list(exc.errors()), default=str))
        return JSONResponse({"detail": _readable(errors), "errors": errors}, status_code=422)

    @app.post(
        "/api/extract", openapi_extra={"requestBody": _EXTRACT_BODY}, tags=["extract"],
        summary="Extract quotes and speakers from one article",
        responses={413: {"description": "body too large"}, 422: {"description": "unusable input"},
                   504: {"description": "extraction timed out"}},
    )
    async def api_extract(request: Request) -> JSONResponse:
        """Send the article as JSON `{"text": ..., "input_format": "auto"|"text"|"html"}`, as a
        multipart upload (field `file`), or as a raw `text/plain` / `text/html` body.
        Returns exactly `Article.to_dict()`: text, metadata, quotes, speakers, regions."""
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        source: str | bytes
        if ctype == "multipart/form-data":
            source, fmt = await _source_from_form(request, max_bytes)
        elif ctype in ("", "application/json"):
            source, fmt = _source_from_json(await request.body())
        elif ctype in ("text/plain", "text/html"):
            source, fmt = await request.body(), ("html" if ctype == "text/html" else "text")
        else:
            raise HTTPException(
                415, "send JSON {\"text\": ...}, a multipart upload (field \"file\"), or a text/plain "
                f"or text/html body, not {ctype}",
            )
        return JSONResponse(await extraction(source, fmt))

    @app.get("/api/info", tags=["meta"], summary="Server settings and whether a corpus is loaded")
    def api_info() -> dict[str, Any]:
        return {
            "version": __version__, "corpus": db is not None, "max_bytes": max_bytes, "timeout_s": timeout_s,
        }

    @app.get("/api/stats", tags=["corpus"], summary="Corpus statistics")
    def api_stats() -> dict[str, Any]:
        return dict(corpus().stats())

    @app.get("/api/quotes", tags=["corpus"], summary="Search quotes in the corpus")
    def api_quotes(
        q: str | None = Query(None, description="full-text search in the quote text (FTS5 syntax)"),
        speaker: str | None = Query(None, description="speaker: corpus id, full name, or first or last name"),
        outlet: str | None = Query(None, description="publisher / outlet"),
        since: str | None = Query(None, description="published on or after: YYYY-MM-DD, YYYY-MM or YYYY"),
        until: str | None = Query(None, description="published on or before: YYYY-MM-DD, YYYY-MM or YYYY"),
        limit: int = Query(50, ge=1, le=500),
        offset: int = Query(0, ge=0),
    ) -> dict[str, Any]:
        """`{"quotes": [...], "limit", "offset"}`; each quote has quote_id, quote, type, cue, speaker,
        speaker_id, article_id, headline, outlet, date, url, start, end, snippet, and `matches`:
        the words of `q` that matched. `q` takes SQLite FTS5 syntax (`refugee*`, `"exact phrase"`,
        `visa AND passport`); text that is not valid syntax is searched as plain words."""
        store = corpus()
        try:
            rows = store.search(
                q=q or None, speaker=speaker or None, outlet=outlet or None, since=since or None,
                until=until or None, limit=limit, offset=offset, mark=SNIPPET_MARK,
            )
        except sqlite3.OperationalError as exc:
            # A query the full-text engine cannot parse is the user's to fix, not a server error.
            raise HTTPException(422, f"cannot search for {q!r}: {exc}; try plain words") from None
        return {"quotes": [_unmark(dict(row)) for row in rows], "limit": limit, "offset": offset}

    @app.get("/api/speakers", tags=["corpus"], summary="The most quoted speakers")
    def api_speakers(top: int = Query(50, ge=1, le=1000)) -> dict[str, Any]:
        return {"speakers": list(corpus().speakers(top=top))}

    @app.get("/api/speakers/{speaker_id}", tags=["corpus"], summary="One speaker with all their quotes")
    def api_speaker(speaker_id: str) -> dict[str, Any]:
        found = corpus().speaker(speaker_id)
        if found is None:
            raise HTTPException(404, f"no speaker with id {speaker_id!r} in the corpus")
        return dict(found)

    @app.get("/api/articles/{article_id}", tags=["corpus"], summary="One article: text, quotes, speakers")
    def api_article(article_id: str) -> dict[str, Any]:
        found = corpus().article(article_id)
        if found is None:
            raise HTTPException(404, f"no article with id {article_id!r} in the corpus")
        return dict(found)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(render_docs(app.openapi()))

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # Order: headers outermost, so even a 413 sent before routing carries them.
    app.add_middleware(BodyLimit, max_bytes=max_bytes)
    app.add_middleware(SecurityHeaders)
    return app


def render_docs(spec: dict[str, Any]) -> str:
    """A readable API reference built from the OpenAPI document, with no script and nothing remote."""
    def e(text: str) -> str:
        return html.escape(text)

    def prose(text: str) -> str:
        # `code` in descriptions, as in Markdown; escaped first, so nothing else becomes markup.
        return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))

    out = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><link rel='icon' href='data:,'>",
        f"<title>{e(spec['info']['title'])} API</title>",
        "<link rel='stylesheet' href='/static/style.css'></head>",
        "<body class='docs'><header class='top'><a class='brand' href='/'>say<span>who</span></a>",
        "<nav><a href='/'>Back to the app</a><a href='/openapi.json'>openapi.json</a></nav></header><main>",
        f"<h1>{e(spec['info']['title'])} API <small>{e(spec['info']['version'])}</small></h1>",
        f"<p>{e(spec['info'].get('description', ''))}</p>",
        "<p>Errors come back as JSON <code>{\"detail\": \"...\"}</code> with a 4xx/5xx status.</p>",
    ]
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            out.append(f"<section class='card endpoint'><h2><span class='method'>{e(method.upper())}</span> "
                       f"<code>{e(path)}</code></h2><p><strong>{e(op.get('summary', ''))}</strong></p>")
            if op.get("description"):
                out.append(f"<p>{prose(op['description'])}</p>")
            params = op.get("parameters", [])
            if params:
                out.append("<table><tr><th>parameter</th><th>in</th><th>type</th><th>description</th></tr>")
                for p in params:
                    schema = p.get("schema", {})
                    kind = schema.get("type") or " | ".join(
                        str(s.get("format") or s.get("type")) for s in schema.get("anyOf", []))
                    required = " (required)" if p.get("required") else ""
                    out.append(f"<tr><td><code>{e(p['name'])}</code>{required}"
                               f"</td><td>{e(p['in'])}</td><td>{e(str(kind))}</td>"
                               f"<td>{prose(p.get('description', ''))}</td></tr>")
                out.append("</table>")
            body = op.get("requestBody", {}).get("content", {})
            if body:
                out.append(f"<p>Body: {', '.join('<code>' + e(c) + '</code>' for c in body)}</p>")
            codes = ", ".join(f"<code>{e(code)}</code> {e(r.get('description', ''))}"
                              for code, r in op.get("responses", {}).items())
            out.append(f"<p>Responses: {codes}</p></section>")
    out.append("</main></body></html>")
    return "".join(out)
