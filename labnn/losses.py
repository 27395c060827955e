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

``mse``, ``bce`` and ``softmax_cross_entropy`` check their arguments (``y_hat`` float32 or
float64, ``y`` fitting in its dtype) and return a finite loss and gradient, or raise
ValueError (values so large that the loss overflows); ``LOSSES`` pairs each with the same
function unchecked, which ``Network.fit`` calls once ``check`` has checked a run's targets and
outputs.

A penalty on the weights (``penalty``, what ``Network.fit(regularization=..., reg_rate=...)``
adds to the loss) is a term of the objective with its own gradient: ``l1`` = rate * sum |W|,
``l2`` = (rate / 2) * sum W^2, over the weight matrices only, never the biases (as TensorFlow
Playground does).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._checks import FLOAT_DTYPES, check_array, check_float_in


def _check_pair(y_hat, y):
    y_hat = check_array(y_hat, "y_hat")
    if y_hat.dtype not in FLOAT_DTYPES:
        raise ValueError(f"y_hat: expected a float32 or float64 array, got dtype {y_hat.dtype}")
    y = check_array(y, "y", dtype=y_hat.dtype)
    if y_hat.shape != y.shape:
        raise ValueError(f"y: expected the shape of y_hat {y_hat.shape}, got {y.shape}")
    return y_hat, y


def _finite(loss_and_grad):
    """A checked loss's result, computed under ``np.errstate``: a loss or gradient that
    overflowed is refused rather than returned as inf."""
    loss, grad = loss_and_grad
    if not (math.isfinite(loss) and np.isfinite(grad).all()):
        raise ValueError(f"y_hat, y: the loss or its gradient overflows ({loss}) for values "
                         f"this large; scale them")
    return loss, grad


def _mse(y_hat, y):
    diff = y_hat - y
    return float((diff * diff).sum() / diff.size), diff * (2.0 / diff.size)


def clip_eps(dtype) -> float:
    """How far bce keeps a probability from 0 and 1: 1e-12 in float64, 1e-7 in float32."""
    return 1e-12 if dtype == np.float64 else 1e-7


def _bce(y_hat, y):
    eps = clip_eps(y_hat.dtype)
    p = np.clip(y_hat, eps, 1.0 - eps)
    total = (y * np.log(p) + (1.0 - y) * np.log(1.0 - p)).sum()
    return float(-total / p.size), (p - y) / (p * (1.0 - p) * p.size)


def _softmax_ce(z, y):
    shifted = z - z.max(axis=-1, keepdims=True)   # a logit 2e308 below the largest: -inf
    e = np.exp(shifted)
    s = e.sum(axis=-1, keepdims=True)
    log_p = shifted - np.log(s)
    n = z.shape[0]
    terms = y * log_p
    if not np.isfinite(log_p).all():               # 0 * log 0 = 0: a class of target 0 adds 0
        terms = np.where(y == 0, 0.0, terms)
    return float(-terms.sum() / n), (e / s * y.sum(axis=-1, keepdims=True) - y) / n


def mse(y_hat, y):
    """Mean squared error over all elements. Returns (loss: float, dL/dy_hat: same shape)."""
    y_hat, y = _check_pair(y_hat, y)
    with np.errstate(all="ignore"):
        return _finite(_mse(y_hat, y))


def bce(y_hat, y):
    """Mean binary cross-entropy on probabilities. Returns (loss: float, dL/dy_hat)."""
    y_hat, y = _check_pair(y_hat, y)
    if (y_hat < 0).any() or (y_hat > 1).any():
        raise ValueError("y_hat: expected probabilities in [0, 1] for bce")
    check_targets("bce", y)
    with np.errstate(all="ignore"):
        return _finite(_bce(y_hat, y))


def softmax(z):
    """Row-wise softmax of logits z (N, C), shifted by the row maximum (no overflow: a logit
    more than 1.8e308 below the row's largest has probability 0)."""
    z = check_array(z, "z", ndim=2)
    with np.errstate(over="ignore", under="ignore"):
        e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(z, y):
    """Mean softmax cross-entropy of logits z (N, C) against one-hot targets y (N, C) (rows of
    non-negative numbers summing to 1). Returns (loss: float, dL/dz (N, C))."""
    z, y = _check_pair(z, y)
    if z.ndim != 2:
        raise ValueError(f"y_hat: softmax_ce expects logits of shape (N, C), got {z.shape}")
    check_targets("softmax_ce", y)
    with np.errstate(all="ignore"):
        return _finite(_softmax_ce(z, y))


LOSSES = {"mse": (mse, _mse), "bce": (bce, _bce),
          "softmax_ce": (softmax_cross_entropy, _softmax_ce),
          "cross_entropy": (softmax_cross_entropy, _softmax_ce)}
