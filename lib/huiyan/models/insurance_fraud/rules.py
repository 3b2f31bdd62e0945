"""The six record-level rules of insurance_fraud (INS-RING lives in :mod:`.rings`).

Each rule takes tables of :class:`~.base.Facts` and keyword-only thresholds
and returns hits; evidence is always the suspect ``judgments:`` or
``insurance_claims:`` records, context the register rows that support a link
(``social_security:``, ``enterprise_people:``, ``vehicles:``). Scores are a
rule's base strength times the confidence of the weakest link it relies on.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from huiyan.counties import by_county, same_county
from huiyan.models.insurance_fraud.base import MODEL, SHOP_WORDS, keep
from huiyan.rules import computed_once, ref, rule

_B198 = "《刑法》第一百九十八条（保险诈骗罪，立案追诉标准5万元）"
_B307 = "《刑法》第三百零七条之一（虚假诉讼罪）；两高《关于办理虚假诉讼刑事案件适用法律若干问题的解释》（2018）"


def judgment_ref(doc_id: ir.StringValue) -> ir.StringValue:
    return ref("judgments", doc_id)


def claim_ref(claim_id: ir.StringValue) -> ir.StringValue:
    return ref("insurance_claims", claim_id)


def _doc_cols(t: ir.Table) -> dict[str, ir.Value]:
    return {
        "subject_id": t.doc_id,
        "region": t.region,
        "amount": t.claimed_amount.coalesce(t.awarded_amount),
        "case_no": t.case_no.coalesce(t.doc_id),
        "evidence": ibis.array([judgment_ref(t.doc_id)]),
    }


def in_windows(
    events: ir.Table, *, key: str, date: str, record: str, min_count: int, months: int
) -> ir.Table:
    """``key, record`` of every record that falls in a window of ``months`` holding >= ``min_count``.

    A window starts at each record's date and runs ``months`` calendar months
    (2021-03-05 .. 2023-03-04 for 24); a record qualifies when some window that
    contains it holds at least ``min_count`` distinct records of the same key (and county, in
    an each-county run: a record is of one county).
    """
    e = events.select(*by_county(events), _k=events[key], _d=events[date], _r=events[record])
    e = e.distinct()
    s = e.select(*by_county(e), _k0=e._k, _s=e._d, _r0=e._r)
    pairs = s.join(
        e,
        [
            (s._k0 == e._k) & (e._d >= s._s) & (e._d < s._s + ibis.interval(months=months)),
            *same_county(s, e),
        ],
    )
    full = pairs.group_by(["_k0", "_r0"]).aggregate(_n=pairs._r.nunique())
    full = full.filter(full._n >= min_count)
    q = pairs.join(full, ["_k0", "_r0"])
    return q.select(**{key: q._k0, record: q._r}).distinct()


def modal(t: ir.Table, *, key: str, value: str, name: str = "region") -> ir.Table:
    """``key, <name>``: the most frequent non-null ``value`` of each key, ties to the smallest.

    Deterministic on every engine (``mode()`` breaks ties arbitrarily and has no
    Spark translation); a key whose values are all null gets null. In an each-county
    run, per key and county (``key, county_scope, <name>``).
    """
    v = t.filter(t[value].notnull())
    c = v.group_by([v[key].name("_k"), *by_county(v), v[value].name("_v")]).aggregate(_c=v.count())
    w = ibis.window(group_by=["_k", *by_county(c)], order_by=[ibis.desc("_c"), "_v"])
    c = c.mutate(_rk=ibis.row_number().over(w))
    top = c.filter(c._rk == 0)
    keys = t.select(*by_county(t), _key=t[key]).distinct()
    out = keys.left_join(top, [keys._key == top._k, *same_county(keys, top)])
    return out.select(*by_county(keys), **{key: out._key, name: out._v})


# ---------------------------------------------------------------------------- INS-ASSIGNED


@rule(
    "INS-ASSIGNED",
    model=MODEL,
    zh="原告既非受损车辆登记车主也非被保险人：理赔权（债权）已转让给原告",
    basis=(
        "《民法典》第五百四十五条（债权转让）；《保险法》第六十条（代位求偿，保险人起诉不在此列）；"
        + _B307
    ),
    subject_type="judgment",
    summary="{case_no}：{reason}，原告{plaintiffs}既非受损车辆登记车主也非被保险人，理赔权疑已转让给原告。",
    needs=("judgments.text", "vehicles.owner_id", "insurance_claims.insured_id"),
    score=0.6,
)
@computed_once
def assigned(
    documents: ir.Table, plaintiffs: ir.Table, plates: ir.Table, owners: ir.Table
) -> ir.Table:
    """Insurance judgments where the claim was assigned and no plaintiff owns or insured a plate in it.

    Assigned: the text says so (债权转让, 理赔权转让 …) or the plaintiff is a repair
    business. A plaintiff who is the registered owner or the insured of any
    plate in the case (by id, by name, or a masked name by surname) sues for
    their own loss and is no clue.

    Args:
        documents, plaintiffs, plates: from :func:`~.base.facts`.
        owners: ``plate, person_id, name`` (:func:`~.base.plate_owners`).
    """
    said = documents.filter(documents.assigned).select(
        "doc_id", reason=ibis.literal("文书载明债权（理赔权）转让"), _w=ibis.literal(1)
    )
    shop = plaintiffs.filter((plaintiffs.kind == "org") & plaintiffs.name.re_search(SHOP_WORDS))
    shop = shop.select(
        "doc_id",
        reason=ibis.literal("原告为汽车修理企业").concat("（", shop.name, "）"),
        _w=ibis.literal(2),
    )
    po = plates.join(owners, "plate").select(
        "doc_id", _oid=owners.person_id.upper(), _oname=owners.name
    )
    pl = plaintiffs.select(
        "doc_id", "name", "masked", _pid=plaintiffs.person_id.coalesce(plaintiffs.org_id)
    )
    pairs = pl.join(po, "doc_id")
    match = (
        (pairs._pid.notnull() & (pairs._pid.upper() == pairs._oid))
        | (~pairs.masked & (pairs.name == pairs._oname))
        | (pairs.masked & (pairs.name.substr(0, 1) == pairs._oname.substr(0, 1)))
    )
    owner_sues = pairs.filter(match).select("doc_id").distinct()
    reasons = said.union(shop).anti_join(owner_sues, "doc_id")
    r = reasons.group_by("doc_id").aggregate(
        _said=reasons.reason.max(where=reasons._w == 1),
        _shops=reasons.reason.collect(where=reasons._w == 2).sort().join("；").nullif(""),
        _n=reasons._w.nunique(),
    )
    # the text's own words first, then the repair-business plaintiffs (no ordered aggregate:
    # Spark has none)
    r = r.select(
        "doc_id",
        "_n",
        reason=ibis.cases(
            (r._said.notnull() & r._shops.notnull(), r._said.concat("；", r._shops)),
            (r._said.notnull(), r._said),
            else_=r._shops,
        ),
    )
    names = plaintiffs.group_by("doc_id").aggregate(
        plaintiffs=plaintiffs.name.collect().sort().join("、")
    )
    t = documents.join(r, "doc_id").left_join(names, "doc_id")
    return t.select(
        **_doc_cols(t),
        reason=t.reason,
        plaintiffs=t.plaintiffs.coalesce("—"),
        score=(0.55 + 0.15 * t._n).clip(upper=0.95).cast("float64"),
        snippet=t.assigned_words,
    )


# ---------------------------------------------------------------------------- INS-NO-ASSESSMENT


@rule(
    "INS-NO-ASSESSMENT",
    model=MODEL,
    zh="保险公司未定损（未经定损、拒绝定损），损失金额依据原告单方委托的评估",
    basis=_B198 + "；" + _B307 + "；《保险法》第二十三条",
    subject_type="judgment",
    summary="{case_no}：保险公司未对车损定损，损失金额依据原告单方委托的{assessor}评估，主张{amount:,.2f}元。",
    needs=("judgments.text",),
    score=0.7,
)
@computed_once
def no_assessment(documents: ir.Table, assessors: ir.Table) -> ir.Table:
    """Insurance judgments where the insurer never assessed and the plaintiff's own assessment counts."""
    d = documents.filter((documents.insurer_assessed == False) & documents.commissioned)  # noqa: E712
    names = assessors.group_by("doc_id").aggregate(
        _a=assessors.assessor.collect().sort().join("、")
    )
    t = d.left_join(names, "doc_id")
    return t.select(
        **_doc_cols(t),
        assessor=t._a.coalesce("评估机构"),
        snippet=t.assessed_words.coalesce(t.commissioned_words),
    )


