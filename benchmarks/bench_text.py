"""Reading free text: per-rule precision and recall on each phrasing family, and on real documents.

For each phrasing family (house, realdoc, heldout; see huiyan.synth.phrasing) a synthetic
workspace is made at the given scale (kept under benchmarks/work/ and reused unless --fresh),
the two text models run (admin_criminal_transfer, insurance_fraud), and every rule is scored
against the planted truth. Also per family: the hard negatives the contract names (a
penalty whose breath test is 80 or more but whose blood test is below; storage, labelling or
record-keeping of hazardous waste), the blind-spot counts, and the judgment reader's fields
against what the generator wrote. Then the real documents: the golden set of
tests/golden (under the clarified contract) and the collected real set in tests/data/realset.

    .venv/bin/python benchmarks/bench_text.py [--scale county] [--families house,realdoc,heldout]

Prints tables and a ``BENCH {json}`` line (its "markdown" goes into RESULTS.md).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import huiyan as hy
from _common import WORK
from huiyan import synth
from huiyan.judgments import FIELDS, parse
from huiyan.models import admin_criminal_transfer as act
from huiyan.models import insurance_fraud as ins
from huiyan.reading import load as load_vocabulary
from huiyan.reading import penalties as rp
from huiyan.synth import penalties as synth_penalties

ROOT = Path(__file__).resolve().parents[1]
TEXT_RULES = {
    "admin_criminal_transfer": [*act.TEXT_RULES, "ACT-MINING-REPEAT"],
    "insurance_fraud": [*ins.TEXT_RULES, "INS-FREQUENT-REPORTER", "INS-RING"],
}
"""The rules scored (the text rules, and the rules resting on them)."""
BAR = 0.95


def workspace(family: str, scale: str, seed: int, *, fresh: bool) -> Path | None:
    """The synthetic workspace of ``family`` (made when missing); None when the family does not exist."""
    if importlib.util.find_spec(synth.phrasing.FAMILIES[family]) is None:
        return None
    home = WORK / f"text-{scale}-{family}-{seed}"
    marker = home / ".synth-done"
    if fresh or not marker.exists():
        home.mkdir(parents=True, exist_ok=True)
        with hy.workspace(home) as ws:
            synth.generate(ws, scale=scale, seed=seed, phrasing=family)
        marker.write_text("ok")
    return home


def score_family(home: Path, *, reparse: bool = False) -> dict[str, Any]:
    """Per-rule scores, hard negatives, blind spots and judgment fields of one workspace."""
    out: dict[str, Any] = {"rules": {}, "unread": {}}
    if reparse:
        with hy.workspace(home, write=True) as writable, writable.writing("bench_text") as w:
            w.con.execute("DROP TABLE IF EXISTS jd_documents")
    with hy.workspace(home) as ws:
        ins.prepare(ws)
    ws = hy.workspace(home)
    for model, rules in TEXT_RULES.items():
        module = act if model == act.MODEL else ins
        started = time.perf_counter()
        found = hy.clues.collect(*module.run_rules(ws), model=module.MODEL)
        seconds = time.perf_counter() - started
        ev = hy.evaluation.score(found, ws, model=module.MODEL)
        assert ev is not None
        for s in ev.scores:
            if s.rule in rules:
                out["rules"][s.rule] = {
                    "planted": s.planted, "flagged": s.flagged, "tp": s.true_positives,
                    "precision": round(s.precision, 4), "recall": round(s.recall, 4),
                }  # fmt: skip
        out[f"{model}_seconds"] = round(seconds, 1)
        unread = act.unread(ws.table("admin_penalties")) if module is act else ins.unread(ws)
        out["unread"].update(unread)
        if module is act:
            out["hard_negatives"] = _hard_negatives(ws, found)
        snippets = found.frame[found.frame.rule.isin(list(act.TEXT_RULES) + list(ins.TEXT_RULES))]
        with_snippet = snippets.summary.map(lambda s: hy.clues.split_summary(s)[1] is not None)
        out.setdefault("snippets", {})[model] = {
            "clues": len(snippets),
            "with_snippet": int(with_snippet.sum()),
        }
    out["judgment_fields"] = _judgment_fields(ws)
    ws.close()
    return out


def _hard_negatives(ws: Any, found: Any) -> dict[str, int]:
    """Flagged penalties among the contract's hard negatives (both must be 0)."""
    known = ws.table(synth_penalties.FACTS_TABLE).execute()
    facts = known.facts.map(json.loads)
    drink = known.kind.eq("drink")
    breath_over = facts.map(lambda f: (f.get("breath_mg") or 0) >= 80)
    blood_under = known.true_figure < 80
    breath_only = facts.map(lambda f: f.get("blood_mg") is None and not f.get("blood_in_record"))
    over_under = known.case_id[drink & breath_over & blood_under & ~breath_only]
    keeping = known.case_id[
        known.kind.eq("waste")
        & facts.map(lambda f: f.get("conduct") in ("stored", "labelling", "records"))
    ]
    flagged = found.frame.explode("evidence")
    drunk = set(flagged.evidence[flagged.rule == "ACT-DRUNK-DRIVING"])
    waste = set(flagged.evidence[flagged.rule == "ACT-POLLUTION-WASTE"])
    return {
        "breath_over_blood_under": len(over_under),
        "breath_over_blood_under_flagged": int(
            sum(f"admin_penalties:{c}" in drunk for c in over_under)
        ),
        "storage_only": len(keeping),
        "storage_only_flagged": int(sum(f"admin_penalties:{c}" in waste for c in keeping)),
    }


