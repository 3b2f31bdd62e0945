"""Rules of bankruptcy_labor_claims on small hand-built claim lists, boundaries included."""

from __future__ import annotations

import datetime as dt
from typing import Any

import huiyan.clues as hc
import ibis
import numpy as np
import pandas as pd
import pytest
from huiyan import contracts
from huiyan.models import bankruptcy_labor_claims as m

D = dt.date
HIRE = D(2019, 1, 10)
ACC = D(2022, 6, 15)  # court accepted the bankruptcy; acceptance month 2022-06


def _table(dataset: str, rows: list[dict[str, Any]]) -> ibis.Table:
    ds = contracts.dataset(dataset)
    frame = pd.DataFrame(rows, columns=list(ds.column_names))
    types = {
        "string": "string",
        "text": "string",
        "date": "date",
        "month": "date",
        "money": "float64",
        "number": "float64",
        "int": "int64",
        "bool": "boolean",
    }
    schema = {c.name: types[c.type] for c in ds.columns}
    return ibis.memtable(frame, schema=schema)


def claim(
    cid: str,
    pid: str,
    *,
    debtor: str = "ORG1",
    wage: float | None = 5000.0,
    months: int | None = 3,
    hire: D | None = HIRE,
    acc: D = ACC,
    amount: float | None = None,
    ctype: str = "职工债权",
) -> dict[str, Any]:
    return {
        "claim_id": cid,
        "case_no": "（2022）浙0602破1号",
        "region": "330602",
        "debtor_org_id": debtor,
        "debtor_name": f"{debtor}公司",
        "claimant_name": f"申报人{cid}",
        "claimant_id": pid,
        "claim_type": ctype,
        "amount": amount if amount is not None else (wage or 0) * (months or 1),
        "monthly_wage": wage,
        "months_owed": months,
        "position": "工人",
        "hire_date": hire,
        "filed_date": acc,
        "accepted_date": acc,
        "confirmed": True,
    }


def job(pid: str, org: str, start: D, end: D | None = None) -> dict[str, Any]:
    return {
        "person_id": pid,
        "name": "x",
        "employer_name": f"{org}公司",
        "employer_org_id": org,
        "region": "330602",
        "start_month": start,
        "end_month": end,
    }


def flagged(hits: Any) -> set[str]:
    return set(hits.table.execute().subject_id)


# -- BLC-NO-CONTRIBUTIONS ----------------------------------------------------------------------


def test_no_contributions_uses_hire_month_to_acceptance_month() -> None:
    claims = _table(
        "bankruptcy_claims",
        [
            claim("none", "P1"),
            claim("ended_before_hire", "P2", hire=D(2020, 3, 1)),
            claim("starts_in_acceptance_month", "P3"),
            claim("other_employer_only", "P4"),
            claim("no_hire_covered_owed", "P5", hire=None, months=3),
            claim("no_hire_before_owed", "P6", hire=None, months=3),
            claim("tax", "P7", ctype="税款债权"),
        ],
    )
    ss = _table(
        "social_security",
        [
            job(
                "P2", "ORG1", D(2018, 1, 1), D(2020, 2, 1)
            ),  # left the month before the claimed hire
            job("P3", "ORG1", D(2022, 6, 1)),  # registered only in the acceptance month: covered
            job("P4", "ORG9", D(2018, 1, 1)),
            job("P5", "ORG1", D(2022, 3, 1), D(2022, 3, 1)),  # the first month owed
            job(
                "P6", "ORG1", D(2021, 1, 1), D(2022, 2, 1)
            ),  # ends the month before the months owed
        ],
    )
    hits = m.no_contributions(claims, ss)
    assert flagged(hits) == {
        "none",
        "ended_before_hire",
        "other_employer_only",
        "no_hire_before_owed",
    }
    row = hits.table.execute().set_index("subject_id").loc["ended_before_hire"]
    assert (row.span_from, row.span_to) == ("2020-03", "2022-06")
    assert list(row.evidence) == ["bankruptcy_claims:ended_before_hire"]


