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
        if self.problems:
            lines.append("隔离原因 Why rows were quarantined:")
        for group in self.problems:
            lines.append(f"  - {group.column}：{group.zh} {group.en} — {group.rows:,} 行 rows")
            if group.expected:
                lines.append(f"    应为 Expected: {group.expected}")
            for ex in group.examples:
                where = f"{ex.file} 第 {ex.line} 行 line {ex.line}" if ex.line else ex.file
                value = "（空 empty）" if ex.value is None else f'"{ex.value}"'
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
