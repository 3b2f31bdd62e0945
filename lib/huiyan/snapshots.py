"""Dataset snapshots: what notebooks and runs read, published atomically by each write.

Readers never open the writers' database. After every write the changed tables are
copied into immutable files, one per table version, and a small catalog names the
current file of every table::

    <home>/datasets/huiyan.duckdb                    the writers' database (one table per dataset)
    <home>/datasets/snapshots/catalog.json          the current snapshot: table -> file, rows,
                                                    fingerprint
    <home>/datasets/snapshots/<table>.<seq>.duckdb  one immutable file per table version
    <home>/datasets/snapshots/leases/*.json         files that a live reader still uses

A reader (a notebook kernel, a model run, ``huiyan clues``) reads the catalog once and
attaches the files it names, read-only, into an in-memory DuckDB: it sees one consistent
snapshot for as long as it likes and holds no lock that could stop a writer. A writer
copies each changed table into a new file and then replaces the catalog in one atomic
rename, so a reader sees either the old snapshot or the new one, never half of a write.
Old files are deleted once no live reader leases them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import socket
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FORMAT = 1
GRACE_S = 120.0
"""A file retired less than this long ago is kept even when no lease names it: a reader may
have read the old catalog a moment before the switch and be about to attach the file."""


def folder(home: Path) -> Path:
    """Where a workspace keeps its snapshot files and catalog."""
    return home / "datasets" / "snapshots"


def master_path(home: Path) -> Path:
    """The writers' database."""
    return home / "datasets" / "huiyan.duckdb"


def quote(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def fingerprint(con: Any, table: str) -> str:
    """Row count and an order-independent content hash of a table, e.g. ``"1204:3f9a0c1d2e4b5a69"``.

    The sum of the row hashes plus the schema: any changed, added or removed row or column
    changes it, row order does not.
    """
    rows, total = con.execute(
        f"SELECT count(*), sum(hash(t)) % 18446744073709551616 FROM {quote(table)} AS t"
    ).fetchone()
    cols = ",".join(f"{r[0]}:{r[1]}" for r in con.execute(f"DESCRIBE {quote(table)}").fetchall())
    digest = hashlib.sha256(f"{int(total or 0)}|{cols}".encode()).hexdigest()[:16]
    return f"{int(rows)}:{digest}"


@dataclass(frozen=True)
class TableSnapshot:
    """One published version of one table."""

    name: str
    file: str
    rows: int
    fingerprint: str
    published_at: str
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def version(self) -> str:
        """The version's name, as recorded in a run's manifest: ``judgments.000012``."""
        return self.file.removesuffix(".duckdb")

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "rows": self.rows,
            "fingerprint": self.fingerprint,
            "published_at": self.published_at,
            "meta": dict(self.meta),
        }


@dataclass(frozen=True)
class Catalog:
    """The current snapshot of a workspace: every table's current file."""

    seq: int = 0
    tables: Mapping[str, TableSnapshot] = field(default_factory=dict)
    master: Mapping[str, int] = field(default_factory=dict)
    retired: Mapping[str, float] = field(default_factory=dict)

    def files(self) -> set[str]:
        return {t.file for t in self.tables.values()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "seq": self.seq,
            "master": dict(self.master),
            "tables": {n: t.to_dict() for n, t in sorted(self.tables.items())},
            "retired": dict(self.retired),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Catalog:
        tables = {
            name: TableSnapshot(
                name=name,
                file=str(t["file"]),
                rows=int(t["rows"]),
                fingerprint=str(t["fingerprint"]),
                published_at=str(t.get("published_at", "")),
                meta=dict(t.get("meta") or {}),
            )
            for name, t in (data.get("tables") or {}).items()
        }
        return cls(
            seq=int(data.get("seq", 0)),
            tables=tables,
            master={k: int(v) for k, v in (data.get("master") or {}).items()},
            retired={k: float(v) for k, v in (data.get("retired") or {}).items()},
        )

    def pinned(self) -> str:
        """This snapshot as a JSON string (what a run hands its notebook kernel)."""
        return json.dumps(self.to_dict(), ensure_ascii=False)


def catalog_path(home: Path) -> Path:
    return folder(home) / "catalog.json"


def current(home: Path) -> Catalog | None:
    """The workspace's current catalog, or None before anything was published."""
    try:
        text = catalog_path(home).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return Catalog.from_dict(json.loads(text))


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    """Write a JSON file atomically: a reader sees the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:6]}")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def master_stat(home: Path) -> dict[str, int]:
    """Size and modification time of the writers' database (changes when anything writes it).

    A write-ahead log beside it counts too: a writer killed after its commit leaves the commit
    in the log (a clean close folds the log into the file and removes it).
    """
    path = master_path(home)
    try:
        st = path.stat()
    except FileNotFoundError:
        return {}
    wal = path.with_name(path.name + ".wal")
    return {
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "wal": wal.stat().st_size if wal.exists() else -1,
    }


def is_stale(home: Path, catalog: Catalog | None) -> bool:
    """True when the writers' database was changed after the catalog was published.

    That happens only when something other than huiyan wrote it (a DuckDB shell, a test)
    or a writer was killed between its commit and its publish.
    """
    if not master_path(home).exists():
        return False
    return catalog is None or dict(catalog.master) != master_stat(home)


# -- writing ---------------------------------------------------------------------------------


def _copy_table(con: Any, name: str, target: Path) -> dict[str, Any]:
    """Copy ``main.name`` into a new file, with its canonical identifiers (huiyan.canonical);
    returns the metadata recording them."""
    from huiyan import canonical

    select, meta = canonical.snapshot_sql(con, name)
    alias = f"_huiyan_snap_{uuid.uuid4().hex[:8]}"
    con.execute("SET enable_progress_bar = false")  # a long copy draws no bar on the terminal
    con.execute(f"ATTACH '{_sql_path(target)}' AS {alias}")
    try:
        con.execute(f"CREATE TABLE {alias}.{quote(name)} AS {select}")
    finally:
        con.execute(f"DETACH {alias}")
    return meta


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def master_tables(con: Any) -> list[str]:
    """The base tables of the writers' database (temporary work tables excluded)."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND NOT temporary"
    ).fetchall()
    return sorted(str(r[0]) for r in rows)