def test_no_contributions_matches_lower_case_x_and_spaces() -> None:
    claims = _table("bankruptcy_claims", [claim("c", " 33060219800101123x ")])
    ss = _table("social_security", [job("33060219800101123X", "ORG1", D(2019, 1, 1))])
    assert flagged(m.no_contributions(claims, ss)) == set()


# -- BLC-INSIDER -------------------------------------------------------------------------------


def _people_tables() -> tuple[ibis.Table, ibis.Table]:
    ep = _table(
        "enterprise_people",
        [
            {"org_id": "ORG1", "person_id": "BOSS", "name": "老板", "role": "法定代表人"},
            {"org_id": "ORG1", "person_id": "SH", "name": "股东甲", "role": "股东"},
            {"org_id": "ORG2", "person_id": "OTHER", "name": "别家老板", "role": "法定代表人"},
        ],
    )
    hh = _table(
        "households",
        [
            {"person_id": "BOSS", "name": "老板", "household_id": "H1", "relation": "户主"},
            {"person_id": "SON", "name": "儿子", "household_id": "H1", "relation": "子女"},
            {"person_id": "OTHER", "name": "别家老板", "household_id": "H2", "relation": "户主"},
            {"person_id": "NEPHEW", "name": "外人", "household_id": "H2", "relation": "子女"},
            {"person_id": "W", "name": "职工", "household_id": "H3", "relation": "户主"},
            {"person_id": "BLANK", "name": "空户", "household_id": "", "relation": "户主"},
            {"person_id": "BLANK2", "name": "空户2", "household_id": "", "relation": "户主"},
        ],
    )
    return ep, hh


def test_insider_officer_shareholder_and_household_member() -> None:
    ep, hh = _people_tables()
    claims = _table(
        "bankruptcy_claims",
        [
            claim("shareholder", "SH"),
            claim("son", "SON"),
            claim("worker", "W"),
            claim("other_company_relative", "NEPHEW"),
            claim("blank_household", "BLANK"),
            claim("boss_at_other_debtor", "BOSS", debtor="ORG3"),
        ],
    )
    hits = m.insider(claims, ep, hh).table.execute().set_index("subject_id")
    assert set(hits.index) == {"shareholder", "son"}
    assert "households:SON" in hits.loc["son"].context
    assert "enterprise_people:ORG1|BOSS|法定代表人" in hits.loc["son"].context
    assert hits.loc["shareholder"].score > hits.loc["son"].score


# -- BLC-LATE-HIRE -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hire", "acc", "late"),
    [
        (D(2021, 12, 15), D(2022, 6, 15), False),  # exactly 6 months
        (D(2021, 12, 16), D(2022, 6, 15), True),  # one day short of 6 months
        (D(2021, 12, 14), D(2022, 6, 15), False),
        (D(2021, 8, 31), D(2022, 2, 28), False),  # month-end: +6 months is 2022-02-28
        (D(2021, 9, 1), D(2022, 2, 28), True),
        (D(2022, 7, 1), D(2022, 6, 15), True),  # hired after acceptance
    ],
    ids=[
        "exactly-6",
        "6-minus-a-day",
        "6-plus-a-day",
        "month-end-exact",
        "month-end-late",
        "after",
    ],
)
def test_late_hire_boundary(hire: D, acc: D, late: bool) -> None:
    claims = _table("bankruptcy_claims", [claim("c", "P", hire=hire, acc=acc, months=1)])
    assert flagged(m.late_hire(claims, late_hire_months=6)) == ({"c"} if late else set())


def test_late_hire_with_contributions_is_not_no_contributions() -> None:
    claims = _table("bankruptcy_claims", [claim("c", "P", hire=D(2022, 3, 1), months=2)])
    ss = _table("social_security", [job("P", "ORG1", D(2022, 3, 1))])
    assert flagged(m.late_hire(claims)) == {"c"}
    assert flagged(m.no_contributions(claims, ss)) == set()


# -- BLC-WAGE-OUTLIER --------------------------------------------------------------------------


