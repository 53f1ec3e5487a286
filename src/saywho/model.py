"""The data model: plain dataclasses, every span a pair of character offsets into ``Article.text``.

``Article.to_dict()`` is the output contract (``schema/article.schema.json``); everything
downstream (CLI, store, web, Spark) consumes that dictionary or these objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

QuoteType = Literal["direct", "indirect", "mixed"]
QuoteKind = Literal["speech", "thought", "intent", "stance"]
QUOTE_KINDS: tuple[str, ...] = ("speech", "thought", "intent", "stance")
SpeakerType = Literal["person", "organisation", "group", "document", "unnamed"]
Gender = Literal["female", "male", "unknown"]
# What readers, newsrooms and quote datasets count as a quote (docs/kinds.md): every front end
# shows this unless asked for more.
READER_KINDS: tuple[str, ...] = ("speech",)
RegionKind = Literal[
    "headline", "standfirst", "byline", "body", "heading", "caption",
    "boilerplate", "related", "pullquote", "pullquote_credit",
]


def parse_kinds(option: str | None, default: tuple[str, ...] | None = READER_KINDS) -> tuple[str, ...] | None:
    """A ``--kind`` / ``?kind=`` value: "speech,thought" as a tuple, "all" as None (every kind),
    None or blank as ``default``. Raises ValueError naming what is not a kind.

    One parser for the CLI and the web API, so both accept exactly the same values."""
    if option is None or not option.strip():
        return default
    names = tuple(dict.fromkeys(k.strip().lower() for k in option.split(",") if k.strip()))
    if "all" in names:
        return None
    unknown = [k for k in names if k not in QUOTE_KINDS]
    if unknown or not names:
        raise ValueError(f"{', '.join(unknown) or repr(option)} is not a kind; use {', '.join(QUOTE_KINDS)} or all")
    return names


@dataclass(frozen=True)
class Span:
    """A slice of the article text: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


# A mention is a span that refers to a speaker ("Dr Okafor", "he", "the spokeswoman").
Mention = Span


@dataclass
class Quote:
    id: str
    start: int
    end: int
    text: str
    type: QuoteType
    kind: QuoteKind = "speech"
    cue: Span | None = None
    speaker: Mention | None = None
    speaker_id: str | None = None
    nested_in: str | None = None
    pullquote: bool = False
    continuation: bool = False
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "type": self.type,
            "kind": self.kind,
            "cue": self.cue.to_dict() if self.cue else None,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "speaker_id": self.speaker_id,
            "nested_in": self.nested_in,
            "pullquote": self.pullquote,
            "continuation": self.continuation,
            "confidence": self.confidence,
        }


@dataclass
class Speaker:
    """One person (or one described/group source) per article."""

    id: str
    name: str
    named: bool = True
    aliases: list[str] = field(default_factory=list)
    descriptors: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    type: SpeakerType = "person"
    gender: Gender = "unknown"  # as the article states it, never guessed from a first name
    gender_evidence: list[Span] = field(default_factory=list)  # the pronouns, honorifics, role nouns

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "named": self.named,
            "type": self.type,
            "gender": self.gender,
            "gender_evidence": [e.to_dict() for e in self.gender_evidence],
            "aliases": list(self.aliases),
            "descriptors": list(self.descriptors),
            "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass(frozen=True)
class Region:
    """A line or paragraph of the article with its role (body, caption, boilerplate...)."""

    start: int
    end: int
    kind: RegionKind

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "kind": self.kind}


@dataclass
class Article:
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    quotes: list[Quote] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)

    def speaker(self, speaker_id: str | None) -> Speaker | None:
        return next((s for s in self.speakers if s.id == speaker_id), None)

    def selected(self, kinds: Iterable[str] | None = ("speech",), min_confidence: float = 0.0) -> Article:
        """The article as a reader counts it: only quotes of ``kinds`` (every kind for ``None``) with
        at least ``min_confidence``, and only the speakers still quoted. Ids stay as they were; a
        quote whose enclosing quote is left out is no longer ``nested_in`` it."""
        wanted = None if kinds is None else frozenset(kinds)
        quotes = [q for q in self.quotes
                  if (wanted is None or q.kind in wanted) and q.confidence >= min_confidence]
        kept = {q.id for q in quotes}
        quotes = [replace(q, nested_in=q.nested_in if q.nested_in in kept else None) for q in quotes]
        quoted = {q.speaker_id for q in quotes}
        return replace(self, quotes=quotes, speakers=[s for s in self.speakers if s.id in quoted])

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "metadata": dict(self.metadata),
            "quotes": [q.to_dict() for q in self.quotes],
            "speakers": [s.to_dict() for s in self.speakers],
            "regions": [r.to_dict() for r in self.regions],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        def span(d: dict[str, Any] | None) -> Span | None:
            return Span(d["start"], d["end"], d["text"]) if d else None

        quotes = [
            Quote(
                id=q["id"], start=q["start"], end=q["end"], text=q["text"], type=q["type"],
                kind=q.get("kind", "speech"), cue=span(q.get("cue")), speaker=span(q.get("speaker")),
                speaker_id=q.get("speaker_id"), nested_in=q.get("nested_in"),
                pullquote=q.get("pullquote", False), continuation=q.get("continuation", False),
                confidence=q.get("confidence", 1.0),
            )
            for q in data.get("quotes", [])
        ]
        speakers = [
            Speaker(
                id=s["id"], name=s["name"], named=s.get("named", True),
                aliases=list(s.get("aliases", [])), descriptors=list(s.get("descriptors", [])),
                mentions=[Span(m["start"], m["end"], m["text"]) for m in s.get("mentions", [])],
                type=s.get("type", "person"), gender=s.get("gender", "unknown"),
                gender_evidence=[Span(m["start"], m["end"], m["text"]) for m in s.get("gender_evidence", [])],
            )
            for s in data.get("speakers", [])
        ]
        regions = [Region(r["start"], r["end"], r["kind"]) for r in data.get("regions", [])]
        return cls(data["text"], dict(data.get("metadata", {})), quotes, speakers, regions)
