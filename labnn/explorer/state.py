"""A run's settings as one short line of text, to copy and paste: the explorer's own state
string, and TensorFlow Playground's URL hash (read and written in Playground's own format,
``src/state.ts``: ``name=value`` pairs joined by ``&``).

    text = state_string(config)               # "dataset=circle&lr=0.03&layer_widths=4,2"
    changes, display = read_state(text)       # back: explorer(state=text) does this
    changes, display = read_state("https://playground.tensorflow.org/#activation=relu&...")
    url = playground_url(config)              # the same run in Playground, where it can be

The state string lists the settings that differ from the explorer's starting point
(``PlaygroundConfig()``), each checked again when read. A Playground hash starts from
Playground's own defaults and maps each of its settings to the explorer's: its data sets
(its XOR is the four-quadrant ``xor-quadrants``, not the lab's points), 500 points (1200 for
regression), the noise 0-50 as 0-0.5, the ratio of training data as the test ratio, the
batch size, the learning rate, the activation, L1 as Playground's own rule
(``l1-playground``) or L2 and the rate, the features, the hidden layers and their neurons,
the seed (its "0.12345" read as 12345); plain SGD on the squared error, as Playground
trains. The display toggles come back apart (``display``).
"""

from __future__ import annotations

import dataclasses
import urllib.parse
import zlib

from . import datasets as _ds
from .config import PLAYGROUND_L1, SETTINGS, PlaygroundConfig, as_config

PLAYGROUND_URL = "https://playground.tensorflow.org/"

PLAYGROUND_FEATURES = {"x": "x1", "y": "x2", "xSquared": "x1^2", "ySquared": "x2^2",
                       "xTimesY": "x1*x2", "sinX": "sin(x1)", "sinY": "sin(x2)"}
"""Playground's input features (its state's names) and the explorer's."""

PLAYGROUND_DATASETS = {"circle": "circle", "xor": _ds.QUADRANTS, "gauss": "gaussian",
                       "spiral": "spiral"}
PLAYGROUND_REG_DATASETS = {"reg-plane": "reg-plane", "reg-gauss": "reg-gauss"}
PLAYGROUND_REGULARIZATIONS = {"L1": PLAYGROUND_L1, "L2": "l2"}
PLAYGROUND_SAMPLES = {"classification": 500, "regression": 1200}
"""Playground's NUM_SAMPLES_CLASSIFY and NUM_SAMPLES_REGRESS."""

PLAYGROUND_DEFAULTS = {
    "activation": "tanh", "batchSize": "10", "dataset": "circle", "regDataset": "reg-plane",
    "learningRate": "0.03", "regularizationRate": "0", "noise": "0", "networkShape": "4,2",
    "showTestData": "false", "discretize": "false", "percTrainData": "50",
    "problem": "classification", **{name: "false" for name in PLAYGROUND_FEATURES},
    "x": "true", "y": "true"}
"""Playground's ``State`` defaults, for the keys a hash leaves out."""

PLAYGROUND_KEYS = frozenset({*PLAYGROUND_DEFAULTS, "regularization", "seed", "cosX", "cosY",
                             "collectStats", "tutorial", "initZero", "hideText"})

DISPLAY = {"show_test": True, "discretize": False}
"""The display toggles a state carries (Playground's showTestData, discretize) and the
explorer's starting values of them (a state string names only those that differ)."""


# ---------------------------------------------------------------------- the explorer's own
def _text(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    return repr(value) if isinstance(value, float) else str(value)


def state_string(config, display: dict | None = None) -> str:
    """The settings of ``config`` that differ from ``PlaygroundConfig()``, as
    ``name=value&...`` (widths and features as comma-separated lists); plus the display
    toggles in ``display`` that differ from the explorer's (``DISPLAY``). Your own points
    are not in it (they are yours to give again)."""
    config = as_config(config)
    default = PlaygroundConfig()
    pairs = []
    for f in dataclasses.fields(config):
        if f.name in ("hidden_units", "hidden_layers"):
            continue                                   # layer_widths says it
        value = getattr(config, f.name)
        if value != getattr(default, f.name):
            pairs.append((f.name, _text(value)))
    pairs += [(name, str(bool(value)).lower()) for name, value in (display or {}).items()
              if name in DISPLAY and bool(value) != DISPLAY[name]]
    return "&".join(f"{name}={urllib.parse.quote(text, safe=',^*()')}" for name, text in pairs)


def _pairs(text: str, what: str) -> dict[str, str]:
    if not isinstance(text, str):
        raise ValueError(f"state: expected a string, got {type(text).__name__}")
    text = text.strip()
    if "#" in text:
        text = text.split("#", 1)[1]
    pairs = {}
    for part in filter(None, text.split("&")):
        name, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"state: expected {what} pairs name=value joined by &, got "
                             f"{part!r}")
        pairs[urllib.parse.unquote(name)] = urllib.parse.unquote(value)
    return pairs


