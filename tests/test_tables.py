"""labnn.report.tables: results tables that are HTML in the report and aligned text for nbval."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest

from labnn.report import experiments as E
from labnn.report.tables import MAX_COLUMNS, Table, side_by_side, summary_table

ROOT = Path(__file__).resolve().parent.parent


def _rounding_rule():
    parser = configparser.ConfigParser()
    parser.read(ROOT / "tests" / "nbval_sanitize.cfg", encoding="utf-8")
    (section,) = [s for s in parser.sections() if "~" in s]
    return re.compile(parser[section]["regex"]), parser[section]["replace"]


def _rows():
    return [dict(dataset="xor", lr=1.0, runs=100, solved=94, solved_ci=(0.88, 0.97),
                 mean_acc=0.9971, median_epochs=1320.0, epochs_iqr=(1087.0, 1668.0)),
            dict(dataset="xor", lr=0.1, runs=100, solved=0, solved_ci=(0.0, 0.04),
                 mean_acc=0.6486, median_epochs=None, epochs_iqr=None),
            dict(dataset="linear", lr=1.0, runs=50, solved=47, solved_ci=(0.84, 0.98),
                 mean_acc=0.9994, median_epochs=492.0, epochs_iqr=(250.0, 921.0)),
            dict(dataset="linear", lr=0.1, runs=50, solved=22, solved_ci=(0.31, 0.58),
                 mean_acc=0.9904, median_epochs=2495.0, epochs_iqr=(1833.0, 3723.0))]


def test_text_and_html_hold_the_same_cells():
    table = Table(["lr", "solved"], [["1", "94"], ["0.1", "0"]], caption="XOR")
    text = repr(table)
    assert text.splitlines() == ["XOR", "lr   solved", "1        94", "0.1       0"]
    html = table._repr_html_()
    assert html.startswith('<table class="labnn-table">') and "<caption>XOR</caption>" in html
    assert re.findall(r"<td>([^<]*)</td>", html) == ["1", "94", "0.1", "0"]
    assert "&lt;b&gt;" in Table(["<b>"], [["x"]])._repr_html_()      # cells are escaped


def test_a_rounding_mark_never_moves_the_other_columns_and_folds_cell_by_cell():
    plain = summary_table(_rows(), ["dataset", "lr", "solved", "mean_acc", "median_epochs"])
    marked = summary_table(_rows(), ["dataset", "lr", "solved", "mean_acc", "median_epochs"],
                           approx=[("xor", 1.0)])
    assert repr(marked).splitlines()[1].startswith("xor")
    assert "~94" in repr(marked) and "~99.71%" in repr(marked) and "~1320" in repr(marked)
    for a, b in zip(repr(plain).splitlines(), repr(marked).splitlines()):
        if "~" not in b:
            assert a == b                                  # widths ignore the marked cells
    pattern, replace = _rounding_rule()
    html = marked._repr_html_()
    folded = pattern.sub(replace, html)
    assert folded.count("<td>~") == 3 and "<td>xor</td>" in folded and "<td>0</td>" in folded
    other = summary_table([dict(r, solved=93, mean_acc=0.9952) if r["lr"] == 1.0 and
                           r["dataset"] == "xor" else r for r in _rows()],
                          ["dataset", "lr", "solved", "mean_acc", "median_epochs"],
                          approx=[("xor", 1.0)])
    assert pattern.sub(replace, other._repr_html_()) == folded       # another CPU, same text
    assert pattern.sub(replace, repr(other)) == pattern.sub(replace, repr(marked))


def test_only_measured_results_are_marked():
    rows = [dict(r, updates="5,000", diverged=0) for r in _rows()]
    table = summary_table(rows, ["dataset", "lr", "updates", "runs", "solved", "diverged"],
                          approx=[("xor", 1.0)], headers={"updates": "updates"})
    first = repr(table).splitlines()[1].split()
    assert first == ["xor", "1", "5,000", "100", "~94", "0"]


def test_side_by_side_puts_each_data_set_under_its_header():
    table = side_by_side(_rows(), "lr", ["solved", "median_epochs"], approx=[("xor", 1.0)])
    lines = repr(table).splitlines()
    assert "XOR (100 runs)" in lines[0] and "linear (50 runs)" in lines[0]
    assert lines[1].split() == ["lr", "solved", "epochs", "to", "100", "%", "solved", "epochs",
                                "to", "100", "%"]
    assert lines[2].split() == ["1", "~94", "~1320", "47", "492"]
    assert lines[3].split() == ["0.1", "0", "never", "22", "2495"]
    assert '<th colspan="2">XOR (100 runs)</th>' in table._repr_html_()


def test_bad_tables_name_the_argument():
    with pytest.raises(ValueError, match="header: expected at most"):
        Table([str(k) for k in range(MAX_COLUMNS + 1)], [])
    with pytest.raises(ValueError, match="rows: row 0 has 1 cells, expected 2"):
        Table(["a", "b"], [["x"]])
    with pytest.raises(ValueError, match="groups: the spans add up to 1, expected 2"):
        Table(["a", "b"], [], groups=[("g", 1)])
    with pytest.raises(ValueError, match="rows: expected at least one row"):
        summary_table([], ["runs"])
    with pytest.raises(ValueError, match="rows: no row for dataset 'linear'"):
        side_by_side(_rows()[:2], "lr", ["solved"])


def test_a_real_summary_renders():
    results = E.seed_study(seeds={"xor": range(2), "linear": range(2)}, epochs=50)
    rows = E.summarize(results, by="dataset")
    text = repr(summary_table(rows, ["dataset", "runs", "solved", "mean_acc", "median_epochs"]))
    assert text.splitlines()[0].split()[:3] == ["data", "set", "runs"]
    assert len(text.splitlines()) == 3
