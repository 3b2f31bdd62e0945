"""Many hands on one workspace: an open notebook, runs, reviewers, ingests, Ctrl-C and kill -9.

Every command here is the real ``huiyan`` command in its own process, as people use it,
on a copy of the synthetic tiny province.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import huiyan as hy
import pytest
from huiyan import ledger, writer

pytestmark = pytest.mark.slow

HUIYAN = str(Path(sys.executable).with_name("huiyan"))
HOLDER = """
import sys, huiyan as hy
ws = hy.workspace()            # the first cell of every notebook
vehicles = ws.table("vehicles")
print(vehicles.count().execute(), flush=True)
for line in sys.stdin:         # the notebook stays open while others work
    if line.strip() == "refresh":
        ws.refresh()
    print(ws.table("vehicles").count().execute(), flush=True)
"""


@pytest.fixture
def home(tiny_workspace: hy.Workspace, tmp_path: Path) -> Path:
    """A copy of the tiny synthetic province (copied with its snapshots, times kept)."""
    target = tmp_path / "county"
    shutil.copytree(
        tiny_workspace.home / "datasets",
        target / "datasets",
        ignore=shutil.ignore_patterns("leases", ".writer.*"),
    )
    return target


def cli(home: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [HUIYAN, "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "HUIYAN_QUIET": "1"},
    )


def start(home: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [HUIYAN, "--home", str(home), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "HUIYAN_QUIET": "1"},
        start_new_session=True,
    )


@pytest.fixture
def notebook(home: Path) -> Iterator[subprocess.Popen[str]]:
    """A process holding the workspace open the way a notebook kernel does."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "HUIYAN_HOME": str(home)},
    )
    assert proc.stdout is not None
    proc.first_count = int(proc.stdout.readline())  # type: ignore[attr-defined]
    yield proc
    proc.kill()
    proc.wait()


def ask(notebook: subprocess.Popen[str], command: str = "") -> int:
    assert notebook.stdin is not None and notebook.stdout is not None
    notebook.stdin.write(command + "\n")
    notebook.stdin.flush()
    return int(notebook.stdout.readline())


def vehicles_csv(home: Path, path: Path, *, drop: int) -> Path:
    """The workspace's vehicles as an agency export, less ``drop`` rows."""
    frame = hy.workspace(home).table("vehicles").order_by("plate_no").execute()
    frame.iloc[drop:].to_csv(path, index=False)
    return path


def test_with_a_notebook_open_everyone_else_works(
    home: Path, notebook: subprocess.Popen[str], tmp_path: Path
) -> None:
    before = notebook.first_count  # type: ignore[attr-defined]
    run = cli(home, "run", "judicial_auction", "--region", "330602")
    assert run.returncode == 0, run.stderr
    listed = cli(home, "clues", "judicial_auction")
    assert listed.returncode == 0, listed.stderr
    clue_id = ledger.clues(hy.workspace(home)).clue_id.iloc[0]

    # two reviewers record outcomes on the same clue at the same moment
    reviewers = [
        start(home, "clues", "set", clue_id, "核查中", "--note", note, "--reviewer", who)
        for note, who in (("已调取卷宗", "甲"), ("已询问申请人", "乙"))
    ]
    assert [p.wait(timeout=120) for p in reviewers] == [0, 0]
    history = ledger.history(hy.workspace(home), clue_id)
    assert sorted(history.note.dropna()) == sorted(["已调取卷宗", "已询问申请人"])
    assert sorted(history.reviewer) == sorted(["甲", "乙"])

    validated = cli(home, "validate", "vehicles")
    assert validated.returncode == 0, validated.stderr
    export = vehicles_csv(home, tmp_path / "vehicles.csv", drop=10)
    ingested = cli(home, "ingest", "vehicles", str(export), "--replace")
    assert ingested.returncode == 0, ingested.stderr

    assert ask(notebook) == before  # the notebook's snapshot is unchanged until it refreshes
    assert ask(notebook, "refresh") == before - 10
    assert notebook.poll() is None


def test_the_manifest_names_the_snapshot_each_dataset_was_read_from(home: Path) -> None:
    run = cli(home, "run", "judicial_auction", "--region", "330602")
    assert run.returncode == 0, run.stderr
    manifest = json.loads((Path(run.stdout.strip().splitlines()[-1]) / "manifest.json").read_text())
    current = hy.workspace(home)
    for name, used in manifest["datasets"].items():
        assert used["snapshot"] == current.snapshot(name).version
        assert used["fingerprint"] == current.snapshot(name).fingerprint


def test_a_write_waits_its_turn_and_says_for_whom(home: Path) -> None:
    with writer.writing(home, "另一次导入 another ingest"):
        waiting = start(home, "clues", "set", "NO-SUCH-CLUE", "核查中")  # the ledger never waits
        assert waiting.wait(timeout=60) == 2  # refused for the unknown clue, not for a lock
        ingest = start(home, "ingest", "vehicles", str(home / "missing.csv"))
        time.sleep(1.5)
        assert ingest.poll() is None  # waiting for the lock, not failing
    assert ingest.wait(timeout=60) == 2  # then it runs, and refuses the missing file
    assert "missing.csv" in ingest.stderr.read()  # type: ignore[union-attr]


