"""labnn.explorer.widgets, driven without a front end: set control values and press buttons as a
reader would, and check the session, the pictures, the text and that the view applies the
core's rules. A starting value (explorer(...), mini_explorer(...), Explorer(...), a
PlaygroundConfig, Session.change, Explorer.set) is used exactly or refused with a ValueError
naming the setting and its bounds; only a person moving a control is clamped, by the widget."""

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

import math

import ipywidgets as W  # noqa: E402
from explorer_helpers import BATCH, CHOICES, FLOATS, INTS  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from labnn.explorer import netview as nv  # noqa: E402
from labnn.explorer import playground as pg  # noqa: E402
from labnn.explorer import widgets as lw  # noqa: E402
from labnn.explorer.datasets import own_data  # noqa: E402
from labnn.explorer.playground import (  # noqa: E402
    PlaygroundConfig,
    Session,
    as_config,  # noqa: E402
    train,
)

PNG = b"\x89PNG\r\n\x1a\n"


def _pictures(e):
    return bytes(e.output.value), bytes(e.network_image.value), e.tooltips.value


def _panels(e):
    """The live panels: output, curves, network (or None), gradients (or None)."""
    d = e.display
    picture = e.pictures.network_picture(d["network_view"], d["gradient_view"])
    panels = iter(picture.panels if picture else [])
    network = next(panels) if d["network_view"] else None
    gradients = next(panels) if d["gradient_view"] else None
    return (*e.pictures.output.panels, network, gradients)


def _snapshot(e):
    return (*_pictures(e), e.status.value, list(e.session.history.loss))


def _tick(e, n=1):
    """What the front end's Play ticker does every ``interval`` ms."""
    for _ in range(n):
        e.ticker.value += 1


@pytest.fixture
def full():
    e = lw.explorer(epochs=100)
    e.min_tick_gap = 0.0  # ticks from a test arrive back to back; do not drop them
    return e


# ---------------------------------------------------------------------- mini explorers
@pytest.mark.parametrize("control, widget_type", [("lr", W.FloatLogSlider),
                                                  ("hidden_units", W.IntSlider),
                                                  ("activation", W.Dropdown)])
def test_mini_explorer_has_one_control_and_two_pictures(control, widget_type):
    e = lw.mini_explorer(control, dataset="xor")
    assert isinstance(e, W.VBox)
    assert list(e.controls) == [control]
    w = e.controls[control]
    assert isinstance(w, widget_type) and w.description == control.replace("_", " ")
    assert not e.buttons and not e.toggles
    assert bytes(e.output.value).startswith(PNG)
    assert len(e.output.layout.width) and e.pictures.output.pixels == (700, 290)
    for hidden in (e.network_image, e.tooltips, e.node, e.code_box):
        assert hidden.layout.display == "none"
    h, _ = train(dataset="xor")
    assert e.session.history.loss == h.loss  # what it shows is the pure function's result
    assert e.text == f"epoch 500   loss {h.final_loss:.4g}   accuracy {h.final_accuracy:.2%}"
    assert e.text in e.status.value
    assert e.message.value == ""


@pytest.mark.parametrize("control, value", [("lr", 0.02), ("hidden_units", 2),
                                            ("activation", "sigmoid")])
def test_mini_explorer_change_retrains_and_redraws(control, value):
    e = lw.mini_explorer(control, dataset="xor", epochs=200)
    before = (bytes(e.output.value), e.status.value)
    net = e.session.network
    e.controls[control].value = value
    after = (bytes(e.output.value), e.status.value)
    assert all(a != b for a, b in zip(before, after))
    assert e.session.network is not net
    assert getattr(e.session.config, control) == value
    assert e.session.history.loss == train(dataset="xor", epochs=200, **{control: value})[0].loss


def test_mini_explorer_config_sets_the_rest():
    e = lw.mini_explorer("hidden_units", dataset="circle", activation="relu", hidden_units=5,
                         lr=0.5)
    cfg = e.session.config
    assert (cfg.dataset, cfg.activation, cfg.hidden_units, cfg.lr) == ("circle", "relu", 5, 0.5)
    assert e.controls["hidden_units"].value == 5
    with pytest.raises(ValueError, match="control"):
        lw.mini_explorer("optimizer")
    with pytest.raises(ValueError, match="hidden_units"):
        lw.mini_explorer("lr", hidden_units=0)
    with pytest.raises(ValueError, match="^network_view: "):
        lw.mini_explorer("lr", network_view=True)


