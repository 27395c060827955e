"""labnn.explorer.frame: what the page draws is the session's numbers, packed as float32 in the
order the page reads them: every node's map as colour levels (the output's last; its values
too), the colour scales, the weights row by row, the biases, the curves; the texts; the ticks of
your own units never show round-off."""

from __future__ import annotations

import numpy as np
import pytest
from explorer_helpers import blob_points, trained_session

from labnn.explorer import datasets as ds
from labnn.explorer import frame as F
from labnn.explorer.jobs import Runner
from labnn.explorer.playground import Session


def test_pack_and_unpack_are_float32_in_order():
    arrays = {"a": np.arange(6.0).reshape(2, 3), "b": np.array([np.nan, np.inf, -1.5]),
              "c": np.empty((0, 4))}
    index, data = F.pack(arrays)
    assert index == {"a": [0, 2, 3], "b": [6, 3], "c": [9, 0, 4]} and len(data) == 9 * 4
    back = F.unpack(index, data)
    np.testing.assert_array_equal(back["a"], arrays["a"])
    np.testing.assert_array_equal(back["b"], arrays["b"].astype(np.float32))
    assert back["c"].shape == (0, 4)


def test_a_frame_holds_every_map_the_weights_the_biases_and_the_curves():
    s = trained_session(features=("x1", "x2", "x1*x2"), layer_widths=(4, 2), test_ratio=0.3)
    meta, data, levels = F.frame(s)
    a = F.unpack(meta["arrays"], data)
    k = F.unpack_levels(meta, levels)
    r = F.RESOLUTION
    assert k.shape == (3 + 4 + 2 + 1, r, r) and k.dtype == np.uint8
    _, p = s.predict_grid(r)
    np.testing.assert_allclose(a["output"], p, rtol=1e-6)         # the output's values
    np.testing.assert_array_equal(k[-1], np.floor(p * 255 + 0.5))  # and levels on 0..1
    _, maps = s.node_grids(r)
    np.testing.assert_array_equal(k[3:7], np.floor((maps[1] + 1) / 2 * 255 + 0.5))  # tanh -1..1
    assert a["ranges"].tolist() == [[0, 1], [0, 1], [-1, 1]] + [[-1, 1]] * 6 + [[0, 1]]
    W1, b1, W2, b2, W3, b3 = s.network.params
    np.testing.assert_allclose(a["weights"], np.concatenate([W1.ravel(), W2.ravel(),
                                                             W3.ravel()]), rtol=1e-6)
    np.testing.assert_allclose(a["biases"], np.concatenate([b1, b2, b3]), rtol=1e-6)
    h = s.history
    assert a["epochs"][[0, -1]].tolist() == [1, h.epochs]
    np.testing.assert_allclose(a["loss"], h.loss, rtol=1e-6)
    np.testing.assert_allclose(a["test_loss"], h.test_loss, rtol=1e-6)
    assert a["grads"].shape == (h.epochs, 3)
    assert meta["status"] == F.status_line(s) and meta["epoch"] == h.epochs
    assert meta["job"] is None and meta["progress"] == "" and meta["error"] is None


def test_a_frame_of_a_diverged_network_is_blank_not_an_error():
    s = Session(epochs=5)
    s.network.params[0][...] = np.inf
    meta, data, levels = F.frame(s)
    k = F.unpack_levels(meta, levels)
    assert (k[2:] == F.NAN_LEVEL).all() and np.isnan(F.unpack(meta["arrays"], data)["output"]).all()
    _, maps = s.node_grids(F.RESOLUTION)
    np.testing.assert_array_equal(k[:2], F.levels(maps[0], np.array([[0.0, 1.0]] * 2)))


