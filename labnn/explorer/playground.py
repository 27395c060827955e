"""The Playground's pure core: a validated configuration, one function ``train(config)`` and the
chunked training session that the widgets (``labnn.explorer.widgets``) drive. NumPy only: no
widgets, no plotting, nothing printed.

    from labnn.explorer.playground import PlaygroundConfig, train
    history, net = train(PlaygroundConfig(dataset="circle", features=("x1^2", "x2^2"),
                                          layer_widths=()))

What a run is made of, each from its own module: the data and the train/test split
(``labnn.explorer.datasets``: Playground's data sets and your own points), the input features
(``labnn.explorer.features``), a network of ``layer_widths`` hidden layers with a sigmoid output
unit (a linear one for regression), an optimizer, and a penalty on the weights
(``labnn.losses.penalty``: none, l1 or l2). ``code(config)`` (``labnn.explorer.codegen``) writes
the labnn lines that rebuild and train the same network, bit for bit.

The rules of TensorFlow Playground, as a ``Session`` applies them (``Session.change``):

- the learning rate applies live: while a training is in progress (started by ``play``: the
  Play and Step buttons, or ``reset``) a new ``lr`` is set on the running optimizer; the network
  and its history carry on;
- every other training setting (data, split, features, architecture, optimizer, loss,
  regularization, batch size, seeds, epochs) rebuilds: a fresh network from the seed, retrained
  for ``epochs`` epochs;
- display settings are not part of the configuration at all: the view only draws again.

Outside a training in progress, an ``lr`` change also retrains from scratch, so that a reader who
moves the ``lr`` slider sees what that learning rate does to a fresh network.

One table, ``SETTINGS`` (in ``labnn.explorer.config``, with ``PlaygroundConfig`` and the
architecture buttons; all importable from here), gives every setting's bounds (or choices): the
configuration checks each value with it, and the widgets build each control from it. So a value
is accepted exactly when its control can show it; anything else raises ValueError naming the
setting and its bounds, and nothing is clamped (only a person dragging a slider is held to its
ends, by the widget).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .. import activations as _act
from .. import data as _data
from .. import losses as _losses
from .. import optim as _optim
from .._checks import check_int_in
from ..metrics import classes
from ..network import DivergenceError, History, Network
from . import datasets as _ds
from .codegen import config_code, render
from .config import (  # noqa: F401 - the configuration's names are the playground's too
    CLASSIFICATION,
    DATASETS,
    GRID_RESOLUTION,
    LIVE_FIELDS,
    LR_RANGE,
    MAX_EPOCHS,
    MAX_LAYERS,
    MAX_NOISE,
    MAX_SAMPLES,
    MAX_SEED,
    MAX_UNITS,
    NEW_LAYER_WIDTH,
    REG_RATE_RANGE,
    REGRESSION,
    SETTINGS,
    SHORTHAND,
    STARTING_LR,
    PlaygroundConfig,
    Setting,
    add_hidden_layer,
    add_neuron,
    as_config,
    describe_widths,
    fit_penalty,
    optimizer_args,
    output_activation,
    remove_hidden_layer,
    remove_neuron,
)
from .features import features


# ---------------------------------------------------------------------- builders
def _config(config) -> PlaygroundConfig:
    if not isinstance(config, PlaygroundConfig):
        raise ValueError(f"config: expected a PlaygroundConfig (as_config makes one from a "
                         f"dict), got {type(config).__name__}")
    return config


def make_data(config: PlaygroundConfig):
    """(X, y) for a built-in data set: every point, before the split, from the data seed."""
    config = _config(config)
    _ds.task_of(config.dataset)      # "own" data cannot be made: they are given
    return _data.load(config.dataset, n=config.n, seed=config.effective_data_seed,
                      noise=config.noise)


def make_split(config: PlaygroundConfig, own: _ds.OwnData | None = None) -> _ds.Split:
    """The run's data and its train/test split (``labnn.explorer.datasets.split``)."""
    config = _config(config)
    return _ds.split(config.dataset, n=config.n, noise=config.noise,
                     seed=config.effective_data_seed, test_ratio=config.test_ratio, own=own)


