"""huiyan 慧眼: a workbench for big-data legal supervision models (大数据法律监督模型).

Public API for notebooks::

    import huiyan as hy
    ws = hy.workspace()
    judgments = ws.table("judgments")
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from huiyan import errors, log
from huiyan.errors import HuiyanError

if TYPE_CHECKING:
    from huiyan.workspace import Workspace, workspace

__version__ = "0.1.0"

# jsonschema (under papermill's nbformat and Great Expectations) checks the "iri" format with
# rfc3987_syntax when it can import it, and that import compiles a grammar: about 2 s of every
# process that runs a notebook or validates data. Nothing here checks IRIs (jsonschema falls
# back to rfc3987 for them), so huiyan's processes never load it.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

# Heavier concept modules load on first use, so `import huiyan` stays fast.
_LAZY = {
    "contracts",
    "counties",
    "identifiers",
    "ingest",
    "quality",
    "judgments",
    "rules",
    "clues",
    "runs",
    "catalog",
    "synth",
    "evaluation",
    "ledger",
    "sharing",
    "models",
    "report",
    "vetting",
    "audit",
    "privacy",
    "linking",
    "reading",
    "spark",
}


# ibis loads with the workspace (~0.3 s): commands that never read data do not wait for it
_FROM_WORKSPACE = {"workspace", "Workspace"}


class _Package(types.ModuleType):
    """``hy.workspace`` is the function even after the submodule of that name is imported
    (the import system would otherwise set the package attribute to the module)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "workspace" and isinstance(value, types.ModuleType):
            value = value.workspace
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return importlib.import_module(f"huiyan.{name}")
    if name in _FROM_WORKSPACE:
        return getattr(importlib.import_module("huiyan.workspace"), name)
    raise AttributeError(f"module 'huiyan' has no attribute {name!r}")


__all__ = ["HuiyanError", "Workspace", "__version__", "errors", "log", "workspace", *sorted(_LAZY)]