def test_levels_are_the_colour_scale_in_256_steps_rounded_half_up_and_clipped():
    maps = np.array([[[0.0, 0.5, 1.0, 2.0]], [[-1.0, np.nan, 1 / 510, 3.0]], [[7.0, 7, 7, 7]]])
    ranges = np.array([[0.0, 1.0], [0.0, 1.0], [7.0, 7.0]])
    k = F.levels(maps, ranges)
    assert k.dtype == np.uint8
    # 0.5 -> 127.5 -> 128 (half up, as the page's Math.round); beyond the scale: its ends;
    # NaN: the middle; 1/510 -> 0.5 -> 1; a scale of no width: the low colour
    assert k.tolist() == [[[0, 128, 255, 255]], [[0, F.NAN_LEVEL, 1, 255]], [[0, 0, 0, 0]]]


def test_the_scene_holds_the_nodes_the_points_and_the_colours():
    s = Session(dataset="circle", test_ratio=0.5, features=("x1^2", "x2^2"), layer_widths=(3,))
    meta, data = F.scene(s)
    assert meta["columns"] == [["x1^2", "x2^2"], ["h1.1", "h1.2", "h1.3"], ["output"]]
    assert meta["formulas"]["x1^2"] == "(2 x1 - 1)^2"
    points = F.unpack(meta["arrays"], data)["points"]
    np.testing.assert_allclose(points[:, :2], s.X, rtol=1e-6)
    assert points[:, 3].sum() == len(s.split.test) and points[s.split.test, 3].all()
    assert meta["threshold"] == 0.5 and meta["value_range"] == [0.0, 1.0]
    assert meta["colors"]["classes"] == ["red", "blue"] and len(meta["colors"]["depth"]) == 2
    reg = F.scene(Session(dataset="reg-plane", lr=0.03))[0]
    assert reg["threshold"] is None and reg["value_range"] == [-1.0, 1.0]


def test_own_labels_are_named_and_own_ticks_are_round_numbers():
    X, y = blob_points()                     # x1 about 900 to 1100, x2 about -20 to 6
    s = Session(data=ds.own_data(X, np.where(y, "dog", "cat")))
    meta, _ = F.scene(s)
    assert meta["labels"] == ["cat", "dog"]
    for axis in (0, 1):
        ticks = F.axis_ticks(s, axis, s.grid(10)[0])
        assert len(ticks) >= 3
        for position, text in ticks:
            assert "e-" not in text and float(text) == pytest.approx(
                s.own.scaling.axis_from_view(position, axis), abs=1e-6)
    # x1 from -0.9 to 2.1: mapped into the view and back, 0 comes out as -1.11e-16
    zero = Session(data=ds.own_data([[-0.9, 0.0], [2.1, 1.0], [0.5, 0.5], [1.0, 0.2]],
                                    [0, 1, 1, 0]))
    texts = [t for _, t in F.axis_ticks(zero, 0, zero.grid(10)[0])]
    assert texts == ["-1", "0", "1", "2"], texts


def test_the_status_and_progress_lines():
    s = Session(dataset="circle", n=40, batch_size=4, test_ratio=0.25, epochs=3)
    assert F.status_line(s) == "epoch 0: untrained (press Play, Step or Fast-forward)"
    s.advance_steps(3)
    assert F.status_line(s).startswith("epoch 0 + 3/8 batches")
    r = Runner(s)
    r.fast_forward()
    r.work()
    assert F.progress_line(r).startswith("training ") and F.progress_line(r).endswith("/3")
    r.play()
    assert F.progress_line(r) == "playing"
    r.cancel()
    assert F.progress_line(r) == "" and F.progress_line(None) == ""
    s.advance(3)
    line = F.status_line(s)
    assert "test loss" in line and "test accuracy" in line


def test_thumbnails_show_every_data_set():
    thumbs = F.thumbnails(30)
    assert list(thumbs) == list(ds.DATASETS)
    assert len(thumbs["circle"]["points"]) == 30 and len(thumbs["xor"]["points"]) == 21
    assert thumbs["reg-plane"]["task"] == "regression"


def test_depth_colours_go_from_light_to_dark():
    assert F.depth_colors(1) == [F.DEPTH_COLORS[-1]]
    three = F.depth_colors(3)
    assert three[0] == F.DEPTH_COLORS[0] and three[-1] == F.DEPTH_COLORS[-1]
