"""The report's table of every clue: one JSON block drawn by a small inline script.

A province run can have 55,000 clues. Written as HTML rows they would make a page
the browser takes seconds to lay out; here they travel as one compact JSON block
(columns as arrays, rules and counties as small lookup lists) and a script of a few
hundred lines shows them 50 at a time, searchable, sortable and filtered by rule and
county. Everything is inline: the file works opened from a USB stick, with no network.

Personal data is masked on the way in (:func:`huiyan.privacy.mask_all`): the table
shows resident ID numbers and phone numbers as ``3306**********1234`` and
``138****5678``. Clue ids are never masked (they are hashes), so a reviewer copies one
straight into ``huiyan clues set``. Amounts arrive formatted (``1,142,700.00``) and are
sorted by value.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from huiyan import privacy
from huiyan.clues import split_summary
from huiyan.display import texts, yuan

PAGE_SIZE = 50
MAX_RECORDS = 20
"""A clue shows at most this many evidence (and context) records; the rest are counted."""

COLUMNS = (
    ("clue_id", "线索编号 clue id"),
    ("rule", "规则 rule"),
    ("region", "区划 county"),
    ("subject", "对象 subject"),
    ("amount", "金额（元）amount (yuan)"),
    ("score", "可疑程度 score"),
    ("date", "日期 date"),
    ("summary", "摘要 summary"),
    ("snippet", "原文 source words"),  # only when some clue was read from text
    ("evidence", "可疑记录 evidence"),
)
"""The table's columns: (key in the JSON block, header)."""


@cache
def _asset(name: str) -> str:
    return resources.files("huiyan.report").joinpath("assets", name).read_text(encoding="utf-8")


def _records(values: pd.Series) -> list[str]:
    """Record lists as newline-joined text, long lists cut to MAX_RECORDS with a count."""
    out = []
    for value in values.tolist():
        items = texts(value)
        if len(items) > MAX_RECORDS:
            items = [
                *items[:MAX_RECORDS],
                f"… 另有 {len(items) - MAX_RECORDS} 条 more (clues.xlsx)",
            ]
        out.append("\n".join(items))
    return out


def payload(
    clues: pd.DataFrame,
    *,
    rules_zh: Mapping[str, str] | None = None,
    dates: pd.Series | None = None,
) -> dict[str, object]:
    """The clue table's data: columns as lists, personal data masked, amounts formatted.

    Rows are ordered strongest first (score, then amount, then clue id), the table's
    default order.
    """
    rules_zh = dict(rules_zh or {})
    frame = clues.reset_index(drop=True)
    amount = frame.amount.to_numpy(dtype="float64", na_value=np.nan)
    # strongest first: score, then amount (missing last), then clue id; the order is applied
    # to plain lists, far cheaper than sorting a frame of text columns
    order = np.lexsort(
        (
            frame.clue_id.to_numpy(dtype=object),
            np.where(np.isnan(amount), np.inf, -amount),
            -frame.score.to_numpy(dtype="float64", na_value=0.0),
        )
    ).tolist()

    def column(values: list[Any]) -> list[Any]:
        return [values[i] for i in order]

    rule = column(frame.rule.astype(str).tolist())
    region = column([None if r is None else str(r) for r in frame.region.tolist()])
    rules = sorted(set(rule))
    regions = sorted({r for r in region if r})
    rule_index = {r: i for i, r in enumerate(rules)}
    region_index = {r: i for i, r in enumerate(regions)}
    sentences, snippets = [], []
    for summary in column(frame.summary.fillna("").tolist()):
        sentence, snippet = split_summary(summary)
        sentences.append(sentence)
        snippets.append(snippet or "")
    names = frame.subject_name.fillna("").astype(str).tolist()
    ids = frame.subject_id.fillna("").astype(str).tolist()
    subjects = [f"{n}\n{i}" if n and n != i else i for n, i in zip(names, ids, strict=True)]
    days = [""] * len(frame)
    if dates is not None:
        days = (
            pd.to_datetime(dates.reset_index(drop=True)).dt.strftime("%Y-%m-%d").fillna("").tolist()
        )
    has_snippets = any(snippets)
    return {
        "columns": [key for key, _ in COLUMNS if key != "snippet" or has_snippets],
        "rules": rules,
        "rules_zh": [rules_zh.get(r, "") for r in rules],
        "regions": regions,
        "clue_id": column(frame.clue_id.astype(str).tolist()),
        "rule": [rule_index[r] for r in rule],
        "region": [region_index.get(r, -1) if r else -1 for r in region],
        "subject": privacy.mask_all(column(subjects)),
        "amount": [yuan(v, blank="") for v in column(amount.tolist())],
        "score": [round(v, 3) for v in column(frame.score.fillna(0.0).astype(float).tolist())],
        "date": column(days),
        "summary": privacy.mask_all(sentences),
        "snippet": privacy.mask_all(snippets),
        "evidence": privacy.mask_all(column(_records(frame.evidence))),
        "context": privacy.mask_all(column(_records(frame.context))),
    }


def _script_json(data: object) -> str:
    """JSON safe inside a <script> element (no "</", no line separators)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def section(
    clues: pd.DataFrame,
    *,
    rules_zh: Mapping[str, str] | None = None,
    dates: pd.Series | None = None,
) -> str:
    """The HTML of the clue table: controls, an empty table, the data block and the script."""
    data = payload(clues, rules_zh=rules_zh, dates=dates)
    labels = dict(COLUMNS)
    heads = "".join(
        f"<th data-key='{key}' tabindex='0'>{html.escape(labels[key])}<span class='hy-sort'></span></th>"
        for key in data["columns"]  # type: ignore[attr-defined]
    )
    return f"""
<div id="hy-clues" class="hy-clues" data-page-size="{PAGE_SIZE}">
<div class="hy-controls">
<label>搜索 Search <input id="hy-search" type="search" placeholder="编号、姓名、摘要… id, name, summary"></label>
<label>规则 Rule <select id="hy-rule"><option value="">全部 all</option></select></label>
<label>区划 County <select id="hy-region"><option value="">全部 all</option></select></label>
<span id="hy-count" class="hy-note"></span>
</div>
<p class="hy-note">点击表头排序；点击“复制”复制线索编号，用于
<code>huiyan clues set 线索编号 核查中 --note "…"</code>。
Click a header to sort; "复制 copy" copies the clue id for <code>huiyan clues set</code>.</p>
<noscript><p class="hy-fail">此表需要启用 JavaScript；全部线索也在 clues.xlsx 中。
The table needs JavaScript; every clue is also in clues.xlsx.</p></noscript>
<table id="hy-table" class="hy-table"><thead><tr>{heads}</tr></thead><tbody></tbody></table>
<div class="hy-pager"><button type="button" id="hy-prev">上一页 Prev</button>
<span id="hy-page"></span><button type="button" id="hy-next">下一页 Next</button></div>
</div>
<script type="application/json" id="hy-clue-data">{_script_json(data)}</script>
<script>{_asset("clues.js")}</script>
"""


def stylesheet() -> str:
    """The report's CSS (inline in the page)."""
    return _asset("report.css")
