"""The facts the insurance rules read, in pandas: insurance judgments, linked parties, shops, claims.

The same tables as :func:`huiyan.models.insurance_fraud.facts`, built from
whole tables (only the needed columns) with merges: insurance judgments
(cause 机动车交通事故责任纠纷 or 财产保险合同纠纷 with an insurer party), their
plaintiffs linked to people and companies, their plates, repair shops and
assessors (as the judgment reader read them), the plaintiffs' agents, and the
claims with their reporter, shop and assessor linked.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from huiyan import linking as lk
from huiyan.models.insurance_fraud.base import ASSESSOR_WORDS, CAUSES, SHOP_INDUSTRIES, SHOP_WORDS
from huiyan.workspace import Workspace

from baselines.insurance_fraud.linking import (
    among,
    core_name,
    equals,
    has,
    id_after,
    link_orgs,
    link_people,
    masked,
    nonblank,
    orgs,
    read,
)

_CLAIM_COLUMNS = [
    "claim_id", "plate_no", "insured_id", "insured_name", "reporter_name", "reporter_id",
    "report_date", "accident_region", "repair_shop", "repair_shop_org_id", "assessor",
]  # fmt: skip


@dataclass(frozen=True)
class Facts:
    """The model's inputs as pandas frames (see :func:`facts`)."""

    docs: pd.DataFrame
    """doc_id, region, judgment_date, assigned, no_assessment (the two text flags)."""
    plaintiffs: pd.DataFrame
    """doc_id, seq, name, kind, region, judgment_date, person_id, org_id, plink, masked,
    party_key, suit_key (as the model defines them)."""
    plates: pd.DataFrame
    shops: pd.DataFrame
    """doc_id, shop, region, org_id, shop_key."""
    assessors: pd.DataFrame
    """doc_id, assessor, region, org_id, assessor_key."""
    agents: pd.DataFrame
    """doc_id, agent_key."""
    claims: pd.DataFrame
    """The county's claims with shop_org_id, shop_key, assessor_key, reporter_pid."""
    owners: pd.DataFrame
    """plate, person_id, name_o: registered owners and insureds."""
    vehicles: pd.DataFrame
    social: pd.DataFrame
    officers: pd.DataFrame


def facts(ws: Workspace, *, region: str = "") -> Facts:
    """Read and link everything the rules need, for one county ("" = the whole workspace)."""
    docs, texts = _documents(ws, region)
    keep = docs["doc_id"]
    enterprises = read(ws, "enterprises", ["org_id", "name", "region", "industry"])
    enterprises = enterprises.assign(core=core_name(enterprises["name"]))
    by_trade = enterprises["industry"].isin(SHOP_INDUSTRIES)
    shop_orgs = orgs(enterprises[has(enterprises["name"], SHOP_WORDS) | by_trade])
    shop_orgs = shop_orgs.drop(columns=["industry"])
    enterprises = enterprises.drop(columns=["industry"])
    assessor_orgs = orgs(enterprises, ASSESSOR_WORDS)
    vehicles = read(ws, "vehicles", ["plate_no", "owner_id", "owner_name", "region"])
    social = read(
        ws,
        "social_security",
        ["person_id", "name", "employer_org_id", "region", "start_month", "end_month"],
    )
    officers = read(ws, "enterprise_people", ["org_id", "person_id", "name"])
    claims = read(ws, "insurance_claims", _CLAIM_COLUMNS)

    plates = read(ws, "jd_plates", ["doc_id", "plate"])
    plates = plates[among(plates["doc_id"], keep)].dropna().drop_duplicates()
    jd_shops = read(ws, "jd_shops", ["doc_id", "shop"])
    shops = _named(jd_shops[among(jd_shops["doc_id"], keep)], docs)
    shops = _org_mentions(shops, "shop", shop_orgs, "S:").rename(columns={"key": "shop_key"})
    jd_asr = read(ws, "jd_assessors", ["doc_id", "assessor"])
    assessors = _named(jd_asr[among(jd_asr["doc_id"], keep)], docs)
    assessors = _org_mentions(assessors, "assessor", assessor_orgs, "A:")
    assessors = assessors.rename(columns={"key": "assessor_key"})

    owners = _owners(vehicles, claims)
    registers = {
        "register": _register(social, vehicles, officers, enterprises),
        "owners": owners,
        "staff": _staff(social, officers),
    }
    parties = read(ws, "jd_parties", ["doc_id", "role", "seq", "name", "kind", "is_insurer"])
    parties = parties[(parties["role"] == "plaintiff") & ~equals(parties["is_insurer"], True)]
    plaintiffs = _plaintiffs(parties, docs, texts, plates, shops, enterprises, registers)
    agents = _agents(read(ws, "jd_agents", ["doc_id", "party_seq", "name", "law_firm"]), plaintiffs)
    if region:
        claims = claims[claims["accident_region"] == region]
    claims = _claims(claims, shop_orgs, assessor_orgs, registers)
    return Facts(
        docs=docs,
        plaintiffs=plaintiffs,
        plates=plates,
        shops=shops,
        assessors=assessors,
        agents=agents,
        claims=claims,
        owners=owners,
        vehicles=vehicles,
        social=social,
        officers=officers,
    )


