"""Scoring extracted quotations against gold annotations (``saywho eval``, ``bench/run.py``).

Gold comes in three shapes, all read into one ``GoldArticle``:

* the seed format (``*.gold.json``): one article object whose quotes give
  ``content_start``/``content_end``, the speaker span and a ``speaker_canonical`` name; the text
  is the object's ``text`` or, when absent, the ``.txt`` file of the same stem;
* PolNeAR (``*.jsonl``): one article per line, quotes with ``content_spans`` (fragments: an
  interrupted quote's covering span holds its own cue and source), ``speaker_start``/``end``
  (may be null) and ``metadata.discard_spans`` (boilerplate the annotators set aside);
* real pages (``data/aeb/quotes-dev.jsonl``): one page a line, ``page`` the raw HTML beside the
  file, quotes as verbatim strings (``content`` or its interrupted ``parts``, the resolved
  ``speaker`` name, the ``mention``), plus ``borderline`` and ``nested_quotes`` items. The system
  reads the HTML; each string is then found in the text it extracted by its words
  (``word_anchor``). A prediction matching a borderline or nested item and no scored quote is
  neither right nor wrong (counted as discarded); a scored quote not found in the text is a miss.

Kinds: the seed and the real pages annotate speech only, so only predictions of kind
``speech`` are scored against them; PolNeAR annotates every attribution, so every kind is.

The metric, per article (the system is run on the gold text exactly, so offsets agree):

1. Characters. A gold quote is the union of its content fragments, a prediction is
   ``[start, end)``; whitespace characters are left out of both. For PolNeAR, a prediction
   with >= 50% of its characters inside ``discard_spans`` is ignored (neither TP nor FP).
2. Match ("half-overlap"). P and G match when ``|P & G| >= 0.5 * min(|P|, |G|)`` (and > 0).
   *Exact* when, after stripping a leading "that ", trailing ``.,;:!?`` and quotation marks
   at both ends of each span, the character sets are equal.
3. Assignment is one-to-one, greedy by descending overlap size. Afterwards an unmatched
   prediction with >= 50% of its characters inside an already matched gold quote is a
   *fragment* of it (an interrupted quote reported as two pieces): neither TP nor FP.
4. Quote P = TP / (predictions - fragments), R = TP / gold, F1 their harmonic mean.
5. The speaker of a matched pair is correct when: neither has a speaker; or the predicted
   mention overlaps the gold speaker span; or any mention of the predicted speaker entity
   overlaps it; or (gold ``speaker_canonical`` given) the canonical name and the predicted
   speaker's name agree by token (the last content token of one is a token of the other;
   for descriptions, the head nouns are equal); or (no canonical) the predicted speaker's
   name shares a capitalized, non-stop-word token with the gold ``speaker_text``.
   Speaker accuracy = correct / matched pairs.
6. End to end: TP_e2e = matched pairs with a correct speaker; P, R, F1 as in 4.
7. By quote type: recall and e2e recall per *gold* type; precision and e2e precision per
   *predicted* type (fragments are removed from the predicted type they carry).

Counts are summed over the articles of a file (micro-average) and over all files.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import Article, Quote
from .names import capitalized_tokens, names_agree
from .word_anchor import WordIndex

if TYPE_CHECKING:
    from .ingest import InputFormat
    from .pipeline import Extractor

QUOTE_TYPES = ("direct", "mixed", "indirect")
MATCH_RATIO = 0.5  # half-overlap; also the share that makes a fragment or a discarded prediction
QUOTE_MARKS = "\"'“”‘’«»„‹›`"
TRAILING_PUNCT = ".,;:!?"
CONTEXT_CHARS = 80

Chars = frozenset[int]


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldQuote:
    spans: tuple[tuple[int, int], ...]
    speaker_span: tuple[int, int] | None
    speaker_text: str | None
    speaker_canonical: str | None
    type: str
    flags: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def has_speaker(self) -> bool:
        return self.speaker_span is not None or bool(self.speaker_canonical)


@dataclass
class GoldArticle:
    id: str
    text: str
    quotes: list[GoldQuote]
    metadata: dict[str, Any] = field(default_factory=dict)
    kinds: frozenset[str] | None = None  # the quote kinds this gold annotates; None: every kind
    page: bytes | None = None  # the raw page the system reads, for gold given as strings
    strings: dict[str, Any] | None = None  # that gold's record, located in the text by ``anchored``

    @property
    def discard_spans(self) -> list[tuple[int, int]]:
        return [(int(s), int(e)) for s, e in self.metadata.get("discard_spans") or []]

    @property
    def neutral_spans(self) -> list[tuple[tuple[int, int], ...]]:
        return self.metadata.get("neutral_spans") or []


SPEECH = frozenset({"speech"})


_FLAG_KEYS = ("continuation", "nested", "pullquote", "multi_paragraph", "interrupted", "region", "cue",
              "cue_start", "cue_end", "id", "polnear_label")


def _gold_quote(q: dict[str, Any]) -> GoldQuote:
    if q.get("content_spans"):
        spans = tuple((int(s), int(e)) for s, e in q["content_spans"])
    else:
        spans = ((int(q["content_start"]), int(q["content_end"])),)
    speaker_span = None
    if q.get("speaker_start") is not None and q.get("speaker_end") is not None:
        speaker_span = (int(q["speaker_start"]), int(q["speaker_end"]))
    return GoldQuote(
        spans=spans,
        speaker_span=speaker_span,
        speaker_text=q.get("speaker_text"),
        speaker_canonical=q.get("speaker_canonical") or None,
        type=q.get("type") or "direct",
        flags={k: q[k] for k in _FLAG_KEYS if q.get(k) is not None},
    )


def gold_article(record: dict[str, Any], text: str | None = None) -> GoldArticle:
    """One gold article from a seed object or a PolNeAR line (``text`` overrides ``record``)."""
    text = text if text is not None else record.get("text")
    if text is None:
        raise ValueError(f"gold article {record.get('id')!r} has no text")
    metadata = dict(record.get("metadata") or {})
    if "speakers" in record:
        metadata.setdefault("gold_speakers", record["speakers"])
    quotes = [_gold_quote(q) for q in record.get("quotes", [])]
    return GoldArticle(str(record.get("id", "")), text, quotes, metadata)


def load_gold(path: str | Path) -> list[GoldArticle]:
    """All gold articles of a ``.gold.json`` (seed) or ``.jsonl`` (one article a line) file."""
    path = Path(path)
    if path.suffix == ".jsonl":
        articles = []
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    record = json.loads(line)
                    record.setdefault("id", f"{path.stem}:{n}")
                    articles.append(page_gold(record, path.parent) if "page" in record and "text" not in record
                                    else gold_article(record))
        return articles
    record = json.loads(path.read_text(encoding="utf-8"))
    records = record if isinstance(record, list) else [record]
    out = []
    for r in records:
        text = r.get("text")
        if text is None:
            # The seed convention: x.gold.json annotates x.txt beside it.
            stem = path.name.removesuffix(".json").removesuffix(".gold")
            text = (path.parent / f"{stem}.txt").read_text(encoding="utf-8")
        r.setdefault("id", path.name.removesuffix(".json").removesuffix(".gold"))
        out.append(replace(gold_article(r, text), kinds=SPEECH))  # the seed annotates speech only
    return out


def page_gold(record: dict[str, Any], folder: Path) -> GoldArticle:
    """A real page with string gold: the page is read now, the strings located after extraction."""
    page = (folder / record["page"]).read_bytes()
    if record["page"].endswith(".gz"):
        page = gzip.decompress(page)
    return GoldArticle(str(record["id"]), "", [], kinds=SPEECH, page=page, strings=record)


def _string_quote(q: dict[str, Any], index: WordIndex, after: int) -> GoldQuote:
    pieces = q.get("parts") or [q["content"]]
    spans = []
    for piece in pieces:
        found = index.find(piece, after)
        if found is not None:
            # A string that occurs more than once (a pull quote, a repeated sentence) could be any of
            # them: every occurrence belongs to the gold quote, so whichever one is extracted matches.
            spans.extend(sorted({found, *index.find_all(piece)}))
            after = found[1]
    flags = {k: q[k] for k in ("continuation", "multi_paragraph", "cue", "note") if q.get(k) is not None}
    if q.get("parts"):
        flags["interrupted"] = True
    return GoldQuote(
        spans=tuple(spans), speaker_span=None, speaker_text=q.get("mention"),
        speaker_canonical=q.get("speaker") or None, type=q.get("type") or "direct", flags=flags,
    )


def anchored(gold: GoldArticle, text: str) -> GoldArticle:
    """String gold located in ``text`` (what the system extracted from the page); other gold as is."""
    if gold.strings is None:
        return gold
    index = WordIndex(text)
    quotes, after = [], 0
    for q in gold.strings.get("quotes", []):
        quote = _string_quote(q, index, after)
        quotes.append(quote)
        if quote.spans:
            after = quote.spans[0][0]
    neutral = [g.spans for q in gold.strings.get("borderline", []) + gold.strings.get("nested_quotes", [])
               if (g := _string_quote(q, index, 0)).spans]
    metadata = {"neutral_spans": neutral, "url": gold.strings.get("url"), "outlet": gold.strings.get("outlet")}
    return replace(gold, text=text, quotes=quotes, metadata=metadata)


def of_kinds(article: Article, kinds: frozenset[str] | None) -> Article:
    """The article with only the quotes of the given kinds (all of them for ``None``)."""
    if kinds is None:
        return article
    return replace(article, quotes=[q for q in article.quotes if q.kind in kinds])


# --------------------------------------------------------------------------- characters


def chars(text: str, spans: Iterable[tuple[int, int]]) -> Chars:
    """Offsets covered by the spans, whitespace left out."""
    n = len(text)
    return frozenset(i for s, e in spans for i in range(max(s, 0), min(e, n)) if not text[i].isspace())


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    """The span without outer quotation marks, a leading "that " and trailing punctuation."""
    while True:
        s0, e0 = s, e
        while s < e and (text[s].isspace() or text[s] in QUOTE_MARKS):
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in QUOTE_MARKS + TRAILING_PUNCT):
            e -= 1
        if text[s:s + 5].lower() == "that " and e - s > 5:
            s += 5
        if (s, e) == (s0, e0):
            return s, e


def exact_chars(text: str, spans: Iterable[tuple[int, int]]) -> Chars:
    return chars(text, (_strip_span(text, s, e) for s, e in spans))


def _inside(part: Chars, whole: Chars) -> bool:
    """At least half of ``part`` lies in ``whole``."""
    return bool(part) and len(part & whole) >= MATCH_RATIO * len(part)


# --------------------------------------------------------------------------- speakers


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def speaker_correct(gold: GoldQuote, pred: Quote, article: Article) -> bool:
    """The rules of the module docstring, item 5."""
    entity = article.speaker(pred.speaker_id)
    if not gold.has_speaker:
        return pred.speaker is None and entity is None
    if pred.speaker is None and entity is None:
        return False
    if gold.speaker_span is not None:
        if pred.speaker is not None and _overlaps((pred.speaker.start, pred.speaker.end), gold.speaker_span):
            return True
        mentions = entity.mentions if entity is not None else []
        if any(_overlaps((m.start, m.end), gold.speaker_span) for m in mentions):
            return True
    name = entity.name if entity is not None else (pred.speaker.text if pred.speaker else None)
    if gold.speaker_canonical:
        return names_agree(gold.speaker_canonical, name)
    return bool(capitalized_tokens(gold.speaker_text) & capitalized_tokens(name))


# --------------------------------------------------------------------------- matching


@dataclass
class Pair:
    gold: int
    pred: int
    overlap: int
    exact: bool
    speaker_ok: bool


@dataclass
class ArticleResult:
    """How one article's predictions line up with its gold quotes."""

    gold: GoldArticle
    article: Article
    preds: list[int]  # indices into article.quotes that were scored (discarded ones left out)
    pairs: list[Pair]
    fragments: dict[int, int]  # prediction index -> gold index it is a piece of
    discarded: list[int]

    @property
    def false_positives(self) -> list[int]:
        matched = {p.pred for p in self.pairs}
        return [i for i in self.preds if i not in matched and i not in self.fragments]

    @property
    def misses(self) -> list[int]:
        matched = {p.gold for p in self.pairs}
        return [i for i in range(len(self.gold.quotes)) if i not in matched]


