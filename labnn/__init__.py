"""labnn: dense neural networks with hand-written back-propagation, in NumPy only.

    import labnn
    X, y = labnn.data.generate_xor_easy()
    net = labnn.Network(2, seed=0).add_layer(4, "sigmoid").add_layer(4, "sigmoid")
    net.add_layer(1, "sigmoid")
    history = net.fit(X, y, epochs=5000, lr=1.0)
    labnn.lab.test(net, X, y)

The house, each layer using only the ones before it:

- the core, these modules: activations, layers, losses, optim, init, network, data, metrics,
  gradcheck, and stack (many networks as one); beside them, not under the dense path, the
  extras conv and saving. NumPy only; it knows nothing of the lab, the report or the explorer.
- ``labnn.lab``: what the course adds (the lab's network, its print-outs and colours, the
  original report's errors).
- ``labnn.report``: the report's experiments, their sensitivity to rounding, and the plots.
- ``labnn.explorer``: the Playground-style explorer's pure core and its widgets.
"""

from . import (
    activations,
    conv,
    data,
    gradcheck,
    init,
    lab,
    layers,
    losses,
    metrics,
    optim,
    saving,
    stack,
)
from .conv import Conv2D, Flatten, MaxPool2D
from .lab import lab_network
from .layers import Activation, Dense, Layer, register_layer
from .metrics import accuracy
from .network import DEFAULT_EPOCHS, DivergenceError, History, Network
from .optim import DEFAULT_LR
from .stack import NetworkStack

__version__ = "0.1.0"

__all__ = [
    "Activation", "Conv2D", "DEFAULT_EPOCHS", "DEFAULT_LR", "Dense", "DivergenceError", "Flatten",
    "History", "Layer", "MaxPool2D", "Network", "NetworkStack", "accuracy", "activations", "conv",
    "data", "gradcheck", "init", "lab", "lab_network", "layers", "losses", "metrics", "optim",
    "register_layer", "saving", "stack",
]
