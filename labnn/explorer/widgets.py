"""The Playground explorer in JupyterLab: a widget with its own front end (``anywidget``) over
``labnn.explorer.playground``.

    from labnn.explorer import widgets
    widgets.explorer()                            # every control; Play, Step, Fast-forward
    widgets.explorer(X, y)                        # your own points (or explorer("points.csv"))
    widgets.explorer(state="dataset=circle&...")  # a state string, or a Playground URL
    widgets.mini_explorer("lr", dataset="xor")    # one control, two pictures
    widgets.figure(dataset="circle")              # the same pictures, static, for a notebook

The kernel keeps the run (``playground.Session``) and its jobs (``jobs.Runner``: Play, Step,
Fast-forward, Cancel, and the one rule for changes); the page (``explorer.js``) draws what the
kernel sends (``frame``: every map as colour levels, the weights, the curves) on canvases and
decides nothing: hovering over a neuron or an edge, a display toggle, a colour, all happen in the
page without asking the kernel. Training runs in slices (``jobs.BUDGET`` seconds each), one per
frame: the page paints a job's frames in order, one per animation frame, and says when it has
painted each (a "tick"); the kernel keeps at most ``WINDOW`` frames on their way (it trains the
next while the page paints the last), so the page never waits for a frame and never falls
behind, and a click, a change or a notebook cell is handled between two slices. The kernel is
never busy for more than about a slice and a frame.

Messages from the page: hello (send everything), set (a setting), press (a button), layer (an
architecture button), display (a toggle), tick, ping (answered at once: how long the kernel
takes to answer is what the browser test measures), code, download. A value the core refuses,
or a run that diverges, shows a message; never a traceback.
"""

from __future__ import annotations

import copy
import io
import os
import pathlib
import tempfile
import time

import anywidget
import traitlets
from matplotlib.figure import Figure

from .._checks import check_bool, check_distinct_names, check_float_in, check_int_in
from . import controls as C
from . import datasets as ds
from . import frame as F
from . import netview, views
from . import playground as pg
from . import state as st
from .frame import status_line, title
from .jobs import BUDGET, BUDGET_RANGE, Runner

HERE = pathlib.Path(__file__).parent

CONTROLS = ("dataset", "noise", "test_ratio", "batch_size", "lr", "activation", "optimizer",
            "loss", "regularization", "reg_rate", "epochs", "seed", "features", "layer_widths",
            "hidden_units")
"""Every control an Explorer can show (one per setting but n and data_seed: Regenerate sets
that; the layer buttons in the network picture set layer_widths)."""

EXPLORER_CONTROLS = tuple(c for c in CONTROLS if c != "hidden_units")
"""The full explorer's controls: the layer buttons stand for hidden units and layers."""

MINI_CONTROLS = ("lr", "hidden_units", "activation")
TOGGLES = ("show_test", "discretize", "log_loss")
"""Display toggles: the page only draws again."""

BUTTONS = ("reset", "play", "pause", "step", "fast_forward", "cancel", "regenerate", "pin",
           "unpin")
LAYER_RULES = {"add_layer": pg.add_hidden_layer, "remove_layer": pg.remove_hidden_layer,
               "add_neuron": pg.add_neuron, "remove_neuron": pg.remove_neuron}
"""Playground's architecture buttons and the core's rule for each."""

WINDOW = 3
"""Frames on their way to the page at most while a job runs quick slices: the kernel trains
and sends the next frame while the page paints the last, and never runs ahead by more. A slice
longer than a quarter of the budget keeps one frame on its way."""

PLAYGROUND_MAX_WIDTH = 8
"""Playground's widest layer: where the neuron buttons stop (a wider layer can be asked for in
code, up to ``playground.MAX_UNITS``)."""

VIEW_SIZE = (1, 40)
"""Inches: the bounds of a static figure's width and height."""

VIEW_DPI = (10, 600)

RULE = ("the learning rate applies at once; every other setting resets the run to epoch 0 "
        "(Play keeps playing); the display toggles only redraw")
"""The one rule for changes, as the explorer states it."""

