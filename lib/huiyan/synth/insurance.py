"""Insurance family: vehicles, motor insurance claims and insurance judgments, with planted fraud.

TRUTH (model ``insurance_fraud``) - exactly which records are planted, per rule.
Record references: ``judgments:<doc_id>`` and ``insurance_claims:<claim_id>``.
"Insurance judgments" = cause 机动车交通事故责任纠纷 or 财产保险合同纠纷. People in
judgments are matched BY NAME as printed (texts carry no ID numbers); masked names
(张某, 李某某, contain 某/×/*) appear only in background documents and must never count.
Truth is computed from the generated data with the rule definitions below, so
every qualifying record is in truth (planted scenarios guarantee positives and
near-threshold negatives; margins keep window definitions unambiguous).

- INS-ASSIGNED: every insurance judgment whose text states an assignment
  (债权转让/理赔权转让/…转让给原告) and whose plaintiff is neither the registered owner
  (vehicles.owner_name) of any plate in the text nor the insured of a claim on it.
  Planted: ring judgments + one-off lawful assignments (hard negatives for every other rule).
  Hard negatives: a plaintiff who bought the car (the register still names the seller) and
  whose insurer argues the car changed hands (car_sold): a sale of the car, not of a claim.
- INS-NO-ASSESSMENT: every insurance judgment whose text says the insurer did not
  assess (未经保险公司定损 / 拒绝定损 / 未通知保险公司定损) and that the plaintiff commissioned
  the assessment (原告自行委托X评估). Background texts say 经被告保险公司定损 or name a
  court-appointed appraiser (本院委托…鉴定), or say nothing about assessment; hard
  negatives: the insurer assessed, the plaintiff disputed it and commissioned another
  assessment (disputed). A motor-trade company owning the at-fault car (vehicle_company)
  is a co-defendant, never a repair shop.
- INS-FREQUENT-PLAINTIFF: every insurance judgment of a plaintiff name that has >= 3
  insurance judgments (judgment_date) within 24 months, where the judgment lies in such a
  window. Positives span <= 20 months; negatives: exactly 2 judgments, or 3 spread with
  gaps of 14 months (no 3 within 24 months). Car-rental companies that sue as the owner of
  their own cars are positives of this rule ONLY (never assigned, no shop link, no ring).
- INS-SHOP-CONCENTRATION: every insurance judgment naming a repair shop that is named in
  >= 5 insurance judgments with one assessor named in more than half of them (all that
  shop's insurance judgments). Negatives: 4 judgments all with one assessor; 6 with one
  assessor in exactly 3; busy background shops with assessors rotated.
- INS-PLAINTIFF-EMPLOYEE: every insurance judgment naming a repair shop where the
  plaintiff's name equals the name of a person with a social_security row at that shop
  (employer_org_id = the shop's credit code; planted spells are open and cover the
  judgment) or an enterprise_people officer of it.
- INS-FREQUENT-REPORTER: every claim in a 12-month window holding >= 4 claims
  (report_date) reported by one person (reporter_id) for vehicles they do not own
  (vehicles.owner_id != reporter_id), where the reporter has a social_security row at or
  is an officer of the claim's repair shop (repair_shop_org_id). Positives span <= 9
  months; negatives: 3 claims; 4 spread 5 months apart; 5 in 8 months by a reporter
  employed elsewhere.
- INS-RING: every judgment and claim of a ring: a repair shop whose employees sue as
  assignees (债权转让) with one assessor they commission, represented by the same one or two
  lawyers of one law firm, and report the claims themselves. Ring shops, assessors and
  lawyers appear in no other judgment; standalone plants name no shop/assessor/agent
  shared with any other suspect judgment, so they never join a ring.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from huiyan.synth import ids, names
from huiyan.synth.base import positions, random_dates

if TYPE_CHECKING:
    from huiyan.synth.base import Province

MODEL = "insurance_fraud"
TRAFFIC = "机动车交通事故责任纠纷"
PROPERTY = "财产保险合同纠纷"
INSURANCE_CAUSES = (TRAFFIC, PROPERTY)
INSURANCE_SHARE = 0.45
"""Share of all judgments that are insurance judgments (the rest are other civil causes)."""

INSURERS = (
    ("中国人民财产保险股份有限公司", "RDAA"),
    ("中国平安财产保险股份有限公司", "APAC"),
    ("中国太平洋财产保险股份有限公司", "ACPC"),
    ("中国人寿财产保险股份有限公司", "ALFC"),
    ("中华联合财产保险股份有限公司", "ZHLH"),
    ("阳光财产保险股份有限公司", "YGCX"),
    ("天安财产保险股份有限公司", "TAPC"),
    ("中国大地财产保险股份有限公司", "DDCX"),
    ("永安财产保险股份有限公司", "YAPC"),
    ("华安财产保险股份有限公司", "HAPC"),
)
VEHICLE_TYPES = np.array(
    ["小型轿车", "小型普通客车", "小型越野客车", "轻型普通货车", "重型半挂牵引车"]
)
VEHICLE_TYPE_P = np.array([0.62, 0.2, 0.08, 0.07, 0.03])
LAW_FIRM_WORDS = list("天册六和泽大金道京衡国浩星韵震瓯越光之江浙经中豪汉鼎")

CASE_COLUMNS = (
    "kind",
    "ring",
    "region",
    "cause",
    "judgment_date",
    "plaintiff",
    "plaintiff_id",
    "plaintiff_kind",
    "plaintiff_gender",
    "plaintiff_birth",
    "owner_name",
    "owner_id",
    "plate",
    "other_plate",
    "driver",
    "insurer",
    "shop",
    "shop_org_id",
    "assessor",
    "assessed_by",
    "assigned",
    "agent",
    "agent_firm",
    "agent_kind",
    "claimed",
    "awarded",
    "reporter_name",
    "reporter_id",
    "masked",
    "car_sold",
    "vehicle_company",
)


def build(p: Province) -> None:
    """Add ``vehicles``, ``insurance_claims`` and ``judgments`` (texts made while writing)."""
    from huiyan.synth import judgment_text

    n_judgments = p.count("judgments")
    n_ins = round(n_judgments * INSURANCE_SHARE)
    if n_ins <= 0:
        return
    ctx = _Context(p)
    parts = [
        _rings(ctx, max(1, n_ins // 400)),
        _frequent(ctx, max(2, n_ins // 300)),
        _rental(ctx, max(1, n_ins // 1500)),
        _assigned_once(ctx, max(2, n_ins // 200)),
        _no_assessment(ctx, max(3, n_ins // 100)),
        _concentration(ctx, max(1, n_ins // 600)),
        _employee(ctx, max(2, n_ins // 300)),
    ]
    planted = sum(len(x) for x in parts)
    parts.append(_background(ctx, max(0, n_ins - planted)))
    cases = pd.concat(parts, ignore_index=True)
    cases = _number(p, cases)
    claims = _claims(ctx, cases)
    vehicles = ctx.vehicles_frame(p.count("vehicles"))
    p.add("vehicles", vehicles)
    p.add("insurance_claims", claims.drop(columns=["ring", "kind"]))
    _plant(p, cases, claims, vehicles)
    # texts are rendered row by row: plain Python strings iterate far faster than Arrow ones
    text = [c for c, t in cases.dtypes.items() if pd.api.types.is_string_dtype(t)]
    cases = cases.astype(dict.fromkeys(text, object))
    judgment_text.register(p, cases, n_judgments - len(cases))


# -- shared pools ------------------------------------------------------------------------------


class _Context:
    """Pools the scenarios draw from: name-unique plaintiffs, vehicles, insurers, agents."""

    def __init__(self, p: Province) -> None:
        self.p = p
        self.rng = p.rng
        ppl = p.people
        age, alive = p._masks()
        unique = ~ppl.name.duplicated(keep=False).to_numpy() & alive & (age >= 20) & (age <= 70)
        pool = ppl[unique].reset_index(drop=True)
        order = self.rng.permutation(len(pool))
        pool = pool.iloc[order].reset_index(drop=True)
        self.pool = pool
        self.pool_names = pool.name.to_numpy().astype(object)
        self.by_region = {
            str(k): list(v)
            for k, v in pd.Series(np.arange(len(pool)))
            .groupby(pool.region.to_numpy().astype("<U6"))
            .indices.items()
        }
        self.used_names: set[str] = set()
        self.vehicles: list[pd.DataFrame] = []
        self.plates: set[str] = set()
        ent = p.enterprises
        self.shops = ent[ent.kind == "repair_shop"].reset_index(drop=True)
        self.assessors = ent[ent.kind == "assessor"].reset_index(drop=True)
        self.shops_by_region = {
            str(k): v
            for k, v in pd.Series(np.arange(len(self.shops)))
            .groupby(self.shops.region.to_numpy().astype("<U6"))
            .indices.items()
        }
        self.assessor_names = {
            str(k): self.assessors.name.to_numpy()[v]
            for k, v in pd.Series(np.arange(len(self.assessors)))
            .groupby(self.assessors.region.to_numpy().astype("<U6"))
            .indices.items()
        }
        self.firms = {
            c: np.array(
                [f"浙江{a}{b}律师事务所" for a, b in self.rng.choice(LAW_FIRM_WORDS, (6, 2))]
            )
            for c in p.county_codes
        }

    def plaintiffs(self, regions: np.ndarray) -> pd.DataFrame:
        """One fresh person with a name no other plaintiff has, per region entry."""
        rows = np.empty(len(regions), dtype=np.int64)
        fresh: list[int] = []
        pool_names = self.pool_names
        used = self.used_names
        for i, reg in enumerate(regions):
            bucket = self.by_region.get(str(reg))
            while bucket:
                j = bucket.pop()
                if pool_names[j] not in used:
                    rows[i] = j
                    used.add(pool_names[j])
                    break
            else:
                rows[i] = -1
                fresh.append(i)
        out = self.pool.iloc[np.maximum(rows, 0)].reset_index(drop=True)
        if fresh:
            extra = self._fresh_named(np.asarray(regions)[fresh])
            out.iloc[fresh] = extra[list(out.columns)].to_numpy()
        return out

    def _fresh_named(self, regions: np.ndarray) -> pd.DataFrame:
        """New people for ``regions``, each with a name no plaintiff has yet (drawn in bulk)."""
        out = np.full(len(regions), -1, dtype=np.int64)
        parts: list[pd.DataFrame] = []
        todo = np.arange(len(regions))
        while len(todo):
            people = self.p.new_people(
                len(todo), region=np.asarray(regions, dtype=object)[todo], min_age=22, max_age=60
            )
            got = people.name.to_numpy()
            ok = np.zeros(len(todo), dtype=bool)
            for i, name in enumerate(got):
                if name not in self.used_names:
                    self.used_names.add(name)
                    ok[i] = True
            base = sum(len(x) for x in parts)
            parts.append(people)
            out[todo[ok]] = base + np.flatnonzero(ok)
            todo = todo[~ok]
        return pd.concat(parts, ignore_index=True).iloc[out].reset_index(drop=True)

    def new_plates(self, regions: np.ndarray) -> np.ndarray:
        prefixes = self.p.county_values(regions, "plate_prefix").astype(str)
        out = ids.plates(prefixes, self.rng)
        for _ in range(20):
            clash = pd.Series(out).duplicated().to_numpy() | np.fromiter(
                (x in self.plates for x in out), bool, len(out)
            )
            if not clash.any():
                break
            out[clash] = ids.plates(prefixes[clash], self.rng)
        self.plates.update(out)
        return out

    def register(
        self,
        plates: np.ndarray,
        owner_names: np.ndarray,
        owner_ids: np.ndarray,
        regions: np.ndarray,
        *,
        vtype: str | None = None,
    ) -> None:
        n = len(plates)
        types = (
            np.full(n, vtype, dtype=object)
            if vtype
            else self.rng.choice(VEHICLE_TYPES, size=n, p=VEHICLE_TYPE_P).astype(object)
        )
        self.vehicles.append(
            pd.DataFrame(
                {
                    "plate_no": plates,
                    "owner_name": owner_names,
                    "owner_id": owner_ids,
                    "vin": _vins(self.rng, n),
                    "vehicle_type": types,
                    "region": regions,
                }
            )
        )

    def reregister(
        self, plates: np.ndarray, owner_names: np.ndarray, owner_ids: np.ndarray
    ) -> None:
        """Change the registered owner of ``plates`` (registered before) to the given owners."""
        new = pd.DataFrame({"plate_no": plates, "name": owner_names, "oid": owner_ids})
        new = new.drop_duplicates("plate_no").set_index("plate_no")
        for frame in self.vehicles:
            hit = frame.plate_no.isin(new.index).to_numpy()
            if hit.any():
                which = frame.plate_no.to_numpy()[hit]
                frame.loc[hit, "owner_name"] = new.name.reindex(which).to_numpy()
                frame.loc[hit, "owner_id"] = new.oid.reindex(which).to_numpy()

    def cars_for(self, owners: pd.DataFrame, regions: np.ndarray) -> np.ndarray:
        """A newly registered car for each owner (person rows); returns the plates."""
        plates = self.new_plates(regions)
        self.register(plates, owners.name.to_numpy(), owners.person_id.to_numpy(), regions)
        return plates

    def other_cars(self, regions: np.ndarray) -> tuple[np.ndarray, pd.DataFrame]:
        """Cars of other (ordinary) people, e.g. the at-fault vehicle; returns plates and owners."""
        owners = self.p.sample_people(len(regions), min_age=22, max_age=70)
        plates = self.new_plates(regions)
        self.register(plates, owners.name.to_numpy(), owners.person_id.to_numpy(), regions)
        return plates, owners

    def insurer(self, regions: np.ndarray) -> np.ndarray:
        """Insurer branch companies: 中国人民财产保险股份有限公司绍兴市分公司 / …越城支公司."""
        heads = self.rng.integers(0, len(INSURERS), len(regions))
        head = np.array([name for name, _ in INSURERS], dtype=object)[heads]
        city = self.p.county_values(regions, "city")
        sub = (heads + np.asarray(regions).astype(np.int64)) % 3 == 0
        short = self.p.county_values(regions, "short")
        return np.where(sub, head + city + short + "支公司", head + city + "分公司")

    def agents(
        self, regions: np.ndarray, *, kinds: np.ndarray | None = None
    ) -> tuple[np.ndarray, ...]:
        """(agent names, firms, kinds) for plaintiffs: lawyers, legal-service workers, citizens."""
        n = len(regions)
        if kinds is None:
            kinds = self.rng.choice(
                np.array(["lawyer", "legal_service", "citizen", "none"]),
                n,
                p=[0.62, 0.16, 0.1, 0.12],
            )
        agent = names.person_names(self.rng, np.where(self.rng.random(n) < 0.6, "男", "女"))
        firm = np.full(n, None, dtype=object)
        lawyer = np.flatnonzero(kinds == "lawyer")
        if len(lawyer):
            regs = np.asarray(regions, dtype=object)[lawyer]
            codes, uniq = pd.factorize(regs)
            table = np.stack([self.firms[str(u)] for u in uniq])
            firm[lawyer] = table[codes, self.rng.integers(0, table.shape[1], len(lawyer))]
        service = np.flatnonzero(kinds == "legal_service")
        if len(service):
            regs = np.asarray(regions, dtype=object)[service]
            part = np.array(["城东", "城南", "城北", "中心", "府山", "东湖"], dtype=object)
            firm[service] = (
                self.p.county_values(regs, "city")
                + self.p.county_values(regs, "name")
                + part[self.rng.integers(0, len(part), len(service))]
                + "法律服务所"
            )
        agent = agent.copy()
        agent[kinds == "none"] = None
        return agent, firm, kinds

    def vehicles_frame(self, target: int) -> pd.DataFrame:
        """Every vehicle used so far plus background cars up to ``target``."""
        have = sum(len(v) for v in self.vehicles)
        extra = max(0, target - have)
        if extra:
            regs = self.p.pick_regions(extra)
            company = self.rng.random(extra) < 0.1
            owners = self.p.sample_people(int((~company).sum()), min_age=20, max_age=75)
            ent = self.p.enterprises
            firms = ent[ent.kind.isin(["logistics", "rental", "company"])]
            orgs = firms.iloc[self.rng.integers(0, len(firms), int(company.sum()))]
            names_ = np.empty(extra, dtype=object)
            ids_ = np.empty(extra, dtype=object)
            names_[~company], ids_[~company] = owners.name.to_numpy(), owners.person_id.to_numpy()
            names_[company], ids_[company] = orgs.name.to_numpy(), orgs.org_id.to_numpy()
            regs[company] = orgs.region.to_numpy()
            self.register(self.new_plates(regs), names_, ids_, regs)
        return pd.concat(self.vehicles, ignore_index=True)


def _vins(rng: np.random.Generator, n: int) -> np.ndarray:
    chars = np.array(list("ABCDEFGHJKLMNPRSTUVWXYZ0123456789"))
    wmi = rng.choice(np.array(["LSV", "LFV", "LGB", "LHG", "LVS", "LBV", "LDC", "LSG"]), n)
    body = chars[rng.integers(0, len(chars), (n, 14))]
    return np.char.add(wmi.astype("<U3"), ids._rowjoin(body)).astype(object)


# -- cases -------------------------------------------------------------------------------------


def _base_cases(
    ctx: _Context,
    regions: np.ndarray,
    kind: str,
    *,
    dates: np.ndarray | None = None,
    injury_share: float = 0.0,
    property_share: float = 0.25,
    plaintiffs: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``len(regions)`` ordinary insurance cases: the plaintiff owns the damaged car."""
    rng = ctx.rng
    n = len(regions)
    regions = np.asarray(regions, dtype=object)
    if plaintiffs is None:
        plaintiffs = ctx.plaintiffs(regions)
    injury = rng.random(n) < injury_share
    prop = ~injury & (rng.random(n) < property_share)
    own_plate = np.full(n, None, dtype=object)
    if (~injury).any():
        own_plate[~injury] = ctx.cars_for(plaintiffs[~injury], regions[~injury])
    other_plate = np.full(n, None, dtype=object)
    driver = np.full(n, None, dtype=object)
    driver_gender = np.full(n, None, dtype=object)
    if (~prop).any():
        plates, owners = ctx.other_cars(regions[~prop])
        other_plate[~prop] = plates
        driver[~prop] = owners.name.to_numpy()
        driver_gender[~prop] = owners.gender.to_numpy()
    claimed = np.where(injury, rng.lognormal(11.2, 0.8, n), rng.lognormal(9.6, 0.7, n))
    claimed = np.round(np.minimum(claimed, 900_000), 2)
    awarded = np.round(claimed * rng.uniform(0.55, 1.0, n), 2)
    agent, firm, akind = ctx.agents(regions)
    assessed_by = rng.choice(np.array(["insurer", "court", "none"]), n, p=[0.45, 0.2, 0.35])
    assessed_by = np.where(injury, "none", assessed_by)
    return pd.DataFrame(
        {
            "kind": kind,
            "ring": -1,
            "region": regions,
            "cause": np.where(prop, PROPERTY, TRAFFIC),
            "judgment_date": random_dates(rng, "2019-03-01", "2024-12-20", n)
            if dates is None
            else dates,
            "plaintiff": plaintiffs.name.to_numpy(),
            "plaintiff_id": plaintiffs.person_id.to_numpy(),
            "plaintiff_kind": "person",
            "plaintiff_gender": plaintiffs.gender.to_numpy(),
            "plaintiff_birth": plaintiffs.birth_date.to_numpy(),
            "owner_name": np.where(injury, None, plaintiffs.name.to_numpy()),
            "owner_id": np.where(injury, None, plaintiffs.person_id.to_numpy()),
            "plate": own_plate,
            "other_plate": other_plate,
            "driver": driver,
            "driver_gender": driver_gender,
            "insurer": ctx.insurer(regions),
            "shop": None,
            "shop_org_id": None,
            "assessor": None,
            "assessed_by": assessed_by,
            "assigned": False,
            "agent": agent,
            "agent_firm": firm,
            "agent_kind": akind,
            "claimed": claimed,
            "awarded": awarded,
            "reporter_name": plaintiffs.name.to_numpy(),
            "reporter_id": plaintiffs.person_id.to_numpy(),
            "masked": False,
            "car_sold": False,
            "vehicle_company": None,
        }
    )


