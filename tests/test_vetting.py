"""Vetting: the checklist names each defect of a model copy; the record is the only vetting status.

The defect tests build broken copies of the shipped judicial_auction notebook in
tmp_path and point the catalog at them ($HUIYAN_MODEL_PATH). A notebook that fails
a static check is not run, so they are fast; the passing vet of the shipped model
(a real run on the tiny province) is in tests/test_sharing.py, which exports it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import county_model as county
import huiyan
import pytest
from huiyan import audit, catalog, vetting
from huiyan.cli import main
from huiyan.vetting import trial
from huiyan.workspace import REPO_ROOT, Workspace

SHIPPED = REPO_ROOT / "notebooks" / "judicial_auction.ipynb"
PASTED_ID = "330602198001011237"  # a resident ID with a valid check digit (tests/test_privacy.py)

Edit = Callable[[dict[str, Any]], None]


def huiyan_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["-q", *argv])
    return code, out.getvalue(), err.getvalue()


def write_copy(folder: Path, edit: Edit | None = None) -> Path:
    """A copy of the shipped judicial_auction notebook in ``folder``, changed by ``edit``."""
    nb = json.loads(SHIPPED.read_text(encoding="utf-8"))
    if edit is not None:
        edit(nb)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SHIPPED.name
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _code_cell(nb: dict[str, Any], n: int = 1) -> dict[str, Any]:
    """The n-th code cell after the parameters cell."""
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    return cells[n]


def _drop_legal_basis(nb: dict[str, Any]) -> None:
    del nb["metadata"]["huiyan"]["legal_basis"]


def _leave_output(nb: dict[str, Any]) -> None:
    cell = _code_cell(nb)
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["293\n"]}]
    cell["execution_count"] = 3


def _paste_id(nb: dict[str, Any]) -> None:
    cell = _code_cell(nb)
    source = "".join(cell["source"])
    cell["source"] = source + f"\n# 核对：买受人身份证 {PASTED_ID}"


def _unknown_rule(nb: dict[str, Any]) -> None:
    nb["metadata"]["huiyan"]["rules"].append("AUC-START-LOWW")


def _card_default_differs(nb: dict[str, Any]) -> None:
    nb["metadata"]["huiyan"]["parameters"]["max_cut"]["default"] = 0.25


@pytest.fixture
def home(tmp_path: Path) -> Workspace:
    return huiyan.workspace(tmp_path / "home")


@pytest.fixture
def models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the catalog reads model notebooks from, for this test."""
    folder = tmp_path / "models"
    folder.mkdir()
    monkeypatch.setenv("HUIYAN_MODEL_PATH", str(folder))
    return folder


@pytest.mark.parametrize(
    "edit, failed, expected",
    [
        (_drop_legal_basis, "card", "legal_basis"),
        (_leave_output, "outputs", "carry outputs or execution counts"),
        (_paste_id, "privacy", "身份证号码 330***********1237"),
        (_unknown_rule, "rules", '"AUC-START-LOWW"'),
        (_card_default_differs, "parameters", "max_cut"),
    ],
    ids=[
        "missing-card-field",
        "output-left-in",
        "id-number-pasted",
        "unknown-rule-code",
        "card-default-differs",
    ],
)
def test_each_defect_fails_its_own_checklist_line(
    home: Workspace, models: Path, edit: Edit, failed: str, expected: str
) -> None:
    write_copy(models, edit)
    outcome = vetting.vet("judicial_auction", ws=home)
    assert not outcome.passed
    assert [c.key for c in outcome.failed] == [failed]
    assert expected in "\n".join(outcome.check(failed).why)
    assert outcome.check("run").ok is None  # not run while a static check fails
    assert outcome.record is None and vetting.records(home) == []
    assert catalog.get("judicial_auction", home).vetting_status == vetting.UNVETTED


def test_the_unknown_rule_line_suggests_the_nearest_code(home: Workspace, models: Path) -> None:
    write_copy(models, _unknown_rule)
    why = "\n".join(vetting.vet("judicial_auction", ws=home).check("rules").why)
    assert 'Did you mean "AUC-START-LOW"' in why


