"""Quantities and values written in Chinese text: 约3,200吨, 9.6万元, 125mg/100ml, 2,999千克.

Administrative penalty records often hold the figure that decides whether a
case is a crime only in the prose of the facts (非法采砂约3200吨，价值约9.6万元).
A :class:`Measure` says what to read: the words that announce it (价值, 销售金额,
危险废物), how far the number may follow them, and the units it may carry with
their factors to one normalised unit (yuan, tonnes, cubic metres, mg/100ml).

Every measure is read in two ways that give the same answer:

- :func:`read_expr` builds an ibis expression (``re_extract`` and casts, portable
  to Spark: '' is nulled before casting), so a million penalties are read inside
  the database;
- :func:`read` reads one Python string, for tests, docs and single records.

>>> read("非法采砂约3,200吨，价值约9.6万元", VALUE)
96000.0
>>> read("非法采砂约3,200吨，价值约9.6万元", WEIGHT)
3200.0
>>> read("经检测血液中乙醇含量为125mg/100ml", BAC)
125.0
>>> read("将废矿物油等危险废物2,999千克交由无资质个人处置", WASTE_WEIGHT)
2.999
>>> normalise(3000, "公斤", WEIGHT)
3.0
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

__all__ = [
    "BAC",
    "GAIN",
    "GOODS_VALUE",
    "NUMBER",
    "SALES",
    "VALUE",
    "VOLUME",
    "WASTE_WEIGHT",
    "WEIGHT",
    "Measure",
    "Unit",
    "clean_text",
    "normalise",
    "normalise_expr",
    "read",
    "read_expr",
]

NUMBER = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
"""An Arabic number, with or without thousands separators (3,200 / 3200 / 9.6)."""

_FULL = "０１２３４５６７８９．／"
_HALF = "0123456789./"


@dataclass(frozen=True)
class Unit:
    """One way of writing a unit (a regular expression) and its factor to the normalised unit."""

    pattern: str
    factor: float


@dataclass(frozen=True)
class Measure:
    """What to read from a text: the announcing words, the units allowed and the normalised unit.

    Attributes:
        name: short English name, e.g. ``value``.
        zh: what it is, in Chinese.
        unit: the normalised unit the result is in (元, 吨, 立方米, mg/100ml).
        units: the written units allowed after the number, longest first.
        labels: words of which one must come shortly before the number; () = none needed.
        gap: how many characters may stand between label and number.
        stop: characters that may not stand there (besides digits): by default a clause break,
            so 价值不详，罚款5万元 does not read the fine as the value.
    """

    name: str
    zh: str
    unit: str
    units: tuple[Unit, ...]
    labels: tuple[str, ...] = ()
    gap: int = 10
    stop: str = "，,。；;"

    @property
    def unit_pattern(self) -> str:
        """The regular expression of any allowed unit."""
        return "|".join(f"(?:{u.pattern})" for u in self.units)

    @property
    def pattern(self) -> str:
        """The whole regular expression: group 1 the number, group 2 the unit as written."""
        head = ""
        if self.labels:
            head = "(?:" + "|".join(re.escape(w) for w in self.labels) + ")"
            head += "[^0-9" + self.stop + "]{0," + str(self.gap) + "}?"
        return head + NUMBER + r"\s*(" + self.unit_pattern + ")"


_MONEY = (
    Unit(r"万余?元", 10_000.0),
    Unit(r"余?元", 1.0),
)
_WEIGHT = (
    Unit(r"万余?吨", 10_000.0),
    Unit(r"余?吨", 1.0),
    Unit(r"余?(?:千克|公斤|kg|KG|Kg)", 0.001),
)
_VOLUME = (
    Unit(r"万余?(?:立方米|立方|方)", 10_000.0),
    Unit(r"余?(?:立方米|立方|方|m3|m³)", 1.0),
)
_BAC = (Unit(r"(?:mg|MG|毫克)\s*/\s*(?:100|一百|百)\s*(?:ml|mL|ML|毫升)", 1.0),)

VALUE = Measure("value", "价值/货值", "元", _MONEY, labels=("价值", "货值", "价款"), gap=12)
"""The value of goods or minerals (矿产品价值, 货值, 价值约9.6万元)."""

SALES = Measure(
    "sales",
    "销售金额",
    "元",
    _MONEY,
    labels=("销售金额", "销售额", "销售收入", "销售总额", "销售款", "销售货款"),
    gap=12,
)
"""The amount sold (销售金额人民币6.8万元)."""

GOODS_VALUE = Measure("goods_value", "货值金额", "元", _MONEY, labels=("货值", "价值"), gap=12)
"""The value of goods (货值15万元); for unsold fake goods, the 货值金额 of art. 140."""

GAIN = Measure("gain", "违法所得", "元", _MONEY, labels=("违法所得", "非法获利", "获利"), gap=8)
"""Illegal gain (违法所得3,200元)."""

WEIGHT = Measure("weight", "重量", "吨", _WEIGHT)
"""Any weight in the text, in tonnes (3,200吨, 2,999千克)."""

VOLUME = Measure("volume", "体积", "立方米", _VOLUME)
"""Any volume in the text, in cubic metres (3,200立方米, 800方)."""

WASTE_WEIGHT = Measure(
    "waste_weight", "危险废物数量", "吨", _WEIGHT, labels=("危险废物", "危废"), gap=20, stop="。；;"
)
"""The weight of hazardous waste named in the text (危险废物4.2吨), in tonnes."""

BAC = Measure("bac", "血液酒精含量", "mg/100ml", _BAC)
"""Blood alcohol content in mg/100ml (125mg/100ml, 80毫克/100毫升)."""


# --- pure Python ------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """The text with full-width digits, decimal point and slash made half-width."""
    return text.translate(str.maketrans(_FULL, _HALF))


def _factor(written: str, units: tuple[Unit, ...]) -> float | None:
    written = written.strip()
    for u in units:
        if re.fullmatch(u.pattern, written):
            return u.factor
    return None


def read(text: str | None, measure: Measure) -> float | None:
    """The first ``measure`` written in ``text``, in its normalised unit; None when absent."""
    if not isinstance(text, str) or not text:
        return None
    m = re.search(measure.pattern, clean_text(text))
    if m is None:
        return None
    factor = _factor(m.group(2), measure.units)
    if factor is None:
        return None
    return round(float(m.group(1).replace(",", "")) * factor, 6)


def normalise(quantity: float | None, unit: str | None, measure: Measure) -> float | None:
    """A structured quantity in ``measure``'s normalised unit; None when the unit is not one of its."""
    if quantity is None or unit is None:
        return None
    factor = _factor(clean_text(unit), measure.units)
    return None if factor is None else round(float(quantity) * factor, 6)


