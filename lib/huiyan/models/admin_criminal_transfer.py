"""行政执法与刑事司法衔接（应移未移）: penalties that meet a criminal threshold but never reached the police.

An administrative penalty is a clue when (contract, models.md):

1. its figure meets the prosecution threshold of the matching offence (mineral value,
   sales, blood alcohol, tonnes of hazardous waste, or a third mining penalty in two years);
2. ``transferred`` is false; and
3. no criminal case names the same party (by ID) for the matching offence within
   ``match_window_days`` of the decision, and none names the penalty as its source
   (``criminal_cases.source_case_id``).

Figures come from the structured columns when present, otherwise from the facts text
(:mod:`huiyan.quantities`, read inside the database). The thresholds, the offence
keywords and the matching criminal offences live in ``datasets/thresholds.yaml`` so a
province can change them without touching code.

Example (in a notebook)::

    from huiyan.models import admin_criminal_transfer as m
    hits = m.run_rules(ws, region="330602")
    found = hy.clues.collect(*hits)
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import yaml

from huiyan import quantities as q
from huiyan import registers
from huiyan.errors import ModelError, ParameterError
from huiyan.rules import Hits, parameters, ref, rule
from huiyan.workspace import REPO_ROOT, Workspace

MODEL = "admin_criminal_transfer"
DATASETS = ("admin_penalties", "criminal_cases")
THRESHOLDS_PATH = REPO_ROOT / "datasets" / "thresholds.yaml"


@dataclass(frozen=True)
class Threshold:
    """One row of the thresholds table: a number a rule compares with, and where it comes from."""

    parameter: str
    rule: str
    offence: str
    field: str
    value: float | int
    type: str
    unit: str
    zh: str
    source: str


@dataclass(frozen=True)
class Offence:
    """How a penalty is recognised as a possible crime, and the criminal offences that answer it."""

    key: str
    zh: str
    criminal_zh: str
    violation: tuple[str, ...]
    domains: tuple[str, ...]
    facts: tuple[str, ...]
    criminal: tuple[str, ...]


@functools.cache
def _table(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ModelError(
            f"无法读取阈值表 {path}：{err}",
            f"Cannot read the thresholds table {path}: {err}",
            "请检查该文件是否存在且为有效的 YAML。Check that the file exists and is valid YAML.",
        ) from err
    return raw


def thresholds(path: Path | None = None) -> dict[str, Threshold]:
    """This model's thresholds from ``datasets/thresholds.yaml``, by parameter name."""
    raw = _table(path or THRESHOLDS_PATH)
    out: dict[str, Threshold] = {}
    for row in raw.get("thresholds", []):
        if row.get("model") != MODEL:
            continue
        cast = int if row.get("type") == "int" else float
        out[row["parameter"]] = Threshold(
            parameter=row["parameter"],
            rule=row["rule"],
            offence=row["offence"],
            field=row["field"],
            value=cast(row["value"]),
            type=row.get("type", "float"),
            unit=row["unit"],
            zh=row["zh"],
            source=row["source"],
        )
    return out


def offences(path: Path | None = None) -> dict[str, Offence]:
    """The offence table of ``datasets/thresholds.yaml``: keywords and matching criminal offences."""
    raw = _table(path or THRESHOLDS_PATH)
    return {
        key: Offence(
            key=key,
            zh=spec["zh"],
            criminal_zh=spec["criminal_zh"],
            violation=tuple(spec.get("violation", ())),
            domains=tuple(spec.get("domains", ())),
            facts=tuple(spec.get("facts", ())),
            criminal=tuple(spec.get("criminal", ())),
        )
        for key, spec in raw.get("offences", {}).items()
    }


PARAMETERS: dict[str, tuple[float | int, str, str]] = {
    t.parameter: (t.value, t.type, t.zh) for t in thresholds().values()
}
"""name -> (default, type, Chinese description); defaults from the thresholds table."""

_D: dict[str, Any] = {name: spec[0] for name, spec in PARAMETERS.items()}


def _any(col: ir.StringValue, words: tuple[str, ...]) -> ir.BooleanValue:
    """True where ``col`` contains one of ``words`` (false for null)."""
    if not words:
        return ibis.literal(False)
    out = col.contains(words[0])
    for w in words[1:]:
        out = out | col.contains(w)
    return out.fill_null(False)


