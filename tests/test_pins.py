"""Guards against the dependency drift that broke ibis 12 (see DEVELOPERS.md, known pitfalls).

ibis 12.0.0 breaks with sqlglot >= 30.18 (nameless DROP VIEW, ibis #12124) and with
duckdb 2.x (fetch_arrow_table removed). These tests exercise exactly those paths, so
the next incompatible release fails here, not in a prosecutor's notebook.
"""

from __future__ import annotations

from importlib.metadata import version

import ibis
import pandas as pd
from packaging.version import Version


def test_installed_versions_are_inside_the_pins() -> None:
    assert Version(version("sqlglot")) < Version("30.18")
    assert Version("1.5") <= Version(version("duckdb")) < Version("2")
    assert version("ibis-framework") == "12.0.0"


def test_memtable_round_trip_creates_and_drops_views() -> None:
    con = ibis.duckdb.connect()
    t = ibis.memtable(pd.DataFrame({"plate": ["浙D12345", "浙D54321"], "n": [1, 2]}))
    out = con.execute(t.filter(t.n > 1))
    assert out.plate.tolist() == ["浙D54321"]


def test_arrow_fetch_and_table_creation_work() -> None:
    con = ibis.duckdb.connect()
    con.create_table("v", pd.DataFrame({"a": ["x", "y"]}))
    assert con.table("v").to_pyarrow().num_rows == 2
    con.drop_table("v")
    assert "v" not in con.list_tables()
