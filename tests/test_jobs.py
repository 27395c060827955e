"""labnn.explorer.jobs: Play, Step, Fast-forward and Cancel in slices that fit a time budget,
the one rule for changes (lr live, a reset cancels a Fast-forward but Play keeps playing), and
the bits: a run cut into slices is the run in one piece."""

from __future__ import annotations

import numpy as np
import pytest

from labnn.explorer.jobs import PARTS, Runner
from labnn.explorer.playground import Session, train


def _same_params(a, b) -> bool:
    return all(np.array_equal(p, q) for p, q in zip(a.params, b.params, strict=True))


def _until_idle(runner, limit=100_000) -> int:
    slices = 0
    while runner.job and slices < limit:
        runner.work()
        slices += 1
    return slices


def test_a_session_starts_untrained_and_fast_forward_trains_epochs_more():
    r = Runner(Session(epochs=300))
    assert r.job is None and r.session.epoch == 0 and r.work() == 0
    r.fast_forward()
    assert r.job == "fast-forward" and r.progress == (0, 300)
    slices = _until_idle(r)
    assert r.session.epoch == 300 and r.job is None and slices > 1
    assert _same_params(r.session.network, train(epochs=300)[1])
    r.fast_forward()                                  # epochs MORE
    _until_idle(r)
    assert r.session.epoch == 600


def test_slices_fit_the_budget_even_when_one_epoch_does_not():
    # 2000 points at batch 1: an epoch is 2000 steps; each slice takes the steps that fit in
    # the budget at the speed measured (a clock that says each step takes a millisecond).
    s = Session(dataset="spiral", n=2000, batch_size=1, layer_widths=(8,) * 6, epochs=1)
    r = Runner(s, budget=0.02, clock=lambda: s.steps * 0.001)
    r.step()
    sizes = []
    while r.job:
        sizes.append(r.slice_steps())
        r.work()
    assert s.epoch == 1 and s.batch == 0 and sum(sizes) == 2000
    assert sizes[0] == 1 and max(sizes) == 20            # 20 ms at 1 ms a step
    assert r.seconds_per_step == pytest.approx(0.001)


def test_a_slice_ends_at_the_first_part_past_its_budget_when_the_machine_slows_down():
    # measured at 1 ms a step, a 20 ms slice plans 20 steps in PARTS parts of 5; when steps
    # then take 5 ms each (the CPU is shared), the slice stops after its first part (25 ms)
    # instead of running its 20 steps (100 ms)
    rate, clock = [0.001], [0.0]
    s = Session(dataset="spiral", n=2000, batch_size=1, layer_widths=(8,) * 2, epochs=1)
    train = s.advance_steps

    def timed(steps):
        done = train(steps)
        clock[0] += done * rate[0]
        return done

    s.advance_steps = timed
    r = Runner(s, budget=0.02, clock=lambda: clock[0])
    r.step()
    for _ in range(3):
        r.work()
    assert r.slice_steps() == 20 and PARTS == 4
    rate[0] = 0.005
    assert r.work() == 5
    assert r.longest == pytest.approx(0.025)
    rate[0] = 0.001
    before = s.steps
    r.work()                                   # the estimate follows the machine: fewer steps
    assert s.steps - before < 20


def test_play_is_one_epoch_a_slice_and_pause_stops_it():
    r = Runner(Session())
    r.play()
    for _ in range(7):
        assert r.work() == 1                          # full batch: one step is one epoch
    assert r.session.epoch == 7
    r.pause()
    assert r.work() == 0 and r.session.epoch == 7


def test_a_change_that_shapes_the_run_resets_it_and_play_keeps_playing():
    r = Runner(Session())
    r.play()
    r.work()
    assert r.change(noise=0.1) == "reset"
    assert r.session.epoch == 0 and r.job == "play"
    r.work()
    assert r.session.epoch == 1


def test_a_change_cancels_a_fast_forward_and_the_last_change_wins():
    r = Runner(Session(epochs=2000))
    r.fast_forward()
    r.work()
    assert r.change(dataset="circle") == "reset" and r.job is None and r.session.epoch == 0
    r.fast_forward()
    r.work()
    assert r.change(lr=1.0) == "live" and r.job == "fast-forward"   # lr is live: it goes on
    r.cancel()
    assert r.job is None
    epoch = r.session.epoch
    assert r.work() == 0 and r.session.epoch == epoch


def test_a_mini_explorer_retrains_after_every_change():
    r = Runner(Session(epochs=100), retrain=True)
    assert r.job == "fast-forward"
    _until_idle(r)
    for value in (1.0, 0.03):
        assert r.change(activation="relu" if value == 1.0 else "tanh") == "reset"
        assert r.job == "fast-forward"
        _until_idle(r)
        assert r.change(lr=value) == "reset" and r.job == "fast-forward"   # the lr too
        assert r.session.epoch == 0
        _until_idle(r)
        assert r.session.epoch == 100 and r.session.chunks == [(0, 100, value)]


def test_step_finishes_the_epoch_in_progress():
    r = Runner(Session(dataset="circle", n=40, batch_size=4, epochs=3))
    r.session.advance_steps(3)
    r.step()
    assert r.progress == (0, 1)
    _until_idle(r)
    assert (r.session.epoch, r.session.batch) == (1, 0)


def test_a_diverged_run_ends_the_job():
    r = Runner(Session(activation="relu", epochs=50))
    for p in r.session.network.params:
        p[...] = np.where(np.arange(p.size).reshape(p.shape) % 2, 1e308, -1e308)
    r.play()
    r.work()
    assert r.session.diverged and r.job is None
    r.play()
    assert r.job is None
    r.reset()
    assert not r.session.diverged


def test_regenerate_resets_and_a_fixed_set_refuses_it():
    r = Runner(Session(dataset="circle"))
    r.play()
    assert r.regenerate() == "reset" and r.job == "play"
    with pytest.raises(ValueError, match="^regenerate: "):
        Runner(Session()).regenerate()


def test_bad_arguments_name_what_is_wrong():
    with pytest.raises(ValueError, match="^session: "):
        Runner("xor")
    with pytest.raises(ValueError, match="^budget: "):
        Runner(Session(), budget=5)
