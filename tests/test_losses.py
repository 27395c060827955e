"""labnn.losses: the softmax cross-entropy against a plain reference, its gradient, its
stability and its input checks; every loss's gradient against finite differences; the
penalties on the weights (l1, l2) by formula."""

from __future__ import annotations

import math

import numpy as np
import pytest

import labnn
from labnn import Dense, Network, data, losses
from labnn.gradcheck import (
    grad_check_loss,
)
from labnn.losses import softmax, softmax_cross_entropy

TOL = 1e-7  # the bound on a correct back-propagation's relative error, float64


def naive_softmax_ce(z, y):
    n = z.shape[0]
    loss = 0.0
    grad = np.zeros_like(z)
    for s in range(n):
        m = max(z[s])
        exps = [math.exp(v - m) for v in z[s]]
        total = sum(exps)
        for k in range(z.shape[1]):
            loss -= y[s, k] * ((z[s, k] - m) - math.log(total)) / n
            grad[s, k] = (exps[k] / total * sum(y[s]) - y[s, k]) / n
    return loss, grad


def test_softmax_ce_matches_reference_and_gradient_check():
    rng = np.random.default_rng(11)
    z = rng.normal(scale=3.0, size=(6, 4))
    y = np.eye(4)[rng.integers(0, 4, size=6)]
    loss, grad = softmax_cross_entropy(z, y)
    ref_loss, ref_grad = naive_softmax_ce(z, y)
    assert loss == pytest.approx(ref_loss, rel=1e-13)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-15)
    for name in ("softmax_ce", "cross_entropy"):
        assert grad_check_loss(name, z, y) < TOL
    soft = softmax(rng.normal(size=(6, 4)))  # probability rows as targets: same formula
    assert grad_check_loss("softmax_ce", z, soft) < TOL


def test_softmax_ce_is_stable_for_huge_logits():
    z = np.array([[1000.0, 0.0, -1000.0], [-800.0, 800.0, 0.0]])
    y = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        loss, grad = softmax_cross_entropy(z, y)
    assert loss == pytest.approx((0.0 + 1600.0) / 2)
    np.testing.assert_allclose(grad, [[0, 0, 0], [-0.5, 0.5, 0]], atol=1e-300)
    np.testing.assert_allclose(softmax(z), [[1, 0, 0], [0, 1, 0]])
    # the mean of -log(1/C) for equal logits
    assert softmax_cross_entropy(np.zeros((2, 5)), np.eye(5)[:2])[0] == pytest.approx(np.log(5))


def test_softmax_ce_rejects_bad_targets_and_shapes():
    z = np.zeros((2, 3))
    with pytest.raises(ValueError, match="^y: expected one-hot"):
        softmax_cross_entropy(z, np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 0.0]]))
    with pytest.raises(ValueError, match="^y: expected one-hot"):
        softmax_cross_entropy(z, np.array([[2.0, -1.0, 0.0], [0.0, 1.0, 0.0]]))
    with pytest.raises(ValueError, match="^y: expected the shape"):
        softmax_cross_entropy(z, np.zeros((2, 4)))
    with pytest.raises(ValueError, match="^y: softmax_ce needs one column per class"):
        softmax_cross_entropy(np.zeros((2, 1)), np.ones((2, 1)))
    with pytest.raises(ValueError, match="^y_hat: softmax_ce expects logits of shape"):
        softmax_cross_entropy(np.zeros(3), np.eye(3)[0])
    with pytest.raises(ValueError, match="^y_hat: expected finite"):
        softmax_cross_entropy(np.full((2, 3), np.nan), np.eye(3)[:2])
    with pytest.raises(ValueError, match="^loss: expected one of"):
        labnn.losses.get("softmax")


@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_loss_gradients(loss):
    rng = np.random.default_rng(0)
    y_hat = rng.uniform(0.05, 0.95, size=(7, 3))
    y = (rng.uniform(size=(7, 3)) > 0.5).astype(float)
    assert grad_check_loss(loss, y_hat, y) < TOL


