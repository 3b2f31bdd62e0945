"""huiyan 慧眼: a workbench for big-data legal supervision models (大数据法律监督模型).

Public API for notebooks::

    import huiyan as hy
    ws = hy.workspace()
    judgments = ws.table("judgments")
"""

from __future__ import annotations

import importlib
from typing import Any

from huiyan import errors, log
from huiyan.errors import HuiyanError
from huiyan.workspace import Workspace, workspace

__version__ = "0.1.0"

# Heavier concept modules load on first use, so `import huiyan` stays fast.
_LAZY = {
    "contracts",
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


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return importlib.import_module(f"huiyan.{name}")
    raise AttributeError(f"module 'huiyan' has no attribute {name!r}")


__all__ = ["HuiyanError", "Workspace", "__version__", "errors", "log", "workspace", *sorted(_LAZY)]
