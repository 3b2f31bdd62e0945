"""The vetting checklist, and the static checks: those that read only the notebook and its files.

Each check says passed, failed or skipped, and why. The static checks (the card, the
parameters cell, the rule codes and their documentation, outputs, personal data, the
labelled sample) read the notebook, its card and ``<name>.labels.csv``; the checks that
run the model are in :mod:`huiyan.vetting.trial`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huiyan.catalog import ModelCard, Parameter, RuleDoc, library_rules
from huiyan.errors import HuiyanError, did_you_mean

log = logging.getLogger(__name__)


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
    "rules": (
        "规则编号唯一，且在模型卡上写明监督点和法律依据",
        "rule codes are unique and documented on the card",
    ),
    "outputs": ("笔记本不含输出", "the notebook carries no outputs"),
    "privacy": ("笔记本和标注样本不含个人信息", "no personal data in the notebook or labels"),
    "labels": ("标注样本格式正确", "the labelled sample is well-formed"),
    "run": ("在合成小省上运行成功", "runs on the tiny synthetic province"),
    "deterministic": ("两次运行结果相同", "two runs give the same clue ids"),
    "county_local": (
        "各县区单独运行与一次逐县计算按县拆分的线索相同",
        "each county run alone gives that county's clues of one run of every county",
    ),
    "reported": (
        "输出的规则都在模型卡上，说明一致",
        "reported rules are on the card, documented alike",
    ),
    "contract": (
        "用到的数据集和列都在数据契约中、在模型卡上",
        "every dataset and column used is in the contract and on the card",
    ),
    "quality": ("各规则精确率、召回率", "precision and recall per rule"),
}
"""Each check's title in Chinese and English, in checklist order."""

RUN_CHECKS = ("run", "deterministic", "reported", "contract", "quality")
CODE = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+")
"""What a rule code looks like: FISH-GEAR-UNTRANSFERRED."""


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


def _same_text(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


def rule_documentation(card: ModelCard) -> dict[str, RuleDoc]:
    """How each rule on ``card`` is documented: by the card, else by its library rule."""
    library = library_rules(card)
    out = {}
    for code in card.rules:
        doc, lib = card.rule_doc(code), library.get(code)
        out[code] = RuleDoc(
            code, doc.zh or (lib.zh if lib else ""), doc.basis or (lib.basis if lib else "")
        )
    return out


def _other_models(card: ModelCard, others: Iterable[ModelCard]) -> dict[str, tuple[str, str]]:
    """Rule code -> (model, zh) for every rule documented by another model or the library."""
    from huiyan import rules

    used: dict[str, tuple[str, str]] = {}
    for other in others:
        if other.name == card.name:
            continue
        for code, doc in rule_documentation(other).items():
            if doc.zh:
                used.setdefault(code, (other.name, doc.zh))
    for code, rule in rules.REGISTRY.items():
        if rules.defined_in(code) != "notebook" and rule.model != card.name:
            used.setdefault(code, (rule.model, rule.zh))
    return used


def rules_check(card: ModelCard, others: Iterable[ModelCard] = ()) -> Check:
    """Each rule code is well-formed, listed once, documented (zh and basis) and not another's.

    A code is documented by the card (``rules:`` as code -> {zh, basis}) or, for a model
    the province promoted into the library, by its ``@hy.rules.rule``. A code another
    model already uses for a different supervision point is refused; reusing a code with
    the same meaning (a county's adaptation of a vetted model) is fine.
    """
    why = []
    if not card.rules:
        why.append("模型卡没有列出规则编号 / the card lists no rule codes")
    docs = rule_documentation(card)
    used = _other_models(card, others)
    repeated = sorted({c for c in card.rules if card.rules.count(c) > 1})
    why += [f"规则编号 {c} 在模型卡上出现多次 / {c} is listed more than once" for c in repeated]
    for code in dict.fromkeys(card.rules):
        doc = docs[code]
        if not CODE.fullmatch(code):
            why.append(
                f'规则编号 "{code}" 格式不对，应形如 FISH-GEAR-UNTRANSFERRED / '
                f'"{code}" is not a rule code like FISH-GEAR-UNTRANSFERRED'
            )
        if not doc.is_documented:
            missing = " 和 ".join(k for k, v in (("zh", doc.zh), ("basis", doc.basis)) if not v)
            tip = did_you_mean(code, [c for c in [*used, *docs] if c != code])
            why.append(
                f'规则 "{code}" 在模型卡上缺少 {missing}（监督点、法律依据）{tip} / '
                f'rule "{code}" has no {missing.replace(" 和 ", " and ")} on the card. '
                f"请在模型卡 rules 下写 Add under the card's rules: "
                f"{code}: {{zh: 监督点, basis: 法律依据}}"
            )
        if code in used and doc.zh and not _same_text(used[code][1], doc.zh):
            model, zh = used[code]
            why.append(
                f"规则编号 {code} 已被模型 {model} 用于「{zh}」，请换一个编号 / "
                f"{code} is already model {model}'s rule for something else: choose another code"
            )
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
    if card.labels is not None:
        for f in privacy.scan(card.labels.read_text(encoding="utf-8", errors="replace")):
            why.append(
                f"标注样本第 {f.line} 行有{f.zh} {f.masked}（请用案件编号等非个人信息引用记录） / "
                f"labels line {f.line}: {f.kind} {f.masked} (reference records by case numbers)"
            )
    if why:
        why.append(
            "个人信息不得随模型传播，请删除 Personal data must not travel with a model: remove it."
        )
    return check("privacy", not why, why)


def labels_check(card: ModelCard) -> Check:
    """The labelled sample, when there is one, reads cleanly and labels only the card's rules."""
    from huiyan.vetting import labels

    if card.labels is None:
        return check("labels", True, [f"没有标注样本 no labelled sample ({card.name}.labels.csv)"])
    try:
        rows = labels.read(card.labels)
    except HuiyanError as err:
        return check("labels", False, [err.zh, err.en])
    why = [
        f"规则 {code} 不在模型卡上 / {code} is not on the card"
        for code in sorted({r.rule for r in rows} - set(card.rules))
    ]
    if why:
        return check("labels", False, why)
    per_rule = ", ".join(
        f"{code} {sum(r.rule == code for r in rows)}"
        for code in dict.fromkeys(r.rule for r in rows)
    )
    return check("labels", True, [f"{len(rows)} 条标注 labelled records ({per_rule})"])


def static_checks(card: ModelCard, others: Iterable[ModelCard] = ()) -> tuple[Check, ...]:
    """The checks that read only the notebook, its card and its labelled sample.

    ``others`` are the other models of the catalog, whose rule codes this model must not take.
    """
    assert card.notebook is not None
    return (
        card_check(card),
        parameters_check(card),
        rules_check(card, others),
        outputs_check(card.notebook),
        privacy_check(card),
        labels_check(card),
    )
