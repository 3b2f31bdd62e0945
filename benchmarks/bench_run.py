"""The whole ``huiyan run``: its fixed overhead on tiny data, and every model's run at province scale.

Usage:
    .venv/bin/python benchmarks/bench_run.py                        # tiny + province (make bench)
    .venv/bin/python benchmarks/bench_run.py --part tiny --repeat 7
    .venv/bin/python benchmarks/bench_run.py --part province --home /tmp/me/province \\
        --models judicial_auction,insurance_fraud
    .venv/bin/python benchmarks/bench_run.py --part each-county --home /tmp/me/province --jobs 2

Every figure is a whole ``huiyan -q run MODEL`` process as a user types it (parameter
check, validation, kernel, notebook, report, Excel, run folder), timed from outside.
Peak memory is the largest sum of resident memory over the whole process tree (the
command and the notebook kernel it starts), sampled every 50 ms.

- ``tiny``: the fixed overhead, where the model's own work is negligible: one warm-up run
  (fills the validation cache), then the median of ``--repeat`` runs of each ``--model``.
- ``province``: each model once with its inputs' validation not cached (the cache file is
  removed first: a first run after new data), then once more with the cache filled. The
  run folder's manifest and notebook give the split: validation, kernel start, notebook.
- ``each-county``: ``huiyan run MODEL --each-county --jobs N`` once per model (``--models``,
  default every model).

A run writes run folders (and the validation cache) into the workspace: point ``--home``
at a copy of a shared workspace, never at one other people are reading.
The last line printed is ``BENCH {json}``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, WORK, bench_line

HUIYAN = str(Path(sys.executable).with_name("huiyan"))
TARGET_TINY_S = 2.0  # issue 20
TARGET_RUN_S = 60.0
TARGET_PEAK_MB = 4 * 1024


@dataclass(frozen=True)
class Measured:
    """One ``huiyan`` command from outside: wall time, peak memory of its process tree, output."""

    wall_s: float
    peak_mb: float
    returncode: int
    load_1m: float
    last_line: str = ""
    tail: str = field(default="", repr=False)


def measure(args: list[str], *, home: Path, timeout: float = 3600, warm: bool = False) -> Measured:
    """Run ``huiyan -q --home HOME ARGS``; sample the resident memory of its whole process tree.

    ``warm``: the run may use (and leave) a warm kernel (huiyan.runs.warm), as a user's
    second run does; its memory counts too, though it is no longer the command's child.
    """
    import psutil

    load = os.getloadavg()[0]
    started = time.perf_counter()
    env = {**os.environ, "HUIYAN_WARM_KERNEL_S": "600" if warm else "0"}
    proc = subprocess.Popen(
        [HUIYAN, "-q", "--home", str(home), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
        env=env,
    )
    root = psutil.Process(proc.pid)
    peak = 0
    out: list[str] = []
    import threading

    reader = threading.Thread(target=lambda: out.extend(proc.stdout or []), daemon=True)
    reader.start()
    while proc.poll() is None:
        total = 0
        with contextlib.suppress(psutil.Error):
            for p in [root, *root.children(recursive=True), *_warm_kernels(home)]:
                with contextlib.suppress(psutil.Error):  # a process may end between the two
                    total += p.memory_info().rss
        peak = max(peak, total)
        if time.perf_counter() - started > timeout:
            proc.kill()
        time.sleep(0.05)
    wall = time.perf_counter() - started
    reader.join(timeout=10)
    text = "".join(out)
    lines = text.strip().splitlines()
    return Measured(wall, peak / 2**20, proc.returncode, load, lines[-1] if lines else "", text)


def _warm_kernels(home: Path) -> list[Any]:
    """The warm kernels parked in (or claimed from) ``home`` (not children of the command)."""
    import psutil

    found = []
    for f in (home / ".kernels").rglob("*.json"):
        with contextlib.suppress(psutil.Error, ValueError):
            found.append(psutil.Process(int(f.name.split(".")[0])))
    return found


def stop_warm_kernels(home: Path) -> None:
    for p in _warm_kernels(home):
        with contextlib.suppress(Exception):
            p.kill()
    for f in (home / ".kernels").rglob("*.json"):
        f.unlink(missing_ok=True)


def _check(m: Measured, what: str) -> Path:
    if m.returncode != 0:
        raise SystemExit(f"huiyan {what} failed (exit {m.returncode}):\n{m.tail[-3000:]}")
    return Path(m.last_line)


def split(run_dir: Path) -> dict[str, Any]:
    """Where a run's time went, from its manifest and executed notebook."""
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    results = (manifest.get("validation") or {}).get("datasets") or {}
    validation = sum(float(r.get("seconds") or 0) for r in results.values() if not r.get("cached"))
    out: dict[str, Any] = {
        "clues": manifest.get("clue_count"),
        "validated_s": round(validation, 2),
        "cached": sorted(n for n, r in results.items() if r.get("cached")),
        "inside_run_folder_s": manifest.get("duration_s"),
    }
    nb_path = run_dir / "notebook.ipynb"
    if nb_path.exists():
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        pm = nb.get("metadata", {}).get("papermill", {})
        starts = [
            c["metadata"]["papermill"].get("start_time")
            for c in nb["cells"]
            if c.get("cell_type") == "code" and c.get("metadata", {}).get("papermill")
        ]
        first = next((s for s in starts if s), None)
        if pm.get("start_time") and first:
            t0 = datetime.fromisoformat(pm["start_time"])
            out["kernel_start_s"] = round((datetime.fromisoformat(first) - t0).total_seconds(), 2)
        out["notebook_s"] = pm.get("duration") and round(float(pm["duration"]), 2)
        cells = [
            (float(c["metadata"]["papermill"].get("duration") or 0), "".join(c["source"])[:50])
            for c in nb["cells"]
            if c.get("cell_type") == "code" and c.get("metadata", {}).get("papermill")
        ]
        out["slowest_cells"] = [
            {"s": round(s, 2), "cell": src.splitlines()[0] if src else ""}
            for s, src in sorted(cells, reverse=True)[:3]
        ]
    return out


