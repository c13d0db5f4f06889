"""The directive's arguments, options and config values, on real builds."""

from __future__ import annotations

import pytest
from helpers import text_of, warnings_of

A_BIB = """\
@article{a1, title = {Alpha One}, author = {Ann Author and Bob Builder and Cy Coder and Di Dev},
  journal = {Journal A}, year = 2021, month = may}
@inproceedings{a2, title = {Alpha Two}, author = {Ann Author}, booktitle = {Proc. of Things},
  location = {Lyon, France}, year = 2020, month = {July}}
"""
B_BIB = """\
@phdthesis{b1, title = {Beta Thesis}, author = {Eve Example and Fay Friend}, school = {MIT},
  year = 2019}
@article{a1, title = {Duplicate across files}, year = 2000}
"""


def test_several_files_relative_and_absolute(build_project):
    page = "Pubs\n====\n\n.. publications:: ../bibs/a.bib /bibs/b.bib\n"
    app = build_project(
        {
            "sub/index.rst": page,
            "index.rst": "Home\n====\n\n.. toctree::\n\n   sub/index\n",
            "bibs/a.bib": A_BIB,
            "bibs/b.bib": B_BIB,
        },
    )
    html = app.soup("sub/index")
    keys = [li["id"] for li in html.select("li.pub")]
    assert keys == ["pub-a1", "pub-a2", "pub-b1"]
    warnings = warnings_of(app)
    assert any("b.bib:3" in w and "duplicate key 'a1'" in w and "a.bib:1" in w for w in warnings)


def test_entry_lines(build_project):
    app = build_project(
        {
            "index.rst": "Pubs\n====\n\n.. publications:: a.bib b.bib\n",
            "a.bib": A_BIB,
            "b.bib": B_BIB,
        },
    )
    html = app.soup()
    a1, a2, b1 = (html.select_one(f"#pub-{k}") for k in ("a1", "a2", "b1"))
    assert text_of(a1.select_one(".pub-authors")) == (
        "Ann Author, Bob Builder, Cy Coder, and 1 more author"
    )
    assert text_of(a1.select_one(".pub-authors-all")).startswith(
        "Ann Author, Bob Builder, Cy Coder, and Di Dev"
    )
    assert text_of(a1.select_one(".pub-venue")) == "Journal A, May 2021"
    assert text_of(a2.select_one(".pub-authors")) == "Ann Author"
    assert text_of(a2.select_one(".pub-venue")) == "In Proc. of Things, Lyon, France, Jul 2020"
    assert text_of(b1.select_one(".pub-authors")) == "Eve Example and Fay Friend"
    assert text_of(b1.select_one(".pub-venue")) == "MIT, 2019"
    # the "more authors" control points at the full list, which has the entry's id
    more = a1.select_one("a.pub-more-authors")
    assert more["href"] == "#pub-a1-authors"
    assert more["aria-expanded"] == "false"
    assert a1.select_one(".pub-authors-all")["id"] == "pub-a1-authors"


def test_options(build_project):
    page = (
        "Pubs\n====\n\n.. publications:: a.bib\n   :max-authors: 0\n   :abstracts: expanded\n"
        "   :headings: rubric\n   :class: mine\n"
    )
    bib = A_BIB.replace("year = 2021,", "year = 2021, abstract = {Some text.},")
    app = build_project({"index.rst": page, "a.bib": bib})
    html = app.soup()
    pubs = html.select_one("div.pubs")
    assert "mine" in pubs["class"]
    assert not html.select("section.pubs-group")
    assert [text_of(r) for r in pubs.select("p.rubric")] == ["2021", "2020"]
    a1 = html.select_one("#pub-a1")
    assert text_of(a1.select_one(".pub-authors")) == (
        "Ann Author, Bob Builder, Cy Coder, and Di Dev"
    )
    assert a1.select_one("details.pub-abstract").has_attr("open")


