"""The clue ledger: every clue of every succeeded run, once, with its review outcome and history.

Tables in the workspace database:

    ledger_clues    one row per clue_id: the clue's latest content, first/last seen, the run
                    it was last seen in, whether the latest run of its model and county still
                    finds it (``present``), and its current review status
    ledger_runs     every succeeded run the ledger took in
    ledger_history  every status change: clue, status, reviewer, note, when, where from

Review statuses move forward only::

    待核查 -> 核查中 -> 已移送 -> 已立案
                     -> 已发检察建议
                     -> 不成立 (needs a reason)

Example::

    huiyan clues set INS-ASSIGNED-1a2b3c4d5e6f 核查中 --note "已调取卷宗"
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from huiyan.errors import LedgerError, did_you_mean
from huiyan.workspace import Workspace

NEW, REVIEWING, TRANSFERRED, FILED, RECOMMENDED, REJECTED = (
    "待核查",
    "核查中",
    "已移送",
    "已立案",
    "已发检察建议",
    "不成立",
)
STATUSES: tuple[str, ...] = (NEW, REVIEWING, TRANSFERRED, FILED, RECOMMENDED, REJECTED)
STATUS_EN = {
    NEW: "new",
    REVIEWING: "reviewing",
    TRANSFERRED: "transferred",
    FILED: "filed",
    RECOMMENDED: "recommendation issued",
    REJECTED: "rejected",
}
NEXT: dict[str, frozenset[str]] = {
    NEW: frozenset({REVIEWING, TRANSFERRED, RECOMMENDED, REJECTED}),
    REVIEWING: frozenset({TRANSFERRED, RECOMMENDED, REJECTED}),
    TRANSFERRED: frozenset({FILED, REJECTED}),
    FILED: frozenset(),
    RECOMMENDED: frozenset(),
    REJECTED: frozenset(),
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ledger_clues (
    clue_id VARCHAR PRIMARY KEY, model VARCHAR, model_version VARCHAR, rule VARCHAR,
    region VARCHAR, subject_type VARCHAR, subject_id VARCHAR, subject_name VARCHAR,
    score DOUBLE, amount DOUBLE, summary VARCHAR, evidence VARCHAR[], context VARCHAR[],
    first_seen TIMESTAMPTZ, last_seen TIMESTAMPTZ, first_run VARCHAR, last_run VARCHAR,
    runs BIGINT, present BOOLEAN,
    status VARCHAR, status_at TIMESTAMPTZ, reviewer VARCHAR, note VARCHAR
);
CREATE TABLE IF NOT EXISTS ledger_runs (
    run_id VARCHAR PRIMARY KEY, model VARCHAR, region VARCHAR, finished_at TIMESTAMPTZ,
    clues BIGINT
);
CREATE TABLE IF NOT EXISTS ledger_history (
    clue_id VARCHAR, status VARCHAR, previous VARCHAR, reviewer VARCHAR, note VARCHAR,
    changed_at TIMESTAMPTZ, source VARCHAR
);
"""


def _raw(ws: Workspace) -> Any:
    """The workspace's DuckDB connection (the ledger is written with plain SQL in transactions)."""
    con = ws.con.con
    if not ws.read_only:
        con.execute(_SCHEMA)
    elif not {"ledger_clues", "ledger_history"} <= set(ws.con.list_tables()):
        raise LedgerError(
            "线索台账还是空的：请先运行模型（huiyan run MODEL）。",
            "The clue ledger is empty: run a model first (huiyan run MODEL).",
        )
    return con


def _now() -> datetime:
    return datetime.now(UTC)


