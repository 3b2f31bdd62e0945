"""公益林补偿资金发放监督 forest_subsidy: the payout roll checked against registries.

Each rule compares the payout roll (``forest_subsidies``) with the forest-right
register (``forest_rights``), deaths, households and the village-official
roster. Definitions:

- a recipient is *deceased* for a payment when ``death_date < 1 January`` of the
  payment's ``year`` (death year < year); dying during the subsidy year is no clue;
- area and amounts are compared after rounding (area to 0.0001 mu, money to the
  cent), so exactly 1% more area, or an amount exactly 1 yuan off, is no clue;
- AREA-EXCESS and DUPLICATE concern one certificate in one year: their evidence
  is every payment of that certificate-year, and the clue's subject is the
  smallest payment id among them;
- an heir in the deceased holder's household may lawfully receive the
  holder's compensation (HOLDER-MISMATCH compares households, not life);
- OFFICIAL-LINK: a payment flagged by another FOR- rule whose recipient is a
  village official of the payment's village (term covering the paid date) or in
  that official's household, or whose account is an account that official has
  received a payment on.

Example (in a notebook)::

    from huiyan.models import forest_subsidy as m
    found = hy.clues.collect(*m.run_rules(ws, region="331124"))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import ibis
import ibis.expr.types as ir

from huiyan import registers
from huiyan.canonical import keyed
from huiyan.counties import by_county, same_county
from huiyan.rules import Hits, computed_once, evidence_records, parameters, ref, rule, strip
from huiyan.workspace import Workspace

MODEL = "forest_subsidy"
DATASETS = ("forest_subsidies", "forest_rights", "deaths", "households", "village_officials")
WELFARE = "公益林"

PARAMETERS: dict[str, tuple[Any, str, str]] = {
    "area_tolerance": (0.01, "float", "补偿面积超过登记面积的比例上限（0.01 即 1%）"),
    "amount_tolerance": (1.0, "float", "发放金额与面积×标准之差允许的元数"),
}

_FRAUD = "《刑法》第二百六十六条（诈骗）、第三百八十二条（贪污）"
_BASIS = "《森林法》第七条、第二十九条；《浙江省公益林和森林公园条例》第十六条至第十八条"


def _pay_ref(t: ir.Table) -> ir.StringValue:
    return ref("forest_subsidies", t.payment_id)


def _payments(subsidies: ir.Table) -> ir.Table:
    s = keyed(subsidies, "forest_subsidies")
    return s.mutate(r_pid=s.recipient_id_key, cert=s.cert_no_key, acct=s.account_no_key)


def _rights(rights: ir.Table) -> ir.Table:
    r = keyed(rights, "forest_rights")
    return r.select(
        f_cert=r.cert_no_key,
        holder_id=r.holder_id_key,
        holder_name=r.holder_name,
        reg_area=r.area_mu,
        forest_type=strip(r.forest_type),
        right_ref=ref("forest_rights", r.cert_no),
    )


# -- what each rule flags ---------------------------------------------------------------------


def _deceased(subsidies: ir.Table, deaths: ir.Table) -> ir.Table:
    pay = _payments(subsidies)
    deaths = keyed(deaths, "deaths")
    d = deaths.select(
        d_pid=deaths.person_id_key,
        death_date=deaths.death_date,
        death_ref=ref("deaths", deaths.person_id),
    )
    j = pay.join(d, pay.r_pid == d.d_pid)
    return j.filter(j.death_date.year() < j.year)


def _no_right(subsidies: ir.Table, rights: ir.Table) -> ir.Table:
    pay = _payments(subsidies)
    r = _rights(rights)
    j = pay.left_join(r, pay.cert == r.f_cert)
    return j.filter(j.f_cert.isnull() | (j.forest_type != WELFARE))


def _cert_years(subsidies: ir.Table) -> ir.Table:
    """Certificate-years: payments, area, amount (numbers only: the names, the smallest
    payment id and the lists are taken for the flagged few, see _members)."""
    pay = _payments(subsidies).filter(lambda t: t.cert.notnull())
    return pay.group_by(*by_county(pay), g_cert=pay.cert, g_year=pay.year).aggregate(
        payments=pay.payment_id.count(),
        paid_area=pay.area_mu.sum(),
        total=pay.amount.sum(),
    )


def _members(subsidies: ir.Table, groups: ir.Table) -> ir.Table:
    """Flagged certificate-years with ``evidence`` (every payment), ``recipients``, the
    smallest payment id (``first_id``), ``region`` and ``village``.

    These are built for the flagged groups only, not for every certificate-year.
    """
    pay = _payments(subsidies)
    keys = groups.select(*by_county(groups), k_cert=groups.g_cert, k_year=groups.g_year).distinct()
    j = pay.join(
        keys, [(pay.cert == keys.k_cert) & (pay.year == keys.k_year), *same_county(pay, keys)]
    )
    lists = j.group_by(*by_county(j), m_cert=j.k_cert, m_year=j.k_year).aggregate(
        evidence=ref("forest_subsidies", j.payment_id).collect(distinct=True),
        recipients=j.recipient_name.collect(distinct=True).sort().join("、"),
        first_id=j.payment_id.min(),
        region=j.region.min(),
        village=j.village.min(),
    )
    return groups.join(
        lists,
        [
            (groups.g_cert == lists.m_cert) & (groups.g_year == lists.m_year),
            *same_county(groups, lists),
        ],
    )


def _area_excess(subsidies: ir.Table, rights: ir.Table, *, area_tolerance: float) -> ir.Table:
    cy = _cert_years(subsidies)
    r = _rights(rights)
    j = cy.join(r, cy.g_cert == r.f_cert)
    return j.filter(
        (j.reg_area > 0)
        & (j.paid_area.round(4) > (j.reg_area * (1.0 + float(area_tolerance))).round(4))
    )


def _duplicate(subsidies: ir.Table) -> ir.Table:
    cy = _cert_years(subsidies)
    return cy.filter(cy.payments > 1)


def _households(households: ir.Table) -> ir.Table:
    """Household members (``h_pid``, ``h_id``; ``h_raw`` the id as written, for references).

    The canonical ids stored in the snapshot (huiyan.canonical): nothing is normalised here.
    """
    households = keyed(households, "households")
    hh = households.select(
        h_pid=households.person_id_key,
        h_id=households.household_id_key,
        h_raw=households.person_id,
    )
    return hh.filter(hh.h_id.notnull())


def _holder_mismatch(subsidies: ir.Table, rights: ir.Table, households: ir.Table) -> ir.Table:
    pay = _payments(subsidies)
    r = _rights(rights)
    hh = _households(households)
    mine = hh.view().select(m_pid="h_pid", m_id="h_id")
    theirs = hh.view().select(t_pid="h_pid", t_id="h_id")
    j = (
        pay.join(r, pay.cert == r.f_cert)
        .left_join(mine, pay.r_pid == mine.m_pid)
        .left_join(theirs, r.holder_id == theirs.t_pid)
    )
    same_household = j.m_id.notnull() & (j.m_id == j.t_id)
    return j.filter(
        (j.r_pid.isnull() | (j.r_pid != j.holder_id)) & ~same_household.fill_null(False)
    )


def _amount_mismatch(subsidies: ir.Table, *, amount_tolerance: float) -> ir.Table:
    pay = _payments(subsidies)
    expected = (pay.area_mu * pay.rate).round(2)
    diff = (pay.amount - expected).round(2)
    pay = pay.mutate(expected=expected, diff=diff)
    return pay.filter(pay.diff.abs() > float(amount_tolerance))


# -- rules -------------------------------------------------------------------------------------


@rule(
    "FOR-DECEASED",
    model=MODEL,
    zh="领取人在补偿年度开始前已死亡",
    basis=f"{_BASIS}；{_FRAUD}",
    subject_type="payment",
    summary=(
        "{village}{year}年度公益林补偿{amount:,.2f}元（流水号{subject_id}）发放给{subject_name}，"
        "但其已于{death_date}死亡，早于该补偿年度开始，可能被冒领"
        "（森林法第二十九条；浙江省公益林和森林公园条例第十六条、第十七条；刑法第二百六十六条、第三百八十二条）。"
    ),
    needs=("forest_subsidies.recipient_id", "deaths.death_date"),
    score=0.9,
)
@computed_once
def deceased(subsidies: ir.Table, deaths: ir.Table) -> ir.Table:
    """Payments whose recipient died before 1 January of the subsidy year."""
    hit = _deceased(subsidies, deaths)
    return hit.select(
        subject_id=hit.payment_id,
        region=hit.region,
        subject_name=hit.recipient_name,
        evidence=ibis.array([_pay_ref(hit)]),
        context=ibis.array([hit.death_ref]),
        amount=hit.amount,
        village=hit.village,
        year=hit.year,
        death_date=hit.death_date.cast("string"),
    )


@rule(
    "FOR-NO-RIGHT",
    model=MODEL,
    zh="林权证未登记或登记林种不是公益林",
    basis=_BASIS,
    subject_type="payment",
    summary=(
        "{village}{subject_name}以林权证{cert_no}领取{year}年度公益林补偿{amount:,.2f}元，但{reason}，"
        "不属于应予补偿的公益林（森林法第七条、第二十九条；浙江省公益林和森林公园条例第十六条）。"
    ),
    needs=("forest_subsidies.cert_no", "forest_rights.forest_type"),
    score=0.8,
)
@computed_once
def no_right(subsidies: ir.Table, rights: ir.Table) -> ir.Table:
    """Payments for a certificate that is not registered, or not registered as 公益林."""
    hit = _no_right(subsidies, rights)
    missing = hit.f_cert.isnull()
    return hit.select(
        subject_id=hit.payment_id,
        region=hit.region,
        subject_name=hit.recipient_name,
        evidence=ibis.array([_pay_ref(hit)]),
        context=ibis.cases(
            (missing, ibis.literal([], type="array<string>")), else_=ibis.array([hit.right_ref])
        ),
        score=ibis.cases((missing, 0.85), else_=0.75),
        amount=hit.amount,
        village=hit.village,
        year=hit.year,
        cert_no=hit.cert_no,
        reason=ibis.cases(
            (missing, ibis.literal("该林权证号在林权登记中不存在")),
            else_=ibis.literal("该林权证登记林种为").concat(hit.forest_type),
        ),
    )


@rule(
    "FOR-AREA-EXCESS",
    model=MODEL,
    zh="同一林权证一年内补偿面积超过登记面积百分之一以上",
    basis=f"{_BASIS}；{_FRAUD}",
    subject_type="payment",
    summary=(
        "林权证{cert_no}（{village}）{year}年度按{paid_area:,.2f}亩发放补偿{payments}笔共{amount:,.2f}元，"
        "超出登记面积{reg_area:,.2f}亩的{excess_pct:.1f}%（允许{tolerance_pct:g}%），面积可能虚报"
        "（浙江省公益林和森林公园条例第九条、第十六条；刑法第二百六十六条、第三百八十二条）。"
    ),
    needs=("forest_subsidies.area_mu", "forest_rights.area_mu"),
    score=0.75,
)
@computed_once
def area_excess(subsidies: ir.Table, rights: ir.Table, *, area_tolerance: float = 0.01) -> ir.Table:
    """Certificate-years paid for more than the registered area plus ``area_tolerance``."""
    hit = _members(subsidies, _area_excess(subsidies, rights, area_tolerance=area_tolerance))
    excess = (hit.paid_area / hit.reg_area - 1.0) * 100
    return hit.select(
        subject_id=hit.first_id,
        region=hit.region,
        evidence=hit.evidence,
        context=ibis.array([hit.right_ref]),
        score=ibis.least(0.95, 0.6 + excess / 100),
        amount=hit.total,
        cert_no=hit.g_cert,
        village=hit.village,
        year=hit.g_year,
        payments=hit.payments,
        paid_area=hit.paid_area,
        reg_area=hit.reg_area,
        excess_pct=excess,
        tolerance_pct=ibis.literal(float(area_tolerance) * 100),
    )


@rule(
    "FOR-DUPLICATE",
    model=MODEL,
    zh="同一林权证同一年度重复发放补偿",
    basis=f"{_BASIS}；{_FRAUD}",
    subject_type="payment",
    summary=(
        "林权证{cert_no}（{village}）{year}年度被发放补偿{payments}笔（领取人：{recipients}），"
        "合计{amount:,.2f}元，一证一年多次发放（浙江省公益林和森林公园条例第十六条、第十七条；"
        "刑法第二百六十六条、第三百八十二条）。"
    ),
    needs=("forest_subsidies.cert_no", "forest_subsidies.year"),
    score=0.85,
)
@computed_once
def duplicate(subsidies: ir.Table) -> ir.Table:
    """Certificates paid more than once in one year; evidence: every payment of that year."""
    hit = _members(subsidies, _duplicate(subsidies))
    return hit.select(
        subject_id=hit.first_id,
        region=hit.region,
        evidence=hit.evidence,
        amount=hit.total,
        cert_no=hit.g_cert,
        village=hit.village,
        year=hit.g_year,
        payments=hit.payments,
        recipients=hit.recipients,
    )


@rule(
    "FOR-HOLDER-MISMATCH",
    model=MODEL,
    zh="领取人既不是林权权利人，也不是权利人同户家庭成员",
    basis=_BASIS,
    subject_type="payment",
    summary=(
        "{year}年度林权证{cert_no}（{village}）的补偿{amount:,.2f}元发放给{subject_name}，但登记权利人为"
        "{holder_name}，领取人既非权利人也非其同户家庭成员，且无补偿收益权转让依据"
        "（浙江省公益林和森林公园条例第十六条、第十八条；森林法第二十九条）。"
    ),
    needs=("forest_subsidies.recipient_id", "forest_rights.holder_id", "households.household_id"),
    score=0.7,
)
@computed_once
def holder_mismatch(subsidies: ir.Table, rights: ir.Table, households: ir.Table) -> ir.Table:
    """Payments to someone who is neither the right holder nor in the holder's household."""
    hit = _holder_mismatch(subsidies, rights, households)
    return hit.select(
        subject_id=hit.payment_id,
        region=hit.region,
        subject_name=hit.recipient_name,
        evidence=ibis.array([_pay_ref(hit)]),
        context=ibis.array([hit.right_ref]),
        amount=hit.amount,
        village=hit.village,
        year=hit.year,
        cert_no=hit.cert_no,
        holder_name=hit.holder_name,
    )


