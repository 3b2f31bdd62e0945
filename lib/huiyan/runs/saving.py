"""Saving a notebook's clues: ``hy.runs.save(found)`` writes clues.parquet and clues.xlsx.

Inside ``huiyan run`` the files go to the run folder (``$HUIYAN_RUN_DIR``).
In an interactive session (JupyterLab) they go to a fresh folder
``<home>/runs/<model>/interactive-<timestamp>/`` and the result says so: an
interactive result is a draft, not a run of record.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from huiyan.clues import Clues
from huiyan.errors import ModelError
from huiyan.runs.folder import now_utc, write_manifest


@dataclass(frozen=True)
class Saved:
    """Where ``save`` wrote the clues, and whether this was a real run or an interactive draft."""

    run_dir: Path
    parquet: Path
    workbook: Path
    clue_count: int
    is_interactive: bool

    @property
    def message(self) -> str:
        if self.is_interactive:
            return (
                f"交互模式：{self.clue_count} 条线索已保存到 {self.run_dir}（草稿，不是正式运行；"
                f"正式运行请用 huiyan run）。\nInteractive: {self.clue_count} clues saved to "
                f"{self.run_dir} (a draft, not a run of record; use huiyan run for one)."
            )
        return (
            f"{self.clue_count} 条线索已保存到运行目录 {self.run_dir}。\n"
            f"{self.clue_count} clues saved to the run folder {self.run_dir}."
        )

    def __repr__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:
        return "<p>" + self.message.replace("\n", "<br>") + "</p>"


def _check_rules(found: Clues, model: str) -> None:
    """Every rule in the clues must be a registered rule of ``model``."""
    from huiyan import rules

    wrong = []
    for code in sorted(set(found.frame.rule)):
        # the notebook has registered its rules; loading every model is for unknown codes only
        known = rules.REGISTRY.get(code) or rules.get(code)  # ModelError with the nearest code
        if known.model != model:
            wrong.append(f"{code}（属于 belongs to {known.model}）")
    others = sorted(set(found.frame.model) - {model})
    if wrong or others:
        raise ModelError(
            f"线索中的规则不属于模型 {model}：{', '.join(wrong + others)}。",
            f"The clues hold rules or model names that are not of model {model}: "
            f"{', '.join(wrong + others)}.",
            "请确认规则装饰器的 model= 与模型卡的 name 一致 "
            "Make each rule's model= match the card's name.",
        )


def _reading(unread: Mapping[str, Mapping[str, int]]) -> dict[str, Any]:
    """The manifest's ``unread`` (checked: whole, non-negative counts) and ``vocabulary``."""
    from huiyan import reading

    counts: dict[str, dict[str, int]] = {}
    for rule, c in unread.items():
        n, m = int(c.get("candidates", 0)), int(c.get("unread", 0))
        if n < 0 or m < 0 or m > n:
            raise ModelError(
                f"规则 {rule} 的未读计数无效：候选 {n}，未读 {m}。",
                f"Rule {rule}: invalid blind-spot counts (candidates {n}, unread {m}).",
                "未读数应为 0 到候选数之间的整数 Unread must lie between 0 and the candidates.",
            )
        counts[str(rule)] = {"candidates": n, "unread": m}
    return {"unread": counts, "vocabulary": reading.load().describe()}


def _model_of(found: Clues) -> str:
    env = os.environ.get("HUIYAN_MODEL")
    if env:
        return env
    names = list(dict.fromkeys(found.frame.model)) or [r.model for r in found.rules]
    return names[0] if names else "unnamed"


READING = "reading.json"
"""What the notebook read from free text (blind spots, vocabulary); the runner moves it into
the manifest (keys ``unread`` and ``vocabulary``)."""


def save(
    found: Clues,
    *,
    run_dir: Path | None = None,
    unread: Mapping[str, Mapping[str, int]] | None = None,
) -> Saved:
    """Write ``found`` as clues.parquet (contract schema) and clues.xlsx (for reviewers).

    Args:
        found: the clues from :func:`huiyan.clues.collect`.
        run_dir: where to write; default ``$HUIYAN_RUN_DIR`` (set by ``huiyan run``), else a new
            ``runs/<model>/interactive-<timestamp>/`` folder in the workspace.
        unread: the blind spots of the text rules, ``{rule: {"candidates": n, "unread": m}}``
            (a model's ``unread(...)``): the records the rule looked at, and those whose
            deciding figure or phrase could not be read. The manifest and the report show them.

    Returns:
        Saved, naming the folder and whether it is an interactive draft.

    Raises:
        ModelError: when a clue's rule is unknown or belongs to another model.
    """
    import pyarrow.parquet as pq

    from huiyan.runs.workbook import write_workbook

    model = _model_of(found)
    _check_rules(found, model)
    env_dir = os.environ.get("HUIYAN_RUN_DIR")
    interactive = run_dir is None and not env_dir
    if run_dir is None and env_dir:
        run_dir = Path(env_dir)
    if run_dir is None:
        from huiyan.workspace import workspace

        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        run_dir = workspace().runs_dir / model / f"interactive-{stamp}"
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)

    parquet = run_dir / "clues.parquet"
    tmp = run_dir / "clues.parquet.tmp"
    pq.write_table(found.to_arrow(), tmp)
    tmp.replace(parquet)
    facts = [
        ("模型 model", model),
        ("版本 version", os.environ.get("HUIYAN_MODEL_VERSION", "dev")),
        ("运行 run", run_dir.name),
        ("区划 region", ", ".join(sorted({str(r) for r in found.frame.region.dropna()})) or "—"),
    ]
    rules_zh = {r.code: r.zh for r in found.rules}
    workbook = write_workbook(found.frame, run_dir / "clues.xlsx", rules=rules_zh, facts=facts)
    reading = _reading(unread) if unread is not None else {}
    if reading and not interactive:
        (run_dir / READING).write_text(json.dumps(reading, ensure_ascii=False), encoding="utf-8")
    if interactive:
        write_manifest(
            run_dir,
            {
                "model": model,
                "run_id": run_dir.name,
                "status": "interactive",
                "started_at": now_utc().isoformat(),
                "clue_count": len(found),
                "clues_by_rule": {
                    str(k): int(v) for k, v in found.frame.groupby("rule").size().items()
                },
                **reading,
            },
        )
    return Saved(run_dir, parquet, workbook, len(found), interactive)
