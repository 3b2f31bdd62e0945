"""The synthetic administrative penalties and police criminal cases (the 行刑衔接 family).

``admin_penalties`` spans some 42 law-enforcement domains; nearly all of it is
lawful ordinary enforcement below any criminal threshold. Four offence kinds carry
figures that the model compares with prosecution thresholds (mining value, sales
of fake goods, blood alcohol, tonnes of hazardous waste). Their facts come from
varied templates: the figure sits sometimes in a structured column, sometimes only
in the prose (非法采砂约3200吨，价值约9.6万元).

Planted per county, for each rule of ``admin_criminal_transfer``, at a realistic rate
(Hubei: about a million penalties give thousands of clues), most near the threshold:

- clues (truth): at or just over the threshold, not transferred, no matching case; also
  with a criminal case for the same party but another offence, or outside the window;
- hard negatives (no truth): just under the threshold; over it but transferred; over it
  with a case for the same party and offence within the window (365 days exactly
  included); over it with a case naming the penalty as its source; for the repeat rule,
  a first penalty more than two years back.

``criminal_cases`` holds the cases of transferred penalties (with ``source_case_id``),
cases the police opened directly, and unrelated crimes.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from huiyan.synth import ids
from huiyan.synth.base import Province, object_frame, random_dates
from huiyan.synth.names import short_place
from huiyan.synth.phrasing.facts import DrinkFacts, MiningFacts, ShoddyFacts, WasteFacts

log = logging.getLogger(__name__)

MODEL = "admin_criminal_transfer"
START, END = "2019-01-01", "2024-12-31"

# domain, agency suffix, case-number abbreviation, share of penalties, ordinary violations
DOMAINS: tuple[tuple[str, str, str, float, tuple[str, ...]], ...] = (
    (
        "公安治安",
        "公安局",
        "公（治）",
        0.10,
        ("扰乱公共秩序", "殴打他人", "赌博", "违反旅馆业管理规定"),
    ),
    (
        "公安交通管理",
        "公安局交通警察大队",
        "公交",
        0.25,
        ("超速行驶", "闯红灯", "未按规定停车", "驾驶时拨打手持电话"),
    ),
    (
        "市场监督管理",
        "市场监督管理局",
        "市监",
        0.09,
        ("虚假宣传", "无照经营", "价格违法", "未明码标价"),
    ),
    (
        "生态环境",
        "生态环境分局",
        "环",
        0.035,
        ("超标排放大气污染物", "未批先建", "未按规定设置排污口", "噪声扰民"),
    ),
    (
        "自然资源",
        "自然资源和规划局",
        "资规",
        0.02,
        ("非法占用土地", "未经批准临时用地", "违法测绘"),
    ),
    ("水利", "水利局", "水", 0.01, ("未经许可取水", "在河道管理范围内弃置渣土", "违法占用水域")),
    (
        "住房和城乡建设",
        "住房和城乡建设局",
        "建",
        0.03,
        ("未取得施工许可证擅自施工", "违法分包", "未按规定备案"),
    ),
    (
        "城市管理",
        "综合行政执法局",
        "综执",
        0.08,
        ("占道经营", "违法搭建", "乱张贴", "渣土运输撒漏"),
    ),
    ("交通运输", "交通运输局", "交", 0.03, ("非法营运", "超限运输", "未按规定维护车辆")),
    ("农业农村", "农业农村局", "农", 0.015, ("经营假兽药", "违规使用农药", "无证经营种子")),
    ("林业", "林业局", "林", 0.01, ("滥伐林木", "擅自改变林地用途", "无证运输木材")),
    ("卫生健康", "卫生健康局", "卫", 0.02, ("非法行医", "未取得卫生许可证", "医疗废物管理不规范")),
    ("药品监督管理", "市场监督管理局", "药监", 0.01, ("未按规定储存药品", "无证经营医疗器械")),
    (
        "应急管理",
        "应急管理局",
        "应急",
        0.02,
        ("未按规定开展安全培训", "安全设施不符合要求", "未落实隐患排查"),
    ),
    (
        "消防救援",
        "消防救援大队",
        "消",
        0.03,
        ("消防通道堵塞", "未按规定设置消防设施", "擅自停用消防设施"),
    ),
    ("税务", "税务局", "税", 0.04, ("未按期申报", "未按规定开具发票", "丢失发票")),
    (
        "人力资源和社会保障",
        "人力资源和社会保障局",
        "人社",
        0.01,
        ("拖欠劳动报酬", "未依法签订劳动合同"),
    ),
    ("医疗保障", "医疗保障局", "医保", 0.005, ("违规结算医保费用", "串换药品")),
    ("文化市场", "文化广电旅游局", "文", 0.01, ("网吧接纳未成年人", "无证经营演出")),
    ("教育", "教育局", "教", 0.003, ("违规举办校外培训",)),
    ("民政", "民政局", "民", 0.002, ("未按规定办理社会组织年检",)),
    ("商务", "商务局", "商", 0.003, ("单用途预付卡违规发行",)),
    ("烟草专卖", "烟草专卖局", "烟", 0.01, ("无证经营烟草制品", "违规运输烟草专卖品")),
    ("邮政管理", "邮政管理局", "邮", 0.003, ("快递收寄未验视",)),
    ("气象", "气象局", "气", 0.001, ("违规施放气球",)),
    ("统计", "统计局", "统", 0.001, ("迟报统计资料",)),
    ("渔政", "农业农村局", "渔", 0.006, ("禁渔期捕捞", "使用禁用渔具")),
    ("海事", "海事处", "海", 0.004, ("船舶未按规定配员", "未按规定显示信号")),
    ("通信管理", "通信管理局", "通", 0.001, ("未按规定落实实名登记",)),
    ("粮食和物资储备", "发展和改革局", "粮", 0.001, ("粮食收购未按规定备案",)),
    ("广播电视", "文化广电旅游局", "广", 0.001, ("擅自安装卫星地面接收设施",)),
    ("体育", "体育局", "体", 0.001, ("高危险性体育项目未经许可",)),
    ("档案", "档案局", "档", 0.0005, ("未按规定归档",)),
    ("保密", "保密局", "密", 0.0005, ("涉密载体管理不规范",)),
    ("人防", "人防办", "人防", 0.001, ("擅自拆除人防工程设施",)),
    ("地震", "应急管理局", "震", 0.0005, ("未按规定进行抗震设防",)),
    ("水务", "水务集团监管办", "水务", 0.003, ("违规接入公共排水管网",)),
    ("电力", "发展和改革局", "电", 0.001, ("窃电", "违章用电")),
    ("金融监管", "金融监管分局", "金", 0.001, ("违规发放贷款",)),
    ("外汇", "外汇管理局", "汇", 0.0005, ("未按规定办理外汇登记",)),
    ("公路", "公路与运输管理中心", "路", 0.01, ("擅自占用公路", "损坏公路设施")),
    ("城乡规划", "自然资源和规划局", "规", 0.01, ("未取得建设工程规划许可证",)),
)

RATES = {  # planted clues per penalty (Hubei: ~1,030,000 penalties -> a few thousand clues)
    "ACT-MINING-VALUE": 0.0008,
    "ACT-MINING-REPEAT": 0.0003,
    "ACT-SHODDY-GOODS": 0.0006,
    "ACT-DRUNK-DRIVING": 0.0010,
    "ACT-POLLUTION-WASTE": 0.0005,
}
BACKGROUND = {  # lawful penalties of each offence kind, per penalty
    "mining": 0.008,
    "shoddy": 0.02,
    "drink": 0.03,
    "drunk_sent": 0.012,
    "waste": 0.006,
    "solid_waste": 0.002,
}
UNRELATED_OFFENCES = (
    "盗窃罪",
    "诈骗罪",
    "故意伤害罪",
    "寻衅滋事罪",
    "开设赌场罪",
    "帮助信息网络犯罪活动罪",
    "掩饰、隐瞒犯罪所得罪",
    "交通肇事罪",
    "非法吸收公众存款罪",
    "妨害公务罪",
    "聚众斗殴罪",
)
CRIMINAL = {
    "mining": "非法采矿罪",
    "shoddy": "生产、销售伪劣产品罪",
    "drunk": "危险驾驶罪",
    "waste": "污染环境罪",
}
RIVERS = ("曹娥江", "浦阳江", "瓯江", "钱塘江", "富春江", "松阴溪", "好溪", "椒江", "苕溪", "剡溪")
PRODUCTS = (
    "电线电缆",
    "白酒",
    "复合肥",
    "钢筋",
    "电动车头盔",
    "儿童玩具",
    "汽车配件",
    "防水涂料",
    "插座",
    "瓷砖",
)
WASTES = ("废矿物油", "废铅蓄电池", "含铜污泥", "废有机溶剂", "废活性炭", "电镀污泥", "废乳化液")


@dataclass
class _Rows:
    """Rows of one dataset under construction (every county), as chunks of numpy columns."""

    cols: dict[str, list[np.ndarray]] = field(default_factory=dict)
    n: int = 0

    def add(self, **columns: Any) -> None:
        n = max(len(v) for v in columns.values() if isinstance(v, np.ndarray | list | pd.Series))
        for k, v in columns.items():
            if isinstance(v, np.ndarray | list | pd.Series):
                arr = np.asarray(v)
            else:
                arr = np.full(n, v, dtype=object if v is None or isinstance(v, str) else None)
            if arr.dtype.kind in "US":
                arr = arr.astype(object)
            self.cols.setdefault(k, []).append(arr)
        self.n += n

    def frame(self) -> pd.DataFrame:
        """Every row added, built once."""
        return object_frame({k: np.concatenate(v) for k, v in self.cols.items()})


class _Table:
    """Named numpy columns: a lightweight frame for the per-county loop (no pandas overhead)."""

    def __init__(self, cols: dict[str, np.ndarray]) -> None:
        self.cols = cols

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.__dict__["cols"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __len__(self) -> int:
        return len(next(iter(self.cols.values()))) if self.cols else 0

    @classmethod
    def of(cls, frame: pd.DataFrame, columns: tuple[str, ...]) -> _Table:
        return cls({c: frame[c].to_numpy().astype(object) for c in columns})

    def take(self, rows: Any) -> _Table:
        return _Table({k: v[rows] for k, v in self.cols.items()})

    def assign(self, **columns: Any) -> _Table:
        return _Table({**self.cols, **{k: np.asarray(v) for k, v in columns.items()}})

    def concat(self, other: _Table) -> _Table:
        return _Table({k: np.concatenate([v, other.cols[k]]) for k, v in self.cols.items()})


PERSON = ("person_id", "name")
ORG = ("org_id", "name", "legal_rep_id", "legal_rep_name")


def _years(dates: np.ndarray) -> np.ndarray:
    """The year of each date, as strings (an object array)."""
    y = np.asarray(dates, dtype="datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    return y.astype(str).astype(object)


def _where(mask: np.ndarray, values: Any) -> np.ndarray:
    """``values`` where ``mask`` holds, else None (an object array)."""
    out = np.full(len(mask), None, dtype=object)
    out[mask] = np.broadcast_to(np.asarray(values, dtype=object), (len(mask),))[mask]
    return out


class _County:
    """Generates one county's penalties and the criminal cases that answer them."""

    def __init__(
        self,
        p: Province,
        code: str,
        n: int,
        seq: list[int],
        pools: _Pools,
        rows: _Rows,
        cases: _Rows,
        truth: dict[str, list[np.ndarray]],
    ) -> None:
        self.p, self.rng, self.code, self.n = p, p.rng, code, n
        self.phrasing = p.phrasing
        c = p.county(code)
        self.city, self.name, self.short = c.city, c.name, short_place(c.name)[:1]
        self.place = short_place(c.name)
        self.plate_prefix = c.plate_prefix
        self.seq = seq
        self.rows, self.cases, self.truth = rows, cases, truth
        self.first_row, self.first_case = rows.n, cases.n
        self.people_used: list[np.ndarray] = []
        self.pool = pools.people.get(code, _Table({k: np.array([], object) for k in PERSON}))
        self.ents = {
            k: v.get(code, _Table({c: np.array([], object) for c in ORG}))
            for k, v in pools.orgs.items()
        }
        self.taken = 0
        self.ents_taken = dict.fromkeys(self.ents, 0)

    # -- helpers -------------------------------------------------------------------------------

    def k(self, rate: float, *, low: int = 1) -> int:
        return max(low, round(rate * self.n))

    def case_ids(self, abbr: Any, dates: np.ndarray) -> np.ndarray:
        m = len(dates)
        nums = np.arange(self.seq[0], self.seq[0] + m).astype(str).astype(object)
        self.seq[0] += m
        years = _years(dates)
        abbr = np.broadcast_to(np.asarray(abbr, dtype=object), (m,))
        return self.short + abbr + "罚〔" + years + "〕" + nums + "号"

    def parties(self, n: int, org_share: float, kind: str) -> _Table:
        """``n`` distinct fresh parties: people of this county and (a share of) new enterprises."""
        orgs = self.rng.random(n) < org_share
        k_org = int(orgs.sum())
        ppl = self.fresh_people(n - k_org)
        ent = self.fresh_orgs(k_org, kind)
        cols = {
            k: np.empty(n, dtype=object) for k in ("party_name", "party_id", "rep_id", "rep_name")
        }
        for key, src in (("party_name", "name"), ("party_id", "person_id")):
            cols[key][~orgs] = getattr(ppl, src)
        cols["rep_id"][~orgs] = cols["party_id"][~orgs]
        cols["rep_name"][~orgs] = cols["party_name"][~orgs]
        if k_org:
            for key, src in (
                ("party_name", "name"),
                ("party_id", "org_id"),
                ("rep_id", "legal_rep_id"),
                ("rep_name", "legal_rep_name"),
            ):
                cols[key][orgs] = getattr(ent, src)
        return _Table({"party_type": np.where(orgs, "法人", "自然人").astype(object), **cols})

    def fresh_people(self, n: int) -> _Table:
        """``n`` people of this county not used before by this family (distinct)."""
        if self.taken + n > len(self.pool):
            more = self.p.new_people(self.taken + n - len(self.pool) + 20, region=self.code)
            self.pool = self.pool.concat(_Table.of(more, PERSON))
        out = self.pool.take(slice(self.taken, self.taken + n))
        self.taken += n
        self.people_used.append(out.person_id)
        return out

    def fresh_orgs(self, n: int, kind: str) -> _Table:
        """``n`` new enterprises of ``kind`` in this county, made in bulk beforehand."""
        have, taken = self.ents.get(kind), self.ents_taken.get(kind, 0)
        if have is None or taken + n > len(have):
            more = _Table.of(self.p.new_enterprises(n + 10, region=self.code, kind=kind), ORG)
            have = more if have is None else have.concat(more)
            self.ents[kind] = have
        self.ents_taken[kind] = taken + n
        return have.take(slice(taken, taken + n))

    def generic_people(self) -> _Table:
        """The county's people this family has not used for a planted or lawful-offence row."""
        rest = self.pool.take(slice(self.taken, None))
        if not len(rest):
            rest = _Table.of(self.p.new_people(50, region=self.code), PERSON)
        return rest

    def _used(self) -> set[str]:
        return set(np.concatenate(self.people_used)) if self.people_used else set()

    def dates(self, n: int) -> np.ndarray:
        return random_dates(self.rng, START, END, n)

    def pick(self, options: tuple[str, ...] | list[str], n: int) -> np.ndarray:
        return np.asarray(options, dtype=object)[self.rng.integers(0, len(options), n)]

    def penalty(
        self,
        domain: Any,
        agency: Any,
        abbr: Any,
        party: _Table,
        violation: np.ndarray,
        facts: list[str],
        dates: np.ndarray,
        *,
        transferred: np.ndarray | bool = False,
        **extra: Any,
    ) -> np.ndarray:
        cid = self.case_ids(abbr, dates)
        n = len(cid)
        self.rows.add(
            case_id=cid,
            agency=f"{self.city}{self.name}"
            + np.broadcast_to(np.asarray(agency, dtype=object), (n,)),
            domain=np.broadcast_to(np.asarray(domain, dtype=object), (n,)),
            region=self.code,
            party_type=party.party_type,
            party_name=party.party_name,
            party_id=party.party_id,
            violation=violation,
            facts=facts,
            quantity=extra.get("quantity", np.full(n, np.nan)),
            quantity_unit=extra.get("quantity_unit", np.full(n, None, dtype=object)),
            goods_value=extra.get("goods_value", np.full(n, np.nan)),
            illegal_gain=extra.get("illegal_gain", np.full(n, np.nan)),
            fine=extra.get("fine", np.round(self.rng.uniform(500, 50_000, n), -2)),
            decision_date=dates,
            transferred=np.broadcast_to(np.asarray(transferred, dtype=bool), (n,)).copy(),
        )
        return cid

    def case(
        self,
        offence: Any,
        suspects: _Table | None,
        filed: np.ndarray,
        source: Any = None,
        *,
        ids_: np.ndarray | None = None,
        names_: np.ndarray | None = None,
    ) -> None:
        n = len(filed)
        sid = ids_ if ids_ is not None else suspects.party_id  # type: ignore[union-attr]
        sname = names_ if names_ is not None else suspects.party_name  # type: ignore[union-attr]
        nums = np.arange(self.seq[1], self.seq[1] + n)
        self.seq[1] += n
        years = _years(filed)
        self.cases.add(
            case_id=np.array(
                [f"A{self.code}{y}{s:08d}" for y, s in zip(years, nums, strict=True)], dtype=object
            ),
            region=self.code,
            offence=offence,
            suspect_name=sname,
            suspect_id=sid,
            filed_date=filed,
            source_case_id=source if source is not None else np.full(n, None, dtype=object),
        )