@rule(
    "FOR-AMOUNT-MISMATCH",
    model=MODEL,
    zh="发放金额与补偿面积乘以补偿标准相差超过一元",
    basis=f"{_BASIS}；{_FRAUD}",
    subject_type="payment",
    summary=(
        "流水号{subject_id}（{village}，{year}年度）发放{amount:,.2f}元，与补偿面积{area_mu:,.2f}亩×"
        "标准{rate:,.2f}元/亩={expected:,.2f}元相差{diff:,.2f}元（允许{amount_tolerance:g}元），"
        "补偿资金专款专用，多发少发均需核实（森林法第二十九条；浙江省公益林和森林公园条例第十七条）。"
    ),
    needs=("forest_subsidies.amount", "forest_subsidies.rate"),
    score=0.65,
)
@computed_once
def amount_mismatch(subsidies: ir.Table, *, amount_tolerance: float = 1.0) -> ir.Table:
    """Payments whose amount differs from area x rate by more than ``amount_tolerance`` yuan."""
    hit = _amount_mismatch(subsidies, amount_tolerance=amount_tolerance)
    return hit.select(
        subject_id=hit.payment_id,
        region=hit.region,
        subject_name=hit.recipient_name,
        evidence=ibis.array([_pay_ref(hit)]),
        score=ibis.cases((hit.diff > 0, 0.75), else_=0.55),
        amount=hit.amount,
        village=hit.village,
        year=hit.year,
        area_mu=hit.area_mu,
        rate=hit.rate,
        expected=hit.expected,
        diff=hit.diff,
        amount_tolerance=ibis.literal(float(amount_tolerance)),
    )


