"""Every corpus view as a download: the same URL with ``?_format=csv`` or ``?_format=json``.

Datasette's convention (its ``?_format=`` form, which needs no second route per endpoint): the
page links each view's own query with ``_format`` added, so a download holds exactly the rows the
view lists, every one of them rather than the page on screen, and a script can ask for the same.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from fastapi import Query
from fastapi.responses import Response, StreamingResponse

DOWNLOAD_FORMATS = ("csv", "json")
FORMAT_QUERY = Query(
    None, alias="_format", pattern="^(csv|json)$",
    description="`csv` or `json`: download every row of this view as a file (Datasette's `?_format=`)",
)


def _cell(value: Any) -> Any:
    """A CSV cell: lists as `; `-joined text (aliases, matches), objects as JSON, None empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def csv_response(rows: Iterable[dict[str, Any]], columns: Sequence[str], name: str) -> StreamingResponse:
    """Rows as a CSV attachment, streamed: a whole corpus never sits in memory as one string."""
    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k)) for k in columns})
            if buffer.tell() > 65536:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return StreamingResponse(lines(), media_type="text/csv; charset=utf-8",
                             headers={"content-disposition": f'attachment; filename="{name}.csv"'})


def json_response(body: dict[str, Any], name: str) -> Response:
    """The endpoint's JSON body, as an attachment named after the view."""
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/json",
                    headers={"content-disposition": f'attachment; filename="{name}.json"'})
