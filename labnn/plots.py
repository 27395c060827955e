"""matplotlib views of labnn results. The only module of labnn that imports matplotlib.

Colours follow the lab: class 0 red, class 1 blue.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap

CLASS_COLORS = ("red", "blue")
BOUNDARY_CMAP = LinearSegmentedColormap.from_list("labnn_rb", ["#ff9c9c", "#ffffff", "#9cb4ff"])


def _scatter(ax, X, labels):
    labels = np.asarray(labels).reshape(-1)
    for cls, color in enumerate(CLASS_COLORS):
        m = labels == cls
        ax.scatter(X[m, 0], X[m, 1], c=color, s=18, label=f"class {cls}", edgecolors="none")


def show_result(x, y, pred_y, show: bool = True):
    """The lab's figure: "Ground truth" and "Predict result" side by side (font size 18),
    class 0 red, class 1 blue; ``pred_y`` is thresholded at 0.5. Returns the figure."""
    x = np.asarray(x)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.5))
    panels = (("Ground truth", np.asarray(y).reshape(-1) > 0.5),
              ("Predict result", np.asarray(pred_y).reshape(-1) > 0.5))
    for ax, (title, labels) in zip(axes, panels):
        ax.set_title(title, fontsize=18)
        _scatter(ax, x, labels.astype(int))
        ax.set_xlabel("x0")
        ax.set_ylabel("x1")
        ax.set_aspect("equal", adjustable="datalim")
    fig.tight_layout()
    if show:
        plt.show()
    return fig


def plot_learning_curve(histories, labels=None, ax=None, metric: str = "loss",
                        logy: bool = True, title: str | None = None):
    """Per-epoch ``metric`` ("loss" or "accuracy") of one History or several."""
    if not isinstance(histories, (list, tuple)):
        histories = [histories]
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    for i, h in enumerate(histories):
        values = getattr(h, metric)
        label = labels[i] if labels is not None else None
        ax.plot(np.arange(1, len(values) + 1), values, label=label, lw=1.2)
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    if logy and metric == "loss":
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    if labels is not None:
        ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return ax


def decision_grid(net, X, resolution: int = 100, margin: float = 0.1):
    """(xx, yy, p): a grid covering X (plus a margin) and the network's output on it."""
    lo = X.min(axis=0) - margin
    hi = X.max(axis=0) + margin
    xs = np.linspace(lo[0], hi[0], resolution)
    ys = np.linspace(lo[1], hi[1], resolution)
    xx, yy = np.meshgrid(xs, ys)
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    p = net.predict(grid)[:, 0].reshape(xx.shape)
    return xx, yy, p


def plot_decision_boundary(net, X, y, ax=None, resolution: int = 100, title: str | None = None):
    """Heatmap of the network's output (red ~ 0, blue ~ 1), the 0.5 contour and the data."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4.5))
    xx, yy, p = decision_grid(net, X, resolution)
    ax.contourf(xx, yy, p, levels=np.linspace(0, 1, 11), cmap=BOUNDARY_CMAP, vmin=0, vmax=1)
    if p.min() < 0.5 < p.max():
        ax.contour(xx, yy, p, levels=[0.5], colors="k", linewidths=1)
    _scatter(ax, X, (np.asarray(y).reshape(-1) > 0.5).astype(int))
    ax.set_xlabel("x0")
    ax.set_ylabel("x1")
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    return ax
