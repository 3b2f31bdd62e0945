"""One model run: check parameters, validate the inputs, execute the notebook with papermill.

The order matters: everything that can be checked is checked before the notebook
starts (parameters against the card, the county code, the input datasets'
quality), and the results go into the manifest. A failed run keeps its folder
with status ``failed``, the error and the failing cell, and no clue files.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import re
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from huiyan.catalog import ModelCard, check_parameters, notebook_parameters
from huiyan.errors import (
    HuiyanError,
    ModelError,
    ParameterError,
    RunFailed,
    ValidationFailed,
    WorkspaceError,
    did_you_mean,
)
from huiyan.runs.execution import (
    KERNEL_NAME,
    CellFailed,
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

    def env(self, card: ModelCard, home: Path, engine: str) -> dict[str, str]:
        """The environment of the run's kernel (read by hy.workspace and hy.runs.save)."""
        return {
            "HUIYAN_HOME": str(home),
            "HUIYAN_READ_ONLY": "1",
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
    """Row count and a content hash of one dataset (order-independent)."""
    quality = _quality()
    shared = getattr(quality, "fingerprint", None) if quality else None
    if shared is not None:  # the quality gate's "rows:hash", so its cache and the manifest agree
        value = str(shared(ws, name))
        rows, _, _ = value.partition(":")
        if rows.isdigit():
            return {"rows": int(rows), "fingerprint": value}
    raw = ws.con.con  # the DuckDB connection under the ibis backend
    count, digest = raw.execute(f'SELECT count(*), bit_xor(hash(t)) FROM "{name}" t').fetchone()
    return {"rows": int(count), "fingerprint": f"{int(count)}:{int(digest or 0):016x}"}


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
    tables = ws.con.list_tables()
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


def prepare(
    card: ModelCard,
    ws: Workspace,
    *,
    parameters: Mapping[str, Any] | None = None,
    engine: Engine | None = None,
    validate_inputs: bool = True,
) -> Prepared:
    """Check the parameters, the datasets and their quality once, before any notebook runs."""
    if card.notebook is None or not card.notebook.exists():
        raise ModelError(
            f"模型 {card.name} 的笔记本 {card.notebook} 不存在。",
            f"The notebook of model {card.name} ({card.notebook}) does not exist.",
        )
    given = dict(parameters or {})
    given.pop("region", None)
    values = check_parameters(card, given)
    _check_datasets(ws, card)
    validation = validate(ws, card.datasets) if validate_inputs else {"ok": None, "skipped": "off"}
    datasets = {name: _fingerprint(ws, name, validation) for name in card.datasets}
    return Prepared(card, values, engine or ws.engine_name, datasets, validation, ws.home)


def _fingerprint(ws: Workspace, name: str, validation: Mapping[str, Any]) -> dict[str, Any]:
    """The row count and fingerprint validation just took (the same), else one of our own."""
    result = (validation.get("datasets") or {}).get(name)
    if isinstance(result, Mapping) and isinstance(result.get("rows"), int):
        fp = str(result.get("fingerprint") or "")
        if fp.partition(":")[0] == str(result["rows"]):
            return {"rows": int(result["rows"]), "fingerprint": fp}
    return fingerprint(ws, name)


def checking_workspace(ws: Workspace | None, engine: Engine | None) -> tuple[Workspace, Engine]:
    """The workspace the runner checks and validates in (always DuckDB), and the run's engine.

    A Spark run still checks parameters, fingerprints and quality against the workspace's
    DuckDB database, whose tables are what Spark reads (exported as Parquet).
    """
    from huiyan.workspace import workspace

    ws = ws or workspace(read_only=True)
    engine = engine or ws.engine_name
    if ws.engine_name != "duckdb":
        ws = workspace(ws.home, read_only=True, engine="duckdb")
    return ws, engine


def prepare_inputs(card: ModelCard, ws: Workspace, *, engine: str) -> None:
    """Work that needs a writable database, done once before any notebook opens it read-only.

    A model module may define ``prepare(ws)`` (insurance_fraud parses new judgments into the
    derived tables); a Spark run needs the workspace's tables exported as Parquet.
    """
    from huiyan.workspace import workspace

    try:
        module = importlib.import_module(f"huiyan.models.{card.name}")
    except ModuleNotFoundError as err:
        if err.name != f"huiyan.models.{card.name}":
            raise  # the model's own module is broken: say so, never skip its preparation
        module = None
    hook = getattr(module, "prepare", None)
    if hook is None and engine != "spark":
        return
    ws.close()  # DuckDB refuses a second connection with another mode in the same process
    with workspace(ws.home, read_only=False, engine="duckdb") as writable:
        if hook is not None:
            hook(writable)
    if engine == "spark" and not ws.settings.get("spark", {}).get("data"):
        from huiyan import spark  # a cluster's own data folder ([spark] data) is never overwritten

        spark.export_parquet(ws)


def record_in_ledger(home: Path, results: list[RunResult]) -> None:
    """Take the clues of every succeeded run (and of any run the ledger missed) into the ledger.

    The run has succeeded whatever happens here: when the database is busy (another run or an
    open notebook), the ledger takes these clues in with the next run or ``huiyan clues``.
    """
    from huiyan import ledger
    from huiyan.workspace import workspace

    if not any(r.status == "succeeded" for r in results):
        return
    try:
        with workspace(home, read_only=False, engine="duckdb") as ws:
            for intake in ledger.catch_up(ws):
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
        "started_at": started.isoformat(),
        "ended_at": None,
        "duration_s": None,
        "notebook": str(card.notebook),
        "notebook_sha256": sha256(card.notebook),
        "rules": list(card.rules),
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
    from huiyan import vetting

    return vetting.summary(prepared.home, prepared.card)


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
) -> RunResult:
    """Execute a prepared model for ``region`` into a new run folder; RunFailed when it fails.

    ``slot`` and ``kernel`` come from :func:`run`, which starts the kernel (with the slot's
    environment) before validating; without them the kernel starts here. Either way the
    kernel is shut down when the notebook ends.
    """
    card = prepared.card
    assert card.notebook is not None
    slot = slot or Slot.new(prepared.home, card.name, region)
    started = slot.started
    run_dir = make_run_dir(prepared.home / "runs", card.name, slot.run_id)
    manifest = _manifest_start(prepared, slot.run_id, region, slot.started_wall)
    write_manifest(run_dir, manifest)
    params = dict(prepared.parameters)
    if "region" in notebook_parameters(card.notebook):
        params = {"region": region, **params}
    clues = None
    try:
        if kernel is None:
            kernel = start_kernel(
                slot.env(card, prepared.home, prepared.engine), cwd=card.notebook.parent
            )
        try:
            execute_notebook(
                card.notebook,
                run_dir / "notebook.ipynb",
                parameters=params,
                kernel=kernel,
                progress=progress,
            )
        except CellFailed as cell_failed:
            zh, en, cell = _cell_error(cell_failed.error, run_dir / "notebook.ipynb")
            raise _Failure(zh, en, cell) from cell_failed.error
        finally:
            stop_kernel(kernel)  # a no-op when the notebook ended: papermill stopped it then
        clues = _read_clues(run_dir, card)
    except Exception as err:  # any failure is recorded in the folder, never half a result
        failed = _fail(run_dir, manifest, started, err)
        _audit(prepared.home, failed.manifest)
        return failed
    manifest.update(_reading(run_dir))  # blind spots and vocabulary, when the notebook saved them
    manifest.update(
        status="succeeded",
        clue_count=len(clues),
        clues_by_rule={r: int((clues.rule == r).sum()) for r in card.rules},
        clues_by_region={str(k): int(v) for k, v in clues.groupby("region").size().items()},
    )
    _stop_clock(manifest, started)
    _render(run_dir, manifest, clues)
    result = RunResult(run_dir, _finish(run_dir, manifest, started))
    _audit(prepared.home, result.manifest)
    return result


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


