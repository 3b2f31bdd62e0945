"""Whether the judgments' derived tables (``jd_*``) are up to date, answered without parsing.

The tables are up to date when they were read from this very ``judgments`` snapshot by this
reader with this vocabulary: the parse records both in the snapshot of ``jd_documents``. A
run asks before its notebook starts (:func:`huiyan.runs.runner.prepare_inputs`); only when
the answer is no does it load the parser (:func:`huiyan.judgments.parse_workspace`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from huiyan.workspace import Workspace

READER_VERSION = "3"
"""Bump whenever the parser's output changes: every document is then read again once, so a
workspace never keeps facts an older reader got wrong (text_hash covers the text, this and
the reading vocabulary's fingerprint: a county that adds a word has its judgments read again)."""

TABLES = ("jd_documents", "jd_parties", "jd_agents", "jd_plates", "jd_shops", "jd_assessors")
"""The derived tables, documents first."""


def reader_version() -> str:
    """What a document's parse depends on besides its text: the reader and its vocabulary."""
    from huiyan.reading import load

    return f"{READER_VERSION}.{load().fingerprint}"


def up_to_date(ws: Workspace) -> bool:
    """True when the derived tables were read from this very ``judgments`` by this reader."""
    if not ws.has_table("judgments") or not all(ws.has_table(name) for name in TABLES):
        return False
    meta = ws.snapshot("jd_documents").meta
    return (
        meta.get("reader") == reader_version()
        and meta.get("judgments") == ws.snapshot("judgments").fingerprint
    )