# -- offence kinds ---------------------------------------------------------------------------------


FACTS_TABLE = "synth_penalty_facts"
"""Hidden table: what the generator knows of each offence penalty (case_id, kind, the facts the
text was worded from as JSON, and the true deciding figure), for measuring readers."""


def _known(c: _County, cid: np.ndarray, kind: str, facts: list[Any], true: np.ndarray) -> None:
    import json
    from dataclasses import asdict

    c.p.add_table(
        FACTS_TABLE,
        pd.DataFrame(
            {
                "case_id": cid,
                "kind": kind,
                "facts": [json.dumps(asdict(f), ensure_ascii=False, default=str) for f in facts],
                "true_figure": np.asarray(true, dtype=float),
            }
        ),
    )


def _texts(c: _County, function: str, facts: list[Any]) -> tuple[np.ndarray, list[str]]:
    """(violation labels, facts paragraphs) of records, each worded by the workspace's phrasing.

    Each record has its own random stream, drawn from the county's: the data never depends on
    the family that words it.
    """
    seeds = c.rng.integers(0, 2**62, len(facts))
    out = [
        c.phrasing.render(function, f, random.Random(int(s)))
        for f, s in zip(facts, seeds, strict=True)
    ]
    return np.array([t.violation for t in out], dtype=object), [t.facts for t in out]