def _reviewer() -> str:
    try:
        return os.environ.get("HUIYAN_REVIEWER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


# -- taking in runs --------------------------------------------------------------------------


@dataclass(frozen=True)
class Intake:
    """What one run did to the ledger."""

    run_id: str
    new: int
    seen_again: int
    disappeared: int


def record_run(
    ws: Workspace, clues: pd.DataFrame, *, run_id: str, model: str, region: str = ""
) -> Intake:
    """Take a succeeded run's clues into the ledger; re-running never duplicates a clue.

    Clues of the same model (and county, when the run was for one county) that this run no
    longer finds are marked ``present = false``: visible as disappeared, never deleted.
    """
    con = _raw(ws)
    if con.execute("SELECT 1 FROM ledger_runs WHERE run_id = ?", [run_id]).fetchone():
        return Intake(run_id, 0, 0, 0)
    now = _now()
    frame = clues.copy()
    frame["run_id"] = run_id
    con.execute("BEGIN TRANSACTION")
    try:
        con.register("incoming", frame)
        new = con.execute(
            "SELECT count(*) FROM incoming WHERE clue_id NOT IN (SELECT clue_id FROM ledger_clues)"
        ).fetchone()[0]
        seen = len(frame) - new
        scope = "model = ? AND (? = '' OR region = ?)"
        disappeared = con.execute(
            f"SELECT count(*) FROM ledger_clues WHERE {scope} AND present "
            "AND clue_id NOT IN (SELECT clue_id FROM incoming)",
            [model, region, region],
        ).fetchone()[0]
        con.execute(
            f"UPDATE ledger_clues SET present = false WHERE {scope} "
            "AND clue_id NOT IN (SELECT clue_id FROM incoming)",
            [model, region, region],
        )
        # Updating list columns is costly in DuckDB: touch them only where they changed.
        con.execute(
            """
            UPDATE ledger_clues AS l SET last_seen = ?, last_run = i.run_id,
                runs = l.runs + 1, present = true
            FROM incoming AS i WHERE l.clue_id = i.clue_id
            """,
            [now],
        )
        con.execute(
            """
            UPDATE ledger_clues AS l SET
                model_version = i.model_version, score = i.score, amount = i.amount,
                summary = i.summary, subject_name = i.subject_name
            FROM incoming AS i WHERE l.clue_id = i.clue_id AND (
                l.model_version IS DISTINCT FROM i.model_version
                OR l.score IS DISTINCT FROM i.score OR l.amount IS DISTINCT FROM i.amount
                OR l.summary IS DISTINCT FROM i.summary
                OR l.subject_name IS DISTINCT FROM i.subject_name)
            """
        )
        con.execute(
            """
            UPDATE ledger_clues AS l SET evidence = i.evidence, context = i.context
            FROM incoming AS i WHERE l.clue_id = i.clue_id AND (
                l.evidence IS DISTINCT FROM i.evidence OR l.context IS DISTINCT FROM i.context)
            """
        )
        con.execute(
            """
            INSERT INTO ledger_clues
            SELECT clue_id, model, model_version, rule, region, subject_type, subject_id,
                   subject_name, score, amount, summary, evidence, context,
                   ?, ?, run_id, run_id, 1, true, ?, ?, NULL, NULL
            FROM incoming WHERE clue_id NOT IN (SELECT clue_id FROM ledger_clues)
            """,
            [now, now, NEW, now],
        )
        con.execute(
            "INSERT INTO ledger_runs VALUES (?, ?, ?, ?, ?)",
            [run_id, model, region, now, len(frame)],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("incoming")
    return Intake(run_id, int(new), int(seen), int(disappeared))


def catch_up(ws: Workspace) -> list[Intake]:
    """Take in every succeeded run under ``runs/`` the ledger has not seen, oldest first.

    Run ids start with their start time, so sorting them replays the runs in order and the
    ``present`` flags end up describing the latest run of each model and county.
    """
    import json

    import pyarrow.parquet as pq

    con = _raw(ws)
    known = {row[0] for row in con.execute("SELECT run_id FROM ledger_runs").fetchall()}
    pending = []
    for manifest in ws.runs_dir.glob("*/*/manifest.json"):
        folder = manifest.parent
        if folder.name in known or not (folder / "clues.parquet").exists():
            continue
        try:
            info = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if info.get("status") == "succeeded" and info.get("run_id", folder.name) not in known:
            pending.append((str(info.get("run_id", folder.name)), folder, info))
    intakes = []
    for run_id, folder, info in sorted(pending, key=lambda item: item[0]):
        frame = pq.read_table(folder / "clues.parquet").to_pandas()
        intakes.append(
            record_run(
                ws,
                frame,
                run_id=run_id,
                model=str(info["model"]),
                region=str(info.get("region") or ""),
            )
        )
    return intakes


# -- review outcomes -------------------------------------------------------------------------


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise LedgerError(
            f'核查状态 "{status}" 无效。{did_you_mean(status, STATUSES)}',
            f'"{status}" is not a review status.',
            "可用状态 Statuses: " + "、".join(f"{s}（{STATUS_EN[s]}）" for s in STATUSES),
        )


def _transition_error(clue_id: str, current: str, status: str) -> LedgerError:
    allowed = "、".join(sorted(NEXT[current])) or "无 none (已结案 closed)"
    return LedgerError(
        f"线索 {clue_id} 的状态不能从「{current}」改为「{status}」：状态只能向前推进。",
        f"Clue {clue_id} cannot move from {STATUS_EN[current]} back or sideways to "
        f"{STATUS_EN[status]}.",
        f"当前可改为 Allowed next: {allowed}",
    )


@dataclass(frozen=True)
class Change:
    """One applied (or skipped as already recorded) status change."""

    clue_id: str
    previous: str
    status: str
    applied: bool


def set_status(
    ws: Workspace,
    clue_id: str,
    status: str,
    *,
    note: str | None = None,
    reviewer: str | None = None,
    source: str = "cli",
) -> Change:
    """Record a review outcome for one clue; history is kept, never overwritten.

    Setting the status a clue already has (with the same note) changes nothing, so
    applying the same workbook twice is harmless.
    """
    _check_status(status)
    con = _raw(ws)
    row = con.execute(
        "SELECT status, note FROM ledger_clues WHERE clue_id = ?", [clue_id]
    ).fetchone()
    if row is None:
        raise LedgerError(
            f"台账中没有线索 {clue_id}。",
            f"There is no clue {clue_id} in the ledger.",
            "用 huiyan clues 查看线索编号 List clue ids with: huiyan clues",
        )
    current, current_note = row
    note = (note or "").strip() or None
    if status == current and (note is None or note == current_note):
        return Change(clue_id, current, status, applied=False)
    if status != current and status not in NEXT[current]:
        raise _transition_error(clue_id, current, status)
    if status == REJECTED and status != current and not note:
        raise LedgerError(
            f"将线索 {clue_id} 标为「不成立」需要填写理由（--note）。",
            f"Marking clue {clue_id} as rejected needs a reason (--note).",
        )
    who = reviewer or _reviewer()
    now = _now()
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "UPDATE ledger_clues SET status = ?, status_at = ?, reviewer = ?, "
            "note = coalesce(?, note) WHERE clue_id = ?",
            [status, now, who, note, clue_id],
        )
        con.execute(
            "INSERT INTO ledger_history VALUES (?, ?, ?, ?, ?, ?, ?)",
            [clue_id, status, current, who, note, now, source],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return Change(clue_id, current, status, applied=True)


def history(ws: Workspace, clue_id: str | None = None) -> pd.DataFrame:
    """Every recorded status change, oldest first (optionally for one clue)."""
    con = _raw(ws)
    sql = "SELECT * FROM ledger_history"
    params: list[Any] = []
    if clue_id:
        sql += " WHERE clue_id = ?"
        params.append(clue_id)
    return con.execute(sql + " ORDER BY changed_at, rowid", params).df()


def clues(
    ws: Workspace,
    *,
    model: str | None = None,
    status: str | None = None,
    region: str | None = None,
) -> pd.DataFrame:
    """The ledger's clues, strongest first, optionally filtered by model, status and county."""
    if status:
        _check_status(status)
    con = _raw(ws)
    where, params = ["true"], []
    for column, value in (("model", model), ("status", status), ("region", region)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    sql = (
        "SELECT * FROM ledger_clues WHERE "
        + " AND ".join(where)
        + " ORDER BY model, rule, score DESC, clue_id"
    )
    return con.execute(sql, params).df()


# -- effectiveness ---------------------------------------------------------------------------


def effectiveness(
    ws: Workspace,
    *,
    by: tuple[str, ...] = ("model", "rule", "region"),
    since: str | None = None,
    until: str | None = None,
    city: str | None = None,
) -> pd.DataFrame:
    """What clues became, per model, rule and county (or any grouping of those and ``month``).

    Counts: clues, reviewed (no longer 待核查), transferred (已移送 or later 已立案), filed,
    recommendations, rejected; rates: filed / transferred and rejected / reviewed.
    ``city`` is a 4-digit city code prefix (e.g. 3306 for Shaoxing); dates bound first_seen.
    """
    allowed = {"model", "rule", "region", "month"}
    unknown = [b for b in by if b not in allowed]
    if unknown:
        raise LedgerError(
            f"不能按 {', '.join(unknown)} 分组。",
            f"Cannot group by {', '.join(unknown)}.",
            "可用 Use: model, rule, region, month",
        )
    con = _raw(ws)
    where, params = ["true"], []
    if since:
        where.append("first_seen >= CAST(? AS DATE)")
        params.append(since)
    if until:
        where.append("first_seen < CAST(? AS DATE) + INTERVAL 1 DAY")
        params.append(until)
    if city:
        where.append("starts_with(region, ?)")
        params.append(city)
    keys = [("strftime(first_seen, '%Y-%m') AS month" if b == "month" else b) for b in by]
    group = ", ".join(by) if by else "true"
    select_keys = (", ".join(keys) + ",") if keys else ""
    sql = f"""
        SELECT {select_keys}
            count(*) AS clues,
            count(*) FILTER (WHERE status <> '{NEW}') AS reviewed,
            count(*) FILTER (WHERE status IN ('{TRANSFERRED}', '{FILED}')) AS transferred,
            count(*) FILTER (WHERE status = '{FILED}') AS filed,
            count(*) FILTER (WHERE status = '{RECOMMENDED}') AS recommendations,
            count(*) FILTER (WHERE status = '{REJECTED}') AS rejected
        FROM ledger_clues WHERE {" AND ".join(where)}
        GROUP BY {group} ORDER BY {group}
    """
    out = con.execute(sql, params).df()
    out["filed_rate"] = (out.filed / out.transferred.where(out.transferred > 0)).round(3)
    out["rejected_rate"] = (out.rejected / out.reviewed.where(out.reviewed > 0)).round(3)
    return out


# -- Excel round trip ------------------------------------------------------------------------

STATUS_HEADER = "核查状态"
NOTE_HEADER = "核查意见"
REVIEWER_HEADER = "核查人"
ID_HEADER = "线索编号"


@dataclass(frozen=True)
class Problem:
    """A workbook row that could not be applied, and why."""

    sheet: str
    row: int
    clue_id: str
    reason: str


@dataclass(frozen=True)
class ImportReport:
    """What an Excel import applied, skipped as already recorded, and refused."""

    file: Path
    applied: int
    unchanged: int
    problems: tuple[Problem, ...] = field(default=())

    def format(self) -> str:
        lines = [
            f"{self.file}: 已更新 {self.applied} 条，无变化 {self.unchanged} 条，"
            f"未能应用 {len(self.problems)} 行。",
            f"{self.file}: {self.applied} applied, {self.unchanged} unchanged, "
            f"{len(self.problems)} rows not applied.",
        ]
        for p in self.problems:
            lines.append(f"  工作表 sheet「{p.sheet}」第 {p.row} 行 row, {p.clue_id}: {p.reason}")
        return "\n".join(lines)


def import_excel(ws: Workspace, path: Path, *, reviewer: str | None = None) -> ImportReport:
    """Apply the statuses and notes reviewers filled into a clue workbook.

    Every sheet with a 线索编号 and a 核查状态 column is read. Rows with an empty status are
    skipped; each row that cannot be applied (unknown clue, bad status, a status moving
    backwards, a rejection without reason) is reported with its sheet and row number, and
    nothing wrong is applied. A status already recorded is not applied twice.
    """
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, InvalidFileException) as err:
        raise LedgerError(
            f"无法读取工作簿 {path}：{err}",
            f"Cannot read workbook {path}: {err}",
            "请在 Excel 中另存为 .xlsx 后再导入 Save it as .xlsx in Excel, then import it.",
        ) from err
    applied = unchanged = 0
    problems: list[Problem] = []
    seen: set[tuple[str, str, str]] = set()
    for sheet in book.worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if not header or ID_HEADER not in header or STATUS_HEADER not in header:
            continue
        col = {name: i for i, name in enumerate(header) if name}
        for number, values in enumerate(rows, start=2):
            clue = str(values[col[ID_HEADER]] or "").strip()
            status = str(values[col[STATUS_HEADER]] or "").strip()
            note = values[col[NOTE_HEADER]] if NOTE_HEADER in col else None
            who = values[col[REVIEWER_HEADER]] if REVIEWER_HEADER in col else None
            if not clue or not status:
                continue
            key = (clue, status, str(note or ""))
            if key in seen:  # the summary and rule sheets may list the same clue
                continue
            seen.add(key)
            try:
                change = set_status(
                    ws,
                    clue,
                    status,
                    note=None if note is None else str(note),
                    reviewer=str(who) if who else reviewer,
                    source=f"excel:{Path(path).name}",
                )
            except LedgerError as err:
                problems.append(Problem(sheet.title, number, clue, f"{err.zh} {err.en}"))
                continue
            applied += change.applied
            unchanged += not change.applied
    book.close()
    return ImportReport(Path(path), applied, unchanged, tuple(problems))


def export_excel(ws: Workspace, out: Path, **filters: str | None) -> Path:
    """Write the ledger's current clues to a workbook reviewers can fill and import again."""
    from huiyan.clues import HEADERS_ZH

    frame = clues(ws, **filters)
    columns = [
        "clue_id",
        "model",
        "rule",
        "region",
        "subject_name",
        "subject_id",
        "score",
        "amount",
        "summary",
        "evidence",
        "first_seen",
        "last_seen",
        "present",
    ]
    table = frame[columns].copy() if len(frame) else pd.DataFrame(columns=columns)
    table["evidence"] = table["evidence"].map(lambda v: "\n".join(v) if v is not None else "")
    for c in ("first_seen", "last_seen"):
        table[c] = pd.to_datetime(table[c]).dt.tz_localize(None)
    headers = {**HEADERS_ZH, "first_seen": "首次发现", "last_seen": "最近发现", "present": "仍存在"}
    table = table.rename(columns=headers)
    table[STATUS_HEADER] = frame["status"].tolist() if len(frame) else []
    table[NOTE_HEADER] = frame["note"].tolist() if len(frame) else []
    table[REVIEWER_HEADER] = frame["reviewer"].tolist() if len(frame) else []
    write_review_workbook(out, {"线索台账": table})
    return out


def write_review_workbook(out: Path, sheets: dict[str, pd.DataFrame]) -> None:
    """Write sheets to .xlsx; the 核查状态 column offers the statuses as a drop-down list."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    out.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            headers = list(frame.columns)
            if STATUS_HEADER in headers:
                letter = get_column_letter(headers.index(STATUS_HEADER) + 1)
                dv = DataValidation(
                    type="list",
                    formula1='"' + ",".join(STATUSES) + '"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="核查状态",
                    error="请从下拉列表中选择 Choose a status from the list",
                )
                sheet.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}{max(len(frame) + 1, 2) + 500}")
            for i, header in enumerate(headers, start=1):
                width = 60 if header in ("线索摘要", "可疑记录") else max(10, len(str(header)) * 2)
                sheet.column_dimensions[get_column_letter(i)].width = width


# -- synthetic outcomes ----------------------------------------------------------------------


def exists(ws: Workspace) -> bool:
    """True when the workspace's ledger has taken in at least one run."""
    return "ledger_clues" in ws.con.list_tables()


def simulate_outcomes(ws: Workspace, *, seed: int = 7, months: int = 12) -> int:
    """Give a synthetic workspace's clues believable review outcomes, spread over ``months``.

    For demonstrations and tests of the dashboard only: refused unless the workspace was made
    by ``huiyan synth`` (it has a ``synth_info`` table). Returns how many clues were changed.
    """
    import numpy as np

    from huiyan.errors import WorkspaceError

    if "synth_info" not in ws.con.list_tables():
        raise WorkspaceError(
            "只能在合成数据工作区中模拟核查结果。",
            "Review outcomes can only be simulated in a synthetic workspace (huiyan synth).",
        )
    frame = clues(ws, status=NEW)
    if frame.empty:
        return 0
    rng = np.random.default_rng(seed)
    now = _now()
    changed = 0
    paths = [
        ([REVIEWING], 0.20),
        ([TRANSFERRED], 0.10),
        ([TRANSFERRED, FILED], 0.15),
        ([RECOMMENDED], 0.12),
        ([REVIEWING, REJECTED], 0.13),
    ]
    weights = np.array([w for _, w in paths] + [1 - sum(w for _, w in paths)])
    choice = rng.choice(len(weights), size=len(frame), p=weights)
    ages = rng.integers(0, months * 30, size=len(frame))
    con = _raw(ws)
    for clue_id, pick, age in zip(frame.clue_id, choice, ages, strict=True):
        seen = now - pd.Timedelta(days=int(age))
        con.execute("UPDATE ledger_clues SET first_seen = ? WHERE clue_id = ?", [seen, clue_id])
        if pick == len(paths):
            continue
        for step in paths[pick][0]:
            note = "模拟：经核查线索不成立" if step == REJECTED else "模拟核查结果 simulated"
            set_status(ws, clue_id, step, note=note, reviewer="模拟 simulation", source="simulated")
        changed += 1
    return changed
