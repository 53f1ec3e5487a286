"""The corpus: archives in, one searchable SQLite database out, exported as tables.

Modules, each importing only those above it in this list (and the core):

* ``reading``: the record rules shared with ``saywho.spark`` (fields, metadata precedence,
  dates, which WARC records are articles).
* ``sources``: walking directories, JSONL and WARC files one article at a time.
* ``records``: ``quote_records``, the flat quote rows every tabular output shares.
* ``schema``, ``queries``, ``store``: the SQLite/FTS5 database (tables and keys, reads, writes).
* ``runner``: ``CorpusRunner`` / ``run_corpus``, extraction in worker processes into a store.
* ``export``: the stored quotes as Parquet, CSV or JSONL.
"""

from __future__ import annotations

from .export import EXPORT_COLUMNS, EXPORT_FORMATS, export, export_rows
from .runner import CorpusRunner, RunSummary, run_corpus
from .store import Store, StoreError

__all__ = ["EXPORT_COLUMNS", "EXPORT_FORMATS", "CorpusRunner", "RunSummary", "Store", "StoreError", "export",
           "export_rows", "run_corpus"]
