"""Numbers as Chinese documents write them: 3,200 / ３，２００ / 三千二百 / 壹拾贰万 / 四点二 / 9.6万.

Two readers of the same numbers, which give the same values:

- Python: :func:`normalise` a text, then :func:`value` of a number as written;
- ibis (inside the database, DuckDB and Spark alike): :func:`normalise_expr` and
  :func:`value_table`, built from ``translate``, ``re_extract`` and casts only.

>>> normalise("采砂３，２００吨（约）")
'采砂3,200吨(约)'
>>> [value(x) for x in ("3,200", "9.6", "三千二百", "壹拾贰", "十五", "二〇二二", "四点二", "一万二千")]
[3200.0, 9.6, 3200.0, 12.0, 15.0, 2022.0, 4.2, 12000.0]
>>> cn_number("壹万贰仟")
12000
"""

from __future__ import annotations

import re

import ibis
import ibis.expr.types as ir

# Full-width ASCII (！..～) to half-width, the ideographic space to a space. Chinese
# punctuation without an ASCII twin (，is U+FF0C and has one; 。、 do not) stays.
FULL = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
HALF = "".join(chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)) + " "
_WIDTH = str.maketrans(FULL, HALF)

ARABIC = r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?"
"""An Arabic number, half- or full-width: 3200, 3,200, ３，２００, 9.6, 96,000.00 (texts are read
as written: making a whole text half-width first costs more than the reading)."""
_CN_DIGITS = "零〇○一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
_CN_UNITS = "十百千拾佰仟"
CHINESE = f"[{_CN_DIGITS}{_CN_UNITS}][{_CN_DIGITS}{_CN_UNITS}万亿点]*"
"""A Chinese numeral: starts with a digit or 十/百/千 (never 万, 亿 or 点): 三千二百, 壹拾贰万, 四点二."""
NUMBER = f"(?:{ARABIC}|{CHINESE})"

_TO_ARABIC = {**{c: "零" for c in "零〇○"}, **dict(zip("一二三四五六七八九", "123456789", strict=True)),
              **dict(zip("壹贰叁肆伍陆柒捌玖", "123456789", strict=True)), "两": "2",
              "拾": "十", "佰": "百", "仟": "千"}  # fmt: skip
_FROM, _TO = "".join(_TO_ARABIC), "".join(_TO_ARABIC.values())
_NARROW_FROM, _NARROW_TO = "０１２３４５６７８９．，", "0123456789.,"
"""Full-width digits and marks to half-width, for an Arabic number just read (a short string)."""
_SECTION = r"(?:([0-9])千)?零?(?:([0-9])百)?零?(?:([0-9])十)?零?([0-9])?"
_YI = f"^{_SECTION}亿"
_PLACES = f"^(?:[^亿]*亿)?零?(?:{_SECTION}万)?零?{_SECTION}(?:点([0-9零]+))?$"
"""A rewritten Chinese numeral, place by place: 4 one-digit groups of the 亿 section (:data:`_YI`),
then 8 of the 万 section and the rest, and the decimals (:data:`_PLACES`; no engine reads more
than 9 groups); a place not written is 0. The same patterns in Python and SQL."""


def normalise(text: str) -> str:
    """The text with full-width letters, digits and punctuation made half-width."""
    return text.translate(_WIDTH)


def normalise_expr(col: ir.StringValue) -> ir.StringValue:
    """:func:`normalise` as an ibis expression."""
    return col.translate(FULL, HALF)


def _rewritten(text: str) -> str:
    """Digits and capitals as Arabic digits, 零 kept, a bare 十 as 1十 (as :func:`value_table`)."""
    x = text.translate(str.maketrans(_FROM, _TO))
    x = re.sub("^十", "1十", x)
    for unit in "亿万千百":
        x = x.replace(unit + "十", unit + "1十")
    return x


def _digits(text: str) -> tuple[str, str] | None:
    """(the 12 place digits, the decimals) of a Chinese numeral, or None when it is none."""
    x = _rewritten(text)
    m = re.match(_PLACES, x)
    if m is None:
        return None
    yi = re.match(_YI, x)
    high = "".join(g or "0" for g in yi.groups()) if yi else "0000"
    groups = m.groups()
    return high + "".join(g or "0" for g in groups[:8]), (groups[8] or "").replace("零", "0")


def cn_number(text: str) -> int | None:
    """The integer a Chinese numeral spells (一百二十, 壹万贰仟, 二〇一八 digit by digit), or None.

    >>> cn_number("一千零五十"), cn_number("两万"), cn_number("三百五"), cn_number("一亿零五百万")
    (1050, 20000, 305, 105000000)
    """
    if not text:
        return None
    x = _rewritten(text)
    if re.fullmatch("[0-9零]+", x):  # 二〇一八: read digit by digit
        return int(x.replace("零", "0"))
    found = _digits(text)
    if found is None or found[1]:
        return None
    return int(found[0])


def value(written: str) -> float | None:
    """The value of one number as written (Arabic, half- or full-width, or Chinese), or None."""
    if not written:
        return None
    written = normalise(written)
    if written[0].isdigit():
        return float(written.replace(",", ""))
    x = _rewritten(written)
    if re.fullmatch("[0-9零]+", x):
        return float(x.replace("零", "0"))
    found = _digits(written)
    if found is None:
        return None
    whole, decimals = found
    return float(f"{int(whole)}.{decimals}") if decimals else float(int(whole))


# --- ibis ---------------------------------------------------------------------------------------


def value_table(t: ir.Table, sources: dict[str, str]) -> ir.Table:
    """``t`` with a column ``<dst>`` = :func:`value` of column ``<src>`` for each ``dst: src``.

    Arabic numbers are cast directly. Chinese numerals are rewritten (digits and capitals
    to Arabic digits, a bare 十 to 1十), then read place by place (:data:`_YI`,
    :data:`_PLACES`) into a 12-digit string: two projections, so no step is repeated in the
    query. Portable: translate, replace, re_extract, concat and casts only.
    """
    step: dict[str, ir.Value] = {}
    for d, src in sources.items():
        written = t[src].nullif("")
        chinese = ibis.ifelse(written.re_search("^[0-9０-９]"), ibis.null("string"), written)
        x = chinese.translate(_FROM, _TO).re_replace("^十", "1十")
        for unit in "亿万千百":
            x = x.replace(unit + "十", unit + "1十")
        step[f"_{d}_t"] = x
    t = t.mutate(**step)
    out: dict[str, ir.Value] = {}
    for d, src in sources.items():
        x = t[f"_{d}_t"]
        places = [x.re_extract(_YI, k) for k in range(1, 5)]
        places += [x.re_extract(_PLACES, k) for k in range(1, 9)]
        digits = places[0].nullif("").fill_null("0")
        for place in places[1:]:
            digits = digits.concat(place.nullif("").fill_null("0"))
        dec = x.re_extract(_PLACES, 9).replace("零", "0")
        number = ibis.ifelse(dec == "", digits, digits.concat(".", dec))
        matched = x.re_search(_PLACES)
        chinese = ibis.ifelse(
            x.re_search("^[0-9零]+$"),
            x.replace("零", "0").cast("float64"),
            ibis.ifelse(matched, number.cast("float64"), ibis.null("float64")),
        )
        written = t[src].nullif("")
        arabic = written.translate(_NARROW_FROM, _NARROW_TO).replace(",", "").cast("float64")
        out[d] = ibis.ifelse(written.re_search("^[0-9０-９]"), arabic, chinese)
    t = t.mutate(**out)
    return t.drop(*[f"_{d}_t" for d in sources])
