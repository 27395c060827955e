"""matplotlib views of the report's results.

Colours follow the lab (``labnn.lab.CLASS_COLORS``): class 0 red, class 1 blue; axes are the
inputs x1 and x2. Each data set has its own colour in every figure that compares them
(``DATASET_COLORS``).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from ..activations import get as get_activation
from ..lab import BOUNDARY_COLORS, CLASS_COLORS
from ..metrics import THRESHOLD, classes

BOUNDARY_CMAP = LinearSegmentedColormap.from_list("labnn_rb", BOUNDARY_COLORS)
DATASET_COLORS = {"xor": "#e66101", "linear": "#5e3c99"}
"""One colour per data set (orange XOR, purple linear), never a class colour."""
REPORT_WIDTH = 7.1
"""Inches: the printed report's text width (A4 less 15 mm margins), a full-width figure."""


def use_report_style() -> None:
    """matplotlib settings for the report's figures: sized for the printed page, so that a
    full-width figure (``REPORT_WIDTH``) prints at about its own size and its text reads at
    8 to 9 pt."""
    plt.rcParams.update({
        "figure.dpi": 100, "figure.figsize": (REPORT_WIDTH, 2.8), "font.size": 9,
        "axes.titlesize": 9, "axes.labelsize": 9, "legend.fontsize": 8,
        "xtick.labelsize": 8, "ytick.labelsize": 8, "figure.titlesize": 9.5,
    })


def dataset_color(name: str) -> str:
    """The colour of data set ``name`` (``DATASET_COLORS``; other names: matplotlib's C0)."""
    return DATASET_COLORS.get(name, "C0")


def _classes(y) -> np.ndarray:
    """0 or 1 per point of targets or outputs y (N, 1) or (N,) (``labnn.metrics.classes``)."""
    return classes(np.asarray(y).reshape(-1, 1))[:, 0].astype(int)


def _scatter(ax, X, labels):
    labels = np.asarray(labels).reshape(-1)
    for cls, color in enumerate(CLASS_COLORS):
        m = labels == cls
        ax.scatter(X[m, 0], X[m, 1], c=color, s=18, label=f"class {cls}", edgecolors="none")


def show_result(x, y, pred_y, show: bool = True):
    """The lab's figure: "Ground truth" and "Predict result" side by side (font size 18),
    class 0 red, class 1 blue; ``pred_y`` is thresholded at 0.5. Returns the figure."""
    x = np.asarray(x)
    fig, axes = plt.subplots(1, 2, figsize=(5.6, 2.8))
    panels = (("Ground truth", _classes(y)), ("Predict result", _classes(pred_y)))
    for ax, (title, labels) in zip(axes, panels):
        ax.set_title(title, fontsize=18)
        _scatter(ax, x, labels)
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
        ax.set_aspect("equal", adjustable="datalim")
    fig.tight_layout()
    if show:
        plt.show()
    return fig


def plot_points(X, y, ax=None, title: str | None = None):
    """A data set: its points coloured by class (0 red, 1 blue), equal axes, a legend."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4.2))
    _scatter(ax, np.asarray(X), _classes(y))
    ax.set(xlabel="x1", ylabel="x2")
    ax.set_aspect("equal", adjustable="datalim")
    ax.legend(fontsize=8, loc="best", framealpha=0.9)
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title)
    return ax


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
    return net.predict_grid(X.min(axis=0) - margin, X.max(axis=0) + margin, resolution)


def plot_decision_boundary(net, X, y, ax=None, resolution: int = 100, title: str | None = None):
    """Heatmap of the network's output (red ~ 0, blue ~ 1), the 0.5 contour and the data."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4.5))
    xx, yy, p = decision_grid(net, X, resolution)
    ax.contourf(xx, yy, p, levels=np.linspace(0, 1, 11), cmap=BOUNDARY_CMAP, vmin=0, vmax=1)
    if p.min() < THRESHOLD < p.max():
        ax.contour(xx, yy, p, levels=[THRESHOLD], colors="k", linewidths=1)
    _scatter(ax, X, _classes(y))
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    return ax


