"""The reviewers' clue workbook (clues.xlsx): a summary sheet plus one sheet per rule.

Headers are the Chinese names of the clue schema (:data:`huiyan.clues.HEADERS_ZH`);
record lists are joined with newlines so each reference sits on its own line in
the cell; times are Beijing time, and the header says so.

The workbook stays in the county's case system: unlike report.html it keeps resident
ID and phone numbers in full, for the reviewers' work, and its first sheet says so
(:data:`PERSONAL_DATA_NOTE`). All xlsx writing lives in :func:`write_workbook`, so the review
columns of the clue ledger can be added in one place.

The file is written as SpreadsheetML text streamed into the zip, column by column
values prepared once, rather than through openpyxl's cell objects: a province run
has tens of thousands of clues, and openpyxl takes minutes for them where this
takes seconds. The result is an ordinary workbook (bold headers, wrapped text,
frozen header row, column widths, the review status drop-down) that Excel, WPS and
openpyxl read.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from html import escape as _html_escape
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from huiyan.clues import HEADERS_ZH, SCHEMA
from huiyan.display import BEIJING, BEIJING_LABEL, BEIJING_ZH, texts


def escape(text: str) -> str:
    """``text`` for XML character data: ``&``, ``<`` and ``>`` escaped (as xml.sax.saxutils,
    whose import pulls in urllib and http.client: 0.08 s of every run)."""
    return _html_escape(text, quote=False)


def quoteattr(text: str) -> str:
    """``text`` as a double-quoted XML attribute value."""
    return '"' + _html_escape(text, quote=False).replace('"', "&quot;") + '"'


SUMMARY_SHEET = "汇总 Summary"
PERSONAL_DATA_NOTE = (
    "本工作簿含完整的身份证号码、电话号码等个人信息，供核查使用，仅限本院案件系统内保存，请勿外传；"
    "可转发的是已隐去个人信息的 report.html。"
    "This workbook holds full resident ID and phone numbers for the reviewers' work: keep it "
    "in the case system and do not forward it; report.html (masked) is the one to forward."
)
"""The first line of the summary sheet."""
HEADERS = {**HEADERS_ZH, "created_at": f"{HEADERS_ZH['created_at']}（{BEIJING_ZH}）"}
"""The rule sheets' headers: the schema's Chinese names, the time column saying its zone."""
REVIEW_COLUMNS: tuple[tuple[str, str], ...] = (
    ("review_status", "核查状态"),
    ("review_note", "核查意见"),
    ("reviewer", "核查人"),
)
"""Blank columns reviewers fill in; ``huiyan clues import`` reads them back into the ledger."""
_WIDTHS = {"summary": 60, "evidence": 48, "context": 48, "subject_id": 24, "clue_id": 24}
_WRAPPED = ("summary", "evidence", "context")
_DROPDOWN_SPARE_ROWS = 500
"""The status drop-down reaches this many rows past the last clue, for rows reviewers add."""
_MAX_CELL = 32767  # Excel's limit on the characters of one cell
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# cell styles (cellXfs): 0 plain, 1 bold, 2 wrapped and top-aligned
_PLAIN, _BOLD, _WRAP = 0, 1, 2


def _text(value: Any) -> str:
    text = str(value)
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    return escape(text[:_MAX_CELL])


def _cell(value: Any) -> Any:
    """One value as the workbook shows it: lists one per line, times in Beijing time."""
    if value is None:
        return None
    if isinstance(value, list | tuple) or (hasattr(value, "tolist") and not isinstance(value, str)):
        return "\n".join(texts(value))
    if isinstance(value, pd.Timestamp):
        return (
            value.tz_convert(BEIJING).strftime("%Y-%m-%d %H:%M:%S") if value.tzinfo else str(value)
        )
    if isinstance(value, float) and value != value:
        return None
    return value


_SPECIAL = re.compile(f"[&<>{_ILLEGAL.pattern[1:-1]}]")
"""What a text cell needs changed: XML's &, < and >, and characters Excel refuses."""


def _lines(value: Any) -> str | None:
    """A list of record references, one per line (a list read from parquet is a NumPy array)."""
    return None if value is None else "\n".join(texts(value))


