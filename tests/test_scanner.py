"""The BibTeX scanner (sphinx_pubs/sources/scanner.py) and the reader on top of it.

Cost: each pathological class of input is generated at size n and 4n, and the work
must grow linearly: the scanner's step counter (one step per token or search; every
search consumes what it examines) at most 4.5 times. A net for work inside one regular
expression match (backtracking), which steps cannot see, compares processor time (best
of three: at most 10 times, quadratic would be 16); it runs with ``PUBS_TIMING=1``.

Then what is read: pybtex's semantics where it is right, and the recoveries (an error
costs as little as it can, at the line where it is).
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from helpers import (
    best_seconds,
    lines_run,
    soup,
    text_of,
    timing_net,
    warnings_of,
    write_project,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex.bibtex.utils import split_name_list
from pybtex.database import Person as PybtexPerson
from pybtex.exceptions import PybtexError

from sphinx_pubs.core.model import plain
from sphinx_pubs.core.names import _plain_name_parts, name_parts
from sphinx_pubs.sources.bibtex import BibtexReader, read_bibtex_text, split_names
from sphinx_pubs.sources.scanner import Scanner, scan
from sphinx_pubs.sources.scanner_values import MACRO_BUDGET_FACTOR, MAX_VALUE, SMALL_MACRO

# -- cost -----------------------------------------------------------------------------


def _doubling(n: int) -> str:
    # n/30 macros doubling themselves, then entries using the last one
    count = max(2, n // 30)
    macros = ['@string{m0 = "ab"}'] + [
        f"@string{{m{i} = m{i - 1} # m{i - 1}}}" for i in range(1, count)
    ]
    return "\n".join(macros) + f"\n@misc{{k, title = m{count - 1}, year = 2020}}\n"


#: class -> input of size about n
CLASSES = {
    "nested braces": lambda n: "@misc{k, title = {" + "{a}" * (n // 3) + "}, year = 2020}\n",
    "quoted value of {a} groups": lambda n: '@misc{k, title = "' + "{a}" * (n // 3) + '"}\n',
    "long quoted value": lambda n: '@misc{k, title = "' + "word " * (n // 5) + '"}\n',
    "many # concatenations": lambda n: "@misc{k, title = " + " # ".join(['"a"'] * (n // 6)) + "}\n",
    "unclosed @comment lines": lambda n: "@comment{\n" * (n // 10) + "@misc{k, title={x}}\n",
    "unclosed @comment( lines": lambda n: "@comment(\n" * (n // 10) + "@misc{k, title={x}}\n",
    "many entries": lambda n: "@misc{k, title={t}, year=2020}\n" * (n // 31),
    "many entries on one line": lambda n: "@misc{k, title={t}} " * (n // 20) + "\n",
    "macro doubling": _doubling,
    "deep brace nesting": lambda n: (
        "@misc{k, title = " + "{" * (n // 2) + "x" + "}" * (n // 2) + "}\n"
    ),
    "deep unclosed nesting": lambda n: "@misc{k, title = " + "{" * n + "\n",
    "long line, no newline": lambda n: (
        "@misc{k, title = {" + "x" * n + "}, note = {" + "y " * (n // 2) + "}}"
    ),
    "long whitespace run": lambda n: "@misc{k, " + " " * n + "}",
    "long whitespace before a bad token": lambda n: "@misc{k, title" + " " * n + "}",
    "many % comments": lambda n: "@misc{k, " + "%c\n" * (n // 3) + "title={x}}",
    "a run of %": lambda n: "@misc{k, " + "%" * n + "}",
    "stray @ everywhere": lambda n: "@ " * (n // 2),
    "stray @name everywhere": lambda n: "x@y " * (n // 4),
    "missing commas": lambda n: "@misc{k, " + "a = {x} " * (n // 8) + "}",
    "errors to resync": lambda n: "@misc{k, " + "a = 1x, " * (n // 8) + "}",
    "many lines": lambda n: "@misc{k,\n" + "a = {x},\n" * (n // 9) + "}",
    "unclosed values": lambda n: "@misc{k,\n" + "a = {x\n" * (n // 7) + "}",
    "braces across lines, entries on one line": lambda n: "@m{k, a = {x\n b = 1} " * (n // 20),
}


def _steps(text: str) -> int:
    scanner = Scanner(text)
    list(scanner)
    return scanner.steps


def _seconds(text: str, read=scan) -> float:
    return best_seconds(lambda: read(text))


@pytest.mark.parametrize("make", CLASSES.values(), ids=CLASSES.keys())
def test_work_grows_linearly(make):
    n = 20_000
    small, large = make(n), make(4 * n)
    assert 3.5 * len(small) <= len(large) <= 4.5 * len(small)
    steps_small, steps_large = _steps(small), _steps(large)
    assert steps_large <= 4.5 * steps_small + 20, (steps_small, steps_large)


@timing_net
@pytest.mark.parametrize("make", CLASSES.values(), ids=CLASSES.keys())
def test_time_grows_linearly(make):
    n = 20_000
    small, large = make(n), make(4 * n)
    seconds_small, seconds_large = _seconds(small), _seconds(large)
    assert seconds_large <= 10 * seconds_small + 0.05, (seconds_small, seconds_large)


def _peak_bytes(text: str) -> int:
    """The reader's peak of memory allocated while reading *text* (tracemalloc counts
    bytes, not time, so the measure does not depend on the machine's speed)."""
    tracemalloc.start()
    try:
        read_bibtex_text("refs.bib", text)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("make", CLASSES.values(), ids=CLASSES.keys())
