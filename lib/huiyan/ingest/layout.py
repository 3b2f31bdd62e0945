"""How agency exports lay out their table: title rows above, totals and notes rows below.

The vocabulary lives in ``datasets/export_layout.yaml``: how many rows are
searched for the header, and the words that open a totals row (合计, 总计, …)
or a notes row (备注, 制表人, 导出时间, …). A row after the last data row whose
first non-empty cell starts with one of them is skipped with a count, never
quarantined as a bad record; the same words in the middle of the data mean
nothing special.

Example:
    >>> is_trailer(["合 计", None, "12,000"])
    True
    >>> is_trailer(["制表人：张三"])
    True
    >>> is_trailer(["绍市监罚〔2021〕1号", "合计"])
    False
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from huiyan.workspace import REPO_ROOT

LAYOUT_PATH = REPO_ROOT / "datasets" / "export_layout.yaml"


@dataclass(frozen=True)
class Vocabulary:
    """The words and limits of ``datasets/export_layout.yaml``."""

    header_search_rows: int
    totals: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def trailer_words(self) -> tuple[str, ...]:
        return tuple(_plain(w) for w in (*self.totals, *self.notes))


@functools.cache
def vocabulary() -> Vocabulary:
    """The layout vocabulary, read once."""
    raw = yaml.safe_load(LAYOUT_PATH.read_text(encoding="utf-8"))
    return Vocabulary(
        header_search_rows=int(raw["header_search_rows"]),
        totals=tuple(raw["totals"]),
        notes=tuple(raw["notes"]),
    )


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def first_text(cells: Sequence[str | None]) -> str | None:
    """The first non-empty cell of a row, trimmed; None for a blank row."""
    for cell in cells:
        if cell is not None and cell.strip():
            return cell.strip()
    return None


def is_blank(cells: Sequence[str | None]) -> bool:
    """True when every cell is empty or only spaces."""
    return first_text(cells) is None


def is_trailer(cells: Sequence[str | None]) -> bool:
    """True when the row opens with a totals or notes word (合计, 备注, 制表人, …)."""
    first = first_text(cells)
    return first is not None and _plain(first).startswith(vocabulary().trailer_words)


def trailing(rows: Sequence[Sequence[str | None]]) -> int:
    """How many rows at the end of ``rows`` are totals/notes rows or blank.

    The walk starts at the last row and stops at the first one that is neither
    blank nor a totals/notes row; ``rows`` are in file order.

    >>> trailing([["a"], ["合计", "9"], [None], ["制表人：张三"]])
    3
    >>> trailing([["a"], ["b"]])
    0
    """
    taken = 0
    for cells in reversed(rows):
        if not (is_blank(cells) or is_trailer(cells)):
            break
        taken += 1
    return taken
