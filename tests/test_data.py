import numpy as np
import pytest

from labnn import data
from labnn.metrics import accuracy


def test_generate_linear_semantics():
    X, y = data.generate_linear(n=100, seed=0)
    assert X.shape == (100, 2) and y.shape == (100, 1)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert X.min() >= 0 and X.max() <= 1
    np.testing.assert_array_equal(y[:, 0], np.where(X[:, 0] > X[:, 1], 0.0, 1.0))


def test_generate_xor_easy_exact():
    X, y = data.generate_xor_easy()
    assert X.shape == (21, 2) and y.shape == (21, 1)
    expected_X, expected_y = [], []
    for i in range(11):
        expected_X.append([0.1 * i, 0.1 * i])
        expected_y.append(0)
        if i == 5:
            continue
        expected_X.append([0.1 * i, 1 - 0.1 * i])
        expected_y.append(1)
    np.testing.assert_array_equal(X, expected_X)
    np.testing.assert_array_equal(y[:, 0], expected_y)
    assert int((y == 0).sum()) == 11
    always_zero = accuracy(y, np.zeros_like(y))
    assert f"{always_zero:.2%}" == "52.38%"


@pytest.mark.parametrize("name", ["linear", "circle", "spiral"])
def test_playground_sets(name):
    X, y = data.load(name, n=60, seed=3)
    X2, _ = data.load(name, n=60, seed=3)
    assert X.shape == (60, 2) and y.shape == (60, 1)
    np.testing.assert_array_equal(X, X2)
    assert set(np.unique(y)) == {0.0, 1.0}
    noisy, _ = data.load(name, n=60, seed=3, noise=0.05)
    assert not np.array_equal(noisy, X)


def test_circle_classes_are_separated_by_radius():
    X, y = data.generate_circle(200, seed=0)
    r = np.hypot(X[:, 0] - 0.5, X[:, 1] - 0.5)
    assert r[y[:, 0] == 0].max() <= 0.25 < 0.35 <= r[y[:, 0] == 1].min()


def test_load_rejects_unknown_names():
    with pytest.raises(ValueError, match="dataset: expected one of"):
        data.load("moons")


def test_accuracy_rules():
    y = np.array([[0.0], [1.0], [1.0]])
    assert accuracy(y, np.array([[0.2], [0.7], [0.4]])) == pytest.approx(2 / 3)
    assert accuracy(y, np.array([[0.2], [0.7], [0.4]]), threshold=0.3) == 1.0
    probs = np.array([[0.1, 0.9], [0.8, 0.2]])
    assert accuracy(np.array([1, 1]), probs) == 0.5
    assert accuracy(np.array([[0, 1], [1, 0]]), probs) == 1.0
    with pytest.raises(ValueError, match="y_true: expected the shape of y_prob"):
        accuracy(np.zeros(3), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="y_true: expected 0/1 labels"):
        accuracy(np.full((3, 1), 2.0), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="threshold"):
        accuracy(y, y, threshold=2)
