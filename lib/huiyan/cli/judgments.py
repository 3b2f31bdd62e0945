"""Commands of the 'judgments' group: ``huiyan judgments parse FILE...``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from huiyan.errors import HuiyanError


class JudgmentFileError(HuiyanError):
    """A judgment text file cannot be read."""


def register(sub: argparse._SubParsersAction) -> None:
    """Add this group's commands to the huiyan parser."""
    from huiyan.cli import add_command, example

    group = sub.add_parser(
        "judgments",
        help="裁判文书 judgment texts",
        description="裁判文书 judgment texts",
        epilog=example("huiyan judgments parse judgment.txt"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    group_sub = group.add_subparsers(dest="judgments_command", metavar="COMMAND")
    group.set_defaults(handler=lambda args: (group.print_help(), 0)[1])
    parser = add_command(
        group_sub,
        "parse",
        help="解析裁判文书文本，每份文书输出一行 JSON  parse judgment texts, one JSON object per document",
        example_text="huiyan judgments parse judgment.txt",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="裁判文书 .txt 文件")
    parser.set_defaults(handler=_parse)


def _read(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise JudgmentFileError(
            f"无法读取裁判文书文件 {path}：{err.strerror or err}。",
            f"Cannot read the judgment file {path}: {err.strerror or err}.",
            "请检查文件路径 Check the path.",
        ) from err
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if text.strip():
            return text
        break
    else:
        raise JudgmentFileError(
            f"裁判文书文件 {path} 既不是 UTF-8 也不是 GBK 编码的文本。",
            f"The judgment file {path} is not UTF-8 or GBK text.",
            "请另存为 UTF-8 文本 Save it as UTF-8 text.",
        )
    raise JudgmentFileError(
        f"裁判文书文件 {path} 是空的。",
        f"The judgment file {path} is empty.",
    )


def _parse(args: argparse.Namespace) -> int:
    from huiyan.judgments import parse

    texts = [(path, _read(path)) for path in args.files]  # refuse before printing anything
    for _path, text in texts:
        sys.stdout.write(json.dumps(parse(text).to_dict(), ensure_ascii=False) + "\n")
    return 0
