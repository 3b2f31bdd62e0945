"""One model run: check parameters, validate the inputs, execute the notebook with papermill.

The order matters: everything that can be checked is checked before the notebook
starts (parameters against the card, the county code, the input datasets'
quality), and the results go into the manifest. A run refused by those checks leaves
no folder. A run that fails once started keeps its folder with status ``failed``, the
error and the failing cell, and no clue files; a run interrupted with Ctrl-C leaves
nothing, and one whose process was killed is marked ``interrupted`` by the next command
that looks (:func:`huiyan.runs.folder.mark_interrupted`).

The run reads one snapshot of the workspace from start to end (:mod:`huiyan.snapshots`):
the one its checks validated, recorded per dataset in the manifest, whatever is ingested
while it runs.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import os
import re
import shutil
import socket
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from huiyan import interrupts, preload
from huiyan.catalog import ModelCard, check_parameters, notebook_parameters, promoted_module
from huiyan.errors import (
    HuiyanError,
    ModelError,
    ParameterError,
    RunFailed,
    ValidationFailed,
    WorkspaceError,
    did_you_mean,
)
from huiyan.runs import warm
from huiyan.runs.execution import (
    KERNEL_NAME,
    CellFailed,
    configure_kernel,
    execute_notebook,
    start_kernel,
    stop_kernel,
)
from huiyan.runs.folder import (
    make_run_dir,
    new_run_id,
    now_utc,
    package_versions,
    remove_clue_files,
    sha256,
    write_manifest,
)
from huiyan.runs.timings import Timings, since_process_start
from huiyan.workspace import Engine, Workspace

log = logging.getLogger(__name__)

__all__ = ["KERNEL_NAME", "Prepared", "RunResult", "Slot", "execute", "prepare", "run"]


@dataclass(frozen=True)
class Prepared:
    """A model checked and ready to execute: the same for every county of a province run."""

    card: ModelCard
    parameters: dict[str, Any]
    engine: str
    datasets: dict[str, Any] = field(hash=False)
    validation: dict[str, Any] = field(hash=False)
    home: Path = Path()
    snapshot: str = field(default="", hash=False, repr=False)
    """The catalog (JSON) of the snapshot that was checked: every notebook reads exactly it."""


@dataclass(frozen=True)
class RunResult:
    """The outcome of one run: its folder, status and clue counts (the manifest in full)."""

    run_dir: Path
    manifest: dict[str, Any] = field(hash=False, repr=False)

    @property
    def run_id(self) -> str:
        return str(self.manifest["run_id"])

    @property
    def status(self) -> str:
        return str(self.manifest["status"])

    @property
    def clue_count(self) -> int:
        return int(self.manifest.get("clue_count") or 0)

    @property
    def report(self) -> Path:
        return self.run_dir / "report.html"

    @property
    def workbook(self) -> Path:
        return self.run_dir / "clues.xlsx"


@dataclass(frozen=True)
class Slot:
    """A run's identity and start, fixed before its checks so its kernel can boot meanwhile."""

    run_id: str
    run_dir: Path
    started_wall: datetime
    started: float

    @classmethod
    def new(cls, home: Path, model: str, region: str) -> Slot:
        run_id = new_run_id(region)
        return cls(run_id, home / "runs" / model / run_id, now_utc(), time.monotonic())

    def env(self, card: ModelCard, home: Path, engine: str, snapshot: str) -> dict[str, str]:
        """The environment of the run's kernel (read by hy.workspace and hy.runs.save).

        ``snapshot`` is the catalog the runner checked and validated: the notebook reads
        exactly those table versions, whatever is ingested meanwhile.
        """
        return {
            "HUIYAN_HOME": str(home),
            "HUIYAN_SNAPSHOT": snapshot,
            "HUIYAN_RUN_DIR": str(self.run_dir),
            "HUIYAN_MODEL": card.name,
            "HUIYAN_MODEL_VERSION": card.version,
            "HUIYAN_RUN_STARTED": self.started_wall.isoformat(),
            "HUIYAN_ENGINE": engine,
        }


# ----------------------------------------------------------------------------- checks


