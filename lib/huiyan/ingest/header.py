"""Finding the header row of an export and mapping its cells onto the contract's columns.

Agency systems put a title row, an export-time row or a unit row above the
header, and some write two header rows (a merged "当事人" above "名称" and
"证件号码"). The header is the row (or pair of adjacent rows) among the first
rows of a file that names the most contract columns by English name, Chinese
label or alias; ``--header-row N`` points at it instead. A header is refused
when it is ambiguous: the same name twice, or two aliases of one column.

Example:
    >>> from huiyan import contracts
    >>> matcher = HeaderMatcher.of(contracts.dataset("deaths"))
    >>> found = find_header([(1, ["死亡人口导出"]), (2, ["身份证号", "姓名", "死亡日期"])], matcher)
    >>> (found.rows, found.headers, found.is_detected)
    ((2,), ('身份证号', '姓名', '死亡日期'), True)
"""

from __future__ import annotations

import difflib
import itertools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from huiyan.contracts import Column, Dataset
from huiyan.errors import IngestError
from huiyan.ingest.layout import vocabulary

Row = tuple[int, Sequence[str | None]]
"""A row as read from a file: its line (or Excel row) number and its cells."""

_NEAR_CUTOFF = 0.5
_NEAR_SHOWN = 3


def header_key(header: str) -> str:
    """How headers are compared: NFKC (full-width -> half-width), no spaces, lower-case.

    >>> header_key(" 补偿面积（亩） ") == header_key("补偿面积(亩)")
    True
    """
    return "".join(unicodedata.normalize("NFKC", header).split()).lower()


def column_letter(position: int) -> str:
    """The spreadsheet letter of a 1-based column position.

    >>> column_letter(1), column_letter(26), column_letter(28)
    ('A', 'Z', 'AB')
    """
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _where(position: int) -> tuple[str, str]:
    """'第 2 列（B）' and 'column 2 (B)' for a 0-based position."""
    n = position + 1
    return f"第 {n} 列（{column_letter(n)}）", f"column {n} ({column_letter(n)})"


@dataclass(frozen=True)
class HeaderMatcher:
    """Which contract column a header cell names, for one dataset."""

    dataset: Dataset
    lookup: dict[str, Column]

    @classmethod
    def of(cls, ds: Dataset) -> HeaderMatcher:
        lookup: dict[str, Column] = {}
        for col in ds.columns:
            for header in col.headers:
                lookup.setdefault(header_key(header), col)
        return cls(ds, lookup)

    def column(self, cell: str | None) -> Column | None:
        """The contract column ``cell`` names, or None."""
        return self.lookup.get(header_key(cell)) if cell else None

    def score(self, cells: Sequence[str | None]) -> int:
        """How many distinct contract columns a row names."""
        return len({c.name for cell in cells if (c := self.column(cell)) is not None})

    @property
    def threshold(self) -> int:
        """The fewest columns a row must name to be taken for the header."""
        return min(2, len(self.dataset.columns))


@dataclass(frozen=True)
class HeaderFound:
    """The header of one file or sheet.

    Attributes:
        rows: the line (or Excel row) numbers of the header: one, or two for a two-row header.
        headers: one header text per column, as the file spells it (two-row headers joined).
        is_detected: False when no row named enough contract columns and the first
            non-blank row was taken as it is.
        searched: how many rows from the top were searched.
        above: the non-blank rows above the header (titles, export time, notes), skipped.
    """

    rows: tuple[int, ...]
    headers: tuple[str, ...]
    is_detected: bool
    searched: int
    above: int = 0

    @property
    def last_row(self) -> int:
        return self.rows[-1]

    def rows_text(self) -> tuple[str, str]:
        """'第3行' / 'row 3', or '第3-4行' / 'rows 3-4'."""
        if len(self.rows) == 1:
            return f"第{self.rows[0]}行", f"row {self.rows[0]}"
        return f"第{self.rows[0]}-{self.rows[-1]}行", f"rows {self.rows[0]}-{self.rows[-1]}"


