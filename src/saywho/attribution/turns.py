""""Name:" turns: in transcripts ("WALLACE: Let's start ...") and headlines ("Sanders: Clinton
needs a plan"), a paragraph that opens with a name and a colon is that person's turn."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..deptree import DASHES
from ..lexicon import FINDING_NOUNS
from ..types import AttributedQuote
from .context import ArticleContext

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as DocSpan

MAX_LABEL_TOKENS = 6
NON_SPEAKER_LABELS = frozenset("""
update note editor editors photo photos video watch read related source sources breaking exclusive
advertisement image caption warning correction clarification listen subscribe follow share tags
analysis opinion live timeline explainer review factbox transcript interview commentary editorial
letters quiz recap podcast graphic chart map gallery contact email tel phone fax address date time
column column blog newsletter highlights preview
q a
""".split())


def add_labelled_turns(context: ArticleContext, quotes: list[AttributedQuote]) -> None:
    """A labelled paragraph gives its speaker to the direct quotes in it that have none, or, when
    it holds none, is itself an indirect quote of that speaker."""
    text, tokens = context.text, context.tokens
    labelled = [(pi, label) for pi, p in enumerate(context.paragraphs) if (label := _speaker_label(p.doc)) is not None
                and not (p.region.kind == "body" and pi > 0 and _title_case(p.doc[label[0].i + 1 :]))]
    for pi, (colon, last) in _speaking_turns(context, labelled):
        doc = context.paragraphs[pi].doc
        end = doc[-1]
        while end.i > colon.i and (end.is_space or end.is_punct and end.text not in "”\"’'"):
            end = doc[end.i - 1]
        start, stop = tokens.end(colon), tokens.end(end)
        while start < stop and text[start] in " \t\u00a0“\"‘'":
            start += 1
        speaker = tokens.span(doc[0], last, text)
        cue = tokens.span(colon, colon, text)
        overlapping = [q for q in quotes if q.start < stop and start < q.end]
        for q in overlapping:
            if q.speaker is None and q.type == "direct":
                q.speaker, q.speaker_head, q.cue, q.cue_word = speaker, last, cue, colon
        if not overlapping and start < stop:
            quotes.append(AttributedQuote(start, stop, "indirect", cue=cue, cue_word=colon, speaker=speaker,
                                          speaker_head=last, paragraph=pi))


def _speaking_turns(context: ArticleContext, labelled: list[tuple[int, tuple[Token, Token]]],
                    ) -> list[tuple[int, tuple[Token, Token]]]:
    """The labels that are speakers: a transcript's (two labels or more, with different words
    after them), or a person's or organisation's name the tagger knows that the article also
    writes outside the labels ("Lynn said"; "Sanders: Clinton needs a plan" over a story on
    Sanders), or a finding ("Poll: ...").
    "Daily Deals: ...", "New Release: ...", "Star Wars Jedi: Fallen Order review" name no one
    the article speaks of."""
    if not labelled:
        return []
    text, tokens = context.text, context.tokens

    def label_of(pi: int, colon: Token) -> str:
        doc = context.paragraphs[pi].doc
        return text[tokens.pos(doc[0]) : tokens.pos(colon)].strip()

    labels = {label_of(pi, colon) for pi, (colon, _) in labelled}
    said = {text[tokens.end(colon) : tokens.end(context.paragraphs[pi].doc[-1])].strip() for pi, (colon, _) in labelled}
    if len(labels) >= 2 and len(said) >= 2:
        return labelled
    turns = {pi for pi, _ in labelled}
    named = {t.text for pi, p in enumerate(context.paragraphs) if p.region.kind == "body" and pi not in turns
             for ent in p.doc.ents if ent.label_ in ("PERSON", "ORG", "NORP") for t in ent}
    return [(pi, (colon, last)) for pi, (colon, last) in labelled if last.lower_ in FINDING_NOUNS or last.text in named]


def _title_case(words: DocSpan) -> bool:
    """"More Black Friday Deals Are Live, Including ...": a listing's or a title's capitals, not
    what anyone said (a headline is written so: the headline region and a text's first paragraph
    are not judged by it)."""
    long = [t for t in words if t.is_alpha and len(t) >= 4]
    return len(long) >= 3 and sum(t.text[:1].isupper() for t in long) >= 0.7 * len(long)


def _speaker_label(doc: Doc | DocSpan) -> tuple[Token, Token] | None:
    """The colon and the label's last token when a paragraph opens "Name:" or "NAME:" and goes on
    for a few words; section labels ("Update:", "Photo:") and Q/A letters are not speakers."""
    colon = next((t for t in doc[:MAX_LABEL_TOKENS + 1] if t.text == ":"), None)
    if colon is None or colon.i == 0 or len([t for t in doc[colon.i + 1 :] if t.is_alpha]) < 3:
        return None
    if doc[0].text in DASHES:
        return None  # "- NASA: The station is open": a credit or a link, not a turn
    label = [t for t in doc[: colon.i] if not t.is_punct]
    if not label or label[0].lower_ in NON_SPEAKER_LABELS or not all(
        t.is_title or t.is_upper or not t.is_alpha for t in label
    ) or any(t.pos_ in ("VERB", "AUX") for t in label):
        return None  # "Said Ellis:" is a cue with its subject, not a label
    if not any(t.is_alpha and len(t) > 1 for t in label):
        return None
    if label[0].pos_ == "DET" and not all(t.ent_type_ in ("ORG", "NORP") for t in label[1:] if t.is_alpha):
        return None  # "The Latest:", "The Bottom Line:": a column's label; "The Pentagon:" may speak
    if any(t.text == "," for t in doc[: colon.i]) or all(t.ent_type_ in ("GPE", "LOC", "DATE", "TIME")
                                                          for t in label if t.is_alpha):
        return None  # a dateline or a place ("Washington, DC, United States:"), not a speaker
    return colon, label[-1]
