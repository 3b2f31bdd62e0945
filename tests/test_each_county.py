"""``--each-county``: every county in one computation, or county after county on one kernel,
and nothing changes.

Each county's folder must be what a single-county run gives: the same clues, the same five
files, its own manifest and report. bankruptcy_labor_claims is the hard case: its
BLC-MULTI-DEBTOR rule sees claims across debtors, so a county's clues must not see another
county's claims (the tiny province has a worker with claims in both counties), whether the
counties are computed together (its card says county_local) or one after another on a
reused kernel, which must not carry one county's variables into the next.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import huiyan as hy
import pyarrow.parquet as pq
import pytest
from huiyan import runs

pytestmark = pytest.mark.slow
MODEL = "bankruptcy_labor_claims"
FILES = {"notebook.ipynb", "report.html", "clues.parquet", "clues.xlsx", "manifest.json"}


@pytest.fixture
def home(tiny_workspace: hy.Workspace, tmp_path: Path) -> Path:
    target = tmp_path / "province"
    shutil.copytree(
        tiny_workspace.home / "datasets",
        target / "datasets",
        ignore=shutil.ignore_patterns("leases", ".writer.*"),
    )
    return target


def _clues(run_dir: Path) -> set[tuple[str, str]]:
    frame = pq.read_table(run_dir / "clues.parquet").to_pandas()
    return set(zip(frame.clue_id, frame.summary, strict=True))


def test_each_county_on_one_kernel_gives_what_single_county_runs_give(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from huiyan import catalog

    shipped = catalog.get

    def not_county_local(name: str, ws: hy.Workspace | None = None) -> catalog.ModelCard:
        return dataclasses.replace(shipped(name, ws), county_local=False)

    monkeypatch.setattr(catalog, "get", not_county_local)  # a model that runs each county alone
    ws = hy.workspace(home)
    regions = ws.regions()
    assert len(regions) >= 2
    province = runs.run_each_county(MODEL, ws=ws, jobs=1, allow_unvetted=True)
    assert not province.failed
    by_region = {r.manifest["region"]: r for r in province.results}
    assert sorted(by_region) == regions
    for region in regions:
        alone = runs.run(MODEL, ws=hy.workspace(home), region=region)
        fanned = by_region[region]
        assert {p.name for p in fanned.run_dir.iterdir()} >= FILES
        assert _clues(fanned.run_dir) == _clues(alone.run_dir), region
        assert fanned.manifest["clues_by_rule"] == alone.manifest["clues_by_rule"]
        cells = json.loads((fanned.run_dir / "notebook.ipynb").read_text(encoding="utf-8"))
        counts = [c["execution_count"] for c in cells["cells"] if c["cell_type"] == "code"]
        assert counts[0] == 1 and counts == sorted(counts)  # its own notebook, from In [1]


def _by_county(run_dir: Path) -> dict[str, set[tuple[str, str]]]:
    frame = pq.read_table(run_dir / "clues.parquet").to_pandas()
    return {
        str(region): set(zip(part.clue_id, part.summary, strict=True))
        for region, part in frame.groupby("region")
    }


@pytest.mark.parametrize("model", [MODEL, "admin_criminal_transfer"])
def test_a_county_local_model_is_computed_once_and_split_into_the_single_county_results(
    home: Path, model: str
) -> None:
    # both cards say county_local: true (vetting checks it); admin_criminal_transfer also
    # counts the blind spots of its text rules, which each county's folder gets for itself
    ws = hy.workspace(home)
    regions = ws.regions()
    province = runs.run_each_county(model, ws=ws, jobs=2, allow_unvetted=True)
    assert not province.failed
    by_region = {r.manifest["region"]: r for r in province.results}
    assert sorted(by_region) == regions
    computed = {r.manifest["computed_in"]["run_id"] for r in province.results}
    assert len(computed) == 1  # one computation for every county
    summary = json.loads((province.summary_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["computed_in"]["run_id"] in computed
    # the ledger takes each clue in once, from its county's folder
    ledger = hy.ledger.clues(ws, model=model)
    assert len(ledger) == sum(r.clue_count for r in province.results) > 0
    assert set(ledger.last_run) <= {r.run_id for r in province.results}
    assert set(ledger.runs) == {1}
    for region in regions:
        alone = runs.run(model, ws=hy.workspace(home), region=region)
        split = by_region[region]
        assert {p.name for p in split.run_dir.iterdir()} >= FILES
        assert _clues(split.run_dir) == _clues(alone.run_dir), region
        assert _clues(split.run_dir), region  # the planted violations of every county
        for key in ("clues_by_rule", "clues_by_region", "clue_count", "rules", "parameters"):
            assert split.manifest[key] == alone.manifest[key], key
        assert split.manifest["status"] == "succeeded"
        workbook = pq.read_table(split.run_dir / "clues.parquet").schema.metadata
        assert b"huiyan" in workbook  # the rules and their lineage travel with the clues
        report = (split.run_dir / "report.html").read_text(encoding="utf-8")
        assert region in report
        assert split.manifest.get("unread") == alone.manifest.get("unread"), region
    # the one computation's own notebook and report compare it with every county's truth
    whole_dir = Path(summary["computed_in"]["run_dir"])
    once = json.loads((whole_dir / "manifest.json").read_text(encoding="utf-8"))
    frame = pq.read_table(whole_dir / "clues.parquet").to_pandas()
    scope = hy.evaluation.run_scope(once)
    result = hy.evaluation.evaluate(frame, hy.workspace(home), model=model, scope=scope)
    assert result.is_comparable and sum(s.planted for s in result.scores) > 0
    assert sum(s.true_positives for s in result.scores) > 0
    if model == MODEL:  # computed together, a province run sees a worker across counties
        whole = runs.run(model, ws=hy.workspace(home))
        assert _by_county(whole.run_dir) != {
            r: _clues(by_region[r].run_dir) for r in regions if _clues(by_region[r].run_dir)
        }
