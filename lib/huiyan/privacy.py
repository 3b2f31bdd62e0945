"""Finding personal data where it must not be: in notebook sources, outputs and bundles.

A vetted model travels across the province; case data never does. These checks
look for what a pasted record would leave behind: resident ID numbers and credit
codes with valid check digits, mobile phone numbers and bank card numbers.

Example:
    >>> sorted(f.kind for f in scan("联系人电话13812345678，身份证11010519491231002X"))
    ['phone', 'resident_id']
    >>> scan("threshold = 100000")
    []
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from huiyan.identifiers import is_credit_code, is_resident_id

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
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


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
