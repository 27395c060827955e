"""The explorer's pictures, drawn with matplotlib from a ``playground.Session``: the output
(decision boundary or regression surface, with the training and test points), the loss curves
(training and test), and the gradient view (per layer, the size of the weight gradient over the
epochs). The network picture is in ``labnn.explorer.netview``.

Each panel draws into a matplotlib Axes it is given: a notebook's static figure
(``labnn.explorer.widgets.figure``, ``session_figure``, ``compare_figure``), for the printed report
and for GitHub, where the live explorer (drawn in the page from ``labnn.explorer.frame``) does
not run. The scales, texts and tick labels are ``frame``'s, so both show the same; nothing here
trains or changes the session: a panel only reads it.

Colours: the lab's, red for class 0 (or a target of -1) and blue for class 1 (or +1).
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.ticker import (
    FixedFormatter,
    FixedLocator,
    FuncFormatter,
    LogLocator,
    MaxNLocator,
    NullLocator,
)

from ..lab import BOUNDARY_COLORS, CLASS_COLORS
from . import playground as pg
from .frame import (
    POINT_COLORS,
    TEST_COLOR,
    TRAIN_COLOR,
    _taken,
    _thin,
    axis_ticks,
    boundary_level,
    discretized,
    point_positions,
    point_scale,
    tick_label,
    value_range,
)

BOUNDARY_CMAP = LinearSegmentedColormap.from_list("labnn_rb", BOUNDARY_COLORS)
"""The output's colour scale (``labnn.lab.BOUNDARY_COLORS``)."""

POINT_CMAP = LinearSegmentedColormap.from_list("labnn_points", POINT_COLORS)
"""Regression targets (-1 red, +1 blue), strong enough to stand out on BOUNDARY_CMAP."""

_POINT_CMAPS = {"classification": LinearSegmentedColormap.from_list(
    "labnn_classes", point_scale("classification")), "regression": POINT_CMAP}
"""Each task's points' colours (``frame.point_scale``): the classes' two, or POINT_CMAP."""

GRADIENT_FLOOR = 1e-12
"""Gradients below this (or exactly 0) are drawn at it on the log axis."""

_TICK_FORMAT = FuncFormatter(lambda v, _pos: tick_label(v))


def _epoch_ticks() -> MaxNLocator:
    """Epoch ticks at round numbers (a locator belongs to one axis: a new one each time)."""
    return MaxNLocator(5, integer=True, steps=[1, 2, 2.5, 5, 10])


def point_colors(session: pg.Session, index) -> np.ndarray:
    """RGBA per point: red or blue by label, or the target's colour on POINT_CMAP
    (``frame.point_positions`` on ``frame.point_scale``, as the explorer's page draws them)."""
    return _POINT_CMAPS[session.task](point_positions(session.task, session.y[index, 0]))


class BoundaryPanel:
    """The output over the plane (a heat map, with the 0.5 contour for classification) and the
    points: training points with a white rim, test points with a black one."""

    def __init__(self, ax, resolution: int = 50):
        self.ax, self.resolution = ax, resolution
        self.heatmap = ax.imshow(np.full((2, 2), 0.5), origin="lower", cmap=BOUNDARY_CMAP,
                                 vmin=0.0, vmax=1.0, interpolation="bilinear", aspect="auto")
        self.train = ax.scatter([], [], s=18, edgecolors="white", linewidths=0.5, zorder=3)
        self.test = ax.scatter([], [], s=18, edgecolors="black", linewidths=0.9, zorder=4)
        self.contour = None
        self._axes_key = None
        ax.set_xlabel("x1", labelpad=1)
        ax.set_ylabel("x2", labelpad=3)
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(FixedLocator([0.0, 0.5, 1.0]))
            axis.set_minor_locator(NullLocator())

    def draw(self, session: pg.Session, *, show_test: bool = True,
               discretize: bool = False) -> None:
        extent, p = session.predict_grid(self.resolution)
        lo, hi = value_range(session.task)
        self.heatmap.set_data(discretized(p, session.task) if discretize else p)
        self.heatmap.set_clim(lo, hi)
        self._set_axes(session, extent)
        self._draw_contour(extent, p, boundary_level(session.task))
        split = session.split
        self.train.set_offsets(session.X[split.train])
        self.train.set_facecolors(point_colors(session, split.train))
        self.train.set_edgecolors("white" if session.task == "classification" else "#555555")
        shown = show_test and split.held_out
        self.test.set_offsets(session.X[split.test] if shown else np.empty((0, 2)))
        self.test.set_facecolors(point_colors(session, split.test) if shown else "none")

    def dynamic(self) -> list:
        return [a for a in (self.heatmap, self.contour, self.train, self.test) if a is not None]

    def background_key(self) -> tuple | None:
        return self._axes_key

    def _set_axes(self, session: pg.Session, extent) -> None:
        key = (extent, id(session.split.own))
        if key == self._axes_key:
            return
        self._axes_key = key
        self.heatmap.set_extent(extent)
        self.ax.set_xlim(extent[0], extent[1])
        self.ax.set_ylim(extent[2], extent[3])
        for i, axis in enumerate((self.ax.xaxis, self.ax.yaxis)):
            ticks = axis_ticks(session, i, extent)
            axis.set_major_locator(FixedLocator([p for p, _ in ticks]))
            axis.set_major_formatter(FixedFormatter([text for _, text in ticks]))

    def _draw_contour(self, extent, p, level) -> None:
        if self.contour is not None:
            self.contour.remove()
            self.contour = None
        if level is not None and p.min() < level < p.max():
            xs = np.linspace(extent[0], extent[1], p.shape[1])
            ys = np.linspace(extent[2], extent[3], p.shape[0])
            self.contour = self.ax.contour(xs, ys, p, levels=[level], colors="k",
                                           linewidths=0.8)


