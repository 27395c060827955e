"""The report's experiments: one pure function per study, each a list of seeded training runs.

    results = learning_rate_study(lrs=(1e-3, 1e-1, 1.0), seeds=range(10))
    print(format_table(summarize(results, by="lr")))

A run is described by a frozen ``RunConfig`` (data set, seed, learning rate, hidden units,
activation, optimizer, epochs, loss) and produces a ``RunResult`` (final loss and accuracy on
the lab's data, the epoch at which accuracy first reached 100 %, whether and when the loss
became NaN/inf, and the per-epoch curves). ``run`` is deterministic: the same config gives the
same bits. ``sweep`` runs many configs, optionally in worker processes, and returns results in
config order; the worker count never changes a result (tests check this).

Seeds: ``seed`` seeds the network's initialisation and, for the linear data set, the data
itself (the lab draws fresh linear data each run); the XOR data is fixed. Training and testing
use the same data, as in the lab.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing import get_context

import numpy as np

from .. import data as _data
from .. import init as _init
from .. import losses as _losses
from .. import optim as _optim
from .._checks import check_bool, check_positive_int
from ..lab import lab_network
from ..lab.seed_errors import SEED_SIGMOID, seed_order_step
from ..metrics import count_correct
from ..network import DEFAULT_EPOCHS, DEFAULT_LR, DivergenceError, History
from ..stack import NetworkStack, StackHistory

LAB_DATASETS = ("linear", "xor")
"""The lab's two data sets (the explorer has more: ``labnn.explorer.playground.DATASETS``)."""

LINEAR_N = 100
"""Points in the lab's linear data set."""

UPDATES = ("exact", "seed_order")
"""``RunConfig.update``: gradient descent, or the original report's update order."""

_REPORT_ACTIVATIONS = {"seed_sigmoid": SEED_SIGMOID}
"""Activation names that only the report knows (the core's registry does not)."""


