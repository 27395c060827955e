"""labnn.report.plots: the figures build (their content is judged by eye in the notebooks)."""

from __future__ import annotations

import numpy as np
import pytest

from labnn.report.images import CLASSES, conv_net, generate_shapes


def test_image_plots_build_figures():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from labnn.report.plots import plot_filter_responses, show_filters, show_images

    X, y = generate_shapes(40, seed=0)
    fig = show_images(X, y, CLASSES, per_class=3)
    assert len([ax for ax in fig.axes if ax.images]) == 12
    assert [ax.get_ylabel() for ax in fig.axes[::3]] == list(CLASSES)
    W = conv_net(0, filters=5).layers[0].W
    fig2 = show_filters(W)
    images = [ax.images[0] for ax in fig2.axes if ax.images]
    assert len(images) == 5
    np.testing.assert_array_equal(images[2].get_array(), W[2, 0])
    assert images[0].get_clim() == (-np.abs(W).max(), np.abs(W).max())
    ax = plot_filter_responses(np.arange(8.0).reshape(4, 2), CLASSES)
    assert [t.get_text() for t in ax.texts][:3] == ["0.0", "1.0", "2.0"]
    with pytest.raises(ValueError, match="^X: expected grey images"):
        show_images(np.zeros((2, 3, 4, 4)))
    with pytest.raises(ValueError, match="^W: expected conv weights"):
        show_filters(np.zeros((3, 3)))
    plt.close("all")


def test_sweep_plots_draw_every_group_with_its_median():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from labnn.report import experiments as E
    from labnn.report import plots

    rs = E.sweep([E.RunConfig(dataset=ds, seed=s, lr=lr, epochs=40)
                  for ds in ("linear", "xor") for lr in (0.1, 1.0) for s in range(3)], workers=1)
    fig, axes = plt.subplots(1, 3)
    plots.plot_sweep_metric(rs, "lr", "final_loss", ax=axes[0], logx=True)
    plots.plot_sweep_metric(rs, "lr", "epochs_to_100", ax=axes[1], never=40)
    plots.plot_sweep_curves([r for r in rs if r.config.dataset == "xor"], by="lr", ax=axes[2])
    medians = [line for line in axes[0].get_lines() if "median" in line.get_label()]
    assert [m.get_label() for m in medians] == ["linear (median)", "xor (median)"]
    for m, ds in zip(medians, ("linear", "xor")):
        expected = [np.median([r.final_loss for r in rs
                               if r.config.dataset == ds and r.config.lr == lr])
                    for lr in (0.1, 1.0)]
        assert np.allclose(m.get_ydata(), expected)
    assert len(axes[2].get_lines()) >= 2                     # one median curve per lr
    # epochs_to_100: one definition, the median over the runs that reached 100 %, with k/n
    assert axes[1].get_ylabel() == "epochs to 100 % (median: runs that got there)"
    line = [m for m in axes[1].get_lines() if m.get_label() == "xor (median)"][0]
    for lr, y in zip((0.1, 1.0), line.get_ydata()):
        reached = [r.epochs_to_100 for r in rs if r.config.dataset == "xor"
                   and r.config.lr == lr and r.epochs_to_100 is not None]
        assert (np.isnan(y) and not reached) or y == np.median(reached)
    counts = sorted(t.get_text() for t in axes[1].texts if "/" in t.get_text())
    assert len(counts) == 4 and all(c.endswith("/3") for c in counts)
    plt.close(fig)


def test_categorical_sweeps_have_no_line_between_categories_and_panels_one_per_value():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from labnn.report import experiments as E
    from labnn.report import plots

    rs = E.sweep([E.RunConfig(dataset="xor", seed=s, activation=a, epochs=30)
                  for a in ("sigmoid", "tanh", "relu") for s in range(2)], workers=1)
    ax = plots.plot_sweep_metric(rs, "activation", "epochs_to_100")
    assert not [line for line in ax.get_lines() if "median" in line.get_label()]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["sigmoid", "tanh", "relu"]
    fig = plots.plot_sweep_panels(rs, "activation")
    visible = [a for a in fig.axes if a.get_visible()]
    assert [a.get_title() for a in visible] == ["sigmoid (2 runs)", "tanh (2 runs)",
                                                "relu (2 runs)"]
    plt.close("all")
