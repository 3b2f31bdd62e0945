"""How good a model is on a synthetic province: precision and recall against the ``truth`` table.

The synthetic generator records every planted violation as a row of ``truth``
(``model, rule, record``), where ``record`` is a record reference such as
``judgments:DOC123``. A model's clues are scored record by record: a clue's
evidence that appears in truth under the same rule is a true positive.

A run is compared with the truth *of its own scope*: the planted records of its county
(a record's county is its dataset's region column), and only when it ran with the
parameters the truth was planted for, the model's defaults. A county run scored against
the whole province's truth would show a perfect model as missing most of it; a run with
``min_suits=5`` would be marked wrong for the suits the truth counts from 3.

Inside ``huiyan run`` the scope comes from the run's manifest; in JupyterLab pass it::

    hy.evaluation.score(found, ws, region=region).table()
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from huiyan.clues import Clues
from huiyan.workspace import Workspace

TRUTH_TABLE = "truth"


@dataclass(frozen=True)
class RuleScore:
    """Precision and recall of one rule, counted over evidence records."""

    rule: str
    planted: int
    flagged: int
    true_positives: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.flagged if self.flagged else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.planted if self.planted else 1.0


@dataclass(frozen=True)
class Evaluation:
    """Per-rule scores of one model's clues against the planted truth of the run's scope.

    ``differing`` lists the parameters (name, value of the run, value the truth was planted
    for) that keep the run from being compared; then ``scores`` is empty.
    """

    model: str
    scores: tuple[RuleScore, ...]
    missed: pd.DataFrame
    extra: pd.DataFrame
    region: str = ""
    differing: tuple[tuple[str, Any, Any], ...] = field(default=())

    @property
    def is_comparable(self) -> bool:
        """False when the run's parameters differ from those the truth was planted for."""
        return not self.differing

    @property
    def scope_zh(self) -> str:
        """The scope in words: ``区划 330602 的埋设真值`` or the whole workspace's."""
        where = f"区划 {self.region}" if self.region else "全部区划"
        return f"{where}的埋设真值 planted truth of {self.region or 'every county'}"

    @property
    def note(self) -> str:
        """Why a run is not compared (empty when it is)."""
        if self.is_comparable:
            return ""
        given = ", ".join(f"{k}={v}" for k, v, _ in self.differing)
        planted = ", ".join(f"{k}={p}" for k, _, p in self.differing)
        return (
            f"本次运行参数（{given}）与埋设真值所依据的参数（{planted}）不同，不作比对。"
            f"The run's parameters ({given}) differ from those the truth was planted for "
            f"({planted}): not compared."
        )

    def table(self) -> pd.DataFrame:
        """One row per rule: planted, flagged, true positives, precision, recall.

        A run that cannot be compared gives one row saying why.
        """
        if not self.is_comparable:
            return pd.DataFrame({"说明 note": [self.note]})
        return pd.DataFrame(
            {
                "规则编号 rule": [s.rule for s in self.scores],
                "埋设 planted": [s.planted for s in self.scores],
                "命中 flagged": [s.flagged for s in self.scores],
                "正确 true positives": [s.true_positives for s in self.scores],
                "精确率 precision": [round(s.precision, 3) for s in self.scores],
                "召回率 recall": [round(s.recall, 3) for s in self.scores],
            }
        )

    def meets(self, *, precision: float, recall: float) -> bool:
        """True when every rule reaches both bars."""
        return all(s.precision >= precision and s.recall >= recall for s in self.scores)


@dataclass(frozen=True)
class Scope:
    """What one run covered: its county ("" for all) and its parameters (None: not known)."""

    region: str = ""
    parameters: Mapping[str, Any] | None = None
    planted: Mapping[str, Any] | None = None
    """The parameters the truth was planted for: the model's defaults (None: not known)."""

    def differing(self) -> tuple[tuple[str, Any, Any], ...]:
        """(name, run's value, planted value) for every parameter that differs."""
        if self.parameters is None or self.planted is None:
            return ()
        return tuple(
            (name, self.parameters[name], planted)
            for name, planted in self.planted.items()
            if name in self.parameters and not _same(self.parameters[name], planted)
        )


def _same(a: Any, b: Any) -> bool:
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return str(a) == str(b)


def run_scope(manifest: Mapping[str, Any]) -> Scope:
    """The scope of a run from its manifest: county, parameters and the model's defaults."""
    from huiyan.catalog import read_card

    parameters = {k: v for k, v in (manifest.get("parameters") or {}).items() if k != "region"}
    planted = None
    notebook = manifest.get("notebook")
    if notebook and Path(notebook).exists():
        card = read_card(Path(notebook))
        planted = card.defaults if card is not None else None
    region = str(manifest.get("region") or "")
    if region == "*":  # every county, each on its own (--each-county): every county's truth
        region = ""
    return Scope(region, parameters, planted)


