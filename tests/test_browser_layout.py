"""The layout of an entry in headless Chromium, in the five themes, light and dark,
on a desktop and on a 375 px phone: the button row stays put when a panel opens,
its buttons (``<summary>`` toggles and ``<a>`` links alike) have one height, one
vertical centre and one gap, an opened panel lies below the row and clear of the
thumbnail, and the badge and thumbnail stand in a column left of the text (above
it on the phone).  One page per theme; every toggle is opened on it."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path
from typing import Any

import pytest
from browser import DARK_THEMES, THEMES, OpenPage, contrast_of

pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

ROOT = Path(__file__).parent / "roots" / "test-alfolio"
TOLERANCE = 0.5
MIN_CONTRAST = 4.5
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}
#: entries of test-alfolio with toggles; the first has a badge and a thumbnail
WITH_TOGGLES = ("pub-einstein1905movement", "pub-einstein1950meaning")

#: the boxes of one entry's row, panels, thumbnail and columns
BOXES_JS = """
(id) => {
  const li = document.getElementById(id);
  const box = (el) => {
    if (!el) return null;
    const r = el.getBoundingClientRect();  // in the page, however far it scrolled
    const x = window.scrollX, y = window.scrollY;
    return {left: r.left + x, top: r.top + y, right: r.right + x, bottom: r.bottom + y,
            width: r.width, height: r.height};
  };
  const row = li.querySelector(".pub-buttons");
  const buttons = Array.from(
    row.querySelectorAll(":scope > a.pub-button, :scope > details.pub-toggle > summary")
  ).sort((a, b) => (a.compareDocumentPosition(b) & 4 ? -1 : 1));
  return {
    buttons: buttons.map((b) => {
      // the label's own line box: where its text sits (the baseline, near enough)
      const range = document.createRange();
      range.selectNodeContents(b);
      const label = range.getBoundingClientRect();
      return {text: b.textContent.trim(), textBottom: label.bottom + window.scrollY, ...box(b)};
    }),
    panels: Array.from(row.querySelectorAll(":scope > details.pub-toggle")).map((d) => ({
      open: d.open,
      box: box(d.querySelector(".pub-toggle-body")),
    })),
    thumb: box(li.querySelector(".pub-preview img")),
    side: box(li.querySelector(".pub-side")),
    body: box(li.querySelector(".pub-body")),
  };
}
"""


@pytest.fixture(scope="module")
def theme_urls(sites: Path, server: str) -> dict[str, str]:
    from sphinx.cmd.build import build_main

    urls = {}
    for theme in THEMES:
        src = sites / "src" / theme
        shutil.copytree(ROOT, src)
        conf = src / "conf.py"
        conf.write_text(conf.read_text(encoding="utf-8") + f"\nhtml_theme = {theme!r}\n")
        assert build_main(["-q", "-b", "html", str(src), str(sites / theme)]) == 0, theme
        urls[theme] = f"{server}/{theme}/index.html"
    return urls


def close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE


def lines_of(buttons: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The buttons grouped by the line of the row they are on (wrapped rows)."""
    lines: list[list[dict[str, Any]]] = []
    for button in buttons:
        if lines and close(lines[-1][0]["top"], button["top"]):
            lines[-1].append(button)
        else:
            lines.append([button])
    return lines


def check_row(buttons: list[dict[str, Any]], where: str) -> None:
    """One height, one vertical centre and one text line per line of the row, and
    one gap between neighbours."""
    assert len(buttons) >= 3, where
    heights = [b["height"] for b in buttons]
    assert max(heights) - min(heights) <= TOLERANCE, (where, heights)
    gaps = []
    for line in lines_of(buttons):
        centres = [(b["top"] + b["bottom"]) / 2 for b in line]
        assert max(centres) - min(centres) <= TOLERANCE, (where, centres)
        labels = [b["textBottom"] for b in line]
        assert max(labels) - min(labels) <= TOLERANCE, (where, "labels", labels)
        gaps += [b["left"] - a["right"] for a, b in itertools.pairwise(line)]
        assert all(a["right"] <= b["left"] for a, b in itertools.pairwise(line)), where
    assert gaps and max(gaps) - min(gaps) <= TOLERANCE, (where, gaps)
    assert min(gaps) > 2, (where, gaps)  # they do not touch


def same_places(before: list[dict[str, Any]], after: list[dict[str, Any]], where: str) -> None:
    assert [b["text"].lstrip("▸▾ ") for b in before] == [b["text"].lstrip("▸▾ ") for b in after], (
        where
    )
    for old, new in zip(before, after, strict=True):
        for side in ("left", "top", "right", "bottom"):
            assert close(old[side], new[side]), (where, old["text"], side, old[side], new[side])


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"] - TOLERANCE
        and b["left"] < a["right"] - TOLERANCE
        and a["top"] < b["bottom"] - TOLERANCE
        and b["top"] < a["bottom"] - TOLERANCE
    )