def test_a_write_that_waits_too_long_names_the_holder(home: Path) -> None:
    with writer.writing(home, "另一次导入 another ingest"):
        result = subprocess.run(
            [HUIYAN, "--home", str(home), "ingest", "vehicles", str(home / "x.csv")],
            capture_output=True,
            text=True,
            env={**os.environ, "HUIYAN_WRITE_TIMEOUT": "1"},
            timeout=60,
        )
    assert result.returncode == 2
    assert "另一次导入" in result.stderr and "Timed out" in result.stderr


# -- interrupts ----------------------------------------------------------------------------------


def _wait_for(condition: object, *, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def _big_csv(home: Path, path: Path, rows: int = 300_000) -> Path:
    """A large vehicles export: every row a duplicate of a stored key, so nothing would load."""
    frame = hy.workspace(home).table("vehicles").execute()
    frame.sample(rows, replace=True, random_state=1).to_csv(path, index=False)
    return path


def _holder_pid(home: Path) -> int | None:
    return writer.holder(home).get("pid")


def test_ctrl_c_during_ingest_changes_nothing_and_says_so(home: Path, tmp_path: Path) -> None:
    rows = hy.workspace(home).snapshot("vehicles").fingerprint
    proc = start(home, "ingest", "vehicles", str(_big_csv(home, tmp_path / "big.csv")))
    _wait_for(lambda: _holder_pid(home) == proc.pid)  # it holds the lock: reading the file
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=120) == 130
    err = proc.stderr.read()  # type: ignore[union-attr]
    assert "已中断，未载入/未改动任何数据" in err and "nothing was changed" in err
    assert "huiyan-error" not in err and "Traceback" not in err
    assert hy.workspace(home).snapshot("vehicles").fingerprint == rows
    assert not (home / "quarantine").exists()


def test_ctrl_c_while_waiting_for_the_lock_changes_nothing(home: Path) -> None:
    with writer.writing(home, "另一次导入 another ingest"):
        proc = start(home, "ingest", "vehicles", str(home / "x.csv"))
        time.sleep(1.5)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 130
    assert "nothing was changed" in proc.stderr.read()  # type: ignore[union-attr]


def test_ctrl_c_during_a_run_leaves_no_run_folder(home: Path) -> None:
    proc = start(home, "run", "judicial_auction")
    folders = home / "runs" / "judicial_auction"
    _wait_for(lambda: any(folders.glob("*/manifest.json")))
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=120) == 130
    err = proc.stderr.read()  # type: ignore[union-attr]
    assert "nothing was changed" in err and "Traceback" not in err
    assert not list(folders.glob("*/manifest.json"))
    assert cli(home, "runs").returncode == 0


def _cpu_seconds(pid: int) -> float:
    """CPU time a process has used (a clock that a loaded machine does not speed up)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_ctrl_c_during_validation(home: Path) -> None:
    proc = start(home, "validate")
    # well into the work: the command and ibis are loaded, Great Expectations is loading
    _wait_for(lambda: proc.poll() is not None or _cpu_seconds(proc.pid) > 1.5)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=120) == 130
    assert "nothing was changed" in proc.stderr.read()  # type: ignore[union-attr]


def test_after_kill_9_during_a_run_the_next_command_finds_it_marked(home: Path) -> None:
    proc = start(home, "run", "judicial_auction")
    folders = home / "runs" / "judicial_auction"
    _wait_for(lambda: any(folders.glob("*/manifest.json")))
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    listed = cli(home, "runs", "--json")
    assert listed.returncode == 0
    (run,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert run["status"] == "failed"
    manifest = json.loads((Path(run["run_dir"]) / "manifest.json").read_text())
    assert manifest["error"]["type"] == "Interrupted"
    assert not (Path(run["run_dir"]) / "clues.parquet").exists()
    again = cli(home, "run", "judicial_auction", "--region", "330602")
    assert again.returncode == 0, again.stderr


def test_after_kill_9_during_ingest_the_workspace_is_consistent(home: Path, tmp_path: Path) -> None:
    rows = hy.workspace(home).snapshot("vehicles").fingerprint
    proc = start(home, "ingest", "vehicles", str(_big_csv(home, tmp_path / "big.csv")))
    _wait_for(lambda: _holder_pid(home) == proc.pid)
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    # no stale lock: the next write goes ahead at once, and the data is as it was
    export = vehicles_csv(home, tmp_path / "vehicles.csv", drop=0)
    result = subprocess.run(
        [HUIYAN, "--home", str(home), "ingest", "vehicles", str(export), "--replace"],
        capture_output=True,
        text=True,
        env={**os.environ, "HUIYAN_WRITE_TIMEOUT": "5"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert hy.workspace(home).snapshot("vehicles").fingerprint == rows
