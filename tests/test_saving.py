"""labnn.saving, the network file: load checks a file before it trusts any of it (a tampered,
truncated, huge or hostile file is refused, cheaply), save keeps the old file's mode and
symlinks and never leaves half a file, and every layer type round-trips.

The files are made by saving a real network and changing its members (``_tampered``) or by
writing a zip member by member (``_zip``), so that each variant is a file load could meet."""

from __future__ import annotations

import io
import json
import os
import pathlib
import stat
import subprocess
import sys
import time
import tracemalloc
import warnings
import zipfile

import numpy as np
import pytest

import labnn
from labnn import Activation, Dense, Network, saving
from labnn.conv import Conv2D, Flatten, MaxPool2D
from labnn.data import generate_xor_easy

ROOT = pathlib.Path(__file__).resolve().parents[1]
MB = 1 << 20
HUGE = 5_000_000          # units a hostile file declares (tens of MB per parameter)


# ---------------------------------------------------------------------------- helpers
def _small_net(seed=0, dtype=np.float64):
    return Network(2, seed=seed, dtype=dtype).add_layer(4, "tanh").add_layer(1, "sigmoid")


def _conv_net(seed=4):
    net = Network((2, 9, 9), seed=seed, init="he")
    net.add(Conv2D(2, 3, (3, 2), stride=(2, 1), padding=(1, 0))).add(Activation("relu"))
    return net.add(MaxPool2D(2, stride=1)).add(Flatten()).add(Dense(3, "linear"))


NETS = {"lab": lambda: labnn.lab_network(seed=0), "small": _small_net, "conv": _conv_net,
        "lab32": lambda: labnn.lab_network(seed=0, dtype=np.float32)}


def _members(path) -> dict:
    with np.load(path, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def _tampered(tmp_path, change, net="lab"):
    """A file saved from NETS[net] with ``change(members)`` applied to its members."""
    NETS[net]().save(tmp_path / "good.npz")
    members = _members(tmp_path / "good.npz")
    change(members)
    np.savez(tmp_path / "tampered.npz", **members)
    return tmp_path / "tampered.npz"


def _set_config(members, i, **changes):
    config = json.loads(str(members[f"layer{i}_config"]))
    config.update(changes)
    members[f"layer{i}_config"] = np.array(json.dumps(config))


def _npy(array) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asarray(array), allow_pickle=False)
    return buf.getvalue()


def _npy_header(shape, descr="<f8") -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": descr, "fortran_order": False,
                                               "shape": shape})
    return buf.getvalue()


def _zeros(n_bytes):
    chunk = bytes(MB)
    for start in range(0, n_bytes, MB):
        yield chunk[:min(MB, n_bytes - start)]


def _raw_members(tmp_path, net="lab", change=None) -> list:
    """[(name, .npy bytes)] of a saved NETS[net] (after ``change(members)``), in file order."""
    NETS[net]().save(tmp_path / "good.npz")
    members = _members(tmp_path / "good.npz")
    if change is not None:
        change(members)
    return [(name, _npy(value)) for name, value in members.items()]


def _zip(path, members, deflated=()):
    """Write ``members`` [(name, bytes or an iterable of byte chunks)] as name.npy; the names in
    ``deflated`` are compressed. Duplicate names are written as given."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")           # zipfile warns about duplicate names
        with zipfile.ZipFile(path, "w") as zf:
            for name, data in members:
                info = zipfile.ZipInfo(name + ".npy")
                info.compress_type = zipfile.ZIP_DEFLATED if name in deflated else \
                    zipfile.ZIP_STORED
                with zf.open(info, "w", force_zip64=True) as fh:
                    for chunk in [data] if isinstance(data, bytes) else data:
                        fh.write(chunk)
    return path


def _replace(members, name, data):
    return [(n, data if n == name else d) for n, d in members]


def _refused_cheaply(path, max_mb=50, max_seconds=5.0):
    """load(path) raises ValueError, tracing less than ``max_mb`` MB and within ``max_seconds``."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(ValueError, match="^path: ") as err:
            labnn.Network.load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < max_mb * MB, f"load traced {peak / MB:.0f} MB before refusing"
    assert time.perf_counter() - start < max_seconds
    return str(err.value)


def _sparse(path, size, head=b""):
    with open(path, "wb") as fh:
        fh.write(head)
        fh.truncate(size)
    return path


def _same_params(a, b):
    return [p.tobytes() for p in a.params] == [p.tobytes() for p in b.params]


# ---------------------------------------------------------------------------- load
BOMB = 200 * MB


