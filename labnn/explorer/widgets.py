"""The Playground explorer: ipywidgets controls and matplotlib pictures over
``labnn.explorer.playground``.

    from labnn.explorer import widgets
    widgets.explorer()                            # every control, Play / Pause / Step / Reset
    widgets.explorer(X, y)                        # your own points (or explorer("points.csv"))
    widgets.mini_explorer("lr", dataset="xor")    # one control, two pictures
    widgets.figure(dataset="circle")              # the same pictures, static, for a notebook

This module is only the view: every number and every rule comes from the pure core,
``playground.Session`` (the rules are written there, in its module docstring); a control hands
its value to ``Session.change`` (the dataset to ``Session.switch_dataset``, a layer button to the
core's rule for it), the display toggles only draw again. The pictures: the network
(``netview``), the output with the training and test points, the loss curves and the gradient
view (``views``), and a status line (``status_line``). A run that diverges, or a value the core
refuses, shows a message (and the control goes back to what is trained), never a traceback.

Play is driven by a hidden ``ipywidgets.Play`` ticker in the front end: every tick trains one
chunk of epochs and draws, so the kernel stays free between chunks: a Pause click, a
learning-rate change or a notebook cell run during Play is taken up at the next tick.
"""

from __future__ import annotations

import html
import os
import time

import ipywidgets as W
from matplotlib.figure import Figure

from .._checks import check_bool, check_distinct_names, check_float_in, check_int_in
from . import controls as C
from . import datasets as ds
from . import netview, views
from . import playground as pg

CONTROLS = ("dataset", "noise", "test_ratio", "batch_size", "lr", "activation", "optimizer",
            "loss", "regularization", "reg_rate", "epochs", "seed", "features", "layer_widths",
            "hidden_units", "hidden_layers")
"""Every control an Explorer can show (one per setting but n and data_seed: Regenerate sets
that), in display order, each built from its ``playground.SETTINGS`` entry."""

EXPLORER_CONTROLS = tuple(c for c in CONTROLS if c not in pg.SHORTHAND)
"""The full explorer's controls: the layer buttons stand for hidden units and hidden layers."""

MINI_CONTROLS = ("lr", "hidden_units", "activation")
TOGGLES = ("show_test", "discretize", "log_loss", "network_view", "gradient_view", "show_code")
"""Display toggles: they only redraw, they never retrain."""

TOGGLE_LABELS = {"show_test": "show test data", "discretize": "discretize output",
                 "log_loss": "log loss", "network_view": "network", "gradient_view": "gradients",
                 "show_code": "code"}
COLUMNS = (("data", ("dataset", "noise", "test_ratio", "batch_size")),
           ("training", ("lr", "activation", "optimizer", "loss")),
           ("regularization, run", ("regularization", "reg_rate", "epochs", "seed",
                                    "hidden_units", "hidden_layers")))

INTERVAL_RANGE = (10, 60_000)
"""The bounds of the milliseconds between Play ticks (10 ms to a minute)."""

VIEW_SIZE = (1, 40)
"""Inches: the bounds of a figure's width and height."""

VIEW_DPI = (10, 600)
NETWORK_PIXELS = (430, 330)
"""The live network picture's width and height in pixels (the gradient view goes under
it)."""


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


def _check_arguments(controls, flags: dict, chunk, interval, clock) -> tuple:
    """Explorer's arguments other than the configuration, checked (ValueError names each)."""
    controls = _check_controls(controls)
    flags = {name: check_bool(value, name) for name, value in flags.items()}
    chunk = check_int_in(chunk, "chunk", 1, pg.MAX_EPOCHS)
    try:
        interval = check_int_in(interval, "interval", *INTERVAL_RANGE)
    except ValueError:
        raise ValueError(f"interval: expected an integer number of milliseconds in "
                         f"[{INTERVAL_RANGE[0]}, {INTERVAL_RANGE[1]}], got {interval!r}") from None
    if not callable(clock):
        raise ValueError(f"clock: expected a callable that returns seconds (such as "
                         f"time.monotonic), got {clock!r}")
    return controls, flags, chunk, interval, clock


def _refuse_fixed(shortcut: str, given: dict, fixed: dict) -> None:
    """``shortcut`` sets the arguments in ``fixed`` itself: passing one is a mistake."""
    for name, why in fixed.items():
        if name in given:
            raise ValueError(f"{name}: {shortcut}() does not take it ({why}); use "
                             f"Explorer(...) to choose it")


