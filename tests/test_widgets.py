"""labnn.explorer.widgets, driven without a page: the messages the page sends (hello, set,
press, layer, display, tick, ping, code, download) as a reader would cause them, and what the
kernel sends back (scene, config, frame); the view applies the core's rules and survives
anything. A starting value (explorer(...), mini_explorer(...), Explorer(...), a
PlaygroundConfig, Session.change, Explorer.set) is used exactly or refused with a ValueError
naming the setting and its bounds."""

import math
import time

import numpy as np
import pytest
from explorer_helpers import BATCH, CHOICES, FLOATS, INTS, blob_points
from matplotlib.figure import Figure

from labnn import Network
from labnn.explorer import frame as F
from labnn.explorer import netview as nv
from labnn.explorer import playground as pg
from labnn.explorer import state as st
from labnn.explorer import widgets as lw
from labnn.explorer.playground import PlaygroundConfig, Session, as_config, train


def _same_params(a, b) -> bool:
    return all(np.array_equal(p, q) for p, q in zip(a.params, b.params, strict=True))


def msg(e, **content):
    """What the page sends."""
    e._on_msg(e, content, [])


def arrays(e):
    """The arrays of the last frame sent."""
    meta = e.last["frame"]
    return F.unpack(meta["arrays"], e.last_buffers["frame"][0])


@pytest.fixture
def full():
    e = lw.explorer(epochs=100)
    msg(e, type="hello")
    return e


# ====================================================================== opening
def test_the_explorer_opens_untrained_and_sends_everything_on_hello(full):
    assert list(full.last) == ["thumbs", "scene", "config", "frame"]
    assert full.session.epoch == 0 and full.runner.job is None
    assert full.last["frame"]["status"].startswith("epoch 0: untrained")
    config = full.last["config"]
    assert [c["name"] for c in config["controls"]] == list(lw.EXPLORER_CONTROLS)
    assert config["values"]["lr"] == 0.3 and config["widths"] == [8, 8]
    assert "regenerate" in config["disabled"] and "unpin" in config["disabled"]
    assert config["rule"] == lw.RULE and config["buttons"]
    assert config["playground"] is None and "full batch" in config["playground_why"]
    assert full.last["scene"]["columns"][-1] == ["output"]
    assert set(full.last["thumbs"]["thumbs"]) == set(lw.ds.DATASETS)
    assert repr(full) == "<labnn Playground explorer with 14 controls: run this notebook in " \
                         "JupyterLab>"


def test_a_mini_explorer_trains_in_the_page_and_retrains_after_each_change():
    e = lw.mini_explorer("lr", dataset="xor", epochs=200)
    assert e.kind == "mini" and e.controls == ("lr",) and e.runner.job == "fast-forward"
    assert e.session.epoch == 0                     # nothing trained until the page asks
    msg(e, type="hello")
    assert e.last["frame"]["job"] == "fast-forward"
    e.run()
    assert e.session.epoch == 200 and e.last["frame"]["job"] is None
    assert _same_params(e.session.network, train(epochs=200)[1])
    msg(e, type="set", name="lr", value=1.0)        # the lr too: from scratch, at 1.0
    assert e.session.epoch == 0 and e.runner.job == "fast-forward"
    e.run()
    assert e.session.chunks == [(0, 200, 1.0)]
    e2 = lw.mini_explorer("activation", epochs=50)
    e2.run()
    msg(e2, type="set", name="activation", value="relu")   # ...after a reset
    assert e2.session.epoch == 0 and e2.runner.job == "fast-forward"
    e2.run()
    assert e2.session.epoch == 50 and e2.last["config"]["rule"] == \
        "each change retrains from scratch for 50 epochs"


