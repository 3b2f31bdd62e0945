"""Synthetic edge cases for the judgment reader: one inline text per variation real documents show."""

from __future__ import annotations

import datetime as dt

import pytest
from huiyan.judgments import amounts, parse
from huiyan.judgments.text import normalise

HEAD = "浙江省绍兴市越城区人民法院\n民事判决书\n（2021）浙0602民初1234号\n"
INTRO = "原告张三与被告李四机动车交通事故责任纠纷一案，本院于2021年3月1日立案后，依法适用简易程序公开开庭进行了审理。本案现已审理终结。\n"
INSURER = "中国人民财产保险股份有限公司绍兴市分公司"


def doc(block: str, body: str = "", head: str = HEAD, intro: str = INTRO) -> str:
    return head + block + intro + body


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("12,345.60元", 12345.6, id="thousands-separator"),
        pytest.param("１２，３４５．６０元", 12345.6, id="full-width"),
        pytest.param("1.2万元", 12000.0, id="wan"),
        pytest.param("壹万贰仟元", 12000.0, id="daxie"),
        pytest.param("贰万叁仟元整（￥23000.00元正）", 23000.0, id="daxie-with-arabic-repeat"),
        pytest.param("人民币三千元", 3000.0, id="lowercase-chinese"),
        pytest.param("壹拾伍万肆仟伍佰捌拾捌元整", 154588.0, id="daxie-long"),
    ],
)
def test_amounts(text: str, expected: float) -> None:
    assert [a.value for a in amounts.find_amounts(normalise(text))] == [expected]


def test_rates_are_not_amounts() -> None:
    assert [a.value for a in amounts.find_amounts("按照30元/天的标准，住院20天，计600元")] == [
        600.0
    ]


@pytest.mark.parametrize(
    ("head", "case_no"),
    [
        pytest.param(HEAD, "（2021）浙0602民初1234号", id="new-style"),
        pytest.param(
            "浙江省绍兴市中级人民法院\n民事判决书\n（2015）浙绍商终字第19号\n",
            "（2015）浙绍商终字第19号",
            id="old-style",
        ),
        pytest.param(
            "浙江省绍兴市越城区人民法院 民 事 判 决 书 (2021)浙 0602 民初 1234 号 ",
            "（2021）浙0602民初1234号",
            id="half-width-spaced",
        ),
        pytest.param(
            "浙江省绍兴市越城区人民法院民事判决书2021浙0602民初1234号",
            "（2021）浙0602民初1234号",
            id="brackets-lost",
        ),
    ],
)
def test_case_numbers(head: str, case_no: str) -> None:
    p = parse(doc("原告：张三，男。被告：李四，男。", head=head))
    assert p.case_no == case_no
    assert p.doc_type == "民事判决书"
    assert p.court is not None and p.court.endswith("法院")


def test_crawler_title_is_not_the_header() -> None:
    p = parse(
        "张三与李四机动车交通事故责任纠纷一审民事判决书\n"
        + doc("原告：张三，男。\n被告：李四，男。\n")
    )
    assert (p.court, p.case_no, p.cause) == (
        "浙江省绍兴市越城区人民法院",
        "（2021）浙0602民初1234号",
        "机动车交通事故责任纠纷",
    )


def test_several_plaintiffs_share_an_agent() -> None:
    block = (
        "原告：张三，男。\n原告：王五，女。\n"
        "二原告共同委托诉讼代理人：赵六，浙江越光律师事务所律师。\n被告：李四，男。\n"
    )
    p = parse(
        doc(block, intro="原告张三、王五与被告李四机动车交通事故责任纠纷一案，本院审理终结。\n")
    )
    assert [x.name for x in p.plaintiffs] == ["张三", "王五"]
    assert all(x.agents[0].law_firm == "浙江越光律师事务所" for x in p.plaintiffs)


