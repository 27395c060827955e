"""labnn.conv: Conv2D, MaxPool2D and Flatten against naive loops, and conv networks end to end.

The naive loop definitions below are the reference (one output pixel at a time, straight from
the formulas); labnn.conv must match them forward and backward, and pass centred-difference
gradient checks. benchmarks/bench_conv.py times the same reference against the library.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labnn import Activation, Dense, Network
from labnn.conv import Conv2D, Flatten, MaxPool2D
from labnn.gradcheck import grad_check_network, relative_error
from labnn.losses import softmax_cross_entropy
from labnn.report.images import conv_net, dense_net, generate_shapes

TOL = 1e-7  # the bound on a correct back-propagation's relative error, float64


# ---------------------------------------------------------------------- naive references
def _pad(x, padding):
    ph, pw = padding
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))


def naive_conv_forward(x, W, b, stride=(1, 1), padding=(0, 0)):
    """out[n, o, i, j] = b[o] + sum_{c,p,q} W[o, c, p, q] xpad[n, c, i sh + p, j sw + q]."""
    xp = _pad(x, padding)
    n, c, hp, wp = xp.shape
    co, _, kh, kw = W.shape
    sh, sw = stride
    ho, wo = (hp - kh) // sh + 1, (wp - kw) // sw + 1
    out = np.zeros((n, co, ho, wo))
    for s in range(n):
        for o in range(co):
            for i in range(ho):
                for j in range(wo):
                    window = xp[s, :, i * sh:i * sh + kh, j * sw:j * sw + kw]
                    out[s, o, i, j] = np.sum(window * W[o]) + b[o]
    return out


def naive_conv_backward(x, W, dout, stride=(1, 1), padding=(0, 0)):
    """(dx, dW, db) by the chain rule, one output pixel at a time."""
    xp = _pad(x, padding)
    dxp = np.zeros_like(xp)
    dW = np.zeros_like(W)
    db = np.zeros(W.shape[0])
    n, co, ho, wo = dout.shape
    kh, kw = W.shape[2:]
    sh, sw = stride
    for s in range(n):
        for o in range(co):
            for i in range(ho):
                for j in range(wo):
                    g = dout[s, o, i, j]
                    window = (s, slice(None), slice(i * sh, i * sh + kh),
                              slice(j * sw, j * sw + kw))
                    dW[o] += g * xp[window]
                    dxp[window] += g * W[o]
                    db[o] += g
    ph, pw = padding
    return dxp[:, :, ph:ph + x.shape[2], pw:pw + x.shape[3]], dW, db


def naive_maxpool_forward(x, pool=(2, 2), stride=(2, 2)):
    n, c, h, w = x.shape
    (kh, kw), (sh, sw) = pool, stride
    ho, wo = (h - kh) // sh + 1, (w - kw) // sw + 1
    out = np.zeros((n, c, ho, wo))
    for s in range(n):
        for ch in range(c):
            for i in range(ho):
                for j in range(wo):
                    out[s, ch, i, j] = x[s, ch, i * sh:i * sh + kh, j * sw:j * sw + kw].max()
    return out


def naive_maxpool_backward(x, dout, pool=(2, 2), stride=(2, 2)):
    dx = np.zeros_like(x)
    n, c, ho, wo = dout.shape
    (kh, kw), (sh, sw) = pool, stride
    for s in range(n):
        for ch in range(c):
            for i in range(ho):
                for j in range(wo):
                    window = x[s, ch, i * sh:i * sh + kh, j * sw:j * sw + kw]
                    p, q = divmod(int(np.argmax(window)), kw)  # first maximum on ties
                    dx[s, ch, i * sh + p, j * sw + q] += dout[s, ch, i, j]
    return dx


def built_conv(c_in, c_out, k, stride=1, padding=0, shape=(7, 8), seed=0, dtype=np.float64):
    layer = Conv2D(c_in, c_out, k, stride=stride, padding=padding)
    layer.build((c_in, *shape), np.random.default_rng(seed), np.dtype(dtype), "he")
    layer.b[...] = np.random.default_rng(seed + 1).normal(size=layer.b.shape)
    return layer


CONV_CASES = [  # (kernel, stride, padding)
    (3, 1, 0), (3, 1, 1), (3, 2, 0), (3, 2, 1), (3, 3, 2), ((2, 3), (1, 2), (1, 0)),
    (1, 1, 0), (5, 2, 2),
]


# ---------------------------------------------------------------------- Conv2D
@pytest.mark.parametrize("k, stride, padding", CONV_CASES)
def test_conv_forward_and_backward_match_naive_loops(k, stride, padding):
    rng = np.random.default_rng(1)
    layer = built_conv(2, 3, k, stride, padding)
    x = rng.normal(size=(4, 2, 7, 8))
    out = layer.forward(x)
    ref = naive_conv_forward(x, layer.W, layer.b, layer.stride, layer.padding)
    assert out.shape == ref.shape
    np.testing.assert_allclose(out, ref, rtol=1e-12, atol=1e-12)

    dout = rng.normal(size=out.shape)
    dx = layer.backward(dout)
    ref_dx, ref_dW, ref_db = naive_conv_backward(x, layer.W, dout, layer.stride, layer.padding)
    assert dx.shape == x.shape
    np.testing.assert_allclose(dx, ref_dx, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(layer.dW, ref_dW, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(layer.db, ref_db, rtol=1e-12, atol=1e-12)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(c_in=st.integers(1, 3), c_out=st.integers(1, 3), h=st.integers(1, 7),
       w=st.integers(1, 7), kh=st.integers(1, 4), kw=st.integers(1, 4), sh=st.integers(1, 3),
       sw=st.integers(1, 3), ph=st.integers(0, 2), pw=st.integers(0, 2))
def test_conv_matches_naive_on_random_shapes(c_in, c_out, h, w, kh, kw, sh, sw, ph, pw):
    layer = Conv2D(c_in, c_out, (kh, kw), stride=(sh, sw), padding=(ph, pw))
    if kh > h + 2 * ph or kw > w + 2 * pw:
        with pytest.raises(ValueError, match="kernel_size"):
            layer.build((c_in, h, w), np.random.default_rng(0), np.dtype(np.float64), "he")
        return
    layer.build((c_in, h, w), np.random.default_rng(0), np.dtype(np.float64), "he")
    rng = np.random.default_rng(h * 100 + w)
    x = rng.normal(size=(2, c_in, h, w))
    out = layer.forward(x)
    np.testing.assert_allclose(out, naive_conv_forward(x, layer.W, layer.b, (sh, sw), (ph, pw)),
                               atol=1e-12)
    dout = rng.normal(size=out.shape)
    dx = layer.backward(dout)
    ref_dx, ref_dW, ref_db = naive_conv_backward(x, layer.W, dout, (sh, sw), (ph, pw))
    np.testing.assert_allclose(dx, ref_dx, atol=1e-12)
    np.testing.assert_allclose(layer.dW, ref_dW, atol=1e-12)
    np.testing.assert_allclose(layer.db, ref_db, atol=1e-12)


@pytest.mark.parametrize("k, stride, padding", CONV_CASES)
def test_conv_gradient_check(k, stride, padding):
    net = Network((2, 7, 8), seed=3, init="he")
    net.add(Conv2D(2, 3, k, stride=stride, padding=padding))
    rng = np.random.default_rng(4)
    net.layers[0].b[...] = rng.normal(size=3)
    X = rng.normal(size=(3, 2, 7, 8))
    y = rng.normal(size=(3, *net.out_features))
    errors = grad_check_network(net, X, y, loss="mse")
    assert set(errors) == {"W1", "b1", "X"}
    assert max(errors.values()) < TOL, errors


def test_gradient_check_fails_for_a_wrong_backward():
    """The check has teeth: a convolution whose backward uses the flipped kernel (true
    convolution instead of the cross-correlation forward computes) is caught."""

    class FlippedConv(Conv2D):
        def backward(self, dout):
            W = self.W.copy()
            self.W[...] = W[:, :, ::-1, ::-1]
            try:
                return super().backward(dout)
            finally:
                self.W[...] = W

    net = Network((1, 6, 6), seed=0, init="he").add(FlippedConv(1, 2, 3))
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 1, 6, 6))
    errors = grad_check_network(net, X, rng.normal(size=(2, 2, 4, 4)))
    assert errors["X"] > 1e-2
    assert errors["W1"] < TOL  # dW does not involve W: still right


def test_conv_output_shape_and_float32():
    layer = built_conv(3, 5, 3, stride=2, padding=1, shape=(12, 9), dtype=np.float32)
    assert layer.W.shape == (5, 3, 3, 3) and layer.b.shape == (5,)
    assert layer.W.dtype == np.float32
    assert layer.output_shape((3, 12, 9)) == (5, 6, 5)
    x = np.random.default_rng(0).normal(size=(2, 3, 12, 9)).astype(np.float32)
    out = layer.forward(x)
    assert out.shape == (2, 5, 6, 5) and out.dtype == np.float32
    dx = layer.backward(np.ones_like(out))
    assert dx.shape == x.shape and dx.dtype == np.float32
    assert layer.dW.dtype == np.float32


def test_conv_grads_are_filled_in_place():
    net = Network((1, 6, 6), seed=0).add(Conv2D(1, 2, 3)).add(Flatten()).add(Dense(3, "linear"))
    params, grads = net.params, net.grads
    conv = net.layers[0]
    assert params[0] is conv.W and params[1] is conv.b
    assert grads[0] is conv.dW and grads[1] is conv.db
    assert [p.shape for p in params] == [(2, 1, 3, 3), (2,), (32, 3), (3,)]
    X = np.random.default_rng(0).normal(size=(4, 1, 6, 6))
    out = net.forward(X)
    net.backward(np.ones_like(out))
    assert np.abs(grads[0]).sum() > 0 and np.abs(grads[1]).sum() > 0
    assert all(g is h for g, h in zip(grads, net.grads))


# ---------------------------------------------------------------------- MaxPool2D, Flatten
@pytest.mark.parametrize("pool, stride", [(2, None), (3, 2), ((2, 3), (1, 2)), (3, 1), (7, None)])
def test_maxpool_matches_naive_loops(pool, stride):
    layer = MaxPool2D(pool, stride)
    rng = np.random.default_rng(5)
    x = rng.normal(size=(3, 2, 7, 8))
    out = layer.forward(x)
    ref = naive_maxpool_forward(x, layer.pool_size, layer.stride)
    np.testing.assert_array_equal(out, ref)
    dout = rng.normal(size=out.shape)
    np.testing.assert_allclose(layer.backward(dout),
                               naive_maxpool_backward(x, dout, layer.pool_size, layer.stride),
                               rtol=1e-14, atol=1e-15)


def test_maxpool_ties_go_to_the_first_maximum_like_the_reference():
    x = np.random.default_rng(6).integers(0, 2, size=(2, 2, 6, 6)).astype(np.float64)
    layer = MaxPool2D(3, 1)
    dout = np.random.default_rng(7).normal(size=layer.forward(x).shape)
    np.testing.assert_allclose(layer.backward(dout), naive_maxpool_backward(x, dout, (3, 3),
                                                                            (1, 1)), atol=1e-15)


@pytest.mark.parametrize("pool, stride", [(2, None), (3, 2), (3, 1)])
def test_maxpool_and_flatten_gradient_check(pool, stride):
    net = Network((2, 7, 6), seed=0).add(MaxPool2D(pool, stride)).add(Flatten())
    rng = np.random.default_rng(8)
    X = rng.normal(size=(3, 2, 7, 6))
    y = rng.normal(size=(3, net.out_features))
    errors = grad_check_network(net, X, y)
    assert list(errors) == ["X"]
    assert errors["X"] < TOL


def test_flatten_forward_backward_and_gradient_check():
    layer = Flatten()
    assert layer.output_shape((3, 4, 5)) == (60,)
    x = np.arange(2 * 3 * 4 * 5, dtype=float).reshape(2, 3, 4, 5)
    out = layer.forward(x)
    np.testing.assert_array_equal(out, x.reshape(2, -1))  # channel by channel, row by row
    np.testing.assert_array_equal(layer.backward(out), x)
    net = Network((3, 4, 5), seed=0).add(Flatten()).add(Dense(2, "tanh"))
    rng = np.random.default_rng(9)
    errors = grad_check_network(net, rng.normal(size=(3, 3, 4, 5)), rng.normal(size=(3, 2)))
    assert max(errors.values()) < TOL, errors


def test_full_conv_net_gradient_check_with_softmax_ce():
    net = Network((1, 9, 9), seed=2, init="he")
    net.add(Conv2D(1, 3, 3, padding=1)).add(Activation("tanh")).add(MaxPool2D(2))
    net.add(Conv2D(3, 4, 2, stride=2)).add(Activation("sigmoid")).add(Flatten())
    net.add(Dense(3, "linear"))
    rng = np.random.default_rng(10)
    for layer in net.layers:
        if isinstance(layer, Conv2D):
            layer.b[...] = rng.normal(scale=0.3, size=layer.b.shape)
    X = rng.normal(size=(5, 1, 9, 9))
    y = np.eye(3)[rng.integers(0, 3, size=5)]
    errors = grad_check_network(net, X, y, loss="softmax_ce")
    assert set(errors) == {"W1", "b1", "W4", "b4", "W7", "b7", "X"}
    assert max(errors.values()) < TOL, errors


# ---------------------------------------------------------------------- bad input
@pytest.mark.parametrize("kwargs, name", [
    ({"stride": 0}, "stride"), ({"stride": (1, 0)}, "stride"), ({"stride": 1.5}, "stride"),
    ({"padding": -1}, "padding"), ({"padding": (1, 2, 3)}, "padding"),
    ({"kernel_size": 0}, "kernel_size"), ({"kernel_size": (3,)}, "kernel_size"),
    ({"kernel_size": "3"}, "kernel_size"), ({"in_channels": 0}, "in_channels"),
    ({"out_channels": -2}, "out_channels"), ({"init": "bogus"}, "init"),
])
def test_conv_rejects_bad_parameters(kwargs, name):
    args = {"in_channels": 1, "out_channels": 2, "kernel_size": 3, **kwargs}
    with pytest.raises(ValueError, match=f"^{name}: "):
        Conv2D(**args)


def test_conv_rejects_bad_shapes():
    with pytest.raises(ValueError, match=r"^kernel_size: \(5, 5\) is larger than the padded"):
        Network((1, 4, 4)).add(Conv2D(1, 2, 5, padding=0))
    Network((1, 4, 4)).add(Conv2D(1, 2, 5, padding=1))  # 6x6 padded: fits
    with pytest.raises(ValueError, match="^in_channels: the layer expects 1 channels, the input "
                                         "has 3"):
        Network((3, 8, 8)).add(Conv2D(1, 2, 3))
    with pytest.raises(ValueError, match="^input_shape: Conv2D expects"):
        Network(16).add(Conv2D(1, 2, 3))
    with pytest.raises(ValueError, match="^input_shape: Dense expects flat"):
        Network((1, 8, 8)).add(Conv2D(1, 2, 3)).add(Dense(3))
    layer = built_conv(2, 3, 3, shape=(6, 6))
    with pytest.raises(ValueError, match="^x: Conv2D expects 2 input channels"):
        layer.forward(np.zeros((1, 3, 6, 6)))
    with pytest.raises(ValueError, match=r"^x: Conv2D expects a 4-D array"):
        layer.forward(np.zeros((2, 6, 6)))
    with pytest.raises(ValueError, match="^kernel_size"):
        layer.forward(np.zeros((1, 2, 2, 6)))
    with pytest.raises(ValueError, match="^dout: backward called before forward"):
        built_conv(2, 3, 3).backward(np.zeros((1, 3, 5, 6)))
    layer.forward(np.zeros((1, 2, 6, 6)))
    with pytest.raises(ValueError, match=r"^dout: expected shape \(1, 3, 4, 4\)"):
        layer.backward(np.zeros((1, 3, 4, 5)))
    with pytest.raises(ValueError, match="^x: Conv2D has no parameters yet"):
        Conv2D(1, 1, 3).forward(np.zeros((1, 1, 5, 5)))


def test_pool_and_flatten_reject_bad_input():
    with pytest.raises(ValueError, match="^pool_size: "):
        MaxPool2D(0)
    with pytest.raises(ValueError, match="^stride: "):
        MaxPool2D(2, stride=0)
    with pytest.raises(ValueError, match=r"^pool_size: \(5, 5\) is larger than the input"):
        Network((1, 4, 4)).add(MaxPool2D(5))
    with pytest.raises(ValueError, match="^input_shape: MaxPool2D expects"):
        Network(4).add(MaxPool2D(2))
    with pytest.raises(ValueError, match="^x: MaxPool2D expects a 4-D array"):
        MaxPool2D(2).forward(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="^dout: backward called before forward"):
        MaxPool2D(2).backward(np.zeros((1, 1, 2, 2)))
    pool = MaxPool2D(2)
    pool.forward(np.zeros((1, 1, 4, 4)))
    with pytest.raises(ValueError, match="^dout: expected shape"):
        pool.backward(np.zeros((1, 1, 3, 2)))
    with pytest.raises(ValueError, match="^x: Flatten expects"):
        Flatten().forward(np.zeros(3))
    flat = Flatten()
    flat.forward(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match="^dout: expected shape"):
        flat.backward(np.zeros((2, 11)))
    with pytest.raises(ValueError, match=r"^X: expected shape \(N, 1, 12, 12\)"):
        conv_net(0).forward(np.zeros((2, 1, 12, 11)))




def test_conv_net_repr_lists_conv_layers():
    text = repr(conv_net(0))
    assert "Conv2D(1 -> 16, 3x3)" in text and "W (16, 1, 3, 3)" in text
    assert "MaxPool2D(10x10)" in text and "total: 836 parameters" in text
    assert dense_net(0).num_params == 898


def test_fit_with_softmax_ce_reports_multiclass_accuracy_and_is_seeded():
    X, y = generate_shapes(64, seed=1)

    def train():
        net = conv_net(seed=3, filters=4, hidden_units=8)
        h = net.fit(X, y, epochs=3, lr=0.01, optimizer="adam", loss="softmax_ce",
                    batch_size=16, seed=5)
        return net, h

    (net_a, h_a), (net_b, h_b) = train(), train()
    assert h_a.loss == h_b.loss and h_a.accuracy == h_b.accuracy
    for p, q in zip(net_a.params, net_b.params):
        np.testing.assert_array_equal(p, q)
    loss, acc = net_a.evaluate(X, y, loss="softmax_ce")
    logits = net_a.predict(X)
    assert acc == np.mean(logits.argmax(axis=1) == y.argmax(axis=1))
    assert loss == softmax_cross_entropy(logits, y)[0]
    assert h_a.loss[-1] < h_a.loss[0]


# ---------------------------------------------------------------------- float32


def test_relative_error_of_naive_and_vectorised_conv_is_round_off():
    """A float32 layer against the float64 reference: the same numbers up to float32 round-off
    (the vectorised path does not change the arithmetic, only its order)."""
    layer = built_conv(3, 4, 3, stride=1, padding=1, shape=(12, 12), dtype=np.float32)
    x = np.random.default_rng(13).normal(size=(8, 3, 12, 12))
    out = layer.forward(x.astype(np.float32))
    ref = naive_conv_forward(x, layer.W.astype(np.float64), layer.b.astype(np.float64),
                             (1, 1), (1, 1))
    assert relative_error(out, ref) < 1e-6


def test_conv_backward_fills_dW_db_again_and_the_same():
    layer = built_conv(2, 3, 3, stride=2, padding=1)
    x = np.random.default_rng(14).normal(size=(2, 2, 7, 8))
    dout = np.random.default_rng(15).normal(size=layer.forward(x).shape)
    dx = layer.backward(dout)
    dW, db = layer.dW.copy(), layer.db.copy()
    layer.dW[...] = 0.0
    layer.db[...] = 0.0
    assert np.array_equal(layer.backward(dout), dx)
    np.testing.assert_array_equal(layer.dW, dW)
    np.testing.assert_array_equal(layer.db, db)


def test_sizes_are_counted_without_wrapping_and_bounded():
    """Flatten's size was int64 np.prod: (2**32,) * 3 wrapped to 0, and a W of shape (0, 3)
    was built; the size rule refuses such shapes where they are given."""
    assert Flatten().output_shape((2**32, 2**32, 2**32)) == (2**96,)
    with pytest.raises(ValueError, match="^in_features: one sample"):
        Network((2**32, 2**32, 2**32))
    with pytest.raises(ValueError, match="^out_channels: the filters W of shape"):
        Network((3, 8, 8)).add(Conv2D(3, 2**30, 3))
