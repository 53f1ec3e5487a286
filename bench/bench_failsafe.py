"""Issue 16's load check: while one request holds 60,000 random quotation marks, how long does the
server take to answer another? A real `saywho serve`-style server (worker processes, the uvicorn
options of saywho.web.server) on 127.0.0.1, a free port; nothing leaves the machine.

    .venv/bin/python bench/bench_failsafe.py
"""

from __future__ import annotations

import json
import random
import threading
import time
import urllib.request

import uvicorn

from saywho.web import create_app
from saywho.web.server import uvicorn_options

GOOD = "Rail strike called off\n\n“We are pleased,” said Mark Dunn, the union’s general secretary.\n"


def post(port: int, text: str, timeout: float = 120) -> tuple[int, float]:
    started = time.monotonic()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/extract", data=json.dumps({"text": text}).encode(),
                                     headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.monotonic() - started


def get(port: int, path: str) -> tuple[int, float]:
    started = time.monotonic()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
        return response.status, time.monotonic() - started


def main() -> None:
    app = create_app(timeout_s=30.0, workers=2)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", **uvicorn_options()))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    print("warm-up:", post(port, GOOD))  # both workers load the model
    print("warm-up:", post(port, GOOD))
    rng = random.Random(60_000)
    bomb = "".join(rng.choice("“”\"‘’'«»") for _ in range(60_000))
    result: dict[str, tuple[int, float]] = {}
    holder = threading.Thread(target=lambda: result.setdefault("bomb", post(port, bomb)))
    holder.start()
    time.sleep(0.5)  # the bomb is being extracted now
    print("GET /api/info during the bomb:", get(port, "/api/info"))
    print("POST /api/extract during the bomb:", post(port, GOOD))
    holder.join()
    print("the bomb itself:", result["bomb"])
    server.should_exit = True


if __name__ == "__main__":
    main()
