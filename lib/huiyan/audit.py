"""The workspace's append-only audit log: who ran, vetted, exported or imported what, and when.

One JSON object per line in ``<home>/audit.log``. Entries are only ever appended;
nothing in huiyan rewrites or truncates the file.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from huiyan.workspace import Workspace


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return os.environ.get("USER", "unknown")


def path(ws: Workspace) -> Path:
    """Where the audit log lives."""
    return ws.home / "audit.log"


def record(ws: Workspace, action: str, **details: Any) -> dict[str, Any]:
    """Append one entry (action, who, host, when, details) and return it."""
    entry = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "who": _who(),
        "host": socket.gethostname(),
        "action": action,
        **details,
    }
    ws.home.mkdir(parents=True, exist_ok=True)
    line = json.dumps(entry, ensure_ascii=False, default=str, sort_keys=False)
    # O_APPEND keeps concurrent writers (parallel county runs) from overwriting each other.
    fd = os.open(path(ws), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
    finally:
        os.close(fd)
    return entry


def entries(ws: Workspace, *, action: str | None = None) -> list[dict[str, Any]]:
    """Every entry so far, oldest first (optionally only one kind of action)."""
    p = path(ws)
    if not p.exists():
        return []
    out = [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [e for e in out if action is None or e["action"] == action]
