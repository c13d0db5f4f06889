"""sphinxcontrib-bibtex's ``:cite:`` roles link to the entries publications lists show."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import text_of, warnings_of

from sphinx_pubs.sphinx_ext import citebridge
from sphinx_pubs.sphinx_ext.state import Bridge, cite_bridge

pytest.importorskip("sphinxcontrib.bibtex")

BIB = r"""@article{ko2025,
  title = {Distilling {LLMs}},
  author = {Ko, Jongwoo and Kim, Sungnyun},
  journal = {J. Big Models}, year = {2025},
}
@article{pair2024,
  title = {Two of Us},
  author = {Curie, Marie and Curie, Pierre},
  journal = {Nature}, year = {2024},
}
@book{eds2023,
  title = {An Edited Book},
  author = {van Dyck, Anna},
  publisher = {Springer}, year = {2023},
}
@misc{other2020,
  title = {Cited Elsewhere},
  author = {Else, Where},
  year = {2020},
}
@misc{stray2019,
  title = {In No List},
  author = {Stray, Cat},
  year = {2019},
}
"""

CONF = """extensions = ["sphinxcontrib.bibtex", "sphinx_pubs"]
bibtex_bibfiles = ["refs.bib"]
show_warning_types = True
"""

HOME = "Home\n====\n\n.. toctree::\n\n   pubs\n   cites\n"
PUBS = "Publications\n============\n\n.. publications:: refs.bib\n   :filter: year >= 2023\n"
CITES = """Cites
=====

