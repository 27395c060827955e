"""The Playground's pure core: configuration validation, train(config), chunked sessions and the
Playground's rules (lr live, everything else rebuilds)."""

import numpy as np
import pytest

from labnn import DivergenceError, Network, data
from labnn.explorer import widgets as lw
from labnn.explorer.playground import (
    DATASETS,
    SETTINGS,
    PlaygroundConfig,
    Session,
    as_config,
    build_network,
    make_data,
    train,
)


def _same_params(a: Network, b: Network) -> bool:
    return all(np.array_equal(p, q) for p, q in zip(a.params, b.params, strict=True))


def test_default_config_learns_the_lab_xor():
    history, net = train()
    assert history.epochs == PlaygroundConfig().epochs
    assert history.final_accuracy == 1.0
    X, y = data.generate_xor_easy()
    assert net.evaluate(X, y)[1] == 1.0
    assert history.loss[-1] < history.loss[0] / 5


def test_same_config_same_bits_and_seed_matters():
    cfg = PlaygroundConfig(dataset="circle", hidden_units=5, epochs=50, batch_size=16)
    h1, n1 = train(cfg)
    h2, n2 = train(cfg)
    assert h1.loss == h2.loss and h1.accuracy == h2.accuracy
    assert _same_params(n1, n2)
    h3, _ = train(cfg.replace(seed=1))
    assert h3.loss != h1.loss


def test_network_shape_follows_config():
    net = build_network(PlaygroundConfig(hidden_units=7, hidden_layers=3, activation="relu"))
    shapes = [p.shape for p in net.params]
    assert shapes == [(2, 7), (7,), (7, 7), (7,), (7, 7), (7,), (7, 1), (1,)]
    assert [layer.activation.name for layer in net.layers] == ["relu"] * 3 + ["sigmoid"]


@pytest.mark.parametrize("name", DATASETS)
def test_every_dataset_loads_and_trains(name):
    cfg = PlaygroundConfig(dataset=name, noise=0.1, epochs=20)
    X, y = make_data(cfg)
    assert X.shape[1] == 2 and y.shape == (X.shape[0], 1)
    history, _ = train(cfg)
    assert history.epochs == 20 and all(np.isfinite(history.loss))


@pytest.mark.parametrize("opt", SETTINGS["optimizer"].choices)
@pytest.mark.parametrize("act", SETTINGS["activation"].choices)
def test_every_optimizer_and_activation_runs(opt, act):
    history, _ = train(optimizer=opt, activation=act, epochs=5, lr=0.01)
    assert history.epochs == 5


def test_chunked_training_equals_one_call_full_batch():
    cfg = PlaygroundConfig(optimizer="adam", lr=0.01, epochs=120)
    h_one, n_one = train(cfg)
    s = Session(cfg)
    for k in (1, 19, 50, 50):
        assert s.advance(k) == k
    assert s.history.loss == h_one.loss
    assert _same_params(s.network, n_one)


def test_mini_batch_chunks_are_seeded():
    cfg = PlaygroundConfig(dataset="spiral", batch_size=8, epochs=30)
    a, b = Session(cfg), Session(cfg)
    for s in (a, b):
        s.advance(10)
        s.advance(20)
    assert a.history.loss == b.history.loss
    assert _same_params(a.network, b.network)


def test_lr_is_live_while_training_is_in_progress():
    s = Session(epochs=100)
    s.advance(100)
    net, opt = s.network, s.optimizer
    s.play(10)
    assert s.in_progress
    assert s.change(lr=0.05) == "live"
    assert s.network is net and s.optimizer is opt and opt.lr == 0.05
    assert s.epoch == 110
    # The next chunk really uses the new lr: same result as a run that switched at epoch 110.
    s.play(10)
    ref = Session(epochs=100)
    ref.advance(110)
    ref.optimizer.lr = 0.05
    ref.advance(10)
    assert s.history.loss == ref.history.loss
    assert _same_params(s.network, ref.network)


def test_lr_retrains_from_scratch_when_idle():
    s = Session(epochs=60)
    s.advance(60)
    net = s.network
    assert s.change(lr=1.0) == "rebuild"
    assert s.network is not net and s.epoch == 60
    assert s.history.loss == train(epochs=60, lr=1.0)[0].loss


@pytest.mark.parametrize("change", [{"hidden_units": 3}, {"hidden_layers": 1},
                                    {"activation": "relu"}, {"dataset": "circle"},
                                    {"optimizer": "adam"},
                                    {"loss": "bce"}, {"seed": 4}, {"batch_size": 4},
                                    {"noise": 0.2}, {"epochs": 30}])
def test_other_changes_rebuild_and_retrain(change):
    s = Session(epochs=40)
    s.advance(40)
    s.play(5)
    net = s.network
    before = s.rebuilds
    assert s.change(**change) == "rebuild"
    assert s.network is not net and s.rebuilds == before + 1
    assert not s.in_progress
    assert s.history.loss == train(s.config)[0].loss
    assert s.change(**change) == "none"


