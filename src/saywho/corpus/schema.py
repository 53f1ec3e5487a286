"""The corpus database's schema, and the keys that make rows of different articles one.

A named speaker is keyed by its normalised name (``normalize_name``), a quotation by its
normalised text (``normalize_quote``); ``date_bound`` reads the --since/--until of a search.
``saywho.corpus.store`` writes these tables, ``saywho.corpus.queries`` reads them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timezone

from ..errors import SaywhoError
from ..model import READER_KINDS
from .reading import normalize_date

# 2: quotes gained kind and confidence, and speakers.quote_count counts speech only.
# 3: speakers are rows of an identity key (suffix kept, short forms by gender) with a type and
#    a gender from the articles' evidence; merges are resolved with the user's curation.
SCHEMA_VERSION = 3
# A speaker seen in thousands of articles would otherwise grow these lists without bound.
MAX_LIST_ITEMS = 100
SNIPPET_CHARS = 200

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id            INTEGER PRIMARY KEY,
    content_hash  TEXT NOT NULL UNIQUE,
    source        TEXT,
    source_id     TEXT,
    url           TEXT,
    outlet        TEXT,
    date          TEXT,
    headline      TEXT,
    author        TEXT,
    text          TEXT NOT NULL,
    doc_json      TEXT NOT NULL,
    processed_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS articles_date ON articles(date);
CREATE INDEX IF NOT EXISTS articles_outlet_date ON articles(outlet COLLATE NOCASE, date);

CREATE TABLE IF NOT EXISTS speakers (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL,               -- identity key (saywho.corpus.identity), stable across rebuilds
    name          TEXT NOT NULL,
    norm_name     TEXT,
    named         INTEGER NOT NULL,
    type          TEXT NOT NULL DEFAULT 'person',   -- of the corpus speaker on its canonical row
    gender        TEXT NOT NULL DEFAULT 'unknown',
    type_counts   TEXT NOT NULL DEFAULT '{}',  -- article speakers of this row per type
    gender_counts TEXT NOT NULL DEFAULT '{}',  -- article speakers per stated gender
    gender_articles TEXT NOT NULL DEFAULT '[]',  -- ids of the articles that stated a gender
    aliases       TEXT NOT NULL DEFAULT '[]',
    descriptors   TEXT NOT NULL DEFAULT '[]',
    quote_count   INTEGER NOT NULL DEFAULT 0,  -- speech quotes (READER_KINDS), merged short forms included
    first_token   TEXT,
    last_token    TEXT,
    ntokens       INTEGER NOT NULL DEFAULT 0,
    merged_into   INTEGER REFERENCES speakers(id)
);
CREATE UNIQUE INDEX IF NOT EXISTS speakers_key ON speakers(key);
CREATE INDEX IF NOT EXISTS speakers_norm ON speakers(norm_name);
CREATE INDEX IF NOT EXISTS speakers_first ON speakers(first_token) WHERE named = 1 AND ntokens > 1;
CREATE INDEX IF NOT EXISTS speakers_last ON speakers(last_token) WHERE named = 1 AND ntokens > 1;
CREATE INDEX IF NOT EXISTS speakers_merged ON speakers(merged_into);
CREATE INDEX IF NOT EXISTS speakers_top ON speakers(quote_count DESC, id) WHERE merged_into IS NULL;
CREATE INDEX IF NOT EXISTS speakers_class ON speakers(type, gender, named);

CREATE TABLE IF NOT EXISTS quote_clusters (
    id            INTEGER PRIMARY KEY,
    text_hash     TEXT NOT NULL UNIQUE,
    norm_text     TEXT NOT NULL,
    occurrences   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS quotes (
    id                INTEGER PRIMARY KEY,
    article_id        INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    quote_id          TEXT NOT NULL,
    start             INTEGER NOT NULL,
    "end"             INTEGER NOT NULL,
    text              TEXT NOT NULL,
    type              TEXT NOT NULL,
    kind              TEXT NOT NULL,
    confidence        REAL NOT NULL,
    cue               TEXT,
    cue_start         INTEGER,
    cue_end           INTEGER,
    speaker_id        INTEGER REFERENCES speakers(id),
    local_speaker_id  TEXT,
    speaker_mention   TEXT,
    nested_in         TEXT,
    pullquote         INTEGER NOT NULL DEFAULT 0,
    continuation      INTEGER NOT NULL DEFAULT 0,
    cluster_id        INTEGER REFERENCES quote_clusters(id),
    UNIQUE (article_id, quote_id)
);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker_id);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article_id, start);
CREATE INDEX IF NOT EXISTS quotes_cluster ON quotes(cluster_id);
-- Covers the per-kind speaker counts (``speakers`` with other kinds or a confidence floor),
-- which are computed at query time from this index alone, never from the table.
CREATE INDEX IF NOT EXISTS quotes_kind ON quotes(kind, speaker_id, confidence);

CREATE TABLE IF NOT EXISTS mentions (
    id                INTEGER PRIMARY KEY,
    article_id        INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    speaker_id        INTEGER NOT NULL REFERENCES speakers(id),
    local_speaker_id  TEXT,
    start             INTEGER NOT NULL,
    "end"             INTEGER NOT NULL,
    text              TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article_id);
CREATE INDEX IF NOT EXISTS mentions_speaker ON mentions(speaker_id);

CREATE TABLE IF NOT EXISTS errors (
    id            INTEGER PRIMARY KEY,
    source        TEXT NOT NULL,
    content_hash  TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL,
    at            TEXT NOT NULL,
    UNIQUE (source, content_hash)
);
CREATE INDEX IF NOT EXISTS errors_hash ON errors(content_hash);

CREATE VIRTUAL TABLE IF NOT EXISTS quotes_fts USING fts5(
    text, content='quotes', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS quotes_fts_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS quotes_fts_delete AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER IF NOT EXISTS quotes_fts_update AFTER UPDATE OF text ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO quotes_fts(rowid, text) VALUES (new.id, new.text);
END;
"""