def match_article(gold: GoldArticle, article: Article) -> ArticleResult:
    """One-to-one half-overlap matching of an article's predictions to its gold quotes."""
    text = gold.text
    gold_chars = [chars(text, q.spans) for q in gold.quotes]
    discard = chars(text, gold.discard_spans)
    pred_chars: dict[int, Chars] = {}
    discarded = []
    for i, q in enumerate(article.quotes):
        c = chars(text, [(q.start, q.end)])
        if discard and _inside(c, discard):
            discarded.append(i)
        else:
            pred_chars[i] = c
    candidates = []
    for gi, g in enumerate(gold_chars):
        if not g:
            continue
        lo, hi = min(g), max(g)
        for pi, p in pred_chars.items():
            if not p or max(p) < lo or min(p) > hi:
                continue
            overlap = len(p & g)
            if overlap and overlap >= MATCH_RATIO * min(len(p), len(g)):
                # most shared characters first; of equal overlaps the closest in extent (a report
                # nested in a report's gold matches the inner prediction, not the outer one)
                candidates.append((-overlap, len(p | g), gi, pi))
    candidates.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for neg, _, gi, pi in candidates:
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        gq, pq = gold.quotes[gi], article.quotes[pi]
        exact = exact_chars(text, gq.spans) == exact_chars(text, [(pq.start, pq.end)])
        pairs.append(Pair(gi, pi, -neg, exact, speaker_correct(gq, pq, article)))
    fragments = {}
    for pi, p in pred_chars.items():
        if pi in used_pred:
            continue
        owner = max(used_gold, key=lambda gi: (len(p & gold_chars[gi]), -gi), default=None)
        if owner is not None and _inside(p, gold_chars[owner]):
            fragments[pi] = owner
    pairs.sort(key=lambda p: p.gold)
    scored = list(pred_chars)
    if gold.neutral_spans:
        # A prediction that matches only a borderline or nested gold item is neither right nor wrong.
        neutral = [chars(text, spans) for spans in gold.neutral_spans]
        for pi in scored:
            p = pred_chars[pi]
            if pi in used_pred or pi in fragments or not p:
                continue
            if any(n and len(p & n) >= MATCH_RATIO * min(len(p), len(n)) for n in neutral):
                discarded.append(pi)
        scored = [pi for pi in scored if pi not in discarded]
    return ArticleResult(gold, article, scored, pairs, fragments, discarded)


