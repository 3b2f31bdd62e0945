"""Where the workspace lives and how notebooks reach its tables."""

from __future__ import annotations

from pathlib import Path

import huiyan as hy
import pandas as pd
import pytest
from huiyan.errors import WorkspaceError
from huiyan.workspace import REPO_ROOT


def test_home_defaults_to_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUIYAN_HOME", raising=False)
    assert hy.workspace().home == REPO_ROOT


def test_env_and_argument_choose_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HUIYAN_HOME", str(tmp_path / "a"))
    assert hy.workspace().home == tmp_path / "a"
    assert hy.workspace(tmp_path / "b").home == tmp_path / "b"


def test_table_filters_by_region_and_names_missing_tables(tmp_path: Path) -> None:
    with hy.workspace(tmp_path) as ws:
        ws.con.create_table(
            "vehicles", pd.DataFrame({"plate_no": ["浙D1", "浙K1"], "region": ["330602", "331124"]})
        )
        assert ws.table("vehicles", region="331124").count().execute() == 1
        assert ws.table("vehicles", region="").count().execute() == 2
        assert ws.regions() == ["330602", "331124"]
        with pytest.raises(WorkspaceError, match='"vehicles"'):
            ws.table("vehicle")


def test_read_only_workspace_without_database_says_what_to_do(tmp_path: Path) -> None:
    ws = hy.workspace(tmp_path, read_only=True)
    with pytest.raises(WorkspaceError, match="huiyan synth"):
        ws.table("judgments")


def test_bad_settings_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "huiyan.toml").write_text("engine = [", encoding="utf-8")
    with pytest.raises(WorkspaceError, match=r"huiyan\.toml"):
        _ = hy.workspace(tmp_path).engine_name
