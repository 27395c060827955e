"""The hostile sweep (scripts/hostile_sweep.py): its verdicts can fail (a hang, a crash, an
internal traceback, a leaked warning, a message naming no argument are each caught), and a
sample of its cases passes on the library. ``make sweep`` runs all of them."""

from __future__ import annotations

import importlib.util
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sweep():
    spec = importlib.util.spec_from_file_location("hostile_sweep",
                                                  ROOT / "scripts" / "hostile_sweep.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["hostile_sweep"] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("hostile_sweep", None)


@pytest.fixture(scope="module")
def run(sweep, tmp_path_factory):
    tmp = str(tmp_path_factory.mktemp("sweep"))
    good, fifo = sweep._fixtures(tmp)

    def run(case, timeout=30.0):
        return sweep.classify(case, sweep.run_case(case, tmp, good, fifo, timeout, 1536 << 20))
    return run


@pytest.mark.parametrize("code, must, verdict, why", [
    ("r = 1", "return", "ok", "returned"),
    ("raise ValueError('lr: expected a positive number')", "raise", "ok", "lr: expected"),
    ("r = 1", "raise", "weak", "bad input accepted"),
    ("raise ValueError('expected a positive number')", "raise", "weak", "names no argument"),
    ("raise ValueError('epochs: expected a positive number')", "raise", "weak",
     "names epochs, not lr"),
    ("import numpy as np\nnp.exp(np.array([1000.0]))\nr = 1", "return", "weak",
     "warned: RuntimeWarning: overflow"),
    ("raise TypeError('bad operand')", "either", "bug", "internal traceback: TypeError"),
    ("raise ValueError('lr: no')", "return", "bug", "a valid input refused"),
    ("r = 0", "return", "bug", "a wrong answer"),
    ("import numpy as np\nr = np.ones(10**11)", "return", "bug", "MemoryError"),
    ("import os\nos._exit(3)", "return", "bug", "the process died"),
    pytest.param("import time\ntime.sleep(60)", "return", "bug", "hangs",
                 marks=pytest.mark.slow),                  # waits for its timeout
])
def test_the_verdicts_can_fail(sweep, run, code, must, verdict, why):
    case = sweep.Case("test", "a case", code, ("lr",), must, "r == 1" if must != "raise" else
                      None)
    got, reason = run(case, timeout=1.0 if "sleep" in code else 30.0)
    assert got == verdict and why in reason, (got, reason)


def test_every_case_compiles_and_there_are_more_than_300(sweep):
    cases = sweep.all_cases()
    assert len(cases) > 300 and len({(c.surface, c.name) for c in cases}) == len(cases)
    for case in cases:
        compile(case.code, case.name, "exec")
        assert case.must in ("raise", "return", "either")


def test_a_sample_of_the_sweep_passes_on_the_library(sweep, run):
    """One case in 80 (every surface's own sweep: make sweep): each ok."""
    cases = sweep.all_cases()
    sample = cases[::80]
    assert {c.surface for c in sample} >= {"network", "fit", "stack", "saving", "losses"}
    failures = [(c.surface, c.name, *run(c)) for c in sample]
    assert [f for f in failures if f[2] != "ok"] == []
