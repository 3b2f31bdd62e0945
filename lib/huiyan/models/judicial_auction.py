"""网络司法拍卖程序监督 judicial_auction: online judicial auctions checked against 法释〔2016〕18号.

Seven rules read the auction pages (``judicial_auctions``) and, for the buyer
check, household registration (``households``) and company officers
(``enterprise_people``). Every boundary is the law's own: a 15/30/7-day
notice, a 70% start price, a 20% cut or a 5%/20% deposit that sits exactly on
the line is lawful and gives no clue.

Decisions the law leaves to the reader, made here and shown in every clue:

* Item classes (art. 12, 26): 动产 and 机动车 are movables; 不动产, 股权 and
  其他财产权 take the longer periods. 股权 (equity) is a property right, not a
  thing, so it counts among "其他财产权".
* Rounds: 一拍 is the first auction; 二拍 and 变卖 are re-auctions whose previous
  round is ``previous_auction_id`` or, when that is blank, the latest earlier
  auction (by start date) of the same court, case number and item.
* AUC-RELAUNCH-LATE measures from the failed 一拍's end date to the start date
  of its re-auction: art. 26 says the item must be auctioned again (再次拍卖)
  within 30 days, and an auction takes place when it starts. It screens failed
  一拍 only: after a failed 二拍 the court *may* sell (变卖) with no 30-day term.
  A failed 一拍 with no re-auction at all is a clue (score 0.5) only when the
  latest announcement in the data is more than 30 days after it ended, so a
  sale that failed last week is never flagged; the court may have closed it
  lawfully (以物抵债, settlement), which the prosecutor checks.
* Money is compared to the fen: 70% of the appraisal is rounded down to the
  fen, so a start price that misses 70% only by rounding is no clue.

Example (in a notebook)::

    from huiyan.models import judicial_auction as m
    hits = m.run_rules(ws, region="331124")
    found = hy.clues.collect(*hits)
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from huiyan.canonical import keyed
from huiyan.counties import by_county, same_county
from huiyan.rules import Hits, parameters, ref, rule, text
from huiyan.workspace import Workspace

MODEL = "judicial_auction"
DATASETS = ("judicial_auctions", "households", "enterprise_people")

PARAMETERS: dict[str, tuple[Any, str, str]] = {
    "notice_days_movable": (15, "int", "动产、机动车一拍公告期下限（日）"),
    "notice_days_property": (30, "int", "不动产、股权及其他财产权一拍公告期下限（日）"),
    "renotice_days_movable": (7, "int", "动产、机动车再次拍卖公告期下限（日）"),
    "renotice_days_property": (15, "int", "不动产、股权及其他财产权再次拍卖公告期下限（日）"),
    "relaunch_days": (30, "int", "流拍后再次拍卖的期限（日）"),
    "flag_unrelaunched": (True, "bool", "流拍后超过期限仍未再次拍卖是否列为线索"),
    "min_start_ratio": (0.7, "float", "一拍起拍价不得低于评估价的比例"),
    "max_cut": (0.2, "float", "再次拍卖起拍价降价幅度上限"),
    "deposit_min": (0.05, "float", "保证金不得低于起拍价的比例"),
    "deposit_max": (0.2, "float", "保证金不得高于起拍价的比例"),
}

FIRST_ROUND = "一拍"
RE_ROUNDS = ("二拍", "变卖")
MOVABLES = ("动产", "机动车")
PROPERTY_RIGHTS = ("不动产", "股权", "其他财产权")
_EPS = 1e-6  # cents: keeps 70% of 10000 fen at 7000, not 6999.999...
_BASIS = "《最高人民法院关于人民法院网络司法拍卖若干问题的规定》（法释〔2016〕18号）"


def _cents(x: ir.NumericValue) -> ir.IntegerValue:
    return (x * 100).round().cast("int64")


def _floor_share(cents: ir.IntegerValue, share: float) -> ir.IntegerValue:
    """``share`` of an amount in fen, rounded down to the fen."""
    return (cents * share + _EPS).floor().cast("int64")


def _ceil_share(cents: ir.IntegerValue, share: float) -> ir.IntegerValue:
    """``share`` of an amount in fen, rounded up to the fen."""
    return (cents * share - _EPS).ceil().cast("int64")


def _date(x: ir.DateValue) -> ir.StringValue:
    return x.cast("string")


def _blank(x: ir.StringValue) -> ir.StringValue:
    return text(x)


def _is_movable(t: ir.Table) -> ir.BooleanValue:
    return t.item_type.isin(MOVABLES)


def _common(t: ir.Table) -> dict[str, ir.Value]:
    """Columns every hit of this model carries: subject, region, name, amount, evidence."""
    return {
        "subject_id": t.auction_id,
        "region": t.region,
        "subject_name": t.item_desc,
        "amount": t.appraisal_value.coalesce(t.start_price).cast("float64"),
        "evidence": ibis.array([ref("judicial_auctions", t.auction_id)]),
        "court": t.court,
        "case_no": t.case_no,
        "item_type": t.item_type,
        "item_desc": t.item_desc,
        "round": t.round,
    }


def rounds(auctions: ir.Table) -> ir.Table:
    """Every auction with its previous round (``prev_*`` columns; null for a first auction).

    The previous round is ``previous_auction_id`` when given, else the latest
    earlier auction (by start date, then announcement date) of the same court,
    case number and item description. Only 二拍 and 变卖 have one.
    """
    t = _link(auctions)
    county = [c.name("prev_county") for c in by_county(auctions)]
    prev = auctions.select(
        *county,
        prev_id=auctions.auction_id,
        prev_round=auctions.round,
        prev_status=auctions.status,
        prev_start_price=auctions.start_price,
        prev_start_date=auctions.start_date,
        prev_end_date=auctions.end_date,
    )
    same = [c == prev.prev_county for c in by_county(t)]  # an each-county run: its own county
    joined = t.left_join(prev, ["prev_id", *same])
    return joined.drop("prev_id_right", *[c.get_name() for c in county])


def _link(auctions: ir.Table) -> ir.Table:
    """Every auction with ``prev_id``, the id of its previous round (see :func:`rounds`)."""
    w = ibis.window(
        group_by=[auctions.court, auctions.case_no, auctions.item_desc, *by_county(auctions)],
        order_by=[auctions.start_date, auctions.announce_date, auctions.auction_id],
    )
    t = auctions.mutate(_inferred=auctions.auction_id.lag().over(w))
    t = t.mutate(
        prev_id=ibis.ifelse(
            t.round.isin(RE_ROUNDS),
            _blank(t.previous_auction_id).coalesce(t._inferred),
            ibis.null("string"),
        )
    ).drop("_inferred")
    return t


@rule(
    "AUC-NOTICE-SHORT",
    model=MODEL,
    zh="一拍公告期不足：动产、机动车少于15日，不动产、股权及其他财产权少于30日",
    basis=f"{_BASIS}第十二条",
    subject_type="auction",
    summary=(
        "{court}{case_no}{item_type}“{item_desc}”一拍于{announce}公告、{start}开拍，"
        "公告期仅{days}日，少于法定{min_days}日（法释〔2016〕18号第十二条）。"
    ),
    needs=("judicial_auctions.announce_date", "judicial_auctions.start_date"),
)
def notice_short(
    auctions: ir.Table, *, notice_days_movable: int = 15, notice_days_property: int = 30
) -> ir.Table:
    """First auctions announced fewer than 15 (movables) / 30 (other) days before they start."""
    t = auctions.filter(auctions.round == FIRST_ROUND)
    t = t.mutate(
        days=t.start_date.delta(t.announce_date, unit="day"),
        min_days=ibis.ifelse(_is_movable(t), notice_days_movable, notice_days_property),
    )
    hit = t.filter(t.days < t.min_days)
    return hit.select(
        **_common(hit),
        announce=_date(hit.announce_date),
        start=_date(hit.start_date),
        days=hit.days,
        min_days=hit.min_days,
    )


@rule(
    "AUC-RENOTICE-SHORT",
    model=MODEL,
    zh="再次拍卖公告期不足：动产、机动车少于7日，不动产、股权及其他财产权少于15日",
    basis=f"{_BASIS}第二十六条",
    subject_type="auction",
    summary=(
        "{court}{case_no}{item_type}“{item_desc}”{round}于{announce}公告、{start}开拍，"
        "公告期仅{days}日，少于法定{min_days}日（法释〔2016〕18号第二十六条）。"
    ),
    needs=("judicial_auctions.announce_date", "judicial_auctions.start_date"),
)
def renotice_short(
    auctions: ir.Table, *, renotice_days_movable: int = 7, renotice_days_property: int = 15
) -> ir.Table:
    """Re-auctions (二拍, 变卖) announced fewer than 7 (movables) / 15 (other) days before they start."""
    t = auctions.filter(auctions.round.isin(RE_ROUNDS))
    t = t.mutate(
        days=t.start_date.delta(t.announce_date, unit="day"),
        min_days=ibis.ifelse(_is_movable(t), renotice_days_movable, renotice_days_property),
    )
    hit = t.filter(t.days < t.min_days)
    return hit.select(
        **_common(hit),
        announce=_date(hit.announce_date),
        start=_date(hit.start_date),
        days=hit.days,
        min_days=hit.min_days,
    )


@rule(
    "AUC-RELAUNCH-LATE",
    model=MODEL,
    zh="一拍流拍后未在30日内再次拍卖",
    basis=f"{_BASIS}第二十六条",
    subject_type="auction",
    summary=(
        "{court}{case_no}{item_type}“{item_desc}”一拍于{end}流拍，{detail}，"
        "超过流拍后{limit}日内再次拍卖的期限（法释〔2016〕18号第二十六条）。"
    ),
    needs=("judicial_auctions.end_date", "judicial_auctions.status"),
)
def relaunch_late(
    auctions: ir.Table, *, relaunch_days: int = 30, flag_unrelaunched: bool = True
) -> ir.Table:
    """Failed first auctions whose re-auction starts more than 30 days after they ended (or never)."""
    linked = _link(auctions)
    nxt = (
        linked.filter(linked.prev_id.notnull())
        .group_by(*by_county(linked), next_of=linked.prev_id)
        .aggregate(
            next_id=linked.auction_id.argmin(linked.start_date),
            next_start=linked.start_date.min(),
        )
    )
    failed = auctions.filter((auctions.round == FIRST_ROUND) & (auctions.status == "流拍"))
    t = failed.left_join(nxt, [failed.auction_id == nxt.next_of, *same_county(failed, nxt)])
    county = by_county(auctions)  # the data's latest notice: of the county, in an each-county run
    if county:
        as_of = auctions.group_by(county).aggregate(as_of=auctions.announce_date.max())
        t = t.join(as_of, same_county(t, as_of))
    else:
        t = t.cross_join(auctions.aggregate(as_of=auctions.announce_date.max()))
    relaunched = t.next_start.notnull()
    t = t.mutate(
        gap=ibis.ifelse(
            relaunched,
            t.next_start.delta(t.end_date, unit="day"),
            t.as_of.delta(t.end_date, unit="day"),
        )
    )
    late = relaunched | ibis.literal(flag_unrelaunched)
    hit = t.filter(late & (t.gap > relaunch_days))
    detail = ibis.ifelse(
        hit.next_start.notnull(),
        ibis.literal("再次拍卖（")
        .concat(hit.next_id.coalesce(""), "）至", _date(hit.next_start), "才开拍，间隔")
        .concat(hit.gap.cast("string"), "日"),
        ibis.literal("截至数据最新公告日").concat(
            _date(hit.as_of), "（已过", hit.gap.cast("string"), "日）未见再次拍卖"
        ),
    )
    return hit.select(
        **_common(hit),
        context=ibis.array([ref("judicial_auctions", hit.next_id)]),
        score=ibis.ifelse(hit.next_start.notnull(), 0.8, 0.5),
        end=_date(hit.end_date),
        detail=detail,
        gap=hit.gap,
        limit=ibis.literal(relaunch_days),
    )


@rule(
    "AUC-START-LOW",
    model=MODEL,
    zh="一拍起拍价低于评估价的70%",
    basis=f"{_BASIS}第十条",
    subject_type="auction",
    summary=(
        "{court}{case_no}{item_type}“{item_desc}”一拍起拍价{start_price:,.2f}元，"
        "为评估价{appraisal_value:,.2f}元的{pct:.3f}%，低于评估价的{min_pct:g}%即{floor_price:,.2f}元"
        "（法释〔2016〕18号第十条）。"
    ),
    needs=("judicial_auctions.start_price", "judicial_auctions.appraisal_value"),
)
def start_low(auctions: ir.Table, *, min_start_ratio: float = 0.7) -> ir.Table:
    """First auctions whose start price is below 70% of the appraisal value (to the fen)."""
    t = auctions.filter(
        (auctions.round == FIRST_ROUND)
        & auctions.appraisal_value.notnull()
        & (auctions.appraisal_value > 0)
    )
    hit = t.filter(_cents(t.start_price) < _floor_share(_cents(t.appraisal_value), min_start_ratio))
    return hit.select(
        **_common(hit),
        start_price=hit.start_price.cast("float64"),
        appraisal_value=hit.appraisal_value.cast("float64"),
        pct=(hit.start_price / hit.appraisal_value * 100).cast("float64"),
        min_pct=ibis.literal(min_start_ratio * 100),
        floor_price=(_floor_share(_cents(hit.appraisal_value), min_start_ratio) / 100).cast(
            "float64"
        ),
    )


@rule(
    "AUC-CUT-DEEP",
    model=MODEL,
    zh="再次拍卖起拍价较前次起拍价降价超过20%",
    basis=f"{_BASIS}第二十六条",
    subject_type="auction",
    summary=(
        "{court}{case_no}{item_type}“{item_desc}”{round}起拍价{start_price:,.2f}元，"
        "较前次（{prev_id}）起拍价{prev_start_price:,.2f}元降低{cut_pct:.3f}%，"
        "超过{max_pct:g}%，即低于{floor_price:,.2f}元（法释〔2016〕18号第二十六条）。"
    ),
    needs=("judicial_auctions.start_price", "judicial_auctions.previous_auction_id"),
)
def cut_deep(auctions: ir.Table, *, max_cut: float = 0.2) -> ir.Table:
    """Re-auctions whose start price is more than 20% below the previous round's (to the fen)."""
    t = rounds(auctions)
    t = t.filter(t.prev_start_price.notnull() & (t.prev_start_price > 0))
    hit = t.filter(_cents(t.start_price) < _floor_share(_cents(t.prev_start_price), 1 - max_cut))
    return hit.select(
        **_common(hit),
        context=ibis.array([ref("judicial_auctions", hit.prev_id)]),
        prev_id=hit.prev_id,
        start_price=hit.start_price.cast("float64"),
        prev_start_price=hit.prev_start_price.cast("float64"),
        cut_pct=((1 - hit.start_price / hit.prev_start_price) * 100).cast("float64"),
        max_pct=ibis.literal(max_cut * 100),
        floor_price=(_floor_share(_cents(hit.prev_start_price), 1 - max_cut) / 100).cast("float64"),
    )


