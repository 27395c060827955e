"""Many small networks trained as one: a stack of S networks of the same architecture.

    nets = [lab_network(seed=s) for s in range(100)]
    stack = NetworkStack(nets)                 # W (100, D, H), b (100, 1, H) in every layer
    history = stack.fit(X, y, epochs=5000, lr=1.0)
    history.final_accuracy                     # (100,): one per network
    stack.network(3)                           # network 3, trained, as a plain Network

Why: the lab's networks are so small (2-4-4-1 on 21 points) that a training step costs Python
and NumPy call overhead, not arithmetic. Stacking the parameters of S networks along a new first
axis makes one forward, one loss, one backward and one optimizer step do the work of all S.

This module holds the stacked forms of what one network does (``StackedDense``, the losses per
network in ``STACKED_LOSSES``): the same arithmetic, network by network, as ``labnn.layers.Dense``
and ``labnn.losses``, so network i of a stack trains exactly as it would alone with
``Network.fit``, bit for bit, which ``tests/test_stack.py`` checks for every activation, loss,
optimizer, mini-batches and the penalties. Only here do speed idioms appear: gradients written
into the arrays they had, ``x.mT`` for a transpose over the stack axis, no dL/dX for the first
layer. Every parameter is 3-D (a bias is (S, 1, H)), so one learning rate per network, an
(S, 1, 1) array, scales every update (``labnn.optim`` takes any array as ``lr``).

Each network may have its own learning rate (``lr`` an (S,) sequence) and its own data
(``X`` (S, N, D), ``y`` (S, N, K)); shared data is (N, D) and (N, K). A network whose loss becomes
NaN or inf leaves the stack (its ``diverged_at`` is set, its parameters stay as they were before
that step) and the others go on; with ``stop_at`` a network leaves once its accuracy reaches it.
Nothing warns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from . import losses as _losses
from . import optim as _optim
from ._checks import (
    check_array,
    check_float_in,
    check_int_in,
    check_positive_float,
    check_positive_int,
    check_seed,
)
from .layers import Activation, Dense, Sequential
from .metrics import check_labels, classes
from .network import DEFAULT_EPOCHS, History, Network


class StackedDense:
    """S ``Dense`` layers of one shape as one: W (S, D, H), b (S, 1, H); x (N, D) shared by
    every network or (S, N, D) one per network; z and a (S, N, H). Network i's numbers are
    those of its own Dense layer, bit for bit: per network the same matrix products and the
    same sums."""

    def __init__(self, layers: Sequence[Dense]):
        first = layers[0]
        self.activation, self.bias = first.activation, first.bias
        self.W = np.stack([layer.W for layer in layers])
        self.dW = np.zeros_like(self.W)
        self.b = np.stack([layer.b for layer in layers])[:, np.newaxis] if self.bias else None
        self.db = np.zeros_like(self.b) if self.bias else None
        self.cache = None
        """What forward keeps for backward: x, z and a, as ``Dense`` keeps them."""

    @property
    def params(self) -> list:
        return [self.W, self.b] if self.bias else [self.W]

    @property
    def grads(self) -> list:
        return [self.dW, self.db] if self.bias else [self.dW]

    def forward(self, x):
        z = x @ self.W
        if self.bias:
            z += self.b
        a = self.activation.value(z)
        self.cache = (x, z, a)
        return a

    def backward(self, da, need_dx: bool = True):
        """``Dense.backward`` for every network; the gradients go into the arrays ``grads``
        holds. ``need_dx=False`` skips dL/dx (the first layer's, which training never uses)."""
        x, z, a = self.cache
        dz = da * self.activation.derivative(z, a)
        np.matmul(x.mT, dz, out=self.dW)
        if self.bias:
            np.sum(dz, axis=-2, keepdims=True, out=self.db)
        return dz @ self.W.mT if need_dx else None

    def keep(self, rows) -> None:
        """Only the networks ``rows`` (a boolean mask over the stack) stay."""
        self.W, self.dW = self.W[rows], self.dW[rows]
        if self.bias:
            self.b, self.db = self.b[rows], self.db[rows]


# ---------------------------------------------------------------------------- losses
def _mse(y_hat, y):
    diff = y_hat - y
    size = diff[0].size
    return (diff * diff).sum(axis=(1, 2)) / size, diff * (2.0 / size)


def _bce(y_hat, y):
    eps = _losses.clip_eps(y_hat.dtype)
    p = np.clip(y_hat, eps, 1.0 - eps)
    size = p[0].size
    total = (y * np.log(p) + (1.0 - y) * np.log(1.0 - p)).sum(axis=(1, 2))
    return -total / size, (p - y) / (p * (1.0 - p) * size)


def _softmax_ce(z, y):
    shifted = z - z.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    s = e.sum(axis=-1, keepdims=True)
    log_p = shifted - np.log(s)
    n = z.shape[-2]
    terms = y * log_p
    if not np.isfinite(log_p).all():               # 0 * log 0 = 0, as in labnn.losses
        terms = np.where(y == 0, 0.0, terms)
    return -terms.sum(axis=(1, 2)) / n, (e / s * y.sum(axis=-1, keepdims=True) - y) / n


STACKED_LOSSES = {"mse": _mse, "bce": _bce, "softmax_ce": _softmax_ce}
"""The losses of ``labnn.losses`` per network of a stack: ``y_hat`` (S, N, K) and ``y``
(S, N, K) or (N, K) give an (S,) loss and the (S, N, K) gradient, network i's exactly what the
unchecked function gives for network i alone."""


# ---------------------------------------------------------------------------- history
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

    @classmethod
    def empty(cls, size: int) -> StackHistory:
        """A history of ``size`` networks and no epoch yet (``record`` adds rows as the epochs
        come, so a long fit that stops early never holds more than it ran)."""
        return cls(np.full((0, size), np.nan), np.full((0, size), np.nan),
                   np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64),
                   np.zeros(size, dtype=bool))

    def record(self, epoch: int, rows, loss, accuracy, bad) -> None:
        """Epoch ``epoch``'s loss and accuracy of the networks ``rows`` (positions in the
        stack), but of those whose loss became NaN or inf (``bad``): they diverged there."""
        if epoch > len(self.loss):                 # twice the rows (NaN), or the few needed
            more = np.full((max(epoch, 2 * len(self.loss)) - len(self.loss), self.size), np.nan)
            self.loss = np.concatenate([self.loss, more])
            self.accuracy = np.concatenate([self.accuracy, more])
        self.diverged_at[rows[bad]] = epoch
        good = rows[~bad]
        self.loss[epoch - 1, good] = loss[~bad]
        self.accuracy[epoch - 1, good] = accuracy[~bad]
        self.epochs_run[good] = epoch

    def trimmed(self) -> StackHistory:
        """Without the epochs that no network reached."""
        n = max(int(self.epochs_run.max()), 1)
        self.loss, self.accuracy = self.loss[:n], self.accuracy[:n]
        return self

    @property
    def size(self) -> int:
        return self.loss.shape[1]

    def history(self, i: int) -> History:
        """Network i's History, exactly what ``Network.fit`` would have returned."""
        i = check_int_in(i, "i", 0, self.size - 1)
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


