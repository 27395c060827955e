"""Many small networks trained as one: a stack of S networks of the same architecture.

    nets = [lab_network(seed=s) for s in range(100)]
    stack = NetworkStack(nets)                 # W (100, D, H), b (100, H) in every layer
    history = stack.fit(X, y, epochs=5000, lr=1.0)
    history.final_accuracy                     # (100,): one per network
    stack.network(3)                           # network 3, trained, as a plain Network

Why: the lab's networks are so small (2-4-4-1 on 21 points) that a training step costs Python
and NumPy call overhead, not arithmetic. Stacking the parameters of S networks along a new first
axis makes one forward, one loss, one backward and one optimizer step do the work of all S.

There is no second copy of the back-propagation maths here. Every layer's own ``forward`` and
``backward`` (``labnn.layers.Dense``), every loss (``labnn.losses``) and every optimizer rule
(``labnn.optim``) run unchanged on arrays with the leading stack axis. Network i of a stack
trains exactly as it would alone with ``Network.fit`` (full batch): bit for bit where NumPy does
the same arithmetic, which ``tests/test_stack.py`` checks for every activation, loss and
optimizer.

Each network may have its own learning rate (``lr`` an (S,) sequence) and its own data
(``X`` (S, N, D), ``y`` (S, N, K)); shared data is (N, D) and (N, K). A network whose loss becomes
NaN or inf leaves the stack (its ``diverged_at`` is set, its parameters stay as they were at that
epoch) and the others go on; with ``stop_at`` a network leaves once its accuracy reaches it.
Nothing warns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import losses as _losses
from . import optim as _optim
from ._checks import check_array, check_float_in, check_positive_int
from .layers import Activation, Dense, Sequential
from .metrics import class_labels, count_correct
from .network import DEFAULT_EPOCHS, DEFAULT_LR, History, Network


@dataclass
class StackHistory:
    """Per-epoch ``loss`` and ``accuracy`` of every network of a stack: (epochs, S) arrays,
    NaN after a network left. ``epochs_run[i]`` is how many epochs network i trained (the
    length of its ``History``), ``diverged_at[i]`` the epoch whose loss was NaN/inf (0: never),
    ``stopped_early[i]`` whether it left at ``stop_at``."""

    loss: np.ndarray
    accuracy: np.ndarray
    epochs_run: np.ndarray
    diverged_at: np.ndarray
    stopped_early: np.ndarray

    @property
    def size(self) -> int:
        return self.loss.shape[1]

    def history(self, i: int) -> History:
        """Network i's History, exactly what ``Network.fit`` would have returned."""
        n = int(self.epochs_run[i])
        return History(loss=self.loss[:n, i].tolist(), accuracy=self.accuracy[:n, i].tolist(),
                       stopped_early=bool(self.stopped_early[i]))

    def _last(self, values: np.ndarray) -> np.ndarray:
        idx = np.maximum(self.epochs_run - 1, 0)
        last = values[idx, np.arange(self.size)]
        return np.where(self.epochs_run > 0, last, np.nan)

    @property
    def final_loss(self) -> np.ndarray:
        """(S,): each network's loss in its last epoch (NaN if it diverged at once)."""
        return self._last(self.loss)

    @property
    def final_accuracy(self) -> np.ndarray:
        return self._last(self.accuracy)

    def epochs_to(self, accuracy: float = 1.0) -> list:
        """Per network, the first epoch (1-based) whose accuracy reached ``accuracy``, or None."""
        reached = self.accuracy >= accuracy                     # NaN compares False
        first = reached.argmax(axis=0) + 1
        return [int(f) if r else None for f, r in zip(first, reached.any(axis=0))]


