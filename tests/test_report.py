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
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# build/report.pdf had 84 pages with notebooks 00-10 (title and contents included; 08 grew with
# the explorer v2 and its four lessons)
MEASURED_PAGES = 84


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


@pytest.mark.slow
def test_report_is_one_offline_page_with_all_sections_in_order(builder, report_html):
    page = report_html.read_text(encoding="utf-8")
    titles = [nbformat.read(p, as_version=4).cells[0].source.splitlines()[0][2:]
              for p in NOTEBOOKS]
    # every section, in the report's order, each reachable from the table of contents
    positions = [page.find(f'id="nb-{p.stem}"') for p in builder.report_order()]
    assert -1 not in positions and positions == sorted(positions)
    for p in NOTEBOOKS:
        assert f'href="#nb-{p.stem}"' in page
    for title in titles:
        assert builder.html.escape(title).split(":")[0] in page
    # figures embedded, formulas pre-rendered, nothing fetched from the network
    assert page.count("data:image/png;base64,") >= 20
    assert page.count('class="math"') >= 20
    assert not re.search(r"<script[^>]*src=\"https?://", page)
    assert "cdnjs" not in page and "mathjax" not in page.lower()


def test_notebooks_are_bound_in_the_order_of_the_report_sections():
    builder = _load_builder()
    order = builder.report_order()
    assert sorted(order) == NOTEBOOKS
    sections = [builder.SECTION.match(nbformat.read(p, as_version=4).cells[0].source + " ")
                for p in order]
    keys = [(int(m.group(1)), m.group(2) or "") for m in sections]
    assert keys == sorted(keys) and [k[0] for k in keys][:2] == [1, 2]
    stems = [p.stem for p in order]
    assert stems.index("07_questions") < stems.index("06_extras")   # 5 Questions, then 6 Extra


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
    """Text as the PDF shows it: no ligatures (the PDF's "ﬁ"), single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _pieces(heading: str, math) -> list[str]:
    """A heading's words without the Markdown: no #, `, * or link targets; its formulas
    (images in the PDF) split it into pieces that must each appear."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.lstrip("#"))
    text = text.replace("`", "").replace("*", "")
    return [_plain(piece) for piece in math.sub("\0", text).split("\0") if piece.strip()]


@pytest.mark.slow
def test_pdf_has_every_heading_and_the_contents_page_numbers(builder, report_html):
    from pypdf import PdfReader

    if not Path(builder.CHROMIUM).exists():
        pytest.skip(f"no Chromium at {builder.CHROMIUM}: install Debian's chromium "
                    "(apt-get install -y chromium; `make test-browser` installs it)")
    pdf = builder.build_pdf(report_html, report_html.with_suffix(".pdf"))
    reader = PdfReader(pdf)
    texts = [_plain(page.extract_text()) for page in reader.pages]
    assert 0.7 * MEASURED_PAGES <= len(texts) <= 1.5 * MEASURED_PAGES
    everything = " ".join(texts)
    for path in NOTEBOOKS:
        for heading in _headings(path):
            for piece in _pieces(heading, builder.MATH):
                assert piece in everything, (path.name, heading)
    # every contents entry's page number is the page its heading is printed on
    pages = builder.anchor_pages(pdf.read_bytes())
    for path in NOTEBOOKS:
        level_two = [h for h in _headings(path) if h.startswith("## ")]
        titles = {f"nb-{path.stem}": _headings(path)[0]}
        titles |= {f"nb-{path.stem}-{k}": h for k, h in enumerate(level_two, start=1)}
        for anchor, title in titles.items():
            assert _pieces(title, builder.MATH)[0] in texts[pages[anchor] - 1], anchor
    first_section = min(pages.values())
    contents = "\n".join(page.extract_text() for page in reader.pages[1:first_section - 1])
    printed = [int(n) for n in re.findall(r"^\s*(\d+)\s*$", contents, re.M)]
    assert sorted(printed) == sorted(pages.values())


def test_missing_chromium_says_how_to_install_it(builder, monkeypatch):
    monkeypatch.setattr(builder, "CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(SystemExit, match="apt-get install -y chromium"):
        builder.chromium_path()