def _judgment_fields(ws: Any) -> dict[str, Any]:
    """The judgment reader against what the generator wrote, on the insurance judgments."""
    truth = ws.table("synth_judgment_facts").execute()
    truth = truth[truth.scenario != "other"].set_index("doc_id")
    docs = ws.table("jd_documents").execute().set_index("doc_id").reindex(truth.index)
    shops = ws.table("jd_shops").execute().groupby("doc_id").shop.apply(sorted)
    assessors = ws.table("jd_assessors").execute().groupby("doc_id").assessor.apply(sorted)
    plaintiffs = ws.table("jd_parties").execute()
    plaintiffs = plaintiffs[plaintiffs.role == "plaintiff"].groupby("doc_id").name.apply(sorted)

    def same_list(got: pd.Series, want: pd.Series) -> float:
        got = got.reindex(truth.index)
        return float(
            sum(
                sorted(want[d]) == (g if isinstance(g, list) else [])
                for d, g in zip(truth.index, got, strict=True)
            )
            / len(truth)
        )

    def same(col: str) -> float:
        a, b = docs[col], truth[col]
        return float(((a == b) | (a.isna() & b.isna())).mean())

    return {
        "documents": len(truth),
        "assigned": round(same("assigned"), 4),
        "insurer_assessed": round(same("insurer_assessed"), 4),
        "repair_shops": round(same_list(shops, truth.repair_shops.map(list)), 4),
        "assessors": round(same_list(assessors, truth.assessors.map(list)), 4),
        "plaintiffs": round(same_list(plaintiffs, truth.plaintiffs.map(list)), 4),
    }


# --- real documents -------------------------------------------------------------------------------


