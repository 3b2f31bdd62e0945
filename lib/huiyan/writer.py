"""Writing a workspace's datasets: one writer at a time; the others wait their turn.

Every write (an ingest, ``huiyan synth``, parsing judgments into the derived tables, a
notebook opened with ``hy.workspace(write=True)``) runs inside :func:`writing`:

1. it takes the workspace's writer lock (``datasets/.writer.lock``), waiting with a bounded
   timeout and saying whom it waits for;
2. it opens the writers' database ``datasets/huiyan.duckdb`` for the write, and only then;
3. when the block ends, successful or not, it publishes the tables that changed as new
   snapshot files and switches the catalog (:mod:`huiyan.snapshots`), with Ctrl-C held, so
   readers see all of a write or none of it; then it closes the database and releases the
   lock.

The lock is an ``flock``: the operating system releases it when its process ends, so a
killed writer never leaves a stale lock behind. A writer killed between its commit and
its publish leaves the database ahead of the catalog; the next writer (or reader) notices
and publishes what is missing.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import socket
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from huiyan import interrupts, snapshots
from huiyan.errors import WorkspaceError

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 600.0
"""How long a write waits for another by default ($HUIYAN_WRITE_TIMEOUT overrides it)."""
_NOTICE_EVERY_S = 30.0


def lock_path(home: Path) -> Path:
    return home / "datasets" / ".writer.lock"


def holder_path(home: Path) -> Path:
    return home / "datasets" / ".writer.json"


def timeout_s() -> float:
    """The bounded wait for a writer lock, in seconds."""
    value = os.environ.get("HUIYAN_WRITE_TIMEOUT", "")
    try:
        return float(value) if value else DEFAULT_TIMEOUT_S
    except ValueError:
        return DEFAULT_TIMEOUT_S


@dataclass
class Writer:
    """An open write: the writers' DuckDB connection and the tables the write changes."""

    con: Any
    purpose: str
    tables: set[str] | None = field(default_factory=set)
    meta: dict[str, dict[str, Any]] = field(default_factory=dict)

    def create_table(self, name: str, data: Any) -> None:
        """Create (or replace) table ``name`` from a pandas DataFrame or an Arrow table."""
        view = f"_huiyan_incoming_{os.getpid()}"
        self.con.register(view, data)
        try:
            self.con.execute(
                f"CREATE OR REPLACE TABLE main.{snapshots.quote(name)} AS SELECT * FROM {view}"
            )
        finally:
            self.con.unregister(view)
        self.changed(name)

    def changed(self, *tables: str, **meta: Any) -> None:
        """Declare tables this write changed (published when the write ends)."""
        if self.tables is not None:
            self.tables.update(tables)
        for name in tables:
            if meta:
                self.meta.setdefault(name, {}).update(meta)


_active: dict[Path, Writer] = {}
waits: list[float] = []
"""Seconds each write of this process waited for the lock (benchmarks read it)."""


def holder(home: Path) -> dict[str, Any]:
    """Who holds (or last held) the writer lock: pid, host, purpose, since."""
    try:
        return dict(json.loads(holder_path(home).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def _describe(info: dict[str, Any]) -> tuple[str, str]:
    if not info:
        return "另一个写入操作", "another write"
    since = str(info.get("since", ""))[11:19]
    zh = f"「{info.get('purpose', '?')}」（进程 {info.get('pid', '?')}，{since} 开始）"
    en = f'"{info.get("purpose", "?")}" (process {info.get("pid", "?")}, since {since})'
    return zh, en


def _acquire(home: Path, purpose: str, deadline: float) -> int:
    path = lock_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    noticed = 0.0
    began = time.monotonic()
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                zh, en = _describe(holder(home))
                now = time.monotonic()
                if now >= deadline:
                    raise WorkspaceError(
                        f"等待写入锁超时：{zh} 仍在写入工作区 {home}。",
                        f"Timed out waiting to write workspace {home}: {en} is still writing.",
                        "请等其完成后重试，或设置 HUIYAN_WRITE_TIMEOUT（秒）延长等待 "
                        "Try again when it has finished, or wait longer with "
                        "HUIYAN_WRITE_TIMEOUT=SECONDS.",
                    ) from None
                if now - noticed >= _NOTICE_EVERY_S:
                    log.warning("正在等待 %s 完成写入… Waiting for %s to finish writing…", zh, en)
                    noticed = now
                time.sleep(0.1)
    except BaseException:
        os.close(fd)
        raise
    waits.append(time.monotonic() - began)
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "purpose": purpose,
        "since": datetime.now().isoformat(timespec="seconds"),
    }
    tmp = holder_path(home).with_name(f".writer.json.{os.getpid()}")
    tmp.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, holder_path(home))
    return fd


