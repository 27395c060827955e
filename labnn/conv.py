"""Convolutional layers with hand-written back-propagation: Conv2D, MaxPool2D, Flatten.

Layouts follow the common (PyTorch) convention, batch first:
input x (N, C, H, W), weights W (C_out, C_in, kH, kW), bias b (C_out,), output (N, C_out, Ho, Wo)
with Ho = (H + 2 pad_h - kH) // stride_h + 1 (likewise Wo). Like PyTorch, rows and columns that
do not fit a whole window at the bottom/right are dropped.

Everything is vectorised with NumPy stride tricks: ``sliding_window_view`` turns the padded input
into a (N, C, Ho, Wo, kH, kW) view without copying, one reshape makes it the im2col matrix
(C kH kW, N Ho Wo), and the convolution is one matrix product. Backward is two matrix products
(dW, dcols) and a col2im that adds the kH * kW kernel taps back into the padded input: a loop of
kH * kW strided array additions (9 for a 3x3 kernel), never a loop over samples or pixels. The
naive loop definitions live in tests/test_conv.py as the reference.

    net = Network((1, 12, 12), seed=0)
    net.add(Conv2D(1, 8, 3)).add(Activation("relu")).add(MaxPool2D(2)).add(Flatten())
    net.add(Dense(4, "linear"))
    net.fit(X, y, epochs=30, optimizer="adam", loss="softmax_ce", batch_size=32, seed=0)
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import init as _init
from ._checks import check_nonneg_int, check_positive_int, check_size
from .layers import Layer, register_layer


def _pair(value, name: str, *, allow_zero: bool = False) -> tuple[int, int]:
    """An int or a pair of ints -> (h, w); positive (or non-negative with allow_zero)."""
    check = check_nonneg_int if allow_zero else check_positive_int
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name}: expected an integer or a pair of integers, got {value!r}")
        return check(value[0], name), check(value[1], name)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{name}: expected a {kind} integer or a pair of them, got {value!r}")
    v = check(value, name)
    return v, v


def _check_input(x, layer: str, channels: int | None = None) -> None:
    """Cheap checks of a layer's input (shape only; Network checks values at its boundary)."""
    if not isinstance(x, np.ndarray) or x.ndim != 4:
        shape = getattr(x, "shape", None)
        raise ValueError(f"x: {layer} expects a 4-D array (N, C, H, W), got shape {shape}")
    if channels is not None and x.shape[1] != channels:
        raise ValueError(f"x: {layer} expects {channels} input channels (in_channels), got "
                         f"{x.shape[1]} in shape {x.shape}")


def _windows(xp: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int]) -> np.ndarray:
    """(N, C, Ho, Wo, kH, kW) view of all windows of the (padded) input, no copy."""
    view = sliding_window_view(xp, kernel, axis=(2, 3))
    return view[:, :, ::stride[0], ::stride[1]]


