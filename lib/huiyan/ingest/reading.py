"""Reading agency export files (CSV, Excel, Parquet) into all-VARCHAR DuckDB staging tables.

The format comes from the file's content, never its name: a zip (``PK``) is an
Excel workbook, ``PAR1`` is Parquet, anything else is read as CSV text. CSV
text must be UTF-8 (with or without BOM) or GBK, which is read as GB18030 so
rare name characters survive; GB18030 files are transcoded to a temporary
UTF-8 copy that DuckDB reads. Every staged table holds one VARCHAR column per
header, exactly as the file spells it, and ``Staged.line`` is the SQL giving
each row's line number as a user sees it: the CSV line (header = line 1;
blank lines and quoted line breaks are not counted), the Excel row, or the
Parquet row.
"""

from __future__ import annotations

import codecs
import datetime as dt
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from huiyan.errors import IngestError
from huiyan.identifiers import sql_literal
from huiyan.ingest.schema import quote

log = logging.getLogger(__name__)

Encoding = Literal["auto", "utf-8", "gbk"]
ENCODINGS: tuple[str, ...] = ("auto", "utf-8", "gbk")

_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_CHUNK = 16 * 1024 * 1024


@dataclass(frozen=True)
class Staged:
    """One file read into a temporary DuckDB table."""

    path: Path
    table: str
    kind: Literal["csv", "xlsx", "parquet"]
    headers: tuple[str, ...]
    rejects: str | None = None
    line: str = "_line"
    """SQL giving each staged row's line number."""


def refuse(path: Path, zh: str, en: str, hint: str | None = None) -> IngestError:
    """An IngestError about ``path``; :func:`huiyan.ingest.ingest` adds that nothing was loaded."""
    return IngestError(zh, en, hint)


def detect_kind(path: Path) -> Literal["csv", "xlsx", "parquet"]:
    """The file format from its first bytes; refuses a missing, empty or old-Excel file."""
    if not path.is_file():
        raise refuse(path, "文件不存在。", "the file does not exist.")
    with path.open("rb") as fh:
        head = fh.read(64 * 1024)
    if not head.lstrip(codecs.BOM_UTF8).strip():
        raise refuse(
            path, "文件是空的。", "the file is empty.", "请重新导出 Please export it again."
        )
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise refuse(
            path,
            "这是旧版 Excel（.xls）文件，无法读取。",
            "this is an old Excel (.xls) workbook, which cannot be read.",
            "请在 Excel 中另存为 .xlsx 或 CSV。 Save it as .xlsx or CSV in Excel.",
        )
    return "csv"


def _guess_encoding(sample: bytes) -> str:
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    if b"\x00" in sample:
        return "UTF-16"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(sample).best()
    except ImportError:  # optional: only used to name the encoding in the message
        best = None
    return best.encoding.upper() if best is not None else "未知 unknown"


def _decodes(path: Path, codec: str) -> bool:
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path, requested: str) -> Literal["utf-8", "gb18030"]:
    """The codec to read a CSV with: ``utf-8`` (BOM or not) or ``gb18030``; refuses others."""
    if requested not in ENCODINGS:
        raise IngestError(
            f'不支持编码 "{requested}"，只能是 auto、utf-8 或 gbk。',
            f'Encoding "{requested}" is not supported; use auto, utf-8 or gbk.',
        )
    with path.open("rb") as fh:
        sample = fh.read(64 * 1024)
    if any(sample.startswith(bom) for bom, _ in _BOMS) or b"\x00" in sample:
        name = _guess_encoding(sample)
        raise refuse(
            path,
            f"文件编码是 {name}，只支持 UTF-8 和 GBK。",
            f"the file is encoded as {name}; only UTF-8 and GBK are supported.",
            "请另存为 UTF-8 或 GBK 编码的 CSV。 Save it as a UTF-8 or GBK CSV.",
        )
    if requested in ("auto", "utf-8") and _decodes(path, "utf-8"):
        return "utf-8"
    if requested in ("auto", "gbk") and _decodes(path, "gb18030"):
        return "gb18030"
    wanted = {"utf-8": "UTF-8", "gbk": "GBK"}.get(requested)
    guess = _guess_encoding(sample)
    if wanted is not None:
        raise refuse(
            path,
            f"文件不是 {wanted} 编码（看起来是 {guess}）。",
            f"the file is not {wanted} (it looks like {guess}).",
            "可改用 Try: --encoding auto",
        )
    raise refuse(
        path,
        f"文件编码是 {guess}，既不是 UTF-8 也不是 GBK。",
        f"the file is encoded as {guess}, neither UTF-8 nor GBK.",
        "请另存为 UTF-8 或 GBK 编码的 CSV。 Save it as a UTF-8 or GBK CSV.",
    )


def _transcode(path: Path, tmp: Path) -> Path:
    out = tmp / f"{path.stem}.utf8.csv"
    decoder = codecs.getincrementaldecoder("gb18030")()
    with path.open("rb") as src, out.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(_CHUNK):
            dst.write(decoder.decode(chunk))
        dst.write(decoder.decode(b"", final=True))
    return out


