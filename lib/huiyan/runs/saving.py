"""Saving a notebook's clues: ``hy.runs.save(found)`` writes clues.parquet and clues.xlsx.

Inside ``huiyan run`` the files go to the run folder (``$HUIYAN_RUN_DIR``).
In an interactive session (JupyterLab) they go to a fresh folder
``<home>/runs/<model>/interactive-<timestamp>/`` and the result says so: an
interactive result is a draft, not a run of record.

The notebook knows its rules (its cells registered them); the runner does not. So
``clues.parquet`` also records, in its schema metadata under ``huiyan``, the rules the
clues came from (code, supervision point, legal basis, where each is written) and what
each rule read (:mod:`huiyan.lineage`): the runner puts both in the manifest, the report
and vetting read them. :func:`rules_of` reads them back.
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
    """Every clue must belong to ``model``: its clue ids are that model's.

    A model may report rules it adopted from another (a county's copy of a promoted model
    calls the library's rule functions), as long as it collects them under its own name.
    """
    others = sorted(set(found.frame.model) - {model})
    if others:
        codes = sorted(set(found.frame.rule[found.frame.model.isin(others)]))
        raise ModelError(
            f"线索属于模型 {', '.join(others)}（规则 {', '.join(codes)}），不是正在运行的模型 {model}。",
            f"The clues are of model {', '.join(others)} (rules {', '.join(codes)}), "
            f"not of the model being run, {model}.",
            f'请用 hy.clues.collect(..., model="{model}") 收集线索 '
            f'Collect them with hy.clues.collect(..., model="{model}").',
        )


META_KEY = b"huiyan"
"""The key of clues.parquet's schema metadata that holds the rules and their lineage."""


def rule_facts(found: Clues) -> dict[str, Any]:
    """The rules the clues came from and what each read, as clues.parquet records them."""
    from huiyan import rules

    return {
        "rules": {
            r.code: {
                "zh": r.zh,
                "basis": r.basis,
                "subject_type": r.subject_type,
                "model": r.model,
                "defined_in": rules.defined_in(r.code),
            }
            for r in found.rules
        },
        "lineage": {code: lin.to_dict() for code, lin in found.lineage.items()},
    }


def rules_of(parquet: Path) -> dict[str, Any]:
    """The rules and lineage a clues.parquet records (empty mappings for an older file)."""
    import pyarrow.parquet as pq

    meta = pq.read_schema(parquet).metadata or {}
    try:
        facts = json.loads(meta[META_KEY]) if META_KEY in meta else {}
    except ValueError:
        facts = {}
    return {"rules": dict(facts.get("rules") or {}), "lineage": dict(facts.get("lineage") or {})}


def _reading(unread: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The manifest's ``unread`` (checked: whole, non-negative counts) and ``vocabulary``.

    A run of each county on its own also counts per county (``"counties"``), kept so that
    each county's folder gets its own counts.
    """
    from huiyan import reading

    counts: dict[str, dict[str, Any]] = {}
    for rule, c in unread.items():
        counts[str(rule)] = _checked_counts(rule, c)
        if "counties" in c:
            counts[str(rule)]["counties"] = {
                str(county): _checked_counts(rule, n) for county, n in c["counties"].items()
            }
    return {"unread": counts, "vocabulary": reading.load().describe()}


def _checked_counts(rule: str, c: Mapping[str, Any]) -> dict[str, Any]:
    n, m = int(c.get("candidates", 0)), int(c.get("unread", 0))
    if n < 0 or m < 0 or m > n:
        raise ModelError(
            f"规则 {rule} 的未读计数无效：候选 {n}，未读 {m}。",
            f"Rule {rule}: invalid blind-spot counts (candidates {n}, unread {m}).",
            "未读数应为 0 到候选数之间的整数 Unread must lie between 0 and the candidates.",
        )
    return {"candidates": n, "unread": m}


def workbook_of_run(
    frame: Any, run_dir: Path, *, model: str, version: str, rules: Mapping[str, str]
) -> Path:
    """Write the run folder's clues.xlsx for the clue frame ``frame`` (the contract schema)."""
    from huiyan.runs.workbook import write_workbook

    facts = [
        ("模型 model", model),
        ("版本 version", version),
        ("运行 run", run_dir.name),
        ("区划 region", ", ".join(sorted({str(r) for r in frame.region.dropna()})) or "—"),
    ]
    return write_workbook(frame, run_dir / "clues.xlsx", rules=rules, facts=facts)


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
    unread: Mapping[str, Mapping[str, Any]] | None = None,
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
        ModelError: when the clues were collected under another model's name.
    """
    import pyarrow.parquet as pq

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
    table = found.to_arrow()
    recorded = json.dumps(rule_facts(found), ensure_ascii=False).encode()
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), META_KEY: recorded})
    pq.write_table(table, tmp)
    tmp.replace(parquet)
    rules_zh = {r.code: r.zh for r in found.rules}
    version = os.environ.get("HUIYAN_MODEL_VERSION", "dev")
    workbook = workbook_of_run(found.frame, run_dir, model=model, version=version, rules=rules_zh)
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
