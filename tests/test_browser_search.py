"""The search box, the toggles' accessibility and the print stylesheet in headless
Chromium, under each of the five themes.

Each theme gets one site, built once per module and served from 127.0.0.1:

- ``index.html``: the seed list (79 entries) with the search box and the year and
  type facets (``pubs_search``, ``pubs_search_facets``) and BibTeX toggles;
- ``extra.html``: two searchable lists on one page, a small one with accented
  names, link buttons, a badge, an award and a title link, then the seed list
  again (its address parameters are ``search2``, ``year2`` ...).

What the search should show is worked out here from the entries' own text, folded
by this file's :func:`fold` (not the script's).
"""

from __future__ import annotations

import os
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import (
    COLOUR_JS,
    DARK_THEMES,
    SEED,
    THEMES,
    OpenPage,
    PageLog,
    contrast_of,
    contrast_ratio,
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

TOTAL = 79
MIN_CONTRAST = 4.5  # WCAG AA, normal text
MIN_NON_TEXT = 3.0  # WCAG 1.4.11, a focus indicator against what is around it

EXTRA_BIB = r"""
@article{muller2024uber,
  title    = {{\"U}ber die Sch{\"a}tzung gro{\ss}er Modelle},
  author   = {M{\"u}ller, J{\"o}rg and Garc{\'i}a, Luc{\'i}a and Dupont, Fran{\c{c}}ois
              and Nakamura, Ken and Brown, Alice},
  journal  = {Zeitschrift f{\"u}r Lernen},
  abbr     = {ZfL},
  year     = {2024},
  doi      = {10.1000/uber.2024},
  abstract = {Wir sch{\"a}tzen Modelle. The abstract names the {\'E}cole normale
              sup{\'e}rieure.},
  award    = {Best paper of the year.},
  award_name = {Best Paper},
  keywords = {estimation, sparse models},
}

@inproceedings{muller2023plain,
  title     = {Plain Names Without Accents},
  author    = {Muller, Jorg and Garcia, Lucia},
  booktitle = {Proceedings of the Workshop on Folding},
  year      = {2023},
  html      = {https://example.org/plain},
}

@article{soren2022,
  title   = {Caf{\'e} Tables and {\O}resund Bridges},
  author  = {S{\o}rensen, S{\o}ren and {\L}ukasiewicz, Jan},
  journal = {Journal of Other Letters},
  year    = {2022},
}
"""

EXTRA_RST = """\
:orphan:

Two lists
=========

.. publications:: extra.bib

The seed again
--------------

.. publications:: publications.bib
   :facets: year
"""

CONF = """
pubs_search = True
pubs_search_facets = ["year", "type"]
pubs_bibtex_show = True
pubs_title_link = "html"
pubs_venues = {"ZfL": {"color": "#7a1f1f", "url": "https://example.org/zfl"}}
html_theme = %r
"""


# --- fixtures --------------------------------------------------------------------


@dataclass
class Site:
    theme: str
    index: str  # the seed list
    extra: str  # two lists


def build_site(theme: str, sites: Path, server: str) -> Site:
    """The two pages in *theme*, built once per module (a theme's folder is reused)."""
    from sphinx.cmd.build import build_main

    if (sites / theme / "extra.html").is_file():
        return Site(theme, f"{server}/{theme}/index.html", f"{server}/{theme}/extra.html")
    src = sites / "src" / theme
    src.mkdir(parents=True)
    for name in ("index.rst", "publications.bib", "conf.py"):
        shutil.copyfile(SEED / name, src / name)
    with open(src / "conf.py", "a", encoding="utf-8") as conf:
        conf.write(CONF % theme)
    (src / "extra.bib").write_text(EXTRA_BIB, encoding="utf-8")
    (src / "extra.rst").write_text(EXTRA_RST, encoding="utf-8")
    assert build_main(["-q", "-b", "html", str(src), str(sites / theme)]) == 0
    return Site(theme, f"{server}/{theme}/index.html", f"{server}/{theme}/extra.html")


@pytest.fixture(scope="module", params=THEMES)
def site(request: pytest.FixtureRequest, sites: Path, server: str) -> Site:
    return build_site(request.param, sites, server)


@pytest.fixture(scope="module")
def one_site(sites: Path, server: str) -> Site:
    """One theme, for what the script does the same in every theme."""
    return build_site(THEMES[0], sites, server)


@pytest.fixture(scope="module")
def seed_years() -> dict[str, str]:
    """The year of every seed entry, read from the .bib by pybtex."""
    from pybtex.database import parse_file

    bib = parse_file(str(SEED / "publications.bib"))
    return {f"pub-{key}": entry.fields["year"] for key, entry in bib.entries.items()}


@pytest.fixture(scope="module")
def seed_types() -> dict[str, str]:
    from pybtex.database import parse_file

    bib = parse_file(str(SEED / "publications.bib"))
    return {f"pub-{key}": entry.type.lower() for key, entry in bib.entries.items()}


# --- helpers ---------------------------------------------------------------------

# Letters that do not decompose into a base letter and an accent (NFD), as the
# script folds them.
_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ı": "i"})
_PAIRS = {"æ": "ae", "œ": "oe", "þ": "th"}


def fold(text: str) -> str:
    """Lower case, without accents: what a search compares."""
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.translate(_LETTERS)
    for letter, pair in _PAIRS.items():
        text = text.replace(letter, pair)
    return " ".join(text.split())


# The searchable text of every entry of a list, read from the page before any
# search: title, badge, every author (not the "N more authors" and "show fewer"
# controls), annotation, venue, note, abstract, year and keywords.
ENTRY_TEXT_JS = """
(list) => {
  const out = {};
  for (const li of list.querySelectorAll("li.pub")) {
    const copy = li.cloneNode(true);
    copy.querySelectorAll(".pub-more-authors, .pub-fewer-authors").forEach((c) => c.remove());
    const authors = copy.querySelector(".pub-authors-all") || copy.querySelector(".pub-authors");
    const parts = [".pub-title", ".pub-abbr", ".pub-annotation", ".pub-venue", ".pub-note",
                   ".pub-abstract > .pub-toggle-body"]
      .map((s) => copy.querySelector(s)).concat([authors])
      .filter(Boolean).map((e) => e.textContent);
    parts.push(li.dataset.year || "", li.dataset.keywords || "");
    out[li.id] = parts.join(" ");
  }
  return out;
}
"""

STATE_JS = """
(list) => ({
  visible: [...list.querySelectorAll("li.pub")].filter((li) => li.checkVisibility())
    .map((li) => li.id),
  groups: [...list.querySelectorAll(".pubs-group")].map((g) => ({
    id: g.id,
    visible: g.checkVisibility(),
    entries: [...g.querySelectorAll("li.pub")].map((li) => li.id),
  })),
  count: (list.querySelector(".pubs-search-count") || {}).textContent,
  none: !!list.querySelector(".pubs-search-none") &&
    list.querySelector(".pubs-search-none").checkVisibility(),
  value: (list.querySelector(".pubs-search-input") || {}).value,
  pressed: [...list.querySelectorAll(".pubs-facet[aria-pressed='true']")]
    .map((b) => b.dataset.facet + "=" + b.dataset.value),
})
"""


def entry_texts(page: Any, list_id: str = "pubs") -> dict[str, str]:
    return {
        key: fold(text) for key, text in page.locator(f"#{list_id}").evaluate(ENTRY_TEXT_JS).items()
    }


def matching(texts: dict[str, str], query: str) -> set[str]:
    terms = fold(query).split()
    return {key for key, text in texts.items() if all(term in text for term in terms)}


def state(page: Any, list_id: str = "pubs") -> dict[str, Any]:
    return page.locator(f"#{list_id}").evaluate(STATE_JS)


def params(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query, keep_blank_values=True)


def assert_shows(page: Any, expected: set[str], list_id: str = "pubs", total: int = TOTAL) -> None:
    """Exactly *expected* is visible, the count says so, and a year group shows
    if and only if one of its entries does."""
    now = state(page, list_id)
    assert set(now["visible"]) == expected, (
        sorted(set(now["visible"]) - expected),
        sorted(expected - set(now["visible"])),
    )
    filtering = bool(now["value"].strip() or now["pressed"])
    assert now["count"] == (f"{len(expected)} of {total}" if filtering else ""), now["count"]
    assert now["none"] == (not expected), now
    for group in now["groups"]:
        assert group["visible"] == bool(expected & set(group["entries"])), group["id"]


def theme_errors(log: PageLog) -> list[str]:
    # pydata-sphinx-theme (and the book theme on it) logs this on a first visit
    return [e for e in log.errors if "Got invalid theme mode" not in e]


def go_dark(page: Any, theme: str) -> None:
    if theme == "pydata_sphinx_theme":
        # the theme picks the mode from prefers-color-scheme; force it if it did not
        page.evaluate(
            "() => { const h = document.documentElement;"
            " if (h.dataset.theme !== 'dark') { h.dataset.mode = 'dark';"
            " h.dataset.theme = 'dark'; } }"
        )


def schemes(theme: str) -> tuple[str, ...]:
    return ("light", "dark") if theme in DARK_THEMES else ("light",)


def is_active(locator: Any) -> bool:
    return bool(locator.evaluate("e => document.activeElement === e"))


def tab_to(page: Any, locator: Any) -> None:
    """Reach *locator* with the keyboard (from the element before it), so that the
    browser shows its keyboard focus (:focus-visible)."""
    locator.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert is_active(locator), locator


# --- search, typing ---------------------------------------------------------------


def test_typing_filters_and_the_address_keeps_it(open_page: OpenPage, site: Site) -> None:
    page, log = open_page(site.index)
    box = page.locator("#pubs > .pubs-search[role='search']")
    expect(box).to_be_visible()
    field = box.locator("input.pubs-search-input")
    assert field.get_attribute("aria-label") == "Search the publications"
    assert box.locator("output.pubs-search-count").get_attribute("aria-live") == "polite"
    texts = entry_texts(page)
    assert len(texts) == TOTAL
    assert_shows(page, set(texts))
    start = page.evaluate("history.length")

    # a burst of typing, one key at a time: one step in the history
    query = "Dense RETRIEVAL"
    field.press_sequentially(query)
    expected = matching(texts, query)
    assert 1 < len(expected) < 10, expected
    assert_shows(page, expected)
    assert any(not g["visible"] for g in state(page)["groups"])  # emptied years hide
    assert params(page) == {"search": [query]}
    assert page.evaluate("history.length") == start + 1

    # Back: the whole list and an empty box; Forward: the search again
    page.go_back()
    expect(field).to_have_value("")
    assert_shows(page, set(texts))
    assert params(page) == {}
    page.go_forward()
    expect(field).to_have_value(query)
    assert_shows(page, expected)

    # the address restores the search; the theme's own search box (Sphinx's
    # searchtools.js reads "q" on every page of some themes) is left alone
    page.reload()
    expect(field).to_have_value(query)
    assert_shows(page, expected)
    theirs = page.eval_on_selector_all("input[name='q']", "qs => qs.map((q) => q.value)")
    assert all(value == "" for value in theirs), theirs

    # more terms narrow it; case and order do not matter
    field.fill("language retrieval models")
    expected = matching(texts, "retrieval language models")
    assert 2 < len(expected) < TOTAL
    assert_shows(page, expected)

    # Escape empties the box
    field.press("Escape")
    expect(field).to_have_value("")
    assert_shows(page, set(texts))
    assert params(page) == {}

    # nothing found: the message shows, every group hides
    field.fill("zzzqqq")
    assert_shows(page, set())
    assert page.locator("#pubs .pubs-search-none").inner_text() == "No publication matches."
    assert theme_errors(log) == [] and log.failed == []


def test_a_pause_starts_a_new_history_step(open_page: OpenPage, one_site: Site) -> None:
    # the script's timing, not the theme's: one theme is enough
    page, _ = open_page(one_site.index)
    field = page.locator("#pubs .pubs-search-input")
    start = page.evaluate("history.length")
    field.press_sequentially("language")
    page.wait_for_timeout(1100)
    field.press_sequentially(" models")
    assert page.evaluate("history.length") == start + 2
    page.go_back()
    expect(field).to_have_value("language")
    page.go_back()
    expect(field).to_have_value("")
    # typing straight after Back replaces nothing: the unfiltered step stays
    field.press_sequentially("x")
    page.go_back()
    expect(field).to_have_value("")


def test_facets(
    open_page: OpenPage, site: Site, seed_years: dict[str, str], seed_types: dict[str, str]
) -> None:
    page, log = open_page(site.index)
    everyone = set(seed_years)
    years = page.locator("#pubs .pubs-facets-year[role='group']")
    types = page.locator("#pubs .pubs-facets-type[role='group']")
    assert years.get_attribute("aria-label") == "Year"
    assert types.get_attribute("aria-label") == "Type"
    # one button per year, newest first; one per type, named
    buttons = years.locator("button.pubs-facet")
    assert buttons.evaluate_all("bs => bs.map((b) => b.dataset.value)") == sorted(
        set(seed_years.values()), reverse=True
    )
    assert buttons.evaluate_all("bs => bs.map((b) => b.getAttribute('aria-pressed'))") == [
        "false"
    ] * len(set(seed_years.values()))
    assert types.locator("button.pubs-facet").all_inner_texts() == [
        "Journal articles",
        "Conference papers",
    ]

    y2015 = years.locator("[data-value='2015']")
    y2015.click()
    expect(y2015).to_have_attribute("aria-pressed", "true")
    expected_2015 = {k for k, y in seed_years.items() if y == "2015"}
    assert_shows(page, expected_2015)
    assert params(page) == {"year": ["2015"]}

    # a second year adds to it; a type narrows both
    conference = types.locator("[data-value='inproceedings']")
    year = next(y for k, y in seed_years.items() if seed_types[k] == "inproceedings")
    years.locator(f"[data-value='{year}']").click()
    conference.click()
    expected = {
        k for k in everyone if seed_years[k] in ("2015", year) and seed_types[k] == "inproceedings"
    }
    assert expected and expected != everyone
    assert_shows(page, expected)
    assert params(page) == {"year": [f"2015,{year}"], "type": ["inproceedings"]}
    assert state(page)["pressed"] == [f"year={year}", "year=2015", "type=inproceedings"]

    # the keyboard presses them too: Space and Enter undo the two years
    years.locator(f"[data-value='{year}']").focus()
    page.keyboard.press("Space")
    y2015.focus()
    page.keyboard.press("Enter")
    expect(y2015).to_have_attribute("aria-pressed", "false")
    inproceedings = {k for k in everyone if seed_types[k] == "inproceedings"}
    assert_shows(page, inproceedings)
    assert params(page) == {"type": ["inproceedings"]}

    # text and facets together; reloading keeps both
    page.locator("#pubs .pubs-search-input").fill("models")
    texts = entry_texts(page)
    expected = matching(texts, "models") & inproceedings
    assert_shows(page, expected)
    page.reload()
    expect(conference).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#pubs .pubs-search-input")).to_have_value("models")
    assert_shows(page, expected)
    # each click is a step of its own, and so is the typing after one: Back
    # takes away the text, then gives back the year 2015
    page.go_back()
    expect(page.locator("#pubs .pubs-search-input")).to_have_value("")
    assert_shows(page, inproceedings)
    page.go_back()
    expect(y2015).to_have_attribute("aria-pressed", "true")
    assert_shows(page, {k for k in inproceedings if seed_years[k] == "2015"})
    assert theme_errors(log) == [] and log.failed == []


def test_two_lists_keep_their_own_parameters(open_page: OpenPage, site: Site) -> None:
    page, log = open_page(site.extra)
    first, second = page.locator("#pubs"), page.locator("#pubs-2")
    assert page.locator(".pubs-search").count() == 2
    small, seed = entry_texts(page, "pubs"), entry_texts(page, "pubs-2")
    assert len(small) == 3 and len(seed) == TOTAL
    # the second list has only the year facet (its :facets: option)
    assert second.locator(".pubs-facets-type").count() == 0
    assert first.locator(".pubs-facets-type").count() == 1

    first.locator(".pubs-search-input").fill("muller")
    assert_shows(page, matching(small, "muller"), "pubs", 3)
    assert_shows(page, set(seed), "pubs-2")
    second.locator(".pubs-search-input").fill("retrieval")
    second.locator(".pubs-facet[data-value='2023']").click()
    expected = {k for k in matching(seed, "retrieval") if k in matching(seed, "2023")}
    assert expected
    assert_shows(page, expected, "pubs-2")
    assert params(page) == {"search": ["muller"], "search2": ["retrieval"], "year2": ["2023"]}
    assert_shows(page, matching(small, "muller"), "pubs", 3)

    page.reload()
    expect(first.locator(".pubs-search-input")).to_have_value("muller")
    expect(second.locator(".pubs-search-input")).to_have_value("retrieval")
    assert_shows(page, matching(small, "muller"), "pubs", 3)
    assert_shows(page, expected, "pubs-2")
    assert theme_errors(log) == [] and log.failed == []


#: query -> the keys of extra.bib it finds
FOLDED_QUERIES = {
    "müller": {"muller2024uber", "muller2023plain"},
    "MULLER": {"muller2024uber", "muller2023plain"},
    "Garcia lucía": {"muller2024uber", "muller2023plain"},
    "jörg": {"muller2024uber", "muller2023plain"},
    "francois": {"muller2024uber"},
    "alice brown": {"muller2024uber"},  # behind "2 more authors"
    "ecole superieure": {"muller2024uber"},  # in the abstract
    "uber schatzung": {"muller2024uber"},
    "grosser": {"muller2024uber"},  # ß
    "großer": {"muller2024uber"},
    "zfl": {"muller2024uber"},  # the badge
    "sparse": {"muller2024uber"},  # a keyword
    "soren": {"soren2022"},  # ø
    "ØRESUND": {"soren2022"},
    "lukasiewicz": {"soren2022"},  # ł
    "cafe": {"soren2022"},
    "2022": {"soren2022"},
    "more authors": set(),  # the controls' labels are not the entry's text
    "fewer": set(),
}


def test_accents_and_case_do_not_matter(open_page: OpenPage, one_site: Site) -> None:
    # the script's folding, not the theme's: one theme is enough
    page, _ = open_page(one_site.extra)
    texts = entry_texts(page)
    field = page.locator("#pubs .pubs-search-input")
    for query, keys in FOLDED_QUERIES.items():
        expected = {f"pub-{key}" for key in keys}
        assert matching(texts, query) == expected, query  # this file's fold agrees
        field.fill(query)
        assert_shows(page, expected, "pubs", 3)


def test_without_javascript(open_page: OpenPage, site: Site) -> None:
    for url in (site.index + "?search=retrieval&year=2015", site.extra + "?search=x&search2=zzz"):
        page, log = open_page(url, java_script_enabled=False)
        assert page.locator(".pubs-search").count() == 0
        lists = page.locator("div.pubs")
        for i in range(lists.count()):
            entries = lists.nth(i).locator("li.pub")
            assert entries.count() in (3, TOTAL)
            assert entries.evaluate_all("ls => ls.every((li) => li.checkVisibility())")
        # with scripting off, the theme's preloaded scripts are refused
        refused = [f for f in log.failed if f.endswith(": csp") and ".js" in f.split("?")[0]]
        assert [f for f in log.failed if f not in refused] == []


# --- toggles and keyboard ---------------------------------------------------------


def test_toggles_by_mouse_and_keyboard(open_page: OpenPage, site: Site) -> None:
    """Award, abstract and BibTeX toggles and the author control, in every theme
    (test_browser.py covers the abstract and authors by keyboard in one theme)."""
    page, log = open_page(site.extra, permissions=["clipboard-read", "clipboard-write"])
    entry = page.locator("#pub-muller2024uber")
    for kind in ("award", "abstract", "bibtex"):
        details = entry.locator(f"details.pub-{kind}")
        summary = details.locator(":scope > summary")
        body = details.locator(":scope > .pub-toggle-body")
        expect(body).to_be_hidden()
        summary.click()
        expect(body).to_be_visible()
        summary.click()
        expect(body).to_be_hidden()
        tab_to(page, summary)
        page.keyboard.press("Enter")
        expect(body).to_be_visible()
        page.keyboard.press("Space")
        expect(body).to_be_hidden()
        page.keyboard.press("Space")
        expect(body).to_be_visible()
        if kind == "bibtex":
            copy = body.locator("button.pub-copy")
            page.keyboard.press("Tab")
            assert is_active(copy)
            page.keyboard.press("Enter")
            expect(copy).to_have_text("✓ Copy")
            assert page.evaluate("navigator.clipboard.readText()").startswith(
                "@article{muller2024uber,"
            )
        summary.click()
        expect(body).to_be_hidden()

    more, fewer = entry.locator(".pub-more-authors"), entry.locator(".pub-fewer-authors")
    everyone = entry.locator(".pub-authors-all")
    expect(more).to_have_attribute("aria-expanded", "false")
    more.click()
    expect(everyone).to_be_visible()
    expect(more).to_have_attribute("aria-expanded", "true")
    assert is_active(fewer)
    fewer.click()
    expect(everyone).to_be_hidden()
    expect(more).to_have_attribute("aria-expanded", "false")
    tab_to(page, more)
    for key, shown in (("Enter", True), ("Space", False), ("Space", True), ("Enter", False)):
        page.keyboard.press(key)
        expect(everyone).to_be_visible() if shown else expect(everyone).to_be_hidden()
        expect(more).to_have_attribute("aria-expanded", "true" if shown else "false")
        assert is_active(fewer if shown else more), key
    assert theme_errors(log) == [] and log.failed == []


# What has the focus, and the ring it shows: outline or box-shadow.
FOCUS_JS = """
(names) => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const name = Object.keys(names).find((n) => el.matches(names[n]));
  return {
    name: name || `${el.tagName.toLowerCase()}.${el.className}`,
    inList: !!el.closest(".pubs"),
    end: el.matches("#pubs-2 .pubs-search-input"),
    visible: el.matches(":focus-visible"),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
    colour: style.outlineColor,
  };
}
"""

#: everything on extra.html's first list a reader reaches with Tab
FOCUSABLE = {
    "search box": "#pubs .pubs-search-input",
    "year button": "#pubs .pubs-facets-year .pubs-facet",
    "type button": "#pubs .pubs-facets-type .pubs-facet",
    "download link": "#pubs a.pubs-download",
    "badge link": "#pub-muller2024uber .pub-abbr a",
    "more authors": "#pub-muller2024uber .pub-more-authors",
    "award": "#pub-muller2024uber details.pub-award > summary",
    "abstract": "#pub-muller2024uber details.pub-abstract > summary",
    "DOI button": "#pub-muller2024uber a.pub-button-doi",
    "BibTeX": "#pubs details.pub-bibtex > summary",
    "copy button": "#pub-muller2024uber button.pub-copy",
    "title link": "#pub-muller2023plain a.pub-title-link",
    "HTML button": "#pub-muller2023plain a.pub-button-html",
}

PLACEHOLDER_JS = COLOUR_JS.replace(
    "getComputedStyle(el).color", "getComputedStyle(el, '::placeholder').color"
)


def test_focus_and_contrast(open_page: OpenPage, site: Site) -> None:
    """Tab from the first list's download link to the second list's search box:
    every stop in a list shows a focus ring (3:1 against the page). Then WCAG AA
    (4.5:1) for the search box's text, the facet buttons (pressed and not), the
    count, the no-match message, the downloads, and the placeholder: it is the
    box's only visible hint of what it searches, so it is held to the ratio of
    text (WCAG exempts only inactive controls)."""
    measured = {}
    for scheme in schemes(site.theme):
        page, _ = open_page(site.extra, color_scheme=scheme)
        if scheme == "dark":
            go_dark(page, site.theme)
            assert max(contrast_of(page.locator("body"))[1]["background"]) < 100
        background = contrast_of(page.locator("#pubs"))[1]["background"]
        page.locator("#pub-muller2024uber details.pub-bibtex > summary").click()
        first, second = page.locator("#pubs"), page.locator("#pubs-2")
        field = first.locator(".pubs-search-input")
        tab_to(page, first.locator("a.pubs-download"))  # the list's first stop
        stops = [page.evaluate(FOCUS_JS, FOCUSABLE)]
        while not stops[-1]["end"] and len(stops) < 40:
            page.keyboard.press("Tab")
            stops.append(page.evaluate(FOCUS_JS, FOCUSABLE))
        assert stops[-1]["end"], [stop["name"] for stop in stops]
        assert set(FOCUSABLE) <= {stop["name"] for stop in stops}, [s["name"] for s in stops]
        for stop in stops:
            if not stop["inList"]:
                continue  # the theme's own (a heading's permalink)
            ring = stop["outline"] or stop["shadow"]
            assert stop["visible"] and ring, (site.theme, scheme, stop)
            if stop["outline"]:
                colour = _over(_css_rgba(page, stop["colour"]), background)
                ratio = contrast_ratio(colour, background)
                assert ratio >= MIN_NON_TEXT, (site.theme, scheme, stop, round(ratio, 2))
        # the keyboard presses the facet buttons: Enter and Space
        button = first.locator(".pubs-facet[data-value='2024']")
        tab_to(page, button)
        page.keyboard.press("Enter")
        expect(button).to_have_attribute("aria-pressed", "true")
        page.keyboard.press("Space")
        expect(button).to_have_attribute("aria-pressed", "false")
        page.keyboard.press("Enter")

        colours = field.evaluate(PLACEHOLDER_JS)
        assert field.get_attribute("placeholder")
        ratios = {"placeholder": contrast_ratio(colours["text"], colours["background"])}
        field.fill("m")
        second.locator(".pubs-search-input").fill("zzz")
        for what, locator in (
            ("typed text", field),
            ("count", first.locator(".pubs-search-count")),
            ("facet", first.locator(".pubs-facet[aria-pressed='false']").first),
            ("pressed facet", button),
            ("no match", second.locator(".pubs-search-none")),
            ("Download", first.locator(".pubs-downloads-label")),
            ("download link", first.locator("a.pubs-download")),
        ):
            expect(locator).to_be_visible()
            ratios[what] = contrast_of(locator)[0]
        measured[scheme] = {what: round(ratio, 2) for what, ratio in ratios.items()}
        low = {what: r for what, r in measured[scheme].items() if r < MIN_CONTRAST}
        assert low == {}, (site.theme, scheme, measured[scheme])


def _css_rgba(page: Any, css: str) -> list[float]:
    """*css* (any colour syntax) as [r, g, b, alpha], through a canvas."""
    return page.evaluate(
        """(css) => { const c = document.createElement("canvas").getContext("2d");
        c.fillStyle = css; c.fillRect(0, 0, 1, 1);
        const d = c.getImageData(0, 0, 1, 1).data; return [d[0], d[1], d[2], d[3] / 255]; }""",
        css,
    )


def _over(top: list[float], below: list[float]) -> list[float]:
    alpha = top[3]
    return [top[i] * alpha + below[i] * (1 - alpha) for i in range(3)]


# --- print --------------------------------------------------------------------

PRINT_JS = """
() => {
  const style = (selector, pseudo) => {
    const el = document.querySelector(selector);
    return el ? getComputedStyle(el, pseudo || null) : null;
  };
  const backgrounds = [...document.querySelectorAll(".pubs, .pubs *")].filter((el) => {
    const s = getComputedStyle(el);
    const clear = /^rgba\\(.*, 0\\)$|^transparent$/.test(s.backgroundColor);
    return s.backgroundImage !== "none" || !clear;
  }).map((el) => el.className || el.tagName);
  return {
    search: [...document.querySelectorAll(".pubs-search")].map((e) => getComputedStyle(e).display),
    downloads: [...document.querySelectorAll(".pubs-downloads")]
      .map((e) => getComputedStyle(e).display),
    copy: style("#pub-soren2022 .pub-copy").display,
    doi: style("#pub-muller2024uber a.pub-button-doi", "::after").content,
    html: style("#pub-muller2023plain a.pub-button-html", "::after").content,
    breakInside: [...document.querySelectorAll("li.pub")]
      .map((li) => getComputedStyle(li).breakInside),
    backgrounds: backgrounds,
    marker: style("#pub-muller2024uber .pub-abstract > summary", "::before").content,
  };
}
"""


def test_print(open_page: OpenPage, site: Site, tmp_path: Path) -> None:
    page, log = open_page(site.extra)
    uber = page.locator("#pub-muller2024uber")
    abstract = uber.locator("details.pub-abstract")
    abstract.locator("summary").click()  # opened by the reader before printing
    soren_bibtex = page.locator("#pub-soren2022 details.pub-bibtex")
    soren_bibtex.locator("summary").click()
    second = page.locator("#pubs-2")
    second.locator(".pubs-search-input").fill("retrieval")
    filtered = set(state(page, "pubs-2")["visible"])
    assert 0 < len(filtered) < TOTAL
    doi = uber.locator("a.pub-button-doi")
    assert doi.evaluate("a => getComputedStyle(a, '::after').content") == "none"

    page.emulate_media(media="print")
    printed = page.evaluate(PRINT_JS)
    assert printed["search"] == ["none", "none"]
    assert printed["downloads"] == ["none", "none"]
    assert printed["copy"] == "none"
    assert printed["doi"] == '": https://doi.org/10.1000/uber.2024"'
    assert printed["html"] == '": https://example.org/plain"'
    assert set(printed["breakInside"]) == {"avoid"}
    assert printed["backgrounds"] == []
    assert printed["marker"] in ('""', "none")
    # the toggles as the reader left them: open ones open, closed ones closed
    assert abstract.evaluate("d => d.open")
    expect(abstract.locator(".pub-toggle-body")).to_be_visible()
    expect(soren_bibtex.locator("pre.pub-bibtex-text")).to_be_visible()
    assert not uber.locator("details.pub-bibtex").evaluate("d => d.open")
    expect(uber.locator("details.pub-bibtex pre")).to_be_hidden()
    expect(page.locator("#pub-muller2023plain details.pub-bibtex")).to_be_hidden()
    # the award's name says something on paper; the badge keeps readable text
    expect(uber.locator("details.pub-award > summary")).to_have_text("Best Paper")
    badge_ratio, colours = contrast_of(uber.locator(".pub-abbr a"))
    assert badge_ratio >= MIN_CONTRAST, colours
    # the search the reader made prints as it shows
    assert set(state(page, "pubs-2")["visible"]) == filtered

    pdf = page.pdf(path=str(tmp_path / "extra.pdf"))
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000
    assert (tmp_path / "extra.pdf").stat().st_size == len(pdf)

    page.emulate_media(media="screen")
    expect(page.locator(".pubs-search").first).to_be_visible()
    assert theme_errors(log) == [] and log.failed == []
