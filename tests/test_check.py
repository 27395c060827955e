"""labnn.check: a student's own back-propagation checked, and its mistake named.

The students are small implementations written the way students write them, without labnn
(tests/submissions/student_rows.py: samples as rows; student_columns.py: samples as columns, as
in the original report), each with one mistake planted by setting its MISTAKE."""


import numpy as np
import pytest
from check_helpers import (  # noqa: E402
    LAYOUTS,
    NOTEBOOK_SUBMISSIONS,
    check,
    student,
    xor,
)

import labnn
from labnn.check import check_backprop
from labnn.lab import check as C
from labnn.lab import submissions as S

# --------------------------------------------------------------------------- the verdicts
NAMED = {
    "derivative at activation": "derivative evaluated at the activation (layers 1, 2, 3)",
    "sum instead of mean": "gradient scaled by N",
    "no 2": "gradient scaled by 1/2",
    "half loss": "gradient scaled by 2",
    "sign": "wrong sign",
    "bias not summed": "bias gradient not summed over the batch (b1, b2, b3)",
    "transposed": "weights transposed in the propagation (layer 2)",
    "update before propagate": "W updated before propagating through it",
}
MISSING = {"rows": "activation derivative missing (layer 3)",
           "columns": "activation derivative missing (layer 2)"}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("mistake", [*NAMED, "derivative missing"])
def test_every_planted_mistake_is_named(layout, mistake):
    result = check(student(layout, mistake), layout)
    expected = MISSING[layout] if mistake == "derivative missing" else NAMED[mistake]
    assert result.verdict == expected
    assert not result.passed and result.layout == layout
    match = result.step.match if mistake == "update before propagate" else result.match
    assert match.error < C.MATCH_BELOW and str(match).startswith(f"'{expected}' to ")
    assert f"matches '{expected}' to " in str(result)
    assert all(m.fix for m in result.mistakes)
    assert result.worst > 1e-4          # the centred differences disagree too


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_right_gradients_pass(layout):
    result = check(student(layout), layout)
    assert result.verdict == "pass" and result.passed and result.mistakes == ()
    assert max(result.errors.values()) < C.PASS_BELOW
    assert max(result.labnn_errors.values()) < 1e-12
    assert result.network == "2-4-4-1 (sigmoid, sigmoid, sigmoid), loss mse"
    assert result.step.verdict == "pass"
    assert "verdict: pass" in str(result)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_wrong_gradient_of_no_known_pattern_says_so_per_parameter(layout):
    # dW2 computed with the layer's output instead of its input: not a known mistake
    result = check(student(layout, "wrong input"), layout)
    assert result.verdict == "wrong, no known pattern" and result.match is None
    assert result.errors["W2"] > 0.1
    assert all(e < C.PASS_BELOW for n, e in result.errors.items() if n != "W2")
    assert result.closest.error > C.MATCH_BELOW
    text = str(result)
    assert "W2 " in text and "closest known mistake" in text


def test_the_original_reports_network_is_named_with_both_its_mistakes():
    module = S.load(NOTEBOOK_SUBMISSIONS / "original_report.py")
    result = check(module, "columns", loss=None)
    assert result.verdict == ("derivative evaluated at the activation (layers 1, 2, 3); "
                              "W updated before propagating through it")
    assert result.layout == "columns"
    # with tanh or relu hidden layers its derivative (applied to the output) is right: only
    # the sigmoid output unit is wrong (relu's f'(a) = f'(z): nothing to name there)
    for hidden in ("tanh", "relu"):
        module.LAYERS = [(4, hidden), (4, hidden), (1, "sigmoid")]
        result = check(module, "columns", loss=None)
        assert result.network.startswith(f"2-4-4-1 ({hidden}, {hidden}, sigmoid)")
        assert result.verdict == ("derivative evaluated at the activation (layer 3); "
                                  "W updated before propagating through it")


def test_the_notebooks_correct_student_passes():
    module = S.load(NOTEBOOK_SUBMISSIONS / "correct.py")
    assert check(module, "rows", loss=None).verdict == "pass"


def test_the_check_can_fail_on_a_gradient_one_element_off():
    module = student("rows")
    right = module.backward

    def backward(params, X, y):
        grads = right(params, X, y)
        grads[2][1, 1] += 1e-3
        return grads

    X, y = xor("rows")
    result = check_backprop(module.forward, backward, module.init_params(0), X, y)
    assert not result.passed and result.verdict == "wrong, no known pattern"
    assert result.errors["W2"] > C.PASS_BELOW


