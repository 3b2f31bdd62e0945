"""huiyan ingest on exports as agency systems really write them.

Title and export-time rows above the header, merged cells, totals and sign-off
rows below the data, numbers stored as text, dates as Excel serials, a second
sheet of notes; and damage: blank lines, a GBK character cut in half, NUL bytes,
a header naming a column twice. One test per case; every test checks that no
row is lost (loaded + quarantined + skipped accounts for every line).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import huiyan as hy
import pytest
from huiyan.cli import main
from huiyan.errors import IngestError
from huiyan.ingest import ingest

# One admin_penalties record, Chinese headers, as a market-supervision bureau's system exports it.
PENALTY = {
    "处罚决定书文号": "绍市监罚〔2021〕1号",
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
HEADERS = list(PENALTY)
WIDTH = len(HEADERS)
TITLE = "绍兴市市场监督管理局行政处罚案件信息表"
EXPORTED = "导出时间：2021-12-31 10:22:05"
SERIAL_2021_03_05 = (dt.date(2021, 3, 5) - dt.date(1899, 12, 30)).days  # 44260


def penalty(n: int, **changes: str) -> dict[str, str]:
    return {**PENALTY, "处罚决定书文号": f"绍市监罚〔2021〕{n}号", **changes}


def csv_lines(rows: list[dict[str, str]], *, header: bool = True) -> list[str]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=HEADERS, lineterminator="\n")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().splitlines()


def csv_records(rows: list[dict[str, str]]) -> list[str]:
    """The header and each record as CSV text (a record may hold a quoted line break)."""
    out = []
    for row in [dict(zip(HEADERS, HEADERS, strict=True)), *rows]:
        buf = io.StringIO()
        csv.DictWriter(buf, fieldnames=HEADERS, lineterminator="\n").writerow(row)
        out.append(buf.getvalue().removesuffix("\n"))
    return out


def write_lines(path: Path, lines: list[str], *, encoding: str = "utf-8", end: str = "\n") -> Path:
    path.write_bytes((end.join(lines) + end).encode(encoding))
    return path


def case_ids(ws: hy.Workspace) -> list[str]:
    rows = ws.con.con.execute("SELECT case_id FROM admin_penalties ORDER BY 1").fetchall()
    return [r[0] for r in rows]


def accounted(report, lines_below_header: int) -> None:
    """Every line below the header was loaded, quarantined or skipped: nothing lost."""
    assert report.loaded + report.quarantined + report.skipped == lines_below_header, (
        report.format()
    )


@pytest.fixture
def ws(tmp_path: Path) -> hy.Workspace:
    return hy.workspace(tmp_path / "ws")


# -- Excel exports -------------------------------------------------------------------------------


def agency_workbook(path: Path, rows: int, *, two_row_header: bool = False) -> Path:
    """An .xlsx as agency systems write it.

    Row 1: a title merged across the table; row 2: export time and unit, merged;
    row 3 (and 4): the header; then the data with numbers stored as text, numbers
    as numbers, dates as Excel serials; then a 合计 row and a 制表人 row; and a
    second sheet of notes.
    """
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "行政处罚案件"
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=WIDTH)
    sheet.append([EXPORTED, *[None] * 7, "导出单位：绍兴市市场监督管理局"])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=8)
    sheet.merge_cells(start_row=2, start_column=9, end_row=2, end_column=WIDTH)
    if two_row_header:
        party = [HEADERS.index(h) + 1 for h in ("当事人类型", "当事人名称", "当事人证件号码")]
        sheet.append(["当事人" if i + 1 in party else h for i, h in enumerate(HEADERS)])
        sheet.append(
            [h.removeprefix("当事人") if i + 1 in party else None for i, h in enumerate(HEADERS)]
        )
        sheet.merge_cells(start_row=3, start_column=party[0], end_row=3, end_column=party[-1])
        for i in range(1, WIDTH + 1):
            if i not in party:
                sheet.merge_cells(start_row=3, start_column=i, end_row=4, end_column=i)
    else:
        sheet.append(HEADERS)
    for n in range(1, rows + 1):
        record = penalty(n)
        cells: list[object] = [record[h] for h in HEADERS]
        cells[HEADERS.index("处罚决定日期")] = SERIAL_2021_03_05 + n  # a serial, General format
        cells[HEADERS.index("罚款金额")] = 50000.0 + n  # a number cell
        cells[HEADERS.index("区划代码")] = "330602"  # a number stored as text
        sheet.append(cells)
    sheet.append(["合计", *[None] * 12, 50000.0 * rows])
    sheet.append(["制表人：张三", None, None, None, "审核人：李四"])
    notes = book.create_sheet("填表说明")
    notes.append(["填表说明"])
    notes.append(["1. 金额单位为元；2. 日期格式为年-月-日。"])
    book.save(path)
    return path


def test_xlsx_with_title_rows_and_totals_loads_every_data_row(ws, tmp_path) -> None:
    path = agency_workbook(tmp_path / "行政处罚.xlsx", rows=6)
    report = ingest(ws, "admin_penalties", [path])
    assert (report.loaded, report.quarantined) == (6, 0), report.format()
    [layout] = report.layouts
    assert (layout.sheet, layout.header_rows, layout.rows_above) == ("行政处罚案件", (3,), 2)
    assert [(line, text[:2]) for line, text in layout.trailers] == [(10, "合计"), (11, "制表")]
    text = report.format()
    assert "表头在第3行 header found on row 3" in text
    assert "跳过其上方的标题/说明 2 行" in text and "2 title/notes rows above it skipped" in text
    assert "合计/备注行 2 行" in text and "2 totals/notes rows after the data skipped" in text
    accounted(report, lines_below_header=8)
    first = ws.con.con.execute(
        "SELECT region, fine, decision_date FROM admin_penalties ORDER BY case_id LIMIT 1"
    ).fetchone()
    assert first == ("330602", 50001.0, dt.date(2021, 3, 6))  # text, number and serial cells


def test_xlsx_merged_two_row_header_is_read_as_its_values(ws, tmp_path) -> None:
    path = agency_workbook(tmp_path / "行政处罚.xlsx", rows=3, two_row_header=True)
    report = ingest(ws, "admin_penalties", [path])
    assert (report.loaded, report.quarantined) == (3, 0), report.format()
    assert report.layouts[0].header_rows == (3, 4)
    assert report.ignored_headers == ()
    assert "表头在第3-4行 header found on rows 3-4" in report.format()
    stored = ws.con.con.execute(
        "SELECT party_type, party_name, party_id FROM admin_penalties LIMIT 1"
    ).fetchone()
    assert stored == ("法人", "绍兴某某石化有限公司", "91330602MA2B3C4D5D")


def test_xlsx_header_cell_merged_across_two_columns_names_one_column(ws, tmp_path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["公民身份号码", "姓名", None, "死亡日期"])
    sheet.merge_cells("B1:C1")
    sheet.append(["330602198001011237", "王伟", None, "2021-03-05"])
    book.save(tmp_path / "deaths.xlsx")
    report = ingest(ws, "deaths", [tmp_path / "deaths.xlsx"])
    assert (report.loaded, report.quarantined) == (1, 0), report.format()


def test_xlsx_table_away_from_a1_with_empty_rows(ws, tmp_path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for cell, value in {
        "B3": "公民身份号码", "C3": "姓名", "D3": "死亡日期",
        "B4": "330602198001011237", "C4": "王伟", "D4": "2021-03-05",
        "B7": "11010519491231002X", "C7": "李强", "D7": "2021-03-06",
    }.items():  # fmt: skip
        sheet[cell] = value
    book.save(tmp_path / "d.xlsx")
    report = ingest(ws, "deaths", [tmp_path / "d.xlsx"])
    assert (report.loaded, report.ignored_headers) == (2, ())  # empty column A is no column
    assert (report.layouts[0].header_rows, report.layouts[0].blank_rows) == ((3,), 2)


def write_sheets(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


DEATH_HEADER = ["公民身份号码", "姓名", "死亡日期"]
NOTES = [["说明"], ["本表由公安户籍系统导出。"]]


def test_xlsx_takes_the_only_sheet_whose_header_matches(ws, tmp_path) -> None:
    path = write_sheets(
        tmp_path / "死亡.xlsx",
        {"封面": NOTES, "死亡人员": [DEATH_HEADER, ["330602198001011237", "王伟", "2021-03-05"]]},
    )
    report = ingest(ws, "deaths", [path])
    assert report.loaded == 1
    assert report.layouts[0].sheet == "死亡人员"
    assert "工作表“死亡人员”" in report.format() and 'sheet "死亡人员"' in report.format()


@pytest.mark.parametrize("sheet", ["2022年", "2"], ids=["by-name", "by-number"])
def test_xlsx_sheet_named_or_numbered(ws, tmp_path, sheet) -> None:
    path = write_sheets(
        tmp_path / "死亡.xlsx",
        {
            "2021年": [DEATH_HEADER, ["330602198001011237", "王伟", "2021-03-05"]],
            "2022年": [DEATH_HEADER, ["11010519491231002X", "李强", "2022-01-09"]],
        },
    )
    report = ingest(ws, "deaths", [path], sheet=sheet)
    assert report.loaded == 1
    assert ws.con.con.execute("SELECT name FROM deaths").fetchall() == [("李强",)]


def test_xlsx_several_matching_sheets_refused_listing_them(ws, tmp_path) -> None:
    rows = [DEATH_HEADER, ["330602198001011237", "王伟", "2021-03-05"]]
    path = write_sheets(tmp_path / "死亡.xlsx", {"2021年": rows, "说明": NOTES, "2022年": rows})
    with pytest.raises(IngestError) as err:
        ingest(ws, "deaths", [path])
    message = str(err.value)
    assert "“2021年”、“2022年”" in message and "2021年, 2022年" in message
    assert "--sheet" in message and "Nothing was loaded" in message
    assert not ws.has_table("deaths")


def test_xlsx_unknown_sheet_refused_listing_sheets(ws, tmp_path) -> None:
    path = write_sheets(tmp_path / "死亡.xlsx", {"死亡人员": [DEATH_HEADER], "说明": NOTES})
    with pytest.raises(IngestError, match="死亡人员, 说明") as err:
        ingest(ws, "deaths", [path], sheet="3")
    assert 'no sheet called "3"' in str(err.value)


def test_xlsx_dates_as_excel_serials_in_date_columns_only(ws, tmp_path) -> None:
    path = write_sheets(
        tmp_path / "死亡.xlsx",
        {
            "Sheet1": [
                DEATH_HEADER,
                ["330602198001011237", "王伟", SERIAL_2021_03_05],
                ["11010519491231002X", "李强", 20210306],  # a compact date stored as a number
                ["110105194912310029", "张三", 2021],  # a year is not a date
            ]
        },
    )
    report = ingest(ws, "deaths", [path])
    assert (report.loaded, report.quarantined) == (2, 1)
    assert report.problems[0].examples[0].value == "2021"
    dates = ws.con.con.execute("SELECT death_date FROM deaths ORDER BY death_date").fetchall()
    assert dates == [(dt.date(2021, 3, 5),), (dt.date(2021, 3, 6),)]


# -- header detection in CSV files ---------------------------------------------------------------


def test_csv_title_rows_and_totals_rows_skipped_with_counts(ws, tmp_path) -> None:
    lines = [
        f'"{TITLE}"' + "," * (WIDTH - 1),
        f'"{EXPORTED}",,,,,,,"导出单位：绍兴市市场监督管理局"',
        *csv_lines([penalty(1), penalty(2), penalty(3)]),
        "合计,,,,,,,,,,,,,150000,,",
        "制表人：张三",  # one cell: DuckDB sets it aside as too short, still a notes row
        "",
    ]
    path = write_lines(tmp_path / "处罚.csv", lines, encoding="gb18030", end="\r\n")
    report = ingest(ws, "admin_penalties", [path])
    assert (report.loaded, report.quarantined) == (3, 0), report.format()
    layout = report.layouts[0]
    assert (layout.header_rows, layout.rows_above) == ((3,), 2)
    assert [line for line, _ in layout.trailers] == [7, 8]
    accounted(report, lines_below_header=len(lines) - 3)


def test_csv_totals_words_inside_the_data_are_data(ws, tmp_path) -> None:
    rows = [penalty(1), penalty(2, 处罚决定书文号="合计"), penalty(3)]
    path = write_lines(tmp_path / "p.csv", csv_lines(rows))
    report = ingest(ws, "admin_penalties", [path])
    assert (report.loaded, report.skipped) == (3, 0)
    assert "合计" in case_ids(ws)


def test_header_row_override(ws, tmp_path) -> None:
    # 25 note rows: more than are searched for the header.
    notes = [f"说明第{i}条" for i in range(1, 26)]
    path = write_lines(tmp_path / "p.csv", [*notes, *csv_lines([penalty(1), penalty(2)])])
    with pytest.raises(IngestError) as err:
        ingest(ws, "admin_penalties", [path])
    assert "--header-row" in str(err.value) and "说明第1条" in str(err.value)
    report = ingest(ws, "admin_penalties", [path], header_row=26)
    assert (report.loaded, report.layouts[0].header_rows, report.layouts[0].rows_above) == (
        2,
        (26,),
        25,
    )
    with pytest.raises(IngestError, match="row 99 is blank or past the end"):
        ingest(ws, "admin_penalties", [path], header_row=99)


def test_missing_columns_refusal_lists_headers_found_and_near_matches(ws, tmp_path) -> None:
    row = dict(PENALTY)
    row["处罚决定日"] = row.pop("处罚决定日期")
    row["当事人名"] = row.pop("当事人名称")
    buf = io.StringIO()
    csv.DictWriter(buf, fieldnames=list(row), lineterminator="\n").writeheader()
    path = write_lines(tmp_path / "p.csv", [TITLE, buf.getvalue().strip(), ",".join(row.values())])
    with pytest.raises(IngestError) as err:
        ingest(ws, "admin_penalties", [path])
    message = str(err.value)
    assert "缺少必填列 处罚决定日期（decision_date）" in message
    assert (
        '最接近的列是 "处罚决定日"' in message
        and 'The nearest headers present: "处罚决定日"' in message
    )
    assert '最接近的列是 "当事人名"' in message
    assert "第2行的表头是：处罚决定书文号、执法机关" in message
    assert "The headers on row 2 are: 处罚决定书文号, 执法机关" in message
    assert "Nothing was loaded" in message


# -- damage, row by row --------------------------------------------------------------------------


def test_blank_lines_anywhere_are_skipped_and_counted(ws, tmp_path) -> None:
    header, *data = csv_lines([penalty(1), penalty(2), penalty(3, 处罚决定日期="2021-13-05")])
    lines = [TITLE, "", header, "", data[0], "   ", "\t", data[1], "", "", data[2], "", ""]
    path = write_lines(tmp_path / "p.csv", lines)
    report = ingest(ws, "admin_penalties", [path])
    assert (report.loaded, report.quarantined) == (2, 1), report.format()
    assert report.problems[0].examples[0].line == 11  # the line Excel shows, blank lines counted
    assert report.layouts[0].blank_rows == 7
    accounted(report, lines_below_header=len(lines) - 3)


def test_line_numbers_count_rows_as_excel_shows_them(ws, tmp_path) -> None:
    header, first, second, third = csv_records(
        [penalty(1, 违法事实="第一行\n第二行"), penalty(2), penalty(3, 罚款金额="很多")]
    )
    # The quoted line break keeps record 1 on one Excel row; then a blank and a short line.
    path = write_lines(tmp_path / "p.csv", [header, first, second, "", "太短,的行", third])
    report = ingest(ws, "admin_penalties", [path])
    found = {(g.reason, e.line) for g in report.problems for e in g.examples}
    assert found == {("malformed_row", 5), ("bad_money", 6)}


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8"])
def test_last_character_cut_in_half_quarantines_only_that_row(ws, tmp_path, encoding) -> None:
    raw = "\n".join(csv_lines([penalty(1), penalty(2), penalty(3, 是否移送司法机关="否")]))
    data = raw.encode(encoding)[:-1]  # the last character, 否, loses its last byte
    path = tmp_path / "p.csv"
    path.write_bytes(data)
    report = ingest(ws, "admin_penalties", [path])
    assert (report.loaded, report.quarantined) == (2, 1), report.format()
    [group] = report.problems
    assert group.reason == "bad_bytes" and group.column == "整行 whole row"
    [example] = group.examples
    assert example.line == 4
    kept = "否".encode(encoding)[:-1]
    assert example.value.endswith("".join(f"\\x{b:02x}" for b in kept))  # the raw bytes
    assert example.value.startswith("绍市监罚〔2021〕3号,")
    quarantined = report.quarantine_file.read_text(encoding="utf-8-sig")
    assert "绍市监罚〔2021〕3号" in quarantined and "cannot be decoded" in quarantined
    assert case_ids(ws) == ["绍市监罚〔2021〕1号", "绍市监罚〔2021〕2号"]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8"])
def test_nul_byte_quarantines_only_its_row(ws, tmp_path, encoding) -> None:
    lines = csv_lines([penalty(1), penalty(2, 当事人名称="绍兴\x00某某公司"), penalty(3)])
    path = write_lines(tmp_path / "p.csv", lines, encoding=encoding)
    report = ingest(ws, "admin_penalties", [path])
    assert (report.loaded, report.quarantined) == (2, 1), report.format()
    [group] = report.problems
    assert (group.reason, group.examples[0].line) == ("nul_byte", 3)
    assert "绍兴\\x00某某公司" in group.examples[0].value
    assert "NUL" in report.format()


def test_file_mostly_in_another_encoding_is_refused_not_quarantined(ws, tmp_path) -> None:
    # English headers decode as UTF-8; the Chinese values of every row do not.
    english = [c.name for c in hy.contracts.dataset("admin_penalties").columns]
    lines = [",".join(english), *csv_records([penalty(n) for n in range(1, 4)])[1:]]
    path = write_lines(tmp_path / "p.csv", lines, encoding="gbk")
    with pytest.raises(IngestError) as err:
        ingest(ws, "admin_penalties", [path], encoding="utf-8")
    assert "不是 UTF-8 编码" in str(err.value) and "Nothing was loaded" in str(err.value)
    assert ingest(ws, "admin_penalties", [path]).loaded == 3


def test_file_that_is_not_a_table_refused(ws, tmp_path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(IngestError, match="Nothing was loaded"):
        ingest(ws, "admin_penalties", [path])


def test_mixed_line_endings_load(ws, tmp_path) -> None:
    header, *data = csv_lines([penalty(1), penalty(2), penalty(3)])
    path = tmp_path / "p.csv"
    path.write_bytes(f"{header}\r\n{data[0]}\n{data[1]}\r\n{data[2]}\n".encode())
    report = ingest(ws, "admin_penalties", [path])
    assert (report.loaded, report.quarantined) == (3, 0), report.format()


# -- ambiguous headers ---------------------------------------------------------------------------


def test_same_header_twice_refused_naming_both_positions(ws, tmp_path) -> None:
    path = write_lines(
        tmp_path / "d.csv",
        ["公民身份号码,姓名,死亡日期,姓名", "330602198001011237,王伟,2021-03-05,王小伟"],
    )
    with pytest.raises(IngestError) as err:
        ingest(ws, "deaths", [path])
    message = str(err.value)
    assert '表头 "姓名" 出现了两次（第 2 列（B）和第 4 列（D））' in message
    assert 'the header "姓名" appears twice (column 2 (B) and column 4 (D))' in message
    assert "Nothing was loaded" in message
    assert not ws.has_table("deaths")


def test_one_column_given_by_two_aliases_refused_naming_both(ws, tmp_path) -> None:
    path = write_sheets(
        tmp_path / "d.xlsx",
        {
            "Sheet1": [
                ["person_id", "姓名", "死亡日期", "公民身份号码"],
                ["1", "王伟", "2021-03-05", "2"],
            ]
        },
    )
    with pytest.raises(IngestError) as err:
        ingest(ws, "deaths", [path])
    message = str(err.value)
    assert '"person_id"（第 1 列（A））和 "公民身份号码"（第 4 列（D））都对应' in message
    assert 'both mean "person_id"' in message


# -- the command line ----------------------------------------------------------------------------


def test_cli_reports_header_row_and_skipped_rows(tmp_path, capsys) -> None:
    path = agency_workbook(tmp_path / "行政处罚.xlsx", rows=2)
    home = ["--home", str(tmp_path / "ws")]
    assert main(["ingest", "admin_penalties", str(path), "--header-row", "3", *home]) == 0
    out = capsys.readouterr().out
    assert "已载入 2 行，隔离 0 行" in out
    assert "表头在第3行 header found on row 3" in out
    assert "跳过数据后的合计/备注行 2 行" in out


@pytest.mark.parametrize(
    "content",
    [b"\xef\xbb\xbf" + "姓名,姓名\n王伟,王伟\n".encode(), b"\x00\x01\x02" * 1000],
    ids=["duplicate-header", "binary"],
)
def test_cli_refusals_have_no_traceback(tmp_path, capsys, content) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes(content)
    code = main(["ingest", "deaths", str(path), "--home", str(tmp_path / "ws")])
    err = capsys.readouterr().err
    assert code != 0
    assert "Nothing was loaded" in err and "d.csv" in err
    assert "Traceback" not in err


# -- the same answers whatever the block size ----------------------------------------------------


def messy_file(path: Path, encoding: str) -> Path:
    """Title row, blank lines, CRLF line ends, a NUL byte, and a last character cut in half."""
    header, *data = csv_records(
        [penalty(1), penalty(2, 当事人名称="绍兴\x00某某公司"), penalty(3), penalty(4)]
    )
    lines = [TITLE, "", header, data[0], "", "", data[1], "  ", data[2], "", data[3]]
    raw = "\r\n".join(lines).encode(encoding)
    path.write_bytes(raw[:-1])
    return path


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_block_boundaries_do_not_change_the_result(tmp_path, monkeypatch, encoding) -> None:
    from huiyan.ingest import encoding as text_encoding

    def outcome(home: str) -> tuple:
        report = ingest(hy.workspace(tmp_path / home), "admin_penalties", [path])
        examples = [(g.reason, e.line, e.value) for g in report.problems for e in g.examples]
        return report.loaded, report.quarantined, report.layouts, examples

    path = messy_file(tmp_path / "p.csv", encoding)
    whole = outcome("a")
    monkeypatch.setattr(text_encoding, "_CHUNK", 7)
    assert outcome("b") == whole
    loaded, quarantined, [layout], examples = whole
    assert (loaded, quarantined, layout.header_rows, layout.blank_rows) == (2, 2, (3,), 4)
    assert sorted((line, reason) for reason, line, _ in examples) == [
        (7, "nul_byte"),
        (11, "bad_bytes"),
    ]


def test_parquet_missing_column_refusal_lists_its_columns(ws, tmp_path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "d.parquet"
    pq.write_table(pa.table({"person_id": ["330602198001011237"], "nam": ["王伟"]}), path)
    with pytest.raises(IngestError) as err:
        ingest(ws, "deaths", [path])
    message = str(err.value)
    assert '最接近的列是 "nam"' in message and "文件的列名是：person_id、nam。" in message


def test_a_data_row_is_never_taken_for_a_second_header_row(ws, tmp_path) -> None:
    # The header lacks 姓名, and the first record's name happens to be "姓名".
    path = write_lines(
        tmp_path / "d.csv",
        [
            "公民身份号码,死亡日期,备注",
            "330602198001011237,2021-03-05,姓名",
            "11010519491231002X,2021-03-06,",
        ],
    )
    with pytest.raises(IngestError) as err:
        ingest(ws, "deaths", [path])
    assert "第1行的表头是：公民身份号码、死亡日期、备注" in str(err.value)
