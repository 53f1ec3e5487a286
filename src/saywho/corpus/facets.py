"""How many quotes a search finds, and how they split by outlet, kind, source type and gender.

The counts of a faceted search (Datasette's facets, a newsroom's "how many of these are from
women"): ``search_facets`` takes the filters of ``Store.search`` and counts the same rows, with
the same WHERE terms (``queries.quote_filters``, which the audit uses too), so a facet's number is the number of hits a
click on it lists. Each facet is counted with every filter but its own, so the kind facet still
shows the thought quotes while only speech is listed: what a click would add.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from ..model import QUOTE_KINDS, READER_KINDS
from .queries import _plain_query, quote_filters
from .schema import SOURCE_CLASS_SQL

FACETS = ("outlet", "kind", "type", "gender")
# A facet lists its most frequent values; the rest are counted in the total only.
FACET_VALUES = 30
_JOINS = """JOIN articles a ON a.id = q.article_id
    LEFT JOIN speakers s ON s.id = q.speaker_id
    LEFT JOIN speakers c ON c.id = COALESCE(s.merged_into, s.id)"""


# Each facet's SQL over ``q``, ``a`` and the corpus speaker ``c``: source type and gender as the
# audit classes them, so a facet count is an audit count.
_EXPRESSIONS = {"outlet": "a.outlet", "kind": "q.kind", "type": SOURCE_CLASS_SQL,
                "gender": "COALESCE(c.gender, 'unknown')"}
# The filter each facet lifts when counting itself.
_OWN_FILTER = {"outlet": "outlet", "kind": "kinds", "type": "source_type", "gender": "gender"}


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
            return conn.execute(sql, [_plain_query(q), *params]).fetchall()
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
    source_type: str | None = None,
    gender: str | None = None,
) -> dict[str, Any]:
    """``{"total": hits, "facets": {"outlet": [{"value", "count"}], "kind": [...], ...}}`` for the
    filters of ``Store.search``; values most frequent first, at most ``FACET_VALUES`` each."""
    filters: dict[str, Any] = {"speaker": speaker, "outlet": outlet, "since": since, "until": until,
                               "kinds": kinds, "min_confidence": min_confidence, "source_type": source_type,
                               "gender": gender}

    def terms(lift: str | None = None) -> tuple[list[str], list[Any]] | None:
        return quote_filters(**{**filters, **({lift: None} if lift else {})})

    everything = terms()
    if everything is None:  # a speaker no one in the corpus can be
        return {"total": 0, "facets": {}}
    total = int(_count(conn, q, *everything, "count(*)", group=False)[0][0])
    facets: dict[str, list[dict[str, Any]]] = {}
    for name, expr in _EXPRESSIONS.items():
        where = terms(_OWN_FILTER[name])
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
