"""What an ingest did: rows loaded, rows quarantined and why, in words a prosecutor reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Example:
    """One quarantined cell: where it is and what it held."""

    file: str
    line: int | None
    value: str | None


@dataclass(frozen=True)
class ProblemGroup:
    """All quarantined rows that share one reason in one column."""

    reason: str
    zh: str
    en: str
    column: str
    expected: str
    rows: int
    examples: tuple[Example, ...]


@dataclass(frozen=True)
class Layout:
    """Where the table sat in one file, and the rows around it that were skipped, not loaded.

    Attributes:
        file: the file's name.
        sheet: the sheet read, for a workbook with more than one sheet; else None.
        header_rows: the line (or Excel row) numbers of the header: one, two for a
            two-row header, none for Parquet.
        rows_above: title, export-time and notes rows above the header.
        blank_rows: blank lines and empty rows below the header.
        trailers: ``(line, text)`` of each totals or notes row after the data (合计, 制表人, …).
    """

    file: str
    sheet: str | None
    header_rows: tuple[int, ...]
    rows_above: int = 0
    blank_rows: int = 0
    trailers: tuple[tuple[int, str], ...] = ()

    @property
    def skipped(self) -> int:
        """Rows below the header that were neither loaded nor quarantined."""
        return self.blank_rows + len(self.trailers)

    def lines(self) -> list[str]:
        """What the report says about this file; nothing for a plain table from row 1."""
        out: list[str] = []
        rows = self.header_rows
        where = f' 工作表“{self.sheet}” sheet "{self.sheet}"' if self.sheet else ""
        if self.sheet or self.rows_above or rows[:1] not in ((), (1,)) or len(rows) > 1:
            zh_rows = f"第{rows[0]}行" if len(rows) == 1 else f"第{rows[0]}-{rows[-1]}行"
            en_rows = f"row {rows[0]}" if len(rows) == 1 else f"rows {rows[0]}-{rows[-1]}"
            line = f"  {self.file}{where}：表头在{zh_rows} header found on {en_rows}"
            if self.rows_above:
                line += (
                    f"；跳过其上方的标题/说明 {self.rows_above} 行 "
                    f"{self.rows_above} title/notes rows above it skipped"
                )
            out.append(line)
        if self.trailers:
            shown = "; ".join(f"第 {n} 行 row {n}: {_short(t)}" for n, t in self.trailers[:5])
            out.append(
                f"  {self.file}：跳过数据后的合计/备注行 {len(self.trailers)} 行 "
                f"{len(self.trailers)} totals/notes rows after the data skipped — {shown}"
            )
        if self.blank_rows:
            out.append(
                f"  {self.file}：跳过空行 {self.blank_rows:,} 行 {self.blank_rows:,} blank rows skipped"
            )
        return out


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _excerpt(value: str, limit: int = 80) -> str:
    r"""A long value shortened for the console, keeping the first escaped byte in view.

    >>> _excerpt("a" * 100 + "\\xb7")
    '…aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\xb7'
    """
    bad = value.find("\\x")
    if len(value) <= limit or bad < limit - 20:
        return _short(value, limit)
    start = bad - limit // 2
    return "…" + _short(value[start:], limit - 1)


@dataclass(frozen=True)
class IngestReport:
    """The result of :func:`huiyan.ingest.ingest`.

    Attributes:
        dataset: the dataset loaded into.
        files: the files read, in order.
        loaded: rows added to the table.
        quarantined: rows not loaded because they break the contract.
        problems: the quarantined rows grouped by reason and column, with up to 5 examples each.
        ignored_headers: ``(file, header)`` for every column that is not in the contract.
        quarantine_file: the CSV listing every quarantined cell, or None when there is none.
        replaced: whether the table was replaced (``--replace``) rather than appended to.
        table_rows: rows in the table after the ingest.
        layouts: per file, where its header was and which rows around the data were skipped.
    """

    dataset: str
    files: tuple[Path, ...]
    loaded: int
    quarantined: int
    problems: tuple[ProblemGroup, ...]
    ignored_headers: tuple[tuple[str, str], ...]
    quarantine_file: Path | None
    replaced: bool
    table_rows: int
    layouts: tuple[Layout, ...] = ()

    @property
    def skipped(self) -> int:
        """Blank, totals and notes rows below the headers: neither loaded nor quarantined."""
        return sum(layout.skipped for layout in self.layouts)

    def format(self) -> str:
        """The bilingual summary ``huiyan ingest`` prints."""
        from huiyan import contracts

        zh_name = contracts.dataset(self.dataset).zh
        verb_zh = "替换" if self.replaced else "导入"
        lines = [
            f"{verb_zh} {self.dataset}（{zh_name}）：已载入 {self.loaded:,} 行，"
            f"隔离 {self.quarantined:,} 行；数据集现有 {self.table_rows:,} 行。",
            f"{'Replaced' if self.replaced else 'Ingested'} {self.dataset}: "
            f"{self.loaded:,} rows loaded, {self.quarantined:,} rows quarantined; "
            f"the dataset now has {self.table_rows:,} rows.",
        ]
        layout_lines = [line for layout in self.layouts for line in layout.lines()]
        if layout_lines:
            lines.append("表格位置 Where the tables were:")
            lines += layout_lines
        if self.problems:
            lines.append("隔离原因 Why rows were quarantined:")
        for group in self.problems:
            lines.append(f"  - {group.column}：{group.zh} {group.en} — {group.rows:,} 行 rows")
            if group.expected:
                lines.append(f"    应为 Expected: {group.expected}")
            for ex in group.examples:
                where = f"{ex.file} 第 {ex.line} 行 line {ex.line}" if ex.line else ex.file
                value = "（空 empty）" if ex.value is None else f'"{_excerpt(ex.value)}"'
                lines.append(f"    例 e.g. {where}: {value}")
        if self.ignored_headers:
            ignored = "; ".join(f"{f}: {h}" for f, h in self.ignored_headers)
            lines.append(f"已忽略合同之外的列 Ignored columns not in the contract: {ignored}")
        if self.quarantine_file is not None:
            lines.append(f"隔离文件 Quarantine file: {self.quarantine_file}")
            lines.append(
                f"命令已完成，但有 {self.quarantined:,} 行未载入；请修正后重新导入这些行。"
            )
            lines.append(
                f"The command ran, but {self.quarantined:,} rows were not loaded; "
                "fix them and ingest them again."
            )
        return "\n".join(lines)