ARTICLE_FIELDS = (
    "id", "content_hash", "source", "source_id", "url", "outlet", "date", "headline", "author",
    "processed_at",
)
# The kind ``speakers.quote_count`` counts, kept by the store so the default ranking is one index read.
COUNTED_KIND = READER_KINDS[0]
TABLES = ("articles", "quotes", "speakers", "mentions", "quote_clusters", "errors")


# The source class of a quote, from its corpus speaker ``c`` (NULL: no speaker): what an audit
# counts and what `search --type` selects, one expression so the two cannot disagree. An
# organisation is never a named person, a named group ("Republicans") is a group.
SOURCE_TYPES = ("person", "organisation", "group", "document", "unnamed", "none")
SOURCE_CLASS_SQL = """CASE WHEN c.id IS NULL THEN 'none'
    WHEN c.type = 'person' THEN CASE WHEN c.named = 1 THEN 'person' ELSE 'unnamed' END
    WHEN c.type IN ('organisation', 'group', 'document') THEN c.type ELSE 'unnamed' END"""
GENDERS = ("female", "male", "unknown")


class StoreError(SaywhoError):
    """The database cannot be used (wrong schema version, bad filter value)."""


# --------------------------------------------------------------------------- normalisation

# Leading words that qualify a name without being part of it ("Former President", "Dr").
_TITLES = frozenset("""
mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend fr father pastor rabbi imam sheikh
president vice prime minister secretary chancellor premier governor gov senator sen representative rep
congressman congresswoman mayor judge justice chief gen general col colonel maj major capt captain lt
sgt sergeant adm admiral cmdr commander officer detective insp inspector supt king queen prince princess
pope ambassador attorney deputy acting former then late rival nominee candidate challenger businessman
billionaire majority minority leader spokesman spokeswoman spokesperson chairman chairwoman speaker
""".split())
# Dropped: degrees and offices. Jr, Sr, II, III stay: they tell a father from his son.
_SUFFIXES = frozenset({"phd", "md", "esq", "mp", "qc", "kc"})
_APOSTROPHES = re.compile(r"['’‘`´]")