# ---------------------------------------------------------------------- the full explorer
def test_full_explorer_has_every_control_button_and_picture(full):
    assert tuple(full.controls) == lw.EXPLORER_CONTROLS
    assert set(lw.EXPLORER_CONTROLS) == set(pg.SETTINGS) - {"n", "data_seed", *pg.SHORTHAND}
    lr = full.controls["lr"]
    assert isinstance(lr, W.FloatLogSlider) and lr.description == "lr"
    assert lr.base == 10 and 10 ** lr.min == pytest.approx(1e-4) and 10 ** lr.max == 10
    ratio = full.controls["test_ratio"]
    assert (ratio.description, ratio.min, ratio.max, ratio.step) == ("test ratio", 0, 0.9, 0.1)
    assert full.controls["dataset"].options == ("linear", "xor", "circle", "spiral",
                                                "gaussian", "reg-plane", "reg-gauss")
    assert full.controls["regularization"].options == ("none", "l1", "l2")
    assert [v for _, v in full.controls["reg_rate"].options] == list(lw.C.REG_RATES)
    assert tuple(full.controls["features"].boxes) == ("x1", "x2", "x1^2", "x2^2", "x1*x2",
                                                      "sin(x1)", "sin(x2)")
    assert full.controls["features"].value == ("x1", "x2")
    assert full.controls["layer_widths"].value == (8, 8)
    assert set(full.buttons) == {"play", "pause", "step", "reset", "regenerate"}
    assert set(full.toggles) == set(lw.TOGGLES)
    for picture in _pictures(full)[:2]:
        assert picture.startswith(PNG)
    assert full.tooltips.value.count('class="labnn-node"') == 2 + 8 + 8 + 1
    assert "xor: 2 x 8 tanh, features x1, x2" in full.title.value
    assert full.code_box.layout.display == "none" and full.message.value == ""


def test_widget_bounds_clamp_bad_values(full):
    full.controls["lr"].value = 1e6
    assert full.session.config.lr == 10.0
    full.controls["lr"].value = 1e-9
    assert full.session.config.lr == pytest.approx(1e-4)
    full.controls["seed"].value = -5
    assert full.session.config.seed == 0
    full.controls["noise"].value = 9.0
    assert full.session.config.noise == 0.5
    full.controls["test_ratio"].value = 5.0
    assert full.session.config.test_ratio == 0.9
    assert full.message.value == ""
    assert full.session.epoch == 100


def test_every_control_drives_its_config_field(full):
    new = {"dataset": "spiral", "noise": 0.1, "test_ratio": 0.3, "batch_size": 16, "lr": 0.1,
           "activation": "relu", "optimizer": "adam", "loss": "bce", "regularization": "l2",
           "reg_rate": 0.3, "epochs": 60, "seed": 7, "features": ("x1", "x2", "x1*x2"),
           "layer_widths": (4, 3, 2)}
    assert set(new) == set(full.controls)
    for name, value in new.items():
        pictures = _pictures(full)
        full.controls[name].value = value
        assert getattr(full.session.config, name) == value, name
        assert _pictures(full) != pictures, name
    assert full.session.config == PlaygroundConfig(**new)
    assert full.session.history.loss == train(PlaygroundConfig(**new))[0].loss
    full.controls["batch_size"].value = 0  # "full"
    assert full.session.config.batch_size is None


def test_a_slider_step_in_binary_is_the_tenth_it_shows(full):
    full.controls["test_ratio"].value = 0.1 * 3     # 0.30000000000000004, as a front end sends
    assert full.session.config.test_ratio == 0.3
    assert "test_ratio=0.3," in full.code()


def test_play_trains_in_chunks_and_redraws_every_picture(full):
    full.play()
    assert full.playing and full.ticker.playing
    assert full.session.epoch == 100    # play returns at once: the ticks train, not play()
    for k in range(1, 4):
        before, redraws = _snapshot(full), full.draws
        _tick(full)
        assert full.session.epoch == 100 + k * full.chunk
        assert full.draws == redraws + 1
        after = _snapshot(full)
        assert [a != b for a, b in zip(before, after)] == [True, True, k == 1, True, True]
        assert f"epoch {100 + k * full.chunk}" in full.status.value
        assert "title=" not in full.tooltips.value      # no tooltips while the weights move
    full.pause()
    assert full.tooltips.value.count("title=") == 2 + 8 + 8 + 1
    assert not full.playing
    _tick(full)  # a tick that arrives after Pause does nothing
    assert full.session.epoch == 100 + 3 * full.chunk


def test_ticks_queued_while_busy_are_dropped():
    now = [100.0]
    e = lw.explorer(epochs=50, clock=lambda: now[0])   # time stands still: a backlog
    e.play()
    _tick(e, 3)                                        # back to back, as a backlog arrives
    assert e.session.epoch == 50 + e.chunk
    now[0] += 1.0                                      # the next tick comes a second later
    _tick(e)
    assert e.session.epoch == 50 + 2 * e.chunk


def test_lr_change_is_live_while_playing(full):
    full.play()
    _tick(full, 2)
    net, opt, rebuilds = full.session.network, full.session.optimizer, full.session.rebuilds
    epoch = full.session.epoch
    full.controls["lr"].value = 0.05
    assert full.session.network is net and full.session.optimizer is opt
    assert opt.lr == pytest.approx(0.05) and full.session.rebuilds == rebuilds
    assert full.session.epoch == epoch and full.playing
    _tick(full)
    assert full.session.epoch == epoch + full.chunk
    assert "opt.lr = 0.05" in full.code()


