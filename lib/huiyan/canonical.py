"""Canonical identifiers: identity numbers, codes, plates and company names in the form rules join on.

Every dataset keeps its values as written (for display and evidence). Beside them,
each snapshot a reader opens carries *derived* columns holding the same values once
normalised, so no rule normalises a million identity numbers again on every run:

==============  ============================================  ================================
kind            how (the contract's normalisation)            derived column
==============  ============================================  ================================
``id``          trimmed, upper-case (``x`` -> ``X``), ``''``   ``<column>_key``
                as missing (:func:`huiyan.rules.person_key`)
``code``        trimmed, ``''`` as missing (:func:`huiyan.       ``<column>_key``
                rules.text`): household, certificate and
                account numbers
``trim``        trimmed (:func:`huiyan.rules.strip`): village      ``<column>_key``
                names matched between registers
``plate``       no dots or spaces, half-width, upper-case      ``<column>_key``
==============  ============================================  ================================

They are computed when a table's snapshot is published (:mod:`huiyan.snapshots`), so
``huiyan ingest``, ``huiyan synth`` and any other write produce them, and a workspace
published before they existed gets them the first time it is opened (its snapshots
are published again). The writers' database and every export keep the contract's
columns only; derived columns are never contract columns (:func:`is_derived`).

A rule takes the contract's tables; :func:`keyed` returns a table with its derived
columns, computing only those a table lacks (a hand-built table in a test, an old
snapshot a busy writer has not yet replaced), so a rule gives the same hits either way.

Example:
    >>> import ibis
    >>> t = ibis.memtable({"person_id": [" 33060219800101123x ", ""], "name": ["a", "b"],
    ...                    "household_id": ["H1 ", "H2"], "relation": ["户主", "户主"]})
    >>> ibis.duckdb.connect().to_pyarrow(keyed(t, "households")).column("person_id_key").to_pylist()
    ['33060219800101123X', None]
    >>> derived("enterprises")
    {'org_id_key': 'org_id', 'legal_rep_id_key': 'legal_rep_id'}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # ibis loads when a column is computed: checking versions needs none of it
    import ibis.expr.types as ir

__all__ = ["KEYS", "VERSION", "derived", "is_derived", "keyed", "snapshot_sql"]

VERSION = 3
"""Bumped whenever a derived column is added or computed differently: snapshots published
under an older version are published again when the workspace is next opened."""

KEYS: dict[str, dict[str, str]] = {
    "social_security": {"person_id": "id", "employer_org_id": "id"},
    "insurance_claims": {
        "plate_no": "plate",
        "insured_id": "id",
        "reporter_id": "id",
        "repair_shop_org_id": "id",
    },
    "vehicles": {"plate_no": "plate", "owner_id": "id"},
    "enterprises": {"org_id": "id", "legal_rep_id": "id"},
    "enterprise_people": {"org_id": "id", "person_id": "id"},
    "admin_penalties": {"party_id": "id"},
    "criminal_cases": {"suspect_id": "id"},
    "judicial_auctions": {"buyer_id": "id", "executed_party_id": "id"},
    "bankruptcy_claims": {"debtor_org_id": "id", "claimant_id": "id"},
    "forest_subsidies": {
        "recipient_id": "id",
        "cert_no": "code",
        "account_no": "code",
        "village": "trim",
    },
    "forest_rights": {"cert_no": "code", "holder_id": "id"},
    "deaths": {"person_id": "id"},
    "households": {"person_id": "id", "household_id": "code"},
    "village_officials": {"person_id": "id", "village": "trim"},
}
"""dataset -> {column as written: kind of normalisation}."""


def _plate(col: ir.StringValue) -> ir.StringValue:
    """ibis version of :func:`huiyan.identifiers.normalise_plate` ('' as missing)."""
    import ibis

    from huiyan.identifiers import _FULLWIDTH, _HALFWIDTH

    wide = col.re_search("[\uff01-\uff5e\u3000]")
    half = ibis.ifelse(wide, col.translate(_FULLWIDTH, _HALFWIDTH), col)  # translate is slow
    return half.re_replace(r"[\s·•．.\-]", "").upper().nullif("")  # type: ignore[no-any-return]


def _normaliser(kind: str) -> Callable[[ir.StringValue], ir.StringValue]:
    from huiyan.rules import person_key, strip, text

    kinds = {"id": person_key, "code": text, "trim": strip, "plate": _plate}
    return kinds[kind]


def _name(column: str, kind: str) -> str:
    return f"{column}_key"


def derived(dataset: str) -> dict[str, str]:
    """The derived columns of ``dataset``: derived column -> the column it is computed from."""
    return {_name(c, k): c for c, k in KEYS.get(dataset, {}).items()}


def is_derived(dataset: str, column: str) -> bool:
    """True for a derived column (never a contract column: validation and exports skip it)."""
    return column in derived(dataset)


def expressions(table: ir.Table, dataset: str) -> dict[str, ir.Value]:
    """The ibis expressions computing ``dataset``'s derived columns from ``table``'s columns."""
    return {
        _name(c, k): _normaliser(k)(table[c])
        for c, k in KEYS.get(dataset, {}).items()
        if c in table.columns
    }


def keyed(table: ir.Table, dataset: str) -> ir.Table:
    """``table`` with every derived column of ``dataset``; only the missing ones are computed.

    A workspace's tables already carry them (computed once, when published), so this adds
    nothing to their queries.
    """
    missing = {n: e for n, e in expressions(table, dataset).items() if n not in table.columns}
    return table.mutate(**missing) if missing else table


def snapshot_sql(con: Any, name: str) -> tuple[str, dict[str, Any]]:
    """DuckDB SQL reading table ``main.name`` of ``con`` with its derived columns, and the
    snapshot metadata saying which version of them it carries (``{"canonical": VERSION}``;
    empty for a table that has none)."""

    def quote(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    plain = f"SELECT * FROM main.{quote(name)}"
    if name not in KEYS:
        return plain, {}
    import ibis

    columns = [r[0] for r in con.execute(f"DESCRIBE main.{quote(name)}").fetchall()]
    t = ibis.table({c: "string" for c in columns if not is_derived(name, c)}, name=name)
    derive = expressions(t, name)  # a table lacking a source column gets the others
    if not derive:
        return plain, {"canonical": VERSION}
    return str(ibis.to_sql(t.mutate(**derive), dialect="duckdb")), {"canonical": VERSION}


def outdated(tables: Mapping[str, Any]) -> list[str]:
    """The tables (name -> snapshot with ``meta``) published without this version's derived columns."""
    return sorted(
        n for n, snap in tables.items() if n in KEYS and snap.meta.get("canonical") != VERSION
    )
