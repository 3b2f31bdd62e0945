"""Plain-pandas baseline of admin_criminal_transfer (行政执法与刑事司法衔接): the same five rules.

See :mod:`huiyan.models.admin_criminal_transfer`: offences and their elements
read by the same reading layer in its pandas form
(:func:`huiyan.reading.penalties.read_frame`), thresholds from
``datasets/thresholds.yaml``, and no clue when the penalty was transferred or a
criminal case answers it.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
from huiyan import reading
from huiyan.models.admin_criminal_transfer import PARAMETERS, Offence, offences
from huiyan.reading import penalties as rp
from huiyan.workspace import Workspace

from baselines import concat, hits, load, ref

MODEL = "admin_criminal_transfer"


def _any(col: pd.Series, words: tuple[str, ...]) -> pd.Series:
    if not words:
        return pd.Series(False, index=col.index)
    pattern = "|".join(re.escape(w) for w in words)
    return col.astype("string").str.contains(pattern, regex=True).fillna(False).astype(bool)


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
    v = reading.load()
    read = rp.read_frame(pen, v)
    w = int(p["match_window_days"])
    out = []

    # MINING-VALUE: the larger of the stated value and the illegal gain, lower limit in closed zones
    off = offs["mining"]
    mining = read[read["is_mining"]]
    limit = np.where(
        mining["mining_restricted"], float(p["mining_value_restricted"]), float(p["mining_value"])
    )
    value = mining["mining_value"]
    t = mining[(value > 0) & (value >= limit)]
    out.append(_hit("ACT-MINING-VALUE", _not_prosecuted(t, cases, off, w)))

    # MINING-REPEAT: enough earlier mining penalties of the same party in the preceding years
    cur = mining[mining["party_id"].notna()][
        ["case_id", "party_id", "decision_date", "transferred"]
    ]
    hist = history[rp.is_offence_frame(history, "mining", v) & history["party_id"].notna()]
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
    t = read[read["is_shoddy_goods"]]
    by_sales = (t["shoddy_sales"] > 0) & (t["shoddy_sales"] >= float(p["shoddy_sales"]))
    by_unsold = (t["shoddy_unsold"] > 0) & (t["shoddy_unsold"] >= float(p["shoddy_goods_value"]))
    out.append(_hit("ACT-SHODDY-GOODS", _not_prosecuted(t[by_sales | by_unsold], cases, off, w)))

    # DRUNK-DRIVING: the blood test decides; a breath figure only when no blood test is stated
    off = offs["drunk_driving"]
    t = read[read["is_drunk_driving"]]
    t = t[t["drunk_alcohol"] >= float(p["blood_alcohol"])]
    out.append(_hit("ACT-DRUNK-DRIVING", _not_prosecuted(t, cases, off, w)))

    # POLLUTION-WASTE: tonnes of hazardous waste disposed of (not merely stored)
    off = offs["hazardous_waste"]
    t = read[read["is_hazardous_waste"]]
    disposal = t["waste_disposal"].fillna(False).astype(bool)
    t = t[disposal & (t["waste_tonnes"] >= float(p["hazardous_waste_tonnes"]))]
    out.append(_hit("ACT-POLLUTION-WASTE", _not_prosecuted(t, cases, off, w)))
    return concat(out)