def _quality() -> Any:
    """The quality gate module, or None while it is not installed."""
    try:
        return importlib.import_module("huiyan.quality")
    except ImportError:
        return None


def fingerprint(ws: Workspace, name: str) -> dict[str, Any]:
    """Row count, content hash and snapshot version of one dataset, as the run reads it."""
    snap = ws.snapshot(name)
    return {
        "rows": snap.rows,
        "fingerprint": snap.fingerprint,
        "snapshot": snap.version,
        "published_at": snap.published_at,
    }


def validate(ws: Workspace, datasets: tuple[str, ...]) -> dict[str, Any]:
    """Run the quality gate on ``datasets``; raise ValidationFailed when an expectation fails."""
    quality = _quality()
    if quality is None:
        log.warning("huiyan.quality is not available: the inputs were not validated")
        return {"ok": None, "skipped": "huiyan.quality 不可用 not available"}
    report = quality.validate(ws, list(datasets))
    result = dict(report.to_dict())
    result.setdefault("ok", bool(report.ok))
    if not report.ok:
        raise ValidationFailed(
            "输入数据未通过质量校验，模型没有运行：\n" + report.format(),
            "The input data failed its quality expectations; the model did not run.",
            "请先修正数据后重新导入 Fix the data, re-ingest it, then run again "
            f"(huiyan validate {' '.join(datasets)}).",
            report=report,
        )
    return result


def _check_datasets(ws: Workspace, card: ModelCard) -> None:
    tables = ws.tables()
    missing = [d for d in card.datasets if d not in tables]
    if missing:
        raise WorkspaceError(
            f"工作区 {ws.home} 缺少模型 {card.name} 需要的数据集：{', '.join(missing)}。",
            f"Workspace {ws.home} lacks datasets model {card.name} needs: {', '.join(missing)}.",
            "请先导入 Load them with: huiyan ingest DATASET FILE  或 or  huiyan synth --scale tiny",
        )


def check_region(ws: Workspace, region: str) -> None:
    """A county code must be six digits and present in the workspace's data."""
    if not region:
        return
    if not re.fullmatch(r"\d{6}", region):
        raise ParameterError(
            f'区划代码 "{region}" 无效，应为 6 位数字（如 330602）。',
            f'County code "{region}" is not valid; use 6 digits such as 330602.',
        )
    present = ws.regions()
    if region not in present:
        raise ParameterError(
            f'工作区数据中没有区划 "{region}"。{did_you_mean(region, present)}',
            f'There is no county "{region}" in the workspace data.',
            f"可用区划 Counties: {', '.join(present[:20]) or '无 none'}",
        )


def _check_notebook(card: ModelCard) -> None:
    if card.notebook is None or not card.notebook.exists():
        raise ModelError(
            f"模型 {card.name} 的笔记本 {card.notebook} 不存在。",
            f"The notebook of model {card.name} ({card.notebook}) does not exist.",
        )


def prepare(
    card: ModelCard,
    ws: Workspace,
    *,
    parameters: Mapping[str, Any] | None = None,
    engine: Engine | None = None,
    validate_inputs: bool = True,
) -> Prepared:
    """Check the parameters, the datasets and their quality once, before any notebook runs."""
    _check_notebook(card)
    given = dict(parameters or {})
    given.pop("region", None)
    values = check_parameters(card, given)
    _check_datasets(ws, card)
    validation = validate(ws, card.datasets) if validate_inputs else {"ok": None, "skipped": "off"}
    datasets = {name: fingerprint(ws, name) for name in card.datasets}
    return Prepared(
        card, values, engine or ws.engine_name, datasets, validation, ws.home, ws.catalog.pinned()
    )


def checking_workspace(ws: Workspace | None, engine: Engine | None) -> tuple[Workspace, Engine]:
    """The workspace the runner checks and validates in (always DuckDB), and the run's engine.

    A Spark run still checks parameters, fingerprints and quality against the workspace's
    snapshot, which is what Spark reads (exported as Parquet).
    """
    from huiyan.workspace import workspace

    ws = ws or workspace()
    engine = engine or ws.engine_name
    if ws.engine_name != "duckdb":
        ws = workspace(ws.home, engine="duckdb")
    return ws, engine