def _date(d: Any) -> dt.date:
    return pd.Timestamp(d).date()


def _mining(
    c: _County,
    values: np.ndarray,
    restricted: np.ndarray,
    dates: np.ndarray,
    party: _Table,
    *,
    transferred: Any = False,
) -> np.ndarray:
    n = len(values)
    rng = c.rng
    structured = rng.random(n) < 0.45
    tonnes = np.round(values / rng.uniform(25, 45, n))
    cubic = rng.random(n) < 0.35
    in_text = ~structured | (rng.random(n) < 0.4)
    period = rng.random(n) < 0.5
    denies = ~restricted & (rng.random(n) < 0.15)
    matches = rng.random(n) < 0.8
    river = c.pick(RIVERS, n)
    fine = np.round(values * rng.uniform(2, 5, n), -2)
    facts = [
        MiningFacts(
            party=party.party_name[i],
            party_kind="org" if party.party_type[i] == "法人" else "person",
            date=_date(dates[i]),
            place=river[i],
            value_yuan=float(values[i]) if in_text[i] else None,
            tonnes=None if cubic[i] else float(tonnes[i]),
            cubic_metres=float(round(tonnes[i] / 1.6)) if cubic[i] else None,
            restricted=("period" if period[i] else "zone") if restricted[i] else None,
            denies_restricted=bool(denies[i]),
            fine_yuan=float(fine[i]),
            label_matches=bool(matches[i]),
        )
        for i in range(n)
    ]
    violation, texts = _texts(c, "mining", facts)
    water = rng.random(n) < 0.5
    cid = c.penalty(
        np.where(water, "水利", "自然资源"),
        np.where(water, "水利局", "自然资源和规划局"),
        np.where(water, "水", "资规"),
        party,
        violation,
        texts,
        dates,
        transferred=transferred,
        goods_value=np.where(structured, values, np.nan),
        quantity=np.where(structured & ~cubic, tonnes, np.nan),
        quantity_unit=_where(structured & ~cubic, "吨"),
        fine=fine,
    )
    _known(c, cid, "mining", facts, values)
    return cid


