"""Write src/saywho/article.schema.json from the pydantic models of saywho.contract.

    .venv/bin/python scripts/write_schema.py          # rewrite the file
    .venv/bin/python scripts/write_schema.py --check  # exit 1 when the file is not the generated one

The schema is never edited by hand: change the models, then run this. tests/test_contract.py
fails when the committed file and the models disagree.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from saywho.contract import article_schema

PATH = Path(__file__).resolve().parents[1] / "src" / "saywho" / "article.schema.json"


def render() -> str:
    return json.dumps(article_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if PATH.read_text(encoding="utf-8") != text:
            print(f"{PATH} is not the generated schema: run scripts/write_schema.py", file=sys.stderr)
            return 1
        return 0
    PATH.write_text(text, encoding="utf-8")
    print(f"wrote {PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
