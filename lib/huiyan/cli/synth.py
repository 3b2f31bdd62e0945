"""Commands of the 'synth' group: ``huiyan synth --scale {tiny,county,province} [--seed N] [--phrasing NAME] [--export DIR]``."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    """Add this group's commands to the ``huiyan`` parser."""
    from huiyan.cli import add_command

    parser = add_command(
        sub,
        "synth",
        help="生成合成省份数据（含埋设违规与真值表） fill the workspace with a synthetic province "
        "and its ground truth",
        example_text="huiyan synth --scale tiny --seed 7",
    )
    parser.add_argument(
        "--scale",
        choices=("tiny", "county", "province"),
        default="tiny",
        help="规模 scale: tiny (测试用, seconds), county (一个县), province (全省 90 个县区)",
    )
    parser.add_argument("--seed", type=int, default=7, help="随机种子 random seed (default 7)")
    parser.add_argument(
        "--phrasing",
        default="dev",
        metavar="NAME",
        help="自由文本的措辞族 the phrasing family (or mix) of the free texts: house, realdoc, "
        "heldout, or dev (= house + realdoc, default)",
    )
    parser.add_argument(
        "--export",
        type=Path,
        default=None,
        metavar="DIR",
        help="同时导出为机关格式文件 also write agency-style export files to DIR",
    )
    parser.set_defaults(handler=_synth)


def _synth(args: argparse.Namespace) -> int:
    from huiyan import synth
    from huiyan.cli._common import open_workspace, progress_enabled

    ws = open_workspace(args)
    try:
        report = synth.generate(
            ws,
            scale=args.scale,
            seed=args.seed,
            export=args.export,
            progress=progress_enabled(),
            phrasing=args.phrasing,
        )
    finally:
        ws.close()
    print(report.summary())
    print(f"工作区 Workspace: {ws.home}")
    if args.export is not None:
        print(f"导出文件 Export files: {args.export}")
    return 0