def _shoddy(
    c: _County,
    sales: np.ndarray,
    unsold: np.ndarray,
    dates: np.ndarray,
    party: _Table,
    *,
    transferred: Any = False,
) -> np.ndarray:
    n = len(sales)
    rng = c.rng
    structured = rng.random(n) < 0.4
    gain = np.round(sales * rng.uniform(0.1, 0.3, n), 2)
    hidden = structured & (rng.random(n) < 0.5)
    matches = rng.random(n) < 0.8
    product = c.pick(PRODUCTS, n)
    fine = np.round(rng.uniform(500, 50_000, n), -2)
    facts = [
        ShoddyFacts(
            party=party.party_name[i],
            party_kind="org" if party.party_type[i] == "法人" else "person",
            date=_date(dates[i]),
            product=product[i],
            sales_yuan=float(sales[i]),
            unsold_yuan=None if unsold[i] > 0 and hidden[i] else float(unsold[i]),
            gain_yuan=float(gain[i]) if sales[i] > 0 and not structured[i] else None,
            fine_yuan=float(fine[i]),
            label_matches=bool(matches[i]),
        )
        for i in range(n)
    ]
    violation, texts = _texts(c, "shoddy", facts)
    cid = c.penalty(
        "市场监督管理",
        "市场监督管理局",
        "市监",
        party,
        violation,
        texts,
        dates,
        transferred=transferred,
        goods_value=np.where(structured & (unsold > 0), unsold, np.nan),
        illegal_gain=np.where(structured & (sales > 0), gain, np.nan),
        fine=fine,
    )
    _known(c, cid, "shoddy", facts, sales)
    return cid


