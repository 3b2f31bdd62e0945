"""The seven rules of insurance_fraud in pandas, on :class:`~.facts.Facts`.

Each rule returns clue rows (rule, subject_id, evidence) like
:func:`baselines.hits`; see :mod:`huiyan.models.insurance_fraud` for
their definitions and :mod:`huiyan.models.insurance_fraud.rings` for INS-RING.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pandas as pd
from huiyan.models.insurance_fraud.base import SHOP_WORDS

from baselines import hits, ref
from baselines.insurance_fraud.facts import Facts
from baselines.insurance_fraud.linking import among, equals, has

_KIND_ORDER = {"S": 0, "A": 1, "P": 2, "L": 3}
"""Which kind a node is when it plays several roles (a company that sues and repairs is a shop)."""


def _judgments(code: str, doc_ids: pd.Series) -> pd.DataFrame:
    return hits(code, doc_ids, ref("judgments", doc_ids))


def in_windows(
    e: pd.DataFrame, *, key: str, date: str, record: str, min_count: int, months: int
) -> pd.DataFrame:
    """``key, record`` of every record in a window of ``months`` holding >= ``min_count`` records.

    A window starts at each record's date (as :func:`huiyan.models.insurance_fraud.in_windows`);
    per key the dates are sorted once and each window's end found with ``searchsorted``.
    """
    e = e[[key, date, record]].dropna(subset=[key, date]).drop_duplicates()
    e = e.sort_values([key, date]).reset_index(drop=True)
    code = pd.factorize(e[key])[0].astype("int64")
    day = e[date].to_numpy().astype("datetime64[D]").astype("int64")
    end = (e[date] + pd.DateOffset(months=months)).to_numpy().astype("datetime64[D]")
    end = end.astype("int64")
    base, span = (day.min(), end.max() - day.min() + 1) if len(e) else (0, 1)
    pos = code * span + (day - base)
    lo = np.searchsorted(pos, pos, side="left")
    hi = np.searchsorted(pos, code * span + (end - base), side="left")
    full = (hi - lo) >= min_count
    inside = np.zeros(len(e) + 1, dtype="int64")
    np.add.at(inside, lo[full], 1)
    np.add.at(inside, hi[full], -1)
    return e.loc[np.cumsum(inside)[:-1] > 0, [key, record]]


def assigned(f: Facts) -> pd.DataFrame:
    """INS-ASSIGNED: assignment said or a repair business sues, and no plaintiff owns a plate."""
    pl = f.plaintiffs
    shop_sues = pl.loc[(pl["kind"] == "org") & has(pl["name"], SHOP_WORDS), "doc_id"]
    said = f.docs.loc[f.docs["assigned"], "doc_id"]
    po = f.plates.merge(f.owners, on="plate")
    pairs = pl[["doc_id", "name", "masked", "person_id", "org_id"]].merge(po, on="doc_id")
    pid = pairs["person_id_x"].fillna(pairs["org_id"])
    same = (
        (pid.str.upper() == pairs["person_id_y"].str.upper())
        | (~pairs["masked"] & (pairs["name"] == pairs["name_o"]))
        | (pairs["masked"] & (pairs["name"].str[:1] == pairs["name_o"].str[:1]))
    )
    owner_sues = pairs.loc[same.fillna(False).astype(bool), "doc_id"]
    d = f.docs["doc_id"]
    return _judgments(
        "INS-ASSIGNED", d[(among(d, said) | among(d, shop_sues)) & ~among(d, owner_sues)]
    )


def no_assessment(f: Facts) -> pd.DataFrame:
    """INS-NO-ASSESSMENT: the insurer never assessed; the plaintiff commissioned the assessment."""
    return _judgments("INS-NO-ASSESSMENT", f.docs.loc[f.docs["no_assessment"], "doc_id"])


def frequent_plaintiff(f: Facts, *, min_suits: int, window_months: int) -> pd.DataFrame:
    """INS-FREQUENT-PLAINTIFF: one plaintiff (by suit_key) in >= ``min_suits`` suits in a window."""
    p = f.plaintiffs[f.plaintiffs["suit_key"].notna()]
    found = in_windows(
        p, key="suit_key", date="judgment_date", record="doc_id", min_count=min_suits,
        months=window_months,
    )  # fmt: skip
    # the clue's subject: the one person (or company) all the suits' plaintiffs link to
    ps = p[among(p["doc_id"], found["doc_id"])]
    who = ps.assign(_id=ps["person_id"].fillna(ps["org_id"])).groupby("suit_key")["_id"]
    who = who.agg(["nunique", "min"])
    w = who.reindex(found["suit_key"])
    subject = w["min"].where(w["nunique"] == 1, found["suit_key"].to_numpy())
    return hits("INS-FREQUENT-PLAINTIFF", subject, ref("judgments", found["doc_id"]))


def shop_concentration(f: Facts, *, min_shop_cases: int) -> pd.DataFrame:
    """INS-SHOP-CONCENTRATION: a shop in >= ``min_shop_cases`` suits, one assessor in over half."""
    s = f.shops[["doc_id", "shop_key"]].drop_duplicates()
    n = s.groupby("shop_key")["doc_id"].nunique()
    top = (
        s.merge(f.assessors[["doc_id", "assessor_key"]], on="doc_id")
        .groupby(["shop_key", "assessor_key"])["doc_id"]
        .nunique()
        .groupby(level="shop_key")
        .max()
    )
    busy = n[(n >= min_shop_cases) & (top.reindex(n.index) * 2 > n)].index
    s = s[among(s["shop_key"], busy.to_series())]
    return hits("INS-SHOP-CONCENTRATION", s["shop_key"], ref("judgments", s["doc_id"]))


def plaintiff_employee(f: Facts, *, employment_lookback_months: int) -> pd.DataFrame:
    """INS-PLAINTIFF-EMPLOYEE: the plaintiff worked at (in the lookback) or runs the case's shop."""
    p = f.plaintiffs.loc[
        f.plaintiffs["person_id"].notna(), ["doc_id", "person_id", "judgment_date"]
    ]
    s = f.shops.loc[f.shops["org_id"].notna(), ["doc_id", "org_id"]]
    ps = p.merge(s, on="doc_id")
    ss = f.social[["person_id", "employer_org_id", "start_month", "end_month"]]
    emp = ps.merge(ss, left_on=["person_id", "org_id"], right_on=["person_id", "employer_org_id"])
    since = emp["judgment_date"] - pd.DateOffset(months=employment_lookback_months)
    worked = (emp["start_month"] <= emp["judgment_date"]) & (
        emp["end_month"].isna() | (emp["end_month"] >= since)
    )
    off = ps.merge(f.officers[["org_id", "person_id"]], on=["person_id", "org_id"])
    d = f.docs["doc_id"]
    return _judgments(
        "INS-PLAINTIFF-EMPLOYEE", d[among(d, emp.loc[worked, "doc_id"]) | among(d, off["doc_id"])]
    )


