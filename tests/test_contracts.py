"""The project's copy of the data contract, and cross-folder promises about it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from huiyan import contracts
from huiyan.errors import ContractError
from huiyan.workspace import REPO_ROOT

SHARED = REPO_ROOT.parent / "shared" / "contracts"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/contracts is not beside this checkout")
def test_copy_matches_shared_contract() -> None:
    ours = yaml.safe_load(contracts.CONTRACT_PATH.read_text(encoding="utf-8"))
    theirs = yaml.safe_load((SHARED / "datasets.yaml").read_text(encoding="utf-8"))
    assert ours == theirs, "datasets/datasets.yaml drifted from ../shared/contracts/datasets.yaml"


def test_every_dataset_has_a_key_made_of_its_columns() -> None:
    for ds in contracts.datasets().values():
        assert ds.key, ds.name
        assert set(ds.key) <= set(ds.column_names), ds.name
        for key in ds.key:
            assert ds.column(key).required, f"{ds.name}.{key} is a key but optional"


def test_unknown_dataset_suggests_nearest_name() -> None:
    with pytest.raises(ContractError, match='"vehicles"'):
        contracts.dataset("vehicle")


def test_unknown_column_suggests_nearest_name() -> None:
    with pytest.raises(ContractError, match="decision_date"):
        contracts.dataset("admin_penalties").column("decision_dat")


def test_aliases_never_point_at_two_columns() -> None:
    for ds in contracts.datasets().values():
        seen: dict[str, str] = {}
        for col in ds.columns:
            for header in col.headers:
                assert seen.setdefault(header, col.name) == col.name, (ds.name, header)


def test_contract_is_not_read_from_shared_at_run_time() -> None:
    assert Path(contracts.CONTRACT_PATH).is_relative_to(REPO_ROOT)
