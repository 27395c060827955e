"""What the test files of labnn.check share: the student-style submissions with a mistake
planted, the lab's XOR data in either layout, and one check of a student module."""

from __future__ import annotations

import sys
from pathlib import Path

from labnn.check import check_backprop
from labnn.data import generate_xor_easy

ROOT = Path(__file__).resolve().parent.parent
STUDENTS = ROOT / "tests" / "submissions"
NOTEBOOK_SUBMISSIONS = ROOT / "notebooks" / "submissions"
LAYOUTS = ("rows", "columns")


def student(layout, mistake=None, path=None):
    """The student's module for ``layout`` with ``mistake`` planted (its source edited, so the
    module-level choices such as its loss follow the mistake too)."""
    path = path or STUDENTS / f"student_{layout}.py"
    source = path.read_text().replace("MISTAKE = None", f"MISTAKE = {mistake!r}")
    module = type(sys)(f"student_{layout}")
    exec(compile(source, str(path), "exec"), module.__dict__)
    return module


def xor(layout):
    X, y = generate_xor_easy()
    return (X, y) if layout == "rows" else (X.T, y.T)


def check(module, layout, **kw):
    X, y = xor(layout)
    options = {"loss": getattr(module, "loss", None), "step": module.step} | kw
    return check_backprop(module.forward, module.backward, module.init_params(0), X, y,
                          **options)
