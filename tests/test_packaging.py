"""The project's files agree with each other, and the library stays NumPy-only."""

import ast
import pathlib
import re
import subprocess
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _req(line):
    name, spec = re.match(r"([A-Za-z0-9_.\-]+)\s*(.*)", line.strip()).groups()
    return name.lower(), spec.replace(" ", "")


def test_requirements_agree_with_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = dict(_req(d) for d in project["dependencies"])
    for group in project["optional-dependencies"].values():
        for d in group:
            name, spec = _req(d)
            assert declared.setdefault(name, spec) == spec, name
    lines = [raw.split("#")[0].strip()
             for raw in (ROOT / "requirements.txt").read_text().splitlines()]
    listed = dict(_req(line) for line in lines if line)
    assert listed == declared


def test_environment_yml_uses_requirements():
    text = (ROOT / "environment.yml").read_text()
    assert "-r requirements.txt" in text and "python>=3.11" in text


def test_library_imports_only_numpy_and_the_standard_library():
    allowed_extra = {"plots.py": {"matplotlib"}, "widgets.py": {"ipywidgets", "matplotlib",
                                                               "IPython"}}
    stdlib = sys.stdlib_module_names
    for path in sorted((ROOT / "labnn").glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                ok = top in stdlib or top in ("numpy", "labnn") or \
                    top in allowed_extra.get(path.name, set())
                assert ok, f"{path.name} imports {name}"


def test_import_labnn_stays_light():
    code = ("import sys, labnn; bad = [m for m in ('matplotlib', 'ipywidgets', 'torch', "
            "'sklearn', 'IPython') if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make lab" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()
