"""Bounded load test of `saywho serve` on loopback: N POST /api/extract requests, C at a time.

    python bench/bench_web.py [--requests 200] [--concurrency 4] [--article PATH] [--out docs/bench_web.md]

The server runs in its own process (as `saywho serve` would), so the load generator does not share
its GIL. Reports requests/s, latency percentiles and the error count, and writes a markdown fragment.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ARTICLE = REPO.parent / "shared" / "examples" / "mee-mosul-foreign-fighters.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, max_bytes: int) -> subprocess.Popen[bytes]:
    # Same app as `saywho serve`; the factory keeps defaults except the body cap.
    code = (
        "import uvicorn; from saywho.web import create_app; "
        f"uvicorn.run(create_app(max_bytes={max_bytes}), host='127.0.0.1', port={port}, log_level='warning')"
    )
    return subprocess.Popen([sys.executable, "-c", code])


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with code {proc.returncode}")
        try:
            if httpx.get(f"{base}/api/info", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("server did not start in time")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--article", type=Path, default=DEFAULT_ARTICLE)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "bench_web.md")
    parser.add_argument("--timeout", type=float, default=120.0, help="client timeout per request (s)")
    args = parser.parse_args()
    if not args.article.is_file():
        print(f"no article at {args.article} (../shared is absent?)", file=sys.stderr)
        return 2
    text = args.article.read_text(encoding="utf-8")
    payload = {"text": text, "input_format": "auto"}

    load = os.getloadavg()[0]  # other work on the machine skews every number below
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(port, max_bytes=max(2_000_000, 4 * len(text.encode())))
    try:
        wait_ready(base, proc)
        started = time.perf_counter()
        warm = httpx.post(f"{base}/api/extract", json=payload, timeout=args.timeout)
        warm.raise_for_status()
        first_s = time.perf_counter() - started
        n_quotes = len(warm.json()["quotes"])

        local = threading.local()

        def one(_: int) -> tuple[int, float]:
            client = getattr(local, "client", None)
            if client is None:
                client = local.client = httpx.Client(timeout=args.timeout)
            t0 = time.perf_counter()
            try:
                status = client.post(f"{base}/api/extract", json=payload).status_code
            except httpx.HTTPError:
                status = 0
            return status, time.perf_counter() - t0

        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            results = list(pool.map(one, range(args.requests)))
        wall = time.perf_counter() - t0
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()

    latencies = [lat for status, lat in results if status == 200]
    errors = sum(1 for status, _ in results if status != 200)
    rps = len(results) / wall
    rows = [
        ("requests", f"{len(results)} ({args.concurrency} concurrent)"),
        ("article", f"{args.article.name}: {len(text):,} characters, {n_quotes} quotes"),
        ("wall time", f"{wall:.1f} s"),
        ("throughput", f"{rps:.2f} requests/s"),
        ("errors", str(errors)),
        ("latency p50 / p95 / max", " / ".join(
            f"{percentile(latencies, p):.2f} s" for p in (50, 95, 100)) if latencies else "n/a"),
        ("wall time per request", f"{wall / len(results):.3f} s" if results else "n/a"),
        ("first request (model load)", f"{first_s:.2f} s"),
        ("machine", f"{platform.python_implementation()} {platform.python_version()}, "
                    f"{os.cpu_count()} CPUs, {platform.machine()}, load average {load:.1f} at start"),
    ]
    lines = [
        "## Web API load test",
        "",
        f"`python bench/bench_web.py --requests {args.requests} --concurrency {args.concurrency}`: "
        "POST /api/extract on loopback, server in its own process, one extraction worker thread.",
        "",
        "| measure | value |",
        "| --- | --- |",
        *[f"| {k} | {v} |" for k, v in rows],
        "",
    ]
    if latencies:
        lines.insert(-1, f"\nLatency stdev {statistics.pstdev(latencies):.2f} s; with one worker, requests queue "
                         "and latency is about concurrency x service time.")
    fragment = "\n".join(lines)
    print(fragment)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(fragment, encoding="utf-8")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
