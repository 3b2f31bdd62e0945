"""Where a county's or province's data and runs live, and how notebooks reach them.

A workspace is a folder (contract README, "Workspace")::

    <home>/datasets/huiyan.duckdb   ingested datasets, one table per dataset
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

import os
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import ibis
import ibis.expr.types as ir

from huiyan.errors import WorkspaceError, did_you_mean

REPO_ROOT = Path(__file__).resolve().parents[2]
"""The checkout huiyan runs from: notebooks/, expectations/, datasets/datasets.yaml."""

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
    """One workspace folder and a lazily opened connection to its database.

    Args:
        home: the workspace folder.
        read_only: open DuckDB read-only, so several runs can read at once.
        engine: "duckdb" (default) or "spark"; None reads ``huiyan.toml``.
    """

    home: Path
    read_only: bool = False
    engine: Engine | None = None
    _con: Any = field(default=None, init=False, repr=False)

    @property
    def db_path(self) -> Path:
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

    @property
    def con(self) -> Any:
        """The ibis backend for this workspace, opened on first use."""
        if self._con is None:
            self._con = self._connect()
        return self._con

    def _connect(self) -> Any:
        if self.engine_name == "spark":
            from huiyan import spark

            return spark.connect(self)
        if self.read_only and not self.db_path.exists():
            raise WorkspaceError(
                f"工作区 {self.home} 还没有数据库（{self.db_path}）。",
                f"Workspace {self.home} has no database yet ({self.db_path}).",
                "请先运行 Run first: huiyan synth --scale tiny  或 or  huiyan ingest DATASET FILE",
            )
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        import duckdb

        try:
            return ibis.duckdb.connect(str(self.db_path), read_only=self.read_only)
        except (duckdb.IOException, duckdb.ConnectionException) as err:
            raise WorkspaceError(
                f"工作区数据库 {self.db_path} 正被另一个程序使用（例如正在运行的模型或打开的笔记本）。",
                f"The workspace database {self.db_path} is in use by another program "
                f"(a running model or an open notebook): {err}",
                "请等其运行结束或关闭该笔记本后重试；在笔记本中可先调用 ws.close()。"
                " Wait for it to finish or close that notebook (ws.close()), then try again.",
            ) from err

    def close(self) -> None:
        """Close the database connection (another process may then write)."""
        if self._con is not None:
            self._con.disconnect()
            self._con = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def has_table(self, name: str) -> bool:
        return name in self.con.list_tables()

    def table(self, name: str, *, region: str | None = None) -> ir.Table:
        """The ingested dataset ``name`` as an ibis table; a clear error when it is missing.

        Args:
            name: the dataset (or derived table) name.
            region: a 6-digit county code to keep only that county's rows ("" or None: all).
        """
        tables = self.con.list_tables()
        if name not in tables:
            raise WorkspaceError(
                f'工作区 {self.home} 中没有数据集 "{name}"。{did_you_mean(name, tables)}',
                f'Workspace {self.home} has no dataset "{name}".',
                "可先导入 Load it with: huiyan ingest "
                f"{name} FILE  或生成合成数据 or synthesise: huiyan synth --scale tiny",
            )
        table = self.con.table(name)
        if region:
            if "region" not in table.columns:
                raise WorkspaceError(
                    f'数据集 "{name}" 没有区划代码列，不能按县区筛选。',
                    f'Dataset "{name}" has no region column to filter by county.',
                )
            table = table.filter(table.region == region)
        return table

    def regions(self) -> list[str]:
        """The county codes present in the workspace's data (from judgments and the other datasets)."""
        from huiyan import contracts

        found: set[str] = set()
        tables = set(self.con.list_tables())
        for ds in contracts.datasets().values():
            if ds.name in tables and "region" in ds.column_names:
                codes = self.con.table(ds.name).select("region").distinct().to_pyarrow()
                found.update(x for x in codes.column("region").to_pylist() if x)
        return sorted(found)


def workspace(
    home: str | os.PathLike[str] | None = None,
    *,
    read_only: bool | None = None,
    engine: Engine | None = None,
) -> Workspace:
    """Open the workspace: ``home``, else ``$HUIYAN_HOME``, else the repository root.

    Notebooks call it with no arguments; inside a ``huiyan run`` the runner sets
    ``HUIYAN_HOME`` and ``HUIYAN_READ_ONLY`` so parallel runs can share the data.
    """
    if read_only is None:
        read_only = os.environ.get("HUIYAN_READ_ONLY") == "1"
    if engine is None:
        env_engine = os.environ.get("HUIYAN_ENGINE")
        engine = env_engine if env_engine in ("duckdb", "spark") else None  # type: ignore[assignment]
    return Workspace(home=_resolve_home(home), read_only=read_only, engine=engine)
