"""Issue 11, class 9: the explorer never silently changes what it was asked for.

A starting value (``explorer(...)``, ``mini_explorer(...)``, ``Explorer(...)``, a
``PlaygroundConfig``, ``Session.update``, ``Explorer.set``) is either used exactly or refused with
a ValueError that names the setting and its bounds; only a person moving a control is clamped, by
the widget. Every other careless argument to the explorer's public API gets a ValueError naming
the argument. The bounds below are the contract; the last class checks that the one table in
``labnn.explorer.playground`` (``SETTINGS``) holds them and builds the controls."""

import math

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

from labnn.explorer import playground as pg  # noqa: E402
from labnn.explorer import widgets as lw  # noqa: E402
from labnn.explorer.playground import PlaygroundConfig, Session, as_config  # noqa: E402

FLOATS = {"lr": (1e-4, 10.0), "noise": (0.0, 0.5), "reg_rate": (0.0, 10.0)}
INTS = {"hidden_units": (1, 32), "hidden_layers": (0, 6), "epochs": (1, 5000),
        "seed": (0, 2**32 - 1), "n": (1, 2000)}
BATCH = (1, 2000)
CHOICES = {"dataset": ("linear", "xor", "circle", "spiral", "gaussian", "reg-plane", "reg-gauss",
                       "own"),
           "activation": pg.SETTINGS["activation"].choices,
           "optimizer": pg.SETTINGS["optimizer"].choices, "loss": ("mse", "bce")}
NEEDS_DATA = {"dataset": "own"}  # a valid setting that only a Session given own data can start
OTHER_KINDS = {"test_ratio", "data_seed", "features", "layer_widths", "regularization"}
"""Issue 13's settings of other kinds, checked in tests/test_explorer_core.py."""
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

    def test_the_issue_examples(self):
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


class TestOneTableBuildsTheControlsAndChecksTheValues:
    """``playground.SETTINGS`` is the one rule: PlaygroundConfig checks every field with it and
    the widgets are built from it, so the two can never disagree."""

    def test_the_table_holds_the_contract(self):
        assert set(pg.SETTINGS) == (set(FLOATS) | set(INTS) | set(CHOICES) | {"batch_size"}
                                    | OTHER_KINDS)
        for name, (lo, hi) in {**FLOATS, **INTS, "batch_size": BATCH}.items():
            assert (pg.SETTINGS[name].lo, pg.SETTINGS[name].hi) == (lo, hi), name
        for name, options in CHOICES.items():
            assert pg.SETTINGS[name].choices == options, name
        assert set(lw.CONTROLS) == set(pg.SETTINGS) - {"n", "data_seed"}
        assert set(lw.EXPLORER_CONTROLS) == set(lw.CONTROLS) - set(pg.SHORTHAND)

    def test_every_control_has_the_tables_bounds(self):
        e = lw.explorer(epochs=1)
        for name, widget in e.controls.items():
            s = pg.SETTINGS[name]
            if name == "lr":
                assert (10 ** widget.min, 10 ** widget.max) == (s.lo, s.hi)
            elif name in ("batch_size", "reg_rate"):
                assert all(v == 0 or s.lo <= v <= s.hi for _, v in widget.options)
            elif name == "dataset":   # "own" only with own points
                assert tuple(widget.options) == tuple(o for o in s.choices if o != "own")
            elif name == "features":
                assert tuple(widget.boxes) == s.choices
            elif name == "layer_widths":
                assert widget.value == e.session.config.layer_widths
            elif s.kind == "ratio":   # 0 is "no split", then the table's range
                assert (widget.min, widget.max) == (0, s.hi) and widget.step == 0.1
            elif s.choices:
                assert tuple(widget.options) == s.choices
            else:
                assert (widget.min, widget.max) == (s.lo, s.hi), name