def _regions(con: Any, name: str) -> dict[str, Any]:
    """The county codes in a table with a ``region`` column, kept so no reader scans for them."""
    columns = {r[0] for r in con.execute(f"DESCRIBE main.{quote(name)}").fetchall()}
    if "region" not in columns:
        return {}
    rows = con.execute(
        f"SELECT DISTINCT CAST(region AS VARCHAR) FROM main.{quote(name)} WHERE region IS NOT NULL"
    ).fetchall()
    return {"regions": sorted(str(r[0]) for r in rows if r[0])}


def publish(
    con: Any,
    home: Path,
    changed: Iterable[str],
    *,
    meta: Mapping[str, Mapping[str, Any]] | None = None,
) -> Catalog:
    """Copy the ``changed`` tables into new snapshot files and switch the catalog to them.

    Tables named in ``changed`` that no longer exist in the writers' database leave the
    catalog. The caller holds the workspace's writer lock; ``con`` is its connection.
    """
    old = current(home) or Catalog()
    present = set(master_tables(con))
    changed = sorted(set(changed))
    seq = old.seq + 1
    now = datetime.now(UTC).isoformat(timespec="seconds")
    tables = dict(old.tables)
    base = folder(home)
    base.mkdir(parents=True, exist_ok=True)
    for name in changed:
        if name not in present:
            tables.pop(name, None)
            continue
        file = f"{name}.{seq:06d}.duckdb"
        tmp = base / f".{file}.{os.getpid()}.tmp"
        tmp.unlink(missing_ok=True)
        derived = _copy_table(con, name, tmp)
        os.replace(tmp, base / file)
        previous = old.tables.get(name)
        kept = dict((meta or {}).get(name) or (previous.meta if previous else {}))
        kept.pop("canonical", None)  # this copy says for itself whether it has them
        tables[name] = TableSnapshot(
            name=name,
            file=file,
            rows=int(con.execute(f"SELECT count(*) FROM main.{quote(name)}").fetchone()[0]),
            fingerprint=fingerprint(con, name),
            published_at=now,
            meta={**kept, **_regions(con, name), **derived},
        )
    retired = {f: t for f, t in old.retired.items() if (base / f).exists()}
    for name, snap in old.tables.items():
        if name not in tables or tables[name].file != snap.file:
            retired[snap.file] = time.time()
    return replace(old, seq=seq, tables=tables, retired=retired)


def commit(home: Path, catalog: Catalog) -> Catalog:
    """Make ``catalog`` the current one (after the writers' database was closed)."""
    catalog = replace(catalog, master=master_stat(home))
    _write_json(catalog_path(home), catalog.to_dict())
    collect_garbage(home, catalog)
    return catalog


def sync(con: Any, home: Path) -> Catalog:
    """Publish every table whose content differs from the catalog's (after a crash or an
    outside edit of the writers' database); returns the catalog to commit."""
    from huiyan import canonical

    old = current(home) or Catalog()
    present = master_tables(con)
    outdated = set(canonical.outdated(old.tables))
    changed = [
        n
        for n in present
        if n not in old.tables or n in outdated or fingerprint(con, n) != old.tables[n].fingerprint
    ]
    gone = [n for n in old.tables if n not in present]
    if changed or gone:
        log.info("snapshots: republishing %s", ", ".join(changed + gone))
    return publish(con, home, [*changed, *gone])


# -- leases and garbage ----------------------------------------------------------------------


def _alive(pid: int, host: str) -> bool:
    if host != socket.gethostname():
        return True  # another machine's reader: never ours to judge
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Lease:
    """A live reader's claim on snapshot files: they are not deleted while it holds them."""

    def __init__(self, home: Path) -> None:
        self.path = folder(home) / "leases" / f"{os.getpid()}-{uuid.uuid4().hex[:8]}.json"

    def hold(self, files: Iterable[str]) -> None:
        _write_json(
            self.path,
            {"pid": os.getpid(), "host": socket.gethostname(), "files": sorted(set(files))},
        )

    def release(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)


def leased_files(home: Path) -> set[str]:
    """Files named by the leases of live readers; leases of dead processes are removed."""
    held: set[str] = set()
    for path in (folder(home) / "leases").glob("*.json"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # being written right now
        if _alive(int(data.get("pid", 0)), str(data.get("host", ""))):
            held.update(data.get("files") or [])
        else:
            with contextlib.suppress(OSError):
                path.unlink()
    return held


def collect_garbage(home: Path, catalog: Catalog) -> list[str]:
    """Delete snapshot files that are not current, not leased and retired a while ago."""
    keep = catalog.files() | leased_files(home)
    now = time.time()
    removed = []
    base = folder(home)
    for path in base.glob("*.duckdb"):
        if path.name in keep:
            continue
        retired_at = catalog.retired.get(path.name)
        if retired_at is None:
            retired_at = path.stat().st_mtime
        if now - retired_at >= GRACE_S:
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path.name)
    for path in base.glob(".*.tmp"):  # a copy a killed writer left behind
        pid = path.name.rsplit(".", 2)[-2]
        if pid.isdigit() and not _alive(int(pid), socket.gethostname()):
            path.unlink(missing_ok=True)
    if removed:
        log.info("snapshots: removed %d old files", len(removed))
    return removed
