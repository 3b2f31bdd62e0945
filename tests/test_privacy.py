"""No personal data and no outputs in committed notebooks; the scanner finds pasted records."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from huiyan import privacy
from huiyan.identifiers import credit_code_check_digit
from huiyan.workspace import REPO_ROOT


def _luhn_complete(body: str) -> str:
    for d in "0123456789":
        if privacy._luhn(body + d):
            return body + d
    raise AssertionError("unreachable")


def _tracked_notebooks() -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "*.ipynb"], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    return [REPO_ROOT / line for line in out.stdout.splitlines() if line]


@pytest.mark.parametrize("notebook", _tracked_notebooks(), ids=lambda p: p.name)
def test_committed_notebook_has_no_outputs_or_personal_data(notebook: Path) -> None:
    assert not privacy.has_outputs(notebook), f"{notebook} carries outputs: strip them"
    findings = privacy.scan(privacy.notebook_sources(notebook))
    assert not findings, f"{notebook}: {findings}"


@pytest.mark.parametrize(
    "text, kind",
    [
        ("当事人身份证号 330602198001011237", "resident_id"),
        ("x = '11010519491231002x'", "resident_id"),
        ("电话：13905751234", "phone"),
        ("收款账号" + _luhn_complete("622202020011223344"), "bank_card"),
        (
            "信用代码 91330602MA2B3C4D5" + credit_code_check_digit("91330602MA2B3C4D5"),
            "credit_code",
        ),
    ],
    ids=["resident-id", "lower-x", "phone", "bank-card", "credit-code"],
)
def test_scanner_finds_pasted_records(text: str, kind: str) -> None:
    assert [f.kind for f in privacy.scan(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    ["330602198001011230", "min_suits = 3\nmining_value = 100000", "region = '330602'"],
    ids=["bad-check-digit", "thresholds", "region-code"],
)
def test_scanner_ignores_numbers_that_are_not_personal(text: str) -> None:
    assert privacy.scan(text) == []
