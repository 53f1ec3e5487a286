"""Attribution: which quotation-mark candidates are quotations, what reported speech the parse
shows, and for each the cue ("said") and the speaker mention ("Dr Okafor", "he", "the spokeswoman").

The modules follow the rules in the order a reader applies them:

1. ``cues``: every word that attributes content to a source, with the source and the content
   the parse shows: verbs of saying, "according to X", "in a new poll", "reportedly", nouns with
   a that-clause, passives ("was criticized by X", "it was reported that ..."), and, through the
   learned models (``learned``), the long tail of cues and stances and plans ("backed the deal",
   "plans to run", "Obama's decision to ...").
2. ``direct``: a cue right after a closing mark (“...,” said X / “...,” X told Y) or right before
   an opening one (X said: “...”), a dash credit or a pull-quote credit attributes a quotation.
   Short quoted words inside a sentence with no cue are scare quotes, not quotations.
3. ``reported``: a cue whose content is not inside marks is reported speech: indirect, or
   mixed when the content holds a quoted fragment.
4. ``turns``: a paragraph opening "Name:" is Name's turn.
5. ``links``: nested quotes find their enclosing quote; a quotation with no cue of its own takes
   the speaker of the one before it when it continues that speaker's paragraph or opens the next
   paragraph (continuation), or of a colon introduction or a speech act just before it.
"""

from __future__ import annotations

from ..types import AttributedQuote, ParsedDocument, QuoteCandidate
from . import confidence, kinds
from .context import ArticleContext
from .cues import predicate_candidate
from .direct import find_direct
from .links import drop_orphans, link_quotes
from .reported import add_reported_speech
from .turns import add_labelled_turns

__all__ = ["attribute", "predicate_candidate"]


def attribute(parsed: ParsedDocument, candidates: list[QuoteCandidate]) -> list[AttributedQuote]:
    """Quotation-mark candidates and parsed cues to attributed quotes, sorted by position."""
    context = ArticleContext(parsed, candidates)
    found = find_direct(context)
    add_reported_speech(context, found)
    quotes = found.quotes
    add_labelled_turns(context, quotes)
    quotes.sort(key=lambda q: (q.start, -q.end))
    link_quotes(context, quotes)
    quotes = drop_orphans(context.text, quotes)
    for q in quotes:  # whatever rule found it, a source that can say nothing made no speech
        if q.kind == "speech" and q.speaker_head is not None and kinds.mute(q.speaker_head, context.text):
            q.kind = "thought"
    confidence.score(quotes, parsed.document)
    return quotes
