"""Plain-pandas baseline of bankruptcy_labor_claims (破产程序虚假职工债权): the same eight rules.

See :mod:`huiyan.models.bankruptcy_labor_claims` for the definitions (month
numbers, months owed before the acceptance month, calendar-month late hire,
leave-one-out median and average wages at cent precision, compared in exact
integer cents).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from huiyan.models.bankruptcy_labor_claims import LABOUR, PARAMETERS, _roles, ratio_fraction
from huiyan.workspace import Workspace

from baselines import cents, concat, hits, load, person, ref, text

MODEL = "bankruptcy_labor_claims"
_OPEN_END = 10**6


def _month(d: pd.Series) -> pd.Series:
    return d.dt.year * 12 + d.dt.month - 1


def _labour(claims: pd.DataFrame) -> pd.DataFrame:
    c = claims[claims["claim_type"].str.strip() == LABOUR]
    acc = _month(c["accepted_date"])
    owed = c["months_owed"].where(c["months_owed"] > 0)
    return c.assign(
        pid=person(c["claimant_id"]),
        debtor=person(c["debtor_org_id"]),
        acc_m=acc,
        owed_n=owed,
        owed_start=acc - owed,
        owed_end=acc - 1,
        span_start=_month(c["hire_date"]).fillna(acc - owed).fillna(acc),
        span_end=acc,
        wage=c["monthly_wage"].where(c["monthly_wage"] > 0),
        evidence=ref("bankruptcy_claims", c["claim_id"]),
    )


def _jobs(ss: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "pid": person(ss["person_id"]),
            "s_org": person(ss["employer_org_id"]),
            "s_start": _month(ss["start_month"]),
            "s_end": _month(ss["end_month"]).fillna(_OPEN_END),
        }
    ).dropna(subset=["pid", "s_org"])


def _hit(code: str, lab: pd.DataFrame, mask: pd.Series | None = None) -> pd.DataFrame:
    t = lab if mask is None else lab[mask.fillna(False).astype(bool)]
    return hits(code, t["claim_id"], t["evidence"])


def run(ws: Workspace, *, region: str = "", **params: Any) -> pd.DataFrame:
    """Every rule of bankruptcy_labor_claims on ``ws``: one row per clue."""
    p = {k: v[0] for k, v in PARAMETERS.items()} | params
    claims = load(ws, "bankruptcy_claims", region=region)
    ss = load(ws, "social_security")
    ep = load(ws, "enterprise_people")
    households = load(ws, "households")

    lab = _labour(claims)
    jobs = _jobs(ss)
    out = []

    # NO-CONTRIBUTIONS: no job at the debtor overlapping the claimed employment
    j = lab[["claim_id", "pid", "debtor", "span_start", "span_end"]].dropna(
        subset=["pid", "debtor"]
    )
    j = j.merge(jobs, left_on=["pid", "debtor"], right_on=["pid", "s_org"])
    covered = j.loc[(j["s_start"] <= j["span_end"]) & (j["s_end"] >= j["span_start"]), "claim_id"]
    out.append(_hit("BLC-NO-CONTRIBUTIONS", lab, ~lab["claim_id"].isin(covered)))

    # INSIDER: officer or shareholder of the debtor, or in one's household
    people = pd.DataFrame({"e_org": person(ep["org_id"]), "e_pid": person(ep["person_id"])})
    people = people.dropna().drop_duplicates()
    known = lab[["claim_id", "pid", "debtor"]].dropna(subset=["pid", "debtor"])
    direct = known.merge(people, left_on=["pid", "debtor"], right_on=["e_pid", "e_org"])
    hh = pd.DataFrame(
        {"pid": person(households["person_id"]), "hid": text(households["household_id"])}
    )
    hh = hh.dropna()
    fam = known.merge(hh, on="pid").merge(hh.rename(columns={"pid": "o_pid"}), on="hid")
    fam = fam[fam["o_pid"] != fam["pid"]]
    fam = fam.merge(people, left_on=["o_pid", "debtor"], right_on=["e_pid", "e_org"])
    insiders = pd.concat([direct["claim_id"], fam["claim_id"]])
    out.append(_hit("BLC-INSIDER", lab, lab["claim_id"].isin(insiders)))

    # LATE-HIRE: hire date + N calendar months (clamped to month end) after acceptance
    months = int(p["late_hire_months"])
    hired = lab["hire_date"].notna()
    later = lab.loc[hired, "hire_date"] + pd.DateOffset(months=months)
    late = pd.Series(False, index=lab.index)
    late[hired] = later > lab.loc[hired, "accepted_date"]
    out.append(_hit("BLC-LATE-HIRE", lab, late))

    out.append(_hit("BLC-WAGE-OUTLIER", *_wage_outlier(lab, float(p["wage_ratio"]))))

    # EMPLOYED-ELSEWHERE: one job at another employer covering every month owed
    owing = lab[lab["owed_n"].notna() & lab["pid"].notna()]
    j = owing[["claim_id", "pid", "debtor", "owed_start", "owed_end"]].merge(jobs, on="pid")
    j = j[
        j["debtor"].notna()
        & (j["s_org"] != j["debtor"])
        & (j["s_start"] <= j["owed_start"])
        & (j["s_end"] >= j["owed_end"])
    ]
    out.append(_hit("BLC-EMPLOYED-ELSEWHERE", lab, lab["claim_id"].isin(j["claim_id"])))

    # MULTI-DEBTOR: overlapping months owed at two or more debtors; one clue per person
    a = owing[["claim_id", "pid", "debtor", "owed_start", "owed_end", "evidence"]]
    pairs = a.merge(a, on="pid", suffixes=("", "_b"))
    pairs = pairs[
        pairs["debtor"].notna()
        & pairs["debtor_b"].notna()
        & (pairs["debtor"] != pairs["debtor_b"])
        & (pairs["owed_start"] <= pairs["owed_end_b"])
        & (pairs["owed_start_b"] <= pairs["owed_end"])
    ]
    involved = a[a["claim_id"].isin(pairs["claim_id"])]
    out.append(hits("BLC-MULTI-DEBTOR", involved["pid"], involved["evidence"]))

    out.append(_hit("BLC-LARGE-CLAIM", lab, lab["amount"] > float(p["large_claim"])))
    out.append(_officer_cap(lab, ep, _roles(p["officer_roles"])))
    return concat(out)


def _wage_outlier(lab: pd.DataFrame, ratio: float) -> tuple[pd.DataFrame, pd.Series]:
    """Claims whose wage is above ``ratio`` x the median of the debtor's other wages."""
    w = lab[lab["wage"].notna() & lab["debtor"].notna()].sort_values(["debtor", "wage", "claim_id"])
    n = w.groupby("debtor")["claim_id"].transform("size").to_numpy()
    pos = w.groupby("debtor").cumcount().to_numpy()
    first = np.arange(len(w)) - pos
    wages = cents(w["wage"]).to_numpy(dtype="int64")
    m = n - 1  # the others
    keep = m >= 1
    hi_rank = m // 2
    lo_rank = np.where(m % 2 == 0, hi_rank - 1, hi_rank)

    def at(rank: np.ndarray) -> np.ndarray:
        idx = first + rank + (rank >= pos)  # skip the claim itself
        return wages[np.clip(idx, 0, len(wages) - 1)]

    twice = at(lo_rank) + at(hi_rank)  # twice the median, in cents
    # wage > round(median x ratio, 2), in integers: 2q x wage > p x twice + q
    p, q = ratio_fraction(ratio)
    wage = cents(w["wage"]).to_numpy(dtype="int64")
    flag = keep & (twice > 0) & (2 * q * wage > p * twice + q)
    return w, pd.Series(flag, index=w.index)


def _officer_cap(lab: pd.DataFrame, ep: pd.DataFrame, roles: list[str]) -> pd.DataFrame:
    w = lab[lab["wage"].notna() & lab["debtor"].notna()]
    w = w.assign(wage_c=cents(w["wage"]).astype("int64"))
    by = w.groupby("debtor")["wage_c"]
    tot, n = by.transform("sum"), by.transform("size")
    w = w.assign(others=tot - w["wage_c"], peers=n - 1)[n >= 2]
    off = ep[ep["role"].str.strip().isin(roles)]
    off = pd.DataFrame({"debtor": person(off["org_id"]), "pid": person(off["person_id"])})
    j = w.merge(off.dropna().drop_duplicates(), on=["debtor", "pid"])
    # wage > the others' average rounded to the cent: 2 x peers x wage > 2 x others + peers
    flag = 2 * j["peers"] * j["wage_c"] > 2 * j["others"] + j["peers"]
    return _hit("BLC-OFFICER-CAP", j, flag)