class _Ledger:
    """What ``NetworkStack.fit`` records per network while the stack shrinks: the curves, the
    epochs each network ran, where it diverged or stopped, and its parameters when it left.
    ``active`` maps the rows still training to their positions in the stack."""

    def __init__(self, params, epochs: int, targets: int):
        size = params[0].shape[0]
        self.loss = np.full((epochs, size), np.nan)
        self.accuracy = np.full((epochs, size), np.nan)
        self.epochs_run = np.zeros(size, dtype=np.int64)
        self.diverged_at = np.zeros(size, dtype=np.int64)
        self.stopped = np.zeros(size, dtype=bool)
        self.final = [p.copy() for p in params]
        self.active = np.arange(size)
        self.targets = targets

    def record(self, epoch: int, loss, correct):
        """Store the epoch's loss and accuracy of the active networks; returns the mask of those
        whose loss is NaN or inf (their epoch is not recorded, as in ``fit``)."""
        bad = ~np.isfinite(loss)
        good = self.active[~bad]
        self.loss[epoch, good] = loss[~bad]
        self.accuracy[epoch, good] = correct[~bad] / self.targets
        self.epochs_run[good] = epoch + 1
        return bad

    def reached(self, epoch: int, stop_at):
        if stop_at is None:
            return np.zeros(self.active.size, dtype=bool)
        return self.accuracy[epoch, self.active] >= stop_at

    def leave(self, mask, params, diverged_at: int = 0, stopped: bool = False) -> None:
        """Networks ``mask`` (over the active rows) leave with their current parameters; the
        stack drops them (``keep``) after this epoch's update."""
        if not mask.any():
            return
        gone = self.active[mask]
        self.diverged_at[gone] = diverged_at
        self.stopped[gone] = stopped
        for f, p in zip(self.final, params):
            f[gone] = p[mask]

    def keep(self, mask) -> None:
        self.active = self.active[mask]

    def finish(self, params) -> list:
        """Every network's parameters: the active ones as they are now. One whose last update
        made a parameter NaN or inf diverged at the epoch after its last, where ``fit`` raises."""
        if self.active.size:
            bad = np.zeros(self.active.size, dtype=bool)
            for f, p in zip(self.final, params):
                f[self.active] = p
                bad |= ~np.isfinite(p.reshape(len(p), -1)).all(axis=1)
            gone = self.active[bad]
            self.diverged_at[gone] = self.epochs_run[gone] + 1
        return self.final

    def history(self) -> StackHistory:
        n = max(int(self.epochs_run.max()), 1)
        return StackHistory(loss=self.loss[:n], accuracy=self.accuracy[:n],
                            epochs_run=self.epochs_run, diverged_at=self.diverged_at,
                            stopped_early=self.stopped)