def _drink(
    c: _County,
    bac: np.ndarray,
    dates: np.ndarray,
    party: _Table,
    *,
    transferred: Any = False,
    mislabel: np.ndarray | None = None,
    breath: np.ndarray | None = None,
    breath_only: np.ndarray | None = None,
) -> np.ndarray:
    """Drink-driving penalties; ``bac`` is the blood figure, or the breath figure where ``breath_only``.

    ``breath`` (optional) is a breath-test figure stated besides the blood test (nan: none).
    """
    n = len(bac)
    rng = c.rng
    only = np.zeros(n, bool) if breath_only is None else np.asarray(breath_only, bool)
    structured = (rng.random(n) < 0.35) & ~only
    plates = ids.plates(np.full(n, c.plate_prefix), rng)
    extra = np.full(n, np.nan) if breath is None else np.asarray(breath, float)
    matches = np.ones(n, bool) if mislabel is None else ~(np.asarray(mislabel, bool) & (bac >= 80))
    fine = np.where((bac >= 80) & matches, 0.0, rng.choice([1000.0, 1500.0, 2000.0], n))
    facts = []
    for i in range(n):
        blood = None if only[i] or structured[i] else float(bac[i])
        stated_breath = float(bac[i]) if only[i] else None
        if not only[i] and not structured[i] and not np.isnan(extra[i]):
            stated_breath = float(extra[i])
        facts.append(
            DrinkFacts(
                party=party.party_name[i],
                date=_date(dates[i]),
                plate=plates[i],
                place=c.place,
                blood_mg=blood,
                blood_in_record=bool(structured[i]),
                breath_mg=stated_breath,
                over_80=bool(bac[i] >= 80),
                fine_yuan=float(fine[i]),
                label_matches=bool(matches[i]),
            )
        )
    violation, texts = _texts(c, "drink", facts)
    cid = c.penalty(
        "公安交通管理",
        "公安局交通警察大队",
        "公交",
        party,
        violation,
        texts,
        dates,
        transferred=transferred,
        quantity=np.where(structured, bac, np.nan),
        quantity_unit=_where(structured, "mg/100ml"),
        fine=fine,
    )
    _known(c, cid, "drink", facts, bac)
    return cid


DISPOSAL = ("unlicensed", "dumped", "discharged")
KEEPING = ("stored", "labelling", "records")
"""Waste conduct: disposal (a crime from 3 t) and keeping violations (never a crime by weight)."""


def _waste(
    c: _County,
    kg: np.ndarray,
    dates: np.ndarray,
    party: _Table,
    *,
    transferred: Any = False,
    conduct: tuple[str, ...] = DISPOSAL,
) -> np.ndarray:
    n = len(kg)
    rng = c.rng
    structured = rng.random(n) < 0.4
    in_kg = rng.random(n) < 0.4
    matches = rng.random(n) < 0.75
    what = c.pick(conduct, n)
    waste = c.pick(WASTES, n)
    fine = np.round(rng.uniform(10_000, 500_000, n), -3)
    facts = [
        WasteFacts(
            party=party.party_name[i],
            party_kind="org" if party.party_type[i] == "法人" else "person",
            date=_date(dates[i]),
            waste=waste[i],
            tonnes=None if structured[i] else float(kg[i]) / 1000,
            conduct=what[i],
            fine_yuan=float(fine[i]),
            label_matches=bool(matches[i]),
        )
        for i in range(n)
    ]
    violation, texts = _texts(c, "waste", facts)
    cid = c.penalty(
        "生态环境",
        "生态环境分局",
        "环",
        party,
        violation,
        texts,
        dates,
        transferred=transferred,
        quantity=np.where(structured, np.where(in_kg, kg, kg / 1000), np.nan),
        quantity_unit=_where(structured, np.where(in_kg, "千克", "吨")),
        fine=fine,
    )
    _known(c, cid, "waste", facts, kg / 1000)
    return cid


# -- planting -------------------------------------------------------------------------------------


def _near(
    rng: np.random.Generator, n: int, low: float, high: float, step: float = 100.0
) -> np.ndarray:
    return np.round(rng.uniform(low, high, n) / step) * step


