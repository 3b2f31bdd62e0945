"""The clue table: turning rule hits into clues with stable ids, record references and summaries.

A clue is a lead for a prosecutor to verify by hand, never a decision. Its
schema is fixed by the contract (``clues.parquet``); :data:`SCHEMA` is that
schema and :data:`HEADERS_ZH` the Chinese column headers reviewers see.

Example (in a notebook)::

    found = hy.clues.collect(assigned, frequent, ring)
    found.preview()
    hy.runs.save(found)
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from huiyan import counties
from huiyan.errors import ModelError

if TYPE_CHECKING:  # ibis is loaded by the rules, not by reading a clue table (the runner)
    import ibis.expr.types as ir

    from huiyan.lineage import Lineage
    from huiyan.rules import Hits, Rule

__all__ = [
    "HEADERS_ZH", "SCHEMA", "SNIPPET_HEAD", "SNIPPET_MARK", "Clues", "clue_id", "collect",
    "split_summary", "with_snippet",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    if name == "ref":  # hy.clues.ref is huiyan.rules.ref, loaded when first asked for
        from huiyan.rules import ref

        return ref
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


SCHEMA = pa.schema(
    [
        ("clue_id", pa.string()),
        ("model", pa.string()),
        ("model_version", pa.string()),
        ("rule", pa.string()),
        ("region", pa.string()),
        ("subject_type", pa.string()),
        ("subject_id", pa.string()),
        ("subject_name", pa.string()),
        ("score", pa.float64()),
        ("amount", pa.float64()),
        ("summary", pa.string()),
        ("evidence", pa.list_(pa.string())),
        ("context", pa.list_(pa.string())),
        ("created_at", pa.timestamp("us", tz="UTC")),
    ]
)

HEADERS_ZH: dict[str, str] = {
    "clue_id": "线索编号",
    "model": "模型",
    "model_version": "模型版本",
    "rule": "规则编号",
    "region": "区划代码",
    "subject_type": "对象类型",
    "subject_id": "对象编号",
    "subject_name": "对象名称",
    "score": "可疑程度",
    "amount": "涉及金额（元）",
    "summary": "线索摘要",
    "evidence": "可疑记录",
    "context": "佐证记录",
    "created_at": "生成时间",
}

REQUIRED_HIT_COLUMNS = ("subject_id", "region", "evidence")

SNIPPET_HEAD = "原文："
"""A summary's snippet stands at its end as 原文：「…」: the words a text clue was read from."""
_OPEN, _CLOSE = "「", "」"
SNIPPET_MARK = SNIPPET_HEAD + _OPEN
"""Where a summary's snippet begins: ``原文：「``."""


def with_snippet(sentence: str, snippet: str | None) -> str:
    """The summary sentence with the snippet it was read from at its end, as 原文：「…」.

    Brackets inside the snippet become 『』 so that :func:`split_summary` finds it again.

    >>> with_snippet("张三非法采矿，价值9.6万元。", "…河段非法采砂约3,200吨，价值约9.6万元。")
    '张三非法采矿，价值9.6万元。原文：「…河段非法采砂约3,200吨，价值约9.6万元。」'
    >>> with_snippet("无原文。", None)
    '无原文。'
    """
    if not snippet:
        return sentence
    inner = snippet.replace(_OPEN, "『").replace(_CLOSE, "』").replace("\n", " ")
    return f"{sentence}{SNIPPET_HEAD}{_OPEN}{inner}{_CLOSE}"


def split_summary(summary: str) -> tuple[str, str | None]:
    """A summary split back into (sentence, snippet); the snippet is None when there is none.

    >>> split_summary("张三非法采矿。原文：「…价值约9.6万元。」")
    ('张三非法采矿。', '…价值约9.6万元。')
    >>> split_summary("没有原文的线索。")
    ('没有原文的线索。', None)
    """
    at = summary.rfind(SNIPPET_MARK)
    if at < 0 or not summary.endswith(_CLOSE):
        return summary, None
    return summary[:at], summary[at + len(SNIPPET_MARK) : -len(_CLOSE)]


