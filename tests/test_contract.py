"""The output contract as pydantic models (saywho.contract): the committed JSON Schema is the one
generated from them, and real extraction output is exactly what they describe."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pydantic")

import jsonschema  # noqa: E402

import saywho  # noqa: E402
from saywho import contract  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_PATH = ROOT / "src" / "saywho" / "article.schema.json"


def _write_schema_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("write_schema", ROOT / "scripts" / "write_schema.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_schema_is_the_generated_one() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == _write_schema_module().render(), (
        "regenerate with scripts/write_schema.py")


@pytest.fixture(scope="module")
def seed(extractor: saywho.Extractor, shared: Path) -> dict:
    return extractor((shared / "examples" / "mee-mosul-foreign-fighters.txt").read_bytes()).to_dict()


def test_real_output_validates_against_the_schema_file(seed: dict) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema).check_schema(schema)
    jsonschema.validate(seed, schema)
    broken = json.loads(json.dumps(seed))
    broken["quotes"][0]["unknown"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_the_models_describe_to_dict_exactly(seed: dict) -> None:
    parsed = contract.Article.model_validate(seed)
    # Nothing lost or added, and the quote and speaker keys in to_dict()'s order.
    assert parsed.model_dump(mode="json", exclude_unset=True) == seed
    dumped = parsed.model_dump(mode="json", exclude_unset=True)
    assert list(dumped["quotes"][0]) == list(seed["quotes"][0])
    assert list(dumped["speakers"][0]) == list(seed["speakers"][0])


def test_kind_and_confidence_are_required_and_checked(seed: dict) -> None:
    quote = dict(seed["quotes"][0], kind="stance", confidence=0.5)
    assert contract.Quote.model_validate(quote).kind == "stance"
    assert 0.0 <= contract.Quote.model_validate(seed["quotes"][0]).confidence <= 1.0
    with pytest.raises(ValueError):
        contract.Quote.model_validate(dict(quote, confidence=1.5))
    with pytest.raises(ValueError):
        contract.Quote.model_validate(dict(quote, kind="rumour"))
    with pytest.raises(ValueError):
        contract.Quote.model_validate({k: v for k, v in quote.items() if k != "kind"})


def test_the_core_does_not_import_the_contract() -> None:
    # Only the web app and the schema script need pydantic models; the library never loads them.
    code = "import sys, saywho, saywho.render, saywho.corpus, saywho.pipeline; print('saywho.contract' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT / "src")}).stdout
    assert out.strip() == "False"
