"""The library API: ingest -> NLP -> quote finding -> attribution -> speaker resolution."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language

from . import nlp as nlp_loader
from .attribution import attribute
from .errors import InputError
from .ingest import InputFormat, ingest
from .model import Article, Region
from .quotes import find_quotes
from .speakers import resolve_speakers
from .types import Document, Paragraph, ParsedDocument

# Long paragraphs are split for the parser's sake; the attribution rules never span this far.
MAX_PARAGRAPH_CHARS = 20_000
# Paragraphs per nlp.pipe batch: about 2,000 words, a sixth of 16 whole articles.
PARAGRAPHS_PER_BATCH = 64
# Articles parsed together in one nlp.pipe call, within this many characters.
ARTICLES_PER_PARSE = 8
CHARS_PER_PARSE = 200_000


class Extractor:
    """Holds one loaded spaCy pipeline; call it on articles, or ``pipe`` many."""

    def __init__(self, model: str | None = None, nlp: Language | None = None) -> None:
        self.nlp = nlp if nlp is not None else nlp_loader.load(model)
        self.model_name = model
        self.skipped_pipes = nlp_loader.lazy_pipes(self.nlp)

    def __call__(self, source: str | bytes, input_format: InputFormat = "auto") -> Article:
        return next(self.pipe([source], input_format=input_format))

    def pipe(
        self, sources: Iterable[str | bytes], input_format: InputFormat = "auto",
        batch_size: int = PARAGRAPHS_PER_BATCH, workers: int = 1,
    ) -> Iterator[Article]:
        """Extract from many articles, streaming, in order. An InputError is raised for a bad
        article when it is reached. Paragraphs, not whole articles, are parsed, ``batch_size`` to
        an nlp.pipe batch. ``workers > 1`` spreads articles over that many processes,
        each loading the model once."""
        if workers > 1:
            yield from _pipe_parallel(self.model_name, sources, input_format, batch_size, workers)
            return
        sources = iter(sources)
        while True:
            # Several articles share one nlp.pipe call: short articles fill a batch together.
            documents: list[Document] = []
            error: InputError | None = None
            size = 0
            for source in sources:
                try:
                    documents.append(ingest(source, input_format))
                except InputError as exc:
                    error = exc
                    break
                size += len(documents[-1].text)
                if len(documents) >= ARTICLES_PER_PARSE or size >= CHARS_PER_PARSE:
                    break
            for document, paragraphs in zip(documents, self.parse_many(documents, batch_size), strict=True):
                yield analyse(ParsedDocument(document, paragraphs))
            if error is not None:
                raise error
            if not documents:
                return

    def parse(self, document: Document, batch_size: int = PARAGRAPHS_PER_BATCH) -> ParsedDocument:
        """The NLP stage alone: the document's quote-bearing paragraphs parsed."""
        return ParsedDocument(document, self.parse_many([document], batch_size)[0])

    def parse_many(self, documents: list[Document], batch_size: int = PARAGRAPHS_PER_BATCH) -> list[list[Paragraph]]:
        """Each document's quote-bearing regions as parsed paragraphs, all in one nlp.pipe call."""
        pieces = []
        for n, document in enumerate(documents):
            for region in document.quote_regions():
                for start in range(region.start, region.end, MAX_PARAGRAPH_CHARS):
                    end = min(region.end, start + MAX_PARAGRAPH_CHARS)
                    pieces.append((n, Region(start, end, region.kind), document.text[start:end]))
        docs = self.nlp.pipe((text for _, _, text in pieces), batch_size=batch_size, disable=self.skipped_pipes)
        out: list[list[Paragraph]] = [[] for _ in documents]
        for (n, region, _), doc in zip(pieces, docs, strict=True):
            out[n].append(Paragraph(region, doc, region.start))
        return out


_worker: Extractor | None = None


def _init_worker(model: str | None) -> None:
    global _worker
    _worker = Extractor(model)


def _work(job: tuple[list[str | bytes], InputFormat, int]) -> list[Article | InputError]:
    """A chunk of articles, parsed together; a bad article becomes its error, in its place."""
    sources, input_format, batch_size = job
    assert _worker is not None
    out: list[Article | InputError] = []
    while len(out) < len(sources):
        try:
            out.extend(_worker.pipe(sources[len(out):], input_format, batch_size))
        except InputError as exc:
            out.append(exc)  # re-raised in the parent, in order
    return out


def _chunks(sources: Iterable[str | bytes], size: int) -> Iterator[list[str | bytes]]:
    chunk: list[str | bytes] = []
    for source in sources:
        chunk.append(source)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _pipe_parallel(
    model: str | None, sources: Iterable[str | bytes], input_format: InputFormat, batch_size: int, workers: int
) -> Iterator[Article]:
    import multiprocessing

    jobs = ((chunk, input_format, batch_size) for chunk in _chunks(sources, ARTICLES_PER_PARSE))
    # fork shares the already-imported code; spawn (other platforms) re-imports it per worker
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(workers, _init_worker, (model,)) as pool:
        for results in pool.imap(_work, jobs):
            for result in results:
                if isinstance(result, InputError):
                    raise result
                yield result


def analyse(parsed: ParsedDocument) -> Article:
    """Everything after parsing: quote finding, attribution, speaker resolution. Shared by the
    library API and the spaCy component."""
    document = parsed.document
    article = Article(document.text, dict(document.metadata), regions=list(document.regions))
    candidates = find_quotes(document)
    attributed = attribute(parsed, candidates)
    article.quotes, article.speakers = resolve_speakers(parsed, attributed)
    return article


_default: Extractor | None = None


def extract(source: str | bytes, input_format: InputFormat = "auto", model: str | None = None) -> Article:
    """Every quotation in one article and who said it. Raises ``InputError`` on unusable input."""
    global _default
    if model is not None:
        return Extractor(model)(source, input_format)
    if _default is None:
        _default = Extractor()
    return _default(source, input_format)