@dataclass(frozen=True)
class RunConfig:
    """One training run of the lab network (``labnn.lab_network``) on one lab data set.

    ``lr=None`` means the optimizer's default (1.0 for plain SGD, the lab's default; the torch
    default for the others). ``optimizer=None`` is plain full-batch SGD. ``until_100=True``
    stops a run at its first epoch of 100 % accuracy (final loss and accuracy are then measured
    there).

    The fields after ``until_100`` vary what the other studies keep fixed; their defaults are
    the lab network trained by ``Network.fit``, exactly as before they existed. ``activation``
    may also be "seed_sigmoid": the original report's sigmoid with its wrong derivative
    (``labnn.lab.seed_errors.SEED_SIGMOID``), in every layer, the output unit included.
    """

    dataset: str = "xor"
    seed: int = 0
    lr: float | None = None
    hidden_units: int = 4
    activation: str = "sigmoid"
    optimizer: str | None = None
    epochs: int = DEFAULT_EPOCHS
    loss: str = "mse"
    hidden_layers: int = 2
    until_100: bool = False
    """Stop at the first epoch with 100 % accuracy (for studies that only need that epoch)."""
    output: str | None = None
    """The output unit's activation; None: ``lab_network``'s default (a sigmoid, or none at
    all when ``activation`` is linear)."""
    bias: bool = True
    """False: no bias in any layer (``Dense(..., bias=False)``)."""
    init: str = "default"
    """The initialisation scheme (``labnn.init``); "normal" is the original report's."""
    batch_size: int | None = None
    """None: full batch; else mini-batches of that size, in an order reshuffled every epoch by
    a generator seeded with ``seed`` (``Network.fit(batch_size=..., seed=seed)``)."""
    update: str = "exact"
    """"exact": gradient descent by ``Network.fit``; "seed_order": the original report's
    update, each layer's W changed before the gradient goes back through it
    (``labnn.lab.seed_errors``; plain SGD, full batch)."""

    def __post_init__(self):
        if self.dataset not in LAB_DATASETS:
            raise ValueError(f"dataset: expected one of {', '.join(LAB_DATASETS)}, "
                             f"got {self.dataset!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)) \
                or self.seed < 0:
            raise ValueError(f"seed: expected a non-negative integer, got {self.seed!r}")
        check_positive_int(self.epochs, "epochs")
        check_positive_int(self.hidden_units, "hidden_units")
        check_positive_int(self.hidden_layers, "hidden_layers")
        if self.lr is not None and not (isinstance(self.lr, (int, float))
                                        and math.isfinite(self.lr) and self.lr > 0):
            raise ValueError(f"lr: expected a positive finite number or None, got {self.lr!r}")
        check_bool(self.bias, "bias")
        _init.check_scheme(self.init)
        if self.batch_size is not None:
            check_positive_int(self.batch_size, "batch_size")
        if self.update not in UPDATES:
            raise ValueError(f"update: expected one of {', '.join(UPDATES)}, got {self.update!r}")
        if self.update == "seed_order" and (self.optimizer is not None
                                            or self.batch_size is not None):
            raise ValueError("update: 'seed_order' is plain full-batch SGD; expected "
                             "optimizer=None and batch_size=None")


@dataclass
class RunResult:
    """What one run measured. Curves have one entry per epoch trained (fewer than
    ``config.epochs`` if the run diverged)."""

    config: RunConfig
    final_loss: float
    final_accuracy: float
    epochs_to_100: int | None
    diverged_at: int | None
    loss: np.ndarray = field(repr=False)
    accuracy: np.ndarray = field(repr=False)
    params: list = field(default_factory=list, repr=False)

    @property
    def solved(self) -> bool:
        """100 % accuracy on the lab's data after training (and no divergence)."""
        return self.diverged_at is None and self.final_accuracy == 1.0


def load_data(dataset: str, seed: int = 0):
    """The lab's data set ``dataset`` ("linear" or "xor") for ``seed`` (X (n, 2), y (n, 1))."""
    if dataset == "linear":
        return _data.generate_linear(LINEAR_N, seed=seed)
    if dataset == "xor":
        return _data.generate_xor_easy()
    raise ValueError(f"dataset: expected one of {', '.join(LAB_DATASETS)}, got {dataset!r}")


def build(config: RunConfig):
    """The untrained lab network of ``config``."""
    activation = _REPORT_ACTIVATIONS.get(config.activation, config.activation)
    output = config.output
    if output is None and config.activation in _REPORT_ACTIVATIONS:
        output = activation                  # the seed's sigmoid in the output unit too
    output = _REPORT_ACTIVATIONS.get(output, output)
    return lab_network(hidden_units=config.hidden_units, hidden_layers=config.hidden_layers,
                       activation=activation, seed=config.seed, init=config.init,
                       output=output, bias=config.bias)


def _train_run(config: RunConfig):
    """Train the network of ``config``; returns (network, X, y, RunResult)."""
    X, y = load_data(config.dataset, config.seed)
    net = build(config)
    diverged_at = None
    if config.update == "seed_order":
        history, diverged_at = _fit_seed_order(net, X, y, config)
    else:
        try:
            history = net.fit(X, y, epochs=config.epochs, lr=config.lr,
                              optimizer=config.optimizer, loss=config.loss,
                              batch_size=config.batch_size, seed=config.seed,
                              callback=_stop_at_100 if config.until_100 else None)
        except DivergenceError as exc:
            history = exc.history
            diverged_at = history.epochs + 1
    if diverged_at is None:
        final_loss, final_acc = net.evaluate(X, y, loss=config.loss)
    else:
        final_loss, final_acc = math.inf, math.nan
    result = RunResult(config=config, final_loss=float(final_loss),
                       final_accuracy=float(final_acc),
                       epochs_to_100=history.epochs_to(1.0), diverged_at=diverged_at,
                       loss=np.asarray(history.loss, dtype=np.float64),
                       accuracy=np.asarray(history.accuracy, dtype=np.float64),
                       params=[p.copy() for p in net.params])
    return net, X, y, result


def network(result: RunResult):
    """The trained network of ``result``, rebuilt from its config and stored parameters
    (no retraining)."""
    net = build(result.config)
    if len(result.params) != len(net.params):
        raise ValueError("result: it holds no trained parameters for this configuration")
    for p, stored in zip(net.params, result.params):
        p[...] = stored
    return net


def _stop_at_100(epoch: int, history: History) -> bool:
    return history.accuracy[-1] >= 1.0


def _fit_seed_order(net, X, y, config: RunConfig):
    """Train ``net`` with the original report's update order (``seed_order_step``), one
    full-batch step per epoch: (History, the epoch whose loss was NaN/inf or None)."""
    lr = DEFAULT_LR if config.lr is None else config.lr
    history, labels = History(), y > 0.5
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for epoch in range(1, config.epochs + 1):
            value, out = seed_order_step(net, X, y, lr, config.loss)
            if not math.isfinite(value):
                return history, epoch
            history.loss.append(value)
            history.accuracy.append(count_correct(out, labels, False) / labels.size)
            if config.until_100 and history.accuracy[-1] >= 1.0:
                break
    finite = all(np.isfinite(p).all() for p in net.params)
    return history, None if finite else history.epochs + 1


def _fit_stack_custom(stack, X, y, configs, lrs) -> StackHistory:
    """What ``NetworkStack.fit`` does, for the runs it cannot train: mini-batches
    (``batch_size``, each network shuffled by its own seed's generator, as ``Network.fit``
    does) or the original report's update order. Every network of the stack steps every
    epoch; one whose loss became NaN/inf stops being recorded (its parameters then mean
    nothing), one that reached 100 % with ``until_100`` keeps the parameters it had then."""
    c0, size = configs[0], len(configs)
    epoch, targets = _epoch_function(stack, X, y, configs, lrs), y.shape[-2] * y.shape[-1]
    loss = np.full((c0.epochs, size), np.nan)
    accuracy = np.full((c0.epochs, size), np.nan)
    epochs_run = np.zeros(size, dtype=np.int64)
    diverged_at = np.zeros(size, dtype=np.int64)
    stopped = np.zeros(size, dtype=bool)
    active = np.ones(size, dtype=bool)
    final = [p.copy() for p in stack.params]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for e in range(c0.epochs):
            value, correct = epoch()
            bad = active & ~np.isfinite(value)
            diverged_at[bad] = e + 1
            active &= ~bad
            loss[e, active] = value[active]
            accuracy[e, active] = correct[active] / targets
            epochs_run[active] = e + 1
            if c0.until_100:
                done = active & (accuracy[e] >= 1.0)
                for f, p in zip(final, stack.params):
                    f[done] = p[done]
                stopped |= done
                active &= ~done
            if not active.any():
                break
    for f, p in zip(final, stack.params):
        f[~stopped] = p[~stopped]
        p[...] = f
    blown = active & ~np.all([np.isfinite(p.reshape(size, -1)).all(axis=1)
                              for p in stack.params], axis=0)
    diverged_at[blown] = epochs_run[blown] + 1
    n = max(int(epochs_run.max()), 1)
    return StackHistory(loss=loss[:n], accuracy=accuracy[:n], epochs_run=epochs_run,
                        diverged_at=diverged_at, stopped_early=stopped)


def _epoch_function(stack, X, y, configs, lrs):
    """A function that trains every network of ``stack`` for one epoch the way ``configs``
    say and returns ((S,) losses, (S,) correct answers), both measured during the epoch."""
    c0, lrs = configs[0], np.asarray(lrs, dtype=np.float64)
    if c0.update == "seed_order":
        labels = y > 0.5

        def epoch():
            value, out = seed_order_step(stack, X, y, lrs, c0.loss)
            return value, count_correct(out, labels, False, axis=(-2, -1))
        return epoch
    loss_fn = _losses.for_network(c0.loss, y, stack.output_range)
    opt = _optim.make(c0.optimizer or "sgd", 1.0)
    opt.lr = lrs
    rngs = [np.random.default_rng(c.seed) for c in configs]
    return lambda: _minibatch_epoch(stack, X, y, loss_fn, opt, rngs, c0.batch_size)


def _minibatch_epoch(stack, X, y, loss_fn, opt, rngs, batch_size):
    """One epoch of mini-batch SGD for every network of a stack, each in its own shuffled
    order (``Network._batches``' rule): ((S,) epoch losses, (S,) correct answers)."""
    n = X.shape[-2]
    if batch_size >= n:                          # one full batch, no shuffling
        batches = [None]
    else:
        order = np.stack([rng.permutation(n) for rng in rngs])
        batches = [order[:, start:start + batch_size] for start in range(0, n, batch_size)]
    rows = np.arange(len(rngs))[:, np.newaxis]
    total, correct = np.zeros(len(rngs)), np.zeros(len(rngs), dtype=np.int64)
    for idx in batches:
        if idx is None:
            Xb, yb = X, y
        else:
            Xb = X[idx] if X.ndim == 2 else X[rows, idx]
            yb = y[idx] if y.ndim == 2 else y[rows, idx]
        out = stack.forward(Xb)
        value, dout = loss_fn(out, yb, stacked=True)
        correct += count_correct(out, yb > 0.5, False, axis=(-2, -1))
        stack._update(dout, None, opt)       # no dL/dX: nobody uses it in training
        if idx is None:
            return value, correct
        total += value * idx.shape[1]
    return total / n, correct


def run(config: RunConfig) -> RunResult:
    """Train once and return what was measured (deterministic in ``config``)."""
    return _train_run(config)[3]


_WORKER_ENV = {
    # One BLAS thread per worker: the matrices are tiny and the workers already fill the cores.
    "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    # glibc returns freed blocks over 128 KiB to the system at once, so every NumPy temporary
    # of a large stack is page-faulted in again (about a quarter of a stack's time here).
    # Keeping them in the heap changes no result; other C libraries ignore these variables.
    "MALLOC_MMAP_THRESHOLD_": "1073741824", "MALLOC_TRIM_THRESHOLD_": "1073741824",
}


def default_workers() -> int:
    """Worker processes ``sweep`` uses by default: the CPU count, at most 4 (and 1 when the
    environment variable LABNN_WORKERS says so; it overrides the default)."""
    env = os.environ.get("LABNN_WORKERS")
    if env:
        return check_positive_int(int(env), "LABNN_WORKERS")
    return max(1, min(4, os.cpu_count() or 1))


def _stack_key(config: RunConfig) -> tuple:
    """Runs that differ only in seed and learning rate train together as one stack."""
    return tuple(getattr(config, f) for f in RunConfig.__dataclass_fields__
                 if f not in ("seed", "lr"))


def run_stack(configs: Sequence[RunConfig], nudge: int | None = None) -> list[RunResult]:
    """Train runs that share everything but seed and learning rate as one ``NetworkStack``;
    each result equals ``run(config)`` (tests check it). ``nudge`` sets the initial-weight
    nudge in ulps (``labnn.report.sensitivity``) for this call; None keeps the current one."""
    configs = list(configs)
    if not configs or len({_stack_key(c) for c in configs}) != 1:
        raise ValueError("configs: expected runs that differ only in seed and lr")
    c0 = configs[0]
    saved = _init.NUDGE_ULPS
    _init.NUDGE_ULPS = saved if nudge is None else int(nudge)
    try:
        stack = NetworkStack([build(c) for c in configs])
    finally:
        _init.NUDGE_ULPS = saved
    if c0.dataset == "xor":          # the same 21 points for every seed
        X, y = load_data(c0.dataset)
    else:                            # each seed draws its own data
        data = [load_data(c.dataset, c.seed) for c in configs]
        X, y = np.stack([d[0] for d in data]), np.stack([d[1] for d in data])
    default_lr = DEFAULT_LR if c0.optimizer is None else _optim.make(c0.optimizer).lr
    lrs = [default_lr if c.lr is None else c.lr for c in configs]
    if c0.batch_size is None and c0.update == "exact":
        history = stack.fit(X, y, epochs=c0.epochs, lr=lrs, optimizer=c0.optimizer,
                            loss=c0.loss, stop_at=1.0 if c0.until_100 else None)
    else:
        history = _fit_stack_custom(stack, X, y, configs, lrs)
    final_loss, final_acc = stack.evaluate(X, y, loss=c0.loss)
    reached = history.epochs_to(1.0)
    results = []
    for i, c in enumerate(configs):
        n = int(history.epochs_run[i])
        diverged = int(history.diverged_at[i]) or None
        results.append(RunResult(
            config=c,
            final_loss=math.inf if diverged else float(final_loss[i]),
            final_accuracy=math.nan if diverged else float(final_acc[i]),
            epochs_to_100=reached[i], diverged_at=diverged,
            loss=history.loss[:n, i].copy(), accuracy=history.accuracy[:n, i].copy(),
            params=[p[i].copy() for p in stack.params]))
    return results


def _chunks(indices: list, parts: int) -> list[list]:
    size = math.ceil(len(indices) / parts)
    return [indices[i:i + size] for i in range(0, len(indices), size)]


def sweep(configs: Iterable[RunConfig], workers: int | None = None,
          split: bool = True) -> list[RunResult]:
    """Run every config; results come back in config order. Runs that differ only in seed and
    learning rate train together as one stack of networks (``run_stack``); ``workers`` > 1
    splits each stack over that many fresh (spawned) processes; ``None`` uses
    ``default_workers()``. Neither the stacking nor the worker count changes a result: each
    equals ``run(config)``. The current initial-weight nudge (``labnn.report.sensitivity``) is
    passed on to the workers. ``split=False`` keeps each stack whole in one worker (for very
    long runs of small stacks, whose cost is the number of epochs, not the stack's size: two
    halves would cost nearly twice the whole). From a script (not a notebook), call it under
    ``if __name__ == "__main__":`` as multiprocessing requires."""
    configs = list(configs)
    for i, c in enumerate(configs):
        if not isinstance(c, RunConfig):
            raise ValueError(f"configs: item {i} is not a RunConfig, got {type(c).__name__}")
    workers = default_workers() if workers is None else check_positive_int(workers, "workers")
    split = check_bool(split, "split")
    groups: dict = {}
    for i, c in enumerate(configs):
        groups.setdefault(_stack_key(c), []).append(i)
    tasks = [chunk for idx in groups.values()
             for chunk in _chunks(idx, min(workers, len(idx)) if split else 1)]
    task_configs = [[configs[i] for i in chunk] for chunk in tasks]
    nudge = _init.NUDGE_ULPS
    if workers <= 1 or len(tasks) == 1:
        outputs = [run_stack(cs, nudge) for cs in task_configs]
    else:
        # Spawned children read these variables when they start, so set them around the pool.
        saved = {k: os.environ.get(k) for k in _WORKER_ENV}
        os.environ.update(_WORKER_ENV)
        try:
            with ProcessPoolExecutor(max_workers=min(workers, len(tasks)),
                                     mp_context=get_context("spawn")) as pool:
                outputs = list(pool.map(run_stack, task_configs, [nudge] * len(tasks)))
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    results: list = [None] * len(configs)
    for chunk, out in zip(tasks, outputs):
        for i, r in zip(chunk, out):
            results[i] = r
    return results


# --------------------------------------------------------------------------- the studies
def _grid(datasets, seeds, **varying) -> list[RunConfig]:
    """Configs for every data set, value and seed. ``seeds`` is one sequence for all data sets
    or a dict {dataset: seeds} (a costlier data set may get fewer seeds)."""
    ((name, values),) = varying.items() if varying else (("seed", [None]),)
    datasets = list(datasets)
    if not datasets:
        raise ValueError("datasets: expected at least one data set")
    per_set = seeds if isinstance(seeds, dict) else {ds: seeds for ds in datasets}
    configs = []
    for ds in datasets:
        if ds not in per_set or not list(per_set[ds]):
            raise ValueError(f"seeds: expected at least one seed for data set {ds!r}")
        for v in values:
            for s in per_set[ds]:
                kw = {} if v is None else {name: v}
                configs.append(RunConfig(dataset=ds, seed=s, **kw))
    return configs


def seed_study(seeds=range(10), datasets=LAB_DATASETS, workers=None, **config) -> list[RunResult]:
    """The documented default (or ``config`` overrides) on each data set over ``seeds``."""
    base = [replace(c, **config) for c in _grid(datasets, seeds)]
    return sweep(base, workers)


def learning_rate_study(lrs: Sequence[float], seeds=range(10), datasets=LAB_DATASETS,
                        workers=None, **config) -> list[RunResult]:
    """Plain SGD at each learning rate in ``lrs``, every seed, every data set."""
    lrs = [float(v) for v in lrs]
    if not lrs:
        raise ValueError("lrs: expected at least one learning rate")
    return sweep([replace(c, **config) for c in _grid(datasets, seeds, lr=lrs)], workers)


def hidden_units_study(hidden_units: Sequence[int], seeds=range(10), datasets=LAB_DATASETS,
                       workers=None, **config) -> list[RunResult]:
    """The lab network with each of ``hidden_units`` units per hidden layer."""
    hidden_units = [check_positive_int(u, "hidden_units") for u in hidden_units]
    if not hidden_units:
        raise ValueError("hidden_units: expected at least one hidden-layer size")
    configs = _grid(datasets, seeds, hidden_units=hidden_units)
    return sweep([replace(c, **config) for c in configs], workers)


def activation_study(activations: Sequence[str], seeds=range(10), datasets=LAB_DATASETS,
                     workers=None, **config) -> list[RunResult]:
    """The lab network with each activation in its hidden layers (``linear``: no activation
    at all, the output unit included)."""
    activations = list(activations)
    if not activations:
        raise ValueError("activations: expected at least one activation name")
    configs = _grid(datasets, seeds, activation=activations)
    return sweep([replace(c, **config) for c in configs], workers)


def optimizer_study(optimizers: dict, seeds=range(10), datasets=LAB_DATASETS, workers=None,
                    **config) -> list[RunResult]:
    """Each optimizer at its learning rate: ``optimizers`` maps a name (sgd, momentum,
    adagrad, rmsprop, adam) to a learning rate."""
    if not isinstance(optimizers, dict) or not optimizers:
        raise ValueError("optimizers: expected a non-empty dict name -> learning rate")
    configs = [replace(c, optimizer=name, lr=lr, **config)
               for name, lr in optimizers.items() for c in _grid(datasets, seeds)]
    configs.sort(key=lambda c: list(datasets).index(c.dataset))  # data set, then optimizer
    return sweep(configs, workers)


# --------------------------------------------------------------------------- summaries
def group(results: Iterable[RunResult], by: str | Sequence[str]) -> dict:
    """Results grouped by config fields, in first-seen order: {key: [RunResult, ...]}; a key is
    one value, or a tuple of values when ``by`` names several fields."""
    names = (by,) if isinstance(by, str) else tuple(by)
    fields = RunConfig.__dataclass_fields__
    for n in names:
        if n not in fields:
            raise ValueError(f"by: expected RunConfig field names ({', '.join(fields)}), "
                             f"got {n!r}")
    out: dict = {}
    for r in results:
        values = tuple(getattr(r.config, n) for n in names)
        out.setdefault(values[0] if len(names) == 1 else values, []).append(r)
    return out


def wilson_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % (z = 1.96) Wilson score interval for a rate of ``k`` successes in ``n`` runs."""
    if n <= 0:
        raise ValueError(f"n: expected a positive number of runs, got {n}")
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def _quartiles(values) -> tuple[float, float]:
    """First and third quartile, each an observed value (no interpolation, so an inf loss
    stays inf instead of making inf - inf)."""
    q1, q3 = np.quantile(values, (0.25, 0.75), method="nearest")
    return float(q1), float(q3)


def summarize(results: Iterable[RunResult], by: str | Sequence[str] = ("dataset",)) -> list:
    """One row (a dict) per group: the group's key fields, ``runs``, ``solved`` (runs ending at
    100 %) with ``solved_ci`` (its 95 % Wilson interval as a rate), ``mean_acc`` and ``min_acc``
    (over runs that did not diverge; NaN if all did), ``median_loss`` (final loss; inf counts
    as the largest) with ``loss_iqr`` (its quartiles), ``reached`` (runs that hit 100 % at some
    epoch), ``median_epochs`` (median epoch of first reaching 100 %, over the runs that
    reached it; None if none did) with ``epochs_iqr``, ``diverged`` (runs whose loss became
    NaN/inf), ``loss_ratio`` (median of final over first-epoch loss: near 1 means it stalled)
    and ``rising`` (median fraction of epochs in which the loss went up: well above 0 means
    it oscillates)."""
    names = (by,) if isinstance(by, str) else tuple(by)
    rows = []
    for key, rs in group(results, names).items():
        keys = key if len(names) > 1 else (key,)
        accs = [r.final_accuracy for r in rs if r.diverged_at is None]
        reached = [r.epochs_to_100 for r in rs if r.epochs_to_100 is not None]
        losses = [r.final_loss for r in rs]
        solved = sum(r.solved for r in rs)
        row = dict(zip(names, keys))
        row.update(
            runs=len(rs),
            solved=solved,
            solved_ci=wilson_interval(solved, len(rs)),
            mean_acc=float(np.mean(accs)) if accs else math.nan,
            min_acc=float(np.min(accs)) if accs else math.nan,
            median_loss=float(np.median(losses)),
            loss_iqr=_quartiles(losses),
            reached=len(reached),
            median_epochs=float(np.median(reached)) if reached else None,
            epochs_iqr=_quartiles(reached) if reached else None,
            diverged=sum(r.diverged_at is not None for r in rs),
            loss_ratio=float(np.median([loss_ratio(r) for r in rs])),
            rising=float(np.median([oscillation(r) for r in rs])),
        )
        rows.append(row)
    return rows


def format_value(name, value) -> str:
    """A summary field or RunConfig field as the report prints it, at fixed precision."""
    if value is None:
        return {"median_epochs": "never", "epochs_iqr": "never",
                "batch_size": "full"}.get(name, "default")
    if isinstance(value, str):
        return value
    if name == "bias":
        return "yes" if value else "no"
    if name in ("mean_acc", "min_acc", "max_acc"):
        return "-" if math.isnan(value) else f"{value:.2%}"
    if name == "solved_ci":
        return f"{value[0]:.0%}-{value[1]:.0%}"
    if name == "median_loss":
        return "inf" if math.isinf(value) else f"{value:.3g}"
    if name == "loss_iqr":
        return "-".join("inf" if math.isinf(v) else f"{v:.2g}" for v in value)
    if name == "median_epochs":
        return f"{value:.0f}"
    if name == "epochs_iqr":
        return f"{value[0]:.0f}-{value[1]:.0f}"
    if name == "rising":
        return f"{value:.1%}"
    if name == "loss_ratio":
        return "inf" if math.isinf(value) else f"{value:.2g}"
    if name == "lr" and isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


TABLE_COLUMNS = ("runs", "solved", "mean_acc", "min_acc", "median_loss", "reached",
                 "median_epochs", "diverged")
"""The columns ``format_table`` shows by default (after the grouping fields); ``solved_ci``,
``loss_iqr``, ``epochs_iqr``, ``loss_ratio`` and ``rising`` are also available."""

HEADERS = {"median_epochs": "epochs_to_100", "reached": "reached_100", "solved_ci": "95% CI",
           "epochs_iqr": "IQR", "loss_iqr": "IQR"}

APPROX = "~"
"""Marks a printed value that floating-point rounding can change (see ``format_table``)."""


def format_table(rows: list, columns: Sequence[str] | None = None, approx=()) -> str:
    """A fixed-width text table of ``summarize`` rows at fixed precision.

    ``approx`` lists the groups (a row's key value, or tuple of key values) whose runs depend on
    floating-point rounding (``labnn.report.sensitivity``): their result values are printed with a
    leading ``~``, and the column widths never depend on them, so the rest of the table reads
    the same on every machine (the notebooks' sanitize rule folds each ``~value``).
    """
    if not rows:
        raise ValueError("rows: expected at least one row")
    keys = [k for k in rows[0] if k in RunConfig.__dataclass_fields__]
    if columns is None:
        columns = keys + list(TABLE_COLUMNS)
    approx = {a if isinstance(a, tuple) else (a,) for a in approx}
    cells, marked = [[HEADERS.get(c, c) for c in columns]], [[False] * len(columns)]
    for row in rows:
        mark = tuple(row[k] for k in keys) in approx
        cells.append([(APPROX if mark and c not in keys and c != "runs" else "")
                      + format_value(c, row[c]) for c in columns])
        marked.append([v.startswith(APPROX) for v in cells[-1]])
    widths = [max(len(r[i]) for r, m in zip(cells, marked) if not m[i])
              for i in range(len(columns))]
    lines = ["  ".join(v.rjust(w) for v, w in zip(r, widths)) for r in cells]
    return "\n".join(line.rstrip() for line in lines)


def curves(results: Iterable[RunResult], metric: str = "loss") -> np.ndarray:
    """(runs, epochs) array of a per-epoch ``metric`` ("loss" or "accuracy"), NaN-padded after
    a divergence so every row has the longest length."""
    if metric not in ("loss", "accuracy"):
        raise ValueError(f"metric: expected 'loss' or 'accuracy', got {metric!r}")
    rs = list(results)
    if not rs:
        raise ValueError("results: expected at least one result")
    n = max(len(getattr(r, metric)) for r in rs)
    out = np.full((len(rs), n), np.nan)
    for i, r in enumerate(rs):
        v = getattr(r, metric)
        out[i, :len(v)] = v
    return out


def oscillation(result: RunResult, last: int | None = None) -> float:
    """Fraction of epochs (all, or the last ``last``) in which the loss went UP: 0 for plain
    descent, large for a run that oscillates."""
    tail = result.loss if last is None else result.loss[-(check_positive_int(last, "last") + 1):]
    if len(tail) < 2:
        return 0.0
    return float(np.mean(np.diff(tail) > 0))


def loss_ratio(result: RunResult) -> float:
    """Final loss over the first epoch's loss (inf if the run diverged): about 1 for a run that
    stalled, tiny for one that learned."""
    if result.diverged_at is not None or not len(result.loss):
        return math.inf
    return float(result.final_loss / result.loss[0])


def pick_lr(results: Iterable[RunResult], slack: float = 0.1) -> dict:
    """For each optimizer in ``results``, its learning rate: among the rates whose share of
    runs that reached 100 % is within ``slack`` of the best rate's share, the one with the
    fewest median epochs to get there (None if no rate reached 100 % at all): {optimizer: lr}.
    The slack keeps the choice from hanging on one knife-edge run."""
    slack = float(slack)
    if not 0.0 <= slack <= 1.0:
        raise ValueError(f"slack: expected a share in [0, 1], got {slack}")
    stats: dict = {}
    for (opt, lr), rs in group(results, ("optimizer", "lr")).items():
        reached = [r.epochs_to_100 for r in rs if r.epochs_to_100 is not None]
        share = len(reached) / len(rs)
        stats.setdefault(opt, []).append((share, float(np.median(reached)) if reached else None,
                                          lr))
    chosen = {}
    for opt, rows in stats.items():
        best = max(share for share, _, _ in rows)
        fits = [(med, lr) for share, med, lr in rows if best > 0 and share >= best - slack]
        chosen[opt] = min(fits)[1] if fits else None
    return chosen


__all__ = [
    "APPROX", "LAB_DATASETS", "RunConfig", "RunResult", "activation_study", "build", "curves",
    "default_workers", "format_table", "group", "hidden_units_study", "learning_rate_study",
    "load_data", "loss_ratio", "network", "optimizer_study", "oscillation", "pick_lr", "run",
    "run_stack", "seed_study", "summarize", "sweep", "wilson_interval",
]
