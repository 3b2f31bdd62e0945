"""Where a county's or province's data and runs live, and how notebooks reach them.

A workspace is a folder (contract README, "Workspace")::

    <home>/datasets/huiyan.duckdb   ingested datasets, one table per dataset (writers only)
    <home>/datasets/snapshots/      what readers read: immutable copies, one per table version
    <home>/huiyan.sqlite            the clue ledger and the audit log (many small writers)
    <home>/runs/<model>/<run_id>/   one folder per model run
    <home>/huiyan.toml              settings: engine, Spark master, signing key

``home`` is the ``home`` argument when given, else ``$HUIYAN_HOME``, else the
repository root.

Example:
    >>> import huiyan as hy
    >>> ws = hy.workspace()                       # doctest: +SKIP
    >>> ws.table("judgments").count().execute()   # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import json
import os
import tomllib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from huiyan import counties, snapshots
from huiyan.errors import WorkspaceError, did_you_mean
from huiyan.repository import REPO_ROOT

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from huiyan.writer import Writer


Engine = Literal["duckdb", "spark"]


def _resolve_home(home: str | os.PathLike[str] | None) -> Path:
    if home is not None:
        return Path(home).expanduser().resolve()
    env = os.environ.get("HUIYAN_HOME")
    if env:
        return Path(env).expanduser().resolve()
    return REPO_ROOT


@dataclass
class Workspace:
    """One workspace folder: a consistent snapshot of its datasets to read, and a way to write.

    Reading never locks anything: the tables are the workspace's current snapshot (see
    :mod:`huiyan.snapshots`), attached read-only into an in-memory DuckDB, and stay the same
    until :meth:`refresh`. Writing (:meth:`writing`) needs ``write=True`` and waits its turn
    behind other writers.

    Args:
        home: the workspace folder.
        write: allow :meth:`writing` (ingest, synth, a notebook that must write).
        engine: "duckdb" (default) or "spark"; None reads ``huiyan.toml``.
        pinned: a snapshot to read instead of the current one (a run hands its notebook the
            snapshot it validated, as JSON).
    """

    home: Path
    write: bool = False
    engine: Engine | None = None
    pinned: str | None = field(default=None, repr=False)
    _con: Any = field(default=None, init=False, repr=False)
    _catalog: Any = field(default=None, init=False, repr=False)
    _attached: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _lease: Any = field(default=None, init=False, repr=False)

    @property
    def read_only(self) -> bool:
        return not self.write

    @property
    def db_path(self) -> Path:
        """The writers' database (readers never open it; see :mod:`huiyan.snapshots`)."""
        return self.home / "datasets" / "huiyan.duckdb"

    @property
    def runs_dir(self) -> Path:
        return self.home / "runs"

    @property
    def keys_dir(self) -> Path:
        return self.home / "keys"

    @cached_property
    def settings(self) -> dict[str, Any]:
        """The contents of ``huiyan.toml`` (empty when there is none)."""
        path = self.home / "huiyan.toml"
        if not path.exists():
            return {}
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise WorkspaceError(
                f"工作区设置文件 {path} 格式错误：{err}",
                f"The settings file {path} is not valid TOML: {err}",
            ) from err

    @property
    def engine_name(self) -> Engine:
        if self.engine is not None:
            return self.engine
        name = self.settings.get("engine", {}).get("name", "duckdb")
        if name not in ("duckdb", "spark"):
            raise WorkspaceError(
                f'huiyan.toml 中的引擎 "{name}" 无效，应为 duckdb 或 spark。',
                f'Engine "{name}" in huiyan.toml is not valid; use duckdb or spark.',
            )
        return name  # type: ignore[return-value]

    # -- reading ---------------------------------------------------------------------------

    @property
    def catalog(self) -> snapshots.Catalog:
        """The snapshot this workspace reads (fixed until :meth:`refresh`)."""
        if self._catalog is None:
            self._catalog = self._load_catalog()
        return self._catalog

    def _load_catalog(self) -> snapshots.Catalog:
        if self.pinned:
            return snapshots.Catalog.from_dict(json.loads(self.pinned))
        from huiyan.writer import ensure_published

        found = ensure_published(self.home)
        if found is None:
            raise WorkspaceError(
                f"工作区 {self.home} 还没有数据库（{self.db_path}）。",
                f"Workspace {self.home} has no database yet ({self.db_path}).",
                "请先运行 Run first: huiyan synth --scale tiny  或 or  huiyan ingest DATASET FILE",
            )
        return found

    def snapshot(self, name: str) -> snapshots.TableSnapshot:
        """The snapshot of one table this workspace reads: file, rows, fingerprint."""
        found = self.catalog.tables.get(name)
        if found is None:
            raise self._missing(name)
        return found

    def tables(self) -> list[str]:
        """The names of the datasets and derived tables in the snapshot."""
        return sorted(self.catalog.tables)

    @property
    def con(self) -> Any:
        """The ibis backend for this workspace, opened on first use."""
        if self._con is None:
            from huiyan import preload

            with preload.LOCK:  # the first connection may import ibis (see huiyan.preload)
                self._con = self._connect()
        return self._con

    def _connect(self) -> Any:
        import ibis  # loaded on first use: a command that opens no connection starts faster

        # Rules are chains of small steps. ibis by default fuses each chain of selects into
        # one query before compiling; that rewrite cost 0.1-0.6 s of a county run, more than
        # the queries, and DuckDB's and Spark's own optimisers flatten the nesting anyway
        # (the same clues either way: tests/test_workspace.py).
        ibis.options.sql.fuse_selects = False
        if self.engine_name == "spark":
            from huiyan import spark

            return spark.connect(self)
        con = ibis.duckdb.connect()
        from huiyan.compiled import remember_sql

        remember_sql(con)  # a warm kernel's next run compiles nothing it compiled before
        self._attached = {}
        self._lease = snapshots.Lease(self.home)
        catalog = self.catalog
        self._lease.hold(catalog.files())
        for snap in catalog.tables.values():
            self._attach(con.con, snap)
        return con

    def _attach(self, raw: Any, snap: snapshots.TableSnapshot) -> None:
        import duckdb

        alias = snap.version
        path = snapshots.folder(self.home) / snap.file
        try:
            raw.execute(f"ATTACH '{path!s}' AS {snapshots.quote(alias)} (READ_ONLY)")
        except duckdb.IOException as err:
            raise WorkspaceError(
                f"数据集 {snap.name} 的快照文件 {path} 无法读取。",
                f"The snapshot file {path} of dataset {snap.name} cannot be read: {err}",
                "请刷新后重试 Refresh and try again: ws.refresh()",
            ) from err
        raw.execute(
            f"CREATE OR REPLACE VIEW main.{snapshots.quote(snap.name)} AS "
            f"SELECT * FROM {snapshots.quote(alias)}.main.{snapshots.quote(snap.name)}"
        )
        old = self._attached.get(snap.name)
        self._attached[snap.name] = alias
        if old and old != alias:
            raw.execute(f"DETACH {snapshots.quote(old)}")

    def refresh(self) -> list[str]:
        """Read the workspace's newest snapshot from now on; returns the tables that changed.

        A notebook calls it after an ingest to see the new data (``ws.refresh()``); until then
        it keeps reading the snapshot it opened, unchanged.
        """
        if self._catalog is None:
            return []  # nothing read yet: the first read takes the newest snapshot anyway
        old = self._catalog
        self.pinned = None
        new = self._load_catalog()
        changed = sorted(
            n for n in set(old.tables) | set(new.tables) if old.tables.get(n) != new.tables.get(n)
        )
        self._catalog = new
        if self._con is not None and changed:  # what the connection kept was read before
            getattr(self._con, "__dict__", {}).get("_huiyan_kept", set()).clear()
        if self._con is not None and self.engine_name == "duckdb" and changed:
            self._lease.hold(old.files() | new.files())
            raw = self._con.con
            for name in changed:
                if name in new.tables:
                    self._attach(raw, new.tables[name])
                else:
                    raw.execute(f"DROP VIEW IF EXISTS main.{snapshots.quote(name)}")
                    alias = self._attached.pop(name, None)
                    if alias:
                        raw.execute(f"DETACH {snapshots.quote(alias)}")
            self._lease.hold(new.files())
        elif self._con is not None and changed:  # Spark: reconnect on the new snapshot
            self.close()
        return changed

    def close(self) -> None:
        """Close the connection and release the snapshot files it held."""
        if self._con is not None:
            # tables a model kept for its run (huiyan.registers.keep) are dropped now, while
            # the connection is open, not by a finaliser after it closed
            kept = getattr(self._con, "_cache_name_to_entry", {})
            for entry in list(kept.values()):
                with contextlib.suppress(Exception):
                    entry.finalizer()
            with contextlib.suppress(Exception):
                self._con.disconnect()
            self._con = None
        if self._lease is not None:
            self._lease.release()
            self._lease = None
        self._attached = {}

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            if self._lease is not None:
                self._lease.release()

    def reopen(self, *, engine: Engine) -> Workspace:
        """The same workspace folder opened again, read-only, on ``engine`` (its own snapshot)."""
        return workspace(self.home, engine=engine)

    def has_table(self, name: str) -> bool:
        return name in self.catalog.tables

    def _missing(self, name: str) -> WorkspaceError:
        tables = self.tables()
        return WorkspaceError(
            f'工作区 {self.home} 中没有数据集 "{name}"。{did_you_mean(name, tables)}',
            f'Workspace {self.home} has no dataset "{name}".',
            "可先导入 Load it with: huiyan ingest "
            f"{name} FILE  或生成合成数据 or synthesise: huiyan synth --scale tiny",
        )

    def table(self, name: str, *, region: str | None = None) -> ir.Table:
        """The ingested dataset ``name`` as an ibis table; a clear error when it is missing.

        Args:
            name: the dataset (or derived table) name.
            region: a 6-digit county code to keep only that county's rows ("" or None: all);
                ``"*"``: every county's rows, each marked with its county, for a run of
                each county on its own (:mod:`huiyan.counties`).
        """
        if not self.has_table(name):
            raise self._missing(name)
        table = self.con.table(name)
        if region:
            if "region" not in table.columns:
                raise WorkspaceError(
                    f'数据集 "{name}" 没有区划代码列，不能按县区筛选。',
                    f'Dataset "{name}" has no region column to filter by county.',
                )
            if region == counties.EACH:
                return counties.mark(table)
            table = table.filter(table.region == region)
        return table

    def regions(self) -> list[str]:
        """The county codes present in the workspace's data (from judgments and the other datasets)."""
        from huiyan import contracts

        found: set[str] = set()
        for ds in contracts.datasets().values():
            if self.has_table(ds.name) and "region" in ds.column_names:
                known = self.snapshot(ds.name).meta.get("regions")
                if known is not None:  # taken when the snapshot was published
                    found.update(known)
                    continue
                codes = self.con.table(ds.name).select("region").distinct().to_pyarrow()
                found.update(x for x in codes.column("region").to_pylist() if x)
        return sorted(found)

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def writing(self, purpose: str, *, tables: Iterable[str] | None = None) -> Iterator[Writer]:
        """Write to the workspace's database: waits for other writers, publishes at the end.

        Yields a :class:`~huiyan.writer.Writer` whose ``con`` is the writers' DuckDB
        connection. Afterwards this workspace reads the new snapshot.

        Example:
            >>> ws = hy.workspace(write=True)                      # doctest: +SKIP
            >>> with ws.writing("标注 notes", tables=["my_notes"]) as w:  # doctest: +SKIP
            ...     w.con.execute("CREATE OR REPLACE TABLE my_notes AS SELECT 1 AS x")
        """
        if not self.write:
            raise WorkspaceError(
                f"工作区 {self.home} 以只读方式打开，不能写入。",
                f"Workspace {self.home} was opened read-only; it cannot write.",
                "需要写入时请用 To write, open it with: hy.workspace(write=True)",
            )
        from huiyan.writer import writing

        try:
            with writing(self.home, purpose, tables=tables) as w:
                yield w
        finally:
            if self._catalog is not None:
                self.refresh()