@pytest.mark.parametrize(
    ("label", "side"),
    [
        pytest.param("原告（反诉被告）", "plaintiffs", id="plaintiff-counter-defendant"),
        pytest.param("被告（反诉原告）", "defendants", id="defendant-counter-plaintiff"),
        pytest.param("上诉人（原审被告）", "defendants", id="appellant-first-instance-defendant"),
        pytest.param("被上诉人（原审原告）", "plaintiffs", id="appellee-first-instance-plaintiff"),
        pytest.param("原审第三人", "third_parties", id="third-party"),
    ],
)
def test_compound_roles(label: str, side: str) -> None:
    p = parse(doc(f"{label}：孙七，男，1980年1月1日出生。\n原告：张三，男。\n被告：李四，男。\n"))
    assert "孙七" in [x.name for x in getattr(p, side)]


def test_insurer_branch_company_with_representative() -> None:
    block = f"原告：张三，男。\n被告：{INSURER}，住所地绍兴市。\n负责人：王某，该公司经理。\n委托诉讼代理人：陈某某，该公司员工。\n"
    p = parse(doc(block, intro=f"原告张三与被告{INSURER}财产保险合同纠纷一案，本院审理终结。\n"))
    insurer = p.defendants[0]
    assert (insurer.name, insurer.kind, insurer.legal_rep) == (INSURER, "org", "王某")
    assert p.insurers == (INSURER,)
    assert [(a.name, a.law_firm) for a in insurer.agents] == [("陈某某", None)]
    assert p.cause == "财产保险合同纠纷"


@pytest.mark.parametrize(
    ("agent", "name", "firm"),
    [
        pytest.param(
            "委托诉讼代理人：赵六，浙江越光律师事务所律师。",
            "赵六",
            "浙江越光律师事务所",
            id="law-firm",
        ),
        pytest.param(
            "委托代理人赵六，绍兴市越城区城南法律服务所法律工作者。",
            "赵六",
            "绍兴市越城区城南法律服务所",
            id="legal-service",
        ),
        pytest.param(
            "委托诉讼代理人：赵六，男，1970年1月1日出生，汉族，住绍兴市。",
            "赵六",
            None,
            id="citizen",
        ),
        pytest.param(
            "委托代理人（特别授权）赵六，北京德恒（重庆）律师事务所律师。",
            "赵六",
            "北京德恒（重庆）律师事务所",
            id="bracket-in-firm",
        ),
    ],
)
def test_agents(agent: str, name: str, firm: str | None) -> None:
    p = parse(doc(f"原告：张三，男。\n{agent}\n被告：李四，男。\n"))
    assert [(a.name, a.law_firm) for a in p.plaintiffs[0].agents] == [(name, firm)]


def test_masked_names_and_ids() -> None:
    block = "原告：张某，男，身份证号码330602********1234。\n被告：李某某，女，公民身份号码×××0908。\n被告：王某1，男。\n"
    p = parse(doc(block, intro="原告张某与被告李某某、王某1民间借贷纠纷一案，本院审理终结。\n"))
    assert [x.name for x in p.plaintiffs] == ["张某"]
    assert [(x.name, x.kind) for x in p.defendants] == [("李某某", "person"), ("王某1", "person")]


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        pytest.param("判令被告赔偿原告各项损失共计12,345.60元", 12345.6, id="separator-total"),
        pytest.param("判令被告赔偿原告车辆损失1.2万元", 12000.0, id="wan"),
        pytest.param("判令被告偿还借款壹万贰仟元", 12000.0, id="daxie"),
        pytest.param(
            "判令被告偿还借款本金5000元及利息（以5000元为基数按年利率6%计算）",
            5000.0,
            id="interest-formula-left-out",
        ),
        pytest.param("判令被告赔偿医疗费1000元、误工费500.50元", 1500.5, id="items-summed"),
    ],
)
def test_claimed_amount(claim: str, expected: float) -> None:
    body = f"原告张三向本院提出诉讼请求：1、{claim}；2、诉讼费由被告承担。事实与理由：略。\n"
    assert parse(doc("原告：张三，男。\n被告：李四，男。\n", body)).claimed_amount == expected


