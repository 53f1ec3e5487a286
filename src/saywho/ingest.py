"""Ingest: bytes or str in, article text with metadata and one region (role) per line out.

Text input is kept exactly as given, so offsets index the user's own string. HTML goes
through trafilatura; then the extracted text is laid out the same way. Scraped pages
keep their menus, promos and captions: the layout rules below mark them so that no
quote is ever read from them.
"""

from __future__ import annotations

import re
from typing import Any, Literal

import charset_normalizer

from .errors import InputError
from .model import Region, RegionKind
from .types import Document

InputFormat = Literal["auto", "text", "html"]
MAX_CHARS = 5_000_000  # a news article is far below this; past it the input is not an article


# --------------------------------------------------------------------------- decoding

def decode(data: bytes) -> tuple[str, str | None]:
    """Decode bytes; returns the text and the encoding used when it was not UTF-8."""
    if not data.strip():
        raise InputError("input is empty")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("input looks binary (NUL bytes), not an article")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    match = charset_normalizer.from_bytes(data[:200_000]).best()
    if match is None:
        raise InputError("input is not text in any encoding saywho can detect")
    encoding = match.encoding
    # Western news in a single-byte code page is far more often cp1252 than its neighbours.
    if encoding.startswith(("cp125", "latin", "iso8859")):
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    return data.decode(encoding, errors="replace"), encoding


_HTML_SIGNS = re.compile(r"<(?:!doctype\s+html|html|head|body|p|div|article|meta|title)\b", re.I)


def looks_like_html(text: str) -> bool:
    head = text[:4096]
    return bool(_HTML_SIGNS.search(head)) and head.count("<") >= 3


def _check_text(text: str) -> None:
    if not text.strip():
        raise InputError("input is empty")
    if len(text) > MAX_CHARS:
        raise InputError(f"input is {len(text):,} characters; an article is at most {MAX_CHARS:,}")
    sample = text[:20_000]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f\v")
    if controls > len(sample) * 0.05 or sample.count("\ufffd") > len(sample) * 0.1:
        raise InputError("input looks binary, not an article")


# --------------------------------------------------------------------------- layout rules

_BOILERPLATE = re.compile(
    r"^(?:skip to (?:main )?content|sign up\b|subscribe\b|stay informed\b|follow us\b|"
    r"follow @?\w+ on\b|share (?:this|on)\b|advertisement\b|read more\b|read next\b|"
    r"related:|more from\b|click here\b|this article (?:is|was) (?:available|originally|first)|"
    r"copyright\b|all rights reserved|©|\(c\) \d{4}|listen to this article|"
    r"get the latest\b|join our\b|download (?:our|the) app|cookie|privacy policy|terms of (?:use|service)|"
    r"image:|photo:|caption:|loading\b|sponsored\b|comments?\b|email\b|print\b|tweet\b)",
    re.I,
)
_BOILERPLATE_ANYWHERE = re.compile(
    r"republish(?:ing)? this content|all rights reserved|newsletters?\b.*\bsign up|"
    r"to learn more about republishing|unsubscribe at any time",
    re.I,
)
_READ_MORE = re.compile(r"^(?:read more|read the full story|continue reading)\b.{0,3}$", re.I)
_CREDIT = re.compile(r"\((?:[A-Z][\w.&'’-]*(?:[ /][\w.&'’-]+){0,4}|(?:photo|image|picture)[^()]{0,60})\)\s*$")
_BYLINE = re.compile(
    r"^by\s+(?P<author>[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|and|de|van|von|al-\w+))*?)"
    r"(?:\s*(?:,|\bin\b)\s*(?P<place>[A-Z][\w .,'’-]+))?\s*$",
    re.I,
)
_ROLE_WORDS = re.compile(
    r"\b(?:correspondent|editor|reporter|writer|staff|contributor|columnist|producer|analyst|"
    r"bureau chief|critic|desk)\b", re.I
)
_DASH_CREDIT = re.compile(r"^[-–—]\s*(?P<name>[^,]+?)(?:,\s*(?P<role>.+))?\s*$")
_OPENERS = "\"“‘'«„"
_CLOSERS = "\"”’'»“"
_SENTENCE_END = tuple(".!?:;\"”’'»…)")
_PUBLISHER_SELF = re.compile(
    r"(?:\bon\s+(?P<a>[A-Z][\w’'&-]*(?:\s+[A-Z][\w’'&-]*){0,4})\s+\w+\s+edition\b)|"
    r"(?:^(?P<b>[A-Z][\w’'&-]*(?:\s+[A-Z][\w’'&-]*){0,4})\s+(?:delivers|provides|brings|is an? "
    r"(?:independent|digital|news))\b)"
)