def test_vet_command_prints_the_checklist_and_fails(home: Workspace, models: Path) -> None:
    write_copy(models, _paste_id)
    code, out, _ = huiyan_cli("--home", str(home.home), "vet", "judicial_auction")
    assert code == 1
    assert (
        "✗ 笔记本和标注样本不含个人信息 no personal data in the notebook or labels: 未通过 FAILED"
        in out
    )
    assert "✓ 模型卡完整 the card is complete: 通过 passed" in out
    assert "- 在合成小省上运行成功 runs on the tiny synthetic province: 跳过 skipped" in out
    assert PASTED_ID not in out  # the checklist itself does not repeat the number
    entry = audit.entries(home, action="vet")[-1]
    assert (entry["model"], entry["passed"], entry["failed"]) == (
        "judicial_auction",
        False,
        ["privacy"],
    )


def test_a_notebook_cannot_declare_itself_vetted(home: Workspace, models: Path) -> None:
    def claim(nb: dict[str, Any]) -> None:
        nb["metadata"]["huiyan"]["vetting"] = {"status": "已审核"}

    write_copy(models, claim)
    assert catalog.get("judicial_auction", home).vetting_status == vetting.UNVETTED


def test_a_record_counts_only_while_the_notebook_is_unchanged(
    home: Workspace, models: Path
) -> None:
    path = write_copy(models)
    card = catalog.get("judicial_auction", home)
    vetting.add_record(
        home,
        {
            "model": card.name,
            "version": card.version,
            "notebook_sha256": vetting.notebook_sha256(card),
        },
    )
    assert catalog.get("judicial_auction", home).vetting_status == vetting.VETTED
    path.write_text(path.read_text(encoding="utf-8").replace("公告期", "公告期 "), encoding="utf-8")
    assert catalog.get("judicial_auction", home).vetting_status == vetting.EDITED


def test_province_wide_run_refuses_an_unvetted_model(
    auction_home: Path, sample_model: Path
) -> None:
    code, _, err = huiyan_cli("--home", str(auction_home), "run", "sample_auction", "--each-county")
    assert code == 2
    assert "未经审核" in err and "huiyan vet sample_auction@1.0.0" in err
    assert "--allow-unvetted" in err
    assert not (auction_home / "runs").exists()  # refused before any county ran


@pytest.mark.slow
def test_a_model_below_its_quality_bar_is_not_vetted(home: Workspace, models: Path) -> None:
    def loosen(nb: dict[str, Any]) -> None:  # a start price of 60% no longer counts as too low
        nb["metadata"]["huiyan"]["parameters"]["min_start_ratio"]["default"] = 0.6
        cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
        cell["source"] = "".join(cell["source"]).replace(
            "min_start_ratio = 0.7", "min_start_ratio = 0.6"
        )

    write_copy(models, loosen)
    outcome = vetting.vet("judicial_auction", ws=home)
    assert [c.key for c in outcome.failed] == ["quality"]
    assert outcome.check("run").ok and outcome.check("reported").ok
    lines = outcome.check("quality").why
    low = [line for line in lines if line.startswith("AUC-START-LOW:")]
    assert low and "召回率 recall" in low[0] and "✗" in low[0]
    assert not any("✗" in line for line in lines if not line.startswith("AUC-START-LOW:"))
    assert outcome.record is None
    # the tiny province is kept for the next vet, generated by this huiyan version and seed
    marker = json.loads((home.home / ".vetting" / "tiny" / "synth.json").read_text())
    assert marker == {"scale": "tiny", "seed": vetting.TINY_SEED, "huiyan": huiyan.__version__}


# ----------------------------------------------------------------------------- a county's notebook model


@pytest.fixture
def county_model(home: Workspace, monkeypatch: pytest.MonkeyPatch) -> Path:
    """fishing_ban in the workspace's own notebooks/: its rule written in a notebook cell."""
    from huiyan import templates

    monkeypatch.delenv("HUIYAN_MODEL_PATH", raising=False)
    created = templates.new_model(county.NAME, ws=home)
    county.write_rule(created.notebook)
    return created.notebook


def _edit_card(notebook: Path, **changes: Any) -> None:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    nb["metadata"]["huiyan"].update(changes)
    notebook.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")


def test_a_notebook_rule_listed_without_its_meaning_fails_the_rules_line(
    home: Workspace, county_model: Path
) -> None:
    _edit_card(county_model, rules=[county.CODE])  # the old list form: no zh, no basis
    outcome = vetting.vet(county.NAME, ws=home)
    assert [c.key for c in outcome.failed] == ["rules"]
    why = "\n".join(outcome.check("rules").why)
    assert f'rule "{county.CODE}" has no zh and basis on the card' in why
    assert f"{county.CODE}: {{zh: 监督点, basis: 法律依据}}" in why


