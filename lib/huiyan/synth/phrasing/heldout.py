"""The held-out phrasing family: wording written apart from the readers, for measuring them.

Every text here is composed from many sentence shapes, synonyms, numeral and
unit styles, hedges and incidental details (times, vessels, laws cited, the
fine), so a reader tuned on the development families meets wording it never
saw. Each figure that is stated reads back exactly to the fact it comes from;
nothing of a deciding kind is added (see the interface document of issue 17).

Numerals are spelled by small helpers, e.g. Chinese and capital numerals:

>>> _cn_int(120_000, cap=True), _cn_int(10_500), _cn_int(2_000, liang=True)
('壹拾贰万', '一万零五百', '两千')
>>> _cap_money(2_345_670), _cap_money(10_005)
('贰万叁仟肆佰伍拾陆元柒角', '壹佰元零伍分')
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from collections.abc import Sequence
from decimal import Decimal

from huiyan.synth.phrasing.facts import (
    DrinkFacts,
    JudgmentFacts,
    MiningFacts,
    PenaltyText,
    ShoddyFacts,
    WasteFacts,
)

NAME = "heldout"

# -- numerals -----------------------------------------------------------------------------------

_LOW = "零一二三四五六七八九"
_CAP = "零壹贰叁肆伍陆柒捌玖"
_LOW_UNITS = ("", "十", "百", "千")
_CAP_UNITS = ("", "拾", "佰", "仟")
_BIG = ("", "万", "亿")
_FULL = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


def _w(r: random.Random, options: Sequence[tuple[float, str]]) -> str:
    """One of ``options`` (weight, text), drawn by weight."""
    return r.choices([text for _, text in options], weights=[w for w, _ in options])[0]


def _section(n: int, cap: bool) -> str:
    digits, units = (_CAP, _CAP_UNITS) if cap else (_LOW, _LOW_UNITS)
    out, zero = "", False
    for pos in (3, 2, 1, 0):
        d = n // 10**pos % 10
        if d == 0:
            zero = zero or bool(out)
            continue
        if zero:
            out += digits[0]
            zero = False
        out += digits[d] + units[pos]
    return out


def _cn_int(n: int, *, cap: bool = False, liang: bool = False) -> str:
    """A non-negative integer in Chinese numerals (九万六千, 壹拾贰万; 两千 with ``liang``)."""
    if n == 0:
        return (_CAP if cap else _LOW)[0]
    sections = []
    while n:
        n, rest = divmod(n, 10_000)
        sections.append(rest)
    out, gap = "", False
    for i in range(len(sections) - 1, -1, -1):
        sec = sections[i]
        if sec == 0:
            gap = gap or bool(out)
            continue
        if out and (gap or sec < 1000):
            out += (_CAP if cap else _LOW)[0]
        out += _section(sec, cap) + _BIG[i]
        gap = False
    if not cap and out.startswith("一十"):
        out = out[1:]
    if liang and out.startswith("二") and len(out) > 1 and out[1] in "千万百亿":
        out = "两" + out[1:]
    return out


def _dec(x: float, places: int) -> Decimal:
    return Decimal(repr(round(x, places)))


def _plain(d: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 3200, 4.2, 62.5."""
    s = format(d.normalize(), "f")
    return s


def _grouped(s: str, sep: str = ",") -> str:
    whole, _, frac = s.partition(".")
    g = f"{int(whole):,}".replace(",", sep)
    return g + ("." + frac if frac else "")


def _cn_decimal(d: Decimal) -> str:
    whole, _, frac = _plain(d).partition(".")
    out = _cn_int(int(whole))
    if frac:
        out += "点" + "".join(_LOW[int(c)] for c in frac)
    return out


def _cap_money(cents: int) -> str:
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    out = _cn_int(yuan, cap=True) + "元"
    if not rest:
        return out + "整"
    if jiao:
        out += _CAP[jiao] + "角"
    elif fen:
        out += "零"
    if fen:
        out += _CAP[fen] + "分"
    return out


def _money(r: random.Random, value: float, *, hedge: float = 0.0, capital: float = 1.0) -> str:
    """An amount of yuan in one of many exact spellings, now and then hedged (约, 余, 左右)."""
    cents = round(value * 100)
    yuan, fen = divmod(cents, 100)
    frac = f".{fen:02d}".rstrip("0") if fen else ""
    frac2 = f".{fen:02d}"
    options: list[tuple[float, str]] = [
        (4, f"{yuan}{frac}元"),
        (1.5, f"{yuan}{frac2}元"),
    ]
    if yuan >= 1000:
        options += [
            (2, f"{yuan:,}{frac}元"),
            (1, f"{yuan:,}{frac2}元"),
            (0.8, f"{yuan:,}{frac}元".replace(",", "，")),
            (0.3, f"{yuan:,}{frac}".translate(_FULL) + "元"),
        ]
    if not fen and yuan >= 10_000 and yuan % 100 == 0:
        options.append((3, _plain(Decimal(yuan) / 10_000) + "万元"))
    if not fen and yuan % 100 == 0 and yuan < 100_000_000:
        options.append((0.6, _cn_int(yuan) + "元"))
    options.append((capital, "CAP"))
    text = _w(r, options)
    if text == "CAP":
        cap = _cap_money(cents)
        return _w(
            r,
            [
                (2, "人民币" + cap),
                (1, cap),
                (1.5, f"人民币{cap}（￥{yuan}{frac2}）"),
                (1, f"{yuan}{frac2}元（大写：{cap}）"),
            ],
        )
    if r.random() < hedge:
        if not fen and "." not in text and r.random() < 0.35:
            return text[:-1] + "余元"
        return _w(r, [(3, "约" + text), (1, text + "左右")])
    if text[0].isdigit() and r.random() < 0.25:
        if "万" in text or r.random() < 0.8:
            return "人民币" + text
        return "￥" + (f"{yuan:,}" if r.random() < 0.5 else str(yuan)) + frac2
    return text


def _weight(r: random.Random, tonnes: float, *, hedge: float = 0.3) -> str:
    """A weight in tonnes written as tonnes, kilograms or Chinese numerals, exactly."""
    d = _dec(tonnes, 6)
    s = _plain(d)
    integral = d == d.to_integral_value()
    options: list[tuple[float, str]] = [(5, s + "吨"), (0.4, s + _w(r, [(2, "t"), (1, " t")]))]
    if d >= 1000:
        options += [(2, _grouped(s) + "吨"), (0.4, _grouped(s).translate(_FULL) + "吨")]
    if d < 1000:
        kg = _plain(d * 1000)
        unit = _w(r, [(3, "千克"), (2, "公斤"), (1, "kg"), (0.3, "KG")])
        options += [(1.5, kg + unit), (0.8, _grouped(kg) + unit)]
    if len(s.partition(".")[2]) <= 2 and d < 100_000:
        options.append((1, _cn_decimal(d) + "吨"))
    text = _w(r, options)
    if r.random() < hedge:
        if integral and text.endswith("吨") and text[0].isdigit() and r.random() < 0.4:
            return text[:-1] + _w(r, [(3, "余"), (1, "多")]) + "吨"
        text = _w(r, [(3, "约" + text), (1, text + "左右")])
    return text


def _volume(r: random.Random, cubic_metres: float, *, hedge: float = 0.3) -> str:
    """A volume in cubic metres (立方米 / 方 / m³), exactly."""
    d = _dec(cubic_metres, 3)
    s = _plain(d)
    unit = _w(r, [(4, "立方米"), (3, "方"), (1.5, "m³"), (0.5, "m3"), (0.7, "立方")])
    options: list[tuple[float, str]] = [(5, s + unit)]
    if d >= 1000:
        options.append((2, _grouped(s) + unit))
    if len(s.partition(".")[2]) == 0 and d < 100_000:
        options.append(
            (1, _cn_int(int(d), liang=r.random() < 0.5) + _w(r, [(2, "立方米"), (1, "方")]))
        )
    text = _w(r, options)
    if r.random() < hedge:
        if d == d.to_integral_value() and text[0].isdigit() and r.random() < 0.4:
            return text.replace(unit, "余" + unit, 1) if unit in text else text
        text = _w(r, [(3, "约" + text), (1, text + "左右")])
    return text


def _alcohol(r: random.Random, mg: float) -> str:
    """An alcohol concentration in mg/100ml in one of its customary spellings."""
    d = _dec(mg, 3)
    s = _plain(d)
    if d == d.to_integral_value() and r.random() < 0.15:
        s += ".0"
    unit = _w(
        r,
        [
            (4, "mg/100ml"),
            (2, "mg/100mL"),
            (3, "毫克/100毫升"),
            (1, "mg/100 ml"),
            (0.7, "毫克/百毫升"),
            (0.3, "mg/100ML"),
            (0.4, "mg／100ml"),
        ],
    )
    return s + (" " if r.random() < 0.1 else "") + unit


def _date(r: random.Random, d: dt.date, *, formal: bool = False) -> str:
    if formal:
        return _w(
            r,
            [
                (12, f"{d.year}年{d.month}月{d.day}日"),
                (1, f"{d.year}年{d.month:02d}月{d.day:02d}日"),
            ],
        )
    return _w(
        r,
        [
            (8, f"{d.year}年{d.month}月{d.day}日"),
            (1.5, f"{d.year}年{d.month:02d}月{d.day:02d}日"),
            (0.6, f"{d.year}-{d.month:02d}-{d.day:02d}"),
            (0.5, f"{d.year}.{d.month}.{d.day}"),
            (0.2, f"{d.year}/{d.month}/{d.day}"),
            (
                0.5,
                "".join("〇一二三四五六七八九"[int(c)] for c in str(d.year))
                + f"年{_cn_int(d.month)}月{_cn_int(d.day)}日",
            ),
        ],
    )


