"""The workspace's journal: a SQLite database for many small writes from many people at once.

``<home>/huiyan.sqlite`` holds what people do, as opposed to the datasets they read: the
clue ledger and its review history (:mod:`huiyan.ledger`), the audit log
(:mod:`huiyan.audit`) and the vetting records. SQLite in WAL mode lets any number of
readers go on while one writer commits, and each write is a short transaction that
waits its turn (``busy_timeout``) instead of failing. Writes take the lock at once
(``BEGIN IMMEDIATE``), so a read-check-write such as a status change can never be
overtaken by another reviewer's: the second one sees the first one's result.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from huiyan.errors import WorkspaceError

BUSY_TIMEOUT_S = 60.0
"""How long one write waits for the others before giving up (they take milliseconds)."""


def path(home: Path) -> Path:
    """Where the journal lives."""
    return Path(home) / "huiyan.sqlite"


def connect(home: Path) -> sqlite3.Connection:
    """A connection to the workspace's journal (created on first use), in WAL mode."""
    Path(home).mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(
        path(home), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    return con


@contextmanager
def transaction(con: sqlite3.Connection, purpose: str) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken at once and waited for; committed or rolled back whole."""
    started = time.monotonic()
    try:
        con.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as err:
        waited = time.monotonic() - started
        raise WorkspaceError(
            f"等待写入工作区记录库 {purpose} 超时（{waited:.0f} 秒）：另一个写入一直未完成。",
            f"Timed out after {waited:.0f} s waiting to write the workspace journal "
            f"({purpose}): another write did not finish: {err}",
            "请稍后重试 Try again in a moment.",
        ) from err
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
