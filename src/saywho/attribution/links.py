"""Links between quotes: the enclosing quote of each nested one, and speakers for quotes with no
cue of their own: the next quotation in a paragraph is its speaker's too, a paragraph that reopens
a quotation continues it, a paragraph ending "She told the crowd:" introduces the next one, and a
quotation after a sentence whose subject performed a speech act speaks for that subject."""

from __future__ import annotations

from ..deptree import subject_of
from ..lexicon import FIRST_SECOND_PRONOUNS
from ..types import AttributedQuote
from .context import ArticleContext
from .cues import Cue, is_agent
from .direct import PARENT_PENDING


def link_quotes(context: ArticleContext, quotes: list[AttributedQuote]) -> None:
    """``quotes`` sorted by position: set parents, inherited speakers and continuations."""
    for i, q in enumerate(quotes):
        if q.parent == PARENT_PENDING:
            q.parent = next(
                (j for j in range(i - 1, -1, -1)
                 if quotes[j].start <= q.start and q.end <= quotes[j].end and quotes[j].parent is None),
                None,
            )
    text = context.text
    previous: int | None = None  # the latest top-level quote with a speaker of its own or inherited
    for i, q in enumerate(quotes):
        if q.parent is not None or q.pullquote:
            continue
        if q.cue is None and q.speaker is None and previous is not None:
            prev = quotes[previous]
            same_paragraph = prev.paragraph == q.paragraph
            region = context.region_at(q.start)
            opens_paragraph = region is not None and text[region.start] in "“\"‘'«" and (
                q.start - region.start <= 2
            )
            intro = _colon_intro(context, q.paragraph) if opens_paragraph else _earlier_cue(context, q)
            if same_paragraph and q.start >= prev.end:
                # "X said Y. “Z.”": the next quotation in the paragraph is X's too
                q.follows, q.cue, q.speaker, q.speaker_head = previous, prev.cue, prev.speaker, prev.speaker_head
                q.cue_word = prev.cue_word
            elif intro is not None:
                q.cue, (q.speaker, q.speaker_head) = context.cue_span(intro), context.mention(intro.subject)
                q.cue_word = intro.word
            elif opens_paragraph and q.paragraph - prev.paragraph <= 1 and prev.type in ("direct", "mixed"):
                q.follows, q.continuation = previous, True
        elif q.cue is None and q.speaker is None:
            region = context.region_at(q.start)
            opens = region is not None and q.start - region.start <= 2
            intro = _colon_intro(context, q.paragraph) if opens else _earlier_cue(context, q)
            if intro is not None:
                q.cue, (q.speaker, q.speaker_head) = context.cue_span(intro), context.mention(intro.subject)
                q.cue_word = intro.word
        if q.cue is not None or q.follows is not None:
            previous = i


MIN_ORPHAN_WORDS = 8  # a quotation no one is linked to must be a sentence or more to be kept


def drop_orphans(text: str, quotes: list[AttributedQuote]) -> list[AttributedQuote]:
    """A short quotation that nothing attributes (no cue, no speaker, no quote it continues) is a
    slogan, a title or a term ("“Meth. We’re on it.”"), not someone's words: left out, with the
    indices of the quotes that remain renumbered."""
    def orphan(q: AttributedQuote) -> bool:
        return (q.type == "direct" and q.cue is None and q.speaker is None and q.follows is None
                and not q.pullquote and len(text[q.start : q.end].split()) < MIN_ORPHAN_WORDS)

    kept = [i for i, q in enumerate(quotes) if not orphan(q)]
    if len(kept) == len(quotes):
        return quotes
    index = {old: new for new, old in enumerate(kept)}
    out = []
    for i in kept:
        q = quotes[i]
        q.parent = index.get(q.parent) if q.parent is not None else None
        q.follows = index.get(q.follows) if q.follows is not None else None
        out.append(q)
    return out


def _earlier_cue(context: ArticleContext, q: AttributedQuote) -> Cue | None:
    """"X called him a master of the deal. “He showed ...”": a quotation after a sentence
    whose subject performed a speech act speaks for that subject."""
    if q.paragraph < 0 or q.paragraph >= len(context.cues):
        return None
    tokens = context.tokens
    before = [c for c in context.cues[q.paragraph]
              if c.subject is not None and tokens.end(c.word) <= q.start and c.word.pos_ != "NOUN"]
    if not before:
        return None
    cue = before[-1]
    if cue.word.sent.end < len(cue.word.doc) and tokens.pos(cue.word.doc[cue.word.sent.end - 1]) > q.start:
        return None
    return cue if is_agent(cue.subject) and cue.subject.lower_ not in FIRST_SECOND_PRONOUNS else None


def _colon_intro(context: ArticleContext, pi: int) -> Cue | None:
    """A paragraph ending "X continued:" or "She told the crowd:" introduces the next one."""
    if pi <= 0 or pi > len(context.paragraphs):
        return None
    previous = context.paragraphs[pi - 1]
    if not context.text[previous.region.start : previous.region.end].rstrip().endswith(":"):
        return None
    last_sentence = list(previous.doc.sents)[-1]
    verb = last_sentence.root
    subject = subject_of(verb) if verb.pos_ in ("VERB", "AUX") else None
    if subject is None:
        return None
    return Cue(verb, subject, None)
