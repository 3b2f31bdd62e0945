"""The province dashboard: a parameterised notebook over the clue ledger, run like any model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import huiyan as hy
import pytest
from huiyan import ledger, runs
from huiyan.models import judicial_auction
from huiyan.workspace import Workspace


@pytest.fixture
def ledger_home(tiny_workspace: Workspace, tmp_path: Path) -> Path:
    """A copy of the tiny province whose ledger holds one model's clues with simulated outcomes."""
    tiny_workspace.close()
    home = tmp_path / "home"
    (home / "datasets").mkdir(parents=True)
    shutil.copy(tiny_workspace.db_path, home / "datasets" / "huiyan.duckdb")
    with hy.workspace(home) as ws:
        found = hy.clues.collect(*judicial_auction.run_rules(ws), model=judicial_auction.MODEL)
        ledger.record_run(ws, found.frame, run_id="seed-run", model=judicial_auction.MODEL)
        assert ledger.simulate_outcomes(ws, seed=3) > 0
    return home


def test_simulation_is_refused_outside_synthetic_workspaces(tmp_path: Path) -> None:
    with hy.workspace(tmp_path, write=True) as ws:
        with ws.writing("test") as w:
            w.con.execute("CREATE TABLE judicial_auctions (auction_id VARCHAR)")
        with pytest.raises(hy.errors.WorkspaceError, match="synth"):
            ledger.simulate_outcomes(ws)


@pytest.mark.slow
def test_dashboard_runs_through_the_runner_and_reports_the_ledger(
    ledger_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HUIYAN_MODEL_PATH", raising=False)
    with hy.workspace(ledger_home) as ws:
        expected = ledger.effectiveness(ws, by=("model",)).iloc[0]
    result = runs.run("province_dashboard", ws=hy.workspace(ledger_home))
    assert result.status == "succeeded"
    executed = (result.run_dir / "notebook.ipynb").read_text(encoding="utf-8")
    # the effectiveness table the notebook printed carries the same figures as the ledger
    for figure in (expected.clues, expected.transferred, expected.filed, expected.rejected):
        assert str(int(figure)) in executed
    report = (result.run_dir / "report.html").read_text(encoding="utf-8")
    assert "judicial_auction" in report
    assert result.manifest["clue_count"] == 0


@pytest.mark.slow
def test_dashboard_filters_by_city(ledger_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUIYAN_MODEL_PATH", raising=False)
    result = runs.run(
        "province_dashboard",
        ws=hy.workspace(ledger_home),
        parameters={"city": "3311"},  # Lishui: only Songyang's clues
    )
    shown = _output_of(result.run_dir / "notebook.ipynb", "by_county = table(")
    assert "331124" in shown
    assert "330602" not in shown


def _output_of(notebook: Path, source_start: str) -> str:
    """The plain-text output of the executed cell whose source starts with ``source_start``."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "".join(c["source"]).startswith(source_start))
    return "".join(
        "".join(o.get("data", {}).get("text/plain", "")) + "".join(o.get("text", ""))
        for o in cell["outputs"]
    )
