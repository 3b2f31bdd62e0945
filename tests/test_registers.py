"""Shared register reads (huiyan.registers): a model's rules on the narrowed, kept registers
find exactly what they find on the whole registers."""

from __future__ import annotations

import huiyan as hy
import pandas as pd
import pytest
from huiyan import clues
from huiyan.models import admin_criminal_transfer as act
from huiyan.models import bankruptcy_labor_claims as blc
from huiyan.models import forest_subsidy as fs


def _found(*hits: hy.rules.Hits) -> pd.DataFrame:
    frame = clues.collect(*hits, model="m", version="t").frame
    frame = frame.assign(evidence=frame.evidence.map(tuple), context=frame.context.map(tuple)).drop(
        columns=["created_at"]
    )
    return frame.sort_values(["rule", "clue_id"]).reset_index(drop=True)


@pytest.mark.parametrize("region", ["", "330602"])
def test_bankruptcy_rules_find_the_same_on_shared_registers(
    tiny_workspace: hy.Workspace, region: str
) -> None:
    ws = tiny_workspace
    claims = ws.table("bankruptcy_claims", region=region)
    ss, ep, hh = ws.table("social_security"), ws.table("enterprise_people"), ws.table("households")
    whole = _found(
        blc.no_contributions(claims, ss),
        blc.insider(claims, ep, hh),
        blc.employed_elsewhere(claims, ss),
        blc.officer_cap(claims, ep),
    )
    shared = blc.inputs(ws, region=region)
    assert shared.social_security.count().execute() < ss.count().execute()
    narrowed = _found(
        blc.no_contributions(shared.claims, shared.social_security),
        blc.insider(shared.claims, shared.officers, shared.households),
        blc.employed_elsewhere(shared.claims, shared.social_security),
        blc.officer_cap(shared.claims, shared.officers),
    )
    assert len(whole) > 0
    pd.testing.assert_frame_equal(narrowed, whole)


def test_forest_rules_find_the_same_on_shared_registers(tiny_workspace: hy.Workspace) -> None:
    ws = tiny_workspace
    pay, rights, deaths = (
        ws.table("forest_subsidies"),
        ws.table("forest_rights"),
        ws.table("deaths"),
    )
    hh, officials = ws.table("households"), ws.table("village_officials")

    def found(pay, rights, deaths, hh, officials):  # type: ignore[no-untyped-def]
        mismatch = fs.holder_mismatch(pay, rights, hh)
        return _found(
            mismatch,
            fs.official_link(pay, hh, officials, [fs.deceased(pay, deaths), mismatch]),
        )

    whole = found(pay, rights, deaths, hh, officials)
    s = fs.inputs(ws)
    assert s.households.count().execute() < hh.count().execute()
    narrowed = found(s.payments, s.rights, s.deaths, s.households, s.officials)
    assert len(whole) > 0
    pd.testing.assert_frame_equal(narrowed, whole)


def test_penalty_rules_find_the_same_on_the_offences_read_once(
    tiny_workspace: hy.Workspace,
) -> None:
    ws = tiny_workspace
    every, cases = ws.table("admin_penalties"), ws.table("criminal_cases")
    whole = _found(
        act.mining_value(every, cases),
        act.mining_repeat(every, cases, history=every),
        act.shoddy_goods(every, cases),
        act.drunk_driving(every, cases),
        act.pollution_waste(every, cases),
    )
    penalties, history, cases = act.inputs(ws)
    assert penalties.count().execute() < every.count().execute()
    narrowed = _found(
        act.mining_value(penalties, cases),
        act.mining_repeat(penalties, cases, history=history),
        act.shoddy_goods(penalties, cases),
        act.drunk_driving(penalties, cases),
        act.pollution_waste(penalties, cases),
    )
    assert len(whole) > 0
    pd.testing.assert_frame_equal(narrowed, whole)
