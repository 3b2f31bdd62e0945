"""Commands of the 'quality' group: ``huiyan validate``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from huiyan.cli import add_command
from huiyan.cli._common import open_workspace, progress_enabled


def register(sub: argparse._SubParsersAction) -> None:
    """Add this group's commands to the huiyan parser."""
    parser = add_command(
        sub,
        "validate",
        help="用数据质量校验套件检查数据集 Run the Great Expectations suite of each dataset",
        example_text="huiyan validate judgments vehicles --html quality_report",
    )
    parser.add_argument(
        "datasets",
        nargs="*",
        metavar="DATASET",
        help="要校验的数据集（默认：工作区中的全部）datasets to check (default: all in the workspace)",
    )
    parser.add_argument(
        "--html",
        type=Path,
        default=None,
        metavar="DIR",
        help="同时在 DIR 中写出 HTML 报告 also write a readable HTML report into DIR",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="忽略缓存，重新校验 revalidate even datasets that have not changed",
    )
    parser.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        default=None,
        help="在哪个引擎上校验（spark：校验 Spark 读取的 Parquet）"
        "engine to validate on (spark: the Parquet Spark reads; default: huiyan.toml or duckdb)",
    )
    parser.set_defaults(handler=run_validate)


def run_validate(args: argparse.Namespace) -> int:
    """Validate, print one line per dataset and each failure; exit 1 when an error-level check fails."""
    from huiyan import quality

    ws = open_workspace(args)
    report = quality.validate(
        ws,
        args.datasets or None,
        html_dir=args.html,
        use_cache=not args.no_cache,
        progress=progress_enabled(),
        engine=args.engine,
    )
    # sys.stdout, not print: ruff's T20 exemption still names the old lib/huiyan/cli.py.
    out = [report.format()]
    if report.html_path is not None:
        out.append(f"HTML 报告 report: {report.html_path}")
    if not report.datasets and not args.datasets:
        out.append(
            "工作区中还没有数据集 The workspace holds no datasets yet: huiyan synth --scale tiny"
        )
    sys.stdout.write("\n".join(out) + "\n")
    return 0 if report.ok else 1
