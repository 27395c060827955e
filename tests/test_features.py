"""labnn.explorer.features: Playground's input features, by formula, in the table's order; the
default features are the points themselves."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from labnn import data
from labnn.explorer.features import FEATURE_NAMES, FEATURES, check_features, features
from labnn.explorer.playground import PlaygroundConfig


# ====================================================================== features
@given(X=st.lists(st.tuples(st.floats(-2, 3), st.floats(-2, 3)), min_size=1, max_size=20),
       names=st.sets(st.sampled_from(FEATURE_NAMES), min_size=1))
def test_features_by_formula_in_the_tables_order(X, names):
    X = np.array(X, dtype=np.float64)
    t = 2 * X - 1
    expected = {"x1": X[:, 0], "x2": X[:, 1], "x1^2": t[:, 0] ** 2, "x2^2": t[:, 1] ** 2,
                "x1*x2": t[:, 0] * t[:, 1], "sin(x1)": np.sin(6 * t[:, 0]),
                "sin(x2)": np.sin(6 * t[:, 1])}
    order = [f for f in FEATURE_NAMES if f in names]
    F = features(X, tuple(reversed(sorted(names))))
    np.testing.assert_allclose(F, np.column_stack([expected[f] for f in order]), rtol=0,
                               atol=1e-15)
    assert check_features(list(names)) == tuple(order)


def test_default_features_are_the_points_bit_for_bit():
    X, _ = data.generate_circle(n=50, seed=3, noise=0.2)
    F = features(X)
    assert np.array_equal(F, X) and F.flags.c_contiguous and F is not X


def test_features_span_minus_one_to_one_over_the_view():
    g = np.linspace(0, 1, 101)
    X = np.column_stack([np.repeat(g, 101), np.tile(g, 101)])
    F = features(X, FEATURE_NAMES[2:])
    assert np.allclose(F.min(axis=0), [0, 0, -1, -1, -1], atol=1e-3)
    assert np.allclose(F.max(axis=0), 1, atol=1e-3)
    assert set(FEATURES) == set(FEATURE_NAMES)


@pytest.mark.parametrize("names, hint", [
    ("x1", "for one feature write"), ((), "non-empty"), (("x3",), "names from x1"),
    (("x1", "x1"), "listed twice"), (None, "non-empty"), ((1,), "names from"),
    ({"x1"}, "non-empty tuple"),
])
def test_bad_features_name_the_setting(names, hint):
    with pytest.raises(ValueError, match=f"^features: .*{hint}"):
        PlaygroundConfig(features=names)
