"""Hygiene of the committed report notebooks (their outputs are re-validated by
``pytest --nbval``, see the Makefile): a notebook committed without outputs, out of order, with
widget state or with a trailing ``;`` would make strict nbval pass vacuously or fail for the
wrong reason, so each is a failure here."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REPORT = [
    "1_introduction", "2_implementation", "3_results", "4a_learning_rate", "4b_hidden_units",
    "4c_activation", "4d_output_patience_biases", "5_questions", "6_extras", "7_conclusion",
    "A_further_experiments", "B_original_report", "C_check_your_backprop", "D_rounding",
    "E_playground",
]
PRINT_TAGS = {"remove-input", "hide-input", "remove-cell"}
"""The printed report shows no code: every code cell carries one of these tags (the names
Jupyter Book and nbconvert use); the code that §2 shows is printed as an output."""


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_report_notebooks_exist_in_order():
    assert [p.stem for p in NOTEBOOKS] == REPORT


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
class TestHygiene:
    def test_valid_nbformat(self, path):
        nbformat.validate(nbformat.read(path, as_version=4))

    def test_every_code_cell_executed_in_order(self, path):
        nb = nbformat.read(path, as_version=4)
        counts = [c.execution_count for c in _code_cells(nb)]
        assert None not in counts, f"{path.name}: a code cell was never executed"
        assert counts == list(range(1, len(counts) + 1)), \
            f"{path.name}: execution counts {counts} are not 1..N in order"

    def test_no_widget_state(self, path):
        nb = nbformat.read(path, as_version=4)
        assert "widgets" not in nb.metadata, f"{path.name}: stored widget state"
        for cell in _code_cells(nb):
            for out in cell.outputs:
                assert "application/vnd.jupyter.widget-view+json" not in out.get("data", {}), \
                    f"{path.name}: stored widget model id"

    def test_no_trailing_semicolon(self, path):
        nb = nbformat.read(path, as_version=4)
        for cell in _code_cells(nb):
            lines = [ln for ln in cell.source.rstrip().splitlines() if ln.strip()]
            assert not (lines and lines[-1].rstrip().endswith(";")), \
                f"{path.name}: cell ends with ';' (does not suppress output under nbval)"

    def test_no_unexpected_errors_or_warnings(self, path):
        nb = nbformat.read(path, as_version=4)
        for cell in _code_cells(nb):
            expected = "raises-exception" in cell.metadata.get("tags", [])
            for out in cell.outputs:
                if out.output_type == "error":
                    assert expected, f"{path.name}: stored error {out.ename}: {out.evalue}"
                if out.output_type == "stream" and out.name == "stderr":
                    assert "Warning" not in out.text, f"{path.name}: stored warning {out.text}"

    def test_opens_with_title_and_has_code_outputs(self, path):
        nb = nbformat.read(path, as_version=4)
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
        code = _code_cells(nb)
        assert not code or any(c.outputs for c in code), f"{path.name}: no stored outputs"

    def test_no_code_in_the_printed_report(self, path):
        for cell in _code_cells(nbformat.read(path, as_version=4)):
            assert PRINT_TAGS & set(cell.metadata.get("tags", [])), \
                f"{path.name}: a code cell the printed report would show:\n{cell.source[:200]}"


@pytest.mark.parametrize("name", [n for n in REPORT if n != "7_conclusion"])
def test_report_notebook_ends_with_summary(name):
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    last = nb.cells[-1]
    assert last.cell_type == "markdown" and re.search(r"^## Summary", last.source, re.M)


def test_make_test_runs_strict_nbval_with_sanitize_file():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"--nbval(?!-lax)", makefile)
    assert "--nbval-sanitize-with tests/nbval_sanitize.cfg" in makefile
    assert (ROOT / "tests" / "nbval_sanitize.cfg").is_file()


# ----------------------------------------------------------------- what strict nbval compares
IGNORE_TAGS = {"nbval-ignore-output", "nbval-skip"}
ORDINARY_RESULTS = [
    "epoch 5000 loss : 0.16231",
    "Iter3 |  Ground truth: 1.0 |  prediction: 0.99943 |",
    "loss=0.03844 accuracy=100.00%",
    "    xor       1     100      94  88%-97%  99.71%  0.000901  1320  1087-1668  0.0029  0.0%",
    " linear    rmsprop  0.01      50  5.76e-10  1.9e-09  8.8e-07  (3.2e-12, 4.1e-08)",
    "median epochs 1204; solved 2 of 10; accuracy 52.38 %; ratio 17x; 1e-07",
    "seed 4: 90.5%   mean 98.1%  [0.001, 0.001]  gradient 1.2e-03",
]


def _text_cells(nb):
    """Code cells that print text (streams, text/plain or errors): what nbval can compare."""
    out = []
    for cell in _code_cells(nb):
        kinds = {o.output_type for o in cell.outputs}
        if "stream" in kinds or "error" in kinds or any(
                "text/plain" in o.get("data", {}) for o in cell.outputs):
            out.append(cell)
    return out


def _sanitize_rules():
    import configparser

    parser = configparser.ConfigParser()
    parser.read(ROOT / "tests" / "nbval_sanitize.cfg", encoding="utf-8")
    return {s: (re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()}


def test_at_least_85_percent_of_text_cells_are_compared():
    total = compared = 0
    for path in NOTEBOOKS:
        for cell in _text_cells(nbformat.read(path, as_version=4)):
            total += 1
            compared += not (IGNORE_TAGS & set(cell.metadata.get("tags", [])))
    assert total and compared / total >= 0.85, f"only {compared} of {total} text cells compared"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_uncompared_cell_says_why(path):
    for cell in _code_cells(nbformat.read(path, as_version=4)):
        if IGNORE_TAGS & set(cell.metadata.get("tags", [])):
            assert re.search(r"^# not compared: \S", cell.source, re.M), (
                f"{path.name}: a cell excluded from nbval without a '# not compared: <why>' "
                f"line:\n{cell.source}")


def test_sanitize_rules_leave_ordinary_results_alone():
    rules = _sanitize_rules()
    assert rules, "no sanitize rules found"
    for name, (pattern, _) in rules.items():
        for text in ORDINARY_RESULTS:
            assert not pattern.search(text), f"sanitize rule {name!r} would change {text!r}"


def test_the_rounding_rule_folds_only_marked_values():
    rules = _sanitize_rules()
    ((pattern, replace),) = [v for k, v in rules.items() if "~" in k]
    assert pattern.sub(replace, "  xor   1   ~94  ~88%-97%   99.71%") == "  xor   1~~   99.71%"
    assert pattern.sub(replace, "solved ~6, mixed: ~0)") == "solved~, mixed:~)"
    wide = pattern.sub(replace, "  xor  ~100  ~85%-100%  0.0%")
    assert wide == pattern.sub(replace, "  xor    ~94  ~8%-9%  0.0%")   # widths never matter


def test_every_line_of_code_that_section_2_quotes_is_in_the_library():
    """§2's table of back-propagation equations quotes the lines that compute them; each quote
    must stand, as written, in the source of the function it names."""
    import importlib
    import inspect

    nb = nbformat.read(ROOT / "notebooks" / "2_implementation.ipynb", as_version=4)
    table = next(c.source for c in nb.cells
                 if c.cell_type == "markdown" and "where `labnn` computes it" in c.source)
    quotes = re.findall(r"`([\w.]+)`: `([^`]+)`", table)
    assert len(quotes) >= 5, quotes
    for where, code in quotes:
        obj = importlib.import_module("labnn")
        for part in where.split("."):
            obj = getattr(obj, part)
        assert code in inspect.getsource(obj), f"§2 quotes {code!r} from {where}, not there"
