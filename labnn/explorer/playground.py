"""The Playground's pure core: a validated configuration, one function ``train(config)`` and the
training session that the explorer (``labnn.explorer.widgets``) drives in slices. NumPy only: no
widgets, no plotting, nothing printed.

    from labnn.explorer.playground import PlaygroundConfig, train
    history, net = train(PlaygroundConfig(dataset="circle", features=("x1^2", "x2^2"),
                                          layer_widths=()))

What a run is made of, each from its own module: the data and the train/test split
(``labnn.explorer.datasets``: Playground's data sets and your own points), the input features
(``labnn.explorer.features``), a network of ``layer_widths`` hidden layers with a sigmoid output
unit (a linear one for regression), an optimizer, and a penalty on the weights
(``labnn.losses.penalty``: none, l1 or l2; or Playground's own L1 rule,
``labnn.explorer.pruning``). ``code(config)`` (``labnn.explorer.codegen``) writes
the labnn lines that rebuild and train the same network, bit for bit.

One rule for changes, as a ``Session`` applies it (``Session.change``), Playground's:

- the learning rate applies live: it is set on the running optimizer; the network and its
  history carry on;
- every other training setting (data, split, features, architecture, activation, optimizer,
  loss, regularization, batch size, seeds) shapes the run: it resets to a fresh, untrained
  network at epoch 0 (a run that was playing keeps playing: ``labnn.explorer.jobs``);
- display settings are not part of the configuration at all: the view only draws again.

A session starts untrained. Training happens in slices (``advance_steps``) that Play,
Fast-forward (``epochs`` more epochs) and Step schedule and a time budget sizes
(``labnn.explorer.jobs``); a run gives the same bits however it is sliced: full batch, epochs
follow each other in one optimizer; mini-batch, each epoch visits the points in its own order
(``epoch_order``). ``unavailable(config)`` names the controls that cannot apply, and why.

One table, ``SETTINGS`` (in ``labnn.explorer.config``, with ``PlaygroundConfig`` and the
architecture buttons; all importable from here), gives every setting's bounds (or choices): the
configuration checks each value with it, and the widgets build each control from it. So a value
is accepted exactly when its control can show it; anything else raises ValueError naming the
setting and its bounds, and nothing is clamped (only a person dragging a slider is held to its
ends, by the widget).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field

import numpy as np

from .. import activations as _act
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
    LR_GRID,
    LR_RANGE,
    MAX_EPOCHS,
    MAX_LAYERS,
    MAX_NOISE,
    MAX_SAMPLES,
    MAX_SEED,
    MAX_UNITS,
    NEW_LAYER_WIDTH,
    PLAYGROUND_L1,
    REG_RATE_GRID,
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
from .pruning import PlaygroundL1


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
    return _ds.generate(config.dataset, n=config.n, seed=config.effective_data_seed,
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


def make_optimizer(config: PlaygroundConfig, network: Network) -> _optim.Optimizer:
    """The configuration's optimizer (``optimizer_args``) for ``network``; with Playground's
    L1 rule, wrapped in ``PlaygroundL1`` over the network's weights."""
    opt = _optim.make(**optimizer_args(_config(config)))
    if config.regularization == PLAYGROUND_L1:
        opt = PlaygroundL1(opt, config.reg_rate, network.weights)
    return opt


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
    """The callback a Session gives a full-batch ``fit``: after each epoch it records the test
    loss and accuracy measured before that epoch's update, the weight gradients' sizes, and
    measures the test set again for the next epoch; then it calls the reader's callback, if
    any. It keeps fit's History (``last``), so that the epochs trained before an exception
    in the reader's callback are known.

    With no point held out (test ratio 0), the test points are the training points and fit's
    own loss and accuracy of an epoch are measured at the same weights: they are the test loss
    and accuracy, bit for bit, and no second forward pass is made."""

    def __init__(self, session: Session, callback=None):
        self.session, self.callback = session, callback
        self.record = ExplorerHistory()
        self.same = not session.split.held_out
        self.pending = None if self.same else session.measure_test()

    def __call__(self, epoch: int, history: History):
        r = self.record
        if not self.same:
            r.test_loss.append(self.pending[0])
            r.test_accuracy.append(self.pending[1])
            self.pending = self.session.measure_test()
        r.grad_rms.append(self.session.grad_sizes())
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


