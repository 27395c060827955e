"""The explorer's data: the built-in sets (``labnn.data``), your own points (arrays or a CSV
file, validated and rescaled into the view), and the seeded train/test split.

    from labnn.explorer.datasets import own_data, load_csv
    own = own_data(X, y)                 # any 2-D points, two labels of any kind or real targets
    own = load_csv("points.csv")         # columns x1, x2, y; a header line is allowed
    own.X, own.y                         # in the view: the unit square, targets in [-1, 1]

Every built-in set lives in the unit square [0, 1]^2, so that is the view; own points are mapped
into it by one shift and one scale for both axes (a circle stays a circle): the longer side of
their bounding box becomes [0, 1] and the other is centred on 0.5. Regression targets are mapped
to [-1, 1] (Playground's range: a learning rate that suits the built-in sets suits them too).
``OwnData.scaling`` records both maps, so the grid, the generated code and any new point agree.
"""

from __future__ import annotations

import io
import numbers
import os
from dataclasses import dataclass, field

import numpy as np

from .. import data as _data
from .._checks import (
    check_array,
    check_float_in,
    check_positive_int,
    check_seed,
    open_regular_file,
)
from ..data import REGRESSION

OWN = "own"
"""The dataset name of your own points (``Session(data=own_data(X, y))``)."""

QUADRANTS = "xor-quadrants"
"""Playground's own XOR: points in the four quadrants (``generate_xor_quadrants``); "xor" is the
lab's 21 points on the two diagonals."""


def generate_xor_quadrants(n: int = 100, seed=None, noise: float = 0.0):
    """Playground's XOR in the unit square: ``n`` points uniform in its [-5, 5]^2, each
    coordinate pushed 0.3 away from 0 (so no point lies on an axis), then scaled by 1/12 about
    the centre (0.5, 0.5); class 1 in the quadrants where the two coordinates have the same
    sign, class 0 in the other two. ``noise`` jitters the points after labelling, as in
    ``labnn.data``."""
    n = check_positive_int(n, "n")
    noise = check_float_in(noise, "noise", 0.0, 1.0)
    rng = np.random.default_rng(check_seed(seed))
    u = rng.uniform(-5.0, 5.0, size=(n, 2))
    u += np.where(u > 0, 0.3, -0.3)
    y = (u[:, 0] * u[:, 1] >= 0).astype(np.float64).reshape(n, 1)
    X = 0.5 + u / 12.0
    if noise:
        X = X + rng.normal(0.0, noise, size=X.shape)
    return X, y


CLASSIFICATION = (*_data.CLASSIFICATION, QUADRANTS)
DATASETS = (*_data.CLASSIFICATION, QUADRANTS, *REGRESSION)
"""The data sets the explorer generates: classification (labels 0/1, a sigmoid output unit:
``labnn.data``'s and Playground's own XOR), then regression (real targets, a linear output unit
and the mean squared error). The dataset setting also takes "own": your points, given to a
Session (``Session(data=own_data(X, y))``)."""


def generate(dataset: str, *, n: int, seed: int, noise: float):
    """(X, y) of a built-in data set (``DATASETS``)."""
    if dataset == QUADRANTS:
        return generate_xor_quadrants(n=n, seed=seed, noise=noise)
    return _data.load(dataset, n=n, seed=seed, noise=noise)


def is_random(dataset: str, noise: float) -> bool:
    """Whether the data set's points depend on the seed: all but the lab's fixed XOR points
    without noise."""
    return dataset != "xor" or noise > 0

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
    labels: tuple | None = None
    """The two labels as you gave them (class 0, class 1), for classification; None for
    regression."""


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


MAX_GUESSED_CLASSES = 10
"""Labels that look like classes: at most this many distinct integers from -1 to this number.
With more than two of them, "auto" refuses them (the explorer classifies two classes) instead of
fitting them as real targets."""


def _values(y, n: int) -> np.ndarray:
    """``y`` as an (n,) array of numbers (bool, int or float; finite) or strings."""
    try:
        arr = np.asarray(y)
    except Exception:  # ragged lists and the like
        raise ValueError(f"y: expected {n} labels or targets, got {type(y).__name__}") from None
    if arr.shape not in ((n,), (n, 1)):
        raise ValueError(f"y: expected {n} values, shape ({n},) or ({n}, 1) like X's rows, "
                         f"got shape {arr.shape}")
    arr = arr.reshape(n)
    if arr.dtype.kind == "O" and all(isinstance(v, str) for v in arr):
        arr = arr.astype(str)
    if arr.dtype.kind in "US":
        return arr
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"y: expected labels (numbers, booleans or strings) or real targets, "
                         f"got dtype {arr.dtype}")
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError("y: expected finite values, found NaN or inf")
    return arr


