"""Resident IDs, credit codes, regions, plates and case numbers, in Python and in the database."""

from __future__ import annotations

import ibis
import pytest
from huiyan import identifiers as ids

VALID_IDS = ["11010519491231002X", "330602198001011237"]


def test_known_resident_ids() -> None:
    assert ids.is_resident_id("11010519491231002X")
    assert not ids.is_resident_id("110105194912310021")  # wrong check digit
    assert not ids.is_resident_id("11010519491231002x")  # lower-case is normalised by ingest first
    assert not ids.is_resident_id("1101051949123100")


def test_resident_id_check_digit_is_computed() -> None:
    body = "33060219800101123"
    assert ids.is_resident_id(body + ids.resident_id_check_digit(body))


@pytest.mark.parametrize(
    "code, ok",
    [
        ("91350100M000100Y43", True),  # a published example with a valid check character
        ("91350100M000100Y44", False),
        ("91350100M000100Y4", False),
        ("91350100M0001I0Y43", False),  # I is not in the GB 32100 alphabet
    ],
    ids=["valid", "bad-check", "short", "bad-alphabet"],
)
def test_credit_codes(code: str, ok: bool) -> None:
    assert ids.is_credit_code(code) is ok


def test_database_checks_agree_with_python() -> None:
    body = "91330602MA2B3C4D5"
    good_code = body + ids.credit_code_check_digit(body)
    values = [*VALID_IDS, "330602198001011230", good_code, good_code[:-1] + "0", "abc", None]
    t = ibis.memtable({"v": values})
    got = ibis.duckdb.connect().execute(
        t.select(t.v, r=ids.resident_id_is_valid(t.v), c=ids.credit_code_is_valid(t.v))
    )
    for value, r, c in zip(got.v, got.r, got.c, strict=True):
        if not isinstance(value, str):
            assert not r and not c
            continue
        assert r == ids.is_resident_id(value), value
        assert c == ids.is_credit_code(value), value


@pytest.mark.parametrize(
    "raw, plate",
    [
        ("浙D·12345", "浙D12345"),
        ("浙Ｄ１２３４５", "浙D12345"),
        ("浙d 12345", "浙D12345"),
        ("浙AD12345", "浙AD12345"),
    ],
    ids=["dot", "full-width", "lower-and-space", "new-energy"],
)
def test_plates_are_normalised(raw: str, plate: str) -> None:
    assert ids.normalise_plate(raw) == plate
    assert ids.is_plate(plate)


@pytest.mark.parametrize(
    "raw, case_no",
    [
        ("(2021)浙0602民初1234号", "（2021）浙0602民初1234号"),
        ("（2021）浙0602民初1234号", "（2021）浙0602民初1234号"),
        ("（2015）浙绍商终字第19号", "（2015）浙绍商终字第19号"),
        ("（ 2018 ）赣0728民初1608号", "（2018）赣0728民初1608号"),
    ],
    ids=["half-width", "full-width", "old-style", "spaces"],
)
def test_case_numbers(raw: str, case_no: str) -> None:
    assert ids.normalise_case_no(raw) == case_no
    assert ids.is_case_no(case_no)


def test_regions() -> None:
    assert ids.is_region("330602")
    assert not ids.is_region("990602")
    assert not ids.is_region("33060")
