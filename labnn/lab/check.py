"""Check a student's own back-propagation, and name the mistake it makes.

    from labnn.check import check_backprop
    result = check_backprop(forward, backward, params, X, y)     # your functions and arrays
    print(result)              # pass, or the mistake named, how closely it matches, what to change

The student's network is plain functions and arrays: ``forward(params, X) -> y_hat``,
``backward(params, X, y) -> grads`` (the gradients of the loss, one array per parameter, in the
order of ``params`` = [W1, b1, W2, b2, ...]), optionally ``loss(y_hat, y)`` (default: the lab's
mean squared error over all elements) and ``step(params, X, y, lr) -> new params``. Either
layout works: samples as rows (X (N, D), y (N, K), W (fan_in, fan_out): labnn's and CS231n's)
or as columns (X (D, N), y (K, N), W (fan_out, fan_in): the original report's); biases as
vectors, rows or columns. The layout is read from the shapes; when they fit both, ``layout``
must say which.

What is measured, all in float64 with ``labnn.gradcheck``'s relative error
max |a - b| / (max |a| + max |b|) per parameter:

1. the student's gradients against centred differences of the student's own forward and loss
   (pass: every parameter below ``PASS_BELOW``);
2. when a labnn network reproduces the student's forward (Dense layers with labnn's
   activations, found by trying them) and the loss is a multiple of labnn's mse or bce: the
   student's gradients against labnn's exact gradients, and against labnn's gradients under
   each known mistake (``labnn.lab.mistakes``) and every combination of them. The match with
   the fewest mistakes below ``MATCH_BELOW`` is named, with its relative error; a mistake is
   only named where it changes the gradient by more than ``DISTINCT_ABOVE``;
3. with ``step``: the step's change of each parameter, divided by -lr, against the student's
   own gradients (gradient descent) and against labnn's step that updates each W before
   propagating the gradient through it (``labnn.lab.original``, the original report's).
"""

from __future__ import annotations

import inspect
import itertools
import numbers
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from .. import activations as _act
from .. import losses as _losses
from .._checks import check_positive_float
from ..gradcheck import format_error, numerical_gradient, relative_error
from ..network import Network
from ..optim import DEFAULT_LR
from . import mistakes as _m
from . import original as _original

PASS_BELOW = 1e-6
"""A gradient passes when its relative error against centred differences is below this (a
right float64 back-propagation gives about 1e-10, a wrong one 1e-3 to 1)."""
MATCH_BELOW = 1e-6
"""A student's gradient matches labnn's under a mistake when their relative error is below this
(the same formula in another order agrees to about 1e-15)."""
DISTINCT_ABOVE = 1e-4
"""A mistake is only named where its gradient differs from the right one by more than this."""
EPS = 1e-5
"""The step of the centred differences."""
LAYOUTS = ("rows", "columns")
MAX_LAYERS = 5
"""Activations are found by trying all of labnn's on every layer: 5 ** layers networks."""


# --------------------------------------------------------------------------- what is returned
@dataclass(frozen=True)
class Match:
    """The student's gradient equals labnn's under ``variant``'s mistakes (none: labnn's exact
    gradient) to relative error ``error``; ``layout`` is the student's, for the fixes."""

    variant: _m.Variant
    error: float
    layout: str

    @property
    def mistakes(self) -> tuple[_m.Mistake, ...]:
        return self.variant.mistakes(self.layout)

    def __str__(self) -> str:
        names = "; ".join(str(m) for m in self.mistakes) or "labnn's exact gradient"
        return f"'{names}' to {format_error(self.error)}"


@dataclass(frozen=True)
class StepCheck:
    """What ``step`` does, read from its change of each parameter divided by -lr (the gradient
    it descends): ``verdict`` "pass" (gradient descent with the student's own gradients), the
    mistake it matches ("W updated before propagating through it"), or "wrong, no known
    pattern"; ``error``: that gradient's largest relative error against centred differences."""

    verdict: str
    error: float
    match: Match | None = None
    note: str = ""
    compared: tuple[tuple[str, float], ...] = ()
    """(what the step was compared with, relative error of its gradient against that)."""


