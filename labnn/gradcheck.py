"""Gradient checks: back-propagation against centred finite differences, in float64, by
relative error (``grad_check_network``, ``grad_check_activation``, ``grad_check_loss``).

    rel_error(a, n) = max_i |a_i - n_i| / (max_i |a_i| + max_i |n_i|)

per parameter array. A correct back-propagation in float64 gives about 1e-10; a wrong
derivative gives 1e-3 .. 1.
"""

from __future__ import annotations

import math

import numpy as np

from . import losses as _losses
from ._checks import check_array, check_positive_float
from .activations import get as get_activation
from .network import Network


def relative_error(analytic, numeric, elementwise: bool = False) -> float:
    """Relative error of two gradient arrays in the max norm:
    max |a - n| / (max |a| + max |n|), 0 when both are 0. With ``elementwise=True``, the
    largest per-element |a_i - n_i| / (|a_i| + |n_i|) instead (stricter, but dominated by
    round-off on elements whose gradient is tiny). A NaN or inf in either gradient gives inf:
    a check can never pass on numbers that are not numbers."""
    a, n = _real(analytic, "analytic"), _real(numeric, "numeric")
    if a.shape != n.shape:
        raise ValueError(f"numeric: expected shape {a.shape}, got {n.shape}")
    if a.size == 0:
        return 0.0
    if not (np.isfinite(a).all() and np.isfinite(n).all()):
        return math.inf
    largest = max(float(np.abs(a).max()), float(np.abs(n).max()))
    if largest > 1e300:            # a - n or |a| + |n| could overflow: scale by a power of 2
        scale = 2.0 ** -math.ceil(math.log2(largest))
        a, n = a * scale, n * scale
    if elementwise:
        num = np.abs(a - n)
        den = np.abs(a) + np.abs(n)
        safe = np.where(den > 0, den, 1.0)
        return float(np.where(den > 0, num / safe, 0.0).max())
    den = float(np.abs(a).max() + np.abs(n).max())
    return float(np.abs(a - n).max()) / den if den > 0 else 0.0


def _real(values, name: str) -> np.ndarray:
    """``values`` as float64 (NaN and inf kept: they make a check fail, not raise)."""
    arr = np.asarray(values)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{name}: expected real numbers, got an array of {arr.dtype}")
    return arr.astype(np.float64, copy=False)


ROUND_OFF = 1e-7
"""Relative errors below this are round-off: their digits differ from one machine to the next."""


def format_error(error: float, width: int = 0) -> str:
    """A relative error for a print-out at 2 significant digits, right-aligned to ``width``.
    A round-off-level error (below ``ROUND_OFF``) gets a leading ``~``: the check passed, and
    the exact digits depend on the CPU's rounding (the notebooks' sanitize rule folds them)."""
    text = f"{error:.1e}"
    return (f"~{text}" if error < ROUND_OFF else text).rjust(width)


