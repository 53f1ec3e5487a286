"""Reading archives one article at a time: directories of pages, JSONL files, WARC files.

Everything streams: a file is read item by item and nothing holds the whole archive. An item
that cannot even be read (a broken JSON line, a page over the size limit) comes out with
``error`` set instead of stopping the walk, so the runner can record it and carry on.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..ingest import MAX_CHARS, InputFormat
from .reading import record_body, record_id, record_metadata, warc_page

# Bytes, not characters: a UTF-8 article at the core's character limit may take up to 4 per char.
MAX_ITEM_BYTES = 4 * MAX_CHARS
PAGE_SUFFIXES = {".html": "html", ".htm": "html", ".xhtml": "html", ".txt": "text"}
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


@dataclass
class SourceItem:
    """One article as read from an archive, before extraction.

    ``metadata`` was stated by the archive and overrides what extraction finds; ``defaults``
    (a crawl date, a host name) only fill gaps extraction leaves.
    """

    source: str
    payload: str | bytes | None
    input_format: InputFormat = "auto"
    metadata: dict[str, Any] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    source_id: str | None = None
    error: str | None = None

    @property
    def content_hash(self) -> str | None:
        """sha256 of the raw bytes (or UTF-8 text): the key that makes reruns idempotent."""
        if self.payload is None:
            return None
        data = self.payload
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        return hashlib.sha256(data).hexdigest()


def kind_of(path: Path) -> str | None:
    """'page', 'jsonl' or 'warc' by file name; None for files saywho does not read."""
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if path.suffix.lower() in PAGE_SUFFIXES:
        return "page"
    return None


class Archives:
    """Iterate the articles of several archives in a stable order, tracking bytes read so a
    progress bar can show an ETA without counting articles first."""

    def __init__(self, paths: list[str | Path]) -> None:
        self.paths = [Path(p) for p in paths]
        missing = [str(p) for p in self.paths if not p.exists()]
        if missing:
            raise FileNotFoundError(f"no such file or directory: {', '.join(missing)}")
        self.total_bytes = sum(_size(f) for f in self._files())
        self._done_files = 0
        self._current: IO[bytes] | None = None

    @property
    def bytes_done(self) -> int:
        pos = 0
        if self._current is not None and not self._current.closed:
            try:
                pos = self._current.tell()
            except (OSError, ValueError):
                pos = 0
        return min(self.total_bytes, self._done_files + pos)

    def _files(self) -> Iterator[Path]:
        for path in self.paths:
            if path.is_dir():
                yield from _walk(path)
            else:
                yield path

    def __iter__(self) -> Iterator[SourceItem]:
        for path in self._files():
            kind = kind_of(path)
            try:
                if kind == "page":
                    yield _read_page(path)
                elif kind == "jsonl":
                    yield from self._tracked(path, _read_jsonl)
                elif kind == "warc":
                    yield from self._tracked(path, _read_warc)
                else:
                    yield SourceItem(str(path), None, error="unsupported file type (want .html, .htm, .txt, "
                                                            ".jsonl or .warc[.gz])")
            except OSError as exc:
                yield SourceItem(str(path), None, error=f"cannot read file: {exc.strerror or exc}")
            finally:
                self._current = None
                self._done_files += _size(path)

    def _tracked(self, path: Path, reader: Any) -> Iterator[SourceItem]:
        with open(path, "rb") as raw:
            self._current = raw
            yield from reader(path, raw)


def _walk(directory: Path) -> Iterator[Path]:
    """Readable files under ``directory`` in path order (a/b.txt before a/c/d.txt before a/z.txt)."""
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        elif entry.is_file() and kind_of(Path(entry.path)) is not None:
            yield Path(entry.path)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# --------------------------------------------------------------------------- pages

def _read_page(path: Path) -> SourceItem:
    size = _size(path)
    if size > MAX_ITEM_BYTES:
        return SourceItem(str(path), None, error=f"file is {size:,} bytes; the limit is {MAX_ITEM_BYTES:,}")
    fmt: InputFormat = PAGE_SUFFIXES[path.suffix.lower()]  # type: ignore[assignment]
    return SourceItem(str(path), path.read_bytes(), fmt)


# --------------------------------------------------------------------------- JSONL

def _lines(fh: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines; a line over the size limit is skipped over and given as None."""
    lineno = 0
    while True:
        line = fh.readline(MAX_ITEM_BYTES + 1)
        if not line:
            return
        lineno += 1
        if len(line) > MAX_ITEM_BYTES and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield lineno, None
        else:
            yield lineno, line


def _read_jsonl(path: Path, raw: IO[bytes]) -> Iterator[SourceItem]:
    fh: IO[bytes] = gzip.GzipFile(fileobj=raw) if path.name.lower().endswith(".gz") else raw
    for lineno, line in _lines(fh):
        where = f"{path}:{lineno}"
        if line is None:
            yield SourceItem(where, None, error=f"line is over {MAX_ITEM_BYTES:,} bytes")
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield SourceItem(where, None, error=f"not valid JSON: {exc}")
            continue
        if not isinstance(obj, dict):
            yield SourceItem(where, None, error="line is not a JSON object")
            continue
        yield jsonl_item(where, obj)


def jsonl_item(where: str, obj: dict[str, Any]) -> SourceItem:
    """One JSONL record: ``text`` or ``html`` plus metadata at the top level or, as in
    PolNeAR, under ``"metadata"`` (publisher, publication_date, title); see ``reading``."""
    metadata = record_metadata(obj)
    source_id = record_id(obj)
    body = record_body(obj)
    if body is None:
        return SourceItem(where, None, metadata=metadata, source_id=source_id,
                          error="record has no \"text\" or \"html\" string")
    payload, fmt = body
    return SourceItem(where, payload, fmt, metadata, source_id=source_id)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- WARC

def _read_warc(path: Path, raw: IO[bytes]) -> Iterator[SourceItem]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = iter(ArchiveIterator(raw, arc2warc=True))
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except (ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
            # A damaged archive: keep what was read, report where it broke, move to the next file.
            yield SourceItem(f"{path}@{raw.tell()}", None, error=f"WARC cannot be read further: {exc}")
            return
        item = _warc_item(path, record)
        if item is not None:
            yield item


def _warc_item(path: Path, record: Any) -> SourceItem | None:
    """A record holding an HTML page (``reading.warc_page`` decides which); None for the rest."""
    page = warc_page(record)
    if page is None:
        return None
    where = page.url or f"{path}@{page.record_id}"
    try:
        payload = record.content_stream().read(MAX_ITEM_BYTES + 1)
    except Exception as exc:  # broken transfer encodings surface as many exception types
        return SourceItem(where, None, error=f"cannot decode record body: {exc}")
    if len(payload) > MAX_ITEM_BYTES:
        return SourceItem(where, None, error=f"record body is over {MAX_ITEM_BYTES:,} bytes")
    return SourceItem(where, payload, "html", page.stated(), page.defaults())
