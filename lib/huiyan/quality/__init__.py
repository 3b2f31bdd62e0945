"""The data-quality gate: Great Expectations suites run against the workspace's datasets.

Each dataset has a suite in ``expectations/<dataset>.json`` (see
:mod:`huiyan.quality.suites`). :func:`validate` runs them and returns a
:class:`QualityReport`; :func:`require` is the notebook's gate, raising
:class:`~huiyan.errors.ValidationFailed` with the readable report when an
error-severity expectation fails. Warnings (a row count out of the usual range,
forest payments that differ from area x rate) are listed but never stop a run.

Whole-table checks (keys, row counts, types, cross-row rules) run as SQL in
DuckDB; row-by-row expectations run in Great Expectations on column-pruned
pandas batches streamed out of DuckDB. On the Spark engine the same suites run
on the Parquet a Spark run reads, in GX's Spark data source and Spark SQL
(:mod:`huiyan.quality._spark`). Results are cached per dataset fingerprint (and
engine) in ``<home>/datasets/validation_cache.json``.

Example:
    >>> import huiyan as hy
    >>> report = hy.quality.require(hy.workspace(), ["vehicles"])   # doctest: +SKIP
    >>> print(report.format())                                       # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from huiyan import contracts, interrupts, preload
from huiyan.errors import ValidationFailed, WorkspaceError, did_you_mean
from huiyan.quality import suites
from huiyan.quality.report import DatasetResult, Example, Failure, QualityReport
from huiyan.quality.suites import write_suites
from huiyan.workspace import Workspace

if TYPE_CHECKING:
    from huiyan.quality._gx import Outcome

log = logging.getLogger(__name__)

CACHE_VERSION = 1
"""Bump when the way results are computed changes, so cached results are not reused."""

__all__ = [
    "DatasetResult",
    "Example",
    "Failure",
    "QualityReport",
    "fingerprint",
    "require",
    "validate",
    "write_suites",
]


def fingerprint(ws: Workspace, dataset: str) -> str:
    """Row count and content hash of ``dataset``, e.g. ``"1204:3f9a0c1d2e4b5a69"``.

    Taken once, when the dataset's snapshot was published (:mod:`huiyan.snapshots`).
    """
    return ws.snapshot(dataset).fingerprint


def validate(
    ws: Workspace,
    datasets: Sequence[str] | None = None,
    *,
    html_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    progress: bool = False,
    engine: str | None = None,
    today: dt.date | None = None,
) -> QualityReport:
    """Run the suite of each dataset (all in the workspace when none are named).

    Args:
        ws: the workspace.
        datasets: dataset names; a named dataset missing from the workspace is an
            error, while with no names the missing ones are skipped with a note.
        html_dir: also write ``quality_report.html`` into this folder.
        use_cache: reuse the stored result of a dataset whose fingerprint, suite
            and date are unchanged.
        progress: show a progress bar per dataset.
        engine: ``"duckdb"`` validates the workspace's tables; ``"spark"`` validates
            the Parquet a Spark run reads, in Spark (GX's Spark data source). Default:
            the workspace's engine.
        today: the date that date checks (no date in the future) are judged against, and
            that a cached result is kept for. Default: today's date.

    Raises:
        ContractError: a name is not a dataset of the contract.
        WorkspaceError: a named dataset is not in the workspace.
    """
    engine = engine or ws.engine_name
    data: _Data
    if engine == "spark":
        from huiyan.quality._spark import SparkData

        data = SparkData(ws, None if datasets is None else list(datasets))
    else:
        if ws.engine_name != "duckdb":
            from huiyan.workspace import workspace

            ws = workspace(ws.home, engine="duckdb")
        data = _DuckDBData(ws, progress=progress)
    tables = data.names()
    if datasets is None:
        wanted = list(contracts.names())
        skipped = tuple(n for n in wanted if n not in tables)
        wanted = [n for n in wanted if n in tables]
    else:
        wanted = list(dict.fromkeys(datasets))
        for name in wanted:
            contracts.dataset(name)  # unknown names: ContractError with a suggestion
        missing = [n for n in wanted if n not in tables]
        if missing:
            hints = " ".join(did_you_mean(n, tables) for n in missing).strip()
            raise WorkspaceError(
                f"工作区 {ws.home} 中没有数据集：{', '.join(missing)}。{hints}",
                f"Workspace {ws.home} has no dataset {', '.join(missing)}.",
                "请先导入 Load it with: huiyan ingest DATASET FILE  "
                "或生成合成数据 or synthesise: huiyan synth --scale tiny",
            )
        skipped = ()
    cache = _load_cache(ws)
    updates: dict[str, Any] = {}
    today = today or dt.date.today()
    results = []
    for name in wanted:
        interrupts.check()  # a Ctrl-C that DuckDB swallowed still stops before the next dataset
        suite = suites.load(name)
        rows, digest = data.fingerprint(name)
        fp = f"{rows}:{digest}"
        key = f"{CACHE_VERSION}|{fp}|{suites.digest(suite)}|{today.isoformat()}"
        slot = name if engine != "spark" else f"spark:{name}"
        hit = cache.get(slot)
        if use_cache and isinstance(hit, dict) and hit.get("key") == key:
            log.info("%s unchanged since its last validation: using the cached result", name)
            results.append(DatasetResult.from_dict(hit["result"], cached=True))
            continue
        with preload.LOCK:  # the first check in this process imports pandas (and GX)
            result = _validate_dataset(data, name, suite, rows=rows, fp=fp, today=today)
        updates[slot] = {"key": key, "result": result.to_dict()}
        results.append(result)
    interrupts.check()
    if updates:
        _save_cache(ws, updates)
    report = QualityReport(datasets=tuple(results), skipped=skipped)
    if html_dir is not None:
        folder = Path(html_dir)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "quality_report.html"
        path.write_text(report.to_html(), encoding="utf-8")
        report = QualityReport(datasets=report.datasets, skipped=skipped, html_path=path)
    return report


def require(ws: Workspace, datasets: Sequence[str], **options: Any) -> QualityReport:
    """Validate ``datasets`` and stop with a readable report when an error-severity check fails.

    Warnings are listed in the returned report but do not stop anything.

    Raises:
        ValidationFailed: an error-severity expectation failed; ``.report`` holds the findings.
    """
    report = validate(ws, list(datasets), **options)
    if not report.ok:
        raise ValidationFailed(
            "数据未通过质量校验，请先修正数据再运行模型：\n" + report.format(),
            "The data failed its quality expectations (details above); the model must not run on it.",
            "修正源数据后重新导入，再运行 Fix the source data, re-ingest, then run: "
            f"huiyan validate {' '.join(datasets)}",
            report=report,
        )
    return report


# -- one dataset --------------------------------------------------------------------------------


class _Data(Protocol):
    """Where the datasets are read: the workspace's DuckDB tables or the Parquet Spark reads."""

    def names(self) -> set[str]: ...

    def fingerprint(self, name: str) -> tuple[int, str]: ...

    def schema(self, name: str) -> dict[str, str]: ...

    def table_check(
        self, name: str, exp: dict[str, Any], *, columns: dict[str, str], keys: list[str], rows: int
    ) -> Outcome: ...

    def row_wise(
        self,
        name: str,
        exps: list[dict[str, Any]],
        columns: dict[str, str],
        keys: list[str],
        *,
        today: dt.date,
    ) -> list[Outcome]: ...

    def sql_dialect(self) -> AbstractContextManager[None]: ...


class _DuckDBData:
    """The workspace's DuckDB tables: whole-table checks in SQL, GX on streamed pandas batches."""

    def __init__(self, ws: Workspace, *, progress: bool) -> None:
        self.ws = ws
        self.progress = progress

    @property
    def con(self) -> Any:
        """The DuckDB connection, opened only when a dataset is actually checked (a cached
        result needs none: its fingerprint is the snapshot's)."""
        from huiyan.quality import _database

        return _database.raw(self.ws)

    def names(self) -> set[str]:
        return set(self.ws.tables())

    def fingerprint(self, name: str) -> tuple[int, str]:
        rows, _, digest = self.ws.snapshot(name).fingerprint.partition(":")
        return int(rows), digest

    def schema(self, name: str) -> dict[str, str]:
        from huiyan.quality import _database

        return _database.schema(self.con, name)

    def sql_dialect(self) -> AbstractContextManager[None]:
        return nullcontext()

    def table_check(
        self, name: str, exp: dict[str, Any], *, columns: dict[str, str], keys: list[str], rows: int
    ) -> Outcome:
        from huiyan.quality import _database

        return _database.table_check(self.con, name, exp, columns=columns, keys=keys, rows=rows)

    def row_wise(
        self,
        name: str,
        exps: list[dict[str, Any]],
        columns: dict[str, str],
        keys: list[str],
        *,
        today: dt.date,
    ) -> list[Outcome]:
        from huiyan.quality import _database
        from huiyan.quality._gx import BatchSuite, Outcome, columns_of

        ds = contracts.dataset(name)
        needed = list(dict.fromkeys(keys + [c for e in exps for c in columns_of(e["kwargs"])]))
        stub_only = _database.stub_only(ds, exps, keys)
        sql = _database.batch_select(
            name, needed, columns=columns, dataset=name, stub_only=stub_only
        )
        batch_suite = BatchSuite(name, exps, {"today": today.isoformat(), "this_year": today.year})
        merged = [Outcome() for _ in exps]
        frames: Iterable[Any] = _database.batches(self.con, sql)
        if self.progress:
            from tqdm.auto import tqdm

            frames = tqdm(frames, desc=f"校验 {name}", unit="批 batch")
        for frame in frames:
            for acc, found in zip(merged, batch_suite.run(frame, keys=keys), strict=True):
                acc.merge(found)
        return merged


def _validate_dataset(
    data: _Data, name: str, suite: dict[str, Any], *, rows: int, fp: str, today: dt.date
) -> DatasetResult:
    from huiyan.quality._gx import Outcome, columns_of

    started = time.perf_counter()
    ds = contracts.dataset(name)
    columns = data.schema(name)
    keys = [k for k in ds.key if k in columns]
    exps: list[dict[str, Any]] = list(suite.get("expectations", []))
    outcomes: dict[int, Outcome] = {}
    row_wise: list[int] = []
    with data.sql_dialect():
        for i, exp in enumerate(exps):
            cols = columns_of(exp["kwargs"])
            if exp["type"] in suites.TABLE_TYPES:
                try:
                    outcomes[i] = data.table_check(name, exp, columns=columns, keys=keys, rows=rows)
                except Exception as err:  # a broken custom query is reported, not a crash
                    outcomes[i] = Outcome(checked=rows, error=f"{type(err).__name__}: {err}")
            elif all(c in columns for c in cols):
                row_wise.append(i)
            # else: a missing column is already reported by expect_column_to_exist
        if row_wise and rows:
            found = data.row_wise(name, [exps[i] for i in row_wise], columns, keys, today=today)
            outcomes.update(zip(row_wise, found, strict=True))
    failures = []
    evaluated = 0
    for i, exp in enumerate(exps):
        out = outcomes.get(i)
        if out is None:
            continue
        evaluated += 1
        if out.unexpected or out.error:
            failures.append(_failure(exp, out))
    failures.sort(key=lambda f: f.severity != "error")
    return DatasetResult(
        dataset=name,
        zh=ds.zh,
        rows=rows,
        fingerprint=fp,
        evaluated=evaluated,
        failures=tuple(failures),
        seconds=round(time.perf_counter() - started, 3),
    )


def _failure(exp: dict[str, Any], out: Outcome) -> Failure:
    from huiyan.quality._gx import columns_of

    meta = exp.get("meta") or {}
    cols = columns_of(exp["kwargs"])
    note = ""
    count = out.unexpected
    if out.error:
        note = f"校验无法执行 could not run: {out.error}"
    return Failure(
        expectation=exp["type"],
        column=", ".join(cols) or None,
        zh=str(meta.get("zh", exp["type"])),
        severity="warning" if meta.get("severity") == "warning" else "error",
        count=count,
        examples=tuple(Example.from_raw(e) for e in out.examples[:5]),
        note=note,
    )


# -- cache --------------------------------------------------------------------------------------


def _cache_path(ws: Workspace) -> Path:
    return ws.home / "datasets" / "validation_cache.json"


def _load_cache(ws: Workspace) -> dict[str, Any]:
    path = _cache_path(ws)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        log.warning("ignoring an unreadable validation cache at %s", path)
        return {}
    found = data.get("datasets") if isinstance(data, dict) else None
    return dict(found) if isinstance(found, dict) else {}


def _save_cache(ws: Workspace, updates: dict[str, Any]) -> None:
    """Add these datasets' results to the cache; validations running at the same time each
    add theirs (the file is re-read and replaced under a lock, never overwritten blind)."""
    import fcntl

    path = _cache_path(ws)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_name(f".{path.name}.lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            cache = {**_load_cache(ws), **updates}
            tmp.write_text(
                json.dumps(
                    {"version": CACHE_VERSION, "datasets": cache},
                    ensure_ascii=False,
                    indent=1,
                    default=str,
                ),
                encoding="utf-8",
            )
            os.replace(tmp, path)
    except OSError as err:  # a read-only workspace still validates, it just cannot remember
        log.warning("could not write the validation cache %s: %s", path, err)
