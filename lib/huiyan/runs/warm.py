"""Warm kernels: the kernel of one `huiyan run` waits, loaded, for the next run of the same model.

A run's fixed cost is mostly the notebook kernel: a Python process that imports ibis, DuckDB,
pandas and the library before the first cell can run. `huiyan run MODEL` from the command
line therefore leaves its kernel *parked* in ``<workspace>/.kernels/`` when the run succeeds,
and the next run of that model in that workspace *claims* it instead of starting one: its
libraries are loaded, and its namespace is cleared (``%reset -f``, notebook-defined rules
forgotten) so the notebook runs as if in a new kernel.

A parked kernel is only reused while nothing it has loaded has changed: the library's files,
the repository's and the workspace's ``datasets/*.yaml`` (contracts, vocabulary,
thresholds), the Python interpreter and the ``HUIYAN_*`` settings make its *fingerprint*;
a kernel with another fingerprint is shut down, never reused. A parked kernel exits by itself
after :func:`idle_seconds` idle (``HUIYAN_WARM_KERNEL_S``, default 600; ``0`` turns warm
kernels off), and also when the command that claimed it died without giving it back.

The files, one per kernel (``<pid>`` is the kernel's process id), in ``.kernels/<uid>/``,
readable by their user only (they hold the key to the kernel):

    <pid>.parked.json             waiting; its modification time is when it was parked
    <pid>.claimed-<runner>.json   in use by the `huiyan` process <runner>

Claiming is an atomic rename, so two runs never share a kernel, and a kernel that decides to
exit first renames its own parked file away, so a run never claims a kernel that is leaving.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

DEFAULT_IDLE_S = 600
DIR_NAME = ".kernels"
_ENV_DIR = "HUIYAN_KERNEL_DIR"
_ENV_IDLE = "HUIYAN_WARM_KERNEL_S"


def idle_seconds() -> int:
    """How long a parked kernel waits for the next run (``HUIYAN_WARM_KERNEL_S``); 0 = off."""
    try:
        return max(0, int(os.environ.get(_ENV_IDLE, DEFAULT_IDLE_S)))
    except ValueError:
        return DEFAULT_IDLE_S


def enabled() -> bool:
    """Warm kernels serve runs started from the command line (not library calls or tests)."""
    return os.environ.get("HUIYAN_CLI") == "1" and idle_seconds() > 0


def kernel_dir(home: Path) -> Path:
    """This user's warm kernels of workspace ``home`` (a kernel runs as its user: only that
    user may reach it, and its files hold the key to it)."""
    return Path(home) / DIR_NAME / str(os.getuid())


def fingerprint(home: Path) -> str:
    """What a warm kernel has loaded that a run could change (see the module docstring)."""
    import huiyan
    from huiyan.repository import REPO_ROOT

    digest = hashlib.sha256(sys.executable.encode())
    package = Path(huiyan.__file__).parent
    files = sorted(package.rglob("*.py")) + sorted(package.rglob("*.yaml"))
    for folder in (REPO_ROOT / "datasets", Path(home) / "datasets"):
        files += sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.csv"))
    for path in files:
        with contextlib.suppress(OSError):
            st = path.stat()
            digest.update(f"{path}\0{st.st_mtime_ns}\0{st.st_size}\n".encode())
    settings = sorted((k, v) for k, v in os.environ.items() if k.startswith("HUIYAN_"))
    digest.update(json.dumps([s for s in settings if s[0] != "HUIYAN_CLI"]).encode())
    return digest.hexdigest()[:16]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class WarmKernel:
    """A kernel this process holds by its claim file: what nbclient and the runner need of a
    jupyter_client kernel manager (a client, liveness, interrupt, shutdown)."""

    has_kernel = True
    ipykernel = True

    def __init__(self, info: dict[str, Any], claim: Path) -> None:
        self.info = info
        self.pid = int(info["pid"])
        self.claim = claim
        self.kernel_id = f"warm-{self.pid}"

    def client(self, **kwargs: Any) -> Any:
        from jupyter_client.asynchronous import AsyncKernelClient

        kc = AsyncKernelClient(**kwargs)
        kc.load_connection_info(self.info["connection"])
        return kc

    async def is_alive(self) -> bool:
        return _alive(self.pid)

    async def interrupt_kernel(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGINT)

    async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        self.stop()

    async def cleanup_resources(self, restart: bool = False) -> None:
        return None

    def stop(self) -> None:
        """End the kernel and drop its file."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)  # the kernel leads its own session
        self.claim.unlink(missing_ok=True)

    def park(self) -> None:
        """Give the kernel back for the next run (the idle clock starts now); it forgets the
        notebook it ran while it waits."""
        from huiyan.runs.execution import forget_previous

        with contextlib.suppress(Exception):  # the next run resets it if this did not arrive
            forget_previous(self.info["connection"])
        parked = self.claim.with_name(f"{self.pid}.parked.json")
        os.utime(self.claim)
        os.replace(self.claim, parked)
        self.claim = parked


