"""labnn.report.experiments: seeded runs, sweeps (serial and in worker processes), summaries."""

from __future__ import annotations

import math

import numpy as np
import pytest

import labnn
from labnn.lab import original as SE
from labnn.report import experiments as E


def _same(a: E.RunResult, b: E.RunResult) -> bool:
    return (a.config == b.config and np.array_equal(a.loss, b.loss)
            and np.array_equal(a.accuracy, b.accuracy)
            and all(np.array_equal(p, q) for p, q in zip(a.params, b.params)))


def test_run_is_deterministic_and_equals_a_direct_fit():
    cfg = E.RunConfig(dataset="linear", seed=3, epochs=300)
    a, b = E.run(cfg), E.run(cfg)
    assert _same(a, b)
    X, y = labnn.data.generate_linear(100, seed=3)
    net = labnn.lab_network(seed=3)
    h = net.fit(X, y, epochs=300)
    assert np.array_equal(a.loss, h.loss)
    assert all(np.array_equal(p, q) for p, q in zip(a.params, net.params))
    loss, acc = net.evaluate(X, y)
    assert a.final_loss == loss and a.final_accuracy == acc
    assert a.epochs_to_100 == h.epochs_to(1.0)


def test_network_rebuilds_the_trained_net_without_retraining():
    r = E.run(E.RunConfig(dataset="xor", seed=1, epochs=200, hidden_units=3, activation="tanh"))
    net = E.network(r)
    X, y = E.load_data("xor")
    assert net.evaluate(X, y) == (r.final_loss, r.final_accuracy)


@pytest.mark.slow            # worker processes
def test_sweep_in_worker_processes_gives_the_same_bits_in_order():
    configs = [E.RunConfig(dataset=ds, seed=s, epochs=150, lr=lr)
               for ds in ("linear", "xor") for s in (0, 1) for lr in (0.5, 2.0)]
    serial = E.sweep(configs, workers=1)
    parallel = E.sweep(configs, workers=2)
    assert [r.config for r in parallel] == configs
    assert all(_same(a, b) for a, b in zip(serial, parallel))



def test_the_workers_environment_is_variables_the_workers_read():
    # a string literal inside the dict once joined its first key ("...OPENBLAS_NUM_THREADS")
    assert all(k.isidentifier() and k.upper() == k for k in E.WORKER_ENV), list(E.WORKER_ENV)
    assert E.WORKER_ENV["OPENBLAS_NUM_THREADS"] == E.WORKER_ENV["OMP_NUM_THREADS"] == "1"


def test_divergence_is_recorded_not_raised():
    r = E.run(E.RunConfig(dataset="linear", seed=0, activation="linear", lr=1.0, epochs=200))
    assert r.diverged_at is not None and r.diverged_at <= 200
    assert math.isinf(r.final_loss) and math.isnan(r.final_accuracy)
    assert not r.solved
    assert len(r.loss) == r.diverged_at - 1
    row = E.summarize([r], by="dataset")[0]
    assert row["diverged"] == 1 and math.isnan(row["mean_acc"])
    assert "inf" in E.format_table([row])


def test_studies_build_the_documented_grids():
    rs = E.learning_rate_study([0.5, 1.0], seeds=[0, 1], datasets=["xor"], epochs=20,
                               workers=1)
    assert [(r.config.lr, r.config.seed) for r in rs] == [(0.5, 0), (0.5, 1), (1.0, 0),
                                                          (1.0, 1)]
    rs = E.hidden_units_study([2, 8], seeds=[0], epochs=20, workers=1)
    assert [(r.config.dataset, r.config.hidden_units) for r in rs] == [
        ("linear", 2), ("linear", 8), ("xor", 2), ("xor", 8)]
    assert E.network(rs[1]).layers[0].units == 8
    rs = E.activation_study(["tanh", "relu"], seeds=[0], datasets=["xor"], epochs=20,
                            workers=1)
    assert [r.config.activation for r in rs] == ["tanh", "relu"]
    rs = E.optimizer_study({"adam": 0.01, "sgd": 1.0}, seeds=[0], datasets=["xor"],
                           epochs=20, workers=1)
    assert [(r.config.optimizer, r.config.lr) for r in rs] == [("adam", 0.01), ("sgd", 1.0)]
    rs = E.seed_study(seeds=[4], epochs=20, workers=1)
    assert [(r.config.dataset, r.config.seed, r.config.lr) for r in rs] == [
        ("linear", 4, None), ("xor", 4, None)]


def _fake(lr, seed, final_acc, reached, loss=(0.5, 0.4, 0.45, 0.1), optimizer=None):
    cfg = E.RunConfig(dataset="xor", seed=seed, lr=lr, optimizer=optimizer)
    loss = np.array(loss)
    return E.RunResult(config=cfg, final_loss=float(loss[-1]), final_accuracy=final_acc,
                       epochs_to_100=reached, diverged_at=None, loss=loss,
                       accuracy=np.full(len(loss), final_acc))


