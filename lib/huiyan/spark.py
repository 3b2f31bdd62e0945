"""Running the same notebooks on Spark: a PySpark session and the workspace's tables as Parquet.

A province data centre keeps its data on a cluster; a county laptop runs DuckDB.
The model logic is ibis, so only the connection differs. Settings in
``<workspace>/huiyan.toml``::

    [engine]
    name = "spark"            # or pass --engine spark to huiyan run

    [spark]
    master = "local[2]"       # or spark://host:7077, yarn, ...
    data = "/path/to/parquet" # where the cluster keeps the datasets (default: exported here)

By default the workspace's current snapshot is exported to
``<home>/datasets/parquet/<table>.parquet`` when Spark connects (again only when
a table changed) and read by Spark from there.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from huiyan.workspace import Workspace

log = logging.getLogger(__name__)

_SESSION: Any = None


def parquet_dir(ws: Workspace) -> Path:
    """Where Spark reads the workspace's tables from."""
    configured = ws.settings.get("spark", {}).get("data")
    return Path(configured).expanduser() if configured else ws.home / "datasets" / "parquet"


def export_parquet(ws: Workspace, *, tables: list[str] | None = None) -> list[Path]:
    """Write the workspace's current snapshot as Parquet for Spark, skipping unchanged tables.

    A table is written again only when its snapshot changed (its fingerprint is kept in
    ``_exported.json``), so a run never reads stale Parquet and never rewrites fresh Parquet.
    """
    out_dir = parquet_dir(ws)
    out_dir.mkdir(parents=True, exist_ok=True)
    state_path = out_dir / "_exported.json"
    state = json.loads(state_path.read_text()) if state_path.exists() else {}
    written: list[Path] = []
    reader = ws.reopen(engine="duckdb")
    try:
        names = tables or reader.tables()
        for name in names:
            snap = reader.snapshot(name)
            # the data's fingerprint, and which canonical identifiers the snapshot carries
            stamp = f"{snap.fingerprint}|{snap.meta.get('canonical', 0)}"
            target = out_dir / f"{name}.parquet"
            if state.get(name) == stamp and target.exists():
                continue
            # write aside, then rename: a Spark run reading the folder never sees half a file
            partial = target.with_name(f"{name}.parquet.{os.getpid()}.tmp")
            escaped = str(partial).replace("'", "''")
            reader.con.con.execute(f"COPY \"{name}\" TO '{escaped}' (FORMAT parquet)")
            os.replace(partial, target)
            state[name] = stamp
            written.append(target)
    finally:
        reader.close()
    partial_state = state_path.with_name(f".{state_path.name}.{os.getpid()}")
    partial_state.write_text(json.dumps(state, indent=1))
    os.replace(partial_state, state_path)
    return written


def session(ws: Workspace) -> Any:
    """The Spark session: local mode on this machine unless huiyan.toml names a master."""
    global _SESSION
    if _SESSION is not None:
        return _SESSION
    from pyspark.sql import SparkSession

    master = ws.settings.get("spark", {}).get("master", "local[2]")
    os.environ.setdefault("PYSPARK_PYTHON", os.sys.executable)  # type: ignore[attr-defined]
    builder = (
        SparkSession.builder.master(master)
        .appName("huiyan")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")  # no stage bars in a notebook or CLI
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", ws.settings.get("spark", {}).get("driver_memory", "4g"))
    )
    _SESSION = builder.getOrCreate()
    _SESSION.sparkContext.setLogLevel("ERROR")
    return _SESSION


def connect(ws: Workspace) -> Any:
    """An ibis PySpark backend with every exported table of the workspace registered.

    Without a ``[spark] data`` folder in huiyan.toml the workspace's DuckDB tables are
    exported first (only those that changed), so a run never reads stale Parquet.
    """
    import ibis

    if not ws.settings.get("spark", {}).get("data") and ws.db_path.exists():
        export_parquet(ws)  # the newest snapshot (a pinned run exported it before it started)
    con = ibis.pyspark.connect(session(ws))
    folder = parquet_dir(ws)
    for path in sorted(folder.glob("*.parquet")):
        con.read_parquet(str(path), table_name=path.stem)
    log.info("Spark: %d tables from %s", len(list(folder.glob("*.parquet"))), folder)
    return con
