"""saywho: who said what in news articles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import InputError, ModelError, SaywhoError
from .model import Article, Mention, Quote, Region, Span, Speaker

# The one place the version is written: pyproject.toml reads it (setuptools `attr`), and
# `saywho --version`, the web API and eval reports import it.
__version__ = "0.1.0"

if TYPE_CHECKING:
    from .pipeline import Extractor, extract

__all__ = [
    "Article", "Extractor", "InputError", "Mention", "ModelError", "Quote", "Region",
    "SaywhoError", "Span", "Speaker", "extract",
]

# The pipeline imports spaCy (about half a second); it is loaded on first use of these names so
# that `import saywho.cli` (every `saywho --help`) and the corpus/web modules that only need the
# data model start fast.
_LAZY = {"Extractor", "extract"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'saywho' has no attribute {name!r}")
