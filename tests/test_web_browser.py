"""The page end to end in headless Debian Chromium (Playwright's Python API, no downloaded browser).

Run with `pytest -m browser`; skipped when /usr/bin/chromium or the playwright package is missing.
SAYWHO_UPDATE_SCREENSHOT=1 also writes docs/screenshot.png (the README's picture).
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

from saywho import Extractor  # noqa: E402
from saywho.web import create_app  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
from web_corpus import EXAMPLE, POLNEAR_DEV, build_corpus, shared_file  # noqa: E402

SCREENSHOT = REPO / "docs" / "screenshot.png"
TIMEOUT_MS = 60_000

SCRIPT_ARTICLE = (
    "Bridge to reopen\n\n"
    "The mayor said on Monday: \"We will rebuild the bridge before winter.\" "
    "<script>window.__pwned = 1</script> <img src=x onerror=\"window.__pwned = 2\">\n\n"
    "\"It is a matter of months,\" said Ana Ruiz, the city engineer.\n"
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> tuple[Path, list] | None:
    """None without ../shared: the page tests still run, the search test skips."""
    if not (EXAMPLE.is_file() and POLNEAR_DEV.is_file()):
        return None
    db = tmp_path_factory.mktemp("corpus") / "corpus.db"
    return db, build_corpus(db, extractor)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(corpus: tuple[Path, list] | None, extractor: Extractor) -> Iterator[str]:
    port = free_port()
    app = create_app(str(corpus[0]) if corpus else None, extractor=extractor)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=base_url)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    pg.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    pg.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
    pg.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    # Nothing may be fetched from anywhere but this server.
    pg.on("request", lambda req: None if req.url.startswith((base_url, "data:")) else problems.append(req.url))
    pg.problems = problems
    yield pg
    context.close()
    assert problems == []


def paste_and_extract(page: Any, text: str) -> None:
    page.goto("/")
    page.wait_for_selector("body[data-ready]")
    page.fill("#article-input", text)
    page.click("#extract-button")
    page.wait_for_selector("#article-text")


def test_pasted_article_is_shown_with_every_quote_highlighted(page: Any, extractor: Extractor) -> None:
    text = shared_file(EXAMPLE).read_text(encoding="utf-8")
    article = extractor(text).selected()  # the page shows speech unless asked, as readers count quotes
    paste_and_extract(page, text)

    # The page shows exactly the article text, character for character, built from offsets.
    assert page.text_content("#article-text") == article.text
    shown = set(page.eval_on_selector_all("#article-text .q", "els => els.map(e => e.dataset.quote)"))
    top_level = {q.id for q in article.quotes
                 if not any(o.id != q.id and o.start <= q.start and q.end <= o.end for o in article.quotes)}
    assert top_level <= shown <= {q.id for q in article.quotes}
    assert page.locator(".speaker").count() == len(article.speakers) + (
        1 if any(article.speaker(q.speaker_id) is None for q in article.quotes) else 0)
    assert re.search(rf"{len(article.quotes)} quotes", page.text_content("#extract-status"))
    if any(q.pullquote for q in article.quotes):
        assert page.locator("#article-text .q.pull").count() > 0
    if any(q.nested_in for q in article.quotes):
        assert page.locator("#article-text .q.nested").count() > 0
    if any(r.kind in ("boilerplate", "caption", "related") for r in article.regions):
        assert page.locator("#article-text .dim").count() > 0

    # Clicking the most quoted speaker lights up their quotes and the words that refer to them.
    speaker = max(article.speakers, key=lambda s: sum(q.speaker_id == s.id for q in article.quotes))
    theirs = {q.id for q in article.quotes if q.speaker_id == speaker.id}
    button = page.locator(f".speaker[data-speaker='{speaker.id}']")
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    lit = set(page.eval_on_selector_all("#article-text .q-on", "els => els.map(e => e.dataset.quote)"))
    assert theirs <= lit
    by_id = {q.id: q for q in article.quotes}
    for qid in lit - theirs:  # someone else's quote lights up only where it sits inside one of theirs
        q = by_id[qid]
        assert any(by_id[o].start <= q.start and q.end <= by_id[o].end for o in theirs), qid
    if speaker.mentions:
        mentioned = "".join(page.eval_on_selector_all("#article-text .m-on", "els => els.map(e => e.textContent)"))
        for m in speaker.mentions:
            assert m.text in mentioned
    assert f"{len(theirs)} quote" in page.text_content(".speaker-quotes h3")

    page.locator("#analyse-result").scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, document.querySelector('#analyse-result').offsetTop - 70)")
    page.wait_for_timeout(400)  # let the smooth scroll settle for the picture
    shot = page.screenshot()
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("SAYWHO_UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.write_bytes(shot)

    # Clicking again clears the selection.
    button.click()
    assert page.locator("#article-text .q-on").count() == 0


def test_script_in_an_article_is_shown_as_text_and_never_runs(page: Any) -> None:
    paste_and_extract(page, SCRIPT_ARTICLE)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#article-text script, #article-text img").count() == 0
    assert "<script>window.__pwned = 1</script>" in page.text_content("#article-text")
    assert page.locator("#article-text .q").count() >= 2


def test_uploaded_file_gives_the_same_view(page: Any, extractor: Extractor, tmp_path: Path) -> None:
    source = shared_file(EXAMPLE)
    upload = tmp_path / "article.txt"
    shutil.copyfile(source, upload)
    page.goto("/")
    page.wait_for_selector("body[data-ready]")
    page.set_input_files("#file-input", str(upload))
    page.click("#extract-button")
    page.wait_for_selector("#article-text")
    assert page.text_content("#article-text") == extractor(source.read_bytes()).text


def test_errors_are_shown_to_the_user(page: Any) -> None:
    page.goto("/")
    page.wait_for_selector("body[data-ready]")
    page.click("#extract-button")
    assert "Paste an article" in page.text_content("#extract-status")
    page.fill("#article-input", "\u0000\u0001\u0002 binary")
    page.click("#extract-button")
    page.wait_for_selector("#extract-status.error:has-text('binary')")
    # Chromium logs the expected 422 as a failed load; that one is not a problem.
    page.problems[:] = [p for p in page.problems if "status of 422" not in p]


def test_search_the_corpus_then_open_a_speaker_and_an_article(page: Any, corpus: tuple[Path, list] | None) -> None:
    if corpus is None:
        pytest.skip("../shared is absent: no corpus to search")
    _, stored = corpus
    article_id, article = stored[0]
    article = article.selected()  # the corpus views show speech unless asked
    speaker = max(article.speakers, key=lambda s: sum(q.speaker_id == s.id for q in article.quotes))
    quote = max((q for q in article.quotes if q.speaker_id == speaker.id), key=lambda q: len(q.text))
    word = max(re.findall(r"[A-Za-z]+", quote.text), key=len)

    page.goto("/#/search")
    page.wait_for_selector("body[data-ready]")
    page.wait_for_selector("#top-speakers li")
    page.fill("#search-q", word)
    page.click("#search-button")
    page.wait_for_selector(".result")
    result = page.locator(".result", has_text=quote.text[:60]).first
    assert result.locator("mark").count() > 0
    assert word.casefold() in result.locator("mark").first.text_content().casefold()

    result.locator(".speaker-link").click()
    page.wait_for_selector(".speaker-page h1")
    assert page.locator(".speaker-page h1").text_content() == speaker.name
    assert page.locator("#view-speaker .result").count() >= sum(q.speaker_id == speaker.id for q in article.quotes)

    page.locator("#view-speaker .result", has_text=quote.text[:60]).first.locator("a").last.click()
    page.wait_for_selector("#view-article .article-text")
    assert page.text_content("#view-article .article-text") == article.text
    assert page.locator("#view-article .q-on").count() > 0
    assert page.locator("#view-article .speaker[aria-pressed='true']").count() == 1

    # Back to the search the user came from, with its words still in the box.
    page.click("#view-article .back")
    page.wait_for_selector("#view-search .result")
    assert page.input_value("#search-q") == word

    # The kind toggle asks the corpus again for every kind: more quotes (or as many), labelled.
    speech_only = page.locator("#view-search .result").count()
    asked: list[str] = []
    page.on("request", lambda req: asked.append(req.url) if "/api/quotes" in req.url else None)
    with page.expect_response(lambda r: "/api/quotes" in r.url and "kind=all" in r.url):
        page.check("#kind-all")
    page.wait_for_selector("#search-status.ok")
    assert page.locator("#view-search .result").count() >= speech_only
    badges = page.locator("#view-search .result .kind-badge").all_text_contents()
    assert set(badges) <= {"thought", "intent", "stance"}
    assert any("kind=all" in url for url in asked)


# A speaker who says one thing and believes another, and a plan: speech, thought and intent.
KINDS_ARTICLE = """Harbour council approves ferry plan

