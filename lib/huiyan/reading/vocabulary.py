"""The reading vocabulary: word lists as data (``datasets/vocabulary.yaml``), extended per county.

The repository's ``datasets/vocabulary.yaml`` holds every list the readers use;
a county adds words in ``<workspace>/datasets/vocabulary-local.yaml`` (same
keys, only the lists it extends). Local words are appended, never replace the
shared ones. :func:`load` merges both and gives a :class:`Vocabulary` with the
versions and a fingerprint the run manifest records.

>>> v = load(local=None)
>>> "禁采区" in v.words("offences", "mining", "restricted")
True
>>> v.version
'2026.1'
>>> import re
>>> bool(re.search(pattern(["生产销售"]), "生产、销售伪劣产品"))
True
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from huiyan.errors import ContractError

if TYPE_CHECKING:  # ibis is imported where an expression is built: parsing needs none of it
    import ibis.expr.types as ir

_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser: ~10x faster

REPO_ROOT = Path(__file__).resolve().parents[3]
BASE_PATH = REPO_ROOT / "datasets" / "vocabulary.yaml"
LOCAL_NAME = "vocabulary-local.yaml"
"""A county's additions, in ``<workspace>/datasets/``."""

SEPARATORS = "、·/／ \u3000"
"""Characters tolerated between two characters of a word (生产、销售 is 生产销售)."""
_GAP_CLASS = "[\\s\u3000、·/／]"
"""A space (the ideographic one written as itself: RE2 reads no \\u escapes) or 、·/／."""
_GAP = _GAP_CLASS + "?"


@dataclass(frozen=True)
class Vocabulary:
    """The merged word lists, with where they came from.

    Attributes:
        data: the merged YAML tree (lists of words under nested keys).
        version: the shared vocabulary's version; local_version: the county's, or None.
        sources: the files read, shared first.
        fingerprint: a short hash of the merged lists (changes with any word).
    """

    data: dict[str, Any]
    version: str
    local_version: str | None = None
    sources: tuple[str, ...] = ()
    fingerprint: str = ""
    _cache: dict[tuple[str, ...], Any] = field(default_factory=dict, compare=False, repr=False)

    def node(self, *keys: str) -> Any:
        """The value under ``keys`` (a list, a mapping or a number); KeyError names the path."""
        value: Any = self.data
        for i, key in enumerate(keys):
            if not isinstance(value, dict) or key not in value:
                raise KeyError("vocabulary has no " + ".".join(keys[: i + 1]))
            value = value[key]
        return value

    def words(self, *keys: str) -> tuple[str, ...]:
        """The word list under ``keys``, longest first (so a longer word wins at one position)."""
        found = self._cache.get(keys)
        if found is None:
            raw = self.node(*keys)
            items = raw.keys() if isinstance(raw, dict) else raw
            found = tuple(sorted({str(w) for w in items}, key=lambda w: (-len(w), w)))
            self._cache[keys] = found
        return found  # type: ignore[no-any-return]

    def factors(self, *keys: str) -> dict[str, float]:
        """A unit table under ``keys``: written unit -> factor."""
        return {str(k): float(v) for k, v in self.node(*keys).items()}

    def describe(self) -> dict[str, Any]:
        """What a run manifest records: versions, fingerprint, files."""
        return {
            "version": self.version,
            "local_version": self.local_version,
            "fingerprint": self.fingerprint,
            "sources": list(self.sources),
        }


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML)
    except (OSError, yaml.YAMLError) as err:
        raise ContractError(
            f"无法读取词表 {path}：{err}",
            f"Cannot read the vocabulary {path}: {err}",
            "请检查该文件是否为有效的 YAML（词表见 datasets/vocabulary.yaml）。"
            "Check that the file is valid YAML (see datasets/vocabulary.yaml).",
        ) from err
    if not isinstance(raw, dict):
        raise ContractError(
            f"词表 {path} 应为键值结构。", f"The vocabulary {path} must be a mapping of lists."
        )
    return raw


