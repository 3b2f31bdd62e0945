"""Many runs at once: a model once per county (``--each-county``), or every model (``--all``).

Parameters and the input datasets are checked once, before the fan-out. A model whose card
says ``county_local: true`` (its rules keep the counties apart when asked, and vetting checks
it) is then computed once, every county on its own in one notebook run (``region = "*"``,
:mod:`huiyan.counties`), and its clues are split into one complete run folder per county:
the same clues as a run of that county alone, at the cost of one run. Any other model runs
each county on its own: each worker process (``--jobs``) starts one notebook kernel and runs
its counties on it one after another (papermill changes the working directory and
environment, so counties are not run in threads), each a whole notebook run with its own
complete folder. The province summary (clues per county and
rule) goes to ``runs/<model>/province-<timestamp>/summary.csv`` and ``summary.json``.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from huiyan import counties
from huiyan.errors import HuiyanError, ModelError, WorkspaceError
from huiyan.runs.folder import now_utc, write_manifest
from huiyan.runs.runner import (
    Prepared,
    RunResult,
    checking_workspace,
    clue_counts,
    execute,
    kernel_env,
    prepare,
    prepare_inputs,
    record_in_ledger,
    run,
)
from huiyan.workspace import Engine, Workspace

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class ProvinceRun:
    """The runs of one model over every county, and where their summary is."""

    model: str
    summary_dir: Path
    results: tuple[RunResult, ...]
    table: pd.DataFrame = field(hash=False, repr=False)

    @property
    def failed(self) -> list[RunResult]:
        return [r for r in self.results if r.status != "succeeded"]

    @property
    def computed_in(self) -> dict[str, Any] | None:
        """The one run a county-local model's counties were split from (None: each ran alone)."""
        return _computed_in(self.results)


def _computed_in(results: Iterable[RunResult]) -> dict[str, Any] | None:
    return next((r.manifest["computed_in"] for r in results if r.manifest.get("computed_in")), None)


def run_each_county(
    model: str,
    *,
    ws: Workspace | None = None,
    engine: Engine | None = None,
    parameters: Mapping[str, Any] | None = None,
    jobs: int = 1,
    regions: list[str] | None = None,
    progress: bool = False,
    allow_unvetted: bool = False,
) -> ProvinceRun:
    """Run ``model`` once per county in the workspace, ``jobs`` at a time, then summarise.

    A province-wide run needs a vetted model (``huiyan vet``) unless ``allow_unvetted``.

    Raises:
        ParameterError, ValidationFailed, ModelError: found before any county runs.
    """
    from tqdm.auto import tqdm

    from huiyan import catalog

    ws, engine = checking_workspace(ws, engine)
    card = catalog.get(model, ws)
    if not allow_unvetted:
        _require_vetted(ws, card)
    prepare_inputs(card, ws, engine=engine or ws.engine_name)
    prepared = prepare(card, ws, parameters=parameters, engine=engine)
    regions = regions or ws.regions()
    if not regions:
        raise WorkspaceError(
            f"工作区 {ws.home} 的数据中没有区划代码，无法逐县运行。",
            f"The data in workspace {ws.home} holds no county codes to run each county.",
        )
    # ws stays open: its lease keeps the snapshot every county reads until all are done
    started, wall = time.monotonic(), now_utc()
    results: list[RunResult] = []
    bar = tqdm(total=len(regions), desc=card.name, unit="county", disable=not progress)
    whole = computed_once(prepared, regions, bar=bar) if card.county_local else None
    if whole is not None:
        results = whole
    elif jobs <= 1:
        try:
            for region in regions:
                results.append(execute_on_warm_kernel(prepared, region))
                bar.update()
        finally:
            release_warm_kernel()
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        spawn = multiprocessing.get_context("spawn")  # fork would copy DuckDB's threads and locks
        with ProcessPoolExecutor(max_workers=jobs, mp_context=spawn) as pool:
            futures = [pool.submit(execute_on_warm_kernel, prepared, r) for r in regions]
            for future in as_completed(futures):
                results.append(future.result())
                bar.update()
    bar.close()
    results.sort(key=lambda r: str(r.manifest.get("region")))
    record_in_ledger(prepared.home, results)
    return _summarise(prepared, results, started, wall, jobs)


def computed_once(prepared: Prepared, regions: list[str], *, bar: Any) -> list[RunResult] | None:
    """A model whose card says ``county_local``: one run of every county, each on its own
    (``region = "*"``, :mod:`huiyan.counties`), its clues then split into one complete run
    folder per county.

    Each county's folder holds that county's clues (clues.parquet, clues.xlsx), its own
    manifest (its region, counts, blind spots, ``computed_in``: the whole run) and report,
    and the notebook of the whole run, which computed them. Returns None, and the caller
    runs each county on its own, when the whole run failed.
    """
    whole = execute(prepared, region=counties.EACH)
    if whole.status != "succeeded":
        return None
    # its clues reach the clue ledger through the county folders, each once
    whole.manifest["split_by_county"] = True
    write_manifest(whole.run_dir, whole.manifest)
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(whole.run_dir / "clues.parquet")
    results = []
    with _shared_records(whole, table) as records:
        for region in regions:
            part = table.filter(pc.equal(table["region"], region))
            results.append(_county_of(prepared, whole, region, part, records))
            bar.update()
    return results