def test_reset_gives_an_untrained_network_at_epoch_zero():
    s = Session()
    s.advance(50)
    s.reset()
    assert s.epoch == 0 and s.in_progress
    assert _same_params(s.network, build_network(s.config))
    assert "epoch 0" in lw.status_line(s)


def test_divergence_is_recorded_not_raised_in_a_session_and_raised_by_train():
    s = Session(activation="relu", epochs=10)
    s.advance(3)
    for p in s.network.params:  # blow the weights up: the forward pass overflows to inf - inf
        p[...] = np.where(np.arange(p.size).reshape(p.shape) % 2, 1e308, -1e308)
    trained = s.advance(5)
    assert s.diverged and "diverged" in s.error and trained < 5
    assert s.epoch == 3 + trained and np.isfinite(s.history.loss).all()
    assert s.advance(5) == 0  # a diverged run stays stopped until rebuilt
    s.reset()
    assert not s.diverged


def test_train_raises_divergence_with_history(monkeypatch):
    # No configuration inside the widget bounds diverges (the sigmoid output saturates), so
    # start train() from weights that overflow.
    orig = Network.add_layer

    def huge(self, units, activation="sigmoid", init=None):
        out = orig(self, units, activation, init)
        for p in self.layers[-1].params:
            p[...] = 1e308
        return out

    monkeypatch.setattr(Network, "add_layer", huge)
    with pytest.raises(DivergenceError) as info:
        train(activation="linear", epochs=5)
    h = info.value.history
    assert h.epochs < 5 and np.isfinite(h.loss).all()


def test_predict_grid_covers_the_data():
    s = Session(dataset="circle", noise=0.3)
    s.advance(5)
    (x0, x1, y0, y1), p = s.predict_grid(20)
    assert p.shape == (20, 20) and np.all((p >= 0) & (p <= 1))
    assert x0 <= s.X[:, 0].min() and x1 >= s.X[:, 0].max()
    assert y0 <= s.X[:, 1].min() and y1 >= s.X[:, 1].max()
    # Row i, column j is the output at (xs[j], ys[i]).
    xs, ys = np.linspace(x0, x1, 20), np.linspace(y0, y1, 20)
    assert p[3, 11] == pytest.approx(s.network.predict(np.array([[xs[11], ys[3]]]))[0, 0])


def test_predict_grid_of_a_network_whose_output_overflows_is_flat_not_an_error():
    # The view must draw a diverged run: Network.predict_grid raises for NaN or inf outputs,
    # the session's grid shows no boundary (0.5 everywhere) instead.
    s = Session(epochs=10)
    s.network.params[0][...] = np.inf  # what a diverged update leaves: inf - inf is NaN
    _, p = s.predict_grid(7)
    assert p.shape == (7, 7) and np.all(p == 0.5)


def test_status_text():
    s = Session(epochs=10)
    assert lw.status_line(s).startswith("epoch 0")
    s.advance(10)
    h = s.history
    assert lw.status_line(s) == (f"epoch 10   loss {h.final_loss:.4g}   "
                          f"accuracy {h.final_accuracy:.2%}")


@pytest.mark.parametrize("bad, word", [
    ({"dataset": "moons"}, "dataset"), ({"noise": -0.1}, "noise"), ({"noise": 2}, "noise"),
    ({"lr": 0}, "lr"), ({"lr": float("nan")}, "lr"), ({"hidden_units": 0}, "hidden_units"),
    ({"hidden_units": 33}, "hidden_units"), ({"hidden_units": 2.5}, "hidden_units"),
    ({"hidden_layers": 7}, "hidden_layers"),
    ({"activation": "softplus"}, "activation"), ({"optimizer": "lbfgs"}, "optimizer"),
    ({"loss": "hinge"}, "loss"), ({"epochs": 0}, "epochs"), ({"batch_size": 0}, "batch_size"),
    ({"seed": -1}, "seed"), ({"seed": None}, "seed"), ({"n": 0}, "n"), ({"colour": 1}, "colour"),
])
def test_bad_config_raises_value_error_naming_the_argument(bad, word):
    with pytest.raises(ValueError, match=word):
        as_config(None, **bad) if "colour" not in bad else PlaygroundConfig().replace(**bad)


def test_config_normalises_names_and_accepts_dicts():
    cfg = as_config({"activation": "None", "optimizer": "ADAM"}, hidden_units=3)
    assert cfg.activation == "linear" and cfg.optimizer == "adam" and cfg.hidden_units == 3
    assert as_config(cfg) is cfg
    with pytest.raises(ValueError, match="config"):
        as_config("xor")
    assert cfg.changed(cfg.replace(lr=0.5, seed=2)) == {"lr", "seed"}


def test_the_core_imports_neither_widgets_nor_matplotlib():
    import subprocess
    import sys

    code = ("import sys, labnn.explorer.playground as pg; pg.train(epochs=2); "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'ipywidgets')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
