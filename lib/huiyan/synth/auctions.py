"""Synthetic online judicial auctions (网络司法拍卖) with planted procedural violations.

Each sale is one seized item of one enforcement case (执行案件), auctioned in a
chain of rounds: 一拍; if it fails (流拍) a 二拍 at most 20% cheaper, announced
7 (movables) or 15 days ahead and starting within 30 days; if that fails too a
变卖 at the 二拍 price. Background rows obey every rule of the
``judicial_auction`` model, many of them exactly on the legal line (15/30 days'
notice, a 70% start price, a 20% cut, 5% and 20% deposits, a re-auction 30 days
after the failure). Planted violations sit mostly just past the line (14 days,
69.9%, a 20.01% cut) and are recorded in ``truth`` with the record the model
puts in evidence (``judicial_auctions:<auction_id>``; for AUC-RELAUNCH-LATE the
failed 一拍).

Hard negatives besides the boundaries: the executed party buying its own item,
a buyer in the debtor's household (or an officer of the debtor company) who
pays the full appraisal, failed auctions that ended too recently to be late,
变卖 held more than 30 days after a failed 二拍, and about 30% of re-auctions
with ``previous_auction_id`` left blank (rounds then link by court, case and item).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from huiyan.synth import ids, names
from huiyan.synth.base import REF_DATE, positions

if TYPE_CHECKING:
    from huiyan.synth.base import Province

MODEL = "judicial_auction"
DATASET = "judicial_auctions"
DATA_START = np.datetime64("2019-01-01")
DATA_END = REF_DATE
PLANT_BEFORE = DATA_END - np.timedelta64(400, "D")  # planted sales finish well inside the data

ITEM_TYPES = np.array(["不动产", "机动车", "动产", "股权", "其他财产权"], dtype=object)
ITEM_SHARES = [0.42, 0.25, 0.18, 0.05, 0.10]
MOVABLE = np.array([False, True, True, False, False])
# appraisal value by item type: median yuan, lognormal sigma, minimum yuan
VALUES = {0: (900_000, 0.7, 60_000), 1: (60_000, 0.7, 8_000), 2: (40_000, 1.0, 6_000),
          3: (1_500_000, 1.0, 50_000), 4: (300_000, 1.0, 20_000)}  # fmt: skip
ROUNDS = np.array(["一拍", "二拍", "变卖"], dtype=object)
BASES = np.array(["评估", "网络询价", "定向询价", "当事人议价"], dtype=object)
# rate of planted violations per auction row (Songyang: 3,636 clues in 340,000 auctions)
RATES = {
    "AUC-NOTICE-SHORT": 0.0020,
    "AUC-RENOTICE-SHORT": 0.0015,
    "AUC-RELAUNCH-LATE": 0.0020,
    "AUC-START-LOW": 0.0012,
    "AUC-CUT-DEEP": 0.0012,
    "AUC-DEPOSIT-RANGE": 0.0020,
    "AUC-BUYER-LINKED": 0.0010,
}
MIN_PLANTS = 4
ROWS_PER_SALE = 1.53


def _k(rule: str, n_rows: int) -> int:
    return max(MIN_PLANTS, round(RATES[rule] * n_rows))


def _pick(rng: np.random.Generator, eligible: np.ndarray, used: np.ndarray, k: int) -> np.ndarray:
    """``k`` indices among ``eligible`` (a boolean mask) not yet ``used``; marks them used."""
    pool = np.flatnonzero(eligible & ~used)
    chosen = np.sort(rng.choice(pool, size=min(k, len(pool)), replace=False))
    used[chosen] = True
    return chosen


def _mix(rng: np.random.Generator, n: int, options: list[tuple[float, object]]) -> np.ndarray:
    """``n`` draws: each option is (probability, value or callable(n) -> array)."""
    probs = np.array([o[0] for o in options], dtype=float)
    which = rng.choice(len(options), size=n, p=probs / probs.sum())
    out = np.empty(n, dtype=float)
    for i, (_, value) in enumerate(options):
        sel = which == i
        out[sel] = value(int(sel.sum())) if callable(value) else value
    return out


def build(p: Province) -> None:
    """Add ``judicial_auctions`` rows, household / officer links for buyers, and truth."""
    rng = p.rng
    n_target = p.count(DATASET)
    if n_target <= 0:
        return
    sales = _sales(p, max(8, round(n_target / ROWS_PER_SALE)))
    plan = _plan(rng, sales)
    used = np.zeros(len(sales), dtype=bool)
    plants = _plant_sales(p, sales, plan, used, n_target)
    rows = _rows(p, sales, plan)
    linked = _buyers(p, sales, rows, used, n_target)
    blank = rng.random(len(rows)) < 0.3
    rows["previous_auction_id"] = np.where(blank, None, rows.prev_row_id.to_numpy())
    for rule, (sale, k) in plants.items():
        p.plant(MODEL, rule, "judicial_auctions:" + _row_ids(rows, sale, k).astype(object))
    p.plant(MODEL, "AUC-BUYER-LINKED", "judicial_auctions:" + rows.auction_id.to_numpy()[linked])
    p.add(DATASET, rows.drop(columns=["k", "sale", "prev_row_id"]))


# -- sales: one item of one case -----------------------------------------------------------------


def _sales(p: Province, n: int) -> pd.DataFrame:
    """``n`` sales grouped into enforcement cases, each with an item, appraisal and debtor."""
    rng = p.rng
    n_cases = max(1, round(n / 1.18))
    case_of = np.sort(rng.integers(0, n_cases, n))
    case_of = np.unique(case_of, return_inverse=True)[1]  # no empty cases
    n_cases = int(case_of.max()) + 1
    region = p.pick_regions(n_cases)
    first = rng.integers(DATA_START.astype(int), DATA_END.astype(int) - 20, n_cases)
    years = (first.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970) - (
        rng.random(n_cases) < 0.3
    )
    cases = pd.DataFrame({"region": region, "year": years})
    seq = cases.groupby(["region", "year"]).cumcount().to_numpy() * 3 + rng.integers(1, 3, n_cases)
    court_code = np.array([p.county(r).court_code for r in region], dtype=object)
    case_no = ids.case_nos(court_code, years, np.full(n_cases, "执"), seq + 100)
    debtor = _debtors(p, n_cases)

    itype = rng.choice(5, size=n, p=ITEM_SHARES)
    median = np.array([VALUES[t][0] for t in range(5)])[itype]
    sigma = np.array([VALUES[t][1] for t in range(5)])[itype]
    floor = np.array([VALUES[t][2] for t in range(5)])[itype]
    appraisal = np.maximum(np.round(median * rng.lognormal(0, sigma) / 100) * 100, floor)
    basis = rng.choice(BASES, size=n, p=[0.65, 0.2, 0.1, 0.05])
    no_value = (basis == "当事人议价") & (rng.random(n) < 0.4)
    # later items of a case come up a little after the first
    offset = np.where(pd.Series(case_of).duplicated().to_numpy(), rng.integers(0, 90, n), 0)
    announce = np.minimum(first[case_of] + offset, DATA_END.astype(int) - 20)
    c = case_of
    return pd.DataFrame(
        {
            "region": region[c],
            "court": np.array([p.county(r).court for r in region], dtype=object)[c],
            "case_no": case_no[c],
            "itype": itype,
            "item_type": ITEM_TYPES[itype],
            "item_desc": _items(p, itype, region[c]),
            "movable": MOVABLE[itype],
            "appraisal": appraisal,
            "has_value": ~no_value,
            "reserve_basis": basis,
            "announce0": announce,
            "debtor_id": debtor.debtor_id.to_numpy()[c],
            "debtor_name": debtor.debtor_name.to_numpy()[c],
            "debtor_org": debtor.is_org.to_numpy()[c],
            "debtor_household": debtor.household_id.to_numpy()[c],
            "id_known": debtor.id_known.to_numpy()[c],
        }
    )


def _debtors(p: Province, n: int) -> pd.DataFrame:
    """Executed parties: about 55% people, 45% companies that have officers on record."""
    rng = p.rng
    is_org = rng.random(n) < 0.45
    out = pd.DataFrame(
        {
            "debtor_id": "",
            "debtor_name": "",
            "is_org": is_org,
            "household_id": None,
            "id_known": True,
        }
    ).astype({"debtor_id": object, "debtor_name": object, "household_id": object})
    n_p = int((~is_org).sum())
    pool = p.sample_people(max(1, min(n_p, p.n_people // 6)), min_age=25, max_age=70)
    pick = rng.integers(0, len(pool), n_p)
    out.loc[~is_org, "debtor_id"] = pool.person_id.to_numpy()[pick]
    out.loc[~is_org, "debtor_name"] = pool.name.to_numpy()[pick]
    out.loc[~is_org, "household_id"] = pool.household_id.to_numpy()[pick]
    out.loc[~is_org, "id_known"] = rng.random(n_p) > 0.03
    orgs = p.enterprises
    with_officers = orgs[orgs.org_id.isin(p.enterprise_people.org_id)]
    if len(with_officers) == 0:
        with_officers = p.new_enterprises(max(1, int(is_org.sum())), kind="company")
    pick = rng.integers(0, len(with_officers), int(is_org.sum()))
    out.loc[is_org, "debtor_id"] = with_officers.org_id.to_numpy()[pick]
    out.loc[is_org, "debtor_name"] = with_officers.name.to_numpy()[pick]
    return out


_STREETS = np.array(list("解放人民中山延安环城胜利和平建设新华文化健康平安兴业"))
_GOODS = np.array(["服装", "五金配件", "茶叶", "竹木制品", "钢材", "电子元件", "纺织面料", "家具"])
_MACHINES = np.array(["数控机床", "注塑机", "挖掘机", "织机", "叉车", "发电机组"])
_BRANDS = np.array(["大众", "丰田", "本田", "别克", "吉利", "比亚迪", "奥迪", "宝马"])
_RIGHTS = np.array(["商标专用权", "应收账款债权", "采矿权", "专利权", "租赁权"])


def _items(p: Province, itype: np.ndarray, region: np.ndarray) -> np.ndarray:
    """A unique description of each seized item, by type."""
    rng = p.rng
    n = len(itype)
    codes = pd.Series(region)
    county = codes.map({r: p.county(r).name for r in set(region)}).to_numpy(dtype=object)
    street = np.char.add(
        _STREETS[rng.integers(0, len(_STREETS), n)], _STREETS[rng.integers(0, len(_STREETS), n)]
    ).astype(object)
    num = rng.integers(1, 999, n).astype(str).astype(object)
    room = (rng.integers(1, 33, n) * 100 + rng.integers(1, 5, n)).astype(str).astype(object)
    kind = np.where(rng.random(n) < 0.8, "住宅", "商铺")
    house = (
        county
        + street
        + "路"
        + num
        + "号"
        + rng.integers(1, 30, n).astype(str)
        + "幢"
        + room
        + "室"
        + kind
    )
    car = np.full(n, "", dtype=object)
    cars = itype == 1
    prefix = codes[cars].map({r: p.county(r).plate_prefix for r in set(region)}).to_numpy()
    brand = _BRANDS[rng.integers(0, len(_BRANDS), int(cars.sum()))].astype(object)
    car[cars] = ids.plates(prefix.astype("<U2"), rng) + "号" + brand + "牌小型轿车"
    serial = rng.integers(10_000, 99_999, n).astype(str).astype(object)
    goods = np.where(
        rng.random(n) < 0.5,
        "库存"
        + _GOODS[rng.integers(0, len(_GOODS), n)].astype(object)
        + "一批（清单"
        + serial
        + "）",
        _MACHINES[rng.integers(0, len(_MACHINES), n)].astype(object) + "一台（编号" + serial + "）",
    )
    places = codes.map({r: names.short_place(p.county(r).name) for r in set(region)}).to_numpy()
    firms = places.astype(object) + names.trade_words(rng, n).astype(object) + "实业有限公司"
    equity = "被执行人持有的" + firms + rng.integers(5, 100, n).astype(str) + "%股权"
    right = (
        firms
        + "名下"
        + _RIGHTS[rng.integers(0, len(_RIGHTS), n)].astype(object)
        + "（"
        + serial
        + "）"
    )
    out = np.choose(itype, [house, car, goods, equity, right]).astype(object)
    dup = pd.Series(out).duplicated().to_numpy()
    out[dup] = out[dup] + "（" + np.flatnonzero(dup).astype(str) + "）"
    return out


# -- the plan of each sale: statuses, notice periods, gaps, prices ------------------------------


def _plan(rng: np.random.Generator, sales: pd.DataFrame) -> dict[str, np.ndarray]:
    """Lawful per-round parameters (S x 3 arrays) for every sale."""
    n = len(sales)
    mov = sales.movable.to_numpy()
    s0 = rng.choice(["成交", "流拍", "撤回", "中止", "暂缓"], n, p=[0.5, 0.38, 0.06, 0.04, 0.02])
    s1 = rng.choice(["成交", "流拍", "撤回"], n, p=[0.55, 0.4, 0.05])
    s2 = rng.choice(["成交", "流拍"], n, p=[0.6, 0.4])
    status = np.stack([s0, s1, s2], axis=1).astype(object)
    length = 1 + (s0 == "流拍") * (1 + (s1 == "流拍"))
    notice = np.zeros((n, 3), dtype=np.int64)
    notice[:, 0] = np.where(
        rng.random(n) < 0.3,
        np.where(mov, 15, 30),
        np.where(mov, rng.integers(16, 31, n), rng.integers(31, 46, n)),
    )
    for k in (1, 2):
        notice[:, k] = np.where(
            rng.random(n) < 0.3,
            np.where(mov, 7, 15),
            np.where(mov, rng.integers(8, 15, n), rng.integers(16, 26, n)),
        )
    gap = np.zeros((n, 3), dtype=np.int64)  # days from the previous round's end to this start
    gap[:, 1] = np.where(rng.random(n) < 0.15, 30, rng.integers(notice[:, 1] + 1, 30))
    gap[:, 2] = rng.integers(notice[:, 2] + 1, 46)  # 变卖: no 30-day term
    ratio0 = _mix(rng, n, [(0.45, 0.7), (0.15, 0.75), (0.2, 0.8), (0.1, 0.9), (0.1, 1.0)])
    cut1 = _mix(rng, n, [(0.7, 0.2), (0.15, 0.15), (0.15, 0.1)])
    deposit = np.stack([_mix(rng, n, [(0.2, 0.05), (0.45, 0.1), (0.1, 0.15), (0.25, 0.2)])
                        for _ in range(3)], axis=1)  # fmt: skip
    return {"status": status, "length": length, "notice": notice, "gap": gap,
            "ratio0": ratio0, "cut1": cut1, "cut2": np.zeros(n), "deposit": deposit}  # fmt: skip


Plants = dict[str, tuple[np.ndarray, np.ndarray]]
"""rule -> (sale indices, round index within the sale) of the planted suspect auctions."""


def _plant_sales(
    p: Province, sales: pd.DataFrame, plan: dict[str, np.ndarray], used: np.ndarray, n_rows: int
) -> Plants:
    """Change the plan of some early sales so that each breaks one rule, mostly just past the line."""
    rng = p.rng
    mov = sales.movable.to_numpy()
    early = sales.announce0.to_numpy() < PLANT_BEFORE.astype(int)
    two = plan["length"] >= 2
    out: Plants = {}

    def at(rule: str, s: np.ndarray, r: int) -> None:
        out[rule] = (s, np.full(len(s), r))

    s = _pick(rng, early, used, _k("AUC-NOTICE-SHORT", n_rows))
    short = _mix(rng, len(s), [(0.6, 1), (0.25, lambda m: rng.integers(2, 6, m)),
                               (0.15, lambda m: rng.integers(6, 11, m))])  # fmt: skip
    plan["notice"][s, 0] = np.where(mov[s], 15, 30) - short.astype(int)
    at("AUC-NOTICE-SHORT", s, 0)

    s = _pick(rng, early & two, used, _k("AUC-RENOTICE-SHORT", n_rows))
    short = _mix(rng, len(s), [(0.6, 1), (0.4, lambda m: rng.integers(2, 5, m))])
    plan["notice"][s, 1] = np.where(mov[s], 7, 15) - short.astype(int)
    at("AUC-RENOTICE-SHORT", s, 1)

    k = _k("AUC-RELAUNCH-LATE", n_rows)
    late = _pick(rng, early & two, used, k - k // 5)
    plan["gap"][late, 1] = 30 + _mix(rng, len(late), [
        (0.5, 1), (0.35, lambda m: rng.integers(2, 11, m)), (0.15, lambda m: rng.integers(11, 61, m)),
    ]).astype(int)  # fmt: skip
    never = _pick(rng, early & (plan["length"] == 1), used, k // 5)
    plan["status"][never, 0] = "流拍"  # and never re-auctioned (length stays 1)
    at("AUC-RELAUNCH-LATE", np.concatenate([late, never]), 0)

    s = _pick(rng, early & sales.has_value.to_numpy(), used, _k("AUC-START-LOW", n_rows))
    plan["ratio0"][s] = _mix(rng, len(s), [(0.4, 0.699), (0.2, 0.6999),
                                           (0.4, lambda m: rng.uniform(0.5, 0.69, m))])  # fmt: skip
    at("AUC-START-LOW", s, 0)

    s = _pick(rng, early & two, used, _k("AUC-CUT-DEEP", n_rows))
    plan["cut1"][s] = _mix(rng, len(s), [(0.3, 0.2001), (0.3, 0.201),
                                         (0.4, lambda m: rng.uniform(0.21, 0.4, m))])  # fmt: skip
    at("AUC-CUT-DEEP", s, 1)

    s = _pick(rng, early, used, _k("AUC-DEPOSIT-RANGE", n_rows))
    plan["deposit"][s, 0] = _mix(rng, len(s), [
        (0.25, 0.0499), (0.15, lambda m: rng.uniform(0.03, 0.049, m)),
        (0.25, 0.2001), (0.15, lambda m: rng.uniform(0.21, 0.5, m)),
        (0.2, lambda m: rng.uniform(0.005, 0.03, m)),
    ])  # fmt: skip
    at("AUC-DEPOSIT-RANGE", s, 0)
    return out


# -- rows ----------------------------------------------------------------------------------------


def _share(cents: np.ndarray, share: np.ndarray, up: np.ndarray) -> np.ndarray:
    """``share`` of amounts in fen, rounded up where ``up`` else down (to the fen)."""
    raw = cents * share
    return np.where(up, np.ceil(raw - 1e-6), np.floor(raw + 1e-6)).astype(np.int64)


def _rows(p: Province, sales: pd.DataFrame, plan: dict[str, np.ndarray]) -> pd.DataFrame:
    """One row per round held by the end of the data: dates, prices, deposits and outcome."""
    rng = p.rng
    n = len(sales)
    status = plan["status"]
    start, end, announce, price = (np.zeros((n, 3), dtype=np.int64) for _ in range(4))
    appraisal_c = np.round(sales.appraisal.to_numpy() * 100).astype(np.int64)
    ratio0 = plan["ratio0"]
    announce[:, 0] = sales.announce0.to_numpy()
    start[:, 0] = announce[:, 0] + plan["notice"][:, 0]
    price[:, 0] = _share(appraisal_c, ratio0, ratio0 >= 0.7)  # lawful: up; planted: down
    end[:, 0] = start[:, 0] + 1
    for r, cut in ((1, plan["cut1"]), (2, np.zeros(n))):
        start[:, r] = end[:, r - 1] + plan["gap"][:, r]
        announce[:, r] = start[:, r] - plan["notice"][:, r]
        price[:, r] = _share(price[:, r - 1], 1 - cut, cut <= 0.2)
        end[:, r] = start[:, r] + (
            1 if r == 1 else np.where(status[:, r] == "成交", rng.integers(1, 61, n), 60)
        )
    share = plan["deposit"]
    up = np.isclose(share, 0.05) | (share > 0.2 + 1e-9)  # 5% up, 20% down; planted: past the line
    deposit = _share(price, share, up)

    length = plan["length"]
    sale = np.repeat(np.arange(n), length)
    k = positions(length) if n else np.zeros(0, dtype=int)
    at = (sale, k)
    st = status[at]
    sold = st == "成交"
    m = len(sale)
    bidders = np.where(sold, 1 + rng.geometric(0.35, m), 0)
    bump = np.where(
        bidders > 1, np.round(price[at] * rng.uniform(0.0, 0.6, m) / 10_000) * 10_000, 0
    )
    day = lambda a: np.asarray(a).astype("datetime64[D]")  # noqa: E731
    frame = pd.DataFrame(
        {
            "auction_id": "",
            "court": sales.court.to_numpy()[sale],
            "region": sales.region.to_numpy()[sale],
            "case_no": sales.case_no.to_numpy()[sale],
            "item_type": sales.item_type.to_numpy()[sale],
            "item_desc": sales.item_desc.to_numpy()[sale],
            "round": ROUNDS[k],
            "appraisal_value": np.where(sales.has_value.to_numpy()[sale], appraisal_c[sale] / 100, np.nan),
            "reserve_basis": sales.reserve_basis.to_numpy()[sale],
            "start_price": price[at] / 100,
            "deposit": deposit[at] / 100,
            "announce_date": day(announce[at]),
            "start_date": day(start[at]),
            "end_date": day(end[at]),
            "status": st,
            "bidders": bidders,
            "deal_price": np.where(sold, (price[at] + bump) / 100, np.nan),
            "buyer_name": None,
            "buyer_id": None,
            "executed_party_name": sales.debtor_name.to_numpy()[sale],
            "executed_party_id": np.where(sales.id_known.to_numpy()[sale], sales.debtor_id.to_numpy()[sale], None),
            "payment_date": np.where(sold, day(end[at] + rng.integers(3, 21, m)), np.datetime64("NaT")),
            "k": k,
            "sale": sale,
        }
    )  # fmt: skip
    # rounds still running (or not announced yet) at the end of the data are not in the export
    frame = frame[frame.end_date <= DATA_END].reset_index(drop=True)
    frame["payment_date"] = frame.payment_date.where(frame.payment_date <= DATA_END)
    base = int(rng.integers(500_000_000_000, 600_000_000_000))
    frame["auction_id"] = (
        base + rng.permutation(rng.integers(1, 400, len(frame)).cumsum())
    ).astype(str)
    ids_by = pd.Series(
        frame.auction_id.to_numpy(), index=pd.MultiIndex.from_arrays([frame.sale, frame.k])
    )
    prev = ids_by.reindex(pd.MultiIndex.from_arrays([frame.sale, frame.k - 1])).to_numpy()
    frame["prev_row_id"] = np.where(pd.isna(prev), None, prev)
    return frame


def _row_ids(rows: pd.DataFrame, sale: np.ndarray, k: np.ndarray) -> np.ndarray:
    """The auction ids of rounds ``k`` of sales ``sale`` (every one must exist)."""
    ids_by = pd.Series(
        rows.auction_id.to_numpy(), index=pd.MultiIndex.from_arrays([rows.sale, rows.k])
    )
    return ids_by.reindex(pd.MultiIndex.from_arrays([sale, k])).to_numpy()


# -- buyers --------------------------------------------------------------------------------------


def _buyers(
    p: Province, sales: pd.DataFrame, rows: pd.DataFrame, used: np.ndarray, n_rows: int
) -> np.ndarray:
    """Fill buyers of sold rows: unrelated to the debtor, except planted links; returns their rows."""
    rng = p.rng
    sold = np.flatnonzero((rows.status == "成交").to_numpy())
    n = len(sold)
    people = p.sample_people(max(1, min(int(n * 0.6) + 1, p.n_people // 4)), min_age=22, max_age=70)
    orgs = p.enterprises
    household = pd.Series(p.people.household_id.to_numpy(), index=p.people.person_id.to_numpy())
    officer_pairs = set(zip(p.enterprise_people.org_id, p.enterprise_people.person_id, strict=True))
    debtor = rows.executed_party_id.to_numpy()[sold]
    debtor_hh = household.reindex(debtor).to_numpy()
    buyer = np.empty(n, dtype=object)
    name = np.empty(n, dtype=object)
    todo = np.ones(n, dtype=bool)
    for _ in range(30):
        idx = np.flatnonzero(todo)
        if not len(idx):
            break
        firm = rng.random(len(idx)) < 0.08
        pick = rng.integers(0, len(people), len(idx))
        fpick = rng.integers(0, max(1, len(orgs)), len(idx))
        buyer[idx] = np.where(
            firm, orgs.org_id.to_numpy()[fpick], people.person_id.to_numpy()[pick]
        )
        name[idx] = np.where(firm, orgs.name.to_numpy()[fpick], people.name.to_numpy()[pick])
        same_house = household.reindex(buyer[idx]).to_numpy() == debtor_hh[idx]
        insider = np.fromiter(((d, b) in officer_pairs for d, b in zip(debtor[idx], buyer[idx], strict=True)),
                              bool, len(idx))  # fmt: skip
        todo[idx] = (pd.notna(debtor_hh[idx]) & same_house) | insider | (buyer[idx] == debtor[idx])
    rows.loc[sold, "buyer_id"] = buyer
    rows.loc[sold, "buyer_name"] = name
    return _link_buyers(p, sales, rows, used, n_rows)


def _link_buyers(
    p: Province, sales: pd.DataFrame, rows: pd.DataFrame, used: np.ndarray, n_rows: int
) -> np.ndarray:
    """Plant buyers linked to the debtor below appraisal, and the lawful look-alikes."""
    rng = p.rng
    sale = rows.sale.to_numpy()
    start = rows.start_price.to_numpy()
    value = rows.appraisal_value.to_numpy()
    ok = (
        (rows.status == "成交").to_numpy()
        & (sales.announce0.to_numpy()[sale] < PLANT_BEFORE.astype(int))
        & ~used[sale]
        & pd.notna(rows.executed_party_id.to_numpy())
        & (start < np.nan_to_num(value) * 0.98)
    )
    org = sales.debtor_org.to_numpy()[sale]
    k = _k("AUC-BUYER-LINKED", n_rows)
    row_used = np.zeros(len(rows), dtype=bool)
    linked_hh = _pick(rng, ok & ~org, row_used, k - k // 2)
    linked_org = _pick(rng, ok & org, row_used, k // 2)
    fair_hh = _pick(rng, ok & ~org, row_used, max(2, k // 4))  # linked, but pays the appraisal
    fair_org = _pick(rng, ok & org, row_used, max(2, k // 4))
    self_buy = _pick(rng, ok, row_used, max(2, k // 3))  # the debtor may bid for its own item
    used[sale[row_used]] = True

    hh_rows = np.concatenate([linked_hh, fair_hh])
    kin = p.new_people(
        len(hh_rows), household=sales.debtor_household.to_numpy()[sale[hh_rows]], relation="子女"
    )
    rows.loc[hh_rows, "buyer_id"] = kin.person_id.to_numpy()
    rows.loc[hh_rows, "buyer_name"] = kin.name.to_numpy()
    org_rows = np.concatenate([linked_org, fair_org])
    first_officer = p.enterprise_people.drop_duplicates("org_id").set_index("org_id")
    officer = first_officer.reindex(rows.executed_party_id.to_numpy()[org_rows])
    rows.loc[org_rows, "buyer_id"] = officer.person_id.to_numpy()
    rows.loc[org_rows, "buyer_name"] = officer.name.to_numpy()
    rows.loc[self_buy, "buyer_id"] = rows.executed_party_id.to_numpy()[self_buy]
    rows.loc[self_buy, "buyer_name"] = rows.executed_party_name.to_numpy()[self_buy]

    below = np.concatenate([linked_hh, linked_org, self_buy])
    u = rng.uniform(0.05, 0.95, len(below))
    rows.loc[below, "deal_price"] = np.floor(start[below] + (value[below] - start[below]) * u)
    fair = np.concatenate([fair_hh, fair_org])
    over = np.where(rng.random(len(fair)) < 0.5, 1.0, rng.uniform(1.0, 1.3, len(fair)))
    rows.loc[fair, "deal_price"] = np.ceil(value[fair] * over)
    touched = np.concatenate([below, fair])
    rows.loc[touched, "bidders"] = rng.integers(1, 4, len(touched))
    return np.concatenate([linked_hh, linked_org])