@dataclass(frozen=True)
class CheckResult:
    """The checks of one network (see the module docstring). ``errors`` and ``labnn_errors``:
    relative error per parameter (W1, b1, ...) against centred differences and against
    labnn's exact gradients (None when no labnn network reproduces the student's, ``notes``
    say why); inf for a gradient of another shape. ``match``: the named mistakes (or labnn's
    exact gradient), None when nothing matched; ``closest``: the nearest known mistake."""

    layout: str
    errors: dict[str, float]
    network: str | None = None
    labnn_errors: dict[str, float] | None = None
    match: Match | None = None
    closest: Match | None = None
    step: StepCheck | None = None
    notes: tuple[str, ...] = ()

    @property
    def gradients_pass(self) -> bool:
        exact = self.match is not None and self.match.variant.size == 0
        return exact or max(self.errors.values()) < PASS_BELOW

    @property
    def passed(self) -> bool:
        return self.verdict == "pass"

    @property
    def mistakes(self) -> tuple[_m.Mistake, ...]:
        """Every mistake named, in the gradients and in the step."""
        found = self.match.mistakes if self.match is not None and not self.gradients_pass \
            else ()
        return found + (self.step.match.mistakes if self.step and self.step.match else ())

    @property
    def verdict(self) -> str:
        """"pass", the mistakes named, or "wrong, no known pattern" ("step: wrong, no known
        pattern" for the step)."""
        gradients = [] if self.gradients_pass else \
            [str(m) for m in self.match.mistakes] if self.match else ["wrong, no known pattern"]
        step = [] if self.step is None else \
            [str(m) for m in self.step.match.mistakes] if self.step.match else \
            ["step: wrong, no known pattern"] if self.step.verdict == "wrong, no known pattern" \
            else []
        return "; ".join(gradients + step) or "pass"

    @property
    def worst(self) -> float:
        """The largest relative error against centred differences, the step's included."""
        return max([*self.errors.values()] + ([self.step.error] if self.step else []))

    def __str__(self) -> str:
        lines = [f"layout: {_describe_layout(self.layout)}",
                 f"labnn's network: {self.network or 'none reproduces yours'}",
                 *(f"  {note}" for note in self.notes),
                 f"relative error against centred differences of your forward and loss "
                 f"(pass below {PASS_BELOW:.0e}):", "  " + _row(self.errors)]
        if self.labnn_errors is not None:
            lines += ["relative error against labnn's exact gradients:",
                      "  " + _row(self.labnn_errors)]
        lines.append(f"verdict: {self.verdict}")
        if self.match is not None and self.match.mistakes and not self.gradients_pass:
            lines.append(f"  matches {self.match}")
            lines += [f"  change: {m.fix}" for m in self.match.mistakes]
        elif self.closest is not None and not self.gradients_pass:
            lines.append(f"  closest known mistake: {self.closest} (a match is below "
                         f"{MATCH_BELOW:.0e})")
        if self.step is not None:
            lines.append(f"step: {self.step.verdict}" + (
                " (params - lr * your backward's gradients)" if self.step.verdict == "pass" else
                f" (relative error of the gradient it descends {format_error(self.step.error)})"))
            lines += [f"  against {what}: {format_error(e)}" for what, e in self.step.compared]
            if self.step.match is not None:
                lines.append(f"  matches {self.step.match}")
                lines += [f"  change: {m.fix}" for m in self.step.match.mistakes]
            lines += [f"  {self.step.note}"] if self.step.note else []
        return "\n".join(lines)


def _row(errors: dict[str, float]) -> str:
    return "  ".join(f"{name} {format_error(e)}" for name, e in errors.items())


def _describe_layout(layout: str) -> str:
    return ("samples as rows: X (N, D), W (fan_in, fan_out)" if layout == "rows"
            else "samples as columns: X (D, N), W (fan_out, fan_in)")


