"""Link buttons and the BibTeX toggle (al-folio's fields), on a real build."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import soup, text_of, warnings_of

from sphinx_pubs.export.bibtex import entry_bibtex
from sphinx_pubs.sources.bibtex import read_bibtex_text
from sphinx_pubs.view.links import entry_links, safe_url


def buttons(entry):
    row = entry.select_one(".pub-buttons")
    out = []
    for child in row.find_all(["a", "details"], recursive=False):
        if child.name == "details":
            out.append((text_of(child.find("summary")), None))
        else:
            out.append((text_of(child), child["href"]))
    return out


@pytest.mark.sphinx("html", testroot="alfolio")
def test_buttons_order_and_targets(app):
    app.build()
    page = soup(Path(app.outdir) / "index.html")
    einstein = page.select_one("#pub-einstein1905movement")
    found = buttons(einstein)
    labels = [label for label, _ in found]
    # al-folio's order; missing files and unsafe links are left out
    assert labels == ["Miracle Year", "Abstract", "DOI", "BibTeX", "HTML", "PDF", "Code", "Data"]
    hrefs = dict(found)
    assert hrefs["DOI"] == "https://doi.org/10.1002/andp.19053220806"
    assert hrefs["HTML"] == "https://onlinelibrary.wiley.com/doi/10.1002/andp.19053220806"
    assert hrefs["Code"] == "https://github.com/example/brownian"
    assert hrefs["Data"] == "https://data.example.org/einstein"
    # a project file is copied into the build, like :download:
    pdf = hrefs["PDF"]
    assert pdf.startswith("_downloads/") and pdf.endswith("/einstein1905.pdf")
    assert (Path(app.outdir) / pdf).read_bytes().startswith(b"%PDF")

    epr = page.select_one("#pub-PhysRev-47-777")
    assert buttons(epr) == [
        ("DOI", "https://doi.org/10.1103/PhysRev.47.777"),
        ("arXiv", "https://arxiv.org/abs/quant-ph/0101010"),
        ("HTML", "http://link.aps.org/doi/10.1103/PhysRev.47.777"),
        ("Video", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"),
    ]
    meaning = page.select_one("#pub-einstein1950meaning")
    assert buttons(meaning) == [
        ("arXiv", "https://arxiv.org/abs/1234.56789"),
        ("HAL", "https://hal.science/hal-01234567"),
        ("BibTeX", None),
        ("Supp", "https://example.org/supp.zip"),
        ("Blog", "https://example.org/blog/relativity"),
        ("Poster", "https://example.org/relativity-poster.pdf"),
        ("Slides", "https://example.org/relativity-slides.pdf"),
        ("Website", "https://example.org/relativity"),
    ]
    # additional_info joins the venue line
    assert text_of(meaning.select_one(".pub-venue")) == (
        "American Journal of Physics, (Invited paper), 1950"
    )


@pytest.mark.sphinx("html", testroot="alfolio", freshenv=True)
def test_bad_links_are_warnings_and_nothing_leaves_the_project(app):
    app.build()
    warnings = "\n".join(warnings_of(app))
    assert "papers.bib:23:" in warnings and "missing-slides.pdf' not found" in warnings
    assert "is outside the project; not copied" in warnings
    assert "'website': link 'javascript:alert(document.cookie)' dropped" in warnings
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "javascript:" not in html and "passwd" not in html
    copied = [p.name for p in Path(app.outdir).rglob("*") if p.is_file()]
    assert "passwd" not in copied


@pytest.mark.sphinx("html", testroot="alfolio")
def test_bibtex_toggle(app):
    app.build()
    page = soup(Path(app.outdir) / "index.html")
    toggle = page.select_one("#pub-einstein1905movement details.pub-bibtex")
    assert not toggle.has_attr("open")
    text = toggle.select_one("pre.pub-bibtex-text").get_text()
    assert text.startswith("@article{einstein1905movement,\n")
    assert "  doi = {10.1002/andp.19053220806},\n" in text
    assert "  journal = {Annalen der Physik},\n" in text
    # page-only fields never leak into the BibTeX
    for field in ("abbr", "pdf", "html", "bibtex_show", "selected", "abstract", "code", "slides"):
        assert f"  {field} = " not in text, field
    # the copy button waits for the script (the text is selectable without it)
    assert toggle.select_one("button.pub-copy").has_attr("hidden")
    # an entry without bibtex_show has no toggle
    assert page.select_one("#pub-PhysRev-47-777 details.pub-bibtex") is None
    # a value over several lines is written whole, on one line
    meaning = page.select_one("#pub-einstein1950meaning pre.pub-bibtex-text").get_text()
    assert "  annote = {A note over two lines that must stay inside the BibTeX value},\n" in meaning


@pytest.mark.sphinx("text", testroot="alfolio")
def test_links_and_bibtex_on_paper(app):
    app.build()
    text = (Path(app.outdir) / "index.txt").read_text(encoding="utf-8")
    assert "DOI: https://doi.org/10.1103/PhysRev.47.777" in text
    assert "arXiv: https://arxiv.org/abs/quant-ph/0101010" in text
    assert "@article{einstein1905movement," in text


def test_entry_links_unit():
    (rec,), _ = read_bibtex_text(
        "f.bib",
        "@misc{k, title = {T}, year = 2020, doi = {https://doi.org/10.1000/ab<c>},\n"
        "  url = {https://x.org/p?a=1&b=2}, pdf = {data:text/html,hi}, code = {mailto:a@b.c},\n"
        "  slides = {talks/s.pdf}}",
    )
    links, bad = entry_links(rec)
    assert [(link.field, link.url, link.path) for link in links] == [
        ("doi", "https://doi.org/10.1000/ab%3Cc%3E", None),
        ("html", "https://x.org/p?a=1&b=2", None),
        ("code", "mailto:a@b.c", None),
        ("slides", None, "talks/s.pdf"),
    ]
    assert [(b.field, b.value) for b in bad] == [("pdf", "data:text/html,hi")]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:x",
        "data:text/html,x",
        "file:///etc/passwd",
        "vbscript:x",
        'https://x.org/"onmouseover="x',
        "http://[::1",
        "https://a\\b",
    ],
)
def test_unsafe_urls(url):
    assert safe_url(url) is None


def test_bibtex_text_is_written_from_the_fields():
    (rec,), _ = read_bibtex_text(
        "f.bib", '@Article{K, title = "Quoted {Title}", Author = {A and B}, pdf = {x.pdf}}'
    )
    assert entry_bibtex(rec, {"pdf"}) == (
        "@article{K,\n  title = {Quoted {Title}},\n  author = {A and B},\n}"
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("doi", "javascript:alert(4)"),
        ("doi", "not a doi"),
        ("arxiv", "<script>"),
        ("hal", "x y"),
        ("arxiv", "1234.5"),
    ],
)
def test_identifiers_that_are_not_identifiers(field, value):
    (rec,), _ = read_bibtex_text("f.bib", f"@misc{{k, title = {{T}}, {field} = {{{value}}}}}")
    links, bad = entry_links(rec)
    assert links == [] and [(b.field, b.value) for b in bad] == [(field, value)]


@pytest.mark.sphinx("html", testroot="alfolio", freshenv=True)
def test_who_wrote_it(app):
    app.build()
    page = soup(Path(app.outdir) / "index.html")
    # owners are highlighted wherever their name stands, however it is written
    for key in ("einstein1905movement", "PhysRev-47-777", "einstein1950meaning"):
        own = page.select(f"#pub-{key} .pub-authors .pub-author-self")
        assert [text_of(tag) for tag in own] in (["A. Einstein"], ["Albert Einstein"]), key
    marks = page.select_one("#pub-marks2020")
    short = marks.select_one(".pub-authors")
    # the owner, fifth, stays in sight when the list is cut (al-folio #701)
    assert text_of(short) == (
        "Boris Podolsky*, Nathan Rosen*, Niels Bohr†, …, A. Einstein‡, and 1 more author"
    )
    assert [text_of(s) for s in short.select("sup.pub-author-mark")] == ["*", "*", "†", "‡"]
    link = short.select_one("a.pub-author-link")
    assert link["href"] == "https://example.org/podolsky" and text_of(link) == "Boris Podolsky"
    # the full list keeps highlighting, links and marks (al-folio loses them)
    full = marks.select_one(".pub-authors-all")
    assert text_of(full.select_one(".pub-author-self")) == "A. Einstein"
    assert full.select_one("a.pub-author-link")["href"] == "https://example.org/podolsky"
    assert [text_of(s) for s in full.select("sup.pub-author-mark")] == ["*", "*", "†", "‡"]


def test_name_matching():
    from sphinx_pubs.core.model import Person
    from sphinx_pubs.core.names import key_of, matches, parse_name, split_mark

    wanted = parse_name("Albert Einstein")
    for first, last in [
        (("Albert",), ("Einstein",)),
        (("A.",), ("Einstein",)),
        (("ALBERT",), ("EINSTEIN",)),
        (("Albert",), ("Einstein*",)),
    ]:
        person, _ = split_mark(Person(first=first, last=last))
        assert matches(key_of(person), wanted), (first, last)
    assert not matches(key_of(Person(first=("Alfred",), last=("Einstein",))), wanted)
    assert not matches(key_of(Person(first=("Albert",), last=("Eisenstein",))), wanted)
    # accents, braces and initials on either side
    assert matches(key_of(Person(first=("Jörg",), last=("Müller",))), parse_name("J. Muller"))
    assert matches(
        key_of(Person(first=("J.-P.",), last=("Sartre",))), parse_name("Jean-Paul Sartre")
    )
    assert split_mark(Person(last=("Rosen†‡",))) == (Person(last=("Rosen",)), "†‡")
    assert split_mark(Person(last=("*",))) == (Person(last=("*",)), "")


@pytest.mark.sphinx("html", testroot="alfolio", freshenv=True)
def test_badges(app):
    app.build()
    page = soup(Path(app.outdir) / "index.html")
    badge = page.select_one("#pub-einstein1905movement .pub-abbr")
    assert text_of(badge) == "Ann. Phys."
    assert badge["style"] == "background-color: #00369f"
    assert badge.a["href"] == "https://onlinelibrary.wiley.com/journal/15213889"
    # an unsafe colour or URL in pubs_venues is left out, the badge stays
    epr = page.select_one("#pub-PhysRev-47-777 .pub-abbr")
    assert text_of(epr) == "Phys. Rev." and not epr.has_attr("style") and epr.a is None
    assert "pub-selected" in page.select_one("#pub-einstein1905movement")["class"]
    assert "pub-selected" not in page.select_one("#pub-PhysRev-47-777")["class"]


@pytest.mark.sphinx(
    "html", testroot="alfolio", freshenv=True, confoverrides={"pubs_title_link": "html"}
)
def test_selected_option_and_title_link(app):
    app.build()
    page = soup(Path(app.outdir) / "selected.html")
    assert [li["id"] for li in page.select("li.pub")] == ["pub-einstein1905movement"]
    link = page.select_one("#pub-einstein1905movement .pub-title a.pub-title-link")
    assert link["href"] == "https://onlinelibrary.wiley.com/doi/10.1002/andp.19053220806"


@pytest.mark.sphinx("html", testroot="alfolio", freshenv=True)
def test_award_and_annotation(app):
    app.build()
    page = soup(Path(app.outdir) / "index.html")
    entry = page.select_one("#pub-einstein1905movement")
    first = entry.select_one(".pub-buttons > details")
    assert "pub-award" in first["class"]  # the award toggle comes first
    assert text_of(first.summary) == "Miracle Year"
    assert text_of(first.select_one(".pub-toggle-body")) == (
        "Cited as one of the annus mirabilis papers x."
    )
    # al-folio passes field HTML through: its safe subset is read as rich text (issue 12)
    assert first.select_one(".pub-toggle-body em") is not None and first.find("b") is None
    assert text_of(first.select_one(".pub-toggle-body strong")) == "x"
    note = entry.select_one(".pub-annotation")
    assert text_of(note) == '* Co-first author "quoted" not html'
    assert note["title"] == text_of(note) and note.find("i") is None


@pytest.mark.sphinx("html", testroot="alfolio", freshenv=True)
def test_preview_thumbnails(app):
    app.build()
    page = soup(Path(app.outdir) / "index.html")
    img = page.select_one("#pub-einstein1905movement .pub-preview img")
    assert img["loading"] == "lazy" and img["alt"].startswith("Über die von der")
    assert (Path(app.outdir) / img["src"]).read_bytes().startswith(b"\x89PNG")
    assert page.select_one("#pub-PhysRev-47-777 .pub-preview img")["src"] == (
        "https://example.org/epr.png"
    )
    assert page.select_one("#pub-einstein1950meaning .pub-preview") is None
    assert any("'preview': link 'javascript:alert(7)' dropped" in w for w in warnings_of(app))


@pytest.mark.sphinx(
    "html",
    testroot="alfolio",
    freshenv=True,
    confoverrides={"pubs_labels": {"pdf": "Paper", "abstract": "Summary"}},
)
def test_labels(app):
    app.build()
    entry = soup(Path(app.outdir) / "index.html").select_one("#pub-einstein1905movement")
    assert text_of(entry.select_one("a.pub-button-pdf")) == "Paper"
    assert text_of(entry.select_one("details.pub-abstract summary")) == "Summary"


@pytest.mark.sphinx("html", testroot="alfolio", freshenv=True)
def test_marks_legend(app):
    app.build()
    page = soup(Path(app.outdir) / "index.html")
    # one legend, inside the list, for the marks its entries use
    legend = page.select("div.pubs p.pubs-legend")
    assert len(legend) == 1
    assert text_of(legend[0]) == "* Equal contribution; ‡ Corresponding author"
