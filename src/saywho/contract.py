"""The output contract, ``Article.to_dict()``, as pydantic models: the one description of the JSON
from which ``article.schema.json`` is generated (``scripts/write_schema.py``) and which the web
API declares as its ``response_model``s.

Needs pydantic (the ``web`` extra brings it): only the web app, the schema script and the tests
import this module, so the core library runs without pydantic. The dataclasses in ``model.py``
stay what the library builds and returns; these models only describe their ``to_dict()``.
``tests/test_contract.py`` checks that the two agree and that the committed schema is this one.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .model import QuoteType, RegionKind

SCHEMA_ID = "https://github.com/saywho/saywho/article.schema.json"

Offset = Annotated[int, Field(ge=0, description="Code-point offset into the article text.")]
QuoteKind = Literal["speech", "thought", "intent", "stance"]


class _Strict(BaseModel):
    # A key the contract does not name is an error: what to_dict() adds must be added here too.
    model_config = ConfigDict(extra="forbid")


class Span(_Strict):
    """A slice of the article text: ``text == article.text[start:end]``."""

    start: Offset
    end: Offset
    text: str


class Quote(_Strict):
    """One quotation. Its span covers the content without the enclosing quotation marks."""

    id: str
    start: Offset
    end: Offset
    text: str
    type: QuoteType
    kind: QuoteKind = Field(description="What the source did: said or wrote it (speech), thinks it (thought), "
                            "intends it (intent) or holds a view of it (stance); docs/kinds.md.")
    cue: Span | None = Field(description="The attribution cue (said, told, according to).")
    speaker: Span | None = Field(description="The mention in this quote's attribution.")
    speaker_id: str | None = Field(description="The id of the speaker in `speakers`.")
    nested_in: str | None = Field(description="The id of the enclosing quote.")
    pullquote: bool
    continuation: bool
    confidence: float = Field(ge=0, le=1, description="How likely the quote is right, calibrated on held-out "
                              "gold (docs/benchmarks.md); filter with --min-confidence.")


class Speaker(_Strict):
    """One person (or one described or group source) per article."""

    id: str
    name: str
    named: bool = Field(True, description='False for described or group sources ("the medic", "locals").')
    type: Literal["person", "organisation", "group", "document", "unnamed"] = Field(
        description="A named person, an organisation, a group of people, a document with no issuer found, "
                    "or an unnamed individual (\"a spokeswoman\").")
    gender: Literal["female", "male", "unknown"] = Field(
        description="As the article states it (pronouns that corefer, honorifics, gendered role nouns), "
                    "never guessed from a first name.")
    gender_evidence: list[Span] = Field(description="The mentions that state the gender.")
    aliases: list[str]
    descriptors: list[str]
    mentions: list[Span]


class Region(_Strict):
    """A line of the text with its role."""

    start: Offset
    end: Offset
    kind: RegionKind


class Metadata(BaseModel):
    """What the page or text says about itself; every key is optional, and ingest may add more."""

    model_config = ConfigDict(extra="allow")

    headline: str | None = None
    standfirst: str | None = None
    author: str | None = None
    dateline: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    input_format: Literal["text", "html"] | None = None
    encoding: str | None = None
    warnings: list[str] | None = None


class Article(_Strict):
    """The output of ``saywho.extract(...).to_dict()``. Every span's start/end are code-point
    offsets into `text`, end-exclusive; `text` equals text[start:end]."""

    text: str = Field(description="The text all offsets index; for text input exactly the input.")
    metadata: Metadata
    quotes: list[Quote]
    speakers: list[Speaker]
    regions: list[Region] = Field(default_factory=list, description="Every non-blank line of the text with its role.")


def article_schema() -> dict[str, Any]:
    """The JSON Schema of the contract, as committed in ``src/saywho/article.schema.json``."""
    schema = Article.model_json_schema()
    schema["title"] = "saywho Article"
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
