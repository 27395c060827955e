"""labnn.explorer.frame: what the page draws is the session's numbers, packed in the order the
page reads them: every map as colour levels (each node's, the output discretized, a pinned
run's output), the weights row by row, the biases, the curves as float32; the points with their
colours; the texts; the ticks of your own units never show round-off. The page decides nothing:
each rule it draws by (a map's scale, the discretized output, a point's colour) is here, once,
and the static figures use the same."""

from __future__ import annotations

import numpy as np
import pytest
from explorer_helpers import blob_points, trained_session

from labnn.explorer import datasets as ds
from labnn.explorer import frame as F
from labnn.explorer.jobs import Runner
from labnn.explorer.playground import Session
from labnn.lab import CLASS_COLORS
from labnn.metrics import THRESHOLD


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
    assert k.shape == (3 + 4 + 2 + 1 + 1, r, r) and k.dtype == np.uint8
    assert meta["rows"] == {"output": 9, "discretized": 10}
    _, p = s.predict_grid(r)
    np.testing.assert_array_equal(k[9], np.floor(p * 255 + 0.5))   # the output on 0..1
    np.testing.assert_array_equal(k[10], np.where(p > 0.5, 255, 0))  # discretized
    _, maps = s.node_grids(r)
    def on(m, lo, hi):
        return np.clip(np.floor((m - lo) / (hi - lo) * 255 + 0.5), 0, 255)
    np.testing.assert_array_equal(k[:2], on(maps[0][:2], 0, 1))     # x1, x2 on 0..1 (the view)
    np.testing.assert_array_equal(k[2], on(maps[0][2], -1, 1))      # x1*x2 on -1..1
    np.testing.assert_array_equal(k[3:7], on(maps[1], -1, 1))       # tanh on -1..1
    assert set(a) == {"weights", "biases", "epochs", "loss", "test_loss", "grads"}
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
    assert (k[2:] == F.NAN_LEVEL).all() and meta["rows"]["discretized"] == len(k) - 1
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
    # any shape after the first axis: one scale per row
    assert F.levels(np.array([[0.5, 1.0], [-1.0, 0.0]]), np.array([[0.0, 1.0], [-1.0, 1.0]])
                    ).tolist() == [[128, 255], [0, 128]]


def test_discretized_is_the_top_or_bottom_of_the_range_at_its_middle():
    # classification: the class threshold, 0.5 itself is not above it (as accuracy counts)
    assert F.discretized([0.2, 0.5, 0.51, np.nan], "classification")[:3].tolist() == [0, 0, 1]
    assert np.isnan(F.discretized([np.nan], "classification")).all()
    assert F.discretized([-0.3, 0.0, 1e-9], "regression").tolist() == [-1, -1, 1]
    p = np.array([0.1, THRESHOLD, 0.7])                 # the class accuracy counts
    assert (F.discretized(p, "classification") == (p > THRESHOLD)).all()


def test_a_points_colour_is_its_class_or_its_target_on_the_points_scale():
    assert F.point_scale("classification") == CLASS_COLORS
    assert F.point_scale("regression") == F.POINT_COLORS
    assert F.point_positions("classification", [0, 1, 1]).tolist() == [0, 1, 1]
    assert F.point_positions("regression", [-1, 0, 0.5, 3]).tolist() == [0, 0.5, 0.75, 1]


def test_the_scene_holds_the_nodes_the_points_and_the_colours():
    s = Session(dataset="circle", test_ratio=0.5, features=("x1^2", "x2^2"), layer_widths=(3,))
    meta, data = F.scene(s)
    assert meta["columns"] == [["x1^2", "x2^2"], ["h1.1", "h1.2", "h1.3"], ["output"]]
    assert meta["formulas"]["x1^2"] == "(2 x1 - 1)^2"
    points = F.unpack(meta["arrays"], data)["points"]
    np.testing.assert_allclose(points[:, :2], s.X, rtol=1e-6)
    assert points[:, 2].tolist() == (s.y[:, 0] * 255).tolist()      # class 0: 0, class 1: 255
    assert points[:, 3].sum() == len(s.split.test) and points[s.split.test, 3].all()
    assert meta["value_range"] == [0.0, 1.0]
    assert meta["colors"]["points"] == list(CLASS_COLORS) and len(meta["colors"]["depth"]) == 2
    reg = Session(dataset="reg-plane", lr=0.03)
    meta, data = F.scene(reg)
    assert meta["value_range"] == [-1.0, 1.0] and meta["colors"]["points"] == list(F.POINT_COLORS)
    points = F.unpack(meta["arrays"], data)["points"]
    assert reg.y.min() < -1 and reg.y.max() > 1                     # the noise: the scale's ends
    np.testing.assert_array_equal(points[:, 2], np.clip(np.floor((reg.y[:, 0] + 1) / 2 * 255
                                                                 + 0.5), 0, 255))


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
    assert F.status_line(s, hint=False) == "epoch 0: untrained"
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
    assert thumbs["reg-plane"]["colors"] == list(F.POINT_COLORS)
    assert thumbs["circle"]["colors"] == list(CLASS_COLORS)
    assert {level for *_, level in thumbs["circle"]["points"]} == {0, 255}


def test_depth_colours_go_from_light_to_dark():
    assert F.depth_colors(1) == [F.DEPTH_COLORS[-1]]
    three = F.depth_colors(3)
    assert three[0] == F.DEPTH_COLORS[0] and three[-1] == F.DEPTH_COLORS[-1]
