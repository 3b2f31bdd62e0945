"""破产程序虚假职工债权 bankruptcy_labor_claims: false or inflated employee claims in bankruptcy.

Only ``claim_type = 职工债权`` is screened. Months are counted as *month
numbers* (year x 12 + month), so every comparison is plain integer arithmetic
that runs the same on DuckDB and Spark:

- the acceptance month A is the month of ``accepted_date``;
- the months owed are the ``months_owed`` calendar months just before A,
  i.e. months A - months_owed .. A - 1 (a claim without months_owed has none);
- the *claimed employment* runs from the month of ``hire_date`` to A; without a
  hire date it runs from the first month owed to A; without either, it is A alone;
- a social-security row covers the months from ``start_month`` to ``end_month``
  (open-ended when ``end_month`` is missing).

"Hired less than N months before acceptance" is calendar arithmetic on days:
``hire_date + N months > accepted_date`` (the day is clamped to the month's end,
so 2021-08-31 + 6 months = 2022-02-28). Exactly N months is no clue.

Wages are compared at cent precision: a wage equal (to the cent) to 3 x the
median, or to the average, of the other claims is no clue. The comparison is
exact integer arithmetic on wages in cents (fen): sums of cents and the
wage ratio as a fraction, no division and no floating-point rounding, so it
does not depend on the order in which an engine adds the wages up (an average
such as 4143.475 would otherwise round either way on DuckDB, pandas or Spark).

Officers for art. 113 (BLC-OFFICER-CAP) are 董事, 监事, 经理, 财务负责人 and
法定代表人: under the Company Law senior managers (高级管理人员) include the
financial officer, and the legal representative is by law a director or the
manager. A shareholder alone is no officer (but is an insider).

Example (in a notebook)::

    from huiyan.models import bankruptcy_labor_claims as m
    hits = m.run_rules(ws, region="330602")
    found = hy.clues.collect(*hits)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, NamedTuple

import ibis
import ibis.expr.types as ir

from huiyan import registers
from huiyan.canonical import keyed
from huiyan.counties import by_county, same_county
from huiyan.rules import Hits, parameters, ref, rule, strip
from huiyan.workspace import Workspace

MODEL = "bankruptcy_labor_claims"
DATASETS = ("bankruptcy_claims", "social_security", "enterprise_people", "households")
LABOUR = "职工债权"
DEFAULT_OFFICER_ROLES = "董事,监事,经理,财务负责人,法定代表人"

PARAMETERS: dict[str, tuple[Any, str, str]] = {
    "late_hire_months": (6, "int", "入职距法院受理破产不足该月数的，提示突击入职"),
    "wage_ratio": (3.0, "float", "月工资超过本企业其他职工月工资中位数的倍数"),
    "large_claim": (300000.0, "float", "单笔职工债权超过该金额（元）的，提示大额申报"),
    "officer_roles": (
        DEFAULT_OFFICER_ROLES,
        "str",
        "按企业破产法第一百一十三条限额的职务，逗号分隔",
    ),
}

_OPEN_END = 10**6  # month number of an open-ended social-security row
_BASIS_FALSE = "《企业破产法》第四十八条；《刑法》第三百零七条之一（虚假诉讼）"


# -- shared preparation ------------------------------------------------------------------------


def _month(col: ir.DateValue) -> ir.IntegerValue:
    """The month number of a date (year x 12 + month - 1)."""
    return col.year() * 12 + col.month() - 1


def _month_text(num: ir.IntegerValue) -> ir.StringValue:
    """A month number as ``YYYY-MM``."""
    year = (num // 12).cast("int64").cast("string")
    month = (num % 12 + 1).cast("int64").cast("string").lpad(2, "0")
    return year.concat("-", month)


def _labour(claims: ir.Table) -> ir.Table:
    """The labour claims with the month numbers every rule uses."""
    claims = keyed(claims, "bankruptcy_claims")
    c = claims.filter(strip(claims.claim_type) == LABOUR)
    acc = _month(c.accepted_date)
    owed = ibis.cases((c.months_owed > 0, c.months_owed), else_=ibis.null("int64"))
    hire = _month(c.hire_date)
    c = c.mutate(
        pid=c.claimant_id_key,
        debtor=c.debtor_org_id_key,
        acc_m=acc,
        owed_n=owed,
        owed_start=acc - owed,
        owed_end=acc - 1,
        span_start=ibis.coalesce(hire, acc - owed, acc),
        span_end=acc,
        wage=ibis.cases((c.monthly_wage > 0, c.monthly_wage), else_=ibis.null("float64")),
    )
    return c.mutate(wage_c=(c.wage * 100).round().cast("int64"))


def _jobs(social_security: ir.Table) -> ir.Table:
    """Social-security rows with person, employer and month numbers."""
    s = keyed(social_security, "social_security")
    return s.select(
        s_pid=s.person_id_key,
        s_org=s.employer_org_id_key,
        s_employer=s.employer_name,
        s_start=_month(s.start_month),
        s_end=ibis.coalesce(_month(s.end_month), _OPEN_END),
        s_ref=ref("social_security", s.person_id, s.employer_org_id, s.start_month),
    )


def ratio_fraction(ratio: float) -> tuple[int, int]:
    """``ratio`` as a fraction ``(p, q)`` of small integers (3.0 -> (3, 1), 2.5 -> (5, 2))."""
    f = Fraction(repr(float(ratio))).limit_denominator(10**6)
    return f.numerator, f.denominator


def above_rounded(wage_c: Any, num: Any, den: Any) -> Any:
    """``wage_c > round_half_up(num / den)``, exactly, for integer cents and ``den > 0``.

    ``round(x) <= k`` holds exactly when ``x < k + 0.5``, so a wage in cents is
    above the rounded value when ``num / den < wage_c - 0.5``, that is when
    ``2 * den * wage_c > 2 * num + den``: integers only, no division.
    """
    return 2 * den * wage_c > 2 * num + den


def _claim_ref(t: ir.Table) -> ir.StringValue:
    return ref("bankruptcy_claims", t.claim_id)


def _roles(officer_roles: str | tuple[str, ...] | list[str]) -> list[str]:
    if isinstance(officer_roles, str):
        return [r.strip() for r in officer_roles.replace("，", ",").split(",") if r.strip()]
    return [str(r).strip() for r in officer_roles]


# -- rules -------------------------------------------------------------------------------------


@rule(
    "BLC-NO-CONTRIBUTIONS",
    model=MODEL,
    zh="申报职工债权，但所称工作期间在债务人处无任何社保参保记录",
    basis=_BASIS_FALSE,
    subject_type="claim",
    summary=(
        "{debtor_name}破产案（{case_no}）中，{subject_name}申报职工债权{amount:,.2f}元，"
        "称{span_from}至{span_to}在该企业工作，但该期间在该企业无任何社保参保记录，"
        "劳动关系可能虚构（企业破产法第四十八条；刑法第三百零七条之一）。"
    ),
    needs=(
        "bankruptcy_claims.claimant_id",
        "bankruptcy_claims.hire_date",
        "social_security.employer_org_id",
    ),
    score=0.85,
)
def no_contributions(claims: ir.Table, social_security: ir.Table) -> ir.Table:
    """Labour claims with no social-security row at the debtor overlapping the claimed employment."""
    lab = _labour(claims)
    jobs = _jobs(social_security)
    covered = lab.join(
        jobs,
        (lab.pid == jobs.s_pid)
        & (lab.debtor == jobs.s_org)
        & (jobs.s_start <= lab.span_end)
        & (jobs.s_end >= lab.span_start),
    ).select("claim_id")
    hit = lab.anti_join(covered, "claim_id")
    span = (hit.span_end - hit.span_start + 1).cast("float64")
    return hit.select(
        subject_id=hit.claim_id,
        region=hit.region,
        subject_name=hit.claimant_name,
        evidence=ibis.array([_claim_ref(hit)]),
        score=ibis.least(0.95, 0.75 + 0.02 * span),
        amount=hit.amount,
        debtor_name=hit.debtor_name,
        case_no=hit.case_no,
        span_from=_month_text(hit.span_start),
        span_to=_month_text(hit.span_end),
    )


@rule(
    "BLC-INSIDER",
    model=MODEL,
    zh="职工债权申报人是债务人的股东、董监高等人员，或与其同户",
    basis="《企业破产法》第四十八条、第一百一十三条；《刑法》第三百零七条之一",
    subject_type="claim",
    summary=(
        "{subject_name}向{debtor_name}申报职工债权{amount:,.2f}元，但其{link}，"
        "系债务人的关联人员，职工债权可能虚构或虚增（企业破产法第四十八条；刑法第三百零七条之一）。"
    ),
    needs=("bankruptcy_claims.claimant_id", "enterprise_people.role", "households.household_id"),
    score=0.7,
)
def insider(claims: ir.Table, enterprise_people: ir.Table, households: ir.Table) -> ir.Table:
    """Labour claims whose claimant is an officer or shareholder of the debtor, or in one's household."""
    lab = _labour(claims).filter(lambda t: t.pid.notnull())
    enterprise_people = keyed(enterprise_people, "enterprise_people")
    households = keyed(households, "households")
    ep = enterprise_people.select(
        e_org=enterprise_people.org_id_key,
        e_pid=enterprise_people.person_id_key,
        e_name=enterprise_people.name,
        e_role=enterprise_people.role,
        e_ref=ref(
            "enterprise_people",
            enterprise_people.org_id,
            enterprise_people.person_id,
            enterprise_people.role,
        ),
    )
    hh = households.select(
        h_pid=households.person_id_key,
        h_id=households.household_id_key,
        h_raw=households.person_id,  # references are built for the few rows that link
    ).filter(lambda t: t.h_id.notnull())

    direct = lab.join(ep, (lab.pid == ep.e_pid) & (lab.debtor == ep.e_org)).select(
        claim_id=lab.claim_id,
        direct=ibis.literal(1),
        link=ibis.literal("本人是该企业").concat(ep.e_role),
        ctx=ep.e_ref,
    )
    mine = hh.view()
    theirs = hh.view().rename(o_pid="h_pid", o_id="h_id", o_raw="h_raw")
    fam = (
        lab.join(mine, lab.pid == mine.h_pid)
        .join(theirs, (mine.h_id == theirs.o_id) & (theirs.o_pid != lab.pid))
        .join(ep, (ep.e_pid == theirs.o_pid) & (ep.e_org == lab.debtor))
    )
    family = fam.select(
        claim_id=fam.claim_id,
        direct=ibis.literal(0),
        link=ibis.literal("与该企业").concat(fam.e_role, fam.e_name, "同户"),
        ctx=fam.e_ref,
    )
    family_hh = fam.select(claim_id=fam.claim_id, ctx=ref("households", fam.h_raw)).union(
        fam.select(claim_id=fam.claim_id, ctx=ref("households", fam.o_raw))
    )
    links = direct.union(family)
    per = links.group_by("claim_id").aggregate(
        link=links.link.collect(distinct=True).sort().join("；"),
        is_direct=links.direct.max(),
    )
    ctx = (
        links.select("claim_id", "ctx")
        .union(family_hh)
        .group_by("claim_id")
        .aggregate(context=lambda t: t.ctx.collect(distinct=True))
    )
    hit = lab.join(per, "claim_id").join(ctx, "claim_id")
    return hit.select(
        subject_id=hit.claim_id,
        region=hit.region,
        subject_name=hit.claimant_name,
        evidence=ibis.array([_claim_ref(hit)]),
        context=hit.context,
        score=ibis.cases((hit.is_direct == 1, 0.8), else_=0.65),
        amount=hit.amount,
        debtor_name=hit.debtor_name,
        link=hit.link,
    )