"""Name -> (the function that checks its arguments, the same function unchecked)."""


def check_targets(name, y) -> None:
    """The rule a loss sets on its targets y (..., K), the last axis holding one sample's K
    outputs: ``bce`` needs values in [0, 1]; ``softmax_ce`` needs K >= 2 classes and one-hot
    rows (non-negative, summing to 1). ``mse`` takes any finite numbers."""
    name = canonical(name)
    if name == "bce" and ((y < 0) | (y > 1)).any():
        raise ValueError("y: expected targets in [0, 1] for loss 'bce'")
    if name == "softmax_ce":
        if y.ndim == 0 or y.shape[-1] < 2:
            raise ValueError(f"y: softmax_ce needs one column per class, at least 2 (a "
                             f"network with that many outputs), got shape {y.shape}")
        if (y < 0).any() or not np.allclose(y.sum(axis=-1), 1.0, rtol=0.0, atol=1e-6):
            raise ValueError("y: expected one-hot rows (non-negative, each summing to 1) for "
                             "softmax_ce")


def check(name, y, output_range: tuple[float, float]) -> str:
    """The canonical name of loss ``name`` for a training run, once it is checked what every
    step would otherwise check: the targets y (``check_targets``) and, for ``bce``, that the
    network's output activation can only give probabilities (``output_range`` inside [0, 1]):
    an unbounded output would train on clipped values."""
    name = canonical(name)
    check_targets(name, y)
    lo, hi = output_range
    if name == "bce" and (lo < 0 or hi > 1):
        raise ValueError(f"loss: 'bce' needs outputs in [0, 1] (a sigmoid output unit); this "
                         f"network's outputs range over [{lo:g}, {hi:g}]; use a sigmoid "
                         f"output or loss='mse'")
    return name


def canonical(name) -> str:
    """A loss's canonical name (``cross_entropy`` is ``softmax_ce``); unknown names raise."""
    if not isinstance(name, str) or name.lower() not in LOSSES:
        raise ValueError(f"loss: expected one of {', '.join(sorted(LOSSES))}, got {name!r}")
    name = name.lower()
    return "softmax_ce" if name == "cross_entropy" else name


def get(name):
    """(checked, unchecked) pair for a loss name."""
    return LOSSES[canonical(name)]


# ---------------------------------------------------------------- regularization
REGULARIZATIONS = ("l1", "l2")
"""The penalties ``penalty`` knows (``None`` or "none": no penalty)."""


@dataclass(frozen=True)
class Penalty:
    """A penalty on the weight matrices W (never the biases), added to the data loss:

    - ``l1``: rate * sum |W|; gradient rate * sign(W) (0 at W = 0, the subgradient Playground
      uses; unlike Playground's update, a weight that crosses 0 is not clipped to 0);
    - ``l2``: (rate / 2) * sum W^2; gradient rate * W (Playground's 0.5 w^2).
    """

    name: str
    rate: float

    def __post_init__(self):
        if self.name not in REGULARIZATIONS:
            raise ValueError(f"regularization: expected one of {', '.join(REGULARIZATIONS)}, "
                             f"got {self.name!r}")
        object.__setattr__(self, "rate", check_float_in(self.rate, "reg_rate", 0.0, math.inf))

    def value(self, weights) -> float:
        """The penalty of the arrays ``weights`` (a list of W)."""
        if self.name == "l1":
            return self.rate * sum(float(np.abs(W).sum()) for W in weights)
        return 0.5 * self.rate * sum(float((W * W).sum()) for W in weights)

    def add_gradient(self, weights, grads) -> None:
        """Add d(penalty)/dW to each gradient array in ``grads`` (matching ``weights``), in
        place."""
        for W, dW in zip(weights, grads, strict=True):
            dW += self.rate * (np.sign(W) if self.name == "l1" else W)


def penalty(regularization=None, reg_rate=0.0) -> Penalty | None:
    """The Penalty for ``regularization`` ("l1", "l2", or None / "none" for no penalty) at rate
    ``reg_rate`` (a finite number >= 0), or None. A rate without a penalty is refused: it would
    silently do nothing."""
    rate = check_float_in(reg_rate, "reg_rate", 0.0, math.inf)
    key = regularization.lower() if isinstance(regularization, str) else regularization
    if key is None or key == "none":
        if rate != 0.0:
            raise ValueError(f"reg_rate: {reg_rate!r} has no effect without a penalty; set "
                             f"regularization to one of {', '.join(REGULARIZATIONS)}")
        return None
    if key not in REGULARIZATIONS:
        raise ValueError(f"regularization: expected None, 'none' or one of "
                         f"{', '.join(REGULARIZATIONS)}, got {regularization!r}")
    return Penalty(key, rate)
