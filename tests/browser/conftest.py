"""A real JupyterLab in headless Chromium, for ``make test-browser``.

Skipped by a plain ``pytest`` run (it needs Debian's chromium and ~30 s); ``make test-browser``
sets LABNN_BROWSER=1 and then a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from labdriver import CHROMIUM, CHROMIUM_ARGS

if not os.environ.get("LABNN_BROWSER"):
    pytest.skip("browser test: run it with `make test-browser` (sets LABNN_BROWSER=1)",
                allow_module_level=True)


@pytest.fixture(scope="session")
def chromium_path():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: `make test-browser` installs Debian's chromium "
                    f"(apt-get install -y chromium)")
    return CHROMIUM


@pytest.fixture
def browser_context(chromium_path, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=chromium_path, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 1000})
        try:
            yield ctx
        finally:
            ctx.close()
