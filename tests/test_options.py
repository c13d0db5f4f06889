"""The directive's choosing, ordering and grouping options, on a lab's real-shaped
bibliography (tests/roots/test-options: three files, @string macros defined in the
first, a crossref parent in another file, biblatex dates, an "in press" year and an
entry with no year)."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import text_of, warnings_of

#: every entry, in the default order of the page (years newest first, file order)
DEFAULT_ORDER = [
    ("2024", ["lee2024sparse", "okafor2024retrieval"]),
    ("2023", ["schmidt2023tokens", "muller2023survey"]),
    ("2022", ["okafor2022thesis", "ws2022", "lee2022talk"]),
    ("2021", ["lab2021report", "okafor2021letter"]),
    ("Undated", ["lee2025preprint", "okafor2020notes"]),
]


def groups_of(app, page, list_index=0):
    """[(heading, [keys])] of a list on an HTML page, in display order."""
    html = app.soup(page)
    pubs = html.select("div.pubs")[list_index]
    out = []
    for group in pubs.select(".pubs-group"):
        heading = group.find(["h2", "h3", "h4", "p"], class_=lambda c: c != "pub-title")
        label = text_of(heading).rstrip("¶#").strip() if heading else ""
        if group.find(class_="rubric"):
            label = text_of(group.find(class_="rubric"))
        elif not group.find(["h2", "h3", "h4"]):
            label = ""
        keys = [li["id"].removeprefix("pub-") for li in group.select("li.pub")]
        out.append((label, keys))
    return out


def keys_of(app, page, list_index=0):
    return [key for _, keys in groups_of(app, page, list_index) for key in keys]


def base_key(entry_id):
    """The key of an entry id (a second appearance gets "-2")."""
    return re.sub(r"-\d+$", "", entry_id)


# -- sources ----------------------------------------------------------------------------
def test_default_page_macros_across_files_crossref_and_dates(build_project):
    app = build_project(root="options", pages={"all": ".. publications::\n"})
    assert groups_of(app, "all") == DEFAULT_ORDER
    # the only warning: the entry with no year at all ("in press" is no problem)
    warnings = warnings_of(app)
    assert len(warnings) == 1, warnings
    assert re.search(r"lab\.bib:\d+: .*'okafor2020notes' has no year", warnings[0])
    html = app.soup("all")

    def venue(key):
        return text_of(html.select_one(f"#pub-{key} .pub-venue"))

    # @string macros of strings.bib used in lab.bib and talks.bib (any case)
    assert venue("lee2024sparse") == "Journal of Machine Learning Research, Mar 2024"
    assert venue("okafor2021letter") == "Journal of Machine Learning Research, Nov 2021"
    assert venue("okafor2024retrieval").startswith(
        "In Advances in Neural Information Processing Systems"
    )
    # biblatex: date = {2023-07-10}, date = {2023-02}, journaltitle
    assert venue("schmidt2023tokens").endswith(", Jul 2023")
    assert venue("muller2023survey") == "Journal of Machine Learning Research, Feb 2023"
    # a child in talks.bib completed from its @proceedings parent in lab.bib
    assert venue("lee2022talk") == (
        "In Proceedings of the Workshop on Efficient Models, Dublin, Ireland, May 2022"
    )
    assert text_of(html.select_one("#pub-lee2025preprint .pub-venue")) == "in press"


def test_macros_need_their_file_first(build_project):
    app = build_project(
        root="options",
        pages={"wrong": ".. publications:: lab.bib strings.bib\n"},
    )
    warnings = "\n".join(warnings_of(app))
    # lab.bib uses jmlr, neurips and ACL before strings.bib defines them
    for macro in ("jmlr", "neurips", "ACL"):
        assert re.search(rf"lab\.bib:\d+: .*undefined @string macro '{macro}'", warnings), macro


def test_a_changed_macro_file_changes_the_pages_that_use_it(build_project):
    app = build_project(root="options", pages={"all": ".. publications::\n"})
    strings = Path(app.srcdir) / "strings.bib"
    strings.write_text(
        strings.read_text(encoding="utf-8").replace(
            "Journal of Machine Learning Research", "J. Mach. Learn. Res."
        ),
        encoding="utf-8",
    )
    again = app.rebuild()
    html = again.soup("all")
    assert text_of(html.select_one("#pub-lee2024sparse .pub-venue")) == (
        "J. Mach. Learn. Res., Mar 2024"
    )
    assert text_of(html.select_one("#pub-okafor2021letter .pub-venue")) == (
        "J. Mach. Learn. Res., Nov 2021"
    )


# -- :filter: -----------------------------------------------------------------------------
FILTERS = {
    # the 2023 survey's year comes from its biblatex date
    "recent": (
        "year >= 2023",
        {"lee2024sparse", "okafor2024retrieval", "schmidt2023tokens", "muller2023survey"},
    ),
    "chained": (
        "2022 <= year <= 2023",
        {"schmidt2023tokens", "muller2023survey", "okafor2022thesis", "ws2022", "lee2022talk"},
    ),
    "author": (
        'author == "Okafor"',
        {
            "lee2024sparse",
            "okafor2024retrieval",
            "okafor2022thesis",
            "okafor2021letter",
            "okafor2020notes",
        },
    ),
    # a name with initials, without the accent the file spells in LaTeX
    "initials": ('"J. Muller" in author', {"schmidt2023tokens", "muller2023survey"}),
    # talks.bib's entry has "attention" among its keywords too
    "keyword": (
        '"attention" in keywords',
        {"lee2024sparse", "muller2023survey", "lee2025preprint", "lee2022talk"},
    ),
    "type": (
        'type in ("article", "phdthesis") and not selected',
        {"okafor2022thesis", "okafor2021letter"},
    ),
    "regex": (
        'title % "^(sparse|retrieval)"',
        {"lee2024sparse", "okafor2024retrieval", "lee2022talk"},
    ),
    "presence": ("doi or abstract", {"lee2024sparse", "okafor2024retrieval"}),
    "absent": ("not year and not author % 'lee'", {"okafor2020notes"}),
    "month": ("month in [3, 12]", {"lee2024sparse", "okafor2024retrieval"}),
    "inherited": ('booktitle % "workshop"', {"lee2022talk"}),
    "field": ('field("school") == "university of lagos"', {"okafor2022thesis"}),
    # the talk takes its editors from its crossref parent
    "editor": ('editor == "Anna Schmidt"', {"ws2022", "lee2022talk"}),
    "digits": ('year == "2021"', {"lab2021report", "okafor2021letter"}),
}


def test_filters(build_project):
    pages = {
        name: f".. publications::\n   :filter: {expression}\n   :group-by: none\n"
        for name, (expression, _) in FILTERS.items()
    }
    app = build_project(root="options", pages=pages)
    assert not [w for w in warnings_of(app) if "pubs.filter" in w]
    file_order = [key for _, keys in DEFAULT_ORDER for key in keys]
    for name, (expression, expected) in FILTERS.items():
        shown = keys_of(app, name)
        assert set(shown) == expected, (name, expression, shown)
        # no sort given: the grouping's order (none: the files' order)
        assert shown == sorted(shown, key=_file_position), name
    assert len(file_order) == 11


def _file_position(key):
    order = [
        "lee2024sparse",
        "okafor2024retrieval",
        "schmidt2023tokens",
        "muller2023survey",
        "okafor2022thesis",
        "ws2022",
        "lee2025preprint",
        "lab2021report",
        "okafor2020notes",
        "lee2022talk",
        "okafor2021letter",
    ]
    return order.index(key)


BAD_FILTERS = {
    "syntax": ("year >=", "not a valid expression"),
    "call": ('__import__("os").system("true")', "function calls"),
    "attribute": ("title.lower() == 'x'", "function calls"),
    "dunder": ("().__class__", "attribute access"),
    "subscript": ("keywords[0] == 'x'", "subscripts"),
    "arithmetic": ("year + 1 > 2020", "arithmetic"),
    "regex": ('title % "("', "bad regular expression"),
    "regexvar": ("title % author", "right side of %"),
    "lambda": ("lambda: 1", "lambda"),
    "comprehension": ("[x for x in keywords]", "comprehensions"),
    "walrus": ("(x := 1)", "assignment expressions"),
}


def test_bad_filters_warn_at_the_directive_and_leave_the_list_out(build_project):
    pages = {
        name: f".. publications::\n   :filter: {text}\n" for name, (text, _) in BAD_FILTERS.items()
    }
    pages["good"] = ".. publications::\n   :filter: year == 2024\n"
    app = build_project(root="options", pages=pages)
    warnings = warnings_of(app)
    for name, (_, reason) in BAD_FILTERS.items():
        mine = [w for w in warnings if f"{name}.rst:4:" in w]
        assert len(mine) == 1, (name, warnings)
        assert ":filter:" in mine[0] and reason in mine[0] and "[pubs.filter]" in mine[0], mine
        assert not app.soup(name).select("li.pub")
    assert keys_of(app, "good") == ["lee2024sparse", "okafor2024retrieval"]
    assert "Traceback" not in "\n".join(warnings)


# -- grouping -----------------------------------------------------------------------------
def test_group_by_type_with_names_and_order(build_project):
    pages = {
        "types": ".. publications::\n   :group-by: type\n",
        "ordered": ".. publications::\n   :group-by: type\n   :group-order: phdthesis, misc\n",
        "alpha": ".. publications::\n   :group-by: type\n   :group-order: asc\n",
    }
    conf = (
        '\npubs_type_names = {"misc": "Preprints", "unpublished": "Preprints"}\n'
        'pubs_type_order = ["inproceedings", "article"]\n'
    )
    app = build_project(root="options", pages=pages, conf=conf)
    assert groups_of(app, "types") == [
        ("Conference papers", ["okafor2024retrieval", "schmidt2023tokens", "lee2022talk"]),
        ("Journal articles", ["lee2024sparse", "muller2023survey", "okafor2021letter"]),
        ("Edited volumes", ["ws2022"]),
        ("Theses", ["okafor2022thesis"]),
        ("Reports", ["lab2021report"]),
        ("Preprints", ["lee2025preprint", "okafor2020notes"]),
    ]
    assert [label for label, _ in groups_of(app, "ordered")][:3] == [
        "Theses",
        "Preprints",
        "Conference papers",
    ]
    assert [label for label, _ in groups_of(app, "alpha")] == sorted(
        label for label, _ in groups_of(app, "types")
    )
    # type groups are sections with anchors named after them
    html = app.soup("types")
    assert [s["id"] for s in html.select("section.pubs-group")][:2] == [
        "pubs-conference-papers",
        "pubs-journal-articles",
    ]


def test_group_by_keywords_lists_an_entry_in_each_of_its_groups(build_project):
    app = build_project(
        root="options", pages={"topics": ".. publications::\n   :group-by: keywords\n"}
    )
    groups = dict(groups_of(app, "topics"))
    assert list(groups) == [
        "attention",
        "benchmarks",
        "evaluation",
        "long context",
        "reasoning",
        "retrieval",
        "scaling",
        "survey",
        "talk",
        "Other",
    ]
    assert [base_key(k) for k in groups["attention"]] == [
        "lee2024sparse",
        "muller2023survey",
        "lee2025preprint",
        "lee2022talk",
    ]
    # entries without keywords go last; anchors stay unique on the page
    assert [base_key(k) for k in groups["Other"]] == ["ws2022", "lab2021report", "okafor2020notes"]
    ids = [li["id"] for li in app.soup("topics").select("li.pub")]
    assert len(ids) == len(set(ids))
    assert "pub-lee2024sparse" in ids and "pub-lee2024sparse-2" in ids


def test_group_by_none_year_order_and_explicit_years(build_project):
    pages = {
        "flat": ".. publications::\n   :group-by: none\n",
        "oldest": ".. publications::\n   :group-order: asc\n",
        "picked": ".. publications::\n   :group-order: 2022, 2021\n",
        "bad": ".. publications::\n   :group-by: not a field\n",
    }
    app = build_project(root="options", pages=pages)
    flat = groups_of(app, "flat")
    assert len(flat) == 1 and flat[0][0] == ""
    assert flat[0][1] == sorted(flat[0][1], key=_file_position)
    assert not app.soup("flat").select("div.pubs h2, div.pubs .rubric")
    assert [label for label, _ in groups_of(app, "oldest")] == [
        "2021",
        "2022",
        "2023",
        "2024",
        "Undated",
    ]
    assert [label for label, _ in groups_of(app, "picked")] == [
        "2022",
        "2021",
        "2024",
        "2023",
        "Undated",
    ]
    assert any("bad.rst:4:" in w and ":group-by:" in w for w in warnings_of(app))


# -- sorting, limits, keys -----------------------------------------------------------------
def test_sort(build_project):
    pages = {
        "bydate": ".. publications::\n   :group-by: none\n   :sort: year desc, month desc, title\n",
        "bytitle": ".. publications::\n   :group-by: none\n   :sort: title\n",
        "byauthor": ".. publications::\n   :group-by: none\n   :sort: author, year\n",
        "ties": ".. publications::\n   :group-by: none\n   :sort: year\n",
        "ingroups": ".. publications::\n   :sort: title desc\n",
    }
    app = build_project(root="options", pages=pages)
    assert keys_of(app, "bydate") == [
        "okafor2024retrieval",  # Dec 2024
        "lee2024sparse",  # Mar 2024
        "schmidt2023tokens",  # Jul 2023
        "muller2023survey",  # Feb 2023
        "ws2022",  # May 2022
        "lee2022talk",  # May 2022 (from its parent), after by title
        "okafor2022thesis",  # 2022, no month: after those with one
        "okafor2021letter",
        "lab2021report",
        "okafor2020notes",  # no year, no month: last, by title
        "lee2025preprint",
    ]
    titles = [text_of(li.select_one(".pub-title")) for li in app.soup("bytitle").select("li.pub")]
    assert titles == sorted(titles, key=str.casefold)
    # by the authors' names, first author first (a paper of Lee alone before Lee and
    # Okafor), ties by year; ws2022 has no author: last
    assert keys_of(app, "byauthor") == [
        "lee2022talk",
        "lee2025preprint",
        "lee2024sparse",
        "muller2023survey",
        "okafor2022thesis",
        "okafor2020notes",
        "okafor2024retrieval",
        "okafor2021letter",
        "lab2021report",
        "schmidt2023tokens",
        "ws2022",
    ]
    # a stable sort: equal years keep the files' order
    assert keys_of(app, "ties")[:4] == [
        "lab2021report",
        "okafor2021letter",
        "okafor2022thesis",
        "ws2022",
    ]
    assert groups_of(app, "ingroups")[0] == ("2024", ["lee2024sparse", "okafor2024retrieval"])
    assert groups_of(app, "ingroups")[2] == (
        "2022",
        ["lee2022talk", "ws2022", "okafor2022thesis"],
    )


def test_limit_keys_exclude_and_selected(build_project):
    pages = {
        "latest": ".. publications::\n   :limit: 3\n",
        "keys": ".. publications::\n   :keys: okafor2021letter, LEE2024SPARSE\n      nosuchkey\n",
        "keysbyyear": (
            ".. publications::\n   :keys: okafor2021letter lee2024sparse\n   :group-by: year\n"
        ),
        "exclude": (
            ".. publications::\n   :exclude: lee2025preprint okafor2020notes\n   :limit: 100\n"
        ),
        "selected": ".. publications::\n   :selected:\n   :filter: year < 2024\n",
    }
    app = build_project(root="options", pages=pages)
    assert groups_of(app, "latest") == [
        ("2024", ["lee2024sparse", "okafor2024retrieval"]),
        ("2023", ["schmidt2023tokens"]),
    ]
    # :keys: keeps the order given, in one group; keys match regardless of case
    assert groups_of(app, "keys") == [("", ["okafor2021letter", "lee2024sparse"])]
    assert groups_of(app, "keysbyyear") == [
        ("2024", ["lee2024sparse"]),
        ("2021", ["okafor2021letter"]),
    ]
    assert [label for label, _ in groups_of(app, "exclude")] == ["2024", "2023", "2022", "2021"]
    assert keys_of(app, "selected") == ["muller2023survey"]
    warnings = warnings_of(app)
    assert any("keys.rst:4:" in w and "'nosuchkey'" in w and "[pubs.key]" in w for w in warnings), (
        warnings
    )


# -- what entries show ----------------------------------------------------------------------
def test_bibtex_option(build_project):
    bib = "@misc{a, title={A}, year={2020}, bibtex_show={true}}\n@misc{b, title={B}, year={2020}}\n"
    pages = {
        "marked": ".. publications:: x.bib\n",
        "all": ".. publications:: x.bib\n   :bibtex:\n",
        "none": ".. publications:: x.bib\n   :bibtex: none\n",
    }
    app = build_project(root="options", pages=pages, files={"x.bib": bib})

    def shown(page):
        html = app.soup(page)
        return [bool(li.select_one("details.pub-bibtex")) for li in html.select("li.pub")]

    assert shown("marked") == [True, False]
    assert shown("all") == [True, True]
    assert shown("none") == [False, False]


def test_numbering(build_project):
    pages = {
        "down": ".. publications::\n   :reversed-numbering:\n",
        "up": ".. publications::\n   :numbered:\n   :group-by: type\n",
    }
    app = build_project(root="options", pages=pages)
    for page, expected in (("down", list(range(11, 0, -1))), ("up", list(range(1, 12)))):
        html = app.soup(page)
        items = html.select("li.pub")
        assert [int(li["value"]) for li in items] == expected
        assert [text_of(li.select_one(".pub-number")) for li in items] == [
            f"{n}." for n in expected
        ]
        assert all("pubs-numbered" in ol["class"] for ol in html.select("ol.pubs-entries"))


def test_numbering_in_text_output(build_project):
    app = build_project(
        root="options",
        pages={"down": ".. publications::\n   :reversed-numbering:\n   :limit: 3\n"},
        builder="text",
    )
    text = app.text("down.txt")
    assert re.findall(r"\[(\d+)\] ", text) == ["3", "2", "1"]
    assert "Sparse Attention for Long Documents" in text


def test_two_lists_on_a_page(build_project):
    page = (
        "Journal\n-------\n\n.. publications::\n   :filter: type == 'article'\n\n"
        "Conference\n----------\n\n.. publications::\n   :filter: type == 'inproceedings'\n"
    )
    app = build_project(root="options", pages={"split": page})
    html = app.soup("split")
    ids = [node["id"] for node in html.select("[id]")]
    assert len(ids) == len(set(ids))
    assert keys_of(app, "split", 0) == ["lee2024sparse", "muller2023survey", "okafor2021letter"]
    assert keys_of(app, "split", 1) == ["okafor2024retrieval", "schmidt2023tokens", "lee2022talk"]
    # both lists have a 2024 group, with distinct anchors
    assert "pubs-2024" in ids and "pubs-2024-2" in ids


def test_options_in_every_builder(build_project):
    page = (
        ".. publications::\n   :group-by: keywords\n   :sort: year desc\n   :limit: 4\n"
        "   :reversed-numbering:\n   :bibtex:\n"
    )
    for builder in ("text", "latex", "man", "texinfo", "epub", "singlehtml", "dirhtml"):
        app = build_project(root="options", pages={"topics": page}, builder=builder)
        assert not [w for w in warnings_of(app) if "pubs." in w and "has no year" not in w]
