"""The lab's data generators (exact, seeded) and TensorFlow Playground's data sets.

All return ``(X, y)``: float64 arrays of shapes (n, 2) and (n, 1), one row (x1, x2) per point;
labels 0.0 / 1.0 for the classification sets (``CLASSIFICATION``), real targets for the
regression sets (``REGRESSION``).
Every set lives in the unit square [0, 1]^2 (Playground's [-6, 6]^2 scaled to it), and ``noise``
adds Gaussian jitter of that standard deviation to the points after they are labelled.
Training and testing use the same data in the lab; ``train_test_indices`` splits a set.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_float_in, check_positive_int, check_seed, check_size


def _start(n, seed, noise):
    """A generator's checked arguments: (n, noise, the seeded random generator)."""
    n = check_positive_int(n, "n")
    check_size((n, 2), np.float64, "n", "the points")
    noise = check_float_in(noise, "noise", 0.0, 1.0)
    return n, noise, np.random.default_rng(check_seed(seed))


def _noisy(X, noise, rng):
    if noise:
        X = X + rng.normal(0.0, noise, size=X.shape)
    return X


def generate_linear(n: int = 100, seed=None, noise: float = 0.0):
    """``n`` points uniform in [0, 1]^2; label 0 if x1 > x2 else 1. ``noise`` (default 0, the
    lab's data) adds Gaussian jitter of that standard deviation to the points after labelling."""
    n, noise, rng = _start(n, seed, noise)
    X = rng.uniform(0.0, 1.0, size=(n, 2))
    y = np.where(X[:, 0] > X[:, 1], 0.0, 1.0).reshape(n, 1)
    return _noisy(X, noise, rng), y


def generate_xor_easy(noise: float = 0.0, seed=None):
    """The lab's 21 XOR points: for i in 0..10, (0.1 i, 0.1 i) labelled 0, then (skipping
    i = 5, the centre) (0.1 i, 1 - 0.1 i) labelled 1, interleaved in that order. 11 of 21 are 0,
    so "always 0" scores 52.38 %. ``noise`` > 0 jitters the points (seeded)."""
    noise = check_float_in(noise, "noise", 0.0, 1.0)
    inputs, labels = [], []
    for i in range(11):
        inputs.append([0.1 * i, 0.1 * i])
        labels.append(0.0)
        if i == 5:  # the centre point (0.5, 0.5) is already labelled 0
            continue
        inputs.append([0.1 * i, 1 - 0.1 * i])
        labels.append(1.0)
    X = np.array(inputs, dtype=np.float64)
    y = np.array(labels, dtype=np.float64).reshape(21, 1)
    return _noisy(X, noise, np.random.default_rng(check_seed(seed))), y


def generate_circle(n: int = 100, seed=None, noise: float = 0.0):
    """Playground's circle in [0, 1]^2: class 0 inside radius 0.25 of the centre, class 1 on a
    ring of radii 0.35..0.5 (half the points each)."""
    n, noise, rng = _start(n, seed, noise)
    n0 = n // 2
    r = np.concatenate([rng.uniform(0.0, 0.25, n0), rng.uniform(0.35, 0.5, n - n0)])
    theta = rng.uniform(0.0, 2 * np.pi, n)
    X = 0.5 + np.stack([r * np.cos(theta), r * np.sin(theta)], axis=1)
    y = np.concatenate([np.zeros(n0), np.ones(n - n0)]).reshape(n, 1)
    return _noisy(X, noise, rng), y


def generate_spiral(n: int = 100, seed=None, noise: float = 0.0):
    """Two interleaved spirals in [0, 1]^2 (class 0 and class 1, half the points each), as in
    Playground: radius grows with the angle over 1.75 turns."""
    n, noise, rng = _start(n, seed, noise)
    n0 = n // 2
    t = np.concatenate([rng.uniform(0.0, 1.0, n0), rng.uniform(0.0, 1.0, n - n0)])
    label = np.concatenate([np.zeros(n0), np.ones(n - n0)])
    angle = t * 1.75 * 2 * np.pi + label * np.pi
    r = 0.05 + 0.42 * t
    X = 0.5 + np.stack([r * np.cos(angle), r * np.sin(angle)], axis=1)
    return _noisy(X, noise, rng), label.reshape(n, 1)


PLAYGROUND_STD = 0.5 ** 0.5 / 12
"""Playground's Gaussian blobs at zero noise (variance 0.5 in its [-6, 6] square), scaled to the
unit square."""


