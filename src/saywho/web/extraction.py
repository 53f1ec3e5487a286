"""Running the extractor for the web app: one model per app, one worker thread, a time limit.

One thread because a spaCy pipeline is not documented as safe to call concurrently and the GIL
leaves little to gain; requests queue for it, and the time limit covers the wait too.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi import HTTPException

from ..errors import InputError, ModelError
from ..pipeline import Extractor

log = logging.getLogger(__name__)

# What ``create_app(extractor=...)`` accepts: ``Extractor()`` or anything called the same way.
ExtractFn = Callable[[str | bytes, str], Any]


class Extraction:
    """One Extractor per app, loaded on first use, driven by a single worker thread.

    Awaiting it gives ``Article.to_dict()``, or raises: 504 past ``timeout_s``, InputError for
    unusable input, ModelError when the model cannot load, and 500 for anything else. A timed-out
    extraction cannot be killed: it finishes in the background and its result is dropped.
    """

    def __init__(self, timeout_s: float, extract: ExtractFn | None = None) -> None:
        self.timeout_s = timeout_s
        self._extract = extract
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="saywho-extract")

    def _extractor(self) -> ExtractFn:
        if self._extract is None:
            with self._lock:
                if self._extract is None:
                    self._extract = Extractor()
        return self._extract

    def warm(self) -> None:
        """Start loading the model in the worker now, so the first request does not wait for it."""
        self._pool.submit(self._extractor)

    def _run(self, source: str | bytes, input_format: str) -> dict[str, Any]:
        return self._extractor()(source, input_format).to_dict()

    async def __call__(self, source: str | bytes, input_format: str) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        job = loop.run_in_executor(self._pool, self._run, source, input_format)
        try:
            return await asyncio.wait_for(job, self.timeout_s)
        except asyncio.TimeoutError:
            raise HTTPException(
                504, f"extraction took longer than {self.timeout_s:g} s; try a shorter article"
            ) from None
        except RecursionError:
            raise InputError("input is nested too deeply to read") from None
        except (InputError, ModelError):
            raise
        except Exception as exc:
            # A bug in extraction must still answer in JSON, and say which article broke it.
            log.exception("extraction failed")
            raise HTTPException(500, f"extraction failed: {type(exc).__name__}") from None
