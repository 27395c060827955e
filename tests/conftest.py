import os

import numpy as np
import pytest
from hypothesis import settings

settings.register_profile("labnn", deadline=None, max_examples=60, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "labnn"))


@pytest.fixture(autouse=True)
def _numpy_warnings_are_errors():
    """A stray overflow, invalid-value or divide warning anywhere in the library fails the
    test (underflow to 0 is benign and allowed)."""
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        yield