def numerical_gradient(f, x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """d f / d x by centred differences (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), changing
    ``x`` (a writeable float64 array) in place one element at a time (and restoring it).
    ``f()`` takes no argument and returns a number. ``x`` is restored even when ``f`` raises.
    A difference that overflows gives inf or NaN (which fails any check), not a warning."""
    eps = check_positive_float(eps, "eps")
    if not callable(f):
        raise ValueError(f"f: expected a function of no arguments, got {f!r}")
    if type(x) is not np.ndarray or x.dtype != np.float64:
        raise ValueError(f"x: expected a float64 NumPy array for a gradient check (changed in "
                         f"place), got {type(x).__name__} of {getattr(x, 'dtype', None)}")
    if not x.flags.writeable:
        raise ValueError("x: expected a writeable array (it is changed in place)")
    grad = np.zeros_like(x)                    # in x's memory order, C or Fortran
    flat, gflat = x.reshape(-1, order="A"), grad.reshape(-1, order="A")
    if not np.shares_memory(flat, x):
        raise ValueError("x: expected a contiguous array (it is changed in place)")
    for i in range(flat.size):
        old = flat[i]
        try:
            flat[i] = old + eps
            plus = _number(f())
            flat[i] = old - eps
            minus = _number(f())
        finally:
            flat[i] = old
        with np.errstate(all="ignore"):
            gflat[i] = (plus - minus) / (2 * eps)
    return grad


def _number(value) -> float:
    """What a gradient check's ``f`` returned, which must be one real number."""
    if isinstance(value, (bool, np.bool_)) or np.ndim(value) != 0 or \
            np.asarray(value).dtype.kind not in "iuf":
        raise ValueError(f"f: expected f() to return a number, got {type(value).__name__} "
                         f"{np.shape(value) if np.ndim(value) else ''}".rstrip())
    return float(value)


def grad_check_network(net, X, y, loss: str = "mse", eps: float = 1e-5, regularization=None,
                       reg_rate: float = 0.0) -> dict[str, float]:
    """Relative error between back-propagation and centred differences for every parameter
    of ``net`` (names W1, b1, W2, b2, ... by layer position; other layers' params as
    P<i>_<j>) and for the input X. The network must be float64. A network whose gradients all
    vanish (every unit saturated) raises ValueError: zero against zero would pass any check.
    ``regularization``, ``reg_rate``: the objective is the loss plus that penalty on the weights
    (``losses.penalty``, as ``fit`` trains it), and the analytic gradient adds its gradient."""
    eps = check_positive_float(eps, "eps")
    penalty = _losses.penalty(regularization, reg_rate)
    if not isinstance(net, Network):
        raise ValueError(f"net: expected a labnn Network, got {type(net).__name__}")
    if net.dtype != np.float64:
        raise ValueError("net: expected a float64 network for a gradient check")
    X = check_array(X, "X", dtype=np.float64, copy=True)   # its own copy, perturbed in place
    y = check_array(y, "y", dtype=np.float64)
    net.loss(X, y, loss)                       # X, y and the loss checked for this network

    def objective():
        value = net.loss(X, y, loss)
        return value + penalty.value(net.weights) if penalty is not None else value

    _, dout = _losses.get(loss)[1](net.forward(X), y)
    dX = net.backward(dout)
    if penalty is not None:
        penalty.add_gradient(net.weights, net.weight_grads)
    analytic = [g.copy() for g in net.grads]

    errors = {}
    k = 0
    for li, layer in enumerate(net.layers):
        for j, p in enumerate(layer.params):
            name = (("W", "b")[j] + str(li + 1)) if len(layer.params) == 2 else f"P{li + 1}_{j}"
            errors[name] = relative_error(analytic[k], numerical_gradient(objective, p, eps))
            k += 1
    numeric_dX = numerical_gradient(objective, X, eps)
    errors["X"] = relative_error(dX, numeric_dX)
    if not any(g.any() for g in analytic) and not dX.any() and not numeric_dX.any():
        raise ValueError("net: every gradient is exactly zero at these parameters (saturated "
                         "units?); a gradient check cannot tell right from wrong there")
    return errors


def grad_check_activation(activation, z: np.ndarray, eps: float = 1e-5) -> float:
    """Relative error of an activation's derivative(z, value(z)) against centred differences
    of its value, element-wise."""
    eps = check_positive_float(eps, "eps")
    act = get_activation(activation)
    z = check_array(z, "z", dtype=np.float64, allow_empty=True)
    with np.errstate(all="ignore"):        # values that overflow fail the check instead
        analytic = act.derivative(z, act.value(z))
        numeric = (act.value(z + eps) - act.value(z - eps)) / (2 * eps)
    return relative_error(analytic, numeric)


def grad_check_loss(loss: str, y_hat: np.ndarray, y: np.ndarray, eps: float = 1e-5) -> float:
    """Relative error of a loss's dL/dy_hat against centred differences."""
    eps = check_positive_float(eps, "eps")
    checked, _ = _losses.get(loss)
    y_hat = check_array(y_hat, "y_hat", dtype=np.float64, copy=True)   # perturbed in place
    y = check_array(y, "y", dtype=np.float64)
    analytic = checked(y_hat, y)[1]
    if _losses.canonical(loss) == "bce" and ((y_hat - eps < 0) | (y_hat + eps > 1)).any():
        raise ValueError(f"eps: y_hat - eps and y_hat + eps must stay probabilities in [0, 1] "
                         f"for bce, but y_hat comes within eps = {eps:g} of 0 or 1 (e.g. "
                         f"{y_hat[(y_hat - eps < 0) | (y_hat + eps > 1)][0]:g}); use a smaller "
                         f"eps or y_hat further from the ends")
    numeric = numerical_gradient(lambda: checked(y_hat, y)[0], y_hat, eps)
    return relative_error(analytic, numeric)


__all__ = ["ROUND_OFF", "format_error", "grad_check_activation", "grad_check_loss",
           "grad_check_network", "numerical_gradient", "relative_error"]
