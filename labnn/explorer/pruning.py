"""TensorFlow Playground's L1 rule, as an optimizer around another (the explorer's
``regularization="l1-playground"``).

Playground applies L1 after the step of the data loss: every weight moves ``lr * rate`` towards
zero (the sign taken before the step), and a weight that this move would carry across zero is
set to zero and is *dead*: it is never updated again in that run. So L1 prunes for good, where
the plain subgradient (``labnn.losses.penalty("l1")``) makes a small weight hop from side to side
of zero. Biases are never regularized.

    opt = PlaygroundL1(optim.make("sgd", lr=0.3), rate=0.01, weights=net.weights)
    net.fit(X, y, epochs=500, optimizer=opt)
"""

from __future__ import annotations

import numpy as np

from .. import optim as _optim
from .._checks import check_float_in


class PlaygroundL1(_optim.Optimizer):
    """``optimizer``'s update, then Playground's L1 step on ``weights`` (the network's weight
    matrices, ``net.weights``; the other parameters, the biases, get the update alone).
    ``lr`` is the wrapped optimizer's (a live change reaches both steps); ``dead`` holds one
    mask per weight matrix, True where a weight has been pruned."""

    name = "l1-playground"

    def __init__(self, optimizer: _optim.Optimizer, rate: float, weights):
        if not isinstance(optimizer, _optim.Optimizer):
            raise ValueError(f"optimizer: expected a labnn.optim.Optimizer, got "
                             f"{type(optimizer).__name__}")
        weights = list(weights)
        if not weights or not all(isinstance(w, np.ndarray) for w in weights):
            raise ValueError("weights: expected the network's weight matrices (net.weights)")
        self.optimizer = optimizer
        self.rate = check_float_in(rate, "rate", 0.0, np.inf)
        self.weights = weights
        self.weight_decay = 0.0
        self.state = None
        self.dead = [np.zeros(w.shape, dtype=bool) for w in weights]

    @property
    def lr(self):
        return self.optimizer.lr

    @lr.setter
    def lr(self, value) -> None:
        self.optimizer.lr = value

    def reset(self) -> None:
        self.optimizer.reset()
        self.dead = [np.zeros(w.shape, dtype=bool) for w in self.weights]

    def check(self, params, grads) -> None:
        self.optimizer.check(params, grads)
        if not all(any(w is p for p in params) for w in self.weights):
            raise ValueError("params: these are not the parameters whose weights this L1 rule "
                             "prunes; make a new PlaygroundL1 for a new network")

    def step(self, params, grads, *, check: bool = True) -> None:
        """The wrapped optimizer's step (a dead weight's gradient is 0), then the L1 step."""
        if check:
            self.check(params, grads)
        by_id = {id(p): g for p, g in zip(params, grads)}
        signs = []
        for w, dead in zip(self.weights, self.dead):
            by_id[id(w)][dead] = 0.0
            signs.append(np.sign(w))
        self.optimizer.step(params, grads, check=False)
        shrink = self.optimizer.lr * self.rate
        for w, dead, sign in zip(self.weights, self.dead, signs):
            new = w - shrink * sign
            dead |= (w * new < 0) | dead       # crossed zero: dead from now on
            w[...] = np.where(dead, 0.0, new)

    def hyperparameters(self) -> dict:
        return {"optimizer": self.optimizer, "rate": self.rate}


__all__ = ["PlaygroundL1"]
