"""labnn.stack: S networks trained in lockstep equal S networks trained alone."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import labnn
from labnn import optim
from labnn.data import generate_linear, generate_xor_easy
from labnn.stack import NetworkStack

ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
OPTIMIZERS = {"sgd": 0.5, "momentum": 0.2, "adagrad": 0.1, "rmsprop": 0.005, "adam": 0.02}


def _nets(seeds, **kw):
    return [labnn.lab_network(seed=s, **kw) for s in seeds]


def _assert_same_run(stack, history, i, net, single):
    """Network i of the stack and a network trained alone: same per-epoch numbers and same
    parameters, bit for bit."""
    h = history.history(i)
    assert h.loss == single.loss, f"network {i}: loss curves differ"
    assert h.accuracy == single.accuracy, f"network {i}: accuracy curves differ"
    assert h.stopped_early == single.stopped_early
    for p, q in zip(stack.network(i).params, net.params, strict=True):
        assert np.array_equal(p, q), f"network {i}: parameters differ"


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_stacked_runs_equal_single_runs_bit_for_bit(activation, optimizer, loss):
    """Every activation, loss and optimizer: 3 stacked runs (own seeds and learning rates,
    shared data) equal 3 runs of Network.fit."""
    if activation == "linear" and loss == "bce":
        pytest.skip("bce needs probabilities; the linear-output network has none")
    X, y = generate_xor_easy()
    seeds = [0, 1, 2]
    lrs = [OPTIMIZERS[optimizer] * f for f in (1.0, 0.5, 0.25)]
    if activation == "linear":
        lrs = [lr * 0.05 for lr in lrs]
    stack = NetworkStack(_nets(seeds, activation=activation))
    history = stack.fit(X, y, epochs=120, lr=lrs, optimizer=optimizer, loss=loss)
    for i, s in enumerate(seeds):
        net = labnn.lab_network(seed=s, activation=activation)
        single = net.fit(X, y, epochs=120, lr=lrs[i], optimizer=optimizer, loss=loss)
        _assert_same_run(stack, history, i, net, single)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("regularization, rate", [("l1", 0.01), ("l2", 0.05)])
def test_regularized_stacked_runs_equal_single_runs_bit_for_bit(regularization, rate, optimizer):
    """A penalty (l1 or l2) in a stack: the same runs as Network.fit with that penalty, and
    not the runs without it."""
    X, y = generate_linear(n=60, seed=3)
    seeds, lrs = [0, 1, 2], [OPTIMIZERS[optimizer] * f for f in (1.0, 0.5, 0.25)]
    stack = NetworkStack(_nets(seeds))
    history = stack.fit(X, y, epochs=80, lr=lrs, optimizer=optimizer,
                        regularization=regularization, reg_rate=rate)
    plain = NetworkStack(_nets(seeds)).fit(X, y, epochs=80, lr=lrs, optimizer=optimizer)
    for i, s in enumerate(seeds):
        net = labnn.lab_network(seed=s)
        single = net.fit(X, y, epochs=80, lr=lrs[i], optimizer=optimizer,
                         regularization=regularization, reg_rate=rate)
        _assert_same_run(stack, history, i, net, single)
        assert history.history(i).loss != plain.history(i).loss


def test_each_network_can_have_its_own_data():
    data = [generate_linear(100, seed=s) for s in range(4)]
    X = np.stack([d[0] for d in data])
    y = np.stack([d[1] for d in data])
    stack = NetworkStack(_nets(range(4), hidden_units=3))
    history = stack.fit(X, y, epochs=200, lr=1.5)
    for i in range(4):
        net = labnn.lab_network(seed=i, hidden_units=3)
        single = net.fit(*data[i], epochs=200, lr=1.5)
        _assert_same_run(stack, history, i, net, single)
    loss, acc = stack.evaluate(X, y)
    for i in range(4):
        assert (loss[i], acc[i]) == stack.network(i).evaluate(*data[i])


def test_divergence_stops_only_the_networks_that_diverged_without_a_warning():
    X, y = generate_linear(100, seed=0)
    lrs = [0.01, 1.0, 0.02, 3.0]          # no activation: lr 1.0 and 3.0 blow up
    stack = NetworkStack(_nets(range(4), activation="linear"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = stack.fit(X, y, epochs=300, lr=lrs)
    assert history.diverged_at[0] == 0 and history.diverged_at[2] == 0
    assert history.diverged_at[1] > 0 and history.diverged_at[3] > 0
    for i, lr in enumerate(lrs):
        net = labnn.lab_network(seed=i, activation="linear")
        try:
            single = net.fit(X, y, epochs=300, lr=lr)
            diverged_at = 0
        except labnn.DivergenceError as exc:
            single = exc.history
            diverged_at = single.epochs + 1
        assert history.diverged_at[i] == diverged_at
        _assert_same_run(stack, history, i, net, single)
    assert np.isfinite(history.final_loss[[0, 2]]).all()


@pytest.mark.slow
def test_stop_at_matches_a_callback_that_stops_at_100_percent():
    X, y = generate_xor_easy()
    stack = NetworkStack(_nets(range(5)))
    history = stack.fit(X, y, epochs=3000, stop_at=1.0)
    assert history.stopped_early.any()
    for i in range(5):
        net = labnn.lab_network(seed=i)
        single = net.fit(X, y, epochs=3000, callback=lambda e, h: h.accuracy[-1] >= 1.0)
        _assert_same_run(stack, history, i, net, single)
        assert history.epochs_to(1.0)[i] == single.epochs_to(1.0)


def test_bookkeeping_per_network():
    X, y = generate_xor_easy()
    stack = NetworkStack(_nets(range(3)))
    history = stack.fit(X, y, epochs=50, lr=[1.0, 2.0, 3.0])
    assert history.loss.shape == history.accuracy.shape == (50, 3)
    assert history.final_loss.shape == history.final_accuracy.shape == (3,)
    assert list(history.epochs_run) == [50, 50, 50]
    assert history.final_loss[1] == history.loss[-1, 1]
    assert history.epochs_to(0.0) == [1, 1, 1]
    assert history.epochs_to(1.01) == [None, None, None]


def test_stack_size_one_and_a_single_network_argument():
    X, y = generate_xor_easy()
    net = labnn.lab_network(seed=7)
    stack = NetworkStack(net)
    history = stack.fit(X, y, epochs=30)
    single = labnn.lab_network(seed=7)
    _assert_same_run(stack, history, 0, single, single.fit(X, y, epochs=30))
    assert stack.size == 1 and "NetworkStack(size=1" in repr(stack)


def test_the_networks_given_to_a_stack_stay_untouched():
    nets = _nets(range(2))
    before = [[p.copy() for p in n.params] for n in nets]
    NetworkStack(nets).fit(*generate_xor_easy(), epochs=10)
    for n, ps in zip(nets, before):
        assert all(np.array_equal(p, q) for p, q in zip(n.params, ps))


class TestBadInput:
    def test_networks(self):
        with pytest.raises(ValueError, match="networks"):
            NetworkStack([])
        with pytest.raises(ValueError, match="networks"):
            NetworkStack([labnn.lab_network(seed=0), labnn.lab_network(seed=1, hidden_units=3)])
        with pytest.raises(ValueError, match="networks"):
            NetworkStack(["not a network"])
        conv = labnn.Network((1, 5, 5), seed=0).add(labnn.Conv2D(1, 2, 3))
        with pytest.raises(ValueError, match="Dense and Activation"):
            NetworkStack([conv])

    @pytest.mark.parametrize("kw, match", [
        ({"lr": [1.0, 2.0]}, "lr"), ({"lr": -1.0}, "lr"), ({"lr": [1.0, np.nan, 1.0]}, "lr"),
        ({"lr": "fast"}, "lr"), ({"lr": ["a", 1.0, 1.0]}, "lr"), ({"lr": [1.0, None, 1.0]}, "lr"),
        ({"epochs": 0}, "epochs"), ({"stop_at": 1.5}, "stop_at"),
        ({"optimizer": "nope"}, "optimizer"), ({"optimizer": optim.SGD(1.0)}, "optimizer"),
        ({"loss": "hinge"}, "loss"), ({"regularization": "l3"}, "regularization"),
        ({"reg_rate": 0.1}, "reg_rate"), ({"regularization": "l2", "reg_rate": -1}, "reg_rate"),
    ])
    def test_fit_arguments(self, kw, match):
        stack = NetworkStack(_nets(range(3)))
        with pytest.raises(ValueError, match=match):
            stack.fit(*generate_xor_easy(), **{"epochs": 5, **kw})

    def test_data(self):
        stack = NetworkStack(_nets(range(3)))
        X, y = generate_xor_easy()
        with pytest.raises(ValueError, match="X"):
            stack.fit(X[:, :1], y, epochs=1)
        with pytest.raises(ValueError, match="X"):
            stack.fit(np.stack([X, X]), y, epochs=1)            # 2 sets for 3 networks
        with pytest.raises(ValueError, match="y"):
            stack.fit(X, y[:-1], epochs=1)
        bad = X.copy()
        bad[0, 0] = np.nan
        with pytest.raises(ValueError, match="X"):
            stack.fit(bad, y, epochs=1)

    def test_network_index(self):
        stack = NetworkStack(_nets(range(2)))
        for i in (2, -1, 1.0, True):
            with pytest.raises(ValueError, match="i"):
                stack.network(i)


def test_a_network_that_leaves_takes_its_optimizer_state_along():
    """When networks leave a stack, the optimizer keeps the state (and learning rate) of the
    networks that stay: the survivors' runs equal their runs alone, for Adam too."""
    X, y = generate_xor_easy()
    lrs = [0.02, 0.1, 0.01]                          # Adam at lr 0.1 leaves early (stop_at)
    stack = NetworkStack(_nets(range(3)))
    history = stack.fit(X, y, epochs=150, lr=lrs, optimizer="adam", stop_at=1.0)
    assert history.stopped_early[1] and not history.stopped_early[[0, 2]].any()
    for i in range(3):
        net = labnn.lab_network(seed=i)
        single = net.fit(X, y, epochs=150, lr=lrs[i], optimizer="adam",
                         callback=lambda e, h: h.accuracy[-1] >= 1.0)
        _assert_same_run(stack, history, i, net, single)
    opt = optim.Adam(lr=0.1)
    with pytest.raises(ValueError, match="lr"):
        opt.lr = np.array([0.1, -1.0])