def clue_id(model: str, rule_code: str, subject_id: str) -> str:
    """A stable clue id: the same model, rule and subject give the same id in every run.

    >>> clue_id("judicial_auction", "AUC-START-LOW", "A123")
    'AUC-START-LOW-7cceb055c0bd'
    """
    digest = hashlib.sha256(f"{model}|{rule_code}|{subject_id}".encode()).hexdigest()
    return f"{rule_code}-{digest[:12]}"


@dataclass(frozen=True)
class Clues:
    """The clues of one run, in the contract's schema (``frame``), small enough for pandas."""

    frame: pd.DataFrame
    rules: tuple[Rule, ...] = ()
    lineage: Mapping[str, Lineage] = field(default_factory=dict, hash=False)
    """Rule code -> the datasets and columns the rule's expression read (huiyan.lineage)."""

    def __len__(self) -> int:
        return len(self.frame)

    def to_arrow(self) -> pa.Table:
        """The clues as an Arrow table with exactly the contract's schema."""
        return pa.Table.from_pandas(self.frame, schema=SCHEMA, preserve_index=False)

    def by_rule(self) -> pd.DataFrame:
        """Clue counts per rule (every rule collected appears, with 0 when it found nothing)."""
        counts = self.frame.groupby("rule").size()
        codes = [r.code for r in self.rules] or sorted(counts.index)
        out = pd.DataFrame(
            {
                "规则编号 rule": codes,
                "监督点 supervision point": [_rule_zh(self.rules, c) for c in codes],
                "线索数 clues": [int(counts.get(c, 0)) for c in codes],
            }
        )
        return out

    def by_region(self) -> pd.DataFrame:
        """Clue counts per county and rule."""
        if self.frame.empty:
            return pd.DataFrame(columns=["region", "rule", "clues"])
        return self.frame.groupby(["region", "rule"]).size().rename("clues").reset_index()

    def preview(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` strongest clues with Chinese headers, for display in a notebook.

        Amounts are shown as yuan with thousands separators (``1,142,700.00``).
        """
        from huiyan.display import yuan

        cols = ["rule", "region", "subject_name", "subject_id", "score", "amount", "summary"]
        top = self.frame.sort_values(["score", "amount"], ascending=False).head(n)[cols]
        top = top.assign(amount=[yuan(v) for v in top.amount.tolist()])
        return top.rename(columns=HEADERS_ZH).reset_index(drop=True)

    def _repr_html_(self) -> str:
        return f"<p>{len(self)} 条线索 clues</p>" + self.by_rule().to_html(index=False)


def _rule_zh(rules: tuple[Rule, ...], code: str) -> str:
    return next((r.zh for r in rules if r.code == code), "")


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if type(value) is list and len(value) == 1:  # the usual case: one record, fast
        only = value[0]
        return [] if only is None else [only if type(only) is str else str(only)]
    if isinstance(value, str):  # a single reference where an array was meant
        return [value]
    if isinstance(value, float) and math.isnan(value):
        return []
    if type(value) is list:  # as the database gives them: text, perhaps repeated or missing
        items = set(value)
        items.discard(None)
        if all(type(v) is str for v in items):
            return sorted(items)
    return sorted({str(v) for v in value if v is not None})


def _clean(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def _cleaned(values: list[Any]) -> list[Any]:
    """:func:`_clean` over a column: text, whole numbers and numbers other than NaN as they are."""
    return [
        v
        if (t := type(v)) is str or v is None or t is int or (t is float and v == v)
        else _clean(v)
        for v in values
    ]


class _Missing:
    """A missing value in a summary: prints as "—" whatever the format ({amount:,.2f} too)."""

    def __format__(self, spec: str) -> str:
        return "—"


_MISSING = _Missing()


def _template_error(rule: Rule, err: Exception) -> ModelError:
    return ModelError(
        f"规则 {rule.code} 的摘要模板无法填写：{err}（模板：{rule.summary}）。",
        f"The summary template of rule {rule.code} cannot be filled: {err!r}.",
        "请确认规则结果包含模板中用到的每一列 Make the rule return every column its summary uses.",
    )


def _summarise(rule: Rule, row: dict[str, Any]) -> str:
    try:
        return rule.summary.format(**{k: (_MISSING if v is None else v) for k, v in row.items()})
    except (KeyError, ValueError, TypeError) as err:
        raise _template_error(rule, err) from err


_PLAIN_FIELD = re.compile(r"[A-Za-z_]\w*")


def _summaries(rule: Rule, hits: Mapping[str, list[Any]], n: int) -> list[str]:
    """Every hit's summary, filled column by column (the same text as ``str.format`` row by row).

    ``hits`` are the hit columns as plain lists (:func:`_execute`), ``n`` hits long. A
    template of plain ``{name:spec}`` fields is filled one field at a time over whole
    columns, ``format(value, spec)`` for each value, and the pieces joined per hit; other
    templates (``{a.b}``, ``{a!r}``, nested specs) row by row.
    """
    parsed = list(string.Formatter().parse(rule.summary))
    plain = all(
        name is None or (_PLAIN_FIELD.fullmatch(name) and conv is None and "{" not in (spec or ""))
        for _, name, spec, conv in parsed
    )
    if not plain:
        fields = [f for f in _template_fields(rule.summary) if f in hits]
        rows = zip(*(hits[f] for f in fields), strict=True) if fields else [()] * n
        return [
            _summarise(rule, {k: _clean(v) for k, v in zip(fields, row, strict=True)})
            for row in rows
        ]
    pieces: list[str | list[str]] = []
    columns: dict[str, list[Any]] = {}
    try:
        for literal, name, spec, _conv in parsed:
            if literal:
                pieces.append(literal)
            if name is None:
                continue
            if name not in hits:
                raise KeyError(name)
            if name not in columns:
                columns[name] = _cleaned(hits[name])
            values = columns[name]
            if not spec:  # format(v, "") is str(v); text, the usual field, is itself
                pieces.append(
                    [v if type(v) is str else "—" if v is None else str(v) for v in values]
                )
            else:
                pieces.append(["—" if v is None else format(v, spec) for v in values])
    except (KeyError, ValueError, TypeError) as err:
        raise _template_error(rule, err) from err
    if not any(isinstance(p, list) for p in pieces):
        return ["".join(p for p in pieces if isinstance(p, str))] * n
    # adjacent literals joined once; then one join per hit over the field columns
    parts = [p if isinstance(p, list) else [p] * n for p in pieces]
    return ["".join(row) for row in zip(*parts, strict=True)]


def _hit_rows(hits: Hits, model: str) -> dict[str, list[Any]]:
    """The hits with a subject, as column lists, in clue id order; ``_clue_id`` is each
    hit's :func:`clue_id`, computed by the database (the same SHA-256 of the same text)."""
    table = hits.table
    missing = [c for c in REQUIRED_HIT_COLUMNS if c not in table.columns]
    if missing:
        raise ModelError(
            f"规则 {hits.rule.code} 的结果缺少列：{', '.join(missing)}。",
            f"The hits of rule {hits.rule.code} lack columns: {', '.join(missing)}.",
        )
    if counties.SCOPE in table.columns:  # a rule grouped by county carried the mark along
        table = table.drop(counties.SCOPE)
    # ids as text in the database, so 12 stays "12" (never "12.0") and clue ids stay stable
    table = table.filter(table.subject_id.notnull()).mutate(
        subject_id=table.subject_id.cast("string"), region=table.region.cast("string")
    )
    import ibis

    code = hits.rule.code
    text = ibis.literal(f"{model}|{code}|").concat(table.subject_id)
    digest = text.hexdigest("sha256").substr(0, 12)
    return _execute(
        table.mutate(_clue_id=ibis.literal(f"{code}-").concat(digest)).order_by("_clue_id")
    )


def _execute(table: ir.Table) -> dict[str, list[Any]]:
    """The rows of ``table`` as plain lists, one per column: the values ``table.execute()``
    gives, with text and record lists taken as DuckDB gives them.

    ibis converts every text value and every element of a list one by one after DuckDB
    has already made them (a third of building 50,000 clues); on DuckDB those columns are
    read straight from the result (None where missing), and the other columns (numbers,
    dates) converted exactly as ``execute()`` does.
    """
    schema = table.schema()
    backend = table._find_backend(use_default=True)
    if backend.name != "duckdb":
        frame = table.execute()
        return {name: frame[name].tolist() for name in schema.names}
    import ibis
    from ibis.backends.duckdb.converter import DuckDBPandasData

    arrow = table.to_pyarrow()
    as_given = {
        name
        for name, dtype in schema.items()
        if dtype.is_string() or (dtype.is_array() and dtype.value_type.is_string())
    }
    columns = {name: arrow.column(name).to_pylist() for name in as_given}
    rest = [name for name in schema.names if name not in as_given]
    if rest:
        frame = pd.DataFrame(
            {
                name: (
                    col.to_pylist()
                    if pa.types.is_nested(col.type)
                    or pa.types.is_dictionary(col.type)
                    or col.null_count
                    else col.to_pandas()
                )
                for name in rest
                for col in [arrow.column(name)]
            }
        )
        frame = DuckDBPandasData.convert_table(frame, ibis.schema({n: schema[n] for n in rest}))
        columns.update((name, frame[name].tolist()) for name in rest)
    return {name: columns[name] for name in schema.names}


def _template_fields(template: str) -> list[str]:
    """The column names a summary template uses: ``{amount:,.2f}`` -> ``amount``."""
    names = (field for _, field, _, _ in string.Formatter().parse(template) if field)
    return list(dict.fromkeys(re.split(r"[.\[]", name, maxsplit=1)[0] for name in names))


def _clue_columns(h: Hits, model: str) -> dict[str, list[Any]]:
    """The clues of one rule's hits as columns of plain lists (a rule may hit 100,000 rows)."""
    hits = _hit_rows(h, model)
    n = len(hits["subject_id"])
    if not n:
        return {}
    rule = h.rule
    subjects = [str(v) for v in hits["subject_id"]]
    summaries = _summaries(rule, hits, n)
    if "snippet" in hits:  # a clue read from text carries the words it was read from
        summaries = [
            with_snippet(s, _clean(w)) for s, w in zip(summaries, hits["snippet"], strict=True)
        ]
    if "score" in hits:
        score = pd.to_numeric(pd.Series(hits["score"], dtype=object), errors="coerce")
        score = score.astype("float64").fillna(rule.score).clip(0.0, 1.0)
    else:
        score = pd.Series(rule.score, index=range(n), dtype="float64")
    if "amount" in hits:
        amount = pd.to_numeric(pd.Series(hits["amount"], dtype=object), errors="coerce")
        amount = amount.astype("float64").round(2)
    else:
        amount = pd.Series(float("nan"), index=range(n), dtype="float64")

    def column(name: str) -> list[Any]:
        if name not in hits:
            return [None] * n
        return _cleaned(hits[name])

    return {
        "clue_id": hits["_clue_id"],
        "region": column("region"),
        "subject_id": subjects,
        "subject_name": column("subject_name"),
        "score": score.tolist(),
        "amount": amount.tolist(),
        "summary": summaries,
        "evidence": hits["evidence"],
        "context": hits["context"] if "context" in hits else [None] * n,
    }


def _rule_clues(
    rule: Rule, model: str, version: str, created_at: datetime, parts: list[dict[str, list[Any]]]
) -> pd.DataFrame:
    """One rule's clues from the columns of its hits, in clue id order, one clue per id.

    Ordered on plain lists (collect() then needs no sort of the whole table); a subject hit
    more than once is merged (:func:`_merge_repeats`).
    """
    columns = {name: [v for part in parts for v in part[name]] for name in parts[0]}
    ids = columns["clue_id"]
    if len(parts) > 1:  # each part comes in clue id order; hits collected twice are merged
        order = sorted(range(len(ids)), key=ids.__getitem__)
        columns = {name: [values[i] for i in order] for name, values in columns.items()}
        ids = columns["clue_id"]
    for name in ("evidence", "context"):  # usually one record as the database gives it: as is
        columns[name] = [
            v if type(v) is list and len(v) == 1 and type(v[0]) is str else _as_list(v)
            for v in columns[name]
        ]
    if len(set(ids)) < len(ids):
        columns = _merge_repeats(columns, each_county=counties.each_county_run())
    for name in _TEXT_COLUMNS:
        columns[name] = _text(columns[name])
    return pd.DataFrame(
        {
            **columns,
            "model": model,
            "model_version": version,
            "rule": rule.code,
            "subject_type": rule.subject_type,
            "created_at": created_at,
        },
        columns=list(SCHEMA.names),
    )


_TEXT_COLUMNS = ("clue_id", "region", "subject_id", "subject_name", "summary")


def _text(values: list[Any]) -> Any:
    """A text column for the clue frame: built by Arrow from the list (five times faster than
    pandas checking each value), the same ``str`` column pandas makes of it."""
    if not any(type(v) is str for v in values):  # no text at all (all missing): pandas decides
        return values
    try:
        return pd.array(pa.array(values, type=pa.large_string()), dtype="str")
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all text: pandas decides, as before
        return values


def _merge_repeats(columns: dict[str, list[Any]], *, each_county: bool) -> dict[str, list[Any]]:
    """One clue per id from columns in clue id order: a subject hit more than once keeps the
    highest score, the union of its evidence and context, and the first known other values.

    In a run of each county on its own (``each_county``, :mod:`huiyan.counties`) one clue per
    id and county: a subject's clues in two counties stay two, as two county runs give.
    """
    ids: list[Any] = columns["clue_id"]
    if each_county:
        regions = columns["region"]
        order = sorted(range(len(ids)), key=lambda i: (ids[i], regions[i] or ""))  # stable
        columns = {name: [values[i] for i in order] for name, values in columns.items()}
        ids = list(zip(columns["clue_id"], columns["region"], strict=True))
    starts = [i for i in range(len(ids)) if i == 0 or ids[i] != ids[i - 1]]
    ends = [*starts[1:], len(ids)]
    out: dict[str, list[Any]] = {}
    for name, values in columns.items():
        if name in ("evidence", "context"):
            out[name] = [
                values[a] if b - a == 1 else sorted({v for lst in values[a:b] for v in lst})
                for a, b in zip(starts, ends, strict=True)
            ]
        elif name == "score":
            out[name] = [max(values[a:b]) for a, b in zip(starts, ends, strict=True)]
        else:
            out[name] = [
                values[a] if b - a == 1 else _first_known(values[a:b])
                for a, b in zip(starts, ends, strict=True)
            ]
    return out


def _first_known(values: list[Any]) -> Any:
    """The first value that is not missing (None or NaN), else the first."""
    return next((v for v in values if _clean(v) is not None), values[0])


def collect(
    *hits: Hits,
    model: str | None = None,
    version: str | None = None,
    created_at: datetime | None = None,
) -> Clues:
    """Turn rule hits into clues: ids, summaries, record references, scores.

    Args:
        hits: the results of calling rule functions.
        model: the model name; default: the rules' own model.
        version: the model version; default ``$HUIYAN_MODEL_VERSION`` (set by the runner) or "dev".
        created_at: when the run made them; default ``$HUIYAN_RUN_STARTED`` or now.

    Returns:
        Clues with one row per (rule, subject); hits of the same subject are merged.
    """
    version = version or os.environ.get("HUIYAN_MODEL_VERSION", "dev")
    if created_at is None:
        started = os.environ.get("HUIYAN_RUN_STARTED")
        created_at = datetime.fromisoformat(started) if started else datetime.now(UTC)
    parts: dict[str, list[dict[str, list[Any]]]] = {}
    for h in hits:
        columns = _clue_columns(h, model or h.rule.model)
        if columns:
            parts.setdefault(h.rule.code, []).append(columns)
    rule_of = {h.rule.code: h.rule for h in hits}
    frames = [
        _rule_clues(rule_of[code], model or rule_of[code].model, version, created_at, parts[code])
        for code in sorted(parts)  # the table's order: by rule, then clue id
    ]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=SCHEMA.names)
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
    from huiyan.lineage import Lineage, read

    rules = tuple(dict.fromkeys(h.rule for h in hits))
    lineage: dict[str, Lineage] = {}
    for h in hits:
        lineage[h.rule.code] = lineage.get(h.rule.code, Lineage()) | read(h.table)
    return Clues(frame.reset_index(drop=True), rules, lineage)
