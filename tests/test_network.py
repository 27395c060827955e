"""The Network API: shapes, determinism, bad input, training options, save/load, divergence."""

import io
import re

import numpy as np
import pytest

import labnn
from labnn.data import generate_linear, generate_xor_easy

XOR = generate_xor_easy()


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
    assert seen == [10, 10, 10, 7, 10, 10, 10, 7]


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


# ---------------------------------------------------------------------------- save / load
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_save_load_round_trip(tmp_path, dtype):
    X, y = XOR
    net = labnn.Network(2, seed=0, dtype=dtype).add_layer(5, "tanh").add_layer(3, "leaky_relu")
    net.add_layer(1, "sigmoid")
    net.fit(X, y, epochs=50)
    path = tmp_path / "model.npz"
    labnn.save(net, path)
    same = labnn.load(path)
    assert repr(same).splitlines()[1:] == repr(net).splitlines()[1:]
    assert same.dtype == dtype
    np.testing.assert_array_equal(same.predict(X), net.predict(X))
    assert [p.tobytes() for p in same.params] == [p.tobytes() for p in net.params]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]  # no temp file left


def test_load_rejects_junk_and_pickles(tmp_path):
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"this is not a zip file")
    with pytest.raises(ValueError, match="path: .* is not a labnn .npz file"):
        labnn.load(junk)
    pickled = tmp_path / "pickled.npz"
    # under a known member name: a member of an unknown name is refused before it is read
    np.savez(pickled, format=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ValueError, match="object arrays"):
        labnn.load(pickled)
    other = tmp_path / "other.npz"
    np.savez(other, a=np.zeros(3))
    with pytest.raises(ValueError, match="not a labnn network file"):
        labnn.load(other)
    with pytest.raises(ValueError, match="path: cannot read"):
        labnn.load(tmp_path / "missing.npz")


def test_load_rejects_tampered_shapes(tmp_path):
    net = labnn.lab_network(seed=0)
    path = tmp_path / "m.npz"
    labnn.save(net, path)
    with np.load(path) as data:
        arrays = dict(data)
    arrays["layer0_param0"] = np.zeros((3, 4))
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=r"layer 0 parameter 0 has shape \(3, 4\)"):
        labnn.load(path)


def test_failed_save_leaves_old_file_intact(tmp_path, monkeypatch):
    net = labnn.lab_network(seed=0)
    path = tmp_path / "m.npz"
    labnn.save(net, path)
    original = path.read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", boom)
    with pytest.raises(OSError, match="disk full"):
        labnn.save(labnn.lab_network(seed=1), path)
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]


def test_history_holds_plain_floats():
    h = labnn.lab_network(seed=0).fit(*XOR, epochs=3)
    h2 = labnn.lab_network(seed=0).fit(*XOR, epochs=3, batch_size=5, seed=0)
    for hist in (h, h2):
        assert all(type(v) is float for v in hist.loss + hist.accuracy)


class TestNoRunEndsWithNonFiniteParameters:
    """One root cause: a last update that makes the parameters NaN or inf went unseen (only the
    loss computed before each update was checked), and save/load passed such weights on."""

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
                labnn.save(net, tmp_path / "bad.npz")
            assert not (tmp_path / "bad.npz").exists()
        good = labnn.lab_network(seed=0)
        labnn.save(good, tmp_path / "good.npz")
        with np.load(tmp_path / "good.npz", allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        arrays["layer1_param0"] = arrays["layer1_param0"].copy()
        arrays["layer1_param0"][1, 1] = np.nan
        np.savez(tmp_path / "tampered.npz", **arrays)
        with pytest.raises(ValueError, match="layer 1 parameter 0 holds NaN or inf"):
            labnn.load(tmp_path / "tampered.npz")