def test_awarded_amount_and_date() -> None:
    body = (
        "本院认为，略。判决如下：\n一、被告李四于本判决生效之日起十日内赔偿原告张三各项损失共计8,000元；\n"
        "二、驳回原告张三的其他诉讼请求。\n案件受理费50元，由被告负担。\n审判员　　王某\n二〇二一年五月六日\n书记员　　李某\n"
    )
    p = parse(doc("原告：张三，男。\n被告：李四，男。\n", body))
    assert p.awarded_amount == 8000.0
    assert p.judgment_date == dt.date(2021, 5, 6)


def test_dismissed_claim_awards_zero() -> None:
    body = "判决如下：\n驳回原告张三的诉讼请求。\n案件受理费50元，由原告负担。\n"
    assert parse(doc("原告：张三，男。\n被告：李四，男。\n", body)).awarded_amount == 0.0


def test_single_line_with_half_width_punctuation() -> None:
    text = (
        "浙江省绍兴市越城区人民法院民事判决书(2021)浙0602民初1234号原告:张三,男,1980年1月1日出生。"
        "委托诉讼代理人:赵六,浙江越光律师事务所律师。被告:"
        + INSURER
        + ",住所地绍兴市。负责人:王某,经理。"
        "原告张三与被告"
        + INSURER
        + "财产保险合同纠纷一案,本院审理终结。原告张三向本院提出诉讼请求:"
        "判令被告赔偿损失共计6,000元。事实与理由:略。判决如下:被告"
        + INSURER
        + "赔偿原告张三6,000元。"
        "案件受理费25元。审判员王某二〇二一年五月六日书记员李某"
    )
    p = parse(text)
    assert p.case_no == "（2021）浙0602民初1234号"
    assert [x.name for x in p.plaintiffs] == ["张三"] and p.plaintiffs[0].agents[0].name == "赵六"
    assert p.defendants[0].legal_rep == "王某"
    assert (p.claimed_amount, p.awarded_amount, p.judgment_date) == (
        6000.0,
        6000.0,
        dt.date(2021, 5, 6),
    )


@pytest.mark.parametrize(
    ("mention", "plate"),
    [
        pytest.param("浙D·12345号小型轿车", "浙D12345", id="middle-dot"),
        pytest.param("浙Ｄ１２３４５号小型轿车", "浙D12345", id="full-width"),
        pytest.param("浙d12345号小型轿车", "浙D12345", id="lower-case"),
        pytest.param("浙AD12345号新能源车", "浙AD12345", id="new-energy"),
    ],
)
def test_plates_normalised(mention: str, plate: str) -> None:
    assert parse(
        doc("原告：张三，男。\n被告：李四，男。\n", f"经查，{mention}与原告车辆相撞。")
    ).plates == (plate,)


def test_masked_plates_are_plates_kept_as_written() -> None:
    # clarified contract: masked plates are still plates, normalised like any other
    p = parse(
        doc(
            "原告：张三，男。\n被告：李四，男。\n",
            "赣Ｂ×××××小型轿车与黑BV86**号轿车、浙AXXXXX相撞。",
        )
    )
    assert p.plates == ("赣B×××××", "黑BV86**", "浙AXXXXX")


@pytest.mark.parametrize(
    "shop",
    [
        "绍兴市越城区顺达汽修厂",
        "绍兴市通途汽车修理厂",
        "杭州宏达汽车维修有限公司",
        "越城华诚汽车修配厂",
        "宁波安骅汽车服务有限公司",
    ],
)
def test_repair_shops(shop: str) -> None:
    p = parse(
        doc("原告：张三，男。\n被告：李四，男。\n", f"事故车辆经{shop}修理，支付修理费5000元。")
    )
    assert p.repair_shops == (shop,)


