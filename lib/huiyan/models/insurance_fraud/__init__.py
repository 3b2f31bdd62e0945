"""车险理赔虚假诉讼与保险诈骗 insurance_fraud: car-insurance claim fraud mined from civil judgments.

After the Shaoxing (绍兴) model: single judgments look normal, but across many
of them the same plaintiffs sue again and again, they are not the car owners
(the claim was assigned to them), the insurer never assessed the loss, the
same repair shops and assessors recur, and the plaintiffs turn out to work at
the repair shop. Seven rules (models.md):

* INS-ASSIGNED (judgment): the text says the claim was assigned, the plaintiff
  is a repair business, or no plaintiff is the registered owner or insured of
  a plate in the case. A one-off lawful assignment is a clue of this rule only.
* INS-NO-ASSESSMENT (judgment): the insurer did not assess the loss
  (未经定损, 拒绝定损) and the text says the plaintiff commissioned the
  assessment the amount rests on.
* INS-FREQUENT-PLAINTIFF (person): >= ``min_suits`` insurance judgments of one
  plaintiff inside ``window_months`` (a window starts at each judgment date);
  evidence: every judgment in a qualifying window.
* INS-SHOP-CONCENTRATION (org): a repair shop in >= ``min_shop_cases``
  insurance judgments, one assessor in more than half of them; evidence: all
  the shop's insurance judgments.
* INS-PLAINTIFF-EMPLOYEE (judgment): the plaintiff's social-security employer
  (in the ``employment_lookback_months`` before the judgment) is the repair
  shop named in the case, or the plaintiff is one of its officers.
* INS-FREQUENT-REPORTER (person): >= ``min_reports`` claims in
  ``report_window_months`` reported by one person for cars they neither own
  nor insure, each handled by a shop that employs them (at the report month)
  or where they are an officer.
* INS-RING (ring): see :mod:`huiyan.models.insurance_fraud.rings`.

Only insurance judgments count (cause 机动车交通事故责任纠纷 or 财产保险合同纠纷,
with an insurer party). People and companies are linked across sources by
:mod:`huiyan.linking`; each clue says how (``link``) and its score carries the
link's confidence.

The judgment texts must be parsed first (:func:`prepare`, that is
:func:`huiyan.judgments.parse_workspace`: the runner does it before the read-only
notebook of any model that reads ``judgments``).

Example (in a notebook)::

    from huiyan.models import insurance_fraud as m
    m.prepare(ws)                       # once, on a writable workspace
    hits = m.run_rules(ws, region="330602")
    found = hy.clues.collect(*hits)
"""

from __future__ import annotations

from typing import Any

from huiyan.judgments import parse_workspace as prepare
from huiyan.models.insurance_fraud.base import (
    CAUSES,
    DATASETS,
    MODEL,
    PARAMETERS,
    Facts,
    facts,
    plate_owners,
)
from huiyan.models.insurance_fraud.rings import RingGraph, draw, ring, ring_graph
from huiyan.models.insurance_fraud.rules import (
    assigned,
    frequent_plaintiff,
    frequent_reporter,
    in_windows,
    no_assessment,
    plaintiff_employee,
    shop_concentration,
)
from huiyan.rules import Hits, parameters
from huiyan.workspace import Workspace

__all__ = [
    "CAUSES",
    "DATASETS",
    "MODEL",
    "PARAMETERS",
    "RULES",
    "TEXT_RULES",
    "Facts",
    "RingGraph",
    "assigned",
    "draw",
    "facts",
    "frequent_plaintiff",
    "frequent_reporter",
    "in_windows",
    "no_assessment",
    "plaintiff_employee",
    "plate_owners",
    "prepare",
    "record_hits",
    "ring",
    "ring_graph",
    "run_rules",
    "shop_concentration",
    "unread",
]  # fmt: skip

RULES = (
    assigned,
    no_assessment,
    frequent_plaintiff,
    shop_concentration,
    plaintiff_employee,
    frequent_reporter,
    ring,
)


def _check_params(params: dict[str, Any]) -> dict[str, Any]:
    defaults = {k: default for k, (default, _type, _zh) in PARAMETERS.items()}
    return parameters(MODEL, defaults, params)