def _bomb_member():
    yield _npy_header((BOMB // 8,))
    yield from _zeros(BOMB)


def _bomb_variants():
    def unknown_member(tmp):
        members = _raw_members(tmp) + [("junk", _bomb_member())]
        return _zip(tmp / "f.npz", members, deflated={"junk"})

    def member_of_a_missing_layer(tmp):
        members = _raw_members(tmp) + [("layer3_param0", _bomb_member())]
        return _zip(tmp / "f.npz", members, deflated={"layer3_param0"})

    def bloated_config(tmp):
        bloat = [_npy_header((), descr=f"<U{BOMB // 4}"), *_zeros(BOMB)]
        members = _replace(_raw_members(tmp), "layer0_config", bloat)
        return _zip(tmp / "f.npz", members, deflated={"layer0_config"})

    def parameter_with_trailing_data(tmp):
        net = labnn.lab_network(seed=0)
        padded = [_npy(net.params[0]), *_zeros(BOMB)]
        members = _replace(_raw_members(tmp), "layer0_param0", padded)
        return _zip(tmp / "f.npz", members, deflated={"layer0_param0"})

    return {f.__name__: f for f in (unknown_member, member_of_a_missing_layer, bloated_config,
                                    parameter_with_trailing_data)}


def _huge_config_variants():
    def huge(i, **changes):
        return lambda tmp: _tampered(tmp, lambda m: _set_config(m, i, **changes), "small")

    def huge_input(tmp):
        return _tampered(tmp, lambda m: m.update(input_shape=np.array([HUGE])), "small")

    def headers_agree(tmp, *, with_data):
        shapes = {"layer0_param0": (2, HUGE), "layer0_param1": (HUGE,),
                  "layer1_param0": (HUGE, 1)}
        members = _raw_members(tmp, "small", lambda m: _set_config(m, 0, units=HUGE))
        for name, shape in shapes.items():
            data = [_npy_header(shape)]
            if with_data:
                data += list(_zeros(8 * int(np.prod(shape))))
            members = _replace(members, name, data)
        return _zip(tmp / "f.npz", members, deflated=set(shapes) if with_data else ())

    return {
        "units_of_the_first_layer": huge(0, units=HUGE),
        "units_of_the_last_layer": huge(1, units=HUGE),
        "input_shape": huge_input,
        "conv_out_channels": lambda tmp: _tampered(
            tmp, lambda m: _set_config(m, 0, out_channels=1_000_000), "conv"),
        "conv_kernel_and_padding": lambda tmp: _tampered(
            tmp, lambda m: _set_config(m, 0, kernel_size=[2000, 2000], padding=[1000, 1000]),
            "conv"),
        "headers_agree_but_hold_no_data": lambda tmp: headers_agree(tmp, with_data=False),
        "headers_agree_and_data_is_compressed": lambda tmp: headers_agree(tmp, with_data=True),
    }


def _drop(*names):
    def change(m):
        for name in names:
            del m[name]
    return change


def _no_layers(m):
    for name in [n for n in m if n.startswith("layer")]:
        del m[name]
    m["layer_types"] = np.array([], dtype="<U5")


LAYER_LIST_VARIANTS = {
    "layer_types_lists_3_members_for_2": (
        _drop("layer2_config", "layer2_param0", "layer2_param1"),
        r"missing members?: .*layer2_config"),
    "layer_types_lists_2_members_for_3": (
        lambda m: m.update(layer_types=m["layer_types"][:2]),
        r"unexpected members?: .*layer2_config"),
    "a_parameter_missing": (_drop("layer1_param1"), r"missing members?: layer1_param1"),
    "an_extra_parameter": (lambda m: m.update(layer0_param2=np.zeros(4)),
                           r"unexpected members?: layer0_param2"),
    "no_layers": (_no_layers, r"layer_types: expected at least one layer"),
}


def _config(i, **changes):
    return lambda m: _set_config(m, i, **changes)


def _set_raw_config(i, text):
    return lambda m: m.update({f"layer{i}_config": np.array(text)})


FIELD_VARIANTS = {   # id: (net, change, message)
    "input_shape_2.7": ("lab", lambda m: m.update(input_shape=np.array([2.7])), "input_shape"),
    "input_shape_2.0": ("lab", lambda m: m.update(input_shape=np.array([2.0])), "input_shape"),
    "input_shape_bool": ("lab", lambda m: m.update(input_shape=np.array([True])),
                         "input_shape"),
    "input_shape_empty": ("lab", lambda m: m.update(input_shape=np.array([], dtype=np.int64)),
                          "input_shape"),
    "input_shape_2d": ("lab", lambda m: m.update(input_shape=np.array([[2]])), "input_shape"),
    "input_shape_negative": ("lab", lambda m: m.update(input_shape=np.array([-2])),
                             "input_shape"),
    "input_shape_zero": ("lab", lambda m: m.update(input_shape=np.array([0])), "input_shape"),
    "format_float": ("lab", lambda m: m.update(format=m["format"].astype(float)), "format"),
    "units_float": ("lab", _config(0, units=4.0), r"layer 0 \(Dense\) config.*units"),
    "units_bool": ("lab", _config(2, units=True), r"layer 2 \(Dense\) config.*units"),
    "units_string": ("lab", _config(1, units="4"), r"layer 1 \(Dense\) config.*units"),
    "activation_int": ("lab", _config(0, activation=3), r"layer 0 \(Dense\) config"),
    "config_missing_a_field": ("lab", lambda m: m.update(
        layer0_config=np.array(json.dumps({"units": 4, "init": None}))),
        r"layer 0 \(Dense\) config"),
    "config_extra_field": ("lab", _config(0, bogus=1), r"layer 0 \(Dense\) config"),
    "config_a_list": ("lab", _set_raw_config(0, "[4]"), r"layer 0 \(Dense\) config"),
    "config_not_json": ("lab", _set_raw_config(0, "{units: 4"), r"layer0_config: .*JSON"),
    "conv_kernel_float": ("conv", _config(0, kernel_size=[3.0, 2]),
                          r"layer 0 \(Conv2D\) config.*kernel_size"),
    "conv_stride_bool": ("conv", _config(0, stride=[True, 1]),
                         r"layer 0 \(Conv2D\) config.*stride"),
    "conv_padding_negative": ("conv", _config(0, padding=[-1, 0]),
                              r"layer 0 \(Conv2D\) config.*padding"),
    "pool_size_float": ("conv", _config(2, pool_size=[2.0, 2]),
                        r"layer 2 \(MaxPool2D\) config.*pool_size"),
    "dtype_float16": ("lab", lambda m: m.update(dtype=np.array("float16")), "dtype"),
    "init_unknown": ("lab", lambda m: m.update(init=np.array("bogus")), "init"),
    "init_a_number": ("lab", lambda m: m.update(init=np.array(3)), "init"),
}


def _param(name, value):
    return lambda m: m.update({name: value})


DTYPE_VARIANTS = {   # id: (net, change, message)
    "float32_file_float64_values_1e39": (
        "lab32", _param("layer0_param0", np.full((2, 4), 1e39)), "stored as float64"),
    "float32_file_float64_values": (
        "lab32", _param("layer0_param0", np.full((2, 4), 0.5)), "stored as float64"),
    "float64_file_float32_values": (
        "lab", _param("layer1_param0", np.full((4, 4), 0.5, np.float32)), "stored as float32"),
    "float64_file_float16_values": (
        "lab", _param("layer0_param1", np.zeros(4, np.float16)), "stored as float16"),
    "integer_weights": ("lab", _param("layer0_param0", np.ones((2, 4), np.int64)),
                        r"layer 0 parameter 0 is stored as int64, expected float64"),
    "bool_weights": ("lab", _param("layer2_param0", np.ones((4, 1), bool)), "stored as bool"),
    "complex_weights": ("lab", _param("layer0_param0", np.ones((2, 4), complex)),
                        "stored as complex128"),
    "big_endian_weights": ("lab", _param("layer0_param0", np.ones((2, 4), ">f8")),
                           "stored as >f8"),
}


def _truncate(n):
    def cut(path):
        raw = path.read_bytes()
        path.write_bytes(raw[:n(len(raw))])
    return cut


def _flip_parameter_byte(path):
    raw = bytearray(path.read_bytes())
    at = raw.index(labnn.lab_network(seed=0).params[2].tobytes()) + 3
    raw[at] ^= 0xFF
    path.write_bytes(bytes(raw))


def _version_needed(version):
    """Set every central-directory entry's "version needed to extract" (zipfile refuses one
    above 6.3 with NotImplementedError, which load let escape)."""
    def change(path):
        raw = bytearray(path.read_bytes())
        at = raw.find(b"PK\x01\x02")
        while at >= 0:
            raw[at + 6:at + 8] = version.to_bytes(2, "little")
            at = raw.find(b"PK\x01\x02", at + 4)
        path.write_bytes(bytes(raw))
    return change


CORRUPT_VARIANTS = {
    "version_needed_9.9": (_version_needed(99), "truncated or corrupt.*zip file version 9.9"),
    "empty": (_truncate(lambda size: 0), r"is not a labnn \.npz file \(the file is empty\)"),
    "2_bytes": (_truncate(lambda size: 2), "truncated or corrupt"),
    "3_bytes": (_truncate(lambda size: 3), "truncated or corrupt"),
    "100_bytes": (_truncate(lambda size: 100), "truncated or corrupt"),
    "half": (_truncate(lambda size: size // 2), "truncated or corrupt"),
    "all_but_one_byte": (_truncate(lambda size: size - 1), "truncated or corrupt"),
    "a_flipped_parameter_byte": (_flip_parameter_byte, "truncated or corrupt"),
}


def _grown_after_drawing():
    net = Network(2, seed=5).add_layer(4, "relu")
    net.rng.random(7)
    return net.add_layer(1)


SEED_VARIANTS = {
    "seed_3": lambda: labnn.lab_network(seed=3),
    "seed_none": lambda: labnn.lab_network(seed=None),
    "rng_used_after_building": _grown_after_drawing,
    "conv_net": lambda: _conv_net(seed=4),
    "float32": lambda: labnn.lab_network(seed=7, dtype=np.float32),
    "huge_seed": lambda: Network(3, seed=2**100).add_layer(2),
}


def _pcg_state(**changes):
    state = np.random.PCG64(1).state
    for key, value in changes.items():
        if key in ("state", "inc"):
            state["state"][key] = value
        else:
            state[key] = value
    return json.dumps(state)


BAD_RNG_VARIANTS = {   # id: (member, JSON text, message)
    "seed_negative": ("seed", "-1", "seed"),
    "seed_float": ("seed", "1.5", "seed"),
    "seed_bool": ("seed", "true", "seed"),
    "seed_string": ("seed", '"3"', "seed"),
    "seed_not_json": ("seed", "three", "seed"),
    "state_a_list": ("rng_state", "[]", "rng_state"),
    "state_of_mt19937": ("rng_state", json.dumps(np.random.MT19937(1).state,
                                                  default=np.ndarray.tolist), "rng_state"),
    "state_float": ("rng_state", _pcg_state(state=1.5), "rng_state"),
    "state_negative": ("rng_state", _pcg_state(inc=-3), "rng_state"),
    "state_too_big": ("rng_state", _pcg_state(state=2**128), "rng_state"),
    "state_has_uint32_2": ("rng_state", _pcg_state(has_uint32=2), "rng_state"),
    "state_missing_a_key": ("rng_state", json.dumps({"bit_generator": "PCG64"}), "rng_state"),
    "state_extra_key": ("rng_state", _pcg_state(extra=1), "rng_state"),
}


def _load_in_child(path):
    """Run labnn.Network.load(path) in a child process with 4 GB of address space and 30 s."""
    code = ("import resource, sys\n"
            "resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))\n"
            "import labnn\n"
            "labnn.Network.load(sys.argv[1])\n")
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    try:
        done = subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"labnn.Network.load({str(path)!r}) hung")
    return done.stderr


class TestLoadingChecksTheFileBeforeTrustingIt:
    """load never takes a file at its word: it looks before it reads the whole file, checks
    sizes before it decompresses a member, checks every shape before it builds the network,
    and checks what the members hold before it copies them in."""

    @pytest.mark.parametrize("kind", ["dev_null", "directory", "link_to_dev_null"])
    def test_refuses_what_is_not_a_regular_file(self, tmp_path, kind):
        path = {"dev_null": "/dev/null", "directory": tmp_path,
                "link_to_dev_null": tmp_path / "link.npz"}[kind]
        if kind == "link_to_dev_null":
            os.symlink("/dev/null", path)
        with pytest.raises(ValueError, match=r"^path: .* is not a regular file"):
            labnn.Network.load(path)

    @pytest.mark.parametrize("kind", ["dev_zero", "fifo"])
    def test_never_reads_an_endless_or_blocking_file(self, tmp_path, kind):
        path = "/dev/zero"
        if kind == "fifo":
            path = tmp_path / "fifo.npz"
            os.mkfifo(path)
        stderr = _load_in_child(path)
        assert "ValueError: path: " in stderr and "is not a regular file" in stderr, stderr

    @pytest.mark.parametrize("bad", [3, None, "x\0.npz"],
                             ids=["an_int", "none", "a_nul_character"])
    def test_refuses_what_is_not_a_path(self, bad):
        with pytest.raises(ValueError, match="^path: "):
            labnn.Network.load(bad)

    @pytest.mark.parametrize("head, message", [
        (b"", "not a zip archive"), (b"PK\0\0", "not a zip archive"),
        (b"PK\x03\x04", "truncated or corrupt")], ids=["zeros", "pk_but_not_zip", "zip_start"])
    def test_reads_the_magic_bytes_first(self, tmp_path, head, message):
        path = _sparse(tmp_path / "big.npz", 200 * MB, head)
        assert message in _refused_cheaply(path, max_mb=10)

    def test_refuses_a_file_over_the_size_bound_unread(self, tmp_path):
        path = _sparse(tmp_path / "big.npz", (1 << 30) + 1, b"PK\x03\x04")
        assert "MAX_FILE_BYTES" in _refused_cheaply(path, max_mb=10)

    @pytest.mark.parametrize("over", [1, 0], ids=["one_byte_over", "at_the_bound"])
    def test_the_size_bound_is_max_file_bytes(self, tmp_path, monkeypatch, over):
        net = labnn.lab_network(seed=0)
        net.save(tmp_path / "m.npz")
        monkeypatch.setattr(saving, "MAX_FILE_BYTES", (tmp_path / "m.npz").stat().st_size - over)
        if over:
            with pytest.raises(ValueError, match=r"^path: .* larger than MAX_FILE_BYTES"):
                labnn.Network.load(tmp_path / "m.npz")
        else:
            assert _same_params(labnn.Network.load(tmp_path / "m.npz"), net)

    def test_save_refuses_a_file_load_would_refuse(self, tmp_path, monkeypatch):
        labnn.lab_network(seed=0).save(tmp_path / "m.npz")
        before = (tmp_path / "m.npz").read_bytes()
        monkeypatch.setattr(saving, "MAX_FILE_BYTES", 100)
        with pytest.raises(ValueError, match="MAX_FILE_BYTES"):
            labnn.lab_network(seed=1).save(tmp_path / "m.npz")
        assert (tmp_path / "m.npz").read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]

    @pytest.mark.slow        # each in a child process with a memory limit
    @pytest.mark.parametrize("variant", list(_bomb_variants()))
    def test_never_decompresses_what_it_does_not_need(self, tmp_path, variant):
        message = _refused_cheaply(_bomb_variants()[variant](tmp_path))
        if variant == "unknown_member":
            assert "unknown member" in message and "junk" in message

    @pytest.mark.slow        # each in a child process with a memory limit
    @pytest.mark.parametrize("variant", list(_huge_config_variants()))
    def test_checks_every_shape_before_allocating(self, tmp_path, variant):
        _refused_cheaply(_huge_config_variants()[variant](tmp_path))

    @pytest.mark.parametrize("variant", list(LAYER_LIST_VARIANTS))
    def test_the_layer_list_and_the_members_agree(self, tmp_path, variant):
        change, message = LAYER_LIST_VARIANTS[variant]
        with pytest.raises(ValueError, match=message):
            labnn.Network.load(_tampered(tmp_path, change))

    def test_a_duplicate_member_is_refused(self, tmp_path):
        members = _raw_members(tmp_path)
        members.append(("layer0_param0", _npy(np.zeros((2, 4)))))
        with pytest.raises(ValueError, match="duplicate members?: layer0_param0"):
            labnn.Network.load(_zip(tmp_path / "dup.npz", members))

    @pytest.mark.parametrize("variant", list(FIELD_VARIANTS))
    def test_every_field_is_checked_and_nothing_coerced(self, tmp_path, variant):
        net, change, message = FIELD_VARIANTS[variant]
        with pytest.raises(ValueError, match=f"^path: .*{message}"):
            labnn.Network.load(_tampered(tmp_path, change, net))

    @pytest.mark.parametrize("variant", list(DTYPE_VARIANTS))
    def test_parameters_have_the_files_dtype(self, tmp_path, variant):
        net, change, message = DTYPE_VARIANTS[variant]
        with pytest.raises(ValueError, match=f"^path: .*{message}"):
            labnn.Network.load(_tampered(tmp_path, change, net))

    @pytest.mark.parametrize("variant", list(CORRUPT_VARIANTS))
    def test_a_damaged_archive_is_called_damaged(self, tmp_path, variant):
        damage, message = CORRUPT_VARIANTS[variant]
        labnn.lab_network(seed=0).save(tmp_path / "m.npz")
        damage(tmp_path / "m.npz")
        with pytest.raises(ValueError, match=f"^path: .*{message}"):
            labnn.Network.load(tmp_path / "m.npz")

    @pytest.mark.parametrize("variant", list(SEED_VARIANTS))
    def test_the_seed_and_generator_state_survive(self, tmp_path, variant):
        a = SEED_VARIANTS[variant]()
        a.save(tmp_path / "m.npz")
        b = labnn.Network.load(tmp_path / "m.npz")
        assert b.seed == a.seed
        assert b.rng.bit_generator.state == a.rng.bit_generator.state
        a.add_layer(3)
        b.add_layer(3)
        assert _same_params(a, b)

    @pytest.mark.parametrize("variant", list(BAD_RNG_VARIANTS))
    def test_a_bad_seed_or_generator_state_is_refused(self, tmp_path, variant):
        member, text, message = BAD_RNG_VARIANTS[variant]
        path = _tampered(tmp_path, lambda m: m.update({member: np.array(text)}))
        with pytest.raises(ValueError, match=f"^path: .*{message}"):
            labnn.Network.load(path)


# ---------------------------------------------------------------------------- save
def _with_umask(mask, fn):
    old = os.umask(mask)
    try:
        return fn()
    finally:
        os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _link_variants():
    def same_folder(tmp):
        os.symlink("target.npz", tmp / "link.npz")
        return tmp / "link.npz", tmp / "target.npz"

    def other_folder(tmp):
        (tmp / "a").mkdir()
        (tmp / "b").mkdir()
        os.symlink(tmp / "b" / "target.npz", tmp / "a" / "link.npz")
        return tmp / "a" / "link.npz", tmp / "b" / "target.npz"

    def chain(tmp):
        os.symlink("middle.npz", tmp / "link.npz")
        os.symlink("target.npz", tmp / "middle.npz")
        return tmp / "link.npz", tmp / "target.npz"

    return {f.__name__: f for f in (same_folder, other_folder, chain)}


class TestSaveKeepsModesAndSymlinks:
    """save writes a new file with the mode the umask gives (an existing file keeps its mode),
    replaces the file a symlink points to (the link stays), and names a bad path in a
    ValueError, not a raw OSError or TypeError."""

    @pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664),
                                             (0o000, 0o666)], ids=oct)
    def test_a_new_file_gets_the_mode_the_umask_gives(self, tmp_path, umask, mode):
        _with_umask(umask, lambda: labnn.lab_network(seed=0).save(tmp_path / "m.npz"))
        assert _mode(tmp_path / "m.npz") == mode

    @pytest.mark.parametrize("mode", [0o644, 0o640, 0o664, 0o755, 0o604, 0o666], ids=oct)
    def test_an_existing_file_keeps_its_mode(self, tmp_path, mode):
        path = tmp_path / "m.npz"
        labnn.lab_network(seed=0).save(path)
        os.chmod(path, mode)
        _with_umask(0o022, lambda: labnn.lab_network(seed=1).save(path))
        assert _mode(path) == mode
        assert _same_params(labnn.Network.load(path), labnn.lab_network(seed=1))

    @pytest.mark.parametrize("variant", list(_link_variants()))
    @pytest.mark.parametrize("target_mode", [0o640, None], ids=["existing_0640", "dangling"])
    def test_a_symlink_is_written_through(self, tmp_path, variant, target_mode):
        link, target = _link_variants()[variant](tmp_path)
        if target_mode is not None:
            labnn.lab_network(seed=0).save(target)
            os.chmod(target, target_mode)
        names = sorted(str(p) for p in tmp_path.rglob("*"))
        new = labnn.lab_network(seed=1)
        _with_umask(0o022, lambda: new.save(link))
        assert os.path.islink(link) and os.path.realpath(link) == os.path.realpath(target)
        assert _same_params(labnn.Network.load(target), new)
        assert _mode(target) == (target_mode or 0o644)
        assert sorted(str(p) for p in tmp_path.rglob("*")) == sorted(set(names) | {str(target)})

    @pytest.mark.parametrize("kind, message", [
        ("a_directory", "is a directory"),
        ("a_link_to_a_directory", "is a directory"),
        ("a_missing_folder", "folder .* does not exist"),
        ("a_file_as_folder", "is not a folder"),
        ("a_fifo", "not a regular file"),
        ("an_int", "expected a file name"),
        ("none", "expected a file name"),
        ("a_nul_character", "NUL"),
    ])
    def test_a_bad_path_is_a_value_error_naming_path(self, tmp_path, kind, message):
        (tmp_path / "file.npz").write_bytes(b"x")
        os.mkdir(tmp_path / "folder")
        os.symlink(tmp_path / "folder", tmp_path / "link")
        os.mkfifo(tmp_path / "fifo.npz")
        path = {"a_directory": tmp_path / "folder", "a_link_to_a_directory": tmp_path / "link",
                "a_missing_folder": tmp_path / "missing" / "m.npz",
                "a_file_as_folder": tmp_path / "file.npz" / "m.npz",
                "a_fifo": tmp_path / "fifo.npz", "an_int": 3, "none": None,
                "a_nul_character": str(tmp_path / "m\0.npz")}[kind]
        with pytest.raises(ValueError, match=f"^path: .*{message}"):
            labnn.lab_network(seed=0).save(path)
        assert stat.S_ISFIFO(os.lstat(tmp_path / "fifo.npz").st_mode)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo.npz", "file.npz", "folder",
                                                              "link"]


