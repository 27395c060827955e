"""The explorer's controls, described for its front end: one description per training setting,
built from its ``playground.SETTINGS`` entry, so that a control offers exactly the values the
configuration accepts (a starting value is shown as it is, never clamped); plus Playground's
composite controls (the data-set buttons, the feature checkboxes). The page draws each control
from its description and sends back the value chosen; the core checks it.

Kinds: "datasets" (a button per data set, with its thumbnail), "grid" (a slider over
Playground's values, plus a box to type any value in range: the learning rate), "slider",
"select", "number" (a box for an integer), "features" (checkboxes).
"""

from __future__ import annotations

from . import datasets as _ds
from . import playground as pg
from .features import FEATURE_NAMES

BATCH_SIZES = (None, 1, 2, 4, 8, 10, 16, 30, 64)
"""The batch-size choices (None is full batch; 10 and 30 are Playground's default and most)."""

NOISE_STEP = 0.05
"""The noise slider's step: Playground's 0-50 in steps of 5, as 0-0.5."""

TEST_RATIO_STEP = 0.1
"""The test ratio slider moves in tenths: 0 (no split) and Playground's 10 % to 90 %."""

LIVE = ("noise", "test_ratio", "lr")
"""Controls that send their value while they are dragged (cheap to apply)."""

LABELS = {"test_ratio": "test ratio", "reg_rate": "rate", "regularization": "regularization",
          "batch_size": "batch size", "hidden_units": "hidden units", "lr": "learning rate",
          "hidden_layers": "hidden layers"}

DATASET_LABELS = {"xor": "lab xor", "xor-quadrants": "quad xor", "gaussian": "gauss",
                  "reg-plane": "plane", "reg-gauss": "bumps", "own": "yours"}
"""Short names under the data-set buttons (the full name is the button's tooltip): the lab's
XOR points and Playground's four-quadrant XOR, Playground's plane and Gaussian bumps
(regression)."""

FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁x₂",
                  "sin(x1)": "sin x₁", "sin(x2)": "sin x₂"}


def label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " "))


def number_label(value) -> str:
    """A value as a control shows it: 0.3, 1e-05, full (batch None)."""
    if value is None:
        return "full"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _with_value(values: tuple, value) -> list:
    """``values`` plus ``value`` if it is not among them, in order (None first)."""
    chosen = list(values) if value in values else sorted(
        [*values, value], key=lambda v: -1 if v is None else v)
    return [[number_label(v), v] for v in chosen]


def options(name: str, value, has_own: bool = False) -> list:
    """The [label, value] choices of a "select" or "datasets" control (plus ``value`` when it
    is another number in range)."""
    s = pg.SETTINGS[name]
    if name == "dataset":
        return [[DATASET_LABELS.get(d, d), d] for d in s.choices if d != _ds.OWN or has_own]
    if name == "batch_size":
        return _with_value(BATCH_SIZES, value)
    if name == "reg_rate":
        return _with_value(pg.REG_RATE_GRID, value)
    return [[c, c] for c in s.choices]


def describe(name: str, value, has_own: bool = False) -> dict:
    """The description of the control for setting ``name`` showing ``value``."""
    s = pg.SETTINGS[name]
    spec = {"name": name, "label": label(name), "live": name in LIVE,
            "domain": s.describe()}
    if name == "dataset":
        return {**spec, "kind": "datasets", "options": options(name, value, has_own)}
    if name == "features":
        return {**spec, "kind": "features",
                "options": [[FEATURE_LABELS[f], f] for f in FEATURE_NAMES]}
    if name == "lr":
        return {**spec, "kind": "grid", "grid": [[number_label(v), v] for v in pg.LR_GRID],
                "min": s.lo, "max": s.hi}
    if s.kind == "choice" or name in ("batch_size", "reg_rate"):
        return {**spec, "kind": "select", "options": options(name, value, has_own)}
    if name in ("noise", "test_ratio"):
        step = NOISE_STEP if name == "noise" else TEST_RATIO_STEP
        return {**spec, "kind": "slider", "min": 0.0, "max": s.hi, "step": step,
                "percent": name == "test_ratio"}
    if name == "hidden_units":
        return {**spec, "kind": "slider", "min": s.lo, "max": s.hi, "step": 1,
                "percent": False}
    return {**spec, "kind": "number", "min": s.lo, "max": s.hi}


def value_of(session: pg.Session, name: str):
    """The setting's value as the page sends it back (a tuple as a list)."""
    value = getattr(session.config, name)
    return list(value) if isinstance(value, tuple) else value


def describe_all(names, session: pg.Session) -> list[dict]:
    """The descriptions of the controls ``names`` for ``session``'s configuration."""
    has_own = session.own is not None
    return [describe(name, getattr(session.config, name), has_own) for name in names]


def setting_value(name: str, value):
    """The setting's value for what the page sent: a list of features or widths as a tuple,
    a slider's step in binary (0.30000000000000004) as the tenth it shows."""
    if isinstance(value, list):
        return tuple(value)
    if name in ("test_ratio", "noise") and isinstance(value, float):
        return round(value, 10)
    return value


__all__ = ["BATCH_SIZES", "DATASET_LABELS", "FEATURE_LABELS", "LIVE", "NOISE_STEP",
           "TEST_RATIO_STEP",
           "describe", "describe_all", "label", "number_label", "options", "setting_value",
           "value_of"]