@register_layer
class Conv2D(Layer):
    """2-D convolution (cross-correlation, as in every deep-learning library).

    out[n, o, i, j] = b[o] + sum_{c, p, q} W[o, c, p, q] * xpad[n, c, i*sh + p, j*sw + q]

    Args:
        in_channels: C_in, channels of the input.
        out_channels: C_out, number of filters.
        kernel_size: k or (kH, kW).
        stride: s or (sh, sw), positive.
        padding: p or (ph, pw), zeros added on every side, non-negative.
        init: initialisation scheme (see ``labnn.init``); None uses the network's. Fans are
            fan_in = C_in kH kW and fan_out = C_out kH kW.

    Shapes: x (N, C_in, H, W) -> out (N, C_out, Ho, Wo); W (C_out, C_in, kH, kW), b (C_out,).
    forward computes W2 @ cols + b, where cols (C_in kH kW, N Ho Wo) is the im2col matrix (one
    column per output pixel; cached) and W2 = W as (C_out, C_in kH kW). backward(dout (N, C_out,
    Ho, Wo)) computes dW = dout2 @ cols.T, db = sum of dout over N, Ho, Wo, and dx by col2im of
    W2.T @ dout2 (dout2 = dout as (C_out, N Ho Wo)).
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 init: str | None = None):
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = _pair(stride, "stride")
        self.padding = _pair(padding, "padding", allow_zero=True)
        self.init = None if init is None else _init.check_scheme(init)
        self.input_shape: tuple | None = None
        self.params, self.grads = [], []
        self.cache = None

    # ------------------------------------------------------------------ shapes
    def _out_hw(self, h: int, w: int) -> tuple[int, int]:
        (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
        if kh > h + 2 * ph or kw > w + 2 * pw:
            raise ValueError(f"kernel_size: {self.kernel_size} is larger than the padded input "
                             f"({h + 2 * ph}, {w + 2 * pw}) (input ({h}, {w}), padding "
                             f"{self.padding})")
        return (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1

    def output_shape(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"input_shape: Conv2D expects per-sample (C, H, W) inputs, got "
                             f"{tuple(input_shape)}")
        c, h, w = input_shape
        if c != self.in_channels:
            raise ValueError(f"in_channels: the layer expects {self.in_channels} channels, the "
                             f"input has {c} (input_shape {tuple(input_shape)})")
        return (self.out_channels, *self._out_hw(h, w))

    def param_shapes(self, input_shape, dtype=np.float64) -> list[tuple]:
        """The shapes of W and b (what ``build`` makes; they do not depend on the input), once
        W is known to obey the size rule (``labnn._checks.MAX_ARRAY_BYTES``)."""
        W = check_size((self.out_channels, self.in_channels, *self.kernel_size), dtype,
                       "out_channels", "the filters W")
        return [W, (self.out_channels,)]

    def build(self, input_shape, rng, dtype, init):
        out = self.output_shape(input_shape)
        kh, kw = self.kernel_size
        self.input_shape = tuple(int(d) for d in input_shape)
        w_shape = self.param_shapes(input_shape, dtype)[0]
        W, b = _init.initialise(self.init or init, self.in_channels * kh * kw,
                                self.out_channels * kh * kw, rng, dtype,
                                w_shape=w_shape, b_shape=(self.out_channels,))
        self.W, self.b = W, b
        self.dW, self.db = np.zeros_like(W), np.zeros_like(b)
        self.params, self.grads = [self.W, self.b], [self.dW, self.db]
        return out

    # ------------------------------------------------------------------ passes
    def forward(self, x):
        """x (N, C_in, H, W) -> (N, C_out, Ho, Wo)."""
        if not self.params:
            raise ValueError("x: Conv2D has no parameters yet; add it to a Network (or call "
                             "build) before forward")
        _check_input(x, "Conv2D", self.in_channels)
        n, _, h, w = x.shape
        ho, wo = self._out_hw(h, w)
        ph, pw = self.padding
        xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw))) if ph or pw else x
        win = _windows(xp, self.kernel_size, self.stride)          # (N, C, Ho, Wo, kH, kW)
        # im2col, transposed: one column per output pixel (a copy, C kH kW x N Ho Wo)
        cols = win.transpose(1, 4, 5, 0, 2, 3).reshape(-1, n * ho * wo)
        out = self.W.reshape(self.out_channels, -1) @ cols         # (C_out, N Ho Wo)
        out += self.b[:, None]
        out = out.reshape(self.out_channels, n, ho, wo).transpose(1, 0, 2, 3)
        self.cache = (x.shape, xp.shape, cols)
        return out

    def backward(self, dout):
        """dout (N, C_out, Ho, Wo) -> dx (N, C_in, H, W); fills dW and db in place."""
        if self.cache is None:
            raise ValueError("dout: backward called before forward")
        x_shape, xp_shape, cols = self.cache
        n, c, h, w = x_shape
        ho, wo = self._out_hw(h, w)
        if dout.shape != (n, self.out_channels, ho, wo):
            raise ValueError(f"dout: expected shape {(n, self.out_channels, ho, wo)}, got "
                             f"{dout.shape}")
        d2 = dout.transpose(1, 0, 2, 3).reshape(self.out_channels, -1)   # (C_out, N Ho Wo)
        np.matmul(d2, cols.T, out=self.dW.reshape(self.out_channels, -1))
        np.sum(d2, axis=1, out=self.db)
        dcols = self.W.reshape(self.out_channels, -1).T @ d2             # (C kH kW, N Ho Wo)
        kh, kw = self.kernel_size
        sh, sw = self.stride
        dcols = dcols.reshape(c, kh, kw, n, ho, wo)
        _, _, hp, wp = xp_shape
        dxp = np.zeros((c, n, hp, wp), dtype=dcols.dtype)               # channel-major
        # col2im: every kernel tap (p, q) touched the input pixels xpad[.., i*sh + p, j*sw + q].
        for p in range(kh):
            for q in range(kw):
                dxp[:, :, p:p + sh * ho:sh, q:q + sw * wo:sw] += dcols[:, p, q]
        ph, pw = self.padding
        return dxp[:, :, ph:ph + h, pw:pw + w].transpose(1, 0, 2, 3)

    # ------------------------------------------------------------------ persistence
    def config(self):
        return {"in_channels": self.in_channels, "out_channels": self.out_channels,
                "kernel_size": list(self.kernel_size), "stride": list(self.stride),
                "padding": list(self.padding), "init": self.init}

    def describe(self):
        k = "x".join(map(str, self.kernel_size))
        extra = ""
        for word, (a, b), none in (("stride", self.stride, 1), ("pad", self.padding, 0)):
            if (a, b) != (none, none):
                extra += f", {word} {a if a == b else (a, b)}"
        return f"Conv2D({self.in_channels} -> {self.out_channels}, {k}{extra})"


@register_layer
class MaxPool2D(Layer):
    """Max pooling over pool_size windows moved by stride (default: stride = pool_size).

    Shapes: x (N, C, H, W) -> out (N, C, Ho, Wo), Ho = (H - pH) // sH + 1. backward routes each
    dout element to the input position that held the window's maximum (the first one on ties,
    as ``argmax`` does) with one scatter-add (``np.bincount``), so overlapping windows add up.
    No parameters. ``MaxPool2D(H)`` on an H x H map is global max pooling.
    """

    def __init__(self, pool_size=2, stride=None):
        self.pool_size = _pair(pool_size, "pool_size")
        self.stride = self.pool_size if stride is None else _pair(stride, "stride")
        self.params, self.grads = [], []
        self.cache = None

    def _out_hw(self, h: int, w: int) -> tuple[int, int]:
        (kh, kw), (sh, sw) = self.pool_size, self.stride
        if kh > h or kw > w:
            raise ValueError(f"pool_size: {self.pool_size} is larger than the input ({h}, {w})")
        return (h - kh) // sh + 1, (w - kw) // sw + 1

    def output_shape(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"input_shape: MaxPool2D expects per-sample (C, H, W) inputs, got "
                             f"{tuple(input_shape)}")
        c, h, w = input_shape
        return (c, *self._out_hw(h, w))

    def forward(self, x):
        """x (N, C, H, W) -> (N, C, Ho, Wo)."""
        _check_input(x, "MaxPool2D")
        n, c, h, w = x.shape
        ho, wo = self._out_hw(h, w)
        kh, kw = self.pool_size
        win = _windows(x, self.pool_size, self.stride).reshape(n, c, ho, wo, kh * kw)
        arg = win.argmax(axis=-1)                                   # (N, C, Ho, Wo)
        out = np.take_along_axis(win, arg[..., None], axis=-1)[..., 0]
        self.cache = (x.shape, x.dtype, arg)
        return out

    def backward(self, dout):
        """dout (N, C, Ho, Wo) -> dx (N, C, H, W)."""
        if self.cache is None:
            raise ValueError("dout: backward called before forward")
        x_shape, dtype, arg = self.cache
        if dout.shape != arg.shape:
            raise ValueError(f"dout: expected shape {arg.shape}, got {dout.shape}")
        n, c, h, w = x_shape
        _, _, ho, wo = arg.shape
        (_, kw), (sh, sw) = self.pool_size, self.stride
        # flat index into dx of every window's maximum, then one scatter-add (bincount adds up
        # the windows that overlap); no loop over samples, pixels or window offsets
        p, q = np.divmod(arg, kw)
        rows = p + sh * np.arange(ho)[:, None]
        cols = q + sw * np.arange(wo)
        plane = (np.arange(n)[:, None] * c + np.arange(c)) * (h * w)       # (N, C)
        idx = plane[:, :, None, None] + rows * w + cols
        dx = np.bincount(idx.ravel(), weights=dout.ravel(), minlength=n * c * h * w)
        return dx.reshape(x_shape).astype(np.result_type(dtype, dout.dtype), copy=False)

    def config(self):
        return {"pool_size": list(self.pool_size), "stride": list(self.stride)}

    def describe(self):
        k = "x".join(map(str, self.pool_size))
        s = "" if self.stride == self.pool_size else f", stride {self.stride}"
        return f"MaxPool2D({k}{s})"


@register_layer
class Flatten(Layer):
    """(N, d1, d2, ...) -> (N, d1 * d2 * ...), C-order (so (C, H, W) flattens channel by
    channel); backward reshapes dout back. No parameters."""

    def __init__(self):
        self.params, self.grads = [], []
        self.cache = None

    def output_shape(self, input_shape):
        return (math.prod(input_shape),)

    def forward(self, x):
        if not isinstance(x, np.ndarray) or x.ndim < 2:
            raise ValueError(f"x: Flatten expects an array (N, ...), got shape "
                             f"{getattr(x, 'shape', None)}")
        out = x.reshape(x.shape[0], -1)
        self.cache = x.shape
        return out

    def backward(self, dout):
        if self.cache is None:
            raise ValueError("dout: backward called before forward")
        shape = self.cache
        expected = (shape[0], math.prod(shape[1:]))
        if dout.shape != expected:
            raise ValueError(f"dout: expected shape {expected}, got {dout.shape}")
        return dout.reshape(shape)


__all__ = ["Conv2D", "MaxPool2D", "Flatten"]
