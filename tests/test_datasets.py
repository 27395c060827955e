"""labnn.explorer.datasets: your own points (arrays or a CSV file) checked, rescaled into the
view and back, with every problem named."""

from __future__ import annotations

import math
import os

import numpy as np
import pytest
from explorer_helpers import blob_points
from hypothesis import given, settings
from hypothesis import strategies as st

from labnn.explorer import datasets as ds
from labnn.explorer.playground import train

# ====================================================================== own data


def test_own_points_are_rescaled_into_the_view_keeping_their_shape():
    X, y = blob_points()
    own = ds.own_data(X, y)
    assert own.task == "classification" and own.y.shape == (40, 1)
    assert own.X[:, 0].min() == 0 and own.X[:, 0].max() == 1        # the longer side
    assert abs(own.X[:, 1].min() + own.X[:, 1].max() - 1) < 1e-12     # the other, centred
    np.testing.assert_allclose(own.scaling.from_view(own.X), X, rtol=1e-12)
    d_raw = np.linalg.norm(X[0] - X[1]) / np.linalg.norm(X[2] - X[3])
    d_view = np.linalg.norm(own.X[0] - own.X[1]) / np.linalg.norm(own.X[2] - own.X[3])
    assert d_view == pytest.approx(d_raw)                            # one scale for both axes
    np.testing.assert_array_equal(own.scaling.to_view(X), own.X)


def test_own_regression_targets_are_detected_and_scaled_to_minus_one_one():
    X, _ = blob_points()
    t = 300 + 40 * X[:, 0] / 50
    own = ds.own_data(X, t)
    assert own.task == "regression"
    assert own.y.min() == -1 and own.y.max() == 1
    np.testing.assert_allclose(own.scaling.target_from_view(own.y)[:, 0], t)
    assert ds.own_data(X, (X[:, 0] > 1000), task="regression").task == "regression"
    assert ds.own_data(X, np.where(X[:, 0] > 1000, 1.0, 0.0)).task == "classification"


@pytest.mark.parametrize("X, y, task, word, match", [
    (np.zeros((10, 3)), np.zeros(10), "auto", "X", r"shape \(N, 2\)"),
    (np.zeros(10), np.zeros(10), "auto", "X", "2-D"),
    ([[0, 0], [1, 1], [2, math.nan], [3, 0]], [0, 1, 0, 1], "auto", "X", "NaN or inf"),
    ([[0, 0], [1, 1], [2, 2]], [0, 1, 0], "auto", "X", "between 4 and 10000 points, got 3"),
    (np.zeros((10001, 2)), np.zeros(10001), "auto", "X", "got 10001"),
    ([[0, 0], [1, 1], [2, 2], [3, 0]], [1, 1, 1, 1], "auto", "y", "every label is 1"),
    ([[0, 0], [1, 1], [2, 2], [3, 0]], [0, 1, 2.5, 1], "classification", "y",
     "two distinct labels, got 3: 0, 1, 2.5"),
    ([[0, 0], [1, 1], [2, 2], [3, 0]], [0, 1, 2, 1], "auto", "y",
     r"3 classes \(0, 1, 2\); the explorer classifies two classes, or fits real targets"),
    ([[0, 0], [1, 1], [2, 2], [3, 0]], ["a", "b", "c", "a"], "auto", "y",
     "3 classes \\('a', 'b', 'c'\\)"),
    ([[0, 0], [1, 1], [2, 2], [3, 0]], ["a", "b", "b", "a"], "regression", "y",
     "regression needs real targets, got labels 'a', 'b'"),
    ([[0, 0], [1, 1], [2, 2], [3, 0]], [None, 1, 0, 1], "auto", "y", "dtype object"),
    ([[0, 0], [1, 1], [2, 2], [3, 0]], [3, 3, 3, 3], "regression", "y", "every target is 3"),
    ([[0, 0], [1, 1], [2, 2], [3, 0]], [0, 1, 0], "auto", "y", r"expected 4 values"),
    ([[0, 0], [1, 1], [2, 2], [3, 0]], [0, 1, math.inf, 1], "auto", "y", "NaN or inf"),
    ([[1, 1]] * 5, [0, 1, 0, 1, 0], "auto", "X", "every point is the same"),
    ([[0, 0], [1, 1], [2, 2], [3, 0]], [0, 1, 0, 1], "labels", "task", "'auto'"),
    ([[-1e308, 0], [1e308, 1], [2, 2], [3, 0]], [0, 1, 0, 1], "auto", "X", "span more"),
    ([[0, 0], [1, 1], [2, 2], [3, 0]], [-1e308, 1e308, 0, 1], "auto", "y", "span more"),
])
def test_bad_own_data_name_what_is_wrong(X, y, task, word, match):
    with pytest.raises(ValueError, match=f"^{word}: .*{match}"):
        ds.own_data(X, y, task)