def _show(value) -> str:
    return repr(str(value)) if isinstance(value, (str, np.str_)) else f"{float(value):g}"


def _task_of(values: np.ndarray, task: str) -> str:
    """The task the labels or targets ask for: two distinct values are two classes; numbers
    with more are real targets (regression), unless they look like classes (at most
    ``MAX_GUESSED_CLASSES`` distinct integers), which "auto" refuses, as it refuses strings."""
    numeric = values.dtype.kind in "biuf"
    distinct = np.unique(values)
    listed = ", ".join(_show(v) for v in distinct[:MAX_GUESSED_CLASSES])
    more = ", ..." if len(distinct) > MAX_GUESSED_CLASSES else ""
    if task == "regression" and not numeric:
        raise ValueError(f"y: regression needs real targets, got labels {listed}{more}")
    if len(distinct) == 1:
        word = "target" if task == "regression" else "label"
        raise ValueError(f"y: every {word} is {_show(distinct[0])}; "
                         + ("there is nothing to fit" if task == "regression" else
                            "a classifier needs two classes"))
    if task == "auto":
        as_float = distinct.astype(np.float64) if numeric else None
        classes_like = not numeric or (
            len(distinct) <= MAX_GUESSED_CLASSES and bool(np.all(np.mod(as_float, 1) == 0))
            and as_float.min() >= -1 and as_float.max() <= MAX_GUESSED_CLASSES)
        if len(distinct) == 2:
            return "classification"
        if not classes_like:
            return "regression"
        raise ValueError(f"y: {len(distinct)} classes ({listed}); the explorer classifies two "
                         f"classes" + (", or fits real targets with task='regression'"
                                      if numeric else ""))
    if task == "classification" and len(distinct) != 2:
        raise ValueError(f"y: classification needs two distinct labels, got {len(distinct)}: "
                         f"{listed}{more}")
    return task


def _targets(values: np.ndarray, task: str) -> tuple[np.ndarray, tuple | None]:
    """(y (n, 1) float64, the two labels in class order or None): for classification the
    smaller label is class 0 and the larger class 1 (False, True; -1, +1; "a", "b")."""
    if task == "regression":
        y = values.astype(np.float64).reshape(-1, 1)
        if not np.isfinite(_span(y)):
            raise ValueError("y: the targets span more than the largest float (about 1.8e308); "
                             "scale them first")
        return y, None
    labels = np.unique(values)
    y = (values == labels[1]).astype(np.float64).reshape(-1, 1)
    return y, tuple(v.item() for v in labels)


def _span(a, axis=None):
    """max - min, inf (with no warning) where it overflows."""
    with np.errstate(over="ignore"):
        return np.ptp(a, axis=axis)


def own_data(X, y, task: str = "auto", *, source: str = "arrays") -> OwnData:
    """Validate your points and rescale them into the view (see the module docstring).

    Args:
        X: (N, 2) coordinates, N from ``MIN_POINTS`` to ``MAX_POINTS``, all finite.
        y: N labels of two classes, of any kind (0/1, -1/+1, booleans, two strings: the
            smaller is class 0), or N real targets (regression, not all equal); shape (N,)
            or (N, 1).
        task: "auto" (two distinct values are two classes; more numbers are real targets,
            unless they look like several classes, which is refused), "classification" or
            "regression".
    """
    task = _check_task(task)
    X = _points(X)
    values = _values(y, len(X))
    task = _task_of(values, task)
    y, labels = _targets(values, task)
    sides = np.ptp(X, axis=0)
    scale = float(sides.max())
    offset = (1.0 - sides / scale) / 2.0
    targets = (float(y.min()), float(np.ptp(y))) if task == "regression" else (None, None)
    scaling = Scaling(tuple(map(float, X.min(axis=0))), scale, tuple(map(float, offset)),
                      *targets)
    return OwnData(scaling.to_view(X), scaling.target_to_view(y), task, scaling, str(source),
                   labels)


MAX_CSV_BYTES = 8 << 20
"""The largest CSV file read (8 MiB: ``MAX_POINTS`` rows of three long numbers fit many times
over); a larger one is refused before a byte is read."""

