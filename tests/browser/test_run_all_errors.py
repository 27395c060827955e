"""A cell that raises during Run All fails the browser check at once, with the error's message,
instead of a time-out after waiting for cells that will never run. A warning on stderr is not an
error."""

from __future__ import annotations

import time

import nbformat
import pytest
from labdriver import BUILD, lab_server, open_notebook, run_all

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _notebook(path, sources) -> None:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": KERNELSPEC},
                                  cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nbformat.write(nb, str(path))


def test_a_cell_error_fails_run_all_at_once(browser_context, tmp_path):
    BUILD.mkdir(parents=True, exist_ok=True)
    notebook = tmp_path / "boom.ipynb"
    _notebook(notebook, ['import warnings\nwarnings.warn("only a warning")',
                         'raise ValueError("boom")',
                         'print("never runs")'])
    with lab_server(tmp_path / "lab", [notebook]) as server:
        page = browser_context.new_page()
        open_notebook(page, server, notebook.name)
        t0 = time.monotonic()
        with pytest.raises(AssertionError) as failure:
            run_all(page, server, notebook.name, timeout=240)
        seconds = time.monotonic() - t0
        page.screenshot(path=str(BUILD / "run_all_cell_error.png"), full_page=True)
        message = str(failure.value)
        print(f"Run All -> failure after {seconds:.1f} s: {message.splitlines()[0]}")
        assert seconds < 30, f"the cell error took {seconds:.0f} s to fail the check"
        assert "code cell 2 raised ValueError: boom" in message, message
        warning = page.locator(".jp-OutputArea-output", has_text="UserWarning: only a warning")
        assert warning.get_attribute("data-mime-type") == "application/vnd.jupyter.stderr"
        assert "code cell 1" not in message, "a warning was reported as an error"
        assert "timed out" not in message
        page.close()
