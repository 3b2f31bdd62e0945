"""Plain-pandas baseline of judicial_auction (网络司法拍卖程序监督): the same seven rules.

See :mod:`huiyan.models.judicial_auction` for the rules and the boundary
decisions (money to the fen, round linking by previous_auction_id or by court,
case number and item).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from huiyan.models.judicial_auction import MOVABLES, PARAMETERS, RE_ROUNDS
from huiyan.workspace import Workspace

from baselines import cents, concat, hits, load, person, ref, text

MODEL = "judicial_auction"
_EPS = 1e-6


def _floor_share(c: pd.Series, share: float) -> pd.Series:
    return np.floor(c.astype("float64") * share + _EPS)


def _ceil_share(c: pd.Series, share: float) -> pd.Series:
    return np.ceil(c.astype("float64") * share - _EPS)


def _link(a: pd.DataFrame) -> pd.Series:
    """The id of each auction's previous round (null for first rounds)."""
    order = a.sort_values(
        ["court", "case_no", "item_desc", "start_date", "announce_date", "auction_id"],
        na_position="last",
    )
    inferred = order.groupby(["court", "case_no", "item_desc"], dropna=False)["auction_id"].shift()
    inferred = inferred.reindex(a.index)
    prev = text(a["previous_auction_id"]).fillna(inferred.astype("string"))
    return prev.where(a["round"].isin(RE_ROUNDS))


def _ref(t: pd.DataFrame) -> pd.Series:
    return ref("judicial_auctions", t["auction_id"])


def _hit(code: str, t: pd.DataFrame) -> pd.DataFrame:
    return hits(code, t["auction_id"], _ref(t))


def run(ws: Workspace, *, region: str = "", **params: Any) -> pd.DataFrame:
    """Every rule of judicial_auction on ``ws``: one row per clue."""
    p = {k: v[0] for k, v in PARAMETERS.items()} | params
    a = load(ws, "judicial_auctions", region=region)
    households = load(ws, "households")
    officers = load(ws, "enterprise_people")

    a = a.assign(prev_id=_link(a))
    days = (a["start_date"] - a["announce_date"]).dt.days
    movable = a["item_type"].isin(MOVABLES)
    first = a["round"] == "一拍"
    again = a["round"].isin(RE_ROUNDS)
    out = []

    need = np.where(movable, p["notice_days_movable"], p["notice_days_property"])
    out.append(_hit("AUC-NOTICE-SHORT", a[first & (days < need)]))
    need = np.where(movable, p["renotice_days_movable"], p["renotice_days_property"])
    out.append(_hit("AUC-RENOTICE-SHORT", a[again & (days < need)]))

    # relaunch: the earliest-starting later round of every failed first auction
    nxt = (
        a.loc[a["prev_id"].notna() & a["start_date"].notna(), ["prev_id", "start_date"]]
        .groupby("prev_id")["start_date"]
        .min()
    )
    failed = a[first & (a["status"] == "流拍")]
    next_start = failed["auction_id"].map(nxt)
    as_of = a["announce_date"].max()
    gap = (next_start.fillna(as_of) - failed["end_date"]).dt.days
    late = next_start.notna() | bool(p["flag_unrelaunched"])
    out.append(_hit("AUC-RELAUNCH-LATE", failed[late & (gap > p["relaunch_days"])]))

    appraisal = cents(a["appraisal_value"])
    start = cents(a["start_price"])
    low = (
        first
        & a["appraisal_value"].gt(0)
        & (start < _floor_share(appraisal, p["min_start_ratio"])).fillna(False)
    )
    out.append(_hit("AUC-START-LOW", a[low]))

    prev_start = a["prev_id"].map(a.set_index("auction_id")["start_price"])
    cut = prev_start.gt(0) & (start < _floor_share(cents(prev_start), 1 - p["max_cut"])).fillna(
        False
    )
    out.append(_hit("AUC-CUT-DEEP", a[cut]))

    dep = cents(a["deposit"])
    bad = (dep < _floor_share(start, p["deposit_min"])) | (
        dep > _ceil_share(start, p["deposit_max"])
    )
    ok_rows = a["deposit"].notna() & a["start_price"].gt(0)
    out.append(_hit("AUC-DEPOSIT-RANGE", a[ok_rows & bad.fillna(False)]))

    out.append(_buyer_linked(a, households, officers))
    return concat(out)


def _buyer_linked(
    a: pd.DataFrame, households: pd.DataFrame, officers: pd.DataFrame
) -> pd.DataFrame:
    sold = a[
        (a["status"] == "成交")
        & (cents(a["deal_price"]) < cents(a["appraisal_value"])).fillna(False)
    ]
    keys = pd.DataFrame(
        {
            "auction_id": sold["auction_id"],
            "buyer": person(sold["buyer_id"]),
            "exec": person(sold["executed_party_id"]),
        }
    ).dropna()
    keys = keys[keys["buyer"] != keys["exec"]]
    house = households.dropna(subset=["household_id"]).set_index("person_id")["household_id"]
    hb, he = keys["buyer"].map(house), keys["exec"].map(house)
    same_house = keys[hb.notna() & (hb == he)]["auction_id"]
    ep = officers[["org_id", "person_id"]].drop_duplicates()
    insider = keys.merge(ep, left_on=["exec", "buyer"], right_on=["org_id", "person_id"])
    linked = set(same_house) | set(insider["auction_id"])
    return _hit("AUC-BUYER-LINKED", sold[sold["auction_id"].isin(linked)])
