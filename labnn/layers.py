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
from ._checks import check_bool, check_positive_int

LAYER_TYPES: dict[str, type] = {}


def register_layer(cls):
    """Class decorator: make a layer type known to Network.save/load by its class name."""
    LAYER_TYPES[cls.__name__] = cls
    return cls


class Layer:
    """Base class. Subclasses set ``params``/``grads`` (lists of arrays, same order)."""

    params: list
    grads: list
    in_network: bool = False
    """Set once a network has built this layer: a layer belongs to one network, once."""

    def build(self, input_shape: tuple, rng: np.random.Generator, dtype, init: str) -> tuple:
        """Create parameters for per-sample ``input_shape``; return the per-sample output
        shape."""
        self.params, self.grads = [], []
        return self.output_shape(input_shape)

    def output_shape(self, input_shape: tuple) -> tuple:  # pragma: no cover - abstract
        raise NotImplementedError

    def forward(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def backward(self, dout: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        """dL/d(output) -> dL/d(input), filling ``grads``. ``need_dx=False`` (the first layer
        in training: nobody uses dL/dX) lets a layer skip that product and return None."""
        raise NotImplementedError  # pragma: no cover - abstract

    def config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def describe(self) -> str:
        return type(self).__name__

    def set_params(self, W: np.ndarray, b: np.ndarray | None = None) -> None:
        """Use ``W`` and ``b`` as this layer's parameters, with zeroed gradients of the same
        shapes (for layers with a weight and a bias; a stack passes arrays with a leading
        network axis). ``b=None``: a layer without a bias, whose only parameter is W."""
        self.W, self.b = W, b
        self.dW, self.db = np.zeros_like(W), None if b is None else np.zeros_like(b)
        self.params = [self.W] if b is None else [self.W, self.b]
        self.grads = [self.dW] if b is None else [self.dW, self.db]

    @property
    def num_params(self) -> int:
        return int(sum(p.size for p in self.params))


@register_layer
class Dense(Layer):
    """``a = activation(x @ W + b)``: the lab's hidden layer (a transformation plus an
    activation).

    Shapes: x (N, D), W (D, H), b (H,), out (N, H).
    forward caches x, z = x @ W + b and a = f(z); backward(dout (N, H)) computes
    dz = dout * f'(z), dW = x.T @ dz (D, H), db = sum_n dz (H,), dx = dz @ W.T (N, D).

    The same lines serve a *stack* of S networks trained in lockstep (``labnn.stack``): there
    W is (S, D, H), b (S, H), x (S, N, D) or one shared (N, D), and every shape above gains a
    leading S. That is why the code writes ``x.mT`` (transpose the last two axes) instead of
    ``x.T``, and the sum over samples as ``1^T dz``, a product with a vector of ones, like
    ``x^T dz`` (b is the weight of an input that is always 1; one BLAS call, measured 25-30 %
    faster on stacks than ``dz.sum(-2)``). ``z += b`` in place saves a temporary the size of z.

    ``bias=False`` makes ``a = activation(x @ W)``: no b at all (``params`` is [W], ``grads``
    [dW]); W is drawn exactly as it would be with a bias.
    """

    def __init__(self, units: int, activation="linear", init: str | None = None,
                 bias: bool = True):
        self.units = check_positive_int(units, "units")
        self.activation = _act.get(activation)
        self.init = None if init is None else _init.check_scheme(init)
        self.bias = check_bool(bias, "bias")
        self.in_features: int | None = None
        self.params, self.grads = [], []
        self._cache = None

    def build(self, input_shape, rng, dtype, init):
        if len(input_shape) != 1:
            raise ValueError(f"input_shape: Dense expects flat (D,) inputs, got {input_shape}; "
                             "add a Flatten layer first")
        self.in_features = int(input_shape[0])
        W, b = _init.initialise(self.init or init, self.in_features, self.units, rng, dtype)
        self.set_params(W, b if self.bias else None)
        return (self.units,)

    def output_shape(self, input_shape):
        return (self.units,)

    def forward(self, x):
        with np.errstate(over="ignore"):     # exp(-z) -> inf gives sigmoid's exact limit 0
            z = x @ self.W
            if self.b is not None:
                z += self.b[..., np.newaxis, :]  # b is one row, added to every sample's row
            a = self.activation.value(z)
        self._cache = (x, z, a)
        return a

    def backward(self, dout, need_dx: bool = True):
        """dout (N, H) -> dx (N, D); fills dW and db. ``need_dx=False`` skips dx (fit does so
        for the first layer, whose input gradient nobody uses) and returns None."""
        if self._cache is None:
            raise ValueError("dout: backward called before forward")
        x, z, a = self._cache
        dz = self.activation.backward(z, a, dout)   # dL/dz = dL/da * f'(z)     (N, H)
        np.matmul(x.mT, dz, out=self.dW)             # dL/dW = x^T dz            (D, H)
        if self.db is not None:
            ones = np.ones(dz.shape[-2], dtype=dz.dtype)
            np.matmul(ones, dz, out=self.db)         # dL/db = 1^T dz = sum_n dz  (H,)
        return dz @ self.W.mT if need_dx else None   # dL/dx = dz W^T            (N, D)

    def config(self):
        config = {"units": self.units, "activation": self.activation.name, "init": self.init}
        if not self.bias:        # written only when off, so files saved before it still load
            config["bias"] = False
        return config

    def describe(self):
        return (f"Dense({self.in_features} -> {self.units}, {self.activation.name}"
                f"{'' if self.bias else ', no bias'})")


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
        with np.errstate(over="ignore"):
            a = self.activation.value(x)
        self._cache = (x, a)
        return a

    def backward(self, dout, need_dx=True):
        if self._cache is None:
            raise ValueError("dout: backward called before forward")
        x, a = self._cache
        return self.activation.backward(x, a, dout)

    def config(self):
        return {"activation": self.activation.name}

    def describe(self):
        return f"Activation({self.activation.name})"


class Sequential:
    """Layers applied in order: the forward pass runs through them, the backward pass back
    through them in reverse, and ``params`` / ``grads`` list every layer's arrays in order
    ([W1, b1, W2, b2, ...]). ``Network`` (one network) and ``labnn.stack.NetworkStack`` (many)
    are both one, so both share these loops."""

    layers: list

    @property
    def params(self) -> list:
        """[W1, b1, W2, b2, ...]: the live arrays (optimizers update them in place)."""
        return [p for layer in self.layers for p in layer.params]

    @property
    def grads(self) -> list:
        """[dW1, db1, ...], filled by the backward pass, in the order of ``params``."""
        return [g for layer in self.layers for g in layer.grads]

    @property
    def weights(self) -> list:
        """The weight arrays W of the layers that have one (Dense, Conv2D), never the biases:
        what a penalty (``fit(regularization=...)``) acts on."""
        return [layer.W for layer in self.layers if getattr(layer, "W", None) is not None]

    @property
    def weight_grads(self) -> list:
        """The gradients dW matching ``weights``, as the last backward pass filled them."""
        return [layer.dW for layer in self.layers if getattr(layer, "W", None) is not None]

    @property
    def output_range(self) -> tuple[float, float]:
        """The interval the outputs lie in: the last layer's activation's range (a loss such as
        bce asks for [0, 1]), unbounded when the last layer has no activation."""
        activation = getattr(self.layers[-1], "activation", None)
        return activation.output_range if activation is not None else (-np.inf, np.inf)

    def _forward(self, X, outputs: list | None = None):
        """The output of the last layer; every layer's output is appended to ``outputs`` when
        given (for looking inside)."""
        for layer in self.layers:
            X = layer.forward(X)
            if outputs is not None:
                outputs.append(X)
        return X

    def _backward(self, dout, need_dx: bool = True):
        """dL/d(output) back through every layer; ``need_dx=False`` lets the first layer skip
        dL/dX (training never uses it) and return None."""
        for layer in self.layers[:0:-1]:
            dout = layer.backward(dout)
        return self.layers[0].backward(dout, need_dx=need_dx)