def test_a_last_update_that_blows_up_marks_only_that_network_as_diverged():
    X, y = generate_linear(20, seed=0)
    X = X * 1e3

    def nets():
        return [labnn.Network(2, seed=s).add_layer(4, "linear").add_layer(1, "linear")
                for s in range(2)]

    stack = NetworkStack(nets())
    history = stack.fit(X, y, epochs=1, lr=[1e-12, 1e308])
    assert list(history.diverged_at) == [0, 2]
    single = nets()[1]
    with pytest.raises(labnn.DivergenceError) as err:
        single.fit(X, y, epochs=1, lr=1e308)
    assert err.value.history.epochs + 1 == history.diverged_at[1]
    assert history.history(1).loss == err.value.history.loss


# ---------------------------------------------------------------------------- identity
def test_a_stack_holds_the_activation_functions_themselves():
    """Two functions of one name are two activations: a stack of them is refused (it would
    run network 1 with network 0's function), and network(i) keeps the function, also one
    that is not registered (the original report's sigmoid)."""
    from labnn.lab.original import ORIGINAL_SIGMOID
    fake = labnn.activations.ActivationFunction("tanh", np.sin, lambda z, a: np.cos(z))
    mixed = [labnn.Network(2, seed=0).add_layer(2, fake).add_layer(1, "sigmoid"),
             labnn.lab_network(seed=1, hidden_units=2, activation="tanh")]
    with pytest.raises(ValueError, match="^networks: network 1 differs .* activation functions"):
        NetworkStack(mixed)
    stack = NetworkStack(_nets(range(2), activation=ORIGINAL_SIGMOID))
    stack.fit(*generate_xor_easy(), epochs=3)
    for i in range(2):
        assert [layer.activation for layer in stack.network(i).layers] == [ORIGINAL_SIGMOID] * 2 \
            + [labnn.activations.get("sigmoid")]