MINI_RULE = "each change retrains from scratch for {epochs} epochs"


def _check_controls(controls) -> tuple:
    """A list or tuple of distinct control names (a bare string is refused: it is not a list of
    names, and "lr" would otherwise read as the names "l" and "r")."""
    known = ", ".join(CONTROLS)
    if not isinstance(controls, (list, tuple)):
        hint = f"; for one control write [{controls!r}]" if isinstance(controls, str) else ""
        raise ValueError(f"controls: expected a list or tuple of control names from {known}, "
                         f"got {controls!r}{hint}")
    check_distinct_names(controls, "controls", CONTROLS)
    return tuple(controls)


def _refuse_fixed(shortcut: str, given: dict, fixed: dict) -> None:
    """``shortcut`` sets the arguments in ``fixed`` itself: passing one is a mistake."""
    for name, why in fixed.items():
        if name in given:
            raise ValueError(f"{name}: {shortcut}() does not take it ({why}); use "
                             f"Explorer(...) to choose it")


class Explorer(anywidget.AnyWidget):
    """The controls, the buttons, the network, the output, the loss curves, the gradient view
    and a status line, over one ``playground.Session`` and its ``jobs.Runner``.

    Args:
        controls: the controls to show (names from CONTROLS; default EXPLORER_CONTROLS).
        buttons: show Reset / Play / Step / Fast-forward / Cancel, Regenerate, Pin; without
            them (a mini explorer) every change retrains for ``epochs`` epochs at once.
        data: your own points, ``datasets.own_data(X, y)`` or ``datasets.load_csv(path)``.
        state: a state string (``state.state_string``) or a Playground URL or hash to start
            from; ``**config`` given as well wins over it.
        budget: seconds of training per slice (``jobs.BUDGET``).
        **config: the starting configuration (PlaygroundConfig fields), used exactly as given:
            a value outside its control's bounds raises ValueError, it is never clamped. A
            regression data set without an ``lr`` starts at ``playground.STARTING_LR``.

    The run starts untrained (a mini explorer starts training at once, in the page).
    """

    _esm = HERE / "explorer.js"
    _css = HERE / "explorer.css"
    kind = traitlets.Unicode("full").tag(sync=True)

    def __init__(self, controls=EXPLORER_CONTROLS, *, buttons: bool = True, data=None,
                 state: str | None = None, budget: float = BUDGET, **config):
        controls = _check_controls(controls)
        buttons = check_bool(buttons, "buttons")
        budget = check_float_in(budget, "budget", *BUDGET_RANGE)
        changes, display = st.read_state(state) if state is not None else ({}, {})
        config = {**changes, **config}
        self.session = pg.Session(None, data=data, **pg.starting_changes(config, data))
        self.runner = Runner(self.session, budget=budget, retrain=not buttons)
        self.controls = controls
        self.buttons = buttons
        self.display = {"show_test": True, "discretize": False, "log_loss": True, **display}
        self.pinned: pg.Session | None = None
        self.message = ""
        self.seq = 0
        """The number of the last frame sent."""
        self.painted = -1
        """The number of the last frame the page has painted (its last tick)."""
        self.slice_seconds = 0.0
        """How long the last slice and its frame took."""
        self.frames = 0
        self.handler_seconds: list[float] = []
        """How long each message from the page kept the kernel (the last 1000)."""
        self.longest_message: tuple[float, str] = (0.0, "")
        """The longest a message from the page kept the kernel: (seconds, its type)."""
        self.last: dict = {}
        self.last_buffers: dict = {}
        """The last message of each type sent to the page, and its buffers (what a test
        reads)."""
        super().__init__(kind="full" if buttons else "mini")
        self.on_msg(self._on_msg)

    # ------------------------------------------------------------------ messages
    def _post(self, content: dict, buffers=None) -> None:
        self.last[content["type"]] = content
        self.last_buffers[content["type"]] = buffers or []
        self.send(content, buffers or [])

    def _on_msg(self, _widget, content, _buffers) -> None:
        t0 = time.perf_counter()
        try:
            self._handle(content if isinstance(content, dict) else {})
        except Exception as exc:  # the view must survive anything a reader can do
            self.message = f"error: {exc}"
            self._send_config()
            self._send_frame()
        seconds = time.perf_counter() - t0
        self.handler_seconds = [*self.handler_seconds[-999:], seconds]
        if seconds > self.longest_message[0]:
            kind = content.get("type") if isinstance(content, dict) else None
            self.longest_message = (seconds, str(kind))

    def _handle(self, msg: dict) -> None:
        kind = msg.get("type")
        if kind == "ping":
            # the kernel's wall clock (ms since the epoch): the page splits the round trip
            self._post({"type": "pong", "t": msg.get("t"), "kernel_ms": 1e3 * time.time()})
        elif kind == "tick":
            self.tick(msg.get("seq"))
        elif kind == "hello":
            self._post({"type": "thumbs", "thumbs": _thumbnails()})
            self._send_scene()
            self._send_config()
            self._send_frame()
        elif kind == "set":
            self.set(msg.get("name"), C.setting_value(msg.get("name"), msg.get("value")))
        elif kind == "press":
            self.press(msg.get("button"))
        elif kind == "layer":
            self.layer(msg.get("rule"), *([msg["index"]] if "index" in msg else []))
        elif kind == "display":
            self.set_display(msg.get("name"), msg.get("value"))
        elif kind == "code":
            self._post({"type": "code", "text": self.code()})
        elif kind == "download":
            self._send_network()
        else:
            raise ValueError(f"message: unknown type {kind!r}")

    def _send_scene(self) -> None:
        meta, data = F.scene(self.session)
        self._post({"type": "scene", **meta}, [data])

    def _send_config(self) -> None:
        s = self.session
        try:
            link, why = st.playground_url(s.config, self.display), ""
        except ValueError as exc:
            link, why = None, str(exc).removeprefix("config: ")
        disabled = pg.unavailable(s.config, s.own)
        if self.pinned is None:
            disabled["unpin"] = "no run is pinned"
        rule = RULE if self.buttons else MINI_RULE.format(epochs=s.config.epochs)
        self._post({
            "type": "config", "controls": C.describe_all(self.controls, s),
            "values": {name: C.value_of(s, name) for name in self.controls},
            "widths": list(s.config.layer_widths), "max_layers": pg.MAX_LAYERS,
            "max_width": PLAYGROUND_MAX_WIDTH, "disabled": disabled,
            "display": self.display, "state": self.state, "playground": link,
            "playground_why": why, "message": self.message, "notice": s.notice,
            "rule": rule, "buttons": self.buttons})

    def _send_frame(self) -> None:
        meta, data, levels = F.frame(self.session, self.runner, self.pinned)
        self.seq += 1
        self.frames += 1
        self._post({"type": "frame", "seq": self.seq, **meta}, [data, levels])

    def _send_network(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "network.npz")
            self.session.network.save(path)
            data = pathlib.Path(path).read_bytes()
        self._post({"type": "download", "name": f"labnn-{self.session.config.dataset}.npz",
                    "mime": "application/octet-stream"}, [data])

    # ------------------------------------------------------------------ what the page asks
    def tick(self, seq=None) -> int:
        """The page has painted frame ``seq`` (None: every frame sent, as for a notebook):
        slices of the running job, each with its frame, until WINDOW frames are on their way
        again (more than one only while the slices are quick: a handler stays within about
        one ``budget``). A tick for a frame older than one already painted is dropped
        (another view sent it). Returns the steps trained."""
        painted = self.seq if seq is None else seq
        if not isinstance(painted, int) or painted <= self.painted:
            return 0
        self.painted = min(painted, self.seq)
        clock, budget = self.runner.clock, self.runner.budget
        # quick slices (Play on a small network) keep WINDOW frames on their way; long ones
        # one, so that a click or a ping waits behind one slice at most
        window = WINDOW if self.slice_seconds <= budget / 4 else 1
        done, t0 = 0, clock()
        while self.runner.job is not None and self.seq - self.painted < window:
            done += self._slice()
            if clock() - t0 > budget / 2:
                break
        return done

    def _slice(self) -> int:
        """One slice of the running job and its frame."""
        t0 = self.runner.clock()
        done = self.runner.work()
        self._send_frame()
        self.slice_seconds = self.runner.clock() - t0
        if self.runner.job is None:
            self._send_config()               # a finished job: the buttons change
        return done

    def set(self, name: str, value) -> str:
        """Change one training setting (as its control would) under the one rule for changes;
        returns "none", "live" or "reset" (``Session.change``). A value outside the setting's
        bounds raises ValueError and changes nothing."""
        if not isinstance(name, str) or name not in pg.SETTINGS:
            raise ValueError(f"name: expected one of {', '.join(pg.SETTINGS)}, got {name!r}")
        outcome = self.runner.change(**{name: value})
        self.message = ""
        self._after(outcome)
        return outcome

    def _after(self, outcome: str) -> None:
        if outcome == "reset":
            self._send_scene()
        self._send_config()
        self._send_frame()

    def layer(self, rule: str, *args) -> str:
        """An architecture button: the core's rule (LAYER_RULES) gives the new widths."""
        if rule not in LAYER_RULES:
            raise ValueError(f"rule: expected one of {', '.join(LAYER_RULES)}, got {rule!r}")
        widths = LAYER_RULES[rule](self.session.config, *args).layer_widths
        return self.set("layer_widths", widths)

    def press(self, button: str) -> None:
        """A button of the page (BUTTONS), as a click would."""
        if button not in BUTTONS:
            raise ValueError(f"button: expected one of {', '.join(BUTTONS)}, got {button!r}")
        getattr(self, button)()

    def set_display(self, name: str, value) -> None:
        """A display toggle (TOGGLES): only remembered (the page draws it) and kept in the
        state string."""
        if name not in TOGGLES:
            raise ValueError(f"name: expected one of {', '.join(TOGGLES)}, got {name!r}")
        self.display[name] = check_bool(value, name)
        self._send_config()

    # ------------------------------------------------------------------ the buttons
    def play(self) -> None:
        self.runner.play()
        self._after("none")

    def pause(self) -> None:
        self.runner.pause()
        self._after("none")

    def step(self) -> None:
        self.runner.step()
        self._after("none")

    def fast_forward(self) -> None:
        """Train ``epochs`` more epochs, in slices, with a progress line and Cancel."""
        self.runner.fast_forward()
        self._after("none")

    def cancel(self) -> None:
        self.runner.cancel()
        self._after("none")

    def reset(self) -> None:
        """A fresh, untrained network (Play keeps playing)."""
        self.runner.reset()
        self.message = ""
        self._after("reset")

    def regenerate(self) -> None:
        """New data from the next data seed (``Session.regenerate``)."""
        self.runner.regenerate()
        self.message = ""
        self._after("reset")

    def pin(self) -> None:
        """Keep the run as it is now, to compare it with the next ones: its loss curves and
        its output picture stay beside the current run's."""
        self.pinned = pg.Session(self.session.config, data=self.session.own)
        self.pinned.network = copy.deepcopy(self.session.network)
        self.pinned.history = copy.deepcopy(self.session.history)
        self._after("none")

    def unpin(self) -> None:
        self.pinned = None
        self._after("none")

    # ------------------------------------------------------------------ for a notebook
    def run(self, max_slices: int = 100_000) -> int:
        """Work the running job to its end here, slice by slice, as the page would (for a
        notebook or a test without a page); returns the slices run."""
        slices = 0
        while self.runner.job is not None and slices < max_slices:
            self.painted = self.seq
            self._slice()
            slices += 1
        return slices

    def code(self) -> str:
        """The labnn code that rebuilds and trains exactly the network shown (every slice and
        live lr change so far): ``Session.code``."""
        return self.session.code()

    @property
    def state(self) -> str:
        """The run's settings and display toggles as one line (``state.state_string``):
        ``explorer(state=...)`` starts from it."""
        return st.state_string(self.session.config, self.display)

    @property
    def text(self) -> str:
        """The status line as plain text."""
        return F.status_line(self.session)

    def save_network(self, path) -> None:
        """The network as it is now, as ``net.save(path)`` writes it (``.npz``)."""
        self.session.network.save(path)

    def save_picture(self, path, dpi: int = 100) -> None:
        """The explorer's pictures as they are now (``session_figure``), as a PNG file."""
        fig = session_figure(self.session, show_test=self.display["show_test"],
                             discretize=self.display["discretize"],
                             log_loss=self.display["log_loss"], dpi=dpi)
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        pathlib.Path(path).write_bytes(buf.getvalue())

    def __repr__(self) -> str:
        # The text a reader sees where widgets cannot render (GitHub, a console, nbval).
        what = (f"the {self.controls[0]} control" if len(self.controls) == 1
                else f"{len(self.controls)} controls")
        return f"<labnn Playground explorer with {what}: run this notebook in JupyterLab>"


