"""The synthetic province: every contract dataset, consistent across datasets, with planted truth.

:func:`generate` builds a :class:`~huiyan.synth.base.Province` (clean
background people, households, enterprises, jobs and deaths), lets each family
module add its datasets and plant violations, then writes every dataset, the
``truth`` table (model, rule, record) and a ``synth_info`` table into the
workspace DuckDB in bulk (Arrow), one transaction per dataset, freeing each
dataset's rows once written so memory stays bounded at province scale.

Example:
    >>> import huiyan as hy
    >>> from huiyan import synth
    >>> report = synth.generate(hy.workspace("/tmp/demo"), scale="tiny")  # doctest: +SKIP
    >>> report.rows["judgments"]                                           # doctest: +SKIP
    400
"""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import json
import logging
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from huiyan import contracts, interrupts
from huiyan.ingest.schema import column_types, create_table_sql, quote
from huiyan.synth import phrasing as phrasings
from huiyan.synth import scale as scales
from huiyan.synth.base import Province, SynthError
from huiyan.workspace import Workspace

log = logging.getLogger(__name__)

FAMILIES = ("insurance", "penalties", "auctions", "bankruptcy", "forest")
"""Family modules ``huiyan.synth.<family>``, each with ``build(p: Province) -> None``, in build order."""

REQUIRE_ALL_FAMILIES = True
"""STRICTNESS SWITCH: while False, a family module that does not exist yet is skipped with a
warning (its datasets are written empty). Set to True once all five family modules exist."""

WRITE_MEMORY_LIMIT = "2GB"
"""DuckDB memory limit while the province is written (it spills to disk beyond this)."""

INFO_TABLE = "synth_info"
TRUTH_TABLE = "truth"

__all__ = ["FAMILIES", "Province", "SynthError", "SynthReport", "generate"]


@dataclass(frozen=True)
class SynthReport:
    """What :func:`generate` wrote: rows per dataset, planted violations per model and rule."""

    scale: str
    seed: int
    phrasing: str = phrasings.DEFAULT
    rows: dict[str, int] = field(default_factory=dict)
    planted: dict[str, dict[str, int]] = field(default_factory=dict)
    families: tuple[str, ...] = ()
    missing_families: tuple[str, ...] = ()
    seconds: float = 0.0

    def summary(self) -> str:
        """A short bilingual summary for the command line."""
        lines = [
            f"合成数据 Synthetic province: scale={self.scale} seed={self.seed} "
            f"phrasing={self.phrasing} "
            f"({self.seconds:.1f} s)",
            "数据集 Datasets (rows):",
        ]
        lines += [f"  {name:<20} {n:>10,}" for name, n in self.rows.items()]
        lines.append("埋设违规 Planted violations (truth rows):")
        for model, rules in self.planted.items():
            lines.append(f"  {model}: {sum(rules.values()):,}")
            lines += [f"    {rule:<26} {n:>8,}" for rule, n in sorted(rules.items())]
        if self.missing_families:
            lines.append(
                "未生成的数据族 Families not built yet: " + ", ".join(self.missing_families)
            )
        return "\n".join(lines)


