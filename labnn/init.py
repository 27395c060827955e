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

Within ``nudged(ulps)`` (or after ``set_nudge(ulps)``) every initial parameter drawn here moves
by ``ulps`` units in the last place: ``labnn.report.sensitivity`` measures with it which results
depend on floating-point rounding.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

DEFAULT_GAIN = 2.0

SCHEMES = ("default", "xavier", "xavier_normal", "he", "normal")


def check_scheme(name) -> str:
    if not isinstance(name, str) or name not in SCHEMES:
        raise ValueError(f"init: expected one of {', '.join(SCHEMES)}, got {name!r}")
    return name


_nudge_ulps = 0
"""Units in the last place added to every non-zero initial parameter (0: none); set only by
``set_nudge`` and ``nudged``."""


def set_nudge(ulps: int) -> None:
    """From now on, move every new network's initial parameters by ``ulps`` units in the last
    place (0 switches the nudge off)."""
    global _nudge_ulps
    if isinstance(ulps, bool) or not isinstance(ulps, (int, np.integer)):
        raise ValueError(f"ulps: expected an integer, got {ulps!r}")
    if abs(int(ulps)) > 1000:
        raise ValueError(f"ulps: expected a rounding-sized nudge (|ulps| <= 1000), got {ulps}")
    _nudge_ulps = int(ulps)


def get_nudge() -> int:
    """The current nudge, in units in the last place."""
    return _nudge_ulps


@contextmanager
def nudged(ulps: int = 1) -> Iterator[None]:
    """Within the block, new networks start from initial parameters nudged by ``ulps`` more
    ulps than outside it (so an experiment and its nudged twin differ by ``ulps`` even when
    everything runs under a nudge already)."""
    saved = get_nudge()
    set_nudge(saved + ulps)
    try:
        yield
    finally:
        set_nudge(saved)


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
    if _nudge_ulps:
        W, b = nudge(W, _nudge_ulps), nudge(b, _nudge_ulps)
    return W, b
