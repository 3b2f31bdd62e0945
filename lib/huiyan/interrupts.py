"""Ctrl-C, handled so that a write happens whole or not at all and the user is told which.

The command line installs :func:`install`; then :func:`was_interrupted` says whether Ctrl-C
was pressed (DuckDB turns it into a ``RuntimeError`` mid-query, so the exception alone
does not tell). A commit and its publish run inside :func:`deferred`, which holds Ctrl-C
until the block ends. :func:`saved` lists what this process has already written, so the
message after an interrupt can say truthfully whether anything changed.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_state = {"interrupted": False}
_saved: list[str] = []


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    _state["interrupted"] = True
    signal.default_int_handler(signum, frame)


def install() -> None:
    """Remember every Ctrl-C (and raise KeyboardInterrupt as Python does)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _on_sigint)


def was_interrupted() -> bool:
    """True once Ctrl-C was pressed in this process."""
    return _state["interrupted"]


def check() -> None:
    """Raise KeyboardInterrupt if Ctrl-C was pressed, even if something swallowed it.

    A Ctrl-C that lands while DuckDB imports a module for itself can be lost inside DuckDB;
    a write calls this just before it commits, so such a Ctrl-C still stops it in time.
    """
    if _state["interrupted"]:
        raise KeyboardInterrupt


def record_saved(what: str) -> None:
    """Note a write that is complete and visible (an ingest, a run folder, a parse)."""
    _saved.append(what)


def saved() -> list[str]:
    """What this process has written so far, in order."""
    return list(_saved)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold Ctrl-C while the block runs; it takes effect when the block ends."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[tuple[int, FrameType | None]] = []
    previous = signal.getsignal(signal.SIGINT)

    def hold(signum: int, frame: FrameType | None) -> None:
        _state["interrupted"] = True
        pending.append((signum, frame))

    signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pending:
        raise KeyboardInterrupt
