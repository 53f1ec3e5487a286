"""Who the corpus quotes: `saywho speakers` (list, merge, split, --suggest-merges) and `saywho audit`."""

from __future__ import annotations

import csv
import json
import sys
from enum import Enum
from typing import Annotated, Any

import typer

from .corpus import DEFAULT_DB, DbOption, KindOption, ListFormat, MinConfidenceOption, _kinds, open_store
from .fail import fail


class AuditBy(str, Enum):
    outlet = "outlet"
    month = "month"
    year = "year"
    speaker = "speaker"


class TableFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


speakers_app = typer.Typer(help="The most quoted speakers; merge and split them by hand.", add_completion=False)


@speakers_app.callback(invoke_without_command=True)
def speakers(
    ctx: typer.Context,
    top: Annotated[int, typer.Option("--top", "-n", min=0, help="How many speakers.")] = 50,
    named_only: Annotated[bool, typer.Option(help="Leave out unnamed sources.")] = False,
    suggest_merges: Annotated[bool, typer.Option(
        "--suggest-merges", help="List possible duplicates with the evidence, instead of the ranking.")] = False,
    kind: KindOption = None,
    min_confidence: MinConfidenceOption = 0.0,
    db: DbOption = DEFAULT_DB,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """The most quoted speakers of the corpus, counting speech unless --kind says."""
    ctx.obj = db
    if ctx.invoked_subcommand is not None:
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    store = open_store(db)
    if suggest_merges:
        from ..corpus.curation import suggest_merges as suggest

        pairs = suggest(store, limit=top)
        if format == ListFormat.json:
            sys.stdout.write(json.dumps(pairs, ensure_ascii=False, indent=2) + "\n")
            return
        table = Table("merge", "into", "why", "then run")
        for p in pairs:
            a, b = p["speaker"], p["target"]
            table.add_row(escape(f"{a['name']} [{a['key']}] ({a['quote_count']} quotes, {a['type']}, {a['gender']})"),
                          escape(f"{b['name']} [{b['key']}] ({b['quote_count']} quotes, {b['type']}, {b['gender']})"),
                          escape(p["reason"]), escape(f"saywho speakers merge '{a['key']}' '{b['key']}'"))
        Console().print(table if pairs else "No likely duplicates.")
        return
    rows = store.speakers(top, named_only=named_only, kinds=_kinds(kind), min_confidence=min_confidence)
    if format == ListFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table("id", "speaker", "type", "gender", "quotes", "articles", "also called", "described as")
    for r in rows:
        name = escape(r["name"]) if r["named"] else f"[dim]{escape(r['name'])}[/] (unnamed)"
        table.add_row(str(r["id"]), name, r["type"], r["gender"], str(r["quote_count"]), str(r["article_count"]),
                      escape(", ".join(r["aliases"][:4])), escape(", ".join(r["descriptors"][:3])))
    Console().print(table)


def _curate(ctx: typer.Context, action: str, speaker: str, target: str | None, note: str) -> None:
    from ..corpus.curation import append_action, speaker_keys

    store = open_store(ctx.obj)
    path = store.curation_path
    sources = speaker_keys(store.conn, speaker)
    if not sources:
        fail(f"no corpus speaker {speaker!r}: give an id, an identity key or a name from `saywho speakers`")
    target_key = ""
    if target is not None:
        targets = speaker_keys(store.conn, target)
        if not targets:
            fail(f"no corpus speaker {target!r}: give an id, an identity key or a name from `saywho speakers`")
        target_key = targets[0]  # an id's own row first: the corpus speaker it names
    if action == "merge" and speaker.strip().isdecimal():
        sources = sources[:1]  # the corpus speaker's row: its members follow it
    for key in sources:
        if key != target_key:
            append_action(path, action, key, target_key, note)
    store.consolidate()
    typer.echo(f"{action}: {', '.join(sources)}{' -> ' + target_key if target_key else ''} "
               f"(recorded in {path}; applied now and on every run)")


@speakers_app.command("merge")
def merge(
    ctx: typer.Context,
    speaker: Annotated[str, typer.Argument(help="Id, identity key or name of the speaker to merge.")],
    into: Annotated[str, typer.Argument(help="Id, identity key or name of the speaker it is.")],
    note: Annotated[str, typer.Option(help="Why, for whoever reads the curation file.")] = "",
) -> None:
    """Make SPEAKER part of INTO's corpus speaker (kept in the curation file beside the db)."""
    _curate(ctx, "merge", speaker, into, note)


@speakers_app.command("split")
def split(
    ctx: typer.Context,
    speaker: Annotated[str, typer.Argument(help="Id, identity key or name of the speaker to keep apart.")],
    apart_from: Annotated[str | None, typer.Argument(help="Keep it out of this one only (default: any).")] = None,
    note: Annotated[str, typer.Option(help="Why, for whoever reads the curation file.")] = "",
) -> None:
    """Keep SPEAKER apart (from APART_FROM, or from everyone): undoes a merge, automatic or not."""
    _curate(ctx, "split", speaker, apart_from, note)


def register(app: typer.Typer) -> None:
    app.add_typer(speakers_app, name="speakers")

    @app.command("audit")
    def audit_cmd(
        by: Annotated[AuditBy | None, typer.Option("--by", help="One row per outlet, month, year or speaker.")] = None,
        kind: KindOption = None,
        min_confidence: MinConfidenceOption = 0.0,
        since: Annotated[str | None, typer.Option(help="Earliest date, YYYY[-MM[-DD]].")] = None,
        until: Annotated[str | None, typer.Option(help="Latest date, YYYY[-MM[-DD]].")] = None,
        outlet: Annotated[str | None, typer.Option(help="Outlet name (case-insensitive, exact).")] = None,
        query: Annotated[str | None, typer.Option(
            help="Only quotes matching these words (as `saywho search`).")] = None,
        db: DbOption = DEFAULT_DB,
        format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    ) -> None:
        """Whose voices: quotes by source type (named person, organisation, group, unnamed), stated
        gender and kind; every cell listed by `saywho search` with the same filters."""
        from ..corpus.audit import audit, csv_columns
        from ..corpus.store import StoreError

        store = open_store(db)
        try:
            result = audit(store, by=by.value if by else None, kinds=_kinds(kind), min_confidence=min_confidence,
                           since=since, until=until, outlet=outlet, query=query)
        except StoreError as exc:
            fail(str(exc))
        if format == TableFormat.json:
            sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        elif format == TableFormat.csv:
            writer = csv.DictWriter(sys.stdout, fieldnames=list(csv_columns(by.value if by else None)),
                                    extrasaction="ignore")
            writer.writeheader()
            writer.writerows(result["rows"])
        else:
            _audit_table(result)


def _audit_table(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from ..corpus.audit import CLASSES

    table = Table(result["by"] or "", "quotes", "speakers", *CLASSES)
    entries = [*result["groups"], {"group": "all", **result["totals"]}] if result["by"] else [
        {"group": "all", **result["totals"]}]
    for g in entries:
        label = g.get("speaker") or g["group"]
        n = g["quotes"] or 1
        table.add_row(escape(str(label if label is not None else "(none)")), str(g["quotes"]), str(g["speakers"]),
                      *[f"{g['classes'][c]} ({100 * g['classes'][c] / n:.0f}%)" for c in CLASSES])
    Console().print(table)
