"""Regularisation in the core (issue 13): a penalty on the weights, a term of the loss with its
gradient (``labnn.losses.penalty``), trained by ``Network.fit(regularization=..., reg_rate=...)``
and gradient-checked by ``labnn.gradcheck.grad_check_network``."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from labnn import Conv2D, Dense, Flatten, Network, data, gradcheck, losses


def _net(seed=0, widths=(5, 4), activation="tanh", bias=True):
    net = Network(2, seed=seed)
    for w in widths:
        net.add(Dense(w, activation, bias=bias))
    return net.add_layer(1, "sigmoid")


def _same(a, b):
    return all(np.array_equal(p, q) for p, q in zip(a.params, b.params, strict=True))


# ---------------------------------------------------------------- the penalty itself
def test_the_two_penalties_and_their_gradients_by_formula():
    W = [np.array([[1.5, -2.0], [0.0, 0.25]]), np.array([[-3.0], [4.0]])]
    l1, l2 = losses.penalty("l1", 0.1), losses.penalty("L2", 0.1)
    assert l1.value(W) == pytest.approx(0.1 * (1.5 + 2.0 + 0.25 + 3.0 + 4.0))
    assert l2.value(W) == pytest.approx(0.05 * (2.25 + 4.0 + 0.0625 + 9.0 + 16.0))
    g1, g2 = [np.zeros_like(w) for w in W], [np.ones_like(w) for w in W]
    l1.add_gradient(W, g1)
    l2.add_gradient(W, g2)
    np.testing.assert_array_equal(g1[0], [[0.1, -0.1], [0.0, 0.1]])   # sign(0) = 0
    np.testing.assert_allclose(g2[1], 1.0 + 0.1 * W[1])


@pytest.mark.parametrize("none", [None, "none", "None"])
def test_no_penalty(none):
    assert losses.penalty(none, 0.0) is None
    assert losses.penalty() is None


@pytest.mark.parametrize("regularization, rate, word", [
    ("l3", 0.1, "regularization"), (1, 0.1, "regularization"), ("l1", -0.1, "reg_rate"),
    ("l2", math.nan, "reg_rate"), ("l2", math.inf, "reg_rate"), ("l2", "0.1", "reg_rate"),
    ("l1", True, "reg_rate"), (None, 0.1, "reg_rate"), ("none", 1e-3, "reg_rate"),
])
def test_bad_penalties_name_the_argument(regularization, rate, word):
    with pytest.raises(ValueError, match=f"^{word}: "):
        losses.penalty(regularization, rate)
    X, y = data.generate_xor_easy()
    with pytest.raises(ValueError, match=f"^{word}: "):
        _net().fit(X, y, epochs=1, regularization=regularization, reg_rate=rate)


# ---------------------------------------------------------------- gradient checks
@pytest.mark.parametrize("regularization", ["l1", "l2"])
@pytest.mark.parametrize("bias", [True, False])
def test_gradient_check_covers_the_penalty(regularization, bias):
    X, y = data.generate_circle(n=12, seed=3)
    net = _net(seed=1, bias=bias)
    errors = gradcheck.grad_check_network(net, X, y, regularization=regularization, reg_rate=0.05)
    assert max(errors.values()) < 1e-7, errors


def test_gradient_check_of_a_conv_net_with_a_penalty():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(3, 1, 5, 5)), rng.uniform(size=(3, 1))
    net = Network((1, 5, 5), seed=0).add(Conv2D(1, 2, 3)).add(Flatten()).add_layer(1, "sigmoid")
    assert len(net.weights) == 2 and net.weights[0].ndim == 4
    errors = gradcheck.grad_check_network(net, X, y, regularization="l2", reg_rate=0.3)
    assert max(errors.values()) < 1e-7, errors


def test_the_check_fails_when_the_penalty_gradient_is_left_out(monkeypatch):
    # A negative test: back-propagation without the penalty's gradient is caught.
    X, y = data.generate_circle(n=12, seed=3)
    monkeypatch.setattr(losses.Penalty, "add_gradient", lambda self, w, g: None)
    errors = gradcheck.grad_check_network(_net(seed=1), X, y, regularization="l2", reg_rate=0.05)
    assert max(errors[k] for k in errors if k.startswith("W")) > 1e-3
    assert max(errors[k] for k in errors if k.startswith("b")) < 1e-7   # biases: no penalty


@given(seed=st.integers(0, 10**6), rate=st.floats(1e-4, 1.0),
       regularization=st.sampled_from(["l1", "l2"]),
       widths=st.lists(st.integers(1, 4), min_size=0, max_size=3))
def test_gradient_check_many_networks(seed, rate, regularization, widths):
    X, y = data.generate_linear(n=6, seed=seed)
    net = _net(seed=seed, widths=tuple(widths), activation="sigmoid")
    errors = gradcheck.grad_check_network(net, X, y, regularization=regularization, reg_rate=rate)
    # 1e-5, not 1e-7: a penalty of rate 1 makes the objective large, and a centred difference
    # of it loses ~1e-16 * objective / eps in absolute terms, against gradients that a deep
    # sigmoid net makes tiny (b1 and X reach 1.6e-6 for seed 544; a wrong gradient gives > 1e-3)
    assert max(errors.values()) < 1e-5, errors


# ---------------------------------------------------------------- fit
def test_weights_not_biases():
    net = _net()
    assert [w.shape for w in net.weights] == [(2, 5), (5, 4), (4, 1)]
    assert all(w is layer.params[0] for w, layer in zip(net.weights, net.layers))
    X, y = data.generate_xor_easy()
    plain, penalised = _net(), _net()
    for net, reg in ((plain, {}), (penalised, {"regularization": "l2", "reg_rate": 0.5})):
        net.fit(X, y, epochs=1, **reg)
    # one SGD step at lr 1: W moved by an extra rate * W, b exactly as without the penalty
    for k, (p, q, w0) in enumerate(zip(plain.params, penalised.params, _net().params)):
        if k % 2:
            np.testing.assert_array_equal(p, q)
        else:
            np.testing.assert_allclose(q, p - 0.5 * w0, rtol=0, atol=1e-12)


def test_defaults_are_bit_identical():
    X, y = data.generate_xor_easy()
    runs = [_net(), _net(), _net()]
    h0 = runs[0].fit(X, y, epochs=50)
    h1 = runs[1].fit(X, y, epochs=50, regularization=None, reg_rate=0.0)
    h2 = runs[2].fit(X, y, epochs=50, regularization="none")
    assert h0.loss == h1.loss == h2.loss
    assert _same(runs[0], runs[1]) and _same(runs[0], runs[2])


@pytest.mark.parametrize("regularization", ["l1", "l2"])
def test_history_loss_is_the_data_loss_without_the_penalty(regularization):
    # Playground reports the data loss; so does fit: loss[0] is the loss at the starting
    # weights, exactly net.loss, with no penalty added.
    X, y = data.generate_circle(n=40, seed=0)
    net, ref = _net(), _net()
    h = net.fit(X, y, epochs=3, regularization=regularization, reg_rate=0.1)
    assert h.loss[0] == ref.loss(X, y)
    penalty = losses.penalty(regularization, 0.1).value(ref.weights)
    assert penalty > 0.01 and h.loss[0] != ref.loss(X, y) + penalty


def test_l2_shrinks_the_weights_and_mini_batches_work():
    X, y = data.generate_circle(n=60, seed=0)
    norms = {}
    for reg in (None, "l2"):
        net = _net()
        net.fit(X, y, epochs=200, lr=0.5, batch_size=16, seed=0, regularization=reg,
                reg_rate=0.05 if reg else 0.0)
        norms[reg] = sum(float((w * w).sum()) for w in net.weights)
    assert norms["l2"] < 0.5 * norms[None]


@pytest.mark.parametrize("seed", range(5))
def test_l1_drives_many_weights_to_zero_where_none_does_not(seed):
    # Playground's lesson "L1 prunes weights", on circle (100 points) with 2 hidden layers of 8
    # tanh, SGD at lr 0.3, 1000 epochs. Near zero: |w| < 1e-3 (an L1 subgradient step moves a
    # weight by lr * rate = 9e-4 around 0). Measured over seeds 0-4: without a penalty 0-1 % of
    # the 88 weights; with l1 at rate 0.003, 35-51 %, at accuracy 0.89-1.0.
    X, y = data.generate_circle(n=100, seed=seed)
    fractions = {}
    for reg, rate in ((None, 0.0), ("l1", 0.003)):
        net = _net(seed=seed, widths=(8, 8))
        net.fit(X, y, epochs=1000, lr=0.3, regularization=reg, reg_rate=rate)
        W = np.concatenate([w.ravel() for w in net.weights])
        fractions[reg] = float(np.mean(np.abs(W) < 1e-3))
        assert net.evaluate(X, y)[1] >= 0.85
    assert fractions[None] <= 0.02, fractions
    assert fractions["l1"] >= 0.3, fractions