def prepare_inputs(card: ModelCard, ws: Workspace, *, engine: str) -> None:
    """Bring derived data up to date before the notebook runs, then read the newest snapshot.

    A promoted model's module may define ``prepare(ws)`` (insurance_fraud parses new
    judgments into the derived tables; a no-op when nothing is new). A model started from
    a promoted one (``derived_from`` on its card) gets the same preparation, and any model
    that reads ``judgments`` has them read first, so a notebook rule can use the text reader.
    A Spark run needs the snapshot exported as Parquet.
    """
    hook = None
    for name in dict.fromkeys([card.name, card.derived_from.partition("@")[0]]):
        if _may_prepare(name):
            with preload.LOCK:
                hook = hook or getattr(promoted_module(name), "prepare", None)
    if hook is not None:
        with preload.LOCK:  # it may import ibis first in this process
            hook(ws)
    elif "judgments" in card.datasets:
        from huiyan.judgments import freshness

        if not freshness.up_to_date(ws):  # usually they are: the parser is not even loaded
            with preload.LOCK:
                from huiyan import judgments

                judgments.parse_workspace(ws)
    ws.refresh()
    if engine == "spark" and not ws.settings.get("spark", {}).get("data"):
        from huiyan import spark  # a cluster's own data folder ([spark] data) is never overwritten

        spark.export_parquet(ws)


def _may_prepare(name: str) -> bool:
    """Whether the promoted module ``name`` may define ``prepare``: its source has ``def prepare``.

    Most models have nothing to prepare; reading the source instead of importing the module
    keeps ibis out of this process until it is needed (the kernel imports the module). A
    model whose preparation is reading its judgments says so by reading ``judgments``.
    """
    import importlib.util

    if not name:
        return False
    try:
        spec = importlib.util.find_spec(f"huiyan.models.{name}")
    except (ImportError, ValueError):
        return True  # let promoted_module say what is wrong
    if spec is None:
        return False
    try:
        source = Path(spec.origin).read_text(encoding="utf-8") if spec.origin else None
    except OSError:
        return True
    return source is None or re.search(r"^def prepare\b", source, re.MULTILINE) is not None


def record_in_ledger(home: Path, results: list[RunResult]) -> None:
    """Take the clues of every succeeded run (and of any run the ledger missed) into the ledger.

    The run has succeeded whatever happens here: if the ledger cannot be written now, it
    takes these clues in with the next run or ``huiyan clues``.
    """
    from huiyan import ledger
    from huiyan.workspace import workspace

    if not any(r.status == "succeeded" for r in results):
        return
    try:
        for intake in ledger.catch_up(workspace(home)):
            log.info(
                "ledger %s: %s new, %s seen again", intake.run_id, intake.new, intake.seen_again
            )
    except HuiyanError as err:
        log.warning("the clue ledger will take this run in later: %s", err.en)


# ----------------------------------------------------------------------------- execution


def _manifest_start(
    prepared: Prepared, run_id: str, region: str, started: datetime
) -> dict[str, Any]:
    card = prepared.card
    assert card.notebook is not None
    return {
        "model": card.name,
        "model_version": card.version,
        "title_zh": card.title_zh,
        "run_id": run_id,
        "region": region,
        "parameters": {"region": region, **prepared.parameters},
        "engine": prepared.engine,
        "status": "running",
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started_at": started.isoformat(),
        "ended_at": None,
        "duration_s": None,
        "notebook": str(card.notebook),
        "notebook_sha256": sha256(card.notebook),
        "rules": list(card.rules),
        "rule_docs": rule_docs(card),
        "datasets": prepared.datasets,
        "validation": prepared.validation,
        "vetting": _vetting(prepared),
        "clue_count": None,
        "clues_by_rule": {},
        "clues_by_region": {},
        "packages": package_versions(),
        "python": sys.version.split()[0],
    }


def _vetting(prepared: Prepared) -> dict[str, Any]:
    """Whether the model is vetted in the workspace, and by which key (see huiyan.vetting)."""
    from huiyan.catalog import records

    return records.summary(prepared.home, prepared.card)


