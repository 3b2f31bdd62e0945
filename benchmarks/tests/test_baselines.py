"""The plain-pandas baselines find exactly the clues the models find, on the synthetic county.

The workspace is the synthetic ``county`` scale (one county, about 10,000 rows
per large dataset; roughly 15 s of CPU to generate), built once per test
session: large enough that every rule fires many times and near its
boundaries, small enough for the suite. Clues are compared as sets of
(rule, subject_id, sorted evidence): the baseline is an independent second
reading of every rule, so a disagreement is a bug in one of the two.
"""

from __future__ import annotations

import importlib
from collections import Counter
from pathlib import Path
from typing import Any

import baselines
import huiyan
import ibis
import pandas as pd
import pytest
from huiyan import clues
from huiyan.workspace import Workspace

# model -> one non-default parameter setting, to show both sides honour parameters
PARAMS: dict[str, dict[str, Any]] = {
    "judicial_auction": {"min_start_ratio": 0.75, "max_cut": 0.1, "relaunch_days": 20},
    "forest_subsidy": {"area_tolerance": 0.0, "amount_tolerance": 0.5},
    "bankruptcy_labor_claims": {"late_hire_months": 12, "wage_ratio": 2.0, "large_claim": 200000.0},
    "admin_criminal_transfer": {"mining_value": 150000.0, "blood_alcohol": 100.0},
    "insurance_fraud": {
        "min_suits": 4,
        "window_months": 12,
        "min_shop_cases": 8,
        "min_reports": 3,
        "employment_lookback_months": 12,
    },
}


def _ready(model: str) -> None:
    try:
        importlib.import_module(f"huiyan.models.{model}")
        importlib.import_module(f"baselines.{model}")
    except ModuleNotFoundError as err:
        pytest.skip(f"{model}: {err.name} is not written yet")


@pytest.fixture(scope="session")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic county (seed 7), generated once per session."""
    from huiyan import synth

    home = tmp_path_factory.mktemp("county")
    with huiyan.workspace(home) as ws:
        synth.generate(ws, scale="county", seed=7)
    return home


def _both(model: str, ws: Workspace, **params: Any) -> tuple[set, set, set[str]]:
    """Huiyan's clues, the baseline's clues (as sets) and the model's rule codes."""
    module = importlib.import_module(f"huiyan.models.{model}")
    found = clues.collect(*module.run_rules(ws, **params), model=model, version="test")
    base = baselines.run(model, ws, **params)
    codes = {r.code for r in found.rules}
    return baselines.clue_set(found.frame), baselines.clue_set(base), codes


_DEFAULTS: dict[str, tuple[set, set, set[str]]] = {}


def _defaults(model: str, home: Path) -> tuple[set, set, set[str]]:
    if model not in _DEFAULTS:
        with huiyan.workspace(home) as ws:
            _DEFAULTS[model] = _both(model, ws)
    return _DEFAULTS[model]


@pytest.mark.parametrize("model", list(PARAMS))
def test_baseline_finds_the_same_clues_as_the_model(county: Path, model: str) -> None:
    _ready(model)
    ours, theirs, codes = _defaults(model, county)
    assert ours - theirs == set(), f"only huiyan found: {sorted(ours - theirs)[:5]}"
    assert theirs - ours == set(), f"only the baseline found: {sorted(theirs - ours)[:5]}"
    # the comparison means something: every rule of the model fires on the county
    fired = Counter(rule for rule, _, _ in ours)
    assert {c for c in codes if fired[c] == 0} == set()


@pytest.mark.parametrize("model", list(PARAMS))
def test_baseline_follows_changed_parameters(county: Path, model: str) -> None:
    _ready(model)
    default, _, _ = _defaults(model, county)
    with huiyan.workspace(county) as ws:
        ours, theirs, _ = _both(model, ws, **PARAMS[model])
    assert ours == theirs
    assert ours != default  # the changed thresholds change the clues


def test_baseline_frame_has_the_clue_columns(county: Path) -> None:
    _ready("judicial_auction")
    with huiyan.workspace(county) as ws:
        frame = baselines.run("judicial_auction", ws)
    assert list(frame.columns) == ["rule", "subject_id", "evidence"]
    assert not frame.duplicated(["rule", "subject_id"]).any()
    assert all(ev == sorted(ev) and ev for ev in frame["evidence"])
    assert (
        frame["evidence"].map(lambda ev: all(e.startswith("judicial_auctions:") for e in ev)).all()
    )


def test_available_lists_the_written_baselines() -> None:
    assert "judicial_auction" in baselines.available()
    assert set(baselines.available()) <= set(baselines.MODELS)


def test_insurance_windows_match_the_model_at_month_ends() -> None:
    _ready("insurance_fraud")
    from baselines.insurance_fraud import in_windows
    from huiyan.models import insurance_fraud as model

    day = pd.Timestamp
    events = pd.DataFrame(
        {
            "k": ["a", "a", "a", "b", "b", "c", "c", "d", None],
            "d": [
                day("2021-01-31"), day("2021-02-28"), day("2021-03-01"),  # a window ends 02-28
                day("2022-05-10"), day("2022-05-10"),  # b: two records on one day
                day("2020-02-29"), day("2020-03-28"),  # c: a leap day, inside one month
                pd.NaT, day("2021-01-01"),  # no date, no key: never counted
            ],
            "r": ["1", "2", "3", "4", "5", "6", "7", "8", "9"],
        }
    )  # fmt: skip
    ours = in_windows(events, key="k", date="d", record="r", min_count=2, months=1)
    table = ibis.memtable(events.assign(d=events["d"].dt.date))
    theirs = ibis.duckdb.connect().execute(
        model.in_windows(table, key="k", date="d", record="r", min_count=2, months=1)
    )
    pairs = set(zip(ours["k"], ours["r"], strict=True))
    assert pairs == set(zip(theirs["k"], theirs["r"], strict=True))
    assert pairs == {("a", "2"), ("a", "3"), ("b", "4"), ("b", "5"), ("c", "6"), ("c", "7")}


def test_baselines_are_not_part_of_the_installed_library() -> None:
    """A county installs huiyan; the pandas yardsticks stay with the benchmarks."""
    import importlib.util

    assert importlib.util.find_spec("huiyan.baselines") is None
    assert Path(baselines.__file__).parent.parent.name == "benchmarks"
