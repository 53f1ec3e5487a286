"""Direct quotations: a quotation-mark candidate is attributed by a cue right after its closing
mark (“...,” said X / “...,” X told Y / “...” — X said) or right before its opening one
(X said: “...” / He said, “...”), by a dash credit (“...” ― Name) or, in a pull quote, by the
credit line under it. What is left is a quotation waiting for a speaker (``pending``) or, if
too short to be one, scare quotes or a title (``fragments``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..deptree import subject_after
from ..lexicon import STRONG_SPEECH_LEMMAS
from ..model import Region, Span
from ..nlp import lemma_of
from ..types import AttributedQuote, QuoteCandidate
from .context import ArticleContext
from .cues import Cue
from .kinds import kind_of

# A nested quotation's enclosing quote is set once every quote is known (links.py).
PARENT_PENDING = -1

_DASH_CREDIT = re.compile(
    r"[ \t\u00a0]*[―—–][ \t\u00a0]*(?P<name>[A-Z][\w.'’-]*(?:[ \u00a0][A-Z][\w.'’-]*){0,4})[ \t\u00a0]*(?=[“\"\n]|$)"
)
_SENTENCE_BREAK = re.compile(r"(?<![A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z][a-z])[.?!](?=\s|$)|[“\"‘]")


@dataclass
class DirectQuotes:
    """The first pass over the quotation marks."""

    quotes: list[AttributedQuote] = field(default_factory=list)
    used_cues: set[tuple[int, int]] = field(default_factory=set)  # (paragraph, cue word index) spent
    attributed: list[QuoteCandidate] = field(default_factory=list)  # outermost candidates with a speaker
    pending: list[tuple[QuoteCandidate, int]] = field(default_factory=list)  # quotations with no cue, paragraph
    fragments: list[QuoteCandidate] = field(default_factory=list)  # scare quotes, titles


def find_direct(context: ArticleContext) -> DirectQuotes:
    """Every quotation-mark candidate with a cue next to it becomes a direct quote."""
    found = DirectQuotes()
    tokens = context.tokens
    for m in context.candidates:
        pi = tokens.paragraph_at(m.open_at)
        region = context.region_at(m.open_at)
        if region is not None and region.kind == "pullquote":
            found.quotes.append(_pullquote(context, m, region))
            continue
        if pi is None:
            continue
        if m.parent is not None and not any(a.start <= m.start and m.end <= a.end for a in found.attributed
                                            if a.parent is None):
            if not any(p.start <= m.start and m.end <= p.end for p, _ in found.pending):
                continue  # inside marks that are no quotation (scare quotes, a title)
        bound = context.candidates[m.parent].end if m.parent is not None else None
        credit = _dash_credit(context.text, m) if m.parent is None else None
        if credit is not None:
            found.quotes.append(AttributedQuote(m.start, m.end, "direct", paragraph=pi, speaker=credit))
            found.attributed.append(m)
            continue
        cue = after = _cue_after(context, m, pi, bound)
        if after is None or after.subject is None:
            # “...,” referring to ...: a participle after the quote names no one; "He vowed, “...”" does
            cue = _cue_before(context, m, pi) or after
            if after is not None:
                found.used_cues.add((pi, after.word.i))
        if cue is None:
            if m.parent is None:
                if is_quotation(context, m):
                    found.pending.append((m, pi))
                else:
                    found.fragments.append(m)
            continue
        found.used_cues.add((pi, cue.word.i))
        quote = AttributedQuote(m.start, m.end, "direct", kind_of(cue, "direct"), paragraph=pi,
                                cue=context.cue_span(cue), cue_word=cue.word)
        quote.speaker, quote.speaker_head = context.mention(cue.subject)
        if m.parent is not None:
            quote.parent = PARENT_PENDING
        else:
            found.attributed.append(m)
        found.quotes.append(quote)
    return found


def _cue_after(context: ArticleContext, m: QuoteCandidate, pi: int, bound: int | None = None) -> Cue | None:
    """“...,” said X. / “...,” X told Y. / “...” — X said."""
    if m.close_at is None:
        return None
    text, tokens = context.text, context.tokens
    pi = tokens.paragraph_at(m.close_at) or pi
    limit = tokens.end(context.paragraphs[pi].doc[-1])
    window = text[m.close_at + 1 : min(limit, m.close_at + 120)]
    for cue in context.cues[pi]:
        vpos = tokens.pos(cue.word)
        if vpos <= m.close_at:
            continue
        if bound is not None and vpos >= bound:
            break
        between = text[m.close_at + 1 : vpos]
        if ends_sentence(between):
            break
        subject_first = cue.subject is not None and cue.subject.i < cue.word.i and (
            text[m.close_at + 1 : tokens.pos(cue.subject.left_edge)].strip(" ,\u00a0'’\u200b") == ""
        )
        if not subject_first and (len(between) > len(window) or len(between.split()) > 6):
            break
        if not subject_first and text[m.start : m.end].rstrip()[-1:] == "." and between.strip(
                " '’\u00a0")[:1] not in ("—", "–", "-"):
            break  # “... an election.” Critically, however, it pointed out ...: a new sentence
        if cue.subject is not None and tokens.pos(cue.subject) < m.open_at:
            break  # "X said ... “...” and promised": a second verb of the clause before the quote
        if cue.subject is not None and tokens.pos(cue.subject) < m.close_at:
            # “... Full panic mode,” said Leslie Wimes: the parse took the quotation as subject
            cue = replace(cue, subject=subject_after(cue.word, ("PROPN", "NOUN")))
        if lemma_of(cue.word) in STRONG_SPEECH_LEMMAS or lemma_of(cue.word) == "accord":
            return cue
        if text[m.start : m.end].rstrip()[-1:] in ",?!" and len(between.split()) <= 3 and not any(
            w in ("and", "but", "or", "then") for w in between.lower().split()
        ):
            return cue  # “...,” she continued. / “...!” he shouted: the verb attributes what it follows
    return None


def _cue_before(context: ArticleContext, m: QuoteCandidate, pi: int) -> Cue | None:
    """X said: “...” / He said, “...” / X told reporters “...”."""
    text, tokens = context.text, context.tokens
    before = text[context.paragraphs[pi].region.start : m.open_at].rstrip()
    if not before:
        return None
    best = None
    for cue in context.cues[pi]:
        vend = tokens.end(cue.word)
        if vend > m.open_at:
            break
        gap = text[vend : m.open_at]
        if ends_sentence(gap) or len(gap.split()) > 8:
            continue
        if lemma_of(cue.word) in STRONG_SPEECH_LEMMAS or gap.rstrip()[-1:] in (":", ","):
            best = cue
    if best is None:
        return None
    # Only when the clause leads into the quotation: a colon, a comma, or nothing at all.
    if before[-1] in ":,—–-" or text[tokens.end(best.word) : m.open_at].strip() == "":
        return best
    if best.content is not None and tokens.pos(best.content[0]) >= m.open_at:
        return best
    return None


def is_quotation(context: ArticleContext, m: QuoteCandidate) -> bool:
    """A real quotation rather than scare quotes or a title."""
    text = context.text
    words = text[m.start : m.end].split()
    region = context.region_at(m.open_at)
    starts_paragraph = region is not None and m.open_at == region.start
    ends_a_sentence = text[m.end - 1] in ".,!?…:;-—" if m.end > m.start else False
    if len(words) >= 8:
        return True
    # A short verbless phrase in marks is a name or a term ("“bird fancier’s lung,”"), not words said.
    return len(words) >= 3 and (starts_paragraph or ends_a_sentence) and _holds_verb(context, m)


def _holds_verb(context: ArticleContext, m: QuoteCandidate) -> bool:
    pi = context.tokens.paragraph_at(m.start)
    if pi is None:
        return True
    tokens = context.tokens
    return any(t.pos_ in ("VERB", "AUX") for t in context.paragraphs[pi].doc
               if m.start <= tokens.pos(t) < m.end)


def _dash_credit(text: str, m: QuoteCandidate) -> Span | None:
    """“...” ― Name: a quotation credited with a dash, as epigraphs and reader comments are."""
    if m.close_at is None:
        return None
    found = _DASH_CREDIT.match(text, m.close_at + 1)
    if not found:
        return None
    s, e = found.span("name")
    return Span(s, e, text[s:e])


def _pullquote(context: ArticleContext, m: QuoteCandidate, region: Region) -> AttributedQuote:
    """A pull quote is spoken by the name on its credit line ("- Name, role")."""
    text = context.text
    quote = AttributedQuote(m.start, m.end, "direct", pullquote=True)
    credit = next((r for r in context.document.regions if r.start > region.end and r.kind == "pullquote_credit"),
                  None)
    if credit is not None:
        line = text[credit.start : credit.end]
        name_start = credit.start + len(line) - len(line.lstrip("-–— "))
        comma = text.find(",", name_start, credit.end)
        name_end = comma if comma != -1 else credit.end
        quote.speaker = Span(name_start, name_end, text[name_start:name_end])
    return quote


def ends_sentence(stretch: str) -> bool:
    """A sentence end or a new quotation in the stretch between a quote and a cue
    (the stops of "Mr." and "U.S." do not count)."""
    return bool(_SENTENCE_BREAK.search(stretch))