def _clock(r: random.Random, hours: Sequence[int], at: tuple[int, int] | None = None) -> str:
    """A time of day (14时许, 晚上9时40分左右, 22:40许) at one of ``hours``, or at ``at``."""
    if at is None:
        h = r.choice(hours)
        m = r.choice((0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, r.randrange(60)))
    else:
        h, m = at
    part = (
        "凌晨"
        if h < 6
        else "上午"
        if h < 12
        else "中午"
        if h == 12
        else "下午"
        if h < 18
        else "晚上"
    )
    h12 = h - 12 if h > 12 else h
    approx = _w(r, [(4, "许"), (1, "左右"), (2, "")])
    if m == 0:
        return _w(r, [(4, f"{h}时{approx or '许'}"), (1, f"{part}{h12}时{approx or '许'}")])
    return _w(
        r,
        [
            (4, f"{h}时{m}分{approx}"),
            (1, f"{h}时{m:02d}分{approx}"),
            (1.5, f"{part}{h12}时{m}分{approx}"),
            (0.7, f"{h}:{m:02d}{approx}"),
        ],
    )


def _at(day: str, clock: str) -> str:
    """A date followed by a time of day (a space after a numeric date: 2022-05-17 21时)."""
    return day + (" " if clock and not day.endswith("日") else "") + clock


def _stable(*keys: str) -> int:
    """A number fixed by the facts (not random): keeps a detail the same across sections."""
    return zlib.crc32("|".join(keys).encode())


def _plate(r: random.Random, plate: str) -> str:
    return _w(r, [(6, plate), (2, plate[:2] + "·" + plate[2:]), (0.4, plate[:2] + " " + plate[2:])])


def _join(parts: Sequence[str]) -> str:
    """Sentences (without their 。) joined into one paragraph."""
    text = "".join(p if p.endswith(("。", "；", "！")) else p + "。" for p in parts if p)
    return text.replace("为约", "约为")


def _one(r: random.Random, *options: str) -> str:
    return r.choice(options)


# -- illegal mining -----------------------------------------------------------------------------

_RIVER_CHARS = "江河溪湖浦港川渠滩洲湾"


def _mining_label(f: MiningFacts, r: random.Random, river: bool) -> str:
    if not f.label_matches:
        return _one(
            r,
            "违反河道管理规定",
            "其他违法行为",
            "违反《中华人民共和国水法》的行为",
            "违反水资源管理规定",
            "违反土地管理法律法规",
            "违反防洪管理规定",
            "在河道管理范围内从事禁止性活动" if river else "违反国土资源管理规定",
            "违反水行政管理秩序",
            "一般水事违法行为",
        )
    if river:
        return _one(
            r,
            "非法采砂",
            "无证采砂",
            "未经许可擅自采砂",
            "河道非法采砂",
            "未取得河道采砂许可证从事采砂活动",
            "非法采矿（河砂）",
            "擅自开采河道砂石",
            "未经批准在河道内采砂",
            "盗采河砂",
            "无证开采砂石资源",
        )
    return _one(
        r,
        "非法采矿",
        "无证采矿",
        "未取得采矿许可证擅自采矿",
        "擅自开采矿产资源",
        "无证开采砂石",
        "非法开采建筑用石料",
        "未经批准擅自开采矿产品",
    )


def _restriction(f: MiningFacts, r: random.Random, river: bool) -> str:
    where = "该河段" if river else "该区域"
    if f.restricted == "zone":
        return _one(
            r,
            f"经核查，{where}属于依法划定的禁采区",
            f"{where}位于采砂规划确定的禁采区范围内",
            "作业地点系禁止采砂区域（禁采区）",
            "上述地点属县级人民政府公告的禁采区",
            f"经比对规划图，{where}为禁采河段，属禁采区",
            "其作业位置处于划定的禁止开采区内",
        )
    if f.restricted == "period":
        return _one(
            r,
            "时值禁采期",
            "案发时正处于规定的禁采期内",
            "其行为发生在禁采期间",
            "作业时间属于河道采砂禁采期",
            "当时正值禁止采砂期间（禁采期）",
            "系在禁采期内违规作业",
        )
    if f.denies_restricted:
        return _one(
            r,
            f"经核实，{where}不属于禁采区，作业时间亦不在禁采期内",
            "所涉区域非禁采区，采挖时间也非禁采期",
            f"{where}不在划定的禁采区范围内，当日亦不处于禁采期",
            f"经比对采砂规划，{where}为可采区，并非禁采区，且不在禁采期",
            "作业地点和时间均不属于禁采区、禁采期",
            "该地点不是禁采区，案发时也不是禁采期",
        )
    return ""


def _mining_quantity(f: MiningFacts, r: random.Random, mineral: str) -> str:
    if f.tonnes is not None:
        q = _weight(r, f.tonnes)
    elif f.cubic_metres is not None:
        q = _volume(r, f.cubic_metres)
    else:
        return ""
    return _one(
        r,
        f"共采{mineral}{q}",
        f"采挖{mineral}{q}",
        f"经测量，采挖量为{q}",
        f"累计开采{mineral}{q}",
        f"所采{mineral}经丈量计{q}",
        f"非法采出{mineral}{q}",
    )


def _mining_value(f: MiningFacts, r: random.Random, mineral: str) -> str:
    if f.value_yuan is None:
        return _w(
            r,
            [
                (3, ""),
                (1, f"所采{mineral}价值以价格认定结论书为准"),
                (1, "其价值已委托价格认定机构认定（见认定结论书）"),
                (0.7, "涉案矿产品价值另见鉴定意见"),
            ],
        )
    v = _money(r, f.value_yuan, hedge=0.3)
    body = _one(
        r, "价格认证中心", "价格认定机构", "物价部门", "有资质的评估机构", "自然资源主管部门"
    )
    return _one(
        r,
        f"经{body}认定，所采{mineral}价值{v}",
        f"涉案矿产品价值{v}",
        f"上述{mineral}货值{v}",
        f"按当地市场价格计算，价值{v}",
        f"经评估，矿产品价值为{v}",
        f"{mineral}价值计{v}",
        f"价格认定结论书认定其价值为{v}",
    )