def _audit(home: Path, manifest: dict[str, Any]) -> None:
    """Append the finished run to the workspace's audit log (see huiyan.audit)."""
    from huiyan import audit

    audit.record(
        Workspace(home),
        "run",
        model=manifest.get("model"),
        version=manifest.get("model_version"),
        run_id=manifest.get("run_id"),
        region=manifest.get("region"),
        status=manifest.get("status"),
        parameters=manifest.get("parameters"),
        datasets={k: v.get("fingerprint") for k, v in (manifest.get("datasets") or {}).items()},
        notebook_sha256=manifest.get("notebook_sha256"),
        vetted=(manifest.get("vetting") or {}).get("vetted"),
    )


def _stop_clock(manifest: dict[str, Any], started: float) -> None:
    manifest["ended_at"] = now_utc().isoformat()
    manifest["duration_s"] = round(time.monotonic() - started, 3)


def _finish(run_dir: Path, manifest: dict[str, Any], started: float) -> dict[str, Any]:
    if manifest.get("ended_at") is None:
        _stop_clock(manifest, started)
    write_manifest(run_dir, manifest)
    return manifest


def _read_clues(run_dir: Path, card: ModelCard) -> Any:
    """The clues the notebook saved, checked against the contract schema and the card's rules."""
    import pyarrow.parquet as pq

    from huiyan.clues import SCHEMA

    path = run_dir / "clues.parquet"
    if not path.exists():
        raise ModelError(
            f"模型 {card.name} 的笔记本没有保存线索（缺少 hy.runs.save(found)）。",
            f"The notebook of model {card.name} saved no clues (hy.runs.save(found) is missing).",
            "请在报告阶段调用 Call hy.runs.save(found) in the report stage.",
        )
    table = pq.read_table(path)
    if not table.schema.equals(SCHEMA):
        raise ModelError(
            f"模型 {card.name} 的线索文件不符合线索表结构。",
            f"The clue file of model {card.name} does not have the contract schema: {table.schema}",
        )
    frame = table.to_pandas()
    unknown = sorted(set(frame.rule) - set(card.rules))
    if unknown:
        raise ModelError(
            f"线索中有模型卡未列出的规则编号：{', '.join(unknown)}（模型卡 rules：{', '.join(card.rules) or '空'}）。",
            f"The clues hold rule codes the model card does not list: {', '.join(unknown)}.",
            "请把规则编号加入模型卡 rules，或改正编号 Add the codes to the card's rules or fix them.",
        )
    return frame


def _failed_cell(notebook: Path) -> int | None:
    """The index of the cell papermill marked as failed in the executed notebook."""
    import json

    with contextlib.suppress(OSError, ValueError):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for i, cell in enumerate(cells):
            if cell.get("metadata", {}).get("papermill", {}).get("exception"):
                return i
    return None


def _cell_error(err: Any, notebook: Path) -> tuple[str, str, dict[str, Any]]:
    source = str(getattr(err, "source", "") or "")
    first = next((line for line in source.splitlines() if line.strip()), "")
    cell = {
        "cell": _failed_cell(notebook),
        "execution_count": getattr(err, "exec_count", None),
        "cell_source": source[:2000],
        "type": str(getattr(err, "ename", type(err).__name__)),
    }
    evalue = str(getattr(err, "evalue", err)).strip()
    # the executed notebook shows "In [n]" and a red link to the cell; the manifest's "cell" is
    # the 0-based index of that cell in notebook.ipynb
    zh = (
        f"笔记本单元格 In [{cell['execution_count']}]（{first[:80]}）出错：{cell['type']}: {evalue}"
    )
    en = f"Notebook cell In [{cell['execution_count']}] ({first[:80]}) raised {cell['type']}: {evalue}"
    return zh, en, cell


