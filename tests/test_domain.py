"""References to listed publications: the ``pub`` domain's roles, the intersphinx
inventory, and pages written again when what they refer to changes."""

from __future__ import annotations

import copy
import posixpath
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import text_of, warnings_of
from sphinx.util.inventory import InventoryFile

BIB = r"""@article{ko2025,
  title = {Distilling {LLMs}},
  author = {Ko, Jongwoo and Kim, Sungnyun and Chen, Tianyi and Yun, Se-Young},
  journal = {J. Big Models}, year = {2025},
}
@article{pair2024,
  title = {Two of Us},
  author = {Curie, Marie and Curie, Pierre},
  journal = {Nature}, year = {2024},
}
@book{eds2023,
  title = {An Edited Book},
  editor = {van Dyck, Anna},
  publisher = {Springer}, year = {2023},
}
@misc{solo,
  title = {Alone and {Undated}},
  author = {Solo, Han and others},
  year = {in press},
}
@misc{notitle,
  author = {Nobody, N.},
  year = {2020},
}
"""

HOME = "Home\n====\n\n.. toctree::\n\n   pubs\n   more\n   cites\n"

CITES = """Cites
=====

- title: :pub:`ko2025`
- explicit: :pub:`that paper <ko2025>`
- short: :pub:short:`ko2025`
- two: :pub:short:`pair2024`
- editors: :pub:short:`eds2023`
- others, undated: :pub:short:`solo`
- case: :pub:`KO2025`
- domain form: :pub:pub:`pair2024`
- no title: :pub:`notitle`
"""

PUBS = "Publications\n============\n\n.. publications:: refs.bib\n"
MORE = "More\n====\n\n.. publications:: refs.bib\n   :no-index:\n   :filter: year == 2025\n"


def _sources(cites=CITES, **files):
    """The project: lists of refs.bib on "pubs" and "more", references on "cites"."""
    sources = {"index.rst": HOME, "pubs.rst": PUBS, "more.rst": MORE, "refs.bib": BIB}
    sources["cites.rst"] = cites
    return {**sources, **files}


def problems(app):
    """Our warnings (references, bibliography files), but the one about the entry
    without a title, which is on purpose."""
    return [
        w
        for w in warnings_of(app)
        if ("[ref." in w or "[pubs." in w) and "'notitle' has no title" not in w
    ]


def links(app, page="cites"):
    """(text, href, title) of each reference to a publication on *page*."""
    html = app.soup(page)
    return [
        (text_of(a), a["href"], a.get("title", ""))
        for a in html.select("a.reference")
        if a.find(class_="pub")
    ]


def test_role_forms(build_project):
    app = build_project(_sources())
    assert problems(app) == []
    assert links(app) == [
        ("Distilling LLMs", "pubs.html#pub-ko2025", "Ko et al., 2025"),
        ("that paper", "pubs.html#pub-ko2025", "Ko et al., 2025"),
        ("Ko et al., 2025", "pubs.html#pub-ko2025", "Distilling LLMs"),
        ("Curie and Curie, 2024", "pubs.html#pub-pair2024", "Two of Us"),
        ("van Dyck, 2023", "pubs.html#pub-eds2023", "An Edited Book"),
        ("Solo et al., in press", "pubs.html#pub-solo", "Alone and Undated"),
        ("Distilling LLMs", "pubs.html#pub-ko2025", "Ko et al., 2025"),
        ("Two of Us", "pubs.html#pub-pair2024", "Curie and Curie, 2024"),
        ("notitle", "pubs.html#pub-notitle", "Nobody, 2020"),
    ]
    # the anchor is the entry's own
    entry = app.soup("pubs").select_one("li#pub-ko2025")
    assert entry is not None


