"""What a browser loads: the page (``/``), its static files (``/static``), and ``/docs``, an API
reference rendered by the server itself, because FastAPI's stock docs load their script from a CDN.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def page_router() -> APIRouter:
    """``/docs`` and ``/``; neither is part of the API, so neither is in ``/openapi.json``."""
    router = APIRouter()

    @router.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        app: FastAPI = request.app
        return HTMLResponse(render_docs(app.openapi()))

    @router.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    return router


def static_files() -> StaticFiles:
    """The page's script and styles; StaticFiles refuses any path that leaves STATIC."""
    return StaticFiles(directory=STATIC)


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