# ---------------------------------------------------------------- the penalty itself
def test_the_two_penalties_and_their_gradients_by_formula():
    W = [np.array([[1.5, -2.0], [0.0, 0.25]]), np.array([[-3.0], [4.0]])]
    l1, l2 = losses.penalty("l1", 0.1), losses.penalty("L2", 0.1)
    assert l1.value(W) == pytest.approx(0.1 * (1.5 + 2.0 + 0.25 + 3.0 + 4.0))
    assert l2.value(W) == pytest.approx(0.05 * (2.25 + 4.0 + 0.0625 + 9.0 + 16.0))
    g1, g2 = [np.zeros_like(w) for w in W], [np.ones_like(w) for w in W]
    l1.add_gradient(W, g1)
    l2.add_gradient(W, g2)
    np.testing.assert_array_equal(g1[0], [[0.1, -0.1], [0.0, 0.1]])   # sign(0) = 0
    np.testing.assert_allclose(g2[1], 1.0 + 0.1 * W[1])


@pytest.mark.parametrize("none", [None, "none", "None"])
def test_no_penalty(none):
    assert losses.penalty(none, 0.0) is None
    assert losses.penalty() is None


@pytest.mark.parametrize("regularization, rate, word", [
    ("l3", 0.1, "regularization"), (1, 0.1, "regularization"), ("l1", -0.1, "reg_rate"),
    ("l2", math.nan, "reg_rate"), ("l2", math.inf, "reg_rate"), ("l2", "0.1", "reg_rate"),
    ("l1", True, "reg_rate"), (None, 0.1, "reg_rate"), ("none", 1e-3, "reg_rate"),
])
def test_bad_penalties_name_the_argument(regularization, rate, word):
    with pytest.raises(ValueError, match=f"^{word}: "):
        losses.penalty(regularization, rate)
    X, y = data.generate_xor_easy()
    with pytest.raises(ValueError, match=f"^{word}: "):
        _tanh_net().fit(X, y, epochs=1, regularization=regularization, reg_rate=rate)


def _tanh_net(seed=0, widths=(5, 4), activation="tanh", bias=True):
    net = Network(2, seed=seed)
    for w in widths:
        net.add(Dense(w, activation, bias=bias))
    return net.add_layer(1, "sigmoid")


# ---------------------------------------------------------------------------- at the edges
def test_a_loss_of_y_hat_in_float16_is_refused_rather_than_clipped_to_inf():
    """bce keeps y_hat 1e-7 from 1, which float16 rounds to 1: log(0)."""
    half = np.array([[1.0]], dtype=np.float16)
    for loss in (losses.mse, losses.bce):
        with pytest.raises(ValueError, match="^y_hat: expected a float32 or float64 array"):
            loss(half, half)
    with pytest.raises(ValueError, match="^y: values up to 1e\\+300 do not fit in float32"):
        losses.mse(np.ones(2, dtype=np.float32), np.full(2, 1e300))


def test_softmax_ce_of_logits_far_apart_is_their_limit():
    """[[1e308, -1e308]] against the first class: probability 1, loss 0 (was NaN)."""
    loss, grad = softmax_cross_entropy([[1e308, -1e308]], [[1.0, 0.0]])
    assert loss == 0.0 and np.array_equal(grad, [[0.0, 0.0]])
    np.testing.assert_array_equal(softmax([[1e308, -1e308]]), [[1.0, 0.0]])
    with pytest.raises(ValueError, match="^y_hat, y: the loss or its gradient overflows"):
        softmax_cross_entropy([[1e308, -1e308]], [[0.0, 1.0]])      # the true loss: 2e308


@pytest.mark.parametrize("call", [
    lambda: losses.mse(1e200, 0), lambda: losses.mse([1e200], [0.0]),
    lambda: losses.mse([1e308], [-1e308]), lambda: losses.mse(np.float32([3e38]), [-3e38]),
])
def test_a_loss_that_overflows_is_a_value_error_not_inf_and_a_warning(call):
    with pytest.raises(ValueError, match="^y_hat, y: the loss or its gradient overflows"):
        call()


@pytest.mark.parametrize("name, rate, match", [
    ("l3", 1.0, "^regularization: expected one of l1, l2"),
    ("L2", 1.0, "^regularization"), ("l2", -1.0, "^reg_rate: expected"),
    ("l1", float("nan"), "^reg_rate: expected"), ("l2", True, "^reg_rate: expected"),
])
def test_a_penalty_is_checked_where_it_is_made(name, rate, match):
    """Penalty("l3", 1.0) acted as l2, and a negative rate was taken."""
    with pytest.raises(ValueError, match=match):
        losses.Penalty(name, rate)
    assert losses.Penalty("l1", 0.5).rate == 0.5
