"""What an entry's text can do to the files the build writes (issues 11 and 13).

* One BibTeX writer: the page's BibTeX box (and its copy button) is
  :func:`~sphinx_pubs.export.bibtex.entry_bibtex`, the download's writer, and for ANY record
  it reads back (pybtex, strict) as exactly that one entry with the same fields: no
  key, field name or value forges a second entry or a ``@preamble``.
* Braces are balanced knowing LaTeX's escapes (:func:`~sphinx_pubs.core.braces.balance_braces`):
  text with braces, backslashes, ``% # @``, quotes, line breaks, Unicode and math
  makes the round trip CSL-JSON -> .bib -> our reader and pybtex, and -> CSL-JSON ->
  our CSL reader, with the same decoded text, field by field.
* Keys reach ``objects.inv``, HTML ids and paper page names through one function
  each (:func:`~sphinx_pubs.core.model.key_name`, :func:`~sphinx_pubs.core.model.key_slug`):
  a built project with keys holding line breaks, tabs, ``#``, ``$``, controls,
  ``../`` and 1,000 characters has one inventory line per entry, every address
  under the project, valid unique ids, and no file written outside the output.
* No control character (NUL and the like) reaches any output file of any builder.

Each property is tested as a class, by generation (Hypothesis, and generated keys
and controls for the builds).
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import zlib
from pathlib import Path

import pytest
from helpers import pybtex_parse, soup, warnings_of, write_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sphinx.util.inventory import InventoryFile

from sphinx_pubs.core.braces import balance_braces, brace_scan
from sphinx_pubs.core.latex.decoder import decode
from sphinx_pubs.core.latex.plain import escape
from sphinx_pubs.core.model import (
    KEY_MAX,
    Math,
    Publication,
    Source,
    clean_record,
    clean_text,
    key_name,
    key_slug,
    plain,
)
from sphinx_pubs.export.bibtex import bibtex_key, entry_bibtex, to_bibtex
from sphinx_pubs.export.csl import to_csl_json
from sphinx_pubs.sources.bibtex import read_bibtex_text
from sphinx_pubs.sources.csl import read_csl_text
from sphinx_pubs.view.format import tidy_piece
from sphinx_pubs.view.links import DEFAULT_BIBTEX_HIDDEN

#: a longer campaign: PUBS_FUZZ_EXAMPLES=2000 python -m pytest tests/test_writer_safety.py
CAMPAIGN = int(os.environ.get("PUBS_FUZZ_EXAMPLES", "0"))


def examples(default: int) -> int:
    return max(default, CAMPAIGN)


#: C0 and C1 controls but tab and line feed: what no output file may hold
CONTROLS = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")
ALL_CONTROLS = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n"]


#: pybtex raises on every error (the tests rely on it)
pytestmark = pytest.mark.usefixtures("strict_pybtex")


def balanced_math(rich) -> bool:
    """Whether every math of *rich* has its braces paired (LaTeX's way)."""
    for item in rich:
        if isinstance(item, Math) and brace_scan(item.latex)[1:] != ([], []):
            return False
        if hasattr(item, "children") and not balanced_math(item.children):
            return False
    return True


def words(rich) -> list[str]:
    return plain(rich).split()


def normal(value: str) -> str:
    """A value as pybtex compares it: whitespace runs made one space."""
    return " ".join(value.split())


# -- strategies ---------------------------------------------------------------------------
#: text that means something to BibTeX, LaTeX, CSL's markup or a line-based format
HOSTILE = st.sampled_from(
    [
        "{",
        "}",
        "\\",
        "\\{",
        "\\}",
        "%",
        "#",
        "@",
        '"',
        "'",
        "\n",
        "\n@preamble{\\input{/etc/passwd}}\n",
        "}\n@misc{forged, title={x}}\n",
        "$x^2$",
        "$",
        "&",
        "<",
        "~",
        "^",
        "_",
        "é",
        "漢字",
        "\U0001f600",
        " ",
        ",",
        "=",
    ]
)
TEXT = st.lists(st.one_of(HOSTILE, st.text(max_size=4)), max_size=8).map("".join)
#: keys: anything a CSL-JSON id can be
KEY = st.lists(
    st.one_of(
        st.sampled_from(
            ["\n", "\t", " ", "#", "$", "../", "}", "{", ",", "=", "%", "\x00", "\x1b", "é"]
        ),
        st.text(max_size=5),
        st.just("k" * 150),
    ),
    max_size=6,
).map("".join)
FIELD_NAME = st.one_of(
    st.sampled_from(["note", "pdf", "selected", "x}y", "a b", "@preamble", "a\nb", "=", ""]),
    st.text(max_size=6),
)


def csl_item(key: str, title: str, extra: dict[str, object] | None = None) -> dict[str, object]:
    return {"id": key, "type": "article-journal", "title": title, **(extra or {})}


def read_csl(items: list[dict[str, object]]) -> list[Publication]:
    records, _ = read_csl_text("in.json", json.dumps(items))
    return [clean_record(record) for record in records]


# -- one BibTeX writer ----------------------------------------------------------------------
def expected_fields(record: Publication, hidden: frozenset[str]) -> dict[str, str]:
    """The fields the box must show: every field BibTeX can name, but the hidden."""
    names = re.compile(r"[A-Za-z!$&*+\-./:;<>?\[\\\]^_`|~][A-Za-z0-9@!$&*+\-./:;<>?\[\\\]^_`|~]*")
    out: dict[str, str] = {}
    for name, value in record.fields.items():
        name = name.lower()
        if name in hidden or name == "crossref" or name in out or not names.fullmatch(name):
            continue
        out[name] = value
    return out


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    key=KEY,
    title=TEXT,
    url=TEXT,
    custom=st.dictionaries(FIELD_NAME, TEXT, max_size=4),
)
def test_the_box_is_one_entry_for_any_record(key, title, url, custom):
    """CSL-JSON holding ``}``, line breaks and ``@preamble{...}`` in its id, field
    names and values: the box's text is one entry, no preamble, the same fields."""
    items = [csl_item(key, title, {"URL": url, "custom": custom})]
    records = read_csl(items)
    if not records:  # an item the CSL reader refuses (reported as a warning)
        return
    (record,) = records
    hidden = frozenset(DEFAULT_BIBTEX_HIDDEN)
    text = entry_bibtex(record, hidden)
    parsed = pybtex_parse(text)
    assert list(parsed.entries) == [bibtex_key(record.key)]
    assert parsed.preamble == ""
    (entry,) = parsed.entries.values()
    want = expected_fields(record, hidden)
    assert [name.lower() for name in entry.fields] == [
        n for n in want if n not in ("author", "editor")
    ]
    assert {n.lower() for n in entry.persons} == {n for n in want if n in ("author", "editor")}
    # the same values, as our reader reads them back (braces balanced may rewrite)
    (again,) = [r for r in read_bibtex_text("box.bib", text)[0]]
    for name, value in entry.fields.items():
        assert normal(again.fields[name.lower()]) == normal(value)
        assert plain(decode(value)[0]).split() == plain(decode(want[name.lower()])[0]).split() or (
            brace_scan(want[name.lower()]) != ([], [], [])
        )
    assert not CONTROLS.search(text.encode("utf-8"))


