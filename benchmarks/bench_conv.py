"""Speed of the vectorised Conv2D against the naive loop reference, and conv-net training time.

1. One forward + backward of Conv2D(1 -> 8, 3x3, stride 1, no padding) on a batch of 256
   12x12 images (float64): labnn.conv (im2col by stride tricks) against the naive loops of
   tests/test_conv.py (one output pixel at a time), which must agree to round-off.
2. Training time of labnn.report.images.conv_net (and the dense net of similar size) on the
   shapes task:
   400 images, 40 epochs of Adam, mini-batches of 32, softmax cross-entropy.

Prints medians of interleaved runs. Not a test: figures only.

    .venv/bin/python benchmarks/bench_conv.py [--repeats 7]

Goal: the vectorised forward + backward at least 20x faster than the naive loop. On a busy
machine with few cores OpenBLAS threads wait for each other and the vectorised figure swings by
10x between runs; ``OPENBLAS_NUM_THREADS=1`` gives steadier figures (the matrices are small).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import sys
import time

import numpy as np

from labnn.conv import Conv2D
from labnn.report.images import generate_shapes, train_model

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
from test_conv import naive_conv_backward, naive_conv_forward  # noqa: E402


def conv_speed(repeats: int, naive_repeats: int) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 1, 12, 12))
    layer = Conv2D(1, 8, 3)
    layer.build((1, 12, 12), rng, np.dtype(np.float64), "he")
    dout = rng.normal(size=(256, *layer.output_shape((1, 12, 12))))

    def vectorised():
        out = layer.forward(x)
        return out, layer.backward(dout), layer.dW.copy(), layer.db.copy()

    def naive():
        out = naive_conv_forward(x, layer.W, layer.b)
        return (out, *naive_conv_backward(x, layer.W, dout))

    for a, b in zip(vectorised(), naive()):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-10)

    t_vec, t_naive = [], []
    for i in range(max(repeats, naive_repeats)):
        if i < naive_repeats:
            t0 = time.perf_counter()
            naive()
            t_naive.append(time.perf_counter() - t0)
        inner = 20  # the vectorised pass is short: time 20 of them per sample
        t0 = time.perf_counter()
        for _ in range(inner):
            vectorised()
        t_vec.append((time.perf_counter() - t0) / inner)
    v, n = statistics.median(t_vec), statistics.median(t_naive)
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    print("Conv2D(1 -> 8, 3x3) forward + backward, batch 256 x 1 x 12 x 12, float64 "
          f"(OPENBLAS_NUM_THREADS={threads})")
    print(f"  vectorised (im2col) : {v * 1e3:9.3f} ms")
    print(f"  naive loops         : {n * 1e3:9.3f} ms")
    print(f"  speed-up            : {n / v:9.1f}x   (goal: >= 20x)")


def training_time(repeats: int) -> None:
    X, y = generate_shapes(400, seed=0)
    print("\nTraining on the shapes task: 400 images, 40 epochs, Adam lr 0.01, batch 32")
    for model in ("conv", "dense"):
        times, run = [], None
        for _ in range(repeats):
            run = train_model(model, 0, X, y, epochs=40)
            times.append(run.train_seconds)
        per_epoch = statistics.median(times) / 40
        print(f"  {model:<5} net ({run.params} params): {statistics.median(times):6.3f} s "
              f"({per_epoch * 1e3:.2f} ms per epoch), final training accuracy "
              f"{run.train_accuracy:.2%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--naive-repeats", type=int, default=3)
    args = parser.parse_args()
    conv_speed(args.repeats, args.naive_repeats)
    training_time(max(1, args.repeats // 2))


if __name__ == "__main__":
    main()
