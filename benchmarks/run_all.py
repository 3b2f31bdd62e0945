"""Run every benchmark script and write benchmarks/RESULTS.md (``make bench``).

Run: .venv/bin/python benchmarks/run_all.py [--only models,ingest] [--timeout 3600]

Each ``benchmarks/bench_*.py`` that exists runs once, in its own process with
the venv python and its default (province-scale) arguments. A script's last
``BENCH {json}`` line is its machine-readable result; a script that prints none
is reported by its exit status, time, peak memory and the tail of its output.
Results are kept in ``benchmarks/RESULTS.json`` by script, so running only some
scripts keeps the others' last figures (each labelled with when it ran);
``RESULTS.md`` is rendered from it with the machine and the date.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import BENCH_DIR, fmt_mb, fmt_s, python, run_child

ORDER = (
    "bench_synth",
    "bench_ingest",
    "bench_validate",
    "bench_parse",
    "bench_models",
    "bench_run",
    "bench_script",
    "bench_text",
    "bench_soak",
)
RESULTS_JSON = BENCH_DIR / "RESULTS.json"
RESULTS_MD = BENCH_DIR / "RESULTS.md"


def scripts() -> list[Path]:
    """The benchmark scripts that exist: the known ones in order, then any others."""
    found = {p.stem: p for p in sorted(BENCH_DIR.glob("bench_*.py"))}
    return [found[n] for n in ORDER if n in found] + [p for n, p in found.items() if n not in ORDER]


def machine() -> dict[str, Any]:
    """CPU model, cores, memory and load of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
        "load_1m_at_start": round(load[0], 2) if load else None,
    }


def run_script(path: Path, timeout: float, extra: list[str] | None = None) -> dict[str, Any]:
    """Run one script; its BENCH line (if any), exit status, time, peak memory and output tail."""
    print(f"== {path.name} {' '.join(extra or [])}", flush=True)
    child = run_child([python(), str(path), *(extra or [])], timeout=timeout)
    bench = None
    for line in child.tail.splitlines():
        if line.startswith("BENCH "):
            try:
                bench = json.loads(line[len("BENCH ") :])
            except json.JSONDecodeError:
                bench = None
    print(f"   exit {child.returncode}, {fmt_s(child.wall_s)}, peak {fmt_mb(child.peak_mb)}")
    return {
        "script": path.name,
        "args": extra or [],
        "ran_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "returncode": child.returncode,
        "wall_s": child.wall_s,
        "peak_mb": child.peak_mb,
        "bench": bench,
        "tail": "" if bench else child.tail[-1500:],
    }


