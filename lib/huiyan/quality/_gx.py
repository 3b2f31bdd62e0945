"""Great Expectations on one pandas batch: the only place huiyan touches GX.

GX is imported lazily (it takes seconds), with its analytics, progress bars and
chatty logging switched off, in an ephemeral (in-memory) context. A
:class:`BatchSuite` holds the row-by-row expectations of one dataset and runs
them on any pandas frame, so the same code serves DuckDB batches today and
other engines' batches later. Two huiyan expectations are registered here:
resident-ID and credit-code check digits, vectorised with numpy and using the
weights from :mod:`huiyan.identifiers`.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from huiyan import identifiers

log = logging.getLogger(__name__)

_CONTEXT: Any = None

_RID_WEIGHTS = np.array(identifiers.RESIDENT_ID_WEIGHTS, dtype=np.int64)
_RID_CHECK = np.frombuffer(identifiers.RESIDENT_ID_CHECK.encode("ascii"), dtype=np.uint8)
_CC_WEIGHTS = np.array(identifiers.CREDIT_CODE_WEIGHTS, dtype=np.int64)
_CC_CHARS = np.frombuffer(identifiers.CREDIT_CODE_CHARS.encode("ascii"), dtype=np.uint8)
_CC_INDEX = np.full(256, -1, dtype=np.int64)
_CC_INDEX[_CC_CHARS] = np.arange(len(_CC_CHARS))


def _as_bytes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """An (n, 18) byte matrix of the values and a mask of values that are 18 ASCII bytes."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        values = pa.array(column, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # not text at all: no value has the shape
        return np.zeros((len(column), 18), dtype=np.uint8), np.zeros(len(column), dtype=bool)
    raw = pc.cast(values, pa.binary())
    fits = pc.fill_null(pc.equal(pc.binary_length(raw), 18), False)
    padded = pc.if_else(fits, raw, pa.scalar(b"0" * 18, pa.binary()))
    fixed = pc.cast(padded, pa.binary(18))
    if isinstance(fixed, pa.ChunkedArray):
        fixed = fixed.combine_chunks()
    data = np.frombuffer(fixed.buffers()[1], dtype=np.uint8)
    start = fixed.offset * 18
    matrix = data[start : start + 18 * len(fixed)].reshape(-1, 18)
    return matrix, np.asarray(fits.to_numpy(zero_copy_only=False), dtype=bool)


def resident_id_check_ok(column: pd.Series) -> pd.Series:
    """True where a well-shaped resident ID has the right check digit, or the shape is wrong.

    A wrong shape is reported by the format expectation, so it is not counted twice.

    >>> resident_id_check_ok(pd.Series(["11010519491231002X", "110105194912310021", "abc"])).tolist()
    [True, False, True]
    """
    m, fits = _as_bytes(column)
    digits = m[:, :17].astype(np.int64) - 48
    last = m[:, 17]
    shape = fits & ((digits >= 0) & (digits <= 9)).all(axis=1)
    shape &= ((last >= 48) & (last <= 57)) | (last == ord("X"))
    expected = _RID_CHECK[(digits * _RID_WEIGHTS).sum(axis=1) % 11]
    return pd.Series(~shape | (expected == last), index=column.index)


def credit_code_check_ok(column: pd.Series) -> pd.Series:
    """True where a well-shaped credit code has the right check character, or the shape is wrong.

    >>> credit_code_check_ok(pd.Series(["91330602MA2B3C4D5D", "91330602MA2B3C4D5E", "short"])).tolist()
    [True, False, True]
    """
    m, fits = _as_bytes(column)
    idx = _CC_INDEX[m]
    shape = fits & (idx >= 0).all(axis=1)
    total = (np.where(idx[:, :17] < 0, 0, idx[:, :17]) * _CC_WEIGHTS).sum(axis=1)
    expected = _CC_CHARS[(31 - total % 31) % 31]
    return pd.Series(~shape | (expected == m[:, 17]), index=column.index)


def resident_id_check_sql(column: str) -> str:
    """The resident-ID check as a Spark SQL condition on the column named ``column``.

    True where the check digit is right or the shape is wrong (as :func:`resident_id_check_ok`).
    """
    c = f"`{column}`"
    total = " + ".join(
        f"CAST(substr({c}, {i + 1}, 1) AS INT) * {w}"
        for i, w in enumerate(identifiers.RESIDENT_ID_WEIGHTS)
    )
    return (
        f"CASE WHEN NOT ({c} RLIKE '^[0-9]{{17}}[0-9X]$') THEN TRUE "
        f"ELSE substr('{identifiers.RESIDENT_ID_CHECK}', ({total}) % 11 + 1, 1) = substr({c}, 18, 1) END"
    )