def _current_run() -> Scope | None:
    """Inside ``huiyan run``: the scope of the run this kernel executes, from its manifest."""
    run_dir = os.environ.get("HUIYAN_RUN_DIR")
    path = Path(run_dir) / "manifest.json" if run_dir else None
    if path is None or not path.exists():
        return None
    try:
        return run_scope(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def has_truth(ws: Workspace) -> bool:
    """True on a synthetic workspace, which holds the planted ``truth`` table."""
    return ws.has_table(TRUTH_TABLE)


def region_columns() -> dict[str, str]:
    """Each contract dataset's county column (see :func:`planted`), where it has one."""
    from huiyan import contracts

    return {n: c for n in contracts.names() if (c := _region_column(n)) is not None}


def planted(ws: Workspace, model: str, *, region: str = "") -> pd.DataFrame:
    """The truth rows (``rule, record``) of ``model``; with ``region``, that county's only.

    A record's county is the region column of its dataset (``region``, else the contract's
    first region-formatted column, e.g. insurance_claims' ``accident_region``).
    """
    from huiyan import contracts

    if hasattr(ws, "planted"):  # the report's reader: plain SQL (huiyan.report.records)
        return ws.planted(model, region, region_columns())  # type: ignore[no-any-return]
    from huiyan.rules import ref  # a workspace's tables: ibis expressions

    truth_t = ws.table(TRUTH_TABLE)
    truth = truth_t.filter(truth_t.model == model).select("rule", "record")
    if not region:
        return truth.execute()
    names = truth.select(dataset=truth.record.split(":")[0]).distinct().execute().dataset
    counties = []
    for name in sorted(names):
        column = _region_column(name)
        if column is None or not ws.has_table(name):
            continue
        t = ws.table(name)
        county = t.filter(t[column] == region)
        key = (county[k] for k in contracts.dataset(name).key)
        counties.append(county.select(record=ref(name, *key)))
    if not counties:
        return truth.limit(0).execute()
    inside = counties[0]
    for more in counties[1:]:
        inside = inside.union(more, distinct=False)
    return truth.semi_join(inside, "record").execute()  # one query for every dataset


def _region_column(dataset: str) -> str | None:
    from huiyan import contracts

    try:
        ds = contracts.dataset(dataset)
    except Exception:  # not a contract dataset: its records have no county
        return None
    if "region" in ds.column_names:
        return "region"
    return next((c.name for c in ds.columns if c.format == "region"), None)


def score(
    clues: Clues,
    ws: Workspace,
    *,
    model: str | None = None,
    region: str | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> Evaluation | None:
    """Score ``clues`` against the planted truth of their scope; None when there is no truth.

    Args:
        clues: the run's clues.
        ws: the workspace (its ``truth`` table, and the datasets that place records in counties).
        model: the model name; default the clues' own.
        region: the county the clues were found in ("" for every county); default: the
            current run's (inside ``huiyan run``), else every county.
        parameters: the run's parameter values; any that differ from the model's defaults
            (the values the truth was planted for) make the run not comparable. Default:
            the current run's; outside a run they are not checked.
    """
    if not has_truth(ws):
        return None
    model = model or (str(clues.frame.model.iloc[0]) if len(clues) else None)
    if model is None:
        return None
    run = _current_run()
    if region is None:
        region = run.region if run is not None else ""
    scope = Scope(region, parameters, None)
    if parameters is None and run is not None:
        scope = Scope(region, run.parameters, run.planted)
    elif parameters is not None:
        scope = Scope(region, parameters, _defaults(model, ws))
    return evaluate(clues.frame, ws, model=model, scope=scope)


def _defaults(model: str, ws: Workspace) -> Mapping[str, Any] | None:
    from huiyan import catalog
    from huiyan.errors import HuiyanError

    try:
        return catalog.get(model, ws).defaults
    except HuiyanError:
        return None


def evaluate(clue_frame: pd.DataFrame, ws: Workspace, *, model: str, scope: Scope) -> Evaluation:
    """Compare a clue frame with the planted truth of ``scope`` (the report's appendix)."""
    differing = scope.differing()
    if differing:
        empty = pd.DataFrame(columns=["rule", "record"])
        return Evaluation(model, (), empty, empty, scope.region, differing)
    truth = planted(ws, model, region=scope.region)
    return compare(clue_frame, truth, model=model, region=scope.region)


def compare(
    clue_frame: pd.DataFrame, truth: pd.DataFrame, *, model: str, region: str = ""
) -> Evaluation:
    """Compare clue evidence with truth rows (columns ``rule, record``), rule by rule."""
    flagged: dict[str, set[str]] = {}  # rule -> the records its clues name
    if len(clue_frame):
        for code, records in zip(
            clue_frame["rule"].tolist(), clue_frame["evidence"].tolist(), strict=True
        ):
            if records is not None:
                flagged.setdefault(code, set()).update(str(r) for r in records if r is not None)
    planted: dict[str, set[str]] = {}
    for code, record in zip(truth["rule"].astype(str), truth["record"].astype(str), strict=True):
        planted.setdefault(code, set()).add(record)
    scores, missed, extra = [], [], []
    for code in sorted(planted.keys() | flagged.keys()):
        mine, found = planted.get(code, set()), flagged.get(code, set())
        scores.append(RuleScore(code, len(mine), len(found), len(mine & found)))
        missed += [(code, r) for r in sorted(mine - found)]
        extra += [(code, r) for r in sorted(found - mine)]
    return Evaluation(
        model,
        tuple(scores),
        pd.DataFrame(missed, columns=["rule", "record"]),
        pd.DataFrame(extra, columns=["rule", "record"]),
        region,
    )