_THUMBS: dict = {}


def _thumbnails() -> dict:
    """``frame.thumbnails()``, made once."""
    if not _THUMBS:
        _THUMBS.update(F.thumbnails())
    return _THUMBS


def own_points(X, y=None, task: str = "auto") -> ds.OwnData:
    """Your points for ``explorer(X, y)``: arrays (``datasets.own_data``), or a CSV file's
    name as ``X`` with no ``y`` (``datasets.load_csv``)."""
    if isinstance(X, (str, os.PathLike)) and y is None:
        return ds.load_csv(X, task)
    if y is None:
        raise ValueError("y: expected the labels or targets of the points X, one per row; or "
                         "give X as a CSV file's name (columns x1, x2, y) and no y")
    return ds.own_data(X, y, task)


def explorer(X=None, y=None, *, task: str = "auto", **config) -> Explorer:
    """The full Playground explorer: every control, Reset / Play / Step / Fast-forward /
    Cancel, Regenerate, the data-set buttons, the feature checkboxes, the layer buttons, the
    network, the output, the loss curves, the gradient view, Pin (compare), the state string,
    the code, and a status line.

    ``X, y``: your own points (N, 2) and their labels (two classes of any kind) or real
    targets, or ``X`` a CSV file's name (columns x1, x2, y); checked (ValueError naming what is
    wrong), rescaled into the view, and the dataset starts at "own" (the built-in sets stay one
    click away). ``task``: "auto", "classification" or "regression". ``**config``: the
    starting configuration, ``state=`` (a state string or a Playground URL), and any other
    Explorer argument but ``controls``."""
    _refuse_fixed("explorer", config, {"controls": "it shows every control"})
    if X is not None or y is not None:
        if "data" in config:
            raise ValueError("data: give your points as X, y or as data=, not both")
        config["data"] = own_points(X, y, task)
    return Explorer(EXPLORER_CONTROLS, **config)


