"""The batch runner: archives in, one corpus database out (export is ``saywho.corpus.export``).

Extraction runs in worker processes (each loads its own model once); the parent reads the
archives, skips content it has already stored, and is the only writer, storing each article
in one transaction. Work in flight is bounded, so memory stays flat on any archive size. A
killed run leaves only whole articles behind and the next run picks up where it stopped.

Cross-article merging (speakers by normalised name, quotations by normalised text) is done by
the store at insert time; ``Store.consolidate`` attaches short forms at the end of every run.
"""

from __future__ import annotations

import signal
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from ..deadline import time_limit
from ..errors import InputError, ModelError
from ..model import Article
from .reading import DEFAULT_DATE_ORDER, apply_stated, normalize_date
from .sources import Archives, SourceItem
from .store import Store

ExtractFn = Callable[..., Article]  # (source, input_format) -> Article, like saywho.Extractor
# Per worker: enough queued to keep it busy, few enough that memory does not grow.
IN_FLIGHT_PER_WORKER = 4
MAX_REASON_CHARS = 500
# One article may take this long before it is recorded as failed ("took longer than 120 s").
ARTICLE_TIME_LIMIT_S = 120.0


@dataclass
class Job:
    """What a worker needs for one article (the parent keeps the rest in ``_pending``)."""

    content_hash: str
    payload: str | bytes
    input_format: str
    time_limit_s: float | None = ARTICLE_TIME_LIMIT_S


