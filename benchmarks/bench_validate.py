"""Benchmark: validate every dataset of a workspace, uncached, at county and province scale.

Run: .venv/bin/python benchmarks/bench_validate.py [--county DIR] [--province DIR] [--rows N]

Three measurements, each in a fresh child process (its own peak memory):

- ``county``: every dataset of a county workspace (generated with seed 7 into a
  temporary folder unless ``--county`` names one);
- ``province``: every dataset of the province workspace (default
  ``benchmarks/work/province``). Validation writes its cache into the workspace,
  so the script validates a private copy of the database, never the original;
- ``1M``: one generated 1,000,000-row ``admin_penalties`` table (``--rows``).

Per dataset: rows, expectations, wall time and rows per second, all uncached
(``use_cache=False``); then the total, the one-off Great Expectations import and
the peak resident memory. The last line, ``BENCH {json}``, carries the figures and a
Markdown table for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import WORK, bench_line, fmt_mb, python, report, run_child

FILL = """
INSERT INTO admin_penalties
SELECT
    'XZCF-' || lpad(i::VARCHAR, 9, '0')                              AS case_id,
    '某市市场监督管理局'                                               AS agency,
    CASE i % 3 WHEN 0 THEN '市场监管' WHEN 1 THEN '自然资源' ELSE '生态环境' END AS domain,
    CASE i % 2 WHEN 0 THEN '330602' ELSE '331124' END                  AS region,
    CASE i % 5 WHEN 0 THEN '法人' ELSE '自然人' END                    AS party_type,
    '当事人' || i                                                      AS party_name,
    '{rid}'                                                            AS party_id,
    '非法采砂'                                                         AS violation,
    '当事人于某日在禁采区非法采砂约' || (i % 5000) || '吨，价值约' || (i % 97) ||
        '万元，违反了《矿产资源法》的有关规定，事实清楚，证据确凿。' AS facts,
    (i % 5000)::DOUBLE                                                 AS quantity,
    '吨'                                                               AS quantity_unit,
    round((i % 97) * 10000.0, 2)                                       AS goods_value,
    round((i % 13) * 1000.0, 2)                                        AS illegal_gain,
    round((i % 50) * 200.0, 2)                                         AS fine,
    DATE '2015-01-01' + (i % 3000)::INTEGER                            AS decision_date,
    i % 7 = 0                                                          AS transferred
FROM range({rows}) t(i)
"""


# -- the child: validate one workspace ----------------------------------------------------------


def child(home: Path, *, engine: str = "duckdb") -> None:
    """Validate every dataset of ``home`` one by one, uncached; print a RESULT line."""
    import huiyan
    from huiyan import contracts, quality
    from huiyan.quality import _gx

    t0 = time.perf_counter()
    _gx.context()  # the one-off GX import, measured apart from the datasets
    gx_import = time.perf_counter() - t0
    ws = huiyan.workspace(home)
    present = set(ws.con.list_tables())
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    for name in contracts.names():
        if name not in present:
            continue
        t, cpu = time.perf_counter(), time.process_time()
        result = quality.validate(ws, [name], use_cache=False, engine=engine)[name]
        wall, cpu = time.perf_counter() - t, time.process_time() - cpu
        rows.append(
            {
                "dataset": name,
                "rows": result.rows,
                "expectations": result.evaluated,
                "failed": len(result.errors),
                "warnings": len(result.warnings),
                "seconds": round(wall, 2),
                "cpu_s": round(cpu, 2),
                "rows_per_s": round(result.rows / wall) if wall else None,
            }
        )
        print(f"  {name:<20} {result.rows:>11,} rows {wall:7.2f} s (cpu {cpu:.2f} s)", flush=True)
    total = time.perf_counter() - started
    ws.close()
    report({"gx_import_s": round(gx_import, 2), "total_s": round(total, 2), "datasets": rows})


def child_million(rows: int) -> None:
    """Generate one ``admin_penalties`` table of ``rows`` rows and validate it, uncached."""
    import huiyan
    from huiyan import identifiers, quality
    from huiyan.ingest import create_table_sql
    from huiyan.quality import _gx

    t0 = time.perf_counter()
    _gx.context()
    gx_import = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as home:
        ws = huiyan.workspace(home)
        body = "33060219800101123"
        con = ws.con.con
        con.execute(create_table_sql("admin_penalties"))
        con.execute(FILL.format(rows=rows, rid=body + identifiers.resident_id_check_digit(body)))
        t0, cpu = time.perf_counter(), time.process_time()
        result = quality.validate(ws, ["admin_penalties"], use_cache=False)["admin_penalties"]
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu
        t0 = time.perf_counter()
        cached = quality.validate(ws, ["admin_penalties"])["admin_penalties"]
        again = time.perf_counter() - t0
        ws.close()
    report(
        {
            "gx_import_s": round(gx_import, 2),
            "total_s": round(wall, 2),
            "cached_s": round(again, 3),
            "cached": cached.cached,
            "datasets": [
                {
                    "dataset": "admin_penalties (generated)",
                    "rows": result.rows,
                    "expectations": result.evaluated,
                    "failed": len(result.errors),
                    "warnings": len(result.warnings),
                    "seconds": round(wall, 2),
                    "cpu_s": round(cpu, 2),
                    "rows_per_s": round(result.rows / wall) if wall else None,
                }
            ],
        }
    )


# -- the parent: prepare workspaces, run children, render ---------------------------------------


def _county(given: Path | None, scratch: Path) -> Path:
    if given is not None:
        return given
    import huiyan
    from huiyan import synth

    home = scratch / "county"
    ws = huiyan.workspace(home)
    synth.generate(ws, scale="county", seed=7, progress=False)
    ws.close()
    return home


def _private_copy(home: Path, scratch: Path) -> Path:
    """A copy of the workspace's database: validation writes its cache beside it."""
    target = scratch / home.name / "datasets"
    target.mkdir(parents=True)
    shutil.copy(home / "datasets" / "huiyan.duckdb", target / "huiyan.duckdb")
    return target.parent


