"""The legal elements of administrative penalties, read from their labels and facts.

What admin_criminal_transfer decides on (models.md, "Reading the elements"):

- the offence, recognised by the conduct the facts describe (within the enforcement
  domains of the offence) or by the agency's label, whatever that label calls it;
- mining: the mineral value (or the illegal gain, a lower bound of it) and whether the
  site or time was a no-mining zone or season (a negated one is not);
- fake goods: the sales (or the illegal gain, a lower bound) and the unsold goods' value;
- drunk driving: the BLOOD alcohol decides; a breath figure is screening, used only when
  the facts state no blood test at all (``drunk_breath_only``);
- hazardous waste: the tonnes, and whether the conduct is disposal (discharge, dumping,
  disposal, handing it to a party without a licence) or only keeping (storage, labelling,
  records), the facts' conduct deciding over the label.

:func:`read_table` adds every element as ibis columns (inside the database) in one pass;
:func:`read_frame` reads a pandas frame the same way (tests and the pandas baseline hold
the two equal). Column names start with the offence's short name (:data:`PREFIX`); each
offence has ``<prefix>_words`` (the words the decision was read from, for the clue's
snippet) and ``<prefix>_unread`` (the deciding figure or phrase could not be read).

>>> from huiyan.reading.vocabulary import load
>>> e = read_facts("经呼气检测，其呼气酒精含量为96mg/100ml，经抽血检验血液酒精含量为62.5mg/100ml。",
...                load(local=None), violation="饮酒后驾驶机动车")
>>> e["is_drunk_driving"], e["drunk_blood"], e["drunk_breath"], e["drunk_breath_only"]
(True, 62.5, 96.0, False)
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from huiyan.reading import figures as fg
from huiyan.reading import numerals
from huiyan.reading.scope import CLAUSE_STOPS, mentions_expr, unnegated
from huiyan.reading.vocabulary import Vocabulary, found_expr, pattern, squeeze, squeeze_expr

OFFENCES = ("mining", "shoddy_goods", "drunk_driving", "hazardous_waste")
PREFIX = {
    "mining": "mining",
    "shoddy_goods": "shoddy",
    "drunk_driving": "drunk",
    "hazardous_waste": "waste",
}
"""The short name each offence's element columns start with."""
SLOTS: dict[str, dict[str, fg.Figure]] = {
    "_s1": {"mining": fg.MINERAL_VALUE, "shoddy_goods": fg.SALES, "drunk_driving": fg.BLOOD,
            "hazardous_waste": fg.WASTE_WEIGHT},
    "_s2": {"mining": fg.GAIN, "shoddy_goods": fg.GAIN, "drunk_driving": fg.BREATH,
            "hazardous_waste": fg.WEIGHT},
    "_s3": {"shoddy_goods": fg.UNSOLD_VALUE, "drunk_driving": fg.ALCOHOL},
    "_s4": {"shoddy_goods": fg.SOLD_TO},
}  # fmt: skip
"""The figures read, by working slot: a row reads the figure of its own offence in each slot
(mining: value, gain; goods: sales, gain, unsold, sold-to; driving: blood, breath, any figure;
waste: tonnes near a waste word, any tonnes), so one number parse serves four offences."""


# --- patterns ---------------------------------------------------------------------------------


def label_pattern(key: str, v: Vocabulary) -> str:
    """The agency labels naming offence ``key``."""
    return pattern(v.words("offences", key, "labels"))


def conduct_pattern(key: str, v: Vocabulary) -> str:
    """The conduct of offence ``key`` in the facts."""
    return pattern(v.words("offences", key, "conduct"))


def domain_pattern(key: str, v: Vocabulary) -> str:
    """The enforcement domains where the facts' conduct alone recognises offence ``key``."""
    return pattern(v.words("offences", key, "domains"), exact=True)


def handing_pattern(v: Vocabulary) -> str:
    """Handing hazardous waste to a party without a licence: 交由无危险废物经营资质的个人."""
    give = pattern(v.words("waste_conduct", "handing"))
    lacking = pattern(v.words("waste_conduct", "unlicensed"))
    return f"{give}[^{CLAUSE_STOPS}]{{0,24}}?{lacking}"


def _units(key: tuple[str, str], v: Vocabulary) -> dict[str, float]:
    return {squeeze(k).lower(): f for k, f in v.factors(*key).items()}


# --- ibis -------------------------------------------------------------------------------------------


