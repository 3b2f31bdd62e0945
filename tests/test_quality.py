"""The data-quality gate: suites on disk, clean data passes, each kind of broken data is caught."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import huiyan
import huiyan.writer
import pytest
from huiyan import contracts, identifiers, quality
from huiyan.errors import ValidationFailed, WorkspaceError
from huiyan.ingest import create_table_sql
from huiyan.quality import suites
from huiyan.workspace import Workspace


def rid(n: int) -> str:
    body = f"330602{1970 + n % 30}0101{n % 1000:03d}"
    return body + identifiers.resident_id_check_digit(body)


def code(n: int) -> str:
    body = f"91330602MA{n:07d}"
    return body + identifiers.credit_code_check_digit(body)


def sql_value(v: object) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, date):
        return f"DATE '{v.isoformat()}'"
    return "'" + str(v).replace("'", "''") + "'"


def insert(con, table: str, rows: list[dict]) -> None:
    cols = list(rows[0])
    values = ", ".join("(" + ", ".join(sql_value(r[c]) for c in cols) + ")" for r in rows)
    con.execute(f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES {values}')


def clean_rows() -> dict[str, list[dict]]:
    vehicles = [
        {
            "plate_no": f"浙D{10000 + i}",
            "owner_name": f"车主{i}",
            "owner_id": rid(i),
            "vin": None,
            "vehicle_type": "小型轿车",
            "region": "330602",
        }
        for i in range(20)
    ]
    enterprises = [
        {
            "org_id": code(i),
            "name": f"企业{i}",
            "legal_rep_name": f"法人{i}",
            "legal_rep_id": rid(i),
            "industry": "制造业",
            "region": "330602",
            "established_date": date(2010, 1, 1) + timedelta(days=i),
            "status": "存续",
        }
        for i in range(10)
    ]
    social = [
        {
            "person_id": rid(i),
            "name": f"职工{i}",
            "employer_name": "企业1",
            "employer_org_id": code(1),
            "region": "330602",
            "start_month": date(2018, 1 + i % 12, 1),
            "end_month": date(2021, 1 + i % 12, 1),
        }
        for i in range(15)
    ]
    auctions = []
    for i in range(6):
        auctions.append(
            {
                "auction_id": f"A{i}-1",
                "court": "越城区人民法院",
                "region": "330602",
                "case_no": f"（2021）浙0602执{100 + i}号",
                "item_type": "不动产",
                "item_desc": "住宅",
                "round": "一拍",
                "previous_auction_id": None,
                "appraisal_value": 1_000_000.0,
                "reserve_basis": "评估",
                "start_price": 700_000.0,
                "deposit": 300_000.0 if i == 0 else 70_000.0,  # a planted AUC-DEPOSIT-RANGE finding
                "announce_date": date(2021, 3, 1),
                "start_date": date(2021, 4, 1),
                "end_date": date(2021, 4, 2),
                "status": "流拍",
                "bidders": 0,
                "deal_price": None,
                "buyer_name": None,
                "buyer_id": None,
                "executed_party_name": f"被执行人{i}",
                "executed_party_id": rid(i),
                "payment_date": None,
            }
        )
        auctions.append(
            {
                **auctions[-1],
                "auction_id": f"A{i}-2",
                "round": "二拍",
                "previous_auction_id": f"A{i}-1",
                "start_price": 560_000.0,
                "deposit": 56_000.0,
                "announce_date": date(2021, 4, 10),
                "start_date": date(2021, 4, 26),
                "end_date": date(2021, 4, 27),
                "status": "成交",
                "bidders": 3,
                "deal_price": 600_000.0,
                "buyer_name": "买受人",
                "payment_date": date(2021, 5, 20),
            }
        )
    forest = [
        {
            "payment_id": f"P{i}",
            "year": 2021,
            "region": "330602",
            "village": "村一",
            "recipient_name": f"林农{i}",
            "recipient_id": rid(i),
            "cert_no": f"C{i % 5}",
            "area_mu": 10.0 + i,
            "rate": 31.0,
            "amount": round((10.0 + i) * 31.0, 2),
            "account_no": None,
            "paid_date": date(2021, 12, 1),
        }
        for i in range(10)
    ]
    forest.append({**forest[0], "payment_id": "P-dup"})  # a planted FOR-DUPLICATE finding
    return {
        "vehicles": vehicles,
        "enterprises": enterprises,
        "social_security": social,
        "judicial_auctions": auctions,
        "forest_subsidies": forest,
    }


@pytest.fixture(scope="module")
def clean_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("clean")
    with huiyan.writer.writing(home, "fixture") as w:
        for name, rows in clean_rows().items():
            w.con.execute(create_table_sql(name))
            insert(w.con, name, rows)
    return home / "datasets" / "huiyan.duckdb"


@pytest.fixture
def fresh(clean_db: Path, tmp_path: Path) -> Workspace:
    """A workspace holding its own copy of the clean tables."""
    (tmp_path / "datasets").mkdir()
    shutil.copy(clean_db, tmp_path / "datasets" / "huiyan.duckdb")
    ws = huiyan.workspace(tmp_path, write=True)
    yield ws
    ws.close()


def write_sql(ws: Workspace, sql: str) -> None:
    """Change the workspace's data as an outside program would (then readers see it)."""
    with ws.writing("test", tables=None) as w:
        w.con.execute(sql)


