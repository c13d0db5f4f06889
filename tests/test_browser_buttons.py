"""The BibTeX toggle and link buttons in headless Chromium."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import serve, stub_external

sync_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).parent / "roots" / "test-alfolio"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from sphinx.cmd.build import build_main

    src = tmp_path_factory.mktemp("alfolio") / "src"
    shutil.copytree(ROOT, src)
    out = src.parent / "html"
    assert build_main(["-q", "-b", "html", str(src), str(out)]) == 0
    with serve(out) as url:
        yield url


def test_bibtex_toggle_opens_and_copies(chromium: Any, site: str) -> None:
    context = chromium.new_context(permissions=["clipboard-read", "clipboard-write"])
    stub_external(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site}/index.html")
    entry = page.locator("#pub-einstein1905movement")
    toggle = entry.locator("details.pub-bibtex")
    text = toggle.locator("pre.pub-bibtex-text")
    assert not text.is_visible()
    # keyboard: focus the summary, Enter opens it
    toggle.locator("summary").focus()
    page.keyboard.press("Enter")
    assert text.is_visible()
    shown = text.inner_text()
    assert shown.startswith("@article{einstein1905movement,")
    assert "doi = {10.1002/andp.19053220806}" in shown and "pdf =" not in shown
    # the script shows the copy button (localhost is a secure context)
    copy = toggle.locator("button.pub-copy")
    assert copy.is_visible()
    copy.click()
    sync_api.expect(copy).to_have_text(re.compile("^✓"))
    assert page.evaluate("navigator.clipboard.readText()") == shown
    # and a mouse click closes it again
    toggle.locator("summary").click()
    assert not text.is_visible()
    assert errors == []
    context.close()


def test_link_buttons_are_links(chromium: Any, site: str) -> None:
    context = chromium.new_context()
    stub_external(context)
    page = context.new_page()
    page.goto(f"{site}/index.html")
    doi = page.locator("#pub-PhysRev-47-777 a.pub-button-doi")
    assert doi.is_visible() and doi.inner_text().strip().upper() == "DOI"
    assert doi.get_attribute("href") == "https://doi.org/10.1103/PhysRev.47.777"
    pdf = page.locator("#pub-einstein1905movement a.pub-button-pdf")
    response = page.request.get(f"{site}/{pdf.get_attribute('href')}")
    assert response.ok and response.body().startswith(b"%PDF")
    context.close()


def test_bibtex_without_javascript(chromium: Any, site: str) -> None:
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/index.html")
    toggle = page.locator("#pub-einstein1905movement details.pub-bibtex")
    toggle.locator("summary").click()
    assert toggle.locator("pre.pub-bibtex-text").is_visible()
    assert not toggle.locator("button.pub-copy").is_visible()
    context.close()
