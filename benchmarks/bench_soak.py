"""Soak: four processes share one workspace for a minute, as a county office does.

Run: .venv/bin/python benchmarks/bench_soak.py [--seconds 60] [--home DIR]

- a runner: ``huiyan run judicial_auction`` for one county, again and again;
- a reviewer: moves clues forward (待核查 -> 核查中 -> 已移送 -> 已立案) with a unique note
  on each change;
- an ingester: loads small agency files of new criminal cases, one after another;
- a notebook: holds the workspace open, reads tables, refreshes now and then.

Reported: operations per process, how many writes waited for another and for how long,
failures (must be 0) and lost updates (must be 0): a review outcome that was recorded but
is missing from the ledger's history or status, an ingested case missing from the table,
a succeeded run missing from the ledger.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import sys
import time
import traceback
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import WORK, bench_line

COUNTY = "330602"
PATH = ["核查中", "已移送", "已立案"]


def _runner(home: Path, until: float, out: Any) -> None:
    import huiyan as hy
    from huiyan import runs, writer

    ops, failures, run_ids, errors = 0, 0, [], []
    while time.time() < until:
        try:
            result = runs.run("judicial_auction", ws=hy.workspace(home), region=COUNTY)
            run_ids.append(result.run_id)
            ops += 1
        except Exception as err:
            failures += 1
            errors.append(f"{type(err).__name__}: {err}"[:300])
    out.put({"who": "runner", "ops": ops, "failures": failures, "runs": run_ids,
             "waits": writer.waits, "errors": errors})  # fmt: skip


def _reviewer(home: Path, until: float, out: Any) -> None:
    import huiyan as hy
    from huiyan import ledger

    ws = hy.workspace(home)
    rng = random.Random(os.getpid())
    clue_ids = ledger.clues(ws, model="judicial_auction").clue_id.tolist()
    state = {c: -1 for c in clue_ids}
    done: list[tuple[str, str, str]] = []
    ops, failures, errors = 0, 0, []
    n = 0
    slowest = 0.0
    while time.time() < until:
        movable = [c for c, i in state.items() if i < len(PATH) - 1]
        clue = rng.choice(movable or clue_ids)
        # forward while it can; at the end of the path, a further note on the same status
        status = PATH[min(state[clue] + 1, len(PATH) - 1)]
        note = f"soak-{os.getpid()}-{n}"
        n += 1
        try:
            t0 = time.perf_counter()
            change = ledger.set_status(ws, clue, status, note=note, reviewer="soak")
            slowest = max(slowest, time.perf_counter() - t0)
            if change.applied:
                state[clue] = PATH.index(status)
                done.append((clue, status, note))
            ops += 1
        except Exception as err:
            failures += 1
            errors.append(f"{type(err).__name__}: {err}"[:300])
        time.sleep(0.02)
    out.put({"who": "reviewer", "ops": ops, "failures": failures, "done": done,
             "slowest_s": slowest, "errors": errors})  # fmt: skip


def _ingester(home: Path, until: float, out: Any) -> None:
    import huiyan as hy
    from huiyan import writer
    from huiyan.ingest import ingest

    ws = hy.workspace(home)
    template = ws.table("criminal_cases").limit(10).execute()
    folder = home / "soak-files"
    folder.mkdir(exist_ok=True)
    ops, failures, keys, errors = 0, 0, [], []
    n = 0
    while time.time() < until:
        frame = template.copy()
        frame["case_id"] = [f"SOAK{os.getpid()}-{n}-{i}" for i in range(len(frame))]
        path = folder / f"cases-{n}.csv"
        frame.to_csv(path, index=False)
        n += 1
        try:
            report = ingest(ws, "criminal_cases", path)
            if report.loaded != len(frame):
                raise RuntimeError(f"loaded {report.loaded} of {len(frame)}")
            keys += frame.case_id.tolist()
            ops += 1
        except Exception as err:
            failures += 1
            errors.append(f"{type(err).__name__}: {err}"[:300])
    out.put({"who": "ingester", "ops": ops, "failures": failures, "keys": keys,
             "waits": writer.waits, "errors": errors})  # fmt: skip


def _notebook(home: Path, until: float, out: Any) -> None:
    import huiyan as hy

    ws = hy.workspace(home)
    ops, failures, refreshes, errors = 0, 0, 0, []
    while time.time() < until:
        try:
            ws.table("criminal_cases").count().execute()
            ws.table("judicial_auctions", region=COUNTY).count().execute()
            ops += 1
            if ops % 20 == 0:
                ws.refresh()
                refreshes += 1
        except Exception as err:
            failures += 1
            errors.append(f"{type(err).__name__}: {err}"[:300])
        time.sleep(0.01)
    out.put({"who": "notebook", "ops": ops, "failures": failures, "refreshes": refreshes,
             "errors": errors})  # fmt: skip


def _guarded(target: Any, home: Path, until: float, out: Any) -> None:
    try:
        target(home, until, out)
    except Exception:
        out.put({"who": target.__name__.strip("_"), "ops": 0, "failures": 1,
                 "errors": [traceback.format_exc()[-1500:]]})  # fmt: skip


def _lost(home: Path, results: dict[str, dict[str, Any]]) -> dict[str, int]:
    import huiyan as hy
    from huiyan import ledger

    ws = hy.workspace(home)
    history = ledger.history(ws)
    recorded = set(zip(history.clue_id, history.status, history.note, strict=True))
    done = results["reviewer"]["done"]
    lost_reviews = sum(1 for c, s, n in map(tuple, done) if (c, s, n) not in recorded)
    last = {c: s for c, s, _ in done}
    status = ledger.clues(ws).set_index("clue_id").status
    lost_status = sum(1 for c, s in last.items() if status.get(c) != s)
    stored = set(ws.table("criminal_cases").case_id.execute())
    lost_cases = sum(1 for k in results["ingester"]["keys"] if k not in stored)
    import sqlite3

    from huiyan import journal

    con = sqlite3.connect(journal.path(home))
    taken = {r[0] for r in con.execute("SELECT run_id FROM ledger_runs")}
    con.close()
    lost_runs = sum(1 for r in results["runner"]["runs"] if r not in taken)
    return {
        "review_outcomes": lost_reviews,
        "review_status": lost_status,
        "ingested_rows": lost_cases,
        "runs_in_ledger": lost_runs,
    }


def prepare(home: Path) -> None:
    import huiyan as hy
    from huiyan import runs, synth

    if not (home / "datasets" / "huiyan.duckdb").exists():
        synth.generate(hy.workspace(home), scale="tiny", seed=7)
    runs.run("judicial_auction", ws=hy.workspace(home), region=COUNTY)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--home", type=Path, default=WORK / "soak")
    args = parser.parse_args()
    home = args.home.resolve()
    import shutil

    shutil.rmtree(home, ignore_errors=True)
    prepare(home)
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    until = time.time() + args.seconds
    procs = [
        ctx.Process(target=_guarded, args=(f, home, until, out))
        for f in (_runner, _reviewer, _ingester, _notebook)
    ]
    started = time.perf_counter()
    for p in procs:
        p.start()
    results = {}
    for _ in procs:
        r = out.get(timeout=args.seconds + 600)
        results[r["who"]] = r
    for p in procs:
        p.join()
    wall = time.perf_counter() - started
    lost = _lost(home, results)
    waits = [w for who in ("runner", "ingester") for w in results[who].get("waits", [])]
    waited = [w for w in waits if w > 0.05]
    failures = sum(r["failures"] for r in results.values())
    print(f"soak: {wall:.0f} s, 4 processes on {home}")
    for who, r in results.items():
        print(f"  {who:<9} {r['ops']:>5} operations, {r['failures']} failures")
        for e in r.get("errors", [])[:3]:
            print(f"      {e}")
    print(
        f"  writes that waited for another: {len(waited)} of {len(waits)}"
        f" (longest {max(waits, default=0):.2f} s)"
    )
    print(f"  slowest review outcome (a SQLite write): {results['reviewer']['slowest_s']:.2f} s")
    print(f"  failures: {failures}; lost updates: {json.dumps(lost)}")
    bench_line(
        "soak",
        {
            "seconds": round(wall, 1),
            "operations": {who: r["ops"] for who, r in results.items()},
            "writes": len(waits),
            "writes_waited": len(waited),
            "longest_wait_s": round(max(waits, default=0.0), 2),
            "slowest_review_s": round(results["reviewer"]["slowest_s"], 2),
            "failures": failures,
            "lost_updates": sum(lost.values()),
            "lost": lost,
        },
    )
    if failures or sum(lost.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