"This route will bring visitors back to the old town," said Maria Costa, the council leader.

Costa believes the ferry will pay for itself within five years.

Peter Hale, who runs the boatyard, told reporters that the harbour needed the work.

Hale plans to open a second workshop next spring.
"""


def test_kind_toggle_re_renders_without_re_extracting(page: Any, extractor: Extractor) -> None:
    article = extractor(KINDS_ARTICLE)
    by_kind = {k: {q.id for q in article.quotes if q.kind == k} for k in ("speech", "thought", "intent")}
    assert all(by_kind.values()), by_kind  # the article holds each kind
    extractions: list[str] = []
    page.on("request", lambda req: extractions.append(req.url) if "/api/extract" in req.url else None)
    paste_and_extract(page, KINDS_ARTICLE)

    def shown() -> set[str]:
        return set(page.eval_on_selector_all("#article-text .q", "els => els.map(e => e.dataset.quote)"))

    # Speech by default, with the rest counted as not shown; the text is the article's either way.
    assert shown() == by_kind["speech"]
    assert page.text_content("#article-text") == article.text
    assert page.locator("#article-text [data-kind]").count() == 0
    assert f"{len(by_kind['speech'])} quotes" in page.text_content("#extract-status")
    assert "more of other kinds" in page.text_content(".summary")

    page.check("#kind-toggle input[value=thought]")
    assert shown() == by_kind["speech"] | by_kind["thought"]
    badge = page.locator("#article-text .qe[data-kind='thought']")
    assert badge.count() == 1
    # The badge names the kind, and the type too where the quote is reported speech.
    after = badge.evaluate("e => getComputedStyle(e, '::after').content")
    thought = next(q for q in article.quotes if q.kind == "thought")
    assert after == ('"thought"' if thought.type == "direct" else f'"{thought.type} · thought"')
    assert page.text_content("#article-text") == article.text  # the badge is no text of the article

    page.check("#kind-all")
    assert shown() == {q.id for q in article.quotes}
    assert page.locator("#kind-toggle input[value=stance]").is_checked()
    page.uncheck("#kind-toggle input[value=speech]")
    assert not page.is_checked("#kind-all")
    assert shown() == {q.id for q in article.quotes if q.kind != "speech"}
    # The speaker panel follows: Hale's plan is still his quote; his speech is gone.
    hale = next(s for s in article.speakers if s.name == "Peter Hale")
    assert "1 quote" in page.text_content(f".speaker[data-speaker='{hale.id}'] .count")

    page.check("#kind-all")
    page.uncheck("#kind-all")  # unchecking "all" goes back to speech only
    assert shown() == by_kind["speech"]
    assert len(extractions) == 1  # every view above came from the one extraction


# Direct and reported speech from two speakers; the mayor's indirect quote has no marks of its own.
REPORTED_ARTICLE = """Bridge to reopen before winter