# ====================================================================== the buttons
def test_play_is_one_epoch_a_frame_with_at_most_a_window_on_their_way(full):
    w = lw.WINDOW
    msg(full, type="press", button="play")
    seq = full.last["frame"]["seq"]
    assert full.last["frame"]["job"] == "play" and w >= 2
    msg(full, type="tick", seq=seq)                 # painted: the next w frames go out
    assert full.session.epoch == w and full.last["frame"]["seq"] == seq + w
    assert full.last["frame"]["epoch"] == w         # one epoch a frame
    for painted in range(seq + 1, seq + 6):         # each frame painted: one more goes out
        msg(full, type="tick", seq=painted)
        assert full.last["frame"]["seq"] == painted + w == full.session.epoch + seq
    msg(full, type="tick", seq=seq + 3)             # older than one painted: another view's
    msg(full, type="tick", seq=seq + 5)             # painted twice
    assert full.session.epoch == w + 5
    msg(full, type="press", button="pause")
    msg(full, type="tick", seq=full.last["frame"]["seq"])
    assert full.session.epoch == w + 5 and full.last["frame"]["job"] is None


@pytest.mark.parametrize("budget, frames", [(0.02, 1), (0.2, lw.WINDOW)])
def test_a_tick_keeps_the_kernel_busy_for_about_one_budget(budget, frames):
    # Play, full batch (a slice is an epoch), on a clock where each slice and its frame take
    # 6 ms: more than a quarter of a 20 ms budget, one frame on its way (a ping waits behind
    # one slice at most); within a quarter of 200 ms, the whole window
    e = lw.explorer(budget=budget)
    e.runner.clock = lambda: 0.006 * e.frames
    msg(e, type="hello")
    msg(e, type="press", button="play")
    msg(e, type="tick", seq=e.last["frame"]["seq"])     # the first slices measure the time
    for _ in range(3):
        seq = e.last["frame"]["seq"]
        msg(e, type="tick", seq=seq)
        assert e.last["frame"]["seq"] == seq + frames


def test_a_change_during_play_resets_to_epoch_zero_and_keeps_playing(full):
    full.play()
    full.run(max_slices=20)
    assert full.session.epoch == 20
    msg(full, type="set", name="noise", value=0.1)
    assert full.session.epoch == 0 and full.runner.job == "play"
    assert full.last["scene"]["title"].startswith("xor")
    full.run(max_slices=3)
    assert full.session.epoch == 3


def test_fast_forward_shows_progress_and_cancel_stops_it():
    e = lw.explorer(dataset="spiral", n=400, batch_size=1, epochs=50, budget=0.005)
    msg(e, type="hello")
    msg(e, type="press", button="fast_forward")
    msg(e, type="tick", seq=e.last["frame"]["seq"])
    assert e.last["frame"]["progress"] == "training 0/50" and e.session.batch > 0
    msg(e, type="press", button="cancel")
    steps = e.session.steps
    msg(e, type="tick", seq=e.last["frame"]["seq"])
    assert e.session.steps == steps and e.last["frame"]["job"] is None
    assert e.session.chunks[-1][:2] == (0, steps)   # the record: exactly what was trained


def test_step_reset_and_regenerate(full):
    msg(full, type="press", button="step")
    full.run()
    assert full.session.epoch == 1
    msg(full, type="press", button="reset")
    assert full.session.epoch == 0
    msg(full, type="press", button="regenerate")      # the lab's fixed XOR points
    assert full.last["config"]["message"].startswith("error: regenerate: the xor points are "
                                                     "fixed")
    msg(full, type="set", name="noise", value=0.2)
    seed = full.session.config.effective_data_seed
    msg(full, type="press", button="regenerate")
    assert full.session.config.data_seed == seed + 1 and full.last["config"]["message"] == ""


# ====================================================================== controls and rules
@pytest.mark.parametrize("name, value", [
    ("dataset", "circle"), ("noise", 0.25), ("test_ratio", 0.3), ("batch_size", 4),
    ("batch_size", None), ("activation", "relu"), ("optimizer", "adam"), ("loss", "bce"),
    ("regularization", "l1-playground"), ("reg_rate", 0.03), ("seed", 7),
    ("features", ["x2^2", "x1^2"]), ("layer_widths", [3, 2])])