def mini_explorer(control: str, **config) -> Explorer:
    """A small explorer with ONE control ("lr", "hidden_units" or "activation") plus the
    output and loss pictures; ``**config`` sets the rest (e.g. ``dataset="xor"``). Each change
    retrains the configuration from scratch for ``epochs`` epochs, in slices, and the pictures
    follow. Starting values are used exactly: one outside its control's bounds raises
    ValueError."""
    if not isinstance(control, str) or control not in MINI_CONTROLS:
        raise ValueError(f"control: expected one of {', '.join(MINI_CONTROLS)}, got {control!r}")
    _refuse_fixed("mini_explorer", config, {
        "controls": "it shows the one control named first", "buttons": "it has none"})
    return Explorer((control,), buttons=False, **config)


def session_figure(session: pg.Session, *, show_test: bool = True, discretize: bool = False,
                   log_loss: bool = True, width: float = 13.0, height: float = 3.9,
                   dpi: int = 100) -> Figure:
    """A static figure of a session as it is (nothing is trained): the network, the output
    with the points, and the loss curves above the gradient view; the explorer's pictures, for
    a notebook (on GitHub, where widgets do not run) and for checks."""
    flags = {"show_test": show_test, "discretize": discretize, "log_loss": log_loss}
    flags = {name: check_bool(value, name) for name, value in flags.items()}
    width = check_float_in(width, "width", *VIEW_SIZE)
    height = check_float_in(height, "height", *VIEW_SIZE)
    fig = Figure(figsize=(width, height), dpi=check_int_in(dpi, "dpi", *VIEW_DPI))
    gs = fig.add_gridspec(2, 3, width_ratios=(1.45, 1.0, 1.25), wspace=0.28, hspace=0.75,
                          left=0.01, right=0.99, bottom=0.12, top=0.86)
    _draw_view(fig.add_subplot(gs[:, 0]), session, "network")
    views.BoundaryPanel(fig.add_subplot(gs[:, 1])).draw(
        session, show_test=flags["show_test"], discretize=flags["discretize"])
    views.CurvesPanel(fig.add_subplot(gs[0, 2])).draw(session, log_loss=flags["log_loss"])
    _draw_view(fig.add_subplot(gs[1, 2]), session, "gradients")
    fig.suptitle(f"{F.title(session)}.   {F.status_line(session)}", fontsize=10)
    return fig


