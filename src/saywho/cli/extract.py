"""`saywho extract`: one article in, who said what out."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from .. import render
from ..errors import SaywhoError
from .fail import fail

MAX_INPUT_BYTES = 50_000_000


class OutputFormat(str, Enum):
    json = "json"
    text = "text"
    html = "html"


class InputFormatOption(str, Enum):
    auto = "auto"
    text = "text"
    html = "html"



def read_source(path: str) -> bytes:
    """The raw bytes of a file, or of stdin for '-'; one clear line when that is impossible."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            p = Path(path)
            if p.is_dir():
                fail(f"{path}: is a directory; `saywho run` reads directories of articles")
            if not p.is_file():
                fail(f"{path}: no such file")
            if p.stat().st_size > MAX_INPUT_BYTES:
                fail(f"{path}: {p.stat().st_size:,} bytes is too large for one article "
                     f"(limit {MAX_INPUT_BYTES:,}); use `saywho run` for archives")
            data = p.read_bytes()
    except OSError as exc:
        fail(f"{path}: {exc.strerror or exc}")
    if len(data) > MAX_INPUT_BYTES:
        fail(f"input is larger than {MAX_INPUT_BYTES:,} bytes; split it into articles")
    return data


def parse_kinds(option: str | None, default: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """``--kind speech,thought`` as a tuple; ``all`` as None (every kind); a kind that is none ends the command."""
    from ..model import parse_kinds as parse

    try:
        return parse(option, default)
    except ValueError as exc:
        fail(f"--kind: {exc}")


def register(app: typer.Typer) -> None:
    @app.command()
    def extract(
        path: str = typer.Argument(..., help="Article file (.txt or .html), or - for stdin."),
        format: OutputFormat = typer.Option(OutputFormat.json, "--format", "-f", help="Output format."),
        input_format: InputFormatOption = typer.Option(
            InputFormatOption.auto, "--input-format", help="Force text or HTML reading."
        ),
        model: str = typer.Option(None, "--model", envvar="SAYWHO_MODEL", help="spaCy model name."),
        kind: str = typer.Option(
            None, "--kind", help="Kinds to show, comma-separated (speech,thought,intent,stance, or all); "
            "default: speech for text and html, all (labelled) for json.",
        ),
        min_confidence: float = typer.Option(0.0, "--min-confidence", min=0.0, max=1.0,
                                             help="Leave out quotes less likely than this to be right."),
    ) -> None:
        """Find every quotation in one article and who said it."""
        from ..pipeline import Extractor

        kinds = parse_kinds(kind, default=None if format == OutputFormat.json else ("speech",))

        data = read_source(path)
        try:
            article = Extractor(model)(data, input_format.value)
        except SaywhoError as exc:
            fail(f"{path}: {exc}")
        for warning in article.metadata.get("warnings", []):
            typer.echo(f"saywho: {path}: {warning}", err=True)
        if kinds is not None or min_confidence > 0:
            article = article.selected(kinds, min_confidence)
        output = {
            OutputFormat.json: render.to_json,
            OutputFormat.text: render.to_text,
            OutputFormat.html: render.to_html,
        }[format](article)
        sys.stdout.write(output if output.endswith("\n") else output + "\n")
