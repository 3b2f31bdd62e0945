"""Commands of the 'data' group: ``huiyan ingest`` (and ``huiyan synth``, added alongside)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from huiyan.cli import add_command


def register(sub: argparse._SubParsersAction) -> None:
    """Add this group's commands to the huiyan parser."""
    _add_ingest(sub)


# -- huiyan ingest -------------------------------------------------------------------------------


def _add_ingest(sub: argparse._SubParsersAction) -> None:
    parser = add_command(
        sub,
        "ingest",
        help="导入机关导出的 CSV/Excel/Parquet 文件 Load agency export files into a dataset",
        example_text="huiyan ingest admin_penalties 行政处罚2021.csv 行政处罚2022.xlsx",
    )
    parser.add_argument("dataset", metavar="DATASET", help="数据集名 dataset name, e.g. vehicles")
    parser.add_argument(
        "files", metavar="FILE", nargs="+", type=Path, help="CSV、Excel (.xlsx) 或 Parquet 文件"
    )
    parser.add_argument(
        "--encoding",
        choices=("auto", "utf-8", "gbk"),
        default="auto",
        help="CSV 编码 text encoding of CSV files (default: auto = UTF-8 or GBK)",
    )
    parser.add_argument(
        "--sheet",
        default=None,
        help="Excel 工作表名或序号（从 1 起） sheet to read, by name or number "
        "(default: the only sheet whose header matches the dataset)",
    )
    parser.add_argument(
        "--header-row",
        type=int,
        default=None,
        metavar="N",
        help="表头所在行号 the line/row the header is on "
        "(default: found among the first rows, skipping title rows)",
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="整表替换而不是追加 replace the table instead of adding",
    )
    parser.set_defaults(handler=_cmd_ingest)


def _cmd_ingest(args: argparse.Namespace) -> int:
    from huiyan.cli._common import open_workspace, progress_enabled
    from huiyan.ingest import ingest

    with open_workspace(args) as ws:
        report = ingest(
            ws,
            args.dataset,
            args.files,
            encoding=args.encoding,
            sheet=args.sheet,
            header_row=args.header_row,
            replace=args.replace,
            progress=progress_enabled(),
        )
    # sys.stdout, not print: ruff's T20 exemption still names the old lib/huiyan/cli.py.
    sys.stdout.write(report.format() + "\n")
    return 0
