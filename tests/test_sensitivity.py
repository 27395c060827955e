"""labnn.report.sensitivity: nudging initial weights by ulps, and saying which outcomes changed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from labnn.report import experiments as E
from labnn.report import sensitivity as S


@pytest.mark.slow            # spawns worker processes
def test_the_nudge_reaches_the_worker_processes():
    config = E.RunConfig(dataset="xor", seed=3, lr=1.0, epochs=50)
    with S.nudged(1):
        in_workers = E.sweep([config, E.RunConfig(dataset="xor", seed=4, epochs=50)],
                             workers=2)[0]
        here = E.run(config)
    plain = E.run(config)
    assert all(np.array_equal(p, q) for p, q in zip(in_workers.params, here.params))
    assert not all(np.array_equal(p, q) for p, q in zip(here.params, plain.params))


def _result(seed=0, lr=1.0, solved=True, acc=1.0, epochs=100, loss=1e-3):
    config = E.RunConfig(dataset="xor", seed=seed, lr=lr, epochs=200)
    return E.RunResult(config=config, final_loss=loss, final_accuracy=acc if solved else 0.9,
                       epochs_to_100=epochs, diverged_at=None, loss=np.array([loss]),
                       accuracy=np.array([acc]))


def test_compare_counts_each_kind_of_change():
    base = [_result(seed=s) for s in range(4)] + [_result(seed=0, lr=30.0)]
    twin = [_result(seed=0),                                       # unchanged
            _result(seed=1, loss=1e-3 * (1 + 1e-12)),              # round-off: not a change
            _result(seed=2, loss=2e-3),                            # the loss moved
            _result(seed=3, solved=False, epochs=None),            # solved no more
            _result(seed=0, lr=30.0, epochs=130)]                  # reached 100 % later
    rows = {r["lr"]: r for r in S.compare(base, twin, by="lr")}
    one, big = rows[1.0], rows[30.0]
    assert (one["runs"], one["changed"], one["loss_changed"], one["solved_changed"],
            one["accuracy_changed"], one["epochs_changed"]) == (4, 2, 1, 1, 1, 1)
    assert one["sensitive"] and big["sensitive"] and big["max_epoch_shift"] == 30
    assert S.sensitive_groups(list(rows.values()), by="lr") == [(1.0,), (30.0,)]
    calm = S.compare(base[:2], twin[:2], by="lr")
    assert calm[0]["changed"] == 0 and not calm[0]["sensitive"]
    assert S.sensitive_groups(calm, by="lr") == []


def test_compare_takes_a_subset_and_refuses_strangers():
    base = [_result(seed=s) for s in range(3)]
    rows = S.compare(base, [_result(seed=1, loss=5e-3)], by="dataset")
    assert rows[0]["runs"] == 1 and rows[0]["changed"] == 1
    with pytest.raises(ValueError, match="others"):
        S.compare(base, [_result(seed=9)])
    with pytest.raises(ValueError, match="others"):
        S.compare(base, [])
    with pytest.raises(ValueError, match="loss_tolerance"):
        S.compare(base, base, loss_tolerance=math.nan)
