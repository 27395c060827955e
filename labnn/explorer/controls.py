"""The explorer's controls: one ipywidget per training setting, built from its
``playground.SETTINGS`` entry, so that a control can show exactly the values the configuration
accepts (a starting value is shown as it is, never clamped); plus the two composite controls
Playground has, the feature checkboxes and the hidden-layer buttons. The explorer observes every
control's ``value``: ``setting_value`` turns it into the setting's value (the batch-size
dropdown's 0, "full", is None; a slider's binary step is the decimal it shows) and
``show_value`` moves a control to a setting's value.
"""

from __future__ import annotations

import math

import ipywidgets as W
import traitlets

from . import playground as pg
from .features import FEATURE_NAMES

BATCH_OPTIONS = (("full", 0), ("1", 1), ("2", 2), ("4", 4), ("8", 8), ("16", 16), ("32", 32),
                 ("64", 64))
REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
"""Playground's regularization rates (the reg_rate dropdown; any rate in range is accepted)."""

TEST_RATIO_STEP = 0.1
"""The test ratio slider moves in tenths: 0 (no split) and Playground's 10 % to 90 %."""

PLAYGROUND_MAX_WIDTH = 8
"""Playground's widest layer: where the neuron buttons stop (the configuration allows up to
``playground.MAX_UNITS``)."""

LABELS = {"test_ratio": "test ratio", "reg_rate": "reg. rate", "regularization": "regularization",
          "batch_size": "batch size", "hidden_units": "hidden units",
          "hidden_layers": "hidden layers"}


def label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " "))


def _with_value(options: list, value) -> list:
    """(label, value) choices plus ``value`` if it is not among them, in order."""
    if value not in dict(options).values():
        options = sorted([*options, (f"{value:g}", value)], key=lambda o: o[1])
    return options


def batch_options(value) -> list:
    """The batch-size choices (0 is "full"), plus ``value`` if it is another size."""
    return _with_value(list(BATCH_OPTIONS), value or 0)


def setting_value(name: str, value):
    """The setting's value for a control's ``value``: the batch-size dropdown's 0 ("full") is
    None; a slider's step in binary (0.30000000000000004) is the tenth it shows."""
    if name == "batch_size":
        return value or None
    return round(value, 10) if name in ("test_ratio", "noise") else value


def reg_rate_options(value) -> list:
    return _with_value([(f"{r:g}", r) for r in REG_RATES], value)


def dataset_options(has_own: bool) -> tuple:
    """The dataset choices: "own" only when the explorer was given points."""
    return tuple(c for c in pg.SETTINGS["dataset"].choices if c != "own" or has_own)


def make_control(name: str, value, *, has_own: bool = False):
    """The widget for one simple setting (not features or layer_widths)."""
    s = pg.SETTINGS[name]
    common = {"description": label(name), "style": {"description_width": "90px"},
              "layout": W.Layout(width="300px")}
    if name == "dataset":
        return W.Dropdown(options=dataset_options(has_own), value=value, **common)
    if s.kind == "choice":
        return W.Dropdown(options=s.choices, value=value, **common)
    if s.kind == "batch":
        return W.Dropdown(options=batch_options(value), value=value or 0, **common)
    if name == "reg_rate":
        return W.Dropdown(options=reg_rate_options(value), value=value, **common)
    if name == "seed":
        return W.BoundedIntText(value=value, min=s.lo, max=s.hi, **common)
    slider = {"continuous_update": False, **common}
    if name == "lr":
        return W.FloatLogSlider(value=value, base=10, min=math.log10(s.lo),
                                max=math.log10(s.hi), step=0.1, readout_format=".3g", **slider)
    if s.kind == "ratio":
        return W.FloatSlider(value=value, min=0.0, max=s.hi, step=TEST_RATIO_STEP,
                             readout_format=".0%", tooltip="0 %: no split, the lab's "
                             "convention (tested on the training points)", **slider)
    if s.kind == "number":
        return W.FloatSlider(value=value, min=s.lo, max=s.hi, step=0.01, **slider)
    return W.IntSlider(value=value, min=s.lo, max=s.hi, **slider)


def show_value(widget, name: str, value) -> None:
    """Move ``widget`` to the setting's ``value`` (adding a choice a dropdown lacks)."""
    if name == "batch_size":
        value = value or 0
        if value not in dict(widget.options).values():
            widget.options = batch_options(value)
    elif name == "reg_rate" and value not in dict(widget.options).values():
        widget.options = reg_rate_options(value)
    if widget.value != value:
        widget.value = value