def generate(
    ws: Workspace,
    *,
    scale: str = "tiny",
    seed: int = 7,
    export: Path | str | None = None,
    progress: bool = False,
    phrasing: str = phrasings.DEFAULT,
) -> SynthReport:
    """Fill ``ws`` with a synthetic province at ``scale`` (tiny, county or province).

    Every contract dataset is replaced; ``truth`` holds one row per planted
    violation. With ``export`` the data is also written as agency-style export
    files (see :func:`huiyan.exports.write_exports`). ``phrasing`` names the
    family (or mix) that words the free texts (:mod:`huiyan.synth.phrasing`);
    the data and the truth are the same whatever it is.
    """
    started = time.perf_counter()
    p = build(scale=scale, seed=seed, progress=progress, phrasing=phrasing)
    planted: dict[str, dict[str, int]] = {}
    for (model, rule), n in p.truth.groupby(["model", "rule"]).size().items():
        planted.setdefault(str(model), {})[str(rule)] = int(n)
    families = tuple(getattr(p, "built_families", ()))
    missing = tuple(getattr(p, "missing_families", ()))
    t0, c0 = time.perf_counter(), time.process_time()
    rows = write(ws, p, release=True)
    log.info(
        "synth: written in %.1f s (cpu %.1f s)", time.perf_counter() - t0, time.process_time() - c0
    )
    del p  # the province in memory is no longer needed: free it before parsing
    gc.collect()
    from huiyan.judgments import parse_workspace

    # the judgment reader's derived tables, so the workspace is ready for the models as made
    t0 = time.perf_counter()
    parse_workspace(ws, progress=progress)
    log.info("synth: judgments parsed in %.1f s", time.perf_counter() - t0)
    report = SynthReport(
        scale=scale,
        seed=seed,
        phrasing=phrasing,
        rows=rows,
        planted=planted,
        families=families,
        missing_families=missing,
        seconds=time.perf_counter() - started,
    )
    if export is not None:
        from huiyan.exports import write_exports

        write_exports(ws, Path(export), seed=seed)
    return report


def build(
    *, scale: str, seed: int = 7, progress: bool = False, phrasing: str = phrasings.DEFAULT
) -> Province:
    """Build the province in memory: background, then every family module in order."""
    p = Province(scales.get(scale), seed=seed)
    p.phrasing = phrasings.choose(phrasing)
    t0, c0 = time.perf_counter(), time.process_time()
    p.build_background()
    log.info(
        "synth: background built in %.1f s (cpu %.1f s)",
        time.perf_counter() - t0,
        time.process_time() - c0,
    )
    built: list[str] = []
    missing: list[str] = []
    steps: Any = FAMILIES
    if progress:
        from tqdm.auto import tqdm

        steps = tqdm(FAMILIES, desc="synth", unit="family")
    for i, family in enumerate(steps):
        name = f"huiyan.synth.{family}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name or REQUIRE_ALL_FAMILIES:
                raise
            log.warning("synth: family module %s does not exist yet; skipped", name)
            missing.append(family)
            continue
        # each family draws from its own stream, so one family's changes leave the others' alone
        p.rng = np.random.default_rng([seed, i + 1])
        t0, c0 = time.perf_counter(), time.process_time()
        module.build(p)
        log.info(
            "synth: %s built in %.1f s (cpu %.1f s)",
            family,
            time.perf_counter() - t0,
            time.process_time() - c0,
        )
        built.append(family)
    p.built_families = tuple(built)  # type: ignore[attr-defined]
    p.missing_families = tuple(missing)  # type: ignore[attr-defined]
    return p


# -- writing -----------------------------------------------------------------------------------


def _column(
    values: pd.Series | np.ndarray | None, sql_type: str, n: int, *, money: bool
) -> pa.Array:
    if values is None:
        return pa.nulls(n, type=_ARROW[sql_type])
    if isinstance(values, pd.Series):
        values = values.to_numpy()
    if sql_type == "VARCHAR":
        arr = np.asarray(values, dtype=object)
        mask = pd.isna(arr)
        arr = arr.copy()
        arr[mask] = None
        return pa.array(arr, type=pa.string(), from_pandas=True)
    if sql_type == "DATE":
        arr = pd.to_datetime(pd.Series(values)).to_numpy().astype("datetime64[D]")
        return pa.array(arr, type=pa.date32(), mask=np.isnat(arr))
    if sql_type == "DOUBLE":
        arr = pd.to_numeric(pd.Series(values), errors="raise").astype(float).to_numpy()
        if money:
            arr = np.round(arr, 2)
        return pa.array(arr, type=pa.float64(), mask=np.isnan(arr))
    if sql_type == "BIGINT":
        return pa.array(pd.array(values, dtype="Int64"), type=pa.int64())
    if sql_type == "BOOLEAN":
        return pa.array(pd.array(values, dtype="boolean"), type=pa.bool_())
    raise SynthError(f"未知列类型 {sql_type}", f"Unknown column type {sql_type}")


