"""labnn.explorer.controls: every control is built from the settings' table (SETTINGS), so a
control can show exactly the values the configuration accepts."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
from explorer_helpers import BATCH, CHOICES, FLOATS, INTS, OTHER_KINDS  # noqa: E402

from labnn.explorer import playground as pg  # noqa: E402
from labnn.explorer import widgets as lw  # noqa: E402


class TestOneTableBuildsTheControlsAndChecksTheValues:
    """``playground.SETTINGS`` is the one rule: PlaygroundConfig checks every field with it and
    the widgets are built from it, so the two can never disagree."""

    def test_the_table_holds_the_contract(self):
        assert set(pg.SETTINGS) == (set(FLOATS) | set(INTS) | set(CHOICES) | {"batch_size"}
                                    | OTHER_KINDS)
        for name, (lo, hi) in {**FLOATS, **INTS, "batch_size": BATCH}.items():
            assert (pg.SETTINGS[name].lo, pg.SETTINGS[name].hi) == (lo, hi), name
        for name, options in CHOICES.items():
            assert pg.SETTINGS[name].choices == options, name
        assert set(lw.CONTROLS) == set(pg.SETTINGS) - {"n", "data_seed"}
        assert set(lw.EXPLORER_CONTROLS) == set(lw.CONTROLS) - set(pg.SHORTHAND)

    def test_every_control_has_the_tables_bounds(self):
        e = lw.explorer(epochs=1)
        for name, widget in e.controls.items():
            s = pg.SETTINGS[name]
            if name == "lr":
                assert (10 ** widget.min, 10 ** widget.max) == (s.lo, s.hi)
            elif name in ("batch_size", "reg_rate"):
                assert all(v == 0 or s.lo <= v <= s.hi for _, v in widget.options)
            elif name == "dataset":   # "own" only with own points
                assert tuple(widget.options) == tuple(o for o in s.choices if o != "own")
            elif name == "features":
                assert tuple(widget.boxes) == s.choices
            elif name == "layer_widths":
                assert widget.value == e.session.config.layer_widths
            elif s.kind == "ratio":   # 0 is "no split", then the table's range
                assert (widget.min, widget.max) == (0, s.hi) and widget.step == 0.1
            elif s.choices:
                assert tuple(widget.options) == s.choices
            else:
                assert (widget.min, widget.max) == (s.lo, s.hi), name


def test_the_activation_dropdown_offers_a_registered_activation(monkeypatch):
    from labnn import activations

    softsign = activations.ActivationFunction(
        "softsign", lambda z: z / (1.0 + np.abs(z)), lambda z, a: 1.0 / (1.0 + np.abs(z)) ** 2)
    monkeypatch.setitem(activations.REGISTRY, "softsign", softsign)
    e = lw.explorer(epochs=2, activation="softsign")
    assert e.controls["activation"].options[-1] == "softsign"
    assert e.controls["activation"].value == "softsign"
