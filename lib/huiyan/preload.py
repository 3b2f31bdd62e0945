"""Loading the heavy libraries in the background while a command does other work, safely.

`huiyan run` imports papermill while it checks the inputs, and pandas and the report while
the notebook runs in its kernel. Two threads importing ibis (or numpy, pyarrow) at the same
moment can deadlock on those libraries' circular imports, so the background import holds
:data:`LOCK`, and so does any code that may be the first in its process to import them
(opening a database connection, validating data that is not cached). Whatever the command
uses while the background import may run (jupyter_client, to talk to its kernel) it imports
before starting it.

Example:
    >>> from huiyan import preload
    >>> preload.start(["json"])
    >>> preload.settle()  # waits for the background imports
    >>> with preload.LOCK:
    ...     import json
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterable

LOCK = threading.RLock()
"""Held while importing heavy libraries that another thread may be importing."""

_threads: list[threading.Thread] = []


def start(modules: Iterable[str | Callable[[], object]]) -> None:
    """Import ``modules`` (names, or functions that import) one after another in the background."""
    steps = list(modules)

    def load() -> None:
        for step in steps:
            with LOCK:
                try:
                    step() if callable(step) else importlib.import_module(step)
                except Exception:
                    # the command imports it itself when it needs it, and says then what is
                    # wrong: a background thread has no one to tell
                    return

    thread = threading.Thread(target=load, name="huiyan-preload", daemon=True)
    _threads.append(thread)
    thread.start()


def settle() -> None:
    """Wait until the background imports are done."""
    while _threads:
        _threads.pop().join()
