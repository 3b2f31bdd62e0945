"""The quality report: what each suite found, as text, a dict for the run manifest, and HTML."""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning"]

_SEVERITY_ZH = {"error": "错误 error", "warning": "警告 warning"}


def _text(value: Any) -> str:
    if value is None:
        return "空 null"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0")
    return str(value)


@dataclass(frozen=True)
class Example:
    """One failing row: its key (``dataset:key`` style) and the values at fault."""

    key: str
    values: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_raw(cls, raw: dict[str, Any]) -> Example:
        key = "|".join(_text(v) for v in raw.get("key", {}).values())
        values = tuple((str(k), _text(v)) for k, v in raw.get("values", {}).items())
        return cls(key=key, values=values)

    def format(self) -> str:
        shown = ", ".join(f"{k}={v}" for k, v in self.values if v != self.key)
        if self.key and shown:
            return f"{self.key} → {shown}"
        return self.key or shown


@dataclass(frozen=True)
class Failure:
    """One expectation that failed: which, on what column, why it matters, how many rows, examples."""

    expectation: str
    column: str | None
    zh: str
    severity: Severity
    count: int
    examples: tuple[Example, ...] = ()
    note: str = ""

    def format(self) -> str:
        where = f"{self.expectation}" + (f", {self.column}" if self.column else "")
        lines = [
            f"  [{_SEVERITY_ZH[self.severity]}] {self.zh}",
            f"      {where}: {self.count:,} 行 rows" + (f"（{self.note}）" if self.note else ""),
        ]
        lines += [f"      例 e.g. {e.format()}" for e in self.examples]
        return "\n".join(lines)


@dataclass(frozen=True)
class DatasetResult:
    """The suite of one dataset run against its table."""

    dataset: str
    zh: str
    rows: int
    fingerprint: str
    evaluated: int
    failures: tuple[Failure, ...] = ()
    cached: bool = False
    seconds: float = 0.0

    @property
    def errors(self) -> tuple[Failure, ...]:
        return tuple(f for f in self.failures if f.severity == "error")

    @property
    def warnings(self) -> tuple[Failure, ...]:
        return tuple(f for f in self.failures if f.severity == "warning")

    @property
    def passed(self) -> int:
        return self.evaluated - len(self.failures)

    @property
    def ok(self) -> bool:
        """No error-severity expectation failed (warnings do not count)."""
        return not self.errors

    def headline(self) -> str:
        mark = "✓" if self.ok else "✗"
        cached = "  [缓存 cached]" if self.cached else ""
        return (
            f"{mark} {self.zh} {self.dataset}: {self.rows:,} 行 rows; 期望 expectations "
            f"{self.evaluated}: 通过 passed {self.passed}, 失败 failed {len(self.errors)}, "
            f"警告 warnings {len(self.warnings)}{cached}"
        )

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.update(
            ok=self.ok,
            passed=self.passed,
            failed=len(self.errors),
            warning_count=len(self.warnings),
        )
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, cached: bool = False) -> DatasetResult:
        failures = tuple(
            Failure(
                expectation=f["expectation"],
                column=f.get("column"),
                zh=f["zh"],
                severity=f["severity"],
                count=int(f["count"]),
                note=f.get("note", ""),
                examples=tuple(
                    Example(key=e["key"], values=tuple(tuple(v) for v in e["values"]))  # type: ignore[misc]
                    for e in f.get("examples", [])
                ),
            )
            for f in data.get("failures", [])
        )
        return cls(
            dataset=data["dataset"],
            zh=data["zh"],
            rows=int(data["rows"]),
            fingerprint=data["fingerprint"],
            evaluated=int(data["evaluated"]),
            failures=failures,
            cached=cached,
            seconds=float(data.get("seconds", 0.0)),
        )