def record_hits(f: Facts, **params: Any) -> list[Hits]:
    """The six record-level rules (every rule but INS-RING) on prepared facts."""
    p = _check_params(params)
    return [
        assigned(f.documents, f.plaintiffs, f.plates, f.owners),
        no_assessment(f.documents, f.assessors),
        frequent_plaintiff(
            f.plaintiffs, f.documents, min_suits=p["min_suits"], window_months=p["window_months"]
        ),
        shop_concentration(f.shops, f.assessors, f.documents, min_shop_cases=p["min_shop_cases"]),
        plaintiff_employee(
            f.plaintiffs,
            f.shops,
            f.documents,
            f.social_security,
            f.enterprise_people,
            employment_lookback_months=p["employment_lookback_months"],
        ),
        frequent_reporter(
            f.claims,
            f.vehicles,
            f.social_security,
            f.enterprise_people,
            min_reports=p["min_reports"],
            report_window_months=p["report_window_months"],
        ),
    ]


TEXT_RULES = {
    "INS-ASSIGNED": "assignment",
    "INS-NO-ASSESSMENT": "assessment",
    "INS-SHOP-CONCENTRATION": "repair",
    "INS-PLAINTIFF-EMPLOYEE": "repair",
    "INS-FREQUENT-PLAINTIFF": "plaintiff",
}
"""The rules that rest on a fact read from the judgment text, and that fact."""


def unread(ws: Workspace, *, region: str = "") -> dict[str, dict[str, int]]:
    """Blind spots: per text rule, the insurance judgments and those where the reader found the
    key words of the deciding fact but could not read it (an assignment, the insurer's
    assessment, the business that repaired the car; a plaintiff's name for the frequency rule).

    Returns:
        ``{rule: {"candidates": n, "unread": m}}`` for :func:`huiyan.runs.save`.
    """
    from huiyan.judgments import parsed
    from huiyan.models.insurance_fraud.base import insurance_documents
    from huiyan.reading import blindspots

    d = insurance_documents(ws.table("judgments", region=region), parsed(ws).documents)
    return blindspots.counts(
        d,
        {
            code: (None, (d.n_plaintiffs == 0) if fact == "plaintiff" else d.unread.contains(fact))
            for code, fact in TEXT_RULES.items()
        },
    )


_KEY_WORDS = {
    "assignment": (("insurance", "transfer"),),
    "assessment": (("insurance", "assessment"), ("insurance", "inspection")),
    "repair": (("insurance", "repair"),),
    "plaintiff": (),
}
"""The vocabulary lists whose words mark the sentences worth showing for an unread judgment."""


def unread_records(ws: Workspace, rule: str, *, region: str = "") -> tuple[Any, tuple[str, ...]]:
    """The insurance judgments where a text rule's deciding fact could not be read, and the key words.

    Returns:
        (a frame of ``record, text``, the key words), for
        :func:`huiyan.reading.blindspots.common_sentences`.
    """
    from huiyan import reading
    from huiyan.judgments import parsed
    from huiyan.models.insurance_fraud.base import insurance_documents
    from huiyan.rules import ref

    fact = TEXT_RULES[rule]
    judgments = ws.table("judgments", region=region)
    d = insurance_documents(judgments, parsed(ws).documents)
    d = d.filter((d.n_plaintiffs == 0) if fact == "plaintiff" else d.unread.contains(fact))
    d = d.select("doc_id").join(judgments.select("doc_id", "text"), "doc_id")
    frame = d.select(record=ref("judgments", d.doc_id), text=d.text).execute()
    v = reading.load()
    words = tuple(w for lists in _KEY_WORDS[fact] for w in v.words(*lists)) or ("原告",)
    return frame, words


def run_rules(ws: Workspace, *, region: str = "", **params: Any) -> list[Hits]:
    """Evaluate every rule of the model on the workspace (one county with ``region``).

    The judgments must have been parsed (:func:`prepare`).
    """
    p = _check_params(params)
    f = facts(ws, region=region)
    hits = record_hits(f, **p)
    graph = ring_graph(hits, f, min_ring_rules=p["min_ring_rules"])
    return [*hits, ring(graph)]
