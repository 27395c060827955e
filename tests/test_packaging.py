"""The project's files agree with each other, and the library stays NumPy-only."""

import ast
import pathlib
import re
import subprocess
import sys
import tomllib

import pytest

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


@pytest.mark.slow
def test_library_imports_only_numpy_and_the_standard_library():
    # The explorer's view modules: the live widget (anywidget, its front end drawing what
    # labnn.explorer.frame packs with NumPy) and the static figures (matplotlib); and the
    # Jupyter server's setting for it (jupyter.py).
    view = {"anywidget", "matplotlib", "traitlets"}
    allowed_extra = {"plots.py": {"matplotlib"}, "widgets.py": view, "views.py": view,
                     "netview.py": view, "jupyter.py": {"jupyter_server"}}
    stdlib = sys.stdlib_module_names
    for path in sorted((ROOT / "labnn").rglob("*.py")):
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


LAYERS = {"": 0, "lab": 1, "check": 1, "report": 2, "explorer": 3}
"""The house: the core (labnn/*.py), then labnn/lab, labnn/report and labnn/explorer; each layer
imports only the layers before it (the package face, labnn/__init__.py, hands names on).
labnn/check.py, the command ``python -m labnn.check``, hands the lab layer's checker on and
counts as the lab layer: the core may not import it."""


def _layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.get(parts[1], 0) if len(parts) > 1 and parts[1] in LAYERS else 0


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _labnn_imports(source: str, package: str):
    """Every labnn module that ``source``, a module of ``package``, imports (relative imports
    resolved; ``from labnn import data`` counts as labnn.data)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.split(".")[0] == "labnn")
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = parts[:len(parts) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            if module.split(".")[0] == "labnn":
                yield from (f"{module}.{a.name}" if _is_module(f"{module}.{a.name}") else module
                            for a in node.names)


def _check_layers(source: str, module: str) -> list[str]:
    package = module.rsplit(".", 1)[0]
    return [m for m in _labnn_imports(source, package) if _layer(m) > _layer(module)]


def test_each_layer_of_the_house_imports_only_the_layers_before_it():
    face = ROOT / "labnn" / "__init__.py"
    files = [p for p in sorted((ROOT / "labnn").rglob("*.py")) if p != face]
    assert {p.parent.name for p in files} == {"labnn", "lab", "report", "explorer"}
    for path in files:
        parts = path.relative_to(ROOT).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if parts[-1] == "__init__":
            module += ".__init__"
        bad = _check_layers(path.read_text(), module)
        assert not bad, f"{path.relative_to(ROOT)} imports a layer above it: {bad}"


def test_the_layer_check_can_fail():
    assert _check_layers("from ..report import plots\n", "labnn.lab.original") == [
        "labnn.report.plots"]
    assert _check_layers("from labnn.explorer import widgets\n", "labnn.network") == [
        "labnn.explorer.widgets"]
    assert _check_layers("from . import losses\n", "labnn.network") == []
    assert _check_layers("from . import check\n", "labnn.network") == ["labnn.check"]
    assert _check_layers("from .lab.check import main\n", "labnn.check") == []


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


def test_every_subpackage_is_packaged():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for p in (ROOT / "labnn").rglob("__init__.py")}
    assert listed == found


def _import_graph() -> dict[str, set[str]]:
    """Every labnn module and the labnn modules it imports, wherever in the file (an import
    inside a function is an import too)."""
    graph = {}
    for path in sorted((ROOT / "labnn").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        package = name if parts[-1] == "__init__" else name.rsplit(".", 1)[0]
        graph[name] = set(_labnn_imports(path.read_text(), package)) - {name}
    return graph


def _reach(graph: dict, start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for m in graph.get(todo.pop(), ()):
            if m not in seen:
                seen.add(m)
                todo.append(m)
    return seen


def _circles(graph: dict) -> list[str]:
    """The modules that reach themselves through their imports (the package face, labnn, which
    hands every name on, left out)."""
    inner = {m: deps - {"labnn"} for m, deps in graph.items() if m != "labnn"}
    return sorted(m for m in inner if m in _reach(inner, m))


def test_no_module_imports_itself_round_a_circle():
    graph = _import_graph()
    assert {"labnn.network", "labnn.explorer.codegen", "labnn.explorer.playground"} <= set(graph)
    assert _circles(graph) == []


def _module_level_graph() -> dict[str, set[str]]:
    """As ``_import_graph``, with only the imports a module makes when it is imported."""
    graph = {}
    for path in sorted((ROOT / "labnn").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        package = name if parts[-1] == "__init__" else name.rsplit(".", 1)[0]
        tree = ast.parse(path.read_text())
        top = ast.Module(body=[n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))],
                         type_ignores=[])
        graph[name] = set(_labnn_imports(ast.unparse(top), package)) - {name}
    return graph


@pytest.mark.slow
def test_the_dense_path_stands_on_neither_conv_nor_saving():
    """The dense path imports neither the conv extra nor the file format; ``Network.save`` and
    ``Network.load`` (the API's names) import ``labnn.saving`` when they are called, and the
    file format takes the network's class from them, so there is no circle."""
    graph = _module_level_graph()
    for module in ("labnn.layers", "labnn.network", "labnn.stack", "labnn.lab"):
        assert not {"labnn.conv", "labnn.saving"} & (_reach(graph, module) | {module}), module
    full = _import_graph()
    assert full["labnn.network"] & {"labnn.conv", "labnn.saving"} == {"labnn.saving"}
    assert "labnn.network" not in _reach(full, "labnn.saving")


def test_the_explorers_view_imports_nothing_from_the_report():
    graph = _import_graph()
    for view in ("widgets", "controls", "views", "netview"):
        reached = _reach(graph, f"labnn.explorer.{view}")
        assert not {m for m in reached if m.startswith("labnn.report")}, view


def test_every_module_has_its_test_file():
    """tests/test_<module>.py for each module of labnn (a package's __init__ that defines
    something counts as the package: test_lab.py; labnn/_checks.py is test_checks.py)."""
    missing = []
    for path in sorted((ROOT / "labnn").rglob("*.py")):
        name = path.parent.name if path.name == "__init__.py" else path.stem
        if path.name == "__init__.py" and (path.parent.name in ("labnn", "report", "explorer")):
            continue                       # the package faces only hand names on
        if not (ROOT / "tests" / f"test_{name.lstrip('_')}.py").exists():
            missing.append(str(path.relative_to(ROOT)))
    assert not missing, f"modules without tests/test_<module>.py: {missing}"


def test_the_import_checks_can_fail():
    assert _circles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == ["a", "b"]
    assert _circles({"labnn": {"a"}, "a": {"labnn"}}) == []
    graph = {"labnn.network": {"labnn.layers"}, "labnn.layers": {"labnn.conv"}}
    assert "labnn.conv" in _reach(graph, "labnn.network")
    local = "def save(net):\n    from . import saving\n"
    assert list(_labnn_imports(local, "labnn")) == ["labnn.saving"]
