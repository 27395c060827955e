"""Input validation shared by the library: every bad input raises a ValueError that names
the argument and says what was expected. Only called at API boundaries, never per epoch."""

from __future__ import annotations

import io
import math
import numbers
import os
import stat

import numpy as np

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))

MAX_ARRAY_BYTES = 1 << 30
"""The size rule: the largest array labnn makes from a size it is given (a layer's weights, a
generated data set, a grid, one sample of a network's input or of a layer's output): 1 GiB.
A larger one is refused with a ValueError before anything is allocated (the lab's networks and
data take a few KB)."""


def check_size(shape, dtype, name: str, what: str = "an array") -> tuple:
    """``shape`` (ints) if an array of that shape and ``dtype`` takes at most
    ``MAX_ARRAY_BYTES``; computed with Python's integers, so no size wraps around."""
    shape = tuple(int(d) for d in shape)
    size = math.prod(shape) * np.dtype(dtype).itemsize
    if size > MAX_ARRAY_BYTES:
        text = f"{size:.3g}" if size < 1e300 else f"about 1e{len(str(size)) - 1}"
        raise ValueError(f"{name}: {what} of shape {_short(shape)} would take {text} bytes, "
                         f"more than labnn's limit for one array (MAX_ARRAY_BYTES = "
                         f"{MAX_ARRAY_BYTES} bytes)")
    return shape


def _short(shape: tuple) -> str:
    """A shape for a message: an integer of more than 20 digits as a power of ten."""
    dims = [str(d) if len(str(d)) <= 20 else f"~1e{len(str(d)) - 1}" for d in shape]
    return f"({', '.join(dims)}{',' if len(dims) == 1 else ''})"


def check_dtype(dtype, name: str = "dtype") -> np.dtype:
    """float32 or float64, given as a dtype, a type or a name (None is NumPy's default,
    float64); a value such as np.float32(0.5) is not a dtype."""
    if isinstance(dtype, (np.generic, np.ndarray)):
        raise ValueError(f"{name}: expected float32 or float64, got the value {dtype!r}")
    try:
        dt = np.dtype(dtype)
    except TypeError as exc:
        raise ValueError(f"{name}: expected float32 or float64, got {dtype!r}") from exc
    if dt not in FLOAT_DTYPES:
        raise ValueError(f"{name}: expected float32 or float64, got {dt}")
    return dt


def check_bool(value, name: str) -> bool:
    """A flag: True or False (NumPy bools too). Strings such as "false" and numbers such as 0
    are refused rather than read as truthy or falsy."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name}: expected True or False, got {value!r}")
    return bool(value)


def check_file(file, name: str = "file"):
    """Where text goes: None (stdout) or an open text stream (anything with ``write`` that is
    neither closed nor a binary stream)."""
    if file is None:
        return None
    if not callable(getattr(file, "write", None)):
        raise ValueError(f"{name}: expected None (stdout) or an open text file such as "
                         f"sys.stderr, got {file!r}; open a path with open(path, 'w') first")
    if getattr(file, "closed", False) is True:
        raise ValueError(f"{name}: expected an open text file, got a closed one ({file!r})")
    if isinstance(file, (io.RawIOBase, io.BufferedIOBase)) or "b" in str(getattr(file, "mode",
                                                                                   "")):
        raise ValueError(f"{name}: expected a text file, got a binary one ({file!r}); open it "
                         f"with open(path, 'w')")
    return file


def check_distinct_names(values, name: str, known) -> None:
    """Every item of ``values`` one of the ``known`` names, and none listed twice."""
    listing = ", ".join(known)
    for value in values:
        if not isinstance(value, str) or value not in known:
            raise ValueError(f"{name}: expected names from {listing}, got {value!r}")
        if values.count(value) > 1:
            raise ValueError(f"{name}: {value!r} is listed twice")


def check_positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name}: expected a positive integer, got {value!r}")
    if value <= 0:
        raise ValueError(f"{name}: expected a positive integer, got {value}")
    return int(value)


def check_int_in(value, name: str, lo: int, hi: int) -> int:
    """An integer (not a bool, not a float such as 2.0) in [lo, hi]."""
    ok = not isinstance(value, bool) and isinstance(value, numbers.Integral) and lo <= value <= hi
    if not ok:
        raise ValueError(f"{name}: expected an integer in [{lo}, {hi}], got {value!r}")
    return int(value)


def check_nonneg_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{name}: expected a non-negative integer, got {value!r}")
    return int(value)


def _float(value, message: str) -> float:
    """A real number as a float; ints too large for a float (10**400) are refused."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(message)
    try:
        return float(value)
    except OverflowError:
        raise ValueError(message) from None


