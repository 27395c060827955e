"""labnn.explorer.views: what each panel draws is the session's numbers, and a frame drawn over
the kept background is pixel for pixel the frame drawn from scratch."""


import numpy as np
import pytest
from explorer_helpers import draw_png, panel_image, png_pixels, trained_session
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from labnn.explorer import netview as nv
from labnn.explorer import views as V


# ---------------------------------------------------------------------- axes that rarely move
@pytest.mark.parametrize("x, up, down", [(1.0, 1.0, 1.0), (0.0123, 0.015, 0.01),
                                         (480.0, 500.0, 300.0), (7.6, 10.0, 7.5),
                                         (1e-7, 1e-7, 1e-7), (2.2e5, 3e5, 2e5)])
def test_nice_limits(x, up, down):
    assert V.nice_ceil(x) == pytest.approx(up) and V.nice_floor(x) == pytest.approx(down)


def test_nice_limits_of_a_diverging_loss_stay_finite():
    assert V.nice_ceil(1e308) == pytest.approx(1e30) and V.nice_floor(1e-320) > 0


@pytest.mark.parametrize("v, text", [(0.5, "0.5"), (250.0, "250"), (0.001, "0.001"),
                                     (0.0001, "1e-4"), (1.5e-5, "1.5e-5"), (2e30, "2e30"),
                                     (0.0, "0")])
def test_tick_labels_are_short(v, text):
    assert V.tick_label(v) == text


def test_the_epoch_axis_changes_only_at_nice_steps():
    ends = {V.epoch_limit(n) for n in range(500, 5001, 20)}
    assert ends == {500, 750, 1000, 1500, 2000, 3000, 5000}


# ---------------------------------------------------------------------- blitting is exact
@pytest.mark.parametrize("kind", [V.CurvesPanel, V.GradientPanel, nv.NetworkPanel,
                                  lambda ax: V.BoundaryPanel(ax, 30)])
def test_a_frame_over_the_kept_background_equals_a_fresh_drawing(kind):
    s = trained_session(dataset="circle", test_ratio=0.4, epochs=500)
    live = panel_image(kind)
    draw_png(live, s)
    for _ in range(4):
        s.play(20)                    # small steps: the axes stay, only the lines move
        frame = draw_png(live, s)
    fresh = draw_png(panel_image(kind), s)
    assert live.full_draws < 5
    assert np.array_equal(png_pixels(frame), png_pixels(fresh))


def test_the_background_is_redrawn_when_the_axes_change():
    s = trained_session(epochs=100)
    live = panel_image(V.CurvesPanel)
    draw_png(live, s)
    draws = live.full_draws
    s.play(900)                       # 1000 epochs: the epoch axis grows to its next step
    draw_png(live, s)
    assert live.full_draws == draws + 1
    assert live.panel.ax.get_xlim() == (0, 1000)


def test_a_background_seen_before_is_reused_exactly():
    a = trained_session(dataset="circle", noise=0.0)
    b = trained_session(dataset="circle", noise=0.3)
    live = panel_image(lambda ax: V.BoundaryPanel(ax, 30))
    draw_png(live, a)
    draw_png(live, b)                  # noise widens the view: another background
    draws = live.full_draws
    frame = draw_png(live, a)          # back to the first: kept, not drawn again
    assert live.full_draws == draws == 2
    assert np.array_equal(png_pixels(frame), png_pixels(draw_png(panel_image(
        lambda ax: V.BoundaryPanel(ax, 30)), a)))


# ---------------------------------------------------------------------- the panels' numbers
def test_boundary_panel_draws_the_output_and_both_kinds_of_points():
    s = trained_session(dataset="circle", test_ratio=0.3)
    panel = V.BoundaryPanel(Figure().add_subplot(), 40)
    panel.draw(s)
    extent, p = s.predict_grid(40)
    assert np.array_equal(panel.heatmap.get_array(), p)
    assert panel.heatmap.get_clim() == (0.0, 1.0) and panel.contour is not None
    assert np.array_equal(panel.train.get_offsets(), s.X[s.split.train])
    assert np.array_equal(panel.test.get_offsets(), s.X[s.split.test])
    red, blue = to_rgba("red"), to_rgba("blue")
    colors = [tuple(c) for c in panel.train.get_facecolors()]
    assert colors == [blue if y > 0.5 else red for y in s.y[s.split.train, 0]]
    panel.draw(s, discretize=True)
    assert set(np.unique(panel.heatmap.get_array())) <= {0.0, 1.0}


def test_boundary_panel_of_a_regression_uses_minus_one_to_one():
    s = trained_session(dataset="reg-plane", lr=0.03)
    panel = V.BoundaryPanel(Figure().add_subplot(), 20)
    panel.draw(s)
    assert panel.heatmap.get_clim() == (-1.0, 1.0) and panel.contour is None
    colors = panel.train.get_facecolors()
    y = s.y[s.split.train, 0]
    assert np.allclose(colors, V.POINT_CMAP((y + 1) / 2))


def test_curves_and_gradients_are_the_history():
    s = trained_session(test_ratio=0.5, layer_widths=(4, 3))
    curves = V.CurvesPanel(Figure().add_subplot())
    curves.draw(s)
    assert list(curves.train.get_ydata()) == s.history.loss
    assert list(curves.test.get_ydata()) == s.history.test_loss
    grads = V.GradientPanel(Figure().add_subplot())
    grads.draw(s)
    assert [line.get_label() for line in grads.lines] == ["layer 1", "layer 2", "output"]
    for k, line in enumerate(grads.lines):
        assert list(line.get_ydata()) == [g[k] for g in s.history.grad_rms]


def test_long_histories_are_thinned_for_drawing_but_keep_the_last_epoch():
    s = trained_session(epochs=1500)
    curves = V.CurvesPanel(Figure().add_subplot())
    curves.draw(s)
    x = curves.train.get_xdata()
    assert len(x) <= V.MAX_PLOT_POINTS + 1 and x[0] == 1 and x[-1] == 1500