def _column(values: pd.Series) -> tuple[bool, list[Any]]:
    """A whole column as workbook values, converted in one pass: (is_text, values).

    Text comes back XML-escaped (and cut to Excel's cell limit); a blank is None. The values
    are those of :func:`_cell`, worked out per column rather than per cell: the escaping is
    done only where a value needs it (most need none).
    """
    if pd.api.types.is_float_dtype(values.dtype) or pd.api.types.is_integer_dtype(values.dtype):
        return False, [None if v != v else v for v in values.tolist()]
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        times = values.unique()  # a run's clues share one creation time: formatted once
        shown = pd.Series(times).dt.tz_convert(BEIJING).dt.strftime("%Y-%m-%d %H:%M:%S")
        text = values.map(dict(zip(times, shown.tolist(), strict=True))).tolist()
    elif isinstance(values.dtype, pd.StringDtype):
        text = values.tolist()
    else:
        raw = values.tolist()
        if all(v is None or isinstance(v, list | np.ndarray) for v in raw):
            text = [_lines(v) for v in raw]  # record lists (evidence, context)
        else:
            text = [_cell(v) for v in raw]
            if not all(v is None or isinstance(v, str) for v in text):
                return True, [None if v is None else _text(v) for v in text]
    texts = [v if isinstance(v, str) else None for v in text]
    present = [v for v in texts if v]
    if present and (
        max(map(len, present)) > _MAX_CELL or _SPECIAL.search("\n".join(present))
    ):  # some value needs escaping or cutting: each is looked at
        texts = [
            v if v is None or (len(v) <= _MAX_CELL and not _SPECIAL.search(v)) else _text(v)
            for v in texts
        ]
    return True, texts


def _cells(
    letter: str, first_row: int, values: Sequence[Any], style: int, *, text: bool
) -> list[str]:
    """The SpreadsheetML cells of one column from row ``first_row`` down ("" for a blank cell).

    ``text`` values must be XML-escaped already (see :func:`_column`).
    """
    s = f' s="{style}"' if style else ""
    if text:
        return [
            ""
            if not v  # None or an empty text: a blank cell
            else f'<c r="{letter}{row}" t="inlineStr"{s}><is><t xml:space="preserve">{v}</t></is></c>'
            for row, v in enumerate(values, start=first_row)
        ]
    inf = (float("inf"), float("-inf"))
    return [
        f'<c r="{letter}{row}"{s}><v>{v!r}</v></c>'
        if v is not None and v == v and v not in inf
        else ""
        for row, v in enumerate(values, start=first_row)
    ]


def _letter(index: int) -> str:
    """The column letter of a 1-based column index (1 -> A, 27 -> AA)."""
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _row(number: int, values: Sequence[Any], styles: Sequence[int]) -> str:
    cells = []
    for i, (value, style) in enumerate(zip(values, styles, strict=True), start=1):
        text = value is not None and not isinstance(value, int | float)
        shown = _text(value) if text else value
        cells.append(_cells(_letter(i), number, [shown], style, text=text)[0])
    return f'<row r="{number}">{"".join(cells)}</row>'


