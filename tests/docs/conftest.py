"""A real headless browser for the docs-site tests: Debian's Chromium driven by Playwright.

Playwright's own browser download cannot work on these machines, so the browser is Debian's
`chromium` package and Playwright only drives it (`executable_path`). The session fixture
installs what is missing, within a time limit, or skips with the reason:
- Chromium: as root, `apt-get update` then `apt-get install -y chromium`;
- the `playwright` Python package: `pip install playwright==PLAYWRIGHT_VERSION` into the
  running interpreter's environment.
Set WAREHOUSE_TEST_NO_INSTALL=1 to skip instead of installing.
"""
from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
PLAYWRIGHT_VERSION = "1.65.2"   # on PyPI (checked with `pip index versions playwright`); drives Chromium 150
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
APT_UPDATE_SECONDS = 300
APT_INSTALL_SECONDS = 900
PIP_INSTALL_SECONDS = 600


def _run(command: list[str], timeout: float, env: dict | None = None) -> tuple[bool, str]:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return False, f"`{' '.join(command)}` took longer than {timeout:.0f}s"
    except OSError as error:
        return False, f"`{' '.join(command)}` could not start: {error}"
    tail = (done.stdout + done.stderr).strip().splitlines()[-3:]
    return done.returncode == 0, " / ".join(tail)


def ensure_chromium() -> str | None:
    """None when /usr/bin/chromium is there (installing it if we may), else why not."""
    if CHROMIUM.exists():
        return None
    if os.environ.get("WAREHOUSE_TEST_NO_INSTALL"):
        return f"{CHROMIUM} is absent and WAREHOUSE_TEST_NO_INSTALL is set"
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return f"{CHROMIUM} is absent and installing it needs root: `sudo apt-get install chromium`"
    if shutil.which("apt-get") is None:
        return f"{CHROMIUM} is absent and there is no apt-get to install it"
    apt_env = {"DEBIAN_FRONTEND": "noninteractive"}
    ok, output = _run(["apt-get", "update"], APT_UPDATE_SECONDS, apt_env)
    if not ok:
        return f"`apt-get update` failed: {output}"
    ok, output = _run(["apt-get", "install", "-y", "--no-install-recommends", "chromium"], APT_INSTALL_SECONDS, apt_env)
    if not ok or not CHROMIUM.exists():
        return f"`apt-get install -y chromium` failed: {output}"
    return None


def ensure_playwright() -> str | None:
    """None when `playwright.sync_api` imports (installing it with pip if needed), else why not."""
    try:
        importlib.import_module("playwright.sync_api")
        return None
    except ImportError:
        pass
    if os.environ.get("WAREHOUSE_TEST_NO_INSTALL"):
        return "the playwright package is absent and WAREHOUSE_TEST_NO_INSTALL is set"
    ok, output = _run([sys.executable, "-m", "pip", "install", "--disable-pip-version-check",
                       f"playwright=={PLAYWRIGHT_VERSION}"], PIP_INSTALL_SECONDS)
    if not ok:
        return f"`pip install playwright=={PLAYWRIGHT_VERSION}` failed: {output}"
    importlib.invalidate_caches()
    try:
        importlib.import_module("playwright.sync_api")
    except ImportError as error:
        return f"playwright installed but does not import: {error}"
    return None


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium for the whole session (skips, with the reason, if none can be had)."""
    reason = ensure_chromium() or ensure_playwright()
    if reason:
        pytest.skip(f"no headless browser: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
