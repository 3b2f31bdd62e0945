"""Loaded by a run's kernel as it starts, while the runner is still checking the inputs.

Importing ibis, DuckDB, pandas and the library takes about a second; done here, it
overlaps the runner's checks instead of delaying the notebook's first cell. Nothing is
opened and nothing is defined in the notebook's namespace.
"""

from __future__ import annotations

import contextlib
import importlib
import os

import ibis

import huiyan.clues
import huiyan.quality
import huiyan.report
import huiyan.runs.saving
import huiyan.runs.warm
import huiyan.workspace

with contextlib.suppress(ImportError):  # a notebook-only model has no module of its own
    importlib.import_module(f"huiyan.models.{os.environ.get('HUIYAN_MODEL', '')}")

# ibis loads its SQL compiler on the first expression it compiles (~0.5 s): compile one
ibis.to_sql(ibis.table({"region": "string"}, name="t").count(), dialect="duckdb")

huiyan.runs.warm.watch()  # a warm kernel ends itself when idle (only when started as one)
