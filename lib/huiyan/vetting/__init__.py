"""Vetting a model before it is shared: a checklist, and a record that any later edit cancels.

``vet`` checks a model the way a reviewing prosecutor would, whether its rules are
written in its notebook or promoted into the library:

1. the model card is complete (:meth:`ModelCard.problems`);
2. the notebook's ``parameters`` cell matches the card (names and defaults);
3. rule codes are well-formed, listed once, documented on the card (supervision point
   and legal basis; a promoted rule by its library definition) and not used by another
   model for something else;
4. the notebook carries no outputs;
5. no personal data in its cells, its card or its labelled sample (:mod:`huiyan.privacy`);
6. the labelled sample ``<name>.labels.csv``, when there is one, is well-formed;
7. it runs, through the ordinary runner, on the synthetic ``tiny`` province (kept in
   ``<home>/.vetting/tiny`` and reused while the huiyan version and seed are the same);
8. it is deterministic: a second run gives the same clue ids;
9. the rules it collects are the card's, documented alike in the notebook and on the card;
10. every dataset and column its rules read (their lineage, :mod:`huiyan.lineage`) is in
    the data contract and every dataset is on the card;
11. each rule is measured: precision and recall against the synthetic province's planted
    truth; else against the labelled sample; else "not measured", shown plainly, which is
    not a failure. Measured figures must meet the card's ``quality_bar``.

The runs (7-11) are skipped while any of 1-6 fails: fix those first. A model that passes
is recorded in the workspace journal ``<home>/huiyan.sqlite`` (who vetted it, ``--by``,
default the system user; when; the SHA-256 of its notebook and labelled sample; the tiny
run, the rules, their lineage and the scores). The record is the only source of a card's
vetting status: the catalog shows 已审核 only while the files' current hashes match a
record, so any edit after vetting needs a new ``huiyan vet``.

Example:
    >>> from huiyan import vetting
    >>> result = vetting.vet("fishing_ban", by="张三")   # doctest: +SKIP
    >>> print(result.format())                            # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from huiyan.catalog import ModelCard
from huiyan.catalog.records import (
    EDITED,
    UNVETTED,
    VETTED,
    Status,
    add_record,
    apply,
    labels_sha256,
    notebook_sha256,
    records,
    records_path,
    status,
    summary,
)
from huiyan.errors import HuiyanError, WorkspaceError
from huiyan.vetting.checks import Check, skipped, static_checks
from huiyan.vetting.trial import NOT_MEASURED, TINY_SEED, run_checks, tiny_workspace
from huiyan.workspace import Workspace

__all__ = [
    "EDITED",
    "NOT_MEASURED",
    "TINY_SEED",
    "UNVETTED",
    "VETTED",
    "Check",
    "Status",
    "Vetting",
    "add_record",
    "apply",
    "labels_sha256",
    "notebook_sha256",
    "records",
    "records_path",
    "status",
    "summary",
    "tiny_workspace",
    "vet",
]


@dataclass(frozen=True)
class Vetting:
    """The outcome of :func:`vet`: the checklist, and the record when the model passed."""

    model: str
    version: str
    notebook: Path | None
    checks: tuple[Check, ...]
    record: Mapping[str, Any] | None = None
    run_dir: Path | None = None

    @property
    def passed(self) -> bool:
        return all(c.ok is True for c in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if c.ok is False]

    def check(self, key: str) -> Check:
        """The checklist line ``key`` (card, parameters, rules, outputs, privacy, run, ...)."""
        return next(c for c in self.checks if c.key == key)

    def format(self) -> str:
        """The checklist as the command line prints it."""
        lines = [f"审核模型 Vetting {self.model} {self.version} ({self.notebook})"]
        lines += [c.format() for c in self.checks]
        if self.passed:
            lines.append("结果 Result: 通过审核 VETTED")
        else:
            n = len(self.failed)
            lines.append(f"结果 Result: 未通过审核 NOT vetted ({n} 项未通过 items failed)")
        return "\n".join(lines)


def _own_key(ws: Workspace) -> str | None:
    """The fingerprint of the workspace's own province key, when it has one."""
    from huiyan import keys

    pub = ws.keys_dir / "province.pub"
    try:
        return keys.fingerprint(keys.load_public(pub.read_bytes(), str(pub)))
    except (OSError, HuiyanError):
        return None


