"""Precision and recall of every model against the planted truth of a synthetic workspace.

The models' quality bar (issues 7 and 8): recall >= 0.95 and precision >= 0.90 for every
rule at county and province scale. This script scores each model's clues on a synthetic
workspace (default: the province workspace that bench_models.py builds) and prints one
table per model, then ``BENCH {json}``.

    .venv/bin/python benchmarks/bench_quality.py [--home benchmarks/work/province]
"""

from __future__ import annotations

import argparse
import importlib
import json
import time
from pathlib import Path

import huiyan as hy

MODELS = (
    "judicial_auction",
    "admin_criminal_transfer",
    "bankruptcy_labor_claims",
    "forest_subsidy",
    "insurance_fraud",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path("benchmarks/work/province"))
    parser.add_argument("--models", default=",".join(MODELS))
    args = parser.parse_args()
    results: dict[str, object] = {"home": str(args.home)}
    for name in args.models.split(","):
        module = importlib.import_module(f"huiyan.models.{name}")
        if hasattr(module, "prepare"):
            with hy.workspace(args.home) as writable:
                module.prepare(writable)
        ws = hy.workspace(args.home)
        started = time.perf_counter()
        found = hy.clues.collect(*module.run_rules(ws), model=module.MODEL)
        seconds = time.perf_counter() - started
        evaluation = hy.evaluation.score(found, ws)
        ws.close()
        if evaluation is None:
            print(f"{name}: no truth table in {args.home}")
            continue
        print(f"== {name}: {len(found):,} clues in {seconds:.1f} s")
        print(evaluation.table().to_string(index=False))
        results[name] = {
            "clues": len(found),
            "seconds": round(seconds, 1),
            "meets_bar": evaluation.meets(precision=0.90, recall=0.95),
            "rules": len(evaluation.scores),
            "lowest_precision": round(min(s.precision for s in evaluation.scores), 4),
            "lowest_recall": round(min(s.recall for s in evaluation.scores), 4),
        }
    print("BENCH " + json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
