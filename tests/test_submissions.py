"""labnn.lab.submissions: ``python -m labnn.check`` on files and folders of submissions."""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from check_helpers import (  # noqa: E402
    NOTEBOOK_SUBMISSIONS,
    STUDENTS,
)

from labnn.lab import submissions as S

HANGS = """import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
open(__file__ + ".pid", "w").write(str(child.pid))
while True:
    time.sleep(0.05)
"""


def _alive(pid) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in \
        Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]



@pytest.mark.slow            # a subprocess per file
def test_the_command_prints_one_line_per_file_and_survives_bad_files(tmp_path, capsys):
    shutil.copy(STUDENTS / "student_columns.py", tmp_path / "a_right.py")
    source = (STUDENTS / "student_rows.py").read_text()
    (tmp_path / "b_sign.py").write_text(source.replace("MISTAKE = None", "MISTAKE = 'sign'"))
    (tmp_path / "c_hangs.py").write_text(HANGS)
    (tmp_path / "d_raises.py").write_text("import numpy as np\n\nx = 1 / 0\n")
    (tmp_path / "e_garbage.py").write_text(
        source.replace("    return [dW1, db1, dW2, db2, dW3, db3]", "    return [dW1]"))
    (tmp_path / "f_incomplete.py").write_text("def forward(params, X):\n    return X\n")
    (tmp_path / "g_unknown.py").write_text(
        source.replace("MISTAKE = None", "MISTAKE = 'wrong input'"))
    start = time.perf_counter()
    status = S.main([str(tmp_path), "--timeout", "3"])
    took = time.perf_counter() - start
    lines = capsys.readouterr().out.splitlines()
    names = [line.split()[0] for line in lines]
    assert names == [str(tmp_path / f) for f in ("a_right.py", "b_sign.py", "c_hangs.py",
                                                   "d_raises.py", "e_garbage.py",
                                                   "f_incomplete.py", "g_unknown.py")]
    width = max(len(name) for name in names)
    verdicts = [line[width + 2:] for line in lines]
    assert verdicts[0].startswith("pass  (worst relative error ~")
    assert verdicts[1] == "wrong sign  (worst relative error 1.0e+00)"
    assert verdicts[2] == "timed out after 3 s"
    assert verdicts[3] == "error at import: ZeroDivisionError: division by zero (line 3)"
    assert verdicts[4].startswith("error: backward: expected a list of 6 arrays")
    assert verdicts[5] == "error: init_params: f_incomplete.py defines no function init_params"
    assert re.fullmatch(r"wrong, no known pattern \(W2 (\d\.\de-0\d)\)  "
                        r"\(worst relative error \1\)", verdicts[6]), verdicts[6]
    assert status == 1 and took < 30
    pid = int((tmp_path / "c_hangs.py.pid").read_text())
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:     # killed with the file's process
        time.sleep(0.05)
    assert not _alive(pid)


@pytest.mark.slow            # python -m in a subprocess
def test_python_m_labnn_check_exits_0_when_every_file_passes(tmp_path):
    shutil.copy(STUDENTS / "student_rows.py", tmp_path / "right.py")
    out = subprocess.run([sys.executable, "-m", "labnn.check", str(tmp_path / "right.py"),
                          str(NOTEBOOK_SUBMISSIONS / "correct.py")], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert [line.split()[1] for line in out.stdout.splitlines()] == ["pass", "pass"]
    out = subprocess.run([sys.executable, "-m", "labnn.check",
                          str(NOTEBOOK_SUBMISSIONS / "original_report.py")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert "derivative evaluated at the activation (layers 1, 2, 3); W updated before " \
           "propagating through it" in out.stdout


def test_the_command_refuses_a_bad_timeout_and_an_empty_folder(tmp_path, capsys):
    for argv in ([str(tmp_path)], [str(tmp_path), "--timeout", "0"]):
        with pytest.raises(SystemExit) as exit_:
            S.main(argv)
        assert exit_.value.code == 2
    assert "no .py files" in capsys.readouterr().err
