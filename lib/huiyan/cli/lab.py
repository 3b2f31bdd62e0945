"""Commands of the 'lab' group: huiyan lab (JupyterLab on the workspace with the project's kernel).

Lab opens on the workspace folder: its own model notebooks (``notebooks/``, where
``huiyan new`` writes), its runs and imported models. The repository's vetted notebooks
sit beside them in ``repository/``, a read-only copy refreshed at every start: Lab
refuses to save there (and, for an ordinary user, so do the file permissions), so a
county adapts a vetted model with ``huiyan new NAME --from MODEL`` instead of editing it.

The server listens on 127.0.0.1 unless ``--ip`` says otherwise, with a token of our own;
the URL is printed, token included, once the server listens. Jupyter refuses to start as
root (the usual user in a container) unless told to allow it: ``huiyan lab`` does, and
says so. JupyterLab runs inside the ``huiyan`` process; ``--dry-run`` prints the
equivalent ``jupyter lab`` command.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shlex
import shutil
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huiyan.cli import add_command
from huiyan.cli._common import open_workspace
from huiyan.errors import WorkspaceError
from huiyan.workspace import REPO_ROOT

KERNEL_NAME = "huiyan"
REPOSITORY_FOLDER = "repository"
"""The read-only copy of the repository's vetted notebooks in the workspace."""
_README = """# 仓库中的已审核模型 The repository's vetted models (read-only)

这里是仓库中已审核模型笔记本的只读副本，每次 huiyan lab 启动时刷新。可以打开、阅读、运行，但不能保存。
要改编一个模型，请新建自己的副本：

    huiyan new 新模型名称 --from judicial_auction

新笔记本在本工作区的 notebooks/ 中。

Read-only copies of the repository's vetted model notebooks, refreshed each time huiyan lab
starts: open, read and run them, but they cannot be saved. To adapt one, make your own copy
(`huiyan new NEW_NAME --from MODEL`); it goes to this workspace's notebooks/.
"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add this group's commands to the huiyan parser."""
    p = add_command(
        sub,
        "lab",
        help="在工作区上启动 JupyterLab（huiyan 内核）：本工作区的 notebooks/ 与仓库已审核模型的只读副本 "
        "repository/；打印带令牌的网址；默认只监听 127.0.0.1 "
        "Start JupyterLab on the workspace, the repository's vetted notebooks beside it (read-only); "
        "prints the URL with its token; listens on 127.0.0.1 unless told otherwise.",
        example_text="huiyan lab --port 8888",
    )
    p.add_argument(
        "--port", type=int, default=None, help="端口 port (default: 8888 or the next free one)"
    )
    p.add_argument(
        "--ip",
        default="127.0.0.1",
        help="监听地址 address to listen on (default 127.0.0.1: this machine only)",
    )
    p.add_argument("--no-browser", action="store_true", help="不打开浏览器 do not open a browser")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="只显示将要运行的命令 print the command instead of running it",
    )
    p.set_defaults(handler=lab_command)


def register_kernel() -> str:
    """The ``huiyan`` kernelspec (this interpreter), installed in the environment if missing."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    with contextlib.suppress(NoSuchKernel):
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
        if spec.argv and Path(spec.argv[0]) == Path(sys.executable):
            return str(spec.resource_dir)
    from ipykernel.kernelspec import install

    return install(kernel_name=KERNEL_NAME, display_name="huiyan 慧眼 (Python)", prefix=sys.prefix)


def refuse_repository_edits(*, path: str, model: Any, contents_manager: Any, **_: Any) -> None:
    """Jupyter's pre-save hook: nothing is saved into the read-only repository copy."""
    parts = Path(path.strip("/")).parts
    if parts and parts[0] == REPOSITORY_FOLDER:
        from tornado.web import HTTPError

        raise HTTPError(
            403,
            f"{REPOSITORY_FOLDER}/ 是仓库已审核模型的只读副本，不能保存。请用 "
            "huiyan new 新名称 --from 模型 建立自己的副本。 "
            f"{REPOSITORY_FOLDER}/ holds read-only copies of the repository's vetted models; "
            "make your own with huiyan new NEW_NAME --from MODEL.",
        )


