"""Helpers shared by the benchmark scripts: child processes with their own peak memory, medians, JSON.

Every measured path runs in a fresh child process started with the project's
venv python, so its peak resident memory (``ru_maxrss`` from ``os.wait4`` on
that child alone) is its own and not the sum of everything measured before.
A script ends by printing one machine-readable line ``BENCH {json}`` that
``benchmarks/run_all.py`` collects into ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "benchmarks"
WORK = BENCH_DIR / "work"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
MARK = "RESULT "


def python() -> str:
    """The venv's python (falls back to the running interpreter outside a checkout)."""
    return str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable


@dataclass(frozen=True)
class Child:
    """One finished child process: its wall time, peak memory, exit code and reported result."""

    wall_s: float
    peak_mb: float
    returncode: int
    result: dict[str, Any] = field(default_factory=dict)
    tail: str = ""


def run_child(
    argv: list[str], *, env: dict[str, str] | None = None, timeout: float = 3600
) -> Child:
    """Run ``argv`` in a fresh process; its peak RSS comes from ``wait4`` on that child alone.

    A line ``RESULT {json}`` printed by the child becomes ``Child.result`` (for timings
    the child takes itself, e.g. excluding imports).
    """
    full_env = {**os.environ, **(env or {})}
    out_path = WORK / f".child-{os.getpid()}.log"
    out_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with out_path.open("w+") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=full_env, cwd=ROOT)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    out_path.unlink(missing_ok=True)
    result: dict[str, Any] = {}
    for line in text.splitlines():
        if line.startswith(MARK):
            result = json.loads(line[len(MARK) :])
    peak_mb = usage.ru_maxrss / 1024  # Linux: kilobytes
    return Child(wall, peak_mb, proc.returncode, result, text[-20000:])  # room for a BENCH line


def report(result: dict[str, Any]) -> None:
    """Print the child's result line (see :func:`run_child`)."""
    print(MARK + json.dumps(result, ensure_ascii=False), flush=True)


def median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def bench_line(name: str, payload: dict[str, Any]) -> None:
    """Print the final machine-readable line of a benchmark script."""
    print("BENCH " + json.dumps({"bench": name, **payload}, ensure_ascii=False, default=_plain))


def _plain(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    return str(value)


def fmt_s(x: float | None) -> str:
    return "—" if x is None or x != x else f"{x:,.1f} s" if x >= 10 else f"{x:,.2f} s"


def fmt_mb(x: float | None) -> str:
    return "—" if x is None or x != x else f"{x:,.0f} MB"
