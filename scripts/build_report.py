"""Build the whole report as one self-contained HTML page (``make report``): build/report.html.

    python scripts/build_report.py [--out build/report.html]

All notebooks/NN_*.ipynb, in order, with their stored outputs (run ``make notebooks`` first to
refresh them), behind a table of contents. The page needs no network: figures are the
notebooks' embedded PNGs, the CSS is inlined by nbconvert, the formulas are pre-rendered to
SVG with matplotlib's mathtext (no MathJax), and the template's CDN scripts are removed.
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import re
import sys
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


def merge(paths):
    """One notebook: a title and contents cell, then every notebook's cells, with anchors."""
    merged = nbformat.v4.new_notebook()
    merged.metadata = nbformat.read(paths[0], as_version=4).metadata
    toc = ["# labnn: a back-propagation lab report that runs", "",
           "Every section below is a notebook of the `labnn` project, executed and re-checked by "
           "`pytest --nbval`; this page was built from their stored outputs by "
           "`make report`.", "", "## Contents", ""]
    cells = []
    for k, path in enumerate(paths):
        nb = nbformat.read(path, as_version=4)
        anchor = f"nb-{path.stem}"
        toc.append(f"{k + 1}. [{html.escape(_title(nb))}](#{anchor})")
        cells.append(nbformat.v4.new_markdown_cell(f'<a id="{anchor}"></a>'))
        sub = 0
        for cell in nb.cells:
            cell = nbformat.from_dict(cell)
            if cell.cell_type == "markdown":
                source = cell.source
                # links between notebooks become links within the page
                source = re.sub(r"\]\((\d\d_[\w-]+)\.ipynb\)", r"](#nb-\1)", source)
                lines = []
                for line in source.splitlines():
                    if line.startswith("## "):
                        sub += 1
                        sub_anchor = f"{anchor}-{sub}"
                        toc.append(f"    - [{html.escape(line[3:].strip())}](#{sub_anchor})")
                        lines += [f'<a id="{sub_anchor}"></a>', ""]
                    lines.append(line)
                cell.source = render_math("\n".join(lines))
            cells.append(cell)
    merged.cells = [nbformat.v4.new_markdown_cell("\n".join(toc))] + cells
    for i, cell in enumerate(merged.cells):
        cell.id = f"report-{i}"
    return merged


def build(out: Path) -> Path:
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "report.html")
    args = parser.parse_args(argv)
    out = build(args.out)
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out} "
          f"({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