def mining(f: MiningFacts, r: random.Random) -> PenaltyText:
    """Illegal mining or river-sand dredging."""
    river = any(c in f.place for c in _RIVER_CHARS)
    org = f.party_kind == "org"
    label = _mining_label(f, r, river)
    when = _at(
        _date(r, f.date), _w(r, [(2, ""), (1, _clock(r, (0, 1, 2, 3, 4, 5, 20, 21, 22, 23)))])
    )
    if river:
        mineral = _one(r, "河砂", "江砂", "砂石", "黄砂", "砂石料", "河道砂石", "建筑用砂")
        tool = _w(
            r,
            [
                (
                    3,
                    _one(
                        r,
                        "采砂船",
                        "吸砂船",
                        "抽砂船",
                        "挖砂船",
                        "链斗式采砂船",
                        "自制简易吸砂船只",
                    ),
                ),
                (1, f"一艘载重约{r.choice((60, 80, 120, 150, 200, 300))}吨的铁质采砂船"),
                (1, f"{_one(r, '两', '2', '三', '3')}艘钢质挖砂船"),
                (0.7, "吸砂泵等设备"),
            ],
        )
        spot = _one(r, "", "河段", "水域", "下游河段", "上游一处河滩", "主河道", "河床")
        agency = _one(r, "水政监察大队", "水利局", "河道管理所", "综合行政执法队", "河湖巡查组")
        lic = _one(
            r,
            "在未取得河道采砂许可证的情况下",
            "未经水行政主管部门许可",
            "未依法取得采砂许可",
            "未办理任何采砂审批手续",
            "无证",
            "未经批准",
        )
        verb = _one(
            r, "采砂", "抽采河砂", "吸取江砂", "采挖砂石", "开采砂石", "偷采砂石", "采捞河砂"
        )
    else:
        mineral = _one(r, "石料", "建筑用石料", "砂石", "矿石", "建筑用砂石土")
        tool = _one(
            r,
            "挖掘机",
            "两台挖掘机",
            "挖掘机、装载机等机械",
            "一台破碎机及挖掘机",
            "自卸车配合挖掘机",
        )
        spot = _one(r, "", "一带", "山体", "山坡", "矿点", "地块")
        agency = _one(r, "自然资源和规划局", "自然资源执法监察大队", "综合行政执法局")
        lic = _one(
            r,
            "在未取得采矿许可证的情况下",
            "未办理采矿登记手续",
            "在未依法取得采矿权的情况下",
            "未经自然资源主管部门批准",
            "无证",
        )
        verb = _one(r, "开采", "采挖", "私挖", "开采", "盗采")
    who = _w(r, [(3, f.party), (1, f"当事人{f.party}")])
    uses = "组织人员使用" if org and r.random() < 0.5 else "使用" if r.random() < 0.7 else "驾驶"
    if uses == "驾驶" and "船" not in tool:
        uses = "使用"
    act = f"{uses}{tool}在{f.place}{spot}{verb}"
    act_obj = act + ("" if verb.endswith(("砂", "石", "料")) else mineral)
    qty = _mining_quantity(f, r, mineral)
    value = _mining_value(f, r, mineral)
    restrict = _restriction(f, r, river)
    caught = _one(
        r,
        f"被{agency}执法人员当场查获",
        f"被{agency}巡查时发现并制止",
        f"被群众举报后由{agency}查获",
        f"{agency}执法人员接报后赶赴现场，当场予以查处",
    )
    evidence = _w(
        r,
        [
            (2, ""),
            (1, "以上事实有现场勘验笔录、询问笔录、现场照片及测量报告等证据为证"),
            (1, f"{'该公司负责人' if org else '当事人'}对上述事实供认不讳"),
            (1, "执法人员制作了现场检查笔录，当事人在场签字确认"),
            (0.7, "上述事实有视频监控截图、证人证言等证据证实"),
        ],
    )
    law = _w(
        r,
        [
            (2, ""),
            (1, "其行为违反了《中华人民共和国矿产资源法》第三条第三款的规定"),
            (
                1,
                "违反了《中华人民共和国水法》第三十九条"
                if river
                else "违反了《中华人民共和国矿产资源法》第三条",
            ),
            (
                0.7,
                "上述行为违反了《河道管理条例》第二十五条之规定"
                if river
                else "违反了《中华人民共和国土地管理法》第三十七条",
            ),
        ],
    )
    fine = ""
    if f.fine_yuan and r.random() < 0.55:
        m = _money(r, f.fine_yuan)
        fine = _one(
            r,
            f"依法责令其停止违法行为，没收违法所得，并处罚款{m}",
            f"决定对其处以罚款{m}",
            f"依据《中华人民共和国矿产资源法》第三十九条，责令停止开采，没收采出的矿产品，并处罚款{m}",
            f"处罚款{m}",
        )
    shape = r.randrange(5)
    if shape == 0:
        first = f"{when}，{who}{lic}，{act_obj}"
        parts = [first + ("，" + qty if qty else ""), caught, restrict, value, evidence, law, fine]
    elif shape == 1:
        parts = [
            f"{when}，{agency}执法人员在{f.place}巡查时发现，{who}{lic}{act_obj}",
            qty,
            value,
            restrict,
            law,
            fine,
        ]
    elif shape == 2:
        lead = _one(r, "经查", "经调查", "现查明", "调查核实")
        tail = "，".join(p for p in (qty, value) if p)
        parts = [
            f"{lead}，{who}于{when}{lic}{act_obj}" + ("，" + tail if tail else ""),
            restrict,
            evidence,
            fine,
        ]
    elif shape == 3:
        parts = [
            f"{who}{_one(r, '涉嫌非法采砂' if river else '涉嫌非法采矿', '无证开采' if not river else '无证采砂')}一案，经调查",
        ]
        parts[0] += f"：{when}，{who}{lic}{act_obj}"
        parts += [restrict, qty, value, law, fine]
    else:
        obj = f"{lic}{act_obj}"
        parts = [
            f"当事人{f.party}{obj}",
            f"时间为{when}，地点为{f.place}{spot or ''}",
            "；".join(p for p in (qty, value) if p),
            restrict,
            caught,
            fine,
        ]
    return PenaltyText(label, _join(parts))


# -- fake or substandard goods ------------------------------------------------------------------


def _shoddy_label(f: ShoddyFacts, r: random.Random) -> str:
    if not f.label_matches:
        return _one(
            r,
            "产品标识不符合规定",
            "未取得生产许可证擅自生产",
            "未按规定标注生产日期和厂名厂址",
            "未建立进货查验记录",
            "无照经营",
            "未按规定明码标价",
            "产品包装标注不规范",
            "超范围经营",
        )
    selling = f.sales_yuan > 0
    options = [
        "生产、销售伪劣产品",
        "以不合格产品冒充合格产品",
        "以次充好",
        "生产不符合标准的产品",
        "掺杂掺假",
    ]
    if selling:
        options += ["销售不合格产品", "销售假冒伪劣产品", "销售伪劣商品", "销售以次充好的产品"]
        if len(f.product) <= 12:
            options.append(f"销售不合格{f.product}")
    else:
        options += ["生产不合格产品", "生产伪劣产品"]
        if len(f.product) <= 12:
            options.append(f"生产不合格{f.product}")
    return r.choice(options)


def shoddy(f: ShoddyFacts, r: random.Random) -> PenaltyText:
    """Producing or selling fake or substandard goods."""
    org = f.party_kind == "org"
    who = _w(r, [(3, f.party), (1, f"当事人{f.party}")])
    when = _date(r, f.date)
    p = f.product
    tester = _one(
        r,
        "产品质量监督检验研究院",
        "具有资质的检验检测机构",
        "质量技术监督检测院",
        "国家级产品质量检验检测中心",
        "第三方检测机构",
    )
    defect = _one(
        r,
        f"经{tester}抽样检验，该批{p}多项指标不符合国家标准，检验结论为不合格",
        f"经{tester}检验，其主要性能指标不达标，判定为不合格产品",
        f"经抽检，{p}的关键安全项目不合格",
        f"经商标权利人鉴定，该批{p}系假冒产品",
        f"检验报告显示该{p}以次充好，不符合产品标准要求",
        f"经检测，该{p}掺杂掺假，与标称的质量状况不符",
        f"送检样品经{tester}检验，结论为“不合格”",
        f"该{p}经鉴定属于以假充真的伪劣产品",
    )
    if f.sales_yuan > 0:
        conduct = _one(
            r,
            f"{who}{'生产并' if org and r.random() < 0.4 else ''}对外销售不合格的{p}",
            f"{who}以不合格的{p}冒充合格产品对外销售",
            f"{who}购进质量不合格的{p}后加价对外批发销售",
            f"{who}在经营中销售以次充好的{p}",
            f"{who}{'生产' if org else '销售'}伪劣{p}并销往外地",
            f"{who}明知所售{p}质量不合格，仍通过网店向外销售",
        )
    else:
        conduct = _one(
            r,
            f"{who}生产了一批不合格的{p}，尚未对外销售",
            f"{who}以不合格的{p}冒充合格产品存放待售，尚未售出",
            f"{who}在其生产车间加工伪劣{p}，尚未流入市场",
            f"{who}购进一批伪劣{p}用于销售，尚未售出即被查获",
        )
    amounts: list[str] = []
    if f.sales_yuan > 0:
        s = _money(r, f.sales_yuan, hedge=0.25)
        amounts.append(
            _one(
                r,
                f"销售金额{s}",
                f"已售出{p}，销售额计{s}",
                f"累计销售{s}",
                f"经核算，销售金额为{s}",
                f"销售收入{s}",
                f"销售金额共计{s}",
                f"对外售出货款{s}",
            )
        )
    if f.gain_yuan is not None:
        g = _money(r, f.gain_yuan, hedge=0.15)
        amounts.append(_one(r, f"违法所得{g}", f"从中获利{g}", f"获违法所得{g}", f"非法获利{g}"))
    if f.unsold_yuan is None:
        amounts.append(
            _one(
                r,
                f"执法人员当场查扣库存{p}一批",
                f"现场扣押尚未销售的{p}若干，货值另行认定",
                f"现场查封待售{p}{r.randrange(12, 400)}件",
                f"扣押的库存{p}价值见价格认定书",
            )
        )
    elif f.unsold_yuan > 0:
        u = _money(r, f.unsold_yuan, hedge=0.25)
        amounts.append(
            _one(
                r,
                f"现场查扣尚未销售的{p}，货值金额{u}",
                f"库存待售{p}货值{u}",
                f"扣押未售出的{p}一批，价值{u}",
                f"查获库存{p}，经认定货值{u}",
                f"未销售的库存{p}货值金额计{u}",
            )
        )
    venue = _one(r, "经营场所", "仓库", "生产车间", "门店", "租用厂房")
    check = _one(
        r,
        f"{when}，执法人员对{f.party}的{venue}进行检查",
        f"{when}，根据群众举报，执法人员依法对{f.party}的{venue}开展检查",
        f"{when}，执法人员在监督抽查中对{f.party}的{p}进行抽样",
        f"{when}，市场监管执法人员会同公安机关对{f.party}的{venue}进行突击检查",
    )
    law = _w(
        r,
        [
            (2, ""),
            (1, "其行为违反了《中华人民共和国产品质量法》第三十二条的规定"),
            (1, "违反了《中华人民共和国产品质量法》第三十九条之规定"),
        ],
    )
    fine = ""
    if f.fine_yuan and r.random() < 0.5:
        fine = _one(r, "依法处以罚款", "决定处以罚款", "处罚款") + _money(r, f.fine_yuan)
    shape = r.randrange(5)
    if shape == 0:
        parts = [check, f"经查，{conduct}", defect, "，".join(amounts), law, fine]
    elif shape == 1:
        lead = f"{conduct}，{'，'.join(amounts)}" if amounts else conduct
        parts = [lead, defect, f"上述行为于{when}被执法人员查获", fine]
    elif shape == 2:
        parts = [f"经查，{when}前后，{conduct}", defect, *amounts, law]
    elif shape == 3:
        parts = [f"{check}时发现，{conduct}", defect, "；".join(amounts), fine]
    else:
        items = [conduct, defect, *amounts]
        sep = _one(r, "、", ".", "．")
        listed = "；".join(f"{i}{sep}{item}" for i, item in enumerate(items, 1))
        parts = [f"{when}，执法人员查明{f.party}存在以下违法事实：{listed}", law, fine]
    return PenaltyText(_shoddy_label(f, r), _join(parts))


