"""The explorer's widgets driven without a front end: set control values and press buttons as a
reader would, and check the session, the pictures, the text and the Playground's rules (the
rules themselves are the core's, tested in test_explorer_core.py: here, that the view applies
them and shows the result)."""

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

import ipywidgets as W  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from labnn.explorer import netview as nv  # noqa: E402
from labnn.explorer import playground as pg  # noqa: E402
from labnn.explorer import widgets as lw  # noqa: E402
from labnn.explorer.datasets import own_data  # noqa: E402
from labnn.explorer.playground import PlaygroundConfig, Session, train  # noqa: E402

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
    # Issue 11, class 9 (tests/test_explorer_inputs.py tries every setting): a starting value
    # is never clamped into its control's range; one outside it raises.
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