def title(session: pg.Session) -> str:
    """The pictures' title: data set, architecture (``describe_widths``), activation, features."""
    cfg = session.config
    net = pg.describe_widths(cfg.layer_widths)
    text = (f"{cfg.dataset}: {net}{' ' + cfg.activation if cfg.layer_widths else ''}, "
            f"features {', '.join(cfg.features)}")
    if cfg.regularization != "none":
        text += f", {cfg.regularization} {cfg.reg_rate:g}"
    return text


def status_line(session: pg.Session) -> str:
    """One line: the epoch, the training loss (and accuracy), then, when points are held out (a
    test ratio above 0), the test loss (and accuracy). With test ratio 0 the test points are the
    training points (the lab's convention), so the line is the lab's: epoch, loss, accuracy."""
    h = session.history
    if h.epochs == 0:
        return "epoch 0: untrained (press Play or Step)"
    classify = session.task == "classification"
    text = f"epoch {h.epochs}   loss {h.final_loss:.4g}"
    if classify:
        text += f"   accuracy {h.final_accuracy:.2%}"
    if session.split.held_out:
        text += f"   test loss {h.final_test_loss:.4g}"
        if classify:
            text += f"   test accuracy {h.final_test_accuracy:.2%}"
    return text


def _inches(width: float, height: float, x: float, y: float, w: float, h: float) -> tuple:
    """An axes' place in figure fractions from inches (x, y: its lower left corner)."""
    return (x / width, y / height, w / width, h / height)


def output_picture(row: bool = False, resolution: int = 50) -> views.PanelImage:
    """The output and the loss curves in one figure: side by side (``row``, the mini
    explorers) or the curves under the output (the full explorer's right-hand column)."""
    def boundary(ax):
        return views.BoundaryPanel(ax, resolution)

    if row:
        w, h = 7.0, 2.9
        places = [_inches(w, h, 0.55, 0.45, 2.4, 2.35), _inches(w, h, 3.85, 0.45, 2.9, 2.05)]
    else:
        w, h = 3.5, 4.75
        places = [_inches(w, h, 0.72, 2.05, 2.56, 2.6), _inches(w, h, 0.72, 0.42, 2.56, 1.0)]
    return views.PanelImage([(boundary, places[0]), (views.CurvesPanel, places[1])], w, h)


GRADIENT_INCHES = 1.75
"""The height of the gradient view under the network picture."""


def network_picture(network_view: bool, gradient_view: bool) -> views.PanelImage:
    """The network picture (NETWORK_PIXELS, at the top) and the gradient view under it, or
    either alone."""
    w, h = NETWORK_PIXELS[0] / 100, NETWORK_PIXELS[1] / 100
    total = h * network_view + GRADIENT_INCHES * gradient_view
    panels = []
    if network_view:
        panels.append((lambda ax: netview.NetworkPanel(ax, *NETWORK_PIXELS),
                       _inches(w, total, 0, total - h, w, h)))
    if gradient_view:
        panels.append((views.GradientPanel, _inches(w, total, 0.72, 0.42, w - 0.95, 1.0)))
    return views.PanelImage(panels, w, total)


class Pictures:
    """The live pictures of one explorer: the output with the loss curves, and the network
    picture with the gradient view (a figure for each combination of the two toggles, made
    when first shown). Two images a frame: each one more would cost the browser a decode and
    a repaint."""

    def __init__(self, row: bool = False):
        self.output = output_picture(row)
        self._networks: dict = {}

    def network_picture(self, network_view: bool,
                        gradient_view: bool) -> views.PanelImage | None:
        if not (network_view or gradient_view):
            return None
        key = (network_view, gradient_view)
        if key not in self._networks:
            self._networks[key] = network_picture(network_view, gradient_view)
        return self._networks[key]


def _image(css: str, pixels: tuple[int, int]) -> W.Image:
    image = W.Image(format="png", layout=W.Layout(width=f"{pixels[0]}px", max_width="100%"))
    image.add_class(css)
    return image


def _html(css: str) -> W.HTML:
    widget = W.HTML()
    widget.add_class(css)
    return widget


