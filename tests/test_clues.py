"""Turning rule hits into clues: stable ids, summaries with missing values, references."""

from __future__ import annotations

import huiyan as hy
import ibis
import pytest
from huiyan.errors import ModelError
from huiyan.rules import ref, rule


@rule(
    "TST-AMOUNT",
    model="test_clues",
    zh="金额",
    basis="测试",
    subject_type="claim",
    summary="赔案{subject_id}金额{amount:,.2f}元。",
    replace=True,
)
def amounts(t: ibis.Table) -> ibis.Table:
    return t.select(
        subject_id=t.claim_id,
        region=t.region,
        amount=t.amount,
        evidence=ibis.array([ref("insurance_claims", t.claim_id)]),
    )


def test_a_missing_amount_prints_a_dash_instead_of_failing_the_run() -> None:
    t = ibis.memtable(
        {"claim_id": ["c1", "c2"], "region": ["330602"] * 2, "amount": [1234.5, None]}
    )
    found = hy.clues.collect(amounts(t)).frame.set_index("subject_id")
    assert found.loc["c1", "summary"] == "赔案c1金额1,234.50元。"
    assert found.loc["c2", "summary"] == "赔案c2金额—元。"


def test_integer_subject_ids_give_the_same_clue_id_with_or_without_nulls() -> None:
    @rule(
        "TST-INT",
        model="test_clues",
        zh="整数",
        basis="测试",
        subject_type="claim",
        summary="{subject_id}",
        replace=True,
    )
    def ints(t: ibis.Table) -> ibis.Table:
        return t.select(subject_id=t.n, region=t.region, evidence=ibis.array([t.region]))

    schema = {"n": "int64", "region": "string"}  # an id column as the database stores it
    with_null = ibis.memtable({"n": [1, None, 3], "region": ["330602"] * 3}, schema=schema)
    without = ibis.memtable({"n": [1, 3], "region": ["330602"] * 2}, schema=schema)
    a = hy.clues.collect(ints(with_null)).frame
    b = hy.clues.collect(ints(without)).frame
    assert sorted(a.subject_id) == ["1", "3"]  # a null subject is no clue
    assert sorted(a.clue_id) == sorted(b.clue_id)


def test_clue_ids_are_the_documented_hash_of_model_rule_and_subject() -> None:
    # computed by the database; the same as hy.clues.clue_id for any text (UTF-8 bytes)
    ids = ["c1", "赔案-甲001", "APAC 2022/33", "案号（2023）浙0602民初1号"]
    t = ibis.memtable({"claim_id": ids, "region": ["330602"] * 4, "amount": [1.0] * 4})
    found = hy.clues.collect(amounts(t)).frame
    expected = {hy.clues.clue_id("test_clues", "TST-AMOUNT", s) for s in ids}
    assert set(found.clue_id) == expected
    assert found.clue_id.tolist() == sorted(expected)  # in clue id order


def test_a_single_reference_is_kept_whole() -> None:
    @rule(
        "TST-STR",
        model="test_clues",
        zh="单条",
        basis="测试",
        subject_type="claim",
        summary="{subject_id}",
        replace=True,
    )
    def single(t: ibis.Table) -> ibis.Table:
        return t.select(
            subject_id=t.claim_id, region=t.region, evidence=ref("insurance_claims", t.claim_id)
        )

    t = ibis.memtable({"claim_id": ["c1"], "region": ["330602"]})
    assert hy.clues.collect(single(t)).frame.evidence[0] == ["insurance_claims:c1"]


def test_redefining_a_rule_in_the_same_place_replaces_it_but_a_clash_is_refused() -> None:
    def define(summary: str) -> None:
        @rule(
            "TST-REDEF",
            model="test_clues",
            zh="重定义",
            basis="测试",
            subject_type="claim",
            summary=summary,
        )
        def redefined(t: ibis.Table) -> ibis.Table:
            return t

    define("第一版 {subject_id}")
    define("第二版 {subject_id}")  # a notebook cell run again after an edit
    assert hy.rules.REGISTRY["TST-REDEF"].summary == "第二版 {subject_id}"
    with pytest.raises(ModelError, match="TST-REDEF"):

        @rule(
            "TST-REDEF", model="other", zh="冲突", basis="测试", subject_type="claim", summary="x"
        )
        def clash(t: ibis.Table) -> ibis.Table:
            return t


def test_unknown_subject_type_suggests_the_nearest() -> None:
    with pytest.raises(ModelError, match="auction"):
        rule("TST-BAD", model="m", zh="z", basis="b", subject_type="auctions", summary="")  # type: ignore[arg-type]


@rule(
    "TST-TEMPLATE",
    model="test_clues",
    zh="模板",
    basis="测试",
    subject_type="claim",
    summary="{subject_id}：{amount:,.2f}元（{amount:.0f}），{n}笔，{pct:.1%}，{note}{{字面}}",
    replace=True,
)
def templated(t: ibis.Table) -> ibis.Table:
    return t.select(
        subject_id=t.claim_id,
        region=t.region,
        amount=t.amount,
        n=t.n,
        pct=t.pct,
        note=t.note,
        evidence=ibis.array([ref("insurance_claims", t.claim_id)]),
    )