def _hidden(pairs) -> set[str]:
    """Playground's keys that hide a control ("playButton_hide"): read and ignored."""
    return {name for name in pairs if name.endswith("_hide")}


def _value(name: str, text: str):
    """A state string's value for setting ``name``, before the setting checks it."""
    kind = SETTINGS[name].kind
    if text == "none" and kind in ("batch", "seed"):
        return None
    if kind in ("features", "widths"):
        parts = [p for p in text.split(",") if p]
        return tuple(int(p) for p in parts) if kind == "widths" else tuple(parts)
    if kind in ("int", "batch", "seed"):
        return int(text)
    if kind in ("number", "ratio"):
        return float(text)
    return text


def read_state(text: str) -> tuple[dict, dict]:
    """(changes, display) from the explorer's state string or a Playground URL or hash (any
    text whose names are Playground's). Each value is checked by its setting; an unknown name
    or a value out of its domain raises ValueError naming it."""
    pairs = _pairs(text, "state")
    if set(pairs) - set(SETTINGS) - set(DISPLAY) <= PLAYGROUND_KEYS | _hidden(pairs) and \
            set(pairs) & (PLAYGROUND_KEYS - set(SETTINGS)):
        return read_playground(text)
    display = {name: pairs.pop(name) == "true" for name in DISPLAY if name in pairs}
    unknown = [name for name in pairs if name not in SETTINGS]
    if unknown:
        raise ValueError(f"state: unknown setting(s) {', '.join(unknown)}; expected some of "
                         f"{', '.join(SETTINGS)}")
    changes = {}
    for name, raw in pairs.items():
        try:
            changes[name] = SETTINGS[name].check(_value(name, raw))
        except ValueError as exc:
            raise ValueError(f"state: {exc}") from None
    as_config(changes)                                 # the settings together
    return changes, display


# ---------------------------------------------------------------------- Playground's
def _playground_seed(text: str) -> int:
    """Playground's seed string as the explorer's integer seed: "0.12345" (what Playground
    writes) is 12345; any other text, its CRC-32."""
    head, dot, digits = text.partition(".")
    if head == "0" and dot and digits.isdigit() and int(digits) <= SETTINGS["seed"].hi:
        return int(digits)
    return zlib.crc32(text.encode())


def _flag(pairs: dict, name: str) -> bool:
    return pairs.get(name, PLAYGROUND_DEFAULTS.get(name, "false")) != "false"


def read_playground(text: str) -> tuple[dict, dict]:
    """(changes, display) that reproduce a Playground state (a URL, ``#...`` or the bare
    hash), read as Playground's ``State.deserializeState`` reads it: absent keys take its
    defaults; a setting the explorer cannot reproduce (cos features, all-zero weights)
    raises ValueError naming it."""
    given = _pairs(text, "Playground state")
    pairs = {**PLAYGROUND_DEFAULTS, **{k: v for k, v in given.items() if v.strip() != ""
                                       or k == "networkShape"}}
    for name in ("cosX", "cosY"):
        if _flag(pairs, name):
            raise ValueError(f"state: Playground's {name} feature is not one the explorer "
                             f"offers (features: {', '.join(PLAYGROUND_FEATURES.values())})")
    if _flag(pairs, "initZero"):
        raise ValueError("state: Playground's initZero (every weight 0 at the start) is not "
                         "offered: the explorer's networks start from their seed")
    problem = pairs["problem"]
    if problem not in PLAYGROUND_SAMPLES:
        problem = "classification"
    names = PLAYGROUND_DATASETS if problem == "classification" else PLAYGROUND_REG_DATASETS
    key = pairs["dataset" if problem == "classification" else "regDataset"]
    default = PLAYGROUND_DEFAULTS["dataset" if problem == "classification" else "regDataset"]
    dataset = names.get(key, names[default])
    try:
        shape = tuple(int(w) for w in pairs["networkShape"].split(",") if w.strip())
        changes = {
            "dataset": dataset, "n": PLAYGROUND_SAMPLES[problem],
            "noise": float(pairs["noise"]) / 100,
            "test_ratio": round(1 - float(pairs["percTrainData"]) / 100, 10),
            "batch_size": int(float(pairs["batchSize"])), "lr": float(pairs["learningRate"]),
            "activation": pairs["activation"],
            "regularization": PLAYGROUND_REGULARIZATIONS.get(pairs.get("regularization"),
                                                             "none"),
            "reg_rate": float(pairs["regularizationRate"]),
            "features": tuple(ours for theirs, ours in PLAYGROUND_FEATURES.items()
                              if _flag(pairs, theirs)),
            "layer_widths": shape, "optimizer": "sgd", "loss": "mse"}
    except ValueError as exc:
        raise ValueError(f"state: not a Playground state ({exc})") from None
    if "seed" in pairs:
        changes["seed"] = _playground_seed(pairs["seed"])
    try:
        config = as_config(changes)
    except ValueError as exc:
        raise ValueError(f"state: {exc}") from None
    changes = {k: getattr(config, k) for k in changes}
    display = {"show_test": _flag(pairs, "showTestData"),
               "discretize": _flag(pairs, "discretize")}
    return changes, display


