"""The "house" phrasing family: the wording huiyan's generator has always used.

Development family. Each function turns one record's facts into words; see
:mod:`huiyan.synth.phrasing` for the interface and the rules a text must keep.
"""

from __future__ import annotations

import datetime as dt
import random

from huiyan.synth.phrasing.facts import (
    DrinkFacts,
    JudgmentFacts,
    MiningFacts,
    PenaltyText,
    ShoddyFacts,
    WasteFacts,
)

NAME = "house"

_ROADS = ("人民路", "解放路", "中兴路", "环城西路", "胜利路", "凤林路", "城南大道", "迎宾路")


def _md(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _yuan(v: float, r: random.Random) -> str:
    """9.6万元, 96,000.00元 or 人民币96000元."""
    k = r.random()
    if abs(v - round(v, -2)) < 1e-6 and k < 0.5:
        return f"{v / 10_000:g}万元"
    if k < 0.75:
        return f"{v:,.2f}元"
    return f"人民币{v:.2f}元".replace(".00元", "元")


def _plate(plate: str | None, r: random.Random) -> str | None:
    """浙D12345 or 浙D·12345."""
    if plate is None:
        return None
    return plate[:2] + "·" + plate[2:] if r.random() < 0.25 else plate


def _money(x: float, r: random.Random) -> str:
    k = r.random()
    if k < 0.3:
        return f"{x:,.2f}元"
    return f"{x:.2f}元"


# -- penalties ---------------------------------------------------------------------------------


def mining(f: MiningFacts, r: random.Random) -> PenaltyText:
    """非法采砂约3,200吨，价值约9.6万元."""
    zone = ""
    if f.restricted == "zone":
        zone = "在禁采区内"
    elif f.restricted == "period":
        zone = r.choice(["在禁采期内", "于禁采期（3月1日至6月30日）"])
    if f.cubic_metres is not None:
        qty = f"{f.cubic_metres:,.0f}立方米"
    elif f.tonnes is not None:
        qty = f"约{f.tonnes:,.0f}吨"
    else:
        qty = "一批"
    if f.value_yuan is None:
        val = "涉案砂石价值经价格认定（见认定书）"
    else:
        val = r.choice(["价值约", "涉案砂石价值", "货值", "矿产品价值"]) + _yuan(f.value_yuan, r)
    t = r.randrange(3)
    if t == 0:
        text = f"经查，{f.party}于{_md(f.date)}未取得采矿许可证，{zone}擅自在{f.place}使用采砂船非法采砂{qty}，{val}。"
    elif t == 1:
        text = f"{f.party}在未办理河道采砂许可证的情况下，于{_md(f.date)}{zone}在{f.place}河段非法采砂{qty}，{val}。"
    else:
        text = f"经查，{f.party}{zone}在{f.place}沿岸无证开采建筑用砂石{qty}，{val}，违反了《中华人民共和国矿产资源法》第三条的规定。"
    if f.denies_restricted:
        text += r.choice(
            ["经核实，该河段不属于禁采区。", "采砂时间不在禁采期内，作业地点亦非禁采区。"]
        )
    label = (
        r.choice(["非法采砂", "河道采砂未取得许可", "无证开采矿产资源", "非法采矿"])
        if f.label_matches
        else r.choice(["违反河道管理规定", "违反水法规定", "其他违法行为"])
    )
    return PenaltyText(label, text)


def shoddy(f: ShoddyFacts, r: random.Random) -> PenaltyText:
    """销售不合格电线电缆，销售金额6.8万元."""
    head = f"经查，{f.party}于{_md(f.date)}"
    parts = []
    if f.sales_yuan > 0:
        parts.append(
            r.choice(
                [
                    f"销售不合格{f.product}，销售金额",
                    f"以次充好销售伪劣{f.product}，销售额",
                    f"生产、销售伪劣{f.product}，销售收入",
                ]
            )
            + _yuan(f.sales_yuan, r)
        )
        if f.gain_yuan is not None:
            parts.append("违法所得" + _yuan(f.gain_yuan, r))
    if f.unsold_yuan is None:
        parts.append(f"现场查获尚未销售的伪劣{f.product}一批（货值见扣押清单）")
    elif f.unsold_yuan > 0:
        parts.append(f"现场查获尚未销售的伪劣{f.product}，货值" + _yuan(f.unsold_yuan, r))
    if not parts:
        parts.append(f"销售不合格{f.product}")
    label = (
        r.choice(["销售不合格产品", "生产、销售伪劣产品", "销售假冒伪劣商品", "以次充好"])
        if f.label_matches
        else r.choice(["违反产品质量法", "未按规定标注产品标识", "其他违法行为"])
    )
    return PenaltyText(label, head + "，".join(parts) + "。")


def drink(f: DrinkFacts, r: random.Random) -> PenaltyText:
    """经抽血检验其血液酒精含量为125毫克/100毫升."""
    if f.blood_in_record:
        tail = "经抽血检验，血液酒精含量见司法鉴定意见书"
    elif f.blood_mg is not None and f.breath_mg is not None:
        tail = (
            f"经呼气酒精测试，其呼气酒精含量为{f.breath_mg:g}mg/100ml；"
            f"后经抽血检验，血液中乙醇含量为{f.blood_mg:g}mg/100ml"
        )
    elif f.blood_mg is not None:
        tail = (
            f"经呼气酒精测试及血液检验，血液中乙醇含量为{f.blood_mg:g}mg/100ml"
            if r.random() < 0.5
            else f"经抽血检验其血液酒精含量为{f.blood_mg:g}毫克/100毫升"
        )
    else:
        tail = f"经呼气式酒精检测，其呼气酒精含量为{f.breath_mg:g}mg/100ml"
    drunk = f.over_80 and f.label_matches
    label = "醉酒后驾驶机动车" if drunk else "饮酒后驾驶机动车"
    text = f"{f.party}于{_md(f.date)}驾驶{f.plate}小型轿车在{f.place}城区道路行驶，{tail}。"
    return PenaltyText(label, text)


_DISPOSAL_LABELS = ("非法处置危险废物", "违法转移危险废物", "非法倾倒危险废物")
_KEEPING_LABELS = ("未按规定贮存危险废物", "危险废物管理不规范", "未按规定设置危险废物识别标志")


def waste(f: WasteFacts, r: random.Random) -> PenaltyText:
    """将废矿物油等危险废物约4.2吨交由无危险废物经营资质的个人非法处置."""
    qty = ""
    if f.tonnes is not None:
        kg = f.tonnes * 1000
        k = r.random()
        if k < 0.3:
            qty = f"{kg:.0f}公斤"
        elif k < 0.6:
            qty = f"{kg:,.0f}千克"
        else:
            qty = f"{f.tonnes:g}吨"
    p, w = f.party, f.waste
    if f.conduct in ("unlicensed", "dumped", "discharged"):
        if f.tonnes is None:
            text = f"经查，{p}未按规定贮存、处置{w}等危险废物，将其交由无危险废物经营许可证的个人处置。"
        elif f.conduct == "unlicensed":
            text = f"经查，{p}于{_md(f.date)}将{w}等危险废物约{qty}交由无危险废物经营资质的个人非法处置。"
        elif f.conduct == "dumped":
            text = f"{p}将生产过程中产生的{w}（危险废物）{qty}非法倾倒于厂区外空地。"
        else:
            text = f"经查，{p}通过暗管将{w}（危险废物）{qty}直接排入厂区外河道。"
        disposal = True
    else:
        amount = f"约{qty}" if qty else ""
        if f.conduct == "stored":
            text = f"经查，{p}将{w}等危险废物{amount}露天堆放于厂区内，未按规定设置贮存场所，贮存期限超过一年。"
        elif f.conduct == "labelling":
            text = f"经查，{p}贮存的{w}等危险废物{amount}未按规定设置危险废物识别标志。"
        else:
            text = f"经查，{p}产生的{w}等危险废物{amount}未按规定建立管理台账，未如实记录产生、贮存情况。"
        disposal = False
    named = disposal == f.label_matches
    label = r.choice(_DISPOSAL_LABELS if named else _KEEPING_LABELS)
    return PenaltyText(label, text)


# -- insurance judgments -----------------------------------------------------------------------


def _person_line(
    label: str, name: str, gender: str, birth: dt.date | None, place: str, r: random.Random
) -> str:
    sep = r.choice(["：", "：", ":", ""])
    born = f"{_md(birth)}{r.choice(['出生', '生'])}" if birth else ""
    if r.random() < 0.5:
        body = f"{gender}，{born}，汉族，住{place}。" if born else f"{gender}，汉族，住{place}。"
    else:
        body = f"{gender}，汉族，{born}，住{place}。" if born else f"{gender}，住{place}。"
    return f"{label}{sep}{name}，{body}"


def judgment_parties(f: JudgmentFacts, r: random.Random) -> list[str]:
    """The party block: one paragraph per party, representative and agent."""
    out = []
    if f.plaintiff_kind == "org":
        out.append(
            f"原告：{f.plaintiff}，住所地{f.county}{r.choice(_ROADS)}{r.randint(1, 300)}号。"
        )
        out.append(f"法定代表人：{f.plaintiff_rep}，{r.choice(['总经理', '执行董事', '经理'])}。")
    else:
        person = f.plaintiff_person
        assert person is not None
        out.append(_person_line("原告", f.plaintiff, person.gender, person.birth, f.county, r))
    if f.agent is not None:
        label = r.choice(["委托诉讼代理人", "委托诉讼代理人", "委托代理人"])
        sep = "：" if label == "委托诉讼代理人" else r.choice(["", "："])
        if f.agent_kind == "lawyer":
            out.append(
                f"{label}{sep}{f.agent}，{f.agent_firm}{r.choice(['律师', '律师', '专职律师'])}{r.choice(['。', '，特别授权代理。'])}"
            )
        elif f.agent_kind == "legal_service":
            out.append(f"{label}{sep}{f.agent}，{f.agent_firm}法律工作者。")
        else:
            out.append(
                f"{label}{sep}{f.agent}，{r.choice(['男', '女'])}，汉族，住{f.county}，系原告{f.plaintiff}{r.choice(['的朋友', '的亲戚', '所在社区推荐'])}。"
            )
    if f.driver is not None:
        out.append(_person_line("被告", f.driver, f.driver_gender, None, f.county, r))
    if f.vehicle_company is not None:
        out.append(
            f"被告：{f.vehicle_company}，住所地{f.county}{r.choice(_ROADS)}{r.randint(1, 300)}号。"
        )
        out.append(f"法定代表人：{f.vehicle_company_rep}，执行董事。")
    out.append(
        f"被告{r.choice(['：', '', ':'])}{f.insurer}，{r.choice(['住所地', '住所地：'])}{f.county}{r.choice(_ROADS)}{r.randint(1, 500)}号。"
    )
    out.append(
        f"{r.choice(['负责人', '主要负责人', '代表人'])}：{f.insurer_rep}，{r.choice(['该公司总经理', '总经理', '该公司经理'])}。"
    )
    out.append(
        f"委托诉讼代理人：{f.insurer_agent}，{r.choice(['该公司员工', '该公司职员', '公司员工'])}。"
    )
    return out


def judgment_story(f: JudgmentFacts, r: random.Random) -> str:
    """事实和理由: the accident, whose car, an assignment; ends asking the court to rule."""
    when = _md(f.accident_date)
    place = f.accident_place
    if f.assigned:
        own_ref = f"案外人{f.owner}所有的"
    elif f.car_sold:
        own_ref = "原告从案外人处购买的"
    else:
        own_ref = "原告所有的"
    A, B, D, abbr = _plate(f.plate, r), _plate(f.other_plate, r), f.driver, f.insurer_short
    if A and f.traffic:
        s = f"{when}，被告{D}驾驶{B}号车辆在{place}与{own_ref}{A}号车辆发生碰撞，造成两车受损的交通事故。经交警部门认定，被告{D}负事故全部责任。{B}号车辆在被告{abbr}处投保了交强险及商业第三者责任险。"
    elif A:
        s = f"{own_ref}{A}号车辆在被告{abbr}处投保了机动车损失保险，{when}，该车在{place}发生交通事故受损，事故发生在保险期间内。"
    else:
        s = f"{when}，被告{D}驾驶{B}号车辆在{place}将原告撞伤。经交警部门认定，被告{D}负事故主要责任。{B}号车辆在被告{abbr}处投保了交强险及商业第三者责任险。"
    if f.vehicle_company is not None and B:
        s += f"{B}号车辆登记在被告{f.vehicle_company}名下。"
    if f.car_sold:
        s += f"原告于事故前向{f.owner}购买该车，尚未办理过户登记。"
    if f.assigned:
        s += r.choice(
            [
                f"事故发生后，车主{f.owner}与原告签订《债权转让协议》，将本次事故车辆损失的保险理赔权转让给原告，并已通知被告。",
                f"事故发生后，{f.owner}将其对被告享有的车辆损失赔偿债权转让给原告，债权转让通知已送达被告。",
                f"{f.owner}已将该车损失的索赔权转让给原告{f.plaintiff}。",
            ]
        )
    s += r.choice(
        ["为维护原告合法权益，特诉至法院。", "现原告诉至本院，请求判如所请。", "故原告起诉。"]
    )
    return s


def judgment_defence(f: JudgmentFacts, r: random.Random) -> list[str]:
    """答辩: the insurer's defence (and the driver's)."""
    abbr = f.insurer_short
    if f.assessment == "self":
        first = f"被告{abbr}辩称，{r.choice(['原告未通知保险公司定损，单方委托评估，评估金额过高，不予认可', '原告车辆未经保险公司定损即自行维修，对评估结论不予认可'])}；{r.choice(['诉讼费、评估费不属于保险赔偿范围', '请求依法判决'])}。"
    elif f.car_sold:
        first = f"被告{abbr}辩称，事故车辆在事故前已经转让，受让人未通知保险人，因转让导致危险程度显著增加的，保险人不承担赔偿责任；请求驳回原告的诉讼请求。"
    else:
        first = f"被告{abbr}辩称，{r.choice(['对事故发生及责任认定无异议', '对投保事实无异议'])}，{r.choice(['愿意在保险责任限额内依法赔偿', '但原告主张的部分损失过高'])}，诉讼费不予承担。"
    out = [first]
    if f.driver and r.random() < 0.6:
        out.append(
            f"被告{f.driver}{r.choice(['辩称，车辆已投保，应由保险公司赔偿。', '未作答辩。'])}"
        )
    return out


def judgment_findings(f: JudgmentFacts, r: random.Random) -> str:
    """查明: the accident, the repair shop, how the loss was assessed."""
    when = _md(f.accident_date)
    A, B, D, abbr = _plate(f.plate, r), _plate(f.other_plate, r), f.driver, f.insurer_short
    if A and B:
        acc = f"{when}，{D}驾驶{B}号车辆与{A}号车辆发生碰撞，致两车受损。{D}负事故全部责任。"
    elif A:
        acc = f"{A}号车辆于{when}发生交通事故受损，该车在被告处投保了车辆损失险，事故发生在保险期间内。"
    else:
        acc = (
            f"{when}，{D}驾驶{B}号车辆与原告{f.plaintiff}发生碰撞，致原告受伤，{D}负事故主要责任。"
        )
    out = [r.choice(["经审理查明：", "经审理查明，", "本院经审理认定事实如下："]) + acc]
    if f.shop:
        out.append(
            r.choice(
                [
                    f"事故车辆送至{f.shop}维修。",
                    f"受损车辆由{f.shop}修复。",
                    f"车辆事故后在{f.shop}进行维修。",
                ]
            )
        )
    loss = _money(f.loss_yuan, r)
    a = f.assessment
    if a == "self":
        out.append(
            f"原告自行委托{f.assessor}对车辆损失进行评估，评估损失为{loss}。该车损失{r.choice(['未经保险公司定损', '未经被告保险公司定损'])}。"
        )
    elif a == "self_silent":
        out.append(f"原告自行委托{f.assessor}对车辆损失进行评估，评估损失为{loss}。")
    elif a == "disputed":
        assert f.insurer_loss_yuan is not None
        out.append(
            f"事故发生后，被告{abbr}对车辆损失定损为{_money(f.insurer_loss_yuan, r)}，原告对此不予认可，另行委托{f.assessor}进行评估，评估损失为{loss}。"
        )
    elif a == "insurer_named":
        out.append(f"被告{abbr}委托{f.assessor}对车辆损失进行查勘，定损金额为{loss}。")
    elif a == "insurer":
        out.append(f"经被告{abbr}定损，定损金额为{loss}。")
    elif a == "court":
        out.append(
            f"审理中，经被告{abbr}申请，本院依法委托{f.assessor}对车辆损失进行鉴定，鉴定车辆损失为{loss}。"
        )
    elif a == "repair_bill":
        out.append(f"原告车辆维修实际支出修理费{loss}。")
    return "".join(out)
