"""labnn.data: the lab's two data sets exactly as the handout defines them, Playground's sets
(seeded, noisy on request, in the unit square) and the seeded train/test split."""


import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import labnn
from labnn import data
from labnn.data import generate_linear
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


NEW = {"gaussian": data.generate_gaussian, "reg-plane": data.generate_reg_plane,
       "reg-gauss": data.generate_reg_gauss}


@pytest.mark.parametrize("name", list(NEW))
def test_shapes_seeds_and_noise(name):
    X, y = NEW[name](n=150, seed=4)
    assert X.shape == (150, 2) and y.shape == (150, 1)
    assert X.dtype == y.dtype == np.float64
    X2, y2 = data.load(name, n=150, seed=4)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = NEW[name](n=150, seed=5)
    assert not np.array_equal(X, X3)
    Xn, yn = NEW[name](n=150, seed=4, noise=0.1)
    np.testing.assert_array_equal(y, yn)          # noise jitters the points after labelling
    assert 0.05 < np.std(Xn - X) < 0.15


def test_gaussian_is_two_blobs_at_playgrounds_places():
    X, y = data.generate_gaussian(n=2000, seed=0)
    assert int(y.sum()) == 1000
    np.testing.assert_allclose(X[y[:, 0] == 0].mean(axis=0), [1 / 3, 1 / 3], atol=0.01)
    np.testing.assert_allclose(X[y[:, 0] == 1].mean(axis=0), [2 / 3, 2 / 3], atol=0.01)
    np.testing.assert_allclose(X[y[:, 0] == 1].std(axis=0), data.PLAYGROUND_STD, rtol=0.1)


def test_reg_plane_targets():
    X, y = data.generate_reg_plane(n=500, seed=1)
    assert X.min() >= 0 and X.max() <= 1
    np.testing.assert_allclose(y[:, 0], 1.2 * (X[:, 0] + X[:, 1] - 1))
    assert y.min() >= -1.2 and y.max() <= 1.2


def test_reg_gauss_targets():
    X, y = data.generate_reg_gauss(n=3000, seed=2)
    assert X.min() >= 0 and X.max() <= 1 and np.abs(y).max() <= 1
    assert not np.signbit(y[y == 0]).any()        # no -0.0
    # at each bump's centre the target is its sign (Playground's six bumps)
    centres = np.array([b[:2] for b in data.REG_GAUSS_BUMPS])
    for (cx, cy, sign) in data.REG_GAUSS_BUMPS:
        near = np.hypot(X[:, 0] - cx, X[:, 1] - cy) < 0.02
        assert near.any() and np.all(np.sign(y[near, 0]) == sign)
    far = np.hypot(X[:, :1] - centres[:, 0], X[:, 1:] - centres[:, 1]).min(axis=1) > 1 / 6
    assert far.any() and np.all(y[far, 0] == 0)


def test_the_lab_sets_are_unchanged_by_the_new_ones():
    X, y = data.load("xor")
    np.testing.assert_array_equal(X, data.generate_xor_easy()[0])
    X, y = data.load("linear", n=100, seed=0)
    np.testing.assert_array_equal(X, data.generate_linear(n=100, seed=0)[0])
    assert tuple(data.CLASSIFICATION)[:4] == ("linear", "xor", "circle", "spiral")


def test_unknown_names_and_bad_arguments():
    with pytest.raises(ValueError, match="^dataset: .*reg-plane, reg-gauss, got 'moons'"):
        data.load("moons")
    for make in NEW.values():
        with pytest.raises(ValueError, match="^n: "):
            make(n=0)
        with pytest.raises(ValueError, match="^noise: "):
            make(noise=-1)
        with pytest.raises(ValueError, match="^seed: "):
            make(seed=-1)


# ---------------------------------------------------------------- the split
@given(n=st.integers(2, 500), ratio=st.floats(0.01, 0.99), seed=st.integers(0, 2**32 - 1))
def test_split_is_a_seeded_partition(n, ratio, seed):
    train, test = data.train_test_indices(n, ratio, seed)
    assert np.array_equal(np.sort(np.concatenate([train, test])), np.arange(n))
    assert len(test) == min(max(int(np.floor(ratio * n + 0.5)), 1), n - 1)
    assert np.all(np.diff(train) > 0) and np.all(np.diff(test) > 0)
    again = data.train_test_indices(n, ratio, seed)
    assert np.array_equal(train, again[0]) and np.array_equal(test, again[1])


def test_split_seeds_differ_and_do_not_follow_the_data():
    a = data.train_test_indices(100, 0.5, 0)[1]
    b = data.train_test_indices(100, 0.5, 1)[1]
    assert not np.array_equal(a, b)
    # its own stream: not the first draws of default_rng(seed), which made the data
    assert not np.array_equal(np.sort(np.random.default_rng(0).permutation(100)[:50]), a)


@pytest.mark.parametrize("kwargs, word", [
    ({"n": 1, "test_ratio": 0.5}, "n"), ({"n": 0, "test_ratio": 0.5}, "n"),
    ({"n": 10, "test_ratio": 0.0}, "test_ratio"), ({"n": 10, "test_ratio": 1.0}, "test_ratio"),
    ({"n": 10, "test_ratio": float("nan")}, "test_ratio"),
    ({"n": 10, "test_ratio": 0.5, "seed": -3}, "seed"),
])
def test_bad_split_arguments(kwargs, word):
    with pytest.raises(ValueError, match=f"^{word}: "):
        data.train_test_indices(**kwargs)


def test_linear_data_is_untouched_by_all_this():
    Xl, yl = generate_linear(30, seed=1)
    a = labnn.lab_network(seed=2).fit(Xl, yl, epochs=50)
    b = labnn.lab_network(seed=2).fit(Xl, yl, epochs=50)
    assert a.loss == b.loss


@pytest.mark.parametrize("call", [
    lambda: data.generate_linear(n=10**10), lambda: data.generate_circle(n=10**9),
    lambda: data.load("spiral", n=10**12), lambda: data.train_test_indices(10**11, 0.5),
])
def test_a_size_too_large_is_refused_naming_n(call):
    """The size rule (labnn._checks.MAX_ARRAY_BYTES), not a MemoryError."""
    with pytest.raises(ValueError, match="^n: .* would take .* bytes, more than"):
        call()


@pytest.mark.parametrize("n", [-5, 0, "lots", 2.0, True, None], ids=repr)
def test_load_checks_n_for_every_set(n):
    """n is ignored for xor (the lab's 21 points), but never unchecked."""
    for name in ("xor", "linear"):
        with pytest.raises(ValueError, match="^n: expected a positive integer"):
            data.load(name, n=n)
    assert data.load("xor", n=5)[0].shape == (21, 2)
