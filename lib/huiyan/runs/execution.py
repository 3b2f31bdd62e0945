"""Executing a model notebook with papermill: the kernel, the papermill engine, and saving.

Two things make a run's fixed cost smaller than papermill's defaults:

- The kernel can start before the notebook executes (:func:`start_kernel`), so it boots
  while the runner checks parameters and validates the inputs. papermill hands it to
  nbclient (``km=``), which then shuts it down at the end as if it had started it.
- papermill writes the whole notebook (serialised and schema-checked) before and after
  every cell. A run writes it at most every :data:`SAVE_EVERY_S` seconds while cells run
  and always when the notebook ends, failed or not, so a long run can still be watched
  and a failed one still shows its failing cell.

Both live in a papermill engine of our own (:data:`ENGINE`), papermill's extension point
for how a notebook is executed.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

KERNEL_NAME = "python3"
"""The kernel runs use: jupyter_client starts it with this interpreter (sys.executable)."""
KERNEL_ARGUMENTS = (
    # the kernel's own log is not the user's business: its start-up warnings, and the
    # "KeyboardInterrupt caught in kernel" it logs as an error each time jupyter_client
    # interrupts it before shutting it down (a crash still fails the run, named by nbclient)
    "--IPKernelApp.log_level=CRITICAL",
    "--HistoryManager.hist_file=:memory:",  # as nbclient does: no shared history database
    # the libraries every model notebook imports load as the kernel starts (huiyan.runs.warmup)
    "--IPKernelApp.exec_lines=import huiyan.runs.warmup as _huiyan_warmup; del _huiyan_warmup",
)
SAVE_EVERY_S = 10.0
"""While cells run, notebook.ipynb is rewritten at most this often (and always at the end)."""
ENGINE = "huiyan"
"""The papermill engine name runs use (registered by :func:`papermill`)."""

_registered = False
_lock = threading.Lock()


def papermill() -> Any:
    """The papermill module, with the run engine registered (safe to call from any thread).

    papermill tries pyarrow on import, for notebooks on HDFS, which runs never use: importing
    pyarrow then (0.1-0.2 s) would delay every run's notebook. It is kept out of that import
    only; whatever needs pyarrow later imports it as usual.
    """
    global _registered
    with _lock:
        if "papermill" not in sys.modules and "pyarrow" not in sys.modules:
            sys.modules["pyarrow"] = None  # type: ignore[assignment]  # import pyarrow fails
            try:
                import papermill as pm
            finally:
                del sys.modules["pyarrow"]
        import papermill as pm

        if not _registered:
            from papermill.engines import papermill_engines

            papermill_engines.register(ENGINE, _engine())
            _registered = True
    return pm


def start_kernel(env: Mapping[str, str], *, cwd: Path, detached: bool = False) -> Any:
    """Start the notebook kernel now with ``env`` added to this process's environment.

    Returns the jupyter_client kernel manager to pass to :func:`execute_notebook`; the
    kernel boots in its own process while the caller goes on. A ``detached`` kernel may
    outlive this process (a warm kernel, :mod:`huiyan.runs.warm`): it does not watch its
    parent, and its standard streams are not this process's, so nothing waits on them.
    """
    import subprocess

    from jupyter_client import AsyncKernelManager
    from jupyter_core.utils import run_sync

    km = AsyncKernelManager(kernel_name=KERNEL_NAME)
    streams: dict[str, Any] = {}
    if detached:
        streams = dict.fromkeys(("stdin", "stdout", "stderr"), subprocess.DEVNULL)
        streams["independent"] = True
    run_sync(km.start_kernel)(
        extra_arguments=list(KERNEL_ARGUMENTS), env={**os.environ, **env}, cwd=str(cwd), **streams
    )
    return km


RESET_CODE = (
    "get_ipython().run_line_magic('reset', '-f')\nget_ipython().execution_count = 1\n"
    "import huiyan.rules as _rules\n_rules.forget_notebook_rules()\ndel _rules\n"
)
"""Forget a previous notebook: its variables and notebook rules (imports stay loaded)."""


def configure_kernel(
    km: Any, env: Mapping[str, str], *, cwd: Path, fresh: bool = True, timeout: float = 120
) -> None:
    """Point a started kernel at one run: its environment and folder, set before any cell runs.

    The kernel can start before the run's snapshot and folder are known (it boots while the
    runner checks), and one kernel can serve several runs in turn: a reused kernel
    (``fresh=False``) first forgets the previous notebook, unless that was done when it was
    given back (:func:`forget_previous`), so each notebook runs as if alone, numbered from
    In [1]. Returns when the kernel has run this, so it is ready.
    """
    from jupyter_core.utils import run_sync

    code = "import os as _os\n"
    if not fresh:
        reset = RESET_CODE.replace("\n", "\n    ")
        code = f"if get_ipython().execution_count != 1:\n    {reset.rstrip()}\n" + code
    code += f"_os.environ.update({dict(env)!r})\n_os.chdir({str(cwd)!r})\ndel _os\n"
    # the client that saw the kernel ready executes the notebook too: a second client would
    # wait for the kernel again (about 0.3 s of a run that takes two)
    km.huiyan_client = run_sync(_run_silently)(km, code, timeout)


def forget_previous(connection: Mapping[str, Any]) -> None:
    """Have an idle kernel forget its notebook now, so the next run need not wait for it.

    Sent without waiting for the answer: the kernel works on it while no one waits, and a
    run that claims it meanwhile is queued behind it (:func:`configure_kernel` checks).
    One message on one socket: a kernel client's channels would take ~1 s to stop (they join
    their threads and terminate their own zmq context), all of it at the end of the run.
    """
    import zmq
    from jupyter_client.session import Session

    info = connection  # the kernel's connection file, as jupyter_client writes it
    session = Session(key=str(info["key"]).encode(), signature_scheme=info["signature_scheme"])
    context = zmq.Context()
    shell = context.socket(zmq.DEALER)
    shell.linger = 2000  # ms: ending the context below waits until the message has left
    try:
        shell.connect(f"{info['transport']}://{info['ip']}:{info['shell_port']}")
        request = {
            "code": RESET_CODE,
            "silent": True,
            "store_history": False,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": False,
        }
        session.send(shell, "execute_request", request)
    finally:
        shell.close()
        context.term()


async def _run_silently(km: Any, code: str, timeout: float) -> Any:
    """Execute ``code`` quietly; return the connected client once the kernel has answered on
    both channels (its answer proves it ready, without jupyter_client's fixed 0.2 s wait)."""
    import asyncio
    import time
    from queue import Empty

    kc = km.client()
    kc.start_channels()
    deadline = time.monotonic() + timeout
    try:
        msg_id = kc.execute(code, silent=True, store_history=False)
        while True:
            try:
                reply = await kc.get_shell_msg(timeout=1)
            except Empty:
                if time.monotonic() > deadline or not await _ensure(km.is_alive()):
                    raise RuntimeError("内核没有响应 The kernel did not answer") from None
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content.get("status") != "ok":
            raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")
        # outputs travel on iopub: seeing this request's "idle" there proves it connected
        try:
            while True:
                msg = await asyncio.wait_for(kc.get_iopub_msg(), timeout=2)
                if (
                    msg["parent_header"].get("msg_id") == msg_id
                    and msg["msg_type"] == "status"
                    and msg["content"].get("execution_state") == "idle"
                ):
                    break
        except (TimeoutError, Empty):
            await kc.wait_for_ready(timeout=timeout)
    except BaseException:
        kc.stop_channels()
        raise
    return kc


async def _ensure(value: Any) -> Any:
    import inspect

    return await value if inspect.isawaitable(value) else value


def stop_kernel(km: Any) -> None:
    """Stop a kernel started by :func:`start_kernel` that no notebook will use."""
    if km is None or not km.has_kernel:
        return
    from jupyter_core.utils import run_sync

    with contextlib.suppress(Exception):
        run_sync(km.shutdown_kernel)(now=True)  # also removes its connection file


class CellFailed(Exception):
    """A notebook cell raised; ``error`` is papermill's PapermillExecutionError (cell, source)."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def execute_notebook(
    notebook: Path,
    output: Path,
    *,
    parameters: Mapping[str, Any],
    kernel: Any,
    progress: bool = False,
    keep_kernel: bool = False,
) -> None:
    """Execute ``notebook`` into ``output`` with papermill on the started ``kernel``.

    The kernel is shut down when the notebook ends, unless ``keep_kernel`` (the next county
    of ``--each-county`` runs on it).

    Raises:
        CellFailed: a cell raised; the output notebook is written first, with that cell marked.
    """
    pm = papermill()
    handed = getattr(kernel, "huiyan_client", None)
    try:
        pm.execute_notebook(
            str(notebook),
            str(output),
            parameters=dict(parameters),
            kernel_name=KERNEL_NAME,
            engine_name=ENGINE,
            cwd=str(notebook.parent),
            progress_bar=progress,
            log_output=False,
            km=kernel,
            keep_kernel=keep_kernel,
        )
    except pm.PapermillExecutionError as err:
        raise CellFailed(err) from err
    finally:
        if handed is not None:  # nbclient leaves a kept kernel's client connected
            with contextlib.suppress(Exception):
                handed.stop_channels()


def _engine() -> type:
    """papermill's nbclient engine, with throttled saves and a kernel handed over by the run."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, NotebookExecutionManager
    from papermill.log import logger

    class Manager(NotebookExecutionManager):  # type: ignore[misc]
        """Saves at most every SAVE_EVERY_S seconds while cells run, and always at the end."""

        final = False

        def save(self, **kwargs: Any) -> None:
            elapsed = (self.now() - self.last_save_time).total_seconds()
            if self.final or elapsed >= SAVE_EVERY_S:
                super().save(**kwargs)

        def notebook_complete(self, **kwargs: Any) -> None:
            self.final = True
            super().notebook_complete(**kwargs)

    class Client(PapermillNotebookClient):  # type: ignore[misc]
        """The kernel started for this run is this run's: shut it down when the notebook ends."""

        def __init__(
            self, nb_man: Any, km: Any = None, keep_kernel: bool = False, **kw: Any
        ) -> None:
            super().__init__(nb_man, km=km, **kw)
            self.owns_km = not keep_kernel
            # the client configure_kernel left connected and ready (taken: used once)
            self.kc = getattr(km, "huiyan_client", None)
            if km is not None:
                km.huiyan_client = None

    class Engine(NBClientEngine):  # type: ignore[misc]
        @classmethod
        def execute_notebook(
            cls,
            nb: Any,
            kernel_name: str,
            output_path: str | None = None,
            progress_bar: bool = True,
            log_output: bool = False,
            autosave_cell_every: int = 30,
            **kwargs: Any,
        ) -> Any:
            nb_man = Manager(
                nb,
                output_path=output_path,
                progress_bar=progress_bar,
                log_output=log_output,
                autosave_cell_every=autosave_cell_every,
            )
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            **kwargs: Any,
        ) -> Any:
            for unused in ("input_path", "timeout", "startup_timeout"):
                kwargs.pop(unused, None)
            return Client(
                nb_man,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                **kwargs,
            ).execute()

    return Engine
