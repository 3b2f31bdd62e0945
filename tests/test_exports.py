"""Agency-style exports: ingesting them back gives zero quarantine and identical tables."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import huiyan as hy
import pytest
from huiyan import contracts, identifiers
from huiyan.exports import write_exports
from huiyan.ingest import ingest

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"


def resident_id(rng: random.Random) -> str:
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000))
    first17 = f"330602{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + identifiers.resident_id_check_digit(first17)


def credit_code(rng: random.Random) -> str:
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    first17 = f"91330602{body}M"
    return first17 + identifiers.credit_code_check_digit(first17)


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def money(rng: random.Random) -> float:
    return rng.choice([round(rng.uniform(1, 500_000), 2), rng.randrange(1, 90) * 100.0, 0.5])


def build_workspace(home: Path, rows: int = 60) -> hy.Workspace:
    """A workspace with four datasets covering every column type and format."""
    rng = random.Random(3)
    ws = hy.workspace(home)
    src = home / "src"
    src.mkdir(parents=True)
    import pyarrow as pa
    import pyarrow.parquet as pq

    def write(ds: str, data: dict[str, list]) -> None:
        path = src / f"{ds}.parquet"
        pq.write_table(pa.table(data), path)
        report = ingest(ws, ds, [path])
        assert report.quarantined == 0, report.format()

    write(
        "admin_penalties",
        {
            "case_id": [f"绍市监罚〔2021〕{i}号" for i in range(rows)],
            "agency": ["绍兴市市场监督管理局"] * rows,
            "domain": [rng.choice(["市场监管", "生态环境", "交通运输"]) for _ in range(rows)],
            "region": [rng.choice(["330602", "330603", "330683"]) for _ in range(rows)],
            "party_type": [rng.choice(["自然人", "法人", "其他组织"]) for _ in range(rows)],
            "party_name": [name(rng) for _ in range(rows)],
            "party_id": [resident_id(rng) if i % 3 else None for i in range(rows)],
            "violation": ["销售不符合标准的成品油"] * rows,
            "facts": [f"当事人于2021年{i % 12 + 1}月销售非标油，共计{i}吨。" for i in range(rows)],
            "quantity": [rng.choice([1.5, 12.0, 0.25, None]) for _ in range(rows)],
            "quantity_unit": [rng.choice(["吨", "升", None]) for _ in range(rows)],
            "goods_value": [money(rng) for _ in range(rows)],
            "illegal_gain": [money(rng) if i % 2 else None for i in range(rows)],
            "fine": [money(rng) for _ in range(rows)],
            "decision_date": [dt.date(2021, 1, 1) + dt.timedelta(days=i * 5) for i in range(rows)],
            "transferred": [i % 4 == 0 for i in range(rows)],
        },
    )
    write(
        "social_security",
        {
            "person_id": [resident_id(rng) for _ in range(rows)],
            "name": [name(rng) for _ in range(rows)],
            "employer_name": ["绍兴某某汽车修理有限公司"] * rows,
            "employer_org_id": [credit_code(rng) for _ in range(rows)],
            "region": ["330602"] * rows,
            "start_month": [f"2019-{i % 12 + 1:02d}" for i in range(rows)],
            "end_month": [f"2021{i % 12 + 1:02d}" if i % 2 else None for i in range(rows)],
        },
    )
    write(
        "insurance_claims",
        {
            "claim_id": [f"RDAA2021{i:06d}" for i in range(rows)],
            "insurer": ["中国人民财产保险股份有限公司绍兴市分公司"] * rows,
            "policy_no": [f"PDAA2021{i:08d}" for i in range(rows)],
            "plate_no": [
                f"浙D{rng.randrange(10000, 99999)}" if i % 5 else f"浙DD{i:05d}"
                for i in range(rows)
            ],
            "insured_name": [name(rng) for _ in range(rows)],
            "insured_id": [resident_id(rng) for _ in range(rows)],
            "reporter_name": [name(rng) for _ in range(rows)],
            "reporter_id": [None] * rows,
            "reporter_phone": [f"1380575{i:04d}" for i in range(rows)],
            "accident_date": [dt.date(2021, 3, 1) + dt.timedelta(days=i) for i in range(rows)],
            "report_date": [dt.date(2021, 3, 2) + dt.timedelta(days=i) for i in range(rows)],
            "accident_region": ["330602"] * rows,
            "repair_shop": ["越城区某汽车修理厂"] * rows,
            "repair_shop_org_id": [credit_code(rng) for _ in range(rows)],
            "assessor": [None] * rows,
            "claimed_amount": [money(rng) for _ in range(rows)],
            "paid_amount": [money(rng) for _ in range(rows)],
        },
    )
    write(
        "judgments",
        {
            "doc_id": [f"doc{i:05d}" for i in range(rows)],
            "case_no": [f"（2021）浙0602民初{1000 + i}号" for i in range(rows)],
            "court": ["绍兴市越城区人民法院"] * rows,
            "region": ["330602"] * rows,
            "cause": ["机动车交通事故责任纠纷"] * rows,
            "doc_type": ["判决书"] * rows,
            "trial_level": ["一审"] * rows,
            "judgment_date": [dt.date(2021, 6, 1) + dt.timedelta(days=i) for i in range(rows)],
            "text": ['原告诉称，\n被告应赔偿修理费"12,000元"。\n判决如下：……'] * rows,
        },
    )
    return ws


def table_rows(ws: hy.Workspace, dataset: str) -> list[tuple]:
    return ws.con.con.execute(f'SELECT * FROM "{dataset}" ORDER BY ALL').fetchall()


# Seeds 0, 2 and 4 between them write UTF-8, UTF-8-BOM, GBK and .xlsx files.
@pytest.mark.parametrize("seed", [0, 2, 4])
def test_exports_ingest_back_identically(tmp_path: Path, seed: int) -> None:
    first = build_workspace(tmp_path / "first")
    files = write_exports(first, tmp_path / "exports", seed=seed)
    assert [f.name.split(".")[0] for f in files] == [
        "judgments",
        "social_security",
        "insurance_claims",
        "admin_penalties",
    ]
    second = hy.workspace(tmp_path / "second")
    for path in files:
        dataset = path.name.split(".")[0]
        report = ingest(second, dataset, [path])
        assert report.quarantined == 0, report.format()
        assert report.ignored_headers == ()
        assert table_rows(second, dataset) == table_rows(first, dataset)
        described = second.con.con.execute(f'DESCRIBE "{dataset}"').fetchall()
        assert described == first.con.con.execute(f'DESCRIBE "{dataset}"').fetchall()


def test_exports_look_like_agency_files(tmp_path: Path) -> None:
    ws = build_workspace(tmp_path / "ws")
    kinds, texts = set(), []
    for seed in range(6):
        for path in write_exports(ws, tmp_path / f"out{seed}", seed=seed):
            raw = path.read_bytes()
            if raw.startswith(b"PK"):
                kinds.add("xlsx")
                continue
            if raw.startswith(b"\xef\xbb\xbf"):
                kinds.add("utf-8-sig")
                texts.append(raw[3:].decode("utf-8"))
            else:
                try:
                    texts.append(raw.decode("utf-8"))
                    kinds.add("utf-8")
                except UnicodeDecodeError:
                    texts.append(raw.decode("gb18030"))
                    kinds.add("gbk")
    assert kinds == {"xlsx", "utf-8-sig", "utf-8", "gbk"}
    joined = "\n".join(texts)
    for sample in ("年", "万元", "元", "·", "，"):
        assert sample in joined, sample
    # Chinese headers, never the English column names
    assert all(not t.splitlines()[0].isascii() for t in texts)


def test_exports_are_deterministic(tmp_path: Path) -> None:
    ws = build_workspace(tmp_path / "ws", rows=20)
    a = write_exports(ws, tmp_path / "a", seed=5)
    b = write_exports(ws, tmp_path / "b", seed=5)
    csvs = [(x, y) for x, y in zip(a, b, strict=True) if x.suffix == ".csv"]
    assert csvs and all(x.read_bytes() == y.read_bytes() for x, y in csvs)


@pytest.mark.slow
def test_synthesised_province_round_trips_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """huiyan synth --export, then huiyan ingest of every file: nothing quarantined, same tables."""
    from huiyan.cli import main
    from huiyan.judgments.store import TABLES as DERIVED

    src, dst, out = tmp_path / "synth", tmp_path / "ingested", tmp_path / "exports"
    monkeypatch.setenv("HUIYAN_HOME", str(src))  # main() sets both; monkeypatch restores them
    monkeypatch.setenv("HUIYAN_QUIET", "1")
    synth_argv = ["synth", "--scale", "tiny", "--export", str(out), "--home", str(src)]
    assert main(synth_argv) == 0
    files = sorted(out.iterdir())
    assert sorted(f.stem for f in files) == sorted(contracts.names())
    raw = [f.read_bytes() for f in files]
    assert any(b.startswith(b"PK") for b in raw)  # Excel
    assert any(b.startswith(b"\xef\xbb\xbf") for b in raw)  # UTF-8 with BOM
    assert any(_gbk_only(b) for b in raw)  # GBK
    capsys.readouterr()
    for path in files:
        assert main(["ingest", path.stem, str(path), "--home", str(dst)]) == 0
        printed = capsys.readouterr().out
        assert "隔离 0 行" in printed and "0 rows quarantined" in printed, printed
    assert not list(dst.glob("quarantine/*"))
    first, second = hy.workspace(src), hy.workspace(dst)
    try:
        for name in (*contracts.names(), *DERIVED):
            assert sorted_rows(second, name) == sorted_rows(first, name), name
    finally:
        first.close()
        second.close()


def sorted_rows(ws: hy.Workspace, name: str) -> tuple[list[tuple], list[tuple]]:
    """A table's columns with their types, and its rows sorted by key (then every column)."""
    con = ws.con.con
    described = con.execute(f'DESCRIBE "{name}"').fetchall()
    columns = [d[0] for d in described]
    key = list(contracts.dataset(name).key) if name in contracts.names() else ["doc_id"]
    order = ", ".join(f'"{c}"' for c in [*key, *(c for c in columns if c not in key)])
    rows = con.execute(f'SELECT * FROM "{name}" ORDER BY {order}').fetchall()
    assert rows, f"{name} is empty"
    return [d[:2] for d in described], rows


def _gbk_only(raw: bytes) -> bool:
    """True for a CSV in GBK (GB 18030): not a workbook, not UTF-8, but GB 18030 reads it."""
    if raw.startswith(b"PK"):
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raw.decode("gb18030")
        return True
    return False