@pytest.mark.parametrize(
    "assessor",
    [
        "浙江中衡保险公估有限公司",
        "绍兴市诚信价格评估有限公司",
        "浙江天恒司法鉴定所",
        "绍兴文理学院司法鉴定中心",
    ],
)
def test_assessors(assessor: str) -> None:
    p = parse(
        doc(
            "原告：张三，男。\n被告：李四，男。\n",
            f"原告委托{assessor}对车辆损失进行评估，评估费800元。",
        )
    )
    assert p.assessors == (assessor,)


@pytest.mark.parametrize(
    "sentence",
    [
        "车主已将债权转让给原告。",
        "车主与原告签订理赔权转让协议。",
        "车主将保险金请求权转让予原告。",
    ],
)
def test_assigned(sentence: str) -> None:
    assert parse(doc("原告：张三，男。\n被告：李四，男。\n", sentence)).assigned is True


@pytest.mark.parametrize(
    "sentence",
    ["车辆未经保险公司定损即送修。", "被告保险公司拒绝定损。", "事故发生后保险公司未定损。"],
)
def test_insurer_not_assessed(sentence: str) -> None:
    assert parse(doc("原告：张三，男。\n被告：李四，男。\n", sentence)).insurer_assessed is False


def test_missing_facts_are_null_not_guessed() -> None:
    p = parse("原告张三诉称，被告欠钱不还。")
    d = p.to_dict()
    for key in ("case_no", "court", "cause", "doc_type", "judgment_date", "claimed_amount",
                "awarded_amount", "insurer_assessed"):  # fmt: skip
        assert d[key] is None, key
    assert d["assigned"] is False  # never null: the text either says so or it does not
    assert d["plates"] == [] and d["repair_shops"] == [] and d["assessors"] == []
    assert parse("").to_dict()["plaintiffs"] == []


def test_mediation_awards_what_the_confirmed_agreement_pays() -> None:
    head = "浙江省绍兴市越城区人民法院\n民事调解书\n（2021）浙0602民初1234号\n"
    body = (
        "本案审理过程中，经本院主持调解，双方当事人自愿达成如下协议：\n"
        "一、被告李四于2021年6月30日前支付原告张三借款12,000元；\n"
        "二、案件受理费50元，由被告李四负担。\n"
        "上述协议，符合有关法律规定，本院予以确认。\n审判员　　王某\n二〇二一年五月六日\n"
    )
    p = parse(doc("原告：张三，男。\n被告：李四，男。\n", body, head=head))
    assert (p.doc_type, p.awarded_amount) == ("民事调解书", 12000.0)


def test_surname_fang_after_a_label_without_colon() -> None:
    # 方 after 被告 is usually 被告方 (the defendant's side), but 被告方红悦， is a person
    block = "原告方某，男，汉族。\n被告方红悦，女，汉族，住绍兴市。\n"
    intro = "原告方某与被告方红悦民间借贷纠纷一案，本院审理终结。\n"
    p = parse(doc(block, intro=intro))
    assert [x.name for x in p.plaintiffs] == ["方某"]
    assert [x.name for x in p.defendants] == ["方红悦"]
    assert p.cause == "民间借贷纠纷"


def test_loss_adjuster_party_is_not_an_insurer_and_names_stop_at_the_role() -> None:
    adjuster = "浙江平精保险公估有限公司"
    shop = "越城立邦汽车维修有限公司"
    block = f"原告：{adjuster}，住所地绍兴市。\n法定代表人：王某，总经理。\n被告：{shop}，住所地绍兴市。\n"
    intro = f"原告{adjuster}与被告{shop}买卖合同纠纷一案，本院审理终结。\n"
    body = f"判决如下：\n被告{shop}于本判决生效之日起十日内支付原告{adjuster}货款5000元。\n"
    p = parse(doc(block, body, intro=intro))
    assert p.insurers == ()
    # a repair business suing over a debt repairs no vehicle here: no repair shop (contract);
    # an assessment firm is an appraisal body named, whatever it sues for
    assert (p.assessors, p.repair_shops) == ((adjuster,), ())
    assert p.awarded_amount == 5000.0
