"""Screenshots of publication lists in each supported theme, for docs/gallery.rst.

Run from the repository root (needs Playwright and a Chromium, see tests/browser.py)::

    python docs/_scripts/gallery.py                  # writes docs/_static/gallery/*.png
    python docs/_scripts/gallery.py --out /tmp/shots

Two pages are built per theme and served from 127.0.0.1 (every request leaving it is
answered empty), then opened in headless Chromium at 1280 x 900: light in every
theme, dark in the themes that have a dark mode, and at 375 px wide (the phone) in
furo and sphinx_rtd_theme.

- ``<theme>-cards-<mode>.png``: made-up entries (docs/_scripts/gallery-cards/) with
  venue badges (two venue colours and the theme's accent), thumbnails, every kind of
  button, an award, a long author list cut with the site's owner kept in sight; the
  first entry's abstract is opened.
- ``<theme>-<mode>.png``: the seed page (tests/roots/test-seed) with the search box
  (``:search:``, ``:facets: year type``); the first entry's abstract is opened.

Each shot is cropped to the list (at most 1000 px wide, the seed page's at most 760
px high) and, where ``pngquant`` and ``optipng`` are installed, made smaller.
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
PHONE_THEMES = ("furo", "sphinx_rtd_theme")
CARDS = Path(__file__).resolve().parent / "gallery-cards"
CARDS_INDEX = "Publications\n============\n\n.. publications:: gallery.bib\n"
MAX_WIDTH = 1000
SEED_HEIGHT = 760


def build(theme: str, src: Path, out: Path) -> None:
    src.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SEED / "publications.bib", src / "publications.bib")
    index = (SEED / "index.rst").read_text(encoding="utf-8")
    assert DIRECTIVE in index, "the seed page changed: update gallery.py"
    (src / "index.rst").write_text(index.replace(DIRECTIVE, SEARCH), encoding="utf-8")
    conf = (SEED / "conf.py").read_text(encoding="utf-8") + f"\nhtml_theme = {theme!r}\n"
    (src / "conf.py").write_text(conf, encoding="utf-8")
    run_sphinx(theme, src, out)


def build_cards(theme: str, src: Path, out: Path) -> None:
    shutil.copytree(CARDS, src)
    # written here, so that the docs build does not take it for a page of its own
    (src / "index.rst").write_text(CARDS_INDEX, encoding="utf-8")
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"\nhtml_theme = {theme!r}\n")
    run_sphinx(theme, src, out)


def run_sphinx(theme: str, src: Path, out: Path) -> None:
    command = [sys.executable, "-m", "sphinx", "-q", "-E", "-b", "html", str(src), str(out)]
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or "WARNING" in proc.stderr:
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
    cards = "cards" in path.name
    if not cards:
        page.wait_for_selector(".pubs-search-input")
    if scheme == "dark":
        go_dark(page, theme)
    # thumbnails further down load now, not when scrolled to
    page.evaluate(
        "() => Promise.all(Array.from(document.images, (img) => {"
        " img.loading = 'eager'; return img.decode().catch(() => null); }))"
    )
    if cards:
        entry = page.locator("li.pub:has(.pub-more-authors):has(details.pub-abstract)").first
        entry.locator("details.pub-abstract > summary").click()
    else:
        entry = page.locator("li.pub:has(.pub-more-authors):has(details.pub-toggle)").first
        entry.locator("details.pub-toggle > summary").click()
    page.mouse.move(0, 0)  # no hover effect on the summary
    page.evaluate("window.scrollTo(0, 0)")
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(300)  # the marker's turn (a 0.15 s transition)
    box = page.locator(".pubs").first.bounding_box()
    pad = 8  # a margin around the list, for focus rings and shadows
    clip = {
        "x": max(box["x"] - pad, 0),
        "y": max(box["y"] - pad, 0),
        "width": min(box["width"] + 2 * pad, MAX_WIDTH),
        "height": box["height"] + 2 * pad if cards else min(box["height"], SEED_HEIGHT),
    }
    page.screenshot(path=str(path), clip=clip, full_page=True)
    context.close()
    optimise(path)


def optimise(path: Path) -> None:
    """Fewer colours (pngquant) and better compression (optipng), where installed."""
    if shutil.which("pngquant"):
        subprocess.run(
            [
                "pngquant",
                "--force",
                "--skip-if-larger",
                "--quality",
                "70-95",
                "--output",
                str(path),
                str(path),
            ],
            check=False,
        )
    if shutil.which("optipng"):
        subprocess.run(["optipng", "-quiet", "-o2", str(path)], check=False)


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
            build_cards(theme, sites / "src" / f"{theme}-cards", sites / f"{theme}-cards")
        with serve(sites) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(require_chromium()), args=LAUNCH_ARGS
            )
            for theme in args.themes:
                name = theme.replace("_", "-")
                schemes = ["light", "dark"] if theme in DARK_THEMES else ["light"]
                shots = []
                for site, stem in ((f"{theme}-cards", f"{name}-cards"), (theme, name)):
                    url = f"{base}/{site}/index.html"
                    shots += [(url, s, DESKTOP, f"{stem}-{s}.png") for s in schemes]
                    if theme in PHONE_THEMES:
                        shots.append((url, "light", PHONE, f"{stem}-phone.png"))
                for url, scheme, viewport, filename in shots:
                    path = args.out / filename
                    shoot(browser, url, path, theme, scheme, viewport)
                    print(f"{path}  {path.stat().st_size / 1024:.0f} KiB", flush=True)
            browser.close()


if __name__ == "__main__":
    main()
