"""The JSON API under ``/api``: extraction of one article, and search over the corpus database.

Handlers stay thin: reading the request body is ``article_input``, running the model is
``Extraction``, the queries are the store's; errors are raised and become JSON in ``middleware``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from .. import __version__
from ..model import QUOTE_KINDS, READER_KINDS, parse_kinds
from .article_input import EXTRACT_BODY, read_article
from .corpus_db import (
    AUDIT_BY,
    GENDERS,
    SORTS,
    SOURCE_TYPES,
    Corpus,
    audit,
    cluster_sizes,
    csv_columns,
    search_facets,
)
from .downloads import FORMAT_QUERY, csv_response, json_response
from .extraction import Extraction
from .schemas import (
    QUOTE_COLUMNS,
    SPEAKER_COLUMNS,
    Article,
    Audit,
    Cluster,
    CorpusArticle,
    Info,
    QuoteSearch,
    SpeakerList,
    SpeakerWithQuotes,
    Stats,
)

# A download is every matching row, read from the store this many at a time.
DOWNLOAD_CHUNK = 500
# The store wraps search matches in these inside "snippet"; control characters never occur in
# quote text, so they can be taken out again without ambiguity (see _unmark).
SNIPPET_MARK = ("\u0002", "\u0003")


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


KIND_HELP = (f"kinds of quote, comma-separated ({', '.join(QUOTE_KINDS)}), or `all`; default speech, "
             "what readers count as a quote")
CONFIDENCE_HELP = "leave out quotes less likely than this to be right (0 to 1)"
TYPE_HELP = f"source type of the corpus speaker, as `saywho audit` counts it: {', '.join(SOURCE_TYPES)}"
GENDER_HELP = f"stated gender of the corpus speaker: {', '.join(GENDERS)}"


def _kinds(kind: str | None) -> tuple[str, ...] | None:
    """The ``kind`` parameter as the store takes it: the CLI's ``--kind`` syntax, 422 otherwise."""
    try:
        return parse_kinds(kind, READER_KINDS)
    except ValueError as exc:
        raise HTTPException(422, f"kind: {exc}") from None


def _every_row(page: Callable[[int, int], list[dict[str, Any]]]) -> Iterator[dict[str, Any]]:
    """Every row a paged query returns, read ``DOWNLOAD_CHUNK`` at a time."""
    at = 0
    while True:
        rows = page(at, DOWNLOAD_CHUNK)
        yield from rows
        if len(rows) < DOWNLOAD_CHUNK:
            return
        at += len(rows)