def tiny(home: Path, models: list[str], repeat: int) -> dict[str, Any]:
    """The fixed overhead: median whole-command time of ``repeat`` runs per model on tiny data."""
    if not (home / "datasets" / "huiyan.duckdb").exists():
        import huiyan
        from huiyan import synth

        with huiyan.workspace(home) as ws:
            t = time.perf_counter()
            synth.generate(ws, scale="tiny", seed=7)
            print(f"synth tiny into {home}: {time.perf_counter() - t:.1f} s", flush=True)
    out: dict[str, Any] = {"home": str(home), "repeat": repeat, "target_s": TARGET_TINY_S}
    for model in models:
        first = measure(["run", model], home=home)  # fills the validation cache
        _check(first, f"run {model}")
        cold = [measure(["run", model], home=home) for _ in range(repeat)]
        for m in cold:
            _check(m, f"run {model}")
        measure(["run", model], home=home, warm=True)  # leaves a warm kernel
        runs = [measure(["run", model], home=home, warm=True) for _ in range(repeat)]
        stop_warm_kernels(home)
        folders = [_check(m, f"run {model}") for m in runs]
        walls = [m.wall_s for m in runs]
        med = statistics.median(walls)
        cold_med = statistics.median(m.wall_s for m in cold)
        inside = statistics.median(split(f)["inside_run_folder_s"] for f in folders)
        stages = json.loads((folders[-1] / "manifest.json").read_text(encoding="utf-8"))
        print(
            f"tiny {model}: median {med:.2f} s of {repeat} with the warm kernel "
            f"({', '.join(f'{w:.2f}' for w in walls)}); a new kernel each time {cold_med:.2f} s; "
            f"inside the run folder {inside:.2f} s, peak {max(m.peak_mb for m in runs):,.0f} MB "
            f"(kernel included), load {runs[0].load_1m:.2f}-{runs[-1].load_1m:.2f}",
            flush=True,
        )
        out[model] = {
            "median_s": round(med, 2),
            "runs_s": [round(w, 2) for w in walls],
            "new_kernel_median_s": round(cold_med, 2),
            "new_kernel_runs_s": [round(m.wall_s, 2) for m in cold],
            "inside_run_folder_s": inside,
            "stages_s": stages.get("timings"),
            "peak_mb": round(max(m.peak_mb for m in runs)),
            "load_1m": [round(m.load_1m, 2) for m in runs],
            "meets_target": med < TARGET_TINY_S,
        }
    return out


def province(home: Path, models: list[str]) -> dict[str, Any]:
    """Each model's whole run at province scale: first (validation not cached), then cached."""
    if not (home / "datasets" / "huiyan.duckdb").exists():
        raise SystemExit(f"No workspace at {home}: make one with benchmarks/bench_synth.py first.")
    cache = home / "datasets" / "validation_cache.json"
    out: dict[str, Any] = {"home": str(home), "target_s": TARGET_RUN_S, "target_mb": TARGET_PEAK_MB}
    for model in models:
        cache.unlink(missing_ok=True)  # the first run after new data validates every input
        first = measure(["run", model], home=home)
        row: dict[str, Any] = {}
        if first.returncode != 0:
            out[model] = {"failed": first.tail[-1500:]}
            print(f"province {model}: FAILED\n{first.tail[-1500:]}", flush=True)
            continue
        second = measure(["run", model], home=home)
        if second.returncode != 0:
            out[model] = {"failed": second.tail[-1500:]}
            print(f"province {model}: second run FAILED\n{second.tail[-1500:]}", flush=True)
            continue
        a, b = split(Path(first.last_line)), split(Path(second.last_line))
        row = {
            "first_s": round(first.wall_s, 1),
            "first_validation_s": a["validated_s"],
            "first_peak_mb": round(first.peak_mb),
            "cached_s": round(second.wall_s, 1),
            "cached_peak_mb": round(second.peak_mb),
            "cached_kernel_start_s": b.get("kernel_start_s"),
            "cached_notebook_s": b.get("notebook_s"),
            "cached_slowest_cells": b.get("slowest_cells"),
            "clues": b["clues"],
            "load_1m": [round(first.load_1m, 2), round(second.load_1m, 2)],
            "meets_target": max(first.wall_s, second.wall_s) < TARGET_RUN_S
            and max(first.peak_mb, second.peak_mb) < TARGET_PEAK_MB,
        }
        out[model] = row
        print(
            f"province {model}: first {row['first_s']} s (validation {row['first_validation_s']} s, "
            f"peak {row['first_peak_mb']:,} MB), cached {row['cached_s']} s (notebook "
            f"{row['cached_notebook_s']} s, kernel start {row['cached_kernel_start_s']} s, peak "
            f"{row['cached_peak_mb']:,} MB), {row['clues']} clues, load {row['load_1m']}",
            flush=True,
        )
    return out


