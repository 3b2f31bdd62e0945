"""The vetting checklist: each check reads the notebook or a run and says passed or failed, and why.

The static checks (card, parameters cell, rule codes, outputs, personal data) read
only the notebook. The run checks execute it, through the ordinary runner, on the
synthetic tiny province in ``<home>/.vetting/tiny`` (generated once, reused while
the huiyan version and the seed are the same) and score its clues against the
planted truth.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huiyan.catalog import ModelCard, Parameter
from huiyan.errors import HuiyanError
from huiyan.workspace import Workspace

log = logging.getLogger(__name__)

TINY_SEED = 7
"""The seed of the synthetic province every model is vetted on."""


@dataclass(frozen=True)
class Check:
    """One line of the checklist: passed (True), failed (False) or skipped (None), and why."""

    key: str
    zh: str
    en: str
    ok: bool | None
    why: tuple[str, ...] = ()

    def format(self) -> str:
        mark = {True: "✓", False: "✗", None: "-"}[self.ok]
        word = {True: "通过 passed", False: "未通过 FAILED", None: "跳过 skipped"}[self.ok]
        return "\n".join([f"{mark} {self.zh} {self.en}: {word}", *(f"    {w}" for w in self.why)])


TITLES = {
    "card": ("模型卡完整", "the card is complete"),
    "parameters": ("参数单元格与模型卡一致", "the parameters cell matches the card"),
    "rules": ("模型卡的规则编号均为已登记规则", "every rule code on the card is known"),
    "outputs": ("笔记本不含输出", "the notebook carries no outputs"),
    "privacy": ("笔记本不含个人信息", "no personal data in the notebook"),
    "run": ("在合成小省上运行成功", "runs on the tiny synthetic province"),
    "reported": (
        "输出的规则编号均已登记且在模型卡上",
        "reported rule codes are known and on the card",
    ),
    "quality": ("各规则精确率、召回率达到模型卡要求", "precision and recall meet the card's bar"),
}
"""Each check's title in Chinese and English, in checklist order."""

RUN_CHECKS = ("run", "reported", "quality")


def check(key: str, ok: bool | None, why: Iterable[str] = ()) -> Check:
    """A checklist line for check ``key``."""
    zh, en = TITLES[key]
    return Check(key, zh, en, ok, tuple(why))


def skipped(reason: str, keys: Iterable[str] = RUN_CHECKS) -> tuple[Check, ...]:
    """The checks ``keys`` marked as skipped, with the reason."""
    return tuple(check(k, None, (reason,)) for k in keys)


# ----------------------------------------------------------------------------- static checks


def _cells(notebook: Path) -> list[dict[str, Any]]:
    return list(json.loads(notebook.read_text(encoding="utf-8")).get("cells", []))


def card_check(card: ModelCard) -> Check:
    """Every field of the card is filled in (ModelCard.problems)."""
    problems = card.problems()
    return check("card", not problems, problems)


def _same(param: Parameter, a: Any, b: Any) -> bool:
    if a is None or b is None:
        return bool(a == b)
    try:
        return bool(param.coerce(a) == param.coerce(b))
    except (ValueError, TypeError):
        return bool(a == b)


def parameters_check(card: ModelCard) -> Check:
    """The ``parameters`` cell assigns exactly the card's parameters, with the card's defaults."""
    from huiyan.catalog import notebook_parameters

    assert card.notebook is not None
    if not any(
        "parameters" in c.get("metadata", {}).get("tags", []) for c in _cells(card.notebook)
    ):
        return check(
            "parameters",
            False,
            ['笔记本没有标记为 parameters 的单元格 / no cell is tagged "parameters"'],
        )
    try:
        cell = notebook_parameters(card.notebook)
    except SyntaxError as err:
        return check(
            "parameters",
            False,
            [f"参数单元格不是有效的 Python / the parameters cell is not valid Python: {err}"],
        )
    cell.pop("region", None)
    why = []
    for p in card.parameters:
        if p.name not in cell:
            why.append(
                f"参数 {p.name} 在模型卡上，但参数单元格中没有 / {p.name} is on the card, not in the cell"
            )
        elif not _same(p, p.default, cell[p.name]):
            why.append(
                f"参数 {p.name} 的默认值不一致：模型卡 {p.default!r}，单元格 {cell[p.name]!r} / "
                f"default of {p.name} differs: card {p.default!r}, cell {cell[p.name]!r}"
            )
    why += [
        f"参数 {name} 在参数单元格中，但模型卡上没有 / {name} is in the cell, not on the card"
        for name in cell
        if card.parameter(name) is None
    ]
    return check("parameters", not why, why)