def test_every_control_sets_its_setting_and_resets_the_run(name, value):
    e = lw.explorer(epochs=4, batch_size=8)
    msg(e, type="hello")
    e.fast_forward()
    e.run()
    msg(e, type="set", name=name, value=value)
    expected = as_config(None, **{name: tuple(value) if isinstance(value, list) else value})
    assert getattr(e.session.config, name) == getattr(expected, name)
    assert e.session.epoch == 0 and e.last["config"]["message"] == ""
    shown = e.last["config"]["values"].get(name, e.last["config"]["widths"])
    assert shown == (list(getattr(expected, name)) if isinstance(value, list) else value)


@pytest.mark.parametrize("name, value", [("lr", 1.0), ("epochs", 7)])
def test_lr_and_epochs_apply_without_a_reset(full, name, value):
    full.fast_forward()
    full.run()
    network = full.session.network
    msg(full, type="set", name=name, value=value)
    assert full.session.network is network and full.session.epoch == 100
    assert getattr(full.session.config, name) == value


def test_a_refused_value_shows_a_message_and_changes_nothing(full):
    config, seq = full.session.config, full.last["frame"]["seq"]
    msg(full, type="set", name="lr", value=50)
    assert full.session.config == config
    assert full.last["config"]["message"] == "error: lr: expected a number in [1e-05, 10.0], " \
                                             "got 50"
    assert full.last["config"]["values"]["lr"] == 0.3 and full.last["frame"]["seq"] == seq + 1
    msg(full, type="set", name="features", value=[])
    assert full.last["config"]["message"].startswith("error: features: expected a non-empty")
    msg(full, type="bogus")
    assert full.last["config"]["message"] == "error: message: unknown type 'bogus'"
    msg(full, type="set", name="lr", value=0.1)
    assert full.last["config"]["message"] == ""


def test_a_typed_lr_survives_a_data_set_of_the_same_task(full):
    msg(full, type="set", name="lr", value=0.01)
    msg(full, type="set", name="dataset", value="spiral")
    assert full.session.config.lr == 0.01 and full.last["config"]["notice"] == ""
    msg(full, type="set", name="dataset", value="reg-plane")
    assert full.session.config.lr == 0.03 and "lr 0.01 -> 0.03" in full.last["config"]["notice"]
    assert "loss" in full.last["config"]["disabled"]
    msg(full, type="set", name="dataset", value="circle")
    assert full.session.config.lr == 0.01


def test_the_layer_buttons_apply_the_cores_rules(full):
    msg(full, type="layer", rule="add_layer")
    msg(full, type="layer", rule="remove_neuron", index=0)
    assert full.session.config.layer_widths == (7, 8, 2)
    assert full.last["scene"]["columns"][3] == ["h3.1", "h3.2"]
    msg(full, type="layer", rule="remove_neuron", index=2)
    msg(full, type="layer", rule="remove_neuron", index=2)       # one neuron is the fewest
    assert full.last["config"]["message"].startswith("error: layer_widths: hidden layer 2 has 1")
    assert full.session.config.layer_widths == (7, 8, 1)
    msg(full, type="layer", rule="grow")
    assert full.last["config"]["message"].startswith("error: rule: expected one of add_layer")
    assert full.last["config"]["max_width"] == lw.PLAYGROUND_MAX_WIDTH


def test_display_toggles_only_draw_and_go_into_the_state(full):
    seq, rebuilds = full.last["frame"]["seq"], full.session.rebuilds
    msg(full, type="display", name="discretize", value=True)
    assert full.last["frame"]["seq"] == seq and full.session.rebuilds == rebuilds
    assert full.display["discretize"] and full.state == "epochs=100&discretize=true"
    msg(full, type="display", name="network", value=True)
    assert "error: name: expected one of show_test" in full.last["config"]["message"]