CONTROL_TEXT = st.lists(st.one_of(TEXT, st.sampled_from(ALL_CONTROLS)), max_size=4).map("".join)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    key=KEY,
    kind=st.one_of(st.sampled_from(["article", "Book", "comment", "preamble", "a}b"]), KEY),
    fields=st.dictionaries(FIELD_NAME, CONTROL_TEXT, max_size=5),
)
def test_the_box_is_one_entry_for_records_made_in_code(key, kind, fields):
    """Any record, not only a reader's: the box is one entry of a BibTeX type, the
    key is bibtex_key's, the fields are those BibTeX can name, no control character."""
    record = Publication(key, kind, Source("x.bib", 1), fields=fields)
    text = entry_bibtex(record, ())
    parsed = pybtex_parse(text)
    assert list(parsed.entries) == [bibtex_key(key)] and parsed.preamble == ""
    (entry,) = parsed.entries.values()
    assert entry.type.lower() not in ("comment", "preamble", "string")
    want = expected_fields(record, frozenset())
    got = [name.lower() for name in entry.fields] + [name.lower() for name in entry.persons]
    assert sorted(got) == sorted(want)
    assert not CONTROLS.search(text.encode("utf-8"))
    (again,) = read_bibtex_text("box.bib", text)[0]
    for name, value in entry.fields.items():
        assert normal(again.fields[name.lower()]) == normal(value)


