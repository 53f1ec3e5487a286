"""Reading a corpus database: search, speakers, articles, clusters, counts.

``StoreQueries`` is the read half of ``saywho.corpus.store.Store``; it only needs ``conn``.
Every method returns plain dicts (JSON-ready) so any front end can use them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from ..model import QUOTE_KINDS, READER_KINDS, Article
from .schema import (
    ARTICLE_FIELDS,
    COUNTED_KIND,
    GENDERS,
    SNIPPET_CHARS,
    SOURCE_CLASS_SQL,
    SOURCE_TYPES,
    TABLES,
    StoreError,
    _fold,
    _union,
    _words,
    date_bound,
    normalize_name,
)

_QUOTE_SELECT = f"""
    q.id AS id, q.quote_id AS quote_id, q.text AS quote, q.type AS type, q.kind AS kind,
    q.confidence AS confidence, q.cue AS cue,
    c.name AS speaker, c.id AS speaker_id, c.key AS speaker_key, {SOURCE_CLASS_SQL} AS source_type,
    COALESCE(c.gender, 'unknown') AS gender, q.speaker_mention AS speaker_mention,
    q.article_id AS article_id, a.headline AS headline, a.outlet AS outlet, a.date AS date,
    a.url AS url, q.start AS start, q."end" AS "end", q.cluster_id AS cluster_id
"""
_QUOTE_JOINS = """
    JOIN articles a ON a.id = q.article_id
    LEFT JOIN speakers s ON s.id = q.speaker_id
    LEFT JOIN speakers c ON c.id = COALESCE(s.merged_into, s.id)