def test_a_code_another_model_uses_for_something_else_is_refused(
    home: Workspace, county_model: Path
) -> None:
    _edit_card(county_model, rules={"AUC-START-LOW": {"zh": "渔具违法", "basis": "刑法"}})
    why = "\n".join(vetting.vet(county.NAME, ws=home).check("rules").why)
    assert "AUC-START-LOW 已被模型 judicial_auction 用于" in why


def test_the_labelled_sample_names_its_bad_rows(home: Workspace, county_model: Path) -> None:
    labels = county_model.with_name(f"{county.NAME}.labels.csv")
    labels.write_text(
        f"记录,规则,是否线索\n{county.PLANTED},{county.CODE},是\n{county.LAWFUL},{county.CODE},也许\n"
        f"no-colon,{county.CODE},否\n",
        encoding="utf-8",
    )
    outcome = vetting.vet(county.NAME, ws=home)
    assert [c.key for c in outcome.failed] == ["labels"]
    why = "\n".join(outcome.check("labels").why)
    assert "第 3 行 row 3" in why and '"也许"' in why and "第 4 行 row 4" in why
    assert "第 2 行" not in why


def test_personal_data_in_the_labelled_sample_is_refused(
    home: Workspace, county_model: Path
) -> None:
    labels = county_model.with_name(f"{county.NAME}.labels.csv")
    labels.write_text(f"record,rule,expected\nsocial_security:{PASTED_ID}|X,{county.CODE},yes\n")
    outcome = vetting.vet(county.NAME, ws=home)
    assert [c.key for c in outcome.failed] == ["privacy"]
    assert "标注样本第 2 行有身份证号码 330***********1237" in "\n".join(
        outcome.check("privacy").why
    )


def test_an_edit_to_the_labelled_sample_cancels_the_vetting(
    home: Workspace, county_model: Path
) -> None:
    labels = county_model.with_name(f"{county.NAME}.labels.csv")
    labels.write_text(county.LABELS, encoding="utf-8")
    card = catalog.get(county.NAME, home)
    vetting.add_record(
        home,
        {"model": card.name, "version": card.version, "notebook_sha256": vetting.notebook_sha256(card),
         "labels_sha256": vetting.labels_sha256(card)},
    )  # fmt: skip
    assert catalog.get(county.NAME, home).vetting_status == vetting.VETTED
    labels.write_text(county.LABELS.replace(",no\n", ",yes\n"), encoding="utf-8")
    assert catalog.get(county.NAME, home).vetting_status == vetting.EDITED


# ----------------------------------------------------------------------------- the run checks, one by one


def _card(**rules: dict[str, str]) -> catalog.ModelCard:
    meta = {"name": county.NAME, "version": "0.1.0", "datasets": ["admin_penalties"], "rules": rules,
            "quality_bar": {"precision": 0.9, "recall": 0.95}}  # fmt: skip
    return catalog.ModelCard.from_metadata(meta)


def test_a_rule_without_planted_truth_or_labels_is_not_measured_and_does_not_fail(
    tiny_workspace: Workspace,
) -> None:
    import pandas as pd

    card = _card(**{county.CODE: {"zh": county.ZH, "basis": county.BASIS}})
    frame = pd.DataFrame({"rule": [county.CODE], "evidence": [[county.PLANTED]]})
    line, scores = trial.quality_check(card, frame, tiny_workspace, None)
    assert line.ok is True
    assert f"{county.CODE}: 未评估 not measured" in "\n".join(line.why)
    assert scores[county.CODE] == {"measured": "not measured", "precision": None, "recall": None}


def test_a_rule_below_the_bar_on_its_labels_fails(
    tiny_workspace: Workspace, tmp_path: Path
) -> None:
    import pandas as pd

    notebook = _notebook_with_labels(tmp_path, county.LABELS.replace(",no\n", ",yes\n"))
    card = dataclasses.replace(
        _card(**{county.CODE: {"zh": county.ZH, "basis": county.BASIS}}), notebook=notebook
    )
    frame = pd.DataFrame({"rule": [county.CODE], "evidence": [[county.PLANTED]]})
    line, scores = trial.quality_check(card, frame, tiny_workspace, (frame, "labels vs a run"))
    assert line.ok is False  # two records should be flagged, one is: recall 0.5
    assert scores[county.CODE]["recall"] == 0.5 and scores[county.CODE]["measured"] == "labels"
    assert any("R=0.50 对照标注样本 vs labels" in w and "✗" in w for w in line.why)


