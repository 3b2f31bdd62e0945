"""INS-RING: connected groups of plaintiffs, reporters, agents, repair shops and assessors.

The graph (small: only suspect records and their actors):

* record nodes: every judgment or claim that is evidence of at least one of the
  six record rules (INS-ASSIGNED … INS-FREQUENT-REPORTER);
* actor nodes: the record's plaintiffs (linked id, else county + name; masked
  unlinked names are left out), the plaintiffs' agents (law firm + name), the
  repair shops and assessors (org_id, else core name), and a claim's reporter.
  A person or company with an id is one node whatever its role, so a reporter
  who also sues, or a shop that sues as assignee, ties its records together;
* edges: record — actor.

In an each-county run (:mod:`huiyan.counties`) each county's graph is its own: an actor
of two counties is two nodes, so a ring never links records of different counties.

A *ring* is a connected component whose records carry at least
``min_ring_rules`` (2) distinct rule codes and whose people (plaintiffs and
reporters) number at least ``min_ring_people`` (2): one person's own cases are
the other rules' business, not a ring. The ring's evidence is its records plus
every claim a ring person reported at a ring shop, and every judgment of a ring
plaintiff naming a ring shop, even where no rule flagged them alone (a ring
member's claim at the ring's shop is part of the ring's business). The edge
list is built with ibis; the components are found with networkx in Python
(the graph is small).

The clue: subject ``ring``, subject_id ``ring:<key>`` (the org_id or core name
of the ring's busiest repair shop, else a hash of its sorted actor ids, so the
same ring keeps its id between runs), evidence every record of the component,
amount the sum of the claimed amounts, score growing with the number of
rules, records and people.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from huiyan.counties import SCOPE, by_county, same_county
from huiyan.models.insurance_fraud.base import MODEL, Facts
from huiyan.models.insurance_fraud.rules import claim_ref, judgment_ref
from huiyan.rules import Hits, evidence_records, rule

KIND_PREFIX = {"plaintiff": "P", "reporter": "P", "shop": "S", "assessor": "A", "agent": "L"}
KIND_ZH = {
    "P": "原告/报案人",
    "S": "修理厂",
    "A": "评估机构",
    "L": "代理人",
    "J": "判决",
    "C": "赔案",
}
_KIND_ORDER = {"S": 0, "A": 1, "P": 2, "L": 3}


@dataclass(frozen=True)
class RingGraph:
    """Suspect records, their actors and the rings found among them (pandas, small)."""

    edges: pd.DataFrame
    """record, node, kind (P/S/A/L), name (and county_scope, in an each-county run)."""
    records: pd.DataFrame
    """record, kind (J/C), name (case number or claim id), region, amount, rules (sorted tuple)
    (and county_scope, in an each-county run)."""
    rings: pd.DataFrame
    """One row per ring: subject_id, records, actors, rules, and the clue columns."""

    def members(self, subject_id: str) -> pd.DataFrame:
        """The ring's nodes with ASCII labels (P1, S1, A1, L1, J1, C1) and Chinese names.

        In an each-county run two counties' rings may share an id: the strongest is shown.
        """
        ring = self.rings.set_index("subject_id").loc[[subject_id]].iloc[0]
        nodes = list(ring["actors"]) + list(ring["records"])
        rec = self.records.set_index("record")
        edges = self.edges
        if SCOPE in edges.columns:  # the actors as the ring's county knows them
            edges = edges[edges[SCOPE] == rec.at[ring["records"][0], SCOPE]]
        names = _node_names(edges)
        kinds = dict(zip(edges.node, edges.kind, strict=False))
        rows: list[dict[str, object]] = []
        seen: dict[str, int] = {}
        for node in nodes:
            if node in rec.index:
                kind, name = rec.at[node, "kind"], rec.at[node, "name"]
            else:
                kind, name = kinds[node], names.get(node)
            seen[kind] = seen.get(kind, 0) + 1
            rows.append({"标签 label": f"{kind}{seen[kind]}", "类型 kind": KIND_ZH[kind],
                         "名称 name": name, "编号 id": node})  # fmt: skip
        return pd.DataFrame(rows)


def _edges(f: Facts, flagged: ir.Table) -> tuple[ir.Table, ir.Table]:
    """(edges, records) as ibis tables over the flagged records only."""
    docs = f.documents.select(
        "doc_id", "region", *by_county(f.documents),
        amount=f.documents.claimed_amount.coalesce(f.documents.awarded_amount),
        name=f.documents.case_no,
    )  # fmt: skip
    docs = docs.mutate(record=judgment_ref(docs.doc_id))
    docs = docs.semi_join(flagged, "record")
    claims = f.claims.mutate(record=claim_ref(f.claims.claim_id))
    claims = claims.semi_join(flagged, "record")
    recs = docs.select(
        "record", "region", *by_county(docs), "amount", "name", kind=ibis.literal("J")
    ).union(
        claims.select(
            "record",
            "region",
            *by_county(claims),
            amount=claims.claimed_amount.cast("float64"),
            name=claims.claim_id,
            kind=ibis.literal("C"),
        )
    )
    k = docs.select("doc_id", "record", *by_county(docs))

    def of_record(t: ir.Table) -> ir.Table:
        # the judgment's record (and county: same_county keeps one county column, not two)
        return t.join(k, ["doc_id", *same_county(t, k)])

    pl = of_record(f.plaintiffs.filter(f.plaintiffs.party_key.notnull()))
    ag = of_record(f.agents)
    sh = of_record(f.shops)
    asr = of_record(f.assessors)
    parts = [
        pl.select(
            "record", *by_county(pl), node=pl.party_key, kind=ibis.literal("P"), name=pl.name
        ),
        ag.select(
            "record",
            *by_county(ag),
            node=ag.agent_key,
            kind=ibis.literal("L"),
            name=ag.name.concat("（", ag.law_firm.coalesce("—"), "）"),
        ),
        sh.select("record", *by_county(sh), node=sh.shop_key, kind=ibis.literal("S"), name=sh.shop),
        asr.select(
            "record",
            *by_county(asr),
            node=asr.assessor_key,
            kind=ibis.literal("A"),
            name=asr.assessor,
        ),
    ]
    c = claims
    parts.append(
        c.filter(c.reporter_pid.notnull()).select(
            "record",
            *by_county(c),
            node=c.reporter_pid,
            kind=ibis.literal("P"),
            name=c.reporter_name,
        )
    )
    parts.append(
        c.filter(c.shop_key.notnull()).select(
            "record", *by_county(c), node=c.shop_key, kind=ibis.literal("S"), name=c.repair_shop
        )
    )
    parts.append(
        c.filter(c.assessor_key.notnull()).select(
            "record", *by_county(c), node=c.assessor_key, kind=ibis.literal("A"), name=c.assessor
        )
    )
    edges = parts[0]
    for p in parts[1:]:
        edges = edges.union(p)
    return edges.distinct(), recs


@dataclass(frozen=True)
class _Found:
    """A ring found in one county's graph (county None: the run's one graph)."""

    county: Any
    records: list[str]
    actors: list[str]
    rules: list[str]
    kind_of: dict[str, str]
    """Each node's kind in that graph."""


