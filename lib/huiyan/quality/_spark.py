"""The quality gate on the Spark engine: the same suites on the Parquet that Spark reads.

A Spark run reads each dataset from ``<parquet dir>/<dataset>.parquet`` (exported
from the workspace, or the cluster's own folder named in ``huiyan.toml``), so that
is what is validated here. Row-by-row expectations run in Great Expectations'
Spark data source (``context.data_sources.add_spark``, a dataframe asset, the
Spark DataFrame as batch parameter); whole-table checks (keys, row counts,
types, cross-row rules) run as Spark SQL with the very queries the DuckDB path
uses, so both engines judge the data alike.

Two passes keep Spark's job count low: GX first decides pass or fail for every
expectation (``BOOLEAN_ONLY``: all counts in a few bundled aggregations), then
only the failed ones run again (``SUMMARY``) for their counts and example keys.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from huiyan import contracts
from huiyan.quality import _database
from huiyan.quality._gx import Outcome, columns_of
from huiyan.workspace import Workspace

log = logging.getLogger(__name__)

_TYPES = {
    "string": "VARCHAR",
    "date": "DATE",
    "double": "DOUBLE",
    "float": "FLOAT",
    "bigint": "BIGINT",
    "int": "INTEGER",
    "smallint": "SMALLINT",
    "tinyint": "TINYINT",
    "boolean": "BOOLEAN",
    "timestamp": "TIMESTAMP WITH TIME ZONE",
    "timestamp_ntz": "TIMESTAMP",
    "binary": "BLOB",
}
"""Spark type -> the DuckDB name the suites' type expectations are written in."""


def duckdb_type(spark_type: str) -> str:
    """The DuckDB spelling of a Spark SQL type, e.g. ``decimal(18,2)`` -> ``DECIMAL(18,2)``.

    >>> duckdb_type("string"), duckdb_type("decimal(18,2)"), duckdb_type("array<int>")
    ('VARCHAR', 'DECIMAL(18,2)', 'ARRAY<INT>')
    """
    if spark_type.startswith("decimal"):
        return spark_type.upper()
    return _TYPES.get(spark_type, spark_type.upper())


class SparkData:
    """The Parquet datasets a Spark run reads, opened in the workspace's Spark session.

    Without a ``[spark] data`` folder in huiyan.toml the workspace's snapshot is exported
    first (only the tables that changed), exactly as a Spark run does.
    """

    def __init__(self, ws: Workspace, wanted: list[str] | None = None) -> None:
        from huiyan import spark

        self.folder = spark.parquet_dir(ws)
        if not ws.settings.get("spark", {}).get("data") and ws.db_path.exists():
            tables = self._in_database(ws, wanted)
            if tables:  # (an empty list would mean "every table" to export_parquet)
                spark.export_parquet(ws, tables=tables)
        self.session = spark.session(ws)
        self._frames: dict[str, Any] = {}

    @staticmethod
    def _in_database(ws: Workspace, wanted: list[str] | None) -> list[str]:
        from huiyan.workspace import workspace

        snapshot = workspace(ws.home, engine="duckdb").catalog
        return sorted(set(snapshot.tables) & set(wanted or contracts.names()))

    def names(self) -> set[str]:
        """The datasets present as Parquet (a file or a folder of part files)."""
        return {p.name.removesuffix(".parquet") for p in self.folder.glob("*.parquet")}

    def path(self, name: str) -> Path:
        return self.folder / f"{name}.parquet"

    def frame(self, name: str) -> Any:
        """The Spark DataFrame of ``name``, also registered as a temporary view for SQL."""
        if name not in self._frames:
            df = self.session.read.parquet(str(self.path(name)))
            df.createOrReplaceTempView(view(name))
            self._frames[name] = df
        return self._frames[name]

    def fingerprint(self, name: str) -> tuple[int, str]:
        """Row count (from Spark) and a hash of the Parquet files' names, sizes and times."""
        path = self.path(name)
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        stamp = "|".join(
            f"{f.relative_to(path.parent)}:{f.stat().st_size}:{f.stat().st_mtime_ns}"
            for f in files
            if f.is_file()
        )
        rows = int(self.frame(name).count())
        return rows, hashlib.sha256(stamp.encode()).hexdigest()[:16]

    def schema(self, name: str) -> dict[str, str]:
        """Column name -> type in DuckDB's spelling (what the suites' type checks name)."""
        return {
            f.name: duckdb_type(f.dataType.simpleString()) for f in self.frame(name).schema.fields
        }

    @contextmanager
    def sql_dialect(self) -> Iterator[None]:
        """Read ``"name"`` as an identifier, as DuckDB does, while the gate's SQL runs."""
        key = "spark.sql.ansi.doubleQuotedIdentifiers"
        conf = self.session.conf
        old = conf.get(key, "false")
        conf.set(key, "true")
        try:
            yield
        finally:
            conf.set(key, old)

    def table_check(
        self, name: str, exp: dict[str, Any], *, columns: dict[str, str], keys: list[str], rows: int
    ) -> Outcome:
        """One whole-table expectation as Spark SQL (the DuckDB path's own queries)."""
        self.frame(name)
        return _database.table_check(
            _Cursorless(self.session), view(name), exp, columns=columns, keys=keys, rows=rows
        )

    def row_wise(
        self,
        name: str,
        exps: list[dict[str, Any]],
        columns: dict[str, str],
        keys: list[str],
        *,
        today: dt.date,
    ) -> list[Outcome]:
        """The row-by-row expectations in GX's Spark data source, one outcome each."""
        ds = contracts.dataset(name)
        self.frame(name)
        needed = list(dict.fromkeys(keys + [c for e in exps for c in columns_of(e["kwargs"])]))
        stub_only = _database.stub_only(ds, exps, keys)
        sql = _database.batch_select(
            view(name), needed, columns=columns, dataset=name, stub_only=stub_only
        )
        frame = self.session.sql(sql).persist()
        try:
            params = {"today": today.isoformat(), "this_year": today.year}
            first = _run_gx(name, exps, frame, params, {"result_format": "BOOLEAN_ONLY"})
            outcomes: list[Outcome] = []
            failed: list[int] = []
            for i, res in enumerate(first):
                if isinstance(res, Outcome):
                    outcomes.append(res)
                elif res.success:
                    outcomes.append(Outcome(checked=1))
                else:
                    outcomes.append(Outcome(checked=1))
                    failed.append(i)
            if failed:
                second = _run_gx(
                    name,
                    [exps[i] for i in failed],
                    frame,
                    params,
                    {
                        "result_format": "SUMMARY",
                        "partial_unexpected_count": 5,
                        "unexpected_index_column_names": keys,
                    },
                )
                for i, res in zip(failed, second, strict=True):
                    outcomes[i] = res if isinstance(res, Outcome) else _summary(res, exps[i], keys)
            return outcomes
        finally:
            frame.unpersist()


