"""`saywho extract`: the three output formats, stdin, and every bad input answered with one
clear line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import saywho
from saywho.cli import app

ARTICLE = (
    "Rail strike called off after late-night talks\n\n"
    "By Laura Chen\n\n"
    "Train drivers have cancelled next week's strike after talks with the rail operator ended in a deal.\n\n"
    "“We are pleased that common sense has prevailed,” said Mark Dunn, the union’s general secretary.\n\n"
    "The operator’s chief executive, Ruth Evans, said the new offer would be put to a vote of staff.\n"
)


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def fails_cleanly(result, *words: str) -> str:  # type: ignore[no-untyped-def]
    """Exit 1, nothing on stdout, one 'saywho: ...' line on stderr saying why, no traceback."""
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("saywho: "), result.stderr
    assert "Traceback" not in result.stderr
    assert all(w in lines[0].lower() for w in words), lines[0]
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return lines[0]


# ----------------------------------------------------------------------------- output formats

def test_json_output_is_the_article_dict(
    runner: CliRunner, tmp_path: Path, extractor: saywho.Extractor
) -> None:
    path = write(tmp_path, "strike.txt", ARTICLE)
    result = runner.invoke(app, ["extract", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == extractor(path.read_bytes()).to_dict()


def test_json_is_the_default_and_keeps_unicode(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(write(tmp_path, "strike.txt", ARTICLE))])
    assert result.exit_code == 0
    assert "“We are pleased" in result.stdout  # not \u201c escapes
    data = json.loads(result.stdout)
    assert data["metadata"]["author"] == "Laura Chen"
    assert [s["name"] for s in data["speakers"]] == ["Mark Dunn", "Ruth Evans"]


def test_text_output_groups_quotes_by_speaker(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(write(tmp_path, "strike.txt", ARTICLE)), "-f", "text"])
    assert result.exit_code == 0
    out = result.stdout
    assert "Headline: Rail strike called off after late-night talks" in out
    assert "Author: Laura Chen" in out
    dunn, evans = out.index("Mark Dunn"), out.index("Ruth Evans")
    pleased, vote = out.index("We are pleased"), out.index("the new offer would be put to a vote")
    assert dunn < pleased < evans < vote
    assert "[said]" in out


def test_text_output_without_quotes(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "plain.txt", "Heavy snow closed schools across the region on Thursday.\n")
    result = runner.invoke(app, ["extract", str(path), "--format", "text"])
    assert result.exit_code == 0 and "No quotations found." in result.stdout


def test_html_output_escapes_the_article(runner: CliRunner, tmp_path: Path) -> None:
    text = (
        "Council website hacked\n\n"
        "Visitors to the council's site on Monday saw the line <script>alert('hacked')</script> on its front "
        "page.\n\n"
        "“Someone typed <b>this</b> into our form & it went live,” said Tom Reed, the council’s IT manager.\n"
    )
    result = runner.invoke(app, ["extract", str(write(tmp_path, "hack.txt", text)), "--format", "html"])
    assert result.exit_code == 0, result.stderr
    page = result.stdout
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "<script>" not in page and "&lt;script&gt;alert(" in page
    assert "<b>this</b>" not in page and "&lt;b&gt;this&lt;/b&gt;" in page
    assert "form &amp; it went live" in page
    assert '<mark class="quote direct"' in page and "Tom Reed" in page


def test_stdin(runner: CliRunner) -> None:
    result = runner.invoke(app, ["extract", "-"], input=ARTICLE.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["text"] == ARTICLE


def test_html_file_and_forced_text(runner: CliRunner, tmp_path: Path) -> None:
    page = (
        "<!DOCTYPE html><html><head><title>Rail strike called off</title></head><body><article>"
        "<h1>Rail strike called off</h1><p>Train drivers have called off next week's strike after talks "
        "with the rail operator ended in a deal on Thursday night.</p><p>&ldquo;We are pleased that common "
        "sense has prevailed,&rdquo; said Mark Dunn, the union&rsquo;s general secretary.</p></article>"
        "</body></html>"
    )
    path = write(tmp_path, "strike.html", page)
    as_html = json.loads(runner.invoke(app, ["extract", str(path)]).stdout)
    assert as_html["metadata"]["input_format"] == "html"
    assert "<p>" not in as_html["text"]
    assert any(s["name"] == "Mark Dunn" for s in as_html["speakers"])
    as_text = json.loads(runner.invoke(app, ["extract", str(path), "--input-format", "text"]).stdout)
    assert as_text["metadata"]["input_format"] == "text" and as_text["text"] == page


# ----------------------------------------------------------------------------- bad input

def test_empty_file(runner: CliRunner, tmp_path: Path) -> None:
    fails_cleanly(runner.invoke(app, ["extract", str(write(tmp_path, "empty.txt", ""))]), "empty")


def test_blank_stdin(runner: CliRunner) -> None:
    fails_cleanly(runner.invoke(app, ["extract", "-"], input=b"\n  \n"), "empty")


def test_binary_file(runner: CliRunner, tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    fails_cleanly(runner.invoke(app, ["extract", str(write(tmp_path, "photo.png", png))]), "binary")


def test_50_mb_file(runner: CliRunner, tmp_path: Path) -> None:
    line = b"The council said the budget would be balanced next year.\n"
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        for _ in range(50):
            f.write(line * (1024 * 1024 // len(line) + 1))
    assert path.stat().st_size > 50 * 1024 * 1024
    fails_cleanly(runner.invoke(app, ["extract", str(path)]), "too large")


def test_50_mb_on_stdin(runner: CliRunner) -> None:
    data = b"The council said the budget would be balanced next year.\n" * (50 * 1024 * 1024 // 58 + 1)
    fails_cleanly(runner.invoke(app, ["extract", "-"], input=data), "larger")


def test_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    fails_cleanly(runner.invoke(app, ["extract", str(tmp_path / "nope.txt")]), "no such file")


def test_directory(runner: CliRunner, tmp_path: Path) -> None:
    fails_cleanly(runner.invoke(app, ["extract", str(tmp_path)]), "is a directory")


def test_html_with_no_article(runner: CliRunner, tmp_path: Path) -> None:
    page = ("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><div id='app'></div>"
            "<script src='/static/app.js'></script></body></html>")
    fails_cleanly(runner.invoke(app, ["extract", str(write(tmp_path, "shell.html", page))]), "no article")


def test_non_english_file(runner: CliRunner, tmp_path: Path) -> None:
    text = "Правительство объявило новые меры в среду.\n\n«Мы не отступим», — сказал министр.\n"
    result = runner.invoke(app, ["extract", str(write(tmp_path, "ru.txt", text))])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["text"] == text


def test_only_opening_marks(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "marks.txt", "“ “ “\n\n“\n“““\n")
    result = runner.invoke(app, ["extract", str(path), "-f", "text"])
    assert result.exit_code == 0
    assert "No quotations found." in result.stdout


def test_cp1252_file_warns_on_stderr(runner: CliRunner, tmp_path: Path) -> None:
    raw = "“We will reopen in the spring,” said José Martínez, who runs the café.\n".encode("cp1252")
    result = runner.invoke(app, ["extract", str(write(tmp_path, "cafe.txt", raw))])
    assert result.exit_code == 0
    assert "decoded as cp1252" in result.stderr and "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    assert data["metadata"]["encoding"] == "cp1252"
    assert data["quotes"][0]["text"] == "We will reopen in the spring,"


def test_unknown_format_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(write(tmp_path, "a.txt", ARTICLE)), "--format", "xml"])
    assert result.exit_code == 2 and "Traceback" not in result.stderr