class Explorer(W.VBox):
    """Controls, Play / Pause / Step / Reset, the pictures and a status line, over one
    ``playground.Session``.

    Args:
        controls: the controls to show (names from CONTROLS; default EXPLORER_CONTROLS).
        buttons: show Play / Pause / Step / Reset (with the hidden ticker) and Regenerate.
        toggles: show the display toggles (see TOGGLES).
        network_view, gradient_view: show the network picture and the gradient view at the
            start.
        chunk: epochs trained per Play tick or Step click (1 to ``playground.MAX_EPOCHS``).
        interval: milliseconds between Play ticks (see INTERVAL_RANGE).
        data: your own points, ``datasets.own_data(X, y)`` or ``datasets.load_csv(path)``.
        **config: the starting configuration (PlaygroundConfig fields), used exactly as given:
            a value outside its control's bounds raises ValueError, it is never clamped. A
            regression data set without an ``lr`` starts at ``playground.STARTING_LR``.
    """

    def __init__(self, controls=EXPLORER_CONTROLS, *, buttons: bool = True,
                 toggles: bool = True, network_view: bool = True, gradient_view: bool = True,
                 chunk: int = 20, interval: int = 40, clock=time.monotonic, data=None,
                 **config):
        controls, flags, self.chunk, interval, clock = _check_arguments(
            controls, {"buttons": buttons, "toggles": toggles, "network_view": network_view,
                       "gradient_view": gradient_view}, chunk, interval, clock)
        self.session = pg.Session(None, data=data, **pg.starting_changes(config, data))
        self.display = {"show_test": True, "discretize": False, "log_loss": True,
                        "network_view": flags["network_view"],
                        "gradient_view": flags["gradient_view"],
                        "show_code": False}
        self._showing = False
        self.draws = 0
        self.ticks = self.frames = 0
        """Play ticks received, and those that trained and drew a frame."""
        self.render_seconds: list[float] = []
        self.clock = clock
        """Seconds, monotonic: when ticks arrive (a test passes its own)."""
        self._last_tick_end = float("-inf")
        self.min_tick_gap = 0.005
        """Seconds: a tick arriving sooner after the last frame finished was queued while the
        kernel was busy and is dropped (a slow machine drops frames instead of lagging)."""
        self._make_controls(controls)
        self._make_views(row=len(controls) <= 1)
        self.toggles = self._make_toggles() if flags["toggles"] else {}
        self.ticker = W.Play(value=0, min=0, max=10**9, step=1, interval=interval,
                             layout=W.Layout(display="none"))
        self.ticker.observe(lambda change: self._guard(self._tick), names="value")
        self.buttons = self._make_buttons() if flags["buttons"] else {}
        super().__init__(self._rows())
        self.add_class("labnn-explorer")
        self.session.advance(self.session.config.epochs)
        self.draw()

    # ------------------------------------------------------------------ building
    def _make_controls(self, names) -> None:
        cfg, self.controls = self.session.config, {}
        for name in names:
            if name == "features":
                widget = C.FeatureBoxes(cfg.features)
            elif name == "layer_widths":
                widget = C.LayerButtons(cfg.layer_widths, self._press, lambda n:
                                        netview.column_centres(n + 2, NETWORK_PIXELS[0])[1:-1])
            else:
                widget = C.make_control(name, getattr(cfg, name),
                                        has_own=self.session.own is not None)
            widget.observe(self._make_handler(name), names="value")
            self.controls[name] = widget

    def _make_views(self, row: bool) -> None:
        self.pictures = Pictures(row)
        self.output = _image("labnn-output", self.pictures.output.pixels)
        self.network_image = _image("labnn-network", (NETWORK_PIXELS[0], 0))
        self.tooltips = _html("labnn-tooltips")
        self.tooltips.layout = W.Layout(height=f"{NETWORK_PIXELS[1]}px")
        self.node = W.Dropdown(options=[("none", "")], value="", description="neuron",
                               style={"description_width": "50px"},
                               layout=W.Layout(width="160px"))
        self.node.observe(lambda change: self._guard(self._draw_if_shown), names="value")
        self.node_text = _html("labnn-node-text")
        self.title, self.status = _html("labnn-title"), _html("labnn-status")
        self.message, self.code_box = _html("labnn-message"), _html("labnn-code")

    def _make_toggles(self) -> dict:
        toggles = {}
        for name in TOGGLES:
            box = W.Checkbox(value=self.display[name], description=TOGGLE_LABELS[name],
                             indent=False, layout=W.Layout(width="auto"))
            box.add_class(f"labnn-toggle-{name.replace('_', '-')}")
            box.observe(self._make_toggle_handler(name), names="value")
            toggles[name] = box
        return toggles

    def _make_toggle_handler(self, name):
        def handler(change):
            self.display[name] = bool(change["new"])
            self._guard(self.draw)
        return handler

    def _make_buttons(self) -> dict:
        buttons = {}
        specs = (("reset", "Reset", "undo", self.reset), ("play", "Play", "play", self.play),
                 ("pause", "Pause", "pause", self.pause),
                 ("step", "Step", "step-forward", self.step),
                 ("regenerate", "Regenerate", "refresh", self.regenerate))
        for key, text, icon, action in specs:
            b = W.Button(description=text, icon=icon,
                         layout=W.Layout(width="120px" if key == "regenerate" else "100px"))
            b.add_class(f"labnn-{key}")
            b.on_click(lambda _b, action=action: self._guard(action))
            buttons[key] = b
        return buttons

    def _rows(self) -> list:
        """Top to bottom: buttons and status; the controls in columns; the features, the layer
        buttons and the network (with the gradient view) beside the output and the loss
        curves; messages; the code."""
        top = [*(b for k, b in self.buttons.items() if k != "regenerate"), self.ticker]
        rows = [W.HBox([*top, self.status], layout=W.Layout(align_items="center"))]
        columns = []
        for head, names in COLUMNS:
            shown = [self.controls[n] for n in names if n in self.controls]
            if head == "data" and "regenerate" in self.buttons and "dataset" in self.controls:
                shown.append(self.buttons["regenerate"])
            if shown:
                columns.append(W.VBox(shown))
        rows.append(W.HBox(columns) if len(columns) > 1 else W.VBox(columns))
        toggles = list(self.toggles.values())
        output = [self.title, self.output] + ([W.HBox(toggles[:3])] if toggles else [])
        net = [self.controls[n] for n in ("layer_widths",) if n in self.controls]
        net += [self.network_image, self.tooltips, W.HBox([self.node, self.node_text])]
        net += [W.HBox(toggles[3:])] if toggles else []
        middle = [self.controls["features"]] if "features" in self.controls else []
        if len(self.controls) > 1:
            rows.append(W.HBox([*middle, W.VBox(net), W.VBox(output)]))
        else:
            rows += [self.title, self.output]      # a mini explorer: no network picture
        return rows + [self.message, self.code_box]

    # ------------------------------------------------------------------ handlers
    def _guard(self, action, *args):
        """Run a handler; any error becomes a message in the view, never a traceback, and the
        controls go back to what the session trains."""
        try:
            action(*args)
        except Exception as exc:  # the view must survive anything a reader can do
            self.pause()
            self._show_all()
            self.message.value = (f"<span style='color:#b00'>error: "
                                  f"{html.escape(str(exc))}</span>")

    def _make_handler(self, name):
        def handler(change):
            if self._showing:  # the control is being moved to match the session (see _show)
                return
            self._guard(self.set, name, C.setting_value(name, change["new"]))
        return handler

    def _press(self, rule, *args) -> None:
        """A layer button: the core's rule gives the new widths, ``set`` applies them."""
        self._guard(lambda: self.set("layer_widths",
                                     rule(self.session.config, *args).layer_widths))

    def set(self, name: str, value) -> str:
        """Change one training setting (as its control would) under the Playground's rules, and
        move the controls to match; returns "none", "live" or "rebuild" (see
        ``Session.change``). The dataset goes through ``Session.switch_dataset`` (another
        task starts at its own learning rate). A value outside the setting's bounds raises
        ValueError and changes nothing."""
        if not isinstance(name, str) or name not in pg.SETTINGS:
            raise ValueError(f"name: expected one of {', '.join(pg.SETTINGS)}, got {name!r}")
        if name == "dataset":
            outcome = self.session.switch_dataset(value)
        else:
            outcome = self.session.change(**{name: value})
        self._show_all()
        if outcome == "rebuild":
            self.message.value = ""
            self.draw()
        return outcome

    def _show_all(self) -> None:
        """Move every control to the session's value, without retraining."""
        self._showing = True
        try:
            for name, widget in self.controls.items():
                value = getattr(self.session.config, name)
                if name in ("features", "layer_widths"):
                    widget.value = tuple(value)
                else:
                    C.show_value(widget, name, value)
        finally:
            self._showing = False

    @property
    def playing(self) -> bool:
        return bool(self.ticker.playing)

    def play(self) -> None:
        """Start training in chunks (the front end ticks; each tick trains and redraws)."""
        if self.session.diverged:
            return
        self.session.in_progress = True
        self.ticker.playing = True

    def pause(self) -> None:
        was_playing = self.playing
        self.ticker.playing = False
        picture = self.pictures.network_picture(self.display["network_view"],
                                        self.display["gradient_view"])
        if was_playing and self.display["network_view"] and picture is not None:
            self._draw_tooltips(picture)     # the weights stopped moving: tooltips again

    def step(self) -> None:
        """Pause and train one chunk."""
        self.pause()
        self.session.play(self.chunk)
        self.draw()

    def reset(self) -> None:
        """Pause and start again from a fresh, untrained network (epoch 0)."""
        self.pause()
        self.session.reset()
        self.message.value = ""
        self.draw()

    def regenerate(self) -> None:
        """New data from the next data seed (``Session.regenerate``), retrained."""
        self.session.regenerate()
        self.message.value = ""
        self.draw()

    def _tick(self) -> None:
        self.ticks += 1
        if not self.playing:
            return
        # Ticks queued while the kernel was busy arrive back to back: skip them, so that a
        # slow machine drops frames instead of lagging behind a Pause click.
        if self.clock() - self._last_tick_end < self.min_tick_gap:
            return
        self.session.play(self.chunk)
        self.draw()
        self.frames += 1
        if self.session.diverged:
            self.pause()
        self._last_tick_end = self.clock()

    def code(self) -> str:
        """The labnn code that rebuilds and trains exactly the network shown (every chunk and
        live lr change so far): ``Session.code``."""
        return self.session.code()

    # ------------------------------------------------------------------ view
    def _draw_if_shown(self) -> None:
        if not self._showing:
            self.draw()

    def draw(self) -> None:
        """Redraw the pictures and the text from the session (never trains)."""
        t0 = time.perf_counter()
        d, s, p = self.display, self.session, self.pictures
        out = p.output
        out.panels[0].draw(s, show_test=d["show_test"], discretize=d["discretize"])
        out.panels[1].draw(s, log_loss=d["log_loss"])
        self.output.value = out.render()
        self._draw_network(d["network_view"], d["gradient_view"])
        self.title.value = f"<b>{html.escape(title(s))}</b>"
        self.status.value = f"<code>{html.escape(status_line(s))}</code>"
        self._show_widget(self.code_box, d["show_code"])
        if d["show_code"]:
            self.code_box.value = f"<pre>{html.escape(self.code())}</pre>"
        if s.error is not None:
            self.message.value = ("<span style='color:#b00'><b>Training stopped</b>: "
                                  f"{html.escape(s.error)}. Press Reset or change a setting "
                                  "to start again.</span>")
        self.draws += 1
        self.render_seconds.append(time.perf_counter() - t0)

    @staticmethod
    def _show_widget(widget, shown: bool) -> None:
        display = None if shown else "none"
        if widget.layout.display != display:
            widget.layout.display = display

    def _draw_network(self, network_view: bool, gradient_view: bool) -> None:
        """The network picture and the gradient view (one image), the neuron list and the
        tooltips laid over the picture."""
        picture = self.pictures.network_picture(network_view, gradient_view)
        self._show_widget(self.network_image, picture is not None)
        for widget in (self.tooltips, self.node, self.node_text):
            self._show_widget(widget, network_view)
        if picture is None:
            return
        panels = iter(picture.panels)
        if network_view:
            self._draw_nodes(next(panels))
        if gradient_view:
            next(panels).draw(self.session)
        self.network_image.value = picture.render()
        if network_view:
            self._draw_tooltips(picture)

    def _draw_nodes(self, panel) -> None:
        s = self.session
        names = [n for col in netview.node_names(s.config.features, s.config.layer_widths)
                 for n in col]
        if [v for _, v in self.node.options[1:]] != names:
            self._showing = True
            try:
                keep = self.node.value if self.node.value in names else ""
                self.node.options = [("none", ""), *[(n, n) for n in names]]
                self.node.value = keep
            finally:
                self._showing = False
        panel.draw(s, selected=self.node.value or None)
        self.node_text.value = (f"<small>{html.escape(netview.node_text(s, self.node.value))}"
                                "</small>" if self.node.value else
                                "<small>hover over a neuron or an edge for its weights</small>")

    def _draw_tooltips(self, picture) -> None:
        """The tooltips over the network picture (none while playing: the weights change
        every frame; Pause puts them back). The overlay sits on the picture's top part."""
        height = picture.pixels[1]
        margin = f"-{height}px 0 {height - NETWORK_PIXELS[1]}px 0"
        if self.tooltips.layout.margin != margin:
            self.tooltips.layout.margin = margin
        session = None if self.playing else self.session
        self.tooltips.value = netview.tooltips_html(picture.panel, session, "labnn-tooltip-boxes")

    def __repr__(self) -> str:
        # The text a reader sees where widgets cannot render (GitHub, a console, nbval).
        what = (f"the {next(iter(self.controls))} control" if len(self.controls) == 1
                else f"{len(self.controls)} controls")
        return f"<labnn Playground explorer with {what}: run this notebook in JupyterLab>"

    @property
    def text(self) -> str:
        """The status line as plain text."""
        return status_line(self.session)


