"""labnn.explorer.netview: the static network picture has one map per feature and neuron, drawn
pixel for pixel, and one edge per weight, coloured by sign and as wide as the weight is large."""

from __future__ import annotations

import numpy as np
import pytest
from explorer_helpers import figure_pixels, trained_session
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from labnn.explorer import netview as nv


# ---------------------------------------------------------------------- the network picture
def test_layout_puts_every_node_inside_the_picture_in_its_column():
    cols = nv.layout(("x1", "x2", "x1^2"), (8, 3, 32), 430, 330)
    assert [len(c) for c in cols] == [3, 8, 3, 32, 1]
    for c, col in enumerate(cols):
        assert len({n.x for n in col}) == 1 and all(n.column == c for n in col)
        for n in col:
            assert n.size / 2 <= n.x <= 430 - n.size / 2
            assert n.size / 2 <= n.y <= 330 - n.size / 2
        ys = [n.y for n in col]
        assert ys == sorted(ys) and all(b - a >= n.size for a, b in zip(ys, ys[1:]))
    assert [n.name for n in cols[1]][:2] == ["h1.1", "h1.2"] and cols[-1][0].name == "output"


def test_network_panel_has_a_map_per_node_and_an_edge_per_weight():
    s = trained_session(features=("x1", "x2", "x1*x2"), layer_widths=(4, 2), activation="sigmoid")
    panel = nv.NetworkPanel(Figure(figsize=(4.3, 3.3)).add_axes((0, 0, 1, 1)), 430, 330)
    panel.draw(s)
    nodes = panel.nodes()
    assert [n.name for n in nodes] == ["x1", "x2", "x1*x2", "h1.1", "h1.2", "h1.3", "h1.4",
                                       "h2.1", "h2.2", "output"]
    size = nodes[0].size
    _, maps = s.node_grids(size)                        # one point per pixel of a map

    def block(n):
        x0, y0 = int(n.x - size / 2), int(n.y - size / 2)
        return panel.pixels[y0 + 1:y0 + size - 1, x0 + 1:x0 + size - 1]   # inside the rim

    x1, x1x2, h11 = nodes[0], nodes[2], nodes[3]
    assert np.array_equal(block(x1x2), nv.map_colors(maps[0][2][::-1], -1, 1)[1:-1, 1:-1])
    assert np.array_equal(block(x1), nv.map_colors(maps[0][0][::-1], 0, 1)[1:-1, 1:-1])
    assert np.array_equal(block(h11), nv.map_colors(maps[1][0][::-1], 0, 1)[1:-1, 1:-1])
    assert np.count_nonzero(panel.pixels[..., 3]) == len(nodes) * size**2
    weights = np.concatenate([W.ravel() for W in s.network.weights])
    assert len(panel.edges.get_segments()) == weights.size == 3 * 4 + 4 * 2 + 2 * 1
    widths, colors = nv.edge_style(weights)
    assert np.array_equal(panel.edges.get_linewidths(), widths)
    assert np.array_equal(panel.edges.get_colors(), colors)


def test_a_map_is_drawn_pixel_for_pixel_with_its_rim():
    s = trained_session(layer_widths=(2,))
    fig = Figure(figsize=(4.3, 3.3), dpi=100)
    panel = nv.NetworkPanel(fig.add_axes((0, 0, 1, 1)), 430, 330)
    panel.draw(s)
    pixels = figure_pixels(fig)
    n = panel.find("h1.1")
    x0, y0, k = int(n.x - n.size / 2), int(n.y - n.size / 2), n.size
    drawn = pixels[y0:y0 + k, x0:x0 + k]
    assert np.array_equal(drawn, panel.pixels[y0:y0 + k, x0:x0 + k, :3])
    assert (drawn[0] == nv.BORDER[:3]).all() and (drawn[:, -1] == nv.BORDER[:3]).all()
    assert (pixels[y0 + k // 2, x0 - 3] != nv.BORDER[:3]).any()      # outside: not a map


def test_map_colors_run_from_red_to_blue():
    lo, mid, hi = nv.map_colors([0.0, 0.5, 1.0], 0, 1)
    assert lo[0] > lo[2] and hi[2] > hi[0]
    assert abs(int(mid[0]) - 247) <= 1 and mid[0] == mid[1] == mid[2]        # near white
    below, nan = nv.map_colors([-5.0, np.nan], 0, 1)
    assert np.array_equal(below, lo) and np.array_equal(nan, mid)         # clipped; NaN: middle


def test_edges_are_coloured_by_sign_and_as_wide_as_the_weight():
    widths, colors = nv.edge_style([-2.0, 0.0, 0.5, 100.0, np.nan])
    assert [tuple(c[:3]) for c in colors] == [to_rgba(nv.NEGATIVE)[:3], to_rgba("#999999")[:3],
                                              to_rgba(nv.POSITIVE)[:3],
                                              to_rgba(nv.POSITIVE)[:3], to_rgba("#999999")[:3]]
    assert list(widths) == [3.0, nv.MIN_EDGE_WIDTH, 0.75, nv.MAX_EDGE_WIDTH, nv.MIN_EDGE_WIDTH]


def test_unbounded_activations_share_one_scale_per_layer():
    s = trained_session(activation="relu", layer_widths=(5,))
    _, maps = s.node_grids(10)
    (lo, hi), = set(nv.node_ranges(s, 1, maps[1]))
    assert hi == -lo == pytest.approx(np.abs(maps[1]).max())