def frequent_reporter(f: Facts, *, min_reports: int, report_window_months: int) -> pd.DataFrame:
    """INS-FREQUENT-REPORTER: >= ``min_reports`` claims on others' cars, at shops that employ them."""
    c = f.claims
    c = c[c["reporter_pid"].notna() & c["shop_org_id"].notna()]
    v = f.vehicles[["plate_no", "owner_id", "owner_name"]].dropna(subset=["plate_no"])
    c = c.merge(v, on="plate_no", how="left")
    # the reporter owns the car (by id; by name when the claim gives no id), or it cannot be told
    rn, on = c["reporter_name"], c["owner_name"]
    own = equals(c["owner_id"].str.upper(), c["reporter_pid"]) | (
        c["reporter_id"].isna() & (rn.isna() | on.isna() | equals(rn, on))
    )
    c = c[~own]
    ss = f.social[["person_id", "employer_org_id", "start_month", "end_month"]]
    emp = c.merge(
        ss, left_on=["reporter_pid", "shop_org_id"], right_on=["person_id", "employer_org_id"]
    )
    month = emp["report_date"].dt.to_period("M").dt.to_timestamp()
    worked = (emp["start_month"] <= emp["report_date"]) & (
        emp["end_month"].isna() | (emp["end_month"] >= month)
    )
    off = c.merge(
        f.officers[["org_id", "person_id"]],
        left_on=["reporter_pid", "shop_org_id"],
        right_on=["person_id", "org_id"],
    )
    tied = c[
        among(c["claim_id"], emp.loc[worked, "claim_id"]) | among(c["claim_id"], off["claim_id"])
    ]
    found = in_windows(
        tied, key="reporter_pid", date="report_date", record="claim_id", min_count=min_reports,
        months=report_window_months,
    )  # fmt: skip
    t = tied[among(tied["claim_id"], found["claim_id"])]
    return hits("INS-FREQUENT-REPORTER", t["reporter_pid"], ref("insurance_claims", t["claim_id"]))


