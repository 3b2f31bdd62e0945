"""The stored shape of every dataset table, shared by ingest and the synthetic generator.

Every writer (``huiyan ingest``, ``huiyan synth``) creates tables from here, so a
county's ingested data and the synthetic province have identical column types
and column order (the contract's order).

Money is stored as DOUBLE yuan rounded to 2 decimals (分), not DECIMAL: models
compare and multiply money with plain numbers (``start_price < 0.7 *
appraisal_value``), and pandas cannot mix ``Decimal`` with ``float``.

Example:
    >>> print(create_table_sql("deaths"))
    CREATE TABLE "deaths" ("person_id" VARCHAR, "name" VARCHAR, "death_date" DATE)
"""

from __future__ import annotations

from typing import Any

from huiyan import contracts

SQL_TYPES: dict[str, str] = {
    "string": "VARCHAR",
    "text": "VARCHAR",
    "date": "DATE",
    "month": "DATE",
    "money": "DOUBLE",
    "number": "DOUBLE",
    "int": "BIGINT",
    "bool": "BOOLEAN",
}
"""DuckDB type of each contract column type."""

_IBIS_TYPES = {
    "VARCHAR": "string",
    "DATE": "date",
    "DOUBLE": "float64",
    "BIGINT": "int64",
    "BOOLEAN": "boolean",
}


def quote(name: str) -> str:
    """A SQL identifier in double quotes."""
    return '"' + name.replace('"', '""') + '"'


def column_types(dataset: str) -> dict[str, str]:
    """Column name -> DuckDB type for ``dataset``, in contract order.

    >>> column_types("deaths")
    {'person_id': 'VARCHAR', 'name': 'VARCHAR', 'death_date': 'DATE'}
    """
    ds = contracts.dataset(dataset)
    return {c.name: SQL_TYPES[c.type] for c in ds.columns}


def create_table_sql(dataset: str, *, table: str | None = None, replace: bool = False) -> str:
    """The ``CREATE TABLE`` statement for ``dataset`` (named ``table`` when given)."""
    cols = ", ".join(f"{quote(n)} {t}" for n, t in column_types(dataset).items())
    verb = "CREATE OR REPLACE TABLE" if replace else "CREATE TABLE"
    return f"{verb} {quote(table or dataset)} ({cols})"


def ibis_schema(dataset: str) -> Any:
    """The ibis schema of ``dataset``'s table (for ``con.create_table(name, schema=...)``)."""
    import ibis

    return ibis.schema({n: _IBIS_TYPES[t] for n, t in column_types(dataset).items()})


def arrow_schema(dataset: str) -> Any:
    """The pyarrow schema of ``dataset``'s table (for writers that build Arrow batches)."""
    return ibis_schema(dataset).to_pyarrow()
