"""Speaker resolution (placeholder while the rules land)."""

from __future__ import annotations

from .ingest import Document
from .model import Quote, Speaker


def resolve_speakers(document: Document, paragraphs, drafts) -> tuple[list[Quote], list[Speaker]]:
    quotes = [
        Quote(id=f"q{i}", start=d.start, end=d.end, text=document.text[d.start:d.end], type=d.type)
        for i, d in enumerate(drafts)
    ]
    return quotes, []