def _open_master(home: Path, deadline: float) -> Any:
    """The writers' database, waiting while another program (a DuckDB shell) has it open."""
    import duckdb

    noticed = 0.0
    while True:
        try:
            return duckdb.connect(str(snapshots.master_path(home)))
        except (duckdb.IOException, duckdb.ConnectionException) as err:
            now = time.monotonic()
            if now >= deadline:
                raise WorkspaceError(
                    f"工作区数据库 {snapshots.master_path(home)} 被另一个程序打开（不是 huiyan）。",
                    f"The workspace database {snapshots.master_path(home)} is open in another "
                    f"program (not huiyan): {err}",
                    "请关闭直接打开该文件的程序（如 DuckDB 命令行）后重试 Close the program "
                    "that opened the file directly (e.g. a DuckDB shell) and try again.",
                ) from err
            if now - noticed >= _NOTICE_EVERY_S:
                log.warning(
                    "工作区数据库被另一个程序打开，正在等待… The workspace database is open in "
                    "another program; waiting…"
                )
                noticed = now
            time.sleep(0.2)


@contextmanager
def writing(
    home: Path,
    purpose: str,
    *,
    tables: Iterable[str] | None = None,
    timeout: float | None = None,
    visible: bool = True,
) -> Iterator[Writer]:
    """Hold the workspace's writer lock and its database for one write, then publish.

    Args:
        home: the workspace folder.
        purpose: what the write is, as others waiting for it are told (``huiyan ingest
            vehicles``).
        tables: the tables the write may change; None when not known beforehand (every
            table is then compared when the write ends). New and dropped tables are always
            noticed. Declare more with :meth:`Writer.changed`.
        timeout: seconds to wait for another writer; default :func:`timeout_s`.
        visible: False for writes of derived data (parsed judgments) that a user did not ask
            for; they are not reported as changes after Ctrl-C.

    A write nested in another of the same workspace (parsing judgments inside an ingest)
    joins the outer one.
    """
    home = Path(home)
    outer = _active.get(home)
    if outer is not None:
        if tables is None:
            outer.tables = None
        elif outer.tables is not None:
            outer.tables.update(tables)
        yield outer
        return
    deadline = time.monotonic() + (timeout_s() if timeout is None else timeout)
    fd = _acquire(home, purpose, deadline)
    try:
        con = _open_master(home, deadline)
        try:
            before = set(snapshots.master_tables(con))
            recover = snapshots.is_stale(home, snapshots.current(home))
            writer = Writer(con, purpose, None if tables is None else set(tables))
            _active[home] = writer
            try:
                yield writer
            finally:
                del _active[home]
                with interrupts.deferred():
                    old = snapshots.current(home) or snapshots.Catalog()
                    new = _publish(home, writer, before, recover)
                    if visible and new.tables != old.tables:
                        interrupts.record_saved(purpose)
        finally:
            with contextlib.suppress(Exception):
                con.close()
    finally:
        os.close(fd)  # releases the flock


def _publish(home: Path, writer: Writer, before: set[str], recover: bool) -> snapshots.Catalog:
    con = writer.con
    with contextlib.suppress(Exception):
        con.execute("ROLLBACK")  # a transaction the block left open (it failed) is undone
    after = set(snapshots.master_tables(con))
    if writer.tables is None or recover:
        catalog = snapshots.sync(con, home)
    else:
        catalog = snapshots.current(home) or snapshots.Catalog()
        catalog_changed = (writer.tables & (after | before)) | (after ^ before)
        if catalog_changed:
            catalog = snapshots.publish(con, home, catalog_changed, meta=writer.meta)
    if writer.meta:
        catalog = _with_meta(catalog, writer.meta)
    con.close()
    return snapshots.commit(home, catalog)


def _with_meta(catalog: snapshots.Catalog, meta: dict[str, dict[str, Any]]) -> snapshots.Catalog:
    from dataclasses import replace

    tables = dict(catalog.tables)
    for name, extra in meta.items():
        if name in tables:
            tables[name] = replace(tables[name], meta={**tables[name].meta, **extra})
    return replace(catalog, tables=tables)


def _busy(home: Path) -> bool:
    """True while another process holds the writer lock."""
    path = lock_path(home)
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing also releases the lock when it was taken
    return False


def ensure_published(home: Path) -> snapshots.Catalog | None:
    """The catalog to read, after publishing the writers' database where the catalog is
    missing or behind it (an older workspace, an outside edit, a writer killed mid-publish),
    or where a table's snapshot lacks the canonical identifiers of :mod:`huiyan.canonical`.

    While a writer is busy and a catalog exists, that catalog is returned as it is: the
    writer publishes when it ends. Before anything was ever published, this waits for it.
    """
    from huiyan import canonical

    home = Path(home)
    catalog = snapshots.current(home)
    # published before this version's canonical identifiers: publish those tables again
    outdated = canonical.outdated(catalog.tables) if catalog is not None else []
    if (not snapshots.is_stale(home, catalog) and not outdated) or home in _active:
        return catalog
    if catalog is not None and _busy(home):
        return catalog  # the rules compute any missing identifiers themselves meanwhile
    with writing(home, "发布快照 publish snapshots", tables=outdated, visible=False):
        pass
    return snapshots.current(home)
