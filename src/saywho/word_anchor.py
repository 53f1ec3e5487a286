"""Finding a verbatim phrase in a text by its words, for gold given as strings (no offsets).

Each extractor produces its own article text from a page (other whitespace, other marks, a
paragraph lost or kept), so gold quotations are located by their word sequence: exactly when
the words appear in order, else the window that shares most of them (at least ``MIN_SHARE``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from difflib import SequenceMatcher

_WORD = re.compile(r"[^\W_]+")
MIN_SHARE = 0.6  # of the phrase's words, in order, for a window that is not an exact match


class WordIndex:
    """A text's words (lowercased, punctuation and marks ignored) with their character offsets."""

    def __init__(self, text: str) -> None:
        found = list(_WORD.finditer(text))
        self.words = [m.group().lower() for m in found]
        self.starts = [m.start() for m in found]
        self.ends = [m.end() for m in found]
        self.positions: dict[str, list[int]] = defaultdict(list)
        for i, w in enumerate(self.words):
            self.positions[w].append(i)

    def find_all(self, phrase: str) -> list[tuple[int, int]]:
        """Every exact occurrence of ``phrase`` (a pull quote repeats its body paragraph)."""
        words = [m.group().lower() for m in _WORD.finditer(phrase)]
        return [(self.starts[i], self.ends[i + len(words) - 1]) for i in self._exact(words)] if words else []

    def find(self, phrase: str, after: int = 0) -> tuple[int, int] | None:
        """The character span of ``phrase`` in the text, preferring an occurrence that starts at
        or after character ``after`` (gold quotes come in article order)."""
        words = [m.group().lower() for m in _WORD.finditer(phrase)]
        if not words:
            return None
        exact = self._exact(words)
        if exact:
            starts = [self.starts[i] for i in exact]
            i = exact[bisect_left(starts, after)] if bisect_left(starts, after) < len(exact) else exact[0]
            return self.starts[i], self.ends[i + len(words) - 1]
        return self._closest(words, after)

    def _exact(self, words: list[str]) -> list[int]:
        n = len(words)
        return [i for i in self.positions.get(words[0], []) if self.words[i : i + n] == words]

    def _closest(self, words: list[str], after: int) -> tuple[int, int] | None:
        n = len(words)
        # Anchor windows on the phrase's rarest words in the text.
        known = sorted({w for w in words if w in self.positions}, key=lambda w: len(self.positions[w]))[:3]
        best: tuple[float, int, int, int] | None = None  # (share, prefers-after, first word, last word)
        seen: set[int] = set()
        for w in known:
            offset = words.index(w)
            for pos in self.positions[w]:
                start = max(0, pos - offset)
                if start in seen:
                    continue
                seen.add(start)
                window = self.words[start : start + n + n // 4]
                blocks = [b for b in SequenceMatcher(None, words, window, autojunk=False).get_matching_blocks()
                          if b.size]
                share = sum(b.size for b in blocks) / n
                if share < MIN_SHARE:
                    continue
                first, last = start + blocks[0].b, start + blocks[-1].b + blocks[-1].size - 1
                key = (round(share, 3), self.starts[first] >= after, -first, last)
                if best is None or key > best:
                    best = key
        if best is None:
            return None
        first, last = -best[2], best[3]
        return self.starts[first], self.ends[last]
