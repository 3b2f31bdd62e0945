"""Plain-pandas baseline of admin_criminal_transfer (行政执法与刑事司法衔接): the same five rules.

See :mod:`huiyan.models.admin_criminal_transfer`: offences recognised by
keywords, figures from the structured columns or read from the facts text with
the same regular expressions (:mod:`huiyan.quantities`), thresholds from
``datasets/thresholds.yaml``, and no clue when the penalty was transferred or a
criminal case answers it.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
from huiyan import quantities as q
from huiyan.models.admin_criminal_transfer import PARAMETERS, Offence, offences
from huiyan.workspace import Workspace

from baselines import concat, hits, load, ref, round_sql

MODEL = "admin_criminal_transfer"
_TRANS = str.maketrans(q._FULL, q._HALF)


def _any(col: pd.Series, words: tuple[str, ...]) -> pd.Series:
    if not words:
        return pd.Series(False, index=col.index)
    pattern = "|".join(re.escape(w) for w in words)
    return col.astype("string").str.contains(pattern, regex=True).fillna(False).astype(bool)


def _factor(written: pd.Series, units: tuple[q.Unit, ...]) -> pd.Series:
    written = written.astype("string").str.strip()
    out = pd.Series(np.nan, index=written.index)
    for u in reversed(units):  # the first unit that matches wins
        out = out.mask(written.str.fullmatch(u.pattern).fillna(False).astype(bool), u.factor)
    return out


def read(facts: pd.Series, measure: q.Measure) -> pd.Series:
    """The first ``measure`` in each text, normalised (like :func:`huiyan.quantities.read`)."""
    found = facts.astype("string").str.translate(_TRANS).str.extract(measure.pattern)
    number = found[0].str.replace(",", "", regex=False).astype("float64")
    return round_sql(number * _factor(found[1], measure.units), 6)


def normalise(quantity: pd.Series, unit: pd.Series, measure: q.Measure) -> pd.Series:
    """Structured quantities in ``measure``'s unit, NaN for other units."""
    unit = unit.astype("string").str.translate(_TRANS)
    return round_sql(quantity.astype("float64") * _factor(unit, measure.units), 6)


def _is(t: pd.DataFrame, off: Offence) -> pd.Series:
    return _any(t["violation"], off.violation) | (
        _any(t["domain"], off.domains) & _any(t["facts"], off.facts)
    )


def _not_prosecuted(
    t: pd.DataFrame, cases: pd.DataFrame, off: Offence, window_days: int
) -> pd.DataFrame:
    t = t[~t["transferred"].fillna(False).astype(bool)]
    sources = cases["source_case_id"].dropna()
    t = t[~t["case_id"].isin(sources[sources != ""])]
    same = cases[_any(cases["offence"], off.criminal)][["suspect_id", "filed_date"]].dropna()
    j = t[["case_id", "party_id", "decision_date"]].dropna(subset=["party_id"])
    j = j.merge(same, left_on="party_id", right_on="suspect_id")
    window = pd.Timedelta(days=window_days)
    answered = j.loc[
        (j["filed_date"] >= j["decision_date"] - window)
        & (j["filed_date"] <= j["decision_date"] + window),
        "case_id",
    ]
    return t[~t["case_id"].isin(answered)]


def _hit(code: str, t: pd.DataFrame) -> pd.DataFrame:
    return hits(code, t["case_id"], ref("admin_penalties", t["case_id"]))


def run(ws: Workspace, *, region: str = "", **params: Any) -> pd.DataFrame:
    """Every rule of admin_criminal_transfer on ``ws``: one row per clue."""
    p = {k: v[0] for k, v in PARAMETERS.items()} | params
    history = load(ws, "admin_penalties")
    pen = history[history["region"] == region] if region else history
    cases = load(ws, "criminal_cases")
    offs = offences()
    w = int(p["match_window_days"])
    out = []

    # MINING-VALUE: the larger of the stated value and the illegal gain, lower limit in closed zones
    off = offs["mining"]
    mining = pen[_is(pen, off)]
    stated = mining["goods_value"].fillna(read(mining["facts"], q.VALUE))
    gain = mining["illegal_gain"].fillna(read(mining["facts"], q.GAIN))
    value = np.maximum(stated.fillna(0.0), gain.fillna(0.0))
    restricted = _any(mining["facts"], ("禁采区", "禁采期", "禁止开采区", "禁采河段")) & ~_any(
        mining["facts"], ("不属于禁采", "非禁采")
    )
    limit = np.where(restricted, float(p["mining_value_restricted"]), float(p["mining_value"]))
    t = mining[(value > 0) & (value >= limit)]
    out.append(_hit("ACT-MINING-VALUE", _not_prosecuted(t, cases, off, w)))

    # MINING-REPEAT: enough earlier mining penalties of the same party in the preceding years
    cur = mining[mining["party_id"].notna()][
        ["case_id", "party_id", "decision_date", "transferred"]
    ]
    hist = history[_is(history, off) & history["party_id"].notna()]
    hist = hist[["party_id", "decision_date"]].rename(columns={"decision_date": "h_date"})
    pairs = cur.merge(hist, on="party_id")
    since = pairs["decision_date"] - pd.DateOffset(years=int(p["mining_repeat_years"]))
    pairs = pairs[(pairs["h_date"] < pairs["decision_date"]) & (pairs["h_date"] >= since)]
    earlier = pairs.groupby("case_id").size()
    repeat = earlier[earlier >= int(p["mining_repeat_count"])].index
    t = cur[cur["case_id"].isin(repeat)]
    out.append(_hit("ACT-MINING-REPEAT", _not_prosecuted(t, cases, off, w)))

    # SHODDY-GOODS: sales (at least the illegal gain) or unsold goods value
    off = offs["shoddy_goods"]
    t = pen[_is(pen, off)]
    gain = t["illegal_gain"].fillna(read(t["facts"], q.GAIN))
    sales = np.maximum(read(t["facts"], q.SALES).fillna(0.0), gain.fillna(0.0))
    unsold = t["goods_value"].fillna(read(t["facts"], q.GOODS_VALUE)).fillna(0.0)
    by_sales = (sales > 0) & (sales >= float(p["shoddy_sales"]))
    by_unsold = (unsold > 0) & (unsold >= float(p["shoddy_goods_value"]))
    out.append(_hit("ACT-SHODDY-GOODS", _not_prosecuted(t[by_sales | by_unsold], cases, off, w)))

    # DRUNK-DRIVING: blood alcohol from the quantity column, else the facts
    off = offs["drunk_driving"]
    t = pen[_is(pen, off)]
    bac = normalise(t["quantity"], t["quantity_unit"], q.BAC).fillna(read(t["facts"], q.BAC))
    t = t[bac >= float(p["blood_alcohol"])]
    out.append(_hit("ACT-DRUNK-DRIVING", _not_prosecuted(t, cases, off, w)))

    # POLLUTION-WASTE: tonnes of hazardous waste
    off = offs["hazardous_waste"]
    t = pen[_is(pen, off)]
    tonnes = (
        normalise(t["quantity"], t["quantity_unit"], q.WEIGHT)
        .fillna(read(t["facts"], q.WASTE_WEIGHT))
        .fillna(read(t["facts"], q.WEIGHT))
    )
    t = t[tonnes >= float(p["hazardous_waste_tonnes"])]
    out.append(_hit("ACT-POLLUTION-WASTE", _not_prosecuted(t, cases, off, w)))
    return concat(out)
