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
can be given. A layer holds its activation itself, not its name: the name is only how a file
refers to it (``config``, ``from_config``), so a file never loads as another function than the
one it was saved with.

The functions below take any real input (a number, a list, an int or bool array) and give
floats; a float array keeps its dtype.
"""

from __future__ import annotations

import hashlib
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._checks import check_bool

LEAKY_SLOPE = 0.01


def _real(z) -> np.ndarray:
    """``z`` as a float array: a float array as it is, real numbers of any other kind (ints,
    bools, lists, Python numbers) as float64."""
    if type(z) is np.ndarray and z.dtype.kind == "f":
        return z
    z = np.asarray(z)
    if z.dtype.kind == "f":
        return z
    if z.dtype.kind not in "biu":
        raise ValueError(f"z: expected real numbers, got an array of {z.dtype}")
    return z.astype(np.float64)


def sigmoid(z) -> np.ndarray:
    """1 / (1 + exp(-z)): full relative precision, and exactly 0.0 and 1.0 in the limits (|z|
    up to 1e4 and beyond). For z < -709, exp(-z) overflows to inf and 1 / (1 + inf) = 0.0 is
    the right answer, and for z > 745 exp(-z) underflows to 0 and the answer is 1.0, so
    neither is warned about."""
    z = _real(z)
    with np.errstate(over="ignore", under="ignore"):
        s = np.exp(-z)
    if not isinstance(s, np.ndarray):          # a 0-d z gives a NumPy scalar
        return 1.0 / (s + 1.0)
    s += 1.0
    return np.reciprocal(s, out=s)            # 1 / s, in the array exp made


def sigmoid_derivative(z, a) -> np.ndarray:
    a = _real(a)
    return a * (1.0 - a)


def tanh(z) -> np.ndarray:
    return np.tanh(_real(z))


def tanh_derivative(z, a) -> np.ndarray:
    a = _real(a)
    return 1.0 - a * a


def relu(z) -> np.ndarray:
    return np.maximum(_real(z), 0.0)


def relu_derivative(z, a) -> np.ndarray:
    # At z == 0 we take the sub-gradient 0, as PyTorch does.
    z = _real(z)
    return (z > 0).astype(z.dtype)


def leaky_relu(z) -> np.ndarray:
    z = _real(z)
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def leaky_relu_derivative(z, a) -> np.ndarray:
    z = _real(z)
    return np.where(z > 0, 1.0, LEAKY_SLOPE).astype(z.dtype, copy=False)


def linear(z) -> np.ndarray:
    """The identity: ``z`` itself (a float array is returned as it is, not copied)."""
    return _real(z)


def linear_derivative(z, a) -> np.ndarray:
    return np.ones_like(_real(z))


@dataclass(frozen=True)
class ActivationFunction:
    """An activation: ``value(z)`` and ``derivative(z, a)`` (see the module docstring), its
    ``name`` (how layers and files refer to it once it is registered) and the interval its
    values lie in (a loss such as bce asks for [0, 1])."""

    name: str
    value: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray, np.ndarray], np.ndarray]
    output_range: tuple[float, float] = (-math.inf, math.inf)

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name or self.name != self.name.strip():
            raise ValueError(f"name: expected a non-empty name without surrounding spaces, got "
                             f"{self.name!r}")
        for field in ("value", "derivative"):
            if not callable(getattr(self, field)):
                raise ValueError(f"{field}: expected a function, got "
                                 f"{getattr(self, field)!r}")
        r = self.output_range
        ok = (isinstance(r, tuple) and len(r) == 2
              and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in r)
              and r[0] < r[1])
        if not ok:
            raise ValueError(f"output_range: expected a pair (lo, hi) with lo < hi, got {r!r}")


REGISTRY: dict[str, ActivationFunction] = {}
ALIASES = {"none": "linear", "identity": "linear"}
BUILT_IN = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
"""The activations labnn defines: their names always mean these functions (files name them)."""


def register(activation: ActivationFunction, *, overwrite: bool = False) -> ActivationFunction:
    """Add an activation to the registry so layers and files can name it. Names are looked up
    without regard to case, so they are registered in lower case: ``MySig`` is found as
    ``mysig``. A name already registered is refused, unless ``overwrite=True`` gives it to
    another function (never one of ``BUILT_IN``); a file saved with the old function then no
    longer loads (``from_config`` tells the two apart)."""
    overwrite = check_bool(overwrite, "overwrite")
    if not isinstance(activation, ActivationFunction):
        raise ValueError(f"activation: expected an ActivationFunction, got "
                         f"{type(activation).__name__}")
    key = activation.name.lower()
    if key in ALIASES:
        raise ValueError(f"activation: {activation.name!r} is an alias of {ALIASES[key]!r}")
    if key in REGISTRY and (not overwrite or key in BUILT_IN):
        why = ("is labnn's own: it always means that function" if key in BUILT_IN else
               "is already registered; overwrite=True gives it to this function")
        raise ValueError(f"activation: the name {activation.name!r} {why}")
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


def get(name, argument: str = "activation") -> ActivationFunction:
    """Look an activation up by name (`none` and `identity` are aliases of `linear`); an
    ActivationFunction is itself. A bad name is a ValueError naming ``argument``."""
    if isinstance(name, ActivationFunction):
        return name
    if not isinstance(name, str):
        raise ValueError(f"{argument}: expected a name such as {', '.join(names())}; "
                         f"got {name!r}")
    key = ALIASES.get(name.lower(), name.lower())
    if key not in REGISTRY:
        known = ", ".join(sorted(REGISTRY) + sorted(ALIASES))
        raise ValueError(f"{argument}: unknown name {name!r}; expected one of {known}")
    return REGISTRY[key]


# ---------------------------------------------------------------------------- in files
PROBE = np.array([-4.0, -1.5, -0.5, -0.1, 0.0, 0.1, 0.5, 1.5, 4.0])
"""Where ``fingerprint`` looks at an activation."""


def fingerprint(activation: ActivationFunction) -> str:
    """What ``activation`` computes, in 16 hex digits: a hash of its values and derivatives at
    ``PROBE``, each to 8 significant digits (so rounding on another CPU leaves it as it is)."""
    try:
        with np.errstate(all="ignore"):
            a = np.asarray(activation.value(PROBE.copy()), dtype=np.float64)
            d = np.asarray(activation.derivative(PROBE.copy(), a), dtype=np.float64)
    except Exception as exc:        # a function of the user's own
        raise ValueError(f"activation: {activation.name!r} fails on the values {PROBE.tolist()} "
                         f"({type(exc).__name__}: {exc})") from exc
    text = " ".join(f"{v + 0.0:.7e}" for v in np.concatenate([a.ravel(), d.ravel()]))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def config(activation: ActivationFunction) -> dict:
    """How a layer's config names ``activation``: ``{"activation": name}``, plus its
    ``fingerprint`` for one not ``BUILT_IN``. Only the function registered under its name can
    be named: any other (unregistered, or another function of the same name) is refused."""
    key = activation.name.lower()
    if REGISTRY.get(key) is not activation:
        why = ("another function is registered under that name" if key in REGISTRY else
               "it is not registered")
        raise ValueError(f"activation: {activation.name!r} cannot be named in a file: {why}; "
                         f"register it under a name of its own (labnn.activations.register)")
    if key in BUILT_IN:
        return {"activation": activation.name}
    return {"activation": activation.name, "activation_fingerprint": fingerprint(activation)}


def from_config(config: dict) -> ActivationFunction:
    """The activation a layer's config names (``config`` gives it): the registered one, if it
    computes what the file's fingerprint says."""
    act = get(config["activation"])
    saved = config.get("activation_fingerprint")
    if act.name.lower() not in BUILT_IN and saved != fingerprint(act):
        raise ValueError(f"activation: the function registered as {act.name!r} computes other "
                         f"values than the one saved under that name (fingerprint "
                         f"{fingerprint(act)}, saved {saved}); register the saved function")
    return act