# -- drink driving ------------------------------------------------------------------------------


def _drink_label(f: DrinkFacts, r: random.Random) -> str:
    if f.over_80 and f.label_matches:
        return _one(
            r, "醉酒驾驶机动车", "醉酒后驾驶机动车", "醉酒驾驶机动车的", "醉驾", "醉酒驾驶小型汽车"
        )
    return _one(
        r,
        "饮酒后驾驶机动车",
        "饮酒后驾驶机动车的",
        "酒后驾驶机动车",
        "饮酒驾驶机动车",
        "饮酒后驾驶小型汽车",
    )


def drink(f: DrinkFacts, r: random.Random) -> PenaltyText:
    """Driving after drinking or drunk: breath (screening) and blood (deciding) kept apart."""
    when = _at(_date(r, f.date), _clock(r, (0, 1, 2, 3, 19, 20, 21, 22, 23, 18, 13)))
    car = _one(r, "小型轿车", "小型普通客车", "小型汽车", "轻型厢式货车", "小型越野客车", "机动车")
    plate = _plate(r, f.plate)
    car_text = _w(
        r, [(3, f"{plate}号{car}"), (2, f"牌号为{plate}的{car}"), (1, f"{car}（号牌{plate}）")]
    )
    road = _one(
        r, "", "环城西路", "人民中路", "解放北路", "104国道", "G329国道", "中兴大道", "迎宾路"
    )
    where = _one(
        r,
        f"{f.place}{road}",
        f"{f.place}境内{road or '某路段'}",
        f"{f.place}{road}与{_one(r, '胜利路', '延安路', '城南大道')}交叉口",
        f"{f.place}辖区",
    )
    who = f.party
    caught = _one(
        r,
        f"{who}驾驶{car_text}行驶至{where}时，被执勤民警拦停检查",
        f"民警在{where}设卡检查时，查获{who}驾驶{car_text}",
        f"{who}饮酒后驾驶{car_text}途经{where}，在酒驾整治检查中被查获",
        f"{who}驾驶{car_text}在{where}行驶，民警发现其有酒后驾车嫌疑",
        f"交警在{where}开展酒驾专项整治，对{who}驾驶的{car_text}进行检查",
    )
    tests: list[str] = []
    if f.breath_mg is not None:
        b = _alcohol(r, f.breath_mg)
        tests.append(
            _one(
                r,
                f"经现场呼气式酒精检测，结果为{b}",
                f"呼气酒精含量检测值为{b}",
                f"经酒精呼气测试，其呼气中酒精含量为{b}",
                f"现场吹气检测显示{b}",
                f"使用呼气酒精测试仪检测，呼气酒精含量{b}",
            )
        )
    if f.blood_mg is not None:
        lab = _one(
            r, "市公安局物证鉴定所", "司法鉴定中心", "具有资质的鉴定机构", "公安司法鉴定中心"
        )
        v = _alcohol(r, f.blood_mg)
        after = "随后" if tests else ""
        tests.append(
            _one(
                r,
                f"{after}经抽取血样送{lab}检验，其血液中乙醇含量为{v}",
                f"{after}提取其静脉血送检，经{lab}鉴定，血液酒精含量为{v}",
                f"{after}血液检验结果为：乙醇含量{v}",
                f"{after}经血液酒精含量检测，结果为{v}",
                f"{after}经{lab}对其血样进行检验，检出乙醇，含量为{v}",
            )
        )
    elif f.blood_in_record:
        tests.append(
            _one(
                r,
                "民警随后将其带至医院抽取血样送检，血液酒精含量以鉴定意见书为准",
                "已提取其血液样本送鉴定机构检验，检验结果详见血液乙醇检验报告",
                "经抽血送检，其血液中乙醇含量见鉴定意见",
                "民警依法提取其血样进行酒精含量检验，具体结果附卷",
            )
        )
    elif f.breath_mg is not None and r.random() < 0.35:
        tests.append(
            _one(
                r,
                "当事人对呼气检测结果无异议并签字确认，未提取血样",
                "当事人未要求抽血检验，民警未提取血样",
            )
        )
    verdict = ""
    if f.label_matches and r.random() < 0.5:
        verdict = (
            _one(r, "已达到醉酒驾驶标准", "属醉酒驾驶机动车", "构成醉酒后驾驶机动车")
            if f.over_80
            else _one(r, "属饮酒后驾驶机动车", "系饮酒后驾驶", "达到饮酒驾驶标准")
        )
    fine = ""
    if f.fine_yuan > 0 and r.random() < 0.6:
        m = _money(r, f.fine_yuan, capital=0.2)
        fine = f"依法处罚款{m}" + (
            _one(r, "，暂扣机动车驾驶证六个月", "，记12分", "") if not f.over_80 else ""
        )
    law = _w(
        r,
        [
            (3, ""),
            (1, "违反了《中华人民共和国道路交通安全法》第二十二条第二款的规定"),
            (1, "其行为违反了《中华人民共和国道路交通安全法》第九十一条"),
        ],
    )
    shape = r.randrange(6) if tests else 0
    tests_text = "；".join(tests) if r.random() < 0.4 else "，".join(tests)
    if verdict:
        tests_text += "，" + verdict
    if shape == 0:
        parts = [f"{when}，{caught}", tests_text, law, fine]
    elif shape == 1:
        parts = [f"经查，{who}于{when}饮酒后驾驶{car_text}，在{where}被查获", tests_text, fine]
    elif shape == 2:
        parts = [f"当事人{who}，{when}，{caught}", tests_text, law]
    elif shape == 3:
        parts = [
            f"{when}，{caught}",
            f"经检测：{tests_text}",
            "以上事实有酒精检测单、现场照片、询问笔录等证据证实",
            fine,
        ]
    elif shape == 4:
        items = [f"{when}，{who}驾驶{car_text}在{where}被查获", *tests]
        if r.random() < 0.5:
            listed = "；".join(f"{i}、{item}" for i, item in enumerate(items, 1))
        else:
            listed = "；".join(f"（{_cn_int(i)}）{item}" for i, item in enumerate(items, 1))
        parts = [f"经查：{listed}", verdict and f"{who}的行为{verdict}", fine]
    else:
        crash = _one(
            r,
            "与路边护栏发生刮擦",
            "与前方停车等候的车辆发生追尾",
            "撞上道路中央隔离设施",
            "与一辆电动自行车发生轻微碰撞",
        )
        parts = [
            f"{when}，{who}驾驶{car_text}行驶至{where}时{crash}，民警到场处理时发现其身上有明显酒气",
            tests_text,
            _one(r, "现场执法记录仪全程记录", "该起事故未造成人员受伤", ""),
            law,
            fine,
        ]
    return PenaltyText(_drink_label(f, r), _join(parts))


# -- hazardous waste ----------------------------------------------------------------------------

_DISPOSAL: tuple[str, ...] = ("unlicensed", "dumped", "discharged")


def _waste_label(conduct: str, r: random.Random) -> str:
    labels = {
        "unlicensed": (
            "将危险废物提供给无经营许可证的单位处置",
            "委托无资质单位处置危险废物",
            "非法处置危险废物",
            "将危险废物交由无许可证者处理",
            "违法转移处置危险废物",
        ),
        "dumped": ("擅自倾倒危险废物", "非法倾倒危险废物", "随意丢弃危险废物", "倾倒危险废物"),
        "discharged": (
            "违法排放危险废物",
            "非法排放危险废物",
            "通过暗管排放危险废物",
            "排放危险废物污染环境",
        ),
        "stored": (
            "未按规定贮存危险废物",
            "危险废物贮存不规范",
            "露天贮存危险废物",
            "将危险废物混入非危险废物中贮存",
            "超期贮存危险废物",
        ),
        "labelling": (
            "未按规定设置危险废物识别标志",
            "危险废物标识不规范",
            "未设置危险废物警示标志",
        ),
        "records": (
            "未按规定建立危险废物管理台账",
            "未申报危险废物有关资料",
            "未制定危险废物管理计划",
            "危险废物管理台账记录不全",
        ),
    }
    return r.choice(labels[conduct])


