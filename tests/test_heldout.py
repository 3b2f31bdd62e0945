"""The text rules on the held-out phrasing family: wording written apart from the readers.

A tiny province whose free texts (penalty facts, judgments) are worded by the ``heldout``
family, which no reader was tuned to. Every text-derived rule of insurance_fraud and
admin_criminal_transfer must keep precision and recall >= 0.95 against the planted truth,
and hazardous waste only stored, labelled or recorded badly (no disposal) is never flagged.
(``make bench`` reports the same at county scale: benchmarks/bench_text.py.)
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import huiyan as hy
import pytest
from huiyan import synth
from huiyan.models import admin_criminal_transfer as act
from huiyan.models import insurance_fraud as ins
from huiyan.synth import penalties as synth_penalties

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("heldout")]

BAR = 0.95
RULES = {
    act.MODEL: [*act.TEXT_RULES, "ACT-MINING-REPEAT"],
    ins.MODEL: [*ins.TEXT_RULES],
}


@pytest.fixture(scope="module")
def heldout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec(synth.phrasing.FAMILIES["heldout"]) is None:
        pytest.skip("the held-out phrasing family is not in this checkout")
    home = tmp_path_factory.mktemp("heldout")
    with hy.workspace(home) as ws:
        synth.generate(ws, scale="tiny", seed=11, phrasing="heldout")
        ins.prepare(ws)
    return home


@pytest.fixture(scope="module")
def found(heldout: Path) -> dict[str, hy.clues.Clues]:
    with hy.workspace(heldout) as ws:
        return {m.MODEL: hy.clues.collect(*m.run_rules(ws), model=m.MODEL) for m in (act, ins)}


@pytest.mark.parametrize("model, rule", [(m, r) for m, rules in RULES.items() for r in rules])
def test_text_rule_keeps_precision_and_recall_on_the_held_out_wording(
    heldout: Path, found: dict[str, hy.clues.Clues], model: str, rule: str
) -> None:
    with hy.workspace(heldout) as ws:
        ev = hy.evaluation.score(found[model], ws, model=model)
    assert ev is not None
    scores = {s.rule: s for s in ev.scores}
    assert rule in scores, f"{rule}: nothing planted and nothing flagged on the tiny province"
    s = scores[rule]
    assert s.planted > 0
    assert s.precision >= BAR and s.recall >= BAR, (
        f"{rule}: planted {s.planted}, flagged {s.flagged}, right {s.true_positives}"
    )


def test_waste_only_stored_labelled_or_recorded_badly_is_never_flagged(
    heldout: Path, found: dict[str, hy.clues.Clues]
) -> None:
    # (a breath test over 80 with a blood test under it is too rare for the tiny province:
    # benchmarks/bench_text.py checks it at county scale, tests/test_reading.py by phrase)
    with hy.workspace(heldout) as ws:
        known = ws.table(synth_penalties.FACTS_TABLE).execute()
    facts = known.facts.map(json.loads)
    keeping = set(
        known.case_id[
            known.kind.eq("waste")
            & facts.map(lambda f: f.get("conduct") in ("stored", "labelling", "records"))
        ]
    )
    assert keeping  # the tiny province plants them
    flagged = found[act.MODEL].frame.explode("evidence")
    refs = flagged.evidence[flagged.rule == "ACT-POLLUTION-WASTE"].dropna()
    waste = {r.split(":", 1)[1] for r in refs if r.startswith("admin_penalties:")}
    assert not keeping & waste