# ---------------------------------------------------------------------------- guards
def test_a_strict_umask_gives_0600(tmp_path):
    _with_umask(0o077, lambda: labnn.lab_network(seed=0).save(tmp_path / "m.npz"))
    assert _mode(tmp_path / "m.npz") == 0o600


@pytest.mark.parametrize("through_link", [False, True])
def test_a_failed_save_leaves_the_old_file_its_mode_and_no_temp_file(tmp_path, monkeypatch,
                                                                     through_link):
    target = tmp_path / "m.npz"
    labnn.lab_network(seed=0).save(target)
    os.chmod(target, 0o640)
    path = target
    if through_link:
        path = tmp_path / "link.npz"
        os.symlink("m.npz", path)
    before = target.read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", boom)
    with pytest.raises(OSError, match="disk full"):
        labnn.lab_network(seed=1).save(path)
    assert target.read_bytes() == before and _mode(target) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({"m.npz", path.name})


def test_format_1_files_still_load(tmp_path):
    """Files written before the seed was stored: no seed members, format 1."""
    def as_format_1(m):
        m.pop("seed", None)
        m.pop("rng_state", None)
        m["format"] = np.array(1)
    path = _tampered(tmp_path, as_format_1)
    net = labnn.Network.load(path)
    assert net.seed is None and _same_params(net, labnn.lab_network(seed=0))


