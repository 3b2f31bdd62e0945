"""Synthetic forest rights, public-welfare forest compensation payments and village officials.

Certificates (``forest_rights``) belong to existing villagers; each 公益林
certificate is paid once a year (``forest_subsidies``) to its holder or a
household member, for its registered area at the county's rate. Officials
(``village_officials``) hold certificates too, so their bank accounts appear on
the roll. Planted violations cover every rule of
:mod:`huiyan.models.forest_subsidy`, most near their thresholds; hard
negatives: payments to an heir in a dead holder's household, a recipient who
died *during* the subsidy year, exactly 1% more area, an amount exactly 1 yuan
off, a payment split in two halves, and an official paid for their own forest.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from huiyan.synth import ids
from huiyan.synth.base import Province, positions, random_dates

log = logging.getLogger(__name__)

MODEL = "forest_subsidy"
YEARS = np.arange(2019, 2025)
RATES = {2019: 31.0, 2020: 33.0, 2021: 35.0, 2022: 37.0, 2023: 40.0, 2024: 40.0}
POSITIONS = np.array(["村党组织书记", "村委会主任", "村委会委员", "村务监督委员会主任", "村报账员"])

RATE = {  # planted share of payments
    "deceased": 0.010,
    "no_right_missing": 0.006,
    "no_right_commercial": 0.006,
    "area": 0.012,
    "dup_full": 0.005,
    "dup_split": 0.005,
    "mismatch": 0.012,
    "amount": 0.012,
    "official_self": 0.003,
    "official_family": 0.003,
    "official_account": 0.003,
    "neg_area_exact": 0.004,
    "neg_amount_exact": 0.004,
    "neg_heir": 0.004,
    "neg_died_in_year": 0.003,
    "neg_other_village": 0.002,
}


def build(p: Province) -> None:
    """Add ``forest_rights``, ``forest_subsidies`` and ``village_officials`` (+ deaths, heirs) to ``p``."""
    n_rights = p.count("forest_rights")
    if n_rights <= 0:
        return
    rng = p.rng
    officials = _officials(p)
    linked = _official_circle(p, officials)
    rights = _rights(p, n_rights, officials, linked)
    pay = _payments(p, rights, p.count("forest_subsidies"))
    accounts: dict[str, str] = {}
    pay = _plant(p, pay, rights, officials, linked)
    pay["account_no"] = _accounts(rng, pay, accounts)
    frame = _finish(rng, pay)
    p.add("forest_rights", rights.drop(columns=["kind"], errors="ignore"))
    p.add("forest_subsidies", frame)
    p.add("village_officials", officials)
    _truth(p, frame)


def _officials(p: Province) -> pd.DataFrame:
    """A few officials per village, current terms from 2014-2018 (some with an earlier ended term)."""
    rng = p.rng
    target = p.count("village_officials")
    per_county = max(2, target // max(1, len(p.counties)))
    codes = np.repeat(p.county_codes, per_county).astype(object)
    people = p.sample_people(len(codes), region=codes, min_age=28, max_age=65)
    village = np.concatenate(
        [np.resize(rng.permutation(p.villages(str(c))), per_county) for c in p.county_codes]
    )
    off = pd.DataFrame(
        {
            "person_id": people.person_id.to_numpy(),
            "name": people.name.to_numpy(),
            "region": codes,
            "village": village,
            "position": rng.choice(POSITIONS, len(codes)),
            "term_start": random_dates(rng, "2014-01-01", "2018-12-31", len(codes)),
            "term_end": np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[D]"),
        }
    )
    old = off.sample(frac=0.2, random_state=int(rng.integers(1 << 30)))
    old = old.assign(
        term_start=old.term_start - np.timedelta64(5 * 365, "D"),
        term_end=old.term_start - np.timedelta64(1, "D"),
    )
    return pd.concat([off, old], ignore_index=True)


def _official_circle(p: Province, officials: pd.DataFrame) -> set[str]:
    """Officials and everyone in their households: kept out of ordinary plants."""
    ppl = p.people
    hh = set(ppl.household_id[ppl.person_id.isin(set(officials.person_id))])
    return set(ppl.person_id[ppl.household_id.isin(hh)])


def _rights(p: Province, n: int, officials: pd.DataFrame, linked: set[str]) -> pd.DataFrame:
    rng = p.rng
    cur = officials[officials.term_end.isna()].drop_duplicates("person_id")
    n_off = min(len(cur), n // 4)
    regs = p.pick_regions(n - n_off)
    # per county, holders are drawn (with repeats) from a pool of about 0.8 per certificate
    uniq, per = np.unique(regs.astype("<U6"), return_counts=True)
    size = np.maximum(1, (per * 0.8).astype(int))
    pool = p.sample_people(
        int(size.sum()),
        region=np.repeat(uniq, size).astype(object),
        min_age=30,
        max_age=70,
        exclude=linked,
    )
    start = np.r_[0, np.cumsum(size)[:-1]]
    which = np.repeat(np.arange(len(uniq)), per)
    h = pool.iloc[start[which] + (rng.random(len(which)) * size[which]).astype(int)]
    h = h.assign(region=uniq[which].astype(object)).reset_index(drop=True)
    table = np.stack([p.villages(str(c)) for c in uniq])
    village = table[which, rng.integers(0, table.shape[1], len(which))]
    frame = pd.DataFrame(
        {
            "holder_name": np.concatenate([h.name.to_numpy(), cur.name.to_numpy()[:n_off]]),
            "holder_id": np.concatenate([h.person_id.to_numpy(), cur.person_id.to_numpy()[:n_off]]),
            "village": np.concatenate([village, cur.village.to_numpy()[:n_off]]),
            "region": np.concatenate([h.region.to_numpy(), cur.region.to_numpy()[:n_off]]),
            "kind": np.concatenate([np.full(len(h), "plain"), np.full(n_off, "official")]),
        }
    )
    frame["area_mu"] = np.round(rng.lognormal(np.log(18), 0.8, n) + 1, 2)
    frame["forest_type"] = np.where(rng.random(n) < 0.85, "公益林", "商品林")
    frame.loc[frame.kind == "official", "forest_type"] = "公益林"
    seq = frame.groupby("region").cumcount().to_numpy() + 1
    frame.insert(
        0, "cert_no", [f"浙林证{r[2:]}字{s:06d}号" for r, s in zip(frame.region, seq, strict=True)]
    )
    return frame.iloc[rng.permutation(n)].reset_index(drop=True)


def _payments(p: Province, rights: pd.DataFrame, target: int) -> pd.DataFrame:
    """One payment per 公益林 certificate per year, for the last k years (k set to reach target)."""
    rng = p.rng
    paid = rights[rights.forest_type == "公益林"].reset_index(drop=True)
    mean_k = min(len(YEARS), max(1.0, target / max(1, len(paid))))
    k = np.clip(rng.poisson(mean_k, len(paid)), 1, len(YEARS))
    idx = np.repeat(np.arange(len(paid)), k)
    offset = positions(k)
    year = YEARS[-1] - offset
    pay = paid.iloc[idx].reset_index(drop=True)
    pay["year"] = year
    pay["recipient_id"] = pay.holder_id
    pay["recipient_name"] = pay.holder_name
    pay["kind"] = "plain"
    # a household member sometimes collects (lawful)
    ppl = p.people
    alive = p.is_alive(ppl.person_id)
    adults = ppl[alive & (p.ages(ppl) >= 18)]
    hh_of = ppl.drop_duplicates("person_id").set_index("person_id").household_id
    member = adults.set_index("household_id")
    hh = hh_of.reindex(pay.holder_id).to_numpy()
    other = member[~member.person_id.isin(set(pay.holder_id))]
    other = other[~other.index.duplicated()]
    spouse_id = other.person_id.reindex(hh).to_numpy()
    spouse_name = other.name.reindex(hh).to_numpy()
    use = pd.notna(spouse_id) & (rng.random(len(pay)) < 0.1) & (pay.kind == "plain").to_numpy()
    pay.loc[use, "recipient_id"] = spouse_id[use]
    pay.loc[use, "recipient_name"] = spouse_name[use]
    return pay


def _pick(rng: np.random.Generator, pool: np.ndarray, n: int, taken: np.ndarray) -> np.ndarray:
    cand = pool[~taken[pool]]
    chosen = rng.choice(cand, size=min(n, len(cand)), replace=False) if n else np.array([], int)
    taken[chosen] = True
    return chosen


def _plant(
    p: Province, pay: pd.DataFrame, rights: pd.DataFrame, officials: pd.DataFrame, linked: set[str]
) -> pd.DataFrame:
    """Change some payments (and add some) so each rule and hard negative is present."""
    rng = p.rng
    n = len(pay)
    counts = {k: max(2, round(r * n)) for k, r in RATE.items()}
    taken = np.zeros(n, bool)
    plain = (pay.kind == "plain").to_numpy() & ~pay.recipient_id.isin(linked).to_numpy()
    holder_paid = plain & (pay.recipient_id == pay.holder_id).to_numpy()
    ppl = p.people.drop_duplicates("person_id").set_index("person_id")
    cur = officials[officials.term_end.isna()]
    extra: list[pd.DataFrame] = []

    def take(kind: str, pool_mask: np.ndarray) -> np.ndarray:
        chosen = _pick(rng, np.flatnonzero(pool_mask), counts[kind], taken)
        pay.loc[chosen, "kind"] = kind
        return chosen

    # a holder's whole history: dead before some paid years (deceased) or heirs collect (negative)
    last_year = pay.groupby("cert_no").year.transform("max").to_numpy()
    first_year = pay.groupby("cert_no").year.transform("min").to_numpy()
    multi = holder_paid & (last_year > first_year) & (pay.year == last_year).to_numpy()
    single_holder = (pay.groupby("holder_id").cert_no.transform("nunique") == 1).to_numpy()
    single_holder = (
        single_holder
        & ~pay.holder_id.isin(set(pay.recipient_id[pay.recipient_id != pay.holder_id])).to_numpy()
    )
    for kind in ("deceased", "neg_heir", "neg_died_in_year"):
        chosen = take(kind, multi & single_holder)
        certs = pay.cert_no.to_numpy()[chosen]
        rows = pay.cert_no.isin(set(certs)).to_numpy()
        taken |= rows
        pay.loc[rows, "kind"] = kind
        hid = pay.holder_id.to_numpy()[chosen]
        if kind == "neg_died_in_year":  # died during the last paid year: that payment is lawful
            death_year = last_year[chosen]
        else:
            death_year = first_year[chosen] + rng.integers(
                0, last_year[chosen] - first_year[chosen]
            )
        jan1 = (death_year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
        near = rng.random(len(chosen)) < 0.5
        day = np.where(near, rng.integers(334, 365, len(chosen)), rng.integers(0, 365, len(chosen)))
        if kind == "neg_died_in_year":
            day = np.where(near, 0, rng.integers(0, 120, len(chosen)))
        p.kill(hid, jan1 + day.astype("timedelta64[D]"))
        if kind == "neg_heir":
            heirs = p.new_people(
                len(chosen),
                household=ppl.household_id.reindex(hid).to_numpy(),
                relation="子女",
                min_age=25,
                max_age=50,
            )
            dy = pd.Series(death_year, index=certs)
            after = rows & (pay.year.to_numpy() > dy.reindex(pay.cert_no).fillna(9999).to_numpy())
            pos = (
                pd.Series(np.arange(len(certs)), index=certs).reindex(pay.cert_no[after]).to_numpy()
            )
            pay.loc[after, "recipient_id"] = heirs.person_id.to_numpy()[pos]
            pay.loc[after, "recipient_name"] = heirs.name.to_numpy()[pos]
            ppl = p.people.drop_duplicates("person_id").set_index("person_id")

    commercial = rights[(rights.forest_type == "商品林") & (rights.kind == "plain")]
    commercial = commercial[~commercial.holder_id.isin(linked)]
    k = min(counts["no_right_commercial"], len(commercial))
    c = commercial.sample(k, random_state=int(rng.integers(1 << 30)))
    extra.append(
        c.assign(
            year=rng.choice(YEARS, k),
            recipient_id=c.holder_id,
            recipient_name=c.holder_name,
            kind="no_right_commercial",
        )
    )
    chosen = take("no_right_missing", plain)
    pay.loc[chosen, "cert_no"] = [
        f"浙林证{r[2:]}字9{s:05d}号"
        for r, s in zip(pay.region.to_numpy()[chosen], np.arange(len(chosen)), strict=True)
    ]

    chosen = take("area", plain)
    factor = np.where(
        rng.random(len(chosen)) < 0.6,
        rng.uniform(1.0105, 1.03, len(chosen)),
        rng.uniform(1.03, 1.4, len(chosen)),
    )
    pay.loc[chosen, "paid_area"] = np.ceil(pay.area_mu.to_numpy()[chosen] * factor * 100) / 100
    whole = plain & (pay.area_mu.to_numpy() >= 2)
    chosen = take("neg_area_exact", whole)
    cert_area = np.floor(pay.area_mu.to_numpy()[chosen])
    certs = pay.cert_no.to_numpy()[chosen]
    new_area = pd.Series(cert_area, index=certs).groupby(level=0).first()
    in_r = rights.cert_no.isin(new_area.index)
    rights.loc[in_r, "area_mu"] = new_area.reindex(rights.cert_no[in_r]).to_numpy()
    in_p = pay.cert_no.isin(new_area.index)
    pay.loc[in_p, "area_mu"] = new_area.reindex(pay.cert_no[in_p]).to_numpy()
    pay.loc[chosen, "paid_area"] = np.round(cert_area * 1.01, 2)

    for kind in ("dup_full", "dup_split"):
        chosen = take(kind, holder_paid)
        copy = pay.iloc[chosen].copy()
        if kind == "dup_split":
            half = np.round(copy.area_mu.to_numpy() / 2, 2)
            pay.loc[chosen, "paid_area"] = half
            copy["paid_area"] = np.round(copy.area_mu.to_numpy() - half, 2)
        extra.append(copy.assign(kind=kind + "_b"))

    strangers = p.sample_people(counts["mismatch"] * 3 + 10, min_age=25, max_age=70, exclude=linked)
    hh_of = ppl.household_id
    chosen = take("mismatch", plain)
    s_hh = hh_of.reindex(strangers.person_id).to_numpy()
    h_hh = hh_of.reindex(pay.holder_id.to_numpy()[chosen]).to_numpy()
    pick = rng.integers(0, len(strangers), len(chosen))
    clash = s_hh[pick] == h_hh
    pick[clash] = (pick[clash] + 1) % len(strangers)
    pay.loc[chosen, "recipient_id"] = strangers.person_id.to_numpy()[pick]
    pay.loc[chosen, "recipient_name"] = strangers.name.to_numpy()[pick]

    for kind, sign in (("amount", None), ("neg_amount_exact", 1.0)):
        chosen = take(kind, plain)
        if sign is None:
            delta = np.where(
                rng.random(len(chosen)) < 0.6,
                rng.uniform(1.01, 5, len(chosen)),
                rng.uniform(5, 800, len(chosen)),
            )
            delta *= np.where(rng.random(len(chosen)) < 0.7, 1, -1)
        else:
            delta = np.where(rng.random(len(chosen)) < 0.5, 1.0, -1.0)
        pay.loc[chosen, "delta"] = np.round(delta, 2)

    # officials: paid someone else's subsidy (self), via a relative (family), or into their account
    paid_officials = cur[cur.person_id.isin(set(pay.recipient_id))]
    by_village = paid_officials.drop_duplicates(["region", "village"]).set_index(
        ["region", "village"]
    )
    for kind in ("official_self", "official_family", "official_account", "neg_other_village"):
        chosen = take(kind, plain if kind != "official_account" else holder_paid)
        keys = list(zip(pay.region.to_numpy()[chosen], pay.village.to_numpy()[chosen], strict=True))
        found = by_village.reindex(keys)
        ok = found.person_id.notna().to_numpy()
        if kind == "neg_other_village":
            other = paid_officials.sample(
                len(chosen), replace=True, random_state=int(rng.integers(1 << 30))
            )
            ok = other.village.to_numpy() != pay.village.to_numpy()[chosen]
            found = other
        pay.loc[chosen[~ok], "kind"] = "plain"
        sel, who = chosen[ok], found[ok]
        if kind == "official_family":
            rel = p.new_people(
                len(sel),
                household=hh_of.reindex(who.person_id).to_numpy(),
                relation="子女",
                min_age=22,
                max_age=45,
            )
            who = rel
            ppl = p.people.drop_duplicates("person_id").set_index("person_id")
            hh_of = ppl.household_id
        if kind == "official_account":
            pay.loc[sel, "account_of"] = who.person_id.to_numpy()
            pay.loc[sel, "kind"] = "official_account"
            # the holder died two years before: a dead man's subsidy into an official's account
            dd = pd.to_datetime((pay.year.to_numpy()[sel] - 1).astype(str) + "-03-01").to_numpy()
            p.kill(pay.holder_id.to_numpy()[sel], dd.astype("datetime64[D]"))
            later = pay.holder_id.isin(set(pay.holder_id.to_numpy()[sel])).to_numpy()
            taken |= later
            continue
        pay.loc[sel, "recipient_id"] = who.person_id.to_numpy()
        pay.loc[sel, "recipient_name"] = who.name.to_numpy()
    pay = pd.concat([pay, *extra], ignore_index=True)
    return pay


def _accounts(rng: np.random.Generator, pay: pd.DataFrame, accounts: dict[str, str]) -> np.ndarray:
    """One bank account per person (6228 + 15 digits); planted rows may use an official's."""
    people = pd.unique(pay.recipient_id)
    nums = rng.integers(10**14, 10**15, len(people))
    accounts.update({pid: f"6228{x:015d}" for pid, x in zip(people, nums, strict=True)})
    acct = pay.recipient_id.map(accounts)
    if "account_of" in pay:
        own = pay.account_of.notna()
        acct[own] = pay.account_of[own].map(accounts)
    return acct.to_numpy()