"""


# ORDER BY of each ``search`` sort; relevance is bm25 with a text query, the newest without one.
SORTS = ("relevance", "newest", "oldest")
_ORDER = {"newest": "a.date DESC, a.id DESC, q.start", "oldest": "a.date IS NULL, a.date, a.id, q.start"}


class StoreQueries:
    """The queries of ``Store``, kept apart from its writes so neither file grows past reading."""

    @property
    def conn(self) -> sqlite3.Connection:
        raise NotImplementedError  # Store gives each thread its own connection

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
        kinds: Iterable[str] | None = READER_KINDS,
        min_confidence: float = 0.0,
        source_type: str | None = None,
        gender: str | None = None,
        sort: str = "relevance",
    ) -> list[dict[str, Any]]:
        """Quotes matching the filters; ranked by relevance (bm25) when ``q`` is given and ``sort``
        is ``relevance``, else by article date (``newest`` first, the default without ``q``, or
        ``oldest`` first).

        ``source_type`` (person, organisation, group, document, unnamed, none) and ``gender``
        (female, male, unknown) select by the corpus speaker, as ``saywho.corpus.audit`` counts.

        Only quotes of ``kinds`` (speech unless asked; None for every kind) with at least
        ``min_confidence`` are searched, as readers count quotes (docs/kinds.md).

        ``q`` takes FTS5 syntax ("passport AND visa", "refuge*", '"exact phrase"'); text that is
        not valid syntax is searched as plain words. Matches in ``snippet`` are wrapped in ``mark``;
        ``score`` (higher is better, None without ``q``) is the negated bm25 rank. ``id`` is the
        quote's row id in the corpus, ``quote_id`` its id within its article.
        """
        filters = quote_filters(kinds, min_confidence, speaker, outlet, since, until, source_type, gender)
        if filters is None:
            return []
        where, params = filters
        # SQLite integers are 64-bit: a larger limit or offset (``--offset 9999…``) means "all" or
        # "past the end", not an OverflowError.
        limit, offset = _clamp(limit), _clamp(offset)
        if q and q.strip():
            sql = f"""SELECT {_QUOTE_SELECT}, snippet(quotes_fts, 0, ?, ?, '…', 16) AS snippet,
                             -bm25(quotes_fts) AS score
                      FROM quotes_fts JOIN quotes q ON q.id = quotes_fts.rowid {_QUOTE_JOINS}
                      WHERE quotes_fts MATCH ? {''.join(' AND ' + w for w in where)}
                      ORDER BY {_ORDER.get(sort, "bm25(quotes_fts), q.id")} LIMIT ? OFFSET ?"""
            try:
                rows = self.conn.execute(sql, [*mark, q, *params, limit, offset]).fetchall()
            except sqlite3.OperationalError:
                # The statement is fixed, so the query text is what failed to parse (FTS5 reports
                # that under many messages); a real database problem fails again just below.
                rows = self.conn.execute(sql, [*mark, _plain_query(q), *params, limit, offset]).fetchall()
        else:
            sql = f"""SELECT {_QUOTE_SELECT}, NULL AS snippet, NULL AS score FROM quotes q {_QUOTE_JOINS}
                      {'WHERE ' + ' AND '.join(where) if where else ''}
                      ORDER BY {_ORDER.get(sort, _ORDER["newest"])} LIMIT ? OFFSET ?"""
            rows = self.conn.execute(sql, [*params, limit, offset]).fetchall()
        out = []
        for row in rows:
            d = dict(row)
            if d["snippet"] is None:
                text = d["quote"]
                d["snippet"] = text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"
            out.append(d)
        return out

    def speakers(
        self, top: int = 50, named_only: bool = False, kinds: Iterable[str] | None = READER_KINDS,
        min_confidence: float = 0.0,
    ) -> list[dict[str, Any]]:
        """The most quoted corpus speakers, most quoted first, counting quotes of ``kinds`` (speech
        unless asked; None for every kind) with at least ``min_confidence``. Speakers with no such
        quote are not listed."""
        named = "AND named = 1" if named_only else ""
        if _counted(kinds, min_confidence):
            # The default ranking: the count the store keeps, one read of the speakers_top index.
            rows = self.conn.execute(
                f"""SELECT * FROM speakers WHERE merged_into IS NULL AND quote_count > 0 {named}
                    ORDER BY quote_count DESC, id LIMIT ?""",
                (_clamp(top),),
            ).fetchall()
            return [self._speaker_dict(row) for row in rows]
        # Any other selection is counted now, from the quotes_kind index alone.
        where, params = _kind_filter(kinds, min_confidence)
        rows = self.conn.execute(
            f"""WITH counts AS (SELECT COALESCE(s.merged_into, s.id) AS cid, count(*) AS n FROM quotes q
                                JOIN speakers s ON s.id = q.speaker_id
                                {'WHERE ' + ' AND '.join(where) if where else ''} GROUP BY 1)
                SELECT speakers.*, counts.n AS n FROM counts JOIN speakers ON speakers.id = counts.cid
                WHERE 1 {named} ORDER BY counts.n DESC, speakers.id LIMIT ?""",
            (*params, _clamp(top)),
        ).fetchall()
        return [self._speaker_dict(row, row["n"]) for row in rows]

    def _quote_count(self, row: sqlite3.Row, kinds: Iterable[str] | None, min_confidence: float) -> int:
        """Quotes of ``kinds`` with at least ``min_confidence`` of one corpus speaker and the short
        forms merged into it."""
        if _counted(kinds, min_confidence):
            return int(row["quote_count"])
        where, params = _kind_filter(kinds, min_confidence)
        where.append("q.speaker_id IN (SELECT id FROM speakers WHERE id = ? OR merged_into = ?)")
        return int(self.conn.execute(
            f"SELECT count(*) FROM quotes q WHERE {' AND '.join(where)}", (*params, row["id"], row["id"])
        ).fetchone()[0])

    def _speaker_dict(self, row: sqlite3.Row, quote_count: int | None = None) -> dict[str, Any]:
        members = self.conn.execute(
            "SELECT name, aliases, descriptors, gender_articles FROM speakers WHERE merged_into = ? ORDER BY id",
            (row["id"],),
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
            "key": row["key"],
            "name": row["name"],
            "named": bool(row["named"]),
            "type": row["type"],
            "gender": row["gender"],
            "gender_articles": _union_ids(json.loads(row["gender_articles"]),
                                          [json.loads(m["gender_articles"]) for m in members]),
            "aliases": aliases,
            "descriptors": descriptors,
            "quote_count": row["quote_count"] if quote_count is None else quote_count,
            "article_count": article_count,
        }

    def speaker(
        self, speaker_id: int | str, limit: int = 1000, kinds: Iterable[str] | None = READER_KINDS,
        min_confidence: float = 0.0,
    ) -> dict[str, Any] | None:
        """One corpus speaker with its quotes of ``kinds`` across articles (newest first); a merged
        short form resolves to the speaker it was merged into."""
        sid = _row_id(speaker_id)
        if sid is None:
            return None
        row = self.conn.execute(
            "SELECT * FROM speakers WHERE id = (SELECT COALESCE(merged_into, id) FROM speakers WHERE id = ?)",
            (sid,),
        ).fetchone()
        if row is None:
            return None
        out = self._speaker_dict(row, self._quote_count(row, kinds, min_confidence))
        out["quotes"] = self.search(speaker=str(row["id"]), limit=limit, kinds=kinds,
                                    min_confidence=min_confidence)
        return out

    def article(self, article_id: int | str) -> dict[str, Any] | None:
        """``Article.to_dict()`` of a stored article plus its corpus fields: id, content_hash,
        source, source_id, url, outlet, date, headline, author, processed_at, and the corpus ids
        its speakers and quotes were given (``corpus_speaker_ids``, ``cluster_ids``)."""
        aid = _row_id(article_id)
        if aid is None:
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
        """Row counts per table, corpus speakers after merging, and quotes per kind
        (``quotes_speech``...): ``quotes`` counts every kind."""
        out = {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        per_kind = dict(self.conn.execute("SELECT kind, count(*) FROM quotes GROUP BY kind").fetchall())
        for kind in QUOTE_KINDS:
            out[f"quotes_{kind}"] = per_kind.get(kind, 0)
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
            f"""SELECT q.quote_id, c.id AS sid, c.key AS skey, c.name AS sname, c.type AS stype,
                      c.gender AS sgender, {SOURCE_CLASS_SQL} AS source_type, q.cluster_id FROM quotes q
               LEFT JOIN speakers s ON s.id = q.speaker_id
               LEFT JOIN speakers c ON c.id = COALESCE(s.merged_into, s.id) WHERE q.article_id = ?""",
            (article_id,),
        ).fetchall()
        return {r["quote_id"]: dict(r) for r in rows}


SQLITE_MAX_INT = 2**63 - 1


def _in_range(n: int) -> bool:
    return -SQLITE_MAX_INT - 1 <= n <= SQLITE_MAX_INT


def _row_id(value: int | str) -> int | None:
    """A row id from a user's value, or None when it is no integer or past SQLite's 64-bit range
    (no row has such an id)."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if _in_range(n) else None


