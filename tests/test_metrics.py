"""labnn.metrics: accuracy, and the one rule that turns outputs and targets into classes."""

from __future__ import annotations

import numpy as np
import pytest

from labnn.metrics import accuracy, classes


def test_accuracy_thresholds_one_column_and_takes_the_argmax_of_several():
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    p = np.array([[0.2], [0.7], [0.5], [0.51]])         # 0.5 is not above the threshold
    assert accuracy(y, p) == 0.5
    assert accuracy(y, p, threshold=0.6) == 0.75
    onehot = np.eye(3)[[0, 2, 1]]
    logits = np.array([[3.0, 1.0, 0.0], [0.0, 1.0, 2.0], [5.0, 1.0, 0.0]])
    assert accuracy(onehot, logits) == pytest.approx(2 / 3)
    assert accuracy(np.array([0, 2, 1]), logits) == pytest.approx(2 / 3)


@pytest.mark.parametrize("y_true, y_prob, name", [
    (np.zeros((3, 1)), np.zeros((2, 1)), "y_true"),
    (np.full((2, 1), 0.5), np.zeros((2, 1)), "y_true"),
    (np.zeros((2, 3)), np.zeros((2, 2)), "y_true"),
    (np.zeros((2, 1)), np.full((2, 1), np.nan), "y_prob"),
])
def test_accuracy_names_the_bad_argument(y_true, y_prob, name):
    with pytest.raises(ValueError, match=name):
        accuracy(y_true, y_prob)
    with pytest.raises(ValueError, match="threshold"):
        accuracy(np.zeros((1, 1)), np.zeros((1, 1)), threshold=2.0)


def test_classes_agree_with_accuracy():
    """One rule: a one-column output is class 1 above 0.5, several columns are an argmax;
    counting agreements with ``classes`` gives ``accuracy``, for one network and per network
    of a stack (a leading axis)."""
    rng = np.random.default_rng(0)
    y = (rng.random((3, 20, 1)) > 0.5).astype(float)       # a stack of 3, own targets
    p = rng.random((3, 20, 1))
    per_net = np.count_nonzero(classes(p) == classes(y), axis=(-2, -1))
    assert per_net.shape == (3,)
    for i in range(3):
        alone = np.count_nonzero(classes(p[i]) == classes(y[i]))
        assert alone == per_net[i] == round(accuracy(y[i], p[i]) * 20)
    onehot = np.eye(4)[rng.integers(0, 4, 10)]
    logits = rng.normal(size=(10, 4))
    assert np.count_nonzero(classes(logits) == classes(onehot)) == \
        round(accuracy(onehot, logits) * 10)
    assert classes(np.array([[0.5], [0.51]])).tolist() == [[False], [True]]


@pytest.mark.parametrize("labels", [[5, 7], [0.5, 1.0], [-1, 0], [0, 2]], ids=repr)
def test_class_labels_outside_the_columns_are_refused(labels):
    """Labels for two columns are 0 and 1: 5 and 7 scored 0.0, and 0.5 was taken."""
    y_prob = np.array([[0.9, 0.1], [0.2, 0.8]])
    with pytest.raises(ValueError, match=r"^y_true: expected class labels 0 to 1"):
        accuracy(np.array(labels), y_prob)
    assert accuracy(np.array([0, 1]), y_prob) == 1.0
