"""``huiyan new``: a model notebook in the workspace, from the template or from another model.

The template is a jupytext percent script (``model.py.tmpl``) with the five stages, an
empty model card and an example rule written in a notebook cell; ``__MODEL__`` is
replaced by the new model's name, and the paired ``.ipynb`` is made from it.

``--from MODEL`` starts from an existing model's notebook instead (a vetted model of the
repository, the workspace's own or an imported one) under the new name, as version
0.1.0, with ``derived_from`` on its card, no outputs and no vetting: a county adapts its
thresholds or rules, then vets it as its own. A list of rule codes on the old card
becomes a documented ``rules:`` mapping (code -> zh, basis).

New models are written to the workspace's own ``notebooks/`` folder
(:func:`huiyan.catalog.own_folder`), never into the repository.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huiyan.catalog import LABELS_SUFFIX, ModelCard
from huiyan.errors import ModelError
from huiyan.workspace import Workspace

TEMPLATE = Path(__file__).with_name("model.py.tmpl")
NAME = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
FIRST_VERSION = "0.1.0"


@dataclass(frozen=True)
class Created:
    """The files of a new model notebook (the labelled sample when one was copied)."""

    script: Path
    notebook: Path
    labels: Path | None = None
    derived_from: str = ""


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


def new_model(
    name: str, *, ws: Workspace, folder: Path | None = None, from_model: str | None = None
) -> Created:
    """Create ``<folder>/<name>.py`` and ``.ipynb``; refuse a name the catalog already has.

    Args:
        name: the new model's snake_case name.
        ws: the workspace (its catalog is checked for the name).
        folder: where to write; default the workspace's own ``notebooks/``.
        from_model: start from this model's notebook (``name`` or ``name@version``).
    """
    import jupytext

    from huiyan import catalog

    check_name(name)
    folder = folder or catalog.own_folder(ws)
    script, notebook = folder / f"{name}.py", folder / f"{name}.ipynb"
    found = catalog.catalog(ws)
    taken = [p for p in (script, notebook) if p.exists()]
    if taken or name in found.names():
        where = ", ".join(str(p) for p in taken) or "模型目录 the catalog"
        raise ModelError(
            f'模型 "{name}" 已存在（{where}），不会覆盖。',
            f'A model "{name}" already exists ({where}); nothing was overwritten.',
            "请换一个名称 Choose another name.",
        )
    source = found.get(from_model) if from_model else None
    folder.mkdir(parents=True, exist_ok=True)
    if source is None:
        script.write_text(
            TEMPLATE.read_text(encoding="utf-8").replace("__MODEL__", name), encoding="utf-8"
        )
        jupytext.write(jupytext.read(script), notebook, fmt="ipynb")
        return Created(script, notebook)
    nb = derive(source, name)
    notebook.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    jupytext.write(jupytext.reads(notebook.read_text(encoding="utf-8"), fmt="ipynb"), script)
    labels = None
    if source.labels is not None:
        labels = folder / f"{name}{LABELS_SUFFIX}"
        shutil.copyfile(source.labels, labels)
    return Created(script, notebook, labels, source.ref)


def derive(source: ModelCard, name: str) -> dict[str, Any]:
    """``source``'s notebook as a new model ``name``: its card renamed, no outputs, not vetted."""
    assert source.notebook is not None
    nb = json.loads(source.notebook.read_text(encoding="utf-8"))
    card = dict(nb["metadata"]["huiyan"])
    card.update(
        name=name,
        version=FIRST_VERSION,
        derived_from=source.ref,
        author_unit="",
        vetting={"status": "未审核"},
        rules=documented_rules(source),
    )
    nb["metadata"]["huiyan"] = card
    old = re.escape(source.name)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        text = "".join(cell.get("source", ""))
        # the model's name in code: a literal ("old"), or a promoted module's m.MODEL
        text = re.sub(rf"(['\"]){old}\1", f'"{name}"', text)
        text = re.sub(r"\bmodel\s*=\s*[A-Za-z_][\w.]*\.MODEL\b", f'model="{name}"', text)
        cell["source"] = text
        cell["outputs"], cell["execution_count"] = [], None
        cell.get("metadata", {}).pop("papermill", None)
    return nb


def documented_rules(card: ModelCard) -> dict[str, dict[str, str]]:
    """``card``'s rules as a mapping code -> {zh, basis}: its own documentation, else the
    library's for a promoted model's rules."""
    from huiyan import catalog

    library = catalog.library_rules(card)
    out = {}
    for code in card.rules:
        doc = card.rule_doc(code)
        lib = library.get(code)
        out[code] = {
            "zh": doc.zh or (lib.zh if lib else ""),
            "basis": doc.basis or (lib.basis if lib else ""),
        }
    return out