def _merge(base: Any, extra: Any, where: str, path: Path) -> Any:
    if isinstance(base, dict):
        if not isinstance(extra, dict):
            raise ContractError(
                f"词表 {path} 的 {where} 应为键值结构，与 datasets/vocabulary.yaml 一致。",
                f"In {path}, {where} must be a mapping, as in datasets/vocabulary.yaml.",
            )
        out = dict(base)
        for key, value in extra.items():
            if key not in base:
                from huiyan.errors import did_you_mean

                raise ContractError(
                    f"词表 {path} 中的 {where}.{key} 不是已有的词表项。{did_you_mean(str(key), base)}",
                    f"In {path}, {where}.{key} is not a list of the shared vocabulary.",
                    "本地词表只能向已有的列表添加词语 A local vocabulary only adds words to existing lists.",
                )
            out[key] = _merge(base[key], value, f"{where}.{key}", path)
        return out
    if isinstance(base, list):
        items = extra if isinstance(extra, list) else [extra]
        return base + [w for w in items if w not in base]
    return base  # numbers (window sizes) stay the shared ones


def local_path(home: Path | None = None) -> Path:
    """Where a workspace keeps its local additions: ``<home>/datasets/vocabulary-local.yaml``."""
    if home is None:
        home = Path(os.environ.get("HUIYAN_HOME") or REPO_ROOT)
    return Path(home) / "datasets" / LOCAL_NAME


def load(*, base: Path = BASE_PATH, local: Path | str | None = "auto") -> Vocabulary:
    """The shared vocabulary merged with a county's additions.

    Args:
        base: the shared file (default ``datasets/vocabulary.yaml`` of the repository).
        local: the county's file; "auto" = ``vocabulary-local.yaml`` in the current workspace's
            ``datasets/`` (``$HUIYAN_HOME``, else the repository) when it exists; None = none.
    """
    path = local_path() if local == "auto" else (Path(local) if local else None)
    stamp = []
    for p in (base, path):
        if p is not None and p.exists():
            st = p.stat()
            stamp.append((str(p), st.st_mtime_ns, st.st_size))
    return _load(tuple(stamp))


@lru_cache(maxsize=8)
def _load(stamp: tuple[tuple[str, int, int], ...]) -> Vocabulary:
    (base_file, _, _), *rest = stamp
    data = _read(Path(base_file))
    version = str(data.pop("version", "0"))
    local_version = None
    for file, _, _ in rest:
        extra = _read(Path(file))
        local_version = str(extra.pop("version", "local"))
        data = _merge(data, extra, "vocabulary", Path(file))
    digest = hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode())
    return Vocabulary(
        data=data,
        version=version,
        local_version=local_version,
        sources=tuple(s[0] for s in stamp),
        fingerprint=digest.hexdigest()[:12],
    )


def tolerant(word: str, *, gap: int = 1) -> str:
    """A regular expression of ``word`` that tolerates up to ``gap`` spaces or 、·/ between characters,
    and takes letters and digits in either width and case.

    >>> import re
    >>> [bool(re.fullmatch(tolerant("醉驾"), s)) for s in ("醉驾", "醉 驾", "醉、驾", "醉酒驾")]
    [True, True, True, False]
    >>> bool(re.fullmatch(tolerant("mg/100ml"), "ｍｇ／１００ｍＬ"))
    True
    """
    chars = [c for c in word if c not in SEPARATORS]
    sep = _GAP if gap == 1 else f"{_GAP_CLASS}{{0,{gap}}}"
    return sep.join(_char(c) for c in chars)


def _char(c: str) -> str:
    """One character of a word, in either width when it has a full-width twin (m or ｍ)."""
    if "!" <= c <= "~" and c.isalnum():
        wide = chr(ord(c) + 0xFEE0)
        if c.isalpha():
            return f"[{c.lower()}{c.upper()}{chr(ord(c.lower()) + 0xFEE0)}{chr(ord(c.upper()) + 0xFEE0)}]"
        return f"[{c}{wide}]"
    return re.escape(c)


