"""The facts the insurance rules read: insurance judgments, their linked parties, shops and claims.

:func:`facts` assembles, as lazy ibis tables, everything the rules need from
the parsed judgments (``jd_*``), the claims and the registers, with every
party and company linked by :mod:`huiyan.linking`. Only insurance judgments
count: cause 机动车交通事故责任纠纷 or 财产保险合同纠纷 (the dataset's cause or the
parsed one) with an insurance company among the parties. Insurers suing as
plaintiffs (代位求偿, 保险法 art. 60) are left out of the plaintiff tables.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir

from huiyan import linking
from huiyan.workspace import Workspace

MODEL = "insurance_fraud"
DATASETS = (
    "judgments",
    "vehicles",
    "insurance_claims",
    "social_security",
    "enterprises",
    "enterprise_people",
)
CAUSES = ("机动车交通事故责任纠纷", "财产保险合同纠纷")
"""The causes of action that make a judgment an insurance judgment (models.md)."""

PARAMETERS: dict[str, tuple[Any, str, str]] = {
    "min_suits": (3, "int", "同一原告保险诉讼次数下限（件）"),
    "window_months": (24, "int", "频繁起诉统计窗口（月）"),
    "min_shop_cases": (5, "int", "同一修理厂涉诉保险案件数下限（件）"),
    "min_reports": (4, "int", "同一报案人12个月内报案次数下限（次）"),
    "report_window_months": (12, "int", "频繁报案统计窗口（月）"),
    "employment_lookback_months": (36, "int", "原告在修理厂参保的回溯期（月，自裁判日期起）"),
    "min_ring_rules": (2, "int", "团伙至少涉及的不同规则数"),
}

SHOP_WORDS = r"汽修|修理|维修|修配|快修|汽车服务|汽车销售服务"
"""A company name with these words is a repair business."""
ASSESSOR_WORDS = r"公估|评估|鉴定|价格事务所|价格认证|价格鉴证"
COMMISSIONED_RE = (
    r"原告[^。；;]{0,30}?(?:自行|单方|单独|另行)?委托[^。；;]{0,40}?(?:评估|鉴定|公估)"
    r"|(?:自行|单方)委托[^。；;]{0,40}?(?:评估|鉴定|公估)"
)
"""The text says the plaintiff commissioned the loss assessment."""
_NAME = r"([^，。；、：:,;\s（）()]{2,30}?"
SHOP_TEXT_RE = (
    r"(?:送至|送到|交由|由|在)"
    + _NAME
    + r"(?:修配厂|修理厂|汽修厂|维修厂|维修中心|维修部|有限公司))(?:维修|修复|进行维修|修理)"
)
"""A repair shop named where the car was repaired: 送至X维修, 由X修复, 在X进行维修."""
ASSESSOR_TEXT_RE = (
    r"委托"
    + _NAME
    + r"(?:有限公司|事务所|鉴定所|鉴定中心|认证中心|鉴证中心))(?:对|进行|作出|评估|鉴定)"
)
"""An assessor named where it was commissioned: 委托X对车辆损失进行评估."""


@dataclass(frozen=True)
class Facts:
    """The model's inputs as lazy ibis tables (see :func:`facts` for the columns)."""

    documents: ir.Table
    plaintiffs: ir.Table
    plates: ir.Table
    shops: ir.Table
    assessors: ir.Table
    agents: ir.Table
    claims: ir.Table
    owners: ir.Table
    vehicles: ir.Table
    social_security: ir.Table
    enterprise_people: ir.Table


def insurance_documents(judgments: ir.Table, documents: ir.Table) -> ir.Table:
    """Insurance judgments: the dataset's rows joined to their parse, with the model's own flags.

    Columns: doc_id, region, case_no, court, cause, judgment_date, claimed_amount,
    awarded_amount, assigned, insurer_assessed, commissioned (the plaintiff
    commissioned the assessment), text.
    """
    d = documents.select(
        "doc_id",
        "claimed_amount",
        "awarded_amount",
        "assigned",
        "insurer_assessed",
        "has_insurer",
        _pcause=documents.cause,
    )
    j = judgments.join(d, "doc_id")
    j = j.filter((j.cause.isin(CAUSES) | j._pcause.isin(CAUSES)) & j.has_insurer.fill_null(False))
    return j.select(
        "doc_id",
        "region",
        "case_no",
        "court",
        cause=ibis.ifelse(j.cause.isin(CAUSES), j.cause, j._pcause),
        judgment_date=j.judgment_date.cast("date"),
        claimed_amount=j.claimed_amount.cast("float64"),
        awarded_amount=j.awarded_amount.cast("float64"),
        assigned=j.assigned.fill_null(False),
        insurer_assessed=j.insurer_assessed,
        commissioned=j.text.re_search(COMMISSIONED_RE).fill_null(False),
        text=j.text,
    )


