"""Speed of the explorer's pure core (no widgets, no drawing): what one Play tick costs before
anything is drawn.

    .venv/bin/python benchmarks/bench_explorer_core.py [--repeats 200]

Prints the median and 90th percentile of
- one training slice of 10 epochs (``Session.advance(10)``: the fit, the test loss and the weight
  gradients' sizes recorded per epoch) on xor with 2 hidden layers of 8;
- one 100 x 100 grid prediction (``Session.predict_grid(100)``: features, then the network);
- the same two with a test split, all seven features and an L2 penalty (the most work per epoch);
- ``Session.node_grids(40)`` (every feature's and neuron's map, for a frame of the page).
Figures only, no target: the frame rate is measured with the view, in the browser test.
"""

from __future__ import annotations

import argparse
import statistics
import time

from labnn.explorer.features import FEATURE_NAMES
from labnn.explorer.playground import Session


def _times(action, repeats: int) -> list[float]:
    action()   # warm up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        action()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def _line(label: str, times: list[float]) -> str:
    p90 = statistics.quantiles(times, n=10)[-1]
    return f"{label:<62} median {statistics.median(times):7.3f} ms   p90 {p90:7.3f} ms"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args(argv)
    cases = {
        "xor, 2 x 8 tanh (the defaults)": {},
        "xor, 2 x 8, test ratio 0.5, 7 features, l2": {
            "test_ratio": 0.5, "features": FEATURE_NAMES, "regularization": "l2"},
    }
    for label, changes in cases.items():
        session = Session(dataset="xor", layer_widths=(8, 8), **changes)
        print(_line(f"{label}: advance(10)", _times(lambda s=session: s.advance(10), args.repeats)))
        print(_line(f"{label}: predict_grid(100)",
                    _times(lambda s=session: s.predict_grid(100), args.repeats)))
    session = Session(dataset="xor", layer_widths=(8, 8))
    session.advance(10)
    print(_line("xor, 2 x 8: node_grids(40)", _times(lambda: session.node_grids(40),
                                                     args.repeats)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
