"""Blind spots: counted per text rule, saved into the manifest and report, listed by ``huiyan unread``;
and a county that adds a word sees its count fall."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import huiyan as hy
import ibis
import pandas as pd
import pytest
from huiyan.cli import main
from huiyan.ingest import schema
from huiyan.models import admin_criminal_transfer as m
from huiyan.reading.blindspots import common_sentences
from huiyan.runs.runner import _reading
from huiyan.runs.saving import READING


def _penalty(case_id: str, facts: str, violation: str = "违反河道管理规定") -> dict:
    return {
        "case_id": case_id, "agency": "某水利局", "domain": "水利", "region": "330602",
        "party_type": "自然人", "party_name": "张三", "party_id": None, "violation": violation,
        "facts": facts, "quantity": None, "quantity_unit": None, "goods_value": None,
        "illegal_gain": None, "fine": 1000.0, "decision_date": pd.Timestamp("2023-06-01").date(),
        "transferred": False,
    }  # fmt: skip


ROWS = [
    _penalty("1", "经查，张三在曹娥江非法采砂3200吨，价值12万元。"),
    _penalty("2", "经查，张三在曹娥江非法采砂800吨，卖砂换得现金2万元整。"),
    _penalty("3", "经查，张三在曹娥江非法采砂500吨，卖砂换得现金1万元整。"),
]


def _table() -> ibis.Table:
    return ibis.memtable(pd.DataFrame(ROWS), schema=schema.ibis_schema("admin_penalties"))


def test_unread_counts_the_penalties_whose_figure_could_not_be_read():
    counts = m.unread(_table())
    assert counts["ACT-MINING-VALUE"] == {"candidates": 3, "unread": 2}
    assert counts["ACT-DRUNK-DRIVING"] == {"candidates": 0, "unread": 0}


def test_the_commonest_unread_sentences_show_the_missing_words():
    records, words = m.unread_records(_table(), "ACT-MINING-VALUE")
    table = common_sentences(records, words)
    assert len(table) == 1 and int(table.iloc[0, 0]) == 2
    assert "卖砂换得现金#万元整" in table.iloc[0, 1] and "张三" not in table.iloc[0, 1]


def test_a_county_adds_a_word_and_the_count_falls(tmp_path: Path, monkeypatch):
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "vocabulary-local.yaml").write_text(
        "version: '330602.1'\nfigures:\n  illegal_gain: [换得现金]\n", encoding="utf-8"
    )
    monkeypatch.setenv("HUIYAN_HOME", str(tmp_path))
    counts = m.unread(_table())
    assert counts["ACT-MINING-VALUE"] == {"candidates": 3, "unread": 0}
    hits = m.mining_value(_table(), _no_cases())
    assert set(hits.table.execute().subject_id) == {"1"}  # 2万 and 1万 are below 10万


def test_save_records_the_blind_spots_and_the_runner_moves_them_into_the_manifest(
    tmp_path: Path, monkeypatch
):
    monkeypatch.setenv("HUIYAN_RUN_DIR", str(tmp_path))
    monkeypatch.setenv("HUIYAN_MODEL", m.MODEL)
    found = hy.clues.collect(m.mining_value(_table(), _no_cases()), model=m.MODEL)
    hy.runs.save(found, unread=m.unread(_table()))
    stored = json.loads((tmp_path / READING).read_text(encoding="utf-8"))
    assert stored["unread"]["ACT-MINING-VALUE"] == {"candidates": 3, "unread": 2}
    assert stored["vocabulary"]["version"] and stored["vocabulary"]["fingerprint"]
    moved = _reading(tmp_path)
    assert moved["unread"]["ACT-MINING-VALUE"]["unread"] == 2
    assert not (tmp_path / READING).exists()  # the run folder keeps the contract's five files


def test_save_refuses_counts_that_cannot_be(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("HUIYAN_RUN_DIR", str(tmp_path))
    monkeypatch.setenv("HUIYAN_MODEL", m.MODEL)
    found = hy.clues.collect(m.mining_value(_table(), _no_cases()), model=m.MODEL)
    with pytest.raises(hy.errors.ModelError, match="ACT-MINING-VALUE"):
        hy.runs.save(found, unread={"ACT-MINING-VALUE": {"candidates": 1, "unread": 2}})


def test_the_report_shows_the_blind_spots():
    from huiyan.report import header

    manifest = {
        "status": "succeeded", "model": m.MODEL, "rules": ["ACT-MINING-VALUE"],
        "unread": {"ACT-MINING-VALUE": {"candidates": 3, "unread": 2}},
        "vocabulary": {"version": "2026.1", "local_version": "330602.1"},
    }  # fmt: skip
    html = header(manifest, pd.DataFrame(columns=list(hy.clues.SCHEMA.names)))
    assert "未能读出" in html and "ACT-MINING-VALUE" in html and "330602.1" in html


def _no_cases() -> ibis.Table:
    return ibis.memtable(
        pd.DataFrame(columns=schema.column_types("criminal_cases")),
        schema=schema.ibis_schema("criminal_cases"),
    )


def test_unread_command_lists_the_sentences(tmp_path: Path):
    home = tmp_path / "ws"
    frame = pd.DataFrame(ROWS)
    with hy.workspace(home, write=True) as ws, ws.writing("test") as w:
        w.con.execute(schema.create_table_sql("admin_penalties"))
        w.con.register("incoming", frame)
        w.con.execute("INSERT INTO admin_penalties SELECT * FROM incoming")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--home", str(home), "unread", m.MODEL, "--rule", "ACT-MINING-VALUE"])
    assert code == 0
    text = out.getvalue()
    assert "未能读出 2 件" in text and "卖砂换得现金#万元整" in text