def test_wage_outlier_excludes_itself_and_exactly_3x_is_no_clue() -> None:
    rows = [claim(f"w{i}", f"P{i}", wage=w) for i, w in enumerate([4000.0, 5000.0, 6000.0])]
    rows += [claim("exact", "PX", wage=15000.0), claim("tax", "PT", wage=None, ctype="普通债权")]
    claims = _table("bankruptcy_claims", rows)
    # others of "exact": 4000, 5000, 6000 -> median 5000; 3 x 5000 = 15000 is no clue
    assert flagged(m.wage_outlier(claims, wage_ratio=3.0)) == set()
    rows[3] = claim("over", "PX", wage=15000.01)
    hits = m.wage_outlier(_table("bankruptcy_claims", rows), wage_ratio=3.0).table.execute()
    assert list(hits.subject_id) == ["over"]
    assert hits["median"].iloc[0] == 5000.0 and hits["peers"].iloc[0] == 3


def _brute_median(wages: list[float]) -> list[float]:
    return [float(np.median(wages[:i] + wages[i + 1 :])) for i in range(len(wages))]


@pytest.mark.parametrize("n", [2, 3, 4, 5, 8, 9])
def test_leave_one_out_median_matches_brute_force(n: int) -> None:
    rng = np.random.default_rng(n)
    wages = [float(x) for x in rng.integers(30, 90, n) * 100]
    claims = _table(
        "bankruptcy_claims", [claim(f"c{i}", f"P{i}", wage=w) for i, w in enumerate(wages)]
    )
    got = m._leave_one_out_median(m._labour(claims)).execute().set_index("m_claim")
    assert [got.loc[f"c{i}", "median"] for i in range(n)] == _brute_median(wages)


def test_generator_leave_one_out_matches_brute_force() -> None:
    from huiyan.synth.bankruptcy import _loo

    w = np.array([5000.0, 3000.0, 3000.0, 9000.0, 4000.0, 7000.0])
    med, mean = _loo(w)
    assert med.tolist() == _brute_median(w.tolist())
    assert mean[0] == pytest.approx((w.sum() - 5000) / 5)


# -- BLC-EMPLOYED-ELSEWHERE --------------------------------------------------------------------


def test_employed_elsewhere_needs_every_month_owed() -> None:
    # months owed 2022-03 .. 2022-05
    claims = _table(
        "bankruptcy_claims", [claim(c, c) for c in ("full", "partial", "debtor", "ended")]
    )
    ss = _table(
        "social_security",
        [
            job("full", "ORG9", D(2022, 3, 1)),  # from the first month owed, still open
            job("partial", "ORG9", D(2022, 4, 1)),  # misses the first month owed
            job("debtor", "ORG1", D(2015, 1, 1)),  # the debtor itself
            job("ended", "ORG9", D(2020, 1, 1), D(2022, 4, 1)),  # ends before the last month owed
        ],
    )
    hits = m.employed_elsewhere(claims, ss).table.execute()
    assert list(hits.subject_id) == ["full"]
    assert list(hits.context.iloc[0]) == ["social_security:full|ORG9|2022-03-01"]


# -- BLC-MULTI-DEBTOR --------------------------------------------------------------------------


def test_multi_debtor_overlapping_months_only() -> None:
    claims = _table(
        "bankruptcy_claims",
        [
            claim("a1", "P1", debtor="ORG1", acc=D(2022, 6, 15), months=3),  # 2022-03..05
            claim("a2", "P1", debtor="ORG2", acc=D(2022, 9, 1), months=4),  # 2022-05..08: overlaps
            claim("b1", "P2", debtor="ORG1", acc=D(2022, 6, 15), months=3),
            claim("b2", "P2", debtor="ORG2", acc=D(2022, 9, 1), months=3),  # 2022-06..08: disjoint
            claim("c1", "P3", debtor="ORG1", months=3),
            claim("c2", "P3", debtor="ORG1", months=3),
        ],
    )
    hits = m.multi_debtor(claims).table.execute()
    assert list(hits.subject_id) == ["P1"]
    assert sorted(hits.evidence.iloc[0]) == ["bankruptcy_claims:a1", "bankruptcy_claims:a2"]
    assert hits.debtors.iloc[0] == 2 and hits.amount.iloc[0] == 15000.0 + 20000.0


