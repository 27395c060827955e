"""Optimizers with the update rules and default hyper-parameters of the ``torch.optim`` classes
of the same name (``Momentum`` is ``torch.optim.SGD(momentum=0.9)``), except one: plain
``SGD`` takes ``DEFAULT_LR`` when no learning rate is given.

``opt.step(params, grads)`` updates every array in ``params`` in place from the matching array
in ``grads``. State (momentum buffers, running averages, step counts) is kept per parameter: it
belongs to the very arrays it was made for, so calling ``step`` with other parameters (another
network's, even of the same shapes) raises ValueError (use ``reset()`` or a new optimizer for a
new network). ``lr`` may be changed between steps
(the explorer does this live), and may be an array of learning rates: it multiplies each
update as NumPy broadcasts it.
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import check_bool, check_float_in, check_positive_float

DEFAULT_LR = 1.0
"""Plain SGD's learning rate when none is given (``SGD()``, ``make("sgd")``, ``Network.fit``):
the lab's rate for full-batch gradient descent (torch's SGD takes 1e-3, a mini-batch rate)."""


class Optimizer:
    name = "optimizer"

    def __init__(self, lr: float, weight_decay: float = 0.0):
        self.lr = lr
        self.weight_decay = check_float_in(weight_decay, "weight_decay", 0.0, math.inf)
        self.state: list[dict] | None = None
        """One dict per parameter (its step count and buffers), made at the first step."""
        self._params: list | None = None
        """The parameter arrays ``state`` belongs to."""

    @property
    def lr(self):
        return self._lr

    @lr.setter
    def lr(self, value) -> None:
        if isinstance(value, np.ndarray):
            if value.dtype.kind != "f" or not (np.isfinite(value) & (value > 0)).all():
                raise ValueError("lr: expected positive finite learning rates")
            self._lr = value
        else:
            self._lr = check_positive_float(value, "lr")

    def reset(self) -> None:
        """Forget all per-parameter state (step counts, buffers)."""
        self.state = self._params = None

    def check(self, params, grads) -> None:
        """Validate the lists (``fit`` calls this once, before its loop, and then steps with
        ``check=False``)."""
        if len(params) != len(grads):
            raise ValueError(f"grads: expected {len(params)} arrays (one per parameter), "
                             f"got {len(grads)}")
        for i, (p, g) in enumerate(zip(params, grads, strict=True)):
            if not isinstance(p, np.ndarray) or not isinstance(g, np.ndarray):
                raise ValueError(f"params/grads: item {i} is not a NumPy array")
            if p.dtype.kind != "f" or not p.flags.writeable:
                what = "read-only" if p.dtype.kind == "f" else f"of dtype {p.dtype}"
                raise ValueError(f"params: item {i} is {what}; expected a writeable float array "
                                 f"(it is updated in place)")
            if g.dtype.kind != "f":
                raise ValueError(f"grads: item {i} has dtype {g.dtype}, expected floats")
            if p.shape != g.shape:
                raise ValueError(f"grads: item {i} has shape {g.shape}, expected {p.shape}")
            if isinstance(self.lr, np.ndarray) and not _fits(self.lr.shape, p.shape):
                raise ValueError(f"lr: learning rates of shape {np.shape(self.lr)} do not fit "
                                 f"parameter {i} of shape {p.shape}")
        if self.state is not None and (len(self.state) != len(params) or any(
                p is not q for p, q in zip(params, self._params))):
            raise ValueError("params: these are not the parameters this optimizer has state "
                             "for (another network's?); call reset() or make a new optimizer")

    def step(self, params, grads, *, check: bool = True) -> None:
        """One update of every parameter, in place. ``check=False`` skips validating the
        lists (for a caller that validated them once)."""
        if check:
            self.check(params, grads)
        if self.state is None:
            self.state = [{"step": 0} for _ in params]
            self._params = list(params)
        lr, wd = self.lr, self.weight_decay
        for p, g, st in zip(params, grads, self.state):
            st["step"] += 1
            if wd:
                g = g + wd * p
            self._update(p, g, st, lr)

    def _update(self, p, g, st, lr) -> None:  # pragma: no cover - abstract
        """The update rule: change ``p`` in place from its gradient ``g``, its state ``st`` and
        the learning rate ``lr``."""
        raise NotImplementedError

    def __repr__(self) -> str:
        hp = ", ".join(f"{k}={v}" for k, v in self.hyperparameters().items())
        return f"{type(self).__name__}({hp})"

    def hyperparameters(self) -> dict:
        return {"lr": self.lr, "weight_decay": self.weight_decay}


def _fits(shape: tuple, into: tuple) -> bool:
    """Whether an array of ``shape`` broadcasts into one of shape ``into`` (and not wider)."""
    try:
        return np.broadcast_shapes(shape, into) == into
    except ValueError:
        return False


class SGD(Optimizer):
    """torch.optim.SGD: p -= lr * g, or with momentum mu and dampening d
    buf = g (first step) then buf = mu * buf + (1 - d) g; g' = g + mu buf (nesterov) or buf."""

    name = "sgd"

    def __init__(self, lr: float = DEFAULT_LR, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False):
        super().__init__(lr, weight_decay)
        self.momentum = check_float_in(momentum, "momentum", 0.0, math.inf)
        self.dampening = check_float_in(dampening, "dampening", 0.0, 1.0)
        nesterov = check_bool(nesterov, "nesterov")
        if nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError("nesterov: expected momentum > 0 and dampening = 0 with nesterov")
        self.nesterov = nesterov

    def _update(self, p, g, st, lr) -> None:
        if self.momentum:
            buf = st.get("momentum_buffer")
            if buf is None:
                buf = st["momentum_buffer"] = g.copy()
            else:
                buf *= self.momentum
                buf += (1.0 - self.dampening) * g
            g = g + self.momentum * buf if self.nesterov else buf
        p -= lr * g

    def hyperparameters(self) -> dict:
        return {"lr": self.lr, "momentum": self.momentum, "dampening": self.dampening,
                "weight_decay": self.weight_decay, "nesterov": self.nesterov}


