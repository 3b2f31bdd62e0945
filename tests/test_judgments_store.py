"""The workspace step: judgments parsed once into jd_* tables, re-parsed only when new or changed."""

from __future__ import annotations

from pathlib import Path

import huiyan
import huiyan.writer
import pyarrow as pa
import pytest
from conftest import write_sql
from huiyan.errors import WorkspaceError
from huiyan.judgments import parse_workspace, parsed

INSURER = "中国人民财产保险股份有限公司绍兴市分公司"


def _text(plaintiff: str, amount: str, plate: str = "浙D12345") -> str:
    return (
        "浙江省绍兴市越城区人民法院\n民事判决书\n（2021）浙0602民初1号\n"
        f"原告：{plaintiff}，男。\n委托诉讼代理人：赵六，浙江越光律师事务所律师。\n"
        f"被告：{INSURER}。\n负责人：王某，经理。\n"
        f"原告{plaintiff}与被告{INSURER}财产保险合同纠纷一案，本院审理终结。\n"
        f"原告{plaintiff}向本院提出诉讼请求：判令被告赔偿损失共计{amount}元。事实与理由：车主已将理赔权转让给原告，"
        f"{plate}号车辆经绍兴市顺达汽修厂修理，浙江中衡保险公估有限公司评估，未经保险公司定损。\n"
        f"判决如下：\n被告{INSURER}赔偿原告{plaintiff}{amount}元。\n案件受理费25元。\n二〇二一年五月六日"
    )


def _load(ws: huiyan.Workspace, rows: dict[str, str]) -> None:
    with huiyan.writer.writing(ws.home, "test") as w:
        _insert(w.con, rows)
    ws.refresh()


def _insert(con: object, rows: dict[str, str]) -> None:
    con.execute(  # type: ignore[attr-defined]
        "CREATE OR REPLACE TABLE judgments (doc_id VARCHAR, case_no VARCHAR, court VARCHAR, region VARCHAR, "
        "cause VARCHAR, doc_type VARCHAR, trial_level VARCHAR, judgment_date DATE, text VARCHAR)"
    )
    table = pa.table(
        {"doc_id": list(rows), "text": list(rows.values()), "region": ["330602"] * len(rows)}
    )
    con.register("incoming", table)  # type: ignore[attr-defined]
    con.execute(  # type: ignore[attr-defined]
        "INSERT INTO judgments (doc_id, region, text) SELECT doc_id, region, text FROM incoming"
    )
    con.unregister("incoming")  # type: ignore[attr-defined]


@pytest.fixture
def ws(tmp_path: Path) -> huiyan.Workspace:
    w = huiyan.workspace(tmp_path)
    _load(
        w,
        {
            "J1": _text("张三", "6,000"),
            "J2": _text("王五", "1.2万", "浙A54321"),
            "J3": "无法识别的文本",
        },
    )
    yield w
    w.close()


def test_derived_tables_hold_what_was_put_in(ws: huiyan.Workspace) -> None:
    report = parse_workspace(ws)
    assert (report.parsed, report.unchanged, report.removed) == (3, 0, 0)
    t = parsed(ws)
    docs = t.documents.order_by("doc_id").to_pyarrow().to_pylist()
    assert [d["doc_id"] for d in docs] == ["J1", "J2", "J3"]
    j1 = docs[0]
    assert (j1["case_no"], j1["cause"], j1["region"]) == (
        "（2021）浙0602民初1号",
        "财产保险合同纠纷",
        "330602",
    )
    assert (j1["claimed_amount"], j1["awarded_amount"]) == (6000.0, 6000.0)
    assert (j1["assigned"], j1["insurer_assessed"], j1["has_insurer"]) == (True, False, True)
    assert str(j1["judgment_date"]) == "2021-05-06"
    assert docs[1]["claimed_amount"] == 12000.0
    assert docs[2]["case_no"] is None and docs[2]["n_plaintiffs"] == 0
    parties = t.parties.filter(t.parties.doc_id == "J1").order_by("seq").to_pyarrow().to_pylist()
    assert [(p["role"], p["seq"], p["name"], p["kind"], p["is_insurer"]) for p in parties] == [
        ("plaintiff", 0, "张三", "person", False),
        ("defendant", 1, INSURER, "org", True),
    ]
    assert parties[1]["legal_rep"] == "王某"
    agents = t.agents.filter(t.agents.doc_id == "J1").to_pyarrow().to_pylist()
    assert [(a["party_seq"], a["name"], a["law_firm"]) for a in agents] == [
        (0, "赵六", "浙江越光律师事务所")
    ]
    plates = sorted(map(tuple, t.plates.to_pandas()[["doc_id", "plate"]].values.tolist()))
    assert plates == [("J1", "浙D12345"), ("J2", "浙A54321")]
    assert t.shops.to_pandas()["shop"].tolist() == ["绍兴市顺达汽修厂"] * 2
    assert t.assessors.to_pandas()["assessor"].tolist() == ["浙江中衡保险公估有限公司"] * 2


