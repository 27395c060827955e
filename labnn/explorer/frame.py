"""What the explorer draws, as numbers: a session's pictures packed for the page (NumPy only,
no widgets, no plotting). The live explorer (``labnn.explorer.widgets``) sends them to its
front end, which draws them on canvases and decides nothing; the static figures (``views``,
``netview``, matplotlib) use the same names, scales and texts.

- ``scene(session)``: what changes only when the run is reset: the nodes, the features, the
  points (each with its colour on the points' scale), the extent of the plane and its tick
  labels, the colours;
- ``frame(session, runner)``: what changes every frame: every map as colour levels (each
  node's, then the output discretized and a pinned run's output: ``meta["rows"]``), the weights
  and biases, the loss curves and the gradient view (thinned), the status line.

Arrays travel as one float32 buffer; ``pack`` writes it and an index of (offset, shape) per
name, which the page reads back. The maps travel as a second buffer of colour levels, one byte
per point (``levels``): the page paints 256 colours, so a byte says all it can show, in a
quarter of the bytes (a frame of xor 2 x 8: 125 KB as float32, 37 KB so).
"""

from __future__ import annotations

import math

import numpy as np

from .. import activations as _act
from ..lab import BOUNDARY_COLORS, CLASS_COLORS
from ..metrics import THRESHOLD, classes
from . import datasets as _ds
from . import playground as pg
from .features import FEATURES

RESOLUTION = 40
"""Points per side of the grid every map is computed on (the output's and each node's, so that
hovering over a node shows its map large at once)."""

MAX_CURVE_POINTS = 400
"""Curves longer than this are thinned to every k-th epoch for drawing (the history is not)."""

NODE_COLORS = ("#e8685f", "#f7f7f7", "#4f7be0")
"""A node's map from its lowest value (red) through the middle (white) to its highest (blue)."""

POINT_COLORS = ("#d62728", "#f2f2f2", "#1f4fd6")
"""Regression targets, -1 red to +1 blue, strong enough to stand out on the output's colours."""

EDGE_COLORS = ("#d9483b", "#2f62d6")
"""A negative and a positive weight (red and blue, as the classes)."""

TRAIN_COLOR, TEST_COLOR = "#222222", "#e6730f"
"""The training loss (and a training point's rim) and the test loss (and a test point's rim)."""

DEPTH_COLORS = ("#b5de2b", "#6ece58", "#35b779", "#1f9e89", "#26828e", "#31688e", "#3e4989",
                "#482878", "#440154")
"""The gradient view's lines, light (the first layer) to dark (the output): depth as shade."""


def depth_colors(count: int) -> list[str]:
    """``count`` colours from DEPTH_COLORS, spread from its first to its last."""
    if count <= 1:
        return [DEPTH_COLORS[-1]]
    idx = np.round(np.linspace(0, len(DEPTH_COLORS) - 1, count)).astype(int)
    return [DEPTH_COLORS[i] for i in idx]


# ---------------------------------------------------------------------- texts
def title(session: pg.Session) -> str:
    """The pictures' title: data set, architecture (``describe_widths``), activation, features."""
    cfg = session.config
    net = pg.describe_widths(cfg.layer_widths)
    text = (f"{cfg.dataset}: {net}{' ' + cfg.activation if cfg.layer_widths else ''}, "
            f"features {', '.join(cfg.features)}")
    if cfg.regularization != "none":
        text += f", {cfg.regularization} {cfg.reg_rate:g}"
    return text


