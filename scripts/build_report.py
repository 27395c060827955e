"""Build the whole report (``make report``): build/report.html and build/report.pdf.

    python scripts/build_report.py [--out build/report.html] [--no-pdf]

All notebooks/NN_*.ipynb, in order, with their stored outputs (run ``make notebooks`` first to
refresh them), behind a table of contents. The page needs no network: figures are the
notebooks' embedded PNGs, the CSS is inlined by nbconvert, the formulas are pre-rendered to
SVG with matplotlib's mathtext (no MathJax), and the template's CDN scripts are removed.

The PDF (A4, the course's copy) is that same page printed by Debian's headless Chromium (the one
the browser test drives, through the Python playwright package; $LABNN_CHROMIUM, default
/usr/bin/chromium) with a print stylesheet: a title page, the contents with page numbers, each
notebook from a new page, figures never cut, code wrapped, wide tables shrunk to the page
width, page numbers in the footer, and bookmarks. The contents' page numbers come from a first
print: pypdf reads on which page each section's anchor landed, and the page is printed again.
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import os
import re
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import nbformat  # noqa: E402
from matplotlib import mathtext  # noqa: E402
from nbconvert import HTMLExporter  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$", re.S)
CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)
SCRIPT_SRC = re.compile(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>\s*', re.I)
MODULE_LOADER = re.compile(r'<script type="module">(?:(?!</script>).)*?https?://'
                           r'(?:(?!</script>).)*</script>\s*', re.S)
MATHJAX_CONFIG = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->",
                            re.S)


def _normalise_tex(tex: str) -> str:
    """Map the few LaTeX commands the notebooks use that mathtext lacks onto ones it has."""
    tex = " ".join(tex.split())
    tex = tex.replace(r"\dfrac", r"\frac").replace(r"\bigl", "").replace(r"\bigr", "")
    tex = re.sub(r"\\text\{([^}]*)\}",
                 lambda m: r"\mathrm{" + m.group(1).replace(" ", r"\ ") + "}", tex)
    return re.sub(r"\\le(?![a-zA-Z])", r"\\leq", tex)


def tex_to_img(tex: str, display: bool) -> str:
    """An <img> holding the formula as an SVG data URI (alt text: the TeX source)."""
    buf = io.BytesIO()
    size = 13 if display else 11
    prop = matplotlib.font_manager.FontProperties(size=size)
    mathtext.math_to_image(f"${_normalise_tex(tex)}$", buf, prop=prop, format="svg")
    svg = re.sub(rb"<metadata>.*?</metadata>", b"", buf.getvalue(), flags=re.S)
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    alt = html.escape(tex.strip(), quote=True)
    style = ("display:block;margin:0.6em auto" if display
             else "vertical-align:middle;display:inline")
    return f'<img class="math" style="{style}" alt="{alt}" src="{uri}">'


def render_math(markdown: str) -> str:
    """Replace $$...$$ and $...$ outside code spans with pre-rendered formulas."""
    parts = CODE.split(markdown)
    for i in range(0, len(parts), 2):  # even items are outside code
        parts[i] = MATH.sub(lambda m: tex_to_img(m.group(1) or m.group(2),
                                                 m.group(1) is not None), parts[i])
    return "".join(parts)


def _title(nb) -> str:
    first = nb.cells[0].source.splitlines()[0] if nb.cells else ""
    return first.lstrip("# ").strip()


# The tags Jupyter Book and nbconvert use: in the printed report a "remove-cell" cell is left
# out, a "remove-input" (or "hide-input") cell shows its outputs only, a "remove-output" cell its
# code only. In JupyterLab and on GitHub every cell stays as it is.
REMOVE_CELL, REMOVE_INPUT, REMOVE_OUTPUT = {"remove-cell"}, {"remove-input", "hide-input"}, \
    {"remove-output"}
NAME = re.compile(r"^(?:[1-9][a-z]?|[A-Z])_[a-z0-9_]+$")
"""A report notebook's file name: its section ("4a", "7") or appendix ("A"), then a name; so the
file order is the reading order (digits sort before capitals everywhere)."""


def report_order() -> list[Path]:
    """The report's notebooks in reading order: the file order."""
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    wrong = [p.name for p in paths if not NAME.match(p.stem)]
    if wrong:
        raise SystemExit(f"build_report: notebooks named outside the report's scheme "
                         f"(section or appendix, then a name): {wrong}")
    return paths