@contextlib.contextmanager
def _shared_records(whole: RunResult, clues: Any) -> Iterator[Any]:
    """One reader of the workspace for every county's report, which has asked in advance,
    in one query each, for the dates of all the clues' records and the county of every
    planted record (the reports would otherwise ask county by county). None: each report
    opens its own."""
    from huiyan import evaluation
    from huiyan.report import records, timeline

    reader = records.open_for(whole.run_dir, whole.manifest)
    if reader is None:
        yield None
        return
    try:
        refs = clues.column("evidence").combine_chunks().flatten().to_pandas()
        reader.remember(
            refs, timeline.event_column, whole.manifest["model"], evaluation.region_columns()
        )
        yield reader
    finally:
        reader.close()


def _unread_of(whole: RunResult, region: str) -> dict[str, Any]:
    """The blind spots of ``region`` from the whole run's counts per county (zero where the
    county had no record of the rule)."""
    unread = whole.manifest.get("unread")
    if not unread:
        return {}
    none = {"candidates": 0, "unread": 0}
    mine = {rule: dict((c.get("counties") or {}).get(region, none)) for rule, c in unread.items()}
    return {"unread": mine, "vocabulary": whole.manifest.get("vocabulary")}


def _county_of(
    prepared: Prepared, whole: RunResult, region: str, clues: Any, records: Any
) -> RunResult:
    """The run folder of ``region`` from the whole run's clues of that county (``clues``);
    ``records``: the workspace reader its report shares with the other counties'."""
    import pyarrow.parquet as pq

    from huiyan.runs.folder import make_run_dir
    from huiyan.runs.runner import Slot, _audit, _finish, _manifest_start, _render, _stop_clock
    from huiyan.runs.saving import workbook_of_run

    card = prepared.card
    slot = Slot.new(prepared.home, card.name, region)
    run_dir = make_run_dir(prepared.home / "runs", card.name, slot.run_id)
    manifest = _manifest_start(prepared, slot.run_id, region, slot.started_wall)
    pq.write_table(clues, run_dir / "clues.parquet")  # with the whole run's rules and lineage
    shutil.copyfile(whole.run_dir / "notebook.ipynb", run_dir / "notebook.ipynb")
    frame = clues.to_pandas()
    docs = whole.manifest.get("rule_docs") or {}
    rules_zh = {code: str(doc.get("zh") or "") for code, doc in docs.items()}
    workbook_of_run(frame, run_dir, model=card.name, version=card.version, rules=rules_zh)
    manifest.update(
        status="succeeded",
        rule_docs=docs,
        lineage=whole.manifest.get("lineage") or {},
        computed_in={
            "run_id": whole.run_id,
            "run_dir": str(whole.run_dir),
            "region": counties.EACH,
        },
        **_unread_of(whole, region),
        **clue_counts(card, frame),
    )
    _stop_clock(manifest, slot.started)
    _render(run_dir, manifest, frame, records=records)
    manifest["timings"] = {"split": round(time.monotonic() - slot.started, 3)}
    result = RunResult(run_dir, _finish(run_dir, manifest, slot.started))
    _audit(prepared.home, result.manifest)
    return result


_warm: dict[str, Any] = {}
"""This process's kernel for ``--each-county`` (one per worker process), kept between counties."""


def execute_on_warm_kernel(prepared: Prepared, region: str) -> RunResult:
    """Run one county on this process's kernel, started once and reused county after county.

    Starting a kernel and loading the libraries costs a second or two; a province of 90
    counties pays it once per worker instead of 90 times. Each county still gets a whole
    notebook run of its own, in its own complete folder, exactly as a single-county run:
    the kernel forgets the previous county's variables first. A county that fails leaves
    the kernel to be replaced, so nothing of it reaches the next county.
    """
    from huiyan.runs.execution import start_kernel

    card = prepared.card
    assert card.notebook is not None
    kernel = _warm.get("kernel")
    fresh = kernel is None
    if kernel is None:
        kernel = start_kernel(kernel_env(card), cwd=card.notebook.parent)
        _warm["kernel"] = kernel
        atexit.register(release_warm_kernel)
    result = execute(prepared, region=region, kernel=kernel, keep_kernel=True, fresh_kernel=fresh)
    if result.status != "succeeded":
        release_warm_kernel()
    return result


