"""``make report`` (scripts/build_report.py): one offline HTML page with every notebook, and the
same page printed to an A4 PDF by headless Chromium."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MAIN_PAGES = 20
"""The printed main text (the title block, sections 1 to 7) fits in this many A4 pages; the
appendices follow."""
MEASURED_PAGES = 40
"""build/report.pdf, appendices included, measured when the report last changed shape."""
SECTIONS = ["1", "2", "3", "4.A", "4.B", "4.C", "4.D", "5", "6", "7"]
"""The report's sections in reading order: the lab's sections 1 to 6, then the conclusion."""


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_report",
                                                  ROOT / "scripts" / "build_report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def builder():
    return _load_builder()


@pytest.fixture(scope="module")
def report_html(builder, tmp_path_factory):
    return builder.build(tmp_path_factory.mktemp("report") / "report.html")


def _section(path: Path) -> str:
    """The section a notebook's file name gives: "4a_learning_rate" -> "4.A", "B_..." -> "B"."""
    head = path.stem.split("_")[0]
    return head[0] + (f".{head[1].upper()}" if len(head) > 1 else "")


def _title(path: Path) -> str:
    return nbformat.read(path, as_version=4).cells[0].source.splitlines()[0]


@pytest.mark.slow
def test_report_is_one_offline_page_with_all_sections_in_order(builder, report_html):
    page = report_html.read_text(encoding="utf-8")
    # every section, in the report's order, each reachable from the table of contents
    positions = [page.find(f'id="nb-{p.stem}"') for p in builder.report_order()]
    assert -1 not in positions and positions == sorted(positions)
    for p in NOTEBOOKS:
        assert f'href="#nb-{p.stem}"' in page
        assert builder.html.escape(_title(p)[2:]).split(":")[0] in page
    # figures embedded, formulas pre-rendered (no $ left over), nothing fetched from the network
    assert page.count("data:image/png;base64,") >= 20
    assert page.count('class="math"') >= 20
    prose = re.sub(r"<(style|script|pre|code)\b.*?</\1>|<[^>]+>", " ", page, flags=re.S)
    assert "$" not in prose, "a formula was not rendered: " + prose[prose.find("$") - 80:][:160]
    assert not re.search(r"<script[^>]*src=\"https?://", page)
    assert "cdnjs" not in page and "mathjax" not in page.lower()
    # code out of the way: no code cell shows its input; results tables are real tables
    assert "jp-InputArea-editor" not in page.split('id="nb-1_introduction"')[1]
    assert page.count('<table class="labnn-table">') >= 10


def test_file_order_is_reading_order():
    """Notebooks are named by their section (4a_..., then appendices A_...), so the file order
    everywhere is the report's order; each opens with its section's title."""
    builder = _load_builder()
    order = builder.report_order()
    assert order == NOTEBOOKS == sorted(NOTEBOOKS)
    main = [p for p in order if p.stem[0].isdigit()]
    appendices = [p for p in order if p.stem[0].isupper()]
    assert order == main + appendices
    assert [_section(p) for p in main] == SECTIONS
    assert [_section(p) for p in appendices] == [chr(ord("A") + k)
                                                 for k in range(len(appendices))]
    for p in main[1:]:
        assert _title(p).startswith(f"# {_section(p)} "), (p.name, _title(p))
    assert _title(main[0]).startswith("# ")       # the title block, then "# 1 Introduction"
    intro = nbformat.read(main[0], as_version=4).cells[1].source
    assert intro.startswith("# 1 Introduction")
    for p in appendices:
        assert _title(p).startswith(f"# Appendix {_section(p)}: "), (p.name, _title(p))


def test_cross_references_cite_sections_not_notebook_numbers():
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                assert not re.search(r"\bnotebooks? \d|\]\(\d\d_", cell.source), \
                    (path.name, cell.source[:80])


def test_math_outside_code_only():
    builder = _load_builder()
    text = builder.render_math("cost $\\eta$ and `price $5 and $6` then $$a^2$$")
    assert text.count('class="math"') == 2
    assert "`price $5 and $6`" in text
    assert 'alt="\\eta"' in text


def _headings(path: Path) -> list[str]:
    """The notebook's Markdown heading lines (#, ##, ...), outside fenced code, in order."""
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        fenced = False
        for line in cell.source.splitlines() if cell.cell_type == "markdown" else []:
            fenced ^= line.startswith("```")
            if not fenced and line.startswith("#"):
                found.append(line)
    return found


def _plain(text: str) -> str:
    """Text as the PDF shows it: no ligatures (the PDF's "ﬁ"), single spaces, and a word broken
    at its hyphen at the end of a line joined again."""
    return re.sub(r"-\s+", "-", " ".join(unicodedata.normalize("NFKC", text).split()))


def _pieces(heading: str, math) -> list[str]:
    """A heading's words without the Markdown: no #, `, * or link targets; its formulas
    (images in the PDF) split it into pieces that must each appear."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.lstrip("#"))
    text = text.replace("`", "").replace("*", "")
    return [_plain(piece) for piece in math.sub("\0", text).split("\0") if piece.strip()]


@pytest.mark.slow
def test_pdf_main_text_fits_twenty_pages_and_every_heading_is_printed(builder, report_html):
    from pypdf import PdfReader

    if not Path(builder.CHROMIUM).exists():
        pytest.skip(f"no Chromium at {builder.CHROMIUM}: install Debian's chromium "
                    "(apt-get install -y chromium; `make test-browser` installs it)")
    pdf = builder.build_pdf(report_html, report_html.with_suffix(".pdf"))
    reader = PdfReader(pdf)
    texts = [_plain(page.extract_text()) for page in reader.pages]
    assert 0.8 * MEASURED_PAGES <= len(texts) <= 1.25 * MEASURED_PAGES
    pages = builder.anchor_pages(pdf.read_bytes())
    # the main text ends on page 20 at the latest: the first appendix starts by page 21
    first_appendix = min(pages[f"nb-{p.stem}"] for p in NOTEBOOKS if p.stem[0].isupper())
    assert first_appendix <= MAIN_PAGES + 1, f"the main text runs to page {first_appendix - 1}"
    assert "Appendix A" in texts[first_appendix - 1]
    everything = " ".join(texts)
    for path in NOTEBOOKS:
        for heading in _headings(path):
            for piece in _pieces(heading, builder.MATH):
                assert piece in everything, (path.name, heading)
    # every contents entry's page number is the page its section's heading is printed on
    for path in NOTEBOOKS[1:]:
        title = _headings(path)[0]
        assert _pieces(title, builder.MATH)[0] in texts[pages[f"nb-{path.stem}"] - 1], path.name
    contents = reader.pages[0].extract_text()
    printed = [int(n) for n in re.findall(r"(\d+)\s*$", contents, re.M)]
    for path in NOTEBOOKS:
        assert pages[f"nb-{path.stem}"] in printed, path.name


def test_missing_chromium_says_how_to_install_it(builder, monkeypatch):
    monkeypatch.setattr(builder, "CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(SystemExit, match="apt-get install -y chromium"):
        builder.chromium_path()