def own_points(X, y=None, task: str = "auto") -> ds.OwnData:
    """Your points for ``explorer(X, y)``: arrays (``datasets.own_data``), or a CSV file's
    name as ``X`` with no ``y`` (``datasets.load_csv``)."""
    if isinstance(X, (str, os.PathLike)) and y is None:
        return ds.load_csv(X, task)
    if y is None:
        raise ValueError("y: expected the labels (0/1) or targets of the points X, one per "
                         "row; or give X as a CSV file's name (columns x1, x2, y) and no y")
    return ds.own_data(X, y, task)


def explorer(X=None, y=None, *, task: str = "auto", **config) -> Explorer:
    """The full Playground explorer: every control, Play / Pause / Step / Reset, Regenerate,
    the feature checkboxes, the layer buttons, the network, the output, the loss curves, the
    gradient view, the code, and a status line.

    ``X, y``: your own points (N, 2) and their 0/1 labels or real targets, or ``X`` a CSV
    file's name (columns x1, x2, y); checked (ValueError naming what is wrong), rescaled into
    the view, and the dataset starts at "own" (the built-in sets stay in the dropdown).
    ``task``: "auto", "classification" or "regression". ``**config``: the starting
    configuration (and any other Explorer argument but ``controls``)."""
    _refuse_fixed("explorer", config, {"controls": "it shows every control"})
    if X is not None or y is not None:
        if "data" in config:
            raise ValueError("data: give your points as X, y or as data=, not both")
        config["data"] = own_points(X, y, task)
    return Explorer(EXPLORER_CONTROLS, **config)