def test_the_layer_buttons_apply_the_cores_rules_and_rebuild_while_playing(full):
    full.play()
    _tick(full, 2)
    net = full.session.network
    buttons = full.controls["layer_widths"]
    buttons.press(pg.remove_neuron, 0)
    assert full.session.config.layer_widths == (7, 8) == buttons.value
    assert full.session.network is not net and full.session.epoch == 100 and full.playing
    buttons.press(pg.add_hidden_layer)
    assert full.session.config.layer_widths == (7, 8, pg.NEW_LAYER_WIDTH)
    assert [p.shape for p in full.session.network.params][::2] == [(2, 7), (7, 8), (8, 2), (2, 1)]
    buttons.press(pg.remove_hidden_layer)
    buttons.press(pg.add_neuron, 1)
    assert full.session.config.layer_widths == (7, 9)
    assert full.tooltips.value.count('class="labnn-node"') == 2 + 7 + 9 + 1
    _tick(full)
    assert full.session.epoch == 100 + full.chunk


def _button(e, css):
    found = []

    def walk(w):
        if isinstance(w, W.Button) and css in w._dom_classes:
            found.append(w)
        for child in getattr(w, "children", ()):
            walk(child)
    walk(e.controls["layer_widths"])
    assert len(found) == 1, css
    return found[0]


def test_the_layer_buttons_are_clicked_and_stop_at_playgrounds_bounds():
    e = lw.explorer(epochs=5, layer_widths=(7,))
    _button(e, "labnn-add-neuron-0").click()
    assert e.session.config.layer_widths == (8,)
    assert _button(e, "labnn-add-neuron-0").disabled        # 8: Playground's widest
    e.controls["layer_widths"].value = (1,)
    assert _button(e, "labnn-remove-neuron-0").disabled
    _button(e, "labnn-remove-layer").click()
    assert e.session.config.layer_widths == ()
    assert _button(e, "labnn-remove-layer").disabled
    for _ in range(pg.MAX_LAYERS):
        _button(e, "labnn-add-layer").click()
    assert e.session.config.layer_widths == (2,) * pg.MAX_LAYERS
    assert _button(e, "labnn-add-layer").disabled and e.message.value == ""
    e.set("layer_widths", (20, 3))        # wider than a button goes: allowed from code
    assert _button(e, "labnn-add-neuron-0").disabled
    assert not _button(e, "labnn-remove-neuron-0").disabled


def test_the_feature_checkboxes_feed_the_first_layer(full):
    boxes = full.controls["features"].boxes
    boxes["x1^2"].value = True
    boxes["x2^2"].value = True
    assert full.session.config.features == ("x1", "x2", "x1^2", "x2^2")
    assert full.session.network.params[0].shape == (4, 8)
    boxes["x1"].value = boxes["x2"].value = False
    assert full.session.config.features == ("x1^2", "x2^2")
    assert full.tooltips.value.count('data-node="x1^2"') == 1
    assert full.tooltips.value.count('data-node="x1"') == 0


def test_a_refused_change_shows_a_message_and_the_control_goes_back(full):
    boxes = full.controls["features"].boxes
    boxes["x2"].value = False
    net = full.session.network
    boxes["x1"].value = False                       # no feature left: the core refuses
    assert "features: expected a non-empty tuple" in full.message.value
    assert boxes["x1"].value and full.controls["features"].value == ("x1",)
    assert full.session.network is net
    full.controls["dataset"].value = "reg-plane"
    full.controls["loss"].value = "bce"             # regression is trained with mse
    assert "loss: " in full.message.value and "Traceback" not in full.message.value
    assert full.controls["loss"].value == "mse" == full.session.config.loss
    full.controls["lr"].value = 0.1                 # the next accepted change clears it
    assert full.message.value == ""


def test_regression_starts_at_its_own_lr_and_is_drawn_on_minus_one_one(full):
    full.controls["loss"].value = "bce"
    full.controls["dataset"].value = "reg-plane"
    cfg = full.session.config
    assert (cfg.lr, cfg.loss) == (pg.STARTING_LR["regression"], "mse")
    assert full.controls["lr"].value == pytest.approx(0.03) and full.controls["loss"].value == "mse"
    assert not full.session.diverged and "accuracy" not in full.status.value
    panel = _panels(full)[0]
    assert panel.heatmap.get_clim() == (-1.0, 1.0) and panel.contour is None
    full.controls["dataset"].value = "reg-gauss"    # same task: the lr stays
    assert full.session.config.lr == pytest.approx(0.03)
    full.controls["dataset"].value = "circle"
    assert full.session.config.lr == pg.STARTING_LR["classification"]
    assert panel.heatmap.get_clim() == (0.0, 1.0) and "accuracy" in full.status.value
    assert lw.explorer(dataset="reg-plane", epochs=5).session.config.lr == 0.03
    assert lw.explorer(dataset="reg-plane", lr=0.1, epochs=5).session.config.lr == 0.1


def test_a_test_split_shows_test_points_curve_and_status(full):
    full.controls["test_ratio"].value = 0.5
    s = full.session
    assert "test loss" in full.status.value and "test accuracy" in full.status.value
    panel, curves = _panels(full)[:2]
    assert list(curves.test.get_ydata()) == s.history.test_loss
    assert len(panel.test.get_offsets()) == len(s.split.test) > 0
    assert len(panel.train.get_offsets()) == len(s.split.train)
    image = bytes(full.output.value)
    full.toggles["show_test"].value = False
    assert len(panel.test.get_offsets()) == 0 and bytes(full.output.value) != image
    full.controls["test_ratio"].value = 0.0          # the lab's convention: one line
    assert len(curves.test.get_ydata()) == 0 and "test loss" not in full.status.value


