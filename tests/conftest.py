"""Shared fixtures: small workspaces built inline, and the sample model the run tests use.

- ``tiny_workspace``: the synthetic tiny province (two counties), built once per session
  with :func:`huiyan.synth.generate`; skipped while the generator is not installed.
- ``auction_db``: a hand-made ``judicial_auctions`` table over two counties (session-wide),
  and ``auction_home``: a fresh workspace folder holding a copy of it (one per test).
- ``sample_model``: points the catalog at tests/data/, where ``sample_auction`` lives.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import huiyan
import huiyan.writer
import pytest
from huiyan.workspace import Workspace

# Each test's runs start and stop their own kernels: a kernel left warm for the next run
# (huiyan.runs.warm) would outlive the test. tests/test_warm_kernels.py turns them on.
os.environ["HUIYAN_WARM_KERNEL_S"] = "0"

DATA = Path(__file__).parent / "data"
COUNTIES = ("330602", "331124")


@pytest.fixture(scope="session")
def tiny_workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A workspace holding the synthetic tiny province (seed 7)."""
    synth = pytest.importorskip("huiyan.synth")
    if not hasattr(synth, "generate"):
        pytest.skip("the synthetic province is not built yet")

    home = tmp_path_factory.mktemp("tiny")
    ws = huiyan.workspace(home)
    synth.generate(ws, scale="tiny", seed=7)
    ws.close()
    return huiyan.workspace(home)


TINY_COUNTY_MODELS = ("insurance_fraud", "judicial_auction")


@pytest.fixture(scope="session")
def tiny_county_runs(tiny_workspace: Workspace) -> dict[str, Path]:
    """``huiyan run MODEL --region COUNTY`` on the tiny province, as a user types it.

    One run of each of :data:`TINY_COUNTY_MODELS` for the first county; returns the run
    folders. The command must succeed and print no kernel noise (tests/test_report.py and
    tests/test_report_browser.py read the reports; both are in xdist group "report").
    """
    huiyan_cmd = str(Path(sys.executable).with_name("huiyan"))
    home = tiny_workspace.home
    county = tiny_workspace.regions()[0]
    out = {}
    for model in TINY_COUNTY_MODELS:
        done = subprocess.run(
            [huiyan_cmd, "--home", str(home), "run", model, "--region", county],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        noise = [
            line
            for line in (done.stdout + done.stderr).splitlines()
            if "IPKernelApp" in line or "Traceback" in line or "ERROR" in line
        ]
        assert not noise, noise
        out[model] = Path(done.stdout.strip().splitlines()[-1])
    return out


def auction_rows() -> list[dict]:
    """Twenty auctions per county: every fourth starts too low, every fifth asks too much deposit."""
    rows = []
    start = date(2021, 3, 1)
    for county in COUNTIES:
        for i in range(20):
            appraisal = 100_000.0 + 1_000 * i
            start_price = appraisal * (0.6 if i % 4 == 0 else 0.7)  # exactly 70% is lawful
            deposit = start_price * (0.25 if i % 5 == 0 else 0.1)
            day = start + timedelta(days=7 * i)
            rows.append(
                {
                    "auction_id": f"A{county}{i:04d}",
                    "court": f"{county}法院",
                    "region": county,
                    "case_no": f"（2021）浙{county[2:4]}执{i + 1}号",
                    "item_type": "不动产",
                    "item_desc": f"住宅{i}",
                    "round": "一拍",
                    "previous_auction_id": None,
                    "appraisal_value": appraisal,
                    "reserve_basis": "评估",
                    "start_price": start_price,
                    "deposit": deposit,
                    "announce_date": day - timedelta(days=31),
                    "start_date": day,
                    "end_date": day + timedelta(days=1),
                    "status": "成交",
                    "bidders": 2,
                    "deal_price": start_price * 1.1,
                    "buyer_name": "买受人",
                    "buyer_id": None,
                    "executed_party_name": "被执行人",
                    "executed_party_id": None,
                    "payment_date": day + timedelta(days=10),
                }
            )
    return rows


EXPECTED = {
    "SMP-START-LOW": sum(1 for i in range(20) if i % 4 == 0) * len(COUNTIES),
    "SMP-DEPOSIT-HIGH": sum(1 for i in range(20) if i % 5 == 0) * len(COUNTIES),
}
"""How many clues the sample model finds in ``auction_db`` with default parameters."""


@pytest.fixture(scope="session")
def auction_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file with a hand-made ``judicial_auctions`` table."""
    import pandas as pd

    home = tmp_path_factory.mktemp("auctions")
    ws = huiyan.workspace(home)
    frame = pd.DataFrame(auction_rows())
    for col in ("announce_date", "start_date", "end_date", "payment_date"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    for col in ("previous_auction_id", "buyer_id", "executed_party_id"):
        frame[col] = frame[col].astype("string")
    with huiyan.writer.writing(home, "fixture") as w:
        w.create_table("judicial_auctions", frame)
    return ws.db_path


@pytest.fixture
def auction_home(tmp_path: Path, auction_db: Path) -> Path:
    """A fresh workspace folder holding a copy of ``auction_db`` (its own runs/)."""
    home = tmp_path / "home"
    (home / "datasets").mkdir(parents=True)
    shutil.copy(auction_db, home / "datasets" / "huiyan.duckdb")
    return home


@pytest.fixture
def sample_model(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the catalog at tests/data/ (the sample_auction model); returns its notebook."""
    monkeypatch.setenv("HUIYAN_MODEL_PATH", str(DATA))
    return DATA / "sample_auction.ipynb"


def write_sql(home: Path, *statements: str | tuple[str, list[object]]) -> None:
    """Change a workspace's data as a writer does (readers then see it after a refresh)."""
    with huiyan.writer.writing(home, "test", tables=None) as w:
        for statement in statements:
            if isinstance(statement, tuple):
                w.con.execute(*statement)
            else:
                w.con.execute(statement)
