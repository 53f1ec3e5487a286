"""The FastAPI app behind ``saywho serve``: one page, a JSON API, and search over a corpus database.

``create_app`` only composes the parts, each in its own module:

- ``middleware``: the body cap, the security headers, errors as JSON;
- ``routes``: the JSON API (``/api/...``), reading bodies with ``article_input``;
- ``pages``: the page, its static files and the ``/docs`` reference;
- ``extraction`` and ``corpus_db``: the model workers (processes, hard time limit) and the corpus database.

Safety rules the parts keep: request bodies are capped before any handler sees them (declared
and actual size), extraction runs in worker processes killed past a time limit, nothing in a request is
ever used as a file-system path, and every response carries a Content-Security-Policy that only
allows this server's own script and styles, so article text can never run as code in the page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from .. import __version__
from .corpus_db import Corpus
from .extraction import ExtractFn, Extraction
from .middleware import add_error_handlers, add_security_middleware
from .pages import page_router, static_files
from .routes import api_router


def create_app(
    db: str | None = None,
    max_bytes: int = 2_000_000,
    timeout_s: float = 30.0,
    *,
    extractor: ExtractFn | None = None,
    workers: int = 2,
) -> FastAPI:
    """The web app. ``db`` is a corpus built by ``saywho run`` (corpus endpoints answer 404
    without one); a missing file raises FileNotFoundError, a file that is not a corpus StoreError.
    ``extractor`` replaces the default ``Extractor()`` (embedding, tests) and runs in a thread;
    without it, ``workers`` processes extract, each killed and replaced past ``timeout_s``."""
    extraction = Extraction(timeout_s, extractor, workers=workers)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        extraction.close()  # the worker processes end with the app, not at interpreter exit

    app = FastAPI(
        title="saywho",
        version=__version__,
        description="Who said what: quotations, cues and resolved speakers from news articles.",
        docs_url=None,  # the stock docs page loads its script from a CDN; ours is self-contained
        redoc_url=None,
        lifespan=lifespan,
    )
    corpus = Corpus(db)
    app.state.extraction = extraction  # `saywho serve` calls .warm() on it at start-up
    app.state.corpus = corpus

    add_error_handlers(app)
    app.include_router(api_router(extraction, corpus, max_bytes))
    app.include_router(page_router())
    app.mount("/static", static_files(), name="static")
    add_security_middleware(app, max_bytes)
    return app
