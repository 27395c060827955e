"""labnn.lab.original: the original report's two errors, reproduced: its sigmoid derivative
(which a gradient check catches) and its update order (written once, for one network and as a
stack's update, and equal to its loop as the report wrote it)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import labnn
from labnn.gradcheck import grad_check_activation, grad_check_network
from labnn.lab import original as orig
from labnn.lab.original import ORIGINAL_SIGMOID
from labnn.stack import NetworkStack

Z = np.linspace(-6, 6, 49) + 0.0371  # off the kinks, as in test_activations


def test_the_original_sigmoid_derivative_fails_the_check():
    assert grad_check_activation(ORIGINAL_SIGMOID, Z) > 1e-2


def test_the_check_fails_on_a_network_with_the_original_sigmoid_derivative():
    """The negative test: the original report's sigmoid derivative (applied to the output a
    second time) must fail the very check the correct one passes."""
    X, y = labnn.data.generate_xor_easy()
    net = labnn.Network(2, seed=0)
    for units in (4, 4, 1):
        net.add_layer(units, ORIGINAL_SIGMOID)
    errors = grad_check_network(net, X, y)
    assert min(errors.values()) > 1e-2, errors


# ----------------------------------------------------------------------- the original update order
def _original_by_hand(net, X, y, lr):
    """The original report's step as it wrote it: for each layer from the output back, change
    W and b, then propagate through the changed W. Returns the loss before the step."""
    inputs, pre, post = [], [], []
    a = X
    for layer in net.layers:
        inputs.append(a)
        pre.append(a @ layer.W + layer.b if layer.bias else a @ layer.W)
        a = layer.activation.value(pre[-1])
        post.append(a)
    loss, dout = labnn.losses.mse(a, y)
    for layer, x, z, out in zip(net.layers[::-1], inputs[::-1], pre[::-1], post[::-1]):
        dz = dout * layer.activation.derivative(z, out)
        layer.W -= lr * (x.T @ dz)
        if layer.bias:
            layer.b -= lr * dz.sum(axis=0)
        dout = dz @ layer.W.T
    return loss


class TestOriginalOrder:
    @pytest.mark.parametrize("activation", ["sigmoid", orig.ORIGINAL_SIGMOID])
    def test_original_step_is_the_report_s_loop_bit_for_bit(self, activation):
        X, y = labnn.data.generate_xor_easy()
        a = labnn.lab_network(seed=3, init="normal", activation=activation, output=activation)
        b = labnn.lab_network(seed=3, init="normal", activation=activation, output=activation)
        for _ in range(40):
            assert _original_by_hand(a, X, y, 0.5) == orig.original_step(b, X, y, 0.5)
        assert all(np.array_equal(p, q) for p, q in zip(a.params, b.params))

    def test_a_stack_steps_each_network_as_alone(self):
        data = [labnn.data.generate_linear(100, seed=s) for s in range(3)]
        X, y = np.stack([d[0] for d in data]), np.stack([d[1] for d in data])
        lrs = np.array([0.01, 0.1, 1.0])
        stack = NetworkStack([labnn.lab_network(seed=s, init="normal") for s in range(3)])
        alone = [labnn.lab_network(seed=s, init="normal") for s in range(3)]
        history = stack.fit(X, y, epochs=30, lr=lrs, update=orig.original_update)
        for i, net in enumerate(alone):
            losses = [orig.original_step(net, *data[i], float(lrs[i])) for _ in range(30)]
            assert history.history(i).loss == losses
        for i, net in enumerate(alone):
            assert all(np.array_equal(p[i].reshape(q.shape), q)
                       for p, q in zip(stack.params, net.params))

    def test_without_biases(self):
        X, y = labnn.data.generate_xor_easy()
        net = labnn.lab_network(seed=0, bias=False)
        before = [p.copy() for p in net.params]
        orig.original_step(net, X, y, 1.0)
        assert len(net.params) == 3
        assert all(not np.array_equal(p, q) for p, q in zip(before, net.params))

    def test_the_update_refuses_a_penalty(self):
        stack = NetworkStack([labnn.lab_network(seed=0)])
        with pytest.raises(ValueError, match="update"):
            stack.fit(*labnn.data.generate_xor_easy(), epochs=2, update=orig.original_update,
                      regularization="l2", reg_rate=0.1)

    def test_its_derivative_never_leaves_0_197_to_0_25(self):
        a = np.linspace(0.0, 1.0, 1001)
        d = orig.ORIGINAL_SIGMOID.derivative(None, a)
        assert d.max() == 0.25 and math.isclose(d.min(), 0.19661193324148185)