def _per_county(
    records: pd.DataFrame, edges: pd.DataFrame
) -> list[tuple[Any, pd.DataFrame, pd.DataFrame]]:
    """``(county, records, edges)`` of each county in an each-county run, else ``(None, all, all)``."""
    if SCOPE not in records.columns:
        return [(None, records, edges)]
    return [
        (c, records[records[SCOPE] == c], edges[edges[SCOPE] == c])
        for c in sorted(records[SCOPE].unique())
    ]


def ring_graph(
    hits: Sequence[Hits], f: Facts, *, min_ring_rules: int = 2, min_ring_people: int = 2
) -> RingGraph:
    """Build the suspect graph from the other rules' hits and find its rings (see the module doc)."""
    # the flagged records are few: fetch them once and join the facts to that small table
    # (joining to the rules' own queries would nest every rule's plan into each query)
    fl = evidence_records(hits, excluding="INS-RING").execute()
    flagged = ibis.memtable(fl[["rule", "record"]], schema={"rule": "string", "record": "string"})
    edges_t, recs_t = _edges(f, flagged)
    edges = edges_t.execute()
    records = recs_t.execute().drop_duplicates("record")
    found_rules: dict[str, set[str]] = {}
    for record, code in zip(fl.record.tolist(), fl.rule.tolist(), strict=True):
        found_rules.setdefault(record, set()).add(code)
    rules_of = {record: tuple(sorted(codes)) for record, codes in found_rules.items()}
    records = records[records.record.isin(list(rules_of))].reset_index(drop=True)
    records["rules"] = [rules_of[r] for r in records.record.tolist()]
    found = [
        ring
        for county, recs, county_edges in _per_county(records, edges)
        for ring in _components(
            county, recs, county_edges, rules_of, min_ring_rules, min_ring_people
        )
    ]
    extra_edges, extra_recs = _members_records(f, found)
    if len(extra_recs):
        edges = pd.concat([edges, extra_edges], ignore_index=True).drop_duplicates()
        extra_recs["rules"] = [()] * len(extra_recs)
        records = pd.concat([records, extra_recs], ignore_index=True).drop_duplicates("record")
    own: dict[int, list[str]] = {}
    if len(extra_recs):
        for record, i in zip(extra_recs.record.tolist(), extra_recs.ring.tolist(), strict=True):
            own.setdefault(i, []).append(record)
    rows = []
    for county, recs, county_edges in _per_county(records, edges):
        look = _Lookup(recs, county_edges)
        rows += [
            _ring_row(sorted({*x.records, *own.get(i, ())}), x.actors, x.rules, look, x.kind_of)
            for i, x in enumerate(found)
            if x.county == county
        ]
    rings = pd.DataFrame(rows, columns=_RING_COLUMNS)
    if len(rings):
        rings = rings.sort_values(["score", "amount"], ascending=False).reset_index(drop=True)
    return RingGraph(
        edges=edges, records=records.drop(columns="ring", errors="ignore"), rings=rings
    )


