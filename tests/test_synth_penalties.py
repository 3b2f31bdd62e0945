"""The synthetic admin_penalties / criminal_cases family: contract shape, planted truth, hard negatives."""

from __future__ import annotations

from pathlib import Path

import huiyan as hy
import pandas as pd
import pytest
from huiyan import reading, synth
from huiyan.identifiers import is_credit_code, is_resident_id
from huiyan.models import admin_criminal_transfer as m
from huiyan.reading import penalties as rp
from huiyan.synth import base, penalties, scale

RULES = {
    "ACT-MINING-VALUE",
    "ACT-MINING-REPEAT",
    "ACT-SHODDY-GOODS",
    "ACT-DRUNK-DRIVING",
    "ACT-POLLUTION-WASTE",
}


@pytest.fixture(scope="module")
def province() -> base.Province:
    p = base.Province(scale.get("tiny"), seed=3)
    p.build_background()
    penalties.build(p)
    return p


@pytest.fixture(scope="module")
def workspace(province: base.Province, tmp_path_factory: pytest.TempPathFactory):
    ws = hy.workspace(tmp_path_factory.mktemp("act"))
    synth.write(ws, province)
    return ws


def test_penalties_follow_the_contract(province: base.Province):
    pen = province.frame("admin_penalties")
    assert len(pen) == pytest.approx(province.count("admin_penalties"), rel=0.15)
    assert set(pen.columns) >= set(hy.contracts.dataset("admin_penalties").column_names)
    assert pen.case_id.is_unique
    assert set(pen.region) == {c.code for c in province.counties}
    assert set(pen.party_type) <= {"自然人", "法人", "其他组织"}
    assert len(penalties.DOMAINS) >= 40 and pen.domain.nunique() >= 20
    ids = pen.dropna(subset=["party_id"])
    people = ids[ids.party_type == "自然人"].party_id
    orgs = ids[ids.party_type == "法人"].party_id
    assert people.map(is_resident_id).all() and orgs.map(is_credit_code).all()


def test_criminal_cases_follow_the_contract(province: base.Province):
    cases = province.frame("criminal_cases")
    assert not cases.duplicated(["case_id", "suspect_id"]).any()
    assert cases.suspect_id.notna().all()
    pen_ids = set(province.frame("admin_penalties").case_id)
    sourced = cases.source_case_id.dropna()
    assert len(sourced) and sourced.isin(pen_ids).all()
    assert {"危险驾驶罪", "非法采矿罪", "盗窃罪"} <= set(cases.offence)


def test_every_rule_is_planted_on_existing_penalties(province: base.Province):
    truth = province.truth
    mine = truth[truth.model == m.MODEL]
    assert set(mine.rule) == RULES
    assert mine.groupby("rule").size().min() >= 2
    keys = "admin_penalties:" + province.frame("admin_penalties").case_id
    assert mine.record.isin(set(keys)).all()


def test_hard_negatives_are_there(province: base.Province):
    pen = province.frame("admin_penalties")
    cases = province.frame("criminal_cases")
    truth = set(province.truth.record)
    negative = pen[~("admin_penalties:" + pen.case_id).isin(truth)]
    read = rp.read_frame(negative, reading.load(local=None))
    drunk = read[read.is_drunk_driving]
    assert 79.0 in set(drunk.drunk_blood)  # just under the threshold
    # the breath screening read 80 or more, the blood test did not
    assert ((drunk.drunk_breath >= 80) & (drunk.drunk_blood < 80)).any()
    waste = read[read.is_hazardous_waste]
    stored = waste[waste.waste_disposal.eq(False)]
    assert (stored.waste_tonnes >= 3).any()  # storage only, whatever the tonnage
    assert negative.transferred.any()  # over the threshold but sent to the police
    matched = negative.merge(cases, left_on="party_id", right_on="suspect_id")
    gap = (matched.filed_date - matched.decision_date).dt.days.abs()
    assert (gap == 365).any()  # the window's edge counts as matched
    assert negative.case_id.isin(set(cases.source_case_id.dropna())).any()


def test_figures_are_sometimes_only_in_the_text(province: base.Province):
    pen = province.frame("admin_penalties")
    planted = province.truth[province.truth.rule == "ACT-MINING-VALUE"].record
    rows = pen[("admin_penalties:" + pen.case_id).isin(set(planted))]
    text_only = rows[rows.goods_value.isna()]
    assert len(text_only)
    read = rp.read_frame(text_only, reading.load(local=None))
    assert read.mining_value.notna().all()


def test_model_meets_the_quality_bar_on_the_synthetic_family(workspace):
    found = hy.clues.collect(*m.run_rules(workspace))
    ev = hy.evaluation.score(found, workspace, model=m.MODEL)
    assert ev is not None
    table = ev.table()
    assert set(table["规则编号 rule"]) == RULES
    assert ev.meets(precision=0.9, recall=0.95), table.to_string()


def test_build_is_reproducible(province: base.Province):
    again = base.Province(scale.get("tiny"), seed=3)
    again.build_background()
    penalties.build(again)
    pd.testing.assert_frame_equal(again.frame("admin_penalties"), province.frame("admin_penalties"))


def test_family_is_registered_in_build_order():
    assert "penalties" in synth.FAMILIES
    assert Path(penalties.__file__).name == "penalties.py"
