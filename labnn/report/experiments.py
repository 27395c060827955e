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
import numbers
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing import get_context

import numpy as np

from .. import data as _data
from .. import optim as _optim
from .._checks import check_bool, check_positive_float, check_positive_int
from ..init import check_scheme, get_nudge, nudged
from ..lab import lab_network
from ..lab.original import ORIGINAL_SIGMOID, original_update
from ..network import DEFAULT_EPOCHS
from ..stack import NetworkStack

LAB_DATASETS = ("linear", "xor")
"""The lab's two data sets."""

LINEAR_N = 100
"""Points in the lab's linear data set."""

UPDATES = ("exact", "original_order")
"""``RunConfig.update``: gradient descent, or the original report's update order."""

_REPORT_ACTIVATIONS = {"original_sigmoid": ORIGINAL_SIGMOID}
"""Activation names that only the report knows (the core's registry does not)."""


@dataclass(frozen=True)
class RunConfig:
    """One training run of the lab network (``labnn.lab_network``) on one lab data set.

    ``lr=None`` means the optimizer's default (``optim.DEFAULT_LR`` for plain SGD, the torch
    default for the others). ``optimizer=None`` is plain full-batch SGD. ``until_100=True``
    stops a run at its first epoch of 100 % accuracy (final loss and accuracy are then measured
    there).

    The fields after ``until_100`` vary what the other studies keep fixed; their defaults are
    the lab network trained as ``Network.fit`` trains it. ``activation`` may also be
    "original_sigmoid": the original report's sigmoid with its wrong derivative
    (``labnn.lab.original.ORIGINAL_SIGMOID``), in every layer, the output unit included.
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
    """"exact": gradient descent; "original_order": the original report's update, each layer's
    W changed before the gradient goes back through it (``labnn.lab.original``; plain SGD,
    full batch)."""

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
        if self.lr is not None:
            check_positive_float(self.lr, "lr")
        check_bool(self.bias, "bias")
        check_bool(self.until_100, "until_100")
        check_scheme(self.init)
        if self.batch_size is not None:
            check_positive_int(self.batch_size, "batch_size")
        if self.update not in UPDATES:
            raise ValueError(f"update: expected one of {', '.join(UPDATES)}, got {self.update!r}")
        if self.update == "original_order" and (self.optimizer is not None
                                                or self.batch_size is not None):
            raise ValueError("update: 'original_order' is plain full-batch SGD; expected "
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
        output = activation                  # the original sigmoid in the output unit too
    output = _REPORT_ACTIVATIONS.get(output, output)
    return lab_network(hidden_units=config.hidden_units, hidden_layers=config.hidden_layers,
                       activation=activation, seed=config.seed, init=config.init,
                       output=output, bias=config.bias)


def network(result: RunResult):
    """The trained network of ``result``, rebuilt from its config and stored parameters
    (no retraining)."""
    net = build(result.config)
    if len(result.params) != len(net.params):
        raise ValueError("result: it holds no trained parameters for this configuration")
    for p, stored in zip(net.params, result.params):
        p[...] = stored
    return net


def run(config: RunConfig) -> RunResult:
    """Train once and return what was measured (deterministic in ``config``)."""
    return run_stack([config])[0]


WORKER_ENV = {
    # One BLAS thread per worker: the matrices are tiny and the workers already fill the cores.
    "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    # glibc returns freed blocks over 128 KiB to the system at once, so every NumPy temporary
    # of a large stack is page-faulted in again (about a quarter of a stack's time here).
    # Keeping them in the heap changes no result; other C libraries ignore these variables.
    "MALLOC_MMAP_THRESHOLD_": "1073741824", "MALLOC_TRIM_THRESHOLD_": "1073741824",
}
"""The environment of a process that trains studies: ``sweep``'s worker processes get it,
and so do the notebook kernels of a parallel test run (tests/conftest.py). None of it changes
a result."""


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


def run_stack(configs: Sequence[RunConfig], nudge: int = 0) -> list[RunResult]:
    """Train runs that share everything but seed and learning rate as one ``NetworkStack``
    (``NetworkStack.fit``: each network exactly as ``Network.fit`` trains it alone), and
    measure each. ``nudge``: the initial weights move by that many more ulps
    (``labnn.init.nudged``; the sweep's worker processes get the nudge this way)."""
    configs = list(configs)
    if not configs or len({_stack_key(c) for c in configs}) != 1:
        raise ValueError("configs: expected runs that differ only in seed and lr")
    c0 = configs[0]
    with nudged(nudge):
        stack = NetworkStack([build(c) for c in configs])
    if c0.dataset == "xor":          # the same 21 points for every seed
        X, y = load_data(c0.dataset)
    else:                            # each seed draws its own data
        data = [load_data(c.dataset, c.seed) for c in configs]
        X, y = np.stack([d[0] for d in data]), np.stack([d[1] for d in data])
    history = stack.fit(
        X, y, epochs=c0.epochs, optimizer=c0.optimizer, loss=c0.loss,
        lr=[_optim.make(c.optimizer).lr if c.lr is None else c.lr for c in configs],
        batch_size=c0.batch_size, seed=[c.seed for c in configs],
        stop_at=1.0 if c0.until_100 else None,
        update=original_update if c0.update == "original_order" else None)
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
            params=[p[i].reshape(q.shape).copy() for p, q in
                    zip(stack.params, stack.template.params)]))
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
    if workers <= 1 or len(tasks) == 1:
        outputs = [run_stack(cs) for cs in task_configs]
    else:
        # Spawned children read these variables when they start, so set them around the pool.
        saved = {k: os.environ.get(k) for k in WORKER_ENV}
        os.environ.update(WORKER_ENV)
        try:
            with ProcessPoolExecutor(max_workers=min(workers, len(tasks)),
                                     mp_context=get_context("spawn")) as pool:
                outputs = list(pool.map(run_stack, task_configs, [get_nudge()] * len(tasks)))
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
    n = check_positive_int(n, "n")
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 0 <= k <= n:
        raise ValueError(f"k: expected a number of successes in [0, n = {n}], got {k!r}")
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
    """One value of a ``summarize`` row (or a config field) as a table prints it."""
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
    "default_workers", "format_table", "format_value", "group", "hidden_units_study",
    "learning_rate_study", "load_data", "loss_ratio", "network", "optimizer_study",
    "oscillation", "pick_lr", "run", "run_stack", "seed_study", "summarize", "sweep",
    "wilson_interval",
]
