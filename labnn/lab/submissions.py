"""Checking submission files: ``python -m labnn.check submission.py [more.py or folders ...]``.

A submission file defines ``init_params(seed)`` -> [W1, b1, W2, b2, ...], ``forward(params, X)``
and ``backward(params, X, y)``, and optionally ``loss(y_hat, y)``, ``LAYOUT = "rows"`` or
``"columns"`` and ``step(params, X, y, lr)`` (``labnn.lab.check``). Its network is checked at
``init_params(0)`` on both lab data sets, linear (100 points, seed 0) and XOR, and gets one line:
the file name, the verdict (pass, the mistakes named, or "wrong, no known pattern") and the worst
relative error.

Importing a file runs its top-level code (not its ``if __name__ == "__main__":`` block), so
each file runs in its own Python process with a time limit: a file that hangs is reported as
timed out, one that raises as its error in one line, and the others are checked all the same.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import signal
import subprocess
import sys
import tempfile
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path

from ..data import generate_linear, generate_xor_easy
from ..gradcheck import format_error
from .check import PASS_BELOW, check_backprop, layout_for

TIMEOUT = 60.0
"""Seconds a file may take, its import included."""
SEED = 0
"""The seed passed to a submission's init_params."""


def lab_data() -> dict:
    """The lab's two data sets, samples as rows: name -> (X (N, 2), y (N, 1))."""
    return {"linear": generate_linear(100, seed=0), "xor": generate_xor_easy()}


@dataclass(frozen=True)
class FileResult:
    """One file's line: its verdict ("pass", the mistakes, "wrong, no known pattern: ...",
    "timed out after ...", "error ...") and worst relative error (None when not checked)."""

    path: str
    verdict: str
    worst: float | None = None
    passed: bool = False

    def line(self, width: int = 0) -> str:
        worst = "" if self.worst is None else \
            f"  (worst relative error {format_error(self.worst)})"
        return f"{self.path:<{width}}  {self.verdict}{worst}"


def load(path):
    """Import the submission file at ``path`` (this runs its top-level code)."""
    path = Path(path)
    name = f"submission_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.path.insert(0, str(path.resolve().parent))     # for its own helper modules
    spec.loader.exec_module(module)
    return module


def check_file(path) -> FileResult:
    """Import the submission at ``path`` in this process (it runs!) and check it on both lab
    data sets (``run_file`` does the same in a process of its own, with a time limit)."""
    return check_module(load(path), path)


def check_module(module, path) -> FileResult:
    """Check an imported submission on both lab data sets."""
    for name in ("init_params", "forward", "backward"):
        if not callable(getattr(module, name, None)):
            raise ValueError(f"{name}: {Path(path).name} defines no function {name}")
    params = module.init_params(SEED)
    layout = layout_for(params, 2, 1, getattr(module, "LAYOUT", None), "LAYOUT")
    results = {}
    for name, (X, y) in lab_data().items():
        if layout == "columns":
            X, y = X.T, y.T
        results[name] = check_backprop(module.forward, module.backward, params, X, y,
                                       loss=getattr(module, "loss", None), layout=layout,
                                       step=getattr(module, "step", None))
    verdicts = {name: r.verdict for name, r in results.items()}
    if len(set(verdicts.values())) == 1:
        verdict = verdicts["xor"]
    else:
        verdict = "; ".join(f"{name}: {v}" for name, v in verdicts.items())
    if "wrong, no known pattern" in verdict:      # which parameters, how wrong (worst of both)
        failing = {n: max(r.errors[n] for r in results.values()) for n in results["xor"].errors}
        verdict += " (" + ", ".join(f"{n} {format_error(e)}" for n, e in failing.items()
                                    if e >= PASS_BELOW) + ")"
    return FileResult(str(path), verdict, max(r.worst for r in results.values()),
                      all(r.passed for r in results.values()))


def describe_error(exc: BaseException, path, at_import: bool) -> str:
    """One line for an error: where in the submission it happened (function and line) when it
    happened in its code, then the exception."""
    where = [f for f in traceback.extract_tb(exc.__traceback__)
             if Path(f.filename).resolve() == Path(path).resolve()]
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    if at_import:
        line = f" (line {where[-1].lineno})" if where else ""
        return f"error at import: {text}{line}"
    if where:
        return f"error in {where[-1].name}, line {where[-1].lineno}: {text}"
    return f"error: {message}" if isinstance(exc, ValueError) else f"error: {text}"


def _child(path, result_path) -> None:
    """In the child process: check one file and write its FileResult as JSON."""
    at_import = True
    try:
        module = load(path)
        at_import = False
        result = check_module(module, path)
    except BaseException as exc:           # SystemExit, KeyboardInterrupt: still one line
        result = FileResult(str(path), describe_error(exc, path, at_import))
    Path(result_path).write_text(json.dumps(asdict(result)))


def run_file(path, timeout: float = TIMEOUT) -> FileResult:
    """Check the submission at ``path`` in a Python process of its own, killed (with every
    process it started) after ``timeout`` seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        command = [sys.executable, "-m", "labnn.check", "--result", str(out), str(path)]
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return FileResult(str(path), f"timed out after {timeout:g} s")
        if not out.exists():
            last = err.decode(errors="replace").strip().splitlines()[-1:] or [""]
            return FileResult(str(path), f"error: its process ended (exit status "
                                         f"{proc.returncode}) without a result {last[0]}".strip())
        return FileResult(**json.loads(out.read_text()))


def submission_files(paths) -> list[Path]:
    """The files named, a folder standing for its ``*.py`` files (sorted)."""
    files = []
    for p in map(Path, paths):
        files += sorted(p.glob("*.py")) if p.is_dir() else [p]
    return files


def main(argv=None) -> int:
    """The command: one line per file; exit status 0 when every file passes, 1 otherwise."""
    parser = argparse.ArgumentParser(
        prog="python -m labnn.check",
        description="Check students' back-propagation: each file defines init_params(seed), "
                    "forward(params, X) and backward(params, X, y) (optionally loss, LAYOUT and "
                    "step). Importing a file runs it: each runs in its own process.")
    parser.add_argument("files", nargs="+", help="submission .py files, or folders of them")
    parser.add_argument("--timeout", type=float, default=TIMEOUT,
                        help=f"seconds per file, its import included (default {TIMEOUT:g})")
    parser.add_argument("--result", help=argparse.SUPPRESS)   # the child process's output
    args = parser.parse_args(argv)
    if args.result:
        _child(args.files[0], args.result)
        return 0
    if not args.timeout > 0:
        parser.error(f"--timeout: expected a positive number of seconds, got {args.timeout}")
    files = submission_files(args.files)
    if not files:
        parser.error("no .py files found in " + ", ".join(args.files))
    width = max(len(str(f)) for f in files)
    passed = True
    for path in files:
        result = run_file(path, args.timeout) if path.is_file() else \
            FileResult(str(path), "error: no such file")
        print(result.line(width), flush=True)
        passed = passed and result.passed
    return 0 if passed else 1