# -- suites on disk -----------------------------------------------------------------------------


def test_every_dataset_in_the_contract_has_a_suite() -> None:
    missing = [n for n in contracts.names() if not suites.suite_path(n).exists()]
    assert missing == []


@pytest.mark.parametrize("dataset", contracts.names())
def test_committed_suite_equals_what_the_generator_makes(dataset: str) -> None:
    on_disk = suites.suite_path(dataset).read_text(encoding="utf-8")
    assert on_disk == suites.render(suites.build(dataset)), (
        f"expectations/{dataset}.json is stale: run python -m huiyan.quality"
    )


def test_every_expectation_says_in_chinese_what_it_protects() -> None:
    for name in contracts.names():
        for exp in suites.load(name)["expectations"]:
            assert exp["meta"]["zh"] and exp["meta"]["severity"] in ("error", "warning"), exp


def test_amount_mismatch_is_only_a_warning_because_it_is_a_model_rule() -> None:
    exps = suites.load("forest_subsidies")["expectations"]
    amount = [e for e in exps if "area_mu * rate" in str(e["kwargs"])]
    assert [e["meta"]["severity"] for e in amount] == ["warning"]


def test_a_new_contract_column_appears_in_the_regenerated_suite(monkeypatch, tmp_path) -> None:
    ds = contracts.dataset("deaths")
    extra = contracts.Column(name="cause", type="string", required=True, zh="死因")
    monkeypatch.setattr(
        contracts,
        "dataset",
        lambda name: type(ds)(
            name=ds.name, zh=ds.zh, source=ds.source, key=ds.key, columns=(*ds.columns, extra)
        ),
    )
    (path,) = suites.write_suites(["deaths"], directory=tmp_path)
    written = json.loads(path.read_text(encoding="utf-8"))["expectations"]
    assert {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "cause"}} in [
        {"type": e["type"], "kwargs": e["kwargs"]} for e in written
    ]
    assert any(e["meta"]["source"] == "custom" for e in written)  # hand-written part survives


def test_suites_load_into_great_expectations() -> None:
    import great_expectations as gx
    from huiyan.quality import _gx

    _gx.context()  # registers the check-digit expectations
    for name in ("social_security", "judicial_auctions"):
        suite = gx.ExpectationSuite(**suites.load(name))
        assert len(suite.expectations) == len(suites.load(name)["expectations"])


# -- clean and broken data ----------------------------------------------------------------------

NAMES = ["vehicles", "enterprises", "social_security", "judicial_auctions", "forest_subsidies"]


def test_clean_workspace_passes_every_suite_despite_planted_findings(fresh: Workspace) -> None:
    report = quality.validate(fresh, NAMES, use_cache=False)
    assert report.ok, report.format()
    assert [d.dataset for d in report.datasets] == NAMES
    assert all(d.errors == () for d in report.datasets)
    assert report["vehicles"].rows == 20


def failure(report: quality.QualityReport, dataset: str, expectation: str, column: str):
    found = [
        f for f in report[dataset].failures if f.expectation == expectation and f.column == column
    ]
    assert len(found) == 1, report.format()
    return found[0]


def test_bad_check_digit_is_named_with_count_and_keys(fresh: Workspace) -> None:
    good = rid(3)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    write_sql(fresh, f"UPDATE social_security SET person_id = '{bad}' WHERE person_id = '{good}'")
    report = quality.validate(fresh, ["social_security"])
    f = failure(report, "social_security", suites.RESIDENT_ID_CHECK, "person_id")
    assert (f.severity, f.count) == ("error", 1)
    assert f.examples[0].key.startswith(bad + "|" + code(1))
    assert "校验位" in f.zh
    assert not report.ok


def test_bad_credit_code_check_digit(fresh: Workspace) -> None:
    good = code(4)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    write_sql(fresh, f"UPDATE enterprises SET org_id = '{bad}' WHERE org_id = '{good}'")
    f = failure(
        quality.validate(fresh, ["enterprises"]), "enterprises", suites.CREDIT_CODE_CHECK, "org_id"
    )
    assert f.count == 1 and f.examples[0].key == bad


