"""sphinx_pubs/view/entry.py (and view/authors.py): what an entry shows, without
building HTML.  Records are made directly; the assertions are on the typed view."""

from __future__ import annotations

import pytest

from sphinx_pubs.core.model import Person, Publication, RichText, Source, Styled
from sphinx_pubs.core.names import parse_name
from sphinx_pubs.view.authors import NameView, authors_view, plain_pieces
from sphinx_pubs.view.entry import (
    Badge,
    Button,
    Href,
    LinkButton,
    Toggle,
    entry_view,
    is_light,
    search_text,
)
from sphinx_pubs.view.options import Labels, ListOptions

#: the fields whose decoded text the view reads (record.rich)
TEXT_FIELDS = {"title", "journal", "booktitle", "note", "abbr", "award", "award_name"}


def record(
    kind: str = "article",
    key: str = "k",
    year: int | None = None,
    month: int | None = None,
    authors: tuple[Person, ...] = (),
    abstract: tuple[RichText, ...] = (),
    **fields: str,
) -> Publication:
    """A record as a reader makes it: raw fields, and the text fields decoded (here
    as plain text)."""
    text = {name: (value,) for name, value in fields.items() if name in TEXT_FIELDS}
    return Publication(
        key=key,
        type=kind,
        source=Source("/project/refs.bib", 1),
        title=text.pop("title", ()),
        authors=authors,
        year=year,
        year_text=str(year) if year is not None else "",
        month=month,
        abstract=abstract,
        fields={**fields, **({"year": str(year)} if year is not None else {})},
        text=text,
    )


def person(first: str, last: str) -> Person:
    return Person(first=(first,), last=(last,))


def links(buttons: tuple[Button, ...]) -> list[tuple[str, str, Href]]:
    return [(b.field, b.label, b.href) for b in buttons if isinstance(b, LinkButton)]


def row(buttons: tuple[Button, ...]) -> list[str]:
    """The row as names: a link button's field, a toggle's kind in capitals."""
    return [b.field if isinstance(b, LinkButton) else b.kind.upper() for b in buttons]


# -- buttons -------------------------------------------------------------------------------
def test_buttons_follow_alfolio_order_with_the_toggles_among_them():
    rec = record(
        title="T",
        code="https://github.com/a/b",
        pdf="https://x.org/p.pdf",
        html="https://x.org/p",
        arxiv="2301.01234",
        doi="10.1000/xyz",
        award="Best paper",
        bibtex_show="{true}",
        abstract=(("We show.",),),
    )
    view = entry_view(rec, ListOptions(), "pub-k")
    # the award first, the abstract before DOI, the BibTeX before HTML (al-folio)
    assert row(view.buttons) == [
        "AWARD",
        "ABSTRACT",
        "doi",
        "arxiv",
        "BIBTEX",
        "html",
        "pdf",
        "code",
    ]
    assert links(view.buttons) == [
        ("doi", "DOI", Href(url="https://doi.org/10.1000/xyz")),
        ("arxiv", "arXiv", Href(url="https://arxiv.org/abs/2301.01234")),
        ("html", "HTML", Href(url="https://x.org/p")),
        ("pdf", "PDF", Href(url="https://x.org/p.pdf")),
        ("code", "Code", Href(url="https://github.com/a/b")),
    ]


def test_an_entry_with_no_links_and_nothing_to_open_has_no_buttons():
    view = entry_view(record(title="T"), ListOptions(), "pub-k")
    assert view.buttons == ()
    assert view.title_link is None and view.preview is None and view.badge is None