def render(results: dict[str, Any]) -> str:
    """RESULTS.md from the kept results."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    m = machine()
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (benchmarks/run_all.py) on {now}.",
        "",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GiB memory ({m['os']}, Python {m['python']})",
        "- Each section says when it ran and the machine's 1-minute load average then: figures taken "
        "while other work shared the cores are slower than an idle machine would give.",
        "",
        "## Summary",
        "",
        "| script | ran at (UTC) | load | exit | wall time | peak memory |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name in [p.name for p in scripts()] + sorted(set(results) - {p.name for p in scripts()}):
        r = results.get(name)
        if r is None:
            lines.append(f"| {name} | not run | | | | |")
            continue
        lines.append(
            f"| {name} | {r['ran_at'][:16].replace('T', ' ')} | {r['machine'].get('load_1m_at_start')} "
            f"| {r['returncode']} | {fmt_s(r['wall_s'])} | {fmt_mb(r['peak_mb'])} |"
        )
    targets = BENCH_DIR / "TARGETS.md"  # the targets of issue 10, met or not, written by hand
    if targets.exists():
        lines += ["", targets.read_text(encoding="utf-8").strip()]
    for name, r in results.items():
        lines += ["", f"## {name}", ""]
        if r.get("args"):
            lines += [f"Arguments: `{' '.join(r['args'])}`", ""]
        for note in r.get("notes", []):  # added by hand to RESULTS.json; kept until the next run
            lines += [f"> {note}", ""]
        bench = r.get("bench")
        if name == "bench_models.py" and bench:
            lines += _models_section(bench)
        elif name == "bench_run.py" and bench and "province" in bench:
            lines += _run_section(bench)
        elif bench and isinstance(bench.get("markdown"), str):  # the script's own tables
            lines += [bench["markdown"], "", "(All figures: benchmarks/RESULTS.json.)"]
        elif bench:
            lines += ["```json", json.dumps(bench, ensure_ascii=False, indent=1)[:6000], "```"]
        else:
            lines += [
                "No `BENCH` line; the end of its output:",
                "",
                "```",
                r.get("tail", "").strip(),
                "```",
            ]
    return "\n".join(lines) + "\n"


def _run_section(bench: dict[str, Any]) -> list[str]:
    """Whole ``huiyan run`` figures as tables (the JSON stays in RESULTS.json)."""
    lines = [
        "The whole `huiyan -q run MODEL` as a user types it (parameter check, validation, kernel, "
        "notebook, report, Excel, run folder, ledger), timed from outside; peak memory = the "
        "whole process tree, kernel included. Targets: fixed overhead on tiny < 5 s; at province "
        "< 60 s and < 4 GiB per model.",
        "",
        "| tiny (fixed overhead) | median | runs | inside the run folder | peak |",
        "|---|---:|---|---:|---:|",
    ]
    for model, t in (bench.get("tiny") or {}).items():
        if isinstance(t, dict) and "median_s" in t:
            runs = ", ".join(f"{x:.1f}" for x in t.get("runs_s", []))
            lines.append(
                f"| {model} | {t['median_s']:.2f} s | {runs} | {t.get('inside_run_folder_s', 0):.2f} s "
                f"| {t.get('peak_mb', 0):,} MB |"
            )
    lines += [
        "",
        "| province | first run | of which first validation | cached run | notebook | peak | load |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for model, r in (bench.get("province") or {}).items():
        if isinstance(r, dict) and "first_s" in r:
            load = "-".join(str(x) for x in r.get("load_1m", []))
            lines.append(
                f"| {model} | {r['first_s']:.1f} s | {r['first_validation_s']:.1f} s "
                f"| {r['cached_s']:.1f} s | {r['cached_notebook_s']:.1f} s "
                f"| {max(r['first_peak_mb'], r['cached_peak_mb']):,} MB | {load} |"
            )
    each = bench.get("each_county") or {}
    if each and all(isinstance(r, dict) and "each_county_s" in r for r in each.values()):
        lines += [
            "",
            "| `--each-county` | counties | --jobs | wall | per county | peak | load |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for model, r in each.items():
            lines.append(
                f"| {model} | {r['counties']} | {r['jobs']} | {r['each_county_s']:.1f} s "
                f"| {r['each_county_s'] / max(r['counties'], 1):.2f} s | {r['peak_mb']:,} MB "
                f"| {r['load_1m']} |"
            )
    return [*lines, "", "(All figures, slowest cells included: benchmarks/RESULTS.json.)"]


def _models_section(bench: dict[str, Any]) -> list[str]:
    from bench_models import table

    models = bench.get("models", {})
    lines = [
        f"Scale: **{bench.get('scale')}** (workspace `{bench.get('home')}`). Rule compute = open the "
        "workspace, read the inputs, evaluate every rule and build the clue table; huiyan "
        "(`run_rules` + `clues.collect`, DuckDB) against the plain-pandas baseline "
        "(`benchmarks/baselines`), each in a fresh process, imports excluded; time = median of the "
        "runs (3 when a run is under a minute), memory = the process's peak RSS. Speed-up = "
        "pandas time / huiyan time (target >= 3x); memory = huiyan peak / pandas peak (target <= 0.5). "
        "`huiyan run` = the whole command (validation, papermill, run folder), once.",
        "",
        table(models),
        "",
    ]
    met = [k for k, v in models.items() if v.get("meets_target")]
    missed = [k for k, v in models.items() if "speedup" in v and not v.get("meets_target")]
    if met:
        lines.append(f"Meets both targets: {', '.join(met)}.")
    if missed:
        lines.append(f"Misses a target: {', '.join(missed)}.")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated names, e.g. models,ingest")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per script")
    parser.add_argument(
        "--render-only", action="store_true", help="rewrite RESULTS.md, run nothing"
    )
    parser.add_argument(
        "--args",
        action="append",
        default=[],
        metavar="NAME=ARGS",
        help='extra arguments for one script, e.g. --args "models=--repeat 1 --no-run"',
    )
    args = parser.parse_args()
    extra = {
        f"bench_{k.strip().removeprefix('bench_').removesuffix('.py')}": v.split()
        for k, v in (a.split("=", 1) for a in args.args)
    }
    results: dict[str, Any] = (
        json.loads(RESULTS_JSON.read_text(encoding="utf-8")) if RESULTS_JSON.exists() else {}
    )
    wanted = {
        f"bench_{n.strip().removeprefix('bench_').removesuffix('.py')}"
        for n in args.only.split(",")
        if n.strip()
    }
    if not args.render_only:
        for path in scripts():
            if wanted and path.stem not in wanted:
                continue
            results[path.name] = run_script(path, args.timeout, extra.get(path.stem))
            RESULTS_JSON.write_text(
                json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
            RESULTS_MD.write_text(render(results), encoding="utf-8")
    RESULTS_MD.write_text(render(results), encoding="utf-8")
    print(f"wrote {RESULTS_MD}")


if __name__ == "__main__":
    main()