def _clamp(n: int) -> int:
    return min(max(0, int(n)), SQLITE_MAX_INT)


def _article_dict(row: sqlite3.Row) -> dict[str, Any]:
    doc = json.loads(row["doc_json"])
    return {"text": row["text"], **doc}


def _counted(kinds: Iterable[str] | None, min_confidence: float) -> bool:
    """Whether ``speakers.quote_count`` is the count asked for: speech, at any confidence."""
    return kinds is not None and set(kinds) == {COUNTED_KIND} and min_confidence <= 0


def _union_ids(first: list[int], more: list[list[int]]) -> list[int]:
    """The articles that stated the gender of any row of one corpus speaker, in order."""
    out = list(first)
    for ids in more:
        out.extend(i for i in ids if i not in out)
    return sorted(out)


def quote_filters(
    kinds: Iterable[str] | None, min_confidence: float, speaker: str | None = None, outlet: str | None = None,
    since: str | None = None, until: str | None = None, source_type: str | None = None,
    gender: str | None = None,
) -> tuple[list[str], list[Any]] | None:
    """WHERE terms over ``quotes q``, ``articles a`` and the corpus speaker ``c`` (the joins of
    search) for every filter search and the audit share; None when nothing can match."""
    where, params = _kind_filter(kinds, min_confidence)
    if speaker:
        match = _speaker_match(speaker)
        if match is None:
            return None
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
    if source_type:
        if source_type not in SOURCE_TYPES:
            raise StoreError(f"unknown source type {source_type!r}; use one of {', '.join(SOURCE_TYPES)}")
        where.append(f"({SOURCE_CLASS_SQL}) = ?")
        params.append(source_type)
    if gender:
        if gender not in GENDERS:
            raise StoreError(f"unknown gender {gender!r}; use one of {', '.join(GENDERS)}")
        where.append("COALESCE(c.gender, 'unknown') = ?")
        params.append(gender)
    return where, params


def _kind_filter(kinds: Iterable[str] | None, min_confidence: float) -> tuple[list[str], list[Any]]:
    """WHERE terms (over ``quotes q``) and their parameters for a kind and confidence selection."""
    where: list[str] = []
    params: list[Any] = []
    if kinds is not None:
        wanted = sorted(set(kinds))
        where.append(f"q.kind IN ({','.join('?' * len(wanted))})" if wanted else "0")
        params.extend(wanted)
    if min_confidence > 0:
        where.append("q.confidence >= ?")
        params.append(float(min_confidence))
    return where, params


def _speaker_match(name: str) -> tuple[str, list[Any]] | None:
    """A WHERE clause over ``speakers`` for the rows a user means by ``name`` (see ``search``)."""
    if name.strip().isdecimal():
        number = int(name)
        return ("id = ?", [number]) if _in_range(number) else None
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