def test_missing_key_is_a_warning_at_the_role(build_project):
    cites = "Cites\n=====\n\nSee :pub:`nosuch`.\n\nAnd :pub:short:`notlisted`.\n"
    # "notlisted" is only in a :no-index: list
    hidden = "@misc{notlisted, title={Hidden}, year=2025}\n"
    more = "More\n====\n\n.. publications:: hidden.bib\n   :no-index:\n"
    app = build_project(_sources(cites, **{"hidden.bib": hidden, "more.rst": more}))
    warnings = problems(app)
    assert len(warnings) == 2, warnings
    assert "cites.rst:4:" in warnings[0] and "'nosuch' is not shown" in warnings[0]
    assert warnings[0].endswith("[ref.pub]")
    assert "cites.rst:6:" in warnings[1] and "'notlisted'" in warnings[1]
    assert warnings[1].endswith("[ref.short]")
    # the text stays, unlinked
    body = text_of(app.soup("cites").select_one("div.body, main"))
    assert "See nosuch." in body and "And notlisted." in body


def test_nitpick_ignore(build_project):
    cites = "Cites\n=====\n\n:pub:`nosuch` :pub:`other`\n"
    conf = (
        'extensions = ["sphinx_pubs"]\nnitpicky = True\nnitpick_ignore = [("pub:pub", "nosuch")]\n'
    )
    app = build_project(_sources(cites, **{"conf.py": conf}))
    warnings = problems(app)
    assert len(warnings) == 1 and "'other'" in warnings[0], warnings


def test_the_first_page_by_name_is_the_target(build_project):
    # two indexed lists show ko2025: "a-home" sorts before "pubs"
    files = {
        "a-home.rst": "A\n=\n\n.. publications:: refs.bib\n   :filter: year == 2025\n",
        "index.rst": HOME + "   a-home\n",
    }
    app = build_project(_sources(**files))
    assert links(app)[0][1] == "a-home.html#pub-ko2025"
    # pair2024 is only on "pubs"
    assert links(app)[3][1] == "pubs.html#pub-pair2024"


def test_inventory_and_intersphinx(build_project):
    app = build_project(_sources())
    with open(Path(app.outdir) / "objects.inv", "rb") as stream:
        inventory = InventoryFile.load(stream, "https://example.org/a", posixpath.join)
    items = dict(inventory["pub:publication"].items())
    assert sorted(items) == ["eds2023", "ko2025", "notitle", "pair2024", "solo"]
    ko = items["ko2025"]
    uri = ko.uri if hasattr(ko, "uri") else ko[2]
    name = ko.display_name if hasattr(ko, "display_name") else ko[3]
    assert uri == "https://example.org/a/pubs.html#pub-ko2025"
    assert name == "Distilling LLMs"
    # sphinx.ext.intersphinx's own reader (its command line) lists them
    listing = subprocess.run(
        [sys.executable, "-m", "sphinx.ext.intersphinx", str(Path(app.outdir) / "objects.inv")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    section = listing.split("pub:publication", 1)[1]
    for key in ("eds2023", "ko2025", "pair2024", "solo"):
        assert key in section
    assert "Distilling LLMs" in section and "pubs.html#pub-ko2025" in section
    # another project links to the paper through intersphinx
    conf = (
        'extensions = ["sphinx_pubs", "sphinx.ext.intersphinx"]\n'
        "intersphinx_mapping = {'a': ('https://example.org/a', "
        f"{str(Path(app.outdir) / 'objects.inv')!r})}}\n"
    )
    other = build_project(
        {"conf.py": conf, "index.rst": "B\n=\n\nRead :pub:`ko2025` and :pub:`a:pair2024`.\n"},
    )
    assert problems(other) == []
    hrefs = [a["href"] for a in other.soup().select("a.reference")]
    assert hrefs == [
        "https://example.org/a/pubs.html#pub-ko2025",
        "https://example.org/a/pubs.html#pub-pair2024",
    ]


def test_an_edited_bib_rewrites_the_pages_that_refer_to_it(build_project):
    files = {
        "other.rst": "Other\n=====\n\nNo references here.\n",
        "index.rst": HOME + "   other\n",
    }
    srcdir = Path(build_project(_sources(**files)).srcdir)
    bib = srcdir / "refs.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8").replace("Distilling {LLMs}", "Distilling Big {LLMs}"),
        encoding="utf-8",
    )
    app = build_project(srcdir=srcdir, freshenv=False)
    read = app.read
    written = app.written
    # the two lists are read again; the page that refers to ko2025 is written
    # again, not read; a page with no references is left alone
    assert read == ["more", "pubs"]
    assert "cites" in written and "other" not in written
    assert links(app)[0][0] == "Distilling Big LLMs"
    assert links(app)[2][2] == "Distilling Big LLMs"  # the short form's tooltip