def claim(home: Path, model: str) -> WarmKernel | None:
    """A parked kernel of ``model`` with this workspace's fingerprint, now ours; or None.

    Parked kernels of another fingerprint (the library or a vocabulary changed) are shut down.
    """
    folder = kernel_dir(home)
    if not folder.is_dir():
        return None
    import jupyter_client.asynchronous  # noqa: F401  (now, before anything loads in the background)

    wanted = fingerprint(home)
    for parked in sorted(folder.glob("*.parked.json")):
        mine = parked.with_name(f"{parked.name.split('.')[0]}.claimed-{os.getpid()}.json")
        try:
            os.rename(parked, mine)  # atomic: the kernel, or another run, may take it first
        except FileNotFoundError:
            continue
        try:
            info = json.loads(mine.read_text(encoding="utf-8"))
            kernel = WarmKernel(info, mine)
        except (OSError, ValueError, KeyError):
            mine.unlink(missing_ok=True)
            continue
        if info.get("model") == model and info.get("fingerprint") == wanted and _alive(kernel.pid):
            return kernel
        kernel.stop()
    return None


def adopt(home: Path, model: str, km: Any) -> WarmKernel:
    """Hold a kernel just started by jupyter_client (detached, see :func:`kernel_options`)."""
    info = {
        "model": model,
        "fingerprint": fingerprint(home),
        "pid": int(km.provisioner.pid),
        "connection": _json_ready(km.get_connection_info()),
    }
    folder = kernel_dir(home)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    path = folder / f"{info['pid']}.claimed-{os.getpid()}.json"
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(info, out)
    os.replace(tmp, path)
    kernel = WarmKernel(info, path)
    kernel.manager = km  # type: ignore[attr-defined]  # jupyter_client's, kept for its files
    return kernel


def _json_ready(connection: dict[str, Any]) -> dict[str, Any]:
    return {k: v.decode() if isinstance(v, bytes) else v for k, v in connection.items()}


def kernel_options(home: Path) -> dict[str, Any]:
    """How to start a kernel that may outlive this process: detached from its terminal and
    its parent (no parent polling), watching its own idle time (:func:`watch`)."""
    return {
        "env": {_ENV_DIR: str(kernel_dir(home)), _ENV_IDLE: str(idle_seconds())},
        "detached": True,
    }


# -- inside the kernel ----------------------------------------------------------------------------


def watch() -> None:
    """Start the kernel's watchdog thread when it was started as a warm kernel."""
    folder = os.environ.get(_ENV_DIR)
    if folder:
        threading.Thread(
            target=_watch, args=(Path(folder), idle_seconds()), name="huiyan-idle", daemon=True
        ).start()


def _watch(folder: Path, idle_s: int) -> None:
    pid = os.getpid()
    parked = folder / f"{pid}.parked.json"
    born = time.time()
    while True:
        time.sleep(max(0.2, min(5.0, idle_s / 4)))
        try:
            idle = time.time() - parked.stat().st_mtime
        except FileNotFoundError:
            claims = list(folder.glob(f"{pid}.claimed-*.json"))
            holders = [int(c.name.split("-")[1].split(".")[0]) for c in claims]
            if any(_alive(h) for h in holders):
                continue
            if claims or time.time() - born > max(idle_s, 120):  # its runner died
                for c in claims:
                    c.unlink(missing_ok=True)
                os._exit(0)
            continue
        if idle < idle_s:
            continue
        leaving = folder / f"{pid}.leaving"
        try:
            os.rename(parked, leaving)  # a run claiming it at this moment wins the rename
        except FileNotFoundError:
            continue
        leaving.unlink(missing_ok=True)
        os._exit(0)
