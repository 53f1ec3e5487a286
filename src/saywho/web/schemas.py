"""The response models of the JSON API, for ``/openapi.json`` and the ``/docs`` page.

``/api/extract`` answers the output contract (``saywho.contract.Article``); the corpus endpoints
answer the store's rows, described here. Handlers still return the JSON they built (the
contract's ``to_dict()``, the store's dicts), so declaring a model changes no response byte;
``tests/test_contract.py`` validates real responses against these models, so they cannot drift.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..contract import Article, QuoteKind

__all__ = ["Article", "Audit", "Cluster", "CorpusArticle", "Info", "QuoteSearch", "SpeakerList", "SpeakerWithQuotes",
           "Stats"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Info(_Strict):
    version: str
    corpus: bool
    max_bytes: int
    timeout_s: float


class Stats(_Strict):
    """Row counts per table, and corpus speakers after merging short forms into full names."""

    articles: int
    quotes: int
    speakers: int
    mentions: int
    quote_clusters: int
    errors: int
    corpus_speakers: int
    quotes_speech: int = Field(description="quotes of kind speech (`quotes` counts every kind)")
    quotes_thought: int
    quotes_intent: int
    quotes_stance: int


class QuoteRow(_Strict):
    """One quote occurrence with its article's fields; ``speaker_id`` is the corpus speaker id."""

    id: int
    quote_id: str
    quote: str
    type: str
    kind: QuoteKind
    confidence: float = Field(ge=0.0, le=1.0)
    cue: str | None
    speaker: str | None
    speaker_id: int | None
    speaker_key: str | None = Field(None, description="The corpus speaker's identity key (stable across rebuilds).")
    source_type: str = Field("none", description="person (named), organisation, group, document, unnamed, none.")
    gender: str = Field("unknown", description="The corpus speaker's stated gender: female, male, unknown.")
    speaker_mention: str | None
    article_id: int
    headline: str | None
    outlet: str | None
    date: str | None
    url: str | None
    start: int
    end: int
    cluster_id: int | None
    snippet: str
    score: float | None = Field(None, description="How well the row matches `q`; present only with a text query.")


class QuoteHit(QuoteRow):
    matches: list[str]
    cluster_size: int = Field(ge=1, description="How many times this quote was printed across the corpus.")


class FacetValue(_Strict):
    value: str | None
    count: int = Field(ge=0)


class QuoteSearch(_Strict):
    quotes: list[QuoteHit]
    limit: int
    offset: int
    total: int | None = Field(None, description="Every hit of the search, not only this page (with `facets`).")
    facets: dict[str, list[FacetValue]] | None = Field(
        None, description="Hits per outlet, kind, source type and gender, each counted without its own filter.")


class AuditCell(_Strict):
    """One cell of the audit: quotes of one source type, gender and kind in one group."""

    group: str | int | None
    speaker: str | None = None
    source_type: str
    gender: str
    kind: QuoteKind
    quotes: int
    speakers: int
    trace: dict[str, Any] | None = Field(description="The /api/quotes (Store.search) filters listing its quotes.")


class AuditSummary(_Strict):
    group: str | int | None = None
    speaker: str | None = None
    quotes: int
    speakers: int
    classes: dict[str, int] = Field(description="Quotes per source class: named women, named men, organisations...")


class Audit(_Strict):
    """``saywho.corpus.audit.audit`` as it returns it, plus the facets of the same filters."""

    by: str | None
    filters: dict[str, Any]
    rows: list[AuditCell]
    groups: list[AuditSummary]
    totals: AuditSummary
    total: int
    facets: dict[str, list[FacetValue]]


class Cluster(_Strict):
    """One quote as printed in several articles."""

    id: int
    quotes: list[QuoteRow]


class CorpusSpeaker(_Strict):
    id: int
    key: str
    name: str
    named: bool
    type: str
    gender: str
    gender_articles: list[int]
    aliases: list[str]
    descriptors: list[str]
    quote_count: int
    article_count: int


class SpeakerList(_Strict):
    speakers: list[CorpusSpeaker]


class SpeakerWithQuotes(CorpusSpeaker):
    quotes: list[QuoteRow]


class CorpusArticle(Article):
    """``Article.to_dict()`` of a stored article plus its corpus fields."""

    id: int
    content_hash: str
    source: str | None
    source_id: str | None
    url: str | None
    outlet: str | None
    date: str | None
    headline: str | None
    author: str | None
    processed_at: str
    corpus_speaker_ids: dict[str, int]
    cluster_ids: dict[str, int | None]


# The columns of a CSV download (``?_format=csv``), in the order of the models.
QUOTE_COLUMNS = tuple(name for name in QuoteHit.model_fields if name != "score")
SPEAKER_COLUMNS = tuple(CorpusSpeaker.model_fields)
