"""The README's Python examples run and print what their comments say."""

import contextlib
import io
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_readme_example_runs_as_written(tmp_path, monkeypatch):
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 2
    block = "\n".join(blocks)
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    # the check-your-own example's forward, backward and params are the reader's: here the
    # correct student of notebooks/submissions (samples as rows, like the X, y before it)
    from labnn.lab.submissions import load
    student = load(ROOT / "notebooks" / "submissions" / "correct.py")
    with contextlib.redirect_stdout(out):
        namespace = {"forward": student.forward, "backward": student.backward,
                     "params": student.init_params(0)}
        exec(compile(block, "README.md", "exec"), namespace)
    printed = out.getvalue()
    for claim in re.findall(r"# (epoch \d+ loss : [\d.]+)", block):
        assert claim in printed
    for claim in re.findall(r"# \.\.\. (loss=[\d.]+ accuracy=[\d.]+%)", block):
        assert claim in printed
    assert (tmp_path / "xor.npz").exists()
    assert namespace["result"].verdict == "pass" and "verdict: pass" in printed
    # the conv example's comment: (400, 1, 12, 12) images, one-hot y (400, 4)
    assert namespace["X"].shape == (400, 1, 12, 12) and namespace["y"].shape == (400, 4)
    assert namespace["net"].num_params == 836