def execute(
    prepared: Prepared,
    *,
    region: str = "",
    progress: bool = False,
    slot: Slot | None = None,
    kernel: Any = None,
    keep_kernel: bool = False,
    fresh_kernel: bool = True,
    timings: Timings | None = None,
) -> RunResult:
    """Execute a prepared model for ``region`` into a new run folder; RunFailed when it fails.

    ``slot`` and ``kernel`` come from :func:`run`, which starts the kernel before validating;
    without them the kernel starts here. The kernel is shut down when the notebook ends,
    unless ``keep_kernel``: ``--each-county`` runs county after county on one kernel
    (``fresh_kernel=False`` for all but the first), each into its own complete folder.
    """
    card = prepared.card
    assert card.notebook is not None
    timings = timings or Timings()
    slot = slot or Slot.new(prepared.home, card.name, region)
    started = slot.started
    manifest = _manifest_start(prepared, slot.run_id, region, slot.started_wall)
    params = dict(prepared.parameters)
    if "region" in notebook_parameters(card.notebook):
        params = {"region": region, **params}
    clues = None
    run_dir = make_run_dir(prepared.home / "runs", card.name, slot.run_id)
    try:  # from the folder's first moment: a Ctrl-C removes it (below)
        write_manifest(run_dir, manifest)
        if kernel is None:
            with timings.stage("kernel_start"):
                kernel = start_kernel(kernel_env(card), cwd=card.notebook.parent)
        with timings.stage("kernel_ready"):
            configure_kernel(
                kernel,
                {
                    **slot.env(card, prepared.home, prepared.engine, prepared.snapshot),
                    "HUIYAN_REGION": region,  # "*": each county on its own (huiyan.counties)
                },
                cwd=card.notebook.parent,
                fresh=fresh_kernel,
            )
        try:
            with timings.stage("notebook"):
                execute_notebook(
                    card.notebook,
                    run_dir / "notebook.ipynb",
                    parameters=params,
                    kernel=kernel,
                    progress=progress,
                    keep_kernel=keep_kernel,
                )
        except CellFailed as cell_failed:
            zh, en, cell = _cell_error(cell_failed.error, run_dir / "notebook.ipynb")
            raise _Failure(zh, en, cell) from cell_failed.error
        finally:
            if not keep_kernel:
                stop_kernel(kernel)  # a no-op when the notebook ended: papermill stopped it
        with timings.stage("clues"):
            preload.settle()
            clues = _read_clues(run_dir, card)
    except Exception as err:  # any failure is recorded in the folder, never half a result
        if interrupts.was_interrupted():  # Ctrl-C reached the kernel: nothing is kept
            shutil.rmtree(run_dir, ignore_errors=True)
            raise KeyboardInterrupt from err
        failed = _fail(run_dir, manifest, started, err)
        _audit(prepared.home, failed.manifest)
        return failed
    except BaseException:  # Ctrl-C: the half-made run folder goes, as if never started
        stop_kernel(kernel)
        shutil.rmtree(run_dir, ignore_errors=True)
        raise
    with timings.stage("clues"):
        from huiyan.runs.saving import rules_of

        recorded = rules_of(run_dir / "clues.parquet")
    manifest.update(rule_docs=rule_docs(card, recorded["rules"]), lineage=recorded["lineage"])
    manifest.update(_reading(run_dir))  # blind spots and vocabulary, when the notebook saved them
    manifest.update(status="succeeded", **clue_counts(card, clues))
    _stop_clock(manifest, started)
    with timings.stage("report"):
        _render(run_dir, manifest, clues)
    with timings.stage("manifest"):
        manifest["timings"] = timings.to_dict()
        result = RunResult(run_dir, _finish(run_dir, manifest, started))
        _audit(prepared.home, result.manifest)
    return result


def clue_counts(card: ModelCard, clues: Any) -> dict[str, Any]:
    """The manifest's ``clue_count``, ``clues_by_rule`` and ``clues_by_region`` of a clue frame."""
    return {
        "clue_count": len(clues),
        "clues_by_rule": {r: int((clues.rule == r).sum()) for r in card.rules},
        "clues_by_region": {str(k): int(v) for k, v in clues.groupby("region").size().items()},
    }


def _reading(run_dir: Path) -> dict[str, Any]:
    """``unread`` and ``vocabulary`` that ``hy.runs.save`` left in the run folder, moved out of it."""
    from huiyan.runs.saving import READING

    path = run_dir / READING
    if not path.exists():
        return {}
    found = json.loads(path.read_text(encoding="utf-8"))
    path.unlink()
    return {k: v for k, v in found.items() if k in ("unread", "vocabulary")}


