"""Dense layers without a bias, the original report's update order (``labnn.lab.original``) for
one network and a whole stack, and the RunConfig fields that vary what the studies keep fixed
(output unit, bias, init, mini-batches, update order, the original sigmoid), with
``sweep(split=False)``.

Each path is checked against the reference it claims to equal: a gradient check for the
bias-free layer, the original report's loop written out for its update order, ``Network.fit``
for stacked mini-batches, and ``run(config)`` for every stacked run."""

from __future__ import annotations

import json
import math
import zipfile

import numpy as np
import pytest

import labnn
from labnn import Dense, Network
from labnn.gradcheck import grad_check_network
from labnn.lab import original as SE
from labnn.report import experiments as E
from labnn.stack import NetworkStack


def _same(a: E.RunResult, b: E.RunResult) -> bool:
    """The same run, bit for bit (the parameters too, unless it diverged)."""
    same = (a.config == b.config and a.epochs_to_100 == b.epochs_to_100
            and a.diverged_at == b.diverged_at
            and np.array_equal(a.loss, b.loss) and np.array_equal(a.accuracy, b.accuracy))
    if a.diverged_at is None:
        same &= (a.final_loss == b.final_loss and a.final_accuracy == b.final_accuracy
                 and all(np.array_equal(p, q) for p, q in zip(a.params, b.params)))
    return same


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
        labnn.save(net, tmp_path / "n.npz")
        back = labnn.load(tmp_path / "n.npz")
        assert [layer.bias for layer in back.layers] == [False] * 3
        assert np.array_equal(back.predict(X), net.predict(X))
        with zipfile.ZipFile(tmp_path / "n.npz") as zf:
            assert "layer0_param1.npy" not in zf.namelist()

    def test_a_layer_with_bias_writes_the_config_it_wrote_before(self, tmp_path):
        # files saved before the switch existed must still load: the key appears only when off
        assert Dense(3).config() == {"units": 3, "activation": "linear", "init": None}
        assert Dense(3, bias=False).config()["bias"] is False
        net = labnn.lab_network(seed=0)
        labnn.save(net, tmp_path / "n.npz")
        with zipfile.ZipFile(tmp_path / "n.npz") as zf:
            config = json.loads(np.load(zf.open("layer0_config.npy")).item())
        assert "bias" not in config
        assert labnn.load(tmp_path / "n.npz").layers[0].bias is True

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
    @pytest.mark.parametrize("activation", ["sigmoid", SE.ORIGINAL_SIGMOID])
    def test_original_step_is_the_report_s_loop_bit_for_bit(self, activation):
        X, y = labnn.data.generate_xor_easy()
        a = labnn.lab_network(seed=3, init="normal", activation=activation, output=activation)
        b = labnn.lab_network(seed=3, init="normal", activation=activation, output=activation)
        for _ in range(40):
            assert _original_by_hand(a, X, y, 0.5) == SE.original_step(b, X, y, 0.5)
        assert all(np.array_equal(p, q) for p, q in zip(a.params, b.params))

    def test_a_stack_steps_each_network_as_alone(self):
        data = [labnn.data.generate_linear(100, seed=s) for s in range(3)]
        X, y = np.stack([d[0] for d in data]), np.stack([d[1] for d in data])
        lrs = np.array([0.01, 0.1, 1.0])
        stack = NetworkStack([labnn.lab_network(seed=s, init="normal") for s in range(3)])
        alone = [labnn.lab_network(seed=s, init="normal") for s in range(3)]
        history = stack.fit(X, y, epochs=30, lr=lrs, update=SE.original_update)
        for i, net in enumerate(alone):
            losses = [SE.original_step(net, *data[i], float(lrs[i])) for _ in range(30)]
            assert history.history(i).loss == losses
        for i, net in enumerate(alone):
            assert all(np.array_equal(p[i].reshape(q.shape), q)
                       for p, q in zip(stack.params, net.params))

    def test_without_biases(self):
        X, y = labnn.data.generate_xor_easy()
        net = labnn.lab_network(seed=0, bias=False)
        before = [p.copy() for p in net.params]
        SE.original_step(net, X, y, 1.0)
        assert len(net.params) == 3
        assert all(not np.array_equal(p, q) for p, q in zip(before, net.params))

    def test_the_update_refuses_a_penalty(self):
        stack = NetworkStack([labnn.lab_network(seed=0)])
        with pytest.raises(ValueError, match="update"):
            stack.fit(*labnn.data.generate_xor_easy(), epochs=2, update=SE.original_update,
                      regularization="l2", reg_rate=0.1)

    def test_its_derivative_never_leaves_0_197_to_0_25(self):
        a = np.linspace(0.0, 1.0, 1001)
        d = SE.ORIGINAL_SIGMOID.derivative(None, a)
        assert d.max() == 0.25 and math.isclose(d.min(), 0.19661193324148185)


