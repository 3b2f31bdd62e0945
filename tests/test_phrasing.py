"""Phrasing families: every registered family writes every sample case, and wording never changes data."""

from __future__ import annotations

import importlib.util

import pytest
from huiyan.synth import build, phrasing
from huiyan.synth.phrasing.samples import check

PRESENT = [
    name for name, path in phrasing.FAMILIES.items() if importlib.util.find_spec(path) is not None
]


@pytest.mark.parametrize("name", PRESENT)
def test_family_writes_every_sample_case(name: str) -> None:
    assert check(phrasing.load(name), seeds=8) == []


def test_unknown_family_is_refused_with_the_names_available() -> None:
    with pytest.raises(phrasing.SynthError, match="house"):
        phrasing.choose("hosue")


def test_the_dev_mix_leaves_out_the_held_out_family() -> None:
    assert "heldout" not in phrasing.MIXES[phrasing.DEFAULT]


@pytest.mark.parametrize("other", [n for n in PRESENT if n != "house"] + ["dev"])
def test_the_data_and_truth_do_not_depend_on_the_wording(other: str) -> None:
    a = build(scale="tiny", seed=3, phrasing="house")
    b = build(scale="tiny", seed=3, phrasing=other)
    assert a.truth.sort_values(list(a.truth.columns)).equals(
        b.truth.sort_values(list(b.truth.columns))
    )
    pa, pb = a.frame("admin_penalties"), b.frame("admin_penalties")
    assert pa.drop(columns=["facts", "violation"]).equals(pb.drop(columns=["facts", "violation"]))