def test_the_page_box_is_the_download_writer(make_app, tmp_path):
    """A real build: the box's text (what the copy button copies) is entry_bibtex's
    and holds one entry; a field BibTeX cannot name is a pubs.bibtex warning."""
    forged = 'x}\n@preamble{"\\input{/etc/passwd}"}\n@misc{y,'
    items = [
        csl_item(forged, "Half } open { brace", {"custom": {"a}b": "1", "note": "n}\n@misc{z,"}}),
        csl_item("plain2020", "Plain", {"URL": "https://e.org/}\n@preamble{x}"}),
    ]
    src = write_project(
        tmp_path / "src",
        {
            "refs.json": json.dumps(items),
            "index.rst": "Pubs\n====\n\n.. publications:: refs.json\n   :bibtex: all\n",
        },
    )
    app = make_app("html", srcdir=src)
    app.build()
    page = soup(Path(app.outdir) / "index.html")
    boxes = [pre.get_text() for pre in page.select("pre.pub-bibtex-text")]
    records, _ = read_csl_text(str(src / "refs.json"), (src / "refs.json").read_text())
    hidden = frozenset(app.config.pubs_bibtex_hidden_fields)
    assert sorted(boxes) == sorted(entry_bibtex(clean_record(r), hidden) for r in records)
    for box in boxes:
        parsed = pybtex_parse(box)
        assert len(parsed.entries) == 1 and parsed.preamble == ""
    # the download holds the same entries
    (download,) = Path(app.outdir, "_pubs", "index").glob("*.bib")
    assert len(pybtex_parse(download.read_text(encoding="utf-8")).entries) == 2
    warnings = warnings_of(app)
    assert any("refs.json" in w and "'a}b'" in w and "[pubs.bibtex]" in w for w in warnings)
    assert any("refs.json" in w and "[pubs.key]" in w for w in warnings)
    # the title reads back as it was written, braces and all
    again = read_bibtex_text("d.bib", download.read_text(encoding="utf-8"))[0]
    assert [plain(r.title) for r in again if "Half" in plain(r.title)] == ["Half } open { brace"]


def test_box_look_is_kept():
    (rec,), _ = read_bibtex_text(
        "f.bib",
        "@Article{K, title = {A\n  Title}, Author = {A and B}, pdf = {x.pdf}, selected={true}}",
    )
    assert entry_bibtex(rec, DEFAULT_BIBTEX_HIDDEN) == (
        "@article{K,\n  title = {A Title},\n  author = {A and B},\n}"
    )


# -- escape-aware braces ------------------------------------------------------------------
@settings(max_examples=examples(300), deadline=None)
@given(
    st.lists(st.sampled_from(["{", "}", "\\", "\\{", "\\}", "a", " ", "\\\\", "%"]), max_size=12)
)
def test_balanced_braces_for_bibtex_and_latex(pieces):
    """Whatever the braces, the result is balanced for BibTeX (no escapes) and for
    LaTeX (escapes), and a value the decoder read without a brace problem decodes
    to the same text."""
    text = "".join(pieces)
    out = balance_braces(text)
    depth = 0
    for char in out:  # BibTeX's count
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0
    assert brace_scan(out) == ([], [], [])
    before, problems = decode(text)
    if not any("brace" in p for p in problems):
        assert decode(out)[0] == before
    if brace_scan(text) == ([], [], []):
        assert out == text