def _components(
    county: Any,
    records: pd.DataFrame,
    edges: pd.DataFrame,
    rules_of: dict[str, tuple[str, ...]],
    min_ring_rules: int,
    min_ring_people: int,
) -> list[_Found]:
    """The rings of one graph: its components with enough rules and people."""
    import networkx as nx

    # a node that is both a record and an actor cannot happen: records carry a dataset prefix
    kind_of: dict[str, str] = {}
    for node, kind in zip(edges.node.tolist(), edges.kind.tolist(), strict=True):
        if node not in kind_of or _KIND_ORDER[kind] < _KIND_ORDER[kind_of[node]]:
            kind_of[node] = kind
    g: Any = nx.Graph()
    g.add_nodes_from(records.record.tolist())
    g.add_edges_from(zip(edges.record.tolist(), edges.node.tolist(), strict=True))
    is_record = set(records.record.tolist())
    found = []
    for comp in nx.connected_components(g):
        recs = sorted(n for n in comp if n in is_record)
        actors = sorted(
            (n for n in comp if n not in is_record), key=lambda n: (_KIND_ORDER[kind_of[n]], n)
        )
        rules = sorted({r for x in recs for r in rules_of[x]})
        people = [a for a in actors if kind_of[a] == "P"]
        if len(rules) < min_ring_rules or len(people) < min_ring_people:
            continue
        found.append(_Found(county, recs, actors, rules, kind_of))
    return found


