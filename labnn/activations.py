"""Activation functions and their derivatives, under ONE convention.

Every activation is a pair ``value(z) -> a`` and ``derivative(z, a) -> da/dz``, where ``z`` is the
pre-activation (the layer's ``X @ W + b``) and ``a = value(z)`` is passed along only so that an
implementation may reuse it (sigmoid' = a (1 - a), tanh' = 1 - a**2). The derivative is always
the derivative *with respect to z, evaluated at z*. The original report mixed conventions: its
sigmoid derivative received the output ``a`` as if it were ``z`` and so computed
sigma(a) (1 - sigma(a)), which is wrong (``labnn.lab.original`` keeps it, to show).

Shapes: ``z`` and ``a`` are (N, H); both functions are element-wise. A layer's backward pass
applies the derivative in one line: ``dz = da * derivative(z, a)``.

``REGISTRY`` holds them by name; ``register`` adds one, and ``names()`` lists the names a layer
can be given.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._checks import check_bool

LEAKY_SLOPE = 0.01


def sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-z)): full relative precision, and exactly 0.0 and 1.0 in the limits (|z|
    up to 1e4 and beyond). For z < -709, exp(-z) overflows to inf and 1 / (1 + inf) = 0.0 is
    the right answer, so that overflow is not warned about."""
    with np.errstate(over="ignore"):
        s = np.exp(-z)
    s += 1.0
    return np.reciprocal(s, out=s)            # 1 / s, in the array exp made


def sigmoid_derivative(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    return a * (1.0 - a)


def tanh(z: np.ndarray) -> np.ndarray:
    return np.tanh(z)


def tanh_derivative(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    return 1.0 - a * a


def relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def relu_derivative(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    # At z == 0 we take the sub-gradient 0, as PyTorch does.
    return (z > 0).astype(z.dtype)


def leaky_relu(z: np.ndarray) -> np.ndarray:
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def leaky_relu_derivative(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    return np.where(z > 0, 1.0, LEAKY_SLOPE).astype(z.dtype, copy=False)


def linear(z: np.ndarray) -> np.ndarray:
    return z


def linear_derivative(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    return np.ones_like(z)


@dataclass(frozen=True)
class ActivationFunction:
    """An activation: ``value(z)`` and ``derivative(z, a)`` (see the module docstring)."""

    name: str
    value: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray, np.ndarray], np.ndarray]
    output_range: tuple[float, float] = (-math.inf, math.inf)
    """The interval the values lie in (a loss such as bce asks for [0, 1])."""


REGISTRY: dict[str, ActivationFunction] = {}
ALIASES = {"none": "linear", "identity": "linear"}


def register(activation: ActivationFunction, *, overwrite: bool = False) -> ActivationFunction:
    """Add an activation to the registry so layers can name it. Names are looked up without
    regard to case, so they are registered in lower case: ``MySig`` is found as ``mysig``."""
    overwrite = check_bool(overwrite, "overwrite")
    if not isinstance(activation, ActivationFunction):
        raise ValueError(f"activation: expected an ActivationFunction, got "
                         f"{type(activation).__name__}")
    if not isinstance(activation.name, str) or not activation.name.strip():
        raise ValueError(f"activation: expected a non-empty name, got {activation.name!r}")
    key = activation.name.lower()
    if key in ALIASES:
        raise ValueError(f"activation: {activation.name!r} is an alias of {ALIASES[key]!r}")
    if key in REGISTRY and not overwrite:
        raise ValueError(f"activation: the name {activation.name!r} is already registered")
    REGISTRY[key] = activation
    return activation


for _act in (
    ActivationFunction("sigmoid", sigmoid, sigmoid_derivative, (0.0, 1.0)),
    ActivationFunction("tanh", tanh, tanh_derivative, (-1.0, 1.0)),
    ActivationFunction("relu", relu, relu_derivative, (0.0, math.inf)),
    ActivationFunction("leaky_relu", leaky_relu, leaky_relu_derivative),
    ActivationFunction("linear", linear, linear_derivative),
):
    register(_act)

def names() -> tuple[str, ...]:
    """The registered activations' names, in the order they were registered (the five above
    first, then any ``register`` added): the names a layer can be given."""
    return tuple(REGISTRY)


def get(name) -> ActivationFunction:
    """Look an activation up by name (`none` and `identity` are aliases of `linear`)."""
    if isinstance(name, ActivationFunction):
        return name
    if not isinstance(name, str):
        raise ValueError(f"activation: expected a name such as {', '.join(names())}; "
                         f"got {name!r}")
    key = ALIASES.get(name.lower(), name.lower())
    if key not in REGISTRY:
        known = ", ".join(sorted(REGISTRY) + sorted(ALIASES))
        raise ValueError(f"activation: unknown name {name!r}; expected one of {known}")
    return REGISTRY[key]