def waste(f: WasteFacts, r: random.Random) -> PenaltyText:
    """Hazardous waste: disposal (handed on, dumped, discharged) or only storage/labels/records."""
    org = f.party_kind == "org"
    who = _w(r, [(3, f.party), (1, f"当事人{f.party}")])
    when = _date(r, f.date)
    wname = f.waste
    qty = _weight(r, f.tonnes, hedge=0.25) if f.tonnes is not None else ""
    produced = _one(
        r,
        f"生产过程中产生的{wname}",
        f"机械加工中产生的{wname}",
        f"{wname}（属《国家危险废物名录》所列危险废物）",
        f"设备维修保养产生的{wname}",
        f"{wname}",
        f"属于危险废物的{wname}",
    )
    # the waste with its quantity, as an object: "4.2吨废矿物油" or "废矿物油4.2吨"
    if qty:
        stock = _w(r, [(2, f"{qty}{produced}"), (1, f"{produced}{qty}"), (1, f"{produced}共{qty}")])
    else:
        stock = produced
    core: str
    if f.conduct == "unlicensed":
        to = _one(
            r,
            "不具备危险废物经营许可证的个体收购人员",
            "一家未取得危险废物经营许可证的再生资源回收点",
            "无危险废物经营资质的他人（另案处理）",
            "无证废品收购人员",
            "未持有危险废物经营许可证的某物资回收公司",
            "没有危险废物经营许可证的个人",
        )
        core = _one(
            r,
            f"{who}将{stock}交由{to}处置",
            f"{who}将{stock}提供给{to}拉走处理",
            f"{who}委托{to}收集处置{stock}",
            f"{who}以每桶作价的方式将{stock}交给{to}回收处置",
            f"{who}未将{produced}交有资质单位处置，而是交给{to}处理"
            + (f"，数量{qty}" if qty else ""),
        )
    elif f.conduct == "dumped":
        place = _one(
            r,
            "厂区外一处空地",
            "附近山沟",
            "河滩荒地",
            "农田边的沟渠旁",
            "一处废弃宕口",
            "路边绿化带",
        )
        core = _one(
            r,
            f"{who}将{stock}倾倒于{place}",
            f"{who}安排员工将{stock}偷倒至{place}",
            f"{who}将{stock}随意丢弃在{place}",
            f"{who}雇车将{stock}运至{place}倾倒",
            f"{who}趁夜间将{stock}倒入{place}",
        )
    elif f.conduct == "discharged":
        via = _one(r, "私设的暗管", "雨水管网", "厂区排水沟", "车间地面渗坑", "临时铺设的软管")
        dest = _one(r, "附近河道", "外环境", "周边土壤", "厂外内河", "市政雨水管道")
        core = _one(
            r,
            f"{who}通过{via}将{stock}排放至{dest}",
            f"{who}将{stock}经{via}直排{dest}",
            f"{who}利用{via}向{dest}排放{stock}",
            f"{who}将{stock}通过{via}排入{dest}，造成周边环境污染",
        )
    elif f.conduct == "stored":
        loc = _one(r, "厂区东侧空地", "车间外墙边", "仓库门口", "厂房后侧", "生产车间角落")
        how = _one(
            r,
            "露天存放，未采取防雨、防渗漏措施",
            "与一般工业固体废物混合贮存",
            "贮存时间已超过一年",
            "盛装容器破损、锈蚀，未分类贮存",
            "贮存场所地面未做防渗处理",
            "贮存场所无围堰、无防雨设施",
        )
        core = _one(
            r,
            f"{who}将{stock}贮存于{loc}，{how}",
            f"{f.party}在{loc}存放{stock}，{how}",
            f"{who}未按规定建设危险废物贮存设施，{stock}堆存在{loc}，{how}",
            f"{who}在{loc}贮存{stock}，{how}，不符合危险废物贮存污染控制标准",
        )
    elif f.conduct == "labelling":
        qn = f"{produced}{qty}" if qty else produced
        core = _one(
            r,
            f"{who}贮存的{stock}，其贮存场所未设置危险废物识别标志",
            f"{who}危废仓库内存放{qn}，仓库门口及盛装容器上均未按规定设置危险废物警示标志",
            f"{who}存放{qn}的包装桶上未粘贴危险废物标签，贮存场所亦无识别标志",
            f"{who}在车间内暂存{qn}，但未设置危险废物识别标志",
        )
    else:
        qn = f"{produced}{qty}" if qty else produced
        core = _one(
            r,
            f"{who}厂区内现存{qn}，但未建立危险废物管理台账",
            f"{who}未如实记录{produced}的产生量和贮存量" + (f"，现场存量{qty}" if qty else ""),
            f"{who}未按规定向生态环境主管部门申报{produced}的种类、产生量及贮存情况"
            + (f"（现场贮存{qty}）" if qty else ""),
            f"{who}未制定危险废物管理计划，其贮存的{qn}亦未建立管理台账",
        )
    found = _one(
        r,
        f"{when}，执法人员对{f.party}{'厂区' if org else '经营场所'}进行现场检查时发现",
        f"{when}，生态环境执法人员检查发现",
        f"经查，{when}前后",
        f"{when}，根据举报线索，执法人员现场核查发现",
        f"{when}，{_one(r, '生态环境分局', '环境执法大队')}在“双随机”抽查中发现",
    )
    law_by = {
        "unlicensed": "第八十条",
        "dumped": "第二十条",
        "discharged": "第七十九条",
        "stored": "第八十一条",
        "labelling": "第七十七条",
        "records": "第七十八条",
    }
    law = _w(
        r,
        [
            (2, ""),
            (1, f"违反了《中华人民共和国固体废物污染环境防治法》{law_by[f.conduct]}的规定"),
            (0.6, f"上述行为违反了《固废法》{law_by[f.conduct]}"),
        ],
    )
    extra = ""
    if f.conduct in ("stored", "labelling", "records") and r.random() < 0.4:
        extra = _one(
            r,
            f"现场共有包装桶{r.randrange(8, 90)}只",
            "执法人员现场拍照取证并制作了现场检查笔录",
            f"{'该公司环保负责人' if org else '当事人'}在场",
        )
    elif r.random() < 0.3:
        extra = _one(
            r,
            "执法人员现场拍照取证并制作了现场检查笔录",
            "有现场检查笔录、照片及询问笔录为证",
            f"{'该公司负责人' if org else '当事人'}对上述事实无异议",
        )
    fine = ""
    if f.fine_yuan and r.random() < 0.5:
        fine = _one(r, "依法处罚款", "决定对其罚款", "处以罚款") + _money(r, f.fine_yuan)
    shape = r.randrange(4)
    if shape == 0:
        parts = [f"{found}，{core}", extra, law, fine]
    elif shape == 1:
        parts = [f"{when}，{core}", extra, fine]
    elif shape == 2:
        parts = [f"经调查，{core}", f"该行为于{when}被查实", law, extra]
    else:
        parts = [f"{when}，{core}", law, extra, fine]
    side: str
    if f.conduct in _DISPOSAL:
        side = f.conduct if f.label_matches else r.choice(("stored", "labelling", "records"))
    else:
        side = f.conduct if f.label_matches else r.choice(_DISPOSAL)
    return PenaltyText(_waste_label(side, r), _join(parts))


# -- insurance judgments ------------------------------------------------------------------------


def _jmoney(r: random.Random, value: float) -> str:
    return _money(r, value, capital=0.25)


def _short(f: JudgmentFacts, r: random.Random) -> str:
    return _w(
        r,
        [(3, f.insurer_short), (2, "被告保险公司"), (1, "保险公司"), (1, f"被告{f.insurer_short}")],
    )


def judgment_parties(f: JudgmentFacts, r: random.Random) -> list[str]:
    """The party block: plaintiff, its agent, then driver, company and insurer."""
    colon = _w(r, [(4, "："), (1, ":"), (2, "")])
    out: list[str] = []
    if f.plaintiff_kind == "person":
        p = f.plaintiff_person
        bits = [p.gender if p else "男"]
        if p and p.birth:
            b = p.birth
            bits.append(
                _one(
                    r,
                    f"{b.year}年{b.month}月{b.day}日出生",
                    f"{b.year}年{b.month}月{b.day}日生",
                    f"生于{b.year}年{b.month}月{b.day}日",
                )
            )
        if r.random() < 0.7:
            bits.insert(r.choice((1, len(bits))), "汉族")
        bits.append(_one(r, f"住{f.county}", f"户籍地{f.county}", f"现住{f.county}"))
        out.append(f"原告{colon}{f.plaintiff}，" + "，".join(bits) + "。")
    else:
        head = f"原告{colon}{f.plaintiff}，住所地{f.county}。"
        if f.plaintiff_rep:
            rep = f"法定代表人{colon}{f.plaintiff_rep}，{_one(r, '该公司总经理', '执行董事', '该公司经理', '董事长')}。"
            if r.random() < 0.7:
                out += [head, rep]
            else:
                out.append(head + rep)
        else:
            out.append(head)
    if f.agent:
        tag = _w(r, [(4, "委托诉讼代理人"), (1, "委托代理人"), (0.5, "诉讼代理人")])
        power = _w(r, [(2, ""), (1, "，特别授权"), (0.6, "，一般代理")])
        if f.agent_kind == "lawyer" and f.agent_firm:
            desc = f"{f.agent_firm}{_one(r, '律师', '专职律师', '执业律师')}"
        elif f.agent_kind == "legal_service" and f.agent_firm:
            desc = f"{f.agent_firm}{_one(r, '法律工作者', '基层法律服务工作者')}"
        elif f.agent_firm:
            desc = f.agent_firm
        elif f.plaintiff_kind == "person":
            desc = _one(
                r,
                "系原告亲属",
                "系原告朋友",
                f"住{f.county}，系原告之友",
                f"住{f.county}，系原告亲戚",
            )
        else:
            desc = f"住{f.county}"
        out.append(f"{tag}{colon}{f.agent}，{desc}{power}。")
    if f.driver:
        role = f"，系{f.other_plate}车辆驾驶人" if f.other_plate and r.random() < 0.35 else ""
        eth = "，汉族" if r.random() < 0.5 else ""
        out.append(f"被告{colon}{f.driver}，{f.driver_gender}{eth}，住{f.county}{role}。")
    if f.vehicle_company:
        head = f"被告{colon}{f.vehicle_company}，住所地{f.county}。"
        if f.vehicle_company_rep:
            rep = f"法定代表人{colon}{f.vehicle_company_rep}，{_one(r, '该公司经理', '执行董事兼总经理', '总经理')}。"
            out += [head, rep] if r.random() < 0.7 else [head + rep]
        else:
            out.append(head)
    loc = _one(r, "住所地", "营业场所", "住所地")
    out.append(f"被告{colon}{f.insurer}，{loc}{f.county}。")
    out.append(
        f"{_one(r, '负责人', '负责人', '主要负责人')}{colon}{f.insurer_rep}，{_one(r, '该公司总经理', '该公司经理', '总经理')}。"
    )
    tag = _w(r, [(4, "委托诉讼代理人"), (1, "委托代理人")])
    out.append(
        f"{tag}{colon}{f.insurer_agent}，{_one(r, '该公司员工', '系公司员工', '该公司职员', '该公司理赔人员')}。"
    )
    return out


