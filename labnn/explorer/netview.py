"""The network picture, as TensorFlow Playground draws it: one column per layer (the input
features, each hidden layer, the output), every feature and every neuron as a small heat map of
its output over the plane, and the weights as edges, blue for positive and red for negative, as
wide as they are large. Drawn with matplotlib (one Axes in pixel coordinates: one RGBA image for
all the maps, one LineCollection for all the edges), so the same code draws the live picture and
a notebook's static figure.

This is the static picture (a notebook's figure, the printed report); the live explorer draws
the same picture in the page from ``labnn.explorer.frame``, with the same names and colour
scales (``frame.node_ranges``). Selecting a node (``NetworkPanel.draw(selected=...)``) frames
it and dims the other edges.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.artist import Artist
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, to_rgba
from matplotlib.patches import Rectangle

from . import playground as pg
from .frame import EDGE_COLORS, NODE_COLORS, node_names, node_ranges

NODE_CMAP = LinearSegmentedColormap.from_list("labnn_nodes", NODE_COLORS)
NEGATIVE, POSITIVE = EDGE_COLORS
"""Edge colours: a negative and a positive weight (red and blue, as the classes)."""

EDGE_WIDTH = 1.5
"""Points of line width per unit of |weight| (capped at ``MAX_EDGE_WIDTH``)."""

MAX_EDGE_WIDTH = 5.0
MIN_EDGE_WIDTH = 0.05
"""A weight of 0 is a hairline: a pruned edge all but disappears."""

MARGINS = (50, 8, 20, 6)
"""Pixels left (the feature names), right, top (the column headers), bottom."""



@dataclass(frozen=True)
class Node:
    """One node of the picture: ``name`` ("x1", "h2.3" for layer 2's third neuron, "output"),
    its ``column`` (0 the features, then the hidden layers, then the output), ``index`` in the
    column, centre (``x``, ``y``) in pixels from the top left, and side ``size``."""

    name: str
    column: int
    index: int
    x: float
    y: float
    size: float


def column_centres(columns: int, width: float) -> list[float]:
    """The x of each column's centre, in pixels, for ``columns`` columns (the features, the
    hidden layers, the output) in a picture ``width`` pixels wide."""
    left, right = MARGINS[0], MARGINS[1]
    pitch = (width - left - right) / columns
    return [left + pitch * (c + 0.5) for c in range(columns)]


def layout(features: tuple, widths: tuple, width: float, height: float) -> list[list[Node]]:
    """Every node's place in a ``width`` x ``height`` pixel picture: the columns spread evenly
    between the margins, each centred vertically, nodes square and as large as the tallest
    column lets them be (at most 40 pixels), on whole pixels."""
    names = node_names(features, widths)
    left, right, top, bottom = MARGINS
    pitch = (width - left - right) / len(names)
    tallest = max(len(col) for col in names)
    row = min((height - top - bottom) / tallest, 54.0)
    size = max(int(min(0.55 * pitch, 0.78 * row, 40.0)), 2)   # whole pixels: maps drawn 1:1
    columns = []
    for c, (col, centre) in enumerate(zip(names, column_centres(len(names), width),
                                          strict=True)):
        y0 = top + (height - top - bottom - len(col) * row) / 2 + row / 2
        x = round(centre - size / 2) + size / 2
        columns.append([Node(name, c, i, x, round(y0 + i * row - size / 2) + size / 2, size)
                        for i, name in enumerate(col)])
    return columns


EDGE_ALPHA, DIMMED_ALPHA = 0.85, 0.12
"""An edge's opacity; edges away from a selected node are dimmed."""


def edge_style(weights, alpha=EDGE_ALPHA) -> tuple[np.ndarray, np.ndarray]:
    """(line widths in points, RGBA colours) of the edges for a flat array of weights: blue
    for positive, red for negative, grey for 0 or a weight that is not finite; ``alpha`` one
    opacity or one per edge."""
    w = np.asarray(weights, dtype=float)
    finite = np.isfinite(w)
    widths = np.clip(EDGE_WIDTH * np.abs(np.where(finite, w, 0.0)), MIN_EDGE_WIDTH,
                     MAX_EDGE_WIDTH)
    palette = np.array([to_rgba(NEGATIVE), to_rgba("#999999"), to_rgba(POSITIVE)])
    colors = palette[np.sign(np.where(finite, w, 0.0)).astype(int) + 1]
    colors[:, 3] = alpha
    return widths, colors


BORDER = np.array([154, 154, 154, 255], dtype=np.uint8)
"""The grey rim of every map (a pale map on white would have no edge)."""

_LUT = NODE_CMAP(np.linspace(0.0, 1.0, 256), bytes=True)


def map_colors(values, lo: float, hi: float) -> np.ndarray:
    """RGBA bytes (..., 4) of ``values`` on NODE_CMAP from ``lo`` (red) to ``hi`` (blue)."""
    t = (np.asarray(values, dtype=float) - lo) / (hi - lo)
    return _LUT[np.clip(np.nan_to_num(t * 255.0 + 0.5, nan=127.5), 0, 255).astype(np.intp)]


