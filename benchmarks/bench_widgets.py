"""Responsiveness of the Playground explorer: after a slider change the default configuration
retrains from scratch and redraws (figure rendered to PNG, status text) in the kernel.

    .venv/bin/python benchmarks/bench_widgets.py [--repeats 40]

Prints the median and 90th percentile per control; the target is a median under 300 ms. (The
browser round trip on top of this is measured by tests/browser/test_playground_browser.py.)
"""

from __future__ import annotations

import argparse
import statistics
import time

from labnn.explorer import widgets
from labnn.explorer.playground import PlaygroundConfig

TARGET_MS = 300.0


def time_changes(explorer, name, values, repeats):
    times = []
    for i in range(repeats):
        value = values[i % len(values)]
        if explorer.controls[name].value == value:
            value = values[(i + 1) % len(values)]
        t0 = time.perf_counter()
        explorer.controls[name].value = value
        times.append((time.perf_counter() - t0) * 1000)
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40)
    args = parser.parse_args(argv)
    cfg = PlaygroundConfig()
    print(f"default configuration: {cfg.summary()}, {cfg.epochs} epochs")
    explorer = widgets.explorer()
    cases = {
        "lr": [0.1, 0.3, 1.0, 0.03],
        "hidden_units": [4, 8, 12, 6],
        "activation": ["sigmoid", "tanh", "relu"],
        "layers": [1, 2, 3],
        "dataset": ["circle", "xor", "linear"],
    }
    medians = {}
    for name, values in cases.items():
        explorer.controls[name].value = getattr(cfg, name)
        times = time_changes(explorer, name, values, args.repeats)
        explorer.controls[name].value = getattr(cfg, name)
        med = statistics.median(times)
        p90 = statistics.quantiles(times, n=10)[-1]
        medians[name] = med
        print(f"{name:>10} change -> retrain {cfg.epochs} epochs + redraw: median {med:6.1f} ms"
              f"   p90 {p90:6.1f} ms   (n={len(times)})")
    redraw = statistics.median(explorer.render_seconds) * 1000
    print(f"redraw alone (figure + PNG + text): median {redraw:.1f} ms")
    worst = max(medians.values())
    verdict = "OK" if worst < TARGET_MS else "TOO SLOW"
    print(f"slowest median {worst:.1f} ms; target < {TARGET_MS:.0f} ms: {verdict}")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
