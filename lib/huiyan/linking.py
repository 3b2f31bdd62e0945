"""Entity linking: tie names seen in judgments and claims to people and companies in the registers.

A plaintiff in a judgment is a name (published judgments mask it: 张某) and
only sometimes a resident ID; a repair shop is a name written several ways
(越城鑫达汽修厂, 绍兴市越城区鑫达汽车修理厂, 鑫达汽车维修有限公司). This module
links such *mentions* to ``person_id`` / ``org_id`` and says how each link was
made and how sure it is, so a clue can show its reasoning:

=================  ==========  ====================================================
link               confidence  how
=================  ==========  ====================================================
身份证号一致        1.0         the resident ID written next to the name
信用代码一致        1.0         the credit code given in the record
企业名称一致        0.95        the full company name equals a registered name
字号+县区一致       0.85        the same core name (字号) in the same county
字号一致            0.7         the same core name, unique in the whole workspace
姓名+车牌一致       0.9         the registered owner / insured of a plate in the case
姓氏+车牌一致       0.7         a masked name (张某) whose surname is the plate owner's
姓名+修理厂一致     0.8         an employee or officer of the repair shop in the case
姓名+县区一致       0.6         the only person of that name in the county's registers
=================  ==========  ====================================================

Rules: the strongest link wins; two different people at the same strength
make the mention ambiguous and it stays unlinked. A masked name never links
by a name alone (only by ID or surname + plate). Everything is an ibis
expression (portable to Spark).

Example:
    >>> import ibis
    >>> t = ibis.memtable({"n": ["绍兴市越城区鑫达汽车修理厂", "越城鑫达汽修厂", "鑫达汽车维修有限公司"]})
    >>> sorted(set(ibis.duckdb.connect().execute(t.select(c=core_name(t.n))).c))
    ['鑫达']
"""

from __future__ import annotations

import re
from functools import cache

import ibis
import ibis.expr.types as ir

from huiyan import identifiers

__all__ = [
    "CONFIDENCE", "LINK_CODE", "LINK_COUNTY", "LINK_ID", "LINK_ORG_CORE", "LINK_ORG_CORE_ANY",
    "LINK_ORG_NAME", "LINK_PLATE", "LINK_SHOP", "LINK_SURNAME_PLATE", "core_name",
    "core_name_py", "is_masked", "link_orgs", "link_people", "resident_id_after",
]  # fmt: skip

LINK_ID = "身份证号一致"
LINK_CODE = "信用代码一致"
LINK_ORG_NAME = "企业名称一致"
LINK_ORG_CORE = "字号+县区一致"
LINK_ORG_CORE_ANY = "字号一致"
LINK_PLATE = "姓名+车牌一致"
LINK_SURNAME_PLATE = "姓氏+车牌一致"
LINK_SHOP = "姓名+修理厂一致"
LINK_COUNTY = "姓名+县区一致"

CONFIDENCE: dict[str, float] = {
    LINK_ID: 1.0,
    LINK_CODE: 1.0,
    LINK_ORG_NAME: 0.95,
    LINK_ORG_CORE: 0.85,
    LINK_ORG_CORE_ANY: 0.7,
    LINK_PLATE: 0.9,
    LINK_SURNAME_PLATE: 0.7,
    LINK_SHOP: 0.8,
    LINK_COUNTY: 0.6,
}
"""How sure each way of linking is (used in clue scores)."""

MASK_RE = r"某|[×\*＊]|[xX]{2}"
"""A pseudonymised name: 张某, 张某某, 张×, 张**."""

RESIDENT_ID_TEXT_RE = r"(?:公民身份号码|身份证号码|身份证号|身份号码|身份证)[:：\s]*(\d{17}[\dXx])"

# -- names ---------------------------------------------------------------------------------------

_CITIES = "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水"


@cache
def _places() -> tuple[str, ...]:
    """Zhejiang city and county names, long forms first (越城区 before 越城)."""
    from huiyan.synth.regions import COUNTIES  # real GB/T 2260 names, not synthetic data

    short: set[str] = set(_CITIES.split())
    for county in COUNTIES:
        name = county.name
        short.add(name)
        for suffix in ("畲族自治县", "区", "县", "市"):
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                short.add(name[: -len(suffix)])
                break
    long = {f"{c}市" for c in _CITIES.split()}
    return tuple(sorted(short | long, key=lambda s: (-len(s), s)))