def test_an_escaped_brace_is_not_doubled():
    """The bug: "Half } open { brace" from CSL came back as "Half textbraceright ..."."""
    (record,) = read_csl([csl_item("k", "Half } open { brace")])
    text = to_bibtex([record])
    assert "\\\\" not in text
    (again,) = read_bibtex_text("x.bib", text)[0]
    assert plain(again.title) == "Half } open { brace"
    assert pybtex_parse(text).entries["k"].fields["title"] == (
        "Half \\textbraceright{} open \\textbraceleft{} brace"
    )


NAME_TEXT = st.lists(
    st.one_of(st.sampled_from(["{", "}", "\\", "%", "#", "@", '"', "é", "$", "&"]), st.text("ab")),
    min_size=1,
    max_size=5,
).map("".join)


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=TEXT,
    note=TEXT,
    venue=TEXT,
    family=NAME_TEXT,
    given_name=NAME_TEXT,
    custom=st.dictionaries(st.sampled_from(["extra", "blurb"]), TEXT, max_size=2),
)
def test_round_trip_keeps_the_decoded_text(title, note, venue, family, given_name, custom):
    """CSL-JSON -> .bib -> our reader and pybtex, and -> CSL-JSON -> our reader: each
    text field decodes to the same text."""
    item = csl_item(
        "k",
        title,
        {
            "note": note,
            "container-title": venue,
            "author": [{"family": family, "given": given_name}],
            "custom": custom,
        },
    )
    (record,) = read_csl([item])
    text = to_bibtex([record])
    parsed = pybtex_parse(text)
    (entry,) = parsed.entries.values()
    (ours,) = read_bibtex_text("x.bib", text)[0]
    for name, rich in record.text.items():
        if not balanced_math(rich):
            continue  # "${$": no BibTeX value holds an unpaired brace in math
        # the value written reads back as the value given, decoded...
        assert ours.rich(name) == decode(record.fields[name])[0], name
        # ... which is the text the page shows (up to spacing)
        assert words(ours.rich(name)) == words(rich), name
        value = entry.fields.get(name) or entry.fields.get(name.capitalize())
        if value is not None:  # pybtex's value, decoded by our decoder
            assert decode(value)[0] == decode(record.fields[name])[0], name
    assert words(ours.title) == words(record.title)
    assert [p.display for p in ours.authors] == [p.display for p in record.authors]
    assert [str(p) for p in entry.persons.get("author", [])] != [] or not record.authors
    again = read_csl_text("y.json", to_csl_json([record]))[0]
    assert len(again) == 1
    assert words(again[0].title) == words(record.title)
    assert [p.display for p in again[0].authors] == [p.display for p in record.authors]
    assert words(again[0].rich("note")) == words(record.rich("note"))
    # the venue as the page shows it: without the punctuation a line's commas would
    # double (CSL-JSON is written as tidy as the page; format.tidy_piece)
    assert words(again[0].rich("journal")) == words(tidy_piece(record.rich("journal")))


# -- keys -----------------------------------------------------------------------------------
@settings(max_examples=examples(300), deadline=None)
@given(KEY, KEY)
def test_key_names_and_slugs(one, two):
    for key in (one, two):
        name = key_name(key)
        assert name and len(name) <= KEY_MAX
        assert not re.search(r'[\s,{}()"#%=\\\x00-\x1f\x7f-\x9f]', name)
        slug = key_slug(key, unique=True)
        assert re.fullmatch(r"[A-Za-z0-9_-]+", slug) and len(slug) <= KEY_MAX + 9
        assert re.fullmatch(r"[A-Za-z0-9_-]+", key_slug(key))
    if one != two:
        assert key_slug(one, unique=True) != key_slug(two, unique=True)


