"""A per-article time limit for the batch paths (``saywho run``, Spark), where one article must
never hold up a million.

``time_limit`` arms SIGALRM (POSIX, main thread only; elsewhere it does nothing), so the article
is stopped at the next Python instruction after the deadline. spaCy's native code does not look
at signals, but no single native call is long any more: the pipeline cuts the punctuation runs
that made its tokenizer quadratic, and paragraphs are parsed one by one.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from .errors import InputError


class TimeLimitError(InputError):
    """The article took longer than the time limit: recorded as failed, and the batch goes on."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise TimeLimitError in the block once ``seconds`` have passed (None or 0: no limit)."""
    usable = (
        seconds is not None and seconds > 0 and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    assert seconds is not None

    def expired(_signum: int, _frame: FrameType | None) -> None:
        raise TimeLimitError(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