@rule(
    "BLC-LATE-HIRE",
    model=MODEL,
    zh="入职时间距法院受理破产不足六个月（突击入职）",
    basis="《企业破产法》第三十一条至第三十三条、第四十八条；《刑法》第三百零七条之一",
    subject_type="claim",
    summary=(
        "{subject_name}于{hire_date}入职{debtor_name}，距法院{accepted_date}受理破产不足"
        "{late_hire_months}个月，即申报职工债权{amount:,.2f}元，存在临近破产突击入职、"
        "虚构劳动关系嫌疑（企业破产法第三十一条至第三十三条、第四十八条）。"
    ),
    needs=("bankruptcy_claims.hire_date", "bankruptcy_claims.accepted_date"),
    score=0.7,
)
def late_hire(claims: ir.Table, *, late_hire_months: int = 6) -> ir.Table:
    """Labour claims by people hired less than ``late_hire_months`` before the acceptance date."""
    lab = _labour(claims)
    months = int(late_hire_months)
    hit = lab.filter(
        lab.hire_date.notnull()
        & ((lab.hire_date + ibis.interval(months=months)) > lab.accepted_date)
    )
    gap = (hit.acc_m - _month(hit.hire_date)).cast("float64")
    return hit.select(
        subject_id=hit.claim_id,
        region=hit.region,
        subject_name=hit.claimant_name,
        evidence=ibis.array([_claim_ref(hit)]),
        score=ibis.greatest(0.55, ibis.least(0.9, 0.9 - 0.05 * gap)),
        amount=hit.amount,
        debtor_name=hit.debtor_name,
        hire_date=hit.hire_date.cast("string"),
        accepted_date=hit.accepted_date.cast("string"),
        late_hire_months=ibis.literal(months),
    )


