"""labnn.lab: the lab's network, its documented default and its test print-out.

The documented default (2-4-4-1 sigmoid, init 'default', full-batch SGD lr 1.0, 5000 epochs,
MSE) reaches 100 % on both lab data sets for at least 9 of 10 seeds."""

import io
import re

import numpy as np
import pytest

import labnn
from labnn.data import generate_linear, generate_xor_easy


@pytest.mark.slow
@pytest.mark.parametrize("dataset", ["linear", "xor"])
def test_default_setup_reaches_100_percent(dataset):
    finals = []
    for seed in range(10):
        X, y = generate_linear(n=100, seed=seed) if dataset == "linear" else generate_xor_easy()
        net = labnn.lab_network(seed=seed)
        history = net.fit(X, y, epochs=labnn.DEFAULT_EPOCHS)
        finals.append(labnn.accuracy(y, net.predict(X)))
        assert history.final_loss < history.loss[0]
    assert sum(a == 1.0 for a in finals) >= 9, finals
    assert min(finals) >= 0.9, finals  # the lab's demo bar, on every seed


def test_test_printout_format():
    X, y = generate_xor_easy()
    net = labnn.lab_network(seed=0)
    net.fit(X, y, epochs=5000)
    buf = io.StringIO()
    loss, acc = labnn.lab.test(net, X, y, file=buf)
    lines = buf.getvalue().splitlines()
    assert len(lines) == 22
    assert re.fullmatch(r"Iter3 \|  Ground truth: 1\.0 \|  prediction: \d\.\d{5} \|", lines[3])
    assert lines[0].startswith("Iter0 |  Ground truth: 0.0 |  prediction: ")
    assert lines[-1] == f"loss={loss:.5f} accuracy={acc:.2%}" and acc == 1.0
    assert lines[-1].endswith("accuracy=100.00%")


def test_the_print_out_can_show_its_first_lines_only():
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    y_hat = np.array([[0.1], [0.9], [0.8], [0.2]])
    full = labnn.lab.format_test_report(y, y_hat, 0.025, 1.0).splitlines()
    short = labnn.lab.format_test_report(y, y_hat, 0.025, 1.0, head=2).splitlines()
    assert short == full[:2] + ["... (2 more lines)", full[-1]]
    assert labnn.lab.format_test_report(y, y_hat, 0.025, 1.0, head=4).splitlines() == full
    with pytest.raises(ValueError, match="head"):
        labnn.lab.format_test_report(y, y_hat, 0.025, 1.0, head=0)


@pytest.mark.parametrize("kwargs", [{"hidden_layers": 2**63}, {"hidden_layers": 10**400},
                                    {"hidden_units": 2**63}, {"hidden_units": 10**5,
                                                              "hidden_layers": 20}], ids=repr)
def test_a_lab_network_too_large_is_refused_before_any_layer_is_built(kwargs):
    """hidden_layers=2**63 built layers until memory ran out (and 10**400 forever)."""
    with pytest.raises(ValueError, match="^hidden_units, hidden_layers: the network's "
                                         "parameters .* would take"):
        labnn.lab_network(**kwargs)


def test_a_bad_output_activation_is_named_output():
    with pytest.raises(ValueError, match="^output: unknown name 'swish'"):
        labnn.lab_network(output="swish")
