"""Unit tests of the pure stages: sources, select, format.  No Sphinx here."""

from __future__ import annotations

import pytest

from sphinx_pubs.core.model import Person, Publication, Source, Styled, plain
from sphinx_pubs.select.group import group_by_year, merge
from sphinx_pubs.sources import decode_bytes, load, parse_file
from sphinx_pubs.sources.bibtex import read_bibtex_text
from sphinx_pubs.sources.dates import parse_month, parse_year
from sphinx_pubs.view import format as fmt


def read(text: str):
    return read_bibtex_text("refs.bib", text)


# -- sources ---------------------------------------------------------------------------
def test_record_fields():
    (rec,), problems = read(
        """@InProceedings{Key:1,
  Title = {{BERT}: Deep {\\"U}ber \\emph{Things}},
  Author = {M{\\"u}ller, Hans and van der Berg, Jan and Smith, Jr., John and others},
  booktitle = "Proc. " # conf,
  year = 2019, month = oct,
  abstract = {First paragraph.

  Second \\textit{paragraph}.},
  url = {https://example.org/a_b},
}"""
    )
    assert [p.message for p in problems] == [
        "entry 'Key:1': BibTeX syntax error: undefined @string macro 'conf', "
        "read as the text 'conf'"
    ]
    assert rec.key == "Key:1" and rec.type == "inproceedings"
    assert rec.source == Source("refs.bib", 1)
    assert plain(rec.title) == "BERT: Deep Über Things"
    assert Styled("emph", ("Things",)) in rec.title
    assert [p.display for p in rec.authors] == [
        "Hans Müller",
        "Jan van der Berg",
        "John Smith, Jr.",
        "others",
    ]
    assert rec.authors[-1].is_others
    assert rec.authors[1].prelast == ("van", "der") and rec.authors[1].last == ("Berg",)
    assert (rec.year, rec.month) == (2019, 10)
    assert [plain(p) for p in rec.abstract] == ["First paragraph.", "Second paragraph."]
    assert rec.fields["url"] == "https://example.org/a_b"  # raw fields are not decoded
    assert plain(rec.rich("booktitle")) == "Proc. conf"


def test_macros_carry_across_entries_and_month_names():
    records, problems = read(
        "@string{jml = {J. Mach. Learn.}}\n"
        "@article{a, title = {A}, journal = jml, year = {2020}, month = {March}}\n"
        "@article{b, title = {B}, journal = jml # { Res.}, year = {2021}, month = 7}\n"
    )
    assert problems == []
    assert [plain(r.rich("journal")) for r in records] == [
        "J. Mach. Learn.",
        "J. Mach. Learn. Res.",
    ]
    assert [r.month for r in records] == [3, 7]
    assert [r.source.line for r in records] == [2, 3]


def test_biblatex_date():
    (rec,), problems = read("@online{a, title = {A}, date = {2021-05-03}}")
    assert problems == []
    assert (rec.year, rec.month) == (2021, 5)


def test_year_text_kept_when_not_a_number():
    (rec,), problems = read("@article{a, title = {A}, year = {in press}}")
    # a deliberate "in press" is undated without a warning
    assert rec.year is None and rec.year_text == "in press"
    assert problems == []
    (rec,), problems = read("@article{a, title = {A}, year = {20O1}}")
    assert rec.year is None and rec.year_text == "20O1"
    assert [p.subtype for p in problems] == ["entry"]
    assert "no usable year ('20O1')" in problems[0].message


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("mar", 3),
        ("March", 3),
        ("Mar.", 3),
        ("3", 3),
        ("03", 3),
        ("12", 12),
        ("13", None),
        ("Smarch", None),
        ("", None),
    ],
)
def test_parse_month(text, month):
    assert parse_month(text) == month


@pytest.mark.parametrize(
    ("text", "year"),
    [("2021", 2021), ("2021a", 2021), ("c. 1999", 1999), ("12345", None), ("in press", None)],
)
def test_parse_year(text, year):
    assert parse_year(text) == year


def test_error_in_one_entry_keeps_the_next():
    records, problems = read(
        "@article{a, title = {A, year = 2020,\n"
        "\n"
        "@article{b, title = {B}, year = 2021}\n"
        "@article{c, title = {C} year = 2022}\n"
        "@article{d, title = {D}, year = 2023}\n"
    )
    # a: unclosed brace, skipped; c: missing comma, reported, and its year still read
    assert [r.key for r in records] == ["b", "c", "d"]
    assert records[1].year == 2022
    assert {(p.source.line, p.subtype) for p in problems} == {(1, "syntax"), (4, "syntax")}
    assert any("missing comma before field 'year'" in p.message for p in problems)


