"""The command line: a thin layer over the library API, one module per group of commands.

``saywho = "saywho.cli:app"`` is the entry point. Each module's ``register`` adds its commands;
the order here is the order ``saywho --help`` lists them in. Heavy imports (spaCy, PySpark,
the web stack) stay inside the commands, so ``saywho --help`` starts fast.
"""

from __future__ import annotations

import typer

from . import corpus, extract, spark, web
from . import eval as evaluation  # not bound as `eval`, the builtin

app = typer.Typer(help="saywho: who said what in news articles.", no_args_is_help=True, add_completion=False)

for _module in (extract, spark, evaluation, web, corpus):
    _module.register(app)
