"""The expectation suites: one Great Expectations 1.x suite per dataset, written to ``expectations/``.

A suite has two parts. The contract part is derived from ``datasets/datasets.yaml``
(columns present with the right types, keys unique, required values present,
allowed values, identifier formats and check digits, money not negative, dates
plausible), so adding a column to the contract and running the generator
updates the suite. The hand-written part lives in
``expectations/custom/<dataset>.yaml`` (domain rules such as "a judgment is not
dated in the future") and survives regeneration. Every expectation carries a
Chinese sentence (``meta.zh``) saying what it protects and a severity
(``meta.severity``: ``error`` stops a model run, ``warning`` is only reported).

Regenerate after changing the contract or a custom file::

    python -m huiyan.quality

Example:
    >>> exps = build("vehicles")["expectations"]
    >>> exps[0]["type"], exps[0]["meta"]["severity"]
    ('expect_column_to_exist', 'error')
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import yaml

from huiyan import contracts, identifiers
from huiyan.errors import ContractError
from huiyan.workspace import REPO_ROOT

_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser: ~10x faster

EXPECTATIONS_DIR = REPO_ROOT / "expectations"
CUSTOM_DIR = EXPECTATIONS_DIR / "custom"

Severity = Literal["error", "warning"]
SEVERITIES: tuple[str, ...] = ("error", "warning")
_GX_SEVERITY = {"error": "critical", "warning": "warning"}

RESIDENT_ID_CHECK = "expect_column_values_to_have_valid_resident_id_check_digit"
CREDIT_CODE_CHECK = "expect_column_values_to_have_valid_credit_code_check_digit"

TABLE_TYPES = frozenset(
    {
        "expect_column_to_exist",
        "expect_column_values_to_be_in_type_list",
        "expect_column_values_to_be_unique",
        "expect_compound_columns_to_be_unique",
        "expect_table_row_count_to_be_between",
        "unexpected_rows_expectation",
    }
)
"""Expectations about the whole table, checked inside the database rather than per batch."""

BATCH_TYPES = frozenset(
    {
        "expect_column_values_to_not_be_null",
        "expect_column_values_to_be_in_set",
        "expect_column_values_to_match_regex",
        "expect_column_values_to_be_between",
        "expect_column_pair_values_a_to_be_greater_than_b",
        "expect_column_values_to_be_null",
        "expect_column_value_lengths_to_be_between",
        RESIDENT_ID_CHECK,
        CREDIT_CODE_CHECK,
    }
)
"""Row-by-row expectations that Great Expectations runs on each pandas batch."""

ACCEPTED_TYPES: dict[str, list[str]] = {
    "string": ["VARCHAR"],
    "text": ["VARCHAR"],
    "date": ["DATE"],
    "month": ["DATE"],
    "money": ["DOUBLE", "DECIMAL"],
    "number": ["DOUBLE", "DECIMAL", "FLOAT", "BIGINT", "INTEGER"],
    "int": ["BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT"],
    "bool": ["BOOLEAN"],
}
"""DuckDB types a contract column may be stored as (first one is what ingest writes)."""

_TYPE_ZH = {
    "string": "文本",
    "text": "长文本",
    "date": "日期",
    "month": "年月（日期）",
    "money": "金额（数值）",
    "number": "数值",
    "int": "整数",
    "bool": "是/否",
}

REGION_PATTERN = r"^(?:" + "|".join(sorted(identifiers.PROVINCE_CODES)) + r")[0-9]{4}$"

_FORMATS: dict[str, tuple[str, str]] = {
    "resident_id": (
        r"^[0-9]{17}[0-9X]$",
        "{label}必须是18位公民身份号码（17位数字加1位数字或大写X），否则无法与其他部门数据关联",
    ),
    "credit_code": (
        identifiers.CREDIT_CODE_RE.pattern,
        "{label}必须是18位统一社会信用代码（不含I、O、S、V、Z），否则无法与企业登记关联",
    ),
    "region": (REGION_PATTERN, "{label}必须是6位行政区划代码且前两位为有效省份代码，如330602"),
    "case_no": (
        identifiers.CASE_NO_RE.pattern,
        "{label}必须是规范案号，如（2021）浙0602民初1234号",
    ),
    "plate": (
        identifiers.PLATE_RE.pattern,
        "{label}必须是规范号牌号码，如浙D12345，新能源号牌如浙AD12345",
    ),
}

_CHECK_DIGITS = {
    "resident_id": (
        RESIDENT_ID_CHECK,
        "{label}的校验位必须正确（GB 11643-1999）；校验位错误说明号码录入有误，会使人员关联漏查或错查",
    ),
    "credit_code": (
        CREDIT_CODE_CHECK,
        "{label}的校验码必须正确（GB 32100-2015）；校验码错误说明代码录入有误，会使企业关联漏查或错查",
    ),
}


def _label(col: contracts.Column) -> str:
    return f"「{col.zh}（{col.name}）」"


def _exp(
    type_: str, kwargs: dict[str, Any], zh: str, severity: Severity = "error"
) -> dict[str, Any]:
    return {
        "type": type_,
        "kwargs": kwargs,
        "meta": {"zh": zh, "severity": severity, "source": "contract"},
        "severity": _GX_SEVERITY[severity],
    }


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def contract_expectations(dataset: str) -> list[dict[str, Any]]:
    """The expectations that follow from the data contract of ``dataset``, in a fixed order."""
    ds = contracts.dataset(dataset)
    out: list[dict[str, Any]] = []
    for col in ds.columns:
        out.append(
            _exp(
                "expect_column_to_exist",
                {"column": col.name},
                f"数据表必须包含{_label(col)}列，模型和其他校验都依赖这一列",
            )
        )
    for col in ds.columns:
        out.append(
            _exp(
                "expect_column_values_to_be_in_type_list",
                {"column": col.name, "type_list": ACCEPTED_TYPES[col.type]},
                f"{_label(col)}必须以{_TYPE_ZH[col.type]}类型存储，否则比较和计算会出错",
            )
        )
    key_zh = "、".join(_label(ds.column(k)) for k in ds.key)
    if len(ds.key) == 1:
        out.append(
            _exp(
                "expect_column_values_to_be_unique",
                {"column": ds.key[0]},
                f"{key_zh}唯一标识一条记录，不得重复；重复记录会使线索重复、金额重复计算",
            )
        )
    else:
        out.append(
            _exp(
                "expect_compound_columns_to_be_unique",
                {"column_list": list(ds.key)},
                f"{key_zh}的组合唯一标识一条记录，不得重复；重复记录会使线索重复、金额重复计算",
            )
        )
    for col in ds.columns:
        out.extend(_column_expectations(ds, col))
    return out


def _column_expectations(ds: contracts.Dataset, col: contracts.Column) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    label = _label(col)
    if col.required:
        out.append(
            _exp(
                "expect_column_values_to_not_be_null",
                {"column": col.name},
                f"{label}是必填项，不得为空",
            )
        )
    if col.allowed:
        out.append(
            _exp(
                "expect_column_values_to_be_in_set",
                {"column": col.name, "value_set": list(col.allowed)},
                f"{label}只能取以下值之一：{'、'.join(col.allowed)}",
            )
        )
    if col.format:
        pattern, zh = _FORMATS[col.format]
        out.append(
            _exp(
                "expect_column_values_to_match_regex",
                {"column": col.name, "regex": pattern},
                zh.format(label=label),
            )
        )
        if col.format in _CHECK_DIGITS:
            type_, zh = _CHECK_DIGITS[col.format]
            out.append(_exp(type_, {"column": col.name}, zh.format(label=label)))
    if col.type == "money":
        out.append(
            _exp(
                "expect_column_values_to_be_between",
                {"column": col.name, "min_value": 0},
                f"{label}是金额（元），不得为负数",
            )
        )
    if col.type in ("date", "month"):
        out.append(
            _exp(
                "expect_column_values_to_be_between",
                {"column": col.name, "min_value": "1900-01-01", "max_value": "2099-12-31"},
                f"{label}必须是1900年至2099年之间的真实日期，超出范围的日期是录入或转换错误",
            )
        )
    if col.type == "month":
        keys = ", ".join(_quote(k) for k in ds.key if k != col.name)
        select = f"{keys}, {_quote(col.name)}" if keys else _quote(col.name)
        out.append(
            _exp(
                "unexpected_rows_expectation",
                {
                    "unexpected_rows_query": (
                        f"SELECT {select} FROM {{batch}} "
                        f"WHERE {_quote(col.name)} IS NOT NULL AND day({_quote(col.name)}) <> 1"
                    )
                },
                f"{label}是年月，必须存为当月第一天（如2021-03-01）",
            )
        )
    return out


# -- hand-written expectations ------------------------------------------------------------------


def custom_path(dataset: str) -> Path:
    """Where the hand-written expectations of ``dataset`` live."""
    return CUSTOM_DIR / f"{dataset}.yaml"


def custom_expectations(dataset: str) -> list[dict[str, Any]]:
    """The hand-written expectations of ``dataset`` (empty when it has none), checked for shape."""
    path = custom_path(dataset)
    if not path.exists():
        return []
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML) or {}
    entries = raw.get("expectations") or []
    problems: list[str] = []
    out: list[dict[str, Any]] = []
    known = TABLE_TYPES | BATCH_TYPES
    for i, entry in enumerate(entries, start=1):
        type_ = entry.get("type")
        meta = dict(entry.get("meta") or {})
        if type_ not in known:
            problems.append(f"第 {i} 条 entry {i}: 类型 type {type_!r} 不受支持 is not supported")
            continue
        if not meta.get("zh"):
            problems.append(f"第 {i} 条 entry {i}: 缺少中文说明 meta.zh is missing")
        if meta.get("severity") not in SEVERITIES:
            problems.append(f"第 {i} 条 entry {i}: meta.severity 应为 must be error 或 or warning")
            continue
        meta["source"] = "custom"
        out.append(
            {
                "type": type_,
                "kwargs": dict(entry.get("kwargs") or {}),
                "meta": meta,
                "severity": _GX_SEVERITY[meta["severity"]],
            }
        )
    if problems:
        raise ContractError(
            f"自定义校验文件 {path} 有误：\n" + "\n".join(problems),
            f"The custom expectations file {path} is malformed (see above).",
            "支持的类型 Supported types: " + ", ".join(sorted(known)),
        )
    return out


# -- whole suites ------------------------------------------------------------------------------


def build(dataset: str) -> dict[str, Any]:
    """The full suite of ``dataset`` as GX 1.x suite JSON: contract part, then hand-written part."""
    ds = contracts.dataset(dataset)
    return {
        "name": dataset,
        "expectations": contract_expectations(dataset) + custom_expectations(dataset),
        "meta": {
            "great_expectations_version": "1.24.1",
            "huiyan": {
                "zh": f"{ds.zh}的数据质量校验",
                "generated_by": "python -m huiyan.quality",
                "sources": [
                    "datasets/datasets.yaml",
                    f"expectations/custom/{dataset}.yaml",
                ],
                "note": "由程序生成，请勿手工修改；手写校验请改 custom 文件。"
                " Generated: edit the custom file, not this one.",
            },
        },
        "notes": None,
    }


def render(suite: dict[str, Any]) -> str:
    """The suite as it is written to disk (stable, readable JSON)."""
    return json.dumps(suite, ensure_ascii=False, indent=2) + "\n"


def suite_path(dataset: str) -> Path:
    """The committed suite file of ``dataset``."""
    return EXPECTATIONS_DIR / f"{dataset}.json"


def write_suites(datasets: list[str] | None = None, *, directory: Path | None = None) -> list[Path]:
    """Write ``expectations/<dataset>.json`` for every dataset (or the ones named); return the paths."""
    target = directory or EXPECTATIONS_DIR
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in datasets or contracts.names():
        path = target / f"{name}.json"
        path.write_text(render(build(name)), encoding="utf-8")
        written.append(path)
    return written


def load(dataset: str) -> dict[str, Any]:
    """The suite of ``dataset``: the committed file, or a freshly built one when there is none."""
    path = suite_path(dataset)
    if path.exists():
        try:
            suite: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            raise ContractError(
                f"校验套件文件 {path} 不是有效的 JSON：{err}",
                f"The suite file {path} is not valid JSON: {err}",
                "重新生成 Regenerate it: python -m huiyan.quality",
            ) from err
        return suite
    contracts.dataset(dataset)
    return build(dataset)


def digest(suite: dict[str, Any]) -> str:
    """A short hash of a suite's content, so a changed suite invalidates cached results."""
    return hashlib.sha256(render(suite).encode("utf-8")).hexdigest()[:16]
