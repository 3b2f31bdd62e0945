"""The library's concepts depend on each other one way: no import loops.

A model's trip reads in the layout of lib/huiyan: the catalog knows the models
(catalog/), a run executes one (runs/), vetting runs it on the tiny province (vetting/),
sharing exports and imports vetted models (sharing/). Each may use the ones before it,
never the ones after. Every import counts, at the top of a module or inside a function;
imports only for type checking (``if TYPE_CHECKING:``) do not.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest
from huiyan.workspace import REPO_ROOT

LIB = REPO_ROOT / "lib" / "huiyan"
JOURNEY = ("catalog", "runs", "vetting", "sharing")
"""The trip of a model, in order: each concept may import those before it only."""


def _concept(module: str) -> str | None:
    """``huiyan.runs.runner`` -> ``runs``; the package itself (``huiyan``) is no concept."""
    parts = module.split(".")
    return parts[1] if parts[0] == "huiyan" and len(parts) > 1 else None


def _imports(path: Path) -> set[str]:
    """The huiyan concepts a module imports, type-checking-only imports left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for child in node.body for n in ast.walk(child))
    found = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module == "huiyan":
                found.update(f"huiyan.{a.name}" for a in node.names)
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {c for c in (_concept(m) for m in found) if c}


@functools.cache
def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in LIB.rglob("*.py"):
        relative = path.relative_to(LIB.parent).with_suffix("")
        concept = _concept(".".join(relative.parts))
        if concept in (None, "__init__", "cli"):  # the command line sits on top of everything
            continue
        graph.setdefault(concept, set()).update(_imports(path) - {concept})
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import loop, as the path around it, or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_concept_of_the_library_imports_one_that_imports_it() -> None:
    loop = _cycle(_graph())
    assert loop is None, "import loop: " + " -> ".join(loop or [])


@pytest.mark.parametrize("stage", JOURNEY)
def test_each_stage_of_the_trip_uses_only_the_stages_before_it(stage: str) -> None:
    later = set(JOURNEY[JOURNEY.index(stage) + 1 :])
    assert not _graph()[stage] & later


def test_the_loops_this_file_guards_against_are_found() -> None:
    assert _cycle({"catalog": {"vetting"}, "vetting": {"runs"}, "runs": {"catalog"}}) == [
        "catalog", "vetting", "runs", "catalog",
    ]  # fmt: skip
