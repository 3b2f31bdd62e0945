"""Synthetic bankruptcy claims (``bankruptcy_claims``) with the social-security rows of genuine workers.

Bankrupt debtors are new companies; each gets a list of labour claims (职工债权)
by fresh people in fresh households, who have social-security rows with the
debtor covering their employment, plus tax, secured and ordinary claims by
other organisations. A few percent of labour claims are planted violations of
every rule of :mod:`huiyan.models.bankruptcy_labor_claims`, most of them near
their thresholds, and hard negatives sit exactly on the boundaries (hired
exactly 6 months before acceptance, a wage of exactly 3 x the median, an
officer paid exactly the average, a claim of exactly 300,000 yuan, a job
elsewhere that misses the first month owed, claims at two debtors whose
months owed do not overlap, a claimant in the household of *another*
company's officer).

Wages of one debtor depend on each other (median, average), so they are set
debtor by debtor and then checked with an independent numpy computation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from huiyan.synth import ids
from huiyan.synth.base import Province, months

log = logging.getLogger(__name__)

MODEL = "bankruptcy_labor_claims"
LABOUR_SHARE = 0.72
CLAIMS_PER_DEBTOR = 40

# planted kinds: rate per labour claim and the minimum count (so tiny has every rule)
POSITIVE = {
    "no_contrib": 0.012,
    "no_contrib_near": 0.010,
    "insider_share": 0.008,
    "insider_family": 0.008,
    "late": 0.020,
    "outlier": 0.018,
    "elsewhere": 0.018,
    "multi": 0.012,
    "large": 0.015,
    "officer_cap": 0.012,
}
NEGATIVE = {
    "neg_contrib_last": 0.004,
    "neg_family_other": 0.004,
    "neg_late_exact": 0.006,
    "neg_3x": 0.004,
    "neg_elsewhere_partial": 0.005,
    "neg_multi_disjoint": 0.004,
    "neg_large_exact": 0.003,
    "neg_officer_eq": 0.004,
    "neg_shareholder_high": 0.003,
}
TRUTH = {
    "no_contrib": ("BLC-NO-CONTRIBUTIONS",),
    "no_contrib_near": ("BLC-NO-CONTRIBUTIONS",),
    "insider_share": ("BLC-INSIDER",),
    "insider_family": ("BLC-INSIDER",),
    "neg_officer_eq": ("BLC-INSIDER",),
    "neg_shareholder_high": ("BLC-INSIDER",),
    "officer_cap": ("BLC-OFFICER-CAP", "BLC-INSIDER"),
    "late": ("BLC-LATE-HIRE",),
    "outlier": ("BLC-WAGE-OUTLIER",),
    "elsewhere": ("BLC-EMPLOYED-ELSEWHERE",),
    "multi": ("BLC-MULTI-DEBTOR",),
    "multi_b": ("BLC-MULTI-DEBTOR",),
    "large": ("BLC-LARGE-CLAIM",),
}
OFFICER_KINDS = {"officer_cap": "", "neg_officer_eq": "", "neg_shareholder_high": "股东"}
POSITIONS = np.array(
    ["操作工", "仓管员", "驾驶员", "会计", "销售员", "技术员", "车间主任", "质检员", "厨师"]
)
OTHER_TYPES = np.array(["普通债权", "有财产担保债权", "税款债权"])


@dataclass
class _Debtors:
    frame: pd.DataFrame  # enterprises rows
    acc: np.ndarray  # accepted dates
    acc_m: np.ndarray  # accepted month numbers
    case_no: np.ndarray
    base_wage: np.ndarray


def build(p: Province) -> None:
    """Add ``bankruptcy_claims`` (and workers' social security, officers, households) to ``p``."""
    target = p.count("bankruptcy_claims")
    if target <= 0:
        return
    rng = p.rng
    n_labour = round(target * LABOUR_SHARE)
    debtors = _debtors(p, max(4, round(target / CLAIMS_PER_DEBTOR)))
    kinds = _kinds(rng, n_labour)
    slot_debtor = _allocate(rng, n_labour, len(debtors.frame))
    lab = pd.DataFrame({"kind": kinds, "d": slot_debtor})
    lab = _partners(rng, lab, debtors)
    lab = _dates(rng, lab, debtors)
    lab = _people(p, lab, debtors)
    lab["wage"] = _wages(rng, lab, debtors)
    lab = _amounts(rng, lab)
    _social_security(p, lab, debtors)
    others = _other_claims(p, target - len(lab), debtors)
    frame = _claims_frame(rng, lab, others, debtors)
    p.add("bankruptcy_claims", frame)
    for kind, rules in TRUTH.items():
        refs = "bankruptcy_claims:" + frame.claim_id[frame.kind == kind]
        for code in rules:
            p.plant(MODEL, code, refs)
    log.debug("bankruptcy: %d claims, %d debtors", len(frame), len(debtors.frame))


def _debtors(p: Province, n: int) -> _Debtors:
    rng = p.rng
    orgs = p.new_enterprises(n, kind="company", status="破产")
    acc_m = rng.integers(
        np.datetime64("2019-03", "M").astype(int), np.datetime64("2024-07", "M").astype(int), n
    )
    acc = months(acc_m) + rng.integers(0, 28, n).astype("timedelta64[D]")
    years = acc.astype("datetime64[Y]").astype(int) + 1970
    courts = np.array([p.county(r).court_code for r in orgs.region])
    seq = pd.Series(np.zeros(n)).groupby([orgs.region.to_numpy(), years]).cumcount().to_numpy() + 1
    case_no = ids.case_nos(courts, years, np.full(n, "破"), seq)
    return _Debtors(
        orgs.reset_index(drop=True), acc, acc_m, case_no, rng.integers(35, 90, n) * 100.0
    )


def _kinds(rng: np.random.Generator, n: int) -> np.ndarray:
    kinds = np.full(n, "genuine", dtype=object)
    counts = {k: max(3, round(r * n)) for k, r in POSITIVE.items()}
    counts.update({k: max(2, round(r * n)) for k, r in NEGATIVE.items()})
    total = sum(counts.values())
    if total > 0.6 * n:  # very small lists: keep most claims genuine
        scale = 0.6 * n / total
        counts = {k: max(1, int(v * scale)) for k, v in counts.items()}
    order = rng.permutation(n)
    start = 0
    for kind, c in counts.items():
        kinds[order[start : start + c]] = kind
        start += c
    return kinds


def _allocate(rng: np.random.Generator, n: int, n_debtors: int) -> np.ndarray:
    """Each claim's debtor: every debtor gets at least 8 labour claims, the rest by size."""
    base = np.repeat(np.arange(n_debtors), min(8, n // n_debtors))
    rest = n - len(base)
    weights = rng.lognormal(0, 0.6, n_debtors)
    extra = rng.choice(n_debtors, size=rest, p=weights / weights.sum())
    return rng.permutation(np.concatenate([base, extra]))


def _partners(rng: np.random.Generator, lab: pd.DataFrame, debtors: _Debtors) -> pd.DataFrame:
    """Second claims of MULTI-DEBTOR people: overlapping (planted) or disjoint (hard negative)."""
    regs = debtors.frame.region.to_numpy()
    acc_m = debtors.acc_m
    lab["partner"] = -1
    rows: list[dict[str, object]] = []
    for i in np.flatnonzero(lab.kind.isin(["multi", "neg_multi_disjoint"]).to_numpy()):
        d1 = lab.d.iat[i]
        gap = np.abs(acc_m - acc_m[d1]).astype(float)
        penalty = np.where(regs == regs[d1], 0.0, 500.0)
        if lab.kind.iat[i] == "multi":
            score = np.where(gap <= 14, gap + penalty + rng.random(len(gap)), np.inf)
        else:
            score = np.where(gap >= 10, penalty + rng.random(len(gap)), np.inf)
        score[d1] = np.inf
        d2 = int(np.argmin(score))
        if not np.isfinite(score[d2]):
            lab.loc[i, "kind"] = "genuine"
            continue
        lab.loc[i, "partner"] = len(lab) + len(rows)
        rows.append(
            {
                "kind": lab.kind.iat[i] + "_b" if lab.kind.iat[i] == "multi" else "neg_multi_b",
                "d": d2,
                "partner": i,
            }
        )
    return pd.concat([lab, pd.DataFrame(rows, columns=lab.columns)], ignore_index=True)


def _dates(rng: np.random.Generator, lab: pd.DataFrame, debtors: _Debtors) -> pd.DataFrame:
    """Hire dates and months owed for each kind; month numbers in ``hire_m``, ``acc_m``."""
    n = len(lab)
    d = lab.d.to_numpy()
    acc = debtors.acc[d]
    acc_m = debtors.acc_m[d]
    kind = lab.kind.to_numpy()
    hire_m = acc_m - rng.integers(8, 120, n)
    owed = np.minimum(rng.integers(1, 10, n), acc_m - hire_m)
    owed = np.maximum(owed, 1)
    day = rng.integers(0, 28, n)
    hire = months(hire_m) + day.astype("timedelta64[D]")
    # hired exactly late_hire_months (6) before acceptance (same day; accepted days are <= 28)
    exact = months(acc_m - 6) + (acc - months(acc_m))
    late = kind == "late"
    near = rng.random(n) < 0.6
    plus = np.where(near, rng.integers(1, 21, n), rng.integers(21, 150, n))
    hire = np.where(late, exact + plus.astype("timedelta64[D]"), hire)
    hire = np.where(kind == "neg_late_exact", exact, hire)
    hire_m = hire.astype("datetime64[M]").astype(int)
    short = late | (kind == "neg_late_exact")
    owed = np.where(short, np.maximum(1, np.minimum(owed, acc_m - hire_m - 1)), owed)
    # jobs elsewhere need a gap between leaving the debtor and the months owed
    away = np.isin(kind, ["elsewhere", "neg_elsewhere_partial"])
    owed = np.where(away, rng.integers(2, 8, n), owed)
    hire_m = np.where(away, acc_m - owed - rng.integers(6, 60, n), hire_m)
    hire = np.where(away, months(hire_m) + day.astype("timedelta64[D]"), hire)
    # the two claims of one person: months owed overlap (multi) or are disjoint (negative)
    part = lab.partner.to_numpy()
    for i in np.flatnonzero(np.isin(kind, ["multi", "neg_multi_disjoint"])):
        j = part[i]
        a1, a2 = acc_m[i], acc_m[j]
        if kind[i] == "multi":
            lo, hi = (i, j) if a1 <= a2 else (j, i)
            owed[hi] = min(24, abs(a2 - a1) + rng.integers(1, 4))
            owed[lo] = rng.integers(1, 6)
        else:
            owed[i] = owed[j] = 1
        start = min(acc_m[i] - owed[i], acc_m[j] - owed[j])
        for k in (i, j):
            if kind[i] == "multi":
                hire_m[k] = min(start - rng.integers(4, 36), acc_m[k] - rng.integers(8, 20))
            else:
                hire_m[k] = acc_m[k] - 8
            hire[k] = months(np.array([hire_m[k]]))[0] + np.timedelta64(int(day[k]), "D")
    no_hire = (kind == "genuine") & (rng.random(n) < 0.1)
    lab["acc_m"] = acc_m
    lab["hire_m"] = hire.astype("datetime64[M]").astype(int)
    lab["hire_date"] = np.where(no_hire, np.datetime64("NaT"), hire).astype("datetime64[D]")
    lab["has_hire"] = ~no_hire
    lab["owed"] = owed.astype(int)
    return lab


def _people(p: Province, lab: pd.DataFrame, debtors: _Debtors) -> pd.DataFrame:
    """Claimants: fresh people in fresh households, officers' relatives, or partners' first claims."""
    regs = debtors.frame.region.to_numpy()[lab.d.to_numpy()]
    kind = lab.kind.to_numpy()
    pid = np.empty(len(lab), dtype=object)
    name = np.empty(len(lab), dtype=object)
    fresh = ~np.isin(kind, ["insider_family", "neg_family_other", "multi_b", "neg_multi_b"])
    people = p.new_people(int(fresh.sum()), region=regs[fresh], min_age=20, max_age=60)
    pid[fresh], name[fresh] = people.person_id.to_numpy(), people.name.to_numpy()
    ep = p.enterprise_people
    ppl = p.people.drop_duplicates("person_id").set_index("person_id")
    debtor_ids = set(debtors.frame.org_id)
    in_debtor = ep[ep.org_id.isin(debtor_ids)]
    debtor_households = set(ppl.household_id.reindex(in_debtor.person_id).dropna())
    others = ep[~ep.org_id.isin(debtor_ids)]
    others = others.assign(hh=ppl.household_id.reindex(others.person_id).to_numpy()).dropna(
        subset=["hh"]
    )
    others = others[~others.hh.isin(debtor_households)].drop_duplicates("hh")
    for k in ("insider_family", "neg_family_other"):
        sel = np.flatnonzero(kind == k)
        if not len(sel):
            continue
        if k == "insider_family":
            orgs = debtors.frame.org_id.to_numpy()[lab.d.to_numpy()[sel]]
            heads = in_debtor.drop_duplicates("org_id").set_index("org_id").person_id.reindex(orgs)
            hh = ppl.household_id.reindex(heads.to_numpy()).to_numpy()
        else:
            hh = (
                others.hh.to_numpy()[p.rng.integers(0, max(1, len(others)), len(sel))]
                if len(others)
                else np.array([None] * len(sel))
            )
        ok = pd.notna(hh)
        if (~ok).any():
            kind[sel[~ok]] = "genuine"
        rel = p.new_people(int(ok.sum()), household=hh[ok], relation="子女", min_age=20, max_age=45)
        fill = np.flatnonzero(~ok)
        extra = p.new_people(len(fill), region=regs[sel[fill]])
        pid[sel[ok]], name[sel[ok]] = rel.person_id.to_numpy(), rel.name.to_numpy()
        pid[sel[fill]], name[sel[fill]] = extra.person_id.to_numpy(), extra.name.to_numpy()
    part = np.flatnonzero(np.isin(kind, ["multi_b", "neg_multi_b"]))
    src = lab.partner.to_numpy()[part]
    pid[part], name[part] = pid[src], name[src]
    lab["kind"] = kind
    lab["person_id"], lab["name"] = pid, name
    # officers and shareholders among the claimants
    roles = np.array(["董事", "监事", "经理", "财务负责人"])
    for k, fixed in OFFICER_KINDS.items():
        sel = np.flatnonzero(kind == k)
        if len(sel):
            role = np.full(len(sel), fixed) if fixed else p.rng.choice(roles, len(sel))
            for r in np.unique(role):
                s = sel[role == r]
                p.add_officers(
                    debtors.frame.org_id.to_numpy()[lab.d.to_numpy()[s]], lab.iloc[s], str(r)
                )
    sel = np.flatnonzero(kind == "insider_share")
    p.add_officers(debtors.frame.org_id.to_numpy()[lab.d.to_numpy()[sel]], lab.iloc[sel], "股东")
    return lab


def _loo(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Leave-one-out median and mean of each element (sorted once; see the test for a brute check)."""
    n = len(w)
    order = np.argsort(w, kind="stable")
    s = w[order]
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    m = n - 1
    lo, hi = (m - 1) // 2, m // 2
    a = s[np.where(lo < rank, lo, lo + 1)]
    b = s[np.where(hi < rank, hi, hi + 1)]
    mean = (w.sum() - w) / m
    return (a + b) / 2, mean


def _wages(rng: np.random.Generator, lab: pd.DataFrame, debtors: _Debtors) -> np.ndarray:
    """Whole-yuan monthly wages, debtor by debtor, so medians and averages stay exact."""
    wage = np.round(debtors.base_wage[lab.d.to_numpy()] * rng.uniform(0.6, 1.8, len(lab)))
    kind = lab.kind.to_numpy()
    for d_idx in np.unique(lab.d.to_numpy()):
        sel = np.flatnonzero(lab.d.to_numpy() == d_idx)
        if len(sel) < 3:
            continue
        w = wage[sel].copy()
        k = kind[sel]
        f = np.where(
            rng.random(len(sel)) < 0.5,
            rng.uniform(1.01, 1.1, len(sel)),
            rng.uniform(1.1, 1.6, len(sel)),
        )
        g = rng.uniform(1.05, 1.8, len(sel))
        for _ in range(25):
            med, mean = _loo(w)
            new = w.copy()
            new = np.where(k == "outlier", np.ceil(3 * med * f), new)
            new = np.where(k == "neg_3x", 3 * med, new)
            high = np.isin(k, ["officer_cap", "neg_shareholder_high"])
            new = np.where(high, np.minimum(np.ceil(mean * g), np.floor(2.8 * med)), new)
            new = np.where(k == "neg_officer_eq", np.round(mean, 2), new)
            if np.array_equal(new, w):
                break
            w = new
        med, mean = _loo(w)
        outlier = w > np.round(3 * med, 2)
        above = w > np.round(mean, 2)
        bad = (
            (outlier != (k == "outlier"))
            | ((k == "officer_cap") & ~above)
            | ((k == "neg_officer_eq") & above)
        )
        if bad.any():  # pragma: no cover - wages that would not settle: make those claims genuine
            log.debug("bankruptcy: %d wage plants did not settle", int(bad.sum()))
            kind[sel[bad & (k != "genuine")]] = "genuine_w"
        wage[sel] = w
    lab["kind"] = kind
    return wage


def _amounts(rng: np.random.Generator, lab: pd.DataFrame) -> pd.DataFrame:
    kind = lab.kind.to_numpy()
    owed = lab.owed.to_numpy().copy()
    wage = lab.wage.to_numpy()
    cap = np.maximum(1, np.floor(280_000 / wage)).astype(int)
    owed = np.minimum(owed, cap)
    amount = np.round(wage * owed, 2)
    near = rng.random(len(lab)) < 0.6
    big = 300_000 + np.where(
        near, rng.uniform(0.01, 15_000, len(lab)), rng.uniform(15_000, 200_000, len(lab))
    )
    amount = np.where(kind == "large", np.round(big, 2), amount)
    amount = np.where(kind == "neg_large_exact", 300_000.0, amount)
    lab["owed"] = owed
    lab["amount"] = amount
    return lab


def _social_security(p: Province, lab: pd.DataFrame, debtors: _Debtors) -> None:
    """Jobs with the debtor (and elsewhere) that make each kind hit exactly its own rules."""
    rng = p.rng
    n = len(lab)
    kind = lab.kind.to_numpy()
    acc_m = lab.acc_m.to_numpy()
    owed = lab.owed.to_numpy()
    owed_start = acc_m - owed
    span_start = np.where(
        lab.has_hire.to_numpy(), lab.hire_m.to_numpy(), owed_start - rng.integers(0, 60, n)
    )
    nat = np.int64(np.iinfo(np.int64).min)
    start = span_start.copy()
    end = np.where(rng.random(n) < 0.5, acc_m, nat)
    end = np.where(
        np.isin(kind, ["elsewhere", "neg_elsewhere_partial"]),
        owed_start - 1 - rng.integers(0, 3, n),
        end,
    )
    disjoint = np.isin(kind, ["neg_multi_disjoint", "neg_multi_b"])
    end = np.where(disjoint, acc_m, end)
    multi = np.isin(kind, ["multi", "multi_b"])
    first_owed = (
        pd.Series(owed_start)
        .groupby(np.where(multi, lab.person_id, np.arange(n).astype(str)))
        .transform("min")
    )
    end = np.where(multi, first_owed.to_numpy() - 1, end)
    near = kind == "no_contrib_near"
    start = np.where(near, span_start - rng.integers(6, 36, n), start)
    end = np.where(near, span_start - 1, end)
    start = np.where(kind == "neg_contrib_last", acc_m, start)
    end = np.where(kind == "neg_contrib_last", nat, end)
    with_job = kind != "no_contrib"
    orgs = debtors.frame.iloc[lab.d.to_numpy()].reset_index(drop=True)
    end_d = np.where(end == nat, np.datetime64("NaT"), months(np.where(end == nat, 0, end)))
    p.employ(lab[with_job], orgs[with_job], months(start[with_job]), end_d[with_job])
    # earlier jobs of some genuine workers, ended before they were hired
    prior = (kind == "genuine") & lab.has_hire.to_numpy() & (rng.random(n) < 0.3)
    emp = _other_orgs(
        p, int(prior.sum() + np.isin(kind, ["elsewhere", "neg_elsewhere_partial"]).sum()), debtors
    )
    k = int(prior.sum())
    p_end = span_start[prior] - 1 - rng.integers(0, 6, k)
    p.employ(lab[prior], emp.iloc[:k], months(p_end - rng.integers(6, 60, k)), months(p_end))
    away = np.isin(kind, ["elsewhere", "neg_elsewhere_partial"])
    a_start = np.where(rng.random(n) < 0.4, owed_start, owed_start - rng.integers(1, 24, n))
    a_start = np.where(kind == "neg_elsewhere_partial", owed_start + 1, a_start)
    a_end = np.where(
        rng.random(n) < 0.6, np.datetime64("NaT"), months(acc_m + rng.integers(0, 12, n))
    )
    p.employ(lab[away], emp.iloc[k:], months(a_start[away]), a_end[away])


def _other_orgs(p: Province, n: int, debtors: _Debtors) -> pd.DataFrame:
    """``n`` existing enterprises that are not debtors (new ones when too few)."""
    pool = p.enterprises[~p.enterprises.org_id.isin(set(debtors.frame.org_id))]
    if len(pool) < max(n, 20):
        pool = pd.concat(
            [pool, p.new_enterprises(max(n, 20) - len(pool), kind="company")], ignore_index=True
        )
    return pool.iloc[p.rng.integers(0, len(pool), n)].reset_index(drop=True)


def _other_claims(p: Province, n: int, debtors: _Debtors) -> pd.DataFrame:
    """Tax, secured and ordinary claims by organisations (often above 300,000 yuan: no clue)."""
    n = max(n, 0)
    rng = p.rng
    orgs = _other_orgs(p, n, debtors)
    ctype = rng.choice(OTHER_TYPES, n, p=[0.7, 0.15, 0.15])
    d = rng.integers(0, len(debtors.frame), n)
    regs = debtors.frame.region.to_numpy()[d]
    tax_name = np.array(
        [f"国家税务总局{p.county(r).city}{p.county(r).name}税务局" for r in regs], dtype=object
    )
    tax = ctype == "税款债权"
    return pd.DataFrame(
        {
            "kind": "other",
            "d": d,
            "name": np.where(tax, tax_name, orgs.name.to_numpy()),
            "person_id": np.where(
                tax, ids.credit_codes(np.asarray(regs, "<U6"), rng), orgs.org_id.to_numpy()
            ),
            "claim_type": ctype,
            "amount": np.round(rng.lognormal(np.log(200_000), 1.0, n), 2),
        }
    )


def _claims_frame(
    rng: np.random.Generator, lab: pd.DataFrame, others: pd.DataFrame, debtors: _Debtors
) -> pd.DataFrame:
    lab = lab.assign(claim_type="职工债权")
    both = pd.concat([lab, others], ignore_index=True)
    both = both.iloc[rng.permutation(len(both))].reset_index(drop=True)
    d = both.d.to_numpy().astype(int)
    acc = debtors.acc[d]
    labour = (both.claim_type == "职工债权").to_numpy()
    officer = both.kind.isin(list(OFFICER_KINDS)).to_numpy()
    position = np.where(officer, "经理", rng.choice(POSITIONS, len(both)))
    return pd.DataFrame(
        {
            "claim_id": ids.serials("BC", len(both)),
            "case_no": debtors.case_no[d],
            "region": debtors.frame.region.to_numpy()[d],
            "debtor_org_id": debtors.frame.org_id.to_numpy()[d],
            "debtor_name": debtors.frame.name.to_numpy()[d],
            "claimant_name": both.name.to_numpy(),
            "claimant_id": both.person_id.to_numpy(),
            "claim_type": both.claim_type.to_numpy(),
            "amount": both.amount.to_numpy().astype(float),
            "monthly_wage": np.where(labour, both.wage.to_numpy(), np.nan).astype(float),
            "months_owed": both.owed.astype("Float64").round().astype("Int64").to_numpy(),
            "position": pd.Series(position, dtype=object).where(labour, None).to_numpy(),
            "hire_date": pd.to_datetime(both.hire_date).to_numpy().astype("datetime64[D]"),
            "filed_date": (acc + rng.integers(10, 90, len(both)).astype("timedelta64[D]")).astype(
                "datetime64[D]"
            ),
            "accepted_date": acc.astype("datetime64[D]"),
            "confirmed": rng.random(len(both)) < 0.85,
            "kind": both.kind.to_numpy(),
        }
    )