def _fingerprints(run: Any) -> dict[str, Any]:
    """The fingerprints of the tiny datasets the vetting run read, by dataset."""
    datasets = run.manifest.get("datasets") or {} if run is not None else {}
    return {name: d.get("fingerprint") for name, d in datasets.items()}


def _record(
    ws: Workspace, card: ModelCard, outcome: Vetting, run: Any, scores: dict[str, Any], **who: Any
) -> dict[str, Any]:
    import huiyan

    assert card.notebook is not None
    manifest = run.manifest if run is not None else {}
    return {
        "model": card.name,
        "version": card.version,
        "notebook": card.notebook.name,
        "notebook_sha256": who["sha"],
        "labels": card.labels.name if card.labels else None,
        "labels_sha256": who["labels"],
        "vetted_by": who["by"],
        "host": socket.gethostname(),
        "vetted_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "key": _own_key(ws),
        "derived_from": card.derived_from or None,
        "tiny_run_id": run.run_id if run else None,
        "tiny": {"scale": "tiny", "seed": TINY_SEED, "huiyan": huiyan.__version__},
        "checks": {c.key: c.ok for c in outcome.checks},
        "rules": manifest.get("rule_docs") or {},
        "lineage": manifest.get("lineage") or {},
        "quality_bar": dict(card.quality_bar),
        "scores": scores,
        "datasets": _fingerprints(run),
    }


def vet(
    model: str | ModelCard,
    *,
    ws: Workspace | None = None,
    by: str | None = None,
    progress: bool = False,
    record: bool = True,
) -> Vetting:
    """Check ``model`` for sharing and, when every check passes, record it as vetted.

    Args:
        model: a model name (``name@version``) from the catalog, or a card.
        ws: the workspace whose catalog and records are used; default the current one.
        by: who vets it, as the record will say; default the system user.
        progress: show progress bars (synthesis, papermill).
        record: write the vetting record and the audit entry.

    Returns:
        Vetting: the checklist; ``passed`` says whether it was recorded as vetted.
    """
    import huiyan
    from huiyan import audit, catalog

    ws = ws or huiyan.workspace()
    found = catalog.catalog(ws)
    card = model if isinstance(model, ModelCard) else found.get(model)
    if card.notebook is None or not card.notebook.exists():
        raise WorkspaceError(
            f"模型 {card.name} 的笔记本 {card.notebook} 不存在。",
            f"The notebook of model {card.name} ({card.notebook}) does not exist.",
        )
    sha, labels = notebook_sha256(card), labels_sha256(card)
    checks = static_checks(card, found.cards)
    run = None
    scores: dict[str, Any] = {}
    if any(c.ok is False for c in checks):
        checks += skipped(
            "先修正以上问题；未在合成小省上运行 fix the problems above first; not run"
        )
    else:
        done = run_checks(card, ws, progress=progress)
        checks += done.checks
        run, scores = done.run, done.scores or {}
    if all(c.ok for c in checks) and (notebook_sha256(card), labels_sha256(card)) != (sha, labels):
        checks += (
            Check(
                "unchanged",
                "审核期间笔记本未被修改",
                "the notebook was not edited while vetting",
                False,
                ("请重新运行 Vet it again: huiyan vet " + card.ref,),
            ),
        )
    outcome = Vetting(card.name, card.version, card.notebook, checks, None, run and run.run_dir)
    if not record:
        return outcome
    vetted_by = (by or "").strip() or audit._who()
    if outcome.passed:
        rec = _record(ws, card, outcome, run, scores, sha=sha, labels=labels, by=vetted_by)
        add_record(ws, rec)
        outcome = dataclasses.replace(outcome, record=rec)
    audit.record(
        ws,
        "vet",
        model=card.name,
        version=card.version,
        passed=outcome.passed,
        vetted_by=vetted_by,
        notebook_sha256=sha,
        tiny_run_id=run.run_id if run else None,
        parameters=run.manifest.get("parameters") if run else None,
        datasets=_fingerprints(run),
        failed=[c.key for c in outcome.failed],
        scores=scores,
    )
    return outcome
