"""Benchmark insurance_fraud: parse time, rule time (judgments already parsed) and peak memory.

Usage::

    .venv/bin/python benchmarks/bench_insurance_fraud.py --scale county
    .venv/bin/python benchmarks/bench_insurance_fraud.py --scale province     # the contract volumes
    .venv/bin/python benchmarks/bench_insurance_fraud.py --home /path/to/workspace

With ``--scale`` a synthetic workspace is generated in a temporary folder
first (not timed). Then: the judgment parse from scratch (``prepare``, the
``jd_*`` tables dropped first), every rule with the judgments already parsed
(``run_rules`` + ``collect``), and the whole run once more including the parse
is the sum. Peak memory is the resident set of this process and, separately,
of the parse workers. When the workspace has a truth table the evaluation is
printed too.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path


def _peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("tiny", "county", "province"), default=None)
    parser.add_argument("--home", type=Path, default=None, help="an existing workspace")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    import huiyan
    import huiyan.clues as hc
    import huiyan.evaluation as ev
    from huiyan.judgments.store import TABLES
    from huiyan.models import insurance_fraud as m

    tmp = None
    if args.home is None:
        from huiyan import synth

        tmp = tempfile.TemporaryDirectory(prefix="bench-ins-")
        home = Path(tmp.name)
        t0 = time.perf_counter()
        synth.generate(huiyan.workspace(home), scale=args.scale or "county", seed=args.seed)
        print(f"synth {args.scale or 'county'}: {time.perf_counter() - t0:.1f} s (not counted)")
    else:
        home = args.home
    ws = huiyan.workspace(home)
    for name in TABLES:
        ws.con.con.execute(f"DROP TABLE IF EXISTS {name}")
    rows = ws.con.con.execute("SELECT count(*) FROM judgments").fetchone()[0]

    t0 = time.perf_counter()
    report = m.prepare(ws)
    parse_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    found = hc.collect(*m.run_rules(ws), model=m.MODEL, version="bench")
    rules_s = time.perf_counter() - t0

    print(f"judgments: {rows:,}; {report}")
    print(f"parse (prepare):              {parse_s:8.1f} s")
    print(f"rules (judgments parsed):     {rules_s:8.1f} s  -> {len(found):,} clues")
    print(f"total including parse:        {parse_s + rules_s:8.1f} s")
    print(f"peak memory, this process:    {_peak_mib(resource.RUSAGE_SELF):8.0f} MiB")
    print(f"peak memory, parse workers:   {_peak_mib(resource.RUSAGE_CHILDREN):8.0f} MiB")
    print(found.by_rule().to_string(index=False))
    evaluation = ev.score(found, ws)
    if evaluation is not None:
        print(evaluation.table().to_string(index=False))
    ws.close()
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