# -- BLC-LARGE-CLAIM ---------------------------------------------------------------------------


def test_large_claim_is_above_not_at_and_labour_only() -> None:
    claims = _table(
        "bankruptcy_claims",
        [
            claim("at", "P1", amount=300000.0),
            claim("above", "P2", amount=300000.01),
            claim("ordinary", "P3", amount=900000.0, ctype="普通债权"),
        ],
    )
    assert flagged(m.large_claim(claims, large_claim=300000)) == {"above"}


# -- BLC-OFFICER-CAP ---------------------------------------------------------------------------


def test_officer_cap_roles_and_average_boundary() -> None:
    ep = _table(
        "enterprise_people",
        [
            {"org_id": "ORG1", "person_id": "MGR", "name": "经理", "role": "经理"},
            {"org_id": "ORG1", "person_id": "EQ", "name": "监事", "role": "监事"},
            {"org_id": "ORG1", "person_id": "SH", "name": "股东", "role": "股东"},
            {"org_id": "ORG1", "person_id": "CFO", "name": "财务", "role": "财务负责人"},
        ],
    )
    rows = [claim(f"w{i}", f"P{i}", wage=w) for i, w in enumerate([4000.0, 5000.0, 6000.0])]
    rows += [claim("mgr", "MGR", wage=9000.0), claim("sh", "SH", wage=9000.0)]
    claims = _table("bankruptcy_claims", rows)
    hits = m.officer_cap(claims, ep).table.execute().set_index("subject_id")
    assert set(hits.index) == {"mgr"}
    # others of mgr: 4000, 5000, 6000, 9000 -> 6000
    assert hits.loc["mgr"].average == 6000.0 and hits.loc["mgr"].roles == "经理"
    # exactly the average of the others is no clue: others 4000, 5000, 6000 -> 5000
    rows2 = [*rows[:3], claim("eq", "EQ", wage=5000.0), claim("cfo", "CFO", wage=5000.01)]
    got = flagged(m.officer_cap(_table("bankruptcy_claims", rows2), ep))
    assert got == {"cfo"}
    # the role list is a parameter: without 财务负责人 the CFO is no clue
    assert (
        flagged(
            m.officer_cap(_table("bankruptcy_claims", rows2), ep, officer_roles="董事,监事,经理")
        )
        == set()
    )


# -- collecting --------------------------------------------------------------------------------


def test_summaries_fill_and_name_the_law() -> None:
    ep, hh = _people_tables()
    claims = _table(
        "bankruptcy_claims",
        [
            claim("son", "SON", amount=400000.0, hire=D(2022, 3, 1)),
            claim("w", "W"),
            claim("m2", "W", debtor="ORG2"),
        ],
    )
    ss = _table("social_security", [job("W", "ORG1", D(2019, 1, 1))])
    found = hc.collect(
        m.no_contributions(claims, ss),
        m.insider(claims, ep, hh),
        m.late_hire(claims),
        m.wage_outlier(claims),
        m.employed_elsewhere(claims, ss),
        m.multi_debtor(claims),
        m.large_claim(claims),
        m.officer_cap(claims, ep),
        version="test",
    )
    assert set(found.frame.rule) >= {
        "BLC-NO-CONTRIBUTIONS",
        "BLC-INSIDER",
        "BLC-LATE-HIRE",
        "BLC-MULTI-DEBTOR",
        "BLC-LARGE-CLAIM",
        "BLC-EMPLOYED-ELSEWHERE",
    }
    assert found.frame.summary.str.contains("第").all()
    multi = found.frame[found.frame.rule == "BLC-MULTI-DEBTOR"].iloc[0]
    assert multi.subject_type == "person" and multi.subject_id == "W"
    assert all(0 <= s <= 1 for s in found.frame.score)


def test_run_rules_rejects_unknown_parameter(tmp_path: Any) -> None:
    import huiyan as hy
    from huiyan.errors import ParameterError

    with pytest.raises(ParameterError, match="wage_ration"):
        m.run_rules(hy.workspace(tmp_path), wage_ration=2)
