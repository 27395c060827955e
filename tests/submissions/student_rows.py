"""A student's own 2-4-4-1 sigmoid network, samples as rows: X (N, 2), W (fan_in, fan_out),
biases as a vector, a row and a vector. Written the way a student writes one, without labnn.
``MISTAKE`` plants one mistake (None: the right gradients); the tests set it."""

import numpy as np

MISTAKE = None


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def init_params(seed):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((2, 4)), rng.standard_normal(4),
            rng.standard_normal((4, 4)), rng.standard_normal((1, 4)),
            rng.standard_normal((4, 1)), rng.standard_normal(1)]


def forward(params, X):
    W1, b1, W2, b2, W3, b3 = params
    a1 = sigmoid(X @ W1 + b1)
    a2 = sigmoid(a1 @ W2 + b2)
    return sigmoid(a2 @ W3 + b3)


if MISTAKE == "half loss":
    def loss(y_hat, y):
        return 0.5 * np.mean((y_hat - y) ** 2)


def dsigmoid(z, a):
    if MISTAKE == "derivative at activation":
        return sigmoid(a) * (1 - sigmoid(a))
    return a * (1 - a)


def backward(params, X, y):
    W1, b1, W2, b2, W3, b3 = params
    N = X.shape[0]
    z1 = X @ W1 + b1
    a1 = sigmoid(z1)
    z2 = a1 @ W2 + b2
    a2 = sigmoid(z2)
    z3 = a2 @ W3 + b3
    a3 = sigmoid(z3)

    da3 = 2 * (a3 - y) / N                   # d mean((a3 - y)^2) / d a3
    if MISTAKE == "sum instead of mean":
        da3 = 2 * (a3 - y)
    if MISTAKE == "no 2":
        da3 = (a3 - y) / N
    if MISTAKE == "sign":
        da3 = 2 * (y - a3) / N
    dz3 = da3 if MISTAKE == "derivative missing" else da3 * dsigmoid(z3, a3)
    dW3 = a2.T @ dz3
    db3 = dz3.sum(axis=0)
    da2 = dz3 @ W3.T
    dz2 = da2 * dsigmoid(z2, a2)
    dW2 = a2.T @ dz2 if MISTAKE == "wrong input" else a1.T @ dz2
    db2 = dz2.sum(axis=0, keepdims=True)
    da1 = dz2 @ W2 if MISTAKE == "transposed" else dz2 @ W2.T
    dz1 = da1 * dsigmoid(z1, a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    if MISTAKE == "bias not summed":
        db1, db2, db3 = dz1, dz2, dz3
    return [dW1, db1, dW2, db2, dW3, db3]


def step(params, X, y, lr):
    if MISTAKE != "update before propagate":
        return [p - lr * g for p, g in zip(params, backward(params, X, y))]
    W1, b1, W2, b2, W3, b3 = params
    N = X.shape[0]
    a1 = sigmoid(X @ W1 + b1)
    a2 = sigmoid(a1 @ W2 + b2)
    a3 = sigmoid(a2 @ W3 + b3)
    dz3 = 2 * (a3 - y) / N * a3 * (1 - a3)
    W3 = W3 - lr * a2.T @ dz3
    b3 = b3 - lr * dz3.sum(axis=0)
    dz2 = dz3 @ W3.T * a2 * (1 - a2)          # through the W3 just updated
    W2 = W2 - lr * a1.T @ dz2
    b2 = b2 - lr * dz2.sum(axis=0, keepdims=True)
    dz1 = dz2 @ W2.T * a1 * (1 - a1)
    W1 = W1 - lr * X.T @ dz1
    b1 = b1 - lr * dz1.sum(axis=0)
    return [W1, b1, W2, b2, W3, b3]