# --------------------------------------------------------------------------- report figures
# Views of labnn.report.experiments results (duck-typed: anything with ``.config``, ``.loss``,
# ``.accuracy``, ``.final_loss``, ``.final_accuracy``, ``.epochs_to_100``).

def _groups(results, by):
    out = {}
    for r in results:
        out.setdefault(getattr(r.config, by), []).append(r)
    return out


def _label(by, value):
    if by == "lr":
        return f"lr={value:.3g}"
    if by == "hidden_units":
        return f"{value} unit" + ("" if value == 1 else "s")
    return str(value)


def group_colors(n, cmap="viridis"):
    """``n`` colours along a sequential colormap (for ordered sweeps such as lr or units)."""
    cm = plt.get_cmap(cmap)
    return [cm(x) for x in np.linspace(0.05, 0.9, n)] if n > 1 else [cm(0.3)]


def plot_activation(names=("sigmoid",), z=None, ax=None, derivative: bool = True):
    """Each activation's value (solid) and derivative (dashed) over ``z`` (default -6..6)."""
    if isinstance(names, str):
        names = (names,)
    z = np.linspace(-6, 6, 601) if z is None else np.asarray(z, dtype=np.float64)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    for i, name in enumerate(names):
        act = get_activation(name)
        a = act.value(z)
        color = f"C{i}"
        # later curves thinner, so one that coincides with an earlier one (leaky_relu on relu
        # for z > 0) still shows both
        lw = max(3.0 - 0.6 * i, 1.0) if len(names) > 1 else 1.8
        ax.plot(z, a, color=color, lw=lw, label=f"{act.name}(z)")
        if derivative:
            d = act.derivative(z, a).astype(np.float64)
            d[1:][np.abs(np.diff(d)) > 0.25] = np.nan    # a jump (relu at 0): no vertical line
            ax.plot(z, d, color=color, lw=lw * 0.8, ls="--", label=f"{act.name}'(z)")
    ax.axhline(0, color="0.6", lw=0.6)
    ax.axvline(0, color="0.6", lw=0.6)
    ax.set_xlabel("z (pre-activation)")
    ax.set_ylabel("value")
    ax.legend(fontsize=9)
    ax.grid(alpha=0.3)
    return ax


def _curve_quartiles(rs, metric):
    """(epochs, q1, median, q3) over runs of the per-epoch ``metric`` (NaN where no run has a
    finite value: diverged runs drop out from their divergence on)."""
    n = max(len(getattr(r, metric)) for r in rs)
    m = np.full((len(rs), n), np.nan)
    for i, r in enumerate(rs):
        v = np.asarray(getattr(r, metric), dtype=np.float64)
        m[i, :len(v)] = v
    m[~np.isfinite(m)] = np.nan
    ok = ~np.all(np.isnan(m), axis=0)
    q = np.full((3, n), np.nan)
    q[:, ok] = np.nanquantile(m[:, ok], (0.25, 0.5, 0.75), axis=0)
    return np.arange(1, n + 1), q[0], q[1], q[2]


