"""A JupyterLab server for the browser test, and Run All in a page.

Each server gets a random port and token and its own config, runtime, workspace and settings
folders, and serves a temporary folder holding a copy of the notebook under test. The browser is
the Python ``playwright`` package driving /usr/bin/chromium (never ``playwright install``).
``run_all`` fails as soon as a cell shows an error, with the error's text, instead of waiting
for cells that will never run.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "browser"
CHROMIUM = os.environ.get("LABNN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]
WIDGET_EXTENSION = "@jupyter-widgets/jupyterlab-manager"
NODELAY = ("--ServerApp.kernel_websocket_connection_class="
           "labnn.explorer.jupyter.NoDelayConnection")
"""The kernel's websocket without Nagle's delay, as ``make lab`` starts JupyterLab."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    def __init__(self, base: Path, notebooks, disable_widgets: bool = False):
        self.base = base
        self.root = base / "served"
        self.root.mkdir(parents=True)
        for nb in notebooks:
            shutil.copy(ROOT / nb, self.root / Path(nb).name)
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        dirs = {name: base / name for name in ("config", "runtime", "workspaces", "settings")}
        for d in dirs.values():
            d.mkdir()
        settings = dirs["settings"]
        self._write(settings / "@jupyterlab/apputils-extension/notification.jupyterlab-settings",
                    {"fetchNews": "false", "checkForUpdates": False})
        self._write(settings / "@jupyterlab/notebook-extension/tracker.jupyterlab-settings",
                    {"windowingMode": "none"})
        if disable_widgets:
            self._write(dirs["config"] / "labconfig" / "page_config.json",
                        {"disabledExtensions": {WIDGET_EXTENSION: True}})
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(dirs["config"]),
                   JUPYTER_RUNTIME_DIR=str(dirs["runtime"]), PYTHONUNBUFFERED="1")
        env.pop("JUPYTER_TOKEN", None)
        cmd = [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser",
               "--ip=127.0.0.1", f"--port={self.port}", "--port-retries=0",
               f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
               f"--LabApp.user_settings_dir={settings}",
               f"--LabApp.workspaces_dir={dirs['workspaces']}",
               "--ServerApp.open_browser=False", NODELAY]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        self.log = open(base / "jupyterlab.log", "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     cwd=self.root)
        self._wait_ready()

    @staticmethod
    def _write(path: Path, obj) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(obj))

    def api(self, path: str):
        req = urllib.request.Request(f"{self.url}{path}",
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=5) as r:
            return json.loads(r.read())

    def _wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited ({self.proc.returncode}); see "
                                   f"{self.base / 'jupyterlab.log'}")
            try:
                self.api("/api/status")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("jupyter lab did not start in time")

    def kernel_state(self, name: str):
        """execution_state of the kernel of the session open on notebook ``name`` (or None)."""
        for s in self.api("/api/sessions"):
            if s.get("path", "").endswith(name) and s.get("kernel"):
                return s["kernel"].get("execution_state")
        return None

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


@contextmanager
def lab_server(tmp_path: Path, notebooks, disable_widgets: bool = False):
    server = LabServer(tmp_path, notebooks, disable_widgets)
    try:
        yield server
    finally:
        server.stop()




def wait_until(predicate, timeout: float, what: str, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


# JupyterLab renders an error output (ename, evalue, traceback) with the stderr renderer, like a
# stream to stderr; a traceback's text tells the two apart (a warning's lines start with a path).
_STDERR_OUTPUTS = """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell'))
  .flatMap((cell, i) => Array.from(cell.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
    .map(out => ({cell: i + 1, text: out.innerText})))"""
_ERROR_TEXT = re.compile(r"Traceback \(most recent call last\)|^\s*Cell In\[\d+\], line \d+|"
                         r"^[A-Za-z_][\w.]*(Error|Exception)\b", re.M)


def cell_errors(page) -> list[str]:
    """One line per error output in the page: the code cell's number (1-based) and the error's
    last line (``ename: evalue``), then the rendered traceback."""
    found = []
    for out in page.evaluate(_STDERR_OUTPUTS):
        text = out["text"].strip()
        if _ERROR_TEXT.search(text):
            last = text.splitlines()[-1].strip()
            found.append(f"code cell {out['cell']} raised {last}\n{text[-3000:]}")
    return found


def _fail_on_cell_error(page) -> None:
    errors = cell_errors(page)
    if errors:
        raise AssertionError("a cell raised during Run All: " + "\n\n".join(errors))


def open_notebook(page, server, name: str) -> None:
    """Open the notebook and wait for its kernel."""
    page.goto(f"{server.url}/lab/tree/{name}?token={server.token}")
    page.locator(".jp-NotebookPanel:visible .jp-Cell").first.wait_for(timeout=30_000)
    # The toolbar says "idle" before a kernel exists: ask the server for the real kernel.
    wait_until(lambda: server.kernel_state(name) == "idle", 30, "the notebook's kernel")


def run_all(page, server, name: str, timeout: float = 60) -> None:
    """Run All; wait until every code cell ran and the kernel is idle. A cell error fails at
    once with the error's text."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    prompts = page.locator(".jp-NotebookPanel:visible .jp-CodeCell .jp-InputArea-prompt")

    def all_ran():
        _fail_on_cell_error(page)
        texts = prompts.all_inner_texts()
        return texts and all(re.fullmatch(r"\[\d+\]:", t.strip()) for t in texts)

    wait_until(all_ran, timeout, "every code cell to run", interval=0.2)
    wait_until(lambda: server.kernel_state(name) == "idle", 30, "the kernel to go idle")
    _fail_on_cell_error(page)


def open_and_run_all(page, server, name: str, timeout: float = 60) -> None:
    """Open the notebook, wait for its kernel, Run All, wait until every code cell ran."""
    open_notebook(page, server, name)
    run_all(page, server, name, timeout)
