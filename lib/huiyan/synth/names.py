"""Believable Chinese names for synthetic people, companies and villages, drawn in bulk.

Surnames follow their frequency (Zhejiang leans to 陈, 王, 张, 李, 吴, 徐, 金, 沈…),
given names are one or two characters from gendered pools.

Example:
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> names = person_names(rng, np.array(["男", "女"]))
    >>> [2 <= len(n) <= 3 for n in names]
    [True, True]
"""

from __future__ import annotations

import numpy as np

# surname: relative frequency (per mille, rough, Zhejiang-weighted)
_SURNAMES = """
陈 80 王 62 张 48 李 46 吴 30 徐 30 周 26 朱 20 金 20 沈 19 杨 18 黄 18 刘 18 钱 10 孙 12 胡 16
叶 14 俞 10 蒋 10 何 10 郑 12 林 14 楼 6 应 6 方 9 潘 9 赵 10 马 7 高 7 许 9 章 9 冯 6 傅 6 郭 6
邵 6 鲁 4 倪 4 汪 6 毛 6 姚 6 丁 5 戴 5 宋 5 唐 5 程 5 谢 5 韩 4 罗 5 梁 4 袁 4 邱 4 范 4 夏 4
蔡 5 汤 4 魏 3 任 3 江 4 孔 3 钟 3 卢 3 陆 5 施 4 严 3 单 3 厉 2 斯 2 竺 2 裘 2 屠 2 骆 3 翁 4
虞 2 柯 2 季 3 洪 3 吕 4 曹 4 苏 3 葛 3 阮 2 缪 2 童 3 华 2 余 5 杜 3 尹 2 卜 1 田 3 石 3 董 4
贾 2 彭 3 曾 3 肖 3 邓 3 潘 2 鲍 2 盛 2 詹 2 雷 3 蓝 2 祝 2 包 2 占 2 项 2 诸 1 娄 2 管 2 柴 2
"""

_MALE = list(
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林建国志文海东峰新春永德荣成福生祥"
    "晓云洪良庆兵忠彬斌宏亮剑锋伦杭浩然睿博航晨铭泽宇昊轩瑞霖俊嘉豪志远胜利全红卫根土水金木发财"
    "龙虎伯仲达富贵坤江河山松柏立群彪毅锦荣炳耀光铁锡钢铭栋梁家兴振宗显"
)
_FEMALE = list(
    "芳娜敏静丽艳娟霞燕玲婷秀英华慧巧美萍红琴雪梅莉兰凤洁琳颖倩佳怡丹月蓉菊莲珍玉翠彩霞萍"
    "晶晨露瑶蕾薇欣悦婉妍琪璐雯婧嘉馨雅诗语涵思梦雨菲晴春桂花芬秋香仙素娥爱珠彩云燕芝"
)
_SHARED = list("晓小文海建立德永志明国新春金一子安宏亚丽玉")


def _surname_table() -> tuple[np.ndarray, np.ndarray]:
    words = _SURNAMES.split()
    names = np.array(words[0::2])
    weights = np.array(words[1::2], dtype=float)
    # merge accidental duplicates (a surname listed twice adds up)
    uniq, inv = np.unique(names, return_inverse=True)
    w = np.bincount(inv, weights=weights)
    return uniq, w / w.sum()


SURNAMES, SURNAME_WEIGHTS = _surname_table()
MALE_CHARS = np.array(sorted(set(_MALE) | set(_SHARED)))
FEMALE_CHARS = np.array(sorted(set(_FEMALE) | set(_SHARED)))


