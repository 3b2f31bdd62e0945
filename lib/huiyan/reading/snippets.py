"""The words a clue was read from, in their context: a short snippet with … where it is cut.

A snippet is at most :data:`WIDTH` characters of the original text around the
words read (some context before them, the words, what follows), with "…" at a
cut end. The words are found in the text as written (in Python, also in its
half-width copy, whose characters stand where the original's do), and the snippet
is cut from the original, so it shows the document as written.

>>> snippet("经查，张三于2022年5月17日在曹娥江河段非法采砂约3,200吨，价值约9.6万元，违反了《中华人民共和国矿产资源法》第三条的规定。", "价值约9.6万元", width=30)
'…非法采砂约3,200吨，价值约9.6万元，违反了《中华人…'
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from huiyan.reading import numerals

WIDTH = 60
"""The longest snippet, in characters (the … marks included)."""
BEFORE = 12
"""How much context comes before the words read."""
ELLIPSIS = "…"


def snippet(text: str, words: str | None, *, width: int = WIDTH) -> str | None:
    """The snippet of ``text`` around ``words`` (as written, or in its half-width copy); None if absent."""
    if not text or not words:
        return None
    flat = " ".join(text.split("\n")) if "\n" in text else text
    at = flat.find(words)
    if at < 0:  # words read from a normalised copy of the text
        at = numerals.normalise(flat).find(numerals.normalise(words))
    if at < 0:
        return None
    room = width - 2
    start = max(0, min(at - BEFORE, len(flat) - room))
    piece = flat[start : start + room]
    return (ELLIPSIS if start > 0 else "") + piece + (ELLIPSIS if start + room < len(flat) else "")


def snippet_expr(
    text: ir.StringValue, words: ir.StringValue, *, width: int = WIDTH
) -> ir.StringValue:
    """:func:`snippet` as an ibis expression (null where ``words`` is null or not found as written)."""
    flat = text.replace("\n", " ")
    at = flat.find(words)
    room = width - 2
    n = flat.length()
    start = ibis.greatest(0, ibis.least(at - BEFORE, n - room))
    piece = flat.substr(start, room)
    out = (
        ibis.ifelse(start > 0, ELLIPSIS, "")
        .concat(piece)
        .concat(ibis.ifelse(start + room < n, ELLIPSIS, ""))
    )
    return ibis.ifelse(words.notnull() & (at >= 0), out, ibis.null("string"))  # type: ignore[no-any-return]
