"""The network file, behind ``Network.save(path)`` and ``Network.load(path)``: ``save(net, path)``
and ``load(path, network_type)`` write and read a network as an .npz archive (a zip of
uncompressed .npy members, never a pickle). The dense path does not stand on this module: the
network's two methods call it when they are used, and it takes the network's class from them.

Members of format 2 (``SAVE_FORMAT``):
    format             the format's version, an integer
    input_shape        the per-sample input shape, integers
    dtype, init        text: float32 or float64, and the network's default init scheme
    layer_types        text: the class name of every layer (``labnn.layers.LAYER_TYPES``)
    seed, rng_state    JSON: the network's seed (null: fresh entropy) and the state of its
                       PCG64 generator, so a layer added after loading gets the same weights
                       as one added to the network that was saved
    layer{i}_config    JSON: ``layer.config()`` of layer i
    layer{i}_param{j}  parameter j of layer i, in the file's dtype
Format 1 (before the seed was stored) has no seed and rng_state; it loads with seed None.

``save`` writes a temporary file next to the target, checks it as ``load`` would (steps 2 to 4
below: whatever ``save`` accepts, ``load`` reads back, or ``save`` refuses it with a
ValueError) and renames it over the target, so a file is never half-written. A new file gets
the mode the umask gives, like any new file; an existing file keeps its mode; a symlink stays
a symlink and the file it points to is replaced.

``load`` trusts nothing in the file and reads no more than it has checked:
1. ``path`` is a regular file (a FIFO or /dev/zero is never opened) of at most
   ``MAX_FILE_BYTES``, begins like a zip archive, and its zip directory (the list of members
   that zipfile reads whole) takes at most ``_MAX_DIRECTORY_BYTES``;
2. every member name is a known one, none is repeated, and all members together unpack to at
   most the file's own size (a zip bomb is refused before anything is decompressed);
3. the small members are read and checked field by field (an integer field must hold
   integers; nothing is coerced), each layer is made from its config, and the shape of every
   parameter is computed from the configs, without allocating any;
4. the members are exactly those the layers need, and every parameter's .npy header has the
   file's dtype and the computed shape (still no parameter data read);
5. only then is the network built and each parameter read, one member at a time.
Every problem is a ValueError that starts with ``path:``.
"""

from __future__ import annotations

import collections
import contextlib
import json
import math
import os
import re
import secrets
import stat
import zipfile
import zlib

import numpy as np

from . import init as _init
from ._checks import check_dtype, check_seed, check_size, open_regular_file
from .layers import LAYER_TYPES, Layer, Sequential

SAVE_FORMAT = 2
"""The format ``save`` writes; ``load`` reads it and format 1."""

MAX_FILE_BYTES = 1 << 30
"""The largest file ``load`` reads and ``save`` writes: 1 GiB, about 130 million float64
parameters (the lab's networks take a few KB)."""

_MAX_METADATA_BYTES = 1 << 20          # one small member (a config, the layer list) at most
_MAX_DIRECTORY_BYTES = 4 << 20
"""The largest zip directory load lets zipfile list: zipfile keeps about 600 bytes for each
member it lists (a 30 MB file of 300,000 empty members took 170 MB), so a hostile file could
make it hold 6 times its size. 4 MiB lists 40,000 labnn members (13,000 Dense layers) or more."""
_ZIP_START = b"PK\x03\x04"             # the first bytes of every zip archive, so of an .npz
_END, _END64, _END64_LOCATOR = b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07"  # zip's end records
_MEMBER_NAME = re.compile(
    r"(format|input_shape|dtype|init|layer_types|seed|rng_state|layer[0-9]+_(config|param[0-9]+))"
    r"\.npy")
_HEADER_READERS = {(1, 0): np.lib.format.read_array_header_1_0,
                   (2, 0): np.lib.format.read_array_header_2_0}
_NETWORK_STATE = ("input_shape", "dtype", "init", "seed", "rng")
"""What a network holds besides its layers, and the file stores."""
_DAMAGED = (zipfile.BadZipFile, EOFError, zlib.error, OSError,   # what a broken zip raises
            NotImplementedError)       # a "version needed to extract" that zipfile refuses