def copy_repository_notebooks(home: Path) -> Path | None:
    """Refresh ``<home>/repository/``: read-only copies of the repository's model notebooks.

    None when the workspace is the repository itself (its notebooks/ is right there).
    """
    if home.resolve() == REPO_ROOT.resolve():
        return None
    target = home / REPOSITORY_FOLDER
    if target.exists():
        for path in [target, *target.rglob("*")]:
            with contextlib.suppress(OSError):
                path.chmod(path.stat().st_mode | stat.S_IWUSR)
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for nb in sorted((REPO_ROOT / "notebooks").glob("*.ipynb")):
        shutil.copyfile(nb, target / nb.name)
    (target / "README.md").write_text(_README, encoding="utf-8")
    for path in target.iterdir():
        path.chmod(0o444)
    target.chmod(0o555)
    return target


@dataclass(frozen=True)
class Lab:
    """What ``huiyan lab`` starts: the Jupyter command line, its environment, the token."""

    command: list[str]
    env: Mapping[str, str]
    ip: str
    token: str
    as_root: bool

    def url(self, port: int) -> str:
        """The URL to open once the server listens on ``port``, token included."""
        host = "127.0.0.1" if self.ip in ("0.0.0.0", "::", "") else self.ip
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/lab?token={self.token}"


def lab(
    home: Path,
    *,
    ip: str = "127.0.0.1",
    port: int | None = None,
    no_browser: bool = False,
    token: str | None = None,
) -> Lab:
    """The JupyterLab command for the workspace at ``home`` (nothing is started)."""
    jupyter = Path(sys.executable).with_name("jupyter")
    token = token or secrets.token_hex(24)
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    cmd = [
        str(jupyter) if jupyter.exists() else "jupyter",
        "lab",
        f"--ServerApp.root_dir={home}",
        f"--ServerApp.ip={ip}",
        f"--IdentityProvider.token={token}",
        f"--MappingKernelManager.default_kernel_name={KERNEL_NAME}",
        f"--ContentsManager.pre_save_hook={__name__}.refuse_repository_edits",
    ]
    if port is not None:  # the port asked for, or none: never another one
        cmd += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    if as_root:
        cmd.append("--allow-root")
    if no_browser:
        cmd.append("--no-browser")
    env = {**os.environ, "HUIYAN_HOME": str(home)}
    return Lab(cmd, env, ip, token, as_root)


def lab_command(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    home = ws.home
    started = lab(home, ip=args.ip, port=args.port, no_browser=args.no_browser)
    if args.dry_run:
        print(f"{sys.executable} -m ipykernel install --sys-prefix --name {KERNEL_NAME}")
        print(f"HUIYAN_HOME={shlex.quote(str(home))} {shlex.join(started.command)}")
        return 0
    from huiyan import catalog

    own = catalog.own_folder(ws)
    try:
        own.mkdir(parents=True, exist_ok=True)
        copy = copy_repository_notebooks(home)
    except OSError as err:
        raise WorkspaceError(
            f"无法在工作区 {home} 中建立文件夹：{err}",
            f"Cannot create folders in the workspace {home}: {err}",
            "请确认您对该文件夹有写权限，或用 --home 指定自己的工作区 Make sure you can write "
            "to it, or name a workspace of your own with --home.",
        ) from err
    try:
        print(f"内核 Kernel: {register_kernel()}")
    except OSError as err:  # an ordinary user cannot write into the shared environment
        print(f"注意 Note: 无法登记 huiyan 内核 cannot register the huiyan kernel ({err}); "
              "请让管理员运行一次 ask an administrator to run huiyan lab once")  # fmt: skip
    print(f"工作区 Workspace: {home}")
    print(f"本工作区的模型 This workspace's models: {own}")
    if copy is not None:
        print(f"仓库已审核模型（只读） The repository's vetted models (read-only): {copy}")
    if started.as_root:
        print(
            "以 root 身份运行（容器中常见）：已为 Jupyter 加上 --allow-root。"
            "Running as root (usual in a container): Jupyter's root check is passed with --allow-root."
        )
    if args.ip not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"注意 Note: 监听 {args.ip}，网络上持有令牌的人都能访问 listening on {args.ip}: "
            "anyone on the network with the token can reach it."
        )
    # JupyterLab runs in this process (no second interpreter to find): Ctrl-C and a kill reach
    # it directly, and it shuts its kernels down before this command returns
    from jupyterlab.labapp import LabApp

    os.environ["HUIYAN_HOME"] = str(home)
    server = LabApp.initialize_server(argv=started.command[2:])

    def say_where() -> None:  # queued after the server binds its port: this URL is the real one
        print(f"打开 Open: {started.url(server.port)}", flush=True)

    server.io_loop.add_callback(say_where)
    server.start()
    return 0
