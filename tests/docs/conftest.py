"""A real headless browser for the docs-site tests: Debian's Chromium driven by Playwright.

Playwright's own browser download cannot work on these machines, so the browser is Debian's
`chromium` package and Playwright (pinned in requirements.lock) only drives it
(`executable_path`). Tests never install anything: `python3 run.py setup-browser` installs
Chromium (as root; `.ci/run` does it first), and without it these tests skip, saying so.
"""
from __future__ import annotations

import importlib
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def missing_browser() -> str | None:
    """Why no headless browser can be had here (None when Chromium and Playwright are both present)."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is absent: run `python3 run.py setup-browser` (as root) to install it"
    try:
        importlib.import_module("playwright.sync_api")
    except ImportError:
        return "the playwright package is absent: it is pinned in requirements.lock (`python3 run.py` installs it)"
    return None


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium for the whole session (skips, with the reason, if none can be had)."""
    reason = missing_browser()
    if reason:
        pytest.skip(f"no headless browser: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
