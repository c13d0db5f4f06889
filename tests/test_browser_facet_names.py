"""The search box's facets with entry types named like the members every JavaScript
object inherits (``constructor``, ``__proto__`` ...), in headless Chromium: the
script keeps facet values in Sets and Maps, so such names are values like any other.
Found by this suite: the buttons of ``constructor`` and ``__proto__`` were pressed on
load, and pressing ``__proto__`` filtered nothing."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import OpenPage

try:
    from playwright import sync_api
except ImportError:  # like a missing browser: a skip, but a failure in CI
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)
expect = sync_api.expect

pytestmark = [pytest.mark.browser]

#: entry types that are names of Object.prototype's members (the .bib reader lowers
#: the case: "toString" and "hasOwnProperty" are there as their own words too)
TYPES = ["constructor", "__proto__", "tostring", "hasownproperty", "valueof", "article"]


def _bib() -> str:
    entries = []
    for number, kind in enumerate(TYPES):
        entries.append(
            f"@{kind}{{e{number}, title = {{Entry {number}}}, author = {{Doe, Jane}}, "
            f"year = {{{2000 + number % 2}}}}}"
        )
    # a second entry of the first two types, so that a filter has more than one to keep
    entries.append("@constructor{x1, title = {Another}, year = {2001}}")
    entries.append("@__proto__{x2, title = {Yet another}, year = {2000}}")
    return "\n".join(entries) + "\n"


@pytest.fixture(scope="module")
def page_url(sites: Path, server: str) -> str:
    from sphinx.cmd.build import build_main

    src = sites / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx_pubs"]\n', encoding="utf-8")
    (src / "refs.bib").write_text(_bib(), encoding="utf-8")
    (src / "index.rst").write_text(
        "Facets\n======\n\n.. publications:: refs.bib\n   :group-by: type\n"
        "   :search: on\n   :facets: year, type\n",
        encoding="utf-8",
    )
    assert build_main(["-q", "-b", "html", str(src), str(sites / "out")]) == 0
    return f"{server}/out/index.html"


def _shown(page) -> set[str]:
    return set(page.locator("li.pub:visible").evaluate_all("els => els.map((e) => e.id)"))


def _types(page) -> dict[str, str]:
    """Each entry's id -> its type, from the page's classes."""
    return page.locator("li.pub").evaluate_all(
        "els => Object.fromEntries(els.map((e) => [e.id, "
        "/(?:^|\\s)pub-type-(\\S+)/.exec(e.className)[1]]))"
    )


def test_inherited_member_names_are_plain_values(open_page: OpenPage, page_url: str) -> None:
    page, log = open_page(page_url)
    buttons = page.locator(".pubs-facets-type button.pubs-facet")
    values = buttons.evaluate_all("bs => bs.map((b) => b.dataset.value)")
    assert sorted(values) == sorted(TYPES), values
    # nothing is pressed until the reader presses it, and the labels are words
    pressed = page.locator("button.pubs-facet").evaluate_all(
        "bs => bs.map((b) => b.getAttribute('aria-pressed'))"
    )
    assert set(pressed) == {"false"}, pressed
    labels = buttons.all_inner_texts()
    assert not any("function" in label or "native code" in label for label in labels), labels
    everyone = _types(page)
    assert _shown(page) == set(everyone)

    for kind in TYPES:
        button = page.locator(f".pubs-facets-type button[data-value='{kind}']")
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
        wanted = {key for key, value in everyone.items() if value == kind}
        assert wanted, kind
        assert _shown(page) == wanted, kind
        assert parse_qs(urlsplit(page.url).query) == {"type": [kind]}
        # a reload (the address) gives the same view
        page.reload()
        button = page.locator(f".pubs-facets-type button[data-value='{kind}']")
        expect(button).to_have_attribute("aria-pressed", "true")
        assert _shown(page) == wanted, kind
        others = page.locator(".pubs-facets-type button[aria-pressed='true']")
        assert others.count() == 1, kind
        button.click()
        expect(button).to_have_attribute("aria-pressed", "false")
        assert _shown(page) == set(everyone), kind

    # two of them together: either type
    page.locator(".pubs-facets-type button[data-value='constructor']").click()
    page.locator(".pubs-facets-type button[data-value='__proto__']").click()
    wanted = {key for key, value in everyone.items() if value in ("constructor", "__proto__")}
    assert _shown(page) == wanted
    # and a year with them
    page.locator(".pubs-facets-year button[data-value='2001']").click()
    years = page.locator("li.pub").evaluate_all(
        "els => Object.fromEntries(els.map((e) => [e.id, e.dataset.year]))"
    )
    assert _shown(page) == {key for key in wanted if years[key] == "2001"}
    assert [e for e in log.errors if "favicon" not in e] == []
