"""Excel workbooks (.xlsx): choosing the sheet, reading merged cells, finding the table.

A workbook is read in openpyxl's streaming mode. The sheet is the one named
with ``--sheet`` (by name, or by number counting from 1); otherwise the only
sheet whose header names the dataset's columns, so a second sheet of notes or
a cover sheet is passed over. A merged cell is read as its value in every cell
it covers, as Excel shows it. Dates are ISO text; a plain number in a date
column (an Excel serial such as 44260) is read as the date it stands for.

Example:
    >>> excel_serial_date(44260.0)
    '2021-03-05'
    >>> excel_serial_date(2021) is None   # a year, not a serial
    True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

from huiyan.errors import IngestError, did_you_mean
from huiyan.ingest.header import HeaderFound, HeaderMatcher, Row, find_header, header_key
from huiyan.ingest.layout import is_blank, trailing, vocabulary

_SERIALS = (10_000, 73_415)
"""Excel serials read as dates: 1927-05-18 to 2100-12-31 (smaller numbers are more likely years)."""
_EPOCH = dt.date(1899, 12, 30)
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def excel_serial_date(value: object) -> str | None:
    """The ISO date an Excel serial number stands for, or None when it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not (_SERIALS[0] <= value <= _SERIALS[1]) or value != int(value):
        return None
    return (_EPOCH + dt.timedelta(days=int(value))).isoformat()