def build_network(config: PlaygroundConfig, task: str | None = None) -> Network:
    """A network on the configuration's features: one Dense layer of ``activation`` per entry
    of ``layer_widths``, then one output unit (``output_activation``); initialised from
    ``config.seed``. ``task`` is needed for own data only (built-in sets know theirs). Equal
    widths make exactly the calls ``labnn.lab.lab_network`` makes."""
    config = _config(config)
    task = task or config.task
    if task not in _ds.TASKS:
        raise ValueError(f"task: expected one of {', '.join(_ds.TASKS)}, got {task!r}")
    net = Network(len(config.features), seed=config.seed)
    act = _act.get(config.activation)
    for width in config.layer_widths:
        net.add_layer(width, act)
    return net.add_layer(1, output_activation(task))


def make_optimizer(config: PlaygroundConfig) -> _optim.Optimizer:
    return _optim.make(**optimizer_args(_config(config)))


def chunk_seed(seed: int, start_epoch: int) -> int:
    """The shuffling seed of a chunk of mini-batch epochs starting after ``start_epoch``."""
    return int(np.random.SeedSequence([seed, start_epoch]).generate_state(1)[0])


# ---------------------------------------------------------------------- the session
@dataclass
class ExplorerHistory(History):
    """A History (per-epoch training ``loss`` and ``accuracy``) plus, per epoch:

    - ``test_loss``, ``test_accuracy``: on the test points, at the same parameters as the
      training loss of that epoch (for full batch: before the epoch's update). Test ratio 0:
      the test points are the training points (the lab's convention).
    - ``grad_rms``: one number per layer (hidden layers, then the output): the root mean square
      of the weight gradient dW the optimizer used in that epoch (its last batch; with a
      penalty, dW includes the penalty's gradient). What a gradient view draws.

    For regression, accuracy means nothing: ``accuracy`` and ``test_accuracy`` hold NaN. Every
    loss here is the data loss, without the penalty (as Playground reports it).
    """

    test_loss: list = field(default_factory=list)
    test_accuracy: list = field(default_factory=list)
    grad_rms: list = field(default_factory=list)

    @property
    def final_test_loss(self) -> float:
        return self.test_loss[-1] if self.test_loss else math.nan

    @property
    def final_test_accuracy(self) -> float:
        return self.test_accuracy[-1] if self.test_accuracy else math.nan

    def extend(self, other: History) -> ExplorerHistory:
        super().extend(other)
        if isinstance(other, ExplorerHistory):
            self.test_loss.extend(other.test_loss)
            self.test_accuracy.extend(other.test_accuracy)
            self.grad_rms.extend(other.grad_rms)
        return self


class _Recorder:
    """The callback a Session gives ``fit``: after each epoch it records the test loss and
    accuracy measured before that epoch's update, the weight gradients' sizes, and measures
    the test set again for the next epoch; then it calls the reader's callback, if any.

    With no point held out (test ratio 0) and full batch, the test points are the training
    points and fit's own loss and accuracy of an epoch are measured at the same weights: they
    are the test loss and accuracy, bit for bit, and no second forward pass is made."""

    def __init__(self, session: Session, callback=None):
        self.session, self.callback = session, callback
        self.record = ExplorerHistory()
        batch = session.config.batch_size
        self.same = not session.split.held_out and (batch is None or
                                                    batch >= len(session.X_train))
        self.pending = None if self.same else session.measure_test()

    def __call__(self, epoch: int, history: History):
        r = self.record
        if not self.same:
            r.test_loss.append(self.pending[0])
            r.test_accuracy.append(self.pending[1])
            self.pending = self.session.measure_test()
        r.grad_rms.append(tuple(float(np.sqrt(np.vdot(g, g) / g.size))
                                for g in self.session.network.weight_grads))
        return self.callback(epoch, history) if self.callback is not None else None

    def history_of(self, chunk: History, task: str) -> ExplorerHistory:
        """The chunk's History from fit with what was recorded for its epochs."""
        r, n = self.record, chunk.epochs
        test = (chunk.loss, chunk.accuracy) if self.same else (r.test_loss, r.test_accuracy)
        h = ExplorerHistory(list(chunk.loss), list(chunk.accuracy), chunk.stopped_early,
                            list(test[0][:n]), list(test[1][:n]), r.grad_rms[:n])
        if task == "regression":
            h.accuracy = [math.nan] * n
            h.test_accuracy = [math.nan] * n
        return h