def _columns(con: Any, table: str) -> list[str]:
    return [row[0] for row in con.execute(f"DESCRIBE {quote(table)}").fetchall()]


def stage_csv(con: Any, path: Path, table: str, *, encoding: str, tmp: Path) -> Staged:
    """Read a CSV file into ``table``: every value VARCHAR, malformed lines kept aside."""
    codec = detect_encoding(path, encoding)
    source = _transcode(path, tmp) if codec == "gb18030" else path
    rejects = f"{table}_rejects"
    try:
        con.execute(
            f"CREATE TEMP TABLE {quote(table)} AS SELECT * FROM read_csv({sql_literal(str(source))}, "
            "header = true, all_varchar = true, store_rejects = true, "
            f"rejects_table = {sql_literal(rejects)}, rejects_scan = {sql_literal(rejects + '_scan')})"
        )
    except Exception as err:  # DuckDB raises several error types for unreadable text
        raise refuse(path, f"无法按 CSV 读取：{err}", f"cannot be read as CSV: {err}") from err
    # Insertion order is file order, so rowid + 2 is the line (header = line 1); lines
    # DuckDB set aside as malformed are added back in.
    line = "rowid + 2"
    if con.execute(f"SELECT count(*) FROM {quote(rejects)}").fetchone()[0]:
        line = (
            "rowid + 2 + (SELECT count(*) FROM (SELECT line, row_number() OVER (ORDER BY line) - 1 AS j "
            f"FROM (SELECT DISTINCT line FROM {quote(rejects)})) r WHERE r.line - 2 - r.j <= rowid)"
        )
    return Staged(path, table, "csv", tuple(_columns(con, table)), rejects, line)


def _cell_text(value: object) -> str | None:
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


def stage_xlsx(con: Any, path: Path, table: str, *, sheet: str | None) -> Staged:
    """Read one sheet of an .xlsx workbook into ``table`` (empty rows skipped)."""
    import openpyxl
    import pyarrow as pa

    from huiyan.errors import did_you_mean

    handle = path.open("rb")  # a file object: openpyxl then ignores the file's extension
    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as err:  # a zip that is not a workbook, or a damaged one
        handle.close()
        raise refuse(
            path, f"无法按 Excel 读取：{err}", f"cannot be read as an Excel workbook: {err}"
        ) from err
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            raise refuse(
                path,
                f'没有名为 "{sheet}" 的工作表。{did_you_mean(sheet, book.sheetnames)}',
                f'there is no sheet called "{sheet}".',
                f"可用工作表 Sheets: {', '.join(book.sheetnames)}",
            )
        headers: list[str] | None = None
        lines: list[int] = []
        values: list[list[str | None]] = []
        for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in row]
            if not any(c is not None and c.strip() for c in cells):
                continue
            if headers is None:
                headers = [c.strip() if c else f"列{i + 1}" for i, c in enumerate(cells)]
                values = [[] for _ in headers]
                continue
            lines.append(number)
            for i, column in enumerate(values):
                column.append(cells[i] if i < len(cells) else None)
    finally:
        book.close()
        handle.close()
    if headers is None:
        raise refuse(
            path, "工作表是空的。", "the sheet is empty.", "请重新导出 Please export it again."
        )
    arrays = {"_line": pa.array(lines, pa.int64())}
    for name, column in zip(headers, values, strict=True):
        if name not in arrays:
            arrays[name] = pa.array(column, pa.string())
    arrow = pa.table(arrays)
    con.register(f"{table}_arrow", arrow)
    try:
        con.execute(f"CREATE TEMP TABLE {quote(table)} AS SELECT * FROM {quote(table + '_arrow')}")
    finally:
        con.unregister(f"{table}_arrow")
    return Staged(path, table, "xlsx", tuple(h for h in arrays if h != "_line"))


def stage_parquet(con: Any, path: Path, table: str) -> Staged:
    """Read a Parquet file into ``table``, every column cast to VARCHAR."""
    src = f"read_parquet({sql_literal(str(path))}, file_row_number = true)"
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()
    except Exception as err:  # damaged or truncated Parquet
        raise refuse(
            path, f"无法按 Parquet 读取：{err}", f"cannot be read as Parquet: {err}"
        ) from err
    headers = [row[0] for row in described if row[0] != "file_row_number"]
    cols = ", ".join(f"CAST({quote(h)} AS VARCHAR) AS {quote(h)}" for h in headers)
    con.execute(
        f"CREATE TEMP TABLE {quote(table)} AS SELECT file_row_number + 1 AS _line, {cols} FROM {src}"
    )
    return Staged(path, table, "parquet", tuple(headers))


def stage(con: Any, path: Path, table: str, *, encoding: str, sheet: str | None) -> Staged:
    """Read one export file of any supported format into the temporary table ``table``."""
    kind = detect_kind(path)
    log.info("reading %s as %s", path, kind)
    if kind == "xlsx":
        return stage_xlsx(con, path, table, sheet=sheet)
    if kind == "parquet":
        return stage_parquet(con, path, table)
    with tempfile.TemporaryDirectory(prefix="huiyan-ingest-") as tmp:
        return stage_csv(con, path, table, encoding=encoding, tmp=Path(tmp))
