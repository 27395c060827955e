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
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from .. import activations as _act
from .. import data as _data
from .. import optim as _optim
from .._checks import check_float_in, check_positive_float, check_positive_int, check_seed
from ..lab import lab_network
from ..network import DivergenceError, History, Network

DATASETS = tuple(_data.GENERATORS)
ACTIVATIONS = _act.NAMES
OPTIMIZERS = _optim.NAMES
LOSSES = ("mse", "bce")
MAX_UNITS = 32
MAX_LAYERS = 4
MAX_EPOCHS = 100_000
MAX_SAMPLES = 2000
MAX_NOISE = 0.5
LR_RANGE = (1e-4, 10.0)
"""The range of the widgets' log slider; the pure core accepts any positive finite lr."""

LIVE_FIELDS = frozenset({"lr"})
"""Settings that apply to a running training without rebuilding it."""


def _choice(value, name, options):
    if not isinstance(value, str) or value.lower() not in options:
        raise ValueError(f"{name}: expected one of {', '.join(options)}, got {value!r}")
    return value.lower()


def _int_in(value, name, lo, hi):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not lo <= value <= hi:
        raise ValueError(f"{name}: expected an integer in [{lo}, {hi}], got {value!r}")
    return int(value)


@dataclass(frozen=True)
class PlaygroundConfig:
    """Everything that decides a training run (and nothing about how it is shown).

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
        setattr_ = object.__setattr__
        setattr_(self, "dataset", _choice(self.dataset, "dataset", DATASETS))
        setattr_(self, "noise", check_float_in(self.noise, "noise", 0.0, MAX_NOISE))
        setattr_(self, "lr", check_positive_float(self.lr, "lr"))
        setattr_(self, "hidden_units", _int_in(self.hidden_units, "hidden_units", 1, MAX_UNITS))
        setattr_(self, "hidden_layers",
                 _int_in(self.hidden_layers, "hidden_layers", 1, MAX_LAYERS))
        if isinstance(self.activation, str) and self.activation.lower() in _act.ALIASES:
            setattr_(self, "activation", _act.ALIASES[self.activation.lower()])
        setattr_(self, "activation", _choice(self.activation, "activation", ACTIVATIONS))
        setattr_(self, "optimizer", _choice(self.optimizer, "optimizer", OPTIMIZERS))
        setattr_(self, "loss", _choice(self.loss, "loss", LOSSES))
        setattr_(self, "epochs", _int_in(self.epochs, "epochs", 1, MAX_EPOCHS))
        if self.batch_size is not None:
            setattr_(self, "batch_size", check_positive_int(self.batch_size, "batch_size"))
        seed = check_seed(self.seed)
        if seed is None:
            raise ValueError("seed: expected a non-negative integer (the Playground is seeded)")
        setattr_(self, "seed", seed)
        setattr_(self, "n", _int_in(self.n, "n", 1, MAX_SAMPLES))

    def replace(self, **changes) -> PlaygroundConfig:
        """A copy with ``changes`` applied (validated); unknown names raise ValueError."""
        names = [f.name for f in dataclasses.fields(self)]
        unknown = set(changes) - set(names)
        if unknown:
            raise ValueError(f"config: unknown setting(s) {', '.join(sorted(unknown))}; "
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
        return PlaygroundConfig(**changes)
    if isinstance(config, PlaygroundConfig):
        return config.replace(**changes) if changes else config
    if isinstance(config, dict):
        return PlaygroundConfig().replace(**{**config, **changes})
    raise ValueError(f"config: expected a PlaygroundConfig, a dict or None, "
                     f"got {type(config).__name__}")


def make_data(config: PlaygroundConfig):
    """(X, y) for the configuration: the named data set, seeded by ``config.seed``."""
    return _data.load(config.dataset, n=config.n, seed=config.seed, noise=config.noise)


def build_network(config: PlaygroundConfig) -> Network:
    """The lab's builder (``labnn.lab.lab_network``) with the configuration's hidden units,
    hidden layers and activation, and a sigmoid output unit (as in Playground, even for a linear
    activation); initialised from ``config.seed``."""
    return lab_network(hidden_units=config.hidden_units, hidden_layers=config.hidden_layers,
                       activation=config.activation, seed=config.seed, output="sigmoid")


def make_optimizer(config: PlaygroundConfig) -> _optim.Optimizer:
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
        epochs = check_positive_int(epochs, "epochs")
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
        resolution = _int_in(resolution, "resolution", 2, 1000)
        lo = np.minimum(self.X.min(axis=0), 0.0) - 0.1
        hi = np.maximum(self.X.max(axis=0), 1.0) + 0.1
        with np.errstate(all="ignore"):
            _, _, p = self.network.predict_grid(lo, hi, resolution)
        p = np.nan_to_num(p, nan=0.5, posinf=1.0, neginf=0.0)
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
    "ACTIVATIONS", "DATASETS", "LIVE_FIELDS", "LOSSES", "LR_RANGE", "MAX_EPOCHS", "MAX_LAYERS",
    "MAX_NOISE", "MAX_UNITS", "OPTIMIZERS", "PlaygroundConfig", "Session", "as_config",
    "build_network", "make_data", "make_optimizer", "train",
]
