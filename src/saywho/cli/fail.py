"""The one way every command stops on bad input: one line on stderr, a non-zero exit."""

import typer


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"saywho: {message}", err=True)
    raise typer.Exit(code=code)