def is_offence(penalties: ir.Table, offence: Offence) -> ir.BooleanValue:
    """Whether each penalty is of ``offence``: by its violation, or by its facts within the domain."""
    by_violation = _any(penalties.violation, offence.violation)
    by_facts = _any(penalties.domain, offence.domains) & _any(penalties.facts, offence.facts)
    return by_violation | by_facts


def _measured(t: ir.Table, offence: Offence, condition: ir.BooleanValue) -> ir.Table:
    """The penalties of ``offence`` that meet ``condition`` (a figure read from the facts).

    The condition is only evaluated on penalties of the offence (a ``CASE``): reading a
    figure from the text is costly, and an engine may otherwise read it on every penalty.
    """
    return t.filter(ibis.ifelse(is_offence(t, offence), condition, False))


def _at_least(value: ir.NumericValue, limit: float) -> ir.BooleanValue:
    """``value > 0 and value >= limit``; with a limit above zero the first test is implied.

    Leaving it out means the figure (regular expressions over the facts) is read once
    per penalty, not twice.
    """
    return value >= limit if limit > 0 else (value > 0) & (value >= limit)


def matching_cases(cases: ir.Table, offence: Offence) -> ir.Table:
    """The criminal cases whose offence answers ``offence`` (e.g. 非法采矿罪 for mining)."""
    return cases.filter(_any(cases.offence, offence.criminal))


def not_prosecuted(
    penalties: ir.Table, cases: ir.Table, offence: Offence, *, window_days: int
) -> ir.Table:
    """The penalties not transferred and answered by no criminal case (same party and offence, or source)."""
    out = penalties.filter(~penalties.transferred.fill_null(False))
    sourced = cases.filter(cases.source_case_id.notnull() & (cases.source_case_id != ""))
    out = out.anti_join(sourced, out.case_id == sourced.source_case_id)
    same = matching_cases(cases, offence)
    window = ibis.interval(days=int(window_days))
    return out.anti_join(
        same,
        [
            out.party_id == same.suspect_id,
            same.filed_date >= out.decision_date - window,
            same.filed_date <= out.decision_date + window,
        ],
    )


def _score(measure: ir.NumericValue, threshold: ir.NumericValue | float) -> ir.FloatingValue:
    """0.6 at the threshold, rising with log(measure / threshold) to 1.0 at five times it.

    ``measure`` must be non-null: SQL ``LEAST`` skips nulls (DuckDB and Spark alike).
    """
    ratio = (measure / threshold).cast("float64")
    return ibis.least(1.0, 0.6 + 0.4 * ratio.ln() / 1.6094379124341003).round(3)  # type: ignore[return-value]


def _check(**params: float) -> None:
    bad = {k: v for k, v in params.items() if v is None or v < 0}
    if bad:
        raise ParameterError(
            "阈值参数必须为非负数：" + "，".join(f"{k}={v}" for k, v in bad.items()),
            "Threshold parameters must be non-negative: "
            + ", ".join(f"{k}={v}" for k, v in bad.items()),
        )


def _hit(t: ir.Table, **extra: Any) -> ir.Table:
    return t.select(
        subject_id=t.case_id,
        region=t.region,
        subject_name=t.party_name,
        evidence=ibis.array([ref("admin_penalties", t.case_id)]),
        decision_date=t.decision_date.cast("string"),
        **extra,
    )


_OFF = offences()
_T = thresholds()
_NOT_SENT = "未移送司法机关，也未见同一当事人同类罪名的刑事立案。"