def _background(ctx: _Context, n: int) -> pd.DataFrame:
    """Ordinary insurance judgments; shops and assessors rotated so no shop concentrates."""
    if n <= 0:
        return pd.DataFrame(columns=list(CASE_COLUMNS))
    rng = ctx.rng
    regions = ctx.p.pick_regions(n)
    cases = _base_cases(ctx, regions, "background", injury_share=0.3)
    has_car = cases.plate.notna().to_numpy()
    with_shop = has_car & (rng.random(n) < 0.35)
    _rotate_shops(ctx, cases, np.flatnonzero(with_shop))
    court = (cases.assessed_by == "court").to_numpy() & has_car & ~with_shop
    assessor = cases.assessor.to_numpy().copy()
    regs = cases.region.to_numpy().astype("<U6")
    for reg, pool in ctx.assessor_names.items():
        sel = np.flatnonzero(court & (regs == reg))
        if len(sel):
            assessor[sel] = pool[rng.integers(0, len(pool), len(sel))]
    cases["assessor"] = assessor
    cases["masked"] = (rng.random(n) < 0.03) & ~with_shop
    _hard_negatives(ctx, cases, ~with_shop & has_car)
    return cases


def _hard_negatives(ctx: _Context, cases: pd.DataFrame, free: np.ndarray) -> None:
    """Background cases whose words tempt a careless reader: no rule may flag them.

    Among ``free`` rows (a damaged car, no repair shop): the insurer assessed the loss but the
    plaintiff disputed it and had it assessed again (disputed); the plaintiff bought the car
    and the register still names the seller, whose sale the insurer argues in its defence
    (car_sold: a transfer of the car, not of a claim); the at-fault car belongs to a
    motor-trade company that is a co-defendant (vehicle_company: not a repair shop).
    """
    rng = ctx.rng
    n = len(cases)
    masked = cases.masked.to_numpy().astype(bool)
    regs = cases.region.to_numpy().astype("<U6")
    pick = rng.random(n)
    disputed = free & (cases.assessed_by == "insurer").to_numpy() & (pick < 0.12)
    assessor = cases.assessor.to_numpy().copy()
    for reg, pool in ctx.assessor_names.items():
        sel = np.flatnonzero(disputed & (regs == reg))
        if len(sel):
            assessor[sel] = pool[rng.integers(0, len(pool), len(sel))]
    disputed &= pd.notna(assessor)
    cases["assessor"] = assessor
    cases.loc[disputed, "assessed_by"] = "disputed"
    sold = free & ~disputed & ~masked & (pick >= 0.12) & (pick < 0.16)
    rows = np.flatnonzero(sold)
    if len(rows):
        sellers = ctx.p.sample_people(len(rows), min_age=22, max_age=75)
        ctx.reregister(
            cases.plate.to_numpy()[rows], sellers.name.to_numpy(), sellers.person_id.to_numpy()
        )
        cases.loc[rows, "owner_name"] = sellers.name.to_numpy()
        cases.loc[rows, "owner_id"] = sellers.person_id.to_numpy()
        cases.loc[rows, "car_sold"] = True
    has_driver = cases.driver.notna().to_numpy() & cases.other_plate.notna().to_numpy()
    owned = free & ~sold & has_driver & (pick >= 0.16) & (pick < 0.21)
    company = np.full(n, None, dtype=object)
    company_id = np.full(n, None, dtype=object)
    for reg, pool in ctx.shops_by_region.items():
        sel = np.flatnonzero(owned & (regs == reg))
        if len(sel):
            j = pool[rng.integers(0, len(pool), len(sel))]
            company[sel] = ctx.shops.name.to_numpy()[j]
            company_id[sel] = ctx.shops.org_id.to_numpy()[j]
    rows = np.flatnonzero(pd.notna(company))
    if len(rows):
        ctx.reregister(cases.other_plate.to_numpy()[rows], company[rows], company_id[rows])
    cases["vehicle_company"] = company


