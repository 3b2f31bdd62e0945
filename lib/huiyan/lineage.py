"""Lineage: which datasets and columns an ibis expression reads, from its operation graph.

A rule written in ibis carries its lineage: every table it reads and every column it
touches is a node of its expression. Collecting clues records each rule's lineage
(:func:`huiyan.clues.collect`), so a run knows exactly what its rules read, on DuckDB
and Spark alike, and vetting checks it against the data contract.

A column read through a filter, a join, a projection or a cached table (``.cache()``)
is traced back to the table it comes from; columns a rule computes itself are not
datasets' columns, and a stored canonical identifier (``person_id_key``, see
:mod:`huiyan.canonical`) counts as the column it is computed from (``person_id``). Hits built in Python (``ibis.memtable``) or raw SQL cannot be traced:
:attr:`Lineage.untraced` says so.

Example:
    >>> import ibis
    >>> t = ibis.table({"case_id": "string", "fine": "float64", "region": "string"},
    ...                name="admin_penalties")
    >>> hit = t.filter(t.fine > 1000).select(subject_id=t.case_id, region=t.region)
    >>> read(hit).tables
    {'admin_penalties': ('case_id', 'fine', 'region')}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import ibis.expr.operations as ops
import ibis.expr.types as ir

from huiyan import canonical


@dataclass(frozen=True)
class Lineage:
    """The datasets an expression reads, with the columns it reads from each.

    Attributes:
        tables: dataset name -> the columns read, sorted.
        untraced: what could not be traced to a dataset ("memtable": hits built in
            Python; "sql": a raw SQL query).
    """

    tables: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    untraced: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The lineage as JSON-ready data (what a run's clues file records)."""
        out: dict[str, Any] = {"tables": {k: list(v) for k, v in self.tables.items()}}
        if self.untraced:
            out["untraced"] = list(self.untraced)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Lineage:
        tables = data.get("tables") or {}
        return cls(
            {str(k): tuple(str(c) for c in v) for k, v in tables.items()},
            tuple(str(u) for u in data.get("untraced") or ()),
        )

    def __or__(self, other: Lineage) -> Lineage:
        names = sorted(set(self.tables) | set(other.tables))
        tables = {
            n: tuple(sorted(set(self.tables.get(n, ())) | set(other.tables.get(n, ()))))
            for n in names
        }
        return Lineage(tables, tuple(sorted(set(self.untraced) | set(other.untraced))))


_NAMED = (ops.DatabaseTable, ops.UnboundTable)
"""Tables that are datasets (a workspace's tables, or a named table in an example)."""
_DEFINING = ("values", "groups", "metrics")
"""Arguments in which a relation computes its output columns (projections, joins, aggregates)."""

Ref = tuple[ops.Relation, str | None]
"""A column a value reads: (relation, column name), or a whole relation (a subquery) with None."""


def _parents(rel: ops.Relation) -> list[ops.Relation]:
    """The relations ``rel`` reads directly (join links unwrapped)."""
    out = []
    for child in rel.__children__:
        if isinstance(child, ops.Relation):
            out.append(child)
        elif isinstance(child, ops.JoinLink):
            out.append(child.table)
    return out


def _cached_from(table: ops.PhysicalTable) -> ops.Relation | None:
    """The expression a cached table (``expr.cache()``, or :func:`huiyan.rules.keep`) was
    computed from, while it is cached.

    ibis keeps that in its backend's cache registry, a private attribute: without it
    (another ibis) the cached table is simply not traced further.
    """
    from huiyan.rules import kept_from

    entries = getattr(getattr(table, "source", None), "_cache_name_to_entry", None)
    entry = entries.get(table.name) if isinstance(entries, dict) else None
    return getattr(entry, "orig_op", None) or kept_from(table.name)


def _refs(value: Any) -> list[Ref]:
    """The columns (and subqueries) that value expressions in ``value`` read, not looking further."""
    if isinstance(value, ops.Relation):
        return []
    if isinstance(value, ops.Value):
        out: list[Ref] = []
        for node in value.find(ops.Value, filter=ops.Value):
            if isinstance(node, ops.Field):
                out.append((node.rel, node.name))
            else:  # a subquery (x.isin(table.col), exists, a scalar) reads a whole relation
                out += [(c, None) for c in node.__children__ if isinstance(c, ops.Relation)]
        return out
    if isinstance(value, ops.Node):  # a join link: its predicates
        return [r for arg in value.__args__ for r in _refs(arg)]
    if isinstance(value, tuple | list):
        return [r for item in value for r in _refs(item)]
    if isinstance(value, Mapping):
        return [r for item in value.values() for r in _refs(item)]
    return []


def read(expr: ir.Expr) -> Lineage:
    """The datasets and columns ``expr`` reads (see the module docstring).

    Every column of a table expression counts as read (a rule's hits are read whole);
    from there each column is traced down to the datasets' columns it is computed from,
    together with the columns that filters, joins, sorts and groupings test on the way.
    """
    root = expr.op()
    found: dict[str, set[str]] = {}
    untraced: set[str] = set()
    seen: set[Ref] = set()
    tested: set[ops.Relation] = set()

    def need(rel: ops.Relation, name: str | None) -> None:
        if (rel, name) in seen:
            return
        seen.add((rel, name))
        cached = _cached_from(rel) if isinstance(rel, ops.PhysicalTable) else None
        if cached is not None:  # computed earlier in this session: trace what computed it
            need(cached, name)
            return
        if name is None:  # the whole relation
            for column in rel.schema.names:
                need(rel, column)
            if isinstance(rel, _NAMED):
                found.setdefault(rel.name, set())
            return
        if isinstance(rel, _NAMED):
            # a canonical identifier (huiyan.canonical) is its column as written, normalised
            source = canonical.derived(rel.name).get(name, name)
            found.setdefault(rel.name, set()).add(source)
            return
        if isinstance(rel, ops.PhysicalTable):
            untraced.add("memtable")
            return
        if isinstance(rel, ops.SQLQueryResult | ops.SQLStringView):
            untraced.add("sql")
            return
        if rel not in tested:  # its predicates, join conditions, sort keys: read whatever is asked
            tested.add(rel)
            for arg, value in zip(rel.__argnames__, rel.__args__, strict=True):
                if arg not in _DEFINING:
                    for ref in _refs(value):
                        need(*ref)
        own = [getattr(rel, a) for a in _DEFINING if a in rel.__argnames__]
        computed = [m[name] for m in own if name in m]
        if computed:
            for ref in _refs(computed):
                need(*ref)
            return
        for parent in _parents(rel):
            if name in parent.schema:
                need(parent, name)

    if isinstance(root, ops.Relation):
        need(root, None)
    else:
        for ref in _refs(root):
            need(*ref)
    for table in root.find(_NAMED):  # a table read for its rows only still counts as read
        if _cached_from(table) is None:
            found.setdefault(table.name, set())
    return Lineage({k: tuple(sorted(v)) for k, v in sorted(found.items())}, tuple(sorted(untraced)))
