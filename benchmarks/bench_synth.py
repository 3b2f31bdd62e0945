"""Time and peak memory of ``huiyan synth`` at a given scale (default: province).

Usage:
    .venv/bin/python benchmarks/bench_synth.py [--scale province] [--seed 7] [--home DIR]

Prints wall time per stage (background, each family, each dataset written,
judgment parsing), the peak resident memory of the process and of its largest
child (the judgment parser's workers; resource.getrusage), the CPU seconds used
(less sensitive than wall time to other work on the machine) and the machine's load
average before and after. Bars: province < 10 min and < 8 GB on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

import huiyan as hy
from huiyan import synth

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import WORK

STAGE = re.compile(
    r"synth: (background|\w+) (built|written|parsed)(?: \((\d+) rows\))? in ([\d.]+) s"
)


class Stages(logging.Handler):
    """Collects the generator's own "synth: STAGE built|written|parsed in N s" log lines."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.rows: list[tuple[str, float]] = []

    def emit(self, record: logging.LogRecord) -> None:
        m = STAGE.search(record.getMessage())
        if m:
            name, verb, _, seconds = m.groups()
            self.rows.append((f"{name} {verb}", float(seconds)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="province", choices=("tiny", "county", "province"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--home",
        type=Path,
        default=None,
        help="workspace to fill (default: benchmarks/work/province at province scale, else a temp dir)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stdout)
    stages = Stages()
    logging.getLogger("huiyan.synth").addHandler(stages)
    # the province workspace the other benchmark scripts measure (make bench runs this first)
    default = WORK / "province" if args.scale == "province" else None
    home = args.home or default or Path(tempfile.mkdtemp(prefix=f"bench-synth-{args.scale}-"))
    ws = hy.workspace(home)
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    report = synth.generate(ws, scale=args.scale, seed=args.seed, progress=False)
    wall = time.perf_counter() - t0
    ws.close()
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    peak_gb = me.ru_maxrss / 1024 / 1024
    child_gb = kids.ru_maxrss / 1024 / 1024
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    print(report.summary())
    print(
        f"scale={args.scale} wall={wall:.1f}s peak_rss={peak_gb:.2f}GB "
        f"peak_rss_child={child_gb:.2f}GB cpu={cpu:.1f}s home={home}"
    )
    load = ", ".join(f"{x:.2f}" for x in load_before)
    print(f"load average before: {load}; after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    size = (home / "datasets" / "huiyan.duckdb").stat().st_size / 1e9
    print(f"database size {size:.2f} GB")
    rows = sum(report.rows.values())
    table = [
        f"`huiyan synth --scale {args.scale} --seed {args.seed}`: {rows:,} rows in "
        f"{len(report.rows)} datasets, {wall:.0f} s wall ({rows / wall:,.0f} rows/s), "
        f"{cpu:.0f} s CPU, peak memory {peak_gb:.2f} GiB (bars: 600 s, 8 GB); "
        f"load {load_before[0]:.2f} at the start.",
        "",
        "| stage | seconds |",
        "|---|---:|",
        *[f"| {name} | {sec:.1f} |" for name, sec in stages.rows],
    ]
    result = {
        "scale": args.scale,
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "peak_gb": round(peak_gb, 2),
        "rows": rows,
        "stages": dict(stages.rows),
        "markdown": "\n".join(table),
    }
    print("BENCH " + json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
