"""Commands of the 'lab' group: huiyan lab (JupyterLab on the workspace with the project's kernel)."""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from pathlib import Path

from huiyan.cli import add_command
from huiyan.cli._common import open_workspace
from huiyan.workspace import REPO_ROOT

KERNEL_NAME = "huiyan"


def register(sub: argparse._SubParsersAction) -> None:
    """Add this group's commands to the huiyan parser."""
    p = add_command(
        sub,
        "lab",
        help="在工作区上启动 JupyterLab（使用项目的 huiyan 内核） "
        "Start JupyterLab on the workspace with the project's kernel.",
        example_text="huiyan lab --port 8888",
    )
    p.add_argument("--port", type=int, default=None, help="端口 port (default: Jupyter's choice)")
    p.add_argument("--no-browser", action="store_true", help="不打开浏览器 do not open a browser")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="只显示将要运行的命令 print the command instead of running it",
    )
    p.set_defaults(handler=lab_command)


def register_kernel() -> str:
    """Register the ``huiyan`` kernelspec (this interpreter) inside the environment (--sys-prefix)."""
    from ipykernel.kernelspec import install

    return install(kernel_name=KERNEL_NAME, display_name="huiyan 慧眼 (Python)", prefix=sys.prefix)


def lab_command_line(*, port: int | None = None, no_browser: bool = False) -> list[str]:
    """The JupyterLab command ``huiyan lab`` runs: the repository's notebooks, the huiyan kernel."""
    jupyter = Path(sys.executable).with_name("jupyter")
    cmd = [
        str(jupyter) if jupyter.exists() else "jupyter",
        "lab",
        # notebooks/ lives in the checkout; the workspace's data is reached through $HUIYAN_HOME
        f"--ServerApp.root_dir={REPO_ROOT}",
        f"--MappingKernelManager.default_kernel_name={KERNEL_NAME}",
    ]
    if port is not None:
        cmd.append(f"--ServerApp.port={port}")
    if no_browser:
        cmd.append("--no-browser")
    return cmd


def lab_command(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    cmd = lab_command_line(port=args.port, no_browser=args.no_browser)
    env = {**os.environ, "HUIYAN_HOME": str(ws.home)}
    if args.dry_run:
        print(f"{sys.executable} -m ipykernel install --sys-prefix --name {KERNEL_NAME}")
        print(f"HUIYAN_HOME={shlex.quote(str(ws.home))} {shlex.join(cmd)}")
        return 0
    print(f"内核 Kernel: {register_kernel()}")
    print(f"工作区 Workspace: {ws.home}")
    return subprocess.call(cmd, env=env)
