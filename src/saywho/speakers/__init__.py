"""Speaker resolution: every speaker mention to one entity per article.

No coreference model installs offline, so this is the rule set a careful reader uses:
- names cluster by their tokens: "Faisal al-Nouri" ... "Nouri", "Dr Okafor" = "Okafor",
  a short form joining a full name only when exactly one full name contains it;
- "he"/"she" go to the most recent compatible speaker (salience), else the most recent
  compatible person named; "they" to the most recent group;
- a definite description ("the medic") goes to the entity introduced with that head noun;
  an indefinite one ("an army medic who ...") introduces a new, unnamed entity;
- a headline or standfirst description ("..., says physician who treated them") is the
  article's lead source: the speaker of the first attributed quotation in the body;
- aliases are read where the text states them ("whose ... name was", "known as");
  descriptors from appositions, premodifiers and pull-quote credits.
"""

from __future__ import annotations

from ..model import Quote, Speaker
from ..types import AttributedQuote, ParsedDocument
from .entity import Entity
from .mentions import resolve_mentions
from .resolver import Resolver

__all__ = ["Entity", "resolve_mentions", "resolve_speakers"]


def resolve_speakers(parsed: ParsedDocument, quotes: list[AttributedQuote]) -> tuple[list[Quote], list[Speaker]]:
    """Speakers for the attributed quotes: one entity per source in the article, and the output quotes."""
    return Resolver(parsed, quotes).resolve()
