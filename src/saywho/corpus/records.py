"""Flat records: one row per quote occurrence, the shape every export and the Spark job share."""

from __future__ import annotations

from typing import Any

from ..model import Article

QUOTE_COLUMNS = (
    "article_id", "quote_id", "quote", "type", "kind", "confidence", "start", "end", "cue", "speaker_id", "speaker",
    "speaker_mention", "speaker_named", "speaker_type", "speaker_gender", "aliases", "descriptors", "nested_in",
    "pullquote", "continuation",
)


def quote_records(article_id: str, article: Article) -> list[dict[str, Any]]:
    """The article's quotes as flat dictionaries with the keys of ``QUOTE_COLUMNS``: every quote
    given, each labelled with its ``kind``; callers narrow with ``Article.selected`` first."""
    rows = []
    for q in article.quotes:
        speaker = article.speaker(q.speaker_id)
        rows.append({
            "article_id": article_id,
            "quote_id": q.id,
            "quote": q.text,
            "type": q.type,
            "kind": q.kind,
            "confidence": float(q.confidence),
            "start": q.start,
            "end": q.end,
            "cue": q.cue.text if q.cue else None,
            "speaker_id": q.speaker_id,
            "speaker": speaker.name if speaker else None,
            "speaker_mention": q.speaker.text if q.speaker else None,
            "speaker_named": speaker.named if speaker else None,
            "speaker_type": speaker.type if speaker else None,
            "speaker_gender": speaker.gender if speaker else None,
            "aliases": list(speaker.aliases) if speaker else [],
            "descriptors": list(speaker.descriptors) if speaker else [],
            "nested_in": q.nested_in,
            "pullquote": q.pullquote,
            "continuation": q.continuation,
        })
    return rows
