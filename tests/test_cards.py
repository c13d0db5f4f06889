"""The entry as a card: the badge and thumbnail column, badge colours, the toggles'
group, and the site's owner kept in sight when the author list is cut (al-folio
#701), in the HTML and the text builders' output."""

from __future__ import annotations

import itertools

from helpers import text_of
from hypothesis import given
from hypothesis import strategies as st

from sphinx_pubs.view.entry import LIGHT_COLOR_NAMES, is_light

OWNER = ("Ada", "Quist")
SECOND = ("Ben", "Owens")  # a second owner
MAX = 3


def _name(index: int) -> tuple[str, str]:
    return (f"Name{chr(65 + index)}", f"Surname{chr(65 + index)}")


def _case(count: int, owners: tuple[int, ...]) -> list[tuple[str, str]]:
    """*count* authors, the owners at the positions *owners*."""
    people = [_name(i) for i in range(count)]
    for position, owner in zip(owners, (OWNER, SECOND), strict=False):
        people[position] = owner
    return people


def expected_line(people: list[tuple[str, str]]) -> tuple[str, int]:
    """The author line as the rule reads, independently of the code: the first
    MAX names; then every owner among the rest, with "…" where names are left out
    before it; then "and N more authors" for the names still hidden (the whole
    list, joined, when none is)."""
    shown = [f"{first} {last}" for first, last in people]
    if len(people) <= MAX:
        return _join(shown), 0
    named = list(range(MAX)) + [i for i in range(MAX, len(people)) if people[i] in (OWNER, SECOND)]
    hidden = len(people) - len(named)
    if not hidden:
        return _join(shown), 0
    parts = [shown[0]]
    for before, index in itertools.pairwise(named):
        parts.append((", " if index == before + 1 else ", …, ") + shown[index])
    more = "1 more author" if hidden == 1 else f"{hidden} more authors"
    return "".join(parts) + f", and {more}", hidden