def surnames(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` surnames drawn by frequency."""
    return rng.choice(SURNAMES, size=n, p=SURNAME_WEIGHTS)


def person_names(
    rng: np.random.Generator, genders: np.ndarray, *, family: np.ndarray | None = None
) -> np.ndarray:
    """A name for each gender ('男'/'女'): surname (or ``family``'s) + 1-2 given characters."""
    genders = np.asarray(genders)
    n = len(genders)
    sur = surnames(rng, n) if family is None else np.asarray(family, dtype="<U2")
    male = genders == "男"
    first = np.where(
        male,
        MALE_CHARS[rng.integers(0, len(MALE_CHARS), n)],
        FEMALE_CHARS[rng.integers(0, len(FEMALE_CHARS), n)],
    )
    second = np.where(
        male,
        MALE_CHARS[rng.integers(0, len(MALE_CHARS), n)],
        FEMALE_CHARS[rng.integers(0, len(FEMALE_CHARS), n)],
    )
    two = rng.random(n) < 0.78
    given = np.char.add(first, np.where(two, second, ""))
    return np.char.add(sur, given).astype(object)


def surname_of(names: np.ndarray) -> np.ndarray:
    """The surname of each name (the first character)."""
    return np.asarray(names).astype("<U1")


def masked(names: np.ndarray) -> np.ndarray:
    """Names as published judgments pseudonymise them: 张三丰 -> 张某."""
    return np.char.add(surname_of(names), "某").astype(object)


# -- companies ---------------------------------------------------------------------------------

_WORDS = list(
    "永顺兴隆达鑫华泰鸿运通宏盛金源祥瑞丰恒安信诚远航捷驰众邦腾飞新天宇博创凯力佳美嘉欣荣发"
    "聚益旺昌德利康正万方光明星辰龙骏豪锦程亿隆鼎立宝成联强胜"
)
_ASSESSOR_WORDS = list("正信公平诚达明鉴中衡天平大正华信恒正立信求实精诚")

KINDS: dict[str, tuple[tuple[str, str], ...]] = {
    # kind: ((name pattern, industry), ...); {p} = place, {w} = 2-character trade word
    "repair_shop": (
        ("{p}{w}汽车修理厂", "机动车维修"),
        ("{p}{w}汽车维修有限公司", "机动车维修"),
        ("{p}{w}汽车服务有限公司", "机动车维修"),
        ("{p}{w}汽车修配厂", "机动车维修"),
        ("{p}{w}车业有限公司", "机动车维修"),
        ("{p}{w}汽车快修店", "机动车维修"),
        ("{p}{w}机动车维修站", "机动车维修"),
        ("{p}{w}汽车美容服务部", "机动车维修"),
    ),
    "assessor": (
        ("浙江{w}保险公估有限公司", "保险公估"),
        ("{p}{w}价格评估有限公司", "资产评估"),
        ("{p}{w}机动车鉴定评估有限公司", "资产评估"),
    ),
    "rental": (("{p}{w}汽车租赁有限公司", "汽车租赁"),),
    "construction": (("{p}{w}建设有限公司", "建筑业"), ("浙江{w}建筑工程有限公司", "建筑业")),
    "trade": (("{p}{w}贸易有限公司", "批发和零售业"), ("{p}{w}商贸有限公司", "批发和零售业")),
    "manufacturing": (
        ("{p}{w}机械有限公司", "制造业"),
        ("{p}{w}纺织有限公司", "制造业"),
        ("浙江{w}科技股份有限公司", "制造业"),
        ("{p}{w}五金制品厂", "制造业"),
    ),
    "mining": (("{p}{w}矿业有限公司", "采矿业"), ("{p}{w}砂石有限公司", "采矿业")),
    "logistics": (("{p}{w}物流有限公司", "交通运输业"), ("{p}{w}运输有限公司", "交通运输业")),
    "service": (("{p}{w}餐饮管理有限公司", "住宿和餐饮业"), ("{p}{w}物业管理有限公司", "房地产业")),
}
"""Company name patterns and industries by kind."""

COMPANY_KINDS = ("construction", "trade", "manufacturing", "logistics", "service")
"""The ordinary kinds background enterprises are drawn from."""


def trade_words(rng: np.random.Generator, n: int, *, pool: list[str] | None = None) -> np.ndarray:
    """Two-character trade names such as 永顺, 鸿运."""
    chars = np.array(pool or _WORDS)
    a = chars[rng.integers(0, len(chars), n)]
    b = chars[rng.integers(0, len(chars), n)]
    return np.char.add(a, b)


def company_names(
    rng: np.random.Generator, places: np.ndarray, kind: str
) -> tuple[np.ndarray, np.ndarray]:
    """(names, industries) of companies of ``kind`` located at ``places`` (short place names)."""
    patterns = KINDS[kind]
    n = len(places)
    pick = rng.integers(0, len(patterns), n)
    pool = _ASSESSOR_WORDS if kind == "assessor" else None
    words = trade_words(rng, n, pool=pool)
    names = np.empty(n, dtype=object)
    industries = np.empty(n, dtype=object)
    for i, (pattern, industry) in enumerate(patterns):
        sel = pick == i
        if not sel.any():
            continue
        head, _, tail = pattern.partition("{w}")
        start = (
            np.asarray(places)[sel].astype(object) + head.replace("{p}", "")
            if "{p}" in head
            else head
        )
        names[sel] = start + words[sel].astype(object) + tail
        industries[sel] = industry
    return names, industries


def short_place(county_name: str) -> str:
    """A county's name as companies use it: 越城区 -> 越城, 松阳县 -> 松阳, 义乌市 -> 义乌."""
    for suffix in ("畲族自治县", "区", "县", "市"):
        if county_name.endswith(suffix) and len(county_name) > len(suffix) + 1:
            return county_name[: -len(suffix)]
    return county_name


# -- villages ----------------------------------------------------------------------------------

_VILLAGE_CHARS = list("上下东西南北前后大小新老石山溪坑岭塘桥湾坞头口岙岗源田林竹枫桃李杨柳梅")
_VILLAGE_FIRST = list("黄白青金长高双三五马龙凤官王陈张周吴朱沈徐胡叶潘蒋俞楼应")


def villages(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` distinct village names such as 黄坑村, 上塘村, 马岭头村."""
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        a = rng.choice(_VILLAGE_FIRST)
        b = rng.choice(_VILLAGE_CHARS)
        name = f"{a}{b}村" if rng.random() < 0.7 else f"{a}{b}{rng.choice(_VILLAGE_CHARS)}村"
        if name not in seen:
            seen.add(name)
            out.append(name)
    return np.array(out, dtype=object)
