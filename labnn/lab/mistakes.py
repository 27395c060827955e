"""The classic mistakes of a hand-written backward pass, reproduced so that a student's gradient
can be compared with each of them (``labnn.lab.check`` does).

Each mistake is a small change to the textbook backward pass of a dense network (samples as
rows, W (fan_in, fan_out), z = x @ W + b, a = f(z)), here in ``backward``::

    dz = da * f'(z)       "derivative evaluated at the activation": da * f'(a)
                          "activation derivative missing":          da
    dW = x.T @ dz
    db = dz.sum(axis=0)   "bias gradient not summed over the batch": dz, one row per sample
    da = dz @ W.T         "weights transposed in the propagation":   dz @ W (a square W)

plus a factor on the loss's gradient dL/dy_hat, and so on every gradient (``Scale``): "wrong
sign", "gradient scaled by N" (a sum over the N samples where the loss takes their mean),
"by 1/N", "by 2", "by 1/2" (the 2 of the square dropped, as if the loss had a 1/2). The update
order, the original report's second error, is ``labnn.lab.original``'s.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from ..activations import ActivationFunction

DERIVATIVES = ("z", "activation", "missing")
"""Where a layer's backward pass evaluates f': at z (right), at the activation a = f(z), or
not at all."""
UPDATE_FIRST = "W updated before propagating through it"
"""The original report's second error, in a step (``labnn.lab.original``)."""


@dataclass(frozen=True)
class Mistake:
    """A mistake by name, where it is (e.g. "layers 1, 2, 3"; "" when everywhere) and what to
    change."""

    name: str
    fix: str
    where: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.where})" if self.where else self.name


def _layers(ks) -> str:
    return ("layer " if len(ks) == 1 else "layers ") + ", ".join(str(k) for k in ks)


def _fixes(layout: str) -> dict[str, str]:
    """What to change, in the student's own layout ("rows" or "columns")."""
    rows = layout == "rows"
    return {
        "derivative evaluated at the activation":
            "evaluate f' at z, where f'(z) written with a = f(z) is a * (1 - a) for a sigmoid "
            "(1 - a**2 for tanh); sigmoid(a) * (1 - sigmoid(a)) is f' evaluated at a",
        "activation derivative missing":
            "multiply the incoming gradient by the activation's derivative: dz = da * f'(z)",
        "weights transposed in the propagation":
            "propagate through the transpose: " + ("da = dz @ W.T" if rows else "da = W.T @ dz"),
        "bias gradient not summed over the batch":
            "sum over the samples: " + ("db = dz.sum(axis=0)" if rows
                                        else "db = dz.sum(axis=1, keepdims=True)"),
        "wrong sign":
            "the gradient points uphill: dL/dy_hat has y_hat - y, not y - y_hat",
        "gradient scaled by N":
            "divide by N, the number of samples: the loss is a mean over them, so is its "
            "gradient",
        "gradient scaled by 1/N": "divide by N only once",
        "gradient scaled by 2":
            "drop a factor 2: the derivative of (y_hat - y)**2 is 2 (y_hat - y), and of a loss "
            "with 1/2 in front, y_hat - y",
        "gradient scaled by 1/2":
            "keep the 2 of the square: the derivative of (y_hat - y)**2 is 2 (y_hat - y) (a "
            "loss with a 1/2 in front would need no 2)",
        UPDATE_FIRST:
            "compute every layer's gradient first, with the weights of the forward pass, then "
            "update all the parameters",
    }


def mistake(name: str, layout: str, where: str = "") -> Mistake:
    """The Mistake of that name with its fix written for ``layout``."""
    return Mistake(name, _fixes(layout)[name], where)


@dataclass(frozen=True)
class Scale:
    """The factor sign * 2**twos * N**ns on every gradient (the loss's gradient, scaled)."""

    sign: int = 1
    twos: int = 0
    ns: int = 0

    def factor(self, n: int) -> float:
        return self.sign * 2.0 ** self.twos * float(n) ** self.ns

    def mistakes(self, layout: str) -> list[Mistake]:
        names = (["wrong sign"] if self.sign < 0 else []) + \
            ([f"gradient scaled by {'N' if self.ns > 0 else '1/N'}"] if self.ns else []) + \
            ([f"gradient scaled by {'2' if self.twos > 0 else '1/2'}"] if self.twos else [])
        return [mistake(name, layout) for name in names]


SCALES = tuple(Scale(sign, twos, ns) for sign, twos, ns in
               itertools.product((1, -1), (0, -1, 1), (0, 1, -1)))
"""Every factor the checks try, no mistake first."""


