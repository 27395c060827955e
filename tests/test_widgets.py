"""The explorer's widgets driven without a front end: set control values as a reader would and
check the history, the figure and the text, and the Playground's rules."""

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

import ipywidgets as W  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from labnn.explorer import widgets as lw  # noqa: E402
from labnn.explorer.playground import PlaygroundConfig, train  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


def _snapshot(e):
    return bytes(e.image.value), e.status.value, list(e.session.history.loss)


def _tick(e, n=1):
    """What the front end's Play ticker does every ``interval`` ms."""
    for _ in range(n):
        e.ticker.value += 1


@pytest.fixture
def full():
    e = lw.explorer(epochs=100)
    e.min_tick_gap = 0.0  # ticks from a test arrive back to back; do not drop them
    return e


@pytest.mark.parametrize("control, widget_type", [("lr", W.FloatLogSlider),
                                                  ("hidden_units", W.IntSlider),
                                                  ("activation", W.Dropdown)])
def test_mini_explorer_has_one_control_and_both_views(control, widget_type):
    e = lw.mini_explorer(control, dataset="xor")
    assert isinstance(e, W.VBox)
    assert list(e.controls) == [control]
    w = e.controls[control]
    assert isinstance(w, widget_type) and w.description == control.replace("_", " ")
    assert not e.buttons and not e.toggles
    assert bytes(e.image.value).startswith(PNG)
    h, _ = train(dataset="xor")
    assert e.session.history.loss == h.loss  # what it shows is the pure function's result
    assert e.text == f"epoch 500   loss {h.final_loss:.4g}   accuracy {h.final_accuracy:.2%}"
    assert e.text in e.status.value
    assert e.message.value == ""


@pytest.mark.parametrize("control, value", [("lr", 0.02), ("hidden_units", 2),
                                            ("activation", "sigmoid")])
def test_mini_explorer_change_retrains_and_redraws(control, value):
    e = lw.mini_explorer(control, dataset="xor", epochs=200)
    before = _snapshot(e)
    net = e.session.network
    e.controls[control].value = value
    after = _snapshot(e)
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


def test_full_explorer_has_every_control_with_the_contracted_bounds(full):
    assert set(full.controls) == set(lw.CONTROLS)
    lr = full.controls["lr"]
    assert isinstance(lr, W.FloatLogSlider) and lr.description == "lr"
    assert lr.base == 10 and 10 ** lr.min == pytest.approx(1e-4) and 10 ** lr.max == 10
    units = full.controls["hidden_units"]
    assert (units.description, units.min, units.max) == ("hidden units", 1, 32)
    assert (full.controls["hidden_layers"].min, full.controls["hidden_layers"].max) == (0, 6)
    assert set(full.controls["dataset"].options) == {"linear", "xor", "circle", "spiral",
                                                     "gaussian", "reg-plane", "reg-gauss", "own"}
    assert set(full.buttons) == {"play", "pause", "step", "reset"}
    assert set(full.toggles) == set(lw.TOGGLES)


def test_widget_bounds_clamp_bad_values(full):
    full.controls["lr"].value = 1e6
    assert full.session.config.lr == 10.0
    full.controls["lr"].value = 1e-9
    assert full.session.config.lr == pytest.approx(1e-4)
    full.controls["hidden_units"].value = 1000
    assert full.session.config.hidden_units == 32
    full.controls["hidden_layers"].value = -3
    assert full.session.config.hidden_layers == 0
    full.controls["seed"].value = -5
    assert full.session.config.seed == 0
    full.controls["noise"].value = 9.0
    assert full.session.config.noise == 0.5
    assert full.message.value == ""
    assert full.session.epoch == 100


def test_every_control_drives_its_config_field(full):
    new = {"dataset": "spiral", "noise": 0.1, "lr": 0.1, "hidden_units": 3, "hidden_layers": 3,
           "activation": "relu", "optimizer": "adam", "loss": "bce", "epochs": 60,
           "batch_size": 16, "seed": 7}
    for name, value in new.items():
        image = full.image.value
        full.controls[name].value = value
        assert getattr(full.session.config, name) == value, name
        assert full.image.value != image, name
    assert full.session.config == PlaygroundConfig(**new)
    assert full.session.history.loss == train(PlaygroundConfig(**new))[0].loss
    full.controls["batch_size"].value = 0  # "full"
    assert full.session.config.batch_size is None


def test_play_trains_in_chunks_and_redraws(full):
    full.play()
    assert full.playing and full.ticker.playing
    for k in range(1, 4):
        image, redraws = full.image.value, full.redraws
        _tick(full)
        assert full.session.epoch == 100 + k * full.chunk
        assert full.redraws == redraws + 1 and full.image.value != image
        assert f"epoch {100 + k * full.chunk}" in full.status.value
    full.pause()
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


def test_architecture_change_rebuilds_while_playing(full):
    full.play()
    _tick(full, 2)
    net = full.session.network
    full.controls["hidden_units"].value = 3
    assert full.session.network is not net
    assert full.session.epoch == 100  # retrained from scratch for `epochs`
    assert [p.shape for p in full.session.network.params][:2] == [(2, 3), (3,)]
    assert full.playing
    _tick(full)
    assert full.session.epoch == 100 + full.chunk


def test_display_toggles_only_redraw(full):
    session, net = full.session, full.session.network
    loss, rebuilds = list(session.history.loss), session.rebuilds
    for name in lw.TOGGLES:
        image, redraws = full.image.value, full.redraws
        full.toggles[name].value = not full.toggles[name].value
        assert full.redraws == redraws + 1
        assert full.image.value != image, name
        assert full.session is session and session.network is net
        assert session.history.loss == loss and session.rebuilds == rebuilds


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
    full.play()
    assert not full.playing  # a diverged run does not restart
    full.reset()
    assert full.message.value == "" and full.session.epoch == 0


def test_figure_for_static_cells():
    fig = lw.figure(epochs=50)
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    loss_line = fig.axes[1].lines[0]
    assert list(loss_line.get_ydata()) == train(epochs=50)[0].loss
    with pytest.raises(ValueError, match="dataset"):
        lw.figure(dataset="moons")


@pytest.mark.parametrize("change", [{"activation": "sigmoid"}, {}, {"epochs": 3000}])
@pytest.mark.parametrize("log_loss", [True, False])
def test_loss_axis_always_has_labelled_ticks(change, log_loss):
    # A loss that moves less than a decade must still get labels on a log axis.
    e = lw.mini_explorer("lr", dataset="xor", **change)
    e.view.draw(e.session, log_loss=log_loss)
    e.view.render()
    ax = e.view.ax_loss
    lo, hi = ax.get_ylim()
    labels = [t.get_text() for t in ax.get_yticklabels() if lo <= t.get_position()[1] <= hi]
    assert len([t for t in labels if t]) >= 2, labels


def test_starting_values_are_used_exactly_or_refused():
    # Issue 11, class 9 (tests/test_explorer_inputs.py tries every setting): a starting value
    # is never clamped into its control's range; one outside it raises.
    e = lw.explorer(epochs=5, batch_size=5, seed=123456)
    cfg = e.session.config
    assert cfg.epochs == e.controls["epochs"].value == 5
    assert cfg.batch_size == e.controls["batch_size"].value == 5
    assert cfg.seed == e.controls["seed"].value == 123456
    assert e.session.epoch == 5
    with pytest.raises(ValueError, match=r"^lr: expected a number in \[0.0001, 10.0\], got 100.0$"):
        lw.explorer(lr=100.0)