def test_a_removed_entry_and_a_new_one(build_project):
    app = build_project(_sources("Cites\n=====\n\n:pub:`ko2025` :pub:`fresh`\n"))
    srcdir = Path(app.srcdir)
    assert len(problems(app)) == 1  # fresh is not listed yet
    bib = srcdir / "refs.bib"
    text = bib.read_text(encoding="utf-8")
    bib.write_text(
        text.replace("@article{ko2025", "@article{gone")
        + "@misc{fresh, title={Fresh}, year=2026}\n",
        encoding="utf-8",
    )
    app = build_project(srcdir=srcdir, freshenv=False)
    read = app.read
    written = app.written
    assert "cites" in written and "cites" not in read
    assert [text for text, _, _ in links(app)] == ["Fresh"]
    warnings = problems(app)
    assert len(warnings) == 1 and "'ko2025' is not shown" in warnings[0], warnings


def test_a_changed_list_that_is_no_target_rewrites_nothing_else(build_project):
    srcdir = Path(build_project(_sources()).srcdir)
    more = srcdir / "more.rst"
    more.write_text(MORE.replace("year == 2025", "year == 2024"), encoding="utf-8")
    built = build_project(srcdir=srcdir, freshenv=False)
    read = built.read
    written = built.written
    assert read == ["more"]
    assert "cites" not in written


@pytest.mark.parametrize("builder", ["text", "latex", "singlehtml", "dirhtml", "epub", "man"])
def test_references_in_other_builders(build_project, builder):
    app = build_project(_sources(), builder=builder)
    assert problems(app) == []
    if builder == "text":
        text = app.text("cites.txt")
        assert "Distilling LLMs" in text and "Ko et al., 2025" in text
    if builder == "dirhtml":
        assert links(app, "cites/index")[0][1] == "../pubs/#pub-ko2025"


def test_parallel_equals_serial(build_project):
    pages = {f"p{i}.rst": f"P{i}\n==\n\n:pub:`ko2025` :pub:short:`pair2024`\n" for i in range(6)}
    home = HOME + "".join(f"   p{i}\n" for i in range(6))
    outputs = []
    for jobs in (1, 2):
        conf = 'extensions = ["sphinx_pubs"]\npubs_paper_pages = True\nhtml_baseurl = "https://x.org/"\n'
        files = {**pages, "index.rst": home, "conf.py": conf}
        app = build_project(_sources(**files), parallel=jobs)
        outputs.append(
            {
                path.relative_to(app.outdir).as_posix(): path.read_bytes()
                for path in sorted(Path(app.outdir).rglob("*"))
                if path.suffix in (".html", ".bib", ".json", ".inv")
            }
        )
    # the paper pages too, with their meta tags and JSON-LD, the downloads and
    # the inventory
    assert "papers/ko2025.html" in outputs[0]
    assert "_pubs/pubs/pubs.bib" in outputs[0] and "objects.inv" in outputs[0]
    assert outputs[0].keys() == outputs[1].keys()
    for page in outputs[0]:
        assert outputs[0][page] == outputs[1][page], page


def test_the_domain_purges_and_merges_what_the_lists_read(build_project):
    # the parsed files and their bookkeeping are the domain's data: Sphinx purges a
    # document's part (clear_doc) and merges a parallel reader's (merge_domaindata)
    app = build_project(_sources())
    domain = app.env.get_domain("pub")
    state = domain.state
    bib = str(Path(app.srcdir) / "refs.bib")
    assert set(state.files_by_doc) == {"pubs", "more"}
    assert set(state.files_by_doc["pubs"]) == {bib}
    reader = copy.deepcopy(domain.data)  # what a parallel reader sends back
    domain.clear_doc("pubs")
    assert set(state.files_by_doc) == {"more"}
    assert "ko2025" not in domain.entries  # "more" lists it unindexed
    domain.merge_domaindata(["pubs"], reader)
    assert set(state.files_by_doc) == {"pubs", "more"}
    assert domain.target("ko2025").docname == "pubs"