class Momentum(SGD):
    """SGD with momentum 0.9 (torch.optim.SGD(lr, momentum=0.9))."""

    name = "momentum"

    def __init__(self, lr: float = 1e-3, momentum: float = 0.9, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False):
        momentum = check_float_in(momentum, "momentum", 0.0, math.inf, lo_open=True)
        super().__init__(lr, momentum, dampening, weight_decay, nesterov)


class Adagrad(Optimizer):
    """torch.optim.Adagrad: clr = lr / (1 + (t - 1) lr_decay); sum += g^2;
    p -= clr * g / (sqrt(sum) + eps)."""

    name = "adagrad"

    def __init__(self, lr: float = 1e-2, lr_decay: float = 0.0, weight_decay: float = 0.0,
                 initial_accumulator_value: float = 0.0, eps: float = 1e-10):
        super().__init__(lr, weight_decay)
        self.lr_decay = check_float_in(lr_decay, "lr_decay", 0.0, math.inf)
        self.initial_accumulator_value = check_float_in(
            initial_accumulator_value, "initial_accumulator_value", 0.0, math.inf)
        self.eps = check_float_in(eps, "eps", 0.0, math.inf, lo_open=True)

    def _update(self, p, g, st, lr) -> None:
        acc = st.get("sum")
        if acc is None:
            acc = st["sum"] = np.full_like(p, self.initial_accumulator_value)
        clr = lr / (1.0 + (st["step"] - 1) * self.lr_decay)
        acc += g * g
        p -= clr * g / (np.sqrt(acc) + self.eps)

    def hyperparameters(self) -> dict:
        return {"lr": self.lr, "lr_decay": self.lr_decay, "weight_decay": self.weight_decay,
                "initial_accumulator_value": self.initial_accumulator_value, "eps": self.eps}


