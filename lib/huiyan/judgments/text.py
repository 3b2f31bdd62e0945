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
_REST = re.compile("[" + "".join(re.escape(chr(k)) for k in _WIDTH) + "]+")
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
    if _REST.search(text):
        text = _REST.sub(lambda m: m.group(0).translate(_WIDTH), text)
    return text


def cjk_brackets(name: str) -> str:
    """Names are reported with Chinese brackets, as courts write them: 北京德恒（重庆）律师事务所."""
    return name.replace("(", "（").replace(")", "）").strip()