def squeeze(word: str) -> str:
    """``word`` half-width, lower-case, without the separators :func:`tolerant` allows (how units
    are looked up: ｍｇ／１００ｍＬ is mg100ml)."""
    narrow = word.translate(_WIDTH)
    return "".join(c for c in narrow if c not in SEPARATORS and not c.isspace()).lower()


_WIDTH = str.maketrans(
    "".join(chr(c) for c in range(0xFF01, 0xFF5F)),
    "".join(chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)),
)


_FULL = "".join(chr(c) for c in range(0xFF01, 0xFF5F))
_CJK_ONLY = f"^[{chr(0x4E00)}-{chr(0x9FFF)}]*$"


def squeeze_expr(col: ir.StringValue) -> ir.StringValue:
    """:func:`squeeze` as an ibis expression (of a short word, such as a unit as written).

    A word of Chinese characters only is left as it is; only the others are made half-width,
    lower-case and stripped of separators (translating every word would cost more than the
    reading).
    """
    import ibis

    narrow = ibis.ifelse(
        col.re_search(f"[{_FULL}]"), col.translate(_FULL, _FULL.translate(_WIDTH)), col
    )
    squeezed = narrow.re_replace(_GAP_CLASS, "").lower()
    return ibis.ifelse(col.re_search(_CJK_ONLY), col, squeezed)


def cover(words: tuple[str, ...] | list[str], *, most: int = 8) -> tuple[str, ...] | None:
    """A few characters one of which each word must contain as written, or None if more are needed.

    A text holding none of them mentions none of the words, so a cheap ``contains`` can go
    before the regular expression. A letter or digit counts in both widths and cases.

    >>> cover(["醉酒", "饮酒", "酒后", "醉驾"])
    ('酒', '驾')
    >>> cover(["HW08", "HW49"])
    ('W', 'w', 'Ｗ', 'ｗ')
    """
    left = [[c for c in w if c not in SEPARATORS] for w in words if w]
    chosen: list[str] = []
    while left:
        counts: dict[str, int] = {}
        for w in left:
            for c in dict.fromkeys(w):
                counts[c] = counts.get(c, 0) + 1
        best = max(counts, key=lambda c: (counts[c], -len(_variants(c)), c))
        chosen += _variants(best)
        if len(chosen) > most:
            return None
        left = [w for w in left if best not in w]
    return tuple(chosen)


def _variants(c: str) -> list[str]:
    """``c`` in every form :func:`tolerant` reads it (both widths, both cases)."""
    if "!" <= c <= "~" and c.isalnum():
        forms = dict.fromkeys([c.upper(), c.lower()])
        return list(forms) + [chr(ord(f) + 0xFEE0) for f in forms]
    return [c]


def found_expr(
    col: ir.StringValue, words: tuple[str, ...] | list[str], *, exact: bool = False
) -> ir.BooleanValue:
    """Whether ``col`` holds one of ``words`` (as :func:`pattern` reads them); false for null.

    The regular expression runs only where a character of :func:`cover` is found.
    """
    import ibis

    found = col.re_search(pattern(words, exact=exact)).fill_null(False)
    chars = cover(words)
    if not chars:
        return found
    cheap = col.contains(chars[0])
    for c in chars[1:]:
        cheap = cheap | col.contains(c)
    return ibis.ifelse(cheap.fill_null(False), found, False)


def pattern(words: tuple[str, ...] | list[str], *, exact: bool = False, gap: int = 1) -> str:
    """One alternation of ``words`` (longest first), each :func:`tolerant` unless ``exact``.

    The result uses only syntax Python ``re``, RE2 (DuckDB) and Java (Spark) read alike.
    """
    ordered = sorted(dict.fromkeys(words), key=lambda w: (-len(squeeze(w) or w), w))
    parts = [re.escape(w) if exact else tolerant(w, gap=gap) for w in ordered if w]
    return "(?:" + "|".join(parts) + ")" if parts else r"[^\s\S]"
