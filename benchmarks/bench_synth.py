"""Time and peak memory of ``huiyan synth`` at a given scale (default: province).

Usage:
    .venv/bin/python benchmarks/bench_synth.py [--scale province] [--seed 7] [--home DIR]

Prints wall time per stage (background, each family, writing) and the peak
resident memory of the process (resource.getrusage). Bars: province < 10 min
and < 8 GB on a 2-core machine.
"""

from __future__ import annotations

import argparse
import logging
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
    t0 = time.perf_counter()
    report = synth.generate(ws, scale=args.scale, seed=args.seed, progress=False)
    wall = time.perf_counter() - t0
    ws.close()
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(report.summary())
    print(f"scale={args.scale} wall={wall:.1f}s peak_rss={peak_gb:.2f}GB home={home}")
    size = (home / "datasets" / "huiyan.duckdb").stat().st_size / 1e9
    print(f"database size {size:.2f} GB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