@dataclass
class RunSummary:
    processed: int = 0
    duplicates: int = 0
    previously_failed: int = 0
    errors: int = 0
    quotes: int = 0    # every attribution stored, of any kind
    speech: int = 0    # of which speech: the quotes readers count
    seconds: float = 0.0
    interrupted: bool = False
    error_samples: list[tuple[str, str]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.processed / self.seconds if self.seconds > 0 else 0.0


# --------------------------------------------------------------------------- worker side

_worker_extract: ExtractFn | None = None
_worker_error: str | None = None


def default_factory(model: str | None = None) -> ExtractFn:
    from ..pipeline import Extractor

    return Extractor(model)


def _init_worker(factory: Callable[[str | None], ExtractFn], model: str | None) -> None:
    global _worker_extract, _worker_error
    # Ctrl-C is the parent's to handle; a worker dying on it would look like a crash.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _worker_extract = factory(model)
    except Exception as exc:  # kept for _ping: raising here would look like a crashing article
        _worker_error = f"{type(exc).__name__}: {exc}"


def _ping() -> str | None:
    """None once the worker holds an extractor, else why it could not load one."""
    return _worker_error


def extract_job(extract: ExtractFn, job: Job) -> tuple[Article | None, str | None]:
    """(article, None) or (None, reason): one bad article must never stop the batch."""
    try:
        with time_limit(job.time_limit_s):
            return extract(job.payload, job.input_format), None
    except InputError as exc:  # TimeLimitError included: "took longer than N s"
        return None, str(exc)[:MAX_REASON_CHARS]
    except RecursionError:
        return None, "extraction failed: RecursionError (input too deeply nested)"
    except Exception as exc:  # any bug in extraction is this article's error, not the run's
        return None, f"extraction failed: {type(exc).__name__}: {exc}"[:MAX_REASON_CHARS]


def _work(job: Job) -> tuple[Article | None, str | None]:
    if _worker_extract is None:
        return None, f"extraction worker could not start: {_worker_error}"
    return extract_job(_worker_extract, job)


# --------------------------------------------------------------------------- runner

class CorpusRunner:
    """Run archives into a store. ``summary`` is filled as it goes, so it is still there for
    reporting after an interruption."""

    def __init__(
        self,
        store: Store,
        workers: int = 1,
        *,
        extractor: ExtractFn | None = None,
        factory: Callable[[str | None], ExtractFn] = default_factory,
        model: str | None = None,
        limit: int | None = None,
        retry_errors: bool = False,
        on_progress: Callable[[CorpusRunner], None] | None = None,
        time_limit_s: float | None = ARTICLE_TIME_LIMIT_S,
        date_order: str = DEFAULT_DATE_ORDER,
    ) -> None:
        self.store = store
        self.workers = max(1, workers)
        self.extractor = extractor
        self.factory = factory
        self.model = model
        self.limit = limit
        self.retry_errors = retry_errors
        self.on_progress = on_progress
        self.time_limit_s = time_limit_s
        self.date_order = date_order
        self.summary = RunSummary()
        self.archives: Archives | None = None
        self._pending: dict[str, SourceItem] = {}
        self._started = 0.0

    def run(self, paths: Iterable[str | Path]) -> RunSummary:
        self.archives = Archives(list(paths))
        if self.retry_errors:
            self.store.clear_errors()
        self._started = time.monotonic()
        try:
            if self.workers == 1:
                self._run_serial()
            else:
                self._run_parallel()
        except KeyboardInterrupt:
            self.summary.interrupted = True
            raise
        finally:
            self.summary.seconds = time.monotonic() - self._started
        # Also when nothing was new, so that a run killed before this point is completed by the next.
        self.store.consolidate()
        return self.summary

    # -- the two schedulers

    def _run_serial(self) -> None:
        extract = self.extractor if self.extractor is not None else self.factory(self.model)
        for job in self._jobs():
            self._finish(job, *extract_job(extract, job))

    def _run_parallel(self) -> None:
        jobs = self._jobs()
        futures: dict[Future[Any], Job] = {}
        pool = self._pool()
        interrupted = False
        try:
            exhausted = False
            while True:
                suspects: list[Job] = []
                while not exhausted and len(futures) < self.workers * IN_FLIGHT_PER_WORKER:
                    job = next(jobs, None)
                    if job is None:
                        exhausted = True
                        break
                    try:
                        futures[pool.submit(_work, job)] = job
                    except BrokenProcessPool:  # a worker died since the last wait
                        suspects.append(job)
                        break
                if not futures and not suspects:
                    return
                if not suspects:
                    done, _ = wait(futures, return_when=FIRST_COMPLETED)
                    for fut in done:
                        job = futures.pop(fut)
                        try:
                            self._finish(job, *fut.result())
                        except BrokenProcessPool:
                            suspects.append(job)
                if suspects:
                    # A worker died (crash, out of memory). Every job in flight failed with it;
                    # rerun them one at a time so only the culprit is recorded as an error.
                    suspects += futures.values()
                    futures.clear()
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = self._isolate(suspects)
        except KeyboardInterrupt:
            interrupted = True
            raise
        finally:
            if interrupted:
                _terminate(pool)
            # After a normal finish every worker is idle, so waiting for them to exit is quick.
            pool.shutdown(wait=not interrupted, cancel_futures=True)

    def _pool(self) -> ProcessPoolExecutor:
        # spawn: the parent holds threads (progress bar, SQLite), which fork does not copy safely.
        pool = ProcessPoolExecutor(
            max_workers=self.workers, mp_context=get_context("spawn"),
            initializer=_init_worker, initargs=(self.factory, self.model),
        )
        # A worker that cannot load the model must stop the run, not turn every article into an error.
        try:
            problem = pool.submit(_ping).result()
        except BrokenProcessPool:
            problem = "the worker process died while starting"
        if problem is not None:
            pool.shutdown(wait=False, cancel_futures=True)
            raise ModelError(f"extraction workers could not start: {problem}")
        return pool

    def _isolate(self, jobs: list[Job]) -> ProcessPoolExecutor:
        pool = self._pool()
        try:
            for job in jobs:
                try:
                    result = pool.submit(_work, job).result()
                except BrokenProcessPool:
                    result = (None, "extraction failed: the worker process died (crash or out of memory)")
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = self._pool()
                self._finish(job, *result)
        except BaseException:  # Ctrl-C while isolating: this pool is not the caller's to stop
            _terminate(pool)
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        return pool

    # -- reading and writing, always in the parent

    def _jobs(self) -> Iterator[Job]:
        """New articles to extract; duplicates and unreadable items are settled here."""
        assert self.archives is not None
        submitted = 0
        s = self.summary
        for item in self.archives:
            if self.limit is not None and submitted >= self.limit:
                return
            if item.error is not None or item.payload is None:
                self._error(item.source, item.error or "nothing to read", None)
                continue
            content_hash = item.content_hash
            assert content_hash is not None
            if content_hash in self._pending or self.store.has_article(content_hash):
                s.duplicates += 1
            elif self.store.has_error(content_hash):
                s.previously_failed += 1
            else:
                self._pending[content_hash] = item
                submitted += 1
                yield Job(content_hash, item.payload, item.input_format, self.time_limit_s)
                continue
            self._progress()

    def _finish(self, job: Job, article: Article | None, error: str | None) -> None:
        item = self._pending.pop(job.content_hash)
        if article is None:
            self._error(item.source, error or "extraction failed", job.content_hash)
            return
        apply_stated(article.metadata, item.metadata, item.defaults)
        # Read in the archive's day/month order now: the store keeps the ISO day as it is.
        day = normalize_date(article.metadata.get("date"), self.date_order)
        if day is not None:
            article.metadata["date"] = day
        try:
            article_id = self.store.add_article(article, job.content_hash, item.source, item.source_id)
        except (sqlite3.IntegrityError, sqlite3.InterfaceError, UnicodeError, ValueError, TypeError) as exc:
            # An article the store cannot take (say, two quotes with one id) was rolled back whole.
            self._error(item.source, f"cannot store the result: {type(exc).__name__}: {exc}"[:MAX_REASON_CHARS],
                        job.content_hash)
            return
        if article_id is None:
            self.summary.duplicates += 1  # stored meanwhile by another run on the same database
        else:
            self.summary.processed += 1
            self.summary.quotes += len(article.quotes)
            self.summary.speech += sum(q.kind == "speech" for q in article.quotes)
        self._progress()

    def _error(self, source: str, reason: str, content_hash: str | None) -> None:
        if content_hash is None and self.store.has_source_error(source):
            self.summary.previously_failed += 1  # unreadable input seen by an earlier run
            self._progress()
            return
        self.store.record_error(source, reason, content_hash)
        self.summary.errors += 1
        if len(self.summary.error_samples) < 5:
            self.summary.error_samples.append((source, reason))
        self._progress()

    def _progress(self) -> None:
        self.summary.seconds = time.monotonic() - self._started
        if self.on_progress is not None:
            self.on_progress(self)


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now rather than after their current article: on Ctrl-C that work would
    be thrown away anyway (the article is stored by the next run)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def run_corpus(
    paths: Iterable[str | Path], db: str | Path | Store, workers: int = 1, **options: Any
) -> RunSummary:
    """Run archives into the corpus database at ``db``; see ``CorpusRunner`` for the options."""
    store = db if isinstance(db, Store) else Store(db)
    try:
        return CorpusRunner(store, workers, **options).run(paths)
    finally:
        if store is not db:
            store.close()