def _text(cell: str | None) -> str:
    return cell.strip() if cell else ""


def _joined(
    parent: Sequence[str | None], child: Sequence[str | None], m: HeaderMatcher
) -> list[str]:
    """Two header rows read as one: per column the parent+child, child or parent that matches."""
    out: list[str] = []
    for i in range(max(len(parent), len(child))):
        p = _text(parent[i]) if i < len(parent) else ""
        c = _text(child[i]) if i < len(child) else ""
        if not c or header_key(c) == header_key(p):
            out.append(p)
            continue
        options = [p + c, c, p] if p else [c]
        out.append(next((o for o in options if m.column(o) is not None), p + c))
    return out


def _has_groups(cells: Sequence[str]) -> bool:
    """Whether a row can be the upper of two header rows: a merged (repeated) or empty cell.

    >>> _has_groups(["序号", "当事人", "当事人", "日期"]), _has_groups(["序号", "姓名", "日期"])
    (True, False)
    """
    width = len(cells) - next((i for i, c in enumerate(reversed(cells)) if c), len(cells))
    return any(not c for c in cells[:width]) or any(
        a and a == b for a, b in itertools.pairwise(cells[:width])
    )


def find_header(
    rows: Sequence[Row], matcher: HeaderMatcher, *, header_row: int | None = None
) -> HeaderFound:
    """The header among the first non-blank ``rows`` (``(line, cells)``, in file order).

    Raises:
        IngestError: there are no rows, or ``header_row`` is given but that row is blank
            or past the end.
    """
    if not rows:
        raise IngestError(
            "表格是空的。", "the table is empty.", "请重新导出 Please export it again."
        )
    searched = rows[: vocabulary().header_search_rows] if header_row is None else rows
    candidates: list[tuple[tuple[int, ...], list[str]]] = []
    for i, (line, cells) in enumerate(searched):
        if header_row is not None and line != header_row:
            continue
        single = [_text(c) for c in cells]
        candidates.append(((line,), single))
        if i + 1 < len(searched) and searched[i + 1][0] == line + 1 and _has_groups(single):
            candidates.append(((line, line + 1), _joined(cells, searched[i + 1][1], matcher)))
    if header_row is not None and not candidates:
        raise IngestError(
            f"第 {header_row} 行是空行或超出了文件末尾，不能作表头（--header-row）。",
            f"row {header_row} is blank or past the end of the file, so it cannot be the header "
            "(--header-row).",
        )
    # The row naming most columns, earliest first; on a tie one row beats two.
    ranked = sorted(candidates, key=lambda c: (-matcher.score(c[1]), len(c[0]) > 1, c[0][0]))
    best = ranked[0] if ranked else None
    if best is not None and (matcher.score(best[1]) >= matcher.threshold or header_row is not None):
        lines, headers = best
        above = sum(1 for line, _ in rows if line < lines[0])
        return HeaderFound(lines, tuple(headers), True, len(searched), above)
    line, cells = rows[0]
    return HeaderFound((line,), tuple(_text(c) for c in cells), False, len(searched))


@dataclass(frozen=True)
class HeaderMap:
    """Contract column -> 0-based position in the file, with what was left out or wrong."""

    positions: dict[str, int]
    ignored: tuple[str, ...]
    problems: tuple[tuple[str, str], ...]


def _similarity(a: str, b: str) -> float:
    a, b = header_key(a), header_key(b)
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    return max(ratio, 0.8) if a and b and (a in b or b in a) else ratio


def near_matches(col: Column, headers: Sequence[str]) -> list[str]:
    """The headers most like any accepted name of ``col``, best first (at most three).

    >>> from huiyan import contracts
    >>> near_matches(contracts.dataset("deaths").column("death_date"), ["死亡日", "姓名"])
    ['死亡日']
    """
    scored = [(max(_similarity(h, a) for a in col.headers), h) for h in headers if h]
    scored = [s for s in scored if s[0] >= _NEAR_CUTOFF]
    scored.sort(key=lambda s: -s[0])
    return list(dict.fromkeys(h for _, h in scored))[:_NEAR_SHOWN]


