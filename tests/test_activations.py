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


# ---------------------------------------------------------------------------- any real input
@pytest.mark.parametrize("name", activations.BUILT_IN)
@pytest.mark.parametrize("z", [0, 1.5, True, [0, 1], [[-2, 3]], np.arange(3), np.array([True]),
                               np.int8(-3), np.uint8(200)], ids=repr)
def test_any_real_input_gives_floats_without_a_warning(name, z):
    """A student trying a function in a cell: ints, bools, lists and Python numbers give float
    results (the sigmoid computes in place in a float array of its own), as float64 would."""
    act = activations.get(name)
    with np.errstate(all="raise"):
        value = act.value(z)
        derivative = act.derivative(z, value)
    expected = act.value(np.asarray(z, dtype=np.float64))
    assert np.asarray(value).dtype == np.float64 and np.asarray(derivative).dtype == np.float64
    np.testing.assert_array_equal(value, expected)
    np.testing.assert_array_equal(derivative, act.derivative(np.asarray(z, dtype=np.float64),
                                                             expected))


def test_the_sigmoid_never_warns_even_when_numpy_raises_on_everything():
    z = np.array([-1e4, -800.0, -745.5, 745.5, 800.0, 1e4])
    with np.errstate(all="raise"):
        s = activations.sigmoid(z)
        assert activations.sigmoid(-1000) == 0.0 and activations.sigmoid(1000) == 1.0
    np.testing.assert_array_equal(s, [0.0, 0.0, 0.0, 1.0, 1.0, 1.0])


def test_a_float_array_keeps_its_dtype_and_non_real_input_is_refused():
    assert activations.sigmoid(np.zeros(2, dtype=np.float32)).dtype == np.float32
    with pytest.raises(ValueError, match="^z: expected real numbers"):
        activations.tanh(np.array([1j]))
    with pytest.raises(ValueError, match="^z: expected real numbers"):
        activations.relu(["a"])


# ---------------------------------------------------------------------------- identity
def _fake_tanh(name="tanh"):
    """Another function under a taken name: sin, with its derivative."""
    return activations.ActivationFunction(name, np.sin, lambda z, a: np.cos(z))


@pytest.fixture
def own_activation():
    """A registered activation of the user's own, removed afterwards."""
    act = activations.register(activations.ActivationFunction(
        "softsign_test", lambda z: z / (1.0 + np.abs(z)),
        lambda z, a: 1.0 / (1.0 + np.abs(z)) ** 2, (-1.0, 1.0)))
    yield act
    activations.REGISTRY.pop("softsign_test", None)


def test_an_activation_is_named_in_a_file_only_as_the_function_registered_under_that_name(
        own_activation):
    """Identity is the object: a function that merely shares a name with a registered one (or
    is not registered at all) cannot be named in a config, so it can never come back from a
    file as another function."""
    assert activations.config(activations.get("tanh")) == {"activation": "tanh"}
    own = activations.config(own_activation)
    assert own["activation"] == "softsign_test" and len(own["activation_fingerprint"]) == 16
    assert activations.from_config(own) is own_activation
    with pytest.raises(ValueError, match="^activation: 'tanh' cannot be named in a file: "
                                         "another function is registered under that name"):
        activations.config(_fake_tanh())
    with pytest.raises(ValueError, match="^activation: 'mine' cannot be named in a file: it is "
                                         "not registered"):
        activations.config(_fake_tanh("mine"))


def test_labnn_s_names_cannot_be_given_to_another_function_and_a_user_s_only_on_purpose(
        own_activation):
    for name in activations.BUILT_IN:
        with pytest.raises(ValueError, match=f"^activation: the name '{name}' is labnn's own"):
            activations.register(_fake_tanh(name), overwrite=True)
        assert activations.get(name).value is not np.sin
    with pytest.raises(ValueError, match="already registered; overwrite=True"):
        activations.register(_fake_tanh("softsign_test"))
    saved = activations.config(own_activation)
    activations.register(_fake_tanh("softsign_test"), overwrite=True)
    with pytest.raises(ValueError, match="^activation: the function registered as "
                                         "'softsign_test' computes other values"):
        activations.from_config(saved)


def test_the_fingerprint_tells_functions_apart_and_ignores_rounding():
    sigmoid = activations.get("sigmoid")
    nudged = activations.ActivationFunction(
        "nudged", lambda z: np.nextafter(sigmoid.value(z), 2.0), sigmoid.derivative)
    assert activations.fingerprint(nudged) == activations.fingerprint(sigmoid)
    assert len({activations.fingerprint(activations.get(n)) for n in activations.BUILT_IN}) == 5
    broken = activations.ActivationFunction("broken", lambda z: z.nope, lambda z, a: a)
    with pytest.raises(ValueError, match="^activation: 'broken' fails on the values"):
        activations.fingerprint(broken)


@pytest.mark.parametrize("kwargs, name", [
    ({"name": " sig "}, "name"), ({"name": ""}, "name"), ({"name": 3}, "name"),
    ({"value": 3}, "value"), ({"derivative": "d"}, "derivative"),
    ({"output_range": (1.0, 0.0)}, "output_range"), ({"output_range": [0, 1]}, "output_range"),
])
def test_an_activation_function_is_checked_where_it_is_made(kwargs, name):
    """A name with spaces would never be found by get; a value that is not a function would
    fail only at the first forward pass."""
    args = {"name": "ok", "value": np.tanh, "derivative": lambda z, a: 1 - a * a, **kwargs}
    with pytest.raises(ValueError, match=f"^{name}: expected"):
        activations.ActivationFunction(**args)
