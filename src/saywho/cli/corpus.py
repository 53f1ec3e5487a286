"""Corpus commands: `saywho run`, `search`, `export` (`speakers` and `audit`: cli/curate.py)."""

from __future__ import annotations

import csv
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from .fail import fail, require

DEFAULT_DB = "corpus.db"
DB_HELP = "Corpus database file (default: $SAYWHO_DB, else corpus.db here)."


class SearchFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ListFormat(str, Enum):
    table = "table"
    json = "json"


class DateOrder(str, Enum):
    DMY = "DMY"
    MDY = "MDY"


class ExportFormat(str, Enum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"



def open_store(db: str) -> Any:
    """The existing database, or one clear line saying how to make it."""
    from ..corpus.store import Store, StoreError

    if not Path(db).is_file():
        fail(f"no corpus database at {db}; build one with `saywho run ARCHIVE... --db {db}`")
    try:
        return Store(db, create=False)
    except (StoreError, Exception) as exc:  # a file that is not SQLite raises sqlite3.DatabaseError
        fail(f"{db}: {exc}")


DbOption = Annotated[str, typer.Option("--db", envvar="SAYWHO_DB", help=DB_HELP)]
# The same selection as `saywho extract`, but speech by default whatever the format: these are
# the commands that count quotes across a corpus, and readers count what was said.
KindOption = Annotated[str | None, typer.Option(
    "--kind", help="Kinds of quote, comma-separated (speech,thought,intent,stance), or all; default: speech.")]
MinConfidenceOption = Annotated[float, typer.Option(
    "--min-confidence", min=0.0, max=1.0, help="Leave out quotes less likely than this to be right.")]


def _kinds(option: str | None) -> tuple[str, ...] | None:
    from ..model import READER_KINDS
    from .extract import parse_kinds

    return parse_kinds(option, default=READER_KINDS)


def _console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def register(app: typer.Typer) -> None:
    @app.command("run")
    def run(
        archives: Annotated[list[str], typer.Argument(
            help="Directories of .html/.htm/.txt files, .jsonl files, .warc[.gz] files.")],
        db: DbOption = DEFAULT_DB,
        workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Extraction processes.")] = 1,
        limit: Annotated[int | None, typer.Option(min=0, help="Stop after this many new articles.")] = None,
        retry_errors: Annotated[bool, typer.Option(help="Try again the inputs that failed before.")] = False,
        model: Annotated[str | None, typer.Option(envvar="SAYWHO_MODEL", help="spaCy model name.")] = None,
        date_order: Annotated[DateOrder, typer.Option(
            "--date-order", envvar="SAYWHO_DATE_ORDER",
            help="Day/month order of numeric dates (04/10/2016): DMY, or MDY for US archives.")] = DateOrder.DMY,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    ) -> None:
        """Extract every article of the archives into a corpus database (resumable)."""
        if any(a.lower().endswith((".warc", ".warc.gz")) for a in archives):
            require("reading WARC files", "warcio")
        from ..corpus.runner import CorpusRunner
        from ..corpus.store import Store, StoreError
        from ..errors import SaywhoError

        missing = [a for a in archives if not Path(a).exists()]
        if missing:  # checked before the store opens, so a typo leaves no empty database behind
            fail(f"no such file or directory: {', '.join(missing)}", code=2)
        try:
            store = Store(db)
        except (StoreError, Exception) as exc:
            fail(f"{db}: {exc}")
        console = _console()
        bar = None if quiet else _ProgressBar(console)
        runner = CorpusRunner(
            store, workers, model=model, limit=limit, retry_errors=retry_errors,
            on_progress=bar.update if bar else None, date_order=date_order.value,
        )
        try:
            if bar:
                bar.start()
            runner.run(archives)
        except FileNotFoundError as exc:
            fail(str(exc), code=2)
        except SaywhoError as exc:  # the model cannot be loaded: nothing was blamed on the articles
            fail(str(exc))
        except KeyboardInterrupt:
            if bar:
                bar.stop()
            _print_summary(console, runner.summary, store)
            console.print("[yellow]Interrupted.[/] Every stored article is complete; run the same command "
                          "again to continue.", soft_wrap=True)
            raise typer.Exit(code=130) from None
        finally:
            if bar:
                bar.stop()
        _print_summary(console, runner.summary, store)
        s = runner.summary
        if not (s.processed or s.duplicates or s.previously_failed or s.errors):
            console.print("[yellow]No articles found.[/] saywho reads .html, .htm, .txt, .jsonl and "
                          ".warc[.gz] files, and directories holding them.", soft_wrap=True)
        store.close()

    @app.command("search")
    def search(
        query: Annotated[str | None, typer.Argument(
            help='Words to find in quotes (FTS5 syntax also works: AND, OR, "a phrase", prefix*).')] = None,
        speaker: Annotated[str | None, typer.Option(
            help="Speaker name or id; a single surname finds everyone who bears it.")] = None,
        outlet: Annotated[str | None, typer.Option(help="Outlet name (case-insensitive, exact).")] = None,
        since: Annotated[str | None, typer.Option(help="Earliest date, YYYY[-MM[-DD]].")] = None,
        until: Annotated[str | None, typer.Option(help="Latest date, YYYY[-MM[-DD]].")] = None,
        limit: Annotated[int, typer.Option("--limit", "-n", min=0)] = 20,
        offset: Annotated[int, typer.Option(min=0)] = 0,
        kind: KindOption = None,
        min_confidence: MinConfidenceOption = 0.0,
        source_type: Annotated[str | None, typer.Option(
            "--type", help="Source type: person (named), organisation, group, document, unnamed, none.")] = None,
        gender: Annotated[str | None, typer.Option(help="Stated gender of the speaker: female, male, unknown.")] = None,
        db: DbOption = DEFAULT_DB,
        format: Annotated[SearchFormat, typer.Option("--format", "-f")] = SearchFormat.table,
    ) -> None:
        """Search quotes across the corpus, best matches first (speech unless --kind says)."""
        from ..corpus.store import StoreError

        kinds = _kinds(kind)
        store = open_store(db)
        try:
            rows = store.search(query, speaker=speaker, outlet=outlet, since=since, until=until,
                                limit=limit, offset=offset, kinds=kinds, min_confidence=min_confidence,
                                source_type=source_type, gender=gender)
        except StoreError as exc:
            fail(str(exc))
        if format == SearchFormat.json:
            sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        elif format == SearchFormat.csv:
            fields = ["article_id", "quote_id", "date", "outlet", "speaker", "speaker_id", "source_type", "gender",
                      "type", "kind",
                      "confidence", "cue", "quote", "headline", "url", "start", "end", "cluster_id"]
            writer = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        else:
            _search_table(rows, show_kind=kinds != ("speech",))

    @app.command("export")
    def export_cmd(
        out: Annotated[str, typer.Argument(help="Output file (- for stdout with csv or jsonl).")],
        db: DbOption = DEFAULT_DB,
        format: Annotated[ExportFormat | None, typer.Option(
            "--format", "-f", help="Default: from the output file's extension.")] = None,
        kind: KindOption = None,
        min_confidence: MinConfidenceOption = 0.0,
    ) -> None:
        """Write one row per quote occurrence (Parquet, CSV or JSONL): speech unless --kind says,
        every row labelled with its kind and confidence."""
        from ..corpus.export import export

        kinds = _kinds(kind)
        fmt = format.value if format else Path(out).suffix.lstrip(".").lower()
        if fmt not in {f.value for f in ExportFormat}:
            fail("give --format parquet, csv or jsonl (cannot tell from the file name)")
        if fmt == "parquet":
            require("exporting to Parquet", "pyarrow")
        store = open_store(db)
        try:
            n = export(store, out, fmt, kinds=kinds, min_confidence=min_confidence)
        except BrokenPipeError:
            raise  # `saywho export - | head`: the entry point ends quietly
        except (ValueError, OSError) as exc:
            fail(str(exc))
        if out != "-":
            _console().print(f"Wrote {n:,} quotes to {out}")


def _search_table(rows: list[dict[str, Any]], show_kind: bool = False) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table("date", "outlet", "speaker", "quote", "article", show_lines=True)
    for r in rows:
        # The snippet marks matches with ** pairs; show them bold.
        parts = escape(r["snippet"] or "").split("**")
        snippet = "".join(f"[bold yellow]{p}[/]" if i % 2 else p for i, p in enumerate(parts))
        if show_kind and r.get("kind") != "speech":  # speech is what a quote is unless labelled
            snippet = f"[dim]({r['kind']})[/] {snippet}"
        table.add_row(r["date"] or "", escape(r["outlet"] or ""), escape(r["speaker"] or "—"), snippet,
                      f"{r['article_id']}:{r['quote_id']}")
    console = Console()
    if not rows:
        console.print("No quotes found.")
        return
    console.print(table)


def _print_summary(console: Any, summary: Any, store: Any) -> None:
    from rich.markup import escape

    # soft_wrap: one line per fact, so logs of long runs can be grepped.
    console.print(
        f"Processed [bold]{summary.processed:,}[/] articles ({summary.speech:,} quotes, "
        f"{summary.quotes:,} attributions of every kind) in "
        f"{summary.seconds:.1f}s, {summary.rate:.1f} articles/s; skipped {summary.duplicates:,} already "
        f"stored, {summary.previously_failed:,} that failed before; [red]{summary.errors:,} errors[/].",
        soft_wrap=True,
    )
    for source, reason in summary.error_samples:
        console.print(f"  [red]error[/] {escape(source)}: {escape(reason)}", highlight=False, soft_wrap=True)
    if summary.errors > len(summary.error_samples):
        console.print("  (every error is in the database's errors table)", soft_wrap=True)
    stats = store.stats()
    console.print(
        f"Corpus: {stats['articles']:,} articles, {stats['quotes_speech']:,} quotes "
        f"({stats['quotes']:,} attributions of every kind), "
        f"{stats['corpus_speakers']:,} speakers, {stats['errors']:,} errors recorded.",
        soft_wrap=True,
    )


class _ProgressBar:
    """Bytes of the archives read (for the ETA) alongside articles stored and their rate."""

    def __init__(self, console: Any) -> None:
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("[progress.description]{task.description}"), BarColumn(), TaskProgressColumn(),
            TextColumn("{task.fields[articles]} articles {task.fields[rate]}/s"),
            TextColumn("{task.fields[errors]} errors"),
            TimeElapsedColumn(), TimeRemainingColumn(), console=console, transient=False,
        )
        self.task = self.progress.add_task("extracting", total=None, articles=0, rate="0.0", errors=0)
        self._running = False

    def start(self) -> None:
        self.progress.start()
        self._running = True

    def stop(self) -> None:
        if self._running:
            self.progress.stop()
            self._running = False

    def update(self, runner: Any) -> None:
        s = runner.summary
        archives = runner.archives
        self.progress.update(
            self.task, total=archives.total_bytes or None, completed=archives.bytes_done,
            articles=s.processed, rate=f"{s.rate:.1f}", errors=s.errors,
        )
