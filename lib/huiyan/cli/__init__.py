"""The ``huiyan`` command: a thin layer that parses arguments, calls the library and prints.

Each command group lives in its own module here (``data``, ``quality``,
``judgments``, ``models``, ...) with a ``register(subparsers)`` function. Errors
raised on purpose (:class:`huiyan.errors.HuiyanError`) are printed as their
bilingual message with the error's exit code; anything unexpected is printed as
a short bilingual notice, with the traceback kept in a log file, never on screen.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib
import logging
import os
import sys
import tempfile
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path

from huiyan import interrupts
from huiyan.errors import HuiyanError

GROUPS = (
    "synth", "data", "quality", "judgments", "reading", "models", "sharing", "ledger", "lab",
)  # fmt: skip
"""Command-group modules, in the order their commands appear in ``huiyan --help``."""

EPILOG = """\
示例 Example:
  huiyan synth --scale tiny && huiyan run insurance_fraud
"""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    pass


def example(text: str) -> str:
    """A help epilog that ends with a runnable example, as every command's help must."""
    return f"示例 Example:\n  {text}\n"


def add_command(
    sub: argparse._SubParsersAction, name: str, *, help: str, example_text: str
) -> argparse.ArgumentParser:
    """Add one sub-command with its bilingual help and a runnable example."""
    parser = sub.add_parser(
        name, help=help, description=help, epilog=example(example_text), formatter_class=_Formatter
    )
    parser.add_argument(
        "--home",
        type=Path,
        default=argparse.SUPPRESS,
        help="工作区目录 workspace folder (default: $HUIYAN_HOME or the repository root)",
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="huiyan",
        description="慧眼 huiyan: 大数据法律监督模型工作台 a workbench for legal supervision models.",
        epilog=EPILOG,
        formatter_class=_Formatter,
    )
    parser.add_argument("--home", type=Path, default=None, help="工作区目录 workspace folder")
    parser.add_argument("-q", "--quiet", action="store_true", help="不显示进度 no progress bars")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in GROUPS:
        module = importlib.import_module(f"huiyan.cli.{group}")
        module.register(sub)
    return parser


def _crash_log(err: BaseException) -> Path:
    fd, name = tempfile.mkstemp(prefix="huiyan-error-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("".join(traceback.format_exception(err)))
    return Path(name)


def _interrupted() -> int:
    """Ctrl-C: say truthfully what was kept, and exit 130 as shells expect."""
    saved = interrupts.saved()
    if saved:
        print(
            f"已中断。中断前已完成并保存：{'；'.join(saved)}。其余未改动。\n"
            f"Interrupted. Completed and saved before the interrupt: {'; '.join(saved)}. "
            "Nothing else was changed.",
            file=sys.stderr,
        )
    else:
        print("已中断，未载入/未改动任何数据 Interrupted; nothing was changed.", file=sys.stderr)
    return 130


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``huiyan`` console script; returns the exit status."""
    interrupts.install()  # first of all: a Ctrl-C at any moment gets the plain message
    os.environ["HUIYAN_CLI"] = "1"  # a run may time the command's own start-up
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
    except KeyboardInterrupt:
        return _interrupted()
    if args.command is None:
        parser.print_help()
        return 0
    if args.home is not None:
        os.environ["HUIYAN_HOME"] = str(args.home.expanduser().resolve())
    if args.quiet:
        os.environ["HUIYAN_QUIET"] = "1"
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        return _interrupted()
    except HuiyanError as err:
        if interrupts.was_interrupted():
            return _interrupted()
        print(f"错误 Error: {err}", file=sys.stderr)
        return err.exit_code
    except Exception as err:  # the last line of defence: no user ever sees a traceback
        if interrupts.was_interrupted():  # DuckDB turns Ctrl-C into a RuntimeError mid-query
            return _interrupted()
        log_path = _crash_log(err)
        print(
            f"内部错误：{type(err).__name__}: {err}\n"
            f"Internal error: {type(err).__name__}: {err}\n"
            f"详细信息已写入 Details were written to {log_path}; 请将该文件发给维护人员 "
            "please send it to the maintainers.",
            file=sys.stderr,
        )
        return 3


def console() -> None:
    """The ``huiyan`` console script: :func:`main`, then a quick exit.

    Once every thread has finished, the exit handlers have run and the output is flushed,
    all that Python's own teardown would still do is free the loaded libraries object by
    object: about 0.3 s with ibis, pyarrow and DuckDB loaded, a sixth of a small run. Files
    are closed by the operating system; the workspace's data is written before commands
    return (DuckDB here is in memory, the ledger's SQLite commits as it goes).
    """
    code = main()
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe (| head) has nothing to flush into
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    console()
