"""labnn.gradcheck: back-propagation against centred finite differences (float64, relative
error), for every activation, loss and penalty, and a check that fails on wrong gradients, on
NaN and on gradients that all vanish."""


import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import labnn
from labnn import Conv2D, Dense, Flatten, Network, data, gradcheck, losses
from labnn.data import generate_xor_easy
from labnn.gradcheck import (
    grad_check_activation,
    grad_check_loss,
    grad_check_network,
    numerical_gradient,
    relative_error,
)

TOL = 1e-7


def _min_abs_preactivation(net, X):
    out, smallest = X, np.inf
    for layer in net.layers:
        z = out @ layer.W + layer.b
        smallest = min(smallest, float(np.abs(z).min()))
        out = layer.activation.value(z)
    return smallest


@given(
    hidden=st.lists(st.integers(1, 6), min_size=1, max_size=3),
    activation=st.sampled_from(labnn.activations.names()),
    loss=st.sampled_from(["mse", "bce"]),
    out=st.integers(1, 3),
    n=st.integers(1, 8),
    d=st.integers(1, 4),
    seed=st.integers(0, 2**16),
)
def test_backprop_matches_numerical_gradient(hidden, activation, loss, out, n, d, seed):
    rng = np.random.default_rng(seed)
    net = labnn.Network(d, seed=seed)
    for units in hidden:
        net.add_layer(units, activation)
    # bce needs probabilities, so its output layer is a sigmoid
    net.add_layer(out, "sigmoid" if loss == "bce" else activation)
    X = rng.normal(size=(n, d))
    y = (rng.uniform(size=(n, out)) > 0.5).astype(float)
    if activation in ("relu", "leaky_relu"):
        assume(_min_abs_preactivation(net, X) > 1e-3)  # keep finite differences off the kinks
    if loss == "bce":
        # bce works on probabilities: log(1 - p) of a saturated p carries a round-off of
        # 1e-16 / (1 - p), which finite differences amplify; keep outputs unsaturated.
        p = net.forward(X)
        assume(0.01 < p.min() and p.max() < 0.99)
    try:
        errors = grad_check_network(net, X, y, loss=loss)
    except ValueError as exc:      # every relu unit dead: the check refuses, rightly
        assume("every gradient is exactly zero" not in str(exc))
        raise
    assert max(errors.values()) < TOL, errors


@pytest.mark.parametrize("activation", labnn.activations.names())
def test_lab_network_gradients_per_activation(activation):
    X, y = labnn.data.generate_xor_easy()
    net = labnn.lab_network(activation=activation, seed=3)
    rng = np.random.default_rng(1)
    for b in net.params[1::2]:  # non-zero biases: the point (0, 0) must not sit on a kink
        b[:] = rng.uniform(0.05, 0.3, size=b.shape)
    if activation in ("relu", "leaky_relu"):
        assert _min_abs_preactivation(net, X) > 1e-4
    errors = grad_check_network(net, X, y)
    assert set(errors) == {"W1", "b1", "W2", "b2", "W3", "b3", "X"}
    assert max(errors.values()) < TOL, errors




def test_check_fails_on_a_wrong_loss_gradient(monkeypatch):
    X, y = labnn.data.generate_xor_easy()
    net = labnn.lab_network(seed=0)
    good = labnn.losses.LOSSES["mse"]

    def half_gradient(y_hat, y):   # the function fit calls, made wrong
        loss, grad = good[1](y_hat, y)
        return loss, 0.5 * grad

    monkeypatch.setitem(labnn.losses.LOSSES, "mse", (good[0], half_gradient))
    assert max(grad_check_network(net, X, y).values()) > 0.1




def test_relative_error_and_numerical_gradient():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([1.0], [3.0]) == pytest.approx(0.5)
    assert relative_error([1.0, 1e-12], [1.0, 2e-12], elementwise=True) == pytest.approx(1 / 3)
    x = np.array([1.0, -2.0, 0.5])
    g = numerical_gradient(lambda: float(np.sum(x**3)), x)
    np.testing.assert_allclose(g, 3 * x**2, rtol=1e-8)
    with pytest.raises(ValueError, match="x: expected a float64"):
        numerical_gradient(lambda: 0.0, np.zeros(2, dtype=np.float32))
    with pytest.raises(ValueError, match="numeric: expected shape"):
        relative_error(np.zeros(2), np.zeros(3))


