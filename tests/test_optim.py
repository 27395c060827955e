"""labnn.optim: every optimizer's first steps against values worked out by hand and against
torch.optim (when installed), with default and other options; per-parameter state; bad
hyper-parameters refused."""

from __future__ import annotations

import math

import numpy as np
import pytest

from labnn import optim

# ---------------------------------------------------------------------------- optimizers
P0 = [1.0, -2.0]


GRADS = [[0.5, -1.0], [0.1, 0.2], [-0.3, 0.4]]


def reference(name, steps, lr):
    """The torch.optim update rules with default options, scalar by scalar."""
    out = []
    for k, p in enumerate(P0):
        state = {}
        for t, g_all in enumerate(GRADS[:steps], start=1):
            g = g_all[k]
            if name == "sgd":
                p = p - lr * g
            elif name == "momentum":
                buf = g if t == 1 else 0.9 * state["buf"] + g
                state["buf"] = buf
                p = p - lr * buf
            elif name == "adagrad":
                s = state.get("sum", 0.0) + g * g
                state["sum"] = s
                p = p - lr * g / (math.sqrt(s) + 1e-10)
            elif name == "rmsprop":
                v = 0.99 * state.get("v", 0.0) + 0.01 * g * g
                state["v"] = v
                p = p - lr * g / (math.sqrt(v) + 1e-8)
            elif name == "adam":
                m = 0.9 * state.get("m", 0.0) + 0.1 * g
                v = 0.999 * state.get("v", 0.0) + 0.001 * g * g
                state["m"], state["v"] = m, v
                p = p - (lr / (1 - 0.9**t)) * m / (math.sqrt(v) / math.sqrt(1 - 0.999**t) + 1e-8)
        out.append(p)
    return out


CLASSES = {"sgd": optim.SGD, "momentum": optim.Momentum, "adagrad": optim.Adagrad,
           "rmsprop": optim.RMSprop, "adam": optim.Adam}


@pytest.mark.parametrize("name", list(CLASSES))
@pytest.mark.parametrize("steps", [1, 3])
def test_optimizer_steps_match_hand_computed(name, steps):
    p = np.array(P0)
    opt = CLASSES[name](lr=0.1)
    for g in GRADS[:steps]:
        opt.step([p], [np.array(g)])
    np.testing.assert_allclose(p, reference(name, steps, 0.1), rtol=1e-13, atol=1e-15)


def test_first_steps_literal_values():
    """A few values worked out on paper (lr = 0.1, g = 0.5 from p = 1)."""
    def first(cls, **kw):
        p = np.array([1.0])
        cls(lr=0.1, **kw).step([p], [np.array([0.5])])
        return p[0]

    assert first(optim.SGD) == pytest.approx(0.95, abs=1e-15)
    assert first(optim.Momentum) == pytest.approx(0.95, abs=1e-15)        # buf = g at step 1
    assert first(optim.Adagrad) == pytest.approx(0.9, abs=1e-9)           # g / |g| = 1
    assert first(optim.RMSprop) == pytest.approx(1 - 0.1 * 0.5 / 0.05, abs=1e-6)  # = 0.0
    assert first(optim.Adam) == pytest.approx(0.9, abs=1e-7)              # lr * sign(g)


def test_momentum_second_step_by_hand():
    p = np.array([1.0])
    opt = optim.Momentum(lr=0.1)
    opt.step([p], [np.array([0.5])])      # buf 0.5, p 0.95
    opt.step([p], [np.array([0.1])])      # buf 0.9 * 0.5 + 0.1 = 0.55, p = 0.95 - 0.055
    assert p[0] == pytest.approx(0.895, abs=1e-15)


def test_torch_defaults_but_plain_sgds_lr():
    """Every default is torch's but plain SGD's learning rate: DEFAULT_LR (the lab's full-batch
    rate, one default wherever plain SGD is chosen; torch's 1e-3 suits mini-batches)."""
    assert optim.SGD().lr == optim.make("sgd").lr == optim.DEFAULT_LR == 1.0
    assert optim.Momentum().lr == 1e-3 and optim.Momentum().momentum == 0.9
    assert optim.Adagrad().lr == 1e-2 and optim.Adagrad().eps == 1e-10
    assert optim.RMSprop().lr == 1e-2 and optim.RMSprop().alpha == 0.99
    assert optim.Adam().lr == 1e-3 and optim.Adam().betas == (0.9, 0.999)


