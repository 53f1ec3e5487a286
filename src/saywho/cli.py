"""The command line: a thin layer over the library API."""

from __future__ import annotations

import typer

app = typer.Typer(help="saywho: who said what in news articles.", no_args_is_help=True, add_completion=False)


# Sub-commands living in other modules register themselves here.
def _register() -> None:
    from . import cli_extract

    cli_extract.register(app)
    # -- adapters register below (one line each) --
    from . import cli_spark; cli_spark.register(app)  # noqa: E702, I001
    from . import cli_eval; cli_eval.register(app)  # noqa: E702, I001
    from . import cli_web; cli_web.register(app)  # noqa: E702, I001
    from . import cli_corpus; cli_corpus.register(app)  # noqa: E702, I001


_register()


if __name__ == "__main__":
    app()