def status_line(session: pg.Session, *, hint: bool = True) -> str:
    """One line: the epoch (and the batches of an epoch in progress), the training loss (and
    accuracy), then, when points are held out (a test ratio above 0), the test loss (and
    accuracy). With test ratio 0 the test points are the training points (the lab's
    convention), so the line is the lab's: epoch, loss, accuracy. An untrained run's line says
    which buttons train it, unless ``hint`` is False (a pinned run: nothing trains it)."""
    h = session.history
    part = (f" + {session.batch}/{session.steps_per_epoch} batches" if session.batch else "")
    if h.epochs == 0:
        return f"epoch 0{part}: untrained" + (" (press Play, Step or Fast-forward)" if hint
                                              else "")
    classify = session.task == "classification"
    text = f"epoch {h.epochs}{part}   loss {h.final_loss:.4g}"
    if classify:
        text += f"   accuracy {h.final_accuracy:.2%}"
    if session.split.held_out:
        text += f"   test loss {h.final_test_loss:.4g}"
        if classify:
            text += f"   test accuracy {h.final_test_accuracy:.2%}"
    return text


def progress_line(runner) -> str:
    """What the running job is doing: "training 1200/5000" (Fast-forward, Step), "playing",
    or "" when nothing runs."""
    if runner is None or runner.job is None:
        return ""
    if runner.job == "play":
        return "playing"
    done, total = runner.progress
    return f"training {done}/{total}"


# ---------------------------------------------------------------------- scales
def value_range(task: str) -> tuple[float, float]:
    """The output's range: probabilities 0..1 for classification, targets -1..1 for
    regression (own targets are rescaled to it)."""
    return (-1.0, 1.0) if task == "regression" else (0.0, 1.0)


def boundary_level(task: str) -> float | None:
    """Where the decision boundary is: the class threshold (0.5) for classification, none
    for regression."""
    return THRESHOLD if task == "classification" else None


def discretized(values, task: str) -> np.ndarray:
    """The output as the discretized view shows it (Playground's "discretize output"): the top
    of the task's range where a value is above the range's middle (the class threshold 0.5 for
    classification, 0 for regression), else the bottom; NaN stays NaN."""
    lo, hi = value_range(task)
    v = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(v), np.nan, np.where(v > (lo + hi) / 2, hi, lo))


def point_scale(task: str) -> tuple[str, ...]:
    """The colours a point's colour is taken from, evenly spaced from 0 to 1: the two classes'
    for classification, POINT_COLORS (-1 to +1) for regression."""
    return CLASS_COLORS if task == "classification" else POINT_COLORS


def point_positions(task: str, targets) -> np.ndarray:
    """Where each point's colour sits on ``point_scale(task)``, 0..1: its class (0 or 1) for
    classification, its target from -1 (0) to +1 (1) for regression."""
    t = np.asarray(targets, dtype=float).reshape(-1, 1)
    if task == "classification":
        return classes(t)[:, 0].astype(float)
    return np.clip((t[:, 0] + 1.0) / 2.0, 0.0, 1.0)


def node_names(features: tuple, widths: tuple) -> list[list[str]]:
    """The names of every column's nodes: the features, "h2.3" for hidden layer 2's third
    neuron, "output"."""
    hidden = [[f"h{k + 1}.{i + 1}" for i in range(w)] for k, w in enumerate(widths)]
    return [list(features), *hidden, ["output"]]


def node_ranges(session: pg.Session, column: int, maps) -> list[tuple[float, float]]:
    """The colour scale of each map of one column, so that a map means the same from one
    frame to the next: x1 and x2 over 0..1 (the view's unit square), the other features over
    -1..1 (their range), tanh neurons over -1..1, sigmoid over 0..1, relu, leaky relu and
    linear neurons over -m..m with m the layer's largest |output|, and the output over its
    task's range. ``maps`` are the column's maps (units, r, r), or None for a network whose
    outputs are not finite."""
    cfg, last = session.config, len(session.config.layer_widths) + 1
    if column == 0:
        return [(0.0, 1.0) if f in ("x1", "x2") else (-1.0, 1.0) for f in cfg.features]
    count = cfg.layer_widths[column - 1] if column < last else 1
    lo, hi = _act.get(cfg.activation).output_range
    if column == last:
        scale = value_range(session.task)
    elif np.isfinite(lo) and np.isfinite(hi):        # sigmoid's 0..1, tanh's -1..1
        scale = (lo, hi)
    else:
        m = float(np.max(np.abs(maps))) if maps is not None else 0.0
        scale = (-m, m) if 0 < m < np.inf else (-1.0, 1.0)
    return [scale] * count