# --- ibis -------------------------------------------------------------------------------------


def _clean_expr(col: ir.StringValue) -> ir.StringValue:
    return col.translate(_FULL, _HALF)


def _factor_expr(written: ir.StringValue, units: tuple[Unit, ...]) -> ir.FloatingValue:
    written = written.strip()
    cases = [(written.re_search(f"^(?:{u.pattern})$"), u.factor) for u in units]
    return ibis.cases(*cases, else_=ibis.null("float64"))  # type: ignore[return-value]


def read_expr(col: ir.StringValue, measure: Measure) -> ir.FloatingValue:
    """An ibis expression: the first ``measure`` in the text column ``col``, normalised, or null.

    Portable to Spark: the extracted strings are nulled when empty before any cast.
    """
    text = _clean_expr(col)
    pattern = measure.pattern
    number = text.re_extract(pattern, 1).nullif("")
    written = text.re_extract(pattern, 2).nullif("")
    value = number.replace(",", "").cast("float64") * _factor_expr(written, measure.units)
    return value.round(6)


def normalise_expr(
    quantity: ir.NumericValue, unit: ir.StringValue, measure: Measure
) -> ir.FloatingValue:
    """An ibis expression: a structured quantity in ``measure``'s unit, null for other units."""
    factor = _factor_expr(_clean_expr(unit.nullif("")), measure.units)
    return (quantity.cast("float64") * factor).round(6)
