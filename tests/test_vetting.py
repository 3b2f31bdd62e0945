"""Vetting: the checklist names each defect of a model copy; the record is the only vetting status.

The defect tests build broken copies of the shipped judicial_auction notebook in
tmp_path and point the catalog at them ($HUIYAN_MODEL_PATH). A notebook that fails
a static check is not run, so they are fast; the passing vet of the shipped model
(a real run on the tiny province) is in tests/test_sharing.py, which exports it.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import huiyan
import pytest
from huiyan import audit, catalog, vetting
from huiyan.cli import main
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
    assert "✗ 笔记本不含个人信息 no personal data in the notebook: 未通过 FAILED" in out
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
