"""Reading one archive record: the rules `saywho run` and the Spark job share.

Which JSON field holds the text, the HTML and the id; which fields state the outlet, date, url,
headline and author, top level first, then under ``"metadata"`` (PolNeAR); which strings mean
"missing"; what the archive states versus what extraction found in the page; a date as an ISO
day; which WARC records are articles; an outlet from a URL. The local runner
(``saywho.corpus.sources`` and ``runner``) and ``saywho.spark`` both call these functions, so
the two paths cannot drift apart again.

WARC records, decided once for both paths:

* ``response`` records are pages when their HTTP status is 200 *or the status line has no
  code* (``HTTP/1.1`` alone, as some crawlers write it) and their HTTP Content-Type is HTML: a
  missing code says nothing against the page, and a non-article is rejected by extraction
  anyway. Any other status (404, 301...) is not an article.
* A ``response`` with no HTTP block at all (raw HTML stored as a response) cannot be read:
  warcio takes the page's first line for the status line and its body is lost, so it is
  skipped like any non-200 record.
* ``resource`` records are pages when their WARC Content-Type is HTML. Every other record type
  (request, metadata, warcinfo, revisit) is skipped.

Only the standard library is imported at module level (Spark executors import this module too);
written-out dates are read by dateparser, a dependency of saywho, imported when first needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

# The record fields holding the article and its id (Spark lets the user rename them).
ID_KEY = "id"
TEXT_KEY = "text"
HTML_KEY = "html"
# Where a record states its metadata, in order of preference; the name on the left is the key
# of ``Article.metadata`` it fills ("publisher" is the store's and the Spark output's "outlet").
RECORD_KEYS: dict[str, tuple[str, ...]] = {
    "url": ("url", "link"),
    "date": ("date", "publication_date", "published", "pub_date"),
    "publisher": ("outlet", "publisher", "source", "site"),
    "headline": ("headline", "title"),
    "author": ("author", "authors", "byline"),
}
# Strings exporters write for "no value": a record stating `"outlet": "null"` states nothing.
MISSING = frozenset({"", "none", "null", "n/a", "nan"})
HTML_TYPES = ("text/html", "application/xhtml+xml")
# Day and month order of numeric dates ("04/10/2016"): day first unless a locale says otherwise
# (`saywho run --date-order MDY` for US archives). Written-out months are never ambiguous.
DATE_ORDERS = ("DMY", "MDY")
DEFAULT_DATE_ORDER = "DMY"


def is_missing(value: Any) -> bool:
    """None, NaN (pandas' missing value) or one of the ``MISSING`` strings."""
    if value is None or (isinstance(value, float) and value != value):
        return True
    return isinstance(value, str) and value.strip().lower() in MISSING


def text_value(value: Any) -> str | None:
    """A metadata value as one stripped string (lists joined by commas); None when blank."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    text = str(value).strip()
    return text or None


# --------------------------------------------------------------------------- JSON records

def pick(obj: dict[str, Any], keys: tuple[str, ...]) -> Any:
    """The first stated value of ``keys``: every key at the top level, then under "metadata"."""
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    for d in (obj, meta):
        for key in keys:
            value = d.get(key)
            if not is_missing(value):
                return value
    return None


def record_metadata(obj: dict[str, Any]) -> dict[str, Any]:
    """What a JSON record states about its article, keyed like ``Article.metadata``."""
    fields = {name: pick(obj, keys) for name, keys in RECORD_KEYS.items()}
    return {k: v for k, v in fields.items() if v is not None}


def record_body(
    obj: dict[str, Any], text_key: str = TEXT_KEY, html_key: str = HTML_KEY
) -> tuple[str, str] | None:
    """(payload, input_format): a non-blank HTML string wins over the text, as the page also
    holds the headline and layout; the text is read as plain text. None when neither is a string."""
    page = obj.get(html_key)
    if isinstance(page, str) and page.strip():
        return page, "html"
    text = obj.get(text_key)
    if isinstance(text, str):
        return text, "text"
    return None


def record_id(obj: dict[str, Any], id_key: str = ID_KEY) -> str | None:
    value = obj.get(id_key)
    return str(value) if value is not None else None


# --------------------------------------------------------------------------- precedence

def apply_stated(meta: dict[str, Any], stated: dict[str, Any], defaults: dict[str, Any]) -> None:
    """Merge into the extracted ``meta`` in place (its key order is what gets stored): what the
    archive states wins over what extraction found; ``defaults`` (a WARC's crawl date and host)
    only fill what neither gives."""
    for key, value in stated.items():
        if not is_missing(value):
            meta[key] = value
    for key, value in defaults.items():
        if is_missing(meta.get(key)) and not is_missing(value):
            meta[key] = value


def article_columns(meta: dict[str, Any], date_order: str = DEFAULT_DATE_ORDER) -> dict[str, str | None]:
    """The outlet, date and url columns of an article, from its merged metadata, as the store
    keeps them and the Spark job writes them."""
    return {
        "outlet": text_value(meta.get("publisher")),
        "date": normalize_date(meta.get("date"), date_order),
        "url": text_value(meta.get("url")),
    }


# --------------------------------------------------------------------------- dates

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:\D|$)")
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})\s*$")
_SLASHED_ISO = re.compile(r"^\s*(\d{4})/(\d{1,2})/(\d{1,2})\s*$")


def _iso(year: str | int, month: str | int, day: str | int) -> str | None:
    try:
        return datetime(int(year), int(month), int(day)).date().isoformat()
    except ValueError:
        return None


def normalize_date(value: Any, date_order: str = DEFAULT_DATE_ORDER) -> str | None:
    """A date as ``YYYY-MM-DD`` from ISO strings, WARC/HTTP dates, numeric dates (in
    ``date_order``) and written-out dates ("Oct. 4, 2016", "Tuesday, October 4, 2016", "4 October
    2016", read by dateparser), or datetimes; None if unreadable. Only absolute dates with a
    day, a month and a year are read: a date column must not depend on the day the job ran
    ("yesterday", "2 hours ago")."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    text = str(value).strip()
    if not text:
        return None
    for pattern in (_ISO_DATE, _COMPACT_DATE, _SLASHED_ISO):
        m = pattern.match(text)
        if m:
            return _iso(m[1], m[2], m[3])
    m = _NUMERIC_DATE.match(text)
    if m:
        day, month = (m[1], m[2]) if date_order != "MDY" else (m[2], m[1])
        return _iso(m[3], month, day)
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    return _written_date(text, date_order)


def _written_date(text: str, date_order: str) -> str | None:
    if len(text) > 60 or not any(c.isdigit() for c in text):
        return None  # no day and year to read; spares dateparser a sentence
    import dateparser

    parsed = dateparser.parse(text, languages=["en"], settings={
        "DATE_ORDER": date_order if date_order in DATE_ORDERS else DEFAULT_DATE_ORDER,
        "REQUIRE_PARTS": ["day", "month", "year"], "STRICT_PARSING": True,
        "PARSERS": ["absolute-time"], "RETURN_AS_TIMEZONE_AWARE": False,
    })
    return parsed.date().isoformat() if parsed is not None else None


# --------------------------------------------------------------------------- WARC

def outlet_from_url(url: str | None) -> str | None:
    """The host name without "www.": the outlet of a crawled page that states none."""
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


@dataclass
class WarcPage:
    """The headers of a WARC record that holds an article page (its body is read by the caller)."""

    url: str | None
    crawl_date: str | None
    record_id: str | None

    def stated(self) -> dict[str, Any]:
        return {"url": self.url} if self.url else {}

    def defaults(self) -> dict[str, Any]:
        """The crawl date and host: fill-ins for a page that states no date or publisher."""
        out: dict[str, Any] = {}
        if self.crawl_date:
            out["date"] = self.crawl_date
        outlet = outlet_from_url(self.url)
        if outlet:
            out["publisher"] = outlet
        return out


def warc_page(record: Any) -> WarcPage | None:
    """The page a warcio record holds, or None for a record that is not an article (see the
    module docstring for the rules)."""
    if record.rec_type == "response":
        if record.http_headers is None:
            return None
        status = record.http_headers.get_statuscode()
        if status and status != "200":
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
    elif record.rec_type == "resource":
        content_type = record.rec_headers.get_header("Content-Type") or ""
    else:
        return None
    if not content_type.lower().lstrip().startswith(HTML_TYPES):
        return None
    headers = record.rec_headers
    return WarcPage(headers.get_header("WARC-Target-URI") or None, headers.get_header("WARC-Date") or None,
                    headers.get_header("WARC-Record-ID") or None)