# --------------------------------------------------------------------------- counting


@dataclass
class TypeCounts:
    gold: int = 0
    tp_gold: int = 0  # matched pairs, by gold type
    e2e_gold: int = 0
    preds: int = 0  # scored predictions minus fragments, by predicted type
    tp_pred: int = 0
    e2e_pred: int = 0

    def add(self, other: TypeCounts) -> None:
        for k in self.__dataclass_fields__:
            setattr(self, k, getattr(self, k) + getattr(other, k))


@dataclass
class Counts:
    articles: int = 0
    failed: int = 0  # articles the system raised InputError on (scored as no predictions)
    gold: int = 0
    preds: int = 0  # scored predictions, fragments included
    fragments: int = 0
    discarded: int = 0
    tp: int = 0
    exact: int = 0
    e2e: int = 0
    by_type: dict[str, TypeCounts] = field(default_factory=lambda: {t: TypeCounts() for t in QUOTE_TYPES})
    by_kind: dict[str, TypeCounts] = field(default_factory=dict)  # predicted kinds (gold has none)

    def add(self, other: Counts) -> None:
        for k in self.__dataclass_fields__:
            if k not in ("by_type", "by_kind"):
                setattr(self, k, getattr(self, k) + getattr(other, k))
        for t, c in other.by_type.items():
            self.by_type.setdefault(t, TypeCounts()).add(c)
        for t, c in other.by_kind.items():
            self.by_kind.setdefault(t, TypeCounts()).add(c)

    def add_result(self, r: ArticleResult) -> None:
        self.articles += 1
        self.gold += len(r.gold.quotes)
        self.preds += len(r.preds)
        self.fragments += len(r.fragments)
        self.discarded += len(r.discarded)
        self.tp += len(r.pairs)
        self.exact += sum(p.exact for p in r.pairs)
        self.e2e += sum(p.speaker_ok for p in r.pairs)
        for q in r.gold.quotes:
            self.by_type.setdefault(q.type, TypeCounts()).gold += 1
        for i in r.preds:
            if i not in r.fragments:
                self.by_type.setdefault(r.article.quotes[i].type, TypeCounts()).preds += 1
                self.by_kind.setdefault(r.article.quotes[i].kind, TypeCounts()).preds += 1
        for p in r.pairs:
            k = self.by_kind.setdefault(r.article.quotes[p.pred].kind, TypeCounts())
            k.tp_pred += 1
            k.e2e_pred += p.speaker_ok
            g = self.by_type.setdefault(r.gold.quotes[p.gold].type, TypeCounts())
            g.tp_gold += 1
            g.e2e_gold += p.speaker_ok
            q = self.by_type.setdefault(r.article.quotes[p.pred].type, TypeCounts())
            q.tp_pred += 1
            q.e2e_pred += p.speaker_ok

    def metrics(self) -> dict[str, Any]:
        scored = self.preds - self.fragments
        out: dict[str, Any] = {
            "articles": self.articles, "failed": self.failed, "gold": self.gold, "predicted": self.preds,
            "fragments": self.fragments, "discarded": self.discarded, "matched": self.tp,
            "exact": self.exact, "speaker_correct": self.e2e,
            "quote": prf(self.tp, scored, self.gold),
            "exact_match": prf(self.exact, scored, self.gold),
            "speaker_accuracy": ratio(self.e2e, self.tp),
            "end_to_end": prf(self.e2e, scored, self.gold),
            "by_type": {},
            "by_kind": {
                k: {"predicted": c.preds, "quote": {"precision": ratio(c.tp_pred, c.preds)},
                    "end_to_end": {"precision": ratio(c.e2e_pred, c.preds)}}
                for k, c in sorted(self.by_kind.items())
            },
        }
        for t, c in self.by_type.items():
            out["by_type"][t] = {
                "gold": c.gold, "predicted": c.preds,
                "quote": {"precision": ratio(c.tp_pred, c.preds), "recall": ratio(c.tp_gold, c.gold)},
                "end_to_end": {"precision": ratio(c.e2e_pred, c.preds), "recall": ratio(c.e2e_gold, c.gold)},
                "speaker_accuracy": ratio(c.e2e_gold, c.tp_gold),
            }
        return out


def ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def prf(tp: int, predicted: int, gold: int) -> dict[str, float | None]:
    p, r = ratio(tp, predicted), ratio(tp, gold)
    f: float | None = None
    if p is not None and r is not None:
        f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


GOLD_KINDS: Any = object()  # score the kinds each gold file annotates


def score(
    gold: Sequence[GoldArticle], predictions: Iterable[Article | None], kinds: frozenset[str] | None = GOLD_KINDS,
) -> tuple[Counts, list[ArticleResult]]:
    """Match and count a file's articles; ``None`` stands for an article the system failed on.
    Only predictions of ``kinds`` are scored: by default the kinds the gold annotates (speech for
    the seed and the real pages, every kind for PolNeAR); ``None`` scores every kind."""
    counts = Counts()
    results = []
    for g, article in zip(gold, predictions, strict=True):
        failed = article is None
        if article is None:
            article = Article(g.text)
        g = anchored(g, article.text)
        r = match_article(g, of_kinds(article, g.kinds if kinds is GOLD_KINDS else kinds))
        counts.add_result(r)
        counts.failed += failed
        results.append(r)
    return counts, results


# --------------------------------------------------------------------------- running the system


def predict_gold(
    extractor: Extractor, gold: Sequence[GoldArticle], advance: Callable[[int], None] | None = None,
) -> list[Article | None]:
    """Run the extractor on each gold article's input: its raw page where the gold has one (read as
    the format it is), else its text exactly (as plain text, so offsets agree)."""
    if any(g.page is not None for g in gold):
        return [predict(extractor, [g.page], advance, "auto")[0] if g.page is not None
                else predict(extractor, [g.text], advance)[0] for g in gold]
    return predict(extractor, [g.text for g in gold], advance)