def is_offence_expr(t: ir.Table, key: str, v: Vocabulary) -> ir.BooleanValue:
    """Whether each penalty is of offence ``key``: by its label, or by its facts within the domains."""
    by_label = found_expr(t.violation, v.words("offences", key, "labels"))
    in_domain = found_expr(t.domain, v.words("offences", key, "domains"), exact=True)
    by_facts = ibis.ifelse(
        in_domain, found_expr(t.facts, v.words("offences", key, "conduct")), False
    )
    return by_label | by_facts


def _structured(
    quantity: ir.NumericValue, unit: ir.StringValue, units: dict[str, float]
) -> ir.FloatingValue:
    written = squeeze_expr(unit.nullif(""))
    factor = fg.factor_expr(written, units, None)
    return (quantity.cast("float64") * factor).round(6)  # type: ignore[no-any-return]


def read_table(t: ir.Table, v: Vocabulary, *, offences: tuple[str, ...] = OFFENCES) -> ir.Table:
    """The penalties of ``offences`` among ``t``, with every element as columns.

    Adds ``is_<offence>`` (bool) for each offence, and the element columns:
    mining_value, mining_restricted, mining_words, mining_unread; shoddy_sales,
    shoddy_unsold, shoddy_by_sales_words, shoddy_unsold_words, shoddy_words,
    shoddy_unread; drunk_blood, drunk_breath, drunk_breath_only, drunk_alcohol (the
    deciding figure), drunk_words, drunk_unread; waste_tonnes, waste_disposal (null when
    undecided), waste_words, waste_unread. An element is null on another offence's rows.
    Working columns start with ``_``. Every long regular expression appears once in the
    query, and is evaluated only on the rows of its offence.
    """
    flags = {f"is_{k}": is_offence_expr(t, k, v) for k in offences}
    t = t.mutate(**flags)
    t = t.filter(ibis.or_(*[t[f] for f in flags]))
    t = t.mutate(_text=t.facts.fill_null(""))  # read as written: the patterns take either width
    x = t._text

    def on(key: str, value: ir.Value, kind: str) -> ir.Value:
        return ibis.ifelse(t[f"is_{key}"], value, ibis.null(kind))

    # 1. mentions, structured figures and the words each figure is read from
    cols: dict[str, ir.Value] = {}
    if "mining" in offences:
        zone = v.words("offences", "mining", "restricted")
        outside = v.words("offences", "mining", "outside")
        away = v.words("offences", "mining", "away")
        cols["_restricted"] = on(
            "mining", mentions_expr(x, zone, v, after=outside, before=away), "boolean"
        )
        cols["_zone_words"] = on("mining", x.re_extract(pattern(zone), 0).nullif(""), "string")
    if "drunk_driving" in offences:
        cols["_blood_said"] = on(
            "drunk_driving", mentions_expr(x, v.words("figures", "blood"), v), "boolean"
        )
        cols["_breath_said"] = on(
            "drunk_driving", mentions_expr(x, v.words("figures", "breath"), v), "boolean"
        )
        cols["_bac_record"] = _structured(
            t.quantity, t.quantity_unit, _units(("units", "alcohol"), v)
        )
    if "hazardous_waste" in offences:
        disposal_words = v.words("waste_conduct", "disposal")
        keeping_words = v.words("waste_conduct", "keeping")
        hand = handing_pattern(v)
        label = t.violation.fill_null("")
        w = "hazardous_waste"
        cols["_disposes"] = on(
            w, mentions_expr(x, disposal_words, v) | x.re_search(hand).fill_null(False), "boolean"
        )
        cols["_keeps"] = on(w, mentions_expr(x, keeping_words, v, negatable=False), "boolean")
        cols["_label_disposes"] = on(w, mentions_expr(label, disposal_words, v), "boolean")
        cols["_label_keeps"] = on(
            w, mentions_expr(label, keeping_words, v, negatable=False), "boolean"
        )
        cols["_conduct"] = on(
            w, x.re_extract(f"{hand}|{pattern(disposal_words)}", 0).nullif(""), "string"
        )
        cols["_tonnes_record"] = _structured(
            t.quantity, t.quantity_unit, _units(("units", "weight"), v)
        )
    slots: dict[str, tuple[fg.Figure, ...]] = {}
    for slot, by_offence in SLOTS.items():
        mine = [(k, f) for k, f in by_offence.items() if k in offences]
        if not mine:
            continue
        slots[slot] = tuple(f for _, f in mine)
        cols[f"{slot}_words"] = ibis.cases(
            *[(t[f"is_{k}"], x.re_extract(fg.regex(f, v), 0).nullif("")) for k, f in mine],
            else_=ibis.null("string"),
        )
    t = t.mutate(**cols)
    # 2. the figures' values (number, big word and unit out of the words read)
    t = fg.values_table(t, slots, v)
    # 3. the elements
    null_f, null_s = ibis.null("float64"), ibis.null("string")
    out: dict[str, ir.Value] = {}
    if "mining" in offences:
        stated = ibis.coalesce(t.goods_value, t._s1)
        got = ibis.coalesce(t.illegal_gain, t._s2)
        none = stated.isnull() & got.isnull()
        best = ibis.greatest(stated.fill_null(0.0), got.fill_null(0.0))
        figure_words = ibis.ifelse(
            got.fill_null(0.0) > stated.fill_null(0.0), t._s2_words, t._s1_words
        )
        out["mining_value"] = on("mining", ibis.ifelse(none, null_f, best), "float64")
        out["mining_restricted"] = t._restricted.fill_null(False)
        out["mining_words"] = on(
            "mining",
            ibis.coalesce(figure_words, ibis.ifelse(t._restricted, t._zone_words, null_s)),
            "string",
        )
        out["mining_unread"] = on("mining", none, "boolean")
    if "shoddy_goods" in offences:
        k = "shoddy_goods"
        sold = on(
            k, ibis.greatest(t._s1.fill_null(0.0), t._s4.fill_null(0.0)).nullif(0.0), "float64"
        )
        got = ibis.coalesce(t.illegal_gain, on(k, t._s2, "float64"))
        left = ibis.coalesce(t.goods_value, on(k, t._s3, "float64"))
        out["shoddy_sales"] = on(
            k, ibis.greatest(sold.fill_null(0.0), got.fill_null(0.0)), "float64"
        )
        out["shoddy_unsold"] = on(k, left.fill_null(0.0), "float64")
        sold_words = ibis.ifelse(
            t._s4.fill_null(0.0) > t._s1.fill_null(0.0), t._s4_words, t._s1_words
        )
        out["shoddy_sales_words"] = on(
            k,
            ibis.ifelse(sold.fill_null(0.0) >= got.fill_null(0.0), sold_words, t._s2_words),
            "string",
        )
        out["shoddy_unsold_words"] = on(k, t._s3_words, "string")
        out["shoddy_words"] = on(
            k, ibis.coalesce(t._s1_words, t._s4_words, t._s2_words, t._s3_words), "string"
        )
        out["shoddy_unread"] = on(k, sold.isnull() & got.isnull() & left.isnull(), "boolean")
    if "drunk_driving" in offences:
        only_blood = t._blood_said & ~t._breath_said
        only_breath = t._breath_said & ~t._blood_said
        d = "drunk_driving"
        blood = on(
            d,
            ibis.coalesce(t._bac_record, t._s1, ibis.ifelse(only_blood, t._s3, null_f)),
            "float64",
        )
        breath = on(d, ibis.coalesce(t._s2, ibis.ifelse(only_breath, t._s3, null_f)), "float64")
        breath_only = blood.isnull() & ~t._blood_said & breath.notnull()
        words = on(d, ibis.coalesce(
            t._s1_words,
            ibis.ifelse(only_blood, t._s3_words, null_s),
            t._s2_words,
            ibis.ifelse(only_breath, t._s3_words, null_s),
        ), "string")  # fmt: skip
        out["drunk_blood"] = blood
        out["drunk_breath"] = breath
        out["drunk_breath_only"] = breath_only.fill_null(False)
        out["drunk_alcohol"] = ibis.ifelse(breath_only.fill_null(False), breath, blood)
        out["drunk_words"] = ibis.ifelse(t._bac_record.notnull(), null_s, words)
        out["drunk_unread"] = on(
            "drunk_driving", blood.isnull() & ~breath_only.fill_null(False), "boolean"
        )
    if "hazardous_waste" in offences:
        w = "hazardous_waste"
        tonnes = on(w, ibis.coalesce(t._tonnes_record, t._s1, t._s2), "float64")
        disposal = ibis.cases(
            (t._disposes, True),
            (t._keeps, False),
            (t._label_disposes, True),
            (t._label_keeps, False),
            else_=ibis.null("boolean"),
        )
        figure_words = ibis.ifelse(
            t._tonnes_record.notnull(), t._conduct, ibis.coalesce(t._s1_words, t._s2_words)
        )
        out["waste_tonnes"] = tonnes
        out["waste_disposal"] = disposal
        out["waste_words"] = on(w, ibis.coalesce(figure_words, t._conduct), "string")
        out["waste_unread"] = on(w, tonnes.isnull() | disposal.isnull(), "boolean")
    return t.mutate(**out)


