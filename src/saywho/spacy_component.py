"""`nlp.add_pipe("saywho")`: quotes and speakers on a user's own spaCy Doc, spaCy-native.

The component reuses the parse and entities the pipeline already computed, so it must come
after the parser and NER. It reads the Doc's text with the same layout rules as the library
(scraped-page furniture is skipped) and sets:

- ``doc.spans["saywho_quotes"]``: one span per quote, label its type, ``span.id_`` its quote id;
- ``doc.spans["saywho_mentions"]``: one span per speaker mention, label the speaker id;
- ``doc.user_data["saywho"]``: ``Article.to_dict()`` without the text (quotes, speakers, metadata,
  regions; exact character offsets into ``doc.text``), plain JSON-able data, so the Doc survives
  ``DocBin(store_user_data=True)`` and ``nlp.pipe(n_process=2)`` (E871: only plain data pickles);
- ``doc._.quotes``, ``doc._.speakers``, ``doc._.saywho_metadata``: the same Quote and Speaker
  objects ``saywho.extract`` returns, computed from that data (getters, so never serialised).

The library parses each paragraph as its own Doc; a pipeline that parses the whole text lets
sentences, and the parse, run across paragraph breaks, so a few attributions differ (docs/spacy.md
has the figures). ``nlp.add_pipe("saywho_paragraphs", before="parser")`` starts a sentence at every
line break, as the library's parse does, and brings the two within a quote or so of each other.
Quote ids are q1..qn by position in both, so one quote found by only one of them renumbers the
quotes after it.
"""

# No `from __future__ import annotations`: spaCy reads the factory's signature to validate its
# config, and string annotations would leave `nlp: Language` an unresolved forward reference.
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from .errors import SaywhoError
from .ingest import layout
from .model import Article, Quote, Speaker
from .nlp import lazy_pipes
from .pipeline import analyse
from .types import Document, Paragraph, ParsedDocument

QUOTES_KEY = "saywho_quotes"
MENTIONS_KEY = "saywho_mentions"
USER_DATA_KEY = "saywho"


def article_of(doc: Doc) -> Article | None:
    """The article the component found in this Doc, rebuilt from ``doc.user_data``; None when the
    component has not run on it."""
    data = doc.user_data.get(USER_DATA_KEY)
    return Article.from_dict({"text": doc.text, **data}) if data is not None else None


def _quotes(doc: Doc) -> list[Quote] | None:
    article = article_of(doc)
    return article.quotes if article else None


def _speakers(doc: Doc) -> list[Speaker] | None:
    article = article_of(doc)
    return article.speakers if article else None


def _metadata(doc: Doc) -> dict[str, Any] | None:
    article = article_of(doc)
    return article.metadata if article else None


for _name, _getter in (("quotes", _quotes), ("speakers", _speakers), ("saywho_metadata", _metadata)):
    # force: a value extension of the same name, registered by an earlier saywho, would store
    # the objects in user_data again
    Doc.set_extension(_name, getter=_getter, force=True)


def _span(doc: Doc, start: int, end: int, label: str, span_id: str = "") -> Span | None:
    """The tokens covering the characters: a quote's content can end inside a token ("Yes."'s
    period) where the exact offsets are in user_data."""
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None or not len(span):
        return None
    if span_id:
        span.id_ = span_id
    return span


class SaywhoComponent:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        lazy_pipes(nlp)  # lemmas on demand, should the user's pipeline leave its lemmatizer out

    def __call__(self, doc: Doc) -> Doc:
        if not doc.has_annotation("DEP"):
            raise SaywhoError('the "saywho" component needs a dependency parse: add it after "parser"')
        regions, metadata = layout(doc.text)
        document = Document(doc.text, metadata, regions)
        paragraphs = []
        for region in document.quote_regions():
            span = doc.char_span(region.start, region.end, alignment_mode="expand")
            if span is not None and len(span):
                paragraphs.append(Paragraph(region, span, 0))
        article = analyse(ParsedDocument(document, paragraphs))
        data = article.to_dict()
        del data["text"]  # it is doc.text
        doc.user_data[USER_DATA_KEY] = data
        quote_spans = []
        for quote in article.quotes:
            label = quote.kind  # speech, thought, intent or stance
            span = _span(doc, quote.start, quote.end, label, quote.id)
            if span is not None:
                quote_spans.append(span)
        doc.spans[QUOTES_KEY] = quote_spans
        mention_spans = []
        for speaker in article.speakers:
            for mention in speaker.mentions:
                span = _span(doc, mention.start, mention.end, speaker.id)
                if span is not None:
                    mention_spans.append(span)
        doc.spans[MENTIONS_KEY] = sorted(mention_spans, key=lambda s: (s.start, s.end))
        return doc


@Language.factory(
    "saywho",
    requires=["token.dep", "token.head", "token.pos", "token.tag", "token.ent_type", "doc.ents"],
    assigns=["doc.spans", "doc._.quotes", "doc._.speakers", "doc._.saywho_metadata"],
)
def make_saywho(nlp: Language, name: str) -> SaywhoComponent:
    return SaywhoComponent(nlp, name)


@Language.component("saywho_paragraphs", assigns=["token.is_sent_start"])
def mark_paragraphs(doc: Doc) -> Doc:
    """A sentence starts after every line break, as in the library, which parses each line (a
    paragraph, a headline) on its own. Goes before the parser, which keeps these boundaries."""
    for previous, token in zip(doc, doc[1:], strict=False):
        if previous.is_space and "\n" in previous.text:
            token.is_sent_start = True
    return doc
