"""Speed of training S networks as one stack (labnn.stack) against Network.fit once per network.

Prints median times and the median of per-pair ratios, the two ways interleaved in the same
process so both see the same machine load. Not a test: figures only.

    .venv/bin/python benchmarks/bench_stack.py [--repeats 5] [--skip-study]

Goals, full-batch SGD at lr 1.0 on the lab's 21 XOR points, 1000 epochs, S = 100:
at least 10x cheaper per network on 2-4-4-1, at least 5x on 2-16-16-1. Then the report's
learning-rate study (10 rates x both data sets), one process, per run: one Network.fit per run
against stacks, and the whole study as the report runs it. The load average is printed first:
other work on the machine slows both ways, not always alike.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import labnn
from labnn.data import generate_xor_easy
from labnn.report import experiments as E
from labnn.stack import NetworkStack

LRS = [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10**0.5, 10.0, 10**1.5, 100.0]


def one_by_one(hidden, seeds, X, y, epochs):
    for s in seeds:
        labnn.lab_network(hidden_units=hidden, seed=s).fit(X, y, epochs=epochs, lr=1.0)


def stacked(hidden, seeds, X, y, epochs):
    NetworkStack([labnn.lab_network(hidden_units=hidden, seed=s) for s in seeds]).fit(
        X, y, epochs=epochs, lr=1.0)


def timed(f, *args) -> float:
    start = time.perf_counter()
    f(*args)
    return time.perf_counter() - start


def bench_stack(hidden, size, epochs, repeats):
    X, y = generate_xor_easy()
    seeds = range(size)
    singles, stacks, ratios = [], [], []
    for _ in range(repeats):
        a = timed(one_by_one, hidden, seeds, X, y, epochs) / size
        b = timed(stacked, hidden, seeds, X, y, epochs) / size
        singles.append(a)
        stacks.append(b)
        ratios.append(a / b)
    print(f"2-{hidden}-{hidden}-1, S = {size}, {epochs} epochs: fit per network "
          f"{statistics.median(singles) * 1e3:7.2f} ms, in a stack "
          f"{statistics.median(stacks) * 1e3:6.2f} ms per network: "
          f"{statistics.median(ratios):5.1f}x cheaper (median of {repeats} pairs)")


def bench_study(seeds_per_set):
    configs = [E.RunConfig(dataset=ds, seed=s, lr=lr)
               for ds, seeds in seeds_per_set.items() for lr in LRS for s in seeds]
    start = time.perf_counter()
    for c in configs:
        E.run(c)
    old = time.perf_counter() - start
    start = time.perf_counter()
    E.sweep(configs, workers=1)
    new = time.perf_counter() - start
    n = {ds: len(s) for ds, s in seeds_per_set.items()}
    print(f"learning-rate study, {n} seeds per rate ({len(configs)} runs of 5000 epochs), one "
          f"process: fit per run {old:6.1f} s, stacks {new:5.1f} s: {old / new:4.1f}x")
    return old / len(configs), new / len(configs)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-study", action="store_true")
    args = parser.parse_args(argv)
    print("load average (1, 5, 15 min): " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    bench_stack(4, 100, 1000, args.repeats)
    bench_stack(16, 100, 1000, args.repeats)
    bench_stack(4, 10, 1000, args.repeats)
    if args.skip_study:
        return
    old_per_run, _ = bench_study({"linear": range(5), "xor": range(10)})
    seeds = {"linear": range(50), "xor": range(100)}
    runs = len(LRS) * sum(len(s) for s in seeds.values())
    start = time.perf_counter()
    E.learning_rate_study(LRS, seeds=seeds)
    full = time.perf_counter() - start
    print(f"the study as the report runs it ({runs} runs: 100 XOR and 50 linear seeds per "
          f"rate, {E.default_workers()} worker processes): {full:5.1f} s; one fit per run "
          f"would take about {old_per_run * runs:4.0f} s in one process (the per-run cost "
          f"above x {runs})")


if __name__ == "__main__":
    main()
