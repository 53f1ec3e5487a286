"""How many quotes a search finds, and how they split by outlet, kind, source type and gender.

The counts of a faceted search (Datasette's facets, a newsroom's "how many of these are from
women"): ``search_facets`` takes the filters of ``Store.search`` and counts the same rows, with
the same WHERE terms (``queries.search_filter``), so a facet's number is the number of hits a
click on it lists. Each facet is counted with every filter but its own, so the kind facet still
shows the thought quotes while only speech is listed: what a click would add.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from ..model import QUOTE_KINDS, READER_KINDS
from .queries import plain_query, search_filter

FACETS = ("outlet", "kind", "type", "gender")
# A facet lists its most frequent values; the rest are counted in the total only.
FACET_VALUES = 30
_JOINS = """JOIN articles a ON a.id = q.article_id
    LEFT JOIN speakers s ON s.id = q.speaker_id
    LEFT JOIN speakers c ON c.id = COALESCE(s.merged_into, s.id)"""


def _class_expressions(conn: sqlite3.Connection) -> dict[str, str]:
    """SQL for each facet over ``q``, ``a`` and the corpus speaker ``c``. Source type and gender
    exist from schema 3 on (speakers with a type and a gender); an older corpus has no such facet."""
    exprs = {"outlet": "a.outlet", "kind": "q.kind"}
    columns = {row[1] for row in conn.execute("PRAGMA table_info(speakers)")}
    if {"type", "gender"} <= columns:
        from . import schema

        exprs["type"] = getattr(schema, "SOURCE_CLASS_SQL", "COALESCE(c.type, 'none')")
        exprs["gender"] = "COALESCE(c.gender, 'unknown')"
    return exprs


def _count(conn: sqlite3.Connection, q: str | None, where: list[str], params: list[Any],
           select: str, group: bool) -> list[sqlite3.Row]:
    tail = " GROUP BY 1 ORDER BY 2 DESC, 1" if group else ""
    if q and q.strip():
        sql = (f"SELECT {select} FROM quotes_fts JOIN quotes q ON q.id = quotes_fts.rowid {_JOINS} "
               f"WHERE quotes_fts MATCH ? {''.join(' AND ' + w for w in where)}{tail}")
        try:
            return conn.execute(sql, [q, *params]).fetchall()
        except sqlite3.OperationalError:
            # As in Store.search: text FTS5 cannot parse is searched as plain words.
            return conn.execute(sql, [plain_query(q), *params]).fetchall()
    sql = f"SELECT {select} FROM quotes q {_JOINS} {'WHERE ' + ' AND '.join(where) if where else ''}{tail}"
    return conn.execute(sql, params).fetchall()


def search_facets(
    conn: sqlite3.Connection,
    q: str | None = None,
    speaker: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    kinds: Iterable[str] | None = READER_KINDS,
    min_confidence: float = 0.0,
) -> dict[str, Any]:
    """``{"total": hits, "facets": {"outlet": [{"value", "count"}], "kind": [...], ...}}`` for the
    filters of ``Store.search``; values most frequent first, at most ``FACET_VALUES`` each."""
    filters: dict[str, Any] = {"speaker": speaker, "outlet": outlet, "since": since, "until": until,
                               "kinds": kinds, "min_confidence": min_confidence}

    def terms(**without: Any) -> tuple[list[str], list[Any]] | None:
        return search_filter(**{**filters, **without})

    everything = terms()
    if everything is None:  # a speaker no one in the corpus can be
        return {"total": 0, "facets": {}}
    total = int(_count(conn, q, *everything, "count(*)", group=False)[0][0])
    facets: dict[str, list[dict[str, Any]]] = {}
    for name, expr in _class_expressions(conn).items():
        own = {"outlet": {"outlet": None}, "kind": {"kinds": None}}.get(name, {})
        where = terms(**own)
        assert where is not None  # only the speaker filter can match no one, and it is kept
        rows = _count(conn, q, *where, f"{expr} AS value, count(*) AS n", group=True)
        values = [{"value": r["value"], "count": int(r["n"])} for r in rows[:FACET_VALUES]]
        if name == "kind":  # every kind is listed, so each one can be switched on from here
            seen = {v["value"] for v in values}
            values += [{"value": k, "count": 0} for k in QUOTE_KINDS if k not in seen]
        facets[name] = values
    return {"total": total, "facets": facets}


def cluster_sizes(conn: sqlite3.Connection, cluster_ids: Iterable[int | None]) -> dict[int, int]:
    """How many times each quote cluster was printed across the corpus (every kind, every article),
    for the ids given: a page shows one quote reprinted by several outlets as one cluster."""
    ids = sorted({int(i) for i in cluster_ids if i is not None})
    if not ids:
        return {}
    rows = conn.execute(
        f"SELECT id, occurrences FROM quote_clusters WHERE id IN ({','.join('?' * len(ids))})", ids
    ).fetchall()
    return {int(r[0]): int(r[1]) for r in rows}
