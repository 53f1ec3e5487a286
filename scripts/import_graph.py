"""saywho's import graph and its layer contract, read from the source (nothing is imported).

    .venv/bin/python scripts/import_graph.py            # check: cycles and layer breaches, exit 1 on any
    .venv/bin/python scripts/import_graph.py --mermaid  # the graph by layer, for docs/architecture.md

Every import counts: module level, inside functions and under ``TYPE_CHECKING``. The layers, from
the bottom: shared types and word lists; helpers; the stages (which never import each other);
the pipeline that composes them; output and evaluation; the public API; adapters (spaCy, corpus,
Spark, web) and the CLI on top. A module may import its own layer's group or anything below it.
``tests/test_layers.py`` runs the check in CI.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "saywho"

# (layer, group) by module-name prefix, first match wins. Modules of one group may import each other;
# a module may import any group of a lower layer, never a higher one nor another group of its own layer.
LAYERS: list[tuple[str, int, str]] = [
    ("saywho.errors", 0, "base"),
    ("saywho.model", 0, "base"),
    ("saywho.lexicon", 0, "base"),
    ("saywho.contract", 0, "base"),  # model.py's to_dict() as pydantic models (imported by web only)
    ("saywho.deadline", 0, "base"),  # a time limit for one article (signal timer)
    ("saywho.types", 1, "types"),
    ("saywho.nlp", 2, "nlp"),
    ("saywho.attribute_lookup", 2, "nlp"),  # the attribute ruler compiled to a lookup (same tags)
    ("saywho.deptree", 2, "deptree"),
    ("saywho.names", 2, "names"),
    ("saywho.word_anchor", 2, "word_anchor"),
    ("saywho.logistic", 2, "logistic"),  # the shared scorer of the learned parts (JSON weights)
    ("saywho.ingest", 3, "ingest"),
    ("saywho.quotes", 3, "quotes"),
    ("saywho.attribution", 3, "attribution"),
    ("saywho.speakers", 3, "speakers"),
    ("saywho.pipeline", 4, "pipeline"),
    ("saywho.render", 5, "render"),
    ("saywho.evaluate", 5, "evaluate"),
    ("saywho.evaluate_ggt", 5, "evaluate"),  # the Gender Gap Tracker's quote metric, beside saywho's
    ("saywho.calibration", 5, "evaluate"),  # the confidence reliability table (train script and bench)
    ("saywho.gum", 5, "evaluate"),  # GUM's CoNLL-U coreference gold
    ("saywho.evaluate_coref", 5, "evaluate"),  # the resolver against GUM
    ("saywho", 6, "api"),  # the package itself: saywho/__init__.py
    ("saywho.spacy_component", 7, "spacy"),
    ("saywho.corpus", 7, "corpus"),
    ("saywho.spark", 8, "spark"),
    ("saywho.spark_worker", 8, "spark"),
    ("saywho.web", 8, "web"),
    ("saywho.cli", 9, "cli"),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> Iterator[str]:
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "saywho":
                    yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != "saywho":
                continue
            # "from . import learned" imports a module; "from .model import Span" a name
            submodules = [f"{source}.{a.name}" for a in node.names if f"{source}.{a.name}" in known]
            yield from submodules or [source]


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    edges: dict[str, set[str]] = {}
    for name, path in found.items():
        targets = {t for t in _imports(name, path, known) if t != name}
        edges[name] = {t if t in known else _owner(t, known) for t in targets}
    return edges


def _owner(name: str, known: set[str]) -> str:
    while name not in known and "." in name:
        name = name.rpartition(".")[0]
    return name


def layer(name: str) -> tuple[int, str]:
    for prefix, rank, group in LAYERS:
        if name == prefix or name.startswith(prefix + ".") and prefix != "saywho":
            return rank, group
    raise KeyError(f"{name} is in no layer: add it to LAYERS in scripts/import_graph.py")


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def breaches(edges: dict[str, set[str]]) -> list[str]:
    """Imports that go up a layer or sideways into another group of the same layer."""
    out = []
    for source, targets in sorted(edges.items()):
        rank, group = layer(source)
        for target in sorted(targets):
            t_rank, t_group = layer(target)
            if t_rank > rank or t_rank == rank and t_group != group:
                out.append(f"{source} (layer {rank}, {group}) imports {target} (layer {t_rank}, {t_group})")
    return out


def mermaid(edges: dict[str, set[str]]) -> str:
    """Groups as boxes, by layer from the bottom up; an arrow where any module of one imports the other."""
    groups: dict[str, int] = {}
    arrows: set[tuple[str, str]] = set()
    for source, targets in edges.items():
        rank, group = layer(source)
        groups[group] = rank
        for target in targets:
            t_group = layer(target)[1]
            if t_group != group:
                arrows.add((group, t_group))
    lines = ["flowchart BT"]
    for rank in sorted(set(groups.values())):
        members = sorted(g for g, r in groups.items() if r == rank)
        lines.append(f"  subgraph L{rank}[layer {rank}]")
        lines += [f"    {g}" for g in members]
        lines.append("  end")
    # transitive arrows add nothing to the picture: keep an arrow only when no other path gives it
    def reaches(a: str, b: str, skip: tuple[str, str]) -> bool:
        seen, todo = {a}, [a]
        while todo:
            x = todo.pop()
            for s, t in arrows:
                if s == x and (s, t) != skip and t not in seen:
                    if t == b:
                        return True
                    seen.add(t)
                    todo.append(t)
        return False

    for source, target in sorted(arrows):
        if not reaches(source, target, (source, target)):
            lines.append(f"  {source} --> {target}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    edges = graph()
    if argv == ["--mermaid"]:
        print(mermaid(edges))
        return 0
    problems = [" -> ".join(c) + " (cycle)" for c in cycles(edges)] + breaches(edges)
    for line in problems:
        print(line)
    print(f"{len(edges)} modules, {sum(len(t) for t in edges.values())} imports, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
