"""Agency exports -> contract tables, with quarantine (``huiyan ingest``).

The rules are the contract's (``shared/contracts/README.md``, "huiyan ingest"):
headers may be the English name, the Chinese label or any alias; values are
normalised per their type; a row that breaks the contract is not loaded but
written to ``<home>/quarantine/<dataset>-<timestamp>.csv`` and counted in the
report; a refused command loads nothing.

Exports come as agency systems write them. The header is found below title and
export-time rows (:mod:`~huiyan.ingest.header`); totals, notes and blank rows
are skipped and counted (:mod:`~huiyan.ingest.layout`); a line that cannot be
decoded, or holds a NUL byte, is quarantined on its own with its raw bytes
(:mod:`~huiyan.ingest.encoding`); a workbook's sheet is the one whose header
matches (:mod:`~huiyan.ingest.workbook`). A file is refused whole only when it
cannot be read as a table or its header is ambiguous. Each file's
:class:`Layout` is in the report.

All the heavy work is DuckDB SQL: each file is read as all-VARCHAR into a
staging table, and normalisation, format checks and key checks are SQL
expressions (see :mod:`huiyan.ingest.normalise`), so a million-row CSV loads in
seconds.

Example:
    >>> import huiyan as hy                                                # doctest: +SKIP
    >>> report = hy.ingest.ingest(hy.workspace(), "vehicles", ["车辆.xlsx"])  # doctest: +SKIP
    >>> print(report.format())                                             # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from huiyan import contracts, interrupts
from huiyan.contracts import Dataset
from huiyan.errors import IngestError
from huiyan.identifiers import sql_literal
from huiyan.ingest.header import HeaderMatcher, header_key, map_headers
from huiyan.ingest.normalise import (
    REASONS,
    clean_sql,
    expected,
    prepared_sql,
    reason_sql,
    value_sql,
)
from huiyan.ingest.reading import ENCODINGS, Encoding, Staged, stage, temp_tables
from huiyan.ingest.report import Example, IngestReport, Layout, ProblemGroup
from huiyan.ingest.schema import (
    SQL_TYPES,
    arrow_schema,
    column_types,
    create_table_sql,
    ibis_schema,
    quote,
)
from huiyan.workspace import Workspace
from huiyan.writer import writing

log = logging.getLogger(__name__)

__all__ = [
    "ENCODINGS",
    "SQL_TYPES",
    "Encoding",
    "Example",
    "IngestReport",
    "Layout",
    "ProblemGroup",
    "arrow_schema",
    "column_types",
    "create_table_sql",
    "header_key",
    "ibis_schema",
    "ingest",
]

_KEY = "__key__"
_ROW = "__row__"
_EXAMPLES = 5


def _table_exists(con: Any, name: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND NOT temporary AND table_name = ?",
        [name],
    ).fetchone()
    return bool(row and row[0])


def _stage_sql(ds: Dataset, index: int, st: Staged, positions: dict[str, int]) -> str:
    cols = [
        f"{quote(st.columns[positions[c.name]])} AS {quote('raw_' + c.name)}"
        if c.name in positions
        else f"NULL::VARCHAR AS {quote('raw_' + c.name)}"
        for c in ds.columns
    ]
    blanks = ", ".join(clean_sql(quote(c)) for c in st.columns) or "NULL"
    return (
        f"SELECT {index} AS _file, _line, {', '.join(cols)} FROM {st.source} "
        f"WHERE coalesce({blanks}, NULL) IS NOT NULL"
    )


def _checked_sql(ds: Dataset, stage: str) -> str:
    q = quote
    l1 = ", ".join(f"{clean_sql(q('raw_' + c.name))} AS {q('s_' + c.name)}" for c in ds.columns)
    l2 = ", ".join(f"{prepared_sql(c, q('s_' + c.name))} AS {q('p_' + c.name)}" for c in ds.columns)
    l3 = ", ".join(f"{value_sql(c, q('p_' + c.name))} AS {q('v_' + c.name)}" for c in ds.columns)
    l4 = ", ".join(
        f"{reason_sql(c, q('s_' + c.name), q('p_' + c.name), q('v_' + c.name))} AS {q('r_' + c.name)}"
        for c in ds.columns
    )
    keep = ", ".join(f"{q('s_' + c.name)}, {q('v_' + c.name)}" for c in ds.columns)
    return (
        f"WITH l1 AS (SELECT _file, _line, {l1} FROM {stage}), "
        f"l2 AS (SELECT *, {l2} FROM l1), l3 AS (SELECT *, {l3} FROM l2) "
        f"SELECT _file, _line, {keep}, {l4} FROM l3"
    )


def _key_problems_sql(ds: Dataset, checked: str, *, existing: bool) -> str:
    """Rows whose key repeats within this ingest, or (when appending) is already stored."""
    q = quote
    keys = [q("v_" + k) for k in ds.key]
    known = " AND ".join(f"{k} IS NOT NULL" for k in keys)
    value = " || '|' || ".join(f"coalesce(c.{q('s_' + k)}, '')" for k in ds.key)
    on = " AND ".join(f"c.{k} = d.{k}" for k in keys)
    # A GROUP BY and a semi join, not a window: a window would carry every column along.
    dup = (
        f"SELECT c._file, c._line, {value} AS value, 'duplicate_key' AS reason "
        f"FROM {q(checked)} c SEMI JOIN (SELECT {', '.join(keys)} FROM {q(checked)} "
        f"WHERE {known} GROUP BY ALL HAVING count(*) > 1) d ON {on}"
    )
    if not existing:
        return dup
    stored = " AND ".join(f"c.{q('v_' + k)} = t.{q(k)}" for k in ds.key)
    return (
        f"{dup} UNION ALL SELECT c._file, c._line, {value}, 'key_exists' "
        f"FROM {q(checked)} c SEMI JOIN main.{q(ds.name)} t ON {stored} "
        f"ANTI JOIN (SELECT {', '.join(keys)} FROM {q(checked)} WHERE {known} "
        f"GROUP BY ALL HAVING count(*) > 1) d ON {on}"
    )


def _problems_sql(ds: Dataset, checked: str, keyed: str, staged: list[Staged]) -> str:
    q = quote
    parts = [
        f"SELECT _file, _line, '{c.name}' AS col, {q('s_' + c.name)} AS value, {q('r_' + c.name)} AS reason "
        f"FROM {q(checked)} WHERE {q('r_' + c.name)} IS NOT NULL"
        for c in ds.columns
    ]
    parts.append(f"SELECT _file, _line, '{_KEY}', value, reason FROM {q(keyed)}")
    for index, st in enumerate(staged):
        if st.bad:
            parts.append(f"SELECT {index}, line, '{_ROW}', value, reason FROM {q(st.bad)}")
    return " UNION ALL ".join(parts)


def _label(ds: Dataset, col: str) -> str:
    if col == _KEY:
        return " + ".join(ds.column(k).label for k in ds.key)
    if col == _ROW:
        return "整行 whole row"
    return ds.column(col).label


def _expected(ds: Dataset, col: str, reason: str) -> str:
    if reason == "duplicate_key":
        return "每个键只出现一次 one row per key"
    if reason == "key_exists":
        return "尚未入库的键，或使用 --replace 整表替换 a new key, or --replace the whole table"
    return expected(reason, ds.column(col) if col not in (_KEY, _ROW) else None)


def _quarantine_path(ws: Workspace, dataset: str) -> Path:
    folder = ws.home / "quarantine"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"{dataset}-{stamp}.csv"
    n = 2
    while path.exists():
        path = folder / f"{dataset}-{stamp}-{n}.csv"
        n += 1
    return path


def _write_quarantine(
    con: Any, ws: Workspace, ds: Dataset, problems: str, paths: Sequence[Path], prefix: str
) -> Path:
    """The quarantine CSV (UTF-8 with BOM, so Excel shows the Chinese): one line per bad cell."""
    combos = con.execute(f"SELECT DISTINCT col, reason FROM {quote(problems)}").fetchall()
    labels = f"{prefix}_labels"
    con.execute(
        f"CREATE TEMP TABLE {quote(labels)} (col VARCHAR, reason VARCHAR, label VARCHAR, "
        "zh VARCHAR, en VARCHAR, expected VARCHAR)"
    )
    con.executemany(
        f"INSERT INTO {quote(labels)} VALUES (?, ?, ?, ?, ?, ?)",
        [
            (c, r, _label(ds, c), REASONS[r].zh, REASONS[r].en, _expected(ds, c, r))
            for c, r in combos
        ],
    )
    files = ", ".join(f"({i}, {sql_literal(str(p))})" for i, p in enumerate(paths))
    path = _quarantine_path(ws, ds.name)
    with tempfile.TemporaryDirectory(prefix="huiyan-quarantine-") as tmp:
        plain = Path(tmp) / "q.csv"
        con.execute(
            f'COPY (SELECT f.name AS "文件 file", p._line AS "行号 line", l.label AS "列 column", '
            f'p.value AS "值 value", l.zh AS "原因 reason", l.en AS "reason (English)", '
            f'l.expected AS "应为 expected" FROM {quote(problems)} p '
            f"JOIN {quote(labels)} l USING (col, reason) "
            f"JOIN (VALUES {files}) f(idx, name) ON f.idx = p._file "
            f"ORDER BY p._file, p._line, p.col) TO {sql_literal(str(plain))} (HEADER, DELIMITER ',')"
        )
        with path.open("wb") as dst, plain.open("rb") as src:
            dst.write(b"\xef\xbb\xbf")
            shutil.copyfileobj(src, dst)
    return path


def _groups(con: Any, ds: Dataset, problems: str, paths: Sequence[Path]) -> list[ProblemGroup]:
    counts = con.execute(
        f"SELECT col, reason, count(*) FROM {quote(problems)} GROUP BY ALL ORDER BY 3 DESC, 1, 2"
    ).fetchall()
    rows = con.execute(
        f"SELECT col, reason, _file, _line, value FROM (SELECT *, row_number() OVER "
        f"(PARTITION BY col, reason ORDER BY _file, _line) AS n FROM {quote(problems)}) "
        f"WHERE n <= {_EXAMPLES} ORDER BY _file, _line"
    ).fetchall()
    examples: dict[tuple[str, str], list[Example]] = {}
    for col, reason, file, line, value in rows:
        examples.setdefault((col, reason), []).append(Example(paths[file].name, line, value))
    return [
        ProblemGroup(
            reason=reason,
            zh=REASONS[reason].zh,
            en=REASONS[reason].en,
            column=_label(ds, col),
            expected=_expected(ds, col, reason),
            rows=count,
            examples=tuple(examples.get((col, reason), ())),
        )
        for col, reason, count in counts
    ]


def _refusal(problems: list[tuple[Path, str, str]], hints: list[str]) -> IngestError:
    zh = [f"文件 {p}：{z}" for p, z, _ in problems]
    en = [f"File {p}: {e}" for p, _, e in problems]
    return IngestError(
        "\n".join([*zh, "本次导入未载入任何数据。"]),
        "\n".join([*en, "Nothing was loaded."]),
        "\n".join(dict.fromkeys(hints)) or None,
    )


_HEADER_HINT = (
    "列名可以是英文名、中文名或别名；请修正表头后重新导入。"
    " Headers may be the English name, the Chinese label or an alias; fix them and try again."
)


def _empty_columns(con: Any, st: Staged) -> frozenset[int]:
    """Positions of columns with neither a header nor any value."""
    unnamed = [i for i, h in enumerate(st.headers) if not h]
    if not unnamed:
        return frozenset()
    counts = con.execute(
        f"SELECT {', '.join(f'count({clean_sql(quote(st.columns[i]))})' for i in unnamed)} "
        f"FROM {st.source}"
    ).fetchone()
    return frozenset(i for i, n in zip(unnamed, counts, strict=True) if not n)


def _layouts(con: Any, staged: list[Staged], checked: str) -> tuple[Layout, ...]:
    """Each file's layout, with the blank rows DuckDB read as all-empty added in."""
    kept = dict(
        con.execute(f"SELECT _file, count(*) FROM {quote(checked)} GROUP BY _file").fetchall()
    )
    return tuple(
        dataclasses.replace(
            st.layout, blank_rows=st.layout.blank_rows + st.rows - int(kept.get(i, 0))
        )
        for i, st in enumerate(staged)
    )


