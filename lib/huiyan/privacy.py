"""Personal data where it must not be: found in notebooks and bundles, masked in reports.

A vetted model travels across the province; case data never does. :func:`scan`
looks for what a pasted record would leave behind: resident ID numbers and credit
codes with valid check digits, mobile phone numbers and bank card numbers.

A run's report is meant to be forwarded, so it shows resident ID numbers and phone
numbers masked (:func:`mask`); the run's workbook stays in the county's case system
and keeps the full values. This module is the one place the masking rule lives:

- a resident ID keeps its first four digits (province and city) and its last four:
  ``3306**********1234`` (18 digits; also old 15-digit numbers with a valid birth date);
- a mobile number keeps its first three and last four digits: ``138****5678``;
  a landline with its area code keeps the area code and the last four: ``0575-****3456``.

A number glued to Latin letters (``APAC202233060200000049``, a claim number) is part
of another identifier and is left alone, unless it is a resident ID beyond doubt (a
province code, a real birth date and a valid check digit).

Example:
    >>> sorted(f.kind for f in scan("联系人电话13812345678，身份证11010519491231002X"))
    ['phone', 'resident_id']
    >>> scan("threshold = 100000")
    []
    >>> mask("原告张三（身份证330602198001011237，电话13812345678）")
    '原告张三（身份证3306**********1237，电话138****5678）'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from huiyan.identifiers import PROVINCE_CODES, is_credit_code, is_resident_id

_RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_CREDIT_CODE = re.compile(
    r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])"
)
_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_BANK_CARD = re.compile(r"(?<!\d)(?:62|4\d|5[1-5])\d{14,17}(?!\d)")


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found: what kind, the masked value, and where."""

    kind: str
    masked: str
    line: int

    @property
    def zh(self) -> str:
        return {
            "resident_id": "身份证号码",
            "credit_code": "统一社会信用代码",
            "phone": "手机号码",
            "bank_card": "银行卡号",
        }[self.kind]


def _mask(value: str) -> str:
    """A found value as a finding shows it: its first three and last four characters."""
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


# -- masking for reports ------------------------------------------------------------------------

_DIGIT_RUN = re.compile(r"[0-9]{7,}[Xx]?")
"""Where personal numbers can be: runs of seven or more digits (one fast pass over the text)."""
_CANDIDATE_LENGTHS = frozenset({7, 8, 11, 13, 15, 18})
"""Lengths of a run that can be a number to mask: a landline's 7-8 digits, a mobile's 11
(13 with 86, 15 with 0086), an old ID's 15, an ID's 18 (its last may be X)."""
_AREA_CODE = re.compile(r"(?<![0-9A-Za-z])0[0-9]{2,3}[-－]$")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+")
_SEPARATOR = "\x1f"


def mask_resident_id(value: str) -> str:
    """A resident ID as a report shows it: the first four and the last four digits.

    >>> mask_resident_id("330602198001011237")
    '3306**********1237'
    """
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def _born(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1880 <= year <= 2100


def _is_old_id(value: str) -> bool:
    """A 15-digit (first-generation) resident ID: a province code and a real birth date."""
    return value[:2] in PROVINCE_CODES and _born(
        1900 + int(value[6:8]), int(value[8:10]), int(value[10:12])
    )


def _is_id(value: str) -> bool:
    """An 18-digit resident ID beyond doubt: province code, birth date and check digit."""
    return (
        value[:2] in PROVINCE_CODES
        and _born(int(value[6:10]), int(value[10:12]), int(value[12:14]))
        and is_resident_id(value.upper())
    )


def _masked_run(m: re.Match[str]) -> str:
    """One run of digits as a report shows it (see the module doc for the rule)."""
    run, at, text = m.group(), m.start(), m.string
    before = text[at - 1] if at else ""
    glued = before.isascii() and before.isalnum()  # part of another identifier
    if len(run) == 18 and run[:17].isdigit():
        return run if glued and not _is_id(run) else mask_resident_id(run)
    digits, tail = (run, "") if run[-1].isdigit() else (run[:-1], run[-1])
    if glued:
        return run
    if len(digits) == 15 and _is_old_id(digits):
        return mask_resident_id(digits) + tail
    for prefix in ("", "86", "0086"):  # a mobile number, perhaps with the country code
        rest = digits[len(prefix) :]
        if digits.startswith(prefix) and len(rest) == 11 and _MOBILE.fullmatch(rest):
            return f"{prefix}{rest[:3]}****{rest[-4:]}{tail}"
    if len(digits) <= 8 and _AREA_CODE.search(text, max(0, at - 6), at):
        return f"****{digits[-4:]}{tail}"  # a landline after its area code (0575-88123456)
    return run


def mask(text: str) -> str:
    """``text`` with every resident ID number and phone number masked (see the module doc).

    >>> mask("报案电话 0575-88123456，+86 13905751234，8613905751234")
    '报案电话 0575-****3456，+86 139****1234，86139****1234'
    >>> mask("赔案 APAC202233060200000049；金额 1142700.0 元；文书 3306022022000028")
    '赔案 APAC202233060200000049；金额 1142700.0 元；文书 3306022022000028'
    """
    if not text:
        return text
    pieces: list[str] = []
    last = 0
    for m in _DIGIT_RUN.finditer(text):
        if m.end() - m.start() not in _CANDIDATE_LENGTHS:
            continue  # most runs: record keys, case numbers, amounts
        shown = _masked_run(m)
        if shown != m.group():
            pieces += [text[last : m.start()], shown]
            last = m.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def mask_all(values: Iterable[str | None]) -> list[str | None]:
    """:func:`mask` over many texts at once (one pass over them joined), keeping None as None."""
    items = list(values)
    texts = [v for v in items if v]
    joined = _SEPARATOR.join(texts)
    if _SEPARATOR in "".join(texts):  # a text holds the separator itself: mask one by one
        masked = iter([mask(v) for v in texts])
    else:
        masked = iter(mask(joined).split(_SEPARATOR) if texts else [])
    return [next(masked) if v else v for v in items]


def mask_html(page: str) -> str:
    """:func:`mask` over an HTML fragment, leaving embedded pictures (``data:`` URIs) intact."""
    parts: list[str] = []
    last = 0
    for m in _DATA_URI.finditer(page):
        parts += [mask(page[last : m.start()]), m.group()]
        last = m.end()
    parts.append(mask(page[last:]))
    return "".join(parts)


def _luhn(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def scan(text: str) -> list[Finding]:
    """Every resident ID, credit code, mobile number and bank card number in ``text``."""
    found: list[Finding] = []
    for number, line in enumerate(text.splitlines() or [text], start=1):
        for m in _RESIDENT_ID.finditer(line):
            if is_resident_id(m.group().upper()):
                found.append(Finding("resident_id", _mask(m.group()), number))
        for m in _CREDIT_CODE.finditer(line):
            if is_credit_code(m.group()):
                found.append(Finding("credit_code", _mask(m.group()), number))
        for m in _PHONE.finditer(line):
            found.append(Finding("phone", _mask(m.group()), number))
        for m in _BANK_CARD.finditer(line):
            if _luhn(m.group()):
                found.append(Finding("bank_card", _mask(m.group()), number))
    return found


def notebook_sources(path: Path) -> str:
    """The text of every cell of a notebook (sources only), one cell after another."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return "\n".join("".join(c.get("source", "")) for c in nb.get("cells", []))


def has_outputs(path: Path) -> bool:
    """True when any code cell of the notebook carries outputs or an execution count."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return any(
        c.get("outputs") or c.get("execution_count")
        for c in nb.get("cells", [])
        if c.get("cell_type") == "code"
    )