def api_router(extraction: Extraction, corpus: Corpus, max_bytes: int) -> APIRouter:
    """Every ``/api`` endpoint, bound to this app's extraction worker and corpus. The order of
    the endpoints is the order of ``/openapi.json`` and of the ``/docs`` page."""
    # Each endpoint declares its response_model for the OpenAPI description and returns the JSON
    # it built as a JSONResponse, which FastAPI sends as it is: the bodies stay exactly
    # Article.to_dict() and the store's rows (a model would reorder keys and add defaults).
    router = APIRouter()

    @router.post(
        "/api/extract", openapi_extra={"requestBody": EXTRACT_BODY}, tags=["extract"],
        summary="Extract quotes and speakers from one article", response_model=Article,
        responses={413: {"description": "body too large"}, 422: {"description": "unusable input"},
                   504: {"description": "extraction timed out"}},
    )
    async def api_extract(request: Request) -> JSONResponse:
        """Send the article as JSON `{"text": ..., "input_format": "auto"|"text"|"html"}`, as a
        multipart upload (field `file`), or as a raw `text/plain` / `text/html` body.
        Returns exactly `Article.to_dict()`: text, metadata, quotes, speakers, regions."""
        source, fmt = await read_article(request, max_bytes)
        return JSONResponse(await extraction(source, fmt))

    @router.get("/api/info", tags=["meta"], summary="Server settings and whether a corpus is loaded",
                response_model=Info)
    def api_info() -> JSONResponse:
        return JSONResponse({
            "version": __version__, "corpus": corpus.store is not None, "max_bytes": max_bytes,
            "timeout_s": extraction.timeout_s,
        })

    @router.get("/api/stats", tags=["corpus"], summary="Corpus statistics", response_model=Stats)
    def api_stats() -> JSONResponse:
        return JSONResponse(dict(corpus().stats()))

    @router.get("/api/quotes", tags=["corpus"], summary="Search quotes in the corpus", response_model=QuoteSearch)
    def api_quotes(
        q: str | None = Query(None, description="full-text search in the quote text (FTS5 syntax)"),
        speaker: str | None = Query(None, description="speaker: corpus id, full name, or first or last name"),
        outlet: str | None = Query(None, description="publisher / outlet"),
        since: str | None = Query(None, description="published on or after: YYYY-MM-DD, YYYY-MM or YYYY"),
        until: str | None = Query(None, description="published on or before: YYYY-MM-DD, YYYY-MM or YYYY"),
        limit: int = Query(50, ge=1, le=500),
        offset: int = Query(0, ge=0),
        kind: str = Query("speech", description=KIND_HELP),
        min_confidence: float = Query(0.0, ge=0.0, le=1.0, description=CONFIDENCE_HELP),
        sort: str = Query("relevance", pattern=f"^({'|'.join(SORTS)})$",
                          description="`relevance` (with `q`; else newest first), `newest` or `oldest` "
                                      "by article date"),
        facets: bool = Query(True, description="count every hit (`total`) and the hits per outlet, kind, "
                                               "source type and gender (`facets`)"),
        source_type: str | None = Query(None, alias="type", pattern=f"^({'|'.join(SOURCE_TYPES)})$",
                                        description=TYPE_HELP),
        gender: str | None = Query(None, pattern=f"^({'|'.join(GENDERS)})$", description=GENDER_HELP),
        fmt: str | None = FORMAT_QUERY,
    ) -> Any:
        """`{"quotes": [...], "limit", "offset", "total", "facets"}`; each quote has quote_id, quote, type, kind,
        confidence, cue, speaker, speaker_id, article_id, headline, outlet, date, url, start, end, cluster_id,
        `cluster_size` (how many times that quote was printed across the corpus), snippet, and `matches`:
        the words of `q` that matched. `q` takes SQLite FTS5 syntax (`refugee*`, `"exact phrase"`,
        `visa AND passport`); text that is not valid syntax is searched as plain words. `facets`
        counts each facet with every filter but its own. With `_format=csv` or `json` the answer is a
        file of every matching quote (`limit` and `offset` are ignored)."""
        store = corpus()
        filters = {"q": q or None, "speaker": speaker or None, "outlet": outlet or None,
                   "since": since or None, "until": until or None, "kinds": _kinds(kind),
                   "min_confidence": min_confidence, "source_type": source_type, "gender": gender}

        def page(at: int, size: int) -> list[dict[str, Any]]:
            try:
                rows = [_unmark(dict(row)) for row in store.search(**filters, limit=size, offset=at,
                                                                   mark=SNIPPET_MARK, sort=sort)]
            except sqlite3.OperationalError as exc:
                # Kept as it was: the store already retries text FTS5 cannot parse as plain words, so
                # what lands here is the database failing (locked, damaged), answered as 422 too.
                raise HTTPException(422, f"cannot search for {q!r}: {exc}; try plain words") from None
            sizes = cluster_sizes(store.conn, (r["cluster_id"] for r in rows))
            for r in rows:
                r["cluster_size"] = sizes.get(r["cluster_id"], 1) if r["cluster_id"] is not None else 1
            return rows

        if fmt == "csv":
            return csv_response(_every_row(page), QUOTE_COLUMNS, "quotes")
        body: dict[str, Any] = {}
        if fmt == "json":
            rows = list(_every_row(page))
            body = {"quotes": rows, "limit": len(rows), "offset": 0}
        else:
            body = {"quotes": page(offset, limit), "limit": limit, "offset": offset}
        if facets or fmt:
            body.update(search_facets(store.conn, **filters))
        return json_response(body, "quotes") if fmt else JSONResponse(body)

    @router.get("/api/audit", tags=["corpus"], summary="Whose voices: the source audit", response_model=Audit)
    def api_audit(
        by: str | None = Query(None, pattern=f"^({'|'.join(AUDIT_BY)})$",
                               description="one group per outlet, month, year or speaker (as `saywho audit --by`)"),
        kind: str = Query("speech", description=KIND_HELP),
        min_confidence: float = Query(0.0, ge=0.0, le=1.0, description=CONFIDENCE_HELP),
        since: str | None = Query(None, description="published on or after: YYYY-MM-DD, YYYY-MM or YYYY"),
        until: str | None = Query(None, description="published on or before: YYYY-MM-DD, YYYY-MM or YYYY"),
        outlet: str | None = Query(None, description="publisher / outlet"),
        query: str | None = Query(None, description="only quotes matching these words (FTS5, as `q` of /api/quotes)"),
        source_type: str | None = Query(None, alias="type", pattern=f"^({'|'.join(SOURCE_TYPES)})$",
                                        description=TYPE_HELP),
        gender: str | None = Query(None, pattern=f"^({'|'.join(GENDERS)})$", description=GENDER_HELP),
        fmt: str | None = FORMAT_QUERY,
    ) -> Any:
        """`saywho audit` as JSON: `{"by", "filters", "rows", "groups", "totals", "facets"}`, the numbers of
        `saywho.corpus.audit.audit` unchanged (each row's `trace` lists its quotes through /api/quotes), plus
        the hits per outlet, kind, source type and gender under the same filters (`facets`, `total`).
        `_format=csv` gives the rows as `saywho audit --format csv` writes them."""
        store = corpus()
        kinds = _kinds(kind)
        result = audit(store, by=by, kinds=kinds, min_confidence=min_confidence, since=since or None,
                       until=until or None, outlet=outlet or None, query=query or None,
                       source_type=source_type, gender=gender)
        if fmt == "csv":
            return csv_response(result["rows"], csv_columns(by), f"audit-{by or 'all'}")
        result.update(search_facets(store.conn, q=query or None, outlet=outlet or None, since=since or None,
                                    until=until or None, kinds=kinds, min_confidence=min_confidence,
                                    source_type=source_type, gender=gender))
        return json_response(result, f"audit-{by or 'all'}") if fmt else JSONResponse(result)

    @router.get("/api/clusters/{cluster_id}", tags=["corpus"], response_model=Cluster,
                summary="One quote as printed in every article of the corpus")
    def api_cluster(cluster_id: int) -> JSONResponse:
        """`{"id", "quotes": [...]}`: every occurrence of one quote cluster (`cluster_id` of a search
        hit), oldest article first, whatever its kind."""
        rows = corpus().cluster(cluster_id)
        if not rows:
            raise HTTPException(404, f"no quote cluster with id {cluster_id}")
        return JSONResponse({"id": cluster_id, "quotes": rows})

    @router.get("/api/speakers", tags=["corpus"], summary="The most quoted speakers", response_model=SpeakerList)
    def api_speakers(
        top: int = Query(50, ge=1, le=1000),
        kind: str = Query("speech", description=KIND_HELP),
        min_confidence: float = Query(0.0, ge=0.0, le=1.0, description=CONFIDENCE_HELP),
        fmt: str | None = FORMAT_QUERY,
    ) -> Any:
        """Ranked by their quotes of `kind` (speech unless asked); speakers with none are left out."""
        store = corpus()
        rows = list(store.speakers(top=top, kinds=_kinds(kind), min_confidence=min_confidence))
        if fmt == "csv":
            return csv_response(rows, SPEAKER_COLUMNS, "speakers")
        return json_response({"speakers": rows}, "speakers") if fmt else JSONResponse({"speakers": rows})

    @router.get("/api/speakers/{speaker_id}", tags=["corpus"], summary="One speaker with all their quotes",
                response_model=SpeakerWithQuotes)
    def api_speaker(
        speaker_id: str,
        kind: str = Query("speech", description=KIND_HELP),
        min_confidence: float = Query(0.0, ge=0.0, le=1.0, description=CONFIDENCE_HELP),
        fmt: str | None = FORMAT_QUERY,
    ) -> Any:
        """With `_format=csv`, one row per quote; `json`, this body as a file."""
        store = corpus()
        found = store.speaker(speaker_id, kinds=_kinds(kind), min_confidence=min_confidence)
        if found is None:
            raise HTTPException(404, f"no speaker with id {speaker_id!r} in the corpus")
        if fmt == "csv":
            return csv_response(found["quotes"], QUOTE_COLUMNS, f"speaker-{found['id']}")
        return json_response(dict(found), f"speaker-{found['id']}") if fmt else JSONResponse(dict(found))

    @router.get("/api/articles/{article_id}", tags=["corpus"], summary="One article: text, quotes, speakers",
                response_model=CorpusArticle)
    def api_article(article_id: str) -> JSONResponse:
        found = corpus().article(article_id)
        if found is None:
            raise HTTPException(404, f"no article with id {article_id!r} in the corpus")
        return JSONResponse(dict(found))

    return router
