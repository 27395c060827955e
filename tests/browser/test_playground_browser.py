"""The playground notebook in a real JupyterLab, in headless Chromium: run all cells, check that
the widgets rendered and no cell shows a traceback, move the ``lr`` and ``hidden units`` sliders and
check that the shown text and image change, Play then Pause. Screenshots go to build/browser/.

And the negative: the same check FAILS when the widget extension is disabled (the notebook then
shows the explorer's text repr instead of widgets)."""

from __future__ import annotations

import re
import time

import pytest
from labdriver import BUILD, ROOT, lab_server, open_and_run_all, wait_until

NOTEBOOK = "notebooks/08_playground.ipynb"
TRACEBACK = re.compile(r"Traceback|Error displaying widget|interactive\(children=|"
                       r"labnn Playground explorer with|[A-Za-z]+Error\b")


def check_outputs(scope) -> None:
    """No traceback, no stderr, no widget error or text repr where a widget should be, in the
    page or in one cell (``scope``)."""
    stderr = scope.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    assert stderr.count() == 0, f"a cell wrote to stderr: {stderr.all_inner_texts()}"
    for text in scope.locator(".jp-Cell-outputArea").all_inner_texts():
        m = TRACEBACK.search(text)
        assert m is None, f"an output shows {m.group(0)!r}: {text[:300]}"


def find_explorer(page, timeout: float = 15, min_sliders: int = 0):
    """The rendered explorer in ``page`` (or a cell); fails when the widget extension did not
    render it."""
    explorer = page.locator(".labnn-explorer")
    try:
        explorer.first.wait_for(state="visible", timeout=timeout * 1000)
    except Exception as exc:
        texts = " | ".join(t[:120] for t in page.locator(".jp-Cell-outputArea")
                           .all_inner_texts() if t.strip())
        raise AssertionError(f"the explorer widget did not render; outputs: {texts}") from exc
    explorer = explorer.first
    assert explorer.locator(".widget-slider").count() >= min_sliders, "no slider widgets rendered"
    wait_until(lambda: (explorer.locator("img.labnn-view").get_attribute("src") or ""),
               15, "the explorer's image")
    return explorer


def _state(explorer):
    return (explorer.locator(".labnn-status").inner_text(),
            explorer.locator("img.labnn-view").get_attribute("src"))


def _epoch(explorer) -> int:
    return int(re.search(r"epoch (\d+)", _state(explorer)[0]).group(1))


def move_slider(page, explorer, label: str, key: str):
    """Focus the slider whose description is ``label``, press ``key``; wait for the kernel to
    retrain and redraw. Returns (readout before, readout after, seconds to the new text)."""
    slider = explorer.locator(".widget-slider").filter(
        has=page.locator(".widget-label", has_text=re.compile(rf"^{re.escape(label)}$")))
    assert slider.count() == 1, f"no slider labelled {label!r}"
    readout = slider.locator(".widget-readout")
    before_value = readout.inner_text()
    text, src = _state(explorer)
    slider.locator(".noUi-handle").focus()
    t0 = time.monotonic()
    page.keyboard.press(key)
    wait_until(lambda: _state(explorer)[0] != text, 10, f"the text to change after {label}")
    seconds = time.monotonic() - t0
    wait_until(lambda: _state(explorer)[1] != src, 10, f"the image to change after {label}")
    after_value = readout.inner_text()
    assert after_value != before_value, f"{label} readout did not move"
    return before_value, after_value, seconds


