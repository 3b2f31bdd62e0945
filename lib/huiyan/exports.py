"""Writing workspace datasets as agency-style export files (``huiyan synth --export``).

Real exports arrive as a mix of CSV encodings and Excel workbooks, with Chinese
headers and dates and money written every which way. These files imitate
that, deterministically for a seed, so that ingest can be exercised end to
end: ingesting the written files back gives zero quarantined rows and
identical tables (strings are assumed trimmed, with NULL rather than "" for
missing values, as ingest itself stores them).

One file per dataset, ``<dataset>.csv`` or ``<dataset>.xlsx``. Large tables are
streamed by DuckDB ``COPY``; only small tables without long text become Excel.

Example:
    >>> from huiyan import exports                         # doctest: +SKIP
    >>> exports.write_exports(ws, Path("exports"), seed=7)  # doctest: +SKIP
    [PosixPath('exports/judgments.csv'), PosixPath('exports/vehicles.xlsx'), ...]
"""

from __future__ import annotations

import codecs
import logging
import random
import shutil
import tempfile
from pathlib import Path
from typing import Any, Literal

from huiyan import contracts
from huiyan.contracts import Column, Dataset
from huiyan.identifiers import sql_literal
from huiyan.ingest.schema import quote
from huiyan.workspace import Workspace

log = logging.getLogger(__name__)

Kind = Literal["utf-8", "utf-8-sig", "gb18030", "xlsx"]

XLSX_MAX_ROWS = 20_000
"""Tables above this size are always written as CSV (Excel is slow and capped)."""

_CHUNK = 16 * 1024 * 1024


def _pick(salt: int, k: int) -> str:
    """SQL: a deterministic per-row choice in 0..k-1 (rowid of the exported table)."""
    return f"((((rowid + {salt}) * 2654435761) % 4294967291) % {k})"


def _varied(col: Column, rng: random.Random, *, native: bool) -> str:
    """SQL: ``col`` written the way agencies do, varying from row to row."""
    x = quote(col.name)
    h = _pick(rng.randrange(1_000_000), 4)
    if native and col.type in ("date", "money", "number", "int"):
        return x  # Excel cells of their own type: dates, numbers
    if col.type == "date":
        ymd = (
            f"year({x})::VARCHAR || '{{0}}' || month({x})::VARCHAR || '{{1}}' || day({x})::VARCHAR"
        )
        body = (
            f"CASE {h} WHEN 0 THEN strftime({x}, '%Y-%m-%d') "
            f"WHEN 1 THEN {ymd.format('/', '/')} WHEN 2 THEN strftime({x}, '%Y%m%d') "
            f"ELSE {ymd.format('年', '月')} || '日' END"
        )
    elif col.type == "month":
        body = (
            f"CASE {_pick(rng.randrange(1_000_000), 3)} WHEN 0 THEN strftime({x}, '%Y-%m') "
            f"WHEN 1 THEN strftime({x}, '%Y%m') "
            f"ELSE year({x})::VARCHAR || '年' || month({x})::VARCHAR || '月' END"
        )
    elif col.type == "money":
        whole_hundreds = f"round({x} * 100) % 10000 = 0"
        body = (
            f"CASE WHEN {h} = 0 AND {whole_hundreds} "
            f"THEN rtrim(rtrim(printf('%.2f', {x} / 10000), '0'), '.') || '万元' "
            f"WHEN {h} = 0 THEN printf('%.2f', {x}) "
            f"WHEN {h} = 1 THEN format('{{:,.2f}}', {x}) "
            f"WHEN {h} = 2 THEN printf('%.2f', {x}) || '元' "
            f"ELSE replace(format('{{:,.2f}}', {x}), ',', '，') END"
        )
    elif col.type in ("number", "int"):
        body = f"CAST({x} AS VARCHAR)"
    elif col.type == "bool":
        body = (
            f"CASE {h} WHEN 0 THEN (CASE WHEN {x} THEN '是' ELSE '否' END) "
            f"WHEN 1 THEN (CASE WHEN {x} THEN 'true' ELSE 'false' END) "
            f"WHEN 2 THEN (CASE WHEN {x} THEN '1' ELSE '0' END) "
            f"ELSE (CASE WHEN {x} THEN 'Y' ELSE 'N' END) END"
        )
    elif col.format == "plate":
        body = f"CASE WHEN {h} = 0 THEN substr({x}, 1, 2) || '·' || substr({x}, 3) ELSE {x} END"
    elif col.format == "resident_id":
        body = f"CASE WHEN {h} = 0 THEN lower({x}) ELSE {x} END"
    elif col.format == "case_no":
        body = f"CASE WHEN {h} = 0 THEN replace(replace({x}, '（', '('), '）', ')') ELSE {x} END"
    else:
        return x
    return f"CASE WHEN {x} IS NULL THEN NULL ELSE {body} END"