def each_county(home: Path, model: str, jobs: int) -> dict[str, Any]:
    """``huiyan run MODEL --each-county --jobs N`` once, from outside."""
    import huiyan

    with huiyan.workspace(home) as ws:
        counties = len(ws.regions())
    m = measure(["run", model, "--each-county", "--jobs", str(jobs), "--allow-unvetted"], home=home)
    _check(m, f"run {model} --each-county")
    print(
        f"--each-county {model}: {counties} counties, --jobs {jobs}: {m.wall_s:.1f} s "
        f"({m.wall_s / max(counties, 1):.1f} s per county), peak {m.peak_mb:,.0f} MB, "
        f"load {m.load_1m:.2f}",
        flush=True,
    )
    return {
        "model": model,
        "counties": counties,
        "jobs": jobs,
        "each_county_s": round(m.wall_s, 1),
        "peak_mb": round(m.peak_mb),
        "load_1m": round(m.load_1m, 2),
    }


def run_all(home: Path) -> dict[str, Any]:
    """``huiyan run --all`` once, validation cached.

    The province part leaves only its last model's inputs in the validation cache (each
    model's first run starts from an empty one), so ``huiyan validate`` fills it first.
    """
    filled = measure(["validate"], home=home)
    _check(filled, "validate")
    m = measure(["run", "--all"], home=home)
    if m.returncode != 0:
        raise SystemExit(f"huiyan run --all failed (exit {m.returncode}):\n{m.tail[-3000:]}")
    print(
        f"run --all: {m.wall_s:.1f} s, peak {m.peak_mb:,.0f} MB, load {m.load_1m:.2f}", flush=True
    )
    return {
        "run_all_s": round(m.wall_s, 1),
        "peak_mb": round(m.peak_mb),
        "load_1m": round(m.load_1m, 2),
        "target_s": TARGET_RUN_S,
        "meets_target": m.wall_s < TARGET_RUN_S,
    }


def _models(home: Path) -> list[str]:
    import huiyan
    from huiyan import catalog

    with huiyan.workspace(home) as ws:
        return [
            card.name for card in catalog.catalog(ws).cards if card.rules
        ]  # models, not dashboards


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--part",
        default="tiny,province,all,each-county",
        help="comma-separated: tiny, province, all (huiyan run --all), each-county "
        "(default: all four)",
    )
    parser.add_argument(
        "--home",
        type=Path,
        default=WORK / "province",
        help="province workspace to run in (default benchmarks/work/province)",
    )
    parser.add_argument(
        "--tiny-home",
        type=Path,
        default=WORK / "run-tiny",
        help="tiny workspace (synthesised when missing; default benchmarks/work/run-tiny)",
    )
    parser.add_argument(
        "--models",
        help="comma-separated models for the province and each-county parts (default: the catalog)",
    )
    parser.add_argument(
        "--model",
        default="judicial_auction",
        help="model(s) for the tiny part, comma-separated",
    )
    parser.add_argument("--repeat", type=int, default=5, help="tiny runs per model (median)")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of the each-county part")
    parser.add_argument(
        "--each-county-only", action="store_true", help="the same as --part each-county"
    )
    args = parser.parse_args()
    parts = ["each-county"] if args.each_county_only else args.part.split(",")
    unknown = set(parts) - {"tiny", "province", "all", "each-county"}
    if unknown:
        parser.error(f"unknown --part {', '.join(sorted(unknown))}")

    payload: dict[str, Any] = {"machine_cores": os.cpu_count()}
    if "tiny" in parts:
        payload["tiny"] = tiny(args.tiny_home, args.model.split(","), args.repeat)
    if "province" in parts:
        models = args.models.split(",") if args.models else _models(args.home)
        payload["province"] = province(args.home, models)
    if "all" in parts:
        payload["run_all"] = run_all(args.home)
    if "each-county" in parts:
        models = args.models.split(",") if args.models else _models(args.home)
        payload["each_county"] = {m: each_county(args.home, m, args.jobs) for m in models}
    bench_line("run", payload)


if __name__ == "__main__":
    main()
