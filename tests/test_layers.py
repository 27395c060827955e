"""labnn.layers: the dense layer's forward and backward pass against values worked out by hand,
the activation layer (backward = upstream times derivative), and dense layers without a bias."""

from __future__ import annotations

import json
import math
import zipfile

import numpy as np
import pytest

import labnn
from labnn import Activation, Dense, Network, activations
from labnn.gradcheck import grad_check_network
from labnn.stack import NetworkStack


def sig(z):
    return 1.0 / (1.0 + math.exp(-z))


def tiny_net():
    net = labnn.Network(2, seed=0).add_layer(2, "sigmoid").add_layer(1, "sigmoid")
    net.params[0][...] = [[0.1, -0.2], [0.3, 0.4]]
    net.params[1][...] = [0.05, -0.05]
    net.params[2][...] = [[0.7], [-0.6]]
    net.params[3][...] = [0.2]
    return net


def test_forward_golden():
    net = tiny_net()
    out = net.forward(np.array([[1.0, 2.0], [0.0, -1.0]]))
    # sample 1: z1 = (1*0.1 + 2*0.3 + 0.05, 1*-0.2 + 2*0.4 - 0.05) = (0.75, 0.55)
    h = (sig(0.75), sig(0.55))
    assert h[0] == pytest.approx(0.679178699175393, abs=1e-15)
    y1 = sig(0.7 * h[0] - 0.6 * h[1] + 0.2)
    # sample 2: z1 = (-0.3 + 0.05, -0.4 - 0.05) = (-0.25, -0.45)
    y2 = sig(0.7 * sig(-0.25) - 0.6 * sig(-0.45) + 0.2)
    np.testing.assert_allclose(out, [[y1], [y2]], rtol=0, atol=1e-15)
    assert y1 == pytest.approx(0.5732, abs=1e-4)  # sig(0.7 * 0.6792 - 0.6 * 0.6341 + 0.2)


def test_backward_golden():
    """dL/dW by the chain rule written out for one sample and MSE."""
    net = tiny_net()
    X = np.array([[1.0, 2.0]])
    y = np.array([[1.0]])
    y_hat = net.forward(X)
    loss, dout = labnn.losses.mse(y_hat, y)
    net.backward(dout)
    h1, h2 = sig(0.75), sig(0.55)
    o = sig(0.7 * h1 - 0.6 * h2 + 0.2)
    assert loss == pytest.approx((o - 1.0) ** 2, abs=1e-15)
    d_o = 2 * (o - 1.0) * o * (1 - o)                  # dL/dz2
    dW2 = [d_o * h1, d_o * h2]
    dz1 = [d_o * 0.7 * h1 * (1 - h1), d_o * -0.6 * h2 * (1 - h2)]
    dW1 = [[1.0 * dz1[0], 1.0 * dz1[1]], [2.0 * dz1[0], 2.0 * dz1[1]]]
    gW1, gb1, gW2, gb2 = net.grads
    np.testing.assert_allclose(gW2[:, 0], dW2, atol=1e-15)
    np.testing.assert_allclose(gb2, [d_o], atol=1e-15)
    np.testing.assert_allclose(gW1, dW1, atol=1e-15)
    np.testing.assert_allclose(gb1, dz1, atol=1e-15)


@pytest.mark.parametrize("name", activations.names())
def test_backward_is_upstream_times_derivative(name):
    layer = Activation(name)
    rng = np.random.default_rng(0)
    z = rng.normal(size=(5, 3))
    da = rng.normal(size=(5, 3))
    a = layer.forward(z)
    act = activations.get(name)
    np.testing.assert_allclose(layer.backward(da), da * act.derivative(z, a), rtol=1e-15)