# ====================================================================== state, code, files
def test_the_state_string_starts_the_same_run(full):
    for name, value in (("dataset", "spiral"), ("lr", 0.01), ("layer_widths", [5, 3]),
                        ("features", ["x1", "sin(x2)"]), ("batch_size", 10)):
        msg(full, type="set", name=name, value=value)
    msg(full, type="display", name="show_test", value=False)
    text = full.last["config"]["state"]
    again = lw.explorer(state=text)
    assert again.session.config == full.session.config and again.display["show_test"] is False
    assert lw.explorer(state=text, lr=0.3).session.config.lr == 0.3        # the argument wins


def test_a_playground_link_starts_playgrounds_run_and_a_playground_run_gets_a_link():
    url = ("https://playground.tensorflow.org/#activation=relu&batchSize=10&dataset=xor&"
           "regDataset=reg-plane&learningRate=0.03&regularizationRate=0&noise=0&"
           "networkShape=4,2&seed=0.12345&showTestData=false&discretize=true&percTrainData=50&"
           "x=true&y=true&xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=false&"
           "cosY=false&sinY=false&collectStats=false&problem=classification&initZero=false&"
           "hideText=false")
    e = lw.explorer(state=url)
    msg(e, type="hello")
    cfg = e.session.config
    assert (cfg.dataset, cfg.activation, cfg.batch_size, cfg.layer_widths, cfg.seed, cfg.n) == (
        "xor-quadrants", "relu", 10, (4, 2), 12345, 500)
    assert e.display["discretize"] and not e.display["show_test"]
    link = e.last["config"]["playground"]
    assert link.startswith(st.PLAYGROUND_URL) and st.read_state(link)[0] == st.read_state(url)[0]


def test_code_replays_what_the_explorer_trained(full):
    full.play()
    full.run(max_slices=30)
    msg(full, type="set", name="lr", value=1.0)
    full.run(max_slices=20)
    full.pause()
    msg(full, type="code")
    text = full.last["code"]["text"]
    assert text == full.code() and "opt.lr = 1.0   # changed live at epoch 30" in text
    ns = {}
    exec(compile(text, "<explorer code>", "exec"), ns)   # noqa: S102 - the code under test
    assert _same_params(ns["net"], full.session.network)


