"""How good a model is on a synthetic province: precision and recall against the ``truth`` table.

The synthetic generator records every planted violation as a row of ``truth``
(``model, rule, record``), where ``record`` is a record reference such as
``judgments:DOC123``. A model's clues are scored record by record: a clue's
evidence that appears in truth under the same rule is a true positive.

Example (in a notebook)::

    hy.evaluation.score(found, ws).table()
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from huiyan.clues import Clues
from huiyan.workspace import Workspace


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
    """Per-rule scores of one model's clues against the planted truth."""

    model: str
    scores: tuple[RuleScore, ...]
    missed: pd.DataFrame
    extra: pd.DataFrame

    def table(self) -> pd.DataFrame:
        """One row per rule: planted, flagged, true positives, precision, recall."""
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


def score(clues: Clues, ws: Workspace, *, model: str | None = None) -> Evaluation | None:
    """Score ``clues`` against the workspace's ``truth`` table; None when there is no truth."""
    if not ws.has_table("truth"):
        return None
    model = model or (str(clues.frame.model.iloc[0]) if len(clues) else None)
    if model is None:
        return None
    truth_t = ws.table("truth")
    truth = truth_t.filter(truth_t.model == model).select("rule", "record").execute()
    return compare(clues.frame, truth, model=model)


def compare(clue_frame: pd.DataFrame, truth: pd.DataFrame, *, model: str) -> Evaluation:
    """Compare clue evidence with truth rows (columns ``rule, record``), rule by rule."""
    flagged = (
        clue_frame[["rule", "evidence"]]
        .explode("evidence")
        .dropna()
        .rename(columns={"evidence": "record"})
        if len(clue_frame)
        else pd.DataFrame(columns=["rule", "record"])
    )
    flagged = flagged.drop_duplicates()
    truth = truth[["rule", "record"]].drop_duplicates()
    rules = sorted(set(truth.rule) | set(flagged.rule))
    scores = []
    for code in rules:
        planted = set(truth.record[truth.rule == code])
        found = set(flagged.record[flagged.rule == code])
        scores.append(RuleScore(code, len(planted), len(found), len(planted & found)))
    both = flagged.merge(truth, how="outer", on=["rule", "record"], indicator=True)
    missed = both[both._merge == "right_only"][["rule", "record"]].reset_index(drop=True)
    extra = both[both._merge == "left_only"][["rule", "record"]].reset_index(drop=True)
    return Evaluation(model, tuple(scores), missed, extra)
