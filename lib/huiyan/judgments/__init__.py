"""The judgment reader: structured facts from Chinese civil judgment texts.

``parse(text) -> Parsed`` reads one document into the contract's "Parsed
judgment" fields (``Parsed.to_dict()`` gives the JSON object, keys in the
contract's order). ``parse_workspace(ws)`` parses the workspace's
``judgments`` dataset once into derived DuckDB tables; later runs parse only
new or changed texts. ``parsed(ws)`` returns those tables as ibis tables.

Reading rules (what a model can rely on):

- parties: side is the first-instance role: 上诉人（原审被告）is a defendant,
  被上诉人（原审原告）a plaintiff, 原告（反诉被告）a plaintiff; the prosecution is
  not a party; criminal 被告人 are defendants. Agents (委托诉讼代理人, 法定代理人,
  辩护人) belong to the party before them, or to every party of a side for
  共同委托. law_firm is a 律师事务所 / 法律服务所 (else 法律援助中心, else null:
  staff and citizen agents).
- plates: normalised (浙Ｄ·１２３４５ -> 浙D12345); masked plates are left out.
- claimed_amount: the plaintiff's request (the first-instance request in an
  appeal): the stated totals (共计/合计) if any, else the sum of the amounts
  asked, leaving out bracketed explanations, interest bases and sums already paid.
- awarded_amount: the payment orders of the last 判决如下 (the quoted first-
  instance orders when the appeal 维持原判), counterclaim orders included; in a
  调解书 the payments of the agreement the court confirms (达成如下协议); 0.0
  when the 主文 only dismisses; null when there is no 主文 or it orders no payment.
  Criminal documents have null amounts.
- insurers: parties that are insurance companies (not 保险公估 loss adjusters,
  brokers or agencies). repair_shops / assessors: every repair business and
  assessor named in the text, parties included.
- assigned: true when the text says a claim was assigned (债权转让, 理赔权转让 ...),
  else null. insurer_assessed: false when the text says the insurer did not
  assess (未经保险公司定损, 拒绝定损 ...), true when it says it did, else null.

Derived tables (DuckDB, one row per ...):

- ``jd_documents`` (document): doc_id, text_hash, region, case_no, court, cause,
  doc_type, judgment_date DATE, claimed_amount DOUBLE, awarded_amount DOUBLE,
  assigned BOOLEAN, insurer_assessed BOOLEAN, n_plaintiffs, n_defendants,
  has_insurer BOOLEAN.
- ``jd_parties`` (party): doc_id, role (plaintiff/defendant/third_party), seq
  (0-based within the document), name, kind (person/org), legal_rep, is_insurer.
- ``jd_agents`` (agent of a party): doc_id, party_seq, role (委托诉讼代理人 /
  法定代理人 / 辩护人 ...), name, law_firm.
- ``jd_plates`` (doc_id, plate), ``jd_shops`` (doc_id, shop), ``jd_assessors``
  (doc_id, assessor).
"""

from __future__ import annotations

from typing import Any

from huiyan.judgments.parser import FIELDS, Parsed, parse
from huiyan.judgments.parties import Agent, Party

__all__ = [
    "FIELDS", "Agent", "JudgmentTables", "ParseReport", "Parsed", "Party",
    "parse", "parse_workspace", "parsed",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    # the workspace step imports ibis and pyarrow; parse() alone stays light for workers
    if name in ("parse_workspace", "parsed", "ParseReport", "JudgmentTables"):
        from huiyan.judgments import store

        return getattr(store, name)
    raise AttributeError(f"module 'huiyan.judgments' has no attribute {name!r}")