def resolve(config=None, data=None, **changes) -> tuple[PlaygroundConfig, _ds.OwnData | None]:
    """(configuration, own data) for a Session, ``train`` or ``code``: with ``data`` (your
    points, ``own_data(X, y)`` or ``load_csv(path)``) the dataset is "own" unless ``changes``
    name another."""
    if data is not None and not isinstance(data, _ds.OwnData):
        raise ValueError(f"data: expected your points as own_data(X, y) or load_csv(path) "
                         f"(labnn.explorer.datasets), got {type(data).__name__}")
    if data is not None and "dataset" not in changes:
        changes["dataset"] = _ds.OWN
    return as_config(config, **changes), data


def dataset_changes(config: PlaygroundConfig, dataset, own: _ds.OwnData | None = None) -> dict:
    """The settings that choosing ``dataset`` changes (Playground's data-set buttons): the
    dataset, and, when the task changes (classification <-> regression), the learning rate
    becomes that task's ``STARTING_LR`` and a bce loss becomes mse (regression needs it)."""
    config = _config(config)
    dataset = SETTINGS["dataset"].check(dataset)
    old = _ds.task_of(config.dataset, own) if config.dataset != _ds.OWN or own else None
    new = _ds.task_of(dataset, own)
    changes = {"dataset": dataset}
    if new != old:
        changes["lr"] = STARTING_LR[new]
    if new == "regression" and config.loss != "mse":
        changes["loss"] = "mse"
    return changes


def starting_changes(changes: dict, own: _ds.OwnData | None = None) -> dict:
    """A run's starting settings: ``changes`` as given, plus, when they choose regression
    (a regression data set, or own data with real targets) and give no ``lr``, the regression
    ``STARTING_LR`` (the explorer's 0.3 diverges there)."""
    dataset = changes.get("dataset", _ds.OWN if own is not None else None)
    if "lr" in changes or dataset is None or (dataset == _ds.OWN and own is None):
        return dict(changes)
    task = _ds.task_of(SETTINGS["dataset"].check(dataset), own)
    return {**changes, "lr": STARTING_LR[task]} if task == "regression" else dict(changes)


