"""Lineage: the datasets and columns a rule's ibis expression reads, traced through its graph."""

from __future__ import annotations

import ibis
import pytest
from huiyan.lineage import Lineage, read

PENALTIES = {"case_id": "string", "region": "string", "violation": "string", "fine": "float64",
             "party_id": "string", "facts": "string", "transferred": "boolean"}  # fmt: skip
CASES = {"case_id": "string", "suspect_id": "string", "offence": "string", "filed_date": "date"}


@pytest.fixture
def tables() -> tuple[ibis.Table, ibis.Table]:
    return ibis.table(PENALTIES, name="admin_penalties"), ibis.table(CASES, name="criminal_cases")


def test_a_filter_and_a_join_read_the_columns_they_test(tables: tuple) -> None:
    penalties, cases = tables
    open_ = penalties.filter(~penalties.transferred)
    joined = open_.left_join(cases, open_.party_id == cases.suspect_id)
    hits = joined.filter(joined.suspect_id.isnull()).select(
        subject_id=joined.case_id, region=joined.region
    )
    assert read(hits).tables == {
        "admin_penalties": ("case_id", "party_id", "region", "transferred"),
        "criminal_cases": ("suspect_id",),
    }


def test_columns_passed_through_unread_do_not_count(tables: tuple) -> None:
    penalties, _ = tables
    ranked = penalties.mutate(n=ibis.row_number().over(group_by=penalties.party_id))
    hits = ranked.filter(ranked.n > 1).select("case_id")
    assert read(hits).tables == {"admin_penalties": ("case_id", "party_id")}


def test_a_subquery_and_an_aggregate_are_traced(tables: tuple) -> None:
    penalties, cases = tables
    filed = cases.filter(cases.offence == "非法捕捞水产品罪").case_id
    hits = (
        penalties.filter(penalties.case_id.isin(filed))
        .group_by("region")
        .agg(total=penalties.fine.sum())
    )
    lineage = read(hits)
    assert lineage.tables["admin_penalties"] == ("case_id", "fine", "region")
    assert lineage.tables["criminal_cases"] == ("case_id", "offence")


def test_hits_built_in_python_are_said_to_be_untraced(tables: tuple) -> None:
    penalties, _ = tables
    extra = ibis.memtable({"case_id": ["x"], "note": ["手工"]})
    lineage = read(penalties.join(extra, "case_id").select("case_id", "note", "fine"))
    assert lineage.untraced == ("memtable",)
    assert lineage.tables == {"admin_penalties": ("case_id", "fine")}


def test_lineages_join_and_round_trip_as_data() -> None:
    a = Lineage({"admin_penalties": ("fine",)})
    b = Lineage({"admin_penalties": ("case_id",), "criminal_cases": ()}, ("memtable",))
    both = a | b
    assert both.tables == {"admin_penalties": ("case_id", "fine"), "criminal_cases": ()}
    assert Lineage.from_dict(both.to_dict()) == both


def test_a_cached_table_is_traced_to_what_computed_it() -> None:
    con = ibis.duckdb.connect()
    penalties = con.create_table(
        "admin_penalties", {"case_id": ["A1"], "fine": [1.0], "region": ["330602"]}
    )
    big = penalties.filter(penalties.fine > 0).select("case_id", "region").cache()
    assert read(big.select("case_id")).tables == {"admin_penalties": ("case_id", "fine")}


def test_a_kept_table_is_traced_to_what_computed_it() -> None:
    from huiyan.rules import keep

    con = ibis.duckdb.connect()
    penalties = con.create_table(
        "admin_penalties", {"case_id": ["A1"], "fine": [1.0], "region": ["330602"]}
    )
    kept = keep(penalties.filter(penalties.fine > 0).select("case_id", "region"))
    assert read(kept.select("case_id")).tables == {"admin_penalties": ("case_id", "fine")}


def test_official_link_reads_what_the_rules_it_builds_on_read(tiny_workspace) -> None:
    from huiyan.models import forest_subsidy

    *_, official = forest_subsidy.run_rules(tiny_workspace)
    tables = read(official.table).tables
    assert not [name for name in tables if name.startswith("_huiyan")]
    # AMOUNT-MISMATCH's columns, DECEASED's register, its own roster
    assert {"amount", "rate", "account_no"} <= set(tables["forest_subsidies"])
    assert "death_date" in tables["deaths"]
    assert "person_id" in tables["village_officials"]
