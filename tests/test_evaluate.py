"""The scorer: metric rules on hand-made gold/prediction pairs, and `saywho eval` on the seed gold."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from saywho import evaluate as ev
from saywho.errors import InputError
from saywho.model import Article, Quote, Span, Speaker
from saywho.names import names_agree

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "examples" / "mee-mosul-foreign-fighters.gold.json"
POLNEAR_DEV = SHARED / "data" / "polnear" / "dev.jsonl"


def gold_quote(text: str, content: str | list[str], speaker: str | None = None, canonical: str | None = None,
               type: str = "direct", occurrence: int = 0) -> ev.GoldQuote:
    """A gold quote located by its strings (the n-th occurrence of the first fragment)."""
    fragments = [content] if isinstance(content, str) else content
    spans, pos = [], -1
    for i, frag in enumerate(fragments):
        pos = text.index(frag, pos + 1)
        for _ in range(occurrence if i == 0 else 0):
            pos = text.index(frag, pos + 1)
        spans.append((pos, pos + len(frag)))
    speaker_span = None
    if speaker is not None:
        s = text.index(speaker)
        speaker_span = (s, s + len(speaker))
    return ev.GoldQuote(tuple(spans), speaker_span, speaker, canonical, type)


def pred_quote(text: str, content: str, qid: str = "q0", type: str = "direct", mention: str | None = None,
               speaker_id: str | None = None, start: int | None = None) -> Quote:
    s = text.index(content) if start is None else start
    m = None
    if mention is not None:
        ms = text.index(mention)
        m = Span(ms, ms + len(mention), mention)
    return Quote(qid, s, s + len(content), content, type, speaker=m, speaker_id=speaker_id)


def result(gold: list[ev.GoldQuote], text: str, quotes: list[Quote], speakers: list[Speaker] | None = None,
           metadata: dict | None = None) -> ev.ArticleResult:
    article = Article(text, quotes=quotes, speakers=speakers or [])
    return ev.match_article(ev.GoldArticle("a", text, gold, metadata or {}), article)


def metrics(r: ev.ArticleResult) -> dict:
    counts = ev.Counts()
    counts.add_result(r)
    return counts.metrics()


# --------------------------------------------------------------------------- spans


def test_exact_match_ignores_that_quote_marks_and_final_punctuation() -> None:
    text = 'She said that the plan works. "We are ready," Ann said.'
    gold = [gold_quote(text, "the plan works", "She", type="indirect"),
            gold_quote(text, "We are ready,", "Ann")]
    preds = [pred_quote(text, "that the plan works.", "q0", "indirect", mention="She"),
             pred_quote(text, '"We are ready,"', "q1", mention="Ann")]
    r = result(gold, text, preds)
    assert [(p.gold, p.pred, p.exact) for p in r.pairs] == [(0, 0, True), (1, 1, True)]
    m = metrics(r)
    assert m["quote"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert m["exact_match"]["f1"] == 1.0


def test_partial_match_is_not_exact() -> None:
    text = "He said the plan works well enough for now."
    gold = [gold_quote(text, "the plan works well enough for now", "He", type="indirect")]
    r = result(gold, text, [pred_quote(text, "the plan works well", type="indirect", mention="He")])
    assert len(r.pairs) == 1 and not r.pairs[0].exact
    assert metrics(r)["exact_match"]["recall"] == 0.0


def test_half_overlap_boundary() -> None:
    text = "abcdefghijklmnopqrstuvwxyz"
    gold = [ev.GoldQuote(((0, 10),), None, None, None, "direct")]
    # 15 predicted chars, 5 shared: exactly half of min(15, 10) -> a match
    at_half = Quote("q0", 5, 20, text[5:20], "direct")
    assert len(result(gold, text, [at_half]).pairs) == 1
    # 14 predicted chars, 4 shared: below half of 10 -> a false positive and a miss
    below = Quote("q0", 6, 20, text[6:20], "direct")
    r = result(gold, text, [below])
    assert r.pairs == [] and r.false_positives == [0] and r.misses == [0]
    assert metrics(r)["quote"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_whitespace_is_not_counted() -> None:
    text = "ab          cdefghij"
    gold = [ev.GoldQuote(((0, 20),), None, None, None, "direct")]  # 10 letters
    # 12 characters but only 2 letters: 2 shared of min(2, 10) -> match
    pred = Quote("q0", 0, 12, text[:12], "direct")
    assert ev.chars(text, [(0, 12)]) == frozenset({0, 1})
    assert len(result(gold, text, [pred]).pairs) == 1


def test_one_to_one_greedy_by_overlap_then_fragments() -> None:
    text = '"First part of it," she said, "and the second, longer part of the same quote." Other.'
    gold = [gold_quote(text, ["First part of it,", "and the second, longer part of the same quote."], "she")]
    preds = [pred_quote(text, "First part of it,", "q0", mention="she"),
             pred_quote(text, "and the second, longer part of the same quote.", "q1", mention="she"),
             pred_quote(text, "Other.", "q2")]
    r = result(gold, text, preds)
    # the longer piece wins the gold quote; the shorter one is a fragment, "Other." a false positive
    assert [(p.gold, p.pred) for p in r.pairs] == [(0, 1)]
    assert r.fragments == {0: 0}
    assert r.false_positives == [2]
    m = metrics(r)
    assert (m["predicted"], m["fragments"], m["matched"]) == (3, 1, 1)
    assert m["quote"]["precision"] == 0.5  # 1 TP / (3 predictions - 1 fragment)
    assert m["quote"]["recall"] == 1.0


def test_equal_overlaps_match_the_prediction_closest_in_extent() -> None:
    # "X said Y, according to Z": the gold Y lies whole inside both the report of Y and Z's
    # report of "X said Y"; the tighter prediction is the match, whatever their order
    text = "The agency said it had traced every contact of the patient, according to the Star. Other."
    gold = [gold_quote(text, ["it had traced every contact of the patient"], "The agency")]
    preds = [pred_quote(text, "The agency said it had traced every contact of the patient", "q0", mention="the Star"),
             pred_quote(text, "it had traced every contact of the patient", "q1", mention="The agency")]
    r = result(gold, text, preds)
    assert [(p.gold, p.pred, p.speaker_ok) for p in r.pairs] == [(0, 1, True)]


def test_a_prediction_mostly_outside_its_gold_is_a_false_positive_not_a_fragment() -> None:
    text = "aaaaaaaaaa bbbbbbbbbb cccccccccccccccccccc"
    gold = [ev.GoldQuote(((0, 21),), None, None, None, "direct")]
    preds = [Quote("q0", 0, 21, text[:21], "direct"),
             Quote("q1", 11, 42, text[11:42], "direct")]  # 10 of its 30 letters inside
    r = result(gold, text, preds)
    assert [(p.gold, p.pred) for p in r.pairs] == [(0, 0)]
    assert r.fragments == {} and r.false_positives == [1]


def test_discard_spans_remove_predictions() -> None:
    text = 'Body "real quote here" end. Follow "us" on "Twitter" now.'
    gold = [gold_quote(text, "real quote here")]
    boiler = text.index("Follow")
    preds = [pred_quote(text, "real quote here", "q0"), pred_quote(text, "Twitter", "q1")]
    r = result(gold, text, preds, metadata={"discard_spans": [[boiler, len(text)]]})
    assert r.discarded == [1] and r.false_positives == []
    m = metrics(r)
    assert m["discarded"] == 1 and m["quote"]["precision"] == 1.0


# --------------------------------------------------------------------------- speakers


SPEAKER_TEXT = ("Issam al-Zobai, a former commander, spoke. Local people agreed. The medic, Dr Lee, "
                "was there. President Obama and President Trump spoke. Pat Caddell and he. "
                '"Words one," he said. "Words two." Later "words three".')


def spk(gold: ev.GoldQuote, quote: Quote, speakers: list[Speaker] | None = None) -> bool:
    return ev.speaker_correct(gold, quote, Article(SPEAKER_TEXT, quotes=[quote], speakers=speakers or []))


def _span(text: str) -> Span:
    s = SPEAKER_TEXT.index(text)
    return Span(s, s + len(text), text)


def test_speaker_both_none_and_one_none() -> None:
    g = gold_quote(SPEAKER_TEXT, "words three")
    q = pred_quote(SPEAKER_TEXT, "words three")
    assert spk(g, q)
    g_with = gold_quote(SPEAKER_TEXT, "words three", "Pat Caddell")
    assert not spk(g_with, q)
    q_with = pred_quote(SPEAKER_TEXT, "words three", mention="Pat Caddell")
    assert not spk(g, q_with)


def test_speaker_mention_overlap() -> None:
    g = gold_quote(SPEAKER_TEXT, "Words one,", "he said", type="direct")
    g = ev.GoldQuote(g.spans, (SPEAKER_TEXT.index('he said'), SPEAKER_TEXT.index('he said') + 2), "he",
                     None, "direct")
    q = pred_quote(SPEAKER_TEXT, "Words one,", mention='he said')
    assert spk(g, q)


def test_speaker_entity_mention_overlap() -> None:
    """A continuation quote: the predicted entity has a mention on the gold speaker span."""
    g = gold_quote(SPEAKER_TEXT, "Words two.", "Pat Caddell")
    person = Speaker("s1", "Patrick H. Caddell", mentions=[_span("Pat Caddell")])
    q = pred_quote(SPEAKER_TEXT, "Words two.", speaker_id="s1")
    assert spk(g, q, [person])
    elsewhere = Speaker("s1", "Someone", mentions=[_span("Dr Lee")])
    assert not spk(g, q, [elsewhere])


@pytest.mark.parametrize("canonical,predicted,ok", [
    ("Issam al-Zobai", "Zobai", True),  # predicted last token in the canonical
    ("Zobai", "Issam al-Zobai", True),  # and vice versa
    ("local people", "Local people", True),
    ("Iraqi Special Forces medic", "the medic", True),  # head nouns
    ("Iraqi Special Forces medic", "An Iraqi Special Forces medic who worked in Mosul", True),
    ("Mohamed", "he", False),
    ("unnamed Western IS fighter", "IS", False),  # a stop-word-like token is not a name
    ("Issam al-Zobai", "Mohamed", False),
])
def test_canonical_name_rule(canonical: str, predicted: str, ok: bool) -> None:
    assert names_agree(canonical, predicted) is ok


def test_speaker_by_canonical_name_when_spans_differ() -> None:
    g = ev.GoldQuote(gold_quote(SPEAKER_TEXT, "Words two.").spans, None, None, "Issam al-Zobai", "direct")
    zobai = Speaker("s1", "Zobai", mentions=[_span("Issam al-Zobai")])
    assert spk(g, pred_quote(SPEAKER_TEXT, "Words two.", speaker_id="s1"), [zobai])
    other = Speaker("s2", "Lee", mentions=[_span("Dr Lee")])
    assert not spk(g, pred_quote(SPEAKER_TEXT, "Words two.", speaker_id="s2"), [other])


def test_speaker_by_capitalized_token_without_canonical() -> None:
    g = gold_quote(SPEAKER_TEXT, "Words two.", "Pat Caddell")
    caddell = Speaker("s1", "Caddell", mentions=[_span("he")])
    assert spk(g, pred_quote(SPEAKER_TEXT, "Words two.", speaker_id="s1"), [caddell])
    # a shared title is not a shared name
    at = SPEAKER_TEXT.index("President Obama")
    obama = ev.GoldQuote(g.spans, (at, at + 15), "President Obama", None, "direct")
    trump = Speaker("s2", "President Trump", mentions=[_span("President Trump")])
    assert not spk(obama, pred_quote(SPEAKER_TEXT, "Words two.", speaker_id="s2"), [trump])


def test_end_to_end_counts_correct_speakers_only() -> None:
    text = '"One thing," Ann said. "Two things," Bob said.'
    gold = [gold_quote(text, "One thing,", "Ann"), gold_quote(text, "Two things,", "Bob")]
    preds = [pred_quote(text, "One thing,", "q0", mention="Ann"),
             pred_quote(text, "Two things,", "q1", mention="Ann")]
    m = metrics(result(gold, text, preds))
    assert m["quote"]["f1"] == 1.0
    assert m["speaker_accuracy"] == 0.5
    assert m["end_to_end"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5}


# --------------------------------------------------------------------------- types and totals


def test_breakdown_by_type() -> None:
    text = ('"Direct words here," Ann said. Bob said the plan is fine. Cy said it was "a mess" today. '
            '"Stray words" too.')
    gold = [gold_quote(text, "Direct words here,", "Ann", type="direct"),
            gold_quote(text, "the plan is fine", "Bob", type="indirect"),
            gold_quote(text, 'it was "a mess" today', "Cy", type="mixed")]
    preds = [pred_quote(text, "Direct words here,", "q0", "direct", mention="Ann"),
             pred_quote(text, "the plan is fine", "q1", "direct", mention="Ann"),  # wrong type, wrong speaker
             pred_quote(text, "Stray words", "q2", "direct")]
    by_type = metrics(result(gold, text, preds))["by_type"]
    assert by_type["direct"]["gold"] == 1 and by_type["direct"]["quote"]["recall"] == 1.0
    assert by_type["indirect"]["quote"]["recall"] == 1.0
    assert by_type["indirect"]["end_to_end"]["recall"] == 0.0
    assert by_type["mixed"]["quote"]["recall"] == 0.0
    # precision goes by the predicted type: 3 "direct" predictions, 2 matched, 1 with the right speaker
    assert by_type["direct"]["predicted"] == 3
    assert by_type["direct"]["quote"]["precision"] == pytest.approx(2 / 3)
    assert by_type["direct"]["end_to_end"]["precision"] == pytest.approx(1 / 3)
    assert by_type["indirect"]["quote"]["precision"] is None


def test_counts_are_micro_averaged_and_failures_score_empty() -> None:
    text = '"Hello there," Ann said.'
    gold = [ev.GoldArticle("a", text, [gold_quote(text, "Hello there,", "Ann")]),
            ev.GoldArticle("b", text, [gold_quote(text, "Hello there,", "Ann")])]
    preds = [Article(text, quotes=[pred_quote(text, "Hello there,", mention="Ann")]), None]
    counts, results = ev.score(gold, preds)
    m = counts.metrics()
    assert (m["articles"], m["failed"], m["gold"], m["matched"]) == (2, 1, 2, 1)
    assert m["quote"]["recall"] == 0.5 and m["quote"]["precision"] == 1.0
    total = ev.Counts()
    total.add(counts)
    total.add(counts)
    assert total.metrics()["gold"] == 4 and total.by_type["direct"].tp_gold == 2
    kinds = [row["kind"] for row in ev.error_rows("f", results)]
    assert kinds == ["miss"]


def test_predict_skips_rejected_articles() -> None:
    class Fake:
        def pipe(self, sources, input_format="auto", batch_size=16, on_error="raise"):
            assert on_error == "return"  # predict takes the errors in place, never restarts
            for s in sources:
                yield InputError("input is empty") if not s.strip() else Article(s)

    out = ev.predict(Fake(), ["one", " ", "three"])  # type: ignore[arg-type]
    assert [a.text if a else None for a in out] == ["one", None, "three"]


# --------------------------------------------------------------------------- gold files


def test_seed_gold_loads_text_from_txt_when_absent(tmp_path: Path) -> None:
    text = 'Intro. "Quoted words," Ann said.\n'
    (tmp_path / "x.txt").write_text(text, encoding="utf-8")
    start = text.index("Quoted")
    (tmp_path / "x.gold.json").write_text(json.dumps({
        "id": "x", "quotes": [{"content_start": start, "content_end": start + 13, "content": "Quoted words,",
                               "speaker_start": text.index("Ann"), "speaker_end": text.index("Ann") + 3,
                               "speaker_text": "Ann", "speaker_canonical": "Ann", "type": "direct",
                               "cue": "said", "continuation": False}]}), encoding="utf-8")
    [article] = ev.load_gold(tmp_path / "x.gold.json")
    assert article.id == "x" and article.text == text
    q = article.quotes[0]
    assert q.spans == ((start, start + 13),) and q.speaker_canonical == "Ann" and q.flags["cue"] == "said"


def test_real_gold_files_load() -> None:
    if not SEED.exists() or not POLNEAR_DEV.exists():
        pytest.skip("../shared is not available")
    [seed] = ev.load_gold(SEED)
    assert len(seed.quotes) > 20
    for q in seed.quotes:
        assert len(q.spans) == 1 and q.type in ev.QUOTE_TYPES
    dev = ev.load_gold(POLNEAR_DEV)
    assert len(dev) > 50
    interrupted = [q for a in dev for q in a.quotes if len(q.spans) > 1]
    assert interrupted, "PolNeAR's content_spans give interrupted quotes several fragments"
    assert any(a.discard_spans for a in dev)
    assert all(q.speaker_canonical is None for a in dev for q in a.quotes)


# --------------------------------------------------------------------------- the command


def test_eval_command_on_seed_gold(tmp_path: Path) -> None:
    if not SEED.exists():
        pytest.skip("../shared is not available")
    from typer.testing import CliRunner

    from saywho.cli import app

    errors = tmp_path / "errors.jsonl"
    run = CliRunner().invoke(app, ["eval", str(SEED), "--json", "--errors", str(errors)])
    assert run.exit_code == 0, run.output
    report = json.loads(run.stdout)
    assert [Path(f["path"]).name for f in report["files"]] == [SEED.name]
    overall = report["overall"]
    assert overall["articles"] == 1 and overall["gold"] == len(json.loads(SEED.read_text())["quotes"])
    for key in ("quote", "end_to_end", "exact_match"):
        assert set(overall[key]) == {"precision", "recall", "f1"}
    assert set(overall["by_type"]) >= set(ev.QUOTE_TYPES)
    assert overall["matched"] > 0  # the extractor finds at least some of the seed's quotes
    for line in errors.read_text().splitlines():
        row = json.loads(line)
        assert row["kind"] in ("miss", "false_positive", "wrong_speaker") and row["context"]

    table = CliRunner().invoke(app, ["eval", str(SEED)])
    assert table.exit_code == 0, table.output
    assert "end-to-end F1" in table.stdout and "indirect" in table.stdout


# --------------------------------------------------------------------------- gold given as strings

from saywho.word_anchor import WordIndex  # noqa: E402

PAGE_TEXT = (
    "The mayor said the bridge would reopen in May. Residents were sceptical.\n\n"
    "“We have heard that before,” said Ana Ruiz, who runs a bakery. The mayor hopes traffic will ease.\n"
)


def test_word_index_finds_a_phrase_by_its_words_whatever_the_marks_and_spacing() -> None:
    index = WordIndex(PAGE_TEXT)
    s, e = index.find("the bridge   would reopen in May")
    assert PAGE_TEXT[s:e] == "the bridge would reopen in May"
    s, e = index.find("We have heard that before")
    assert PAGE_TEXT[s:e] == "We have heard that before"
    s, e = index.find("we have heard THAT before,")  # case and trailing punctuation do not matter
    assert PAGE_TEXT[s:e] == "We have heard that before"
    assert index.find("nothing of the sort was written here") is None


def test_word_index_takes_the_closest_window_when_words_differ() -> None:
    index = WordIndex(PAGE_TEXT)
    s, e = index.find("the bridge will reopen in May")  # "will" for "would"
    assert PAGE_TEXT[s:e] == "the bridge would reopen in May"


def test_word_index_prefers_the_occurrence_after_the_previous_quote() -> None:
    text = "He said no. Later: he said no."
    index = WordIndex(text)
    assert index.find("he said no", after=5) == (19, 29)
    assert index.find("he said no") == (0, 10)


def _page_gold(tmp_path: Path) -> ev.GoldArticle:
    """A real-pages record (string gold, a borderline item) whose text is PAGE_TEXT once extracted."""
    import gzip

    (tmp_path / "page.html.gz").write_bytes(gzip.compress(b"<html><body><p>placeholder</p></body></html>"))
    record = {"id": "p1", "page": "page.html.gz", "url": "https://example.com/a",
              "quotes": [{"content": "We have heard that before", "speaker": "Ana Ruiz", "mention": "Ana Ruiz",
                          "type": "direct", "cue": "said"},
                         {"content": "the bridge would reopen in May", "speaker": "the mayor",
                          "mention": "The mayor", "type": "indirect", "cue": "said"}],
              "borderline": [{"content": "traffic will ease", "speaker": "the mayor", "mention": "The mayor",
                              "type": "indirect", "cue": "hopes", "why": "cognition verb"}],
              "nested_quotes": []}
    path = tmp_path / "quotes.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    [gold] = ev.load_gold(path)
    return gold


def test_page_gold_is_anchored_in_the_extracted_text_and_borderline_items_are_neutral(tmp_path: Path) -> None:
    gold = _page_gold(tmp_path)
    assert gold.page is not None and gold.kinds == {"speech"}
    start = PAGE_TEXT.index("We have")
    direct = Quote("q1", start, start + 25, PAGE_TEXT[start : start + 25], "direct", speaker_id="s1")
    hope = PAGE_TEXT.index("traffic")
    borderline = Quote("q2", hope, hope + 17, PAGE_TEXT[hope : hope + 17], "indirect")
    wrong = PAGE_TEXT.index("Residents")
    false = Quote("q3", wrong, wrong + 24, PAGE_TEXT[wrong : wrong + 24], "indirect")
    article = Article(PAGE_TEXT, quotes=[direct, borderline, false],
                      speakers=[Speaker("s1", "Ana Ruiz", mentions=[])])
    counts, [result] = ev.score([gold], [article])
    m = counts.metrics()
    assert m["gold"] == 2 and m["matched"] == 1 and m["speaker_correct"] == 1
    assert m["discarded"] == 1  # the hope: borderline, neither right nor wrong
    assert m["quote"]["precision"] == 0.5  # the direct quote right, "Residents were sceptical" wrong
    assert [result.gold.text[s:e] for s, e in result.gold.quotes[1].spans] == ["the bridge would reopen in May"]


# --------------------------------------------------------------------------- the Gender Gap Tracker's metric


def test_ggt_match_is_greedy_in_gold_order_with_strict_thresholds() -> None:
    from saywho.evaluate_ggt import greedy_match

    g0, g1 = frozenset(range(10)), frozenset(range(10, 20))
    p0, p1, p2 = frozenset(range(3)), frozenset(range(5, 20)), frozenset(range(10, 18))
    # At 0.3: p0 scores exactly 0.3 for g0 (not above); g0 takes p1 (0.5) before g1, which would
    # prefer it (1.0), so g1 takes p2 (0.8). At 0.8: g0 has nothing above; g1 takes p1.
    assert greedy_match([g0, g1], [p0, p1, p2], 0.3) == [(0, 1), (1, 2)]
    assert greedy_match([g0, g1], [p0, p1, p2], 0.8) == [(1, 1)]
    assert greedy_match([frozenset()], [p0], 0.3) == []  # a gold quote not found in the text is a miss


def test_ggt_counts_leftover_predictions_and_speaker_by_mention_overlap() -> None:
    from saywho import evaluate_ggt

    text = "Ana Ruiz said the bridge would reopen in May. Bo Lee said prices will rise soon. Nobody knew."
    gold = [gold_quote(text, "the bridge would reopen in May", "Ana Ruiz"),
            gold_quote(text, "prices will rise soon", "Bo Lee")]
    preds = [pred_quote(text, "the bridge would reopen", "q0", mention="Ana Ruiz"),  # 20 of 25 chars: 0.8
             pred_quote(text, "prices will rise soon", "q1", mention="Nobody"),  # right quote, wrong speaker
             pred_quote(text, "Nobody knew", "q2")]  # a false positive
    totals = evaluate_ggt.score([ev.GoldArticle("a", text, gold)], [Article(text, quotes=preds)])
    low, high = totals[0.3].metrics(), totals[0.8].metrics()
    assert (low["matched"], low["predicted"], low["gold"]) == (2, 3, 2)
    assert low["precision"] == pytest.approx(2 / 3) and low["recall"] == 1.0 and low["f1"] == pytest.approx(0.8)
    assert low["speaker_accuracy"] == 0.5
    assert (high["matched"], high["precision"], high["recall"]) == (1, pytest.approx(1 / 3), 0.5)
    assert high["f1"] == pytest.approx(0.4) and high["speaker_accuracy"] == 0.0


def test_ggt_on_page_gold_locates_the_mention_strings_near_the_quote(tmp_path: Path) -> None:
    from saywho import evaluate_ggt

    gold = _page_gold(tmp_path)
    located = evaluate_ggt.locate_mentions(ev.anchored(gold, PAGE_TEXT))
    ana, mayors = PAGE_TEXT.index("Ana Ruiz"), (0, PAGE_TEXT.rindex("The mayor"))
    assert located.quotes[0].flags["mention_spans"] == ((ana, ana + 8),)
    # "The mayor" occurs twice within reach of the bridge quote: either may be the one meant
    assert located.quotes[1].flags["mention_spans"] == tuple((s, s + 9) for s in mayors)
    bridge, residents = PAGE_TEXT.index("the bridge"), PAGE_TEXT.index("Residents")
    preds = [pred_quote(PAGE_TEXT, "We have heard that before", "q0", mention="Ana Ruiz"),
             Quote("q1", bridge, bridge + 30, PAGE_TEXT[bridge:bridge + 30], "indirect",
                   speaker=Span(residents, residents + 9, "Residents")),  # a wrong mention
             pred_quote(PAGE_TEXT, "traffic will ease", "q2", type="indirect")]  # borderline: not counted
    m = evaluate_ggt.score([gold], [Article(PAGE_TEXT, quotes=preds)])[0.8].metrics()
    assert (m["matched"], m["predicted"], m["speaker_accuracy"]) == (2, 2, 0.5)
    unlocated = replace(located.quotes[0], speaker_span=None, speaker_text="Dr Ruiz", flags={})
    assert evaluate_ggt.locate_mentions(replace(located, quotes=[unlocated])).quotes[0].speaker_span is None
    # without a located mention, the names decide (the gold's resolved speaker "Ana Ruiz")
    named = Quote("q0", 0, 1, "T", "direct", speaker_id="s1")
    article = Article(PAGE_TEXT, quotes=[named], speakers=[Speaker("s1", "Ana Ruiz", mentions=[])])
    assert evaluate_ggt._speaker_right(unlocated, named, article)


def test_reliability_bins_and_outcomes() -> None:
    from saywho import calibration

    table = calibration.reliability([(0.1, 0), (0.55, 1), (0.85, 1), (0.85, 0), (0.95, 1), (1.0, 1)])
    assert table == [("[0.0, 0.5)", 1, 0.0), ("[0.5, 0.6)", 1, 1.0), ("[0.6, 0.7)", 0, None),
                     ("[0.7, 0.8)", 0, None), ("[0.8, 0.9)", 2, 0.5), ("[0.9, 1.0]", 2, 1.0), ("≥ 0.8", 4, 0.75)]
    text = '"First part of it," she said, "and the second, longer part of the same quote." Other.'
    gold = [gold_quote(text, ["First part of it,", "and the second, longer part of the same quote."], "she")]
    preds = [pred_quote(text, "First part of it,", "q0"), pred_quote(text, "and the second", "q1"),
             pred_quote(text, "and the second, longer part of the same quote.", "q2"), pred_quote(text, "Other.", "q3")]
    preds = [replace(q, confidence=c) for q, c in zip(preds, (0.9, 0.7, 0.85, 0.3), strict=True)]
    # q2 matches; q0 and q1 are fragments of the same gold quote (left out); q3 is wrong
    assert calibration.confidence_outcomes([result(gold, text, preds)]) == [(0.85, 1), (0.3, 0)]