@rule(
    "ACT-MINING-VALUE",
    model=MODEL,
    zh="非法采矿（采砂）矿产品价值达到追诉标准，未移送司法机关",
    basis="刑法第三百四十三条；法释〔2016〕25号第三条、第四条",
    subject_type="penalty",
    summary="{subject_name}{zone}非法采矿，矿产品价值{amount:,.2f}元，达到{threshold:,.0f}元的"
    "“情节严重”标准（刑法第三百四十三条，法释〔2016〕25号第三条、第四条），处罚决定{subject_id}"
    + _NOT_SENT,
    needs=(
        "admin_penalties.violation",
        "admin_penalties.facts",
        "admin_penalties.goods_value",
        "admin_penalties.illegal_gain",
        "admin_penalties.party_id",
        "criminal_cases.offence",
    ),
)
def mining_value(
    penalties: ir.Table,
    cases: ir.Table,
    *,
    mining_value: float = _D["mining_value"],
    mining_value_restricted: float = _D["mining_value_restricted"],
    match_window_days: int = _D["match_window_days"],
) -> ir.Table:
    """Illegal mining whose mineral value meets the threshold (the lower one in 禁采区/禁采期)."""
    _check(mining_value=mining_value, mining_value_restricted=mining_value_restricted)
    off = _OFF["mining"]
    t = penalties.filter(is_offence(penalties, off))
    stated = ibis.coalesce(t.goods_value, q.read_expr(t.facts, q.VALUE))
    gain = ibis.coalesce(t.illegal_gain, q.read_expr(t.facts, q.GAIN))
    # what the miner sold it for is at least part of its value (法释〔2016〕25号第十三条)
    value = ibis.greatest(stated.fill_null(0.0), gain.fill_null(0.0))
    restricted = _any(t.facts, ("禁采区", "禁采期", "禁止开采区", "禁采河段")) & ~_any(
        t.facts, ("不属于禁采", "非禁采")
    )
    limit = ibis.ifelse(restricted, float(mining_value_restricted), float(mining_value))
    t = t.mutate(value=value, restricted=restricted, threshold=limit)
    if min(mining_value, mining_value_restricted) > 0:
        meets = t.value >= t.threshold
    else:
        meets = (t.value > 0) & (t.value >= t.threshold)
    t = _measured(t, off, meets)
    t = not_prosecuted(t, cases, off, window_days=match_window_days)
    return _hit(
        t,
        amount=t.value,
        threshold=t.threshold,
        zone=ibis.ifelse(t.restricted, "在禁采区/禁采期内", ""),
        score=_score(t.value, t.threshold),
    )


@rule(
    "ACT-MINING-REPEAT",
    model=MODEL,
    zh="二年内曾因非法采矿受过两次以上行政处罚又实施非法采矿，未移送司法机关",
    basis="刑法第三百四十三条；法释〔2016〕25号第三条第一款第（三）项",
    subject_type="penalty",
    summary="{subject_name}在{years}年内已因非法采矿受过{earlier}次行政处罚，又于{decision_date}"
    "因非法采矿受罚，属“情节严重”（刑法第三百四十三条，法释〔2016〕25号第三条第一款第（三）项），"
    "处罚决定{subject_id}" + _NOT_SENT,
    needs=("admin_penalties.party_id", "admin_penalties.decision_date", "criminal_cases.offence"),
    score=0.8,
)
def mining_repeat(
    penalties: ir.Table,
    cases: ir.Table,
    *,
    history: ir.Table | None = None,
    mining_repeat_count: int = _D["mining_repeat_count"],
    mining_repeat_years: int = _D["mining_repeat_years"],
    match_window_days: int = _D["match_window_days"],
) -> ir.Table:
    """A mining penalty of a party with ``mining_repeat_count`` earlier ones in the preceding years.

    ``history`` holds the earlier penalties to look in (default: ``penalties``); pass the whole
    province's penalties when ``penalties`` is one county, so earlier penalties elsewhere count.
    """
    _check(mining_repeat_count=mining_repeat_count, mining_repeat_years=mining_repeat_years)
    off = _OFF["mining"]
    cur = penalties.filter(is_offence(penalties, off) & penalties.party_id.notnull())
    hist = history if history is not None else penalties
    hist = hist.filter(is_offence(hist, off) & hist.party_id.notnull())
    hist = hist.select(h_party=hist.party_id, h_case=hist.case_id, h_date=hist.decision_date)
    since = cur.decision_date - ibis.interval(years=int(mining_repeat_years))
    pairs = cur.join(
        hist,
        [
            cur.party_id == hist.h_party,
            hist.h_date < cur.decision_date,
            hist.h_date >= since,
        ],
    )
    earlier = pairs.group_by(e_case=pairs.case_id).aggregate(
        earlier=pairs.h_case.count(),
        context=ref("admin_penalties", pairs.h_case).collect(),
    )
    earlier = earlier.filter(earlier.earlier >= int(mining_repeat_count))
    t = cur.join(earlier, cur.case_id == earlier.e_case)
    t = not_prosecuted(t, cases, off, window_days=match_window_days)
    return _hit(
        t,
        context=t.context,
        earlier=t.earlier,
        years=ibis.literal(int(mining_repeat_years)),
        score=ibis.least(1.0, 0.7 + 0.1 * (t.earlier - int(mining_repeat_count) + 1)).cast(
            "float64"
        ),
    )


