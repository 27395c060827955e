"""labnn.explorer.codegen: the labnn code of a run (a configuration, or a session as it was
trained, slice by slice and live lr change by change) reads plainly and, run, rebuilds the same
weights bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from explorer_helpers import blob_points
from hypothesis import given, settings
from hypothesis import strategies as st

from labnn import DivergenceError
from labnn.explorer import codegen
from labnn.explorer import datasets as ds
from labnn.explorer import playground as pg
from labnn.explorer import widgets as lw
from labnn.explorer.features import FEATURE_NAMES
from labnn.explorer.playground import Session, code, train


def _same_params(a, b) -> bool:
    return all(np.array_equal(p, q) for p, q in zip(a.params, b.params, strict=True))


# ====================================================================== own data


def _run_code(text: str, **namespace) -> dict:
    ns = dict(namespace)
    exec(compile(text, "<explorer code>", "exec"), ns)   # noqa: S102 - the code under test
    return ns


# ====================================================================== code()
def test_the_code_of_the_defaults_reads_and_rebuilds_the_same_weights():
    text = code()
    assert text.splitlines()[:4] == ["import numpy as np", "from labnn import Network, data, optim",
                                     "from labnn.explorer.features import features", ""]
    assert "X, y = data.load('xor', n=100, seed=0, noise=0.0)" in text
    assert "net.fit(F[train], y[train], epochs=500, optimizer=opt, loss='mse')" in text
    ns = _run_code(text)
    assert _same_params(ns["net"], train()[1])


CONFIGS = st.builds(
    dict, dataset=st.sampled_from(pg.DATASETS), noise=st.sampled_from([0.0, 0.1]),
    features=st.sets(st.sampled_from(FEATURE_NAMES), min_size=1).map(tuple),
    layer_widths=st.lists(st.integers(1, 5), max_size=3).map(tuple),
    activation=st.sampled_from(pg.SETTINGS["activation"].choices),
    optimizer=st.sampled_from(pg.SETTINGS["optimizer"].choices),
    lr=st.sampled_from([0.003, 0.03, 0.3]), batch_size=st.sampled_from([None, 4, 7]),
    regularization=st.sampled_from(pg.SETTINGS["regularization"].choices),
    reg_rate=st.sampled_from([0.0, 0.01]),
    test_ratio=st.sampled_from([0, 0.2, 0.5]), seed=st.integers(0, 2**32 - 1),
    data_seed=st.one_of(st.none(), st.integers(0, 99)), epochs=st.integers(1, 12),
    n=st.integers(10, 40))


@pytest.mark.slow
@given(changes=CONFIGS)
@settings(max_examples=40)
def test_code_round_trips_to_the_same_weights(changes):
    try:
        h, net = train(**changes)
    except DivergenceError:
        return
    ns = _run_code(code(**changes))
    assert _same_params(ns["net"], net)


def _stepped(**changes):
    s = Session(**changes)
    for k in (5, 5, 5):
        s.advance(k)
    assert s.change(lr=0.05) == "live"
    s.advance(3)
    s.advance(4)
    return s


@pytest.mark.parametrize("batch_size", [None, 6])
def test_session_code_replays_every_slice_and_live_lr_change(batch_size):
    s = _stepped(dataset="circle", n=40, test_ratio=0.3, batch_size=batch_size,
                 optimizer="momentum", layer_widths=(5, 3), regularization="l1", reg_rate=0.01)
    text = s.code()
    assert "opt.lr = 0.05   # changed live at epoch 15" in text
    per = s.steps_per_epoch
    assert per == (1 if batch_size is None else 5)               # 28 training points
    if batch_size:
        assert "for epoch in range(0, 15):" in text and "for epoch in range(15, 22):" in text
        assert "order = epoch_order(0, epoch, len(train))" in text
    else:
        assert "epochs=15" in text and "epochs=7" in text
    assert _same_params(_run_code(text)["net"], s.network)
    assert s.chunks == [(0, 15 * per, 0.3), (15 * per, 7 * per, 0.05)]


@given(cuts=st.lists(st.integers(1, 17), min_size=1, max_size=8),
       lr_at=st.sets(st.integers(0, 7), max_size=3), batch_size=st.sampled_from([None, 1, 3, 7]),
       regularization=st.sampled_from(["none", "l2", "l1-playground"]))
@settings(max_examples=30, deadline=None)
def test_any_slicing_gives_the_same_bits_and_code_replays_it(cuts, lr_at, batch_size,
                                                             regularization):
    changes = dict(dataset="spiral", n=30, test_ratio=0.2, batch_size=batch_size,
                   layer_widths=(4,), optimizer="adam", lr=0.01, regularization=regularization,
                   reg_rate=0.01, seed=3)
    s = Session(**changes)
    for k, steps in enumerate(cuts):
        if k in lr_at:
            s.change(lr=0.01 * (k + 2))
        s.advance_steps(steps)
    assert s.steps == sum(cuts) and s.epoch == sum(cuts) // s.steps_per_epoch
    assert _same_params(_run_code(s.code())["net"], s.network)
    if not lr_at:                 # slices are invisible: the same bits as one run of epochs
        whole = Session(**changes)
        whole.advance_steps(sum(cuts))
        assert _same_params(whole.network, s.network)
        assert whole.history.loss[:s.epoch] == pytest.approx(s.history.loss, rel=1e-12)


def test_the_code_of_own_data_from_arrays_and_from_a_csv(tmp_path):
    X, y = blob_points(n=30)
    s = Session(data=ds.own_data(X, y), test_ratio=0.3, epochs=20, features=("x1", "x1*x2"))
    s.advance(20)
    text = s.code()
    assert "own = own_data(X, y, task='classification')" in text
    assert _same_params(_run_code(text, X=X, y=y)["net"], s.network)
    path = tmp_path / "own.csv"
    path.write_text("\n".join(f"{float(a)!r},{float(b)!r},{c}" for (a, b), c in zip(X, y)))
    s = Session(data=ds.load_csv(path), epochs=20)
    s.advance(20)
    assert f"load_csv({str(path)!r}, task='classification')" in s.code()
    assert _same_params(_run_code(s.code())["net"], s.network)
    assert code(data=ds.load_csv(path), epochs=20) == s.code()


def test_code_of_a_regression_uses_a_linear_output():
    text = code(dataset="reg-gauss", layer_widths=(4,))
    assert "net.add_layer(1, 'linear')" in text and "for width in (4,):" in text
    assert _same_params(_run_code(text)["net"], train(dataset="reg-gauss", layer_widths=(4,))[1])


def test_long_fit_lines_are_wrapped():
    text = code(batch_size=8, regularization="l2", reg_rate=0.001, optimizer="rmsprop")
    assert max(len(line) for line in text.splitlines()) <= codegen.WRAP
    _run_code(text)


# ====================================================================== never blocks, never raises
def test_a_diverging_run_records_a_message_and_its_code_says_so():
    s = Session(activation="relu", epochs=10)
    s.advance(3)
    for p in s.network.params:
        p[...] = np.where(np.arange(p.size).reshape(p.shape) % 2, 1e308, -1e308)
    trained = s.advance(5)
    assert s.diverged and "diverged" in s.error and trained < 5
    h = s.history
    assert h.epochs == len(h.test_loss) == len(h.grad_rms) == 3 + trained
    assert "# this run diverged" in s.code()
    assert lw.status_line(s).startswith("epoch")
    extent, maps = s.node_grids(5)
    assert maps[0].shape == (2, 5, 5)
