"""Rules: a supervision point as data (code, Chinese wording, legal basis) plus a small ibis function.

A rule function takes ibis tables and keyword-only thresholds and returns an
ibis table of *hits*, one row per flagged subject, with these columns:

    subject_id    string            id of the flagged subject (doc_id, claim_id, person id, ...)
    region        string            6-digit county code the clue belongs to
    evidence      array<string>     suspect records, ``dataset:key`` (see :func:`huiyan.rules.ref`)
    subject_name  string, optional  the person's or company's name
    context       array<string>, optional  supporting records that are not themselves suspect
    score         float64, optional 0-1, higher is stronger (default: the rule's ``score``)
    amount        float64, optional yuan involved
    snippet       string, optional  the words a text clue was read from, in context
                                    (:mod:`huiyan.reading.snippets`); the summary ends with it
                                    as 原文：「…」 (:func:`huiyan.clues.with_snippet`)
    ... any further columns named in the rule's ``summary`` template.

Decorating it with :func:`rule` registers the rule and makes each call return
:class:`Hits` (the rule plus the lazy table), which :func:`huiyan.clues.collect`
turns into clues.

Example:
    >>> import ibis
    >>> @rule("DEMO-BIG", model="demo", zh="金额超过阈值", basis="示例", subject_type="claim",
    ...       summary="赔案{subject_id}金额{amount:,.2f}元，超过{limit:,.0f}元。", replace=True)
    ... def big_claims(claims, *, limit: float = 100.0):
    ...     hit = claims.filter(claims.amount > limit)
    ...     return hit.select(subject_id=hit.claim_id, region=hit.region, amount=hit.amount,
    ...                       limit=ibis.literal(limit),
    ...                       evidence=ibis.array([ref("insurance_claims", hit.claim_id)]))
    >>> t = ibis.memtable({"claim_id": ["c1", "c2"], "region": ["330602"] * 2, "amount": [50.0, 500.0]})
    >>> hits = big_claims(t, limit=100.0)
    >>> hits.rule.code, hits.table.count().execute()
    ('DEMO-BIG', 1)
"""

from __future__ import annotations

import functools
import itertools
import operator
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir

from huiyan.errors import ModelError, did_you_mean

SubjectType = Literal["person", "org", "judgment", "claim", "penalty", "auction", "payment", "ring"]
SUBJECT_TYPES: tuple[str, ...] = (
    "person",
    "org",
    "judgment",
    "claim",
    "penalty",
    "auction",
    "payment",
    "ring",
)


@dataclass(frozen=True)
class Rule:
    """A supervision point: what it flags, why, and how a clue about it reads.

    Attributes:
        code: the contract's rule code, e.g. ``AUC-START-LOW``.
        model: the model that reports it.
        zh: a sentence a prosecutor could read aloud.
        basis: the legal basis, e.g. ``法释〔2016〕18号 第十条``.
        subject_type: what a clue is about (see the clue schema).
        summary: a ``str.format`` template over a hit's columns: the clue's Chinese sentence.
        needs: ``dataset.column`` names the rule reads, checked before anything runs.
        score: the default score of a hit that carries none.
    """

    code: str
    model: str
    zh: str
    basis: str
    subject_type: SubjectType
    summary: str
    needs: tuple[str, ...] = ()
    score: float = 0.8


@dataclass(frozen=True)
class Hits:
    """The hits of one rule: the rule and a lazy ibis table in the hit schema."""

    rule: Rule
    table: ir.Table


REGISTRY: dict[str, Rule] = {}
_ORIGINS: dict[str, tuple[str, str]] = {}


def rule(
    code: str,
    *,
    model: str,
    zh: str,
    basis: str,
    subject_type: SubjectType,
    summary: str,
    needs: tuple[str, ...] = (),
    score: float = 0.8,
    replace: bool = False,
) -> Callable[[Callable[..., ir.Table]], Callable[..., Hits]]:
    """Register a rule and wrap its function so that calling it returns :class:`Hits`."""
    if subject_type not in SUBJECT_TYPES:
        raise ModelError(
            f'规则 {code} 的对象类型 "{subject_type}" 无效。{did_you_mean(subject_type, SUBJECT_TYPES)}',
            f'Rule {code}: subject_type "{subject_type}" is not one of {", ".join(SUBJECT_TYPES)}.',
        )
    meta = Rule(code, model, zh, basis, subject_type, summary, tuple(needs), score)

    def wrap(fn: Callable[..., ir.Table]) -> Callable[..., Hits]:
        origin = (fn.__module__, fn.__qualname__)
        # re-running a notebook cell redefines the same function: that replaces the rule
        clash = code in REGISTRY and REGISTRY[code] != meta and _ORIGINS.get(code) != origin
        if clash and not replace:
            raise ModelError(
                f"规则编号 {code} 已由 {_ORIGINS.get(code, ('?', '?'))[1]} 以不同定义注册。",
                f"Rule code {code} is already registered with a different definition.",
                "每个规则编号只能定义一次 Define each rule code once (or pass replace=True).",
            )
        REGISTRY[code] = meta
        _ORIGINS[code] = origin

        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Hits:
            key = _call_key(fn, args, kwargs)
            if key is not None and key in _CALLS:
                return _CALLS[key]
            hits = Hits(meta, fn(*args, **kwargs))
            if key is not None:
                _CALLS[key] = hits
                if len(_CALLS) > _CALLS_REMEMBERED:
                    del _CALLS[next(iter(_CALLS))]
            return hits

        call.rule = meta  # type: ignore[attr-defined]
        return call

    return wrap


