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

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from ..model import Article
from .curation import Curation, curation_file, load_curation
from .identity import (
    Row,
    SpeakerKey,
    add_counts,
    article_keys,
    clean_descriptor,
    clean_forms,
    resolve,
    rows_from_db,
    verdict_gender,
    verdict_type,
)
from .queries import StoreQueries
from .reading import normalize_date, text_value
from .schema import (
    _SCHEMA,
    COUNTED_KIND,
    GENDERS,
    MAX_LIST_ITEMS,
    SCHEMA_VERSION,
    StoreError,
    _name_quality,
    _now,
    _union,
    normalize_name,
    normalize_quote,
    quote_key,
)

# Importers of the store get its public names from here (the web app, the CLI, the tests).
__all__ = ["SCHEMA_VERSION", "Store", "StoreError", "normalize_date", "normalize_name", "normalize_quote"]


class Store(StoreQueries):
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
            raise StoreError(_version_message(self.path, version))
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
                    content_hash, source, source_id, text_value(meta.get("url")), text_value(meta.get("publisher")),
                    normalize_date(meta.get("date")), text_value(meta.get("headline")), text_value(meta.get("author")),
                    article.text, json.dumps(doc, ensure_ascii=False), _now(),
                ),
            )
            if cur.rowcount == 0:
                return None
            article_id = int(cur.lastrowid)  # type: ignore[arg-type]
            keys = article_keys(article.speakers, content_hash, article.text)
            corpus_ids = {sp.id: self._corpus_speaker(sp, keys[sp.id], article_id) for sp in article.speakers}
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
                    """INSERT INTO quotes(article_id, quote_id, start, "end", text, type, kind, confidence, cue,
                                          cue_start, cue_end, speaker_id, local_speaker_id, speaker_mention,
                                          nested_in, pullquote, continuation, cluster_id)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (
                        article_id, q.id, q.start, q.end, q.text, q.type, q.kind, float(q.confidence),
                        q.cue.text if q.cue else None, q.cue.start if q.cue else None,
                        q.cue.end if q.cue else None, speaker_id, q.speaker_id,
                        q.speaker.text if q.speaker else None, q.nested_in, int(q.pullquote),
                        int(q.continuation), cluster_id,
                    ),
                )
                if speaker_id is not None and q.kind == COUNTED_KIND:
                    self.conn.execute(
                        "UPDATE speakers SET quote_count = quote_count + 1 WHERE id = ?", (speaker_id,)
                    )
            return article_id

    def _corpus_speaker(self, sp: Any, where: SpeakerKey, article_id: int) -> int:
        """The speakers row of one article speaker under its identity key (``article_keys``),
        created or updated with this article's name forms, type and stated gender."""
        row = self.conn.execute("SELECT * FROM speakers WHERE key = ?", (where.key,)).fetchone()
        descriptors_new = clean_forms(sp.descriptors, clean_descriptor)
        gender = sp.gender if sp.gender in GENDERS else "unknown"
        if row is None:
            parts = where.parts
            core = list(parts.core) if parts else []
            type_counts = {sp.type: 1}
            gender_counts = {gender: 1}
            cur = self.conn.execute(
                """INSERT INTO speakers(key, name, norm_name, named, type, gender, type_counts, gender_counts,
                                        gender_articles, aliases, descriptors, first_token, last_token, ntokens)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    # An unnamed source keeps its normalised description: `search --speaker` finds it.
                    where.key, where.name, parts.norm if parts else normalize_name(where.name) or None,
                    int(where.named),
                    verdict_type(type_counts), verdict_gender(gender_counts), _json(type_counts),
                    _json(gender_counts), _json([article_id] if gender != "unknown" else []),
                    _json(_union([], [a for a in where.aliases if a != where.name])),
                    _json(_union([], descriptors_new)),
                    core[0] if core else None, core[-1] if core else None, len(core),
                ),
            )
            return int(cur.lastrowid)  # type: ignore[arg-type]
        # The display name is the best spelling of the key seen so far, whatever order they came
        # in; a short form joined to a full name comes with that name (``article_keys``).
        display = max(row["name"], where.name, key=_name_quality)
        spellings = [n for n in (row["name"], where.name) if n != display]
        aliases = _union(json.loads(row["aliases"]), [*spellings, *where.aliases])
        aliases = [a for a in aliases if a != display]
        descriptors = _union(json.loads(row["descriptors"]), descriptors_new)
        type_counts = add_counts(json.loads(row["type_counts"]), {sp.type: 1})
        gender_counts = add_counts(json.loads(row["gender_counts"]), {gender: 1})
        stated = json.loads(row["gender_articles"])
        if gender != "unknown" and len(stated) < MAX_LIST_ITEMS:
            stated.append(article_id)
        self.conn.execute(
            """UPDATE speakers SET name = ?, aliases = ?, descriptors = ?, type_counts = ?, gender_counts = ?,
                   gender_articles = ?, type = ?, gender = ? WHERE id = ?""",
            (display, _json(aliases), _json(descriptors), _json(type_counts), _json(gender_counts),
             _json(stated), verdict_type(type_counts), verdict_gender(gender_counts), row["id"]),
        )
        return int(row["id"])

    @property
    def curation_path(self) -> Path | None:
        """The user's merges and splits: ``corpus.curation.csv`` next to ``corpus.db``. A file, not
        a table, so it is edited by hand, kept in version control, and outlives a rebuilt db."""
        return None if self.path == ":memory:" else curation_file(self.path)

    def consolidate(self, curation: Curation | None = None) -> None:
        """Resolve every row to its corpus speaker (``identity.resolve``) and refresh the counts,
        the canonical rows' type and gender included.

        Recomputed from scratch every time, so a short form left ambiguous by a newly seen full
        name is detached again, the outcome is the same whatever order the articles were added
        in, and the curation file (``curation_path``) is applied on every run.
        """
        if curation is None:
            path = self.curation_path
            curation = load_curation(path) if path is not None else Curation()
        with self._transaction():
            records = self.conn.execute(
                """SELECT s.id, s.key, s.named, s.type_counts, s.gender_counts, s.merged_into, s.type, s.gender,
                          COALESCE(n.n, 0) AS own_quotes
                   FROM speakers s LEFT JOIN (SELECT speaker_id, count(*) AS n FROM quotes WHERE kind = ?
                                              GROUP BY speaker_id) n ON n.speaker_id = s.id""",
                (COUNTED_KIND,),
            ).fetchall()
            rows = rows_from_db(records)
            canonical = resolve(rows, curation)
            members: dict[int, list[Row]] = {}
            for r in rows:
                members.setdefault(canonical[r.id], []).append(r)
            before = {int(r["id"]): r for r in records}
            for cid, group in members.items():
                types: dict[str, int] = {}
                genders: dict[str, int] = {}
                for r in group:
                    types = add_counts(types, r.type_counts)
                    genders = add_counts(genders, r.gender_counts)
                count = sum(r.quotes for r in group)
                for r in group:
                    merged = None if r.id == cid else cid
                    own_type = verdict_type(types if r.id == cid else r.type_counts)
                    own_gender = verdict_gender(genders if r.id == cid else r.gender_counts)
                    old = before[r.id]
                    # Only rows that changed are written, so a rerun on a large corpus stays cheap.
                    if (old["merged_into"], old["type"], old["gender"]) != (merged, own_type, own_gender):
                        self.conn.execute(
                            "UPDATE speakers SET merged_into = ?, type = ?, gender = ? WHERE id = ?",
                            (merged, own_type, own_gender, r.id),
                        )
                self.conn.execute(
                    "UPDATE speakers SET quote_count = ? WHERE id = ? AND quote_count != ?", (count, cid, count)
                )
            self.conn.execute("UPDATE speakers SET quote_count = 0 WHERE merged_into IS NOT NULL AND quote_count != 0")

    def delete_article(self, article_id: int) -> bool:
        """Remove one article and its rows (the full-text index follows through triggers)."""
        with self._transaction():
            rows = self.conn.execute(
                "SELECT speaker_id, cluster_id, kind FROM quotes WHERE article_id = ?", (article_id,)
            ).fetchall()
            if self.conn.execute("DELETE FROM articles WHERE id = ?", (article_id,)).rowcount == 0:
                return False
            for row in rows:
                self.conn.execute(
                    "UPDATE quote_clusters SET occurrences = occurrences - 1 WHERE id = ?",
                    (row["cluster_id"],),
                )
                if row["speaker_id"] is not None and row["kind"] == COUNTED_KIND:
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


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception (KeyboardInterrupt included)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self.conn.execute("ROLLBACK" if exc_type is not None else "COMMIT")


def _version_message(path: str, version: int) -> str:
    """Why a database of another schema version is refused, and what to do about it. It is never
    upgraded in place: a version 1 database holds no kind per quote, and guessing one would pass
    beliefs and plans off as speech."""
    if version > SCHEMA_VERSION:
        return (f"{path} has schema version {version}, written by a newer saywho; this one reads "
                f"version {SCHEMA_VERSION}: upgrade saywho to read it")
    what = ("before quotes had a kind and a confidence" if version < 2 else
            "before corpus speakers had a type, a gender and identity keys that keep Jr. and Sr. apart")
    return (f"{path} has schema version {version}, written by an older saywho ({what}); this one reads "
            f"version {SCHEMA_VERSION}. The file is left as it is: re-run `saywho run ARCHIVE... --db NEW.db` "
            f"on your archives to build a current database (a curation file beside the old one can be "
            f"copied beside the new one: it names speakers by identity key)")


def _json(items: list[Any] | dict[str, int]) -> str:
    return json.dumps(items, ensure_ascii=False)
