"""Helpers for the browser tests: build a site, serve it, drive headless Chromium.

Playwright's own browser download does not work everywhere, so the tests use the
system Chromium.  Without it they skip, except in CI (``CI=true``), where a missing
browser is a failure.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("PUBS_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SEED = Path(__file__).parent / "roots" / "test-seed"
THEMES = [
    "alabaster",
    "sphinx_rtd_theme",
    "furo",
    "pydata_sphinx_theme",
    "sphinx_book_theme",
]
#: Themes that follow ``prefers-color-scheme`` and have a dark mode.
DARK_THEMES = {"furo", "pydata_sphinx_theme"}
HOST = "127.0.0.1"


def require_chromium() -> Path:
    """The Chromium executable, or skip (fail in CI) when there is none."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    message = f"no Chromium at {CHROMIUM}"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (a missing browser is a failure in CI)")
    pytest.skip(message)


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=str(require_chromium()), args=LAUNCH_ARGS)


def build_seed(srcdir: Path, outdir: Path, theme: str | None = None) -> Path:
    """Build the seed page (optionally with *theme*) from a copy in *srcdir*."""
    from sphinx.cmd.build import build_main

    srcdir.mkdir(parents=True, exist_ok=True)
    for name in ("index.rst", "publications.bib"):
        shutil.copyfile(SEED / name, srcdir / name)
    conf = (SEED / "conf.py").read_text(encoding="utf-8")
    if theme is not None:
        conf += f"\nhtml_theme = {theme!r}\n"
    (srcdir / "conf.py").write_text(conf, encoding="utf-8")
    status = build_main(["-q", "-b", "html", str(srcdir), str(outdir)])
    assert status == 0, f"Sphinx build of {srcdir} failed"
    assert (outdir / "index.html").is_file()
    return outdir


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # a browser that closes a connection early (a favicon it stopped waiting
        # for) is no error of the page's
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve *directory* on a free port of 127.0.0.1; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _QuietServer((HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def stub_external(context: Any) -> list[str]:
    """Answer requests that leave 127.0.0.1 with an empty body (e.g. MathJax from
    a CDN), so the tests need no network; returns the list of stubbed URLs."""
    stubbed: list[str] = []

    def handle(route: Any) -> None:
        url = route.request.url
        if url.startswith(f"http://{HOST}:") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            stubbed.append(url)
            route.fulfill(status=200, body="", content_type="text/plain")

    context.route("**/*", handle)
    return stubbed


class PageLog:
    """Console errors, uncaught exceptions, failed requests and responses of a page."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.responses: dict[str, int] = {}
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def _failed(self, request: Any) -> None:
        self.failed.append(f"{request.url}: {request.failure}")

    def _response(self, response: Any) -> None:
        self.responses[response.url] = response.status
        if response.status >= 400:
            self.failed.append(f"{response.url}: HTTP {response.status}")

    def status_of(self, path_part: str) -> list[int]:
        return [s for url, s in self.responses.items() if path_part in url.split("?")[0]]


#: open_page(url, **context options) -> (page, log)
OpenPage = Callable[..., tuple[Any, PageLog]]


# Fixtures of every browser test module (registered by tests/conftest.py).
@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the sites one test module builds."""
    return tmp_path_factory.mktemp("sites")


@pytest.fixture(scope="module")
def server(sites: Path) -> Iterator[str]:
    """The base URL at which :func:`sites` is served."""
    with serve(sites) as base:
        yield base


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """The system Chromium, headless, for one test module."""
    from playwright import sync_api

    require_chromium()
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def open_page(chromium: Any) -> Iterator[OpenPage]:
    """open_page(url, **context options) -> (page, log), at 1280 by 900 pixels unless
    told otherwise, with requests that leave the machine stubbed; the contexts close
    at teardown."""
    contexts: list[Any] = []

    def open_(url: str, **options: Any) -> tuple[Any, PageLog]:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = chromium.new_context(**options)
        contexts.append(context)
        stub_external(context)
        page = context.new_page()
        page.set_default_timeout(5000)
        log = PageLog(page)
        page.goto(url)
        return page, log

    yield open_
    for context in contexts:
        context.close()


# Colours in the page, read through a canvas so that any CSS colour syntax the
# theme uses (rgb, hex, color-mix, oklch...) comes back as sRGB bytes.
COLOUR_JS = """
(el) => {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  const rgba = (css) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = "rgba(0, 0, 0, 0)";
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2], d[3] / 255];
  };
  const over = (top, below) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + below[i] * (1 - a)).concat([1]);
  };
  // Composite the backgrounds from the canvas (white) down to the element.
  const chain = [];
  for (let node = el; node; node = node.parentElement) {
    chain.push(rgba(getComputedStyle(node).backgroundColor));
  }
  let background = [255, 255, 255, 1];
  for (const layer of chain.reverse()) {
    background = over(layer, background);
  }
  const text = over(rgba(getComputedStyle(el).color), background);
  return {text: text.slice(0, 3), background: background.slice(0, 3)};
}
"""


def _luminance(rgb: list[float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: list[float], second: list[float]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours (0-255 channels)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def contrast_of(locator: Any) -> tuple[float, dict[str, list[float]]]:
    colours = locator.evaluate(COLOUR_JS)
    return contrast_ratio(colours["text"], colours["background"]), colours
