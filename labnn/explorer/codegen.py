"""The explorer hands the reader the code for what they built: a few lines of labnn that rebuild
the data, the split, the features, the network, the optimizer and the penalty, and train them
as the explorer did. Run, they give the explorer's weights bit for bit.

    from labnn.explorer.playground import Session, code
    print(code(dataset="circle", features=("x1^2", "x2^2"), layer_widths=()))
    print(session.code())        # every chunk trained so far, every live lr change

It is below the session (``labnn.explorer.playground``), which calls it: ``config_code`` for a
configuration, ``render`` for what a session has trained (its chunks).

A Session trains in chunks (Play, Step); full-batch chunks at one learning rate are one ``fit``
call (the optimizer's state carries over, so the bits are the same), mini-batch chunks keep their
own shuffling seeds (``chunk_seed``), and a live lr change becomes ``opt.lr = ...`` between them.
"""

from __future__ import annotations

from . import datasets as _ds
from .config import PlaygroundConfig, fit_penalty, optimizer_args, output_activation

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
    if cfg.dataset != _ds.OWN:
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


def _runs(chunks) -> list[tuple[float, list[tuple[int, int]]]]:
    """The chunks (start, epochs, lr) grouped by runs of one learning rate."""
    groups: list[tuple[float, list[tuple[int, int]]]] = []
    for start, epochs, lr in chunks:
        if not groups or groups[-1][0] != lr:
            groups.append((lr, []))
        groups[-1][1].append((start, epochs))
    return groups


def _fit_args(cfg: PlaygroundConfig, epochs: str, seed: str | None) -> list[str]:
    args = ["F[train]", "y[train]", f"epochs={epochs}", "optimizer=opt", f"loss={cfg.loss!r}"]
    if cfg.batch_size is not None:
        args += [f"batch_size={cfg.batch_size}", f"seed={seed}"]
    return args + [f"{k}={v!r}" for k, v in fit_penalty(cfg).items()]


def _mini_batch_lines(cfg: PlaygroundConfig, parts: list[tuple[int, int]]) -> list[str]:
    """One fit per chunk (each has its own shuffling seed); equal chunks in a loop."""
    lines, i = [], 0
    while i < len(parts):
        start, size = parts[i]
        j = i
        while j + 1 < len(parts) and parts[j + 1] == (parts[j][0] + size, size):
            j += 1
        if j == i:
            lines += _call("net.fit", _fit_args(cfg, str(size), f"chunk_seed({cfg.seed}, {start})"))
        else:
            lines.append(f"for start in range({start}, {parts[j][0] + size}, {size}):")
            lines += _call("net.fit", _fit_args(cfg, str(size), f"chunk_seed({cfg.seed}, start)"),
                           indent="    ")
        i = j + 1
    return lines


def _training_lines(cfg: PlaygroundConfig, chunks) -> list[str]:
    runs = _runs(chunks)
    first_lr = runs[0][0] if runs else cfg.lr
    args = {**optimizer_args(cfg), "lr": first_lr}
    name = args.pop("name")
    lines = [f"opt = optim.make({name!r}, " + ", ".join(f"{k}={v!r}" for k, v in args.items())
             + ")"]
    for k, (lr, parts) in enumerate(runs):
        if k:
            lines.append(f"opt.lr = {lr!r}   # changed live at epoch {parts[0][0]}")
        if cfg.batch_size is None:   # full batch: no shuffling, so one call for the whole run
            lines += _call("net.fit", _fit_args(cfg, str(sum(e for _, e in parts)), None))
        else:
            lines += _mini_batch_lines(cfg, parts)
    return lines


def _imports(cfg: PlaygroundConfig, own: _ds.OwnData | None) -> list[str]:
    lines = ["import numpy as np" if cfg.test_ratio == 0 else None,
             "from labnn import Network, data, optim",
             "from labnn.explorer.features import features"]
    if cfg.dataset == _ds.OWN:
        lines.append(f"from labnn.explorer.datasets import "
                     f"{'own_data' if own.source == 'arrays' else 'load_csv'}")
    if cfg.batch_size is not None:
        lines.append("from labnn.explorer.playground import chunk_seed")
    return [line for line in lines if line]


def render(cfg: PlaygroundConfig, own: _ds.OwnData | None, chunks, error: str | None = None):
    """The code for configuration ``cfg`` (with ``own`` data for dataset "own") trained in
    ``chunks``, a list of (start epoch, epochs, lr)."""
    task = _ds.task_of(cfg.dataset, own if cfg.dataset == _ds.OWN else None)
    lines = [*_imports(cfg, own), "", *_data_lines(cfg, own), *_network_lines(cfg, task),
             *_training_lines(cfg, chunks)]
    lines.append(f"train_loss = net.loss(F[train], y[train], loss={cfg.loss!r})")
    lines.append(f"test_loss = net.loss(F[test], y[test], loss={cfg.loss!r})")
    if error is not None:
        lines.insert(-2, f"# this run diverged ({error}); fit raises DivergenceError here")
    return "\n".join(lines) + "\n"


def config_code(cfg: PlaygroundConfig, own: _ds.OwnData | None = None) -> str:
    """The code of ``train(cfg)``: one chunk of ``cfg.epochs`` epochs from epoch 0."""
    return render(cfg, own, [(0, cfg.epochs, cfg.lr)])


__all__ = ["config_code", "render"]
