"""A hostile sweep of labnn's public calls: every case tried as a careless or hostile user
would, each in its own process with a time and a memory limit, every warning recorded.

    .venv/bin/python scripts/hostile_sweep.py               # all cases, counts by surface
    .venv/bin/python scripts/hostile_sweep.py --surface saving --show weak,bug
    .venv/bin/python scripts/hostile_sweep.py --list        # the cases, without running them

Each case is a few statements run in a fresh child process (forked from this one, so a case
costs milliseconds, not an interpreter start), with its address space limited to
``--memory-mb`` above what the parent already holds and ``--timeout`` seconds of wall time.
The verdict:

- ok: it returned (and what it returned passes the case's check, e.g. finite floats of the
  right shape, or bit-equal to a reference), or it refused with a ValueError (or the error a
  case allows, such as DivergenceError) whose message starts with the argument's name;
- weak: an input that should be refused was accepted (with a sane answer), a refusal names no
  argument or another one, or a warning escaped;
- bug: an internal traceback (TypeError, IndexError, ...), a MemoryError or a crash, a hang,
  a valid input refused, or an answer that fails its check (silently wrong).

The explorer (``labnn.explorer``) is not swept here: its own sweep belongs to its rebuild.
Exit status 1 if any case is weak or a bug.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")    # one BLAS thread: forking a threaded BLAS can hang

import argparse  # noqa: E402
import collections  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import select  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
import warnings  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

import labnn  # noqa: E402


@dataclass(frozen=True)
class Case:
    """One hostile call. ``code`` runs with the names of ``_namespace`` and may set ``r``.

    ``names``: the argument names a refusal may start with ("lr" for "lr: expected ...").
    ``must``: "raise" (the input is bad), "return" (it is valid) or "either".
    ``check``: an expression on ``r`` that must be true when the call returns.
    ``allow``: other exception types that are a proper refusal here."""

    surface: str
    name: str
    code: str
    names: tuple = ()
    must: str = "either"
    check: str | None = None
    allow: tuple = ()


# ---------------------------------------------------------------------------- the values
SCALARS = {
    "None": "None", "text": "'3'", "bytes": "b'3'", "True": "True", "zero": "0", "minus1": "-1",
    "2.0": "2.0", "0.5": "0.5", "nan": "float('nan')", "inf": "float('inf')",
    "10**400": "10**400", "2**63": "2**63", "int64(3)": "np.int64(3)",
    "float32(0.5)": "np.float32(0.5)", "list": "[1, 2]", "array(3)": "np.array([3])",
    "0d(3)": "np.array(3)", "complex": "1+2j", "object": "object()", "1e-300": "1e-300",
}
"""Hostile scalars, by label: what each expression gives."""

VALID = {
    "posint": {"int64(3)", "2**63", "10**400"},
    "count": {"int64(3)"},                      # a positive int that also fits in memory
    "count_or_none": {"int64(3)", "None"},
    "posint_or_none": {"int64(3)", "2**63", "10**400", "None"},
    "nonneg_any": {"zero", "int64(3)", "2**63", "10**400"},
    "posfloat_or_none": {"2.0", "0.5", "int64(3)", "float32(0.5)", "1e-300", "2**63", "None"},
    "rates": {"2.0", "0.5", "int64(3)", "float32(0.5)", "1e-300", "2**63", "None", "list"},
    "unit_or_none": {"zero", "0.5", "float32(0.5)", "1e-300", "None"},
    "dtype": {"None"},                          # NumPy's default dtype, float64
    "pair": {"int64(3)", "2**63", "10**400", "list"},   # an int or a pair (not yet a size)
    "nonneg": {"zero", "int64(3)"},
    "seed": {"None", "zero", "int64(3)", "2**63", "10**400"},
    "posfloat": {"2.0", "0.5", "int64(3)", "float32(0.5)", "1e-300", "2**63"},
    "unit": {"zero", "0.5", "float32(0.5)", "1e-300"},                    # [0, 1]
    "open_unit": {"0.5", "float32(0.5)", "1e-300"},                       # (0, 1)
    "nonnegfloat": {"zero", "2.0", "0.5", "int64(3)", "float32(0.5)", "1e-300", "2**63"},
    "flag": {"True"},
    "none": {"None"},
    "name": set(),
    "index": {"zero"},                          # of a stack of two
}
"""Which labels of SCALARS each kind of argument takes."""

SCALAR_TARGETS = [
    # (surface, call with {v} for the value, argument name, kind, check on r)
    ("network", "Network({v})", "in_features", "count", "r.in_features == 3"),
    ("network", "Network(2, seed={v})", "seed", "seed", None),
    ("network", "Network(2, dtype={v})", "dtype", "dtype", None),
    ("network", "Network(2, init={v})", "init", "name", None),
    ("network", "Network(2).add_layer({v})", "units", "count", "r.out_features == 3"),
    ("network", "Network(2).add_layer(2, {v})", "activation", "name", None),
    ("network", "Network(2).add_layer(2, bias={v})", "bias", "flag", None),
    ("fit", "net().fit(X, y, epochs={v}, callback=lambda e, h: e == 3)", "epochs", "posint",
     "r.epochs == 3"),
    ("fit", "net().fit(X, y, epochs=2, lr={v})", "lr", "posfloat_or_none", None),
    ("fit", "net().fit(X, y, epochs=2, batch_size={v})", "batch_size", "posint_or_none", None),
    ("fit", "net().fit(X, y, epochs=2, batch_size=4, seed={v})", "seed", "seed", None),
    ("fit", "net().fit(X, y, epochs=2, log_every={v}, file=io.StringIO())", "log_every",
     "nonneg_any", None),
    ("fit", "net().fit(X, y, epochs=2, batch_size=4, shuffle={v})", "shuffle", "flag", None),
    ("fit", "net().fit(X, y, epochs=2, loss={v})", "loss", "name", None),
    ("fit", "net().fit(X, y, epochs=2, optimizer={v})", "optimizer", "none", None),
    ("fit", "net().fit(X, y, epochs=2, regularization='l2', reg_rate={v})", "reg_rate",
     "nonnegfloat", None),
    ("fit", "net().fit(X, y, epochs=2, regularization={v})", "regularization", "none", None),
    ("fit", "net().fit(X, y, epochs=2, callback={v})", "callback", "none", None),
    ("fit", "net().fit(X, y, epochs=2, file={v})", "file", "none", None),
    ("network", "net().predict_grid((0, 0), (1, 1), resolution={v})", "resolution", "count",
     "r[2].shape == (3, 3)"),
    ("data", "data.generate_linear(n={v})", "n", "count", "r[0].shape == (3, 2)"),
    ("data", "data.generate_linear(seed={v})", "seed", "seed", None),
    ("data", "data.generate_circle(noise={v})", "noise", "unit", None),
    ("data", "data.load('xor', n={v})", "n", "posint", "r[0].shape == (21, 2)"),
    ("data", "data.train_test_indices({v}, 0.5)", "n", "count", None),
    ("data", "data.train_test_indices(10, {v})", "test_ratio", "open_unit", None),
    ("optim", "optim.SGD(lr={v})", "lr", "posfloat", None),
    ("optim", "optim.Momentum(momentum={v})", "momentum", "posfloat", None),
    ("optim", "optim.Adam(eps={v})", "eps", "posfloat", None),
    ("optim", "optim.RMSprop(alpha={v})", "alpha", "unit", None),
    ("optim", "optim.Adagrad(lr_decay={v})", "lr_decay", "nonnegfloat", None),
    ("optim", "optim.SGD(lr=0.1, momentum=0.9, nesterov={v})", "nesterov", "flag", None),
    ("metrics", "metrics.accuracy(y, y, threshold={v})", "threshold", "unit", None),
    ("stack", "stack2().fit(X, y, epochs=2, lr={v})", "lr", "rates", None),
    ("stack", "stack2().fit(X, y, epochs={v}, stop_at=0.0)", "epochs", "posint",
     "r.loss.shape == (1, 2)"),
    ("stack", "stack2().fit(X, y, epochs=2, stop_at={v})", "stop_at", "unit_or_none", None),
    ("stack", "stack2().network({v})", "i", "index", None),
    ("stack", "stack2().fit(X, y, epochs=2).history({v})", "i", "index", None),
    ("gradcheck", "gradcheck.grad_check_network(net(), X, y, eps={v})", "eps", "posfloat",
     None),
    ("gradcheck", "gradcheck.grad_check_activation('tanh', [0.3], eps={v})", "eps",
     "posfloat", None),
    ("lab", "lab.lab_network(hidden_units={v})", "hidden_units", "count", None),
    ("lab", "lab.lab_network(hidden_layers={v})", "hidden_layers", "count", None),
    ("lab", "lab.test(net(), X, y, head={v}, file=io.StringIO())", "head", "posint_or_none",
     None),
    ("conv", "Conv2D(1, 2, {v})", "kernel_size", "pair", None),
    ("conv", "MaxPool2D({v})", "pool_size", "pair", None),
    ("losses", "losses.penalty('l1', {v})", "reg_rate", "nonnegfloat", None),
]

ARRAYS = {
    "list": "X.tolist()", "ragged": "[[1.0], [2.0, 3.0]]", "ints": "X.astype(int)",
    "bools": "X > 0.5", "float16": "X.astype(np.float16)", "float32": "X.astype(np.float32)",
    "complex": "X.astype(complex)", "objects": "X.astype(object)", "text": "X.astype(str)",
    "empty": "X[:0]", "1-D": "X[:, 0]", "3-D": "X[None]", "nan": "with_value(X, np.nan)",
    "inf": "with_value(X, np.inf)", "1e308": "with_value(X, 1e308)",
    "-1e308": "with_value(X, -1e308)", "1e200": "X * 1e200", "matrix": "matrix(X)",
    "masked": "np.ma.masked_invalid(with_value(X, np.nan))", "read-only": "read_only(X)",
    "fortran": "np.asfortranarray(X)", "strided": "np.repeat(X, 2, axis=1)[:, ::2]",
    "0-d": "np.array(0.5)", "scalar": "0.5", "None": "None", "text-scalar": "'X'",
}
"""Hostile arrays in place of X (21, 2), by label."""

FINE_ARRAYS = {"list", "ints", "float16", "float32", "1e200", "matrix", "read-only", "fortran",
               "strided"}
"""The labels above that are a valid X (real, finite, (21, 2)); the others must be refused
(1e308 and -1e308 may also be refused by a network whose output overflows)."""

ARRAY_TARGETS = [
    # (surface, call with {v} for the array, argument name, check on r): the valid arrays are
    # FINE_ARRAYS (a gradient check refuses inputs of 1e200 too: every gradient vanishes)
    ("network", "net().predict({v})", "X", "plain(r) and r.shape == (21, 1)"),
    ("network", "net().forward({v})", "X", "plain(r) and r.shape == (21, 1)"),
    ("network", "net().layer_outputs({v})", "X", "len(r) == 3 and plain(r[-1])"),
    ("network", "net().evaluate({v}, y)", "X", "0 <= r[1] <= 1"),
    ("network", "net().loss({v}, y)", "X", "np.isfinite(r)"),
    ("fit", "net().fit({v}, y, epochs=3)", "X", "r.epochs == 3"),
    ("fit", "net().fit({v}, y, epochs=3, batch_size=5, seed=0)", "X", "r.epochs == 3"),
    ("stack", "stack2().forward({v})", "X", "plain(r) and r.shape == (2, 21, 1)"),
    ("stack", "stack2().fit({v}, y, epochs=3)", "X", "r.loss.shape == (3, 2)"),
    ("gradcheck", "gradcheck.grad_check_network(net(), {v}, y)", "X",
     "max(r.values()) < 1e-6"),
]
EITHER_ARRAYS = {"1e308", "-1e308"}
"""Valid arrays whose outputs may overflow: a refusal that names X is as good as an answer."""

TARGET_ARRAYS = {
    "list": "y.tolist()", "ints": "y.astype(int)", "bools": "y > 0.5", "float32":
    "y.astype(np.float32)", "1-D": "y[:, 0]", "2 columns": "np.hstack([y, y])",
    "short": "y[:-1]", "nan": "with_value(y, np.nan)", "0.5": "y * 0 + 0.5",
    "2.0": "y * 2", "matrix": "matrix(y)", "masked": "np.ma.array(y, mask=y > 0)",
    "complex": "y.astype(complex)", "text": "y.astype(str)", "empty": "y[:0]",
}
"""Hostile targets in place of y (21, 1), by label."""

FINE_TARGETS = {"list", "ints", "float32", "matrix"}
"""The valid targets (bools are refused, as every array of bools is: y.astype(float) says it)."""

TARGET_TARGETS = [
    # (surface, call, argument, valid labels besides FINE_TARGETS, check on r): accuracy
    # needs class labels, a loss takes any finite targets (bce: in [0, 1])
    ("network", "net().evaluate(X, {v})", "y", set(), "0 <= r[1] <= 1"),
    ("network", "net().loss(X, {v})", "y", {"0.5", "2.0"}, "np.isfinite(r)"),
    ("fit", "net().fit(X, {v}, epochs=3)", "y", {"0.5", "2.0"}, "r.epochs == 3"),
    ("fit", "net().fit(X, {v}, epochs=3, loss='bce')", "y", {"0.5"}, "r.epochs == 3"),
    ("stack", "stack2().evaluate(X, {v})", "y", set(), "r[0].shape == (2,)"),
    ("metrics", "metrics.accuracy({v}, net().predict(X))", "y_true", set(), "0 <= r <= 1"),
]

ELEMENTWISE = {
    "0": "0", "1.5": "1.5", "True": "True", "[0, 1]": "[0, 1]", "arange": "np.arange(3)",
    "bools": "np.array([True, False])", "int8": "np.int8(-3)", "float16": "np.float16([1, -2])",
    "float32": "np.float32([1, -2])", "-1000": "np.array([-1000.0, 1000.0])",
    "1e308": "np.array([1e308, -1e308])", "nan": "np.array([np.nan])",
    "inf": "np.array([np.inf, -np.inf])", "empty": "np.array([])", "complex": "np.array([1j])",
    "text": "['a']", "None": "None", "matrix": "matrix([[0.5]])",
}
"""Inputs of an activation function, by label: every real input gives floats."""


def _scalar_cases() -> list[Case]:
    cases = []
    for surface, template, arg, kind, check in SCALAR_TARGETS:
        for label, expr in SCALARS.items():
            must = "return" if label in VALID[kind] else "raise"
            cases.append(Case(surface, f"{template.format(v='·')} with {arg}={label}",
                              f"r = {template.format(v=expr)}", (arg,), must,
                              check if must == "return" else None))
    return cases


def _array_cases() -> list[Case]:
    cases = []
    for surface, template, arg, check in ARRAY_TARGETS:
        for label, expr in ARRAYS.items():
            either = EITHER_ARRAYS | ({"1e200"} if "grad_check" in template else set())
            must = ("either" if label in either else
                    "return" if label in FINE_ARRAYS else "raise")
            cases.append(Case(surface, f"{template.format(v='·')} with {arg}={label}",
                              f"r = {template.format(v=expr)}", (arg, "net"), must,
                              check if must != "raise" else None,
                              ("DivergenceError",) if "fit" in template else ()))
    for surface, template, arg, extra, check in TARGET_TARGETS:
        for label, expr in TARGET_ARRAYS.items():
            fine = label in FINE_TARGETS | extra
            cases.append(Case(surface, f"{template.format(v='·')} with {arg}={label}",
                              f"r = {template.format(v=expr)}", (arg,),
                              "return" if fine else "raise", check if fine else None))
    for name in labnn.activations.BUILT_IN:
        for label, expr in ELEMENTWISE.items():
            bad = label in ("complex", "text", "None")
            cases.append(Case(
                "activations", f"{name} value and derivative of {label}",
                f"act = activations.get({name!r})\n"
                f"z = {expr}\nr = (act.value(z), act.derivative(z, act.value(z)))",
                ("z",), "raise" if bad else "return",
                None if bad else "all(np.asarray(v).dtype.kind == 'f' and np.shape(v) == "
                                 "np.shape(np.asarray(z)) for v in r)"))
    return cases


def _loss_cases() -> list[Case]:
    pairs = {
        "float64": ("P", "y", "return"), "float16": ("P.astype(np.float16)", "y", "raise"),
        "ints": ("P.astype(int)", "y", "raise"), "1e200": ("P * 1e200", "y", "raise"),
        "1e308 apart": ("P * 0 + 1e308", "y * 0 - 1e308", "raise"),
        "shape": ("P", "y[:-1]", "raise"), "nan": ("with_value(P, np.nan)", "y", "raise"),
        "list": ("P.tolist()", "y.tolist()", "return"), "matrix": ("matrix(P)", "y", "return"),
        "targets 1e300 for float32": ("P.astype(np.float32)", "y * 1e300", "raise"),
        "outside [0, 1] for bce": ("P * 2", "y", "either"),
    }
    cases = []
    for loss in ("mse", "bce"):
        for label, (yh, yy, must) in pairs.items():
            cases.append(Case("losses", f"{loss} on {label}", f"r = losses.{loss}({yh}, {yy})",
                              ("y_hat", "y"), must,
                              "np.isfinite(r[0]) and np.isfinite(r[1]).all()"))
    cases += [
        Case("losses", "softmax_ce of logits 2e308 apart, the right class",
             "r = losses.softmax_cross_entropy([[1e308, -1e308]], [[1.0, 0.0]])", ("y_hat", "y"),
             "return", "r[0] == 0.0"),
        Case("losses", "softmax_ce of logits 2e308 apart, the wrong class",
             "r = losses.softmax_cross_entropy([[1e308, -1e308]], [[0.0, 1.0]])",
             ("y_hat", "y"), "raise"),
        Case("losses", "softmax of huge logits", "r = losses.softmax([[1e308, -1e308, 0]])",
             ("z",), "return", "np.array_equal(r, [[1, 0, 0]])"),
        Case("losses", "softmax_ce of one column", "r = losses.softmax_cross_entropy(P, y)",
             ("y", "y_hat"), "raise"),
        Case("losses", "Penalty l3", "r = losses.Penalty('l3', 1.0)", ("regularization",),
             "raise"),
        Case("losses", "Penalty with a negative rate", "r = losses.Penalty('l2', -1.0)",
             ("reg_rate",), "raise"),
        Case("losses", "a rate without a penalty", "r = losses.penalty(None, 0.1)",
             ("reg_rate",), "raise"),
    ]
    return cases


def _special_cases() -> list[Case]:
    """The causes one by one, each as the user met it."""
    C = Case
    return [
        # an activation is the function, not its name
        C("identity", "a fake tanh trains with its own gradient",
          "fake = activations.ActivationFunction('tanh', np.sin, lambda z, a: np.cos(z))\n"
          "r = gradcheck.grad_check_network(Network(2, seed=0).add_layer(3, fake)"
          ".add_layer(1), X, y)", (), "return", "max(r.values()) < 1e-6"),
        C("identity", "a fake tanh is never saved as tanh",
          "fake = activations.ActivationFunction('tanh', np.sin, lambda z, a: np.cos(z))\n"
          "Network(2).add_layer(2, fake).save(TMP + '/fake.npz')", ("activation",), "raise"),
        C("identity", "an unregistered activation is never saved",
          "from labnn.lab.original import ORIGINAL_SIGMOID\n"
          "lab.lab_network(activation=ORIGINAL_SIGMOID).save(TMP + '/o.npz')",
          ("activation",), "raise"),
        C("identity", "a stack of two functions of one name",
          "fake = activations.ActivationFunction('tanh', np.sin, lambda z, a: np.cos(z))\n"
          "NetworkStack([Network(2).add_layer(1, fake), Network(2).add_layer(1, 'tanh')])",
          ("networks",), "raise"),
        C("identity", "stack.network(i) keeps the function",
          "from labnn.lab.original import ORIGINAL_SIGMOID\n"
          "s = NetworkStack([lab.lab_network(seed=0, activation=ORIGINAL_SIGMOID)])\n"
          "r = s.network(0).layers[0].activation", (), "return", "r is ORIGINAL_SIGMOID"),
        C("identity", "register over a built-in name",
          "activations.register(activations.ActivationFunction('relu', np.abs, "
          "lambda z, a: np.sign(z)), overwrite=True)", ("activation",), "raise"),
        C("identity", "a file saved before overwrite=True",
          "own = activations.register(activations.ActivationFunction('sq', np.square, "
          "lambda z, a: 2 * z))\nNetwork(2).add_layer(2, own).save(TMP + '/sq.npz')\n"
          "activations.register(activations.ActivationFunction('sq', np.abs, "
          "lambda z, a: np.sign(z)), overwrite=True)\nr = Network.load(TMP + '/sq.npz')",
          ("path",), "raise"),
        C("identity", "a user's own activation round-trips as itself",
          "own = activations.register(activations.ActivationFunction('sq', np.square, "
          "lambda z, a: 2 * z))\nNetwork(2).add_layer(2, own).save(TMP + '/sq2.npz')\n"
          "r = Network.load(TMP + '/sq2.npz').layers[0].activation", (), "return",
          "r is own"),
        C("identity", "register a name with spaces",
          "activations.register(activations.ActivationFunction(' sig ', np.tanh, "
          "lambda z, a: 1 - a * a))", ("name",), "raise"),
        C("identity", "an activation whose value is not a function",
          "activations.ActivationFunction('zzz', 3, 4)", ("value",), "raise"),
        C("identity", "register_layer over Dense",
          "register_layer(type('Dense', (Layer,), {}))", ("cls",), "raise"),
        # sizes
        C("sizes", "Flatten of (2**32,)*3", "Network((2**32, 2**32, 2**32)).add(Flatten())",
          ("in_features",), "raise"),
        C("sizes", "Network(10**15).add_layer(4)", "Network(10**15).add_layer(4)",
          ("in_features",), "raise"),
        C("sizes", "add_layer(10**12)", "Network(2).add_layer(10**12)", ("units",), "raise"),
        C("sizes", "Network(10**8).add_layer(4)", "Network(10**8).add_layer(4)", ("units",),
          "raise"),
        C("sizes", "Conv2D with 2**30 filters", "Network((3, 8, 8)).add(Conv2D(3, 2**30, 3))",
          ("out_channels",), "raise"),
        C("sizes", "a Conv2D output too large", "Network((1, 64, 64)).add(Conv2D(1, 2**17, 1))",
          ("layer",), "raise"),
        C("sizes", "predict_grid(resolution=100_000)",
          "net().predict_grid((0, 0), (1, 1), resolution=100_000)", ("resolution",), "raise"),
        C("sizes", "generate_linear(n=10**10)", "data.generate_linear(n=10**10)", ("n",),
          "raise"),
        C("sizes", "train_test_indices(10**11)", "data.train_test_indices(10**11, 0.5)", ("n",),
          "raise"),
        C("sizes", "stack fit of 10**8 epochs that stops at once",
          "r = NetworkStack([net() for _ in range(8)]).fit(X, y, epochs=10**8, stop_at=0.0)",
          (), "return", "r.loss.shape == (1, 8)"),
        # fit owns its run
        C("fit", "X that is a weight",
          "a, b = Network(2, seed=0).add_layer(2, 'tanh'), Network(2, seed=0).add_layer(2, "
          "'tanh')\nt = np.full((2, 2), 0.5)\na.fit(a.params[0], t, epochs=5)\n"
          "b.fit(b.params[0].copy(), t, epochs=5)\nr = (a, b)", (), "return",
          "all(np.array_equal(p, q) for p, q in zip(r[0].params, r[1].params))"),
        C("fit", "a callback adds a layer", "n = net()\n"
          "n.fit(X, y, epochs=3, callback=lambda e, h: n.add_layer(1))", ("network",), "raise",
          allow=("RuntimeError",)),
        C("fit", "a callback fits the same network", "n = net()\n"
          "n.fit(X, y, epochs=3, callback=lambda e, h: n.fit(X, y, epochs=1))", ("network",),
          "raise", allow=("RuntimeError",)),
        C("fit", "a callback returns an array",
          "net().fit(X, y, epochs=3, callback=lambda e, h: np.array([1, 0]))", ("callback",),
          "raise"),
        C("fit", "a callback raises KeyboardInterrupt, then fit again",
          "n = net()\ntry:\n    n.fit(X, y, epochs=5, callback=interrupt_at(2))\n"
          "except KeyboardInterrupt:\n    pass\nr = n.fit(X, y, epochs=2)", (), "return",
          "r.epochs == 2"),
        C("fit", "lr 1e300 on a linear output",
          "Network(2, seed=0).add_layer(1, 'linear').fit(X, y, epochs=1, lr=1e300)", (),
          "raise", allow=("DivergenceError",)),
        C("fit", "a stack's lr array", "net().fit(X, y, epochs=2, lr=np.array([1.0, 2.0]))",
          ("lr",), "raise"),
        C("fit", "Adam eps=0 on a dead unit",
          "net().fit(X, y, epochs=2, optimizer=optim.Adam(eps=0))", ("eps",), "raise"),
        C("fit", "one optimizer for two networks",
          "o = optim.Adam()\nnet().fit(X, y, epochs=2, optimizer=o)\n"
          "lab.lab_network(seed=1).fit(X, y, epochs=2, optimizer=o)", ("params",), "raise"),
        C("fit", "four threads fit one network", "r = threads_fit()", (), "return",
          "r in ('refused', 'sequential')"),
        C("fit", "train_step is gone", "r = hasattr(Network, 'train_step')", (), "return",
          "r is False"),
        C("network", "predict of a matrix", "r = net().predict(matrix(X))", (), "return",
          "plain(r)"),
        C("network", "only a linear activation", "r = Network(2).add(Activation('linear'))"
          ".predict(X)", (), "return", "not np.shares_memory(r, X)"),
        C("network", "only exp overflowing, no parameters",
          "Network(1).add(Activation(activations.ActivationFunction('e', np.exp, "
          "lambda z, a: a))).predict([[1e3]])", ("X",), "raise"),
        C("network", "loss that overflows", "Network(1, seed=0).add_layer(1, 'linear')"
          ".loss([[1e200]], [[0.0]])", ("X", "y"), "raise"),
        C("network", "predict_grid over the whole float range",
          "net().predict_grid((-1e308, -1e308), (1e308, 1e308))", ("lo", "hi"), "raise"),
        C("network", "backward before forward", "net().backward(np.ones((21, 1)))",
          ("dout",), "raise"),
        C("network", "backward of a huge dout", "n = Network(2, seed=0).add_layer(4, 'tanh')"
          ".add_layer(1, 'linear')\nn.params[2][...] = 1e300\nn.forward(X)\n"
          "n.backward(np.full((21, 1), 1e300))", ("dout",), "raise"),
        C("network", "evaluate regression targets", "net().evaluate(X, y * 3.3)", ("y",),
          "raise"),
        C("network", "add the same layer twice", "d = Dense(2)\nNetwork(2).add(d)\n"
          "Network(2).add(d)", ("layer",), "raise"),
        C("network", "add something that is not a layer", "Network(2).add('Dense')", ("layer",),
          "raise"),
        C("network", "a network without layers", "Network(2).predict(X)", ("network",),
          "raise"),
        # stacks
        C("stack", "history(5)", "stack2().fit(X, y, epochs=2).history(5)", ("i",), "raise"),
        C("stack", "history(-1)", "stack2().fit(X, y, epochs=2).history(-1)", ("i",), "raise"),
        C("stack", "a stack without a Dense layer",
          "NetworkStack([Network(2).add(Activation('relu'))])", ("networks",), "raise"),
        C("stack", "lr [True, True]", "stack2().fit(X, y, epochs=2, lr=[True, True])",
          ("lr",), "raise"),
        C("stack", "lr np.int64(1)", "r = stack2().fit(X, y, epochs=2, lr=np.int64(1))", (),
          "return", "r.epochs_run.tolist() == [2, 2]"),
        C("stack", "evaluate on 0.5 targets", "stack2().evaluate(X, y * 0 + 0.5)", ("y",),
          "raise"),
        C("stack", "forward of a wrong shape", "stack2().forward(np.ones((3, 5)))", ("X",),
          "raise"),
        C("stack", "backward of a wrong shape", "s = stack2()\ns.forward(X)\n"
          "s.backward(np.ones((2, 3, 1)))", ("dout",), "raise"),
        C("stack", "equal to fit", "r = stack_equals_fit()", (), "return", "r"),
        C("stack", "a last update whose loss overflows",
          "r = NetworkStack([Network(2, seed=s).add_layer(1, 'linear') for s in range(2)])"
          ".fit(X, y, epochs=1, lr=[0.1, 1e300])", (), "return",
          "r.diverged_at.tolist() == [0, 2]"),
        # optimizers
        C("optim", "a read-only parameter", "optim.SGD().step([read_only(np.ones(2))], "
          "[np.ones(2)])", ("params",), "raise"),
        C("optim", "an int parameter", "optim.SGD().step([np.ones(2, int)], [np.ones(2)])",
          ("params",), "raise"),
        C("optim", "grads of another shape", "optim.SGD().step([np.ones(2)], [np.ones(3)])",
          ("grads",), "raise"),
        C("optim", "grads that are lists", "optim.SGD().step([np.ones(2)], [[1.0, 1.0]])",
          ("params", "grads"), "raise"),
        C("optim", "Momentum(momentum=np.float32(0))", "optim.Momentum(momentum=np.float32(0))",
          ("momentum",), "raise"),
        C("optim", "betas of one value", "optim.Adam(betas=(0.9,))", ("betas",), "raise"),
        C("optim", "an unknown name", "optim.make('lbfgs')", ("optimizer",), "raise"),
        # metrics and gradient checks
        C("metrics", "labels outside the columns",
          "metrics.accuracy(np.array([5, 7]), np.array([[0.9, 0.1], [0.2, 0.8]]))",
          ("y_true",), "raise"),
        C("metrics", "label 0.5 for two columns",
          "metrics.accuracy(np.array([0.5, 1]), np.array([[0.9, 0.1], [0.2, 0.8]]))",
          ("y_true",), "raise"),
        C("gradcheck", "numerical_gradient of a list",
          "gradcheck.numerical_gradient(lambda: 0.0, [1.0, 2.0])", ("x",), "raise"),
        C("gradcheck", "numerical_gradient of a read-only x",
          "gradcheck.numerical_gradient(lambda: 0.0, read_only(np.ones(2)))", ("x",), "raise"),
        C("gradcheck", "numerical_gradient of an f returning an array",
          "gradcheck.numerical_gradient(lambda: np.ones(2), np.ones(2))", ("f",), "raise"),
        C("gradcheck", "relative_error of complex numbers", "gradcheck.relative_error(1+1j, 1)",
          ("analytic",), "raise"),
        C("gradcheck", "relative_error at the largest floats",
          "r = gradcheck.relative_error([1e308], [-1e308])", (), "return", "r == 1.0"),
        C("gradcheck", "a bce check within eps of 0",
          "gradcheck.grad_check_loss('bce', [[1e-13]], [[1.0]])", ("eps",), "raise"),
        C("gradcheck", "a check whose loss overflows",
          "gradcheck.grad_check_network(Network(1, seed=0).add_layer(1, 'linear'), [[1e200]], "
          "[[0.0]])", ("y", "X"), "raise"),
        C("gradcheck", "a float32 network", "gradcheck.grad_check_network(lab.lab_network("
          "dtype=np.float32), X, y)", ("net",), "raise"),
        # files, the lab and the rest
        C("lab", "a closed stream", "f = io.StringIO()\nf.close()\nlab.test(net(), X, y, file=f)",
          ("file",), "raise"),
        C("lab", "a binary stream", "lab.test(net(), X, y, file=io.BytesIO())", ("file",),
          "raise"),
        C("lab", "original_step", "r = lab.original.original_step(net(), X, y, lr=1.0)", (),
          "return", "np.isfinite(r)"),
        C("data", "load('xor', n=-5)", "data.load('xor', n=-5)", ("n",), "raise"),
        C("data", "an unknown data set", "data.load('moons')", ("dataset",), "raise"),
    ]


def _file_cases() -> list[Case]:
    C = Case
    cases = [
        C("saving", "load a FIFO", "Network.load(FIFO)", ("path",), "raise"),
        C("saving", "load /dev/zero", "Network.load('/dev/zero')", ("path",), "raise"),
        C("saving", "load a folder", "Network.load(TMP)", ("path",), "raise"),
        C("saving", "load a missing file", "Network.load(TMP + '/nope.npz')", ("path",),
          "raise"),
        C("saving", "load an empty file", "open(TMP + '/e', 'w').close()\n"
          "Network.load(TMP + '/e')", ("path",), "raise"),
        C("saving", "load a symlink loop", "os.symlink(TMP + '/l1', TMP + '/l2')\n"
          "os.symlink(TMP + '/l2', TMP + '/l1')\nNetwork.load(TMP + '/l1')", ("path",),
          "raise"),
        C("saving", "load a path that is a number", "Network.load(3)", ("path",), "raise"),
        C("saving", "load None", "Network.load(None)", ("path",), "raise"),
        C("saving", "load a path with NUL", "Network.load('a\\0b')", ("path",), "raise"),
        C("saving", "load a pickle", "np.save(TMP + '/p.npy', np.array([{}], object), "
          "allow_pickle=True)\nNetwork.load(TMP + '/p.npy')", ("path",), "raise"),
        C("saving", "load random bytes", "Network.load(_copy(os.urandom(5000)))", ("path",),
          "raise"),
        C("saving", "load a zip of 300,000 members", "r = many_members(300_000)", (),
          "return", "r < 2000"),
        C("saving", "version needed to extract 9.9", "Network.load(version_needed(99))",
          ("path",), "raise"),
        C("saving", "round trip bit for bit", "n = net()\nn.save(TMP + '/rt.npz')\n"
          "r = Network.load(TMP + '/rt.npz')", (), "return", "same_params(r, net())"),
        C("saving", "save into a folder that does not exist",
          "net().save(TMP + '/no/such/x.npz')", ("path",), "raise"),
        C("saving", "save over a folder", "net().save(TMP)", ("path",), "raise"),
        C("saving", "save to /dev/null", "net().save('/dev/null')", ("path",), "raise"),
        C("saving", "save a network without layers", "Network(2).save(TMP + '/x.npz')",
          ("network",), "raise"),
        C("saving", "save NaN weights", "n = net()\nn.params[0][0, 0] = np.nan\n"
          "n.save(TMP + '/x.npz')", ("network",), "raise"),
        C("saving", "save something that is not a network", "saving.save('net', TMP + '/x')",
          ("net",), "raise"),
        C("saving", "save metadata over load's limit",
          "saving._MAX_METADATA_BYTES = 200\nnet().save(TMP + '/x.npz')", ("network",),
          "raise"),
    ]
    for cut in (0, 1, 3, 4, 30, 100, 1000, -100, -22, -1):
        cases.append(C("saving", f"load a file cut at {cut} bytes",
                       f"Network.load(cut_copy({cut}))", ("path",), "raise"))
    rng = random.Random(20)
    for k in range(60):
        flips = [(rng.random(), rng.randrange(1, 256)) for _ in range(rng.randint(1, 3))]
        cases.append(C("saving", f"load a file with {len(flips)} bytes changed (fuzz {k})",
                       f"r = load_or_refuse(flipped_copy({flips!r}))", (), "return",
                       "r == 'refused' or same_params(r, net())"))
    return cases


STUDENT_VARIANTS = {
    # label: (statements that change the correct student's functions or arguments, must)
    "correct": ("", "return"),
    "backward raises": ("def backward(p, X, y):\n    raise KeyError('oops')", "raise"),
    "backward returns too few": ("def backward(p, X, y):\n    return student_backward(p, X, y)"
                                 "[:2]", "raise"),
    "backward returns NaN": ("def backward(p, X, y):\n    return [g * np.nan for g in "
                             "student_backward(p, X, y)]", "raise"),
    "backward returns lists": ("def backward(p, X, y):\n    return [g.tolist() for g in "
                               "student_backward(p, X, y)]", "either"),
    "backward changes params": ("def backward(p, X, y):\n    p[0] += 1\n    return "
                                "student_backward(p, X, y)", "raise"),
    "forward returns a list": ("def forward(p, X):\n    return student_forward(p, X).tolist()",
                               "either"),
    "forward returns the wrong shape": ("def forward(p, X):\n    return student_forward(p, X)"
                                        ".ravel()", "raise"),
    "forward overflows": ("def forward(p, X):\n    return np.exp(1000 + student_forward(p, "
                          "X))", "either"),
    "forward hangs for a while": ("import time\ndef forward(p, X):\n    time.sleep(0.2)\n"
                                  "    return student_forward(p, X)", "either"),
    "params of ints": ("params = [p.astype(int) for p in params]", "raise"),
    "params with NaN": ("params[0] = with_value(params[0], np.nan)", "raise"),
    "params a tuple": ("params = tuple(params)", "either"),
    "params empty": ("params = []", "raise"),
    "X with NaN": ("SX = with_value(X, np.nan)", "raise"),
    "X as a list": ("SX = X.tolist()", "either"),
    "y of one row too few": ("Sy = y[:-1]", "raise"),
    "loss returns an array": ("loss = lambda y_hat, y: (y_hat - y) ** 2", "raise"),
    "loss returns text": ("loss = lambda y_hat, y: 'small'", "raise"),
    "loss is not callable": ("loss = 3", "raise"),
    "forward takes one argument": ("forward = lambda p: p", "raise"),
    "layout 'diagonal'": ("layout = 'diagonal'", "raise"),
    "layout columns for rows": ("layout = 'columns'", "raise"),
    "step returns None": ("step = lambda p, X, y, lr: None", "raise"),
    "step is gradient descent": ("step = lambda p, X, y, lr: [q - lr * g for q, g in zip(p, "
                                 "student_backward(p, X, y))]", "return"),
    "lr True": ("step = lambda p, X, y, lr: p\nlr = True", "raise"),
    "activations of an unknown name": ("activations = ['sigmoid', 'swish']", "raise"),
    "activations too few": ("activations = ['sigmoid']", "raise"),
}


def _student_cases() -> list[Case]:
    """labnn.check.check_backprop on a small correct student network (samples as rows,
    sigmoid layers, the lab's mse), changed one way at a time."""
    cases = []
    for label, (change, must) in STUDENT_VARIANTS.items():
        code = ("forward, backward, params, SX, Sy = student_forward, student_backward, "
                "student_params(), X, y\nloss = layout = step = activations = None\nlr = 1.0\n"
                f"{change}\n"
                "r = check_backprop(forward, backward, params, SX, Sy, loss=loss, layout=layout,"
                " step=step, lr=lr, activations=activations)")
        check = "'pass' in str(r) and r.gradients_pass" if label in (
            "correct", "step is gradient descent") else "isinstance(str(r), str)"
        cases.append(Case("check", f"check_backprop: {label}", code,
                          ("forward", "backward", "params", "X", "y", "loss", "layout", "step",
                           "lr", "activations"), must, check,
                          ("KeyError",) if label == "backward raises" else ()))
    return cases


def _report_cases() -> list[Case]:
    R = "from labnn.report.experiments import RunConfig, run\n"
    C = Case
    cases = []
    for field, values, valid in [
            ("lr", ["True", "np.float32(0.5)", "np.int64(1)", "-1.0", "float('nan')", "'1'",
                    "10**400"], {"np.float32(0.5)", "np.int64(1)"}),
            ("seed", ["-1", "1.5", "True", "np.int64(3)", "None"], {"np.int64(3)"}),
            ("epochs", ["0", "2.0", "True", "np.int64(3)"], {"np.int64(3)"}),
            ("hidden_units", ["0", "'4'", "10**12", "np.int64(3)"], {"np.int64(3)"}),
            ("dataset", ["'moons'", "None", "3"], set()),
            ("activation", ["'swish'", "None", "3", "'tanh'"], {"'tanh'"}),
            ("optimizer", ["'lbfgs'", "3", "'adam'"], {"'adam'"}),
            ("loss", ["'hinge'", "None", "'bce'"], {"'bce'"}),
            ("batch_size", ["0", "True", "5"], {"5"}),
            ("update", ["'sideways'", "'original_order'"], {"'original_order'"}),
            ("init", ["'glorot'", "'he'"], {"'he'"}),
            ("output", ["'swish'", "'linear'"], {"'linear'"}),
            ("until_100", ["'yes'", "1", "True"], {"True"})]:
        for value in values:
            args = f"{field}={value}" if field == "epochs" else f"epochs=3, {field}={value}"
            cases.append(C("report", f"RunConfig({field}={value}) run for 3 epochs",
                           f"{R}r = run(RunConfig({args}))", (field,),
                           "return" if value in valid else "raise"))
    cases += [
        C("report", "set_nudge(True)", "labnn.init.set_nudge(True)", ("ulps",), "raise"),
        C("report", "set_nudge(10**6)", "labnn.init.set_nudge(10**6)", ("ulps",), "raise"),
        C("report", "wilson_interval(3, 0)", "from labnn.report.experiments import "
          "wilson_interval\nr = wilson_interval(3, 0)", ("n", "k"), "raise"),
        C("report", "wilson_interval(5, 3)", "from labnn.report.experiments import "
          "wilson_interval\nr = wilson_interval(5, 3)", ("k",), "raise"),
    ]
    return cases


def _more_network_cases() -> list[Case]:
    """A float32 network, a conv network and per-network data in a stack, with the hostile
    arrays that matter to each."""
    C = Case
    conv = ("cnet = Network((1, 5, 5), seed=0).add(Conv2D(1, 2, 3)).add(Activation('relu'))"
            ".add(MaxPool2D(2, stride=1)).add(Flatten()).add(Dense(2, 'linear'))\n"
            "I = np.random.default_rng(0).random((6, 1, 5, 5))\nT = np.eye(2)[[0, 1] * 3]\n")
    cases = []
    for label, expr, must in [
            ("images", "I", "return"), ("3-D images", "I[:, 0]", "raise"),
            ("NaN", "with_value(I, np.nan)", "raise"), ("1e308", "I * 1e308", "either"),
            ("channels 2", "np.concatenate([I, I], axis=1)", "raise"),
            ("a list", "I.tolist()", "return"), ("float32", "I.astype(np.float32)", "return")]:
        cases.append(C("conv", f"conv predict of {label}", conv + f"r = cnet.predict({expr})",
                       ("X",), must, "plain(r) and r.shape == (6, 2)"))
        cases.append(C("conv", f"conv fit on {label}", conv + f"r = cnet.fit({expr}, T, "
                       "epochs=2, loss='softmax_ce', optimizer='adam')", ("X",), must,
                       "r.epochs == 2", ("DivergenceError",)))
    for label, expr, must in [
            ("1e39", "with_value(X, 1e39)", "raise"), ("1e30", "X * 1e30", "either"),
            ("float64", "X", "return"), ("float16", "X.astype(np.float16)", "return")]:
        for call in ("predict({v})", "fit({v}, y, epochs=3)", "evaluate({v}, y)"):
            cases.append(C("float32", f"float32 network {call.split('(')[0]} of {label}",
                           f"n32 = lab.lab_network(seed=0, dtype=np.float32)\n"
                           f"r = n32.{call.format(v=expr)}", ("X",), must, None,
                           ("DivergenceError",)))
    own = "XS, yS = np.stack([X, X[::-1]]), np.stack([y, y[::-1]])\n"
    for label, code, must in [
            ("own data", "r = stack2().fit(XS, yS, epochs=3)", "return"),
            ("own data for 3 networks", "r = stack2().fit(np.stack([X] * 3), y, epochs=3)",
             "raise"),
            ("own targets of another length", "r = stack2().fit(XS, yS[:, :-1], epochs=3)",
             "raise"),
            ("own data with NaN", "r = stack2().fit(with_value(XS, np.nan), yS, epochs=3)",
             "raise"),
            ("own data, mini-batches, two seeds", "r = stack2().fit(XS, yS, epochs=3, "
             "batch_size=4, seed=[1, 2])", "return"),
            ("three seeds for two networks", "r = stack2().fit(X, y, epochs=3, batch_size=4, "
             "seed=[1, 2, 3])", "raise"),
            ("a seed of -1", "r = stack2().fit(X, y, epochs=3, batch_size=4, seed=[1, -1])",
             "raise"),
            ("an update that is not callable", "r = stack2().fit(X, y, epochs=3, update=3)",
             "raise"),
            ("the original update", "r = stack2().fit(X, y, epochs=3, update=labnn.lab."
             "original.original_update)", "return"),
            ("an optimizer instance", "r = stack2().fit(X, y, epochs=3, optimizer=optim.SGD())",
             "raise")]:
        cases.append(C("stack", f"stack fit with {label}", own + code,
                       ("X", "y", "seed", "update", "optimizer"), must,
                       "r.loss.shape == (3, 2)"))
    return cases


def all_cases() -> list[Case]:
    return (_scalar_cases() + _array_cases() + _loss_cases() + _special_cases()
            + _file_cases() + _student_cases() + _report_cases() + _more_network_cases())


# ---------------------------------------------------------------------------- the child
HELPERS = '''
import io, os, threading
import numpy as np
import labnn
from labnn import (Activation, Conv2D, Dense, Flatten, Layer, MaxPool2D, Network, NetworkStack,
                   activations, data, gradcheck, lab, losses, metrics, optim, register_layer,
                   saving)
import labnn.lab.original
X, y = data.generate_xor_easy()
P = np.clip(X[:, :1] * 0.8 + 0.1, 0, 1)


def net():
    return lab.lab_network(seed=0)


from labnn.check import check_backprop


def student_params():
    rng = np.random.default_rng(0)
    return [rng.normal(size=(2, 3)), np.zeros(3), rng.normal(size=(3, 1)), np.zeros(1)]


def _sig(z):
    return 1 / (1 + np.exp(-z))


def student_forward(p, X):
    return _sig(_sig(X @ p[0] + p[1]) @ p[2] + p[3])


def student_backward(p, X, y):
    h = _sig(X @ p[0] + p[1])
    out = _sig(h @ p[2] + p[3])
    dz2 = 2 * (out - y) / out.size * out * (1 - out)
    dz1 = dz2 @ p[2].T * h * (1 - h)
    return [X.T @ dz1, dz1.sum(0), h.T @ dz2, dz2.sum(0)]


def stack2():
    return NetworkStack([lab.lab_network(seed=0), lab.lab_network(seed=1)])


def with_value(a, value):
    a = a.copy()
    a.flat[0] = value
    return a


def read_only(a):
    a = np.array(a)
    a.flags.writeable = False
    return a


def matrix(a):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        return np.matrix(a)


def plain(a):
    return type(a) is np.ndarray and a.dtype.kind == "f" and np.isfinite(a).all()


def same_params(a, b):
    return all(np.array_equal(p, q) for p, q in zip(a.params, b.params, strict=True))


def interrupt_at(k):
    def callback(epoch, history):
        if epoch == k:
            raise KeyboardInterrupt
    return callback


def threads_fit():
    n, errors = net(), []

    def run():
        try:
            n.fit(X, y, epochs=300)
        except RuntimeError as exc:
            errors.append(exc)
    ts = [threading.Thread(target=run) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    alone = net()
    for _ in range(4 - len(errors)):
        alone.fit(X, y, epochs=300)
    if not same_params(n, alone):
        return "different"
    return "refused" if errors else "sequential"


def stack_equals_fit():
    h = stack2().fit(X, y, epochs=50, optimizer="adam", lr=[0.01, 0.02], batch_size=5, seed=3)
    for i, lr in enumerate([0.01, 0.02]):
        single = lab.lab_network(seed=i).fit(X, y, epochs=50, optimizer="adam", lr=lr,
                                             batch_size=5, seed=3)
        if single.loss != h.history(i).loss:
            return False
    return True


def load_or_refuse(path):
    try:
        return Network.load(path)
    except ValueError as exc:
        assert str(exc).startswith("path: "), exc
        return "refused"


def _copy(raw):
    path = TMP + "/copy.npz"
    with open(path, "wb") as fh:
        fh.write(raw)
    return path


def _good():
    with open(GOOD, "rb") as fh:
        return fh.read()


def cut_copy(n):
    return _copy(_good()[:n])


def flipped_copy(flips):
    raw = bytearray(_good())
    for where, xor in flips:
        raw[int(where * len(raw))] ^= xor
    return _copy(bytes(raw))


def version_needed(version):
    raw = bytearray(_good())
    at = raw.find(b"PK\\x01\\x02")
    while at >= 0:
        raw[at + 6:at + 8] = version.to_bytes(2, "little")
        at = raw.find(b"PK\\x01\\x02", at + 4)
    return _copy(bytes(raw))


def many_members(count):
    import zipfile
    path = TMP + "/many.npz"
    with zipfile.ZipFile(path, "w") as zf:
        for name in ("format", "input_shape"):
            zf.writestr(name + ".npy", b"")
        for i in range(count):
            zf.writestr(f"junk{i}.npy", b"")
    try:
        Network.load(path)
    except ValueError as exc:
        return len(str(exc))
    return 10**9
'''


def _child(case: Case, tmp: str, good: str, fifo: str, budget_bytes: int, out) -> None:
    """Run ``case`` here (a forked child), then write its outcome as one line of JSON."""
    limit = _address_space() + budget_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    np.seterr(all="warn", under="ignore")          # NumPy's defaults, whatever the caller's
    outcome = {"kind": "returned", "warnings": []}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ns = {"__name__": "__sweep__", "TMP": tmp, "GOOD": good, "FIFO": fifo}
        try:
            exec(HELPERS, ns)
            exec(case.code, ns)
            if case.check is not None and "r" in ns:
                try:
                    outcome["check"] = bool(eval(case.check, ns))
                except Exception as exc:          # the answer is not what it should be
                    outcome["check"] = False
                    outcome["check_error"] = f"{type(exc).__name__}: {exc}"[:300]
        except BaseException as exc:              # noqa: BLE001 - every outcome is recorded
            outcome.update(kind="raised", type=type(exc).__name__, message=str(exc)[:2000],
                           where=traceback.format_exc(limit=-2)[-600:])
    outcome["warnings"] = [f"{w.category.__name__}: {w.message}"[:200] for w in caught]
    out.write(json.dumps(outcome) + "\n")
    out.flush()


def _address_space() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def run_case(case: Case, tmp: str, good: str, fifo: str, timeout: float,
             budget_bytes: int) -> dict:
    """The outcome of ``case`` in a forked child with the limits."""
    read_fd, write_fd = os.pipe()
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:                                   # the child
        os.close(read_fd)
        code = 0
        try:
            with os.fdopen(write_fd, "w") as out:
                _child(case, tmp, good, fifo, budget_bytes, out)
        except BaseException:                      # noqa: BLE001
            code = 1
        os._exit(code)
    os.close(write_fd)
    chunks, deadline = [], start + timeout
    with os.fdopen(read_fd, "rb") as inp:
        while True:
            left = deadline - time.perf_counter()
            if left <= 0 or not select.select([inp], [], [], left)[0]:
                os.kill(pid, signal.SIGKILL)       # the child this call started
                os.waitpid(pid, 0)
                return {"kind": "timeout", "seconds": timeout, "warnings": []}
            chunk = inp.read1(65536)
            if not chunk:
                break
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    text = b"".join(chunks).decode(errors="replace").strip()
    if not text:
        return {"kind": "crashed", "status": status, "warnings": []}
    outcome = json.loads(text.splitlines()[-1])
    outcome["seconds"] = round(time.perf_counter() - start, 3)
    return outcome


# ---------------------------------------------------------------------------- the verdict
def _named(message: str) -> list[str] | None:
    """The arguments a message starts with ("lr: expected ..." -> ["lr"], "lo, hi: ..." ->
    ["lo", "hi"], "params[0] (W1): ..." -> ["params"]), or None."""
    head, sep, _ = message.partition(": ")
    names = [re.match(r"[A-Za-z_][A-Za-z0-9_]*", part.strip()) for part in
             re.split(r"[,/]", head)]
    if not sep or len(head) > 40 or not all(names):
        return None
    return [m.group() for m in names]


def classify(case: Case, outcome: dict) -> tuple[str, str]:
    """(verdict, why): ok, weak or bug (see the module docstring)."""
    kind = outcome["kind"]
    if kind == "timeout":
        return "bug", f"hangs (over {outcome['seconds']} s)"
    if kind == "crashed":
        return "bug", f"the process died (status {outcome['status']})"
    warned = outcome.get("warnings") or []
    if kind == "raised":
        etype, message = outcome["type"], outcome["message"]
        if etype == "MemoryError":
            return "bug", "MemoryError"
        if etype not in ("ValueError", *case.allow):
            return "bug", f"internal traceback: {etype}: {message[:160]}"
        if case.must == "return":
            return "bug", f"a valid input refused: {etype}: {message[:160]}"
        if len(message) > 2000 - 1:
            verdict, why = "weak", "a message of 2000 characters or more"
        elif etype != "ValueError":                # DivergenceError, or what the case allows
            verdict, why = "ok", f"{etype}: {message[:100]}"
        else:
            named = _named(message)
            if named is None:
                verdict, why = "weak", f"the message names no argument: {message[:120]}"
            elif case.names and not set(named) & set(case.names):
                verdict, why = "weak", f"names {', '.join(named)}, not {'/'.join(case.names)}"
            else:
                verdict, why = "ok", message[:100]
    else:
        if outcome.get("check") is False:
            return "bug", ("a wrong answer: the check " + repr(case.check) + " fails "
                           + outcome.get("check_error", ""))
        if case.must == "raise":
            verdict, why = "weak", "bad input accepted"
        else:
            verdict, why = "ok", "returned"
    if warned:
        return ("weak" if verdict == "ok" else verdict), f"{why}; warned: {warned[0]}"
    return verdict, why


# ---------------------------------------------------------------------------- main
def _fixtures(tmp: str) -> tuple[str, str]:
    good = os.path.join(tmp, "good.npz")
    labnn.lab.lab_network(seed=0).save(good)
    fifo = os.path.join(tmp, "fifo")
    os.mkfifo(fifo)
    return good, fifo


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--surface", help="only the cases of these surfaces (comma-separated)")
    parser.add_argument("--show", default="weak,bug",
                        help="verdicts whose cases are listed (default: weak,bug)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per case")
    parser.add_argument("--memory-mb", type=int, default=1536,
                        help="address space a case may add to the parent's")
    parser.add_argument("--json", type=Path, help="write every case's outcome here")
    parser.add_argument("--list", action="store_true", help="list the cases, run nothing")
    args = parser.parse_args(argv)
    cases = all_cases()
    if args.surface:
        wanted = set(args.surface.split(","))
        cases = [c for c in cases if c.surface in wanted]
    if args.list:
        for c in cases:
            print(f"{c.surface:<12} {c.must:<7} {c.name}")
        print(f"{len(cases)} cases")
        return 0
    show = set(args.show.split(",")) if args.show else set()
    counts: dict = collections.defaultdict(collections.Counter)
    records = []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="labnn-sweep-") as tmp:
        good, fifo = _fixtures(tmp)
        for case in cases:
            outcome = run_case(case, tmp, good, fifo, args.timeout, args.memory_mb << 20)
            verdict, why = classify(case, outcome)
            counts[case.surface][verdict] += 1
            records.append({"surface": case.surface, "case": case.name, "verdict": verdict,
                            "why": why, "outcome": outcome})
            if verdict in show:
                print(f"{verdict.upper():<5} {case.surface:<12} {case.name}\n      {why}",
                      flush=True)
    total = collections.Counter()
    print(f"\n{'surface':<12} {'ok':>5} {'weak':>5} {'bug':>5}")
    for surface in sorted(counts):
        c = counts[surface]
        total.update(c)
        print(f"{surface:<12} {c['ok']:>5} {c['weak']:>5} {c['bug']:>5}")
    print(f"{'total':<12} {total['ok']:>5} {total['weak']:>5} {total['bug']:>5}   "
          f"({len(cases)} cases, {time.perf_counter() - start:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(records, indent=1))
    return 1 if total["weak"] or total["bug"] else 0


if __name__ == "__main__":
    sys.exit(main())