def view(name: str) -> str:
    """The temporary view a dataset is registered under while the gate runs."""
    return f"huiyan_quality_{name}"


class _Cursorless:
    """Just enough of a DuckDB connection for :func:`_database.table_check`, on Spark SQL."""

    def __init__(self, session: Any) -> None:
        self._session = session

    def execute(self, sql: str) -> _Rows:
        df = self._session.sql(sql)
        return _Rows(df.columns, [tuple(r) for r in df.collect()])


class _Rows:
    def __init__(self, names: list[str], rows: list[tuple[Any, ...]]) -> None:
        self.description = [(n,) for n in names]
        self._rows = rows

    def fetchone(self) -> tuple[Any, ...]:
        return self._rows[0]

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._rows


def _run_gx(
    name: str,
    exps: list[dict[str, Any]],
    frame: Any,
    parameters: dict[str, Any],
    result_format: dict[str, Any],
) -> list[Any]:
    """Run ``exps`` on the Spark DataFrame in GX; its result per expectation (or an error)."""
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    from huiyan.quality._gx import context, error_of

    ctx = context()
    tag = f"{name}-spark-{uuid.uuid4().hex[:8]}"
    source = ctx.data_sources.add_spark(name=tag, persist=False)  # the caller persists
    batch_def = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
    suite = gx.ExpectationSuite(name=tag)
    for exp in exps:
        # any unexpected row fails it, as on DuckDB (where counts, not GX's verdict, decide)
        kwargs = {k: v for k, v in exp["kwargs"].items() if k != "mostly"}
        config = ExpectationConfiguration(
            type=exp["type"], kwargs=kwargs, meta=dict(exp.get("meta") or {})
        )
        suite.add_expectation(config.to_domain_obj())
    suite = ctx.suites.add(suite)
    ids = [str(e.id) for e in suite.expectations]
    definition = ctx.validation_definitions.add(
        gx.ValidationDefinition(name=tag, data=batch_def, suite=suite)
    )
    result = definition.run(
        batch_parameters={"dataframe": frame},
        expectation_parameters=parameters,
        result_format=result_format,
    )
    by_id = {str(r.expectation_config.id): r for r in result.results}
    out: list[Any] = []
    for exp_id in ids:
        res = by_id.get(exp_id)
        if res is None:
            out.append(Outcome(checked=1, error="未运行 not run"))
        elif error_of(res):
            out.append(Outcome(checked=1, error=error_of(res)))
        else:
            out.append(res)
    return out


def _summary(res: Any, exp: dict[str, Any], keys: list[str]) -> Outcome:
    """Count and example keys of one failed expectation from GX's SUMMARY result."""
    body = res.result or {}
    cols = columns_of(exp["kwargs"])
    examples = []
    for entry in (body.get("partial_unexpected_index_list") or [])[:5]:
        row = dict(entry) if isinstance(entry, dict) else {}
        examples.append(
            {
                "key": {k: row.get(k) for k in keys},
                "values": {c: _plain(row.get(c)) for c in cols if c in row},
            }
        )
    return Outcome(
        checked=int(body.get("element_count") or 0),
        unexpected=int(body.get("unexpected_count") or 0),
        examples=examples,
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value
