"""Reading CSV exports into DuckDB: the header, the data, and the lines set aside.

A clean UTF-8 file is read by DuckDB directly, in parallel; anything else
(GBK, damaged lines, blank lines inside the data, mixed line endings) through
the normalised UTF-8 copy of :mod:`huiyan.ingest.encoding`. The header and the
delimiter are found from the first records (:mod:`huiyan.ingest.header`), and
DuckDB reads what follows with every column VARCHAR. The lines DuckDB sets
aside are sorted afterwards: blank (skipped and counted), damaged or malformed
(quarantined), or totals and notes rows after the data (skipped and counted).

Line numbers are those a user sees when the CSV is opened in Excel or WPS:
every line counts, blank lines and title rows included, while a line break
inside a quoted value does not start a new row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huiyan.errors import IngestError
from huiyan.identifiers import sql_literal
from huiyan.ingest.encoding import (
    MARK,
    TextScan,
    detect_encoding,
    has_inner_blank,
    shown,
    write_copy,
    wrong_encoding,
)
from huiyan.ingest.header import HeaderFound, HeaderMatcher, Row, find_header
from huiyan.ingest.layout import is_blank, trailing, vocabulary
from huiyan.ingest.schema import quote

DELIMITERS = (",", "\t", ";", "|")
_TAIL = 50
"""Rows read back from the end of a file to find totals and notes rows."""
_BLANKS = " \t\r\n\u3000"


def read_head(source: Path, delimiter: str, rows: int) -> list[Row]:
    """The first ``rows`` non-blank records, with their line numbers (blank lines count)."""
    head: list[Row] = []
    with source.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            for line, cells in enumerate(reader, start=1):
                if not is_blank(cells):
                    head.append((line, cells))
                if len(head) >= rows:
                    break
        except csv.Error:  # a record too long for the csv module: the head ends there
            pass
    return head


def choose_header(
    source: Path, matcher: HeaderMatcher, header_row: int | None
) -> tuple[str, HeaderFound]:
    """The delimiter and the header row: the pair that names the most contract columns."""
    wanted = max(vocabulary().header_search_rows, header_row or 0) + 1
    best: tuple[int, str, HeaderFound] | None = None
    for delimiter in DELIMITERS:
        head = read_head(source, delimiter, wanted)
        if not head:
            raise IngestError("文件里没有任何数据行。", "the file holds no rows at all.")
        found = find_header(head, matcher, header_row=header_row)
        score = matcher.score(found.headers) if found.is_detected else -1
        if best is None or score > best[0]:
            best = (score, delimiter, found)
    assert best is not None
    if best[0] < 0:  # nothing looked like the header: take the delimiter giving most columns
        widest = max(DELIMITERS, key=lambda d: len(read_head(source, d, 1)[0][1]))
        head = read_head(source, widest, wanted)
        return widest, find_header(head, matcher, header_row=header_row)
    return best[1], best[2]


@dataclass(frozen=True)
class CsvTable:
    """A CSV file read into a temporary table, with what was set aside."""

    found: HeaderFound
    source: str
    """SQL FROM item giving ``_line`` and the positional columns ``_c1``…"""
    columns: tuple[str, ...]
    bad: str | None
    rows: int
    blank_rows: int
    trailers: tuple[tuple[int, str], ...]
    """``(line, text)`` of each totals or notes row skipped after the data."""


def stage_csv(
    con: Any,
    path: Path,
    table: str,
    *,
    matcher: HeaderMatcher,
    encoding: str,
    header_row: int | None,
    tmp: Path,
) -> CsvTable:
    """Read a CSV file into ``table``: header found, damaged and malformed lines set aside."""
    copy = tmp / f"{path.stem}.utf8.csv"
    text = detect_encoding(path, encoding, copy=copy)
    if text.copy is not None:
        source = text.copy
    else:
        source = (
            path if text.codec == "utf-8" and not text.damaged else write_copy(path, text, copy)
        )
    delimiter, found = choose_header(source, matcher, header_row)
    if not found.is_detected and text.damaged and text.damaged[0].line <= found.searched + 1:
        raise wrong_encoding(path, encoding)
    try:
        _read(con, source, table, found, delimiter)
    except IngestError:
        # Mixed line endings trip DuckDB's strict reader; this copy has LF endings only.
        source = write_copy(path, text, copy, lf_only=True)
        _read(con, source, table, found, delimiter)
    if source == path and _has_unnumbered_lines(con, path, table, found, text):
        # DuckDB skips empty lines without numbering them; in the copy they hold a space.
        source = write_copy(path, text, copy)
        _read(con, source, table, found, delimiter)
    # Empty lines at the end of a file read directly are skipped by DuckDB unnumbered.
    unseen_blank = text.trailing_empty if source == path else 0
    return _set_aside(con, table, found, delimiter, text, unseen_blank=unseen_blank)


def _read(con: Any, source: Path, table: str, found: HeaderFound, delimiter: str) -> None:
    """DuckDB reads the rows below the header into ``table``, setting aside bad lines."""
    for leftover in (table, f"{table}_rejects", f"{table}_rejects_scan"):
        con.execute(f"DROP TABLE IF EXISTS temp.{quote(leftover)}")
    columns = "{" + ", ".join(f"'_c{i + 1}': 'VARCHAR'" for i in range(len(found.headers))) + "}"
    try:
        con.execute(
            f"CREATE TEMP TABLE {quote(table)} AS SELECT * FROM read_csv("
            f"{sql_literal(str(source))}, header = false, skip = {found.last_row}, "
            f"delim = {sql_literal(delimiter)}, quote = '\"', escape = '\"', auto_detect = false, "
            f"columns = {columns}, store_rejects = true, "
            f"rejects_table = {sql_literal(table + '_rejects')}, "
            f"rejects_scan = {sql_literal(table + '_rejects_scan')})"
        )
    except Exception as err:  # DuckDB raises several error types for unreadable text
        raise IngestError(f"无法按 CSV 读取：{err}", f"cannot be read as CSV: {err}") from err


def _has_unnumbered_lines(
    con: Any, path: Path, table: str, found: HeaderFound, text: TextScan
) -> bool:
    """Whether DuckDB skipped empty lines inside the data, which would shift line numbers.

    Cheap when every line is accounted for (rows read, lines set aside, empty lines at
    the end); otherwise a line break inside a quoted value or an empty line explains
    the difference, and only then is the file searched for empty lines.
    """
    q = quote
    rows = con.execute(f"SELECT count(*) FROM {q(table)}").fetchone()[0]
    aside = con.execute(f"SELECT count(DISTINCT line) FROM {q(table + '_rejects')}").fetchone()[0]
    if text.lines == found.last_row + rows + aside + text.trailing_empty:
        return False
    return has_inner_blank(path, after=found.last_row, before=text.last_content)


def _numbered(con: Any, table: str, lines: str, base: int) -> str:
    """SQL FROM item: the staged rows with ``_rowid`` and ``_line``.

    DuckDB numbers the rows it reads (``rowid``) and the lines it sets aside (``line``,
    as Excel counts them); a row's line is its rowid plus the lines before it that
    were set aside, found with an ASOF join on where each set-aside line falls.
    """
    q = quote
    if not con.execute(f"SELECT count(*) FROM {q(lines)}").fetchone()[0]:
        return f"(SELECT rowid AS _rowid, rowid + {base} AS _line, * FROM {q(table)})"
    gaps = f"{table}_gaps"
    con.execute(
        f"CREATE TEMP TABLE {q(gaps)} AS SELECT k, max(n) AS n FROM (SELECT "
        f"line - {base} - (row_number() OVER (ORDER BY line) - 1) AS k, "
        f"row_number() OVER (ORDER BY line) AS n FROM {q(lines)}) GROUP BY k"
    )
    return (
        f"(SELECT t.rowid AS _rowid, t.rowid + {base} + coalesce(g.n, 0) AS _line, t.* "
        f"FROM {q(table)} t ASOF LEFT JOIN {q(gaps)} g ON t.rowid >= g.k)"
    )


@dataclass(frozen=True)
class _Ending:
    """Totals and notes rows after the data, and the blank rows among them."""

    trailers: tuple[tuple[int, str], ...]
    set_aside: tuple[int, ...]
    """Lines of trailer rows that DuckDB had set aside (too few or too many cells)."""
    first_rowid: int | None
    """The first staged row of the ending (it and every later row are dropped)."""
    blank_rows: int
    """Blank staged rows in the ending."""


def _ending(
    con: Any, source: str, lines: str, columns: tuple[str, ...], delimiter: str, rows: int
) -> _Ending:
    """Walk back from the end of the file over totals, notes and blank rows."""
    cells = ", ".join(quote(c) for c in columns)
    tail: list[tuple[int, int | None, list[str | None]]] = [
        (line, rowid, list(values))
        for rowid, line, *values in con.execute(
            f"SELECT _rowid, _line, {cells} FROM {source} WHERE _rowid >= {rows - _TAIL}"
        ).fetchall()
    ]
    since = min((t[0] for t in tail), default=0)
    for line, raw in con.execute(
        f"SELECT line, raw FROM {quote(lines)} WHERE line > {since} "
        f"ORDER BY line DESC LIMIT {_TAIL}"
    ).fetchall():
        if not raw.startswith(MARK):  # a damaged line is quarantined wherever it is
            parsed: list[str | None] = [
                *next(csv.reader(io.StringIO(raw), delimiter=delimiter), [])
            ]
            tail.append((line, None, parsed))
    tail.sort(key=lambda t: t[0])
    ending = tail[len(tail) - trailing([t[2] for t in tail]) :]
    return _Ending(
        trailers=tuple(
            (line, " ".join(c.strip() for c in row if c and c.strip()))
            for line, _, row in ending
            if not is_blank(row)
        ),
        set_aside=tuple(line for line, rowid, _ in ending if rowid is None),
        first_rowid=min((r for _, r, _ in ending if r is not None), default=None),
        blank_rows=sum(1 for _, r, row in ending if r is not None and is_blank(row)),
    )


def _bad_lines(
    con: Any, table: str, lines: str, text: TextScan, skipped: tuple[int, ...]
) -> tuple[str | None, int]:
    """The table of set-aside lines to quarantine (damaged, malformed), and the blank count."""
    import pyarrow as pa

    q = quote
    blank = f"trim(raw, {sql_literal(_BLANKS)}) = ''"
    blanks = int(con.execute(f"SELECT count(*) FROM {q(lines)} WHERE {blank}").fetchone()[0])
    damage = pa.table(
        {
            "k": pa.array(range(len(text.damaged)), pa.int64()),
            "value": pa.array([shown(d.raw, text.codec) for d in text.damaged], pa.string()),
            "reason": pa.array([d.reason for d in text.damaged], pa.string()),
        }
    )
    bad = f"{table}_bad"
    not_skipped = f"AND l.line NOT IN ({', '.join(map(str, skipped))})" if skipped else ""
    con.register(f"{table}_damage", damage)
    try:
        con.execute(
            f"CREATE TEMP TABLE {q(bad)} AS SELECT l.line, coalesce(d.value, l.raw) AS value, "
            f"coalesce(d.reason, 'malformed_row') AS reason FROM {q(lines)} l "
            f"LEFT JOIN {q(table + '_damage')} d ON starts_with(l.raw, {sql_literal(MARK)}) "
            f"AND d.k = TRY_CAST(substr(l.raw, {len(MARK) + 1}) AS BIGINT) "
            f"WHERE NOT ({blank}) {not_skipped}"
        )
    finally:
        con.unregister(f"{table}_damage")
    has_bad = con.execute(f"SELECT count(*) FROM {q(bad)}").fetchone()[0]
    return (bad if has_bad else None), blanks


def _set_aside(
    con: Any, table: str, found: HeaderFound, delimiter: str, text: TextScan, *, unseen_blank: int
) -> CsvTable:
    """Number the staged rows, sort the set-aside lines, drop totals/notes rows at the end."""
    columns = tuple(f"_c{i + 1}" for i in range(len(found.headers)))
    lines = f"{table}_lines"
    con.execute(
        f"CREATE TEMP TABLE {quote(lines)} AS SELECT line, ltrim(any_value(csv_line), "
        f"{sql_literal(chr(13) + chr(10))}) AS raw FROM {quote(table + '_rejects')} GROUP BY line"
    )
    source = _numbered(con, table, lines, found.last_row + 1)
    rows = int(con.execute(f"SELECT count(*) FROM {quote(table)}").fetchone()[0])
    ending = _ending(con, source, lines, columns, delimiter, rows)
    if ending.first_rowid is not None:
        con.execute(f"DELETE FROM {quote(table)} WHERE rowid >= {ending.first_rowid}")
        rows = ending.first_rowid
    bad, blanks = _bad_lines(con, table, lines, text, ending.set_aside)
    return CsvTable(
        found=found,
        source=source,
        columns=columns,
        bad=bad,
        rows=rows,
        blank_rows=blanks + ending.blank_rows + unseen_blank,
        trailers=ending.trailers,
    )