def _finish(rng: np.random.Generator, pay: pd.DataFrame) -> pd.DataFrame:
    n = len(pay)
    area = pay.get("paid_area", pd.Series(np.nan, index=pay.index)).fillna(pay.area_mu).to_numpy()
    rate = pd.Series(pay.year).map(RATES).to_numpy()
    delta = pay.get("delta", pd.Series(np.nan, index=pay.index)).fillna(0).to_numpy()
    base = np.round(area * rate, 2)
    amount = np.round(base + np.maximum(delta, -0.5 * base), 2)  # never a negative payment
    dates = pd.to_datetime(pay.year.astype(str) + "-06-01").to_numpy().astype("datetime64[D]")
    frame = pd.DataFrame(
        {
            "payment_id": ids.serials("LB", n, width=9),
            "year": pay.year.to_numpy().astype(int),
            "region": pay.region.to_numpy(),
            "village": pay.village.to_numpy(),
            "recipient_name": pay.recipient_name.to_numpy(),
            "recipient_id": pay.recipient_id.to_numpy(),
            "cert_no": pay.cert_no.to_numpy(),
            "area_mu": area,
            "rate": rate,
            "amount": amount,
            "account_no": pay.account_no.to_numpy(),
            "paid_date": dates + rng.integers(0, 200, n).astype("timedelta64[D]"),
            "kind": pay.kind.to_numpy(),
        }
    )
    return frame.iloc[rng.permutation(n)].reset_index(drop=True)