# ---------------------------------------------------------------------------- bookkeeping
def test_a_long_fit_that_stops_early_holds_only_the_epochs_it_ran():
    """The history grows as the epochs come: epochs=10**8 with stop_at=0.0 allocated 10**8 x S
    rows (6 GB for S = 8) before epoch 1."""
    stack = NetworkStack(_nets(range(8)))
    history = stack.fit(*generate_xor_easy(), epochs=10**8, stop_at=0.0)
    assert history.loss.shape == (1, 8) and history.stopped_early.all()
    long = NetworkStack(_nets(range(2))).fit(*generate_xor_easy(), epochs=1500)
    assert long.loss.shape == (1500, 2) and np.isfinite(long.loss).all()


@pytest.mark.parametrize("i", [5, 0.5, -1, True, "0", None], ids=repr)
def test_a_network_index_is_one_rule_for_history_and_network(i):
    history = NetworkStack(_nets(range(2))).fit(*generate_xor_easy(), epochs=2)
    with pytest.raises(ValueError, match=r"^i: expected an integer in \[0, 1\]"):
        history.history(i)
    with pytest.raises(ValueError, match=r"^i: expected an integer in \[0, 1\]"):
        NetworkStack(_nets(range(2))).network(i)


def test_a_stack_needs_a_dense_layer():
    net = labnn.Network(2, seed=0).add(labnn.Activation("relu"))
    with pytest.raises(ValueError, match="^networks: a stack needs at least one Dense layer"):
        NetworkStack([net])


