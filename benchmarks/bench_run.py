"""Fixed overhead of one ``huiyan run`` on tiny data, and the wall time of ``--each-county``.

Usage: .venv/bin/python benchmarks/bench_run.py [--scale tiny|county] [--jobs N] [--model NAME]

Builds a synthetic workspace under benchmarks/work/, runs the model three times
(median of 3 after one warm-up that fills the validation cache), then once per
county with ``--each-county``. The fixed overhead is the wall time of a whole
``huiyan run`` process on tiny data, where the model's own work is negligible;
the breakdown shows where it goes (papermill + kernel start, rendering the report).
The last line printed is ``BENCH {json}``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, WORK, bench_line

HUIYAN = [str(Path(sys.executable).with_name("huiyan"))]


def _huiyan(home: Path, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [*HUIYAN, "-q", "--home", str(home), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"huiyan {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return elapsed, done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", default="tiny", choices=("tiny", "county", "province"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--model", default="judicial_auction")
    parser.add_argument("--home", type=Path, help="reuse this synthetic workspace")
    parser.add_argument(
        "--each-county-only", action="store_true", help="skip the single runs (province scale)"
    )
    args = parser.parse_args()

    import huiyan
    from huiyan import synth

    home = args.home or WORK / f"run-{args.scale}"
    ws = huiyan.workspace(home)
    if not ws.db_path.exists():
        t = time.perf_counter()
        synth.generate(ws, scale=args.scale, seed=7)
        print(f"synth {args.scale}: {time.perf_counter() - t:.1f} s")
    ws.close()

    warm, _ = _huiyan(home, "run", args.model)  # fills the validation cache
    times, folders = [], []
    for _ in range(0 if args.each_county_only else 3):
        elapsed, folder = _huiyan(home, "run", args.model)
        times.append(elapsed)
        folders.append(Path(folder))
    manifests = [json.loads((f / "manifest.json").read_text(encoding="utf-8")) for f in folders]
    inside = statistics.median(m["duration_s"] for m in manifests) if manifests else None
    print(f"model {args.model}, scale {args.scale}")
    print(f"first run (validates the inputs): {warm:.1f} s")
    if times:
        print(
            f"one run, whole command, median of 3: {statistics.median(times):.1f} s "
            f"(runs: {', '.join(f'{t:.1f}' for t in times)})"
        )
        print(f"  of which inside the run folder (papermill, kernel, report): {inside:.1f} s")

    ws = huiyan.workspace(home, read_only=True)
    counties = len(ws.regions())
    ws.close()
    elapsed, summary = _huiyan(
        home, "run", args.model, "--each-county", "--jobs", str(args.jobs), "--allow-unvetted"
    )
    print(
        f"--each-county: {counties} counties, --jobs {args.jobs}: {elapsed:.1f} s "
        f"({elapsed / counties:.1f} s per county)"
    )
    print(f"summary: {summary}")
    bench_line(
        "run",
        {
            "model": args.model,
            "scale": args.scale,
            "first_run_s": round(warm, 2),
            "run_median_s": round(statistics.median(times), 2) if times else None,
            "runs_s": [round(t, 2) for t in times],
            "inside_run_s": inside,
            "counties": counties,
            "jobs": args.jobs,
            "each_county_s": round(elapsed, 2),
        },
    )


if __name__ == "__main__":
    main()