# --------------------------------------------------------------------------- the checks
def check_backprop(forward, backward, params, X, y, loss=None, layout: str | None = None,
                   step=None, lr: float = DEFAULT_LR, activations=None) -> CheckResult:
    """Check a student's gradients (and ``step``, if given) and name the mistake they make.

    forward(params, X) -> y_hat, shaped like y; backward(params, X, y) -> a list of gradients
    shaped like ``params`` (the gradients of the loss, not updated parameters);
    params: [W1, b1, W2, b2, ...], float64 arrays; X, y: 2-D arrays in the student's layout;
    loss(y_hat, y) -> a number (default: the lab's mean squared error over all elements);
    layout: "rows" or "columns", read from the shapes when None; step(params, X, y, lr) ->
    the new parameters, checked at ``lr``; activations: labnn's activation name for each
    layer, found by trying them when None. Returns a ``CheckResult`` (print it)."""
    _check_function(forward, "forward", ("params", "X"))
    _check_function(backward, "backward", ("params", "X", "y"))
    if loss is not None:
        _check_function(loss, "loss", ("y_hat", "y"))
    if step is not None:
        _check_function(step, "step", ("params", "X", "y", "lr"))
        lr = check_positive_float(lr, "lr")
    params = _check_params(params)
    X, y = _check_data(X, "X"), _check_data(y, "y")
    layout = detect_layout(params, X, y, layout)
    with np.errstate(all="ignore"):        # the student's code: its results are checked here
        return _checks(forward, backward, params, X, y, loss, layout, step, lr, activations)


def _checks(forward, backward, params, X, y, loss, layout, step, lr, activations):
    lab_loss = loss is None
    loss = _lab_mse if lab_loss else loss
    y_hat = _call_forward(forward, params, X, y)
    _loss_value(loss, y_hat.copy(), y)
    grads = _call_backward(backward, params, X, y, layout)
    work = [p.copy() for p in params]      # perturbed in place by the centred differences

    def objective():
        return _loss_value(loss, forward(work, X), y)

    numeric = [numerical_gradient(objective, p, EPS) for p in work]
    names = _names(params)
    errors = {n: _error(g, d) for n, g, d in zip(names, grads, numeric)}
    model, note = _find_model(params, X, y, y_hat, loss, layout, activations, lab_loss)
    if model is None:
        return CheckResult(layout, errors, notes=(note,), step=_check_step(
            step, params, X, y, lr, grads, numeric, layout, None, None))
    student = _to_rows(grads, params, layout)
    exact = model.exact_gradients()
    match, closest = model.diagnose(student, exact, layout)
    return CheckResult(
        layout, errors, model.description,
        {n: _error(s, e) for n, s, e in zip(names, student, exact)}, match, closest,
        _check_step(step, params, X, y, lr, grads, numeric, layout, model, match))


def _error(a, b) -> float:
    """Relative error, inf for arrays of different shapes (a bias gradient left per sample)."""
    return relative_error(a, b) if a.shape == b.shape else np.inf


def _lab_mse(y_hat, y):
    """The lab's loss: mean squared error over all elements (``labnn.losses.mse``)."""
    return _losses.mse(y_hat, y)[0]


