"""The two errors of the report this project grew from, reproduced so they can be shown.

1. ``SEED_SIGMOID``: its sigmoid "derivative" was applied to the layer's output a = sigma(z) as
   if it were z, i.e. sigma(a) (1 - sigma(a)) instead of a (1 - a). A gradient check fails on it.
2. ``update_before_propagate_step``: it updated W before propagating the gradient through W, so
   earlier layers received the gradient of the already-updated weights. That is not gradient
   descent; ``exact_step`` is.
"""

from __future__ import annotations

import numpy as np

from .. import losses as _losses
from ..activations import Activation, sigmoid


def _seed_sigmoid_derivative(z, a):
    s = sigmoid(a)  # the bug: the output a is treated as the pre-activation
    return s * (1.0 - s)


SEED_SIGMOID = Activation("seed_sigmoid", sigmoid, _seed_sigmoid_derivative)


def update_before_propagate_step(net, X, y, lr: float, loss: str = "mse") -> float:
    """One step of the seed report's loop: for each layer from the output back, update W and b
    first, then propagate the gradient through the *updated* W. Returns the loss before the
    step. Only for Dense networks."""
    _, loss_fn = _losses.get(loss)
    out = net._forward(X)
    value, dout = loss_fn(out, y)
    for layer in reversed(net.layers):
        x, z, a = layer._cache
        dz = layer.activation.backward(z, a, dout)
        layer.W -= lr * (x.T @ dz)
        layer.b -= lr * dz.sum(axis=0)
        dout = dz @ layer.W.T  # the bug: W has already moved
    return value


def exact_step(net, X, y, lr: float, loss: str = "mse") -> float:
    """One step of true gradient descent (full backward pass, then update). Returns the loss
    before the step."""
    _, loss_fn = _losses.get(loss)
    value, dout = loss_fn(net._forward(X), y)
    net._backward(dout)
    for p, g in zip(net.params, net.grads):
        p -= lr * g
    return value


def _copy_params(net):
    return [p.copy() for p in net.params]


def drift(net_a, net_b) -> float:
    """Largest relative difference between two networks' parameters."""
    num = max(float(np.abs(a - b).max()) for a, b in zip(net_a.params, net_b.params))
    den = max(float(np.abs(a).max()) for a in net_a.params)
    return num / den