class PixelLayer(Artist):
    """An RGBA pixel array (H, W, 4) over its axes' data box x 0..W, y H..0 (y down), drawn
    without matplotlib's image resampling: pixel for pixel when the box is W x H pixels on the
    canvas (the live picture, and a static figure at its own dpi), else scaled to the nearest
    pixel."""

    def __init__(self, pixels: np.ndarray):
        super().__init__()
        self.pixels = pixels
        self.set_zorder(2)

    def draw(self, renderer) -> None:
        if not self.get_visible():
            return
        h, w = self.pixels.shape[:2]
        (x0, y0), (x1, y1) = self.axes.transData.transform([(0, h), (w, 0)])
        width, height = max(round(x1 - x0), 1), max(round(y1 - y0), 1)
        image = self.pixels
        if (width, height) != (w, h):
            image = image[np.arange(height) * h // height][:, np.arange(width) * w // width]
        gc = renderer.new_gc()
        renderer.draw_image(gc, round(x0), round(y0), image[::-1])   # rows bottom to top
        gc.restore()
        self.stale = False


class NetworkPanel:
    """The network picture in ``ax``, whose size in pixels is ``width`` x ``height`` (the axes
    get pixel coordinates, y down). ``draw(session, selected=None)`` redraws every map and
    edge; a new architecture or new features rebuild the artists first.

    Every map is computed at one point per pixel of its square (``Session.node_grids`` at the
    node's size) and coloured here, all into one RGBA image over the whole picture: one image
    to draw instead of one per node."""

    def __init__(self, ax, width: float, height: float):
        self.ax, self.width, self.height = ax, width, height
        ax.set_xlim(0, width)
        ax.set_ylim(height, 0)
        ax.set_axis_off()
        self.key = None
        self.columns: list[list[Node]] = []
        self.pairs: list[tuple[Node, Node]] = []
        self.texts: list = []
        self.pixels = np.zeros((int(np.ceil(height)), int(np.ceil(width)), 4), np.uint8)
        self.maps = PixelLayer(self.pixels)
        ax.add_artist(self.maps)
        self.edges = LineCollection([], capstyle="butt", zorder=1)
        ax.add_collection(self.edges)
        self.frame = Rectangle((0, 0), 0, 0, fill=False, lw=2.0, ec="black", zorder=5,
                               visible=False)
        ax.add_patch(self.frame)

    def _build(self, features: tuple, widths: tuple) -> None:
        for artist in self.texts:
            artist.remove()
        self.columns = layout(features, widths, self.width, self.height)
        self.pairs = [(s, t) for a, b in zip(self.columns, self.columns[1:]) for s in a for t in b]
        self.texts = []
        for n in self.columns[0]:
            self.texts.append(self.ax.text(n.x - n.size / 2 - 4, n.y, n.name, ha="right",
                                           va="center", fontsize=8))
        heads = ["features", *[f"{w}" for w in widths], "output"]
        for col, head in zip(self.columns, heads, strict=True):
            self.texts.append(self.ax.text(col[0].x, 3, head, ha="center", va="top",
                                           fontsize=8, color="#444444"))
        self.edges.set_segments(self.segments())
        self.ax.set_xlim(0, self.width)
        self.ax.set_ylim(self.height, 0)

    def segments(self) -> list:
        """One segment per weight (``pairs``: (source, target) in the order of ``W.ravel()``
        for each layer's W (fan_in, fan_out)): from the source's right side to the target's
        left side."""
        return [((s.x + s.size / 2, s.y), (t.x - t.size / 2, t.y)) for s, t in self.pairs]

    def draw(self, session: pg.Session, selected: str | None = None) -> None:
        cfg = session.config
        key = (cfg.features, cfg.layer_widths)
        if key != self.key:
            self._build(*key)
            self.key = key
        size = self.columns[0][0].size
        _, maps = session.node_grids(size)
        self.pixels[...] = 0
        for c, col_maps in enumerate(maps):
            if col_maps is not None and not np.isfinite(col_maps).all():
                col_maps = None                   # a diverged run: blank maps
            for n, (lo, hi) in zip(self.columns[c], node_ranges(session, c, col_maps),
                                   strict=True):
                values = np.full((size, size), (lo + hi) / 2) if col_maps is None \
                    else col_maps[n.index]
                x0, y0 = int(n.x - size / 2), int(n.y - size / 2)
                block = self.pixels[y0:y0 + size, x0:x0 + size]
                block[...] = map_colors(values[::-1], lo, hi)   # grid row 0 is the bottom
                block[[0, -1], :] = block[:, [0, -1]] = BORDER
        self.maps.stale = True
        self._style_edges(session, selected)

    def _style_edges(self, session: pg.Session, selected: str | None) -> None:
        weights = np.concatenate([W.ravel() for W in session.network.weights])
        node = self.find(selected)
        alpha = EDGE_ALPHA
        self.frame.set_visible(node is not None)
        if node is not None:
            h = node.size / 2 + 2
            self.frame.set_bounds(node.x - h, node.y - h, 2 * h, 2 * h)
            alpha = np.array([0.95 if node.name in (s.name, t.name) else DIMMED_ALPHA
                              for s, t in self.pairs])
        widths, colors = edge_style(weights, alpha)
        self.edges.set_linewidths(widths)
        self.edges.set_colors(colors)

    def dynamic(self) -> list:
        return [self.edges, self.maps, self.frame]

    def background_key(self) -> tuple | None:
        return self.key

    def find(self, name: str | None) -> Node | None:
        """The node called ``name`` in the current picture (None if there is none)."""
        for col in self.columns:
            for n in col:
                if n.name == name:
                    return n
        return None

    def nodes(self) -> list[Node]:
        return [n for col in self.columns for n in col]


__all__ = ["NODE_CMAP", "NetworkPanel", "Node", "PixelLayer", "column_centres", "edge_style",
           "layout", "map_colors", "node_names", "node_ranges"]
