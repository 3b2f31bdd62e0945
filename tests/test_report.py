"""report.html as a reviewer works from it, on real runs of the tiny synthetic province.

Two models run once for one county, as a user types it (``huiyan run MODEL --region``,
conftest ``tiny_county_runs``): insurance_fraud (people, resident IDs, ring pictures)
and judicial_auction (amounts); the run itself must print no kernel noise.
The tests read the reports the way a reviewer would use them: every clue findable with
its id and evidence, no full resident ID, amounts formatted, charts by month, and an
evaluation appendix against the county's own planted truth. The browser test is in
tests/test_report_browser.py.
"""

from __future__ import annotations

import gc
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import TINY_COUNTY_MODELS
from huiyan import contracts, evaluation, privacy, report
from huiyan.display import yuan
from huiyan.identifiers import is_resident_id
from huiyan.report import records, timeline
from huiyan.workspace import Workspace

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("report")]
MODELS = TINY_COUNTY_MODELS


@pytest.fixture(scope="module")
def county_runs(tiny_county_runs: dict[str, Path]) -> dict[str, Path]:
    return tiny_county_runs


def page(run_dir: Path) -> str:
    return (run_dir / "report.html").read_text(encoding="utf-8")


def table_data(html: str) -> dict:
    """The clue table's data block, as the page's script reads it."""
    found = re.search(
        r'<script type="application/json" id="hy-clue-data">(.*?)</script>', html, re.S
    )
    assert found, "report.html has no clue table data"
    return json.loads(found.group(1).replace("<\\/", "</"))


def clues_of(run_dir: Path) -> pd.DataFrame:
    return pq.read_table(run_dir / "clues.parquet").to_pandas()


@pytest.mark.parametrize("model", MODELS)
def test_report_holds_every_clue_with_its_id_and_evidence(
    county_runs: dict[str, Path], model: str
) -> None:
    run_dir = county_runs[model]
    clues = clues_of(run_dir)
    data = table_data(page(run_dir))
    assert len(clues) > 0
    assert sorted(data["clue_id"]) == sorted(clues.clue_id)
    rows = {cid: i for i, cid in enumerate(data["clue_id"])}
    for cid, evidence in zip(clues.clue_id, clues.evidence, strict=True):
        shown = data["evidence"][rows[cid]].splitlines()
        for record in evidence[:20]:
            assert privacy.mask(record) in shown, (cid, record)
    # filters list every rule and county that has clues; rows are strongest first
    assert set(data["rules"]) == set(clues.rule)
    assert set(data["regions"]) == set(clues.region)
    assert data["score"] == sorted(data["score"], reverse=True)


@pytest.mark.parametrize("model", MODELS)
def test_report_shows_no_full_resident_id_and_formatted_amounts(
    county_runs: dict[str, Path], model: str
) -> None:
    run_dir = county_runs[model]
    html = page(run_dir)
    clues = clues_of(run_dir)
    # every resident ID the clues hold, in any column, is masked in the page
    text = " ".join([*clues.subject_id, *clues.summary, *(r for ev in clues.evidence for r in ev)])
    ids = {
        m
        for m in re.findall(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9])", text)
        if is_resident_id(m.upper())
    }
    if model == "insurance_fraud":
        assert ids, "the insurance clues should name people by resident ID"
    for rid in ids:
        assert rid not in html, f"{rid} is shown in full"
        assert privacy.mask_resident_id(rid) in html or rid not in text
    assert not [f for f in privacy.scan(html) if f.kind in ("resident_id", "phone")]
    # amounts: formatted with thousands separators; the raw float is nowhere
    data = table_data(html)
    for cid, amount in zip(clues.clue_id, clues.amount, strict=True):
        shown = data["amount"][data["clue_id"].index(cid)]
        if pd.isna(amount):
            assert shown == ""
            continue
        assert shown == yuan(amount)
        if amount >= 1000:
            assert repr(float(amount)) not in html and f">{amount}<" not in html


def test_report_times_are_beijing_time(county_runs: dict[str, Path]) -> None:
    run_dir = county_runs["judicial_auction"]
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["started_at"].endswith("+08:00") and manifest["ended_at"].endswith("+08:00")
    assert "北京时间" in manifest["time_zone"]
    html = page(run_dir)
    started = manifest["started_at"][:19].replace("T", " ")
    assert f"开始 started（北京时间）</th><td>{started}" in html
    # the run id is Beijing time as well
    assert run_dir.name.startswith(started[:10].replace("-", "") + "-" + started[11:13])


