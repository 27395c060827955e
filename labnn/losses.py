"""Losses. Each returns ``(loss, dloss/dy_hat)``; ``y_hat`` and ``y`` have the same shape (N, K).

- ``mse``: mean of the squared error over ALL elements, so dL/dy_hat = 2 (y_hat - y) / (N K).
- ``bce``: mean binary cross-entropy over all elements, on probabilities. ``y_hat`` is clipped to
  [eps, 1 - eps] (eps = 1e-12 in float64, 1e-7 in float32) so log(0) never happens; the gradient
  uses the clipped value.
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


# name -> (checked function, unchecked function used inside fit)
LOSSES = {"mse": (mse, _mse), "bce": (bce, _bce)}


def get(name):
    """(checked, fast) pair for a loss name."""
    if not isinstance(name, str) or name.lower() not in LOSSES:
        raise ValueError(f"loss: expected one of {', '.join(sorted(LOSSES))}, got {name!r}")
    return LOSSES[name.lower()]
