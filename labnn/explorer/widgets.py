"""The Playground explorer: ipywidgets controls and a matplotlib view over
``labnn.explorer.playground``.

    import labnn.explorer.widgets
    labnn.explorer.widgets.explorer()            # every control, Play / Pause / Step / Reset
    labnn.explorer.widgets.mini_explorer("lr", dataset="xor")   # one control, two views

This module is only the view: every number comes from ``labnn.explorer.playground.Session`` (the
pure core that ``train(config)`` also uses). Each redraw renders one matplotlib figure (the
decision boundary with the data, and the loss and accuracy curves) into an ``Image`` widget; the
text line under it gives the epoch, the final loss and accuracy. A run that diverges shows a
message, never a traceback. Play is driven by a hidden ``ipywidgets.Play`` ticker in the front
end: every tick trains one chunk of epochs and redraws, so the kernel stays free to take a Pause
click or a learning-rate change between chunks. """

from __future__ import annotations

import html
import io
import math
import time

import ipywidgets as W
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import (
    FixedLocator,
    FuncFormatter,
    LogLocator,
    MaxNLocator,
    NullLocator,
)

from .._checks import check_bool
from ..report.plots import BOUNDARY_CMAP, CLASS_COLORS
from . import playground as pg

CONTROLS = ("dataset", "noise", "lr", "hidden_units", "hidden_layers", "activation", "optimizer",
            "loss", "epochs", "batch_size", "seed")
"""Training controls of the full explorer, in display order: every PlaygroundConfig field but
``n``, each built from its ``playground.SETTINGS`` entry."""

MINI_CONTROLS = ("lr", "hidden_units", "activation")
TOGGLES = ("show_data", "discretize", "log_loss")
"""Display toggles: they only redraw, they never retrain."""

BATCH_OPTIONS = (("full", 0), ("1", 1), ("2", 2), ("4", 4), ("8", 8), ("16", 16), ("32", 32),
                 ("64", 64))
MAX_PLOT_POINTS = 600
_TICK_FORMAT = FuncFormatter(lambda v, _pos: f"{v:.3g}")


INTERVAL_RANGE = (10, 60_000)
"""The bounds of the milliseconds between Play ticks (10 ms to a minute)."""

VIEW_SIZE = (1, 40)
"""Inches: the bounds of the figure's width and height."""

VIEW_DPI = (10, 600)


def _control(name: str, value):
    """The widget for one PlaygroundConfig field, built from its ``playground.SETTINGS`` entry:
    the widget's bounds are the configuration's bounds, so the front end holds what a person
    drags or types to exactly the values the configuration accepts (and a starting value the
    configuration accepted is shown as it is, never clamped)."""
    s = pg.SETTINGS[name]
    common = {"description": name.replace("_", " "), "style": {"description_width": "80px"},
              "layout": W.Layout(width="320px")}
    if s.kind == "choice":
        return W.Dropdown(options=s.options, value=value, **common)
    if s.kind == "batch":
        return W.Dropdown(options=_batch_options(value), value=value or 0, **common)
    if name == "seed":
        return W.BoundedIntText(value=value, min=s.lo, max=s.hi, **common)
    slider = {"continuous_update": False, **common}
    if name == "lr":
        return W.FloatLogSlider(value=value, base=10, min=math.log10(s.lo),
                                max=math.log10(s.hi), step=0.1, readout_format=".3g", **slider)
    if s.kind == "number":
        return W.FloatSlider(value=value, min=s.lo, max=s.hi, step=0.01, **slider)
    return W.IntSlider(value=value, min=s.lo, max=s.hi, **slider)


def _batch_options(value) -> list:
    """The batch-size choices (0 is "full"), plus ``value`` if it is another size."""
    options = list(BATCH_OPTIONS)
    if value and value not in dict(options).values():
        options = sorted([*options, (str(value), value)], key=lambda o: o[1])
    return options


def _check_controls(controls) -> tuple:
    """A list or tuple of distinct control names (a bare string is refused: it is not a list of
    names, and "lr" would otherwise read as the names "l" and "r")."""
    known = ", ".join(CONTROLS)
    if not isinstance(controls, (list, tuple)):
        hint = f"; for one control write [{controls!r}]" if isinstance(controls, str) else ""
        raise ValueError(f"controls: expected a list or tuple of control names from {known}, "
                         f"got {controls!r}{hint}")
    for name in controls:
        if not isinstance(name, str) or name not in CONTROLS:
            raise ValueError(f"controls: expected names from {known}, got {name!r}")
        if controls.count(name) > 1:
            raise ValueError(f"controls: {name!r} is listed twice")
    return tuple(controls)