class _Failure(Exception):
    """A notebook cell failed (papermill marked it in notebook.ipynb)."""

    def __init__(self, zh: str, en: str, cell: dict[str, Any]) -> None:
        super().__init__(en)
        self.zh, self.en, self.cell = zh, en, cell


def _fail(run_dir: Path, manifest: dict[str, Any], started: float, err: BaseException) -> RunResult:
    remove_clue_files(run_dir)
    if isinstance(err, _Failure):
        error = {"zh": err.zh, "en": err.en, **err.cell}
    elif isinstance(err, HuiyanError):
        error = {
            "zh": err.zh,
            "en": err.en,
            "hint": err.hint,
            "type": type(err).__name__,
            "cell": None,
        }
    else:
        error = {
            "zh": f"运行出错：{type(err).__name__}: {err}",
            "en": f"The run failed: {type(err).__name__}: {err}",
            "type": type(err).__name__,
            "cell": None,
        }
    manifest.update(status="failed", error=error, clue_count=None)
    _stop_clock(manifest, started)
    with contextlib.suppress(Exception):  # the report of a failure must not hide the failure
        _render(run_dir, manifest, None)
    _finish(run_dir, manifest, started)
    return RunResult(run_dir, manifest)


def rule_docs(card: ModelCard, recorded: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The manifest's ``rule_docs``: each rule's supervision point, legal basis and where it is written.

    The card's documentation of a rule comes first; a rule the card lists by code only is
    documented by its own ``@hy.rules.rule`` (in a notebook cell or a promoted module), as
    the notebook recorded it in clues.parquet (``recorded``, see
    :func:`huiyan.runs.saving.rules_of`).
    """
    recorded = recorded or {}
    docs = {}
    for code in dict.fromkeys([*card.rules, *recorded]):
        own, card_doc = recorded.get(code) or {}, card.rule_doc(code)
        docs[code] = {
            "zh": card_doc.zh or str(own.get("zh") or ""),
            "basis": card_doc.basis or str(own.get("basis") or ""),
            "defined_in": own.get("defined_in"),
        }
    return docs


def _render(run_dir: Path, manifest: dict[str, Any], clues: Any, *, records: Any = None) -> None:
    """Write the run's report; ``records``: a reader of the workspace to share (else its own)."""
    from huiyan import report

    docs = manifest.get("rule_docs") or {}
    zh = {code: str(doc.get("zh") or "") for code, doc in docs.items()}
    report.render(run_dir, manifest, clues=clues, rules_zh=zh, ws=records)


def failure(result: RunResult) -> RunFailed:
    """The bilingual RunFailed error for a failed run, naming its folder."""
    err = result.manifest.get("error") or {}
    where = result.run_dir
    exc = RunFailed(
        f"模型 {result.manifest['model']} 运行失败：{err.get('zh', '')}\n运行目录（含错误记录）：{where}",
        f"Model {result.manifest['model']} failed: {err.get('en', '')}\nRun folder (with the error): {where}",
        err.get("hint")
        or f"打开 Open {where / 'notebook.ipynb'} 查看出错的单元格 to see the failing cell.",
    )
    exc.run_dir = where  # type: ignore[attr-defined]
    return exc


def run(
    model: str,
    *,
    ws: Workspace | None = None,
    region: str = "",
    engine: Engine | None = None,
    parameters: Mapping[str, Any] | None = None,
    progress: bool = False,
    check: bool = True,
    warm_kernel: bool = False,
    kernel: Any = None,
    fresh_kernel: bool = True,
) -> RunResult:
    """Run one model: check, validate, execute its notebook into ``runs/<model>/<run_id>/``.

    Args:
        model: the model name (``name@version`` for one version) from the catalog.
        ws: the workspace; default the current one, opened read-only.
        region: a county code, or "" for the whole workspace.
        engine: "duckdb" or "spark"; default the workspace's setting.
        parameters: parameter values by name (strings are read as the card's types).
        progress: show papermill's cell progress bar.
        check: raise RunFailed when the run fails (else return the failed result).
        warm_kernel: run on the kernel a previous run of this model left loaded, and leave
            this one's for the next (:mod:`huiyan.runs.warm`; the command line does).
        kernel: a kernel from :func:`~huiyan.runs.execution.start_kernel` that the caller
            keeps for several runs (``run --all``); it is left running. ``fresh_kernel``:
            no notebook has run on it yet (else it first forgets the previous one).

    Returns:
        RunResult: the run folder and its manifest.

    Raises:
        ModelError: the model is not in the catalog or its notebook is missing.
        ParameterError: a parameter or the county code is not valid.
        ValidationFailed: the input data failed its quality expectations.
            None of these three leaves a run folder: the run never started.
        RunFailed: the run failed; its folder holds the manifest with the error.
    """
    from huiyan import catalog

    timings = Timings()
    started = since_process_start()
    if started is not None and "HUIYAN_CLI" in os.environ:
        timings.add("startup", started)
    ws, engine = checking_workspace(ws, engine)
    engine = engine or ws.engine_name
    with timings.stage("catalog"):
        card = catalog.get(model, ws)
    slot = Slot.new(ws.home, card.name, region)
    given, reused = kernel, not fresh_kernel
    try:
        _check_notebook(card)
        # the kernel boots (and loads the libraries) while everything below is checked; it
        # learns its run folder and the snapshot to read just before the notebook starts
        if given is None:
            with timings.stage("kernel_start"):
                kernel, reused = _kernel_for(card, ws.home, warm_kernel)
        _preload_papermill()
        # everything that can refuse the run is checked before its folder exists
        with timings.stage("checks"):
            check_region(ws, region)
            check_parameters(card, {k: v for k, v in (parameters or {}).items() if k != "region"})
        with timings.stage("inputs"):
            prepare_inputs(card, ws, engine=engine)
        with timings.stage("validation"):
            prepared = prepare(card, ws, parameters=parameters, engine=engine)
    except BaseException:
        if given is None:
            stop_kernel(kernel)
        raise
    result = execute(
        prepared,
        region=region,
        progress=progress,
        slot=slot,
        kernel=kernel,
        keep_kernel=given is not None or isinstance(kernel, warm.WarmKernel),
        fresh_kernel=not reused,
        timings=timings,
    )
    if isinstance(kernel, warm.WarmKernel):  # one whose notebook failed may be in any state
        (kernel.park if result.status == "succeeded" else kernel.stop)()
    with timings.stage("ledger"):
        record_in_ledger(ws.home, [result])
    result.manifest["timings"] = timings.to_dict()
    if check and result.status != "succeeded":
        raise failure(result)
    return result


def _kernel_for(card: ModelCard, home: Path, warm_kernel: bool) -> tuple[Any, bool]:
    """The run's kernel, and whether it is a warm one already used by an earlier run."""
    assert card.notebook is not None
    if not warm_kernel:
        return start_kernel(kernel_env(card), cwd=card.notebook.parent), False
    try:
        kernel = warm.claim(home, card.name)
    except OSError:  # a workspace this user cannot write: runs as without warm kernels
        kernel = None
    if kernel is not None:
        return kernel, True
    options = warm.kernel_options(home)
    km = start_kernel(
        {**kernel_env(card), **options["env"]}, cwd=card.notebook.parent, detached=True
    )
    try:
        return warm.adopt(home, card.name, km), False
    except OSError:
        stop_kernel(km)
        return start_kernel(kernel_env(card), cwd=card.notebook.parent), False


def kernel_env(card: ModelCard) -> dict[str, str]:
    """What a kernel needs before it knows its run: the model, for its warm-up imports."""
    return {"HUIYAN_MODEL": card.name}


def _preload_papermill() -> None:
    """Import papermill in the background while the inputs are checked (~0.5 s), then what
    reads the clues and writes the report, while the notebook runs in the kernel."""
    from huiyan.runs.execution import papermill

    preload.start(
        [papermill, "pandas", "huiyan.runs.saving", "huiyan.report", "huiyan.runs.workbook"]
    )
