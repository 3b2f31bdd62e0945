"""Rules of forest_subsidy on a small hand-built village, boundaries and the heir included."""

from __future__ import annotations

import datetime as dt
from typing import Any

import huiyan.clues as hc
import ibis
import pandas as pd
import pytest
from huiyan import contracts
from huiyan.models import forest_subsidy as m

D = dt.date
V = "竹源村"


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
    return ibis.memtable(frame, schema={c.name: types[c.type] for c in ds.columns})


def pay(
    pid: str,
    recipient: str,
    cert: str,
    *,
    year: int = 2023,
    area: float = 10.0,
    rate: float = 40.0,
    amount: float | None = None,
    account: str | None = None,
    village: str = V,
) -> dict[str, Any]:
    return {
        "payment_id": pid,
        "year": year,
        "region": "331124",
        "village": village,
        "recipient_name": f"领取人{recipient}",
        "recipient_id": recipient,
        "cert_no": cert,
        "area_mu": area,
        "rate": rate,
        "amount": round(area * rate, 2) if amount is None else amount,
        "account_no": account if account is not None else f"acct-{recipient}",
        "paid_date": D(year, 7, 1),
    }


def right(cert: str, holder: str, *, area: float = 10.0, kind: str = "公益林") -> dict[str, Any]:
    return {
        "cert_no": cert,
        "holder_name": f"权利人{holder}",
        "holder_id": holder,
        "village": V,
        "region": "331124",
        "area_mu": area,
        "forest_type": kind,
    }


def person(pid: str, household: str) -> dict[str, Any]:
    return {"person_id": pid, "name": pid, "household_id": household, "relation": "户主"}


RIGHTS = [
    right("C1", "H"),
    right("C2", "H2"),
    right("C3", "H3", kind="商品林"),
    right("C4", "H4", area=37.0),
    right("C5", "H5"),
    right("C6", "DEAD"),
]
PEOPLE = [
    person("H", "F1"),
    person("WIFE", "F1"),
    person("H2", "F2"),
    person("STRANGER", "F9"),
    person("DEAD", "F6"),
    person("HEIR", "F6"),
    person("OFF", "F7"),
    person("OFF_SON", "F7"),
    person("OFF2", "F8"),
]
OFFICIALS = [
    {
        "person_id": "OFF",
        "name": "村书记",
        "region": "331124",
        "village": V,
        "position": "村党组织书记",
        "term_start": D(2017, 1, 1),
        "term_end": None,
    },
    {
        "person_id": "OFF2",
        "name": "邻村主任",
        "region": "331124",
        "village": "石岭村",
        "position": "村委会主任",
        "term_start": D(2017, 1, 1),
        "term_end": None,
    },
]


def tables(
    payments: list[dict[str, Any]], deaths: list[dict[str, Any]] | None = None
) -> dict[str, ibis.Table]:
    return {
        "subsidies": _table("forest_subsidies", payments),
        "rights": _table("forest_rights", RIGHTS),
        "deaths": _table("deaths", deaths or []),
        "households": _table("households", PEOPLE),
        "officials": _table("village_officials", OFFICIALS),
    }


def flagged(hits: Any) -> set[str]:
    return set(hits.table.execute().subject_id)


def other_rules(t: dict[str, ibis.Table], *, amount_tolerance: float = 1.0) -> list[Any]:
    """The six rules OFFICIAL-LINK builds on, as a notebook runs them."""
    pay = t["subsidies"]
    return [
        m.deceased(pay, t["deaths"]),
        m.no_right(pay, t["rights"]),
        m.area_excess(pay, t["rights"]),
        m.duplicate(pay),
        m.holder_mismatch(pay, t["rights"], t["households"]),
        m.amount_mismatch(pay, amount_tolerance=amount_tolerance),
    ]


def official(t: dict[str, ibis.Table], rules: list[Any] | None = None) -> Any:
    rules = other_rules(t) if rules is None else rules
    return m.official_link(t["subsidies"], t["households"], t["officials"], rules)


def test_deceased_before_the_year_began_not_during_it() -> None:
    t = tables(
        [
            pay("p2023", "DEAD", "C6", year=2023),
            pay("p2022", "DEAD", "C6", year=2022),
            pay("heir", "HEIR", "C6", year=2024),
        ],
        deaths=[{"person_id": "DEAD", "name": "DEAD", "death_date": D(2022, 1, 1)}],
    )
    hits = m.deceased(t["subsidies"], t["deaths"]).table.execute()
    # died on 1 January 2022: the 2022 payment is no clue, 2023 is
    assert list(hits.subject_id) == ["p2023"]
    assert list(hits.context.iloc[0]) == ["deaths:DEAD"]


def test_no_right_missing_or_commercial() -> None:
    t = tables(
        [
            pay("ok", "H", "C1"),
            pay("commercial", "H3", "C3"),
            pay("ghost", "H", "C404"),
            pay("spaces", "H", " C1 "),
        ]
    )
    hits = m.no_right(t["subsidies"], t["rights"]).table.execute().set_index("subject_id")
    assert set(hits.index) == {"commercial", "ghost"}
    assert "商品林" in hits.loc["commercial"].reason
    assert list(hits.loc["ghost"].context) == []


@pytest.mark.parametrize(
    ("paid", "hit"),
    [(37.37, False), (37.38, True), (37.0, False)],
    ids=["exactly-1pct", "just-over", "equal"],
)
def test_area_excess_boundary(paid: float, hit: bool) -> None:
    t = tables([pay("p", "H4", "C4", area=paid)])
    assert flagged(m.area_excess(t["subsidies"], t["rights"], area_tolerance=0.01)) == (
        {"p"} if hit else set()
    )


