"""Where a run's time goes, stage by stage (``huiyan run --timings``).

Stages overlap on purpose: the notebook kernel boots while the runner checks the inputs,
so "kernel ready" is only the wait that was left after the checks.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

STAGES = {
    "startup": "启动与载入程序 start-up and imports",
    "catalog": "查找模型 finding the model",
    "kernel_start": "启动笔记本内核 starting the kernel",
    "checks": "检查参数与区划 checking parameters and county",
    "inputs": "准备派生数据 derived data",
    "validation": "数据质量校验 quality gate",
    "kernel_ready": "等待内核就绪 waiting for the kernel",
    "notebook": "执行笔记本 executing the notebook",
    "clues": "读取线索 reading the clues",
    "report": "生成报告 writing the report",
    "manifest": "写入运行清单 writing the manifest",
    "ledger": "登记线索台账 the clue ledger",
}
"""Every stage a run may time, in order, with its bilingual label."""


def since_process_start() -> float | None:
    """Seconds since this process started (Linux), else None."""
    try:
        fields = open("/proc/self/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        uptime = float(open("/proc/uptime").read().split()[0])  # noqa: SIM115
    except (OSError, ValueError, IndexError):
        return None
    return max(0.0, uptime - started)


@dataclass
class Timings:
    """Seconds per stage of one run, in the order they happened."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, key: str) -> Iterator[None]:
        began = time.perf_counter()
        try:
            yield
        finally:
            self.add(key, time.perf_counter() - began)

    def add(self, key: str, seconds: float) -> None:
        self.seconds[key] = round(self.seconds.get(key, 0.0) + seconds, 3)

    def to_dict(self) -> dict[str, float]:
        return dict(self.seconds)


def format_table(seconds: dict[str, float], total: float | None = None) -> str:
    """The stages as aligned lines, slowest marked, for ``huiyan run --timings``."""
    if not seconds:
        return ""
    width = max(len(STAGES.get(k, k)) for k in seconds) + 2
    lines = ["用时 Timings (s):"]
    for key, value in seconds.items():
        lines.append(f"  {STAGES.get(key, key):<{width}}{value:>7.2f}")
    if total is not None:
        lines.append(f"  {'合计 total (wall)':<{width}}{total:>7.2f}")
    return "\n".join(lines)
