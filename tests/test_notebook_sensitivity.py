"""The stored report survives a rounding-sized perturbation.

Another CPU rounds the last bit of some sums differently, and training can amplify that. This
test does the perturbing itself, in the library rather than through environment variables: it
re-executes every report notebook with every initial weight moved by one unit in the last place
(``labnn.report.sensitivity.set_nudge(1)``, injected as a first cell that is then dropped) and
compares the text of every checked cell with the stored text, after the same sanitize rules that
strict nbval applies. A number that the nudge changes must be printed as rounding-dependent
(``~``) or at a precision it is stable to; otherwise this test fails, as the report would on
another machine.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.slow, pytest.mark.rounding]

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SKIP_TAGS = {"nbval-ignore-output", "nbval-skip"}
NUDGE = "import labnn.report.sensitivity\nlabnn.report.sensitivity.set_nudge(1)"


def sanitize_rules() -> list[tuple[re.Pattern, str]]:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "tests" / "nbval_sanitize.cfg", encoding="utf-8")
    return [(re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()]


def cell_text(cell, rules) -> str:
    """The text strict nbval compares (streams, text/plain, errors), sanitized."""
    parts, last_stream = [], None
    for out in cell.get("outputs", []):
        if out.output_type == "stream":   # chunks depend on flush timing: merge them
            parts.append(out.text if out.name == last_stream else f"[{out.name}] {out.text}")
            last_stream = out.name
            continue
        last_stream = None
        if out.output_type in ("execute_result", "display_data"):
            parts.append(out.get("data", {}).get("text/plain", ""))
        elif out.output_type == "error":
            parts.append(f"[error] {out.ename}: {out.evalue}")
    text = "".join(parts)
    for pattern, replace in rules:
        text = pattern.sub(replace, text)
    return text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_text_survives_a_one_ulp_nudge(path):
    stored = nbformat.read(path, as_version=4)
    run = nbformat.read(path, as_version=4)
    run.cells.insert(0, nbformat.v4.new_code_cell(NUDGE))
    client = NotebookClient(run, timeout=900, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    rules = sanitize_rules()
    differences = []
    for i, (old, new) in enumerate(zip(stored.cells, run.cells[1:], strict=True)):
        if old.cell_type != "code" or SKIP_TAGS & set(old.metadata.get("tags", [])):
            continue
        a, b = cell_text(old, rules), cell_text(new, rules)
        if a != b:
            differences.append(f"cell {i}:\n--- stored\n{a}\n--- nudged\n{b}")
    assert not differences, (f"{path.name}: a one-ulp nudge of the initial weights changes "
                             f"text that strict nbval compares:\n" + "\n".join(differences))
