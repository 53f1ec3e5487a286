"""The library API: ingest -> NLP -> quote finding -> attribution -> speaker resolution."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Literal, overload

from spacy.language import Language

from . import nlp as nlp_loader
from .attribute_lookup import RULER, compile_ruler
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
# spaCy's tokenizer splits a run of punctuation one character at a time, rescanning the run each
# time: quadratic (10,000 quotation marks took 13 s). The parser gets such runs cut into pieces
# of this many characters by spaces, same length, so every offset still holds.
MAX_PUNCT_RUN = 16
_PUNCT_RUN = re.compile(rf"(?:[^\w\s]|_){{{MAX_PUNCT_RUN + 1},}}")
OnError = Literal["raise", "skip", "return"]


def for_tokenizer(text: str) -> str:
    """``text`` with every run of punctuation longer than MAX_PUNCT_RUN broken by spaces (one
    in every MAX_PUNCT_RUN + 1 characters), the same length: what the parser reads."""
    if not _PUNCT_RUN.search(text):
        return text

    def cut(m: re.Match[str]) -> str:
        run = list(m.group())
        for i in range(MAX_PUNCT_RUN, len(run), MAX_PUNCT_RUN + 1):
            run[i] = " "
        return "".join(run)

    return _PUNCT_RUN.sub(cut, text)


class Extractor:
    """Holds one loaded spaCy pipeline; call it on articles, or ``pipe`` many."""

    def __init__(self, model: str | None = None, nlp: Language | None = None) -> None:
        self.nlp = nlp if nlp is not None else nlp_loader.load(model)
        self.model_name = model
        self.skipped_pipes = nlp_loader.lazy_pipes(self.nlp)
        # The attribute ruler's patterns as a lookup, applied to each parsed Doc (same tags).
        self.attribute_lookup = compile_ruler(self.nlp)
        if self.attribute_lookup is not None:
            self.skipped_pipes.append(RULER)

    def __call__(self, source: str | bytes, input_format: InputFormat = "auto") -> Article:
        return next(self.pipe([source], input_format=input_format))

    @overload
    def pipe(
        self, sources: Iterable[str | bytes], input_format: InputFormat = ..., batch_size: int = ...,
        workers: int = ..., on_error: Literal["raise", "skip"] = ...,
    ) -> Iterator[Article]: ...

    @overload
    def pipe(
        self, sources: Iterable[str | bytes], input_format: InputFormat = ..., batch_size: int = ...,
        workers: int = ..., *, on_error: Literal["return"],
    ) -> Iterator[Article | InputError]: ...

    def pipe(
        self, sources: Iterable[str | bytes], input_format: InputFormat = "auto",
        batch_size: int = PARAGRAPHS_PER_BATCH, workers: int = 1, on_error: OnError = "raise",
    ) -> Iterator[Article] | Iterator[Article | InputError]:
        """Extract from many articles, streaming, in order. A bad article (InputError) is, by
        ``on_error``: ``"raise"``d when it is reached (the stream ends there), ``"skip"``ped, or
        ``"return"``ed in its place, so one output per input. Paragraphs, not whole articles, are
        parsed, ``batch_size`` to an nlp.pipe batch. ``workers > 1`` spreads articles over that
        many processes, each loading the model once."""
        if on_error not in ("raise", "skip", "return"):
            raise ValueError(f"on_error must be 'raise', 'skip' or 'return', not {on_error!r}")
        if workers > 1:
            results = _pipe_parallel(self.model_name, sources, input_format, batch_size, workers)
        else:
            results = self._pipe_serial(sources, input_format, batch_size)
        return _handle_errors(results, on_error)

    def _pipe_serial(
        self, sources: Iterable[str | bytes], input_format: InputFormat, batch_size: int
    ) -> Iterator[Article | InputError]:
        """One result per source, a bad article as its InputError, in order."""
        sources = iter(sources)
        while True:
            # Several articles share one nlp.pipe call: short articles fill a batch together.
            documents: list[Document | InputError] = []
            size = 0
            for source in sources:
                try:
                    document: Document | InputError = ingest(source, input_format)
                except InputError as exc:
                    document = exc
                documents.append(document)
                size += len(document.text) if isinstance(document, Document) else 0
                if len(documents) >= ARTICLES_PER_PARSE or size >= CHARS_PER_PARSE:
                    break
            if not documents:
                return
            good = [d for d in documents if isinstance(d, Document)]
            parsed = iter(self.parse_many(good, batch_size))
            for document in documents:
                if isinstance(document, InputError):
                    yield document
                else:
                    yield analyse(ParsedDocument(document, next(parsed)))

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
                    pieces.append((n, Region(start, end, region.kind), for_tokenizer(document.text[start:end])))
        docs = self.nlp.pipe((text for _, _, text in pieces), batch_size=batch_size, disable=self.skipped_pipes)
        if self.attribute_lookup is not None:
            docs = map(self.attribute_lookup, docs)
        out: list[list[Paragraph]] = [[] for _ in documents]
        with nlp_loader.single_threaded_blas():
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
    return list(_worker.pipe(sources, input_format, batch_size, on_error="return"))


def _handle_errors(results: Iterator[Article | InputError], on_error: OnError) -> Iterator[Article | InputError]:
    for result in results:
        if isinstance(result, InputError):
            if on_error == "raise":
                raise result
            if on_error == "skip":
                continue
        yield result


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
) -> Iterator[Article | InputError]:
    import multiprocessing

    jobs = ((chunk, input_format, batch_size) for chunk in _chunks(sources, ARTICLES_PER_PARSE))
    # fork shares the already-imported code; spawn (other platforms) re-imports it per worker
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(workers, _init_worker, (model,)) as pool:
        for results in pool.imap(_work, jobs):
            yield from results


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
