"""Figures announced by a word: 价值约9.6万元, 血液中乙醇含量为125mg/100ml, 危险废物4,200千克.

A :class:`Figure` names the vocabulary lists it reads: the words that announce
it (labels), the units it may carry (with their factors to one normalised
unit), how far the number may follow the label, and whether the label must be
in the same clause or only in the same sentence. The figure is the first
labelled number of the text; a number written in Chinese (三千二百吨), with a
big-number word (9.6万元), a hedge (约, 余, 左右) or thousands separators
(3,200 / ３，２００) reads the same as any other.

Two readers that agree (tests hold them to it):

- :func:`read_table` adds ibis columns (the value and the words read), computed inside
  the database on DuckDB and Spark;
- :func:`read_series` reads a pandas Series (tests, small tables, the pandas baseline).

>>> from huiyan.reading.vocabulary import load
>>> v = load(local=None)
>>> read_one("非法采砂约3,200吨，价值约玖万陆仟元", MINERAL_VALUE, v)
(96000.0, '价值约玖万陆仟元')
>>> read_one("呼气酒精含量为103mg/100ml；后经抽血检验，血液中乙醇含量为62.5毫克/100毫升", BLOOD, v)[0]
62.5
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import ibis
import ibis.expr.types as ir
import pandas as pd

from huiyan.reading import numerals
from huiyan.reading.scope import CLAUSE_STOPS, SENTENCE_STOPS
from huiyan.reading.vocabulary import Vocabulary, pattern, squeeze, squeeze_expr


@dataclass(frozen=True)
class Figure:
    """What to read: which vocabulary lists announce the figure and which units it may carry.

    Attributes:
        name: short English name.
        before: vocabulary key of signs written before the number in place of a unit (￥).
        labels: vocabulary keys of the announcing words (() = any number with the unit counts).
        units: vocabulary keys of the unit table (written unit -> factor).
        gap: how many characters may stand between the label and the number.
        scope: "clause" (no ，between label and number) or "sentence" (no 。 or ；).
        exclude: characters that may not stand between label and number (呼吹 for a blood
            figure: a breath test named after the blood word owns the number).
        labels_extra: further vocabulary keys whose words also announce it.
        past_quantities: a quantity with a unit of ``units.counts`` may stand between label and
            number (销售给…216余吨，价值125000余元); otherwise no digit may.
    """

    name: str
    labels: tuple[str, ...]
    units: tuple[str, ...]
    gap: int = 16
    scope: Literal["clause", "sentence"] = "clause"
    exclude: str = ""
    labels_extra: tuple[tuple[str, ...], ...] = ()
    past_quantities: bool = False
    """Whether a quantity (216余吨, 440件) between label and figure is passed over."""
    before: tuple[str, ...] = ()
    """Vocabulary key of the signs written before the number, each standing for a unit
    (￥227,100.00 is 227,100.00元); () when the figure has none."""


MONEY = ("units", "money")
SIGNS = ("units", "money_before")
MINERAL_VALUE = Figure("mineral_value", ("figures", "mineral_value"), MONEY, before=SIGNS)
GAIN = Figure("illegal_gain", ("figures", "illegal_gain"), MONEY, gap=10, before=SIGNS)
SALES = Figure("sales", ("figures", "sales"), MONEY, before=SIGNS)
SOLD_TO = Figure(
    "sold_to", ("figures", "sold_to"), MONEY, gap=30, scope="sentence", exclude="未",
    past_quantities=True, before=SIGNS,
)  # fmt: skip
UNSOLD_VALUE = Figure(
    "unsold_value", ("figures", "unsold_value"), MONEY, gap=30, scope="sentence",
    past_quantities=True, before=SIGNS,
)  # fmt: skip
BLOOD = Figure(
    "blood", ("figures", "blood"), ("units", "alcohol"), gap=40, scope="sentence", exclude="呼吹"
)
BREATH = Figure(
    "breath", ("figures", "breath"), ("units", "alcohol"), gap=40, scope="sentence", exclude="血"
)
ALCOHOL = Figure("alcohol", (), ("units", "alcohol"))
WASTE_WEIGHT = Figure(
    "waste_weight", ("figures", "waste"), ("units", "weight"), gap=30, scope="sentence"
)
WEIGHT = Figure("weight", (), ("units", "weight"))


def _units(f: Figure | tuple[Figure, ...], v: Vocabulary) -> dict[str, float]:
    """Written unit (squeezed) -> factor, for one figure or the union of several."""
    out: dict[str, float] = {}
    for one in f if isinstance(f, tuple) else (f,):
        out.update({squeeze(k).lower(): factor for k, factor in v.factors(*one.units).items()})
    return out


def _unit_pattern(f: Figure | tuple[Figure, ...], v: Vocabulary) -> str:
    """The units of ``f`` (or of several figures), as written."""
    written = {k for one in (f if isinstance(f, tuple) else (f,)) for k in v.factors(*one.units)}
    return pattern(tuple(sorted(written)), gap=3)


def _signs(f: Figure | tuple[Figure, ...], v: Vocabulary) -> dict[str, str]:
    """Signs written before the number (of ``f`` or of several figures) -> the unit each stands for."""
    out: dict[str, str] = {}
    for one in f if isinstance(f, tuple) else (f,):
        if one.before:
            out.update({str(k): str(u) for k, u in v.node(*one.before).items()})
    return out


def _plain(f: Figure | tuple[Figure, ...], v: Vocabulary) -> str:
    """The number, hedges, big-number word and unit: groups 1 number, 2 big word, 3 unit."""
    after = pattern(v.words("units", "hedges_after"), exact=True)
    mult = pattern(tuple(v.factors("units", "multipliers")), exact=True)
    unit = _unit_pattern(f, v)
    return f"({numerals.NUMBER})\\s*(?:{after})?\\s*({mult})?\\s*(?:{after})?\\s*({unit})"


def _tail(f: Figure | tuple[Figure, ...], v: Vocabulary) -> str:
    """The number to its unit, or a sign before the number and then perhaps a unit (￥9,100.00)."""
    plain = _plain(f, v)
    signs = _signs(f, v)
    if not signs:
        return plain
    after = pattern(v.words("units", "hedges_after"), exact=True)
    mult = pattern(tuple(v.factors("units", "multipliers")), exact=True)
    unit = _unit_pattern(f, v)
    signed = (
        f"(?:{pattern(tuple(signs), exact=True)})\\s*(?:{numerals.NUMBER})\\s*(?:{after})?"
        f"\\s*(?:{mult})?\\s*(?:{after})?\\s*(?:{unit})?"
    )
    return f"(?:{plain}|{signed})"


def _unsigned(tail: str, f: Figure | tuple[Figure, ...], v: Vocabulary) -> str:
    """A tail written with a sign before its number as if the unit followed (￥9,100.00 -> 9,100.00元)."""
    for sign, unit in sorted(_signs(f, v).items(), key=lambda x: -len(x[0])):
        if tail.startswith(sign):
            rest = tail[len(sign) :].lstrip()
            return rest if re.search(f"(?:{_unit_pattern(f, v)})$", rest) else rest + unit
    return tail


_REGEX: dict[tuple[Figure, str], str] = {}


def _regex(f: Figure, v: Vocabulary) -> str:
    tail = _tail(f, v)
    if not f.labels:
        return tail
    words = list(v.words(*f.labels))
    for extra in f.labels_extra:
        words += v.words(*extra)
    stops = CLAUSE_STOPS if f.scope == "clause" else SENTENCE_STOPS
    gap = f"[^{stops}0-9０-９{f.exclude}]{{0,{f.gap}}}?"
    if f.past_quantities:
        counts = pattern(v.words("units", "counts"), exact=True)
        quantity = f"[0-9０-９][0-9０-９.,．，]*(?:余|多)?{counts}"
        gap = f"(?:[^{stops}0-9０-９{f.exclude}]|{quantity}){{0,{f.gap}}}?"
    return f"{pattern(tuple(words))}{gap}{tail}"


def regex(f: Figure, v: Vocabulary) -> str:
    """The regular expression of ``f``: the whole match is the words read (label to unit)."""
    key = (f, v.fingerprint)
    if key not in _REGEX:
        _REGEX[key] = _regex(f, v)
    return _REGEX[key]


def _parser(f: Figure | tuple[Figure, ...], v: Vocabulary) -> str:
    """Anchored at the end of the words read: number, big word and unit out of them."""
    return _tail(f, v) + "$"


# --- Python (pandas) ------------------------------------------------------------------------------


def value_of(words: str, f: Figure, v: Vocabulary) -> float | None:
    """The normalised value of the words a figure was read from (None when they hold none)."""
    m = re.search(_parser(f, v), words)
    if m is None:
        return None
    m = re.fullmatch(_plain(f, v), _unsigned(m.group(0), f, v))
    if m is None:
        return None
    number = numerals.value(m.group(1))
    if number is None:
        return None
    mult = v.factors("units", "multipliers").get(m.group(2) or "", 1.0)
    factor = _units(f, v).get(squeeze(m.group(3)).lower())
    if factor is None:
        return None
    return round(number * mult * factor, 6)


def read_series(texts: pd.Series, f: Figure, v: Vocabulary) -> tuple[pd.Series, pd.Series]:
    """(values, words read) of ``f`` in each text of ``texts`` (read as written, any width)."""
    words = texts.astype("string").str.extract(f"({regex(f, v)})", expand=True)[0]
    values = words.map(lambda w: value_of(w, f, v) if isinstance(w, str) else None)
    return values.astype("float64"), words


def read_one(text: str, f: Figure, v: Vocabulary) -> tuple[float | None, str | None]:
    """(value, words read) of ``f`` in one text; (None, None) when absent."""
    values, words = read_series(pd.Series([text]), f, v)
    w = words.iloc[0]
    return (None if pd.isna(values.iloc[0]) else float(values.iloc[0])), (
        None if pd.isna(w) else str(w)
    )


# --- ibis -------------------------------------------------------------------------------------------


def read_table(t: ir.Table, text: str, wanted: dict[str, Figure], v: Vocabulary) -> ir.Table:
    """``t`` with two columns per wanted figure: ``<name>`` (its value) and ``<name>_words``.

    ``text`` names a text column of ``t`` (read as written: digits and letters of either width).
    """
    col = t[text]
    t = t.mutate(
        **{f"{n}_words": col.re_extract(regex(f, v), 0).nullif("") for n, f in wanted.items()}
    )
    return values_table(t, {n: (f,) for n, f in wanted.items()}, v)


def values_table(t: ir.Table, slots: dict[str, tuple[Figure, ...]], v: Vocabulary) -> ir.Table:
    """``t`` (with ``<name>_words`` for each slot) with ``<name>``, the value read.

    A slot holds the words of one of its figures (say the first figure of whichever offence
    a row is), so one number parse serves several figures. The number, big-number word and
    unit are taken apart without capture groups (an engine extracts a group far slower than
    it finds a match): the tail (number to unit) is cut from the words, the number from the
    tail's start, the unit from its end, the big-number word from what lies between. Then
    the number's value (:func:`numerals.value_table`). Each step is a projection of its
    own, so every long regular expression appears once in the query.
    """
    big = pattern(tuple(v.factors("units", "multipliers")), exact=True)
    tails = {
        f"_{n}_tail": t[f"{n}_words"].re_extract(_parser(figs, v), 0) for n, figs in slots.items()
    }
    t = t.mutate(**tails)
    signed: dict[str, ir.Value] = {}
    for n, figs in slots.items():  # ￥9,100.00 read as 9,100.00元
        signs = _signs(figs, v)
        if not signs:
            continue
        tail = t[f"_{n}_tail"]
        lead = f"^(?:{pattern(tuple(signs), exact=True)})\\s*"
        rest = tail.re_replace(lead, "")
        unit = ibis.cases(
            *[(tail.startswith(sign), u) for sign, u in signs.items()], else_=ibis.literal("")
        )
        has_unit = rest.re_search(f"(?:{_unit_pattern(figs, v)})$")
        signed[f"_{n}_tail"] = ibis.ifelse(
            tail.re_search(lead), ibis.ifelse(has_unit, rest, rest.concat(unit)), tail
        )
    if signed:
        t = t.mutate(**signed)
    step: dict[str, ir.Value] = {}
    for n in slots:
        tail = t[f"_{n}_tail"]
        step[f"_{n}_n"] = tail.re_extract(f"^(?:{numerals.NUMBER})", 0)
        step[f"_{n}_r"] = tail.re_replace(f"^(?:{numerals.NUMBER})", "")
    t = t.mutate(**step).drop(*tails)
    parts: dict[str, ir.Value] = {}
    for n, figs in slots.items():
        rest = t[f"_{n}_r"]
        parts[f"_{n}_x"] = rest.re_extract(f"(?:{_unit_pattern(figs, v)})$", 0)
        parts[f"_{n}_m"] = rest.re_replace(f"(?:{_unit_pattern(figs, v)})$", "").re_extract(big, 0)
    t = t.mutate(**parts).drop(*[f"_{n}_r" for n in slots])
    t = t.mutate(**{f"_{n}_u": squeeze_expr(t[f"_{n}_x"]) for n in slots}).drop(
        *[f"_{n}_x" for n in slots]
    )
    t = numerals.value_table(t, {f"_{n}_v": f"_{n}_n" for n in slots})
    values: dict[str, ir.Value] = {}
    for n, figs in slots.items():
        big = factor_expr(t[f"_{n}_m"], v.factors("units", "multipliers"), 1.0)
        factor = factor_expr(t[f"_{n}_u"], _units(figs, v), None)
        values[n] = (t[f"_{n}_v"] * big * factor).round(6)
    t = t.mutate(**values)
    return t.drop(*[f"_{n}_{k}" for n in slots for k in ("n", "m", "u", "v")])


def factor_expr(
    written: ir.StringValue, factors: dict[str, float], default: float | None
) -> ir.Value:
    """The factor of each written word (``default`` for any other), one test per factor."""
    by_factor: dict[float, list[str]] = {}
    for word, factor in factors.items():
        by_factor.setdefault(factor, []).append(word)
    return ibis.cases(
        *[(written.isin(words), factor) for factor, words in by_factor.items()],
        else_=ibis.literal(default, "float64"),
    )