def tick_label(v: float) -> str:
    """A short tick label: 0.5, 250, 0.001, and 1e-4 for 0.0001 (a narrow axis margin)."""
    if v == 0 or 1e-3 <= abs(v) < 1e5:
        return f"{v:.3g}"
    mantissa, exponent = f"{v:.2e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


def _round_ticks(lo: float, hi: float, count: int = 5) -> tuple[np.ndarray, float]:
    """Round numbers from ``lo`` to ``hi`` (a step of 1, 2 or 5 times a power of ten giving
    at most ``count`` ticks), and the step."""
    span = hi - lo
    step = 10.0 ** math.floor(math.log10(span / count)) if span > 0 else 1.0
    for k in (1, 2, 5, 10):
        if span / (k * step) <= count:
            step *= k
            break
    first = math.ceil(lo / step - 1e-9)
    last = math.floor(hi / step + 1e-9)
    return np.arange(first, last + 1) * step, step


def axis_ticks(session: pg.Session, axis: int, extent) -> list[tuple[float, str]]:
    """The ticks of one axis of the plane (``axis`` 0 for x1, 1 for x2) over ``extent``
    (``Session.grid``'s): (position in the view's coordinates, label). The built-in sets are
    labelled 0, 0.5, 1; your own points in your own units, at round numbers, each label
    written from the round number itself (never from a value mapped there and back, which
    would show 0 as 1.11e-16)."""
    own = session.split.own
    if own is None:
        return [(v, tick_label(v)) for v in (0.0, 0.5, 1.0)]
    s = own.scaling
    lo, hi = (s.axis_from_view(v, axis) for v in extent[2 * axis:2 * axis + 2])
    ticks, step = _round_ticks(lo, hi)
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    return [(s.axis_to_view(t, axis), f"{t:.{decimals}f}" if abs(t) < 1e5 else f"{t:.3g}")
            for t in ticks]


