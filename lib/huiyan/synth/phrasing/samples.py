"""Sample facts covering every case of the interface, and a structural check of a family's texts.

``python -m huiyan.synth.phrasing NAME`` prints what family ``NAME`` writes for
each sample; :func:`check` returns the problems a test can assert are absent.
The check is structural only (types, names and plates written as given, the
same text for the same random stream): whether a text states the facts truly
is for its author to make sure of (see the interface document).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import replace
from types import ModuleType
from typing import Any

from huiyan.synth.phrasing.facts import (
    DrinkFacts,
    JudgmentFacts,
    MiningFacts,
    PenaltyText,
    Person,
    ShoddyFacts,
    WasteFacts,
)

_D = dt.date(2022, 5, 17)


def penalty_samples() -> Iterator[tuple[str, str, Any]]:
    """(function, label, facts) for every penalty case the generator makes."""
    m = MiningFacts(
        party="张建国", party_kind="person", date=_D, place="曹娥江", value_yuan=96_000.0,
        tonnes=3_200.0, cubic_metres=None, restricted=None, denies_restricted=False,
        fine_yuan=288_000.0, label_matches=True,
    )  # fmt: skip
    yield "mining", "value stated, tonnes", m
    yield (
        "mining",
        "value in record, m³, zone",
        replace(m, value_yuan=None, tonnes=None, cubic_metres=2_000.0, restricted="zone"),
    )
    yield (
        "mining",
        "closed season, company",
        replace(
            m,
            party="绍兴永顺砂石有限公司",
            party_kind="org",
            restricted="period",
            value_yuan=52_300.0,
        ),
    )
    yield (
        "mining",
        "denies restricted, label generic",
        replace(m, value_yuan=87_600.0, denies_restricted=True, label_matches=False),
    )
    s = ShoddyFacts(
        party="柯桥鸿运贸易有限公司", party_kind="org", date=_D, product="电线电缆",
        sales_yuan=68_000.0, unsold_yuan=0.0, gain_yuan=13_600.0, fine_yuan=50_000.0,
        label_matches=True,
    )  # fmt: skip
    yield "shoddy", "sales and gain", s
    yield (
        "shoddy",
        "unsold only, stated",
        replace(s, sales_yuan=0.0, unsold_yuan=152_000.0, gain_yuan=None),
    )
    yield (
        "shoddy",
        "sales, unsold in record, label other",
        replace(s, unsold_yuan=None, gain_yuan=None, label_matches=False),
    )
    d = DrinkFacts(
        party="李海峰", date=_D, plate="浙D3K7Q2", place="越城", blood_mg=125.0,
        blood_in_record=False, breath_mg=None, over_80=True, fine_yuan=0.0, label_matches=True,
    )  # fmt: skip
    yield "drink", "blood only, drunk", d
    yield "drink", "blood and breath", replace(d, blood_mg=91.0, breath_mg=103.0)
    yield (
        "drink",
        "breath high, blood below 80",
        replace(d, blood_mg=62.5, breath_mg=96.0, over_80=False, fine_yuan=1_500.0),
    )
    yield "drink", "breath only", replace(d, blood_mg=None, breath_mg=88.0)
    yield (
        "drink",
        "breath only, below 80",
        replace(d, blood_mg=None, breath_mg=65.0, over_80=False, fine_yuan=1_000.0),
    )
    yield "drink", "blood in record", replace(d, blood_mg=None, blood_in_record=True)
    yield "drink", "mislabelled as drink driving", replace(d, blood_mg=80.0, label_matches=False)
    w = WasteFacts(
        party="上虞精诚机械有限公司", party_kind="org", date=_D, waste="废矿物油", tonnes=4.2,
        conduct="unlicensed", fine_yuan=100_000.0, label_matches=True,
    )  # fmt: skip
    for conduct in ("unlicensed", "dumped", "discharged", "stored", "labelling", "records"):
        yield (
            "waste",
            conduct,
            replace(w, conduct=conduct, tonnes=12.5 if conduct == "stored" else 4.2),
        )
    yield (
        "waste",
        "disposal, storage label, tonnes in record",
        replace(w, tonnes=None, label_matches=False),
    )
    yield (
        "waste",
        "storage, disposal label",
        replace(w, conduct="stored", tonnes=30.0, label_matches=False),
    )


def judgment_samples() -> Iterator[tuple[str, JudgmentFacts]]:
    """(label, facts) for every judgment case the generator makes."""
    base = JudgmentFacts(
        court="绍兴市越城区人民法院", county="绍兴市越城区", cause="机动车交通事故责任纠纷",
        traffic=True, plaintiff="王立军", plaintiff_kind="person",
        plaintiff_person=Person("王立军", "男", dt.date(1985, 3, 2)), plaintiff_rep=None,
        agent="陈晓燕", agent_firm="浙江天册律师事务所", agent_kind="lawyer",
        driver="赵文斌", driver_gender="男", vehicle_company=None, vehicle_company_rep=None,
        insurer="中国人民财产保险股份有限公司绍兴市分公司", insurer_short="人保财险绍兴分公司",
        insurer_rep="孙伟", insurer_agent="周敏", plate="浙D12345", other_plate="浙D6J8K1",
        owner=None, accident_date=dt.date(2021, 8, 9), accident_place="绍兴市越城区人民路",
        assigned=False, car_sold=False, assessment="insurer", assessor=None, loss_yuan=23_456.7,
        insurer_loss_yuan=None, shop=None, injury=False,
    )  # fmt: skip
    yield "insurer assessed", base
    yield "assigned, self-assessed, shop", replace(
        base, assigned=True, owner="钱美华", assessment="self", assessor="浙江正信保险公估有限公司",
        shop="越城永顺汽车修理厂", agent_kind="lawyer",
    )  # fmt: skip
    yield (
        "self, silent about insurer",
        replace(base, assessment="self_silent", assessor="越城公平价格评估有限公司"),
    )
    yield (
        "disputed",
        replace(
            base,
            assessment="disputed",
            assessor="越城明鉴机动车鉴定评估有限公司",
            insurer_loss_yuan=11_000.0,
        ),
    )
    yield (
        "insurer named assessor, shop",
        replace(
            base,
            assessment="insurer_named",
            assessor="浙江大正保险公估有限公司",
            shop="越城鸿运汽车服务有限公司",
        ),
    )
    yield "court appointed", replace(base, assessment="court", assessor="越城天平价格评估有限公司")
    yield "repair bill, shop", replace(base, assessment="repair_bill", shop="越城金源汽车修配厂")
    yield "car sold", replace(base, car_sold=True, owner="刘国庆", assessment="none")
    yield (
        "vehicle company co-defendant",
        replace(base, vehicle_company="越城鼎立汽车服务有限公司", vehicle_company_rep="吴强"),
    )
    yield "injury, masked names", replace(
        base, plaintiff="王某", plaintiff_person=Person("王某", "女", None), driver="赵某",
        plate=None, injury=True, assessment="none", agent=None, agent_firm=None, agent_kind=None,
    )  # fmt: skip
    yield "property insurance, company plaintiff", replace(
        base, cause="财产保险合同纠纷", traffic=False, plaintiff="越城骏豪汽车租赁有限公司",
        plaintiff_kind="org", plaintiff_person=None, plaintiff_rep="马德胜", driver=None,
        other_plate=None, agent_kind="legal_service", agent_firm="绍兴市越城区城东法律服务所",
    )  # fmt: skip


_JUDGMENT_FUNCTIONS = (
    "judgment_parties",
    "judgment_story",
    "judgment_defence",
    "judgment_findings",
)


def _render_judgment(module: ModuleType, f: JudgmentFacts, seed: int) -> dict[str, Any]:
    r = random.Random(seed)
    return {fn: getattr(module, fn)(f, r) for fn in _JUDGMENT_FUNCTIONS}


def _flat(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _has_plate(text: str, plate: str) -> bool:
    import re

    return re.search(re.escape(plate[:2]) + r"[·・•. -]?" + re.escape(plate[2:]), text) is not None


def check(module: ModuleType, *, seeds: int = 20) -> list[str]:
    """Structural problems in what ``module`` writes for the samples (empty when none)."""
    problems: list[str] = []
    for fn, label, facts in penalty_samples():
        for seed in range(seeds):
            out = getattr(module, fn)(facts, random.Random(seed))
            again = getattr(module, fn)(facts, random.Random(seed))
            where = f"{fn} [{label}] seed {seed}"
            if not isinstance(out, PenaltyText):
                problems.append(f"{where}: returns {type(out).__name__}, not PenaltyText")
                break
            if out != again:
                problems.append(f"{where}: not the same text for the same random stream")
            if not out.violation.strip() or not out.facts.strip():
                problems.append(f"{where}: empty violation or facts")
            if "\n" in out.violation or len(out.violation) > 40:
                problems.append(f"{where}: the violation label is not a short phrase")
            if fn == "drink" and not _has_plate(out.facts, facts.plate):
                problems.append(f"{where}: plate {facts.plate} not written")
    for label, f in judgment_samples():
        for seed in range(seeds):
            out = _render_judgment(module, f, seed)
            where = f"judgment [{label}] seed {seed}"
            if out != _render_judgment(module, f, seed):
                problems.append(f"{where}: not the same text for the same random stream")
            for fn, kind in zip(_JUDGMENT_FUNCTIONS, (list, str, list, str), strict=True):
                if not isinstance(out[fn], kind) or not out[fn]:
                    problems.append(f"{where}: {fn} must return a non-empty {kind.__name__}")
            text = "".join(_flat(v) for v in out.values())
            parties = _flat(out["judgment_parties"])
            for name in (f.plaintiff, f.insurer, f.driver, f.vehicle_company):
                if name and name not in parties:
                    problems.append(f"{where}: party {name} not in judgment_parties")
            for name in (f.shop, f.assessor, f.owner):
                if name and name not in text:
                    problems.append(f"{where}: {name} not written")
            for plate in (f.plate, f.other_plate):
                if plate and not _has_plate(text, plate):
                    problems.append(f"{where}: plate {plate} not written")
    return problems


def show(module: ModuleType, *, seed: int = 0) -> str:
    """Everything ``module`` writes for the samples with one seed, for reading."""
    lines = []
    for fn, label, facts in penalty_samples():
        out = getattr(module, fn)(facts, random.Random(seed))
        lines.append(f"== {fn} [{label}]\n   violation: {out.violation}\n   facts: {out.facts}")
    for label, f in judgment_samples():
        out = _render_judgment(module, f, seed)
        lines.append(f"== judgment [{label}]")
        for fn, value in out.items():
            lines.append(f"   {fn}: {_flat(value) if fn.endswith('parties') else value}")
    return "\n".join(lines)