@rule(
    "AUC-DEPOSIT-RANGE",
    model=MODEL,
    zh="保证金不在起拍价的5%至20%之间",
    basis=f"{_BASIS}第十七条",
    subject_type="auction",
    summary=(
        "{court}{case_no}{item_type}“{item_desc}”{round}保证金{deposit:,.2f}元，"
        "为起拍价{start_price:,.2f}元的{pct:.3f}%，{side}，应在{low:,.2f}元至{high:,.2f}元之间"
        "（法释〔2016〕18号第十七条）。"
    ),
    needs=("judicial_auctions.deposit", "judicial_auctions.start_price"),
)
def deposit_range(
    auctions: ir.Table, *, deposit_min: float = 0.05, deposit_max: float = 0.2
) -> ir.Table:
    """Auctions whose deposit is below 5% or above 20% of the start price (to the fen)."""
    t = auctions.filter(
        auctions.deposit.notnull() & auctions.start_price.notnull() & (auctions.start_price > 0)
    )
    dep, start = _cents(t.deposit), _cents(t.start_price)
    t = t.mutate(
        _low=dep < _floor_share(start, deposit_min), _high=dep > _ceil_share(start, deposit_max)
    )
    hit = t.filter(t._low | t._high)
    side = ibis.ifelse(
        hit._low,
        ibis.literal(f"低于法定下限{deposit_min * 100:g}%"),
        ibis.literal(f"高于法定上限{deposit_max * 100:g}%"),
    )
    return hit.select(
        **_common(hit),
        deposit=hit.deposit.cast("float64"),
        start_price=hit.start_price.cast("float64"),
        pct=(hit.deposit / hit.start_price * 100).cast("float64"),
        side=side,
        low=(_floor_share(_cents(hit.start_price), deposit_min) / 100).cast("float64"),
        high=(_ceil_share(_cents(hit.start_price), deposit_max) / 100).cast("float64"),
    )