# ----------------------------------------------------------------------- Dense without bias
class TestDenseWithoutBias:
    def test_has_only_w_and_computes_x_w(self):
        net = Network(2, seed=0).add_layer(3, "tanh", bias=False)
        layer = net.layers[0]
        assert layer.b is None and len(net.params) == 1 and len(net.grads) == 1
        assert net.num_params == 6
        X = np.array([[0.2, -0.4], [1.0, 0.5]])
        assert np.array_equal(net.forward(X), np.tanh(X @ layer.W))
        assert net.forward(np.zeros((1, 2))).tolist() == [[0.0, 0.0, 0.0]]

    def test_draws_the_same_weights_as_with_a_bias(self):
        for init in ("default", "normal"):
            a = labnn.lab_network(seed=4, init=init)
            b = labnn.lab_network(seed=4, init=init, bias=False)
            assert np.array_equal(a.params[0], b.params[0])   # the first W, same draws

    @pytest.mark.parametrize("activation", ["sigmoid", "tanh", "linear"])
    def test_gradient_check(self, activation):
        X, y = labnn.data.generate_xor_easy()
        net = labnn.lab_network(seed=1, activation=activation, bias=False)
        errors = grad_check_network(net, X, y)
        assert len(errors) == 4                       # three W and the input X
        assert max(errors.values()) < 1e-7, errors

    def test_a_wrong_backward_fails_the_check(self):
        X, y = labnn.data.generate_xor_easy()
        net = labnn.lab_network(seed=1, bias=False)
        layer = net.layers[0]
        backward = layer.backward

        def wrong(dout):
            dx = backward(dout)
            layer.dW *= 1.1
            return dx
        layer.backward = wrong
        assert max(grad_check_network(net, X, y).values()) > 1e-3

    def test_trains_and_describes_itself(self):
        X, y = labnn.data.generate_linear(100, seed=0)
        net = labnn.lab_network(seed=0, bias=False)
        net.fit(X, y, epochs=300)
        assert net.evaluate(X, y)[1] > 0.9
        assert "Dense(2 -> 4, sigmoid, no bias)" in repr(net)
        assert "Dense(2 -> 4, sigmoid)" in repr(labnn.lab_network(seed=0))

    @pytest.mark.parametrize("bad", [0, 1, "false", None])
    def test_bias_must_be_a_bool(self, bad):
        with pytest.raises(ValueError, match="bias"):
            Dense(3, bias=bad)
        with pytest.raises(ValueError, match="bias"):
            labnn.lab_network(bias=bad)

    def test_save_and_load(self, tmp_path):
        X, _ = labnn.data.generate_xor_easy()
        net = labnn.lab_network(seed=2, bias=False)
        net.save(tmp_path / "n.npz")
        back = labnn.Network.load(tmp_path / "n.npz")
        assert [layer.bias for layer in back.layers] == [False] * 3
        assert np.array_equal(back.predict(X), net.predict(X))
        with zipfile.ZipFile(tmp_path / "n.npz") as zf:
            assert "layer0_param1.npy" not in zf.namelist()

    def test_a_layer_with_bias_writes_no_bias_key(self, tmp_path):
        # the key appears only when the bias is off, so a file without it has a bias
        assert Dense(3).config() == {"units": 3, "activation": "linear", "init": None}
        assert Dense(3, bias=False).config()["bias"] is False
        net = labnn.lab_network(seed=0)
        net.save(tmp_path / "n.npz")
        with zipfile.ZipFile(tmp_path / "n.npz") as zf:
            config = json.loads(np.load(zf.open("layer0_config.npy")).item())
        assert "bias" not in config
        assert labnn.Network.load(tmp_path / "n.npz").layers[0].bias is True

    def test_a_stack_trains_each_network_as_fit_does(self):
        X, y = labnn.data.generate_xor_easy()
        nets = [labnn.lab_network(seed=s, bias=False) for s in range(3)]
        alone = [labnn.lab_network(seed=s, bias=False) for s in range(3)]
        stack = NetworkStack(nets)
        history = stack.fit(X, y, epochs=200, lr=[0.5, 1.0, 2.0])
        for i, (net, lr) in enumerate(zip(alone, (0.5, 1.0, 2.0))):
            h = net.fit(X, y, epochs=200, lr=lr)
            assert np.array_equal(history.loss[:, i], h.loss)
            assert all(np.array_equal(p, q) for p, q in zip(stack.network(i).params,
                                                             net.params))
        with pytest.raises(ValueError, match="one architecture"):
            NetworkStack([labnn.lab_network(seed=0), labnn.lab_network(seed=1, bias=False)])


def test_a_layer_type_s_name_belongs_to_one_class():
    """register_layer replaced the built-in Dense for every later load; now a name is one
    class's, and only the same class defined again (a re-run cell) may take it back."""
    from labnn.layers import LAYER_TYPES, Layer, register_layer
    impostor = type("Dense", (Layer,), {"__module__": "__main__"})
    with pytest.raises(ValueError, match="^cls: a layer type named 'Dense' is already "
                                         "registered"):
        register_layer(impostor)
    assert LAYER_TYPES["Dense"] is Dense
    for bad in (Dense(2), "Dense", int):
        with pytest.raises(ValueError, match="^cls: expected a subclass of labnn.layers.Layer"):
            register_layer(bad)

    def make():
        class MyLayerTest(Layer):
            def output_shape(self, input_shape):
                return input_shape
        return MyLayerTest
    try:
        first, again = register_layer(make()), register_layer(make())   # a re-run cell
        assert LAYER_TYPES["MyLayerTest"] is again and again is not first
    finally:
        LAYER_TYPES.pop("MyLayerTest", None)


def test_a_layer_s_config_names_its_own_activation_function(tmp_path):
    """Dense and Activation layers write the registered name (and, for a function of the
    user's own, its fingerprint), and refuse to name a function that is not the registered
    one: it would come back from a file as another."""
    fake = activations.ActivationFunction("tanh", np.sin, lambda z, a: np.cos(z))
    for layer in (Dense(2, fake), Activation(fake)):
        with pytest.raises(ValueError, match="^activation: 'tanh' cannot be named in a file"):
            layer.config()
    assert Dense(2, "tanh").config() == {"units": 2, "activation": "tanh", "init": None}
    assert Dense.from_config(Dense(2, "tanh").config()).activation is activations.get("tanh")
    assert Activation.from_config({"activation": "relu"}).activation is activations.get("relu")