def test_every_model_report_charts_clues_by_month(county_runs: dict[str, Path]) -> None:
    for model, run_dir in county_runs.items():
        html = page(run_dir)
        assert "各月线索数 Clues by month" in html, model
        assert re.search(r"<svg class='hy-months'.*?<rect", html, re.S), model
        assert html.count("<svg class='hy-bar'") >= len(set(clues_of(run_dir).rule)), model
        assert "<script src=" not in html and "<link " not in html  # nothing is loaded


def test_ring_pictures_stay_with_masked_legends(county_runs: dict[str, Path]) -> None:
    html = page(county_runs["insurance_fraud"])
    assert html.count('<img alt="chart" src="data:image/png;base64,') >= 1
    legend = html[html.index("标签 label") :]
    assert "原告/报案人" in legend
    assert re.search(r"\d{4}\*{10}[\dX]{4}", legend), "the legend's resident IDs are masked"


def _county_truth(ws: Workspace, model: str, county: str) -> pd.Series:
    """Planted records per rule in ``county``, worked out here with pandas (independently)."""
    truth = ws.table("truth").execute()
    truth = truth[truth.model == model]
    keep = set()
    for name in {r.split(":", 1)[0] for r in truth.record}:
        ds = contracts.dataset(name)
        column = "region" if "region" in ds.column_names else "accident_region"
        frame = ws.table(name).execute()
        frame = frame[frame[column] == county]
        keys = frame[list(ds.key)].astype(str).agg("|".join, axis=1)
        keep |= {f"{name}:{k}" for k in keys}
    return truth[truth.record.isin(keep)].groupby("rule").size()


@pytest.mark.parametrize("model", MODELS)
def test_evaluation_appendix_matches_the_county_truth(
    county_runs: dict[str, Path], tiny_workspace: Workspace, model: str
) -> None:
    run_dir = county_runs[model]
    html = page(run_dir)
    county = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))["region"]
    appendix = html[html.index("附录一") : html.index("模型笔记本输出")]
    rows = re.findall(
        r"<tr><td>([A-Z-]+)</td><td class='hy-num'>(\d+)</td><td class='hy-num'>(\d+)</td>"
        r"<td class='hy-num'>(\d+)</td><td>([\d.]+)</td><td>([\d.]+)</td></tr>",
        appendix,
    )
    expected = _county_truth(tiny_workspace, model, county)
    assert {r[0]: int(r[1]) for r in rows} == expected.to_dict()  # the county's, not all
    assert all(r[4] == "1.00" and r[5] == "1.00" for r in rows), rows  # the model is perfect


def test_appendix_compares_only_runs_with_the_planted_parameters(
    county_runs: dict[str, Path], tmp_path: Path
) -> None:
    source = county_runs["judicial_auction"]
    copy = source.parent / f"{source.name}-params"
    shutil.copytree(source, copy)
    try:
        manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
        manifest["parameters"]["min_start_ratio"] = 0.6
        report.render(copy, manifest, clues=clues_of(copy))
        html = page(copy)
    finally:
        shutil.rmtree(copy)
    appendix = html[html.index("附录一") : html.index("模型笔记本输出")]
    assert "不作比对" in appendix and "min_start_ratio=0.6" in appendix
    assert "min_start_ratio=0.7" in appendix and "精确率" not in appendix


def test_report_reader_answers_as_the_notebook_workspace_does(
    county_runs: dict[str, Path], tiny_workspace: Workspace
) -> None:
    ws = Workspace(tiny_workspace.home)
    for model, run_dir in county_runs.items():
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
        clues = clues_of(run_dir)
        with records.open_for(run_dir, manifest) as reader:  # type: ignore[union-attr]
            sql_dates = timeline.clue_dates(clues, reader)
            sql_truth = evaluation.planted(reader, model, region=manifest["region"])
        ibis_dates = timeline.clue_dates(clues, ws)
        ibis_truth = evaluation.planted(ws, model, region=manifest["region"])
        assert sql_dates.notna().all() and sql_dates.equals(ibis_dates), model
        key = ["rule", "record"]
        assert (
            sql_truth.sort_values(key)
            .reset_index(drop=True)
            .equals(ibis_truth.sort_values(key).reset_index(drop=True))
        ), model
    del ibis_dates, ibis_truth
    gc.collect()  # ibis drops its in-memory tables while the connection is still open
    ws.close()