def unknown_rules(codes: Iterable[str]) -> list[str]:
    """A line for every code that is not a registered rule (with the nearest known code)."""
    from huiyan import rules

    out = []
    for code in codes:
        try:
            rules.get(code)
        except HuiyanError as err:
            out.append(f"{err.zh} / {err.en}")
    return out


def rules_check(card: ModelCard) -> Check:
    """Every rule code on the card is a registered rule (huiyan.rules.get)."""
    why = unknown_rules(card.rules)
    if not card.rules:
        why.append("模型卡没有列出规则编号 / the card lists no rule codes")
    return check("rules", not why, why)


def outputs_check(notebook: Path) -> Check:
    """No code cell carries outputs or an execution count."""
    cells = [
        str(i)
        for i, c in enumerate(_cells(notebook), start=1)
        if c.get("cell_type") == "code" and (c.get("outputs") or c.get("execution_count"))
    ]
    if not cells:
        return check("outputs", True)
    listed = ", ".join(cells)
    return check(
        "outputs",
        False,
        [
            f"第 {listed} 个单元格带有输出或执行编号 / cells {listed} carry outputs or execution counts",
            f"请清除输出 Clear them: jupyter nbconvert --clear-output --inplace {notebook}",
        ],
    )


def privacy_check(card: ModelCard) -> Check:
    """No resident ID, credit code, phone or bank card number in any cell or in the card."""
    from huiyan import privacy

    assert card.notebook is not None
    why = []
    for i, cell in enumerate(_cells(card.notebook), start=1):
        for f in privacy.scan("".join(cell.get("source", ""))):
            why.append(
                f"第 {i} 个单元格第 {f.line} 行有{f.zh} {f.masked} / cell {i}, line {f.line}: {f.kind} {f.masked}"
            )
    for f in privacy.scan(json.dumps(dict(card.raw), ensure_ascii=False, indent=1)):
        why.append(f"模型卡中有{f.zh} {f.masked} / the card holds a {f.kind} {f.masked}")
    if why:
        why.append(
            "个人信息不得随模型传播，请删除 Personal data must not travel with a model: remove it."
        )
    return check("privacy", not why, why)


def static_checks(card: ModelCard) -> tuple[Check, ...]:
    """Checks 1-5, which read only the notebook."""
    assert card.notebook is not None
    return (
        card_check(card),
        parameters_check(card),
        rules_check(card),
        outputs_check(card.notebook),
        privacy_check(card),
    )


# ----------------------------------------------------------------------------- the tiny run


def tiny_workspace(ws: Workspace, *, progress: bool = False) -> Workspace:
    """The synthetic tiny province models are vetted on, generated once per huiyan version and seed."""
    import huiyan
    from huiyan import synth

    home = ws.home / ".vetting" / "tiny"
    marker = home / "synth.json"
    want = {"scale": "tiny", "seed": TINY_SEED, "huiyan": huiyan.__version__}
    try:
        fresh = json.loads(marker.read_text(encoding="utf-8")) == want
    except (OSError, ValueError):
        fresh = False
    if not fresh or not (home / "datasets" / "huiyan.duckdb").exists():
        log.info("vetting: generating the tiny synthetic province in %s", home)
        marker.unlink(missing_ok=True)
        with huiyan.workspace(home, engine="duckdb") as tiny:
            synth.generate(tiny, scale="tiny", seed=TINY_SEED, progress=progress)
        marker.write_text(json.dumps(want), encoding="utf-8")
    return huiyan.workspace(home, engine="duckdb")