def test_gradcheck_refuses_float32_networks():
    net = labnn.lab_network(seed=0, dtype=np.float32)
    X, y = labnn.data.generate_xor_easy()
    with pytest.raises(ValueError, match="net: expected a float64"):
        grad_check_network(net, X, y)


class TestTheCheckOnlyPassesWhatItEarns:
    """A gradient check never reports a pass on NaN, on vanished gradients, or after a
    perturbation it did not undo: each variant fails loudly instead."""

    @pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
    @pytest.mark.parametrize("side", ["analytic", "numeric"])
    def test_non_finite_gradients_never_pass(self, bad, side):
        good = np.array([1.0, 2.0, 3.0])
        broken = good.copy()
        broken[1] = bad
        a, n = (broken, good) if side == "analytic" else (good, broken)
        assert relative_error(a, n) == np.inf
        assert relative_error(a, n, elementwise=True) == np.inf

    @pytest.mark.parametrize("eps", [0, -1e-5, np.nan, np.inf, "1e-5", None, True])
    def test_a_bad_eps_is_refused_before_anything_moves(self, eps):
        X, y = generate_xor_easy()
        net = labnn.lab_network(seed=0)
        before = [p.copy() for p in net.params]
        for call in (lambda: grad_check_network(net, X, y, eps=eps),
                     lambda: grad_check_activation("tanh", np.linspace(-2, 2, 5), eps=eps),
                     lambda: grad_check_loss("mse", np.full((3, 1), 0.3), np.ones((3, 1)), eps=eps),
                     lambda: numerical_gradient(lambda: 0.0, np.zeros(3), eps=eps)):
            with pytest.raises(ValueError, match="eps"):
                call()
        assert all(np.array_equal(p, q) for p, q in zip(net.params, before))

    def test_the_perturbation_is_undone_when_the_objective_raises(self):
        x = np.array([1.0, 2.0, 3.0])
        calls = []

        def f():
            calls.append(x.copy())
            if len(calls) == 3:
                raise RuntimeError("the objective fails halfway")
            return float(x.sum())

        with pytest.raises(RuntimeError):
            numerical_gradient(f, x)
        assert np.array_equal(x, [1.0, 2.0, 3.0])

    def test_a_network_whose_gradients_all_vanish_is_refused(self):
        X, y = generate_xor_easy()
        net = labnn.lab_network(seed=0)
        for p in net.params:
            p *= 1e4                                # every sigmoid saturated: exact zeros
        with pytest.raises(ValueError, match="net: every gradient is exactly zero"):
            grad_check_network(net, X, y)
        assert max(grad_check_network(labnn.lab_network(seed=0), X, y).values()) < 1e-7


def _same_params(a, b):
    return all(np.array_equal(p, q) for p, q in zip(a.params, b.params, strict=True))


# ---------------------------------------------------------------- gradient checks
@pytest.mark.parametrize("regularization", ["l1", "l2"])
@pytest.mark.parametrize("bias", [True, False])
def test_gradient_check_covers_the_penalty(regularization, bias):
    X, y = data.generate_circle(n=12, seed=3)
    net = _tanh_net(seed=1, bias=bias)
    errors = gradcheck.grad_check_network(net, X, y, regularization=regularization, reg_rate=0.05)
    assert max(errors.values()) < 1e-7, errors


def test_gradient_check_of_a_conv_net_with_a_penalty():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(3, 1, 5, 5)), rng.uniform(size=(3, 1))
    net = Network((1, 5, 5), seed=0).add(Conv2D(1, 2, 3)).add(Flatten()).add_layer(1, "sigmoid")
    assert len(net.weights) == 2 and net.weights[0].ndim == 4
    errors = gradcheck.grad_check_network(net, X, y, regularization="l2", reg_rate=0.3)
    assert max(errors.values()) < 1e-7, errors


def test_the_check_fails_when_the_penalty_gradient_is_left_out(monkeypatch):
    # A negative test: back-propagation without the penalty's gradient is caught.
    X, y = data.generate_circle(n=12, seed=3)
    monkeypatch.setattr(losses.Penalty, "add_gradient", lambda self, w, g: None)
    errors = gradcheck.grad_check_network(_tanh_net(seed=1), X, y, regularization="l2",
                                          reg_rate=0.05)
    assert max(errors[k] for k in errors if k.startswith("W")) > 1e-3
    assert max(errors[k] for k in errors if k.startswith("b")) < 1e-7   # biases: no penalty


@given(seed=st.integers(0, 10**6), rate=st.floats(1e-4, 1.0),
       regularization=st.sampled_from(["l1", "l2"]),
       widths=st.lists(st.integers(1, 4), min_size=0, max_size=3))
