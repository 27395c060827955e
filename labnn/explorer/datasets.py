"""The explorer's data: the built-in sets (``labnn.data``), your own points (arrays or a CSV
file, validated and rescaled into the view), and the seeded train/test split.

    from labnn.explorer.datasets import own_data, load_csv
    own = own_data(X, y)                 # any 2-D points, 0/1 labels or real targets
    own = load_csv("points.csv")         # columns x1, x2, y; a header line is allowed
    own.X, own.y                         # in the view: the unit square, targets in [-1, 1]

Every built-in set lives in the unit square [0, 1]^2, so that is the view; own points are mapped
into it by one shift and one scale for both axes (a circle stays a circle): the longer side of
their bounding box becomes [0, 1] and the other is centred on 0.5. Regression targets are mapped
to [-1, 1] (Playground's range: a learning rate that suits the built-in sets suits them too).
``OwnData.scaling`` records both maps, so the grid, the generated code and any new point agree.
"""

from __future__ import annotations

import numbers
import os
from dataclasses import dataclass, field

import numpy as np

from .. import data as _data
from .._checks import check_array
from ..data import CLASSIFICATION, REGRESSION

OWN = "own"
"""The dataset name of your own points (``Session(data=own_data(X, y))``)."""

DATASETS = (*CLASSIFICATION, *REGRESSION)
"""The data sets the explorer generates: classification (labels 0/1, a sigmoid output unit),
then regression (real targets, a linear output unit and the mean squared error). The dataset
setting also takes "own": your points, given to a Session (``Session(data=own_data(X, y))``)."""

TASKS = ("classification", "regression")
MIN_POINTS = 4
"""Fewer own points cannot be split into a training and a test part with both classes."""

MAX_POINTS = 10_000
"""Own data sets larger than this would make every redraw slow: sample them first."""

TEST_RATIO_RANGE = (0.1, 0.9)
"""A split's test fraction (Playground's slider); 0 means no split (see ``split``)."""


@dataclass(frozen=True)
class Scaling:
    """How own data map into the view: points ``(X - lo) / scale + offset`` (``lo``, the
    smallest coordinates; ``scale``, the longer side of the bounding box; ``offset`` centres the
    shorter side), targets ``2 (y - target_lo) / target_range - 1`` (regression only; labels
    are kept). Differences from ``lo`` keep the ends exact: the longer side is exactly [0, 1],
    the targets exactly [-1, 1]."""

    lo: tuple[float, float]
    scale: float
    offset: tuple[float, float]
    target_lo: float | None = None
    target_range: float | None = None

    def to_view(self, X) -> np.ndarray:
        return (np.asarray(X, dtype=np.float64) - self.lo) / self.scale + self.offset

    def from_view(self, X) -> np.ndarray:
        return (np.asarray(X, dtype=np.float64) - self.offset) * self.scale + self.lo

    def axis_to_view(self, value: float, axis: int) -> float:
        """``to_view`` of one coordinate (``axis`` 0 for x1, 1 for x2)."""
        return (value - self.lo[axis]) / self.scale + self.offset[axis]

    def axis_from_view(self, value: float, axis: int) -> float:
        """``from_view`` of one coordinate (``axis`` 0 for x1, 1 for x2)."""
        return (value - self.offset[axis]) * self.scale + self.lo[axis]

    def target_to_view(self, y) -> np.ndarray:
        y = np.asarray(y, dtype=np.float64)
        return y if self.target_lo is None else 2.0 * (y - self.target_lo) / self.target_range - 1

    def target_from_view(self, y) -> np.ndarray:
        y = np.asarray(y, dtype=np.float64)
        return y if self.target_lo is None else (y + 1.0) / 2.0 * self.target_range + self.target_lo


@dataclass(frozen=True, eq=False)
class OwnData:
    """Your points in the view's coordinates: ``X`` (N, 2), ``y`` (N, 1) (0/1 labels, or
    targets in [-1, 1]), the ``task``, the ``scaling`` from your coordinates, and the
    ``source`` ("arrays" or the CSV file's path, for the generated code)."""

    X: np.ndarray
    y: np.ndarray
    task: str
    scaling: Scaling
    source: str = "arrays"


