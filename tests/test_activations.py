"""labnn.activations: every activation's value and derivative under one convention (f'(z),
taken at z, given a = f(z)), the sigmoid's exact limits, the registry and its names."""

import warnings

import numpy as np
import pytest

from labnn import activations
from labnn.gradcheck import grad_check_activation

Z = np.linspace(-6, 6, 49) + 0.0371  # avoid the ReLU kink at exactly 0


@pytest.mark.parametrize("name", activations.names())
def test_derivative_matches_centred_differences(name):
    assert grad_check_activation(name, Z) < 1e-7




@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_is_stable_with_exact_limits(dtype):
    z = np.array([-1e4, -800.0, -50.0, 0.0, 50.0, 800.0, 1e4], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            s = activations.sigmoid(z)
    assert s.dtype == dtype
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5
    assert np.all(np.diff(s) >= 0)
    if dtype == np.float64:
        # full relative precision far in the tail, where 1 - sigmoid(-z) would round to 0
        assert s[2] == pytest.approx(np.exp(-50.0), rel=1e-12)


def test_values_against_closed_forms():
    z = np.array([-2.0, -0.5, 0.5, 2.0])
    np.testing.assert_allclose(activations.get("sigmoid").value(z), 1 / (1 + np.exp(-z)))
    np.testing.assert_allclose(activations.get("tanh").value(z), np.tanh(z))
    np.testing.assert_array_equal(activations.get("relu").value(z), [0, 0, 0.5, 2.0])
    np.testing.assert_allclose(activations.get("leaky_relu").value(z), [-0.02, -0.005, 0.5, 2])
    np.testing.assert_array_equal(activations.get("none").value(z), z)


def test_one_convention_derivative_of_z():
    """Every derivative takes (z, a=f(z)) and returns f'(z): checked at z where f'(z) differs
    from f'(f(z)), which is exactly where the original report's sigmoid went wrong."""
    z = np.array([-1.5, 0.3, 2.0])
    for name in activations.names():
        act = activations.get(name)
        numeric = (act.value(z + 1e-6) - act.value(z - 1e-6)) / 2e-6
        np.testing.assert_allclose(act.derivative(z, act.value(z)), numeric, rtol=1e-6)


def test_aliases_and_unknown_names():
    assert activations.get("none") is activations.get("linear")
    assert activations.get("Sigmoid").name == "sigmoid"
    with pytest.raises(ValueError, match="activation: unknown name 'softplus'"):
        activations.get("softplus")
    with pytest.raises(ValueError, match="activation"):
        activations.get(3)
    with pytest.raises(ValueError, match="'relu' is labnn's own"):
        activations.register(activations.get("relu"), overwrite=True)
