"""Model runs: run folders, manifests, clue files, failures and the county fan-out.

The runs execute tests/data/sample_auction.ipynb (two rules over judicial_auctions)
on a hand-made workspace (conftest ``auction_db``), so they do not depend on the
shipped models. The quality gate is a stand-in here (the hand-made table is not a
full contract dataset); tests/test_notebooks.py runs the real models through it.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import huiyan
import ibis
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import COUNTIES, DATA, EXPECTED
from huiyan import runs
from huiyan.cli import main
from huiyan.clues import SCHEMA, collect
from huiyan.errors import ModelError
from huiyan.rules import ref, rule
from huiyan.runs.workbook import HEADERS

pytestmark = pytest.mark.slow
FILES = {"notebook.ipynb", "report.html", "clues.parquet", "clues.xlsx", "manifest.json"}


@dataclass
class FakeReport:
    ok: bool

    def to_dict(self) -> dict:
        return {"ok": self.ok, "datasets": {"judicial_auctions": {"ok": self.ok}}}

    def format(self) -> str:
        return (
            "" if self.ok else "judicial_auctions: 期望 region 为 6 位数字，3 行不符 (3 rows fail)"
        )


def _quality(ok: bool) -> types.ModuleType:
    module = types.ModuleType("huiyan.quality")
    module.validate = lambda ws, datasets: FakeReport(ok)  # type: ignore[attr-defined]
    return module


@pytest.fixture(autouse=True)
def quality_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "huiyan.quality", _quality(True))


def huiyan_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["-q", *argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def succeeded(tmp_path_factory: pytest.TempPathFactory, auction_db: Path) -> tuple[Path, str, Path]:
    """One successful `huiyan run sample_auction` (home, stdout, run folder), shared by the module."""
    home = tmp_path_factory.mktemp("run") / "home"
    (home / "datasets").mkdir(parents=True)
    shutil.copy(auction_db, home / "datasets" / "huiyan.duckdb")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HUIYAN_MODEL_PATH", str(DATA))
        mp.setitem(sys.modules, "huiyan.quality", _quality(True))
        code, out, err = huiyan_cli("--home", str(home), "run", "sample_auction", "-p", "ratio=0.7")
    assert code == 0, err
    return home, out, Path(out.strip().splitlines()[-1])


def test_run_leaves_the_five_files_and_prints_its_folder(succeeded: tuple[Path, str, Path]) -> None:
    home, out, run_dir = succeeded
    assert run_dir.parent == home / "runs" / "sample_auction"
    assert re.fullmatch(r"\d{8}-\d{6}-all-[0-9a-f]{4}", run_dir.name)
    assert {p.name for p in run_dir.iterdir()} == FILES
    assert "report.html" in out and "clues.xlsx" in out


def test_clues_parquet_has_the_contract_schema(succeeded: tuple[Path, str, Path]) -> None:
    table = pq.read_table(succeeded[2] / "clues.parquet")
    assert table.schema.equals(SCHEMA)
    frame = table.to_pandas()
    assert frame.groupby("rule").size().to_dict() == EXPECTED
    assert set(frame.model) == {"sample_auction"} and set(frame.model_version) == {"1.0.0"}
    assert frame.evidence.map(lambda e: e[0].startswith("judicial_auctions:A")).all()


def test_manifest_records_what_ran_and_what_was_checked(succeeded: tuple[Path, str, Path]) -> None:
    m = json.loads((succeeded[2] / "manifest.json").read_text(encoding="utf-8"))
    assert m["status"] == "succeeded"
    assert (m["model"], m["model_version"], m["region"], m["engine"]) == (
        "sample_auction",
        "1.0.0",
        "",
        "duckdb",
    )
    assert m["parameters"]["ratio"] == 0.7 and m["parameters"]["since"] == "2015-01-01"
    assert m["datasets"]["judicial_auctions"]["rows"] == 40
    assert len(m["datasets"]["judicial_auctions"]["fingerprint"]) >= 8
    assert m["validation"]["ok"] is True
    assert m["clue_count"] == sum(EXPECTED.values()) and m["clues_by_rule"] == EXPECTED
    assert m["duration_s"] > 0 and m["ended_at"] >= m["started_at"]
    assert {"huiyan", "ibis", "duckdb", "pandas", "great_expectations", "papermill"} <= set(
        m["packages"]
    )
    assert m["notebook_sha256"] == runs.folder.sha256(DATA / "sample_auction.ipynb")


def test_workbook_has_summary_and_one_sheet_per_rule(succeeded: tuple[Path, str, Path]) -> None:
    wb = openpyxl.load_workbook(succeeded[2] / "clues.xlsx")
    assert wb.sheetnames == ["汇总 Summary", "SMP-START-LOW", "SMP-DEPOSIT-HIGH"]
    sheet = wb["SMP-START-LOW"]
    headers = [c.value for c in sheet[1]]
    assert headers == [HEADERS[c] for c in SCHEMA.names] + ["核查状态", "核查意见", "核查人"]
    assert sheet.max_row - 1 == EXPECTED["SMP-START-LOW"]
    summary = [tuple(r) for r in wb["汇总 Summary"].iter_rows(values_only=True)]
    assert ("SMP-START-LOW", "一拍起拍价低于评估价的七成", EXPECTED["SMP-START-LOW"]) in summary


def test_report_is_readable_without_code(succeeded: tuple[Path, str, Path]) -> None:
    page = (succeeded[2] / "report.html").read_text(encoding="utf-8")
    assert "运行报告" in page and "judicial_auctions" in page and "SMP-START-LOW" in page
    assert "def start_low" not in page  # code hidden
    assert "data:image/png;base64" in page
    assert 'id="hy-clue-data"' in page  # the table of every clue
    # real data (no planted truth in this workspace): no evaluation appendix
    assert "附录一" not in page and "埋设" not in page


def test_same_data_gives_the_same_clue_ids(
    succeeded: tuple[Path, str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    home, _, first = succeeded
    monkeypatch.setenv("HUIYAN_MODEL_PATH", str(DATA))
    again = runs.run("sample_auction", ws=huiyan.workspace(home))
    ids = [
        pq.read_table(d / "clues.parquet").column("clue_id").to_pylist()
        for d in (first, again.run_dir)
    ]
    assert sorted(ids[0]) == sorted(ids[1]) and len(ids[0]) == sum(EXPECTED.values())
    assert [r.run_id for r in runs.past_runs(home / "runs", "sample_auction")][-1] == again.run_id


def _failed_run(home: Path) -> tuple[Path, dict]:
    folders = [p for p in (home / "runs" / "sample_auction").iterdir()]
    assert len(folders) == 1
    manifest = json.loads((folders[0] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "failed"
    assert not list(folders[0].glob("clues.*"))
    return folders[0], manifest


def _no_run_folders(home: Path) -> bool:
    return not list((home / "runs").glob("*/*/manifest.json"))


def test_bad_parameter_is_refused_before_any_run_folder_exists(
    auction_home: Path, sample_model: Path
) -> None:
    code, _, err = huiyan_cli(
        "--home", str(auction_home), "run", "sample_auction", "-p", "ratoi=0.5"
    )
    assert code == 2
    assert '"ratoi"' in err and '"ratio"' in err
    assert _no_run_folders(auction_home)
    code, out, _ = huiyan_cli("--home", str(auction_home), "runs")
    assert code == 0 and "sample_auction" not in out


@pytest.mark.parametrize("value", ["abc", "0,7"], ids=["text", "comma"])
def test_bad_parameter_value_is_refused_before_any_run_folder_exists(
    auction_home: Path, sample_model: Path, value: str
) -> None:
    code, _, err = huiyan_cli(
        "--home", str(auction_home), "run", "sample_auction", "-p", f"ratio={value}"
    )
    assert code == 2
    assert f'参数 ratio 的值 "{value}"' in err and "ratio (float, 默认 default 0.7)" in err
    assert "Traceback" not in err
    assert _no_run_folders(auction_home)
    code, out, _ = huiyan_cli("--home", str(auction_home), "runs")
    assert code == 0 and "sample_auction" not in out


def test_failing_expectation_stops_the_run_before_any_run_folder_exists(
    auction_home: Path, sample_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "huiyan.quality", _quality(False))
    code, _, err = huiyan_cli("--home", str(auction_home), "run", "sample_auction")
    assert code == 1
    assert "质量校验" in err and "3 rows fail" in err
    assert _no_run_folders(auction_home)


def test_error_in_a_cell_names_the_cell(auction_home: Path, sample_model: Path) -> None:
    code, _, err = huiyan_cli(
        "--home", str(auction_home), "run", "sample_auction", "-p", "fail_on_purpose=true"
    )
    assert code == 1
    assert "RuntimeError" in err and "failing on purpose" in err and "单元格 In [" in err
    folder, manifest = _failed_run(auction_home)
    assert manifest["error"]["cell"] is not None
    assert "fail_on_purpose" in manifest["error"]["cell_source"]
    executed = json.loads((folder / "notebook.ipynb").read_text(encoding="utf-8"))
    assert (
        "papermill-error-cell-tag" in executed["cells"][0]["metadata"]["tags"]
    )  # papermill's marker
    assert executed["cells"][manifest["error"]["cell"]]["outputs"][-1]["ename"] == "RuntimeError"
    assert "failed" in (folder / "report.html").read_text(encoding="utf-8")


def test_clues_of_a_rule_the_card_does_not_list_are_refused(
    auction_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nb = json.loads((DATA / "sample_auction.ipynb").read_text(encoding="utf-8"))
    nb["metadata"]["huiyan"]["rules"] = ["SMP-START-LOW"]
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "sample_auction.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    monkeypatch.setenv("HUIYAN_MODEL_PATH", str(tmp_path / "models"))
    result = runs.run("sample_auction", ws=huiyan.workspace(auction_home), check=False)
    assert result.status == "failed"
    assert "SMP-DEPOSIT-HIGH" in result.manifest["error"]["zh"]
    assert not list(result.run_dir.glob("clues.*"))  # the saved clues were removed


def test_each_county_runs_once_per_county_with_a_summary(
    auction_home: Path, sample_model: Path
) -> None:
    code, out, err = huiyan_cli(
        "--home",
        str(auction_home),
        "run",
        "sample_auction",
        "--each-county",
        "--jobs",
        "2",
        "--allow-unvetted",
    )
    assert code == 0, err
    folders = sorted(
        p for p in (auction_home / "runs" / "sample_auction").iterdir() if p.name[0].isdigit()
    )
    regions = [json.loads((f / "manifest.json").read_text())["region"] for f in folders]
    assert sorted(regions) == sorted(COUNTIES)  # parallel runs: folder order is not county order
    summary_dir = Path(out.strip().splitlines()[-1])
    summary = pd.read_csv(summary_dir / "summary.csv", dtype={"region": str})
    per_county = summary.groupby("rule").clues.sum().to_dict()
    assert per_county == EXPECTED
    assert set(summary.region) == set(COUNTIES)
    data = json.loads((summary_dir / "summary.json").read_text(encoding="utf-8"))
    assert data["clue_count"] == sum(EXPECTED.values()) and len(data["counties"]) == 2
    assert "合计 total" in out


def test_past_runs_lists_the_manifests(
    succeeded: tuple[Path, str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = succeeded[0]
    code, out, _ = huiyan_cli("--home", str(home), "runs", "sample_auction")
    assert code == 0
    assert succeeded[2].name in out and "succeeded" in out and "ratio=0.7" in out


# ----------------------------------------------------------------------------- save() in a notebook


@rule(
    "SAVE-DEMO",
    model="save_demo",
    zh="演示规则",
    basis="示例",
    subject_type="claim",
    summary="赔案{subject_id}。",
    replace=True,
)
def _demo(t: ibis.Table) -> ibis.Table:
    return t.select(
        subject_id=t.claim_id,
        region=t.region,
        evidence=ibis.array([ref("insurance_claims", t.claim_id)]),
    )


def _found() -> huiyan.clues.Clues:
    t = ibis.memtable({"claim_id": ["c1", "c2"], "region": ["330602", "331124"]})
    return collect(_demo(t))


def test_save_outside_a_run_writes_an_interactive_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HUIYAN_RUN_DIR", raising=False)
    monkeypatch.delenv("HUIYAN_MODEL", raising=False)
    monkeypatch.setenv("HUIYAN_HOME", str(tmp_path))
    saved = runs.save(_found())
    assert saved.is_interactive and "interactive" in saved.message
    assert saved.run_dir.parent == tmp_path / "runs" / "save_demo"
    assert saved.run_dir.name.startswith("interactive-")
    assert pq.read_table(saved.parquet).num_rows == 2


def test_save_inside_a_run_writes_to_the_run_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUIYAN_RUN_DIR", str(tmp_path))
    monkeypatch.setenv("HUIYAN_MODEL", "save_demo")
    saved = runs.save(_found())
    assert not saved.is_interactive and saved.run_dir == tmp_path
    assert {p.name for p in tmp_path.iterdir()} == {"clues.parquet", "clues.xlsx"}


def test_save_refuses_rules_of_another_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUIYAN_RUN_DIR", str(tmp_path))
    monkeypatch.setenv("HUIYAN_MODEL", "judicial_auction")
    with pytest.raises(ModelError, match="SAVE-DEMO"):
        runs.save(_found())
    assert not list(tmp_path.iterdir())


def test_workbook_joins_record_lists_with_newlines(tmp_path: Path) -> None:
    frame = _found().frame.copy()
    frame["evidence"] = [["judicial_auctions:A1", "judicial_auctions:A2"], ["x:1"]]
    path = runs.write_workbook(
        frame,
        tmp_path / "c.xlsx",
        rules={"SAVE-DEMO": "演示规则", "OTHER": "无线索"},
        extra_columns=[("status", "核查状态")],
    )
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["汇总 Summary", "SAVE-DEMO", "OTHER"]
    cells = {c.value for row in wb["SAVE-DEMO"].iter_rows() for c in row}
    assert "judicial_auctions:A1\njudicial_auctions:A2" in cells
    assert [c.value for c in wb["SAVE-DEMO"][1]][-1] == "核查状态"


def test_save_records_the_rules_and_what_each_read_for_the_runner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUIYAN_RUN_DIR", str(tmp_path))
    monkeypatch.setenv("HUIYAN_MODEL", "save_demo")
    con = ibis.duckdb.connect()
    claims = con.create_table("insurance_claims", {"claim_id": ["c1"], "region": ["330602"]})
    facts = runs.saving.rule_facts(collect(_demo(claims)))
    assert facts["lineage"]["SAVE-DEMO"] == {"tables": {"insurance_claims": ["claim_id", "region"]}}
    saved = runs.save(_found())  # hits built in Python: their lineage says so
    recorded = runs.saving.rules_of(saved.parquet)
    assert recorded["rules"]["SAVE-DEMO"] == {
        "zh": "演示规则", "basis": "示例", "subject_type": "claim", "model": "save_demo",
        "defined_in": __name__,
    }  # fmt: skip
    assert recorded["lineage"]["SAVE-DEMO"]["untraced"] == ["memtable"]
    assert pq.read_table(saved.parquet).schema.equals(huiyan.clues.SCHEMA)  # still the contract's


def test_run_all_runs_every_model_on_one_kernel_each_as_if_alone(
    auction_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "models"
    folder.mkdir()
    shutil.copy(DATA / "sample_auction.ipynb", folder)
    nb = json.loads((DATA / "sample_auction.ipynb").read_text(encoding="utf-8"))
    nb["metadata"]["huiyan"]["name"] = "sample_again"
    for cell in nb["cells"]:
        source = "".join(cell["source"]).replace('model="sample_auction"', 'model="sample_again"')
        cell["source"] = source
    # the second model must see nothing of the first: no variable, no rule of its notebook
    check = (
        "import os\n"
        'assert "found" not in globals() and "start_low" not in globals(), "left over"\n'
        "print(os.getpid())"
    )
    nb["cells"].insert(1, {"cell_type": "code", "id": "nothing-left", "metadata": {},
                           "source": check, "outputs": [], "execution_count": None})  # fmt: skip
    (folder / "sample_again.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("HUIYAN_MODEL_PATH", str(folder))

    outcomes = dict(runs.run_all(ws=huiyan.workspace(auction_home)))
    assert set(outcomes) == {"sample_auction@1.0.0", "sample_again@1.0.0"}, outcomes
    pids = []
    for result in outcomes.values():
        assert isinstance(result, runs.RunResult) and result.status == "succeeded", result
        assert result.manifest["clues_by_rule"] == EXPECTED
        cells = json.loads((result.run_dir / "notebook.ipynb").read_text(encoding="utf-8"))
        code = [c for c in cells["cells"] if c["cell_type"] == "code"]
        assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))
        pids += [
            "".join(o["text"])
            for c in code
            if "getpid" in "".join(c["source"])
            for o in c["outputs"]
        ]
    assert len(pids) == 1, pids  # sample_again's check ran and passed
    shared = outcomes["sample_again@1.0.0"].manifest["timings"]
    assert "kernel_start" not in shared  # it started no kernel of its own


def test_papermill_is_loaded_without_pyarrow_and_pyarrow_still_loads_after() -> None:
    import subprocess

    code = (
        "import sys\n"
        "from huiyan.runs import execution\n"
        "pm = execution.papermill()\n"
        "assert 'pyarrow' not in sys.modules\n"
        "import pyarrow.parquet, pandas\n"
        "from papermill.engines import papermill_engines\n"
        "assert papermill_engines.get_engine(execution.ENGINE)\n"
        "print('ok', pyarrow.parquet.__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok pyarrow.parquet"


def test_the_runner_reads_clues_and_writes_the_report_without_loading_ibis() -> None:
    """The `huiyan` process reads clues.parquet and writes the report while the notebook's
    kernel works: it must not load ibis (0.3 s) or urllib (0.08 s) to do it."""
    import subprocess

    code = (
        "import sys\n"
        "import huiyan.runs.saving, huiyan.report, huiyan.runs.workbook, huiyan.clues\n"
        "print(sorted(m for m in ('ibis', 'urllib.request') if m in sys.modules))\n"
        "print(huiyan.clues.ref.__module__)\n"  # still there for notebooks, loaded when asked
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["[]", "huiyan.rules"]