def credit_code_check_sql(column: str) -> str:
    """The credit-code check as a Spark SQL condition (as :func:`credit_code_check_ok`)."""
    c = f"`{column}`"
    chars = identifiers.CREDIT_CODE_CHARS
    total = " + ".join(
        f"(instr('{chars}', substr({c}, {i + 1}, 1)) - 1) * {w}"
        for i, w in enumerate(identifiers.CREDIT_CODE_WEIGHTS)
    )
    return (
        f"CASE WHEN NOT ({c} RLIKE '^[{chars}]{{18}}$') THEN TRUE "
        f"ELSE substr('{chars}', (31 - ({total}) % 31) % 31 + 1, 1) = substr({c}, 18, 1) END"
    )


def _register_check_digits() -> None:
    """Define the two check-digit expectations; GX registers them by class name on definition.

    Each has a pandas form (numpy, for the DuckDB batches) and a Spark form (a SQL
    condition, for the Spark engine).
    """
    from great_expectations.execution_engine import PandasExecutionEngine, SparkDFExecutionEngine
    from great_expectations.expectations.expectation import ColumnMapExpectation
    from great_expectations.expectations.metrics import (
        ColumnMapMetricProvider,
        column_condition_partial,
    )

    class ColumnValuesResidentIdCheckDigit(ColumnMapMetricProvider):  # type: ignore[misc]
        condition_metric_name = "column_values.huiyan_resident_id_check_digit"

        @column_condition_partial(engine=PandasExecutionEngine)  # type: ignore[misc]
        def _pandas(cls, column: pd.Series, **kwargs: Any) -> pd.Series:
            return resident_id_check_ok(column)

        @column_condition_partial(engine=SparkDFExecutionEngine)  # type: ignore[misc]
        def _spark(cls, column: Any, **kwargs: Any) -> Any:
            return _spark_condition(resident_id_check_sql, column, kwargs)

    class ColumnValuesCreditCodeCheckDigit(ColumnMapMetricProvider):  # type: ignore[misc]
        condition_metric_name = "column_values.huiyan_credit_code_check_digit"

        @column_condition_partial(engine=PandasExecutionEngine)  # type: ignore[misc]
        def _pandas(cls, column: pd.Series, **kwargs: Any) -> pd.Series:
            return credit_code_check_ok(column)

        @column_condition_partial(engine=SparkDFExecutionEngine)  # type: ignore[misc]
        def _spark(cls, column: Any, **kwargs: Any) -> Any:
            return _spark_condition(credit_code_check_sql, column, kwargs)

    class ExpectColumnValuesToHaveValidResidentIdCheckDigit(ColumnMapExpectation):  # type: ignore[misc]
        """Expect well-shaped resident IDs to carry a valid GB 11643-1999 check digit."""

        map_metric = "column_values.huiyan_resident_id_check_digit"
        success_keys = ("mostly",)

    class ExpectColumnValuesToHaveValidCreditCodeCheckDigit(ColumnMapExpectation):  # type: ignore[misc]
        """Expect well-shaped credit codes to carry a valid GB 32100-2015 check character."""

        map_metric = "column_values.huiyan_credit_code_check_digit"
        success_keys = ("mostly",)


def _spark_condition(sql: Any, column: Any, kwargs: dict[str, Any]) -> Any:
    """A Spark column condition from a SQL builder, on the column GX hands over."""
    from pyspark.sql import functions as F

    name = str(kwargs["_accessor_domain_kwargs"]["column"])
    return F.expr(sql(name))


def context() -> Any:
    """The process-wide ephemeral GX context, quiet: no analytics, progress bars or info logs."""
    global _CONTEXT
    if _CONTEXT is None:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        # GX sets up its own loggers on import; quieten them afterwards.
        for name in list(logging.root.manager.loggerDict):
            if name.startswith("great_expectations"):
                logging.getLogger(name).setLevel(logging.ERROR)
        logging.getLogger("great_expectations").setLevel(logging.ERROR)

        _register_check_digits()
        ctx = gx.get_context(mode="ephemeral")
        ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        _CONTEXT = ctx
    return _CONTEXT


@dataclass
class Outcome:
    """What one expectation found in one batch (or in the whole table, once merged)."""

    checked: int = 0
    unexpected: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""

    def merge(self, other: Outcome, *, limit: int = 5) -> None:
        self.checked += other.checked
        self.unexpected += other.unexpected
        room = limit - len(self.examples)
        if room > 0:
            self.examples.extend(other.examples[:room])
        if other.error and not self.error:
            self.error = other.error


