"""行政执法与刑事司法衔接（应移未移）: penalties that meet a criminal threshold but never reached the police.

An administrative penalty is a clue when (contract, models.md):

1. its figure meets the prosecution threshold of the matching offence (mineral value,
   sales, blood alcohol, tonnes of hazardous waste, or a third mining penalty in two years);
2. ``transferred`` is false; and
3. no criminal case names the same party (by ID) for the matching offence within
   ``match_window_days`` of the decision, and none names the penalty as its source
   (``criminal_cases.source_case_id``).

Figures come from the structured columns when present, otherwise from the facts text,
read inside the database by the reading layer (:mod:`huiyan.reading.penalties`), which
reads the legal element the contract names: the blood test, not the breath test; disposal,
not storage; the conduct the facts describe, whatever the label. The thresholds and the
matching criminal offences live in ``datasets/thresholds.yaml``, the words the reader looks
for in ``datasets/vocabulary.yaml``, so a province or county changes either without code.
A clue read from text carries the words it was read from (its snippet); :func:`unread`
counts, per text rule, the penalties whose deciding figure could not be read.

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

from huiyan import counties, reading, registers
from huiyan.errors import ModelError, ParameterError
from huiyan.reading import penalties as rp
from huiyan.reading.snippets import snippet_expr
from huiyan.rules import Hits, keep, parameters, ref, rule
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
    """An offence a penalty may amount to, and the criminal offences that answer it.

    How a penalty is recognised as this offence (labels, conduct, domains) is reading
    vocabulary (``datasets/vocabulary.yaml``, :mod:`huiyan.reading.penalties`).
    """

    key: str
    zh: str
    criminal_zh: str
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
    """The offence table of ``datasets/thresholds.yaml``: names and matching criminal offences."""
    raw = _table(path or THRESHOLDS_PATH)
    return {
        key: Offence(
            key=key,
            zh=spec["zh"],
            criminal_zh=spec["criminal_zh"],
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
    """Whether each penalty is of ``offence``: by its label, or by the conduct its facts describe.

    The words are the reading vocabulary's (``datasets/vocabulary.yaml``, plus the county's).
    """
    return rp.is_offence_expr(penalties, offence.key, vocabulary())


def vocabulary() -> reading.Vocabulary:
    """The reading vocabulary of the current workspace (shared words plus the county's)."""
    return reading.load()


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


def _with_snippet(t: ir.Table, words: ir.StringValue, offence: Offence) -> ir.Table:
    """``t`` with ``snippet``: the words the figure was read from, else where the conduct is told."""
    conduct = t.facts.re_extract(rp.conduct_pattern(offence.key, vocabulary()), 0).nullif("")
    t = t.mutate(_snippet_words=ibis.coalesce(words, conduct))
    return t.mutate(snippet=snippet_expr(t.facts, t._snippet_words))


def _hit(t: ir.Table, **extra: Any) -> ir.Table:
    return t.select(
        subject_id=t.case_id,
        region=t.region,
        subject_name=t.party_name,
        evidence=ibis.array([ref("admin_penalties", t.case_id)]),
        decision_date=t.decision_date.cast("string"),
        snippet=t.snippet if "snippet" in t.columns else ibis.null("string"),
        **extra,
    )


_READ: dict[tuple[ir.Table, str], ir.Table] = {}


def read(penalties: ir.Table) -> ir.Table:
    """The penalties of the four offences with every element read, computed once and kept.

    One pass over the penalties (:func:`huiyan.reading.penalties.read_table`): each rule,
    and :func:`unread`, then reads the small kept table. Kept per penalties table and
    vocabulary, for the last few tables asked for.
    """
    v = vocabulary()
    key = (penalties, v.fingerprint)
    if key not in _READ:
        if len(_READ) >= 4:
            _READ.pop(next(iter(_READ)))
        t = rp.read_table(penalties, v)
        _READ[key] = keep(t.drop(*[c for c in t.columns if c.startswith("_")]))
    return _READ[key]


def _family(penalties: ir.Table, offence: Offence) -> ir.Table:
    """The penalties of ``offence`` with its elements read (see :func:`read`)."""
    t = read(penalties)
    return t.filter(t[f"is_{offence.key}"])


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
    """Illegal mining whose mineral value meets the threshold (the lower one in 禁采区/禁采期).

    The value is the stated one (structured, else read from the facts) or the illegal gain
    when larger (法释〔2016〕25号第十三条: what the miner sold it for is part of its value).
    """
    _check(mining_value=mining_value, mining_value_restricted=mining_value_restricted)
    off = _OFF["mining"]
    t = _family(penalties, off)
    limit = ibis.ifelse(t.mining_restricted, float(mining_value_restricted), float(mining_value))
    t = t.mutate(threshold=limit)
    if min(mining_value, mining_value_restricted) > 0:
        t = t.filter(t.mining_value >= t.threshold)
    else:
        t = t.filter((t.mining_value > 0) & (t.mining_value >= t.threshold))
    t = not_prosecuted(t, cases, off, window_days=match_window_days)
    t = _with_snippet(t, t.mining_words, off)
    return _hit(
        t,
        amount=t.mining_value,
        threshold=t.threshold,
        zone=ibis.ifelse(t.mining_restricted, "在禁采区/禁采期内", ""),
        score=_score(t.mining_value, t.threshold),
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
    mined = _family(penalties, off)
    cur = mined.filter(mined.party_id.notnull()).select(*penalties.columns)
    if history is None or history.equals(penalties):
        hist = cur  # the penalties already read: no second pass over the text
    else:
        hist = history.filter(is_offence(history, off) & history.party_id.notnull())
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
    """Fake or substandard products sold for ``shoddy_sales`` or more, or unsold worth ``shoddy_goods_value``.

    The illegal gain never exceeds what was sold, so it is a lower bound of the sales.
    """
    _check(shoddy_sales=shoddy_sales, shoddy_goods_value=shoddy_goods_value)
    off = _OFF["shoddy_goods"]
    t = _family(penalties, off)
    by_sales = _at_least(t.shoddy_sales, float(shoddy_sales))
    by_unsold = _at_least(t.shoddy_unsold, float(shoddy_goods_value))
    t = t.mutate(by_sales=by_sales, by_unsold=by_unsold)
    t = t.filter(t.by_sales | t.by_unsold)
    t = not_prosecuted(t, cases, off, window_days=match_window_days)
    words = ibis.ifelse(t.by_sales, t.shoddy_sales_words, t.shoddy_unsold_words)
    t = _with_snippet(t, ibis.coalesce(words, t.shoddy_words), off)
    amount = ibis.ifelse(t.by_sales, t.shoddy_sales, t.shoddy_unsold)
    limit = ibis.ifelse(t.by_sales, float(shoddy_sales), float(shoddy_goods_value))
    return _hit(
        t,
        amount=amount,
        threshold=limit,
        measure_zh=ibis.ifelse(t.by_sales, "销售金额", "尚未销售的货值金额"),
        score=_score(amount, limit),
    )


def _at_least(value: ir.NumericValue, limit: float) -> ir.BooleanValue:
    """``value > 0 and value >= limit``; with a limit above zero the first test is implied."""
    return value >= limit if limit > 0 else (value > 0) & (value >= limit)


_BREATH_NOTE = "（仅有呼气酒精检测结果，未见血液检验结果，呼气检测属筛查，需调取血液检验结论核实）"


@rule(
    "ACT-DRUNK-DRIVING",
    model=MODEL,
    zh="血液酒精含量达到醉酒驾驶标准，仅作行政处罚未移送司法机关",
    basis="刑法第一百三十三条之一；两高一部《关于办理醉酒危险驾驶刑事案件的意见》（2023）",
    subject_type="penalty",
    summary="{subject_name}驾驶机动车{test_zh}酒精含量{bac:g}mg/100ml，达到{threshold:g}mg/100ml的"
    "醉酒驾驶标准（刑法第一百三十三条之一）{note}，处罚决定{subject_id}" + _NOT_SENT,
    needs=("admin_penalties.violation", "admin_penalties.facts", "admin_penalties.quantity"),
)
def drunk_driving(
    penalties: ir.Table,
    cases: ir.Table,
    *,
    blood_alcohol: float = _D["blood_alcohol"],
    match_window_days: int = _D["match_window_days"],
) -> ir.Table:
    """Drink-driving penalties whose BLOOD alcohol is ``blood_alcohol`` mg/100ml or more.

    A breath test is screening: a penalty whose blood test is below the threshold is no clue
    whatever the breath figure. A breath figure alone (the facts state no blood test) is a
    clue with a lower score and a note saying so (两高一部《关于办理醉酒危险驾驶刑事案件的意见》).
    """
    _check(blood_alcohol=blood_alcohol)
    off = _OFF["drunk_driving"]
    t = _family(penalties, off)
    t = t.filter(t.drunk_alcohol >= float(blood_alcohol))
    t = not_prosecuted(t, cases, off, window_days=match_window_days)
    t = _with_snippet(t, t.drunk_words, off)
    score = _score(t.drunk_alcohol, float(blood_alcohol))
    return _hit(
        t,
        bac=t.drunk_alcohol,
        threshold=ibis.literal(float(blood_alcohol)),
        amount=ibis.null("float64"),
        test_zh=ibis.ifelse(t.drunk_breath_only, "呼气", "血液"),
        note=ibis.ifelse(t.drunk_breath_only, _BREATH_NOTE, ""),
        score=ibis.ifelse(t.drunk_breath_only, (score * 0.6).round(3), score),
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
    """Hazardous waste discharged, dumped or disposed of (handing it to an unlicensed party
    included) in ``hazardous_waste_tonnes`` tonnes or more.

    Storage, labelling and record-keeping violations are not disposal, whatever the tonnage;
    the conduct the facts describe decides over the agency's label.
    """
    _check(hazardous_waste_tonnes=hazardous_waste_tonnes)
    off = _OFF["hazardous_waste"]
    t = _family(penalties, off)
    t = t.filter(
        t.waste_disposal.fill_null(False) & (t.waste_tonnes >= float(hazardous_waste_tonnes))
    )
    t = not_prosecuted(t, cases, off, window_days=match_window_days)
    t = _with_snippet(t, t.waste_words, off)
    return _hit(
        t,
        tonnes=t.waste_tonnes,
        threshold=ibis.literal(float(hazardous_waste_tonnes)),
        amount=ibis.null("float64"),
        score=_score(t.waste_tonnes, float(hazardous_waste_tonnes)),
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
    if region == counties.EACH:  # every county, each on its own (huiyan.counties)
        penalties = counties.mark(history)
    else:
        penalties = history.filter(history.region == region) if region else history
    return penalties, history, ws.table("criminal_cases")


TEXT_RULES = {
    "ACT-MINING-VALUE": "mining",
    "ACT-SHODDY-GOODS": "shoddy_goods",
    "ACT-DRUNK-DRIVING": "drunk_driving",
    "ACT-POLLUTION-WASTE": "hazardous_waste",
}
"""The rules whose deciding figure or phrase may come from the facts text, and their offence."""


def unread(penalties: ir.Table) -> dict[str, dict[str, int]]:
    """Blind spots: per text rule, the penalties of its offence and those whose deciding
    figure or phrase could not be read (no value, no blood or breath figure, no tonnage or
    no telling disposal from storage).

    Returns:
        ``{rule: {"candidates": n, "unread": m}}`` for :func:`huiyan.runs.save`.
    """
    from huiyan.reading import blindspots

    t = read(penalties)
    return blindspots.counts(
        t,
        {code: (t[f"is_{key}"], t[f"{rp.PREFIX[key]}_unread"]) for code, key in TEXT_RULES.items()},
    )


_KEY_WORDS = {
    "mining": (("offences", "mining", "conduct"), ("figures", "mineral_value"), ("figures", "illegal_gain")),
    "shoddy_goods": (("offences", "shoddy_goods", "conduct"), ("figures", "sales"), ("figures", "unsold_value")),
    "drunk_driving": (("figures", "blood"), ("figures", "breath"), ("offences", "drunk_driving", "conduct")),
    "hazardous_waste": (("offences", "hazardous_waste", "conduct"), ("waste_conduct", "disposal"),
                        ("waste_conduct", "keeping"), ("figures", "waste")),
}  # fmt: skip
"""The vocabulary lists whose words mark the sentences worth showing for an unread penalty."""


def unread_records(penalties: ir.Table, rule: str) -> tuple[Any, tuple[str, ...]]:
    """The penalties of a text rule whose deciding figure could not be read, and the key words.

    Returns:
        (a frame of ``record, text, name``, the key words), for
        :func:`huiyan.reading.blindspots.common_sentences`.
    """
    key = TEXT_RULES[rule]
    t = read(penalties)
    t = t.filter(t[f"is_{key}"] & t[f"{rp.PREFIX[key]}_unread"].fill_null(False))
    frame = t.select(
        record=ref("admin_penalties", t.case_id), text=t.facts, name=t.party_name
    ).execute()
    v = vocabulary()
    words = tuple(w for lists in _KEY_WORDS[key] for w in v.words(*lists))
    return frame, words


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