_LISTED = 5
"""How many names a message lists (the others are counted)."""


# ---------------------------------------------------------------------------- save
def save(net, path) -> None:
    """Write ``net``'s architecture, parameters, seed and generator state to ``path``, never
    half-written."""
    if not (isinstance(net, Sequential) and all(hasattr(net, a) for a in _NETWORK_STATE)):
        raise ValueError(f"net: expected a labnn Network, got {type(net).__name__}")
    if not net.layers:
        raise ValueError("network: it has no layers yet; call add_layer first")
    if not all(np.isfinite(p).all() for p in net.params):
        raise ValueError("network: it has NaN or inf parameters (a diverged run?); "
                         "refusing to save them")
    path = _file_name(path)
    members = _members_of(net)
    target, mode = _save_target(path)
    _write_atomically(members, target, mode, path)


def _members_of(net) -> dict:
    """The arrays of ``net``'s file, by member name."""
    if not isinstance(net.rng.bit_generator, np.random.PCG64):
        raise ValueError(f"network: its rng must be the PCG64 generator Network makes, got "
                         f"{type(net.rng.bit_generator).__name__}")
    members = {
        "format": np.array(SAVE_FORMAT),
        "input_shape": np.array(net.input_shape, dtype=np.int64),
        "dtype": np.array(str(net.dtype)),
        "init": np.array(net.init),
        "layer_types": np.array([type(layer).__name__ for layer in net.layers]),
        "seed": np.array(json.dumps(net.seed)),
        "rng_state": np.array(json.dumps(net.rng.bit_generator.state)),
    }
    for i, layer in enumerate(net.layers):
        try:
            members[f"layer{i}_config"] = np.array(json.dumps(layer.config()))
        except TypeError as exc:                    # a layer type of the user's own
            raise ValueError(f"network: layer {i}'s config is not JSON ({exc})") from exc
        for j, p in enumerate(layer.params):
            members[f"layer{i}_param{j}"] = p
    size = sum(a.nbytes for a in members.values())
    if size > MAX_FILE_BYTES:
        raise ValueError(f"network: its file would take more than {size} bytes, more than "
                         f"MAX_FILE_BYTES ({MAX_FILE_BYTES}), which load refuses")
    return members


def _save_target(path: str) -> tuple[str, int | None]:
    """The file to replace: ``path``, or the file its symlinks lead to; and the mode to give
    the new file: the old file's, or None for a file that does not exist yet."""
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    if not os.path.exists(folder):
        raise ValueError(f"path: {path!r}: the folder {folder!r} does not exist")
    if not os.path.isdir(folder):
        raise ValueError(f"path: {path!r}: {folder!r} is not a folder")
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return target, None
    except OSError as exc:
        raise ValueError(f"path: cannot write {path!r}: {exc.strerror}") from exc
    if stat.S_ISDIR(st.st_mode):
        raise ValueError(f"path: {path!r} is a directory; expected a file name")
    if not stat.S_ISREG(st.st_mode):
        raise ValueError(f"path: {path!r} is not a regular file (a device or a FIFO?)")
    return target, stat.S_IMODE(st.st_mode)


