"""A run's clues.xlsx is the reviewers' form: fill the status column, import it into the ledger."""

from __future__ import annotations

from pathlib import Path

import huiyan as hy
import pandas as pd
import pytest
from huiyan import ledger, runs
from openpyxl import load_workbook


@pytest.mark.slow
def test_run_feeds_ledger_and_its_workbook_round_trips(
    sample_model: Path, auction_home: Path
) -> None:
    first = runs.run("sample_auction", ws=hy.workspace(auction_home))
    with hy.workspace(auction_home) as ws:
        taken_in = ledger.clues(ws)
    assert sorted(taken_in.clue_id) == sorted(
        pd.read_parquet(first.run_dir / "clues.parquet").clue_id
    )
    assert (taken_in.status == "待核查").all()

    book = load_workbook(first.run_dir / "clues.xlsx")
    sheet = book["SMP-START-LOW"]
    header = [c.value for c in sheet[1]]
    assert {"核查状态", "核查意见", "核查人"} <= set(header)
    assert sheet.data_validations.dataValidation, "the status column offers a drop-down"
    chosen = sheet.cell(2, header.index("线索编号") + 1).value
    sheet.cell(2, header.index("核查状态") + 1, "已移送")
    sheet.cell(2, header.index("核查意见") + 1, "已移送公安机关")
    book.save(first.run_dir / "clues.xlsx")

    with hy.workspace(auction_home) as ws:
        report = ledger.import_excel(ws, first.run_dir / "clues.xlsx")
        assert (report.applied, report.problems) == (1, ())
        assert ledger.import_excel(ws, first.run_dir / "clues.xlsx").applied == 0

    second = runs.run("sample_auction", ws=hy.workspace(auction_home))
    with hy.workspace(auction_home) as ws:
        after = ledger.clues(ws).set_index("clue_id")
    assert len(after) == len(taken_in), "re-running never duplicates a clue"
    assert after.loc[chosen, "status"] == "已移送"
    assert after.loc[chosen, "last_run"] == second.manifest["run_id"]
    assert (after.runs == 2).all()
