"""The network: a stack of layers, trained by hand-written back-propagation.

    net = Network(2, seed=0).add_layer(4, "sigmoid").add_layer(4, "sigmoid").add_layer(1, "sigmoid")
    history = net.fit(X, y, epochs=5000, lr=1.0)

One training step (``_train_step``, what ``fit`` does for every batch; ``fit(X, y, epochs=1)``
is one step on your own data) is: forward through every layer, the loss and dL/dy_hat,
backward through every layer (each fills its gradients, none changes a parameter), then ONE
optimizer step over all parameters. Updating a layer's W before propagating the gradient through
it (as the original report did) is not gradient descent; ``labnn.lab.original`` reproduces that
mistake. Networks are written to and read from files by ``labnn.saving``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import init as _init
from . import losses as _losses
from . import optim as _optim
from ._checks import (
    check_array,
    check_bool,
    check_dtype,
    check_file,
    check_nonneg_int,
    check_positive_float,
    check_positive_int,
    check_seed,
    check_size,
)
from .layers import Dense, Layer, Sequential
from .metrics import accuracy, check_labels, classes

DEFAULT_EPOCHS = 5000
"""The lab setup used across the report: 5000 full-batch epochs of SGD at lr 1.0."""


class DivergenceError(FloatingPointError):
    """Training produced a NaN or infinite loss. ``history`` holds the epochs before it."""

    def __init__(self, message: str, history: History):
        super().__init__(message)
        self.history = history


@dataclass
class History:
    """Per-epoch ``loss`` and ``accuracy`` of a fit, measured on the forward passes made during
    each epoch (before that epoch's updates; for full batch, exactly the loss at the start of
    the step)."""

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    stopped_early: bool = False

    @property
    def epochs(self) -> int:
        return len(self.loss)

    @property
    def final_loss(self) -> float:
        return self.loss[-1] if self.loss else math.nan

    @property
    def final_accuracy(self) -> float:
        return self.accuracy[-1] if self.accuracy else math.nan

    def epochs_to(self, accuracy: float = 1.0) -> int | None:
        """First epoch (1-based) whose accuracy reached ``accuracy``, or None if never."""
        for i, a in enumerate(self.accuracy):
            if a >= accuracy:
                return i + 1
        return None

    def extend(self, other: History) -> History:
        self.loss.extend(other.loss)
        self.accuracy.extend(other.accuracy)
        self.stopped_early = other.stopped_early
        return self


class Network(Sequential):
    """A feed-forward network.

    Args:
        in_features: number of input features D (or a per-sample shape tuple such as
            (C, H, W) for convolutional nets).
        seed: seed of the network's own generator (initialisation); None for fresh entropy.
        dtype: float32 or float64; parameters, activations and gradients use it.
        init: default initialisation scheme for layers (see ``labnn.init``).

    A network is for one thread at a time. ``fit`` refuses to start while another fit of the
    same network runs (RuntimeError), and a layer cannot be added during a fit; other calls
    from another thread during a fit are not guarded. ``fit`` trains on its own copy of X
    and y.
    """

    def __init__(self, in_features, seed=None, dtype=np.float64, init: str = "default"):
        self.dtype = check_dtype(dtype)
        if isinstance(in_features, tuple):
            if not in_features:
                raise ValueError("in_features: expected a positive integer or a non-empty shape")
            shape = tuple(check_positive_int(d, "in_features") for d in in_features)
        else:
            shape = (check_positive_int(in_features, "in_features"),)
        self.input_shape = check_size(shape, self.dtype, "in_features", "one sample")
        self.in_features = shape[0] if len(shape) == 1 else shape
        self.seed = check_seed(seed)
        self.init = _init.check_scheme(init)
        self.rng = np.random.default_rng(self.seed)
        self.layers: list[Layer] = []
        self._out_shape = shape
        self._last_out_shape = None   # of the last forward pass, which backward must match

    # ------------------------------------------------------------------ building
    def add(self, layer: Layer) -> Network:
        """Append any layer (Dense, Activation, Conv2D, ...); returns the network."""
        if not isinstance(layer, Layer):
            raise ValueError(f"layer: expected a labnn Layer, got {type(layer).__name__}")
        if layer.in_network:
            raise ValueError("layer: this layer object is already in a network; adding it again "
                             "would share its weights or re-initialise them. Make a new one, "
                             "e.g. Dense(4, 'sigmoid'), for each place")
        self._check_not_training("adding a layer")
        if hasattr(layer, "param_shapes"):      # the size rule, before anything is drawn
            layer.param_shapes(self._out_shape, self.dtype)
        check_size(layer.output_shape(self._out_shape), self.dtype, "layer",
                   f"the output of {type(layer).__name__} for one sample")
        self._out_shape = tuple(layer.build(self._out_shape, self.rng, self.dtype, self.init))
        layer.in_network = True
        self.layers.append(layer)
        return self

    def add_layer(self, units: int, activation="sigmoid", init: str | None = None,
                  bias: bool = True) -> Network:
        """Append a dense transformation plus its activation (``bias=False``: no bias, only
        x @ W); returns the network."""
        return self.add(Dense(units, activation, init, bias))

    @property
    def out_features(self):
        s = self._out_shape
        return s[0] if len(s) == 1 else s

    @property
    def num_params(self) -> int:
        return sum(layer.num_params for layer in self.layers)

    # ------------------------------------------------------------------ passes
    def _check_X(self, X, name="X", copy=False):
        self._require_layers()
        X = check_array(X, name, dtype=self.dtype, copy=copy)
        if X.ndim != 1 + len(self.input_shape) or X.shape[1:] != self.input_shape:
            raise ValueError(f"{name}: expected shape (N, {', '.join(map(str, self.input_shape))})"
                             f", got {X.shape}")
        return X

    def _check_y(self, y, n, name="y", copy=False):
        y = check_array(y, name, dtype=self.dtype, copy=copy)
        expected = (n, *self._out_shape)
        if y.shape != expected:
            raise ValueError(f"{name}: expected shape {expected} (one row per sample of X), "
                             f"got {y.shape}")
        return y

    def _require_layers(self):
        if not self.layers:
            raise ValueError("network: it has no layers yet; call add_layer first")

    def _forward(self, X, outputs=None):
        out = super()._forward(X, outputs)
        self._last_out_shape = out.shape
        return out

    def _checked_forward(self, X, name="X", outputs=None):
        """The forward pass of a public call on validated inputs X: outputs that overflowed
        to NaN or inf (finite but extreme inputs, or huge weights) raise ValueError instead of
        being returned. The output is never X itself (a network of identities and reshapes
        would hand the caller's array back)."""
        with np.errstate(all="ignore"):
            out = self._forward(X, outputs)
        if not np.isfinite(out).all():
            weight = max((float(np.abs(p).max()) for p in self.params), default=0.0)
            raise ValueError(f"{name}: the network's output is NaN or inf for these inputs "
                             f"(largest |input| {np.abs(X).max():.3g}, largest |weight| "
                             f"{weight:.3g}): scale the inputs, or, if the weights are huge, "
                             f"retrain with a smaller learning rate")
        return out.copy() if np.may_share_memory(out, X) else out

    def _checked_loss(self, loss_fn, y_hat, y) -> float:
        """The loss of outputs y_hat against targets y for a public call: one too large for a
        float (huge outputs or targets) raises ValueError instead of being returned as inf."""
        with np.errstate(all="ignore"):
            value = float(loss_fn(y_hat, y)[0])
        if not math.isfinite(value):
            raise ValueError(f"y: the loss is {value} for these inputs and targets (largest "
                             f"|output| {np.abs(y_hat).max():.3g}, largest |target| "
                             f"{np.abs(y).max():.3g}): scale them")
        return value

    def _loss_fn(self, loss, y):
        """The unchecked loss function for targets y, once it is checked for this network (one
        path for fit, evaluate and loss): the targets suit the loss, and bce gets
        probabilities."""
        return _losses.get(_losses.check(loss, y, self.output_range))[1]

    def forward(self, X) -> np.ndarray:
        """Outputs (N, out) for inputs X (N, in_features); caches what backward needs."""
        return self._checked_forward(self._check_X(X))

    def backward(self, dout) -> np.ndarray:
        """Back-propagate dL/d(output) (N, out): fills ``grads`` and returns dL/dX (N, D).
        Never changes a parameter."""
        self._require_layers()
        dout = check_array(dout, "dout", dtype=self.dtype)
        if self._last_out_shape is None:
            raise ValueError("dout: backward called before forward")
        if dout.shape != self._last_out_shape:
            raise ValueError(f"dout: expected the shape of the last forward output "
                             f"{self._last_out_shape}, got {dout.shape}")
        with np.errstate(all="ignore"):
            dX = self._backward(dout)
        if not (np.isfinite(dX).all() and all(np.isfinite(g).all() for g in self.grads)):
            raise ValueError(f"dout: the gradients overflow to NaN or inf (largest |dout| "
                             f"{np.abs(dout).max():.3g}); scale dout")
        return dX

    def layer_outputs(self, X) -> list[np.ndarray]:
        """The output of every layer for inputs X, in order (the last is the network's output):
        for looking inside a network (what each layer or filter responds to)."""
        outputs = []
        self._checked_forward(self._check_X(X), outputs=outputs)
        return outputs

    def predict(self, X) -> np.ndarray:
        """Network outputs for X (probabilities with a sigmoid output)."""
        return self.forward(X)

    def predict_grid(self, lo, hi, resolution: int = 100):
        """(xx, yy, p) for a two-input network: a ``resolution`` x ``resolution`` grid from
        ``lo`` = (x1_min, x2_min) to ``hi`` = (x1_max, x2_max) and the first output on it;
        ``p[i, j]`` is the output at row i (x2, bottom to top) and column j (x1). The pure part
        of every decision-boundary view."""
        resolution = check_positive_int(resolution, "resolution")
        if self.input_shape != (2,):
            raise ValueError(f"network: predict_grid needs a two-input network, this one takes "
                             f"inputs of shape {self.input_shape}")
        check_size((resolution, resolution, 2), np.float64, "resolution", "the grid")
        lo = check_array(lo, "lo", ndim=1, dtype=np.float64)
        hi = check_array(hi, "hi", ndim=1, dtype=np.float64)
        if lo.shape != (2,) or hi.shape != (2,) or not (lo < hi).all():
            raise ValueError(f"lo, hi: expected two corners (x1, x2) with lo < hi in both "
                             f"coordinates, got lo={lo.tolist()}, hi={hi.tolist()}")
        with np.errstate(over="ignore"):
            span = hi - lo
        if not np.isfinite(span).all():
            raise ValueError(f"lo, hi: the grid's width hi - lo overflows a float (lo="
                             f"{lo.tolist()}, hi={hi.tolist()}); use a smaller region")
        xs = np.linspace(lo[0], hi[0], resolution)
        ys = np.linspace(lo[1], hi[1], resolution)
        xx, yy = np.meshgrid(xs, ys)
        grid = check_array(np.column_stack([xx.ravel(), yy.ravel()]), "lo, hi", dtype=self.dtype)
        p = self._checked_forward(grid, "lo, hi")[:, 0].reshape(xx.shape)
        return xx, yy, p

    def loss(self, X, y, loss: str = "mse") -> float:
        """The loss on X, y (any targets ``loss`` accepts, regression targets included)."""
        X = self._check_X(X)
        y = self._check_y(y, X.shape[0])
        loss_fn = self._loss_fn(loss, y)
        return self._checked_loss(loss_fn, self._checked_forward(X), y)

    # ------------------------------------------------------------------ training
    def fit(self, X, y, epochs: int = DEFAULT_EPOCHS, lr: float | None = None, optimizer=None,
            loss: str = "mse", batch_size: int | None = None, shuffle: bool = True,
            seed: int | None = None, log_every: int = 0,
            callback: Callable[[int, History], bool | None] | None = None,
            file=None, regularization=None, reg_rate: float = 0.0) -> History:
        """Train with back-propagation.

        Args:
            X: (N, in_features) inputs; y: (N, out) targets.
            epochs: number of full passes over the data.
            lr: learning rate; None is the optimizer's default (``optim.DEFAULT_LR`` = 1.0 for
                plain SGD). With an Optimizer instance it must be None.
            optimizer: None or "sgd" (plain SGD), another name (momentum, adagrad, rmsprop,
                adam) or a ``labnn.optim.Optimizer`` (whose state carries over between fits).
            loss: "mse", "bce" (a sigmoid output) or "softmax_ce" (logits, one-hot y).
            batch_size: None for full batch, else mini-batches of that size (the last one may be
                smaller), reshuffled every epoch when ``shuffle``.
            seed: seed of the shuffling generator (None: fresh entropy).
            log_every: k > 0 prints ``epoch 5000 loss : 0.16231`` every k epochs.
            callback: ``callback(epoch, history)`` after every epoch; return True to stop.
            file: where log lines go (default: stdout).
            regularization, reg_rate: None, "l1" or "l2" and its rate (``losses.penalty``), a
                penalty on the weights (not biases); ``history.loss`` is the data loss without it.

        Returns a History; raises DivergenceError if the loss becomes NaN or inf (also the loss
        after the last update, at the parameters the fit leaves).
        """
        X = self._check_X(X, copy=True)              # its own copies: nothing moves them now
        y = self._check_y(y, len(X), copy=True)
        loss_fn = self._loss_fn(loss, y)
        epochs = check_positive_int(epochs, "epochs")
        if batch_size is not None:
            batch_size = check_positive_int(batch_size, "batch_size")
        shuffle = check_bool(shuffle, "shuffle")
        log_every = check_nonneg_int(log_every, "log_every")
        if callback is not None and not callable(callback):
            raise ValueError(f"callback: expected a callable or None, got {callback!r}")
        file = check_file(file)
        opt = self._make_optimizer(optimizer, lr)
        opt.check(self.params, self.grads)
        penalty = _losses.penalty(regularization, reg_rate)
        rng, labels = np.random.default_rng(check_seed(seed)), classes(y)
        history, full = History(), [slice(None)]
        with self._training(), np.errstate(all="ignore"):   # divergence raises instead
            for epoch in range(1, epochs + 1):
                batches = full if batch_size is None else self._batches(len(X), batch_size,
                                                                          shuffle, rng)
                ep_loss, ep_acc = self._train_epoch(X, y, labels, loss_fn, opt, batches, penalty)
                if not math.isfinite(ep_loss):
                    self._diverged(history, epoch, ep_loss, opt, X)
                history.loss.append(ep_loss)
                history.accuracy.append(ep_acc)
                if log_every and epoch % log_every == 0:
                    print(f"epoch {epoch} loss : {ep_loss:.5f}", file=file)
                if callback is not None and _stop(callback(epoch, history)):
                    history.stopped_early = True
                    break
            return self._finished(history, opt, X, y, loss_fn)

    def _train_step(self, X, y, loss_fn, optimizer, penalty=None) -> tuple[float, np.ndarray]:
        """One step of back-propagation on a batch (``fit`` checks the arguments, then calls
        this for every batch): the forward pass, the loss and dL/dy_hat, the backward pass
        (every layer fills its gradients, none changes a parameter), then ONE optimizer update
        of all parameters. Returns (loss, y_hat), both from before the update (a NaN or inf
        loss returns at once). ``penalty`` (a ``losses.Penalty``) adds its gradient to the
        weights' before the update; the loss returned is the data loss alone."""
        y_hat = self._forward(X)
        loss, dout = loss_fn(y_hat, y)
        if math.isfinite(loss):
            self._backward(dout)
            if penalty is not None:
                penalty.add_gradient(self.weights, self.weight_grads)
            optimizer.step(self.params, self.grads, check=False)
        return loss, y_hat

    def _train_epoch(self, X, y, labels, loss_fn, opt, batches,
                     penalty=None) -> tuple[float, float]:
        """One pass over the data: (loss, accuracy) of the epoch, or a batch's non-finite loss."""
        if len(batches) == 1:                      # full batch: the epoch's loss is the step's
            loss, y_hat = self._train_step(X, y, loss_fn, opt, penalty)
            return loss, int(np.count_nonzero(classes(y_hat) == labels)) / labels.size
        total, correct = 0.0, 0
        for idx in batches:
            loss, y_hat = self._train_step(X[idx], y[idx], loss_fn, opt, penalty)
            if not math.isfinite(loss):
                return loss, math.nan
            total += loss * len(idx)
            correct += int(np.count_nonzero(classes(y_hat) == labels[idx]))
        return total / len(X), correct / labels.size

    @staticmethod
    def _batches(n: int, batch_size: int | None, shuffle: bool, rng) -> list:
        """The index sets of one epoch: the whole data (full batch), or mini-batches of
        ``batch_size`` in a fresh random order when ``shuffle``."""
        if batch_size is None or batch_size >= n:
            return [slice(None)]
        order = rng.permutation(n) if shuffle else np.arange(n)
        return [order[start:start + batch_size] for start in range(0, n, batch_size)]

    @staticmethod
    def _make_optimizer(optimizer, lr) -> _optim.Optimizer:
        if isinstance(optimizer, _optim.Optimizer):
            if lr is not None:
                raise ValueError("lr: give the learning rate to the optimizer instance, not to "
                                 "fit (got both)")
            return optimizer
        if optimizer is not None and not isinstance(optimizer, str):
            raise ValueError(f"optimizer: expected None, a name ({', '.join(_optim.NAMES)}) or "
                             f"an Optimizer, got {type(optimizer).__name__}")
        return _optim.make(optimizer, None if lr is None else check_positive_float(lr, "lr"))

    def _finished(self, history, opt, X, y, loss_fn) -> History:
        """The history of a finished fit; a last update that made a parameter NaN or inf, or
        the loss at the parameters it left NaN or inf, is a divergence too (the loss of the
        next epoch, which would show it, is never computed)."""
        what = None
        if not all(np.isfinite(p).all() for p in self.params):
            what = "a parameter"
        elif not math.isfinite(loss_fn(self._forward(X), y)[0]):
            what = "the loss"
        if what is not None:
            raise DivergenceError(
                f"training diverged: the update of epoch {history.epochs} made {what} NaN "
                f"or inf ({type(opt).__name__}, lr={opt.lr:g}); try a smaller learning rate",
                history)
        return history

    def _diverged(self, history, epoch, value, opt, X):
        cause = (f"; at epoch 1, with inputs up to {np.abs(X).max():.3g} and weights up to "
                 f"{max(np.abs(p).max() for p in self.params):.3g}, it may be the inputs that "
                 f"are too large" if epoch == 1 else "")
        raise DivergenceError(
            f"training diverged: the loss became {value} at epoch {epoch} "
            f"({type(opt).__name__}, lr={opt.lr:g}); try a smaller learning rate{cause}",
            history)

    # ------------------------------------------------------------------ evaluation
    def evaluate(self, X, y, loss: str = "mse") -> tuple[float, float]:
        """(loss, accuracy) on X, y: class labels (0/1, or one-hot rows for several outputs);
        for regression targets, where accuracy means nothing, use ``loss``."""
        X = self._check_X(X)
        y = self._check_y(y, X.shape[0])
        loss_fn = self._loss_fn(loss, y)
        check_labels(y)
        y_hat = self._checked_forward(X)
        return self._checked_loss(loss_fn, y_hat, y), accuracy(y, y_hat)

    # ------------------------------------------------------------------ display
    def save(self, path) -> None:
        """Write this network (architecture, parameters, seed and generator state) to ``path``,
        an .npz file, never half-written. The file format is ``labnn.saving``'s; it is loaded
        here, when a network is saved, not when the dense path is imported."""
        from .saving import save
        save(self, path)

    @classmethod
    def load(cls, path) -> Network:
        """The network that ``save`` wrote to ``path`` (``labnn.saving``: nothing in the file is
        trusted; every problem is a ValueError starting with ``path:``)."""
        from .saving import load
        return load(path, cls)

    def __repr__(self) -> str:
        lines = [f"Network(in_features={self.in_features}, dtype={self.dtype}, "
                 f"seed={self.seed}, init={self.init!r})"]
        for i, layer in enumerate(self.layers):
            shapes = "  ".join(f"{name} {p.shape}" for name, p in zip(("W", "b"), layer.params))
            lines.append(f"  ({i}) {layer.describe():<32} {shapes:<22} "
                         f"{layer.num_params:>6} params")
        lines.append(f"  total: {self.num_params} parameters")
        return "\n".join(lines)


def _stop(answer) -> bool:
    """Whether a fit's callback asked to stop: it returns True (stop), or False or None (go
    on); anything else is refused rather than read as truthy or falsy."""
    if answer is None or isinstance(answer, (bool, np.bool_)):
        return bool(answer)
    raise ValueError(f"callback: expected it to return None, True (stop) or False, got "
                     f"{type(answer).__name__} {answer!r:.80}")


__all__ = ["Network", "History", "DivergenceError", "DEFAULT_EPOCHS"]