Parenthetical :cite:p:`ko2025`, textual :cite:t:`pair2024`, plain :cite:`eds2023`.
"""


def _sources(conf: str = CONF, cites: str = CITES, **files: str) -> dict[str, str]:
    """The project: a list of refs.bib on "pubs", citations of it on "cites"."""
    sources = {
        "conf.py": conf,
        "index.rst": HOME,
        "pubs.rst": PUBS,
        "cites.rst": cites,
        "refs.bib": BIB,
    }
    return {**sources, **files}


def citations(app, page: str = "cites") -> list[tuple[str, str]]:
    """(text, href) of each citation sphinxcontrib-bibtex made on *page*."""
    html = app.soup(page)
    return [
        (text_of(span), ";".join(a["href"] for a in span.select("a")))
        for span in html.select("p > span[id]")
    ]


def problems(app) -> list[str]:
    """Warnings of sphinxcontrib-bibtex and ours (not of Sphinx's test harness)."""
    return [w for w in warnings_of(app) if "[bibtex." in w or "[pubs." in w]


def test_cite_roles_link_to_the_listed_entries(build_project):
    app = build_project(_sources())
    assert warnings_of(app) == []
    # bibtex's own labels ("alpha" style) and reference styles, our anchors
    assert citations(app) == [
        ("[KK25]", "pubs.html#pub-ko2025"),
        ("Curie and Curie [CC24]", "pubs.html#pub-pair2024"),
        ("[vD23]", "pubs.html#pub-eds2023"),
    ]
    # the anchors are the entries' own
    pubs = app.soup("pubs")
    for key in ("ko2025", "pair2024", "eds2023"):
        assert pubs.select_one(f"li#pub-{key}") is not None
    # and the tooltip is bibtex's formatted entry
    link = app.soup("cites").select_one("p > span[id] a")
    assert "Distilling LLMs" in link.get("title", "")


def test_author_year_reference_style(build_project):
    conf = CONF + 'bibtex_reference_style = "author_year"\n'
    app = build_project(_sources(conf))
    assert warnings_of(app) == []
    assert citations(app) == [
        ("[Ko and Kim, 2025]", "pubs.html#pub-ko2025"),
        ("Curie and Curie [2024]", "pubs.html#pub-pair2024"),
        ("[van Dyck, 2023]", "pubs.html#pub-eds2023"),
    ]


def test_a_real_bibliography_keeps_its_own_citations(build_project):
    # the bibliography on "refs" shows what is cited there: ko2025, which is also
    # listed; the bibliography is its target, from "refs" and from "cites"
    refs = (
        "Refs\n====\n\n:cite:p:`ko2025` and :cite:p:`other2020`.\n\n"
        ".. bibliography::\n   :filter: docname in docnames\n"
    )
    files = {"index.rst": HOME + "   refs\n", "refs.rst": refs}
    app = build_project(_sources(**files))
    assert warnings_of(app) == []
    refs_html = app.soup("refs")
    ids = [tag["id"] for tag in refs_html.select("div.citation[id]")]
    assert len(ids) == 2
    ko = citations(app)[0]
    assert ko[0] == "[KK25]" and ko[1].startswith("refs.html#") and ko[1].split("#")[1] in ids
    assert citations(app)[1:] == [
        ("Curie and Curie [CC24]", "pubs.html#pub-pair2024"),
        ("[vD23]", "pubs.html#pub-eds2023"),
    ]
    assert citations(app, "refs")[0] == ("[KK25]", "#" + ko[1].split("#")[1])


def test_a_bibliography_of_everything_cited_takes_every_citation(build_project):
    # the default filter of a bibliography is "cited", anywhere: it shows every
    # key a :cite: role names, so all of them are its own
    refs = "Refs\n====\n\n:cite:p:`other2020`.\n\n.. bibliography::\n"
    files = {"index.rst": HOME + "   refs\n", "refs.rst": refs}
    app = build_project(_sources(**files))
    assert warnings_of(app) == []
    assert all(href.startswith("refs.html#") for _, href in citations(app))


def test_a_key_in_no_list_is_still_bibtex_s_warning(build_project):
    cites = CITES + "\nAnd :cite:p:`stray2019`, and :cite:p:`nosuch`.\n"
    app = build_project(_sources(cites=cites))
    warnings = warnings_of(app)
    assert len(warnings) == 2, warnings
    assert 'could not find bibtex key "stray2019"' in warnings[0]
    assert warnings[0].endswith("[bibtex.key_not_found]")
    assert 'could not find bibtex key "nosuch"' in warnings[1]
    assert [href for _, href in citations(app)] == [
        "pubs.html#pub-ko2025",
        "pubs.html#pub-pair2024",
        "pubs.html#pub-eds2023",
        "",
        "",
    ]


def test_turned_off(build_project):
    conf = CONF + "pubs_cite_links = False\n"
    app = build_project(_sources(conf))
    warnings = warnings_of(app)
    assert len(warnings) == 3 and all("[bibtex.key_not_found]" in w for w in warnings)
    assert all(href == "" for _, href in citations(app))


def _degraded(app) -> None:
    warnings = warnings_of(app)
    ours = [w for w in warnings if "[pubs.bibtex]" in w]
    assert len(ours) == 1, warnings
    assert "sphinx-pubs:" in ours[0] and ":cite: roles will not link to publications" in ours[0]
    # otherwise sphinxcontrib-bibtex works as it does on its own
    rest = [w for w in warnings if w not in ours]
    assert len(rest) == 3 and all("[bibtex.key_not_found]" in w for w in rest), warnings
    assert all(href == "" for _, href in citations(app))
    pubs = app.soup("pubs")
    assert pubs.select_one("li#pub-ko2025") is not None


def test_an_untested_version_is_one_warning(build_project, monkeypatch):
    monkeypatch.setattr(citebridge, "bibtex_version", lambda app: "3.0.0")
    app = build_project(_sources())
    _degraded(app)
    assert "sphinxcontrib-bibtex 3.0.0 is not one of the tested versions" in warnings_of(app)[0]


def test_changed_internals_are_one_warning(build_project, monkeypatch):
    from sphinxcontrib.bibtex.directives import BibliographyValue

    monkeypatch.setattr(BibliographyValue, "_fields", (*BibliographyValue._fields, "new"))
    app = build_project(_sources())
    _degraded(app)
    assert "changed its internals" in warnings_of(app)[0]


def test_internals_that_fail_are_one_warning(build_project, monkeypatch):
    # shapes as checked, and a record that cannot be made all the same
    from sphinxcontrib.bibtex.directives import BibliographyKey

    def value(**fields):
        raise TypeError("a new signature")

    monkeypatch.setattr(citebridge, "internals", lambda app: (BibliographyKey, value))
    app = build_project(_sources())
    _degraded(app)
    assert "a new signature" in warnings_of(app)[0]


def test_turned_off_is_silent_about_versions(build_project, monkeypatch):
    monkeypatch.setattr(citebridge, "bibtex_version", lambda app: "3.0.0")
    app = build_project(_sources(CONF + "pubs_cite_links = False\n"))
    assert not [w for w in warnings_of(app) if "[pubs.bibtex]" in w]


def test_unexpected_citations_are_one_warning(build_project, monkeypatch):
    # sphinxcontrib-bibtex that takes our records but computes something else
    from sphinxcontrib.bibtex.domain import BibtexDomain

    computed = BibtexDomain.env_updated

    def env_updated(self):
        result = computed(self)
        self.data["citations"] = [
            c for c in self.citations if not c.bibliography_key.id_.startswith("sphinx-pubs-")
        ]
        return result

    monkeypatch.setattr(BibtexDomain, "env_updated", env_updated)
    app = build_project(_sources())
    ours = [w for w in warnings_of(app) if "[pubs.bibtex]" in w]
    assert len(ours) == 1 and "did not take the citations as expected" in ours[0]


def test_extension_order_does_not_matter(build_project):
    conf = CONF.replace(
        '["sphinxcontrib.bibtex", "sphinx_pubs"]', '["sphinx_pubs", "sphinxcontrib.bibtex"]'
    )
    app = build_project(_sources(conf))
    assert warnings_of(app) == []
    assert citations(app)[0] == ("[KK25]", "pubs.html#pub-ko2025")


def test_no_sphinxcontrib_bibtex(build_project):
    conf = 'extensions = ["sphinx_pubs"]\n'
    cites = "Cites\n=====\n\n:pub:`ko2025`\n"
    app = build_project(_sources(conf, cites=cites))
    assert warnings_of(app) == []
    assert cite_bridge(app.env) == Bridge()


def test_a_key_that_moves_rewrites_the_citing_page(build_project):
    # eds2023 moves from "pubs" to "books" when its year is edited
    books = "Books\n=====\n\n.. publications:: refs.bib\n   :filter: year < 2023\n"
    files = {
        "books.rst": books,
        "other.rst": "Other\n=====\n\nNo citations.\n",
        "index.rst": HOME + "   books\n   other\n",
    }
    app = build_project(_sources(**files))
    srcdir = Path(app.srcdir)
    assert warnings_of(app) == []
    assert citations(app)[2] == ("[vD23]", "pubs.html#pub-eds2023")
    bib = srcdir / "refs.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8").replace(
            "publisher = {Springer}, year = {2023}", "publisher = {Springer}, year = {2022}"
        ),
        encoding="utf-8",
    )
    app = build_project(srcdir=srcdir, freshenv=False)
    written = app.written
    assert "cites" in written and "other" not in written
    assert citations(app)[2] == ("[vD22]", "books.html#pub-eds2023")
    assert citations(app)[:2] == [
        ("[KK25]", "pubs.html#pub-ko2025"),
        ("Curie and Curie [CC24]", "pubs.html#pub-pair2024"),
    ]
    # nothing changed: nothing is written again
    app = build_project(srcdir=srcdir, freshenv=False)
    written = app.written
    assert "cites" not in written


