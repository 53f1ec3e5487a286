"""Reported speech: a cue whose content the parse shows outside quotation marks is an indirect
quote, or a mixed one when that content holds a quoted fragment. "Aides said the senator plans
to run" keeps both: the plan is the senator's inside the aides' report."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..deptree import has_verb
from ..lexicon import FIRST_SECOND_PRONOUNS, NEGATIVE_SOURCES
from ..nlp import lemma_of
from ..types import AttributedQuote
from .context import ArticleContext
from .cues import MIN_INDIRECT_TOKENS, Cue
from .direct import PARENT_PENDING, DirectQuotes
from .kinds import kind_of

if TYPE_CHECKING:
    from spacy.tokens import Token

HYPOTHETICAL_MARKS = frozenset({"until", "unless", "if"})
_ANONYMITY = re.compile(r"^(?:not\s+to\s+be\s+(?:named|identified|quoted)|anonymity\b)", re.I)


@dataclass
class ReportedClause:
    """A cue's content as article offsets, with the cue and its paragraph."""

    start: int
    end: int
    cue: Cue
    paragraph: int


def add_reported_speech(context: ArticleContext, found: DirectQuotes) -> None:
    """Reported speech, added to ``found.quotes``. A pending quotation inside a reported clause is
    a fragment of it (a mixed quote); one outside any stays a direct quote with no cue yet."""
    reported = _reported_clauses(context, found.used_cues)
    direct = [(m.start, m.end) for m in found.attributed]
    for m, pi in found.pending:
        if any(r.start <= m.open_at < r.end and m.end > r.start for r in reported):
            found.fragments.append(m)
        else:
            found.quotes.append(AttributedQuote(m.start, m.end, "direct", paragraph=pi))
            direct.append((m.start, m.end))
    direct_index = _SpanIndex(direct)
    # A fragment spans its marks: a mixed quote that ends in one keeps its closing mark with the
    # opening one, so the quote's text never holds an unbalanced mark.
    fragment_index = _SpanIndex([(f.open_at, f.end if f.close_at is None else f.close_at + 1)
                                 for f in found.fragments])
    for clause in reported:
        s, e, cue = clause.start, clause.end, clause.cue
        vpos = context.tokens.pos(cue.word)
        near = direct_index.overlapping(s, e)
        inside = next(((ds, de) for ds, de in direct_index.overlapping(vpos, vpos + 1)), None)
        if inside is not None:
            # Reported speech inside a quotation: kept only for plain speech by a third party.
            if lemma_of(cue.word) not in ("say", "tell") or not cue.clausal or cue.subject is None or (
                cue.subject.lower_ in FIRST_SECOND_PRONOUNS
            ):
                continue
            if not (inside[0] <= s and e <= inside[1]):
                continue
        else:
            overlap = sum(max(0, min(e, de) - max(s, ds)) for ds, de in near)
            if overlap > 0.3 * (e - s):
                continue  # mostly a direct quotation already
        qtype = "indirect"
        held = [(o, fe) for o, fe in fragment_index.overlapping(s, e + 2) if s <= o < e + 2]
        if held:
            qtype = "mixed"
            # The content runs to the end of the quoted fragment it holds, its closing mark included.
            e = max([e] + [fe for _, fe in held])
        quote = AttributedQuote(s, e, qtype, kind_of(cue, qtype), paragraph=clause.paragraph,
                                cue=context.cue_span(cue), cue_word=cue.word)
        quote.speaker, quote.speaker_head = context.mention(cue.subject)
        if inside is not None:
            quote.parent = PARENT_PENDING
        found.quotes.append(quote)


def _reported_clauses(context: ArticleContext, used: set[tuple[int, int]]) -> list[ReportedClause]:
    """Cues with a reported clause, except those spent on a direct quotation. A cue inside
    another's clause is kept too."""
    clauses: list[ReportedClause] = []
    for pi, cues in enumerate(context.cues):
        for cue in cues:
            if (pi, cue.word.i) in used or cue.content is None:
                continue
            first, last = context.tokens.within_paragraph(*cue.content, cue.word)
            if cue.clausal and (last.i - first.i + 1 < MIN_INDIRECT_TOKENS or not has_verb(first, last)):
                continue
            if _is_anonymity_formula(first, last) or _is_hypothetical(cue.word) or _says_nothing(cue):
                continue
            clauses.append(ReportedClause(context.tokens.pos(first), context.tokens.end(last), cue, pi))
    return [c for c in clauses if not _same_content_as_a_verb(c, clauses, context)]


def _same_content_as_a_verb(clause: ReportedClause, clauses: list[ReportedClause], context: ArticleContext) -> bool:
    """"As yet, there is no evidence ..., the commission said, according to Reuters": the phrase
    and the verb report the same words; the verb names who said them, the phrase only where
    that was read, so the words are one quote, the commission's."""
    if clause.cue.word.lower_ != "according":
        return False
    return any(o is not clause and o.cue.word.pos_ in ("VERB", "AUX") and o.cue.subject is not None
               and abs(o.start - clause.start) <= 2 and o.end <= context.tokens.pos(o.cue.word) < clause.end
               for o in clauses)


def _says_nothing(cue: Cue) -> bool:
    """"nothing indicated that ...", "nobody told them that ...", "no one said ...": a source that
    is no one reports nothing."""
    subject = cue.subject
    return subject is not None and (
        subject.lower_ in NEGATIVE_SOURCES or any(c.dep_ == "det" and c.lower_ == "no" for c in subject.children)
    )


def _is_hypothetical(verb: Token) -> bool:
    """"until ministers agreed to meet them", "if he says yes": a condition or a time, not a report."""
    return verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS for c in verb.children)


def _is_anonymity_formula(first: Token, last: Token) -> bool:
    """"who asked not to be named": wire copy's reason for anonymity, not what was said."""
    return bool(_ANONYMITY.match(first.doc[first.i : last.i + 1].text))


class _SpanIndex:
    """(start, end) spans sorted by start, for the spans overlapping a range without a full scan."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.longest = max((e - s for s, e in self.spans), default=0)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        lo = bisect.bisect_left(self.starts, start - self.longest)
        hi = bisect.bisect_left(self.starts, end)
        return [(s, e) for s, e in self.spans[lo:hi] if s < end and e > start]