def _leave_one_out_median(lab: ir.Table) -> ir.Table:
    """claim_id, peers and the median wage of the debtor's *other* labour claims.

    Ranks the debtor's wages once; removing rank r from n sorted values leaves a
    median built from the values at ranks k, k+1, k+2 (k = n // 2), so one
    window, one grouping and one join suffice (no self-join per debtor).
    ``twice_c`` is twice the median in cents (an integer: the two middle wages
    added up), ``median`` the median in yuan.
    """
    w = lab.filter(lab.wage.notnull() & lab.debtor.notnull())
    debtor = [w.debtor, *by_county(w)]  # in an each-county run, a debtor's claims per county
    by_debtor = ibis.window(group_by=debtor, order_by=[w.wage, w.claim_id])
    ranked = w.mutate(
        r=ibis.row_number().over(by_debtor) + 1,
        n=w.claim_id.count().over(ibis.window(group_by=debtor)),
    )
    ranked = ranked.mutate(k=ranked.n // 2)
    mids = ranked.group_by(ranked.debtor.name("m_debtor"), *by_county(ranked)).aggregate(
        vk=ranked.wage_c.max(where=ranked.r == ranked.k),
        vk1=ranked.wage_c.max(where=ranked.r == ranked.k + 1),
        vk2=ranked.wage_c.max(where=ranked.r == ranked.k + 2),
    )
    two = ranked.filter(ranked.n >= 2)
    j = two.join(mids, [two.debtor == mids.m_debtor, *same_county(two, mids)])
    low = ibis.cases((j.k < j.r, j.vk), else_=j.vk1)
    even = j.n % 2 == 0
    high = ibis.cases(
        (even & (j.k < j.r), j.vk),
        (even, j.vk1),
        (j.k + 1 < j.r, j.vk1),
        else_=j.vk2,
    )
    twice = (low + high).cast("int64")
    return j.select(m_claim=j.claim_id, peers=j.n - 1, twice_c=twice, median=twice / 200.0)


@rule(
    "BLC-WAGE-OUTLIER",
    model=MODEL,
    zh="申报月工资超过本企业其他职工月工资中位数的三倍",
    basis="《企业破产法》第四十八条、第一百一十三条；《刑法》第三百零七条之一",
    subject_type="claim",
    summary=(
        "{subject_name}申报月工资{monthly_wage:,.2f}元，是{debtor_name}其他{peers}名职工"
        "月工资中位数{median:,.2f}元的{ratio:.1f}倍（超过{wage_ratio:g}倍），工资标准可能虚增"
        "（企业破产法第四十八条、第一百一十三条）。"
    ),
    needs=("bankruptcy_claims.monthly_wage", "bankruptcy_claims.debtor_org_id"),
    score=0.7,
)
def wage_outlier(claims: ir.Table, *, wage_ratio: float = 3.0) -> ir.Table:
    """Labour claims whose monthly wage is above ``wage_ratio`` x the median of the debtor's others."""
    lab = _labour(claims)
    med = _leave_one_out_median(lab)
    j = lab.join(med, lab.claim_id == med.m_claim)
    p, q = ratio_fraction(wage_ratio)
    # wage > round(median x ratio, 2) in cents: median x ratio = twice_c x p / (2 q)
    hit = j.filter((j.twice_c > 0) & above_rounded(j.wage_c, j.twice_c * p, 2 * q))
    ratio = hit.wage / hit.median
    return hit.select(
        subject_id=hit.claim_id,
        region=hit.region,
        subject_name=hit.claimant_name,
        evidence=ibis.array([_claim_ref(hit)]),
        score=ibis.least(0.95, 0.4 + 0.1 * ratio),
        amount=hit.amount,
        debtor_name=hit.debtor_name,
        monthly_wage=hit.wage,
        peers=hit.peers,
        median=hit.median,
        ratio=ratio,
        wage_ratio=ibis.literal(float(wage_ratio)),
    )


@rule(
    "BLC-EMPLOYED-ELSEWHERE",
    model=MODEL,
    zh="社保记录显示申报人在欠薪期间一直在其他单位工作",
    basis=_BASIS_FALSE,
    subject_type="claim",
    summary=(
        "{subject_name}申报{debtor_name}欠薪{months_owed}个月（{owed_from}至{owed_to}），"
        "但社保记录显示其同期一直在{other_employer}参保，所称劳动关系可能虚假"
        "（企业破产法第四十八条；刑法第三百零七条之一）。"
    ),
    needs=("bankruptcy_claims.months_owed", "social_security.start_month"),
    score=0.85,
)
def employed_elsewhere(claims: ir.Table, social_security: ir.Table) -> ir.Table:
    """Labour claims whose claimant has one social-security row elsewhere covering every month owed."""
    lab = _labour(claims).filter(lambda t: t.owed_n.notnull() & t.pid.notnull())
    jobs = _jobs(social_security)
    j = lab.join(
        jobs,
        (lab.pid == jobs.s_pid)
        & (lab.debtor != jobs.s_org)
        & (jobs.s_start <= lab.owed_start)
        & (jobs.s_end >= lab.owed_end),
    )
    per = j.group_by(j.claim_id.name("e_claim")).aggregate(
        other_employer=j.s_employer.collect(distinct=True).sort().join("、"),
        context=j.s_ref.collect(distinct=True),
    )
    hit = lab.join(per, lab.claim_id == per.e_claim)
    return hit.select(
        subject_id=hit.claim_id,
        region=hit.region,
        subject_name=hit.claimant_name,
        evidence=ibis.array([_claim_ref(hit)]),
        context=hit.context,
        amount=hit.amount,
        debtor_name=hit.debtor_name,
        months_owed=hit.owed_n,
        owed_from=_month_text(hit.owed_start),
        owed_to=_month_text(hit.owed_end),
        other_employer=hit.other_employer,
    )


@rule(
    "BLC-MULTI-DEBTOR",
    model=MODEL,
    zh="同一人对两个以上债务人申报欠薪期间重叠的职工债权",
    basis=_BASIS_FALSE,
    subject_type="person",
    summary=(
        "{subject_name}（{subject_id}）向{debtors}家债务人（{debtor_names}）申报职工债权{claims}笔，"
        "欠薪期间相互重叠，合计{amount:,.2f}元，存在虚假或重复申报嫌疑"
        "（企业破产法第四十八条；刑法第三百零七条之一）。"
    ),
    needs=("bankruptcy_claims.claimant_id", "bankruptcy_claims.months_owed"),
    score=0.8,
)
def multi_debtor(claims: ir.Table) -> ir.Table:
    """People with labour claims against two or more debtors whose months owed overlap."""
    lab = _labour(claims).filter(lambda t: t.owed_n.notnull() & t.pid.notnull())
    a = lab.select("claim_id", "pid", "debtor", "owed_start", "owed_end", *by_county(lab))
    b = a.view().rename(
        b_claim="claim_id", b_pid="pid", b_debtor="debtor", b_start="owed_start", b_end="owed_end"
    )
    pairs = a.join(
        b,
        [
            (a.pid == b.b_pid)
            & (a.debtor != b.b_debtor)
            & (a.owed_start <= b.b_end)
            & (b.b_start <= a.owed_end),
            *same_county(a, b),
        ],
    )
    involved = pairs.select(i_claim=pairs.claim_id).distinct()
    inv = lab.join(involved, lab.claim_id == involved.i_claim)
    hit = inv.group_by(inv.pid.name("subject_id"), *by_county(inv)).aggregate(
        region=inv.region.min(),
        subject_name=inv.claimant_name.min(),
        evidence=ref("bankruptcy_claims", inv.claim_id).collect(distinct=True),
        amount=inv.amount.sum(),
        debtors=inv.debtor.nunique(),
        claims=inv.claim_id.nunique(),
        debtor_names=inv.debtor_name.collect(distinct=True).sort().join("、"),
    )
    return hit.mutate(score=ibis.least(0.95, 0.6 + 0.1 * hit.debtors.cast("float64")))


@rule(
    "BLC-LARGE-CLAIM",
    model=MODEL,
    zh="单笔职工债权超过三十万元",
    basis="《企业破产法》第四十八条、第一百一十三条；《刑法》第三百零七条之一",
    subject_type="claim",
    summary=(
        "{subject_name}在{debtor_name}破产案（{case_no}）中申报职工债权{amount:,.2f}元，"
        "超过{large_claim:,.0f}元，金额异常，需核实劳动关系和工资标准"
        "（企业破产法第四十八条、第一百一十三条）。"
    ),
    needs=("bankruptcy_claims.amount",),
    score=0.6,
)
def large_claim(claims: ir.Table, *, large_claim: float = 300000.0) -> ir.Table:
    """Labour claims above ``large_claim`` yuan."""
    lab = _labour(claims)
    hit = lab.filter(lab.amount > float(large_claim))
    return hit.select(
        subject_id=hit.claim_id,
        region=hit.region,
        subject_name=hit.claimant_name,
        evidence=ibis.array([_claim_ref(hit)]),
        score=ibis.least(0.95, 0.4 + 0.2 * hit.amount / float(large_claim)),
        amount=hit.amount,
        debtor_name=hit.debtor_name,
        case_no=hit.case_no,
        large_claim=ibis.literal(float(large_claim)),
    )


@rule(
    "BLC-OFFICER-CAP",
    model=MODEL,
    zh="董事、监事、高级管理人员申报工资高于本企业其他职工平均工资",
    basis="《企业破产法》第一百一十三条第三款",
    subject_type="claim",
    summary=(
        "{subject_name}系{debtor_name}的{roles}，申报月工资{monthly_wage:,.2f}元，高于该企业其他"
        "{peers}名职工平均月工资{average:,.2f}元；依企业破产法第一百一十三条第三款，董事、监事和"
        "高级管理人员的工资按职工平均工资计算，超出部分不能作为职工债权优先受偿。"
    ),
    needs=("bankruptcy_claims.monthly_wage", "enterprise_people.role"),
    score=0.75,
)
def officer_cap(
    claims: ir.Table,
    enterprise_people: ir.Table,
    *,
    officer_roles: str = DEFAULT_OFFICER_ROLES,
) -> ir.Table:
    """Labour claims of the debtor's officers with a wage above the average of its other claims."""
    lab = _labour(claims)
    w = lab.filter(lab.wage.notnull() & lab.debtor.notnull())
    debtor = ibis.window(group_by=[w.debtor, *by_county(w)])
    w = w.mutate(tot_c=w.wage_c.sum().over(debtor), n=w.claim_id.count().over(debtor))
    w = w.filter(w.n >= 2)
    w = w.mutate(others_c=w.tot_c - w.wage_c, peers=w.n - 1)
    w = w.mutate(average=w.others_c / (w.peers * 100.0))
    enterprise_people = keyed(enterprise_people, "enterprise_people")
    ep = enterprise_people.filter(strip(enterprise_people.role).isin(_roles(officer_roles)))
    off = ep.group_by(o_org=ep.org_id_key, o_pid=ep.person_id_key).aggregate(
        roles=strip(ep.role).collect(distinct=True).sort().join("、"),
        context=ref("enterprise_people", ep.org_id, ep.person_id, ep.role).collect(distinct=True),
    )
    j = w.join(off, (w.pid == off.o_pid) & (w.debtor == off.o_org))
    # wage > the others' average rounded to the cent, in exact integer cents
    hit = j.filter(above_rounded(j.wage_c, j.others_c, j.peers))
    ratio = hit.wage / hit.average
    return hit.select(
        subject_id=hit.claim_id,
        region=hit.region,
        subject_name=hit.claimant_name,
        evidence=ibis.array([_claim_ref(hit)]),
        context=hit.context,
        score=ibis.least(0.95, 0.55 + 0.1 * ratio),
        amount=hit.amount,
        debtor_name=hit.debtor_name,
        roles=hit.roles,
        monthly_wage=hit.wage,
        average=hit.average,
        peers=hit.peers,
    )


# -- the whole model ---------------------------------------------------------------------------


class Inputs(NamedTuple):
    """The model's tables for one run (see :func:`inputs`)."""

    claims: ir.Table
    social_security: ir.Table
    officers: ir.Table
    households: ir.Table


def inputs(ws: Workspace, *, region: str = "") -> Inputs:
    """The county's claims, and each register read once for every rule (huiyan.registers).

    Every rule joins the registers on the labour claimants and their debtors only, so
    social security, company officers and households are narrowed to those rows once and
    kept for the run; a rule given the whole register finds the same hits.
    """
    claims = ws.table("bankruptcy_claims", region=region)
    lab = _labour(claims)
    ss = ws.table("social_security")
    ep = ws.table("enterprise_people")
    return Inputs(
        claims=claims,
        social_security=registers.keep(
            registers.about(ss, "social_security", "person_id_key", lab.pid)
        ),
        officers=registers.keep(registers.about(ep, "enterprise_people", "org_id_key", lab.debtor)),
        households=registers.keep(registers.households_of(ws.table("households"), lab.pid)),
    )


def run_rules(ws: Workspace, *, region: str = "", **params: Any) -> list[Hits]:
    """Evaluate every rule of the model on the workspace (one county, or all when region is "")."""
    p = parameters(MODEL, {name: spec[0] for name, spec in PARAMETERS.items()}, params)
    claims, ss, ep, hh = inputs(ws, region=region)
    return [
        no_contributions(claims, ss),
        insider(claims, ep, hh),
        late_hire(claims, late_hire_months=int(p["late_hire_months"])),
        wage_outlier(claims, wage_ratio=float(p["wage_ratio"])),
        employed_elsewhere(claims, ss),
        multi_debtor(claims),
        large_claim(claims, large_claim=float(p["large_claim"])),
        officer_cap(claims, ep, officer_roles=str(p["officer_roles"])),
    ]
