"""Benchmark: every model's rule compute at province scale, huiyan against a plain-pandas baseline.

Run: .venv/bin/python benchmarks/bench_models.py [--scale province] [--models a,b] [--repeat 3]

The province workspace is generated once into ``benchmarks/work/<scale>``
(reused when present). For each model, in the same conditions and each in a
fresh child process (so peak memory is per path):

- huiyan: open the workspace, ``run_rules`` + ``huiyan.clues.collect`` (DuckDB);
- baseline: ``baselines.<model>.run`` (read the tables whole into pandas,
  merge, group, mask).

Imports are done before the clock starts in both children. Each figure is the
median of ``--repeat`` runs when one run takes under a minute, else one run.
Peak memory is the child's ``ru_maxrss``; CPU time (every thread) and the 1-minute
load average are recorded beside the wall time, since wall time on a shared machine
says as much about the neighbours as about the code. Both paths must find the same clues
(compared as a hash of the set of (rule, subject_id, evidence)). Then the whole
``huiyan run MODEL`` (validation, papermill, run folder) is timed once.

The last line printed is ``BENCH {json}``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    ROOT,
    WORK,
    bench_line,
    fmt_mb,
    fmt_s,
    median,
    python,
    report,
    run_child,
)

MODELS = (
    "judicial_auction",
    "forest_subsidy",
    "bankruptcy_labor_claims",
    "admin_criminal_transfer",
    "insurance_fraud",
)
SHORT_S = 60.0


# -- the child processes --------------------------------------------------------------------------


def worker(path: str, model: str, home: str) -> None:
    """Measure one path once, in this (fresh) process, and print its RESULT line."""
    import baselines
    import huiyan as hy
    from huiyan import clues

    module = importlib.import_module(f"huiyan.models.{model}")
    importlib.import_module(f"baselines.{model}")
    # imported before the clock starts, as pandas and duckdb are for the baseline: an import
    # is not rule compute
    import ibis.backends.duckdb  # noqa: F401

    load = os.getloadavg()[0]
    cpu = _cpu_s()
    start = time.perf_counter()
    ws = hy.workspace(home)
    if path == "huiyan":
        frame = clues.collect(*module.run_rules(ws), model=model, version="bench").frame
    else:
        frame = baselines.run(model, ws)
    seconds = time.perf_counter() - start
    cpu = _cpu_s() - cpu
    found = sorted(baselines.clue_set(frame))
    digest = hashlib.sha256(repr(found).encode()).hexdigest()[:16]
    report(
        {
            "seconds": seconds,
            "cpu_s": cpu,
            "load": round(max(load, os.getloadavg()[0]), 2),
            "clues": len(found),
            "digest": digest,
        }
    )


def _cpu_s() -> float:
    """CPU seconds this process has used, every thread (DuckDB's too): steadier than wall time
    when other work shares the cores."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def generate(home: Path, scale: str) -> None:
    """Fill ``home`` with the synthetic province (in this child process)."""
    import huiyan as hy
    from huiyan import synth

    report_ = synth.generate(hy.workspace(home), scale=scale)
    print(report_.summary())
    report({"seconds": report_.seconds})


def prepare(home: str, model: str) -> None:
    """Run a model's one-off preparation (insurance_fraud parses the judgments) on the workspace."""
    import huiyan as hy

    module = importlib.import_module(f"huiyan.models.{model}")
    start = time.perf_counter()
    with hy.workspace(home) as ws:
        module.prepare(ws)
    report({"seconds": time.perf_counter() - start})


# -- the parent -----------------------------------------------------------------------------------


def _scale_of(home: Path) -> str | None:
    db = home / "datasets" / "huiyan.duckdb"
    if not db.exists():
        return None
    import duckdb

    con = duckdb.connect(str(db))
    try:
        row = con.execute("SELECT scale FROM synth_info LIMIT 1").fetchone()
        return str(row[0]) if row else None
    except duckdb.Error:
        return None
    finally:
        con.close()


def ensure_workspace(home: Path, scale: str, *, given: bool) -> dict[str, Any]:
    """Generate the workspace unless it already holds this scale (a given --home is never replaced)."""
    found = _scale_of(home)
    if found == scale or (given and (home / "datasets" / "huiyan.duckdb").exists()):
        print(f"reusing {home} ({found or 'not synthetic'})")
        return {"generated": False, "scale": found or "unknown"}
    print(f"generating {scale} into {home} ...", flush=True)
    child = run_child([python(), __file__, "--generate", str(home), scale], timeout=3600)
    if child.returncode:
        sys.exit(f"synth failed:\n{child.tail}")
    print(child.tail.split("RESULT")[0][-2000:])
    return {"generated": True, "synth_s": child.wall_s, "synth_peak_mb": child.peak_mb}


def _available(model: str) -> str | None:
    """Why ``model`` cannot be benchmarked, or None."""
    for name in (f"huiyan.models.{model}", f"baselines.{model}"):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as err:
            return f"{name} missing ({err.name})"
        except Exception as err:  # a module still being written
            return f"{name} does not import: {err!r}"
    return None


def measure(path: str, model: str, home: Path, repeat: int) -> dict[str, Any]:
    """Median time and peak memory of one path over up to ``repeat`` fresh processes."""
    runs: list[dict[str, Any]] = []
    for i in range(repeat):
        child = run_child([python(), __file__, "--worker", path, model, str(home)])
        if child.returncode or not child.result:
            return {"error": child.tail[-1500:]}
        runs.append({**child.result, "peak_mb": child.peak_mb, "wall_s": child.wall_s})
        print(
            f"  {model:<26} {path:<9} run {i + 1}: {fmt_s(child.result['seconds'])} "
            f"(CPU {fmt_s(child.result.get('cpu_s'))}, load {child.result.get('load', '?')}), "
            f"peak {fmt_mb(child.peak_mb)}, {child.result['clues']} clues",
            flush=True,
        )
        if child.result["seconds"] >= SHORT_S:
            break
    return {
        "seconds": median([r["seconds"] for r in runs]),
        "cpu_s": median([r.get("cpu_s", float("nan")) for r in runs]),
        "load": max(r.get("load", 0.0) for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
        "runs": len(runs),
        "clues": runs[0]["clues"],
        "digest": runs[0]["digest"],
        "all_s": [round(r["seconds"], 3) for r in runs],
    }


def whole_run(model: str, home: Path) -> dict[str, Any]:
    """Time ``huiyan run MODEL`` once (validation, papermill, run folder)."""
    huiyan = Path(python()).with_name("huiyan")
    child = run_child([str(huiyan), "run", model, "--home", str(home)], timeout=3600)
    if child.returncode:
        return {"error": child.tail[-1500:]}
    return {
        "seconds": child.wall_s,
        "peak_mb": child.peak_mb,
        "run_dir": child.tail.strip().splitlines()[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="province", choices=["tiny", "county", "province"])
    parser.add_argument("--home", type=Path, help="workspace (default: benchmarks/work/<scale>)")
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-run", action="store_true", help="skip the whole `huiyan run` timing")
    parser.add_argument(
        "--worker", nargs=3, metavar=("PATH", "MODEL", "HOME"), help=argparse.SUPPRESS
    )
    parser.add_argument("--generate", nargs=2, metavar=("HOME", "SCALE"), help=argparse.SUPPRESS)
    parser.add_argument("--prepare", nargs=2, metavar=("HOME", "MODEL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    if args.generate:
        generate(Path(args.generate[0]), args.generate[1])
        return
    if args.prepare:
        prepare(*args.prepare)
        return

    home = (args.home or WORK / args.scale).resolve()
    setup = ensure_workspace(home, args.scale, given=args.home is not None)
    results: dict[str, Any] = {}
    for model in [m.strip() for m in args.models.split(",") if m.strip()]:
        why = _available(model)
        if why:
            print(f"{model}: skipped: {why}")
            results[model] = {"skipped": why}
            continue
        module = importlib.import_module(f"huiyan.models.{model}")
        row: dict[str, Any] = {}
        if hasattr(module, "prepare"):
            child = run_child([python(), __file__, "--prepare", str(home), model])
            row["prepare_s"] = child.wall_s
            if child.returncode:
                results[model] = {"skipped": "prepare failed: " + child.tail[-800:]}
                continue
        row["huiyan"] = measure("huiyan", model, home, args.repeat)
        row["baseline"] = measure("baseline", model, home, args.repeat)
        h, b = row["huiyan"], row["baseline"]
        if "error" not in h and "error" not in b:
            row["speedup"] = b["seconds"] / h["seconds"]
            row["memory_ratio"] = h["peak_mb"] / b["peak_mb"]
            row["same_clues"] = h["digest"] == b["digest"]
            row["meets_target"] = row["speedup"] >= 3 and row["memory_ratio"] <= 0.5
        if args.no_run:
            row["run"] = {"skipped": "--no-run"}
        else:
            row["run"] = whole_run(model, home)
        results[model] = row
        print(json.dumps({model: row}, ensure_ascii=False, default=str)[:600], flush=True)

    print()
    print(table(results))
    bench_line(
        "models",
        {
            "scale": args.scale,
            "home": str(home.relative_to(ROOT)) if home.is_relative_to(ROOT) else str(home),
            **setup,
            "models": results,
        },
    )


def table(results: dict[str, Any]) -> str:
    """A Markdown table of the figures and ratios."""
    lines = [
        "| model | huiyan | pandas | speed-up | huiyan CPU | pandas CPU | load | huiyan peak "
        "| pandas peak | memory | same clues | clues | `huiyan run` |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:-:|---:|---:|",
    ]
    for model, row in results.items():
        if "skipped" in row:
            lines.append(f"| {model} | skipped: {row['skipped'][:80]} ||||||||||||")
            continue
        h, b, r = row["huiyan"], row["baseline"], row.get("run", {})
        if "error" in h or "error" in b:
            lines.append(
                f"| {model} | error: {(h.get('error') or b.get('error', ''))[-80:]!r} ||||||||||||"
            )
            continue
        run_s = (
            fmt_s(r.get("seconds"))
            if "seconds" in r
            else ("skipped" if "skipped" in r else "failed")
        )
        lines.append(
            f"| {model} | {fmt_s(h['seconds'])} | {fmt_s(b['seconds'])} | {row['speedup']:.1f}x "
            f"| {fmt_s(h.get('cpu_s'))} | {fmt_s(b.get('cpu_s'))} "
            f"| {max(h.get('load', 0.0), b.get('load', 0.0)) or '—'} "
            f"| {fmt_mb(h['peak_mb'])} | {fmt_mb(b['peak_mb'])} | {row['memory_ratio']:.2f} "
            f"| {'yes' if row['same_clues'] else 'NO'} | {h['clues']:,} | {run_s} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
