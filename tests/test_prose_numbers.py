"""Every number that a notebook's prose states is backed: it appears in an output cell of the
same notebook, or in a code cell's source (an input such as ``lr=0.1``, or a value a cell
asserts), or in an output of a section that the same Markdown cell cites ("§4.A",
"Appendix B"): §5, §7 and the abstract quote the sections they summarise, and the section
they cite must print the number. So prose can no longer say "20 to 37 %" where the table says
33.4 %.

The exceptions, and only these:
- numbers in headings, and section numbers anywhere, written "3.B", "5.A" or with a section
  sign ("§4", "§2.C");
- numbers in inline code and code blocks (they quote code, which is input);
- years (1900 to 2100).
A number matches when it equals a number of the notebook as a value: "81.2 %" in prose matches
"81.2%" in a table, and "0.1" matches "lr=0.1"; "1e-3" and "0.001" are the same number.
"""

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
CITATION = re.compile(r"§\s?(\d)(?:\.([A-F]))?|Appendix ([A-Z])\b")

NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:,\d{3})*(?:\.\d+)?(?:[eE][-+−]?\d+)?(?![\w])")
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
SECTION_REF = re.compile(r"§\s?\d(?:\.[A-F])?|(?<![\w.])\d\.[A-F](?![\w])")
POWER_OF_TEN = re.compile(r"10\^\{?([-−]?\d+)\}?")          # $10^{-3}$ is the number 1e-3


def numbers(text: str) -> list[tuple[int, str, float]]:
    """(position, as written, value) of every number in ``text``."""
    text = POWER_OF_TEN.sub(lambda m: "1e" + m.group(1) + " " * (len(m.group()) - 2 -
                                                                  len(m.group(1))), text)
    return [(m.start(), m.group(), float(m.group().replace("−", "-").replace(",", "")))
            for m in NUMBER.finditer(text)]


def backing(nb) -> set[float]:
    """Every number in the notebook's code sources and outputs (the absolute values too, so a
    prose "falls by 0.2" matches a printed "-0.2")."""
    values = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        texts = [cell.source]
        for out in cell.get("outputs", []):
            texts.append(out.get("text", ""))
            for mime in ("text/plain", "text/markdown", "text/html"):
                texts.append(out.get("data", {}).get(mime, ""))
        for text in texts:
            values.update(abs(v) for _, _, v in numbers("".join(text)))
    return values


def prose(cell) -> str:
    """A Markdown cell's prose: no headings, no code."""
    lines = [line for line in cell.source.splitlines() if not line.lstrip().startswith("#")]
    return SECTION_REF.sub(" ", CODE.sub(" ", "\n".join(lines)))


def cited(text: str, notebooks=NOTEBOOKS) -> list[Path]:
    """The notebooks of the sections that ``text`` cites: §4.A is 4a_..., §2.C is 2_... (a
    subsection of one notebook), §4 every 4x_..., Appendix B is B_..."""
    found = []
    for number, letter, appendix in CITATION.findall(text):
        if appendix:
            prefixes = [f"{appendix}_"]
        elif letter:
            prefixes = [f"{number}{letter.lower()}_", f"{number}_"]
        else:
            prefixes = [f"{number}_", f"{number}a_", f"{number}b_", f"{number}c_", f"{number}d_"]
        found += [p for p in notebooks if any(p.stem.startswith(x[:-1]) and
                                             p.stem[len(x) - 1] == "_" for x in prefixes)]
    return found


_BACKING: dict[Path, set[float]] = {}


def backing_of(path: Path) -> set[float]:
    if path not in _BACKING:
        _BACKING[path] = backing(nbformat.read(path, as_version=4))
    return _BACKING[path]


def unbacked(nb) -> list[str]:
    values = backing(nb)
    missing = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        text = prose(cell)
        also = set().union(*(backing_of(p) for p in cited(CODE.sub(" ", cell.source))))
        for at, written, value in numbers(text):
            if abs(value) in values or abs(value) in also or \
                    (value.is_integer() and 1900 <= value <= 2100):
                continue
            context = " ".join(text[max(0, at - 40):at + len(written) + 20].split())
            missing.append(f"cell {i}: {written!r} in '...{context}...'")
    return missing


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_number_in_the_prose_is_backed(path):
    missing = unbacked(nbformat.read(path, as_version=4))
    assert not missing, "numbers in the prose that no output or code cell backs:\n" + \
        "\n".join(missing)


def test_the_check_catches_an_unbacked_number():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print(33.4)", outputs=[
                    nbformat.v4.new_output("stream", text="33.4 %\n")]),
                nbformat.v4.new_markdown_cell(
                    "# 3.B Results\n\nIt ranges from 20 to 33.4 % (`lr=0.7`, "
                    "§9, 2.C), as in 2021, below $10^{-7}$.")]
    missing = unbacked(nb)
    assert [m.split("'")[1] for m in missing] == ["20", "1e-7"], missing
    assert missing[0].startswith("cell 1: '20' in '...It ranges from 20 to 33.4 %")


def test_a_cited_section_backs_the_numbers_of_the_cell_that_cites_it(tmp_path):
    cited_nb = nbformat.v4.new_notebook()
    cited_nb.cells = [nbformat.v4.new_code_cell("", outputs=[
        nbformat.v4.new_output("stream", text="solved 94 of 100\n")])]
    path = tmp_path / "4a_learning_rate.ipynb"
    nbformat.write(cited_nb, path)
    assert cited("as §4.A shows, and Appendix B", [path]) == [path]
    citing = nbformat.v4.new_notebook()
    citing.cells = [nbformat.v4.new_markdown_cell("About 94 of 100 (§4.A).")]
    values = backing(cited_nb)
    assert 94 in values and 7 not in values
    text = prose(citing.cells[0])
    assert [w for _, w, v in numbers(text) if abs(v) not in values] == []
    assert [w for _, w, v in numbers("About 7 of 100.") if abs(v) not in values] == ["7"]
