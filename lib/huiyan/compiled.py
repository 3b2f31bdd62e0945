"""Each rule's SQL compiled once per process: a warm kernel's next run does not compile again.

ibis compiles an expression to SQL in Python, through a dozen rewriting passes. At county
scale that costs more than DuckDB's running of the query: about half a second for the
eight rules of bankruptcy_labor_claims. A warm kernel (:mod:`huiyan.runs.warm`) runs the
same notebook again and again, building the same expressions over a new connection, so
the SQL of each expression is remembered for the process.

The key (:func:`key`) is the expression *unbound*: its tables by name, namespace and
schema, not the connection they came from. The SQL of a workspace's expression depends on
nothing else: a table is a view of the workspace's current snapshot, so new data under the
same name and columns is read by the same SQL. A kept table (:func:`huiyan.rules.keep`) is
named after its expression, so the rules built on it get the same key in the next run too.
An expression holding an in-memory table never repeats (that table's name is new each
time): it is compiled as usual and not remembered.

Example:
    >>> import ibis
    >>> con = ibis.duckdb.connect()
    >>> remember_sql(con)
    >>> t = con.create_table("demo", {"a": [1, 2, 3]})
    >>> con.compile(t.filter(t.a > 1)) == con.compile(t.filter(t.a > 1))
    True
"""

from __future__ import annotations

import functools
import itertools
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
from ibis.common.graph import Graph, Node

MAX_REMEMBERED = 512
"""How many expressions' SQL a process keeps (the oldest are forgotten first)."""
MAX_NUMBERED = 200_000
"""How many distinct operations a process numbers before it starts again."""

_SQL: OrderedDict[tuple[str, int], str] = OrderedDict()
_NUMBERS: dict[tuple[Any, ...], int] = {}
_NODE, _MAPPING, _TABLE, _VIEW = (object() for _ in range(4))  # markers no value can equal
_LOCK = threading.RLock()


def key(expr: ir.Expr) -> int | None:
    """The key of ``expr``: a number that only the same expression, unbound, gets in this
    process; None when it holds an in-memory table (a key that never repeats).

    Each operation is numbered after its kind and its arguments, with the numbers of the
    operations it reads in place of them; a table by its name, namespace and schema, not
    its connection. ``t.view()`` numbers its self-reference from a process-wide counter,
    so the same expression built twice differs there: the key counts them in the order
    met instead (that number is not part of the SQL).
    """
    root = expr.op()
    graph, _ = Graph.from_bfs(root).toposort()
    number: dict[ops.Node, int] = {}
    views = itertools.count()

    def arg(value: Any) -> Any:
        if isinstance(value, Node):
            return (_NODE, number[value])
        if isinstance(value, tuple):
            return tuple(arg(v) for v in value)
        if isinstance(value, Mapping):
            return (_MAPPING, tuple((k, arg(v)) for k, v in value.items()))
        return value

    with _LOCK:  # two threads never give one number to two different operations
        for node in graph:
            if isinstance(node, ops.InMemoryTable):
                return None
            if isinstance(node, ops.DatabaseTable):
                parts: tuple[Any, ...] = (_TABLE, node.name, node.schema, node.namespace)
            elif isinstance(node, ops.SelfReference):
                parts = (_VIEW, number[node.parent], next(views))
            else:
                parts = (type(node), *(arg(a) for a in node.__args__))
            found = _NUMBERS.get(parts)
            if found is None:
                found = _NUMBERS[parts] = len(_NUMBERS)
            number[node] = found
        if len(_NUMBERS) > MAX_NUMBERED:  # start again (the SQL goes too: its keys are numbers)
            forget()
            return None
    return number[root]


def remember_sql(backend: Any) -> None:
    """Make ``backend.compile`` remember each expression's SQL for the process (an ibis SQL
    backend; only plain compiles, without a limit, parameters or pretty-printing)."""
    if getattr(backend.compile, "remembers", False):
        return
    compile_now = backend.compile

    @functools.wraps(compile_now)
    def compile(
        expr: ir.Expr,
        /,
        *,
        limit: int | str | None = None,
        params: Any = None,
        pretty: bool = False,
        known: int | None = None,
    ) -> str:
        if limit == "default" and ibis.options.sql.default_limit is None:
            limit = None  # what ``expr.execute()`` passes: no limit unless one is set
        if limit is not None or params or pretty:
            return compile_now(expr, limit=limit, params=params, pretty=pretty)
        number = known if known is not None else key(expr)
        if number is None:
            return compile_now(expr)
        remembered = (backend.name, number)
        sql = _SQL.get(remembered)
        if sql is None:
            sql = _SQL[remembered] = compile_now(expr)
            if len(_SQL) > MAX_REMEMBERED:
                _SQL.popitem(last=False)
        else:
            _SQL.move_to_end(remembered)
        return sql

    compile.remembers = True  # type: ignore[attr-defined]
    backend.compile = compile


def forget() -> None:
    """Forget every remembered SQL and numbered operation (tests; a changed ibis option)."""
    global generation
    with _LOCK:
        _SQL.clear()
        _NUMBERS.clear()
        generation += 1


generation = 0
"""How many times the numbering started again: a key is only unique with its generation."""
