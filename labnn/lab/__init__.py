"""What the course adds to the core: the lab's network, its print-outs and colours, (in
``labnn.lab.original``) the two errors of the report this project grew from, and (in
``labnn.lab.check``, the command ``python -m labnn.check``) a student's own network checked and
its mistake named.

    from labnn import lab
    net = lab.lab_network(seed=0)                 # 2-4-4-1, sigmoid everywhere
    net.fit(X, y, epochs=5000, lr=1.0, log_every=500)   # epoch 500 loss : 0.02496 ...
    lab.test(net, X, y)                           # Iter0 |  Ground truth: 0.0 | ... accuracy

The core (``labnn.Network`` and below) knows nothing of this module.
"""

from __future__ import annotations

import numpy as np

from .. import activations as _act
from .._checks import check_bool, check_dtype, check_file, check_positive_int, check_size
from ..network import Network

CLASS_COLORS = ("#ff0000", "#0000ff")
"""The lab's colours: class 0 red, class 1 blue (the handout's ``show_result``), as hex, which
matplotlib and the explorer's page both read."""

BOUNDARY_COLORS = ("#ff9c9c", "#ffffff", "#9cb4ff")
"""A network's output from 0 (light red, class 0) through 0.5 (white) to 1 (light blue): the
decision-boundary pictures."""


def lab_network(hidden_units: int = 4, activation: str = "sigmoid", seed=None,
                dtype=np.float64, init: str = "default", hidden_layers: int = 2,
                in_features: int = 2, output: str | None = None, bias: bool = True) -> Network:
    """The one place that builds a network from the run vocabulary (the lab's and the report's
    runs): ``hidden_layers`` hidden layers of
    ``hidden_units`` units, every layer a Dense transformation plus ``activation``, then one
    output unit with ``output`` (default: a sigmoid, or no activation at all when
    ``activation`` is linear, for the no-activation experiment). ``bias=False`` leaves the
    biases out of every layer (the no-bias experiment)."""
    hidden_layers = check_positive_int(hidden_layers, "hidden_layers")
    hidden_units = check_positive_int(hidden_units, "hidden_units")
    in_features = check_positive_int(in_features, "in_features")
    count = (in_features + hidden_layers + 1) * hidden_units + (hidden_layers - 1) * \
        hidden_units ** 2 + 1                   # every weight and bias the network will hold
    check_size((count,), check_dtype(dtype), "hidden_units, hidden_layers",
               "the network's parameters (all together)")
    act = _act.get(activation)
    if output is None:
        output = "linear" if act.name == "linear" else "sigmoid"
    output = _act.get(output, "output")
    bias = check_bool(bias, "bias")
    net = Network(in_features, seed=seed, dtype=dtype, init=init)
    for _ in range(hidden_layers):
        net.add_layer(hidden_units, act, bias=bias)
    return net.add_layer(1, output, bias=bias)


def format_test_report(y, y_hat, loss: float, acc: float, head: int | None = None) -> str:
    """The lab's testing print-out: one line per sample, then the loss and accuracy line::

        Iter0 |  Ground truth: 0.0 |  prediction: 0.00231 |
        ...
        loss=0.03844 accuracy=100.00%

    ``head``: print only the first ``head`` sample lines, then a line "..." (None: all)."""
    y = np.asarray(y).reshape(len(y), -1)
    y_hat = np.asarray(y_hat).reshape(len(y_hat), -1)
    lines = [f"Iter{i} |  Ground truth: {float(t[0]):.1f} |  prediction: {float(p[0]):.5f} |"
             for i, (t, p) in enumerate(zip(y, y_hat))]
    if head is not None and check_positive_int(head, "head") < len(lines):
        lines = lines[:head] + [f"... ({len(lines) - head} more lines)"]
    lines.append(f"loss={loss:.5f} accuracy={acc:.2%}")
    return "\n".join(lines)


def test(net: Network, X, y, loss: str = "mse", file=None,
         head: int | None = None) -> tuple[float, float]:
    """Print the lab's test print-out for ``net`` on X, y (one ``Iter3 |  Ground truth: 1.0 |
    prediction: 0.99943 |`` line per sample, or the first ``head`` of them and "...", then
    ``loss=0.03844 accuracy=100.00%``) and return (loss, accuracy)."""
    file = check_file(file)
    value, acc = net.evaluate(X, y, loss=loss)
    print(format_test_report(y, net.predict(X), value, acc, head=head), file=file)
    return value, acc


__all__ = ["BOUNDARY_COLORS", "CLASS_COLORS", "format_test_report", "lab_network", "test"]
