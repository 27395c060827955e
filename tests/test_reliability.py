"""Issue 11: what a hostile or careless user tries. One test class per root cause; each tries
many variants, and each variant failed (a silent wrong answer, a leaked warning or the wrong
exception) before the fix. The classes about files live in test_saving.py, the explorer's in
test_widgets.py / test_playground.py, the gradient check's in test_gradients.py and the
last-update divergence in test_network.py."""

import io
import warnings

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import labnn
from labnn import losses, optim
from labnn.activations import ActivationFunction
from labnn.data import generate_linear, generate_xor_easy
from labnn.layers import Activation, Dense

X, Y = generate_xor_easy()
ONE_HOT = np.eye(2)[(Y[:, 0] > 0.5).astype(int)]


def _net(out=1, output="sigmoid", hidden="sigmoid", dtype=np.float64, seed=0):
    return (labnn.Network(2, seed=seed, dtype=dtype).add_layer(4, hidden)
            .add_layer(out, output))


@pytest.fixture(autouse=True)
def _every_warning_is_an_error():
    """On top of conftest's np.errstate(raise): any warning at all fails these tests."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


class TestOneValidationPathForFitAndEvaluate:
    """Class 2. fit checked the targets only for bce and never the output unit, evaluate checked
    both through another function, and the loss functions did not check their targets: fit
    trained on what evaluate refused."""

    @pytest.mark.parametrize("output", ["linear", "relu", "tanh", "leaky_relu"])
    @pytest.mark.parametrize("call", ["fit", "evaluate", "loss"])
    def test_bce_needs_a_probability_output(self, output, call):
        net = _net(output=output)
        kwargs = {"epochs": 2} if call == "fit" else {}
        with pytest.raises(ValueError, match=r"^loss: 'bce' needs outputs in \[0, 1\]"):
            getattr(net, call)(X, Y, loss="bce", **kwargs)

    @pytest.mark.parametrize("call", ["fit", "evaluate", "loss"])
    def test_softmax_ce_needs_two_classes(self, call):
        net = _net(output="linear")
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
        net = _net(out=2, output="linear")
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
            getattr(_net(), call)(X, y, loss="bce", **kwargs)

    @given(y=st.floats(-1e6, 1e6).filter(lambda v: not 0 <= v <= 1),
           p=st.floats(0.0, 1.0))
    def test_the_loss_functions_check_their_targets(self, y, p):
        with pytest.raises(ValueError, match=r"^y: expected targets in \[0, 1\]"):
            losses.bce(np.array([p]), np.array([y]))

    def test_the_issue_example(self):
        with pytest.raises(ValueError, match=r"^y: expected targets in \[0, 1\]"):
            losses.bce(0.1, y=-3)

    @pytest.mark.parametrize("kind", ["network", "stack"])
    def test_stacks_take_the_same_path(self, kind):
        nets = [_net(output="linear", seed=s) for s in range(2)]
        stack = labnn.NetworkStack(nets)
        with pytest.raises(ValueError, match=r"^loss: 'bce' needs outputs in \[0, 1\]"):
            stack.fit(X, Y, epochs=2, loss="bce")
        with pytest.raises(ValueError, match="^y: softmax_ce needs one column per class"):
            stack.evaluate(X, Y, loss="softmax_ce")

    def test_what_each_loss_accepts_still_trains(self):
        assert np.isfinite(_net().fit(X, Y, epochs=3, loss="bce").loss).all()
        assert np.isfinite(_net(out=2, output="linear").fit(
            X, ONE_HOT, epochs=3, loss="softmax_ce").loss).all()
        regression = _net(output="linear")
        regression.fit(X, 3.3 * Y - 1, epochs=3, loss="mse")
        assert np.isfinite(regression.loss(X, 3.3 * Y - 1))

    def test_evaluate_says_why_regression_targets_have_no_accuracy(self):
        with pytest.raises(ValueError, match=r"^y: accuracy needs class labels 0 or 1 .*"
                                             r"such as 3\.3.*net\.loss\(X, y\)"):
            _net(output="linear").evaluate(X, 3.3 * Y)

    def test_a_custom_bounded_activation_may_declare_its_range(self):
        base = labnn.activations.get("sigmoid")
        half = ActivationFunction("half_sigmoid_test", lambda z: 0.5 * base.value(z),
                                  lambda z, a: 0.5 * base.derivative(z, 2 * a), (0.0, 0.5))
        net = labnn.Network(2, seed=0).add_layer(3, "tanh").add(Dense(1, half))
        assert np.isfinite(net.fit(X, Y, epochs=2, loss="bce").loss).all()


class TestALayerBelongsToOneNetwork:
    """Class 5. The same layer object in two networks silently shared its weights (and was
    re-initialised by the second network's generator)."""

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
    """Class 7. Truthiness decided flags: SGD(nesterov="false") and Adam(amsgrad="no") became
    True and fit(shuffle="no") shuffled."""

    @pytest.mark.parametrize("value", FLAG_VALUES, ids=repr)
    @pytest.mark.parametrize("make, name", [
        (lambda v: optim.SGD(lr=0.1, momentum=0.9, nesterov=v), "nesterov"),
        (lambda v: optim.Momentum(lr=0.1, nesterov=v), "nesterov"),
        (lambda v: optim.Adam(amsgrad=v), "amsgrad"),
        (lambda v: optim.RMSprop(centered=v), "centered"),
        (lambda v: _net().fit(X, Y, epochs=1, batch_size=4, shuffle=v), "shuffle"),
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
        a = _net().fit(X, Y, epochs=3, batch_size=4, shuffle=np.False_, seed=1)
        b = _net().fit(X, Y, epochs=3, batch_size=4, shuffle=False, seed=2)
        assert a.loss == b.loss


EXTREME = st.floats(min_value=-1e308, max_value=1e308, allow_nan=False)


class TestNoWarningEscapes:
    """Class 8. Extreme but finite inputs leaked NumPy RuntimeWarnings (overflow in cast, exp,
    matmul) and then returned NaN or blamed it on NaN inputs. Now they work or raise
    ValueError; every test here runs with warnings as errors."""

    @pytest.mark.parametrize("value", [1e39, -1e300, 3.5e38, np.finfo(np.float64).max])
    @pytest.mark.parametrize("call", ["predict", "fit", "evaluate", "loss", "layer_outputs"])
    def test_values_that_do_not_fit_a_float32_network(self, value, call):
        Xb = X.copy()
        Xb[0, 0] = value
        args = (Xb,) if call in ("predict", "layer_outputs") else (Xb, Y)
        with pytest.raises(ValueError, match=r"^X: values up to .* do not fit in float32"):
            getattr(_net(dtype=np.float32), call)(*args)

    def test_targets_that_do_not_fit_a_float32_network(self):
        with pytest.raises(ValueError, match=r"^y: values up to .* do not fit in float32"):
            _net(dtype=np.float32).loss(X, Y * 1e300)

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
        net = _net(hidden=hidden, output=output, seed=seed)
        try:
            out = net.predict(np.array([x]))
        except ValueError as exc:
            assert str(exc).startswith("X: the network's output is NaN or inf")
        else:
            assert np.isfinite(out).all()

    @pytest.mark.parametrize("call", ["predict", "evaluate", "loss", "layer_outputs"])
    def test_the_issue_example(self, call):
        net = _net(hidden="relu", output="linear")
        Xb = np.array([[1e308, 1e308], [-1e308, 1e308]])
        args = (Xb,) if call in ("predict", "layer_outputs") else (Xb, np.zeros((2, 1)))
        with pytest.raises(ValueError, match="^X: the network's output is NaN or inf"):
            getattr(net, call)(*args)

    def test_fit_on_inputs_the_untrained_network_overflows_on(self):
        net = _net(hidden="relu", output="linear")
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
            _net().fit(X, Y, epochs=2, log_every=1, file=file)
        with pytest.raises(ValueError, match="^file: expected None .* or an open text file"):
            labnn.lab.test(_net(), X, Y, file=file)

    def test_a_stream_works(self):
        out = io.StringIO()
        _net().fit(X, Y, epochs=2, log_every=1, file=out)
        assert out.getvalue().startswith("epoch 1 loss : ")

    @pytest.mark.parametrize("lo, hi", [
        (None, (1, 1)), ((0,), (1, 1)), ((0, 0, 0), (1, 1, 1)), ((1, 1), (0, 0)),
        ((0, 1), (1, 1)), ("ab", (1, 1)), ((np.nan, 0), (1, 1)), ((0, 0), (np.inf, 1)),
        ([[0, 0]], [[1, 1]]),
    ], ids=repr)
    def test_predict_grid_bounds(self, lo, hi):
        with pytest.raises(ValueError, match="^(lo|hi|lo, hi): expected"):
            _net().predict_grid(lo, hi)

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
            labnn.gradcheck.grad_check_network(_net(output="linear"), X, Y, loss="bce")

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


def test_linear_data_is_untouched_by_all_this():
    Xl, yl = generate_linear(30, seed=1)
    a = labnn.lab_network(seed=2).fit(Xl, yl, epochs=50)
    b = labnn.lab_network(seed=2).fit(Xl, yl, epochs=50)
    assert a.loss == b.loss


@pytest.mark.parametrize("make, name", [
    (lambda v: optim.SGD(lr=v), "lr"),
    (lambda v: optim.SGD(lr=0.1, momentum=v), "momentum"),
    (lambda v: optim.Adam(weight_decay=v), "weight_decay"),
    (lambda v: labnn.metrics.accuracy(Y, Y, threshold=v), "threshold"),
])
def test_an_int_too_large_for_a_float_names_its_argument(make, name):
    with pytest.raises(ValueError, match=f"^{name}: expected"):
        make(10**400)
