"""Ingest: bytes or str in, article text with metadata and one region (role) per line out.

Text input is kept exactly as given, so offsets index the user's own string. HTML goes
through trafilatura; then the extracted text is laid out the same way. Scraped pages
keep their menus, promos and captions: the layout rules below mark them so that no
quote is ever read from them.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Literal

import charset_normalizer

from .errors import InputError
from .model import Region, RegionKind
from .types import Document

InputFormat = Literal["auto", "text", "html"]
MAX_CHARS = 5_000_000  # a news article is far below this; past it the input is not an article


# --------------------------------------------------------------------------- decoding

def decode(data: bytes) -> tuple[str, str | None]:
    """Decode bytes; returns the text and the encoding used when it was not UTF-8.

    UTF-8 first; then cp1252 (or Latin-1) when the result reads as Western text, since Western
    news in a single-byte code page is far more often that than the neighbours a detector picks
    for a short sample (cp775, cp932); only then the detector, trusted when it is coherent."""
    if not data.strip():
        raise InputError("input is empty")
    if data.lstrip()[:5] == b"%PDF-":
        raise InputError("input is a PDF document, not an article: extract its text first")
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("input looks binary (NUL bytes), not an article")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        for western in ("cp1252", "latin-1"):
            try:
                text = data.decode(western)
            except UnicodeDecodeError:
                continue
            if _reads_as_western(text):
                return text, western
    match = charset_normalizer.from_bytes(data[:200_000]).best()
    if match is None:
        raise InputError("input is not text in any encoding saywho can detect")
    encoding = match.encoding
    if encoding.startswith(("cp125", "latin", "iso8859")):
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    # An incoherent best guess (chaos: the share of the text that looks like mojibake) is worth
    # less than Latin-1, which at least keeps every ASCII character as it was.
    if match.chaos > 0.3:
        return data.decode("latin-1"), "latin-1"
    return data.decode(encoding, errors="replace"), encoding


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a byte-order mark: ASCII letters leave a NUL in every other byte."""
    sample = data[:8192]
    if len(sample) < 8 or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    even, odd = sample[0::2], sample[1::2]
    for encoding, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) >= len(zeros) * 0.7 and other.count(0) <= len(other) * 0.05:
            try:
                text = data[: len(data) // 2 * 2].decode(encoding)
            except UnicodeDecodeError:
                return None
            return text, encoding
    return None


# Characters a Western article decoded with the right code page holds beyond ASCII.
_WESTERN = re.compile(
    r"[\u00a0-\u00ff\u2013\u2014\u2018-\u201e\u2022\u2026\u20ac\u0152\u0153\u0160\u0161\u0178\u017d\u017e]"
)


def _reads_as_western(text: str) -> bool:
    """Mostly ASCII, and what is not is Latin-1 letters and typographic punctuation, with letters
    not the C1 controls and rare symbols (¤ ¦ ¨ ¬ × ÷) that a wrong code page produces."""
    sample = text[:200_000]
    beyond = [c for c in sample if ord(c) > 127]
    if not beyond:
        return True
    if len(beyond) > len(sample) * 0.2:
        return False
    western = sum(1 for c in beyond if _WESTERN.match(c))
    odd = sum(1 for c in beyond if c in "\u00a4\u00a6\u00a8\u00ac\u00af\u00b4\u00b8\u00be\u00bc\u00bd\u00d7\u00f7")
    return western >= len(beyond) * 0.9 and odd <= len(beyond) * 0.05


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
    r"follow @?\w+ on\b|share (?:this|on)\b|read more\b|read next\b|"
    r"related:|more from\b|click here\b|this article (?:is|was) (?:available|originally|first)|"
    r"copyright\b|all rights reserved|©|\(c\) \d{4}|listen to this article|"
    r"get the latest\b|join our\b|download (?:our|the) app|privacy policy|terms of (?:use|service)|"
    r"image:|photo:|caption:)",
    re.I,
)
# Words that open page furniture ("Comments (3)", "Email this", "Loading...") and prose alike
# ("Comments from the minister: ..."): they mark boilerplate only in a line shaped like furniture.
_FURNITURE_WORD = re.compile(r"^(?:advertisement|cookies?|loading|sponsored|comments?|email|print|tweet)\b", re.I)
_LINK_LIKE = re.compile(r"https?://|www\.|\S+@\S+\.\w|\s[|•·]\s")
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


# Line breaks of every convention: CR-only (old Mac), CRLF, LF and the Unicode separators. The
# text itself is never rewritten, so offsets stay those of the input.
_LINE = re.compile(r"[^\r\n\u2028\u2029]+")
# A line longer than this is a whole article on one line (or paragraphs joined by a scraper):
# it is laid out as paragraphs of a few sentences, so one boilerplate phrase in it cannot drop
# everything and the parser never sees more than a paragraph.
LONG_LINE = 2_000
PARAGRAPH_CHARS = 600
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


