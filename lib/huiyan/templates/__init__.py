"""The ``huiyan new`` template: a model notebook with the five stages and an empty model card.

The template is a jupytext percent script (``model.py.tmpl``); ``__MODEL__`` is
replaced by the new model's name, and the paired ``.ipynb`` is made from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from huiyan.errors import ModelError
from huiyan.workspace import Workspace

TEMPLATE = Path(__file__).with_name("model.py.tmpl")
NAME = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")


@dataclass(frozen=True)
class Created:
    """The two files of a new model notebook."""

    script: Path
    notebook: Path


def check_name(name: str) -> None:
    """A model name is snake_case: lower-case letters, digits and single underscores.

    >>> check_name("fishing_ban")
    >>> check_name("FishingBan")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    huiyan.errors.ModelError: ...
    """
    if not NAME.fullmatch(name) or len(name) > 48:
        suggestion = re.sub(
            r"[^a-z0-9]+", "_", re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
        ).strip("_")
        raise ModelError(
            f'模型名称 "{name}" 无效：应为小写字母开头，只含小写字母、数字和单个下划线（如 {suggestion or "fishing_ban"}）。',
            f'Model name "{name}" is not snake_case (e.g. {suggestion or "fishing_ban"}).',
        )


def new_model(name: str, *, ws: Workspace, folder: Path | None = None) -> Created:
    """Create ``<folder>/<name>.py`` and ``.ipynb`` from the template; refuse an existing name.

    Args:
        name: the new model's snake_case name.
        ws: the workspace (its catalog is checked for the name).
        folder: where to write; default the first folder the catalog searches (notebooks/).
    """
    import jupytext

    from huiyan import catalog

    check_name(name)
    folder = folder or catalog.model_folders(ws)[0]
    script, notebook = folder / f"{name}.py", folder / f"{name}.ipynb"
    taken = [p for p in (script, notebook) if p.exists()]
    if taken or name in catalog.catalog(ws).names():
        where = ", ".join(str(p) for p in taken) or "模型目录 the catalog"
        raise ModelError(
            f'模型 "{name}" 已存在（{where}），不会覆盖。',
            f'A model "{name}" already exists ({where}); nothing was overwritten.',
            "请换一个名称 Choose another name.",
        )
    folder.mkdir(parents=True, exist_ok=True)
    script.write_text(
        TEMPLATE.read_text(encoding="utf-8").replace("__MODEL__", name), encoding="utf-8"
    )
    jupytext.write(jupytext.read(script), notebook, fmt="ipynb")
    return Created(script, notebook)
