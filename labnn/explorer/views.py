"""The explorer's pictures, drawn with matplotlib from a ``playground.Session``: the output
(decision boundary or regression surface, with the training and test points), the loss curves
(training and test), and the gradient view (per layer, the size of the weight gradient over the
epochs). The network picture is in ``labnn.explorer.netview``.

Each panel draws into a matplotlib Axes it is given, so the same code makes the live widgets'
images (``PanelImage``: one small figure per panel, rendered to PNG) and a notebook's static
figure (``labnn.explorer.widgets.figure``). Artists are made once and redrawn in place
(``draw(session)``); nothing here trains or changes the session: a panel only reads it.

Colours: the lab's, red for class 0 (or a target of -1) and blue for class 1 (or +1).
"""

from __future__ import annotations

import io
import math

import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap, to_rgba_array
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, MaxNLocator, NullLocator
from PIL import Image

from ..lab import BOUNDARY_COLORS, CLASS_COLORS
from ..metrics import THRESHOLD, classes
from . import playground as pg

BOUNDARY_CMAP = LinearSegmentedColormap.from_list("labnn_rb", BOUNDARY_COLORS)
"""The output's colour scale (``labnn.lab.BOUNDARY_COLORS``)."""

POINT_CMAP = LinearSegmentedColormap.from_list("labnn_points", ["#d62728", "#f2f2f2", "#1f4fd6"])
"""Regression targets (-1 red, +1 blue), strong enough to stand out on BOUNDARY_CMAP."""

TRAIN_COLOR, TEST_COLOR = "#222222", "#e6730f"
"""The training loss (and a training point's rim) and the test loss (and a test point's rim)."""

MAX_PLOT_POINTS = 600
"""Curves longer than this are thinned to every k-th epoch for drawing (the history is not)."""

GRADIENT_FLOOR = 1e-12
"""Gradients below this (or exactly 0) are drawn at it on the log axis."""

def tick_label(v: float) -> str:
    """A short tick label: 0.5, 250, 0.001, and 1e-4 for 0.0001 (a narrow axis margin)."""
    if v == 0 or 1e-3 <= abs(v) < 1e5:
        return f"{v:.3g}"
    mantissa, exponent = f"{v:.2e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


_TICK_FORMAT = FuncFormatter(lambda v, _pos: tick_label(v))


def _epoch_ticks() -> MaxNLocator:
    """Epoch ticks at round numbers (a locator belongs to one axis: a new one each time)."""
    return MaxNLocator(5, integer=True, steps=[1, 2, 2.5, 5, 10])


def value_range(task: str) -> tuple[float, float]:
    """The output's range: probabilities 0..1 for classification, targets -1..1 for
    regression (own targets are rescaled to it)."""
    return (-1.0, 1.0) if task == "regression" else (0.0, 1.0)


def boundary_level(task: str) -> float | None:
    """Where the decision boundary is drawn: the class threshold (0.5) for classification, none
    for regression."""
    return THRESHOLD if task == "classification" else None


def point_colors(session: pg.Session, index) -> np.ndarray:
    """RGBA per point: red or blue by label, or the target's colour on POINT_CMAP."""
    if session.task == "regression":
        return POINT_CMAP((session.y[index, 0] + 1.0) / 2.0)
    return to_rgba_array(CLASS_COLORS)[classes(session.y[index])[:, 0].astype(int)]


def view_formatter(session: pg.Session, axis: int):
    """Tick labels in the reader's own units for own data (``Scaling.from_view``), else the
    view's coordinates."""
    own = session.split.own
    if own is None:
        return _TICK_FORMAT
    s = own.scaling
    return FuncFormatter(lambda v, _pos: f"{s.axis_from_view(v, axis):.4g}")


def view_ticks(session: pg.Session, axis: int, limits) -> list[float]:
    """Where the ticks go, in the view's coordinates: 0, 0.5, 1; for own data, round numbers
    of the reader's own units within ``limits``."""
    own = session.split.own
    if own is None:
        return [0.0, 0.5, 1.0]
    s = own.scaling
    lo, hi = (s.axis_from_view(v, axis) for v in limits)
    ticks = MaxNLocator(5, steps=[1, 2, 5, 10], min_n_ticks=3).tick_values(lo, hi)
    return [s.axis_to_view(t, axis) for t in ticks if lo <= t <= hi]


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
        self.heatmap.set_data(np.where(p > (lo + hi) / 2, hi, lo) if discretize else p)
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
            axis.set_major_locator(FixedLocator(view_ticks(session, i, extent[2 * i:2 * i + 2])))
            axis.set_major_formatter(view_formatter(session, i))

    def _draw_contour(self, extent, p, level) -> None:
        if self.contour is not None:
            self.contour.remove()
            self.contour = None
        if level is not None and p.min() < level < p.max():
            xs = np.linspace(extent[0], extent[1], p.shape[1])
            ys = np.linspace(extent[2], extent[3], p.shape[0])
            self.contour = self.ax.contour(xs, ys, p, levels=[level], colors="k",
                                           linewidths=0.8)