def test_summarize_counts_and_medians():
    rs = [_fake(0.1, 0, 1.0, 30), _fake(0.1, 1, 0.5, None), _fake(0.1, 2, 1.0, 10),
          _fake(1.0, 0, 1.0, 4)]
    rows = E.summarize(rs, by="lr")
    assert [r["lr"] for r in rows] == [0.1, 1.0]
    first = rows[0]
    assert first["runs"] == 3 and first["solved"] == 2 and first["reached"] == 2
    assert first["median_epochs"] == 20.0
    assert first["mean_acc"] == pytest.approx(2.5 / 3) and first["min_acc"] == 0.5
    assert first["loss_ratio"] == pytest.approx(0.2)
    assert first["rising"] == pytest.approx(1 / 3)
    table = E.format_table(rows).splitlines()
    assert table[0].split()[0] == "lr" and "epochs_to_100" in table[0]
    assert table[1].split()[:3] == ["0.1", "3", "2"]
    never = E.summarize([_fake(0.1, 0, 0.5, None)], by="lr")
    assert "never" in E.format_table(never)


def test_pick_lr_takes_the_fastest_rate_that_always_reached_100():
    rs = [_fake(0.01, s, 1.0, 900, optimizer="adam") for s in (0, 1)]
    rs += [_fake(0.1, 0, 1.0, 50, optimizer="adam"), _fake(0.1, 1, 0.5, None, optimizer="adam")]
    rs += [_fake(1.0, s, 1.0, 300, optimizer="adam") for s in (0, 1)]
    rs += [_fake(1.0, 0, 0.5, None, optimizer="sgd")]
    assert E.pick_lr(rs) == {"adam": 1.0, "sgd": None}


def test_curves_pad_with_nan_and_shape_measures():
    a = _fake(0.1, 0, 1.0, 3, loss=(1.0, 0.5, 0.25))
    b = _fake(0.1, 1, 1.0, 3, loss=(1.0, 2.0))
    m = E.curves([a, b])
    assert m.shape == (2, 3) and np.isnan(m[1, 2])
    assert E.oscillation(a) == 0.0 and E.oscillation(b) == 1.0
    assert E.loss_ratio(a) == 0.25


@pytest.mark.parametrize("kwargs, name", [
    ({"dataset": "circle"}, "dataset"),
    ({"seed": -1}, "seed"),
    ({"lr": 0.0}, "lr"),
    ({"lr": float("nan")}, "lr"),
    ({"epochs": 0}, "epochs"),
    ({"hidden_units": 0}, "hidden_units"),
    ({"lr": True}, "lr"),
    ({"lr": 10**400}, "lr"),
    ({"until_100": "yes"}, "until_100"),
])
def test_bad_config_raises_naming_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=f"^{name}: expected"):
        E.RunConfig(**kwargs)


def test_a_learning_rate_is_taken_as_fit_takes_it():
    """RunConfig took lr=True (the stack then refused it) and refused np.float32(0.5)."""
    for lr in (np.float32(0.5), np.int64(1)):
        assert E.run(E.RunConfig(epochs=3, lr=lr)).final_loss > 0
    with pytest.raises(ValueError, match="^output: unknown name 'swish'"):
        E.run(E.RunConfig(epochs=3, output="swish"))


def test_bad_study_input_raises():
    with pytest.raises(ValueError, match="lrs"):
        E.learning_rate_study([], workers=1)
    with pytest.raises(ValueError, match="seeds"):
        E.seed_study(seeds=[], workers=1)
    with pytest.raises(ValueError, match="configs"):
        E.sweep([{"dataset": "xor"}])
    with pytest.raises(ValueError, match="workers"):
        E.sweep([E.RunConfig(epochs=1)], workers=0)
    with pytest.raises(ValueError, match="by"):
        E.summarize([_fake(0.1, 0, 1.0, 1)], by="colour")
    with pytest.raises(ValueError, match="optimizers"):
        E.optimizer_study({}, workers=1)
    with pytest.raises(ValueError, match="rows"):
        E.format_table([])


def test_until_100_stops_at_the_first_perfect_epoch():
    full = E.run(E.RunConfig(dataset="xor", seed=0, optimizer="adam", lr=0.1, epochs=2000))
    short = E.run(E.RunConfig(dataset="xor", seed=0, optimizer="adam", lr=0.1, epochs=2000,
                              until_100=True))
    assert full.epochs_to_100 is not None
    assert short.epochs_to_100 == full.epochs_to_100 == len(short.loss)
    assert np.array_equal(short.loss, full.loss[:len(short.loss)])