"We will rebuild the bridge before the first snow," said Ana Ruiz, the mayor of Riverton.

Ruiz said the contractor had already ordered the steel.

"The river is lower than it has been in years," said Tom Becker, the site engineer.
"""


def wait_until(page: Any, expression: str, timeout_s: float = 30.0) -> None:
    """Playwright's wait_for_function compiles its predicate with eval, which the page's CSP
    refuses; page.evaluate does not, so poll with it."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            pytest.fail(f"never true: {expression}")
        page.wait_for_timeout(50)


def test_reported_speech_labels_and_keyboard_access(page: Any, extractor: Extractor) -> None:
    article = extractor(REPORTED_ARTICLE).selected()
    by_type = {q.type: q for q in article.quotes}
    assert {"direct", "indirect"} <= set(by_type), [q.type for q in article.quotes]
    paste_and_extract(page, REPORTED_ARTICLE)
    assert page.text_content("#article-text") == article.text  # labels and badges are no text of it

    # Every quote is labelled with its speaker's name, not only its colour.
    labels = page.eval_on_selector_all("#article-text .qs", "els => els.map(e => [e.dataset.quote, e.dataset.label])")
    names = {q.id: article.speaker(q.speaker_id).name for q in article.quotes if q.speaker_id}
    assert {qid: label for qid, label in labels} == names
    label = page.locator(f"#article-text .qs[data-quote='{by_type['direct'].id}']")
    assert label.evaluate("e => getComputedStyle(e, '::before').content") == f'"{names[by_type["direct"].id]}"'
    # Reported speech carries a type badge; a direct quote none.
    indirect = by_type["indirect"]
    ends = page.eval_on_selector_all("#article-text .qe",
                                     "els => els.map(e => [e.dataset.quote, e.dataset.badge || ''])")
    assert dict(ends)[indirect.id] == "indirect" and dict(ends)[by_type["direct"].id] == ""

    # Keyboard: Tab reaches the first quote, the arrows move between quotes, Enter shows the speaker.
    stops = [q.id for q in sorted(article.quotes, key=lambda q: q.start)]
    page.focus("#extract-button")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.stop"):
            break
    assert page.evaluate("document.activeElement.dataset.stop") == stops[0]
    assert names[stops[0]] in page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.stop") == stops[1]
    page.keyboard.press("End")
    assert page.evaluate("document.activeElement.dataset.stop") == stops[-1]
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.dataset.stop") == stops[-2]
    page.keyboard.press("Enter")
    speaker = next(q for q in article.quotes if q.id == stops[-2]).speaker_id
    assert page.get_attribute(f".speaker[data-speaker='{speaker}']", "aria-pressed") == "true"

    assert not page.is_visible(".panel-toggle")  # the drawer is a phone's; a desktop shows the panel beside
    # In the speaker panel only direct quotes are in quotation marks.
    page.click(f".speaker[data-speaker='{indirect.speaker_id}']")
    page.click(f".speaker[data-speaker='{indirect.speaker_id}']")
    items = page.eval_on_selector_all(".speaker-quotes li", "els => els.map(e => [e.className, e.textContent])")
    assert any(cls == "reported" and "“" not in text and "indirect" in text for cls, text in items), items
    assert any(cls == "direct" and "“" in text for cls, text in items), items


