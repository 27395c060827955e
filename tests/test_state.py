"""labnn.explorer.state: a run as one line of text. The explorer's state string round-trips
every setting; five hashes written in TensorFlow Playground's own format (src/state.ts:
``State.serialize`` writes its PROPS in order as name=value joined by &) reproduce Playground's
settings; a run Playground can show gives a hash that reads back to the same run."""

from __future__ import annotations

import pytest

from labnn.explorer import state as st
from labnn.explorer.playground import PlaygroundConfig, Session, as_config

# As Playground's serialize() writes them (regularization null is left out; the seed is
# Math.random().toFixed(5)); the last one has a tutorial and a hidden control, as its links do.
PLAYGROUND_HASHES = {
    "the default": (
        "activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03&"
        "regularizationRate=0&noise=0&networkShape=4,2&seed=0.58172&showTestData=false&"
        "discretize=false&percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false&"
        "ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false&"
        "problem=classification&initZero=false&hideText=false",
        dict(dataset="circle", n=500, noise=0.0, test_ratio=0.5, batch_size=10, lr=0.03,
             activation="tanh", regularization="none", reg_rate=0.0, features=("x1", "x2"),
             layer_widths=(4, 2), seed=58172),
        {"show_test": False, "discretize": False}),
    "spiral, sines, relu, L2": (
        "activation=relu&regularization=L2&batchSize=3&dataset=spiral&regDataset=reg-plane&"
        "learningRate=0.01&regularizationRate=0.003&noise=25&networkShape=8,8,6,4&"
        "seed=0.41729&showTestData=true&discretize=true&percTrainData=70&x=true&y=true&"
        "xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=true&cosY=false&"
        "sinY=true&collectStats=false&problem=classification&initZero=false&hideText=false",
        dict(dataset="spiral", n=500, noise=0.25, test_ratio=0.3, batch_size=3, lr=0.01,
             activation="relu", regularization="l2", reg_rate=0.003,
             features=("x1", "x2", "sin(x1)", "sin(x2)"), layer_widths=(8, 8, 6, 4),
             seed=41729),
        {"show_test": True, "discretize": True}),
    "its XOR, x1 x2 alone, no hidden layer, L1": (
        "activation=sigmoid&regularization=L1&batchSize=30&dataset=xor&regDataset=reg-plane&"
        "learningRate=0.3&regularizationRate=0.01&noise=5&networkShape=&seed=0.00001&"
        "showTestData=false&discretize=false&percTrainData=20&x=false&y=false&xTimesY=true&"
        "xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&"
        "collectStats=false&problem=classification&initZero=false&hideText=false",
        dict(dataset="xor-quadrants", n=500, noise=0.05, test_ratio=0.8, batch_size=30,
             lr=0.3, activation="sigmoid", regularization="l1-playground", reg_rate=0.01,
             features=("x1*x2",), layer_widths=(), seed=1),
        {"show_test": False, "discretize": False}),
    "regression, Gaussian bumps": (
        "activation=linear&batchSize=1&dataset=circle&regDataset=reg-gauss&"
        "learningRate=0.00001&regularizationRate=0&noise=50&networkShape=2&seed=0.99999&"
        "showTestData=false&discretize=false&percTrainData=90&x=true&y=true&xTimesY=false&"
        "xSquared=true&ySquared=true&cosX=false&sinX=false&cosY=false&sinY=false&"
        "collectStats=false&problem=regression&initZero=false&hideText=false",
        dict(dataset="reg-gauss", n=1200, noise=0.5, test_ratio=0.1, batch_size=1, lr=1e-5,
             activation="linear", regularization="none", reg_rate=0.0,
             features=("x1", "x2", "x1^2", "x2^2"), layer_widths=(2,), seed=99999),
        {"show_test": False, "discretize": False}),
    "Gaussian, a tutorial link": (
        "https://playground.tensorflow.org/#activation=tanh&batchSize=10&dataset=gauss&"
        "regDataset=reg-plane&learningRate=10&regularizationRate=0&noise=0&networkShape=1&"
        "seed=0.80256&showTestData=false&discretize=false&percTrainData=10&x=true&y=true&"
        "xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&"
        "sinY=false&collectStats=false&problem=classification&initZero=false&hideText=false&"
        "tutorial=dp-neural-net-intro&stepButton_hide=true",
        dict(dataset="gaussian", n=500, noise=0.0, test_ratio=0.9, batch_size=10, lr=10.0,
             activation="tanh", regularization="none", reg_rate=0.0, features=("x1", "x2"),
             layer_widths=(1,), seed=80256),
        {"show_test": False, "discretize": False}),
}