# --- pandas -------------------------------------------------------------------------------------


def _search(s: pd.Series, regex: str) -> pd.Series:
    return s.astype("string").str.contains(regex, regex=True).fillna(False).astype(bool)


def _mentions(
    s: pd.Series,
    words: tuple[str, ...],
    v: Vocabulary,
    *,
    negatable: bool = True,
    after: tuple[str, ...] = (),
    before: tuple[str, ...] = (),
) -> pd.Series:
    if negatable:
        s = s.map(
            lambda x: (
                unnegated(x, words, v, after=after, before=before) if isinstance(x, str) else x
            )
        )
    return _search(s, pattern(words))


def is_offence_frame(t: pd.DataFrame, key: str, v: Vocabulary) -> pd.Series:
    """:func:`is_offence_expr` over a pandas frame."""
    by_label = _search(t["violation"], label_pattern(key, v))
    in_domain = _search(t["domain"], domain_pattern(key, v))
    by_facts = pd.Series(False, index=t.index)
    if in_domain.any():
        by_facts[in_domain] = _search(t.loc[in_domain, "facts"], conduct_pattern(key, v))
    return by_label | by_facts


def _record(q: pd.Series, unit: pd.Series, units: dict[str, float]) -> pd.Series:
    written = unit.map(
        lambda u: squeeze(numerals.normalise(u)).lower() if isinstance(u, str) and u else None
    )
    factor = written.map(lambda u: units.get(u) if isinstance(u, str) else None).astype("float64")
    return (q.astype("float64") * factor).round(6)


