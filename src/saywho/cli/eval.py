"""``saywho eval``: score the extractor against gold files (metric in ``saywho.evaluate``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .. import evaluate, evaluate_coref

TYPES = evaluate.QUOTE_TYPES


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}"


def short_name(path: str | Path) -> str:
    name = Path(path).name
    for suffix in (".gold.json", ".jsonl", ".json"):
        name = name.removesuffix(suffix)
    return name


# (label, getter) for the rows of the summary: one column per file.
SUMMARY_ROWS: list[tuple[str, Any]] = [
    ("articles", lambda m: str(m["articles"])),
    ("gold quotes", lambda m: str(m["gold"])),
    ("predicted", lambda m: str(m["predicted"])),
    ("fragments", lambda m: str(m["fragments"])),
    ("quote P", lambda m: _pct(m["quote"]["precision"])),
    ("quote R", lambda m: _pct(m["quote"]["recall"])),
    ("quote F1", lambda m: _pct(m["quote"]["f1"])),
    ("exact-span F1", lambda m: _pct(m["exact_match"]["f1"])),
    ("speaker accuracy", lambda m: _pct(m["speaker_accuracy"])),
    ("end-to-end P", lambda m: _pct(m["end_to_end"]["precision"])),
    ("end-to-end R", lambda m: _pct(m["end_to_end"]["recall"])),
    ("end-to-end F1", lambda m: _pct(m["end_to_end"]["f1"])),
]


def summary_table(reports: list[tuple[str, dict[str, Any]]], title: str = "saywho eval (%)") -> Table:
    """Metrics as rows, one column per file (and overall), so it fits a narrow terminal."""
    table = Table(title=title)
    table.add_column("metric")
    for name, _ in reports:
        table.add_column(name, justify="right", overflow="fold")
    for label, get in SUMMARY_ROWS:
        table.add_row(label, *(get(m) for _, m in reports))
    return table


def type_table(reports: list[tuple[str, dict[str, Any]]]) -> Table:
    """Recall per gold type, precision per predicted type."""
    table = Table(title="by quote type (R and e2e R by gold type; P and e2e P by predicted type)")
    for col in ("file", "type", "gold", "pred", "P", "R", "spk acc", "e2e P", "e2e R"):
        table.add_column(col, justify="left" if col in ("file", "type") else "right")
    for name, m in reports:
        for t in TYPES:
            c = m["by_type"].get(t)
            if c is None:
                continue
            table.add_row(
                name if t == TYPES[0] else "", t, str(c["gold"]), str(c["predicted"]),
                _pct(c["quote"]["precision"]), _pct(c["quote"]["recall"]), _pct(c["speaker_accuracy"]),
                _pct(c["end_to_end"]["precision"]), _pct(c["end_to_end"]["recall"]),
            )
    return table


def kind_table(reports: list[tuple[str, dict[str, Any]]]) -> Table:
    """Precision per predicted kind (gold files do not label kinds)."""
    table = Table(title="by predicted kind (scored predictions)")
    for col in ("file", "kind", "pred", "P", "e2e P"):
        table.add_column(col, justify="left" if col in ("file", "kind") else "right")
    for name, m in reports:
        for i, (k, c) in enumerate(m["by_kind"].items()):
            table.add_row(name if i == 0 else "", k, str(c["predicted"]), _pct(c["quote"]["precision"]),
                          _pct(c["end_to_end"]["precision"]))
    return table


def run_eval(
    paths: list[Path], model: str | None = None, errors: Path | None = None, console: Console | None = None,
    kinds: Any = evaluate.GOLD_KINDS,
) -> dict[str, Any]:
    """Score every gold file; returns the JSON report ({"files": [...], "overall": {...}}). ``kinds``:
    the quote kinds scored (by default each gold file's own: speech for the seed and the real pages)."""
    from .. import __version__
    from ..nlp import model_name
    from ..pipeline import Extractor

    golds = [(p, evaluate.load_gold(p)) for p in paths]
    extractor = Extractor(model)
    overall = evaluate.Counts()
    files = []
    error_out = errors.open("w", encoding="utf-8") if errors else None
    try:
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console or Console(stderr=True), transient=True,
        ) as progress:
            for path, gold in golds:
                task = progress.add_task(path.name, total=len(gold))
                preds = evaluate.predict_gold(extractor, gold, advance=lambda n, t=task: progress.advance(t, n))
                counts, results = evaluate.score(gold, preds, kinds)
                overall.add(counts)
                files.append({"path": str(path), **counts.metrics()})
                if error_out:
                    for row in evaluate.error_rows(str(path), results):
                        error_out.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if error_out:
            error_out.close()
    return {
        "system": {"saywho": __version__, "model": model_name(model)},
        "files": files,
        "overall": overall.metrics(),
    }


