"""Per-cell normalisation and checks, as DuckDB SQL over an all-VARCHAR staging table.

For each contract column the staging table holds the raw text. Four layers of
SQL turn it into the stored value and a reason code:

    s  the text, trimmed (spaces, tabs, full-width spaces); empty -> NULL (missing)
    p  the text prepared for its type (half-width digits, no thousands separators, ...)
    v  the typed value (DATE, DOUBLE, BIGINT, BOOLEAN, VARCHAR); NULL when unreadable
    r  a reason code from :data:`REASONS` when the cell breaks the contract, else NULL

A row whose cells all have a NULL reason is loaded; any other row is quarantined.
Nothing here loops over rows in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from huiyan import identifiers as ids
from huiyan.contracts import Column
from huiyan.ingest.schema import SQL_TYPES

_BLANKS = " \t\r\n\u3000\u00a0\ufeff"

_DATE_RE = (
    r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?"
    r"(?:[ T]+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
)
_MONTH_RE = r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*月?"
_DECIMAL_RE = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"


@dataclass(frozen=True)
class Reason:
    """Why a row was quarantined, in both languages."""

    code: str
    zh: str
    en: str


REASONS: dict[str, Reason] = {
    r.code: r
    for r in (
        Reason("missing", "必填值为空", "a required value is missing"),
        Reason("bad_date", "不是有效日期", "not a valid date"),
        Reason("bad_month", "不是有效年月", "not a valid month"),
        Reason("bad_money", "不是有效金额", "not a valid amount of money"),
        Reason("bad_number", "不是有效数字", "not a valid number"),
        Reason("bad_int", "不是整数", "not a whole number"),
        Reason("bad_bool", "不是有效的是/否值", "not a valid yes/no value"),
        Reason("bad_resident_id", "身份证号格式或校验位错误", "not a valid resident ID"),
        Reason("bad_credit_code", "统一社会信用代码格式或校验位错误", "not a valid credit code"),
        Reason("bad_region", "不是有效的行政区划代码", "not a valid region code"),
        Reason("bad_case_no", "不是有效案号", "not a valid case number"),
        Reason("bad_plate", "不是有效号牌号码", "not a valid plate number"),
        Reason("not_allowed", "不在允许的取值范围内", "not one of the allowed values"),
        Reason(
            "duplicate_key",
            "本次导入中键重复（所有重复行均未载入）",
            "duplicate key within this ingest (every copy quarantined)",
        ),
        Reason(
            "key_exists",
            "该键已在数据集中（保留原有行）",
            "key already in the dataset (the stored row was kept)",
        ),
        Reason(
            "malformed_row",
            "该行无法读取（列数不对或引号不匹配）",
            "the row cannot be read (wrong number of fields or unbalanced quotes)",
        ),
        Reason(
            "bad_bytes",
            "该行含有无法解码的字节（字符被截断或文件损坏），原始字节见隔离文件",
            "the line holds bytes that cannot be decoded (a character cut off, or damage); "
            "its raw bytes are in the quarantine file",
        ),
        Reason(
            "nul_byte",
            "该行含有空字节（NUL），原始字节见隔离文件",
            "the line holds a NUL byte; its raw bytes are in the quarantine file",
        ),
    )
}

_EXPECTED = {
    "date": "2021-03-05, 2021/3/5, 20210305, 2021年3月5日",
    "month": "2021-03, 202103, 2021年3月",
    "money": "12345.67, 12,345.67, 12345.67元, 1.5万元",
    "number": "12.5",
    "int": "12",
    "bool": "是/否, true/false, 1/0, Y/N",
    "resident_id": "18 位身份证号且校验位正确 18-character resident ID with a valid check digit",
    "credit_code": "18 位统一社会信用代码且校验位正确 18-character credit code with a valid check character",
    "region": "6 位行政区划代码 6-digit region code, e.g. 330602",
    "case_no": "（2021）浙0602民初1234号",
    "plate": "浙D12345 / 浙AD12345",
}


_WHOLE_LINE = {
    "bad_bytes": "完整的 UTF-8 或 GBK 文本 whole UTF-8 or GBK text",
    "nul_byte": "不含空字节的文本 text without NUL bytes",
}


def expected(reason: str, column: Column | None) -> str:
    """What a valid value looks like, for the report and the quarantine file."""
    if reason == "missing":
        return "非空值 a value"
    if reason in _WHOLE_LINE:
        return _WHOLE_LINE[reason]
    if reason == "not_allowed" and column is not None:
        return "、".join(column.allowed)
    if reason in ("duplicate_key", "key_exists", "malformed_row") or column is None:
        return ""
    return _EXPECTED.get(column.format or column.type, "")


def clean_sql(raw: str) -> str:
    """SQL: the raw text trimmed; empty means missing (NULL)."""
    # trim() with a character list is slow; only values with a blank at an end need it.
    blanks = "[" + ", ".join(ids.sql_literal(c) for c in _BLANKS) + "]"
    return (
        f"NULLIF(CASE WHEN list_contains({blanks}, left({raw}, 1)) "
        f"OR list_contains({blanks}, right({raw}, 1)) "
        f"THEN trim({raw}, {ids.sql_literal(_BLANKS)}) ELSE {raw} END, '')"
    )


def prepared_sql(col: Column, s: str) -> str:
    """SQL: the trimmed text ``s`` prepared for parsing as ``col``'s type and format."""
    half = f"trim({ids.sql_halfwidth(s)})"
    if col.type in ("date", "month"):
        return half
    if col.type in ("money", "number", "int"):
        return f"regexp_replace({half}, '[\\s,¥￥]', '', 'g')"
    if col.type == "bool":
        return f"lower({half})"
    if col.format in ("resident_id", "credit_code"):
        return f"upper({half})"
    if col.format == "region":
        return half
    if col.format == "plate":
        return ids.sql_normalise_plate(s)
    if col.format == "case_no":
        return ids.sql_normalise_case_no(s)
    return s


