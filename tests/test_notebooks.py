"""Every notebook in notebooks/ runs on the tiny synthetic province, as committed and with parameters.

- nbval (``pytest --nbval-lax notebooks/``) runs each notebook with its default
  parameters against the tiny province (``HUIYAN_HOME``), the way a user opens it;
- ``huiyan run`` (papermill) runs each model notebook for one county, the
  parameterised path, through the real quality gate;
- each notebook is paired with its jupytext ``.py`` and carries no outputs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import huiyan
import pytest
from huiyan import catalog, runs
from huiyan.workspace import REPO_ROOT, Workspace

NOTEBOOKS = REPO_ROOT / "notebooks"
ALL = sorted(p for p in NOTEBOOKS.glob("*.ipynb"))
MODELS = sorted(
    p.stem for p in ALL if catalog.read_card(p) is not None and p.stem not in catalog.NOT_MODELS
)


@pytest.mark.slow
def test_every_notebook_runs_with_default_parameters(tiny_workspace: Workspace) -> None:
    # validate once here, so each notebook's quality gate reuses the cached result
    from huiyan import quality

    quality.validate(tiny_workspace)
    tiny_workspace.close()
    env = {k: v for k, v in os.environ.items() if k not in ("HUIYAN_MODEL_PATH", "HUIYAN_RUN_DIR")}
    env.update(HUIYAN_HOME=str(tiny_workspace.home), MPLBACKEND="Agg")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "--nbval-cell-timeout=600",
            "-q",
            "-p",
            "no:cacheprovider",
            "--ignore=notebooks/scratch",
            "notebooks/",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]


@pytest.mark.slow
@pytest.mark.parametrize("model", MODELS)
def test_model_runs_for_one_county(
    model: str, tiny_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HUIYAN_MODEL_PATH", raising=False)
    ws = huiyan.workspace(tiny_workspace.home)
    county = ws.regions()[0]
    result = runs.run(model, ws=ws, region=county)
    assert result.status == "succeeded"
    assert result.manifest["validation"]["ok"] is True
    assert set(result.manifest["clues_by_region"]) <= {county}


@pytest.mark.parametrize("notebook", ALL, ids=[p.stem for p in ALL])
def test_notebook_is_paired_and_has_no_outputs(notebook: Path) -> None:
    import jupytext

    script = notebook.with_suffix(".py")
    assert script.exists(), f"{notebook.name} has no paired {script.name}"
    committed = json.loads(notebook.read_text(encoding="utf-8"))
    paired = jupytext.read(script)
    assert [
        c["source"] if isinstance(c["source"], str) else "".join(c["source"])
        for c in committed["cells"]
    ] == [c.source for c in paired.cells], (
        f"{notebook.name} is out of step with {script.name}: run jupytext --to ipynb {script}"
    )
    assert committed["metadata"].get("huiyan") == paired.metadata.get("huiyan")
    for cell in committed["cells"]:
        assert not cell.get("outputs"), f"{notebook.name} carries outputs: strip them"


def test_every_model_notebook_has_a_parameters_cell_matching_its_card() -> None:
    for path in ALL:
        card = catalog.read_card(path)
        if card is None or card.name in catalog.NOT_MODELS:
            continue
        cell = catalog.notebook_parameters(path)
        if card.rules:  # a model runs per county; a dashboard (no rules) summarises the ledger
            assert "region" in cell, f"{path.name}: the parameters cell has no region"
        for name, default in card.defaults.items():
            assert cell.get(name) == default, (
                f"{path.name}: {name} is {cell.get(name)!r} in the cell, {default!r} in the card"
            )
