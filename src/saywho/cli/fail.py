"""The one way every command stops on bad input: one line on stderr, a non-zero exit."""

from __future__ import annotations

import importlib.util

import typer

# Exit status of a feature whose extra is not installed (as for a usage error: the command
# cannot run as installed).
MISSING_EXTRA = 2

# The top-level module each optional dependency installs, and the extra that brings it.
EXTRA_OF = {
    "pyarrow": "corpus", "warcio": "corpus",
    "fastapi": "web", "uvicorn": "web", "multipart": "web", "python_multipart": "web", "starlette": "web",
    "pydantic": "web",
    "pyspark": "spark", "pandas": "spark", "py4j": "spark",
}


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"saywho: {message}", err=True)
    raise typer.Exit(code=code)


def extra_message(feature: str, module: str, extra: str) -> str:
    return f"{feature} needs the {extra} extra ({module} is not installed): pip install 'saywho[{extra}]'"


def require(feature: str, *modules: str) -> None:
    """Stop with one line naming the extra when a module ``feature`` needs is not installed.
    find_spec looks without importing, so the check costs nothing when the module is there."""
    for module in modules:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):  # a parent package missing, or None in sys.modules
            found = False
        if not found:
            fail(extra_message(feature, module, EXTRA_OF[module]), code=MISSING_EXTRA)


def missing_extra(exc: ImportError) -> str | None:
    """The one-line message for an import error of an optional dependency; None for any other
    (a missing core dependency is a broken install, whose traceback is the useful report)."""
    module = (exc.name or "").split(".")[0]
    extra = EXTRA_OF.get(module)
    return extra_message("this command", module, extra) if extra else None