@pytest.mark.parametrize("name", list(CLASSES))
def test_against_torch_if_available(name):
    torch = pytest.importorskip("torch")
    kinds = {"sgd": (torch.optim.SGD, {}), "momentum": (torch.optim.SGD, {"momentum": 0.9}),
             "adagrad": (torch.optim.Adagrad, {}), "rmsprop": (torch.optim.RMSprop, {}),
             "adam": (torch.optim.Adam, {})}
    cls, kw = kinds[name]
    tp = torch.tensor(P0, dtype=torch.float64, requires_grad=True)
    topt = cls([tp], lr=0.1, **kw)
    p = np.array(P0)
    opt = CLASSES[name](lr=0.1)
    for g in GRADS:
        tp.grad = torch.tensor(g, dtype=torch.float64)
        topt.step()
        opt.step([p], [np.array(g)])
    np.testing.assert_allclose(p, tp.detach().numpy(), rtol=1e-12)


def test_optimizer_state_is_per_parameter_and_checked():
    opt = optim.Adam(lr=0.1)
    a, b = np.array([1.0]), np.array([1.0, 2.0])
    opt.step([a, b], [np.array([0.5]), np.array([0.5, 0.5])])
    assert opt.state[0]["step"] == 1 and opt.state[1]["exp_avg"].shape == (2,)
    with pytest.raises(ValueError, match="params: these are not the parameters"):
        opt.step([b, a], [np.array([0.5, 0.5]), np.array([0.5])])
    with pytest.raises(ValueError, match="grads: expected 2 arrays"):
        opt.step([a, b], [np.array([0.5])])
    with pytest.raises(ValueError, match="grads: item 0 has shape"):
        opt.step([a, b], [np.array([0.5, 1.0]), np.array([0.5, 0.5])])
    opt.reset()
    opt.step([b, a], [np.array([0.5, 0.5]), np.array([0.5])])


@pytest.mark.parametrize("bad", [0, -0.1, float("nan"), float("inf"), "0.1", None, True])
def test_optimizer_rejects_bad_lr(bad):
    with pytest.raises(ValueError, match="lr: expected a positive finite number"):
        optim.SGD(lr=bad)


def test_optimizer_rejects_bad_hyperparameters():
    with pytest.raises(ValueError, match="betas"):
        optim.Adam(betas=(0.9,))
    with pytest.raises(ValueError, match=r"betas\[1\]"):
        optim.Adam(betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="momentum"):
        optim.Momentum(momentum=0)
    with pytest.raises(ValueError, match="alpha"):
        optim.RMSprop(alpha=1.5)
    with pytest.raises(ValueError, match="optimizer: expected one of"):
        optim.make("lbfgs")
    opt = optim.SGD(lr=0.1)
    with pytest.raises(ValueError, match="lr"):
        opt.lr = -1


@pytest.mark.parametrize("make", [lambda eps: optim.Adam(eps=eps),
                                  lambda eps: optim.Adagrad(eps=eps),
                                  lambda eps: optim.RMSprop(eps=eps)])
def test_eps_must_be_positive(make):
    """eps = 0 divides 0 by 0 for a parameter whose gradient is 0 (a dead unit): NaN, and fit
    then blamed the learning rate."""
    for eps in (0, 0.0, -1e-8, np.float32(0)):
        with pytest.raises(ValueError, match=r"^eps: expected a number in \(0.0, inf\]"):
            make(eps)


@pytest.mark.parametrize("momentum", [0, 0.0, np.float32(0), np.int64(0), -0.5])
def test_momentum_zero_is_refused_whatever_its_type(momentum):
    with pytest.raises(ValueError, match=r"^momentum: expected a number in \(0.0, inf\]"):
        optim.Momentum(momentum=momentum)
    assert optim.Momentum(momentum=np.float32(0.5)).momentum == 0.5


def test_an_optimizer_state_belongs_to_the_arrays_it_was_made_for():
    """One optimizer shared by two networks of the same shapes mixed their moments: the state
    is bound to the very arrays, so another network's are refused until reset()."""
    opt = optim.Adam(lr=0.1)
    a, b = [np.ones(2)], [np.ones(2)]
    opt.step(a, [np.ones(2)])
    with pytest.raises(ValueError, match="^params: these are not the parameters this "
                                         "optimizer has state for"):
        opt.step(b, [np.ones(2)])
    opt.step(a, [np.ones(2)])
    assert opt.state[0]["step"] == 2
    opt.reset()
    opt.step(b, [np.ones(2)])


