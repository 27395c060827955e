"""Layers. A layer has ``forward(x) -> out`` (caching what backward needs) and
``backward(dout) -> dx`` (filling ``grads``, never touching ``params``), plus lists ``params`` and
``grads`` in matching order. Parameter updates happen only in an optimizer.

To plug a new layer type into ``Network.add`` and ``save``/``load``, subclass ``Layer``,
implement ``forward``, ``backward``, ``output_shape``, ``config`` and ``from_config``, and
decorate it with ``@register_layer``.
"""

from __future__ import annotations

import numpy as np

from . import activations as _act
from . import init as _init
from ._checks import check_positive_int

LAYER_TYPES: dict[str, type] = {}


def register_layer(cls):
    """Class decorator: make a layer type known to Network.save/load by its class name."""
    LAYER_TYPES[cls.__name__] = cls
    return cls


class Layer:
    """Base class. Subclasses set ``params``/``grads`` (lists of arrays, same order)."""

    params: list
    grads: list

    def build(self, input_shape: tuple, rng: np.random.Generator, dtype, init: str) -> tuple:
        """Create parameters for per-sample ``input_shape``; return the per-sample output
        shape."""
        self.params, self.grads = [], []
        return self.output_shape(input_shape)

    def output_shape(self, input_shape: tuple) -> tuple:  # pragma: no cover - abstract
        raise NotImplementedError

    def forward(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def backward(self, dout: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def describe(self) -> str:
        return type(self).__name__

    @property
    def num_params(self) -> int:
        return int(sum(p.size for p in self.params))


@register_layer
class Dense(Layer):
    """``a = activation(x @ W + b)``: the lab's hidden layer (a transformation plus an
    activation).

    Shapes: x (N, D), W (D, H), b (H,), out (N, H).
    forward caches x, z = x @ W + b and a; backward(dout (N, H)) computes
    dz = dout * activation'(z), dW = x.T @ dz (D, H), db = sum_n dz (H,), dx = dz @ W.T (N, D).
    """

    def __init__(self, units: int, activation="linear", init: str | None = None):
        self.units = check_positive_int(units, "units")
        self.activation = _act.get(activation)
        self.init = None if init is None else _init.check_scheme(init)
        self.in_features: int | None = None
        self.params, self.grads = [], []
        self._cache = None
        self._ones = None

    def build(self, input_shape, rng, dtype, init):
        if len(input_shape) != 1:
            raise ValueError(f"input_shape: Dense expects flat (D,) inputs, got {input_shape}; "
                             "add a Flatten layer first")
        self.in_features = int(input_shape[0])
        W, b = _init.initialise(self.init or init, self.in_features, self.units, rng, dtype)
        self.W, self.b = W, b
        self.dW, self.db = np.zeros_like(W), np.zeros_like(b)
        self.params, self.grads = [self.W, self.b], [self.dW, self.db]
        return (self.units,)

    def output_shape(self, input_shape):
        return (self.units,)

    def forward(self, x):
        z = x @ self.W
        z += self.b
        a = self.activation.value(z)
        self._cache = (x, z, a)
        return a

    def backward(self, dout, need_dx: bool = True):
        """dout (N, H) -> dx (N, D); fills dW and db. ``need_dx=False`` skips dx (fit does so
        for the first layer, whose input gradient nobody uses) and returns None."""
        if self._cache is None:
            raise ValueError("dout: backward called before forward")
        x, z, a = self._cache
        dz = self.activation.backward(z, a, dout)
        np.matmul(x.T, dz, out=self.dW)
        ones = self._ones
        if ones is None or ones.shape[0] != dz.shape[0] or ones.dtype != dz.dtype:
            ones = self._ones = np.ones(dz.shape[0], dtype=dz.dtype)
        np.matmul(ones, dz, out=self.db)  # the sum over the batch, as one BLAS call
        return dz @ self.W.T if need_dx else None

    def config(self):
        return {"units": self.units, "activation": self.activation.name, "init": self.init}

    def describe(self):
        return f"Dense({self.in_features} -> {self.units}, {self.activation.name})"


@register_layer
class Activation(Layer):
    """An activation on its own (for conv nets: Conv2D -> Activation('relu') -> ...).
    Any input shape; backward(dout) = dout * activation'(z)."""

    def __init__(self, activation="relu"):
        self.activation = _act.get(activation)
        self.params, self.grads = [], []
        self._cache = None

    def output_shape(self, input_shape):
        return tuple(input_shape)

    def forward(self, x):
        a = self.activation.value(x)
        self._cache = (x, a)
        return a

    def backward(self, dout):
        if self._cache is None:
            raise ValueError("dout: backward called before forward")
        x, a = self._cache
        return self.activation.backward(x, a, dout)

    def config(self):
        return {"activation": self.activation.name}

    def describe(self):
        return f"Activation({self.activation.name})"
