"""Running the extractor for the web app: worker processes, each with its own model, under a
hard time limit.

A process, not a thread: spaCy holds the GIL while it tokenizes, so a thread running a hostile
article froze the event loop and every other request with it, and a thread cannot be stopped. A
worker past its time limit is killed and replaced; the request gets 504 and the others never
wait on it. A callable passed as ``extract`` (embedding, tests) cannot be sent to another
process, so it runs in one worker thread, as before, with a soft time limit.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from typing import Any

from fastapi import HTTPException

from ..errors import InputError, ModelError

log = logging.getLogger(__name__)

# What ``create_app(extractor=...)`` accepts: ``Extractor()`` or anything called the same way.
ExtractFn = Callable[[str | bytes, str], Any]


def _serve(conn: Connection, model: str | None) -> None:
    """A worker process: load the model once, then answer (source, format) jobs until the pipe
    closes. Every answer is (kind, payload); kinds: ok, input, model, bug."""
    from ..pipeline import Extractor

    try:
        extractor: Extractor | None = Extractor(model)
        problem = ""
    except ModelError as exc:
        extractor, problem = None, str(exc)
    while True:
        try:
            source, input_format = conn.recv()
        except (EOFError, OSError):
            return
        if extractor is None:
            conn.send(("model", problem))
            continue
        try:
            conn.send(("ok", extractor(source, input_format).to_dict()))
        except InputError as exc:
            conn.send(("input", str(exc)))
        except RecursionError:
            conn.send(("input", "input is nested too deeply to read"))
        except Exception as exc:  # a bug must still answer, and the worker stays usable
            log.exception("extraction failed")
            conn.send(("bug", type(exc).__name__))


class _Worker:
    def __init__(self, model: str | None) -> None:
        ctx = multiprocessing.get_context("spawn")  # the server holds threads: fork is unsafe
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, model), daemon=True, name="saywho-extract")
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class Extraction:
    """The app's extraction workers, started on first use (or by ``warm``).

    Awaiting it gives ``Article.to_dict()``, or raises: 504 past ``timeout_s`` (the time waiting
    for a free worker included), InputError for unusable input, ModelError when the model cannot
    load, and 500 for anything else.
    """

    def __init__(
        self, timeout_s: float, extract: ExtractFn | None = None, *, workers: int = 2, model: str | None = None
    ) -> None:
        self.timeout_s = timeout_s
        self.workers = max(1, workers)
        self.model = model
        self._extract = extract
        self._lock = threading.Lock()
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: list[_Worker] = []
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="saywho-extract") if extract else None

    def warm(self) -> None:
        """Start the workers (each loads the model) now, so the first request does not wait for it."""
        if self._extract is None:
            with self._lock:
                while len(self._all) < self.workers:
                    self._all.append(_Worker(self.model))

    def close(self) -> None:
        for worker in self._all:
            worker.kill()
        self._all.clear()

    def _queue(self) -> asyncio.Queue[_Worker]:
        if self._idle is None:
            self.warm()
            self._idle = asyncio.Queue()
            for worker in self._all:
                self._idle.put_nowait(worker)
        return self._idle

    async def __call__(self, source: str | bytes, input_format: str) -> dict[str, Any]:
        try:
            if self._pool is not None:
                return await asyncio.wait_for(self._in_thread(source, input_format), self.timeout_s)
            return await asyncio.wait_for(self._in_process(source, input_format), self.timeout_s)
        except asyncio.TimeoutError:
            raise HTTPException(
                504, f"extraction took longer than {self.timeout_s:g} s; try a shorter article"
            ) from None

    async def _in_process(self, source: str | bytes, input_format: str) -> dict[str, Any]:
        idle = self._queue()
        worker = await idle.get()
        loop = asyncio.get_running_loop()
        finished = False
        try:
            worker.conn.send((source, input_format))
            # The wait is a blocked poll in a helper thread (no GIL held), so the loop stays free.
            while not await loop.run_in_executor(None, worker.conn.poll, 0.5):
                if not worker.process.is_alive():
                    raise EOFError
            kind, payload = worker.conn.recv()
            finished = True
        except (EOFError, OSError, BrokenPipeError):
            log.error("extraction worker died")
            raise HTTPException(500, "extraction failed: the worker process died") from None
        finally:
            if finished:
                idle.put_nowait(worker)
            else:
                # Cancelled by the time limit, or dead: kill it and put a fresh one in its place.
                worker.kill()
                fresh = _Worker(self.model)
                self._all = [fresh if w is worker else w for w in self._all]
                idle.put_nowait(fresh)
        if kind == "ok":
            return payload  # type: ignore[no-any-return]
        if kind == "input":
            raise InputError(payload)
        if kind == "model":
            raise ModelError(payload)
        raise HTTPException(500, f"extraction failed: {payload}")

    async def _in_thread(self, source: str | bytes, input_format: str) -> dict[str, Any]:
        assert self._pool is not None and self._extract is not None
        extract = self._extract
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, lambda: extract(source, input_format).to_dict())
        except RecursionError:
            raise InputError("input is nested too deeply to read") from None
        except (InputError, ModelError):
            raise
        except Exception as exc:
            # A bug in extraction must still answer in JSON, and say which article broke it.
            log.exception("extraction failed")
            raise HTTPException(500, f"extraction failed: {type(exc).__name__}") from None
