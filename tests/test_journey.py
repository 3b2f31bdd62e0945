"""The journey of issue 16, end to end: a county's model written in its notebook travels to another.

County A starts a model with ``huiyan new``, writes its one rule in a notebook cell (no
line of it in the library), runs it, vets it, creates its key and exports it. County B
trusts A's key, imports the bundle and runs the model, once and county by county. Every
command exits 0, both counties find the clue, and B finds exactly A's clues on the same data.

County A's data is the synthetic tiny province (seed 7, the session's ``tiny_workspace``)
without one county's penalties, so that it differs from the tiny province A vets on (kept
in ``.vetting/tiny``, copied rather than generated again); county B holds a copy of A's data.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import pkgutil
import shutil
import subprocess
from pathlib import Path

import huiyan
import huiyan.models
import huiyan.rules
import pandas as pd
import pytest
from conftest import write_sql
from county_model import BASIS, CODE, LABELS, NAME, PLANTED, ZH, write_rule
from huiyan import vetting
from huiyan.cli import main
from huiyan.workspace import REPO_ROOT, Workspace

pytestmark = pytest.mark.slow


def huiyan_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["-q", *argv])
    return code, out.getvalue(), err.getvalue()


def ok(*argv: str) -> str:
    """Run a huiyan command; it must exit 0. Returns what it printed."""
    code, out, err = huiyan_cli(*argv)
    assert code == 0, f"huiyan {' '.join(argv)} exited {code}:\n{out}\n{err}"
    return out


def county(tiny: Workspace, home: Path) -> Path:
    """A county workspace holding the tiny province, which is also the province it vets on."""
    tiny.close()
    marker = {"scale": "tiny", "seed": vetting.TINY_SEED, "huiyan": huiyan.__version__}
    for folder in (home / "datasets", home / ".vetting" / "tiny" / "datasets"):
        folder.mkdir(parents=True)
        shutil.copy(tiny.db_path, folder / "huiyan.duckdb")
    (home / ".vetting" / "tiny" / "synth.json").write_text(json.dumps(marker))
    return home


def repository_state() -> tuple[str, list[str]]:
    """What git says changed in the checkout, and the files of its notebooks/ folder."""
    status = ""
    if shutil.which("git") and (REPO_ROOT / ".git").exists():
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],
            cwd=REPO_ROOT, capture_output=True, text=True, check=False,
        ).stdout  # fmt: skip
    return status, sorted(str(p) for p in (REPO_ROOT / "notebooks").rglob("*"))


def clues_of(run_dir: Path) -> pd.DataFrame:
    return pd.read_parquet(run_dir / "clues.parquet")


def test_a_model_written_in_its_notebook_is_run_vetted_shared_and_run_in_another_county(
    tiny_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HUIYAN_MODEL_PATH", raising=False)
    monkeypatch.setenv("HUIYAN_QUIET", "1")
    a = county(tiny_workspace, tmp_path / "county-a")
    write_sql(a, "DELETE FROM admin_penalties WHERE region = '330602'")  # A's own data
    b = tmp_path / "county-b"
    (b / "datasets").mkdir(parents=True)
    shutil.copy(a / "datasets" / "huiyan.duckdb", b / "datasets" / "huiyan.duckdb")
    monkeypatch.setenv("HUIYAN_HOME", str(a))  # restored afterwards (main() sets it from --home)
    before = repository_state()

    # county A: a new model in the workspace, its rule written in a notebook cell
    ok("--home", str(a), "new", NAME)
    notebook = a / "notebooks" / f"{NAME}.ipynb"
    assert notebook.exists() and notebook.with_suffix(".py").exists()
    assert repository_state() == before  # huiyan new --home W leaves the repository untouched
    write_rule(notebook)
    (a / "notebooks" / f"{NAME}.labels.csv").write_text(LABELS, encoding="utf-8")
    for promoted in pkgutil.iter_modules(huiyan.models.__path__):  # every rule of the library
        importlib.import_module(f"huiyan.models.{promoted.name}")
    assert CODE not in huiyan.rules.REGISTRY  # the rule is the notebook's own

    run_a = Path(ok("--home", str(a), "run", NAME).strip().splitlines()[-1])
    found_a = clues_of(run_a)
    assert list(found_a.rule) == [CODE] and list(found_a.evidence[0]) == [PLANTED]
    manifest = json.loads((run_a / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["rule_docs"][CODE] == {"zh": ZH, "basis": BASIS, "defined_in": "notebook"}
    report = (run_a / "report.html").read_text(encoding="utf-8")
    assert ZH in report and BASIS in report  # the report's supervision point and legal basis

    vetted = ok("--home", str(a), "vet", NAME, "--by", "张三")
    assert "结果 Result: 通过审核 VETTED" in vetted and "✗" not in vetted
    assert "labels vs this workspace's run" in vetted  # the data the author labelled
    (record,) = vetting.records(huiyan.workspace(a))
    assert record["vetted_by"] == "张三" and record["vetted_at"]
    assert record["scores"][CODE]["measured"] == "labels"  # no planted truth for a county's rule
    assert (record["scores"][CODE]["precision"], record["scores"][CODE]["recall"]) == (1.0, 1.0)
    read = set(record["lineage"][CODE]["tables"]["admin_penalties"])
    assert {"violation", "transferred", "fine", "case_id", "region"} <= read
    assert record["checks"]["deterministic"] and record["checks"]["contract"]

    ok("--home", str(a), "keys", "init")
    bundle = tmp_path / f"{NAME}.zip"
    exported = ok("--home", str(a), "export", NAME, "-o", str(bundle))
    assert f"{NAME}.ipynb" in exported and f"{NAME}.labels.csv" in exported

    # county B: trust A's key, import, run the model once and county by county
    ok("--home", str(b), "keys", "trust", str(a / "keys" / "province.pub"))
    ok("--home", str(b), "import", str(bundle))
    listed = ok("--home", str(b), "models")
    line = next(row for row in listed.splitlines() if row.startswith(NAME))
    assert vetting.VETTED in line and "导入 imported" in line
    run_b = Path(ok("--home", str(b), "run", NAME).strip().splitlines()[-1])
    found_b = clues_of(run_b)
    assert len(found_b) == 1
    assert sorted(found_b.clue_id) == sorted(found_a.clue_id)  # the same clues as in county A
    each = ok("--home", str(b), "run", NAME, "--each-county")
    summary = json.loads((Path(each.strip().splitlines()[-1]) / "summary.json").read_text())
    assert summary["clues_by_rule"] == {CODE: 1}
    assert {c["status"] for c in summary["counties"]} == {"succeeded"}
    assert len(summary["counties"]) == 2
    ledger = ok("--home", str(b), "clues", NAME)
    assert found_a.clue_id[0] in ledger  # the ledger took the clue in