def release_warm_kernel() -> None:
    """Shut down this process's ``--each-county`` kernel, if it has one."""
    from huiyan.runs.execution import stop_kernel

    stop_kernel(_warm.pop("kernel", None))


def _require_vetted(ws: Workspace, card: Any) -> None:
    from huiyan.catalog import records

    state = records.status(ws, card)
    if not state.vetted:
        edited = state.label == records.EDITED
        raise ModelError(
            f"模型 {card.ref} {'审核后被修改过' if edited else '未经审核'}，不能逐县运行。",
            f"Model {card.ref} is {'edited since it was vetted' if edited else 'not vetted'}; "
            "a province-wide run needs a vetted model.",
            f"请先审核 Vet it first: huiyan vet {card.ref}  "
            "（仅供试运行 for a trial only: --allow-unvetted）",
        )


def _summarise(
    prepared: Prepared, results: list[RunResult], started: float, wall: datetime, jobs: int
) -> ProvinceRun:
    card = prepared.card
    rows = []
    for r in results:
        region = str(r.manifest.get("region"))
        if r.status != "succeeded":
            rows.append(
                {"region": region, "run_id": r.run_id, "status": r.status, "rule": "", "clues": 0}
            )
            continue
        by_rule = r.manifest.get("clues_by_rule") or {}
        for code in card.rules:
            rows.append(
                {
                    "region": region,
                    "run_id": r.run_id,
                    "status": r.status,
                    "rule": code,
                    "clues": int(by_rule.get(code, 0)),
                }
            )
    import pandas as pd

    long = pd.DataFrame(rows, columns=["region", "run_id", "status", "rule", "clues"])
    ok = long[long.status == "succeeded"]
    table = ok.pivot_table(
        index="region", columns="rule", values="clues", aggfunc="sum", fill_value=0
    )
    table = table.reindex(columns=list(card.rules), fill_value=0)
    if len(table):
        table["合计 total"] = table.sum(axis=1)
        table.loc["合计 total"] = table.sum(axis=0)

    out = prepared.home / "runs" / card.name / f"province-{datetime.now():%Y%m%d-%H%M%S-%f}"
    out.mkdir(parents=True)
    long.to_csv(out / "summary.csv", index=False, encoding="utf-8-sig")
    summary = {
        "model": card.name,
        "model_version": card.version,
        "parameters": prepared.parameters,
        "engine": prepared.engine,
        "jobs": jobs,
        "started_at": wall.isoformat(),
        "ended_at": now_utc().isoformat(),
        "duration_s": round(time.monotonic() - started, 3),
        "datasets": prepared.datasets,
        "validation": prepared.validation,
        # a county-local model computed once over the whole workspace: that run
        "computed_in": _computed_in(results),
        "clue_count": int(ok.clues.sum()),
        "clues_by_rule": {c: int(ok.clues[ok.rule == c].sum()) for c in card.rules},
        "counties": [
            {
                "region": r.manifest.get("region"),
                "run_id": r.run_id,
                "run_dir": str(r.run_dir),
                "status": r.status,
                "clue_count": r.manifest.get("clue_count"),
                "clues_by_rule": r.manifest.get("clues_by_rule"),
                "error": r.manifest.get("error"),
            }
            for r in results
        ],
    }
    (out / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    return ProvinceRun(card.name, out, tuple(results), table)


def run_all(
    *, ws: Workspace | None = None, engine: Engine | None = None, progress: bool = False
) -> list[tuple[str, RunResult | HuiyanError]]:
    """Run every model in the catalog on the whole workspace; a failure does not stop the rest.

    The models run one after another on one kernel, which forgets each notebook before the
    next (as ``--each-county`` does), so the libraries load once, not once per model.
    """
    from huiyan import catalog
    from huiyan.runs.execution import start_kernel, stop_kernel
    from huiyan.workspace import workspace

    ws = ws or workspace()
    out: list[tuple[str, RunResult | HuiyanError]] = []
    # dashboards (cards without rules) summarise the ledger, so they run after the models
    cards = sorted(catalog.catalog(ws).cards, key=lambda c: not c.rules)
    kernel, fresh = None, True
    try:
        for card in cards:
            if kernel is None and card.notebook is not None:
                kernel, fresh = start_kernel(kernel_env(card), cwd=card.notebook.parent), True
            try:
                result = run(
                    card.ref,
                    ws=ws,
                    engine=engine,
                    progress=progress,
                    check=False,
                    kernel=kernel,
                    fresh_kernel=fresh,
                )
            except HuiyanError as err:  # refused before its notebook ran: the kernel is as it was
                out.append((card.ref, err))
                continue
            out.append((card.ref, result))
            fresh = False
            if result.status != "succeeded":  # a failed notebook may leave it in any state
                stop_kernel(kernel)
                kernel = None
    finally:
        stop_kernel(kernel)
    return out