@rule(
    "FOR-OFFICIAL-LINK",
    model=MODEL,
    zh="问题补偿款的领取人或收款账户属于本村村干部或其同户家庭成员",
    basis=f"{_FRAUD}；《浙江省公益林和森林公园条例》第十七条；全国人大常委会关于《刑法》第九十三条第二款的解释",
    subject_type="payment",
    summary=(
        "{village}{year}年度补偿{amount:,.2f}元（流水号{subject_id}，领取人{subject_name}）已触发{rules}，"
        "且{link}，可能存在村干部利用职务便利侵吞、截留补偿资金（刑法第三百八十二条、第二百六十六条；"
        "浙江省公益林和森林公园条例第十七条）。"
    ),
    needs=("village_officials.person_id", "forest_subsidies.account_no"),
    score=0.9,
)
def official_link(
    subsidies: ir.Table, households: ir.Table, officials: ir.Table, flagged: Sequence[Hits]
) -> ir.Table:
    """Payments in the evidence of the ``flagged`` hits (the other FOR- rules) whose recipient
    or account belongs to a village official of the payment's village or their household.

    The other rules' hits are computed once (they are kept when called): this rule reads
    them, it does not evaluate them again.
    """
    pay = _payments(subsidies)
    officials = keyed(officials, "village_officials")
    o = officials.select(
        o_pid=officials.person_id_key,
        o_name=officials.name,
        o_region=officials.region,
        o_village=officials.village_key,
        o_pos=officials.position,
        o_start=officials.term_start,
        o_end=officials.term_end,
        o_ref=ref(
            "village_officials", officials.person_id, officials.village, officials.term_start
        ),
    )
    hh = _households(households)

    def in_office(t: ir.Table) -> ir.BooleanValue:
        return (
            (t.o_region == t.region)
            & (t.o_village == t.village_key)
            & (t.o_start <= t.paid_date)
            & (t.o_end.isnull() | (t.o_end >= t.paid_date))
        )

    own = pay.join(o, pay.r_pid == o.o_pid)
    own = own.filter(in_office(own)).select(
        l_id=own.payment_id,
        ctx=own.o_ref,
        link=ibis.literal("领取人本人是本村").concat(own.o_pos),
    )
    # the officials' households first (few), then their members, then those members' payments
    oh = hh.view().rename(x_pid="h_pid", x_id="h_id", x_raw="h_raw")
    official_hh = o.join(oh, o.o_pid == oh.x_pid)
    mine = hh.view().rename(m_pid="h_pid", m_id="h_id", m_raw="h_raw")
    members = mine.join(
        official_hh, (mine.m_id == official_hh.x_id) & (official_hh.x_pid != mine.m_pid)
    )
    fam = pay.join(members, pay.r_pid == members.m_pid)
    fam = fam.filter(in_office(fam))
    family = fam.select(
        l_id=fam.payment_id,
        ctx=fam.o_ref,
        link=ibis.literal("领取人与本村").concat(fam.o_pos, fam.o_name, "同户"),
    ).union(
        fam.select(
            l_id=fam.payment_id,
            ctx=ref("households", fam.m_raw),
            link=ibis.literal("领取人与本村").concat(fam.o_pos, fam.o_name, "同户"),
        )
    )
    every = pay.view()
    # the accounts officials were paid on: the officials' own payments first (few)
    theirs = every.filter(every.acct.notnull()).semi_join(o, every.r_pid == o.o_pid)
    known = theirs.select(*by_county(theirs), a_pid=theirs.r_pid, a_acct=theirs.acct).distinct()
    accts = known.join(o, known.a_pid == o.o_pid)
    with_acct = pay.filter(pay.acct.notnull())
    acc = with_acct.join(accts, [with_acct.acct == accts.a_acct, *same_county(with_acct, accts)])
    acc = acc.filter(in_office(acc))
    account = acc.select(
        l_id=acc.payment_id,
        ctx=acc.o_ref,
        link=ibis.literal("收款账号").concat(
            acc.acct, "是本村", acc.o_pos, acc.o_name, "领取补偿使用的账号"
        ),
    )
    links = ibis.union(own, family, account)
    linked_ids = links.select(f_id=links.l_id).distinct()
    marked = linked_ids.mutate(f_ref=ref("forest_subsidies", linked_ids.f_id))
    records = evidence_records(flagged, excluding="FOR-OFFICIAL-LINK")
    flags = marked.join(records.select(f_ref=records.record, f_rule=records.rule), "f_ref")
    rules_per = flags.group_by("f_id").aggregate(
        rules=flags.f_rule.collect(distinct=True).sort().join("、")
    )
    # the links' wording and records, for the flagged payments only
    reaching = links.semi_join(rules_per, links.l_id == rules_per.f_id)
    per = reaching.group_by("l_id").aggregate(
        link=reaching.link.collect(distinct=True).sort().join("；"),
        context=reaching.ctx.collect(distinct=True),
    )
    linked = pay.join(per, pay.payment_id == per.l_id)
    hit = linked.join(rules_per, linked.payment_id == rules_per.f_id)
    return hit.select(
        subject_id=hit.payment_id,
        region=hit.region,
        subject_name=hit.recipient_name,
        evidence=ibis.array([_pay_ref(hit)]),
        context=hit.context,
        amount=hit.amount,
        village=hit.village,
        year=hit.year,
        rules=hit.rules,
        link=hit.link,
    )