def test_the_network_and_the_picture_can_be_saved(full, tmp_path):
    full.fast_forward()
    full.run()
    msg(full, type="download")
    download = full.last["download"]
    assert download["name"] == "labnn-xor.npz"
    (tmp_path / "from_page.npz").write_bytes(full.last_buffers["download"][0])
    assert _same_params(Network.load(tmp_path / "from_page.npz"), full.session.network)
    full.save_network(tmp_path / "net.npz")
    assert _same_params(Network.load(tmp_path / "net.npz"), full.session.network)
    full.save_picture(tmp_path / "explorer.png")
    assert (tmp_path / "explorer.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_pinned_run_stays_beside_the_current_one(full):
    full.fast_forward()
    full.run()
    msg(full, type="press", button="pin")
    pinned_loss = list(full.session.history.loss)
    _, pinned_output = full.session.predict_grid(F.RESOLUTION)
    msg(full, type="set", name="activation", value="relu")
    meta = full.last["frame"]
    a = arrays(full)
    assert meta["pinned"]["status"].startswith("epoch 100")
    assert "relu" not in meta["pinned"]["title"]
    np.testing.assert_allclose(a["pinned_loss"], pinned_loss, rtol=1e-6)
    rows = meta["rows"]
    assert rows["pinned"] == meta["levels"][0] - 1 == rows["discretized"] + 1
    levels = F.unpack_levels(meta, full.last_buffers["frame"][1])
    np.testing.assert_array_equal(levels[rows["pinned"]], np.floor(pinned_output * 255 + 0.5))
    assert "unpin" not in full.last["config"]["disabled"]
    msg(full, type="press", button="unpin")
    assert "pinned" not in full.last["frame"] and "pinned" not in full.last["frame"]["rows"]
    msg(full, type="press", button="reset")
    msg(full, type="press", button="pin")                # an untrained run: no button hint
    assert full.last["frame"]["pinned"]["status"] == "epoch 0: untrained"


# ====================================================================== never a traceback
def test_a_divergence_ends_the_job_with_a_message_not_a_traceback():
    e = lw.explorer(activation="relu", epochs=20)
    msg(e, type="hello")
    for p in e.session.network.params:
        p[...] = np.where(np.arange(p.size).reshape(p.shape) % 2, 1e308, -1e308)
    e.play()
    e.run(max_slices=5)
    assert e.last["frame"]["error"].startswith("training diverged") and e.runner.job is None
    meta = e.last["frame"]
    levels = F.unpack_levels(meta, e.last_buffers["frame"][1])
    assert (levels[meta["rows"]["output"]] == F.NAN_LEVEL).all()
    msg(e, type="press", button="play")
    assert e.runner.job is None
    msg(e, type="press", button="reset")
    assert e.last["frame"]["error"] is None


def test_ping_is_answered_and_handlers_are_timed(full):
    msg(full, type="ping", t=12.5)
    pong = full.last["pong"]
    assert pong["type"] == "pong" and pong["t"] == 12.5
    assert abs(pong["kernel_ms"] / 1e3 - time.time()) < 60      # the kernel's wall clock
    assert len(full.handler_seconds) >= 2
    seconds, kind = full.longest_message
    assert seconds == max(full.handler_seconds) and kind in ("hello", "ping")


# ====================================================================== own data
def test_explorer_of_own_points_in_the_readers_units_and_labels():
    X, y = blob_points()
    e = lw.explorer(X, np.where(y, "dog", "cat"), layer_widths=(4,))
    msg(e, type="hello")
    scene = e.last["scene"]
    assert scene["labels"] == ["cat", "dog"] and e.session.config.dataset == "own"
    assert "noise" in e.last["config"]["disabled"]
    assert ["yours", "own"] in e.last["config"]["controls"][0]["options"]
    assert all("e-" not in t for _, t in scene["ticks"][0])


def test_explorer_of_own_regression_targets_and_of_a_csv(tmp_path):
    X, _ = blob_points()
    e = lw.explorer(X, X[:, 1] * 3, task="regression")
    assert e.session.task == "regression" and e.session.config.lr == 0.03
    path = tmp_path / "points.csv"
    path.write_text("x1,x2,y\n" + "\n".join(f"{a},{b},{c}" for (a, b), c in zip(X, X[:, 0] > 1000)))
    e = lw.explorer(str(path))
    assert e.session.task == "classification" and "load_csv(" in e.code()


@pytest.mark.parametrize("args, kwargs, match", [
    (("no-such-file.csv",), {}, "^path: cannot read"),
    ((np.zeros((5, 2)),), {}, "^y: expected the labels"),
    ((np.arange(10.0).reshape(5, 2), np.arange(5)), {}, r"^y: 5 classes"),
    ((), {"data": "points"}, "^data: expected your points"),
    ((np.zeros((5, 2)), np.zeros(5)), {"data": 1}, "^data: give your points as X, y or"),
    ((), {"controls": ["lr"]}, "^controls: explorer\\(\\) does not take it"),
])
def test_bad_own_data_raise_naming_what_is_wrong(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        lw.explorer(*args, **kwargs)


# ====================================================================== static figures
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


def test_compare_figure_puts_sessions_side_by_side():
    a, b = (Session(dataset="circle", layer_widths=w, epochs=5) for w in ((), (3,)))
    fig = lw.compare_figure([a, b], "boundary", ["none", "one"])
    assert [ax.get_title() for ax in fig.axes] == ["none", "one"]
    with pytest.raises(ValueError, match="^view: "):
        lw.compare_figure([a], "pie")


def test_starting_values_are_used_exactly_or_refused():
    # A starting value is never clamped into its control's range; one outside it raises.
    e = lw.explorer(epochs=5, batch_size=5, seed=123456, test_ratio=0.25, reg_rate=0.02,
                    layer_widths=(12, 3))
    msg(e, type="hello")
    values = e.last["config"]["values"]
    cfg = e.session.config
    assert (cfg.epochs, cfg.batch_size, cfg.seed, cfg.test_ratio, cfg.reg_rate) == \
        (values["epochs"], values["batch_size"], values["seed"], values["test_ratio"],
         values["reg_rate"]) == (5, 5, 123456, 0.25, 0.02)
    assert e.last["config"]["widths"] == [12, 3]
    with pytest.raises(ValueError, match=r"^lr: expected a number in \[1e-05, 10.0\], got 100.0$"):
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
        [name] if name in CONTROLLED else [], buttons=False, **{name: v}, **kw),
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
    e = lw.explorer(epochs=10)
    msg(e, type="hello")
    return e


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
        config, network = shared.session.config, shared.session.network
        sent = dict(shared.last)
        with pytest.raises(ValueError) as info:
            shared.set(name, value)
        assert str(info.value) == f"{name}: {_expected(name)}, got {value!r}"
        assert shared.session.config == config and shared.session.network is network
        assert shared.last == sent

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
        assert result.session.epoch == 0                   # the page trains it

    def test_examples(self):
        with pytest.raises(ValueError, match=r"^lr: expected a number in \[1e-05, 10.0\], "
                                             r"got 100$"):
            lw.mini_explorer("lr", lr=100)
        with pytest.raises(ValueError, match=r"^seed: expected an integer in \[0, 4294967295\]"):
            lw.explorer(seed=2**32)
        e = lw.explorer(seed=10**7, epochs=5, batch_size=5)
        cfg = e.session.config
        assert (cfg.seed, cfg.epochs, cfg.batch_size) == (10**7, 5, 5)
        assert e.session.epoch == 0

    def test_the_notebooks_starting_values_are_in_range(self):
        # notebooks 03, 04, 05 and 08 call these with no value but the data set
        for control in lw.MINI_CONTROLS:
            assert _config_of(lw.mini_explorer(control, dataset="xor")) == PlaygroundConfig()
        assert _config_of(lw.explorer()) == PlaygroundConfig()


class TestExplorerArgumentsRaiseValueError:
    """Every other argument of the explorer's public API: a ValueError naming it."""

    @pytest.mark.parametrize("budget", ["fast", 0, -0.2, 5.0, math.nan, math.inf, True, None,
                                        [0.04]], ids=_id)
    def test_budget(self, budget):
        with pytest.raises(ValueError, match=r"^budget: expected a number in \[0.001, 1.0\]"):
            lw.Explorer(budget=budget, epochs=1)

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

    @pytest.mark.parametrize("value", ["no", "False", None, 0, 1, np.float64(1.0)], ids=_id)
    def test_buttons(self, value):
        with pytest.raises(ValueError, match="^buttons: expected True or False"):
            lw.Explorer(epochs=1, buttons=value)

    @pytest.mark.parametrize("state, match", [(5, "expected a string"),
                                              ("speed=3", "unknown setting")], ids=_id)
    def test_state(self, state, match):
        with pytest.raises(ValueError, match=f"^state: {match}"):
            lw.Explorer(state=state)

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


    @pytest.mark.parametrize("make", [pg.make_data, pg.build_network])
    @pytest.mark.parametrize("config", ["xor", 5, ["xor"]], ids=_id)
    def test_a_function_of_a_config(self, make, config):
        with pytest.raises(ValueError, match="^config: "):
            make(config)

    @pytest.mark.parametrize("epochs", [0, -1, 5001, 10**12, 2.0, True, None, "5"], ids=_id)
    def test_session_epochs(self, epochs):
        # the epochs setting's own rule: a run is never longer than a whole run may be
        with pytest.raises(ValueError, match=r"^epochs: expected an integer in \[1, 5000\]"):
            Session(epochs=1).advance(epochs)

    @pytest.mark.parametrize("steps", [0, -1, 2.0, True, None, 10**12], ids=_id)
    def test_session_steps(self, steps):
        with pytest.raises(ValueError, match=r"^steps: expected an integer in \[1, "):
            Session(epochs=1).advance_steps(steps)
