"""`saywho spark`: the extraction as an Apache Spark job (local, or a cluster via spark-submit).

PySpark is imported only when the command runs, so the rest of the CLI works without the
``spark`` extra.
"""

from __future__ import annotations

import re
from enum import Enum

import typer

from .fail import fail, require


class PartitionOption(str, Enum):
    date = "date"
    outlet = "outlet"


class FormatOption(str, Enum):
    auto = "auto"
    jsonl = "jsonl"
    parquet = "parquet"
    warc = "warc"


class ModeOption(str, Enum):
    errorifexists = "errorifexists"
    overwrite = "overwrite"
    append = "append"


def one_line(exc: BaseException) -> str:
    """The line of a Spark error that says what went wrong: a Python worker's traceback ends
    with it, a JVM error starts with it."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    raised = [line for line in lines if re.match(r"^[\w.]+(Error|Exception)\b", line)]
    return (raised[-1] if raised else lines[0] if lines else type(exc).__name__)[:300]



def spark_command(
    paths: list[str] = typer.Argument(
        ..., metavar="INPUT... OUTPUT",
        help="Input files, folders or globs as Spark reads them (local, hdfs://, s3a://): JSONL, "
             "Parquet or WARC. The last path is the output folder.",
    ),
    master: str = typer.Option(None, "--master", help="Spark master, e.g. local[2]; default: spark-submit's, "
                               "else local[*]."),
    partitions: int = typer.Option(None, "--partitions", min=1, help="Spread the articles over N tasks "
                                   "(default: at least one per core)."),
    partition_by: PartitionOption = typer.Option(PartitionOption.date, "--partition-by",
                                                 help="Output folder layout: one folder per date or outlet."),
    text_col: str = typer.Option("text", "--text-col", help="Column/field holding the article text."),
    id_col: str = typer.Option("id", "--id-col", help="Column/field holding the article id."),
    input_format: FormatOption = typer.Option(FormatOption.auto, "--format",
                                              help="Input kind; auto goes by file extension."),
    mode: ModeOption = typer.Option(ModeOption.errorifexists, "--mode",
                                    help="When OUTPUT exists: fail, overwrite it, or append to it."),
    model: str = typer.Option(None, "--model", envvar="SAYWHO_MODEL", help="spaCy model name or path."),
) -> None:
    """Extract quotes from an archive with Apache Spark: quotes to OUTPUT (Parquet,
    partitioned), unusable articles to OUTPUT/_errors."""
    if len(paths) < 2:
        fail("give at least one INPUT and the OUTPUT folder")
    inputs, output = paths[:-1], paths[-1]
    require("`saywho spark`", "pyspark", "pandas", "pyarrow")
    from pyspark.sql import SparkSession
    from rich.console import Console

    from .. import spark as saywho_spark

    console = Console(stderr=True)
    owned = SparkSession.getActiveSession() is None  # never stop a session someone else started
    session = saywho_spark.session(master, **{"spark.ui.showConsoleProgress": "false"})
    if owned:
        session.sparkContext.setLogLevel("ERROR")
    try:
        with console.status(f"Spark job on {session.sparkContext.master}: reading {', '.join(inputs)}"):
            summary = saywho_spark.run_job(
                session, inputs, output, fmt=input_format.value, partition_by=partition_by.value,
                partitions=partitions, text_col=text_col, id_col=id_col, model=model, mode=mode.value,
            )
    except ValueError as exc:
        fail(str(exc))
    except Exception as exc:  # Spark reports failures as Py4J/Analysis errors with long traces
        fail(f"Spark job failed: {one_line(exc)}")
    finally:
        if owned:
            session.stop()
    rate = summary.articles / summary.seconds if summary.seconds else 0.0
    console.print(
        f"{summary.articles:,} articles, {summary.quotes:,} quotes, {summary.errors:,} errors "
        f"in {summary.seconds:.1f} s ({rate:.1f} articles/s) -> {summary.output} "
        f"(by {partition_by.value}); errors in {summary.errors_output}",
        soft_wrap=True, highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.command("spark")(spark_command)
