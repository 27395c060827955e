"""Which results depend on floating-point rounding? Measure it instead of guessing.

Another CPU rounds the last bit of some sums differently (another BLAS kernel, NumPy's AVX2 or
AVX-512 or scalar loops for ``exp`` and ``tanh``), and training can amplify such a difference:
not at all in a smooth descent, a little around the escape from a plateau, enormously when the
learning rate is so large that the weights thrash. This module makes a rounding-sized difference
on purpose: inside ``nudged(ulps)`` every initial parameter of every network that is built moves
by ``ulps`` units in the last place (``labnn.init``'s nudge, whose ``nudged``, ``set_nudge`` and
``get_nudge`` this module hands on; ``experiments.sweep`` passes it to its worker processes),
and ``compare`` says which outcomes of an experiment changed.

    results = E.learning_rate_study(LRS, seeds=range(100))
    with sensitivity.nudged(1):
        again = E.learning_rate_study(LRS, seeds=range(100))
    rows = sensitivity.compare(results, again, by=("dataset", "lr"))

An outcome that a one-ulp nudge changes is *sensitive to rounding*: its exact value on another
machine is anybody's guess, and only a rate over many seeds, with a margin, can be reported for
it.
``tests/test_notebook_sensitivity.py`` re-executes the report under a nudge and checks that the
stored text does not change.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..init import get_nudge, nudged, set_nudge
from .experiments import group


def outcome(result) -> tuple:
    """What a run's printed summary is made of: (solved, final accuracy, epoch of 100 %,
    diverged)."""
    return (result.solved, result.final_accuracy, result.epochs_to_100,
            result.diverged_at is not None)


def compare(results: Sequence, others: Sequence, by: str | Sequence[str] = ("dataset",),
            loss_tolerance: float = 1e-9) -> list[dict]:
    """Pair each run of ``others`` (the same experiment again, nudged; all of it or a subset of
    its runs) with the run of ``results`` that has the same config, and count, per group of
    ``by`` fields, the runs whose outcome changed:

    - ``runs`` (pairs); ``solved_changed`` (solved in one and not the other);
      ``accuracy_changed`` (final accuracy differs); ``epochs_changed`` (epoch of first 100 %
      differs) and ``max_epoch_shift`` (its largest difference among runs that reached 100 %
      in both); ``loss_changed`` (final loss differs by more than ``loss_tolerance``,
      relatively);
    - ``changed``: runs with any of these changes, and ``sensitive``: whether any changed.

    A one-ulp nudge moves the final loss of a run that rounding cannot disturb by about 1e-15,
    relatively (measured: at most 4e-12 over the learning-rate study); a run whose trajectory
    amplifies it moves by 1e-9 and far more. Hence the default ``loss_tolerance`` of 1e-9.
    """
    by_config = {r.config: r for r in results}
    others = list(others)
    if not others:
        raise ValueError("others: expected at least one run")
    missing = [b.config for b in others if b.config not in by_config]
    if missing:
        raise ValueError(f"others: run {missing[0]} has no counterpart in results; give the "
                         f"same experiment (or a subset of its runs) again")
    check = float(loss_tolerance)
    if not (check >= 0 and math.isfinite(check)):
        raise ValueError(f"loss_tolerance: expected a non-negative number, got {loss_tolerance}")
    pairs = {id(by_config[b.config]): b for b in others}
    names = (by,) if isinstance(by, str) else tuple(by)
    rows = []
    for key, rs in group([by_config[b.config] for b in others], names).items():
        keys = key if len(names) > 1 else (key,)
        row = dict(zip(names, keys))
        flags = [_changes(a, pairs[id(a)], check) for a in rs]
        counts = {k: sum(bool(f[k]) for f in flags) for k in flags[0]}
        shifts = [abs(a.epochs_to_100 - pairs[id(a)].epochs_to_100) for a in rs
                  if a.epochs_to_100 is not None and pairs[id(a)].epochs_to_100 is not None]
        row.update(runs=len(rs), **counts, max_epoch_shift=max(shifts, default=0),
                   sensitive=counts["changed"] > 0)
        rows.append(row)
    return rows


def sensitive_groups(rows: Sequence[dict], by: str | Sequence[str] = ("dataset",)) -> list:
    """The keys (as ``format_table``'s ``approx`` takes them) of the ``compare`` rows in which
    some run changed."""
    names = (by,) if isinstance(by, str) else tuple(by)
    return [tuple(row[n] for n in names) for row in rows if row["sensitive"]]


def _changes(a, b, loss_tolerance: float) -> dict:
    """Which outcomes of run ``a`` its twin ``b`` changed (and whether any did)."""
    flags = {
        "solved_changed": a.solved != b.solved,
        "accuracy_changed": not _same(a.final_accuracy, b.final_accuracy),
        "epochs_changed": a.epochs_to_100 != b.epochs_to_100,
        "loss_changed": _relative_change(a.final_loss, b.final_loss) > loss_tolerance,
    }
    flags["changed"] = any(flags.values())
    return flags


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def _relative_change(a: float, b: float) -> float:
    if _same(a, b):
        return 0.0
    if not (math.isfinite(a) and math.isfinite(b)):
        return math.inf
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


__all__ = ["compare", "get_nudge", "nudged", "outcome", "sensitive_groups",
           "set_nudge"]