def _check_arguments(controls, buttons, toggles, chunk, interval, clock) -> tuple:
    """Explorer's arguments other than the configuration, checked (ValueError names each)."""
    controls = _check_controls(controls)
    buttons, toggles = check_bool(buttons, "buttons"), check_bool(toggles, "toggles")
    chunk = pg.check_int_in(chunk, "chunk", 1, pg.MAX_EPOCHS)
    try:
        interval = pg.check_int_in(interval, "interval", *INTERVAL_RANGE)
    except ValueError:
        raise ValueError(f"interval: expected an integer number of milliseconds in "
                         f"[{INTERVAL_RANGE[0]}, {INTERVAL_RANGE[1]}], got {interval!r}") from None
    if not callable(clock):
        raise ValueError(f"clock: expected a callable that returns seconds (such as "
                         f"time.monotonic), got {clock!r}")
    return controls, buttons, toggles, chunk, interval, clock


def _refuse_fixed(shortcut: str, given: dict, fixed: dict) -> None:
    """``shortcut`` sets the arguments in ``fixed`` itself: passing one is a mistake."""
    for name, why in fixed.items():
        if name in given:
            raise ValueError(f"{name}: {shortcut}() does not take it ({why}); use "
                             f"Explorer(...) to choose it")


class View:
    """The matplotlib figure: decision boundary + data (left), loss and accuracy (right).
    Artists are made once and updated in place; ``render`` returns PNG bytes."""

    def __init__(self, width: float = 8.4, height: float = 3.5, dpi: int = 100,
                 resolution: int = 50):
        width = pg.check_number_in(width, "width", *VIEW_SIZE)
        height = pg.check_number_in(height, "height", *VIEW_SIZE)
        dpi = pg.check_int_in(dpi, "dpi", *VIEW_DPI)
        self.resolution = pg.check_int_in(resolution, "resolution", *pg.GRID_RESOLUTION)
        self.figure = Figure(figsize=(width, height), dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        gs = self.figure.add_gridspec(1, 2, width_ratios=(1, 1.35), wspace=0.35)
        self.ax_boundary = self.figure.add_subplot(gs[0])
        self.ax_loss = self.figure.add_subplot(gs[1])
        self.ax_acc = self.ax_loss.twinx()
        ax = self.ax_boundary
        self.heatmap = ax.imshow(np.full((2, 2), 0.5), origin="lower", cmap=BOUNDARY_CMAP,
                                 vmin=0.0, vmax=1.0, interpolation="bilinear", aspect="auto")
        self.points = [ax.scatter([], [], s=20, c=color, edgecolors="white", linewidths=0.4,
                                  zorder=3) for color in CLASS_COLORS]
        self.contour = None
        ax.set_xlabel("x0")
        ax.set_ylabel("x1")
        self.loss_line, = self.ax_loss.plot([], [], color="black", lw=1.3, label="loss")
        self.acc_line, = self.ax_acc.plot([], [], color="tab:green", lw=1.1, label="accuracy")
        self.ax_loss.set_xlabel("epoch")
        self.ax_loss.set_ylabel("loss")
        self.ax_acc.set_ylabel("accuracy", color="tab:green")
        self.ax_acc.set_ylim(-0.02, 1.02)
        self.ax_loss.grid(alpha=0.3)
        # Tick labels are most of the drawing time: keep them few (and no minor ticks).
        ax.xaxis.set_major_locator(FixedLocator([0.0, 0.5, 1.0]))
        ax.yaxis.set_major_locator(FixedLocator([0.0, 0.5, 1.0]))
        self.ax_loss.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        self.ax_acc.yaxis.set_major_locator(FixedLocator([0.0, 0.5, 1.0]))
        self.figure.subplots_adjust(left=0.07, right=0.92, bottom=0.15, top=0.88)

    def draw(self, session: pg.Session, *, show_data: bool = True, discretize: bool = False,
             log_loss: bool = True) -> None:
        self._draw_boundary(session, show_data, discretize)
        self._draw_curves(session, log_loss)

    def _draw_boundary(self, session: pg.Session, show_data: bool, discretize: bool) -> None:
        extent, p = session.predict_grid(self.resolution)
        self.heatmap.set_data((p > 0.5).astype(float) if discretize else p)
        self.heatmap.set_extent(extent)
        ax = self.ax_boundary
        ax.set_xlim(extent[0], extent[1])
        ax.set_ylim(extent[2], extent[3])
        if self.contour is not None:
            self.contour.remove()
            self.contour = None
        if p.min() < 0.5 < p.max():
            xs = np.linspace(extent[0], extent[1], p.shape[1])
            ys = np.linspace(extent[2], extent[3], p.shape[0])
            self.contour = ax.contour(xs, ys, p, levels=[0.5], colors="k", linewidths=0.8)
        labels = session.y[:, 0] > 0.5
        for cls, pts in enumerate(self.points):
            pts.set_offsets(session.X[labels == bool(cls)])
            pts.set_visible(show_data)
        cfg = session.config
        ax.set_title(f"{cfg.dataset}: {cfg.hidden_layers} x {cfg.hidden_units} {cfg.activation}",
                     fontsize=10)

    def _draw_curves(self, session: pg.Session, log_loss: bool) -> None:
        cfg, h = session.config, session.history
        n = h.epochs
        k = max(1, -(-n // MAX_PLOT_POINTS))
        epochs = np.arange(1, n + 1)[::k]
        loss = np.asarray(h.loss, dtype=float)[::k]
        acc = np.asarray(h.accuracy, dtype=float)[::k]
        self.loss_line.set_data(epochs, loss)
        self.acc_line.set_data(epochs, acc)
        finite = loss[np.isfinite(loss) & (loss > 0)] if log_loss else loss[np.isfinite(loss)]
        if log_loss:
            self.ax_loss.set_yscale("log")
            narrow = finite.size and finite.max() < 10 * finite.min()
            # Less than a decade: label 1-2-5 steps, or the axis would have no label at all.
            self.ax_loss.yaxis.set_major_locator(
                LogLocator(subs=(1.0, 2.0, 5.0) if narrow else (1.0,), numticks=4))
            self.ax_loss.yaxis.set_major_formatter(_TICK_FORMAT)
        else:
            self.ax_loss.set_yscale("linear")
            self.ax_loss.yaxis.set_major_locator(MaxNLocator(4))
            self.ax_loss.yaxis.set_major_formatter(_TICK_FORMAT)
        self.ax_loss.yaxis.set_minor_locator(NullLocator())
        xmax = max(n, 1)
        self.ax_loss.set_xlim(0, xmax * 1.02 + 1)
        if finite.size:
            lo, hi = float(finite.min()), float(finite.max())
            if log_loss:
                self.ax_loss.set_ylim(lo / 1.5, hi * 1.5)
            else:
                pad = 0.05 * (hi - lo) + 1e-12
                self.ax_loss.set_ylim(min(0.0, lo - pad), hi + pad)
        title = f"{cfg.optimizer} lr={cfg.lr:.3g}, {cfg.loss}"
        if n:
            title += f": loss {h.final_loss:.3g}, accuracy {h.final_accuracy:.0%}"
        self.ax_loss.set_title(title, fontsize=10)

    def render(self) -> bytes:
        buf = io.BytesIO()
        self.canvas.print_png(buf, pil_kwargs={"compress_level": 1})
        return buf.getvalue()


def figure(config=None, *, show_data: bool = True, discretize: bool = False,
           log_loss: bool = True, **changes) -> Figure:
    """The explorer's figure for a configuration trained for ``config.epochs`` (what the
    interactive explorer first shows); a static, checkable stand-in for notebooks."""
    flags = {"show_data": show_data, "discretize": discretize, "log_loss": log_loss}
    flags = {name: check_bool(value, name) for name, value in flags.items()}
    session = pg.Session(config, **changes)
    session.advance(session.config.epochs)
    view = View()
    view.draw(session, **flags)
    return view.figure


class Explorer(W.VBox):
    """Controls, Play / Pause / Step / Reset, the figure and a status line, over one
    ``playground.Session``.

    Args:
        controls: a list or tuple of the training controls to show (names from CONTROLS).
        buttons: show Play / Pause / Step / Reset (with the hidden ticker).
        toggles: show the display toggles (see TOGGLES).
        chunk: epochs trained per Play tick or Step click (1 to ``playground.MAX_EPOCHS``).
        interval: milliseconds between Play ticks (see INTERVAL_RANGE).
        **config: the starting configuration (PlaygroundConfig fields), used exactly as given:
            a value outside its control's bounds raises ValueError, it is never clamped.
    """

    def __init__(self, controls=CONTROLS, *, buttons: bool = True, toggles: bool = True,
                 chunk: int = 50, interval: int = 200, clock=time.monotonic, **config):
        controls, buttons, toggles, self.chunk, interval, clock = _check_arguments(
            controls, buttons, toggles, chunk, interval, clock)
        self.session = pg.Session(None, **config)
        self.controls = {name: _control(name, getattr(self.session.config, name))
                         for name in controls}
        self._showing = False
        self.view = View()
        self.redraws = 0
        self.render_seconds: list[float] = []
        self.clock = clock
        """Seconds, monotonic: when ticks arrive (a test passes its own)."""
        self._last_tick_end = -math.inf
        self.min_tick_gap = 0.02
        """Seconds: a tick arriving sooner after the last one finished was queued while the
        kernel was busy and is dropped."""

        for name, widget in self.controls.items():
            widget.observe(self._make_handler(name), names="value")
        self.toggles = self._make_toggles() if toggles else {}

        px = int(round(self.view.figure.get_figwidth() * self.view.figure.dpi))
        self.image = W.Image(format="png", layout=W.Layout(width=f"{px}px", max_width="100%"))
        self.image.add_class("labnn-view")
        self.status = W.HTML()
        self.status.add_class("labnn-status")
        self.message = W.HTML()
        self.message.add_class("labnn-message")

        self.ticker = W.Play(value=0, min=0, max=10**9, step=1, interval=interval,
                             layout=W.Layout(display="none"))
        self.ticker.observe(lambda change: self._guard(self._tick), names="value")
        self.buttons = self._make_buttons() if buttons else {}
        super().__init__(self._rows())
        self.add_class("labnn-explorer")
        self.session.advance(self.session.config.epochs)
        self.redraw()

    def _make_toggles(self) -> dict:
        toggles = {
            "show_data": W.Checkbox(value=True, description="show data", indent=False),
            "discretize": W.Checkbox(value=False, description="discretize", indent=False),
            "log_loss": W.Checkbox(value=True, description="log loss", indent=False),
        }
        for widget in toggles.values():
            widget.observe(lambda change: self._guard(self.redraw), names="value")
        return toggles

    def _make_buttons(self) -> dict:
        buttons = {}
        specs = (("play", "Play", "play", self.play), ("pause", "Pause", "pause", self.pause),
                 ("step", "Step", "step-forward", self.step),
                 ("reset", "Reset", "undo", self.reset))
        for key, label, icon, action in specs:
            b = W.Button(description=label, icon=icon, layout=W.Layout(width="90px"))
            b.add_class(f"labnn-{key}")
            b.on_click(lambda _b, action=action: self._guard(action))
            buttons[key] = b
        return buttons

    def _rows(self) -> list:
        """The explorer's layout, top to bottom: buttons, controls, toggles, the view."""
        rows = [W.HBox([*self.buttons.values(), self.ticker])] if self.buttons else []
        widgets = list(self.controls.values())
        if len(widgets) > 3:
            half = (len(widgets) + 1) // 2
            rows.append(W.HBox([W.VBox(widgets[:half]), W.VBox(widgets[half:])]))
        else:
            rows.extend(widgets)
        if self.toggles:
            rows.append(W.HBox(list(self.toggles.values())))
        return rows + [self.image, self.status, self.message]

    # ------------------------------------------------------------------ handlers
    def _guard(self, action, *args):
        """Run a handler; any error becomes a message in the view, never a traceback."""
        try:
            action(*args)
        except Exception as exc:  # the view must survive anything a reader can do
            self.pause()
            self.message.value = (f"<span style='color:#b00'>error: "
                                  f"{html.escape(str(exc))}</span>")

    def _make_handler(self, name):
        def handler(change):
            if self._showing:  # the control is being moved to match the session (see _show)
                return
            value = change["new"]
            if name == "batch_size":
                value = value or None
            self._guard(self.set, name, value)
        return handler

    def set(self, name: str, value) -> str:
        """Change one training setting (as its control would) under the Playground's rules, and
        move its control to match; returns "none", "live" or "rebuild" (see ``Session.update``).
        A value outside the setting's bounds raises ValueError and changes nothing."""
        if not isinstance(name, str) or name not in pg.SETTINGS:
            raise ValueError(f"name: expected one of {', '.join(pg.SETTINGS)}, got {name!r}")
        outcome = self.session.update(**{name: value})
        self._show(name)
        if outcome == "rebuild":
            self.redraw()
        return outcome

    def _show(self, name: str) -> None:
        """Move ``name``'s control (if shown) to the session's value, without retraining."""
        widget = self.controls.get(name)
        if widget is None:
            return
        value = getattr(self.session.config, name)
        self._showing = True
        try:
            if name == "batch_size":
                value = value or 0
                if value not in dict(widget.options).values():
                    widget.options = _batch_options(value)
            widget.value = value
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
        self.ticker.playing = False

    def step(self) -> None:
        """Pause and train one chunk."""
        self.pause()
        self.session.step(self.chunk)
        self.redraw()

    def reset(self) -> None:
        """Pause and start again from a fresh, untrained network (epoch 0)."""
        self.pause()
        self.session.reset()
        self.redraw()

    def _tick(self) -> None:
        if not self.playing:
            return
        # Ticks queued while the kernel was busy arrive back to back: skip them, so that a
        # slow machine drops frames instead of lagging behind a Pause click.
        if self.clock() - self._last_tick_end < self.min_tick_gap:
            return
        self.session.step(self.chunk)
        self.redraw()
        if self.session.diverged:
            self.pause()
        self._last_tick_end = self.clock()

    # ------------------------------------------------------------------ view
    def redraw(self) -> None:
        """Redraw the figure and the text from the session (never trains)."""
        t0 = time.perf_counter()
        opts = {name: w.value for name, w in self.toggles.items()}
        self.view.draw(self.session, **opts)
        self.image.value = self.view.render()
        self.status.value = f"<code>{html.escape(self.session.status())}</code>"
        if self.session.error is not None:
            self.message.value = ("<span style='color:#b00'><b>Training stopped</b>: "
                                  f"{html.escape(self.session.error)}. Press Reset or change a "
                                  "setting to start again.</span>")
        else:
            self.message.value = ""
        self.redraws += 1
        self.render_seconds.append(time.perf_counter() - t0)

    def __repr__(self) -> str:
        # The text a reader sees where widgets cannot render (GitHub, a console, nbval).
        what = (f"the {next(iter(self.controls))} control" if len(self.controls) == 1
                else f"{len(self.controls)} controls")
        return f"<labnn Playground explorer with {what}: run this notebook in JupyterLab>"

    @property
    def text(self) -> str:
        """The status line as plain text."""
        return self.session.status()


def explorer(**config) -> Explorer:
    """The full Playground explorer: every control, Play / Pause / Step / Reset, the display
    toggles, the decision boundary, the loss and accuracy curves and a status line.
    ``**config``: the starting configuration (and any other Explorer argument but ``controls``)."""
    _refuse_fixed("explorer", config, {"controls": "it shows every control"})
    return Explorer(CONTROLS, **config)


def mini_explorer(control: str, **config) -> Explorer:
    """A small explorer with ONE control ("lr", "hidden_units" or "activation") plus the
    boundary and curve views; ``**config`` sets the rest (e.g. ``dataset="xor"``). Each change
    retrains the configuration from scratch for ``epochs`` epochs and redraws. Starting values
    are used exactly: one outside its control's bounds raises ValueError."""
    if not isinstance(control, str) or control not in MINI_CONTROLS:
        raise ValueError(f"control: expected one of {', '.join(MINI_CONTROLS)}, got {control!r}")
    _refuse_fixed("mini_explorer", config, {"controls": "it shows the one control named first",
                                            "buttons": "it has none", "toggles": "it has none"})
    return Explorer((control,), buttons=False, toggles=False, **config)


__all__ = ["CONTROLS", "Explorer", "INTERVAL_RANGE", "MINI_CONTROLS", "TOGGLES", "View",
           "explorer", "figure", "mini_explorer"]
