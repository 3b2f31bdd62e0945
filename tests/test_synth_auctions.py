"""The synthetic judicial auctions: lawful background, planted violations the model finds, hard negatives."""

from __future__ import annotations

from collections.abc import Iterator

import huiyan
import numpy as np
import pandas as pd
import pytest
from huiyan import clues, contracts, evaluation, synth
from huiyan.models import judicial_auction as m
from huiyan.synth import auctions, base, scale

RULES = [
    "AUC-NOTICE-SHORT", "AUC-RENOTICE-SHORT", "AUC-RELAUNCH-LATE", "AUC-START-LOW",
    "AUC-CUT-DEEP", "AUC-DEPOSIT-RANGE", "AUC-BUYER-LINKED",
]  # fmt: skip


def province(seed: int = 7) -> base.Province:
    p = base.Province(scale.get("tiny"), seed=seed)
    p.build_background()
    p.rng = np.random.default_rng([seed, 3])
    auctions.build(p)
    return p


@pytest.fixture(scope="module")
def built() -> base.Province:
    return province()


@pytest.fixture(scope="module")
def ws(
    built: base.Province, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[huiyan.Workspace]:
    workspace = huiyan.workspace(tmp_path_factory.mktemp("auctions"))
    synth.write(workspace, built)
    yield workspace
    workspace.close()


def test_rows_follow_the_contract(built: base.Province) -> None:
    rows = built.frame("judicial_auctions")
    spec = contracts.dataset("judicial_auctions")
    assert abs(len(rows) - built.count("judicial_auctions")) < 0.1 * built.count(
        "judicial_auctions"
    )
    assert rows.auction_id.is_unique
    for col in ("item_type", "round", "status", "reserve_basis"):
        assert set(rows[col]) <= set(spec.column(col).allowed), col
    assert (rows.announce_date < rows.start_date).all()
    assert (rows.start_date < rows.end_date).all()
    assert (rows.end_date <= auctions.DATA_END).all()
    sold = rows.status == "成交"
    assert rows.buyer_id[sold].notna().all() and rows.buyer_id[~sold].isna().all()
    assert (rows.deal_price[sold] >= rows.start_price[sold]).all()
    assert set(rows["round"]) == {"一拍", "二拍", "变卖"}


def test_some_rounds_lack_previous_id(built: base.Province) -> None:
    rows = built.frame("judicial_auctions")
    later = rows[rows["round"] != "一拍"]
    blank = later.previous_auction_id.isna().mean()
    assert 0.1 < blank < 0.6
    given = later.previous_auction_id.dropna()
    assert given.isin(rows.auction_id).all()


def test_every_rule_is_planted_on_existing_records(built: base.Province) -> None:
    truth = built.truth
    assert sorted(set(truth.rule)) == sorted(RULES)
    assert (truth.groupby("rule").size() >= auctions.MIN_PLANTS).all()
    ids = "judicial_auctions:" + built.frame("judicial_auctions").auction_id
    assert truth.record.isin(set(ids)).all()


def test_planted_household_buyers_share_the_debtors_household(built: base.Province) -> None:
    rows = built.frame("judicial_auctions").set_index("auction_id")
    planted = built.truth[built.truth.rule == "AUC-BUYER-LINKED"].record.str.split(":").str[1]
    house = built.people.set_index("person_id").household_id
    officers = set(
        zip(built.enterprise_people.org_id, built.enterprise_people.person_id, strict=True)
    )
    for aid in planted:
        row = rows.loc[aid]
        assert row.deal_price < row.appraisal_value
        in_house = house.get(row.buyer_id) is not None and house.get(row.buyer_id) == house.get(
            row.executed_party_id
        )
        assert in_house or (row.executed_party_id, row.buyer_id) in officers


def test_lawful_look_alikes_sit_exactly_on_the_line(built: base.Province) -> None:
    rows = built.frame("judicial_auctions")
    first = rows[rows["round"] == "一拍"]
    days = (first.start_date - first.announce_date).dt.days
    movable = first.item_type.isin(["动产", "机动车"])
    assert ((days == 15) & movable).any() and ((days == 30) & ~movable).any()
    cents = lambda s: np.round(s * 100).astype("Int64")  # noqa: E731
    assert (cents(first.start_price) * 10 == cents(first.appraisal_value) * 7).any()
    assert (cents(rows.deposit) * 20 == cents(rows.start_price)).any()
    assert (cents(rows.deposit) * 5 == cents(rows.start_price)).any()
    self_buy = rows[
        (rows.buyer_id == rows.executed_party_id) & (rows.deal_price < rows.appraisal_value)
    ]
    assert len(self_buy) >= 2


def test_model_finds_the_planted_violations_and_nothing_else(ws: huiyan.Workspace) -> None:
    found = clues.collect(*m.run_rules(ws))
    result = evaluation.score(found, ws)
    assert result is not None
    table = result.table().set_index("规则编号 rule")
    assert sorted(table.index) == sorted(RULES)
    assert result.meets(precision=0.9, recall=0.95), table.to_string()
    assert len(result.missed) == 0 and len(result.extra) == 0


def test_same_seed_same_auctions() -> None:
    a = province(3).frame("judicial_auctions")
    b = province(3).frame("judicial_auctions")
    pd.testing.assert_frame_equal(a, b)


def test_writes_through_the_synth_writer(ws: huiyan.Workspace) -> None:
    n = ws.table("judicial_auctions").count().execute()
    assert n > 200
    blank = ws.table("judicial_auctions").previous_auction_id.isnull().sum().execute()
    assert blank > 0
