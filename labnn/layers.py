"""Layers. A layer has ``forward(x) -> out`` (keeping what backward needs) and
``backward(dout) -> dx`` (filling ``grads``, never touching ``params``), plus lists ``params`` and
``grads`` in matching order. Parameter updates happen only in an optimizer.

``Dense`` is the lab's layer: its forward and backward pass are the textbook's, one line per
equation. To plug a new layer type into ``Network.add`` and ``Network.save``/``Network.load``,
subclass ``Layer``, implement ``forward``, ``backward``, ``output_shape``, ``config`` and
``from_config``, and decorate it with ``@register_layer``.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import numpy as np

from . import activations as _act
from . import init as _init
from ._checks import check_bool, check_positive_int, check_size

LAYER_TYPES: dict[str, type] = {}


def register_layer(cls):
    """Class decorator: make a layer type known to ``Network.save``/``Network.load`` by its class
    name. A name is one class's: another class of the same name is refused (a file naming it
    would load as the wrong type), unless it is the same class defined again (a re-run cell:
    same module, same qualified name)."""
    if not (isinstance(cls, type) and issubclass(cls, Layer)):
        raise ValueError(f"cls: expected a subclass of labnn.layers.Layer, got {cls!r}")
    old = LAYER_TYPES.get(cls.__name__)
    if old is not None and (old.__module__, old.__qualname__) != (cls.__module__,
                                                                    cls.__qualname__):
        raise ValueError(f"cls: a layer type named {cls.__name__!r} is already registered "
                         f"({old.__module__}.{old.__qualname__}); give yours another name")
    LAYER_TYPES[cls.__name__] = cls
    return cls


class Layer:
    """Base class. A layer with parameters lists them in ``params`` and their gradients in
    ``grads``, in the same order; one without has empty lists."""

    params: list = []
    grads: list = []
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

    def backward(self, dout: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        """dL/d(output) -> dL/d(input), filling ``grads``."""
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
    """A dense layer, the lab's hidden layer: a transformation plus an activation f,
    ``a = f(x @ W + b)``.

    Shapes: x (N, D), W (D, H), b (H,), z and a (N, H).

    ``bias=False`` makes ``a = f(x @ W)``: no b at all (``params`` is [W], ``grads`` [dW]); W
    is drawn exactly as it would be with a bias.
    """

    def __init__(self, units: int, activation="linear", init: str | None = None,
                 bias: bool = True):
        self.units = check_positive_int(units, "units")
        self.activation = _act.get(activation)
        self.init = None if init is None else _init.check_scheme(init)
        self.bias = check_bool(bias, "bias")
        self.in_features: int | None = None
        self.W = self.b = self.dW = self.db = None
        self.params, self.grads = [], []
        self.cache = None
        """What forward keeps for backward: x, z and a."""

    def param_shapes(self, input_shape, dtype=np.float64) -> list[tuple]:
        """The shapes of W and b (without a bias, of W only) for inputs of ``input_shape``,
        once W is known to obey the size rule (``labnn._checks.MAX_ARRAY_BYTES``)."""
        if len(input_shape) != 1:
            raise ValueError(f"input_shape: Dense expects flat (D,) inputs, got {input_shape}; "
                             "add a Flatten layer first")
        W = check_size((input_shape[0], self.units), dtype, "units",
                       f"W ({input_shape[0]} inputs, {self.units} units)")
        return [W, (self.units,)][:2 if self.bias else 1]

    def build(self, input_shape, rng, dtype, init):
        self.in_features = self.param_shapes(input_shape, dtype)[0][0]
        self.W, b = _init.initialise(self.init or init, self.in_features, self.units, rng, dtype)
        self.dW = np.zeros_like(self.W)
        if self.bias:
            self.b, self.db = b, np.zeros_like(b)
        self.params = [self.W, self.b] if self.bias else [self.W]
        self.grads = [self.dW, self.db] if self.bias else [self.dW]
        return (self.units,)

    def output_shape(self, input_shape):
        return (self.units,)

    def forward(self, x):
        """x (N, D) -> a (N, H)."""
        z = x @ self.W                                 # (N, H)
        if self.bias:
            z += self.b                                # b (H,) is added to every row
        a = self.activation.value(z)                   # (N, H)
        self.cache = (x, z, a)
        return a

    def backward(self, da):
        """da = dL/da (N, H) -> dL/dx (N, D); fills dW = dL/dW (D, H) and db = dL/db (H,)."""
        x, z, a = self.cache
        dz = da * self.activation.derivative(z, a)     # (N, H): the chain rule through f
        self.dW[:] = x.T @ dz                          # (D, H)
        if self.bias:
            self.db[:] = dz.sum(axis=0)                # (H,)
        return dz @ self.W.T                           # (N, D)

    def config(self):
        config = {"units": self.units, **_act.config(self.activation), "init": self.init}
        if not self.bias:        # written only when off: a file without it has a bias
            config["bias"] = False
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**_settings(config))

    def describe(self):
        return (f"Dense({self.in_features} -> {self.units}, {self.activation.name}"
                f"{'' if self.bias else ', no bias'})")


@register_layer
class Activation(Layer):
    """An activation on its own (for conv nets: Conv2D -> Activation('relu') -> ...).
    Any input shape; backward(da) = da * f'(z)."""

    def __init__(self, activation="relu"):
        self.activation = _act.get(activation)
        self.params, self.grads = [], []
        self.cache = None

    def output_shape(self, input_shape):
        return tuple(input_shape)

    def forward(self, z):
        a = self.activation.value(z)
        self.cache = (z, a)
        return a

    def backward(self, da):
        z, a = self.cache
        return da * self.activation.derivative(z, a)

    def config(self):
        return _act.config(self.activation)

    @classmethod
    def from_config(cls, config):
        return cls(**_settings(config))

    def describe(self):
        return f"Activation({self.activation.name})"


def _settings(config: dict) -> dict:
    """A config's settings for a layer's constructor: its activation the function the config
    names (``activations.from_config``), not a name."""
    settings = {k: v for k, v in config.items() if k != "activation_fingerprint"}
    if "activation" in config:
        settings["activation"] = _act.from_config(config)
    return settings


_TRAINING: set[int] = set()
"""The ``id`` of every network (or stack) that a fit is training now."""
_TRAINING_LOCK = threading.Lock()


class Sequential:
    """Layers applied in order: the forward pass runs through them, the backward pass back
    through them in reverse, and ``params`` / ``grads`` list every layer's arrays in order
    ([W1, b1, W2, b2, ...]). ``Network`` is one."""

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

    def _backward(self, dout):
        """dL/d(output) back through every layer, in reverse: dL/d(input)."""
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    @contextmanager
    def _training(self):
        """The block of a fit. A network is trained by one fit at a time: a second fit while
        one runs (from another thread, or from the first one's callback) is refused, and so
        is adding a layer (``_check_not_training``). Nothing else is guarded: a network is
        for one thread at a time."""
        with _TRAINING_LOCK:
            self._check_not_training("fit")
            _TRAINING.add(id(self))
        try:
            yield
        finally:
            with _TRAINING_LOCK:
                _TRAINING.discard(id(self))

    def _check_not_training(self, what: str) -> None:
        if id(self) in _TRAINING:
            raise RuntimeError(f"network: a fit is training it now (in another thread, or "
                               f"this is called from the fit's callback); {what} must wait "
                               f"until that fit returns")
