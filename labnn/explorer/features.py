"""Input features, as TensorFlow Playground's checkboxes: x1, x2, x1^2, x2^2, x1*x2, sin(x1),
sin(x2). One pure function, ``features(X, names)``, maps points to the chosen features; training,
the grid under the decision boundary and your own data all go through it.

    from labnn.explorer.features import features
    F = features(X, ("x1^2", "x2^2"))          # (N, 2): what the first layer sees

Every data set of the explorer lives in the unit square [0, 1]^2 (own data are rescaled into it);
Playground's live in [-6, 6]^2. So that the features mean what they mean in Playground (a
square centred on the view, a product whose sign is XOR's, a sine with Playground's two periods
across the view), the non-linear ones are Playground's own features taken at its coordinates
u = 12 x - 6, each divided by its largest size over the view so that every one spans [-1, 1]:
with t = 2 x - 1 = u / 6,

    x1^2 = t1^2,  x1*x2 = t1 t2,  sin(x1) = sin(6 t1)      (and likewise for x2).

``x1`` and ``x2`` are the coordinates as given (not t): with the default features the network
sees exactly the lab's inputs and trains as ``Network.fit`` on the lab's data does. (A shift of
an input is absorbed by the first layer's bias: it changes no boundary a network can draw, only
where training starts.)
"""

from __future__ import annotations

import numpy as np

from .._checks import check_array, check_distinct_names


def _t(X, i):
    return 2.0 * X[:, i] - 1.0


FEATURES = {
    "x1": ("x1", lambda X: X[:, 0]),
    "x2": ("x2", lambda X: X[:, 1]),
    "x1^2": ("(2 x1 - 1)^2", lambda X: _t(X, 0) ** 2),
    "x2^2": ("(2 x2 - 1)^2", lambda X: _t(X, 1) ** 2),
    "x1*x2": ("(2 x1 - 1)(2 x2 - 1)", lambda X: _t(X, 0) * _t(X, 1)),
    "sin(x1)": ("sin(6 (2 x1 - 1))", lambda X: np.sin(6.0 * _t(X, 0))),
    "sin(x2)": ("sin(6 (2 x2 - 1))", lambda X: np.sin(6.0 * _t(X, 1))),
}
"""Feature name -> (its formula in the view's coordinates, the function of X (N, 2))."""

FEATURE_NAMES = tuple(FEATURES)
DEFAULT_FEATURES = ("x1", "x2")


def check_features(names, name: str = "features") -> tuple[str, ...]:
    """A tuple or list of distinct feature names (at least one), returned in the table's
    order (``FEATURE_NAMES``), so that one set of checkboxes is one configuration."""
    known = ", ".join(FEATURE_NAMES)
    if not isinstance(names, (tuple, list)) or not names:
        hint = f"; for one feature write ({names!r},)" if isinstance(names, str) else ""
        raise ValueError(f"{name}: expected a non-empty tuple of feature names from {known}, "
                         f"got {names!r}{hint}")
    check_distinct_names(names, name, FEATURE_NAMES)
    return tuple(f for f in FEATURE_NAMES if f in names)


def features(X, names=DEFAULT_FEATURES) -> np.ndarray:
    """The chosen features of points X (N, 2) in the view's coordinates: a float64 array
    (N, len(names)), one column per feature in the table's order (see the module docstring
    for the formulas)."""
    names = check_features(names)
    X = check_array(X, "X", ndim=2, dtype=np.float64)
    if X.shape[1] != 2:
        raise ValueError(f"X: expected points of shape (N, 2), got {X.shape}")
    return np.column_stack([FEATURES[f][1](X) for f in names])


__all__ = ["DEFAULT_FEATURES", "FEATURES", "FEATURE_NAMES", "check_features", "features"]