def workspace(
    home: str | os.PathLike[str] | None = None,
    *,
    write: bool = False,
    engine: Engine | None = None,
) -> Workspace:
    """Open the workspace: ``home``, else ``$HUIYAN_HOME``, else the repository root.

    Notebooks call it with no arguments and read a consistent snapshot of the data, holding
    no lock: an ingest, a run or a reviewer never waits for an open notebook. Inside a
    ``huiyan run`` the runner hands the notebook the snapshot it validated
    (``$HUIYAN_SNAPSHOT``), so the notebook reads exactly that.

    Args:
        home: the workspace folder.
        write: the rare notebook that writes tables needs ``write=True`` (see
            :meth:`Workspace.writing`).
        engine: "duckdb" or "spark"; default ``$HUIYAN_ENGINE``, else ``huiyan.toml``.
    """
    if engine is None:
        env_engine = os.environ.get("HUIYAN_ENGINE")
        engine = env_engine if env_engine in ("duckdb", "spark") else None  # type: ignore[assignment]
    resolved = _resolve_home(home)
    pinned = None
    if os.environ.get("HUIYAN_SNAPSHOT") and str(resolved) == os.environ.get("HUIYAN_HOME"):
        pinned = os.environ["HUIYAN_SNAPSHOT"]
    if pinned is None or write or not os.environ.get("HUIYAN_RUN_DIR"):
        return Workspace(home=resolved, write=write, engine=engine, pinned=pinned)
    return _of_runs(resolved, engine, pinned)


_RUNS: dict[tuple[Path, Engine | None, str], Workspace] = {}
"""A run kernel's workspace, kept for its next run while the snapshot stays the same."""


def _of_runs(home: Path, engine: Engine | None, pinned: str) -> Workspace:
    """The workspace a notebook inside ``huiyan run`` reads: the snapshot the runner pinned.

    A warm kernel's next run of the same snapshot reads the same data through the same
    connection: the tables its inputs kept are still there, and the rules, built again over
    the same tables, are the same expressions (:func:`huiyan.rules.rule` then reuses them).
    Another snapshot, home or engine closes the old one first.
    """
    key = (home, engine, pinned)
    found = _RUNS.get(key)
    if found is not None:
        return found
    for old in _RUNS.values():
        old.close()
    _RUNS.clear()
    from huiyan import rules

    rules.forget_calls()
    ws = Workspace(home=home, engine=engine, pinned=pinned)
    if ws.engine_name == "duckdb":  # a Spark session is shared anyway
        _RUNS[key] = ws
    return ws
