"""Identifiers that tie records together: resident IDs, credit codes, regions, plates, case numbers.

Each has a Python check for single values and, where datasets are checked in
bulk, an ibis expression so the check runs inside the database (DuckDB or
Spark) rather than row by row in Python.

Example:
    >>> resident_id_check_digit("11010519491231002")
    'X'
    >>> is_resident_id("11010519491231002x")
    False
    >>> is_resident_id("11010519491231002X")
    True
    >>> normalise_plate("浙D·12345")
    '浙D12345'
    >>> normalise_case_no("(2021)浙0602民初1234号")
    '（2021）浙0602民初1234号'
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ibis.expr.types as ir

RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)
PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

RESIDENT_ID_RE = re.compile(r"^\d{17}[\dX]$")
CREDIT_CODE_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
REGION_RE = re.compile(r"^\d{6}$")
PLATE_RE = re.compile(rf"^[{PLATE_PROVINCES}][A-Z][A-Z0-9]{{5,6}}$")
CASE_NO_RE = re.compile(r"^（(?:19|20)\d{2}）[^（）\s]{1,20}?\d+号$")


def to_halfwidth(text: str) -> str:
    """Full-width letters, digits and punctuation to their ASCII forms (NFKC).

    >>> to_halfwidth("浙Ｄ１２３４５")
    '浙D12345'
    """
    return unicodedata.normalize("NFKC", text)


# -- resident IDs (GB 11643-1999) --------------------------------------------------------------


def resident_id_check_digit(first17: str) -> str:
    """The check character for the first 17 digits of a resident ID."""
    total = sum(int(d) * w for d, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK[total % 11]


def is_resident_id(value: str) -> bool:
    """True for an 18-character resident ID with a valid check digit (upper-case X)."""
    return bool(RESIDENT_ID_RE.match(value)) and resident_id_check_digit(value[:17]) == value[17]


def resident_id_is_valid(col: ir.StringValue) -> ir.BooleanValue:
    """ibis: the column holds a resident ID with a valid check digit (runs in the database)."""
    import ibis

    digits = [col.substr(i, 1).cast("int64") * w for i, w in enumerate(RESIDENT_ID_WEIGHTS)]
    total = sum(digits[1:], digits[0])
    expected = ibis.literal(RESIDENT_ID_CHECK).substr(total % 11, 1)
    shape = col.re_search(r"^[0-9]{17}[0-9X]$")
    # Only compute the digits where the shape is right: casts of letters would fail.
    return ibis.ifelse(shape, col.substr(17, 1) == expected, False)


# -- unified social credit codes (GB 32100-2015) -----------------------------------------------


def credit_code_check_digit(first17: str) -> str:
    """The check character for the first 17 characters of a credit code."""
    total = sum(
        CREDIT_CODE_CHARS.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def is_credit_code(value: str) -> bool:
    """True for an 18-character unified social credit code with a valid check character."""
    return bool(CREDIT_CODE_RE.match(value)) and credit_code_check_digit(value[:17]) == value[17]


def credit_code_is_valid(col: ir.StringValue) -> ir.BooleanValue:
    """ibis: the column holds a credit code with a valid check character."""
    import ibis

    chars = ibis.literal(CREDIT_CODE_CHARS)
    terms = [chars.find(col.substr(i, 1)) * w for i, w in enumerate(CREDIT_CODE_WEIGHTS)]
    total = sum(terms[1:], terms[0])
    expected = chars.substr((31 - total % 31) % 31, 1)
    shape = col.re_search(CREDIT_CODE_RE.pattern)
    return ibis.ifelse(shape, col.substr(17, 1) == expected, False)


# -- regions (GB/T 2260) -----------------------------------------------------------------------


def is_region(value: str) -> bool:
    """True for a 6-digit division code whose first two digits are a province."""
    return bool(REGION_RE.match(value)) and value[:2] in PROVINCE_CODES


def region_is_valid(col: ir.StringValue) -> ir.BooleanValue:
    """ibis: the column holds a 6-digit code with a real province prefix."""
    return col.re_search(r"^[0-9]{6}$") & col.substr(0, 2).isin(sorted(PROVINCE_CODES))


# -- plates ------------------------------------------------------------------------------------

_PLATE_NOISE = re.compile(r"[\s·•．.\-]")


def normalise_plate(value: str) -> str:
    """Plate number without dots or spaces, half-width, upper-case: 浙D·12345 -> 浙D12345."""
    return _PLATE_NOISE.sub("", to_halfwidth(value)).upper()


def is_plate(value: str) -> bool:
    """True for a normalised plate: province, letter, 5 characters (6 for new energy)."""
    return bool(PLATE_RE.match(value))


# -- case numbers ------------------------------------------------------------------------------


def normalise_case_no(value: str) -> str:
    """Case number with full-width brackets and no spaces: (2021)浙0602民初1234号 -> （2021）…"""
    text = re.sub(r"\s+", "", value)
    text = text.replace("(", "（").replace(")", "）").replace("〔", "（").replace("〕", "）")
    text = text.replace("[", "（").replace("]", "）")
    # Digits inside the number may arrive full-width; brackets must stay full-width.
    return re.sub(r"[０-９]", lambda m: to_halfwidth(m.group()), text)


def is_case_no(value: str) -> bool:
    """True for a normalised case number, current (（2021）浙0602民初1234号) or old (…字第19号)."""
    return bool(CASE_NO_RE.match(value))


# -- DuckDB SQL versions, for checks over a whole staging table during ingest --------------------
#
# Each takes a SQL expression (usually a quoted column name) and returns a SQL expression, so
# ingest can normalise and check a million rows inside DuckDB instead of looping in Python.

_FULLWIDTH = "".join(chr(0xFF01 + i) for i in range(94)) + "\u3000"
_HALFWIDTH = "".join(chr(0x21 + i) for i in range(94)) + " "


def sql_literal(text: str) -> str:
    """A SQL string literal for ``text`` (single quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


def sql_halfwidth(expr: str) -> str:
    """SQL: full-width ASCII letters, digits, punctuation and spaces to half-width."""
    # translate() with 95 pairs is slow (~10 s per million values); most values have
    # no full-width character at all, so test for one first.
    return (
        f"(CASE WHEN regexp_matches({expr}, '[\\x{{FF01}}-\\x{{FF5E}}\\x{{3000}}]') "
        f"THEN translate({expr}, {sql_literal(_FULLWIDTH)}, {sql_literal(_HALFWIDTH)}) "
        f"ELSE {expr} END)"
    )


def sql_normalise_plate(expr: str) -> str:
    """SQL version of :func:`normalise_plate`."""
    return f"upper(regexp_replace({sql_halfwidth(expr)}, '[\\s·•．.\\-]', '', 'g'))"


def sql_normalise_case_no(expr: str) -> str:
    """SQL version of :func:`normalise_case_no`: full-width brackets, half-width digits."""
    digits = "".join(chr(0xFF10 + i) for i in range(10))
    return (
        f"translate(regexp_replace({expr}, '\\s+', '', 'g'), "
        f"{sql_literal('()〔〕[]' + digits)}, {sql_literal('（）（）（）0123456789')})"
    )


def sql_is_resident_id(expr: str) -> str:
    """SQL: ``expr`` (already upper-case) is a resident ID with a valid check digit."""
    terms = " + ".join(
        f"TRY_CAST(substr({expr}, {i + 1}, 1) AS INTEGER) * {w}"
        for i, w in enumerate(RESIDENT_ID_WEIGHTS)
    )
    return (
        f"(CASE WHEN regexp_full_match({expr}, '[0-9]{{17}}[0-9X]') "
        f"THEN substr('{RESIDENT_ID_CHECK}', (({terms}) % 11) + 1, 1) = substr({expr}, 18, 1) "
        "ELSE false END)"
    )


def sql_is_credit_code(expr: str) -> str:
    """SQL: ``expr`` (already upper-case) is a credit code with a valid check character."""
    terms = " + ".join(
        f"(strpos('{CREDIT_CODE_CHARS}', substr({expr}, {i + 1}, 1)) - 1) * {w}"
        for i, w in enumerate(CREDIT_CODE_WEIGHTS)
    )
    return (
        f"(CASE WHEN regexp_full_match({expr}, '{CREDIT_CODE_RE.pattern[1:-1]}') "
        f"THEN substr('{CREDIT_CODE_CHARS}', ((31 - ({terms}) % 31) % 31) + 1, 1) "
        f"= substr({expr}, 18, 1) ELSE false END)"
    )


def sql_is_region(expr: str) -> str:
    """SQL: ``expr`` is a 6-digit division code with a real province prefix."""
    provinces = ", ".join(f"'{p}'" for p in sorted(PROVINCE_CODES))
    return (
        # list_contains, not IN: DuckDB plans a long IN list as a join over every column.
        f"(regexp_full_match({expr}, '[0-9]{{6}}') AND list_contains([{provinces}], substr({expr}, 1, 2)))"
    )


def sql_is_plate(expr: str) -> str:
    """SQL: ``expr`` (normalised) is a plate number."""
    return f"regexp_full_match({expr}, '{PLATE_RE.pattern[1:-1]}')"


def sql_is_case_no(expr: str) -> str:
    """SQL: ``expr`` (normalised) is a case number."""
    return f"regexp_full_match({expr}, '{CASE_NO_RE.pattern[1:-1]}')"