def test_memory_grows_linearly(make):
    """Memory per KB of input stays bounded: the whole reader (scanner, macros, LaTeX
    decoding, records) at 4n allocates at most about 4 times what it does at n, and
    never more than a fixed multiple of the input's size."""
    n = 20_000
    small, large = make(n), make(4 * n)
    peak_small, peak_large = _peak_bytes(small), _peak_bytes(large)
    # (a fixed megabyte for what is allocated once: buffers that grow in steps)
    assert peak_large <= 4.5 * peak_small + 1_000_000, (peak_small, peak_large)
    assert peak_large <= 400 * len(large) + 1_000_000, (peak_large, len(large))


def test_the_issue_inputs_are_cheap():
    """The cases of issues 11 and 15, at their size: the reader runs at most 32 lines
    of Python per byte of input on each (about a second on a slow machine)."""
    cases = [
        '@misc{k, title = "' + "{a}" * 40_000 + '", year = 2020}\n',
        "@misc{k, title = " + " # ".join(['"a"'] * 40_000) + ", year = 2020}\n",  # 240 KB
        "@comment{\n" * 4_000 + "@misc{k, title={x}}\n",  # 40 KB
        _doubling(24 * 30),
    ]
    for text in cases:
        lines = lines_run(lambda text=text: read_bibtex_text("x.bib", text))
        assert lines <= 32 * len(text) + 10_000, (text[:40], lines)


# -- macros ---------------------------------------------------------------------------


def test_doubling_macros_are_capped_with_a_warning():
    parts = ['@string{m0 = "ab"}'] + [
        f"@string{{m{i} = m{i - 1} # m{i - 1}}}" for i in range(1, 25)
    ]
    text = "\n".join(parts) + "\n@misc{k, title = m24, year = 2020}\n"  # 24 doublings
    assert len(text) < 700
    reader = BibtexReader("x.bib")
    reader.read(text)
    macro = [p for p in reader.problems if p.subtype == "macro"]
    assert macro, reader.problems
    # at the line of the definition where the budget ran out, naming the macro
    first = macro[0]
    assert "macro 'm" in first.message and "cut" in first.message
    assert parts[first.source.line - 1].startswith(f"@string{{m{first.source.line - 1} =")
    stored = sum(len(value) for value in reader.macros.values())
    assert stored <= MAX_VALUE + MACRO_BUDGET_FACTOR * len(text) + 2 * SMALL_MACRO * len(parts)
    assert all(len(value) <= MAX_VALUE for value in reader.macros.values())


