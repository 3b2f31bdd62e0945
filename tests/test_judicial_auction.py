"""The judicial_auction model: each rule on hand-built auctions, boundaries included."""

from __future__ import annotations

import datetime as dt
from typing import Any

import huiyan
import huiyan.writer
import ibis
import pandas as pd
import pytest
from huiyan import clues
from huiyan.errors import ParameterError
from huiyan.models import judicial_auction as m

D = dt.date
COURT = "绍兴市越城区人民法院"
CASE = "（2023）浙0602执100号"


def auction(auction_id: str, **kw: Any) -> dict[str, Any]:
    """A lawful 一拍 of a flat, sold; keyword arguments change any column."""
    row: dict[str, Any] = {
        "auction_id": auction_id,
        "court": COURT,
        "region": "330602",
        "case_no": CASE,
        "item_type": "不动产",
        "item_desc": f"越城区解放路{auction_id}号房产",
        "round": "一拍",
        "previous_auction_id": None,
        "appraisal_value": 1_000_000.0,
        "reserve_basis": "评估",
        "start_price": 700_000.0,
        "deposit": 70_000.0,
        "announce_date": D(2023, 3, 1),
        "start_date": D(2023, 3, 31),
        "end_date": D(2023, 4, 1),
        "status": "成交",
        "bidders": 3,
        "deal_price": 1_100_000.0,
        "buyer_name": "买某",
        "buyer_id": "330602198001010011",
        "executed_party_name": "欠某",
        "executed_party_id": "330602197001010022",
        "payment_date": D(2023, 4, 10),
    }
    row.update(kw)
    return row