def _printed(cell) -> nbformat.NotebookNode | None:
    """The cell as the printed report shows it (see the tags above), or None."""
    tags = set(cell.metadata.get("tags", []))
    if tags & REMOVE_CELL:
        return None
    if cell.cell_type == "code":
        if tags & REMOVE_OUTPUT:
            cell.outputs = []
        if tags & REMOVE_INPUT:
            if not cell.outputs:
                return None
            cell.metadata["transient"] = {"remove_source": True}   # as nbconvert marks it
    return cell


def merge(paths):
    """One notebook: the title page (the first cell of the first notebook: the title block and
    the abstract) with the contents, then every notebook's printed cells, with anchors."""
    merged = nbformat.v4.new_notebook()
    first_nb = nbformat.read(paths[0], as_version=4)
    merged.metadata = first_nb.metadata
    toc = ["## Contents", ""]
    cells = []
    for k, path in enumerate(paths):
        nb = nbformat.read(path, as_version=4)
        body = nb.cells[1:] if k == 0 else nb.cells
        anchor = f"nb-{path.stem}"
        toc.append(f"1. [{html.escape(_title(nbformat.v4.new_notebook(cells=body)))}]"
                   f"(#{anchor})")
        cells.append(nbformat.v4.new_markdown_cell(f'<a id="{anchor}"></a>'))
        for cell in body:
            cell = _printed(nbformat.from_dict(cell))
            if cell is None:
                continue
            if cell.cell_type == "markdown":
                source = cell.source
                # links between notebooks become links within the page
                source = re.sub(r"\]\(((?:[1-9][a-z]?|[A-Z])_[\w-]+)\.ipynb\)", r"](#nb-\1)",
                                source)
                cell.source = render_math(source)
            cells.append(cell)
    title = nbformat.from_dict(first_nb.cells[0])
    title.source = render_math(title.source) + "\n\n" + "\n".join(toc)
    merged.cells = [title] + cells
    for i, cell in enumerate(merged.cells):
        cell.id = f"report-{i}"
    return merged


def build(out: Path) -> Path:
    paths = report_order()
    if not paths:
        raise SystemExit("no notebooks found in notebooks/")
    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(merge(paths))
    body = MATHJAX_CONFIG.sub("", body)
    body = SCRIPT_SRC.sub("", body)
    body = MODULE_LOADER.sub("", body)
    body = body.replace("<title>Notebook</title>", "<title>labnn: lab report</title>")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(body, encoding="utf-8")
    return out


# --- The PDF -------------------------------------------------------------------------------

