"""Results tables for the report: one object that a notebook shows as a real HTML table (in
JupyterLab, on GitHub and in the printed report) and whose plain text, column-aligned, is what
strict nbval compares.

Cells are strings, formatted once by ``labnn.report.experiments.format_value``; a value that
floating-point rounding can change starts with ``~`` (``experiments.APPROX``). Column widths of
the text form never depend on such values, and the HTML puts every cell on a line of its own, so
the notebooks' sanitize rule (which folds each ``~value`` up to the next space) folds exactly
that cell on any machine.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from .experiments import APPROX, RunConfig, format_value

HEADERS = {
    "dataset": "data set", "lr": "lr", "hidden_units": "hidden units",
    "hidden_layers": "hidden layers", "activation": "activation", "optimizer": "optimizer",
    "runs": "runs", "solved": "solved", "solved_ci": "95 % interval",
    "mean_acc": "mean accuracy", "min_acc": "lowest accuracy", "max_acc": "highest accuracy",
    "median_loss": "median final loss", "reached": "reached 100 %",
    "median_epochs": "epochs to 100 %", "epochs_iqr": "IQR", "loss_iqr": "loss IQR",
    "diverged": "diverged", "loss_ratio": "final / first loss", "rising": "epochs rising",
    "batch_size": "batch size", "epochs": "epochs", "loss": "loss", "bias": "biases",
    "init": "initialisation", "output": "output unit",
}
"""The report's column names for ``summarize`` fields and RunConfig fields."""

RESULTS = ("solved", "solved_ci", "mean_acc", "min_acc", "max_acc", "median_loss", "loss_iqr",
           "reached", "median_epochs", "epochs_iqr", "loss_ratio", "rising")
"""The ``summarize`` fields that a rounding-sensitive group marks with ``~``. Not ``diverged``:
a network with a sigmoid output cannot diverge (its MSE stays below 1, its cross-entropy
finite), and every sensitive group of the report has one; a divergence elsewhere is decided by
the rate, not by the last bit."""

MAX_COLUMNS = 8
"""A printed A4 page holds about this many columns of numbers without wrapping."""


class Table:
    """A table of string cells with one header row, and optionally a row of column groups
    above it (``groups``: (label, number of columns) pairs covering every column).

    ``_repr_html_`` gives the HTML table; ``repr`` the same table as aligned text. First
    column left-aligned (a row label), the others right-aligned (numbers)."""

    def __init__(self, header: Sequence[str], rows: Sequence[Sequence[str]],
                 groups: Sequence[tuple[str, int]] | None = None, caption: str | None = None):
        header = [str(h) for h in header]
        rows = [[str(v) for v in row] for row in rows]
        if not header:
            raise ValueError("header: expected at least one column name")
        if len(header) > MAX_COLUMNS:
            raise ValueError(f"header: expected at most {MAX_COLUMNS} columns (the width of a "
                             f"printed page), got {len(header)}")
        for i, row in enumerate(rows):
            if len(row) != len(header):
                raise ValueError(f"rows: row {i} has {len(row)} cells, expected "
                                 f"{len(header)} (one per column)")
        if groups is not None and sum(span for _, span in groups) != len(header):
            raise ValueError(f"groups: the spans add up to {sum(s for _, s in groups)}, "
                             f"expected {len(header)} (one per column)")
        self.header, self.rows, self.groups, self.caption = header, rows, groups, caption

    def _widths(self) -> list[int]:
        """Each column's width: its header and the cells that rounding cannot change."""
        return [max([len(self.header[i])] + [len(r[i]) for r in self.rows
                                              if not r[i].startswith(APPROX)])
                for i in range(len(self.header))]

    def __repr__(self) -> str:
        widths = self._widths()

        def line(cells):
            first, rest = cells[0].ljust(widths[0]), cells[1:]
            return "  ".join([first] + [v.rjust(w) for v, w in zip(rest, widths[1:])]).rstrip()

        lines = [self.caption] if self.caption else []
        if self.groups:
            spans, start = [], 0
            for label, span in self.groups:
                width = sum(widths[start:start + span]) + 2 * (span - 1)
                spans.append(label.center(width) if label else " " * width)
                start += span
            lines.append("  ".join(spans).rstrip())
        lines.append(line(self.header))
        lines += [line(row) for row in self.rows]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        out = ['<table class="labnn-table">']
        if self.caption:
            out.append(f"<caption>{html.escape(self.caption)}</caption>")
        out.append("<thead>")
        if self.groups:
            out.append("<tr>")
            out += [f'<th colspan="{span}">{html.escape(label)}</th>'
                    for label, span in self.groups]
            out.append("</tr>")
        out.append("<tr>")
        out += [f"<th>{html.escape(h)}</th>" for h in self.header]
        out += ["</tr>", "</thead>", "<tbody>"]
        for row in self.rows:
            out.append("<tr>")
            out += [f"<td>{html.escape(v)}</td>" for v in row]
            out.append("</tr>")
        out += ["</tbody>", "</table>"]
        return "\n".join(out)