_ARROW = {
    "VARCHAR": pa.string(),
    "DATE": pa.date32(),
    "DOUBLE": pa.float64(),
    "BIGINT": pa.int64(),
    "BOOLEAN": pa.bool_(),
}


def to_arrow(dataset: str, frame: pd.DataFrame) -> pa.Table:
    """``frame`` as an Arrow table in ``dataset``'s contract columns and stored types."""
    ds = contracts.dataset(dataset)
    types = column_types(dataset)
    n = len(frame)
    arrays = [
        _column(
            frame[c.name] if c.name in frame.columns else None,
            types[c.name],
            n,
            money=c.type == "money",
        )
        for c in ds.columns
    ]
    return pa.Table.from_arrays(arrays, names=list(ds.column_names))


def _chunks(p: Province, dataset: str) -> Iterator[pd.DataFrame]:
    yield from p.chunks(dataset)


def write(ws: Workspace, p: Province, *, release: bool = False) -> dict[str, int]:
    """Replace every dataset, ``truth``, extra tables and ``synth_info`` in the workspace.

    Each dataset is written in bulk (Arrow chunks) in its own transaction; with
    ``release`` its rows are dropped from ``p`` once committed, so the province
    scale never holds every dataset and every judgment text at once. The
    ``synth_info`` table that marks a workspace as synthetic is removed first and
    written last, so an interrupted write never looks like a finished one.
    """
    from huiyan.writer import writing

    names = [*contracts.names(), TRUTH_TABLE, INFO_TABLE, *p.extra_table_names()]
    try:
        with writing(ws.home, "huiyan synth", tables=names) as writer:
            return _write(writer.con, p, release=release)
    finally:
        ws.refresh()


def _write(raw: Any, p: Province, *, release: bool) -> dict[str, int]:
    rows: dict[str, int] = {}
    # keep DuckDB's share of memory bounded: the province must fit in 8 GB with the builder
    raw.execute(f"SET memory_limit = '{WRITE_MEMORY_LIMIT}'")
    raw.execute(f"DROP TABLE IF EXISTS {INFO_TABLE}")
    # rows are made and converted to Arrow here while a second thread inserts them, so the
    # Python work (judgment texts are rendered on the fly) overlaps DuckDB's own
    with _Inserter(raw) as inserter:
        # judgments last: their texts are rendered while being written, and by then every
        # other dataset has been written and freed
        order = sorted(contracts.names(), key=lambda name: name == "judgments")
        for dataset in order:
            interrupts.check()
            inserter.begin(dataset)
            total = 0
            for chunk in _chunks(p, dataset):
                if len(chunk):
                    inserter.insert(to_arrow(dataset, chunk))
                    total += len(chunk)
                del chunk
            inserter.end()
            rows[dataset] = total
            if release:
                p.release(dataset)
    truth = p.truth
    with _transaction(raw):
        raw.register("_synth_truth", pa.Table.from_pandas(truth.astype(str), preserve_index=False))
        raw.execute(
            f"CREATE OR REPLACE TABLE {TRUTH_TABLE} (model VARCHAR, rule VARCHAR, record VARCHAR)"
        )
        raw.execute(f"INSERT INTO {TRUTH_TABLE} SELECT model, rule, record FROM _synth_truth")
        raw.unregister("_synth_truth")
    for name, frame in p.extra_tables().items():
        extra = (
            frame
            if isinstance(frame, pa.Table)
            else pa.Table.from_pandas(frame, preserve_index=False)
        )
        with _transaction(raw):
            raw.register("_synth_extra", extra)
            raw.execute(f"CREATE OR REPLACE TABLE {quote(name)} AS SELECT * FROM _synth_extra")
            raw.unregister("_synth_extra")
    info = pa.table(
        {
            "scale": [p.scale.name],
            "seed": pa.array([p.seed], pa.int64()),
            "created_at": pa.array([dt.datetime.now()], pa.timestamp("us")),
            "counts": [json.dumps(rows, ensure_ascii=False)],
            "truth_rows": pa.array([len(truth)], pa.int64()),
            "families": [",".join(getattr(p, "built_families", ()))],
            "phrasing": [p.phrasing.name],
        }
    )
    with _transaction(raw):
        raw.register("_synth_info", info)
        raw.execute(f"CREATE OR REPLACE TABLE {INFO_TABLE} AS SELECT * FROM _synth_info")
        raw.unregister("_synth_info")
    return rows


