"""The seed page in headless Chromium: abstracts, "N more authors", keyboard, no
JavaScript, and the stylesheet under five themes (markers, contrast, phone width).

One site per theme is built once per module and served from 127.0.0.1; one browser
is shared.  Set ``PUBS_SHOTS=/some/dir`` to also save screenshots of every theme
(they are looked at, not compared).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from browser import (
    DARK_THEMES,
    SEED,
    THEMES,
    OpenPage,
    build_seed,
    contrast_of,
)

try:
    from playwright import sync_api
except ImportError:  # like a missing browser: a skip, but a failure in CI
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)
expect = sync_api.expect

pytestmark = [
    pytest.mark.browser,
    # sphinx-book-theme 1.4 uses an API Sphinx 9 deprecates; not ours to fix
    pytest.mark.filterwarnings("ignore:'sphinx_book_theme:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:'sphinx_book_theme:PendingDeprecationWarning"),
]

KUMAR = "pub-kumar2024training"
MIN_CONTRAST = 4.5  # WCAG AA, normal text
_NAME_SEPARATOR = re.compile(r",\s+and\s+|,\s+|\s+and\s+")


# --- fixtures --------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_url(sites: Path, server: str) -> str:
    build_seed(sites / "src" / "seed", sites / "seed")
    return f"{server}/seed/index.html"


@pytest.fixture(scope="module", params=THEMES)
def theme_url(request: pytest.FixtureRequest, sites: Path, server: str) -> tuple[str, str]:
    theme = request.param
    build_seed(sites / "src" / theme, sites / theme, theme)
    return theme, f"{server}/{theme}/index.html"


@pytest.fixture(scope="module")
def author_counts() -> dict[str, int]:
    """Number of authors of every entry, read from the .bib by pybtex."""
    from pybtex.database import parse_file

    bib = parse_file(str(SEED / "publications.bib"))
    return {f"pub-{key}": len(e.persons.get("author", [])) for key, e in bib.entries.items()}


# --- helpers ---------------------------------------------------------------------

# Everything the author tests look at in one round trip.
AUTHORS_STATE_JS = """
(li) => {
  const short = li.querySelector(":scope > .pub-authors");
  const full = li.querySelector(":scope > .pub-authors-all");
  const fewer = full.querySelector(".pub-fewer-authors");
  const names = full.textContent.replace(fewer.textContent, "").replace(/\\s+/g, " ").trim();
  const active = document.activeElement;
  return {
    short: short.checkVisibility(),
    full: full.checkVisibility(),
    names: names,
    aria: [...li.querySelectorAll(".pub-more-authors, .pub-fewer-authors")]
      .map((c) => c.getAttribute("aria-expanded")),
    url: location.href,
    focus: active && li.contains(active) ? active.className : null,
  };
}
"""


def count_names(text: str) -> int:
    return len(_NAME_SEPARATOR.split(text))


def authors_state(entry: Any) -> dict[str, Any]:
    return entry.evaluate(AUTHORS_STATE_JS)


def assert_collapsed(state: dict[str, Any], key: str) -> None:
    assert state["short"] and not state["full"], (key, state)


def assert_expanded(state: dict[str, Any], key: str, expected_names: int) -> None:
    assert state["full"] and not state["short"], (key, state)
    assert count_names(state["names"]) == expected_names, (key, state["names"])


def entries_with_more(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "li.pub:has(> .pub-authors .pub-more-authors)", "els => els.map((e) => e.id)"
    )


# --- the seed page with the default theme ------------------------------------------


def test_page_loads_without_errors(open_page: OpenPage, seed_url: str) -> None:
    page, log = open_page(seed_url)
    page.wait_for_load_state("load")
    assert log.errors == []
    assert log.failed == []
    assert log.status_of("/_static/sphinx-pubs.css") == [200]
    assert log.status_of("/_static/sphinx-pubs.js") == [200]
    # both did their work: the stylesheet hides the full author lists, the script
    # announced itself
    assert page.locator("li.pub").count() == 79
    assert page.locator(".pub-authors-all").first.is_hidden()
    assert page.evaluate("document.documentElement.classList.contains('pubs-js')")


def test_every_abstract_opens_and_closes_by_click(open_page: OpenPage, seed_url: str) -> None:
    page, _ = open_page(seed_url)
    abstracts = page.locator("li.pub details.pub-abstract")
    assert abstracts.count() == 78
    assert page.eval_on_selector_all("details.pub-abstract", "ds => ds.filter((d) => d.open)") == []
    for i in range(abstracts.count()):
        details = abstracts.nth(i)
        summary = details.locator(":scope > summary")
        body = details.locator(":scope > .pub-toggle-body")
        assert not body.is_visible(), i
        assert summary.inner_text().strip().lower() == "abstract"
        summary.click()
        expect(body).to_be_visible()
        assert body.is_visible(), i
        assert details.evaluate("d => d.open")
        summary.click()
        expect(body).to_be_hidden()
        assert not details.evaluate("d => d.open")


def test_abstract_from_the_keyboard(open_page: OpenPage, seed_url: str) -> None:
    page, _ = open_page(seed_url)
    entry = page.locator(f"#{KUMAR}")
    summary = entry.locator("summary")
    body = entry.locator(".pub-toggle-body")
    # the hidden "show fewer" is skipped: Tab goes from "15 more authors" to the summary
    entry.locator(".pub-more-authors").focus()
    page.keyboard.press("Tab")
    assert summary.evaluate("s => document.activeElement === s")
    ring = summary.evaluate(
        "s => { const c = getComputedStyle(s); return [c.outlineStyle, c.outlineWidth]; }"
    )
    assert ring[0] != "none" and ring[1] != "0px", ring
    page.keyboard.press("Enter")
    expect(body).to_be_visible()
    page.keyboard.press("Space")
    expect(body).to_be_hidden()
    page.keyboard.press("Space")
    expect(body).to_be_visible()
    # Shift+Tab goes back to the authors control, which has a focus ring too
    page.keyboard.press("Shift+Tab")
    more = entry.locator(".pub-more-authors")
    assert more.evaluate("a => document.activeElement === a")
    assert more.evaluate("a => getComputedStyle(a).outlineStyle") != "none"


def test_more_authors_by_click(
    open_page: OpenPage, seed_url: str, author_counts: dict[str, int]
) -> None:
    page, _ = open_page(seed_url)
    url = page.url
    keys = entries_with_more(page)
    assert len(keys) == 67
    assert author_counts[KUMAR] == 18
    for key in keys:
        expected = author_counts[key]
        assert expected > 3, key
        entry = page.locator(f"#{key}")
        more = entry.locator(".pub-more-authors")
        hidden = expected - 3
        assert more.inner_text() == f"{hidden} more author{'s' if hidden > 1 else ''}"
        state = authors_state(entry)
        assert_collapsed(state, key)
        assert state["aria"][0] == "false", key  # "more"; the hidden "fewer" says true

        more.click()
        state = authors_state(entry)
        assert_expanded(state, key, expected)
        assert state["aria"] == ["true", "true"], key
        assert state["url"] == url
        assert state["focus"] == "pub-fewer-authors", key

        entry.locator(".pub-fewer-authors").click()
        state = authors_state(entry)
        assert_collapsed(state, key)
        assert state["aria"] == ["false", "false"], key
        assert state["url"] == url
        assert state["focus"] == "pub-more-authors", key
    # the one from the brief, checked with Playwright's own visibility
    entry = page.locator(f"#{KUMAR}")
    entry.locator(".pub-more-authors").click()
    expect(entry.locator(".pub-authors-all")).to_be_visible()
    expect(entry.locator(".pub-authors")).to_be_hidden()
    expect(entry.locator(".pub-more-authors")).to_have_attribute("aria-expanded", "true")
    assert page.url == url


def test_more_authors_from_the_keyboard(
    open_page: OpenPage, seed_url: str, author_counts: dict[str, int]
) -> None:
    page, _ = open_page(seed_url)
    url = page.url
    # Space on a control must not also scroll the page: record, after the page's
    # own handlers ran, whether they cancelled the default action.
    page.evaluate(
        "() => { window.spaces = []; window.addEventListener('keydown', (e) => {"
        " if (e.key === ' ') window.spaces.push(e.defaultPrevented); }); }"
    )
    keys = entries_with_more(page)
    for key in keys:
        expected = author_counts[key]
        entry = page.locator(f"#{key}")
        entry.locator(".pub-more-authors").focus()
        # Enter on "more", Space on "fewer", Space on "more", Enter on "fewer":
        # focus follows the visible control, so each key acts on the right one
        for press, expanded in (
            ("Enter", True),
            ("Space", False),
            ("Space", True),
            ("Enter", False),
        ):
            page.keyboard.press(press)
            state = authors_state(entry)
            if expanded:
                assert_expanded(state, key, expected)
                assert state["aria"] == ["true", "true"], (key, press)
                assert state["focus"] == "pub-fewer-authors", (key, press)
            else:
                assert_collapsed(state, key)
                assert state["aria"] == ["false", "false"], (key, press)
                assert state["focus"] == "pub-more-authors", (key, press)
            assert state["url"] == url
    spaces = page.evaluate("window.spaces")
    assert len(spaces) == 2 * len(keys) and all(spaces), spaces


def test_opened_at_the_authors_fragment_with_script(
    open_page: OpenPage, seed_url: str, author_counts: dict[str, int]
) -> None:
    """A shared link to a full list opens it; "show fewer" then still hides it."""
    page, _ = open_page(f"{seed_url}#{KUMAR}-authors")
    entry = page.locator(f"#{KUMAR}")
    expect(entry).to_have_class(re.compile(r"\bpub-authors-expanded\b"))
    assert_expanded(authors_state(entry), KUMAR, author_counts[KUMAR])
    expect(entry.locator(".pub-more-authors")).to_have_attribute("aria-expanded", "true")
    entry.locator(".pub-fewer-authors").click()
    assert_collapsed(authors_state(entry), KUMAR)
    # a link followed later (hashchange) expands too
    other = entries_with_more(page)[0]
    page.evaluate("key => { location.hash = key + '-authors'; }", other)
    expect(page.locator(f"#{other}")).to_have_class(re.compile(r"\bpub-authors-expanded\b"))


def test_without_javascript(
    open_page: OpenPage, seed_url: str, author_counts: dict[str, int]
) -> None:
    page, log = open_page(seed_url, java_script_enabled=False)
    assert not page.evaluate("document.documentElement.classList.contains('pubs-js')")
    assert log.failed == []

    # abstracts: plain <details>, the same for every entry (all 78 are clicked in
    # test_every_abstract_opens_and_closes_by_click), so a spread sample here
    abstracts = page.locator("li.pub details.pub-abstract")
    count = abstracts.count()
    assert count == 78
    for i in sorted({*range(0, count, 8), 5, count - 1}):
        summary = abstracts.nth(i).locator(":scope > summary")
        body = abstracts.nth(i).locator(":scope > .pub-toggle-body")
        assert not body.is_visible(), i
        summary.click()
        expect(body).to_be_visible()
        summary.click()
        expect(body).to_be_hidden()

    # authors: the link makes the full list the :target; "show fewer" targets the entry
    base = page.url.split("#")[0]
    for key in entries_with_more(page):
        entry = page.locator(f"#{key}")
        assert_collapsed(authors_state(entry), key)
        entry.locator(".pub-more-authors").click()
        state = authors_state(entry)
        assert state["url"] == f"{base}#{key}-authors"
        assert_expanded(state, key, author_counts[key])
        entry.locator(".pub-fewer-authors").click()
        state = authors_state(entry)
        assert state["url"] == f"{base}#{key}"
        assert_collapsed(state, key)
        # without the script nothing rewrites aria-expanded: each control keeps the
        # state it announces (it is only visible in that state)
        assert state["aria"] == ["false", "true"], key


# --- the stylesheet under each theme ----------------------------------------------

MARKERS_JS = """
() => [...document.querySelectorAll("li.pub, li.pub summary")].filter((el) => {
  const style = getComputedStyle(el);
  const marker = getComputedStyle(el, "::marker").content;
  const listItem = style.display === "list-item"
    && (style.listStyleType !== "none" || style.listStyleImage !== "none");
  return listItem || !["normal", "none", '""'].includes(marker);
}).map((el) => el.id || el.className)
"""

# Open everything, then list what of the entries sticks out of the list's box (the
# theme's own headings may: furo gives them negative margins).
OVERFLOW_JS = """
() => {
  document.querySelectorAll(".pubs details").forEach((d) => { d.open = true; });
  document.querySelectorAll("li.pub").forEach((li) => li.classList.add("pub-authors-expanded"));
  const out = [];
  for (const pubs of document.querySelectorAll(".pubs")) {
    const right = Math.min(pubs.getBoundingClientRect().right, window.innerWidth);
    for (const el of pubs.querySelectorAll("li.pub, li.pub *")) {
      const box = el.getBoundingClientRect();
      if (box.width && box.right > right + 1) {
        out.push(`${el.closest("li.pub").id} ${el.tagName}.${el.className} ${box.right}`);
      }
    }
  }
  return out;
}
"""


def _go_dark(page: Any, theme: str) -> None:
    if theme == "pydata_sphinx_theme":
        # the theme picks the mode from prefers-color-scheme; force it if it did not
        page.evaluate(
            "() => { const h = document.documentElement;"
            " if (h.dataset.theme !== 'dark') { h.dataset.mode = 'dark';"
            " h.dataset.theme = 'dark'; } }"
        )


def test_theme(open_page: OpenPage, theme_url: tuple[str, str]) -> None:
    theme, url = theme_url
    shots = os.environ.get("PUBS_SHOTS")
    for scheme in ("light", "dark") if theme in DARK_THEMES else ("light",):
        page, log = open_page(url, color_scheme=scheme)
        assert log.status_of("/_static/sphinx-pubs.css") == [200], theme
        assert log.status_of("/_static/sphinx-pubs.js") == [200], theme
        # console errors of the themes themselves are not ours (pydata-sphinx-theme
        # logs "Got invalid theme mode" on a first visit); exceptions would be
        assert [e for e in log.errors if e.startswith("pageerror")] == [], theme
        assert log.failed == [], theme
        if scheme == "dark":
            _go_dark(page, theme)
            page_bg = contrast_of(page.locator("body"))[1]["background"]
            assert max(page_bg) < 100, (theme, "not dark", page_bg)

        assert page.evaluate(MARKERS_JS) == [], (theme, scheme)

        entry = page.locator(f"#{KUMAR}")
        summary = entry.locator("summary")
        body = entry.locator(".pub-toggle-body")
        expect(summary).to_be_visible()
        summary.click()  # Playwright checks that nothing covers it
        expect(body).to_be_visible()
        entry.locator(".pub-more-authors").click()
        expect(entry.locator(".pub-authors-all")).to_be_visible()

        for what, locator in (
            ("abstract", body.locator("p").first),
            ("summary", summary),
            ("authors", entry.locator(".pub-authors-all")),
        ):
            ratio, colours = contrast_of(locator)
            assert ratio >= MIN_CONTRAST, (theme, scheme, what, round(ratio, 2), colours)

        summary.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        assert summary.evaluate("s => document.activeElement === s")
        assert summary.evaluate("s => getComputedStyle(s).outlineStyle") != "none", theme

        if shots:
            _screenshots(page, Path(shots), f"{theme}-{scheme}-desktop")

        page.set_viewport_size({"width": 375, "height": 800})
        assert page.evaluate(OVERFLOW_JS) == [], (theme, scheme)
        if shots:
            _screenshots(page, Path(shots), f"{theme}-{scheme}-phone")


def _screenshots(page: Any, folder: Path, stem: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(folder / f"{stem}-top.png"))
    page.evaluate(f"document.getElementById({KUMAR!r}).scrollIntoView({{block: 'center'}})")
    page.screenshot(path=str(folder / f"{stem}-entry.png"))