def _render(run_dir: Path, manifest: dict[str, Any], clues: Any) -> None:
    from huiyan import report, rules

    codes = list(manifest.get("rules") or [])
    with contextlib.suppress(Exception):
        if not all(c in rules.REGISTRY for c in codes):  # the model's module is usually loaded
            rules._load_models()
    zh = {c: rules.REGISTRY[c].zh for c in codes if c in rules.REGISTRY}
    report.render(run_dir, manifest, clues=clues, rules_zh=zh)


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


def _report_dict(err: HuiyanError) -> dict[str, Any]:
    report = getattr(err, "report", None) if isinstance(err, ValidationFailed) else None
    to_dict = getattr(report, "to_dict", None)
    return dict(to_dict()) if callable(to_dict) else {}


def fail_early(
    card: ModelCard, home: Path, region: str, parameters: Mapping[str, Any], err: HuiyanError
) -> RunResult:
    """Record a run refused before execution (bad parameter, failed validation) as a failed run."""
    started_wall = now_utc()
    run_id = new_run_id(region)
    run_dir = make_run_dir(home / "runs", card.name, run_id)
    manifest: dict[str, Any] = {
        "model": card.name,
        "model_version": card.version,
        "title_zh": card.title_zh,
        "run_id": run_id,
        "region": region,
        "parameters": {"region": region, **{k: str(v) for k, v in parameters.items()}},
        "engine": None,
        "status": "failed",
        "started_at": started_wall.isoformat(),
        "notebook": str(card.notebook),
        "notebook_sha256": sha256(card.notebook)
        if card.notebook and card.notebook.exists()
        else None,
        "rules": list(card.rules),
        "datasets": {},
        "validation": _report_dict(err),
        "packages": package_versions(),
    }
    failed = _fail(run_dir, manifest, time.monotonic(), err)
    _audit(home, failed.manifest)
    return failed


def run(
    model: str,
    *,
    ws: Workspace | None = None,
    region: str = "",
    engine: Engine | None = None,
    parameters: Mapping[str, Any] | None = None,
    progress: bool = False,
    check: bool = True,
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

    Returns:
        RunResult: the run folder and its manifest.

    Raises:
        ModelError: the model is not in the catalog (no folder is made).
        RunFailed: the run failed; its folder holds the manifest with the error.
    """
    from huiyan import catalog

    ws, engine = checking_workspace(ws, engine)
    card = catalog.get(model, ws)
    slot = Slot.new(ws.home, card.name, region)
    kernel = None
    try:
        check_region(ws, region)
        check_parameters(card, {k: v for k, v in (parameters or {}).items() if k != "region"})
        if card.notebook is not None and card.notebook.exists():
            # the kernel boots while the inputs are validated; it opens no database until
            # the notebook's first cell runs
            env = slot.env(card, ws.home, engine or ws.engine_name)
            kernel = start_kernel(env, cwd=card.notebook.parent)
        prepare_inputs(card, ws, engine=engine or ws.engine_name)
        prepared = prepare(card, ws, parameters=parameters, engine=engine)
    except BaseException as err:
        stop_kernel(kernel)
        if not isinstance(err, HuiyanError):
            raise
        result = fail_early(card, ws.home, region, parameters or {}, err)
    else:
        ws.close()  # the kernel opens the database itself; DuckDB allows one writer process
        result = execute(prepared, region=region, progress=progress, slot=slot, kernel=kernel)
        record_in_ledger(ws.home, [result])
    if check and result.status != "succeeded":
        raise failure(result)
    return result