_CALLS: dict[tuple[Any, ...], Hits] = {}
_CALLS_REMEMBERED = 256


def _call_key(fn: Callable[..., Any], args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
    """What a rule call is keyed by inside ``huiyan run`` (None elsewhere, or when an argument
    is neither an expression nor a plain value): the function and its arguments, tables by
    their expression. A warm kernel's next run of the same snapshot builds the same tables
    over the same connection (:func:`huiyan.workspace.workspace`), and gets the same hits
    without building every rule's expression again (ibis checks each join it builds)."""
    if not _in_run():
        return None

    def frozen(v: Any) -> Any:
        if isinstance(v, ir.Expr):
            return ("expr", v.op())
        if isinstance(v, Hits):
            return ("hits", v.rule, v.table.op())
        if isinstance(v, list | tuple):
            return tuple(frozen(x) for x in v)
        hash(v)
        return (type(v), v)

    try:
        return (fn, frozen(args), tuple(sorted((k, frozen(v)) for k, v in kwargs.items())))
    except TypeError:
        return None


def _in_run() -> bool:
    """Inside ``huiyan run``: the notebook reads the one snapshot the runner pinned."""
    return bool(os.environ.get("HUIYAN_RUN_DIR") and os.environ.get("HUIYAN_SNAPSHOT"))


def forget_calls() -> None:
    """Forget the rule calls remembered for a warm kernel's next run (another snapshot)."""
    _CALLS.clear()


def forget_notebook_rules() -> None:
    """Forget the rules notebook cells registered (a reused kernel starts its next notebook clean)."""
    for code in [c for c, (module, _) in _ORIGINS.items() if module in ("__main__", "")]:
        REGISTRY.pop(code, None)
        _ORIGINS.pop(code, None)


def get(code: str) -> Rule:
    """The registered rule ``code``; a ModelError suggests the nearest code.

    A rule is registered when the code that defines it runs: a notebook cell, or the
    import of a promoted model's module (``from huiyan.models import judicial_auction``).
    """
    found = REGISTRY.get(code)
    if found is None:
        raise ModelError(
            f'未知的规则编号 "{code}"。{did_you_mean(code, REGISTRY)}',
            f'Unknown rule code "{code}".',
        )
    return found


def for_model(model: str) -> list[Rule]:
    """Every registered rule of ``model``, in registration order."""
    return [r for r in REGISTRY.values() if r.model == model]


def defined_in(code: str) -> str:
    """Where rule ``code`` is written: "notebook" (a notebook cell) or the library module."""
    module = _ORIGINS.get(code, ("", ""))[0]
    return "notebook" if module in ("__main__", "") else module


def keep(t: ir.Table) -> ir.Table:
    """``t`` computed now and kept as a temporary table of its engine, for later queries to reread.

    DuckDB: a temporary table. Spark: ``cache()`` there is lazy and keeps the
    whole query plan, which every later query would re-analyse (a long plan then
    exhausts the driver's memory); the table is checkpointed instead (computed at
    once, its plan cut to the stored rows) and registered as a temporary view.
    Works on a read-only DuckDB.

    The table is named after its expression, so the same expression kept in the next run
    of a warm kernel has the same name, and the rules built on it compile to SQL already
    known (:mod:`huiyan.compiled`).
    """
    from huiyan import compiled

    backend = t._find_backend(use_default=True)  # an in-memory table: the default backend
    key = compiled.key(t)
    serial = next(_KEPT) if key is None else f"{compiled.generation}_{key}"
    name = f"_huiyan_kept_{serial}"
    # what it was computed from, for lineage: unbound, so that the record holds no connection
    # (a warm kernel's earlier runs would otherwise stay in memory, every connection of them)
    _KEPT_FROM[name] = t.unbind().op()
    if len(_KEPT_FROM) > _KEPT_REMEMBERED:  # a run's lineage is read in that run: old ones go
        del _KEPT_FROM[next(iter(_KEPT_FROM))]
    if backend.name == "pyspark":
        frame = backend._session.sql(backend.compile(t)).localCheckpoint(eager=True)
        frame.createOrReplaceTempView(name)
        return backend.table(name)
    # a temporary table of the connection (not Table.cache(), whose clean-up at exit fails
    # once the workspace is closed): it goes when the connection does
    if key is None or not getattr(backend.compile, "remembers", False):
        return backend.create_table(name, t, temp=True, overwrite=True)
    held: set[str] = backend.__dict__.setdefault("_huiyan_kept", set())
    if name in held and _in_run():  # kept by this run's kernel from this very snapshot
        return backend.table(name)
    # the columns typed as ibis types them (DuckDB alone would make 0.85 a DECIMAL), as
    # ibis's create_table does, then the rows of the remembered query
    columns = ", ".join(
        c.sql(backend.dialect) for c in t.schema().to_sqlglot_column_defs(backend.dialect)
    )
    backend.con.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" ({columns})')
    backend.con.execute(f'INSERT INTO "{name}" {backend.compile(t, known=key)}')
    held.add(name)
    return backend.table(name)


_KEPT = itertools.count()
_KEPT_FROM: dict[str, ops.Relation] = {}
_KEPT_REMEMBERED = 4096


def kept_from(name: str) -> ops.Relation | None:
    """The expression the table :func:`keep` named ``name`` was computed from, unbound (None:
    not kept by this process, or long ago)."""
    return _KEPT_FROM.get(name)


def computed_once(fn: Callable[..., ir.Table]) -> Callable[..., ir.Table]:
    """A rule function whose hits are computed when it is called and kept (:func:`keep`).

    For rules whose hits another rule reads (``forest_subsidy``'s OFFICIAL-LINK, the
    rings of ``insurance_fraud``): kept, each rule's query runs once per run, and both
    that rule and :func:`huiyan.clues.collect` read a small table. Put it under ``@rule``.
    """

    @functools.wraps(fn)
    def once(*args: Any, **kwargs: Any) -> ir.Table:
        return keep(fn(*args, **kwargs))

    return once


def evidence_records(hits: Sequence[Hits], *, excluding: str = "") -> ir.Table:
    """``rule``, ``record``: each record in the evidence of ``hits``, with the rule that flagged
    it, once (a rule that builds on others' hits: rings, OFFICIAL-LINK); ``excluding``, a
    rule code left out (the rule asking).

    >>> t = ibis.memtable({"s": ["a"], "r": ["330602"]})
    >>> h = Hits(Rule("X-1", "demo", "", "", "claim", ""), t.select(
    ...     subject_id=t.s, region=t.r, evidence=ibis.array([ref("claims", t.s)])))
    >>> evidence_records([h]).execute().to_dict("records")
    [{'rule': 'X-1', 'record': 'claims:a'}]
    """
    parts = [
        h.table.select(rule=ibis.literal(h.rule.code), record=h.table.evidence.unnest())
        for h in hits
        if h.rule.code != excluding
    ]
    return ibis.union(*parts, distinct=True)


def ref(dataset: str, *keys: ir.Value) -> ir.StringValue:
    """A record reference ``dataset:key1|key2`` as an ibis string expression.

    >>> import ibis
    >>> t = ibis.memtable({"a": ["x"], "b": ["y"]})
    >>> ibis.duckdb.connect().execute(t.select(r=ref("social_security", t.a, t.b))).r[0]
    'social_security:x|y'
    """
    parts: list[ir.Value] = [ibis.literal(f"{dataset}:")]
    for i, key in enumerate(keys):
        if i:
            parts.append(ibis.literal("|"))
        parts.append(key.cast("string"))
    out = parts[0]
    for part in parts[1:]:
        out = out.concat(part)  # type: ignore[attr-defined]
    return out  # type: ignore[return-value]


WHITESPACE = " \t\n\r\x0b\x0c"
"""The characters ibis ``strip()`` removes from both ends of a string."""


def strip(col: ir.StringValue) -> ir.StringValue:
    """``col.strip()``, computed only where an end is whitespace: the same result, far cheaper.

    Trimming is slow in DuckDB (about a microsecond a value: a second for the
    province's households); a start or end test is not, and almost every value
    needs no trimming. Portable (Spark too).

    >>> import ibis
    >>> t = ibis.memtable({"x": [" a", "b\t", "c"]})
    >>> ibis.duckdb.connect().execute(t.select(y=strip(t.x))).y.tolist()
    ['a', 'b', 'c']
    """
    edge = functools.reduce(operator.or_, [col.startswith(c) | col.endswith(c) for c in WHITESPACE])
    return ibis.ifelse(edge, col.strip(), col)  # type: ignore[return-value]


def text(col: ir.StringValue) -> ir.StringValue:
    """Trimmed text with '' as missing."""
    return strip(col).nullif("")


def person_key(col: ir.StringValue) -> ir.StringValue:
    """An identity number or code for joining: trimmed, upper-case (x -> X), '' as missing."""
    return strip(col).upper().nullif("")


def parameters(model: str, defaults: Mapping[str, Any], given: Mapping[str, Any]) -> dict[str, Any]:
    """A model's thresholds: its defaults updated by ``given``; unknown names are refused.

    >>> parameters("demo", {"min_suits": 3}, {"min_suits": 4})
    {'min_suits': 4}
    """
    unknown = [name for name in given if name not in defaults]
    if unknown:
        from huiyan.errors import ParameterError

        name = unknown[0]
        raise ParameterError(
            f'模型 {model} 没有参数 "{name}"。{did_you_mean(name, defaults)}',
            f'Model {model} has no parameter "{name}".',
            "可用参数 Parameters: " + ", ".join(defaults),
        )
    return {**defaults, **given}
