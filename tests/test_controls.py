"""labnn.explorer.controls: every control is described from the settings' table (SETTINGS), so
the page can offer exactly the values the configuration accepts, and the values the page sends
back come in as the settings' values."""

from __future__ import annotations

import numpy as np
from explorer_helpers import BATCH, CHOICES, FLOATS, INTS, OTHER_KINDS

from labnn.explorer import controls as C
from labnn.explorer import playground as pg
from labnn.explorer import widgets as lw


def test_the_table_holds_the_contract():
    assert set(pg.SETTINGS) == (set(FLOATS) | set(INTS) | set(CHOICES) | {"batch_size"}
                                | OTHER_KINDS)
    for name, (lo, hi) in {**FLOATS, **INTS, "batch_size": BATCH}.items():
        assert (pg.SETTINGS[name].lo, pg.SETTINGS[name].hi) == (lo, hi), name
    for name, options in CHOICES.items():
        assert pg.SETTINGS[name].choices == options, name
    assert set(lw.CONTROLS) == set(pg.SETTINGS) - {"n", "data_seed", "hidden_layers"}
    assert set(lw.EXPLORER_CONTROLS) == set(lw.CONTROLS) - {"hidden_units"}


def test_every_control_offers_the_tables_values():
    s = pg.Session()
    for spec in C.describe_all(lw.CONTROLS, s):
        name, setting = spec["name"], pg.SETTINGS[spec["name"]]
        assert spec["domain"] == setting.describe()
        if name == "lr":
            assert spec["kind"] == "grid" and (spec["min"], spec["max"]) == LR
            assert [v for _, v in spec["grid"]] == list(pg.LR_GRID)    # Playground's eleven
        elif name == "dataset":                                   # "own" only with own points
            assert [v for _, v in spec["options"]] == [d for d in setting.choices if d != "own"]
        elif name == "features":
            assert [v for _, v in spec["options"]] == list(setting.choices)
        elif name in ("batch_size", "reg_rate"):
            assert all(v is None or setting.lo <= v <= setting.hi for _, v in spec["options"])
        elif name == "test_ratio":                               # 0 is "no split"
            assert (spec["min"], spec["max"], spec["step"]) == (0, setting.hi, 0.1)
        elif spec["kind"] == "select":
            assert [v for _, v in spec["options"]] == list(setting.choices)
        elif spec["kind"] == "slider":
            assert (spec["min"], spec["max"]) == (setting.lo, setting.hi)
        else:
            assert (spec["min"], spec["max"]) == (setting.lo, setting.hi), name
    assert [v for _, v in C.options("reg_rate", 0.0)] == list(pg.REG_RATE_GRID)


LR = (1e-5, 10.0)


def test_a_value_off_the_choices_is_offered_as_it_is():
    assert ["12", 12] in C.options("batch_size", 12) and C.options("batch_size", None)[0] == \
        ["full", None]
    assert ["0.02", 0.02] in C.options("reg_rate", 0.02)
    assert C.number_label(1e-5) == "1e-05" and C.number_label(0.3) == "0.3"


def test_what_the_page_sends_comes_in_as_the_settings_value():
    assert C.setting_value("features", ["x1", "x2"]) == ("x1", "x2")
    assert C.setting_value("test_ratio", 0.30000000000000004) == 0.3
    assert C.setting_value("batch_size", None) is None and C.setting_value("lr", 0.3) == 0.3
    s = pg.Session(features=("x1", "x1^2"))
    assert C.value_of(s, "features") == ["x1", "x1^2"]


def test_the_activation_control_offers_a_registered_activation(monkeypatch):
    from labnn import activations

    softsign = activations.ActivationFunction(
        "softsign", lambda z: z / (1.0 + np.abs(z)), lambda z, a: 1.0 / (1.0 + np.abs(z)) ** 2)
    monkeypatch.setitem(activations.REGISTRY, "softsign", softsign)
    spec = C.describe("activation", "softsign")
    assert spec["options"][-1] == ["softsign", "softsign"]