def test_rerun_parses_nothing_and_changed_text_is_reparsed(ws: huiyan.Workspace) -> None:
    parse_workspace(ws)
    again = parse_workspace(ws)
    assert (again.parsed, again.unchanged) == (0, 3)
    write_sql(
        ws.home,
        ("UPDATE judgments SET text = ? WHERE doc_id = 'J1'", [_text("张三", "7,000", "浙D99999")]),
        "DELETE FROM judgments WHERE doc_id = 'J3'",
    )
    ws.refresh()
    third = parse_workspace(ws)
    assert (third.parsed, third.unchanged, third.removed) == (1, 1, 1)
    t = parsed(ws)
    docs = t.documents.order_by("doc_id").to_pyarrow().to_pylist()
    assert [(d["doc_id"], d["claimed_amount"]) for d in docs] == [("J1", 7000.0), ("J2", 12000.0)]
    assert t.parties.count().execute() == 4  # no duplicate rows for the re-parsed document
    assert sorted(t.plates.to_pandas()["plate"]) == ["浙A54321", "浙D99999"]


def test_a_new_reader_version_reads_every_document_again(
    ws: huiyan.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from huiyan.judgments import freshness

    parse_workspace(ws)
    monkeypatch.setattr(freshness, "READER_VERSION", freshness.READER_VERSION + ".next")
    again = parse_workspace(ws)
    assert (again.parsed, again.unchanged) == (3, 0)
    assert parsed(ws).parties.count().execute() == 4  # the old rows were replaced, not kept
    assert parse_workspace(ws).parsed == 0


def test_a_county_adds_a_word_and_every_document_is_read_again(
    ws: huiyan.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUIYAN_HOME", str(ws.home))
    parse_workspace(ws)
    assert parse_workspace(ws).parsed == 0
    (ws.home / "datasets").mkdir(exist_ok=True)
    (ws.home / "datasets" / "vocabulary-local.yaml").write_text(
        "version: '330602.1'\ninsurance:\n  claim: [追索权]\n", encoding="utf-8"
    )
    again = parse_workspace(ws)
    assert (again.parsed, again.unchanged) == (3, 0)
    assert parse_workspace(ws).parsed == 0


def test_the_derived_tables_are_named_once() -> None:
    from huiyan.judgments import freshness, store

    assert tuple(store._SCHEMAS) == freshness.TABLES


def test_worker_processes_give_the_same_rows(ws: huiyan.Workspace) -> None:
    parse_workspace(ws, workers=2)
    assert parsed(ws).parties.count().execute() == 4


def test_parsed_before_parsing_says_what_to_do(ws: huiyan.Workspace) -> None:
    with pytest.raises(WorkspaceError, match="parse_workspace"):
        parsed(ws)


def test_no_judgments_dataset(tmp_path: Path) -> None:
    with huiyan.workspace(tmp_path) as w, pytest.raises(WorkspaceError, match="judgments"):
        parse_workspace(w)
