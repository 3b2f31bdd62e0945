"""huiyan lab: JupyterLab on the workspace, the repository's notebooks beside it, read-only.

The serving test starts the real server (as root when the tests run as root, the usual
case in a container, and as the ordinary user ``nobody``), asks its REST API for the
workspace's folder with the token huiyan printed, and tries to save into the read-only
copy of the repository's notebooks.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from huiyan.cli import main
from huiyan.workspace import REPO_ROOT

NOBODY = 65534
URL = re.compile(r"打开 Open: (http://127\.0\.0\.1:\d+)/lab\?token=([0-9a-f]+)")


def huiyan_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["-q", *argv])
    return code, out.getvalue(), err.getvalue()


def test_lab_dry_run_prints_the_command(tmp_path: Path) -> None:
    code, out, _ = huiyan_cli("--home", str(tmp_path), "lab", "--dry-run", "--port", "9999")
    assert code == 0
    assert f"HUIYAN_HOME={tmp_path}" in out
    assert "jupyter lab" in out.replace("/jupyter lab", "jupyter lab")
    assert f"--ServerApp.root_dir={tmp_path}" in out  # the workspace, not the repository
    assert "--ServerApp.ip=127.0.0.1" in out  # this machine only, unless told otherwise
    assert "--ServerApp.port=9999" in out
    assert re.search(r"--IdentityProvider\.token=[0-9a-f]{48}", out)
    assert "--MappingKernelManager.default_kernel_name=huiyan" in out
    assert "ipykernel install --sys-prefix --name huiyan" in out
    assert ("--allow-root" in out) == (os.geteuid() == 0)


def _request(url: str, method: str = "GET", body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


def _serve(home: Path, env: dict[str, str], log: Path, *, user: int | None = None) -> str:
    """Start huiyan lab, check what it serves through its API, stop it; returns what it printed."""
    command = [str(Path(sys.executable).with_name("huiyan")), "--home", str(home), "lab",
               "--no-browser"]  # fmt: skip
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 120
        found = None
        while found is None and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.5)
            found = URL.search(log.read_text(errors="replace"))
        assert found, f"huiyan lab printed no URL:\n{log.read_text(errors='replace')}"
        base, token = found.groups()
        status, listing = 0, {}
        while status != 200 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.5)
            with contextlib.suppress(OSError):
                status, listing = _request(f"{base}/api/contents?token={token}")
        assert status == 200, log.read_text(errors="replace")
        names = {item["name"] for item in listing["content"]}
        assert {"notebooks", "repository"} <= names
        status, shipped = _request(f"{base}/api/contents/repository?token={token}")
        assert "judicial_auction.ipynb" in {item["name"] for item in shipped["content"]}
        refused, answer = _request(
            f"{base}/api/contents/repository/judicial_auction.ipynb?token={token}",
            "PUT",
            {"type": "file", "format": "text", "content": "edited"},
        )
        assert refused == 403 and "huiyan new" in answer["message"]
        saved, _ = _request(
            f"{base}/api/contents/notebooks/notes.txt?token={token}",
            "PUT",
            {"type": "file", "format": "text", "content": "mine"},
        )
        assert saved in (200, 201) and (home / "notebooks" / "notes.txt").exists()
        status, _ = _request(f"{base}/api/contents")
        assert status == 403  # nothing without the token
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
        if process.poll() is None:
            process.kill()
    return log.read_text(errors="replace")


@pytest.mark.slow
def test_lab_serves_the_workspace_as_root_and_as_an_ordinary_user(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "JUPYTER_"))}
    env.pop("HUIYAN_HOME", None)
    if os.geteuid() != 0:  # an ordinary user already: that is the case to check here
        home = tmp_path / "ws"
        out = _serve(home, {**env, "HOME": str(tmp_path)}, tmp_path / "lab.log")
        assert "--allow-root" not in out
        pytest.skip("as root: not root here, only the ordinary user was checked")
    home = tmp_path / "root-ws"
    out = _serve(home, {**env, "HOME": str(tmp_path / "root-home")}, tmp_path / "root.log")
    assert "Running as root" in out and "--allow-root" in out
    assert (home / "repository" / "judicial_auction.ipynb").read_bytes() == (
        REPO_ROOT / "notebooks" / "judicial_auction.ipynb"
    ).read_bytes()
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv is missing: cannot become an ordinary user to check that case")
    # pytest's own temporary folders are root's alone: nobody gets one of its own
    base = Path(tempfile.mkdtemp(prefix="huiyan-lab-"))
    try:
        user_home, ws = base / "home", base / "ws"
        for folder in (base, user_home, ws):
            folder.mkdir(exist_ok=True)
            os.chown(folder, NOBODY, NOBODY)
        out = _serve(ws, {**env, "HOME": str(user_home)}, tmp_path / "nobody.log", user=NOBODY)
        assert "Running as root" not in out
        assert (ws / "repository").stat().st_uid == NOBODY
    finally:
        shutil.rmtree(base, ignore_errors=True)
