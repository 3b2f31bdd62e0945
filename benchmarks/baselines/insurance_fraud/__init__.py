"""Plain-pandas baseline of insurance_fraud (车险理赔虚假诉讼与保险诈骗): the same seven rules.

See :mod:`huiyan.models.insurance_fraud` for the rules and
:mod:`huiyan.linking` for how a name in a judgment or a claim is tied to a
person or company. Here, the way an analyst would write it in pandas:

* :mod:`.facts` reads the tables whole (only the needed columns, the judgment
  texts included) and links parties, shops and assessors with merges
  (:mod:`.linking`; the model's regular expressions run on pyarrow's RE2, the
  engine DuckDB uses);
* :mod:`.rules` evaluates the rules with masks, groupby and ``searchsorted``
  windows; the rings are the connected components of a networkx graph of the
  suspect records and their actors.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from huiyan.models.insurance_fraud.base import PARAMETERS
from huiyan.workspace import Workspace

from baselines import concat
from baselines.insurance_fraud.facts import Facts, facts
from baselines.insurance_fraud.rules import (
    assigned,
    frequent_plaintiff,
    frequent_reporter,
    in_windows,
    no_assessment,
    plaintiff_employee,
    rings,
    shop_concentration,
)

MODEL = "insurance_fraud"

__all__ = [
    "MODEL", "Facts", "assigned", "facts", "frequent_plaintiff", "frequent_reporter",
    "in_windows", "no_assessment", "plaintiff_employee", "rings", "run", "shop_concentration",
]  # fmt: skip


def run(ws: Workspace, *, region: str = "", **params: Any) -> pd.DataFrame:
    """Every rule of insurance_fraud on ``ws``: one row per clue."""
    p = {k: v[0] for k, v in PARAMETERS.items()} | params
    f = facts(ws, region=region)
    found = [
        assigned(f),
        no_assessment(f),
        frequent_plaintiff(f, min_suits=p["min_suits"], window_months=p["window_months"]),
        shop_concentration(f, min_shop_cases=p["min_shop_cases"]),
        plaintiff_employee(f, employment_lookback_months=p["employment_lookback_months"]),
        frequent_reporter(
            f, min_reports=p["min_reports"], report_window_months=p["report_window_months"]
        ),
    ]
    return concat([*found, rings(f, found, min_ring_rules=p["min_ring_rules"])])