def test_labels_and_the_projects_own_link_fields():
    options = ListOptions(
        labels=Labels(buttons=(("pdf", "Paper"), ("code", "Source"))),
        link_fields=(("dataset", "Data"),),
    )
    rec = record(dataset="https://data.org/d", pdf="https://x.org/p.pdf", website="https://w.org")
    view = entry_view(rec, options, "pub-k")
    # a label the list does not rename keeps its default; own fields come last
    assert links(view.buttons) == [
        ("pdf", "Paper", Href(url="https://x.org/p.pdf")),
        ("website", "Website", Href(url="https://w.org")),
        ("dataset", "Data", Href(url="https://data.org/d")),
    ]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # DOIs as al-folio sites write them
        ({"doi": "https://doi.org/10.1000/a.b"}, ("doi", "https://doi.org/10.1000/a.b")),
        ({"doi": "doi:10.1000/ab"}, ("doi", "https://doi.org/10.1000/ab")),
        ({"doi": "DOI 10.1000/ab"}, ("doi", "https://doi.org/10.1000/ab")),
        ({"doi": "http://dx.doi.org/10.1000/ab"}, ("doi", "https://doi.org/10.1000/ab")),
        ({"doi": "10.1000/a\\_b"}, ("doi", "https://doi.org/10.1000/a_b")),
        # arXiv: the field, a prefix, or eprint with archiveprefix
        ({"arxiv": "arXiv:2301.01234v2"}, ("arxiv", "https://arxiv.org/abs/2301.01234v2")),
        ({"arxiv": "hep-th/9901001"}, ("arxiv", "https://arxiv.org/abs/hep-th/9901001")),
        (
            {"eprint": "2301.01234", "archiveprefix": "arXiv"},
            ("arxiv", "https://arxiv.org/abs/2301.01234"),
        ),
        ({"hal": "hal-01234567"}, ("hal", "https://hal.science/hal-01234567")),
        # html falls back to url; LaTeX around a URL is read as the address it spells
        ({"url": "https://x.org/p"}, ("html", "https://x.org/p")),
        ({"pdf": "\\url{https://x.org/a\\_b.pdf}"}, ("pdf", "https://x.org/a_b.pdf")),
        ({"slides": "https://x.org/s\\%20t.pdf"}, ("slides", "https://x.org/s%20t.pdf")),
        ({"blog": "www.example.org/post"}, ("blog", "https://www.example.org/post")),
        ({"video": "mailto:a@b.org"}, ("video", "mailto:a@b.org")),
    ],
)
def test_alfolio_spellings_of_links(fields, expected):
    view = entry_view(record(**fields), ListOptions(), "pub-k")
    field, url = expected
    assert [(b.field, b.href) for b in view.buttons if isinstance(b, LinkButton)] == [
        (field, Href(url=url))
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pdf", "javascript:alert(1)"),
        ("pdf", " JaVaScRiPt:alert(1)"),
        ("html", "data:text/html,<script>x</script>"),
        ("code", "vbscript:x"),
        ("website", "file:///etc/passwd"),
        ("video", 'https://x.org/"onmouseover="x'),
        ("doi", "javascript:alert(1)"),
        ("arxiv", "<script>"),
        ("blog", "\\url{javascript:alert(1)}"),
        ("poster", '<a href="javascript:alert(1)">x</a>'),
    ],
)
def test_a_hostile_link_gets_no_href(field, value):
    rec = record(title="T", preview=value, **{field: value})
    view = entry_view(rec, ListOptions(title_link=field), "pub-k")
    assert view.buttons == ()
    assert view.title_link is None
    assert view.preview is None


def test_project_files_link_to_their_copies_and_missing_files_get_no_button():
    rec = record(pdf="papers/a.pdf", poster="missing.pdf", code="example.org/repo")
    downloads = {"pdf": "0123abcd/a.pdf"}
    view = entry_view(rec, ListOptions(), "pub-k", downloads)
    assert links(view.buttons) == [
        ("pdf", "PDF", Href(download="0123abcd/a.pdf")),
        # no project file of that name: the web address it spells
        ("code", "Code", Href(url="https://example.org/repo")),
    ]
    assert entry_view(rec, ListOptions(), "pub-k").buttons == (
        LinkButton("code", "Code", Href(url="https://example.org/repo")),
    )


def test_title_link_is_the_target_of_the_chosen_button():
    rec = record(title="T", pdf="papers/a.pdf", html="https://x.org/p")
    options = ListOptions(title_link="pdf")
    assert entry_view(rec, options, "pub-k", {"pdf": "h/a.pdf"}).title_link == Href(
        download="h/a.pdf"
    )
    assert entry_view(rec, ListOptions(title_link="html"), "pub-k").title_link == Href(
        url="https://x.org/p"
    )
    # a field the entry does not have, or whose file is missing: no title link
    assert entry_view(rec, ListOptions(title_link="code"), "pub-k").title_link is None
    assert entry_view(rec, options, "pub-k").title_link is None


