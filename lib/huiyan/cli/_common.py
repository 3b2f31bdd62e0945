"""Small helpers shared by the command-group modules."""

from __future__ import annotations

import argparse
import os
import sys

from huiyan.workspace import Workspace, workspace


def open_workspace(args: argparse.Namespace, *, write: bool = False) -> Workspace:
    """The workspace named by ``--home`` (already exported as $HUIYAN_HOME) or the default."""
    home = getattr(args, "home", None)
    return workspace(home, write=write)


def progress_enabled() -> bool:
    """Progress bars are on unless ``--quiet`` was given or output is not a terminal."""
    return os.environ.get("HUIYAN_QUIET") != "1" and sys.stderr.isatty()
