"""labnn.report.images: the shapes task generated in code, the conv and dense models, the
conv-vs-dense experiment and the helpers that look inside a trained conv net."""

from __future__ import annotations

import numpy as np
import pytest

import labnn
from labnn.report.images import CLASSES, compare_conv_dense, conv_net, dense_net, generate_shapes


@pytest.mark.slow
def test_conv_net_beats_dense_net_of_similar_size_on_held_out_images():
    runs = compare_conv_dense(seeds=(0,), n_train=400, n_test=400, epochs=30)
    conv, dense = runs
    assert (conv.model, dense.model) == ("conv", "dense")
    assert abs(conv.params - dense.params) < 0.1 * dense.params
    assert conv.test_accuracy > 0.8
    assert conv.test_accuracy > dense.test_accuracy + 0.3
    assert dense.train_accuracy > 0.9  # the dense net fits its training set: it memorises


def test_generate_shapes_shapes_balance_and_determinism():
    X, y = generate_shapes(103, seed=7)
    assert X.shape == (103, 1, 12, 12) and X.dtype == np.float64
    assert y.shape == (103, len(CLASSES)) and y.dtype == np.float64
    np.testing.assert_array_equal(y.sum(axis=1), 1.0)
    counts = y.sum(axis=0)
    assert counts.max() - counts.min() <= 1
    X2, y2 = generate_shapes(103, seed=7)
    assert X.tobytes() == X2.tobytes() and y.tobytes() == y2.tobytes()
    X3, _ = generate_shapes(103, seed=8)
    assert not np.array_equal(X, X3)


def test_generate_shapes_draws_the_named_shapes():
    X, y = generate_shapes(400, seed=3, noise=0.0)
    labels = y.argmax(axis=1)
    lit = X[:, 0] > 0
    values = X[:, 0][lit]
    assert values.min() >= 0.6 and values.max() <= 1.0
    rows = lit.any(axis=2).sum(axis=1)   # number of rows holding a shape pixel
    cols = lit.any(axis=1).sum(axis=1)
    count = lit.sum(axis=(1, 2))
    h, v, cross, corner = (labels == k for k in range(4))
    assert (rows[h] == 1).all() and (cols[h] >= 5).all() and (cols[h] == count[h]).all()
    assert (cols[v] == 1).all() and (rows[v] >= 5).all() and (rows[v] == count[v]).all()
    assert (rows[cross] == cols[cross]).all() and (count[cross] == 2 * rows[cross] - 1).all()
    assert (count[corner] == rows[corner] + cols[corner] - 1).all()
    assert (rows[corner] >= 4).all() and (cols[corner] >= 4).all()
    # a cross's centre pixel has 4 lit neighbours; no corner pixel has more than 2
    pad = np.pad(lit, ((0, 0), (1, 1), (1, 1)))
    nbrs = (pad[:, :-2, 1:-1] & pad[:, 2:, 1:-1]) & (pad[:, 1:-1, :-2] & pad[:, 1:-1, 2:])
    assert (nbrs & lit)[cross].any(axis=(1, 2)).all()
    assert not (nbrs & lit)[corner].any()


@pytest.mark.parametrize("kwargs, name", [
    ({"n": 0}, "n"), ({"n": 2.5}, "n"), ({"noise": -0.1}, "noise"), ({"size": 8}, "size"),
    ({"seed": -1}, "seed"),
])
def test_generate_shapes_rejects_bad_arguments(kwargs, name):
    args = {"n": 10, **kwargs}
    with pytest.raises(ValueError, match=f"^{name}: "):
        generate_shapes(**args)


def test_compare_and_builders_reject_bad_arguments():
    with pytest.raises(ValueError, match="^seeds: "):
        compare_conv_dense(seeds=())
    with pytest.raises(ValueError, match="^n_train: "):
        compare_conv_dense(n_train=0)
    with pytest.raises(ValueError, match="^model: "):
        labnn.report.images.train_model("mlp", 0, *generate_shapes(8, seed=0))
    with pytest.raises(ValueError, match="^kernel_size: "):
        conv_net(0, kernel_size=13)


def test_layer_outputs_follow_the_layers():
    net = conv_net(0, filters=4, hidden_units=5)
    X, _ = generate_shapes(6, seed=2)
    outs = labnn.report.images.layer_outputs(net, X)
    assert [o.shape for o in outs] == [(6, 4, 10, 10), (6, 4, 10, 10), (6, 4, 1, 1), (6, 4),
                                       (6, 5), (6, 4)]
    np.testing.assert_array_equal(outs[-1], net.predict(X))
    np.testing.assert_array_equal(outs[2][:, :, 0, 0], outs[1].max(axis=(2, 3)))


def test_filter_responses_are_per_class_means_of_peak_activations():
    net = conv_net(1, filters=3, hidden_units=4)
    X, y = generate_shapes(40, seed=4)
    resp = labnn.report.images.filter_responses(net, X, y)
    relu_maps = labnn.report.images.layer_outputs(net, X)[1]
    peak = relu_maps.max(axis=(2, 3))
    assert resp.shape == (4, 3)
    for k in range(4):
        np.testing.assert_allclose(resp[k], peak[y.argmax(axis=1) == k].mean(axis=0))
    with pytest.raises(ValueError, match="^net: expected a network with a Conv2D"):
        labnn.report.images.filter_responses(dense_net(0), X, y)
    with pytest.raises(ValueError, match="^y: expected images of every class"):
        labnn.report.images.filter_responses(net, X[:2], np.eye(4)[[0, 0]])
    with pytest.raises(ValueError, match="^y: expected one-hot labels with 40 rows"):
        labnn.report.images.filter_responses(net, X, y[:3])


def test_multiply_adds_counts_conv_and_dense_arithmetic():
    from labnn.report.images import conv_net, dense_net, multiply_adds

    # 16 filters x 10 x 10 outputs x 9 taps, then 16 x 32 and 32 x 4
    assert multiply_adds(conv_net(seed=0)) == 16 * 10 * 10 * 9 + 16 * 32 + 32 * 4
    assert multiply_adds(dense_net(seed=0)) == 144 * 6 + 6 * 4
    with pytest.raises(ValueError, match="net: expected a labnn Network"):
        multiply_adds("conv")
