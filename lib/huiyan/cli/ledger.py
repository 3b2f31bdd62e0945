"""Commands of the 'ledger' group: ``huiyan clues`` and its set / import / export forms."""

from __future__ import annotations

import argparse
from pathlib import Path

from huiyan.cli import add_command
from huiyan.cli._common import open_workspace
from huiyan.errors import LedgerError

USAGE = """\
  huiyan clues [MODEL] [--status S] [--region CODE]   列出线索 list clues
  huiyan clues set CLUE_ID STATUS [--note TEXT]       记录核查结果 record an outcome
  huiyan clues import FILE.xlsx                       导入核查表 apply a filled workbook
  huiyan clues export [-o FILE.xlsx]                  导出台账 write the ledger to Excel
  huiyan clues stats [--by model,rule,region,month]   成效统计 effectiveness
  huiyan clues simulate                               合成数据模拟核查结果 synthetic outcomes"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``huiyan clues``."""
    p = add_command(
        sub,
        "clues",
        help="线索台账：列出线索、记录核查结果、Excel 往返 the clue ledger and review outcomes",
        example_text="huiyan clues judicial_auction --status 待核查",
    )
    p.usage = "\n" + USAGE
    p.add_argument(
        "words",
        nargs="*",
        help="MODEL | set CLUE_ID STATUS | import FILE | export | stats | simulate",
    )
    p.add_argument("--status", help="按核查状态筛选 filter by status (待核查, 核查中, ...)")
    p.add_argument("--region", help="按县区代码筛选 filter by county code")
    p.add_argument("--note", help="核查意见 note (required for 不成立)")
    p.add_argument("--reviewer", help="核查人 reviewer (default: your login)")
    p.add_argument("-o", "--output", type=Path, help="导出文件 output workbook")
    p.add_argument("--by", default="model,rule,region", help="统计分组 grouping for stats")
    p.set_defaults(handler=_cmd_clues)


def _need(words: list[str], n: int, form: str) -> list[str]:
    if len(words) != n:
        raise LedgerError(f"用法错误，应为：huiyan clues {form}", f"Usage: huiyan clues {form}")
    return words


def _cmd_clues(args: argparse.Namespace) -> int:
    from huiyan import ledger

    ws = open_workspace(args)
    if not ws.db_path.exists() and not ws.runs_dir.exists():
        from huiyan.errors import WorkspaceError

        raise WorkspaceError(
            f"工作区 {ws.home} 还没有数据，也没有线索台账。",
            f"Workspace {ws.home} has no data and no clue ledger yet.",
            "请检查 --home，或先运行模型 Check --home, or run a model first: huiyan run MODEL",
        )
    ledger.catch_up(ws)  # runs that finished while the database was busy
    words = list(args.words)
    action = words[0] if words else ""
    if action == "set":
        _, clue_id, status = _need(words, 3, "set CLUE_ID STATUS [--note TEXT]")
        change = ledger.set_status(ws, clue_id, status, note=args.note, reviewer=args.reviewer)
        if change.applied:
            print(f"线索 {clue_id}：{change.previous} → {change.status}")
            print(
                f"Clue {clue_id}: {ledger.STATUS_EN[change.previous]} -> "
                f"{ledger.STATUS_EN[change.status]}"
            )
        else:
            print(
                f"线索 {clue_id} 已是「{change.status}」，未改动。 Already {change.status}; unchanged."
            )
        return 0
    if action == "import":
        _, file = _need(words, 2, "import FILE.xlsx")
        report = ledger.import_excel(ws, Path(file), reviewer=args.reviewer)
        print(report.format())
        return 1 if report.problems else 0
    if action == "export":
        _need(words, 1, "export [-o FILE.xlsx]")
        out = args.output or ws.home / "runs" / "clue_ledger.xlsx"
        ledger.export_excel(ws, out, status=args.status, region=args.region)
        print(f"已导出 Written: {out}")
        return 0
    if action == "simulate":
        n = ledger.simulate_outcomes(ws)
        print(f"已为 {n} 条合成线索模拟核查结果。 Simulated review outcomes for {n} clues.")
        return 0
    if action == "stats":
        by = tuple(b.strip() for b in args.by.split(",") if b.strip())
        print(ledger.effectiveness(ws, by=by).to_string(index=False))
        return 0
    _need(words, len(words[:1]), "[MODEL] [--status S] [--region CODE]")
    frame = ledger.clues(ws, model=action or None, status=args.status, region=args.region)
    if frame.empty:
        print("台账中没有符合条件的线索。 No clues in the ledger match.")
        return 0
    cols = ["clue_id", "model", "rule", "region", "status", "present", "summary"]
    shown = frame[cols].rename(
        columns={
            "clue_id": "线索编号",
            "model": "模型",
            "rule": "规则",
            "region": "区划",
            "status": "核查状态",
            "present": "仍存在",
            "summary": "摘要",
        }
    )
    print(shown.to_string(index=False, max_colwidth=60))
    print(f"共 {len(frame)} 条 {len(frame)} clues")
    return 0
