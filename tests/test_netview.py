"""labnn.explorer.netview: the network picture has one map per feature and neuron and one
edge per weight, coloured by sign and as wide as the weight is large; its tooltips give every
node's and edge's weights where they are drawn."""

from __future__ import annotations

import re

import numpy as np
import pytest
from explorer_helpers import draw_png, panel_image, png_pixels, trained_session
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from labnn.explorer import netview as nv
from labnn.explorer.features import FEATURE_NAMES


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
    image = panel_image(nv.NetworkPanel, 4.3, 3.3)
    pixels = png_pixels(draw_png(image, s))
    n = image.panel.find("h1.1")
    x0, y0, k = int(n.x - n.size / 2), int(n.y - n.size / 2), n.size
    drawn = pixels[y0:y0 + k, x0:x0 + k]
    assert np.array_equal(drawn, image.panel.pixels[y0:y0 + k, x0:x0 + k, :3])
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


def test_node_weights_and_their_text():
    s = trained_session(layer_widths=(3,))
    W1, b1, W2, b2 = s.network.params
    info = nv.node_weights(s, "h1.2")
    assert info["bias"] == b1[1]
    assert info["in"] == [("x1", W1[0, 1]), ("x2", W1[1, 1])]
    assert info["out"] == [("output", W2[1, 0])]
    assert nv.node_weights(s, "x2") == {"bias": None, "in": [],
                                        "out": [(f"h1.{i + 1}", W1[1, i]) for i in range(3)]}
    assert nv.node_text(s, "output") == (f"output; bias {b2[0]:+.3g}; weights in: " + ", ".join(
        f"h1.{i + 1} {W2[i, 0]:+.3g}" for i in range(3)))
    with pytest.raises(ValueError, match="^node: expected one of x1, x2, h1.1"):
        nv.node_weights(s, "h2.1")


def test_the_tooltips_give_every_node_its_weights_at_its_place():
    s = trained_session(layer_widths=(2,))
    panel = nv.NetworkPanel(Figure(figsize=(4.3, 3.3)).add_axes((0, 0, 1, 1)), 430, 330)
    panel.draw(s)
    html = nv.tooltips_html(panel, s, "x")
    assert html.count('class="labnn-node"') == 2 + 2 + 1
    n = panel.find("h1.2")
    assert (f'data-node="h1.2" title="{nv.node_text(s, "h1.2").replace("; ", chr(10))}" '
            f'style="position:absolute;left:{n.x - n.size / 2:.0f}px;'
            f'top:{n.y - n.size / 2:.0f}px;width:{n.size}px') in html
    quiet = nv.tooltips_html(panel, None, "x")
    assert "title=" not in quiet and quiet.count('class="labnn-node"') == 5


def test_every_edge_has_a_tooltip_with_its_weight_over_the_line_drawn():
    s = trained_session(features=("x1", "x2", "x1^2"), layer_widths=(2, 3))
    panel = nv.NetworkPanel(Figure(figsize=(4.3, 3.3)).add_axes((0, 0, 1, 1)), 430, 330)
    panel.draw(s)
    page = nv.tooltips_html(panel, s, "x")
    lines = re.findall(r'<line data-from="([^"]+)" data-to="([^"]+)" x1="([-\d.]+)" '
                       r'y1="([-\d.]+)" x2="([-\d.]+)" y2="([-\d.]+)"><title>([^<]*)</title>',
                       page)
    W1, W2, W3 = s.network.weights                    # (3, 2), (2, 3), (3, 1)
    assert len(lines) == W1.size + W2.size + W3.size == len(panel.edges.get_segments())
    tips = {(a, b): (tuple(map(float, xy)), tip) for a, b, *xy, tip in lines}
    source, target = panel.find("x1^2"), panel.find("h1.2")
    (x1, y1, x2, y2), tip = tips[("x1^2", "h1.2")]
    assert (x1, y1, x2, y2) == (source.x + source.size / 2, source.y,
                                target.x - target.size / 2, target.y)   # the line drawn
    assert tip == f"x1^2 → h1.2: weight {W1[2, 1]:+.3g}"
    assert tips[("h2.3", "output")][1] == f"h2.3 → output: weight {W3[2, 0]:+.3g}"
    assert page.index("<svg") < page.index('class="labnn-node"')   # the nodes lie on top
    assert "labnn-edges" not in nv.tooltips_html(panel, None, "x")  # none while playing


def test_a_network_larger_than_playgrounds_keeps_only_the_nodes_tooltips():
    wide = trained_session(layer_widths=(24, 24), epochs=1)   # 2*24 + 24*24 + 24 > MAX_EDGE_TIPS
    panel = nv.NetworkPanel(Figure(figsize=(4.3, 3.3)).add_axes((0, 0, 1, 1)), 430, 330)
    panel.draw(wide)
    assert sum(W.size for W in wide.network.weights) > nv.MAX_EDGE_TIPS
    page = nv.tooltips_html(panel, wide, "x")
    assert "<line" not in page and page.count('class="labnn-node"') == 2 + 24 + 24 + 1
    largest = trained_session(features=FEATURE_NAMES, layer_widths=(8,) * 6, epochs=1)
    assert sum(W.size for W in largest.network.weights) == 384   # Playground's largest
    panel.draw(largest)
    assert nv.tooltips_html(panel, largest, "x").count("<line ") == 384


