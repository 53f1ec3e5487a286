"""`nlp.add_pipe("saywho")`: quotes and speakers on a user's own spaCy Doc.

The component reuses the parse and entities the pipeline already computed, so it must come
after the parser and NER. It reads the Doc's text with the same layout rules as the library
(scraped-page furniture is skipped) and sets ``doc._.quotes`` and ``doc._.speakers`` to the
same Quote and Speaker objects ``saywho.extract`` returns, offsets indexing ``doc.text``.

The library parses each paragraph as its own Doc; here spaCy has parsed the whole text at once,
so a few parses, and with them a few attributions, differ (on the bundled example 49 of 54
quotes are identical). Mentions and reported clauses are kept inside their paragraph either way.
"""


from spacy.language import Language
from spacy.tokens import Doc

from .errors import SaywhoError
from .ingest import layout
from .nlp import lazy_pipes
from .pipeline import analyse
from .types import Document, Paragraph, ParsedDocument

for _name in ("quotes", "speakers", "saywho_metadata"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


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
        doc._.quotes = article.quotes
        doc._.speakers = article.speakers
        doc._.saywho_metadata = article.metadata
        return doc


@Language.factory("saywho")
def make_saywho(nlp: Language, name: str) -> SaywhoComponent:
    return SaywhoComponent(nlp, name)
