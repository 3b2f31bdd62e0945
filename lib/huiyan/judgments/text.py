"""Text clean-up shared by the judgment reader: width, HTML remnants, spacing.

>>> normalise("（2018）赣 0728民初1608号&ldquo;１２，３４５元&rdquo;<p>")
'(2018)赣 0728民初1608号“12,345元”'
"""

from __future__ import annotations

import html
import re

# Full-width ASCII (！..～) to half-width; the ideographic space to a plain space.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20
_WIDTH[0x00A0] = 0x20
_WIDTH[ord("﹙")] = ord("(")
_WIDTH[ord("﹚")] = ord(")")
_WIDTH[ord("［")] = ord("[")
_WIDTH[ord("］")] = ord("]")
_WIDTH[ord("〔")] = ord("[")
_WIDTH[ord("〕")] = ord("]")
_WIDTH[ord("【")] = ord("[")
_WIDTH[ord("】")] = ord("]")
_WIDTH[ord("\ufffd")] = ord("?")
# str.replace on the few common characters is far faster than translate() over the whole text
_COMMON = [(chr(k), chr(v)) for k, v in _WIDTH.items() if chr(k) in "，：；（）　\u00a0"]


def _char_class(codes: list[int]) -> str:
    """A regex character class of the code points, written as ranges (far faster to test)."""
    parts = []
    codes = sorted(codes)
    start = prev = codes[0]
    for code in [*codes[1:], -1]:
        if code != prev + 1:
            parts.append(
                re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else "")
            )
            start = code
        prev = code
    return "[" + "".join(parts) + "]"


_REST = re.compile(_char_class(list(_WIDTH)) + "+")
_ANY_REST = re.compile(_char_class(list(_WIDTH)))
"""One character to convert: a plain class lets the scan test characters one by one (3x faster)."""
_TAG = re.compile(r"<[^<>]{0,200}>")
_ENTITY = re.compile(r"&[a-zA-Z]{2,8};|&#\d{2,6};")


def normalise(text: str) -> str:
    """Half-width digits, letters and punctuation; HTML tags and entities resolved.

    Chinese punctuation without an ASCII twin (，。、：；“”) stays as it is,
    except that full-width comma, colon, semicolon and brackets become ASCII
    (so patterns only need one form of each).
    """
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    for src, dst in _COMMON:
        if src in text:
            text = text.replace(src, dst)
    if _ANY_REST.search(text):
        text = _REST.sub(lambda m: m.group(0).translate(_WIDTH), text)
    return text


def cjk_brackets(name: str) -> str:
    """Names are reported with Chinese brackets, as courts write them: 北京德恒（重庆）律师事务所."""
    return name.replace("(", "（").replace(")", "）").strip()


def after_last(text: str, words: tuple[str, ...]) -> str:
    """What follows the last of ``words`` in a one-line text (the whole text when none occurs).

    The same as ``re.sub(".*(?:w1|w2|...)", "", text)`` (at one position the earlier word
    wins), without the regex's backtracking over every position and every word.

    >>> after_last("送至绍兴市越城区顺达", ("送至", "经由", "经", "至"))
    '绍兴市越城区顺达'
    """
    best = -1
    end = 0
    for word in words:
        i = text.rfind(word)
        if i > best:
            best, end = i, i + len(word)
    return text[end:] if best >= 0 else text