# --------------------------------------------------------------------------- labnn's side
@dataclass(frozen=True)
class _Model:
    """labnn's version of the student's network, samples as rows: each layer's
    (W (D, H), b (H,), activation), the data, and the student's loss as ``scale`` times
    labnn's loss ``loss_name``."""

    layers: list
    X: np.ndarray
    y: np.ndarray
    loss_name: str
    scale: float
    description: str

    def net(self, derivatives=None) -> Network:
        """A labnn Network with these parameters, each layer's f' evaluated where
        ``derivatives`` says (``mistakes.DERIVATIVES``; at z when None)."""
        derivatives = derivatives or ("z",) * len(self.layers)
        net = Network(self.X.shape[1], seed=0)
        for (W, _, act), where in zip(self.layers, derivatives):
            net.add_layer(W.shape[1], _m.with_derivative(act, where))
        for p, value in zip(net.params, [a for W, b, _ in self.layers for a in (W, b)]):
            p[...] = value
        return net

    def dout(self, y_hat) -> np.ndarray:
        """dL/dy_hat of the student's loss at labnn's outputs y_hat (N, K)."""
        return self.scale * _losses.get(self.loss_name)[0](y_hat, self.y)[1]

    def exact_gradients(self) -> list:
        """labnn's gradients of the student's loss (``Network.backward``)."""
        net = self.net()
        net.backward(self.dout(net.forward(self.X)))
        return [g.copy() for g in net.grads]

    def diagnose(self, student, exact, layout) -> tuple[Match | None, Match | None]:
        """(the Variant with the fewest mistakes whose gradients match the student's below
        MATCH_BELOW, each of its mistakes changing the gradient by more than DISTINCT_ABOVE,
        or None; the closest Variant with mistakes). ``student``: rows layout."""
        n = self.X.shape[0]
        dout = self.dout(_m.forward(self.layers, self.X)[2][-1])
        unsummed = tuple(k // 2 + 1 for k, s in enumerate(student) if s.shape != exact[k].shape)
        tried = []                # (variant, relative error to the student's, its gradients)
        for structure in _m.structures([W.shape for W, _, _ in self.layers]):
            grads, dzs = _m.backward(self.layers, self.X, dout, structure)
            compared = [dzs[k // 2] if k % 2 and k // 2 + 1 in unsummed else g
                        for k, g in enumerate(grads)]
            for scale in _m.SCALES:
                f = scale.factor(n)
                error = max(relative_error(s, f * g) for s, g in zip(student, compared))
                tried.append((_m.Variant(structure, scale, unsummed), error, grads, f))

        def named(variant, grads, f):     # no mistake, or mistakes that change the gradient
            return variant.size == 0 or variant.unsummed or \
                max(relative_error(e, f * g) for e, g in zip(exact, grads)) > DISTINCT_ABOVE

        closest = min((t for t in tried if t[0].size), key=lambda t: (t[1], t[0].size))
        matches = sorted((t for t in tried if t[1] < MATCH_BELOW),
                         key=lambda t: (t[0].size, t[1]))
        best = next((t for t in matches if named(t[0], t[2], t[3])), None)
        return (None if best is None else Match(best[0], best[1], layout),
                Match(closest[0], closest[1], layout))

    def step_gradients(self, variant, lr: float, update_first: bool) -> list:
        """The gradients (rows layout) that one step of labnn's network with ``variant``'s
        derivatives and scale descends: ``original.original_update`` (each W updated before the
        gradient goes through it) or gradient descent (the step is the gradient)."""
        factor = self.scale * variant.scale.factor(self.X.shape[0])
        net = self.net(variant.structure.derivatives)
        dout = self.dout(net.forward(self.X))
        if not update_first:                 # gradient descent: the step is the gradient
            net.backward(dout)
            return [factor * g for g in net.grads]
        before = [p.copy() for p in net.params]
        # the update as the original report wrote it; a scale may be negative (a wrong sign),
        # which no optimizer accepts as a learning rate, so the rate is handed over as is
        _original.original_update(net, dout, SimpleNamespace(lr=lr * factor))
        return [(b - p) / lr for b, p in zip(before, net.params)]


def _find_model(params, X, y, y_hat, loss, layout, activations, lab_loss):
    """(labnn's _Model of the student's network, "") or (None, why there is none)."""
    rows = _to_rows(params, params, layout)
    Xr, yr = (X, y) if layout == "rows" else (X.T, y.T)
    acts, note = _find_activations(rows, Xr, y_hat if layout == "rows" else y_hat.T,
                                   activations)
    if acts is None:
        return None, note
    loss_name, scale, note = ("mse", 1.0, "") if lab_loss else _find_loss(loss, y_hat, y)
    if loss_name is None:
        return None, note
    layers = [(W, b, _act.get(a)) for (W, b), a in zip(_pairs(rows), acts)]
    sizes = "-".join(str(n) for n in [Xr.shape[1]] + [W.shape[1] for W, _, _ in layers])
    loss_text = loss_name if scale == 1.0 else f"{scale:.6g} x {loss_name}"
    description = f"{sizes} ({', '.join(acts)}), loss {loss_text}"
    return _Model(layers, Xr, yr, loss_name, scale, description), ""


def _find_activations(rows, X, y_hat, activations):
    """(labnn's activation names, one per layer, whose network gives the student's y_hat,
    all in rows layout, "") or (None, why there are none). When several give the same outputs,
    the first in labnn's order: they give the same gradients too (relu and linear agree only
    where every z > 0, and there their derivatives agree)."""
    count = len(rows) // 2
    if activations is not None:
        tries = [_check_activations(activations, count)]
    elif count > MAX_LAYERS:
        return None, (f"{count} layers: labnn tries its activations on at most {MAX_LAYERS}; "
                      f"name them with activations=[...]")
    else:
        tries = itertools.product(_act.names(), repeat=count)
    for names in tries:
        layers = [(W, b, _act.get(a)) for (W, b), a in zip(_pairs(rows), names)]
        difference = relative_error(_m.forward(layers, X)[2][-1], y_hat)
        if difference < MATCH_BELOW:
            return list(names), ""
    if activations is not None:
        raise ValueError(f"activations: labnn's network with {', '.join(names)} does not give "
                         f"your forward's outputs (relative error {difference:.1e})")
    return None, (f"no labnn network of Dense layers with activations from "
                  f"{', '.join(_act.names())} gives your forward's outputs, so no mistake can be "
                  f"named")


def _find_loss(loss, y_hat, y):
    """(labnn's loss name, c, "") when the student's loss is c times labnn's mse or bce (its
    gradient at y_hat, by centred differences, is c times labnn's); else (None, None, why)."""
    at = y_hat.copy()
    value = _loss_value(loss, at, y)
    numeric = numerical_gradient(lambda: _loss_value(loss, at, y), at, EPS)
    for name in ("mse", "bce"):
        try:
            base, grad = _losses.get(name)[0](y_hat, y)
        except ValueError:           # outputs or targets outside bce's [0, 1]
            continue
        if base > 0 and relative_error(numeric, value / base * grad) < MATCH_BELOW:
            return name, value / base, ""
    return None, None, ("your loss is not a multiple of labnn's mse or bce, so no mistake can "
                        "be named")


# --------------------------------------------------------------------------- the step
def _check_step(step, params, X, y, lr, grads, numeric, layout, model, match):
    """The StepCheck of ``step`` (None without one)."""
    if step is None:
        return None
    if any(g.shape != p.shape for g, p in zip(grads, params)):
        return StepCheck("not checked", np.inf, note="your backward's bias gradients are not "
                         "summed over the batch, so the step cannot keep their shapes")
    new = _call_step(step, params, X, y, lr)
    descended = [(p - q) / lr for p, q in zip(params, new)]
    error = max(relative_error(g, d) for g, d in zip(descended, numeric))
    own = max(_error(g, s) for g, s in zip(descended, grads))
    compared = [("gradient descent with your backward's gradients", own)]
    replayable = match is not None and not match.variant.structure.untransposed \
        and not match.variant.unsummed
    if replayable:
        first = model.step_gradients(match.variant, lr, update_first=True)
        after = model.step_gradients(match.variant, lr, update_first=False)
        rows = _to_rows(descended, params, layout)
        order_error = max(relative_error(g, f) for g, f in zip(rows, first))
        compared.append((_m.UPDATE_FIRST, order_error))
        if order_error < MATCH_BELOW and \
                max(relative_error(a, f) for a, f in zip(after, first)) > DISTINCT_ABOVE:
            variant = _m.Variant(_m.Structure(("z",) * len(model.layers)), update_first=True)
            return StepCheck(_m.UPDATE_FIRST, error, Match(variant, order_error, layout),
                             compared=tuple(compared))
    note = "" if replayable else ("labnn's step that updates W before propagating through it "
                                  "is not replayed for these gradients")
    if own < MATCH_BELOW:
        return StepCheck("pass", error, note=note, compared=tuple(compared))
    return StepCheck("wrong, no known pattern", error, compared=tuple(compared),
                     note=note or "it is not params - lr * backward(params)")


# --------------------------------------------------------------------------- the inputs
def _check_function(fn, name: str, arguments: tuple[str, ...]) -> None:
    wanted = f"{name}({', '.join(arguments)})"
    if not callable(fn):
        raise ValueError(f"{name}: expected a function {wanted}, got {type(fn).__name__}")
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):          # some builtins have none: called as they are
        return
    try:
        signature.bind(*arguments)
    except TypeError:
        raise ValueError(f"{name}: expected a function {wanted}, got one with the signature "
                         f"{name}{signature}") from None


def _names(params) -> list[str]:
    return [f"{'Wb'[k % 2]}{k // 2 + 1}" for k in range(len(params))]


def _check_params(params) -> list[np.ndarray]:
    """Own float64 copies of [W1, b1, W2, b2, ...]."""
    if not isinstance(params, (list, tuple)) or not params or len(params) % 2:
        raise ValueError(f"params: expected a list [W1, b1, W2, b2, ...] of NumPy arrays (a "
                         f"weight and a bias per layer), got "
                         f"{_describe(params)}")
    out = []
    for k, (p, name) in enumerate(zip(params, _names(params))):
        where = f"params[{k}] ({name})"
        if not isinstance(p, np.ndarray):
            raise ValueError(f"{where}: expected a NumPy array, got {type(p).__name__}")
        if p.dtype != np.float64:
            raise ValueError(f"{where}: expected float64 values (a gradient check needs "
                             f"them), got dtype {p.dtype}")
        if not np.isfinite(p).all():
            raise ValueError(f"{where}: expected finite values, found NaN or inf")
        if k % 2 == 0 and p.ndim != 2:
            raise ValueError(f"{where}: expected a 2-D weight matrix, got shape {p.shape}")
        if k % 2 and (p.ndim not in (1, 2) or (p.ndim == 2 and 1 not in p.shape)):
            raise ValueError(f"{where}: expected a bias vector, row or column, got shape "
                             f"{p.shape}")
        out.append(np.array(p, dtype=np.float64, order="C", copy=True))
    return out


def _describe(value) -> str:
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)}"
    return type(value).__name__