def plot_sweep_curves(results, by: str, ax=None, metric: str = "loss", band: bool = True,
                      colors=None, title: str | None = None, logy: bool | None = None):
    """One line per value of config field ``by``: the median over seeds of the per-epoch
    ``metric``, with the interquartile band (the middle half of the seeds) shaded. Loss on a
    log axis by default. With many values the bands overlap: see ``plot_sweep_panels``."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    groups = _groups(results, by)
    colors = colors or group_colors(len(groups))
    for color, (value, rs) in zip(colors, groups.items()):
        epochs, q1, med, q3 = _curve_quartiles(rs, metric)
        ax.plot(epochs, med, color=color, lw=1.5, label=_label(by, value))
        if band and len(rs) > 1:
            ax.fill_between(epochs, q1, q3, color=color, alpha=0.2, lw=0)
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric + (" (median over seeds, band: IQR)" if band else
                            " (median over seeds)"))
    if logy if logy is not None else metric == "loss":
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    ax.legend(fontsize=8, ncol=2 if len(groups) > 6 else 1)
    ax.grid(alpha=0.3)
    return ax


def plot_sweep_panels(results, by: str, metric: str = "loss", colors=None, ncols: int = 0,
                      size: tuple = (2.6, 2.2), logy: bool | None = None,
                      title: str | None = None):
    """Small multiples: one panel per value of config field ``by`` (shared axes), each with the
    median over seeds of the per-epoch ``metric`` and its interquartile band, and the other
    values' medians in light grey for reference. Returns the figure."""
    groups = _groups(results, by)
    ncols = ncols or min(len(groups), 5)
    nrows = -(-len(groups) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size[0] * ncols, size[1] * nrows),
                             sharex=True, sharey=True, squeeze=False)
    colors = colors or group_colors(len(groups))
    curves = {value: _curve_quartiles(rs, metric) for value, rs in groups.items()}
    for ax, color, (value, rs) in zip(axes.flat, colors, groups.items()):
        for other, (epochs, _, med, _) in curves.items():
            if other != value:
                ax.plot(epochs, med, color="0.8", lw=0.8)
        epochs, q1, med, q3 = curves[value]
        ax.fill_between(epochs, q1, q3, color=color, alpha=0.3, lw=0)
        ax.plot(epochs, med, color=color, lw=1.6)
        ax.set_title(f"{_label(by, value)} ({len(rs)} runs)", fontsize=9)
        ax.grid(alpha=0.3)
        if logy if logy is not None else metric == "loss":
            ax.set_yscale("log")
    for ax in axes.flat[len(groups):]:
        ax.set_visible(False)
    for col in range(ncols):                    # the lowest panel of each column: the x axis
        lowest = [ax for ax in axes[:, col] if ax.get_visible()][-1]
        lowest.xaxis.set_tick_params(labelbottom=True)
        lowest.set_xlabel("epoch")
    for ax in axes[:, 0]:
        ax.set_ylabel(metric)
    fig.suptitle(title or f"{metric}: median over seeds (line) and IQR (band); grey: the "
                 f"other panels' medians", fontsize=10)
    fig.tight_layout()
    return fig