def _check_task(task) -> str:
    if task not in ("auto", *TASKS):
        raise ValueError(f"task: expected 'auto', 'classification' or 'regression', "
                         f"got {task!r}")
    return task


def _points(X) -> np.ndarray:
    X = check_array(X, "X", ndim=2, allow_empty=True)
    if X.shape[1:] != (2,):
        raise ValueError(f"X: expected points of shape (N, 2), one row (x1, x2) per point, "
                         f"got shape {X.shape}")
    n = len(X)
    if not MIN_POINTS <= n <= MAX_POINTS:
        raise ValueError(f"X: expected between {MIN_POINTS} and {MAX_POINTS} points, got {n}")
    X = X.astype(np.float64)
    if not np.isfinite(_span(X, axis=0)).all():
        raise ValueError("X: the points span more than the largest float (about 1.8e308); "
                         "scale them first")
    if np.ptp(X, axis=0).max() == 0:
        raise ValueError("X: every point is the same; there is nothing to separate or fit")
    return X


def _targets(y, n: int) -> np.ndarray:
    if isinstance(y, np.ndarray) and y.dtype == bool:
        y = y.astype(np.float64)
    y = check_array(y, "y", allow_empty=True)
    if y.shape not in ((n,), (n, 1)):
        raise ValueError(f"y: expected {n} values, shape ({n},) or ({n}, 1) like X's rows, "
                         f"got shape {y.shape}")
    y = y.astype(np.float64).reshape(n, 1)
    if not np.isfinite(_span(y)):
        raise ValueError("y: the targets span more than the largest float (about 1.8e308); "
                         "scale them first")
    return y


def _span(a, axis=None):
    """max - min, inf (with no warning) where it overflows."""
    with np.errstate(over="ignore"):
        return np.ptp(a, axis=axis)


def _task_of(y, task: str) -> str:
    is_label = np.isin(y, (0.0, 1.0))
    if task == "auto":
        task = "classification" if is_label.all() else "regression"
    if task == "classification":
        if not is_label.all():
            row = int(np.flatnonzero(~is_label[:, 0])[0])
            raise ValueError(f"y: classification needs labels 0 or 1, got {y[row, 0]:g} in row "
                             f"{row}; for real targets use task='regression'")
        if np.ptp(y) == 0:
            raise ValueError(f"y: every label is {y[0, 0]:g}; a classifier needs both classes "
                             f"0 and 1")
    elif np.ptp(y) == 0:
        raise ValueError(f"y: every target is {y[0, 0]:g}; there is nothing to fit")
    return task


def own_data(X, y, task: str = "auto", *, source: str = "arrays") -> OwnData:
    """Validate your points and rescale them into the view (see the module docstring).

    Args:
        X: (N, 2) coordinates, N from ``MIN_POINTS`` to ``MAX_POINTS``, all finite.
        y: N labels 0/1 (classification, both classes present) or N real targets
            (regression, not all equal); shape (N,) or (N, 1).
        task: "auto" (classification when every y is 0 or 1), "classification" or
            "regression".
    """
    task = _check_task(task)
    X = _points(X)
    y = _targets(y, len(X))
    task = _task_of(y, task)
    sides = np.ptp(X, axis=0)
    scale = float(sides.max())
    offset = (1.0 - sides / scale) / 2.0
    targets = (float(y.min()), float(np.ptp(y))) if task == "regression" else (None, None)
    scaling = Scaling(tuple(map(float, X.min(axis=0))), scale, tuple(map(float, offset)),
                      *targets)
    return OwnData(scaling.to_view(X), scaling.target_to_view(y), task, scaling, str(source))


def _csv_lines(path) -> tuple[list[str], int]:
    """The file's lines and how many header lines precede the numbers (0 or 1)."""
    try:
        with open(path, encoding="utf-8-sig") as f:   # a BOM (Excel) is not data
            lines = f.read().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"path: cannot read {os.fspath(path)!r} as text ({exc})") from None
    rows = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not rows:
        raise ValueError(f"path: {os.fspath(path)!r} holds no data rows (expected lines "
                         f"x1,x2,y)")

    def numeric(text):
        try:
            float(text)
            return True
        except ValueError:
            return False

    header = not any(numeric(cell) for cell in rows[0].split(","))
    if header and len(rows) == 1:
        raise ValueError(f"path: {os.fspath(path)!r} has a header but no data rows")
    return rows, int(header)


