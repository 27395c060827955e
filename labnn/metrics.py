"""Accuracy."""

from __future__ import annotations

import numpy as np

from ._checks import check_array, check_float_in


def accuracy(y_true, y_prob, threshold: float = 0.5) -> float:
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
        else:
            raise ValueError(f"y_true: expected shape {y_prob.shape} (one-hot) or "
                             f"({y_prob.shape[0]},) (labels), got {y_true.shape}")
        return float(np.mean(y_prob.argmax(axis=1) == labels))
    if y_true.shape != y_prob.shape:
        raise ValueError(f"y_true: expected the shape of y_prob {y_prob.shape}, "
                         f"got {y_true.shape}")
    if not np.isin(y_true, (0, 1)).all():
        raise ValueError("y_true: expected 0/1 labels")
    return float(np.mean((y_prob > threshold) == (y_true > 0.5)))


def class_labels(y, multi: bool):
    """The classes in targets y: the argmax of each row when there are several output columns
    (``multi``), else y > 0.5, elementwise."""
    return y.argmax(axis=-1) if multi else y > 0.5


def count_correct(y_hat, labels, multi: bool, axis=None):
    """How many predictions in ``y_hat`` match ``labels`` (``class_labels`` of the targets):
    in total, or per network of a stack over ``axis``."""
    pred = class_labels(y_hat, multi)
    return np.count_nonzero(pred == labels, axis=axis) if axis is not None else \
        int(np.count_nonzero(pred == labels))
