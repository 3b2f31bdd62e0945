"""Warm kernels: `huiyan run` leaves its kernel loaded for the next run of the same model.

What a user would check: the second run finds the same clues as the first on the kernel the
first left (no new kernel process), a change to what the kernel has loaded (a workspace
setting file) makes the next run start a new kernel, and a kernel left idle goes away by
itself, leaving nothing behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from huiyan.workspace import Workspace

HUIYAN = str(Path(sys.executable).with_name("huiyan"))
MODEL = "judicial_auction"


@pytest.fixture
def home(tiny_workspace: Workspace, tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "county"
    shutil.copytree(
        tiny_workspace.home / "datasets",
        target / "datasets",
        ignore=shutil.ignore_patterns("leases", ".writer.*"),
    )
    yield target
    for parked in (target / ".kernels").rglob("*.json"):  # never leave a kernel behind
        _kill(int(parked.name.split(".")[0]))


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, 9)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is gone for our purposes
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[1].split()[0] == "Z")


def run(home: Path, idle_s: int) -> Path:
    done = subprocess.run(
        [HUIYAN, "--home", str(home), "run", MODEL],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HUIYAN_QUIET": "1", "HUIYAN_WARM_KERNEL_S": str(idle_s)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return Path(done.stdout.strip().splitlines()[-1])


def parked(home: Path) -> list[int]:
    return sorted(int(p.name.split(".")[0]) for p in (home / ".kernels").rglob("*.parked.json"))


def clue_ids(run_dir: Path) -> list[str]:
    return sorted(pd.read_parquet(run_dir / "clues.parquet").clue_id)


def test_the_next_run_uses_the_warm_kernel_and_finds_the_same_clues(home: Path) -> None:
    first = run(home, idle_s=120)
    [kernel] = parked(home)
    assert _alive(kernel)
    second = run(home, idle_s=120)
    assert parked(home) == [kernel]  # the same process served the second run
    assert clue_ids(second) and clue_ids(second) == clue_ids(first)
    manifest = json.loads((second / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "succeeded"
    # its notebook reads as if run in a new kernel: numbered from In [1], no stale names
    cells = json.loads((second / "notebook.ipynb").read_text(encoding="utf-8"))["cells"]
    counts = [c["execution_count"] for c in cells if c["cell_type"] == "code"]
    assert counts[0] == 1


def test_a_changed_setting_file_means_a_new_kernel(home: Path) -> None:
    run(home, idle_s=120)
    [old] = parked(home)
    (home / "datasets" / "county-settings.yaml").write_text("note: changed\n", encoding="utf-8")
    run(home, idle_s=120)
    [new] = parked(home)
    assert new != old
    deadline = time.monotonic() + 10
    while _alive(old) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(old)


def test_an_idle_kernel_goes_away_by_itself(home: Path) -> None:
    run(home, idle_s=4)
    [kernel] = parked(home)
    deadline = time.monotonic() + 60
    while _alive(kernel) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(kernel)
    assert list((home / ".kernels").rglob("*.json")) == []
    # the kernel's files hold the key to it: only its user may read them
    assert (home / ".kernels" / str(os.getuid())).stat().st_mode & 0o077 == 0


def test_notebook_rules_are_forgotten_between_runs_on_one_kernel() -> None:
    from huiyan import rules
    from huiyan.models import judicial_auction  # noqa: F401  (a promoted model's rules)

    namespace = {"__name__": "__main__", "rules": rules}
    exec(
        "@rules.rule('WARM-DEMO', model='demo', zh='示例', basis='示例', subject_type='claim',"
        " summary='{subject_id}')\ndef demo(t):\n    return t\n",
        namespace,
    )
    assert "WARM-DEMO" in rules.REGISTRY
    rules.forget_notebook_rules()
    assert "WARM-DEMO" not in rules.REGISTRY
    assert rules.for_model("judicial_auction")  # the library's own rules stay


# ----------------------------------------------------------------------------- inside a run kernel


def test_a_run_kernel_reuses_its_workspace_and_rules_until_the_snapshot_changes(
    auction_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import huiyan as hy
    from conftest import write_sql
    from huiyan import snapshots

    @hy.rules.rule(
        "DEMO-WARM-ROUNDS", model="demo", zh="示例", basis="示例", subject_type="auction",
        summary="{subject_id}", replace=True,
    )  # fmt: skip
    def first_rounds(auctions, *, label: str = "一拍"):  # type: ignore[no-untyped-def]
        hit = auctions.filter(auctions["round"] == label)
        return hit.select(subject_id=hit.auction_id, region=hit.region, evidence=hit.auction_id)

    def pin() -> None:  # what the runner hands a run's kernel: the current snapshot
        catalog = snapshots.current(auction_home)
        assert catalog is not None
        monkeypatch.setenv("HUIYAN_SNAPSHOT", catalog.pinned())

    hy.workspace(auction_home).tables()  # published as a snapshot when first opened
    monkeypatch.setenv("HUIYAN_HOME", str(auction_home))
    monkeypatch.setenv("HUIYAN_RUN_DIR", str(tmp_path / "run"))
    pin()
    ws = hy.workspace()
    before = first_rounds(ws.table("judicial_auctions"))
    n = before.table.count().execute()
    # the next run of the same snapshot: the same connection, the same rule expressions
    assert hy.workspace() is ws
    assert first_rounds(hy.workspace().table("judicial_auctions")) is before
    assert first_rounds(ws.table("judicial_auctions"), label="二拍") is not before
    # new data, a new snapshot: a new connection, the rules built and computed again
    write_sql(
        auction_home, "DELETE FROM judicial_auctions WHERE round = '一拍' AND region = '330602'"
    )
    pin()
    fresh = hy.workspace()
    assert fresh is not ws
    after = first_rounds(fresh.table("judicial_auctions"))
    assert after is not before and 0 < after.table.count().execute() < n
    # outside a run nothing is kept
    monkeypatch.delenv("HUIYAN_RUN_DIR")
    assert hy.workspace() is not fresh
    assert first_rounds(fresh.table("judicial_auctions")) is not after
    fresh.close()