# ---------------------------------------------------------------------------- INS-FREQUENT-PLAINTIFF


@rule(
    "INS-FREQUENT-PLAINTIFF",
    model=MODEL,
    zh="同一原告在统计窗口内提起多起车险理赔诉讼（职业原告）",
    basis=_B307,
    subject_type="person",
    summary=(
        "原告{subject_name}在{window_months}个月内提起{n_suits}件车险理赔诉讼"
        "（{first_date}至{last_date}），主张合计{amount:,.2f}元；身份关联：{link}。"
    ),
    needs=("judgments.judgment_date",),
    score=0.6,
)
@computed_once
def frequent_plaintiff(
    plaintiffs: ir.Table, documents: ir.Table, *, min_suits: int = 3, window_months: int = 24
) -> ir.Table:
    """Plaintiffs with at least ``min_suits`` insurance judgments inside ``window_months``.

    Plaintiffs are counted by name as the judgments print it (published texts
    rarely carry an ID: this is the plaintiff list the Shaoxing prosecutors
    compiled); companies by credit code. Masked names (张某) are never counted
    unless the text gives their ID. The clue's subject is the linked person
    when all the suits link to one, and the summary says when they do not.
    In an each-county run a plaintiff's suits are counted in each county on its own.
    """
    p = plaintiffs.filter(plaintiffs.suit_key.notnull())
    hits = in_windows(
        p, key="suit_key", date="judgment_date", record="doc_id", min_count=min_suits,
        months=window_months,
    )  # fmt: skip
    d = documents.select(
        "doc_id", "claimed_amount", "judgment_date", *by_county(documents), _region="region"
    )
    t = hits.join(d, "doc_id")
    ps = p.semi_join(hits, "doc_id")
    who = ps.group_by(["suit_key", *by_county(ps)]).aggregate(
        subject_name=ps.name.min(),
        _id=ps.person_id.coalesce(ps.org_id).min(),
        _n_ids=ps.person_id.coalesce(ps.org_id).nunique(),
        link=ps.link.collect(distinct=True).sort().join("、"),
        _conf=ps.confidence.max(),
    )
    g = t.group_by(["suit_key", *by_county(t)]).aggregate(
        evidence=judgment_ref(t.doc_id).collect(),
        n_suits=t.doc_id.nunique(),
        amount=t.claimed_amount.sum(),
        first_date=t.judgment_date.min().cast("string"),
        last_date=t.judgment_date.max().cast("string"),
    )
    g = g.join(who, ["suit_key", *same_county(g, who)])
    top = modal(t, key="suit_key", value="_region")
    g = g.join(top, ["suit_key", *same_county(g, top)])
    one = g._n_ids == 1
    link = ibis.ifelse(
        one,
        ibis.literal("同名原告关联到同一人（").concat(g.link, "）"),
        ibis.ifelse(
            g._n_ids == 0,
            ibis.literal("仅姓名一致，未关联到登记信息"),
            ibis.literal("同名原告关联到").concat(g._n_ids.cast("string"), "人，需核实是否同一人"),
        ),
    )
    strength = (0.6 + 0.05 * (g.n_suits - min_suits)).clip(upper=0.95)
    conf = ibis.ifelse(one, g._conf.coalesce(0.6), ibis.literal(0.6))
    return g.select(
        subject_id=ibis.ifelse(one, g._id, g.suit_key),
        region=g.region,
        subject_name=g.subject_name,
        evidence=g.evidence,
        amount=g.amount.cast("float64"),
        score=(strength * conf).cast("float64"),
        n_suits=g.n_suits,
        first_date=g.first_date,
        last_date=g.last_date,
        link=link,
        window_months=ibis.literal(window_months),
    )