def _mark(row: dict, keys: Sequence[str], approx) -> bool:
    return tuple(row[k] for k in keys) in approx


def summary_table(rows: list, columns: Sequence[str], approx=(), headers: dict | None = None,
                  caption: str | None = None) -> Table:
    """A Table of ``experiments.summarize`` rows: ``columns`` are summary fields, the rows'
    grouping fields, or other keys a caller added to the rows; ``approx`` lists the groups (a
    key value, or a tuple of key values) whose runs are sensitive to rounding: their measured
    results (``RESULTS``) get the ``~`` mark. ``headers`` renames columns (default:
    ``HEADERS``)."""
    if not rows:
        raise ValueError("rows: expected at least one row")
    keys = [k for k in rows[0] if k in RunConfig.__dataclass_fields__]
    approx = {a if isinstance(a, tuple) else (a,) for a in approx}
    names = {**HEADERS, **(headers or {})}
    body = [[(APPROX if _mark(row, keys, approx) and c in RESULTS else "")
             + format_value(c, row[c]) for c in columns] for row in rows]
    return Table([names.get(c, c) for c in columns], body, caption=caption)


def side_by_side(rows: list, by: str, columns: Sequence[str], approx=(),
                 datasets: Sequence[str] = ("xor", "linear"), headers: dict | None = None,
                 caption: str | None = None) -> Table:
    """The report's main table shape: one row per value of ``by`` (a learning rate, a width,
    an activation ...), and for each data set the same ``columns`` side by side under a group
    header ("XOR (100 seeds)"). ``rows`` are ``summarize`` rows grouped by ("dataset", by);
    ``approx`` lists the sensitive (dataset, value) groups."""
    approx = {a if isinstance(a, tuple) else (a,) for a in approx}
    names = {**HEADERS, **(headers or {})}
    index = {(r["dataset"], r[by]): r for r in rows}
    values = list(dict.fromkeys(r[by] for r in rows))
    body = []
    for value in values:
        line = [format_value(by, value)]
        for ds in datasets:
            row = index.get((ds, value))
            if row is None:
                raise ValueError(f"rows: no row for dataset {ds!r} and {by} {value!r}")
            mark = APPROX if (ds, value) in approx else ""
            line += [mark + format_value(c, row[c]) for c in columns]
        body.append(line)
    runs = {ds: {index[ds, v]["runs"] for v in values} for ds in datasets}
    groups = [("", 1)] + [
        (f"{'XOR' if ds == 'xor' else ds} ({'/'.join(str(n) for n in sorted(runs[ds]))} runs)",
         len(columns)) for ds in datasets]
    return Table([names.get(by, by)] + [names.get(c, c) for c in columns] * len(datasets),
                 body, groups=groups, caption=caption)
