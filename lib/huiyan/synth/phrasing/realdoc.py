"""The "realdoc" phrasing family: wording modelled on the real documents in shared/realdata.

Development family. The judgment pieces follow the published traffic judgments (T01-T05)
and shared/realdata/judgments/STRUCTURE.md: older party lines without colons (原告周发扬，男，
1991年10月25日出生。 / 委托代理人李军英，…法律服务所法律工作者。), the plaintiff's story under
诉称, the defences under 辩称, findings opened by 经审理查明 and 另查明：1、…2、…, an appraisal
body that 接受…的委托，对…进行评估鉴定，…作出…结论书，确认该车损失总值为N元, and evidence lists
(以上事实，有…等证据证明). The penalty facts follow the shape of published administrative
penalty decisions (经查/现查明, 上述事实有…等证据为证, 违反了《…》第…条的规定), with capital
numerals and full-width figures as they often carry.
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

NAME = "realdoc"

_CAPITAL = "零壹贰叁肆伍陆柒捌玖"
_WIDE = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def _date(d: dt.date, r: random.Random) -> str:
    if r.random() < 0.15:
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    return f"{d.year}年{d.month}月{d.day}日"


def _capital(n: int) -> str:
    """An integer in capital numerals (壹拾贰万元 style, without the 元)."""
    if n == 0:
        return "零"
    units = ["", "拾", "佰", "仟"]

    def section(x: int) -> str:
        out, zero = "", False
        for i in range(3, -1, -1):
            d = x // 10**i % 10
            if d:
                if zero and out:
                    out += "零"
                out += _CAPITAL[d] + units[i]
                zero = False
            else:
                zero = True
        return out

    high, low = divmod(n, 10_000)
    if not high:
        return section(low)
    return section(high) + "万" + (("零" if low < 1000 else "") + section(low) if low else "")


def _yuan(v: float, r: random.Random) -> str:
    """Money as decisions write it: 人民币96000元, 96,000.00元, 9.6万元, 玖万陆仟元整（￥96000元）."""
    k = r.random()
    whole = abs(v - round(v)) < 1e-9
    if whole and k < 0.2:
        return f"人民币{_capital(round(v))}元整（￥{v:.0f}元）"
    if whole and round(v) % 100 == 0 and k < 0.4:
        return f"{v / 10_000:g}万元"
    if k < 0.55:
        return f"{v:,.2f}元".translate(_WIDE) if r.random() < 0.3 else f"{v:,.2f}元"
    if k < 0.8:
        return f"人民币{v:.2f}元".replace(".00元", "元")
    return f"{v:.2f}元"


def _tonnes(t: float, r: random.Random) -> str:
    """A weight: 4.2吨, 4,200千克, 4200kg, 4200公斤 (exact)."""
    kg = t * 1000
    k = r.random()
    if k < 0.35 and abs(kg - round(kg)) < 1e-6:
        return r.choice([f"{kg:,.0f}千克", f"{kg:.0f}kg", f"{kg:.0f}公斤"])
    return f"{t:g}吨"


# -- penalties ---------------------------------------------------------------------------------

_LAWS_MINING = (
    "《中华人民共和国矿产资源法》第三条第三款",
    "《中华人民共和国河道管理条例》第二十五条",
    "《中华人民共和国水法》第三十九条",
)


def mining(f: MiningFacts, r: random.Random) -> PenaltyText:
    """经查，当事人…未取得河道采砂许可证擅自在…采挖河砂…，价值人民币…。"""
    who = f"当事人{f.party}" if r.random() < 0.6 else f.party
    when = _date(f.date, r)
    if f.restricted == "zone":
        where = r.choice(
            [f"在{f.place}禁采区内", f"在{f.place}划定的禁采区范围内", f"于{f.place}禁采河段"]
        )
    elif f.restricted == "period":
        where = r.choice([f"在禁采期内于{f.place}", f"于{f.place}（时值禁采期）"])
    else:
        where = f"在{f.place}"
    verb = r.choice(["采挖河砂", "非法抽采河砂", "采挖砂石", "开采建筑用砂", "盗采河道砂石"])
    if f.cubic_metres is not None:
        qty = f"{f.cubic_metres:,.0f}立方米" if r.random() < 0.5 else f"{f.cubic_metres:.0f}方"
    elif f.tonnes is not None:
        qty = f"{f.tonnes:.0f}吨余" if r.random() < 0.3 else f"约{f.tonnes:,.0f}吨"
    else:
        qty = ""
    head = r.choice(["经查，", "现查明：", "经调查，"])
    licence = r.choice(
        ["未取得河道采砂许可证，", "在未办理采矿许可证的情况下，", "未经水行政主管部门许可，"]
    )
    body = f"{head}{who}于{when}{licence}擅自{where}{verb}{qty}"
    if f.value_yuan is None:
        body += "，所采砂石价值由价格认证机构另行认定"
    else:
        label = r.choice(
            ["经价格认定，涉案砂石价值", "矿产品价值为", "经认定，所采矿产品价值", "折合价值"]
        )
        body += f"，{label}{_yuan(f.value_yuan, r)}"
    body += "。"
    if f.denies_restricted:
        body += r.choice(
            ["经核实，上述地点不属于禁采区。", "该区域未被划入禁采区，作业时间亦不在禁采期内。"]
        )
    body += f"上述事实有现场勘验笔录、询问笔录、照片等证据为证。当事人的行为违反了{r.choice(_LAWS_MINING)}的规定。"
    if r.random() < 0.4:
        body += f"决定处以罚款{_yuan(f.fine_yuan, r)}。"
    label = (
        r.choice(["未经许可擅自采砂", "非法开采矿产资源", "无证采砂", "越界开采"])
        if f.label_matches
        else r.choice(["违反水法", "违反河道管理条例", "其他违法行为"])
    )
    return PenaltyText(label, body)


def shoddy(f: ShoddyFacts, r: random.Random) -> PenaltyText:
    """经查，当事人…销售的…经检验不合格，…违法所得…。"""
    who = f"当事人{f.party}" if r.random() < 0.6 else f.party
    goods = (
        r.choice(
            [
                f"销售的{f.product}经抽样检验为不合格产品",
                f"生产、销售以次充好的{f.product}",
                f"销售假冒的{f.product}",
            ]
        )
        if f.sales_yuan > 0
        else f"存放待售的{f.product}经抽样检验为不合格产品"
    )
    parts = [f"{r.choice(['经查，', '现查明：'])}{who}自{_date(f.date, r)}起{goods}"]
    if f.sales_yuan > 0:
        parts.append(
            r.choice(["销售金额共计", "违法销售金额", "销售收入共计"]) + _yuan(f.sales_yuan, r)
        )
    if f.gain_yuan is not None:
        parts.append("违法所得" + _yuan(f.gain_yuan, r))
    if f.unsold_yuan is None:
        parts.append(f"执法人员当场扣押尚未销售的{f.product}（货值以扣押清单为准）")
    elif f.unsold_yuan > 0:
        parts.append(f"当场查扣尚未销售的{f.product}，货值金额{_yuan(f.unsold_yuan, r)}")
    text = "，".join(parts) + "。上述事实有检验报告、销售台账、当事人陈述等证据证实。"
    if r.random() < 0.4:
        text += f"依法处罚款{_yuan(f.fine_yuan, r)}。"
    label = (
        r.choice(["销售不合格产品", "以不合格产品冒充合格产品", "生产销售伪劣产品"])
        if f.label_matches
        else r.choice(["未按规定建立进货查验记录", "产品标识不符合规定"])
    )
    return PenaltyText(label, text)


def drink(f: DrinkFacts, r: random.Random) -> PenaltyText:
    """…驾驶…号小型轿车…，经呼气酒精含量检测…；经提取血样送检，血液中乙醇含量为…。"""
    plate = f.plate[:2] + "·" + f.plate[2:] if r.random() < 0.2 else f.plate
    head = (
        f"{_date(f.date, r)}{r.choice(['21时许', '23时30分许', '凌晨1时许', '19时45分'])}，"
        f"{f.party}饮酒后驾驶{plate}号小型轿车行驶至{f.place}{r.choice(['城区路段', '人民路口', '环城路'])}时"
        f"被执勤民警查获"
    )
    tests = []
    if f.breath_mg is not None:
        tests.append(f"经呼气酒精含量检测，其呼出气体酒精含量为{f.breath_mg:g}mg/100mL")
    if f.blood_mg is not None:
        tests.append(
            r.choice(
                [
                    f"经提取血样送检，其血液中乙醇含量为{f.blood_mg:g}mg/100ml",
                    f"后抽取其静脉血送鉴定机构检验，血液酒精含量为{f.blood_mg:g}毫克/100毫升",
                ]
            )
        )
    elif f.blood_in_record:
        tests.append("经提取血样送检，检验结果详见鉴定意见书")
    text = head + "；" + "；".join(tests) + "。" if tests else head + "。"
    label = (
        ("醉酒驾驶机动车" if f.over_80 else "饮酒后驾驶机动车")
        if f.label_matches
        else "饮酒后驾驶机动车"
    )
    return PenaltyText(label, text)


def waste(f: WasteFacts, r: random.Random) -> PenaltyText:
    """经查，当事人将生产中产生的…（HW08）…交由无危险废物经营许可证的…处置……"""
    who = f"当事人{f.party}" if r.random() < 0.6 else f.party
    qty = _tonnes(f.tonnes, r) if f.tonnes is not None else ""
    head = r.choice(["经查，", "现场检查发现，", "经调查核实，"])
    w = f"{f.waste}（危险废物）" if r.random() < 0.5 else f"危险废物{f.waste}"
    if f.conduct == "unlicensed":
        body = f"{who}于{_date(f.date, r)}将生产过程中产生的{w}{qty}出售给无危险废物经营许可证的个体人员处置"
    elif f.conduct == "dumped":
        body = (
            f"{who}将其产生的{w}{qty}擅自倾倒于{r.choice(['厂区外排水沟', '附近荒地', '河道边'])}"
        )
    elif f.conduct == "discharged":
        body = f"{who}通过私设暗管将{w}{qty}排入外环境"
    elif f.conduct == "stored":
        amount = f"共计{qty}" if qty else ""
        body = (
            f"{who}产生的{w}{amount}露天堆放于厂区空地，未设置符合要求的贮存场所，贮存时间超过一年"
        )
    elif f.conduct == "labelling":
        amount = f"约{qty}" if qty else ""
        body = f"{who}危险废物贮存间内存放的{w}{amount}未按规定设置危险废物识别标志"
    else:
        amount = f"约{qty}" if qty else ""
        body = f"{who}对其产生的{w}{amount}未建立危险废物管理台账，未如实记录产生、贮存情况"
    text = f"{head}{body}。以上事实有现场检查（勘察）笔录、调查询问笔录、现场照片等证据为证。"
    disposal = f.conduct in ("unlicensed", "dumped", "discharged")
    label = (
        ("非法处置危险废物" if disposal else "未按规定贮存危险废物")
        if f.label_matches
        else ("危险废物贮存不规范" if disposal else "违法转移、处置危险废物")
    )
    return PenaltyText(label, text)


# -- insurance judgments -----------------------------------------------------------------------


def _born(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日出生" if d else ""


def judgment_parties(f: JudgmentFacts, r: random.Random) -> list[str]:
    """The party block in the older style: no colons, one party or agent per paragraph."""
    out = []
    if f.plaintiff_kind == "org":
        out.append(f"原告{f.plaintiff}，住所地{f.county}。")
        out.append(f"法定代表人{f.plaintiff_rep}，该公司经理。")
    else:
        person = f.plaintiff_person
        assert person is not None
        born = _born(person.birth)
        details = "，".join(x for x in (person.gender, born, "汉族", f"住{f.county}") if x)
        out.append(f"原告{f.plaintiff}，{details}。")
    if f.agent:
        if f.agent_kind == "lawyer":
            out.append(f"委托代理人{f.agent}，{f.agent_firm}律师。")
        elif f.agent_kind == "legal_service":
            out.append(f"委托代理人{f.agent}，{f.agent_firm}法律工作者。")
        else:
            out.append(f"委托代理人{f.agent}，男，住{f.county}，系原告亲属。")
    if f.driver:
        out.append(f"被告{f.driver}，{f.driver_gender}，汉族，住{f.county}。")
    if f.vehicle_company:
        out.append(f"被告{f.vehicle_company}，住所地{f.county}。")
        out.append(f"法定代表人{f.vehicle_company_rep}，该公司执行董事。")
    out.append(f"被告{f.insurer}。")
    out.append(f"负责人{f.insurer_rep}，该公司总经理。")
    out.append(f"委托代理人{f.insurer_agent}，该公司员工。")
    return out


def judgment_story(f: JudgmentFacts, r: random.Random) -> str:
    """诉称-style facts: time, place, vehicles, liability, insurance; an assignment or a purchase."""
    when = f"{_date(f.accident_date, r)}{r.choice(['8时许', '17时30分许', '20时25分许'])}"
    A, B = f.plate, f.other_plate
    if f.traffic and A and B:
        s = (
            f"{when}，{f.driver}驾驶{B}号小型轿车沿{f.accident_place}行驶时，与{A}号小型轿车发生碰撞，"
            "造成两车损坏的交通事故。该事故经交通管理部门认定，"
            f"{f.driver}负事故全部责任。{B}号小型轿车在{f.insurer}投保有交强险和商业第三者责任险，"
            "事故发生在保险期间。"
        )
    elif A:
        s = (
            f"{A}号小型轿车在{f.insurer}投保有机动车损失保险，保险期间内的{when}，"
            f"该车在{f.accident_place}发生单方交通事故，车辆受损。"
        )
    else:
        s = (
            f"{when}，{f.driver}驾驶{B}号小型轿车沿{f.accident_place}行驶时，将行人{f.plaintiff}撞伤。"
            f"该事故经交通管理部门认定，{f.driver}负事故主要责任。"
        )
    if f.vehicle_company and B:
        s += f"{B}号小型轿车的登记所有人为{f.vehicle_company}。"
    if f.car_sold:
        s += f"该车原登记在{f.owner}名下，原告于事故发生前向{f.owner}购买该车并实际使用，尚未办理过户登记手续。"
    if f.assigned:
        s += r.choice(
            [
                f"事故发生后，该车所有人{f.owner}与原告签订协议，将其因本次事故享有的车辆损失赔偿请求权全部转让给原告，并书面通知了{f.insurer_short}。",
                f"事故车辆的所有人{f.owner}出具《债权转让书》一份，载明将本次事故产生的车损赔偿款转让给原告收取。",
            ]
        )
    return s + "原告为维护自身合法权益，诉至法院。"


def judgment_defence(f: JudgmentFacts, r: random.Random) -> list[str]:
    """辩称: the insurer answers separately, by its full name."""
    ins = f.insurer
    if f.assessment == "self":
        body = r.choice(
            [
                "原告在事故发生后未通知保险公司查勘定损，即自行将车辆修复，并单方委托评估机构评估，"
                "该评估结论不能作为定案依据，本公司申请重新鉴定",
                "本公司接到报案后，原告拒绝配合本公司对事故车辆进行定损，其单方委托作出的评估报告本公司不予认可",
            ]
        )
    elif f.car_sold:
        body = "事故车辆在事故发生前已经转让给原告，受让人未及时通知保险人，本公司不承担赔偿责任"
    elif f.assessment == "disputed":
        body = (
            "本公司已对事故车辆进行了定损，原告另行委托作出的评估金额过高，应以本公司定损金额为准"
        )
    else:
        body = r.choice(
            [
                "对事故发生的事实及责任划分无异议，同意在保险责任限额内依法赔偿，但保险公司不承担诉讼费",
                "原告主张的损失数额过高，应以实际损失为准；诉讼费、鉴定费不属于保险赔偿范围",
            ]
        )
    out = [f"被告{ins}辩称，{body}。"]
    if f.driver and r.random() < 0.5:
        out.append(f"被告{f.driver}辩称，肇事车辆已投保，应由保险公司在保险限额内赔偿。")
    if f.vehicle_company and r.random() < 0.5:
        out.append(f"被告{f.vehicle_company}未作答辩。")
    return out


def judgment_findings(f: JudgmentFacts, r: random.Random) -> str:
    """经审理查明 …另查明：1、…2、… 以上事实，有…等证据证明."""
    A, B = f.plate, f.other_plate
    when = _date(f.accident_date, r)
    opener = r.choice(
        [
            "经审理查明，",
            "经审理查明的事实认定如下：",
            "根据当事人陈述和经审查确认的证据，本院认定事实如下：",
        ]
    )
    if A and B:
        acc = f"{when}，{f.driver}驾驶{B}号小型轿车与{A}号小型轿车发生碰撞，造成两车受损的交通事故，{f.driver}负事故全部责任。"
    elif A:
        acc = f"{A}号小型轿车于{when}发生交通事故受损，该车在{f.insurer}投保有车辆损失险，事故发生在保险期间内。"
    else:
        acc = f"{when}，{f.driver}驾驶{B}号小型轿车与{f.plaintiff}发生碰撞，致{f.plaintiff}受伤，{f.driver}负事故主要责任。"
    more = []
    loss = f"{f.loss_yuan:.2f}元"
    if f.shop:
        more.append(
            f"事故车辆由{f.shop}进行维修"
            + (f"，支付维修费{loss}" if f.assessment == "repair_bill" else "")
        )
    elif f.assessment == "repair_bill":
        more.append(f"原告为修复受损车辆支付维修费{loss}")
    a = f.assessment
    if a == "self":
        more.append(
            f"车辆损失未经{r.choice(['保险公司', '保险人'])}定损，原告自行委托{f.assessor}对车辆损失进行评估，"
            f"{f.assessor}作出评估结论，确认该车损失为{loss}"
        )
    elif a == "self_silent":
        more.append(
            f"原告委托{f.assessor}对车辆损失进行评估，{f.assessor}出具的评估报告确认车辆损失为{loss}"
        )
    elif a == "disputed":
        assert f.insurer_loss_yuan is not None
        more.append(
            f"事故发生后，{f.insurer}对事故车辆进行了查勘定损，定损金额为{f.insurer_loss_yuan:.2f}元，原告对定损结果有异议，"
            f"另行委托{f.assessor}进行评估，评估损失为{loss}"
        )
    elif a == "insurer_named":
        more.append(
            f"{f.assessor}接受{f.insurer}的委托，对事故车辆进行查勘定损，核定车辆损失为{loss}"
        )
    elif a == "insurer":
        more.append(f"{f.insurer}对事故车辆进行了定损，定损金额为{loss}")
    elif a == "court":
        more.append(
            f"诉讼中，{f.insurer}申请对车辆损失进行鉴定，本院依法委托{f.assessor}进行鉴定，"
            f"{f.assessor}作出鉴定意见，确认车辆损失为{loss}"
        )
    if f.vehicle_company and B:
        more.append(f"{B}号小型轿车登记在{f.vehicle_company}名下")
    text = opener + acc
    if more:
        text += "另查明：" + "".join(f"{i}、{m}。" for i, m in enumerate(more, start=1))
    return text + "以上事实，有当事人陈述、道路交通事故认定书、保险单等证据证明。"
