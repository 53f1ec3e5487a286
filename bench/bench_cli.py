"""How long `saywho --help` and `saywho --version` take, whole process, start-up included.

    .venv/bin/python bench/bench_cli.py [--runs 10]

Each command runs once to warm the file cache, then RUNS times; prints min, median and max wall
seconds. The CLI imports spaCy, trafilatura, pyarrow, pandas and the web stack only inside the
commands that use them, so these two answer without loading any of them (docs/bench_cli.md, which
bench/run.py puts into docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def wall_seconds(argv: list[str], runs: int) -> list[float]:
    subprocess.run(argv, capture_output=True, check=True)  # warm-up, not counted
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    for flag in ("--help", "--version"):
        times = wall_seconds([sys.executable, "-m", "saywho.cli", flag], args.runs)
        print(f"saywho {flag}: median {statistics.median(times):.3f} s "
              f"(min {min(times):.3f}, max {max(times):.3f}, {args.runs} runs)")


if __name__ == "__main__":
    main()