@dataclass
class _EpochInProgress:
    """A mini-batch epoch trained in slices: its order, the batches done, the sums of the data
    loss and of the correct answers so far, and the test (loss, accuracy) from its start."""

    order: np.ndarray
    test: tuple[float, float]
    batches: int = 0
    loss_sum: float = 0.0
    correct: int = 0


def epoch_order(seed: int, epoch: int, n: int) -> np.ndarray:
    """The order in which epoch ``epoch`` (0 is the first) of a mini-batch run visits its ``n``
    training points: a permutation drawn from (seed, epoch) alone, so that a run gives the same
    bits however its epochs are cut into slices."""
    return np.random.default_rng([seed, epoch]).permutation(n)


def _check_own(data) -> _ds.OwnData | None:
    if data is not None and not isinstance(data, _ds.OwnData):
        raise ValueError(f"data: expected your points as own_data(X, y) or load_csv(path) "
                         f"(labnn.explorer.datasets), got {type(data).__name__}")
    return data


def resolve(config=None, data=None, **changes) -> tuple[PlaygroundConfig, _ds.OwnData | None]:
    """(configuration, own data) for a Session, ``train`` or ``code``: with ``data`` (your
    points, ``own_data(X, y)`` or ``load_csv(path)``) the dataset is "own" unless ``changes``
    name another."""
    _check_own(data)
    if data is not None and "dataset" not in changes:
        changes["dataset"] = _ds.OWN
    return as_config(config, **changes), data


def starting_changes(changes: dict, own: _ds.OwnData | None = None) -> dict:
    """A run's starting settings: ``changes`` as given, plus, when they choose regression
    (a regression data set, or own data with real targets) and give no ``lr``, the regression
    ``STARTING_LR`` (the explorer's 0.3 diverges there)."""
    own = _check_own(own)
    dataset = changes.get("dataset", _ds.OWN if own is not None else None)
    if "lr" in changes or dataset is None or (dataset == _ds.OWN and own is None):
        return dict(changes)
    task = _ds.task_of(SETTINGS["dataset"].check(dataset), own)
    return {**changes, "lr": STARTING_LR[task]} if task == "regression" else dict(changes)


def unavailable(config: PlaygroundConfig, own: _ds.OwnData | None = None) -> dict[str, str]:
    """The controls that cannot apply to ``config``, each with the reason (a view disables
    them and shows the reason): noise and the number of points for your own points, Regenerate
    where new draws would give the same data and split (the lab's fixed XOR points without
    noise or a split, or your own points without a split), bce for regression targets, the
    regularization rate without a regularization."""
    config = _config(config)
    reasons = {}
    task = _ds.task_of(config.dataset, own) if config.dataset != _ds.OWN or own else None
    if config.dataset == _ds.OWN:
        reasons["noise"] = "noise jitters generated data sets, not your own points"
        if not config.test_ratio:
            reasons["regenerate"] = ("your own points are fixed; with a test ratio above 0 "
                                     "Regenerate draws a new split")
    elif not _ds.is_random(config.dataset, config.noise) and not config.test_ratio:
        reasons["regenerate"] = (f"the {config.dataset} points are fixed; with noise or a test "
                                 f"ratio above 0 Regenerate draws new ones")
    if task == "regression":
        reasons["loss"] = "regression targets are trained with mse"
    if config.regularization == "none":
        reasons["reg_rate"] = "choose a regularization first"
    return reasons


