"""GUM: the CoNLL-U reader, the coreference score and resolve_mentions, on a hand-made snippet."""

from __future__ import annotations

from pathlib import Path

import pytest

from saywho import evaluate_coref
from saywho.gum import read_gum
from saywho.model import Span
from saywho.speakers import Entity

ROWS = [
    "# newdoc id = GUM_news_test",
    "# global.Entity = GRP-etype-infstat-salience-centering-minspan-link-identity",
    "# meta::genre = news",
    "# newpar",
    "# text = Mary Smith founded Acme Corp.",
    "1\tMary\tMary\tPROPN\tNNP\t_\t3\tnsubj\t_\tEntity=(1-person-new-sssss-cf1-1-coref-Mary_Smith",
    "2\tSmith\tSmith\tPROPN\tNNP\t_\t1\tflat\t_\tEntity=1)",
    "3\tfounded\tfound\tVERB\tVBD\t_\t0\troot\t_\t_",
    "4\tAcme\tAcme\tPROPN\tNNP\t_\t3\tobj\t_\tEntity=(2-organization-new-sssss-cf2-2-coref",
    "5\tCorp\tCorp\tPROPN\tNNP\t_\t4\tflat\t_\tEntity=2)|SpaceAfter=No",
    "6\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_",
    "",
    "# newpar",
    "# text = She said the company’s sales grew.",
    "1\tShe\tshe\tPRON\tPRP\t_\t2\tnsubj\t_\tEntity=(1-person-giv-sssss-cf1-1-coref)",
    "2\tsaid\tsay\tVERB\tVBD\t_\t0\troot\t_\t_",
    "3\tthe\tthe\tDET\tDT\t_\t4\tdet\t_\tEntity=(3-abstract-new-sssss-cf3-2-coref(2-organization-giv-sssss-cf2-2-coref",
    "4-5\tcompany’s\t_\t_\t_\t_\t_\t_\t_\t_",
    "4\tcompany\tcompany\tNOUN\tNN\t_\t6\tnmod:poss\t_\tSpaceAfter=No",
    "5\t’s\t's\tPART\tPOS\t_\t4\tcase\t_\tEntity=2)",
    "6\tsales\tsale\tNOUN\tNNS\t_\t7\tnsubj\t_\tEntity=3)",
    "7\tgrew\tgrow\tVERB\tVBD\t_\t2\tccomp\t_\tSpaceAfter=No",
    "8\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_",
    "",
]


@pytest.fixture
def doc(tmp_path: Path):
    path = tmp_path / "GUM_news_test.conllu"
    path.write_text("\n".join(ROWS) + "\n", "utf-8")
    return read_gum(path)[0]


def test_reader_rebuilds_text_and_mentions(doc) -> None:
    assert doc.id == "GUM_news_test" and doc.genre == "news"
    assert doc.text == "Mary Smith founded Acme Corp.\n\nShe said the company’s sales grew."
    got = [(m.text, m.entity, m.etype, m.form) for m in doc.mentions]
    assert got == [
        ("Mary Smith", "1", "person", "name"),
        ("Acme Corp", "2", "organization", "name"),
        ("She", "1", "person", "pronoun"),
        ("the company’s sales", "3", "abstract", "description"),
        ("the company’s", "2", "organization", "description"),
    ]
    assert all(doc.text[m.start : m.end] == m.text for m in doc.mentions)
    assert doc.entities["1"].identity == "Mary Smith" and doc.entities["1"].named
    assert doc.entities["2"].named and doc.entities["2"].names == ["Acme Corp"]
    assert not doc.entities["3"].named
    assert doc.sentences == [(0, 29), (31, 65)]


def test_score_counts_right_and_wrong(doc) -> None:
    mary = Entity(key="mary smith", name="Mary Smith", named=True)
    mary.add_mention(Span(0, 10, "Mary Smith"))
    wrong = Entity(key="sales", name="sales", named=False, kind="document")
    resolved = [mary, None, mary, None, wrong]
    counts = evaluate_coref.score_document(doc, resolved).metrics()["rows"]
    assert counts["pronoun he/she"] == {"scored": 1, "right": 1, "accuracy": 1.0}
    assert counts["pronouns: people"]["scored"] == 1
    assert counts["description org"] == {"scored": 1, "right": 0, "accuracy": 0.0}
    assert counts["descriptions"] == {"scored": 1, "right": 0, "accuracy": 0.0}
    assert counts["description person"]["scored"] == 0  # "the company’s sales" is no person


def test_named_by_alias_agrees(doc) -> None:
    # no shared mention, but the resolved entity's name agrees with the gold entity's name
    smith = Entity(key="smith", name="Smith", named=True)
    assert evaluate_coref.is_right(doc.mentions[2], smith, doc)
    assert not evaluate_coref.is_right(doc.mentions[2], Entity(key="x", name="Jones", named=True), doc)


def test_resolver_on_the_snippet(doc) -> None:
    from saywho.pipeline import Extractor

    extractor = Extractor()
    for ranker in (False, True):
        resolved = evaluate_coref.resolve_document(extractor, doc, ranker=ranker)
        assert resolved[2] is not None and resolved[2].name == "Mary Smith"  # "She"
        assert resolved[4] is not None and resolved[4].name == "Acme Corp"  # "the company’s"
        report = evaluate_coref.evaluate_gum(extractor, [doc], ranker=ranker)
        for group in ("news", "all"):
            rows = report[group]["rows"]
            assert rows["pronouns: people"] == {"scored": 1, "right": 1, "accuracy": 1.0}
            assert rows["descriptions"] == {"scored": 1, "right": 1, "accuracy": 1.0}
        assert report["interview"]["documents"] == 0


def test_cli_eval_on_conllu_files(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from saywho.cli import app

    path = tmp_path / "GUM_news_test.conllu"
    path.write_text("\n".join(ROWS) + "\n", "utf-8")
    result = CliRunner().invoke(app, ["eval", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)["coreference"]
    assert report["documents"] == 1
    for system in ("rules", "rules+ranker"):
        assert report[system]["all"]["rows"]["pronouns: people"]["right"] == 1


def _resolved(extractor, text: str, mentions: list[str]) -> list[Entity | None]:
    """resolve_mentions over the first occurrence (after the previous one) of each mention."""
    from saywho.ingest import ingest
    from saywho.speakers import resolve_mentions

    spans, at = [], 0
    for m in mentions:
        start = text.index(m, at)
        spans.append(Span(start, start + len(m), m))
        at = start + 1
    return resolve_mentions(extractor.parse(ingest(text, "text")), spans)


def test_a_predicate_noun_is_the_subject_it_is_said_of(extractor) -> None:
    text = ("The studio has two founders. There is of course Jason Reyes, who is our editor, and he is the one "
            "who writes the newsletter.\n")
    jason, editor, he, one = _resolved(extractor, text, ["Jason Reyes", "our editor", "he", "the one"])
    assert jason is not None and jason.name == "Jason Reyes"
    assert editor is jason and he is jason and one is jason


def test_a_description_with_named_is_the_name(extractor) -> None:
    text = "In middle school I kept hearing about this guy named Mario Diaz, and he kept hearing about me.\n"
    guy, he = _resolved(extractor, text, ["this guy named Mario Diaz", "he"])
    assert guy is not None and guy.name == "Mario Diaz" and he is guy
