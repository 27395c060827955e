"""Weight initialisation schemes, all drawn from a given ``numpy.random.Generator``.

W has shape (fan_in, fan_out); biases start at zero except for ``normal`` (the original
report's plain standard normal for both W and b).

- ``default``: Xavier/Glorot uniform with gain 2, U(-a, a) with a = 2 sqrt(6 / (fan_in +
  fan_out)), zero bias. Glorot & Bengio (2010) suggest a gain of 4 for the logistic sigmoid,
  PyTorch uses 1; on the lab's 2-4-4-1 sigmoid network with full-batch SGD at lr 1.0 for 5000
  epochs, gain 2 ends at 100 % accuracy on both lab data sets for 38 of seeds 0..39 each
  (gain 1: 13 of 20 on XOR; gain 3: 18 of 20). tests/test_lab.py checks seeds 0..9.
- ``xavier``: Xavier/Glorot uniform, a = sqrt(6 / (fan_in + fan_out)), zero bias.
- ``xavier_normal``: N(0, 2 / (fan_in + fan_out)), zero bias.
- ``he``: N(0, 2 / fan_in), zero bias (for ReLU-like activations).
- ``normal``: N(0, 1) for W and b, as in the report this project grew from.

``labnn.report.sensitivity`` can ask for every initial parameter to be moved by a few units in
the last place (``NUDGE_ULPS``), to measure which results depend on floating-point rounding.
"""

from __future__ import annotations

import numpy as np

DEFAULT_GAIN = 2.0

SCHEMES = ("default", "xavier", "xavier_normal", "he", "normal")


def check_scheme(name) -> str:
    if not isinstance(name, str) or name not in SCHEMES:
        raise ValueError(f"init: expected one of {', '.join(SCHEMES)}, got {name!r}")
    return name


NUDGE_ULPS = 0
"""Units in the last place added to every non-zero initial parameter (0: none). Set it through
``labnn.report.sensitivity.nudged`` or ``labnn.report.sensitivity.set_nudge``."""


def nudge(a: np.ndarray, ulps: int) -> np.ndarray:
    """``a`` with every non-zero element moved by ``ulps`` units in the last place (towards
    +inf for ulps > 0, -inf for ulps < 0); zeros stay zero. A new array."""
    out = np.array(a, copy=True)
    target = np.inf if ulps > 0 else -np.inf
    nonzero = out != 0
    for _ in range(abs(int(ulps))):
        out[nonzero] = np.nextafter(out[nonzero], target)
    return out


def initialise(scheme: str, fan_in: int, fan_out: int, rng: np.random.Generator,
               dtype=np.float64, w_shape=None, b_shape=None):
    """(W, b) for a layer. ``w_shape``/``b_shape`` default to (fan_in, fan_out) and (fan_out,);
    convolutions pass their own shapes and fan counts."""
    check_scheme(scheme)
    w_shape = (fan_in, fan_out) if w_shape is None else w_shape
    b_shape = (fan_out,) if b_shape is None else b_shape
    if scheme in ("default", "xavier"):
        gain = DEFAULT_GAIN if scheme == "default" else 1.0
        a = gain * np.sqrt(6.0 / (fan_in + fan_out))
        W = rng.uniform(-a, a, size=w_shape)
        b = np.zeros(b_shape)
    elif scheme == "xavier_normal":
        W = rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=w_shape)
        b = np.zeros(b_shape)
    elif scheme == "he":
        W = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=w_shape)
        b = np.zeros(b_shape)
    else:  # normal
        W = rng.standard_normal(size=w_shape)
        b = rng.standard_normal(size=b_shape)
    W, b = W.astype(dtype), b.astype(dtype)
    if NUDGE_ULPS:
        W, b = nudge(W, NUDGE_ULPS), nudge(b, NUDGE_ULPS)
    return W, b
