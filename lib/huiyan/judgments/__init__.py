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
- plates: normalised (浙Ｄ·１２３４５ -> 浙D12345); masked plates (赣B×××××, 黑BV86**) and
  trailer plates (冀JLF11挂) are kept as written, normalised like any other.
- claimed_amount: the plaintiff's request (the first-instance request in an
  appeal): the stated totals (共计/合计) if any, else the sum of the amounts
  asked, leaving out bracketed explanations, interest bases and sums already paid.
- awarded_amount: the payment orders of the last 判决如下 (the quoted first-
  instance orders when the appeal 维持原判), counterclaim orders included; in a
  调解书 the payments of the agreement the court confirms (达成如下协议); 0.0
  when the 主文 only dismisses; null when there is no 主文 or it orders no payment.
  Criminal documents have null amounts.
- insurers: parties that are insurance companies (not 保险公估 loss adjusters,
  brokers or agencies), masked ones (某保险公司) included.
- the insurance facts are read by :mod:`huiyan.judgments.insurance` with the reading
  vocabulary (``datasets/vocabulary.yaml``), by role and with negation and scope:
  repair_shops are the businesses the text has repair the vehicle, whatever their names
  (a motor-trade company that is a party, or one that issued a rescue receipt, is none);
  assessors are the appraisal bodies named (never a description such as 有资质的评估机构);
  assigned is true when the text says the claim was assigned to the plaintiff (债权转让,
  理赔权转让 ...), else false, never null (a car's sale the insurer argues, subrogation and
  the cause of action 债权转让合同纠纷 are no assignment); insurer_assessed is false when the
  text says the insurer did not assess (未经保险公司定损, 拒绝定损, 未通知保险公司定损 ...), true
  when it says it did (also when the plaintiff disputes it), else null.

Derived tables (DuckDB, one row per ...):

- ``jd_documents`` (document): doc_id, text_hash, region, case_no, court, cause,
  doc_type, judgment_date DATE, claimed_amount DOUBLE, awarded_amount DOUBLE,
  assigned BOOLEAN, insurer_assessed BOOLEAN, n_plaintiffs, n_defendants,
  has_insurer BOOLEAN, commissioned BOOLEAN (the plaintiff commissioned the appraisal),
  assigned_words, assessed_words, commissioned_words (snippets: the words each fact was
  read from, in context), unread (the facts whose key words the reader found but could
  not read: assignment, assessment, repair; comma-separated, null when none).
- ``jd_parties`` (party): doc_id, role (plaintiff/defendant/third_party), seq
  (0-based within the document), name, kind (person/org), legal_rep, is_insurer.
- ``jd_agents`` (agent of a party): doc_id, party_seq, role (委托诉讼代理人 /
  法定代理人 / 辩护人 ...), name, law_firm.
- ``jd_plates`` (doc_id, plate), ``jd_shops`` (doc_id, shop, words), ``jd_assessors``
  (doc_id, assessor, words).
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