def test_csv_with_a_header_comments_and_blank_lines(tmp_path):
    X, y = blob_points(n=12)
    path = tmp_path / "points.csv"
    rows = "\n".join(f"{float(a)!r},{float(b)!r},{int(c)}" for (a, b), c in zip(X, y))
    path.write_text(f"x1,x2,label\n# measured by hand\n\n{rows}\n")
    own = ds.load_csv(path)
    ref = ds.own_data(X, y)
    np.testing.assert_array_equal(own.X, ref.X)
    np.testing.assert_array_equal(own.y, ref.y)
    assert own.source == str(path) and own.task == "classification"
    path.write_text(rows)                                           # no header
    np.testing.assert_array_equal(ds.load_csv(str(path)).X, ref.X)


def test_csv_from_a_spreadsheet_bom_crlf_and_spaces(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("x1, x2, y\r\n1.0, 2.5, 0\r\n 3, 4 ,1\r\n5,6,0\r\n7,8,1\r\n"
                     .encode("utf-8-sig"))
    own = ds.load_csv(path)
    np.testing.assert_array_equal(own.y[:, 0], [0, 1, 0, 1])
    np.testing.assert_allclose(own.scaling.from_view(own.X), [[1, 2.5], [3, 4], [5, 6], [7, 8]])


@pytest.mark.parametrize("text, match", [
    ("", "holds no data rows"), ("x1,x2,y\n", "a header but no data rows"),
    ("1,2\n3,4\n5,6\n7,8\n", "expected 3 columns"),
    ("1,2,0\n3,4,1\n5,abc,0\n7,8,1\n", "not a table of numbers"),
    ("1,2,0\n3,4,1\n5,6\n7,8,1\n", "expected 3 columns .* got 2 in data row 3"),
    ("1,2,0\n3,4,1\n5,nan,0\n7,8,1\n", "X: expected finite values"),
    ("1,2,0\n3,4,1\n5,6,1\n", "got 3"),
    ("1,2,0\n3,4,0\n5,6,0\n7,8,0\n", "y: every label is 0"),
])
def test_bad_csv_files_name_the_file(tmp_path, text, match):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=f"^path: .*bad.csv.*{match}"):
        ds.load_csv(path)


@pytest.mark.parametrize("y, labels", [
    ([-1, 1, 1, -1, 1, -1, -1, 1], (-1, 1)),
    ([True, False] * 4, (False, True)),
    (np.array([True, False] * 4), (False, True)),
    (["dog", "cat"] * 4, ("cat", "dog")),
    (np.array([3.5, 7.0] * 4), (3.5, 7.0)),
])
def test_two_labels_of_any_kind_are_two_classes(y, labels):
    X = np.column_stack([np.arange(8.0), np.arange(8.0) % 3])
    own = ds.own_data(X, y)
    assert own.task == "classification" and own.labels == labels
    first = np.asarray(y).reshape(-1)[0]
    assert own.y[0, 0] == (1.0 if first == labels[1] else 0.0)
    assert set(own.y[:, 0]) == {0.0, 1.0}
    assert train(data=own, epochs=5, layer_widths=(3,))[0].epochs == 5


def test_csv_labels_may_be_words(tmp_path):
    path = tmp_path / "pets.csv"
    path.write_text("x1,x2,pet\n0,0,cat\n1,0,dog\n0,1,dog\n1,1,cat\n")
    own = ds.load_csv(path)
    assert own.labels == ("cat", "dog") and own.y[:, 0].tolist() == [0, 1, 1, 0]