def people_register(
    social_security: ir.Table,
    vehicles: ir.Table,
    enterprise_people: ir.Table,
    enterprises: ir.Table,
) -> ir.Table:
    """Everyone the registers know with a county: ``person_id, name, region`` (for 姓名+县区一致)."""
    ss = social_security.select("person_id", "name", "region")
    v = vehicles.filter(vehicles.owner_id.re_search(r"^\d{17}[\dXx]$"))
    vo = v.select(person_id=v.owner_id.upper(), name=v.owner_name, region=v.region)
    e = enterprises.select("org_id", _region=enterprises.region)
    ep = enterprise_people.join(e, "org_id")
    eo = ep.select("person_id", "name", region=ep._region)
    return ss.union(vo).union(eo).distinct()


def plate_owners(vehicles: ir.Table, claims: ir.Table) -> ir.Table:
    """Registered owners and insureds of plates: ``plate, person_id, name`` (person_id may be an org)."""
    v = vehicles.select(
        plate=vehicles.plate_no, person_id=vehicles.owner_id, name=vehicles.owner_name
    )
    c = claims.select(plate=claims.plate_no, person_id=claims.insured_id, name=claims.insured_name)
    return v.union(c.filter(c.name.notnull())).distinct()


def shop_staff(social_security: ir.Table, enterprise_people: ir.Table) -> ir.Table:
    """Employees (any time) and officers of companies: ``org_id, person_id, name``."""
    ss = social_security.select(
        org_id=social_security.employer_org_id,
        person_id=social_security.person_id,
        name=social_security.name,
    )
    ep = enterprise_people.select("org_id", "person_id", "name")
    return ss.union(ep).distinct()


def _orgs_of(enterprises: ir.Table, words: str) -> ir.Table:
    return enterprises.filter(enterprises.name.re_search(words))


def facts(ws: Workspace, *, region: str = "") -> Facts:
    """Build the model's facts for one county ("" = the whole workspace).

    The linked tables are computed once and kept as temporary tables of the
    query engine (see :func:`keep`: works on a read-only DuckDB and on Spark),
    so each rule afterwards reads small, ready tables.

    Tables:
        documents: see :func:`insurance_documents` (without the text).
        plaintiffs: doc_id, seq, mention_id, name, kind, masked, region, judgment_date,
            person_id, org_id, party_key (person_id, org_id, or ``N:county:name`` for an
            unmasked name that links nowhere; null for a masked one), suit_key (what
            INS-FREQUENT-PLAINTIFF counts by: ``N:name``, a company's org_id, a masked
            name's ID from the text, else null), link, confidence.
        plates: doc_id, plate. shops: doc_id, region, shop, org_id, shop_key, shop_link.
        assessors: doc_id, assessor, assessor_key. agents: doc_id, agent_key, name, law_firm
            (agents of plaintiffs only: an insurer's lawyers would join every case).
        claims: the claims (of the county: ``accident_region``) with region, reporter_pid,
            reporter_link, reporter_confidence, shop_org_id, shop_key, assessor_key.
    """
    from huiyan.judgments import parsed

    jd = parsed(ws)
    judgments = ws.table("judgments", region=region)
    enterprises = ws.table("enterprises")
    vehicles = ws.table("vehicles")
    social = ws.table("social_security")
    officers = ws.table("enterprise_people")
    all_claims = ws.table("insurance_claims")
    claims = all_claims.filter(all_claims.accident_region == region) if region else all_claims

    full = insurance_documents(judgments, jd.documents)
    docs = keep(full.drop("text"))
    keys = docs.select("doc_id", "region", "judgment_date")
    plates = keep(jd.plates.semi_join(keys, "doc_id").select("doc_id", "plate"))
    shop_names = _named(jd.shops, full, "shop", SHOP_TEXT_RE)
    shops = keep(_shops(shop_names.join(keys, "doc_id"), _orgs_of(enterprises, SHOP_WORDS)))
    assessor_names = _named(jd.assessors, full, "assessor", ASSESSOR_TEXT_RE)
    assessors = keep(
        _assessors(assessor_names.join(keys, "doc_id"), _orgs_of(enterprises, ASSESSOR_WORDS))
    )
    staff = shop_staff(social, officers)
    owners = keep(plate_owners(vehicles, all_claims))
    register = people_register(social, vehicles, officers, enterprises)
    texts = full.select("doc_id", "text")
    plaintiffs = keep(_plaintiffs(
        jd.parties, docs, texts, plates, shops, enterprises,
        register=register, owners=owners, staff=staff,
    ))  # fmt: skip
    agents = keep(_agents(jd.agents, plaintiffs))
    claims = keep(_claims(claims, enterprises, register=register, owners=owners, staff=staff))
    return Facts(
        documents=docs,
        plaintiffs=plaintiffs,
        plates=plates,
        shops=shops,
        assessors=assessors,
        agents=agents,
        claims=claims,
        owners=owners,
        vehicles=vehicles,
        social_security=social,
        enterprise_people=officers,
    )