def generated_keys(count: int) -> list[str]:
    """Keys of every kind CSL-JSON allows, drawn from a fixed seed."""
    rnd = random.Random(13)
    parts = ["\n", "\t", " ", "#", "$", "../", "..\\", "/", "é", "漢", "\x00", "\x1b", "\x85"]
    parts += ["\u2028", "}", "{", "%", ",", "<", ">", '"', "'", "&", ":", "a", "B", "7"]
    keys = ["../../etc/passwd", "a\nb 1 https://evil.example/x  -", "x" * 1000, "", " ", "$"]
    keys += ["#", "\t", "k\x00", "Smith:2020", "smith:2020", "Müller", "a b", "a_b"]
    while len(keys) < count:
        keys.append("".join(rnd.choice(parts) for _ in range(rnd.randint(1, 8))))
    return list(dict.fromkeys(keys))


def test_keys_in_the_inventory_ids_and_page_names(make_app, tmp_path):
    keys = generated_keys(40)
    items = [
        csl_item(key, f"Title {index}", {"issued": {"date-parts": [[2000 + index]]}})
        for index, key in enumerate(keys)
    ]
    src = write_project(
        tmp_path / "src",
        {
            "conf.py": 'extensions = ["sphinx_pubs"]\npubs_paper_pages = True\n'
            'html_baseurl = "https://example.org/proj/"\n',
            "refs.json": json.dumps(items, indent=1),
            "index.rst": "Pubs\n====\n\n.. publications:: refs.json\n   :bibtex: all\n",
        },
    )
    before = {p for p in tmp_path.rglob("*")}
    app = make_app("html", srcdir=src)
    app.build()
    records = read_csl_text(str(src / "refs.json"), (src / "refs.json").read_text())[0]
    assert len(records) >= len(keys) - 4  # the CSL reader refuses empty ids
    outdir = Path(app.outdir).resolve()
    # no file outside the output (and doctree) folders
    written = {p for p in tmp_path.rglob("*") if p not in before and p.is_file()}
    allowed = (outdir, Path(app.doctreedir).resolve())
    assert all(any(p.resolve().is_relative_to(a) for a in allowed) for p in written)
    # objects.inv: one line per entry, names without whitespace or controls, uris here
    data = (outdir / "objects.inv").read_bytes()
    body = zlib.decompress(data.split(b"\n", 4)[4]).decode("utf-8")
    lines = [line for line in body.splitlines() if " pub:publication " in line]
    assert len(lines) == len(records)
    line_format = re.compile(r"\S+ [a-z]+:[a-z]+ -?\d+ \S+ \S.*")
    assert all(line_format.fullmatch(line) for line in body.splitlines())
    if hasattr(InventoryFile, "loads"):
        inventory = InventoryFile.loads(data, uri="https://example.org/proj/")
    else:  # Sphinx 7.4
        inventory = InventoryFile.load(io.BytesIO(data), "https://example.org/proj/", posix_join)
    data_of = getattr(inventory, "data", inventory)  # Sphinx 9: _Inventory; 7.4: a dict
    found = dict(data_of["pub:publication"].items())
    assert len(found) == len(records)
    for name, item in found.items():
        assert not re.search(r"[\s\x00-\x1f\x7f-\x9f]", name)
        uri = item[2] if isinstance(item, tuple) else item.uri
        assert uri.startswith("https://example.org/proj/index.html#pub-")
    # HTML ids: unique and made of safe characters; one entry per record
    page = soup(outdir / "index.html")
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids))
    entries = page.select("li.pub")
    assert len(entries) == len(records)
    assert all(re.fullmatch(r"pub-[A-Za-z0-9_-]+", li["id"]) for li in entries)
    # paper pages: one per entry, in papers/, safe names
    papers = sorted(p.name for p in (outdir / "papers").iterdir())
    assert len(papers) == len(records)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{1,120}\.html", name) for name in papers)
    # the keys that cannot be used as they are: a pubs.key warning at the file
    warned = [w for w in warnings_of(app) if "[pubs.key]" in w]
    bad = [r.key for r in map(clean_record, records) if key_name(r.key) != r.key]
    assert len(warned) >= len(bad) > 0
    assert all("refs.json:" in w for w in warned)


def posix_join(base: str, uri: str) -> str:
    return base.rstrip("/") + "/" + uri


