"""The run report (report.html) a prosecutor reads, and the charts model notebooks draw.

The report opens with what was run and checked (model, version, county,
parameters, datasets with row counts and their quality check), then the clues:
counts by rule and county, charts and the strongest clues, then the notebook's
own outputs with the code hidden. A failed run's report says where it broke.

The report stage of a model notebook shows its clues with HTML bars (Chinese
labels, drawn by the browser, no plotting library to start); the matplotlib
helpers use ASCII labels (rule and county codes) because the machine may have
no CJK font:

    hy.report.charts(found)            # by rule and by county, side by side (HTML)
    hy.report.bar_by_rule(found)       # matplotlib Axes
    hy.report.bar_by_region(found)
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from huiyan.clues import HEADERS_ZH, Clues

TOP_N = 20

_CSS = """
<style>
.hy-header{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:1100px;margin:24px auto;
 padding:0 16px;color:#222}
.hy-header h1{font-size:1.6em;margin-bottom:0}.hy-header h2{border-bottom:2px solid #8b0000;padding-bottom:4px}
.hy-header table{border-collapse:collapse;margin:8px 0}.hy-header td,.hy-header th{border:1px solid #ccc;
 padding:4px 8px;text-align:left;vertical-align:top}.hy-header th{background:#f4f4f4}
.hy-ok{color:#1a7f37;font-weight:bold}.hy-fail{color:#b00020;font-weight:bold}
.hy-note{color:#555;font-size:.9em}
.hy-bars td{border:none;padding:2px 6px}
.hy-notebook{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:1100px;margin:0 auto;
 padding:0 16px;color:#222}.hy-notebook img{max-width:100%}.hy-notebook pre{background:#f8f8f8;
 padding:6px;overflow-x:auto}.hy-notebook table{border-collapse:collapse}.hy-notebook td,.hy-notebook th{
 border:1px solid #ddd;padding:3px 6px}.hy-bar{background:#8b0000;height:14px;min-width:1px}.hy-error{background:#fff0f0;border:1px solid #b00020;padding:8px}
</style>
"""


def _frame(clues: Clues | pd.DataFrame) -> pd.DataFrame:
    return clues.frame if isinstance(clues, Clues) else clues


def bar_by_rule(clues: Clues | pd.DataFrame, *, ax: Any = None) -> Any:
    """A bar chart of clue counts per rule code; returns the matplotlib Axes."""
    counts = _frame(clues).groupby("rule").size().sort_index()
    ax = ax or _new_axes()
    ax.bar(list(counts.index), list(counts.values), color="#8b0000")
    ax.set_xlabel("rule")
    ax.set_ylabel("clues")
    ax.set_title("Clues by rule")
    ax.tick_params(axis="x", labelrotation=30)
    return ax


def bar_by_region(clues: Clues | pd.DataFrame, *, ax: Any = None) -> Any:
    """A stacked bar chart of clue counts per county code and rule; returns the Axes."""
    frame = _frame(clues)
    ax = ax or _new_axes()
    if frame.empty:
        ax.set_title("No clues")
        return ax
    table = frame.groupby(["region", "rule"]).size().unstack(fill_value=0).sort_index()
    bottom = [0] * len(table)
    for code in table.columns:
        values = list(table[code].values)
        ax.bar(list(table.index), values, bottom=bottom, label=code)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xlabel("county")
    ax.set_ylabel("clues")
    ax.set_title("Clues by county")
    ax.legend(fontsize="small")
    ax.tick_params(axis="x", labelrotation=30)
    return ax


@dataclass(frozen=True)
class Html:
    """An HTML fragment a notebook shows as its cell output (plain text elsewhere)."""

    html: str
    text: str = ""

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text or "<html>"


def charts(clues: Clues | pd.DataFrame) -> Html | None:
    """Clues by rule and by county side by side, the report stage of every model notebook.

    Drawn as HTML bars by the browser, so the labels can be Chinese and the kernel starts no
    plotting library (matplotlib costs a run about a second). Returns None when there are no
    clues. For a matplotlib picture use :func:`bar_by_rule` and :func:`bar_by_region`.
    """
    frame = _frame(clues)
    if frame.empty:
        return None
    rules = clues.rules if isinstance(clues, Clues) else ()
    zh = {r.code: r.zh for r in rules}
    by_rule = frame.groupby("rule").size()
    codes = list(dict.fromkeys([*(r.code for r in rules), *sorted(by_rule.index)]))
    rule_counts = {c: int(by_rule.get(c, 0)) for c in codes}
    region_counts = {str(k): int(v) for k, v in frame.groupby("region").size().sort_index().items()}
    box = "<div style='flex:1 1 420px;min-width:320px'>"
    page = (
        "<div style='display:flex;flex-wrap:wrap;gap:24px'>"
        f"{box}{_bars('各规则线索数 Clues by rule', rule_counts, zh)}</div>"
        f"{box}{_bars('各县区线索数 Clues by county', region_counts)}</div></div>"
    )
    text = "\n".join(
        [f"{k}: {v}" for k, v in rule_counts.items()]
        + [f"{k}: {v}" for k, v in region_counts.items()]
    )
    return Html(page, text)


def _new_axes() -> Any:
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(7, 3.5))
    return ax


def _bars(title: str, counts: Mapping[str, int], labels: Mapping[str, str] | None = None) -> str:
    """A horizontal bar chart in plain HTML and CSS: Chinese labels, no plotting library.

    The browser draws the text, so no CJK font is needed on the machine that runs the model,
    and neither the report nor the notebook needs matplotlib. Styles are inline, so the bars
    look the same in report.html and in a notebook.
    """
    labels = dict(labels or {})
    top = max(counts.values(), default=0) or 1
    cell = "style='border:none;padding:2px 6px;text-align:left'"
    bar = "background:#8b0000;height:14px;min-width:1px"
    rows = "".join(
        f"<tr><td {cell}>{html.escape(str(k))}</td>"
        f"<td {cell}><span style='color:#555;font-size:.9em'>{html.escape(labels.get(k, ''))}</span></td>"
        f"<td style='border:none;padding:2px 6px;width:50%'>"
        f"<div style='{bar};width:{100 * v / top:.1f}%'></div></td>"
        f"<td {cell}>{v:,}</td></tr>"
        for k, v in counts.items()
    )
    return (
        f"<h4>{html.escape(title)}</h4>"
        f"<table class='hy-bars' style='border-collapse:collapse;width:100%'>{rows}</table>"
    )


def _table(rows: list[tuple[str, Any]]) -> str:
    cells = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows
    )
    return f"<table>{cells}</table>"


def _checked(manifest: Mapping[str, Any]) -> str:
    validation = manifest.get("validation") or {}
    results = validation.get("datasets") if isinstance(validation, Mapping) else None
    rows = []
    for name, info in (manifest.get("datasets") or {}).items():
        verdict = "—"
        if isinstance(results, Mapping) and name in results:
            ok = results[name].get("ok") if isinstance(results[name], Mapping) else results[name]
            verdict = "通过 passed" if ok else "未通过 failed"
        elif validation.get("ok") is True:
            verdict = "通过 passed"
        elif validation.get("ok") is False:
            verdict = "未通过 failed"
        rows.append(
            f"<tr><td>{html.escape(name)}</td><td>{info.get('rows', '—'):,}</td>"
            f"<td>{html.escape(verdict)}</td><td class='hy-note'>{html.escape(str(info.get('fingerprint', ''))[:16])}</td></tr>"
            if isinstance(info.get("rows"), int)
            else f"<tr><td>{html.escape(name)}</td><td>—</td><td>{html.escape(verdict)}</td><td></td></tr>"
        )
    head = "<tr><th>数据集 dataset</th><th>行数 rows</th><th>质量校验 quality check</th><th>指纹 fingerprint</th></tr>"
    note = ""
    if validation.get("skipped"):
        note = f"<p class='hy-note'>未校验 Not validated: {html.escape(str(validation['skipped']))}</p>"
    return f"<table>{head}{''.join(rows)}</table>{note}"


def header(
    manifest: Mapping[str, Any],
    clues: pd.DataFrame | None,
    *,
    rules_zh: Mapping[str, str] | None = None,
) -> str:
    """The report's opening section: what ran, what was checked, and the clues found."""
    rules_zh = dict(rules_zh or {})
    failed = manifest.get("status") != "succeeded"
    status = (
        '<span class="hy-fail">失败 failed</span>'
        if failed
        else '<span class="hy-ok">成功 succeeded</span>'
    )
    params = ", ".join(f"{k}={v}" for k, v in (manifest.get("parameters") or {}).items()) or "—"
    facts = [
        ("模型 model", f"{manifest.get('title_zh', '')} {manifest.get('model')}"),
        ("版本 version", manifest.get("model_version")),
        ("运行编号 run", manifest.get("run_id")),
        ("区划 county", manifest.get("region") or "全部 all"),
        ("参数 parameters", params),
        ("引擎 engine", manifest.get("engine")),
        ("开始 started", manifest.get("started_at")),
        ("用时 duration", f"{manifest.get('duration_s', 0) or 0:.1f} s"),
    ]
    parts = [
        _CSS,
        '<section class="hy-header">',
        f"<h1>{html.escape(str(manifest.get('title_zh') or manifest.get('model')))} 运行报告 Run report</h1>",
        f"<p>状态 Status: {status}</p>",
        _table(facts),
        "<h2>核查了什么 What was checked</h2>",
        _checked(manifest),
    ]
    if failed:
        err = manifest.get("error") or {}
        where = (
            f"第 {err['cell']} 个单元格 cell {err['cell']}" if err.get("cell") is not None else ""
        )
        parts += [
            "<h2>错误 Error</h2>",
            f"<div class='hy-error'><p>{html.escape(str(err.get('zh', '')))}<br>"
            f"{html.escape(str(err.get('en', '')))}</p><p>{html.escape(where)}</p></div>",
            "<p>失败的运行不产生线索文件。Failed runs leave no clue files.</p>",
        ]
    if clues is not None:
        parts += _clue_sections(manifest, clues, rules_zh)
    parts += _unread(manifest, rules_zh)
    parts.append("<h2>附：模型笔记本输出 Appendix: notebook output</h2></section>")
    return "\n".join(parts)


def _clue_sections(
    manifest: Mapping[str, Any], clues: pd.DataFrame, rules_zh: Mapping[str, str]
) -> list[str]:
    codes = list(dict.fromkeys([*(manifest.get("rules") or []), *sorted(set(clues.rule))]))
    counts = clues.groupby("rule").size()
    rows = "".join(
        f"<tr><td>{html.escape(c)}</td><td>{html.escape(rules_zh.get(c, ''))}</td><td>{int(counts.get(c, 0))}</td></tr>"
        for c in codes
    )
    out = [
        f"<h2>线索 Clues: {len(clues)}</h2>",
        "<p class='hy-note'>线索是需要人工核查的疑点，不是结论。A clue is a lead to verify, not a finding.</p>",
        "<h3>按规则 By rule</h3>",
        f"<table><tr><th>规则编号 rule</th><th>监督点 supervision point</th><th>线索数 clues</th></tr>{rows}</table>",
    ]
    if clues.empty:
        return out
    by_region = clues.groupby(["region", "rule"]).size().unstack(fill_value=0)
    by_region = by_region[[c for c in codes if c in by_region.columns]]
    by_region["合计 total"] = by_region.sum(axis=1)
    by_region = by_region.rename_axis(index="区划 county", columns=None)
    out += [
        "<h3>按县区 By county</h3>",
        by_region.to_html(border=0),
        _bars("各规则线索数 Clues by rule", {c: int(counts.get(c, 0)) for c in codes}, rules_zh),
        _bars(
            "各县区线索数 Clues by county",
            {str(k): int(v) for k, v in clues.groupby("region").size().items()},
        ),
        f"<h3>可疑程度最高的 {TOP_N} 条 Top {TOP_N} clues</h3>",
    ]
    cols = ["rule", "region", "subject_name", "subject_id", "score", "amount", "summary"]
    top = clues.sort_values(["score", "amount", "clue_id"], ascending=[False, False, True]).head(
        TOP_N
    )
    out.append(top[cols].rename(columns=HEADERS_ZH).to_html(index=False, border=0, na_rep="—"))
    return out


def _unread(manifest: Mapping[str, Any], rules_zh: Mapping[str, str]) -> list[str]:
    """Blind spots: per text rule, the records it looked at and those it could not read."""
    unread = manifest.get("unread") or {}
    if not unread:
        return []
    rows = "".join(
        f"<tr><td>{html.escape(rule)}</td><td>{html.escape(rules_zh.get(rule, ''))}</td>"
        f"<td>{c.get('candidates', 0):,}</td><td>{c.get('unread', 0):,}</td></tr>"
        for rule, c in unread.items()
    )
    vocab = manifest.get("vocabulary") or {}
    version = " + ".join(str(x) for x in (vocab.get("version"), vocab.get("local_version")) if x)
    return [
        "<h3>未能读出的记录 Blind spots</h3>",
        "<p class='hy-note'>文字中未能读出决定性数额或表述的记录不会成为线索，需人工查看；"
        "用 <code>huiyan unread 模型</code> 查看最常见的未读句子，补充词表后重新运行。"
        "Records whose deciding figure or phrase could not be read from the text never become "
        "clues: see the commonest unread sentences with <code>huiyan unread MODEL</code>, add the "
        f"words to the vocabulary and run again. 词表 Vocabulary: {html.escape(version or '—')}</p>",
        "<table><tr><th>规则编号 rule</th><th>监督点 supervision point</th>"
        f"<th>候选记录 candidates</th><th>未能读出 unread</th></tr>{rows}</table>",
    ]


def _notebook_body(nb: Mapping[str, Any]) -> str:
    """The notebook's markdown and outputs as HTML, code hidden (what a prosecutor reads).

    A small renderer of our own rather than nbconvert: the report needs no code, no syntax
    highlighting and no 300 KB stylesheet, and this takes milliseconds instead of seconds.
    """
    import mistune

    to_html = mistune.create_markdown(plugins=["table"])
    parts = ['<section class="hy-notebook">']
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            parts.append(str(to_html("".join(cell.get("source", "")))))
            continue
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "stream":
                parts.append(f"<pre>{html.escape(''.join(out.get('text', '')))}</pre>")
            elif kind == "error":
                trace = _ANSI.sub("", "\n".join(out.get("traceback", [])))
                parts.append(f"<pre class='hy-error'>{html.escape(trace)}</pre>")
            else:
                data = out.get("data", {})
                if "image/png" in data:
                    png = "".join(data["image/png"]).strip()
                    parts.append(f'<img alt="chart" src="data:image/png;base64,{png}">')
                elif "text/html" in data:
                    parts.append("".join(data["text/html"]))
                elif "text/plain" in data:
                    parts.append(f"<pre>{html.escape(''.join(data['text/plain']))}</pre>")
    parts.append("</section>")
    return "\n".join(parts)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def render(
    run_dir: Path,
    manifest: Mapping[str, Any],
    *,
    clues: pd.DataFrame | None = None,
    rules_zh: Mapping[str, str] | None = None,
) -> Path:
    """Write ``report.html`` in ``run_dir``: the header section, then the notebook with code hidden."""
    import json

    top = header(manifest, clues, rules_zh=rules_zh)
    notebook = run_dir / "notebook.ipynb"
    body = ""
    if notebook.exists():
        body = _notebook_body(json.loads(notebook.read_text(encoding="utf-8")))
    title = f"{html.escape(str(manifest.get('model')))} {html.escape(str(manifest.get('run_id')))}"
    page = (
        "<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'>"
        f"<title>{title}</title></head><body>{top}{body}</body></html>"
    )
    path = run_dir / "report.html"
    path.write_text(page, encoding="utf-8")
    return path
