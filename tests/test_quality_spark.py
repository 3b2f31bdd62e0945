"""The quality gate on Spark: the same suites on the Parquet Spark reads, judged as DuckDB judges.

A copy of the synthetic tiny province is corrupted in several ways (a wrong
resident-ID check digit, a wrong credit-code check character, required values
missing, a duplicate key, negative money, an unknown allowed value, a re-auction
dearer than its previous round, an end month before its start), exported as
Parquet, and validated on both engines. Spark must name the same expectations
with the same counts and example keys as DuckDB. One Spark session serves the
module (the one huiyan.spark keeps per process, shared with tests/test_spark.py).

    .venv/bin/pytest -m spark tests/test_quality_spark.py
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import huiyan
import huiyan.writer
import pytest
from huiyan import quality
from huiyan.errors import ValidationFailed
from huiyan.quality import suites
from huiyan.workspace import Workspace

pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.xdist_group("spark")]

DATASETS = ["vehicles", "social_security", "judicial_auctions"]

CORRUPTIONS = [
    # a wrong check digit on one resident ID, a wrong check character on one credit code
    "UPDATE social_security SET person_id = substr(person_id, 1, 17) || "
    "CASE WHEN substr(person_id, 18, 1) = '0' THEN '1' ELSE '0' END "
    "WHERE person_id = (SELECT min(person_id) FROM social_security)",
    "UPDATE social_security SET employer_org_id = substr(employer_org_id, 1, 17) || "
    "CASE WHEN substr(employer_org_id, 18, 1) = '0' THEN '1' ELSE '0' END "
    "WHERE employer_org_id = (SELECT max(employer_org_id) FROM social_security)",
    "UPDATE social_security SET end_month = DATE '1995-01-01' "
    "WHERE rowid = (SELECT max(rowid) FROM social_security)",
    # required values missing (NULL and empty text count alike), a duplicate key
    "UPDATE vehicles SET owner_name = NULL WHERE plate_no IN "
    "(SELECT plate_no FROM vehicles ORDER BY plate_no LIMIT 2)",
    "UPDATE vehicles SET owner_name = '' WHERE plate_no = (SELECT max(plate_no) FROM vehicles)",
    "INSERT INTO vehicles SELECT * FROM vehicles WHERE plate_no = "
    "(SELECT plate_no FROM vehicles ORDER BY plate_no LIMIT 1 OFFSET 5)",
    # negative money, an unknown round, a re-auction dearer than its previous round
    "UPDATE judicial_auctions SET start_price = -5 WHERE auction_id = "
    "(SELECT min(auction_id) FROM judicial_auctions WHERE previous_auction_id IS NULL)",
    "UPDATE judicial_auctions SET round = '三拍' WHERE auction_id = "
    "(SELECT max(auction_id) FROM judicial_auctions)",
    "UPDATE judicial_auctions SET start_price = 1e12 WHERE auction_id = "
    "(SELECT max(auction_id) FROM judicial_auctions WHERE round = '二拍')",
]


def _java_reason() -> str | None:
    import subprocess

    if shutil.which("java") is None:
        return "Java is not installed (Spark needs Java 17)"
    try:
        subprocess.run(["java", "-version"], capture_output=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as err:
        return f"java does not run: {err}"
    return None


@pytest.fixture(scope="module")
def corrupted(tiny_workspace: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the tiny province with the defects above, exported as Parquet."""
    pytest.importorskip("pyspark", reason="PySpark is not installed (pip install huiyan[spark])")
    reason = _java_reason()
    if reason:
        pytest.skip(reason)
    home = tmp_path_factory.mktemp("quality-spark")
    (home / "datasets").mkdir()
    tiny_workspace.close()
    shutil.copy(tiny_workspace.db_path, home / "datasets" / "huiyan.duckdb")
    with huiyan.writer.writing(home, "corrupt") as w:
        for sql in CORRUPTIONS:
            w.con.execute(sql)
    return home


@pytest.fixture(scope="module")
def reports(corrupted: Path) -> dict[str, quality.QualityReport]:
    """The same suites run by each engine, uncached."""
    ws = huiyan.workspace(corrupted)
    out = {
        engine: quality.validate(ws, DATASETS, use_cache=False, engine=engine)
        for engine in ("duckdb", "spark")
    }
    ws.close()
    return out


def _findings(report: quality.QualityReport) -> dict[tuple[str, str, str | None], tuple]:
    return {
        (name, f.expectation, f.column): (f.severity, f.count, sorted(e.key for e in f.examples))
        for name, f in report.failures()
    }


def test_spark_and_duckdb_pass_and_fail_the_same_expectations(reports) -> None:
    duck, spark = reports["duckdb"], reports["spark"]
    for name in DATASETS:
        assert (spark[name].rows, spark[name].evaluated, spark[name].passed) == (
            duck[name].rows,
            duck[name].evaluated,
            duck[name].passed,
        ), name
    assert _findings(spark) == _findings(duck)
    notes = [f.note for _, f in spark.failures() if f.note]
    assert notes == []  # nothing failed to run on Spark


def failure(report: quality.QualityReport, dataset: str, expectation: str, column: str | None):
    found = [
        f for f in report[dataset].failures if f.expectation == expectation and f.column == column
    ]
    assert len(found) == 1, report.format()
    return found[0]


def test_each_defect_is_named_on_spark_with_its_count_and_examples(reports) -> None:
    spark = reports["spark"]
    assert not spark.ok
    rid = failure(spark, "social_security", suites.RESIDENT_ID_CHECK, "person_id")
    assert rid.severity == "error" and rid.count >= 1 and "校验位" in rid.zh
    code = failure(spark, "social_security", suites.CREDIT_CODE_CHECK, "employer_org_id")
    assert code.count >= 1 and "校验码" in code.zh
    months = failure(
        spark,
        "social_security",
        "expect_column_pair_values_a_to_be_greater_than_b",
        "end_month, start_month",
    )
    assert months.count == 1 and "end_month=1995-01-01" in months.examples[0].format()
    missing = failure(spark, "vehicles", "expect_column_values_to_not_be_null", "owner_name")
    assert missing.count == 3 and len(missing.examples) == 3 and "必填" in missing.zh
    dupes = failure(spark, "vehicles", "expect_column_values_to_be_unique", "plate_no")
    assert dupes.count == 2
    money = failure(spark, "judicial_auctions", "expect_column_values_to_be_between", "start_price")
    assert money.count == 1 and "start_price=-5" in money.examples[0].format()
    unknown = failure(spark, "judicial_auctions", "expect_column_values_to_be_in_set", "round")
    assert unknown.count == 1 and "round=三拍" in unknown.examples[0].format()
    (dearer,) = [f for f in spark["judicial_auctions"].errors if "前一轮" in f.zh]
    assert dearer.count == 1


def test_require_on_spark_stops_with_the_readable_report(corrupted: Path) -> None:
    ws = huiyan.workspace(corrupted)
    today = dt.date.today()  # one date, so a run across midnight still finds its cache
    for _ in range(2):  # the second time from the cache, kept per engine
        with pytest.raises(ValidationFailed, match="必填") as caught:
            quality.require(ws, ["vehicles"], engine="spark", today=today)
        assert "机动车登记信息 vehicles" in str(caught.value)
    ws.close()
    assert caught.value.report["vehicles"].cached
