"""The big registers, read once per model run and shared by every rule of the model.

A model's rules each join the same registers (households 1.7 million rows,
social security 1.6 million, company officers 0.7 million, penalties 1 million at
province scale). Run rule by rule, each query would read and hash a whole register
again. Instead a model's ``run_rules`` hands its rules shared tables: each
register narrowed, in one pass, to the rows the run's subjects can touch (the
claimants' social-security rows, their households, the debtors' officers), and kept
for the whole run (:func:`huiyan.rules.keep`: a temporary table on DuckDB, a checkpointed
frame on Spark). Every rule then joins the small copy. The rules stay separate functions
taking the contract's tables; a rule given the whole register finds the same hits.
A rule added in a notebook that needs other rows of a register reads
``ws.table(name)`` itself.

Example:
    >>> import ibis
    >>> hh = ibis.memtable({"person_id": ["A", "B", "C", "D"], "household_id": ["H1", "H1", "H2", "H3"]})
    >>> people = ibis.memtable({"pid": ["A", "D", "Z"]})
    >>> sorted(households_of(hh, people.pid).person_id.execute())
    ['A', 'B', 'D']
"""

from __future__ import annotations

import functools
import logging
import operator
from collections.abc import Mapping

import ibis.expr.types as ir

from huiyan.canonical import keyed

__all__ = ["about", "about_any", "households_of", "keep"]

log = logging.getLogger(__name__)


def about(register: ir.Table, dataset: str, column: str, values: ir.Column) -> ir.Table:
    """The rows of ``register`` whose canonical ``column`` (e.g. ``person_id_key``) is one of
    ``values``, with its canonical identifiers (:func:`huiyan.canonical.keyed`)."""
    t = keyed(register, dataset)
    wanted = values.name("_wanted").as_table().filter(lambda v: v._wanted.notnull()).distinct()
    return t.semi_join(wanted, t[column] == wanted._wanted)


def about_any(register: ir.Table, dataset: str, wanted: Mapping[str, ir.Column]) -> ir.Table:
    """The rows of ``register`` whose canonical column is one of its ``wanted`` values, for any
    of the columns given, each row once, in one read of the register.

    ``about_any(hh, "households", {"person_id_key": people, "household_id_key": homes})``
    is the union of two :func:`about` calls without reading the register twice, and
    without a row twice where both match.
    """
    t = keyed(register, dataset)
    matches = [t[column].isin(values) for column, values in wanted.items()]
    return t.filter(functools.reduce(operator.or_, matches))


def households_of(households: ir.Table, people: ir.Column) -> ir.Table:
    """Every member of the households of ``people`` (canonical resident IDs), keyed."""
    mine = about(households, "households", "person_id_key", people)
    return about(households, "households", "household_id_key", mine.household_id_key)


def keep(table: ir.Table) -> ir.Table:
    """``table`` computed once now and kept for the rest of the run (:func:`huiyan.rules.keep`).

    Every later query reading it reads the kept copy; DuckDB and Spark alike.
    """
    from huiyan.rules import keep as keep_table

    return keep_table(table)
