"""Plain-pandas baseline of forest_subsidy (公益林补偿资金发放监督): the same seven rules.

See :mod:`huiyan.models.forest_subsidy` for the definitions (deceased before the
subsidy year, 1% area tolerance after rounding, certificate-year groups,
heirs in the holder's household, official links by person, household or account).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from huiyan.models.forest_subsidy import PARAMETERS, WELFARE
from huiyan.workspace import Workspace

from baselines import concat, hits, load, person, ref, round_sql, text

MODEL = "forest_subsidy"


def _ids(mask: pd.Series, pay: pd.DataFrame) -> pd.Series:
    return pay.loc[mask.fillna(False).astype(bool), "payment_id"]


def run(ws: Workspace, *, region: str = "", **params: Any) -> pd.DataFrame:
    """Every rule of forest_subsidy on ``ws``: one row per clue."""
    p = {k: v[0] for k, v in PARAMETERS.items()} | params
    pay = load(ws, "forest_subsidies", region=region)
    rights = load(ws, "forest_rights")
    deaths = load(ws, "deaths")
    households = load(ws, "households")
    officials = load(ws, "village_officials")

    pay = pay.assign(
        r_pid=person(pay["recipient_id"]),
        cert=text(pay["cert_no"]),
        acct=text(pay["account_no"]),
        evidence=ref("forest_subsidies", pay["payment_id"]),
    )
    r = pd.DataFrame(
        {
            "cert": text(rights["cert_no"]),
            "holder_id": person(rights["holder_id"]),
            "reg_area": rights["area_mu"],
            "forest_type": rights["forest_type"].str.strip(),
        }
    ).dropna(subset=["cert"])
    pr = pay.merge(r, on="cert", how="left", indicator=True)
    registered = pr["_merge"] == "both"
    flagged: dict[str, pd.Series] = {}

    died = pd.Series(deaths["death_date"].dt.year.to_numpy(), index=person(deaths["person_id"]))
    died = died[died.index.notna()]
    died = died[~died.index.duplicated()]
    flagged["FOR-DECEASED"] = _ids(pay["r_pid"].map(died) < pay["year"], pay)
    no_right = ~registered | (pr["forest_type"].notna() & (pr["forest_type"] != WELFARE))
    flagged["FOR-NO-RIGHT"] = _ids(no_right, pr)

    # certificate-years: AREA-EXCESS and DUPLICATE
    certs = pay.dropna(subset=["cert"])
    cy = certs.groupby(["cert", "year"]).agg(
        payments=("payment_id", "count"),
        paid_area=("area_mu", "sum"),
        first_id=("payment_id", "min"),
    )
    cy = cy.reset_index().merge(r[["cert", "reg_area"]], on="cert", how="left")
    excess = (cy["reg_area"] > 0) & (
        round_sql(cy["paid_area"], 4) > round_sql(cy["reg_area"] * (1.0 + p["area_tolerance"]), 4)
    )
    groups = {"FOR-AREA-EXCESS": cy[excess.fillna(False)], "FOR-DUPLICATE": cy[cy["payments"] > 1]}
    group_rows = {}
    for code, g in groups.items():
        members = certs.merge(g[["cert", "year", "first_id"]], on=["cert", "year"])
        group_rows[code] = members
        flagged[code] = members["payment_id"]

    hh = pd.DataFrame(
        {
            "pid": person(households["person_id"]),
            "hid": text(households["household_id"]),
            "h_ref": ref("households", households["person_id"]),
        }
    ).dropna(subset=["pid", "hid"])
    house = hh.drop_duplicates("pid").set_index("pid")["hid"]
    reg = pr[registered]
    mine, theirs = reg["r_pid"].map(house), reg["holder_id"].map(house)
    same_household = (mine.notna() & (mine == theirs)).fillna(False)
    other = reg["r_pid"].isna() | (reg["holder_id"].notna() & (reg["r_pid"] != reg["holder_id"]))
    flagged["FOR-HOLDER-MISMATCH"] = _ids(other.fillna(False) & ~same_household, reg)

    expected = round_sql(pay["area_mu"] * pay["rate"], 2)
    diff = round_sql(pay["amount"] - expected, 2)
    flagged["FOR-AMOUNT-MISMATCH"] = _ids(diff.abs() > p["amount_tolerance"], pay)

    out = [
        hits(code, ids, "forest_subsidies:" + ids.astype("string"))
        for code, ids in flagged.items()
        if code not in groups
    ]
    for code, members in group_rows.items():
        out.append(hits(code, members["first_id"], members["evidence"]))
    out.append(_official_link(pay, flagged, hh, officials))
    return concat(out)


def _official_link(
    pay: pd.DataFrame, flagged: dict[str, pd.Series], hh: pd.DataFrame, officials: pd.DataFrame
) -> pd.DataFrame:
    ids = pd.concat(list(flagged.values())).unique()
    f = pay[pay["payment_id"].isin(ids)][
        ["payment_id", "r_pid", "acct", "region", "village", "paid_date", "evidence"]
    ]
    f = f.assign(village=f["village"].str.strip())
    o = pd.DataFrame(
        {
            "o_pid": person(officials["person_id"]),
            "o_region": officials["region"],
            "o_village": officials["village"].str.strip(),
            "o_start": officials["term_start"],
            "o_end": officials["term_end"],
        }
    ).dropna(subset=["o_pid"])

    def in_office(t: pd.DataFrame) -> pd.Series:
        return (
            (t["o_region"] == t["region"])
            & (t["o_village"] == t["village"])
            & (t["o_start"] <= t["paid_date"])
            & (t["o_end"].isna() | (t["o_end"] >= t["paid_date"]))
        ).fillna(False)

    own = f.dropna(subset=["r_pid"]).merge(o, left_on="r_pid", right_on="o_pid")
    own = own[in_office(own)]
    fam = f.dropna(subset=["r_pid"]).merge(hh[["pid", "hid"]], left_on="r_pid", right_on="pid")
    fam = fam.merge(hh[["pid", "hid"]].rename(columns={"pid": "x_pid"}), on="hid")
    fam = fam[fam["x_pid"] != fam["pid"]].merge(o, left_on="x_pid", right_on="o_pid")
    fam = fam[in_office(fam)]
    known = pay.dropna(subset=["acct", "r_pid"])[["r_pid", "acct"]].drop_duplicates()
    accts = known.merge(o, left_on="r_pid", right_on="o_pid").drop(columns="r_pid")
    acc = f.dropna(subset=["acct"]).merge(accts, on="acct")
    acc = acc[in_office(acc)]
    hit = pd.concat([own, fam, acc])[["payment_id", "evidence"]]
    return hits("FOR-OFFICIAL-LINK", hit["payment_id"], hit["evidence"])
