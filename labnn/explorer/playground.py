"""The Playground's pure core: a validated configuration, one function ``train(config)`` and the
chunked training session that the widgets (``labnn.explorer.widgets``) drive. NumPy only: no
widgets, no plotting, nothing printed.

    from labnn.explorer.playground import PlaygroundConfig, train
    history, net = train(PlaygroundConfig(dataset="circle", hidden_units=8))

The rules of TensorFlow Playground, as a ``Session`` applies them (``Session.update``):

- the learning rate applies live: while a training is in progress (started with ``play``/``step``)
  a new ``lr`` is set on the running optimizer; the network and its history carry on;
- every other training setting (data, architecture, optimizer, loss, batch size, seed, epochs)
  rebuilds: a fresh network from the seed, retrained for ``epochs`` epochs;
- display settings are not part of the configuration at all: the view only redraws.

Outside a training in progress, an ``lr`` change also retrains from scratch, so that a reader who
moves the ``lr`` slider sees what that learning rate does to a fresh network.

One table, ``SETTINGS``, gives every setting's bounds (or choices): the configuration checks each
value with it, and the widgets build each control from it. So a value is accepted exactly when
its control can show it; anything else raises ValueError naming the setting and its bounds, and
nothing is clamped (only a person dragging a slider is held to its ends, by the widget).
"""

from __future__ import annotations

import dataclasses
import numbers
import types
from dataclasses import dataclass

import numpy as np

from .. import activations as _act
from .. import data as _data
from .. import optim as _optim
from ..lab import lab_network
from ..network import DivergenceError, History, Network

DATASETS = tuple(_data.GENERATORS)
ACTIVATIONS = _act.NAMES
OPTIMIZERS = _optim.NAMES
LOSSES = ("mse", "bce")
MAX_UNITS = 32
MAX_LAYERS = 4
MAX_EPOCHS = 5000
MAX_SAMPLES = 2000
MAX_NOISE = 0.5
MAX_SEED = 2**32 - 1
LR_RANGE = (1e-4, 10.0)
"""The learning rates of the configuration and of the widgets' log slider."""

GRID_RESOLUTION = (2, 1000)
"""The bounds of ``Session.predict_grid``'s resolution (points per side)."""

LIVE_FIELDS = frozenset({"lr"})
"""Settings that apply to a running training without rebuilding it."""


def check_int_in(value, name: str, lo: int, hi: int) -> int:
    """An integer (not a bool, not a float such as 2.0) in [lo, hi]."""
    ok = not isinstance(value, bool) and isinstance(value, numbers.Integral) and lo <= value <= hi
    if not ok:
        raise ValueError(f"{name}: expected an integer in [{lo}, {hi}], got {value!r}")
    return int(value)


def check_number_in(value, name: str, lo: float, hi: float) -> float:
    """A real number (not a bool, not NaN) in [lo, hi]; compared before it is made a float, so
    that an int too large for a float is refused like any other."""
    ok = not isinstance(value, bool) and isinstance(value, numbers.Real) and lo <= value <= hi
    if not ok:
        raise ValueError(f"{name}: expected a number in [{lo}, {hi}], got {value!r}")
    return float(value)


@dataclass(frozen=True)
class Setting:
    """The domain of one PlaygroundConfig field, and the one rule that checks it.

    ``check`` is what every way into a configuration goes through: ``PlaygroundConfig``, its
    ``replace``, ``as_config``, ``Session.update``, and so the explorer's starting values and its
    controls. The explorer builds each control from the same ``lo``, ``hi`` and ``options``, so
    a value is accepted exactly when its control can show it: nothing is ever clamped to fit.
    ``kind`` is "number", "int", "choice" or "batch" (None for full batch, else an int)."""

    name: str
    kind: str
    lo: float = 0
    hi: float = 0
    options: tuple = ()
    aliases: tuple = ()
    """(alias, option) pairs a choice also accepts, e.g. ("none", "linear")."""

    def check(self, value):
        """``value`` as the configuration holds it (choices lower-cased and aliases resolved,
        NumPy scalars as Python numbers), or ValueError naming the setting and its domain."""
        if self.kind == "number":
            return check_number_in(value, self.name, self.lo, self.hi)
        if self.kind == "int":
            return check_int_in(value, self.name, self.lo, self.hi)
        if self.kind == "batch":
            if value is None:
                return None
            try:
                return check_int_in(value, self.name, self.lo, self.hi)
            except ValueError:
                raise ValueError(f"{self.name}: expected None (full batch) or an integer in "
                                 f"[{self.lo}, {self.hi}], got {value!r}") from None
        key = value.lower() if isinstance(value, str) else None
        key = dict(self.aliases).get(key, key)
        if key not in self.options:
            raise ValueError(f"{self.name}: expected one of {', '.join(self.options)}, "
                             f"got {value!r}")
        return key


