"""``make report`` (scripts/build_report.py): one offline HTML page with every notebook."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_report",
                                                  ROOT / "scripts" / "build_report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_report_is_one_offline_page_with_all_sections_in_order(tmp_path):
    builder = _load_builder()
    out = builder.build(tmp_path / "report.html")
    page = out.read_text(encoding="utf-8")
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    titles = [nbformat.read(p, as_version=4).cells[0].source.splitlines()[0][2:]
              for p in notebooks]
    # every section, in order, each reachable from the table of contents
    positions = [page.find(f'id="nb-{p.stem}"') for p in notebooks]
    assert -1 not in positions and positions == sorted(positions)
    for p in notebooks:
        assert f'href="#nb-{p.stem}"' in page
    for title in titles:
        assert builder.html.escape(title).split(":")[0] in page
    # figures embedded, formulas pre-rendered, nothing fetched from the network
    assert page.count("data:image/png;base64,") >= 20
    assert page.count('class="math"') >= 20
    assert not re.search(r"<script[^>]*src=\"https?://", page)
    assert "cdnjs" not in page and "mathjax" not in page.lower()


def test_math_outside_code_only():
    builder = _load_builder()
    text = builder.render_math("cost $\\eta$ and `price $5 and $6` then $$a^2$$")
    assert text.count('class="math"') == 2
    assert "`price $5 and $6`" in text
    assert 'alt="\\eta"' in text
