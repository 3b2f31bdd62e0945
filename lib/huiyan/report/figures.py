"""Charts of clues: by rule, by county and by month, drawn as inline SVG (no plotting library).

The browser draws the text, so labels can be Chinese with no CJK font on the machine
that runs the model, the kernel starts no plotting library, and the report stays one
file that loads nothing. The same charts appear in the report and, through
:func:`charts`, in a model notebook's report stage. The matplotlib helpers
(:func:`bar_by_rule`, :func:`bar_by_region`) use ASCII labels, since the machine may
have no CJK font.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from huiyan.clues import Clues

BAR = "#8b0000"


@dataclass(frozen=True)
class Html:
    """An HTML fragment a notebook shows as its cell output (plain text elsewhere)."""

    html: str
    text: str = ""

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text or "<html>"


def _frame(clues: Clues | pd.DataFrame) -> pd.DataFrame:
    return clues.frame if isinstance(clues, Clues) else clues


def bars(title: str, counts: Mapping[str, int], labels: Mapping[str, str] | None = None) -> str:
    """A horizontal bar chart: one row per key, its label, an SVG bar and the count.

    The rows are an HTML table so long Chinese labels wrap; each bar is an inline SVG.
    Styles are inline, so the chart looks the same in report.html and in a notebook.
    """
    labels = dict(labels or {})
    top = max(counts.values(), default=0) or 1
    cell = "style='border:none;padding:3px 6px;text-align:left;vertical-align:middle'"
    rows = "".join(
        f"<tr><td {cell}>{html.escape(str(k))}"
        + (
            f"<div style='color:#555;font-size:.85em'>{html.escape(labels[k])}</div>"
            if labels.get(k)
            else ""
        )
        + "</td><td style='border:none;padding:3px 6px;width:40%;vertical-align:middle'>"
        f"<svg class='hy-bar' role='img' aria-label='{html.escape(str(k))}: {v}' width='100%' height='14'>"
        f"<rect x='0' y='0' height='14' width='{max(100 * v / top, 0.3):.1f}%' fill='{BAR}'/></svg></td>"
        f"<td {cell}>{v:,}</td></tr>"
        for k, v in counts.items()
    )
    return (
        f"<figure class='hy-chart' style='margin:0'><figcaption><b>{html.escape(title)}</b></figcaption>"
        f"<table style='border-collapse:collapse;width:100%'>{rows}</table></figure>"
    )


def months_chart(title: str, counts: Mapping[str, int], *, note: str = "") -> str:
    """A column chart of clue counts per month (``YYYY-MM`` keys, in order) as one inline SVG."""
    if not counts:
        return (
            f"<figure class='hy-chart'><figcaption><b>{html.escape(title)}</b></figcaption>"
            "<p style='color:#555'>没有可定日期的线索 No clue could be dated.</p></figure>"
        )
    months = list(counts)
    n = len(months)
    step = 14 if n <= 60 else 8
    left, bottom, top_pad = 44, 36, 12
    width = left + n * step + 10
    height = 190
    plot = height - bottom - top_pad
    peak = max(counts.values()) or 1
    parts = [
        f"<svg class='hy-months' role='img' aria-label='{html.escape(title)}' "
        f"viewBox='0 0 {width} {height}' width='100%' style='max-width:{max(width, 480)}px;height:auto' "
        "xmlns='http://www.w3.org/2000/svg' font-size='11' font-family='sans-serif'>",
        f"<line x1='{left}' y1='{top_pad + plot}' x2='{width - 6}' y2='{top_pad + plot}' stroke='#999'/>",
        f"<text x='{left - 6}' y='{top_pad + 8}' text-anchor='end' fill='#555'>{peak:,}</text>",
        f"<text x='{left - 6}' y='{top_pad + plot}' text-anchor='end' fill='#555'>0</text>",
    ]
    years_only = n > 24
    for i, (month, value) in enumerate(counts.items()):
        x = left + i * step
        h = plot * value / peak
        parts.append(
            f"<rect x='{x + 1}' y='{top_pad + plot - h:.1f}' width='{step - 2}' height='{h:.1f}' "
            f"fill='{BAR}'><title>{month}: {value:,}</title></rect>"
        )
        if not years_only or month.endswith("-01") or i == 0:
            label = month[:4] if years_only else month[2:]
            parts.append(
                f"<text x='{x + step / 2:.1f}' y='{top_pad + plot + 14}' text-anchor='middle' "
                f"fill='#333'>{label}</text>"
            )
    parts.append(
        f"<text x='{left}' y='{height - 4}' fill='#555'>{html.escape(months[0])} — "
        f"{html.escape(months[-1])}</text></svg>"
    )
    caption = f"<b>{html.escape(title)}</b>"
    if note:
        caption += f"<br><span style='color:#555;font-size:.9em'>{html.escape(note)}</span>"
    return f"<figure class='hy-chart' style='margin:0'><figcaption>{caption}</figcaption>{''.join(parts)}</figure>"


MONTHS_TITLE = "各月线索数 Clues by month"
MONTHS_NOTE = (
    "按每条线索最早一条可疑记录的日期（如裁判日期、处罚决定日期、拍卖日期）计。"
    "Dated by each clue's earliest suspect record (judgment, penalty decision, auction date)."
)


def charts(
    clues: Clues | pd.DataFrame, *, ws: Any = None, months: bool | None = None
) -> Html | None:
    """Clues by rule, by county and by month: the report stage of every model notebook.

    Args:
        clues: the clues (``found``).
        ws: the workspace the evidence records are in, for the months; default the
            current workspace.
        months: draw the clues by month (it reads the evidence records' dates). Default:
            in JupyterLab yes; inside ``huiyan run`` no, since report.html opens with the
            same chart (drawn once, by the runner, without a second look at the data).

    Returns:
        The charts as HTML, or None when there are no clues.
    """
    from huiyan.report import timeline

    frame = _frame(clues)
    if frame.empty:
        return None
    rules = clues.rules if isinstance(clues, Clues) else ()
    zh = {r.code: r.zh for r in rules}
    by_rule = frame.groupby("rule").size()
    codes = list(dict.fromkeys([*(r.code for r in rules), *sorted(by_rule.index)]))
    rule_counts = {c: int(by_rule.get(c, 0)) for c in codes}
    region_counts = {str(k): int(v) for k, v in frame.groupby("region").size().sort_index().items()}
    if months is None:
        months = not os.environ.get("HUIYAN_RUN_DIR")
    if months and ws is None:
        ws = _current_workspace()
    dates = timeline.safely(frame.reset_index(drop=True), ws) if months else None
    month_counts = timeline.by_month(dates) if dates is not None else {}
    box = "<div style='flex:1 1 420px;min-width:320px'>"
    page = (
        "<div style='display:flex;flex-wrap:wrap;gap:24px'>"
        f"{box}{bars('各规则线索数 Clues by rule', rule_counts, zh)}</div>"
        f"{box}{bars('各县区线索数 Clues by county', region_counts)}</div></div>"
    )
    if dates is not None:
        page += months_chart(MONTHS_TITLE, month_counts, note=MONTHS_NOTE)
    text = "\n".join(
        [f"{k}: {v}" for k, v in rule_counts.items()]
        + [f"{k}: {v}" for k, v in region_counts.items()]
        + [f"{k}: {v}" for k, v in month_counts.items() if v]
    )
    return Html(page, text)


def _current_workspace() -> Any:
    try:
        from huiyan.workspace import workspace

        return workspace()
    except Exception:  # no workspace here: the charts go without months
        return None


def bar_by_rule(clues: Clues | pd.DataFrame, *, ax: Any = None) -> Any:
    """A bar chart of clue counts per rule code; returns the matplotlib Axes."""
    counts = _frame(clues).groupby("rule").size().sort_index()
    ax = ax or _new_axes()
    ax.bar(list(counts.index), list(counts.values), color=BAR)
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


def _new_axes() -> Any:
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(7, 3.5))
    return ax
