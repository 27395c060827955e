"""The explorer hands the reader the code for what they built: a few lines of labnn that rebuild
the data, the split, the features, the network, the optimizer and the penalty, and train them
as the explorer did. Run, they give the explorer's weights bit for bit.

    from labnn.explorer.playground import Session, code
    print(code(dataset="circle", features=("x1^2", "x2^2"), layer_widths=()))
    print(session.code())        # every chunk trained so far, every live lr change

It is below the session (``labnn.explorer.playground``), which calls it: ``config_code`` for a
configuration, ``render`` for what a session has trained (its chunks).

A Session trains in slices (Play, Step, Fast-forward); full-batch slices at one learning rate are
one ``fit`` call (the optimizer's state carries over, so the bits are the same); mini-batch
epochs each visit the points in their own order (``epoch_order``), one ``fit`` per epoch, and a
live lr change becomes ``opt.lr = ...`` between them (inside an epoch, between two parts of
its order).
"""

from __future__ import annotations

from . import datasets as _ds
from .config import (
    PLAYGROUND_L1,
    PlaygroundConfig,
    fit_penalty,
    optimizer_args,
    output_activation,
)

WRAP = 92
"""Generated lines longer than this are broken after an argument."""


def _call(head: str, args: list[str], indent: str = "") -> list[str]:
    """``head(args...)`` on one line, or broken after the arguments that fit."""
    line = f"{indent}{head}({', '.join(args)})"
    if len(line) <= WRAP:
        return [line]
    lines, current = [], f"{indent}{head}("
    pad = " " * len(current)
    for i, arg in enumerate(args):
        piece = arg + (", " if i < len(args) - 1 else ")")
        if len(current) + len(piece.rstrip()) > WRAP and current.strip() != f"{head}(":
            lines.append(current.rstrip())
            current = pad
        current += piece
    return lines + [current]


def _data_lines(cfg: PlaygroundConfig, own: _ds.OwnData | None) -> list[str]:
    if cfg.dataset == _ds.QUADRANTS:
        lines = [f"X, y = generate_xor_quadrants(n={cfg.n}, seed={cfg.effective_data_seed}, "
                 f"noise={cfg.noise!r})"]
    elif cfg.dataset != _ds.OWN:
        lines = [f"X, y = data.load({cfg.dataset!r}, n={cfg.n}, seed={cfg.effective_data_seed}, "
                 f"noise={cfg.noise!r})"]
    elif own.source == "arrays":
        lines = ["# X, y: the points (N, 2) and the labels or targets (N,) you gave the explorer",
                 f"own = own_data(X, y, task={own.task!r})   # checked, rescaled into the view",
                 "X, y = own.X, own.y"]
    else:
        lines = [f"own = load_csv({own.source!r}, task={own.task!r})   # rescaled into the view",
                 "X, y = own.X, own.y"]
    if cfg.test_ratio == 0:
        lines.append("train = test = np.arange(len(X))   # test ratio 0: the lab tests on the "
                     "training points")
    else:
        lines.append(f"train, test = data.train_test_indices(len(X), test_ratio="
                     f"{cfg.test_ratio!r}, seed={cfg.effective_data_seed})")
    return lines + [f"F = features(X, {cfg.features!r})"]


def _network_lines(cfg: PlaygroundConfig, task: str) -> list[str]:
    lines = [f"net = Network({len(cfg.features)}, seed={cfg.seed})"]
    if cfg.layer_widths:
        lines += [f"for width in {cfg.layer_widths!r}:",
                  f"    net.add_layer(width, {cfg.activation!r})"]
    return lines + [f"net.add_layer(1, {output_activation(task)!r})"]


def _runs(chunks) -> list[tuple[float, int, int]]:
    """The chunks (first step, steps, lr) joined into runs of one learning rate:
    (lr, first step, last step + 1)."""
    runs: list[tuple[float, int, int]] = []
    for start, steps, lr in chunks:
        if runs and runs[-1][0] == lr and runs[-1][2] == start:
            runs[-1] = (lr, runs[-1][1], start + steps)
        else:
            runs.append((lr, start, start + steps))
    return runs


def _fit_args(cfg: PlaygroundConfig, rows: str, epochs: int, mini_batch: bool) -> list[str]:
    args = [f"F[train]{rows}", f"y[train]{rows}", f"epochs={epochs}", "optimizer=opt",
            f"loss={cfg.loss!r}"]
    if mini_batch:
        args += [f"batch_size={cfg.batch_size}", "shuffle=False"]
    return args + [f"{k}={v!r}" for k, v in fit_penalty(cfg).items()]


def _order_line(cfg: PlaygroundConfig, epoch: str, indent: str = "") -> str:
    return f"{indent}order = epoch_order({cfg.seed}, {epoch}, len(train))"