# ---------------------------------------------------------------------------- the stack
class NetworkStack(Sequential):
    """S networks of one architecture (Dense and Activation layers), trained in lockstep.

    Args:
        networks: the networks, all with the same input shape, dtype and layers (types, sizes
            and the same activation functions); their parameters are copied, the networks stay
            untouched. At least one layer must be Dense (the stack's axis is its parameters').
    """

    def __init__(self, networks: Sequence[Network]):
        networks = list(networks) if not isinstance(networks, Network) else [networks]
        if not networks or not all(isinstance(n, Network) for n in networks):
            raise ValueError("networks: expected a non-empty list of labnn Networks")
        first = networks[0]
        if not first.layers:
            raise ValueError("networks: they have no layers yet; call add_layer first")
        for layer in first.layers:
            if not isinstance(layer, (Dense, Activation)):
                raise ValueError(f"networks: a stack holds Dense and Activation layers only, "
                                 f"got {type(layer).__name__}")
        if not any(isinstance(layer, Dense) for layer in first.layers):
            raise ValueError("networks: a stack needs at least one Dense layer (it stacks their "
                             "parameters); these have none")
        for i, net in enumerate(networks):
            if (net.input_shape != first.input_shape or net.dtype != first.dtype
                    or len(net.layers) != len(first.layers)
                    or not all(map(_same_kind, net.layers, first.layers))):
                raise ValueError(f"networks: network {i} differs from network 0 in input shape, "
                                 f"dtype or layers (their types, sizes or activation "
                                 f"functions); a stack needs one architecture")
        self.template = first
        self.seeds = [net.seed for net in networks]
        self.layers = [StackedDense([net.layers[j] for net in networks])
                       if isinstance(layer, Dense) else Activation(layer.activation)
                       for j, layer in enumerate(first.layers)]

    @property
    def size(self) -> int:
        return self.params[0].shape[0]

    def forward(self, X) -> np.ndarray:
        """(S, N, out) outputs for X (N, D) shared or (S, N, D) per network. ``params`` are
        [W1, b1, W2, b2, ...], each with a leading stack axis: W (S, D, H), b (S, 1, H). A
        network whose output overflows gives NaN or inf in its rows (nothing warns)."""
        X = self._check_X(X)
        with np.errstate(all="ignore"):
            return self._forward(X)

    def backward(self, dout) -> np.ndarray:
        """Back-propagate dL/d(output) (S, N, out) of the last ``forward``; fills ``grads``,
        returns dL/dX (NaN or inf where a network's gradients overflow; nothing warns)."""
        last = self.layers[-1].cache
        if last is None:
            raise ValueError("dout: backward called before forward")
        dout = check_array(dout, "dout", dtype=self.template.dtype)
        if dout.shape != last[-1].shape:
            raise ValueError(f"dout: expected the shape of the last forward output "
                             f"{last[-1].shape}, got {dout.shape}")
        with np.errstate(all="ignore"):
            return self._backward(dout)

    def network(self, i: int) -> Network:
        """Network i of the stack as a plain ``Network`` (a copy of its current parameters,
        with the same activation functions)."""
        i = check_int_in(i, "i", 0, self.size - 1)
        t = self.template
        net = Network(t.input_shape if len(t.input_shape) > 1 else t.input_shape[0],
                      seed=self.seeds[i], dtype=t.dtype, init=t.init)
        for layer in t.layers:
            net.add(Dense(layer.units, layer.activation, layer.init, layer.bias)
                    if isinstance(layer, Dense) else Activation(layer.activation))
        for p, stacked in zip(net.params, self.params):
            p[...] = stacked[i].reshape(p.shape)
        return net

    # ------------------------------------------------------------------ data
    def _check_X(self, X, copy=False):
        S, shape = self.size, self.template.input_shape
        X = check_array(X, "X", dtype=self.template.dtype, copy=copy)
        if X.shape[-len(shape):] != shape or X.ndim not in (len(shape) + 1, len(shape) + 2) \
                or (X.ndim == len(shape) + 2 and X.shape[0] != S):
            raise ValueError(f"X: expected shape (N, {', '.join(map(str, shape))}) shared by all "
                             f"networks or ({S}, N, ...) one set per network, got {X.shape}")
        return X

    def _check_data(self, X, y, copy=False):
        S, shape = self.size, self.template.input_shape
        X = self._check_X(X, copy)
        n = X.shape[-len(shape) - 1]
        y = check_array(y, "y", dtype=self.template.dtype, copy=copy)
        out = self.template.out_features
        out = out if isinstance(out, tuple) else (out,)
        if y.shape not in ((n, *out), (S, n, *out)):
            raise ValueError(f"y: expected shape ({n}, {', '.join(map(str, out))}) or "
                             f"({S}, {n}, ...) (one row per sample of X), got {y.shape}")
        return X, y

    def _make_optimizer(self, optimizer, lr) -> _optim.Optimizer:
        """The optimizer named ``optimizer`` with one learning rate per network, (S, 1, 1):
        ``lr`` one for all, or S of them (each as ``Network.fit`` takes one); None is the
        optimizer's default."""
        if optimizer is not None and not isinstance(optimizer, str):
            raise ValueError(f"optimizer: expected None or a name ({', '.join(_optim.NAMES)})"
                             f", got {type(optimizer).__name__}")
        opt = _optim.make(optimizer)
        lr = opt.lr if lr is None else lr
        if isinstance(lr, (str, bytes)) or not isinstance(lr, (Sequence, np.ndarray)):
            lr = [check_positive_float(lr, "lr")] * self.size
        elif np.ndim(lr) != 1 or len(lr) != self.size:
            raise ValueError(f"lr: expected a positive finite number or {self.size} of them "
                             f"(one per network), got {np.shape(lr)}")
        rates = [check_positive_float(v, f"lr[{k}]") for k, v in enumerate(lr)]
        opt.lr = np.array(rates, dtype=np.float64).reshape(-1, 1, 1)
        return opt

    def _shuffling(self, seed, batch_size, n) -> list | None:
        """One shuffling generator per network (``Network.fit``'s ``seed``), or None when
        every epoch is one full batch."""
        seeds = list(seed) if isinstance(seed, (list, tuple, np.ndarray)) else [seed] * self.size
        if len(seeds) != self.size:
            raise ValueError(f"seed: expected None, one seed or {self.size} of them (one per "
                             f"network), got {len(seeds)}")
        seeds = [check_seed(s) for s in seeds]
        if batch_size is None or batch_size >= n:
            return None
        return [np.random.default_rng(s) for s in seeds]

    # ------------------------------------------------------------------ training
    def fit(self, X, y, epochs: int = DEFAULT_EPOCHS, lr=None, optimizer: str | None = None,
            loss: str = "mse", batch_size: int | None = None, seed=None,
            stop_at: float | None = None, regularization=None, reg_rate: float = 0.0,
            update: Callable | None = None) -> StackHistory:
        """Train every network of the stack with back-propagation, each as ``Network.fit``
        would.

        Args:
            X, y: shared data (N, D), (N, K) or one set per network (S, N, D), (S, N, K).
            epochs: full passes over the data.
            lr: one learning rate, or an (S,) sequence, one per network; None is the
                optimizer's default (``optim.DEFAULT_LR`` for plain SGD).
            optimizer: None (plain SGD) or a name (sgd, momentum, adagrad, rmsprop, adam).
            loss: "mse", "bce" or "softmax_ce".
            batch_size, seed: mini-batches as in ``Network.fit``, reshuffled every epoch by
                each network's generator: ``seed`` is one seed for every network, or S seeds.
            stop_at: a network leaves once its accuracy reaches this value (after that
                epoch's update, as ``fit``'s callback would stop it); None trains all epochs.
            regularization, reg_rate: None, "l1" or "l2" and its rate, as in ``Network.fit``
                (on the weights, not the biases; the history's loss is the data loss alone).
            update: how the parameters change from dL/dy_hat: None is gradient descent (the
                backward pass, the penalty, one optimizer step); else ``update(stack, dout,
                optimizer)`` after the forward pass, such as the original report's
                (``labnn.lab.original.original_update``).

        Returns a StackHistory; the trained parameters are in ``params`` / ``network(i)``.
        """
        X, y = self._check_data(X, y, copy=True)
        name = _losses.check(loss, y, self.output_range)
        epochs = check_positive_int(epochs, "epochs")
        if batch_size is not None:
            batch_size = check_positive_int(batch_size, "batch_size")
        if stop_at is not None:
            stop_at = check_float_in(stop_at, "stop_at", 0.0, 1.0)
        penalty = _losses.penalty(regularization, reg_rate)
        if update is not None and (not callable(update) or penalty is not None):
            raise ValueError(f"update: expected None (gradient descent, which adds any penalty) "
                             f"or a function update(stack, dout, optimizer) without a penalty, "
                             f"got {update!r}")
        opt = self._make_optimizer(optimizer, lr)
        data = _Data(self, X, y, self._shuffling(seed, batch_size, X.shape[-2]), batch_size)
        history = StackHistory.empty(self.size)
        final = [p.copy() for p in self.params]         # each network's, when it leaves
        rows = np.arange(self.size)                        # the networks still training
        with self._training(), np.errstate(all="ignore"):
            for epoch in range(1, epochs + 1):
                loss, accuracy, bad = self._train_epoch(
                    data, STACKED_LOSSES[name], opt, penalty, update, final, rows)
                history.record(epoch, rows, loss, accuracy, bad)
                done = ~bad & (accuracy >= stop_at if stop_at is not None else False)
                history.stopped_early[rows[done]] = True
                self._save(final, rows, done)          # after this epoch's update
                keep = ~(bad | done)
                if not keep.all():
                    rows = rows[keep]
                    if not rows.size:
                        break
                    self._keep(keep, opt, data)
            self._finish(final, rows, history, X, y, STACKED_LOSSES[name])
        return history.trimmed()

    def _train_epoch(self, data, loss_fn, opt, penalty, update, final, rows):
        """One pass over the data for every network still training: ((S,) losses, (S,)
        accuracies, (S,) mask of those whose loss became NaN or inf). Such a network's
        parameters are saved in ``final`` before the step that would change them; it steps on
        with the others until the epoch ends (nothing it computes is kept)."""
        bad = np.zeros(len(rows), dtype=bool)
        batches = data.batches()
        total, correct = 0.0, 0
        for X, y, labels in batches:
            y_hat = self._forward(X)
            loss, dout = loss_fn(y_hat, y)
            new = ~bad & ~np.isfinite(loss)
            if new.any():
                self._save(final, rows, new)
                bad |= new
            if update is None:
                self._descend(dout, opt, penalty)
            else:
                update(self, dout, opt)
            correct = correct + (classes(y_hat) == labels).reshape(len(rows), -1).sum(axis=1)
            if len(batches) == 1:                     # full batch: the epoch's loss is the step's
                return loss, correct / data.targets, bad
            total = total + loss * y.shape[-2]
        return total / data.n, correct / data.targets, bad

    def _descend(self, dout, optimizer, penalty) -> None:
        """Gradient descent from dL/d(output): back-propagate (the first layer's dL/dX, which
        nobody uses, is not computed), add the penalty's gradient (if any), one step."""
        *later, first = self.layers[::-1]
        for layer in later:
            dout = layer.backward(dout)
        if isinstance(first, StackedDense):
            first.backward(dout, need_dx=False)
        else:
            first.backward(dout)
        if penalty is not None:
            penalty.add_gradient(self.weights, self.weight_grads)
        optimizer.step(self.params, self.grads, check=False)

    def _save(self, final, rows, mask) -> None:
        """Keep the current parameters of the networks ``mask`` (over ``rows``) in ``final``."""
        if mask.any():
            for f, p in zip(final, self.params):
                f[rows[mask]] = p[mask]

    def _keep(self, keep, opt, data) -> None:
        """Only the networks ``keep`` (a boolean mask) train on: their parameters, optimizer
        state, learning rates and (when each has its own) data and generators."""
        for layer in self.layers:
            if isinstance(layer, StackedDense):
                layer.keep(keep)
        if opt.state is not None:
            opt.state = [{k: v[keep] if isinstance(v, np.ndarray) else v for k, v in st.items()}
                         for st in opt.state]
        opt.lr = opt.lr[keep]
        data.keep(keep)

    def _finish(self, final, rows, history, X, y, loss_fn) -> None:
        """Every network's parameters back in the stack: the ones still training as they are
        now. One whose last update made a parameter, or the loss at the parameters it left,
        NaN or inf diverged at the epoch after its last, where ``Network.fit`` raises."""
        self._save(final, rows, np.ones(rows.size, dtype=bool))
        it = iter(final)
        for layer in self.layers:
            if isinstance(layer, StackedDense):
                layer.W = next(it)
                layer.dW = np.zeros_like(layer.W)
                if layer.bias:
                    layer.b = next(it)
                    layer.db = np.zeros_like(layer.b)
        blown = ~np.isfinite(loss_fn(self._forward(X), y)[0])
        for p in self.params:
            blown |= ~np.isfinite(p.reshape(len(p), -1)).all(axis=1)
        gone = np.flatnonzero(blown & (history.diverged_at == 0))
        history.diverged_at[gone] = history.epochs_run[gone] + 1

    def evaluate(self, X, y, loss: str = "mse") -> tuple[np.ndarray, np.ndarray]:
        """(loss (S,), accuracy (S,)) of every network on X, y (shared or per network): class
        labels, as ``Network.evaluate`` takes them. A network whose output or loss overflows
        gets a loss of NaN or inf (nothing warns)."""
        X, y = self._check_data(X, y)
        loss_fn = STACKED_LOSSES[_losses.check(loss, y, self.output_range)]
        check_labels(y)
        with np.errstate(all="ignore"):
            y_hat = self._forward(X)
            value = loss_fn(y_hat, y)[0]
        labels = classes(y)
        correct = (classes(y_hat) == labels).reshape(self.size, -1).sum(axis=1)
        return np.asarray(value, dtype=np.float64), correct / _per_network(labels, y)

    def __repr__(self) -> str:
        layers = ", ".join(self.template.layers[j].describe() for j in range(len(self.layers)))
        return f"NetworkStack(size={self.size}, layers=[{layers}])"


