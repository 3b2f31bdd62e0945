"""The reviewers' clue workbook (clues.xlsx): a summary sheet plus one sheet per rule.

Headers are the Chinese names of the clue schema (:data:`huiyan.clues.HEADERS_ZH`);
record lists are joined with newlines so each reference sits on its own line in
the cell. All xlsx writing lives in :func:`write_workbook`, so the review
columns of the clue ledger can be added in one place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from huiyan.clues import HEADERS_ZH, SCHEMA

SUMMARY_SHEET = "汇总 Summary"
REVIEW_COLUMNS: tuple[tuple[str, str], ...] = (
    ("review_status", "核查状态"),
    ("review_note", "核查意见"),
    ("reviewer", "核查人"),
)
"""Blank columns reviewers fill in; ``huiyan clues import`` reads them back into the ledger."""
_WIDTHS = {"summary": 60, "evidence": 48, "context": 48, "subject_id": 24, "clue_id": 24}


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, list | tuple) or (hasattr(value, "tolist") and not isinstance(value, str)):
        items = value.tolist() if hasattr(value, "tolist") else value
        return "\n".join(str(v) for v in items)
    if isinstance(value, pd.Timestamp):
        return (
            value.tz_convert("Asia/Shanghai").strftime("%Y-%m-%d %H:%M:%S")
            if value.tzinfo
            else str(value)
        )
    if isinstance(value, float) and value != value:
        return None
    return value


def write_workbook(
    clues: pd.DataFrame,
    path: Path,
    *,
    rules: Mapping[str, str] | None = None,
    facts: Sequence[tuple[str, Any]] = (),
    extra_columns: Sequence[tuple[str, str]] = REVIEW_COLUMNS,
) -> Path:
    """Write ``clues`` (the contract schema) as a reviewers' workbook at ``path``.

    Args:
        clues: the clue frame.
        path: where to write the .xlsx file.
        rules: rule code -> Chinese supervision point, for the summary sheet; rules without
            clues are listed with 0.
        facts: (label, value) lines at the top of the summary sheet (model, run, region, ...).
        extra_columns: (column, Chinese header) pairs appended to each rule sheet, blank, for
            reviewers to fill in (the clue ledger's status and note); the status column offers
            the review statuses as a drop-down list.

    Returns:
        ``path``.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from huiyan.ledger import STATUS_HEADER, STATUSES

    rules = dict(rules or {})
    counts = clues.groupby("rule").size() if len(clues) else pd.Series(dtype=int)
    codes = list(dict.fromkeys([*rules, *sorted(counts.index)]))

    wb = Workbook()
    ws = wb.active
    ws.title = SUMMARY_SHEET
    bold = Font(bold=True)
    for label, value in facts:
        ws.append([label, _cell(value)])
        ws.cell(ws.max_row, 1).font = bold
    if facts:
        ws.append([])
    ws.append(["规则编号 rule", "监督点 supervision point", "线索数 clues"])
    for c in ws[ws.max_row]:
        c.font = bold
    for code in codes:
        ws.append([code, rules.get(code, ""), int(counts.get(code, 0))])
    ws.append(["合计 total", "", len(clues)])
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 14

    columns = list(SCHEMA.names)
    headers = [HEADERS_ZH[c] for c in columns] + [zh for _, zh in extra_columns]
    wrap = Alignment(wrap_text=True, vertical="top")
    for code in codes:
        sheet = wb.create_sheet(code[:31])
        sheet.append(headers)
        for c in sheet[1]:
            c.font = bold
        subset = clues[clues.rule == code].sort_values(
            ["score", "clue_id"], ascending=[False, True]
        )
        for row in subset[columns].itertuples(index=False):
            sheet.append([_cell(v) for v in row] + [None] * len(extra_columns))
        for i, name in enumerate(columns + [c for c, _ in extra_columns], start=1):
            sheet.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(name, 14)
            if name in ("summary", "evidence", "context"):
                for cell in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell[0].alignment = wrap
        sheet.freeze_panes = "B2"
        if STATUS_HEADER in headers:
            letter = get_column_letter(headers.index(STATUS_HEADER) + 1)
            choices = DataValidation(
                type="list",
                formula1='"' + ",".join(STATUSES) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=STATUS_HEADER,
                error="请从下拉列表中选择 Choose a status from the list",
            )
            sheet.add_data_validation(choices)
            choices.add(f"{letter}2:{letter}{len(subset) + 501}")
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    wb.save(tmp)
    tmp.replace(path)
    return path
