"""Vetting records, kept in the workspace journal (``<home>/huiyan.sqlite``), and a model's vetting status derived from them.

A record names the model, its version and the SHA-256 of its notebook (and of its
labelled sample, ``<name>.labels.csv``, when it has one) when it was vetted (locally,
or by the province whose key signed an imported bundle). A card counts as vetted only
while those files' current hashes match a record: any edit cancels the vetting. The
status a notebook writes into its own card is ignored.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huiyan import journal
from huiyan.catalog.cards import ModelCard
from huiyan.errors import WorkspaceError
from huiyan.workspace import Workspace

log = logging.getLogger(__name__)

VETTED = "已审核"
EDITED = "已修改，需重新审核"
UNVETTED = "未审核"


def records_path(ws: Workspace) -> Path:
    """Where the workspace keeps its vetting records (the workspace journal)."""
    return journal.path(ws.home)


_SCHEMA = "CREATE TABLE IF NOT EXISTS vetting_records (id INTEGER PRIMARY KEY, entry TEXT)"


def _con(ws: Workspace) -> sqlite3.Connection:
    con = journal.connect(ws.home)
    con.execute(_SCHEMA)
    legacy = ws.home / "models" / "vetted.json"
    if legacy.exists():  # kept by an older huiyan: taken in once
        found = _legacy_records(legacy)
        with journal.transaction(con, "迁移审核记录 vetting records migration"):
            if legacy.exists():
                for record in found:
                    _insert(con, record)
                legacy.rename(legacy.with_name("vetted.json.imported"))
    return con


def _legacy_records(path: Path) -> list[dict[str, Any]]:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))["records"]
        if not isinstance(found, list):
            raise TypeError(f"records is a {type(found).__name__}")
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise WorkspaceError(
            f"审核记录文件 {path} 已损坏，无法读取：{err}",
            f"The vetting records file {path} is damaged: {err}",
            "请从备份恢复，或删除后重新运行 huiyan vet Restore it from a backup, or delete it "
            "and vet the models again.",
        ) from err
    return [r for r in found if isinstance(r, dict)]


def _insert(con: sqlite3.Connection, record: Mapping[str, Any]) -> None:
    con.execute(
        "INSERT INTO vetting_records (entry) VALUES (?)",
        [json.dumps(dict(record), ensure_ascii=False, default=str)],
    )


def records(ws: Workspace) -> list[dict[str, Any]]:
    """Every vetting record of the workspace, oldest first (local vettings and imports)."""
    if not journal.path(ws.home).exists() and not (ws.home / "models" / "vetted.json").exists():
        return []
    con = _con(ws)
    try:
        rows = con.execute("SELECT entry FROM vetting_records ORDER BY id").fetchall()
    finally:
        con.close()
    return [json.loads(r[0]) for r in rows]


def add_record(ws: Workspace, record: Mapping[str, Any]) -> Path:
    """Append one vetting record (earlier records are kept: they are the history)."""
    con = _con(ws)
    try:
        with journal.transaction(con, "审核记录 vetting record"):
            _insert(con, record)
    finally:
        con.close()
    return records_path(ws)


def notebook_sha256(card: ModelCard) -> str | None:
    """The SHA-256 of the card's notebook file as it is now (None when it is missing)."""
    if card.notebook is None or not card.notebook.exists():
        return None
    return hashlib.sha256(card.notebook.read_bytes()).hexdigest()


def labels_sha256(card: ModelCard) -> str | None:
    """The SHA-256 of the card's labelled sample as it is now (None when it has none)."""
    labels = card.labels
    return None if labels is None else hashlib.sha256(labels.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Status:
    """A model's vetting status: the label the catalog shows, and the record behind it."""

    label: str
    record: Mapping[str, Any] | None = None

    @property
    def vetted(self) -> bool:
        return self.label == VETTED

    @property
    def key(self) -> str | None:
        """The fingerprint of the key that vouches for the vetting (the signer, for imports)."""
        if not self.record:
            return None
        imported = self.record.get("imported") or {}
        return imported.get("signed_by") or self.record.get("key")

    def summary(self) -> dict[str, Any]:
        """What a run manifest records: vetted or not, by whom, when and by which key."""
        rec = self.record if self.vetted and self.record else {}
        return {
            "vetted": self.vetted,
            "status": self.label,
            "key": self.key if self.vetted else None,
            "vetted_by": rec.get("vetted_by"),
            "vetted_at": rec.get("vetted_at"),
            "imported": bool(rec.get("imported")),
        }


def _status(card: ModelCard, found: Iterable[Mapping[str, Any]]) -> Status:
    mine = [r for r in found if r.get("model") == card.name and r.get("version") == card.version]
    if not mine:
        return Status(UNVETTED)
    current, labels = notebook_sha256(card), labels_sha256(card)
    matching = [
        r
        for r in mine
        if r.get("notebook_sha256") == current
        # records older than labelled samples name no labels: the notebook alone decides
        and ("labels_sha256" not in r or r.get("labels_sha256") == labels)
    ]
    return Status(VETTED, matching[-1]) if matching else Status(EDITED, mine[-1])


def status(ws: Workspace, card: ModelCard) -> Status:
    """The vetting status of ``card`` in ``ws``: 已审核 only while the notebook is unchanged."""
    return _status(card, records(ws))


def apply(ws: Workspace, cards: Iterable[ModelCard]) -> list[ModelCard]:
    """The cards with their vetting status taken from the records (the catalog's hook)."""
    try:
        found = records(ws)
    except WorkspaceError as err:  # a damaged file must not hide the catalog: nothing is vetted
        log.warning("%s", err)
        found = []
    out = []
    for card in cards:
        state = _status(card, found)
        signer = (state.record or {}).get("imported", {}).get("signed_by") if state.vetted else None
        origin = f"{card.origin}（签名 signed by {signer}）" if signer else card.origin
        out.append(dataclasses.replace(card, vetting_status=state.label, origin=origin))
    return out


def summary(home: Path, card: ModelCard) -> dict[str, Any]:
    """The vetting entry of a run manifest for ``card`` run in the workspace at ``home``."""
    try:
        return status(Workspace(home), card).summary()
    except WorkspaceError as err:
        log.warning("%s", err)
        return Status(UNVETTED).summary()
