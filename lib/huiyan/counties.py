"""Each county on its own, in one computation: what ``--each-county`` runs a model as.

A run for one county reads that county's records (``ws.table(name, region="330602")``) and
compares them with each other and with the province's registers. ``--each-county`` wants
that answer for every county. Instead of one run per county, the model's notebook runs
once with ``region = "*"`` (:data:`EACH`): ``ws.table(name, region="*")`` then gives every
county's records, each marked with its county in the column ``county_scope``. A rule that
compares a county's records with each other (the same person at two debtors, the median
wage of a debtor) adds that column to its groups and joins, with :func:`by_county` and
:func:`same_county`, so records of different counties are never compared. In a run for
one county, or for the whole province (``region = ""``), the tables have no such column,
both helpers give nothing, and the rule compares whatever it is given, across counties
included.

    >>> import ibis
    >>> claims = ibis.memtable({"person": ["p", "p", "q"], "region": ["330602", "330603", "330602"]})
    >>> by_county(claims)
    []
    >>> each = mark(claims)
    >>> [c.get_name() for c in by_county(each)]
    ['county_scope']
    >>> int(each.group_by(["person", *by_county(each)]).aggregate(n=each.count()).n.max().execute())
    1
    >>> int(claims.group_by(["person", *by_county(claims)]).aggregate(n=claims.count()).n.max().execute())
    2

The runner sets ``$HUIYAN_REGION`` for the notebook; :func:`huiyan.clues.collect` then keeps
one subject's clues of different counties apart (:func:`each_county_run`).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ibis.expr.types as ir

EACH = "*"
"""The notebook's ``region`` for every county, each on its own (``--each-county``)."""

SCOPE = "county_scope"
"""The column that marks each record's county in an each-county run."""


def mark(table: ir.Table) -> ir.Table:
    """``table``'s records that belong to a county, each marked with it (:data:`SCOPE`)."""
    known = table.region.notnull() & (table.region != "")
    return table.filter(known).mutate(**{SCOPE: table.region})


def by_county(table: ir.Table) -> list[ir.Column]:
    """``[table.county_scope]`` in an each-county run, else ``[]``.

    Add it to a rule's ``select`` (to carry it on), ``group_by`` and window ``group_by``
    wherever the rule compares records of the county with each other.
    """
    return [table[SCOPE]] if SCOPE in table.columns else []


def same_county(left: ir.Table, right: ir.Table) -> list[ir.BooleanValue]:
    """The join condition that two records are of the same county, in an each-county run:
    ``[left.county_scope == right.county_scope]`` when both carry the mark, else ``[]``."""
    if SCOPE in left.columns and SCOPE in right.columns:
        return [left[SCOPE] == right[SCOPE]]
    return []


def each_county_run() -> bool:
    """Whether this process runs a notebook for each county on its own (``$HUIYAN_REGION``)."""
    return os.environ.get("HUIYAN_REGION") == EACH
