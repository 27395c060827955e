"""labnn.losses: the softmax cross-entropy against a plain reference, its gradient, its
stability and its input checks (mse and bce are checked in test_golden.py and
test_gradients.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import labnn
from labnn.gradcheck import grad_check_loss
from labnn.losses import softmax, softmax_cross_entropy

TOL = 1e-7  # the bound on labnn.gradcheck's relative error, float64


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