_SUFFIX_TOKENS = [
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "分公司",
    "总公司",
    "公司",
    "合伙企业",
    "股份",
    "有限",
    "责任",
    "中心",
    "二手车",
    "机动车",
    "汽车",
    "车辆",
    "保险",
    "司法",
    "价格",
    "资产",
    "维修",
    "修理",
    "修配",
    "汽修",
    "快修",
    "保养",
    "美容",
    "服务",
    "销售",
    "公估",
    "鉴定",
    "评估",
    "认证",
    "鉴证",
    "事务",
    "厂",
    "店",
    "行",
    "部",
    "所",
    "社",
]


@cache
def _suffix_re() -> str:
    """Legal forms and repair/assessment trade words at the end of a name, as many as there are."""
    return r"^(.{2,}?)(?:" + "|".join(_SUFFIX_TOKENS) + r")*$"


@cache
def _prefix_re() -> str:
    """Province, city and county names at the front, as many as leave two characters."""
    return r"^(?:浙江省|浙江|" + "|".join(_places()) + r")*(.{2,})$"


def core_name(col: ir.StringValue) -> ir.StringValue:
    """The core name (字号) of a shop or assessor: no place prefix, legal form or trade words.

    绍兴市越城区鑫达汽车修理厂, 越城鑫达汽修厂, 鑫达汽车服务有限公司 and 鑫达汽车维修（绍兴）有限公司
    all become 鑫达; 浙江正信保险公估有限公司 becomes 正信. At least two characters are kept
    (越城永康汽修厂 -> 永康, not empty). An ibis expression (two regular expressions, RE2-safe).
    """
    x = col.re_replace(r"\s+", "").re_replace(r"[（(][^）)]*[）)]", "")
    x = x.re_extract(_suffix_re(), 1)
    x = x.re_extract(_prefix_re(), 1)
    return x.nullif("")


def core_name_py(name: str) -> str:
    """:func:`core_name` in plain Python (labels, tests)."""
    x = re.sub(r"[（(][^）)]*[）)]", "", re.sub(r"\s+", "", name))
    for pattern in (_suffix_re(), _prefix_re()):
        m = re.match(pattern, x)
        x = m.group(1) if m else ""
    return x


def is_masked(name: ir.StringValue) -> ir.BooleanValue:
    """True for a pseudonymised name (张某, 李某某, 王×): it must not link by name alone."""
    return name.re_search(MASK_RE)


def _surname(name: ir.StringValue) -> ir.StringValue:
    return name.substr(0, 1)


def resident_id_after(text: ir.StringValue, name: ir.StringValue) -> ir.StringValue:
    """The resident ID written in a party's own line (``张三，男，…公民身份号码3306…``), else null.

    The line starts at the first ``name，`` (else ``name``) in the text and ends
    at the next full stop or line break, so another party's ID is never taken.
    """
    at = text.find(name.concat("，"))
    at = ibis.ifelse(at >= 0, at, text.find(name))
    line = text.substr(at.clip(lower=0), 160).re_extract(r"^([^。\n]*)", 1)
    found = line.re_extract(RESIDENT_ID_TEXT_RE, 1).nullif("").upper()
    return ibis.ifelse(at >= 0, found, ibis.null("string"))


# -- organisations -------------------------------------------------------------------------------


def link_orgs(mentions: ir.Table, enterprises: ir.Table) -> ir.Table:
    """Link company names to ``org_id``: by full name, then core name in the county, then anywhere.

    Args:
        mentions: columns ``mention_id``, ``name``, ``region`` (the county where it was seen).
        enterprises: the ``enterprises`` dataset.

    Returns:
        ``mention_id, org_id, org_name, link, confidence`` for the mentions that link unambiguously.
    """
    e = enterprises.select(
        org_id=enterprises.org_id,
        org_name=enterprises.name,
        org_region=enterprises.region,
        core=core_name(enterprises.name),
    )
    m = mentions.select("mention_id", "name", "region").mutate(core=core_name(mentions.name))
    by_name = m.join(e, m.name == e.org_name).select(
        "mention_id", "org_id", "org_name", link=ibis.literal(LINK_ORG_NAME)
    )
    e_core = e.filter(e.core.length() >= 2)
    in_county = m.join(e_core, (m.core == e_core.core) & (m.region == e_core.org_region)).select(
        "mention_id", "org_id", "org_name", link=ibis.literal(LINK_ORG_CORE)
    )
    unique = e_core.group_by("core").aggregate(n=e_core.org_id.nunique()).filter(lambda t: t.n == 1)
    anywhere_orgs = e_core.semi_join(unique, "core")
    anywhere = m.join(anywhere_orgs, m.core == anywhere_orgs.core).select(
        "mention_id", "org_id", "org_name", link=ibis.literal(LINK_ORG_CORE_ANY)
    )
    return _best(by_name.union(in_county).union(anywhere), "org_id", extra=("org_name",))


