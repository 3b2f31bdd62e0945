"""The structured facts a phrasing family puts into words, one frozen dataclass per kind of text.

The generator decides every fact (who, when, how much, what happened); a family
only chooses the words. Money is in yuan, weights in tonnes, blood and breath
alcohol in mg/100ml, dates are :class:`datetime.date`. ``None`` means "not
stated": the family must not write that fact at all (the figure lives in a
structured column of the record, or the case simply has no such fact).

See ``/work/notes/phrasing-interface.md`` (the interface document) for what
each text must state so that it stays true to these facts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

# -- administrative penalties ------------------------------------------------------------------


@dataclass(frozen=True)
class PenaltyText:
    """What a family writes for one penalty: the violation label and the facts paragraph."""

    violation: str
    """违法行为类型 as the agency labels it (a short phrase, e.g. 非法采砂)."""
    facts: str
    """违法事实: the facts paragraph, usually one to three sentences."""


@dataclass(frozen=True)
class MiningFacts:
    """Illegal mining or river-sand dredging (非法采矿/非法采砂).

    Attributes:
        party: the party's name (a person or a company), write it exactly.
        party_kind: "person" or "org".
        date: when it happened.
        place: a river or site name (曹娥江), to use as the place.
        value_yuan: the mineral value (矿产品价值) to state; None = do not state any value
            (it is in the record's structured column; you may say it is in an appraisal).
        tonnes: the quantity in tonnes, or None; cubic_metres: the quantity in m³, or None.
            At most one is set. They do not decide anything: state them or not, as you like.
        restricted: "zone" (in a 禁采区), "period" (in a 禁采期), or None (neither).
        denies_restricted: True only when restricted is None: the text must then say
            explicitly that the site or time is NOT a no-mining zone or period.
        fine_yuan: the fine imposed; you may state it (or not).
        label_matches: True: the violation label names illegal mining/sand dredging;
            False: the label names something else (a generic breach of a water or land
            regulation, say) and only the facts show the conduct.
    """

    party: str
    party_kind: Literal["person", "org"]
    date: dt.date
    place: str
    value_yuan: float | None
    tonnes: float | None
    cubic_metres: float | None
    restricted: Literal["zone", "period"] | None
    denies_restricted: bool
    fine_yuan: float
    label_matches: bool


@dataclass(frozen=True)
class ShoddyFacts:
    """Producing or selling fake or substandard goods (生产、销售伪劣产品).

    Attributes:
        party, party_kind, date: as for :class:`MiningFacts`.
        product: what was sold (电线电缆).
        sales_yuan: the sales amount (销售金额) to state; 0.0 = nothing was sold (do not
            claim any sale amount).
        unsold_yuan: the value of unsold goods seized (货值) to state; 0.0 = none seized;
            None = goods were seized but their value must not be stated (it is in the record).
        gain_yuan: the illegal gain (违法所得) to state, or None (do not state).
        fine_yuan: the fine; you may state it.
        label_matches: True: the label names fake/substandard goods; False: a label naming
            something else (e.g. a labelling or licence breach).
    """

    party: str
    party_kind: Literal["person", "org"]
    date: dt.date
    product: str
    sales_yuan: float
    unsold_yuan: float | None
    gain_yuan: float | None
    fine_yuan: float
    label_matches: bool


@dataclass(frozen=True)
class DrinkFacts:
    """Driving after drinking (饮酒后驾驶) or drunk (醉酒驾驶).

    Attributes:
        party, date: the driver and when.
        plate: the car's plate (浙D12345); write it as given (a · after the first two
            characters is allowed).
        place: where (a town or road).
        blood_mg: the blood-test result (血液酒精含量, mg/100ml) to state, or None.
        blood_in_record: True when a blood test was taken but its result is in the record's
            structured column: then say a blood test was done without giving the figure.
            (blood_mg is then None.)
        breath_mg: the breath-test result (呼气酒精含量, mg/100ml) to state, or None.
            A breath test is screening, a blood test decides. When both are given, state
            both, each clearly as what it is. When only breath_mg is given, the text must
            not mention any blood test.
        over_80: True when the deciding figure (the blood test; with no blood test, the
            breath test) is 80 or more, also when that figure is in the record only.
        fine_yuan: the fine; you may state it.
        label_matches: True: the label names the level ``over_80`` says (醉酒驾驶 when True,
            饮酒后驾驶 when False); False (only with over_80): the label names the lesser
            offence (饮酒后驾驶) although the deciding figure is 80 or more.
    """

    party: str
    date: dt.date
    plate: str
    place: str
    blood_mg: float | None
    blood_in_record: bool
    breath_mg: float | None
    over_80: bool
    fine_yuan: float
    label_matches: bool


WasteConduct = Literal["unlicensed", "dumped", "discharged", "stored", "labelling", "records"]


@dataclass(frozen=True)
class WasteFacts:
    """Hazardous waste (危险废物).

    Attributes:
        party, party_kind, date: as for :class:`MiningFacts`.
        waste: what waste (废矿物油).
        tonnes: the quantity in tonnes to state, or None (do not state; it is in the record).
        conduct: what the party did with it:
            "unlicensed": handed it to a person or firm without a hazardous-waste licence
            to dispose of it; "dumped": dumped it (倾倒); "discharged": discharged it into
            water or soil (排放). These three are disposal.
            "stored": only stored it improperly (贮存 in the open, beyond a year, mixed ...);
            "labelling": only failed to label it or set up signs;
            "records": only failed to keep the ledger / transfer manifests.
            For the last three the text must not say the waste left the party's hands or
            was dumped, discharged or disposed of.
        fine_yuan: the fine; you may state it.
        label_matches: True: the label names the conduct the facts describe; False: the label
            names the other side (a storage label on a disposal case, a disposal label on a
            storage, labelling or records case).
    """

    party: str
    party_kind: Literal["person", "org"]
    date: dt.date
    waste: str
    tonnes: float | None
    conduct: WasteConduct
    fine_yuan: float
    label_matches: bool


# -- insurance judgments -----------------------------------------------------------------------

Assessment = Literal[
    "self", "self_silent", "disputed", "insurer", "insurer_named", "court", "repair_bill", "none"
]


@dataclass(frozen=True)
class Person:
    """A party or agent who is a person; gender 男/女, birth may be None."""

    name: str
    gender: str = "男"
    birth: dt.date | None = None


@dataclass(frozen=True)
class JudgmentFacts:
    """One motor-insurance judgment (机动车交通事故责任纠纷 or 财产保险合同纠纷).

    Attributes:
        court: 绍兴市越城区人民法院; county: the place (绍兴市越城区), for addresses.
        cause: the cause of action; traffic: True for 机动车交通事故责任纠纷.
        plaintiff: the plaintiff's name, exactly as to be written (already masked when masked).
        plaintiff_kind: "person" or "org"; plaintiff_person: gender and birth (persons);
            plaintiff_rep: the legal representative (orgs).
        agent: the plaintiff's agent's name, or None; agent_firm: the law firm or legal
            service office, or None; agent_kind: "lawyer", "legal_service", "citizen" or None.
        driver: the at-fault driver (a defendant), or None (property insurance: no driver).
        driver_gender: 男/女.
        vehicle_company: a motor-trade business (汽车服务/汽车销售/汽修 in its name) that is the
            registered owner of the at-fault car and a co-defendant, or None. It did NOT
            repair anything: never write it as repairing or assessing.
        insurer: the insurance company (a defendant); insurer_short: the abbreviation the
            text may introduce (以下简称…); insurer_rep: its 负责人; insurer_agent: its staff agent.
        plate: the damaged car's plate, or None (an injury case: nobody's car is damaged).
        other_plate: the at-fault car's plate, or None.
        owner: the registered owner of the damaged car when that is not the plaintiff
            (the assignor in an assignment; the seller in a sale), else None.
        accident_date, accident_place: when and where.
        assigned: True: the owner transferred the claim (债权/理赔权/索赔权) for this loss to
            the plaintiff; the text must say so. False: the text must not say any claim or
            right was transferred.
        car_sold: True: the plaintiff bought the car from ``owner`` before the accident and
            the registration was never changed; the insurer argues in its defence that the
            car had changed hands (a transfer of the vehicle, not of a claim). assigned is
            then False.
        assessment: how the loss was assessed:
            "self": the insurer did NOT assess the loss (never notified, or refused), and the
            plaintiff alone commissioned ``assessor``; the text must say both.
            "self_silent": the plaintiff commissioned ``assessor``; nothing is said about
            whether the insurer assessed.
            "disputed": the insurer DID assess (定损) the loss at ``insurer_loss_yuan``; the
            plaintiff disagreed and commissioned ``assessor``.
            "insurer": the insurer assessed the loss (no assessor named).
            "insurer_named": the insurer had ``assessor`` assess the loss.
            "court": on the insurer's application the court appointed ``assessor``.
            "repair_bill": no assessment: the loss is the repair bill (``loss_yuan``).
            "none": nothing is said about how the loss was assessed or repaired.
        assessor: the assessor's name, or None (see assessment).
        loss_yuan: the assessed (or repair) loss; insurer_loss_yuan: the insurer's figure
            ("disputed" only, else None).
        shop: the business that repaired the car, or None; when set, the text must say the
            car was repaired there; when None, no business is said to repair anything.
        injury: True for a personal-injury case (no car damage to assess or repair).
    """

    court: str
    county: str
    cause: str
    traffic: bool
    plaintiff: str
    plaintiff_kind: Literal["person", "org"]
    plaintiff_person: Person | None
    plaintiff_rep: str | None
    agent: str | None
    agent_firm: str | None
    agent_kind: Literal["lawyer", "legal_service", "citizen"] | None
    driver: str | None
    driver_gender: str
    vehicle_company: str | None
    vehicle_company_rep: str | None
    insurer: str
    insurer_short: str
    insurer_rep: str
    insurer_agent: str
    plate: str | None
    other_plate: str | None
    owner: str | None
    accident_date: dt.date
    accident_place: str
    assigned: bool
    car_sold: bool
    assessment: Assessment
    assessor: str | None
    loss_yuan: float
    insurer_loss_yuan: float | None
    shop: str | None
    injury: bool