class _Sheet:
    """One worksheet: rows, column widths, frozen panes and drop-down lists."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rows: list[str] = []
        self.widths: dict[int, float] = {}
        self.freeze: str | None = None
        self.validations: list[str] = []
        self.columns = 1

    def append(self, values: Sequence[Any], styles: Sequence[int] | int = _PLAIN) -> None:
        if isinstance(styles, int):
            styles = [styles] * len(values)
        self.columns = max(self.columns, len(values))
        self.rows.append(_row(len(self.rows) + 1, values, styles))

    def extend(self, columns: Sequence[tuple[bool, list[Any]]], styles: Sequence[int]) -> None:
        """Append many rows given column by column, as :func:`_column` returns them."""
        first = len(self.rows) + 1
        self.columns = max(self.columns, len(columns))
        cells = [
            _cells(_letter(i), first, values, style, text=text)
            for i, ((text, values), style) in enumerate(zip(columns, styles, strict=True), start=1)
        ]
        self.rows.extend(
            f'<row r="{n}">{"".join(row)}</row>'
            for n, row in enumerate(zip(*cells, strict=True), start=first)
        )

    def xml(self) -> Iterable[str]:
        yield (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<dimension ref="A1:{_letter(self.columns)}{max(len(self.rows), 1)}"/>'
        )
        if self.freeze:
            col = int(self.freeze[0] != "A")
            row = int(re.sub(r"\D", "", self.freeze)) - 1
            split = (f' xSplit="{col}"' if col else "") + (f' ySplit="{row}"' if row else "")
            yield (
                '<sheetViews><sheetView workbookViewId="0">'
                f'<pane{split} topLeftCell="{self.freeze}" activePane="bottomRight" state="frozen"/>'
                '<selection pane="bottomRight"/></sheetView></sheetViews>'
            )
        if self.widths:
            cols = "".join(
                f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                for i, w in sorted(self.widths.items())
            )
            yield f"<cols>{cols}</cols>"
        yield "<sheetData>"
        yield from self.rows
        yield "</sheetData>"
        if self.validations:
            yield f'<dataValidations count="{len(self.validations)}">'
            yield from self.validations
            yield "</dataValidations>"
        yield '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
        yield "</worksheet>"


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
    from huiyan.ledger import STATUS_HEADER, STATUSES

    rules = dict(rules or {})
    counts = clues.groupby("rule").size() if len(clues) else pd.Series(dtype=int)
    codes = list(dict.fromkeys([*rules, *sorted(counts.index)]))

    summary = _Sheet(SUMMARY_SHEET)
    summary.append(["个人信息 Personal data", PERSONAL_DATA_NOTE], [_BOLD, _WRAP])
    summary.append(["时间 Times", BEIJING_LABEL], [_BOLD, _PLAIN])
    for label, value in facts:
        summary.append([label, _cell(value)], [_BOLD, _PLAIN])
    summary.append([])
    summary.append(["规则编号 rule", "监督点 supervision point", "线索数 clues"], _BOLD)
    for code in codes:
        summary.append([code, rules.get(code, ""), int(counts.get(code, 0))])
    summary.append(["合计 total", "", len(clues)])
    summary.widths = {1: 28, 2: 60, 3: 14}
    sheets = [summary]

    columns = list(SCHEMA.names)
    names = columns + [c for c, _ in extra_columns]
    headers = [HEADERS[c] for c in columns] + [zh for _, zh in extra_columns]
    styles = [_WRAP if name in _WRAPPED else _PLAIN for name in names]
    # every column converted once, the rows in sheet order: by rule, the strongest first
    ordered = clues.sort_values(["rule", "score", "clue_id"], ascending=[True, False, True])
    converted = [_column(ordered[c]) for c in columns]
    rule_of = ordered["rule"].tolist()
    where = {
        code: (rule_of.index(code), len(rule_of) - rule_of[::-1].index(code))
        for code in counts.index
    }
    for code in codes:
        sheet = _Sheet(code[:31])
        sheet.append(headers, _BOLD)
        start, end = where.get(code, (0, 0))
        blank = [None] * (end - start)
        sheet.extend(
            [
                *((text, values[start:end]) for text, values in converted),
                *((True, blank) for _ in extra_columns),
            ],
            styles,
        )
        sheet.widths = {i: _WIDTHS.get(name, 14) for i, name in enumerate(names, start=1)}
        sheet.freeze = "B2"
        if STATUS_HEADER in headers:
            letter = _letter(headers.index(STATUS_HEADER) + 1)
            last = end - start + 1 + _DROPDOWN_SPARE_ROWS
            sheet.validations.append(
                '<dataValidation type="list" allowBlank="1" showErrorMessage="1" '
                f"errorTitle={quoteattr(STATUS_HEADER)} "
                f"error={quoteattr('请从下拉列表中选择 Choose a status from the list')} "
                f'sqref="{letter}2:{letter}{last}">'
                f"<formula1>{escape(chr(34) + ','.join(STATUSES) + chr(34))}</formula1>"
                "</dataValidation>"
            )
        sheets.append(sheet)

    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    _save(tmp, sheets)
    tmp.replace(path)
    return path


_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _save(path: Path, sheets: Sequence[_Sheet]) -> None:
    """Write the sheets as an .xlsx package (zip) at ``path``."""
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{main}.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{main}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{main}.styles+xml"/>'
        f"{overrides}</Types>"
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    book = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{rel}"><bookViews><workbookView activeTab="0"/></bookViews><sheets>'
        + "".join(
            f'<sheet name={quoteattr(s.name)} sheetId="{i}" r:id="rId{i}"/>'
            for i, s in enumerate(sheets, start=1)
        )
        + "</sheets></workbook>"
    )
    book_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        + f'<Relationship Id="rId{len(sheets) + 1}" Type="{rel}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", content_types)
        zf.writestr("_rels/.rels", root_rels)
        zf.writestr("xl/workbook.xml", book)
        zf.writestr("xl/_rels/workbook.xml.rels", book_rels)
        zf.writestr("xl/styles.xml", _STYLES)
        for i, sheet in enumerate(sheets, start=1):
            _stream(zf, f"xl/worksheets/sheet{i}.xml", sheet.xml())


def _stream(zf: zipfile.ZipFile, name: str, parts: Iterable[str]) -> None:
    """Write one zip member from text parts without holding it whole in memory."""
    write: Callable[[bytes], Any]
    with zf.open(name, "w") as out:
        write = out.write
        buffer: list[str] = []
        size = 0
        for part in parts:
            buffer.append(part)
            size += len(part)
            if size > 1 << 20:
                write("".join(buffer).encode("utf-8"))
                buffer, size = [], 0
        write("".join(buffer).encode("utf-8"))
