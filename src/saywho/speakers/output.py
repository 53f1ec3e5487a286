"""The speaker stage's output: Quote and Speaker records, with every nesting shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Quote, Speaker
from ..types import AttributedQuote

if TYPE_CHECKING:
    from .entity import Entity


def speakers_and_quotes(
    text: str, attributed: list[AttributedQuote], assigned: list[Entity | None]
) -> tuple[list[Quote], list[Speaker]]:
    """The output records: one Speaker per entity quoted (ids in order of first quote), and the quotes."""
    ids: dict[Entity, str] = {}
    speakers: list[Speaker] = []
    quote_ids = [f"q{i + 1}" for i in range(len(attributed))]
    enclosing = _enclosing(attributed)
    quotes = []
    for i, (d, entity) in enumerate(zip(attributed, assigned, strict=True)):
        sid = None
        if entity is not None:
            if entity not in ids:
                ids[entity] = f"s{len(ids) + 1}"
                speakers.append(Speaker(
                    id=ids[entity], name=entity.name, named=entity.named,
                    aliases=entity.aliases, descriptors=entity.descriptors,
                    mentions=sorted(entity.mentions, key=lambda m: m.start), type=entity.type,  # type: ignore[arg-type]
                    gender={"f": "female", "m": "male"}.get(entity.gender or "", "unknown"),  # type: ignore[arg-type]
                    gender_evidence=sorted(entity.gender_evidence, key=lambda m: m.start),
                ))
            sid = ids[entity]
        quotes.append(Quote(
            id=quote_ids[i], start=d.start, end=d.end, text=text[d.start : d.end], type=d.type,
            kind=d.kind, cue=d.cue, speaker=d.speaker, speaker_id=sid,
            nested_in=quote_ids[enclosing[i]] if enclosing[i] is not None else None,
            pullquote=d.pullquote, continuation=d.continuation, confidence=d.confidence,
        ))
    return quotes, speakers


def _enclosing(quotes: list[AttributedQuote]) -> list[int | None]:
    """The quote each one is nested in: its parent, or else the smallest other quote that holds
    all of it ("said he hoped the bridge would reopen" holds the hope). Resolution reads only the
    parent (a pronoun inside a quotation is never its speaker); the output shows every nesting."""
    out: list[int | None] = []
    for i, q in enumerate(quotes):
        if q.parent is not None:
            out.append(q.parent)
            continue
        holders = [j for j, o in enumerate(quotes) if j != i and o.start <= q.start and q.end <= o.end
                   and (o.start, o.end) != (q.start, q.end)]
        out.append(min(holders, key=lambda j: quotes[j].end - quotes[j].start) if holders else None)
    return out