def cell_text(value: object) -> str | None:
    """A cell's value as the text ingest normalises."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - ord("A") + 1
    return n


def _sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name -> its XML part inside the zip."""
    with zipfile.ZipFile(path) as zf:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("p:Relationship", _NS)}
    parts: dict[str, str] = {}
    for sheet in book.findall("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        parts[sheet.get("name", "")] = part
    return parts


def merged_ranges(path: Path, part: str) -> list[tuple[int, int, int, int]]:
    """``(first_row, first_col, last_row, last_col)`` of every merged range of a sheet."""
    found: set[tuple[int, int, int, int]] = set()
    try:
        with zipfile.ZipFile(path) as zf, zf.open(part) as fh:
            carry = b""
            while chunk := fh.read(1 << 20):
                data = carry + chunk
                for m in _MERGE.finditer(data):
                    c0, r0 = _column_number(m.group(1)), int(m.group(2))
                    c1 = _column_number(m.group(3)) if m.group(3) else c0
                    r1 = int(m.group(4)) if m.group(4) else r0
                    found.add((r0, c0, r1, c1))
                carry = data[-200:]
    except (KeyError, zipfile.BadZipFile):  # no such part: read the sheet without merges
        return []
    return sorted(found)


def _rows(ws: Any, merges: Sequence[tuple[int, int, int, int]]) -> Iterator[tuple[int, list[Any]]]:
    """Every row as ``(number, values)``, merged cells filled with their value."""
    by_row: dict[int, list[tuple[int, int, int, int]]] = {}
    for r0, c0, r1, c1 in merges:
        if (r1 - r0 + 1) * (c1 - c0 + 1) > 1:
            for r in range(r0, r1 + 1):
                by_row.setdefault(r, []).append((r0, c0, r1, c1))
    values: dict[tuple[int, int, int, int], Any] = {}
    ws.reset_dimensions()  # some exporters write a wrong sheet size; read every row there is
    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = list(row)
        for span in by_row.get(number, ()):
            r0, c0, _, c1 = span
            if number == r0:
                values[span] = cells[c0 - 1] if c0 <= len(cells) else None
            if len(cells) < c1:
                cells += [None] * (c1 - len(cells))
            for c in range(c0, c1 + 1):
                if cells[c - 1] is None:
                    cells[c - 1] = values.get(span)
        yield number, cells


def _width(cells: Sequence[str | None]) -> int:
    """Up to the last non-empty cell."""
    return next((i + 1 for i in range(len(cells) - 1, -1, -1) if (cells[i] or "").strip()), 0)


@dataclass(frozen=True)
class SheetTable:
    """The table of one sheet: its header, data rows and what was skipped around them."""

    sheet: str
    sheets: int
    found: HeaderFound
    lines: list[int]
    columns: list[list[str | None]]
    blank_rows: int
    trailers: tuple[tuple[int, str], ...]


def _head(
    rows: Iterator[tuple[int, list[Any]]], count: int
) -> tuple[list[Row], list[tuple[int, list[Any]]]]:
    """The first ``count`` non-blank rows as text, and every row read so far."""
    head: list[Row] = []
    seen: list[tuple[int, list[Any]]] = []
    for number, values in rows:
        seen.append((number, values))
        texts = [cell_text(v) for v in values]
        if not is_blank(texts):
            head.append((number, texts))
            if len(head) >= count:
                break
    return head, seen


def _pick_sheet(
    book: Any, path: Path, sheet: str | None, matcher: HeaderMatcher, header_row: int | None
) -> str:
    names = list(book.sheetnames)
    if sheet is not None:
        if sheet in names:
            return sheet
        if sheet.strip().isdigit() and 1 <= int(sheet) <= len(names):
            return names[int(sheet) - 1]
        raise IngestError(
            f'没有名为 "{sheet}" 的工作表。{did_you_mean(sheet, names)}',
            f'there is no sheet called "{sheet}" (sheets may be named, or numbered from 1).',
            f"可用工作表 Sheets: {', '.join(names)}",
        )
    if len(names) == 1:
        return names[0]
    parts = _sheet_parts(path)
    wanted = max(vocabulary().header_search_rows, header_row or 0) + 1
    matching: list[str] = []
    for name in names:
        head, _ = _head(_rows(book[name], merged_ranges(path, parts.get(name, ""))), wanted)
        if not head:
            continue
        try:
            found = find_header(head, matcher, header_row=header_row)
        except IngestError:  # that row is blank in this sheet: not this sheet
            continue
        if found.is_detected and matcher.score(found.headers) >= matcher.threshold:
            matching.append(name)
    if len(matching) > 1:
        listed = "、".join(f"“{n}”" for n in matching)
        raise IngestError(
            f"工作簿中有 {len(matching)} 个工作表的表头都符合 {matcher.dataset.zh}：{listed}，"
            "无法确定导入哪一个。",
            f"{len(matching)} sheets have a header for {matcher.dataset.name}: "
            f"{', '.join(matching)}; which one is meant is unclear.",
            "请用 --sheet 指定工作表名或序号，或分别导入。 "
            "Name one with --sheet (its name or number), or ingest them one at a time.",
        )
    return matching[0] if matching else names[0]


def _header_without_copies(
    found: HeaderFound, merges: Sequence[tuple[int, int, int, int]]
) -> HeaderFound:
    """A header cell merged across columns names its first column only.

    Filling a merged cell copies its value right; in the header that would name one
    column twice, so copies that no second header row tells apart are dropped.
    """
    headers = list(found.headers)
    for r0, c0, r1, c1 in merges:
        if c1 > c0 and r0 <= found.last_row and r1 >= found.rows[0] and c0 <= len(headers):
            anchor = header_key(headers[c0 - 1])
            for c in range(c0 + 1, min(c1, len(headers)) + 1):
                if header_key(headers[c - 1]) == anchor:
                    headers[c - 1] = ""
    return dataclasses.replace(found, headers=tuple(headers))


def _data_rows(
    rows: Iterable[tuple[int, list[Any]]], found: HeaderFound, matcher: HeaderMatcher
) -> tuple[list[tuple[int, list[str | None]]], int]:
    """The rows below the header as text, and how many of them were blank."""
    dates = [
        (c := matcher.column(h)) is not None and c.type in ("date", "month") for h in found.headers
    ]
    data: list[tuple[int, list[str | None]]] = []
    blank = 0
    for number, values in rows:
        if number <= found.last_row:
            continue
        texts = [
            (excel_serial_date(v) if i < len(dates) and dates[i] else None) or cell_text(v)
            for i, v in enumerate(values)
        ]
        if is_blank(texts):
            blank += 1
        else:
            data.append((number, texts))
    return data, blank


def read_sheet(
    path: Path, *, matcher: HeaderMatcher, sheet: str | None, header_row: int | None
) -> SheetTable:
    """Read the sheet holding ``matcher``'s dataset: header found, totals and notes rows set aside."""
    import openpyxl

    handle = path.open("rb")  # a file object: openpyxl then ignores the file's extension
    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as err:  # a zip that is not a workbook, or a damaged one
        handle.close()
        raise IngestError(
            f"无法按 Excel 读取：{err}", f"cannot be read as an Excel workbook: {err}"
        ) from err
    try:
        sheets = len(book.sheetnames)
        name = _pick_sheet(book, path, sheet, matcher, header_row)
        merges = merged_ranges(path, _sheet_parts(path).get(name, ""))
        rows = _rows(book[name], merges)
        head, seen = _head(rows, max(vocabulary().header_search_rows, header_row or 0) + 1)
        if not head:
            raise IngestError(
                f"工作表“{name}”是空的。",
                f'the sheet "{name}" is empty.',
                "请重新导出 Please export it again.",
            )
        found = _header_without_copies(find_header(head, matcher, header_row=header_row), merges)
        data, blank = _data_rows(itertools.chain(seen, rows), found, matcher)
    finally:
        book.close()
        handle.close()
    ending = data[len(data) - trailing([cells for _, cells in data]) :]
    data = data[: len(data) - len(ending)]
    width = max([_width(found.headers), *(_width(c) for _, c in data)])
    columns: list[list[str | None]] = [[] for _ in range(width)]
    for _, cells in data:
        for i, column in enumerate(columns):
            column.append(cells[i] if i < len(cells) else None)
    return SheetTable(
        sheet=name,
        sheets=sheets,
        found=dataclasses.replace(found, headers=(*found.headers, *[""] * width)[:width]),
        lines=[n for n, _ in data],
        columns=columns,
        blank_rows=blank,
        trailers=tuple(
            (n, " ".join(c.strip() for c in cells if c and c.strip())) for n, cells in ending
        ),
    )
