"""Ingest: decoding, text kept exactly as given, the role of every line of a scraped page,
metadata read from the page furniture, and HTML pages reduced to their article."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import saywho
from saywho import Article
from saywho.ingest import ingest, looks_like_html


def kinds(text: str) -> dict[str, str]:
    """Each non-blank line of a text input mapped to the role ingest gives it."""
    doc = ingest(text, "text")
    return {doc.text[r.start : r.end]: r.kind for r in doc.regions}


# ----------------------------------------------------------------------------- text kept as given

@pytest.mark.parametrize(
    "text",
    [
        "Rail strike called off\r\n\r\n“We are pleased,” said union leader Mark Dunn.\r\n",
        "   Indented first line said nothing.\n\t\tTabbed second line.\n\n\n",
        "No newline at the end: the mayor said the budget was balanced",
        "Emoji 🚆 and accents: Zoë Brontë said “ça va” twice.\n",
    ],
)
def test_text_input_is_kept_exactly(text: str) -> None:
    doc = ingest(text)
    assert doc.text == text
    assert doc.metadata["input_format"] == "text"
    for r in doc.regions:
        line = text[r.start : r.end]
        assert line == line.strip() and line and "\n" not in line


def test_utf8_bom_is_dropped_silently() -> None:
    text = "Rail strike called off\n\n“We are pleased,” said Mark Dunn.\n"
    doc = ingest(("\ufeff" + text).encode("utf-8"))
    assert doc.text == text
    assert "encoding" not in doc.metadata and "warnings" not in doc.metadata


def test_cp1252_bytes_are_decoded_with_a_warning() -> None:
    raw = (
        "The caf\xe9 owner said: \x93We will reopen in the spring, whatever happens.\x94\n\n"
        "His na\xefve optimism was shared by the staff \x96 most of them.\n"
    ).encode("latin-1")
    doc = ingest(raw)
    assert doc.text.startswith("The café owner said: “We will reopen")
    assert "naïve" in doc.text and "staff – most" in doc.text
    assert doc.metadata["encoding"] == "cp1252"
    assert any("not UTF-8" in w for w in doc.metadata["warnings"])


def test_utf16_with_bom_is_decoded() -> None:
    text = "Rail strike called off\n\n“We are pleased,” said Mark Dunn, the union leader.\n"
    doc = ingest(text.encode("utf-16"))
    assert doc.text == text
    assert doc.metadata["encoding"].lower().replace("-", "_").startswith("utf_16")


# ----------------------------------------------------------------------------- layout of a scraped page

PAGE = """Fishermen count the cost as storm wrecks harbour

Dozens of boats were lost overnight in the worst storm for thirty years

Skip to main content

By Owen Pryce in Aberporth

Boats lie smashed against the harbour wall after the storm
Boats lie smashed against the harbour wall after the storm (AFP)

The storm tore through the small fishing port overnight, leaving dozens of boats wrecked or sunk.

'We have lost everything we built over forty years'
- Gareth Llewellyn, fisherman

Sign up for our morning newsletter and get the day's top stories in your inbox

Coastguards urge caution as high tides return
Read More »

What happens next

Engineers will inspect the harbour wall on Monday.