def test_regenerate_draws_new_data_from_the_next_seed(full):
    full.controls["dataset"].value = "circle"
    X = full.session.X.copy()
    full.buttons["regenerate"].click()
    assert full.session.config.data_seed == 1 and not np.array_equal(full.session.X, X)
    assert full.session.epoch == 100


def test_display_toggles_only_redraw(full):
    session, net = full.session, full.session.network
    loss, rebuilds = list(session.history.loss), session.rebuilds
    full.controls["test_ratio"].value = 0.5   # (a rebuild) so that show_test shows something
    session, net = full.session, full.session.network
    loss, rebuilds = list(session.history.loss), session.rebuilds
    # network off hides the picture's tooltips; then gradients off hides the whole image
    shown = {"network_view": full.tooltips, "gradient_view": full.network_image,
             "show_code": full.code_box}
    for name in lw.TOGGLES:
        before, redraws = _snapshot(full), full.draws
        was = {n: w.layout.display for n, w in shown.items()}
        full.toggles[name].value = not full.toggles[name].value
        assert full.draws == redraws + 1
        if name in shown:
            assert shown[name].layout.display != was[name], name
        else:
            assert _snapshot(full) != before, name
        assert full.session is session and session.network is net
        assert session.history.loss == loss and session.rebuilds == rebuilds
    assert full.network_image.layout.display == "none" and full.tooltips.layout.display == "none"
    assert full.code_box.layout.display is None
    assert full.code_box.value.startswith("<pre>from labnn import Network")


def test_choosing_a_neuron_shows_its_weights(full):
    full.node.value = "h1.2"
    W1, b1 = full.session.network.params[:2]
    text = full.node_text.value
    assert f"bias {b1[1]:+.3g}" in text and f"x1 {W1[0, 1]:+.3g}" in text
    assert _panels(full)[2].frame.get_visible()
    assert f'title="h1.2\nbias {b1[1]:+.3g}' in full.tooltips.value
    full.controls["layer_widths"].value = (1,)
    assert full.node.value == ""                   # h1.2 is gone
    assert not _panels(full)[2].frame.get_visible()


def test_step_and_reset(full):
    full.step()
    assert full.session.epoch == 100 + full.chunk and not full.playing
    full.reset()
    assert full.session.epoch == 0 and "epoch 0" in full.status.value
    full.step()
    assert full.session.epoch == full.chunk
    # After Reset the run is in progress: lr applies live.
    net = full.session.network
    full.controls["lr"].value = 1.0
    assert full.session.network is net and full.session.optimizer.lr == 1.0


def test_divergence_shows_a_message_not_a_traceback(full):
    full.controls["activation"].value = "relu"
    for p in full.session.network.params:
        p[...] = np.where(np.arange(p.size).reshape(p.shape) % 2, 1e308, -1e308)
    full.play()
    for _ in range(3):
        _tick(full)  # must not raise
    msg = full.message.value
    assert "Training stopped" in msg and "diverged" in msg and "smaller learning rate" in msg
    assert "Traceback" not in msg
    assert not full.playing
    for picture in _pictures(full)[:2]:
        assert picture.startswith(PNG)
    full.play()
    assert not full.playing  # a diverged run does not restart
    full.reset()
    assert full.message.value == "" and full.session.epoch == 0


def test_a_diverging_regression_shows_a_message(full):
    full.controls["dataset"].value = "reg-plane"
    full.controls["lr"].value = 3.0
    assert full.session.diverged and "Training stopped" in full.message.value
    assert bytes(full.network_image.value).startswith(PNG)


def test_code_is_what_the_session_trained(full):
    full.controls["features"].boxes["x1^2"].value = True
    full.step()
    assert full.code() == full.session.code()
    ns = {}
    exec(full.code(), ns)   # noqa: S102 - the code under test
    for a, b in zip(ns["net"].params, full.session.network.params, strict=True):
        assert np.array_equal(a, b)