def playground_hash(config, display: dict | None = None) -> str:
    """Playground's URL hash for ``config``, in the order Playground writes it; ValueError
    naming what Playground cannot show (the lab's linear and XOR points, your own points, full
    batch or a batch over 30, another optimizer or loss, plain l1, a feature-less network,
    more than 8 neurons in a layer)."""
    cfg = as_config(config)
    ours = {v: k for k, v in {**PLAYGROUND_DATASETS, **PLAYGROUND_REG_DATASETS}.items()}
    problems = []
    if cfg.dataset not in ours:
        problems.append(f"the {cfg.dataset} data set")
    if cfg.batch_size is None or cfg.batch_size > 30:
        problems.append("full batch" if cfg.batch_size is None else f"batch {cfg.batch_size}")
    if cfg.optimizer != "sgd" or cfg.loss != "mse":
        problems.append(f"{cfg.optimizer} on {cfg.loss}")
    if cfg.regularization == "l1":
        problems.append("plain l1 (Playground's is l1-playground)")
    if any(w > 8 for w in cfg.layer_widths):
        problems.append("more than 8 neurons in a layer")
    if cfg.activation not in ("relu", "tanh", "sigmoid", "linear"):
        problems.append(f"the {cfg.activation} activation")
    if problems:
        raise ValueError(f"config: Playground cannot show {', '.join(problems)}")
    regression = cfg.dataset in PLAYGROUND_REG_DATASETS
    regs = {v: k for k, v in PLAYGROUND_REGULARIZATIONS.items()}
    display = display or {}
    pairs = [("activation", cfg.activation)]
    if cfg.regularization in regs:
        pairs.append(("regularization", regs[cfg.regularization]))
    pairs += [
        ("batchSize", str(cfg.batch_size)),
        ("dataset", "circle" if regression else ours[cfg.dataset]),
        ("regDataset", ours[cfg.dataset] if regression else "reg-plane"),
        ("learningRate", f"{cfg.lr:g}"), ("regularizationRate", f"{cfg.reg_rate:g}"),
        ("noise", f"{cfg.noise * 100:g}"),
        ("networkShape", ",".join(map(str, cfg.layer_widths))),
        ("seed", f"0.{cfg.seed:05d}"),
        ("showTestData", str(bool(display.get("show_test"))).lower()),
        ("discretize", str(bool(display.get("discretize"))).lower()),
        ("percTrainData", f"{(1 - cfg.test_ratio) * 100:.0f}")]
    order = ("x", "y", "xTimesY", "xSquared", "ySquared", "cosX", "sinX", "cosY", "sinY")
    pairs += [(name, str(PLAYGROUND_FEATURES.get(name) in cfg.features).lower())
              for name in order]
    pairs += [("collectStats", "false"), ("problem", "regression" if regression else
                                          "classification"),
              ("initZero", "false"), ("hideText", "false")]
    return "&".join(f"{k}={v}" for k, v in pairs)


def playground_url(config, display: dict | None = None) -> str:
    """The run in TensorFlow Playground (``playground_hash``)."""
    return f"{PLAYGROUND_URL}#{playground_hash(config, display)}"


__all__ = ["DISPLAY", "PLAYGROUND_DATASETS", "PLAYGROUND_DEFAULTS", "PLAYGROUND_FEATURES",
           "PLAYGROUND_URL", "playground_hash", "playground_url", "read_playground",
           "read_state", "state_string"]