@dataclass(frozen=True)
class QualityReport:
    """The result of ``huiyan.quality.validate``: one entry per dataset checked."""

    datasets: tuple[DatasetResult, ...]
    skipped: tuple[str, ...] = ()
    html_path: Path | None = field(default=None, compare=False)

    @property
    def ok(self) -> bool:
        """True when no error-severity expectation failed in any dataset."""
        return all(d.ok for d in self.datasets)

    def __repr__(self) -> str:  # what a notebook shows after hy.quality.require(...)
        return self.format()

    def __getitem__(self, dataset: str) -> DatasetResult:
        for d in self.datasets:
            if d.dataset == dataset:
                return d
        raise KeyError(dataset)

    def failures(self, *, severity: Severity | None = None) -> list[tuple[str, Failure]]:
        """Every failure as (dataset, failure), optionally only one severity."""
        return [
            (d.dataset, f)
            for d in self.datasets
            for f in d.failures
            if severity is None or f.severity == severity
        ]

    def summary(self) -> str:
        bad = sum(1 for d in self.datasets if not d.ok)
        verdict = "通过 passed" if self.ok else "未通过 failed"
        return (
            f"数据质量校验{verdict} Data quality {verdict.split()[1]}: "
            f"{len(self.datasets)} 个数据集 datasets, {bad} 个未通过 failed, "
            f"{len(self.failures(severity='warning'))} 条警告 warnings"
        )

    def format(self) -> str:
        """The readable bilingual report: one line per dataset, then each failure with examples."""
        lines = [self.summary()]
        for d in self.datasets:
            lines.append(d.headline())
            lines.extend(f.format() for f in d.failures)
        if self.skipped:
            lines.append(f"未导入，已跳过 Not in the workspace, skipped: {', '.join(self.skipped)}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the run manifest."""
        return {
            "ok": self.ok,
            "datasets": {d.dataset: d.to_dict() for d in self.datasets},
            "skipped": list(self.skipped),
        }

    def to_html(self) -> str:
        """A self-contained HTML page a reviewer opens in a browser."""
        return _html(self)


_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.3em .6em;
text-align:left;vertical-align:top}th{background:#f3f3f3}.ok{color:#1a7f37}.error{color:#c62828}
.warning{color:#b26a00}.small{color:#666;font-size:.9em}code{background:#f6f6f6;padding:0 .2em}
"""


def _html(report: QualityReport) -> str:
    e = html.escape
    verdict = '<span class="ok">通过</span>' if report.ok else '<span class="error">未通过</span>'
    rows = []
    for d in report.datasets:
        status = '<span class="ok">通过</span>' if d.ok else '<span class="error">未通过</span>'
        rows.append(
            f"<tr><td>{e(d.zh)}<br><span class='small'>{e(d.dataset)}</span></td>"
            f"<td>{d.rows:,}</td><td>{d.evaluated}</td><td>{d.passed}</td>"
            f"<td>{len(d.errors)}</td><td>{len(d.warnings)}</td><td>{status}</td></tr>"
        )
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        f"<title>数据质量校验报告</title><style>{_CSS}</style></head><body>",
        f"<h1>数据质量校验报告 {verdict}</h1>",
        f"<p class='small'>{e(report.summary())}</p>",
        "<h2>总览</h2><table><tr><th>数据集</th><th>行数</th><th>期望数</th><th>通过</th>"
        "<th>失败</th><th>警告</th><th>结论</th></tr>",
        *rows,
        "</table>",
    ]
    for d in report.datasets:
        if not d.failures:
            continue
        parts.append(f"<h2>{e(d.zh)}（{e(d.dataset)}）的问题</h2><table>")
        parts.append(
            "<tr><th>级别</th><th>说明</th><th>期望</th><th>行数</th><th>示例（主键 → 值）</th></tr>"
        )
        for f in d.failures:
            examples = "<br>".join(e(x.format()) for x in f.examples) or "—"
            level = "错误" if f.severity == "error" else "警告"
            where = e(f.expectation) + (f"<br><code>{e(f.column)}</code>" if f.column else "")
            note = f"<br><span class='small'>{e(f.note)}</span>" if f.note else ""
            parts.append(
                f"<tr><td class='{f.severity}'>{level}</td><td>{e(f.zh)}{note}</td>"
                f"<td class='small'>{where}</td><td>{f.count:,}</td><td>{examples}</td></tr>"
            )
        parts.append("</table>")
    if report.skipped:
        parts.append(f"<p class='small'>未导入、已跳过：{e(', '.join(report.skipped))}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)