class _Inserter:
    """A thread that writes each dataset's Arrow chunks into DuckDB, one transaction each.

    The caller is the only other user of the connection and does not touch it until
    the ``with`` block ends; at most a few chunks wait in the queue (bounded memory).
    """

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.queue: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=3)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._work, name="synth-writer", daemon=True)

    def __enter__(self) -> _Inserter:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._put("stop", None)
        self.thread.join()
        if self.error is not None and exc[0] is None:
            raise self.error

    def begin(self, dataset: str) -> None:
        self._put("begin", dataset)

    def insert(self, table: pa.Table) -> None:
        self._put("insert", table)

    def end(self) -> None:
        self._put("end", None)

    def _put(self, what: str, item: Any) -> None:
        while True:
            if self.error is not None and what != "stop":
                raise self.error
            if not self.thread.is_alive() and what == "stop":
                return
            try:
                self.queue.put((what, item), timeout=0.5)
                return
            except queue.Full:
                continue

    def _work(self) -> None:
        raw, dataset, total, t0 = self.raw, "", 0, 0.0
        try:
            while True:
                what, item = self.queue.get()
                if what == "stop":
                    if dataset:  # the caller failed mid-dataset: leave the old table as it was
                        raw.execute("ROLLBACK")
                    return
                if what == "begin":
                    dataset, total, t0 = item, 0, time.perf_counter()
                    raw.execute("BEGIN TRANSACTION")
                    raw.execute(create_table_sql(dataset, replace=True))
                elif what == "insert":
                    raw.register("_synth_chunk", item)
                    raw.execute(f"INSERT INTO {quote(dataset)} SELECT * FROM _synth_chunk")
                    raw.unregister("_synth_chunk")
                    total += item.num_rows
                else:
                    _check_key(raw, dataset)
                    raw.execute("COMMIT")
                    seconds = time.perf_counter() - t0
                    log.info("synth: %s written (%d rows) in %.1f s", dataset, total, seconds)
                    dataset = ""
        except BaseException as err:
            self.error = err
            if dataset:
                with suppress(Exception):
                    raw.execute("ROLLBACK")
            while True:  # drain so the producer never blocks on a full queue
                what, _ = self.queue.get()
                if what == "stop":
                    return


@contextmanager
def _transaction(raw: Any) -> Iterator[None]:
    """One DuckDB transaction: committed on success, rolled back on any error."""
    raw.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        raw.execute("ROLLBACK")
        raise
    raw.execute("COMMIT")


def _check_key(raw: Any, dataset: str) -> None:
    ds = contracts.dataset(dataset)
    keys = ", ".join(quote(k) for k in ds.key)
    dup = raw.execute(
        f"SELECT {keys}, count(*) AS n FROM {quote(dataset)} GROUP BY ALL HAVING n > 1 LIMIT 3"
    ).fetchall()
    if dup:
        raise SynthError(
            f"合成数据集 {dataset} 的主键 ({', '.join(ds.key)}) 有重复，例如 {dup[0][:-1]}。",
            f"Synthetic dataset {dataset} has duplicate keys ({', '.join(ds.key)}), e.g. "
            f"{dup[0][:-1]}: a generator bug.",
        )


def is_synthetic(ws: Workspace) -> bool:
    """True when the workspace was filled by ``huiyan synth`` (it has a ``synth_info`` table)."""
    return ws.has_table(INFO_TABLE)