def keep(t: ir.Table) -> ir.Table:
    """``t`` computed now and kept as a temporary table of its engine, for the rules to reread.

    DuckDB: ``Table.cache()``. Spark: ``cache()`` there is lazy and keeps the
    whole query plan, which every rule would re-analyse (the ring rule's plan
    then exhausts the driver's memory); the table is checkpointed instead
    (computed at once, its plan cut to the stored rows) and registered as a
    temporary view.
    """
    backend = t._find_backend()
    if backend.name != "pyspark":
        return t.cache()
    frame = backend._session.sql(backend.compile(t)).localCheckpoint(eager=True)
    name = f"_huiyan_if_{next(_KEPT)}"
    frame.createOrReplaceTempView(name)
    return backend.table(name)


_KEPT = itertools.count()


def _named(parsed: ir.Table, full: ir.Table, column: str, pattern: str) -> ir.Table:
    """``doc_id, <column>``: the parser's names plus any the model's own pattern reads in the text.

    The second reading catches names the general parser does not know
    (汽车修配厂, a numbered 第2有限公司) where the sentence makes the role plain.
    """
    own = full.select("doc_id", **{column: full.text.re_extract(pattern, 1).nullif("")})
    own = own.filter(own[column].notnull())
    theirs = parsed.semi_join(full, "doc_id").select("doc_id", column)
    return theirs.union(own).distinct()


def _shops(mentions: ir.Table, shop_orgs: ir.Table) -> ir.Table:
    m = mentions.mutate(mention_id=mentions.doc_id.concat("#", mentions.shop), name=mentions.shop)
    linked = linking.link_orgs(m, shop_orgs).select("mention_id", "org_id", shop_link="link")
    t = m.left_join(linked, "mention_id").drop("mention_id_right")
    core = linking.core_name(t.shop)
    return t.select(
        "doc_id",
        "region",
        "shop",
        "org_id",
        shop_key=t.org_id.coalesce(ibis.literal("S:").concat(core)),
        shop_link=t.shop_link,
    ).filter(lambda x: x.shop_key.notnull())


def _assessors(mentions: ir.Table, assessor_orgs: ir.Table) -> ir.Table:
    m = mentions.mutate(
        mention_id=mentions.doc_id.concat("#", mentions.assessor), name=mentions.assessor
    )
    linked = linking.link_orgs(m, assessor_orgs).select("mention_id", "org_id")
    t = m.left_join(linked, "mention_id").drop("mention_id_right")
    core = linking.core_name(t.assessor)
    return t.select(
        "doc_id",
        "assessor",
        assessor_key=t.org_id.coalesce(ibis.literal("A:").concat(core)),
    ).filter(lambda x: x.assessor_key.notnull())


