"""Reading agency export files (CSV, Excel, Parquet) into all-VARCHAR DuckDB staging tables.

The format comes from the file's content, never its name: a zip (``PK``) is an
Excel workbook, ``PAR1`` is Parquet, anything else is read as CSV text (see
:mod:`huiyan.ingest.csv_text`; workbooks: :mod:`huiyan.ingest.workbook`). The
header is found among the first rows (:mod:`huiyan.ingest.header`); title rows
above it and totals or notes rows after the data (:mod:`huiyan.ingest.layout`)
are skipped and counted in the file's :class:`~huiyan.ingest.report.Layout`.

Every staged table holds one VARCHAR column per header position, ``_c1``,
``_c2``…, and ``Staged.source`` is a SQL FROM item adding ``_line``: the line
number a user sees (the CSV line as Excel shows it, the Excel row, or the
Parquet row).
"""

from __future__ import annotations

import codecs
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from huiyan.errors import IngestError
from huiyan.identifiers import sql_literal
from huiyan.ingest.csv_text import stage_csv
from huiyan.ingest.encoding import ENCODINGS, Encoding
from huiyan.ingest.header import HeaderFound, HeaderMatcher
from huiyan.ingest.report import Layout
from huiyan.ingest.schema import quote
from huiyan.ingest.workbook import read_sheet

log = logging.getLogger(__name__)

__all__ = ["ENCODINGS", "Encoding", "Staged", "detect_kind", "stage", "temp_tables"]


@dataclass(frozen=True)
class Staged:
    """One file read into a temporary DuckDB table.

    Attributes:
        path: the file.
        table: the temporary table holding its rows.
        kind: its format.
        found: its header: where it was and each column's header text.
        source: SQL FROM item with ``_line`` and one VARCHAR column per header position.
        columns: the SQL name of each header position's column in ``source``.
        bad: a temporary table of whole lines that could not be read (``line``, ``value``,
            ``reason``), or None.
        rows: rows staged (blank ones included; they are dropped and counted later).
        layout: the header's place and the rows skipped around the data.
    """

    path: Path
    table: str
    kind: Literal["csv", "xlsx", "parquet"]
    found: HeaderFound
    source: str
    columns: tuple[str, ...]
    bad: str | None
    rows: int
    layout: Layout

    @property
    def headers(self) -> tuple[str, ...]:
        return self.found.headers


def temp_tables(table: str) -> tuple[str, ...]:
    """Every temporary table staging ``table`` may leave behind."""
    return (table, *(f"{table}_{s}" for s in ("rejects", "rejects_scan", "lines", "gaps", "bad")))


def detect_kind(path: Path) -> Literal["csv", "xlsx", "parquet"]:
    """The file format from its first bytes; refuses a missing, empty or old-Excel file."""
    if not path.is_file():
        raise IngestError("文件不存在。", "the file does not exist.")
    with path.open("rb") as fh:
        head = fh.read(64 * 1024)
    if not head.lstrip(codecs.BOM_UTF8).strip():
        raise IngestError(
            "文件是空的。", "the file is empty.", "请重新导出 Please export it again."
        )
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError(
            "这是旧版 Excel（.xls）文件，无法读取。",
            "this is an old Excel (.xls) workbook, which cannot be read.",
            "请在 Excel 中另存为 .xlsx 或 CSV。 Save it as .xlsx or CSV in Excel.",
        )
    return "csv"


def _stage_xlsx(
    con: Any,
    path: Path,
    table: str,
    *,
    matcher: HeaderMatcher,
    sheet: str | None,
    header_row: int | None,
) -> Staged:
    import pyarrow as pa

    read = read_sheet(path, matcher=matcher, sheet=sheet, header_row=header_row)
    columns = tuple(f"_c{i + 1}" for i in range(len(read.columns)))
    arrays = {"_line": pa.array(read.lines, pa.int64())}
    arrays |= {c: pa.array(v, pa.string()) for c, v in zip(columns, read.columns, strict=True)}
    con.register(f"{table}_arrow", pa.table(arrays))
    try:
        con.execute(f"CREATE TEMP TABLE {quote(table)} AS SELECT * FROM {quote(table + '_arrow')}")
    finally:
        con.unregister(f"{table}_arrow")
    layout = Layout(
        file=path.name,
        sheet=read.sheet if read.sheets > 1 else None,
        header_rows=read.found.rows,
        rows_above=read.found.above,
        blank_rows=read.blank_rows,
        trailers=read.trailers,
    )
    return Staged(
        path, table, "xlsx", read.found, quote(table), columns, None, len(read.lines), layout
    )


def _stage_parquet(con: Any, path: Path, table: str) -> Staged:
    src = f"read_parquet({sql_literal(str(path))}, file_row_number = true)"
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()
    except Exception as err:  # damaged or truncated Parquet
        raise IngestError(
            f"无法按 Parquet 读取：{err}", f"cannot be read as Parquet: {err}"
        ) from err
    headers = tuple(row[0] for row in described if row[0] != "file_row_number")
    columns = tuple(f"_c{i + 1}" for i in range(len(headers)))
    cols = ", ".join(
        f"CAST({quote(h)} AS VARCHAR) AS {quote(c)}" for h, c in zip(headers, columns, strict=True)
    )
    con.execute(
        f"CREATE TEMP TABLE {quote(table)} AS SELECT file_row_number + 1 AS _line, {cols} FROM {src}"
    )
    rows = int(con.execute(f"SELECT count(*) FROM {quote(table)}").fetchone()[0])
    found = HeaderFound((), headers, True, 0)
    return Staged(
        path,
        table,
        "parquet",
        found,
        quote(table),
        columns,
        None,
        rows,
        Layout(path.name, None, ()),
    )


def stage(
    con: Any,
    path: Path,
    table: str,
    *,
    matcher: HeaderMatcher,
    encoding: str,
    sheet: str | None,
    header_row: int | None = None,
) -> Staged:
    """Read one export file of any supported format into the temporary table ``table``.

    Raises:
        IngestError: the file is missing, empty, unreadable or in another encoding;
            the message is about this file (the caller names it).
    """
    kind = detect_kind(path)
    log.info("reading %s as %s", path, kind)
    if kind == "xlsx":
        return _stage_xlsx(con, path, table, matcher=matcher, sheet=sheet, header_row=header_row)
    if kind == "parquet":
        return _stage_parquet(con, path, table)
    with tempfile.TemporaryDirectory(prefix="huiyan-ingest-") as tmp:
        read = stage_csv(
            con,
            path,
            table,
            matcher=matcher,
            encoding=encoding,
            header_row=header_row,
            tmp=Path(tmp),
        )
    layout = Layout(
        file=path.name,
        sheet=None,
        header_rows=read.found.rows,
        rows_above=read.found.above,
        blank_rows=read.blank_rows,
        trailers=read.trailers,
    )
    return Staged(
        path, table, "csv", read.found, read.source, read.columns, read.bad, read.rows, layout
    )