# ---------------------------------------------------------------------- own data
def _blobs(n=40, seed=0):
    rng = np.random.default_rng(seed)
    X = np.concatenate([rng.normal((100, -5), 3, (n // 2, 2)),
                        rng.normal((110, 5), 3, (n // 2, 2))])
    return X, np.repeat([0.0, 1.0], n // 2)


def test_explorer_of_own_points_in_the_readers_units():
    X, y = _blobs()
    e = lw.explorer(X, y, epochs=50)
    s = e.session
    assert s.config.dataset == "own" and "own" in e.controls["dataset"].options
    assert np.allclose(s.own.scaling.from_view(s.X), X)
    ax = e.pictures.output.panel.ax
    e.pictures.output.render()
    labels = [float(t.get_text()) for t in ax.get_xticklabels() if t.get_text()]
    assert min(labels) > 80 and max(labels) < 130          # x1 in the reader's units
    assert len(labels) >= 3 and all(v % 5 == 0 for v in labels)   # at round numbers of them
    e.controls["dataset"].value = "xor"                   # the built-in sets: one click away
    assert e.session.config.dataset == "xor"
    e.controls["dataset"].value = "own"
    assert np.array_equal(e.session.X, s.X)


def test_explorer_of_own_regression_targets_and_of_a_csv(tmp_path):
    X, _ = _blobs()
    y = X[:, 0] * 3.0
    e = lw.explorer(X, y, epochs=20)
    assert e.session.task == "regression" and e.session.config.lr == 0.03
    path = tmp_path / "points.csv"
    np.savetxt(path, np.column_stack(_blobs()), delimiter=",", header="x1,x2,y", comments="")
    e = lw.explorer(str(path), epochs=20)
    assert e.session.task == "classification" and e.session.own.source == str(path)
    assert "load_csv(" in e.code()
    assert lw.explorer(data=own_data(*_blobs()), epochs=5).session.config.dataset == "own"


@pytest.mark.parametrize("args, kwargs, match", [
    ((np.zeros((10, 2)),), {}, "^y: expected the labels"),
    ((np.zeros((10, 3)), np.zeros(10)), {}, r"^X: expected points of shape \(N, 2\)"),
    ((np.ones((10, 2)) * np.arange(10)[:, None], np.full(10, 0.0)), {}, "^y: every label"),
    ((np.ones((10, 2)) * np.arange(10)[:, None], np.arange(10) % 2), {"task": "x"}, "^task: "),
    (("no-such-file.csv",), {}, "^path: cannot read"),
    ((np.ones((10, 2)) * np.arange(10)[:, None], np.arange(10) % 2),
     {"data": own_data(*_blobs())}, "^data: give your points"),
])
def test_bad_own_data_raise_naming_what_is_wrong(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        lw.explorer(*args, **kwargs)


def test_own_is_offered_only_with_own_points(full):
    assert "own" not in full.controls["dataset"].options
    with pytest.raises(ValueError, match="^dataset: 'own' is the data you give"):
        full.set("dataset", "own")
    assert full.session.config.dataset == "xor"


# ---------------------------------------------------------------------- static figures
def test_figure_for_static_cells():
    fig = lw.figure(epochs=50)
    assert isinstance(fig, Figure) and len(fig.axes) == 4
    curves = fig.axes[2]
    assert list(curves.lines[0].get_ydata()) == train(epochs=50)[0].loss
    assert "xor: 2 x 8 tanh" in fig._suptitle.get_text()
    with pytest.raises(ValueError, match="dataset"):
        lw.figure(dataset="moons")


def test_session_figure_draws_a_session_as_it_is():
    s = Session(dataset="circle", test_ratio=0.5, layer_widths=(3,), epochs=30)
    s.advance(30)
    epoch = s.epoch
    fig = lw.session_figure(s)
    assert s.epoch == epoch
    network = fig.axes[0]
    box = network.get_window_extent()
    size = nv.layout(("x1", "x2"), (3,), box.width, box.height)[0][0].size
    maps, = [a for a in network.artists if isinstance(a, nv.PixelLayer)]
    assert np.count_nonzero(maps.pixels[..., 3]) == (2 + 3 + 1) * size**2
    assert len(network.collections[0].get_segments()) == 2 * 3 + 3 * 1
    assert list(fig.axes[3].lines[0].get_ydata()) == [g[0] for g in s.history.grad_rms]


@pytest.mark.parametrize("change", [{"activation": "sigmoid"}, {}, {"epochs": 3000},
                                    {"dataset": "reg-plane"}])
@pytest.mark.parametrize("log_loss", [True, False])
def test_loss_axis_always_has_labelled_ticks(change, log_loss):
    # A loss that moves less than a decade must still get labels on a log axis.
    e = lw.mini_explorer("lr", **change)
    e.display["log_loss"] = log_loss
    e.draw()
    ax = e.pictures.output.panels[1].ax
    lo, hi = ax.get_ylim()
    labels = [t.get_text() for t in ax.get_yticklabels() if lo <= t.get_position()[1] <= hi]
    assert len([t for t in labels if t]) >= 2, labels


def test_starting_values_are_used_exactly_or_refused():
    # A starting value is never clamped into its control's range; one outside it raises (the
    # classes below try every setting from every entry point).
    e = lw.explorer(epochs=5, batch_size=5, seed=123456, test_ratio=0.25, reg_rate=0.02,
                    layer_widths=(12, 3))
    cfg = e.session.config
    assert cfg.epochs == e.controls["epochs"].value == 5
    assert cfg.batch_size == e.controls["batch_size"].value == 5
    assert cfg.seed == e.controls["seed"].value == 123456
    assert cfg.test_ratio == e.controls["test_ratio"].value == 0.25
    assert cfg.reg_rate == e.controls["reg_rate"].value == 0.02
    assert cfg.layer_widths == e.controls["layer_widths"].value == (12, 3)
    assert e.session.epoch == 5
    with pytest.raises(ValueError, match=r"^lr: expected a number in \[0.0001, 10.0\], got 100.0$"):
        lw.explorer(lr=100.0)


NEEDS_DATA = {"dataset": "own"}  # a valid setting that only a Session given own data can start


CONTROLLED = set(lw.CONTROLS)  # every setting but n and data_seed (Regenerate) has a control


FLOAT_WRONG = [True, False, "0.1", math.nan, math.inf, -math.inf, None, [0.1], 1j, 10**400]


INT_WRONG = [True, False, 2.0, "2", math.nan, math.inf, None, [2], np.float64(3.0), 10**100,
             -10**100]


BATCH_WRONG = [0, True, 8.0, "8", math.nan, [8], 10**100]


CHOICE_WRONG = ["moons", "", None, 1, True, ["xor"]]


def _below(lo):
    return math.nextafter(lo, -math.inf) if isinstance(lo, float) else lo - 1


def _above(hi):
    return math.nextafter(hi, math.inf) if isinstance(hi, float) else hi + 1


def _expected(name):
    """What the refusal of a bad ``name`` must say (the bounds or the choices)."""
    if name in FLOATS:
        return "expected a number in [{}, {}]".format(*FLOATS[name])
    if name in INTS:
        return "expected an integer in [{}, {}]".format(*INTS[name])
    if name == "batch_size":
        return "expected None (full batch) or an integer in [{}, {}]".format(*BATCH)
    return f"expected one of {', '.join(CHOICES[name])}"


# --------------------------------------------------------------------- entry points
def _mini_control(name):
    return name if name in lw.MINI_CONTROLS else "lr"


ENTRY_POINTS = {
    "PlaygroundConfig": lambda name, v, **kw: PlaygroundConfig(**{name: v}, **kw),
    "as_config(dict)": lambda name, v, **kw: as_config({name: v, **kw}),
    "Session.change": lambda name, v, **kw: Session(**{"epochs": 1, **kw}).change(**{name: v}),
    "explorer": lambda name, v, **kw: lw.explorer(**{name: v}, **kw),
    "mini_explorer": lambda name, v, **kw: lw.mini_explorer(_mini_control(name), **{name: v},
                                                             **kw),
    "Explorer([name])": lambda name, v, **kw: lw.Explorer(
        [name] if name in CONTROLLED else [], buttons=False, toggles=False, **{name: v}, **kw),
}


def _refusals():
    cases = []
    for name, (lo, hi) in {**FLOATS, **INTS, "batch_size": BATCH}.items():
        cases += [(name, _below(lo)), (name, _above(hi))]
        wrong = FLOAT_WRONG if name in FLOATS else INT_WRONG if name in INTS else BATCH_WRONG
        cases += [(name, v) for v in wrong]
    for name in CHOICES:
        cases += [(name, v) for v in CHOICE_WRONG]
    return cases


def _id(value):
    text = repr(value)
    return text if len(text) < 20 else text[:17] + "..."


REFUSALS = _refusals()


REFUSAL_IDS = [f"{name}={_id(v)}" for name, v in REFUSALS]


def _at_bounds():
    cases = [(name, lo) for name, (lo, _) in {**FLOATS, **INTS}.items()]
    cases += [(name, hi) for name, (_, hi) in {**FLOATS, **INTS}.items()]
    cases += [("batch_size", BATCH[0]), ("batch_size", BATCH[1]), ("batch_size", None)]
    cases += [(name, options[0]) for name, options in CHOICES.items()]
    cases += [(name, options[-1]) for name, options in CHOICES.items()
              if NEEDS_DATA.get(name) != options[-1]]
    return cases


def _config_of(result):
    if isinstance(result, PlaygroundConfig):
        return result
    return result.session.config


@pytest.fixture(scope="module")
def shared():
    """One explorer that refused calls must leave exactly as it was."""
    return lw.explorer(epochs=10)


class TestStartingValuesAreNeverClamped:
    """Out of range or of the wrong type: a ValueError naming the setting and its bounds, from
    every entry point; exactly at a bound: used as given, and the control shows it."""

    @pytest.mark.parametrize("entry", list(ENTRY_POINTS))
    @pytest.mark.parametrize("name, value", REFUSALS, ids=REFUSAL_IDS)
    def test_refused_with_the_bounds(self, entry, name, value):
        with pytest.raises(ValueError) as info:
            ENTRY_POINTS[entry](name, value)
        assert str(info.value) == f"{name}: {_expected(name)}, got {value!r}"

    @pytest.mark.parametrize("name, value", REFUSALS, ids=REFUSAL_IDS)
    def test_explorer_set_refuses_and_changes_nothing(self, shared, name, value):
        config, shown = shared.session.config, {k: w.value for k, w in shared.controls.items()}
        network, image = shared.session.network, shared.output.value
        with pytest.raises(ValueError) as info:
            shared.set(name, value)
        assert str(info.value) == f"{name}: {_expected(name)}, got {value!r}"
        assert shared.session.config == config and shared.session.network is network
        assert {k: w.value for k, w in shared.controls.items()} == shown
        assert shared.output.value == image and shared.message.value == ""

    @pytest.mark.parametrize("entry", list(ENTRY_POINTS))
    @pytest.mark.parametrize("name, value", _at_bounds(), ids=lambda v: _id(v))
    def test_a_value_at_a_bound_is_used_exactly(self, entry, name, value):
        extra = {} if name == "epochs" else {"epochs": 3}
        result = ENTRY_POINTS[entry](name, value, **extra)
        if entry == "Session.change":
            return  # update returns what happened; the config is checked by as_config
        cfg = _config_of(result)
        assert getattr(cfg, name) == value and type(getattr(cfg, name)) is type(value)
        if entry == "PlaygroundConfig" or entry == "as_config(dict)":
            return
        assert result.session.epoch == cfg.epochs
        if name in result.controls:
            shown = result.controls[name].value
            assert shown == (0 if value is None else value), (shown, value)

    def test_examples(self):
        with pytest.raises(ValueError, match=r"^lr: expected a number in \[0.0001, 10.0\], "
                                             r"got 100$"):
            lw.mini_explorer("lr", lr=100)
        with pytest.raises(ValueError, match=r"^seed: expected an integer in \[0, 4294967295\]"):
            lw.explorer(seed=2**32)
        e = lw.explorer(seed=10**7, epochs=5, batch_size=5)
        cfg = e.session.config
        assert (cfg.seed, cfg.epochs, cfg.batch_size) == (10**7, 5, 5)
        assert e.controls["seed"].value == 10**7 and e.controls["epochs"].value == 5
        assert e.controls["batch_size"].value == 5 and e.session.epoch == 5

    def test_the_notebooks_starting_values_are_in_range(self):
        # notebooks 03, 04, 05 and 08 call these with no value but the data set
        for control in lw.MINI_CONTROLS:
            assert _config_of(lw.mini_explorer(control, dataset="xor")) == PlaygroundConfig()
        assert _config_of(lw.explorer()) == PlaygroundConfig()


class TestAPersonMovingAControlIsClampedByTheWidget:
    """The widget bounds what a person drags or types to the same bounds, and the explorer
    trains exactly what the control then shows."""

    @pytest.mark.parametrize("name", ["lr", "noise", "hidden_units", "hidden_layers", "epochs",
                                      "seed"])
    @pytest.mark.parametrize("end", ["below", "above"])
    def test_slider_past_an_end(self, name, end):
        lo, hi = {**FLOATS, **INTS}[name]
        start = {"epochs": 3 if name != "epochs" else 20, "seed": 1 if name != "seed" else 5}
        e = (lw.explorer(**start) if name in lw.EXPLORER_CONTROLS
             else lw.Explorer([name], **start))
        far = {"below": (lo - 1) * 1e3 if lo else -1e3, "above": (hi + 1) * 1e3}[end]
        e.controls[name].value = far if name in FLOATS else int(far)
        want = lo if end == "below" else hi
        assert e.controls[name].value == want
        assert getattr(e.session.config, name) == want
        assert e.message.value == ""
        assert e.session.epoch == e.session.config.epochs


class TestExplorerArgumentsRaiseValueError:
    """Every other argument of the explorer's public API: a ValueError naming it."""

    @pytest.mark.parametrize("interval", ["fast", 0, -200, 9, 60_001, math.nan, math.inf, True,
                                          200.0, None, 10**12, [200]], ids=_id)
    def test_interval(self, interval):
        with pytest.raises(ValueError, match=r"^interval: expected an integer number of "
                                             r"milliseconds in \[10, 60000\]"):
            lw.Explorer(interval=interval, epochs=1)

    @pytest.mark.parametrize("controls", ["lr", "hidden_units", None, 5, {"lr": 1}, {"lr"}],
                             ids=_id)
    def test_controls_not_a_list(self, controls):
        with pytest.raises(ValueError, match=r"^controls: expected a list or tuple of control "
                                             r"names"):
            lw.Explorer(controls, epochs=1)

    @pytest.mark.parametrize("controls", [["xx"], [None], ("lr", 3), ["lr", "LR"], ["n"]],
                             ids=_id)
    def test_unknown_control_lists_the_known_ones(self, controls):
        with pytest.raises(ValueError, match="^controls: .*" + ", ".join(lw.CONTROLS)):
            lw.Explorer(controls, epochs=1)

    def test_a_control_listed_twice(self):
        with pytest.raises(ValueError, match="^controls: 'lr' is listed twice"):
            lw.Explorer(["lr", "hidden_units", "lr"], epochs=1)

    @pytest.mark.parametrize("chunk", [0, -1, True, 2.0, None, "5", 5001, 10**12], ids=_id)
    def test_chunk(self, chunk):
        with pytest.raises(ValueError, match=r"^chunk: expected an integer in \[1, 5000\]"):
            lw.Explorer(chunk=chunk, epochs=1)

    @pytest.mark.parametrize("flag", ["buttons", "toggles"])
    @pytest.mark.parametrize("value", ["no", "False", None, 0, 1, np.float64(1.0)], ids=_id)
    def test_flags(self, flag, value):
        with pytest.raises(ValueError, match=f"^{flag}: expected True or False"):
            lw.Explorer(epochs=1, **{flag: value})

    @pytest.mark.parametrize("clock", [5, None, "monotonic"], ids=_id)
    def test_clock(self, clock):
        with pytest.raises(ValueError, match="^clock: expected a callable"):
            lw.Explorer(clock=clock, epochs=1)

    @pytest.mark.parametrize("make", [lambda: lw.Explorer(colour=1),
                                      lambda: lw.explorer(colour=1),
                                      lambda: lw.mini_explorer("lr", colour=1),
                                      lambda: lw.figure(colour=1),
                                      lambda: Session(colour=1)])
    def test_an_unknown_setting(self, make):
        with pytest.raises(ValueError, match="colour.*expected some of dataset, noise, lr"):
            make()

    @pytest.mark.parametrize("make, name", [
        (lambda: lw.mini_explorer("lr", buttons=True), "buttons"),
        (lambda: lw.mini_explorer("lr", toggles=False), "toggles"),
        (lambda: lw.mini_explorer("lr", controls=["lr"]), "controls"),
        (lambda: lw.explorer(controls=["lr"]), "controls"),
    ])
    def test_what_a_shortcut_fixes_is_not_an_argument(self, make, name):
        with pytest.raises(ValueError, match=f"^{name}: "):
            make()

    @pytest.mark.parametrize("control", [None, ["lr"], "optimizer", 5, "LR", ("lr",)], ids=_id)
    def test_mini_explorer_control(self, control):
        with pytest.raises(ValueError, match="^control: expected one of lr, hidden_units, "
                                             "activation"):
            lw.mini_explorer(control)

    @pytest.mark.parametrize("flag", ["show_test", "discretize", "log_loss"])
    @pytest.mark.parametrize("value", ["no", None, 1], ids=_id)
    def test_figure_flags(self, flag, value):
        with pytest.raises(ValueError, match=f"^{flag}: expected True or False"):
            lw.figure(epochs=1, **{flag: value})

    @pytest.mark.parametrize("arg, value, expected", [
        ("width", -1, r"a number in \[1, 40\]"), ("width", math.nan, r"a number in \[1, 40\]"),
        ("width", "8", r"a number in \[1, 40\]"), ("width", 10**400, r"a number in \[1, 40\]"),
        ("height", 0, r"a number in \[1, 40\]"), ("height", True, r"a number in \[1, 40\]"),
        ("dpi", 0, r"an integer in \[10, 600\]"), ("dpi", 2.5, r"an integer in \[10, 600\]"),
        ("dpi", 10**9, r"an integer in \[10, 600\]"),
        ("dpi", math.nan, r"an integer in \[10, 600\]"),
    ], ids=_id)
    def test_session_figure(self, arg, value, expected):
        with pytest.raises(ValueError, match=f"^{arg}: expected {expected}"):
            lw.session_figure(Session(epochs=1), **{arg: value})

    @pytest.mark.parametrize("resolution", [1, 2.5, 10**6, True], ids=_id)
    def test_panel_resolution(self, resolution):
        from matplotlib.figure import Figure

        from labnn.explorer.views import BoundaryPanel

        panel = BoundaryPanel(Figure().add_subplot(), resolution)
        with pytest.raises(ValueError, match=r"^resolution: expected an integer in \[2, 1000\]"):
            panel.draw(Session(epochs=1))

    @pytest.mark.parametrize("config", [{1: 2}, {None: 0}, ["xor"], "xor", 5], ids=_id)
    def test_as_config(self, config):
        with pytest.raises(ValueError, match="^config: "):
            as_config(config)


    @pytest.mark.parametrize("make", [pg.make_data, pg.build_network, pg.make_optimizer])
    @pytest.mark.parametrize("config", ["xor", 5, ["xor"]], ids=_id)
    def test_a_function_of_a_config(self, make, config):
        with pytest.raises(ValueError, match="^config: "):
            make(config)

    @pytest.mark.parametrize("method", ["advance", "play"])
    @pytest.mark.parametrize("epochs", [0, -1, 5001, 10**12, 2.0, True, None, "5"], ids=_id)
    def test_session_epochs(self, method, epochs):
        # the epochs setting's own rule: a chunk is never longer than a whole run may be
        with pytest.raises(ValueError, match=r"^epochs: expected an integer in \[1, 5000\]"):
            getattr(Session(epochs=1), method)(epochs)


class TestTheControlsShowWhatIsTrained:
    """``Explorer.set`` (what a control does, callable from code) moves the control too, and a
    refused call leaves everything as it was."""

    @pytest.mark.parametrize("name, value, shown", [
        ("layer_widths", (3, 2), (3, 2)), ("lr", 0.05, 0.05), ("seed", 7, 7),
        ("epochs", 7, 7), ("dataset", "circle", "circle"), ("activation", "None", "linear"),
        ("batch_size", 5, 5), ("batch_size", None, 0), ("noise", 0.25, 0.25),
        ("test_ratio", 0.3, 0.3), ("test_ratio", 0.25, 0.25), ("reg_rate", 0.01, 0.01),
        ("reg_rate", 0.02, 0.02), ("regularization", "L2", "l2"),
        ("features", ["x2^2", "x1^2"], ("x1^2", "x2^2")),
    ])
    def test_set_moves_the_control(self, name, value, shown):
        e = lw.explorer(epochs=4, batch_size=4)
        assert e.set(name, value) == "rebuild"
        assert e.controls[name].value == shown
        assert getattr(e.session.config, name) == getattr(as_config(None, **{name: value}), name)
        assert e.session.epoch == e.session.config.epochs and e.message.value == ""

    def test_set_of_lr_while_playing_moves_the_slider_and_stays_live(self):
        e = lw.explorer(epochs=4)
        e.play()
        net = e.session.network
        assert e.set("lr", 0.05) == "live"
        assert e.controls["lr"].value == 0.05 and e.session.network is net and e.playing

    def test_a_refused_step_does_not_mark_the_run_in_progress(self):
        s = Session(epochs=2)
        s.advance(2)
        with pytest.raises(ValueError, match="^epochs: "):
            s.play("x")
        assert not s.in_progress
        assert s.change(lr=0.5) == "rebuild"  # idle: an lr change still retrains