# ---------------------------------------------------------------------------- INS-SHOP-CONCENTRATION


@rule(
    "INS-SHOP-CONCENTRATION",
    model=MODEL,
    zh="同一修理厂涉及多件车险理赔诉讼，且半数以上由同一评估机构定损",
    basis=_B198 + "；" + _B307,
    subject_type="org",
    summary=(
        "修理厂{subject_name}涉及{n_cases}件车险理赔诉讼，其中{n_top}件（超过半数）由{assessor}评估，"
        "主张合计{amount:,.2f}元。"
    ),
    needs=("judgments.text",),
    score=0.7,
)
@computed_once
def shop_concentration(
    shops: ir.Table, assessors: ir.Table, documents: ir.Table, *, min_shop_cases: int = 5
) -> ir.Table:
    """Repair shops in at least ``min_shop_cases`` insurance judgments, one assessor in more than half.

    In an each-county run a shop's judgments are counted in each county on its own.
    """
    s = shops.select("doc_id", "shop_key", "shop", *by_county(shops)).distinct()
    n = s.group_by(["shop_key", *by_county(s)]).aggregate(
        n_cases=s.doc_id.nunique(), subject_name=s.shop.min()
    )
    n = n.filter(n.n_cases >= min_shop_cases)
    sa = s.join(assessors, "doc_id")
    per = sa.group_by(["shop_key", "assessor_key", *by_county(sa)]).aggregate(
        n_top=sa.doc_id.nunique(), assessor=sa.assessor.min()
    )
    w = ibis.window(
        group_by=["shop_key", *by_county(per)], order_by=[ibis.desc("n_top"), "assessor_key"]
    )
    per = per.mutate(_rank=ibis.row_number().over(w))
    top = per.filter(per._rank == 0).drop("_rank", "assessor_key")
    conc = n.join(top, ["shop_key", *same_county(n, top)]).filter(lambda t: t.n_top * 2 > t.n_cases)
    d = documents.select("doc_id", "claimed_amount", _region="region")
    docs = s.semi_join(conc, ["shop_key", *same_county(s, conc)]).join(d, "doc_id")
    said = shops.semi_join(conc, ["shop_key", *same_county(shops, conc)])
    g = docs.group_by(["shop_key", *by_county(docs)]).aggregate(
        evidence=judgment_ref(docs.doc_id).collect(),
        amount=docs.claimed_amount.sum(),
    )
    told = said.group_by(*by_county(said), _k=said.shop_key).aggregate(snippet=said.words.min())
    g = g.left_join(told, [g.shop_key == told._k, *same_county(g, told)])
    # told's key goes, and in an each-county run its copy of the county (named by the join)
    g = g.drop("_k", *[f"{c.get_name()}_right" for c in by_county(told)])
    top_region = modal(docs, key="shop_key", value="_region")
    g = g.join(top_region, ["shop_key", *same_county(g, top_region)])
    t = g.join(conc, ["shop_key", *same_county(g, conc)])
    share = t.n_top / t.n_cases
    return t.select(
        subject_id=t.shop_key,
        region=t.region,
        subject_name=t.subject_name,
        evidence=t.evidence,
        amount=t.amount.cast("float64"),
        score=(0.5 + 0.45 * share).cast("float64"),
        n_cases=t.n_cases,
        n_top=t.n_top,
        assessor=t.assessor,
        snippet=t.snippet,
    )


