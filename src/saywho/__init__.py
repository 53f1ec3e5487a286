"""saywho: who said what in news articles."""

from .errors import InputError, ModelError, SaywhoError
from .model import Article, Mention, Quote, Region, Span, Speaker
from .pipeline import Extractor, extract

__all__ = [
    "Article", "Extractor", "InputError", "Mention", "ModelError", "Quote", "Region",
    "SaywhoError", "Span", "Speaker", "extract",
]
__version__ = "0.1.0"
