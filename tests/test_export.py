"""Writing records back out (:mod:`sphinx_pubs.export`): round trips through real parsers.

* BibTeX: the seed file written by :func:`to_bibtex` is read by pybtex (strict mode)
  to the same keys, types, fields and people as pybtex's own parse of the seed, and by
  our reader to equal records; every file of ``tests/corpus`` survives the trip
  through our reader (keys, types, titles, authors, years) and pybtex reads the output
  without error.
* CSL-JSON: the seed written by :func:`to_csl_json` and read by our CSL reader gives
  the BibTeX records' titles, people, dates and venue lines; the pandoc-made CSL twin
  of the seed, read and written again, reads to the same records.
* Hostile values (markup, odd keys, unbalanced braces, ``@`` at a line start) and
  hypothesis-generated values never give a file a parser refuses.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pybtex.database
import pybtex.errors
import pytest
from helpers import pybtex_parse
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_pubs.core.latex.decoder import decode
from sphinx_pubs.core.model import Math, Person, Publication, Source, Styled, plain
from sphinx_pubs.export import DOWNLOAD_HIDDEN
from sphinx_pubs.export.bibtex import bibtex_key, to_bibtex
from sphinx_pubs.export.csl import csl_rich, to_csl_json
from sphinx_pubs.sources import parse_bytes
from sphinx_pubs.sources.bibtex import read_bibtex_text
from sphinx_pubs.sources.csl import read_csl_text
from sphinx_pubs.view.format import venue_line

TESTS = Path(__file__).parent
SEED = TESTS / "roots" / "test-seed" / "publications.bib"
CSL_TWIN = TESTS / "roots" / "test-csl" / "seed-publications.json"
CORPUS = sorted(
    p for p in (TESTS / "corpus").iterdir() if p.suffix == ".bib" and not p.name.startswith(".")
)

#: what a record is, for comparing two reads of the same entry
ATTRIBUTES = ("key", "type", "title", "authors", "editors", "year", "year_text", "month")
ATTRIBUTES += ("abstract", "text", "fields")


#: pybtex raises on every error (the tests rely on it)
pytestmark = pytest.mark.usefixtures("strict_pybtex")


def parts(person: pybtex.database.Person) -> tuple[list[str], ...]:
    return (
        person.first_names,
        person.middle_names,
        person.prelast_names,
        person.last_names,
        person.lineage_names,
    )


def read_back(text: str) -> list[Publication]:
    """Records of BibTeX *text*, asserting our reader found no syntax problem."""
    records, problems = read_bibtex_text("out.bib", text)
    assert [p for p in problems if p.subtype in ("syntax", "duplicate")] == []
    return records


def seed_records() -> list[Publication]:
    records, _ = read_bibtex_text(str(SEED), SEED.read_text(encoding="utf-8"))
    return records


def record(key: str, kind: str = "misc", **fields: str) -> Publication:
    """A record as the reader makes it from ``@kind{key, fields...}``."""
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields.items())
    records = read_back(f"@{kind}{{{key},\n{body}}}\n")
    assert len(records) == 1
    return records[0]


# -- BibTeX: the seed ----------------------------------------------------------------------
def test_seed_bibtex_read_by_pybtex_as_the_original():
    records = seed_records()
    assert len(records) == 79
    original = pybtex_parse(SEED.read_text(encoding="utf-8"))
    written = pybtex_parse(to_bibtex(records))
    assert list(written.entries.keys()) == [r.key for r in records]
    assert list(written.entries.keys()) == list(original.entries.keys())
    compared = 0
    for key, entry in original.entries.items():
        out = written.entries[key]
        assert out.type == entry.type
        expected = {name.lower(): value for name, value in entry.fields.items()}
        assert {name.lower(): value for name, value in out.fields.items()} == expected
        compared += len(expected)
        for role in ("author", "editor"):
            assert [parts(p) for p in out.persons.get(role, [])] == [
                parts(p) for p in entry.persons.get(role, [])
            ]
    assert compared > 79 * 3  # title, year, month at least, abstracts mostly


def test_seed_bibtex_read_by_our_reader_as_the_original():
    records = seed_records()
    again = read_back(to_bibtex(records))
    assert len(again) == len(records)
    for before, after in zip(records, again, strict=True):
        for attribute in ATTRIBUTES:
            assert getattr(after, attribute) == getattr(before, attribute), (before.key, attribute)


def test_seed_bibtex_shape_and_determinism():
    records = seed_records()
    text = to_bibtex(records)
    assert text.startswith("% sphinx-pubs: 79 entries\n\n@article{ko2025distillm2,\n")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text == to_bibtex(seed_records())  # a fresh parse gives the same bytes
    assert text.count("\n@") == 79
    # fields in the file's order, one per line
    first = text.split("\n\n")[1].splitlines()
    assert [line.split(" = ")[0].strip() for line in first[1:-1]] == list(records[0].fields)


def test_hidden_fields_left_out_and_abstract_kept_by_download_set():
    records = seed_records()
    assert "abstract" not in DOWNLOAD_HIDDEN and {"selected", "preview", "abbr"} <= DOWNLOAD_HIDDEN
    with_abstracts = pybtex_parse(to_bibtex(records, DOWNLOAD_HIDDEN))
    assert sum("abstract" in e.fields for e in with_abstracts.entries.values()) == sum(
        bool(r.abstract) for r in records
    )
    without = pybtex_parse(to_bibtex(records, hidden=["Abstract", "MONTH"]))
    for entry in without.entries.values():
        assert "abstract" not in entry.fields and "month" not in entry.fields
        assert "title" in entry.fields and "year" in entry.fields


def test_alfolio_fields_hidden():
    rec = record(
        "a1",
        "article",
        title="T",
        author="Doe, Jane",
        year="2020",
        selected="true",
        preview="img.png",
        abbr="ICML",
        bibtex_show="true",
        pdf="a.pdf",
        abstract="Some text.",
    )
    text = to_bibtex([rec], DOWNLOAD_HIDDEN)
    assert set(pybtex_parse(text).entries["a1"].fields) == {"title", "year", "abstract"}
    assert "selected" not in text and "preview" not in text and "abbr" not in text


# -- BibTeX: real-world files ---------------------------------------------------------------
@pytest.mark.parametrize("path", CORPUS, ids=[p.name[:40] for p in CORPUS])
def test_corpus_round_trip(path: Path):
    records = parse_bytes(str(path), path.read_bytes(), "utf-8").records
    text = to_bibtex(records)
    again = read_back(text)
    parsed = pybtex_parse(text)  # strict: any error raises
    assert list(parsed.entries.keys()) == [r.key for r in again]
    assert len(again) == len(records)
    written: set[str] = set()
    for before, after in zip(records, again, strict=True):
        if after.key != before.key:
            # a key BibTeX cannot hold, or one written before (BibTeX ignores case):
            # renamed, never lost
            base = bibtex_key(before.key)
            assert after.key == base or re.fullmatch(re.escape(base) + r"-\d+", after.key)
            assert base != before.key or before.key.lower() in written
            assert f"% key {before.key!r} written as {after.key}" in text
        written.add(after.key.lower())
        assert after.type == before.type
        assert after.title == before.title
        assert after.authors == before.authors
        assert after.editors == before.editors
        assert (after.year, after.year_text) == (before.year, before.year_text)
        expected = {n: v for n, v in before.fields.items() if n != "crossref"}
        if not before.authors and expected.get("author", "").strip():
            del expected["author"]  # a crossref parent's, not taken by the entry
        for name in ("author", "editor"):
            # a name pybtex refuses is braced whole ("a, b, c, d"): the people compare
            # equal above, the text may differ
            if name in expected and name in after.fields:
                expected[name] = after.fields[name]
        assert after.fields == expected


def test_corpus_case_insensitive_duplicates_renamed():
    path = TESTS / "corpus" / "zotero-better-bibtex-Unabbreviate on import #1436-3.bib"
    records = parse_bytes(str(path), path.read_bytes(), "utf-8").records
    keys = [r.key for r in read_back(to_bibtex(records))]
    assert len({key.lower() for key in keys}) == len(keys) == len(records)
    assert len({r.key for r in records}) == len(records)  # our reader kept them all
    assert len({r.key.lower() for r in records}) < len(records)  # ... as BibTeX would not


# -- BibTeX: hostile values ------------------------------------------------------------------
def test_empty_list():
    assert to_bibtex([]) == "% sphinx-pubs: 0 entries\n"
    assert to_csl_json([]) == "[]\n"
    assert len(pybtex_parse(to_bibtex([])).entries) == 0
    assert read_csl_text("x.json", to_csl_json([])) == ([], [])


def test_odd_keys_sanitised_and_unique():
    recs = [
        Publication("a,b", "misc", Source("x"), fields={"title": "One"}),
        Publication("a b", "misc", Source("x"), fields={"title": "Two"}),
        Publication("a_b", "misc", Source("x"), fields={"title": "Three"}),
        Publication("{x}%y", "misc", Source("x"), fields={"title": "Four"}),
        Publication("", "misc", Source("x"), fields={"title": "Five"}),
        Publication("A_B", "misc", Source("x"), fields={"title": "Six"}),
        Publication("O'Neil:2020", "misc", Source("x"), fields={"title": "Seven"}),
        Publication("x@y", "misc", Source("x"), fields={"title": "Eight"}),
    ]
    text = to_bibtex(recs)
    keys = list(pybtex_parse(text).entries.keys())
    again = read_back(text)
    assert [r.key for r in again] == keys
    # "a_b" is another record's own key: the sanitised ones step aside
    assert keys == ["a_b-2", "a_b-3", "a_b", "_x_y", "entry", "A_B-4", "O'Neil:2020", "x@y"]
    assert [plain(r.title) for r in again] == [plain(decode(r.fields["title"])[0]) for r in recs]
    assert "% key 'a,b' written as a_b-2\n" in text
    assert "% key 'x\\x40y'" not in text  # a valid key needs no comment
    assert all("@" not in line for line in text.splitlines() if line.startswith("%"))


def test_comment_lines_hold_no_at_sign():
    rec = Publication("a@b c", "misc", Source("x"), fields={"title": "T"})
    text = to_bibtex([rec])
    assert "% key 'a\\x40b c' written as a\\x40b_c\n" in text
    assert list(pybtex_parse(text).entries) == ["a@b_c"]


def test_unbalanced_braces_do_not_break_the_next_entry():
    damaged = Publication(
        "bad",
        "article",
        Source("x"),
        fields={"title": "a}b{c", "note": "{{open", "journal": "close}}", "year": "2020"},
    )
    good = record("good", "article", title="Fine {Title}", author="Doe, J.", year="2021")
    text = to_bibtex([damaged, good])
    parsed = pybtex_parse(text)
    assert list(parsed.entries) == ["bad", "good"]
    assert parsed.entries["good"].fields["title"] == "Fine {Title}"
    again = read_back(text)
    assert [r.key for r in again] == ["bad", "good"]
    # the braces are LaTeX brace characters now, shown as they were meant
    assert plain(again[0].title) == "a}b{c"
    assert plain(again[0].rich("note")) == "{{open"
    assert plain(again[0].rich("journal")) == "close}}"
    for attribute in ATTRIBUTES:
        assert getattr(again[1], attribute) == getattr(good, attribute)


def test_value_lines_starting_with_at_stay_in_their_entry():
    abstract = "First line\n@article{evil,\n  title = {x}}\n\n  @inproceedings{two,\nend}"
    rec = Publication("k", "misc", Source("x"), fields={"abstract": abstract, "title": "T"})
    text = to_bibtex([rec, record("after", title="After")])
    assert list(pybtex_parse(text).entries) == ["k", "after"]
    again = read_back(text)
    assert [r.key for r in again] == ["k", "after"]
    # pybtex's whitespace-normalised value is unchanged; our reader keeps the paragraphs
    normalised = " ".join(abstract.split()).replace("@inpro", "{}@inpro")
    assert pybtex_parse(text).entries["k"].fields["abstract"] == normalised
    assert [plain(p) for p in again[0].abstract] == [
        "First line @articleevil, title = x",
        "@inproceedingstwo, end",
    ]


def test_cr_line_ends_and_odd_names():
    rec = Publication(
        "k",
        "weird type!",
        Source("x"),
        fields={"title": "a\r@b\r\nc", "bad name": "x", "@at": "y", "ok-name": "z"},
    )
    text = to_bibtex([rec])
    assert "\r" not in text
    entry = pybtex_parse(text).entries["k"]
    assert entry.type == "misc"
    assert dict(entry.fields) == {"title": "a @b c", "ok-name": "z"}
    assert "% fields left out (not valid BibTeX field names): 'bad name', '\\x40at'" in text
    assert "% type 'weird type!' written as misc" in text


def test_names_with_too_many_commas_are_braced():
    # pybtex refuses "a, b, c, d" in strict mode; our reader keeps it as one name
    rec = record("k", author="Doe, Jr, John, Extra and Roe, Ann", title="T", year="2020")
    assert rec.authors[0].last == ("Doe, Jr, John, Extra",)
    text = to_bibtex([rec])
    persons = pybtex_parse(text).entries["k"].persons["author"]
    assert [parts(p) for p in persons] == [
        ([], [], [], ["{Doe, Jr, John, Extra}"], []),
        (["Ann"], [], [], ["Roe"], []),
    ]
    assert read_back(text)[0].authors == rec.authors


def test_people_without_a_name_field_are_written_from_their_parts():
    people = (
        Person(first=("Ludwig",), prelast=("van",), last=("Beethoven",)),
        Person(first=("Martin",), middle=("Luther",), last=("King",), lineage=("Jr.",)),
        Person(last=("World Health Organization",)),
        Person(first=("A&B",), last=("Per%cent",)),
        Person(last=("others",)),
    )
    rec = Publication("k", "book", Source("x"), authors=people, fields={"title": "T"})
    text = to_bibtex([rec])
    assert "author = {van Beethoven, Ludwig and King, Jr., Martin Luther" in text
    assert read_back(text)[0].authors == people
    assert len(pybtex_parse(text).entries["k"].persons["author"]) == 5


def test_crossref_dropped_and_children_completed():
    text = (
        "@proceedings{p, title = {Proc}, editor = {Ed, Ann}, year = {2020}, publisher = {P}}\n"
        "@inproceedings{c, title = {Paper}, author = {Au, Bo}, crossref = {p}}\n"
    )
    records = read_back(text)
    out = to_bibtex(records)
    assert "crossref" not in out
    child = pybtex_parse(out).entries["c"]
    assert child.fields["booktitle"] == "Proc" and child.fields["year"] == "2020"
    assert [parts(p) for p in child.persons["editor"]] == [(["Ann"], [], [], ["Ed"], [])]


# -- CSL-JSON ---------------------------------------------------------------------------------
def test_seed_csl_read_back_as_the_bibtex_records():
    records = seed_records()
    text = to_csl_json(records)
    items = json.loads(text)
    assert [item["id"] for item in items] == [r.key for r in records]
    again, problems = read_csl_text("out.json", text)
    assert problems == []
    assert len(again) == len(records)
    for before, after in zip(records, again, strict=True):
        assert after.key == before.key
        assert after.type == before.type
        assert plain(after.title) == plain(before.title)
        assert after.authors == before.authors and after.editors == before.editors
        assert (after.year, after.month) == (before.year, before.month)
        assert plain(venue_line(after)) == plain(venue_line(before))
        # CSL has no links: a \\url in an abstract is its address as text
        assert [plain(p) for p in after.abstract] == [plain(p) for p in before.abstract]


def test_seed_csl_shape():
    records = seed_records()
    text = to_csl_json(records)
    assert text == to_csl_json(seed_records())
    assert text.endswith("]\n")
    item = json.loads(text)[0]
    assert list(item) == ["id", "type", "title", "author", "issued", "abstract"]
    assert item["type"] == "article-journal"
    assert item["author"][0] == {"family": "Ko", "given": "Jongwoo"}
    assert item["issued"] == {"date-parts": [[2025, 3]]}
    paper = next(i for i in json.loads(text) if i["type"] == "paper-conference")
    assert paper["container-title"]


def test_csl_twin_written_back_reads_to_the_same_records():
    first, problems = read_csl_text(str(CSL_TWIN), CSL_TWIN.read_text(encoding="utf-8"))
    assert len(first) == 79 and problems == []
    text = to_csl_json(first)
    second, problems = read_csl_text("out.json", text)
    assert problems == []
    for before, after in zip(first, second, strict=True):
        for attribute in ATTRIBUTES[:-1]:
            assert getattr(after, attribute) == getattr(before, attribute), (before.key, attribute)
        # the fields hold BibTeX made from the text: simple math written "5$\\times$" in
        # the file is "5×" once decoded, and comes back so
        assert set(after.fields) == set(before.fields)
        for name, value in before.fields.items():
            if after.fields[name] != value:
                assert plain(decode(after.fields[name])[0]) == plain(decode(value)[0])
    # and written again, byte for byte the same
    assert to_csl_json(second) == text


def test_csl_twin_records_written_as_bibtex():
    # records read from CSL-JSON hold BibTeX fields: the same writer serves them
    records, _ = read_csl_text(str(CSL_TWIN), CSL_TWIN.read_text(encoding="utf-8"))
    text = to_bibtex(records)
    assert len(pybtex_parse(text).entries) == 79
    again = read_back(text)
    for before, after in zip(records, again, strict=True):
        assert (after.key, after.type, after.title) == (before.key, before.type, before.title)
        assert (after.authors, after.year, after.month) == (
            before.authors,
            before.year,
            before.month,
        )
        assert after.abstract == before.abstract


def test_csl_markup_is_escaped_and_styled():
    rec = record(
        "k",
        "article",
        # field HTML is read (issue 12): angle brackets written in LaTeX are text
        title="\\textless script\\textgreater alert(1)\\textless/script\\textgreater"
        " \\& \\textit{it} \\textbf{bo} x\\textsuperscript{2} \\textsc{sc} \\texttt{co}",
        journal="A \\& B \\textless{}i\\textgreater",
        year="2020",
    )
    item = json.loads(to_csl_json([rec]))[0]
    assert item["title"] == (
        "&lt; script&gt; alert(1)&lt;/script&gt; &amp; <i>it</i> <b>bo</b> x<sup>2</sup> "
        '<span style="font-variant:small-caps;">sc</span> co'
    )
    assert "<script" not in to_csl_json([rec])
    assert item["container-title"] == "A &amp; B &lt;i&gt;"
    back = read_csl_text("x.json", to_csl_json([rec]))[0][0]
    # the same text, no tag taken for markup; CSL has no code style, so "co" is text
    assert plain(back.title) == plain(rec.title)
    assert back.title[:-1] == rec.title[:-2] and back.title[-1] == " co"
    assert plain(back.rich("journal")) == "A & B <i>"


def test_csl_math_and_dollars():
    rec = record("k", title="The $\\frac{a}{b}$ bound costs \\$5", year="2020")
    assert any(isinstance(item, Math) for item in rec.title)
    title = json.loads(to_csl_json([rec]))[0]["title"]
    assert title == "The $\\frac{a}{b}$ bound costs &#36;5"
    back = read_csl_text("x.json", to_csl_json([rec]))[0][0]
    assert back.title == rec.title
    # a lone dollar with no math stays a dollar
    assert csl_rich(("costs $5",)) == "costs $5"
    assert csl_rich((Styled("emph", ("a $x", "y$ b")),)) == "<i>a &#36;xy&#36; b</i>"


def test_csl_links_keep_their_address():
    rec = record(
        "k", title="T", abstract="See \\href{https://ex.org/a}{our code} and \\url{https://b.org}."
    )
    abstract = json.loads(to_csl_json([rec]))[0]["abstract"]
    assert abstract == "See our code (https://ex.org/a) and https://b.org."


def test_csl_fields_and_types():
    rec = record(
        "t1",
        "mastersthesis",
        title="A Thesis",
        author="de la Fontaine, Jr., Jean",
        school="Uni",
        address="Paris",
        year="2019",
        month="jul",
        pages="12--34",
        doi="10.1000/a\\_b",
        url="https://ex.org/?a=1&b=2",
        keywords="x, y",
        number="7",
        pdf="thesis.pdf",
        selected="true",
        date="2019-07-05",
    )
    item = json.loads(to_csl_json([rec]))[0]
    assert item["type"] == "thesis" and item["genre"] == "Master's thesis"
    assert item["author"] == [
        {"family": "Fontaine", "given": "Jean", "non-dropping-particle": "de la", "suffix": "Jr."}
    ]
    assert item["publisher"] == "Uni" and item["publisher-place"] == "Paris"
    assert item["issued"] == {"date-parts": [[2019, 7, 5]]}
    assert item["page"] == "12-34" and item["number"] == "7"
    assert item["DOI"] == "10.1000/a_b" and item["URL"] == "https://ex.org/?a=1&b=2"
    assert item["keyword"] == "x, y"
    assert item["custom"] == {"pdf": "thesis.pdf", "selected": True}
    back = read_csl_text("x.json", to_csl_json([rec]))[0][0]
    assert back.type == "mastersthesis"
    assert plain(venue_line(back)) == plain(venue_line(rec))
    assert back.fields["pdf"] == "thesis.pdf" and back.fields["pages"] == "12--34"
    hidden = json.loads(to_csl_json([rec], hidden=DOWNLOAD_HIDDEN))[0]
    assert "custom" not in hidden and "abstract" not in hidden


def test_csl_undated_and_organisations():
    rec = record("k", "misc", title="T", author="{Big Org} and others", year="in press")
    item = json.loads(to_csl_json([rec]))[0]
    assert item["type"] == "document"
    assert item["issued"] == {"literal": "in press"}
    assert item["author"] == [{"literal": "Big Org"}, {"literal": "others"}]
    back = read_csl_text("x.json", to_csl_json([rec]))[0][0]
    assert back.authors == rec.authors and back.year_text == "in press"


# -- properties --------------------------------------------------------------------------------
_VALUE_CHARS = st.sampled_from([*"aZ0 ,.{}{}\\\"'@%#$&~^_=\n\t", "\r\n", "\n@", "\n\n@"])
_VALUES = st.lists(_VALUE_CHARS | st.characters(codec="utf-8"), max_size=30).map("".join)
_FIELDS = st.dictionaries(
    st.sampled_from(["title", "author", "editor", "journal", "year", "abstract", "note", "pdf"]),
    _VALUES,
    max_size=6,
)
_KEYS = st.from_regex(r"[A-Za-z0-9:_+./'-]{1,12}", fullmatch=True)


@st.composite
def _records(draw: st.DrawFn) -> list[Publication]:
    keys = draw(st.lists(_KEYS, min_size=1, max_size=4, unique_by=str.lower))
    kinds = ["article", "inproceedings", "misc", "phdthesis", "book"]
    return [
        Publication(key, draw(st.sampled_from(kinds)), Source("x"), fields=draw(_FIELDS))
        for key in keys
    ]


@settings(derandomize=True, max_examples=300, deadline=None)
@given(_records())
def test_any_values_give_a_file_both_parsers_read(records: list[Publication]):
    # people as the reader would make them, so that the name fields are written
    records = [
        replace(r, **{name + "s": (Person(last=("x",)),) for name in ("author", "editor")})
        for r in records
    ]
    text = to_bibtex(records)
    keys = [r.key for r in records]
    assert list(pybtex_parse(text).entries) == keys
    assert [r.key for r in read_back(text)] == keys
    again = read_csl_text("x.json", to_csl_json(records))[0]
    assert [r.key for r in again] == keys


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.text(max_size=12), _VALUES)
def test_any_key_is_written_readable(key: str, value: str):
    records = [
        Publication(key, "misc", Source("x"), fields={"title": value}),
        Publication("next", "misc", Source("x"), fields={"title": "Next"}),
    ]
    text = to_bibtex(records)
    keys = list(pybtex_parse(text).entries)
    if bibtex_key(key).lower() != "next":
        assert keys == [bibtex_key(key), "next"]
    else:  # the same key as the next record's, ignoring case: one of them steps aside
        assert {k.lower() for k in keys} == {"next", "next-2"}
    assert [r.key for r in read_back(text)] == keys
    assert plain(read_back(text)[1].title) == "Next"