def _members_records(f: Facts, found: list[_Found]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Records no rule flagged that a ring's own people filed at the ring's own repair shops.

    A claim reported by a ring member and repaired at a ring shop (or a
    judgment of a ring plaintiff naming a ring shop) is part of the ring's
    business even when, taken alone, it breaks no rule. ``ring``: the ring's
    index in ``found``.
    """
    pairs = [
        (i, ring.county, person, shop)
        for i, ring in enumerate(found)
        for person in ring.actors
        if ring.kind_of[person] == "P"
        for shop in ring.actors
        if ring.kind_of[shop] == "S"
    ]
    cols = ["record", "node", "kind", "name"]
    if not pairs:
        return pd.DataFrame(columns=cols), pd.DataFrame(columns=["record", "ring"])
    key = pd.DataFrame(pairs, columns=["ring", SCOPE, "person", "shop"])
    # in an each-county run a ring's (person, shop) pairs are sought in its own county only
    on = ["person", "shop", SCOPE] if by_county(f.claims) else ["person", "shop"]
    # the (person, shop) pairs as a small table joined in the engine (not two long IN lists)
    wanted = ibis.memtable(key[on].drop_duplicates(), schema=dict.fromkeys(on, "string"))
    c = f.claims.join(
        wanted,
        [
            (f.claims.reporter_pid == wanted.person) & (f.claims.shop_key == wanted.shop),
            *same_county(f.claims, wanted),
        ],
    )
    claims = c.select(
        *by_county(c),
        record=claim_ref(c.claim_id), person=c.reporter_pid, shop=c.shop_key, region=c.region,
        amount=c.claimed_amount.cast("float64"), name=c.claim_id, kind=ibis.literal("C"),
        reporter=c.reporter_name, shop_name=c.repair_shop,
    )  # fmt: skip
    p = f.plaintiffs
    ps = p.select("doc_id", *by_county(p), person="party_key", reporter="name").join(
        f.shops.select("doc_id", shop="shop_key", shop_name="shop"), "doc_id"
    )
    ps = ps.join(
        wanted, [(ps.person == wanted.person) & (ps.shop == wanted.shop), *same_county(ps, wanted)]
    )
    d = f.documents
    ps = ps.join(d, [ps.doc_id == d.doc_id, *same_county(ps, d)])
    docs = ps.select(
        *by_county(ps),
        record=judgment_ref(ps.doc_id), person=ps.person, shop=ps.shop, region=ps.region,
        amount=ps.claimed_amount.coalesce(ps.awarded_amount), name=ps.case_no, kind=ibis.literal("J"),
        reporter=ps.reporter, shop_name=ps.shop_name,
    )  # fmt: skip
    both = claims.union(docs).execute()
    both = both.merge(key[["ring", *on]], on=on)
    scope = {SCOPE: both[SCOPE]} if SCOPE in on else {}
    edges = pd.concat(
        [
            pd.DataFrame(
                {"record": both.record, "node": both.person, "kind": "P", "name": both.reporter}
                | scope
            ),
            pd.DataFrame(
                {"record": both.record, "node": both.shop, "kind": "S", "name": both.shop_name}
                | scope
            ),
        ],
        ignore_index=True,
    )
    recs = both[["record", "kind", "name", "region", "amount", "ring", *scope]]
    return edges, recs.drop_duplicates("record")


_RING_COLUMNS = [
    "subject_id", "region", "subject_name", "evidence", "amount", "score", "records", "actors",
    "rules", "n_members", "n_people", "n_shops", "n_assessors", "n_agents", "n_judgments",
    "n_claims", "rules_text", "members_text",
]  # fmt: skip


class _Lookup:
    """Per-node and per-record facts of the graph as dictionaries, built once for all rings."""

    def __init__(self, records: pd.DataFrame, edges: pd.DataFrame) -> None:
        self.kind = dict(zip(records.record.tolist(), records.kind.tolist(), strict=True))
        self.region = dict(zip(records.record.tolist(), records.region.tolist(), strict=True))
        self.amount = dict(zip(records.record.tolist(), records.amount.tolist(), strict=True))
        self.degree = edges.groupby("node").record.nunique().to_dict()
        self.names = _node_names(edges)


def _node_names(edges: pd.DataFrame) -> dict[str, Any]:
    """Each actor's name: the one most of its records give, ties to the smallest.

    A shop written several ways (骏昌汽车维修有限公司, 云和骏昌汽车维修有限公司) is
    always shown the same way, whatever order the engine returned the edges in.
    """
    named = edges[edges.name.notna()]
    counts = named.groupby(["node", "name"]).size().reset_index(name="n")
    counts = counts.sort_values(["node", "n", "name"], ascending=[True, False, True])
    top = counts.drop_duplicates("node")
    return dict(zip(top.node.tolist(), top.name.tolist(), strict=True))


def _mode(values: list[Any]) -> Any:
    """The most frequent non-missing value, ties to the smallest (pandas ``mode().iloc[0]``)."""
    counts: dict[Any, int] = {}
    for v in values:
        if v is not None and not (isinstance(v, float) and math.isnan(v)):
            counts[v] = counts.get(v, 0) + 1
    if not counts:
        return None
    top = max(counts.values())
    return min(v for v, n in counts.items() if n == top)


def _ring_row(
    recs: list[str],
    actors: list[str],
    rules: list[str],
    look: _Lookup,
    kind_of: dict[str, str],
) -> dict[str, Any]:
    shops = [a for a in actors if kind_of[a] == "S"]
    if shops:
        key = max(shops, key=lambda s: (int(look.degree.get(s, 0)), s))
    else:
        key = "H" + hashlib.sha256("|".join(actors).encode()).hexdigest()[:12]
    count = {k: sum(1 for a in actors if kind_of[a] == k) for k in "PSAL"}
    people = [str(look.names.get(a)) for a in actors if kind_of[a] == "P"]
    kinds = [look.kind[r] for r in recs]
    n_j = sum(1 for k in kinds if k == "J")
    n_c = sum(1 for k in kinds if k == "C")
    amounts = pd.Series([look.amount[r] for r in recs], dtype="float64")
    amount = float(amounts.fillna(0).sum())
    strength = (
        0.45 + 0.15 * (len(rules) - 1) + 0.02 * min(len(recs), 10) + 0.03 * min(count["P"], 5)
    )
    shop_name = str(look.names.get(shops[0])) if shops else ""
    return {
        "subject_id": f"ring:{key}",
        "region": str(_mode([look.region[r] for r in recs])),
        "subject_name": shop_name or people[0],
        "evidence": recs,
        "amount": amount,
        "score": float(min(0.99, strength)),
        "records": recs,
        "actors": actors,
        "rules": rules,
        "n_members": len(actors),
        "n_people": count["P"],
        "n_shops": count["S"],
        "n_assessors": count["A"],
        "n_agents": count["L"],
        "n_judgments": n_j,
        "n_claims": n_c,
        "rules_text": "、".join(rules),
        "members_text": "、".join(people[:8]) + ("等" if len(people) > 8 else ""),
    }


_SCHEMA = pa.schema(
    [
        ("subject_id", pa.string()), ("region", pa.string()), ("subject_name", pa.string()),
        ("evidence", pa.list_(pa.string())), ("amount", pa.float64()), ("score", pa.float64()),
        ("n_members", pa.int64()), ("n_people", pa.int64()), ("n_shops", pa.int64()),
        ("n_assessors", pa.int64()), ("n_agents", pa.int64()), ("n_judgments", pa.int64()),
        ("n_claims", pa.int64()), ("rules_text", pa.string()), ("members_text", pa.string()),
    ]
)  # fmt: skip


@rule(
    "INS-RING",
    model=MODEL,
    zh="原告、报案人、代理人、修理厂、评估机构相互关联成团伙，且共同触发两条以上规则",
    basis=(
        "《刑法》第一百九十八条（保险诈骗罪）、第三百零七条之一（虚假诉讼罪）；"
        "两高《关于办理虚假诉讼刑事案件适用法律若干问题的解释》（2018）"
    ),
    subject_type="ring",
    summary=(
        "疑似团伙（以{subject_name}为中心）：{n_people}名原告/报案人、{n_shops}家修理厂、"
        "{n_assessors}家评估机构、{n_agents}名代理人相互关联，涉及{n_judgments}份车险裁判文书和"
        "{n_claims}起赔案，同时触发{rules_text}，主张金额合计{amount:,.2f}元；成员：{members_text}。"
    ),
    needs=("judgments.text", "insurance_claims.reporter_name"),
    score=0.8,
)
def ring(graph: RingGraph) -> ir.Table:
    """One clue per ring of :func:`ring_graph`, strongest first."""
    frame = graph.rings[_SCHEMA.names] if len(graph.rings) else pd.DataFrame(columns=_SCHEMA.names)
    table = pa.Table.from_pandas(frame, schema=_SCHEMA, preserve_index=False)
    return ibis.memtable(table)


def draw(graph: RingGraph, subject_id: str, *, ax: Any = None) -> tuple[Any, pd.DataFrame]:
    """A network picture of one ring (ASCII labels) and its legend table (Chinese names)."""
    import matplotlib.pyplot as plt
    import networkx as nx

    from huiyan import privacy

    legend = graph.members(subject_id)
    label = dict(zip(legend["编号 id"], legend["标签 label"], strict=True))
    g: Any = nx.Graph()
    g.add_nodes_from(label.values())
    sub = graph.edges[graph.edges.record.isin(label) & graph.edges.node.isin(label)]
    g.add_edges_from((label[r], label[n]) for r, n in zip(sub.record, sub.node, strict=True))
    colours = {"P": "#e07b39", "S": "#3a7dc9", "A": "#5aa85a", "L": "#9b59b6", "J": "#bbbbbb",
               "C": "#dddd77"}  # fmt: skip
    if ax is None:
        _fig, ax = plt.subplots(figsize=(7, 5))
    pos = nx.spring_layout(g, seed=7)
    nx.draw_networkx(
        g, pos, ax=ax, node_color=[colours[n[0]] for n in g.nodes], node_size=420, font_size=8,
    )  # fmt: skip
    # the picture goes into report.html as it is: its words are masked like the report's
    ax.set_title(privacy.mask(subject_id) if subject_id.isascii() else "ring")
    ax.axis("off")
    return ax.figure, legend
