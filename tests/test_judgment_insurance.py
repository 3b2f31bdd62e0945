"""The insurance facts of a judgment, read as the clarified contract asks (huiyan.judgments.insurance).

Phrasings written for these tests (not the generator's): assignment and what is no
assignment, the insurer's assessment denied, disputed or done through an assessor,
the plaintiff's own commission, repair shops by role, assessor names and fragments.
Then the real partial judgments of tests/data/realset, scored field by field.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from huiyan.judgments import parse
from huiyan.judgments.insurance import core, read
from huiyan.judgments.text import normalise
from huiyan.reading.vocabulary import load

V = load(local=None)
REALSET = Path(__file__).parent / "data" / "realset"


def facts(text: str, **kw):
    return read(normalise(text), V, **kw)


# --- assignment -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "车主李四将本次事故的理赔权转让给原告。",
        "事故发生后，李四与原告签订《债权转让协议》，约定将车损赔偿款转让予原告收取。",
        "车辆所有人李四已将其对被告享有的保险金请求权让与原告，并通知了被告。",
        "丰辉将其对被告所享有的70000元债权转让予他，被告同意。",
    ],
)
def test_an_assignment_of_the_claim_to_the_plaintiff_is_read(text):
    f = facts(text)
    assert f.assigned is True and f.assigned_words


@pytest.mark.parametrize(
    "text",
    [
        "被告辩称，事故前车主已将车辆转让给他人，则赔偿请求权随之转移，原告无权索赔。",
        "原告于事故前向李四购买该车，车辆已转让但尚未过户。",
        "上诉人保险公司与被上诉人张三债权转让合同纠纷一案，本院于2015年立案。",
        "原告提交代位求偿申请书、权益转让书，证明原告依法取得代位求偿权。",
        "车主李四并未将理赔权转让给原告。",
    ],
    ids=["insurer-argues-car-sold", "car-sold", "cause-of-action", "subrogation", "negated"],
)
def test_what_is_no_assignment(text):
    assert facts(text).assigned is False


def test_assigned_is_never_null_in_the_parse():
    parsed = parse("浙江省绍兴市越城区人民法院 民事判决书 (2021)浙0602民初1号 原告：张某，男。")
    assert parsed.to_dict()["assigned"] is False


# --- the insurer's assessment ----------------------------------------------------------------------

NOT_ASSESSED = [
    "该车损失未经保险公司定损。",
    "被告保险公司拒绝定损。",
    "原告未通知保险公司定损，即自行维修。",
    "保险公司在接到报案后一直没有进行定损。",
    "原告未等保险公司定损即将车辆送修。",
    "事故车辆在保险公司定损前已被原告修复。",
    "被告保险公司对车辆损失既未查勘也未定损。",
    "保险公司一直拖延定损。",
    "因太平保险分公司对车辆损失不作评估，原告自行委托他人评估。",
    "被告保险公司未能举证证明其已对车辆进行定损。",
]
ASSESSED = [
    "经被告保险公司定损，定损金额为3,000元。",
    "被告保险公司于事故次日对车辆进行了查勘定损，定损金额为5,000元。",
    "原告对保险公司的定损结果不予认可，另行委托甲乙价格评估有限公司评估。",
    "被告保险公司委托甲乙保险公估有限公司对车辆损失进行查勘，定损金额为3,000元。",
    "被告提交的机动车辆保险车损定损单证明了损失数额。",
]
SILENT = [
    "原告自行委托甲乙价格评估有限公司对车辆损失进行评估，评估损失为5,000元。",
    "审理中，经被告保险公司申请，本院依法委托甲乙价格评估有限公司对车辆损失进行鉴定。",
    "保险人有权对受损车辆定损。",
]


@pytest.mark.parametrize("text", NOT_ASSESSED)
def test_the_insurer_did_not_assess(text):
    f = facts(text)
    assert f.insurer_assessed is False and f.assessed_words


@pytest.mark.parametrize("text", ASSESSED)
def test_the_insurer_assessed(text):
    assert facts(text).insurer_assessed is True


@pytest.mark.parametrize("text", SILENT, ids=["plaintiff's-own", "court-appointed", "a-right"])
def test_what_says_nothing_of_the_insurer_assessing(text):
    assert facts(text).insurer_assessed is None


@pytest.mark.parametrize(
    ("text", "commissioned"),
    [
        ("原告自行委托甲乙价格评估有限公司对车辆损失进行评估。", True),
        ("车辆损失由原告委托的甲乙价格评估有限公司评估为5,000元。", True),
        ("经原告委托，甲乙价格评估有限公司出具评估报告。", True),
        ("原告将车辆送至甲乙价格评估有限公司评估。", True),
        ("经原告申请，本院委托甲乙价格评估有限公司对车辆损失进行鉴定。", False),
        ("被告保险公司委托甲乙保险公估有限公司查勘定损。", False),
        ("原告委托诉讼代理人张三，甲乙律师事务所律师；原告的车辆经鉴定损失为5,000元。", False),
    ],
)
def test_the_plaintiff_commissioned_the_appraisal(text, commissioned):
    assert facts(text).commissioned is commissioned


# --- repair shops and assessors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shops"),
    [
        ("事故车辆送至越城永顺汽车修理厂维修。", ["越城永顺汽车修理厂"]),
        ("受损车辆由越城鸿运车业有限公司修复。", ["越城鸿运车业有限公司"]),
        ("越城金源汽车快修店对该车进行了维修。", ["越城金源汽车快修店"]),
        ("维修单位为越城昌华机动车维修站。", ["越城昌华机动车维修站"]),
        ("被告越城昌华机动车维修站系肇事车辆的登记所有人。", []),
        ("越城鸿运汽车服务有限公司出具了施救费发票。", []),
        ("原告为修复受损车辆支付维修费3,000元。", []),
    ],
    ids=["送至", "由…修复", "对该车维修", "维修单位为", "co-defendant", "rescue-receipt", "bill"],
)
def test_a_business_is_a_repair_shop_only_where_it_repairs_the_car(text, shops):
    assert list(facts(text).repair_shops) == shops


@pytest.mark.parametrize(
    ("text", "assessors"),
    [
        ("原告委托河南至诚旧机动车鉴定评估有限公司评估。", ["河南至诚旧机动车鉴定评估有限公司"]),
        (
            "双方选定深圳市国众联保险公估股份有限公司（以下简称国众联保险公估公司）评估，"
            "国众联保险公估公司作出报告。",
            ["深圳市国众联保险公估股份有限公司"],
        ),
        (
            "佛山市价格事务所有限公司接受原告委托作出结论，佛山市价格事务所的结论书载明损失。",
            ["佛山市价格事务所有限公司"],
        ),
        ("原告提交了具有资质的评估机构出具的报告，原告委托的评估公司收取评估费。", []),
    ],
    ids=["至诚", "abbreviation", "company-form", "fragments"],
)
def test_assessor_names_are_names_not_sentence_fragments(text, assessors):
    assert list(facts(text).assessors) == assessors


def test_core_names_tell_bodies_apart():
    assert core("深圳市国众联保险公估股份有限公司") == core("国众联保险公估公司")
    assert core("越城永顺汽车修理厂") != core("越城鸿运汽车修理厂")


def test_masked_and_trailer_plates_are_plates():
    p = parse(
        "某法院 民事判决书 (2021)浙0602民初1号 原告：张某。被告吕某驾驶黑BV86**号轿车与赣Ｂ×××××及冀JLF11挂相撞。"
    )
    assert list(p.plates) == ["黑BV86**", "赣B×××××", "冀JLF11挂"]


# --- the real partial judgments -------------------------------------------------------------------

INSURANCE_FIELDS = ("plates", "repair_shops", "assessors", "assigned", "insurer_assessed")


def _realset() -> list[dict]:
    return [json.loads(x) for x in (REALSET / "judgments.jsonl").read_text("utf-8").splitlines()]


def test_real_judgments_insurance_fields():
    """The insurance fields of the 18 real partial judgments (labels not marked uncertain)."""
    right = total = 0
    wrong = []
    for row in _realset():
        got = parse((REALSET / row["file"]).read_text(encoding="utf-8")).to_dict()
        for field in INSURANCE_FIELDS:
            if field in row.get("uncertain", []):
                continue
            total += 1
            if got[field] == row[field] or (
                isinstance(row[field], list) and sorted(got[field]) == sorted(row[field])
            ):
                right += 1
            else:
                wrong.append(f"{row['id']}.{field}: {got[field]!r} != {row[field]!r}")
    # RJ-01's assessor is masked mid-name (苏州**证中心) and RJ-06's plate is a bare 桂X
    assert right >= total - 2, "\n".join(wrong)
    assert total >= 80