def _thin(n: int) -> np.ndarray:
    """Indices of the epochs drawn: every k-th so that at most MAX_PLOT_POINTS remain, and the
    last."""
    k = max(1, -(-n // MAX_PLOT_POINTS))
    idx = np.arange(0, n, k)
    return idx if not n or idx[-1] == n - 1 else np.append(idx, n - 1)


def _thinned(values, idx) -> np.ndarray:
    """The epochs ``idx`` of a per-epoch list, as floats: only those are converted, so a frame
    costs the same after 500 epochs of Play as after 50,000."""
    return np.array([values[i] for i in idx], dtype=float)


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
        train, test = _thinned(h.loss, idx), _thinned(h.test_loss, idx)
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
        the rest (the epochs) and less often than the lines (see ``PanelImage``)."""
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
        g = _thinned(h.grad_rms, idx).reshape(-1, count)
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


def png_bytes(rgba: np.ndarray) -> bytes:
    """An RGBA pixel array as PNG bytes, fast: RGB only, the lightest zlib level (Pillow is
    matplotlib's own image library; its ``imsave`` adds a copy and a conversion)."""
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgba[..., :3])).save(buf, "png", compress_level=1)
    return buf.getvalue()


BACKGROUNDS = 8
"""Backgrounds a PanelImage keeps, by key."""


def rect(left: float, right: float, bottom: float, top: float) -> tuple:
    """An axes' place in figure fractions, (left, bottom, width, height), from its margins."""
    return (left, bottom, right - left, top - bottom)


class PanelImage:
    """Panels in one figure, for a live image widget: ``panels`` is a list of (make, place):
    ``make(ax)`` builds a panel in a new axes at ``place`` (``rect``: figure fractions); a
    single callable is one panel with room for its labels. ``render()`` returns PNG bytes.

    Drawing a frame from scratch costs mostly text (tick labels), so a frame is drawn in three
    tiers (matplotlib's blitting), each kept until its key changes: the background (axes,
    x ticks, titles: every panel's ``background_key``), then the panels' ``axis_artists`` (a
    y axis that follows the data's range, ``axis_key``), then the ``dynamic`` artists, drawn
    every frame. ``panels`` holds the panels, ``panel`` the first."""

    def __init__(self, panels, width: float, height: float, dpi: int = 100):
        if callable(panels):
            panels = [(panels, rect(0.16, 0.97, 0.2, 0.96))]
        self.figure = Figure(figsize=(width, height), dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.panels = [make(self.figure.add_axes(place)) for make, place in panels]
        self._backgrounds: dict = {}
        self._saved = {"background": (None, None), "axes": (None, None)}
        self.full_draws = 0

    @property
    def panel(self):
        return self.panels[0]

    @property
    def pixels(self) -> tuple[int, int]:
        w, h = self.canvas.get_width_height()
        return int(w), int(h)

    def _tiers(self) -> tuple[tuple, list, tuple, list]:
        keys, axes, axis_keys, dynamic = [], [], [], []
        for p in self.panels:
            keys.append(p.background_key())
            axes += p.axis_artists() if hasattr(p, "axis_artists") else []
            axis_keys.append(p.axis_key() if hasattr(p, "axis_key") else ())
            dynamic += p.dynamic()
        return tuple(keys), axes, tuple(axis_keys), dynamic

    def _draw_background(self, key, hidden: list) -> None:
        """The background for ``key``: kept from before (the last BACKGROUNDS keys, so that
        a control moved back and forth costs one drawing each way), else drawn."""
        if key in self._backgrounds:
            self._backgrounds[key] = self._backgrounds.pop(key)       # most recently used
        else:
            shown = [a.get_visible() for a in hidden]
            for a in hidden:
                a.set_visible(False)
            self.canvas.draw()
            for a, visible in zip(hidden, shown, strict=True):
                a.set_visible(visible)
            self._backgrounds[key] = self.canvas.copy_from_bbox(self.figure.bbox)
            self.full_draws += 1
            while len(self._backgrounds) > BACKGROUNDS:
                del self._backgrounds[next(iter(self._backgrounds))]
        self._saved["background"] = (key, self._backgrounds[key])
        self._saved["axes"] = (None, None)

    def render(self) -> bytes:
        key, axes, axis_key, dynamic = self._tiers()
        if None in key:
            self._backgrounds.pop(key, None)
        if None in key or key != self._saved["background"][0]:
            self._draw_background(key, axes + dynamic)
        saved_key, saved = self._saved["axes"]
        if saved is not None and axis_key == saved_key:
            self.canvas.restore_region(saved)
        else:
            self.canvas.restore_region(self._saved["background"][1])
            for a in axes:
                self.figure.draw_artist(a)
            self._saved["axes"] = (axis_key, self.canvas.copy_from_bbox(self.figure.bbox))
        for a in dynamic:
            if a.get_visible():
                self.figure.draw_artist(a)
        return png_bytes(np.asarray(self.canvas.buffer_rgba()))


__all__ = ["BoundaryPanel", "CLASS_COLORS", "CurvesPanel", "GradientPanel", "MAX_PLOT_POINTS",
           "POINT_CMAP", "PanelImage", "boundary_level", "epoch_limit", "nice_ceil",
           "nice_floor", "png_bytes", "point_colors", "rect", "tick_label", "value_range",
           "view_formatter", "view_ticks"]
