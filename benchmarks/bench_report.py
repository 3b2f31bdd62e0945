"""The report and workbook stage of a run: report.html and clues.xlsx from a run's clues.

Usage:
    .venv/bin/python benchmarks/bench_report.py                      # runs under WORK/province
    .venv/bin/python benchmarks/bench_report.py --home /tmp/me/county --repeat 5
    .venv/bin/python benchmarks/bench_report.py --home /tmp/me/county --scale-to 55000

For the newest succeeded run of each model in ``--home`` this times, in this process
(imports done once before, as in a run):

- ``report_s``: ``huiyan.report.render`` (the runner's report stage: the clue table,
  charts, the clues' dates and, on a synthetic workspace, the evaluation appendix);
- ``workbook_s``: ``huiyan.runs.write_workbook`` (the notebook's ``hy.runs.save``).

Each is the median of ``--repeat`` runs after one warm-up. The run folder is copied into
``runs/<model>/bench-*`` of the same workspace (so the report finds its workspace) and
removed afterwards. ``--scale-to N`` also times a frame of N clues made by repeating the
largest run's clues with new ids: a province run's ~55,000 clues on a smaller workspace.
Point ``PYTHONPATH`` at another checkout's ``lib`` to time that version (before/after).
The last line printed is ``BENCH {json}``.
"""

from __future__ import annotations

import argparse
import inspect
import json
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import WORK, bench_line


def _latest_runs(home: Path) -> list[Path]:
    out = []
    for model_dir in sorted((home / "runs").glob("*")):
        runs = []
        for path in model_dir.glob("*/manifest.json"):
            manifest = json.loads(path.read_text(encoding="utf-8"))
            if manifest.get("status") == "succeeded" and (path.parent / "clues.parquet").exists():
                runs.append(path.parent)
        if runs:
            out.append(max(runs, key=lambda p: p.name))
    return out


def _rules_zh(codes: list[str]) -> dict[str, str]:
    from huiyan import rules

    rules._load_models()
    return {c: rules.REGISTRY[c].zh for c in codes if c in rules.REGISTRY}


def _time(fn: Any, repeat: int) -> float:
    fn()  # warm-up: first imports (mistune), caches
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _scaled(clues: Any, n: int) -> Any:
    import pandas as pd

    copies = -(-n // len(clues))
    frame = pd.concat([clues] * copies, ignore_index=True).head(n).copy()
    frame["clue_id"] = [f"{c}-{i}" for i, c in enumerate(frame.clue_id)]
    return frame


def measure(run_dir: Path, repeat: int, *, clues: Any = None, label: str = "") -> dict[str, Any]:
    """Time report.html and clues.xlsx for one run folder (or ``clues`` in its place)."""
    import pyarrow.parquet as pq
    from huiyan import report
    from huiyan.runs import write_workbook

    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    if clues is None:
        clues = pq.read_table(run_dir / "clues.parquet").to_pandas()
    zh = _rules_zh(list(manifest.get("rules") or []))
    copy = run_dir.parent / f"bench-{run_dir.name}"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir()
    shutil.copy(run_dir / "notebook.ipynb", copy / "notebook.ipynb")
    try:
        report_s = _time(lambda: report.render(copy, manifest, clues=clues, rules_zh=zh), repeat)
        size = (copy / "report.html").stat().st_size
        facts = [("模型 model", manifest.get("model")), ("运行 run", manifest.get("run_id"))]
        workbook_s = _time(
            lambda: write_workbook(clues, copy / "clues.xlsx", rules=zh, facts=facts), repeat
        )
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    return {
        "run": label or f"{manifest.get('model')} {run_dir.name}",
        "clues": len(clues),
        "report_s": round(report_s, 3),
        "report_mb": round(size / 2**20, 2),
        "workbook_s": round(workbook_s, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=WORK / "province")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale-to", type=int, default=0, help="also time N repeated clues")
    args = parser.parse_args()
    runs = _latest_runs(args.home)
    if not runs:
        raise SystemExit(f"No succeeded runs in {args.home}/runs: run the models there first.")
    import huiyan.report

    version = "ws" if "ws" in inspect.signature(huiyan.report.render).parameters else "before"
    rows = []
    for run_dir in runs:
        row = measure(run_dir, args.repeat)
        rows.append(row)
        print(
            f"{row['run']:<55} {row['clues']:>7,} clues  report {row['report_s']:6.3f} s "
            f"({row['report_mb']} MB)  workbook {row['workbook_s']:6.3f} s",
            flush=True,
        )
    if args.scale_to:
        import pyarrow.parquet as pq

        largest = max(runs, key=lambda p: pq.read_metadata(p / "clues.parquet").num_rows)
        clues = _scaled(pq.read_table(largest / "clues.parquet").to_pandas(), args.scale_to)
        row = measure(largest, 1, clues=clues, label=f"{largest.parent.name} x{args.scale_to}")
        rows.append(row)
        print(
            f"{row['run']:<55} {row['clues']:>7,} clues  report {row['report_s']:6.3f} s "
            f"({row['report_mb']} MB)  workbook {row['workbook_s']:6.3f} s",
            flush=True,
        )
    bench_line("report", {"home": str(args.home), "code": version, "runs": rows})


if __name__ == "__main__":
    main()