def test_null_required_value(fresh: Workspace) -> None:
    write_sql(
        fresh, "UPDATE vehicles SET owner_name = NULL WHERE plate_no IN ('浙D10001', '浙D10002')"
    )
    write_sql(fresh, "UPDATE vehicles SET owner_name = '' WHERE plate_no = '浙D10003'")
    f = failure(
        quality.validate(fresh, ["vehicles"]),
        "vehicles",
        "expect_column_values_to_not_be_null",
        "owner_name",
    )
    assert f.count == 3
    assert sorted(e.key for e in f.examples) == ["浙D10001", "浙D10002", "浙D10003"]
    assert "必填" in f.zh


def test_duplicate_key(fresh: Workspace) -> None:
    write_sql(fresh, "INSERT INTO vehicles SELECT * FROM vehicles WHERE plate_no = '浙D10005'")
    f = failure(
        quality.validate(fresh, ["vehicles"]),
        "vehicles",
        "expect_column_values_to_be_unique",
        "plate_no",
    )
    assert f.count == 2 and f.examples[0].key == "浙D10005"


def test_duplicate_compound_key(fresh: Workspace) -> None:
    write_sql(
        fresh,
        f"INSERT INTO social_security SELECT * FROM social_security WHERE person_id = '{rid(2)}'",
    )
    f = failure(
        quality.validate(fresh, ["social_security"]),
        "social_security",
        "expect_compound_columns_to_be_unique",
        "person_id, employer_org_id, start_month",
    )
    assert f.count == 2 and f.examples[0].key.startswith(rid(2))


def test_negative_money(fresh: Workspace) -> None:
    write_sql(fresh, "UPDATE judicial_auctions SET start_price = -5 WHERE auction_id = 'A2-1'")
    report = quality.validate(fresh, ["judicial_auctions"])
    f = failure(report, "judicial_auctions", "expect_column_values_to_be_between", "start_price")
    assert f.count == 1 and f.examples[0].format() == "A2-1 → start_price=-5"
    assert "负数" in f.zh


def test_future_judgment_like_date(fresh: Workspace) -> None:
    future = date.today() + timedelta(days=30)
    write_sql(
        fresh,
        f"UPDATE judicial_auctions SET announce_date = DATE '{future}', "
        f"start_date = DATE '{future}' + 20, end_date = DATE '{future}' + 21 "
        "WHERE auction_id = 'A1-2'",
    )
    report = quality.validate(fresh, ["judicial_auctions"])
    f = failure(report, "judicial_auctions", "expect_column_values_to_be_between", "announce_date")
    assert f.count == 1 and f.examples[0].key == "A1-2" and "今天" in f.zh


def test_unknown_allowed_value(fresh: Workspace) -> None:
    write_sql(fresh, "UPDATE judicial_auctions SET round = '三拍' WHERE auction_id = 'A3-2'")
    f = failure(
        quality.validate(fresh, ["judicial_auctions"]),
        "judicial_auctions",
        "expect_column_values_to_be_in_set",
        "round",
    )
    assert f.count == 1 and f.examples[0].format() == "A3-2 → round=三拍"


def test_reauction_start_price_above_previous_round(fresh: Workspace) -> None:
    write_sql(fresh, "UPDATE judicial_auctions SET start_price = 900000 WHERE auction_id = 'A4-2'")
    report = quality.validate(fresh, ["judicial_auctions"])
    (f,) = [f for f in report["judicial_auctions"].errors if "前一轮" in f.zh]
    assert f.count == 1 and f.examples[0].key == "A4-2"


def test_end_month_before_start_month(fresh: Workspace) -> None:
    write_sql(
        fresh,
        f"UPDATE social_security SET end_month = DATE '2010-01-01' WHERE person_id = '{rid(5)}'",
    )
    f = failure(
        quality.validate(fresh, ["social_security"]),
        "social_security",
        "expect_column_pair_values_a_to_be_greater_than_b",
        "end_month, start_month",
    )
    assert f.count == 1 and "end_month=2010-01-01" in f.examples[0].format()


def test_warnings_are_listed_but_do_not_stop_require(fresh: Workspace) -> None:
    write_sql(fresh, "UPDATE forest_subsidies SET amount = amount + 50 WHERE payment_id = 'P3'")
    report = quality.require(fresh, ["forest_subsidies"])
    (w,) = report["forest_subsidies"].warnings
    assert w.count == 1 and w.examples[0].key == "P3" and "FOR-AMOUNT-MISMATCH" in w.zh
    assert report.ok and "警告" in report.format()


def test_require_stops_with_a_readable_bilingual_message(fresh: Workspace) -> None:
    write_sql(fresh, "UPDATE vehicles SET region = '990602' WHERE plate_no = '浙D10007'")
    with pytest.raises(ValidationFailed, match="行政区划代码") as caught:
        quality.require(fresh, ["vehicles"])
    message = str(caught.value)
    assert "浙D10007" in message and "Data quality failed" in message
    assert caught.value.report.ok is False