def test_wilson_interval_matches_known_values():
    lo, hi = E.wilson_interval(0, 100)
    assert lo == 0.0 and abs(hi - 0.0370) < 1e-4
    lo, hi = E.wilson_interval(94, 100)
    assert abs(lo - 0.8752) < 1e-4 and abs(hi - 0.9722) < 1e-4
    assert E.wilson_interval(10, 10)[1] == 1.0
    with pytest.raises(ValueError, match="^n: expected a positive integer"):
        E.wilson_interval(0, 0)
    for k in (5, -1, 1.5):
        with pytest.raises(ValueError, match=r"^k: expected a number of successes in \[0, n"):
            E.wilson_interval(k, 3)


def test_format_table_marks_rounding_dependent_groups_without_moving_the_rest():
    rs = E.sweep([E.RunConfig(dataset="xor", seed=s, lr=lr, epochs=60)
                  for lr in (0.5, 2.0) for s in range(3)], workers=1)
    rows = E.summarize(rs, by=("dataset", "lr"))
    plain = E.format_table(rows).splitlines()
    marked = E.format_table(rows, approx=[("xor", 2.0)]).splitlines()
    assert "~" not in "".join(plain) and marked[1] == plain[1]      # header and the calm row
    assert marked[0] == plain[0]
    cells = marked[2].split()
    assert cells[:3] == ["xor", "2", "3"]                          # keys and runs stay plain
    assert all(c.startswith("~") for c in cells[3:])
    rows[1]["solved"] = 123456                                     # a wide marked value
    wide = E.format_table(rows, approx=[("xor", 2.0)]).splitlines()
    assert wide[:2] == plain[:2]                                   # never sets a width


def test_pick_lr_ignores_a_knife_edge_run_within_the_slack():
    def runs(opt, lr, epochs):
        return [E.RunResult(config=E.RunConfig(optimizer=opt, lr=lr, seed=i), final_loss=0.0,
                            final_accuracy=1.0 if e else 0.5, epochs_to_100=e, diverged_at=None,
                            loss=np.zeros(1), accuracy=np.zeros(1)) for i, e in enumerate(epochs)]
    slow = runs("adam", 0.01, [500] * 10)
    fast = runs("adam", 0.1, [60] * 9 + [None])                    # one run short of all
    assert E.pick_lr(slow + fast) == {"adam": 0.1}
    assert E.pick_lr(slow + fast, slack=0.0) == {"adam": 0.01}
    assert E.pick_lr(runs("sgd", 1.0, [None] * 3)) == {"sgd": None}
    with pytest.raises(ValueError, match="slack"):
        E.pick_lr(slow, slack=2.0)


def _same_run(a: E.RunResult, b: E.RunResult) -> bool:
    """The same run, bit for bit (the parameters too, unless it diverged)."""
    same = (a.config == b.config and a.epochs_to_100 == b.epochs_to_100
            and a.diverged_at == b.diverged_at
            and np.array_equal(a.loss, b.loss) and np.array_equal(a.accuracy, b.accuracy))
    if a.diverged_at is None:
        same &= (a.final_loss == b.final_loss and a.final_accuracy == b.final_accuracy
                 and all(np.array_equal(p, q) for p, q in zip(a.params, b.params)))
    return same


# ----------------------------------------------------------------------- RunConfig's new fields
NEW_FIELDS = [
    dict(batch_size=4),
    dict(batch_size=1, epochs=20),
    dict(batch_size=4, until_100=True, epochs=300),
    dict(batch_size=4, optimizer="adam", lr=0.05),
    dict(update="original_order", init="normal", lr=0.05),
    dict(update="original_order", activation="original_sigmoid", init="normal", lr=2.0),
    dict(update="original_order", until_100=True, epochs=800, lr=2.0),
    dict(update="original_order", bias=False, lr=0.5),
    dict(activation="original_sigmoid", init="normal", lr=0.5),
    dict(activation="linear", update="original_order", init="normal", lr=0.5),   # diverges
    dict(bias=False),
    dict(output="linear"),
    dict(output="linear", lr=0.05, loss="mse", hidden_layers=1),
]


@pytest.mark.parametrize("dataset, fields", [
    pytest.param(ds, f, id=f"{ds}-" + ",".join(f"{k}={v}" for k, v in f.items()),
                 # mini-batches of 100 points: seconds
                 marks=[pytest.mark.slow] if ds == "linear" and "batch_size" in f else [])
    for ds in ("xor", "linear") for f in NEW_FIELDS])
def test_a_stacked_run_equals_the_run_alone(dataset, fields):
    configs = [E.RunConfig(dataset=dataset, seed=s, **{"epochs": 120, **fields})
               for s in range(3)]
    stacked = E.run_stack(configs)
    assert all(_same_run(a, E.run(c)) for a, c in zip(stacked, configs))


