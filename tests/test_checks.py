"""labnn._checks: every validation helper names the argument and says what it expected, and
refuses what is only nearly right (bools for numbers, floats for integers, strings for flags,
NaN, ints too large for a float)."""

from __future__ import annotations

import io
import math
import sys
import warnings

import numpy as np
import pytest

import labnn
from labnn import optim
from labnn._checks import (
    MAX_ARRAY_BYTES,
    check_array,
    check_bool,
    check_distinct_names,
    check_dtype,
    check_file,
    check_float_in,
    check_int_in,
    check_nonneg_int,
    check_positive_float,
    check_positive_int,
    check_seed,
    check_size,
)

Y = labnn.data.generate_xor_easy()[1]


@pytest.mark.parametrize("check, good, bad", [
    (lambda v: check_positive_int(v, "n"), [1, np.int64(7)], [0, -1, 2.0, True, "3", None]),
    (lambda v: check_nonneg_int(v, "n"), [0, 5], [-1, 1.0, False, None]),
    (lambda v: check_int_in(v, "n", 1, 3), [1, 3], [0, 4, 2.0, True]),
    (lambda v: check_positive_float(v, "n"), [1e-9, 3], [0, -1.0, math.nan, math.inf, True, "1"]),
    (lambda v: check_float_in(v, "n", 0.0, 1.0), [0, 1.0], [-0.1, 1.1, math.nan, False]),
    (lambda v: check_bool(v, "n"), [True, np.bool_(False)], [0, 1, "false", None]),
    (lambda v: check_seed(v, "n"), [None, 0, 2**40], [-1, 1.5, True, "0"]),
])
def test_each_check_takes_what_it_says_and_names_the_argument(check, good, bad):
    for value in good:
        check(value)
    for value in bad:
        with pytest.raises(ValueError, match="^n: expected"):
            check(value)


def test_arrays_dtypes_files_and_names():
    assert check_array([[1, 2]], "X", dtype=np.float64).dtype == np.float64
    for bad, match in [([[1.0, np.nan]], "finite"), (np.zeros((0, 2)), "non-empty"),
                       ([[1], [2, 3]], "numeric"), (np.array(["a"]), "real numeric")]:
        with pytest.raises(ValueError, match=f"^X: .*{match}"):
            check_array(bad, "X")
    with pytest.raises(ValueError, match="^X: values up to 1e\\+300 do not fit in float32"):
        check_array([1e300], "X", dtype=np.float32)
    assert check_dtype("float32") == np.float32 and check_dtype(None) == np.float64
    for bad in (np.int32, np.float32(0.5), np.zeros(2)):
        with pytest.raises(ValueError, match="^dtype: expected float32 or float64"):
            check_dtype(bad)
    buf = io.StringIO()
    assert check_file(buf) is buf and check_file(None) is None
    with pytest.raises(ValueError, match="^file: expected None"):
        check_file("log.txt")
    check_distinct_names(["a", "b"], "names", ("a", "b", "c"))
    with pytest.raises(ValueError, match="^names: 'a' is listed twice"):
        check_distinct_names(["a", "a"], "names", ("a", "b"))
    with pytest.raises(ValueError, match="^names: expected names from a, b"):
        check_distinct_names(["z"], "names", ("a", "b"))


@pytest.mark.parametrize("make, name", [
    (lambda v: optim.SGD(lr=v), "lr"),
    (lambda v: optim.SGD(lr=0.1, momentum=v), "momentum"),
    (lambda v: optim.Adam(weight_decay=v), "weight_decay"),
    (lambda v: labnn.metrics.accuracy(Y, Y, threshold=v), "threshold"),
])
def test_an_int_too_large_for_a_float_names_its_argument(make, name):
    with pytest.raises(ValueError, match=f"^{name}: expected"):
        make(10**400)


def test_an_array_subclass_becomes_a_plain_array_and_a_masked_one_is_refused():
    """np.matrix changes what * and indexing do (a fit would fail on NumPy's own shape errors
    and predict would return a matrix); a masked array's mask would be ignored (a masked NaN
    passed the finite check)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)   # np.matrix itself warns
        m = np.matrix([[1.0, 2.0]])
    arr = check_array(m, "X")
    assert type(arr) is np.ndarray and arr.shape == (1, 2)
    masked = np.ma.masked_invalid(np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError, match="^X: expected a plain array, got a masked array"):
        check_array(masked, "X")
    with pytest.raises(ValueError, match="masked"):
        check_array(np.ma.array([1.0, 2.0]), "X")


def test_copy_gives_an_array_that_shares_no_memory():
    a = np.ones((2, 2))
    assert check_array(a, "X") is a
    own = check_array(a, "X", copy=True)
    assert not np.shares_memory(own, a) and np.array_equal(own, a)
    cast = check_array(np.ones(3, dtype=np.int64), "X", dtype=np.float64, copy=True)
    assert cast.dtype == np.float64


def test_the_size_rule_counts_bytes_with_python_integers():
    """No size wraps round (np.prod of (2**32,) * 3 is 0 in int64), and an array over
    MAX_ARRAY_BYTES is refused, naming the argument, before anything is allocated."""
    assert check_size((4, 2), np.float64, "n") == (4, 2)
    assert check_size((MAX_ARRAY_BYTES // 8,), np.float64, "n")
    for shape in [(MAX_ARRAY_BYTES // 8 + 1,), (2**32, 2**32, 2**32), (10**15, 4),
                  (10**400, 2)]:
        with pytest.raises(ValueError, match="^n: an array of shape .* would take .* bytes"):
            check_size(shape, np.float64, "n")


def test_a_file_is_an_open_text_stream():
    closed = io.StringIO()
    closed.close()
    with pytest.raises(ValueError, match="^file: expected an open text file, got a closed"):
        check_file(closed)
    for binary in (io.BytesIO(), io.BufferedWriter(io.BytesIO())):
        with pytest.raises(ValueError, match="^file: expected a text file, got a binary"):
            check_file(binary)
    assert check_file(sys.stdout) is sys.stdout
