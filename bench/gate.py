"""What a sentence gate would save and miss: parse (and tag entities in) only the sentences that
can hold an attribution.

A sentence can hold one when it has a quotation mark or a colon, or a word whose lemma is a cue:
the lexicon's verbs, nouns, adverbs and prepositions of saying, and every lemma the shipped cue and
predicate models weigh towards attribution (``lemma=X`` with a positive weight). Lemmas here come
from the full parse, which a real gate would not have before parsing, so the share of words kept
is a lower bound for any lexical gate and the misses an upper bound on its recall.

Measured against saywho's own output on the same texts: the share of its quotes whose cue word
lies in a sentence the gate drops. Prints a Markdown table (docs/benchmarks.md#gate):

    python bench/gate.py [--articles 300]
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

from saywho import Extractor
from saywho.attribution import learned
from saywho.ingest import ingest
from saywho.lexicon import CUE_LEMMAS, HEARSAY_ADVERBS, NOMINAL_CUE_PREPS, NOUN_CUE_LEMMAS
from saywho.nlp import lemma_of

SHARED = Path(__file__).resolve().parents[2] / "shared"
MARKS = frozenset('"“”‘’\'«»„:')


def cue_lemmas(min_weight: float) -> frozenset[str]:
    lemmas = set(CUE_LEMMAS | NOUN_CUE_LEMMAS | HEARSAY_ADVERBS | NOMINAL_CUE_PREPS | {"according"})
    for model in learned.models().values():
        lemmas.update(k[len("lemma="):].split("_")[0] for k, w in model.weights.items()
                      if k.startswith("lemma=") and w > min_weight)
    return frozenset(lemmas)


def polnear(n: int) -> list[str]:
    with (SHARED / "data" / "polnear" / "train.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh if line.strip()][:n]


def pages() -> list[bytes]:
    out = []
    folder = SHARED / "data" / "aeb"
    with (folder / "quotes-dev.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            page = (folder / json.loads(line)["page"]).read_bytes()
            out.append(gzip.decompress(page) if page[:2] == b"\x1f\x8b" else page)
    return out


def measure(extractor: Extractor, sources: list[str] | list[bytes], lemmas: frozenset[str]) -> tuple[float, float, int]:
    """(share of parsed words kept, share of saywho's cues missed, cues)."""
    words = kept = cues = missed = 0
    for source in sources:
        article = extractor(source)
        parsed = extractor.parse(ingest(source, "auto"))
        cue_starts = [q.cue.start for q in article.quotes if q.cue is not None]
        for paragraph in parsed.paragraphs:
            for sent in paragraph.doc.sents:
                n = sum(1 for t in sent if not t.is_space)
                start, end = paragraph.offset + sent.start_char, paragraph.offset + sent.end_char
                inside = sum(1 for c in cue_starts if start <= c < end)
                keep = any(t.text in MARKS or lemma_of(t) in lemmas for t in sent)
                words += n
                cues += inside
                kept += n if keep else 0
                missed += 0 if keep else inside
    return kept / max(words, 1), missed / max(cues, 1), cues


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300, help="PolNeAR train articles")
    args = parser.parse_args()
    extractor = Extractor()
    sets = {f"PolNeAR train ({args.articles} articles)": polnear(args.articles), "real pages (38)": pages()}
    print("| gate: lemmas weighted above | texts | words kept | saywho cues | cues missed |")
    print("|---:|---|---:|---:|---:|")
    for min_weight in (0.0, 0.5, 1.0):
        lemmas = cue_lemmas(min_weight)
        for name, sources in sets.items():
            kept, missed, cues = measure(extractor, sources, lemmas)
            print(f"| {min_weight} ({len(lemmas)} lemmas) | {name} | {kept:.1%} | {cues} | {missed:.1%} |")


if __name__ == "__main__":
    main()
