"""What a run writes besides the notebook: the reviewers' workbook, the report charts, the manifest.

The workbook is written as SpreadsheetML by huiyan itself (fast for tens of thousands of
clues); these tests read it back with openpyxl the way reviewers' tools and
``huiyan clues import`` do. No kernel is started here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from huiyan import report
from huiyan.clues import SCHEMA, Clues
from huiyan.ledger import STATUSES
from huiyan.rules import Rule
from huiyan.runs import write_workbook
from huiyan.runs.workbook import HEADERS
from openpyxl import load_workbook

CREATED = pd.Timestamp("2026-11-29 02:30:00", tz="UTC")  # 10:30 in Beijing


def _clue(i: int, rule: str, **values: Any) -> dict[str, Any]:
    row = {
        "clue_id": f"{rule}-{i:04d}",
        "model": "judicial_auction",
        "model_version": "1.0.0",
        "rule": rule,
        "region": "330602",
        "subject_type": "auction",
        "subject_id": f"A{i}",
        "subject_name": None,
        "score": 0.5,
        "amount": None,
        "summary": "起拍价低于评估价的七成",
        "evidence": [f"judicial_auctions:A{i}"],
        "context": [],
        "created_at": CREATED,
    }
    row.update(values)
    return row


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pa.Table.from_pylist(rows, schema=SCHEMA).to_pandas()


@pytest.fixture
def clues() -> pd.DataFrame:
    return _frame(
        [
            _clue(
                1,
                "AUC-START-LOW",
                subject_name="张三",
                score=0.9,
                amount=1234.5,
                summary='竞买人<甲>&乙 "关联"\x07',
                evidence=["judicial_auctions:A1", "households:H1|P1"],
                context=["enterprise_people:E1"],
            ),
            _clue(2, "AUC-START-LOW", score=0.3),
            _clue(3, "AUC-DEPOSIT-RANGE"),
        ]
    )


def test_workbook_reads_back_with_values_headers_and_review_form(
    clues: pd.DataFrame, tmp_path: Path
) -> None:
    path = write_workbook(
        clues,
        tmp_path / "clues.xlsx",
        rules={"AUC-START-LOW": "一拍起拍价低于评估价70%", "AUC-NOTICE-SHORT": "公告期不足"},
        facts=[("模型 model", "judicial_auction"), ("区划 region", "330602")],
    )
    book = load_workbook(path)
    assert book.sheetnames == [
        "汇总 Summary",
        "AUC-START-LOW",
        "AUC-NOTICE-SHORT",
        "AUC-DEPOSIT-RANGE",
    ]
    summary = [r for r in book["汇总 Summary"].iter_rows(values_only=True)]
    # the first sheet says the workbook keeps personal data in full, and that times are Beijing's
    assert summary[0][0] == "个人信息 Personal data" and "完整的身份证号码" in summary[0][1]
    assert summary[1] == ("时间 Times", "北京时间 Beijing time (UTC+08:00)", None)
    assert ("模型 model", "judicial_auction", None) in summary
    assert ("AUC-START-LOW", "一拍起拍价低于评估价70%", 2) in summary
    assert ("AUC-NOTICE-SHORT", "公告期不足", 0) in summary  # a rule without clues says 0
    assert summary[-1] == ("合计 total", None, 3)
    assert book["汇总 Summary"]["A1"].font.b

    sheet = book["AUC-START-LOW"]
    header = [c.value for c in sheet[1]]
    assert header == [HEADERS[c] for c in SCHEMA.names] + ["核查状态", "核查意见", "核查人"]
    assert header[SCHEMA.names.index("created_at")] == "生成时间（北京时间）"
    assert all(c.font.b for c in sheet[1])
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert first["线索编号"] == "AUC-START-LOW-0001"  # strongest first
    assert (
        first["线索摘要"] == '竞买人<甲>&乙 "关联"'
    )  # escaped in XML, a control character dropped
    assert first["可疑记录"] == "judicial_auctions:A1\nhouseholds:H1|P1"
    assert first["佐证记录"] == "enterprise_people:E1"
    assert first["可疑程度"] == 0.9 and first["涉及金额（元）"] == 1234.5
    assert first["生成时间（北京时间）"] == "2026-11-29 10:30:00"
    assert first["核查状态"] is None
    second = dict(zip(header, [c.value for c in sheet[3]], strict=True))
    assert second["对象名称"] is None and second["涉及金额（元）"] is None
    assert sheet.max_row == 3
    assert sheet.cell(2, header.index("线索摘要") + 1).alignment.wrap_text
    assert sheet.freeze_panes == "B2"
    assert sheet.column_dimensions["K"].width == 60
    (choices,) = sheet.data_validations.dataValidation
    assert choices.formula1 == '"' + ",".join(STATUSES) + '"'
    assert str(choices.sqref).startswith("O2:O")


def test_workbook_reads_in_read_only_mode_as_the_ledger_does(
    clues: pd.DataFrame, tmp_path: Path
) -> None:
    path = write_workbook(clues, tmp_path / "clues.xlsx")
    book = load_workbook(path, data_only=True)
    rows = list(book["AUC-DEPOSIT-RANGE"].iter_rows(values_only=True))
    assert rows[1][0] == "AUC-DEPOSIT-RANGE-0003"
    assert len(rows) == 2


def test_workbook_of_no_clues_still_lists_the_rules(tmp_path: Path) -> None:
    path = write_workbook(_frame([]), tmp_path / "clues.xlsx", rules={"AUC-CUT-DEEP": "降价过多"})
    book = load_workbook(path)
    assert book.sheetnames == ["汇总 Summary", "AUC-CUT-DEEP"]
    assert book["AUC-CUT-DEEP"].max_row == 1


def test_many_clues_make_one_row_each(tmp_path: Path) -> None:
    frame = _frame([_clue(i, "AUC-START-LOW", score=i / 5000) for i in range(5000)])
    book = load_workbook(write_workbook(frame, tmp_path / "clues.xlsx"))
    ids = [r[0] for r in book["AUC-START-LOW"].iter_rows(min_row=2, values_only=True)]
    assert len(ids) == 5000 and len(set(ids)) == 5000
    assert ids[0] == "AUC-START-LOW-4999"


def test_report_charts_are_inline_svg_with_chinese_labels(clues: pd.DataFrame) -> None:
    rule = Rule(
        code="AUC-START-LOW",
        model="judicial_auction",
        zh="一拍起拍价低于评估价70%",
        basis="",
        subject_type="auction",
        summary="",
    )
    shown = report.charts(Clues(clues, (rule,)), months=False)
    assert shown is not None
    page = shown._repr_html_()
    assert "一拍起拍价低于评估价70%" in page and "AUC-DEPOSIT-RANGE" in page and "330602" in page
    assert "<img" not in page and page.count("<svg") == 3  # two rules, one county
    assert "AUC-START-LOW: 2" in repr(shown)
    assert report.charts(_frame([])) is None
