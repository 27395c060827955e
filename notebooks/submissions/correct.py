"""A student's 2-4-4-1 sigmoid network done right, samples as rows (X (N, 2), W (fan_in,
fan_out), b (fan_out,)), in the style of CS231n's layers: each layer's forward keeps what its
backward needs, and the step updates only after every gradient is computed."""

import numpy as np

SIZES = [2, 4, 4, 1]


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def init_params(seed):
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        params += [rng.uniform(-limit, limit, (fan_in, fan_out)), np.zeros(fan_out)]
    return params


def _forward(params, X):
    caches, a = [], X
    for W, b in zip(params[::2], params[1::2]):
        caches.append(a)
        a = sigmoid(a @ W + b)
        caches[-1] = (caches[-1], a)
    return a, caches


def forward(params, X):
    return _forward(params, X)[0]


def backward(params, X, y):
    y_hat, caches = _forward(params, X)
    da = 2.0 * (y_hat - y) / y.size                # d mean((y_hat - y)^2) / d y_hat
    grads = []
    for W, (x, a) in zip(params[-2::-2], caches[::-1]):
        dz = da * a * (1.0 - a)                    # sigmoid'(z) = a (1 - a)
        grads = [x.T @ dz, dz.sum(axis=0)] + grads
        da = dz @ W.T
    return grads


def step(params, X, y, lr):
    return [p - lr * g for p, g in zip(params, backward(params, X, y))]