def plot_sweep_metric(results, by: str, metric: str = "final_loss", ax=None,
                      logx: bool = False, logy: bool = False, title: str | None = None,
                      split: str = "dataset", never: float | None = None):
    """Per-seed values of ``metric`` (a RunResult attribute: final_loss, final_accuracy,
    epochs_to_100) against config field ``by``, one colour per value of ``split``, with the
    median over seeds. A categorical ``by`` (activation, optimizer) gets a bar per median and
    no line between categories.

    For epochs_to_100 the median is the report's one definition: over the runs that reached
    100 %, written as "k/n" (k of n runs reached it) above each point. Runs that never did are
    open markers in a "never" row above the epoch limit (``never``: default 1.3 x the runs'
    epoch count), outside the median."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    splits = {}
    for r in results:
        splits.setdefault(getattr(r.config, split), []).append(r)
    keys = list(_groups(results, by))
    categorical = any(isinstance(v, str) for v in keys)
    limit = max(r.config.epochs for r in results)
    never_y = never if never is not None else limit * (1.3 if logy else 1.08)
    for k, (name, rs) in enumerate(splits.items()):
        shift = k - (len(splits) - 1) / 2
        color = dataset_color(name) if split == "dataset" else f"C{k}"
        groups = _groups(rs, by)
        xs, medians = [], []
        for key, group in groups.items():
            x = keys.index(key) if categorical else float(key)
            xx = x + 0.12 * shift if categorical else (x * 1.06 ** shift if logx else x)
            vals, missing = _values(group, metric)
            _scatter_runs(ax, xx, vals, len(missing), never_y, color)
            xs.append(xx)
            medians.append(np.median(vals) if vals else np.nan)
            if metric == "epochs_to_100":
                ax.annotate(f"{len(vals)}/{len(group)}", (xx, never_y), xytext=(0, 7 + 9 * k),
                            textcoords="offset points", ha="center", fontsize=7,
                            color=color)
        style = dict(color=color, label=f"{name} (median)")
        if categorical:
            ax.scatter(xs, medians, marker="_", s=400, lw=2.5, **style)
        else:
            ax.plot(xs, medians, lw=1.5, marker="o", ms=4, **style)
    _sweep_axes(ax, by, metric, keys, categorical, logx, logy, title, limit, never_y)
    return ax


def _scatter_runs(ax, x, vals, n_missing, never_y, color):
    """One run's value as a dot at ``x``; the runs without a value as open markers at
    ``never_y``."""
    ax.scatter(np.full(len(vals), x), vals, s=14, color=color, alpha=0.6, edgecolors="none")
    if n_missing:
        ax.scatter(np.full(n_missing, x), np.full(n_missing, never_y), s=22,
                   facecolors="none", edgecolors=color, lw=0.9)


def _sweep_axes(ax, by, metric, keys, categorical, logx, logy, title, limit, never_y):
    if categorical:
        ax.set_xticks(np.arange(len(keys)))
        ax.set_xticklabels([str(v) for v in keys])
    if logx and not categorical:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    if metric == "epochs_to_100":
        bottom, _ = ax.get_ylim()
        ax.set_ylim(bottom, never_y * (4.0 if logy else 1.2))   # room for the k/n labels
        ax.axhline(limit, color="0.5", lw=0.8, ls=":")
        ax.text(1.0, limit, " limit", transform=ax.get_yaxis_transform(), va="center",
                fontsize=7, color="0.4")
        ax.text(1.0, never_y, " never", transform=ax.get_yaxis_transform(), va="center",
                fontsize=7, color="0.4")
    labels = {"final_loss": "final loss (MSE)", "final_accuracy": "final accuracy",
              "epochs_to_100": "epochs to 100 % (median: runs that got there)"}
    ax.set(xlabel=by, ylabel=labels.get(metric, metric))
    if title:
        ax.set_title(title)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)


def _values(results, metric: str):
    """(values, missing) of ``metric`` over runs: a run without one (None, NaN or inf: never
    reached, diverged) goes to ``missing``."""
    vals, missing = [], []
    for r in results:
        v = getattr(r, metric)
        if v is None or (isinstance(v, float) and not np.isfinite(v)):
            missing.append(r)
        else:
            vals.append(float(v))
    return vals, missing


def plot_boundaries(nets, X, y, titles=None, ncols: int | None = None, size: float = 3.0,
                    suptitle: str | None = None, show: bool = True):
    """Decision boundaries of several networks on the same data, side by side."""
    nets = list(nets)
    ncols = ncols or len(nets)
    nrows = (len(nets) + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.8),
                             squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i >= len(nets):
            ax.set_visible(False)
            continue
        plot_decision_boundary(nets[i], X, y, ax=ax,
                               title=None if titles is None else titles[i])
        ax.title.set_fontsize(10)
        if ax.get_legend():
            ax.get_legend().remove()
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=9, frameon=False,
               bbox_to_anchor=(0.5, 0.0))
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    if show:
        plt.show()
    return fig


def plot_relative_errors(errors: dict, ax=None, title: str | None = None,
                         threshold: float = 1e-7):
    """Bar chart (log scale) of gradient-check relative errors: one group per parameter name,
    one bar per entry of ``errors`` ({label: {param: error}}); the dashed line is the pass
    threshold."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    labels = list(errors)
    names = list(next(iter(errors.values())))
    width = 0.8 / len(labels)
    x = np.arange(len(names))
    for i, label in enumerate(labels):
        vals = [max(errors[label][n], 1e-18) for n in names]
        ax.bar(x + (i - (len(labels) - 1) / 2) * width, vals, width, label=label,
               color=f"C{i}")
    ax.axhline(threshold, color="k", ls="--", lw=1, label=f"pass threshold {threshold:g}")
    ax.set_yscale("log")
    top = max(max(v.values()) for v in errors.values())
    ax.set_ylim(top=max(top, threshold) * 1e4)  # head-room for the legend
    ax.set_xticks(x)
    ax.set_xticklabels(names)
    ax.set_xlabel("parameter")
    ax.set_ylabel("relative error (log)")
    if title:
        ax.set_title(title)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, axis="y")
    return ax


