"""Fixtures for the real-browser tests: a throw-away JupyterLab server and headless Chromium.

The server serves a temporary copy of the chapters (JupyterLab autosaves, and the repository's
notebooks must stay untouched) inside a temporary mirror of the repository, so the chapters' setup
cell finds ``mi_ident`` one folder up exactly as it does in a checkout. Every piece of Jupyter state
(config, runtime, settings, workspaces) lives in that temporary folder, and the server is stopped
whatever happens.

Set ``MI_IDENT_NOTEBOOKS`` to test another folder of notebooks (default: the repository's
``notebooks/``). The browser is Debian's ``chromium`` package (``apt-get install chromium``; ``.ci/run``
installs it); Playwright only drives it, so ``playwright install`` is never needed.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "scripts"))
from build_book import mirror_repository  # noqa: E402  (one copy of the repository-mirroring rule)

SCREENSHOT_DIR = REPO_ROOT / "build" / "screenshots"
SERVER_START_TIMEOUT_S = 120
_LAB_SETTINGS = {
    # Without a kernel started on open, "Run All" races a "Select Kernel" dialog.
    # windowingMode "none" keeps every cell in the page, so off-screen errors are still found.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "autoStartDefaultKernel": True,
        "windowingMode": "none",
    },
    # The news toast would cover the page and try to reach the internet.
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def notebooks_dir() -> Path:
    """The folder whose ``*.ipynb`` are tested: ``$MI_IDENT_NOTEBOOKS`` or ``notebooks/``."""
    return Path(os.environ.get("MI_IDENT_NOTEBOOKS", REPO_ROOT / "notebooks")).resolve()


def chapter_paths() -> list[Path]:
    """Every chapter, discovered at collection time so new chapters are tested without edits."""
    return sorted(notebooks_dir().glob("*.ipynb"))


def find_chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@dataclass
class LabServer:
    """A running JupyterLab: where it listens, its token, the served folder and its log."""

    url: str
    token: str
    root_dir: Path
    log_path: Path

    def api(self, method: str, path: str) -> object:
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def kernels(self) -> list[dict]:
        return self.api("GET", "/api/kernels")  # type: ignore[return-value]

    def shutdown_kernels(self) -> None:
        """Close every session and kernel, so the next chapter starts from exactly one kernel."""
        for session in self.api("GET", "/api/sessions"):  # type: ignore[union-attr]
            self.api("DELETE", f"/api/sessions/{session['id']}")
        for kernel in self.kernels():
            self.api("DELETE", f"/api/kernels/{kernel['id']}")

    def log_tail(self, n_lines: int = 40) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return "(no server log)"
        return "\n".join(lines[-n_lines:])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_settings(settings_dir: Path) -> None:
    for relative, values in _LAB_SETTINGS.items():
        path = settings_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    # The server runs in its own process group so its kernels go down with it.
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _wait_until_up(server: LabServer, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"JupyterLab exited with status {process.returncode} before serving {server.url} "
                f"(port taken? missing jupyterlab in {sys.executable}?). Server log tail:\n{server.log_tail()}",
                pytrace=False,
            )
        try:
            server.api("GET", "/api/status")
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    pytest.fail(
        f"JupyterLab did not answer on {server.url} within {SERVER_START_TIMEOUT_S} s. "
        f"Server log tail:\n{server.log_tail()}",
        pytrace=False,
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "chapter_path" in metafunc.fixturenames:
        chapters = chapter_paths()
        if not chapters:
            pytest.fail(f"no notebooks (*.ipynb) found in {notebooks_dir()}", pytrace=False)
        metafunc.parametrize("chapter_path", chapters, ids=[path.stem for path in chapters])


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = find_chromium()
    if path is None:
        pytest.fail(
            "Chromium not found: the browser tests drive Debian's chromium package. "
            "Install it with `apt-get install --no-install-recommends chromium` or run `.ci/run` "
            "(never `playwright install`).",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def lab_server() -> Iterator[LabServer]:
    notebooks = notebooks_dir()
    work = Path(tempfile.mkdtemp(prefix="mi-ident-lab-"))
    root_dir = mirror_repository(work, notebooks)
    settings_dir = work / "settings"
    _write_settings(settings_dir)
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(work / "config"),
        "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
        "JUPYTER_DATA_DIR": str(work / "data"),
        "IPYTHONDIR": str(work / "ipython"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    command = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--ServerApp.allow_root=True",
        f"--ServerApp.root_dir={root_dir}",
        f"--LabApp.user_settings_dir={settings_dir}",
        f"--LabApp.workspaces_dir={work / 'workspaces'}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]  # fmt: skip
    server = LabServer(f"http://127.0.0.1:{port}", token, root_dir, work / "server.log")
    with server.log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=root_dir, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        _wait_until_up(server, process)
        yield server
    finally:
        _stop(process)
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(chromium_executable: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable,
            args=[
                "--no-sandbox",  # root in a container
                "--disable-dev-shm-usage",
                "--disable-gpu",
                # Loopback only: nothing may reach the internet.
                "--no-proxy-server",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, lab_server: LabServer):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        yield context.new_page()
    finally:
        context.close()
        lab_server.shutdown_kernels()
