"""A student's own 2-4-4-1 sigmoid network, samples as columns, as in the original report:
X (2, N), y (1, N), W (fan_out, fan_in), biases as columns. Written the way a student writes
one, without labnn. ``MISTAKE`` plants one mistake (None: the right gradients); the tests set
it."""

import numpy as np

MISTAKE = None
LAYOUT = "columns"


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def init_params(seed):
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in [(2, 4), (4, 4), (4, 1)]:
        params += [rng.standard_normal((fan_out, fan_in)), rng.standard_normal((fan_out, 1))]
    return params


def forward(params, X):
    a = X
    for W, b in zip(params[::2], params[1::2]):
        a = sigmoid(W @ a + b)
    return a


if MISTAKE == "half loss":
    def loss(y_hat, y):
        return 0.5 * np.mean((y_hat - y) ** 2)


def backward(params, X, y):
    N = X.shape[1]
    cache, a = [], X
    for W, b in zip(params[::2], params[1::2]):
        z = W @ a + b
        cache.append((a, z))
        a = sigmoid(z)
    grad = 2 * (a - y) / N
    if MISTAKE == "sum instead of mean":
        grad = 2 * (a - y)
    if MISTAKE == "no 2":
        grad = (a - y) / N
    if MISTAKE == "sign":
        grad = 2 * (y - a) / N
    grads = []
    for i in (2, 1, 0):
        W = params[2 * i]
        x, z = cache[i]
        out = sigmoid(z)
        if MISTAKE == "derivative at activation":
            grad = grad * sigmoid(out) * (1 - sigmoid(out))
        elif not (MISTAKE == "derivative missing" and i == 1):
            grad = grad * out * (1 - out)
        dW = grad @ x.T if MISTAKE != "wrong input" or i != 1 else grad @ out.T
        db = grad if MISTAKE == "bias not summed" else grad.sum(axis=1, keepdims=True)
        grads = [dW, db] + grads
        grad = W @ grad if MISTAKE == "transposed" and i == 1 else W.T @ grad
    return grads


def step(params, X, y, lr):
    if MISTAKE != "update before propagate":
        return [p - lr * g for p, g in zip(params, backward(params, X, y))]
    params = [p.copy() for p in params]
    cache, a = [], X
    for W, b in zip(params[::2], params[1::2]):
        z = W @ a + b
        cache.append((a, z))
        a = sigmoid(z)
    grad = 2 * (a - y) / X.shape[1]
    for i in (2, 1, 0):
        W, b = params[2 * i], params[2 * i + 1]
        x, z = cache[i]
        grad = grad * sigmoid(z) * (1 - sigmoid(z))
        W -= lr * grad @ x.T                   # updated in place ...
        b -= lr * grad.sum(axis=1, keepdims=True)
        grad = W.T @ grad                      # ... then the gradient goes through it
    return params
