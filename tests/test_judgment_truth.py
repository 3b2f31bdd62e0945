"""The judgment reader's derived tables on a tiny synthetic workspace agree with the generator.

``huiyan synth`` writes, next to every judgment text, what the text says
(``synth_judgment_facts``, one row per doc_id) and parses the texts into the
``jd_*`` tables. Here every fact of every document is compared with the derived
tables, read the way models read them (``huiyan.judgments.parsed(ws)``, ibis):
agreement must be exact. A disagreement that truly cannot be resolved goes in
KNOWN_MISSES with its reason; there are none.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import huiyan as hy
import pytest
from conftest import write_sql
from huiyan import synth
from huiyan.judgments import parsed
from huiyan.synth.judgment_text import FACTS_SCHEMA, FACTS_TABLE

DOCUMENT_FIELDS = (
    "case_no", "court", "cause", "doc_type", "judgment_date",
    "claimed_amount", "awarded_amount", "assigned", "insurer_assessed",
)  # fmt: skip
"""Facts compared with the column of the same name in jd_documents."""
ORDERED_FIELDS = ("plaintiffs", "defendants", "plaintiff_agents", "defendant_agents", "legal_reps")
"""List facts compared in order (parties and agents in the order the text names them)."""
SET_FIELDS = ("law_firms", "org_parties", "insurers", "plates", "repair_shops", "assessors")
"""List facts compared as sets of names."""
DESCRIPTIVE = ("doc_id", "masked", "single_line", "scenario", "phrasing")
"""Facts columns about the document's form, not what it says: nothing to compare."""

KNOWN_MISSES: dict[tuple[str, str], str] = {}
"""(doc_id, field) -> why the reader cannot agree. Empty: every fact is read as written."""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory):
    ws = hy.workspace(tmp_path_factory.mktemp("truth"))
    synth.generate(ws, scale="tiny", seed=7)
    yield ws
    ws.close()


def _rows(table: Any) -> list[dict[str, Any]]:
    return table.to_pyarrow().to_pylist()


def derived_facts(ws: hy.Workspace) -> dict[str, dict[str, Any]]:
    """The facts of every parsed document as the jd_* tables state them, in the facts' shape."""
    t = parsed(ws)
    out: dict[str, dict[str, Any]] = {}
    for row in _rows(t.documents):
        doc = {k: row[k] for k in DOCUMENT_FIELDS}
        doc.update({k: [] for k in (*ORDERED_FIELDS, *SET_FIELDS)})
        out[row["doc_id"]] = doc
    role_of: dict[tuple[str, int], str] = {}
    for p in sorted(_rows(t.parties), key=lambda p: (p["doc_id"], p["seq"])):
        role_of[p["doc_id"], p["seq"]] = p["role"]
        doc = out[p["doc_id"]]
        if p["role"] == "plaintiff":
            doc["plaintiffs"].append(p["name"])
        elif p["role"] == "defendant":
            doc["defendants"].append(p["name"])
        if p["kind"] == "org":
            doc["org_parties"].append(p["name"])
        if p["legal_rep"] is not None:
            doc["legal_reps"].append(p["legal_rep"])
        if p["is_insurer"]:
            doc["insurers"].append(p["name"])
    agents = t.agents.order_by(["doc_id", "party_seq"])
    for a in _rows(agents):
        role = role_of[a["doc_id"], a["party_seq"]]
        if role == "plaintiff":
            out[a["doc_id"]]["plaintiff_agents"].append(a["name"])
            if a["law_firm"] is not None:
                out[a["doc_id"]]["law_firms"].append(a["law_firm"])
        elif role == "defendant":
            out[a["doc_id"]]["defendant_agents"].append(a["name"])
    for table, column, field in (
        (t.plates, "plate", "plates"),
        (t.shops, "shop", "repair_shops"),
        (t.assessors, "assessor", "assessors"),
    ):
        for r in _rows(table):
            out[r["doc_id"]][field].append(r[column])
    return out


def _same(field: str, want: Any, got: Any) -> bool:
    if field in SET_FIELDS:
        return set(want or ()) == set(got)
    if field in ORDERED_FIELDS:
        return list(want or ()) == got
    if isinstance(want, float) and isinstance(got, float):
        return math.isclose(want, got, abs_tol=0.005)
    return bool(want == got)


def disagreements(ws: hy.Workspace) -> dict[str, list[tuple[str, Any, Any]]]:
    """field -> [(doc_id, generator's value, derived value)] for every fact that differs."""
    facts = ws.con.table(FACTS_TABLE).to_pyarrow().to_pylist()
    derived = derived_facts(ws)
    missing = {f["doc_id"] for f in facts} ^ set(derived)
    assert not missing, f"documents not in both tables: {sorted(missing)[:5]}"
    out: dict[str, list[tuple[str, Any, Any]]] = defaultdict(list)
    for fact in facts:
        got = derived[fact["doc_id"]]
        for field in (*DOCUMENT_FIELDS, *ORDERED_FIELDS, *SET_FIELDS):
            if (fact["doc_id"], field) in KNOWN_MISSES:
                continue
            if not _same(field, fact[field], got[field]):
                out[field].append((fact["doc_id"], fact[field], got[field]))
    return dict(out)


def test_every_fact_column_is_compared() -> None:
    compared = {*DOCUMENT_FIELDS, *ORDERED_FIELDS, *SET_FIELDS, *DESCRIPTIVE}
    assert set(FACTS_SCHEMA.names) == compared


def test_derived_tables_state_every_fact_the_generator_wrote(tiny: hy.Workspace) -> None:
    n = tiny.con.table(FACTS_TABLE).count().execute()
    assert n == tiny.table("judgments").count().execute() and n > 100
    found = disagreements(tiny)
    report = {field: (len(rows), rows[:3]) for field, rows in found.items()}
    assert not found, f"{sum(len(r) for r in found.values())} facts differ: {report}"


def test_the_comparison_sees_a_wrong_fact(tiny: hy.Workspace) -> None:
    """Guard against a comparison that agrees with anything: change one fact, one field differs."""
    doc_id = tiny.con.table(FACTS_TABLE).doc_id.min().execute()
    write_sql(
        tiny.home,
        (
            f"UPDATE {FACTS_TABLE} SET plates = list_append(plates, '浙Z99999'), "
            "claimed_amount = claimed_amount + 1 WHERE doc_id = ?",
            [doc_id],
        ),
    )
    tiny.refresh()
    try:
        found = disagreements(tiny)
    finally:  # put the fact back for the other tests of this module
        write_sql(
            tiny.home,
            (
                f"UPDATE {FACTS_TABLE} SET plates = list_filter(plates, p -> p <> '浙Z99999'), "
                "claimed_amount = claimed_amount - 1 WHERE doc_id = ?",
                [doc_id],
            ),
        )
        tiny.refresh()
    assert {f: [r[0] for r in rows] for f, rows in found.items()} == {
        "plates": [doc_id],
        "claimed_amount": [doc_id],
    }