# -- people --------------------------------------------------------------------------------------


def link_people(
    mentions: ir.Table,
    *,
    register: ir.Table | None = None,
    plates: ir.Table | None = None,
    plate_owners: ir.Table | None = None,
    shops: ir.Table | None = None,
    shop_staff: ir.Table | None = None,
) -> ir.Table:
    """Link person names to resident IDs, the strongest way available (see the module table).

    Args:
        mentions: ``mention_id, name, region, id_hint`` (a resident ID seen with the name, or null).
        register: ``person_id, name, region``: everyone known in the registers (for 姓名+县区一致).
        plates: ``mention_id, plate``: plates in the same record (for 姓名+车牌一致).
        plate_owners: ``plate, person_id, name``: registered owners and insureds of plates.
        shops: ``mention_id, org_id``: repair shops in the same record (for 姓名+修理厂一致).
        shop_staff: ``org_id, person_id, name``: employees and officers of companies.

    Returns:
        ``mention_id, person_id, link, confidence``, one row per linked mention.
    """
    m = mentions.select("mention_id", "name", "region", "id_hint").mutate(
        _masked=is_masked(mentions.name)
    )
    hint = m.id_hint.strip().upper()
    parts = [
        m.filter(hint.re_search(identifiers.RESIDENT_ID_RE.pattern)).select(
            "mention_id", person_id=hint, link=ibis.literal(LINK_ID)
        )
    ]
    if plates is not None and plate_owners is not None:
        mp = m.join(plates, "mention_id")
        po = plate_owners.select(
            _plate=plate_owners.plate, person_id=plate_owners.person_id, _oname=plate_owners.name
        )
        j = mp.join(po, mp.plate == po._plate)
        full = j.filter(~j._masked & (j.name == j._oname))
        masked = j.filter(j._masked & (_surname(j.name) == _surname(j._oname)))
        parts.append(full.select("mention_id", "person_id", link=ibis.literal(LINK_PLATE)))
        parts.append(
            masked.select("mention_id", "person_id", link=ibis.literal(LINK_SURNAME_PLATE))
        )
    if shops is not None and shop_staff is not None:
        ms = m.filter(~m._masked).join(shops, "mention_id")
        st = shop_staff.select(
            _org=shop_staff.org_id, person_id=shop_staff.person_id, _sname=shop_staff.name
        )
        j = ms.join(st, (ms.org_id == st._org) & (ms.name == st._sname))
        parts.append(j.select("mention_id", "person_id", link=ibis.literal(LINK_SHOP)))
    if register is not None:
        r = register.select("person_id", "name", "region").distinct()
        unique = (
            r.group_by(["region", "name"])
            .aggregate(n=r.person_id.nunique(), person_id=r.person_id.min())
            .filter(lambda t: t.n == 1)
        )
        mc = m.filter(~m._masked)
        j = mc.join(unique, [mc.region == unique.region, mc.name == unique.name])
        parts.append(j.select("mention_id", "person_id", link=ibis.literal(LINK_COUNTY)))
    cands = parts[0]
    for part in parts[1:]:
        cands = cands.union(part)
    return _best(cands, "person_id")


def _confidence(link: ir.StringValue) -> ir.FloatingValue:
    cases = [(link == k, ibis.literal(v)) for k, v in CONFIDENCE.items()]
    return ibis.cases(*cases, else_=ibis.literal(0.5)).cast("float64")


def _best(cands: ir.Table, key: str, *, extra: tuple[str, ...] = ()) -> ir.Table:
    """Per mention, the strongest link; ambiguous (two ids at the top strength) mentions are dropped."""
    c = cands.mutate(confidence=_confidence(cands.link))
    top = c.group_by("mention_id").aggregate(_top=c.confidence.max())
    c = c.join(top, [c.mention_id == top.mention_id, c.confidence == top._top]).select(c)
    agg = c.group_by("mention_id").aggregate(
        _n=c[key].nunique(),
        **{key: c[key].min()},
        link=c.link.min(),
        confidence=c.confidence.max(),
        **{x: c[x].min() for x in extra},
    )
    return agg.filter(agg._n == 1).select("mention_id", key, *extra, "link", "confidence")