def rings(
    f: Facts, found: list[pd.DataFrame], *, min_ring_rules: int, min_ring_people: int = 2
) -> pd.DataFrame:
    """INS-RING: connected groups of suspect records and their actors carrying several rules."""
    import networkx as nx

    flagged = pd.concat([h[["rule", "evidence"]] for h in found]).explode("evidence")
    flagged = flagged.rename(columns={"evidence": "record"}).drop_duplicates()
    d = f.docs[["doc_id"]].assign(record="judgments:" + f.docs["doc_id"])
    d = d[among(d["record"], flagged["record"])]
    c = f.claims.assign(record="insurance_claims:" + f.claims["claim_id"])
    c = c[among(c["record"], flagged["record"])]

    def on_docs(t: pd.DataFrame, node: str, kind: str) -> pd.DataFrame:
        x = t.merge(d, on="doc_id")
        return pd.DataFrame({"record": x["record"], "node": x[node], "kind": kind})

    def on_claims(node: str, kind: str) -> pd.DataFrame:
        return pd.DataFrame({"record": c["record"], "node": c[node], "kind": kind})

    edges = pd.concat(
        [
            on_docs(f.plaintiffs, "party_key", "P"),
            on_docs(f.agents, "agent_key", "L"),
            on_docs(f.shops, "shop_key", "S"),
            on_docs(f.assessors, "assessor_key", "A"),
            on_claims("reporter_pid", "P"),
            on_claims("shop_key", "S"),
            on_claims("assessor_key", "A"),
        ]
    ).dropna()
    edges = edges.drop_duplicates()
    # one kind per node (a company that sues and repairs is a shop)
    order = edges["kind"].map(_KIND_ORDER)
    kind_of = edges.loc[order.groupby(edges["node"]).idxmin(), ["node", "kind"]]

    graph: Any = nx.Graph()
    graph.add_nodes_from(flagged["record"])
    graph.add_edges_from(zip(edges["record"], edges["node"], strict=True))
    comp = {n: i for i, nodes in enumerate(nx.connected_components(graph)) for n in nodes}
    flagged["ring"] = flagged["record"].map(comp)
    actors = kind_of.assign(ring=kind_of["node"].map(comp))
    n_rules = flagged.groupby("ring")["rule"].nunique()
    n_people = actors[actors["kind"] == "P"].groupby("ring").size()
    ok = n_rules.index[
        (n_rules >= min_ring_rules)
        & (n_people.reindex(n_rules.index, fill_value=0) >= min_ring_people)
    ]
    if not len(ok):
        return hits("INS-RING", pd.Series(dtype="str"), pd.Series(dtype="str"))
    actors = actors[actors["ring"].isin(ok)]

    # every claim a ring person reported at a ring shop, every judgment of a ring plaintiff
    # naming a ring shop: part of the ring's business even where no rule flagged it alone
    pairs = actors[actors["kind"] == "P"].merge(
        actors[actors["kind"] == "S"], on="ring", suffixes=("_p", "_s")
    )[["ring", "node_p", "node_s"]]
    cl = f.claims.merge(pairs, left_on=["reporter_pid", "shop_key"], right_on=["node_p", "node_s"])
    jd = f.plaintiffs[["doc_id", "party_key"]].merge(f.shops[["doc_id", "shop_key"]], on="doc_id")
    jd = jd.merge(pairs, left_on=["party_key", "shop_key"], right_on=["node_p", "node_s"])
    extra = pd.concat(
        [
            pd.DataFrame({"record": "insurance_claims:" + cl["claim_id"], "ring": cl["ring"],
                          "node": cl["shop_key"]}),
            pd.DataFrame({"record": "judgments:" + jd["doc_id"], "ring": jd["ring"],
                          "node": jd["shop_key"]}),
        ]
    )  # fmt: skip
    members = pd.concat(
        [flagged.loc[flagged["ring"].isin(ok), ["record", "ring"]], extra.drop_duplicates("record")]
    )[["record", "ring"]].drop_duplicates()

    # the ring's id: its busiest repair shop (most records), else a hash of its actors
    shops = actors[actors["kind"] == "S"]
    touching = pd.concat([edges[["record", "node"]], extra[["record", "node"]]])
    degree = touching[among(touching["node"], shops["node"])].groupby("node")["record"].nunique()
    busiest = (
        shops.assign(degree=shops["node"].map(degree).fillna(0))
        .sort_values(["degree", "node"], ascending=False)
        .drop_duplicates("ring")
        .set_index("ring")["node"]
    )
    ids = pd.Series(ok, index=ok).map(busiest)
    for r in ids.index[ids.isna()]:  # rings without a shop: few
        a = actors[actors["ring"] == r]
        # each node once, as the kind it plays first (a node may have several edges and roles)
        order = a.assign(order=a["kind"].map(_KIND_ORDER)).groupby("node")["order"].min()
        ranked = sorted(zip(order.to_numpy(), order.index, strict=True))
        names = "|".join(node for _, node in ranked)
        ids[r] = "H" + hashlib.sha256(names.encode()).hexdigest()[:12]
    return hits("INS-RING", "ring:" + members["ring"].map(ids), members["record"])