def test_step_checks_the_arrays_it_changes():
    readonly = np.ones(2)
    readonly.flags.writeable = False
    for params, grads, match in [
            ([readonly], [np.ones(2)], "^params: item 0 is read-only"),
            ([np.ones(2, dtype=int)], [np.ones(2)], "^params: item 0 is of dtype int64"),
            ([np.ones(2)], [np.ones(2, dtype=int)], "^grads: item 0 has dtype int64"),
            ([np.ones(2)], [np.ones(3)], r"^grads: item 0 has shape \(3,\)")]:
        with pytest.raises(ValueError, match=match):
            optim.SGD(lr=0.1).step(params, grads)
    wide = optim.SGD(lr=np.array([[0.1], [0.2], [0.3]]))
    with pytest.raises(ValueError, match=r"^lr: learning rates of shape \(3, 1\) do not fit"):
        wide.step([np.ones((2, 2))], [np.ones((2, 2))])


# ---------------------------------------------------------------------------- optimizer options
def reference_options(name, opts, lr=0.1):
    """torch.optim's update rules with non-default options, scalar by scalar, three steps."""
    out = []
    wd = opts.get("weight_decay", 0.0)
    for k, p in enumerate(P0):
        st = {}
        for t, g_all in enumerate(GRADS, start=1):
            g = g_all[k] + wd * p
            if name == "sgd":
                mu, damp, nesterov = opts.get("momentum", 0.0), opts.get("dampening", 0.0), \
                    opts.get("nesterov", False)
                buf = g if t == 1 else mu * st["buf"] + (1 - damp) * g
                st["buf"] = buf
                p = p - lr * ((g + mu * buf) if nesterov else buf)
            elif name == "adagrad":
                clr = lr / (1 + (t - 1) * opts.get("lr_decay", 0.0))
                s = st.get("sum", opts.get("initial_accumulator_value", 0.0)) + g * g
                st["sum"] = s
                p = p - clr * g / (math.sqrt(s) + 1e-10)
            elif name == "rmsprop":
                v = 0.99 * st.get("v", 0.0) + 0.01 * g * g
                ga = 0.99 * st.get("ga", 0.0) + 0.01 * g
                st["v"], st["ga"] = v, ga
                avg = math.sqrt(v - ga * ga if opts.get("centered") else v) + 1e-8
                mu = opts.get("momentum", 0.0)
                if mu:
                    buf = mu * st.get("buf", 0.0) + g / avg
                    st["buf"] = buf
                    p = p - lr * buf
                else:
                    p = p - lr * g / avg
            elif name == "adam":
                m = 0.9 * st.get("m", 0.0) + 0.1 * g
                v = 0.999 * st.get("v", 0.0) + 0.001 * g * g
                vmax = max(st.get("vmax", 0.0), v)
                st["m"], st["v"], st["vmax"] = m, v, vmax
                vv = vmax if opts.get("amsgrad") else v
                p = p - (lr / (1 - 0.9**t)) * m / (math.sqrt(vv) / math.sqrt(1 - 0.999**t) + 1e-8)
        out.append(p)
    return out


OPTION_CASES = [
    ("sgd", {"momentum": 0.5, "dampening": 0.3}),
    ("sgd", {"momentum": 0.9, "nesterov": True}),
    ("sgd", {"weight_decay": 0.1}),
    ("sgd", {"momentum": 0.9, "weight_decay": 0.01}),
    ("adagrad", {"lr_decay": 0.5, "initial_accumulator_value": 0.2}),
    ("adagrad", {"weight_decay": 0.1}),
    ("rmsprop", {"centered": True}),
    ("rmsprop", {"momentum": 0.7}),
    ("rmsprop", {"centered": True, "momentum": 0.7, "weight_decay": 0.05}),
    ("adam", {"amsgrad": True}),
    ("adam", {"weight_decay": 0.1}),
]


@pytest.mark.parametrize("name,opts", OPTION_CASES, ids=lambda v: str(v))
def test_optimizer_options_match_hand_computed(name, opts):
    p = np.array(P0)
    opt = CLASSES[name](lr=0.1, **opts)
    for g in GRADS:
        opt.step([p], [np.array(g)])
    np.testing.assert_allclose(p, reference_options(name, opts), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name,opts", OPTION_CASES, ids=lambda v: str(v))
def test_optimizer_options_against_torch_if_available(name, opts):
    torch = pytest.importorskip("torch")
    cls = {"sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad,
           "rmsprop": torch.optim.RMSprop, "adam": torch.optim.Adam}[name]
    tp = torch.tensor(P0, dtype=torch.float64, requires_grad=True)
    topt = cls([tp], lr=0.1, **opts)
    p = np.array(P0)
    opt = CLASSES[name](lr=0.1, **opts)
    for g in GRADS:
        tp.grad = torch.tensor(g, dtype=torch.float64)
        topt.step()
        opt.step([p], [np.array(g)])
    np.testing.assert_allclose(p, tp.detach().numpy(), rtol=1e-12)