def _lines(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as (start, end) with surrounding whitespace trimmed."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _is_wholly_quoted(line: str) -> bool:
    return len(line) > 2 and line[0] in _OPENERS and line.rstrip(".")[-1] in _CLOSERS


def _is_short_title(line: str) -> bool:
    """A heading or headline: short, no sentence-final punctuation."""
    words = line.split()
    return 0 < len(words) <= 14 and not line.endswith(_SENTENCE_END[:5])


def layout(text: str, *, first_line_is_headline: bool = True) -> tuple[list[Region], dict[str, Any]]:
    """Give every non-blank line of ``text`` a role, and read metadata from the page furniture."""
    lines = _lines(text)
    strings = [text[s:e] for s, e in lines]
    kinds: list[RegionKind] = ["body"] * len(lines)
    meta: dict[str, Any] = {}

    for i, line in enumerate(strings):
        nxt = strings[i + 1] if i + 1 < len(strings) else ""
        if _READ_MORE.match(line):
            kinds[i] = "boilerplate"
            if i > 0 and _is_short_title(strings[i - 1]):
                kinds[i - 1] = "related"
        elif _BOILERPLATE_ANYWHERE.search(line) or (
            len(line.split()) <= 25 and _BOILERPLATE.match(line)
        ):
            kinds[i] = "boilerplate"
        elif _CREDIT.search(line) and not line.rstrip(")").rstrip().endswith((".", "!", "?")):
            kinds[i] = "caption"
            # Captions are often printed twice: once bare (an alt text), once with the credit.
            if i > 0 and line.startswith(strings[i - 1]) and kinds[i - 1] == "body":
                kinds[i - 1] = "caption"
        elif nxt == line and len(line.split()) <= 40 and not any(c in line for c in _OPENERS):
            kinds[i] = kinds[i + 1] = "caption"
        elif (m := _BYLINE.match(line)) and len(line.split()) <= 12 and "author" not in meta:
            kinds[i] = "byline"
            meta["author"] = m.group("author").strip()
            place = (m.group("place") or "").strip()
            if place and _ROLE_WORDS.search(place):
                meta["author_role"] = place  # "By Jane Doe, Political Correspondent"
            elif place:
                meta["dateline"] = place
        elif _is_wholly_quoted(line) and _DASH_CREDIT.match(nxt) and len(nxt.split()) <= 10:
            kinds[i], kinds[i + 1] = "pullquote", "pullquote_credit"

    # Headline: the first line of the article proper; standfirst: a summary line after it.
    content = [i for i, k in enumerate(kinds) if k == "body"]
    if content and first_line_is_headline and _is_short_title(strings[content[0]]):
        h = content[0]
        kinds[h] = "headline"
        meta["headline"] = strings[h]
        following = [i for i in content[1:] if i > h]
        if following:
            s = following[0]
            between = kinds[h + 1 : s]
            if all(k in ("caption", "boilerplate") for k in between) and not strings[s].endswith(
                (".", "!", "?", "”", '"')
            ) and len(strings[s].split()) >= 6:
                kinds[s] = "standfirst"
                meta["standfirst"] = strings[s]
    for i, k in enumerate(kinds):
        if k == "body" and _is_short_title(strings[i]) and i > 0:
            is_heading = len(strings[i].split()) <= 10 and (
                not strings[i][-1:].isalnum() or strings[i][:1].isupper()
            )
            if is_heading and not strings[i].endswith(",") and not _is_continuing(strings, i):
                kinds[i] = "heading"

    for (_s, _e), k, line in zip(lines, kinds, strings, strict=True):
        if k == "boilerplate" and "publisher" not in meta:
            m = _PUBLISHER_SELF.search(line)
            if m:
                meta["publisher"] = (m.group("a") or m.group("b")).strip()
    regions = [Region(s, e, k) for (s, e), k in zip(lines, kinds, strict=True)]
    return regions, meta


def _is_continuing(strings: list[str], i: int) -> bool:
    """A short unpunctuated line that opens or closes a quotation is prose, not a heading."""
    line = strings[i]
    return line[:1] in "“\"" or line[-1:] in "”\""


# --------------------------------------------------------------------------- entry point

def ingest(source: str | bytes, input_format: InputFormat = "auto") -> Document:
    """Decode, detect HTML or text, extract the article, lay out its lines."""
    encoding = None
    if isinstance(source, bytes):
        source, encoding = decode(source)
    _check_text(source)
    fmt = input_format
    if fmt == "auto":
        fmt = "html" if looks_like_html(source) else "text"
    if fmt == "html":
        doc = _from_html(source)
    else:
        regions, meta = layout(source)
        doc = Document(source, meta, regions)
    doc.metadata["input_format"] = fmt
    if encoding:
        doc.metadata["encoding"] = encoding
        doc.metadata.setdefault("warnings", []).append(f"input was not UTF-8; decoded as {encoding}")
    if not doc.quote_regions():
        doc.metadata.setdefault("warnings", []).append("no article text found")
    return doc


def _has_prose(body: str) -> bool:
    """At least one line that reads as a sentence: menus and form labels are not an article."""
    return any(len(line.split()) >= 6 for line in body.splitlines())


def _from_html(html: str) -> Document:
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_recall=True,
        # a date from the page's metadata or text, never guessed from a copyright line
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    body = (getattr(extracted, "text", None) or "").strip() if extracted is not None else ""
    if not _has_prose(body):
        raise InputError("no article text found in the HTML")
    title = (getattr(extracted, "title", None) or "").strip()
    # The title leads the text so that headline quotes ("..., says X") are found like any other.
    text = f"{title}\n\n{body}\n" if title and not body.startswith(title) else body + "\n"
    regions, meta = layout(text, first_line_is_headline=bool(title))
    for key, attr in (("headline", "title"), ("author", "author"), ("date", "date"),
                      ("publisher", "sitename"), ("url", "url"), ("standfirst", "description")):
        value = getattr(extracted, attr, None)
        if value and (key not in meta or key in ("headline", "author", "publisher")):
            meta[key] = value
    return Document(text, meta, regions)