def test_gradient_check_many_networks(seed, rate, regularization, widths):
    X, y = data.generate_linear(n=6, seed=seed)
    net = _tanh_net(seed=seed, widths=tuple(widths), activation="sigmoid")
    errors = gradcheck.grad_check_network(net, X, y, regularization=regularization, reg_rate=rate)
    # 1e-5, not 1e-7: a penalty of rate 1 makes the objective large, and a centred difference
    # of it loses ~1e-16 * objective / eps in absolute terms, against gradients that a deep
    # sigmoid net makes tiny (b1 and X reach 1.6e-6 for seed 544; a wrong gradient gives > 1e-3)
    assert max(errors.values()) < 1e-5, errors


def _tanh_net(seed=0, widths=(5, 4), activation="tanh", bias=True):
    net = Network(2, seed=seed)
    for w in widths:
        net.add(Dense(w, activation, bias=bias))
    return net.add_layer(1, "sigmoid")


# ---------------------------------------------------------------------------- arguments
@pytest.mark.parametrize("x, f, match", [
    ([1.0, 2.0], lambda: 0.0, "^x: expected a float64 NumPy array"),
    (np.ones(2, dtype=np.float32), lambda: 0.0, "^x: expected a float64 NumPy array"),
    (np.ones(2), lambda: np.ones(2), r"^f: expected f\(\) to return a number, got ndarray"),
    (np.ones(2), lambda: "1", r"^f: expected f\(\) to return a number, got str"),
    (np.ones(2), 3.0, "^f: expected a function"),
], ids=["list", "float32", "array", "text", "not-callable"])
def test_numerical_gradient_checks_its_arguments(x, f, match):
    with pytest.raises(ValueError, match=match):
        numerical_gradient(f, x)


def test_numerical_gradient_refuses_a_read_only_x_and_never_warns():
    x = np.ones(2)
    x.flags.writeable = False
    with pytest.raises(ValueError, match="^x: expected a writeable array"):
        numerical_gradient(lambda: 0.0, x)
    x = np.array([1.0])
    grad = numerical_gradient(lambda: float(np.inf) if x[0] > 1 else 0.0, x)
    assert np.isinf(grad[0])                             # fails any check, quietly


@pytest.mark.parametrize("a, n, expected", [
    (1 + 1j, 1, None), (["x"], ["y"], None),
    ([1e308], [-1e308], 1.0), ([1e308, 1.0], [1e308, 1.0], 0.0),
])
def test_relative_error_takes_real_numbers_of_any_size(a, n, expected):
    """relative_error(1+1j, 1) was 0: the imaginary part was dropped."""
    if expected is None:
        with pytest.raises(ValueError, match="^analytic: expected real numbers"):
            relative_error(a, n)
    else:
        assert relative_error(a, n) == expected
        assert relative_error(a, n, elementwise=True) == expected


def test_a_bce_check_whose_eps_leaves_the_probabilities_blames_eps():
    with pytest.raises(ValueError, match=r"^eps: y_hat - eps and y_hat \+ eps must stay"):
        grad_check_loss("bce", [[1e-13]], [[1.0]])
    assert grad_check_loss("bce", [[1e-3]], [[1.0]], eps=1e-7) < TOL
    with pytest.raises(ValueError, match="^y_hat: expected probabilities"):
        grad_check_loss("bce", [[-0.5]], [[1.0]])


def test_a_gradient_check_whose_loss_overflows_raises_without_a_warning():
    net = Network(1, seed=0).add_layer(1, "linear")
    with pytest.raises(ValueError, match="^y: the loss is inf"):
        grad_check_network(net, [[1e200]], [[0.0]])
    with pytest.raises(ValueError, match="^net: expected a labnn Network"):
        grad_check_network("net", [[1.0]], [[0.0]])
    with pytest.raises(ValueError, match="^X: expected a numeric array"):
        grad_check_network(net, [[1.0], [2.0, 3.0]], [[0.0]])


def test_numerical_gradient_of_a_fortran_ordered_x():
    """A gradient check of a Fortran-ordered X was refused as not contiguous."""
    x = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    grad = numerical_gradient(lambda: float((x * x).sum()), x)
    np.testing.assert_allclose(grad, 2 * x, rtol=1e-8)
    net = labnn.lab_network(seed=0)
    assert max(grad_check_network(net, np.asfortranarray(data.generate_xor_easy()[0]),
                                  data.generate_xor_easy()[1]).values()) < TOL
