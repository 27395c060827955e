"""labnn.network: shapes, determinism, bad input, training options, divergence, the penalties
in fit, one validation path for fit, evaluate and loss, no warning escaping a public call, and
arguments that name themselves."""

import io
import re

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import labnn
from labnn import Dense, Network, data, losses, optim
from labnn.activations import ActivationFunction
from labnn.data import generate_linear, generate_xor_easy
from labnn.layers import Activation

XOR = generate_xor_easy()
X, Y = XOR


def test_params_and_grads_order_and_shapes():
    net = labnn.Network(2, seed=0).add_layer(3, "tanh").add_layer(5, "relu").add_layer(1)
    assert [p.shape for p in net.params] == [(2, 3), (3,), (3, 5), (5,), (5, 1), (1,)]
    assert [g.shape for g in net.grads] == [p.shape for p in net.params]
    assert all(p.dtype == np.float64 for p in net.params)
    assert net.out_features == 1 and net.num_params == 9 + 20 + 6


def test_add_layer_returns_the_network_and_repr_shows_architecture():
    net = labnn.Network(2, seed=1)
    assert net.add_layer(4, "sigmoid") is net
    net.add_layer(4, "sigmoid").add_layer(1, "sigmoid")
    text = repr(net)
    assert "Dense(2 -> 4, sigmoid)" in text and "W (4, 1)" in text
    assert "total: 37 parameters" in text


def test_backward_fills_grads_and_never_changes_params():
    X, y = XOR
    net = labnn.lab_network(seed=0)
    before = [p.copy() for p in net.params]
    out = net.forward(X)
    dX = net.backward(np.ones_like(out))
    assert dX.shape == X.shape
    assert all(np.array_equal(a, b) for a, b in zip(before, net.params))
    assert all(np.abs(g).sum() > 0 for g in net.grads)


def test_fit_is_exact_gradient_descent():
    """One fit epoch = full backward pass, then one update with the gradients of the
    parameters as they were (not the original report's update-before-propagate)."""
    from labnn.lab.original import original_step

    X, y = XOR
    a, b, c = (labnn.lab_network(seed=4) for _ in range(3))
    a.fit(X, y, epochs=1, lr=0.5)
    b.backward(labnn.losses.mse(b.forward(X), y)[1])   # gradient descent, written out
    for p, g in zip(b.params, b.grads):
        p -= 0.5 * g
    original_step(c, X, y, lr=0.5)
    for pa, pb in zip(a.params, b.params):
        np.testing.assert_array_equal(pa, pb)
    assert any(not np.allclose(pa, pc, rtol=0, atol=1e-12) for pa, pc in zip(a.params, c.params))


def test_same_seed_same_bits():
    X, y = generate_linear(50, seed=3)
    runs = []
    for _ in range(2):
        net = labnn.lab_network(seed=7)
        h = net.fit(X, y, epochs=200, lr=0.5, batch_size=8, seed=11)
        runs.append((h.loss, [p.tobytes() for p in net.params]))
    assert runs[0] == runs[1]
    other = labnn.lab_network(seed=8)
    assert other.params[0].tobytes() != runs[0][1][0]


def test_data_generators_are_seeded():
    assert np.array_equal(generate_linear(20, seed=1)[0], generate_linear(20, seed=1)[0])
    assert not np.array_equal(generate_linear(20, seed=1)[0], generate_linear(20, seed=2)[0])


def test_fit_log_and_history():
    X, y = XOR
    buf = io.StringIO()
    h = labnn.lab_network(seed=0).fit(X, y, epochs=300, log_every=100, file=buf)
    lines = buf.getvalue().splitlines()
    assert len(lines) == 3
    assert all(re.fullmatch(r"epoch \d+ loss : \d\.\d{5}", line) for line in lines)
    assert lines[-1] == f"epoch 300 loss : {h.loss[-1]:.5f}"
    assert h.epochs == len(h.accuracy) == 300
    assert h.loss[0] > h.loss[-1]


def test_fit_is_silent_by_default(capsys):
    labnn.lab_network(seed=0).fit(*XOR, epochs=10)
    assert capsys.readouterr().out == ""


def test_history_loss_is_the_loss_before_each_step():
    X, y = XOR
    net = labnn.lab_network(seed=2)
    start = net.loss(X, y)
    h = net.fit(X, y, epochs=5)
    assert h.loss[0] == pytest.approx(start, rel=1e-14)
    assert h.accuracy[0] == labnn.accuracy(y, labnn.lab_network(seed=2).predict(X))


def test_minibatches_cover_every_sample_once_per_epoch():
    X, y = generate_linear(37, seed=0)
    net = labnn.lab_network(seed=0)
    seen = []
    orig = net.layers[0].forward

    def spy(x):
        seen.append(len(x))
        return orig(x)

    net.layers[0].forward = spy
    net.fit(X, y, epochs=2, batch_size=10, seed=0)
    assert seen == [10, 10, 10, 7, 10, 10, 10, 7, 37]    # and the loss the fit leaves


def test_shuffle_changes_order_but_not_without_it():
    X, y = generate_linear(40, seed=0)
    r = [labnn.lab_network(seed=0).fit(X, y, epochs=3, batch_size=8, seed=s).loss
         for s in (1, 2)]
    assert r[0] != r[1]
    r = [labnn.lab_network(seed=0).fit(X, y, epochs=3, batch_size=8, seed=s,
                                       shuffle=False).loss for s in (1, 2)]
    assert r[0] == r[1]