def test_config_values_and_hidden_abstracts(build_project):
    conf = (
        'extensions = ["sphinx_pubs"]\npubs_bibfiles = ["a.bib"]\npubs_max_authors = 1\n'
        'pubs_abstracts = "hidden"\npubs_undated_label = "Forthcoming"\n'
    )
    bib = A_BIB + "@misc{u, title = {Someday}, abstract = {Hidden text.}}\n"
    app = build_project(
        {
            "conf.py": conf,
            "index.rst": "Pubs\n====\n\n.. publications::\n",
            "a.bib": bib,
        },
    )
    html = app.soup()
    assert text_of(html.select_one("#pub-a1 .pub-authors")) == "Ann Author and 3 more authors"
    assert not html.select("details.pub-abstract")
    assert text_of(html.select("section.pubs-group")[-1].find("h2")).startswith("Forthcoming")


def test_falls_back_to_bibtex_bibfiles(build_project):
    conf = 'extensions = ["sphinxcontrib.bibtex", "sphinx_pubs"]\nbibtex_bibfiles = ["a.bib"]\n'
    app = build_project(
        {
            "conf.py": conf,
            "index.rst": "Pubs\n====\n\n.. publications::\n",
            "a.bib": A_BIB,
        },
    )
    assert warnings_of(app) == []
    assert len(app.soup().select("li.pub")) == 2


def test_same_file_for_sphinxcontrib_bibtex_and_us(build_project):
    # one site, one file: sphinxcontrib-bibtex cites and lists it on one page, we
    # list it, filtered, on another
    conf = 'extensions = ["sphinxcontrib.bibtex", "sphinx_pubs"]\nbibtex_bibfiles = ["a.bib"]\n'
    app = build_project(
        {
            "conf.py": conf,
            "index.rst": "Home\n====\n\n.. toctree::\n\n   pubs\n   refs\n",
            "pubs.rst": "Pubs\n====\n\n.. publications::\n   :filter: key == 'a2'\n",
            "refs.rst": "Refs\n====\n\nAs :cite:t:`a1` shows.\n\n.. bibliography::\n",
            "a.bib": A_BIB,
        },
    )
    assert warnings_of(app) == []
    pubs = app.soup("pubs")
    assert [li["id"] for li in pubs.select("li.pub")] == ["pub-a2"]
    refs = app.soup("refs")
    assert "Author et al." in text_of(refs.select_one("div.body, body"))
    assert "Alpha one" in text_of(refs.select_one("div.citation, dl.citation"))


def test_no_file_anywhere_is_a_warning(build_project):
    app = build_project({"index.rst": "Pubs\n====\n\n.. publications::\n"})
    assert app.statuscode == 0
    assert any("index.rst:4" in w and "no bibliography file" in w for w in warnings_of(app))


def test_two_lists_on_one_page_get_unique_anchors(build_project):
    page = (
        "Pubs\n====\n\nJournal\n-------\n\n.. publications:: a.bib\n\n"
        "Again\n-----\n\n.. publications:: a.bib\n"
    )
    app = build_project({"index.rst": page, "a.bib": A_BIB})
    html = app.soup()
    ids = [tag["id"] for tag in html.select("[id]")]
    assert len(ids) == len(set(ids))
    assert "pub-a1" in ids and "pub-a1-2" in ids
    assert "pubs-2021" in ids and "pubs-2021-2" in ids


def test_directive_inside_a_container_uses_rubrics(build_project):
    page = "Pubs\n====\n\n.. note::\n\n   .. publications:: a.bib\n"
    app = build_project({"index.rst": page, "a.bib": A_BIB})
    assert warnings_of(app) == []
    html = app.soup()
    assert [text_of(r) for r in html.select("div.pubs p.rubric")] == ["2021", "2020"]


