"""Commands of the 'synth' group (filled in as the group is built)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add this group's commands to the ``huiyan`` parser."""