CHROMIUM = os.environ.get("LABNN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
# A4 less the side margins below, in CSS pixels (96 per inch): the width the page is laid out
# at while the wide text is measured, the same as the printed width.
PRINT_WIDTH_PX = round((210 - 2 * 15) / 25.4 * 96)
SMALLEST_PT = 7.0  # wide code or tables shrink down to this size (from 8.5pt) to fit
PRINT_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm;
  @bottom-center { content: counter(page) " / " counter(pages);
                   font: 8.5pt 'DejaVu Sans', sans-serif; color: #666; } }
@page :first { @bottom-center { content: none; } }
:root { --jp-content-font-size1: 9.5pt; --jp-ui-font-size1: 9.5pt; --jp-content-line-height: 1.4;
  --jp-code-font-size: 8.5pt; --jp-code-line-height: 1.3; --jp-notebook-padding: 0;
  --jp-cell-padding: 2px 0; }
body, main { margin: 0; padding: 0; }
.jp-InputPrompt, .jp-OutputPrompt, .jp-Collapser, .anchor-link { display: none !important; }
pre { white-space: pre-wrap !important; overflow-wrap: anywhere; }
/* pre-wrap: Chromium's bookmarks would otherwise lose the space where a heading wraps */
h1, h2, h3, h4 { break-after: avoid; break-inside: avoid; white-space: pre-wrap; }
p:has(> a[id^="nb-"]:only-child) { break-after: avoid; margin: 0; } /* a section's anchor */
.jp-RenderedHTMLCommon h1 { font-size: 19pt; } .jp-RenderedHTMLCommon h2 { font-size: 14pt; }
.jp-RenderedHTMLCommon h3 { font-size: 11.5pt; }
p, li, pre { orphans: 3; widows: 3; }
.jp-RenderedImage, .jp-OutputArea-child:has(img), tr, img.math { break-inside: avoid; }
.jp-RenderedImage img, .jp-RenderedMarkdown img { max-width: 100%; max-height: 235mm;
  height: auto; width: auto; }
.jp-OutputArea-child:has(.jp-RenderedText) { break-inside: auto; }
.jp-RenderedHTMLCommon table { max-width: 100%; font-size: 9pt; }
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { padding: 0.2em 0.5em; }
/* the first cell: the title page, with the title block, the abstract and the contents */
main > .jp-Cell:first-child {
  h1 { padding: 8mm 0 3mm; margin: 0 0 4mm; border-bottom: 1px solid #999;
       font-size: 22pt; line-height: 1.2; }
  h1 + p { font-size: 10.5pt; margin: 0 0 3mm; }
  h2 { font-size: 13pt; margin: 5mm 0 2mm; }
  ol, ul { list-style: none; padding-left: 0; margin: 0; }
  ol > li { margin-top: 0.2em; }
  ul > li { padding-left: 1.5em; }
  li > a { display: block; font-size: 9pt; line-height: 1.25; }
  ol > li > a { font-weight: 600; }
  li > a::after { content: "00"; float: right; font-weight: normal; }
}
/* results tables: real tables, numbers right-aligned, never wrapped */
table.labnn-table { border-collapse: collapse; margin: 1mm 0 2mm; font-size: 8.5pt;
  break-inside: avoid; }
table.labnn-table th, table.labnn-table td { padding: 0.1em 0.55em; white-space: nowrap;
  text-align: right; border: none; }
table.labnn-table th { border-bottom: 1px solid #888; font-weight: 600; white-space: normal;
  vertical-align: bottom; }   /* a long header breaks within its cell; a row never does */
table.labnn-table thead tr:first-child th[colspan] { border-bottom: 1px solid #bbb;
  text-align: center; }
table.labnn-table td:first-child, table.labnn-table th:first-child { text-align: left; }
table.labnn-table tbody tr:nth-child(even) { background: #f4f4f4; }
"""


def chromium_path() -> str:
    """The Chromium to print with, or exit saying how to get Debian's."""
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"build_report: no Chromium at {CHROMIUM}, needed for "
                         "build/report.pdf. Install Debian's chromium (as root: apt-get "
                         "install -y chromium; `make test-browser` installs it too), or set "
                         "LABNN_CHROMIUM to a Chromium executable; --no-pdf builds the HTML only.")
    return CHROMIUM


def print_css(notebooks) -> str:
    """The print stylesheet: the main text follows the title block and the contents, its
    sections one after the other; each appendix starts a new page."""
    starts = [stem for stem in notebooks if stem[0].isupper()]
    return "\n".join([PRINT_CSS] + [f".jp-Cell:has(#nb-{stem}) {{ break-before: page; }}"
                                    for stem in starts])


def page_numbers_css(pages: dict[str, int]) -> str:
    """The contents' page numbers, in place of the first print's placeholders."""
    return "\n".join(f'main > .jp-Cell:first-child a[href="#{anchor}"]::after '
                     f'{{ content: "{page}"; }}' for anchor, page in pages.items())


FIT_WIDE_TEXT = """(smallestPt) => {
  // Shrink a code cell or text output whose longest line is too wide (a table) just enough to
  // fit; one that cannot fit even at the smallest size keeps its size and wraps.
  for (const pre of document.querySelectorAll('.jp-InputArea pre, .jp-OutputArea-output pre')) {
    pre.style.setProperty('white-space', 'pre', 'important');
    const ratio = pre.clientWidth / pre.scrollWidth;
    pre.style.removeProperty('white-space');
    const pt = parseFloat(getComputedStyle(pre).fontSize) * 0.75 * ratio * 0.97;
    if (ratio < 1 && pt >= smallestPt) pre.style.fontSize = pt.toFixed(1) + 'pt';
  }
}"""


WIDE_TABLES = """() => [...document.querySelectorAll('table.labnn-table')]
  .filter(t => t.scrollWidth > t.closest('.jp-OutputArea-output').clientWidth + 1)
  .map(t => t.innerText.slice(0, 60))"""
"""The results tables wider than the printed page (they never wrap: too wide is an error)."""


def anchor_pages(pdf: bytes) -> dict[str, int]:
    """The page (from 1) on which each of the contents' anchors (nb-...) landed."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return {name.lstrip("/"): reader.get_destination_page_number(dest) + 1
            for name, dest in reader.named_destinations.items()
            if name.lstrip("/").startswith("nb-")}


def _reproducible(pdf: bytes) -> bytes:
    """The PDF without what changes from one print to the next, each replaced by a string of the
    same length so the offsets hold: the dates Chromium stamps become $SOURCE_DATE_EPOCH
    (default 1970-01-01), and the few element IDs of the tagged tables (numbers from a counter
    in the browser) are renumbered 0, 1, ... in their order. Same notebooks, same bytes."""
    epoch = time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH", "0")))
    date = time.strftime("(D:%Y%m%d%H%M%S+00'00')", epoch).encode()
    pdf = re.sub(rb"\(D:\d{14}[+-]\d\d'\d\d'\)", date, pdf)
    ids = sorted(set(re.findall(rb"\(node(\d{8})\)", pdf)))
    rank = {old: b"%08d" % k for k, old in enumerate(ids)}
    return re.sub(rb"\(node(\d{8})\)", lambda m: b"(node" + rank[m.group(1)] + b")", pdf)


def _offline(route, fetched: list) -> None:
    """Let the page load only local files; note anything it asks of the network."""
    if route.request.url.startswith(("file:", "data:")):
        route.continue_()
    else:
        fetched.append(route.request.url)
        route.abort()


def build_pdf(html_path: Path, out: Path) -> Path:
    """Print the built HTML page to an A4 PDF with headless Chromium (two prints, see above)."""
    from playwright.sync_api import sync_playwright

    notebooks = [p.stem for p in report_order()]
    fetched: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": PRINT_WIDTH_PX, "height": 1000})
            page.route("**/*", lambda route: _offline(route, fetched))
            page.emulate_media(media="print")
            page.goto(html_path.resolve().as_uri(), wait_until="load")
            page.add_style_tag(content=print_css(notebooks))
            page.evaluate(FIT_WIDE_TEXT, SMALLEST_PT)
            wide = page.evaluate(WIDE_TABLES)
            if wide:
                raise SystemExit(f"build_report: tables wider than the page: {wide}")
            pages, pdf = None, b""
            for _ in range(3):  # print until the contents' numbers hold: twice, in practice
                pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True,
                               outline=True, tagged=True)
                found = anchor_pages(pdf)
                if found == pages:
                    break
                pages = found
                page.add_style_tag(content=page_numbers_css(pages))
        finally:
            browser.close()
    if fetched:
        raise SystemExit(f"build_report: the page asked the network for {fetched[:3]}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(_reproducible(pdf))
    return out


def _shown(path: Path) -> str:
    size = f"{path.stat().st_size / 1e6:.1f} MB"
    return f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} ({size})"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "report.html")
    parser.add_argument("--no-pdf", action="store_true", help="build the HTML page only")
    args = parser.parse_args(argv)
    out = build(args.out)
    print(_shown(out))
    if not args.no_pdf:
        out.with_suffix(".pdf").unlink(missing_ok=True)  # never a stale PDF beside a new page
        print(_shown(build_pdf(out, out.with_suffix(".pdf"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
