"""What several of the explorer's test files share: the settings' contract (the bounds and
choices every entry point must keep), own points to rescale, and drawing a figure to pixels."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from labnn.explorer import playground as pg

FLOATS = {"lr": (1e-5, 10.0), "noise": (0.0, 0.5), "reg_rate": (0.0, 10.0)}
INTS = {"hidden_units": (1, 32), "hidden_layers": (0, 6), "epochs": (1, 5000),
        "seed": (0, 2**32 - 1), "n": (1, 2000)}
BATCH = (1, 2000)
CHOICES = {"dataset": ("linear", "xor", "circle", "spiral", "gaussian", "xor-quadrants",
                       "reg-plane", "reg-gauss", "own"),
           "activation": pg.SETTINGS["activation"].choices,
           "optimizer": pg.SETTINGS["optimizer"].choices, "loss": ("mse", "bce")}
OTHER_KINDS = {"test_ratio", "data_seed", "features", "layer_widths", "regularization"}
"""The settings of other kinds (checked in test_config.py and test_playground.py)."""


def blob_points(n=40, seed=0, scale=50.0, offset=(1000.0, -7.0)):
    """Own points far from the unit square, in a box 4 times wider than high, labelled by x1."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2)) * [scale, scale / 4] + offset
    return X, (X[:, 0] > offset[0]).astype(int)


def trained_session(**changes) -> pg.Session:
    s = pg.Session(**{"epochs": 60, **changes})
    s.advance(s.config.epochs)
    return s


def figure_pixels(fig) -> np.ndarray:
    """A static figure drawn to RGB pixels (what its PNG holds)."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()
