"""labnn: dense neural networks with hand-written back-propagation, in NumPy only.

    import labnn
    X, y = labnn.data.generate_xor_easy()
    net = labnn.Network(2, seed=0).add_layer(4, "sigmoid").add_layer(4, "sigmoid")
    net.add_layer(1, "sigmoid")
    history = net.fit(X, y, epochs=5000, lr=1.0)
    net.test(X, y)
"""

from . import (
    activations,
    conv,
    data,
    gradcheck,
    images,
    init,
    layers,
    losses,
    metrics,
    optim,
)
from .conv import Conv2D, Flatten, MaxPool2D
from .layers import Activation, Dense, Layer, register_layer
from .metrics import accuracy
from .network import (
    DEFAULT_EPOCHS,
    DEFAULT_LR,
    DivergenceError,
    History,
    Network,
    lab_network,
)

__version__ = "0.1.0"

__all__ = [
    "Activation", "Conv2D", "DEFAULT_EPOCHS", "DEFAULT_LR", "Dense", "DivergenceError", "Flatten",
    "History", "Layer", "MaxPool2D", "Network", "accuracy", "activations", "conv", "data",
    "gradcheck", "images", "init", "lab_network", "layers", "losses", "metrics", "optim",
    "register_layer",
]