def settled_boxes(page: Any, entry_id: str) -> dict[str, Any]:
    """The entry's boxes once the page's layout has settled: two readings 100 ms apart
    agree (a loaded machine may lay the page out again after its load event, as its
    fonts and images arrive)."""
    boxes = page.evaluate(BOXES_JS, entry_id)
    for _ in range(50):
        page.wait_for_timeout(100)
        again = page.evaluate(BOXES_JS, entry_id)
        if again == boxes:
            return boxes
        boxes = again
    raise AssertionError(f"the layout of #{entry_id} never settled")


def check_entry(page: Any, entry_id: str, where: str) -> None:
    summaries = page.locator(f"#{entry_id} .pub-buttons > details.pub-toggle > summary")
    closed = settled_boxes(page, entry_id)
    assert not any(p["open"] for p in closed["panels"]), where
    check_row(closed["buttons"], where)
    for index in range(summaries.count()):
        summaries.nth(index).click()
        page.mouse.move(0, 0)
        opened = settled_boxes(page, entry_id)
        label = f"{where}, {entry_id} toggle {index} open"
        same_places(closed["buttons"], opened["buttons"], label)
        check_row(opened["buttons"], label)
        # one panel at a time (details name=...): the one just opened
        assert [p["open"] for p in opened["panels"]] == [
            i == index for i in range(len(opened["panels"]))
        ], label
        panel = opened["panels"][index]["box"]
        row_bottom = max(b["bottom"] for b in opened["buttons"])
        row_left = min(b["left"] for b in opened["buttons"])
        assert panel["height"] > 0 and panel["top"] >= row_bottom - TOLERANCE, (label, panel)
        assert panel["left"] >= row_left - TOLERANCE, (label, panel)
        if opened["thumb"]:
            assert not overlaps(panel, opened["thumb"]), (label, panel, opened["thumb"])
    summaries.nth(summaries.count() - 1).click()  # closed again
    page.mouse.move(0, 0)
    again = settled_boxes(page, entry_id)
    assert not any(p["open"] for p in again["panels"]), where
    same_places(closed["buttons"], again["buttons"], where + ", all closed again")


def check_columns(page: Any, phone: bool, where: str) -> None:
    first = page.evaluate(BOXES_JS, WITH_TOGGLES[0])
    side, body, thumb = first["side"], first["body"], first["thumb"]
    assert side and body and thumb and thumb["width"] > 0, where
    if phone:
        assert side["bottom"] <= body["top"] + TOLERANCE, (where, side, body)
    else:
        assert side["right"] <= body["left"] + TOLERANCE, (where, side, body)
        assert side["top"] <= body["top"] + 4, (where, side, body)
        # every entry's text starts at the same place, with or without a badge
        lefts = page.eval_on_selector_all(
            "li.pub .pub-body", "els => els.map(e => e.getBoundingClientRect().left)"
        )
        assert len(lefts) >= 4 and max(lefts) - min(lefts) <= TOLERANCE, (where, lefts)


def check_badges(page: Any, where: str) -> None:
    for key in ("einstein1905movement", "PhysRev-47-777"):  # a venue's colour; the accent
        badge = page.locator(f"#pub-{key} .pub-abbr")
        ratio, colours = contrast_of(badge.locator("a") if key.startswith("ein") else badge)
        assert ratio >= MIN_CONTRAST, (where, key, round(ratio, 2), colours)
        # filled: its background differs from the page's
        page_bg = contrast_of(page.locator("body"))[1]["background"]
        assert colours["background"] != page_bg, (where, key)


@pytest.mark.parametrize("theme", THEMES)
def test_button_row_and_cards(open_page: OpenPage, theme_urls: dict[str, str], theme: str) -> None:
    page, log = open_page(theme_urls[theme], viewport=DESKTOP, color_scheme="light")
    assert [e for e in log.errors if e.startswith("pageerror")] == [], theme
    schemes = ("light", "dark") if theme in DARK_THEMES else ("light",)
    for scheme in schemes:
        if scheme == "dark":
            page.emulate_media(color_scheme="dark")
            if theme == "pydata_sphinx_theme":  # it may not follow the media change
                page.evaluate(
                    "() => { const h = document.documentElement;"
                    " h.dataset.mode = 'dark'; h.dataset.theme = 'dark'; }"
                )
            background = contrast_of(page.locator("body"))[1]["background"]
            assert max(background) < 100, (theme, "not dark", background)
        for phone, viewport in ((False, DESKTOP), (True, PHONE)):
            page.set_viewport_size(viewport)
            where = f"{theme} {scheme} {'phone' if phone else 'desktop'}"
            check_columns(page, phone, where)
            check_badges(page, where)
            for entry_id in WITH_TOGGLES:
                page.locator(f"#{entry_id}").scroll_into_view_if_needed()
                check_entry(page, entry_id, where)


def test_panels_without_javascript(open_page: OpenPage, theme_urls: dict[str, str]) -> None:
    """With no script the toggles still open below the row, one at a time."""
    page, _ = open_page(theme_urls["furo"], java_script_enabled=False)
    assert page.evaluate("1") == 1  # evaluate works; the page's scripts do not run
    assert not page.evaluate("document.documentElement.classList.contains('pubs-js')")
    check_entry(page, WITH_TOGGLES[0], "furo without JavaScript")
