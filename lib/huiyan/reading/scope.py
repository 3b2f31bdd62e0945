"""Where a word counts: its clause, its sentence, and not after a negation.

A clause ends at ， , 。 ； ; ! ? and a line break; a sentence at 。 ； ; ! ? and a
line break. A word of a list counts unless a negation cue of the vocabulary
(``negation.cues``) stands before it in its clause, at most ``negation.window``
characters before with none of ``negation.breakers`` between, or one of
``negation.adjacent`` stands right before it: 不属于禁采区 and 非禁采区 are no 禁采区;
非法处置 is still a disposal (非 governs 法), and so is 未经许可擅自倾倒.

The same regular expressions serve Python (:func:`mentions`, :func:`unnegated`)
and the database (:func:`mentions_expr`): the negated mentions are blanked out
first, then the word is searched for.

>>> from huiyan.reading.vocabulary import load
>>> v = load(local=None)
>>> words = v.words("offences", "mining", "restricted")
>>> mentions("经核实，该河段不属于禁采区。", words, v), mentions("在禁采区内采砂", words, v)
(False, True)
>>> mentions("于禁采期（3月1日至6月30日）采砂，非禁采区", words, v)
True
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from huiyan.reading.vocabulary import Vocabulary, found_expr, pattern

if TYPE_CHECKING:  # ibis is imported where an expression is built: parsing needs none of it
    import ibis.expr.types as ir

CLAUSE_STOPS = ",，。;；!?！？\n"
SENTENCE_STOPS = "。;；!?！？\n"
IN_CLAUSE = "[^" + CLAUSE_STOPS + "]"
IN_SENTENCE = "[^" + SENTENCE_STOPS + "]"
BLANK = "\u2205"
"""What a negated mention is replaced by (a character no word holds)."""


def negated_pattern(
    words: tuple[str, ...],
    v: Vocabulary,
    *,
    after: tuple[str, ...] = (),
    before: tuple[str, ...] = (),
) -> str:
    """The regular expression of a negated mention of ``words`` (see the module docstring).

    ``after``: words that negate a mention when they follow it (禁采区外: outside the zone);
    ``before``: words that do when they stand right before it (距禁采区两公里: away from it).
    """
    return _negated(
        words,
        v.words("negation", "cues"),
        v.words("negation", "adjacent"),
        str(v.node("negation", "breakers")),
        int(v.node("negation", "window")),
        tuple(after),
        tuple(before),
    )


@lru_cache(maxsize=256)
def _negated(
    words: tuple[str, ...],
    cues: tuple[str, ...],
    adjacent: tuple[str, ...],
    breakers: str,
    window: int,
    after: tuple[str, ...],
    before: tuple[str, ...] = (),
) -> str:
    target = pattern(words)
    reach = "[^" + CLAUSE_STOPS + breakers + "]"
    far = f"{pattern(cues, exact=True)}{reach}{{0,{window}}}?{target}"
    near = f"{pattern(adjacent, exact=True)}{target}"
    behind = f"|{target}{pattern(after, exact=True)}" if after else ""
    ahead = f"|{pattern(before, exact=True)}{target}" if before else ""
    return f"(?:{far}|{near}{behind}{ahead})"


@lru_cache(maxsize=256)
def _compiled(regex: str) -> re.Pattern[str]:
    return re.compile(regex)


def unnegated(
    text: str,
    words: tuple[str, ...],
    v: Vocabulary,
    *,
    after: tuple[str, ...] = (),
    before: tuple[str, ...] = (),
) -> str:
    """``text`` with every negated mention of ``words`` blanked out."""
    return _compiled(negated_pattern(words, v, after=after, before=before)).sub(BLANK, text)


def mentions(
    text: str,
    words: tuple[str, ...],
    v: Vocabulary,
    *,
    negatable: bool = True,
    after: tuple[str, ...] = (),
    before: tuple[str, ...] = (),
) -> bool:
    """Whether ``text`` mentions one of ``words`` (not negated, when ``negatable``)."""
    if negatable:
        text = unnegated(text, words, v, after=after, before=before)
    return _compiled(pattern(words)).search(text) is not None


def unnegated_expr(
    col: ir.StringValue,
    words: tuple[str, ...],
    v: Vocabulary,
    *,
    after: tuple[str, ...] = (),
    before: tuple[str, ...] = (),
) -> ir.StringValue:
    """:func:`unnegated` as an ibis expression."""
    return col.re_replace(negated_pattern(words, v, after=after, before=before), BLANK)


def mentions_expr(
    col: ir.StringValue,
    words: tuple[str, ...],
    v: Vocabulary,
    *,
    negatable: bool = True,
    after: tuple[str, ...] = (),
    before: tuple[str, ...] = (),
) -> ir.BooleanValue:
    """:func:`mentions` as an ibis expression (false for null).

    The negated mentions are blanked out only in the texts that mention a word at all.
    """
    import ibis

    found = found_expr(col, words)
    if not negatable:
        return found
    kept = unnegated_expr(col, words, v, after=after, before=before)
    kept = kept.re_search(pattern(words)).fill_null(False)
    return ibis.ifelse(found, kept, False)


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (each with its closing mark).

    >>> sentences("甲。乙；丙")
    ['甲。', '乙；', '丙']
    """
    return [s for s in re.findall(f"{IN_SENTENCE}*[{SENTENCE_STOPS}]?", text) if s.strip()]