def golden() -> dict[str, Any]:
    """Fields right on the golden set (tests/golden, documents in tests/data/realdata)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_judgments_golden import GOLDEN, _text

    right = total = 0
    wrong: list[str] = []
    for path in GOLDEN:
        g = json.loads(path.read_text(encoding="utf-8"))
        got = parse(_text(g["source"])).to_dict()
        for field in FIELDS:
            total += 1
            if got[field] == g["expected"][field]:
                right += 1
            else:
                wrong.append(f"{path.stem}.{field}")
    return {"documents": len(GOLDEN), "fields": total, "right": right,
            "accuracy": round(right / total, 4), "wrong": wrong}  # fmt: skip


REALSET = ROOT / "tests" / "data" / "realset"
_LABEL = {
    "mining": "非法采矿",
    "drink": "醉酒驾驶",
    "shoddy": "生产、销售伪劣产品",
    "waste": "危险废物",
}
"""A neutral label per family: the passages are facts without an agency label or domain."""


def decide(family: str, e: dict[str, Any]) -> bool:
    """Whether the elements read meet the contract's default threshold (models.md)."""
    if family == "mining":
        limit = 50_000 if e.get("mining_restricted") else 100_000
        return (e.get("mining_value") or 0) >= limit
    if family == "shoddy":
        return (e.get("shoddy_sales") or 0) >= 50_000 or (e.get("shoddy_unsold") or 0) >= 150_000
    if family == "drink":
        return (e.get("drunk_alcohol") or 0) >= 80
    return bool(e.get("waste_disposal")) and (e.get("waste_tonnes") or 0) >= 3