def _ambiguous(col: Column, first: tuple[int, str], other: tuple[int, str]) -> tuple[str, str]:
    (i, a), (j, b) = first, other
    (zi, ei), (zj, ej) = _where(i), _where(j)
    if header_key(a) == header_key(b):
        return (
            f'表头 "{a}" 出现了两次（{zi}和{zj}），两列都可能是 {col.label}，无法确定用哪一列；'
            "请删除或改名其中一列。",
            f'the header "{a}" appears twice ({ei} and {ej}); either could be "{col.name}". '
            "Delete or rename one of them.",
        )
    return (
        f'表头 "{a}"（{zi}）和 "{b}"（{zj}）都对应 {col.label}，无法确定用哪一列；请只保留其中一列。',
        f'the headers "{a}" ({ei}) and "{b}" ({ej}) both mean "{col.name}"; keep only one of them.',
    )


def map_headers(
    found: HeaderFound,
    matcher: HeaderMatcher,
    *,
    sheet: str | None = None,
    empty: frozenset[int] = frozenset(),
) -> HeaderMap:
    """Map the header cells onto contract columns; list every problem at once.

    ``empty`` are positions of columns with no header and no data, which are not
    worth reporting as ignored.
    """
    ds = matcher.dataset
    seen: dict[str, tuple[int, str]] = {}
    ignored: list[str] = []
    problems: list[tuple[str, str]] = []
    for i, header in enumerate(found.headers):
        col = matcher.column(header)
        if col is None:
            if header or i not in empty:
                ignored.append(header or f"列{i + 1}")
        elif col.name in seen:
            problems.append(_ambiguous(col, seen[col.name], (i, header)))
        else:
            seen[col.name] = (i, header)
    missing = [c for c in ds.columns if c.required and c.name not in seen]
    unmatched = [h for h in found.headers if h and matcher.column(h) is None]
    for col in missing:
        zh = f"缺少必填列 {col.label}（可用列名：{'、'.join(col.headers)}）。"
        en = f'the required column "{col.name}" is missing (accepted headers: {", ".join(col.headers)}).'
        near = near_matches(col, unmatched)
        if near:
            quoted = [f'"{h}"' for h in near]
            zh += f"最接近的列是 {'、'.join(quoted)}，是否写错了？"
            en += f" The nearest headers present: {', '.join(quoted)}; is one of them misspelt?"
        problems.append((zh, en))
    if missing:
        problems.append(_found_text(found, sheet))
    return HeaderMap({c: i for c, (i, _) in seen.items()}, tuple(ignored), tuple(problems))


def _found_text(found: HeaderFound, sheet: str | None) -> tuple[str, str]:
    """What the header looked like, for a refusal: the headers found and where."""
    present = [h for h in found.headers if h]
    listed_zh, listed_en = "、".join(present) or "（无）", ", ".join(present) or "(none)"
    if not found.rows:  # Parquet: the column names are the header
        return f"文件的列名是：{listed_zh}。", f"The file's columns are: {listed_en}."
    zh_rows, en_rows = found.rows_text()
    in_zh = f"工作表“{sheet}”" if sheet else ""
    in_en = f' of sheet "{sheet}"' if sheet else ""
    zh = f"{in_zh}{zh_rows}的表头是：{listed_zh}。"
    en = f"The headers on {en_rows}{in_en} are: {listed_en}."
    if not found.is_detected:
        zh += (
            f"前 {found.searched} 行中没有一行像这个数据集的表头；"
            "若表头在更下面，请用 --header-row N 指定行号。"
        )
        en += (
            f" None of the first {found.searched} rows looks like this dataset's header; "
            "if it is lower down, give its row number with --header-row N."
        )
    return zh, en
