"""SQL remembered per expression (huiyan.compiled): what a warm kernel's next run relies on."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest
from huiyan import compiled, rules


def _connection(amounts: list[float]) -> ibis.BaseBackend:
    con = ibis.duckdb.connect()
    con.create_table(
        "claims",
        pd.DataFrame(
            {
                "claim_id": [f"c{i}" for i in range(len(amounts))],
                "debtor": ["D1", "D1", "D2", "D2"][: len(amounts)],
                "amount": amounts,
            }
        ),
    )
    compiled.remember_sql(con)
    return con


def _rule(con: ibis.BaseBackend, *, limit: float) -> ibis.Table:
    """A rule with a self-join through ``view()``: claims of a debtor with a bigger one."""
    claims = con.table("claims")
    other = claims.view()
    j = claims.join(other, (claims.debtor == other.debtor) & (other.amount > claims.amount))
    return j.filter(j.amount > limit).select("claim_id").distinct().order_by("claim_id")


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every compile that reaches ibis's compiler (a new DuckDB connection each time)."""
    compiled.forget()
    calls: list[str] = []
    from ibis.backends.sql import SQLBackend

    real = SQLBackend.compile

    def compile(self, expr, /, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(type(expr.op()).__name__)
        return real(self, expr, **kwargs)

    monkeypatch.setattr(SQLBackend, "compile", compile)
    return calls


def test_the_same_expression_on_a_new_connection_is_not_compiled_again(counted: list[str]) -> None:
    first, second = _connection([1.0, 5.0, 2.0, 9.0]), _connection([7.0, 3.0, 1.0, 4.0])
    a = _rule(first, limit=0.5)
    assert a.execute().claim_id.tolist() == ["c0", "c2"]
    assert len(counted) == 1
    # the same rule, built again over other data: the same SQL, that data's answer
    b = _rule(second, limit=0.5)
    assert compiled.key(a) == compiled.key(b)
    assert b.execute().claim_id.tolist() == ["c1", "c2"]
    assert len(counted) == 1
    assert first.compile(a) == second.compile(b)


def test_a_different_threshold_or_table_is_another_key(counted: list[str]) -> None:
    con = _connection([1.0, 5.0, 2.0, 9.0])
    keys = {
        compiled.key(_rule(con, limit=0.5)),
        compiled.key(_rule(con, limit=1.5)),
        compiled.key(con.table("claims").select("claim_id")),
        compiled.key(con.table("claims").select("debtor")),
    }
    assert len(keys) == 4
    assert _rule(con, limit=1.5).execute().claim_id.tolist() == ["c2"]
    assert _rule(con, limit=0.5).execute().claim_id.tolist() == ["c0", "c2"]


def test_two_views_in_one_expression_stay_two(counted: list[str]) -> None:
    con = _connection([1.0, 5.0, 2.0, 9.0])
    claims = con.table("claims")
    a, b = claims.view(), claims.view()
    j = a.join(b, a.debtor == b.debtor).select(x=a.claim_id, y=b.claim_id)
    # four pairs per debtor of two claims: the two views are joined, not merged into one
    assert j.count().execute() == 8
    again = claims.view()
    same_shape = a.join(again, a.debtor == again.debtor).select(x=a.claim_id, y=again.claim_id)
    assert compiled.key(j) == compiled.key(same_shape)


def test_an_in_memory_table_is_compiled_each_time(counted: list[str]) -> None:
    con = _connection([1.0])
    t = ibis.memtable({"a": [1, 2]})
    assert compiled.key(t) is None
    assert con.execute(t.filter(t.a > 1)).a.tolist() == [2]
    assert con.execute(t.filter(t.a > 1)).a.tolist() == [2]
    assert len(counted) == 2


def test_a_kept_table_has_the_same_name_in_the_next_run(counted: list[str]) -> None:
    first, second = _connection([1.0, 5.0, 2.0, 9.0]), _connection([7.0, 3.0, 1.0, 4.0])
    kept_first = rules.keep(_rule(first, limit=0.5))
    kept_second = rules.keep(_rule(second, limit=0.5))
    assert kept_first.get_name() == kept_second.get_name()
    assert kept_first.execute().claim_id.tolist() == ["c0", "c2"]
    assert kept_second.execute().claim_id.tolist() == ["c1", "c2"]
    # kept twice in one connection: computed again, the same rows
    assert rules.keep(_rule(first, limit=0.5)).execute().claim_id.tolist() == ["c0", "c2"]


def test_a_kept_table_keeps_the_types_ibis_gives(counted: list[str]) -> None:
    # DuckDB alone would store 0.85 as DECIMAL(3, 2), and a summary would then print a
    # tolerance of 1.0 as "1.0" instead of "1"
    con = _connection([1.0, 5.0])
    claims = con.table("claims")
    kept = rules.keep(
        claims.select("claim_id", score=ibis.literal(0.85), tolerance=ibis.literal(1.0))
    )
    assert kept.schema()["score"].is_float64()
    assert f"{kept.execute().tolerance[0]:g}" == "1"


def test_a_kept_table_does_not_keep_its_connection_alive(counted: list[str]) -> None:
    # a warm kernel serves run after run: what a run kept must go with its connection
    import gc
    import weakref

    con = _connection([1.0, 5.0])
    kept = rules.keep(_rule(con, limit=0.5))
    assert rules.kept_from(kept.get_name()) is not None  # lineage still traces it
    gone = weakref.ref(con)
    del con, kept
    gc.collect()
    assert gone() is None
