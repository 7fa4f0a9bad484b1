"""Screenshot of the docs site for docs/img/docs-site.png.

Copies the reform project into a temporary folder, builds it, runs `docs`, opens
target/docs/index.html from file:// in headless Chromium (Debian's, driven by Playwright, as in
tests/docs/) and saves one page as PNG.

    .venv/bin/python bench/screenshot_docs.py                       # the lineage view
    .venv/bin/python bench/screenshot_docs.py --page '#/charts' --out /tmp/charts.png
    .venv/bin/python bench/screenshot_docs.py --project-dir . --no-build   # this checkout's own target/
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import cli, copy_reform_project  # noqa: E402
from tests.docs.conftest import CHROMIUM, CHROMIUM_ARGS, missing_browser  # noqa: E402

DEFAULT_PAGE = "#/lineage/mart_completion_rates/completion_rate"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project-dir", type=Path, help="a project to document (default: a fresh copy of the reform project)")
    parser.add_argument("--no-build", action="store_true", help="only run `docs` (the project is built already)")
    parser.add_argument("--page", default=DEFAULT_PAGE, help=f"the route to show (default {DEFAULT_PAGE})")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "docs-site.png")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=860)
    args = parser.parse_args()

    reason = missing_browser()
    if reason:
        print(f"no headless browser: {reason}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        project = args.project_dir.resolve() if args.project_dir else copy_reform_project(Path(tmp) / "reform")
        for command in ([] if args.no_build else ["build"]) + ["docs"]:
            outcome = cli(project, command)
            if outcome.code:
                print(outcome.text, file=sys.stderr)
                return outcome.code
        index = project / "target" / "docs" / "index.html"
        shoot(index.as_uri() + args.page, args.out, args.width, args.height)
    print(f"wrote {args.out}")
    return 0


def shoot(url: str, out: Path, width: int, height: int) -> None:
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        page.wait_for_selector("body[data-ready=true]")
        page.wait_for_timeout(500)   # let Cytoscape and Chart.js draw
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        browser.close()
    if errors:
        raise SystemExit("the page reported errors: " + "; ".join(errors))


if __name__ == "__main__":
    sys.exit(main())