def test_every_layer_type_round_trips(tmp_path):
    net = _conv_net(seed=1)
    net.save(tmp_path / "c.npz")
    same = labnn.Network.load(tmp_path / "c.npz")
    assert [type(layer) for layer in same.layers] == [Conv2D, Activation, MaxPool2D, Flatten,
                                                      Dense]
    assert [layer.config() for layer in same.layers] == [layer.config() for layer in net.layers]
    assert _same_params(same, net)


# ---------------------------------------------------------------------------- save / load
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_save_load_round_trip(tmp_path, dtype):
    X, y = generate_xor_easy()
    net = labnn.Network(2, seed=0, dtype=dtype).add_layer(5, "tanh").add_layer(3, "leaky_relu")
    net.add_layer(1, "sigmoid")
    net.fit(X, y, epochs=50)
    path = tmp_path / "model.npz"
    net.save(path)
    same = labnn.Network.load(path)
    assert repr(same).splitlines()[1:] == repr(net).splitlines()[1:]
    assert same.dtype == dtype
    np.testing.assert_array_equal(same.predict(X), net.predict(X))
    assert [p.tobytes() for p in same.params] == [p.tobytes() for p in net.params]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]  # no temp file left


def test_load_rejects_junk_and_pickles(tmp_path):
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"this is not a zip file")
    with pytest.raises(ValueError, match="path: .* is not a labnn .npz file"):
        labnn.Network.load(junk)
    pickled = tmp_path / "pickled.npz"
    # under a known member name: a member of an unknown name is refused before it is read
    np.savez(pickled, format=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ValueError, match="object arrays"):
        labnn.Network.load(pickled)
    other = tmp_path / "other.npz"
    np.savez(other, a=np.zeros(3))
    with pytest.raises(ValueError, match="not a labnn network file"):
        labnn.Network.load(other)
    with pytest.raises(ValueError, match="path: cannot read"):
        labnn.Network.load(tmp_path / "missing.npz")


