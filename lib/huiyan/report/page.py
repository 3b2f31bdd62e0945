"""report.html: the run as a reviewer reads it, in one self-contained file.

The page opens with what was run and checked (model, version, county, parameters,
datasets with row counts and their quality check), then the clues: counts by rule
and county, charts by rule, county and month, and a table of every clue (searchable,
sortable, filtered by rule and county). On a synthetic workspace an appendix compares
the run with the planted truth of its own county and parameters; the last appendix is
the notebook's own output with the code hidden. A failed run's report says where it
broke.

Times are Beijing time, amounts are yuan with thousands separators (totals in 万元),
and resident ID and phone numbers are masked (:mod:`huiyan.privacy`).
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from huiyan.display import BEIJING_ZH, amount_text, beijing
from huiyan.privacy import mask
from huiyan.report import clue_table, figures, notebook, records, timeline

log = logging.getLogger(__name__)

PRIVACY_NOTE = (
    "本报告中的身份证号码、电话号码已部分隐去，可转发；完整信息见运行目录中的 clues.xlsx"
    "（仅限本院案件系统内使用）。Resident ID and phone numbers are masked in this report; "
    "the full values are in the run's clues.xlsx, which stays in the case system."
)


def _table(rows: list[tuple[str, Any]]) -> str:
    cells = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows
    )
    return f"<table>{cells}</table>"


def _grid(head: list[str], rows: list[list[Any]], *, numeric_from: int = 99) -> str:
    """A plain table with one header row (numbers from column ``numeric_from`` right-aligned)."""
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class='hy-num'>{v:,}</td>"
            if i >= numeric_from and isinstance(v, int)
            else f"<td>{html.escape(str(v))}</td>"
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><tr>{th}</tr>{body}</table>"


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
        count = info.get("rows")
        rows.append(
            [
                name,
                count if isinstance(count, int) else "—",
                verdict,
                str(info.get("snapshot") or ""),
                str(info.get("fingerprint", ""))[:16],
            ]
        )
    head = [
        "数据集 dataset",
        "行数 rows",
        "质量校验 quality check",
        "快照 snapshot",
        "指纹 fingerprint",
    ]
    note = ""
    if validation.get("skipped"):
        note = f"<p class='hy-note'>未校验 Not validated: {html.escape(str(validation['skipped']))}</p>"
    return _grid(head, rows, numeric_from=1) + note


def _facts(manifest: Mapping[str, Any], clues: pd.DataFrame | None) -> list[tuple[str, Any]]:
    params = (
        ", ".join(
            f"{k}={v}" for k, v in (manifest.get("parameters") or {}).items() if k != "region"
        )
        or "—"
    )
    facts: list[tuple[str, Any]] = [
        ("模型 model", f"{manifest.get('title_zh', '')} {manifest.get('model')}".strip()),
        ("版本 version", manifest.get("model_version") or "—"),
        ("运行编号 run", manifest.get("run_id") or "—"),
        ("区划 county", manifest.get("region") or "全部 all"),
        ("参数 parameters", params),
        ("引擎 engine", manifest.get("engine") or "—"),
        (f"开始 started（{BEIJING_ZH}）", beijing(manifest.get("started_at"))),
        (f"结束 ended（{BEIJING_ZH}）", beijing(manifest.get("ended_at"))),
        ("用时 duration", f"{manifest.get('duration_s', 0) or 0:.1f} s"),
    ]
    if clues is not None:
        total = clues.amount.sum(min_count=1) if len(clues) else None
        facts += [
            ("线索数 clues", f"{len(clues):,}"),
            (
                "线索金额之和 sum of clue amounts",
                f"{amount_text(None if pd.isna(total) else total)}"
                "（同一记录可计入多条线索 a record may count in several clues）",
            ),
        ]
    return facts


def header(
    manifest: Mapping[str, Any],
    clues: pd.DataFrame | None,
    *,
    rules_zh: Mapping[str, str] | None = None,
    dates: pd.Series | None = None,
) -> str:
    """The report's opening sections: what ran, what was checked, and the clues found."""
    rules_zh = dict(rules_zh or {})
    failed = manifest.get("status") != "succeeded"
    status = (
        '<span class="hy-fail">失败 failed</span>'
        if failed
        else '<span class="hy-ok">成功 succeeded</span>'
    )
    title = html.escape(str(manifest.get("title_zh") or manifest.get("model")))
    parts = [
        f"<h1>{title} 运行报告 Run report</h1>",
        f"<p>状态 Status: {status}</p>",
        _table(_facts(manifest, clues)),
        f"<p class='hy-note'>时间均为{BEIJING_ZH}（UTC+8）。Times are Beijing time (UTC+08:00). "
        f"{html.escape(PRIVACY_NOTE)}</p>",
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
            f"<div class='hy-error'><p>{html.escape(mask(str(err.get('zh', ''))))}<br>"
            f"{html.escape(mask(str(err.get('en', ''))))}</p><p>{html.escape(where)}</p></div>",
            "<p>失败的运行不产生线索文件。Failed runs leave no clue files.</p>",
        ]
    if clues is not None:
        parts += _clue_sections(manifest, clues, rules_zh, dates)
    parts += _unread(manifest, rules_zh)
    return "\n".join(parts)