def _truth(p: Province, frame: pd.DataFrame) -> None:
    ref = "forest_subsidies:" + frame.payment_id
    kind = frame.kind
    deaths = p.deaths.drop_duplicates("person_id").set_index("person_id").death_date
    died = pd.to_datetime(deaths.reindex(frame.recipient_id)).dt.year.to_numpy()
    dead = died < frame.year.to_numpy()  # every recipient who died is one this family killed
    p.plant(MODEL, "FOR-DECEASED", ref[dead])
    p.plant(MODEL, "FOR-NO-RIGHT", ref[kind.isin(["no_right_missing", "no_right_commercial"])])
    group = frame.cert_no + "|" + frame.year.astype(str)
    full = set(group[kind == "dup_full_b"]) | set(group[kind == "area"])
    p.plant(MODEL, "FOR-AREA-EXCESS", ref[group.isin(full)])
    dup = set(group[kind.isin(["dup_full_b", "dup_split_b"])])
    p.plant(MODEL, "FOR-DUPLICATE", ref[group.isin(dup)])
    mism = kind.isin(["mismatch", "official_self", "official_family", "neg_other_village"])
    p.plant(MODEL, "FOR-HOLDER-MISMATCH", ref[mism])
    p.plant(MODEL, "FOR-AMOUNT-MISMATCH", ref[kind == "amount"])
    link = kind.isin(["official_self", "official_family"]).to_numpy() | (
        kind.eq("official_account").to_numpy() & dead
    )
    p.plant(MODEL, "FOR-OFFICIAL-LINK", ref[link])