class FeatureBoxes(W.VBox):
    """Playground's feature checkboxes: ``value`` is the tuple of checked features, in the
    table's order (an empty tuple, which the configuration refuses, is possible for a
    moment)."""

    value = traitlets.Tuple()

    def __init__(self, value: tuple):
        self.boxes = {f: W.Checkbox(value=f in value, description=f, indent=False,
                                    layout=W.Layout(width="100px")) for f in FEATURE_NAMES}
        super().__init__([W.HTML("<b>features</b>"), *self.boxes.values()])
        self.add_class("labnn-features")
        self.value = tuple(value)
        self._syncing = False
        for box in self.boxes.values():
            box.observe(self._on_box, names="value")
        self.observe(self._on_value, names="value")

    def _on_box(self, _change) -> None:
        if not self._syncing:
            self.value = tuple(f for f, box in self.boxes.items() if box.value)

    def _on_value(self, change) -> None:
        self._syncing = True
        try:
            for f, box in self.boxes.items():
                box.value = f in change["new"]
        finally:
            self._syncing = False


class LayerButtons(W.VBox):
    """Playground's architecture buttons: + and - for the number of hidden layers, and for
    each layer + and - for its width. ``value`` is ``layer_widths``. A button does not change
    the value itself: it calls ``press(rule, *args)`` with the core's rule
    (``playground.add_hidden_layer``, ``remove_hidden_layer``, ``add_neuron``,
    ``remove_neuron``); the explorer applies it and moves ``value``. The neuron buttons stop at
    ``PLAYGROUND_MAX_WIDTH``, as Playground's do (a wider layer can be asked for in code)."""

    value = traitlets.Tuple()

    def __init__(self, value: tuple, press, centres=None):
        super().__init__()
        self.press = press
        self.centres = centres
        """``centres(n)``: the x (pixels) of n hidden columns in the picture below, so that
        each layer's buttons stand over its column; None puts them side by side."""
        self.add_class("labnn-layers")
        self.value = tuple(value)
        self._rebuild()
        self.observe(lambda change: self._rebuild(), names="value")

    def _button(self, text: str, css: str, rule, *args, disabled: bool = False):
        b = W.Button(description=text, disabled=disabled,
                     layout=W.Layout(width="22px", height="22px", padding="0", margin="1px"))
        b.add_class(css)
        b.on_click(lambda _b: self.press(rule, *args))
        return b

    def _rebuild(self) -> None:
        widths = self.value
        n = len(widths)
        head = W.HBox([self._button("+", "labnn-add-layer", pg.add_hidden_layer,
                                    disabled=n >= pg.MAX_LAYERS),
                       self._button("−", "labnn-remove-layer", pg.remove_hidden_layer,
                                    disabled=n == 0),
                       W.HTML(f"<b>{n} hidden layer{'s' if n != 1 else ''}</b>")])
        xs = self.centres(n) if self.centres else [56.0 * (i + 0.5) for i in range(n)]
        group = min([56.0, *(b - a for a, b in zip(xs, xs[1:]))])
        layers, right = [], 0.0
        for i, (w, x) in enumerate(zip(widths, xs, strict=True)):
            left = x - group / 2
            layers.append(W.VBox([
                W.HBox([self._button("+", f"labnn-add-neuron-{i}", pg.add_neuron, i,
                                     disabled=w >= PLAYGROUND_MAX_WIDTH),
                        self._button("−", f"labnn-remove-neuron-{i}", pg.remove_neuron, i,
                                     disabled=w <= 1)]),
                W.HTML(f"<div class='labnn-width-{i}' style='font-size:11px;line-height:14px;"
                       f"white-space:nowrap'>{w} neuron{'s' if w != 1 else ''}</div>",
                       layout=W.Layout(height="16px", margin="0"))],
                layout=W.Layout(width=f"{group:.0f}px", align_items="center",
                                margin=f"0 0 0 {left - right:.0f}px")))
            right = left + round(group)
        self.children = [head, W.HBox(layers)]


__all__ = ["BATCH_OPTIONS", "FeatureBoxes", "LayerButtons", "PLAYGROUND_MAX_WIDTH", "REG_RATES",
           "batch_options", "dataset_options", "label", "make_control", "reg_rate_options",
           "setting_value", "show_value"]