def _plaintiffs(
    parties: ir.Table,
    docs: ir.Table,
    texts: ir.Table,
    plates: ir.Table,
    shops: ir.Table,
    enterprises: ir.Table,
    *,
    register: ir.Table,
    owners: ir.Table,
    staff: ir.Table,
) -> ir.Table:
    p = parties.filter((parties.role == "plaintiff") & ~parties.is_insurer.fill_null(False))
    d = docs.select("doc_id", "region", "judgment_date").join(texts, "doc_id")
    p = p.join(d, "doc_id")
    p = p.mutate(mention_id=p.doc_id.concat("#", p.seq.cast("string")))
    persons = p.filter(p.kind == "person")
    mentions = persons.select(
        "mention_id",
        "name",
        "region",
        id_hint=linking.resident_id_after(persons.text, persons.name),
    )
    plate_ctx = (
        persons.select("mention_id", "doc_id").join(plates, "doc_id").select("mention_id", "plate")
    )
    shop_ctx = (
        persons.select("mention_id", "doc_id")
        .join(shops.filter(shops.org_id.notnull()), "doc_id")
        .select("mention_id", "org_id")
    )
    people = linking.link_people(
        mentions,
        register=register,
        plates=plate_ctx,
        plate_owners=owners,
        shops=shop_ctx,
        shop_staff=staff,
    ).select("mention_id", "person_id", _plink="link", _pconf="confidence")
    orgs = linking.link_orgs(
        p.filter(p.kind == "org").select("mention_id", "name", "region"), enterprises
    )
    orgs = orgs.select("mention_id", "org_id", _olink="link", _oconf="confidence")
    t = p.left_join(people, "mention_id").drop("mention_id_right")
    t = t.left_join(orgs, "mention_id").drop("mention_id_right")
    masked = linking.is_masked(t.name)
    name_key = ibis.literal("N:").concat(t.region, ":", t.name)
    return t.select(
        "doc_id",
        "seq",
        "mention_id",
        "name",
        "kind",
        "region",
        "judgment_date",
        masked=masked,
        person_id=t.person_id,
        org_id=t.org_id,
        party_key=t.person_id.coalesce(
            t.org_id, ibis.ifelse(masked, ibis.null("string"), name_key)
        ),
        suit_key=ibis.cases(
            (t.kind == "org", t.org_id.coalesce(ibis.literal("N:").concat(t.name))),
            (~masked, ibis.literal("N:").concat(t.name)),
            (t._plink == linking.LINK_ID, t.person_id),
            else_=ibis.null("string"),
        ),
        link=t._plink.coalesce(t._olink),
        confidence=t._pconf.coalesce(t._oconf),
    )


def _agents(agents: ir.Table, plaintiffs: ir.Table) -> ir.Table:
    keys = plaintiffs.select("doc_id", party_seq="seq", _region="region")
    a = agents.join(keys, ["doc_id", "party_seq"])
    a = a.filter(a.name.notnull() & ~linking.is_masked(a.name))
    where = a.law_firm.coalesce(a._region)
    return a.select(
        "doc_id", "name", "law_firm", agent_key=ibis.literal("L:").concat(where, ":", a.name)
    ).distinct()


def _claims(
    claims: ir.Table,
    enterprises: ir.Table,
    *,
    register: ir.Table,
    owners: ir.Table,
    staff: ir.Table,
) -> ir.Table:
    c = claims.mutate(region=claims.accident_region)
    shop_names = c.filter(c.repair_shop.notnull() & (c.repair_shop.strip() != ""))
    shop_m = shop_names.select(
        mention_id=shop_names.claim_id, name=shop_names.repair_shop, region="region"
    )
    shop_link = linking.link_orgs(shop_m, _orgs_of(enterprises, SHOP_WORDS)).select(
        "mention_id", _shop_org="org_id"
    )
    c = c.left_join(shop_link, c.claim_id == shop_link.mention_id).drop("mention_id")
    given = c.repair_shop_org_id.strip().nullif("")
    c = c.mutate(shop_org_id=given.coalesce(c._shop_org))
    named = c.filter(c.assessor.notnull() & (c.assessor.strip() != ""))
    asr_m = named.select(mention_id=named.claim_id, name=named.assessor, region="region")
    asr_link = linking.link_orgs(asr_m, _orgs_of(enterprises, ASSESSOR_WORDS)).select(
        "mention_id", _asr_org="org_id"
    )
    c = c.left_join(asr_link, c.claim_id == asr_link.mention_id).drop("mention_id")
    c = c.mutate(
        shop_key=c.shop_org_id.coalesce(
            ibis.literal("S:").concat(linking.core_name(c.repair_shop))
        ),
        assessor_key=c._asr_org.coalesce(ibis.literal("A:").concat(linking.core_name(c.assessor))),
    )
    mentions = c.select(
        mention_id=c.claim_id, name=c.reporter_name, region=c.region, id_hint=c.reporter_id
    )
    plates = c.select(mention_id=c.claim_id, plate=c.plate_no)
    shops = c.filter(c.shop_org_id.notnull()).select(mention_id=c.claim_id, org_id=c.shop_org_id)
    people = linking.link_people(
        mentions,
        register=register,
        plates=plates,
        plate_owners=owners,
        shops=shops,
        shop_staff=staff,
    ).select(
        "mention_id",
        reporter_pid="person_id",
        reporter_link="link",
        reporter_confidence="confidence",
    )
    out = c.left_join(people, c.claim_id == people.mention_id).drop(
        "mention_id", "_shop_org", "_asr_org"
    )
    return out
