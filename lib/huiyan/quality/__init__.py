"""The data-quality gate: Great Expectations suites run against the workspace's datasets.

Each dataset has a suite in ``expectations/<dataset>.json`` (see
:mod:`huiyan.quality.suites`). :func:`validate` runs them and returns a
:class:`QualityReport`; :func:`require` is the notebook's gate, raising
:class:`~huiyan.errors.ValidationFailed` with the readable report when an
error-severity expectation fails. Warnings (a row count out of the usual range,
forest payments that differ from area x rate) are listed but never stop a run.

Whole-table checks (keys, row counts, types, cross-row rules) run as SQL in
DuckDB; row-by-row expectations run in Great Expectations on column-pruned
pandas batches streamed out of DuckDB. Results are cached per dataset
fingerprint in ``<home>/datasets/validation_cache.json``.

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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from huiyan import contracts
from huiyan.errors import ValidationFailed, WorkspaceError, did_you_mean
from huiyan.quality import _database, suites
from huiyan.quality._gx import Outcome, columns_of
from huiyan.quality.report import DatasetResult, Example, Failure, QualityReport
from huiyan.quality.suites import write_suites
from huiyan.workspace import Workspace

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
    """Row count and a cheap content hash of ``dataset``, e.g. ``"1204:3f9a0c1d2e4b5a69"``."""
    rows, digest = _database.fingerprint(_database.raw(ws), dataset)
    return f"{rows}:{digest}"


def validate(
    ws: Workspace,
    datasets: Sequence[str] | None = None,
    *,
    html_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    progress: bool = False,
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

    Raises:
        ContractError: a name is not a dataset of the contract.
        WorkspaceError: a named dataset is not in the workspace.
    """
    if ws.engine_name == "spark":
        # Spark reads the Parquet exported from the workspace's DuckDB tables: validating those
        # tables validates what Spark sees (and the runner has usually cached the result).
        from huiyan.workspace import workspace

        ws = workspace(ws.home, read_only=True, engine="duckdb")
    con = _database.raw(ws)
    tables = set(ws.con.list_tables())
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
    cache = _load_cache(ws) if use_cache else {}
    today = dt.date.today()
    results = []
    for name in wanted:
        suite = suites.load(name)
        rows, digest = _database.fingerprint(con, name)
        fp = f"{rows}:{digest}"
        key = f"{CACHE_VERSION}|{fp}|{suites.digest(suite)}|{today.isoformat()}"
        hit = cache.get(name)
        if use_cache and isinstance(hit, dict) and hit.get("key") == key:
            log.info("%s unchanged since its last validation: using the cached result", name)
            results.append(DatasetResult.from_dict(hit["result"], cached=True))
            continue
        result = _validate_dataset(
            ws, name, suite, rows=rows, fp=fp, today=today, progress=progress
        )
        cache[name] = {"key": key, "result": result.to_dict()}
        results.append(result)
    _save_cache(ws, cache)
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


def _validate_dataset(
    ws: Workspace,
    name: str,
    suite: dict[str, Any],
    *,
    rows: int,
    fp: str,
    today: dt.date,
    progress: bool,
) -> DatasetResult:
    started = time.perf_counter()
    con = _database.raw(ws)
    ds = contracts.dataset(name)
    columns = _database.schema(con, name)
    keys = [k for k in ds.key if k in columns]
    exps: list[dict[str, Any]] = list(suite.get("expectations", []))
    outcomes: dict[int, Outcome] = {}
    row_wise: list[int] = []
    for i, exp in enumerate(exps):
        cols = columns_of(exp["kwargs"])
        if exp["type"] in suites.TABLE_TYPES:
            try:
                outcomes[i] = _database.table_check(
                    con, name, exp, columns=columns, keys=keys, rows=rows
                )
            except Exception as err:  # a broken custom query is reported, not a crash
                outcomes[i] = Outcome(checked=rows, error=f"{type(err).__name__}: {err}")
        elif all(c in columns for c in cols):
            row_wise.append(i)
        # else: a missing column is already reported by expect_column_to_exist
    if row_wise and rows:
        outcomes.update(
            _run_batches(
                con, name, ds, exps, row_wise, columns, keys, rows, today=today, progress=progress
            )
        )
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


def _run_batches(
    con: Any,
    name: str,
    ds: contracts.Dataset,
    exps: list[dict[str, Any]],
    row_wise: list[int],
    columns: dict[str, str],
    keys: list[str],
    rows: int,
    *,
    today: dt.date,
    progress: bool,
) -> dict[int, Outcome]:
    from huiyan.quality._gx import BatchSuite

    chosen = [exps[i] for i in row_wise]
    needed = list(dict.fromkeys(keys + [c for e in chosen for c in columns_of(e["kwargs"])]))
    texts = {c.name for c in ds.columns if c.type == "text"}
    presence_only = {"expect_column_values_to_not_be_null"}
    stub_only = {
        c
        for c in texts
        if c not in keys
        and all(e["type"] in presence_only for e in chosen if c in columns_of(e["kwargs"]))
    }
    sql = _database.batch_select(name, needed, columns=columns, dataset=name, stub_only=stub_only)
    batch_suite = BatchSuite(name, chosen, {"today": today.isoformat(), "this_year": today.year})
    merged = [Outcome() for _ in chosen]
    frames = _database.batches(con, sql)
    if progress:
        from tqdm.auto import tqdm

        total = -(-rows // _database.BATCH_ROWS)
        frames = tqdm(frames, total=total, desc=f"校验 {name}", unit="批 batch")
    for frame in frames:
        for acc, found in zip(merged, batch_suite.run(frame, keys=keys), strict=True):
            acc.merge(found)
    return dict(zip(row_wise, merged, strict=True))


def _failure(exp: dict[str, Any], out: Outcome) -> Failure:
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


def _save_cache(ws: Workspace, cache: dict[str, Any]) -> None:
    path = _cache_path(ws)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
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