def _measure(label: str, argv: list[str]) -> dict[str, Any]:
    print(f"== {label}", flush=True)
    done = run_child([python(), __file__, *argv], timeout=3600)
    if done.returncode != 0 or not done.result:
        print(done.tail, flush=True)
        return {"label": label, "error": f"exit {done.returncode}", "tail": done.tail[-800:]}
    out = {"label": label, **done.result, "wall_s": round(done.wall_s, 1)}
    out["peak_mb"] = round(done.peak_mb)
    out["rows"] = sum(d["rows"] for d in out["datasets"])
    out["rows_per_s"] = round(out["rows"] / out["total_s"]) if out["total_s"] else None
    print(
        f"   {out['rows']:,} rows in {out['total_s']:.1f} s, peak {fmt_mb(done.peak_mb)}",
        flush=True,
    )
    return out


def table(runs: list[dict[str, Any]]) -> str:
    """The per-dataset Markdown table of every measured workspace."""
    lines = [
        "| scale | dataset | rows | expectations | failed | time | CPU time | rows/s |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        if "error" in run:
            lines.append(f"| {run['label']} | failed: {run['error']} | | | | | | |")
            continue
        for d in run["datasets"]:
            rate = f"{d['rows_per_s']:,}" if d.get("rows_per_s") else "—"
            lines.append(
                f"| {run['label']} | {d['dataset']} | {d['rows']:,} | {d['expectations']} "
                f"| {d['failed']} | {d['seconds']:.2f} s | {d.get('cpu_s', float('nan')):.2f} s "
                f"| {rate} |"
            )
        lines.append(
            f"| **{run['label']}** | **all, total** | **{run['rows']:,}** | "
            f"{sum(d['expectations'] for d in run['datasets'])} | "
            f"{sum(d['failed'] for d in run['datasets'])} | **{run['total_s']:.1f} s** | "
            f"{sum(d.get('cpu_s', 0.0) for d in run['datasets']):.1f} s | {run['rows_per_s']:,} |"
        )
    lines += [
        "",
        "| scale | datasets | total (uncached) | GX import (once) | process wall | peak memory |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        if "error" in run:
            continue
        lines.append(
            f"| {run['label']} | {len(run['datasets'])} | {run['total_s']:.1f} s "
            f"| {run['gx_import_s']:.1f} s | {run['wall_s']:.1f} s | {run['peak_mb']:,} MB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--county", type=Path, default=None, help="a county workspace")
    parser.add_argument("--province", type=Path, default=WORK / "province")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the generated table")
    parser.add_argument("--only", default="county,province,1M", help="which measurements")
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--child-rows", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="duckdb", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, engine=args.engine)
        return
    if args.child_rows is not None:
        child_million(args.child_rows)
        return
    wanted = {w.strip() for w in args.only.split(",")}
    runs = []
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-validate-", dir=WORK) as tmp:
        scratch = Path(tmp)
        if "county" in wanted:
            home = _private_copy(_county(args.county, scratch / "synth"), scratch)
            runs.append(_measure("county", ["--child", str(home)]))
        if "province" in wanted and (args.province / "datasets" / "huiyan.duckdb").exists():
            home = _private_copy(args.province, scratch)
            runs.append(_measure("province", ["--child", str(home)]))
        if "1M" in wanted:
            runs.append(_measure(f"{args.rows:,} rows", ["--child-rows", str(args.rows)]))
    md = table(runs)
    print()
    print(md)
    print(f"load average (1 min) at start: {load:.2f}; at end: {os.getloadavg()[0]:.2f}")
    bench_line(
        "validate",
        {
            "load_1m_start": round(load, 2),
            "load_1m_end": round(os.getloadavg()[0], 2),
            "runs": [{k: v for k, v in r.items() if k != "tail"} for r in runs],
            "markdown": md,
        },
    )


if __name__ == "__main__":
    main()
