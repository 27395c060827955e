"""Play, Step, Fast-forward and Cancel over a ``playground.Session``, in slices short enough
that the kernel never stays busy: the rules of the explorer's buttons, apart from any widget.

    runner = Runner(Session())
    runner.fast_forward()            # train ``epochs`` more epochs...
    while runner.job:
        runner.work()                # ...one slice at a time (the explorer: one per frame)

A view calls ``work()`` whenever it is free to (the explorer: each time the page has painted
the last frame), so a Cancel, a change or a notebook cell is handled between two slices. A slice
is sized to ``budget`` seconds from the time the last ones took (``Session.advance_steps``), so
even an epoch of thousands of mini-batches is cut into pieces, and the bits are the same however
it is cut. It is trained in ``PARTS`` parts and ends at the first part that ends past the budget,
so a slice overshoots by a part at most when the machine slows down (a shared CPU).

The jobs:

- "play": one epoch per slice (Playground's one frame per epoch; a longer epoch in pieces);
  runs until Pause or Cancel;
- "fast-forward": ``config.epochs`` more epochs, then stops; ``progress`` counts them;
- "step": to the end of the next epoch, then stops.

The one rule for changes (``Session.change``): the lr applies live; a setting that shapes the
run resets it to epoch 0, and cancels a Fast-forward or a Step, while Play keeps playing (the
last change wins: a change that arrives while a slice is queued replaces the job, it never
waits for it). With ``retrain`` (the mini explorers) every change, the lr's too, resets the run
and starts a Fast-forward, so each change shows the result after ``epochs`` epochs.
"""

from __future__ import annotations

import time

from .._checks import check_float_in
from . import playground as pg

BUDGET = 0.025
"""Seconds of training per slice: with the frame's own work (a few milliseconds) and the
page's round trip, the kernel is never busy for long and Play runs at the display's pace."""

BUDGET_RANGE = (0.001, 1.0)

PARTS = 4
"""The parts a slice is trained in, the clock read after each: a slice ends at most one part
(a quarter of the budget, at the speed measured) past its budget."""

JOBS = ("play", "fast-forward", "step")


class Runner:
    """The buttons' rules over ``session``: ``job`` is None (idle) or one of JOBS; ``work()``
    trains one slice of it. ``clock`` is a monotonic clock in seconds (a test passes its own)."""

    def __init__(self, session: pg.Session, *, budget: float = BUDGET, retrain: bool = False,
                 clock=time.perf_counter):
        if not isinstance(session, pg.Session):
            raise ValueError(f"session: expected a playground.Session, got "
                             f"{type(session).__name__}")
        self.session = session
        self.budget = check_float_in(budget, "budget", *BUDGET_RANGE)
        self.retrain = bool(retrain)
        self.clock = clock
        self.job: str | None = None
        self.start = self.target = 0
        """The epochs a Fast-forward or a Step started from and stops at."""
        self.seconds_per_step: float | None = None
        """The time one step took in the last slices (None: not measured since the reset)."""
        self.longest = 0.0
        """Seconds: the longest slice so far."""
        if self.retrain:
            self.fast_forward()

    # ------------------------------------------------------------------ buttons
    def play(self) -> None:
        """Train epoch after epoch until Pause (nothing happens to a diverged run)."""
        self.job = None if self.session.diverged else "play"

    def pause(self) -> None:
        """Stop playing (a Fast-forward or a Step goes on: Cancel stops those)."""
        if self.job == "play":
            self.job = None

    def cancel(self) -> None:
        """Stop whatever runs; the network stays as far as it was trained."""
        self.job = None

    def fast_forward(self) -> None:
        """Train ``config.epochs`` more epochs (an epoch in progress counts as the first)."""
        self._to(self.session.epoch + self.session.config.epochs, "fast-forward")

    def step(self) -> None:
        """Train to the end of the next epoch (Playground's Step), then stop."""
        self._to(self.session.epoch + 1, "step")

    def _to(self, target: int, job: str) -> None:
        if self.session.diverged:
            self.job = None
            return
        self.start, self.target, self.job = self.session.epoch, target, job

    @property
    def progress(self) -> tuple[int, int]:
        """(epochs done, epochs to do) of a Fast-forward or a Step; (0, 0) for other jobs."""
        if self.job not in ("fast-forward", "step"):
            return 0, 0
        return self.session.epoch - self.start, self.target - self.start

    # ------------------------------------------------------------------ changes
    def _after_reset(self) -> None:
        self.seconds_per_step = None
        if self.job in ("fast-forward", "step"):
            self.job = None
        if self.retrain:
            self.fast_forward()

    def change(self, **changes) -> str:
        """``Session.change`` under the job rules above; returns its outcome ("reset" for
        any change with ``retrain``)."""
        outcome = self.session.change(**changes)
        if outcome == "live" and self.retrain:         # a mini explorer shows the result
            self.session.reset()
            outcome = "reset"
        if outcome == "reset":
            self._after_reset()
        return outcome

    def reset(self) -> None:
        """A fresh, untrained network (Play keeps playing)."""
        self.session.reset()
        self._after_reset()

    def regenerate(self) -> str:
        """New data from the next data seed (``Session.regenerate``), reset."""
        outcome = self.session.regenerate()
        self._after_reset()
        return outcome

    # ------------------------------------------------------------------ the work
    def slice_steps(self) -> int:
        """The steps of the next slice: what the job still needs (Play: the rest of the
        epoch), at most what fits in ``budget`` at the measured speed (one step before any
        is measured)."""
        s = self.session
        per = s.steps_per_epoch
        if self.job == "play":
            need = per - s.batch
        else:
            need = (self.target - s.epoch) * per - s.batch
        fits = 1 if self.seconds_per_step is None else \
            max(1, int(self.budget / max(self.seconds_per_step, 1e-9)))
        return max(1, min(need, fits))

    def work(self) -> int:
        """Train one slice of the job; returns the steps trained (0 when idle). A job ends
        when it is done or the run diverges."""
        s = self.session
        if self.job is None or s.diverged:
            self.job = None
            return 0
        steps = self.slice_steps()
        part = max(1, -(-steps // PARTS))
        t0 = self.clock()
        done = 0
        while done < steps:
            trained = s.advance_steps(min(part, steps - done))
            done += trained
            if not trained or s.diverged or self.clock() - t0 >= self.budget:
                break
        seconds = self.clock() - t0
        self.longest = max(self.longest, seconds)
        if done:
            measured = seconds / done
            self.seconds_per_step = measured if self.seconds_per_step is None else \
                0.5 * (self.seconds_per_step + measured)
        if s.diverged or (self.job in ("fast-forward", "step") and s.epoch >= self.target):
            self.job = None
        return done


__all__ = ["BUDGET", "JOBS", "PARTS", "Runner"]
