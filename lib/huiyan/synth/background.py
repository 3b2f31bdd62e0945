"""The clean background of the synthetic province: households, enterprises, jobs and deaths.

None of these rows breaks a rule on its own; the family modules draw their
people and companies from them and add violations on top.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from huiyan.synth.base import REF_DATE, month_index, months, positions, random_dates

if TYPE_CHECKING:
    from huiyan.synth.base import Province

KIND_SHARES = {
    "company": 0.905,
    "repair_shop": 0.04,
    "assessor": 0.005,
    "rental": 0.02,
    "mining": 0.01,
    "logistics": 0.02,
}
"""Share of background enterprises by kind."""


def build(p: Province) -> None:
    """Fill ``p`` with households, enterprises (+ officers), employment histories and deaths."""
    households(p, p.count("households"))
    deaths(p, p.count("deaths"))
    enterprises(p, p.count("enterprises"))
    employment(p, p.count("social_security"))


def households(p: Province, target: int) -> None:
    """About ``target`` people in households of 1-5: head, spouse, children, a parent."""
    rng = p.rng
    n_h = max(1, int(target / 3.05))
    regs = p.pick_regions(n_h)
    hh = p._new_household_ids(regs)
    head_age = rng.integers(24, 86, n_h)
    head_g = np.where(rng.random(n_h) < 0.78, "男", "女")
    heads = p._append_people(
        regs, head_g, _birth(p, head_age), hh, np.full(n_h, "户主", dtype=object)
    )
    head_sur = heads.name.to_numpy().astype("<U1")

    spouse = rng.random(n_h) < 0.8
    sp_age = np.clip(head_age[spouse] + rng.integers(-5, 4, spouse.sum()), 20, 95)
    sp_g = np.where(head_g[spouse] == "男", "女", "男")
    p._append_people(
        regs[spouse],
        sp_g,
        _birth(p, sp_age),
        hh[spouse],
        np.full(spouse.sum(), "配偶", dtype=object),
    )

    kids = rng.choice([0, 1, 1, 2, 2, 3], n_h)
    kids[head_age < 28] = np.minimum(kids[head_age < 28], 1)
    idx = np.repeat(np.arange(n_h), kids)
    kid_age = head_age[idx] - rng.integers(22, 38, len(idx))
    ok = kid_age >= 0
    idx, kid_age = idx[ok], kid_age[ok]
    kid_g = np.where(rng.random(len(idx)) < 0.52, "男", "女")
    # children take the head's surname
    p._append_people(
        regs[idx],
        kid_g,
        _birth(p, kid_age),
        hh[idx],
        np.full(len(idx), "子女", dtype=object),
        family=np.where(head_g[idx] == "男", head_sur[idx], p.rng.choice(head_sur, len(idx))),
    )

    par = (rng.random(n_h) < 0.15) & (head_age < 60)
    par_age = head_age[par] + rng.integers(22, 34, par.sum())
    p._append_people(
        regs[par],
        np.where(rng.random(par.sum()) < 0.4, "男", "女"),
        _birth(p, par_age),
        hh[par],
        np.full(par.sum(), "父母", dtype=object),
    )


def _birth(p: Province, age: np.ndarray) -> np.ndarray:
    days = (np.asarray(age) * 365.25 + p.rng.integers(0, 365, len(age))).astype("int64")
    return REF_DATE - days.astype("timedelta64[D]")


def deaths(p: Province, target: int) -> None:
    """``target`` people die between 2008 and 2024, mostly the old."""
    ppl = p.people
    age = p.ages(ppl).astype(float)
    weight = np.where(age >= 50, (age - 40) ** 3, 0.5)
    weight[age < 18] = (
        0.0  # a death is drawn after the 18th birthday: a child would die in the future
    )
    weight = weight / weight.sum()
    k = min(target, int((weight > 0).sum()))
    chosen = p.rng.choice(len(ppl), size=k, replace=False, p=weight)
    births = ppl.birth_date.to_numpy()[chosen].astype("datetime64[D]")
    earliest = np.maximum(births + np.timedelta64(18 * 365, "D"), np.datetime64("2008-01-01"))
    span = (REF_DATE - earliest).astype("int64")
    when = earliest + (p.rng.random(k) * np.maximum(span, 1)).astype("int64").astype(
        "timedelta64[D]"
    )
    p.kill(ppl.person_id.to_numpy()[chosen], when)


def enterprises(p: Province, target: int) -> None:
    """``target`` enterprises of every kind, with their officers."""
    kinds = np.array(list(KIND_SHARES))
    shares = np.array(list(KIND_SHARES.values()))
    per_kind = np.floor(shares / shares.sum() * target).astype(int)
    per_kind[0] += target - per_kind.sum()
    for kind, n in zip(kinds, per_kind, strict=True):
        if n:
            p.new_enterprises(int(n), kind=str(kind))


def employment(p: Province, target: int) -> None:
    """About ``target`` social-security rows: 1-3 consecutive jobs per working-age person."""
    rng = p.rng
    ppl = p.people
    age = p.ages(ppl)
    alive = p.is_alive(ppl.person_id)
    working = np.flatnonzero((age >= 20) & (age <= 62) & alive)
    n_jobs = rng.choice([1, 1, 2, 2, 3], size=len(working))
    take = min(len(working), int(target / n_jobs.mean()) + 1)
    chosen = np.sort(rng.choice(len(working), size=take, replace=False))
    who = ppl.iloc[working[chosen]].reset_index(drop=True)
    k = n_jobs[chosen]

    ent = p.enterprises
    live = ent[ent.status.isin(["存续", "在业"])].reset_index(drop=True)
    size = rng.pareto(1.2, len(live)) + 1  # a few big employers, many small ones
    by_region = (
        pd.Series(np.arange(len(live))).groupby(live.region.to_numpy().astype("<U6")).indices
    )

    idx = np.repeat(np.arange(len(who)), k)
    order = positions(k)
    birth_m = month_index(who.birth_date.to_numpy()[idx])
    first = np.maximum(birth_m + 20 * 12, month_index(np.datetime64("2006-01")))
    last = month_index(REF_DATE)
    span = np.maximum(last - first, 1)
    # cut the working life into k consecutive spells
    u = np.sort(rng.random((len(who), 3)), axis=1)
    starts = first + (u[idx, order] * span * 0.9).astype(int)
    starts[order == 0] = first[order == 0] + rng.integers(0, 12, (order == 0).sum())
    nxt = np.r_[starts[1:], 0]
    is_last = np.r_[idx[1:] != idx[:-1], True]
    end = np.where(is_last, -1, nxt - 1 - rng.integers(0, 3, len(idx)))
    open_end = is_last & (rng.random(len(idx)) < 0.75)
    closed_last = is_last & ~open_end
    end[closed_last] = np.minimum(
        starts[closed_last] + rng.integers(6, 60, closed_last.sum()), last
    )
    valid = (end == -1) | (end >= starts)
    regions_ = who.region.to_numpy().astype("<U6")[idx]
    employer = np.empty(len(idx), dtype=np.int64)
    codes, uniq = pd.factorize(regions_)
    order_r = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order_r], np.arange(len(uniq) + 1))
    for j, reg in enumerate(uniq):
        sel = order_r[bounds[j] : bounds[j + 1]]
        pool = by_region.get(reg)
        if pool is None:
            pool = np.arange(len(live))
        w = size[pool] / size[pool].sum()
        employer[sel] = rng.choice(pool, size=len(sel), p=w)
    rows = pd.DataFrame(
        {
            "person_id": who.person_id.to_numpy()[idx],
            "name": who.name.to_numpy()[idx],
            "employer_name": live.name.to_numpy()[employer],
            "employer_org_id": live.org_id.to_numpy()[employer],
            "region": live.region.to_numpy()[employer],
            "start_month": months(starts),
            "end_month": np.where(
                end == -1, np.datetime64("NaT"), months(np.maximum(end, 0))
            ).astype("datetime64[D]"),
        }
    )[valid]
    rows = rows.drop_duplicates(["person_id", "employer_org_id", "start_month"])
    p.add("social_security", rows)


__all__ = ["build", "random_dates"]
