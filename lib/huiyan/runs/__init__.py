"""Model runs: papermill runs, run folders and manifests, and saving a notebook's clues.

From the command line (``huiyan run MODEL``) or Python::

    import huiyan as hy
    result = hy.runs.run("judicial_auction", region="330602", parameters={"start_ratio": 0.7})
    result.run_dir        # runs/judicial_auction/20261129-143005-330602-a3f1/

Inside a model notebook, the report stage ends with::

    hy.runs.save(found)   # clues.parquet + clues.xlsx in the run folder

A run folder holds notebook.ipynb, report.html, clues.parquet, clues.xlsx and
manifest.json (see the contract); a failed run keeps its folder with status
``failed`` and the error, and no clue files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from huiyan.runs.folder import PastRun, new_run_id, past_runs, read_manifest
    from huiyan.runs.province import ProvinceRun, run_all, run_each_county
    from huiyan.runs.runner import (
        Prepared,
        RunResult,
        execute,
        failure,
        fingerprint,
        prepare,
        run,
    )
    from huiyan.runs.saving import Saved, save
    from huiyan.runs.workbook import write_workbook

# each name loads its module on first use: `huiyan run` reaches its kernel before pandas and
# ibis are imported, and imports them while the notebook runs
_HOMES = {
    "PastRun": "folder",
    "new_run_id": "folder",
    "past_runs": "folder",
    "read_manifest": "folder",
    "ProvinceRun": "province",
    "run_all": "province",
    "run_each_county": "province",
    "Prepared": "runner",
    "RunResult": "runner",
    "execute": "runner",
    "failure": "runner",
    "fingerprint": "runner",
    "prepare": "runner",
    "run": "runner",
    "Saved": "saving",
    "save": "saving",
    "write_workbook": "workbook",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'huiyan.runs' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"huiyan.runs.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "PastRun",
    "Prepared",
    "ProvinceRun",
    "RunResult",
    "Saved",
    "execute",
    "failure",
    "fingerprint",
    "new_run_id",
    "past_runs",
    "prepare",
    "read_manifest",
    "run",
    "run_all",
    "run_each_county",
    "save",
    "write_workbook",
]
