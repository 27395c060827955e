"""The README's API example runs and prints what its comments say."""

import contextlib
import io
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_readme_example_runs_as_written(tmp_path, monkeypatch):
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README.md", "exec"), {})
    printed = out.getvalue()
    for claim in re.findall(r"# (epoch \d+ loss : [\d.]+)", block):
        assert claim in printed
    for claim in re.findall(r"# \.\.\. (loss=[\d.]+ accuracy=[\d.]+%)", block):
        assert claim in printed
    assert (tmp_path / "xor.npz").exists()