# ---------------------------------------------------------------------- images and filters
def show_images(X, y=None, class_names=None, per_class: int = 6, title: str | None = None):
    """A grid of grey images X (N, 1, H, W): ``per_class`` of each class in one row per class
    when one-hot (or integer) labels ``y`` are given, else the first rows of X, 8 a row.
    Returns the figure."""
    X = np.asarray(X)
    if X.ndim != 4 or X.shape[1] != 1:
        raise ValueError(f"X: expected grey images of shape (N, 1, H, W), got {X.shape}")
    if y is None:
        rows = [np.arange(min(len(X), 8 * per_class))]
        labels = [None]
    else:
        y = np.asarray(y)
        cls = y.argmax(axis=1) if y.ndim == 2 else y.astype(int)
        labels = sorted(set(cls.tolist()))
        rows = [np.flatnonzero(cls == k)[:per_class] for k in labels]
    ncols = max(len(r) for r in rows)
    fig, axes = plt.subplots(len(rows), ncols, figsize=(1.3 * ncols, 1.4 * len(rows)),
                             squeeze=False)
    lo, hi = float(X.min()), float(X.max())
    for r, (idx, label) in enumerate(zip(rows, labels)):
        for c in range(ncols):
            ax = axes[r, c]
            ax.set_xticks([])
            ax.set_yticks([])
            if c < len(idx):
                ax.imshow(X[idx[c], 0], cmap="gray", vmin=lo, vmax=hi)   # bright is bright
            else:
                ax.axis("off")
        if label is not None:
            name = class_names[label] if class_names is not None else f"class {label}"
            axes[r, 0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=10)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_filters(W, title: str | None = None, ncols: int = 8):
    """Convolution weights W (C_out, C_in, kH, kW) as small images, one per filter and input
    channel, on one symmetric red (negative) / blue (positive) scale shared by all filters.
    Returns the figure."""
    W = np.asarray(W)
    if W.ndim != 4:
        raise ValueError(f"W: expected conv weights (C_out, C_in, kH, kW), got shape {W.shape}")
    kernels = W.reshape(-1, *W.shape[2:])
    n = len(kernels)
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.2 * ncols + 0.8, 1.25 * nrows),
                             squeeze=False)
    vmax = float(np.abs(W).max()) or 1.0
    image = None
    for i, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if i < n:
            image = ax.imshow(kernels[i], cmap="RdBu", vmin=-vmax, vmax=vmax)
            o, c = divmod(i, W.shape[1])
            ax.set_title(f"{o}" if W.shape[1] == 1 else f"{o}.{c}", fontsize=8)
        else:
            ax.axis("off")
    fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.8, label="weight")
    if title:
        fig.suptitle(title)
    return fig


def plot_filter_responses(responses, class_names=None, ax=None, title: str | None = None):
    """Heatmap of ``labnn.report.images.filter_responses``: one row per class, one column per
    filter, each cell the filter's mean strongest response on that class's images (value
    printed)."""
    responses = np.asarray(responses)
    if responses.ndim != 2:
        raise ValueError(f"responses: expected a (classes, filters) array, got shape "
                         f"{responses.shape}")
    n_cls, n_f = responses.shape
    if ax is None:
        _, ax = plt.subplots(figsize=(0.55 * n_f + 2.5, 0.5 * n_cls + 1.2))
    image = ax.imshow(responses, cmap="viridis", aspect="auto")
    mid = (responses.min() + responses.max()) / 2
    for (i, j), v in np.ndenumerate(responses):
        ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=7,
                color="black" if v > mid else "white")
    ax.set_xticks(range(n_f))
    ax.set_yticks(range(n_cls), class_names if class_names is not None else range(n_cls))
    ax.set_xlabel("filter")
    ax.figure.colorbar(image, ax=ax, label="mean peak response")
    if title:
        ax.set_title(title)
    return ax
