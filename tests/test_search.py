"""The search box's markup and options, as the build writes them (the box itself is
drawn by sphinx-pubs-search.js; tests/test_browser_search.py drives it)."""

from __future__ import annotations

import json

from helpers import warnings_of


def page_of(app, name):
    return app.soup(name)


def scripts(page):
    return [s["src"].split("?")[0] for s in page.find_all("script", src=True)]


def test_search_markup(build_project):
    pages = {
        "find": ".. publications::\n   :search:\n   :facets: year, type\n",
        "plain": ".. publications::\n",
    }
    app = build_project(root="options", pages=pages)
    assert not [w for w in warnings_of(app) if "pubs.option" in w]
    page = page_of(app, "find")
    (lst,) = page.select("div.pubs[data-pubs-search]")
    config = json.loads(lst["data-pubs-search"])
    assert config["facets"] == ["year", "type"]
    # the names of the types the list has, for the type facet
    assert config["types"] == {
        "article": "Journal articles",
        "inproceedings": "Conference papers",
        "misc": "Other",
        "phdthesis": "Theses",
        "proceedings": "Edited volumes",
        "techreport": "Reports",
        "unpublished": "Unpublished",
    }
    assert config["labels"]["count"] == "{shown} of {total}"
    entry = page.select_one("li#pub-lee2024sparse")
    assert entry["data-year"] == "2024"
    assert entry["data-keywords"] == "attention, long context"
    assert page.select_one("li#pub-okafor2024retrieval")["data-keywords"] == "retrieval, reasoning"
    assert page.select_one("li#pub-lee2025preprint")["data-year"] == ""  # "in press"
    assert "_static/sphinx-pubs-search.js" in scripts(page)
    # a list without a search box: no data, no script
    plain = page_of(app, "plain")
    assert not plain.select("[data-pubs-search], li[data-year]")
    assert "_static/sphinx-pubs-search.js" not in scripts(plain)
    assert "_static/sphinx-pubs.js" in scripts(plain)


def test_config_and_off_switch(build_project):
    pages = {
        "on": ".. publications::\n",
        "off": ".. publications::\n   :search: off\n",
        "facets": ".. publications::\n   :facets: year bogus\n",
    }
    conf = 'pubs_search = True\npubs_search_facets = ["type"]\n'
    app = build_project(root="options", pages=pages, conf=conf)
    on = json.loads(page_of(app, "on").select_one("div.pubs")["data-pubs-search"])
    assert on["facets"] == ["type"]
    assert not page_of(app, "off").select("[data-pubs-search]")
    facets = json.loads(page_of(app, "facets").select_one("div.pubs")["data-pubs-search"])
    assert facets["facets"] == ["year"]
    assert any(
        "facets.rst:4:" in w and "unknown facet 'bogus'" in w and "[pubs.option]" in w
        for w in warnings_of(app)
    )


def test_hostile_keywords_stay_data(build_project):
    bib = '@misc{x, title={X}, year=2020, keywords={"><script>alert(1)</script>, a&b}}\n'
    pages = {"x": ".. publications:: x.bib\n   :search:\n   :headings: rubric\n"}
    app = build_project(root="options", pages=pages, files={"x.bib": bib})
    page = page_of(app, "x")
    assert page.select_one("li#pub-x")["data-keywords"] == '"><script>alert(1)</script>, a&b'
    assert not [s for s in page.find_all("script") if "alert" in (s.string or "")]


def test_translated_labels(build_project):
    app = build_project(
        root="options", pages={"de": ".. publications::\n   :search:\n"}, conf='language = "de"\n'
    )
    config = json.loads(page_of(app, "de").select_one("div.pubs")["data-pubs-search"])
    assert config["labels"]["count"] == "{shown} von {total}"
    assert config["labels"]["search"] == "Publikationen durchsuchen"
    assert config["types"]["article"] == "Zeitschriftenartikel"


def test_other_builders_ignore_it(build_project):
    for builder in ("text", "latex", "epub", "singlehtml", "dirhtml"):
        app = build_project(
            root="options", pages={"find": ".. publications::\n   :search:\n"}, builder=builder
        )
        assert not [w for w in warnings_of(app) if "pubs." in w and "has no year" not in w]


def test_keywords_written_decoded(build_project):
    bib = '@misc{x, title={X}, year=2020, keywords={na{\\"i}ve {B}ayes, Gr{\\"o}bner}}\n'
    app = build_project(
        root="options", pages={"x": ".. publications:: x.bib\n   :search:\n"}, files={"x.bib": bib}
    )
    assert page_of(app, "x").select_one("li#pub-x")["data-keywords"] == "naïve Bayes, Gröbner"
