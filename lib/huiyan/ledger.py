"""The clue ledger: every clue of every succeeded run, once, with its review outcome and history.

Tables in the workspace journal (``<home>/huiyan.sqlite``, :mod:`huiyan.journal`), so that
reviewers, runs and notebooks write at the same time without locking each other out:

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
import json
import logging
import math
import os
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from huiyan import journal
from huiyan.display import texts
from huiyan.errors import LedgerError, did_you_mean
from huiyan.workspace import Workspace

log = logging.getLogger(__name__)

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
    clue_id TEXT PRIMARY KEY, model TEXT, model_version TEXT, rule TEXT,
    region TEXT, subject_type TEXT, subject_id TEXT, subject_name TEXT,
    score REAL, amount REAL, summary TEXT, evidence TEXT, context TEXT,
    first_seen TEXT, last_seen TEXT, first_run TEXT, last_run TEXT,
    runs INTEGER, present INTEGER,
    status TEXT, status_at TEXT, reviewer TEXT, note TEXT
);
CREATE INDEX IF NOT EXISTS ledger_clues_scope ON ledger_clues (model, region);
CREATE TABLE IF NOT EXISTS ledger_runs (
    run_id TEXT PRIMARY KEY, model TEXT, region TEXT, finished_at TEXT, clues INTEGER
);
CREATE TABLE IF NOT EXISTS ledger_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clue_id TEXT, status TEXT, previous TEXT, reviewer TEXT, note TEXT,
    changed_at TEXT, source TEXT
);
CREATE INDEX IF NOT EXISTS ledger_history_clue ON ledger_history (clue_id);
"""
_CLUE_COLUMNS = (
    "clue_id", "model", "model_version", "rule", "region", "subject_type", "subject_id",
    "subject_name", "score", "amount", "summary", "evidence", "context",
)  # fmt: skip


def _con(ws: Workspace) -> sqlite3.Connection:
    """The workspace journal (SQLite, WAL) with the ledger's tables; see :mod:`huiyan.journal`."""
    con = journal.connect(ws.home)
    fresh = not con.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ledger_clues'"
    ).fetchone()
    con.executescript(_SCHEMA)
    if fresh:
        _migrate_from_duckdb(ws, con)
    return con


def _migrate_from_duckdb(ws: Workspace, con: sqlite3.Connection) -> None:
    """Take over the ledger an older huiyan kept in the workspace's DuckDB database."""
    if not ws.db_path.exists() or not ws.has_table("ledger_clues"):
        return
    raw = ws.con.con
    clues = raw.execute("SELECT * FROM ledger_clues").df()
    history = raw.execute("SELECT * FROM ledger_history").df()
    runs = raw.execute("SELECT * FROM ledger_runs").df() if ws.has_table("ledger_runs") else None
    with journal.transaction(con, "迁移线索台账 ledger migration"):
        _insert_clues(con, clues)
        con.executemany(
            "INSERT INTO ledger_history (clue_id, status, previous, reviewer, note, changed_at, "
            "source) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (r.clue_id, r.status, r.previous, r.reviewer, r.note, _iso(r.changed_at), r.source)
                for r in history.itertuples()
            ],
        )
        if runs is not None:
            con.executemany(
                "INSERT OR IGNORE INTO ledger_runs VALUES (?, ?, ?, ?, ?)",
                [
                    (r.run_id, r.model, r.region, _iso(r.finished_at), int(r.clues))
                    for r in runs.itertuples()
                ],
            )
    log.info("ledger: %d clues taken over from the DuckDB database", len(clues))


def _insert_clues(con: sqlite3.Connection, frame: pd.DataFrame) -> None:
    cols = [c for c in frame.columns if c in _ALL_COLUMNS]
    rows = [
        tuple(_sql_value(c, v) for c, v in zip(cols, values, strict=True))
        for values in frame[cols].itertuples(index=False, name=None)
    ]
    names = ", ".join(cols)
    marks = ", ".join("?" for _ in cols)
    con.executemany(f"INSERT OR REPLACE INTO ledger_clues ({names}) VALUES ({marks})", rows)


