"""A model's labelled sample: records its author checked by hand, kept beside the notebook.

Where the synthetic province plants no truth for a rule (a county's new rule), vetting
measures the rule against ``<name>.labels.csv`` instead: one row per record the author
looked at, saying whether the rule should flag it. The file travels in the model's bundle.

    record,rule,expected
    admin_penalties:松渔罚〔2021〕390号,FISH-GEAR-UNTRANSFERRED,yes
    admin_penalties:越环罚〔2021〕12号,FISH-GEAR-UNTRANSFERRED,no

``record`` is a record reference (``dataset:key``, key columns joined with ``|``);
headers may also be 记录, 规则, 是否线索; ``expected`` is yes/no (是/否, true/false, 1/0).
A record should be a case's own number (a penalty's 文号, an auction id), never a person's
ID number: personal data must not travel with a model, and vetting refuses it.

Example:
    >>> rows = read_text("record,rule,expected\\nadmin_penalties:A1,FISH-X,是\\n", "x.labels.csv")
    >>> rows[0]
    Label(record='admin_penalties:A1', rule='FISH-X', expected=True)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huiyan.errors import ModelError

HEADERS = {
    "record": ("record", "记录", "记录引用", "reference"),
    "rule": ("rule", "规则", "规则编号", "code"),
    "expected": ("expected", "是否线索", "应为线索", "label"),
}
YES = {"yes", "y", "true", "1", "是", "应是", "线索"}
NO = {"no", "n", "false", "0", "否", "不是", "非线索"}


@dataclass(frozen=True)
class Label:
    """One labelled record: should ``rule`` flag ``record``?"""

    record: str
    rule: str
    expected: bool


@dataclass(frozen=True)
class LabelScore:
    """One rule measured against the labelled sample (None where the sample cannot say)."""

    rule: str
    labelled_yes: int
    labelled_no: int
    true_positives: int
    false_positives: int

    @property
    def precision(self) -> float | None:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else None

    @property
    def recall(self) -> float | None:
        return self.true_positives / self.labelled_yes if self.labelled_yes else None


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def read(path: Path) -> list[Label]:
    """The labelled sample in ``path``; a ModelError names every bad row at once."""
    return read_text(_decode(path.read_bytes()), str(path))


def _columns(header: list[str], where: str) -> dict[str, int]:
    found = {}
    cleaned = [h.strip().lower() for h in header]
    for key, names in HEADERS.items():
        for i, h in enumerate(cleaned):
            if h in {n.lower() for n in names}:
                found[key] = i
                break
    missing = [k for k in HEADERS if k not in found]
    if missing:
        raise ModelError(
            f"标注样本 {where} 缺少列：{', '.join(missing)}（表头为 {', '.join(header) or '空'}）。",
            f"The labelled sample {where} lacks columns: {', '.join(missing)}.",
            "表头应为 The header should be: record,rule,expected（或 记录,规则,是否线索）",
        )
    return found


def read_text(text: str, where: str) -> list[Label]:
    """The labelled sample in ``text`` (CSV); ``where`` names the file in messages."""
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if not rows:
        raise ModelError(
            f"标注样本 {where} 是空文件。", f"The labelled sample {where} is empty.",
            "表头应为 The header should be: record,rule,expected",
        )  # fmt: skip
    cols = _columns(rows[0], where)
    labels, problems = [], []
    for number, row in enumerate(rows[1:], start=2):
        cell = {k: (row[i].strip() if i < len(row) else "") for k, i in cols.items()}
        dataset, _, key = cell["record"].partition(":")
        bad = []
        if not dataset or not key:
            bad.append(
                f'record 列的值 "{cell["record"]}" 不是记录引用（数据集:主键） / '
                f'"{cell["record"]}" is not a record reference (dataset:key)'
            )
        if not cell["rule"]:
            bad.append("rule 列为空 / rule is empty")
        value = cell["expected"].lower()
        if value not in YES | NO:
            bad.append(
                f'expected 列的值 "{cell["expected"]}" 应为 yes/no（是/否） / '
                f'expected is "{cell["expected"]}", not yes or no'
            )
        if bad:
            problems.append(f"第 {number} 行 row {number}: " + "; ".join(bad))
            continue
        labels.append(Label(cell["record"], cell["rule"], value in YES))
    if problems:
        shown = problems[:5] + (
            [f"…（共 {len(problems)} 行 rows in all）"] if len(problems) > 5 else []
        )
        raise ModelError(
            f"标注样本 {where} 有 {len(problems)} 行无法读取：\n" + "\n".join(shown),
            f"{len(problems)} rows of the labelled sample {where} cannot be read.",
            "每行：记录引用,规则编号,yes/no  Each row: dataset:key,RULE-CODE,yes/no",
        )
    return labels


def measure(labels: Iterable[Label], clues: Any, rules: Iterable[str]) -> dict[str, LabelScore]:
    """Each of ``rules`` with labelled records, scored on the clues' evidence records.

    A labelled record is flagged when it is among the evidence of a clue of that rule.
    """
    flagged: dict[str, set[str]] = {}
    for rule, evidence in zip(clues["rule"], clues["evidence"], strict=True):
        flagged.setdefault(str(rule), set()).update(str(e) for e in evidence)
    out = {}
    labels = list(labels)
    for code in rules:
        mine = [lab for lab in labels if lab.rule == code]
        if not mine:
            continue
        yes = {lab.record for lab in mine if lab.expected}
        no = {lab.record for lab in mine if not lab.expected} - yes
        hit = flagged.get(code, set())
        out[code] = LabelScore(code, len(yes), len(no), len(yes & hit), len(no & hit))
    return out