@rule(
    "AUC-BUYER-LINKED",
    model=MODEL,
    zh="买受人与被执行人同户或系被执行企业的高管、股东，且成交价低于评估价（疑似虚假转让、拒执）",
    basis=(
        "《最高人民法院、最高人民检察院关于办理拒不执行判决、裁定刑事案件适用法律若干问题的解释》"
        "（2024）第三条；法释〔2016〕18号第三十一条"
    ),
    subject_type="auction",
    summary=(
        "{court}{case_no}{item_type}“{item_desc}”以{deal_price:,.2f}元成交，"
        "低于评估价{appraisal_value:,.2f}元（为其{pct:.2f}%）；买受人{buyer_name}（{buyer_id}）"
        "{relation}，被执行人为{executed_party_name}，疑似以拍卖形式虚假转让财产、逃避执行"
        "（2024年拒执解释第三条）。"
    ),
    needs=(
        "judicial_auctions.buyer_id",
        "judicial_auctions.executed_party_id",
        "households.household_id",
        "enterprise_people.role",
    ),
    score=0.9,
)
def buyer_linked(auctions: ir.Table, households: ir.Table, enterprise_people: ir.Table) -> ir.Table:
    """Sold auctions bought below appraisal by the executed person's household or company insider."""
    a = auctions.filter(
        (auctions.status == "成交")
        & auctions.deal_price.notnull()
        & auctions.appraisal_value.notnull()
        & (_cents(auctions.deal_price) < _cents(auctions.appraisal_value))
    )
    a = keyed(a, "judicial_auctions")
    a = a.mutate(_buyer=a.buyer_id_key, _exec=a.executed_party_id_key)
    a = a.filter(a._buyer.notnull() & a._exec.notnull() & (a._buyer != a._exec))
    keys = a.select("auction_id", "_buyer", "_exec")

    hh = keyed(households, "households")
    hb = hh.select(_hb_person=hh.person_id, _hb_key=hh.person_id_key, _hb_house=hh.household_id_key)
    he = hh.select(_he_person=hh.person_id, _he_key=hh.person_id_key, _he_house=hh.household_id_key)
    same_house = (
        keys.join(hb, keys._buyer == hb._hb_key)
        .join(he, keys._exec == he._he_key)
        .filter(lambda x: x._hb_house == x._he_house)
    )
    house_links = same_house.select(
        "auction_id",
        record=ref("households", same_house._hb_person),
        other=ref("households", same_house._he_person),
        house=same_house._hb_house,
        role=ibis.null("string"),
    )
    ep = keyed(enterprise_people, "enterprise_people")
    officers = keys.join(ep, (keys._exec == ep.org_id_key) & (keys._buyer == ep.person_id_key))
    officer_record = ref("enterprise_people", officers.org_id, officers.person_id, officers.role)
    officer_links = officers.select(
        "auction_id",
        record=officer_record,
        other=officer_record,
        house=ibis.null("string"),
        role=officers.role,
    )
    links = house_links.union(officer_links)
    agg = links.group_by("auction_id").aggregate(
        _records=links.record.collect(),
        _others=links.other.collect(),
        _house=links.house.max(),
        _roles=links.role.collect().sort().join("、"),
    )
    agg = agg.mutate(
        relation=ibis.ifelse(
            agg._house.notnull(),
            ibis.literal("与被执行人同户（户号").concat(agg._house, "）"),
            ibis.literal("系被执行企业的").concat(agg._roles.coalesce("")),
        )
    )
    hit = a.join(agg, "auction_id")
    return hit.select(
        **_common(hit),
        context=hit._records.concat(hit._others),
        deal_price=hit.deal_price.cast("float64"),
        appraisal_value=hit.appraisal_value.cast("float64"),
        pct=(hit.deal_price / hit.appraisal_value * 100).cast("float64"),
        buyer_name=hit.buyer_name.coalesce(""),
        buyer_id=hit._buyer,
        executed_party_name=hit.executed_party_name,
        relation=hit.relation,
    )


