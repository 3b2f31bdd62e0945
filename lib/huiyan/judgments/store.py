"""Parse a workspace's ``judgments`` dataset once into derived tables (``jd_*``) in its DuckDB.

Each document is parsed once: a later run parses only documents whose
``doc_id`` is new or whose text changed (by an MD5 of the text), and drops the
rows of documents that left the dataset. Texts are streamed from DuckDB in
Arrow batches, parsed by worker processes and written back in bulk.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from huiyan.errors import WorkspaceError
from huiyan.judgments.freshness import TABLES, reader_version, up_to_date
from huiyan.judgments.insurance import InsuranceFacts
from huiyan.judgments.parser import parse
from huiyan.reading.snippets import WIDTH, snippet
from huiyan.workspace import Workspace

log = logging.getLogger(__name__)

_SCHEMAS: dict[str, pa.Schema] = {
    "jd_documents": pa.schema([
        ("doc_id", pa.string()), ("text_hash", pa.string()), ("region", pa.string()),
        ("case_no", pa.string()), ("court", pa.string()), ("cause", pa.string()),
        ("doc_type", pa.string()), ("judgment_date", pa.date32()),
        ("claimed_amount", pa.float64()), ("awarded_amount", pa.float64()),
        ("assigned", pa.bool_()), ("insurer_assessed", pa.bool_()),
        ("n_plaintiffs", pa.int32()), ("n_defendants", pa.int32()), ("has_insurer", pa.bool_()),
        ("commissioned", pa.bool_()), ("assigned_words", pa.string()),
        ("assessed_words", pa.string()), ("commissioned_words", pa.string()),
        ("unread", pa.string()),
    ]),
    "jd_parties": pa.schema([
        ("doc_id", pa.string()), ("role", pa.string()), ("seq", pa.int32()), ("name", pa.string()),
        ("kind", pa.string()), ("legal_rep", pa.string()), ("is_insurer", pa.bool_()),
    ]),
    "jd_agents": pa.schema([
        ("doc_id", pa.string()), ("party_seq", pa.int32()), ("role", pa.string()),
        ("name", pa.string()), ("law_firm", pa.string()),
    ]),
    "jd_plates": pa.schema([("doc_id", pa.string()), ("plate", pa.string())]),
    "jd_shops": pa.schema([("doc_id", pa.string()), ("shop", pa.string()), ("words", pa.string())]),
    "jd_assessors": pa.schema([
        ("doc_id", pa.string()), ("assessor", pa.string()), ("words", pa.string()),
    ]),
}  # fmt: skip
# the schemas of the derived tables named in huiyan.judgments.freshness.TABLES, in its order

_SQL_TYPES = {
    pa.string(): "VARCHAR", pa.date32(): "DATE", pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN", pa.int32(): "INTEGER",
}  # fmt: skip
_BATCH = 2_000
_FLUSH = 40_000
_POOL_MIN = 4_000
"""Below this many documents a pool costs more than it saves; parse in-process."""


@dataclass(frozen=True)
class ParseReport:
    """What one ``parse_workspace`` run did."""

    parsed: int
    unchanged: int
    removed: int
    seconds: float

    def __str__(self) -> str:
        return (
            f"解析 {self.parsed} 份裁判文书，{self.unchanged} 份未变，移除 {self.removed} 份"
            f"（{self.seconds:.1f} 秒）。 Parsed {self.parsed} judgments, {self.unchanged} unchanged, "
            f"{self.removed} removed ({self.seconds:.1f} s)."
        )


@dataclass(frozen=True)
class JudgmentTables:
    """The derived tables of a workspace as ibis tables, for models."""

    documents: Any
    parties: Any
    agents: Any
    plates: Any
    shops: Any
    assessors: Any


def parse_batch(doc_ids: list[str], texts: list[str | None]) -> dict[str, dict[str, list[Any]]]:
    """Parse a batch of texts into column lists, one dict per derived table (region and hash excluded)."""
    cols: dict[str, dict[str, list[Any]]] = {
        name: {f.name: [] for f in schema} for name, schema in _SCHEMAS.items()
    }
    d, p, a = cols["jd_documents"], cols["jd_parties"], cols["jd_agents"]
    pl, sh, asr = cols["jd_plates"], cols["jd_shops"], cols["jd_assessors"]
    for doc_id, text in zip(doc_ids, texts, strict=True):
        r = parse(text or "")
        d["doc_id"].append(doc_id)
        for key in ("case_no", "court", "cause", "doc_type", "judgment_date", "claimed_amount",
                    "awarded_amount", "assigned", "insurer_assessed"):  # fmt: skip
            d[key].append(getattr(r, key))
        d["n_plaintiffs"].append(len(r.plaintiffs))
        d["n_defendants"].append(len(r.defendants))
        d["has_insurer"].append(bool(r.insurers))
        f = r.extra.get("insurance") or InsuranceFacts()
        d["commissioned"].append(f.commissioned)
        d["assigned_words"].append(_snippet(text, f.assigned_words))
        d["assessed_words"].append(_snippet(text, f.assessed_words))
        d["commissioned_words"].append(_snippet(text, f.commissioned_words))
        d["unread"].append(",".join(f.unread) or None)
        seq = 0
        for role, group in (("plaintiff", r.plaintiffs), ("defendant", r.defendants),
                            ("third_party", r.third_parties)):  # fmt: skip
            for party in group:
                for key, value in (("doc_id", doc_id), ("role", role), ("seq", seq),
                                   ("name", party.name), ("kind", party.kind),
                                   ("legal_rep", party.legal_rep),
                                   ("is_insurer", party.is_insurer)):  # fmt: skip
                    p[key].append(value)
                for agent in party.agents:
                    for key, value in (("doc_id", doc_id), ("party_seq", seq), ("role", agent.role),
                                       ("name", agent.name), ("law_firm", agent.law_firm)):  # fmt: skip
                        a[key].append(value)
                seq += 1
        for value in r.plates:
            pl["doc_id"].append(doc_id)
            pl["plate"].append(value)
        for table, col, values, words in ((sh, "shop", r.repair_shops, f.shop_words),
                                          (asr, "assessor", r.assessors, f.assessor_words)):  # fmt: skip
            for value, said in zip(values, words, strict=True):
                table["doc_id"].append(doc_id)
                table[col].append(value)
                table["words"].append(_snippet(text, said))
    # region and text_hash are filled in by the caller, who has them
    del d["region"], d["text_hash"]
    return cols


def _snippet(text: str | None, words: str | None) -> str | None:
    """The words a fact was read from, in their context and at most a snippet long."""
    if not words:
        return None
    found = snippet(text or "", words)
    if found is None:  # not found as written (an HTML remnant between): the words themselves
        found = snippet(words, words[: WIDTH - 2])
    return found


def _parse_job(job: tuple[list[str], list[str | None]]) -> dict[str, dict[str, list[Any]]]:
    return parse_batch(*job)


def _create_tables(con: Any) -> None:
    """Create the derived tables; a table an older reader made with other columns is made anew
    (its documents are parsed again anyway: the reader version is part of every text hash)."""
    for name, schema in _SCHEMAS.items():
        have = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position",
                [name],
            ).fetchall()
        ]
        if have and have != list(schema.names):
            con.execute(f"DROP TABLE {name}")
        cols = ", ".join(f"{f.name} {_SQL_TYPES[f.type]}" for f in schema)
        con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({cols})")


def parse_workspace(
    ws: Workspace, *, progress: bool = False, workers: int | None = None
) -> ParseReport:
    """Parse every new or changed row of the ``judgments`` dataset into the ``jd_*`` tables.

    Args:
        ws: the workspace (this waits its turn behind other writers).
        progress: show a progress bar.
        workers: parsing processes; default 2 for large runs, in-process for small ones.
    """
    start = time.perf_counter()
    if not ws.has_table("judgments"):
        raise WorkspaceError(
            f'工作区 {ws.home} 中没有数据集 "judgments"，无法解析裁判文书。',
            f'Workspace {ws.home} has no "judgments" dataset to parse.',
            "请先导入 Load it first: huiyan ingest judgments FILE  或 or  huiyan synth --scale tiny",
        )
    if up_to_date(ws):
        rows = ws.snapshot("judgments").rows
        return ParseReport(parsed=0, unchanged=rows, removed=0, seconds=time.perf_counter() - start)
    from huiyan import snapshots
    from huiyan.writer import writing

    # derived data: written under the workspace's writer lock like any write, but not a
    # change the user asked for (an interrupted parse simply resumes next time)
    with writing(ws.home, "解析裁判文书 parse judgments", tables=(), visible=False) as writer:
        con = writer.con
        todo, removed, total = _parse_new(con, progress=progress, workers=workers)
        if todo or removed:
            writer.changed(*TABLES)
        writer.changed(
            "jd_documents",
            judgments=snapshots.fingerprint(con, "judgments"),
            reader=reader_version(),
        )
    ws.refresh()
    report = ParseReport(
        parsed=todo, unchanged=total - todo, removed=removed, seconds=time.perf_counter() - start
    )
    log.info("%s", report)
    return report


def _parse_new(con: Any, *, progress: bool, workers: int | None) -> tuple[int, int, int]:
    """Parse the new or changed judgments into the derived tables; (parsed, removed, total)."""
    _create_tables(con)
    con.execute(
        "CREATE OR REPLACE TABLE jd_todo AS "
        "SELECT j.doc_id, j.h FROM (SELECT doc_id, "
        f"md5('{reader_version()}:' || coalesce(text, '')) AS h FROM judgments) j "
        "LEFT JOIN jd_documents d ON d.doc_id = j.doc_id AND d.text_hash = j.h "
        "WHERE d.doc_id IS NULL"
    )
    todo = con.execute("SELECT count(*) FROM jd_todo").fetchone()[0]
    removed = con.execute(
        "SELECT count(*) FROM jd_documents WHERE doc_id NOT IN (SELECT doc_id FROM judgments)"
    ).fetchone()[0]
    if todo or removed:
        con.execute("BEGIN")
        for name in TABLES:
            con.execute(
                f"DELETE FROM {name} WHERE doc_id NOT IN (SELECT doc_id FROM judgments) "
                "OR doc_id IN (SELECT doc_id FROM jd_todo)"
            )
        con.execute("COMMIT")
    total = con.execute("SELECT count(*) FROM judgments").fetchone()[0]
    if todo:
        _run(con, todo, progress=progress, workers=workers)
    con.execute("DROP TABLE IF EXISTS jd_todo")  # a work table: cursors do not see TEMP tables
    return todo, removed, total


def _batches(con: Any) -> Iterator[tuple[list[str], list[str | None], list[str], list[str | None]]]:
    reader = (
        con.cursor()
        .execute(
            "SELECT t.doc_id, j.text, t.h, j.region FROM jd_todo t JOIN judgments j USING (doc_id)"
        )
        .fetch_record_batch(_BATCH)
    )
    for batch in reader:
        cols = batch.to_pydict()
        yield cols["doc_id"], cols["text"], cols["h"], cols["region"]


def _run(con: Any, todo: int, *, progress: bool, workers: int | None) -> None:
    from tqdm.auto import tqdm

    n_workers = workers if workers is not None else (2 if todo >= _POOL_MIN else 0)
    meta: deque[tuple[list[str], list[str | None]]] = deque()  # hashes and regions, in job order

    def jobs() -> Iterator[tuple[list[str], list[str | None]]]:
        for doc_ids, texts, hashes, regions in _batches(con):
            meta.append((hashes, regions))
            yield doc_ids, texts

    buffer: list[dict[str, dict[str, list[Any]]]] = []
    buffered = 0
    bar = tqdm(total=todo, disable=not progress, desc="解析裁判文书 parsing judgments", unit="doc")
    pool = mp.get_context("spawn").Pool(n_workers) if n_workers > 0 else None
    try:
        results = pool.imap(_parse_job, jobs()) if pool else map(_parse_job, jobs())
        for cols in results:  # imap keeps job order: the oldest meta belongs to this result
            hashes, regions = meta.popleft()
            cols["jd_documents"]["text_hash"] = hashes
            cols["jd_documents"]["region"] = regions
            n = len(hashes)
            buffer.append(cols)
            buffered += n
            bar.update(n)
            if buffered >= _FLUSH:
                _write(con, buffer)
                buffer, buffered = [], 0
        if buffer:
            _write(con, buffer)
    finally:
        bar.close()
        if pool is not None:
            pool.close()
            pool.join()


def _write(con: Any, chunks: list[dict[str, dict[str, list[Any]]]]) -> None:
    """Insert parsed chunks into every derived table in one transaction."""
    con.execute("BEGIN")
    try:
        for name in reversed(TABLES):  # children first, documents last
            schema = _SCHEMAS[name]
            arrays = [
                pa.array([v for c in chunks for v in c[name][f.name]], type=f.type) for f in schema
            ]
            table = pa.Table.from_arrays(arrays, schema=schema)
            if table.num_rows == 0:
                continue
            con.register("jd_incoming", table)
            con.execute(f"INSERT INTO {name} SELECT * FROM jd_incoming")
            con.unregister("jd_incoming")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def parsed(ws: Workspace) -> JudgmentTables:
    """The derived judgment tables of a workspace as ibis tables (run ``parse_workspace`` first)."""
    missing = [name for name in TABLES if not ws.has_table(name)]
    if missing:
        raise WorkspaceError(
            f"工作区 {ws.home} 还没有解析裁判文书（缺少表 {', '.join(missing)}）。",
            f"Workspace {ws.home} has no parsed judgments yet (missing {', '.join(missing)}).",
            "请先运行 Run first: huiyan.judgments.parse_workspace(ws)",
        )
    t = {name: ws.con.table(name) for name in TABLES}
    return JudgmentTables(
        documents=t["jd_documents"], parties=t["jd_parties"], agents=t["jd_agents"],
        plates=t["jd_plates"], shops=t["jd_shops"], assessors=t["jd_assessors"],
    )  # fmt: skip
