"""A small image task generated in code, and the conv-vs-dense experiment on it.

``generate_shapes(n, seed=0)`` draws n grey 12x12 images, each holding one shape at a random
position, with Gaussian pixel noise; four classes, balanced:

    0 horizontal bar   a 1-pixel line of length 5..9
    1 vertical bar     the same, turned 90 degrees
    2 cross            a plus sign, arms of 2..3 pixels each side of the centre
    3 corner           an L: two arms of 4..7 pixels meeting at a corner, in any of 4 orientations

Shape pixels have intensity 0.6..1.0 (per image), the background 0, then N(0, noise^2) noise is
added to every pixel. Cross and corner are both made of a horizontal and a vertical stroke: only
where the strokes meet tells them apart, anywhere in the image. That is what convolution is for:
the same small filters applied at every position.

``compare_conv_dense`` trains a small conv net and a dense net of similar parameter count on the
same data for several seeds and returns the numbers (no printing, no plotting).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .._checks import check_array, check_float_in, check_positive_int, check_seed
from ..conv import Conv2D, Flatten, MaxPool2D
from ..layers import Activation, Dense
from ..network import Network

CLASSES = ("horizontal bar", "vertical bar", "cross", "corner")
IMAGE_SIZE = 12


def _draw(img: np.ndarray, label: int, rng: np.random.Generator, value: float) -> None:
    size = img.shape[0]
    if label in (0, 1):                                   # bar
        length = int(rng.integers(5, 10))
        fixed = int(rng.integers(0, size))
        start = int(rng.integers(0, size - length + 1))
        if label == 0:
            img[fixed, start:start + length] = value
        else:
            img[start:start + length, fixed] = value
    elif label == 2:                                      # cross
        arm = int(rng.integers(2, 4))
        r, c = (int(v) for v in rng.integers(arm, size - arm, size=2))
        img[r, c - arm:c + arm + 1] = value
        img[r - arm:r + arm + 1, c] = value
    else:                                                 # corner
        lh, lv = (int(v) for v in rng.integers(4, 8, size=2))
        right, down = (bool(v) for v in rng.integers(0, 2, size=2))
        # the corner pixel (r, c) must leave room for both arms
        r = int(rng.integers(0, size - lv + 1)) + (0 if down else lv - 1)
        c = int(rng.integers(0, size - lh + 1)) + (0 if right else lh - 1)
        cols = slice(c, c + lh) if right else slice(c - lh + 1, c + 1)
        rows = slice(r, r + lv) if down else slice(r - lv + 1, r + 1)
        img[r, cols] = value
        img[rows, c] = value


def generate_shapes(n: int = 600, seed=None, noise: float = 0.2, size: int = IMAGE_SIZE):
    """n images of bars, crosses and corners (see the module docstring).

    Args:
        n: number of images (classes balanced: n // 4 or n // 4 + 1 each, in random order).
        seed: seed of the generator (None: fresh entropy); same seed, same bits.
        noise: standard deviation of the Gaussian pixel noise, >= 0.
        size: image height and width, at least 10.

    Returns X (n, 1, size, size) float64 and one-hot y (n, 4) float64.
    """
    n = check_positive_int(n, "n")
    noise = check_float_in(noise, "noise", 0.0, 10.0)
    size = check_positive_int(size, "size")
    if size < 10:
        raise ValueError(f"size: expected an image size of at least 10, got {size}")
    rng = np.random.default_rng(check_seed(seed))
    labels = rng.permutation(np.arange(n) % len(CLASSES))
    X = np.zeros((n, 1, size, size))
    values = rng.uniform(0.6, 1.0, size=n)
    for i in range(n):
        _draw(X[i, 0], int(labels[i]), rng, float(values[i]))
    if noise > 0:
        X += rng.normal(0.0, noise, size=X.shape)
    y = np.zeros((n, len(CLASSES)))
    y[np.arange(n), labels] = 1.0
    return X, y


# ---------------------------------------------------------------------- the experiment
def conv_net(seed=None, filters: int = 16, kernel_size: int = 3, hidden_units: int = 32,
             size: int = IMAGE_SIZE, classes: int = len(CLASSES)) -> Network:
    """Conv2D(1 -> filters, k x k) -> ReLU -> global max pool (MaxPool2D over the whole
    feature map) -> Flatten -> Dense(hidden_units, ReLU) -> Dense(classes) logits.

    Each filter answers "is my k x k pattern anywhere in the image, and how strongly?"; the
    dense layers combine those answers. 836 parameters with the defaults."""
    check_positive_int(kernel_size, "kernel_size")
    if kernel_size > size:
        raise ValueError(f"kernel_size: expected at most the image size {size}, got "
                         f"{kernel_size}")
    net = Network((1, size, size), seed=seed, init="he")
    net.add(Conv2D(1, filters, kernel_size)).add(Activation("relu"))
    net.add(MaxPool2D(size - kernel_size + 1)).add(Flatten())
    net.add(Dense(hidden_units, "relu")).add(Dense(classes, "linear", init="xavier"))
    return net


def dense_net(seed=None, hidden_units: int = 6, size: int = IMAGE_SIZE,
              classes: int = len(CLASSES)) -> Network:
    """Flatten -> Dense(hidden_units, ReLU) -> Dense(classes) logits: every pixel to every unit.
    898 parameters with the defaults (about the conv net's 836)."""
    net = Network((1, size, size), seed=seed, init="he")
    net.add(Flatten()).add(Dense(hidden_units, "relu")).add(Dense(classes, "linear", init="xavier"))
    return net


@dataclass(frozen=True)
class Run:
    """One trained model: which, its seed and size, and how it did."""

    model: str
    seed: int
    params: int
    train_accuracy: float
    test_accuracy: float
    train_seconds: float
    net: Network


def train_model(model: str, seed: int, X, y, epochs: int = 40, lr: float = 0.01,
                batch_size: int = 32, **kwargs) -> Run:
    """Build ``model`` ("conv" or "dense", kwargs to its builder) with ``seed`` and train it
    with Adam on softmax cross-entropy, mini-batches shuffled by ``seed``."""
    builders = {"conv": conv_net, "dense": dense_net}
    if model not in builders:
        raise ValueError(f"model: expected 'conv' or 'dense', got {model!r}")
    net = builders[model](seed=seed, **kwargs)
    t0 = time.perf_counter()
    history = net.fit(X, y, epochs=epochs, lr=lr, optimizer="adam", loss="softmax_ce",
                      batch_size=batch_size, seed=seed)
    seconds = time.perf_counter() - t0
    return Run(model, seed, net.num_params, history.final_accuracy, float("nan"), seconds, net)


def compare_conv_dense(seeds=(0, 1, 2, 3, 4), n_train: int = 400, n_test: int = 1000,
                       noise: float = 0.2, data_seed: int = 0, epochs: int = 40,
                       lr: float = 0.01, batch_size: int = 32, conv_kwargs=None,
                       dense_kwargs=None) -> list[Run]:
    """Train a conv net and a dense net (see ``conv_net`` / ``dense_net``) for each seed on the
    same ``n_train`` images and score both on ``n_test`` held-out images (both sets drawn from
    ``generate_shapes`` with ``data_seed``). Returns the Runs, conv then dense for each seed;
    ``train_accuracy`` is measured after training on the whole training set."""
    check_positive_int(n_train, "n_train")
    check_positive_int(n_test, "n_test")
    seeds = [check_seed(s, "seeds") for s in seeds]
    if not seeds or any(s is None for s in seeds):
        raise ValueError("seeds: expected a non-empty list of non-negative integers")
    X, y = generate_shapes(n_train + n_test, seed=data_seed, noise=noise)
    Xtr, ytr, Xte, yte = X[:n_train], y[:n_train], X[n_train:], y[n_train:]
    runs = []
    for s in seeds:
        for model, kwargs in (("conv", conv_kwargs or {}), ("dense", dense_kwargs or {})):
            run = train_model(model, s, Xtr, ytr, epochs=epochs, lr=lr, batch_size=batch_size,
                              **kwargs)
            _, train_acc = run.net.evaluate(Xtr, ytr, loss="softmax_ce")
            _, test_acc = run.net.evaluate(Xte, yte, loss="softmax_ce")
            runs.append(Run(model, s, run.params, train_acc, test_acc, run.train_seconds,
                            run.net))
    return runs


def layer_outputs(net: Network, X) -> list[np.ndarray]:
    """The output of every layer of ``net`` for inputs X (``Network.layer_outputs``)."""
    return net.layer_outputs(X)


def filter_responses(net: Network, X, y) -> np.ndarray:
    """(classes, filters): for the network's first Conv2D (followed by its activation, if the
    next layer is one), each filter's strongest response anywhere in an image, averaged over
    the images of each class (y one-hot). Large where a filter finds its pattern in that class.
    """
    first = next((i for i, layer in enumerate(net.layers) if isinstance(layer, Conv2D)), None)
    if first is None:
        raise ValueError("net: expected a network with a Conv2D layer")
    outputs = net.layer_outputs(X)             # validates X
    n = outputs[0].shape[0]
    y = check_array(y, "y", ndim=2)
    if y.shape[0] != n:
        raise ValueError(f"y: expected one-hot labels with {n} rows (one per image), "
                         f"got shape {y.shape}")
    labels = y.argmax(axis=1)
    missing = sorted(set(range(y.shape[1])) - set(labels.tolist()))
    if missing:
        raise ValueError(f"y: expected images of every class, none of class {missing}")
    stop = first + 1
    if stop < len(net.layers) and isinstance(net.layers[stop], Activation):
        stop += 1
    peak = outputs[stop - 1].max(axis=(2, 3))                    # (N, filters)
    return np.stack([peak[labels == k].mean(axis=0) for k in range(y.shape[1])])


__all__ = ["CLASSES", "IMAGE_SIZE", "generate_shapes", "conv_net", "dense_net", "Run",
           "train_model", "compare_conv_dense", "layer_outputs", "filter_responses"]


def multiply_adds(net: Network) -> int:
    """Multiply-adds of one image's forward pass through the Conv2D and Dense layers (the
    arithmetic that dominates; activations, pooling and biases are not counted). A measure of
    cost that, unlike a timing, is the same on every run."""
    if not isinstance(net, Network):
        raise ValueError(f"net: expected a labnn Network, got {type(net).__name__}")
    shape, total = net.input_shape, 0
    for layer in net.layers:
        out = layer.output_shape(shape)
        if isinstance(layer, Conv2D):
            total += int(np.prod(out)) * int(layer.W[0].size)  # per output: C_in kH kW taps
        elif isinstance(layer, Dense):
            total += int(layer.W.size)
        shape = out
    return total