@pytest.mark.parametrize("lr, ok", [
    (np.int64(1), True), (np.float32(0.5), True), ([1, np.float64(0.5)], True),
    ((0.5, 0.25), True), (np.array([0.5, 0.25]), True),
    ([True, True], False), (True, False), (np.array([True, True]), False), ([[1.0, 1.0]], False),
    ({0.5, 0.25}, False),
], ids=repr)
def test_a_stack_takes_a_learning_rate_as_fit_does(lr, ok):
    """Each rate as Network.fit takes one: np.int64(1) is a rate, True is not."""
    stack = NetworkStack(_nets(range(2)))
    if ok:
        stack.fit(*generate_xor_easy(), epochs=1, lr=lr)
    else:
        with pytest.raises(ValueError, match=r"^lr(\[\d\])?: expected"):
            stack.fit(*generate_xor_easy(), epochs=1, lr=lr)


def test_evaluate_takes_the_targets_network_evaluate_takes():
    X, y = generate_xor_easy()
    with pytest.raises(ValueError, match="^y: accuracy needs class labels 0 or 1"):
        NetworkStack(_nets(range(2))).evaluate(X, y * 0 + 0.5)
    with pytest.raises(ValueError, match="^y: accuracy needs class labels 0 or 1"):
        labnn.lab_network(seed=0).evaluate(X, y * 0 + 0.5)


def test_forward_and_backward_check_their_arrays():
    stack = NetworkStack(_nets(range(2)))
    with pytest.raises(ValueError, match=r"^X: expected shape \(N, 2\)"):
        stack.forward(np.ones((3, 5)))
    with pytest.raises(ValueError, match="^dout: backward called before forward"):
        stack.backward(np.ones((2, 3, 1)))
    out = stack.forward([[0.0, 1.0]])
    assert out.shape == (2, 1, 1)
    with pytest.raises(ValueError, match=r"^dout: expected the shape of the last forward"):
        stack.backward(np.ones((2, 3, 1)))
    assert stack.backward(np.ones((2, 1, 1))).shape == (2, 1, 2)


def test_a_last_update_whose_loss_is_not_finite_diverges_as_fit_says():
    """Finite but huge weights whose loss overflows: the network diverged at the epoch after
    its last, where Network.fit raises, in a stack too."""
    X, y = generate_xor_easy()

    def nets():
        return [labnn.Network(2, seed=s).add_layer(1, "linear") for s in range(2)]

    history = NetworkStack(nets()).fit(X, y, epochs=1, lr=[0.1, 1e300])
    assert list(history.diverged_at) == [0, 2]
    with pytest.raises(labnn.DivergenceError, match="made the loss NaN or inf") as err:
        nets()[1].fit(X, y, epochs=1, lr=1e300)
    assert err.value.history.epochs + 1 == history.diverged_at[1]


def test_a_concurrent_fit_of_the_same_stack_is_refused():
    stack = NetworkStack(_nets(range(2)))
    X, y = generate_xor_easy()

    def update(s, dout, opt):
        s.fit(X, y, epochs=1)

    with pytest.raises(RuntimeError, match="^network: a fit is training it now"):
        stack.fit(X, y, epochs=1, update=update)