def _date_value(p: str) -> str:
    spaced = f"regexp_replace({p}, '^{_DATE_RE}$', '\\1-\\2-\\3')"
    return (
        f"CASE WHEN regexp_full_match({p}, '[0-9]{{8}}') THEN try_strptime({p}, '%Y%m%d') "
        f"WHEN regexp_full_match({p}, '{_DATE_RE}') THEN try_strptime({spaced}, '%Y-%m-%d') "
        "END::DATE"
    )


def value_sql(col: Column, p: str) -> str:
    """SQL: the typed value of prepared text ``p``; NULL when it cannot be read."""
    kind = col.type
    if kind == "date":
        return _date_value(p)
    if kind == "month":
        spaced = f"regexp_replace({p}, '^{_MONTH_RE}$', '\\1-\\2-1')"
        return (
            f"CASE WHEN regexp_full_match({p}, '[0-9]{{6}}') THEN try_strptime({p} || '01', '%Y%m%d')::DATE "
            f"WHEN regexp_full_match({p}, '{_MONTH_RE}') THEN try_strptime({spaced}, '%Y-%m-%d')::DATE "
            f"ELSE {_date_value(p)} END"
        )
    if kind == "money":
        number = f"regexp_replace({p}, '(万元|万|元)$', '')"
        scale = f"(CASE WHEN {p} LIKE '%万元' OR {p} LIKE '%万' THEN 10000 ELSE 1 END)"
        return (
            f"CASE WHEN regexp_full_match({p}, '{_DECIMAL_RE}(?:万元|万|元)?') "
            f"THEN round(TRY_CAST({number} AS DECIMAL(18,6)) * {scale}, 2)::DOUBLE END"
        )
    if kind == "number":
        return (
            f"CASE WHEN regexp_full_match({p}, '{_DECIMAL_RE}(?:[eE][-+]?[0-9]+)?') "
            f"THEN TRY_CAST({p} AS DOUBLE) END"
        )
    if kind == "int":
        return (
            f"CASE WHEN regexp_full_match({p}, '[-+]?[0-9]+(?:\\.0*)?') "
            f"THEN TRY_CAST(regexp_replace({p}, '\\.0*$', '') AS BIGINT) END"
        )
    if kind == "bool":
        return (
            f"CASE WHEN list_contains(['true', 't', '1', '是', 'y', 'yes'], {p}) THEN true "
            f"WHEN list_contains(['false', 'f', '0', '否', 'n', 'no'], {p}) THEN false END"
        )
    return p


def reason_sql(col: Column, s: str, p: str, v: str) -> str:
    """SQL: the reason code for one cell (``s`` trimmed text, ``p`` prepared, ``v`` value)."""
    checks: list[tuple[str, str]] = []
    kind = col.type
    if kind == "date":
        checks.append((f"{v} IS NULL OR year({v}) NOT BETWEEN 1900 AND 2100", "bad_date"))
    elif kind == "month":
        checks.append(
            (f"{v} IS NULL OR day({v}) <> 1 OR year({v}) NOT BETWEEN 1900 AND 2100", "bad_month")
        )
    elif kind in ("money", "number"):
        checks.append((f"{v} IS NULL OR NOT isfinite({v})", f"bad_{kind}"))
    elif kind in ("int", "bool"):
        checks.append((f"{v} IS NULL", f"bad_{kind}"))
    fmt = col.format
    if fmt is not None:
        test = getattr(ids, f"sql_is_{fmt}")(p)
        checks.append((f"NOT {test}", f"bad_{fmt}"))
    if col.allowed:
        allowed = ", ".join(ids.sql_literal(a) for a in col.allowed)
        # list_contains, not IN: DuckDB plans a long IN list as a join over every column.
        checks.append((f"NOT list_contains([{allowed}], {v})", "not_allowed"))
    missing = "'missing'" if col.required else "NULL"
    whens = " ".join(f"WHEN {cond} THEN '{code}'" for cond, code in checks)
    return f"CASE WHEN {s} IS NULL THEN {missing} {whens} END"


def stored_type(col: Column) -> str:
    """The DuckDB type the column is stored as."""
    return SQL_TYPES[col.type]
