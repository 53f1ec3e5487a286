"""The source audit: whose voices a corpus quotes, counted by source type, stated gender and kind.

``audit(store, by="outlet")`` answers the newsroom question "what share of quotes come from
named women, named men, organisations and unnamed sources, by outlet and month?" with one
GROUP BY over the store (the quotes_kind, articles_outlet_date and speakers_class indexes).
Every cell is traceable: ``Store.search`` with the same filters plus the cell's own (its
``trace``: outlet, since/until for a month or year, speaker id, source_type, gender, kind)
lists exactly the quotes the cell counts. Plain data out, so the CLI, the web dashboard and a
notebook share it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from ..model import READER_KINDS
from .queries import _plain_query, quote_filters
from .schema import GENDERS, SOURCE_CLASS_SQL, SOURCE_TYPES

BY = ("outlet", "month", "year", "speaker")
_GROUP_SQL = {
    "outlet": "a.outlet",
    "month": "substr(a.date, 1, 7)",
    "year": "substr(a.date, 1, 4)",
    "speaker": "c.id",
}
# The share a newsroom reads first: quotes by named women and men, then everyone else.
CLASSES = ("female person", "male person", "unknown-gender person", "organisation", "group", "document",
           "unnamed", "none")


def source_class(source_type: str, gender: str) -> str:
    """One column of the audit table: a named person with their stated gender, else the type."""
    if source_type == "person":
        return f"{gender} person" if gender in ("female", "male") else "unknown-gender person"
    return source_type


# The columns of an audit's rows as CSV (``saywho audit --format csv``, ``/api/audit?_format=csv``).
CSV_COLUMNS = ("group", "speaker", "source_type", "gender", "kind", "quotes", "speakers")


def csv_columns(by: str | None) -> tuple[str, ...]:
    """The CSV columns of an audit grouped ``by``: the speaker column only for ``by="speaker"``."""
    return CSV_COLUMNS if by == "speaker" else tuple(c for c in CSV_COLUMNS if c != "speaker")


def audit(
    store: Any,
    by: str | None = None,
    kinds: Iterable[str] | None = READER_KINDS,
    min_confidence: float = 0.0,
    since: str | None = None,
    until: str | None = None,
    outlet: str | None = None,
    query: str | None = None,
    source_type: str | None = None,
    gender: str | None = None,
) -> dict[str, Any]:
    """Quote and speaker counts per (group, source_type, gender, kind).

    Returns ``{"by", "filters", "rows", "groups", "totals"}``: ``rows`` are the cells
    (``group`` (None without ``by``; for ``speaker`` the corpus speaker id, with ``speaker``
    its name), ``source_type``, ``gender``, ``kind``, ``quotes``, ``speakers`` (distinct corpus
    speakers) and ``trace``, the ``Store.search`` keywords listing that cell's quotes);
    ``groups`` one summary per group (``quotes``, ``speakers`` and ``classes``: quotes per
    ``CLASSES`` entry); ``totals`` the same over everything. ``kinds`` defaults to speech.
    """
    if by is not None and by not in BY:
        raise ValueError(f"cannot audit by {by!r}; use one of {', '.join(BY)}")
    kinds = tuple(kinds) if kinds is not None else None
    filters = quote_filters(kinds, min_confidence, None, outlet, since, until, source_type, gender)
    base = {"kinds": list(kinds) if kinds is not None else None, "min_confidence": min_confidence,
            "since": since, "until": until, "outlet": outlet, "query": query, "source_type": source_type,
            "gender": gender}
    if filters is None:
        return {"by": by, "filters": base, "rows": [], "groups": [], "totals": _summary([])}
    where, params = filters
    group = _GROUP_SQL[by] if by else "NULL"
    fts = ""
    if query and query.strip():
        fts = "q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)"
        where = [fts, *where]
    sql = f"""SELECT {group} AS grp, {SOURCE_CLASS_SQL} AS source_type, COALESCE(c.gender, 'unknown') AS gender,
                     q.kind AS kind, count(*) AS quotes, count(DISTINCT c.id) AS speakers,
                     {'max(c.name)' if by == 'speaker' else 'NULL'} AS speaker
              FROM quotes q JOIN articles a ON a.id = q.article_id
              LEFT JOIN speakers s ON s.id = q.speaker_id
              LEFT JOIN speakers c ON c.id = COALESCE(s.merged_into, s.id)
              {'WHERE ' + ' AND '.join(where) if where else ''}
              GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"""
    try:
        records = store.conn.execute(sql, [*([query] if fts else []), *params]).fetchall()
    except sqlite3.OperationalError:
        if not fts:
            raise
        # As in search: text that is not FTS5 syntax is searched as plain words.
        records = store.conn.execute(sql, [_plain_query(query or ""), *params]).fetchall()
    rows = []
    for r in records:
        cell = {"group": r["grp"], "source_type": r["source_type"], "gender": r["gender"], "kind": r["kind"],
                "quotes": r["quotes"], "speakers": r["speakers"]}
        if by == "speaker":
            cell["speaker"] = r["speaker"]
        cell["trace"] = _trace(by, r["grp"], cell, base)
        rows.append(cell)
    groups = []
    keys: list[Any] = []
    for row in rows:
        if row["group"] not in keys:
            keys.append(row["group"])
    speaker_counts = _speaker_counts(store, group, where, [*([query] if fts else []), *params]) if rows else {}
    for key in keys:
        cells = [r for r in rows if r["group"] == key]
        summary = _summary(cells)
        summary["speakers"] = speaker_counts.get(key, summary["speakers"])
        groups.append({"group": key, **({"speaker": cells[0]["speaker"]} if by == "speaker" else {}), **summary})
    totals = _summary(rows)
    if rows:
        totals["speakers"] = _distinct_total(store, where, [*([query] if fts else []), *params])
    return {"by": by, "filters": base, "rows": rows, "groups": groups, "totals": totals}


def _summary(cells: list[dict[str, Any]]) -> dict[str, Any]:
    classes = dict.fromkeys(CLASSES, 0)
    for c in cells:
        classes[source_class(c["source_type"], c["gender"])] += c["quotes"]
    return {"quotes": sum(c["quotes"] for c in cells), "speakers": sum(c["speakers"] for c in cells),
            "classes": classes}


def _joins() -> str:
    return """FROM quotes q JOIN articles a ON a.id = q.article_id LEFT JOIN speakers s ON s.id = q.speaker_id
              LEFT JOIN speakers c ON c.id = COALESCE(s.merged_into, s.id)"""


def _speaker_counts(store: Any, group: str, where: list[str], params: list[Any]) -> dict[Any, int]:
    """Distinct corpus speakers per group (a speaker quoted under two kinds is one speaker)."""
    sql = f"""SELECT {group} AS grp, count(DISTINCT c.id) {_joins()}
              {'WHERE ' + ' AND '.join(where) if where else ''} GROUP BY 1"""
    return {r[0]: r[1] for r in _run(store, sql, params)}


def _distinct_total(store: Any, where: list[str], params: list[Any]) -> int:
    sql = f"SELECT count(DISTINCT c.id) {_joins()} {'WHERE ' + ' AND '.join(where) if where else ''}"
    return int(_run(store, sql, params)[0][0])


def _run(store: Any, sql: str, params: list[Any]) -> list[Any]:
    try:
        return store.conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError:
        # The query text was no FTS5 syntax (the first parameter when a query is given).
        return store.conn.execute(sql, [_plain_query(str(params[0])), *params[1:]]).fetchall()


def _trace(by: str | None, value: Any, cell: dict[str, Any], base: dict[str, Any]) -> dict[str, Any] | None:
    """The ``Store.search`` keywords that list exactly this cell's quotes; None for the group of
    articles with no outlet or no date, which no search filter selects."""
    if by in ("outlet", "month", "year") and value is None:
        return None
    out: dict[str, Any] = {"q": base["query"], "outlet": base["outlet"], "since": base["since"],
                           "until": base["until"], "min_confidence": base["min_confidence"],
                           "kinds": [cell["kind"]], "source_type": cell["source_type"], "gender": cell["gender"]}
    if by == "outlet":
        out["outlet"] = value
    elif by in ("month", "year") and value:
        out["since"] = out["until"] = value
    elif by == "speaker" and value is not None:
        out["speaker"] = str(value)
    return out


__all__ = ["BY", "CLASSES", "GENDERS", "SOURCE_TYPES", "audit", "source_class"]
