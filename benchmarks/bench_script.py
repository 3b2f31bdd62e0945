"""A whole `huiyan run` against a plain pandas script doing the same model end to end.

Usage:
    .venv/bin/python benchmarks/bench_script.py --home benchmarks/work/province
    .venv/bin/python benchmarks/bench_script.py --home /tmp/county --models judicial_auction

The script is what a capable analyst would write instead of huiyan: start Python, read the
model's tables out of the workspace's DuckDB files into pandas, apply the model's rules (the
plain-pandas baselines in ``benchmarks/baselines``, which find exactly the model's clues) and
write the clues to Parquet and Excel. It does no validation, no report and no run record.

huiyan is measured as a user runs it, ``huiyan -q run MODEL`` from outside, with the inputs'
validation cached (one run first fills the cache), twice over: starting a new kernel each
time, and with the kernel the previous run left warm (``huiyan.runs.warm``), as a user's
second run of the day does.

Fairness: the baselines import their model's thresholds from ``huiyan.models``, which loads
ibis; a hand-written script would not. The script's child process times that import itself
and it is taken off the script's figure, so the script is never slowed by huiyan's imports.
Its tables are read with DuckDB directly (no ibis), from the same snapshot files huiyan reads.

Targets (issue 20): at county scale a huiyan run takes at most 1.5x the script's wall time;
at province scale at most 0.5x. The last line printed is ``BENCH {json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import WORK, bench_line, python, run_child

MODELS = (
    "judicial_auction",
    "forest_subsidy",
    "bankruptcy_labor_claims",
    "admin_criminal_transfer",
    "insurance_fraud",
)
TARGET = {"county": 1.5, "province": 0.5}


# -- the script (a child process) -----------------------------------------------------------------


class _Table:
    def __init__(self, con: Any, name: str) -> None:
        self.con, self.name = con, name

    def to_pandas(self) -> Any:
        return self.con.sql(f'SELECT * FROM "{self.name}"').df()


class _Connection:
    """What the baselines read through (``ws.con.table(name).to_pandas()``), in plain DuckDB."""

    def __init__(self, home: Path) -> None:
        import duckdb

        self.con = duckdb.connect()
        folder = home / "datasets" / "snapshots"
        catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
        for i, (name, snap) in enumerate(catalog["tables"].items()):
            self.con.execute(f"ATTACH '{folder / snap['file']}' AS s{i} (READ_ONLY)")
            self.con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM s{i}.main."{name}"')

    def table(self, name: str) -> _Table:
        return _Table(self.con, name)


class _Workspace:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.con = _Connection(home)


def script(model: str, home: str, out: str) -> None:
    """The plain script: read, apply the rules in pandas, write the clues."""
    import importlib

    import duckdb  # noqa: F401  (the script's own libraries)
    import pandas as pd

    t0 = time.perf_counter()
    baselines = importlib.import_module("baselines")
    importlib.import_module(f"baselines.{model}")  # loads huiyan.models (ibis): not the script's
    huiyan_imports = time.perf_counter() - t0
    frame = baselines.run(model, _Workspace(Path(home)))
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    frame = frame.assign(evidence=frame.evidence.map(lambda e: "; ".join(e)))
    frame.to_parquet(folder / "clues.parquet")
    with pd.ExcelWriter(folder / "clues.xlsx") as xlsx:
        frame.to_excel(xlsx, sheet_name="clues", index=False)
    print("RESULT " + json.dumps({"clues": len(frame), "huiyan_imports_s": huiyan_imports}))


# -- the parent -----------------------------------------------------------------------------------


def _huiyan(home: Path, model: str, *, warm: bool) -> float:
    import bench_run

    m = bench_run.measure(["run", model], home=home, warm=warm)
    bench_run._check(m, f"run {model}")
    return m.wall_s


def measure_model(home: Path, model: str, repeat: int) -> dict[str, Any]:
    import bench_run

    _huiyan(home, model, warm=False)  # fills the validation cache
    new = [_huiyan(home, model, warm=False) for _ in range(repeat)]
    _huiyan(home, model, warm=True)  # leaves a warm kernel
    warm = [_huiyan(home, model, warm=True) for _ in range(repeat)]
    bench_run.stop_warm_kernels(home)
    scripts = []
    clues = None
    for _ in range(repeat):
        child = run_child(
            [python(), __file__, "--script", model, str(home), str(WORK / "script-out")]
        )
        if child.returncode:
            raise SystemExit(f"the script of {model} failed:\n{child.tail[-3000:]}")
        scripts.append(child.wall_s - float(child.result["huiyan_imports_s"]))
        clues = child.result["clues"]
    out = {
        "script_s": round(statistics.median(scripts), 2),
        "huiyan_new_kernel_s": round(statistics.median(new), 2),
        "huiyan_warm_kernel_s": round(statistics.median(warm), 2),
        "clues": clues,
        "load_1m": round(os.getloadavg()[0], 2),
    }
    out["ratio_new_kernel"] = round(out["huiyan_new_kernel_s"] / out["script_s"], 2)
    out["ratio_warm_kernel"] = round(out["huiyan_warm_kernel_s"] / out["script_s"], 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=WORK / "province")
    parser.add_argument("--scale", choices=sorted(TARGET), help="default: the workspace's")
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--script", nargs=3, metavar=("MODEL", "HOME", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.script:
        script(*args.script)
        return
    scale = args.scale or ("county" if "county" in args.home.name else "province")
    target = TARGET[scale]
    results: dict[str, Any] = {"home": str(args.home), "scale": scale, "target_ratio": target}
    for model in args.models.split(","):
        r = measure_model(args.home, model, args.repeat)
        r["meets_target"] = min(r["ratio_new_kernel"], r["ratio_warm_kernel"]) <= target
        results[model] = r
        print(
            f"{scale} {model}: script {r['script_s']:.2f} s; huiyan run {r['huiyan_new_kernel_s']:.2f} s "
            f"with a new kernel ({r['ratio_new_kernel']:.2f}x), {r['huiyan_warm_kernel_s']:.2f} s "
            f"warm ({r['ratio_warm_kernel']:.2f}x); target <= {target}x; {r['clues']} clues; "
            f"load {r['load_1m']}",
            flush=True,
        )
    bench_line("bench_script", results)


if __name__ == "__main__":
    main()
