"""Throughput and memory of `saywho run` on PolNeAR texts, with 1 and 2 worker processes.

    python bench/bench_corpus.py                       # 100 and 1000 articles, 1 and 2 workers
    python bench/bench_corpus.py --sizes 100 --workers 1 2 --out /tmp/bench.md

Each configuration runs in its own process (the same CorpusRunner `saywho run` uses, writing a
fresh database), so peak memory is measured per configuration: the parent (reader and SQLite
writer) and the largest worker (one spaCy pipeline each) are reported separately, since
getrusage gives a maximum, not a sum. Articles/s counts from the start of the run, model
loading in the workers included, as a user would see it. The texts are PolNeAR train then dev
(924 articles); beyond that they repeat with a whitespace change, so the runner does not skip
them as duplicates and the work per article stays the same. Results go to docs/bench_corpus.md
as a markdown fragment.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "polnear"
SPLITS = ("train.jsonl", "dev.jsonl")


def polnear_lines(n: int) -> Iterator[str]:
    """``n`` JSONL lines from train then dev, repeated with a changed text past the end."""
    produced, copy = 0, 0
    while produced < n:
        for split in SPLITS:
            with open(SHARED / split, encoding="utf-8") as fh:
                for line in fh:
                    if produced >= n:
                        return
                    if copy:
                        rec = json.loads(line)
                        rec["text"] += "\n" * copy
                        line = json.dumps(rec, ensure_ascii=False) + "\n"
                    yield line
                    produced += 1
        copy += 1


def child(archive: str, db: str, workers: int) -> None:
    """One measured run; prints a JSON line with the results."""
    sys.path.insert(0, str(ROOT / "src"))
    from saywho.corpus import CorpusRunner
    from saywho.corpus.store import Store

    started = time.perf_counter()
    first: list[float] = []

    def on_progress(runner: CorpusRunner) -> None:
        if not first and runner.summary.processed:
            first.append(time.perf_counter() - started)

    with Store(db) as store:
        summary = CorpusRunner(store, workers, on_progress=on_progress).run([archive])
        stats = store.stats()
    wall = time.perf_counter() - started
    kib = 1 if sys.platform != "darwin" else 1 / 1024  # ru_maxrss is KiB on Linux, bytes on macOS
    print(json.dumps({
        "processed": summary.processed, "errors": summary.errors, "quotes": stats["quotes"],
        "speakers": stats["corpus_speakers"], "seconds": wall, "first_s": first[0] if first else wall,
        "parent_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * kib / 1024,
        "parent_cpu_s": resource.getrusage(resource.RUSAGE_SELF).ru_utime
        + resource.getrusage(resource.RUSAGE_SELF).ru_stime,
        "worker_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * kib / 1024,
        "db_mib": sum(p.stat().st_size for p in Path(db).parent.glob(Path(db).name + "*")) / 2**20,
    }))


def measure(n: int, workers: int, tmp: Path) -> dict:
    archive = tmp / f"polnear-{n}.jsonl"
    if not archive.exists():
        with open(archive, "w", encoding="utf-8") as fh:
            fh.writelines(polnear_lines(n))
    db = tmp / f"corpus-{n}-{workers}.db"
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(archive), str(db), str(workers)],
        check=True, capture_output=True, text=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result.update(articles=n, workers=workers)
    if workers == 1:
        result["worker_mib"] = None  # extraction runs in the parent
    return result


def markdown(results: list[dict], load: float) -> str:
    lines = [
        "## Corpus runner benchmark",
        "",
        f"`python bench/bench_corpus.py` on {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs (load average {load:.1f} at the start), {time.strftime('%Y-%m-%d')}. "
        "PolNeAR train+dev texts (JSONL), fresh database per row. *articles/s* counts from the start "
        "(workers started, model loaded); *after startup* from the first stored article on.",
        "",
        "| articles | workers | seconds | articles/s | after startup | first article s | quotes "
        "| parent CPU s | parent peak MiB | worker peak MiB | database MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        worker = f"{r['worker_mib']:.0f}" if r["worker_mib"] is not None else "–"
        steady = (r["processed"] - 1) / (r["seconds"] - r["first_s"]) if r["seconds"] > r["first_s"] else 0.0
        lines.append(
            f"| {r['processed']:,} | {r['workers']} | {r['seconds']:.1f} | {r['processed'] / r['seconds']:.2f} "
            f"| {steady:.2f} | {r['first_s']:.1f} | {r['quotes']:,} | {r['parent_cpu_s']:.1f} "
            f"| {r['parent_mib']:.0f} | {worker} "
            f"| {r['db_mib']:.1f} |"
        )
    lines += [
        "",
        "Parent: reads the archive and is the only SQLite writer (with 1 worker it also extracts); "
        "its CPU time shows whether it limits the workers. Worker: the largest extraction process; "
        "total memory is about parent + workers × worker.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "bench_corpus.md")
    parser.add_argument("--child", nargs=3, metavar=("ARCHIVE", "DB", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    if not all((SHARED / s).exists() for s in SPLITS):
        sys.exit(f"PolNeAR data not found under {SHARED}")
    results = []
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    with tempfile.TemporaryDirectory(prefix="saywho-bench-") as tmp:
        for n in args.sizes:
            for workers in args.workers:
                print(f"{n} articles, {workers} worker(s)...", file=sys.stderr, flush=True)
                r = measure(n, workers, Path(tmp))
                print(f"  {r['processed']} in {r['seconds']:.1f}s = {r['processed'] / r['seconds']:.2f}/s, "
                      f"parent {r['parent_mib']:.0f} MiB", file=sys.stderr, flush=True)
                results.append(r)
    text = markdown(results, load)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