def mini_explorer(control: str, **config) -> Explorer:
    """A small explorer with ONE control ("lr", "hidden_units" or "activation") plus the
    output and loss pictures; ``**config`` sets the rest (e.g. ``dataset="xor"``). Each change
    retrains the configuration from scratch for ``epochs`` epochs and redraws. Starting values
    are used exactly: one outside its control's bounds raises ValueError."""
    if not isinstance(control, str) or control not in MINI_CONTROLS:
        raise ValueError(f"control: expected one of {', '.join(MINI_CONTROLS)}, got {control!r}")
    _refuse_fixed("mini_explorer", config, {
        "controls": "it shows the one control named first", "buttons": "it has none",
        "toggles": "it has none", "network_view": "it has none",
        "gradient_view": "it has none"})
    return Explorer((control,), buttons=False, toggles=False, network_view=False,
                    gradient_view=False, **config)


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
    fig.suptitle(f"{title(session)}.   {status_line(session)}", fontsize=10)
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
    titles = [title(s) for s in sessions] if titles is None else list(titles)
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


__all__ = ["COMPARE_VIEWS", "CONTROLS", "EXPLORER_CONTROLS", "Explorer", "INTERVAL_RANGE",
           "MINI_CONTROLS", "TOGGLES", "compare_figure", "explorer", "figure", "mini_explorer",
           "own_points", "session_figure", "status_line", "title"]