def _headers(ds: Dataset, rng: random.Random) -> list[str]:
    """A Chinese header for every column: its label or one of its aliases, never twice."""
    chosen: list[str] = []
    for col in ds.columns:
        options = [h for h in (col.zh, *col.aliases) if h.isascii() is False] or [col.zh]
        header = rng.choice(options)
        chosen.append(header if header not in chosen else col.name)
    return chosen


def export_sql(ds: Dataset, rng: random.Random, *, xlsx: bool = False) -> str:
    """SQL selecting ``ds``'s table as an agency would export it (Chinese headers, mixed formats)."""
    headers = _headers(ds, rng)
    cols = [
        f"{_varied(c, rng, native=xlsx and rng.random() < 0.5)} AS {quote(h)}"
        for c, h in zip(ds.columns, headers, strict=True)
    ]
    # a view has no rowid: number the rows in their stored order instead
    numbered = f"(SELECT *, row_number() OVER () - 1 AS rowid FROM main.{quote(ds.name)})"
    return f"SELECT {', '.join(cols)} FROM {numbered} ORDER BY rowid"


def _copy_csv(con: Any, sql: str, path: Path, kind: Kind) -> None:
    if kind == "utf-8":
        con.execute(f"COPY ({sql}) TO {sql_literal(str(path))} (HEADER, DELIMITER ',')")
        return
    with tempfile.TemporaryDirectory(prefix="huiyan-export-") as tmp:
        plain = Path(tmp) / "plain.csv"
        con.execute(f"COPY ({sql}) TO {sql_literal(str(plain))} (HEADER, DELIMITER ',')")
        with plain.open("rb") as src, path.open("wb") as dst:
            if kind == "utf-8-sig":
                dst.write(codecs.BOM_UTF8)
                shutil.copyfileobj(src, dst, _CHUNK)
                return
            decoder = codecs.getincrementaldecoder("utf-8")()
            while chunk := src.read(_CHUNK):
                dst.write(decoder.decode(chunk).encode("gb18030"))
            dst.write(decoder.decode(b"", final=True).encode("gb18030"))


def _write_xlsx(con: Any, sql: str, path: Path, title: str) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    result = con.execute(sql)
    sheet.append([d[0] for d in result.description])
    reader = result.fetch_record_batch(10_000)
    for batch in reader:
        columns = [c.to_pylist() for c in batch.columns]
        for row in zip(*columns, strict=True):
            sheet.append(list(row))
    book.save(path)


def write_exports(ws: Workspace, out_dir: Path, *, seed: int = 0) -> list[Path]:
    """Write every dataset in ``ws`` as one agency-style export file in ``out_dir``.

    Args:
        ws: the workspace whose tables are exported.
        out_dir: the folder to write to (created when missing).
        seed: chooses file formats, encodings, headers and value formats reproducibly.

    Returns:
        The files written, in contract order: ``<dataset>.csv`` (UTF-8, UTF-8 with BOM or GBK)
        or ``<dataset>.xlsx``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    con = ws.con.con
    written: list[Path] = []
    for ds in contracts.datasets().values():
        if not ws.has_table(ds.name):
            continue
        rows = ws.snapshot(ds.name).rows
        rng = random.Random(f"{seed}:{ds.name}")
        kinds: list[Kind] = ["utf-8", "utf-8-sig", "gb18030"]
        if rows <= XLSX_MAX_ROWS and not any(c.type == "text" for c in ds.columns):
            kinds.append("xlsx")
        kind = rng.choice(kinds)
        sql = export_sql(ds, rng, xlsx=kind == "xlsx")
        if kind == "xlsx":
            path = out_dir / f"{ds.name}.xlsx"
            _write_xlsx(con, sql, path, ds.zh)
        else:
            path = out_dir / f"{ds.name}.csv"
            _copy_csv(con, sql, path, kind)
        log.info("exported %s (%d rows) as %s", ds.name, rows, kind)
        written.append(path)
    return written