def test_myst(build_project):
    conf = 'extensions = ["myst_parser", "sphinx_pubs"]\n'
    page = "# Publications\n\n```{publications} a.bib\n:max-authors: 2\n```\n"
    app = build_project({"conf.py": conf, "index.md": page, "a.bib": A_BIB})
    assert warnings_of(app) == []
    html = app.soup()
    assert text_of(html.select_one("#pub-a1 .pub-authors")) == (
        "Ann Author, Bob Builder, and 2 more authors"
    )
    assert [s["id"] for s in html.select("section.pubs-group")] == ["pubs-2021", "pubs-2020"]


@pytest.mark.parametrize("builder", ["html", "text"])
def test_output_is_deterministic(build_project, builder):
    outputs = []
    for _ in range(2):
        app = build_project(root="seed", builder=builder)
        outputs.append(app.path("index").read_bytes())
    assert outputs[0] == outputs[1]


def test_invalid_config_value_is_a_warning(build_project):
    conf = 'extensions = ["sphinx_pubs"]\npubs_abstracts = "sideways"\n'
    app = build_project(
        {
            "conf.py": conf,
            "index.rst": "Pubs\n====\n\n.. publications:: a.bib\n",
            "a.bib": A_BIB,
        },
    )
    assert any("pubs_abstracts" in w for w in warnings_of(app))
    assert len(app.soup().select("li.pub")) == 2


def test_quotes_follow_latex_rules(build_project):
    """``'`` is a right quote and ``"`` stays straight, as LaTeX typesets them; Sphinx's
    smart quotes do not touch the list (the .bib's quote markup already says it all)."""
    bib = (
        '@article{q, title = {The "Green" List: Don\'t Stop}, year = 2020,\n'
        "  abstract = {A \"quoted\" word, ``LaTeX quotes'' and it's done.}}\n"
    )
    app = build_project({"index.rst": "Pubs\n====\n\n.. publications:: a.bib\n", "a.bib": bib})
    html = app.soup()
    assert text_of(html.select_one("#pub-q .pub-title")) == 'The "Green" List: Don’t Stop'
    assert text_of(html.select_one("#pub-q .pub-toggle-body")) == (
        'A "quoted" word, “LaTeX quotes” and it’s done.'
    )


@pytest.mark.parametrize("indexed", [False, True])
def test_search_index_and_abstracts(build_project, indexed):
    conf = f'extensions = ["sphinx_pubs"]\npubs_search_abstracts = {indexed}\n'
    bib = "@article{s, title = {Zebrafish Title}, year = 2020, abstract = {Quokkas abound.}}\n"
    app = build_project(
        {
            "conf.py": conf,
            "index.rst": "Pubs\n====\n\n.. publications:: a.bib\n",
            "a.bib": bib,
        },
    )
    index = app.text("searchindex.js")
    assert "zebrafish" in index
    assert ("quokka" in index) is indexed


def test_config_file_may_be_an_absolute_path(build_project, tmp_path):
    outside = tmp_path / "elsewhere" / "papers.bib"
    outside.parent.mkdir()
    outside.write_text(A_BIB, encoding="utf-8")
    conf = f'extensions = ["sphinx_pubs"]\npubs_bibfiles = [{str(outside)!r}]\n'
    app = build_project({"conf.py": conf, "index.rst": "P\n=\n\n.. publications::\n"})
    assert warnings_of(app) == []
    assert len(app.soup().select("li.pub")) == 2


@pytest.mark.parametrize("builder", ["html", "text"])
def test_crossref_across_files(build_project, builder):
    child = "@inproceedings{c, title = {Child}, author = {Ann Author}, crossref = {p}}\n"
    parent = "@proceedings{p, title = {Proc. of Things}, year = 2019, month = jun}\n"
    app = build_project(
        {"index.rst": "P\n=\n\n.. publications:: a.bib b.bib\n", "a.bib": child, "b.bib": parent},
        builder=builder,
    )
    assert warnings_of(app) == []
    if builder == "html":
        venue = app.soup().select_one("#pub-c .pub-venue")
        assert text_of(venue) == "In Proc. of Things, Jun 2019"
    else:
        text = app.text("index.txt")
        assert "In Proc. of Things, Jun 2019" in text