RULES = (
    notice_short,
    renotice_short,
    relaunch_late,
    start_low,
    cut_deep,
    deposit_range,
    buyer_linked,
)


def _check_params(params: dict[str, Any]) -> dict[str, Any]:
    defaults = {k: default for k, (default, _type, _zh) in PARAMETERS.items()}
    return parameters(MODEL, defaults, params)


def run_rules(ws: Workspace, *, region: str = "", **params: Any) -> list[Hits]:
    """Evaluate every rule of the model on the workspace (one county with ``region``)."""
    p = _check_params(params)
    auctions = ws.table("judicial_auctions", region=region)
    households = ws.table("households")
    officers = ws.table("enterprise_people")
    return [
        notice_short(
            auctions,
            notice_days_movable=p["notice_days_movable"],
            notice_days_property=p["notice_days_property"],
        ),
        renotice_short(
            auctions,
            renotice_days_movable=p["renotice_days_movable"],
            renotice_days_property=p["renotice_days_property"],
        ),
        relaunch_late(
            auctions, relaunch_days=p["relaunch_days"], flag_unrelaunched=p["flag_unrelaunched"]
        ),
        start_low(auctions, min_start_ratio=p["min_start_ratio"]),
        cut_deep(auctions, max_cut=p["max_cut"]),
        deposit_range(auctions, deposit_min=p["deposit_min"], deposit_max=p["deposit_max"]),
        buyer_linked(auctions, households, officers),
    ]