def _rotate_shops(ctx: _Context, cases: pd.DataFrame, rows: np.ndarray) -> None:
    """Give ``rows`` a background shop each and rotate assessors so none names over half."""
    rng = ctx.rng
    shop = cases.shop.to_numpy().copy()
    shop_id = cases.shop_org_id.to_numpy().copy()
    assessor = cases.assessor.to_numpy().copy()
    regs = cases.region.to_numpy().astype("<U6")
    assessed = cases.assessed_by.isin(["court", "insurer"]).to_numpy()
    for reg, pool in ctx.shops_by_region.items():
        sel = rows[regs[rows] == reg]
        if not len(sel):
            continue
        j = pool[rng.integers(0, len(pool), len(sel))]
        shop[sel] = ctx.shops.name.to_numpy()[j]
        shop_id[sel] = ctx.shops.org_id.to_numpy()[j]
        apool = ctx.assessor_names.get(reg, np.array([]))
        if len(apool) < 3:
            continue
        # per shop, cycle through 3 assessors: no assessor is named in more than half
        order = sel[np.argsort(j, kind="stable")]
        js = np.sort(j, kind="stable")
        first = np.r_[True, js[1:] != js[:-1]]
        rank = np.arange(len(js)) - np.maximum.accumulate(np.where(first, np.arange(len(js)), 0))
        base = rng.integers(0, len(apool), len(js))
        group_base = np.maximum.accumulate(np.where(first, np.arange(len(js)), 0))
        pick = apool[(base[group_base] + rank) % len(apool)]
        use = assessed[order] & (rng.random(len(order)) < 0.6)
        assessor[order[use]] = pick[use]
    cases["shop"], cases["shop_org_id"], cases["assessor"] = shop, shop_id, assessor