def run_coref(paths: list[Path], split: str, model: str | None = None,
              console: Console | None = None) -> dict[str, Any]:
    """GUM: the resolver's pronoun and description accuracy, rules alone and with the ranker."""
    from ..pipeline import Extractor

    docs = evaluate_coref.gum_documents(paths, split)
    extractor = Extractor(model)
    out: dict[str, Any] = {"split": split, "documents": len(docs)}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console or Console(stderr=True), transient=True) as progress:
        for name, ranker in (("rules", False), ("rules+ranker", True)):
            task = progress.add_task(f"GUM {split} ({name})", total=len(docs))
            out[name] = evaluate_coref.evaluate_gum(extractor, docs, ranker=ranker,
                                                    advance=lambda n, t=task: progress.advance(t, n))
    return out


def coref_table(report: dict[str, Any]) -> Table:
    """Accuracy per mention kind: one column per genre group and system, n scored beside."""
    table = Table(title=f"GUM {report['split']}: mentions resolved to the right named entity (%)")
    table.add_column("mention kind")
    for group in evaluate_coref.GROUPS:
        table.add_column(f"{group} n", justify="right")
        for name in ("rules", "rules+ranker"):
            table.add_column(f"{group} {name}", justify="right")
    for row, _ in evaluate_coref.ROWS:
        cells = []
        for group in evaluate_coref.GROUPS:
            cells.append(str(report["rules"][group]["rows"][row]["scored"]))
            cells += [_pct(report[name][group]["rows"][row]["accuracy"]) for name in ("rules", "rules+ranker")]
        table.add_row(row, *cells)
    return table


def register(app: typer.Typer) -> None:
    @app.command("eval")
    def eval_command(
        gold: Annotated[list[Path], typer.Argument(
            help="Gold files: seed *.gold.json, PolNeAR-style *.jsonl, or GUM (its folder, or *.conllu "
            "files) for coreference.", metavar="GOLD", exists=True)],
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
        errors: Annotated[Path | None, typer.Option(
            "--errors", help="Write misses, false positives and wrong speakers (JSON lines) here.",
            dir_okay=False)] = None,
        model: Annotated[str | None, typer.Option(help="spaCy model (default: the installed one).")] = None,
        kind: Annotated[str | None, typer.Option(
            "--kind", help="Kinds to score (speech,thought,intent,stance or all); default: what each gold "
            "annotates (speech for the seed and real pages, all for PolNeAR).")] = None,
        split: Annotated[str, typer.Option(
            "--split", help="GUM split scored when a GUM folder is given: dev, test or train.")] = "dev",
    ) -> None:
        """Score quotation and speaker extraction against gold annotations."""
        from ..errors import SaywhoError
        from .extract import parse_kinds

        kinds = parse_kinds(kind, default=evaluate.GOLD_KINDS)
        console = Console()
        gum = [p for p in gold if evaluate_coref.is_gum(p)]
        quotes = [p for p in gold if p not in gum]
        for p in quotes:
            if p.is_dir():
                typer.echo(f"error: {p} is a folder but not GUM (no splits.md)", err=True)
                raise typer.Exit(2)
        try:
            report = run_eval(quotes, model=model, errors=errors, kinds=kinds if kinds is evaluate.GOLD_KINDS
                              else (None if kinds is None else frozenset(kinds))) if quotes else None
            coref = run_coref(gum, split, model=model) if gum else None
        except (SaywhoError, ValueError, KeyError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        if as_json:
            typer.echo(json.dumps({**(report or {}), **({"coreference": coref} if coref else {})}, indent=2))
            return
        if coref is not None:
            console.print(coref_table(coref))
        if report is None:
            return
        rows = [(short_name(f["path"]), f) for f in report["files"]]
        if len(rows) > 1:
            rows.append(("overall", report["overall"]))
        console.print(summary_table(rows))
        console.print(type_table(rows))
        console.print(kind_table(rows))
        failed = report["overall"]["failed"]
        if failed:
            console.print(f"[yellow]{failed} article(s) rejected by the extractor were scored as empty[/]")
        if errors:
            console.print(f"errors written to {errors}")