def _lines(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as (start, end) with surrounding whitespace trimmed; over-long lines come
    back as their paragraphs."""
    out = []
    for m in _LINE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e - s > LONG_LINE:
            out.extend(_paragraphs(text, s, e))
        elif e > s:
            out.append((s, e))
    return out


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A long line cut after sentence ends, never inside a double quotation, into pieces of
    about PARAGRAPH_CHARS (a mark that never closes cannot hold more than LONG_LINE together)."""
    out: list[tuple[int, int]] = []
    s = start
    inside = False  # within a double quotation, by a left-to-right reading of the marks
    scanned = start
    for m in _SENTENCE_BREAK.finditer(text, start, end):
        inside = _inside_after(text, scanned, m.end(), inside)
        scanned = m.end()
        if (not inside and m.start() - s >= PARAGRAPH_CHARS) or m.start() - s >= LONG_LINE:
            out.append((s, m.start() + len(m.group().rstrip())))
            s = m.end()
            inside = False
    if s < end:
        out.append((s, end))
    return out


def _inside_after(text: str, start: int, end: int, inside: bool) -> bool:
    """Whether a double quotation is open at ``end``: curly marks say which way they go, a
    straight one opens at a word start and closes otherwise (mixed "...” pairs included)."""
    for i in range(start, end):
        c = text[i]
        if c in "“«„":
            inside = True
        elif c in "”»":
            inside = False
        elif c == '"':
            before = text[i - 1] if i > 0 else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            inside = (before.isspace() or before in "([—–-") and not after.isspace()
    return inside


def _holds_quotation(line: str) -> bool:
    """An opening mark with a closing one after it: a line that quotes someone is prose."""
    opened = min((i for i in (line.find(c) for c in "“\"«") if i >= 0), default=-1)
    return opened >= 0 and any(c in line[opened + 1 :] for c in "”\"»")


def _furniture_shaped(line: str, repeats: int) -> bool:
    """Short and unquoted, link-like, or printed more than once on the page."""
    return (len(line.split()) <= 8 and not _holds_quotation(line)) or bool(_LINK_LIKE.search(line)) or repeats > 1


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
    repeats = Counter(strings)

    for i, line in enumerate(strings):
        nxt = strings[i + 1] if i + 1 < len(strings) else ""
        if _READ_MORE.match(line):
            kinds[i] = "boilerplate"
            if i > 0 and _is_short_title(strings[i - 1]):
                kinds[i - 1] = "related"
        elif _BOILERPLATE_ANYWHERE.search(line) or (
            len(line.split()) <= 25 and _BOILERPLATE.match(line) and not _holds_quotation(line)
        ) or (_FURNITURE_WORD.match(line) and _furniture_shaped(line, repeats[line])):
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

INPUT_FORMATS: tuple[str, ...] = ("auto", "text", "html")
_SURROGATES = re.compile("[\ud800-\udfff]")


def make_safe(text: str) -> tuple[str, int]:
    """Lone surrogates (which JSON and Python strings allow, but no encoder writes) replaced one
    for one by U+FFFD, so every offset into the input still indexes the same character."""
    safe, count = _SURROGATES.subn("\ufffd", text)
    return safe, count


def ingest(source: str | bytes, input_format: InputFormat = "auto") -> Document:
    """Decode, detect HTML or text, extract the article, lay out its lines."""
    if input_format not in INPUT_FORMATS:
        raise InputError(f"input_format must be one of {', '.join(INPUT_FORMATS)}, not {input_format!r}")
    if isinstance(source, (bytearray, memoryview)):
        source = bytes(source)
    if not isinstance(source, (str, bytes)):
        raise InputError(f"expected the article as str or bytes, not {type(source).__name__}")
    encoding = None
    if isinstance(source, bytes):
        source, encoding = decode(source)
    elif source.lstrip()[:5] == "%PDF-":
        raise InputError("input is a PDF document, not an article: extract its text first")
    source, replaced = make_safe(source)
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
    if replaced:
        doc.metadata.setdefault("warnings", []).append(
            f"{replaced} unencodable code point(s) (lone surrogates) replaced by U+FFFD; offsets unchanged"
        )
    if not doc.quote_regions():
        doc.metadata.setdefault("warnings", []).append("no article text found")
    elif not reads_as_english(" ".join(doc.text[r.start : r.end] for r in doc.quote_regions())):
        # The rules and models are English ones: on other languages they find names and cues
        # that are not there. A clean empty result, flagged, is what such an article gets.
        doc.metadata["language"] = "not English"
        doc.metadata.setdefault("warnings", []).append("text does not read as English prose; no quotes extracted")
    return doc


# The commonest English function words; other languages that use the Latin alphabet share few
# of them ("a" and "o" are left out: Portuguese and Spanish articles).
ENGLISH_WORDS = frozenset("""
the of and to in is that for it was on with as he she his her they at by this be are from have has
had not but or an said says will would who which their we you been were its more than about after
""".split())
_WORD = re.compile(r"[^\W\d_]+")
MIN_WORDS_TO_JUDGE = 20
MIN_ENGLISH_SHARE = 0.12  # English news runs at 0.3-0.45; German, Portuguese, Indonesian under 0.05


def reads_as_english(text: str) -> bool:
    """Whether the text reads as English: enough of its first 2,000 words are English function
    words. Too short to judge reads as English (a headline, a one-line quote)."""
    words = _WORD.findall(text[:20000].lower())[:2000]
    if len(words) < MIN_WORDS_TO_JUDGE:
        return True
    return sum(w in ENGLISH_WORDS for w in words) / len(words) >= MIN_ENGLISH_SHARE


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