def predict(
    extractor: Extractor, texts: Sequence[str | bytes], advance: Callable[[int], None] | None = None,
    input_format: InputFormat = "text",
) -> list[Article | None]:
    """Run the extractor over the texts (plain text unless told); an article it rejects becomes
    ``None`` and the rest still run (``pipe(on_error="return")`` puts the error in its place)."""
    from .errors import InputError

    out: list[Article | None] = []
    for result in extractor.pipe(texts, input_format=input_format, on_error="return"):
        out.append(None if isinstance(result, InputError) else result)
        if advance:
            advance(1)
    return out


# --------------------------------------------------------------------------- error analysis


_ERROR_FLAGS = ("continuation", "nested", "pullquote", "interrupted", "cue")


def _context(text: str, s: int, e: int) -> str:
    return text[max(0, s - CONTEXT_CHARS):min(len(text), e + CONTEXT_CHARS)]


def _gold_dict(text: str, q: GoldQuote) -> dict[str, Any]:
    flags = {k: v for k, v in q.flags.items() if k in _ERROR_FLAGS}
    return {
        "text": " … ".join(text[s:e] for s, e in q.spans), "spans": [list(s) for s in q.spans],
        "type": q.type, "speaker": q.speaker_text, "speaker_canonical": q.speaker_canonical, **flags,
    }