def load_csv(path, task: str = "auto") -> OwnData:
    """Your points from a CSV file: three comma-separated columns x1, x2, y per line, read
    with ``np.loadtxt``; a first line without numbers is a header, blank lines and lines
    starting with # are skipped. Then validated and rescaled as ``own_data`` does; every
    error names the file."""
    if not isinstance(path, (str, os.PathLike)):
        raise ValueError(f"path: expected a file name, got {type(path).__name__}")
    task = _check_task(task)
    rows, header = _csv_lines(path)
    try:
        table = np.loadtxt(rows[header:], delimiter=",", ndmin=2, dtype=np.float64)
    except ValueError as exc:
        raise ValueError(f"path: {os.fspath(path)!r} is not a table of numbers x1,x2,y "
                         f"({exc})") from None
    if table.shape[1] != 3:
        raise ValueError(f"path: {os.fspath(path)!r}: expected 3 columns (x1, x2, y), got "
                         f"{table.shape[1]}")
    try:
        return own_data(table[:, :2], table[:, 2], task, source=os.fspath(path))
    except ValueError as exc:
        raise ValueError(f"path: {os.fspath(path)!r}: {exc}") from None


@dataclass(frozen=True, eq=False)
class Split:
    """The data of a run: every point ``X`` (N, 2) in the view with ``y`` (N, 1), the index
    arrays ``train`` and ``test``, the ``task`` and, for own data, the OwnData."""

    X: np.ndarray
    y: np.ndarray
    train: np.ndarray
    test: np.ndarray
    task: str
    own: OwnData | None = field(default=None)

    @property
    def held_out(self) -> bool:
        """True when the test points are not the training points (a test ratio above 0)."""
        return len(self.train) != len(self.X)


def check_test_ratio(value, name: str = "test_ratio") -> float:
    """0 (no split) or a number in ``TEST_RATIO_RANGE``."""
    lo, hi = TEST_RATIO_RANGE
    ok = (not isinstance(value, bool) and isinstance(value, numbers.Real)
          and (value == 0 or lo <= value <= hi))
    if not ok:
        raise ValueError(f"{name}: expected 0 (no split: test on the training points, as the "
                         f"lab does) or a number in [{lo}, {hi}], got {value!r}")
    return float(value)


def task_of(dataset: str, own: OwnData | None = None) -> str:
    """'classification' or 'regression' for a dataset name (own data know their own)."""
    if dataset == OWN:
        if own is None:
            raise ValueError("dataset: 'own' is the data you give: Session(config, "
                             "data=own_data(X, y)) or data=load_csv(path)")
        return own.task
    return "regression" if dataset in REGRESSION else "classification"


def split(dataset: str, *, n: int, noise: float, seed: int, test_ratio: float,
          own: OwnData | None = None) -> Split:
    """The run's data: the named set generated from ``seed`` (or the own data), split by
    ``labnn.data.train_test_indices`` with the same seed. ``test_ratio`` 0 is the lab's
    convention: no split, every point trains and the "test" points are the same points. The
    arguments are a checked configuration's (``PlaygroundConfig``)."""
    task = task_of(dataset, own)
    if dataset == OWN:
        X, y = own.X, own.y
    else:
        X, y = _data.load(dataset, n=n, seed=seed, noise=noise)
    if test_ratio == 0:
        every = np.arange(len(X))
        return Split(X, y, every, every, task, own)
    train, test = _data.train_test_indices(len(X), test_ratio, seed)
    return Split(X, y, train, test, task, own)


__all__ = ["CLASSIFICATION", "DATASETS", "MAX_POINTS", "MIN_POINTS", "OWN", "OwnData",
           "REGRESSION", "Scaling", "Split", "TASKS", "TEST_RATIO_RANGE", "check_test_ratio",
           "load_csv", "own_data", "split", "task_of"]