def test_callback_can_stop_training():
    calls = []

    def cb(epoch, history):
        calls.append((epoch, history.epochs))
        return epoch == 7

    h = labnn.lab_network(seed=0).fit(*XOR, epochs=100, callback=cb)
    assert h.epochs == 7 and h.stopped_early and calls[-1] == (7, 7)


@pytest.mark.parametrize("name", labnn.optim.NAMES)
def test_every_optimizer_trains(name):
    X, y = XOR
    net = labnn.lab_network(seed=0)
    before = net.loss(X, y)
    lr = {"sgd": 1.0, "momentum": 0.5}.get(name, 0.05)
    h = net.fit(X, y, epochs=300, optimizer=name, lr=lr)
    assert h.final_loss < before


def test_optimizer_instance_state_carries_over_and_lr_conflict():
    X, y = XOR
    net = labnn.lab_network(seed=0)
    opt = labnn.optim.Adam(lr=0.01)
    net.fit(X, y, epochs=5, optimizer=opt)
    net.fit(X, y, epochs=5, optimizer=opt)
    assert opt.state[0]["step"] == 10
    with pytest.raises(ValueError, match="lr: give the learning rate to the optimizer"):
        net.fit(X, y, epochs=1, optimizer=opt, lr=0.1)


def test_bce_loss_trains_and_float32_works():
    X, y = XOR
    net = labnn.lab_network(seed=1, dtype=np.float32)
    h = net.fit(X, y, epochs=3000, loss="bce", lr=0.5)
    assert net.predict(X).dtype == np.float32
    assert all(p.dtype == np.float32 for p in net.params)
    assert h.final_accuracy == 1.0


def test_divergence_stops_with_a_clear_error(recwarn):
    X, y = generate_linear(20, seed=0)
    net = labnn.Network(2, seed=0).add_layer(8, "relu").add_layer(1, "linear")
    with pytest.raises(labnn.DivergenceError, match=r"loss became (inf|nan) at epoch \d+") as err:
        net.fit(X * 1e3, y, epochs=1000, lr=10.0)
    assert len(recwarn) == 0
    history = err.value.history                        # the epochs before the divergence
    assert 0 < history.epochs < 1000 and all(np.isfinite(history.loss))


# ---------------------------------------------------------------------------- bad input
BAD_FIT = [
    (dict(X=np.zeros((3, 3))), r"X: expected shape \(N, 2\)"),
    (dict(X=np.zeros(3)), r"X: expected shape \(N, 2\)"),
    (dict(X=np.zeros((0, 2))), "X: expected a non-empty array"),
    (dict(X=np.array([[np.nan, 0.0]] * 3)), "X: expected finite values"),
    (dict(X=np.array([["a", "b"]] * 3)), "X: expected a real numeric array"),
    (dict(y=np.zeros(3)), r"y: expected shape \(3, 1\)"),
    (dict(y=np.zeros((4, 1))), r"y: expected shape \(3, 1\)"),
    (dict(y=np.array([[np.inf]] * 3)), "y: expected finite values"),
    (dict(epochs=0), "epochs: expected a positive integer"),
    (dict(epochs=2.5), "epochs: expected a positive integer"),
    (dict(lr=0), "lr: expected a positive finite number"),
    (dict(lr=-1.0), "lr: expected a positive finite number"),
    (dict(batch_size=0), "batch_size: expected a positive integer"),
    (dict(loss="hinge"), "loss: expected one of .*bce.*mse"),
    (dict(optimizer="lbfgs"), "optimizer: expected one of"),
    (dict(optimizer=3), "optimizer: expected None, a name"),
    (dict(log_every=-1), "log_every: expected a non-negative integer"),
    (dict(seed=-3), "seed: expected None or a non-negative integer"),
    (dict(callback=5), "callback: expected a callable"),
    (dict(loss="bce", y=np.full((3, 1), 2.0)), r"y: expected targets in \[0, 1\]"),
]


@pytest.mark.parametrize("override,message", BAD_FIT)
def test_fit_rejects_bad_input(override, message):
    args = dict(X=np.zeros((3, 2)), y=np.zeros((3, 1)), epochs=1)
    args.update(override)
    net = labnn.lab_network(seed=0)
    with pytest.raises(ValueError, match=message):
        net.fit(**args)


@pytest.mark.parametrize("kwargs,message", [
    (dict(in_features=0), "in_features: expected a positive integer"),
    (dict(in_features=2, dtype=np.int32), "dtype: expected float32 or float64"),
    (dict(in_features=2, dtype="float16"), "dtype: expected float32 or float64"),
    (dict(in_features=2, seed=1.5), "seed: expected None or a non-negative integer"),
    (dict(in_features=2, init="zeros"), "init: expected one of"),
])
def test_constructor_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        labnn.Network(**kwargs)


def test_layer_and_pass_errors():
    net = labnn.Network(2, seed=0)
    with pytest.raises(ValueError, match="units: expected a positive integer"):
        net.add_layer(0, "sigmoid")
    with pytest.raises(ValueError, match="activation: unknown name 'swish'"):
        net.add_layer(3, "swish")
    with pytest.raises(ValueError, match="network: it has no layers"):
        net.forward(np.zeros((1, 2)))
    net.add_layer(1, "sigmoid")
    net.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"dout: expected the shape of the last forward output"):
        net.backward(np.zeros((3, 1)))
    with pytest.raises(ValueError, match="layer: expected a labnn Layer"):
        net.add("dense")