def test_csv_files_that_are_no_regular_files_are_refused_without_reading(tmp_path):
    fifo = tmp_path / "points.fifo"
    os.mkfifo(fifo)                              # reading it would wait for a writer forever
    with pytest.raises(ValueError, match="not a regular file"):
        ds.load_csv(fifo)
    with pytest.raises(ValueError, match="not a regular file"):
        ds.load_csv("/dev/zero")                 # endless: reading it would fill the memory
    with pytest.raises(ValueError, match="not a regular file"):
        ds.load_csv(tmp_path)


def test_csv_files_are_bounded_before_and_while_reading(tmp_path):
    big = tmp_path / "big.csv"
    with open(big, "wb") as f:                   # sparse: no disk used, and never read
        f.truncate(ds.MAX_CSV_BYTES + 1)
    with pytest.raises(ValueError, match=f"larger than MAX_CSV_BYTES \\({ds.MAX_CSV_BYTES}\\)"):
        ds.load_csv(big)
    many = tmp_path / "many.csv"
    many.write_text("0,0,0\n1,1,1\n" * (ds.MAX_POINTS // 2 + 1) + "not,even,read\n" * 1000)
    with pytest.raises(ValueError, match=f"more than {ds.MAX_POINTS} points"):
        ds.load_csv(many)
    long = tmp_path / "long.csv"
    long.write_text("0,0," + "1" * (ds.MAX_CSV_LINE + 10) + "\n")
    with pytest.raises(ValueError, match="line 1 is longer than"):
        ds.load_csv(long)


def test_csv_that_cannot_be_read(tmp_path):
    with pytest.raises(ValueError, match="^path: cannot read .*missing.csv"):
        ds.load_csv(tmp_path / "missing.csv")
    with pytest.raises(ValueError, match="^path: expected a file name"):
        ds.load_csv(3)
    (tmp_path / "bin.csv").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ValueError, match="^path: cannot read"):
        ds.load_csv(tmp_path / "bin.csv")


@given(n=st.integers(4, 60), seed=st.integers(0, 1000), scale=st.floats(1e-3, 1e6),
       shift=st.floats(-1e6, 1e6), regression=st.booleans())
@settings(max_examples=40)
def test_own_data_in_and_out(n, seed, scale, shift, regression):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2)) * scale + shift
    y = rng.normal(size=n) if regression else np.arange(n) % 2
    own = ds.own_data(X, y)
    assert own.task == ("regression" if regression else "classification")
    assert own.X.min() >= -1e-9 and own.X.max() <= 1 + 1e-9
    np.testing.assert_allclose(own.scaling.from_view(own.X), X, rtol=1e-9,
                               atol=1e-9 * (scale + abs(shift)))
    if regression:
        np.testing.assert_allclose(own.scaling.target_from_view(own.y)[:, 0], y, atol=1e-9)
    h, _ = train(data=own, test_ratio=0.5 if n >= 4 else 0, epochs=5, layer_widths=(3,))
    assert h.epochs == 5 and np.isfinite(h.test_loss).all()


def test_playgrounds_xor_has_points_in_four_quadrants_off_the_axes():
    X, y = ds.generate_xor_quadrants(n=400, seed=0)
    u = (X - 0.5) * 12                                  # back to Playground's coordinates
    assert np.abs(u).min() >= 0.3 and np.abs(u).max() <= 5.3
    np.testing.assert_array_equal(y[:, 0], (u[:, 0] * u[:, 1] > 0).astype(float))
    assert 150 < y.sum() < 250                          # about half in each class
    Xn, yn = ds.generate_xor_quadrants(n=400, seed=0, noise=0.1)
    np.testing.assert_array_equal(yn, y)                # noise moves points, not labels
    assert not np.array_equal(Xn, X)
    np.testing.assert_array_equal(ds.generate("xor-quadrants", n=400, seed=0, noise=0.0)[0], X)
    assert "xor-quadrants" in ds.DATASETS and ds.task_of("xor-quadrants") == "classification"
    h, _ = train(dataset="xor-quadrants", epochs=300, lr=1.0)
    assert max(h.accuracy) >= 0.95