def realset_penalties() -> dict[str, Any]:
    """The penalty reader on the real passages: the threshold decision, per family."""
    v = load_vocabulary(local=None)
    out: dict[str, Any] = {}
    for line in (REALSET / "penalties.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        fam = row["family"]
        e = rp.read_facts(row["text"], v, violation=_LABEL[fam])
        want = row["meets_threshold"]
        want = want is True or want == "breath_only"
        got = decide(fam, e) if e else False
        o = out.setdefault(fam, {"passages": 0, "right": 0, "wrong": []})
        o["passages"] += 1
        if got == want:
            o["right"] += 1
        else:
            o["wrong"].append(row["id"])
    return out


def realset_judgments() -> dict[str, Any]:
    """The judgment reader on the real partial judgments: fields right (uncertain ones apart)."""
    fields = ("plates", "repair_shops", "assessors", "assigned", "insurer_assessed", "insurers",
              "plaintiffs", "defendants", "case_no", "claimed_amount", "awarded_amount")  # fmt: skip
    right = total = 0
    wrong: list[str] = []
    insurance_right = insurance_total = 0
    for line in (REALSET / "judgments.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        got = parse((REALSET / row["file"]).read_text(encoding="utf-8")).to_dict()
        for side in ("plaintiffs", "defendants"):
            got[side] = [p["name"] for p in got[side]]
        for field in fields:
            if field in row.get("uncertain", []):
                continue
            want, have = row[field], got[field]
            if field == "case_no" and isinstance(want, str) and isinstance(have, str):
                have = have.replace("（", "(").replace("）", ")")
            ok = have == want or (isinstance(want, list) and sorted(have) == sorted(want))
            total += 1
            right += ok
            if field in ("repair_shops", "assessors", "assigned", "insurer_assessed", "plates"):
                insurance_total += 1
                insurance_right += ok
            if not ok:
                wrong.append(f"{row['id']}.{field}")
    return {"fields": total, "right": right,
            "insurance_fields": insurance_total, "insurance_right": insurance_right,
            "wrong": wrong}  # fmt: skip


# --- report -------------------------------------------------------------------------------------------


def markdown(results: dict[str, Any], scale: str) -> str:
    lines = [
        f"Per-rule precision and recall on each phrasing family at **{scale}** scale "
        "(`huiyan synth --phrasing NAME`, seed 7), the held-out family written by another engineer "
        "apart from the readers, and again on the held-out family with further seeds (other "
        f"facts, other wordings of it). Bar: precision and recall >= {BAR} for every text rule.",
        "",
    ]
    fams = [f for f in results["families"] if results["families"][f]]
    rules = [r for rs in TEXT_RULES.values() for r in rs]
    lines += [
        "| rule | " + " | ".join(f"{f} P | {f} R" for f in fams) + " |",
        "|---|" + "---:|---:|" * len(fams),
    ]
    for rule in rules:
        cells = []
        for f in fams:
            s = results["families"][f]["rules"].get(rule)
            cells += ["—", "—"] if s is None else [f"{s['precision']:.3f}", f"{s['recall']:.3f}"]
        lines.append(f"| {rule} | " + " | ".join(cells) + " |")
    lines += ["", "| family | breath >= 80, blood < 80: flagged | storage/labelling/records: flagged "
              "| judgment fields (assigned / assessed / shops / assessors / plaintiffs) |",
              "|---|---:|---:|---|"]  # fmt: skip
    for f in fams:
        r = results["families"][f]
        h, j = r["hard_negatives"], r["judgment_fields"]
        lines.append(
            f"| {f} | {h['breath_over_blood_under_flagged']} of {h['breath_over_blood_under']} "
            f"| {h['storage_only_flagged']} of {h['storage_only']} "
            f"| {j['assigned']:.3f} / {j['insurer_assessed']:.3f} / {j['repair_shops']:.3f} / "
            f"{j['assessors']:.3f} / {j['plaintiffs']:.3f} ({j['documents']:,} documents) |"
        )
    lines += ["", "Blind spots (candidates / unread) by rule:", "",
              "| rule | " + " | ".join(fams) + " |", "|---|" + "---:|" * len(fams)]  # fmt: skip
    for rule in [*act.TEXT_RULES, *ins.TEXT_RULES]:
        cells = []
        for f in fams:
            u = results["families"][f]["unread"].get(rule, {})
            cells.append(f"{u.get('unread', 0):,} / {u.get('candidates', 0):,}")
        lines.append(f"| {rule} | " + " | ".join(cells) + " |")
    missing = [f for f in results["families"] if not results["families"][f]]
    if missing:
        lines += ["", f"Not measured (family module absent): {', '.join(missing)}."]
    g = results["golden"]
    lines += ["", f"Real documents (tests/golden, clarified contract): {g['right']} of {g['fields']} "
              f"fields right ({g['accuracy']:.1%}) on {g['documents']} documents."]  # fmt: skip
    if g["wrong"]:
        lines.append("Wrong: " + ", ".join(g["wrong"]) + ".")
    rs = results["realset_penalties"]
    lines += ["", "Real penalty passages (tests/data/realset, threshold decision right):", "",
              "| family | right | passages | wrong |", "|---|---:|---:|---|"]  # fmt: skip
    for fam, o in rs.items():
        lines.append(f"| {fam} | {o['right']} | {o['passages']} | {', '.join(o['wrong']) or '—'} |")
    rj = results["realset_judgments"]
    lines += ["", f"Real partial judgments (tests/data/realset, fields not marked uncertain): "
              f"{rj['right']} of {rj['fields']} right; the insurance fields (plates, shops, assessors, "
              f"assigned, assessed) {rj['insurance_right']} of {rj['insurance_fields']}."]  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="county")
    parser.add_argument("--families", default="house,realdoc,heldout")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--heldout-seeds",
        default="13",
        help="further seeds of the held-out family, measured blind (comma-separated; '' for none)",
    )
    parser.add_argument("--fresh", action="store_true", help="make the workspaces again")
    parser.add_argument(
        "--reparse", action="store_true", help="read every judgment again (after a reader change)"
    )
    args = parser.parse_args()
    os.environ.pop("HUIYAN_HOME", None)
    results: dict[str, Any] = {"scale": args.scale, "families": {}}
    runs = [(family, args.seed, family) for family in args.families.split(",")]
    runs += [
        ("heldout", int(s), f"heldout seed {s}") for s in args.heldout_seeds.split(",") if s.strip()
    ]
    for family, seed, key in runs:
        home = workspace(family, args.scale, seed, fresh=args.fresh)
        if home is None:
            print(f"== {key}: no module {synth.phrasing.FAMILIES[family]}; not measured")
            results["families"][key] = None
            continue
        print(f"== {key}: {home}", flush=True)
        results["families"][key] = score_family(home, reparse=args.reparse)
        print(json.dumps(results["families"][key], ensure_ascii=False))
    results["golden"] = golden()
    results["realset_penalties"] = realset_penalties()
    results["realset_judgments"] = realset_judgments()
    results["markdown"] = markdown(results, args.scale)
    print(results["markdown"])
    print("BENCH " + json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