def _documents(ws: Workspace, region: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Insurance judgments (with the model's two text flags) and their texts."""
    j = read(ws, "judgments", ["doc_id", "region", "cause", "judgment_date", "text"])
    if region:
        j = j[j["region"] == region]
    d = read(
        ws,
        "jd_documents",
        ["doc_id", "cause", "assigned", "insurer_assessed", "has_insurer", "commissioned"],
    )
    j = j.merge(d.rename(columns={"cause": "pcause"}), on="doc_id")
    insurance = j["cause"].isin(CAUSES) | j["pcause"].isin(CAUSES)
    j = j[insurance & equals(j["has_insurer"], True)]
    docs = j[["doc_id", "region", "judgment_date"]].assign(
        assigned=equals(j["assigned"], True),
        no_assessment=equals(j["insurer_assessed"], False) & equals(j["commissioned"], True),
    )
    return docs.reset_index(drop=True), j[["doc_id", "text"]].reset_index(drop=True)


def _named(parsed: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """``doc_id, <name column>, region``: the names the judgment reader read."""
    return parsed.dropna().drop_duplicates().merge(docs[["doc_id", "region"]], on="doc_id")


def _org_mentions(
    names: pd.DataFrame, column: str, companies: pd.DataFrame, prefix: str
) -> pd.DataFrame:
    """Shop or assessor mentions with org_id (where they link) and key (org_id, else core name)."""
    m = names.assign(mention_id=names["doc_id"] + "#" + names[column], name=names[column])
    linked = link_orgs(m, companies)[["mention_id", "org_id"]]
    t = m.merge(linked, on="mention_id", how="left")
    t["key"] = t["org_id"].fillna(prefix + core_name(t[column]))
    return t.dropna(subset=["key"]).drop(columns=["mention_id", "name"])


def _owners(vehicles: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """Registered owners and insureds of plates: ``plate, person_id, name_o``."""
    cols = ["plate", "person_id", "name_o"]
    v = vehicles[["plate_no", "owner_id", "owner_name"]].set_axis(cols, axis=1)
    insured = claims.loc[claims["insured_name"].notna(), ["plate_no", "insured_id", "insured_name"]]
    owners = pd.concat([v, insured.set_axis(cols, axis=1)]).drop_duplicates()
    return owners.dropna(subset=["plate"])


def _register(
    social: pd.DataFrame, vehicles: pd.DataFrame, officers: pd.DataFrame, enterprises: pd.DataFrame
) -> pd.DataFrame:
    """``region, name, person_id`` of the names only one registered person carries in a county."""
    v = vehicles[has(vehicles["owner_id"], r"^\d{17}[\dXx]$")]
    at = officers.merge(enterprises[["org_id", "region"]], on="org_id")
    people = pd.concat(
        [
            social[["person_id", "name", "region"]],
            pd.DataFrame(
                {"person_id": v["owner_id"].str.upper(), "name": v["owner_name"],
                 "region": v["region"]}
            ),
            at[["person_id", "name", "region"]],
        ]
    ).drop_duplicates()  # fmt: skip
    one = people.groupby(["region", "name"])["person_id"].agg(["nunique", "min"])
    return one[one["nunique"] == 1]["min"].rename("person_id").reset_index()


def _staff(social: pd.DataFrame, officers: pd.DataFrame) -> pd.DataFrame:
    """Employees (any time) and officers of companies: ``org_id, person_id, name``."""
    ss = social[["employer_org_id", "person_id", "name"]]
    staff = pd.concat([ss.set_axis(["org_id", "person_id", "name"], axis=1), officers])
    return staff.dropna(subset=["org_id", "name"]).drop_duplicates()


def _plaintiffs(
    parties: pd.DataFrame,
    docs: pd.DataFrame,
    texts: pd.DataFrame,
    plates: pd.DataFrame,
    shops: pd.DataFrame,
    enterprises: pd.DataFrame,
    registers: dict[str, pd.DataFrame],
) -> pd.DataFrame:
    p = parties.merge(docs[["doc_id", "region", "judgment_date"]], on="doc_id")
    p["mention_id"] = p["doc_id"] + "#" + p["seq"].astype("str")
    persons = p[p["kind"] == "person"]
    # a resident ID in the party's own line: only texts that carry one need the search
    with_id = texts[has(texts["text"], lk.RESIDENT_ID_TEXT_RE)]
    look = persons[["mention_id", "doc_id", "name"]].merge(with_id, on="doc_id")
    hint = pd.Series(
        [id_after(t, n) for t, n in zip(look["text"], look["name"], strict=True)],
        index=look["mention_id"].to_numpy(),
        dtype="str",
    )
    mentions = persons[["mention_id", "name", "region"]].assign(
        id_hint=persons["mention_id"].map(hint)
    )
    ids = persons[["mention_id", "doc_id"]]
    people = link_people(
        mentions,
        plates=ids.merge(plates, on="doc_id")[["mention_id", "plate"]],
        shops=ids.merge(shops.dropna(subset=["org_id"]), on="doc_id")[["mention_id", "org_id"]],
        **registers,
    ).rename(columns={"link": "plink"})
    companies = link_orgs(p[p["kind"] == "org"], orgs(enterprises))
    t = p.merge(people, on="mention_id", how="left")
    t = t.merge(companies.drop(columns="link"), on="mention_id", how="left")
    # what INS-FREQUENT-PLAINTIFF counts by: the printed name, a company's code, a masked
    # name's ID from the text; and the ring's node: the linked id, else county + name
    named = t["name"].notna()
    hidden = masked(t["name"]) & named
    org = t["kind"] == "org"
    plain = ~org & named & ~hidden
    suit = ("N:" + t["name"]).where(plain)
    suit = suit.mask(org, t["org_id"].fillna("N:" + t["name"]))
    suit = suit.mask(~org & ~plain & equals(t["plink"], lk.LINK_ID), t["person_id"])
    name_key = "N:" + t["region"] + ":" + t["name"]
    return t.assign(
        masked=hidden,
        party_key=t["person_id"].fillna(t["org_id"]).fillna(name_key.mask(hidden)),
        suit_key=suit,
    ).drop(columns=["role", "is_insurer"])


def _agents(agents: pd.DataFrame, plaintiffs: pd.DataFrame) -> pd.DataFrame:
    """The plaintiffs' agents (unmasked): ``doc_id, agent_key`` (law firm, else county, + name)."""
    keys = plaintiffs[["doc_id", "seq", "region"]].rename(columns={"seq": "party_seq"})
    a = agents.merge(keys, on=["doc_id", "party_seq"])
    a = a[a["name"].notna() & ~masked(a["name"])]
    key = "L:" + a["law_firm"].fillna(a["region"]) + ":" + a["name"]
    return pd.DataFrame({"doc_id": a["doc_id"], "agent_key": key}).drop_duplicates()


def _claims(
    c: pd.DataFrame,
    shop_orgs: pd.DataFrame,
    assessor_orgs: pd.DataFrame,
    registers: dict[str, pd.DataFrame],
) -> pd.DataFrame:
    c = c.assign(region=c["accident_region"], mention_id=c["claim_id"])

    def org_of(column: str, companies: pd.DataFrame) -> pd.Series:
        named = c[nonblank(c[column]).notna()]
        m = named[["mention_id", "region"]].assign(name=named[column])
        return c["claim_id"].map(link_orgs(m, companies).set_index("mention_id")["org_id"])

    shop_org = nonblank(c["repair_shop_org_id"]).fillna(org_of("repair_shop", shop_orgs))
    c = c.assign(
        shop_org_id=shop_org,
        shop_key=shop_org.fillna("S:" + core_name(c["repair_shop"])),
        assessor_key=org_of("assessor", assessor_orgs).fillna("A:" + core_name(c["assessor"])),
    )
    reporters = c[["mention_id", "reporter_name", "region", "reporter_id"]]
    people = link_people(
        reporters.set_axis(["mention_id", "name", "region", "id_hint"], axis=1),
        plates=c[["mention_id", "plate_no"]].rename(columns={"plate_no": "plate"}).dropna(),
        shops=c[["mention_id", "shop_org_id"]].rename(columns={"shop_org_id": "org_id"}).dropna(),
        **registers,
    )
    return c.assign(reporter_pid=c["claim_id"].map(people.set_index("mention_id")["person_id"]))