def _join(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return ", ".join(names[:-1]) + f", and {names[-1]}"


#: every length up to 9 with the owner at every place, and two owners hidden
CASES = {
    f"c{count}o{'-'.join(map(str, owners))}": _case(count, owners)
    for count in range(1, 10)
    for owners in [(), *((p,) for p in range(count)), *((count - 2, count - 1),)]
    if all(0 <= p < count for p in owners) and len(set(owners)) == len(owners)
}


def _bib() -> str:
    entries = []
    for key, people in CASES.items():
        authors = " and ".join(f"{last}, {first}" for first, last in people)
        entries.append(f"@article{{{key},\n  title = {{T {key}}},\n  author = {{{authors}}},\n}}\n")
    return "\n".join(entries)


CONF = (
    'extensions = ["sphinx_pubs"]\n'
    f'pubs_highlight_authors = ["{OWNER[0]} {OWNER[1]}", "{SECOND[0]} {SECOND[1]}"]\n'
    f"pubs_max_authors = {MAX}\n"
)


def _people() -> dict[str, str]:
    """The project of the author-line tests."""
    return {
        "conf.py": CONF,
        "index.rst": "P\n=\n\n.. publications:: people.bib\n   :headings: none\n",
        "people.bib": _bib(),
    }


def test_owner_kept_in_sight_in_html(build_project):
    app = build_project(_people())
    page = app.soup()
    assert len(CASES) > 40
    for key, people in CASES.items():
        entry = page.select_one(f"#pub-{key}")
        line, hidden = expected_line(people)
        short = entry.select_one(".pub-authors")
        assert text_of(short) == line, key
        owners = [f"{f} {s}" for f, s in people if (f, s) in (OWNER, SECOND)]
        # every owner is in the line as shown, highlighted
        assert [text_of(t) for t in short.select(".pub-author-self")] == owners, key
        more = entry.select_one(".pub-more-authors")
        if hidden:
            assert more is not None and more.parent is short, key
            # the full list is everyone, in order
            full = entry.select_one(".pub-authors-all")
            assert text_of(full).removesuffix(" show fewer") == _join(
                [f"{f} {s}" for f, s in people]
            ), key
        else:
            assert more is None and entry.select_one(".pub-authors-all") is None, key


def test_owner_kept_in_sight_in_text(build_project):
    app = build_project(_people(), builder="text")
    text = app.text("index.txt")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    for key, people in CASES.items():
        title = lines.index(f"* T {key}")
        line = lines[title + 1]
        assert line.replace("**", "") == expected_line(people)[0], key
        for first, last in people:
            if (first, last) in (OWNER, SECOND):  # strong, as on the web page
                assert f"**{first} {last}**" in line, key


# -- the card: the column, the badge, the toggles' group --------------------------------

CARDS_BIB = """
@article{badged, abbr = {JMLR}, title = {Badged}, author = {Quist, Ada}, year = 2024,
  abstract = {A.}, bibtex_show = {true}, award = {Best}}
@article{coloured, abbr = {Dark}, title = {Coloured}, author = {Quist, Ada}, year = 2023}
@article{plain, title = {Plain}, author = {Quist, Ada}, year = 2022, abstract = {B.}}
"""


def test_cards_markup(build_project):
    conf = (
        'extensions = ["sphinx_pubs"]\n'
        'pubs_venues = {"JMLR": {"color": "#f2c14e"}, "Dark": {"color": "#5b2a86"}}\n'
    )
    app = build_project(
        {
            "conf.py": conf,
            "index.rst": (
                "P\n=\n\n.. publications:: cards.bib\n\n"
                ".. publications:: cards.bib\n   :filter: key == 'plain'\n"
                "   :abstracts: expanded\n"
            ),
            "cards.bib": CARDS_BIB,
        },
    )
    page = app.soup()
    first, second = page.select("div.pubs")
    # a list with a badge has the column for all its entries; one without has none
    assert "pubs-cards" in first["class"] and "pubs-cards" not in second["class"]
    for entry in first.select("li.pub"):
        children = [c["class"][0] for c in entry.find_all("div", recursive=False)]
        has_side = entry.select_one(".pub-abbr, .pub-preview") is not None
        assert children == (["pub-side", "pub-body"] if has_side else ["pub-body"]), entry["id"]
        assert entry.select_one(".pub-body .pub-title") is not None
    # a list without badges and thumbnails keeps the parts as the entry's children
    plain = second.select_one("li.pub")
    assert plain.select_one(":scope > .pub-title") and not plain.select(".pub-side, .pub-body")
    # black text on the light venue colour, white on the dark one
    assert "pub-abbr-light" in first.select_one("#pub-badged .pub-abbr")["class"]
    assert "pub-abbr-light" not in first.select_one("#pub-coloured .pub-abbr")["class"]
    # the closed toggles of an entry are one group; an abstract open from the
    # start is not in it
    names = {d.get("name") for d in first.select("#pub-badged details")}
    assert names == {"pub-badged-panels"} and len(first.select("#pub-badged details")) == 3
    opened = second.select_one("details.pub-abstract")
    assert opened.has_attr("open") and not opened.has_attr("name")


def _luminance(rgb: tuple[int, int, int]) -> float:
    channels = [c / 255 for c in rgb]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: float, b: float) -> float:
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


@given(st.tuples(*[st.integers(0, 255)] * 3), st.booleans())
def test_badge_text_reads_on_any_venue_colour(rgb, short):
    """Whatever colour a venue has, the text chosen for it (black on light, white
    on dark) has a contrast of 4.5:1 or more, in #rrggbb and #rgb alike."""
    if short:
        rgb = tuple((c // 17) * 17 for c in rgb)
        colour = "#" + "".join(f"{c // 17:x}" for c in rgb)
    else:
        colour = "#" + "".join(f"{c:02X}" for c in rgb)
    text = 0.0 if is_light(colour) else 1.0
    assert _contrast(_luminance(rgb), text) >= 4.5, colour
    alpha = "8" if short else "80"
    assert is_light(colour + alpha) == is_light(colour)  # the alpha is not counted


def test_light_colour_names_are_css_names():
    from pygments.lexers.css import _color_keywords  # Sphinx's own dependency

    assert LIGHT_COLOR_NAMES.issubset(_color_keywords)
    assert is_light("White") and is_light("gold") and not is_light("navy")
