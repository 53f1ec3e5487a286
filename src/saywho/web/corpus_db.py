"""The optional corpus database behind the search endpoints, opened once per app.

This is the only web module that imports the corpus package (the store, the audit, the facet counts): every
other one takes ``Corpus`` (or ``StoreError``, re-exported here) from this module,
so moving the store is a one-line change.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import HTTPException

from ..corpus.audit import BY as AUDIT_BY
from ..corpus.audit import GENDERS, SOURCE_TYPES, audit, csv_columns
from ..corpus.facets import cluster_sizes, search_facets
from ..corpus.queries import SORTS
from ..corpus.store import Store, StoreError

__all__ = ["AUDIT_BY", "GENDERS", "NO_CORPUS", "SORTS", "SOURCE_TYPES", "Corpus", "Store", "StoreError", "audit",
           "cluster_sizes", "csv_columns", "search_facets"]

NO_CORPUS = (
    "no corpus database is loaded: start the server with `saywho serve --db corpus.db` to search quotes"
)


class Corpus:
    """The corpus chosen on the command line (never by a request). ``Store`` gives each thread its
    own SQLite connection, so one instance serves every request."""

    def __init__(self, path: str | None) -> None:
        self.store: Store | None = None
        if path is not None:
            if not Path(path).is_file():
                raise FileNotFoundError(f"no corpus database at {path}: build one with `saywho run`")
            # create=False: a wrong file is refused (StoreError), never turned into an empty corpus.
            self.store = Store(path, create=False)

    def __call__(self) -> Store:
        """The store, or 404 with how to start the server with one."""
        if self.store is None:
            raise HTTPException(404, NO_CORPUS)
        return self.store
