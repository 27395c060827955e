"""The explorer's configuration: one table of settings (``SETTINGS``: every bound and choice,
which checks every value and from which the widgets build every control), the frozen
``PlaygroundConfig`` it checks, and the pure functions behind Playground's architecture buttons
(``add_hidden_layer``, ``remove_hidden_layer``, ``add_neuron``, ``remove_neuron``: each returns a
new configuration, or raises ValueError at a bound). Everything here is importable from
``labnn.explorer.playground`` too.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable
from dataclasses import dataclass

from .. import activations as _act
from .. import losses as _losses
from .. import optim as _optim
from .._checks import check_float_in, check_int_in
from . import datasets as _ds
from .datasets import CLASSIFICATION, DATASETS, REGRESSION  # noqa: F401 - the run's names
from .features import DEFAULT_FEATURES, FEATURE_NAMES, check_features

MAX_UNITS = 32
"""The widest hidden layer the core builds (Playground's buttons stop at 8)."""

MAX_LAYERS = 6
"""The most hidden layers (Playground's bound); 0 is a network with no hidden layer."""

NEW_LAYER_WIDTH = 2
"""The width of a layer added by ``add_hidden_layer`` (Playground's)."""

MAX_EPOCHS = 5000
MAX_SAMPLES = 2000
MAX_NOISE = 0.5
MAX_SEED = 2**32 - 1
LR_RANGE = (1e-5, 10.0)
"""The learning rates of the configuration: Playground's, from its smallest choice to its
largest."""

LR_GRID = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
"""Playground's eleven learning rates: the steps of the explorer's lr slider (any rate in
``LR_RANGE`` can be typed)."""

REG_RATE_GRID = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
"""Playground's regularization rates (the steps of the rate control; any rate in range is
accepted)."""

PLAYGROUND_L1 = "l1-playground"
"""The regularization that is Playground's L1 rule: a weight that crosses zero is set to zero
and stays there (``labnn.explorer.pruning``); "l1" is the plain penalty of ``labnn.losses``."""

REG_RATE_RANGE = (0.0, 10.0)
"""Playground's regularization rates run from 0 to 10."""

GRID_RESOLUTION = (2, 1000)
"""The bounds of ``Session.predict_grid``'s resolution (points per side)."""

LIVE_FIELDS = frozenset({"lr", "epochs"})
"""Settings that apply to a run without resetting it: the learning rate (set on the running
optimizer) and ``epochs`` (how far Fast-forward trains)."""

STARTING_LR = types.MappingProxyType({"classification": 0.3, "regression": 0.03})
"""The learning rate a run of each task starts at when none is given: the explorer's 0.3 for
classification (``PlaygroundConfig``'s default) and Playground's 0.03 for regression, whose
linear output unit takes larger steps (2 x 8 tanh, SGD, 500 epochs: at 0.3 every one of seeds
0-9 diverges on reg-plane and on reg-gauss; at 0.03, none)."""


def _check_widths(value, name: str, lo: int, hi: int, length: tuple) -> tuple[int, ...]:
    """A tuple or list of ``length[0]`` to ``length[1]`` integers, each in [lo, hi]."""
    few, many = length
    expected = (f"expected a tuple of {few} to {many} hidden-layer widths, each an integer in "
                f"[{lo}, {hi}]")
    if not isinstance(value, (tuple, list)) or not few <= len(value) <= many:
        raise ValueError(f"{name}: {expected}, got {value!r}")
    try:
        return tuple(check_int_in(width, name, lo, hi) for width in value)
    except ValueError:
        raise ValueError(f"{name}: {expected}, got {value!r}") from None


@dataclass(frozen=True)
class Setting:
    """The domain of one PlaygroundConfig field, and the one rule that checks it.

    ``check`` is what every way into a configuration goes through: ``PlaygroundConfig``, its
    ``replace``, ``as_config``, ``Session.change``, and so the explorer's starting values and its
    controls. The explorer builds each control from the same ``lo``, ``hi`` and ``choices``, so
    a value is accepted exactly when its control can show it: nothing is ever clamped to fit.
    ``kind`` is "number", "int", "choice", "batch" (None for full batch, else an int), "seed"
    (None, else an int), "ratio" (0, else a number in [lo, hi]), "features" (a subset of
    ``choices``) or "widths" (``length`` = (fewest, most) integers, each in [lo, hi])."""

    name: str
    kind: str
    lo: float = 0
    hi: float = 0
    options: tuple | Callable[[], tuple] = ()
    """The choices, or a function that gives them as they are now (a registry that grows)."""
    aliases: tuple = ()
    """(alias, option) pairs a choice also accepts, e.g. ("none", "linear")."""
    length: tuple = ()

    @property
    def choices(self) -> tuple:
        return self.options() if callable(self.options) else self.options

    def check(self, value):
        """``value`` as the configuration holds it (choices lower-cased and aliases resolved,
        NumPy scalars as Python numbers), or ValueError naming the setting and its domain."""
        if self.kind == "number":
            return check_float_in(value, self.name, self.lo, self.hi)
        if self.kind == "int":
            return check_int_in(value, self.name, self.lo, self.hi)
        if self.kind in ("batch", "seed"):
            if value is None:
                return None
            try:
                return check_int_in(value, self.name, self.lo, self.hi)
            except ValueError:
                what = "full batch" if self.kind == "batch" else "the run's seed"
                raise ValueError(f"{self.name}: expected None ({what}) or an integer in "
                                 f"[{self.lo}, {self.hi}], got {value!r}") from None
        if self.kind == "ratio":
            return _ds.check_test_ratio(value, self.name)
        if self.kind == "features":
            return check_features(value, self.name)
        if self.kind == "widths":
            return _check_widths(value, self.name, self.lo, self.hi, self.length)
        key = value.lower() if isinstance(value, str) else value
        key = dict(self.aliases).get(key, key) if isinstance(key, str | None) else None
        if key not in self.choices:
            raise ValueError(f"{self.name}: expected one of {', '.join(self.choices)}, "
                             f"got {value!r}")
        return key

    def describe(self) -> str:
        """The domain in words, for a print-out or a tooltip."""
        if self.kind in ("number", "ratio"):
            span = f"{self.lo:g} to {self.hi:g}"
        else:
            span = f"{self.lo:,} to {self.hi:,}"
        if self.kind == "choice":
            return ", ".join(self.choices)
        if self.kind == "features":
            return f"one or more of {', '.join(self.choices)}"
        if self.kind == "widths":
            return f"{self.length[0]} to {self.length[1]} widths, each {span}"
        before = {"batch": "None (full batch) or ", "seed": "None (the run's seed) or ",
                  "ratio": "0 (no split) or "}
        return before.get(self.kind, "") + span


SETTINGS = types.MappingProxyType({s.name: s for s in (
    Setting("dataset", "choice", options=(*DATASETS, _ds.OWN)),
    Setting("noise", "number", 0.0, MAX_NOISE),
    Setting("lr", "number", *LR_RANGE),
    Setting("hidden_units", "int", 1, MAX_UNITS),
    Setting("hidden_layers", "int", 0, MAX_LAYERS),
    Setting("activation", "choice", options=_act.names, aliases=tuple(_act.ALIASES.items())),
    Setting("optimizer", "choice", options=_optim.NAMES),
    Setting("loss", "choice", options=("mse", "bce")),
    Setting("epochs", "int", 1, MAX_EPOCHS),
    Setting("batch_size", "batch", 1, MAX_SAMPLES),
    Setting("seed", "int", 0, MAX_SEED),
    Setting("n", "int", 1, MAX_SAMPLES),
    Setting("test_ratio", "ratio", *_ds.TEST_RATIO_RANGE),
    Setting("data_seed", "seed", 0, MAX_SEED),
    Setting("features", "features", options=FEATURE_NAMES),
    Setting("layer_widths", "widths", 1, MAX_UNITS, length=(0, MAX_LAYERS)),
    Setting("regularization", "choice",
            options=("none", *_losses.REGULARIZATIONS, PLAYGROUND_L1),
            aliases=((None, "none"),)),
    Setting("reg_rate", "number", *REG_RATE_RANGE),
)})
"""Every PlaygroundConfig field's Setting, by name: the one table of bounds and choices."""

SHORTHAND = ("hidden_units", "hidden_layers")
"""The architecture in two numbers: ``hidden_layers`` layers of ``hidden_units`` units each."""

class _NotGiven:
    """The shorthand's default: "not given" (None is a value, and refused)."""

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = _NotGiven()

DEFAULT_SHORTHAND = types.MappingProxyType({"hidden_units": 8, "hidden_layers": 2})
"""The starting architecture, two hidden layers of 8 units, when neither ``layer_widths`` nor
the shorthand gives one."""


def _shorthand(widths: tuple, units: int) -> dict:
    """hidden_units, hidden_layers describing ``widths``: the number of layers and the first
    layer's width (``units`` kept when there is no hidden layer)."""
    return {"hidden_units": widths[0] if widths else units, "hidden_layers": len(widths)}


@dataclass(frozen=True)
class PlaygroundConfig:
    """Everything that decides a training run (and nothing about how it is shown). Every field
    is checked by its ``SETTINGS`` entry: a value out of its domain raises ValueError naming the
    field and its bounds (or choices); nothing is clamped or rounded to fit.

    The architecture is ``layer_widths``, one width per hidden layer (0 to ``MAX_LAYERS``
    layers, each 1 to ``MAX_UNITS`` units). ``hidden_units`` and ``hidden_layers`` are a
    shorthand for equal widths: given alone (or changed by ``replace``) they set
    ``layer_widths = (hidden_units,) * hidden_layers``; given ``layer_widths``, they follow it
    (the number of layers, the first layer's width); given both, they must agree.

    ``data_seed`` None uses ``seed`` for the data and the split (``Session.regenerate`` sets a
    new one); ``test_ratio`` 0 is the lab's convention (no split: the test points are the
    training points), else the fraction of points held out. ``regularization`` "l1" or "l2"
    adds that penalty at ``reg_rate`` to the loss (weights only, not biases); with "none" the
    rate is kept but unused, as Playground's; "l1-playground" is Playground's own L1 rule
    (``PLAYGROUND_L1``).

    The defaults are the explorer's starting point: the lab's XOR data, trained to 100 %, on
    the lab's own inputs (x1, x2), and small enough to retrain at every slider change.
    """

    dataset: str = "xor"
    noise: float = 0.0
    lr: float = 0.3
    hidden_units: int = NOT_GIVEN
    hidden_layers: int = NOT_GIVEN
    activation: str = "tanh"
    optimizer: str = "sgd"
    loss: str = "mse"
    epochs: int = 500
    batch_size: int | None = None
    seed: int = 0
    n: int = 100
    test_ratio: float = 0.0
    data_seed: int | None = None
    features: tuple = DEFAULT_FEATURES
    layer_widths: tuple | None = None
    regularization: str = "none"
    reg_rate: float = 0.001

    def __post_init__(self):
        given = {name: getattr(self, name) for name in SHORTHAND
                 if getattr(self, name) is not NOT_GIVEN}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is not NOT_GIVEN and (value is not None or f.name != "layer_widths"):
                object.__setattr__(self, f.name, SETTINGS[f.name].check(value))
        if self.layer_widths is None:
            units = given.get("hidden_units", DEFAULT_SHORTHAND["hidden_units"])
            layers = given.get("hidden_layers", DEFAULT_SHORTHAND["hidden_layers"])
            derived = {"hidden_units": SETTINGS["hidden_units"].check(units),
                       "hidden_layers": SETTINGS["hidden_layers"].check(layers)}
            object.__setattr__(self, "layer_widths", (units,) * layers)
        else:
            derived = _shorthand(self.layer_widths, given.get("hidden_units",
                                                              DEFAULT_SHORTHAND["hidden_units"]))
            for name, value in given.items():
                if SETTINGS[name].check(value) != derived[name]:
                    raise ValueError(f"layer_widths: {self.layer_widths} disagrees with "
                                     f"{name}={value!r}; give one or the other")
        for name, value in derived.items():
            object.__setattr__(self, name, value)
        if self.dataset in _ds.REGRESSION and self.loss != "mse":
            raise ValueError(f"loss: the regression data set {self.dataset!r} is trained with "
                             f"'mse', got {self.loss!r}")

    @property
    def task(self) -> str | None:
        """'classification' or 'regression' (None for own data: the data know)."""
        return None if self.dataset == _ds.OWN else _ds.task_of(self.dataset)

    @property
    def effective_data_seed(self) -> int:
        """The seed of the data and the split: ``data_seed``, or ``seed`` when it is None."""
        return self.seed if self.data_seed is None else self.data_seed

    def replace(self, **changes) -> PlaygroundConfig:
        """A copy with ``changes`` applied (validated); unknown names raise ValueError."""
        _check_names(changes)
        if changes.get("layer_widths") is not None:
            widths = SETTINGS["layer_widths"].check(changes["layer_widths"])
            units = SETTINGS["hidden_units"].check(changes.get("hidden_units",
                                                               self.hidden_units))
            derived = _shorthand(widths, units)
            for name in SHORTHAND:
                if name in changes and SETTINGS[name].check(changes[name]) != derived[name]:
                    raise ValueError(f"layer_widths: {widths} disagrees with {name}="
                                     f"{changes[name]!r}; give one or the other")
            changes.update(derived, layer_widths=widths)
        elif any(name in changes for name in SHORTHAND) or "layer_widths" in changes:
            changes["layer_widths"] = None      # rebuilt from the shorthand
        return dataclasses.replace(self, **changes)

    def changed(self, other: PlaygroundConfig) -> set[str]:
        """Names of the settings that differ between ``self`` and ``other``."""
        return {f.name for f in dataclasses.fields(self)
                if getattr(self, f.name) != getattr(other, f.name)}

    def summary(self) -> str:
        batch = "full batch" if self.batch_size is None else f"batch {self.batch_size}"
        text = (f"{self.dataset} (noise {self.noise:g}), {describe_widths(self.layer_widths)} "
                f"{self.activation}, {self.optimizer} lr={self.lr:.3g}, {self.loss}, {batch}, "
                f"seed {self.seed}")
        if self.features != DEFAULT_FEATURES:
            text += f", features {', '.join(self.features)}"
        if self.regularization != "none":
            text += f", {self.regularization} {self.reg_rate:g}"
        if self.test_ratio:
            text += f", {self.test_ratio:.0%} test"
        return text


def describe_widths(widths: tuple) -> str:
    """'2 x 8' for equal widths, '8-4-2' for others, 'no hidden layer' for none."""
    if not widths:
        return "no hidden layer"
    if len(set(widths)) == 1:
        return f"{len(widths)} x {widths[0]}"
    return "-".join(map(str, widths))


def _check_names(changes: dict) -> None:
    names = [f.name for f in dataclasses.fields(PlaygroundConfig)]
    unknown = [repr(k) if not isinstance(k, str) else k for k in changes if k not in names]
    if unknown:
        raise ValueError(f"config: unknown setting(s) {', '.join(unknown)}; "
                         f"expected some of {', '.join(names)}")


def as_config(config=None, **changes) -> PlaygroundConfig:
    """A PlaygroundConfig from None (the defaults), a config, or a dict, plus ``changes``."""
    if config is None:
        return PlaygroundConfig().replace(**changes)
    if isinstance(config, PlaygroundConfig):
        return config.replace(**changes) if changes else config
    if isinstance(config, dict):
        _check_names(config)
        return PlaygroundConfig().replace(**{**config, **changes})
    raise ValueError(f"config: expected a PlaygroundConfig, a dict or None, "
                     f"got {type(config).__name__}")


def output_activation(task: str) -> str:
    """A sigmoid output unit for classification (as in Playground, even for a linear
    activation), no activation for regression."""
    return "linear" if task == "regression" else "sigmoid"


def optimizer_args(config: PlaygroundConfig) -> dict:
    """The arguments of ``labnn.optim.make`` for the configuration: the session makes its
    optimizer with them, and the generated code writes them."""
    return {"name": config.optimizer, "lr": config.lr}


def fit_penalty(config: PlaygroundConfig) -> dict:
    """The keyword arguments of ``Network.fit`` for the configuration's regularization (none
    when it is "none", or Playground's L1 rule, which the optimizer applies: ``fit`` then runs
    without a penalty)."""
    if config.regularization in ("none", PLAYGROUND_L1):
        return {}
    return {"regularization": config.regularization, "reg_rate": config.reg_rate}


# ---------------------------------------------------------------------- the architecture buttons
def _hidden_layer(config, layer) -> int:
    n = len(config.layer_widths)
    if n == 0:
        raise ValueError("layer: the network has no hidden layer; add one first")
    return check_int_in(layer, "layer", 0, n - 1)


def add_hidden_layer(config) -> PlaygroundConfig:
    """The configuration with one more hidden layer, of ``NEW_LAYER_WIDTH`` units, after the
    last (Playground's "+" above the layers); ValueError at ``MAX_LAYERS``."""
    config = as_config(config)
    if len(config.layer_widths) >= MAX_LAYERS:
        raise ValueError(f"layer_widths: already {MAX_LAYERS} hidden layers, the most there "
                         f"can be")
    return config.replace(layer_widths=(*config.layer_widths, NEW_LAYER_WIDTH))


def remove_hidden_layer(config) -> PlaygroundConfig:
    """The configuration without its last hidden layer; ValueError when there is none."""
    config = as_config(config)
    if not config.layer_widths:
        raise ValueError("layer_widths: there is no hidden layer to remove")
    return config.replace(layer_widths=config.layer_widths[:-1])


def add_neuron(config, layer: int) -> PlaygroundConfig:
    """The configuration with one more unit in hidden layer ``layer`` (0 is the first);
    ValueError at ``MAX_UNITS`` (Playground's buttons stop at 8)."""
    config = as_config(config)
    i = _hidden_layer(config, layer)
    widths = list(config.layer_widths)
    if widths[i] >= MAX_UNITS:
        raise ValueError(f"layer_widths: hidden layer {i} already has {MAX_UNITS} units, the "
                         f"most there can be")
    widths[i] += 1
    return config.replace(layer_widths=tuple(widths))


def remove_neuron(config, layer: int) -> PlaygroundConfig:
    """The configuration with one unit fewer in hidden layer ``layer``; ValueError at one unit
    (remove the layer instead)."""
    config = as_config(config)
    i = _hidden_layer(config, layer)
    widths = list(config.layer_widths)
    if widths[i] <= 1:
        raise ValueError(f"layer_widths: hidden layer {i} has 1 unit, the fewest there can be; "
                         f"remove the layer instead")
    widths[i] -= 1
    return config.replace(layer_widths=tuple(widths))


__all__ = [
    "CLASSIFICATION", "DATASETS", "GRID_RESOLUTION", "LIVE_FIELDS", "LR_GRID", "LR_RANGE",
    "MAX_EPOCHS", "MAX_LAYERS", "MAX_NOISE", "MAX_SAMPLES", "MAX_SEED", "MAX_UNITS",
    "NEW_LAYER_WIDTH", "PLAYGROUND_L1", "REGRESSION", "REG_RATE_GRID", "REG_RATE_RANGE",
    "SETTINGS", "SHORTHAND", "STARTING_LR", "PlaygroundConfig", "Setting", "add_hidden_layer",
    "add_neuron", "as_config", "describe_widths", "fit_penalty", "optimizer_args",
    "output_activation", "remove_hidden_layer", "remove_neuron",
]
