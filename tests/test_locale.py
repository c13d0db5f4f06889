"""Labels go through Sphinx's locale machinery; the package ships German and French."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import soup, text_of, write_project

BIB = (
    "@article{k, title = {T}, year = 2020, abstract = {A.}, doi = {10.1000/x},\n"
    "  slides = {https://example.org/s}, author = {A A and B B and C C and D D and E E}}\n"
)


@pytest.mark.parametrize(
    ("language", "abstract", "more", "slides"),
    [
        ("de", "Zusammenfassung", "2 weitere Personen", "Folien"),
        ("fr", "Résumé", "2 autres auteurs", "Diapositives"),
        ("en", "Abstract", "2 more authors", "Slides"),
    ],
)
def test_labels_are_translated(make_app, tmp_path, language, abstract, more, slides):
    conf = f'extensions = ["sphinx_pubs"]\nlanguage = "{language}"\n'
    srcdir = write_project(
        tmp_path / "src",
        {"conf.py": conf, "index.rst": "P\n=\n\n.. publications:: a.bib\n", "a.bib": BIB},
    )
    app = make_app("html", srcdir=srcdir)
    app.build()
    entry = soup(Path(app.outdir) / "index.html").select_one("#pub-k")
    assert text_of(entry.select_one("details.pub-abstract summary")) == abstract
    assert text_of(entry.select_one("a.pub-more-authors")) == more
    assert text_of(entry.select_one("a.pub-button-slides")) == slides


@pytest.mark.parametrize(
    ("language", "groups"),
    [
        ("de", ["Zeitschriftenartikel", "Konferenzbeiträge", "Meine Vorträge", "Sonstiges"]),
        ("fr", ["Articles de revue", "Communications de conférence", "Meine Vorträge", "Autres"]),
        ("en", ["Journal articles", "Conference papers", "Meine Vorträge", "Other"]),
    ],
)
def test_type_groups_are_translated(make_app, tmp_path, language, groups):
    # pubs_type_names wins over the translation; "Other" holds the entries whose
    # type has no name of its own (misc)
    conf = (
        f'extensions = ["sphinx_pubs"]\nlanguage = "{language}"\n'
        'pubs_type_names = {"unpublished": "Meine Vorträge"}\n'
    )
    bib = (
        "@misc{m, title={M}, year=2020}\n@unpublished{u, title={U}, year=2020}\n"
        "@inproceedings{c, title={C}, year=2020}\n@article{a, title={A}, year=2020}\n"
    )
    page = "P\n=\n\n.. publications:: a.bib\n   :group-by: type\n   :headings: rubric\n"
    srcdir = write_project(tmp_path / "src", {"conf.py": conf, "index.rst": page, "a.bib": bib})
    app = make_app("html", srcdir=srcdir)
    app.build()
    html = soup(Path(app.outdir) / "index.html")
    assert [text_of(r) for r in html.select("div.pubs .rubric")] == groups


@pytest.mark.parametrize(
    ("language", "conf", "heading"),
    [
        ("de", "", "Ohne Jahr"),
        ("fr", "", "Sans date"),
        ("de", 'pubs_undated_label = "Demnächst"\n', "Demnächst"),
    ],
)
def test_undated_group_is_translated_unless_configured(make_app, tmp_path, language, conf, heading):
    bib = "@misc{a, title={A}, year={in press}}\n"
    page = "P\n=\n\n.. publications:: a.bib\n   :headings: rubric\n"
    srcdir = write_project(
        tmp_path / "src",
        {
            "conf.py": f'extensions = ["sphinx_pubs"]\nlanguage = "{language}"\n{conf}',
            "index.rst": page,
            "a.bib": bib,
        },
    )
    app = make_app("html", srcdir=srcdir)
    app.build()
    html = soup(Path(app.outdir) / "index.html")
    assert [text_of(r) for r in html.select("div.pubs .rubric")] == [heading]