def _clue_sections(
    manifest: Mapping[str, Any],
    clues: pd.DataFrame,
    rules_zh: Mapping[str, str],
    dates: pd.Series | None,
) -> list[str]:
    codes = list(dict.fromkeys([*(manifest.get("rules") or []), *sorted(set(clues.rule))]))
    counts = clues.groupby("rule").size()
    amounts = clues.groupby("rule").amount.sum(min_count=1)
    docs = manifest.get("rule_docs") or {}
    basis = {c: str((docs.get(c) or {}).get("basis") or "") for c in codes}
    rows = [
        [c, rules_zh.get(c, ""), basis[c], int(counts.get(c, 0)), amount_text(amounts.get(c))]
        for c in codes
    ]
    out = [
        f"<h2>线索 Clues: {len(clues):,}</h2>",
        "<p class='hy-note'>线索是需要人工核查的疑点，不是结论。A clue is a lead to verify, not a finding.</p>",
        "<h3>按规则 By rule</h3>",
        _grid(
            [
                "规则编号 rule",
                "监督点 supervision point",
                "法律依据 legal basis",
                "线索数 clues",
                "涉及金额 amount",
            ],
            rows,
            numeric_from=3,
        ),
    ]
    if clues.empty:
        return out
    by_region = clues.groupby(["region", "rule"]).size().unstack(fill_value=0)
    shown = [c for c in codes if c in by_region.columns]
    region_rows = [
        [
            str(region),
            *(int(by_region.at[region, c]) for c in shown),
            int(by_region.loc[region].sum()),
        ]
        for region in sorted(by_region.index)
    ]
    month_counts = timeline.by_month(dates) if dates is not None else None
    out += [
        "<h3>按县区 By county</h3>",
        _grid(["区划 county", *shown, "合计 total"], region_rows, numeric_from=1),
        "<h3>图表 Charts</h3><div class='hy-charts'><div>",
        figures.bars(
            "各规则线索数 Clues by rule", {c: int(counts.get(c, 0)) for c in codes}, rules_zh
        ),
        "</div><div>",
        figures.bars(
            "各县区线索数 Clues by county",
            {str(k): int(v) for k, v in clues.groupby("region").size().items()},
        ),
        "</div></div>",
    ]
    if month_counts is not None:
        out.append(
            figures.months_chart(figures.MONTHS_TITLE, month_counts, note=figures.MONTHS_NOTE)
        )
    out += [
        f"<h2 id='all-clues'>全部线索 All clues: {len(clues):,}</h2>",
        clue_table.section(clues, rules_zh=rules_zh, dates=dates),
    ]
    return out


def _unread(manifest: Mapping[str, Any], rules_zh: Mapping[str, str]) -> list[str]:
    """Blind spots: per text rule, the records it looked at and those it could not read."""
    unread = manifest.get("unread") or {}
    if not unread:
        return []
    rows = [
        [rule, rules_zh.get(rule, ""), int(c.get("candidates", 0)), int(c.get("unread", 0))]
        for rule, c in unread.items()
    ]
    vocab = manifest.get("vocabulary") or {}
    version = " + ".join(str(x) for x in (vocab.get("version"), vocab.get("local_version")) if x)
    return [
        "<h3 id='unread'>未能读出的记录 Blind spots</h3>",
        "<p class='hy-note'>文字中未能读出决定性数额或表述的记录不会成为线索，需人工查看；"
        "用 <code>huiyan unread 模型</code> 查看最常见的未读句子，补充词表后重新运行。"
        "Records whose deciding figure or phrase could not be read from the text never become "
        "clues: see the commonest unread sentences with <code>huiyan unread MODEL</code>, add the "
        f"words to the vocabulary and run again. 词表 Vocabulary: {html.escape(version or '—')}</p>",
        _grid(
            ["规则编号 rule", "监督点 supervision point", "候选记录 candidates", "未能读出 unread"],
            rows,
            numeric_from=2,
        ),
    ]