@rule(
    "ACT-SHODDY-GOODS",
    model=MODEL,
    zh="生产、销售伪劣产品销售金额（或未售货值）达到追诉标准，未移送司法机关",
    basis="刑法第一百四十条；法释〔2001〕10号第二条",
    subject_type="penalty",
    summary="{subject_name}生产、销售伪劣产品，{measure_zh}{amount:,.2f}元，达到{threshold:,.0f}元的"
    "追诉标准（刑法第一百四十条，法释〔2001〕10号第二条），处罚决定{subject_id}" + _NOT_SENT,
    needs=("admin_penalties.violation", "admin_penalties.facts", "admin_penalties.goods_value"),
)
def shoddy_goods(
    penalties: ir.Table,
    cases: ir.Table,
    *,
    shoddy_sales: float = _D["shoddy_sales"],
    shoddy_goods_value: float = _D["shoddy_goods_value"],
    match_window_days: int = _D["match_window_days"],
) -> ir.Table:
    """Fake or substandard products sold for ``shoddy_sales`` or more, or unsold worth ``shoddy_goods_value``."""
    _check(shoddy_sales=shoddy_sales, shoddy_goods_value=shoddy_goods_value)
    off = _OFF["shoddy_goods"]
    t = penalties.filter(is_offence(penalties, off))
    gain = ibis.coalesce(t.illegal_gain, q.read_expr(t.facts, q.GAIN))
    # the illegal gain never exceeds what was sold, so it is a lower bound of the sales
    sales = ibis.greatest(q.read_expr(t.facts, q.SALES).fill_null(0.0), gain.fill_null(0.0))
    unsold = ibis.coalesce(t.goods_value, q.read_expr(t.facts, q.GOODS_VALUE)).fill_null(0.0)
    t = t.mutate(sales=sales, unsold=unsold)
    by_sales = _at_least(t.sales, float(shoddy_sales))
    by_unsold = _at_least(t.unsold, float(shoddy_goods_value))
    t = _measured(t, off, by_sales | by_unsold).mutate(by_sales=by_sales)
    t = not_prosecuted(t, cases, off, window_days=match_window_days)
    amount = ibis.ifelse(t.by_sales, t.sales, t.unsold)
    limit = ibis.ifelse(t.by_sales, float(shoddy_sales), float(shoddy_goods_value))
    return _hit(
        t,
        amount=amount,
        threshold=limit,
        measure_zh=ibis.ifelse(t.by_sales, "销售金额", "尚未销售的货值金额"),
        score=_score(amount, limit),
    )


@rule(
    "ACT-DRUNK-DRIVING",
    model=MODEL,
    zh="血液酒精含量达到醉酒驾驶标准，仅作行政处罚未移送司法机关",
    basis="刑法第一百三十三条之一",
    subject_type="penalty",
    summary="{subject_name}驾驶机动车血液酒精含量{bac:g}mg/100ml，达到{threshold:g}mg/100ml的"
    "醉酒驾驶标准（刑法第一百三十三条之一），处罚决定{subject_id}" + _NOT_SENT,
    needs=("admin_penalties.violation", "admin_penalties.facts", "admin_penalties.quantity"),
)
def drunk_driving(
    penalties: ir.Table,
    cases: ir.Table,
    *,
    blood_alcohol: float = _D["blood_alcohol"],
    match_window_days: int = _D["match_window_days"],
) -> ir.Table:
    """Drink-driving penalties whose blood alcohol is ``blood_alcohol`` mg/100ml or more."""
    _check(blood_alcohol=blood_alcohol)
    off = _OFF["drunk_driving"]
    t = penalties.filter(is_offence(penalties, off))
    bac = ibis.coalesce(
        q.normalise_expr(t.quantity, t.quantity_unit, q.BAC), q.read_expr(t.facts, q.BAC)
    )
    t = t.mutate(bac=bac)
    t = _measured(t, off, t.bac >= float(blood_alcohol))
    t = not_prosecuted(t, cases, off, window_days=match_window_days)
    return _hit(
        t,
        bac=t.bac,
        threshold=ibis.literal(float(blood_alcohol)),
        amount=ibis.null("float64"),
        score=_score(t.bac, float(blood_alcohol)),
    )


