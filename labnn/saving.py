"""The network file: an .npz archive (a zip of .npy members, never a pickle).

Members: ``format`` (the file format's version), ``input_shape``, ``dtype``, ``init``,
``layer_types`` and, per layer i, ``layer{i}_config`` (JSON) and ``layer{i}_param{j}``.
``save`` writes to a temporary name and moves it into place, so a file is never half-written.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile

import numpy as np

from .layers import LAYER_TYPES

SAVE_FORMAT = 1


def save(net, path) -> None:
    """Write ``net``'s architecture and parameters to ``path``."""
    net._require_layers()
    if not net._finite():
        raise ValueError("network: it has NaN or inf parameters (a diverged run?); "
                         "refusing to save them")
    arrays = {
        "format": np.array(SAVE_FORMAT),
        "input_shape": np.array(net.input_shape, dtype=np.int64),
        "dtype": np.array(str(net.dtype)),
        "init": np.array(net.init),
        "layer_types": np.array([type(layer).__name__ for layer in net.layers]),
    }
    for i, layer in enumerate(net.layers):
        arrays[f"layer{i}_config"] = np.array(json.dumps(layer.config()))
        for j, p in enumerate(layer.params):
            arrays[f"layer{i}_param{j}"] = p
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".labnn-", suffix=".npz.tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load(path, cls):
    """Read a network written by ``save`` as an instance of ``cls`` (``Network``)."""
    path = os.fspath(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise ValueError(f"path: cannot read {path!r}: {exc.strerror}") from exc
    if not raw.startswith(b"PK"):  # an .npz is a zip archive
        raise ValueError(f"path: {path!r} is not a labnn .npz file (not a zip archive)")
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except ValueError as exc:
        raise ValueError(f"path: {path!r} holds object arrays (pickles), which labnn "
                         f"never loads") from exc
    except (OSError, zipfile.BadZipFile, EOFError, KeyError) as exc:
        raise ValueError(f"path: {path!r} is not a labnn .npz file") from exc
    try:
        return _from_arrays(arrays, cls)
    except (KeyError, TypeError, json.JSONDecodeError) as exc:
        raise ValueError(f"path: {path!r} is not a labnn network file "
                         f"(missing or malformed {exc})") from exc


def _from_arrays(arrays, cls):
    if "format" not in arrays or int(arrays["format"]) != SAVE_FORMAT:
        raise ValueError("path: not a labnn network file (format marker missing or unknown)")
    shape = tuple(int(d) for d in arrays["input_shape"])
    net = cls(shape if len(shape) > 1 else shape[0], dtype=str(arrays["dtype"]),
              init=str(arrays["init"]))
    for i, type_name in enumerate(arrays["layer_types"]):
        type_name = str(type_name)
        if type_name not in LAYER_TYPES:
            raise ValueError(f"path: unknown layer type {type_name!r} in the file")
        config = json.loads(str(arrays[f"layer{i}_config"]))
        layer = LAYER_TYPES[type_name].from_config(config)
        net.add(layer)
        for j, p in enumerate(layer.params):
            stored = arrays[f"layer{i}_param{j}"]
            if stored.shape != p.shape or stored.dtype.kind != "f":
                raise ValueError(f"path: layer {i} parameter {j} has shape {stored.shape}, "
                                 f"expected {p.shape}")
            if not np.isfinite(stored).all():
                raise ValueError(f"path: layer {i} parameter {j} holds NaN or inf values")
            p[...] = stored
    return net
