"""The two errors of the original report (the report this project grew from), reproduced so
that they can be shown and measured.

1. ``ORIGINAL_SIGMOID``: its sigmoid "derivative" was applied to the layer's output a = sigma(z)
   as if it were z, i.e. sigma(a) (1 - sigma(a)) instead of a (1 - a). A gradient check fails
   on it.
2. ``original_update``: it updated W before propagating the gradient through W, so the earlier
   layers received the gradient of weights that had already moved. That is not gradient
   descent (``Network.fit`` is).

    net = lab_network(seed=0)
    loss = original_step(net, X, y, lr=1.0)              # one step of its training loop
    NetworkStack(nets).fit(X, y, update=original_update)  # many networks, its whole loop
"""

from __future__ import annotations

import numpy as np

from .. import losses as _losses
from .. import optim as _optim
from ..activations import ActivationFunction, sigmoid


def _original_sigmoid_derivative(z, a):
    s = sigmoid(a)  # the error: the output a is treated as the pre-activation
    return s * (1.0 - s)


ORIGINAL_SIGMOID = ActivationFunction("original_sigmoid", sigmoid, _original_sigmoid_derivative)


def original_update(model, dout, optimizer) -> None:
    """The original report's update, from dL/dy_hat after a forward pass: for each layer from
    the output back, W and b change first (plain SGD at ``optimizer.lr``), then the gradient
    goes back through the changed W. ``model`` is a Network or a NetworkStack of Dense layers
    (its layers keep x, z and a from the forward pass); as ``NetworkStack.fit``'s ``update``,
    it trains a whole stack the report's way."""
    lr = optimizer.lr
    for layer in reversed(model.layers):
        x, z, a = layer.cache
        dz = dout * layer.activation.derivative(z, a)
        layer.W -= lr * (x.mT @ dz)
        if layer.bias:
            layer.b -= lr * dz.sum(axis=-2).reshape(layer.b.shape)
        dout = dz @ layer.W.mT  # the error: W has already moved


def original_step(net, X, y, lr: float, loss: str = "mse") -> float:
    """One step of the original report's training loop on ``net``: the forward pass, the loss,
    then ``original_update`` at learning rate ``lr``. Returns the loss before the step."""
    optimizer = _optim.SGD(lr)
    value, dout = _losses.get(loss)[0](net.forward(X), y)
    original_update(net, dout, optimizer)
    return value


def drift(net_a, net_b) -> float:
    """Largest relative difference between two networks' parameters."""
    num = max(float(np.abs(a - b).max()) for a, b in zip(net_a.params, net_b.params))
    den = max(float(np.abs(a).max()) for a in net_a.params)
    return num / den


__all__ = ["ORIGINAL_SIGMOID", "drift", "original_step", "original_update"]