def _check_data(a, name: str) -> np.ndarray:
    if not isinstance(a, np.ndarray) or a.dtype.kind not in "iuf" or a.ndim != 2 or not a.size:
        raise ValueError(f"{name}: expected a non-empty 2-D NumPy array of numbers, got "
                         f"{_describe(a) if not isinstance(a, np.ndarray) else a.shape}")
    if not np.isfinite(a).all():
        raise ValueError(f"{name}: expected finite values, found NaN or inf")
    return a


def _pairs(arrays):
    return list(zip(arrays[::2], arrays[1::2]))


def fits(params, layout: str, d: int, k: int) -> bool:
    """Whether the weights of ``params`` chain from ``d`` inputs to ``k`` outputs in
    ``layout`` ("rows": W (fan_in, fan_out); "columns": W (fan_out, fan_in)), each bias with
    fan_out values."""
    size = d
    for W, b in _pairs(params):
        fan_in, fan_out = W.shape if layout == "rows" else W.shape[::-1]
        if fan_in != size or b.size != fan_out:
            return False
        size = fan_out
    return size == k


def detect_layout(params, X, y, layout=None) -> str:
    """"rows" or "columns": ``layout`` checked against the shapes of ``params`` (checked
    arrays), X and y, or read from them."""
    dims = {"rows": (X.shape[1], y.shape[1], X.shape[0] == y.shape[0]),
            "columns": (X.shape[0], y.shape[0], X.shape[1] == y.shape[1])}
    ok = [name for name, (d, k, n) in dims.items() if n and fits(params, name, d, k)]
    return _choose(ok, params, layout, "layout", f"with X {X.shape} and y {y.shape}")