@pytest.mark.parametrize("name", PLAYGROUND_HASHES)
def test_a_playground_hash_reproduces_playgrounds_settings(name):
    text, expected, display = PLAYGROUND_HASHES[name]
    changes, shown = st.read_state(text)
    assert {k: changes[k] for k in expected} == expected
    assert (changes["optimizer"], changes["loss"]) == ("sgd", "mse")   # Playground's training
    assert shown == display
    s = Session(**changes)                                  # and it builds and trains
    s.advance_steps(3)
    assert s.steps == 3 and len(s.X) == expected["n"]
    if not text.startswith("http"):
        assert st.read_state("#" + text) == (changes, shown)


def test_keys_a_hash_leaves_out_take_playgrounds_defaults():
    changes, display = st.read_state("learningRate=0.1&dataset=spiral")
    assert (changes["dataset"], changes["lr"], changes["layer_widths"], changes["batch_size"],
            changes["test_ratio"], changes["activation"]) == ("spiral", 0.1, (4, 2), 10, 0.5,
                                                              "tanh")
    assert "seed" not in changes and display == {"show_test": False, "discretize": False}


@pytest.mark.parametrize("text, match", [
    ("activation=tanh&learningRate=0.03&cosX=true", "cosX feature is not one"),
    ("learningRate=0.03&initZero=true", "initZero"),
    ("learningRate=100", r"lr: expected a number in \[1e-05, 10.0\], got 100"),
    ("learningRate=fast", "not a Playground state"),
    ("networkShape=9,9,9,9,9,9,9", "layer_widths"),
])
def test_what_a_hash_cannot_give_is_named(text, match):
    with pytest.raises(ValueError, match=f"^state: .*{match}"):
        st.read_state(text)


@pytest.mark.parametrize("config", [
    PlaygroundConfig(dataset="circle", batch_size=10, test_ratio=0.5, layer_widths=(4, 2)),
    PlaygroundConfig(dataset="reg-plane", batch_size=1, lr=0.003, layer_widths=(),
                     features=("x1^2",), seed=42, noise=0.1, test_ratio=0.2),
    PlaygroundConfig(dataset="xor-quadrants", batch_size=30, regularization="l1-playground",
                     reg_rate=0.3, activation="relu", layer_widths=(8, 8, 8, 8, 8, 8),
                     features=("x1", "x2", "x1*x2", "sin(x1)", "sin(x2)", "x1^2", "x2^2"),
                     test_ratio=0.9, seed=123456),
])
def test_a_run_playground_can_show_goes_there_and_back(config):
    url = st.playground_url(config, {"discretize": True})
    assert url.startswith("https://playground.tensorflow.org/#activation=")
    changes, display = st.read_state(url)
    back = as_config(config, n=changes["n"])
    assert as_config(changes) == back.replace(epochs=PlaygroundConfig().epochs)
    assert display == {"show_test": False, "discretize": True}


@pytest.mark.parametrize("config, match", [
    (PlaygroundConfig(), "the xor data set, full batch"),
    (PlaygroundConfig(dataset="circle", batch_size=64), "batch 64"),
    (PlaygroundConfig(dataset="circle", batch_size=8, optimizer="adam"), "adam on mse"),
    (PlaygroundConfig(dataset="circle", batch_size=8, regularization="l1"), "plain l1"),
    (PlaygroundConfig(dataset="circle", batch_size=8, layer_widths=(9,)), "more than 8"),
])
def test_what_playground_cannot_show_is_named(config, match):
    with pytest.raises(ValueError, match=f"^config: Playground cannot show .*{match}"):
        st.playground_hash(config)


@pytest.mark.parametrize("config", [
    PlaygroundConfig(),
    PlaygroundConfig(dataset="spiral", lr=0.01, layer_widths=(8, 6, 2), batch_size=None,
                     features=("x1", "sin(x2)"), test_ratio=0.3, data_seed=7, noise=0.15,
                     regularization="l1-playground", reg_rate=0.003, optimizer="adam",
                     epochs=1200, seed=2**32 - 1),
    PlaygroundConfig(dataset="reg-gauss", loss="mse", lr=0.03, batch_size=16, n=300,
                     layer_widths=()),
])
def test_the_state_string_round_trips_every_setting(config):
    text = st.state_string(config, {"show_test": False, "discretize": False})
    changes, display = st.read_state(text)
    assert as_config(changes) == config and display == {"show_test": False}
    assert len(text) < 260


def test_the_default_state_is_empty_and_bad_states_are_named():
    assert st.state_string(PlaygroundConfig()) == ""
    assert st.read_state("") == ({}, {})
    with pytest.raises(ValueError, match="^state: unknown setting"):
        st.read_state("dataset=circle&speed=3")
    with pytest.raises(ValueError, match="^state: noise: expected"):
        st.read_state("noise=0.9")
    with pytest.raises(ValueError, match="^state: expected state pairs"):
        st.read_state("dataset")
    with pytest.raises(ValueError, match="^state: expected a string"):
        st.read_state(5)