def table(*rows: dict[str, Any]) -> ibis.Table:
    frame = pd.DataFrame(list(rows))
    for col in ("announce_date", "start_date", "end_date", "payment_date"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    schema = {
        "previous_auction_id": "string",
        "buyer_name": "string",
        "buyer_id": "string",
        "executed_party_id": "string",
        "deal_price": "float64",
        "appraisal_value": "float64",
        "deposit": "float64",
        "bidders": "int64",
        "announce_date": "date",
        "start_date": "date",
        "end_date": "date",
        "payment_date": "date",
    }
    return ibis.memtable(frame).cast(schema)


def flagged(hits: Any) -> list[str]:
    return sorted(hits.table.execute().subject_id)


def days_before(start: dt.date, n: int) -> dt.date:
    return start - dt.timedelta(days=n)


# ---------------------------------------------------------------- notice periods


def test_notice_short_movables_need_15_days_and_property_30() -> None:
    start = D(2023, 5, 31)
    t = table(
        auction("mov14", item_type="动产", announce_date=days_before(start, 14), start_date=start),
        auction("mov15", item_type="动产", announce_date=days_before(start, 15), start_date=start),
        auction(
            "car14", item_type="机动车", announce_date=days_before(start, 14), start_date=start
        ),
        auction("flat29", announce_date=days_before(start, 29), start_date=start),
        auction("flat30", announce_date=days_before(start, 30), start_date=start),
        auction(
            "equity29", item_type="股权", announce_date=days_before(start, 29), start_date=start
        ),
        auction(
            "right30",
            item_type="其他财产权",
            announce_date=days_before(start, 30),
            start_date=start,
        ),
        # a re-auction is judged by art. 26, not art. 12
        auction("second10", round="二拍", announce_date=days_before(start, 20), start_date=start),
    )
    assert flagged(m.notice_short(t)) == ["car14", "equity29", "flat29", "mov14"]


def test_notice_short_summary_gives_days_and_article() -> None:
    start = D(2023, 5, 31)
    t = table(
        auction("mov14", item_type="动产", announce_date=days_before(start, 14), start_date=start)
    )
    found = clues.collect(m.notice_short(t))
    summary = found.frame.summary[0]
    assert "公告期仅14日" in summary and "少于法定15日" in summary and "第十二条" in summary
    assert found.frame.evidence[0] == ["judicial_auctions:mov14"]
    assert found.frame.subject_type[0] == "auction"


def test_renotice_short_movables_need_7_days_and_property_15() -> None:
    start = D(2023, 6, 30)
    re = {"round": "二拍", "start_date": start}
    t = table(
        auction("mov6", item_type="动产", announce_date=days_before(start, 6), **re),
        auction("mov7", item_type="动产", announce_date=days_before(start, 7), **re),
        auction("flat14", announce_date=days_before(start, 14), **re),
        auction("flat15", announce_date=days_before(start, 15), **re),
        auction("sale14", announce_date=days_before(start, 14), round="变卖", start_date=start),
        # a first auction is judged by art. 12, not art. 26
        auction("first6", item_type="动产", announce_date=days_before(start, 6), start_date=start),
    )
    assert flagged(m.renotice_short(t)) == ["flat14", "mov6", "sale14"]


# ---------------------------------------------------------------- rounds and relaunch


def chain(first_end: dt.date, gap: int, *, linked: bool = True, prefix: str = "") -> list[dict]:
    """A failed 一拍 ending ``first_end`` and a 二拍 starting ``gap`` days later."""
    start2 = first_end + dt.timedelta(days=gap)
    return [
        auction(
            f"{prefix}1",
            item_desc=f"{prefix}号房产",
            status="流拍",
            bidders=0,
            deal_price=None,
            buyer_id=None,
            announce_date=first_end - dt.timedelta(days=31),
            start_date=first_end - dt.timedelta(days=1),
            end_date=first_end,
        ),
        auction(
            f"{prefix}2",
            item_desc=f"{prefix}号房产",
            round="二拍",
            start_price=560_000.0,
            deposit=56_000.0,
            previous_auction_id=f"{prefix}1" if linked else None,
            announce_date=start2 - dt.timedelta(days=15),
            start_date=start2,
            end_date=start2 + dt.timedelta(days=1),
        ),
    ]


def test_relaunch_late_counts_from_failure_to_restart_with_30_days_allowed() -> None:
    end = D(2023, 4, 1)
    t = table(*chain(end, 30, prefix="ok"), *chain(end, 31, prefix="late"))
    found = clues.collect(m.relaunch_late(t)).frame
    assert list(found.subject_id) == ["late1"]
    assert found.evidence[0] == ["judicial_auctions:late1"]
    assert found.context[0] == ["judicial_auctions:late2"]
    assert "间隔31日" in found.summary[0] and "第二十六条" in found.summary[0]


def test_relaunch_late_links_rounds_without_previous_id() -> None:
    end = D(2023, 4, 1)
    t = table(
        *chain(end, 40, linked=False, prefix="blank"), *chain(end, 20, linked=False, prefix="fine")
    )
    found = clues.collect(m.relaunch_late(t)).frame
    assert list(found.subject_id) == ["blank1"]
    assert found.context[0] == ["judicial_auctions:blank2"]


def test_relaunch_never_relaunched_is_a_weaker_clue_only_after_30_days() -> None:
    data_end = D(2023, 9, 30)
    old = chain(D(2023, 4, 1), 20, prefix="old")[0]  # failed, never re-auctioned
    recent = chain(data_end - dt.timedelta(days=30), 20, prefix="new")[0]  # failed 30 days ago
    latest = auction(
        "latest",
        announce_date=data_end,
        start_date=data_end + dt.timedelta(days=30),
        end_date=data_end + dt.timedelta(days=31),
    )
    t = table(old, recent, latest)
    found = clues.collect(m.relaunch_late(t)).frame
    assert list(found.subject_id) == ["old1"]
    assert found.score[0] == pytest.approx(0.5)
    assert found.context[0] == []
    assert "未见再次拍卖" in found.summary[0]
    assert flagged(m.relaunch_late(t, flag_unrelaunched=False)) == []


def test_relaunch_late_screens_failed_first_auctions_only() -> None:
    end = D(2023, 4, 1)
    first, second = chain(end, 20, prefix="c")
    second.update(status="流拍", deal_price=None, buyer_id=None)
    sale_start = second["end_date"] + dt.timedelta(days=45)  # 变卖 may come later
    third = auction(
        "c3",
        item_desc="c号房产",
        round="变卖",
        previous_auction_id="c2",
        start_price=560_000.0,
        deposit=56_000.0,
        start_date=sale_start,
        announce_date=sale_start - dt.timedelta(days=15),
        end_date=sale_start + dt.timedelta(days=30),
    )
    assert flagged(m.relaunch_late(table(first, second, third))) == []


def test_rounds_prefers_previous_id_and_else_the_latest_earlier_round_of_the_item() -> None:
    end = D(2023, 4, 1)
    rows = chain(end, 20, linked=False, prefix="x")
    sale = auction(
        "x3",
        item_desc="x号房产",
        round="变卖",
        start_date=D(2023, 6, 1),
        announce_date=D(2023, 5, 20),
        end_date=D(2023, 7, 1),
    )
    other_item = auction(
        "y2",
        item_desc="另一套房产",
        round="二拍",
        start_date=D(2023, 6, 1),
        announce_date=D(2023, 5, 1),
        end_date=D(2023, 6, 2),
    )
    explicit = auction(
        "z2",
        item_desc="描述不同的房产",
        round="二拍",
        previous_auction_id="x1",
        start_date=D(2023, 6, 1),
        announce_date=D(2023, 5, 1),
        end_date=D(2023, 6, 2),
    )
    linked = (
        m.rounds(table(*rows, sale, other_item, explicit))
        .select("auction_id", "prev_id")
        .execute()
        .set_index("auction_id")
        .prev_id.to_dict()
    )
    assert linked["x2"] == "x1" and linked["x3"] == "x2" and linked["z2"] == "x1"
    assert pd.isna(linked["x1"]) and pd.isna(linked["y2"])


# ---------------------------------------------------------------- prices and deposits


def test_start_low_below_70_percent_to_the_fen() -> None:
    t = table(
        auction("at70", start_price=700_000.0),
        auction("below", start_price=699_900.0),  # 69.99%
        auction("fen", start_price=699_999.99),
        auction("odd70", appraisal_value=123_456.70, start_price=86_419.69),  # 70% = 86,419.69
        auction("noappraisal", appraisal_value=None, start_price=1.0),
        auction("second", round="二拍", start_price=500_000.0),
    )
    assert flagged(m.start_low(t)) == ["below", "fen"]
    summary = clues.collect(m.start_low(t)).frame.summary
    assert any("69.990%" in s and "第十条" in s for s in summary)


def test_cut_deep_more_than_20_percent_below_previous_round() -> None:
    end = D(2023, 4, 1)
    ok = chain(end, 20, prefix="ok")  # 700,000 -> 560,000: exactly 20%
    deep = chain(end, 20, prefix="deep")
    deep[1]["start_price"] = 559_930.0  # 20.01%
    blank = chain(end, 20, linked=False, prefix="blank")
    blank[1]["start_price"] = 500_000.0
    first = auction("solo", start_price=100.0)  # no previous round: never a cut
    found = clues.collect(m.cut_deep(table(*ok, *deep, *blank, first))).frame
    assert list(found.subject_id) == ["blank2", "deep2"]
    assert found.set_index("subject_id").context["deep2"] == ["judicial_auctions:deep1"]
    assert "20.010%" in found.set_index("subject_id").summary["deep2"]


def test_deposit_between_5_and_20_percent_inclusive() -> None:
    t = table(
        auction("d5", deposit=35_000.0),
        auction("d20", deposit=140_000.0),
        auction("low", deposit=34_930.0),  # 4.99%
        auction("high", deposit=140_070.0),  # 20.01%
        auction("none", deposit=None),
    )
    found = clues.collect(m.deposit_range(t)).frame.set_index("subject_id")
    assert sorted(found.index) == ["high", "low"]
    assert "低于法定下限5%" in found.summary["low"]
    assert "高于法定上限20%" in found.summary["high"]


# ---------------------------------------------------------------- linked buyers

BUYER, DEBTOR, COMPANY = "330602198001010011", "330602197001010022", "91330602MA2D00001X"


def people() -> tuple[ibis.Table, ibis.Table]:
    households = ibis.memtable(
        {
            "person_id": [BUYER, DEBTOR, "330602199001010033"],
            "name": ["买某", "欠某", "路人"],
            "household_id": ["H1", "H1", "H9"],
            "relation": ["子", "户主", "户主"],
        }
    )
    officers = ibis.memtable(
        {
            "org_id": [COMPANY, COMPANY],
            "person_id": [BUYER, BUYER],
            "name": ["买某", "买某"],
            "role": ["股东", "法定代表人"],
        }
    )
    return households, officers


def test_buyer_in_debtor_household_below_appraisal_is_a_clue() -> None:
    hh, ep = people()
    t = table(
        auction("home", deal_price=900_000.0),
        auction("atvalue", deal_price=1_000_000.0),  # paid the appraisal: no clue
        auction("stranger", deal_price=900_000.0, buyer_id="330602199001010033"),
        auction("self", deal_price=800_000.0, buyer_id=DEBTOR),  # the debtor may bid
        auction("failed", status="流拍", deal_price=None),
    )
    found = clues.collect(m.buyer_linked(t, hh, ep)).frame
    assert list(found.subject_id) == ["home"]
    assert found.context[0] == sorted([f"households:{BUYER}", f"households:{DEBTOR}"])
    assert "同户" in found.summary[0] and "拒执" in found.summary[0]


def test_buyer_officer_of_debtor_company_below_appraisal_is_a_clue() -> None:
    hh, ep = people()
    t = table(
        auction(
            "firm",
            executed_party_id=COMPANY,
            executed_party_name="欠债有限公司",
            deal_price=999_999.99,
        ),
        auction("firmfair", executed_party_id=COMPANY, deal_price=1_200_000.0),
    )
    found = clues.collect(m.buyer_linked(t, hh, ep)).frame
    assert list(found.subject_id) == ["firm"]
    assert found.context[0] == [
        f"enterprise_people:{COMPANY}|{BUYER}|法定代表人",
        f"enterprise_people:{COMPANY}|{BUYER}|股东",
    ]
    assert "系被执行企业的法定代表人、股东" in found.summary[0]


# ---------------------------------------------------------------- the model as a whole


def test_run_rules_on_a_workspace_and_parameters(tmp_path: Any) -> None:
    ws = huiyan.workspace(tmp_path)
    start = D(2023, 5, 31)
    rows = [
        auction("a1", item_type="动产", announce_date=days_before(start, 14), start_date=start),
        auction("a2", region="331124", deposit=1.0),
    ]
    frame = table(*rows).execute()
    hh, ep = people()
    with huiyan.writer.writing(tmp_path, "test") as w:
        w.create_table("judicial_auctions", frame)
        w.create_table("households", hh.execute())
        w.create_table("enterprise_people", ep.execute())
    ws = huiyan.workspace(tmp_path)
    hits = m.run_rules(ws)
    assert [h.rule.code for h in hits] == [
        "AUC-NOTICE-SHORT",
        "AUC-RENOTICE-SHORT",
        "AUC-RELAUNCH-LATE",
        "AUC-START-LOW",
        "AUC-CUT-DEEP",
        "AUC-DEPOSIT-RANGE",
        "AUC-BUYER-LINKED",
    ]
    found = clues.collect(*hits).frame
    assert sorted(zip(found.rule, found.subject_id, strict=True)) == [
        ("AUC-DEPOSIT-RANGE", "a2"),
        ("AUC-NOTICE-SHORT", "a1"),
    ]
    songyang = clues.collect(*m.run_rules(ws, region="331124")).frame
    assert list(zip(songyang.rule, songyang.subject_id, strict=True)) == [
        ("AUC-DEPOSIT-RANGE", "a2")
    ]
    assert len(clues.collect(*m.run_rules(ws, region="330602", notice_days_movable=14))) == 0
    with pytest.raises(ParameterError, match="notice_days"):
        m.run_rules(ws, notice_day_movable=14)
    ws.close()


def test_rules_are_the_contract_codes() -> None:
    from huiyan import rules

    codes = [r.code for r in rules.for_model(m.MODEL)]
    assert codes == [
        "AUC-NOTICE-SHORT",
        "AUC-RENOTICE-SHORT",
        "AUC-RELAUNCH-LATE",
        "AUC-START-LOW",
        "AUC-CUT-DEEP",
        "AUC-DEPOSIT-RANGE",
        "AUC-BUYER-LINKED",
    ]
    assert all(r.subject_type == "auction" for r in rules.for_model(m.MODEL))
