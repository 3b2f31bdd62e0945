"""The same models on Spark (local mode) give exactly the clues they give on DuckDB.

One Spark session serves the whole module (start-up takes about 15 s). The
workspace is a copy of the synthetic tiny province; Spark reads it as Parquet
exported by :func:`huiyan.spark.export_parquet`. Skipped when PySpark or Java
is missing (CI has Java 17). Run them with::

    .venv/bin/pytest -m spark tests/test_spark.py                 # two models + a whole run
    HUIYAN_SPARK_ALL=1 .venv/bin/pytest -m spark tests/test_spark.py   # every model
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import huiyan
import pandas as pd
import pytest
from huiyan import clues
from huiyan.workspace import Workspace

# one worker runs the whole module, so pytest-xdist starts one Spark session, not two
pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.xdist_group("spark")]

# two models by default (Spark is slow on 2 cores); HUIYAN_SPARK_ALL=1 checks every model
# (insurance_fraud alone adds about 2 minutes: parsing the judgments and linking on Spark)
MODELS = ("judicial_auction", "bankruptcy_labor_claims")
if os.environ.get("HUIYAN_SPARK_ALL") == "1":
    MODELS += ("forest_subsidy", "admin_criminal_transfer", "insurance_fraud")
COMPARED = [
    "clue_id",
    "rule",
    "subject_id",
    "region",
    "evidence",
    "context",
    "score",
    "amount",
    "summary",
]
WHEN = datetime(2024, 1, 1, tzinfo=UTC)


def _java_reason() -> str | None:
    if shutil.which("java") is None:
        return "Java is not installed (Spark needs Java 17)"
    try:
        subprocess.run(["java", "-version"], capture_output=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as err:
        return f"java does not run: {err}"
    return None


@pytest.fixture(scope="module")
def homes(tiny_workspace: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the tiny workspace with its tables exported as Parquet."""
    pytest.importorskip("pyspark", reason="PySpark is not installed (pip install huiyan[spark])")
    reason = _java_reason()
    if reason:
        pytest.skip(reason)
    from huiyan import spark

    home = tmp_path_factory.mktemp("spark")
    (home / "datasets").mkdir()
    tiny_workspace.close()
    shutil.copy(tiny_workspace.db_path, home / "datasets" / "huiyan.duckdb")
    if "insurance_fraud" in MODELS:  # its rules read the parsed judgments (jd_* tables)
        from huiyan.models import insurance_fraud

        with huiyan.workspace(home) as ws:
            insurance_fraud.prepare(ws)
    written = spark.export_parquet(huiyan.workspace(home))
    assert (home / "datasets" / "parquet" / "judicial_auctions.parquet") in written
    return home


@pytest.fixture(scope="module")
def spark_ws(homes: Path) -> Workspace:
    """The workspace on Spark: one session for the whole module."""
    return huiyan.workspace(homes, engine="spark")


def _clues(model: str, ws: Workspace) -> pd.DataFrame:
    module = importlib.import_module(f"huiyan.models.{model}")
    found = clues.collect(*module.run_rules(ws), model=model, version="1.0.0", created_at=WHEN)
    return found.frame[COMPARED].sort_values("clue_id").reset_index(drop=True)


@pytest.mark.parametrize("model", MODELS)
def test_spark_gives_the_same_clues_as_duckdb(model: str, homes: Path, spark_ws: Workspace) -> None:
    pytest.importorskip(f"huiyan.models.{model}")
    with huiyan.workspace(homes) as duck:
        expected = _clues(model, duck)
    got = _clues(model, spark_ws)
    assert len(expected) > 0  # the tiny province plants clues for every model
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_workspace_engine_is_spark(spark_ws: Workspace) -> None:
    assert spark_ws.engine_name == "spark"
    assert type(spark_ws.con).__module__.startswith("ibis.backends.pyspark")
    n = spark_ws.table("judicial_auctions").count().execute()
    assert n == huiyan.workspace(spark_ws.home).table("judicial_auctions").count().execute()


def test_export_skips_unchanged_tables(homes: Path) -> None:
    from huiyan import spark

    assert spark.export_parquet(huiyan.workspace(homes)) == []


def _whole_runs(homes: Path, model: str, *params: str) -> dict[str, pd.DataFrame]:
    """``huiyan run MODEL`` on DuckDB and on Spark: each run's clues, ``created_at`` left out.

    The rules' lineage (what each read) is also kept, as ``lineage`` in the frame's attrs.
    """
    huiyan_cli = Path(sys.executable).with_name("huiyan")
    frames = {}
    for engine in ("duckdb", "spark"):
        done = subprocess.run(
            [str(huiyan_cli), "run", model, "--home", str(homes), "--engine", engine, *params],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        run_dir = Path(done.stdout.strip().splitlines()[-1])
        frame = pd.read_parquet(run_dir / "clues.parquet")
        frames[engine] = (
            frame.drop(columns="created_at").sort_values("clue_id").reset_index(drop=True)
        )
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
        frames[engine].attrs["lineage"] = manifest["lineage"]
    return frames


def test_whole_run_on_spark_gives_the_same_clues_parquet(homes: Path) -> None:
    """`huiyan run judicial_auction --engine spark` leaves the same clues.parquet as on DuckDB."""
    frames = _whole_runs(homes, "judicial_auction")
    assert len(frames["duckdb"]) > 0
    pd.testing.assert_frame_equal(frames["spark"], frames["duckdb"])


def test_a_rule_written_in_a_notebook_gives_the_same_clues_on_spark(homes: Path) -> None:
    """A county's model whose only rule is an ibis function in a notebook cell runs on Spark too."""
    from county_model import CODE, NAME, write_rule
    from huiyan import templates

    created = templates.new_model(NAME, ws=huiyan.workspace(homes))
    write_rule(created.notebook)
    # the mining and sand-dredging penalties too, so that there are some dozens of clues to compare
    kinds = "violations=使用禁用渔具,非法采砂,无证开采矿产资源,河道采砂未取得许可,非法采矿"
    frames = _whole_runs(homes, NAME, "-p", kinds)
    assert len(frames["duckdb"]) > 10 and set(frames["duckdb"].rule) == {CODE}
    pd.testing.assert_frame_equal(frames["spark"], frames["duckdb"])
    lineage = frames["duckdb"].attrs["lineage"][CODE]["tables"]["admin_penalties"]
    assert {"violation", "transferred", "fine"} <= set(lineage)
    assert frames["spark"].attrs["lineage"] == frames["duckdb"].attrs["lineage"]  # read the same