SETTINGS = types.MappingProxyType({s.name: s for s in (
    Setting("dataset", "choice", options=DATASETS),
    Setting("noise", "number", 0.0, MAX_NOISE),
    Setting("lr", "number", *LR_RANGE),
    Setting("hidden_units", "int", 1, MAX_UNITS),
    Setting("hidden_layers", "int", 1, MAX_LAYERS),
    Setting("activation", "choice", options=ACTIVATIONS, aliases=tuple(_act.ALIASES.items())),
    Setting("optimizer", "choice", options=OPTIMIZERS),
    Setting("loss", "choice", options=LOSSES),
    Setting("epochs", "int", 1, MAX_EPOCHS),
    Setting("batch_size", "batch", 1, MAX_SAMPLES),
    Setting("seed", "int", 0, MAX_SEED),
    Setting("n", "int", 1, MAX_SAMPLES),
)})
"""Every PlaygroundConfig field's Setting, by name: the one table of bounds and choices."""


@dataclass(frozen=True)
class PlaygroundConfig:
    """Everything that decides a training run (and nothing about how it is shown). Every field
    is checked by its ``SETTINGS`` entry: a value out of its domain raises ValueError naming the
    field and its bounds (or choices); nothing is clamped or rounded to fit.

    The defaults are the explorer's starting point: they train the lab's XOR data to 100 %
    and, retrained and redrawn after a slider change, stay well under 300 ms on a 2-core
    machine (``benchmarks/bench_widgets.py``).
    """

    dataset: str = "xor"
    noise: float = 0.0
    lr: float = 0.3
    hidden_units: int = 8
    hidden_layers: int = 2
    activation: str = "tanh"
    optimizer: str = "sgd"
    loss: str = "mse"
    epochs: int = 500
    batch_size: int | None = None
    seed: int = 0
    n: int = 100

    def __post_init__(self):
        for field in dataclasses.fields(self):
            value = SETTINGS[field.name].check(getattr(self, field.name))
            object.__setattr__(self, field.name, value)

    def replace(self, **changes) -> PlaygroundConfig:
        """A copy with ``changes`` applied (validated); unknown names raise ValueError."""
        return self._with(changes)

    def _with(self, changes: dict) -> PlaygroundConfig:
        names = [f.name for f in dataclasses.fields(self)]
        unknown = [repr(k) if not isinstance(k, str) else k for k in changes if k not in names]
        if unknown:
            raise ValueError(f"config: unknown setting(s) {', '.join(unknown)}; "
                             f"expected some of {', '.join(names)}")
        return dataclasses.replace(self, **changes)

    def changed(self, other: PlaygroundConfig) -> set[str]:
        """Names of the settings that differ between ``self`` and ``other``."""
        return {f.name for f in dataclasses.fields(self)
                if getattr(self, f.name) != getattr(other, f.name)}

    def summary(self) -> str:
        batch = "full batch" if self.batch_size is None else f"batch {self.batch_size}"
        return (f"{self.dataset} (noise {self.noise:g}), {self.hidden_layers} x "
                f"{self.hidden_units} {self.activation}, {self.optimizer} lr={self.lr:.3g}, "
                f"{self.loss}, {batch}, seed {self.seed}")


def as_config(config=None, **changes) -> PlaygroundConfig:
    """A PlaygroundConfig from None (the defaults), a config, or a dict, plus ``changes``."""
    if config is None:
        return PlaygroundConfig()._with(changes)
    if isinstance(config, PlaygroundConfig):
        return config._with(changes) if changes else config
    if isinstance(config, dict):
        return PlaygroundConfig()._with({**config, **changes})
    raise ValueError(f"config: expected a PlaygroundConfig, a dict or None, "
                     f"got {type(config).__name__}")


def make_data(config: PlaygroundConfig):
    """(X, y) for the configuration: the named data set, seeded by ``config.seed``."""
    config = as_config(config)
    return _data.load(config.dataset, n=config.n, seed=config.seed, noise=config.noise)


def build_network(config: PlaygroundConfig) -> Network:
    """The lab's builder (``labnn.lab.lab_network``) with the configuration's hidden units,
    hidden layers and activation, and a sigmoid output unit (as in Playground, even for a linear
    activation); initialised from ``config.seed``."""
    config = as_config(config)
    return lab_network(hidden_units=config.hidden_units, hidden_layers=config.hidden_layers,
                       activation=config.activation, seed=config.seed, output="sigmoid")


def make_optimizer(config: PlaygroundConfig) -> _optim.Optimizer:
    config = as_config(config)
    return _optim.make(config.optimizer, config.lr)


def _chunk_seed(seed: int, start_epoch: int) -> int:
    """The shuffling seed of a chunk of mini-batch epochs starting after ``start_epoch``."""
    return int(np.random.SeedSequence([seed, start_epoch]).generate_state(1)[0])


