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
from ..activations import ActivationFunction, sigmoid


def _seed_sigmoid_derivative(z, a):
    s = sigmoid(a)  # the bug: the output a is treated as the pre-activation
    return s * (1.0 - s)


SEED_SIGMOID = ActivationFunction("seed_sigmoid", sigmoid, _seed_sigmoid_derivative)


def update_before_propagate_step(net, X, y, lr: float, loss: str = "mse") -> float:
    """One step of the seed report's loop: for each layer from the output back, update W and b
    first, then propagate the gradient through the *updated* W. Returns the loss before the
    step. Only for Dense networks."""
    _, loss_fn = _losses.get(loss)
    inputs, pre, post = [], [], []           # each layer's x, z and a, as the seed kept them
    a = np.asarray(X, dtype=np.float64)
    for layer in net.layers:
        inputs.append(a)
        pre.append(a @ layer.W + layer.b)
        a = layer.activation(pre[-1])
        post.append(a)
    value, dout = loss_fn(a, y)
    for layer, x, z, a in zip(net.layers[::-1], inputs[::-1], pre[::-1], post[::-1]):
        dz = layer.activation.backward(z, a, dout)
        layer.W -= lr * (x.T @ dz)
        layer.b -= lr * dz.sum(axis=0)
        dout = dz @ layer.W.T  # the bug: W has already moved
    return float(value)


def exact_step(net, X, y, lr: float, loss: str = "mse") -> float:
    """One step of true gradient descent (full backward pass, then update). Returns the loss
    before the step."""
    _, loss_fn = _losses.get(loss)
    value, dout = loss_fn(net.forward(X), y)
    net.backward(dout)
    for p, g in zip(net.params, net.grads):
        p -= lr * g
    return float(value)


def drift(net_a, net_b) -> float:
    """Largest relative difference between two networks' parameters."""
    num = max(float(np.abs(a - b).max()) for a, b in zip(net_a.params, net_b.params))
    den = max(float(np.abs(a).max()) for a in net_a.params)
    return num / den


def seed_order_step(model, X, y, lr, loss: str = "mse"):
    """``update_before_propagate_step`` for one network or a stack of S networks
    (``labnn.stack.NetworkStack``: W (S, D, H), X shared (N, D) or one set per network
    (S, N, D), ``lr`` one number or one per network), also for layers without a bias. Returns
    (the loss before the step, the outputs before the step): a float and (N, 1) for a
    network, an (S,) array and (S, N, 1) for a stack. For one network it changes the
    parameters exactly as ``update_before_propagate_step`` does, bit for bit (tested)."""
    _, loss_fn = _losses.get(loss)
    stacked = model.layers[0].W.ndim == 3
    per_net = np.asarray(lr, dtype=np.float64).ndim == 1

    def rate(p):   # the learning rate, shaped to broadcast against parameter p
        return np.asarray(lr, dtype=np.float64).reshape((-1,) + (1,) * (p.ndim - 1)) \
            if per_net else lr

    inputs, pre, post = [], [], []           # each layer's x, z and a, as the seed kept them
    a = np.asarray(X, dtype=np.float64)
    for layer in model.layers:
        inputs.append(a)
        pre.append(a @ layer.W if layer.b is None else a @ layer.W + layer.b[..., None, :])
        a = layer.activation(pre[-1])
        post.append(a)
    value, dout = loss_fn(a, y, stacked=stacked)
    for layer, x, z, out in zip(model.layers[::-1], inputs[::-1], pre[::-1], post[::-1]):
        dz = layer.activation.backward(z, out, dout)
        layer.W -= rate(layer.W) * (x.mT @ dz)
        if layer.b is not None:
            layer.b -= rate(layer.b) * dz.sum(axis=-2)
        dout = dz @ layer.W.mT  # the bug: W has already moved
    return (value if stacked else float(value)), a