def test_playground_notebook_in_jupyterlab(browser_context, tmp_path):
    BUILD.mkdir(parents=True, exist_ok=True)
    t_start = time.monotonic()
    with lab_server(tmp_path / "lab", [NOTEBOOK]) as server:
        page = browser_context.new_page()
        open_and_run_all(page, server, "08_playground.ipynb")
        check_outputs(page)
        explorer = find_explorer(page, min_sliders=2)
        explorer.scroll_into_view_if_needed()
        page.screenshot(path=str(BUILD / "08_playground_page.png"), full_page=True)
        explorer.screenshot(path=str(BUILD / "08_explorer_0_loaded.png"))
        status0 = _state(explorer)[0]
        assert re.search(r"epoch 500 +loss [\d.e-]+ +accuracy 100\.00%", status0), status0

        timings = {}
        for label, key in (("lr", "ArrowRight"), ("hidden units", "ArrowLeft")):
            before, after, seconds = move_slider(page, explorer, label, key)
            timings[label] = seconds
            print(f"{label}: {before} -> {after}: new text after {seconds * 1000:.0f} ms: "
                  f"{_state(explorer)[0]}")
            explorer.screenshot(path=str(BUILD / f"08_explorer_{len(timings)}_{label}.png"))
        assert _state(explorer)[0] != status0

        # Play trains in chunks and redraws; Pause stops it.
        start_epoch = _epoch(explorer)
        explorer.locator(".labnn-play").click()
        wait_until(lambda: _epoch(explorer) >= start_epoch + 150, 15, "Play to train")
        explorer.locator(".labnn-pause").click()
        time.sleep(1.0)
        paused = _epoch(explorer)
        time.sleep(1.0)
        assert _epoch(explorer) == paused, "training went on after Pause"
        explorer.screenshot(path=str(BUILD / "08_explorer_3_played.png"))
        print(f"Play: epoch {start_epoch} -> {paused}")

        check_outputs(page)
        assert explorer.locator(".labnn-message").inner_text().strip() == ""
        page.close()
    elapsed = time.monotonic() - t_start
    print(f"whole check {elapsed:.1f} s; slider -> new text: "
          + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in timings.items()))


def test_check_fails_when_the_widget_extension_does_not_render(browser_context, tmp_path):
    BUILD.mkdir(parents=True, exist_ok=True)
    with lab_server(tmp_path / "lab", [NOTEBOOK], disable_widgets=True) as server:
        page = browser_context.new_page()
        open_and_run_all(page, server, "08_playground.ipynb")
        placeholder = page.locator(".jp-OutputArea-output", has_text="labnn Playground explorer")
        placeholder.first.scroll_into_view_if_needed()
        page.screenshot(path=str(BUILD / "08_no_widget_extension.png"))
        with pytest.raises(AssertionError, match="labnn Playground explorer with"):
            check_outputs(page)
        with pytest.raises(AssertionError, match="did not render"):
            find_explorer(page, timeout=3)
        page.close()


def _report_notebooks_with_mini_explorers():
    """Report notebooks (other than 08) that call labnn.explorer.widgets.mini_explorer."""
    found = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        if path.name != "08_playground.ipynb" and "mini_explorer(" in path.read_text():
            found.append(f"notebooks/{path.name}")
    return found


def _change_control(page, explorer) -> str:
    """Move the mini explorer's one control; returns its description."""
    sliders = explorer.locator(".widget-slider")
    if sliders.count():
        label = sliders.first.locator(".widget-label").inner_text().strip()
        readout = sliders.first.locator(".widget-readout").inner_text().strip()
        key = "ArrowLeft" if readout in ("10.0", "10", "32") else "ArrowRight"
        move_slider(page, explorer, label, key)
        return label
    dropdown = explorer.locator(".widget-dropdown select")
    assert dropdown.count() == 1, "a mini explorer without a slider or a dropdown"
    text, src = _state(explorer)
    options = dropdown.locator("option").all_inner_texts()
    current = dropdown.input_value()
    dropdown.select_option(next(o for o in options if o != current))
    wait_until(lambda: _state(explorer)[0] != text, 10, "the text to change")
    wait_until(lambda: _state(explorer)[1] != src, 10, "the image to change")
    return explorer.locator(".widget-dropdown .widget-label").inner_text().strip()


@pytest.mark.parametrize("notebook", _report_notebooks_with_mini_explorers())
def test_mini_explorers_in_report_notebooks(notebook, browser_context, tmp_path):
    BUILD.mkdir(parents=True, exist_ok=True)
    name = notebook.split("/")[-1]
    with lab_server(tmp_path / "lab", [notebook]) as server:
        page = browser_context.new_page()
        open_and_run_all(page, server, name, timeout=240)
        cells = page.locator(".jp-CodeCell").filter(
            has=page.locator(".jp-InputArea-editor", has_text="mini_explorer("))
        assert cells.count() >= 1
        for i in range(cells.count()):
            cell = cells.nth(i)
            check_outputs(cell)
            explorer = find_explorer(cell)
            explorer.scroll_into_view_if_needed()
            label = _change_control(page, explorer)
            check_outputs(cell)
            explorer.screenshot(path=str(BUILD / f"{name[:-6]}_mini_{i}_{label}.png"))
        page.close()
