"""Values as prosecutors read them: amounts in yuan or 万元, times in Beijing time.

Every place that shows a run to a person (the report, the workbook, the manifest, the
command line) formats money and time through these functions, so they read the same
everywhere:

    >>> yuan(1142700.0)
    '1,142,700.00'
    >>> wan_yuan(1142700.0)
    '114.27 万元'
    >>> amount_text(1142700.0)
    '114.27 万元'
    >>> amount_text(8286.82)
    '8,286.82 元'
    >>> beijing("2026-11-29T02:30:00+00:00")
    '2026-11-29 10:30:00'
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
"""Beijing time (UTC+08:00, no daylight saving): the time every run shows."""
BEIJING_ZH = "北京时间"
BEIJING_LABEL = "北京时间 Beijing time (UTC+08:00)"
WAN = 10_000
"""Totals from this many yuan up read better in 万元 (ten thousands of yuan)."""


def texts(values: Any) -> list[str]:
    """A list of values (record references) as plain strings, whether a Python list or a NumPy
    array (as a list column reads from parquet); None is no values.

    >>> import numpy as np
    >>> texts(np.array(["deaths:1", "households:2"], dtype=object)), texts(None)
    (['deaths:1', 'households:2'], [])
    """
    if values is None:
        return []
    items = values.tolist() if hasattr(values, "tolist") else values
    return [v if type(v) is str else str(v) for v in items]


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or _is_na(value)


def yuan(value: float | None, *, blank: str = "—") -> str:
    """An amount in yuan with thousands separators and two decimals ("—" when missing).

    >>> yuan(None)
    '—'
    """
    return blank if _is_missing(value) else f"{value:,.2f}"


def wan_yuan(value: float | None, *, blank: str = "—") -> str:
    """An amount in 万元 with two decimals, e.g. ``114.27 万元``."""
    if value is None or _is_missing(value):
        return blank
    return f"{value / WAN:,.2f} 万元"


def amount_text(value: float | None, *, blank: str = "—") -> str:
    """An amount as a sentence shows it: 万元 from 10,000 yuan up, else yuan."""
    if value is None or _is_missing(value):
        return blank
    return wan_yuan(value) if abs(value) >= WAN else f"{yuan(value)} 元"


def now() -> datetime:
    """The current time in Beijing time (timezone-aware)."""
    return datetime.now(BEIJING)


def in_beijing(value: datetime | str) -> datetime:
    """A time (aware, or an ISO text) in Beijing time; a naive time is taken as UTC."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(BEIJING)


def beijing(value: datetime | str | None, *, blank: str = "—") -> str:
    """A time as people read it, in Beijing time: ``2026-11-29 10:30:00``.

    Label the column or line with :data:`BEIJING_ZH` where it is shown.
    """
    if value is None or value == "":
        return blank
    try:
        return in_beijing(value).strftime("%Y-%m-%d %H:%M:%S")
    except (TypeError, ValueError):
        return str(value)


def _is_na(value: Any) -> bool:
    if type(value).__name__ != "NAType":  # pandas' NA, without importing pandas for it
        return False
    import pandas as pd

    return value is pd.NA