def test_summaries_read_exactly_as_str_format_would_write_them() -> None:
    t = ibis.memtable(
        {
            "claim_id": ["c1", "c2", "c3"],
            "region": ["330602"] * 3,
            "amount": [1234.565, 0.125, None],
            "n": [3, 12, 0],
            "pct": [0.1234, 1.0, 0.0],
            "note": ["张三", None, ""],
        }
    )
    found = hy.clues.collect(templated(t)).frame.set_index("subject_id").summary
    template = templated.rule.summary  # type: ignore[attr-defined]
    assert found["c1"] == template.format(
        subject_id="c1", amount=1234.565, n=3, pct=0.1234, note="张三"
    )
    assert found["c2"] == "c2：0.12元（0），12笔，100.0%，—{字面}"
    assert found["c3"] == "c3：—元（—），0笔，0.0%，{字面}"


def test_the_cheap_strip_trims_exactly_what_strip_trims() -> None:
    values = [" a", "b\t", "\nc\r", "d", "", "  ", "\x0bx\x0c", "全角　", "中 间", None]
    t = ibis.memtable({"x": values}, schema={"x": "string"})
    got = ibis.duckdb.connect().execute(
        t.select(cheap=hy.rules.strip(t.x), plain=t.x.strip(), key=hy.rules.person_key(t.x))
    )
    assert got.cheap.fillna("<null>").tolist() == got.plain.fillna("<null>").tolist()
    assert got.key.fillna("<null>").tolist()[:4] == ["A", "B", "C", "D"]
    assert got.key.isna().tolist()[4:6] == [True, True]


@rule(
    "TST-SCORED",
    model="test_clues",
    zh="带分数",
    basis="测试",
    subject_type="claim",
    summary="赔案{subject_id}（{subject_name}）。",
    replace=True,
)
def scored(t: ibis.Table) -> ibis.Table:
    return t.select(
        subject_id=t.claim_id,
        region=t.region,
        subject_name=t.name,
        score=t.score,
        evidence=ibis.array([ref("insurance_claims", t.ref)]),
    )


def test_a_subject_hit_twice_is_one_clue_with_the_highest_score_and_all_its_records() -> None:
    t = ibis.memtable(
        {
            "claim_id": ["c2", "c1", "c2", "c3", "c2"],
            "region": ["330602"] * 5,
            "name": [None, "甲", "乙", "丙", "丁"],
            "score": [0.5, 0.6, 0.9, 0.7, 0.4],
            "ref": ["r2a", "r1", "r2b", "r3", "r2a"],
        }
    )
    found = hy.clues.collect(scored(t)).frame
    assert found.clue_id.tolist() == sorted(found.clue_id)  # in clue id order, one each
    by = found.set_index("subject_id")
    assert sorted(by.index) == ["c1", "c2", "c3"]
    assert by.loc["c2", "score"] == 0.9
    assert by.loc["c2", "evidence"] == ["insurance_claims:r2a", "insurance_claims:r2b"]
    assert by.loc["c2", "subject_name"] == "乙"  # the first name known, not the missing one
    assert by.loc["c1", "evidence"] == ["insurance_claims:r1"]


def test_hits_of_one_rule_collected_twice_are_merged_across_the_two() -> None:
    def claims(ids: list[str], scores: list[float], refs: list[str]) -> ibis.Table:
        n = len(ids)
        return ibis.memtable(
            {
                "claim_id": ids,
                "region": ["330602"] * n,
                "name": ["甲"] * n,
                "score": scores,
                "ref": refs,
            }
        )

    first = scored(claims(["c1", "c2"], [0.5, 0.6], ["a", "b"]))
    second = scored(claims(["c1"], [0.8], ["c"]))
    found = hy.clues.collect(first, second).frame.set_index("subject_id")
    assert sorted(found.index) == ["c1", "c2"]
    assert found.loc["c1", "score"] == 0.8
    assert found.loc["c1", "evidence"] == ["insurance_claims:a", "insurance_claims:c"]


def test_clues_of_several_rules_come_by_rule_then_clue_id() -> None:
    t = ibis.memtable(
        {
            "claim_id": ["b", "a", "c"],
            "region": ["330602"] * 3,
            "name": ["x", "y", "z"],
            "score": [0.5, 0.6, 0.7],
            "ref": ["1", "2", "3"],
            "amount": [1.0, 2.0, 3.0],
        }
    )
    found = hy.clues.collect(scored(t), amounts(t)).frame
    assert found.rule.tolist() == ["TST-AMOUNT"] * 3 + ["TST-SCORED"] * 3
    for _, part in found.groupby("rule"):
        assert part.clue_id.tolist() == sorted(part.clue_id)
    assert found.index.tolist() == list(range(6))