def _plant_offence(
    c: _County,
    kind: str,
    rule: str,
    make: Any,
    over: Any,
    under: Any,
    org_share: float,
    ent_kind: str,
) -> None:
    """Clues and hard negatives for one threshold rule (not the repeat rule)."""
    rng = c.rng
    k = c.k(RATES[rule], low=2)
    h = max(1, k // 3)
    groups = {  # name: (count, measures, is_clue)
        "clue": (k, over(k), True),
        "exact": (max(1, k // 4), over(max(1, k // 4), exact=True), True),
        "other_offence": (h, over(h), True),
        "outside_window": (h, over(h), True),
        "under": (k, under(k), False),
        "transferred": (h, over(h), False),
        "matched": (h + 1, over(h + 1), False),
        "source": (h, over(h), False),
    }
    for name, (n, measures, is_clue) in groups.items():
        party = c.parties(n, org_share, ent_kind)
        dates = random_dates(rng, "2019-06-01", "2024-06-30", n)
        cid = make(c, measures, dates, party, transferred=(name == "transferred"))
        if is_clue:
            c.truth[rule].append(cid)
        crime = CRIMINAL[kind]
        reps = party.assign(party_id=party.rep_id, party_name=party.rep_name)
        if name == "transferred":
            c.case(crime, reps, dates + rng.integers(5, 60, n).astype("timedelta64[D]"), cid)
        elif name == "other_offence":
            c.case(
                c.pick(UNRELATED_OFFENCES, n),
                party,
                dates + rng.integers(-300, 300, n).astype("timedelta64[D]"),
            )
        elif name == "outside_window":
            c.case(crime, party, dates - rng.integers(366, 700, n).astype("timedelta64[D]"))
        elif name == "matched":
            gap = rng.integers(-300, 366, n)
            gap[0] = 365
            if n > 1:
                gap[1] = -365
            c.case(crime, party, dates + gap.astype("timedelta64[D]"))
        elif name == "source":
            other = c.fresh_people(n)
            c.case(
                crime,
                None,
                dates + rng.integers(5, 90, n).astype("timedelta64[D]"),
                cid,
                ids_=other.person_id,
                names_=other.name,
            )


def _plant_mining_value(c: _County) -> None:
    rng = c.rng

    def over(n: int, exact: bool = False) -> tuple[np.ndarray, np.ndarray]:
        restricted = rng.random(n) < 0.35
        if exact:
            return np.where(restricted, 50_000.0, 100_000.0), restricted
        v = np.where(restricted, _near(rng, n, 50_000, 98_000), _near(rng, n, 100_000, 130_000))
        far = rng.random(n) < 0.2
        v[far] = _near(rng, int(far.sum()), 150_000, 800_000)
        return v, restricted

    def under(n: int, exact: bool = False) -> tuple[np.ndarray, np.ndarray]:
        restricted = rng.random(n) < 0.35
        v = np.where(restricted, _near(rng, n, 40_000, 49_900), _near(rng, n, 85_000, 99_900))
        edge = rng.random(n) < 0.3
        v[edge] = np.where(restricted[edge], 49_999.99, 99_999.99)
        return v, restricted

    def make(c: _County, m: Any, dates: np.ndarray, party: _Table, **kw: Any) -> np.ndarray:
        return _mining(c, m[0], m[1], dates, party, **kw)

    _plant_offence(c, "mining", "ACT-MINING-VALUE", make, over, under, 0.3, "mining")


def _plant_shoddy(c: _County) -> None:
    rng = c.rng

    def over(n: int, exact: bool = False) -> tuple[np.ndarray, np.ndarray]:
        by_sales = rng.random(n) < 0.65
        if exact:
            return np.where(by_sales, 50_000.0, 0.0), np.where(by_sales, 0.0, 150_000.0)
        sales = np.where(by_sales, _near(rng, n, 50_000, 90_000), _near(rng, n, 5_000, 40_000))
        unsold = np.where(
            by_sales,
            np.where(rng.random(n) < 0.5, _near(rng, n, 1_000, 100_000), 0.0),
            _near(rng, n, 150_000, 300_000),
        )
        return sales, unsold

    def under(n: int, exact: bool = False) -> tuple[np.ndarray, np.ndarray]:
        sales = _near(rng, n, 30_000, 49_900)
        sales[rng.random(n) < 0.3] = 49_999.99
        unsold = np.where(rng.random(n) < 0.5, _near(rng, n, 100_000, 149_900), 0.0)
        return sales, unsold

    def make(c: _County, m: Any, dates: np.ndarray, party: _Table, **kw: Any) -> np.ndarray:
        return _shoddy(c, m[0], m[1], dates, party, **kw)

    _plant_offence(c, "shoddy", "ACT-SHODDY-GOODS", make, over, under, 0.5, "trade")


def _plant_drunk(c: _County) -> None:
    """Blood tests decide; breath figures alone are clues too, a high breath over a low blood is not."""
    rng = c.rng

    def over(n: int, exact: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if exact:
            v = np.full(n, 80.0)
        else:
            v = rng.integers(80, 130, n).astype(float)
            far = rng.random(n) < 0.2
            v[far] = rng.integers(150, 260, int(far.sum()))
        only = rng.random(n) < 0.2  # a breath test only, no blood test stated
        breath = np.where(
            ~only & (rng.random(n) < 0.3), np.round(v + rng.uniform(-10, 30, n)), np.nan
        )
        return v, breath, only

    def under(n: int, exact: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        v = np.where(rng.random(n) < 0.5, 79.0, np.round(rng.uniform(60, 79.9, n), 1))
        only = rng.random(n) < 0.15
        # the breath screening read 80 or more, the blood test (which decides) did not
        breath = np.where(~only & (rng.random(n) < 0.5), rng.integers(80, 140, n), np.nan)
        return v, breath, only

    def make(c: _County, m: Any, dates: np.ndarray, party: _Table, **kw: Any) -> np.ndarray:
        # 以罚代刑: the drunk driver is often written up as mere drink driving
        bac, breath, only = m
        mislabel = rng.random(len(bac)) < 0.6
        return _drink(
            c, bac, dates, party, mislabel=mislabel, breath=breath, breath_only=only, **kw
        )

    _plant_offence(c, "drunk", "ACT-DRUNK-DRIVING", make, over, under, 0.0, "company")


def _plant_waste(c: _County) -> None:
    rng = c.rng

    def over(n: int, exact: bool = False) -> np.ndarray:
        if exact:
            return np.full(n, 3_000.0)
        kg = np.round(rng.uniform(3_000, 6_000, n), -1)
        far = rng.random(n) < 0.2
        kg[far] = np.round(rng.uniform(8_000, 40_000, int(far.sum())), -2)
        return kg

    def under(n: int, exact: bool = False) -> np.ndarray:
        return np.where(rng.random(n) < 0.4, 2_999.0, np.round(rng.uniform(1_500, 2_990, n), -1))

    def make(c: _County, m: Any, dates: np.ndarray, party: _Table, **kw: Any) -> np.ndarray:
        return _waste(c, m, dates, party, **kw)

    _plant_offence(c, "waste", "ACT-POLLUTION-WASTE", make, over, under, 0.7, "manufacturing")
    # storing, labelling or record-keeping of hazardous waste is no disposal, whatever the tonnage
    n = c.k(RATES["ACT-POLLUTION-WASTE"], low=2)
    party = c.parties(n, 0.7, "manufacturing")
    kg = np.round(rng.uniform(3_000, 40_000, n), -2)
    _waste(c, kg, random_dates(rng, "2019-06-01", "2024-06-30", n), party, conduct=KEEPING)


def _plant_repeat(c: _County) -> None:
    """Parties with three mining penalties: the third is a clue when both earlier fall in 2 years."""
    rng = c.rng
    k = c.k(RATES["ACT-MINING-REPEAT"], low=2)
    h = max(1, k // 2)
    for name, n in (("clue", k), ("old_first", h), ("transferred", h), ("matched", h)):
        party = c.parties(n, 0.25, "mining")
        third = random_dates(rng, "2021-06-01", "2024-06-30", n)
        if name == "old_first":
            first = third - rng.integers(745, 900, n).astype("timedelta64[D]")
        else:
            first = third - rng.integers(300, 700, n).astype("timedelta64[D]")
        second = first + ((third - first).astype(int) * rng.uniform(0.3, 0.7, n)).astype(
            "timedelta64[D]"
        )
        ids_ = []
        for d, last in ((first, False), (second, False), (third, True)):
            values = _near(rng, n, 3_000, 45_000)
            tr = last and name == "transferred"
            ids_.append(_mining(c, values, np.zeros(n, bool), d, party, transferred=tr))
        if name == "clue":
            c.truth["ACT-MINING-REPEAT"].append(ids_[2])
        elif name == "transferred":
            reps = party.assign(party_id=party.rep_id, party_name=party.rep_name)
            c.case(
                CRIMINAL["mining"],
                reps,
                third + rng.integers(5, 60, n).astype("timedelta64[D]"),
                ids_[2],
            )
        elif name == "matched":
            c.case(
                CRIMINAL["mining"], party, third + rng.integers(10, 200, n).astype("timedelta64[D]")
            )


# -- background -----------------------------------------------------------------------------------


def _background(c: _County, generic: _Table, companies: _Table) -> None:
    rng = c.rng
    b = {k: c.k(v, low=1) for k, v in BACKGROUND.items()}

    def draw(n: int, org_share: float) -> _Table:
        """Parties drawn with replacement from the county's people and companies."""
        orgs = (rng.random(n) < org_share) if len(companies) else np.zeros(n, bool)
        pi = rng.integers(0, len(generic), n)
        names_ = generic.name[pi].astype(object)
        pids = generic.person_id[pi].astype(object)
        if orgs.any():
            ci = rng.integers(0, len(companies), int(orgs.sum()))
            names_[orgs] = companies.name[ci]
            pids[orgs] = companies.org_id[ci]
        pids[~orgs & (rng.random(n) < 0.02)] = None  # some exports leave the ID blank
        return _Table(
            {
                "party_type": np.where(orgs, "法人", "自然人").astype(object),
                "party_name": names_,
                "party_id": pids,
                "rep_id": pids,
                "rep_name": names_,
            }
        )

    # lawful mining: distinct parties (so no one reaches three penalties), below the threshold
    n = b["mining"]
    party = c.parties(n, 0.25, "mining")
    restricted = rng.random(n) < 0.15
    v = np.where(restricted, _near(rng, n, 2_000, 40_000), _near(rng, n, 2_000, 85_000))
    _mining(c, v, restricted, c.dates(n), party)
    # shoddy goods below the threshold
    n = b["shoddy"]
    _shoddy(
        c,
        _near(rng, n, 500, 30_000),
        np.where(rng.random(n) < 0.4, _near(rng, n, 1_000, 90_000), 0.0),
        c.dates(n),
        draw(n, 0.4),
    )
    # drink driving (20-79 mg) and drunk driving sent to the police with its case
    n = b["drink"]
    _drink(c, np.round(rng.uniform(20, 78, n)), c.dates(n), draw(n, 0.0))
    n = b["drunk_sent"]
    party, dates = draw(n, 0.0), c.dates(n)
    party = party.take(np.flatnonzero(pd.notna(party.party_id)))
    dates = dates[: len(party)]
    cid = _drink(c, rng.integers(80, 220, len(party)).astype(float), dates, party, transferred=True)
    src = _where(rng.random(len(party)) < 0.9, cid)
    c.case(
        "危险驾驶罪", party, dates + rng.integers(0, 30, len(party)).astype("timedelta64[D]"), src
    )
    # hazardous waste below 3 t, and general solid waste (not hazardous) of any tonnage
    n = b["waste"]
    _waste(
        c,
        np.round(rng.uniform(50, 2_900, n), -1),
        c.dates(n),
        draw(n, 0.7),
        conduct=DISPOSAL + KEEPING,
    )
    n = b["solid_waste"]
    party = draw(n, 0.9)
    tonnes = np.round(rng.uniform(5, 60, n))
    c.penalty(
        "生态环境",
        "生态环境分局",
        "环",
        party,
        np.full(n, "未按规定贮存一般工业固体废物", dtype=object),
        [
            f"经查，{party.party_name[i]}露天堆放一般工业固体废物约{tonnes[i]:g}吨，未采取防扬散措施。"
            for i in range(n)
        ],
        c.dates(n),
        quantity=tonnes,
        quantity_unit="吨",
    )
    # every other domain: ordinary violations with no criminal figure
    left = c.n - (c.rows.n - c.first_row)
    if left <= 0:
        return
    shares = np.array([d[3] for d in DOMAINS])
    which = rng.choice(len(DOMAINS), size=left, p=shares / shares.sum())
    dom = np.array([d[0] for d in DOMAINS], dtype=object)[which]
    agency = np.array([d[1] for d in DOMAINS], dtype=object)[which]
    abbr = np.array([d[2] for d in DOMAINS], dtype=object)[which]
    pick = rng.random(left)
    act = np.array(
        [DOMAINS[j][4][int(u * len(DOMAINS[j][4]))] for j, u in zip(which, pick, strict=True)],
        dtype=object,
    )
    party = draw(left, 0.2)
    names_ = party.party_name.astype(object)
    facts = (
        "经查，当事人" + names_ + "存在" + act + "的违法行为，违反了相关法律法规的规定。"
    ).tolist()
    c.penalty(dom, agency, abbr, party, act, facts, c.dates(left))


def _cases_fill(c: _County, target: int, generic: _Table) -> None:
    """Police-opened cases and unrelated crimes, up to the county's share of criminal_cases."""
    rng = c.rng
    have = c.cases.n - c.first_case
    left = max(0, target - have)
    if not left:
        return
    direct = round(left * 0.15)
    fresh = c.fresh_people(direct)
    offence = c.pick(
        ["危险驾驶罪"] * 6 + [CRIMINAL["mining"], CRIMINAL["waste"], CRIMINAL["shoddy"]], direct
    )
    c.case(
        offence,
        None,
        c.dates(direct),
        ids_=fresh.person_id,
        names_=fresh.name,
    )
    n = left - direct
    pi = rng.integers(0, len(generic), n)
    c.case(
        c.pick(UNRELATED_OFFENCES, n),
        None,
        c.dates(n),
        ids_=generic.person_id[pi],
        names_=generic.name[pi],
    )


@dataclass
class _Pools:
    """People and new enterprises for every county, drawn in bulk before the county loop."""

    people: dict[str, _Table]
    orgs: dict[str, dict[str, _Table]]


ORG_NEEDS = {"mining": 0.004, "trade": 0.0015, "manufacturing": 0.002}
"""New enterprises made per penalty, by kind (planted and lawful-offence parties)."""


def _by_region(regions: np.ndarray, table: _Table) -> dict[str, _Table]:
    """``table`` split by county code, each part in its original order."""
    codes, uniq = pd.factorize(np.asarray(regions, dtype=object))
    order = np.argsort(codes, kind="stable")
    cuts = np.flatnonzero(np.diff(codes[order])) + 1
    return {str(uniq[codes[g[0]]]): table.take(g) for g in np.split(order, cuts) if len(g)}


def _pools(p: Province, codes: list[str], per_county: np.ndarray) -> _Pools:
    age, alive = p._masks()
    rows = np.flatnonzero((age >= 20) & (age <= 70) & alive)
    rows = rows[p.rng.permutation(len(rows))]
    adults = p.person_rows(rows)
    people = _by_region(adults.region.to_numpy(), _Table.of(adults, PERSON))
    orgs: dict[str, dict[str, _Table]] = {}
    for kind, rate in ORG_NEEDS.items():
        counts = np.round(per_county * rate).astype(int) + 25
        made = p.new_enterprises(int(counts.sum()), region=np.repeat(codes, counts), kind=kind)
        orgs[kind] = _by_region(made.region.to_numpy(), _Table.of(made, ORG))
    return _Pools(people, orgs)


def build(p: Province) -> None:
    """Add ``admin_penalties`` and ``criminal_cases`` to ``p`` and plant the 行刑衔接 truth."""
    total = p.count("admin_penalties")
    if total <= 0:
        return
    codes = [c.code for c in p.counties]
    weights = np.asarray(getattr(p, "county_weights", np.full(len(codes), 1 / len(codes))))
    per_county = np.maximum(1, np.round(total * weights / weights.sum())).astype(int)
    cases_per = np.round(p.count("criminal_cases") * weights / weights.sum()).astype(int)
    seq = [1, 1]
    rows, cases = _Rows(), _Rows()
    truth: dict[str, list[np.ndarray]] = {r: [] for r in RATES}
    ents = p.enterprises
    background_orgs = _by_region(ents.region.to_numpy(), _Table.of(ents, ("org_id", "name")))
    no_orgs = _Table({"org_id": np.array([], object), "name": np.array([], object)})
    pools = _pools(p, codes, per_county)
    for code, n, n_cases in zip(codes, per_county, cases_per, strict=True):
        c = _County(p, code, int(n), seq, pools, rows, cases, truth)
        companies = background_orgs.get(code, no_orgs)
        _plant_mining_value(c)
        _plant_repeat(c)
        _plant_shoddy(c)
        _plant_drunk(c)
        _plant_waste(c)
        generic = c.generic_people()
        _background(c, generic, companies)
        _cases_fill(c, int(n_cases), generic)
    for rule, refs in truth.items():
        if refs:
            p.plant(MODEL, rule, "admin_penalties:" + np.concatenate(refs).astype(object))
    p.add("admin_penalties", rows.frame())
    p.add("criminal_cases", cases.frame())
    log.debug("penalties: %d penalties, %d cases", rows.n, cases.n)
