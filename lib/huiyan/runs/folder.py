"""Run folders and their manifests: ``<home>/runs/<model>/<run_id>/manifest.json``.

A run id sorts by time: ``20261129-143005-330602-a3f1`` (date, time in Beijing time,
the county or ``all``, four random hex digits so parallel runs never collide).

Times in a manifest are Beijing time with their offset (``2026-11-29T14:30:05+08:00``),
and the manifest says so in ``time_zone``: :func:`write_manifest` converts whatever
time it is given, so every writer's manifest reads the same.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import secrets
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from huiyan.display import in_beijing
from huiyan.errors import WorkspaceError

MANIFEST = "manifest.json"
CLUE_FILES = ("clues.parquet", "clues.xlsx")
PACKAGES = {
    "huiyan": "huiyan",
    "ibis": "ibis-framework",
    "duckdb": "duckdb",
    "pandas": "pandas",
    "great_expectations": "great-expectations",
    "papermill": "papermill",
    "pyarrow": "pyarrow",
}


def new_run_id(region: str = "", *, now: datetime | None = None) -> str:
    """A sortable, unique run id: ``YYYYMMDD-HHMMSS-<region, all or each>-<4 hex>``
    (``each``: every county on its own, region ``"*"``).

    >>> new_run_id("330602", now=datetime(2026, 11, 29, 14, 30, 5))[:23]
    '20261129-143005-330602-'
    """
    now = in_beijing(now) if now is not None and now.tzinfo else now or now_beijing()
    place = "each" if region == "*" else region or "all"
    return f"{now:%Y%m%d-%H%M%S}-{place}-{secrets.token_hex(2)}"


def make_run_dir(runs_dir: Path, model: str, run_id: str) -> Path:
    """Create the folder of a new run (never reusing one)."""
    path = runs_dir / model / run_id
    path.mkdir(parents=True, exist_ok=False)
    return path


def package_versions() -> dict[str, str | None]:
    """Versions of the packages a run's result depends on (read without importing them),
    once per process (``--each-county`` writes 90 manifests)."""
    return dict(_package_versions())


@functools.cache
def _package_versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for label, dist in PACKAGES.items():
        try:
            out[label] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[label] = None
    return out


def sha256(path: Path) -> str:
    """The hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def now_utc() -> datetime:
    return datetime.now(UTC)


def now_beijing() -> datetime:
    """The current time in Beijing time, the time every run shows."""
    return in_beijing(datetime.now(UTC))


TIME_FIELDS = ("started_at", "ended_at")
TIME_ZONE = "Asia/Shanghai 北京时间 (UTC+08:00)"


def _in_beijing(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest with its times as Beijing time and its ``time_zone`` stated."""
    out = dict(manifest)
    for name in TIME_FIELDS:
        value = out.get(name)
        if isinstance(value, datetime | str) and value:
            try:
                out[name] = in_beijing(value).isoformat()
            except ValueError:
                continue
    out.setdefault("time_zone", TIME_ZONE)
    return out


def write_manifest(run_dir: Path, manifest: dict[str, Any]) -> Path:
    """Write ``manifest.json`` atomically (a reader never sees half a manifest).

    Its times are written as Beijing time (:data:`TIME_FIELDS`, any zone given).
    """
    manifest = _in_beijing(manifest)
    path = run_dir / MANIFEST
    tmp = path.with_name(f".{MANIFEST}.{os.getpid()}.tmp")
    tmp.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    os.replace(tmp, path)
    return path


def read_manifest(run_dir: Path) -> dict[str, Any]:
    """The manifest of one run folder; a WorkspaceError when there is none."""
    path = Path(run_dir) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise WorkspaceError(
            f"运行目录 {run_dir} 中没有 {MANIFEST}。",
            f"The run folder {run_dir} has no {MANIFEST}.",
        ) from err


def remove_clue_files(run_dir: Path) -> list[str]:
    """Delete every clue file (also half-written ones) so a failed run leaves no result."""
    removed = []
    for path in run_dir.glob("clues.*"):
        path.unlink(missing_ok=True)
        removed.append(path.name)
    return removed


@dataclass(frozen=True)
class PastRun:
    """One line of ``huiyan runs``."""

    run_id: str
    model: str
    region: str
    parameters: dict[str, Any]
    status: str
    clue_count: int | None
    duration_s: float | None
    started_at: str
    run_dir: Path


def _process_ended(manifest: dict[str, Any]) -> bool:
    """True when the process that ran a still-"running" run no longer exists on this host."""
    pid, host = manifest.get("pid"), manifest.get("host")
    if not isinstance(pid, int) or host != socket.gethostname():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def mark_interrupted(run_dir: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Mark a run whose process was killed (kill -9, a power cut) as failed, keeping no clues."""
    remove_clue_files(run_dir)
    manifest = {
        **manifest,
        "status": "failed",
        "clue_count": None,
        "error": {
            "zh": "运行被中断：运行它的进程已结束（例如被强行终止），没有产生结果。",
            "en": "The run was interrupted: its process ended (it was killed) before it finished.",
            "type": "Interrupted",
            "cell": None,
        },
    }
    write_manifest(run_dir, manifest)
    return manifest


def past_runs(runs_dir: Path, model: str | None = None) -> list[PastRun]:
    """Every run with a manifest under ``runs_dir`` (optionally of one model), oldest first.

    A run still marked running whose process has ended is marked interrupted on the way.
    """
    pattern = f"{model}/*/{MANIFEST}" if model else f"*/*/{MANIFEST}"
    out = []
    for path in runs_dir.glob(pattern):
        try:
            m = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if m.get("status") == "running" and _process_ended(m):
            m = mark_interrupted(path.parent, m)
        out.append(
            PastRun(
                run_id=str(m.get("run_id", path.parent.name)),
                model=str(m.get("model", path.parent.parent.name)),
                region=str(m.get("region") or ""),
                parameters=dict(m.get("parameters") or {}),
                status=str(m.get("status", "?")),
                clue_count=m.get("clue_count"),
                duration_s=m.get("duration_s"),
                started_at=str(m.get("started_at", "")),
                run_dir=path.parent,
            )
        )
    return sorted(out, key=lambda r: (_moment(r.started_at), r.run_id))


def _moment(stamp: str) -> datetime:
    """A manifest time for ordering (older manifests wrote UTC, newer ones Beijing time)."""
    try:
        return in_beijing(stamp)
    except (TypeError, ValueError):
        return datetime.min.replace(tzinfo=UTC)