def _write_atomically(members: dict, target: str, mode: int | None, path: str) -> None:
    """Write ``members`` to a new file next to ``target``, then rename it over ``target``: the
    target always holds either its old or its new contents, never a mix. A folder where no
    file can be made (read-only, say) is a ValueError naming ``path``; an error while writing
    (a full disk) is the OSError it is."""
    try:
        tmp, fd = _new_file(os.path.dirname(target), 0o666 if mode is None else mode)
    except OSError as exc:
        raise ValueError(f"path: cannot write {path!r}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            if mode is not None:
                os.chmod(tmp, mode)    # exactly the old mode (the umask may have narrowed it)
            np.savez(fh, **members)
            if fh.tell() > MAX_FILE_BYTES:
                raise ValueError(f"network: its file would take {fh.tell()} bytes, more than "
                                 f"MAX_FILE_BYTES ({MAX_FILE_BYTES}), which load refuses")
            fh.flush()
            os.fsync(fh.fileno())      # the data is on disk before the name points to it
        _check_loads(tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _check_loads(name: str) -> None:
    """The file ``name`` passes every check of ``load`` but the parameters' values (which
    ``save`` checked): a file ``save`` writes always loads."""
    with open(name, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        try:
            _check_directory(fh, size)
            with zipfile.ZipFile(fh) as zf:
                _plan(zf, size)
        except ValueError as exc:
            raise ValueError(f"network: its file would not load back ({exc})") from exc


def _new_file(folder: str, mode: int) -> tuple[str, int]:
    """A new empty file with a random name in ``folder``: (its name, a descriptor open for
    writing). The system takes the umask off ``mode``, as it does for every new file."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = os.path.join(folder, f".labnn-{secrets.token_hex(8)}.npz.tmp")
        try:
            return tmp, os.open(tmp, flags, mode)
        except FileExistsError:        # the random name is taken (odds 2**-64): draw again
            continue


def _file_name(path) -> str:
    """``path`` (a str, bytes or os.PathLike) as a str."""
    try:
        name = os.fsdecode(os.fspath(path))
    except TypeError:
        raise ValueError(f"path: expected a file name (str or os.PathLike), got "
                         f"{type(path).__name__}") from None
    if "\0" in name:
        raise ValueError(f"path: {name!r} contains a NUL character")
    return name


# ---------------------------------------------------------------------------- load
def load(path, network_type):
    """Read a network written by ``save``, as a ``network_type`` (``labnn.Network``)."""
    path = _file_name(path)
    with open_regular_file(path, MAX_FILE_BYTES, "MAX_FILE_BYTES") as fh:
        size = _check_start(fh, path)
        try:
            _check_directory(fh, size)
            with zipfile.ZipFile(fh) as zf:
                return _read_network(zf, size, network_type)
        except _DAMAGED as exc:
            raise ValueError(f"path: {path!r} is not a labnn .npz file (a truncated or "
                             f"corrupt zip archive: {exc})") from exc
        except ValueError as exc:
            raise ValueError(f"path: {path!r}: {exc}") from exc


def _check_start(fh, path: str) -> int:
    """The file's size, once its first bytes (the only ones read) show a zip archive."""
    start = fh.read(len(_ZIP_START))
    if start != _ZIP_START:
        why = ("the file is empty" if not start else
               "a truncated or corrupt zip archive" if _ZIP_START.startswith(start) else
               "not a zip archive")
        raise ValueError(f"path: {path!r} is not a labnn .npz file ({why})")
    fh.seek(0)
    return os.fstat(fh.fileno()).st_size


def _check_directory(fh, size: int) -> None:
    """The zip directory the archive announces takes at most ``_MAX_DIRECTORY_BYTES``: zipfile
    reads that many bytes and lists every member in them, whatever count the archive gives.
    Every place zipfile (of any version) may take the directory's size from is read, and the
    largest counts: the end record (the last 22 bytes, or the last one in the last 64 KiB)
    and the zip64 record before its locator or where the locator points."""
    tail_size = min(size, 22 + 0xFFFF)
    fh.seek(size - tail_size)
    tail = fh.read(tail_size)
    ends = {len(tail) - 22 if tail[-22:-18] == _END else -1, tail.rfind(_END)} - {-1}
    sizes = []
    for at in ends:
        if at + 22 <= len(tail):
            sizes.append(int.from_bytes(tail[at + 12:at + 16], "little"))
        locator = tail[at - 20:at] if at >= 20 else b""
        if locator[:4] == _END64_LOCATOR:
            for where in (size - tail_size + at - 20 - 56, int.from_bytes(locator[8:16],
                                                                          "little")):
                if 0 <= where <= size - 56:
                    fh.seek(where)
                    record = fh.read(56)
                    if record[:4] == _END64:
                        sizes.append(int.from_bytes(record[40:48], "little"))
    fh.seek(0)
    if sizes and max(sizes) > _MAX_DIRECTORY_BYTES:
        raise ValueError(f"its zip directory takes {max(sizes)} bytes, more than the "
                         f"{_MAX_DIRECTORY_BYTES} a labnn file needs")


def _read_network(zf: zipfile.ZipFile, size: int, network_type):
    """Steps 2 to 5 of the module docstring."""
    meta, layers = _plan(zf, size)
    return _build(zf, meta, layers, network_type)


def _plan(zf: zipfile.ZipFile, size: int) -> tuple[dict, list]:
    """Steps 2 to 4 of the module docstring: the file's metadata and its layers (without
    parameters), once every member is known to be what the network needs."""
    names = _check_names(zf, size)
    meta = _read_metadata(zf, names)
    layers, shapes = _plan_layers(zf, names, meta)
    _check_members(names, meta, shapes)
    for i, layer_shapes in enumerate(shapes):
        for j, shape in enumerate(layer_shapes):
            _check_parameter(zf, i, j, shape, meta["dtype"])
    return meta, layers


def _listing(names) -> str:
    """``names`` joined by commas, the first ``_LISTED`` of them and a count of the others."""
    names = list(names)
    more = f" and {len(names) - _LISTED} more" if len(names) > _LISTED else ""
    return ", ".join(str(n)[:80] for n in names[:_LISTED]) + more


def _check_names(zf: zipfile.ZipFile, size: int) -> set[str]:
    """The member names (without .npy), checked without reading a member: each a known name,
    none repeated, and all members unpacking to no more than the file's ``size``."""
    infos = zf.infolist()
    unknown = [info.filename for info in infos if not _MEMBER_NAME.fullmatch(info.filename)]
    if unknown:
        raise ValueError(f"not a labnn network file (unknown members: {_listing(unknown)})")
    names = [info.filename.removesuffix(".npy") for info in infos]
    repeated = [name for name, count in collections.Counter(names).items() if count > 1]
    if repeated:
        raise ValueError(f"duplicate members: {_listing(repeated)}")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > size:
        raise ValueError(f"its members would unpack to {unpacked} bytes, more than the file's "
                         f"own {size} (labnn stores them uncompressed; a zip bomb?)")
    return set(names)


def _read_metadata(zf, names: set[str]) -> dict:
    """The file's format, input shape, dtype, init scheme, layer types, seed and generator
    state, each of exactly the type it must have."""
    if "format" not in names:
        raise ValueError("not a labnn network file (it has no format member)")
    version = int(_small(zf, names, "format", "iu", 0))
    if version not in (1, SAVE_FORMAT):
        raise ValueError(f"format: unknown version {version}; this labnn reads 1 and "
                         f"{SAVE_FORMAT}")
    dtype = check_dtype(str(_small(zf, names, "dtype", "U", 0)))
    shape = _small(zf, names, "input_shape", "iu", 1).tolist()
    if not shape or min(shape) <= 0:
        raise ValueError(f"input_shape: expected a non-empty list of positive integers, got "
                         f"{_listing(shape)}")
    check_size(shape, dtype, "input_shape", "one sample")
    layer_types = _small(zf, names, "layer_types", "U", 1).tolist()
    if not layer_types:
        raise ValueError("layer_types: expected at least one layer, got none")
    for type_name in layer_types:
        if type_name not in LAYER_TYPES:
            raise ValueError(f"layer_types: unknown layer type {type_name[:80]!r}")
    seed, state = None, None
    if version >= 2:
        seed = check_seed(_json(zf, names, "seed"))
        state = _check_rng_state(_json(zf, names, "rng_state"))
    return {"version": version, "input_shape": tuple(shape), "dtype": dtype,
            "init": _init.check_scheme(str(_small(zf, names, "init", "U", 0))),
            "layer_types": layer_types, "seed": seed, "rng_state": state}


def _plan_layers(zf, names: set[str], meta: dict) -> tuple[list, list]:
    """The file's layers, made from their configs, and the shapes of their parameters, which
    the configs and the input shape decide: nothing the size of a parameter exists yet."""
    types = meta["layer_types"]
    missing = [f"layer{i}_config" for i in range(len(types)) if f"layer{i}_config" not in names]
    if missing:
        raise ValueError(f"missing members: {_listing(missing)} (layer_types lists "
                         f"{len(types)} layers)")
    layers, shapes, shape = [], [], meta["input_shape"]
    for i, type_name in enumerate(types):
        layer = _layer_from_config(zf, names, i, type_name)
        try:
            shapes.append(_param_shapes(layer, shape, meta))
            shape = tuple(layer.output_shape(shape))
        except ValueError as exc:
            raise ValueError(f"layer {i} ({type_name}): {exc}") from exc
        check_size(shape, meta["dtype"], f"layer {i} ({type_name}) output", "one sample")
        layers.append(layer)
    return layers, shapes


def _layer_from_config(zf, names: set[str], i: int, type_name: str) -> Layer:
    """Layer i, made from its config, which must be exactly what such a layer writes: a field
    left out is not filled with a default, and the layer's own checks refuse a bad value."""
    config = _json(zf, names, f"layer{i}_config")
    try:
        if not isinstance(config, dict):
            raise ValueError(f"expected a JSON object, got {config!r}")
        layer = LAYER_TYPES[type_name].from_config(config)
        if layer.config() != config:
            raise ValueError(f"{str(config)[:200]} is not what such a layer writes "
                             f"({str(layer.config())[:200]})")
    except (ValueError, TypeError) as exc:      # TypeError: a field the layer does not take
        raise ValueError(f"layer {i} ({type_name}) config: {exc}") from exc
    return layer


def _param_shapes(layer: Layer, in_shape: tuple, meta: dict) -> list[tuple]:
    """The shapes of the parameters ``layer`` makes for inputs of ``in_shape``."""
    if type(layer).build is Layer.build:        # the base class's build makes no parameters
        return []
    if hasattr(layer, "param_shapes"):          # known without making them (Dense, Conv2D)
        return layer.param_shapes(in_shape, meta["dtype"])
    # a layer type of the user's own: only building it tells the shapes of its parameters
    layer.build(in_shape, np.random.default_rng(0), meta["dtype"], meta["init"])
    return [p.shape for p in layer.params]


def _check_members(names: set[str], meta: dict, shapes: list) -> None:
    """The members are exactly those the layers need: none missing, none extra."""
    expected = {"format", "input_shape", "dtype", "init", "layer_types"}
    if meta["version"] >= 2:
        expected |= {"seed", "rng_state"}
    for i, layer_shapes in enumerate(shapes):
        expected.add(f"layer{i}_config")
        expected.update(f"layer{i}_param{j}" for j in range(len(layer_shapes)))
    for problem, found in (("missing", expected - names), ("unexpected", names - expected)):
        if found:
            raise ValueError(f"{problem} members: {_listing(sorted(found))} (layer_types "
                             f"lists {len(shapes)} layers)")


def _check_parameter(zf, i: int, j: int, shape: tuple, dtype: np.dtype) -> None:
    """Parameter j of layer i has the file's dtype and ``shape`` (its header says so)."""
    stored_shape, stored_dtype = _header(zf, f"layer{i}_param{j}")
    if stored_dtype != dtype:
        raise ValueError(f"layer {i} parameter {j} is stored as {stored_dtype}, expected "
                         f"{dtype} (the file's dtype)")
    if stored_shape != shape:
        raise ValueError(f"layer {i} parameter {j} has shape {stored_shape}, expected {shape}")


def _build(zf, meta: dict, layers: list, network_type):
    """The network the checked file describes, its parameters read one member at a time."""
    shape = meta["input_shape"]
    net = network_type(shape if len(shape) > 1 else shape[0], seed=meta["seed"],
                       dtype=meta["dtype"], init=meta["init"])
    for i, layer in enumerate(layers):
        net.add(layer)
        for j, p in enumerate(layer.params):
            stored = _read_data(zf, f"layer{i}_param{j}")
            if stored.shape != p.shape:              # only a layer type of the user's own
                raise ValueError(f"layer {i} parameter {j} has shape {stored.shape}, "
                                 f"expected {p.shape}")
            if not np.isfinite(stored).all():
                raise ValueError(f"layer {i} parameter {j} holds NaN or inf values")
            p[...] = stored
    if meta["rng_state"] is not None:               # after the layers drew their weights
        net.rng.bit_generator.state = meta["rng_state"]
    return net


# ---------------------------------------------------------------------------- members
def _open_member(zf, name: str):
    try:
        return zf.open(name + ".npy")
    except (NotImplementedError, RuntimeError) as exc:   # unknown compression, a password
        raise ValueError(f"member {name} cannot be read ({exc})") from exc


def _header(zf, name: str) -> tuple[tuple, np.dtype]:
    """(shape, dtype) from the .npy header of member ``name``, reading no data; the member
    must be exactly as large as that header and the data it announces."""
    with _open_member(zf, name) as stream:
        try:
            read = _HEADER_READERS.get(np.lib.format.read_magic(stream))
            if read is None:
                raise ValueError("an unsupported .npy version")
            shape, _, dtype = read(stream)
        except ValueError as exc:
            raise ValueError(f"member {name} has no valid .npy header ({exc})") from exc
        header_bytes = stream.tell()
    if dtype.hasobject:
        raise ValueError(f"member {name} holds object arrays (pickles), which labnn never "
                         f"loads")
    needed = header_bytes + math.prod(shape) * dtype.itemsize
    size = zf.getinfo(name + ".npy").file_size
    if size != needed:
        raise ValueError(f"member {name} is {size} bytes, but its header announces a {shape} "
                         f"{dtype} array, {needed} bytes with the header")
    return shape, dtype


def _read_data(zf, name: str) -> np.ndarray:
    with _open_member(zf, name) as stream:
        return np.lib.format.read_array(stream, allow_pickle=False)


_WHAT = {("iu", 0): "an integer", ("iu", 1): "a list of integers", ("U", 0): "a text",
         ("U", 1): "a list of texts"}


def _small(zf, names: set[str], name: str, kinds: str, ndim: int) -> np.ndarray:
    """Member ``name``, a small one (at most _MAX_METADATA_BYTES) of ``ndim`` dimensions
    holding integers (kinds "iu") or text ("U"), read once its header shows it is."""
    if name not in names:
        raise ValueError(f"missing member: {name}")
    size = zf.getinfo(name + ".npy").file_size
    if size > _MAX_METADATA_BYTES:
        raise ValueError(f"member {name} is {size} bytes, more than the "
                         f"{_MAX_METADATA_BYTES} a metadata member may take")
    shape, dtype = _header(zf, name)
    if dtype.kind not in kinds or len(shape) != ndim:
        raise ValueError(f"{name}: expected {_WHAT[kinds, ndim]}, got an array of {dtype}, "
                         f"shape {shape}")
    return _read_data(zf, name)


def _json(zf, names: set[str], name: str):
    """The value of text member ``name``, which holds JSON."""
    text = str(_small(zf, names, name, "U", 0))
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:      # malformed, or nested too deeply
        raise ValueError(f"{name}: not valid JSON ({exc})") from exc


def _check_rng_state(state):
    """``state`` as ``Generator.bit_generator.state`` gives it for PCG64: every number an int
    in its range (floats would be silently truncated by the generator)."""
    ok = (isinstance(state, dict)
          and state.keys() == {"bit_generator", "state", "has_uint32", "uinteger"}
          and state["bit_generator"] == "PCG64" and isinstance(state["state"], dict)
          and state["state"].keys() == {"state", "inc"}
          and all(_int_below(v, 2**128) for v in state["state"].values())
          and _int_below(state["has_uint32"], 2) and _int_below(state["uinteger"], 2**32))
    if not ok:
        raise ValueError(f"rng_state: expected a PCG64 state (two integers below 2**128, "
                         f"has_uint32 0 or 1, uinteger below 2**32), got {str(state)[:80]}")
    return state


def _int_below(value, end: int) -> bool:
    return type(value) is int and 0 <= value < end