# ----------------------------------------------------------------------- RunConfig's new fields
NEW_FIELDS = [
    dict(batch_size=4),
    dict(batch_size=1, epochs=20),
    dict(batch_size=4, until_100=True, epochs=300),
    dict(batch_size=4, optimizer="adam", lr=0.05),
    dict(update="original_order", init="normal", lr=0.05),
    dict(update="original_order", activation="original_sigmoid", init="normal", lr=2.0),
    dict(update="original_order", until_100=True, epochs=800, lr=2.0),
    dict(update="original_order", bias=False, lr=0.5),
    dict(activation="original_sigmoid", init="normal", lr=0.5),
    dict(activation="linear", update="original_order", init="normal", lr=0.5),   # diverges
    dict(bias=False),
    dict(output="linear"),
    dict(output="linear", lr=0.05, loss="mse", hidden_layers=1),
]


@pytest.mark.parametrize("fields", NEW_FIELDS, ids=lambda f: ",".join(f"{k}={v}" for k, v in
                                                                      f.items()))
@pytest.mark.parametrize("dataset", ["xor", "linear"])
def test_a_stacked_run_equals_the_run_alone(fields, dataset):
    configs = [E.RunConfig(dataset=dataset, seed=s, **{"epochs": 120, **fields})
               for s in range(3)]
    stacked = E.run_stack(configs)
    assert all(_same(a, E.run(c)) for a, c in zip(stacked, configs))


def test_defaults_build_and_train_the_lab_network_as_before():
    cfg = E.RunConfig(dataset="xor", seed=5, epochs=200)
    assert (cfg.output, cfg.bias, cfg.init, cfg.batch_size, cfg.update) == \
        (None, True, "default", None, "exact")
    X, y = labnn.data.generate_xor_easy()
    net = labnn.lab_network(seed=5)
    h = net.fit(X, y, epochs=200)
    r = E.run(cfg)
    assert np.array_equal(r.loss, h.loss)
    assert all(np.array_equal(p, q) for p, q in zip(r.params, net.params))


def test_mini_batches_are_network_fit_with_the_seed_shuffling():
    X, y = labnn.data.generate_linear(100, seed=7)
    net = labnn.lab_network(seed=7)
    h = net.fit(X, y, epochs=30, batch_size=8, seed=7)
    r = E.run_stack([E.RunConfig(dataset="linear", seed=7, epochs=30, batch_size=8)])[0]
    assert np.array_equal(r.loss, h.loss) and np.array_equal(r.accuracy, h.accuracy)
    assert all(np.array_equal(p, q) for p, q in zip(r.params, net.params))


def test_original_order_runs_are_the_original_step_repeated():
    X, y = labnn.data.generate_xor_easy()
    net = labnn.lab_network(seed=2, init="normal", activation=SE.ORIGINAL_SIGMOID,
                            output=SE.ORIGINAL_SIGMOID)
    losses = [SE.original_step(net, X, y, 0.05) for _ in range(100)]
    r = E.run(E.RunConfig(seed=2, init="normal", activation="original_sigmoid",
                          update="original_order", lr=0.05, epochs=100))
    assert r.loss.tolist() == losses
    assert all(np.array_equal(p, q) for p, q in zip(r.params, net.params))
    assert E.build(r.config).layers[-1].activation is SE.ORIGINAL_SIGMOID


def test_a_diverged_original_order_run_is_recorded():
    r = E.run(E.RunConfig(dataset="xor", seed=0, activation="linear", update="original_order",
                          init="normal", lr=0.5, epochs=100))
    assert r.diverged_at is not None and len(r.loss) == r.diverged_at - 1
    assert math.isinf(r.final_loss) and not r.solved


@pytest.mark.parametrize("kwargs, name", [
    (dict(update="backwards"), "update"),
    (dict(update="original_order", optimizer="adam"), "update"),
    (dict(update="original_order", batch_size=4), "update"),
    (dict(batch_size=0), "batch_size"),
    (dict(batch_size=2.5), "batch_size"),
    (dict(init="zeros"), "init"),
    (dict(bias="no"), "bias"),
])
def test_bad_new_fields_raise_naming_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=name):
        E.RunConfig(**kwargs)


def test_sweep_without_split_gives_the_same_bits():
    configs = [E.RunConfig(dataset=ds, seed=s, epochs=80, lr=lr)
               for ds in ("xor", "linear") for s in range(3) for lr in (0.5, 1.0)]
    whole = E.sweep(configs, workers=2, split=False)
    assert all(_same(a, b) for a, b in zip(whole, E.sweep(configs, workers=1)))
    with pytest.raises(ValueError, match="split"):
        E.sweep(configs, split="no")


def test_tables_name_full_batches():
    rs = E.sweep([E.RunConfig(seed=0, epochs=30), E.RunConfig(seed=0, epochs=30, batch_size=4)],
                 workers=1)
    table = E.format_table(E.summarize(rs, by=("dataset", "batch_size")))
    assert "full" in table.splitlines()[1] and " 4 " in table.splitlines()[2]