@pytest.mark.parametrize("fn,kwargs,message", [
    (generate_linear, dict(n=0), "n: expected a positive integer"),
    (generate_linear, dict(n=-5), "n: expected a positive integer"),
    (generate_linear, dict(n=10, noise=-0.1), "noise: expected a number in"),
    (generate_linear, dict(n=10, seed="x"), "seed: expected None"),
])
def test_data_rejects_bad_input(fn, kwargs, message):
    with pytest.raises(ValueError, match=message):
        fn(**kwargs)










def test_history_holds_plain_floats():
    h = labnn.lab_network(seed=0).fit(*XOR, epochs=3)
    h2 = labnn.lab_network(seed=0).fit(*XOR, epochs=3, batch_size=5, seed=0)
    for hist in (h, h2):
        assert all(type(v) is float for v in hist.loss + hist.accuracy)


class TestNoRunEndsWithNonFiniteParameters:
    """A last update that makes the parameters NaN or inf is a divergence too (the loss of the
    next epoch, which would show it, is never computed), and save/load refuse such weights."""

    @pytest.mark.parametrize("epochs, stop_after", [(1, None), (5, 1), (5, 2)])
    def test_a_last_update_that_blows_up_raises(self, epochs, stop_after):
        X, y = generate_linear(20, seed=0)
        net = labnn.Network(2, seed=0).add_layer(4, "linear").add_layer(1, "linear")
        lrs = iter([1e-3] * ((stop_after or epochs) - 1) + [1e308])
        opt = labnn.optim.SGD(lr=1e-3)

        def callback(epoch, history):                     # the last update is the huge one
            opt.lr = next(lrs, 1e-3)
            return stop_after is not None and epoch == stop_after

        opt.lr = next(lrs)
        with pytest.raises(labnn.DivergenceError, match="made a parameter NaN or inf") as err:
            net.fit(X * 1e3, y, epochs=epochs, optimizer=opt, callback=callback)
        assert err.value.history.epochs == (stop_after or epochs)
        assert all(np.isfinite(err.value.history.loss))

    def test_save_refuses_and_load_rejects_non_finite_weights(self, tmp_path):
        net = labnn.lab_network(seed=0)
        for bad in (np.nan, np.inf, -np.inf):
            net.params[2][0, 0] = bad
            with pytest.raises(ValueError, match="NaN or inf"):
                net.save(tmp_path / "bad.npz")
            assert not (tmp_path / "bad.npz").exists()
        good = labnn.lab_network(seed=0)
        good.save(tmp_path / "good.npz")
        with np.load(tmp_path / "good.npz", allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        arrays["layer1_param0"] = arrays["layer1_param0"].copy()
        arrays["layer1_param0"][1, 1] = np.nan
        np.savez(tmp_path / "tampered.npz", **arrays)
        with pytest.raises(ValueError, match="layer 1 parameter 0 holds NaN or inf"):
            labnn.Network.load(tmp_path / "tampered.npz")


def _tanh_net(seed=0, widths=(5, 4), activation="tanh", bias=True):
    net = Network(2, seed=seed)
    for w in widths:
        net.add(Dense(w, activation, bias=bias))
    return net.add_layer(1, "sigmoid")


def _same_params(a, b):
    return all(np.array_equal(p, q) for p, q in zip(a.params, b.params, strict=True))


# ---------------------------------------------------------------- fit
def test_weights_not_biases():
    net = _tanh_net()
    assert [w.shape for w in net.weights] == [(2, 5), (5, 4), (4, 1)]
    assert all(w is layer.params[0] for w, layer in zip(net.weights, net.layers))
    X, y = data.generate_xor_easy()
    plain, penalised = _tanh_net(), _tanh_net()
    for net, reg in ((plain, {}), (penalised, {"regularization": "l2", "reg_rate": 0.5})):
        net.fit(X, y, epochs=1, **reg)
    # one SGD step at lr 1: W moved by an extra rate * W, b exactly as without the penalty
    for k, (p, q, w0) in enumerate(zip(plain.params, penalised.params, _tanh_net().params)):
        if k % 2:
            np.testing.assert_array_equal(p, q)
        else:
            np.testing.assert_allclose(q, p - 0.5 * w0, rtol=0, atol=1e-12)


def test_defaults_are_bit_identical():
    X, y = data.generate_xor_easy()
    runs = [_tanh_net(), _tanh_net(), _tanh_net()]
    h0 = runs[0].fit(X, y, epochs=50)
    h1 = runs[1].fit(X, y, epochs=50, regularization=None, reg_rate=0.0)
    h2 = runs[2].fit(X, y, epochs=50, regularization="none")
    assert h0.loss == h1.loss == h2.loss
    assert _same_params(runs[0], runs[1]) and _same_params(runs[0], runs[2])


@pytest.mark.parametrize("regularization", ["l1", "l2"])
def test_history_loss_is_the_data_loss_without_the_penalty(regularization):
    # Playground reports the data loss; so does fit: loss[0] is the loss at the starting
    # weights, exactly net.loss, with no penalty added.
    X, y = data.generate_circle(n=40, seed=0)
    net, ref = _tanh_net(), _tanh_net()
    h = net.fit(X, y, epochs=3, regularization=regularization, reg_rate=0.1)
    assert h.loss[0] == ref.loss(X, y)
    penalty = losses.penalty(regularization, 0.1).value(ref.weights)
    assert penalty > 0.01 and h.loss[0] != ref.loss(X, y) + penalty


def test_l2_shrinks_the_weights_and_mini_batches_work():
    X, y = data.generate_circle(n=60, seed=0)
    norms = {}
    for reg in (None, "l2"):
        net = _tanh_net()
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
        net = _tanh_net(seed=seed, widths=(8, 8))
        net.fit(X, y, epochs=1000, lr=0.3, regularization=reg, reg_rate=rate)
        W = np.concatenate([w.ravel() for w in net.weights])
        fractions[reg] = float(np.mean(np.abs(W) < 1e-3))
        assert net.evaluate(X, y)[1] >= 0.85
    assert fractions[None] <= 0.02, fractions
    assert fractions["l1"] >= 0.3, fractions


ONE_HOT = np.eye(2)[(Y[:, 0] > 0.5).astype(int)]


def _two_layer_net(out=1, output="sigmoid", hidden="sigmoid", dtype=np.float64, seed=0):
    return (labnn.Network(2, seed=seed, dtype=dtype).add_layer(4, hidden)
            .add_layer(out, output))


class TestOneValidationPathForFitAndEvaluate:
    """fit, evaluate and loss check the targets and the output unit one way (losses.check), and
    the loss functions check their targets: nothing trains on what evaluate would refuse."""

    @pytest.mark.parametrize("output", ["linear", "relu", "tanh", "leaky_relu"])
    @pytest.mark.parametrize("call", ["fit", "evaluate", "loss"])
    def test_bce_needs_a_probability_output(self, output, call):
        net = _two_layer_net(output=output)
        kwargs = {"epochs": 2} if call == "fit" else {}
        with pytest.raises(ValueError, match=r"^loss: 'bce' needs outputs in \[0, 1\]"):
            getattr(net, call)(X, Y, loss="bce", **kwargs)

    @pytest.mark.parametrize("call", ["fit", "evaluate", "loss"])
    def test_softmax_ce_needs_two_classes(self, call):
        net = _two_layer_net(output="linear")
        kwargs = {"epochs": 2} if call == "fit" else {}
        with pytest.raises(ValueError, match="^y: softmax_ce needs one column per class"):
            getattr(net, call)(X, Y, loss="softmax_ce", **kwargs)

    @pytest.mark.parametrize("targets", [
        np.full((21, 2), 0.5) * [1, 0.4],          # rows summing to 0.7
        np.column_stack([Y[:, 0] * 2, -Y[:, 0]]),  # negative entries, rows summing to 1
        np.ones((21, 2)),                           # rows summing to 2
    ])
    @pytest.mark.parametrize("call", ["fit", "evaluate", "loss"])
    def test_softmax_ce_needs_one_hot_targets(self, targets, call):
        net = _two_layer_net(out=2, output="linear")
        kwargs = {"epochs": 2} if call == "fit" else {}
        with pytest.raises(ValueError, match="^y: expected one-hot rows"):
            getattr(net, call)(X, targets, loss="softmax_ce", **kwargs)

    @pytest.mark.parametrize("call", ["fit", "evaluate", "loss"])
    @pytest.mark.parametrize("bad", [-3.0, -1e-9, 1.000001, 2.0])
    def test_bce_needs_targets_in_0_1(self, call, bad):
        y = Y.copy()
        y[3, 0] = bad
        kwargs = {"epochs": 2} if call == "fit" else {}
        with pytest.raises(ValueError, match=r"^y: expected targets in \[0, 1\]"):
            getattr(_two_layer_net(), call)(X, y, loss="bce", **kwargs)

    @given(y=st.floats(-1e6, 1e6).filter(lambda v: not 0 <= v <= 1),
           p=st.floats(0.0, 1.0))
    def test_the_loss_functions_check_their_targets(self, y, p):
        with pytest.raises(ValueError, match=r"^y: expected targets in \[0, 1\]"):
            losses.bce(np.array([p]), np.array([y]))

    def test_a_negative_target_for_bce(self):
        with pytest.raises(ValueError, match=r"^y: expected targets in \[0, 1\]"):
            losses.bce(0.1, y=-3)

    @pytest.mark.parametrize("kind", ["network", "stack"])
    def test_stacks_take_the_same_path(self, kind):
        nets = [_two_layer_net(output="linear", seed=s) for s in range(2)]
        stack = labnn.NetworkStack(nets)
        with pytest.raises(ValueError, match=r"^loss: 'bce' needs outputs in \[0, 1\]"):
            stack.fit(X, Y, epochs=2, loss="bce")
        with pytest.raises(ValueError, match="^y: softmax_ce needs one column per class"):
            stack.evaluate(X, Y, loss="softmax_ce")

    def test_what_each_loss_accepts_still_trains(self):
        assert np.isfinite(_two_layer_net().fit(X, Y, epochs=3, loss="bce").loss).all()
        assert np.isfinite(_two_layer_net(out=2, output="linear").fit(
            X, ONE_HOT, epochs=3, loss="softmax_ce").loss).all()
        regression = _two_layer_net(output="linear")
        regression.fit(X, 3.3 * Y - 1, epochs=3, loss="mse")
        assert np.isfinite(regression.loss(X, 3.3 * Y - 1))

    def test_evaluate_says_why_regression_targets_have_no_accuracy(self):
        with pytest.raises(ValueError, match=r"^y: accuracy needs class labels 0 or 1 .*"
                                             r"such as 3\.3.*net\.loss\(X, y\)"):
            _two_layer_net(output="linear").evaluate(X, 3.3 * Y)

    def test_a_custom_bounded_activation_may_declare_its_range(self):
        base = labnn.activations.get("sigmoid")
        half = ActivationFunction("half_sigmoid_test", lambda z: 0.5 * base.value(z),
                                  lambda z, a: 0.5 * base.derivative(z, 2 * a), (0.0, 0.5))
        net = labnn.Network(2, seed=0).add_layer(3, "tanh").add(Dense(1, half))
        assert np.isfinite(net.fit(X, Y, epochs=2, loss="bce").loss).all()


class TestALayerBelongsToOneNetwork:
    """A layer object belongs to one network: a second network (which would share its weights
    and draw them again) is refused."""

    @pytest.mark.parametrize("make", [lambda: Dense(3, "tanh"), lambda: Activation("relu")])
    def test_a_second_network_is_refused(self, make):
        layer = make()
        first = labnn.Network(2, seed=0).add(layer)
        before = [p.copy() for p in first.params]
        with pytest.raises(ValueError, match="^layer: this layer object is already in a network"):
            labnn.Network(2, seed=1).add(layer)
        assert all(np.array_equal(a, b) for a, b in zip(before, first.params))

    def test_the_same_network_twice_is_refused(self):
        layer = Dense(2, "tanh")
        net = labnn.Network(2, seed=0).add(layer)
        with pytest.raises(ValueError, match="^layer: this layer object is already in a network"):
            net.add(layer)
        assert len(net.layers) == 1

    def test_a_loaded_or_copied_network_builds_its_own_layers(self, tmp_path):
        net = labnn.lab_network(seed=0)
        stack = labnn.NetworkStack([net, labnn.lab_network(seed=1)])
        again = stack.network(0)
        assert all(a is not b for a, b in zip(again.layers, net.layers))


FLAG_VALUES = ["false", "no", "", 0, 1, 0.0, None, [], [True], np.int64(1), np.array([True])]


class TestFlagsAreBools:
    """A flag is True or False (NumPy bools too), never a truthy value: SGD(nesterov="false"),
    Adam(amsgrad="no") and fit(shuffle="no") are refused."""

    @pytest.mark.parametrize("value", FLAG_VALUES, ids=repr)
    @pytest.mark.parametrize("make, name", [
        (lambda v: optim.SGD(lr=0.1, momentum=0.9, nesterov=v), "nesterov"),
        (lambda v: optim.Momentum(lr=0.1, nesterov=v), "nesterov"),
        (lambda v: optim.Adam(amsgrad=v), "amsgrad"),
        (lambda v: optim.RMSprop(centered=v), "centered"),
        (lambda v: _two_layer_net().fit(X, Y, epochs=1, batch_size=4, shuffle=v), "shuffle"),
        (lambda v: labnn.activations.register(labnn.activations.get("tanh"), overwrite=v),
         "overwrite"),
    ])
    def test_anything_but_a_bool_is_refused(self, make, name, value):
        with pytest.raises(ValueError, match=f"^{name}: expected True or False"):
            make(value)

    @pytest.mark.parametrize("value", [True, False, np.True_, np.False_])
    def test_python_and_numpy_bools_are_accepted(self, value):
        assert optim.Adam(amsgrad=value).amsgrad is bool(value)
        assert optim.RMSprop(centered=value).centered is bool(value)
        assert optim.SGD(lr=0.1, momentum=0.9, nesterov=value).nesterov is bool(value)

    def test_numpy_false_really_does_not_shuffle(self):
        a = _two_layer_net().fit(X, Y, epochs=3, batch_size=4, shuffle=np.False_, seed=1)
        b = _two_layer_net().fit(X, Y, epochs=3, batch_size=4, shuffle=False, seed=2)
        assert a.loss == b.loss


EXTREME = st.floats(min_value=-1e308, max_value=1e308, allow_nan=False)


class TestNoWarningEscapes:
    """Extreme but finite inputs give no NumPy RuntimeWarning (overflow in cast, exp, matmul)
    and no NaN: a public call works or raises ValueError (every warning is an error here, as in
    every test: pyproject's filterwarnings)."""

    @pytest.mark.parametrize("value", [1e39, -1e300, 3.5e38, np.finfo(np.float64).max])
    @pytest.mark.parametrize("call", ["predict", "fit", "evaluate", "loss", "layer_outputs"])
    def test_values_that_do_not_fit_a_float32_network(self, value, call):
        Xb = X.copy()
        Xb[0, 0] = value
        args = (Xb,) if call in ("predict", "layer_outputs") else (Xb, Y)
        with pytest.raises(ValueError, match=r"^X: values up to .* do not fit in float32"):
            getattr(_two_layer_net(dtype=np.float32), call)(*args)

    def test_targets_that_do_not_fit_a_float32_network(self):
        with pytest.raises(ValueError, match=r"^y: values up to .* do not fit in float32"):
            _two_layer_net(dtype=np.float32).loss(X, Y * 1e300)

    @given(z=st.lists(EXTREME, min_size=1, max_size=6))
    @pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu", "linear"])
    def test_a_layer_alone_gives_the_limits(self, activation, z):
        layer = Activation(activation)
        labnn.Network(len(z), seed=0).add(layer)
        out = layer.forward(np.array([z]))
        assert out.shape == (1, len(z)) and not np.isnan(out).any()

    @pytest.mark.parametrize("x", [-1e5, 1e5, -1e200, 1e300])
    def test_dense_forward_alone_saturates_silently(self, x):
        layer = Dense(3, "sigmoid")
        labnn.Network(2, seed=0).add(layer)
        out = layer.forward(np.array([[x, x]]))
        assert np.isin(out, (0.0, 1.0)).all()

    @given(x=st.tuples(EXTREME, EXTREME), seed=st.integers(0, 50),
           hidden=st.sampled_from(["sigmoid", "tanh", "relu", "leaky_relu"]),
           output=st.sampled_from(["sigmoid", "linear"]))
    @example(x=(1e308, 1e308), seed=0, hidden="relu", output="linear")        # was inf
    @example(x=(1e308, -1e308), seed=0, hidden="leaky_relu", output="sigmoid")  # was a warning
    def test_predict_works_or_raises_value_error(self, x, seed, hidden, output):
        net = _two_layer_net(hidden=hidden, output=output, seed=seed)
        try:
            out = net.predict(np.array([x]))
        except ValueError as exc:
            assert str(exc).startswith("X: the network's output is NaN or inf")
        else:
            assert np.isfinite(out).all()

    @pytest.mark.parametrize("call", ["predict", "evaluate", "loss", "layer_outputs"])
    def test_inputs_at_the_largest_float(self, call):
        net = _two_layer_net(hidden="relu", output="linear")
        Xb = np.array([[1e308, 1e308], [-1e308, 1e308]])
        args = (Xb,) if call in ("predict", "layer_outputs") else (Xb, np.zeros((2, 1)))
        with pytest.raises(ValueError, match="^X: the network's output is NaN or inf"):
            getattr(net, call)(*args)

    def test_fit_on_inputs_the_untrained_network_overflows_on(self):
        net = _two_layer_net(hidden="relu", output="linear")
        with pytest.raises(labnn.DivergenceError, match="at epoch 1.*inputs up to 1e\\+308"):
            net.fit(np.array([[1e308, 1e308], [-1e308, 1e308]]), np.zeros((2, 1)), epochs=3)

    def test_sigmoid_value_at_extremes(self):
        sig = labnn.activations.get("sigmoid")
        z = np.array([-1e308, -1e4, -745.2, 0.0, 745.2, 1e4, 1e308])
        assert sig.value(z).tolist()[:2] == [0.0, 0.0] and sig.value(z)[-1] == 1.0


class TestArgumentsNameThemselves:
    """The wrong-exception list: raw AttributeError, IndexError, TypeError or
    DTypePromotionError, or a message naming an argument the user never passed."""

    @pytest.mark.parametrize("file", ["log.txt", 3, b"x", object()], ids=repr)
    def test_file_must_be_a_stream(self, file):
        with pytest.raises(ValueError, match="^file: expected None .* or an open text file"):
            _two_layer_net().fit(X, Y, epochs=2, log_every=1, file=file)
        with pytest.raises(ValueError, match="^file: expected None .* or an open text file"):
            labnn.lab.test(_two_layer_net(), X, Y, file=file)

    def test_a_stream_works(self):
        out = io.StringIO()
        _two_layer_net().fit(X, Y, epochs=2, log_every=1, file=out)
        assert out.getvalue().startswith("epoch 1 loss : ")

    @pytest.mark.parametrize("lo, hi", [
        (None, (1, 1)), ((0,), (1, 1)), ((0, 0, 0), (1, 1, 1)), ((1, 1), (0, 0)),
        ((0, 1), (1, 1)), ("ab", (1, 1)), ((np.nan, 0), (1, 1)), ((0, 0), (np.inf, 1)),
        ([[0, 0]], [[1, 1]]),
    ], ids=repr)
    def test_predict_grid_bounds(self, lo, hi):
        with pytest.raises(ValueError, match="^(lo|hi|lo, hi): expected"):
            _two_layer_net().predict_grid(lo, hi)

    def test_predict_grid_needs_two_inputs(self):
        net = labnn.Network(3, seed=0).add_layer(1)
        with pytest.raises(ValueError, match="^network: predict_grid needs a two-input"):
            net.predict_grid((0, 0), (1, 1))

    @pytest.mark.parametrize("units", [2.5, "4", 0, -1, True, None])
    def test_lab_network_names_hidden_units(self, units):
        with pytest.raises(ValueError, match="^hidden_units: expected a positive integer"):
            labnn.lab_network(hidden_units=units)

    def test_gradcheck_names_y_not_y_hat(self):
        net = labnn.lab_network(seed=0)
        with pytest.raises(ValueError, match=r"^y: expected shape \(21, 1\)"):
            labnn.gradcheck.grad_check_network(net, X, np.zeros((21, 2)))
        with pytest.raises(ValueError, match=r"^loss: 'bce' needs outputs in \[0, 1\]"):
            labnn.gradcheck.grad_check_network(_two_layer_net(output="linear"), X, Y, loss="bce")

    @pytest.mark.parametrize("name", ["MyTanhTest", "UPPER_TEST", "Mixed_Case_Test"])
    def test_an_activation_registered_in_any_case_is_found(self, name):
        base = labnn.activations.get("tanh")
        labnn.activations.register(ActivationFunction(name, base.value, base.derivative))
        try:
            assert labnn.activations.get(name).name == name
            assert labnn.activations.get(name.lower()).name == name
            layer = Dense(2, name)
            net = labnn.Network(2, seed=0).add(layer)
            assert net.layers[0].activation.name == name
        finally:
            del labnn.activations.REGISTRY[name.lower()]

    @pytest.mark.parametrize("name", ["identity", "None", "SIGMOID"])
    def test_an_alias_or_a_taken_name_is_refused(self, name):
        base = labnn.activations.get("tanh")
        with pytest.raises(ValueError, match="^activation: "):
            labnn.activations.register(ActivationFunction(name, base.value, base.derivative))


# ---------------------------------------------------------------- sizes
class TestOneSizeRule:
    """Every size a user gives is bounded before anything is allocated (labnn._checks.
    MAX_ARRAY_BYTES), naming the argument: never a MemoryError, never a size that wraps."""

    @pytest.mark.parametrize("make, name", [
        (lambda: Network(10**15), "in_features"),
        (lambda: Network((2**32, 2**32, 2**32)), "in_features"),
        (lambda: Network(2).add_layer(10**12), "units"),
        (lambda: Network(10**8).add_layer(4), "units"),
        (lambda: _two_layer_net().predict_grid((0, 0), (1, 1), resolution=100_000),
         "resolution"),
    ])
    def test_a_size_too_large_is_a_value_error_naming_it(self, make, name):
        with pytest.raises(ValueError, match=f"^{name}: .* would take .* bytes, more than"):
            make()

    def test_a_layer_whose_output_is_too_large_for_one_sample(self):
        with pytest.raises(ValueError, match="^in_features: one sample"):
            Network((2**20, 2**8, 2**8))                    # 2**36 values a sample
        net = Network((1, 64, 64))
        state = net.rng.bit_generator.state
        with pytest.raises(ValueError, match="^layer: the output of Conv2D for one sample"):
            net.add(labnn.Conv2D(1, 2**17, 1))             # 2**29 values a sample
        assert net.rng.bit_generator.state == state and not net.layers   # nothing drawn


# ---------------------------------------------------------------- fit takes what it needs
class TestFitOwnsItsRun:
    """fit trains on its own copy of X and y, and nothing changes the network's structure
    while it runs: a callback cannot add a layer (it would train with stale optimizer state,
    or broadcast y against a wider output), nor start a second fit of the same network."""

    def test_x_that_is_a_weight_trains_as_a_copy_would(self):
        def net():
            return Network(2, seed=0).add_layer(2, "tanh").add_layer(2, "tanh")
        aliased, copied = net(), net()
        target = np.full((2, 2), 0.5)
        aliased.fit(aliased.params[0], target, epochs=5, lr=0.5)   # X is W1 itself
        copied.fit(copied.params[0].copy(), target, epochs=5, lr=0.5)
        assert _same_params(aliased, copied)

    def test_a_callback_that_changes_x_changes_nothing(self):
        Xc, untouched = X.copy(), _two_layer_net()
        h = _two_layer_net().fit(Xc, Y, epochs=5, callback=lambda e, h: Xc.fill(7.0))
        assert h.loss == untouched.fit(X, Y, epochs=5).loss

    def test_a_layer_added_during_a_fit_is_refused(self):
        net = _two_layer_net()
        with pytest.raises(RuntimeError, match="^network: a fit is training it now .* adding "
                                               "a layer must wait"):
            net.fit(X, Y, epochs=3, callback=lambda e, h: net.add_layer(1))
        assert len(net.layers) == 2
        net.add_layer(1)                                    # after the fit: allowed again

    def test_a_fit_started_from_its_own_callback_is_refused(self):
        net = _two_layer_net()
        with pytest.raises(RuntimeError, match="^network: a fit is training it now"):
            net.fit(X, Y, epochs=3, callback=lambda e, h: net.fit(X, Y, epochs=1))
        assert net.fit(X, Y, epochs=1).epochs == 1

    def test_the_callback_may_look_at_the_network(self):
        net, seen = _two_layer_net(), []
        net.fit(X, Y, epochs=3, callback=lambda e, h: seen.append(net.evaluate(X, Y)))
        assert len(seen) == 3

    @pytest.mark.parametrize("answer", [np.array([1, 0]), "yes", 1, 0.0, [True]], ids=repr)
    def test_a_callback_answers_none_true_or_false(self, answer):
        with pytest.raises(ValueError, match="^callback: expected it to return None, True"):
            _two_layer_net().fit(X, Y, epochs=3, callback=lambda e, h: answer)


class TestOneThreadAtATime:
    """A network is for one thread at a time: a second fit while one runs is refused with a
    RuntimeError (four threads fitting one network ended with other weights than the same
    fits in sequence)."""

    def test_a_concurrent_fit_of_the_same_network_is_refused(self):
        import threading
        net, inside, release = _two_layer_net(), threading.Event(), threading.Event()

        def wait(epoch, history):
            inside.set()
            release.wait(10)

        worker = threading.Thread(target=lambda: net.fit(X, Y, epochs=2, callback=wait))
        worker.start()
        try:
            assert inside.wait(10)
            with pytest.raises(RuntimeError, match="^network: a fit is training it now"):
                net.fit(X, Y, epochs=1)
            other = _two_layer_net()
            other.fit(X, Y, epochs=1)                      # another network trains meanwhile
        finally:
            release.set()
            worker.join(10)
        assert net.fit(X, Y, epochs=1).epochs == 1         # and this one, once it is free

    def test_fits_in_threads_end_as_the_same_fits_in_sequence(self):
        import threading
        nets = [_two_layer_net(seed=s) for s in range(4)]
        threads = [threading.Thread(target=n.fit, args=(X, Y), kwargs={"epochs": 200})
                   for n in nets]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for s, n in enumerate(nets):
            alone = _two_layer_net(seed=s)
            alone.fit(X, Y, epochs=200)
            assert _same_params(n, alone)


# ---------------------------------------------------------------- the public step
def test_the_one_public_step_is_fit_and_it_checks_its_arguments():
    """The step fit takes for every batch is private (_train_step: unchecked, for fit's
    checked arguments); fit(X, y, epochs=1) is one step of gradient descent, and checks what
    the step would have trusted (a 1-D y counted 210 correct answers of 21)."""
    assert not hasattr(Network, "train_step")
    net, manual = _two_layer_net(), _two_layer_net()
    net.fit(X, Y, epochs=1, lr=0.5)
    _, dout = losses.mse(manual.forward(X), Y)
    manual.backward(dout)
    optim.SGD(0.5).step(manual.params, manual.grads)
    assert _same_params(net, manual)
    for bad, name in [((X, Y.ravel()), "y"), ((X.tolist(), Y[:, 0]), "y"),
                      ((X, Y, 1, None, "nope"), "optimizer")]:
        with pytest.raises(ValueError, match=f"^{name}: expected"):
            _two_layer_net().fit(*bad)


# ---------------------------------------------------------------- losses at the edges
class TestALossThatIsNotFiniteIsNeverAnAnswer:
    def test_a_last_update_that_makes_the_loss_inf_is_a_divergence(self):
        """lr 1e300 on a linear output: finite but huge weights whose loss overflows."""
        net = Network(2, seed=0).add_layer(1, "linear")
        with pytest.raises(labnn.DivergenceError, match="epoch 1 made the loss NaN or inf"):
            net.fit(X, Y, epochs=1, lr=1e300)

    @pytest.mark.parametrize("call", ["loss", "evaluate"])
    def test_a_loss_that_overflows_is_a_value_error(self, call):
        net = Network(1, seed=0).add_layer(1, "linear")
        net.params[0][...] = 1.0
        with pytest.raises(ValueError, match="^y: the loss is inf for these inputs"):
            getattr(net, call)([[1e200]], [[0.0]])
        with pytest.raises(ValueError, match="^y: the loss is inf"):
            net.loss([[1.0]], [[1e300]])

    def test_predict_grid_with_corners_whose_width_overflows_names_them(self):
        with pytest.raises(ValueError, match="^lo, hi: the grid's width hi - lo overflows"):
            _two_layer_net().predict_grid((-1e308, -1e308), (1e308, 1e308))
        net = Network(2, seed=0).add_layer(1, "linear")
        net.params[0][...] = 1e300
        with pytest.raises(ValueError, match="^lo, hi: the network's output is NaN or inf"):
            net.predict_grid((0, 0), (1e10, 1e10))

    def test_backward_of_a_dout_that_overflows_is_a_value_error(self):
        net = _two_layer_net(output="linear")
        net.params[2][...] = 1e300
        net.forward(X)
        with pytest.raises(ValueError, match="^dout: the gradients overflow"):
            net.backward(np.full((21, 1), 1e300))


# ---------------------------------------------------------------- arrays of any kind
class TestSubclassesBecomePlainArrays:
    def test_a_matrix_works_as_the_array_it_holds(self):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            MX, MY = np.matrix(X), np.matrix(Y)
        net = _two_layer_net()
        out = net.predict(MX)
        assert type(out) is np.ndarray and np.array_equal(out, net.predict(X))
        assert net.loss(MX, MY) == net.loss(X, Y)
        assert _two_layer_net().fit(MX, MY, epochs=3).loss == _two_layer_net().fit(
            X, Y, epochs=3).loss

    def test_a_masked_nan_is_refused(self):
        with pytest.raises(ValueError, match="^X: expected a plain array, got a masked"):
            _two_layer_net().predict(np.ma.masked_invalid(np.array([[np.nan, 1.0]])))


# ---------------------------------------------------------------- messages at the boundary
def test_a_network_without_parameters_whose_output_overflows_says_so():
    exp = ActivationFunction("exp_test", np.exp, lambda z, a: a)
    net = Network(1).add(Activation(exp))
    with pytest.raises(ValueError, match=r"^X: the network's output is NaN or inf .* largest "
                                         r"\|weight\| 0"):
        net.predict([[1e3]])


@pytest.mark.parametrize("layers", [[Activation("linear")], [Activation("none"),
                                                             Activation("linear")]])
def test_predict_never_hands_back_the_callers_array(layers):
    net = Network(2)
    for layer in layers:
        net.add(layer)
    out = net.predict(X)
    assert not np.shares_memory(out, X) and np.array_equal(out, X)
    reshaped = Network((1, 2, 2)).add(labnn.Flatten())
    images = np.ones((3, 1, 2, 2))
    assert not np.shares_memory(reshaped.predict(images), images)


# ---------------------------------------------------------------- optimizers through fit
def test_fit_takes_one_learning_rate_and_an_optimizer_of_its_own_network():
    """A stack's per-network rates broke mid-fit on a broadcast; an optimizer shared by two
    networks of the same shapes mixed their moments."""
    with pytest.raises(ValueError, match="^lr: expected a positive finite number"):
        _two_layer_net().fit(X, Y, epochs=2, lr=np.array([1.0, 2.0]))
    opt = optim.Adam(lr=0.01)
    _two_layer_net(seed=0).fit(X, Y, epochs=2, optimizer=opt)
    with pytest.raises(ValueError, match="^params: these are not the parameters this "
                                         "optimizer has state for"):
        _two_layer_net(seed=1).fit(X, Y, epochs=2, optimizer=opt)


@pytest.mark.parametrize("make", [lambda: io.BytesIO(), lambda: io.StringIO()],
                         ids=["binary", "closed"])
def test_a_log_goes_to_an_open_text_stream(make):
    file = make()
    if isinstance(file, io.StringIO):
        file.close()
    with pytest.raises(ValueError, match="^file: expected (a text|an open text) file"):
        _two_layer_net().fit(X, Y, epochs=2, log_every=1, file=file)
    with pytest.raises(ValueError, match="^file: expected (a text|an open text) file"):
        labnn.lab.test(_two_layer_net(), X, Y, file=file)