# -- toggles ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("mode", "marked", "shows"),
    [
        ("marked", "{true}", True),
        ("marked", "yes", True),
        ("marked", "false", False),
        ("marked", "", False),
        ("all", "", True),
        ("none", "{true}", False),
    ],
)
def test_which_entries_show_their_bibtex(mode, marked, shows):
    rec = record(title="Some Title", bibtex_show=marked)
    view = entry_view(rec, ListOptions(bibtex=mode), "pub-k")
    assert (Toggle("bibtex") in view.buttons) is shows
    if shows:
        # page-only fields (bibtex_show) are left out of the BibTeX shown
        assert view.bibtex == "@article{k,\n  title = {Some Title},\n}"
    else:
        assert view.bibtex == ""


@pytest.mark.parametrize(
    ("mode", "toggle", "opened"),
    [("collapsed", True, False), ("expanded", True, True), ("hidden", False, False)],
)
def test_abstract_modes(mode, toggle, opened):
    paragraphs = (("First.",), ("Second.",))
    view = entry_view(record(abstract=paragraphs), ListOptions(abstracts=mode), "pub-k")
    assert (Toggle("abstract") in view.buttons) is toggle
    assert view.abstract == (paragraphs if toggle else ())
    assert view.abstract_open is opened


def test_award_toggle_and_its_name():
    view = entry_view(record(award="Best Paper", award_name="Oral"), ListOptions(), "pub-k")
    assert view.buttons == (Toggle("award"),)
    assert view.award == ("Best Paper",) and view.award_name == ("Oral",)


# -- badge, thumbnail, venue, the rest ---------------------------------------------------------
def test_badge_takes_link_and_colour_from_pubs_venues():
    options = ListOptions(
        venues=(("ICML", "https://icml.cc", "#fff"), ("PRL", "https://prl.org", "navy"))
    )
    icml = entry_view(record(abbr="ICML"), options, "pub-k").badge
    assert icml == Badge(("ICML",), "https://icml.cc", "#fff") and icml.light
    prl = entry_view(record(abbr="PRL"), options, "pub-k").badge
    assert prl == Badge(("PRL",), "https://prl.org", "navy") and not prl.light
    # a venue pubs_venues does not name: the text alone, no colour
    other = entry_view(record(abbr="Other"), options, "pub-k").badge
    assert other == Badge(("Other",)) and not other.light


@pytest.mark.parametrize(
    ("color", "light"),
    [
        ("#ffffff", True),
        ("#FFF", True),
        ("#ff0a", True),
        ("#000000", False),
        ("#00369f", False),
        ("#0000ff80", False),
        ("yellow", True),
        ("Gold", True),
        ("navy", False),
        ("black", False),
    ],
)
def test_light_colours(color, light):
    assert is_light(color) is light


def test_preview_is_a_copied_file_or_an_image_address():
    local = record(preview="thumb.png")
    assert entry_view(local, ListOptions(), "pub-k", {"preview": "ab/thumb.png"}).preview == (
        Href(download="ab/thumb.png")
    )
    assert entry_view(local, ListOptions(), "pub-k").preview is None  # not found
    web = record(preview="https://x.org/t.png")
    assert entry_view(web, ListOptions(), "pub-k").preview == Href(url="https://x.org/t.png")


@pytest.mark.parametrize(
    ("rec", "words", "venue"),
    [
        (
            record("inproceedings", booktitle="NeurIPS", year=2023, month=12),
            Labels(),
            ("In NeurIPS, Dec 2023",),
        ),
        (record("inproceedings", booktitle="NeurIPS"), Labels(in_word="Dans"), ("Dans NeurIPS",)),
        (record("article", journal="Phys. Rev.,", year=1935), Labels(), ("Phys. Rev., 1935",)),
        (record("misc"), Labels(), ()),
    ],
)
def test_venue_line(rec, words, venue):
    assert entry_view(rec, ListOptions(labels=words), "pub-k").venue == venue


