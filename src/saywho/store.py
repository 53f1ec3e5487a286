"""The corpus store: one SQLite file holding many extracted articles, searchable across them.

One writer (the batch runner) adds articles, each in one transaction; any number of readers
(CLI, web app) query it at the same time thanks to WAL mode. The schema is documented in
docs/corpus.md; ``SCHEMA_VERSION`` changes whenever it does.

Cross-article identity lives here too, because it is a property of the corpus, not of one
article: a named speaker is keyed by its normalised name (``normalize_name``), a quotation by
its normalised text (``normalize_quote``). Short forms ("Clinton") are attached to the one full
name they can belong to by ``consolidate``, which recomputes every attachment from scratch so
that the result does not depend on the order the articles arrived in.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from .errors import SaywhoError
from .model import Article

SCHEMA_VERSION = 1
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

CREATE TABLE IF NOT EXISTS speakers (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    norm_name     TEXT,
    named         INTEGER NOT NULL,
    aliases       TEXT NOT NULL DEFAULT '[]',
    descriptors   TEXT NOT NULL DEFAULT '[]',
    quote_count   INTEGER NOT NULL DEFAULT 0,
    first_token   TEXT,
    last_token    TEXT,
    ntokens       INTEGER NOT NULL DEFAULT 0,
    merged_into   INTEGER REFERENCES speakers(id)
);
CREATE UNIQUE INDEX IF NOT EXISTS speakers_named_norm ON speakers(norm_name) WHERE named = 1;
CREATE INDEX IF NOT EXISTS speakers_norm ON speakers(norm_name);
CREATE INDEX IF NOT EXISTS speakers_first ON speakers(first_token) WHERE named = 1 AND ntokens > 1;
CREATE INDEX IF NOT EXISTS speakers_last ON speakers(last_token) WHERE named = 1 AND ntokens > 1;
CREATE INDEX IF NOT EXISTS speakers_merged ON speakers(merged_into);
CREATE INDEX IF NOT EXISTS speakers_top ON speakers(quote_count DESC, id) WHERE merged_into IS NULL;

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
TABLES = ("articles", "quotes", "speakers", "mentions", "quote_clusters", "errors")


class StoreError(SaywhoError):
    """The database cannot be used (wrong schema version, bad filter value)."""


# --------------------------------------------------------------------------- normalisation

# Leading words that qualify a name without being part of it ("Former President", "Dr").
_TITLES = frozenset("""
mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend fr father pastor rabbi imam sheikh
president vice prime minister secretary chancellor premier governor gov senator sen representative rep
congressman congresswoman mayor judge justice chief gen general col colonel maj major capt captain lt
sgt sergeant adm admiral cmdr commander officer detective insp inspector supt king queen prince princess
pope ambassador attorney deputy acting former then late
""".split())
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "mp", "qc", "kc"})
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

    Accents and case are folded, leading titles and trailing suffixes dropped (never the last
    remaining word), runs of initials joined ("J. K." -> "jk") and a lone middle initial
    dropped, so "Donald J. Trump" and "Donald Trump" agree.
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
    while len(tokens) > 1 and tokens[0] in _TITLES:
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in _SUFFIXES:
        tokens = tokens[:-1]
    if len(tokens) >= 3:
        tokens = [tokens[0]] + [t for t in tokens[1:-1] if len(t) > 1] + [tokens[-1]]
    return " ".join(tokens)


def normalize_quote(text: str) -> str:
    """The text two reprints of one quotation share: case, accents, punctuation and spacing folded."""
    return " ".join(_words(_APOSTROPHES.sub("", _fold(text))))


def quote_key(text: str) -> tuple[str, str]:
    norm = normalize_quote(text)
    return hashlib.sha1(norm.encode("utf-8")).hexdigest(), norm


_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:\D|$)")


def normalize_date(value: Any) -> str | None:
    """A date as ``YYYY-MM-DD`` from ISO strings, WARC/HTTP dates or datetimes; None if unreadable."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    text = str(value).strip()
    if not text:
        return None
    for pattern in (_ISO_DATE, _COMPACT_DATE):
        m = pattern.match(text)
        if m:
            try:
                return datetime(int(m[1]), int(m[2]), int(m[3])).date().isoformat()
            except ValueError:
                return None
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


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


# --------------------------------------------------------------------------- the store