@rule(
    "ACT-POLLUTION-WASTE",
    model=MODEL,
    zh="非法排放、倾倒、处置危险废物达到三吨以上，未移送司法机关",
    basis="刑法第三百三十八条；法释〔2023〕7号第一条",
    subject_type="penalty",
    summary="{subject_name}非法排放、倾倒、处置危险废物{tonnes:g}吨，达到{threshold:g}吨的"
    "追诉标准（刑法第三百三十八条，法释〔2023〕7号第一条），处罚决定{subject_id}" + _NOT_SENT,
    needs=("admin_penalties.violation", "admin_penalties.facts", "admin_penalties.quantity"),
)
def pollution_waste(
    penalties: ir.Table,
    cases: ir.Table,
    *,
    hazardous_waste_tonnes: float = _D["hazardous_waste_tonnes"],
    match_window_days: int = _D["match_window_days"],
) -> ir.Table:
    """Hazardous-waste penalties involving ``hazardous_waste_tonnes`` tonnes or more."""
    _check(hazardous_waste_tonnes=hazardous_waste_tonnes)
    off = _OFF["hazardous_waste"]
    t = penalties.filter(is_offence(penalties, off))
    tonnes = ibis.coalesce(
        q.normalise_expr(t.quantity, t.quantity_unit, q.WEIGHT),
        q.read_expr(t.facts, q.WASTE_WEIGHT),
        q.read_expr(t.facts, q.WEIGHT),
    )
    t = t.mutate(tonnes=tonnes)
    t = _measured(t, off, t.tonnes >= float(hazardous_waste_tonnes))
    t = not_prosecuted(t, cases, off, window_days=match_window_days)
    return _hit(
        t,
        tonnes=t.tonnes,
        threshold=ibis.literal(float(hazardous_waste_tonnes)),
        amount=ibis.null("float64"),
        score=_score(t.tonnes, float(hazardous_waste_tonnes)),
    )


def inputs(ws: Workspace, *, region: str = "") -> tuple[ir.Table, ir.Table, ir.Table]:
    """``(penalties, history, cases)``: the county's penalties, the province's (for earlier
    penalties) and the criminal cases, with the penalties' text read once for every rule.

    The penalties of any of the offences are kept for the run (huiyan.registers); each rule
    looks for its own offence among those few, and finds what it finds on every penalty.
    A rule added for another offence reads ``ws.table("admin_penalties")`` itself.
    """
    every = ws.table("admin_penalties")
    of_offences = functools.reduce(operator.or_, [is_offence(every, o) for o in _OFF.values()])
    history = registers.keep(every.filter(of_offences))
    penalties = history.filter(history.region == region) if region else history
    return penalties, history, ws.table("criminal_cases")


def run_rules(ws: Workspace, *, region: str = "", **params: Any) -> list[Hits]:
    """Evaluate every rule of the model on ``ws`` (penalties of ``region``; cases of all regions).

    Criminal cases and earlier penalties are read for the whole workspace: a party penalised
    in one county may be prosecuted, or have been penalised before, in another.
    """
    p = parameters(MODEL, _D, params)
    penalties, history, cases = inputs(ws, region=region)
    w = int(p["match_window_days"])
    return [
        mining_value(
            penalties,
            cases,
            mining_value=p["mining_value"],
            mining_value_restricted=p["mining_value_restricted"],
            match_window_days=w,
        ),
        mining_repeat(
            penalties,
            cases,
            history=history,
            mining_repeat_count=p["mining_repeat_count"],
            mining_repeat_years=p["mining_repeat_years"],
            match_window_days=w,
        ),
        shoddy_goods(
            penalties,
            cases,
            shoddy_sales=p["shoddy_sales"],
            shoddy_goods_value=p["shoddy_goods_value"],
            match_window_days=w,
        ),
        drunk_driving(penalties, cases, blood_alcohol=p["blood_alcohol"], match_window_days=w),
        pollution_waste(
            penalties,
            cases,
            hazardous_waste_tonnes=p["hazardous_waste_tonnes"],
            match_window_days=w,
        ),
    ]
