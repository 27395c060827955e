"""labnn.explorer.pruning: Playground's L1 rule. A weight that the L1 step would carry across
zero is set to zero and stays there (the plain subgradient makes it hop around zero instead);
biases are never touched; the explorer's "l1-playground" trains with it."""

from __future__ import annotations

import numpy as np
import pytest

from labnn import Network, optim
from labnn.explorer.playground import Session, train
from labnn.explorer.pruning import PlaygroundL1


def test_the_l1_step_after_the_update_with_the_sign_from_before_it():
    # One weight and its bias, gradients given: Playground's updateWeights, number by number.
    W, b = np.array([[0.5, -0.02, 0.3]]), np.array([0.1, 0.1, 0.1])
    gW, gb = np.array([[0.1, 0.0, 2.0]]), np.array([1.0, 1.0, 1.0])
    opt = PlaygroundL1(optim.make("sgd", lr=0.1), rate=0.3, weights=[W])
    opt.step([W, b], [gW, gb])
    # w - lr g = 0.49, -0.02, 0.1; then - lr * rate * sign(w before) = -0.03, +0.03, -0.03
    np.testing.assert_allclose(W, [[0.46, 0.0, 0.07]])          # -0.02 + 0.03 crossed: dead
    np.testing.assert_allclose(b, [0.0, 0.0, 0.0])               # biases: the update alone
    assert opt.dead[0].tolist() == [[False, True, False]]
    opt.step([W, b], [np.array([[0.0, -5.0, 0.0]]), gb])        # a dead weight stays at 0
    assert W[0, 1] == 0.0


def test_l1_at_a_high_rate_prunes_for_good_where_the_subgradient_oscillates():
    # The symptom Playground's rule removes: at rate 10 the plain L1 subgradient makes the
    # weights jump by lr * rate around zero, epoch after epoch.
    common = dict(dataset="circle", layer_widths=(4,), lr=0.03, reg_rate=10.0, epochs=200)
    _, plain = train(regularization="l1", **common)
    s = Session(regularization="l1-playground", **common)
    s.advance(200)
    weights = np.concatenate([w.ravel() for w in s.network.weights])
    assert np.all(weights == 0.0)                                 # every weight pruned
    assert np.abs(np.concatenate([w.ravel() for w in plain.weights])).max() > 0.1
    kept = s.network.weights[0].copy()
    s.advance(50)
    np.testing.assert_array_equal(s.network.weights[0], kept)    # and stays pruned


def test_a_moderate_rate_keeps_the_features_that_matter():
    s = Session(dataset="circle", features=("x1", "x2", "x1^2", "x2^2", "sin(x1)"),
                layer_widths=(), lr=1.0, regularization="l1-playground", reg_rate=0.003,
                epochs=600, seed=1)
    s.advance(600)
    W = s.network.weights[0][:, 0]
    assert W[2] > 1 and W[3] > 1 and W[0] == W[1] == W[4] == 0.0
    assert s.history.final_accuracy >= 0.95


def test_lr_is_the_wrapped_optimizers_and_a_live_change_reaches_it():
    net = Network(2, seed=0).add_layer(1, "sigmoid")
    inner = optim.make("adam", lr=0.01)
    opt = PlaygroundL1(inner, 0.1, net.weights)
    opt.lr = 0.2
    assert inner.lr == 0.2 and opt.lr == 0.2
    opt.reset()
    assert inner.state is None and not opt.dead[0].any()


@pytest.mark.parametrize("args, match", [
    (("sgd", 0.1, "weights"), "^optimizer: expected a labnn.optim.Optimizer"),
    ((optim.SGD(0.1), -1.0, "weights"), r"^rate: "),
    ((optim.SGD(0.1), 0.1, []), "^weights: expected the network's weight matrices"),
])
def test_bad_arguments_name_what_is_wrong(args, match):
    net = Network(2, seed=0).add_layer(1, "sigmoid")
    optimizer, rate, weights = args
    with pytest.raises(ValueError, match=match):
        PlaygroundL1(optimizer, rate, net.weights if weights == "weights" else weights)


def test_another_networks_parameters_are_refused():
    a = Network(2, seed=0).add_layer(1, "sigmoid")
    b = Network(2, seed=1).add_layer(1, "sigmoid")
    opt = PlaygroundL1(optim.SGD(0.1), 0.1, a.weights)
    with pytest.raises(ValueError, match="^params: these are not the parameters"):
        opt.check(b.params, b.grads)