def _same_kind(a, b) -> bool:
    """Two layers a stack can hold as one: the same type and sizes, and the same activation
    function (the object itself: two functions may share a name)."""
    if type(a) is not type(b) or a.activation is not b.activation:
        return False
    return not isinstance(a, Dense) or (a.W.shape, a.bias) == (b.W.shape, b.bias)


def _per_network(labels, y) -> int:
    """How many answers one network gives for targets y: its count of ``classes(y)``."""
    return labels[0].size if y.ndim == 3 else labels.size


class _Data:
    """The training data of a stack's fit, for the networks still training: X, y and their
    classes, shared or one set per network, and the epoch's batches (mini-batches drawn by
    each network's own generator, as ``Network.fit`` draws them)."""

    def __init__(self, stack, X, y, rngs, batch_size):
        self.X, self.y, self.labels = X, y, classes(y)
        self.own_X = X.ndim == len(stack.template.input_shape) + 2
        self.own_y = y.ndim == 3
        self.n = X.shape[-len(stack.template.input_shape) - 1]
        self.targets = _per_network(self.labels, y)
        self.rngs, self.batch_size = rngs, batch_size

    def batches(self) -> list:
        """The epoch's (X, y, classes) batches: the whole data, or each network's shuffled
        mini-batches, (S, batch, ...)."""
        if self.rngs is None:
            return [(self.X, self.y, self.labels)]
        order = np.stack([rng.permutation(self.n) for rng in self.rngs])
        rows = np.arange(len(order))[:, np.newaxis]
        return [tuple(a[rows, idx] if own else a[idx] for a, own in
                      ((self.X, self.own_X), (self.y, self.own_y), (self.labels, self.own_y)))
                for idx in (order[:, i:i + self.batch_size]
                            for i in range(0, self.n, self.batch_size))]

    def keep(self, keep) -> None:
        if self.own_X:
            self.X = self.X[keep]
        if self.own_y:
            self.y, self.labels = self.y[keep], self.labels[keep]
        if self.rngs is not None:
            self.rngs = [rng for rng, k in zip(self.rngs, keep) if k]


__all__ = ["NetworkStack", "STACKED_LOSSES", "StackHistory", "StackedDense"]
