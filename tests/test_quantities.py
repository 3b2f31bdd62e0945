"""Reading quantities and values out of Chinese text: the Python reader and the ibis reader agree."""

from __future__ import annotations

import ibis
import pytest
from huiyan import quantities as q

PHRASES = [
    ("非法采砂约3200吨，价值约9.6万元", q.VALUE, 96_000.0),
    ("非法采砂约3200吨，价值约9.6万元", q.WEIGHT, 3_200.0),
    ("无证采砂3,200立方米，涉案砂石价值人民币120,000元", q.VOLUME, 3_200.0),
    ("无证采砂3,200立方米，涉案砂石价值人民币120,000元", q.VALUE, 120_000.0),
    ("开采砂石800方", q.VOLUME, 800.0),
    ("开采砂石1.2万吨", q.WEIGHT, 12_000.0),
    ("经检测血液中乙醇含量为125mg/100ml", q.BAC, 125.0),
    ("血液酒精含量为80.5毫克/100毫升", q.BAC, 80.5),
    ("血液酒精含量为１２５ｍｇ/100ml", q.BAC, None),
    ("血液酒精含量为１２５mg／100ml", q.BAC, 125.0),
    ("销售金额人民币6.8万元", q.SALES, 68_000.0),
    ("销售额49,999.99元", q.SALES, 49_999.99),
    ("危险废物4.2吨", q.WASTE_WEIGHT, 4.2),
    ("非法倾倒废矿物油等危险废物共计3,000公斤", q.WASTE_WEIGHT, 3.0),
    ("未取得危险废物经营许可证，擅自收集废铅蓄电池2999千克", q.WASTE_WEIGHT, 2.999),
    ("货值15万元", q.GOODS_VALUE, 150_000.0),
    ("现场查获尚未销售的伪劣白酒，货值金额共计人民币152,000.00元", q.GOODS_VALUE, 152_000.0),
    ("违法所得3,200元", q.GAIN, 3_200.0),
    ("非法获利约2万余元", q.GAIN, 20_000.0),
    ("价值不详，罚款5万元", q.VALUE, None),
    ("于2023年5月价值评估", q.VALUE, None),
    ("罚款5万元", q.SALES, None),
    ("", q.VALUE, None),
    (None, q.VALUE, None),
]
IDS = [f"{i}-{m.name}" for i, (_, m, _v) in enumerate(PHRASES)]


@pytest.mark.parametrize(("text", "measure", "expected"), PHRASES, ids=IDS)
def test_python_reader(text, measure, expected):
    assert q.read(text, measure) == expected


def test_ibis_reader_agrees_with_python_reader():
    texts = [*sorted({t for t, _, _ in PHRASES if t is not None}), None]
    table = ibis.memtable({"facts": texts}, schema={"facts": "string"})
    measures = {m.name: m for _, m, _ in PHRASES}
    expr = table.select("facts", **{n: q.read_expr(table.facts, m) for n, m in measures.items()})
    got = expr.execute()
    for _, row in got.iterrows():
        for name, measure in measures.items():
            want = q.read(row.facts if isinstance(row.facts, str) else None, measure)
            value = row[name]
            have = None if value != value else float(value)  # NaN -> None
            assert have == want, (row.facts, name)


@pytest.mark.parametrize(
    ("quantity", "unit", "measure", "expected"),
    [
        (3.0, "吨", q.WEIGHT, 3.0),
        (3000.0, "公斤", q.WEIGHT, 3.0),
        (2999.0, "千克", q.WEIGHT, 2.999),
        (2999.0, "kg", q.WEIGHT, 2.999),
        (500.0, "立方米", q.WEIGHT, None),
        (500.0, "方", q.VOLUME, 500.0),
        (80.0, "mg/100ml", q.BAC, 80.0),
        (80.0, "毫克/100毫升", q.BAC, 80.0),
        (80.0, None, q.BAC, None),
        (80.0, "", q.BAC, None),
    ],
)
def test_structured_quantities_normalise_in_python_and_ibis(quantity, unit, measure, expected):
    assert q.normalise(quantity, unit or None, measure) == expected
    t = ibis.memtable({"q": [quantity], "u": [unit]}, schema={"q": "float64", "u": "string"})
    value = t.select(v=q.normalise_expr(t.q, t.u, measure)).execute().v[0]
    assert (None if value != value else value) == expected


def test_expression_compiles_for_spark_without_casting_empty_strings():
    pytest.importorskip("pyspark")
    ibis.pyspark  # noqa: B018  (loading the backend registers its SQL options)
    t = ibis.table({"facts": "string"}, name="admin_penalties")
    sql = ibis.to_sql(t.select(v=q.read_expr(t.facts, q.VALUE)), dialect="pyspark")
    assert "REGEXP_EXTRACT" in sql.upper()
    assert "NULLIF" in sql.upper()