def layout_for(params, d: int, k: int, layout=None, name: str = "layout") -> str:
    """The layout in which ``params`` maps ``d`` inputs to ``k`` outputs: ``layout`` checked,
    or read from the shapes (``name``: the argument to name when they fit both)."""
    params = _check_params(params)
    ok = [lay for lay in LAYOUTS if fits(params, lay, d, k)]
    return _choose(ok, params, layout, name, f"for {d} inputs and {k} output{'s' * (k > 1)}")


def _choose(ok, params, layout, name, data) -> str:
    shapes = ", ".join(str(W.shape) for W, _ in _pairs(params))
    if layout is not None:
        if layout not in LAYOUTS:
            raise ValueError(f"{name}: expected 'rows' or 'columns', got {layout!r}")
        if layout not in ok:
            raise ValueError(f"params: weights {shapes} {data} do not fit {name} {layout!r} "
                             f"({_describe_layout(layout)})")
        return layout
    if len(ok) == 2:
        raise ValueError(f"{name}: weights {shapes} {data} fit both samples as rows and "
                         f"samples as columns; set {name} to 'rows' or 'columns'")
    if not ok:
        raise ValueError(f"params: weights {shapes} {data} fit neither layout: "
                         f"{_describe_layout('rows')}, y (N, K); or "
                         f"{_describe_layout('columns')}, y (K, N); biases with fan_out values")
    return ok[0]


