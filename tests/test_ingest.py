"""huiyan ingest: agency exports -> contract tables, with quarantine (contract README rules)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import huiyan as hy
import pytest
from huiyan import contracts
from huiyan.cli import main
from huiyan.errors import ContractError, IngestError
from huiyan.ingest import create_table_sql, ingest

# A valid admin_penalties row with Chinese headers, as a market-supervision bureau exports it.
PENALTY = {
    "处罚决定书文号": "绍市监罚〔2021〕101号",
    "执法机关": "绍兴市市场监督管理局",
    "执法领域": "市场监管",
    "区划代码": "330602",
    "当事人类型": "法人",
    "当事人名称": "绍兴某某石化有限公司",
    "当事人证件号码": "91330602MA2B3C4D5D",
    "违法行为类型": "销售不符合标准的成品油",
    "违法事实": "当事人销售非标柴油12吨。",
    "涉案数量": "12",
    "数量单位": "吨",
    "涉案货值/价值": "96,000.00元",
    "违法所得": "",
    "罚款金额": "5万元",
    "处罚决定日期": "2021年3月5日",
    "是否移送司法机关": "否",
}
# person 330602198001011237: check digit computed by GB 11643
SOCIAL = {
    "身份证号": "330602198001011237",
    "姓名": "王伟",
    "单位名称": "绍兴某某汽车修理有限公司",
    "统一社会信用代码": "91330602MA2B3C4D5D",
    "参保地区划代码": "330602",
    "起始年月": "2019-01",
    "终止年月": "",
}
CLAIM = {
    "赔案号": "RDAA2021000001",
    "保险公司": "中国人民财产保险股份有限公司绍兴市分公司",
    "保单号": "PDAA202100000001",
    "车牌号": "浙D12345",
    "被保险人": "王伟",
    "报案人": "李强",
    "出险日期": "2021-03-01",
    "报案日期": "2021-03-02",
    "出险地区划代码": "330602",
    "索赔金额": "12000",
}
JUDGMENT = {
    "文书ID": "doc001",
    "案号": "（2021）浙0602民初1234号",
    "法院": "绍兴市越城区人民法院",
    "区划代码": "330602",
    "案由": "机动车交通事故责任纠纷",
    "文书类型": "判决书",
    "裁判日期": "2021-06-01",
    "全文": "原告诉称……",
}
SUBSIDY = {
    "发放流水号": "LQ2021001",
    "年度": "2021",
    "区划代码": "330602",
    "村": "东浦村",
    "领取人": "王伟",
    "领取人身份证号": "330602198001011237",
    "林权证号": "越林证字（2008）第001号",
    "补偿面积(亩)": "12.5",
    "补偿标准(元/亩)": "31",
    "发放金额": "387.50",
    "发放日期": "2021-12-20",
}
BASE = {
    "admin_penalties": PENALTY,
    "social_security": SOCIAL,
    "insurance_claims": CLAIM,
    "judgments": JUDGMENT,
    "forest_subsidies": SUBSIDY,
}


def write_csv(path: Path, rows: list[dict[str, str]], *, encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def penalty(number: int, **changes: str) -> dict[str, str]:
    return {**PENALTY, "处罚决定书文号": f"绍市监罚〔2021〕{number}号", **changes}


def rows_of(ws: hy.Workspace, dataset: str, order: str = "ALL") -> list[tuple]:
    """The rows as stored, contract columns only (not the canonical identifiers beside them)."""
    names = ", ".join(f'"{c}"' for c in contracts.dataset(dataset).column_names)
    return ws.con.con.execute(f'SELECT {names} FROM "{dataset}" ORDER BY {order}').fetchall()


@pytest.fixture
def ws(tmp_path: Path) -> hy.Workspace:
    return hy.workspace(tmp_path / "ws")


# -- normalisation and format rules, one cell at a time -----------------------------------------

VALID = [
    ("date-iso", "admin_penalties", "处罚决定日期", "2021-03-05", dt.date(2021, 3, 5)),
    ("date-slash", "admin_penalties", "处罚决定日期", "2021/3/5", dt.date(2021, 3, 5)),
    ("date-compact", "admin_penalties", "处罚决定日期", "20210305", dt.date(2021, 3, 5)),
    ("date-chinese", "admin_penalties", "处罚决定日期", "2021年3月5日", dt.date(2021, 3, 5)),
    (
        "date-fullwidth",
        "admin_penalties",
        "处罚决定日期",
        "２０２１－０３－０５",
        dt.date(2021, 3, 5),
    ),
    (
        "date-with-midnight",
        "admin_penalties",
        "处罚决定日期",
        "2021-03-05 00:00:00",
        dt.date(2021, 3, 5),
    ),
    ("month-iso", "social_security", "起始年月", "2021-03", dt.date(2021, 3, 1)),
    ("month-compact", "social_security", "起始年月", "202103", dt.date(2021, 3, 1)),
    ("month-chinese", "social_security", "起始年月", "2021年3月", dt.date(2021, 3, 1)),
    ("month-first-day", "social_security", "起始年月", "2021-03-01", dt.date(2021, 3, 1)),
    ("money-plain", "admin_penalties", "罚款金额", "1234.5", 1234.5),
    ("money-thousands", "admin_penalties", "罚款金额", "1,234.50", 1234.5),
    ("money-fullwidth-comma", "admin_penalties", "罚款金额", "1，234.50", 1234.5),
    ("money-yuan", "admin_penalties", "罚款金额", "1234.50元", 1234.5),
    ("money-wan-yuan", "admin_penalties", "罚款金额", "2.5万元", 25000.0),
    ("money-wan", "admin_penalties", "罚款金额", "3万", 30000.0),
    ("money-yen-sign", "admin_penalties", "罚款金额", "￥88", 88.0),
    ("money-fullwidth-digits", "admin_penalties", "罚款金额", "１２３", 123.0),
    ("money-rounded-to-fen", "admin_penalties", "罚款金额", "1.005", 1.01),
    ("number-decimal", "admin_penalties", "涉案数量", "12.5", 12.5),
    ("number-thousands", "admin_penalties", "涉案数量", "1,000.5", 1000.5),
    ("int-plain", "forest_subsidies", "年度", "2021", 2021),
    ("int-excel-float", "forest_subsidies", "年度", "2021.0", 2021),
    ("bool-shi", "admin_penalties", "是否移送司法机关", "是", True),
    ("bool-fou", "admin_penalties", "是否移送司法机关", "否", False),
    ("bool-true", "admin_penalties", "是否移送司法机关", "TRUE", True),
    ("bool-zero", "admin_penalties", "是否移送司法机关", "0", False),
    ("bool-y", "admin_penalties", "是否移送司法机关", "Y", True),
    ("bool-n", "admin_penalties", "是否移送司法机关", "n", False),
    ("string-trimmed", "admin_penalties", "当事人名称", "  王伟\t", "王伟"),
    ("string-fullwidth-space", "admin_penalties", "当事人名称", "\u3000王伟\u3000", "王伟"),
    ("optional-empty-is-null", "admin_penalties", "违法所得", "", None),
    ("plate-dot", "insurance_claims", "车牌号", "浙D·12345", "浙D12345"),
    ("plate-fullwidth", "insurance_claims", "车牌号", "浙ｄ１２３４５", "浙D12345"),
    ("plate-new-energy", "insurance_claims", "车牌号", "浙AD12345", "浙AD12345"),
    (
        "case-no-halfwidth",
        "judgments",
        "案号",
        "(2021)浙0602民初1234号",
        "（2021）浙0602民初1234号",
    ),
    (
        "case-no-fullwidth-digits",
        "judgments",
        "案号",
        "（２０２１）浙0602民初1234号",
        "（2021）浙0602民初1234号",
    ),
    (
        "resident-id-lower-x",
        "social_security",
        "身份证号",
        "11010519491231002x",
        "11010519491231002X",
    ),
    (
        "credit-code-lower",
        "social_security",
        "统一社会信用代码",
        "91330602ma2b3c4d5d",
        "91330602MA2B3C4D5D",
    ),
    ("region", "admin_penalties", "区划代码", "330602", "330602"),
    ("allowed-value", "judgments", "文书类型", "裁定书", "裁定书"),
]


@pytest.fixture(scope="module")
def shared_ws(tmp_path_factory) -> hy.Workspace:
    """One workspace for the one-cell cases; each replaces its table (saves a connection each)."""
    return hy.workspace(tmp_path_factory.mktemp("cells") / "ws")


def load_one(ws: hy.Workspace, tmp_path: Path, dataset: str, header: str, value: str):
    path = write_csv(tmp_path / "one.csv", [{**BASE[dataset], header: value}])
    report = ingest(ws, dataset, [path], replace=True)
    column = next(c.name for c in hy.contracts.dataset(dataset).columns if header in c.headers)
    return report, column


@pytest.mark.parametrize(
    ("dataset", "header", "value", "stored"), [c[1:] for c in VALID], ids=[c[0] for c in VALID]
)
def test_value_is_normalised(shared_ws, tmp_path, dataset, header, value, stored) -> None:
    ws = shared_ws
    report, column = load_one(ws, tmp_path, dataset, header, value)
    assert report.quarantined == 0, report.format()
    assert ws.con.con.execute(f'SELECT "{column}" FROM "{dataset}"').fetchall() == [(stored,)]


INVALID = [
    ("date-month-13", "admin_penalties", "处罚决定日期", "2021-13-05", "bad_date"),
    ("date-feb-30", "admin_penalties", "处罚决定日期", "2021-02-30", "bad_date"),
    ("date-words", "admin_penalties", "处罚决定日期", "三月五日", "bad_date"),
    ("date-year-1899", "admin_penalties", "处罚决定日期", "1899-01-01", "bad_date"),
    ("month-13", "social_security", "起始年月", "2021-13", "bad_month"),
    ("month-mid-month-date", "social_security", "起始年月", "2021-03-15", "bad_month"),
    ("money-words", "admin_penalties", "罚款金额", "五万元", "bad_money"),
    ("money-two-points", "admin_penalties", "罚款金额", "1.2.3", "bad_money"),
    ("number-letters", "admin_penalties", "涉案数量", "x12", "bad_number"),
    ("int-fraction", "forest_subsidies", "年度", "2021.5", "bad_int"),
    ("bool-maybe", "admin_penalties", "是否移送司法机关", "也许", "bad_bool"),
    (
        "resident-id-check-digit",
        "social_security",
        "身份证号",
        "330602198001011230",
        "bad_resident_id",
    ),
    (
        "resident-id-17-digits",
        "social_security",
        "身份证号",
        "33060219800101123",
        "bad_resident_id",
    ),
    (
        "credit-code-check",
        "social_security",
        "统一社会信用代码",
        "91330602MA2B3C4D5E",
        "bad_credit_code",
    ),
    ("region-no-province", "admin_penalties", "区划代码", "990602", "bad_region"),
    ("region-5-digits", "admin_penalties", "区划代码", "33060", "bad_region"),
    ("case-no-no-brackets", "judgments", "案号", "2021浙0602民初1234号", "bad_case_no"),
    ("plate-too-short", "insurance_claims", "车牌号", "浙D1234", "bad_plate"),
    ("plate-no-province", "insurance_claims", "车牌号", "XD12345", "bad_plate"),
    ("not-allowed", "admin_penalties", "当事人类型", "外星人", "not_allowed"),
    ("required-missing", "admin_penalties", "当事人名称", "", "missing"),
    ("required-only-spaces", "admin_penalties", "当事人名称", "   ", "missing"),
    ("optional-unreadable", "admin_penalties", "违法所得", "不详", "bad_money"),
    ("optional-format", "insurance_claims", "被保险人身份证号", "123", "bad_resident_id"),
]


@pytest.mark.parametrize(
    ("dataset", "header", "value", "reason"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID]
)
def test_bad_value_quarantines_row(shared_ws, tmp_path, dataset, header, value, reason) -> None:
    ws = shared_ws
    report, column = load_one(ws, tmp_path, dataset, header, value)
    assert (report.loaded, report.quarantined) == (0, 1)
    [group] = report.problems
    assert group.reason == reason
    assert column in group.column
    [example] = group.examples
    assert (example.file, example.line) == ("one.csv", 2)
    assert example.value == (value.strip() or None)
    assert rows_of(ws, dataset) == []


# -- files: encodings, formats, headers ---------------------------------------------------------


def test_gbk_csv_with_chinese_headers(ws, tmp_path) -> None:
    rare = "王䶮"  # a rare name character GBK lacks; GB18030 keeps it
    path = write_csv(
        tmp_path / "处罚.csv", [penalty(1), penalty(2, 当事人名称=rare)], encoding="gb18030"
    )
    report = ingest(ws, "admin_penalties", [path])
    assert (report.loaded, report.quarantined) == (2, 0)
    stored = rows_of(ws, "admin_penalties", "case_id")
    assert stored[1][5] == rare
    assert stored[0][11:16] == (96000.0, None, 50000.0, dt.date(2021, 3, 5), False)


def test_utf8_bom_csv_and_english_headers_in_any_order(ws, tmp_path) -> None:
    row = {"name": "王伟", "death_date": "2021/3/5", "person_id": "330602198001011237"}
    path = write_csv(tmp_path / "deaths.csv", [row], encoding="utf-8-sig")
    report = ingest(ws, "deaths", [path])
    assert report.loaded == 1
    assert rows_of(ws, "deaths") == [("330602198001011237", "王伟", dt.date(2021, 3, 5))]


def test_gbk_file_refused_when_told_utf8(ws, tmp_path) -> None:
    path = write_csv(tmp_path / "p.csv", [penalty(1)], encoding="gbk")
    with pytest.raises(IngestError, match="UTF-8"):
        ingest(ws, "admin_penalties", [path], encoding="utf-8")
    assert ingest(ws, "admin_penalties", [path], encoding="gbk").loaded == 1


def test_other_encoding_refused_naming_it(ws, tmp_path) -> None:
    path = write_csv(tmp_path / "p.csv", [penalty(1)], encoding="utf-16")
    with pytest.raises(IngestError, match="UTF-16") as err:
        ingest(ws, "admin_penalties", [path])
    assert "Nothing was loaded" in str(err.value)
    with pytest.raises(IngestError, match="latin-1"):
        ingest(ws, "admin_penalties", [path], encoding="latin-1")  # type: ignore[arg-type]


def write_xlsx(path: Path, rows: list[list], *, sheet: str = "Sheet1", extra: str | None = None):
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    if extra:
        first.title = extra
        first.append(["无关", "内容"])
        first = book.create_sheet(sheet)
    else:
        first.title = sheet
    for row in rows:
        first.append(row)
    book.save(path)
    return path


def test_xlsx_first_sheet_with_empty_rows_and_typed_cells(ws, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "车辆.xlsx",
        [
            [],
            ["车牌号", "车主", "车主身份证号", "登记地区划代码", "车辆类型", "备注"],
            ["浙D·12345", "王伟", "330602198001011237", 330602, "小型轿车", "x"],
            [None, None, None, None, None, None],
            ["浙DD12345", "李强", "11010519491231002x", "330603", None, None],
        ],
    )
    report = ingest(ws, "vehicles", [path])
    assert (report.loaded, report.quarantined) == (2, 0)
    assert report.ignored_headers == (("车辆.xlsx", "备注"),)
    assert rows_of(ws, "vehicles") == [
        ("浙D12345", "王伟", "330602198001011237", None, "小型轿车", "330602"),
        ("浙DD12345", "李强", "11010519491231002x", None, None, "330603"),
    ]


def test_xlsx_named_sheet_date_cells_and_line_numbers(ws, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "deaths.xlsx",
        [
            ["公民身份号码", "姓名", "死亡日期"],
            ["330602198001011237", "王伟", dt.datetime(2021, 3, 5)],
            [],
            ["330602198001011230", "李强", dt.date(2021, 3, 6)],
        ],
        sheet="死亡",
        extra="说明",
    )
    report = ingest(ws, "deaths", [path], sheet="死亡")
    assert (report.loaded, report.quarantined) == (1, 1)
    assert report.problems[0].examples[0].line == 4  # the Excel row a user sees
    assert rows_of(ws, "deaths") == [("330602198001011237", "王伟", dt.date(2021, 3, 5))]
    with pytest.raises(IngestError, match="死亡2") as err:
        ingest(ws, "deaths", [path], sheet="死亡2")
    assert "死亡" in str(err.value)


def test_parquet_with_typed_columns(ws, tmp_path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "deaths.parquet"
    pq.write_table(
        pa.table(
            {
                "person_id": ["330602198001011237", "330602198001011230"],
                "name": ["王伟", "李强"],
                "death_date": [dt.date(2021, 3, 5), dt.date(2021, 3, 6)],
            }
        ),
        path,
    )
    report = ingest(ws, "deaths", [path])
    assert (report.loaded, report.quarantined) == (1, 1)
    assert report.problems[0].examples[0].line == 2


def test_format_comes_from_content_not_name(ws, tmp_path) -> None:
    xlsx = write_xlsx(
        tmp_path / "x.xlsx",
        [["公民身份号码", "姓名", "死亡日期"], ["330602198001011237", "王伟", "2021-03-05"]],
    )
    disguised = tmp_path / "deaths.csv"
    disguised.write_bytes(xlsx.read_bytes())
    assert ingest(ws, "deaths", [disguised]).loaded == 1


def test_blank_trailing_lines_skipped(ws, tmp_path) -> None:
    path = write_csv(tmp_path / "p.csv", [penalty(1), penalty(2)])
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + "," * 15 + "\n", encoding="utf-8")
    report = ingest(ws, "admin_penalties", [path])
    assert (report.loaded, report.quarantined) == (2, 0)


def test_header_only_file_loads_nothing(ws, tmp_path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(",".join(PENALTY) + "\n", encoding="utf-8")
    report = ingest(ws, "admin_penalties", [path])
    assert (report.loaded, report.quarantined, report.table_rows) == (0, 0, 0)
    assert ws.has_table("admin_penalties")


def test_empty_file_refused(ws, tmp_path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(b"")
    with pytest.raises(IngestError, match="empty"):
        ingest(ws, "admin_penalties", [path])


def test_missing_column_refused_naming_it_and_nearest_header(ws, tmp_path) -> None:
    row = dict(PENALTY)
    row["处罚决定日"] = row.pop("处罚决定日期")
    path = write_csv(tmp_path / "p.csv", [row])
    with pytest.raises(IngestError) as err:
        ingest(ws, "admin_penalties", [path])
    message = str(err.value)
    assert "decision_date" in message and "处罚决定日期" in message
    assert '"处罚决定日"' in message
    assert "Nothing was loaded" in message and "未载入任何数据" in message
    assert not ws.has_table("admin_penalties")


def test_unknown_dataset(ws, tmp_path) -> None:
    with pytest.raises(ContractError, match="vehicles"):
        ingest(ws, "vehicle", [write_csv(tmp_path / "p.csv", [PENALTY])])


def test_malformed_line_quarantined_good_rows_loaded(ws, tmp_path) -> None:
    path = write_csv(tmp_path / "p.csv", [penalty(1), penalty(2), penalty(3)])
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] += ",多余,字段"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest(ws, "admin_penalties", [path])
    assert (report.loaded, report.quarantined) == (2, 1)
    assert [(g.reason, g.examples[0].line) for g in report.problems] == [("malformed_row", 3)]


# -- quarantine and keys ------------------------------------------------------------------------


def test_bad_rows_quarantined_with_reasons_good_rows_loaded(ws, tmp_path) -> None:
    rows = [
        penalty(1),
        penalty(2, 处罚决定日期="2021-13-05", 罚款金额="很多"),
        penalty(3, 处罚决定日期="2021-02-30"),
        penalty(4, 罚款金额="1,000元"),
    ]
    path = write_csv(tmp_path / "行政处罚.csv", rows)
    report = ingest(ws, "admin_penalties", [path])
    assert (report.loaded, report.quarantined) == (2, 2)
    groups = {(g.reason, g.column): g for g in report.problems}
    dates = groups[("bad_date", "处罚决定日期（decision_date）")]
    assert dates.rows == 2
    assert [(e.file, e.line, e.value) for e in dates.examples] == [
        ("行政处罚.csv", 3, "2021-13-05"),
        ("行政处罚.csv", 4, "2021-02-30"),
    ]
    assert "2021年3月5日" in dates.expected
    assert groups[("bad_money", "罚款金额（fine）")].rows == 1
    assert report.quarantine_file is not None
    assert report.quarantine_file.parent == ws.home / "quarantine"
    assert report.quarantine_file.name.startswith("admin_penalties-")
    quarantined = list(csv.reader(report.quarantine_file.open(encoding="utf-8-sig")))
    assert quarantined[0][:5] == ["文件 file", "行号 line", "列 column", "值 value", "原因 reason"]
    assert [(r[1], r[3], r[4], r[5]) for r in quarantined[1:]] == [
        ("3", "2021-13-05", "不是有效日期", "not a valid date"),
        ("3", "很多", "不是有效金额", "not a valid amount of money"),
        ("4", "2021-02-30", "不是有效日期", "not a valid date"),
    ]
    text = report.format()
    assert "已载入 2 行" in text and "2 rows loaded" in text and "2021-13-05" in text
    assert [r[0] for r in rows_of(ws, "admin_penalties")] == [
        "绍市监罚〔2021〕1号",
        "绍市监罚〔2021〕4号",
    ]


def test_duplicate_keys_within_command_quarantine_every_copy(ws, tmp_path) -> None:
    a = write_csv(tmp_path / "a.csv", [penalty(1), penalty(2), penalty(1, 罚款金额="1")])
    b = write_csv(tmp_path / "b.csv", [penalty(2), penalty(3)])
    report = ingest(ws, "admin_penalties", [a, b])
    assert (report.loaded, report.quarantined) == (1, 4)
    [group] = report.problems
    assert group.reason == "duplicate_key" and group.rows == 4
    assert {(e.file, e.line) for e in group.examples} == {
        ("a.csv", 2),
        ("a.csv", 3),
        ("a.csv", 4),
        ("b.csv", 2),
    }
    assert [r[0] for r in rows_of(ws, "admin_penalties")] == ["绍市监罚〔2021〕3号"]


def test_key_already_in_table_keeps_stored_row(ws, tmp_path) -> None:
    ingest(ws, "admin_penalties", [write_csv(tmp_path / "a.csv", [penalty(1, 罚款金额="100")])])
    report = ingest(
        ws,
        "admin_penalties",
        [write_csv(tmp_path / "b.csv", [penalty(1, 罚款金额="999"), penalty(2)])],
    )
    assert (report.loaded, report.quarantined, report.table_rows) == (1, 1, 2)
    assert report.problems[0].reason == "key_exists"
    fines = ws.con.con.execute("SELECT case_id, fine FROM admin_penalties ORDER BY 1").fetchall()
    assert fines == [("绍市监罚〔2021〕1号", 100.0), ("绍市监罚〔2021〕2号", 50000.0)]


def test_composite_key_compares_normalised_values(ws, tmp_path) -> None:
    rows = [dict(SOCIAL), {**SOCIAL, "起始年月": "201901"}]
    report = ingest(ws, "social_security", [write_csv(tmp_path / "s.csv", rows)])
    assert (report.loaded, report.quarantined) == (0, 2)


def test_replace_replaces_the_table(ws, tmp_path) -> None:
    ingest(ws, "admin_penalties", [write_csv(tmp_path / "a.csv", [penalty(1), penalty(2)])])
    report = ingest(
        ws,
        "admin_penalties",
        [write_csv(tmp_path / "b.csv", [penalty(2), penalty(3)])],
        replace=True,
    )
    assert (report.loaded, report.quarantined, report.table_rows) == (2, 0, 2)
    assert [r[0] for r in rows_of(ws, "admin_penalties")] == [
        "绍市监罚〔2021〕2号",
        "绍市监罚〔2021〕3号",
    ]


@pytest.mark.parametrize("replace", [False, True], ids=["append", "replace"])
def test_second_file_refused_leaves_table_unchanged(ws, tmp_path, replace) -> None:
    ingest(ws, "admin_penalties", [write_csv(tmp_path / "a.csv", [penalty(1)])])
    before = rows_of(ws, "admin_penalties")
    good = write_csv(tmp_path / "good.csv", [penalty(2), penalty(3)])
    broken = write_csv(tmp_path / "broken.csv", [{"处罚决定书文号": "x", "执法机关": "y"}])
    with pytest.raises(IngestError, match=r"broken\.csv") as err:
        ingest(ws, "admin_penalties", [good, broken], replace=replace)
    assert "good.csv" not in str(err.value)
    assert rows_of(ws, "admin_penalties") == before
    assert not (ws.home / "quarantine").exists()


def test_create_table_sql_is_contract_order_and_types() -> None:
    import duckdb

    con = duckdb.connect()
    con.execute(create_table_sql("forest_subsidies"))
    described = con.execute('DESCRIBE "forest_subsidies"').fetchall()
    assert [(d[0], d[1]) for d in described] == [
        ("payment_id", "VARCHAR"),
        ("year", "BIGINT"),
        ("region", "VARCHAR"),
        ("village", "VARCHAR"),
        ("recipient_name", "VARCHAR"),
        ("recipient_id", "VARCHAR"),
        ("cert_no", "VARCHAR"),
        ("area_mu", "DOUBLE"),
        ("rate", "DOUBLE"),
        ("amount", "DOUBLE"),
        ("account_no", "VARCHAR"),
        ("paid_date", "DATE"),
    ]


# -- the command line ---------------------------------------------------------------------------


def test_cli_reports_counts_and_reasons(tmp_path, capsys) -> None:
    path = write_csv(tmp_path / "p.csv", [penalty(1), penalty(2, 处罚决定日期="2021-13-05")])
    code = main(["ingest", "admin_penalties", str(path), "--home", str(tmp_path / "ws")])
    out = capsys.readouterr().out
    assert code == 0
    assert "已载入 1 行，隔离 1 行" in out and "1 rows loaded, 1 rows quarantined" in out
    assert "不是有效日期 not a valid date" in out and '"2021-13-05"' in out
    assert "The command ran, but 1 rows were not loaded" in out


def test_cli_refusal_is_bilingual_without_traceback(tmp_path, capsys) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    code = main(["ingest", "admin_penalties", str(path), "--home", str(tmp_path / "ws")])
    err = capsys.readouterr().err
    assert code != 0
    assert "文件是空的" in err and "the file is empty" in err and "Nothing was loaded" in err
    assert "Traceback" not in err