class NetworkStack(Sequential):
    """S networks of one architecture (Dense and Activation layers), trained in lockstep.

    Args:
        networks: the networks, all with the same input shape, dtype and layers (types,
            activations and sizes); their parameters are copied, the networks stay untouched.
    """

    def __init__(self, networks: Sequence[Network]):
        networks = list(networks) if not isinstance(networks, Network) else [networks]
        if not networks or not all(isinstance(n, Network) for n in networks):
            raise ValueError("networks: expected a non-empty list of labnn Networks")
        first = networks[0]
        if not first.layers:
            raise ValueError("networks: they have no layers yet; call add_layer first")
        for i, net in enumerate(networks):
            if (net.input_shape != first.input_shape or net.dtype != first.dtype
                    or [layer.describe() for layer in net.layers]
                    != [layer.describe() for layer in first.layers]):
                raise ValueError(f"networks: network {i} differs from network 0 in input shape, "
                                 f"dtype or layers; a stack needs one architecture")
        self.template = first
        self.seeds = [net.seed for net in networks]
        self.layers = []
        for j, layer in enumerate(first.layers):
            if isinstance(layer, Dense):
                stacked = Dense(layer.units, layer.activation, layer.init, layer.bias)
                stacked.in_features = layer.in_features
                stacked.set_params(*(np.stack([net.layers[j].params[k] for net in networks])
                                     for k in range(len(layer.params))))
            elif isinstance(layer, Activation):
                stacked = Activation(layer.activation)
            else:
                raise ValueError(f"networks: a stack holds Dense and Activation layers only, "
                                 f"got {type(layer).__name__}")
            self.layers.append(stacked)

    @property
    def size(self) -> int:
        return self.layers[0].params[0].shape[0] if self.params else 0

    def forward(self, X) -> np.ndarray:
        """(S, N, out) outputs for X (N, D) shared or (S, N, D) per network. ``params`` are
        [W1, b1, W2, b2, ...], each with a leading stack axis: W (S, D, H), b (S, H)."""
        return self._forward(X)

    def backward(self, dout) -> np.ndarray:
        """Back-propagate dL/d(output) (S, N, out); fills ``grads``, returns dL/dX."""
        return self._backward(dout)

    def network(self, i: int) -> Network:
        """Network i of the stack as a plain ``Network`` (a copy of its current parameters)."""
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or not 0 <= i < self.size:
            raise ValueError(f"i: expected an index in [0, {self.size}), got {i!r}")
        t = self.template
        net = Network(t.input_shape if len(t.input_shape) > 1 else t.input_shape[0],
                      seed=self.seeds[i], dtype=t.dtype, init=t.init)
        for layer in t.layers:
            net.add(type(layer).from_config(layer.config()))
        for p, stacked in zip(net.params, self.params):
            p[...] = stacked[i]
        return net

    # ------------------------------------------------------------------ data
    def _check_data(self, X, y):
        S, shape = self.size, self.template.input_shape
        X = check_array(X, "X", dtype=self.template.dtype)
        if X.shape[-len(shape):] != shape or X.ndim not in (len(shape) + 1, len(shape) + 2) \
                or (X.ndim == len(shape) + 2 and X.shape[0] != S):
            raise ValueError(f"X: expected shape (N, {', '.join(map(str, shape))}) shared by all "
                             f"networks or ({S}, N, ...) one set per network, got {X.shape}")
        n = X.shape[-len(shape) - 1]
        y = check_array(y, "y", dtype=self.template.dtype)
        out = self.template.out_features
        out = out if isinstance(out, tuple) else (out,)
        if y.shape not in ((n, *out), (S, n, *out)):
            raise ValueError(f"y: expected shape ({n}, {', '.join(map(str, out))}) or "
                             f"({S}, {n}, ...) (one row per sample of X), got {y.shape}")
        return X, y

    def _check_lr(self, lr, optimizer):
        if lr is None:
            lr = DEFAULT_LR if optimizer is None else _optim.make(optimizer).lr
        if isinstance(lr, (int, float, np.floating)) and not isinstance(lr, bool):
            lr = [lr] * self.size
        try:
            lr = None if isinstance(lr, str) else np.array(lr, dtype=np.float64)
        except (TypeError, ValueError):     # ["fast"], [1.0, None], ragged lists
            lr = None
        if lr is None or lr.shape != (self.size,) or not (np.isfinite(lr) & (lr > 0)).all():
            raise ValueError(f"lr: expected a positive finite number or {self.size} of them "
                             f"(one per network)")
        return lr

    # ------------------------------------------------------------------ training
    def fit(self, X, y, epochs: int = DEFAULT_EPOCHS, lr=None, optimizer: str | None = None,
            loss: str = "mse", stop_at: float | None = None, regularization=None,
            reg_rate: float = 0.0) -> StackHistory:
        """Train every network of the stack with full-batch back-propagation.

        Args:
            X, y: shared data (N, D), (N, K) or one set per network (S, N, D), (S, N, K).
            epochs: full passes over the data.
            lr: one learning rate, or an (S,) sequence, one per network; None is the
                optimizer's default (1.0 for plain SGD).
            optimizer: None (plain SGD) or a name (sgd, momentum, adagrad, rmsprop, adam).
            loss: "mse", "bce" or "softmax_ce".
            stop_at: a network leaves once its accuracy reaches this value (after that
                epoch's update, as ``fit``'s callback would stop it); None trains all epochs.
            regularization, reg_rate: None, "l1" or "l2" and its rate, as in ``Network.fit``
                (on the weights, not the biases; the history's loss is the data loss alone).

        Returns a StackHistory; the trained parameters are in ``params`` / ``network(i)``.
        """
        X, y = self._check_data(X, y)
        epochs = check_positive_int(epochs, "epochs")
        if stop_at is not None:
            stop_at = check_float_in(stop_at, "stop_at", 0.0, 1.0)
        loss_fn = _losses.for_network(loss, y, self.output_range)
        penalty = _losses.penalty(regularization, reg_rate)
        opt = self._make_optimizer(optimizer, lr)
        multi = y.shape[-1] > 1
        labels = class_labels(y, multi)
        per_net = (X.ndim == len(self.template.input_shape) + 2, y.ndim == 3)
        per_network = labels.shape[-1] if multi else labels.shape[-2] * labels.shape[-1]
        ledger = _Ledger(self.params, epochs, targets=per_network)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            for epoch in range(epochs):
                out = self._forward(X)
                ep_loss, dout = loss_fn(out, y, stacked=True)
                correct = count_correct(out, labels, multi, axis=-1 if multi else (-2, -1))
                bad = ledger.record(epoch, ep_loss, correct)
                ledger.leave(bad, self.params, diverged_at=epoch + 1)   # before its update,
                self._update(dout, penalty, opt)                       # as fit would raise
                done = ~bad & ledger.reached(epoch, stop_at)
                ledger.leave(done, self.params, stopped=True)
                keep = ~(bad | done)
                if keep.all():
                    continue
                ledger.keep(keep)
                if not keep.any():
                    break
                X, y, labels = self._keep(keep, opt, per_net, X, y, labels)
        self._set_all(ledger.finish(self.params))
        return ledger.history()

    def _update(self, dout, penalty, opt) -> None:
        """One update of every network from dL/d(output): back-propagate, add the penalty's
        gradient (if any) to the weights', step."""
        self._backward(dout, need_dx=False)
        if penalty is not None:
            penalty.add_gradient(self.weights, self.weight_grads)
        opt.step(self.params, self.grads, check=False)

    def _keep(self, keep, opt, per_net, X, y, labels):
        """Only the networks ``keep`` (boolean mask) train on: their parameters, optimizer
        state and (when each has its own) data."""
        self._select(keep)
        opt.select(keep)
        X = X[keep] if per_net[0] else X
        return (X, y[keep], labels[keep]) if per_net[1] else (X, y, labels)

    def _make_optimizer(self, optimizer, lr) -> _optim.Optimizer:
        if optimizer is not None and not isinstance(optimizer, str):
            raise ValueError(f"optimizer: expected None or a name ({', '.join(_optim.NAMES)})"
                             f", got {type(optimizer).__name__}")
        opt = _optim.make(optimizer or "sgd", 1.0)
        opt.lr = self._check_lr(lr, optimizer)
        return opt

    def _select(self, keep) -> None:
        """Keep only the networks ``keep`` (boolean mask) in every layer."""
        self._set_all([p[keep] for p in self.params])

    def _set_all(self, arrays) -> None:
        it = iter(arrays)
        for layer in self.layers:
            if layer.params:
                layer.set_params(*[next(it) for _ in layer.params])

    def evaluate(self, X, y, loss: str = "mse") -> tuple[np.ndarray, np.ndarray]:
        """(loss (S,), accuracy (S,)) of every network on X, y (shared or per network)."""
        X, y = self._check_data(X, y)
        loss_fn = _losses.for_network(loss, y, self.output_range)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            out = self.forward(X)
            value = loss_fn(out, y, stacked=True)[0]
        multi = y.shape[-1] > 1
        labels = class_labels(y, multi)
        per_network = labels.shape[-1] if multi else labels.shape[-2] * labels.shape[-1]
        correct = count_correct(out, labels, multi, axis=-1 if multi else (-2, -1))
        return np.asarray(value, dtype=np.float64), correct / per_network

    def __repr__(self) -> str:
        layers = ", ".join(layer.describe() for layer in self.layers)
        return f"NetworkStack(size={self.size}, layers=[{layers}])"


__all__ = ["NetworkStack", "StackHistory"]