class Session:
    """One training run that advances in chunks: data, network, optimizer (its state carries
    over between chunks) and the history so far. ``train`` is ``Session(config)`` advanced by
    ``config.epochs`` in one chunk; the widgets advance it chunk by chunk.

    ``data``: your own points (``own_data(X, y)`` or ``load_csv(path)``); the configuration's
    dataset then defaults to "own", and any built-in set is one ``update(dataset=...)`` away
    (``update(dataset="own")`` comes back).

    ``X``, ``y``: every point (the view's coordinates) and its target; ``split`` holds the
    train/test indices; ``X_train``, ``y_train``, ``X_test``, ``y_test`` are the features and
    targets the network trains and is tested on. ``chunks`` logs (start epoch, epochs, lr) of
    every chunk trained, for ``code()``.

    A diverging chunk never raises here: the epochs before it are kept in ``history`` and
    ``error`` holds the message (``train`` raises instead).
    """

    def __init__(self, config=None, *, data=None, **changes):
        self.config, self.own = resolve(config, data, **changes)
        self.rebuilds = 0
        self._build(self.config)

    def _build(self, cfg: PlaygroundConfig) -> None:
        """A fresh run for ``cfg``; everything is made before anything is replaced, so a
        configuration that cannot be built leaves the session as it was."""
        split = make_split(cfg, self.own)
        if split.task == "regression" and cfg.loss != "mse":
            raise ValueError(f"loss: regression targets are trained with 'mse', got "
                             f"{cfg.loss!r}")
        F = features(split.X, cfg.features)
        network = build_network(cfg, split.task)
        self.config, self.split, self.network = cfg, split, network
        self.X, self.y = split.X, split.y
        self.X_train, self.y_train = F[split.train], split.y[split.train]
        self.X_test, self.y_test = F[split.test], split.y[split.test]
        self._test_loss = _losses.get(cfg.loss)[1]          # measure_test's, once per build
        self._test_classes = classes(self.y_test)
        self.optimizer = make_optimizer(cfg)
        self.history = ExplorerHistory()
        self.chunks: list[tuple[int, int, float]] = []
        self.error: str | None = None
        self.in_progress = False
        self.rebuilds += 1

    @property
    def task(self) -> str:
        return self.split.task

    @property
    def epoch(self) -> int:
        return self.history.epochs

    @property
    def diverged(self) -> bool:
        return self.error is not None

    def measure_test(self) -> tuple[float, float]:
        """(loss, accuracy) on the test points now (NaN for a network whose output is not
        finite; accuracy NaN for regression). The data loss, without any penalty."""
        try:
            with np.errstate(all="ignore"):
                out = self.network.predict(self.X_test)
        except ValueError:       # the output overflowed: a diverging run
            return math.nan, math.nan
        with np.errstate(all="ignore"):
            loss = float(self._test_loss(out, self.y_test)[0])
        if self.task == "regression":
            return loss, math.nan
        return loss, np.count_nonzero(classes(out) == self._test_classes) / len(self.y_test)

    def advance(self, epochs: int, *, raise_on_divergence: bool = False, callback=None) -> int:
        """Train ``epochs`` more epochs (fewer if ``callback(epoch, history)`` returns True or
        the loss diverges). Returns the number of epochs trained in this chunk."""
        epochs = SETTINGS["epochs"].check(epochs)
        if callback is not None and not callable(callback):
            raise ValueError(f"callback: expected a callable or None, got {callback!r}")
        if self.error is not None:
            return 0
        cfg, start = self.config, self.epoch
        recorder = _Recorder(self, callback)
        try:
            chunk = self.network.fit(self.X_train, self.y_train, epochs=epochs,
                                     optimizer=self.optimizer, loss=cfg.loss,
                                     batch_size=cfg.batch_size, seed=chunk_seed(cfg.seed, start),
                                     callback=recorder, **fit_penalty(cfg))
        except DivergenceError as exc:
            self._log(start, recorder.history_of(exc.history, self.task))
            self.error = str(exc)
            if raise_on_divergence:
                raise DivergenceError(str(exc), self.history) from None
            return exc.history.epochs
        self._log(start, recorder.history_of(chunk, self.task))
        return chunk.epochs

    def _log(self, start: int, chunk: ExplorerHistory) -> None:
        self.history.extend(chunk)
        if chunk.epochs:
            self.chunks.append((start, chunk.epochs, self.optimizer.lr))

    def retrain(self) -> None:
        """A fresh network from the seed, trained for ``config.epochs`` epochs."""
        self._build(self.config)
        self.advance(self.config.epochs)

    def reset(self) -> None:
        """A fresh, untrained network (epoch 0), ready to be stepped by hand."""
        self._build(self.config)
        self.in_progress = True

    def play(self, epochs: int) -> int:
        """Advance by hand (Play or Step): the run is now "in progress" for the lr rule."""
        epochs = SETTINGS["epochs"].check(epochs)
        self.in_progress = True
        return self.advance(epochs)

    def change(self, **changes) -> str:
        """Apply setting changes under the Playground's rules; returns what happened:
        "none" (nothing changed), "live" (lr set on the running optimizer) or "rebuild"
        (fresh network retrained for ``epochs``). A change that cannot be built (dataset "own"
        without own data, bce on regression targets) raises and changes nothing."""
        new = self.config.replace(**changes)
        changed = new.changed(self.config)
        if not changed:
            return "none"
        if changed <= LIVE_FIELDS and self.in_progress and not self.diverged:
            self.config = new
            self.optimizer.lr = new.lr
            return "live"
        self._build(new)
        self.advance(new.epochs)
        return "rebuild"

    def switch_dataset(self, dataset) -> str:
        """Choose another data set as Playground's buttons do (``dataset_changes``: a new task
        starts at its own learning rate); returns what ``change`` did."""
        return self.change(**dataset_changes(self.config, dataset, self.own))

    def regenerate(self) -> str:
        """Playground's "Regenerate": new data (and a new split) from the next data seed, then
        a rebuild. Deterministic: the data seed goes from s to s + 1 (wrapping at MAX_SEED)."""
        return self.change(data_seed=(self.config.effective_data_seed + 1) % (MAX_SEED + 1))

    # ------------------------------------------------------------------ what a view draws
    def grid(self, resolution: int = 50):
        """(extent, points): a ``resolution`` x ``resolution`` grid over the data plus a
        margin (at least the unit square); ``extent`` = (x1_min, x1_max, x2_min, x2_max) and
        ``points`` (resolution^2, 2), row by row from the bottom (x2), x1 fastest."""
        resolution = check_int_in(resolution, "resolution", *GRID_RESOLUTION)
        lo = np.minimum(self.X.min(axis=0), 0.0) - 0.1
        hi = np.maximum(self.X.max(axis=0), 1.0) + 0.1
        xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution),
                             np.linspace(lo[1], hi[1], resolution))
        extent = (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1]))
        return extent, np.column_stack([xx.ravel(), yy.ravel()])

    def predict_grid(self, resolution: int = 50):
        """(extent, p): the network's output on ``grid(resolution)``, through the features;
        ``p[i, j]`` is the output at row i (x2, bottom to top) and column j (x1). An output
        that overflowed (a diverged run) shows as no boundary: 0.5 everywhere (0 for
        regression)."""
        extent, points = self.grid(resolution)
        try:
            with np.errstate(all="ignore"):
                p = self.network.predict(features(points, self.config.features))[:, 0]
        except ValueError:
            p = np.full(len(points), 0.0 if self.task == "regression" else 0.5)
        return extent, p.reshape(resolution, resolution)

    def node_grids(self, resolution: int = 20):
        """(extent, [feature maps (k, r, r), then each layer's outputs (units, r, r)]): every
        input feature's and every neuron's output over ``grid(resolution)``, for a network
        view; None in place of the layers for a network whose outputs are not finite."""
        extent, points = self.grid(resolution)
        F = features(points, self.config.features)
        maps = [F.T.reshape(-1, resolution, resolution)]
        try:
            with np.errstate(all="ignore"):
                outs = self.network.layer_outputs(F)
        except ValueError:
            return extent, maps + [None] * len(self.network.layers)
        return extent, maps + [o.T.reshape(-1, resolution, resolution) for o in outs]

    def code(self) -> str:
        """The labnn code that rebuilds this run and trains it exactly as it was trained (every
        chunk, every live lr change): its weights equal ``network``'s bit for bit."""
        return render(self.config, self.own, self.chunks, self.error)


