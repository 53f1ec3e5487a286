"""``python -m saywho.cli``: the same commands as ``saywho``."""

from . import main

main()