def evaluation_appendix(manifest: Mapping[str, Any], clues: pd.DataFrame, ws: Any) -> str:
    """The comparison with the planted truth of the run's county and parameters ("" on real data)."""
    from huiyan import evaluation

    if ws is None or not evaluation.has_truth(ws):
        return ""
    model = str(manifest.get("model") or "")
    scope = evaluation.run_scope(manifest)
    result = evaluation.evaluate(clues, ws, model=model, scope=scope)
    where = f"区划 {scope.region}" if scope.region else "全部区划 every county"
    parts = [
        "<h2>附录一 与埋设真值比对 Appendix A: against the planted truth</h2>",
        f"<p class='hy-note'>合成数据：本次运行（{html.escape(where)}，本次参数）与同一区划、同一参数下埋设的"
        "违规逐条比对，以可疑记录计。Synthetic data: the run is compared with the violations "
        "planted in the same county under the same parameters, record by record.</p>",
    ]
    if not result.is_comparable:
        return "\n".join([*parts, f"<p>{html.escape(result.note)}</p>"])
    rows = [
        [s.rule, s.planted, s.flagged, s.true_positives, f"{s.precision:.2f}", f"{s.recall:.2f}"]
        for s in result.scores
    ]
    parts.append(
        _grid(
            [
                "规则编号 rule",
                "埋设 planted",
                "命中 flagged",
                "正确 true positives",
                "精确率 precision",
                "召回率 recall",
            ],
            rows,
            numeric_from=1,
        )
    )
    for label, frame in (("漏报 Missed", result.missed), ("误报 Not planted", result.extra)):
        if len(frame):
            listed = "; ".join(
                f"{r} {mask(rec)}"
                for r, rec in zip(frame.rule[:20], frame.record[:20], strict=True)
            )
            more = f" …（共 {len(frame)} 条 in all）" if len(frame) > 20 else ""
            parts.append(f"<p class='hy-note'>{label}: {html.escape(listed)}{more}</p>")
    if scope.region and len(result.missed):
        parts.append(
            "<p class='hy-note'>县区运行只读取本县数据：跨县的违规（如同一人在两县申报）只有全省运行才能发现。"
            "A county run reads its county's data only: violations that span counties show in a "
            "province run.</p>"
        )
    return "\n".join(parts)


def render(
    run_dir: Path,
    manifest: Mapping[str, Any],
    *,
    clues: pd.DataFrame | None = None,
    rules_zh: Mapping[str, str] | None = None,
    ws: Any = None,
) -> Path:
    """Write ``report.html`` in ``run_dir``: one self-contained file that loads nothing.

    Args:
        run_dir: the run folder (its notebook.ipynb becomes the last appendix).
        manifest: the run's manifest.
        clues: the run's clues (None for a failed run).
        rules_zh: rule code -> its supervision point in Chinese.
        ws: the workspace the run read, for the clues' dates and the evaluation appendix;
            default the tables of the workspace that holds ``run_dir``, in the versions the
            run read (:mod:`huiyan.report.records`).

    Returns:
        The path of report.html.
    """
    run_dir = Path(run_dir)
    own = ws is None and clues is not None
    if own:
        ws = records.open_for(run_dir, manifest)
    try:
        dates = None
        appendix = ""
        if clues is not None:
            clues = clues.reset_index(drop=True)
            dates = timeline.safely(clues, ws)
            try:
                appendix = evaluation_appendix(manifest, clues, ws)
            except Exception as err:  # the report is written whatever the appendix does
                log.warning("report: evaluation appendix left out: %s", err)
        top = header(manifest, clues, rules_zh=rules_zh, dates=dates)
    finally:
        if own and ws is not None:
            ws.close()
    path_nb = run_dir / "notebook.ipynb"
    body = ""
    if path_nb.exists():
        body = notebook.body(json.loads(path_nb.read_text(encoding="utf-8")))
    last = "附录二" if appendix else "附录"
    title = f"{html.escape(str(manifest.get('model')))} {html.escape(str(manifest.get('run_id')))}"
    page = (
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{title}</title><style>{clue_table.stylesheet()}</style></head><body>"
        f"<section class='hy-header'>{top}{appendix}"
        f"<h2>{last} 模型笔记本输出 Appendix: notebook output</h2></section>{body}</body></html>"
    )
    path = run_dir / "report.html"
    tmp = path.with_name(".report.html.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)
    return path