def _to_rows(arrays, params, layout) -> list:
    """``arrays`` (the parameters, or arrays shaped like them) as labnn has them, samples as
    rows: W (fan_in, fan_out), b (fan_out,); a bias gradient with one row (columns layout:
    column) per sample, unsummed, as (N, fan_out)."""
    out = []
    for k, (a, p) in enumerate(zip(arrays, params)):
        if k % 2 == 0 or a.size != p.size:
            out.append(a if layout == "rows" else a.T)
        else:
            out.append(a.reshape(-1))
    return out


def _unchanged(before, after, name) -> None:
    for k, (b, a) in enumerate(zip(before, after)):
        if not np.array_equal(a, b):
            raise ValueError(f"{name}: it changed params[{k}] ({_names(before)[k]}); it must "
                             f"leave the parameters as they are"
                             + (" (an update belongs in step)" if name == "backward" else ""))


def _call_forward(forward, params, X, y):
    work = [p.copy() for p in params]
    y_hat = forward(work, X)
    _unchanged(params, work, "forward")
    if not isinstance(y_hat, np.ndarray) or y_hat.dtype.kind != "f":
        raise ValueError(f"forward: expected y_hat, a float NumPy array, got "
                         f"{_describe(y_hat)}")
    if y_hat.shape != y.shape:
        raise ValueError(f"forward: expected y_hat of shape {y.shape}, the shape of y, got "
                         f"{y_hat.shape}")
    if not np.isfinite(y_hat).all():
        raise ValueError("forward: y_hat contains NaN or inf")
    return y_hat


def _loss_value(loss, y_hat, y) -> float:
    """The student's loss at y_hat, a float (a NumPy array of one element too)."""
    value = loss(y_hat, y)
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(())[()]
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"loss: expected a number, got {_describe(value)}")
    if not np.isfinite(value):
        raise ValueError(f"loss: it is {value} at these outputs")
    return float(value)


def _check_arrays(arrays, params, name: str, n: int | None, layout: str) -> list:
    """A function's list of arrays shaped like ``params``; with ``n``, a bias gradient may
    instead have one row (columns layout: column) per sample, unsummed."""
    if not isinstance(arrays, (list, tuple)) or len(arrays) != len(params):
        raise ValueError(f"{name}: expected a list of {len(params)} arrays shaped like params "
                         f"([W1, b1, W2, b2, ...]), got {_describe(arrays)}")
    for k, (a, p) in enumerate(zip(arrays, params)):
        what = f"{name}: item {k} ({_names(params)[k]})"
        if not isinstance(a, np.ndarray) or a.dtype.kind not in "iuf":
            raise ValueError(f"{what}: expected a NumPy array of numbers, got {_describe(a)}")
        if not np.isfinite(a).all():
            raise ValueError(f"{what}: contains NaN or inf")
        per_sample = (n, p.size) if layout == "rows" else (p.size, n)
        if a.shape != p.shape and not (n and k % 2 and a.shape == per_sample):
            raise ValueError(f"{what}: expected shape {p.shape}, the shape of params[{k}], got "
                             f"{a.shape}")
    return [np.asarray(a, dtype=np.float64) for a in arrays]


def _call_backward(backward, params, X, y, layout):
    work = [p.copy() for p in params]
    grads = backward(work, X, y)
    _unchanged(params, work, "backward")
    n = X.shape[0] if layout == "rows" else X.shape[1]
    return _check_arrays(grads, params, "backward", n, layout)


def _call_step(step, params, X, y, lr):
    new = step([p.copy() for p in params], X, y, lr)
    if new is None:
        raise ValueError("step: expected the new parameters, got None (a step that updates "
                         "in place must still return them)")
    return _check_arrays(new, params, "step", None, "rows")


def _check_activations(activations, count):
    if not isinstance(activations, (list, tuple)) or len(activations) != count:
        raise ValueError(f"activations: expected {count} names, one per layer, got "
                         f"{activations!r}")
    return [_act.get(a, "activations").name for a in activations]


__all__ = ["DISTINCT_ABOVE", "LAYOUTS", "MATCH_BELOW", "PASS_BELOW", "CheckResult", "Match",
           "StepCheck", "check_backprop", "detect_layout", "fits", "layout_for"]