class Session:
    """One training run that advances in chunks: data, network, optimizer (its state carries
    over between chunks) and the history so far. ``train`` is ``Session(config)`` advanced by
    ``config.epochs`` in one chunk; the widgets advance it chunk by chunk.

    A diverging chunk never raises here: the epochs before it are kept in ``history`` and
    ``error`` holds the message (``train`` raises instead).
    """

    def __init__(self, config=None, **changes):
        self.config = as_config(config, **changes)
        self.rebuilds = 0
        self._build()

    def _build(self) -> None:
        cfg = self.config
        self.X, self.y = make_data(cfg)
        self.network = build_network(cfg)
        self.optimizer = make_optimizer(cfg)
        self.history = History()
        self.error: str | None = None
        self.in_progress = False
        self.rebuilds += 1

    @property
    def epoch(self) -> int:
        return self.history.epochs

    @property
    def diverged(self) -> bool:
        return self.error is not None

    def advance(self, epochs: int, *, raise_on_divergence: bool = False, callback=None) -> int:
        """Train ``epochs`` more epochs (fewer if ``callback(epoch, history)`` returns True or
        the loss diverges). Returns the number of epochs trained in this chunk."""
        epochs = SETTINGS["epochs"].check(epochs)
        if self.error is not None:
            return 0
        cfg = self.config
        start = self.epoch
        seed = _chunk_seed(cfg.seed, start)
        try:
            chunk = self.network.fit(self.X, self.y, epochs=epochs, optimizer=self.optimizer,
                                     loss=cfg.loss, batch_size=cfg.batch_size, seed=seed,
                                     callback=callback)
        except DivergenceError as exc:
            self.history.extend(exc.history)
            self.error = str(exc)
            if raise_on_divergence:
                raise DivergenceError(str(exc), self.history) from None
            return exc.history.epochs
        self.history.extend(chunk)
        return chunk.epochs

    def retrain(self) -> None:
        """A fresh network from the seed, trained for ``config.epochs`` epochs."""
        self._build()
        self.advance(self.config.epochs)

    def reset(self) -> None:
        """A fresh, untrained network (epoch 0), ready to be stepped by hand."""
        self._build()
        self.in_progress = True

    def step(self, epochs: int) -> int:
        """Advance by hand (Play / Step): the run is now "in progress" for the lr rule."""
        epochs = SETTINGS["epochs"].check(epochs)
        self.in_progress = True
        return self.advance(epochs)

    def update(self, **changes) -> str:
        """Apply setting changes under the Playground's rules; returns what happened:
        "none" (nothing changed), "live" (lr set on the running optimizer) or "rebuild"
        (fresh network retrained for ``epochs``)."""
        new = self.config.replace(**changes)
        changed = new.changed(self.config)
        if not changed:
            return "none"
        self.config = new
        if changed <= LIVE_FIELDS and self.in_progress and not self.diverged:
            self.optimizer.lr = new.lr
            return "live"
        self.retrain()
        return "rebuild"

    def predict_grid(self, resolution: int = 50):
        """(extent, p): the network's output on a ``resolution`` x ``resolution`` grid over the
        data (plus a margin); ``extent`` = (x0_min, x0_max, x1_min, x1_max) and ``p[i, j]`` is
        the output at row i (x1, bottom to top) and column j (x0)."""
        resolution = check_int_in(resolution, "resolution", *GRID_RESOLUTION)
        lo = np.minimum(self.X.min(axis=0), 0.0) - 0.1
        hi = np.maximum(self.X.max(axis=0), 1.0) + 0.1
        try:
            with np.errstate(all="ignore"):
                _, _, p = self.network.predict_grid(lo, hi, resolution)
        except ValueError:
            # Network.predict_grid refuses an output that overflowed to NaN or inf (huge
            # weights, a diverged run; lo, hi and resolution are fine here): there is no
            # boundary to draw, so the view shows a flat 0.5 (a diverged run's error says why).
            p = np.full((resolution, resolution), 0.5)
        return (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])), p

    def status(self) -> str:
        """One line: the epoch, the final loss and accuracy (``error`` has any divergence)."""
        h = self.history
        if h.epochs == 0:
            text = "epoch 0: untrained (press Play or Step)"
        else:
            text = (f"epoch {h.epochs}   loss {h.final_loss:.4g}   "
                    f"accuracy {h.final_accuracy:.2%}")
        return text


def train(config=None, *, callback=None, **changes):
    """The one pure function: ``(history, network)`` for a configuration (a PlaygroundConfig,
    a dict or None for the defaults, plus keyword ``changes``). Same config, same bits.
    Raises DivergenceError (with the history so far) if the loss becomes NaN or inf."""
    session = Session(config, **changes)
    session.advance(session.config.epochs, raise_on_divergence=True, callback=callback)
    return session.history, session.network


__all__ = [
    "ACTIVATIONS", "DATASETS", "GRID_RESOLUTION", "LIVE_FIELDS", "LOSSES", "LR_RANGE",
    "MAX_EPOCHS", "MAX_LAYERS", "MAX_NOISE", "MAX_SAMPLES", "MAX_SEED", "MAX_UNITS",
    "OPTIMIZERS", "SETTINGS", "PlaygroundConfig", "Session", "Setting", "as_config",
    "build_network", "make_data", "make_optimizer", "train",
]
