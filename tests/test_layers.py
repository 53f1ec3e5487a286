"""The layer contract (scripts/import_graph.py): no import circle among saywho's modules, no
import up a layer or across the stages, and no source file over 600 lines."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "import_graph.py"
MAX_LINES = 600


@pytest.fixture(scope="module")
def import_graph():
    spec = importlib.util.spec_from_file_location("import_graph", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_no_import_cycles(import_graph) -> None:
    assert import_graph.cycles(import_graph.graph()) == []


def test_no_import_goes_up_a_layer_or_across_stages(import_graph) -> None:
    assert import_graph.breaches(import_graph.graph()) == []


def test_every_module_has_a_layer(import_graph) -> None:
    for name in import_graph.graph():
        import_graph.layer(name)  # raises for a module left out of LAYERS


def test_the_checker_sees_imports_inside_functions_and_type_checking(import_graph) -> None:
    edges = import_graph.graph()
    assert "saywho.pipeline" in edges["saywho.evaluate"]  # only under TYPE_CHECKING
    assert "saywho.pipeline" in edges["saywho.corpus.runner"]  # only inside a function


def test_a_stage_importing_another_stage_is_a_breach(import_graph) -> None:
    assert import_graph.breaches({"saywho.quotes": {"saywho.speakers"}})
    assert import_graph.breaches({"saywho.types": {"saywho.pipeline"}})
    assert import_graph.cycles({"a": {"b"}, "b": {"a"}}) == [["a", "b"]]


def test_no_source_file_over_600_lines(import_graph) -> None:
    long = {str(p): n for p in import_graph.PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_architecture_doc_shows_the_current_graph(import_graph) -> None:
    doc = (SCRIPT.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert import_graph.mermaid(import_graph.graph()) in doc, "regenerate with scripts/import_graph.py --mermaid"
