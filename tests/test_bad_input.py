"""Unusable and unusual input through the library: a clear one-line InputError for what cannot
be an article, a result (never a crash) for everything else, and batches that survive a bad item."""

from __future__ import annotations

import gzip
import random
from collections.abc import Callable

import pytest

import saywho
from saywho import Article, InputError, SaywhoError

Checker = Callable[[Article], None]
SENTENCE = "The council said the budget would be balanced next year.\n"
GOOD = (
    "Rail strike called off after late-night talks\n\n"
    "“We are pleased that common sense has prevailed,” said Mark Dunn, the union’s general secretary.\n"
)


def refused(extractor: saywho.Extractor, source: str | bytes, *words: str) -> InputError:
    """Extraction raises InputError with one line that says why."""
    with pytest.raises(InputError) as info:
        extractor(source)
    message = str(info.value)
    assert message and "\n" not in message, message
    assert all(w in message.lower() for w in words), message
    return info.value


@pytest.mark.parametrize("source", ["", "   \n\n\t  \n", b"", b"\n\n", "\ufeff".encode() + b"  \n"])
def test_empty_input(extractor: saywho.Extractor, source: str | bytes) -> None:
    refused(extractor, source, "empty")


def test_input_error_is_a_value_error_and_a_saywho_error(extractor: saywho.Extractor) -> None:
    error = refused(extractor, "")
    assert isinstance(error, ValueError) and isinstance(error, SaywhoError)


def _random_bytes(n: int, low: int = 0, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(low, 256) for _ in range(n))


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + _random_bytes(4000), id="png"),
        pytest.param(gzip.compress(SENTENCE.encode() * 300), id="gzip"),
        pytest.param(b"\x7fELF\x02\x01\x01" + _random_bytes(4000, low=1), id="elf-without-nul"),
        pytest.param(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + _random_bytes(4000, low=1), id="pdf"),
        pytest.param(bytes(random.Random(3).randrange(1, 32) for _ in range(4000)), id="control-bytes"),
    ],
)
def test_binary_input(extractor: saywho.Extractor, source: bytes) -> None:
    refused(extractor, source)


def test_50_mb_of_text_is_refused(extractor: saywho.Extractor) -> None:
    text = SENTENCE * (50 * 1024 * 1024 // len(SENTENCE))
    refused(extractor, text, "characters")
    refused(extractor, text.encode("utf-8"), "characters")


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title></title></head><body>"
            "<div id='app'></div><script src='/static/app.js'></script></body></html>",
            id="script-shell",
        ),
        pytest.param(
            """<!DOCTYPE html><html><head><title>Sign in | Riverside Herald</title></head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav></header>
<form action="/login" method="post"><label>Email <input name="email"></label>
<label>Password <input type="password" name="pw"></label><button>Sign in</button></form>
<footer><p>&copy; 2024 Riverside Herald</p></footer></body></html>""",
            id="login-page",
        ),
    ],
)
def test_html_without_an_article(extractor: saywho.Extractor, page: str) -> None:
    refused(extractor, page)


@pytest.mark.parametrize(
    "text",
    [
        "Правительство объявило новые меры в среду.\n\n«Мы не отступим», — сказал министр.\n",
        "أعلنت الحكومة إجراءات جديدة يوم الأربعاء.\n\n«لن نتراجع»، قال الوزير.\n",
        "Die Regierung hat am Mittwoch neue Maßnahmen angekündigt.\n\n„Wir werden nicht nachgeben“, sagte "
        "der "
        "Minister.\n",
        "政府周三宣布了新措施。\n\n“我们不会让步，”部长说。\n",
    ],
    ids=["russian", "arabic", "german", "chinese"],
)
def test_non_english_text_gives_a_result(extractor: saywho.Extractor, consistent: Checker, text: str) -> None:
    article = extractor(text)
    consistent(article)
    assert article.text == text