def test_identity_number_selection_and_title():
    rec = record("InProceedings", key="Smith:2020", title="A Title", selected="{true}")
    view = entry_view(rec, ListOptions(), "pub-Smith-2020", number=7)
    assert (view.id, view.key, view.type, view.number) == (
        "pub-Smith-2020",
        "Smith:2020",
        "InProceedings",
        7,
    )
    assert view.authors_id == "pub-Smith-2020-authors"
    assert view.title == ("A Title",) and view.selected
    # no title: the key stands in
    assert entry_view(record(key="anon"), ListOptions(), "pub-anon").title == ("anon",)
    assert not entry_view(record(selected="no"), ListOptions(), "pub-k").selected


def test_search_data_and_search_text():
    rec = record(
        title="Dense Retrieval",
        journal="JMLR",
        year=2021,
        keywords="ranking, search",
        authors=(person("Ada", "Lovelace"), person("Alan", "Turing")),
        abstract=(("Hidden words.",),),
    )
    plain_list = entry_view(rec, ListOptions(), "pub-k")
    assert plain_list.data == ()
    searched = entry_view(rec, ListOptions(search=True), "pub-k")
    assert searched.data == (("year", "2021"), ("keywords", "ranking, search"))
    assert search_text(plain_list) == "Dense Retrieval Ada Lovelace and Alan Turing JMLR, 2021"
    with_abstract = entry_view(rec, ListOptions(search_abstracts=True), "pub-k")
    assert search_text(with_abstract).endswith("JMLR, 2021 Hidden words.")


def test_rich_text_is_kept_as_rich_text():
    title = ("A ", Styled("emph", ("bold",)), " claim")
    rec = Publication(key="k", type="misc", source=Source("/p/refs.bib", 1), title=title)
    assert entry_view(rec, ListOptions(), "pub-k").title == title


# -- authors ---------------------------------------------------------------------------
FOUR = (
    person("Ada", "Lovelace"),
    person("Alan", "Turing"),
    person("Grace", "Hopper"),
    person("Edsger", "Dijkstra"),
)


def test_authors_cut_at_max_authors():
    view = authors_view(record(authors=FOUR), ListOptions(max_authors=2))
    assert view is not None
    assert view.line == "Ada Lovelace, Alan Turing, and 2 more authors"
    assert view.more == "2 more authors"
    assert plain_pieces(view.everyone) == (
        "Ada Lovelace, Alan Turing, Grace Hopper, and Edsger Dijkstra"
    )
    one_more = authors_view(record(authors=FOUR), ListOptions(max_authors=3))
    assert one_more is not None and one_more.more == "1 more author"


def test_two_authors_and_everyone_shown():
    two = authors_view(record(authors=FOUR[:2]), ListOptions())
    assert two is not None and two.line == "Ada Lovelace and Alan Turing" and two.more == ""
    assert authors_view(record(), ListOptions()) is None


def test_owners_stay_in_sight_and_link_to_their_homepage():
    owner = parse_name("Dijkstra, Edsger")
    assert owner is not None
    options = ListOptions(
        max_authors=1, highlight=(owner,), author_links=((owner, "https://e.org"),)
    )
    view = authors_view(record(authors=FOUR), options)
    assert view is not None
    assert view.line == "Ada Lovelace, …, Edsger Dijkstra, and 2 more authors"
    assert NameView("Edsger Dijkstra", "", True, "https://e.org") in view.lead


def test_marks_editors_and_et_al():
    marked = (Person(first=("Ada",), last=("Lovelace*",)), Person(last=("others",)))
    view = authors_view(record(authors=marked), ListOptions())
    assert view is not None
    assert view.lead == (NameView("Ada Lovelace", "*"), " et al.")
    editors = Publication(key="k", type="book", source=Source("/p/refs.bib", 1), editors=FOUR[:2])
    line = authors_view(editors, ListOptions(labels=Labels(editors="Hrsg.")))
    assert line is not None and line.line == "Ada Lovelace and Alan Turing, Hrsg."
