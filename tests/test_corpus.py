"""Real-world BibTeX files (tests/corpus, sources in SOURCES.md) each build a page.

Every file is copied byte for byte into a fresh Sphinx project as ``refs.bib`` and
built with the html builder.  Whatever the file holds (syntax errors, odd encodings,
JabRef metadata, thousands of entries), the build must succeed, every warning from us
must point at the .bib file and line, and no entry that a lenient parser can read may
be lost.

Two counts, both made without sphinx_pubs's parser, check that no entry is lost:

* ``pybtex_count``, a lower bound on the rendered entries: the entries pybtex's own
  ``Parser`` recovers in non-strict mode (a syntax error becomes a warning and parsing
  goes on) with at least one field or name read.  An entry of which pybtex could read
  nothing (say ``%@book{x,`` followed by a ``%`` line: pybtex sees the ``@`` and fails
  at once) is not "recovered".  pybtex keys are case-insensitive and a repeated key
  is dropped, so entries with a duplicate key count once.
* ``regex_count``, a sanity bound needing no parser at all: the distinct keys of lines
  that open an entry, ``^\\s*@(?!string|comment|preamble)\\w+\\s*[{(]\\s*[^,\\s]+\\s*,``,
  outside ``@comment{...}`` blocks.  An entry broken beyond reading (an unbalanced
  brace) may be skipped, but never silently: the rendered entries plus the entries
  reported as skipped must reach this count.

Both read the text decoded by :func:`_independent_text`: by its byte order mark if it
has one, else as UTF-8, else as Windows-1252 (Latin-1 for the five bytes Windows-1252
leaves undefined).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pybtex.errors
import pytest
from helpers import soup, text_of, warnings_of, write_project
from pybtex.database.input.bibtex import Parser

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(
    p for p in CORPUS.iterdir() if p.is_file() and p.name != "SOURCES.md" and p.name[0] != "."
)

PAGE = "Publications\n============\n\n.. publications:: refs.bib\n"

#: Files on which sphinx_pubs is known to fail a check; each reason names the bug.
#: Files that show a bug of sphinx_pubs, with the bug; their test is a strict xfail.
KNOWN_BUGS: dict[str, str] = {}

#: biblatex entry types that hold data for other entries; sphinx_pubs lists no
#: publication for them, so the counts leave them out
DATA_TYPES = frozenset({"set", "xdata"})

_ENTRY_START = re.compile(
    r"^\s*@(?!string|comment|preamble|set\b|xdata\b)\w+\s*[{(]\s*([^,\s]+)\s*,",
    re.MULTILINE | re.IGNORECASE,
)
_COMMENT_START = re.compile(r"@comment\s*([{(])", re.IGNORECASE)
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")
_SPELLED_BACKSLASH = re.compile(r"\\textbackslash(?:\{\}|\s+)([A-Za-z]+)")
_AT_BIB_LINE = re.compile(r"refs\.bib:(\d+):")
_SKIPPED = re.compile(r"refs\.bib:\d+: WARNING: (?!duplicate key).*\bskipped\b.*\[pubs\.syntax\]")
_AT_DIRECTIVE = re.compile(r"index\.rst:\d+: .*refs\.bib: ")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _cp1252_or_latin1(error: UnicodeDecodeError) -> tuple[str, int]:
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("corpus-latin1", _cp1252_or_latin1)


def _independent_text(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="corpus-latin1")


def pybtex_count(text: str) -> int:
    """Entries pybtex's parser recovers in non-strict mode, with a field or name read."""
    strict = pybtex.errors.strict
    pybtex.errors.set_strict_mode(False)
    try:
        entries = Parser().parse_string(text).entries.values()
    finally:
        pybtex.errors.set_strict_mode(strict)
    return sum(
        1
        for entry in entries
        if (len(entry.fields) or len(entry.persons)) and entry.type.lower() not in DATA_TYPES
    )


