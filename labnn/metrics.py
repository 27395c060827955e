"""The class of an output, and accuracy."""

from __future__ import annotations

import numpy as np

from ._checks import check_array, check_float_in

THRESHOLD = 0.5
"""The lab's threshold: a one-column output above it is class 1 (``show_result`` draws it so)."""


def classes(y):
    """The class of every row of targets or outputs y (..., K): with several columns, the index
    of the largest; with one column, whether it is above ``THRESHOLD``."""
    return y.argmax(axis=-1) if y.shape[-1] > 1 else y > THRESHOLD


def check_labels(y, name: str = "y") -> None:
    """Targets that an accuracy can be counted on: with one output column, class labels 0 or
    1 (with several, the class is the largest column, so any targets do)."""
    if y.shape[-1] == 1 and not np.isin(y, (0, 1)).all():
        raise ValueError(f"{name}: accuracy needs class labels 0 or 1 for a one-output network, "
                         f"got values such as {y[~np.isin(y, (0, 1))].flat[0]:g}; for "
                         f"regression targets use the loss alone (net.loss(X, y))")


def accuracy(y_true, y_prob, threshold: float = THRESHOLD) -> float:
    """Fraction of correct predictions.

    - One output column (N, 1) or (N,): class 1 where ``y_prob > threshold``; ``y_true`` holds
      0/1 labels of the same shape.
    - Several columns (N, C): the predicted class is the argmax; ``y_true`` is one-hot (N, C)
      or integer labels (N,).
    """
    threshold = check_float_in(threshold, "threshold", 0.0, 1.0)
    y_prob = check_array(y_prob, "y_prob")
    y_true = check_array(y_true, "y_true")
    if y_prob.ndim == 2 and y_prob.shape[1] > 1:
        if y_true.shape == y_prob.shape:
            labels = y_true.argmax(axis=1)
        elif y_true.shape == (y_prob.shape[0],):
            labels = y_true
            if not np.isin(labels, np.arange(y_prob.shape[1])).all():
                raise ValueError(f"y_true: expected class labels 0 to {y_prob.shape[1] - 1} "
                                 f"(one per column of y_prob), got values such as "
                                 f"{labels[~np.isin(labels, np.arange(y_prob.shape[1]))][0]:g}")
        else:
            raise ValueError(f"y_true: expected shape {y_prob.shape} (one-hot) or "
                             f"({y_prob.shape[0]},) (labels), got {y_true.shape}")
        return float(np.mean(y_prob.argmax(axis=1) == labels))
    if y_true.shape != y_prob.shape:
        raise ValueError(f"y_true: expected the shape of y_prob {y_prob.shape}, "
                         f"got {y_true.shape}")
    if not np.isin(y_true, (0, 1)).all():
        raise ValueError("y_true: expected 0/1 labels")
    return float(np.mean((y_prob > threshold) == (y_true == 1)))


__all__ = ["THRESHOLD", "accuracy", "check_labels", "classes"]
