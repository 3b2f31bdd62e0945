"""Money in judgment texts: 12,345.60元, 1.2万元, 壹万贰仟元整 and the totals a court states.

The functions here work on text that :func:`huiyan.judgments.text.normalise` has
already made half-width (so ``１２，３４５元`` arrives as ``12,345元``).

>>> cn_number("壹万贰仟")
12000
>>> cn_number("二十五")
25
>>> [round(a.value, 2) for a in find_amounts("本金2,015.58元、利息1.2万元、贰万叁仟元整（￥23000.00元正）")]
[2015.58, 12000.0, 23000.0]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "O": 0,
    "Ｏ": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(_CN_DIGITS) + "".join(_CN_UNITS) + "".join(_CN_BIG)


def cn_number(text: str) -> int | None:
    """The integer a Chinese numeral spells (一百二十, 壹万贰仟, 二〇一八 digit by digit), or None."""
    if not text:
        return None
    if all(ch in _CN_DIGITS for ch in text):  # 二〇一八: read digit by digit
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total = 0
    section = 0
    number = 0
    for ch in text:
        if ch in _CN_DIGITS:
            number = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (number or 1) * _CN_UNITS[ch]
            number = 0
        elif ch in _CN_BIG:
            total = (total + section + number) * _CN_BIG[ch]
            section = number = 0
        else:
            return None
    return total + section + number


_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN = "[" + CN_NUMERAL_CHARS.replace("O", "").replace("Ｏ", "") + "]+"
# the lookahead names every character a match can start with: it lets the scan skip the
# other positions with one test instead of trying each branch (same matches, twice as fast)
AMOUNT_RE = re.compile(
    rf"(?=[人¥￥\d{_CN[1:-2]}])"
    rf"(?:人民币|¥|￥)?(?:(?P<num>{_ARABIC})\s*(?P<big>万|亿)?|(?P<cn>{_CN}))\s*元"
    r"(?P<tail>[整正])?"
)
"""An amount of money followed by 元 (Arabic, Arabic with 万, or Chinese numerals)."""

_RATE_AFTER = re.compile(r"\s*(?:/|每|／)")
_BRACKET_DUP = re.compile(
    r"\s*[（(]\s*(?:小写|人民币)?[:：]?\s*(?:¥|￥)?\s*(?P<num>"
    + _ARABIC
    + r")\s*元?[整正]?\s*[)）]"
)


@dataclass(frozen=True)
class Amount:
    """One amount found in a text: where it is and its value in yuan."""

    start: int
    end: int
    value: float


def parse_amount(text: str) -> float | None:
    """The value in yuan of one written amount (``12,345.60元``, ``1.2万元``, ``壹万贰仟元整``)."""
    m = AMOUNT_RE.search(text)
    if m is None:
        return None
    return _value(m)


def _value(m: re.Match[str]) -> float | None:
    if m.group("num") is not None:
        value = float(m.group("num").replace(",", ""))
        big = m.group("big")
        if big:
            value *= _CN_BIG[big]
        return value
    cn = cn_number(m.group("cn"))
    return None if cn is None else float(cn)


def find_amounts(text: str) -> list[Amount]:
    """Every amount in ``text``, skipping rates (元/天) and the Arabic repeat of a Chinese amount."""
    found: list[Amount] = []
    if "元" not in text:  # every amount ends in 元
        return found
    pos = 0
    n = len(text)
    while pos < n:
        m = AMOUNT_RE.search(text, pos)
        if m is None:
            break
        pos = m.end()
        if m.group("cn") is not None and len(m.group("cn")) == 1 and m.group("cn") in _CN_BIG:
            continue  # a bare 万元 is a unit, not an amount
        if _RATE_AFTER.match(text, m.end()):
            continue
        value = _value(m)
        if value is None:
            continue
        end = m.end()
        if m.group("cn") is not None:  # 贰万叁仟元整（￥23000.00元正）: one amount, not two
            dup = _BRACKET_DUP.match(text, end)
            if dup is not None:
                end = pos = dup.end()
        found.append(Amount(m.start(), end, value))
    return found
