"""Losses. Each returns ``(loss, dloss/dy_hat)``; ``y_hat`` and ``y`` have the same shape (N, K).

- ``mse``: mean of the squared error over ALL elements, so dL/dy_hat = 2 (y_hat - y) / (N K).
- ``bce``: mean binary cross-entropy over all elements, on probabilities. ``y_hat`` is clipped to
  [eps, 1 - eps] (eps = 1e-12 in float64, 1e-7 in float32) so log(0) never happens; the gradient
  uses the clipped value.
- ``softmax_ce`` (alias ``cross_entropy``): softmax cross-entropy for several classes, on LOGITS
  z (N, C) (the last layer is linear) and one-hot (or probability-row) targets y (N, C):
  L = -(1/N) sum_n sum_k y_nk log softmax(z_n)_k, computed with the log-sum-exp shift
  log softmax(z)_k = (z_k - m) - log sum_j exp(z_j - m), m = max_j z_j, so no exp overflows;
  dL/dz = (softmax(z) * sum_k y_nk - y) / N, which is (softmax(z) - y) / N for one-hot rows.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_array


def _check_pair(y_hat, y):
    y_hat = check_array(y_hat, "y_hat")
    y = check_array(y, "y")
    if y_hat.shape != y.shape:
        raise ValueError(f"y: expected the shape of y_hat {y_hat.shape}, got {y.shape}")
    if y_hat.dtype.kind != "f":
        raise ValueError(f"y_hat: expected a float array, got dtype {y_hat.dtype}")
    return y_hat, y.astype(y_hat.dtype, copy=False)


def _mse(y_hat, y):
    diff = y_hat - y
    loss = float(np.vdot(diff, diff)) / diff.size
    diff *= 2.0 / diff.size
    return loss, diff


def _eps(dtype):
    return 1e-12 if dtype == np.float64 else 1e-7


def _bce(y_hat, y):
    eps = _eps(y_hat.dtype)
    p = np.clip(y_hat, eps, 1.0 - eps)
    one_minus = 1.0 - p
    loss = -float(np.sum(y * np.log(p) + (1.0 - y) * np.log(one_minus))) / p.size
    grad = (p - y) / (p * one_minus * p.size)
    return loss, grad


def mse(y_hat, y):
    """Mean squared error over all elements. Returns (loss: float, dL/dy_hat: same shape)."""
    return _mse(*_check_pair(y_hat, y))


def bce(y_hat, y):
    """Mean binary cross-entropy on probabilities. Returns (loss: float, dL/dy_hat)."""
    y_hat, y = _check_pair(y_hat, y)
    if (y_hat < 0).any() or (y_hat > 1).any():
        raise ValueError("y_hat: expected probabilities in [0, 1] for bce")
    return _bce(y_hat, y)


def softmax(z):
    """Row-wise softmax of logits z (N, C), shifted by the row maximum (no overflow)."""
    z = check_array(z, "z", ndim=2)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _softmax_ce(z, y):
    shifted = z - z.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    s = e.sum(axis=1, keepdims=True)
    log_p = shifted - np.log(s)
    n = z.shape[0]
    loss = -float(np.vdot(y, log_p)) / n
    grad = e / s
    grad *= y.sum(axis=1, keepdims=True)
    grad -= y
    grad /= n
    return loss, grad


def softmax_cross_entropy(z, y):
    """Mean softmax cross-entropy of logits z (N, C) against one-hot targets y (N, C) (rows of
    non-negative numbers summing to 1). Returns (loss: float, dL/dz (N, C))."""
    z, y = _check_pair(z, y)
    if z.ndim != 2 or z.shape[1] < 2:
        raise ValueError(f"y_hat: softmax_ce expects logits of shape (N, C) with C >= 2 "
                         f"classes, got {z.shape}")
    if (y < 0).any() or not np.allclose(y.sum(axis=1), 1.0, rtol=0.0, atol=1e-6):
        raise ValueError("y: expected one-hot rows (non-negative, each summing to 1) for "
                         "softmax_ce")
    return _softmax_ce(z, y)


# name -> (checked function, unchecked function used inside fit)
LOSSES = {"mse": (mse, _mse), "bce": (bce, _bce),
          "softmax_ce": (softmax_cross_entropy, _softmax_ce),
          "cross_entropy": (softmax_cross_entropy, _softmax_ce)}


def get(name):
    """(checked, fast) pair for a loss name."""
    if not isinstance(name, str) or name.lower() not in LOSSES:
        raise ValueError(f"loss: expected one of {', '.join(sorted(LOSSES))}, got {name!r}")
    return LOSSES[name.lower()]