def _orgs(ctx: _Context, regions: np.ndarray, kind: str) -> pd.DataFrame:
    """New enterprises of ``kind`` used by one scenario only (one per region entry)."""
    if not len(regions):
        return pd.DataFrame(columns=list(ctx.p.enterprises.columns))
    regions = np.asarray(regions, dtype=object)
    return ctx.p.new_enterprises(
        len(regions), region=regions, kind=kind, status="存续"
    ).reset_index(drop=True)


def _private_agents(ctx: _Context, cases: pd.DataFrame) -> None:
    """Suspect judgments get agents no other suspect judgment has."""
    agent, firm, kinds = ctx.agents(cases.region.to_numpy(), kinds=np.full(len(cases), "lawyer"))
    cases["agent"], cases["agent_firm"], cases["agent_kind"] = agent, firm, kinds


def _group_dates(
    rng: np.random.Generator, sizes: np.ndarray, *, span: int, gap: int | None = None
) -> np.ndarray:
    """Sorted dates for each group: within ``span`` days, or ``gap`` days apart."""
    out = []
    for k in sizes:
        if gap:
            start = np.datetime64("2019-02-01") + int(rng.integers(0, 5 * 365 - gap * (k - 1) - 30))
            out.append(
                start + (np.arange(k) * gap + rng.integers(0, 20, k)).astype("timedelta64[D]")
            )
        else:
            start = np.datetime64("2019-03-01") + int(rng.integers(0, 5 * 365 - span - 20))
            out.append(np.sort(start + rng.integers(0, span, k).astype("timedelta64[D]")))
    return np.concatenate(out) if out else np.array([], dtype="datetime64[D]")


