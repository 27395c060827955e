"""Responsiveness of the Playground explorer, in the kernel (no browser): how long each message
from the page keeps the kernel busy. Targets (the page's, measured by ``make test-browser``): a
slider change painted within 50 ms (median), Play at 30 frames a second on xor 2 x 8 and 15 on
spiral 6 x 8, the kernel never busy for more than 100 ms at a time.

    .venv/bin/python benchmarks/bench_widgets.py [--repeats 40]

Per message: a noise change (a reset: new data, a fresh network, the scene, the frame); one Play
tick (an epoch and its frame) on xor 2 x 8 and on spiral 6 x 8; one Fast-forward tick under the
most expensive settings the controls allow (2000 spiral points at batch 1, six hidden layers of
8, every feature, Adam): a slice of ``jobs.BUDGET`` seconds and its frame. The page adds the trip
to the kernel and back and the drawing: ``make test-browser`` measures the whole in the page and
writes build/browser/timings.json, which this script prints when it is there. Figures, not a
timed test: the load average is printed with them (other work on the machine slows both).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from labnn.explorer import widgets
from labnn.explorer.features import FEATURE_NAMES

TIMINGS = Path(__file__).resolve().parents[1] / "build" / "browser" / "timings.json"


def _handled(explorer, repeats: int, message) -> list[float]:
    """Milliseconds each of ``repeats`` messages kept the kernel (``message(i)`` gives the
    i-th)."""
    times = []
    for i in range(repeats):
        t0 = time.perf_counter()
        explorer._on_msg(explorer, message(i), [])
        times.append((time.perf_counter() - t0) * 1000)
    return times


def _line(label: str, times: list[float]) -> str:
    p90 = statistics.quantiles(times, n=10)[-1]
    return (f"{label:<52} median {statistics.median(times):6.1f} ms   p90 {p90:6.1f} ms   "
            f"worst {max(times):6.1f} ms (n={len(times)}, load {os.getloadavg()[0]:.2f})")


def _ticks(explorer) -> callable:
    return lambda _i: {"type": "tick", "seq": explorer.last["frame"]["seq"]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40)
    args = parser.parse_args(argv)
    n = args.repeats
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    e = widgets.explorer()
    e._on_msg(e, {"type": "hello"}, [])
    print(_line("noise change (a reset) -> scene + frame", _handled(
        e, n, lambda i: {"type": "set", "name": "noise", "value": 0.05 * (i % 2)})))
    e.play()
    print(_line("Play tick, xor 2 x 8: an epoch + its frame", _handled(e, n, _ticks(e))))
    s = widgets.explorer(dataset="spiral", layer_widths=(8,) * 6)
    s.play()
    print(_line("Play tick, spiral 6 x 8: an epoch + its frame", _handled(s, n, _ticks(s))))
    h = widgets.explorer(dataset="spiral", n=2000, batch_size=1, layer_widths=(8,) * 6,
                         features=FEATURE_NAMES, optimizer="adam", lr=0.01, epochs=5000)
    h.fast_forward()
    print(_line("Fast-forward tick, 2000 points, batch 1, 6 x 8", _handled(h, n, _ticks(h))))
    if TIMINGS.exists():
        t = json.loads(TIMINGS.read_text())
        print(f"browser (make test-browser, {time.ctime(TIMINGS.stat().st_mtime)}): slider "
              f"median {statistics.median(t['slider_ms']):.0f} ms (load {t['slider_load']:.2f});"
              f" Play {t['play_xor']['fps']:.1f} frames/s on xor 2 x 8, "
              f"{t['play_spiral']['fps']:.1f} on spiral 6 x 8; longest kernel-busy stretch "
              f"{t['busy']['max_ms']:.0f} ms")
    else:
        print(f"browser: no {TIMINGS.relative_to(TIMINGS.parents[2])} (run make test-browser)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