def _thin(n: int) -> np.ndarray:
    """Indices of the epochs drawn: every k-th so that at most MAX_CURVE_POINTS remain, and
    the last."""
    k = max(1, -(-n // MAX_CURVE_POINTS))
    idx = np.arange(0, n, k)
    return idx if not n or idx[-1] == n - 1 else np.append(idx, n - 1)


def _taken(values, idx) -> np.ndarray:
    """The epochs ``idx`` of a per-epoch list (only those are converted: a frame costs the
    same after 500 epochs of Play as after 50,000)."""
    return np.array([values[i] for i in idx], dtype=np.float64)


# ---------------------------------------------------------------------- packing
def pack(arrays: dict) -> tuple[dict, bytes]:
    """(index, bytes): every array as float32, one after the other; the index gives each
    name's [offset, *shape] in floats. NaN and inf travel as they are."""
    index, parts, offset = {}, [], 0
    for name, a in arrays.items():
        with np.errstate(over="ignore"):               # beyond float32: inf, as it is drawn
            a = np.ascontiguousarray(a, dtype=np.float32)
        index[name] = [offset, *a.shape]
        parts.append(a.ravel())
        offset += a.size
    data = np.concatenate(parts) if parts else np.empty(0, np.float32)
    return index, data.tobytes()


def unpack(index: dict, data: bytes) -> dict:
    """``pack``'s arrays back (float32), as the page reads them."""
    flat = np.frombuffer(data, dtype=np.float32)
    out = {}
    for name, (offset, *shape) in index.items():
        size = int(np.prod(shape)) if shape else 1
        out[name] = flat[offset:offset + size].reshape(shape)
    return out


def scene(session: pg.Session) -> tuple[dict, bytes]:
    """What stays until the run is reset: the columns of nodes (names, and for a feature its
    formula), the task, the extent of the plane and its ticks, the colours, the labels of your
    own classes; and the points: x1, x2, the point's colour as a level 0..255 on
    ``colors["points"]`` (``point_positions``), and 1 for a held-out (test) point, one row
    each."""
    cfg = session.config
    extent, _ = session.grid(RESOLUTION)
    names = node_names(cfg.features, cfg.layer_widths)
    own = session.split.own
    split = session.split
    held_out = np.zeros(len(session.X))
    if split.held_out:
        held_out[split.test] = 1.0
    meta = {
        "columns": names,
        "formulas": {f: FEATURES[f][0] for f in cfg.features},
        "task": session.task,
        "extent": list(extent),
        "resolution": RESOLUTION,
        "ticks": [[[float(p), text] for p, text in axis_ticks(session, axis, extent)]
                  for axis in (0, 1)],
        "value_range": list(value_range(session.task)),
        "labels": [str(v) for v in own.labels] if own is not None and own.labels else
        ["0", "1"] if session.task == "classification" else ["-1", "+1"],
        "colors": {"boundary": list(BOUNDARY_COLORS), "node": list(NODE_COLORS),
                   "points": list(point_scale(session.task)),
                   "edges": list(EDGE_COLORS), "train": TRAIN_COLOR, "test": TEST_COLOR,
                   "depth": depth_colors(len(cfg.layer_widths) + 1)},
        "held_out": bool(split.held_out),
        "loss": cfg.loss,
        "title": title(session),
    }
    points = np.column_stack([session.X, _point_levels(session.task, session.y), held_out])
    index, data = pack({"points": points})
    meta["arrays"] = index
    return meta, data


LEVELS = 256
"""The colours of a map's scale: a map travels as one level 0..255 per point."""

NAN_LEVEL = 128
"""The level of a point whose value is not a number (a diverged network): the scale's middle."""


def levels(maps: np.ndarray, ranges: np.ndarray) -> np.ndarray:
    """Each map (maps, ...) on its colour scale ``ranges`` (maps, 2) as levels 0..255 (uint8):
    lo -> 0, hi -> 255, rounded half up, clipped; NaN -> NAN_LEVEL. A scale of no width is
    taken as one wide, so that a constant map is its low colour."""
    shape = (len(ranges),) + (1,) * (np.ndim(maps) - 1)
    lo, hi = ranges[:, 0].reshape(shape), ranges[:, 1].reshape(shape)
    span = np.where(hi - lo == 0, 1.0, hi - lo)
    with np.errstate(invalid="ignore", over="ignore"):
        t = np.floor((maps - lo) / span * (LEVELS - 1) + 0.5)
    out = np.clip(np.nan_to_num(t, nan=NAN_LEVEL), 0, LEVELS - 1)
    return out.astype(np.uint8)


def _maps(session: pg.Session) -> tuple[np.ndarray, np.ndarray]:
    """Every node's map on the grid (nodes, r, r), rows from the bottom (x2) up, and each
    map's colour scale (nodes, 2); a diverged network's layers are blank (NaN)."""
    _, maps = session.node_grids(RESOLUTION)
    blocks, ranges = [], []
    for c, col in enumerate(maps):
        count = len(node_names(session.config.features, session.config.layer_widths)[c])
        if col is None or not np.isfinite(col).all():
            col = None
        ranges += node_ranges(session, c, col)
        blocks.append(np.full((count, RESOLUTION, RESOLUTION), np.nan) if col is None else col)
    return np.concatenate(blocks), np.array(ranges, dtype=np.float64)


def curves(session: pg.Session) -> dict:
    """The loss curves and the gradient view, thinned: epochs (1 is the first), training and
    test loss, and the gradient RMS per layer (epochs, layers)."""
    h = session.history
    idx = _thin(h.epochs)
    layers = len(session.network.weights)
    grads = _taken(h.grad_rms, idx).reshape(-1, layers) if h.epochs else \
        np.empty((0, layers))
    return {"epochs": idx + 1.0, "loss": _taken(h.loss, idx),
            "test_loss": _taken(h.test_loss, idx), "grads": grads}


def frame(session: pg.Session, runner=None, pinned: pg.Session | None = None) -> tuple[
        dict, bytes, bytes]:
    """What the page draws now, as (meta, data, levels): the maps as colour levels
    (``meta["levels"]`` is their shape): every node's, column by column (the output is the
    last of them), then the output discretized (``discretized``), then, with ``pinned`` (a
    run kept for comparison), its output; ``meta["rows"]`` names the rows of the last three.
    ``data``: the weights (each layer's W (fan_in, fan_out), row by row, one layer after the
    other) and biases (every neuron's, column by column), the curves (and the pinned run's),
    and the texts."""
    maps, ranges = _maps(session)
    rows = {"output": len(maps) - 1, "discretized": len(maps)}
    extra, extra_ranges = [discretized(maps[-1], session.task)], [value_range(session.task)]
    weights = [W.ravel() for W in session.network.weights]
    biases = [np.zeros(layer.W.shape[1]) if getattr(layer, "b", None) is None else layer.b
              for layer in session.network.layers if getattr(layer, "W", None) is not None]
    arrays = {"weights": np.concatenate(weights) if weights else np.empty(0),
              "biases": np.concatenate(biases) if biases else np.empty(0),
              **curves(session)}
    meta = {"epoch": session.epoch, "batch": session.batch,
            "steps_per_epoch": session.steps_per_epoch, "status": status_line(session),
            "progress": progress_line(runner), "job": None if runner is None else runner.job,
            "error": session.error, "log_epochs": session.epoch}
    if pinned is not None:
        pin_maps, _ = _maps(pinned)
        rows["pinned"] = len(maps) + len(extra)
        extra.append(pin_maps[-1])
        extra_ranges.append(value_range(pinned.task))
        pin = curves(pinned)
        arrays.update(pinned_epochs=pin["epochs"], pinned_loss=pin["loss"],
                      pinned_test_loss=pin["test_loss"])
        meta["pinned"] = {"title": title(pinned), "status": status_line(pinned, hint=False),
                          "held_out": bool(pinned.split.held_out)}
    maps = np.concatenate([maps, np.stack(extra)])
    ranges = np.concatenate([ranges, np.array(extra_ranges, dtype=np.float64)])
    index, data = pack(arrays)
    meta["arrays"] = index
    meta["levels"] = list(maps.shape)
    meta["rows"] = rows
    return meta, data, levels(maps, ranges).tobytes()


def unpack_levels(meta: dict, data: bytes) -> np.ndarray:
    """``frame``'s levels back (uint8, maps x r x r: ``meta["rows"]`` names the last ones), as
    the page reads them."""
    return np.frombuffer(data, dtype=np.uint8).reshape(meta["levels"])


def _point_levels(task: str, targets) -> np.ndarray:
    """``point_positions`` as colour levels 0..255."""
    return levels(point_positions(task, targets)[None], np.array([[0.0, 1.0]]))[0]


def thumbnails(count: int = 80) -> dict:
    """Every built-in data set at a glance, for its button: its task, its points' colours
    (``point_scale``) and up to ``count`` points (x1, x2, colour level 0..255), drawn with
    seed 0 and no noise."""
    out = {}
    for name in _ds.DATASETS:
        X, y = _ds.generate(name, n=count, seed=0, noise=0.0)
        task = _ds.task_of(name)
        out[name] = {"task": task, "colors": list(point_scale(task)),
                     "points": np.column_stack([np.round(X, 3), _point_levels(task, y)])
                     .tolist()}
    return out


__all__ = ["DEPTH_COLORS", "EDGE_COLORS", "LEVELS", "MAX_CURVE_POINTS", "NAN_LEVEL",
           "NODE_COLORS", "POINT_COLORS", "RESOLUTION", "TEST_COLOR", "TRAIN_COLOR",
           "axis_ticks", "boundary_level", "curves", "depth_colors", "discretized", "frame",
           "levels", "node_names", "node_ranges", "pack", "point_positions", "point_scale",
           "progress_line", "scene", "status_line", "thumbnails", "tick_label", "title",
           "unpack", "unpack_levels", "value_range"]
