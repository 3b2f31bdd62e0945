"""Plain-pandas baselines of the vetted models: the yardstick huiyan's ibis rules are measured against.

Each module ``baselines.<model>`` writes the model's rules the way a
capable analyst would in pandas: read the input tables whole into memory,
then merge, group and mask, vectorised (no Python loops over rows). Its
``run(ws, *, region="", **params)`` returns a frame with columns ``rule``,
``subject_id`` and ``evidence`` (a sorted list of record references), one row
per clue, so it can be compared with :func:`huiyan.clues.collect` as sets.

They exist for two reasons: benchmarks (``benchmarks/bench_models.py``) time
and measure them against huiyan on the same data, and tests
(``benchmarks/tests/test_baselines.py``) check that both find exactly the same clues, an
independent second reading of every rule.

Example:
    >>> import baselines
    >>> frame = baselines.run("judicial_auction", ws)            # doctest: +SKIP
    >>> baselines.clue_set(frame) == baselines.clue_set(found.frame)  # doctest: +SKIP
    True
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from huiyan.workspace import Workspace

MODELS = (
    "judicial_auction",
    "forest_subsidy",
    "bankruptcy_labor_claims",
    "admin_criminal_transfer",
    "insurance_fraud",
)
"""Models with a baseline module (a module may still be missing while it is written)."""

COLUMNS = ["rule", "subject_id", "evidence"]

__all__ = ["COLUMNS", "MODELS", "available", "clue_set", "hits", "load", "ref", "run"]


def available() -> list[str]:
    """The models whose baseline module can be imported."""
    found = []
    for name in MODELS:
        try:
            importlib.import_module(f"baselines.{name}")
        except ModuleNotFoundError:
            continue
        found.append(name)
    return found


def run(model: str, ws: Workspace, *, region: str = "", **params: Any) -> pd.DataFrame:
    """Run the baseline of ``model`` on ``ws``: one row per clue (rule, subject_id, evidence)."""
    module = importlib.import_module(f"baselines.{model}")
    return module.run(ws, region=region, **params)  # type: ignore[no-any-return]


def load(ws: Workspace, name: str, *, region: str = "") -> pd.DataFrame:
    """A whole dataset as a pandas frame (one county's rows with ``region``)."""
    frame = ws.con.table(name).to_pandas()
    if region:
        frame = frame[frame["region"] == region]
    return frame


def text(col: pd.Series) -> pd.Series:
    """Trimmed text with '' as missing (like the models' ``strip().nullif('')``)."""
    out = col.astype("string").str.strip()
    return out.mask(out == "")


def person(col: pd.Series) -> pd.Series:
    """An identity number for joining: trimmed, upper-case, '' as missing."""
    return text(col).str.upper()


def cents(x: pd.Series) -> pd.Series:
    """Money in fen, rounded half away from zero like SQL ``round`` (nullable integers)."""
    v = x.astype("float64") * 100
    return (np.sign(v) * np.floor(np.abs(v) + 0.5)).astype("Int64")


def ref(dataset: str, *keys: pd.Series) -> pd.Series:
    """Record references ``dataset:key1|key2`` for whole columns."""
    out = dataset + ":" + _key_text(keys[0])
    for key in keys[1:]:
        out = out + "|" + _key_text(key)
    return out


def _key_text(col: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(col):
        return col.dt.strftime("%Y-%m-%d").astype("string")
    return col.astype("string")


def hits(rule: str, subject_id: pd.Series, evidence: pd.Series) -> pd.DataFrame:
    """Clue rows of one rule from (subject, record reference) pairs: one row per subject.

    A subject named on several rows gets all their references, sorted and without repeats.
    """
    frame = pd.DataFrame(
        {
            "rule": rule,
            "subject_id": subject_id.astype("string").to_numpy(),
            "evidence": evidence.astype("string").to_numpy(),
        }
    ).dropna()
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    frame = frame.drop_duplicates().sort_values(["subject_id", "evidence"])
    merged = frame.groupby(["rule", "subject_id"], sort=False)["evidence"].agg(list)
    return merged.reset_index()


def concat(parts: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """The clue rows of every rule in one frame."""
    frames = [p for p in parts if not p.empty]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    return pd.concat(frames, ignore_index=True)[COLUMNS]


def clue_set(frame: pd.DataFrame) -> set[tuple[str, str, tuple[str, ...]]]:
    """Clues as a set of (rule, subject_id, sorted evidence): what baseline and model must agree on."""
    return {
        (str(r), str(s), tuple(sorted(str(e) for e in ev)))
        for r, s, ev in zip(frame["rule"], frame["subject_id"], frame["evidence"], strict=True)
    }


def round_sql(x: pd.Series, digits: int) -> pd.Series:
    """Round half away from zero, like SQL ``round`` on doubles (numpy rounds half to even)."""
    m = 10.0**digits
    v = x.astype("float64") * m
    return np.sign(v) * np.floor(np.abs(v) + 0.5) / m
