import os

import numpy as np
import pytest
from hypothesis import settings

from labnn.report.experiments import WORKER_ENV

settings.register_profile("labnn", deadline=None, max_examples=60, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "labnn"))


@pytest.fixture(autouse=True)
def _numpy_warnings_are_errors():
    """A stray overflow, invalid-value or divide warning anywhere in the library fails the
    test (underflow to 0 is benign and allowed)."""
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        yield


def pytest_configure(config):
    """Under pytest-xdist (``make test`` runs ``-n auto``) each worker runs its own tests and
    notebook kernels, so the cores are shared out: a kernel's studies get the worker's share
    (``LABNN_WORKERS``) and the environment of ``sweep``'s workers (one BLAS thread, freed
    memory kept for reuse). Set before any kernel starts, these reach the kernels; what is
    already set in the environment wins."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None:
        return
    share = max(1, (os.cpu_count() or 1) // int(workerinput["workercount"]))
    os.environ.setdefault("LABNN_WORKERS", str(share))
    for key, value in WORKER_ENV.items():
        os.environ.setdefault(key, value)