# -- the whole model ---------------------------------------------------------------------------


class Inputs(NamedTuple):
    """The model's tables for one run (see :func:`inputs`)."""

    payments: ir.Table
    rights: ir.Table
    deaths: ir.Table
    households: ir.Table
    officials: ir.Table


def inputs(ws: Workspace, *, region: str = "") -> Inputs:
    """The county's payments, the registers, and the household register read once for every
    rule (huiyan.registers).

    The rules look up recipients, right holders and officials' households only: households
    are narrowed to those rows once and kept for the run; a rule given the whole register
    finds the same hits.
    """
    pay = keyed(ws.table("forest_subsidies", region=region), "forest_subsidies")
    rights = keyed(ws.table("forest_rights"), "forest_rights")
    officials = keyed(ws.table("village_officials"), "village_officials")
    people = ibis.union(
        pay.select(p=pay.recipient_id_key),
        rights.select(p=rights.holder_id_key),
        officials.select(p=officials.person_id_key),
    ).p
    everyone = ws.table("households")
    homes = registers.about(everyone, "households", "person_id_key", officials.person_id_key)
    households = registers.keep(  # the people's own rows and the officials' households, one read
        registers.about_any(
            everyone,
            "households",
            {"person_id_key": people, "household_id_key": homes.household_id_key},
        )
    )
    return Inputs(pay, rights, ws.table("deaths"), households, officials)


def run_rules(ws: Workspace, *, region: str = "", **params: Any) -> list[Hits]:
    """Evaluate every rule of the model on the workspace (one county, or all when region is "")."""
    p = parameters(MODEL, {name: spec[0] for name, spec in PARAMETERS.items()}, params)
    area_tol, amount_tol = float(p["area_tolerance"]), float(p["amount_tolerance"])
    pay, rights, deaths, hh, officials = inputs(ws, region=region)
    flagged = [
        deceased(pay, deaths),
        no_right(pay, rights),
        area_excess(pay, rights, area_tolerance=area_tol),
        duplicate(pay),
        holder_mismatch(pay, rights, hh),
        amount_mismatch(pay, amount_tolerance=amount_tol),
    ]
    return [*flagged, official_link(pay, hh, officials, flagged)]