COMPARE_VIEWS = ("network", "boundary", "curves", "gradients")
"""The pictures ``compare_figure`` can put side by side."""


def _draw_view(ax, session: pg.Session, view: str) -> None:
    if view == "network":
        box = ax.get_window_extent()
        netview.NetworkPanel(ax, box.width, box.height).draw(session)
    else:
        cls = {"boundary": views.BoundaryPanel, "curves": views.CurvesPanel,
               "gradients": views.GradientPanel}[view]
        cls(ax).draw(session)


def compare_figure(sessions, view: str = "network", titles=None, *, height: float = 3.4,
                   dpi: int = 100) -> Figure:
    """One picture (``view``, from COMPARE_VIEWS) per session, side by side, each titled
    (``titles``, or the sessions' ``title``): the same picture under two settings, for a
    notebook's static figure. Nothing is trained."""
    sessions = list(sessions)
    if not sessions or not all(isinstance(s, pg.Session) for s in sessions):
        raise ValueError(f"sessions: expected one or more playground.Session, got {sessions!r}")
    if view not in COMPARE_VIEWS:
        raise ValueError(f"view: expected one of {', '.join(COMPARE_VIEWS)}, got {view!r}")
    titles = [F.title(s) for s in sessions] if titles is None else list(titles)
    if len(titles) != len(sessions) or not all(isinstance(t, str) for t in titles):
        raise ValueError(f"titles: expected {len(sessions)} strings, one per session, "
                         f"got {titles!r}")
    height = check_float_in(height, "height", *VIEW_SIZE)
    per = {"network": 1.3, "boundary": 1.0, "curves": 1.25, "gradients": 1.25}[view] * height
    fig = Figure(figsize=(min(per * len(sessions), VIEW_SIZE[1]), height),
                 dpi=check_int_in(dpi, "dpi", *VIEW_DPI))
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.16, top=0.78, wspace=0.35)
    for ax, session, text in zip(fig.subplots(1, len(sessions), squeeze=False)[0], sessions,
                                 titles, strict=True):
        _draw_view(ax, session, view)
        ax.set_title(text, fontsize=9, pad=24 if view in ("curves", "gradients") else 4)
    return fig


def figure(config=None, *, data=None, show_test: bool = True, discretize: bool = False,
           log_loss: bool = True, **changes) -> Figure:
    """The explorer's pictures for a configuration trained for ``config.epochs`` (what the
    interactive explorer first shows), as one static figure (``session_figure``)."""
    flags = {"show_test": show_test, "discretize": discretize, "log_loss": log_loss}
    flags = {name: check_bool(value, name) for name, value in flags.items()}
    session = pg.Session(config, data=data, **pg.starting_changes(changes, data))
    session.advance(session.config.epochs)
    return session_figure(session, **flags)


__all__ = ["BUTTONS", "COMPARE_VIEWS", "CONTROLS", "EXPLORER_CONTROLS", "Explorer",
           "MINI_CONTROLS", "RULE", "TOGGLES", "WINDOW", "compare_figure", "explorer", "figure",
           "mini_explorer", "own_points", "session_figure", "status_line", "title"]