def generate_gaussian(n: int = 100, seed=None, noise: float = 0.0):
    """Playground's two Gaussian blobs: class 0 around (1/3, 1/3), class 1 around (2/3, 2/3)
    (its (-2, -2) and (2, 2)), standard deviation ``PLAYGROUND_STD``; half the points each."""
    n, noise, rng = _start(n, seed, noise)
    label = np.concatenate([np.zeros(n // 2), np.ones(n - n // 2)])
    centre = (1.0 + label[:, None]) / 3.0
    X = centre + rng.normal(0.0, PLAYGROUND_STD, size=(n, 2))
    return _noisy(X, noise, rng), label.reshape(n, 1)


def generate_reg_plane(n: int = 100, seed=None, noise: float = 0.0):
    """Playground's regression plane: points uniform in [0, 1]^2, target 1.2 (x1 + x2 - 1), in
    [-1.2, 1.2] (its (x + y) / 10 over [-6, 6]^2)."""
    n, noise, rng = _start(n, seed, noise)
    X = rng.uniform(0.0, 1.0, size=(n, 2))
    y = 1.2 * (X[:, 0] + X[:, 1] - 1.0)
    return _noisy(X, noise, rng), y.reshape(len(X), 1)


REG_GAUSS_BUMPS = tuple((cx / 12 + 0.5, cy / 12 + 0.5, sign) for cx, cy, sign in (
    (-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)))
"""Playground's six bumps (x1, x2, sign) in the unit square."""


def generate_reg_gauss(n: int = 100, seed=None, noise: float = 0.0):
    """Playground's multi-Gaussian regression: points uniform in [0, 1]^2; each of six bumps
    (``REG_GAUSS_BUMPS``) gives sign * max(0, 1 - 6 d) at distance d from its centre (its
    1 - d / 2 over [-6, 6]^2), and the target is the one largest in size (0 far from all)."""
    n, noise, rng = _start(n, seed, noise)
    X = rng.uniform(0.0, 1.0, size=(n, 2))
    bumps = np.array(REG_GAUSS_BUMPS)
    d = np.hypot(X[:, :1] - bumps[:, 0], X[:, 1:] - bumps[:, 1])          # (n, 6)
    values = bumps[:, 2] * np.clip(1.0 - 6.0 * d, 0.0, 1.0)
    y = values[np.arange(len(X)), np.abs(values).argmax(axis=1)] + 0.0     # no -0.0
    return _noisy(X, noise, rng), y.reshape(len(X), 1)


CLASSIFICATION = {
    "linear": generate_linear,
    "xor": generate_xor_easy,
    "circle": generate_circle,
    "spiral": generate_spiral,
    "gaussian": generate_gaussian,
}
"""The classification sets (labels 0 and 1)."""

REGRESSION = {
    "reg-plane": generate_reg_plane,
    "reg-gauss": generate_reg_gauss,
}
"""The regression sets (real targets, for the mean squared error)."""


def load(name: str, n: int = 100, seed=None, noise: float = 0.0):
    """A data set by name (``CLASSIFICATION`` or ``REGRESSION``); ``n`` (checked all the same)
    is ignored for xor (the lab's 21 points)."""
    names = {**CLASSIFICATION, **REGRESSION}
    if not isinstance(name, str) or name not in names:
        raise ValueError(f"dataset: expected one of {', '.join(names)}, got {name!r}")
    check_positive_int(n, "n")
    if name == "xor":
        return generate_xor_easy(noise=noise, seed=seed)
    return names[name](n=n, seed=seed, noise=noise)


SPLIT_STREAM = 0x5B17
"""Mixed into the split's seed, so that the same seed as the data's gives unrelated draws."""


def train_test_indices(n: int, test_ratio: float, seed=None):
    """(train, test): sorted index arrays splitting ``n`` samples at random, round(test_ratio
    n) of them (at least 1, at most n - 1) for testing; ``test_ratio`` in (0, 1). Seeded:
    same n, ratio and seed, same split."""
    n = check_positive_int(n, "n")
    check_size((n,), np.int64, "n", "the indices")
    ratio = check_float_in(test_ratio, "test_ratio", 0.0, 1.0, lo_open=True, hi_open=True)
    if n < 2:
        raise ValueError(f"n: a train/test split needs at least 2 samples, got {n}")
    seed = check_seed(seed)
    rng = np.random.default_rng(None if seed is None else [SPLIT_STREAM, seed])
    n_test = min(max(int(np.floor(ratio * n + 0.5)), 1), n - 1)
    order = rng.permutation(n)
    return np.sort(order[n_test:]), np.sort(order[:n_test])
