"""The prose of docs/benchmarks.md that bench/run.py writes around its tables (kept apart so run.py stays
under 600 lines)."""

PAGES_NOTE = (
    "Every system reads the same input: saywho extracts the article text from the raw HTML page (its "
    "ingest), and the peers are given that text, so no system is helped or hurt by HTML extraction. "
    "The string gold is located in that text by its words (`word_anchor`); borderline and nested items "
    "are neutral (a prediction matching one is neither right nor wrong, counted in *discarded*).")


SPEECH_NOTE = (
    "This gold marks speech only. *saywho, kind=speech* is its default reader view and the scored row; "
    "*saywho, every kind* scores its thoughts, intents and stances too, for reference. The peers have no "
    "kinds: all their predictions are scored.")


CONFIDENCE_DOC = """\
How often a quote saywho reports is right, by the `confidence` it gives
(`src/saywho/attribution/confidence.py`, fitted on PolNeAR train only, so none of these files was
seen in training). Right = matched to a gold quote by the scorer above; fragments and quotes set
aside (boilerplate, borderline gold) are left out (`src/saywho/calibration.py`, shared with
`scripts/train_confidence.py --report`). PolNeAR dev scores every kind; the real pages and the
seed, speech (what their gold marks). The confidence is the reported one (two decimals), as
`--min-confidence` compares it. Target: precision ≥ 0.95 at confidence ≥ 0.8.
"""


METRIC_DOC = """\
Same scorer as `saywho eval` (`src/saywho/evaluate.py`, whose docstring is the reference). On
PolNeAR and the seed each system runs on the gold text exactly (plain text, no HTML), so offsets
agree. On the real pages saywho reads the raw HTML and every peer reads the text saywho extracted
from it; the gold strings are located in that text by their words.

* **Characters**: a gold quote is the union of its content fragments (PolNeAR `content_spans`; the
  seed's `content_start..content_end`); a prediction is `[start, end)`; whitespace is not counted.
  PolNeAR predictions lying ≥ 50% inside `metadata.discard_spans` are ignored.
* **Match (half-overlap)**: `|P∩G| ≥ 0.5·min(|P|, |G|)`; one-to-one, greedy by overlap size.
  **Exact**: equal after stripping a leading "that ", trailing `.,;:!?` and quotation marks.
* **Fragments**: an unmatched prediction ≥ 50% inside an already matched gold quote (an
  interrupted quote reported in pieces) is neither TP nor FP.
* **Quote P/R/F1**: P = TP / (predictions − fragments), R = TP / gold.
* **Speaker correct** (per matched pair): neither has a speaker; or the predicted mention, or any
  mention of the predicted speaker entity, overlaps the gold speaker span; or the seed's canonical
  name matches the predicted name (last content token of one found in the other, or equal head
  nouns for descriptions); or, without a canonical name, the predicted name shares a capitalized
  non-stop-word token with the gold speaker text. **Speaker accuracy** = correct / matched.
* **End to end**: TP = matched pairs with a correct speaker; P, R, F1 as above.
* Counts are summed over a file's articles (micro-average).

PolNeAR annotates every *attribution* (beliefs, polls, "according to" included), so indirect
recall against it is low for any quotation extractor; its quote type is derived from quotation
marks (see `shared/data/polnear/DATA.md`). The seed gold is one article; treat its numbers as a
sanity check, not a measurement. The seed and the real pages mark speech only: saywho's
`kind=speech` quotes are scored against them (what readers see by default), and every peer
prediction (the peers have no kinds).

### The Gender Gap Tracker's metric

The SFU Gender Gap Tracker's own quote metric (its `evaluate_quotes.py`), implemented in
`src/saywho/evaluate_ggt.py` on the same characters (whitespace left out):

* The score of a prediction for a gold quote is `|G∩P| / |G|`. Gold quotes in article order each
  take the not-yet-taken prediction with the highest score strictly above the threshold, 0.3 or
  0.8 (greedy; no fragments: every prediction left over is a false positive).
* P = TP / predictions, R = TP / gold. **Speaker** = matched pairs whose predicted mention overlaps
  the gold speaker span (or neither names a speaker) / TP. The real pages give the mention as a
  string: it is located in the text with `word_anchor` (any occurrence outside the quote within 200
  characters of it counts, as the string does not say which); where it cannot be (no mention, or
  none near), the names must agree as in saywho's metric.
* Added for the data: predictions in PolNeAR's discard spans are dropped, and a left-over
  prediction matching a borderline or nested real-pages item is not counted.
"""