NON_ENGLISH_ARTICLES = {
    "portuguese": "O grupo musical apresentou um novo espetáculo para as crianças da cidade. Carlos: Então é isso, "
                  "pessoal, muito obrigado pela presença de todos vocês hoje aqui conosco. Eugênio: Um abraço para "
                  "todos os alunos da escola e para as famílias que acompanham o nosso trabalho desde o começo.\n",
    "indonesian": "Mudah-mudahan kita bisa memahami dan menghayati ajaran ini. Umar berkata, \u201cWahai Aslam, "
                  "janganlah rasa cintamu berlebihan dan jangan sampai kebencianmu membinasakan.\u201d Aslam "
                  "berkata, \u201cBagaimana itu?\u201d Jangan sampai karena kita membenci satu kaum, kita justru "
                  "menganiaya mereka.\n",
}


@pytest.mark.parametrize("text", NON_ENGLISH_ARTICLES.values(), ids=NON_ENGLISH_ARTICLES.keys())
def test_an_article_not_in_english_gets_a_clean_empty_result_flagged(extractor: saywho.Extractor,
                                                                     consistent: Checker, text: str) -> None:
    # Latin-alphabet languages are where English rules find names and cues that are not there
    article = extractor(text)
    consistent(article)
    assert article.quotes == [] and article.speakers == []
    assert article.metadata["language"] == "not English"
    assert "text does not read as English prose; no quotes extracted" in article.metadata["warnings"]
    english = extractor("Budget vote\n\n\u201cWe will not back down,\u201d the finance minister said on Tuesday.\n")
    assert english.quotes and "language" not in english.metadata


@pytest.mark.parametrize(
    "text",
    [
        "“",
        "“ “ “\n\n“\n“““\n",
        "‘‘ « „ \"\n\n\"\n",
        "He said “we will\n\n“never\n\n“stop the fight and nobody can make us",
        "The mayor said “the budget is “balanced “and “fair\n\nShe said “no more\n",
    ],
)
def test_only_opening_marks(extractor: saywho.Extractor, consistent: Checker, text: str) -> None:
    article = extractor(text)
    consistent(article)
    for q in article.quotes:
        assert q.text.strip("“‘«„\"' \n")


def test_cp1252_article_is_decoded_and_flagged(extractor: saywho.Extractor, consistent: Checker) -> None:
    raw = (
        "Café owners fear a long winter\n\n"
        "“We will reopen in the spring, whatever happens,” said José Martínez, who runs the café on the "
        "seafront.\n"
    ).encode("cp1252")
    article = extractor(raw)
    consistent(article)
    assert article.metadata["encoding"] == "cp1252"
    assert article.metadata["warnings"] == ["input was not UTF-8; decoded as cp1252"]
    q = article.quotes[0]
    assert q.text == "We will reopen in the spring, whatever happens,"
    assert article.speaker(q.speaker_id).name == "José Martínez"  # type: ignore[union-attr]


def test_a_batch_survives_a_bad_article(extractor: saywho.Extractor) -> None:
    """Per-article calls let a batch record the bad one and go on."""
    png = b"\x89PNG\r\n\x1a\n\x00\x00"
    sources: list[str | bytes] = [GOOD, b"", png, GOOD.replace("Mark Dunn", "Ann Lee")]
    results: list[Article | str] = []
    for source in sources:
        try:
            results.append(extractor(source))
        except InputError as exc:
            results.append(str(exc))
    assert isinstance(results[0], Article) and isinstance(results[3], Article)
    assert results[1] == "input is empty" and "binary" in str(results[2])
    assert results[3].speakers[0].name == "Ann Lee"


def test_pipe_yields_good_articles_before_the_bad_one(extractor: saywho.Extractor) -> None:
    stream = extractor.pipe([GOOD, GOOD, "", GOOD])
    assert next(stream).quotes and next(stream).quotes
    with pytest.raises(InputError):
        next(stream)
