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


# -- masking for reports (huiyan.privacy.mask): the one place the rule lives ------------------


@pytest.mark.parametrize(
    "text, shown",
    [
        ("原告（身份证330602198001011237）", "原告（身份证3306**********1237）"),
        ("x = 11010519491231002x", "x = 1101**********002x"),
        ("social_security:330602198001011237|91330602MA2B3C4D5E|2019-01", "social_security:3306**********1237|91330602MA2B3C4D5E|2019-01"),
        ("旧证号330602800101123", "旧证号3306*******1123"),
        ("电话：13905751234。", "电话：139****1234。"),
        ("+86 13905751234 / 8613905751234", "+86 139****1234 / 86139****1234"),
        ("报案电话0575-88123456", "报案电话0575-****3456"),
        ("IDs 330602198001011237,110105194912310021", "IDs 3306**********1237,1101**********0021"),
        ("ID330602198001011237", "ID3306**********1237"),  # glued, but an ID beyond doubt
    ],
    ids=["id", "lower-x", "record-ref", "old-id", "mobile", "country-code", "landline",
         "two-in-a-row", "glued-id"],
)  # fmt: skip
def test_report_masking_hides_ids_and_phones(text: str, shown: str) -> None:
    assert privacy.mask(text) == shown


@pytest.mark.parametrize(
    "text",
    [
        "赔案 APAC202233060200000049",  # a claim number holding 18 digits
        "judgments:3306022022000028",  # a 16-digit document id
        "金额 1142700.0 元，日期 20210305",
        "信用代码 91330602MA2B3C4D5E",
        "（2022）浙0602民初491号",
        "流水号LB000003920",
        "region = '330602'",
    ],
    ids=["claim-no", "doc-id", "amount-date", "credit-code", "case-no", "serial", "region"],
)
def test_report_masking_leaves_other_numbers_alone(text: str) -> None:
    assert privacy.mask(text) == text


def test_mask_all_and_html_keep_what_is_not_text() -> None:
    texts = ["电话13905751234", None, "", "无"]
    assert privacy.mask_all(texts) == ["电话139****1234", None, "", "无"]
    picture = "<img src='data:image/png;base64,iVBOR13905751234AAA330602198001011237='>"
    page = f"<td>330602198001011237</td>{picture}"
    assert privacy.mask_html(page) == f"<td>3306**********1237</td>{picture}"
