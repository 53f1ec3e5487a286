"""Quote finding: spans inside quotation marks, nested, across paragraphs, with recovery.

This stage knows marks, not grammar. It pairs opening and closing marks paragraph by
paragraph, follows the news convention that a paragraph left open continues in the next
paragraph that reopens the quotation, and recovers from a mark that never closes by ending
the quote at its paragraph instead of swallowing the rest of the article.
"""

from __future__ import annotations

import bisect

from .types import Document, QuoteCandidate

DOUBLE_OPEN = "“„«\""
DOUBLE_CLOSE = "”»\""
SINGLE_OPEN = "‘‹'"
SINGLE_CLOSE = "’›'"
_BEFORE_OPEN = " \t\n([{—–-/:;,…"  # what may precede an opening mark


def _next_char(text: str, i: int) -> str:
    """The character after a mark, past the filler of a two-apostrophe mark."""
    j = i + 1
    while j < len(text) and text[j] == "\u200b":
        j += 1
    return text[j] if j < len(text) else " "


def _is_open(text: str, i: int, single: bool) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = _next_char(text, i)
    if nxt.isspace():
        return False
    if text[i] in "“„«‘‹" and not single:
        return True
    if text[i] == "‘":
        return prev in _BEFORE_OPEN or prev in "“\"" or not prev.isalnum()
    if text[i] == "“":
        return True
    # Straight marks and the apostrophe-like ones: only at a word start.
    return prev in _BEFORE_OPEN or prev in "“‘\"'" or (not prev.isalnum() and prev not in ".,!?")


def _is_close(text: str, i: int, single: bool) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = _next_char(text, i)
    if prev.isspace():
        # Straight marks after a space open; a curly closing mark cannot open, so "... to see ”
        # Mayer said" closes (a stray space before it), when what follows ends the quotation.
        return text[i] in "”»" and not single and (nxt.isspace() or nxt in ",.;:!?")
    if single:
        # An apostrophe inside a word (they’re, IS’s) is not a closing mark.
        return not nxt.isalnum()
    return True


def _scan_paragraph(text: str, start: int, end: int) -> tuple[list[tuple[int, int | None, bool]], bool]:
    """Pairs of (open, close, double) in one paragraph; the bool says the last double
    quotation was left open at the paragraph's end."""
    pairs: list[tuple[int, int | None, bool]] = []
    stack: list[tuple[int, bool]] = []  # (open offset, double)
    doubles = 0  # double quotations open on the stack (kept so each step costs the same)
    closers = [j for j in range(start, end) if text[j] in "”»"]  # curly closing marks, in order
    i = start
    while i < end:
        c = text[i]
        in_double = doubles > 0
        in_single = bool(stack) and not stack[-1][1]
        if c in DOUBLE_CLOSE and stack and stack[-1][1] and _is_close(text, i, False) and (
            c != "\"" or not _is_open(text, i, False) or i + 1 == end
        ):
            o, _ = stack.pop()
            doubles -= 1
            pairs.append((o, i, True))
        elif c in DOUBLE_CLOSE and stack and not stack[-1][1] and in_double and (
            _is_close(text, i, False) and not _is_open(text, i, False)
        ):
            # A single quotation left open inside a double one: drop it, close the double.
            stack.pop()
            while stack and not stack[-1][1]:
                stack.pop()
            o, _ = stack.pop()
            doubles -= 1
            pairs.append((o, i, True))
        elif c in DOUBLE_OPEN and _is_open(text, i, False) and (not in_double or c in "“„«" and (
            len(closers) - bisect.bisect_right(closers, i) > doubles
        )):
            # A curly opening mark inside a double quotation opens a nested one ("... what he calls
            # “hell” than ..."), when enough closing marks follow in the paragraph to close it and
            # every quotation around it: curly marks say which is which.
            stack.append((i, True))
            doubles += 1
        elif c in SINGLE_CLOSE and in_single and _is_close(text, i, True):
            o, _ = stack.pop()
            pairs.append((o, i, False))
        elif c in SINGLE_OPEN and _is_open(text, i, True) and (in_double or c != "'" or not stack):
            if not (c == "'" and i > start and text[i - 1].isalpha()):
                stack.append((i, False))
        i += 1
    left_open = False
    # Unclosed marks: a double one runs to the paragraph end (and maybe beyond); single ones
    # were most likely apostrophes and are dropped.
    for o, double in stack:
        if double:
            pairs.append((o, None, True))
            left_open = True
    return pairs, left_open


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    if start > 0 and text[start - 1 : start + 1] == "''":
        start += 1  # the second apostrophe of a wire-style opening mark
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_quotes(document: Document) -> list[QuoteCandidate]:
    """All quotation-mark spans in the quote-bearing regions, outermost first in text order."""
    text = document.text
    # Wire copy writes a double mark as two apostrophes (''like this''): scan a same-length
    # copy where each pair is one straight double mark followed by a zero-width filler.
    scan = text.replace("''", '"\u200b') if "''" in text else text
    if "’’" in scan:
        scan = scan.replace("’’", '”\u200b')  # the same in curly apostrophes: “...,’’ Will Moy said
    regions = document.quote_regions()
    found: list[QuoteCandidate] = []
    carry: QuoteCandidate | None = None  # a quotation left open, waiting for its next paragraph
    for region in regions:
        pairs, left_open = _scan_paragraph(scan, region.start, region.end)
        pairs.sort()
        first_open = pairs[0][0] if pairs else None
        if carry is not None:
            # The convention: the next paragraph reopens with a mark at its very start.
            if first_open == region.start and pairs[0][2]:
                o, c, _ = pairs.pop(0)
                close = c if c is not None else None
                end = close if close is not None else region.end
                carry.end, carry.close_at = end, close
                carry.start, carry.end = _trim(text, carry.start, carry.end)
                if close is None:
                    continue  # still open: it may go on again
            carry = None
        for o, c, double in pairs:
            end = c if c is not None else region.end
            s, e = _trim(text, o + 1, end)
            if e <= s:
                continue
            m = QuoteCandidate(s, e, o, c)
            found.append(m)
            if c is None and double and left_open:
                carry = m
    found.sort(key=lambda m: (m.start, -m.end))
    # Nesting: the innermost enclosing span is the parent.
    for i, m in enumerate(found):
        for j in range(i - 1, -1, -1):
            p = found[j]
            if p.start <= m.open_at and m.end <= p.end and p is not m:
                m.parent = j
                break
    return found
