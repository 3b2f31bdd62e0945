"""Where the workspace lives, how notebooks reach its tables, and how writes reach readers."""

from __future__ import annotations

from pathlib import Path

import huiyan as hy
import pandas as pd
import pytest
from huiyan import snapshots
from huiyan.errors import WorkspaceError
from huiyan.workspace import REPO_ROOT


def test_home_defaults_to_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUIYAN_HOME", raising=False)
    assert hy.workspace().home == REPO_ROOT


def test_env_and_argument_choose_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HUIYAN_HOME", str(tmp_path / "a"))
    assert hy.workspace().home == tmp_path / "a"
    assert hy.workspace(tmp_path / "b").home == tmp_path / "b"


def _vehicles(plates: list[str], regions: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"plate_no": plates, "region": regions})


def test_table_filters_by_region_and_names_missing_tables(tmp_path: Path) -> None:
    with hy.workspace(tmp_path, write=True) as ws:
        with ws.writing("test") as w:
            w.create_table("vehicles", _vehicles(["浙D1", "浙K1"], ["330602", "331124"]))
        assert ws.table("vehicles", region="331124").count().execute() == 1
        assert ws.table("vehicles", region="").count().execute() == 2
        assert ws.regions() == ["330602", "331124"]
        with pytest.raises(WorkspaceError, match='"vehicles"'):
            ws.table("vehicle")


def test_workspace_without_database_says_what_to_do(tmp_path: Path) -> None:
    ws = hy.workspace(tmp_path)
    with pytest.raises(WorkspaceError, match="huiyan synth"):
        ws.table("judgments")


def test_bad_settings_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "huiyan.toml").write_text("engine = [", encoding="utf-8")
    with pytest.raises(WorkspaceError, match=r"huiyan\.toml"):
        _ = hy.workspace(tmp_path).engine_name


def test_a_reader_keeps_its_snapshot_until_it_refreshes(tmp_path: Path) -> None:
    writer = hy.workspace(tmp_path, write=True)
    with writer.writing("first") as w:
        w.create_table("vehicles", _vehicles(["浙D1"], ["330602"]))
    reader = hy.workspace(tmp_path)
    assert reader.table("vehicles").count().execute() == 1
    with writer.writing("second") as w:
        w.con.execute("INSERT INTO vehicles VALUES ('浙D2', '330602')")
    assert reader.table("vehicles").count().execute() == 1  # the snapshot it opened
    assert reader.refresh() == ["vehicles"]
    assert reader.table("vehicles").count().execute() == 2
    assert reader.refresh() == []
    reader.close()


def test_a_read_only_workspace_refuses_to_write(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="write=True"), hy.workspace(tmp_path).writing("x"):
        pass


def test_a_failed_write_publishes_nothing_it_did_not_commit(tmp_path: Path) -> None:
    ws = hy.workspace(tmp_path, write=True)
    with ws.writing("setup") as w:
        w.create_table("vehicles", _vehicles(["浙D1"], ["330602"]))
    with pytest.raises(RuntimeError), ws.writing("broken", tables=["vehicles"]) as w:
        w.con.execute("BEGIN TRANSACTION")
        w.con.execute("DELETE FROM vehicles")
        raise RuntimeError("the write fails half-way")
    assert hy.workspace(tmp_path).table("vehicles").count().execute() == 1


def test_an_outside_edit_of_the_database_is_published(tmp_path: Path) -> None:
    import duckdb

    ws = hy.workspace(tmp_path, write=True)
    with ws.writing("setup") as w:
        w.create_table("vehicles", _vehicles(["浙D1"], ["330602"]))
    con = duckdb.connect(str(ws.db_path))  # e.g. a DuckDB shell, or a writer killed mid-publish
    con.execute("INSERT INTO vehicles VALUES ('浙D2', '330602')")
    con.close()
    assert hy.workspace(tmp_path).table("vehicles").count().execute() == 2


def test_the_manifest_names_old_files_only_while_a_reader_leases_them(tmp_path: Path) -> None:
    ws = hy.workspace(tmp_path, write=True)
    with ws.writing("setup") as w:
        w.create_table("vehicles", _vehicles(["浙D1"], ["330602"]))
    reader = hy.workspace(tmp_path)
    first = reader.snapshot("vehicles").file
    assert reader.table("vehicles").count().execute() == 1
    with ws.writing("more") as w:
        w.con.execute("INSERT INTO vehicles VALUES ('浙D2', '330602')")
    folder = snapshots.folder(tmp_path)
    catalog = snapshots.current(tmp_path)
    assert catalog is not None and catalog.tables["vehicles"].file != first
    # retired long ago, but still leased by the open reader: kept
    snapshots.collect_garbage(tmp_path, catalog.__class__(**{**catalog.__dict__, "retired": {}}))
    assert (folder / first).exists()
    reader.close()
    old = {first: 0.0}
    snapshots.collect_garbage(tmp_path, catalog.__class__(**{**catalog.__dict__, "retired": old}))
    assert not (folder / first).exists()


def test_a_write_committed_by_a_killed_writer_is_published(tmp_path: Path) -> None:
    import subprocess
    import sys

    ws = hy.workspace(tmp_path, write=True)
    with ws.writing("setup") as w:
        w.create_table("vehicles", _vehicles(["浙D1"], ["330602"]))
    killed = subprocess.run(  # commits, then dies before its publish (no clean close)
        [
            sys.executable,
            "-c",
            "import duckdb, os, sys; c = duckdb.connect(sys.argv[1]);"
            " c.execute(\"INSERT INTO vehicles VALUES ('浙D2', '330602')\"); os._exit(9)",
            str(ws.db_path),
        ],
        check=False,
    )
    assert killed.returncode == 9
    assert hy.workspace(tmp_path).table("vehicles").count().execute() == 2


@pytest.mark.parametrize(
    "model",
    [
        "admin_criminal_transfer",
        "bankruptcy_labor_claims",
        "forest_subsidy",
        "insurance_fraud",
        "judicial_auction",
    ],
)
def test_rules_find_the_same_clues_with_or_without_ibis_fusing_selects(
    model: str, tiny_workspace: hy.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the workspace turns ibis's select fusion off for speed; the clues must not change
    import importlib

    import ibis

    module = importlib.import_module(f"huiyan.models.{model}")
    found = {}
    for fuse in (True, False):
        ws = hy.workspace(tiny_workspace.home)
        hits = module.run_rules(ws, region="")
        monkeypatch.setattr(ibis.options.sql, "fuse_selects", fuse)  # after the connection
        frame = hy.clues.collect(*hits, model=module.MODEL).frame.drop(columns="created_at")
        found[fuse] = frame.sort_values("clue_id").reset_index(drop=True)
        ws.close()
    assert len(found[True]) > 0
    pd.testing.assert_frame_equal(found[True], found[False])
