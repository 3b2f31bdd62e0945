"""A county's own model, written entirely in its notebook, as an author would in JupyterLab.

``write_rule(notebook)`` turns the notebook ``huiyan new fishing_ban`` made into the
fishing_ban model: its card filled in (datasets, parameters, the rule documented) and one
rule, FISH-GEAR-UNTRANSFERRED, written in a notebook cell with ``@hy.rules.rule`` and ibis.
No line of it is in the library. The tiny synthetic province holds one such penalty.
"""

from __future__ import annotations

import json
from pathlib import Path

NAME = "fishing_ban"
CODE = "FISH-GEAR-UNTRANSFERRED"
ZH = "非法捕捞受行政处罚，可能达到刑事立案标准却未移送"
BASIS = "《刑法》第三百四十条；法释〔2022〕12号第三条"
VIOLATIONS = "禁渔期捕捞"
PLANTED = "admin_penalties:松渔罚〔2019〕386号"
"""The one closed-season fishing penalty of the tiny province (seed 7): fined, never transferred."""
LAWFUL = "admin_penalties:松交罚〔2020〕396号"
"""A penalty of another kind, which the rule must not flag."""

RULE_CELL = f'''@hy.rules.rule(
    "{CODE}",
    model=MODEL,
    zh="{ZH}",
    basis="{BASIS}",
    subject_type="penalty",
    summary="处罚决定{{subject_id}}：{{violation}}，罚款{{amount:,.0f}}元，未移送司法机关。",
)
def fishing_untransferred(penalties, *, violations: list[str], min_fine: float):
    hit = penalties.filter(
        penalties.violation.isin(violations) & ~penalties.transferred & (penalties.fine >= min_fine)
    )
    return hit.select(
        subject_id=hit.case_id,
        region=hit.region,
        subject_name=hit.party_name,
        amount=hit.fine,
        violation=hit.violation,
        evidence=ibis.array([hy.rules.ref("admin_penalties", hit.case_id)]),
    )


hits = [
    fishing_untransferred(
        tables["admin_penalties"], violations=violations.split(","), min_fine=min_fine
    )
]'''

CARD = {
    "title_zh": "涉渔行政处罚应移未移",
    "business_line": "行政检察",
    "supervision_point": "非法捕捞水产品受行政处罚、可能构成犯罪却未移送司法机关",
    "legal_basis": ["《中华人民共和国刑法》第三百四十条", "法释〔2022〕12号第三条"],
    "datasets": ["admin_penalties"],
    "parameters": {
        "violations": {"type": "str", "default": VIOLATIONS, "zh": "涉渔违法行为类型，逗号分隔"},
        "min_fine": {"type": "float", "default": 0.0, "zh": "罚款金额下限（元）"},
    },
    "rules": {CODE: {"zh": ZH, "basis": BASIS}},
    "author_unit": "某县人民检察院",
}

LABELS = f"record,rule,expected\n{PLANTED},{CODE},yes\n{LAWFUL},{CODE},no\n"
"""The author's labelled sample: the record the rule must flag and one it must not."""


def write_rule(notebook: Path) -> None:
    """Fill in the card and write the rule cell of the template notebook ``huiyan new`` made."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    nb["metadata"]["huiyan"].update(CARD)
    written = set()
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            cell["source"] = (
                source.rstrip("\n") + f'\nviolations = "{VIOLATIONS}"\nmin_fine = 0.0\n'
            )
            written.add("parameters")
        elif cell["cell_type"] == "code" and source.startswith("hits: list = []"):
            cell["source"] = RULE_CELL
            written.add("rule")
        elif cell["cell_type"] == "code" and "DATASETS: list[str] = []" in source:
            cell["source"] = source.replace(
                'DATASETS: list[str] = []  # 例如 e.g. ["admin_penalties"]',
                'DATASETS = ["admin_penalties"]',
            )
            written.add("datasets")
    assert written == {"parameters", "rule", "datasets"}, f"the template changed: {written}"
    notebook.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