def _accident_time(f: JudgmentFacts, r: random.Random) -> str:
    k = _stable(f.plaintiff, f.accident_date.isoformat(), f.accident_place)
    at = (7 + k % 15, k // 15 % 12 * 5)
    clock = _w(r, [(2, _clock(r, (), at)), (1, "")])
    return _date(r, f.accident_date, formal=True) + clock


_CARS = ("小型轿车", "小型普通客车", "小型轿车", "小型越野客车", "轿车", "小型轿车")


def _car(plate: str | None) -> str:
    """The type of the car with ``plate``: the same in every section of one judgment."""
    return _CARS[_stable(plate or "") % len(_CARS)]


def _damaged(f: JudgmentFacts, r: random.Random) -> str:
    """The damaged car as the story first names it (whose it is)."""
    plate = _plate(r, f.plate or "")
    if f.assigned and f.owner:
        return _one(
            r,
            f"{f.owner}所有的{plate}号{_car(f.plate)}",
            f"登记在{f.owner}名下的{plate}车辆",
            f"案外人{f.owner}的{plate}号车辆",
        )
    if f.car_sold:
        return _one(
            r,
            f"原告使用的{plate}号{_car(f.plate)}",
            f"原告的{plate}车辆",
            f"{plate}号{_car(f.plate)}",
        )
    return _one(
        r,
        f"原告所有的{plate}号{_car(f.plate)}",
        f"原告名下的{plate}车辆",
        f"原告的{plate}号{_car(f.plate)}",
    )


def _at_fault(f: JudgmentFacts, r: random.Random) -> str:
    plate = f"{_plate(r, f.other_plate)}号{_car(f.other_plate)}" if f.other_plate else "机动车"
    if f.vehicle_company and r.random() < 0.6:
        return _one(
            r,
            f"登记在被告{f.vehicle_company}名下的{plate}",
            f"被告{f.vehicle_company}所有的{plate}",
        )
    return plate


def _transfer(f: JudgmentFacts, r: random.Random) -> str:
    """The assignment of the claim from the owner to the plaintiff."""
    owner = f.owner or "原车主"
    right = _one(
        r,
        "车辆损失赔偿请求权",
        "债权",
        "理赔权",
        "索赔权",
        "保险金请求权" if not f.traffic else "损害赔偿请求权",
        "赔偿权利",
        "车损理赔款的请求权",
    )
    deals = ("《债权转让协议》", "《车辆损失索赔权转让协议》", "书面转让协议", "《理赔权转让协议》")
    notes = ("《权益转让书》", "《债权转让通知书》", "《索赔权转让声明》", "《债权转让协议》")
    k = _stable(owner, f.plaintiff, "deal")
    deal, note = deals[k % len(deals)], notes[k // 7 % len(notes)]
    return _one(
        r,
        f"事故发生后，{owner}与原告签订{deal}，将其{right}全部转让给原告，并已通知被告",
        f"{owner}已将其因该次事故享有的{right}转让给原告",
        f"经双方协商，{owner}将本案{right}依法转让予原告，原告据此取得该项权利",
        f"{owner}于事故后出具{note}，将本次事故项下的{right}让与原告行使",
        f"{owner}作为车主，将涉案车辆因事故产生的{right}一并转让给原告，由原告向责任方主张",
        f"原告系从{owner}处受让本案{right}，受让后以自己名义起诉",
    )


def _days_owned(f: JudgmentFacts) -> int:
    """Days between the purchase and the accident: fixed by the facts, so every section agrees.

    A property-insurance policy runs a year and was taken out by the seller before the sale,
    so the sale is then at most about ten months before the accident.
    """
    span = 400 if f.traffic else 280
    return 25 + _stable(f.owner or "", f.plaintiff, f.accident_date.isoformat()) % span


def _purchase(f: JudgmentFacts, r: random.Random) -> str:
    """The plaintiff bought the car from the owner before the accident; registration unchanged."""
    owner = f.owner or "原车主"
    bought = f.accident_date - dt.timedelta(days=_days_owned(f))
    when = _w(
        r,
        [
            (2, f"{bought.year}年{bought.month}月"),
            (1, f"{bought.year}年{bought.month}月{bought.day}日"),
            (1, "事故发生前"),
        ],
    )
    plate = _plate(r, f.plate or "")
    return _one(
        r,
        f"{plate}车辆原登记在{owner}名下，原告于{when}从{owner}处购得该车并实际占有使用，但未办理过户登记",
        f"{when}，原告向{owner}购买了{plate}车辆，双方交付车辆后未办理机动车转移登记，该车至今仍登记在{owner}名下",
        f"该车系原告{when}以买卖方式从{owner}处取得，一直由原告使用，行驶证登记所有人仍为{owner}",
        f"原告于{when}与{owner}签订二手车买卖合同，购买{plate}车辆，价款已付清、车辆已交付，因故未办理过户手续",
        f"{plate}车辆的登记所有人为{owner}，但该车在事故前已由原告出资购买并实际使用，只是尚未变更登记",
    )


def _insurance_story(f: JudgmentFacts, r: random.Random) -> str:
    intro = _w(
        r,
        [
            (0.6, f"被告{f.insurer}（以下简称{f.insurer_short}）"),
            (1.5, f"被告{f.insurer_short}"),
            (1.5, f"被告{f.insurer}"),
            (1, f"{f.insurer}"),
            (0.7, "被告保险公司"),
        ],
    )
    limit = r.choice((50, 100, 150, 200, 300))
    if f.traffic:
        car = f"{_plate(r, f.other_plate)}车辆" if f.other_plate else "肇事车辆"
        cover = _one(
            r,
            "交强险及商业第三者责任保险",
            f"机动车交通事故责任强制保险和保险金额{limit}万元的商业三者险（含不计免赔）",
            "交强险和商业三者险",
        )
        return _one(
            r,
            f"{car}在{intro}处投保了{cover}，事故发生在保险期间内",
            f"经查，{car}已向{intro}投保{cover}",
            f"肇事{car}在{intro}投保有{cover}",
        )
    earliest = _days_owned(f) + 5 if f.car_sold else 20
    start = f.accident_date - dt.timedelta(days=r.randrange(earliest, 360))
    end = start + dt.timedelta(days=364)
    holder = f.owner if (f.assigned or f.car_sold) and f.owner else "原告"
    period = f"保险期间自{start.year}年{start.month}月{start.day}日0时起至{end.year}年{end.month}月{end.day}日24时止"
    plate = _plate(r, f.plate or "")
    return _one(
        r,
        f"{holder}为{plate}车辆在{intro}投保了机动车损失保险（不计免赔），{period}",
        f"{plate}车辆由{holder}在{intro}处投保车辆损失险，{period}，事故发生在保险期间内",
        f"{holder}就{plate}车辆向{intro}投保了机动车商业保险（含车损险），事故发生时保险合同尚在有效期内",
    )


def judgment_story(f: JudgmentFacts, r: random.Random) -> str:
    """The plaintiff's 事实和理由: the accident, the car, the insurance, assignment or purchase."""
    when = _accident_time(f, r)
    parts: list[str] = []
    if f.injury:
        how = _one(r, "步行", "骑电动自行车", "骑自行车", "驾驶电动车")
        driver = f.driver or "对方驾驶人"
        parts.append(
            _one(
                r,
                f"{when}，{driver}驾驶{_at_fault(f, r)}行驶至{f.accident_place}时，与{how}的原告相撞，致原告受伤",
                f"{when}，原告{how}途经{f.accident_place}，被{driver}驾驶的{_at_fault(f, r)}撞倒受伤",
            )
        )
        parts.append(
            _one(
                r,
                "原告伤后被送往医院住院治疗",
                f"原告受伤后在医院住院治疗{r.randrange(5, 40)}天",
                "原告经医院救治",
            )
        )
    elif f.traffic:
        driver = f.driver or "对方驾驶人"
        parts.append(
            _one(
                r,
                f"{when}，{driver}驾驶{_at_fault(f, r)}在{f.accident_place}与{_damaged(f, r)}发生碰撞，造成车辆损坏",
                f"{when}，{_damaged(f, r)}停放于{f.accident_place}路边时，被{driver}驾驶的{_at_fault(f, r)}撞击受损",
                f"{when}，{driver}驾驶{_at_fault(f, r)}行驶至{f.accident_place}时，因操作不当追尾{_damaged(f, r)}，致该车受损",
            )
        )
    else:
        parts.append(
            _one(
                r,
                f"{when}，{_damaged(f, r)}在{f.accident_place}行驶时与道路护栏发生碰撞，车辆受损",
                f"{when}，{_damaged(f, r)}在{f.accident_place}发生单方交通事故，造成车辆损坏",
                f"{when}，{_damaged(f, r)}行经{f.accident_place}时避让不及撞上路边树木，车辆严重受损",
            )
        )
    if f.traffic and f.driver:
        parts.append(
            _one(
                r,
                f"经公安交警部门认定，{f.driver}负事故全部责任",
                f"该事故经交警部门处理，认定{f.driver}承担全部责任",
                f"《道路交通事故认定书》认定{f.driver}负本次事故的全部责任",
            )
        )
    if f.car_sold:
        parts.append(_purchase(f, r))
    parts.append(_insurance_story(f, r))
    if f.assigned:
        parts.append(_transfer(f, r))
    if not f.injury:
        early = _story_assessment(f, r)
        if early:
            parts.append(early)
    parts.append(
        _one(
            r,
            "被告至今未予赔偿，原告为维护自身合法权益，特诉至法院，请求判如所请",
            "因协商未果，原告诉至法院，请求依法判决",
            "现原告依法起诉，望判如所请",
            "经多次催要无果，故诉至法院",
            "为此，原告提起诉讼，请求支持原告的诉讼请求",
        )
    )
    return _join(parts)


def _story_assessment(f: JudgmentFacts, r: random.Random) -> str:
    """What the plaintiff's story says of the assessment, when it says anything (never for court/none)."""
    if r.random() < 0.45:
        return ""
    short = _short(f, r)
    if f.assessment == "self" and f.assessor:
        return _one(
            r,
            f"事故发生后，原告通知{short}定损，{short}未派员查勘定损，原告遂自行委托{f.assessor}评估，车辆损失为{_jmoney(r, f.loss_yuan)}",
            f"因{short}拒绝对车辆进行定损，原告只得委托{f.assessor}对损失进行评估",
        )
    if f.assessment == "self_silent" and f.assessor:
        return _one(
            r,
            f"经原告委托，{f.assessor}评估车辆损失为{_jmoney(r, f.loss_yuan)}",
            f"原告委托{f.assessor}对车辆损失进行了评估",
        )
    if f.assessment == "disputed" and f.assessor and f.insurer_loss_yuan is not None:
        return _one(
            r,
            f"{short}定损金额仅为{_jmoney(r, f.insurer_loss_yuan)}，与实际损失差距较大，原告不予认可，遂委托{f.assessor}进行评估",
            f"原告对{short}作出的定损结果有异议，另行委托{f.assessor}评估",
        )
    if f.assessment == "repair_bill":
        if f.shop:
            return f"原告将受损车辆送至{f.shop}维修，支付修理费{_jmoney(r, f.loss_yuan)}"
        return f"原告为修复车辆支出修理费{_jmoney(r, f.loss_yuan)}"
    return ""


def judgment_defence(f: JudgmentFacts, r: random.Random) -> list[str]:
    """The defendants' answers: the insurer always; the driver and the company sometimes."""
    out: list[str] = []
    said = _one(r, "辩称", "答辩称", "辩称")
    if f.driver and r.random() < 0.7:
        out.append(
            _one(
                r,
                f"被告{f.driver}{said}，对事故发生经过及责任认定无异议，肇事车辆已投保，应由保险公司在保险限额内承担赔偿责任。",
                f"被告{f.driver}未作答辩。",
                f"被告{f.driver}经本院传票传唤，无正当理由未到庭，亦未提交书面答辩意见。",
                f"被告{f.driver}{said}，事故属实，同意由保险公司依法理赔，超出部分愿意承担。",
            )
        )
    if f.vehicle_company and r.random() < 0.7:
        out.append(
            _one(
                r,
                f"被告{f.vehicle_company}{said}，其仅为{_plate(r, f.other_plate) + '车辆' if f.other_plate else '肇事车辆'}的登记所有人，对事故发生没有过错，不应承担赔偿责任。",
                f"被告{f.vehicle_company}未作答辩。",
                f"被告{f.vehicle_company}{said}，车辆已在保险公司投保，应由保险公司赔偿，其不承担责任。",
            )
        )
    head = _w(r, [(2, f"被告{f.insurer_short}"), (1, f"被告{f.insurer}"), (1, "被告保险公司")])
    points: list[str] = []
    if f.traffic:
        points.append(
            _one(
                r,
                f"对事故发生及责任认定无异议，{'肇事车辆' if not f.other_plate else _plate(r, f.other_plate) + '车辆'}在我司投保交强险及商业三者险属实",
                "对事故事实无异议，同意在保险责任范围内依法赔偿",
                "对投保情况无异议",
            )
        )
    else:
        points.append(
            _one(
                r,
                "涉案车辆在我司投保车损险属实",
                "对保险合同关系无异议",
                "对事故发生无异议，但对损失金额有异议",
            )
        )
    if f.car_sold:
        seller = f.owner or "原车主"
        if f.traffic:
            points.append(
                _one(
                    r,
                    f"受损车辆登记所有人为{seller}，该车已转让但未过户，原告并非登记车主，其诉讼主体资格存疑",
                    f"受损车辆已由{seller}转卖给原告，未办理过户手续，车辆所有权变动情况应由原告举证",
                    f"涉案受损车辆在事故前已发生转让，登记车主仍为{seller}，原告应提供买卖合同及付款凭证证明其为实际所有人",
                )
            )
        else:
            points.append(
                _one(
                    r,
                    f"涉案车辆在保险期间内已由被保险人{seller}转让给原告，未通知我司，亦未办理批改手续，根据《中华人民共和国保险法》第四十九条，因转让导致危险程度显著增加而发生的保险事故，保险人不承担赔偿责任",
                    "被保险车辆已实际转让给原告（未过户），车辆使用性质可能改变，依照保险法第四十九条，我司不应承担保险责任",
                    f"车辆已由{seller}卖给原告，被保险人未履行通知义务，我司依法不承担赔偿责任",
                    f"保险标的已转让，{seller}及原告均未通知保险人，我司有权拒赔",
                )
            )
    if f.assigned and r.random() < 0.5:
        points.append(
            _one(
                r,
                "对债权转让的真实性有异议",
                "原告与车主之间的转让行为对我司不发生效力",
                "对理赔权转让不予认可",
            )
        )
    a = f.assessment
    if a == "self":
        points.append(
            _one(
                r,
                "原告从未通知我司到场查勘定损，其单方委托作出的评估结论我司不予认可",
                "事故发生后原告未向我司报案，我司无法定损，对原告自行委托的评估报告不予认可",
                "我司认为本案事故存在疑点，故未予定损，原告单方评估的金额过高",
                "因原告拒不配合，我司未能对车辆进行定损，评估系原告单方委托，不予认可",
            )
        )
    elif a == "self_silent":
        points.append(
            _w(
                r,
                [
                    (1, "评估系原告单方委托，我司不予认可"),
                    (1, "原告主张的车损金额过高，评估费不属于保险责任"),
                ],
            )
        )
    elif a == "disputed" and f.insurer_loss_yuan is not None:
        points.append(
            _one(
                r,
                f"我司已对车辆定损{_jmoney(r, f.insurer_loss_yuan)}，原告单方委托的评估金额过高",
                f"我司核定损失为{_jmoney(r, f.insurer_loss_yuan)}，应以此为准",
                "原告的评估系单方委托，我司对评估结论不予认可",
            )
        )
    elif a == "insurer" and r.random() < 0.6:
        points.append(f"我司已对受损车辆核损，同意按定损金额{_jmoney(r, f.loss_yuan)}赔付")
    elif a == "insurer_named" and f.assessor and r.random() < 0.5:
        points.append(f"我司已委托{f.assessor}对车辆损失进行查勘评估，原告主张超出部分不予认可")
    elif a == "court":
        points.append(
            _one(
                r,
                "对原告主张的车损金额有异议，申请对车辆损失进行鉴定",
                "原告主张的损失过高，我司申请司法鉴定",
            )
        )
    elif a in ("repair_bill", "none") and not f.injury:
        points.append(
            _one(r, "原告主张的损失过高，请法院依法核定", "车辆贬值损失不属于保险责任范围")
        )
    if f.injury:
        points.append(
            _one(r, "原告主张的误工费、护理费计算标准过高", "医疗费中的非医保用药部分不予承担")
        )
    points.append(_w(r, [(2, "诉讼费不属于保险责任范围，我司不予承担"), (1, "")]))
    numbered = [p for p in points if p]
    body = "；".join(numbered)
    if len(numbered) > 1 and r.random() < 0.4:
        sep = _w(r, [(3, "、"), (3, "."), (1, "．")])
        body = "；".join(f"{i}{sep}{p}" for i, p in enumerate(numbered, 1))
    out.append(f"{head}{said}，{body}。")
    return out


def _finding_assessment(f: JudgmentFacts, r: random.Random) -> str:
    short = _short(f, r)
    plate = _plate(r, f.plate) + "车辆" if f.plate else "受损车辆"
    loss = _jmoney(r, f.loss_yuan)
    a = f.assessment
    if a == "self":
        return _one(
            r,
            f"事故发生后，{short}未对{plate}进行定损。原告自行委托{f.assessor}对车辆损失进行评估，评估损失为{loss}",
            f"{short}接到报案后未派员查勘定损，原告遂委托{f.assessor}评估，该机构出具评估报告，确定{plate}损失为{loss}",
            f"原告单方委托{f.assessor}对{plate}的损失进行评估，评估金额为{loss}；{short}未对该车损失进行核定",
            f"因{short}未参与定损，{plate}的损失由原告委托{f.assessor}评估，评估结论为{loss}",
            f"{short}拒绝定损后，原告委托{f.assessor}对{plate}进行了评估，确定车辆损失{loss}",
        )
    if a == "self_silent":
        return _one(
            r,
            f"原告委托{f.assessor}对{plate}损失进行评估，评估金额为{loss}",
            f"经原告委托，{f.assessor}出具评估报告，认定{plate}损失为{loss}",
            f"{f.assessor}受原告委托作出评估意见，{plate}车损为{loss}",
            f"原告就{plate}的损失委托{f.assessor}进行评估，评估价值为{loss}",
        )
    if a == "disputed":
        ins = _jmoney(r, f.insurer_loss_yuan or 0.0)
        return _one(
            r,
            f"{short}对{plate}定损为{ins}，原告对此有异议，另行委托{f.assessor}进行评估，评估车损为{loss}",
            f"事故发生后，{short}核定{plate}损失为{ins}。原告不服，委托{f.assessor}评估，评估结论为{loss}",
            f"{short}出具的定损单载明{plate}损失{ins}；原告不予认可，自行委托{f.assessor}评估，评估金额{loss}",
            f"就{plate}的损失，{short}定损{ins}，{f.assessor}受原告委托评估为{loss}，双方对此存在争议",
        )
    if a == "insurer":
        return _one(
            r,
            f"{short}对{plate}进行了定损，核定损失金额为{loss}",
            f"事故发生后，经{short}查勘定损，{plate}损失为{loss}",
            f"{plate}的损失经{short}核损确定为{loss}",
            f"{short}派员查勘后出具定损单，确定{plate}的损失项目及金额共计{loss}",
            f"经{short}定损，{plate}的车辆损失为{loss}",
        )
    if a == "insurer_named":
        return _one(
            r,
            f"{short}委托{f.assessor}对{plate}损失进行查勘评估，评估损失为{loss}",
            f"经{short}委托，{f.assessor}对{plate}进行定损，确定损失为{loss}",
            f"{short}聘请{f.assessor}对{plate}进行查勘定损，公估报告确定的损失为{loss}",
            f"{plate}的损失由{short}委托的{f.assessor}核定，金额为{loss}",
        )
    if a == "court":
        return _one(
            r,
            f"审理中，经{short}申请，本院依法委托{f.assessor}对{plate}的损失进行鉴定，鉴定意见为车辆损失{loss}",
            f"诉讼中，{short}申请对车辆损失进行司法鉴定，本院委托{f.assessor}鉴定，结论为{plate}损失{loss}",
            f"本案审理过程中，{short}申请鉴定，经摇号确定由{f.assessor}对{plate}损失进行评估，评估价值为{loss}",
        )
    if a == "repair_bill":
        options = [
            f"原告为修复{plate}支付维修费{loss}，有维修发票及维修清单为证",
            f"{plate}的维修费用为{loss}，已由原告支付",
            f"原告提交的维修费发票显示，修复{plate}共花费{loss}",
        ]
        if f.shop:
            options.append(f"{f.shop}出具的发票载明，{plate}的修理费共计{loss}")
        return r.choice(options)
    return ""


def _evidence(f: JudgmentFacts, r: random.Random) -> str:
    """The evidence the findings rest on, listed as courts list it."""
    items = ["道路交通事故认定书"] if f.traffic else ["保险单"]
    items += [_one(r, "机动车行驶证", "保险单", "驾驶证")]
    if f.assigned:
        items.append(_one(r, "债权转让协议", "权益转让书"))
    if f.car_sold:
        items.append("车辆买卖协议")
    a = f.assessment
    if a in ("self", "self_silent", "disputed", "court"):
        items.append(_one(r, "评估报告", "鉴定意见书", "评估结论书"))
    if a in ("disputed", "insurer"):
        items.append("定损单")
    if a == "insurer_named":
        items.append("公估报告")
    if a == "repair_bill":
        items.append(_one(r, "维修发票", "修理费发票及维修清单"))
    if f.injury:
        items += ["病历资料", "医疗费票据"]
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    listed = "、".join(seen)
    return _one(
        r,
        f"上述事实，有{listed}及当事人陈述等证据在卷佐证",
        f"以上事实有{listed}等证据证实，本院予以确认",
        f"上述事实，有当事人提交的{listed}等证据为证",
    )


def judgment_findings(f: JudgmentFacts, r: random.Random) -> str:
    """The court's findings: the accident, the ownership, the repair and the assessment."""
    lead = _one(
        r,
        "经审理查明：",
        "经审理查明，",
        "本院经审理认定事实如下：",
        "根据当事人陈述和经审查确认的证据，本院认定事实如下：",
        "本院经审理查明：",
        "对当事人无争议的事实，本院予以确认。经审理查明，",
        "本院认定事实如下：",
    )
    when = _accident_time(f, r)
    parts: list[str] = []
    driver = f.driver or "对方驾驶人"
    if f.injury:
        parts.append(
            _one(
                r,
                f"{when}，{driver}驾驶{_at_fault(f, r)}在{f.accident_place}与原告发生碰撞，致原告受伤",
                f"{when}，原告在{f.accident_place}被{driver}驾驶的{_at_fault(f, r)}撞伤",
            )
        )
    elif f.traffic:
        damaged = _plate(r, f.plate or "")
        parts.append(
            _one(
                r,
                f"{when}，{driver}驾驶{_at_fault(f, r)}在{f.accident_place}与{damaged}号车辆发生碰撞，致两车受损",
                f"{when}，在{f.accident_place}，{driver}驾驶的{_at_fault(f, r)}与{damaged}车辆相撞，造成车辆损坏的交通事故",
                f"{when}，{driver}驾驶{_at_fault(f, r)}途经{f.accident_place}时，碰撞{damaged}车辆，致该车受损",
            )
        )
    else:
        damaged = _plate(r, f.plate or "")
        parts.append(
            _one(
                r,
                f"{when}，{damaged}车辆在{f.accident_place}发生交通事故，车辆受损",
                f"{when}，{damaged}车辆行驶至{f.accident_place}时发生碰撞，造成车辆损坏",
            )
        )
    if f.traffic and f.driver:
        parts.append(
            _one(
                r,
                f"交警部门认定{f.driver}负事故全部责任",
                f"经公安机关交通管理部门认定，{f.driver}负全部责任",
                f"该事故经交警部门认定，{f.driver}承担事故全部责任，对方无责任",
            )
        )
    if f.traffic:
        parts.append(
            _one(
                r,
                f"{'肇事车辆' if not f.other_plate else _plate(r, f.other_plate) + '车辆'}在{_short(f, r)}投保了交强险和商业三者险，事故发生在保险期间内",
                f"事故车辆在被告{f.insurer_short}处投保有交强险及商业第三者责任保险",
                f"肇事车辆向被告{f.insurer_short}投保了机动车交通事故责任强制保险及商业第三者责任险（不计免赔），本次事故发生在保险期间",
            )
        )
        if f.vehicle_company and r.random() < 0.6:
            parts.append(
                f"{_plate(r, f.other_plate) + '车辆' if f.other_plate else '肇事车辆'}的登记所有人为被告{f.vehicle_company}"
            )
    else:
        parts.append(
            _one(
                r,
                f"该车在{_short(f, r)}处投保了机动车损失保险，事故发生在保险期间内",
                f"涉案车辆在被告{f.insurer_short}投保了车损险（含不计免赔率特约险），事故发生时尚在保险期间",
            )
        )
    if f.assigned:
        parts.append(
            f"{_plate(r, f.plate) + '车辆' if f.plate else '该车'}的登记所有人为{f.owner or '原车主'}"
        )
        parts.append(_transfer(f, r))
    if f.car_sold:
        parts.append(_purchase(f, r))
    repair = ""
    if f.shop:
        plate = _plate(r, f.plate) + "车辆" if f.plate else "受损车辆"
        repair = _one(
            r,
            f"事故发生后，{plate}被送至{f.shop}进行维修",
            f"原告将{plate}交由{f.shop}修理",
            f"{plate}已在{f.shop}修复",
            f"受损车辆由{f.shop}维修完毕",
            f"{plate}经拖运至{f.shop}修理，现已修复",
            f"{f.shop}对{plate}进行了维修",
        )
    assess = _finding_assessment(f, r)
    parts += [repair, assess] if r.random() < 0.5 else [assess, repair]
    parts = [p for p in parts if p]
    if r.random() < 0.25 and len(parts) > 3:
        head = _join(parts[:2])
        rest = parts[2:]
        if r.random() < 0.5:
            sep = _one(r, ".", "、")
            listed = "；".join(f"{i}{sep}{p}" for i, p in enumerate(rest, 1))
            body = head + _one(r, "另查明：", "另查明，") + listed + "。"
        else:
            body = head + _one(r, "另查明，", "另查明：") + _join(rest)
    else:
        body = _join(parts)
    if r.random() < 0.35:
        body += _evidence(f, r) + "。"
    return lead + body