def _rings(ctx: _Context, n_rings: int) -> pd.DataFrame:
    """Shaoxing-style rings: a shop's employees sue as assignees with one assessor and lawyer."""
    rng, p = ctx.rng, ctx.p
    regs = p.county_codes[np.arange(n_rings) % len(p.county_codes)].astype(object)
    shops = _orgs(ctx, regs, "repair_shop")
    assessors = _orgs(ctx, regs, "assessor").name.to_numpy()
    n_staff = rng.integers(3, 5, n_rings)
    staff_ring = np.repeat(np.arange(n_rings), n_staff)
    staff = p.new_people(len(staff_ring), region=regs[staff_ring], min_age=22, max_age=50)
    ctx.used_names.update(staff.name.to_numpy())
    p.employ(
        staff,
        shops.iloc[staff_ring].reset_index(drop=True),
        random_dates(rng, "2014-01-01", "2018-06-30", len(staff)),
    )
    lawyers = names.person_names(rng, np.where(rng.random(2 * n_rings) < 0.6, "男", "女")).reshape(
        n_rings, 2
    )
    firms = np.array(
        [f"浙江{a}{b}律师事务所" for a, b in rng.choice(LAW_FIRM_WORDS, (n_rings, 2))], dtype=object
    )
    k = rng.integers(6, 11, n_rings)
    ring = np.repeat(np.arange(n_rings), k)
    dates = _group_dates(rng, k, span=540)
    cases = _base_cases(ctx, regs[ring], "ring", dates=dates, property_share=0.6)
    # the plaintiff is a shop employee; the car's owner (the customer) assigned the claim
    starts = np.r_[0, np.cumsum(n_staff)[:-1]]
    pos = positions(k)
    who = staff.iloc[starts[ring] + pos % n_staff[ring]].reset_index(drop=True)
    main = starts[ring] + rng.integers(0, np.maximum(1, n_staff[ring] // 2))
    rep = staff.iloc[main].reset_index(drop=True)
    cases["plaintiff"], cases["plaintiff_id"] = who.name.to_numpy(), who.person_id.to_numpy()
    cases["plaintiff_gender"], cases["plaintiff_birth"] = (
        who.gender.to_numpy(),
        who.birth_date.to_numpy(),
    )
    cases["reporter_name"], cases["reporter_id"] = rep.name.to_numpy(), rep.person_id.to_numpy()
    cases["ring"] = ring
    cases["assigned"] = True
    cases["shop"], cases["shop_org_id"] = shops.name.to_numpy()[ring], shops.org_id.to_numpy()[ring]
    cases["assessor"] = assessors[ring]
    cases["assessed_by"] = np.where(rng.random(len(ring)) < 0.8, "self", "self_silent")
    cases["agent"] = lawyers[ring, rng.integers(0, 2, len(ring))]
    cases["agent_firm"], cases["agent_kind"] = firms[ring], "lawyer"
    return cases


def _frequent(ctx: _Context, n: int) -> pd.DataFrame:
    """Plaintiffs with 3-4 judgments in <= 20 months; negatives with 2, or 3 spread over 28 months."""
    rng, p = ctx.rng, ctx.p
    out = []
    for label, count, gap in (
        ("frequent", None, None),
        ("frequent_two", 2, None),
        ("frequent_spread", 3, 14 * 31),
    ):
        regs = p.pick_regions(n)
        people = ctx.plaintiffs(regs)
        sizes = np.full(n, count) if count else rng.integers(3, 5, n)
        group = np.repeat(np.arange(n), sizes)
        dates = _group_dates(rng, sizes, span=600, gap=gap)
        cases = _base_cases(
            ctx,
            regs[group],
            label,
            dates=dates,
            plaintiffs=people.iloc[group].reset_index(drop=True),
        )
        cases["assessed_by"] = np.where(cases.plate.notna(), "insurer", "none")
        _private_agents(ctx, cases)
        out.append(cases)
    return pd.concat(out, ignore_index=True)


def _rental(ctx: _Context, n: int) -> pd.DataFrame:
    """Car-rental companies suing as owners of their own cars: frequent plaintiffs only."""
    rng, p = ctx.rng, ctx.p
    regs = p.pick_regions(n).astype(object)
    orgs = _orgs(ctx, regs, "rental")
    ctx.used_names.update(orgs.name.to_numpy())
    sizes = rng.integers(4, 6, n)
    group = np.repeat(np.arange(n), sizes)
    cases = _base_cases(
        ctx, regs[group], "rental", dates=_group_dates(rng, sizes, span=600), property_share=0.3
    )
    plates = ctx.new_plates(regs[group])
    org = orgs.iloc[group].reset_index(drop=True)
    ctx.register(plates, org.name.to_numpy(), org.org_id.to_numpy(), regs[group], vtype="小型轿车")
    cases["plate"] = plates
    cases["plaintiff"], cases["plaintiff_id"] = org.name.to_numpy(), org.org_id.to_numpy()
    cases["plaintiff_kind"] = "org"
    cases["owner_name"], cases["owner_id"] = org.name.to_numpy(), org.org_id.to_numpy()
    cases["legal_rep"] = org.legal_rep_name.to_numpy()
    cases["assessed_by"] = "insurer"
    cases["reporter_name"], cases["reporter_id"] = (
        org.legal_rep_name.to_numpy(),
        org.legal_rep_id.to_numpy(),
    )
    _private_agents(ctx, cases)
    return cases


def _assigned_once(ctx: _Context, n: int) -> pd.DataFrame:
    """One-off lawful assignments (a relative takes over the claim): INS-ASSIGNED only."""
    regs = ctx.p.pick_regions(n)
    owners = ctx.plaintiffs(regs)
    cases = _base_cases(ctx, regs, "assigned_once", plaintiffs=owners, property_share=0.5)
    assignees = ctx.plaintiffs(regs)
    cases["plaintiff"], cases["plaintiff_id"] = (
        assignees.name.to_numpy(),
        assignees.person_id.to_numpy(),
    )
    cases["plaintiff_gender"], cases["plaintiff_birth"] = (
        assignees.gender.to_numpy(),
        assignees.birth_date.to_numpy(),
    )
    cases["assigned"] = True
    cases["assessed_by"] = "insurer"
    _private_agents(ctx, cases)
    return cases


def _no_assessment(ctx: _Context, n: int) -> pd.DataFrame:
    """Owners who had the loss assessed themselves without the insurer: INS-NO-ASSESSMENT only."""
    regs = ctx.p.pick_regions(n)
    cases = _base_cases(ctx, regs, "no_assessment")
    cases["assessor"] = _orgs(ctx, regs, "assessor").name.to_numpy()
    cases["assessed_by"] = "self"
    _private_agents(ctx, cases)
    return cases


def _concentration(ctx: _Context, n: int) -> pd.DataFrame:
    """Shops with 5-7 judgments, one assessor in more than half; negatives at 4 and exactly half."""
    rng, p = ctx.rng, ctx.p
    out = []
    for label in ("concentration", "concentration_four", "concentration_half"):
        regs = p.pick_regions(n).astype(object)
        shops = _orgs(ctx, regs, "repair_shop")
        pool = _orgs(ctx, np.repeat(regs, 4), "assessor").name.to_numpy().reshape(n, 4)
        if label == "concentration":
            sizes = rng.integers(5, 8, n)
            n_main = sizes // 2 + 1 + rng.integers(0, 2, n)
        elif label == "concentration_four":
            sizes = np.full(n, 4)
            n_main = sizes
        else:
            sizes = np.full(n, 6)
            n_main = np.full(n, 3)
        group = np.repeat(np.arange(n), sizes)
        pos = np.concatenate([rng.permutation(k) for k in sizes])
        # position < n_main gets the main assessor; the rest rotate over three others
        which = np.where(pos < n_main[group], 0, 1 + pos % 3)
        cases = _base_cases(ctx, regs[group], label)
        cases["shop"], cases["shop_org_id"] = (
            shops.name.to_numpy()[group],
            shops.org_id.to_numpy()[group],
        )
        cases["assessor"] = pool[group, which]
        cases["assessed_by"] = "insurer_named"
        _private_agents(ctx, cases)
        out.append(cases)
    return pd.concat(out, ignore_index=True)


def _employee(ctx: _Context, n: int) -> pd.DataFrame:
    """A shop's employee (or supervisor) sues over a car repaired at that shop."""
    rng, p = ctx.rng, ctx.p
    regs = p.pick_regions(n).astype(object)
    shops = _orgs(ctx, regs, "repair_shop")
    staff = ctx.plaintiffs(regs)
    officer = rng.random(n) < 0.3
    emp = ~officer
    if emp.any():
        p.employ(
            staff[emp], shops[emp], random_dates(rng, "2015-01-01", "2018-12-31", int(emp.sum()))
        )
    if officer.any():
        p.add_officers(shops.org_id.to_numpy()[officer], staff[officer], "监事")
    cases = _base_cases(ctx, regs, "employee", plaintiffs=staff)
    cases["shop"], cases["shop_org_id"] = shops.name.to_numpy(), shops.org_id.to_numpy()
    cases["assessed_by"] = "insurer"
    _private_agents(ctx, cases)
    return cases


# -- numbering, claims and truth -----------------------------------------------------------------


def _number(p: Province, cases: pd.DataFrame) -> pd.DataFrame:
    """doc_id, court, case number (per court and year, in date order) for every case."""
    cases = cases.sort_values(["region", "judgment_date"], kind="stable").reset_index(drop=True)
    cases["judgment_date"] = pd.to_datetime(cases.judgment_date).dt.floor("D")
    year = cases.judgment_date.dt.year.to_numpy()
    cases["year"] = year
    # doc_id: court region + year + a serial unique in the province (other causes continue it)
    serial = np.char.zfill(np.arange(1, len(cases) + 1).astype(str), 7)
    cases["doc_id"] = (
        cases.region.astype(str).to_numpy().astype(object)
        + year.astype(str).astype(object)
        + serial.astype(object)
    )
    cases["court"] = [p.county(str(r)).court for r in cases.region]
    lag = p.rng.integers(150, 330, len(cases)).astype("timedelta64[D]")
    cases["accident_date"] = cases.judgment_date.to_numpy().astype("datetime64[D]") - lag
    cases["legal_rep"] = cases.get("legal_rep")
    return cases


def _claims(ctx: _Context, cases: pd.DataFrame) -> pd.DataFrame:
    """A claim for each insurance case, planted reporter claims, and background claims."""
    rng, p = ctx.rng, ctx.p
    n_target = p.count("insurance_claims")
    own = cases.plate.notna().to_numpy()
    plate = np.where(own, cases.plate, cases.other_plate)
    acc = cases.accident_date.to_numpy().astype("datetime64[D]")
    from_cases = pd.DataFrame(
        {
            "kind": cases.kind.to_numpy(),
            "ring": cases.ring.to_numpy(),
            "insurer": cases.insurer.to_numpy(),
            "plate_no": plate,
            "accident_date": acc,
            "accident_region": cases.region.to_numpy(),
            "repair_shop": cases.shop.to_numpy(),
            "repair_shop_org_id": cases.shop_org_id.to_numpy(),
            "assessor": np.where(cases.ring >= 0, cases.assessor, None),
            "claimed_amount": cases.claimed.to_numpy(),
            "reporter_name": cases.reporter_name.to_numpy(),
            "reporter_id": cases.reporter_id.to_numpy(),
        }
    )
    # at-fault injury cases: the other car's owner reports
    inj = ~own
    if inj.any():
        owners = pd.concat(ctx.vehicles, ignore_index=True).set_index("plate_no")
        from_cases.loc[inj, "reporter_name"] = owners.owner_name.reindex(plate[inj]).to_numpy()
        from_cases.loc[inj, "reporter_id"] = owners.owner_id.reindex(plate[inj]).to_numpy()
    parts = [from_cases, _reporter_claims(ctx, max(2, n_target // 500))]
    have = sum(len(x) for x in parts)
    parts.append(_background_claims(ctx, max(0, n_target - have)))
    claims = pd.concat(parts, ignore_index=True)
    n = len(claims)
    claims["report_date"] = claims.accident_date.to_numpy().astype("datetime64[D]") + rng.integers(
        0, 3, n
    ).astype("timedelta64[D]")
    branch, branches = pd.factorize(claims.insurer.to_numpy().astype(object))
    branch_code = np.array(
        [next((c for h, c in INSURERS if str(b).startswith(h)), "PICC") for b in branches] + [""]
    )
    code = branch_code[branch]
    year = pd.to_datetime(claims.accident_date).dt.year.astype(str).to_numpy()
    seq = np.char.zfill(np.arange(1, n + 1).astype(str), 8)
    claims["claim_id"] = (
        code.astype(object)
        + year.astype(object)
        + claims.accident_region.astype(str).to_numpy().astype(object)
        + seq.astype(object)
    )
    claims["policy_no"] = (
        "P"
        + code.astype(object)
        + year.astype(object)
        + np.char.zfill(rng.integers(0, 10**9, n).astype(str), 10).astype(object)
    )
    vehicles = (
        pd.concat(ctx.vehicles, ignore_index=True).drop_duplicates("plate_no").set_index("plate_no")
    )
    claims["insured_name"] = vehicles.owner_name.reindex(claims.plate_no).to_numpy()
    ins_id = vehicles.owner_id.reindex(claims.plate_no).to_numpy()
    claims["insured_id"] = np.where(pd.Series(ins_id).str.len().to_numpy() == 18, ins_id, None)
    claims.loc[claims.insured_id.astype(str).str.startswith("91"), "insured_id"] = None
    claims["reporter_phone"] = (
        "1"
        + pd.Series(rng.choice(["35", "38", "39", "58", "59", "88"], n)).to_numpy().astype(object)
        + np.char.zfill(rng.integers(0, 10**8, n).astype(str), 8).astype(object)
    )
    paid = np.round(claims.claimed_amount.to_numpy() * rng.uniform(0.5, 1.0, n), 2)
    claims["paid_amount"] = np.where(rng.random(n) < 0.85, paid, np.nan)
    rid = claims.reporter_id.astype(object).to_numpy()
    claims["reporter_id"] = np.where(
        pd.Series(rid).astype(str).str.startswith("91").to_numpy(), None, rid
    )
    return claims


def _reporter_claims(ctx: _Context, n: int) -> pd.DataFrame:
    """Shop employees who report claims for other people's cars; positives and negatives."""
    rng, p = ctx.rng, ctx.p
    out = []
    ent = p.enterprises
    logistics = ent[ent.kind == "logistics"].reset_index(drop=True)
    for label in ("reporter", "reporter_three", "reporter_spread", "reporter_unlinked"):
        regs = p.pick_regions(n).astype(object)
        shops = _orgs(ctx, regs, "repair_shop")
        people = p.new_people(n, region=regs, min_age=22, max_age=50)
        employer = shops
        if label == "reporter_unlinked" and len(logistics):
            employer = logistics.iloc[rng.integers(0, len(logistics), n)].reset_index(drop=True)
        p.employ(people, employer, random_dates(rng, "2015-01-01", "2018-12-31", n))
        sizes = {
            "reporter": rng.integers(4, 6, n),
            "reporter_three": np.full(n, 3),
            "reporter_spread": np.full(n, 4),
            "reporter_unlinked": np.full(n, 5),
        }[label]
        group = np.repeat(np.arange(n), sizes)
        dates = _group_dates(rng, sizes, span=270, gap=155 if label == "reporter_spread" else None)
        plates, _owners = ctx.other_cars(regs[group])
        out.append(
            pd.DataFrame(
                {
                    "kind": label,
                    "ring": -1,
                    "insurer": ctx.insurer(regs[group]),
                    "plate_no": plates,
                    "accident_date": dates,
                    "accident_region": regs[group],
                    "repair_shop": shops.name.to_numpy()[group],
                    "repair_shop_org_id": shops.org_id.to_numpy()[group],
                    "assessor": None,
                    "claimed_amount": np.round(rng.lognormal(9.3, 0.6, len(group)), 2),
                    "reporter_name": people.name.to_numpy()[group],
                    "reporter_id": people.person_id.to_numpy()[group],
                }
            )
        )
    return pd.concat(out, ignore_index=True)


def _background_claims(ctx: _Context, n: int) -> pd.DataFrame:
    """Ordinary claims on registered cars; reported by the owner or, once each, by someone else."""
    rng, p = ctx.rng, ctx.p
    if n <= 0:
        return pd.DataFrame()
    ctx.vehicles_frame(p.count("vehicles"))
    vehicles = pd.concat(ctx.vehicles, ignore_index=True)
    rows = vehicles.iloc[rng.integers(0, len(vehicles), n)].reset_index(drop=True)
    reporter_name = rows.owner_name.to_numpy().copy()
    reporter_id = rows.owner_id.to_numpy().copy()
    other = (rng.random(n) < 0.15) | pd.Series(reporter_id).astype(str).str.startswith(
        "91"
    ).to_numpy()
    if other.any():
        drivers = p.sample_people(int(other.sum()), min_age=20, max_age=70)
        reporter_name[other], reporter_id[other] = (
            drivers.name.to_numpy(),
            drivers.person_id.to_numpy(),
        )
    regs = rows.region.to_numpy()
    shop = np.full(n, None, dtype=object)
    shop_id = np.full(n, None, dtype=object)
    assessor = np.full(n, None, dtype=object)
    with_shop = rng.random(n) < 0.6
    regs_u = regs.astype("<U6")
    for reg, pool in ctx.shops_by_region.items():
        sel = np.flatnonzero(with_shop & (regs_u == reg))
        if not len(sel):
            continue
        pick = pool[rng.integers(0, len(pool), len(sel))]
        shop[sel], shop_id[sel] = ctx.shops.name.to_numpy()[pick], ctx.shops.org_id.to_numpy()[pick]
        apool = ctx.assessor_names.get(reg, np.array([]))
        if len(apool):
            named = sel[rng.random(len(sel)) < 0.4]
            assessor[named] = rng.choice(apool, len(named))
    return pd.DataFrame(
        {
            "kind": "background",
            "ring": -1,
            "insurer": ctx.insurer(regs),
            "plate_no": rows.plate_no.to_numpy(),
            "accident_date": random_dates(rng, "2019-01-01", "2024-12-20", n),
            "accident_region": regs,
            "repair_shop": shop,
            "repair_shop_org_id": shop_id,
            "assessor": assessor,
            "claimed_amount": np.round(rng.lognormal(8.8, 0.9, n), 2),
            "reporter_name": reporter_name,
            "reporter_id": reporter_id,
        }
    )


def _groups(keys: np.ndarray, min_size: int) -> list[np.ndarray]:
    """Positions of each key that occurs at least ``min_size`` times."""
    codes, _ = pd.factorize(pd.Series(keys, dtype=object))
    counts = np.bincount(codes[codes >= 0]) if len(codes) else np.array([], dtype=np.int64)
    big = np.flatnonzero(counts >= min_size)
    if not len(big):
        return []
    keep = np.flatnonzero(np.isin(codes, big))
    order = keep[np.argsort(codes[keep], kind="stable")]
    bounds = np.flatnonzero(np.r_[True, codes[order][1:] != codes[order][:-1], True])
    return [order[a:b] for a, b in itertools.pairwise(bounds)]


def _windows(dates: np.ndarray, k: int, days: int) -> np.ndarray:
    """Mask of the entries (sorted ``dates``) that lie in some window of ``days`` holding >= k."""
    d = np.asarray(dates, dtype="datetime64[D]").astype(np.int64)
    mark = np.zeros(len(d), dtype=bool)
    j = 0
    for i in range(len(d)):
        j = max(j, i)
        while j + 1 < len(d) and d[j + 1] - d[i] <= days:
            j += 1
        if j - i + 1 >= k:
            mark[i : j + 1] = True
    return mark


def _plant(p: Province, cases: pd.DataFrame, claims: pd.DataFrame, vehicles: pd.DataFrame) -> None:
    """Compute truth from the generated data with the rule definitions (see the module docstring)."""
    jref = "judgments:" + cases.doc_id.astype(str)
    named = ~cases.masked.to_numpy().astype(bool)
    p.plant(MODEL, "INS-ASSIGNED", jref[cases.assigned.to_numpy().astype(bool)])
    p.plant(MODEL, "INS-NO-ASSESSMENT", jref[cases.assessed_by.isin(["self"]).to_numpy()])
    freq = np.zeros(len(cases), dtype=bool)
    named_rows = np.flatnonzero(named)
    jdates = cases.judgment_date.to_numpy()
    for idx in _groups(cases.plaintiff.to_numpy()[named_rows], 3):
        rows = named_rows[idx]
        order = rows[np.argsort(jdates[rows], kind="stable")]
        freq[order] = _windows(cases.judgment_date.to_numpy()[order], 3, 730)
    p.plant(MODEL, "INS-FREQUENT-PLAINTIFF", jref[freq])
    # a shop named in >= 5 judgments whose most frequent assessor is named in over half
    shop_idx = np.flatnonzero(cases.shop.notna().to_numpy())
    named_shops = pd.DataFrame(
        {
            "shop": cases.shop.to_numpy()[shop_idx].astype(object),
            "assessor": cases.assessor.to_numpy()[shop_idx].astype(object),
        }
    )
    per_shop = named_shops.groupby("shop").size()
    top = named_shops.dropna().groupby(["shop", "assessor"]).size().groupby(level=0).max()
    top = top.reindex(per_shop.index).fillna(0)
    hot = per_shop.index[(per_shop >= 5) & (top * 2 > per_shop)]
    conc = cases.shop.isin(set(hot)).to_numpy() & cases.shop.notna().to_numpy()
    p.plant(MODEL, "INS-SHOP-CONCENTRATION", jref[conc])
    # only the jobs and offices at shops named in a judgment or claim can link anyone
    shop_ids = set(cases.shop_org_id.dropna()) | set(claims.repair_shop_org_id.dropna())
    ss = p.social_security
    ss = ss[ss.employer_org_id.isin(shop_ids).to_numpy()]
    ep = p.enterprise_people
    ep = ep[ep.org_id.isin(shop_ids).to_numpy()]
    linked = set(zip(ss.employer_org_id.to_numpy(), ss.name.to_numpy(), strict=True)) | set(
        zip(ep.org_id.to_numpy(), ep.name.to_numpy(), strict=True)
    )
    emp = np.fromiter(
        (
            (o, n) in linked
            for o, n in zip(cases.shop_org_id.to_numpy(), cases.plaintiff.to_numpy(), strict=True)
        ),
        bool,
        len(cases),
    )
    p.plant(MODEL, "INS-PLAINTIFF-EMPLOYEE", jref[emp & named])
    cref = "insurance_claims:" + claims.claim_id.astype(str)
    owner = (
        vehicles.drop_duplicates("plate_no")
        .set_index("plate_no")
        .owner_id.reindex(claims.plate_no)
        .to_numpy()
    )
    links = set(zip(ss.employer_org_id.to_numpy(), ss.person_id.to_numpy(), strict=True)) | set(
        zip(ep.org_id.to_numpy(), ep.person_id.to_numpy(), strict=True)
    )
    cand = (
        claims.reporter_id.notna().to_numpy()
        & (claims.reporter_id.to_numpy() != owner)
        & np.fromiter(
            (
                (o, r) in links
                for o, r in zip(
                    claims.repair_shop_org_id.to_numpy(), claims.reporter_id.to_numpy(), strict=True
                )
            ),
            bool,
            len(claims),
        )
    )
    rep = np.zeros(len(claims), dtype=bool)
    cand_rows = np.flatnonzero(cand)
    for idx in _groups(claims.reporter_id.to_numpy()[cand_rows], 4):
        rows = cand_rows[idx]
        order = rows[np.argsort(claims.report_date.to_numpy()[rows], kind="stable")]
        rep[order] = _windows(claims.report_date.to_numpy()[order], 4, 365)
    p.plant(MODEL, "INS-FREQUENT-REPORTER", cref[rep])
    p.plant(
        MODEL,
        "INS-RING",
        pd.concat([jref[(cases.ring >= 0).to_numpy()], cref[(claims.ring >= 0).to_numpy()]]),
    )


def case_facts(cases: pd.DataFrame) -> dict[str, Any]:  # pragma: no cover - debugging aid
    """Counts of cases by scenario label."""
    return cases.kind.value_counts().to_dict()