def test_comments_and_preamble_are_skipped():
    records, problems = read(
        "Some text before.\n@comment{ignored @article{x, title={X}} }\n"
        '@preamble{"\\newcommand{\\foo}{}"}\n@article{a, title = {A}, year = 2020}\n'
    )
    assert [r.key for r in records] == ["a"]
    assert problems == []


def test_duplicate_field_and_key():
    records, problems = read(
        "@article{a, title = {A}, title = {Again}, year = 2020}\n"
        "@article{a, title = {Other}, year = 2021}\n"
    )
    assert [plain(r.title) for r in records] == ["A"]
    assert sorted(p.subtype for p in problems) == ["duplicate", "duplicate"]


def test_decode_bytes():
    assert decode_bytes("é".encode(), "utf-8") == ("é", None, 0)
    assert decode_bytes(b"\xef\xbb\xbf@a", "utf-8") == ("@a", None, 0)
    text, message, line = decode_bytes(b"ok\ncaf\xe9\n", "utf-8")
    assert text == "ok\ncafé\n" and "not valid utf-8" in message and line == 2
    text, message, line = decode_bytes(b"x", "no-such-codec")
    assert text == "x" and "unknown encoding" in message and line == 0


def test_load_caches_by_stamp_and_content(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text("@article{a, title = {A}, year = 2020}\n")
    cache: dict = {}
    first, parsed = load(str(path), "utf-8", cache)
    assert parsed and [r.key for r in first.records] == ["a"]
    again, parsed = load(str(path), "utf-8", cache)
    assert not parsed and again is first
    # another encoding is another parse
    _, parsed = load(str(path), "latin-1", cache)
    assert parsed
    missing, parsed = load(str(tmp_path / "nope.bib"), "utf-8", cache)
    assert parsed and missing.records == [] and missing.problems[0].subtype == "bibfile"
    assert str(tmp_path / "nope.bib") not in cache


def test_parse_file_missing(tmp_path):
    result = parse_file(str(tmp_path / "missing.bib"))
    assert result.records == []
    assert result.problems[0].message == "bibliography file not found"


# -- select ----------------------------------------------------------------------------
def pub(key, year=None, **kw):
    return Publication(key=key, type="article", source=Source("f.bib", 1), year=year, **kw)


def test_group_by_year_is_newest_first_stable_and_undated_last():
    records = [pub("a", 2020), pub("b"), pub("c", 2022), pub("d", 2020), pub("e", 2022)]
    groups = group_by_year(records, "Later")
    assert [(g.label, g.slug, [r.key for r in g.records]) for g in groups] == [
        ("2022", "2022", ["c", "e"]),
        ("2020", "2020", ["a", "d"]),
        ("Later", "undated", ["b"]),
    ]
    assert group_by_year([]) == []


def test_merge_drops_later_duplicates():
    a1, a2, b = pub("a", 2020), pub("a", 2021), pub("b", 2021)
    records, problems = merge([[a1, b], [a2]])
    assert records == [a1, b]
    assert len(problems) == 1 and "first defined at f.bib:1" in problems[0].message


# -- format ----------------------------------------------------------------------------
def people(n):
    return tuple(Person(first=(f"F{i}",), last=(f"L{i}",)) for i in range(n))


@pytest.mark.parametrize(
    ("n", "limit", "shown", "hidden"),
    [(1, 3, 1, 0), (3, 3, 3, 0), (4, 3, 3, 1), (7, 3, 3, 4), (7, 0, 7, 0), (2, 1, 1, 1)],
)
def test_author_line_split(n, limit, shown, hidden):
    line = fmt.author_line(pub("k", authors=people(n)), limit)
    assert (len(line.shown), len(line.hidden)) == (shown, hidden)


def test_author_line_editors_and_others():
    others = Person(last=("others",))
    line = fmt.author_line(pub("k", editors=(*people(2), others)), 3)
    assert line.role == "editor" and line.et_al and len(line.shown) == 2
    assert fmt.author_line(pub("k"), 3) is None


def test_date_and_venue():
    record = pub(
        "k",
        2021,
        month=8,
        year_text="2021",
        text={"booktitle": ("Proc. X",), "location": ("Virtual",)},
    )
    record.type = "inproceedings"
    assert fmt.date_text(record) == "Aug 2021"
    assert plain(fmt.venue_line(record)) == "In Proc. X, Virtual, Aug 2021"
    # no booktitle: never a dangling "In , "
    record.text = {}
    assert plain(fmt.venue_line(record)) == "Aug 2021"
    record.month = None
    assert plain(fmt.venue_line(record)) == "2021"
    thesis = pub("t", 2019, year_text="2019", text={"school": ("MIT",)})
    thesis.type = "phdthesis"
    assert plain(fmt.venue_line(thesis)) == "MIT, 2019"
    book = pub(
        "b",
        None,
        year_text="forthcoming",
        text={"publisher": ("MIT Press",), "address": ("Cambridge",)},
    )
    book.type = "book"
    assert plain(fmt.venue_line(book)) == "MIT Press, Cambridge, forthcoming"


# -- real-world BibTeX found by the corpus (tests/corpus) --------------------------------
def test_macro_names_ignore_case():
    (rec,), problems = read(
        '@string{stoc = "Proc. STOC"}\n'
        "@inproceedings{a, title={T}, booktitle = STOC, year=1990, month = JUL}\n"
    )
    assert problems == []
    assert plain(rec.rich("booktitle")) == "Proc. STOC" and rec.month == 7


def test_entry_with_a_recoverable_error_is_kept():
    (rec,), problems = read("@article{whole, journal={J}, year=1986, month=jlu}\n")
    assert rec.key == "whole" and rec.year == 1986
    assert {p.subtype for p in problems} == {"syntax", "entry"}  # the macro; no title


def test_percent_comments_between_fields():
    (rec,), problems = read(
        "@book{gxd1,\n  author = {Simon Smith}, % a comment\n"
        "  title = {The Title}, % another\n  year = 2000 % last\n}\n"
    )
    assert problems == []
    assert plain(rec.title) == "The Title" and rec.year == 2000
    # a "%" inside a value is text
    (rec,), _ = read("@misc{p, title = {50% more}, year = 2000}")
    assert plain(rec.title) == "50% more"


def test_byte_order_marks():
    text = "@misc{u, title = {Übung}, year = 2001}\n"
    for encoding in ("utf-16", "utf-32", "utf-8-sig"):
        decoded, message, _ = decode_bytes(text.encode(encoding), "utf-8")
        assert (decoded, message) == (text, None), encoding


def test_data_only_entries_are_not_publications():
    records, problems = read(
        "@set{s, entryset = {a,b}}\n@xdata{x, publisher = {P}}\n"
        "@article{a, title = {A}, year = 2020}\n"
    )
    assert [r.key for r in records] == ["a"] and problems == []


def test_fields_no_page_shows_are_kept_raw_and_not_checked():
    (rec,), problems = read(
        "@article{a, title = {A}, year = 2020, acknowledgement = {ack \\path|x|},\n"
        "  keywords = {a, \\emph{b}}}\n"
    )
    assert problems == []
    assert rec.fields["acknowledgement"] == "ack \\path|x|"
    assert "acknowledgement" not in rec.text


def test_math_in_a_name():
    (rec,), problems = read("@article{a, title={T}, year=2007, author={So{$\\not$}rensen, C.}}")
    assert rec.authors[0].last == ("So\u0338rensen",) and problems == []
    (rec,), problems = read("@article{a, title={T}, year=2007, author={A{$x^2$}b, C.}}")
    assert rec.authors[0].last == ("Ax2b",) and problems == []


def test_crossref_inheritance():
    from sphinx_pubs.sources.crossref import resolve_crossrefs

    records, problems = read(
        "@inproceedings{child, title = {Child Paper}, author = {Ann Author},\n"
        "  crossref = {PARENT}, pages = {1--10}}\n"
        "@inproceedings{orphan, title = {Orphan}, crossref = {missing}}\n"
        "@proceedings{parent, title = {Proc. of Things}, editor = {Ed Editor},\n"
        "  publisher = {ACM}, year = 2019, month = jun, note = {not inherited}}\n"
    )
    assert problems == []  # a child's missing year may come from its parent
    out, problems = resolve_crossrefs(records)
    child, orphan, parent = out
    assert orphan.fields["crossref"] == "missing" and orphan.year is None
    assert plain(child.rich("booktitle")) == "Proc. of Things"
    assert plain(child.title) == "Child Paper" and plain(child.rich("publisher")) == "ACM"
    assert (child.year, child.month) == (2019, 6)
    assert [p.display for p in child.editors] == ["Ed Editor"]
    assert "note" not in child.text
    # the file was resolved as it was read; resolving again changes nothing
    assert out[0] is records[0] and parent is records[2]
    assert [(p.source.line, p.message) for p in problems] == [
        (3, "entry 'orphan': crossref 'missing' not found"),
        (
            3,
            "entry 'orphan' has no year, nor has its crossref parent; "
            "listed with the undated entries",
        ),
    ]
    assert plain(fmt.venue_line(child)) == "In Proc. of Things, Jun 2019"