def test_load_rejects_tampered_shapes(tmp_path):
    net = labnn.lab_network(seed=0)
    path = tmp_path / "m.npz"
    net.save(path)
    with np.load(path) as data:
        arrays = dict(data)
    arrays["layer0_param0"] = np.zeros((3, 4))
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=r"layer 0 parameter 0 has shape \(3, 4\)"):
        labnn.Network.load(path)


def test_failed_save_leaves_old_file_intact(tmp_path, monkeypatch):
    net = labnn.lab_network(seed=0)
    path = tmp_path / "m.npz"
    net.save(path)
    original = path.read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", boom)
    with pytest.raises(OSError, match="disk full"):
        labnn.lab_network(seed=1).save(path)
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]


# ---------------------------------------------------------------------- networks
def test_conv_net_save_load_round_trip(tmp_path):
    net = Network((2, 9, 9), seed=4, init="he")
    net.add(Conv2D(2, 3, (3, 2), stride=(2, 1), padding=(1, 0))).add(Activation("relu"))
    net.add(MaxPool2D(2, stride=1)).add(Flatten()).add(Dense(3, "linear"))
    X = np.random.default_rng(12).normal(size=(4, 2, 9, 9))
    path = tmp_path / "conv.npz"
    net.save(path)
    loaded = labnn.Network.load(path)
    assert [layer.describe() for layer in loaded.layers] == [
        layer.describe() for layer in net.layers]
    assert loaded.layers[0].stride == (2, 1) and loaded.layers[0].padding == (1, 0)
    assert loaded.layers[2].stride == (1, 1)
    np.testing.assert_array_equal(loaded.forward(X), net.forward(X))
    for p, q in zip(loaded.params, net.params):
        np.testing.assert_array_equal(p, q)


