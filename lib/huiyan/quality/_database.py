"""The checks that need the whole table, run inside DuckDB, and the batches handed to GX.

Key uniqueness, row counts, column types and cross-row rules cannot be judged
one batch at a time, so they run as SQL in the database. Everything row-by-row
is streamed out as column-pruned Arrow record batches (only the columns the
suite reads, long text cut to a stub when only its presence is checked).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any

import pandas as pd

from huiyan import contracts
from huiyan.errors import WorkspaceError
from huiyan.quality._gx import Outcome, columns_of
from huiyan.workspace import Workspace

BATCH_ROWS = 250_000
"""Rows per batch handed to GX: large enough to amortise its per-run cost, small in memory."""


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def raw(ws: Workspace) -> Any:
    """The DuckDB connection under the workspace's ibis backend."""
    if ws.engine_name != "duckdb":
        raise WorkspaceError(
            "数据质量校验目前只支持 DuckDB 引擎。",
            "Data quality validation currently runs on the DuckDB engine only.",
            "请在 huiyan.toml 中使用 duckdb 引擎后再校验 Validate with engine duckdb.",
        )
    return ws.con.con


def schema(con: Any, table: str) -> dict[str, str]:
    """Column name -> DuckDB type of ``table``."""
    rows = con.execute(f"DESCRIBE {q(table)}").fetchall()
    return {str(r[0]): str(r[1]) for r in rows}


def fingerprint(con: Any, table: str) -> tuple[int, str]:
    """Row count and an order-independent content hash (sum of row hashes, plus the schema)."""
    rows, total = con.execute(
        f"SELECT count(*), sum(hash(t)) % 18446744073709551616 FROM {q(table)} AS t"
    ).fetchone()
    cols = ",".join(f"{n}:{t}" for n, t in schema(con, table).items())
    digest = hashlib.sha256(f"{int(total or 0)}|{cols}".encode()).hexdigest()[:16]
    return int(rows), digest


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _rows_as_examples(
    cursor: Any, keys: list[str], *, key_first: bool = True
) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    out = []
    for row in cursor.fetchall():
        record = dict(zip(names, (_cell(v) for v in row), strict=True))
        key = {k: record[k] for k in keys if k in record}
        if not key and key_first and names:
            key = {names[0]: record[names[0]]}
        out.append({"key": key, "values": {n: v for n, v in record.items() if n not in key}})
    return out


def table_check(
    con: Any,
    table: str,
    exp: dict[str, Any],
    *,
    columns: dict[str, str],
    keys: list[str],
    rows: int,
    limit: int = 5,
) -> Outcome:
    """Run one whole-table expectation in the database."""
    type_ = exp["type"]
    kw = exp["kwargs"]
    if type_ == "expect_column_to_exist":
        ok = kw["column"] in columns
        return Outcome(
            checked=1,
            unexpected=0 if ok else 1,
            examples=[] if ok else [{"key": {}, "values": {"缺少列 missing column": kw["column"]}}],
        )
    if type_ == "expect_column_values_to_be_in_type_list":
        col = kw["column"]
        if col not in columns:
            return Outcome(checked=0)
        actual = columns[col]
        base = actual.split("(")[0].strip().upper()
        ok = base in [t.upper() for t in kw["type_list"]]
        return Outcome(
            checked=1,
            unexpected=0 if ok else 1,
            examples=[] if ok else [{"key": {}, "values": {col: actual}}],
        )
    if type_ == "expect_table_row_count_to_be_between":
        low, high = kw.get("min_value"), kw.get("max_value")
        ok = (low is None or rows >= low) and (high is None or rows <= high)
        return Outcome(
            checked=1,
            unexpected=0 if ok else 1,
            examples=[] if ok else [{"key": {}, "values": {"行数 rows": rows}}],
        )
    if type_ in ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"):
        cols = [kw["column"]] if "column" in kw else list(kw["column_list"])
        if any(c not in columns for c in cols):
            return Outcome(checked=0)
        names = ", ".join(q(c) for c in cols)
        not_null = " AND ".join(f"{q(c)} IS NOT NULL" for c in cols)
        dupes = (
            f"SELECT {names}, count(*) AS copies FROM {q(table)} WHERE {not_null} "
            f"GROUP BY ALL HAVING count(*) > 1"
        )
        (count,) = con.execute(f"SELECT coalesce(sum(copies), 0) FROM ({dupes})").fetchone()
        examples = _rows_as_examples(
            con.execute(f"{dupes} ORDER BY copies DESC, {names} LIMIT {limit}"), cols
        )
        return Outcome(checked=rows, unexpected=int(count), examples=examples)
    if type_ == "unexpected_rows_expectation":
        query = str(kw["unexpected_rows_query"]).replace("{batch}", q(table))
        (count,) = con.execute(f"SELECT count(*) FROM ({query})").fetchone()
        examples = (
            _rows_as_examples(con.execute(f"SELECT * FROM ({query}) LIMIT {limit}"), keys)
            if count
            else []
        )
        return Outcome(checked=rows, unexpected=int(count), examples=examples)
    raise ValueError(f"not a whole-table expectation: {type_}")


