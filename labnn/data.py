"""The lab's data generators (exact, seeded) and a few Playground-style extras.

All return ``(X, y)``: float64 arrays of shapes (n, 2) and (n, 1), labels 0.0 / 1.0.
Training and testing use the same data in the lab.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_float_in, check_positive_int, check_seed


def _noisy(X, noise, rng):
    if noise:
        X = X + rng.normal(0.0, noise, size=X.shape)
    return X


def generate_linear(n: int = 100, seed=None, noise: float = 0.0):
    """``n`` points uniform in [0, 1]^2; label 0 if x0 > x1 else 1. ``noise`` (default 0, the
    lab's data) adds Gaussian jitter of that standard deviation to the points after labelling."""
    n = check_positive_int(n, "n")
    noise = check_float_in(noise, "noise", 0.0, 1.0)
    rng = np.random.default_rng(check_seed(seed))
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
    n = check_positive_int(n, "n")
    noise = check_float_in(noise, "noise", 0.0, 1.0)
    rng = np.random.default_rng(check_seed(seed))
    n0 = n // 2
    r = np.concatenate([rng.uniform(0.0, 0.25, n0), rng.uniform(0.35, 0.5, n - n0)])
    theta = rng.uniform(0.0, 2 * np.pi, n)
    X = 0.5 + np.stack([r * np.cos(theta), r * np.sin(theta)], axis=1)
    y = np.concatenate([np.zeros(n0), np.ones(n - n0)]).reshape(n, 1)
    return _noisy(X, noise, rng), y


def generate_spiral(n: int = 100, seed=None, noise: float = 0.0):
    """Two interleaved spirals in [0, 1]^2 (class 0 and class 1, half the points each), as in
    Playground: radius grows with the angle over 1.75 turns."""
    n = check_positive_int(n, "n")
    noise = check_float_in(noise, "noise", 0.0, 1.0)
    rng = np.random.default_rng(check_seed(seed))
    n0 = n // 2
    t = np.concatenate([rng.uniform(0.0, 1.0, n0), rng.uniform(0.0, 1.0, n - n0)])
    label = np.concatenate([np.zeros(n0), np.ones(n - n0)])
    angle = t * 1.75 * 2 * np.pi + label * np.pi
    r = 0.05 + 0.42 * t
    X = 0.5 + np.stack([r * np.cos(angle), r * np.sin(angle)], axis=1)
    return _noisy(X, noise, rng), label.reshape(n, 1)


GENERATORS = {
    "linear": generate_linear,
    "xor": generate_xor_easy,
    "circle": generate_circle,
    "spiral": generate_spiral,
}


def load(name: str, n: int = 100, seed=None, noise: float = 0.0):
    """A data set by name (linear, xor, circle, spiral); ``n`` is ignored for xor (21 points)."""
    if not isinstance(name, str) or name not in GENERATORS:
        raise ValueError(f"dataset: expected one of {', '.join(GENERATORS)}, got {name!r}")
    if name == "xor":
        return generate_xor_easy(noise=noise, seed=seed)
    return GENERATORS[name](n=n, seed=seed, noise=noise)