def _notebook_with_labels(folder: Path, labels: str) -> Path:
    notebook = folder / f"{county.NAME}.ipynb"
    notebook.write_text("{}")
    (folder / f"{county.NAME}.labels.csv").write_text(labels, encoding="utf-8")
    return notebook


def test_lineage_outside_the_contract_or_the_card_fails(tiny_workspace: Workspace) -> None:
    card = _card(**{county.CODE: {"zh": county.ZH, "basis": county.BASIS}})
    lineage = {
        county.CODE: {
            "tables": {
                "admin_penalties": ["case_id", "fine", "boat_licence"],
                "criminal_cases": ["suspect_id"],
                "my_notes": ["x"],
            }
        }
    }
    why = "\n".join(trial.contract_check(card, lineage, tiny_workspace).why)
    assert "boat_licence" in why and "不在数据契约中" in why
    assert "读取的表 my_notes 不是数据契约中的数据集" in why
    assert "规则读取了数据集 criminal_cases，但模型卡 datasets 没有列出" in why


def test_two_runs_with_different_clue_ids_are_not_deterministic(tmp_path: Path) -> None:
    import pandas as pd

    runs = []
    for n, ids in enumerate((["A-1", "A-2"], ["A-1", "A-3"])):
        folder = tmp_path / str(n)
        folder.mkdir()
        pd.DataFrame({"clue_id": ids}).to_parquet(folder / "clues.parquet")
        runs.append(SimpleNamespace(run_dir=folder, status="succeeded", manifest={}))
    line = trial.deterministic_check(*runs)
    assert line.ok is False and "A-2" in line.why[0] and "A-3" in line.why[1]


def test_the_notebook_and_the_card_must_document_a_rule_alike() -> None:
    card = _card(**{county.CODE: {"zh": county.ZH, "basis": county.BASIS}})
    own = {county.CODE: {"zh": county.ZH, "basis": "《刑法》第三百四十一条"}}
    line = trial.reported_check(card, {"clues_by_rule": {county.CODE: 1}}, own)
    assert line.ok is False and "法律依据 basis在笔记本" in "\n".join(line.why)
    assert trial.reported_check(card, {}, {}).ok is True


def _province(tiny_workspace: Workspace, tmp_path: Path) -> Workspace:
    """A copy of the tiny province (two counties) to run in."""
    import shutil

    home = tmp_path / "province"
    shutil.copytree(
        tiny_workspace.home / "datasets",
        home / "datasets",
        ignore=shutil.ignore_patterns("leases", ".writer.*"),
    )
    return huiyan.workspace(home)


def _county_line(tiny_workspace: Workspace, tmp_path: Path, model: str, **claim: bool) -> Any:
    """The county_local line for ``model`` (its card changed by ``claim``) on a copy of the
    tiny province: every county in one run, then each county alone."""
    ws = _province(tiny_workspace, tmp_path)
    card = dataclasses.replace(catalog.get(model, ws), **claim)
    return trial.county_check(card, ws)


def test_a_card_claiming_county_local_rules_that_compare_counties_fails(
    tiny_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a county's own rule that compares each penalty with the average fine of every penalty
    # it is given, without keeping the counties apart (huiyan.counties.by_county)
    from huiyan import templates

    monkeypatch.delenv("HUIYAN_MODEL_PATH", raising=False)
    ws = _province(tiny_workspace, tmp_path)
    notebook = templates.new_model(county.NAME, ws=ws).notebook
    county.write_rule(notebook)
    text = notebook.read_text(encoding="utf-8")
    lawful = "penalties.violation.isin(violations) & ~penalties.transferred & (penalties.fine >= min_fine)"
    assert lawful in text
    notebook.write_text(
        text.replace(lawful, "penalties.fine > penalties.fine.mean()"), encoding="utf-8"
    )
    card = dataclasses.replace(catalog.get(county.NAME, ws), county_local=True)
    line = trial.county_check(card, ws)
    why = "\n".join(line.why)
    assert line.ok is False, why
    assert county.CODE in why and "by_county" in why and "county_local" in why


@pytest.mark.parametrize(  # judicial_auction: every vet above; the other two: test_each_county.py
    "model", ["insurance_fraud", "forest_subsidy"]
)
def test_every_shipped_model_keeps_the_counties_apart_when_run_for_each(
    tiny_workspace: Workspace, tmp_path: Path, model: str
) -> None:
    # each county's clues from one run of every county are those of that county run alone
    assert catalog.get(model, huiyan.workspace(tiny_workspace.home)).county_local
    line = _county_line(tiny_workspace, tmp_path, model)
    assert line.ok is True, line.why