def test_parallel_equals_serial(build_project):
    pages = {
        f"p{i}.rst": f"P{i}\n==\n\n:cite:p:`ko2025` :cite:t:`pair2024` :cite:`eds2023`\n"
        for i in range(6)
    }
    home = HOME + "".join(f"   p{i}\n" for i in range(6))
    outputs = []
    for jobs in (1, 2):
        app = build_project(_sources(**pages, **{"index.rst": home}), parallel=jobs)
        assert problems(app) == []
        outputs.append(
            {
                path.relative_to(app.outdir).as_posix(): path.read_bytes()
                for path in sorted(Path(app.outdir).glob("*.html"))
            }
        )
    assert outputs[0].keys() == outputs[1].keys()
    for page in outputs[0]:
        assert outputs[0][page] == outputs[1][page], page
    assert b'href="pubs.html#pub-ko2025"' in outputs[0]["p3.html"]


def test_dirhtml(build_project):
    app = build_project(_sources(), builder="dirhtml")
    assert warnings_of(app) == []
    html = app.soup("cites/index")
    hrefs = [a["href"] for a in html.select("p > span[id] a")]
    assert hrefs == ["../pubs/#pub-ko2025", "../pubs/#pub-pair2024", "../pubs/#pub-eds2023"]


def test_latex_has_the_targets(build_project):
    refs = (
        "Refs\n====\n\n:cite:p:`other2020`.\n\n.. bibliography::\n   :filter: docname in docnames\n"
    )
    app = build_project(
        _sources(**{"index.rst": HOME + "   refs\n", "refs.rst": refs}), builder="latex"
    )
    assert warnings_of(app) == []
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    links = re.findall(r"\\hyperlink\{(cite\.[^}]*)\}", tex)
    targets = set(re.findall(r"\\hypertarget\{(cite\.[^}]*)\}", tex))
    assert {"cite.pubs:pub-ko2025", "cite.pubs:pub-pair2024", "cite.pubs:pub-eds2023"} <= set(links)
    # every link has a target: ours are \hypertarget, one each
    ours = {link for link in links if ":pub-" in link}
    assert ours <= targets
    assert all(tex.count(f"\\hypertarget{{{target}}}{{}}") == 1 for target in targets)
    # bibtex's own: hyperref makes cite.<key> of each \bibitem{<key>}
    theirs = set(links) - ours
    bibitems = set(re.findall(r"\\bibitem\[[^]]*\]\{([^}]*)\}", tex))
    assert theirs and {link.removeprefix("cite.") for link in theirs} <= bibitems
    # the target sits in the entry's item
    assert re.search(r"\\item\s*\{\}\s*\\hypertarget\{cite\.pubs:pub-ko2025\}\{\}", tex)


def test_numeric_style_labels_do_not_collide(build_project):
    # "plain" numbers each bibliography from 1; a real one elsewhere and two
    # pages of ours would all have a [1]
    conf = CONF + 'bibtex_default_style = "plain"\n'
    books = "Books\n=====\n\n.. publications:: refs.bib\n   :filter: year < 2023\n"
    refs = (
        "Refs\n====\n\n:cite:p:`other2020`.\n\n.. bibliography::\n   :filter: docname in docnames\n"
    )
    cites = CITES + "\nAnd a book :cite:p:`stray2019`.\n"
    files = {
        "books.rst": books,
        "refs.rst": refs,
        "index.rst": HOME + "   books\n   refs\n",
    }
    app = build_project(_sources(conf, cites, **files))
    assert warnings_of(app) == []
    # the real bibliography has [1]; ours go on after it, one numbering for all
    # our pages (in the style's order: by author)
    assert [text for text, _ in citations(app, "refs")] == ["[1]"]
    assert citations(app) == [
        ("[3]", "pubs.html#pub-ko2025"),
        ("Curie and Curie [2]", "pubs.html#pub-pair2024"),
        ("[5]", "pubs.html#pub-eds2023"),
        ("[4]", "books.html#pub-stray2019"),
    ]