MAX_CSV_LINE = 4096
"""The longest line of a CSV file (characters)."""


def _open_text(path: str):
    """``path`` open as UTF-8 text (a BOM, as Excel writes, is skipped), once it is known to be
    a regular file of at most ``MAX_CSV_BYTES`` (``open_regular_file``: a FIFO, a device or a
    directory is refused without reading, and opening never blocks)."""
    return io.TextIOWrapper(open_regular_file(path, MAX_CSV_BYTES, "MAX_CSV_BYTES",
                                              "; sample your points first"),
                            encoding="utf-8-sig")


def _csv_rows(path: str) -> list[list[str]]:
    """The file's data rows, split at commas (blank lines and lines starting with # skipped,
    a first line without numbers taken as a header); reading stops at ``MAX_POINTS`` + 1 rows
    (the caller refuses so many) and at a line longer than ``MAX_CSV_LINE``."""
    rows, header = [], None
    try:
        with _open_text(path) as f:
            for number, line in enumerate(iter(lambda: f.readline(MAX_CSV_LINE + 1), ""), 1):
                if len(line.rstrip("\r\n")) > MAX_CSV_LINE:
                    raise ValueError(f"path: {path!r}: line {number} is longer than "
                                     f"{MAX_CSV_LINE} characters; expected lines x1,x2,y")
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                cells = [cell.strip() for cell in line.split(",")]
                if header is None and not rows:
                    header = not any(_number(cell) is not None for cell in cells)
                    if header:
                        continue
                rows.append(cells)
                if len(rows) > MAX_POINTS:
                    raise ValueError(f"path: {path!r} has more than {MAX_POINTS} points "
                                     f"(MAX_POINTS); sample them first")
    except UnicodeDecodeError as exc:
        raise ValueError(f"path: cannot read {path!r} as UTF-8 text ({exc})") from None
    except OSError as exc:
        raise ValueError(f"path: cannot read {path!r} ({exc.strerror})") from None
    if not rows:
        what = "a header but no data rows" if header else "no data rows"
        raise ValueError(f"path: {path!r} holds {what} (expected lines x1,x2,y)")
    return rows


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def load_csv(path, task: str = "auto") -> OwnData:
    """Your points from a CSV file: three comma-separated columns x1, x2, y per line (x1, x2
    numbers; y a number or a label such as ``cat``); a first line without numbers is a header,
    blank lines and lines starting with # are skipped. Only a regular file of at most
    ``MAX_CSV_BYTES`` is read, and reading stops past ``MAX_POINTS`` points. Then validated
    and rescaled as ``own_data`` does; every error names the file."""
    if not isinstance(path, (str, os.PathLike)):
        raise ValueError(f"path: expected a file name, got {type(path).__name__}")
    task = _check_task(task)
    path = os.fspath(path)
    if not isinstance(path, str):
        raise ValueError(f"path: expected a file name as text, got {path!r}")
    rows = _csv_rows(path)
    for number, cells in enumerate(rows, 1):
        if len(cells) != 3:
            raise ValueError(f"path: {path!r}: expected 3 columns (x1, x2, y), got "
                             f"{len(cells)} in data row {number}")
        if _number(cells[0]) is None or _number(cells[1]) is None:
            raise ValueError(f"path: {path!r} is not a table of numbers x1,x2,y (data row "
                             f"{number}: {','.join(cells)!r})")
    X = [[float(a), float(b)] for a, b, _ in rows]
    numbers = [_number(c) for _, _, c in rows]
    y = numbers if all(v is not None for v in numbers) else [c for _, _, c in rows]
    try:
        return own_data(X, y, task, source=path)
    except ValueError as exc:
        raise ValueError(f"path: {path!r}: {exc}") from None


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
        X, y = generate(dataset, n=n, seed=seed, noise=noise)
    if test_ratio == 0:
        every = np.arange(len(X))
        return Split(X, y, every, every, task, own)
    train, test = _data.train_test_indices(len(X), test_ratio, seed)
    return Split(X, y, train, test, task, own)


__all__ = ["CLASSIFICATION", "DATASETS", "MAX_CSV_BYTES", "MAX_CSV_LINE", "MAX_POINTS",
           "MIN_POINTS", "OWN", "OwnData", "QUADRANTS", "REGRESSION", "Scaling", "Split", "TASKS",
           "TEST_RATIO_RANGE", "check_test_ratio", "generate", "generate_xor_quadrants",
           "is_random", "load_csv", "own_data", "split", "task_of"]