@dataclass(frozen=True)
class Structure:
    """Where each layer evaluates f' (one of ``DERIVATIVES`` per layer, first layer first) and
    the layers (numbered from 1) whose backward pass goes through W instead of W.T."""

    derivatives: tuple[str, ...]
    untransposed: tuple[int, ...] = ()

    def mistakes(self, layout: str) -> list[Mistake]:
        found = []
        for kind, name in (("activation", "derivative evaluated at the activation"),
                           ("missing", "activation derivative missing")):
            ks = [k + 1 for k, d in enumerate(self.derivatives) if d == kind]
            if ks:
                found.append(mistake(name, layout, _layers(ks)))
        if self.untransposed:
            found.append(mistake("weights transposed in the propagation", layout,
                                 _layers(self.untransposed)))
        return found


def structures(shapes) -> list[Structure]:
    """Every Structure for a network whose weights (rows layout) have these shapes: each
    layer's f' at z, at the activation or missing, and at most one square W (after the first
    layer, whose input gradient nobody uses) not transposed."""
    square = [k + 1 for k, (d, h) in enumerate(shapes) if d == h and k > 0]
    return [Structure(derivatives, untransposed)
            for derivatives in itertools.product(DERIVATIVES, repeat=len(shapes))
            for untransposed in [()] + [(k,) for k in square]]


@dataclass(frozen=True)
class Variant:
    """A backward pass (or a step) with mistakes: its Structure, the Scale on every gradient,
    the layers (numbered from 1) whose bias gradient is not summed over the batch, and, for a
    step, whether each W is updated before the gradient goes through it."""

    structure: Structure
    scale: Scale = Scale()
    unsummed: tuple[int, ...] = ()
    update_first: bool = False

    @property
    def size(self) -> int:
        """How many changes from the textbook it makes (each layer's counted)."""
        s = self.structure
        return (sum(d != "z" for d in s.derivatives) + len(s.untransposed) +
                len(self.unsummed) + (self.scale.sign < 0) + abs(self.scale.twos) +
                abs(self.scale.ns) + self.update_first)

    def mistakes(self, layout: str) -> tuple[Mistake, ...]:
        """The mistakes by name, their fixes written for the student's ``layout``."""
        bias = [mistake("bias gradient not summed over the batch", layout,
                        ", ".join(f"b{k}" for k in self.unsummed))] if self.unsummed else []
        order = [mistake(UPDATE_FIRST, layout)] if self.update_first else []
        return tuple(self.structure.mistakes(layout) + bias + self.scale.mistakes(layout)
                     + order)


def with_derivative(activation: ActivationFunction, where: str) -> ActivationFunction:
    """``activation`` whose derivative is evaluated ``where`` (one of ``DERIVATIVES``): at z
    (the activation itself), at the activation a = f(z) (f'(a): for a sigmoid
    sigmoid(a) (1 - sigmoid(a)), the original report's), or missing (1)."""
    if where == "z":
        return activation
    if where == "activation":
        def derivative(z, a):
            return activation.derivative(a, activation.value(a))
    else:
        def derivative(z, a):
            return np.ones_like(z)
    return ActivationFunction(f"{activation.name} ({where})", activation.value, derivative,
                              activation.output_range)


def forward(layers, X) -> tuple[list, list, list]:
    """Each layer's input x, z = x @ W + b and a = f(z), for ``layers`` given as
    (W (D, H), b (H,), activation) and inputs X (N, D)."""
    xs, zs, outs = [], [], []
    a = X
    for W, b, activation in layers:
        xs.append(a)
        zs.append(a @ W + b)
        a = activation.value(zs[-1])
        outs.append(a)
    return xs, zs, outs


def backward(layers, X, dout, structure: Structure) -> tuple[list, list]:
    """The gradients [dW1, db1, dW2, db2, ...] of a dense network (``layers`` as in
    ``forward``) for dL/dy_hat = ``dout`` (N, K), with the mistakes of ``structure``; and each
    layer's dz (N, H), the bias gradient before the sum over the samples."""
    xs, zs, outs = forward(layers, X)
    grads, dzs = [], []
    for k in reversed(range(len(layers))):
        W, _, activation = layers[k]
        act = with_derivative(activation, structure.derivatives[k])
        dz = dout * act.derivative(zs[k], outs[k])     # dL/dz = dL/da * f'(z)
        grads[:0] = [xs[k].T @ dz, dz.sum(axis=0)]     # dL/dW = x^T dz, dL/db = sum_n dz
        dzs.insert(0, dz)
        dout = dz @ (W if k + 1 in structure.untransposed else W.T)   # dL/dx = dz W^T
    return grads, dzs


__all__ = ["DERIVATIVES", "SCALES", "UPDATE_FIRST", "Mistake", "Scale", "Structure", "Variant",
           "backward", "forward", "mistake", "structures", "with_derivative"]