NICE_STEPS = (1.0, 1.5, 2.0, 3.0, 5.0, 7.5, 10.0)


NICE_RANGE = (1e-30, 1e30)
"""Values outside this (a diverging run) are drawn at its ends: their nice limits would
overflow."""


def nice_ceil(x: float) -> float:
    """The smallest of 1, 1.5, 2, 3, 5, 7.5 x 10^k at or above ``x`` (> 0). Axis limits snap to
    these, so that the axes (and their labels) change only now and then while a run plays."""
    x = min(max(float(x), NICE_RANGE[0]), NICE_RANGE[1])
    k = math.floor(math.log10(x))
    return min(s * 10.0**k for s in NICE_STEPS if s * 10.0**k >= x * (1 - 1e-12))


def nice_floor(x: float) -> float:
    """The largest of 0.75, 1, 1.5, 2, 3, 5, 7.5 x 10^k at or below ``x`` (> 0)."""
    x = min(max(float(x), NICE_RANGE[0]), NICE_RANGE[1])
    k = math.floor(math.log10(x))
    return max(s * 10.0**k for s in (0.75, *NICE_STEPS[:-1]) if s * 10.0**k <= x * (1 + 1e-12))


def epoch_limit(epochs: int) -> float:
    """The right end of an epoch axis: ``nice_ceil`` of the epochs so far (at least 10)."""
    return nice_ceil(max(epochs, 10))


def _set_y_axis(ax, values, log: bool) -> None:
    """A log (or linear, from 0) y axis whose limits snap to a power of 10 below ``values``
    and ``nice_ceil`` above, always with at least two labels."""
    finite = values[np.isfinite(values) & (values > 0)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.1, 1.0)
    if log:
        ax.set_yscale("log")
        # the lower end snaps to a power of 10: a falling loss moves it once a decade
        lo, hi = 10.0 ** math.floor(math.log10(nice_floor(lo))), nice_ceil(hi)
        hi = hi if hi > lo else nice_ceil(hi * 1.01)
        # Less than two decades: label 1-2-5 steps, or the axis could have one label or none.
        ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0) if hi < 100 * lo else (1.0,),
                                              numticks=5))
    else:
        ax.set_yscale("linear")
        lo, hi = 0.0, nice_ceil(hi)
        ax.yaxis.set_major_locator(MaxNLocator(4))
    ax.yaxis.set_major_formatter(_TICK_FORMAT)
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_ylim(lo, hi)


