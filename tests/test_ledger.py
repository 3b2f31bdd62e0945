"""The clue ledger: one row per clue across runs, forward-only review history, Excel round trip."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import huiyan as hy
import pandas as pd
import pytest
from huiyan import ledger
from huiyan.clues import SCHEMA
from huiyan.errors import LedgerError
from openpyxl import load_workbook


def clue_frame(
    ids: list[str], *, model: str = "judicial_auction", region: str = "330602"
) -> pd.DataFrame:
    rows = [
        {
            "clue_id": cid,
            "model": model,
            "model_version": "1.0.0",
            "rule": cid.rsplit("-", 1)[0],
            "region": region,
            "subject_type": "auction",
            "subject_id": cid[-4:],
            "subject_name": None,
            "score": 0.8,
            "amount": 1000.0,
            "summary": f"线索 {cid}",
            "evidence": [f"judicial_auctions:{cid[-4:]}"],
            "context": [],
            "created_at": datetime(2026, 11, 1, tzinfo=UTC),
        }
        for cid in ids
    ]
    return pd.DataFrame(rows, columns=SCHEMA.names)


@pytest.fixture
def ws(tmp_path: Path) -> hy.Workspace:
    w = hy.workspace(tmp_path)
    ledger.record_run(
        w,
        clue_frame(["AUC-START-LOW-0001", "AUC-START-LOW-0002"]),
        run_id="r1",
        model="judicial_auction",
        region="330602",
    )
    yield w
    w.close()


def test_rerun_takes_in_what_changed_in_a_clue(ws: hy.Workspace) -> None:
    changed = clue_frame(["AUC-START-LOW-0001", "AUC-START-LOW-0002"])
    changed.loc[0, "summary"] = "起拍价低于评估价 60%"
    changed.loc[0, "score"] = 0.9
    changed.at[1, "evidence"] = ["judicial_auctions:0002", "judicial_auctions:0003"]
    ledger.record_run(ws, changed, run_id="r2", model="judicial_auction", region="330602")
    after = ledger.clues(ws).set_index("clue_id")
    assert after.loc["AUC-START-LOW-0001", "summary"] == "起拍价低于评估价 60%"
    assert after.loc["AUC-START-LOW-0001", "score"] == 0.9
    assert list(after.loc["AUC-START-LOW-0001", "evidence"]) == ["judicial_auctions:0001"]
    assert list(after.loc["AUC-START-LOW-0002", "evidence"]) == [
        "judicial_auctions:0002",
        "judicial_auctions:0003",
    ]
    assert after.loc["AUC-START-LOW-0002", "summary"] == "线索 AUC-START-LOW-0002"


def test_rerun_keeps_one_row_per_clue_and_updates_last_seen(ws: hy.Workspace) -> None:
    first = ledger.clues(ws).set_index("clue_id")
    intake = ledger.record_run(
        ws,
        clue_frame(["AUC-START-LOW-0001"]),
        run_id="r2",
        model="judicial_auction",
        region="330602",
    )
    after = ledger.clues(ws).set_index("clue_id")
    assert len(after) == 2
    assert (intake.new, intake.seen_again, intake.disappeared) == (0, 1, 1)
    assert after.loc["AUC-START-LOW-0001", "runs"] == 2
    assert after.loc["AUC-START-LOW-0001", "last_run"] == "r2"
    assert (
        after.loc["AUC-START-LOW-0001", "last_seen"] > first.loc["AUC-START-LOW-0001", "last_seen"]
    )
    assert not after.loc["AUC-START-LOW-0002", "present"]  # disappeared, still visible
    # the same run taken in twice changes nothing
    assert (
        ledger.record_run(
            ws, clue_frame(["AUC-START-LOW-0001"]), run_id="r2", model="judicial_auction"
        ).new
        == 0
    )
    assert ledger.clues(ws).set_index("clue_id").loc["AUC-START-LOW-0001", "runs"] == 2


def test_another_county_does_not_hide_this_countys_clues(ws: hy.Workspace) -> None:
    ledger.record_run(
        ws,
        clue_frame(["AUC-START-LOW-0009"], region="331124"),
        run_id="r3",
        model="judicial_auction",
        region="331124",
    )
    assert ledger.clues(ws).present.all()


def test_status_changes_keep_history(ws: hy.Workspace) -> None:
    ledger.set_status(ws, "AUC-START-LOW-0001", "核查中", note="调取卷宗", reviewer="王检察官")
    ledger.set_status(ws, "AUC-START-LOW-0001", "已移送", reviewer="王检察官")
    ledger.set_status(ws, "AUC-START-LOW-0001", "已立案", reviewer="王检察官")
    hist = ledger.history(ws, "AUC-START-LOW-0001")
    assert hist.status.tolist() == ["核查中", "已移送", "已立案"]
    assert hist.previous.tolist() == ["待核查", "核查中", "已移送"]
    current = ledger.clues(ws, status="已立案")
    assert current.clue_id.tolist() == ["AUC-START-LOW-0001"]
    assert current.note.iloc[0] == "调取卷宗"


@pytest.mark.parametrize(
    "steps, bad, match",
    [
        (["核查中"], "待核查", "只能向前推进"),
        (["已发检察建议"], "核查中", "只能向前推进"),
        ([], "不成立", "理由"),
        ([], "已结案", "不是|无效"),
    ],
    ids=["backwards", "after-closing", "reject-without-reason", "unknown-status"],
)
def test_bad_changes_are_refused(ws: hy.Workspace, steps: list[str], bad: str, match: str) -> None:
    for s in steps:
        ledger.set_status(ws, "AUC-START-LOW-0001", s)
    with pytest.raises(LedgerError, match=match):
        ledger.set_status(ws, "AUC-START-LOW-0001", bad)
    assert len(ledger.history(ws, "AUC-START-LOW-0001")) == len(steps)


def test_unknown_clue_is_refused(ws: hy.Workspace) -> None:
    with pytest.raises(LedgerError, match="NOPE"):
        ledger.set_status(ws, "NOPE", "核查中")


def test_excel_round_trip_reports_bad_rows_and_applies_nothing_twice(
    ws: hy.Workspace, tmp_path: Path
) -> None:
    out = ledger.export_excel(ws, tmp_path / "ledger.xlsx")
    book = load_workbook(out)
    sheet = book["线索台账"]
    header = [c.value for c in sheet[1]]
    assert {"线索编号", "核查状态", "核查意见"} <= set(header)
    assert sheet.data_validations.dataValidation, "status column offers a drop-down"
    status_col = header.index("核查状态") + 1
    note_col = header.index("核查意见") + 1
    id_col = header.index("线索编号") + 1
    by_id = {sheet.cell(r, id_col).value: r for r in range(2, sheet.max_row + 1)}
    sheet.cell(by_id["AUC-START-LOW-0001"], status_col, "核查中")
    sheet.cell(by_id["AUC-START-LOW-0001"], note_col, "已联系法院")
    sheet.cell(by_id["AUC-START-LOW-0002"], status_col, "办结")  # not a status
    sheet.append(["AUC-UNKNOWN-9999"] + [None] * (status_col - 2) + ["核查中"])
    book.save(out)

    report = ledger.import_excel(ws, out, reviewer="李检察官")
    assert report.applied == 1
    problems = {p.clue_id: p for p in report.problems}
    assert set(problems) == {"AUC-START-LOW-0002", "AUC-UNKNOWN-9999"}
    assert problems["AUC-START-LOW-0002"].row == by_id["AUC-START-LOW-0002"]
    assert "办结" in report.format()
    assert ledger.clues(ws).set_index("clue_id").loc["AUC-START-LOW-0002", "status"] == "待核查"

    again = ledger.import_excel(ws, out)
    assert again.applied == 0 and again.unchanged == 1
    assert len(ledger.history(ws, "AUC-START-LOW-0001")) == 1


def test_backwards_status_in_excel_is_reported(ws: hy.Workspace, tmp_path: Path) -> None:
    ledger.set_status(ws, "AUC-START-LOW-0001", "已移送")
    out = ledger.export_excel(ws, tmp_path / "l.xlsx")
    book = load_workbook(out)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    for r in range(2, sheet.max_row + 1):
        if sheet.cell(r, header.index("线索编号") + 1).value == "AUC-START-LOW-0001":
            sheet.cell(r, header.index("核查状态") + 1, "核查中")
    book.save(out)
    report = ledger.import_excel(ws, out)
    assert [p.clue_id for p in report.problems] == ["AUC-START-LOW-0001"]
    assert ledger.clues(ws).set_index("clue_id").loc["AUC-START-LOW-0001", "status"] == "已移送"


def test_effectiveness_matches_a_hand_count(tmp_path: Path) -> None:
    ws = hy.workspace(tmp_path)
    ids = [f"AUC-START-LOW-{i:04d}" for i in range(6)]
    ledger.record_run(ws, clue_frame(ids), run_id="r1", model="judicial_auction", region="330602")
    ledger.record_run(
        ws,
        clue_frame(["AUC-CUT-DEEP-0100"], region="331124"),
        run_id="r2",
        model="judicial_auction",
        region="331124",
    )
    # 6 clues in 330602: 2 transferred (1 of them filed), 1 rejected, 1 reviewing, 2 new
    ledger.set_status(ws, ids[0], "已移送")
    ledger.set_status(ws, ids[0], "已立案")
    ledger.set_status(ws, ids[1], "已移送")
    ledger.set_status(ws, ids[2], "不成立", note="拍卖已撤回")
    ledger.set_status(ws, ids[3], "核查中")
    eff = ledger.effectiveness(ws, by=("region",)).set_index("region")
    row = eff.loc["330602"]
    assert (row.clues, row.reviewed, row.transferred, row.filed, row.rejected) == (6, 4, 2, 1, 1)
    assert row.filed_rate == 0.5
    assert row.rejected_rate == 0.25
    assert eff.loc["331124"].clues == 1 and pd.isna(eff.loc["331124"].filed_rate)
    assert ledger.effectiveness(ws, by=("model",), city="3311").clues.tolist() == [1]
    ws.close()


def test_runs_the_ledger_missed_are_taken_in_later(tmp_path: Path) -> None:
    import json

    from huiyan.clues import SCHEMA as CLUE_SCHEMA

    folder = tmp_path / "runs" / "judicial_auction" / "20261129-080000-330602-abcd"
    folder.mkdir(parents=True)
    frame = clue_frame(["AUC-START-LOW-0042"])
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(
        pa.Table.from_pandas(frame, schema=CLUE_SCHEMA, preserve_index=False),
        folder / "clues.parquet",
    )
    (folder / "manifest.json").write_text(
        json.dumps(
            {
                "model": "judicial_auction",
                "run_id": folder.name,
                "region": "330602",
                "status": "succeeded",
            }
        )
    )
    with hy.workspace(tmp_path) as ws:
        intakes = ledger.catch_up(ws)
        assert [i.run_id for i in intakes] == [folder.name]
        assert ledger.clues(ws).clue_id.tolist() == ["AUC-START-LOW-0042"]
        assert ledger.catch_up(ws) == []  # once only


def test_a_review_waits_for_another_write_instead_of_failing(tmp_path: Path) -> None:
    import subprocess
    import sys

    from huiyan import journal

    with hy.workspace(tmp_path) as ws:
        ledger.record_run(
            ws, clue_frame(["AUC-START-LOW-0001"]), run_id="r1", model="judicial_auction"
        )
        holder = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None);"
                " c.execute('BEGIN IMMEDIATE'); print('ok', flush=True); time.sleep(1.5);"
                " c.execute('COMMIT')",
                str(journal.path(tmp_path)),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
            change = ledger.set_status(ws, "AUC-START-LOW-0001", "核查中", note="等待后写入")
            assert change.applied
            assert ledger.clues(ws).status.tolist() == ["核查中"]
        finally:
            holder.wait()