def test_a_long_value_is_cut_at_the_maximum():
    big = "x" * (MAX_VALUE // 2 + 10)
    text = f'@string{{big = "{big}"}}\n@misc{{k,\n  title = big # big # big,\n  year = 2020}}\n'
    records, problems = read_bibtex_text("x.bib", text)
    assert len(records[0].fields["title"]) == MAX_VALUE
    assert [(p.source.line, p.subtype) for p in problems] == [(3, "macro")]
    assert "longer than 1,000,000 characters; cut" in problems[0].message


def test_short_macros_are_never_cut():
    """A spent budget does not cost the month names of the entries after it."""
    parts = ['@string{m0 = "ab"}'] + [
        f"@string{{m{i} = m{i - 1} # m{i - 1}}}" for i in range(1, 30)
    ]
    text = (
        "\n".join(parts)
        + "\n@string{j = {J. Things}}\n@misc{k, title={T}, journal = j, month = jan, year = 2020}\n"
    )
    records, _ = read_bibtex_text("x.bib", text)
    assert records[0].month == 1 and plain(records[0].rich("journal")) == "J. Things"


# -- what is read ---------------------------------------------------------------------


def test_values_as_pybtex_reads_them():
    text = (
        '@String{J = "Journal"}\n'
        "@Article{Key:1,\n"
        '  Title = "A {B} " # j # { C{D}E },\n'
        "  year = 2020,\n"
        '  note = {quote " inside},\n'
        "  month = feb % a comment {\n"
        "}\n"
    )
    (block,) = [b for b in scan(text) if b.command == "Article"]
    assert block.key == "Key:1" and block.line == 2
    assert block.fields == [
        ("Title", "A {B} Journal C{D}E ", 3),
        ("year", "2020", 4),
        ("note", 'quote " inside', 5),
        ("month", "February", 6),
    ]
    assert block.errors == []


def test_parentheses_and_no_comma_after_the_key():
    blocks = scan("@misc(k, title = {x}) @misc{j title = {y}}\n")
    assert [(b.key, b.fields) for b in blocks] == [
        ("k", [("title", "x", 1)]),
        ("j", [("title", "y", 1)]),
    ]
    assert not any(b.errors for b in blocks)


def test_nesting_limit_is_pybtex_s():
    ok = "{" * 100 + "x" + "}" * 100
    (block,) = scan(f"@misc{{k, title = {{{ok}}}, year = 1}}")
    assert block.fields[0] == ("title", ok, 1) and not block.errors
    deep = "{" + ok + "}"
    (block,) = scan(f"@misc{{k, title = {{{deep}}}, year = 1}}")
    # the field is lost, the next one is read
    assert block.fields == [("year", "1", 1)]
    assert "too many nested braces" in block.errors[0][1]


def _problems(text: str) -> list[tuple[int, str, str]]:
    _, problems = read_bibtex_text("x.bib", text)
    return [(p.source.line, p.subtype, p.message) for p in problems]


def test_missing_comma_is_reported_and_costs_nothing():
    records, problems = read_bibtex_text(
        "x.bib", "@article{c,\n  title = {C}\n  year = 2022,\n  author = {A. Person}\n}\n"
    )
    assert records[0].year == 2022 and len(records[0].authors) == 1
    assert [(p.source.line, p.message) for p in problems] == [
        (3, "entry 'c': BibTeX syntax error: missing comma before field 'year'"),
    ]


def test_one_unreadable_field_keeps_the_others():
    text = "@article{k,\n  title = {T},\n  pages = 12-14,\n  note = ),\n  year = 2021,\n}\n"
    records, problems = read_bibtex_text("x.bib", text)
    (record,) = records
    assert plain(record.title) == "T" and record.year == 2021
    assert record.fields["pages"] == "12"
    assert [(p.source.line, p.subtype) for p in problems] == [(3, "syntax"), (4, "syntax")]


def test_unclosed_value_is_reported_where_it_opens_and_the_entry_read_on():
    text = (
        "@article{a,\n"
        "  title = {A},\n"
        "  note = {never closed,\n"
        "  year = 2020,\n"
        "\n"
        "@article{b, title = {B}, year = 2021}\n"
    )
    problems = _problems(text)
    assert problems == [
        (
            3,
            "syntax",
            "entry 'a': BibTeX syntax error: field 'note': the brace opened here is not "
            "closed; read on at line 4",
        ),
        (4, "syntax", "entry 'a': BibTeX syntax error: the entry is not closed ('}' missing)"),
    ]
    records, _ = read_bibtex_text("x.bib", text)
    assert [(r.key, r.year) for r in records] == [("a", 2020), ("b", 2021)]
    assert "note" not in records[0].fields


def test_unclosed_value_with_nothing_after_it_is_reported_before_what_it_causes():
    text = '@article{a,\n  title = {A},\n  note = "never closed, year = 2020,\n\n@article{b}\n'
    problems = _problems(text)
    assert problems[0][:2] == (3, "syntax")
    assert "field 'note'" in problems[0][2] and "the rest of the entry is lost" in problems[0][2]
    # then what the error caused: the year was lost
    assert problems[1] == (1, "entry", "entry 'a' has no year; listed with the undated entries")


@pytest.mark.parametrize(
    "text",
    [
        "@misc{k, title = {x}",
        "@misc{k, title = {x},\n\n\n",
        "@misc{k, title = \n\n",
        "@misc{k, title = {x\n\n",
        '@string{x = "a',
        "@misc{k,\n title={x}} @",
        "\n\n@",
    ],
)
def test_errors_at_the_end_are_on_a_line_of_the_file(text):
    lines = text.count("\n") + 1
    problems = _problems(text)
    assert problems
    for line, _, _ in problems:
        assert 1 <= line <= lines
    # and on the line of the damage, not past it on blank lines
    first_line = problems[0][0]
    assert text.splitlines()[first_line - 1].strip(), problems


def test_stray_at_is_reported_at_its_line_alone():
    text = "@misc{a, title={A}, year=2020}\n  see me@example.org @oops\n@misc{b, year=2021}\n"
    problems = _problems(text)
    syntax = [p for p in problems if p[1] == "syntax"]
    assert [p[0] for p in syntax] == [2, 2]
    assert not any("'b'" in p[2] and p[1] == "syntax" for p in problems)


def test_comment_blocks():
    text = (
        "@comment{ @article{hidden1, title={x}} {nested} }\n"
        "@Comment(\n@article{hidden2, title={y}}\n)\n"
        "@comment{\n"  # never closed: ends at the next entry
        "@article{shown, title={S}, year=2020}\n"
        "x @comment{ @article{hidden3, title={z}} } @article{shown2, title={T}, year=2020}\n"
    )
    records, problems = read_bibtex_text("x.bib", text)
    assert [r.key for r in records] == ["shown", "shown2"]
    assert problems == []


# -- entries without a key (Mendeley) -------------------------------------------------


def test_entries_without_a_key_get_a_stable_key_that_collides_with_none():
    text = (
        "@article{,\n  author = {Lee, Kim and Park, J.},\n"
        "  title = {Deep Nets},\n  year = 2020\n}\n"
        "@article{anon-lee2020deep,\n  title = {A Real Key},\n  year = 2021\n}\n"
        "@article{,\n  author = {Kim Lee},\n  title = {The Deep Nets},\n  year = {2020}\n}\n"
        "@article{,\n  title = {Ünïcode Títle},\n}\n"
    )
    records, problems = read_bibtex_text("x.bib", text)
    assert [r.key for r in records] == [
        "anon-lee2020deep-2",
        "anon-lee2020deep",
        "anon-lee2020deep-3",
        "anon-unicode",
    ]
    assert [r.source.line for r in records] == [1, 6, 10, 15]
    keyless = [p for p in problems if "without a key" in p.message]
    assert [(p.source.line, p.subtype) for p in keyless] == [
        (1, "syntax"),
        (10, "syntax"),
        (15, "syntax"),
    ]
    assert "listed as 'anon-lee2020deep-2'" in keyless[0].message
    again, _ = read_bibtex_text("x.bib", text)
    assert [r.key for r in again] == [r.key for r in records]


def test_an_empty_entry_without_a_key_is_skipped():
    assert _problems("@misc{}\n") == [(1, "syntax", "@misc entry without a key skipped")]


# -- name splitting without pybtex's machinery ----------------------------------------

NAME_WORDS = st.sampled_from(
    [
        "Ann",
        "bob",
        "van",
        "der",
        "de",
        "La",
        "O'Brien",
        "-x",
        "1a",
        "É",
        "ée",
        "J.",
        "Jr",
        "3",
        "ß",
        "Ω",
        "ω",
        "--",
    ]
)
NAME_TEXT = st.lists(
    st.tuples(NAME_WORDS, st.sampled_from([" ", "", "  ", ",", ", ", "\t", " and ", " AND "])),
    max_size=8,
).map(lambda pairs: "".join(word + sep for word, sep in pairs))


@settings(max_examples=400, derandomize=True, database=None, deadline=None)
@given(NAME_TEXT)
def test_plain_names_split_as_pybtex_splits_them(text):
    assert split_names(text) == split_name_list(text)
    for name in split_names(text):
        if name.count(",") > 2:
            continue
        try:
            person = PybtexPerson(name)
        except PybtexError:
            continue
        expected = [
            person.first_names,
            person.middle_names,
            person.prelast_names,
            person.last_names,
            person.lineage_names,
        ]
        assert _plain_name_parts(name) == expected
        # name_parts first drops the commas and spaces a name ends in (al-folio files:
        # "Vagliano, Iacopo,"), then splits as pybtex does
        tidy = name.strip(" \t\n,;")
        if tidy != name:
            try:
                tidied = PybtexPerson(tidy)
            except PybtexError:
                continue
            expected = [
                tidied.first_names,
                tidied.middle_names,
                tidied.prelast_names,
                tidied.last_names,
                tidied.lineage_names,
            ]
        assert name_parts(name) == (expected, "")


# -- a real build ---------------------------------------------------------------------

PAGE = "Publications\n============\n\n.. publications:: refs.bib\n"

MENDELEY = """\
@article{,
  author = {Lee, Kim},
  title = {Deep Nets for Things},
  year = {2020},
}

@article{commas,
  title = {Missing a Comma}
  year = {2019},
}

@misc{a, title={A}, year=2018} @oops
@misc{after, title = {After the Stray}, year = 2017}
"""


def test_build_shows_keyless_entries_and_reports_syntax_where_it_is(make_app, tmp_path):
    app = make_app(
        "html", srcdir=write_project(tmp_path / "src", {"index.rst": PAGE, "refs.bib": MENDELEY})
    )
    app.build()
    assert app.statuscode == 0
    warnings = warnings_of(app)
    joined = "\n".join(warnings)
    assert "Traceback" not in joined
    assert any(
        "refs.bib:1:" in w
        and "without a key; listed as 'anon-lee2020deep'" in w
        and "[pubs.syntax]" in w
        for w in warnings
    ), joined
    assert any(
        "refs.bib:9:" in w and "missing comma before field 'year'" in w and "[pubs.syntax]" in w
        for w in warnings
    ), joined
    assert any("refs.bib:12:" in w and "'@oops'" in w for w in warnings), joined
    assert not any("no year" in w for w in warnings), joined
    page = soup(Path(app.outdir) / "index.html")
    entries = {li["id"]: li for li in page.select("li.pub")}
    assert set(entries) == {"pub-anon-lee2020deep", "pub-commas", "pub-a", "pub-after"}
    assert (
        text_of(entries["pub-anon-lee2020deep"].select_one(".pub-title")) == "Deep Nets for Things"
    )
    assert "2019" in text_of(page.select_one("#pubs-2019"))


# -- al-folio's bare words (issue 12) -------------------------------------------------

ALFOLIO = """\
@article{flagged,
  title = {Flagged Paper},
  author = {Ada Lovelace},
  year = 2021,
  month = June,
  bibtex_show = true,
  selected = true,
}

@article{plain,
  title = {Plain Paper},
  year = 2020,
  month = Sept.,
  selected = false,
  journal = jmlr,
}
"""


def test_bare_words_are_text_and_quiet_where_al_folio_writes_them(make_app, tmp_path):
    page = PAGE + "\n.. publications:: refs.bib\n   :selected:\n"
    files = {"index.rst": page, "refs.bib": ALFOLIO}
    app = make_app("html", srcdir=write_project(tmp_path / "src", files))
    app.build()
    assert app.statuscode == 0
    warnings = warnings_of(app)
    # only the undefined macro that is no flag nor month: read as its name, at its line
    assert [w.split(" WARNING: ")[1] for w in warnings if "refs.bib" in w] == [
        "entry 'plain': BibTeX syntax error: undefined @string macro 'jmlr', "
        "read as the text 'jmlr' [pubs.syntax]"
    ], warnings
    assert all("refs.bib:15:" in w for w in warnings if "refs.bib" in w)
    html = soup(Path(app.outdir) / "index.html")
    ids = [li["id"] for li in html.select("li.pub")]
    # the full list, then the selected one: only 'flagged' is selected
    assert ids == ["pub-flagged", "pub-plain", "pub-flagged-2"]
    flagged = html.select_one("li#pub-flagged")
    assert flagged.select_one(".pub-bibtex-text") is not None  # bibtex_show = true
    assert html.select_one("li#pub-plain .pub-bibtex-text") is None
    assert "jmlr" in text_of(html.select_one("li#pub-plain"))


def test_bare_month_names_are_read():
    records, problems = read_bibtex_text(
        "x.bib",
        "@misc{a, title={A}, year=2020, month = June}\n"
        "@misc{b, title={B}, year=2020, month = Juni}\n"
        "@misc{c, title={C}, year=2020, note = June}\n",
    )
    assert [r.month for r in records] == [6, 6, None]
    assert [(p.source.line, p.subtype) for p in problems] == [(3, "syntax")]
    assert records[2].fields["note"] == "June"