@dataclass(frozen=True)
class RunChecks:
    """Checks 6-8 and what they saw: the tiny run (when it started) and the per-rule scores."""

    checks: tuple[Check, ...]
    run: Any = None
    scores: dict[str, Any] | None = None


def _failed_run(why: Iterable[str], run: Any = None) -> RunChecks:
    rest = skipped("运行未成功 the run did not succeed", RUN_CHECKS[1:])
    return RunChecks((check("run", False, why), *rest), run)


def _reported_check(card: ModelCard, frame: Any) -> Check:
    reported = sorted(set(frame.rule))
    why = unknown_rules(reported)
    why += [
        f"规则 {code} 有线索，但模型卡未列出 / {code} was reported but is not on the card"
        for code in reported
        if code not in card.rules
    ]
    return check(
        "reported", not why, why or [f"输出规则 reported: {', '.join(reported) or '无 none'}"]
    )


def quality_check(card: ModelCard, frame: Any, tiny: Workspace) -> tuple[Check, dict[str, Any]]:
    """Precision and recall of every rule against the planted truth, compared with the card's bar."""
    from huiyan import evaluation

    truth = None
    if tiny.has_table("truth"):
        t = tiny.table("truth")
        truth = t.filter(t.model == card.name).select("rule", "record").execute()
    if truth is None or not len(truth):
        return check(
            "quality",
            True,
            ["合成数据没有该模型的埋设真值，未评估 / no planted truth for this model: not scored"],
        ), {}
    result = evaluation.compare(frame, truth, model=card.name)
    bar_p = float(card.quality_bar.get("precision", 0.0))
    bar_r = float(card.quality_bar.get("recall", 0.0))
    why = [f"要求 bar: 精确率 precision ≥ {bar_p:.2f}，召回率 recall ≥ {bar_r:.2f}"]
    scores: dict[str, Any] = {}
    for s in result.scores:
        scores[s.rule] = {
            "planted": s.planted,
            "flagged": s.flagged,
            "true_positives": s.true_positives,
            "precision": round(s.precision, 4),
            "recall": round(s.recall, 4),
        }
        low = [f"精确率 precision {s.precision:.2f} < {bar_p:.2f}"] if s.precision < bar_p else []
        low += [f"召回率 recall {s.recall:.2f} < {bar_r:.2f}"] if s.recall < bar_r else []
        line = f"{s.rule}: P={s.precision:.2f} R={s.recall:.2f} (埋设 planted {s.planted}, 命中 flagged {s.flagged})"
        why.append(line + (f"  ✗ {'; '.join(low)}" if low else ""))
    return check("quality", result.meets(precision=bar_p, recall=bar_r), why), scores


def run_checks(card: ModelCard, ws: Workspace, *, progress: bool = False) -> RunChecks:
    """Checks 6-8: run on the tiny province, the reported rule codes, precision and recall."""
    import pandas as pd

    from huiyan.runs.runner import execute, prepare, prepare_inputs

    tiny = tiny_workspace(ws, progress=progress)
    try:
        prepare_inputs(card, tiny, engine="duckdb")  # as huiyan run does (derived tables)
        prepared = prepare(card, tiny, engine="duckdb")
    except HuiyanError as err:
        return _failed_run([err.zh, err.en])
    finally:
        tiny.close()
    result = execute(prepared, region="", progress=progress)
    if result.status != "succeeded":
        error = result.manifest.get("error") or {}
        why = [
            str(error.get("zh", "")),
            str(error.get("en", "")),
            f"运行目录 Run folder: {result.run_dir}",
        ]
        return _failed_run(why, result)
    ran = check(
        "run",
        True,
        [f"运行编号 run {result.run_id}：{result.clue_count} 条线索 clues ({result.run_dir})"],
    )
    frame = pd.read_parquet(result.run_dir / "clues.parquet")
    with tiny_workspace(ws) as tiny:
        quality, scores = quality_check(card, frame, tiny)
    return RunChecks((ran, _reported_check(card, frame), quality), result, scores)
