"""labnn.explorer.config: the one table of settings (SETTINGS) checks every value of a
PlaygroundConfig, the layer widths and their two-number shorthand agree, and the architecture
buttons walk to their bounds and stop."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from labnn import activations
from labnn.explorer import playground as pg
from labnn.explorer.playground import PlaygroundConfig, Session, as_config


def test_the_shorthand_and_the_widths_agree():
    cfg = PlaygroundConfig(hidden_units=4, hidden_layers=3)
    assert cfg.layer_widths == (4, 4, 4)
    cfg = PlaygroundConfig(layer_widths=[3, 5])
    assert (cfg.layer_widths, cfg.hidden_units, cfg.hidden_layers) == ((3, 5), 3, 2)
    assert cfg.replace(hidden_units=6).layer_widths == (6, 6)
    assert cfg.replace(hidden_layers=1).layer_widths == (3,)
    assert cfg.replace(layer_widths=(2, 2, 2), hidden_layers=3).hidden_units == 2
    none = cfg.replace(layer_widths=())
    assert (none.hidden_layers, none.hidden_units) == (0, 3)
    assert PlaygroundConfig(hidden_layers=0).layer_widths == ()
    assert PlaygroundConfig(hidden_units=5, layer_widths=(5, 5)).layer_widths == (5, 5)
    with pytest.raises(ValueError, match="^layer_widths: .*disagrees with hidden_units=4"):
        PlaygroundConfig(hidden_units=4, layer_widths=(3,))
    with pytest.raises(ValueError, match="^layer_widths: .*disagrees with hidden_layers=1"):
        cfg.replace(layer_widths=(2, 2), hidden_layers=1)
    # The shorthand given at its starting values is given all the same: it must agree too.
    with pytest.raises(ValueError, match="^layer_widths: .*disagrees with hidden_units=8"):
        PlaygroundConfig(hidden_units=8, hidden_layers=2, layer_widths=(3,))
    with pytest.raises(ValueError, match="^layer_widths: .*disagrees with hidden_layers=2"):
        PlaygroundConfig(hidden_layers=2, layer_widths=(8,))
    assert PlaygroundConfig(hidden_units=8, hidden_layers=2, layer_widths=(8, 8)).layer_widths \
        == (8, 8)
    assert pg.describe_widths((8, 4)) == "8-4" and pg.describe_widths(()) == "no hidden layer"


@pytest.mark.parametrize("widths", [(0,), (33,), (1,) * 7, (2.0,), (True,), "8", 8, [[2]]])
def test_bad_widths_name_the_setting(widths):
    with pytest.raises(ValueError, match=r"^layer_widths: expected a tuple of 0 to 6 hidden-"
                                         r"layer widths, each an integer in \[1, 32\]"):
        PlaygroundConfig(layer_widths=widths)


def test_the_architecture_buttons_walk_to_the_bounds_and_stop():
    cfg = PlaygroundConfig(layer_widths=())
    for k in range(1, pg.MAX_LAYERS + 1):
        cfg = pg.add_hidden_layer(cfg)
        assert cfg.layer_widths == (pg.NEW_LAYER_WIDTH,) * k
    with pytest.raises(ValueError, match="^layer_widths: already 6 hidden layers"):
        pg.add_hidden_layer(cfg)
    for _ in range(pg.MAX_UNITS - pg.NEW_LAYER_WIDTH):
        cfg = pg.add_neuron(cfg, 4)
    assert cfg.layer_widths[4] == pg.MAX_UNITS
    with pytest.raises(ValueError, match="^layer_widths: hidden layer 4 already has 32 units"):
        pg.add_neuron(cfg, 4)
    cfg = pg.remove_neuron(cfg, 0)
    with pytest.raises(ValueError, match="^layer_widths: hidden layer 0 has 1 unit"):
        pg.remove_neuron(cfg, 0)
    for layer in (-1, 6, 1.0, True, "0"):
        with pytest.raises(ValueError, match=r"^layer: expected an integer in \[0, 5\]"):
            pg.add_neuron(cfg, layer)
    for _ in range(pg.MAX_LAYERS):
        cfg = pg.remove_hidden_layer(cfg)
    assert cfg.layer_widths == () and cfg.hidden_layers == 0
    with pytest.raises(ValueError, match="^layer_widths: there is no hidden layer to remove"):
        pg.remove_hidden_layer(cfg)
    with pytest.raises(ValueError, match="^layer: the network has no hidden layer"):
        pg.add_neuron(cfg, 0)


@given(widths=st.lists(st.integers(1, 32), max_size=6), op=st.sampled_from(
    ["add_hidden_layer", "remove_hidden_layer", "add_neuron", "remove_neuron"]),
    layer=st.integers(0, 5))
def test_every_button_returns_a_valid_config_or_refuses(widths, op, layer):
    cfg = PlaygroundConfig(layer_widths=tuple(widths))
    args = (layer,) if "neuron" in op else ()
    try:
        new = getattr(pg, op)(cfg, *args)
    except ValueError as exc:
        assert str(exc).startswith(("layer_widths: ", "layer: "))
        return
    assert new == as_config(new) and len(new.layer_widths) <= pg.MAX_LAYERS
    assert abs(sum(new.layer_widths) - sum(widths)) <= max(pg.NEW_LAYER_WIDTH, 32)


# ====================================================================== the other new settings
@pytest.mark.parametrize("name, value", [
    ("test_ratio", 0.05), ("test_ratio", 0.95), ("test_ratio", -0.1), ("test_ratio", 1),
    ("test_ratio", math.nan), ("test_ratio", True), ("test_ratio", "0.5"), ("test_ratio", None),
    ("data_seed", -1), ("data_seed", 2**32), ("data_seed", 1.5), ("data_seed", True),
    ("data_seed", "3"), ("regularization", "l3"), ("regularization", 1),
    ("regularization", True), ("reg_rate", -0.1), ("reg_rate", 11), ("reg_rate", math.nan),
    ("dataset", "moons"),
])
def test_bad_new_settings_name_the_setting(name, value):
    with pytest.raises(ValueError, match=f"^{name}: expected "):
        PlaygroundConfig(**{name: value})
    with pytest.raises(ValueError, match=f"^{name}: expected "):
        Session(epochs=1).change(**{name: value})


def test_every_setting_describes_its_domain():
    text = {name: s.describe() for name, s in pg.SETTINGS.items()}
    assert text["hidden_layers"] == "0 to 6" and text["noise"] == "0 to 0.5"
    assert text["test_ratio"] == "0 (no split) or 0.1 to 0.9"
    assert text["layer_widths"] == "0 to 6 widths, each 1 to 32"
    assert text["features"].startswith("one or more of x1, x2, x1^2")
    assert text["data_seed"] == "None (the run's seed) or 0 to 4,294,967,295"
    assert text["dataset"].endswith("reg-plane, reg-gauss, own")
    assert (*pg.CLASSIFICATION, *pg.REGRESSION) == pg.DATASETS


@pytest.mark.parametrize("value", [0, 0.0, 0.1, 0.5, 0.9])
def test_test_ratio_accepts_zero_and_playgrounds_range(value):
    assert PlaygroundConfig(test_ratio=value).test_ratio == value


def test_regression_sets_refuse_bce():
    with pytest.raises(ValueError, match="^loss: the regression data set 'reg-gauss'"):
        PlaygroundConfig(dataset="reg-gauss", loss="bce")
    s = Session(loss="bce", epochs=3)
    s.advance(3)
    net, history = s.network, s.history
    with pytest.raises(ValueError, match="^loss: "):
        s.change(dataset="reg-plane", loss="bce")
    assert s.network is net and s.history is history and s.config.dataset == "xor"


def test_a_registered_activation_is_offered_and_trains(monkeypatch):
    softsign = activations.ActivationFunction(
        "softsign", lambda z: z / (1.0 + np.abs(z)), lambda z, a: 1.0 / (1.0 + np.abs(z)) ** 2,
        (-1.0, 1.0))
    assert "softsign" not in pg.SETTINGS["activation"].choices
    monkeypatch.setitem(activations.REGISTRY, "softsign", softsign)
    assert activations.names()[-1] == "softsign"
    assert pg.SETTINGS["activation"].choices == activations.names()
    assert "softsign" in pg.SETTINGS["activation"].describe()
    history, net = pg.train(PlaygroundConfig(activation="softsign", epochs=20))
    assert net.layers[0].activation is softsign and history.epochs == 20
