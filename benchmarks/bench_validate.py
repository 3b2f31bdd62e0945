"""Benchmark: validate a 1,000,000-row admin_penalties table (the largest province dataset).

Run: .venv/bin/python benchmarks/bench_validate.py [ROWS]
Reports validation time, rows per second and peak memory (RSS) of the process.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time

import huiyan
from huiyan import identifiers, quality
from huiyan.ingest import create_table_sql

FILL = """
INSERT INTO admin_penalties
SELECT
    'XZCF-' || lpad(i::VARCHAR, 9, '0')                              AS case_id,
    '某市市场监督管理局'                                               AS agency,
    CASE i % 3 WHEN 0 THEN '市场监管' WHEN 1 THEN '自然资源' ELSE '生态环境' END AS domain,
    CASE i % 2 WHEN 0 THEN '330602' ELSE '331124' END                  AS region,
    CASE i % 5 WHEN 0 THEN '法人' ELSE '自然人' END                    AS party_type,
    '当事人' || i                                                      AS party_name,
    '{rid}'                                                            AS party_id,
    '非法采砂'                                                         AS violation,
    '当事人于某日在禁采区非法采砂约' || (i % 5000) || '吨，价值约' || (i % 97) ||
        '万元，违反了《矿产资源法》的有关规定，事实清楚，证据确凿。' AS facts,
    (i % 5000)::DOUBLE                                                 AS quantity,
    '吨'                                                               AS quantity_unit,
    round((i % 97) * 10000.0, 2)                                       AS goods_value,
    round((i % 13) * 1000.0, 2)                                        AS illegal_gain,
    round((i % 50) * 200.0, 2)                                         AS fine,
    DATE '2015-01-01' + (i % 3000)::INTEGER                            AS decision_date,
    i % 7 = 0                                                          AS transferred
FROM range({rows}) t(i)
"""


def main(rows: int = 1_000_000) -> None:
    with tempfile.TemporaryDirectory() as home:
        ws = huiyan.workspace(home)
        body = "33060219800101123"
        con = ws.con.con
        con.execute(create_table_sql("admin_penalties"))
        t0 = time.perf_counter()
        con.execute(FILL.format(rows=rows, rid=body + identifiers.resident_id_check_digit(body)))
        made = time.perf_counter() - t0
        t0 = time.perf_counter()
        report = quality.validate(ws, ["admin_penalties"], use_cache=False)
        took = time.perf_counter() - t0
        t0 = time.perf_counter()
        cached = quality.validate(ws, ["admin_penalties"])
        again = time.perf_counter() - t0
        ws.close()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(report.format())
    print(f"rows: {rows:,} (generated in {made:.1f} s)")
    print(f"validation: {took:.1f} s  ({rows / took:,.0f} rows/s, GX import included)")
    print(f"cached revalidation: {again:.2f} s (cached={cached['admin_penalties'].cached})")
    print(f"peak RSS: {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
