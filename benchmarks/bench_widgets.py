"""Responsiveness of the Playground explorer. Targets: a slider change shows its new picture
within 150 ms (median, browser key press to new image) with the network view on; Play shows at
least 10 new frames a second on xor with 2 layers of 8.

    .venv/bin/python benchmarks/bench_widgets.py [--repeats 40]

In the kernel (this script, no browser): per control, a change retrains the starting
configuration from scratch and draws both pictures (the output with the loss curves, the
network with the gradient view) and the text; and one Play frame (a chunk of epochs, then the
drawing). The browser adds the trip to the kernel and back and the decoding and painting of the
pictures: ``make test-browser`` measures the whole, key press to painted picture, in the page,
and writes build/browser/timings.json, which this script prints when it is there. Figures, not
a timed test: the load average is printed with them (other work on the machine slows both).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from labnn.explorer import widgets
from labnn.explorer.playground import PlaygroundConfig

TARGET_MS, TARGET_FPS = 150.0, 10.0
TIMINGS = Path(__file__).resolve().parents[1] / "build" / "browser" / "timings.json"
CASES = {
    "lr": [0.398, 0.3],
    "noise": [0.05, 0.0],
    "test_ratio": [0.1, 0.0],
    "activation": ["relu", "tanh"],
    "regularization": ["l2", "none"],
}


def _ms(action, repeats: int) -> list[float]:
    times = []
    for i in range(repeats):
        t0 = time.perf_counter()
        action(i)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def _line(label: str, times: list[float]) -> str:
    p90 = statistics.quantiles(times, n=10)[-1]
    return (f"{label:<48} median {statistics.median(times):6.1f} ms   p90 {p90:6.1f} ms   "
            f"(n={len(times)})")


def slider_changes(repeats: int) -> float:
    """Every control of CASES moved back and forth; returns the slowest median (ms)."""
    explorer = widgets.explorer()
    medians = []
    for name, values in CASES.items():
        def change(i, name=name, values=values):
            explorer.session.in_progress = False   # idle: a change retrains (lr included)
            explorer.controls[name].value = values[i % 2]
        times = _ms(change, repeats)
        explorer.controls[name].value = getattr(PlaygroundConfig(), name)
        medians.append(statistics.median(times))
        print(_line(f"{name} change -> retrain 500 epochs + redraw", times))
    return max(medians)


def play_frames(repeats: int) -> float:
    """Play ticks on the starting configuration (xor, 2 x 8); returns the median frame (ms)."""
    explorer = widgets.explorer()
    explorer.min_tick_gap = 0.0
    explorer.play()

    def tick(_i):
        explorer.ticker.value += 1
    tick(0)
    times = _ms(tick, repeats)
    print(_line(f"Play frame: {explorer.chunk} epochs + redraw", times))
    return statistics.median(times)


def browser() -> None:
    if not TIMINGS.exists():
        print(f"browser: no {TIMINGS.relative_to(TIMINGS.parents[2])} (run make test-browser)")
        return
    t = json.loads(TIMINGS.read_text())
    print(f"browser (make test-browser, {time.ctime(TIMINGS.stat().st_mtime)}): key press to "
          f"both pictures painted, median {t['median_ms']:.0f} ms (target {TARGET_MS:.0f}); "
          f"Play {t['play_frames_per_second']:.1f} frames a second (target {TARGET_FPS:.0f})"
          + (f"; load average then {t['load_average']:.2f}" if "load_average" in t else ""))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40)
    args = parser.parse_args(argv)
    cfg = PlaygroundConfig()
    print(f"starting configuration: {cfg.summary()}, {cfg.epochs} epochs; network view and "
          f"gradient view on; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    slowest = slider_changes(args.repeats)
    frame = play_frames(args.repeats)
    print(f"in the kernel: slowest slider median {slowest:.1f} ms; Play at most "
          f"{1000 / frame:.1f} frames a second (the browser's round trip comes on top)")
    browser()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
