"""The workspace's append-only audit log: who ran, vetted, exported or imported what, and when.

Entries live in the workspace journal (``<home>/huiyan.sqlite``, :mod:`huiyan.journal`),
one row each, so that parallel county runs, reviewers and vetting never overwrite one
another. Entries are only ever appended; nothing in huiyan changes or deletes them.
An ``audit.log`` (JSON lines) left by an older huiyan is taken in once and kept as
``audit.log.imported``.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from huiyan import journal
from huiyan.workspace import Workspace

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT, who TEXT, host TEXT, action TEXT, entry TEXT
);
"""


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return os.environ.get("USER", "unknown")


def path(ws: Workspace) -> Path:
    """Where the audit log lives (the workspace journal)."""
    return journal.path(ws.home)


def _con(ws: Workspace) -> sqlite3.Connection:
    con = journal.connect(ws.home)
    con.executescript(_SCHEMA)
    legacy = ws.home / "audit.log"
    if legacy.exists():
        _import_legacy(con, legacy)
    return con


def _import_legacy(con: sqlite3.Connection, legacy: Path) -> None:
    with journal.transaction(con, "迁移审计日志 audit log migration"):
        if not legacy.exists():  # another process took it in while this one waited
            return
        for line in legacy.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                _insert(con, entry)
        with contextlib.suppress(OSError):
            legacy.rename(legacy.with_name("audit.log.imported"))


def _insert(con: sqlite3.Connection, entry: dict[str, Any]) -> None:
    con.execute(
        "INSERT INTO audit (at, who, host, action, entry) VALUES (?, ?, ?, ?, ?)",
        [
            entry.get("at"),
            entry.get("who"),
            entry.get("host"),
            entry.get("action"),
            json.dumps(entry, ensure_ascii=False, default=str),
        ],
    )


def record(ws: Workspace, action: str, **details: Any) -> dict[str, Any]:
    """Append one entry (action, who, host, when, details) and return it."""
    entry = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "who": _who(),
        "host": socket.gethostname(),
        "action": action,
        **details,
    }
    entry = json.loads(json.dumps(entry, ensure_ascii=False, default=str))
    con = _con(ws)
    try:
        with journal.transaction(con, f"审计日志 audit log ({action})"):
            _insert(con, entry)
    finally:
        con.close()
    return entry


def entries(ws: Workspace, *, action: str | None = None) -> list[dict[str, Any]]:
    """Every entry so far, oldest first (optionally only one kind of action)."""
    if not journal.path(ws.home).exists() and not (ws.home / "audit.log").exists():
        return []
    con = _con(ws)
    try:
        sql, params = "SELECT entry FROM audit", []
        if action is not None:
            sql += " WHERE action = ?"
            params.append(action)
        rows = con.execute(sql + " ORDER BY id", params).fetchall()
    finally:
        con.close()
    return [json.loads(r[0]) for r in rows]
