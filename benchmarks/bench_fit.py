"""Speed of Network.fit against a minimal hand-written NumPy loop of the same math.

Prints median times and the median of per-pair ratios (fit / minimal), runs interleaved in the
same process so both see the same machine load. Not a test: figures only.

    .venv/bin/python benchmarks/bench_fit.py [--repeats 15]

Goals: lab nets (2-4-4-1 and 2-16-16-1 sigmoid, MSE, full batch, SGD lr 0.1, 1000
epochs, float64) at most 1.2x the minimal loop; n = 1e5, H = 256, float32 within 1.3x.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

import labnn
from labnn.data import generate_linear


def minimal_loop(X, y, weights, epochs, lr):
    """The same math as fit (sigmoid everywhere, MSE over all elements, full-batch SGD),
    written as plainly as NumPy allows, recording the loss each epoch."""
    Ws = [w.copy() for w in weights[0::2]]
    bs = [b.copy() for b in weights[1::2]]
    losses = []
    n_out = y.size
    for _ in range(epochs):
        acts = [X]
        for W, b in zip(Ws, bs):
            acts.append(1.0 / (1.0 + np.exp(-(acts[-1] @ W + b))))
        diff = acts[-1] - y
        losses.append(float(np.mean(diff * diff)))
        grad = 2.0 * diff / n_out
        for i in range(len(Ws) - 1, -1, -1):
            a = acts[i + 1]
            dz = grad * a * (1.0 - a)
            dW = acts[i].T @ dz
            db = dz.sum(axis=0)
            if i:
                grad = dz @ Ws[i].T
            Ws[i] -= lr * dW
            bs[i] -= lr * db
    return Ws, bs, losses


def make_net(hidden, seed, dtype):
    return labnn.lab_network(hidden_units=hidden, seed=seed, dtype=dtype)


def bench(name, X, y, hidden, epochs, dtype, repeats, torch_too=False):
    X = X.astype(dtype)
    y = y.astype(dtype)
    t_fit, t_min, t_torch = [], [], []
    torch = None
    if torch_too:
        try:
            import torch  # noqa: F401  (optional reference, never a dependency)
        except ImportError:
            torch = None
    for r in range(repeats):
        net = make_net(hidden, seed=r, dtype=dtype)
        weights = [p.copy() for p in net.params]
        t0 = time.perf_counter()
        net.fit(X, y, epochs=epochs, lr=0.1)
        t1 = time.perf_counter()
        minimal_loop(X, y, weights, epochs, 0.1)
        t2 = time.perf_counter()
        t_fit.append(t1 - t0)
        t_min.append(t2 - t1)
        if torch is not None:
            t_torch.append(torch_fit(torch, X, y, weights, epochs, 0.1))
    ratios = [a / b for a, b in zip(t_fit, t_min)]
    line = (f"{name:<34} fit {statistics.median(t_fit) * 1e3:8.1f} ms   minimal "
            f"{statistics.median(t_min) * 1e3:8.1f} ms   ratio fit/minimal "
            f"{statistics.median(ratios):.2f}x")
    if t_torch:
        tr = [a / b for a, b in zip(t_fit, t_torch)]
        line += f"   torch eager {statistics.median(t_torch) * 1e3:8.1f} ms (fit/torch " \
                f"{statistics.median(tr):.2f}x)"
    print(line, flush=True)
    return statistics.median(ratios)


def torch_fit(torch, X, y, weights, epochs, lr):
    torch.set_num_threads(1 if X.shape[0] < 10_000 else 2)
    tX, ty = torch.from_numpy(X), torch.from_numpy(y)
    params = [torch.tensor(p, requires_grad=True) for p in weights]
    opt = torch.optim.SGD(params, lr=lr)
    t0 = time.perf_counter()
    for _ in range(epochs):
        out = tX
        for W, b in zip(params[0::2], params[1::2]):
            out = torch.sigmoid(out @ W + b)
        loss = torch.mean((out - ty) ** 2)
        opt.zero_grad()
        loss.backward()
        opt.step()
        float(loss.detach())
    return time.perf_counter() - t0


def check_same_math():
    """The benchmark is only fair if both compute the same thing: compare final weights."""
    X, y = generate_linear(100, seed=0)
    net = make_net(4, 0, np.float64)
    weights = [p.copy() for p in net.params]
    hist = net.fit(X, y, epochs=50, lr=0.1)
    Ws, bs, losses = minimal_loop(X, y, weights, 50, 0.1)
    err = max(float(np.abs(a - b).max()) for a, b in zip(net.params[0::2], Ws))
    lerr = max(abs(a - b) for a, b in zip(hist.loss, losses))
    print(f"same math: max |W_fit - W_minimal| = {err:.1e}, max loss difference = {lerr:.1e}")
    assert err < 1e-12 and lerr < 1e-12


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--big-repeats", type=int, default=5)
    args = ap.parse_args()
    print("load average (1, 5, 15 min): " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    check_same_math()
    X, y = generate_linear(100, seed=0)
    bench("2-4-4-1 sigmoid, n=100, f64", X, y, 4, 1000, np.float64, args.repeats, True)
    bench("2-16-16-1 sigmoid, n=100, f64", X, y, 16, 1000, np.float64, args.repeats, True)
    Xb, yb = generate_linear(100_000, seed=0)
    bench("2-256-256-1 sigmoid, n=1e5, f32", Xb, yb, 256, 3, np.float32, args.big_repeats,
          True)


if __name__ == "__main__":
    main()