# ---------------------------------------------------------------------------- INS-PLAINTIFF-EMPLOYEE


@rule(
    "INS-PLAINTIFF-EMPLOYEE",
    model=MODEL,
    zh="原告的社保参保单位就是案涉修理厂，或原告是该修理厂的高管、股东",
    basis=_B307 + "；" + _B198,
    subject_type="judgment",
    summary="{case_no}：原告{plaintiff}（关联方式：{link}）系本案修理厂{shop}的{relation}。",
    needs=("social_security.employer_org_id", "enterprise_people.role"),
    score=0.85,
)
@computed_once
def plaintiff_employee(
    plaintiffs: ir.Table,
    shops: ir.Table,
    documents: ir.Table,
    social_security: ir.Table,
    enterprise_people: ir.Table,
    *,
    employment_lookback_months: int = 36,
) -> ir.Table:
    """Judgments whose plaintiff works for (social security) or runs the repair shop named in the case."""
    p = plaintiffs.filter(plaintiffs.person_id.notnull()).select(
        "doc_id", "person_id", "judgment_date", _pname="name", _link="link", _conf="confidence"
    )
    s = shops.filter(shops.org_id.notnull()).select("doc_id", "org_id", _shop="shop", _said="words")
    ps = p.join(s, "doc_id")
    ss = social_security
    emp = ps.join(ss, (ps.person_id == ss.person_id) & (ps.org_id == ss.employer_org_id))
    since = emp.judgment_date - ibis.interval(months=employment_lookback_months)
    emp = emp.filter(
        (emp.start_month <= emp.judgment_date) & (emp.end_month.isnull() | (emp.end_month >= since))
    )
    emp = emp.select(
        "doc_id", "_pname", "_link", "_conf", "_shop", "_said",
        record=ref("social_security", emp.person_id, emp.employer_org_id, emp.start_month.cast("string")),
        relation=ibis.literal("参保职工"),
    )  # fmt: skip
    ep = enterprise_people
    off = ps.join(ep, (ps.person_id == ep.person_id) & (ps.org_id == ep.org_id))
    off = off.select(
        "doc_id", "_pname", "_link", "_conf", "_shop", "_said",
        record=ref("enterprise_people", off.org_id, off.person_id, off.role),
        relation=off.role,
    )  # fmt: skip
    links = emp.union(off)
    g = links.group_by("doc_id").aggregate(
        context=links.record.collect(),
        relation=links.relation.collect(distinct=True).sort().join("、"),
        plaintiff=links._pname.min(),
        link=links._link.min(),
        shop=links._shop.min(),
        snippet=links._said.min(),
        _conf=links._conf.max(),
    )
    t = documents.join(g, "doc_id")
    return t.select(
        **_doc_cols(t),
        context=t.context,
        relation=t.relation,
        plaintiff=t.plaintiff,
        link=t.link,
        shop=t.shop,
        score=(0.85 * t._conf).cast("float64"),
        snippet=t.snippet,
    )