def test_losses_and_forwards_labnn_cannot_reproduce_are_still_checked():
    X, y = xor("rows")
    module = student("rows")

    def mae(y_hat, y):                        # not a multiple of mse or bce
        return np.mean(np.abs(y_hat - y))

    def mae_backward(params, X, y):
        W1, b1, W2, b2, W3, b3 = params
        a1 = module.sigmoid(X @ W1 + b1)
        a2 = module.sigmoid(a1 @ W2 + b2)
        a3 = module.sigmoid(a2 @ W3 + b3)
        dz3 = np.sign(a3 - y) / len(X) * a3 * (1 - a3)
        dz2 = dz3 @ W3.T * a2 * (1 - a2)
        dz1 = dz2 @ W2.T * a1 * (1 - a1)
        return [X.T @ dz1, dz1.sum(0), a1.T @ dz2, dz2.sum(0, keepdims=True), a2.T @ dz3,
                dz3.sum(0)]

    result = check_backprop(module.forward, mae_backward, module.init_params(0), X, y,
                            loss=mae)
    assert result.verdict == "pass" and result.network is None
    assert "not a multiple of labnn's mse or bce" in result.notes[0]

    def cube_forward(params, X):              # an activation labnn does not have
        W1, b1, W2, b2, W3, b3 = params
        return module.sigmoid(((X @ W1 + b1) ** 3 @ W2 + b2) @ W3 + b3)

    result = check_backprop(cube_forward, module.backward, module.init_params(0), X, y)
    assert result.network is None and result.verdict == "wrong, no known pattern"
    assert "no labnn network" in result.notes[0]


def test_a_bce_loss_is_recognised():
    X, y = xor("rows")
    module = student("rows")

    def bce(y_hat, y):
        return -np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))

    def backward(params, X, y):               # sigmoid + bce: dz3 = (a3 - y) / N
        W1, b1, W2, b2, W3, b3 = params
        a1 = module.sigmoid(X @ W1 + b1)
        a2 = module.sigmoid(a1 @ W2 + b2)
        dz3 = (module.sigmoid(a2 @ W3 + b3) - y) / len(X) * 2      # planted: scaled by 2
        dz2 = dz3 @ W3.T * a2 * (1 - a2)
        dz1 = dz2 @ W2.T * a1 * (1 - a1)
        return [X.T @ dz1, dz1.sum(0), a1.T @ dz2, dz2.sum(0, keepdims=True), a2.T @ dz3,
                dz3.sum(0)]

    result = check_backprop(module.forward, backward, module.init_params(0), X, y, loss=bce)
    assert result.network.endswith("loss bce") and result.verdict == "gradient scaled by 2"


# --------------------------------------------------------------------------- layouts
def test_shapes_that_fit_both_layouts_need_the_argument():
    rng = np.random.default_rng(0)
    params = [rng.standard_normal((2, 2)), rng.standard_normal(2),
              rng.standard_normal((2, 2)), rng.standard_normal(2)]
    X, y = rng.uniform(size=(2, 2)), rng.uniform(size=(2, 2))

    def forward(params, X):
        return labnn.activations.sigmoid(labnn.activations.sigmoid(X @ params[0] + params[1])
                                         @ params[2] + params[3])

    def backward(params, X, y):
        return [np.zeros_like(p) for p in params]

    with pytest.raises(ValueError, match=r"^layout: .*fit both.*layout"):
        check_backprop(forward, backward, params, X, y)
    assert check_backprop(forward, backward, params, X, y, layout="rows").layout == "rows"
    with pytest.raises(ValueError, match=r"^layout: expected 'rows' or 'columns'"):
        check_backprop(forward, backward, params, X, y, layout="row")
    with pytest.raises(ValueError, match=r"^params: .*fit neither layout"):
        check_backprop(forward, backward, params[:2] + [params[2][:1]] + params[3:], X, y)


def test_the_layout_is_read_from_the_shapes_and_checked_against_the_argument():
    module = student("columns")
    X, y = xor("columns")
    params = module.init_params(0)
    assert C.detect_layout(params, X, y) == "columns"
    with pytest.raises(ValueError, match=r"^params: .*do not fit layout 'rows'"):
        check_backprop(module.forward, module.backward, params, X, y, layout="rows")
    assert C.layout_for(params, 2, 1) == "columns"
    assert C.layout_for(student("rows").init_params(0), 2, 1) == "rows"


# --------------------------------------------------------------------------- bad input
def _bad(**changes):
    module = student("rows")
    X, y = xor("rows")
    args = {"forward": module.forward, "backward": module.backward,
            "params": module.init_params(0), "X": X, "y": y} | changes
    return check_backprop(**args)


def _with_grads(change):
    module = student("rows")
    return lambda params, X, y: change(module.backward(params, X, y))