def _first(*series: pd.Series) -> pd.Series:
    out = series[0].copy()
    for s in series[1:]:
        out = out.where(out.notna(), s)
    return out


def read_frame(
    t: pd.DataFrame, v: Vocabulary, *, offences: tuple[str, ...] = OFFENCES
) -> pd.DataFrame:
    """:func:`read_table` over a pandas frame: the same rows, flags and element columns."""
    flags = {f"is_{k}": is_offence_frame(t, k, v) for k in offences}
    keep = np.logical_or.reduce(list(flags.values())) if flags else np.zeros(len(t), bool)
    t = t.assign(**flags)[keep].copy()
    text = t["facts"].fillna("").astype(str)
    out = t
    if "mining" in offences:
        rows = t["is_mining"]
        value, value_words = fg.read_series(text.where(rows), fg.MINERAL_VALUE, v)
        gain, gain_words = fg.read_series(text.where(rows), fg.GAIN, v)
        zone = v.words("offences", "mining", "restricted")
        outside = v.words("offences", "mining", "outside")
        away = v.words("offences", "mining", "away")
        restricted = _mentions(text.where(rows), zone, v, after=outside, before=away) & rows
        zone_words = text.where(rows).str.extract(f"({pattern(zone)})", expand=True)[0]
        stated = t["goods_value"].astype("float64").where(t["goods_value"].notna(), value)
        got = t["illegal_gain"].astype("float64").where(t["illegal_gain"].notna(), gain)
        none = stated.isna() & got.isna()
        best = np.maximum(stated.fillna(0.0), got.fillna(0.0))
        figure_words = gain_words.where(got.fillna(0.0) > stated.fillna(0.0), value_words)
        out["mining_value"] = best.where(~none & rows)
        out["mining_restricted"] = restricted
        out["mining_words"] = _first(figure_words, zone_words.where(restricted)).where(rows)
        out["mining_unread"] = none.where(rows)
    if "shoddy_goods" in offences:
        rows = t["is_shoddy_goods"]
        sales, sales_words = fg.read_series(text.where(rows), fg.SALES, v)
        sold_to, sold_to_words = fg.read_series(text.where(rows), fg.SOLD_TO, v)
        sold = np.maximum(sales.fillna(0.0), sold_to.fillna(0.0)).replace(0.0, np.nan)
        sold_words = sold_to_words.where(sold_to.fillna(0.0) > sales.fillna(0.0), sales_words)
        gain, gain_words = fg.read_series(text.where(rows), fg.GAIN, v)
        unsold, unsold_words = fg.read_series(text.where(rows), fg.UNSOLD_VALUE, v)
        got = t["illegal_gain"].astype("float64").where(t["illegal_gain"].notna(), gain)
        left = t["goods_value"].astype("float64").where(t["goods_value"].notna(), unsold)
        out["shoddy_sales"] = np.maximum(sold.fillna(0.0), got.fillna(0.0)).where(rows)
        out["shoddy_unsold"] = left.fillna(0.0).where(rows)
        out["shoddy_sales_words"] = sold_words.where(
            sold.fillna(0.0) >= got.fillna(0.0), gain_words
        ).where(rows)
        out["shoddy_unsold_words"] = unsold_words
        out["shoddy_words"] = _first(sales_words, sold_to_words, gain_words, unsold_words)
        out["shoddy_unread"] = (sold.isna() & got.isna() & left.isna()).where(rows)
    if "drunk_driving" in offences:
        rows = t["is_drunk_driving"]
        on = text.where(rows)
        blood_read, blood_words = fg.read_series(on, fg.BLOOD, v)
        breath_read, breath_words = fg.read_series(on, fg.BREATH, v)
        any_read, any_words = fg.read_series(on, fg.ALCOHOL, v)
        blood_said = _mentions(on, v.words("figures", "blood"), v)
        breath_said = _mentions(on, v.words("figures", "breath"), v)
        record = _record(t["quantity"], t["quantity_unit"], _units(("units", "alcohol"), v))
        only_blood = blood_said & ~breath_said
        only_breath = breath_said & ~blood_said
        blood = _first(record, blood_read, any_read.where(only_blood)).where(rows)
        breath = _first(breath_read, any_read.where(only_breath))
        breath_only = blood.isna() & ~blood_said & breath.notna() & rows
        words = _first(
            blood_words, any_words.where(only_blood), breath_words, any_words.where(only_breath)
        )
        out["drunk_blood"] = blood
        out["drunk_breath"] = breath
        out["drunk_breath_only"] = breath_only
        out["drunk_alcohol"] = breath.where(breath_only, blood)
        out["drunk_words"] = words.where(record.isna())
        out["drunk_unread"] = (blood.isna() & ~breath_only).where(rows)
    if "hazardous_waste" in offences:
        rows = t["is_hazardous_waste"]
        on = text.where(rows)
        near, near_words = fg.read_series(on, fg.WASTE_WEIGHT, v)
        anywhere, any_words = fg.read_series(on, fg.WEIGHT, v)
        record = _record(t["quantity"], t["quantity_unit"], _units(("units", "weight"), v))
        disposal_words = v.words("waste_conduct", "disposal")
        keeping_words = v.words("waste_conduct", "keeping")
        hand = handing_pattern(v)
        disposes = _mentions(on, disposal_words, v) | _search(on, hand)
        keeps = _mentions(on, keeping_words, v, negatable=False)
        label = t["violation"].fillna("").astype(str).where(rows)
        label_disposes = _mentions(label, disposal_words, v)
        label_keeps = _mentions(label, keeping_words, v, negatable=False)
        decided: list[bool | None] = []
        for d, k, ld, lk in zip(disposes, keeps, label_disposes, label_keeps, strict=True):
            # the facts' conduct first, the label only when the facts tell neither
            decided.append(True if d else False if k else True if ld else False if lk else None)
        disposal = pd.Series(decided, index=t.index, dtype="object").where(rows, None)
        conduct = on.str.extract(f"({hand}|{pattern(disposal_words)})", expand=True)[0]
        tonnes = _first(record, near, anywhere).where(rows)
        figure_words = conduct.where(record.notna(), _first(near_words, any_words))
        out["waste_tonnes"] = tonnes
        out["waste_disposal"] = disposal
        out["waste_words"] = _first(figure_words, conduct).where(rows)
        out["waste_unread"] = (tonnes.isna() | disposal.isna()).where(rows)
    return out


def read_facts(
    facts: str, v: Vocabulary, *, violation: str = "", domain: str = "", **columns: Any
) -> dict[str, Any]:
    """Every element of one penalty (for tests, docs and the command line); {} when no offence."""
    row = {
        "facts": facts, "violation": violation, "domain": domain, "goods_value": None,
        "illegal_gain": None, "quantity": None, "quantity_unit": None, **columns,
    }  # fmt: skip
    frame = pd.DataFrame([row])
    for col in ("goods_value", "illegal_gain", "quantity"):
        frame[col] = frame[col].astype("float64")
    read = read_frame(frame, v)
    if read.empty:
        return {}
    out = read.iloc[0].to_dict()
    return {
        k: (x if isinstance(x, (bool, np.bool_, str)) or not pd.isna(x) else None)
        for k, x in out.items()
    }
