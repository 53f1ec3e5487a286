"""``saywho serve``: the web page and JSON API (needs the ``web`` extra)."""

from __future__ import annotations

import ipaddress
import sqlite3
from pathlib import Path
from typing import Annotated

import typer

from .fail import fail, require

DbOption = Annotated[
    Path | None,
    typer.Option("--db", dir_okay=False, help="Corpus database built by `saywho run`; enables quote search."),
]
HostOption = Annotated[
    str, typer.Option(help="Address to bind; the default is reachable from this machine only.")
]
PortOption = Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")]
MaxBytesOption = Annotated[
    int, typer.Option("--max-bytes", min=1, help="Largest request body accepted, in bytes.")
]
TimeoutOption = Annotated[
    float, typer.Option("--timeout", min=0.1, help="Seconds one extraction may take (then 504).")
]



def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        db: DbOption = None,
        host: HostOption = "127.0.0.1",
        port: PortOption = 8000,
        max_bytes: MaxBytesOption = 2_000_000,
        timeout: TimeoutOption = 30.0,
    ) -> None:
        """Serve the saywho page and JSON API: paste an article, see who said what."""
        require("`saywho serve`", "fastapi", "uvicorn", "python_multipart", "pydantic")
        import uvicorn

        from ..corpus.store import StoreError
        from ..web.app import create_app
        from ..web.server import uvicorn_options
        try:
            web_app = create_app(str(db) if db else None, max_bytes=max_bytes, timeout_s=timeout)
        except (FileNotFoundError, StoreError, sqlite3.DatabaseError) as exc:
            fail(f"{db}: {exc}")
        if not is_loopback(host):
            typer.echo(
                f"saywho: warning: listening on {host}: anyone who can reach this address can use the "
                "server, which has no authentication", err=True,
            )
        web_app.state.extraction.warm()  # load the model while the server starts
        shown = f"[{host}]" if ":" in host else host
        typer.echo(f"saywho: serving on http://{shown}:{port}/ (Ctrl+C to stop)", err=True)
        uvicorn.run(web_app, host=host, port=port, log_level="info", server_header=False,
                    **uvicorn_options())
