"""The original report's network, re-implemented in its own conventions (from the facts of the
original report, not its text): samples as columns; each layer's W shaped (neurons, fan_in) and
its bias (neurons, 1), drawn from a standard normal; the activations kept in a dictionary of
(function, derivative) pairs whose derivative is applied to the layer's output X = f(z); the
loss's gradient multiplied back layer by layer, with the updates divided by the batch size;
and, in training, each layer's W and bias updated before the gradient is propagated through W.
The original report does not show its loss: here it is the lab's mean squared error, whose
gradient 2 (output - y) / N is exactly what the updates' division by the batch size needs."""

import numpy as np

LAYOUT = "columns"
LAYERS = [(4, "sigmoid"), (4, "sigmoid"), (1, "sigmoid")]      # the lab's 2-4-4-1

activation_functions = {
    "sigmoid": (lambda x: 1 / (1 + np.exp(-x)),
                lambda x: (1 / (1 + np.exp(-x))) * (1 - (1 / (1 + np.exp(-x))))),
    "tanh": (lambda x: np.tanh(x), lambda x: 1 - x ** 2),
    "relu": (lambda x: np.maximum(0, x), lambda x: (x > 0).astype(int)),
}


def init_params(seed):
    rng = np.random.default_rng(seed)
    params, fan_in = [], 2
    for neurons, _ in LAYERS:
        params += [rng.standard_normal((neurons, fan_in)), rng.standard_normal((neurons, 1))]
        fan_in = neurons
    return params


def _forward(params, x):
    cache = []
    for i, (_, name) in enumerate(LAYERS):
        W, B = params[2 * i], params[2 * i + 1]
        z = np.matmul(W, x) + B
        X = activation_functions[name][0](z)
        cache.append((x, z, X))
        x = X
    return x, cache


def forward(params, x):
    return _forward(params, x)[0]


def loss_gradient(output, y):
    return 2 * (output - y)          # divided by the batch size in the updates


def backward(params, x, y):
    """The gradients that the original report's loop uses, before it updates anything."""
    output, cache = _forward(params, x)
    batch_size = x.shape[1]
    gradient = loss_gradient(output, y)
    grads = []
    for i in range(len(LAYERS) - 1, -1, -1):
        W, A = params[2 * i], activation_functions[LAYERS[i][1]]
        x, z, X = cache[i]
        gradient = gradient * A[1](X)              # the derivative applied to the output X
        grads = [np.matmul(gradient, x.T) / batch_size,
                 np.mean(gradient, axis=1, keepdims=True)] + grads
        gradient = np.matmul(W.T, gradient)
    return grads


def step(params, x, y, lr):
    """One training step as the original report's loop does it."""
    params = [p.copy() for p in params]
    output, cache = _forward(params, x)
    batch_size = x.shape[1]
    gradient = loss_gradient(output, y)
    for i in range(len(LAYERS) - 1, -1, -1):
        W, B, A = params[2 * i], params[2 * i + 1], activation_functions[LAYERS[i][1]]
        x, z, X = cache[i]
        gradient = gradient * A[1](X)
        B -= lr * np.mean(gradient, axis=1, keepdims=True)
        W -= lr * np.matmul(gradient, x.T) / batch_size
        gradient = np.matmul(W.T, gradient)        # through the W just updated
    return params
