"""labnn.explorer.views: what each panel of a static figure draws is the session's numbers, on
axes that move only at nice steps, labelled as the live explorer labels them."""


import numpy as np
import pytest
from explorer_helpers import blob_points, trained_session
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from labnn.explorer import datasets as ds
from labnn.explorer import frame
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
    assert len(x) <= frame.MAX_CURVE_POINTS + 1 and x[0] == 1 and x[-1] == 1500


def test_own_points_are_labelled_in_their_own_units_without_round_off():
    X, y = blob_points()                    # x1 around 1000, x2 around -7
    s = trained_session(data=ds.own_data(X, y - 0.0))
    panel = V.BoundaryPanel(Figure().add_subplot(), 20)
    panel.draw(s)
    panel.ax.figure.canvas.draw()
    labels = [t.get_text() for t in panel.ax.get_yticklabels()]
    assert labels and all("e-" not in t for t in labels), labels
    assert labels == [text for _, text in frame.axis_ticks(s, 1, s.grid(20)[0])]