def _mini_batch_lines(cfg: PlaygroundConfig, first: int, end: int, per_epoch: int) -> list[str]:
    """Steps ``first`` to ``end`` of a mini-batch run: each epoch in its own order
    (``epoch_order``), whole epochs in a loop, the parts of an epoch cut by a live lr change
    as slices of its order."""
    lines, step, size = [], first, cfg.batch_size
    while step < end:
        epoch, batch = divmod(step, per_epoch)
        if batch == 0 and end - step >= per_epoch:          # whole epochs
            last = epoch + (end - step) // per_epoch
            if last - epoch == 1:
                lines.append(_order_line(cfg, str(epoch)))
                lines += _call("net.fit", _fit_args(cfg, "[order]", 1, True))
            else:
                lines.append(f"for epoch in range({epoch}, {last}):")
                lines.append(_order_line(cfg, "epoch", "    "))
                lines += _call("net.fit", _fit_args(cfg, "[order]", 1, True), indent="    ")
            step = last * per_epoch
            continue
        stop = min(end, (epoch + 1) * per_epoch)                # a part of one epoch
        lo = batch * size
        hi = "" if stop == (epoch + 1) * per_epoch else str((stop - epoch * per_epoch) * size)
        lines.append(_order_line(cfg, str(epoch)))
        lines += _call("net.fit", _fit_args(cfg, f"[order[{lo or ''}:{hi}]]", 1, True))
        step = stop
    return lines


def _optimizer_line(cfg: PlaygroundConfig, lr: float) -> str:
    args = {**optimizer_args(cfg), "lr": lr}
    name = args.pop("name")
    made = f"optim.make({name!r}, " + ", ".join(f"{k}={v!r}" for k, v in args.items()) + ")"
    if cfg.regularization == PLAYGROUND_L1:
        return f"opt = PlaygroundL1({made}, rate={cfg.reg_rate!r}, weights=net.weights)"
    return f"opt = {made}"


def _training_lines(cfg: PlaygroundConfig, chunks, per_epoch: int) -> list[str]:
    runs = _runs(chunks)
    lines = [_optimizer_line(cfg, runs[0][0] if runs else cfg.lr)]
    for k, (lr, first, end) in enumerate(runs):
        if k:
            epoch, batch = divmod(first, per_epoch)
            where = f"epoch {epoch}" + (f", batch {batch}" if batch else "")
            lines.append(f"opt.lr = {lr!r}   # changed live at {where}")
        if per_epoch == 1:   # full batch: no order, so one call for the whole run
            lines += _call("net.fit", _fit_args(cfg, "", end - first, False))
        else:
            lines += _mini_batch_lines(cfg, first, end, per_epoch)
    return lines


def _imports(cfg: PlaygroundConfig, own: _ds.OwnData | None, per_epoch: int) -> list[str]:
    lines = ["import numpy as np" if cfg.test_ratio == 0 else None,
             "from labnn import Network, data, optim",
             "from labnn.explorer.features import features"]
    if cfg.dataset == _ds.QUADRANTS:
        lines.append("from labnn.explorer.datasets import generate_xor_quadrants")
    if cfg.dataset == _ds.OWN:
        lines.append(f"from labnn.explorer.datasets import "
                     f"{'own_data' if own.source == 'arrays' else 'load_csv'}")
    if per_epoch > 1:
        lines.append("from labnn.explorer.playground import epoch_order")
    if cfg.regularization == PLAYGROUND_L1:
        lines.append("from labnn.explorer.pruning import PlaygroundL1")
    return [line for line in lines if line]


def render(cfg: PlaygroundConfig, own: _ds.OwnData | None, chunks, error: str | None = None,
           per_epoch: int = 1):
    """The code for configuration ``cfg`` (with ``own`` data for dataset "own") trained in
    ``chunks``, a list of (first step, steps, lr); ``per_epoch`` is the steps of an epoch
    (1 for full batch: a step is an epoch)."""
    task = _ds.task_of(cfg.dataset, own if cfg.dataset == _ds.OWN else None)
    lines = [*_imports(cfg, own, per_epoch), "", *_data_lines(cfg, own),
             *_network_lines(cfg, task), *_training_lines(cfg, chunks, per_epoch)]
    lines.append(f"train_loss = net.loss(F[train], y[train], loss={cfg.loss!r})")
    lines.append(f"test_loss = net.loss(F[test], y[test], loss={cfg.loss!r})")
    if error is not None:
        lines.insert(-2, f"# this run diverged ({error}); fit raises DivergenceError here")
    return "\n".join(lines) + "\n"


def config_code(cfg: PlaygroundConfig, own: _ds.OwnData | None = None,
                per_epoch: int = 1) -> str:
    """The code of ``train(cfg)``: ``cfg.epochs`` epochs of ``per_epoch`` steps from the
    start."""
    return render(cfg, own, [(0, cfg.epochs * per_epoch, cfg.lr)], None, per_epoch)


__all__ = ["config_code", "render"]