© 2024 Coastal News Group. All rights reserved.
"""


def test_page_lines_get_their_roles() -> None:
    assert kinds(PAGE) == {
        "Fishermen count the cost as storm wrecks harbour": "headline",
        "Dozens of boats were lost overnight in the worst storm for thirty years": "standfirst",
        "Skip to main content": "boilerplate",
        "By Owen Pryce in Aberporth": "byline",
        "Boats lie smashed against the harbour wall after the storm": "caption",
        "Boats lie smashed against the harbour wall after the storm (AFP)": "caption",
        "The storm tore through the small fishing port overnight, leaving dozens of boats wrecked or sunk.":
            "body",
        "'We have lost everything we built over forty years'": "pullquote",
        "- Gareth Llewellyn, fisherman": "pullquote_credit",
        "Sign up for our morning newsletter and get the day's top stories in your inbox": "boilerplate",
        "Coastguards urge caution as high tides return": "related",
        "Read More »": "boilerplate",
        "What happens next": "heading",
        "Engineers will inspect the harbour wall on Monday.": "body",
        "© 2024 Coastal News Group. All rights reserved.": "boilerplate",
    }


def test_page_metadata() -> None:
    meta = ingest(PAGE).metadata
    assert meta["headline"] == "Fishermen count the cost as storm wrecks harbour"
    assert meta["standfirst"] == "Dozens of boats were lost overnight in the worst storm for thirty years"
    assert meta["author"] == "Owen Pryce"
    assert meta["dateline"] == "Aberporth"


def test_byline_with_two_authors() -> None:
    text = "Council tax to rise\n\nBy Jane Doe and John Roe\n\nThe council said taxes would rise.\n"
    meta = ingest(text).metadata
    assert meta["author"] == "Jane Doe and John Roe"


def test_byline_role_is_not_a_dateline() -> None:
    text = "Council tax to rise\n\nBy Jane Doe, Political Correspondent\n\nThe council said taxes rise.\n"
    meta = ingest(text).metadata
    assert meta["author"] == "Jane Doe"
    assert meta.get("dateline") != "Political Correspondent"


def test_first_line_that_is_a_sentence_is_not_a_headline() -> None:
    text = "The council approved the budget on Tuesday night after a long debate.\n\nIt starts in April.\n"
    assert "headline" not in ingest(text).metadata


# ----------------------------------------------------------------------------- HTML

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Bridge closure to last until summer | Riverside Herald</title>
<meta name="author" content="Nadia Brooks">
<meta property="og:title" content="Bridge closure to last until summer">
<meta property="og:site_name" content="Riverside Herald">
<meta property="article:published_time" content="2024-03-11T08:30:00Z">
</head>
<body>
<header>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
  <li><a href="/weather">Weather</a></li></ul></nav>
</header>
<main>
<article>
  <h1>Bridge closure to last until summer</h1>
  <p class="byline">By Nadia Brooks</p>
  <p>The old town bridge will stay closed to traffic until the summer after inspectors found cracks in two
  of its supporting piers, the county council said on Monday.</p>
  <p>&ldquo;We cannot take any risks with a structure that carries ten thousand vehicles a day,&rdquo; said
  Martin Hale, the council&rsquo;s head of highways.</p>
  <p>Hale said a temporary footbridge would open within a month so that pedestrians could still cross the
  river.</p>
  <p>Shopkeepers on the east bank said trade had already fallen by a third since the bridge closed in
  January.</p>
  <p>&ldquo;If this goes on until August, some of us will not survive,&rdquo; said Priya Shah, who runs a
  bakery near the bridge.</p>
</article>
</main>
<footer><p>&copy; 2024 Riverside Herald. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/contact">Contact us</a></p></footer>
</body>
</html>
"""


@pytest.fixture(scope="module")
def news_page(extractor: saywho.Extractor, consistent: Callable[[Article], None]) -> Article:
    article = extractor(NEWS_PAGE)
    consistent(article)
    return article


def test_html_is_detected() -> None:
    assert looks_like_html(NEWS_PAGE)
    assert not looks_like_html("The council said x < y and y > z in its report.\n")


def test_html_metadata(news_page: Article) -> None:
    meta = news_page.metadata
    assert meta["input_format"] == "html"
    assert meta["headline"] == "Bridge closure to last until summer"
    assert meta["author"] == "Nadia Brooks"
    assert meta["publisher"] == "Riverside Herald"
    assert meta["date"] == "2024-03-11"


def test_html_text_is_the_article_only(news_page: Article) -> None:
    text = news_page.text
    assert text.startswith("Bridge closure to last until summer\n")
    assert "The old town bridge will stay closed" in text
    assert "“We cannot take any risks" in text  # entities decoded
    for furniture in ("Home", "Weather", "Privacy policy", "Contact us", "<p>", "&ldquo;"):
        assert furniture not in text


def test_html_quotes_slice_the_extracted_text(news_page: Article) -> None:
    by_text = {q.text.rstrip(","): q for q in news_page.quotes}
    hale = by_text["We cannot take any risks with a structure that carries ten thousand vehicles a day"]
    assert hale.type == "direct" and news_page.speaker(hale.speaker_id).name == "Martin Hale"  # type: ignore[union-attr]
    shah = by_text["If this goes on until August, some of us will not survive"]
    assert news_page.speaker(shah.speaker_id).name == "Priya Shah"  # type: ignore[union-attr]
    footbridge = next(q for q in news_page.quotes if q.text.startswith("a temporary footbridge"))
    assert footbridge.type == "indirect" and footbridge.speaker_id == hale.speaker_id
    for q in news_page.quotes:
        assert news_page.text[q.start : q.end] == q.text


def test_html_without_a_date_has_no_date(extractor: saywho.Extractor) -> None:
    page = NEWS_PAGE.replace('<meta property="article:published_time" content="2024-03-11T08:30:00Z">\n', "")
    assert "date" not in extractor(page).metadata


def test_html_forced_as_text_keeps_the_markup(extractor: saywho.Extractor) -> None:
    article = extractor(NEWS_PAGE, "text")
    assert article.metadata["input_format"] == "text"
    assert article.text == NEWS_PAGE


def test_html_from_bytes(extractor: saywho.Extractor) -> None:
    article = extractor(NEWS_PAGE.encode("utf-8"))
    assert article.metadata["input_format"] == "html"
    assert "encoding" not in article.metadata
    assert len(article.quotes) >= 4