def stub_only(ds: contracts.Dataset, exps: list[dict[str, Any]], keys: list[str]) -> set[str]:
    """Long-text columns whose presence alone is checked: a short stub of them is enough."""
    texts = {c.name for c in ds.columns if c.type == "text"}
    return {
        c
        for c in texts
        if c not in keys
        and all(
            e["type"] == "expect_column_values_to_not_be_null"
            for e in exps
            if c in columns_of(e["kwargs"])
        )
    }


def batch_select(
    table: str, needed: list[str], *, columns: dict[str, str], dataset: str, stub_only: set[str]
) -> str:
    """The SELECT that streams the columns GX needs; empty strings count as missing."""
    ds = contracts.dataset(dataset)
    types = {c.name: c.type for c in ds.columns}
    parts = []
    for name in needed:
        col = q(name)
        if name in stub_only:
            # Only presence is checked: ship a short stub, never the whole document. Trimming
            # the head first spares copying whole documents (the CASE is lazy): 3x faster.
            parts.append(
                f"CASE WHEN {col} IS NULL THEN NULL "
                f"WHEN trim(left({col}, 64)) <> '' THEN left({col}, 20) "
                f"WHEN trim({col}) = '' THEN NULL ELSE left({col}, 20) END AS {col}"
            )
        elif columns.get(name, "").upper() == "VARCHAR" and types.get(name) in ("string", "text"):
            parts.append(f"nullif({col}, '') AS {col}")
        else:
            parts.append(col)
    return f"SELECT {', '.join(parts)} FROM {q(table)}"


def batches(con: Any, sql: str, *, rows: int = BATCH_ROWS) -> Iterator[pd.DataFrame]:
    """Stream a query as pandas frames of about ``rows`` rows each."""
    reader = con.execute(sql).fetch_record_batch(rows)
    for batch in reader:
        if batch.num_rows:
            yield _dates_as_timestamps(batch).to_pandas()


_NS_LOW, _NS_HIGH = dt.date(1678, 1, 1), dt.date(2261, 12, 31)


def _dates_as_timestamps(batch: Any) -> Any:
    """Dates as timestamps, so GX compares them vectorised rather than one Python object a row.

    Nanosecond timestamps (GX's fast path) when the batch's dates fit them, which valid
    data always does; second resolution otherwise, so a date like 0021-03-01 is still
    compared and reported as it is (row by row).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arrays = list(batch.columns)
    changed = False
    for i, field in enumerate(batch.schema):
        if field.type != pa.date32():
            continue
        bounds = pc.min_max(arrays[i]).as_py()
        fits = bounds["min"] is None or (bounds["min"] >= _NS_LOW and bounds["max"] <= _NS_HIGH)
        arrays[i] = arrays[i].cast(pa.timestamp("ns" if fits else "s"))
        changed = True
    return pa.RecordBatch.from_arrays(arrays, names=batch.schema.names) if changed else batch
