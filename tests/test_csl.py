"""CSL-JSON: the reader's records, and a CSL-JSON file rendering its BibTeX twin's page.

The twin (``tests/roots/test-csl``) is pandoc's conversion of the seed ``.bib``; its
README says what pandoc changed (titles in sentence case, abstracts cut at ``%``, one
``location`` dropped, no links) and the twin tests check the page against what the
JSON says in those places.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import seed_expected, soup, text_of, warnings_of
from pybtex.database import Person as PybtexPerson
from pybtex.database.input.bibtex import Parser

from sphinx_pubs.core.model import Math, Person, Styled, plain
from sphinx_pubs.core.vocab import KNOWN_TYPES, TYPE_MAP
from sphinx_pubs.export.bibtex import entry_bibtex
from sphinx_pubs.sources.bibtex import read_bibtex_text
from sphinx_pubs.sources.csl import read_csl_text
from sphinx_pubs.view.links import entry_links

TESTS = Path(__file__).parent
ROOTS = TESTS / "roots"
EXPECTED = seed_expected(TESTS / "seed-expected.txt")
TWIN = ROOTS / "test-csl" / "seed-publications.json"
SEED_BIB = ROOTS / "test-seed" / "publications.bib"
#: an unescaped "%": a LaTeX comment to pandoc, a percent sign to BibTeX
COMMENT = re.compile(r"(?<!\\)%")
PAGE = "Publications\n============\n\n.. publications:: refs.json\n"


def _items() -> dict[str, dict]:
    return {item["id"]: item for item in json.loads(TWIN.read_text(encoding="utf-8"))}


def _bib_entries():
    return Parser().parse_string(SEED_BIB.read_text(encoding="utf-8")).entries


def read(text: str):
    return read_csl_text("refs.json", text)


def one(item: dict):
    records, problems = read(json.dumps([item]))
    assert len(records) == 1, problems
    return records[0], problems


def messages(problems) -> list[str]:
    return [f"{p.source.line}:{p.subtype}:{p.message}" for p in problems]


# -- the twin ------------------------------------------------------------------------------
@pytest.mark.sphinx("html", testroot="csl")
def test_csl_twin_renders_the_seed_page(app, warning):
    app.build()
    assert warning.getvalue() == ""
    page = soup(Path(app.outdir) / "index.html")
    pubs = page.select("div.pubs")
    assert len(pubs) == 1
    groups = pubs[0].select("section.pubs-group")
    years = [text_of(g.find(["h2", "h3"])).rstrip("¶#").strip() for g in groups]
    assert years == list(dict.fromkeys(row.year for row in EXPECTED))

    items = _items()
    bib = _bib_entries()
    entries = pubs[0].select("li.pub")
    assert len(entries) == len(EXPECTED) == len(items) == 79
    for entry, row in zip(entries, EXPECTED, strict=True):
        key = entry["id"].removeprefix("pub-")
        item = items[key]
        assert entry.find_parent("section")["id"] == f"pubs-{row.year}"
        title = text_of(entry.select_one(".pub-title"))
        # pandoc stores titles in sentence case (README): same words, the JSON's case
        assert title == item["title"]
        assert title.lower() == row.title.lower()
        assert text_of(entry.select_one(".pub-authors")) == row.authors
        venue = text_of(entry.select_one(".pub-venue")) + text_of(entry.select_one(".pub-note"))
        expected = row.venue
        location = bib[key].fields.get("location")
        if location and "event-place" not in item:
            # pandoc keeps `address` as the publisher's place and drops `location`
            expected = expected.replace(location, item["publisher-place"])
        assert venue.lower() == expected.lower(), key
        if "container-title" in item:
            assert item["container-title"] in venue
        abstract = entry.select_one("details.pub-abstract")
        assert (abstract is not None) == row.has_abstract == ("abstract" in item)
        if abstract is not None:
            assert not abstract.has_attr("open")
            body = abstract.select_one(".pub-toggle-body")
            for math in body.select("span.math"):
                math.decompose()
            for leftover in ("\\", "$", "{", "}", "<i>", "</"):
                assert leftover not in text_of(body), (key, leftover)


@pytest.mark.sphinx("html", testroot="csl")
def test_csl_twin_math_and_markup(app):
    app.build()
    page = soup(Path(app.outdir) / "index.html")
    easy = page.select_one("#pub-sun2024easytohard .pub-abstract")
    assert [text_of(em) for em in easy.find_all("em")] == [
        "easy-to-hard generalization",
        "easy-to-hard generalization from evaluators",
        "easy-to-hard generalizations in generators",
    ]
    assert "(5× higher throughput" in text_of(page.select_one("#pub-gu2023mamba .pub-abstract"))
    maths = page.select("#pub-gu2021efficiently .pub-abstract span.math")
    assert maths and "x'(t) = Ax(t)" in maths[0].get_text()


def _abstract(entry) -> tuple[str, list[str], list[str]]:
    node = entry.select_one("details.pub-abstract .pub-toggle-body")
    if node is None:
        return "", [], []
    return (
        text_of(node),
        [text_of(em) for em in node.find_all("em")],
        [text_of(m) for m in node.select("span.math")],
    )


def test_csl_twin_matches_the_bibtex_page_entry_by_entry(build_project):
    bib_app = build_project(root="seed")
    csl_app = build_project(root="csl")
    bib_page, csl_page = bib_app.soup(), csl_app.soup()
    for app in (bib_app, csl_app):  # a second app in one process re-registers nodes
        assert [w for w in warnings_of(app) if "already registered" not in w] == []
    items = _items()
    bib = _bib_entries()
    bib_entries = bib_page.select("li.pub")
    csl_entries = csl_page.select("li.pub")
    assert [e["id"] for e in csl_entries] == [e["id"] for e in bib_entries]
    assert [s["id"] for s in csl_page.select("section.pubs-group")] == [
        s["id"] for s in bib_page.select("section.pubs-group")
    ]
    cut = 0
    for b, c in zip(bib_entries, csl_entries, strict=True):
        key = b["id"].removeprefix("pub-")
        assert c["class"] == b["class"], key
        for part in (".pub-title", ".pub-venue"):
            assert text_of(c.select_one(part)).lower() == text_of(b.select_one(part)).lower() or (
                part == ".pub-venue" and "location" in bib[key].fields
            ), (key, part)
        for part in (".pub-authors", ".pub-note"):
            assert text_of(c.select_one(part)) == text_of(b.select_one(part)), (key, part)
        # the full author list behind "N more authors" too
        assert [text_of(a) for a in c.select(".pub-authors *")] == [
            text_of(a) for a in b.select(".pub-authors *")
        ], key
        hrefs = [a["href"] for a in c.select("a.pub-button")]
        assert hrefs == [a["href"] for a in b.select("a.pub-button")], key
        b_text, b_em, b_math = _abstract(b)
        c_text, c_em, c_math = _abstract(c)
        if c_text == b_text:
            assert (c_em, c_math) == (b_em, b_math), key
        else:
            # pandoc ends a LaTeX field at an unescaped "%" (README)
            assert COMMENT.search(bib[key].fields["abstract"]), key
            assert "%" not in items[key]["abstract"], key
            assert b_text.startswith(c_text), key
            assert b_text[len(c_text) :].lstrip().startswith("%"), key
            cut += 1
    assert cut == sum(bool(COMMENT.search(e.fields.get("abstract", ""))) for e in bib.values())


def test_csl_twin_records_match_the_bibtex_records():
    bib_records, bib_problems = read_bibtex_text("p.bib", SEED_BIB.read_text(encoding="utf-8"))
    csl_records, csl_problems = read_csl_text("p.json", TWIN.read_text(encoding="utf-8"))
    assert bib_problems == csl_problems == []
    for b, c in zip(bib_records, csl_records, strict=True):
        assert (c.key, c.type, c.year, c.month, c.year_text) == (
            b.key,
            b.type,
            b.year,
            b.month,
            b.year_text,
        )
        assert c.authors == b.authors and c.editors == b.editors
        assert plain(c.title).lower() == plain(b.title).lower()
        assert c.rich("note") == b.rich("note")


def test_twin_lines_are_the_items_opening_braces():
    records, _ = read_csl_text("p.json", TWIN.read_text(encoding="utf-8"))
    lines = TWIN.read_text(encoding="utf-8").splitlines()
    for record in records:
        assert lines[record.source.line - 1].strip() == "{"
        following = "\n".join(lines[record.source.line - 1 :]).lstrip()
        # the item that starts there is this record's
        assert json.JSONDecoder().raw_decode(following)[0]["id"] == record.key


# -- the reader ----------------------------------------------------------------------------
ZOTERO = [
    {
        "id": "http://zotero.org/users/1/items/ABCD1234",
        "type": "article-journal",
        "title": 'The <i>Drosophila</i> genome of <span class="nocase">iPhone</span> users: '
        'H<sub>2</sub>O, E = mc<sup>2</sup> &amp; <span style="font-variant:small-caps;">'
        "Caps</span> <b>bold</b>",
        "container-title": "Journal of <i>Things</i>",
        "container-title-short": "J. Things",
        "volume": 12,
        "issue": "3",
        "page": "101-115",
        "publisher": "Some Press",
        "publisher-place": "Lyon",
        "DOI": "10.1000/xyz123",
        "URL": "https://example.org/paper",
        "ISSN": "1234-5678",
        "language": "en",
        "abstract": "First paragraph.\nSecond <i>paragraph</i>.\n\nThird.",
        "note": "Published online",
        "keyword": "genomics, flies",
        "source": "Zotero",
        "author": [
            {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"},
            {"family": "Gaulle", "given": "Charles", "non-dropping-particle": "de"},
            {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
            {"literal": "The ACME Consortium, Inc."},
        ],
        "editor": [{"family": "Smith", "given": "A. B."}],
        "accessed": {"date-parts": [[2024, 1, 15]]},
        "issued": {"date-parts": [["2021", "5", "3"]]},
    }
]


def test_zotero_item_fields_and_rich_text():
    records, problems = read(json.dumps(ZOTERO, indent=2))
    assert problems == []
    (rec,) = records
    assert rec.key == "http://zotero.org/users/1/items/ABCD1234"
    assert rec.type == "article"
    assert rec.source.line == 2
    assert rec.title == (
        "The ",
        Styled("emph", ("Drosophila",)),
        " genome of iPhone users: H",
        Styled("sub", ("2",)),
        "O, E = mc",
        Styled("sup", ("2",)),
        " & ",
        Styled("smallcaps", ("Caps",)),
        " ",
        Styled("strong", ("bold",)),
    )
    assert rec.rich("journal") == ("Journal of ", Styled("emph", ("Things",)))
    f = rec.fields
    assert f["journal"] == "Journal of \\textit{Things}"
    assert f["title"].startswith(
        "The \\textit{Drosophila} genome of {iPhone} users: H\\textsubscript"
    )
    assert "\\& \\textsc{Caps}" in f["title"]
    assert (f["volume"], f["number"], f["pages"]) == ("12", "3", "101--115")
    assert rec.rich("pages") == ("101–115",)
    assert (f["publisher"], f["address"], f["doi"], f["url"], f["issn"]) == (
        "Some Press",
        "Lyon",
        "10.1000/xyz123",
        "https://example.org/paper",
        "1234-5678",
    )
    assert (f["shortjournal"], f["keywords"], f["urldate"]) == (
        "J. Things",
        "genomics, flies",
        "2024-01-15",
    )
    assert (rec.year, rec.month, rec.year_text) == (2021, 5, "2021")
    assert (f["year"], f["month"], f["date"]) == ("2021", "5", "2021-05-03")
    assert rec.abstract == (
        ("First paragraph.",),
        ("Second ", Styled("emph", ("paragraph",)), "."),
        ("Third.",),
    )
    assert rec.authors == (
        Person(first=("Ludwig",), prelast=("van",), last=("Beethoven",)),
        Person(first=("Charles",), prelast=("de",), last=("Gaulle",)),
        Person(first=("Martin",), middle=("Luther",), last=("King",), lineage=("Jr.",)),
        Person(last=("The ACME Consortium, Inc.",)),
    )
    assert rec.editors == (Person(first=("A.",), middle=("B.",), last=("Smith",)),)
    assert rec.editors[0].display == "A. B. Smith"


def test_bibtex_names_read_back_as_the_same_people():
    """The BibTeX toggle's name lists, split by pybtex, give the records' people."""
    (rec,), _ = read(json.dumps(ZOTERO))
    for field, people in (("author", rec.authors), ("editor", rec.editors)):
        names = Parser().parse_string(f"@misc{{k, {field} = {{{rec.fields[field]}}}}}")
        parsed = names.entries["k"].persons[field]
        assert len(parsed) == len(people)
        for ours, theirs in zip(people, parsed, strict=True):
            assert isinstance(theirs, PybtexPerson)
            parts = (
                theirs.first_names,
                theirs.middle_names,
                theirs.prelast_names,
                theirs.last_names,
                theirs.lineage_names,
            )
            assert tuple(tuple(w.strip("{}") for w in part) for part in parts) == (
                ours.first,
                ours.middle,
                ours.prelast,
                ours.last,
                ours.lineage,
            )


def test_bibtex_toggle_text_is_bibtex():
    (rec,), _ = read(json.dumps(ZOTERO))
    text = entry_bibtex(rec, {"abstract"})
    assert text.startswith("@article{http://zotero.org/users/1/items/ABCD1234,\n  author = {")
    entry = Parser().parse_string(text).entries[rec.key]
    assert entry.fields["journal"] == "Journal of \\textit{Things}"
    assert entry.fields["year"] == "2021"
    assert "abstract" not in entry.fields


def test_links_from_csl_fields():
    (rec,), _ = read(json.dumps(ZOTERO))
    links, bad = entry_links(rec)
    assert bad == []
    assert [(link.label, link.url) for link in links] == [
        ("DOI", "https://doi.org/10.1000/xyz123"),
        ("HTML", "https://example.org/paper"),
    ]


def test_custom_variables_become_fields():
    rec, problems = one(
        {
            "id": "k",
            "type": "paper-conference",
            "title": "T",
            "issued": {"date-parts": [[2020]]},
            "container-title": "Proc. of X",
            "event-place": "Lyon, France",
            "custom": {"pdf": "paper.pdf", "selected": True, "abbr": "ICML", "pages": 3},
        }
    )
    assert problems == []
    assert rec.type == "inproceedings"
    assert (rec.fields["booktitle"], rec.fields["location"]) == ("Proc. of X", "Lyon, France")
    assert (rec.fields["pdf"], rec.fields["selected"], rec.fields["abbr"]) == (
        "paper.pdf",
        "true",
        "ICML",
    )
    assert rec.rich("abbr") == ("ICML",)
    from sphinx_pubs.view.format import venue_line

    assert plain(venue_line(rec)) == "In Proc. of X, Lyon, France, 2020"


def test_type_map_gives_known_bibtex_types():
    assert set(TYPE_MAP.values()) <= KNOWN_TYPES


@pytest.mark.parametrize(
    ("csl_type", "genre", "kind"),
    [
        ("article-journal", None, "article"),
        ("article-newspaper", None, "article"),
        ("paper-conference", None, "inproceedings"),
        ("chapter", None, "incollection"),
        ("entry-encyclopedia", None, "incollection"),
        ("book", None, "book"),
        ("thesis", None, "phdthesis"),
        ("thesis", "PhD thesis", "phdthesis"),
        ("thesis", "Master's thesis", "mastersthesis"),
        ("thesis", "MSc thesis", "mastersthesis"),
        ("thesis", "M.A. thesis", "mastersthesis"),
        ("report", None, "techreport"),
        ("webpage", None, "online"),
        ("post-weblog", None, "online"),
        ("dataset", None, "dataset"),
        ("software", None, "software"),
        ("patent", None, "patent"),
        ("speech", None, "misc"),
        ("manuscript", None, "unpublished"),
    ],
)
def test_type_mapping(csl_type, genre, kind):
    item = {"id": "k", "type": csl_type, "title": "T", "issued": {"date-parts": [[2020]]}}
    if genre:
        item["genre"] = genre
    rec, problems = one(item)
    assert rec.type == kind
    assert problems == []


def test_venue_fields_by_type():
    base = {"id": "k", "title": "T", "issued": {"date-parts": [[2020]]}, "publisher": "U of X"}
    thesis, _ = one({**base, "type": "thesis"})
    report, _ = one({**base, "type": "report", "number": "TR-1"})
    talk, _ = one({**base, "type": "speech", "event-title": "PyCon", "event-place": "Lyon"})
    page, _ = one({**base, "type": "webpage", "container-title": "My Blog"})
    from sphinx_pubs.view.format import venue_line

    assert thesis.fields["school"] == "U of X" and "publisher" not in thesis.fields
    assert plain(venue_line(thesis)) == "U of X, 2020"
    assert report.fields["institution"] == "U of X" and report.fields["number"] == "TR-1"
    assert plain(venue_line(talk)) == "PyCon, Lyon, 2020"
    assert plain(venue_line(page)) == "My Blog, 2020"


@pytest.mark.parametrize(
    ("issued", "year", "month", "year_text", "warned"),
    [
        ({"date-parts": [[2021, 5, 3]]}, 2021, 5, "2021", False),
        ({"date-parts": [[2019], [2021]]}, 2019, None, "2019", False),
        ({"date-parts": [[2021, 21]]}, 2021, None, "2021", False),  # a season
        ({"date-parts": [[2021, 0]]}, 2021, None, "2021", True),
        ({"raw": "2021-05-03"}, 2021, 5, "2021", False),
        ({"raw": "May 2021"}, 2021, 5, "2021", False),
        ({"raw": "3 Sept. 2018"}, 2018, 9, "2018", False),
        ({"literal": "2020"}, 2020, None, "2020", False),
        ({"literal": "in press"}, None, None, "in press", False),
        ({"literal": "Forthcoming"}, None, None, "Forthcoming", False),
        ({"literal": "some day"}, None, None, "some day", True),
        ({"date-parts": [[]]}, None, None, "", True),
        ("2017", 2017, None, "2017", False),
        (None, None, None, "", True),
    ],
)
def test_issued(issued, year, month, year_text, warned):
    item = {"id": "k", "type": "book", "title": "T"}
    if issued is not None:
        item["issued"] = issued
    rec, problems = one(item)
    assert (rec.year, rec.month, rec.year_text) == (year, month, year_text)
    assert bool(problems) == warned, problems
    assert all(p.subtype == "entry" and "'k'" in p.message for p in problems)


def test_status_in_press_without_issued_is_not_a_problem():
    rec, problems = one({"id": "k", "type": "book", "title": "T", "status": "in press"})
    assert (rec.year, rec.year_text, problems) == (None, "in press", [])


def test_math_and_dollars():
    rec, problems = one(
        {
            "id": "k",
            "type": "book",
            "title": "5$\\times$ faster: $x^2$ for $5 and $6 &lt;b&gt;",
            "issued": {"date-parts": [[2020]]},
        }
    )
    assert problems == []
    assert rec.title == ("5× faster: ", Math("x^2"), " for $5 and $6 <b>")


def test_tags_that_are_not_csl_stay_text():
    rec, _ = one(
        {
            "id": "k",
            "type": "book",
            "title": '<script>alert(1)</script> <i>open <a href="x">link</a>',
            "issued": {"date-parts": [[2020]]},
        }
    )
    assert rec.title == ('<script>alert(1)</script> <i>open <a href="x">link</a>',)


def test_empty_and_single_object_files():
    assert read("") == ([], [])
    assert read("  [ ]\n") == ([], [])
    records, problems = read('\n{"id": 7, "type": "book", "title": "One", "issued": "2001"}\n')
    assert problems == []
    assert [(r.key, r.source.line, r.year) for r in records] == [("7", 2, 2001)]


BROKEN = """\
[
  {"id": "good1", "type": "book", "title": "First", "issued": {"date-parts": [[2020]]}},
  {"id": "broken", "type": "book", "title": "Missing comma" "issued": {"date-parts": [[2019]]},
   "author": [{"family": "Nested", "given": "Name"}]},
  {"id": "good2", "type": "book", "title": "Second", "issued": {"date-parts": [[2019]]}}
  {"id": "good3", "type": "book", "title": "Third", "issued": {"date-parts": [[2018]]}},
  42,
  ["a list"],
  {"type": "book", "title": "No id", "issued": {"date-parts": [[2018]]}},
  {"id": true, "type": "book", "title": "Bool id"},
  {"id": "good1", "type": "book", "title": "Duplicate", "issued": {"date-parts": [[2017]]}},
  {"id": "notitle", "type": "book", "issued": {"date-parts": [[2017]]}},
  {"id": "weird", "type": "magic", "title": "Weird type", "issued": {"date-parts": [[2016]]}},
  {"id": "notype", "title": "No type", "issued": {"date-parts": [[2016]]}},
  {"id": "types", "type": "book", "title": ["a", "list"], "volume": {"x": 1},
   "author": "Someone", "editor": [1, null, {"given": "Only"}, {}], "issued": [2015],
   "custom": "text", "note": null, "page": true},
  {"id": "last", "type": "book", "title": "Last", "issued": {"date-parts": [[2014]]}}
]
"""


def test_broken_file_problems_and_recovery():
    records, problems = read(BROKEN)
    keys = [r.key for r in records]
    assert keys == ["good1", "good2", "good3", "notitle", "weird", "notype", "types", "last"]
    got = messages(problems)
    joined = "\n".join(got)

    def has(line: int, subtype: str, *words: str) -> bool:
        return any(m.startswith(f"{line}:{subtype}:") and all(w in m for w in words) for m in got)

    assert has(3, "syntax", "entry 'broken' skipped", "CSL-JSON syntax error"), joined
    assert has(6, "syntax", "',' missing between items"), joined
    assert has(7, "entry", "item 5 is a number"), joined
    assert has(8, "entry", "item 6 is a list"), joined
    assert has(9, "entry", "without a usable id", "No id"), joined
    assert has(10, "entry", "without a usable id", "(true)"), joined
    assert has(11, "duplicate", "duplicate id 'good1'", "line 2"), joined
    assert has(12, "entry", "entry 'notitle' has no title"), joined
    assert has(13, "type", "entry 'weird' has unknown CSL type 'magic'"), joined
    assert has(14, "type", "entry 'notype' has no CSL type"), joined
    for variable in ("title", "volume", "author", "issued", "custom", "page"):
        assert has(15, "entry", "entry 'types'", f"'{variable}'"), (variable, joined)
    assert has(15, "entry", "entry 'types'", "'editor'", "name 1 (a number)"), joined
    assert has(15, "entry", "name 4 (an object)"), joined
    assert has(15, "entry", "entry 'types' has no date"), joined
    assert not any("'note'" in m for m in got)  # null is "not given"
    types = records[keys.index("types")]
    assert types.editors == (Person(first=("Only",)),)
    assert types.authors == (Person(last=("Someone",)),)
    assert types.type == "book" and types.title == ()
    # every message names its entry where it has one
    for problem in problems:
        if problem.source.line >= 11:
            assert "'" in problem.message


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[{"id": "a", "type": "book", "title": "A"}', 1, "before the array is closed"),
        ('[{"id": "a", "type": "book", "title": "A"}]\n]', 2, "after the closing"),
        ("42", 1, "must hold an array"),
        ('{"id": "a", "title": "A", "type": "book"} x', 1, "after the item"),
        ('{"id": "a", "title": "A"', 1, "CSL-JSON syntax error"),
        ("[\n  ,\n]", 2, "stray ','"),
    ],
)
def test_file_level_syntax_errors(text, line, words):
    _, problems = read(text)
    assert any(
        p.subtype == "syntax" and p.source.line == line and words in p.message for p in problems
    ), messages(problems)


def _mutations(value):
    yield from (None, 0, 1.5, True, "", "x", [], {}, [1], [{}], [[1]], {"a": None})


def test_no_input_raises():
    """Every variable of a full item replaced by every JSON type, and every prefix
    of a file: problems, never an exception."""
    item = ZOTERO[0] | {"custom": {"pdf": "a.pdf"}, "genre": "x", "event": "E"}
    for name in item:
        for value in _mutations(item[name]):
            records, problems = read(json.dumps([item | {name: value}]))
            assert len(records) + len(problems) >= 1
    text = BROKEN
    for end in range(0, len(text), 7):
        records, problems = read(text[:end])
        last = text[:end].count("\n") + 1
        assert all(1 <= p.source.line <= last for p in problems)


# -- real builds ----------------------------------------------------------------------------
def test_zotero_export_builds(build_project):
    items = [*ZOTERO, {**ZOTERO[0], "id": "evil", "title": "<script>alert(1)</script>"}]
    app = build_project(
        {"index.rst": PAGE, "refs.json": json.dumps(items, indent=2)},
        conf="pubs_bibtex_show = True\n",
    )
    page = app.soup()
    assert warnings_of(app) == []
    entry = page.select_one("li.pub")
    title = entry.select_one(".pub-title")
    assert [text_of(em) for em in title.find_all("em")] == ["Drosophila"]
    assert "nocase" not in str(title) and "iPhone" in text_of(title)
    assert text_of(entry.select_one(".pub-venue")) == "Journal of Things, Lyon, May 2021"
    assert text_of(entry.select_one(".pub-authors")).startswith(
        "Ludwig van Beethoven, Charles de Gaulle, Martin Luther King, Jr."
    )
    assert [a["href"] for a in entry.select("a.pub-button")] == [
        "https://doi.org/10.1000/xyz123",
        "https://example.org/paper",
    ]
    bibtex = entry.select_one("pre.pub-bibtex-text").get_text()
    assert "author = {van Beethoven, Ludwig and de Gaulle, Charles and" in bibtex
    evil = page.select_one("li#pub-evil")
    assert evil.find("script") is None
    assert text_of(evil.select_one(".pub-title")) == "<script>alert(1)</script>"


def test_broken_json_build_warns_at_the_line(build_project):
    app = build_project({"index.rst": PAGE, "refs.json": BROKEN})
    page = app.soup()
    assert app.statuscode == 0
    warnings = warnings_of(app)
    joined = "\n".join(warnings)
    assert "Traceback" not in joined
    assert any("refs.json:3:" in w and "'broken'" in w and "[pubs.syntax]" in w for w in warnings)
    assert any("refs.json:11:" in w and "[pubs.duplicate]" in w for w in warnings), joined
    assert any("refs.json:13:" in w and "[pubs.type]" in w for w in warnings), joined
    assert all("[pubs." in w for w in warnings), joined
    ids = [li["id"] for li in page.select("li.pub")]
    for key in ("good1", "good2", "good3", "notitle", "weird", "notype", "types", "last"):
        assert f"pub-{key}" in ids
    assert text_of(page.select_one("#pub-good1 .pub-title")) == "First"
    assert text_of(page.select_one("#pub-notitle .pub-title")) == "notitle"


def test_single_object_and_empty_files_build(build_project):
    item = {"id": "solo", "type": "book", "title": "Alone", "issued": {"raw": "2003-04"}}
    app = build_project({"index.rst": PAGE, "refs.json": json.dumps(item)})
    page = app.soup()
    assert warnings_of(app) == []
    assert text_of(page.select_one("#pub-solo .pub-venue")) == "Apr 2003"
    app = build_project({"index.rst": PAGE, "refs.json": "[]"})
    page = app.soup()
    assert not [w for w in warnings_of(app) if "refs.json" in w]
    assert page.select("li.pub") == []


def test_bib_and_json_in_one_list(build_project):
    bib = "@article{b, title = {From BibTeX}, year = 2019}\n"
    csl = json.dumps([{"id": "c", "type": "book", "title": "From CSL", "issued": "2020"}])
    page_rst = "Publications\n============\n\n.. publications:: refs.bib refs.json\n"
    app = build_project({"refs.bib": bib, "refs.json": csl, "index.rst": page_rst})
    page = app.soup()
    assert warnings_of(app) == []
    assert [li["id"] for li in page.select("li.pub")] == ["pub-c", "pub-b"]
