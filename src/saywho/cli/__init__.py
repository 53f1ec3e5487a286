"""The command line: a thin layer over the library API, one module per group of commands.

``saywho = "saywho.cli:main"`` is the entry point. Each module's ``register`` adds its commands;
the order here is the order ``saywho --help`` lists them in. Heavy imports (spaCy, trafilatura,
pyarrow, PySpark, the web stack) stay inside the commands, so ``saywho --help`` starts fast:
``tests/test_cli_packaging.py`` checks that importing this package loads none of them.
"""

from __future__ import annotations

import os
import sys

import typer

from .. import __version__
from . import corpus, curate, extract, spark, web
from . import eval as evaluation  # not bound as `eval`, the builtin
from .fail import MISSING_EXTRA, missing_extra

app = typer.Typer(help="saywho: who said what in news articles.", no_args_is_help=True, add_completion=False)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"saywho {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """saywho: who said what in news articles."""


for _module in (extract, spark, evaluation, web, corpus, curate):
    _module.register(app)


def _quiet_stdout() -> None:
    # The reader went away (`saywho export - | head`): point stdout at /dev/null so the flush
    # at interpreter exit has nowhere to fail, the recipe of Python's signal docs.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main() -> None:
    """The entry point: the Typer app, plus the two endings a user must never see as a
    traceback: a closed pipe, and an optional dependency that is not installed."""
    code: int | str | None = 0
    try:
        app()
    except SystemExit as exc:
        code = exc.code
    except BrokenPipeError:
        code = 1
    except ImportError as exc:
        message = missing_extra(exc)
        if message is None:
            raise
        typer.echo(f"saywho: {message}", err=True)
        code = MISSING_EXTRA
    try:
        sys.stdout.flush()  # what a closed pipe would refuse, while we can still catch it
    except BrokenPipeError:
        _quiet_stdout()
        code = code or 1
    sys.exit(code)
