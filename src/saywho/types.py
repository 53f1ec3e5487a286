"""The types the stages hand each other, below every stage (docs/architecture.md):

    ingest --Document--> NLP --ParsedDocument--> quote finding --QuoteCandidate-->
    attribution --AttributedQuote--> speaker resolution --Article (model.py)--> output

Plain dataclasses with character offsets into the article text. Nothing here imports a stage.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .model import Region, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as DocSpan

# Regions whose text can hold the article's own quotations.
QUOTE_REGIONS: frozenset[str] = frozenset({"headline", "standfirst", "body", "pullquote"})


@dataclass
class Document:
    """Ingest's output: the article text, its metadata and one region (role) per line."""

    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    regions: list[Region] = field(default_factory=list)

    def quote_regions(self) -> list[Region]:
        """The regions quotes are looked for in: none for an article ingest found not English."""
        if self.metadata.get("language") == "not English":
            return []
        return [r for r in self.regions if r.kind in QUOTE_REGIONS]

    @cached_property
    def _region_starts(self) -> list[int]:
        return [r.start for r in self.regions]  # regions are final once ingest has made the Document

    def region_at(self, offset: int) -> Region | None:
        """The region holding ``offset``, if any."""
        i = bisect.bisect_right(self._region_starts, offset) - 1
        if i >= 0 and offset < self.regions[i].end:
            return self.regions[i]
        return None


@dataclass
class Paragraph:
    """A parsed region. ``doc`` may be a Doc of the region alone or a slice of a larger Doc:
    ``offset + token.idx`` is always the token's position in the article text."""

    region: Region
    doc: Doc | DocSpan
    offset: int


class TokenIndex:
    """Token lookup by article offset across the parsed paragraphs."""

    def __init__(self, paragraphs: list[Paragraph]) -> None:
        self.paragraphs = paragraphs
        self.starts = [p.region.start for p in paragraphs]
        # A paragraph is a Doc of its own (offset: where it starts) or a slice of one larger Doc
        # (offset 0): either way the offset is a property of the token's Doc.
        self.offsets: dict[Doc, int] = {getattr(p.doc, "doc", p.doc): p.offset for p in paragraphs}

    def paragraph_at(self, offset: int) -> int | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and offset <= self.paragraphs[i].region.end:
            return i
        return None

    def pos(self, token: Token) -> int:
        """Article offset of a token."""
        return self._offset(token) + token.idx

    def end(self, token: Token) -> int:
        return self.pos(token) + len(token.text)

    def _offset(self, token: Token) -> int:
        try:
            return self.offsets[token.doc]
        except KeyError:
            raise KeyError("token from an unknown paragraph") from None

    def span(self, first: Token, last: Token, text: str) -> Span:
        s, e = self.pos(first), self.end(last)
        return Span(s, e, text[s:e])

    def within_paragraph(self, first: Token, last: Token, anchor: Token) -> tuple[Token, Token]:
        """Edges moved inside the anchor's paragraph. Only a parse of one Doc for the whole
        article (the spaCy component) can run across a paragraph break."""
        pi = self.paragraph_at(self.pos(anchor))
        paragraph = self.paragraphs[pi].doc if pi is not None else None
        if paragraph is None or paragraph.doc is paragraph or not len(paragraph):
            return first, last
        doc, lo, hi = anchor.doc, paragraph.start, paragraph.end - 1
        return doc[min(max(first.i, lo), hi)], doc[max(min(last.i, hi), lo)]


@dataclass
class ParsedDocument:
    """The NLP stage's output: the document, its quote-bearing paragraphs parsed, and one token
    index over them that every later stage shares."""

    document: Document
    paragraphs: list[Paragraph]
    tokens: TokenIndex = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = TokenIndex(self.paragraphs)

    @property
    def text(self) -> str:
        return self.document.text


@dataclass
class QuoteCandidate:
    """Quote finding's output: the content between a pair of marks (marks excluded, whitespace trimmed)."""

    start: int
    end: int
    open_at: int  # offset of the opening mark
    close_at: int | None  # offset of the closing mark; None when recovered at paragraph end
    parent: int | None = None  # index of the enclosing candidate


@dataclass
class AttributedQuote:
    """Attribution's output: a quotation with its cue and speaker mention, before speakers are resolved."""

    start: int
    end: int
    type: str
    kind: str = "speech"  # speech | thought | intent | stance (attribution/kinds.py)
    cue: Span | None = None
    cue_word: Token | None = None  # the cue's head token, for the confidence features
    speaker: Span | None = None
    speaker_head: Token | None = None  # the head token of the speaker mention, for resolution
    paragraph: int = -1
    parent: int | None = None  # index into the list of quotes of the enclosing quotation
    pullquote: bool = False
    continuation: bool = False
    follows: int | None = None  # index of the quote whose speaker this one inherits
    confidence: float = 1.0  # attribution/confidence.py