class CurvesPanel:
    """Training loss and test loss per epoch (one line when the test points are the training
    points: test ratio 0). The data loss, without any penalty, as Playground shows it."""

    def __init__(self, ax):
        self.ax = ax
        self.train, = ax.plot([], [], color=TRAIN_COLOR, lw=1.3, label="training loss")
        self.test, = ax.plot([], [], color=TEST_COLOR, lw=1.3, label="test loss")
        ax.set_xlabel("epoch", labelpad=1)
        ax.xaxis.set_major_locator(_epoch_ticks())
        ax.grid(alpha=0.3)
        self.legend = ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), fontsize=8,
                                frameon=False, ncol=2, borderaxespad=0.1, handlelength=1.5)

    def draw(self, session: pg.Session, *, log_loss: bool = True) -> None:
        h = session.history
        idx = _thin(h.epochs)
        epochs = idx + 1
        train, test = _taken(h.loss, idx), _taken(h.test_loss, idx)
        held_out = session.split.held_out
        self.train.set_data(epochs, train)
        self.test.set_data(epochs if held_out else [], test if held_out else [])
        self.train.set_label("training loss" if held_out else "loss (training = test points)")
        self.legend.get_texts()[0].set_text(self.train.get_label())
        self.legend.get_texts()[1].set_visible(held_out)
        self.legend.legend_handles[1].set_visible(held_out)
        self.ax.set_xlim(0, epoch_limit(h.epochs))
        _set_y_axis(self.ax, np.concatenate([train, test]) if held_out else train, log_loss)
        self.ax.set_ylabel(f"{session.config.loss} loss" + (" (log)" if log_loss else ""),
                           labelpad=1)

    def dynamic(self) -> list:
        return [self.train, self.test]

    def axis_artists(self) -> list:
        """The y axis (ticks, labels, grid): it moves with the loss's range, more often than
        the rest (the epochs) and less often than the lines."""
        return [self.ax.yaxis]

    def axis_key(self) -> tuple:
        ax = self.ax
        return (ax.get_ylim(), ax.get_yscale(), ax.get_ylabel())

    def background_key(self) -> tuple:
        return (self.ax.get_xlim(), self.train.get_label(),
                self.legend.legend_handles[1].get_visible())


class GradientPanel:
    """The gradient view (beyond Playground): per layer, the root mean square of the weight
    gradient dW over the epochs (``ExplorerHistory.grad_rms``), on a log axis. In a deep
    sigmoid network the first layers' lines lie decades below the output's: the vanishing
    gradient."""

    def __init__(self, ax):
        self.ax = ax
        self.lines: list = []
        self.legend = None
        ax.set_xlabel("epoch", labelpad=1)
        ax.set_ylabel("gradient RMS", labelpad=1)
        ax.xaxis.set_major_locator(_epoch_ticks())
        ax.grid(alpha=0.3)

    def _make_lines(self, count: int) -> None:
        for line in self.lines:
            line.remove()
        colors = [_depth_color(i, count) for i in range(count)]
        labels = [f"layer {i + 1}" for i in range(count - 1)] + ["output"]
        self.lines = [self.ax.plot([], [], color=c, lw=1.2, label=lab)[0]
                      for c, lab in zip(colors, labels, strict=True)]
        if self.legend is not None:
            self.legend.remove()
        self.legend = self.ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), fontsize=7,
                                     frameon=False, ncol=min(count, 4), handlelength=1.2,
                                     columnspacing=0.8, borderaxespad=0.1)

    def draw(self, session: pg.Session) -> None:
        h = session.history
        count = len(session.network.weights)
        if len(self.lines) != count:
            self._make_lines(count)
        idx = _thin(h.epochs)
        g = _taken(h.grad_rms, idx).reshape(-1, count)
        g = np.where(np.isfinite(g), np.maximum(g, GRADIENT_FLOOR), np.nan)
        for k, line in enumerate(self.lines):
            line.set_data(idx + 1, g[:, k])
        self.ax.set_xlim(0, epoch_limit(h.epochs))
        _set_y_axis(self.ax, g.ravel(), True)

    def dynamic(self) -> list:
        return list(self.lines)

    def axis_artists(self) -> list:
        return [self.ax.yaxis]

    def axis_key(self) -> tuple:
        return self.ax.get_ylim()

    def background_key(self) -> tuple:
        return (self.ax.get_xlim(), len(self.lines))


def _depth_color(i: int, count: int):
    """Light (the first layer) to dark (the output): depth reads as shade."""
    return colormaps["viridis"](0.85 * (1 - i / max(count - 1, 1)))


__all__ = ["BoundaryPanel", "CLASS_COLORS", "CurvesPanel", "GradientPanel", "POINT_CMAP",
           "epoch_limit", "nice_ceil", "nice_floor", "point_colors"]
