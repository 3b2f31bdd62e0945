"""The facts the insurance rules read: insurance judgments, their linked parties, shops and claims.

:func:`facts` assembles, as lazy ibis tables, everything the rules need from
the parsed judgments (``jd_*``), the claims and the registers, with every
party and company linked by :mod:`huiyan.linking`. Only insurance judgments
count: cause 机动车交通事故责任纠纷 or 财产保险合同纠纷 (the dataset's cause or the
parsed one) with an insurance company among the parties. Insurers suing as
plaintiffs (代位求偿, 保险法 art. 60) are left out of the plaintiff tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir

from huiyan import identifiers, linking
from huiyan.counties import EACH, by_county, mark
from huiyan.rules import keep
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

SHOP_WORDS = r"汽修|修理|维修|修配|快修|汽车服务|汽车销售服务|车业|车行|汽车美容"
"""A company name with these words is a repair business (for linking a repair shop named in a
judgment to the register; whether a business named in a judgment repaired the car is read from
the text by :mod:`huiyan.judgments.insurance`)."""
SHOP_INDUSTRIES = ("机动车维修", "汽车维修")
"""Registered industries of repair businesses, whatever their names say."""
ASSESSOR_WORDS = r"公估|评估|鉴定|价格事务所|价格认证|价格鉴证"
CLAIM_COLUMNS = (
    "claim_id", "plate_no", "reporter_name", "reporter_id", "report_date", "repair_shop",
    "assessor", "claimed_amount", "region",
)  # fmt: skip
"""The columns of ``insurance_claims`` the rules read (region: the accident's county)."""
ID_WORD = "身份"
"""Every wording of :data:`huiyan.linking.RESIDENT_ID_TEXT_RE` holds it (身份证号, 公民身份号码)."""


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
    """Insurance judgments: the dataset's rows joined to their parse (the judgment reader's facts).

    The judgment reader (:mod:`huiyan.judgments`, with :mod:`huiyan.judgments.insurance`)
    has read each text once into ``jd_documents``: whether the claim was assigned, whether
    the insurer assessed the loss, whether the plaintiff commissioned the appraisal, the
    snippets these were read from, and what it could not decide (``unread``). The only
    text read here is id_text (the text where it may carry a resident ID, for
    :func:`huiyan.linking.resident_id_after`, else null).

    Columns: doc_id, region, case_no, court, (county_scope: in an each-county run,
    :mod:`huiyan.counties`), cause, judgment_date, claimed_amount, awarded_amount, assigned,
    insurer_assessed, commissioned, assigned_words, assessed_words, commissioned_words,
    unread, n_plaintiffs, id_text.
    """
    d = documents.select(
        "doc_id",
        "claimed_amount",
        "awarded_amount",
        "assigned",
        "insurer_assessed",
        "has_insurer",
        "commissioned",
        "assigned_words",
        "assessed_words",
        "commissioned_words",
        "unread",
        "n_plaintiffs",
        _pcause=documents.cause,
    )
    j = judgments.join(d, "doc_id")
    j = j.filter((j.cause.isin(CAUSES) | j._pcause.isin(CAUSES)) & j.has_insurer.fill_null(False))
    return j.select(
        "doc_id",
        "region",
        "case_no",
        "court",
        *by_county(j),
        cause=ibis.ifelse(j.cause.isin(CAUSES), j.cause, j._pcause),
        judgment_date=j.judgment_date.cast("date"),
        claimed_amount=j.claimed_amount.cast("float64"),
        awarded_amount=j.awarded_amount.cast("float64"),
        assigned=j.assigned.fill_null(False),
        insurer_assessed=j.insurer_assessed,
        commissioned=j.commissioned.fill_null(False),
        assigned_words=j.assigned_words,
        assessed_words=j.assessed_words,
        commissioned_words=j.commissioned_words,
        unread=j.unread.fill_null(""),
        n_plaintiffs=j.n_plaintiffs,
        # every wording of linking.RESIDENT_ID_TEXT_RE holds 身份: other texts carry no ID
        id_text=ibis.ifelse(j.text.contains(ID_WORD), j.text, ibis.null("string")),
    )


def people_register(
    social_security: ir.Table,
    vehicles: ir.Table,
    enterprise_people: ir.Table,
    enterprises: ir.Table,
) -> ir.Table:
    """Everyone the registers know with a county: ``person_id, name, region`` (for 姓名+县区一致).

    Rows may repeat (a person in several registers): the linking step removes
    repeats after narrowing the register to the names it looks for.
    """
    ss = social_security.select("person_id", "name", "region")
    v = vehicles.filter(vehicles.owner_id.re_search(r"^\d{17}[\dXx]$"))
    vo = v.select(person_id=v.owner_id.upper(), name=v.owner_name, region=v.region)
    e = enterprises.select("org_id", _region=enterprises.region)
    ep = enterprise_people.join(e, "org_id")
    eo = ep.select("person_id", "name", region=ep._region)
    return ss.union(vo).union(eo)


def plate_owners(vehicles: ir.Table, claims: ir.Table) -> ir.Table:
    """Registered owners and insureds of plates: ``plate, person_id, name`` (person_id may be an org)."""
    v = vehicles.select(
        plate=vehicles.plate_no, person_id=vehicles.owner_id, name=vehicles.owner_name
    )
    c = claims.select(plate=claims.plate_no, person_id=claims.insured_id, name=claims.insured_name)
    return v.union(c.filter(c.name.notnull())).distinct()


def shop_staff(social_security: ir.Table, enterprise_people: ir.Table) -> ir.Table:
    """Employees (any time) and officers of companies: ``org_id, person_id, name``.

    Rows may repeat (one row per employment spell), as for :func:`people_register`.
    """
    ss = social_security.select(
        org_id=social_security.employer_org_id,
        person_id=social_security.person_id,
        name=social_security.name,
    )
    ep = enterprise_people.select("org_id", "person_id", "name")
    return ss.union(ep)


def _orgs_of(enterprises: ir.Table, words: str) -> ir.Table:
    return enterprises.filter(enterprises.name.re_search(words))


def _shop_orgs(enterprises: ir.Table) -> ir.Table:
    """Repair businesses of the register: by name, or by their registered industry."""
    e = enterprises
    return e.filter(
        e.name.re_search(SHOP_WORDS) | e.industry.isin(SHOP_INDUSTRIES).fill_null(False)
    )


def facts(ws: Workspace, *, region: str = "") -> Facts:
    """Build the model's facts for one county ("" = the whole workspace; ``"*"`` every county,
    each on its own: documents, plaintiffs, shops and claims then carry ``county_scope``,
    :mod:`huiyan.counties`).

    The linked tables are computed once and kept as temporary tables of the
    query engine (see :func:`keep`: works on a read-only DuckDB and on Spark),
    so each rule afterwards reads small, ready tables. The work is shared, not
    repeated: the judgment texts are read in one pass (:func:`insurance_documents`),
    each distinct shop or assessor name is normalised and linked once per county
    (not once per judgment or claim), and the plaintiffs and the claim reporters
    are linked to people in one query over the registers.

    Tables:
        documents: see :func:`insurance_documents` (without the text columns).
        plaintiffs: doc_id, seq, mention_id, name, kind, masked, region, judgment_date,
            person_id, org_id, party_key (person_id, org_id, or ``N:county:name`` for an
            unmasked name that links nowhere; null for a masked one), suit_key (what
            INS-FREQUENT-PLAINTIFF counts by: ``N:name``, a company's org_id, a masked
            name's ID from the text, else null), link, confidence.
        plates: doc_id, plate. shops: doc_id, region, shop, org_id, words (the snippet telling
            that it repaired the car), shop_key, shop_link.
        assessors: doc_id, assessor, assessor_key. agents: doc_id, agent_key, name, law_firm
            (agents of plaintiffs only: an insurer's lawyers would join every case).
        claims: the claims (of the county: ``accident_region``), the columns the rules read
            (:data:`CLAIM_COLUMNS`, region = accident_region) with shop_org_id, shop_key,
            assessor_key, reporter_pid, reporter_link, reporter_confidence.
    """
    from huiyan.judgments import parsed

    jd = parsed(ws)
    judgments = ws.table("judgments", region=region)
    enterprises = ws.table("enterprises")
    vehicles = ws.table("vehicles")
    social = ws.table("social_security")
    officers = ws.table("enterprise_people")
    all_claims = ws.table("insurance_claims")
    claims = _county_claims(all_claims, region)

    read = keep(insurance_documents(judgments, jd.documents))
    docs = read.drop("id_text")
    keys = docs.select("doc_id", "region", "judgment_date", *by_county(docs))
    plates = keep(jd.plates.semi_join(keys, "doc_id").select("doc_id", "plate"))
    shop_names = jd.shops.select("doc_id", "shop", "words").join(keys, "doc_id")
    assessor_names = jd.assessors.select("doc_id", "assessor").distinct().join(keys, "doc_id")
    shop_links = keep(_name_links(
        shop_names.select(name="shop", region="region"),
        claims.select(name="repair_shop", region="region"),
        companies=_shop_orgs(enterprises),
    ))  # fmt: skip
    assessor_links = keep(_name_links(
        assessor_names.select(name="assessor", region="region"),
        claims.select(name="assessor", region="region"),
        companies=_orgs_of(enterprises, ASSESSOR_WORDS),
    ))  # fmt: skip
    shops = keep(_shops(shop_names, shop_links))
    assessors = keep(_assessors(assessor_names, assessor_links))
    owners = keep(plate_owners(vehicles, all_claims))
    linked_claims = _claim_orgs(claims, shop_links, assessor_links)
    parties = _plaintiff_parties(jd.parties, keys)
    people = keep(_people(
        parties, read, plates, shops, linked_claims,
        register=people_register(social, vehicles, officers, enterprises),
        owners=owners, staff=shop_staff(social, officers),
    ))  # fmt: skip
    plaintiffs = keep(_plaintiffs(parties, people, enterprises))
    agents = keep(_agents(jd.agents, plaintiffs))
    claims = keep(_claims(linked_claims, people))
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


def _county_claims(claims: ir.Table, region: str) -> ir.Table:
    """The claims of the county (``accident_region``; "" all), with region = accident_region;
    for :data:`~huiyan.counties.EACH` every county's, each marked with it."""
    if region == EACH:
        return mark(claims.mutate(region=claims.accident_region))
    claims = claims.filter(claims.accident_region == region) if region else claims
    return claims.mutate(region=claims.accident_region)


def _name_key(name: ir.StringValue, region: ir.StringValue) -> ir.StringValue:
    """One text per (name, county), null county included: ``<length>:<name>@<county>`` or ``~``."""
    where = ibis.ifelse(region.isnull(), ibis.literal("~"), ibis.literal("@").concat(region))
    return name.length().cast("string").concat(":", name, where)


def _name_links(*names: ir.Table, companies: ir.Table) -> ir.Table:
    """``name_key, org_id, link, core``: each distinct (name, county) normalised and linked once.

    A shop is named the same way in hundreds of judgments and claims: its core
    name and its link (:func:`huiyan.linking.link_orgs`, which depends on the
    name and the county only) are computed once per distinct pair instead of
    once per record. Blank names link nowhere.
    """
    n = names[0]
    for more in names[1:]:
        n = n.union(more)
    n = n.filter(n.name.notnull()).distinct()
    n = n.mutate(name_key=_name_key(n.name, n.region))
    named = n.filter(n.name.strip() != "")
    linked = linking.link_orgs(
        named.select(mention_id=named.name_key, name=named.name, region=named.region), companies
    ).select("mention_id", "org_id", "link")
    t = n.left_join(linked, n.name_key == linked.mention_id)
    return t.select("name_key", "org_id", "link", core=linking.core_name(t.name))


def _shops(mentions: ir.Table, links: ir.Table) -> ir.Table:
    t = mentions.mutate(name_key=_name_key(mentions.shop, mentions.region))
    t = t.left_join(links, "name_key")
    return t.select(
        "doc_id",
        "region",
        *by_county(t),
        "shop",
        "org_id",
        "words",
        shop_key=t.org_id.coalesce(ibis.literal("S:").concat(t.core)),
        shop_link=t.link,
    ).filter(lambda x: x.shop_key.notnull())


def _assessors(mentions: ir.Table, links: ir.Table) -> ir.Table:
    t = mentions.mutate(name_key=_name_key(mentions.assessor, mentions.region))
    t = t.left_join(links, "name_key")
    return t.select(
        "doc_id",
        "assessor",
        assessor_key=t.org_id.coalesce(ibis.literal("A:").concat(t.core)),
    ).filter(lambda x: x.assessor_key.notnull())


def _claim_orgs(claims: ir.Table, shop_links: ir.Table, assessor_links: ir.Table) -> ir.Table:
    """The claims with shop_org_id (given, else linked), shop_key and assessor_key."""
    s = shop_links.select(_skey="name_key", _shop_org="org_id", _shop_core="core")
    c = claims.left_join(s, _name_key(claims.repair_shop, claims.region) == s._skey)
    a = assessor_links.select(_akey="name_key", _asr_org="org_id", _asr_core="core")
    c = c.left_join(a, _name_key(c.assessor, c.region) == a._akey)
    shop_org_id = c.repair_shop_org_id.strip().nullif("").coalesce(c._shop_org)
    return c.select(
        *CLAIM_COLUMNS,
        *by_county(c),
        shop_org_id=shop_org_id,
        shop_key=shop_org_id.coalesce(ibis.literal("S:").concat(c._shop_core)),
        assessor_key=c._asr_org.coalesce(ibis.literal("A:").concat(c._asr_core)),
    )


def _plaintiff_parties(parties: ir.Table, keys: ir.Table) -> ir.Table:
    """The plaintiffs of the insurance judgments (insurers left out), with mention_id and county."""
    p = parties.filter((parties.role == "plaintiff") & ~parties.is_insurer.fill_null(False))
    p = p.join(keys, "doc_id")
    return p.mutate(mention_id=p.doc_id.concat("#", p.seq.cast("string")))


def _people(
    parties: ir.Table,
    read: ir.Table,
    plates: ir.Table,
    shops: ir.Table,
    claims: ir.Table,
    *,
    register: ir.Table,
    owners: ir.Table,
    staff: ir.Table,
) -> ir.Table:
    """Plaintiffs (``J`` + mention_id) and claim reporters (``C`` + claim_id) linked to people at once.

    One :func:`huiyan.linking.link_people` over both kinds of mention: the
    registers are grouped and joined once for the run. A plaintiff's context is
    the judgment (its plates, its linked repair shops, the ID written in their
    own line); a reporter's the claim (its plate, its shop, the reporter_id).

    A resident ID settles a link (身份证号一致 is the only way at full confidence,
    so it always wins): mentions that carry one are linked by it alone, and only
    the others go through ``link_people``, with the plates, shops and registers
    first narrowed to the names and companies those mentions can meet. The
    result is the same as one ``link_people`` over every mention.
    """
    persons = parties.filter(parties.kind == "person")
    texts = read.filter(read.id_text.notnull()).select("doc_id", "id_text")
    pt = persons.left_join(texts, "doc_id")
    pm = pt.select(
        mention_id=ibis.literal("J").concat(pt.mention_id),
        name=pt.name,
        region=pt.region,
        id_hint=linking.resident_id_after(pt.id_text, pt.name),
    )
    cm = claims.select(
        mention_id=ibis.literal("C").concat(claims.claim_id),
        name=claims.reporter_name,
        region=claims.region,
        id_hint=claims.reporter_id,
    )
    ids = persons.select(_m=ibis.literal("J").concat(persons.mention_id), doc_id=persons.doc_id)
    cid = ibis.literal("C").concat(claims.claim_id)
    judgment_plates = ids.join(plates, "doc_id").select(mention_id="_m", plate="plate")
    plate_ctx = judgment_plates.union(claims.select(mention_id=cid, plate=claims.plate_no))
    linked_shops = shops.filter(shops.org_id.notnull()).select("doc_id", "org_id")
    judgment_shops = ids.join(linked_shops, "doc_id").select(mention_id="_m", org_id="org_id")
    claim_shops = claims.select(mention_id=cid, org_id=claims.shop_org_id)
    shop_ctx = judgment_shops.union(claim_shops.filter(claim_shops.org_id.notnull()))
    mentions = pm.union(cm)
    if not _ID_SETTLES:  # pragma: no cover - only if linking's confidences change
        return linking.link_people(
            mentions, register=register, plates=plate_ctx, plate_owners=owners,
            shops=shop_ctx, shop_staff=staff,
        )  # fmt: skip
    # linking's 身份证号一致, taken directly: each mention_id is one party of one judgment
    # (doc_id#seq) or one claim (claim_id, the dataset's key), so no mention can hold two IDs
    hint = mentions.id_hint.strip().upper()
    has_id = hint.re_search(identifiers.RESIDENT_ID_RE.pattern).fill_null(False)
    by_id = mentions.filter(has_id).select(
        "mention_id",
        person_id=hint,
        link=ibis.literal(linking.LINK_ID),
        confidence=ibis.literal(linking.CONFIDENCE[linking.LINK_ID], type="float64"),
    )
    rest = mentions.filter(~has_id)
    named = rest.select("region", "name").distinct()
    register = register.semi_join(
        named, [register.region == named.region, register.name == named.name]
    )
    staff = staff.semi_join(shop_ctx.select("org_id").distinct(), "org_id").distinct()
    others = linking.link_people(
        rest, register=register, plates=plate_ctx, plate_owners=owners,
        shops=shop_ctx, shop_staff=staff,
    )  # fmt: skip
    return by_id.union(others)


_ID_SETTLES = linking.CONFIDENCE[linking.LINK_ID] > max(
    linking.CONFIDENCE[k]
    for k in (
        linking.LINK_PLATE,
        linking.LINK_SURNAME_PLATE,
        linking.LINK_SHOP,
        linking.LINK_COUNTY,
    )
)
"""A resident ID outranks every other way of linking a person (see :func:`_people`)."""


def _plaintiffs(parties: ir.Table, people: ir.Table, enterprises: ir.Table) -> ir.Table:
    p = parties.mutate(_pm=ibis.literal("J").concat(parties.mention_id))
    persons = people.select(
        _m="mention_id", person_id="person_id", _plink="link", _pconf="confidence"
    )
    orgs = linking.link_orgs(
        p.filter(p.kind == "org").select("mention_id", "name", "region"), enterprises
    )
    orgs = orgs.select(_om="mention_id", org_id="org_id", _olink="link", _oconf="confidence")
    t = p.left_join(persons, p._pm == persons._m)
    t = t.left_join(orgs, t.mention_id == orgs._om)
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
        *by_county(t),
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


def _claims(claims: ir.Table, people: ir.Table) -> ir.Table:
    r = people.select(
        _m="mention_id",
        reporter_pid="person_id",
        reporter_link="link",
        reporter_confidence="confidence",
    )
    t = claims.left_join(r, ibis.literal("C").concat(claims.claim_id) == r._m)
    return t.drop("_m")