def check_positive_float(value, name: str) -> float:
    v = _float(value, f"{name}: expected a positive finite number, got {value!r}")
    if not np.isfinite(v) or v <= 0:
        raise ValueError(f"{name}: expected a positive finite number, got {value!r}")
    return v


def check_float_in(value, name: str, lo: float, hi: float, *, lo_open=False, hi_open=False):
    """A real number in [lo, hi] (ends optionally open)."""
    v = _float(value, f"{name}: expected a number in {_interval(lo, hi, lo_open, hi_open)}, "
                      f"got {value!r}")
    bad = (not np.isfinite(v) or v < lo or v > hi or (lo_open and v == lo)
           or (hi_open and v == hi))
    if bad:
        raise ValueError(f"{name}: expected a number in {_interval(lo, hi, lo_open, hi_open)}, "
                         f"got {value!r}")
    return v


def _interval(lo, hi, lo_open, hi_open):
    return f"{'(' if lo_open else '['}{lo}, {hi}{')' if hi_open else ']'}"


def check_seed(seed, name: str = "seed"):
    """None (fresh entropy) or a non-negative integer."""
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"{name}: expected None or a non-negative integer, got {seed!r}")
    return int(seed)


def check_array(a, name: str, *, ndim: int | None = None, dtype=None, allow_empty=False,
                copy=False):
    """A real-valued, finite, plain NumPy array; cast to `dtype` when given (ints and floats
    only). Subclasses become plain arrays (``np.matrix`` would change what ``*`` and indexing
    do); masked arrays are refused (their mask would be ignored). ``copy=True``: an array that
    shares no memory with ``a`` (for a caller that keeps it while others may change ``a``)."""
    if isinstance(a, np.ma.MaskedArray):
        raise ValueError(f"{name}: expected a plain array, got a masked array (labnn would "
                         f"ignore its mask); fill or drop the masked values first")
    if type(a) is np.ndarray:
        arr = a
    else:
        try:
            arr = np.asarray(a)
        except Exception as exc:  # ragged lists and the like
            raise ValueError(f"{name}: expected a numeric array, got {type(a).__name__}") from exc
    if arr.dtype.kind not in "iuf":
        raise ValueError(f"{name}: expected a real numeric array (int or float), got dtype "
                         f"{arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name}: expected a {ndim}-D array, got shape {arr.shape}")
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name}: expected a non-empty array, got shape {arr.shape}")
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(f"{name}: expected finite values, found NaN or inf")
    if dtype is not None and arr.dtype != dtype:
        arr = _cast(arr, np.dtype(dtype), name)
    if copy and np.may_share_memory(arr, a):
        arr = arr.copy(order="K")
    return arr


def _cast(arr, dtype, name):
    """``arr`` as ``dtype``, refusing values too large for it (1e300 into float32 would become
    inf, with an overflow warning) rather than casting them to inf."""
    if dtype.kind == "f" and arr.size:
        largest, limit = float(np.abs(arr).max()), float(np.finfo(dtype).max)
        if largest > limit:
            raise ValueError(f"{name}: values up to {largest:.3g} do not fit in {dtype} (largest "
                             f"{limit:.3g}); use a float64 network or scale them")
    return arr.astype(dtype)


def open_regular_file(path: str, max_bytes: int, limit: str, hint: str = ""):
    """``path`` open for reading (binary), once it is known without reading it to be a regular
    file of at most ``max_bytes`` (``limit`` names the bound in the message, ``hint`` follows
    it): a FIFO, a device or a directory is refused, and opening never blocks (not even on a
    FIFO made since the check). The file opened is checked again, should it have changed."""
    def check(st):
        if not stat.S_ISREG(st.st_mode):
            raise ValueError(f"path: {path!r} is not a regular file (a directory, a device or a "
                             f"FIFO?)")
        if st.st_size > max_bytes:
            raise ValueError(f"path: {path!r} is {st.st_size} bytes, larger than {limit} "
                             f"({max_bytes}){hint}")

    try:
        check(os.stat(path))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ValueError(f"path: cannot read {path!r}: {exc.strerror}") from exc
    fh = os.fdopen(fd, "rb")
    try:
        check(os.fstat(fd))
    except BaseException:
        fh.close()
        raise
    return fh
