"""The 行刑衔接 model on small hand-built cases: every rule, its boundaries and its negatives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import huiyan as hy
import ibis
import pandas as pd
import pytest
import yaml
from huiyan import writer
from huiyan.ingest import schema
from huiyan.models import admin_criminal_transfer as m

PERSON = "330602198001010251"
OTHER = "330602198502020022"
COMPANY = "91330602MA2B3C4D5E"
DAY = dt.date(2023, 6, 1)

_N = iter(range(1, 10_000))


def pen(**kw: Any) -> dict[str, Any]:
    """One admin penalty row with lawful defaults; keyword arguments override."""
    row: dict[str, Any] = {
        "case_id": f"越罚〔2023〕{next(_N)}号",
        "agency": "绍兴市越城区某局",
        "domain": "自然资源",
        "region": "330602",
        "party_type": "自然人",
        "party_name": "张三",
        "party_id": PERSON,
        "violation": "其他违法行为",
        "facts": "当事人违法。",
        "quantity": None,
        "quantity_unit": None,
        "goods_value": None,
        "illegal_gain": None,
        "fine": 1000.0,
        "decision_date": DAY,
        "transferred": False,
    }
    row.update(kw)
    return row


def mining(**kw: Any) -> dict[str, Any]:
    return pen(**{"violation": "非法采砂", "domain": "水利", **kw})


def case(**kw: Any) -> dict[str, Any]:
    """One criminal case row; keyword arguments override."""
    row: dict[str, Any] = {
        "case_id": f"A330602{next(_N):010d}",
        "region": "330602",
        "offence": "盗窃罪",
        "suspect_name": "张三",
        "suspect_id": PERSON,
        "filed_date": DAY,
        "source_case_id": None,
    }
    row.update(kw)
    return row


def tables(penalties: list[dict[str, Any]], cases: list[dict[str, Any]] | None = None):
    p = ibis.memtable(pd.DataFrame(penalties), schema=schema.ibis_schema("admin_penalties"))
    c = ibis.memtable(
        pd.DataFrame(cases or [], columns=schema.column_types("criminal_cases")),
        schema=schema.ibis_schema("criminal_cases"),
    )
    return p, c


def flagged(rule_fn, penalties, cases=None, **params) -> set[str]:
    p, c = tables(penalties, cases)
    return set(rule_fn(p, c, **params).table.execute().subject_id)


# --- ACT-MINING-VALUE ---------------------------------------------------------------------


def test_mining_value_boundary_from_structured_value():
    at = mining(goods_value=100_000.0)
    below = mining(goods_value=99_999.99)
    assert flagged(m.mining_value, [at, below]) == {at["case_id"]}


def test_mining_value_read_from_facts_text():
    wan = mining(facts="当事人在曹娥江非法采砂约3200吨，价值约10.5万元。")
    yuan = mining(facts="无证采砂3,200立方米，涉案砂石价值人民币120,000元。")
    small = mining(facts="非法采砂约3200吨，价值约9.6万元。")
    assert flagged(m.mining_value, [wan, yuan, small]) == {wan["case_id"], yuan["case_id"]}


def test_mining_value_structured_column_wins_over_text():
    row = mining(goods_value=80_000.0, facts="非法采砂，价值约12万元。")
    assert flagged(m.mining_value, [row]) == set()


def test_mining_value_lower_threshold_in_no_mining_zone_or_season():
    zone = mining(facts="在曹娥江禁采区内非法采砂，价值5万元。")
    season = mining(facts="于禁采期内非法采砂，价值约6.2万元。", goods_value=None)
    zone_below = mining(facts="在禁采区内非法采砂，价值49,999元。")
    plain = mining(facts="非法采砂，价值约6.2万元。")
    got = flagged(m.mining_value, [zone, season, zone_below, plain])
    assert got == {zone["case_id"], season["case_id"]}


def test_mining_value_only_mining_penalties():
    shop = pen(violation="销售不合格产品", domain="市场监督管理", goods_value=500_000.0)
    assert flagged(m.mining_value, [shop]) == set()


def test_mining_value_threshold_is_a_parameter():
    row = mining(goods_value=120_000.0)
    assert flagged(m.mining_value, [row], mining_value=150_000.0) == set()
    assert flagged(m.mining_value, [row], mining_value=120_000.0) == {row["case_id"]}


def test_hit_carries_evidence_summary_and_score():
    far = mining(goods_value=500_000.0, party_name="李四")
    near = mining(goods_value=100_000.0)
    p, c = tables([far, near])
    found = hy.clues.collect(m.mining_value(p, c))
    assert set(found.frame.subject_type) == {"penalty"}
    row = found.frame.set_index("subject_id").loc[far["case_id"]]
    assert list(row.evidence) == [f"admin_penalties:{far['case_id']}"]
    assert "李四" in row.summary and "500,000.00元" in row.summary
    assert "100,000元" in row.summary and "第三百四十三条" in row.summary
    assert row.amount == 500_000.0
    scores = found.frame.set_index("subject_id").score
    assert scores[far["case_id"]] > scores[near["case_id"]]


# --- the negatives every rule shares ---------------------------------------------------------


def test_transferred_penalty_is_no_clue():
    row = mining(goods_value=200_000.0, transferred=True)
    assert flagged(m.mining_value, [row]) == set()


def test_case_naming_the_penalty_as_source_is_no_clue():
    row = mining(goods_value=200_000.0)
    src = case(offence="非法采矿罪", suspect_id=OTHER, source_case_id=row["case_id"])
    assert flagged(m.mining_value, [row], [src]) == set()


@pytest.mark.parametrize(
    ("offence", "days", "is_clue"),
    [
        ("非法采矿罪", 365, False),
        ("非法采矿罪", -365, False),
        ("非法采矿罪", 366, True),
        ("非法采矿罪", -366, True),
        ("盗窃罪", 10, True),
    ],
    ids=["same-offence-365-after", "365-before", "366-after", "366-before", "other-offence"],
)
def test_matching_criminal_case_by_party_offence_and_window(offence, days, is_clue):
    row = mining(goods_value=200_000.0)
    cc = case(offence=offence, filed_date=DAY + dt.timedelta(days=days))
    assert flagged(m.mining_value, [row], [cc]) == ({row["case_id"]} if is_clue else set())


def test_case_against_another_person_does_not_match():
    row = mining(goods_value=200_000.0)
    cc = case(offence="非法采矿罪", suspect_id=OTHER)
    assert flagged(m.mining_value, [row], [cc]) == {row["case_id"]}


def test_unit_crime_matches_a_company_party_by_credit_code():
    row = mining(goods_value=200_000.0, party_type="法人", party_id=COMPANY)
    cc = case(offence="非法采矿罪", suspect_id=COMPANY, suspect_name="某砂石公司")
    assert flagged(m.mining_value, [row], [cc]) == set()


# --- ACT-MINING-REPEAT ----------------------------------------------------------------------


def _series(*dates: dt.date, party: str = PERSON) -> list[dict[str, Any]]:
    return [mining(decision_date=d, party_id=party, goods_value=5_000.0) for d in dates]


def test_third_mining_penalty_within_two_years_is_a_clue():
    rows = _series(dt.date(2021, 6, 1), dt.date(2022, 1, 10), dt.date(2023, 5, 1))
    p, c = tables(rows)
    out = m.mining_repeat(p, c).table.execute()
    assert list(out.subject_id) == [rows[2]["case_id"]]
    assert sorted(out.context[0]) == sorted(f"admin_penalties:{r['case_id']}" for r in rows[:2])


def test_repeat_window_edge_two_years_back():
    inside = _series(dt.date(2021, 5, 1), dt.date(2022, 1, 10), dt.date(2023, 5, 1))
    outside = _series(dt.date(2021, 4, 30), dt.date(2022, 1, 10), dt.date(2023, 5, 1), party=OTHER)
    got = flagged(m.mining_repeat, inside + outside)
    assert got == {inside[2]["case_id"]}


def test_two_penalties_or_other_parties_are_no_repeat():
    two = _series(dt.date(2022, 6, 1), dt.date(2023, 1, 1), party="330602199001011234")
    mixed = _series(dt.date(2022, 6, 1), dt.date(2023, 1, 1), party=OTHER)[:1] + _series(
        dt.date(2023, 3, 1)
    )
    assert flagged(m.mining_repeat, two + mixed) == set()


def test_repeat_looks_in_the_history_of_other_counties():
    rows = _series(dt.date(2022, 6, 1), dt.date(2023, 1, 1), dt.date(2023, 3, 1))
    rows[0]["region"] = "331124"
    p, c = tables(rows)
    here = p.filter(p.region == "330602")
    assert m.mining_repeat(here, c).table.count().execute() == 0
    assert m.mining_repeat(here, c, history=p).table.count().execute() == 1


def test_repeat_transferred_third_is_no_clue():
    rows = _series(dt.date(2022, 6, 1), dt.date(2023, 1, 1), dt.date(2023, 3, 1))
    rows[2]["transferred"] = True
    assert flagged(m.mining_repeat, rows) == set()


# --- ACT-SHODDY-GOODS ------------------------------------------------------------------------


def shoddy(**kw: Any) -> dict[str, Any]:
    return pen(**{"violation": "销售不合格产品", "domain": "市场监督管理", **kw})


def test_shoddy_goods_sales_boundary():
    at = shoddy(facts="当事人销售不合格电线，销售金额人民币5万元。")
    below = shoddy(facts="当事人销售不合格电线，销售金额人民币49,999.99元。")
    assert flagged(m.shoddy_goods, [at, below]) == {at["case_id"]}


def test_shoddy_goods_unsold_value_boundary():
    at = shoddy(goods_value=150_000.0)
    text = shoddy(facts="现场查获尚未销售的伪劣白酒，货值15.2万元。")
    below = shoddy(facts="现场查获尚未销售的伪劣白酒，货值14.9万元。")
    assert flagged(m.shoddy_goods, [at, text, below]) == {at["case_id"], text["case_id"]}


def test_shoddy_goods_illegal_gain_is_a_lower_bound_of_sales():
    row = shoddy(illegal_gain=52_000.0, facts="以次充好销售伪劣钢材。")
    small = shoddy(illegal_gain=8_000.0, facts="销售金额3.2万元，违法所得8000元。")
    assert flagged(m.shoddy_goods, [row, small]) == {row["case_id"]}


def test_shoddy_recognised_from_facts_in_market_domain():
    row = shoddy(
        violation="违反产品质量法", facts="经查，当事人以假充真销售伪劣产品，销售额6万元。"
    )
    elsewhere = pen(domain="城市管理", violation="占道经营", facts="以假充真，销售额6万元。")
    assert flagged(m.shoddy_goods, [row, elsewhere]) == {row["case_id"]}


# --- ACT-DRUNK-DRIVING -----------------------------------------------------------------------


def drink(**kw: Any) -> dict[str, Any]:
    return pen(**{"violation": "饮酒后驾驶机动车", "domain": "公安交通管理", **kw})


@pytest.mark.parametrize(
    ("facts", "quantity", "is_clue"),
    [
        ("经检测血液中乙醇含量为80mg/100ml。", None, True),
        ("经检测血液中乙醇含量为79mg/100ml。", None, False),
        ("血液酒精含量为１２５毫克/100毫升。", None, True),
        ("血液酒精含量见鉴定意见。", 80.0, True),
        ("血液酒精含量见鉴定意见。", 79.9, False),
    ],
    ids=["80-text", "79-text", "fullwidth-125", "80-structured", "79.9-structured"],
)
def test_drunk_driving_blood_alcohol(facts, quantity, is_clue):
    row = drink(facts=facts, quantity=quantity, quantity_unit="mg/100ml" if quantity else None)
    assert flagged(m.drunk_driving, [row]) == ({row["case_id"]} if is_clue else set())


def test_drunk_driving_matched_by_dangerous_driving_case():
    row = drink(facts="血液中乙醇含量为150mg/100ml。")
    cc = case(offence="危险驾驶罪", filed_date=DAY - dt.timedelta(days=2))
    assert flagged(m.drunk_driving, [row], [cc]) == set()


# --- ACT-POLLUTION-WASTE ---------------------------------------------------------------------


def waste(**kw: Any) -> dict[str, Any]:
    return pen(**{"violation": "非法处置危险废物", "domain": "生态环境", **kw})


@pytest.mark.parametrize(
    ("facts", "quantity", "unit", "is_clue"),
    [
        ("将废矿物油等危险废物3吨交由无资质个人处置。", None, None, True),
        ("非法倾倒危险废物（含铜污泥）约2.99吨。", None, None, False),
        ("擅自处置危险废物3,000公斤。", None, None, True),
        ("擅自处置危险废物2,999千克。", None, None, False),
        ("非法处置危险废物。", 4.2, "吨", True),
        ("非法处置危险废物。", 2999.0, "千克", False),
    ],
    ids=["3t", "2.99t", "3000kg", "2999kg", "structured-4.2t", "structured-2999kg"],
)
def test_hazardous_waste_tonnes(facts, quantity, unit, is_clue):
    row = waste(facts=facts, quantity=quantity, quantity_unit=unit)
    assert flagged(m.pollution_waste, [row]) == ({row["case_id"]} if is_clue else set())


def test_general_solid_waste_is_not_hazardous():
    row = pen(domain="生态环境", violation="未按规定贮存一般工业固体废物", facts="一般固废12吨。")
    assert flagged(m.pollution_waste, [row]) == set()


# --- the model as a whole ----------------------------------------------------------------------


def test_run_rules_on_a_workspace(tmp_path: Path):
    ws = hy.workspace(tmp_path)
    rows = [
        mining(goods_value=150_000.0),
        drink(facts="血液中乙醇含量为95mg/100ml。", region="331124"),
        waste(quantity=5.0, quantity_unit="吨"),
    ]
    p = pd.DataFrame(rows)
    c = pd.DataFrame([case()], columns=schema.column_types("criminal_cases"))
    with writer.writing(tmp_path, "test") as w:
        for name, frame in (("admin_penalties", p), ("criminal_cases", c)):
            w.con.execute(schema.create_table_sql(name))
            w.con.register("incoming", frame)
            w.con.execute(f"INSERT INTO {name} SELECT * FROM incoming")
            w.con.unregister("incoming")
    ws = hy.workspace(tmp_path)
    hits = m.run_rules(ws)
    assert [h.rule.code for h in hits] == [
        "ACT-MINING-VALUE",
        "ACT-MINING-REPEAT",
        "ACT-SHODDY-GOODS",
        "ACT-DRUNK-DRIVING",
        "ACT-POLLUTION-WASTE",
    ]
    found = hy.clues.collect(*hits)
    assert found.by_rule()["线索数 clues"].tolist() == [1, 0, 0, 1, 1]
    county = hy.clues.collect(*m.run_rules(ws, region="330602"))
    assert sorted(county.frame.rule) == ["ACT-MINING-VALUE", "ACT-POLLUTION-WASTE"]
    with pytest.raises(hy.errors.ParameterError, match="mining_valu"):
        m.run_rules(ws, mining_valu=1)


def test_every_contract_rule_is_implemented():
    codes = [r.code for r in hy.rules.for_model(m.MODEL)]
    assert codes == [
        "ACT-MINING-VALUE",
        "ACT-MINING-REPEAT",
        "ACT-SHODDY-GOODS",
        "ACT-DRUNK-DRIVING",
        "ACT-POLLUTION-WASTE",
    ]
    assert {hy.rules.get(c).subject_type for c in codes} == {"penalty"}


def test_parameters_come_from_the_thresholds_table():
    raw = yaml.safe_load(m.THRESHOLDS_PATH.read_text(encoding="utf-8"))
    rows = {r["parameter"]: r for r in raw["thresholds"] if r["model"] == m.MODEL}
    assert {k: v[0] for k, v in m.PARAMETERS.items()} == {k: r["value"] for k, r in rows.items()}
    assert m.PARAMETERS["mining_value"][0] == 100_000
    assert m.PARAMETERS["match_window_days"] == (365, "int", rows["match_window_days"]["zh"])
    for r in rows.values():
        assert r["source"] and r["unit"] and r["field"]


# --- the notebook ------------------------------------------------------------------------------

NOTEBOOK = m.REPO_ROOT / "notebooks" / "admin_criminal_transfer.ipynb"


def test_notebook_card_and_parameters_follow_the_thresholds_table():
    card = hy.catalog.read_card(NOTEBOOK)
    assert card is not None and card.name == m.MODEL
    assert set(card.rules) == {r.code for r in hy.rules.for_model(m.MODEL)}
    assert tuple(card.datasets) == m.DATASETS
    defaults = {k: v[0] for k, v in m.PARAMETERS.items()}
    assert card.defaults == defaults
    cell = hy.catalog.notebook_parameters(NOTEBOOK)
    assert cell.pop("region") == ""
    assert cell == defaults


def test_notebook_pair_is_in_sync_and_has_no_outputs():
    import jupytext

    py = jupytext.read(NOTEBOOK.with_suffix(".py"))
    nb = jupytext.read(NOTEBOOK)
    assert [c.source for c in py.cells] == [c.source for c in nb.cells]
    assert nb.metadata["huiyan"] == py.metadata["huiyan"]
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code")


# --- reading the legal element (models.md, "Reading the elements") ---------------------------


@pytest.mark.parametrize(
    ("facts", "is_clue"),
    [
        ("经呼气酒精检测为103mg/100ml；后经抽血检验，血液中乙醇含量为62.5mg/100ml。", False),
        ("呼气检测结果为96毫克/100毫升，提取血样送检，血液酒精含量为一百二十毫克/百毫升。", True),
        ("经呼气式酒精检测，其呼气酒精含量为88mg/100ml。", True),
        ("经呼气式酒精检测，其呼气酒精含量为65mg/100ml。", False),
    ],
    ids=["breath-over-blood-under", "blood-decides", "breath-only", "breath-only-under"],
)
def test_drunk_driving_is_decided_by_the_blood_test(facts, is_clue):
    row = drink(facts=facts)
    assert flagged(m.drunk_driving, [row]) == ({row["case_id"]} if is_clue else set())


def test_a_breath_figure_alone_is_a_weaker_clue_with_a_note():
    breath = drink(facts="经呼气式酒精检测，其呼气酒精含量为120mg/100ml。")
    blood = drink(facts="经抽血检验，血液中乙醇含量为120mg/100ml。")
    p, c = tables([breath, blood])
    frame = hy.clues.collect(m.drunk_driving(p, c)).frame.set_index("subject_id")
    assert frame.score[breath["case_id"]] < frame.score[blood["case_id"]]
    assert "未见血液检验结果" in frame.summary[breath["case_id"]]
    assert "呼气" in frame.summary[breath["case_id"]]


@pytest.mark.parametrize(
    ("violation", "facts", "is_clue"),
    [
        (
            "未按规定贮存危险废物",
            "将废矿物油等危险废物4.2吨交由无危险废物经营资质的个人处置。",
            True,
        ),
        (
            "非法处置危险废物",
            "将废矿物油等危险废物约12.5吨露天堆放于厂区内，贮存期限超过一年。",
            False,
        ),
        ("非法处置危险废物", "产生的废乳化液约30吨未设置危险废物识别标志。", False),
        ("危险废物管理不规范", "产生的废切削液约8吨未建立危险废物管理台账。", False),
        ("其他违法行为", "通过暗管将电镀污泥（危险废物）3,000千克排入厂区外河道。", True),
    ],
    ids=["handed-to-unlicensed", "storage-only", "labelling-only", "records-only", "label-generic"],
)
def test_hazardous_waste_counts_disposal_not_storage(violation, facts, is_clue):
    row = waste(violation=violation, facts=facts)
    assert flagged(m.pollution_waste, [row]) == ({row["case_id"]} if is_clue else set())


@pytest.mark.parametrize(
    ("facts", "is_clue"),
    [
        ("擅自采挖河道砂石，经价格认定价值人民币陆万元整，该河段不属于禁采区。", False),
        ("于禁采期内在曹娥江盗采河砂，价值人民币陆万元整。", True),
        ("在禁采区外的河段采砂，价值6万元。", False),
    ],
    ids=["negated-zone", "closed-season", "outside-zone"],
)
def test_a_no_mining_zone_counts_only_when_not_negated(facts, is_clue):
    row = mining(violation="违反河道管理规定", facts=facts)
    assert flagged(m.mining_value, [row]) == ({row["case_id"]} if is_clue else set())


def test_clues_read_from_text_carry_their_snippet():
    row = mining(
        violation="其他违法行为",
        facts="经查，当事人在曹娥江无证开采砂石约四千吨，矿产品价值共计壹拾贰万元整。",
    )
    p, c = tables([row])
    summary = hy.clues.collect(m.mining_value(p, c)).frame.summary.iloc[0]
    sentence, snippet = hy.clues.split_summary(summary)
    assert sentence.endswith("。") and snippet is not None
    assert "壹拾贰万元" in snippet and len(snippet) <= 60