def _fold(text: str) -> str:
    """Lowercase without accents, so "José" and "JOSE" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _words(text: str) -> list[str]:
    """Letters and digits only: every other character separates words."""
    return "".join(c if c.isalnum() else " " for c in text).split()


def normalize_name(name: str) -> str:
    """The key that makes "Dr. José Pérez" and "JOSE PEREZ" the same corpus speaker.

    Accents and case are folded, leading titles and trailing degrees dropped (never the last
    remaining word), runs of initials joined ("J. K." -> "jk") and a lone middle initial
    dropped, so "Donald J. Trump" and "Donald Trump" agree; "Jr." and "Sr." are kept, so
    "Donald Trump Jr." is someone else.
    """
    folded = re.sub(r"['’]s?$", "", _fold(name).strip())  # a possessive is not part of the name
    tokens = _words(_APOSTROPHES.sub("", folded))
    joined: list[str] = []
    run: list[str] = []
    for tok in [*tokens, ""]:
        if len(tok) == 1:
            run.append(tok)
            continue
        if run:
            joined.append("".join(run))  # "j k" -> "jk"; a lone initial stays alone
            run = []
        if tok:
            joined.append(tok)
    tokens = joined
    while len(tokens) > 1 and (tokens[0] in _TITLES or tokens[:2] == ["press", "secretary"]):
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in _SUFFIXES:
        tokens = tokens[:-1]
    if len(tokens) >= 3:
        tokens = [tokens[0]] + [t for t in tokens[1:-1] if len(t) > 1] + [tokens[-1]]
    if len(tokens) >= 2 and tokens[0] in HYPOCORISMS:
        tokens = [HYPOCORISMS[tokens[0]], *tokens[1:]]  # "Len Burman" is "Leonard Burman"
    return " ".join(tokens)


# English pet forms of first names that stand for one given name only (not "Chris", "Pat",
# "Sam", "Alex": those name women and men alike), so a person's two spellings meet.
HYPOCORISMS = {
    **dict.fromkeys(("bill", "billy", "will", "willie"), "william"),
    **dict.fromkeys(("bob", "bobby", "rob", "robbie"), "robert"),
    **dict.fromkeys(("jim", "jimmy", "jamie"), "james"),
    **dict.fromkeys(("mike", "mikey"), "michael"),
    **dict.fromkeys(("tom", "tommy"), "thomas"),
    **dict.fromkeys(("dan", "danny"), "daniel"),
    **dict.fromkeys(("ed", "eddie", "ted", "teddy"), "edward"),
    **dict.fromkeys(("len", "lenny"), "leonard"),
    **dict.fromkeys(("liz", "beth", "betsy"), "elizabeth"),
    **dict.fromkeys(("jen", "jenny"), "jennifer"),
    **dict.fromkeys(("peggy", "meg"), "margaret"),
    "joe": "joseph", "tony": "anthony", "chuck": "charles", "larry": "lawrence", "nick": "nicholas",
    "dave": "david", "ben": "benjamin", "matt": "matthew", "sue": "susan", "becky": "rebecca",
    "debbie": "deborah", "dick": "richard", "rick": "richard",
}


def normalize_quote(text: str) -> str:
    """The text two reprints of one quotation share: case, accents, punctuation and spacing folded."""
    return " ".join(_words(_APOSTROPHES.sub("", _fold(text))))


def quote_key(text: str) -> tuple[str, str]:
    norm = normalize_quote(text)
    return hashlib.sha1(norm.encode("utf-8")).hexdigest(), norm


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def date_bound(value: str, upper: bool) -> str:
    """A --since/--until value as a comparable ``YYYY-MM-DD``; "2016" means the whole year."""
    m = _PARTIAL_DATE.match(value.strip())
    full = normalize_date(value) if not m or m[3] else None
    if m and not m[3] and 1 <= int(m[2] or 1) <= 12:
        year, month = m[1], m[2]
        if month:
            # "-31" for every month: only the order of the strings matters, not the calendar.
            return f"{year}-{month}-{'31' if upper else '01'}"
        return f"{year}-{'12-31' if upper else '01-01'}"
    if full is None:
        raise StoreError(f"cannot read {value!r} as a date; use YYYY, YYYY-MM or YYYY-MM-DD")
    return full


def _name_quality(name: str) -> tuple[bool, bool, int, str]:
    """Orders spellings of one name: written in mixed case, without a title, longer; then any
    fixed tie-break, so the choice never depends on which article came first."""
    words = _words(_fold(name))
    return (name != name.upper() and name != name.lower(), bool(words) and words[0] not in _TITLES,
            len(name), name)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _union(existing: list[str], new: Iterable[str]) -> list[str]:
    out = list(existing)
    seen = {_fold(x) for x in out}
    for item in new:
        if item and _fold(item) not in seen and len(out) < MAX_LIST_ITEMS:
            out.append(item)
            seen.add(_fold(item))
    return out