class Session:
    """One training run that advances in slices: data, network, optimizer (its state carries
    over between slices) and the history so far. ``train`` is ``Session(config)`` advanced by
    ``config.epochs`` epochs; the explorer advances it slice by slice
    (``labnn.explorer.jobs``), and the bits are the same however the run is cut.

    ``data``: your own points (``own_data(X, y)`` or ``load_csv(path)``); the configuration's
    dataset then defaults to "own", and any built-in set is one ``change(dataset=...)`` away
    (``change(dataset="own")`` comes back).

    ``X``, ``y``: every point (the view's coordinates) and its target; ``split`` holds the
    train/test indices; ``X_train``, ``y_train``, ``X_test``, ``y_test`` are the features and
    targets the network trains and is tested on. Full batch, one step is one epoch; mini-batch,
    an epoch is ``steps_per_epoch`` steps over ``epoch_order``'s order, and ``batch`` counts
    the steps done in the epoch in progress. ``chunks`` logs (first step, steps, lr) of
    everything trained, for ``code()``.

    The record (``history``, ``chunks``, ``batch``) always describes the network: a slice is
    trained whole or not at all, so an exception inside one (a KeyboardInterrupt, an error in
    a callback) puts the weights and the optimizer back as they were before it and re-raises.
    A diverging slice never raises here: ``error`` holds the message (``train`` raises
    instead), and the run stays stopped until it is rebuilt.
    """

    def __init__(self, config=None, *, data=None, **changes):
        self.config, self.own = resolve(config, data, **changes)
        self.rebuilds = 0
        self.lr_by_task: dict[str, float] = {}
        """The lr last used for each task, restored by a data set of that task."""
        self.notice = ""
        """What a change did beyond what was asked (a data set of the other task restored its
        own lr), for the view to say; empty otherwise."""
        self._build(self.config)

    def _build(self, cfg: PlaygroundConfig) -> None:
        """A fresh, untrained run for ``cfg``; everything is made before anything is replaced
        (in one update), so a configuration that cannot be built, or an interrupt, leaves the
        session as it was."""
        split = make_split(cfg, self.own)
        if split.task == "regression" and cfg.loss != "mse":
            raise ValueError(f"loss: regression targets are trained with 'mse', got "
                             f"{cfg.loss!r}")
        F = features(split.X, cfg.features)
        network = build_network(cfg, split.task)
        X_train, y_train = F[split.train], split.y[split.train]
        batch = cfg.batch_size
        steps = 1 if batch is None or batch >= len(X_train) else -(-len(X_train) // batch)
        X_test, y_test = F[split.test], split.y[split.test]
        self.__dict__.update(
            config=cfg, split=split, network=network, X=split.X, y=split.y,
            X_train=X_train, y_train=y_train, X_test=X_test, y_test=y_test,
            steps_per_epoch=steps, _test_loss=_losses.get(cfg.loss)[1],
            _test_classes=classes(y_test), optimizer=make_optimizer(cfg, network),
            history=ExplorerHistory(), chunks=[], error=None, batch=0, _epoch=None,
            rebuilds=self.rebuilds + 1)

    @property
    def task(self) -> str:
        return self.split.task

    @property
    def epoch(self) -> int:
        """Epochs completed."""
        return self.history.epochs

    @property
    def steps(self) -> int:
        """Optimizer steps taken (batches trained), the unit of ``chunks``."""
        return self.epoch * self.steps_per_epoch + self.batch

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

    def grad_sizes(self) -> tuple[float, ...]:
        """The root mean square of each layer's weight gradient now (the last step's)."""
        return tuple(float(np.sqrt(np.vdot(g, g) / g.size)) for g in self.network.weight_grads)

    # ------------------------------------------------------------------ training
    def _snapshot(self):
        """Copies of the parameters and of the optimizer; the optimizer's copy refers to the
        network's own parameter arrays (its state belongs to them), not to copies of them."""
        params = self.network.params
        same = {id(p): p for p in params}               # deepcopy keeps these objects
        return [p.copy() for p in params], copy.deepcopy(self.optimizer, memo=same)

    def _restore(self, snapshot) -> None:
        params, optimizer = snapshot
        for p, saved in zip(self.network.params, params, strict=True):
            p[...] = saved
        self.optimizer = optimizer

    def _log(self, start: int, steps: int) -> None:
        """Add ``steps`` steps from step ``start`` at the optimizer's lr to ``chunks``,
        joined to the last chunk when they continue it at the same lr."""
        lr = self.optimizer.lr
        if self.chunks and self.chunks[-1][2] == lr and sum(self.chunks[-1][:2]) == start:
            first, count, _ = self.chunks[-1]
            self.chunks[-1] = (first, count + steps, lr)
        else:
            self.chunks.append((start, steps, lr))

    def advance(self, epochs: int, *, raise_on_divergence: bool = False, callback=None) -> int:
        """Train until ``epochs`` more epochs are complete (an epoch in progress counts as the
        first), fewer if ``callback(epoch, history)`` returns True or the loss diverges.
        Returns the number of epochs completed."""
        epochs = SETTINGS["epochs"].check(epochs)
        if callback is not None and not callable(callback):
            raise ValueError(f"callback: expected a callable or None, got {callback!r}")
        if self.error is not None:
            return 0
        if self.steps_per_epoch == 1:
            return self._full_batch(epochs, raise_on_divergence, callback)
        done = 0
        while done < epochs and self.error is None:
            if self._slice(self.steps_per_epoch - self.batch):
                done += 1
                if callback is not None and callback(self.epoch, self.history):
                    self.history.stopped_early = True
                    break
        if self.error is not None and raise_on_divergence:
            raise DivergenceError(self.error, self.history)
        return done

    def advance_steps(self, steps: int) -> int:
        """Train ``steps`` more optimizer steps (batches; full batch, epochs), across epochs:
        the unit of a slice (``labnn.explorer.jobs`` sizes it to a time budget). Returns the
        steps trained (fewer if the loss diverges)."""
        steps = check_int_in(steps, "steps", 1, MAX_EPOCHS * MAX_SAMPLES)
        if self.error is not None:
            return 0
        if self.steps_per_epoch == 1:
            return self._full_batch(steps, False, None)
        done = 0
        while done < steps and self.error is None:
            count = min(steps - done, self.steps_per_epoch - self.batch)
            before = self.steps
            self._slice(count)
            done += self.steps - before
        return done

    def _full_batch(self, epochs: int, raise_on_divergence: bool, callback) -> int:
        """``epochs`` full-batch epochs in one ``fit``; its record, or none of it."""
        cfg, start = self.config, self.epoch
        recorder = _Recorder(self, callback)
        saved = self._snapshot()
        try:
            chunk = self.network.fit(self.X_train, self.y_train, epochs=epochs,
                                     optimizer=self.optimizer, loss=cfg.loss, shuffle=False,
                                     callback=recorder, **fit_penalty(cfg))
        except DivergenceError as exc:
            # A full-batch step whose loss is not finite changes nothing: the network is
            # the one after the epochs fit completed.
            self.history.extend(recorder.history_of(exc.history, self.task))
            if exc.history.epochs:
                self._log(start, exc.history.epochs)
            self.error = str(exc)
            if raise_on_divergence:
                raise DivergenceError(str(exc), self.history) from None
            return exc.history.epochs
        except BaseException:
            self._restore(saved)
            raise
        self.history.extend(recorder.history_of(chunk, self.task))
        self._log(start, chunk.epochs)
        return chunk.epochs

    def _slice(self, count: int) -> bool:
        """``count`` mini-batches of the epoch in progress (starting one if none is), in one
        ``fit`` over that part of the epoch's order; True when it completes the epoch. On an
        exception (a divergence included) the slice is undone."""
        cfg = self.config
        if self._epoch is None:
            order = epoch_order(cfg.seed, self.epoch, len(self.X_train))
            self._epoch = _EpochInProgress(order, self.measure_test())
        ep = self._epoch
        first = ep.batches * cfg.batch_size
        idx = ep.order[first:first + count * cfg.batch_size]
        saved = self._snapshot()
        try:
            h = self.network.fit(self.X_train[idx], self.y_train[idx], epochs=1,
                                 optimizer=self.optimizer, loss=cfg.loss,
                                 batch_size=cfg.batch_size, shuffle=False, **fit_penalty(cfg))
        except DivergenceError as exc:
            self._restore(saved)
            self.error = str(exc)
            return False
        except BaseException:
            self._restore(saved)
            raise
        start = self.steps
        ep.loss_sum += h.loss[0] * len(idx)
        ep.correct += round(h.accuracy[0] * len(idx))
        ep.batches += count
        self._log(start, count)
        if ep.batches < self.steps_per_epoch:
            self.batch = ep.batches
            return False
        n = len(self.X_train)
        regression = self.task == "regression"
        self.history.extend(ExplorerHistory(
            [ep.loss_sum / n], [math.nan if regression else ep.correct / n], False,
            [ep.test[0]], [ep.test[1]], [self.grad_sizes()]))
        self.batch, self._epoch = 0, None
        return True

    def reset(self) -> None:
        """A fresh, untrained network (epoch 0) for the same configuration."""
        self._build(self.config)

    def change(self, **changes) -> str:
        """Apply setting changes under the one rule for changes; returns what happened:
        "none" (nothing changed), "live" (only the lr changed: it is set on the running
        optimizer, the network and its history carry on) or "reset" (any other setting: a
        fresh, untrained network at epoch 0). A choice of data set of the other task
        (classification, regression) brings that task's lr along (``lr_for``) unless the
        changes give one; ``notice`` says so. A change that cannot be built raises and changes
        nothing."""
        self.notice = ""
        if "dataset" in changes and "lr" not in changes:
            changes = {**self._task_changes(changes["dataset"]), **changes}
        new = self.config.replace(**changes)
        changed = new.changed(self.config)
        if not changed:
            return "none"
        if changed <= LIVE_FIELDS and not self.diverged:
            self.config = new
            self.optimizer.lr = new.lr
            return "live"
        self._build(new)
        return "reset"

    def _task_changes(self, dataset) -> dict:
        """The lr (and loss) that come with ``dataset`` when its task differs from the run's."""
        dataset = SETTINGS["dataset"].check(dataset)
        new = _ds.task_of(dataset, self.own)
        if new == self.task:
            return {}
        lr = self.lr_by_task.get(new, STARTING_LR[new])
        changes = {"lr": lr}
        if new == "regression" and self.config.loss != "mse":
            changes["loss"] = "mse"
        self.lr_by_task[self.task] = self.config.lr
        self.notice = (f"{dataset} is {new}: lr {self.config.lr:g} -> {lr:g} (the lr last used "
                       f"for {new}; {self.config.lr:g} comes back with a {self.task} data set)")
        return changes

    def regenerate(self) -> str:
        """Playground's "Regenerate": new data (and a new split) from the next data seed, then
        a reset. Deterministic: the data seed goes from s to s + 1 (wrapping at MAX_SEED).
        Refused (ValueError) where it cannot change anything (``unavailable``)."""
        why = unavailable(self.config, self.own).get("regenerate")
        if why:
            raise ValueError(f"regenerate: {why}")
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
        return render(self.config, self.own, self.chunks, self.error, self.steps_per_epoch)


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
    session = Session(config, data=data, **changes)
    return config_code(session.config, session.own, session.steps_per_epoch)


__all__ = [
    "CLASSIFICATION", "DATASETS", "GRID_RESOLUTION", "LIVE_FIELDS", "LR_GRID", "LR_RANGE",
    "MAX_EPOCHS", "MAX_LAYERS", "MAX_NOISE", "MAX_SAMPLES", "MAX_SEED", "MAX_UNITS",
    "NEW_LAYER_WIDTH", "PLAYGROUND_L1", "REGRESSION", "REG_RATE_GRID", "REG_RATE_RANGE",
    "SETTINGS", "SHORTHAND", "STARTING_LR", "ExplorerHistory", "PlaygroundConfig", "Session",
    "Setting", "add_hidden_layer", "add_neuron", "as_config", "build_network", "code",
    "describe_widths", "epoch_order", "fit_penalty", "make_data", "make_optimizer", "make_split",
    "optimizer_args", "output_activation", "remove_hidden_layer", "remove_neuron", "resolve",
    "starting_changes", "train", "unavailable",
]
