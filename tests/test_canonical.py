"""Canonical identifiers: stored once, beside the values as written, by ingest, synth and old workspaces."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import huiyan as hy
import ibis
import pytest
from huiyan import canonical, contracts, snapshots
from huiyan.identifiers import normalise_plate
from huiyan.ingest import ingest

CLAIM = {
    "债权申报编号": "BC1",
    "破产案号": "（2023）浙0602破1号",
    "区划代码": "330602",
    "债务人信用代码": "91330602MA2B3C4D5D",
    "债务人名称": "绍兴某某机械有限公司",
    "债权人": "王伟",
    "债权人证件号码": " 33060219800101123x ",  # no checked format: kept as written
    "债权性质": "职工债权",
    "申报金额": "12000",
    "申报日期": "2023-05-01",
    "法院受理破产日期": "2023-04-01",
}


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, fieldnames=list(rows[0]))
        out.writeheader()
        out.writerows(rows)
    return path


def test_ingest_stores_the_key_beside_the_value_as_written(tmp_path: Path) -> None:
    ws = hy.workspace(tmp_path, write=True)
    report = ingest(ws, "bankruptcy_claims", [_csv(tmp_path / "claims.csv", [CLAIM])])
    assert report.loaded == 1
    row = hy.workspace(tmp_path).table("bankruptcy_claims").execute().iloc[0]
    assert row.claimant_id == "33060219800101123x"  # trimmed as a string, case kept
    assert row.claimant_id_key == "33060219800101123X"
    assert row.debtor_org_id_key == "91330602MA2B3C4D5D"
    # the writers' database keeps the contract's columns only
    con = duckdb.connect(str(ws.db_path), read_only=True)
    try:
        stored = [r[0] for r in con.execute("DESCRIBE bankruptcy_claims").fetchall()]
    finally:
        con.close()
    assert stored == list(contracts.dataset("bankruptcy_claims").column_names)


def test_synth_tables_carry_every_key_and_it_equals_the_contract_normalisation(
    tiny_workspace: hy.Workspace,
) -> None:
    ws = tiny_workspace
    for dataset in canonical.KEYS:
        t = ws.table(dataset)
        assert set(canonical.derived(dataset)) <= set(t.columns), dataset
        assert ws.snapshot(dataset).meta.get("canonical") == canonical.VERSION
        fresh = {f"_{n}": e for n, e in canonical.expressions(t, dataset).items()}
        t = t.mutate(**fresh)
        for name in canonical.derived(dataset):
            differ = t.filter(~t[name].identical_to(t[f"_{name}"])).count().execute()
            assert differ == 0, (dataset, name)
    plates = ws.table("vehicles").select("plate_no", "plate_no_key").limit(200).execute()
    assert plates.plate_no_key.tolist() == [normalise_plate(p) for p in plates.plate_no]


def test_validation_accepts_the_tables_with_their_keys(tiny_workspace: hy.Workspace) -> None:
    from huiyan import quality

    report = quality.validate(tiny_workspace, ["households", "bankruptcy_claims"], use_cache=False)
    assert report.ok, report.failures()


def _strip_keys(home: Path) -> None:
    """Make ``home`` look published before canonical identifiers existed."""
    catalog = json.loads(snapshots.catalog_path(home).read_text(encoding="utf-8"))
    for name, snap in catalog["tables"].items():
        meta = snap.get("meta") or {}
        if meta.pop("canonical", None) is None:
            continue
        path = snapshots.folder(home) / snap["file"]
        con = duckdb.connect(str(path))
        for col in canonical.derived(name):
            con.execute(f'ALTER TABLE "{name}" DROP COLUMN "{col}"')
        con.close()
    snapshots.catalog_path(home).write_text(json.dumps(catalog), encoding="utf-8")


def test_a_workspace_published_before_keys_gets_them_when_opened(tmp_path: Path) -> None:
    ws = hy.workspace(tmp_path, write=True)
    ingest(ws, "bankruptcy_claims", [_csv(tmp_path / "claims.csv", [CLAIM])])
    ws.close()
    _strip_keys(tmp_path)
    old = snapshots.current(tmp_path)
    assert old is not None and canonical.outdated(old.tables) == ["bankruptcy_claims"]

    table = hy.workspace(tmp_path).table("bankruptcy_claims")
    assert table.claimant_id_key.execute().tolist() == ["33060219800101123X"]
    new = snapshots.current(tmp_path)
    assert new is not None and not canonical.outdated(new.tables)
    # the data did not change: a cached validation stays valid
    assert (
        new.tables["bankruptcy_claims"].fingerprint == old.tables["bankruptcy_claims"].fingerprint
    )


def test_keyed_computes_only_what_a_table_lacks() -> None:
    t = ibis.memtable({"person_id": ["a ", " 1x"], "household_id": [" H", ""]})
    k = canonical.keyed(t, "households")
    out = ibis.duckdb.connect().to_pyarrow(k).to_pydict()
    assert out["person_id_key"] == ["A", "1X"]
    assert out["household_id_key"] == ["H", None]
    assert out["person_id"] == ["a ", " 1x"]  # as written, untouched
    assert canonical.keyed(k, "households") is k
    assert canonical.keyed(t, "judgments") is t


@pytest.mark.parametrize("dataset", sorted(canonical.KEYS))
def test_keys_never_name_a_contract_column(dataset: str) -> None:
    columns = set(contracts.dataset(dataset).column_names)
    assert set(canonical.KEYS[dataset]) <= columns
    assert not set(canonical.derived(dataset)) & columns


def test_tables_kept_for_a_run_are_dropped_when_the_workspace_closes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc
    import sys

    from huiyan import registers

    ws = hy.workspace(tmp_path, write=True)
    ingest(ws, "bankruptcy_claims", [_csv(tmp_path / "claims.csv", [CLAIM])])
    ignored: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", ignored.append)
    reader = hy.workspace(tmp_path)
    kept = registers.keep(reader.table("bankruptcy_claims"))
    assert kept.count().execute() == 1
    reader.close()
    del kept
    gc.collect()
    assert ignored == []  # no finaliser tried to drop it on the closed connection


def test_a_rule_reading_a_key_reads_the_contract_column() -> None:
    from huiyan.lineage import read

    t = ibis.table({"person_id": "string", "person_id_key": "string"}, name="households")
    assert read(t.select(p=t.person_id_key)).tables == {"households": ("person_id",)}