def test_area_excess_sums_a_certificate_year_and_duplicate_lists_every_payment() -> None:
    t = tables(
        [
            pay("a", "H", "C1", area=6.0),
            pay("b", "H", "C1", area=5.0),
            pay("split1", "H2", "C2", area=5.0),
            pay("split2", "H2", "C2", area=5.0),
            pay("other_year", "H", "C1", year=2022),
        ]
    )
    area = m.area_excess(t["subsidies"], t["rights"]).table.execute()
    assert list(area.subject_id) == ["a"]
    assert sorted(area.evidence.iloc[0]) == ["forest_subsidies:a", "forest_subsidies:b"]
    dup = m.duplicate(t["subsidies"]).table.execute().set_index("subject_id")
    assert set(dup.index) == {"a", "split1"}
    assert sorted(dup.loc["split1"].evidence) == [
        "forest_subsidies:split1",
        "forest_subsidies:split2",
    ]


def test_holder_mismatch_household_and_heir_are_lawful() -> None:
    t = tables(
        [
            pay("holder", "H", "C1"),
            pay("wife", "WIFE", "C1", year=2022),
            pay("stranger", "STRANGER", "C2"),
            pay("heir", "HEIR", "C6"),
            pay("unregistered", "STRANGER", "C404"),
        ]
    )
    assert flagged(m.holder_mismatch(t["subsidies"], t["rights"], t["households"])) == {"stranger"}


@pytest.mark.parametrize(
    ("amount", "hit"),
    [(401.0, False), (399.0, False), (401.01, True), (398.99, True), (400.0, False)],
    ids=["plus-1", "minus-1", "plus-1.01", "minus-1.01", "exact"],
)
def test_amount_mismatch_boundary(amount: float, hit: bool) -> None:
    # 33.33 mu x 12.0 = 399.96 would not be exact; 10 mu x 40 = 400 is
    t = tables([pay("p", "H", "C1", amount=amount)])
    assert flagged(m.amount_mismatch(t["subsidies"], amount_tolerance=1.0)) == (
        {"p"} if hit else set()
    )


def test_amount_mismatch_tolerates_float_noise() -> None:
    t = tables([pay("p", "H", "C1", area=33.33, rate=31.0, amount=round(33.33 * 31.0, 2) + 1.0)])
    assert flagged(m.amount_mismatch(t["subsidies"])) == set()


def test_official_link_needs_another_rule_and_the_same_village() -> None:
    payments = [
        pay("for_other", "OFF", "C5"),  # the official paid for another villager's forest
        pay("son", "OFF_SON", "C2"),  # official's household member paid someone else's forest
        pay(
            "account", "DEAD", "C6", account="acct-OFF"
        ),  # dead man's money into the official's account
        pay("other_village", "OFF2", "C1", year=2022),  # an official of another village
        pay("off_own", "OFF", "C7"),  # unregistered certificate paid to the official himself
    ]
    t = tables(
        payments, deaths=[{"person_id": "DEAD", "name": "DEAD", "death_date": D(2020, 5, 1)}]
    )
    got = official(t).table.execute().set_index("subject_id")
    assert set(got.index) == {"for_other", "son", "account", "off_own"}
    assert "FOR-DECEASED" in got.loc["account"].rules
    assert "village_officials:OFF|竹源村|2017-01-01" in got.loc["son"].context
    assert "账号" in got.loc["account"].link


def test_official_link_reads_the_other_rules_hits_with_their_thresholds() -> None:
    # the official's son paid 402 yuan for his 400 yuan forest: at 1 yuan's tolerance a clue
    t = tables([pay("son", "OFF_SON", "C8", amount=402.0)])
    t["rights"] = _table("forest_rights", [*RIGHTS, right("C8", "OFF_SON")])
    assert flagged(official(t)) == {"son"}
    assert flagged(official(t, other_rules(t, amount_tolerance=5.0))) == set()
    # only the rules handed over count: without AMOUNT-MISMATCH nothing flags the payment
    assert flagged(official(t, other_rules(t)[:5])) == set()
    got = official(t).table.execute()
    assert got.rules.tolist() == ["FOR-AMOUNT-MISMATCH"]


def test_official_paid_for_own_forest_is_no_clue() -> None:
    rights = [*RIGHTS, right("C9", "OFF")]
    t = tables([pay("own", "OFF", "C9")])
    t["rights"] = _table("forest_rights", rights)
    assert flagged(official(t)) == set()


def test_collect_fills_every_summary() -> None:
    t = tables(
        [
            pay("p1", "DEAD", "C6"),
            pay("p2", "STRANGER", "C2", amount=999.0),
            pay("p3", "H", "C404"),
            pay("p4", "H", "C1", area=12.0),
            pay("p5", "H", "C1", area=1.0),
            pay("p6", "OFF_SON", "C1", year=2021),
        ],
        deaths=[{"person_id": "DEAD", "name": "DEAD", "death_date": D(2020, 5, 1)}],
    )
    rules = other_rules(t)
    found = hc.collect(*rules, official(t, rules), version="test")
    assert set(found.frame.rule) == {
        "FOR-DECEASED",
        "FOR-NO-RIGHT",
        "FOR-AREA-EXCESS",
        "FOR-DUPLICATE",
        "FOR-HOLDER-MISMATCH",
        "FOR-AMOUNT-MISMATCH",
        "FOR-OFFICIAL-LINK",
    }
    assert (found.frame.subject_type == "payment").all()
    assert found.frame.summary.str.contains("条").all()