def train(config=None, *, data=None, callback=None, **changes):
    """The one pure function: ``(history, network)`` for a configuration (a PlaygroundConfig,
    a dict or None for the defaults, plus keyword ``changes``; ``data`` for own points). Same
    config, same bits. Raises DivergenceError (with the history so far) if the loss becomes
    NaN or inf."""
    session = Session(config, data=data, **changes)
    session.advance(session.config.epochs, raise_on_divergence=True, callback=callback)
    return session.history, session.network


def code(config=None, *, data=None, **changes) -> str:
    """The labnn code that does what ``train(config)`` does: the data, the split, the features,
    the network, the optimizer, the penalty, the epochs; its weights equal train's bit for
    bit. For own data it starts from the arrays you gave (``X``, ``y``) or your CSV file."""
    return config_code(*resolve(config, data, **changes))


__all__ = [
    "CLASSIFICATION", "DATASETS", "GRID_RESOLUTION", "LIVE_FIELDS", "LR_RANGE", "MAX_EPOCHS",
    "MAX_LAYERS", "MAX_NOISE", "MAX_SAMPLES", "MAX_SEED", "MAX_UNITS", "NEW_LAYER_WIDTH",
    "REGRESSION", "REG_RATE_RANGE", "SETTINGS", "SHORTHAND", "STARTING_LR", "ExplorerHistory",
    "PlaygroundConfig", "Session", "Setting", "add_hidden_layer", "add_neuron", "as_config",
    "build_network", "chunk_seed", "code", "dataset_changes", "describe_widths", "fit_penalty",
    "make_data", "make_optimizer", "make_split", "optimizer_args", "output_activation",
    "remove_hidden_layer", "remove_neuron", "resolve", "starting_changes", "train",
]