# ---------------------------------------------------------------------------- INS-FREQUENT-REPORTER


@rule(
    "INS-FREQUENT-REPORTER",
    model=MODEL,
    zh="同一人12个月内为非本人所有的车辆多次报案，且受雇于或任职于承修修理厂",
    basis=_B198,
    subject_type="person",
    summary=(
        "报案人{subject_name}在{report_window_months}个月内为非本人所有的车辆报案{n_reports}次"
        "（{first_date}至{last_date}），系承修修理厂{shop}的{relation}，索赔合计{amount:,.2f}元；"
        "身份关联：{link}。"
    ),
    needs=("insurance_claims.reporter_name", "insurance_claims.repair_shop", "vehicles.owner_id"),
    score=0.85,
)
@computed_once
def frequent_reporter(
    claims: ir.Table,
    vehicles: ir.Table,
    social_security: ir.Table,
    enterprise_people: ir.Table,
    *,
    min_reports: int = 4,
    report_window_months: int = 12,
) -> ir.Table:
    """Reporters of >= ``min_reports`` claims in a window, on others' cars, tied to the handling shop.

    In an each-county run a reporter's claims are counted in each county on its own.
    """
    c = claims.filter(claims.reporter_pid.notnull() & claims.shop_org_id.notnull())
    v = vehicles.select(
        _plate=vehicles.plate_no, _owner=vehicles.owner_id.upper(), _oname=vehicles.owner_name
    )
    c = c.left_join(v, c.plate_no == v._plate)
    own = (c._owner.notnull() & (c._owner == c.reporter_pid)) | (
        c.reporter_id.isnull() & (c.reporter_name == c._oname)
    )
    # kept: the steps below read these claims, their ties to shops and the tied claims
    # several times (the engine would otherwise redo the joins for each reading)
    c = keep(c.filter(~own))
    ss = social_security
    emp = c.join(ss, (c.reporter_pid == ss.person_id) & (c.shop_org_id == ss.employer_org_id))
    month = emp.report_date.truncate("M")
    emp = emp.filter(
        (emp.start_month <= emp.report_date) & (emp.end_month.isnull() | (emp.end_month >= month))
    )
    emp = emp.select(
        "claim_id",
        record=ref(
            "social_security", emp.person_id, emp.employer_org_id, emp.start_month.cast("string")
        ),
        relation=ibis.literal("参保职工"),
    )
    ep = enterprise_people
    off = c.join(ep, (c.reporter_pid == ep.person_id) & (c.shop_org_id == ep.org_id))
    off = off.select(
        "claim_id",
        record=ref("enterprise_people", off.org_id, off.person_id, off.role),
        relation=off.role,
    )
    links = keep(emp.union(off))
    tied = keep(c.semi_join(links, "claim_id"))
    hits = in_windows(
        tied, key="reporter_pid", date="report_date", record="claim_id", min_count=min_reports,
        months=report_window_months,
    )  # fmt: skip
    t = tied.semi_join(hits, "claim_id")
    lk = links.semi_join(hits, "claim_id")
    lk = lk.join(tied.select("claim_id", "reporter_pid", *by_county(tied)), "claim_id")
    ctx = lk.group_by(["reporter_pid", *by_county(lk)]).aggregate(
        context=lk.record.collect(), relation=lk.relation.collect(distinct=True).sort().join("、")
    )
    g = t.group_by(["reporter_pid", *by_county(t)]).aggregate(
        evidence=claim_ref(t.claim_id).collect(),
        n_reports=t.claim_id.nunique(),
        amount=t.claimed_amount.sum(),
        first_date=t.report_date.min().cast("string"),
        last_date=t.report_date.max().cast("string"),
        subject_name=t.reporter_name.min(),
        shop=t.repair_shop.min(),
        link=t.reporter_link.min(),
        _conf=t.reporter_confidence.max(),
    )
    g = g.join(ctx, ["reporter_pid", *same_county(g, ctx)])
    top = modal(t, key="reporter_pid", value="region")
    g = g.join(top, ["reporter_pid", *same_county(g, top)])
    return g.select(
        subject_id=g.reporter_pid,
        region=g.region,
        subject_name=g.subject_name,
        evidence=g.evidence,
        context=g.context,
        amount=g.amount.cast("float64"),
        score=(0.85 * g._conf).cast("float64"),
        n_reports=g.n_reports,
        first_date=g.first_date,
        last_date=g.last_date,
        shop=g.shop.coalesce("—"),
        relation=g.relation,
        link=g.link,
        report_window_months=ibis.literal(report_window_months),
    )
