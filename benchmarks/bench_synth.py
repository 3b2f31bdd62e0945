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
import logging
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import huiyan as hy
from huiyan import synth


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="province", choices=("tiny", "county", "province"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--home", type=Path, default=None)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stdout)
    home = args.home or Path(tempfile.mkdtemp(prefix=f"bench-synth-{args.scale}-"))
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