# ---------------------------------------------------------------------------- save = load
class TestSaveWritesOnlyWhatLoadReads:
    """Whatever save accepts, load reads back as the same network, functions included; or
    save refuses it first, with a ValueError, leaving the old file as it was."""

    def test_a_file_never_loads_another_function_of_the_same_name(self, tmp_path):
        from labnn.lab.original import ORIGINAL_SIGMOID
        fake = labnn.activations.ActivationFunction("tanh", np.sin, lambda z, a: np.cos(z))
        _small_net().save(tmp_path / "m.npz")
        before = (tmp_path / "m.npz").read_bytes()
        for act, why in [(fake, "another function is registered under that name"),
                         (ORIGINAL_SIGMOID, "it is not registered")]:
            for net in (Network(2).add_layer(2, act), Network(2).add(Activation(act))):
                with pytest.raises(ValueError, match=f"^activation: .* cannot be named in a "
                                                     f"file: {why}"):
                    net.save(tmp_path / "m.npz")
        assert (tmp_path / "m.npz").read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]

    def test_an_activation_of_the_user_s_own_loads_as_itself_until_overwritten(self, tmp_path):
        acts = labnn.activations
        own = acts.register(acts.ActivationFunction("square_test", lambda z: z * z,
                                                    lambda z, a: 2 * z))
        try:
            net = Network(2, seed=0).add_layer(3, own).add(Activation(own)).add_layer(1)
            net.save(tmp_path / "own.npz")
            again = Network.load(tmp_path / "own.npz")
            assert [getattr(layer, "activation", None) for layer in again.layers[:2]] == [own] * 2
            assert _same_params(again, net)
            acts.register(acts.ActivationFunction("square_test", np.abs, lambda z, a: np.sign(z)),
                          overwrite=True)
            with pytest.raises(ValueError, match="^path: .* layer 0 \\(Dense\\) config: "
                                                 "activation: the function registered as "
                                                 "'square_test' computes other values"):
                Network.load(tmp_path / "own.npz")
        finally:
            acts.REGISTRY.pop("square_test", None)

    def test_metadata_over_load_s_limit_is_refused_by_save(self, tmp_path, monkeypatch):
        _small_net().save(tmp_path / "m.npz")
        before = (tmp_path / "m.npz").read_bytes()
        monkeypatch.setattr(saving, "_MAX_METADATA_BYTES", 200)     # the rng_state is larger
        with pytest.raises(ValueError, match="^network: its file would not load back "
                                             "\\(member rng_state is .* bytes, more than"):
            _small_net(seed=1).save(tmp_path / "m.npz")
        assert (tmp_path / "m.npz").read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]

    def test_a_layer_type_of_the_user_s_own_that_does_not_round_trip_is_refused_by_save(
            self, tmp_path):
        from labnn.layers import LAYER_TYPES, Layer, register_layer

        @register_layer
        class TupleConfigTest(Layer):              # JSON turns its tuple into a list
            def output_shape(self, input_shape):
                return input_shape

            def config(self):
                return {"pair": (1, 2)}

            @classmethod
            def from_config(cls, config):
                return cls()

        try:
            net = Network(2).add(TupleConfigTest()).add_layer(1)
            with pytest.raises(ValueError, match="^network: its file would not load back"):
                net.save(tmp_path / "m.npz")
            assert not list(tmp_path.iterdir())
        finally:
            LAYER_TYPES.pop("TupleConfigTest", None)

    def test_one_size_rule_for_a_network_and_its_file(self, tmp_path):
        """load refused input shapes only from 2**63 values, construction never: now both
        apply labnn._checks.MAX_ARRAY_BYTES, in the same words."""
        with pytest.raises(ValueError, match=r"^in_features: one sample of shape \(134217729,\)"):
            Network(2**27 + 1)
        path = _tampered(tmp_path, lambda m: m.update(input_shape=np.array([2**27 + 1])),
                         "small")
        with pytest.raises(ValueError, match=r"^path: .*input_shape: one sample of shape "
                                             r"\(134217729,\)"):
            Network.load(path)


