"""Never a traceback: hostile CSL-JSON, crossref chains, odd files and link paths.

Hostile CSL-JSON is generated (Hypothesis): items whose every variable the reader looks
at holds a value of any kind (null, true, numbers of 5,000 digits, ``1e400``, ``NaN``,
``Infinity``, text with lone surrogates and control characters, lists where objects
belong and objects where text does), nested up to and far beyond the reader's depth
limit, keys with surrogates.  The properties:

* the reader never raises; every problem is at a line of the file; every string it
  keeps (keys, field names and values, rich text, names) can be written as UTF-8 and
  holds no control character; the good items around the hostile ones are all read;
* a real Sphinx build of such files succeeds with warnings only at ``file:line`` with a
  ``pubs.*`` subtype, no traceback, and output files that are UTF-8 without control
  characters; ``sphinx-pubs check`` over the same files exits 0 or 1, no traceback;
* ``crossref`` chains and cycles of any shape (far longer than Python's recursion limit)
  complete every entry once;
* a FIFO, ``/dev/zero``, a folder or a file over the size limit is a clear error (exit
  2) of ``sphinx-pubs check`` and a warning of the build, in bounded time;
* file names with line ends cannot forge report lines; link paths with control
  characters are a ``pubs.link`` warning.

Larger campaigns: ``PUBS_FUZZ_EXAMPLES=500 python -m pytest tests/test_robust.py``.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
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
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import sphinx_pubs
from sphinx_pubs.__main__ import main
from sphinx_pubs.core.model import Publication, Styled
from sphinx_pubs.core.vocab import CSL_DATE_FIELDS, CSL_FIELDS, CSL_NAME_FIELDS, TYPE_MAP
from sphinx_pubs.sources import MAX_FILE_SIZE
from sphinx_pubs.sources import crossref as crossref_module
from sphinx_pubs.sources.bibtex import read_bibtex
from sphinx_pubs.sources.crossref import resolve_crossrefs
from sphinx_pubs.sources.csl import read_csl_text
from sphinx_pubs.sources.json_items import MAX_DEPTH

ROOT = Path(sphinx_pubs.__file__).resolve().parent.parent

CAMPAIGN = int(os.environ.get("PUBS_FUZZ_EXAMPLES", "0") or 0)


def fuzz(examples: int, shrink: bool = True) -> settings:
    """*examples* per property (the campaign size when asked); builds are not shrunk
    (each example is a Sphinx build: the failing one is reported as it is)."""
    return settings(
        max_examples=CAMPAIGN or examples,
        phases=tuple(Phase) if shrink else (Phase.explicit, Phase.reuse, Phase.generate),
        deadline=None,
        derandomize=not CAMPAIGN,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.function_scoped_fixture,
        ],
    )


#: what no output may hold (tab, newline and carriage return are allowed)
UNWRITABLE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
WARNING = re.compile(r"^(?P<where>.+?):(?P<line>\d+): WARNING: .* \[pubs\.[a-z]+\]$")

# -- the generator --------------------------------------------------------------------
#: every variable the reader looks at
VARIABLES = sorted(
    {*CSL_FIELDS, *CSL_NAME_FIELDS, *CSL_DATE_FIELDS}
    | {"title", "container-title", "publisher", "issue", "number", "genre", "abstract"}
    | {"note", "volume", "page", "keyword", "event", "event-title", "version", "custom"}
    | {"issued", "type", "id", "pdf", "html", "code", "bibtex_show", "selected"}
)
#: JSON text of hostile scalars
HOSTILE_SCALARS = [
    "null",
    "true",
    "false",
    "0",
    "-0",
    "1.5",
    "-7",
    "2021",
    "1e400",
    "-1e999",
    "1e-400",
    "NaN",
    "Infinity",
    "-Infinity",
    "9" * 5000,
    "-" + "1" * 4400,
    "1" * 601,
    "123456789012345678901234567890",
    json.dumps("9" * 5000),
    '"²"',
    '"2021²"',
    '"99999"',
    '"\\ud800"',
    '"a\\udfffb"',
    '"\\udc00\\ud800"',
    '"\\ud83d\\ude00 ok"',  # a valid pair: kept
    '"\\u0000"',
    '"x\\u001b[31mred"',
    '"\\u0085\\u009f\\u007f"',
    '"&#x0c;&#1;&#xd800;&#0;&#x85;"',
    '"<i>it</i><b>b</b><span class=\\"nocase\\">x"',
    '"$x^2$ and $"',
    '""',
    '" \\n\\t "',
    '"a\\u2028b"',
    '"\\ufffe\\uffff"',
]
SCALARS = st.sampled_from(HOSTILE_SCALARS) | st.text(max_size=12).map(json.dumps)
KEYS = st.sampled_from(VARIABLES) | st.sampled_from(
    ["family", "given", "literal", "date-parts", "raw", "\ud800", "a\x00b", ""]
)


def deep(depth: int, inner: str = "0", kind: str = "[") -> str:
    """A value nesting *depth* levels of lists (or objects)."""
    if kind == "[":
        return "[" * depth + inner + "]" * depth
    return '{"a":' * depth + inner + "}" * depth


def _obj(pairs: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in pairs) + "}"


VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4).map(lambda items: "[" + ", ".join(items) + "]")
        | st.lists(st.tuples(KEYS, children), max_size=4).map(_obj)
    ),
    max_leaves=6,
)
#: nesting around the reader's limit (an item is level 1, its variable's value level 2)
DEEP = st.builds(
    deep,
    st.sampled_from([MAX_DEPTH - 2, MAX_DEPTH - 1, MAX_DEPTH, 1000, 3000]),
    SCALARS,
    st.sampled_from("[{"),
)
NAMES = st.lists(
    st.lists(st.tuples(st.sampled_from(["family", "given", "literal", "suffix"]), VALUES)).map(_obj)
    | VALUES,
    max_size=3,
).map(lambda items: "[" + ", ".join(items) + "]")
DATES = st.lists(
    st.tuples(
        st.sampled_from(["date-parts", "raw", "literal", "season"]),
        VALUES
        | st.lists(st.lists(SCALARS, max_size=3), max_size=2).map(
            lambda parts: "[" + ", ".join("[" + ", ".join(p) + "]" for p in parts) + "]"
        ),
    ),
    max_size=3,
).map(_obj)


@st.composite
def hostile_items(draw: st.DrawFn) -> str:
    """One CSL item (as JSON text), its variables holding anything."""
    pairs: list[tuple[str, str]] = [
        ("id", draw(SCALARS | st.text(min_size=1, max_size=8).map(json.dumps))),
        ("type", draw(st.sampled_from(sorted(TYPE_MAP)).map(json.dumps) | VALUES)),
    ]
    for variable in draw(st.lists(st.sampled_from(VARIABLES), max_size=5)):
        if variable in CSL_NAME_FIELDS:
            value = draw(NAMES | VALUES)
        elif variable in CSL_DATE_FIELDS or variable == "issued":
            value = draw(DATES | VALUES)
        else:
            value = draw(VALUES | DEEP if draw(st.integers(0, 5)) == 0 else VALUES)
        pairs.append((variable, value))
    if draw(st.booleans()):
        return deep(
            draw(st.sampled_from([MAX_DEPTH, 2000])), _obj(pairs), draw(st.sampled_from("[{"))
        )
    return _obj(pairs)


def good_item(tag: str) -> str:
    return json.dumps(
        {
            "id": f"robust-{tag}",
            "type": "article-journal",
            "title": f"Good entry {tag}",
            "author": [{"family": "Okafor", "given": "Ada"}],
            "issued": {"date-parts": [[2020, 5]]},
        }
    )


@st.composite
def hostile_files(draw: st.DrawFn, tag: str = "x") -> str:
    """A CSL-JSON file: good items before and after hostile ones, one an item per
    line; sometimes the file is one hostile item, or one deep value."""
    shape = draw(st.sampled_from(["array", "array", "array", "one", "deep"]))
    if shape == "one":
        return draw(hostile_items())
    if shape == "deep":
        return deep(draw(st.sampled_from([MAX_DEPTH, 5000])))
    items = [good_item(f"{tag}-a"), *draw(st.lists(hostile_items(), max_size=3))]
    items.append(good_item(f"{tag}-b"))
    return "[\n" + ",\n".join(items) + "\n]\n"


# -- the reader -----------------------------------------------------------------------
def strings_of(record: Publication):
    """Every string the reader keeps of *record*."""
    yield record.key
    yield record.type
    yield record.year_text
    for name, value in record.fields.items():
        yield name
        yield value
    stack: list[object] = [*record.text.values(), record.title, *record.abstract]
    for person in (*record.authors, *record.editors):
        stack.extend((person.first, person.middle, person.prelast, person.last, person.lineage))
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, Styled):
            yield item.style
            stack.extend(item.children)
        elif isinstance(item, tuple):
            stack.extend(item)


def assert_read_cleanly(text: str) -> tuple[list[Publication], list]:
    records, problems = read_csl_text("hostile.json", text)
    lines = text.count("\n") + 1
    for problem in problems:
        assert 1 <= problem.source.line <= lines, problem
        assert not UNWRITABLE.search(problem.message), problem
        problem.message.encode("utf-8")
    for record in records:
        for value in strings_of(record):
            assert not UNWRITABLE.search(value), (record.key, value)
            value.encode("utf-8")
    return records, problems


@fuzz(50)
@given(hostile_files())
def test_hostile_csl_is_read_cleanly(text: str) -> None:
    records, _ = assert_read_cleanly(text)
    if text.startswith("[\n"):  # an array: the good items around the hostile ones
        keys = {record.key for record in records}
        assert {"robust-x-a", "robust-x-b"} <= keys


@pytest.mark.parametrize("depth", [MAX_DEPTH - 1, MAX_DEPTH, 1_000, 20_000])
@pytest.mark.parametrize("kind", ["[", "{"])
def test_deep_nesting_is_one_warning_at_its_line(depth: int, kind: str) -> None:
    """Nesting beyond the limit costs its item only, with a warning at the line where
    the limit is passed; the items before and after are read."""
    value = deep(depth, '"x"', kind)
    text = (
        f"[\n{good_item('a')},\n"
        f'{{"id": "deep", "type": "book", "title": "Deep",\n "note": {value}}},\n'
        f"{good_item('b')}\n]\n"
    )
    records, problems = assert_read_cleanly(text)
    keys = [record.key for record in records]
    assert keys[0] == "robust-a" and keys[-1] == "robust-b"
    deep_problems = [p for p in problems if "levels" in p.message]
    if depth + 1 > MAX_DEPTH:  # the item is level 1, the outer bracket of its note level 2
        assert keys == ["robust-a", "robust-b"]
        assert len(deep_problems) == 1
        assert deep_problems[0].source.line == 4  # the line of "note"
        assert deep_problems[0].subtype == "syntax"
        assert "'deep'" in deep_problems[0].message
    else:
        assert "deep" in keys and not deep_problems


def test_deep_nesting_on_the_resynchronising_path() -> None:
    """After a syntax error the reader looks for the next item at every ``{``: deep
    values there are skipped, not decoded, and the item after them is read."""
    for tail in (deep(5000, "1", "{"), deep(5000, "1", "["), "[" * 5000, '{"a":' * 5000):
        text = f'[\n{{"id": "broken" "type": "book"}},\n{tail},\n{good_item("c")}\n]\n'
        records, problems = assert_read_cleanly(text)
        assert [record.key for record in records] == ["robust-c"]
        assert problems[0].source.line == 2 and problems[0].subtype == "syntax"


@fuzz(100)
@given(
    st.integers(2, 6),
    st.data(),
)
def test_damage_stays_in_its_item(count: int, data: st.DataObject) -> None:
    """A stray character (no quote, bracket or backslash) anywhere in one item of a
    list costs that item at most: the reader resynchronises at the next one."""
    items = [
        json.dumps({"id": f"i{n}", "type": "book", "title": f"T {n}", "note": {"a": [n]}})
        for n in range(count)
    ]
    broken = data.draw(st.integers(0, count - 1))
    where = data.draw(st.integers(0, len(items[broken])))
    inside = 0 < where < len(items[broken])  # a bracket before or after it is no damage
    char = data.draw(st.sampled_from("x:,1 }]"[: 7 if inside else 5]))
    items[broken] = items[broken][:where] + char + items[broken][where:]
    records, _ = assert_read_cleanly("[\n" + ",\n".join(items) + "\n]\n")
    keys = {record.key for record in records}
    assert {f"i{n}" for n in range(count) if n != broken} <= keys


def test_deep_nesting_after_a_string_that_never_closes_in_another_reading() -> None:
    """A string that never closes, as the resynchronising reader reads the text from
    the error, may be the end of a string as the items are read: what follows is
    still scanned for depth."""
    text = '[{"id": "a" x "},\n{"id": "b", "type": "book"},\n"c",\n' + deep(1000) + "\n]\n"
    records, problems = assert_read_cleanly(text)
    assert [record.key for record in records] == ["b"]
    assert any("levels" in p.message and p.source.line == 4 for p in problems)


#: after a syntax error the reader tries every ``{``: shapes that make that costly
RESCAN_SHAPES = (
    '{"k": [1, "s"], "a":',  # objects in objects, never closed
    '{"a": [1, {"b": 2}], ',  # objects that close in one that does not
    '{"k": "\\" {',  # a different string at each '{' read as the start of a value
    '{"x": "\\u0022 [{\\"id\\": 1}] ',  # strings that never close
)


def rescan_text(shape: str, size: int) -> str:
    """A syntax error, then *shape* *size* times."""
    return '[{"id": "a" "b"},\n' + shape * size + "\n]"


@pytest.mark.parametrize("shape", RESCAN_SHAPES)
def test_deep_nesting_scan_is_linear(shape: str) -> None:
    """Over unclosed objects, strings that never close, objects in an unclosed one,
    the lines of Python the reader runs grow linearly (8 times the input: at most 9
    times the lines)."""
    small, large = (
        lines_run(lambda size=size: assert_read_cleanly(rescan_text(shape, size)))
        for size in (300, 2_400)
    )
    assert large <= 9 * small + 1_000, (shape, small, large)


@timing_net
@pytest.mark.parametrize("shape", RESCAN_SHAPES)
def test_deep_nesting_scan_time_is_linear(shape: str) -> None:
    """The same in processor time, which also sees the work inside the JSON decoder
    and regular expressions (best of three; 8 times the input within 32 times)."""
    small, large = (
        best_seconds(lambda size=size: assert_read_cleanly(rescan_text(shape, size)))
        for size in (300, 2_400)
    )
    assert large < 8 * 4 * small + 0.05, (shape, small, large)


def test_numbers_every_kind_in_every_variable() -> None:
    """Each hostile number in each variable the reader looks at: no exception, the
    value is text (a plain number), or a warning naming the entry and variable."""
    for literal in ("9" * 5000, "1e400", "NaN", "-Infinity", '"' + "9" * 5000 + '"', '"²"'):
        for variable in VARIABLES:
            if variable in ("id", "type"):
                continue
            text = f'[{{"id": "n", "type": "book", "title": "T", "{variable}": {literal}}}]'
            records, problems = assert_read_cleanly(text)
            assert [record.key for record in records] == ["n"], (variable, literal)
        for where in ("[[X]]", "[[2020, X, X]]", "[X]"):
            date = '{"date-parts": ' + where.replace("X", literal) + "}"
            text = f'[{{"id": "d", "type": "book", "title": "T", "issued": {date}}}]'
            records, problems = assert_read_cleanly(text)
            assert records[0].year is None or -10_000 < records[0].year < 10_000
        text = f'[{{"id": {literal}, "type": "book", "title": "T"}}]'
        records, problems = assert_read_cleanly(text)
        if not literal.startswith('"'):  # unusable numbers are no id
            assert records == [] and "usable id" in problems[0].message


def test_surrogates_replaced_with_a_warning() -> None:
    text = json.dumps(
        [
            {
                "id": "s\ud800",
                "type": "book",
                "title": "Lone \udfff here",
                "author": [{"family": "F\ud800", "given": "G\x00"}],
                "custom": {"pdf\ud800": "x\x1b.pdf"},
                "issued": {"date-parts": [[2020]]},
            }
        ]
    )
    records, problems = assert_read_cleanly(text)
    assert records[0].key == "s\ufffd"
    assert records[0].fields["title"] == "Lone \ufffd here"
    assert records[0].authors[0].last == ("F\ufffd",)
    assert records[0].fields["pdf\ufffd"] == "x\ufffd.pdf"
    # a form feed written as a character reference is a space
    text = '[{"id": "ff", "type": "book", "title": "a&#12;b", "note": "&#x0c;c&#1;"}]'
    (record,), _ = assert_read_cleanly(text)
    assert record.fields["title"] == "a b" and record.fields["note"] == " c"
    (encoding,) = [p for p in problems if p.subtype == "encoding"]
    assert "6 characters" in encoding.message and encoding.source.line == 1


# -- crossref ---------------------------------------------------------------------------
@fuzz(15)
@given(
    st.sampled_from([1, 2, 3, 10, 1100]),  # 1100: beyond Python's recursion limit
    st.lists(st.integers(-3, 1100), max_size=30),
)
def test_crossref_graphs_complete_each_entry_once(size: int, pointers: list[int]) -> None:
    """Entry i names entry i+1 as its parent (a chain of *size*), some entries point
    elsewhere (back: cycles; -1: missing; -2: themselves); the root has a publisher.
    No recursion limit, and ``inherit`` runs at most once per entry."""
    parent = {index: index + 1 for index in range(size)}
    for number, target in enumerate(pointers):
        index = (number * 7919) % size
        parent[index] = index if target == -2 else target
    lines = []
    for index in range(size + 1):
        target = parent.get(index)
        link = "" if target is None else f", crossref = {{e{target}}}"
        extra = ", publisher = {Root}, year = 2000" if index == size else ""
        lines.append(f"@inproceedings{{e{index}, title = {{T{index}}}{link}{extra}}}")
    records = read_bibtex("chain.bib", "\n".join(lines)).records
    calls = 0
    real = crossref_module.inherit

    def counted(child: Publication, parent: Publication) -> Publication:
        nonlocal calls
        calls += 1
        return real(child, parent)

    crossref_module.inherit = counted
    try:
        out, problems = resolve_crossrefs(records)
    finally:
        crossref_module.inherit = real
    assert calls <= len(records)
    assert len(out) == len(records)
    by_key = {record.key: record for record in out}
    # entries whose chain reaches the root have its publisher
    for index in range(size + 1):
        seen = set()
        current = index
        while current in parent and current not in seen and 0 <= parent[current] <= size:
            seen.add(current)
            current = parent[current]
        if current == size:
            assert by_key[f"e{index}"].fields.get("publisher") == "Root", index
    cycles = [p for p in problems if "refers back" in p.message]
    assert all(p.subtype == "entry" and p.source.line >= 1 for p in problems)
    if not pointers:
        assert not cycles


# -- link paths -------------------------------------------------------------------------
LINK_NAMES = ["pdf", "preview", "code", "slides", "poster", "html"]
CONTROL_PATHS = ["a\x00b.pdf", "/x\x00", "p\x01.png", "line\nbreak.pdf", "e\x1b[2J.pdf", "c\x85"]


def test_control_characters_in_link_paths_are_link_warnings(make_app, tmp_path: Path) -> None:
    """A NUL or other control character in any project-file link field: a pubs.link
    warning at the field's line, never an exception; the entry still renders."""
    fields = ",\n".join(
        f"  {name} = {{{path}}}" for name, path in zip(LINK_NAMES, CONTROL_PATHS, strict=True)
    )
    bib = f"@article{{ctl,\n  title = {{Control Paths}},\n  year = 2020,\n{fields}\n}}\n"
    src = write_project(
        tmp_path / "src",
        {"refs.bib": bib, "index.rst": "Index\n=====\n\n.. publications:: refs.bib\n"},
    )
    app = make_app("html", srcdir=src)
    app.build()
    warnings = warnings_of(app)
    assert "Traceback" not in app._status.getvalue() + "\n".join(warnings)
    link_warnings = [w for w in warnings if "[pubs.link]" in w]
    assert len(link_warnings) >= 4, warnings
    # each at its field's line (a path with a line break moves the fields after it)
    field_lines = {
        f"{src / 'refs.bib'}:{bib[: bib.index(f'  {name} = ')].count(chr(10)) + 1}:"
        for name in LINK_NAMES
    }
    assert all(w.split(" WARNING")[0] in field_lines for w in link_warnings), link_warnings
    page = soup(Path(app.outdir) / "index.html")
    assert "Control Paths" in text_of(page)


# -- odd files --------------------------------------------------------------------------
def odd_files(folder: Path) -> dict[str, Path]:
    """A FIFO, a device, a folder and a (sparse) file over the size limit."""
    fifo = folder / "fifo.json"
    os.mkfifo(fifo)
    (folder / "dir.bib").mkdir()
    big = folder / "big.json"
    with open(big, "wb") as stream:
        stream.truncate(MAX_FILE_SIZE + 1)
    return {"fifo": fifo, "device": Path("/dev/zero"), "dir": folder / "dir.bib", "big": big}


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m sphinx_pubs`` as a real subprocess of this checkout."""
    return subprocess.run(
        [sys.executable, "-m", "sphinx_pubs", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=120,  # generous: a FIFO read would hang for ever
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_check_refuses_odd_files(tmp_path: Path) -> None:
    files = odd_files(tmp_path)
    expected = {"fifo": "named pipe", "device": "device", "dir": "folder"}
    for kind, path in files.items():
        for form in ("text", "json"):
            out, err = io.StringIO(), io.StringIO()
            with redirect_stdout(out), redirect_stderr(err):
                code = main(["check", "--format", form, str(path)])
            assert code == 2, (kind, out.getvalue(), err.getvalue())
            if form == "json":
                (item,) = json.loads(out.getvalue())
                assert item["file"] == str(path) and item["subtype"] == "pubs.bibfile"
                message = item["message"]
            else:
                message = out.getvalue().splitlines()[0]
                assert message.startswith(f"{path}: ") and message.endswith("[pubs.bibfile]")
            assert expected.get(kind, "larger than 64 MiB") in message, message
    # the real command: a FIFO with no writer does not hang it
    result = cli("check", str(files["fifo"]), str(files["device"]))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "named pipe" in result.stdout and "device" in result.stdout
    # with a readable file beside them: exit 1, the good file read
    good = tmp_path / "good.json"
    good.write_text("[" + good_item("g") + "]", encoding="utf-8")
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["check", str(good), *map(str, files.values())])
    assert code == 1
    assert out.getvalue().strip().endswith("4 problems in 4 files; 1 entry")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_build_warns_about_odd_files(make_app, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    files = odd_files(src)
    (src / "good.json").write_text("[" + good_item("g") + "]", encoding="utf-8")
    page = "Index\n=====\n\n.. publications:: good.json fifo.json dir.bib big.json /dev/zero\n"
    # /dev/zero as an absolute path from the config: the directive argument is relative
    write_project(src, {"index.rst": page})
    app = make_app("html", srcdir=src)
    app.build()
    warnings = warnings_of(app)
    assert "Traceback" not in "\n".join(warnings)
    for kind in ("fifo", "dir", "big"):
        (line,) = [w for w in warnings if f"{files[kind]}:" in w]
        assert "[pubs.bibfile]" in line and "index.rst:4" in line
    assert "Good entry g" in text_of(soup(Path(app.outdir) / "index.html"))


def test_file_names_cannot_forge_report_lines(tmp_path: Path) -> None:
    """A file name with a line end, escapes and a fake report line: one report line
    per problem (text), and JSON whose file is the name, escaped."""
    name = "a\nfake.bib:9: forged [pubs.entry]\r\x1b[2J.bib"
    path = tmp_path / name
    path.write_text("@article{x, title = {T}}\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["check", str(path)])
    assert code == 1
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and lines[1] == "1 problem in 1 file; 1 entry"
    assert lines[0].startswith(str(tmp_path)) and "\\x0afake.bib" in lines[0]
    assert not UNWRITABLE.search(out.getvalue().replace("\n", ""))
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        code = main(["check", "--format", "json", str(path)])
    (item,) = json.loads(out.getvalue())
    assert "\n" not in item["file"] and "\x1b" not in item["file"]
    assert item["file"].endswith("\\x0d\\x1b[2J.bib")


# -- hostile corpus: the build and the CLI ----------------------------------------------
def assert_clean_output(outdir: Path) -> None:
    """Every text file written is UTF-8 without control characters."""
    for path in outdir.rglob("*"):
        if path.suffix in (".html", ".txt", ".js", ".json", ".bib") and path.is_file():
            text = path.read_bytes().decode("utf-8")
            assert not UNWRITABLE.search(text), (path, UNWRITABLE.search(text))


@fuzz(2, shrink=False)
@given(st.tuples(hostile_files("0"), hostile_files("1"), hostile_files("2")))
def test_hostile_corpus_builds_and_checks(make_app, files: tuple[str, ...]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        src = Path(folder) / "src"
        names = [f"hostile{index}.json" for index in range(len(files))]
        chain = (
            "".join(
                f"@inproceedings{{c{i}, title = {{Chain {i}}}, crossref = {{c{i + 1}}}}}\n"
                for i in range(1000)
            )
            + "@proceedings{c1000, title = {Root}, year = 2001, publisher = {P}}\n"
        )
        write_project(
            src,
            {
                **dict(zip(names, files, strict=True)),
                "chain.bib": chain,
                "index.rst": "Index\n=====\n\n.. publications:: " + " ".join(names) + "\n\n"
                ".. publications:: chain.bib\n",
            },
        )
        app = make_app("html", srcdir=src)
        app.build()
        warnings = warnings_of(app)
        log = app._status.getvalue() + "\n".join(warnings)
        assert "Traceback" not in log and "Exception" not in log
        for warning in warnings:
            if warning.startswith("WARNING: while setting up extension "):
                continue  # Sphinx's own, as several apps are made in one process
            match = WARNING.match(warning)
            assert match, warning
            assert match["where"].endswith((".json", ".bib", "index.rst")), warning
        outdir = Path(app.outdir)
        assert_clean_output(outdir)
        page = text_of(soup(outdir / "index.html"))
        for index, text in enumerate(files):
            if text.startswith("[\n"):
                assert f"Good entry {index}-a" in page and f"Good entry {index}-b" in page
        assert "Chain 0" in page
        paths = [str(src / name) for name in (*names, "chain.bib")]
        for form in ("text", "json"):
            out, err = io.StringIO(), io.StringIO()
            with redirect_stdout(out), redirect_stderr(err):
                code = main(["check", "--format", form, *paths])
            assert code in (0, 1)
            assert "Traceback" not in out.getvalue() + err.getvalue()
            if form == "json":
                json.loads(out.getvalue())


def test_hostile_corpus_cli_subprocess(tmp_path: Path) -> None:
    """The real command over generated hostile files: exit 0 or 1, no traceback,
    one line per problem."""
    texts = [
        "[\n" + ",\n".join(items) + "\n]\n"
        for items in (
            [good_item("s"), '{"id": "n", "type": "book", "volume": ' + "9" * 5000 + "}"],
            [good_item("t"), '{"id": "d", "type": "book", "note": ' + deep(1000) + "}"],
            [good_item("u"), '{"id": "u\\ud800", "type": NaN, "title": {"a": []}}'],
        )
    ]
    paths = []
    for index, text in enumerate(texts):
        path = tmp_path / f"h{index}.json"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    result = cli("check", *paths)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stdout.splitlines()
    assert lines[-1].endswith("; 5 entries")  # the deep item skipped
    for line in lines[:-1]:
        assert re.match(r"^.+\.json:\d+: .* \[pubs\.[a-z]+\]$", line), line