_ALL_COLUMNS = (
    *_CLUE_COLUMNS, "first_seen", "last_seen", "first_run", "last_run", "runs", "present",
    "status", "status_at", "reviewer", "note",
)  # fmt: skip


def _iso(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return value
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize(UTC)
    return stamp.tz_convert(UTC).isoformat()


def _sql_value(column: str, value: Any) -> Any:
    if column in ("evidence", "context"):
        return json.dumps([str(v) for v in value] if value is not None else [], ensure_ascii=False)
    if column in ("first_seen", "last_seen", "status_at"):
        return _iso(value)
    if column == "present":
        return None if value is None else int(bool(value))
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if column == "runs":
        return int(value)
    if column in ("score", "amount"):
        return float(value)
    return (
        value
        if isinstance(value, str) or value is None
        else (None if pd.isna(value) else str(value))
    )


_JSON = json.JSONEncoder(ensure_ascii=False).encode


def _incoming(clues: pd.DataFrame) -> list[tuple[Any, ...]]:
    """A run's clues as ledger rows (as :func:`_sql_value` writes each value), converted
    column by column: a province run has 100,000 clues."""
    columns: list[list[Any]] = []
    for name in _CLUE_COLUMNS:
        values = clues[name].tolist()
        column: list[Any]
        if name in ("evidence", "context"):
            column = [_json_texts(texts(vs)) for vs in values]
        elif name in ("score", "amount"):
            column = [None if v is None or v != v else float(v) for v in values]
        else:
            column = [v if type(v) is str else _sql_value(name, v) for v in values]
        columns.append(column)
    return list(zip(*columns, strict=True))


_ESCAPED = re.compile(r'["\\\x00-\x1f]')
"""What JSON escapes in a string (ensure_ascii off): quotes, backslashes, control characters."""


def _json_texts(items: list[str]) -> str:
    """``json.dumps(items, ensure_ascii=False)``, written directly when no item needs escaping
    (record references never do): the same text, several times faster.

    >>> _json_texts(["households:1|甲", "deaths:2"]) == json.dumps(["households:1|甲", "deaths:2"], ensure_ascii=False)
    True
    >>> _json_texts(['a"b']) == json.dumps(['a"b'], ensure_ascii=False)
    True
    """
    if not items:
        return "[]"
    joined = '", "'.join(items)
    if _ESCAPED.search(joined):
        return _JSON(items)
    return f'["{joined}"]'


def _frame(rows: pd.DataFrame) -> pd.DataFrame:
    """Ledger rows as a DataFrame with lists, booleans and UTC timestamps."""
    for c in ("evidence", "context"):
        if c in rows:
            rows[c] = rows[c].map(lambda v: json.loads(v) if v else [])
    if "present" in rows:
        rows["present"] = rows["present"].map(lambda v: None if v is None else bool(v))
    for c in ("first_seen", "last_seen", "status_at", "changed_at", "finished_at"):
        if c in rows:
            rows[c] = pd.to_datetime(rows[c], utc=True, format="ISO8601")
    return rows


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
    con = _con(ws)
    try:
        return _record_run(con, clues, run_id=run_id, model=model, region=region)
    finally:
        con.close()


def _record_run(
    con: sqlite3.Connection, clues: pd.DataFrame, *, run_id: str, model: str, region: str
) -> Intake:
    now = _iso(_now())
    rows = _incoming(clues)
    cols = ", ".join(_CLUE_COLUMNS)
    con.execute(f"CREATE TEMP TABLE IF NOT EXISTS incoming ({cols})")
    with journal.transaction(con, f"线索台账 ledger intake {run_id}"):
        if con.execute("SELECT 1 FROM ledger_runs WHERE run_id = ?", [run_id]).fetchone():
            return Intake(run_id, 0, 0, 0)
        con.execute("DELETE FROM temp.incoming")
        marks = ", ".join("?" for _ in _CLUE_COLUMNS)
        con.executemany(f"INSERT INTO temp.incoming VALUES ({marks})", rows)
        con.execute("CREATE INDEX IF NOT EXISTS temp.incoming_id ON incoming (clue_id)")
        new = con.execute(
            "SELECT count(*) FROM incoming WHERE clue_id NOT IN (SELECT clue_id FROM ledger_clues)"
        ).fetchone()[0]
        seen = len(rows) - new
        scope, params = (
            ("model = ? AND region = ?", [model, region]) if region else ("model = ?", [model])
        )
        disappeared = con.execute(  # the (model, region) index finds the county's clues
            f"UPDATE ledger_clues SET present = 0 WHERE {scope} AND present "
            "AND clue_id NOT IN (SELECT clue_id FROM incoming)",
            params,
        ).rowcount
        con.execute(
            """
            UPDATE ledger_clues AS l SET last_seen = ?, last_run = ?, runs = l.runs + 1,
                present = 1, model_version = i.model_version, score = i.score,
                amount = i.amount, summary = i.summary, subject_name = i.subject_name,
                evidence = i.evidence, context = i.context
            FROM incoming AS i WHERE l.clue_id = i.clue_id
            """,
            [now, run_id],
        )
        con.execute(
            f"""
            INSERT INTO ledger_clues ({cols}, first_seen, last_seen, first_run, last_run, runs,
                present, status, status_at, reviewer, note)
            SELECT {cols}, ?, ?, ?, ?, 1, 1, ?, ?, NULL, NULL
            FROM incoming WHERE clue_id NOT IN (SELECT clue_id FROM ledger_clues)
            """,
            [now, now, run_id, run_id, NEW, now],
        )
        con.execute(
            "INSERT INTO ledger_runs VALUES (?, ?, ?, ?, ?)",
            [run_id, model, region, now, len(rows)],
        )
        con.execute("DELETE FROM temp.incoming")
    return Intake(run_id, int(new), int(seen), int(disappeared))


def catch_up(ws: Workspace) -> list[Intake]:
    """Take in every succeeded run under ``runs/`` the ledger has not seen, oldest first.

    Run ids start with their start time, so sorting them replays the runs in order and the
    ``present`` flags end up describing the latest run of each model and county.
    """
    import pyarrow.parquet as pq

    con = _con(ws)
    try:
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
            if info.get("split_by_county"):  # --each-county took its clues in, county by county
                continue
            if info.get("status") == "succeeded" and info.get("run_id", folder.name) not in known:
                pending.append((str(info.get("run_id", folder.name)), folder, info))
        intakes = []
        for run_id, folder, info in sorted(pending, key=lambda item: item[0]):
            frame = pq.read_table(folder / "clues.parquet").to_pandas()
            intakes.append(
                _record_run(
                    con,
                    frame,
                    run_id=run_id,
                    model=str(info["model"]),
                    region=str(info.get("region") or ""),
                )
            )
        return intakes
    finally:
        con.close()


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
    note = (note or "").strip() or None
    who = reviewer or _reviewer()
    con = _con(ws)
    try:
        # the check and the change happen in one write transaction: a second reviewer's
        # change at the same moment waits, then sees this one's result
        with journal.transaction(con, f"核查结果 review outcome {clue_id}"):
            return _set_status(con, clue_id, status, note=note, who=who, source=source)
    finally:
        con.close()


def _set_status(
    con: sqlite3.Connection, clue_id: str, status: str, *, note: str | None, who: str, source: str
) -> Change:
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
    if status == current and (note is None or note == current_note):
        return Change(clue_id, current, status, applied=False)
    if status != current and status not in NEXT[current]:
        raise _transition_error(clue_id, current, status)
    if status == REJECTED and status != current and not note:
        raise LedgerError(
            f"将线索 {clue_id} 标为「不成立」需要填写理由（--note）。",
            f"Marking clue {clue_id} as rejected needs a reason (--note).",
        )
    now = _iso(_now())
    con.execute(
        "UPDATE ledger_clues SET status = ?, status_at = ?, reviewer = ?, "
        "note = coalesce(?, note) WHERE clue_id = ?",
        [status, now, who, note, clue_id],
    )
    con.execute(
        "INSERT INTO ledger_history (clue_id, status, previous, reviewer, note, changed_at, source)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [clue_id, status, current, who, note, now, source],
    )
    return Change(clue_id, current, status, applied=True)


def _query(ws: Workspace, sql: str, params: list[Any]) -> pd.DataFrame:
    con = _con(ws)
    try:
        return _frame(pd.read_sql_query(sql, con, params=params))
    finally:
        con.close()


def history(ws: Workspace, clue_id: str | None = None) -> pd.DataFrame:
    """Every recorded status change, oldest first (optionally for one clue)."""
    sql = "SELECT clue_id, status, previous, reviewer, note, changed_at, source FROM ledger_history"
    params: list[Any] = []
    if clue_id:
        sql += " WHERE clue_id = ?"
        params.append(clue_id)
    return _query(ws, sql + " ORDER BY changed_at, id", params)


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
    where, params = ["1"], []
    for column, value in (("model", model), ("status", status), ("region", region)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    sql = (
        "SELECT * FROM ledger_clues WHERE "
        + " AND ".join(where)
        + " ORDER BY model, rule, score DESC, clue_id"
    )
    return _query(ws, sql, params)


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
    where, params = ["1"], []
    for label, value in (("since", since), ("until", until)):
        if value is not None:
            try:
                datetime.strptime(value, "%Y-%m-%d")
            except ValueError as err:
                raise LedgerError(
                    f'日期 {label}="{value}" 无效，应为 YYYY-MM-DD。',
                    f'The date {label}="{value}" is not valid; use YYYY-MM-DD.',
                ) from err
    if since:
        where.append("date(first_seen) >= date(?)")
        params.append(since)
    if until:
        where.append("date(first_seen) <= date(?)")
        params.append(until)
    if city:
        where.append("substr(region, 1, length(?)) = ?")
        params += [city, city]
    keys = [("strftime('%Y-%m', first_seen) AS month" if b == "month" else b) for b in by]
    group = ", ".join(by) if by else "NULL"
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
    out = _query(ws, sql, params)
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
    from huiyan.display import BEIJING, BEIJING_ZH

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
    for c in ("first_seen", "last_seen"):  # stored in UTC, shown in Beijing time
        table[c] = pd.to_datetime(table[c], utc=True).dt.tz_convert(BEIJING).dt.tz_localize(None)
    headers = {
        **HEADERS_ZH,
        "first_seen": f"首次发现（{BEIJING_ZH}）",
        "last_seen": f"最近发现（{BEIJING_ZH}）",
        "present": "仍存在",
    }
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
    if not journal.path(ws.home).exists():
        return False
    con = _con(ws)
    try:
        return con.execute("SELECT 1 FROM ledger_runs LIMIT 1").fetchone() is not None
    finally:
        con.close()


def simulate_outcomes(ws: Workspace, *, seed: int = 7, months: int = 12) -> int:
    """Give a synthetic workspace's clues believable review outcomes, spread over ``months``.

    For demonstrations and tests of the dashboard only: refused unless the workspace was made
    by ``huiyan synth`` (it has a ``synth_info`` table). Returns how many clues were changed.
    """
    import numpy as np

    from huiyan.errors import WorkspaceError

    if not ws.db_path.exists() or not ws.has_table("synth_info"):
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
    con = _con(ws)
    try:
        with journal.transaction(con, "模拟核查结果 simulated outcomes"):
            for clue_id, pick, age in zip(frame.clue_id, choice, ages, strict=True):
                seen = _iso(now - pd.Timedelta(days=int(age)))
                con.execute(
                    "UPDATE ledger_clues SET first_seen = ? WHERE clue_id = ?", [seen, clue_id]
                )
                if pick == len(paths):
                    continue
                for step in paths[pick][0]:
                    note = (
                        "模拟：经核查线索不成立" if step == REJECTED else "模拟核查结果 simulated"
                    )
                    _set_status(
                        con, clue_id, step, note=note, who="模拟 simulation", source="simulated"
                    )
                changed += 1
    finally:
        con.close()
    return changed
