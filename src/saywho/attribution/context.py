"""What every attribution rule reads: the article, its paragraphs' cues, and how a cue's source
and word become the spans the output shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..deptree import antecedent, cut_clauses, mention_edges, past_dateline
from ..lexicon import RELATIVE_PRONOUNS
from ..model import Region, Span
from ..nlp import lemma_of
from .cues import Cue, find_cues

if TYPE_CHECKING:
    from spacy.tokens import Token

    from ..types import ParsedDocument, QuoteCandidate

MENTION_STOPS = frozenset({":", "“", "\"", "«"})


class ArticleContext:
    """One article under attribution: its text, parsed paragraphs, token index, quotation-mark
    candidates and, per paragraph, the cues found in it (computed once)."""

    def __init__(self, parsed: ParsedDocument, candidates: list[QuoteCandidate]) -> None:
        self.text = parsed.text
        self.document = parsed.document
        self.paragraphs = parsed.paragraphs
        self.tokens = parsed.tokens
        self.candidates = candidates
        self.cues: list[list[Cue]] = [find_cues(p) for p in parsed.paragraphs]

    def region_at(self, offset: int) -> Region | None:
        return self.document.region_at(offset)

    def mention(self, subject: Token | None) -> tuple[Span | None, Token | None]:
        """The speaker mention for a cue's source, and the token resolution starts from."""
        if subject is None:
            return None, None
        head = subject
        if subject.lower_ in RELATIVE_PRONOUNS and not subject.is_upper:  # "WHO said" is the agency
            # "X, who said ...": the mention is "who"; resolution starts from X, which it stands for
            return self.tokens.span(subject, subject, self.text), antecedent(subject)
        if subject.pos_ == "PRON":
            left = right = subject
        else:
            left, right = mention_edges(head)
            right = cut_clauses(head, right)
            stop = next((t for t in head.doc[head.i + 1 : right.i + 1] if t.text in MENTION_STOPS), None)
            if stop is not None:  # a mention never runs on into a colon or a quotation
                right = head.doc[max(head.i, stop.i - 1)]
            left, head = past_dateline(left, right, head)
            left, right = self.tokens.within_paragraph(left, right, head)
        return self.tokens.span(left, right, self.text), head

    def cue_span(self, cue: Cue) -> Span:
        """The cue as shown: the word, with "to" after "according" and a verb's particle ("pointed out")."""
        word = cue.word
        last = word
        if lemma_of(word) == "accord":
            last = word.doc[word.i + 1]
        elif word.i + 1 < len(word.doc) and word.doc[word.i + 1].dep_ == "prt":
            last = word.doc[word.i + 1]
        return self.tokens.span(word, last, self.text)