_QUOTE_SELECT = """
    q.id AS id, q.quote_id AS quote_id, q.text AS quote, q.type AS type, q.cue AS cue,
    c.name AS speaker, c.id AS speaker_id, q.speaker_mention AS speaker_mention,
    q.article_id AS article_id, a.headline AS headline, a.outlet AS outlet, a.date AS date,
    a.url AS url, q.start AS start, q."end" AS "end", q.cluster_id AS cluster_id
"""
_QUOTE_JOINS = """
    JOIN articles a ON a.id = q.article_id
    LEFT JOIN speakers s ON s.id = q.speaker_id
    LEFT JOIN speakers c ON c.id = COALESCE(s.merged_into, s.id)
"""


class Store:
    """A corpus database. Methods return plain dicts (JSON-ready) so any front end can use them.

    Safe to share between threads: each thread gets its own connection.
    """

    def __init__(self, path: str | Path, create: bool = True) -> None:
        self.path = str(path)
        if not create and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"no corpus database at {self.path}")
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        try:
            conn = self.conn
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            has_tables = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'articles'"
            ).fetchone()[0]
            foreign = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] and not has_tables
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StoreError(f"{self.path} is not a saywho corpus database ({exc})") from None
        if has_tables and version != SCHEMA_VERSION:
            self.close()
            raise StoreError(f"{self.path} has schema version {version}; this saywho reads {SCHEMA_VERSION}")
        if not has_tables:
            if not create or foreign:
                # Never add our tables to somebody else's database.
                self.close()
                raise StoreError(f"{self.path} is not a saywho corpus database")
            conn.executescript(_SCHEMA)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # -- connections

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # Autocommit mode: transactions are opened explicitly, one per article.
            conn = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _transaction(self) -> _Transaction:
        return _Transaction(self.conn)

    # -- writing

    def has_article(self, content_hash: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM articles WHERE content_hash = ?", (content_hash,)).fetchone()
        return row is not None

    def has_error(self, content_hash: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM errors WHERE content_hash = ?", (content_hash,)).fetchone()
        return row is not None

    def has_source_error(self, source: str) -> bool:
        """Whether an input that could not even be read (no content hash) failed here before."""
        row = self.conn.execute(
            "SELECT 1 FROM errors WHERE source = ? AND content_hash = ''", (source,)
        ).fetchone()
        return row is not None

    def record_error(self, source: str, reason: str, content_hash: str | None = None) -> None:
        """Note an input that could not be processed; recording the same one twice keeps one row."""
        with self._transaction():
            self.conn.execute(
                "INSERT OR IGNORE INTO errors(source, content_hash, reason, at) VALUES (?, ?, ?, ?)",
                (source, content_hash or "", reason[:2000], _now()),
            )

    def clear_errors(self) -> int:
        """Forget past failures so the next run tries those inputs again."""
        with self._transaction():
            return self.conn.execute("DELETE FROM errors").rowcount

    def add_article(
        self, article: Article, content_hash: str, source: str | None = None, source_id: str | None = None
    ) -> int | None:
        """Store one extracted article with all its rows in one transaction.

        Returns the new article id, or None when this content hash is already stored.
        """
        meta = article.metadata
        doc = article.to_dict()
        del doc["text"]  # kept once, in its own column
        with self._transaction():
            cur = self.conn.execute(
                """INSERT INTO articles(content_hash, source, source_id, url, outlet, date, headline, author,
                                        text, doc_json, processed_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(content_hash) DO NOTHING""",
                (
                    content_hash, source, source_id, _str(meta.get("url")), _str(meta.get("publisher")),
                    normalize_date(meta.get("date")), _str(meta.get("headline")), _str(meta.get("author")),
                    article.text, json.dumps(doc, ensure_ascii=False), _now(),
                ),
            )
            if cur.rowcount == 0:
                return None
            article_id = int(cur.lastrowid)  # type: ignore[arg-type]
            corpus_ids = {sp.id: self._corpus_speaker(sp) for sp in article.speakers}
            for sp in article.speakers:
                self.conn.executemany(
                    'INSERT INTO mentions(article_id, speaker_id, local_speaker_id, start, "end", text) '
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [(article_id, corpus_ids[sp.id], sp.id, m.start, m.end, m.text) for m in sp.mentions],
                )
            for q in article.quotes:
                text_hash, norm = quote_key(q.text)
                self.conn.execute(
                    "INSERT INTO quote_clusters(text_hash, norm_text, occurrences) VALUES (?, ?, 1) "
                    "ON CONFLICT(text_hash) DO UPDATE SET occurrences = occurrences + 1",
                    (text_hash, norm),
                )
                cluster_id = self.conn.execute(
                    "SELECT id FROM quote_clusters WHERE text_hash = ?", (text_hash,)
                ).fetchone()[0]
                speaker_id = corpus_ids.get(q.speaker_id) if q.speaker_id else None
                self.conn.execute(
                    """INSERT INTO quotes(article_id, quote_id, start, "end", text, type, cue, cue_start,
                                          cue_end, speaker_id, local_speaker_id, speaker_mention, nested_in,
                                          pullquote, continuation, cluster_id)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (
                        article_id, q.id, q.start, q.end, q.text, q.type,
                        q.cue.text if q.cue else None, q.cue.start if q.cue else None,
                        q.cue.end if q.cue else None, speaker_id, q.speaker_id,
                        q.speaker.text if q.speaker else None, q.nested_in, int(q.pullquote),
                        int(q.continuation), cluster_id,
                    ),
                )
                if speaker_id is not None:
                    self.conn.execute(
                        "UPDATE speakers SET quote_count = quote_count + 1 WHERE id = ?", (speaker_id,)
                    )
            return article_id

    def _corpus_speaker(self, sp: Any) -> int:
        """The corpus speaker row for one article speaker: shared by name if named, else its own."""
        norm = normalize_name(sp.name) if sp.name else ""
        tokens = norm.split()
        named = bool(sp.named and norm)
        if named:
            row = self.conn.execute(
                "SELECT id, name, aliases, descriptors FROM speakers WHERE norm_name = ? AND named = 1",
                (norm,),
            ).fetchone()
            if row is not None:
                # The display name is the best spelling seen so far, whatever order they came in.
                display = max(row["name"], sp.name, key=_name_quality)
                spellings = [n for n in (row["name"], sp.name) if n != display]
                aliases = _union(json.loads(row["aliases"]), [*spellings, *sp.aliases])
                aliases = [a for a in aliases if a != display]
                descriptors = _union(json.loads(row["descriptors"]), sp.descriptors)
                self.conn.execute(
                    "UPDATE speakers SET name = ?, aliases = ?, descriptors = ? WHERE id = ?",
                    (display, _json(aliases), _json(descriptors), row["id"]),
                )
                return int(row["id"])
        cur = self.conn.execute(
            """INSERT INTO speakers(name, norm_name, named, aliases, descriptors, first_token, last_token,
                                    ntokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                sp.name, norm or None, int(named),
                _json(_union([], sp.aliases)), _json(_union([], sp.descriptors)),
                tokens[0] if tokens else None, tokens[-1] if tokens else None, len(tokens),
            ),
        )
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def consolidate(self) -> None:
        """Attach each one-word name to the one full name it starts or ends, and refresh counts.

        Recomputed from scratch every time, so a short form left ambiguous by a newly seen full
        name ("Bill Clinton" next to "Hillary Clinton") is detached again, and the outcome is the
        same whatever order the articles were added in.
        """
        with self._transaction():
            self.conn.execute("UPDATE speakers SET merged_into = NULL WHERE merged_into IS NOT NULL")
            # Two index lookups joined by UNION: one OR over both token columns scans the table.
            self.conn.execute(
                """WITH candidates AS (
                       SELECT s.id AS sid, f.id AS fid FROM speakers s JOIN speakers f
                           ON f.first_token = s.norm_name AND f.named = 1 AND f.ntokens > 1
                       WHERE s.named = 1 AND s.ntokens = 1
                       UNION
                       SELECT s.id, f.id FROM speakers s JOIN speakers f
                           ON f.last_token = s.norm_name AND f.named = 1 AND f.ntokens > 1
                       WHERE s.named = 1 AND s.ntokens = 1),
                   unique_fit AS (SELECT sid, min(fid) AS fid FROM candidates GROUP BY sid HAVING count(*) = 1)
                   UPDATE speakers SET merged_into = unique_fit.fid FROM unique_fit
                   WHERE speakers.id = unique_fit.sid"""
            )
            # Only rows whose count changed are written, so a rerun on a large corpus stays cheap.
            # The counts go through a keyed temp table: joined as a CTE they are scanned per row.
            self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS speaker_counts (cid INTEGER PRIMARY KEY, n INTEGER)")
            self.conn.execute("DELETE FROM speaker_counts")
            self.conn.execute(
                """INSERT INTO speaker_counts
                   SELECT COALESCE(s.merged_into, s.id), count(*) FROM quotes q
                   JOIN speakers s ON s.id = q.speaker_id GROUP BY 1"""
            )
            self.conn.execute(
                """UPDATE speakers SET quote_count = COALESCE((SELECT n FROM speaker_counts WHERE cid = speakers.id), 0)
                   WHERE quote_count != COALESCE((SELECT n FROM speaker_counts WHERE cid = speakers.id), 0)"""
            )
            self.conn.execute("DELETE FROM speaker_counts")

    def delete_article(self, article_id: int) -> bool:
        """Remove one article and its rows (the full-text index follows through triggers)."""
        with self._transaction():
            rows = self.conn.execute(
                "SELECT speaker_id, cluster_id FROM quotes WHERE article_id = ?", (article_id,)
            ).fetchall()
            if self.conn.execute("DELETE FROM articles WHERE id = ?", (article_id,)).rowcount == 0:
                return False
            for row in rows:
                self.conn.execute(
                    "UPDATE quote_clusters SET occurrences = occurrences - 1 WHERE id = ?",
                    (row["cluster_id"],),
                )
                if row["speaker_id"] is not None:
                    self.conn.execute(
                        "UPDATE speakers SET quote_count = max(quote_count - 1, 0) WHERE id = ?",
                        (row["speaker_id"],),
                    )
            self.conn.execute("DELETE FROM quote_clusters WHERE occurrences <= 0")
            # Speakers left with no quote and no mention anywhere are dropped with the article.
            self.conn.execute(
                """DELETE FROM speakers WHERE NOT EXISTS (SELECT 1 FROM quotes WHERE speaker_id = speakers.id)
                   AND NOT EXISTS (SELECT 1 FROM mentions WHERE speaker_id = speakers.id)
                   AND NOT EXISTS (SELECT 1 FROM speakers m WHERE m.merged_into = speakers.id)"""
            )
        return True

    # -- reading

    def search(
        self,
        q: str | None = None,
        speaker: str | None = None,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 50,
        offset: int = 0,
        mark: tuple[str, str] = ("**", "**"),
    ) -> list[dict[str, Any]]:
        """Quotes matching the filters; ranked by relevance (bm25) when ``q`` is given.

        ``q`` takes FTS5 syntax ("passport AND visa", "refuge*", '"exact phrase"'); text that is
        not valid syntax is searched as plain words. Matches in ``snippet`` are wrapped in ``mark``;
        ``score`` (higher is better, None without ``q``) is the negated bm25 rank. ``id`` is the
        quote's row id in the corpus, ``quote_id`` its id within its article.
        """
        where: list[str] = []
        params: list[Any] = []
        if speaker:
            match = _speaker_match(speaker)
            if match is None:
                return []
            # Every name row of the matched corpus speakers, so the quotes come by index; and a
            # subquery, not a list of ids: an unnamed description can match thousands of rows.
            canonical = f"SELECT COALESCE(merged_into, id) FROM speakers WHERE {match[0]}"
            where.append(f"q.speaker_id IN (SELECT id FROM speakers WHERE id IN ({canonical}) "
                         f"OR merged_into IN ({canonical}))")
            params.extend([*match[1], *match[1]])
        if outlet:
            where.append("a.outlet = ? COLLATE NOCASE")
            params.append(outlet)
        if since:
            where.append("a.date >= ?")
            params.append(date_bound(since, upper=False))
        if until:
            where.append("a.date <= ?")
            params.append(date_bound(until, upper=True))
        limit, offset = max(0, int(limit)), max(0, int(offset))
        if q and q.strip():
            sql = f"""SELECT {_QUOTE_SELECT}, snippet(quotes_fts, 0, ?, ?, '…', 16) AS snippet,
                             -bm25(quotes_fts) AS score
                      FROM quotes_fts JOIN quotes q ON q.id = quotes_fts.rowid {_QUOTE_JOINS}
                      WHERE quotes_fts MATCH ? {''.join(' AND ' + w for w in where)}
                      ORDER BY bm25(quotes_fts), q.id LIMIT ? OFFSET ?"""
            try:
                rows = self.conn.execute(sql, [*mark, q, *params, limit, offset]).fetchall()
            except sqlite3.OperationalError:
                # The statement is fixed, so the query text is what failed to parse (FTS5 reports
                # that under many messages); a real database problem fails again just below.
                rows = self.conn.execute(sql, [*mark, _plain_query(q), *params, limit, offset]).fetchall()
        else:
            sql = f"""SELECT {_QUOTE_SELECT}, NULL AS snippet, NULL AS score FROM quotes q {_QUOTE_JOINS}
                      {'WHERE ' + ' AND '.join(where) if where else ''}
                      ORDER BY a.date DESC, a.id DESC, q.start LIMIT ? OFFSET ?"""
            rows = self.conn.execute(sql, [*params, limit, offset]).fetchall()
        out = []
        for row in rows:
            d = dict(row)
            if d["snippet"] is None:
                text = d["quote"]
                d["snippet"] = text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"
            out.append(d)
        return out

    def speaker_ids(self, name: str) -> list[int]:
        """Corpus speakers a user means by ``name``: an id, the exact (normalised) name, or any
        named speaker whose first or last name it is ("Clinton" finds every Clinton)."""
        match = _speaker_match(name)
        if match is None:
            return []
        rows = self.conn.execute(
            f"SELECT DISTINCT COALESCE(merged_into, id) FROM speakers WHERE {match[0]}", match[1]
        ).fetchall()
        return sorted(r[0] for r in rows)

    def speakers(self, top: int = 50, named_only: bool = False) -> list[dict[str, Any]]:
        """The most quoted corpus speakers, most quoted first."""
        rows = self.conn.execute(
            f"""SELECT * FROM speakers WHERE merged_into IS NULL {'AND named = 1' if named_only else ''}
                ORDER BY quote_count DESC, id LIMIT ?""",
            (max(0, int(top)),),
        ).fetchall()
        return [self._speaker_dict(row) for row in rows]

    def _speaker_dict(self, row: sqlite3.Row) -> dict[str, Any]:
        members = self.conn.execute(
            "SELECT name, aliases, descriptors FROM speakers WHERE merged_into = ? ORDER BY id", (row["id"],)
        ).fetchall()
        aliases = json.loads(row["aliases"])
        descriptors = json.loads(row["descriptors"])
        for m in members:
            aliases = _union(aliases, [m["name"], *json.loads(m["aliases"])])
            descriptors = _union(descriptors, json.loads(m["descriptors"]))
        aliases = [a for a in aliases if _fold(a) != _fold(row["name"])]
        ids = [row["id"]] + [
            r[0] for r in self.conn.execute("SELECT id FROM speakers WHERE merged_into = ?", (row["id"],))
        ]
        marks = ",".join("?" * len(ids))
        article_count = self.conn.execute(
            f"""SELECT count(*) FROM (SELECT article_id FROM quotes WHERE speaker_id IN ({marks})
                UNION SELECT article_id FROM mentions WHERE speaker_id IN ({marks}))""",
            ids + ids,
        ).fetchone()[0]
        return {
            "id": row["id"],
            "name": row["name"],
            "named": bool(row["named"]),
            "aliases": aliases,
            "descriptors": descriptors,
            "quote_count": row["quote_count"],
            "article_count": article_count,
        }

    def speaker(self, speaker_id: int | str, limit: int = 1000) -> dict[str, Any] | None:
        """One corpus speaker with its quotes across articles (newest first); a merged short form
        resolves to the speaker it was merged into."""
        try:
            sid = int(speaker_id)
        except (TypeError, ValueError):
            return None
        row = self.conn.execute(
            "SELECT * FROM speakers WHERE id = (SELECT COALESCE(merged_into, id) FROM speakers WHERE id = ?)",
            (sid,),
        ).fetchone()
        if row is None:
            return None
        out = self._speaker_dict(row)
        out["quotes"] = self.search(speaker=str(row["id"]), limit=limit)
        return out

    def article(self, article_id: int | str) -> dict[str, Any] | None:
        """``Article.to_dict()`` of a stored article plus its corpus fields: id, content_hash,
        source, source_id, url, outlet, date, headline, author, processed_at, and the corpus ids
        its speakers and quotes were given (``corpus_speaker_ids``, ``cluster_ids``)."""
        try:
            aid = int(article_id)
        except (TypeError, ValueError):
            return None
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (aid,)).fetchone()
        if row is None:
            return None
        out = _article_dict(row)
        for key in ARTICLE_FIELDS:
            out[key] = row[key]
        speaker_ids: dict[str, int] = {}
        for m in self.conn.execute(
            """SELECT local_speaker_id AS lid, COALESCE(s.merged_into, s.id) AS cid FROM mentions
               JOIN speakers s ON s.id = mentions.speaker_id WHERE article_id = ?
               UNION SELECT local_speaker_id, COALESCE(s.merged_into, s.id) FROM quotes
               JOIN speakers s ON s.id = quotes.speaker_id WHERE article_id = ?""",
            (aid, aid),
        ):
            speaker_ids[m[0]] = m[1]
        out["corpus_speaker_ids"] = speaker_ids
        out["cluster_ids"] = {
            r[0]: r[1]
            for r in self.conn.execute("SELECT quote_id, cluster_id FROM quotes WHERE article_id = ?", (aid,))
        }
        return out

    def clusters(self, min_occurrences: int = 2, limit: int = 50) -> list[dict[str, Any]]:
        """Quotations printed more than once across the corpus, most reprinted first."""
        rows = self.conn.execute(
            """SELECT c.id, c.norm_text, c.occurrences, (SELECT count(DISTINCT article_id) FROM quotes
                                                           WHERE cluster_id = c.id) AS article_count,
                      (SELECT text FROM quotes WHERE cluster_id = c.id ORDER BY id LIMIT 1) AS quote
               FROM quote_clusters c WHERE c.occurrences >= ? ORDER BY c.occurrences DESC, c.id LIMIT ?""",
            (min_occurrences, limit),
        ).fetchall()
        return [dict(r) for r in rows]

    def cluster(self, cluster_id: int, limit: int = 1000) -> list[dict[str, Any]]:
        """Every occurrence of one quote cluster, oldest article first."""
        rows = self.conn.execute(
            f"""SELECT {_QUOTE_SELECT} FROM quotes q {_QUOTE_JOINS} WHERE q.cluster_id = ?
                ORDER BY a.date, q.article_id LIMIT ?""",
            (cluster_id, limit),
        ).fetchall()
        return [dict(r) for r in rows]

    def errors(self, limit: int = 100) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT source, content_hash, reason, at FROM errors ORDER BY id LIMIT ?", (limit,)
        )
        return [dict(r) for r in rows]

    def stats(self) -> dict[str, int]:
        """Row counts per table, plus corpus speakers after merging."""
        out = {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        out["corpus_speakers"] = self.conn.execute(
            "SELECT count(*) FROM speakers WHERE merged_into IS NULL"
        ).fetchone()[0]
        return out

    def iter_articles(self, chunk: int = 200) -> Iterator[tuple[sqlite3.Row, Article]]:
        """Every stored article rebuilt, in id order, reading ``chunk`` rows at a time."""
        last = 0
        while True:
            rows = self.conn.execute(
                "SELECT * FROM articles WHERE id > ? ORDER BY id LIMIT ?", (last, chunk)
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield row, Article.from_dict(_article_dict(row))
            last = rows[-1]["id"]

    def corpus_ids(self, article_id: int) -> dict[str, dict[str, Any]]:
        """Per quote of one article: its corpus speaker (id, name) and cluster id."""
        rows = self.conn.execute(
            """SELECT q.quote_id, c.id AS sid, c.name AS sname, q.cluster_id FROM quotes q
               LEFT JOIN speakers s ON s.id = q.speaker_id
               LEFT JOIN speakers c ON c.id = COALESCE(s.merged_into, s.id) WHERE q.article_id = ?""",
            (article_id,),
        ).fetchall()
        return {
            r["quote_id"]: {"sid": r["sid"], "sname": r["sname"], "cluster_id": r["cluster_id"]} for r in rows
        }


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception (KeyboardInterrupt included)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self.conn.execute("ROLLBACK" if exc_type is not None else "COMMIT")


def _article_dict(row: sqlite3.Row) -> dict[str, Any]:
    doc = json.loads(row["doc_json"])
    return {"text": row["text"], **doc}


def _json(items: list[str]) -> str:
    return json.dumps(items, ensure_ascii=False)


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    text = str(value).strip()
    return text or None


def _speaker_match(name: str) -> tuple[str, list[Any]] | None:
    """A WHERE clause over ``speakers`` for the rows a user means by ``name`` (see speaker_ids)."""
    if name.strip().isdigit():
        return "id = ?", [int(name)]
    norm = normalize_name(name)
    if not norm:
        return None
    if " " in norm:
        return "norm_name = ?", [norm]
    return ("norm_name = ? OR (named = 1 AND ntokens > 1 AND (first_token = ? OR last_token = ?))",
            [norm, norm, norm])


def _plain_query(q: str) -> str:
    """User text as FTS5 phrases: each word quoted, so punctuation is never read as syntax."""
    words = _words(q)
    return " ".join(f'"{w}"' for w in words) if words else '""'
