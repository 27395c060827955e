"""labnn.lab.mistakes: the textbook backward pass with each classic mistake as a switch."""


import numpy as np

import labnn
from labnn.data import generate_xor_easy
from labnn.lab import mistakes as M
from labnn.lab.original import ORIGINAL_SIGMOID


def test_the_textbook_backward_of_the_mistakes_is_labnns_and_the_original_sigmoid():
    X, y = generate_xor_easy()
    net = labnn.lab_network(seed=3, activation="tanh")
    layers = [(layer.W, layer.b, layer.activation) for layer in net.layers]
    net.backward(labnn.losses.mse(net.forward(X), y)[1])
    grads, dzs = M.backward(layers, X, labnn.losses.mse(net.forward(X), y)[1],
                            M.Structure(("z",) * 3))
    for mine, theirs in zip(grads, net.grads):
        assert labnn.gradcheck.relative_error(mine, theirs) < 1e-14
    assert all(dz.shape == (21, b.size) for dz, (_, b, _) in zip(dzs, layers))
    z = np.linspace(-4, 4, 9)
    at_a = M.with_derivative(labnn.activations.get("sigmoid"), "activation")
    a = at_a.value(z)
    assert np.array_equal(at_a.derivative(z, a), ORIGINAL_SIGMOID.derivative(z, a))
