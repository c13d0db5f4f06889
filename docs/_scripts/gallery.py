"""Screenshots of the seed page in each supported theme, for docs/gallery.rst.

Run from the repository root (needs Playwright and a Chromium, see tests/browser.py)::

    python docs/_scripts/gallery.py                  # writes docs/_static/gallery/*.png
    python docs/_scripts/gallery.py --out /tmp/shots

The seed page (tests/roots/test-seed) is built once per theme with the search box on
(``:search:``, ``:facets: year type``), served from 127.0.0.1 with every request
leaving it answered empty, and opened in headless Chromium at 1280 x 900: light in
every theme, dark in the themes that have a dark mode, and at 375 px wide in furo.
The first entry's abstract is opened, and the shot is the top of the page: the search
box, the first year group and that entry with its "N more authors".
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from browser import (  # noqa: E402
    DARK_THEMES,
    LAUNCH_ARGS,
    SEED,
    THEMES,
    require_chromium,
    serve,
    stub_external,
)

DIRECTIVE = ".. publications:: publications.bib"
SEARCH = DIRECTIVE + "\n   :search:\n   :facets: year type"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}
PHONE_THEME = "furo"


def build(theme: str, src: Path, out: Path) -> None:
    src.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SEED / "publications.bib", src / "publications.bib")
    index = (SEED / "index.rst").read_text(encoding="utf-8")
    assert DIRECTIVE in index, "the seed page changed: update gallery.py"
    (src / "index.rst").write_text(index.replace(DIRECTIVE, SEARCH), encoding="utf-8")
    conf = (SEED / "conf.py").read_text(encoding="utf-8") + f"\nhtml_theme = {theme!r}\n"
    (src / "conf.py").write_text(conf, encoding="utf-8")
    command = [sys.executable, "-m", "sphinx", "-q", "-E", "-b", "html", str(src), str(out)]
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"build of the {theme} page failed:\n{proc.stderr[-2000:]}")


def go_dark(page: Any, theme: str) -> None:
    """pydata-sphinx-theme picks its mode from prefers-color-scheme on a first visit,
    but may not have yet: force it (as tests/test_browser.py does)."""
    if theme == "pydata_sphinx_theme":
        page.evaluate(
            "() => { const h = document.documentElement;"
            " if (h.dataset.theme !== 'dark') { h.dataset.mode = 'dark';"
            " h.dataset.theme = 'dark'; } }"
        )


def shoot(browser: Any, url: str, path: Path, theme: str, scheme: str, viewport: dict) -> None:
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    stub_external(context)
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_selector(".pubs-search-input")
    if scheme == "dark":
        go_dark(page, theme)
    entry = page.locator("li.pub:has(.pub-more-authors):has(details.pub-toggle)").first
    entry.locator("details.pub-toggle > summary").click()
    page.mouse.move(0, 0)  # no hover effect on the summary
    page.evaluate("window.scrollTo(0, 0)")
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(300)  # the marker's turn (a 0.15 s transition)
    page.screenshot(path=str(path))
    context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "_static" / "gallery")
    parser.add_argument("--themes", nargs="*", default=THEMES)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        sites = Path(tmp)
        for theme in args.themes:
            build(theme, sites / "src" / theme, sites / theme)
        with serve(sites) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(require_chromium()), args=LAUNCH_ARGS
            )
            for theme in args.themes:
                url = f"{base}/{theme}/index.html"
                name = theme.replace("_", "-")
                shots = [("light", DESKTOP, f"{name}-light.png")]
                if theme in DARK_THEMES:
                    shots.append(("dark", DESKTOP, f"{name}-dark.png"))
                if theme == PHONE_THEME:
                    shots.append(("light", PHONE, f"{name}-phone.png"))
                for scheme, viewport, filename in shots:
                    path = args.out / filename
                    shoot(browser, url, path, theme, scheme, viewport)
                    print(f"{path}  {path.stat().st_size / 1024:.0f} KiB", flush=True)
            browser.close()


if __name__ == "__main__":
    main()