def test_extraction_shows_a_spinner_with_the_seconds_so_far(page: Any) -> None:
    page.goto("/")
    page.wait_for_selector("body[data-ready]")
    held: list[Any] = []
    page.route("**/api/extract", lambda route: held.append(route))  # answered once the clock has run
    page.fill("#article-input", REPORTED_ARTICLE)
    page.click("#extract-button")
    wait_until(page, "parseFloat(document.querySelector('#extract-status .elapsed').textContent) >= 0.3")
    assert page.is_visible("#extract-status.busy")
    assert page.is_disabled("#extract-button")
    assert re.fullmatch(r"Finding quotes… \d+\.\d s", page.text_content("#extract-status"))
    held[0].continue_()
    page.wait_for_selector("#article-text")
    assert re.search(r"Found \d+ quotes and \d+ speakers in \d+\.\d s", page.text_content("#extract-status"))


def test_phone_layout_puts_the_speakers_first_in_a_drawer(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=base_url, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        paste_and_extract(page, shared_file(EXAMPLE).read_text(encoding="utf-8"))
        panel, text = page.locator(".panel").bounding_box(), page.locator("#article-text").bounding_box()
        assert panel["y"] < text["y"] and panel["width"] > 300  # one column, the speakers on top
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
        page.locator("#analyse-result").scroll_into_view_if_needed()
        page.wait_for_timeout(400)
        shot = page.screenshot()
        if os.environ.get("SAYWHO_UPDATE_SCREENSHOT") == "1":
            (REPO / "docs" / "phone.png").write_bytes(shot)
        toggle = page.locator(".panel-toggle")
        assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "true"
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "false" and not page.is_visible(".speaker-list")
        assert page.locator(".panel").bounding_box()["height"] < panel["height"]
        page.locator("#article-text [data-stop]").first.focus()
        page.keyboard.press("Enter")  # a quote's speaker opens the drawer again
        assert toggle.get_attribute("aria-expanded") == "true" and page.is_visible(".speaker-quotes h3")
    finally:
        context.close()


def test_search_facets_counts_sort_and_download(page: Any, corpus: tuple[Path, list] | None, tmp_path: Path) -> None:
    if corpus is None:
        pytest.skip("../shared is absent: no corpus to search")
    page.goto("/#/search?q=said")
    page.wait_for_selector("#search-facets .facet")
    total = int(re.search(r"([\d,]+) quotes? found", page.text_content("#search-status")).group(1).replace(",", ""))
    for name in ("outlet", "type", "gender"):
        counts = page.eval_on_selector_all(f".facet[data-facet='{name}'] .count", "els => els.map(e => e.textContent)")
        assert sum(int(c.replace(",", "")) for c in counts) == total, name
    outlet = page.locator(".facet[data-facet='outlet'] a.facet-value").first
    name, count = outlet.evaluate("e => [e.firstChild.textContent.trim(), e.querySelector('.count').textContent]")
    outlet.click()
    page.wait_for_selector(".facet[data-facet='outlet'] a.facet-value.on")
    page.wait_for_selector("#search-status.ok")
    assert f"{count} quote" in page.text_content("#search-status")
    shown = page.eval_on_selector_all(".result .meta .nowrap", "els => els.map(e => e.textContent)")
    assert shown and all(name in t for t in shown)

    page.select_option("#search-sort", "oldest")
    wait_until(page, "location.hash.includes('sort=oldest')")
    page.wait_for_selector("#search-status.ok")
    with page.expect_download() as info:
        page.click("#search-downloads .download-csv")
    saved = tmp_path / "quotes.csv"
    info.value.save_as(saved)
    with saved.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == int(count.replace(",", "")) and {r["outlet"] for r in rows} == {name}
    href = page.get_attribute("#search-downloads .download-json", "href")
    assert "_format=json" in href and "sort=oldest" in href and f"outlet={name.replace(' ', '+')}" in href


def test_audit_dashboard_draws_charts_and_follows_a_facet(page: Any, corpus: tuple[Path, list] | None) -> None:
    if corpus is None:
        pytest.skip("../shared is absent: no corpus to audit")
    page.goto("/#/audit")
    page.wait_for_selector("body[data-audit=ready]")
    assert page.locator("#view-audit .audit-panel svg").count() >= 5  # every chart is drawn
    assert page.locator("#view-audit style").count() == 0  # Plot's inline <style> never reaches the page
    headline = page.text_content(".audit-total")
    page.wait_for_timeout(300)
    shot = page.screenshot()
    if os.environ.get("SAYWHO_UPDATE_SCREENSHOT") == "1":
        (REPO / "docs" / "dashboard.png").write_bytes(shot)

    gender = page.locator("#audit-facets .facet[data-facet='gender'] a.facet-value").last
    label, count = gender.evaluate("e => [e.firstChild.textContent.trim(), e.querySelector('.count').textContent]")
    gender.click()
    wait_until(page, f"location.hash.includes('gender={label}')")
    page.wait_for_selector("body[data-audit=ready]")
    assert page.text_content(".audit-total").startswith(f"{count} quote")
    assert page.text_content(".audit-total") != headline or count in headline
    assert page.locator("#audit-facets a.facet-value.on").count() == 1
    assert page.locator("#view-audit .audit-panel svg").count() >= 5
    csv_link = page.get_attribute("#view-audit .download-csv", "href")
    assert csv_link.startswith("/api/audit?") and f"gender={label}" in csv_link
