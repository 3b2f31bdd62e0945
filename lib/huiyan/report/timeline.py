"""When each clue happened: the date of its earliest suspect record, and clue counts by month.

A clue carries no date of its own (``created_at`` is when the run made it). What a
reviewer wants to see is when a pattern started, so a clue's date is the earliest
*event date* among its evidence records: the judgment date of a judgment, the
decision date of a penalty, the start of an auction. Which column is a dataset's event
date is vocabulary, kept here as data; a dataset not listed uses its first date column.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import pandas as pd

from huiyan import contracts

log = logging.getLogger(__name__)

EVENT_DATE: Mapping[str, str] = {
    "judgments": "judgment_date",
    "insurance_claims": "report_date",
    "admin_penalties": "decision_date",
    "criminal_cases": "filed_date",
    "judicial_auctions": "start_date",
    "bankruptcy_claims": "filed_date",
    "forest_subsidies": "paid_date",
    "social_security": "start_month",
    "deaths": "death_date",
    "village_officials": "term_start",
    "enterprises": "established_date",
}
"""Dataset -> the column that says when its record happened."""

_DATE_TYPES = ("date", "month", "datetime", "timestamp")


def event_column(dataset: str) -> str | None:
    """The event-date column of a contract dataset (None when it has no date)."""
    if dataset in EVENT_DATE:
        return EVENT_DATE[dataset]
    try:
        ds = contracts.dataset(dataset)
    except Exception:  # not a contract dataset
        return None
    return next((c.name for c in ds.columns if c.type in _DATE_TYPES), None)


def clue_dates(clues: pd.DataFrame, ws: Any) -> pd.Series:
    """Each clue's date: the earliest event date among its evidence records (NaT if unknown).

    Args:
        clues: the clue frame (contract schema).
        ws: the workspace whose datasets the evidence refers to.

    Returns:
        A datetime Series aligned with ``clues`` (whose index must be unique).
    """
    out = pd.Series(pd.NaT, index=clues.index, dtype="datetime64[us]")
    if clues.empty:
        return out
    refs = clues["evidence"].explode().dropna()
    if refs.empty:
        return out
    if hasattr(ws, "earliest"):  # the report's reader: all in SQL (huiyan.report.records)
        earliest = ws.earliest(refs, event_column)
        return earliest.reindex(clues.index).astype("datetime64[us]")
    import ibis  # a workspace's tables: ibis expressions (the report's reader needs none)

    refs = refs.astype(str)
    parts = refs.str.split(":", n=1)
    datasets, keys = parts.str[0], parts.str[1]
    queries = []
    for name in sorted(set(datasets)):
        column = event_column(name)
        if column is None or not ws.has_table(name):
            continue
        key = contracts.dataset(name).key
        t = ws.table(name)
        if len(key) == 1:  # join on the key itself: no text is built over the whole table
            row_key = t[key[0]].cast("string")
        else:
            from huiyan.rules import ref

            row_key = ref(name, *(t[k] for k in key)).re_replace(f"^{name}:", "")
        wanted = ibis.memtable({"_key": keys[datasets == name].drop_duplicates().tolist()})
        rows = t.select(_key=row_key, _date=t[column].cast("date"))
        queries.append(
            rows.join(wanted, "_key").select(
                _ref=ibis.literal(f"{name}:") + rows._key, _date=rows._date
            )
        )
    if not queries:
        return out
    union = queries[0]
    for q in queries[1:]:
        union = union.union(q, distinct=False)
    dated = union.execute()  # one query for every dataset
    when = dict(zip(dated["_ref"], pd.to_datetime(dated["_date"]), strict=True))
    earliest = refs.map(when).dropna().groupby(level=0).min()
    return earliest.reindex(clues.index).astype("datetime64[us]")


def by_month(dates: pd.Series) -> dict[str, int]:
    """Clue counts per month ``YYYY-MM``, every month from the first to the last (zeros kept).

    >>> by_month(pd.Series(pd.to_datetime(["2021-01-05", "2021-03-09", "2021-03-30", None])))
    {'2021-01': 1, '2021-02': 0, '2021-03': 2}
    """
    known = pd.to_datetime(dates).dropna()
    if known.empty:
        return {}
    months = known.dt.to_period("M")
    counts = months.value_counts()
    span = pd.period_range(months.min(), months.max(), freq="M")
    return {str(p): int(counts.get(p, 0)) for p in span}


def safely(clues: pd.DataFrame, ws: Any) -> pd.Series | None:
    """:func:`clue_dates`, or None (logged) when the workspace cannot say."""
    if ws is None:
        return None
    try:
        return clue_dates(clues, ws)
    except Exception as err:  # the report goes on without the timeline
        log.warning("clue dates unavailable: %s", err)
        return None