def test_named_dataset_missing_from_workspace_is_an_error(fresh: Workspace) -> None:
    with pytest.raises(WorkspaceError, match="deaths"):
        quality.validate(fresh, ["deaths"])


def test_without_names_missing_datasets_are_skipped_with_a_note(fresh: Workspace) -> None:
    report = quality.validate(fresh, html_dir=fresh.home / "html")
    assert "deaths" in report.skipped and "跳过" in report.format()
    html = (fresh.home / "html" / "quality_report.html").read_text(encoding="utf-8")
    assert "数据质量校验报告" in html and "机动车登记信息" in html


# -- cache ----------------------------------------------------------------------------------------


def test_cache_skips_an_unchanged_dataset_and_revalidates_a_changed_one(fresh: Workspace) -> None:
    today = date.today()  # one date, so a run across midnight still finds its cache
    first = quality.validate(fresh, ["vehicles", "enterprises"], today=today)
    assert not any(d.cached for d in first.datasets)
    assert (fresh.home / "datasets" / "validation_cache.json").exists()
    fp = quality.fingerprint(fresh, "vehicles")
    write_sql(fresh, "UPDATE vehicles SET owner_name = NULL WHERE plate_no = '浙D10009'")
    assert quality.fingerprint(fresh, "vehicles") != fp
    second = quality.validate(fresh, ["vehicles", "enterprises"], today=today)
    assert second["enterprises"].cached and not second["vehicles"].cached
    assert not second.ok
    assert quality.validate(fresh, ["vehicles"], today=today)[
        "vehicles"
    ].cached  # failures are cached too
    assert not quality.validate(fresh, ["vehicles"], use_cache=False, today=today)[
        "vehicles"
    ].cached
    # date checks ("no date in the future") are judged again on a new day
    tomorrow = today + timedelta(days=1)
    assert not quality.validate(fresh, ["vehicles"], today=tomorrow)["vehicles"].cached


# -- command line ---------------------------------------------------------------------------------


def test_cli_prints_each_failure_and_exits_1(fresh: Workspace, capsys) -> None:
    from huiyan.cli import main

    write_sql(fresh, "UPDATE vehicles SET plate_no = 'XX1' WHERE plate_no = '浙D10000'")
    fresh.close()
    assert (
        main(["--home", str(fresh.home), "validate", "vehicles", "--html", str(fresh.home / "h")])
        == 1
    )
    out = capsys.readouterr().out
    assert "机动车登记信息 vehicles: 20 行 rows" in out and "XX1" in out
    assert (fresh.home / "h" / "quality_report.html").exists()
    assert main(["--home", str(fresh.home), "validate", "enterprises"]) == 0


def test_cli_named_dataset_not_in_workspace_fails(fresh: Workspace, capsys) -> None:
    from huiyan.cli import main

    fresh.close()
    assert main(["--home", str(fresh.home), "validate", "deaths"]) == 2
    assert "deaths" in capsys.readouterr().err


# -- the synthetic province and notebooks -------------------------------------------------------


@pytest.mark.slow
def test_synthetic_province_with_planted_violations_passes_the_gate(
    tiny_workspace: Workspace,
) -> None:
    report = quality.require(
        tiny_workspace,
        [n for n in contracts.names() if tiny_workspace.has_table(n)],
        use_cache=False,
    )
    assert report.ok


@pytest.mark.slow
def test_require_stops_a_papermill_notebook_with_the_readable_message(
    fresh: Workspace, tmp_path
) -> None:
    import nbformat
    import papermill

    write_sql(fresh, "UPDATE vehicles SET region = '99' WHERE plate_no = '浙D10004'")
    fresh.close()
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import huiyan as hy"),
        nbformat.v4.new_code_cell('hy.quality.require(hy.workspace(), ["vehicles"])'),
    ]
    src = tmp_path / "gate.ipynb"
    nbformat.write(nb, src)
    env_home = str(fresh.home)
    import os

    old = os.environ.get("HUIYAN_HOME")
    os.environ["HUIYAN_HOME"] = env_home  # the kernel inherits the environment
    try:
        with pytest.raises(papermill.PapermillExecutionError) as caught:
            papermill.execute_notebook(
                str(src),
                str(tmp_path / "out.ipynb"),
                kernel_name="python3",
                progress_bar=False,
                cwd=str(tmp_path),
            )
    finally:
        if old is None:
            os.environ.pop("HUIYAN_HOME", None)
        else:
            os.environ["HUIYAN_HOME"] = old
    text = str(caught.value)
    assert "ValidationFailed" in text
    assert "必须是6位行政区划代码" in text and "浙D10004" in text