def columns_of(kwargs: dict[str, Any]) -> list[str]:
    """The columns an expectation reads, from its kwargs."""
    cols = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]
    return cols + list(kwargs.get("column_list") or [])


class BatchSuite:
    """The row-by-row expectations of one dataset, ready to run on pandas batches.

    Args:
        name: the dataset.
        expectations: suite entries (``type``, ``kwargs``, ``meta``), all row-by-row.
        parameters: values for ``{"$PARAMETER": name}`` in the kwargs (e.g. today).
    """

    def __init__(
        self, name: str, expectations: list[dict[str, Any]], parameters: dict[str, Any]
    ) -> None:
        import great_expectations as gx
        from great_expectations.expectations.expectation_configuration import (
            ExpectationConfiguration,
        )

        ctx = context()
        tag = f"{name}-{uuid.uuid4().hex[:8]}"
        source = ctx.data_sources.add_pandas(tag)
        batch_def = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
        suite = gx.ExpectationSuite(name=tag)
        for exp in expectations:
            config = ExpectationConfiguration(
                type=exp["type"],
                kwargs=_timestamp_bounds(exp["kwargs"]),
                meta=dict(exp.get("meta") or {}),
            )
            suite.add_expectation(config.to_domain_obj())
        suite = ctx.suites.add(suite)
        # Adding the suite to the context assigns the ids that results refer back to.
        self._ids: list[str] = [str(e.id) for e in suite.expectations]
        self._definition = ctx.validation_definitions.add(
            gx.ValidationDefinition(name=tag, data=batch_def, suite=suite)
        )
        self._columns = [columns_of(e["kwargs"]) for e in expectations]
        self._parameters = {k: _as_timestamp(v) for k, v in parameters.items()}

    def run(self, frame: pd.DataFrame, *, keys: list[str], limit: int = 5) -> list[Outcome]:
        """Validate one batch; one :class:`Outcome` per expectation, in suite order."""
        frame = frame.reset_index(drop=True)
        result = self._definition.run(
            batch_parameters={"dataframe": frame},
            expectation_parameters=self._parameters,
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": limit},
        )
        by_id = {str(r.expectation_config.id): r for r in result.results}
        outcomes = []
        for exp_id, cols in zip(self._ids, self._columns, strict=True):
            res = by_id.get(exp_id)
            if res is None:
                outcomes.append(Outcome(checked=len(frame), error="未运行 not run"))
                continue
            message = error_of(res)
            if message:
                outcomes.append(Outcome(checked=len(frame), error=message))
                continue
            body = res.result or {}
            indexes = body.get("partial_unexpected_index_list") or []
            examples = [_example(frame, int(i), keys, cols) for i in indexes[:limit]]
            outcomes.append(
                Outcome(
                    checked=int(body.get("element_count", len(frame)) or 0),
                    unexpected=int(body.get("unexpected_count", 0) or 0),
                    examples=examples,
                )
            )
        return outcomes


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _as_timestamp(value: Any) -> Any:
    """``"2021-03-01"`` -> ``"2021-03-01T00:00:00"``; anything else unchanged.

    Batches carry dates as timestamps (see ``_database.batches``); GX reads a bound
    written as a date as a ``date``, which pandas will not compare with timestamps.
    """
    return f"{value}T00:00:00" if isinstance(value, str) and _ISO_DATE.match(value) else value


def _timestamp_bounds(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The kwargs with date bounds written as timestamps (parameters are converted apart)."""
    out = dict(kwargs)
    for key in ("min_value", "max_value"):
        if key in out:
            out[key] = _as_timestamp(out[key])
    return out


def error_of(result: Any) -> str:
    """The error a GX expectation result carries ('' when none).

    GX reports it either at the top of ``exception_info`` or, when a metric failed to
    compute, under each metric's id; both must count, or a check that could not run
    would pass silently.
    """
    info = result.exception_info or {}
    if info.get("raised_exception"):
        return str(info.get("exception_message") or "unknown error")
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message") or "unknown error")
    return ""


def _example(frame: pd.DataFrame, index: int, keys: list[str], cols: list[str]) -> dict[str, Any]:
    row = frame.iloc[index]
    return {
        "key": {k: _plain(row[k]) for k in keys if k in frame.columns},
        "values": {c: _plain(row[c]) for c in cols if c in frame.columns},
    }


def _plain(value: Any) -> Any:
    """A date handed to GX as a timestamp is shown as the date it is (``2021-03-01``)."""
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    return value
