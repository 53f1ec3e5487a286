"""Spark local[2] throughput against the single-machine paths, on the same PolNeAR articles.

    python bench/bench_spark.py [--articles 100] [--out docs/bench_spark.md]

Runs, one after the other, on the same N articles (PolNeAR dev, then train, read from ../shared):

1. the library in one process (``Extractor`` over each article): wall and CPU time;
2. the library in a 2-process ``multiprocessing`` pool (spawn; each worker loads the model once),
   end to end and warm (best of --repeat passes in the running pool);
3. ``saywho run`` (``saywho.corpus.run_corpus``, 2 workers, into a throw-away SQLite store), if present;
4. ``saywho spark`` in local[2] (``saywho.spark.run_job``: JSONL in, partitioned Parquet out), cold
   (first job of a fresh session: Python workers start and load the model) and warm (best of
   --repeat runs of the same job).

The machine is shared, so wall times move with other people's load: the load average is
reported, warm figures are best-of, and the CPU time of the single process is the steady number.

Writes a markdown fragment (default docs/bench_spark.md). Keep N near 100: the machine is shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
POLNEAR = REPO.parent / "shared" / "data" / "polnear"
MAX_ARTICLES = 120  # CPU is shared with other people's work


@dataclass
class Result:
    mode: str
    workers: int
    seconds: float
    articles: int
    quotes: int
    words: int
    note: str = ""

    @property
    def rate(self) -> float:
        return self.articles / self.seconds

    @property
    def words_rate(self) -> float:
        return self.words / self.seconds


def load_articles(n: int) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for split in ("dev", "train"):
        path = POLNEAR / f"{split}.jsonl"
        if not path.is_file():
            sys.exit(f"bench_spark: {path} is missing (PolNeAR lives in ../shared)")
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if len(docs) == n:
                    return docs
                docs.append(json.loads(line))
    return docs


# --------------------------------------------------------------------------- local library

def run_single(docs: list[dict[str, Any]]) -> tuple[Result, float, float]:
    """One process: (result, model load seconds, CPU seconds of the extraction)."""
    import saywho

    t0 = time.perf_counter()
    extractor = saywho.Extractor()
    extractor("Warm-up: “Yes,” she said.")
    load = time.perf_counter() - t0
    quotes = words = 0
    cpu0, t0 = time.process_time(), time.perf_counter()
    for doc in docs:
        article = extractor(doc["text"], "text")
        quotes += len(article.quotes)
        words += len(article.text.split())
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    return Result("library, 1 process", 1, seconds, len(docs), quotes, words), load, cpu


_worker = None


def _init() -> None:
    global _worker
    import saywho

    _worker = saywho.Extractor()


def _extract(text: str) -> tuple[int, int]:
    assert _worker is not None
    article = _worker(text, "text")
    return len(article.quotes), len(article.text.split())


def _ready(_: int) -> int:
    time.sleep(0.5)  # long enough that both workers take one, so both have loaded the model
    return os.getpid()


def run_pool(docs: list[dict[str, Any]], workers: int, repeat: int) -> tuple[Result, Result]:
    """(end to end including pool start and model loads, steady state after warm-up: best of
    ``repeat`` passes)."""
    t0 = time.perf_counter()
    with mp.get_context("spawn").Pool(workers, initializer=_init) as pool:
        pool.map(_ready, range(workers), chunksize=1)
        passes = []
        for _ in range(repeat):
            t1 = time.perf_counter()
            counts = list(pool.imap_unordered(_extract, (d["text"] for d in docs), chunksize=1))
            passes.append(time.perf_counter() - t1)
            if len(passes) == 1:
                end_to_end = time.perf_counter() - t0
    quotes, words = sum(c[0] for c in counts), sum(c[1] for c in counts)
    cold = Result(f"multiprocessing pool ({workers}), end to end", workers, end_to_end, len(docs), quotes,
                  words, "includes starting the workers and loading the model in each")
    warm = Result(f"multiprocessing pool ({workers}), warm", workers, min(passes), len(docs), quotes, words,
                  f"best of {repeat} passes over the articles in the running pool")
    return cold, warm


def run_corpus(jsonl: Path, workers: int, tmp: Path) -> Result | None:
    try:
        from saywho.corpus import run_corpus as corpus_run
    except ImportError:
        return None
    t0 = time.perf_counter()
    summary = corpus_run([jsonl], tmp / "corpus.db", workers=workers)
    seconds = time.perf_counter() - t0
    return Result(f"`saywho run` ({workers} workers), end to end", workers, seconds, summary.processed,
                  summary.quotes, 0, "SQLite store included; words not reported by the runner")


# --------------------------------------------------------------------------- Spark

def run_spark(jsonl: Path, tmp: Path, master: str, repeat: int) -> tuple[float, Result, Result]:
    from saywho import spark as saywho_spark

    t0 = time.perf_counter()
    session = saywho_spark.session(master, **{"spark.ui.showConsoleProgress": "false",
                                              "spark.sql.shuffle.partitions": "4"})
    session.sparkContext.setLogLevel("ERROR")
    start = time.perf_counter() - t0
    workers = int(master.removeprefix("local[").removesuffix("]")) if master.startswith("local[") else 0
    try:
        runs = [saywho_spark.run_job(session, [str(jsonl)], str(tmp / f"spark-{i}"), partition_by="outlet")
                for i in range(1 + repeat)]
    finally:
        session.stop()
    first, best = runs[0], min(runs[1:], key=lambda r: r.seconds)
    cold = Result(f"Spark {master}, cold job", workers, first.seconds, first.articles, first.quotes, first.words,
                  "first job of the session: Python workers start, import the library and load the model")
    warm = Result(f"Spark {master}, warm job", workers, best.seconds, best.articles, best.quotes, best.words,
                  f"best of {repeat} runs of the same job in the running session")
    return start, cold, warm


# --------------------------------------------------------------------------- report

def markdown(results: list[Result], extra: dict[str, str], n: int) -> str:
    lines = [
        "## Spark throughput (local mode)",
        "",
        f"`python bench/bench_spark.py --articles {n}`: the same {n} PolNeAR articles through each path.",
        "",
        "| path | processes | wall s | articles/s | words/s | articles/s per process | quotes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        words = f"{r.words_rate:,.0f}" if r.words else "–"
        per = r.rate / r.workers if r.workers else r.rate
        lines.append(f"| {r.mode} | {r.workers} | {r.seconds:.1f} | {r.rate:.2f} | {words} | {per:.2f} "
                     f"| {r.quotes:,} |")
    lines.append("")
    for r in results:
        if r.note:
            lines.append(f"- {r.mode}: {r.note}.")
    lines.append("")
    lines.append("| measure | value |")
    lines.append("| --- | --- |")
    for key, value in extra.items():
        lines.append(f"| {key} | {value} |")
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="processes for the pool, `saywho run` and Spark")
    parser.add_argument("--repeat", type=int, default=2, help="warm passes (pool, Spark); the best is reported")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "bench_spark.md")
    args = parser.parse_args()
    if not 1 <= args.articles <= MAX_ARTICLES:
        parser.error(f"--articles must be 1..{MAX_ARTICLES}: the machine is shared")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    docs = load_articles(args.articles)
    load_start = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="saywho-bench-spark-"))
    try:
        jsonl = tmp / "articles.jsonl"
        jsonl.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
        chars = sum(len(d["text"]) for d in docs)
        print(f"{len(docs)} articles, {chars:,} characters", file=sys.stderr)

        single, model_load, cpu = run_single(docs)
        print(f"single: {single.seconds:.1f} s", file=sys.stderr)
        pool_cold, pool_warm = run_pool(docs, args.workers, args.repeat)
        print(f"pool: {pool_cold.seconds:.1f} s / {pool_warm.seconds:.1f} s", file=sys.stderr)
        corpus = run_corpus(jsonl, args.workers, tmp)
        spark_start, spark_cold, spark_warm = run_spark(jsonl, tmp, f"local[{args.workers}]", args.repeat)
        print(f"spark: {spark_cold.seconds:.1f} s / {spark_warm.seconds:.1f} s", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    results = [single, pool_cold, pool_warm, *([corpus] if corpus else []), spark_cold, spark_warm]
    counts = {r.quotes for r in results}
    import pyspark

    extra = {
        "articles": f"{len(docs)} (PolNeAR dev, then train), {single.words:,} words, {chars:,} characters",
        "CPU time, 1 process": f"{cpu:.1f} s = {cpu / len(docs) * 1000:.0f} ms per article, "
                               f"{single.words / cpu:,.0f} words per CPU second",
        "model load, 1 process": f"{model_load:.1f} s",
        "Spark session start": f"{spark_start:.1f} s (JVM; not in the job times)",
        "Spark over the warm pool": f"{spark_warm.seconds / pool_warm.seconds:.2f}x the wall time",
        "same quotes in every path": "yes" if len(counts) == 1 else f"NO: {sorted(counts)}",
        "machine": f"CPython {platform.python_version()}, PySpark {pyspark.__version__}, "
                   f"{os.cpu_count()} CPUs, {platform.machine()}, load average {load_start:.1f} at start, "
                   f"{os.getloadavg()[0]:.1f} at end (shared machine)",
        "date": dt.date.today().isoformat(),
    }
    text = markdown(results, extra, len(docs))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