def test_defaults_build_and_train_the_lab_network_as_before():
    cfg = E.RunConfig(dataset="xor", seed=5, epochs=200)
    assert (cfg.output, cfg.bias, cfg.init, cfg.batch_size, cfg.update) == \
        (None, True, "default", None, "exact")
    X, y = labnn.data.generate_xor_easy()
    net = labnn.lab_network(seed=5)
    h = net.fit(X, y, epochs=200)
    r = E.run(cfg)
    assert np.array_equal(r.loss, h.loss)
    assert all(np.array_equal(p, q) for p, q in zip(r.params, net.params))


def test_mini_batches_are_network_fit_with_the_seed_shuffling():
    X, y = labnn.data.generate_linear(100, seed=7)
    net = labnn.lab_network(seed=7)
    h = net.fit(X, y, epochs=30, batch_size=8, seed=7)
    r = E.run_stack([E.RunConfig(dataset="linear", seed=7, epochs=30, batch_size=8)])[0]
    assert np.array_equal(r.loss, h.loss) and np.array_equal(r.accuracy, h.accuracy)
    assert all(np.array_equal(p, q) for p, q in zip(r.params, net.params))


def test_original_order_runs_are_the_original_step_repeated():
    X, y = labnn.data.generate_xor_easy()
    net = labnn.lab_network(seed=2, init="normal", activation=SE.ORIGINAL_SIGMOID,
                            output=SE.ORIGINAL_SIGMOID)
    losses = [SE.original_step(net, X, y, 0.05) for _ in range(100)]
    r = E.run(E.RunConfig(seed=2, init="normal", activation="original_sigmoid",
                          update="original_order", lr=0.05, epochs=100))
    assert r.loss.tolist() == losses
    assert all(np.array_equal(p, q) for p, q in zip(r.params, net.params))
    assert E.build(r.config).layers[-1].activation is SE.ORIGINAL_SIGMOID


def test_a_diverged_original_order_run_is_recorded():
    r = E.run(E.RunConfig(dataset="xor", seed=0, activation="linear", update="original_order",
                          init="normal", lr=0.5, epochs=100))
    assert r.diverged_at is not None and len(r.loss) == r.diverged_at - 1
    assert math.isinf(r.final_loss) and not r.solved


@pytest.mark.parametrize("kwargs, name", [
    (dict(update="backwards"), "update"),
    (dict(update="original_order", optimizer="adam"), "update"),
    (dict(update="original_order", batch_size=4), "update"),
    (dict(batch_size=0), "batch_size"),
    (dict(batch_size=2.5), "batch_size"),
    (dict(init="zeros"), "init"),
    (dict(bias="no"), "bias"),
])
def test_bad_new_fields_raise_naming_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=name):
        E.RunConfig(**kwargs)


@pytest.mark.slow            # worker processes
def test_sweep_without_split_gives_the_same_bits():
    configs = [E.RunConfig(dataset=ds, seed=s, epochs=80, lr=lr)
               for ds in ("xor", "linear") for s in range(3) for lr in (0.5, 1.0)]
    whole = E.sweep(configs, workers=2, split=False)
    assert all(_same_run(a, b) for a, b in zip(whole, E.sweep(configs, workers=1)))
    with pytest.raises(ValueError, match="split"):
        E.sweep(configs, split="no")


def test_tables_name_full_batches():
    rs = E.sweep([E.RunConfig(seed=0, epochs=30), E.RunConfig(seed=0, epochs=30, batch_size=4)],
                 workers=1)
    table = E.format_table(E.summarize(rs, by=("dataset", "batch_size")))
    assert "full" in table.splitlines()[1] and " 4 " in table.splitlines()[2]


@pytest.mark.slow
def test_sweep_trains_stacks_that_equal_single_runs():
    configs = [E.RunConfig(dataset=ds, seed=s, lr=lr, epochs=200, until_100=u)
               for ds in ("linear", "xor") for lr in (1.0, 60.0) for s in range(2)
               for u in (False, True)]
    configs += [E.RunConfig(dataset="linear", seed=s, activation="linear", lr=lr, epochs=80)
                for s in range(2) for lr in (0.01, 1.0)]
    for a, b in zip(E.sweep(configs, workers=1), [E.run(c) for c in configs], strict=True):
        assert a.config == b.config
        assert np.array_equal(a.loss, b.loss) and np.array_equal(a.accuracy, b.accuracy)
        assert (a.epochs_to_100, a.diverged_at) == (b.epochs_to_100, b.diverged_at)
        assert a.final_loss == b.final_loss
        assert a.final_accuracy == b.final_accuracy or (np.isnan(a.final_accuracy)
                                                        and np.isnan(b.final_accuracy))
        assert all(np.array_equal(p, q) for p, q in zip(a.params, b.params, strict=True))