def test_a_message_lists_a_few_names_and_counts_the_others(tmp_path):
    """300,000 unknown members made a message of 5.9 million characters."""
    members = _raw_members(tmp_path) + [(f"junk{i}", b"") for i in range(3000)]
    message = _refused_cheaply(_zip(tmp_path / "many.npz", members))
    assert "junk0.npy, junk1.npy, junk2.npy, junk3.npy, junk4.npy and 2995 more" in message
    assert len(message) < 400


def test_a_folder_where_no_file_can_be_made_names_the_path_not_the_temporary_file(
        tmp_path, monkeypatch):
    real_open = os.open

    def refuse(name, *args, **kwargs):
        if ".labnn-" in os.fspath(name):
            raise PermissionError(13, "Permission denied", name)
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(saving.os, "open", refuse)
    path = tmp_path / "m.npz"
    with pytest.raises(ValueError, match=f"^path: cannot write '{path}': Permission denied$"):
        _small_net().save(path)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("end_record", ["plain", "zip64, the plain one understating"])
def test_a_zip_directory_larger_than_a_labnn_file_needs_is_refused_unlisted(
        tmp_path, monkeypatch, end_record):
    """zipfile lists every member of the directory the archive announces, about 600 bytes
    each: 300,000 empty members (a 30 MB file) took 170 MB. The directory's size is read from
    every end record zipfile may use, before zipfile is asked to list anything."""
    if end_record != "plain":
        monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 1)     # zip64 end records
    path = _zip(tmp_path / "many.npz",
                _raw_members(tmp_path) + [(f"junk{i}", b"") for i in range(2000)])
    if end_record != "plain":
        raw = bytearray(path.read_bytes())
        raw[-22 + 12:-22 + 16] = (100).to_bytes(4, "little")     # the plain record lies
        path.write_bytes(bytes(raw))
    monkeypatch.setattr(saving, "_MAX_DIRECTORY_BYTES", 50_000)

    def never(*args, **kwargs):
        raise AssertionError("zipfile was asked to list the members")

    monkeypatch.setattr(zipfile, "ZipFile", never)
    message = _refused_cheaply(path)
    assert "its zip directory takes" in message and "more than the 50000" in message


def test_the_directory_of_a_real_network_file_is_far_below_the_bound(tmp_path):
    _conv_net().save(tmp_path / "m.npz")
    with zipfile.ZipFile(tmp_path / "m.npz") as zf:
        listed = sum(46 + len(info.filename) + len(info.extra) for info in zf.infolist())
    assert listed < saving._MAX_DIRECTORY_BYTES / 1000
