"""The bankruptcy and forest synthetic families: planted truth is found, hard negatives are not."""

from __future__ import annotations

from typing import Any

import huiyan.clues as hc
import ibis
import pandas as pd
import pytest
from huiyan import contracts
from huiyan.evaluation import compare
from huiyan.identifiers import is_resident_id
from huiyan.models import bankruptcy_labor_claims as blc
from huiyan.models import forest_subsidy as fs
from huiyan.rules import for_model
from huiyan.synth import bankruptcy, base, forest, scale

TYPES = {
    "string": "string",
    "text": "string",
    "date": "date",
    "month": "date",
    "money": "float64",
    "number": "float64",
    "int": "int64",
    "bool": "boolean",
}


@pytest.fixture(scope="module")
def province() -> base.Province:
    p = base.Province(scale.get("tiny"), seed=11)
    p.build_background()
    bankruptcy.build(p)
    forest.build(p)
    return p


def _tables(p: base.Province) -> dict[str, Any]:
    out = {}
    for name in (
        "bankruptcy_claims",
        "social_security",
        "enterprise_people",
        "households",
        "forest_subsidies",
        "forest_rights",
        "deaths",
        "village_officials",
    ):
        ds = contracts.dataset(name)
        frame = p.people if name == "households" else p.frame(name)
        frame = frame.drop_duplicates("person_id") if name in ("households", "deaths") else frame
        out[name] = ibis.memtable(
            frame[list(ds.column_names)], schema={c.name: TYPES[c.type] for c in ds.columns}
        )
    return out


@pytest.fixture(scope="module")
def clues(province: base.Province) -> dict[str, pd.DataFrame]:
    t = _tables(province)
    claims, ss = t["bankruptcy_claims"], t["social_security"]
    ep, hh = t["enterprise_people"], t["households"]
    b = hc.collect(
        blc.no_contributions(claims, ss),
        blc.insider(claims, ep, hh),
        blc.late_hire(claims),
        blc.wage_outlier(claims),
        blc.employed_elsewhere(claims, ss),
        blc.multi_debtor(claims),
        blc.large_claim(claims),
        blc.officer_cap(claims, ep),
        version="test",
    )
    pay, rights, deaths = t["forest_subsidies"], t["forest_rights"], t["deaths"]
    flagged = [
        fs.deceased(pay, deaths),
        fs.no_right(pay, rights),
        fs.area_excess(pay, rights),
        fs.duplicate(pay),
        fs.holder_mismatch(pay, rights, hh),
        fs.amount_mismatch(pay),
    ]
    f = hc.collect(
        *flagged, fs.official_link(pay, hh, t["village_officials"], flagged), version="test"
    )
    return {blc.MODEL: b.frame, fs.MODEL: f.frame}


@pytest.mark.parametrize("model", [blc.MODEL, fs.MODEL])
def test_every_rule_is_planted_and_found(
    province: base.Province, clues: dict[str, pd.DataFrame], model: str
) -> None:
    truth = province.truth[province.truth.model == model]
    evaluation = compare(clues[model], truth, model=model)
    table = evaluation.table()
    expected = {r.code for r in for_model(model)}
    assert set(table["规则编号 rule"]) == expected
    assert (table["埋设 planted"] > 0).all()
    assert evaluation.meets(precision=0.9, recall=0.95), table.to_string()


def _flagged_records(frame: pd.DataFrame) -> set[str]:
    return {rec for ev in frame.evidence for rec in ev}


def test_bankruptcy_hard_negatives_give_no_clue(
    province: base.Province, clues: dict[str, pd.DataFrame]
) -> None:
    claims = province.frame("bankruptcy_claims")
    frame = clues[blc.MODEL]
    for kind, rule in [
        ("neg_late_exact", None),
        ("neg_3x", None),
        ("neg_large_exact", None),
        ("neg_elsewhere_partial", None),
        ("neg_contrib_last", None),
        ("neg_family_other", None),
        ("neg_multi_disjoint", None),
        ("neg_officer_eq", "BLC-INSIDER"),
        ("neg_shareholder_high", "BLC-INSIDER"),
    ]:
        refs = set("bankruptcy_claims:" + claims.claim_id[claims.kind == kind])
        assert refs, kind
        hit_rules = set(frame.rule[[bool(set(ev) & refs) for ev in frame.evidence]])
        assert hit_rules <= ({rule} if rule else set()), (kind, hit_rules)
    # a late hire with contributions is a LATE-HIRE clue and not a NO-CONTRIBUTIONS one
    late = set("bankruptcy_claims:" + claims.claim_id[claims.kind == "late"])
    assert late <= _flagged_records(frame[frame.rule == "BLC-LATE-HIRE"])
    assert not late & _flagged_records(frame[frame.rule == "BLC-NO-CONTRIBUTIONS"])


def test_forest_hard_negatives_give_no_clue(
    province: base.Province, clues: dict[str, pd.DataFrame]
) -> None:
    pay = province.frame("forest_subsidies")
    frame = clues[fs.MODEL]
    flagged = _flagged_records(frame)
    for kind in ("neg_heir", "neg_died_in_year", "neg_area_exact", "neg_amount_exact"):
        refs = set("forest_subsidies:" + pay.payment_id[pay.kind == kind])
        assert refs, kind
        assert not refs & flagged, kind
    # an official of another village: holder mismatch, but no official link
    other = set("forest_subsidies:" + pay.payment_id[pay.kind == "neg_other_village"])
    assert not other & _flagged_records(frame[frame.rule == "FOR-OFFICIAL-LINK"])


def test_generated_rows_follow_the_contract(province: base.Province) -> None:
    claims = province.frame("bankruptcy_claims")
    assert abs(len(claims) - province.count("bankruptcy_claims")) <= 0.1 * province.count(
        "bankruptcy_claims"
    )
    assert claims.claim_id.is_unique
    labour = claims[claims.claim_type == "职工债权"]
    assert labour.claimant_id.map(is_resident_id).all()
    assert set(claims.claim_type) <= {"职工债权", "税款债权", "普通债权", "有财产担保债权"}
    ss = province.social_security
    assert not ss.duplicated(["person_id", "employer_org_id", "start_month"]).any()
    pay = province.frame("forest_subsidies")
    assert pay.payment_id.is_unique and pay.recipient_id.map(is_resident_id).all()
    rights = province.frame("forest_rights")
    assert rights.cert_no.is_unique and set(rights.forest_type) <= {"公益林", "商品林"}
    officials = province.frame("village_officials")
    assert not officials.duplicated(["person_id", "village", "term_start"]).any()