def ingest(
    ws: Workspace,
    dataset: str,
    files: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    encoding: Encoding = "auto",
    sheet: str | None = None,
    header_row: int | None = None,
    replace: bool = False,
    progress: bool = False,
) -> IngestReport:
    """Load agency export files into ``dataset``, quarantining rows that break the contract.

    Args:
        ws: the workspace to load into.
        dataset: a dataset name from the contract, e.g. ``"admin_penalties"``.
        files: CSV, Excel (.xlsx) or Parquet files; the format is read from the content.
        encoding: CSV text encoding: ``auto`` (UTF-8 or GBK), ``utf-8`` or ``gbk``.
        sheet: the Excel sheet to read, by name or by number from 1 (default: the only
            sheet whose header matches the dataset).
        header_row: the line (CSV) or row (Excel) the header is on (default: found among
            the first rows, skipping title and notes rows above it).
        replace: replace the table instead of adding to it.
        progress: show a progress bar over the files.

    Returns:
        What was loaded and quarantined, with reasons and examples.

    Raises:
        IngestError: a file is missing, empty, unreadable, in another encoding, lacks a
            required column or has an ambiguous header (a column named twice), or several
            sheets of a workbook match. Nothing is loaded then, ``replace`` included.
        ContractError: ``dataset`` is not in the contract.
    """
    ds = contracts.dataset(dataset)
    paths = [Path(files)] if isinstance(files, str | os.PathLike) else [Path(f) for f in files]
    if not paths:
        raise IngestError("没有指定要导入的文件。", "No files were given to ingest.")
    if encoding not in ENCODINGS:
        raise IngestError(
            f'不支持编码 "{encoding}"，只能是 auto、utf-8 或 gbk。',
            f'Encoding "{encoding}" is not supported; use auto, utf-8 or gbk.',
        )
    if header_row is not None and header_row < 1:
        raise IngestError(
            f"表头行号必须是正整数，而不是 {header_row}（--header-row）。",
            f"The header row must be a positive number, not {header_row} (--header-row).",
        )
    matcher = HeaderMatcher.of(ds)
    # one writer at a time: this waits (bounded, and says for whom) while another writes;
    # readers (notebooks, runs, reviewers) are never blocked, and see the new rows only
    # once everything is committed and published
    write = contextlib.ExitStack()
    writer = write.enter_context(writing(ws.home, f"huiyan ingest {ds.name}", tables=()))
    con = writer.con
    existing = _table_exists(con, ds.name)
    prefix = f"_huiyan_ingest_{uuid.uuid4().hex[:12]}"
    temps: list[str] = []
    try:
        staged: list[Staged] = []
        mappings: list[dict[str, int]] = []
        ignored: list[tuple[str, str]] = []
        refusals: list[tuple[Path, str, str]] = []
        hints: list[str] = []
        from tqdm.auto import tqdm

        for i, path in enumerate(
            tqdm(paths, desc=f"读取 {dataset}", disable=not progress or len(paths) < 2)
        ):
            table = f"{prefix}_f{i}"
            try:
                st = stage(
                    con,
                    path,
                    table,
                    matcher=matcher,
                    encoding=encoding,
                    sheet=sheet,
                    header_row=header_row,
                )
            except IngestError as err:
                refusals.append((path, err.zh, err.en))
                hints += [err.hint] if err.hint else []
                continue
            finally:
                temps += temp_tables(table)
            empty = _empty_columns(con, st)
            mapped = map_headers(st.found, matcher, sheet=st.layout.sheet, empty=empty)
            refusals += [(path, z, e) for z, e in mapped.problems]
            hints += [_HEADER_HINT] if mapped.problems else []
            ignored += [(path.name, h) for h in mapped.ignored]
            staged.append(st)
            mappings.append(mapped.positions)
        if refusals:
            raise _refusal(refusals, hints)

        checked, keyed, problems_table = (
            f"{prefix}_checked",
            f"{prefix}_keyed",
            f"{prefix}_problems",
        )
        temps += [checked, keyed, problems_table, f"{prefix}_labels"]
        union = " UNION ALL ".join(
            _stage_sql(ds, i, st, m) for i, (st, m) in enumerate(zip(staged, mappings, strict=True))
        )
        con.execute(f"CREATE TEMP TABLE {quote(checked)} AS {_checked_sql(ds, f'({union})')}")
        layouts = _layouts(con, staged, checked)
        for st in staged:
            con.execute(f"DROP TABLE IF EXISTS {quote(st.table)}")
        con.execute(
            f"CREATE TEMP TABLE {quote(keyed)} AS "
            f"{_key_problems_sql(ds, checked, existing=existing and not replace)}"
        )
        con.execute(
            f"CREATE TEMP TABLE {quote(problems_table)} AS "
            f"{_problems_sql(ds, checked, keyed, staged)}"
        )

        good = " AND ".join(f"{quote('r_' + c.name)} IS NULL" for c in ds.columns)
        names = ", ".join(quote(c.name) for c in ds.columns)
        values = ", ".join(quote("v_" + c.name) for c in ds.columns)
        interrupts.check()  # a Ctrl-C pressed at any moment before this point stops the load
        con.execute("BEGIN TRANSACTION")
        try:
            if replace or not existing:
                con.execute(create_table_sql(ds.name, replace=True))
            row = con.execute(
                f"INSERT INTO main.{quote(ds.name)} ({names}) SELECT {values} FROM {quote(checked)} c "
                f"ANTI JOIN {quote(keyed)} k USING (_file, _line) WHERE {good} ORDER BY _file, _line"
            ).fetchone()
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        writer.changed(ds.name)
        loaded = int(row[0]) if row else 0

        quarantined = con.execute(
            f"SELECT count(*) FROM (SELECT DISTINCT _file, _line FROM {quote(problems_table)})"
        ).fetchone()[0]
        groups = _groups(con, ds, problems_table, paths) if quarantined else []
        qfile = (
            _write_quarantine(con, ws, ds, problems_table, paths, prefix) if quarantined else None
        )
        total = con.execute(f"SELECT count(*) FROM main.{quote(ds.name)}").fetchone()[0]
    finally:
        for table in temps:
            with contextlib.suppress(Exception):
                con.execute(f"DROP TABLE IF EXISTS temp.{quote(table)}")
        write.close()  # publishes the new rows as the dataset's next snapshot
        ws.refresh()
    report = IngestReport(
        dataset=ds.name,
        files=tuple(paths),
        loaded=loaded,
        quarantined=int(quarantined),
        problems=tuple(groups),
        ignored_headers=tuple(ignored),
        quarantine_file=qfile,
        replaced=replace,
        table_rows=int(total),
        layouts=layouts,
    )
    log.info("ingested %s: %d loaded, %d quarantined", ds.name, loaded, quarantined)
    if ds.name == "judgments" and loaded:
        from huiyan.judgments import parse_workspace

        parse_workspace(ws, progress=progress)  # read only the new texts into the derived tables
    return report