def _without_comments(text: str) -> str:
    """*text* without its ``@comment{...}`` blocks (braces balanced)."""
    out, pos = [], 0
    while match := _COMMENT_START.search(text, pos):
        out.append(text[pos : match.start()])
        opening = match.group(1)
        closing = ")" if opening == "(" else "}"
        depth, end = 1, match.end()
        while end < len(text) and depth:
            if text[end] == opening:
                depth += 1
            elif text[end] == closing:
                depth -= 1
            end += 1
        pos = end
    out.append(text[pos:])
    return "".join(out)


def literal_backslash_words(text: str) -> dict[str, set[str]]:
    """Per entry anchor, the ``\\word`` texts its source spells with ``\\textbackslash``.

    Zotero escapes a title's literal ``$\\boldsymbol{x}$`` as
    ``\\$\\textbackslash{}boldsymbol\\{x\\}\\$``; the page then rightly shows the text
    ``\\boldsymbol``, which is no leftover command.  The anchor is ``pub-`` and the key
    with runs of other characters than ``A-Za-z0-9_-`` made ``-`` (as the page has it).
    """
    found: dict[str, set[str]] = {}
    starts = list(_ENTRY_START.finditer(text))
    bounds = [match.start() for match in starts] + [len(text)]
    for match, end in zip(starts, bounds[1:], strict=True):
        block = text[match.start() : end]
        words = {"\\" + word for word in _SPELLED_BACKSLASH.findall(block)}
        if words:
            anchor = "pub-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", match.group(1)).strip("-"))
            found.setdefault(anchor, set()).update(words)
    return found


def regex_count(text: str) -> int:
    """Distinct keys of lines that open an entry, outside comments."""
    return len({match.group(1) for match in _ENTRY_START.finditer(_without_comments(text))})


PARAMS = [
    pytest.param(
        path,
        id=path.name,
        marks=[pytest.mark.xfail(raises=AssertionError, strict=True, reason=KNOWN_BUGS[path.name])]
        if path.name in KNOWN_BUGS
        else [],
    )
    for path in FILES
]


@pytest.mark.parametrize("path", PARAMS)
def test_corpus_file_builds(make_app, tmp_path, path):
    data = path.read_bytes()
    srcdir = write_project(tmp_path / "src", {"index.rst": PAGE, "refs.bib": data})
    app = make_app("html", srcdir=srcdir)
    app.build()

    warnings = warnings_of(app)
    joined = "\n".join(warnings)
    status = app._status.getvalue()
    assert app.statuscode == 0
    for output in (joined, status):
        assert "Traceback" not in output, output
        assert "Exception" not in output, output

    # an entry the reader gave up on by catching an exception is a crash, reported
    crashed = [line for line in warnings if "skipped" in line and "[pubs.entry]" in line]
    assert not crashed, crashed

    # each of our warnings says where: file and line, or the directive for a whole file
    text = _independent_text(data)
    last_line = text.count("\n") + 1
    for line in warnings:
        if "[pubs." not in line:
            continue
        if at := _AT_BIB_LINE.search(line):
            assert 1 <= int(at.group(1)) <= last_line, line
            continue
        assert "[pubs.bibfile]" in line or _AT_DIRECTIVE.search(line), line

    page = soup(Path(app.outdir) / "index.html")
    entries = page.select("li.pub")
    recovered = pybtex_count(text)
    assert len(entries) >= recovered, f"{len(entries)} entries rendered, pybtex reads {recovered}"
    skipped = sum(1 for line in warnings if _SKIPPED.search(line))
    opened = regex_count(text)
    assert len(entries) + skipped >= opened, (
        f"{len(entries)} entries rendered and {skipped} reported skipped, {opened} in the file"
    )

    for entry in entries:
        assert text_of(entry.select_one(".pub-title")), entry.get("id")
    # no LaTeX command left in the text; math is rendered by MathJax from its LaTeX
    for math in page.select(".pubs .math"):
        math.decompose()
    spelled = literal_backslash_words(text)
    for entry in entries:
        allowed = spelled.get(entry.get("id", ""), set())
        for part in entry.select(".pub-title, .pub-authors, .pub-venue"):
            leftover = set(_LATEX_COMMAND.findall(text_of(part))) - allowed
            assert not leftover, f"{entry.get('id')}: {text_of(part)!r}"