# -- control characters ------------------------------------------------------------------------
def control_sources() -> dict[str, str]:
    """A CSL-JSON file and a .bib file with every control character in every field."""
    items = []
    for index, char in enumerate(ALL_CONTROLS):
        text = f"a{char}b"
        items.append(
            csl_item(
                f"c{index}{char}",
                f"Title {text}",
                {
                    "author": [{"family": f"Fam{text}", "given": f"Giv{text}"}],
                    "container-title": f"Venue {text}",
                    "note": f"Note {text}",
                    "abstract": f"Abstract {text}",
                    "publisher": f"Pub {text}",
                    "URL": f"https://e.org/{text}",
                    "issued": {"date-parts": [[2020]]},
                    "custom": {"pdf": f"p{text}.pdf", "award": f"Prize {text}", f"f{char}": "x"},
                },
            )
        )
    bib = []
    for index, char in enumerate(ALL_CONTROLS):
        text = f"a{char}b"
        bib.append(
            f"@article{{b{index}{char if char not in ',}' else ''},\n"
            f"  title = {{Title {text}}},\n  author = {{Fam{text}, Giv{text}}},\n"
            f"  journal = {{J {text}}},\n  year = {{2021}},\n  note = {{N {text}}},\n"
            f"  abstract = {{A {text}}},\n  bibtex_show = {{true}},\n}}\n"
        )
    return {"refs.json": json.dumps(items), "refs.bib": "\n".join(bib)}


TEXT_SUFFIXES = {".html", ".xhtml", ".txt", ".tex", ".1", ".texi", ".opf", ".ncx", ".js", ".json"}
TEXT_SUFFIXES |= {".bib", ".xml", ".inv"}


@pytest.mark.parametrize("builder", ["html", "text", "latex", "man", "texinfo", "epub"])
def test_no_control_character_reaches_any_output(make_app, tmp_path, builder):
    src = write_project(
        tmp_path / "src",
        {
            "conf.py": 'extensions = ["sphinx_pubs"]\npubs_paper_pages = True\n'
            'pubs_search = True\nhtml_baseurl = "https://example.org/"\nproject = "p"\n'
            'copyright = "2026"\nauthor = "me"\n',
            **control_sources(),
            "index.rst": "Pubs\n====\n\n.. publications:: refs.json refs.bib\n   :bibtex: all\n"
            "   :downloads: bib csl-json\n",
        },
    )
    app = make_app(builder, srcdir=src)
    app.build()
    outdir = Path(app.outdir)
    scanned = 0
    for path in outdir.rglob("*"):
        if not path.is_file() or path.suffix not in TEXT_SUFFIXES:
            continue
        data = path.read_bytes()
        if path.name == "objects.inv":
            data = zlib.decompress(data.split(b"\n", 4)[4])
        if b"Title a" not in data and b"Fam" not in data and path.suffix != ".inv":
            continue  # Sphinx's own files
        scanned += 1
        match = CONTROLS.search(data)
        assert match is None, (
            path.relative_to(outdir),
            data[max(0, match.start() - 40) : match.end() + 40],
        )
        if path.suffix in (".json", ".js"):
            assert not re.search(rb"\\u00[01][0-9a-fA-F]|\\u007f|\\u00[89][0-9a-fA-F]", data), path
    assert scanned > 0
    # every entry is there: the controls did not cost one
    assert len(read_csl_text("x.json", control_sources()["refs.json"])[0]) == len(ALL_CONTROLS)


def test_clean_text_and_records():
    for char in ALL_CONTROLS:
        assert not CONTROLS.search(clean_text(f"a{char}b").encode("utf-8"))
    assert clean_text("a\r\nb\rc\x0cd\x00e\ud800") == "a\nb\nc de\ufffd"
    record = Publication("k\x00", "misc", Source("x"), fields={"title": "T\x01"})
    assert clean_record(record).key == "k" and clean_record(record).fields == {"title": "T"}
    clean = Publication("k", "misc", Source("x"), fields={"title": "T"})
    assert clean_record(clean) is clean
    assert escape("}") == "\\}"  # what the CSL reader writes, balanced by the writer