def _pred_dict(article: Article, q: Quote) -> dict[str, Any]:
    entity = article.speaker(q.speaker_id)
    return {
        "text": q.text, "start": q.start, "end": q.end, "type": q.type,
        "cue": q.cue.text if q.cue else None,
        "speaker_mention": q.speaker.text if q.speaker else None,
        "speaker": entity.name if entity else None,
    }


def error_rows(source: str, results: Iterable[ArticleResult]) -> Iterator[dict[str, Any]]:
    """Misses, false positives and wrong speakers, each with the text around it."""
    for r in results:
        text, quotes = r.gold.text, r.article.quotes
        base = {"file": source, "article_id": r.gold.id}
        for gi in r.misses:
            g = r.gold.quotes[gi]
            s, e = g.spans[0][0], g.spans[-1][1]
            yield {**base, "kind": "miss", "gold": _gold_dict(text, g), "pred": None,
                   "context": _context(text, s, e)}
        for pi in r.false_positives:
            q = quotes[pi]
            yield {**base, "kind": "false_positive", "gold": None, "pred": _pred_dict(r.article, q),
                   "context": _context(text, q.start, q.end)}
        for p in r.pairs:
            if not p.speaker_ok:
                g, q = r.gold.quotes[p.gold], quotes[p.pred]
                s, e = min(g.spans[0][0], q.start), max(g.spans[-1][1], q.end)
                yield {**base, "kind": "wrong_speaker", "gold": _gold_dict(text, g),
                       "pred": _pred_dict(r.article, q), "context": _context(text, s, e)}
