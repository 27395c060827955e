"""labnn.init: the nudge of initial weights by a few units in the last place (what
labnn.report.sensitivity measures rounding with): exact, cumulative, undone on exit."""

from __future__ import annotations

import numpy as np
import pytest

import labnn
from labnn import init


def test_a_nudge_moves_every_nonzero_initial_weight_by_exactly_one_ulp():
    base = labnn.lab_network(seed=0).params
    with init.nudged(1):
        up = labnn.lab_network(seed=0).params
    with init.nudged(-1):
        down = labnn.lab_network(seed=0).params
    for p, u, d in zip(base, up, down, strict=True):
        nonzero = p != 0
        assert np.array_equal(u[nonzero], np.nextafter(p[nonzero], np.inf))
        assert np.array_equal(d[nonzero], np.nextafter(p[nonzero], -np.inf))
        assert np.array_equal(u[~nonzero], p[~nonzero])          # zero biases stay zero
    assert not any(p.any() for p in base[1::2])                    # the default: zero biases


def test_nudges_add_up_and_are_undone_on_exit():
    assert init.get_nudge() == 0
    init.set_nudge(1)
    try:
        with init.nudged(2):
            assert init.get_nudge() == 3
            three = labnn.lab_network(seed=1).params[0]
        assert init.get_nudge() == 1
    finally:
        init.set_nudge(0)
    base = labnn.lab_network(seed=1).params[0]
    assert np.array_equal(three, init.nudge(base, 3))
    with pytest.raises(RuntimeError), init.nudged(1):
        raise RuntimeError("the block fails")
    assert init.get_nudge() == 0


@pytest.mark.parametrize("bad", [True, 1.0, "1", None, 10**6])
def test_set_nudge_rejects_what_is_not_a_rounding_sized_integer(bad):
    with pytest.raises(ValueError, match="ulps"):
        init.set_nudge(bad)
    assert init.get_nudge() == 0