class RMSprop(Optimizer):
    """torch.optim.RMSprop: v = alpha v + (1 - alpha) g^2; avg = sqrt(v) + eps (centered:
    sqrt(v - mean_g^2) + eps); p -= lr g / avg, or with momentum buf = mu buf + g / avg,
    p -= lr buf."""

    name = "rmsprop"

    def __init__(self, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False):
        super().__init__(lr, weight_decay)
        self.alpha = check_float_in(alpha, "alpha", 0.0, 1.0)
        self.eps = check_float_in(eps, "eps", 0.0, math.inf, lo_open=True)
        self.momentum = check_float_in(momentum, "momentum", 0.0, math.inf)
        self.centered = check_bool(centered, "centered")

    def _update(self, p, g, st, lr) -> None:
        if "square_avg" not in st:
            st["square_avg"] = np.zeros_like(p)
            if self.centered:
                st["grad_avg"] = np.zeros_like(p)
            if self.momentum > 0:
                st["momentum_buffer"] = np.zeros_like(p)
        a = self.alpha
        sq = st["square_avg"]
        sq *= a
        sq += (1.0 - a) * g * g
        if self.centered:
            ga = st["grad_avg"]
            ga *= a
            ga += (1.0 - a) * g
            avg = np.sqrt(sq - ga * ga) + self.eps
        else:
            avg = np.sqrt(sq) + self.eps
        if self.momentum > 0:
            buf = st["momentum_buffer"]
            buf *= self.momentum
            buf += g / avg
            p -= lr * buf
        else:
            p -= lr * g / avg

    def hyperparameters(self) -> dict:
        return {"lr": self.lr, "alpha": self.alpha, "eps": self.eps,
                "weight_decay": self.weight_decay, "momentum": self.momentum,
                "centered": self.centered}


class Adam(Optimizer):
    """torch.optim.Adam: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
    p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps) (amsgrad: max of v so far)."""

    name = "adam"

    def __init__(self, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0, amsgrad: bool = False):
        super().__init__(lr, weight_decay)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas: expected a pair (beta1, beta2), got {betas!r}")
        b1 = check_float_in(betas[0], "betas[0]", 0.0, 1.0, hi_open=True)
        b2 = check_float_in(betas[1], "betas[1]", 0.0, 1.0, hi_open=True)
        self.betas = (b1, b2)
        self.eps = check_float_in(eps, "eps", 0.0, math.inf, lo_open=True)
        self.amsgrad = check_bool(amsgrad, "amsgrad")

    def _update(self, p, g, st, lr) -> None:
        if "exp_avg" not in st:
            st["exp_avg"] = np.zeros_like(p)
            st["exp_avg_sq"] = np.zeros_like(p)
            if self.amsgrad:
                st["max_exp_avg_sq"] = np.zeros_like(p)
        b1, b2 = self.betas
        t = st["step"]
        m, v = st["exp_avg"], st["exp_avg_sq"]
        m *= b1
        m += (1.0 - b1) * g
        v *= b2
        v += (1.0 - b2) * g * g
        if self.amsgrad:
            vmax = st["max_exp_avg_sq"]
            np.maximum(vmax, v, out=vmax)
            v = vmax
        bc1 = 1.0 - b1**t
        bc2 = 1.0 - b2**t
        denom = np.sqrt(v) / math.sqrt(bc2) + self.eps
        p -= (lr / bc1) * m / denom

    def hyperparameters(self) -> dict:
        return {"lr": self.lr, "betas": self.betas, "eps": self.eps,
                "weight_decay": self.weight_decay, "amsgrad": self.amsgrad}


OPTIMIZERS = {cls.name: cls for cls in (SGD, Momentum, Adagrad, RMSprop, Adam)}
NAMES = tuple(OPTIMIZERS)


def make(name: str | None = None, lr: float | None = None, **kwargs) -> Optimizer:
    """Build an optimizer by name (sgd, momentum, adagrad, rmsprop, adam; None is plain sgd)
    at learning rate ``lr`` (None: the class's default, ``DEFAULT_LR`` for plain SGD)."""
    name = "sgd" if name is None else name
    if not isinstance(name, str) or name.lower() not in OPTIMIZERS:
        raise ValueError(f"optimizer: expected one of {', '.join(NAMES)} (None is sgd), got "
                         f"{name!r}")
    cls = OPTIMIZERS[name.lower()]
    return cls(**kwargs) if lr is None else cls(lr=lr, **kwargs)