@pytest.mark.parametrize("changes, message", [
    ({"forward": lambda X: X}, r"^forward: expected a function forward\(params, X\), got one "
                               r"with the signature forward\(X\)"),
    ({"backward": None}, r"^backward: expected a function backward\(params, X, y\)"),
    ({"loss": lambda y_hat: 0.0}, r"^loss: expected a function loss\(y_hat, y\)"),
    ({"step": lambda params, X, y: params}, r"^step: expected a function step"),
    ({"backward": _with_grads(lambda g: g[:-1])},
     r"^backward: expected a list of 6 arrays shaped like params"),
    ({"backward": _with_grads(lambda g: dict(enumerate(g)))},
     r"^backward: expected a list of 6 arrays .* got dict"),
    ({"backward": _with_grads(lambda g: [g[0].T] + g[1:])},
     r"^backward: item 0 \(W1\): expected shape \(2, 4\), the shape of params\[0\], "
     r"got \(4, 2\)"),
    ({"backward": _with_grads(lambda g: g[:2] + [g[2] * np.nan] + g[3:])},
     r"^backward: item 2 \(W2\): contains NaN or inf"),
    ({"backward": _with_grads(lambda g: g[:1] + [g[1].tolist()] + g[2:])},
     r"^backward: item 1 \(b1\): expected a NumPy array of numbers, got a list of 4"),
    ({"params": "W1 b1"}, r"^params: expected a list \[W1, b1, W2, b2, \.\.\.\]"),
    ({"params": [np.ones((2, 4))] * 3}, r"^params: expected a list .* got a list of 3"),
    ({"params": [[[1.0] * 4] * 2, np.zeros(4)]},
     r"^params\[0\] \(W1\): expected a NumPy array, got list"),
    ({"params": [np.ones((2, 1), np.float32), np.zeros(1)]},
     r"^params\[0\] \(W1\): expected float64 values .* got dtype float32"),
    ({"params": [np.full((2, 1), np.nan), np.zeros(1)]},
     r"^params\[0\] \(W1\): expected finite values"),
    ({"params": [np.ones(2), np.zeros(1)]}, r"^params\[0\] \(W1\): expected a 2-D weight"),
    ({"params": [np.ones((2, 4)), np.zeros((2, 4))]},
     r"^params\[1\] \(b1\): expected a bias vector, row or column"),
    ({"X": np.full((21, 2), np.nan)}, r"^X: expected finite values"),
    ({"y": [0.0, 1.0]}, r"^y: expected a non-empty 2-D NumPy array"),
    ({"activations": ["sigmoid", "tanh"]}, r"^activations: expected 3 names"),
    ({"activations": ["tanh", "tanh", "tanh"]},
     r"^activations: labnn's network with tanh, tanh, tanh does not give your forward"),
    ({"activations": ["sigmoid", "swish", "sigmoid"]}, r"^activations: unknown name 'swish'"),
])
def test_bad_input_names_the_argument(changes, message):
    with pytest.raises(ValueError, match=message):
        _bad(**changes)


def test_functions_that_change_the_parameters_or_return_garbage_are_named():
    module = student("rows")

    def changing_forward(params, X):
        params[0] += 1.0
        return module.forward(params, X)

    def updating_backward(params, X, y):      # the update inside the backward pass
        grads = module.backward(params, X, y)
        for p, g in zip(params, grads):
            p -= 0.1 * g
        return grads

    with pytest.raises(ValueError, match=r"^forward: it changed params\[0\] \(W1\)"):
        _bad(forward=changing_forward)
    with pytest.raises(ValueError, match=r"^backward: it changed params\[0\] .*belongs in step"):
        _bad(backward=updating_backward)
    with pytest.raises(ValueError, match=r"^forward: expected y_hat of shape \(21, 1\)"):
        _bad(forward=lambda params, X: module.forward(params, X).ravel())
    with pytest.raises(ValueError, match=r"^forward: expected y_hat, a float NumPy array"):
        _bad(forward=lambda params, X: 0.5)
    with pytest.raises(ValueError, match=r"^forward: y_hat contains NaN"):
        _bad(forward=lambda params, X: module.forward(params, X) * np.nan)
    with pytest.raises(ValueError, match=r"^loss: expected a number, got a tuple of 2"):
        _bad(loss=lambda y_hat, y: labnn.losses.mse(y_hat, y))
    with pytest.raises(ValueError, match=r"^step: expected the new parameters, got None"):
        _bad(step=lambda params, X, y, lr: None)
    with pytest.raises(ValueError, match=r"^step: item 0 \(W1\): expected shape"):
        _bad(step=lambda params, X, y, lr: [p.T for p in params])
    with pytest.raises(ValueError, match=r"^lr: expected a positive finite number"):
        _bad(step=module.step, lr=0.0)


# --------------------------------------------------------------------------- the command
