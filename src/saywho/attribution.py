"""Attribution (placeholder while the rules land): every marked span becomes a direct quote."""

from __future__ import annotations

from dataclasses import dataclass

from .ingest import Document
from .model import Span
from .quotes import Marked


@dataclass
class Draft:
    start: int
    end: int
    type: str
    cue: Span | None = None
    speaker: Span | None = None
    parent: int | None = None
    pullquote: bool = False
    continuation: bool = False


def attribute(document: Document, paragraphs, marked: list[Marked]) -> list[Draft]:
    return [Draft(m.start, m.end, "direct", parent=m.parent) for m in marked]
