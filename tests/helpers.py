"""Helpers shared by the tests: read built output with real parsers."""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

_WS = re.compile(r"\s+")


def text_of(node: Tag | None) -> str:
    """Visible text of *node*, whitespace collapsed."""
    if node is None:
        return ""
    return _WS.sub(" ", node.get_text()).strip()


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@dataclass
class Expected:
    year: str
    title: str
    authors: str
    venue: str
    note: str
    has_abstract: bool


def seed_expected(path: Path) -> list[Expected]:
    """seed-expected.txt with the two al-folio bugs we do not copy fixed.

    Column 4 is the page's venue/date text with the note glued to it (the page shows
    the note on its own line); the note is split off using the .bib's note field.
    """
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        year, title, authors, venue, abstract = line.split("\t")
        # al-folio bug 1: "In , " for an @inproceedings without booktitle
        venue = venue.removeprefix("In , ")
        # al-folio bug 2: two authors printed "A, and B"
        if authors.count(", and ") == 1 and authors.count(",") == 1:
            authors = authors.replace(", and ", " and ")
        rows.append(Expected(year, title, authors, venue, "", abstract == "abstract"))
    return rows


def write_project(root: Path, files: dict[str, str | bytes]) -> Path:
    """A Sphinx project in *root*: ``conf.py`` defaults to loading sphinx_pubs."""
    root.mkdir(parents=True, exist_ok=True)
    files = {"conf.py": 'extensions = ["sphinx_pubs"]\n', **files}
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def warnings_of(app) -> list[str]:
    """The build's warning lines, without colour codes."""
    raw = re.sub(r"\x1b\[[0-9;]*m", "", app._warning.getvalue())
    return [line for line in raw.splitlines() if line.strip()]


class Built:
    """A Sphinx project built by the ``build_project`` fixture: the application (every
    attribute not defined here is the ``SphinxTestApp``'s: ``outdir``, ``statuscode``,
    ``env`` ...) with readers of what the build wrote and said."""

    def __init__(self, app, read: list[str], written: list[str], again: Callable[..., Built]):
        self.app = app
        self._again = again
        self._read = read
        self._written = written

    @property
    def read(self) -> list[str]:
        """The documents the build read (``source-read``), sorted; a parallel build
        reads in other processes, which this does not see."""
        return sorted(self._read)

    @property
    def written(self) -> list[str]:
        """The HTML pages the build wrote (``html-page-context``), sorted."""
        return sorted(self._written)

    def __getattr__(self, name: str):
        return getattr(self.app, name)

    @property
    def warnings(self) -> list[str]:
        """The build's warning lines, without colour codes."""
        return warnings_of(self.app)

    @property
    def log(self) -> str:
        """Everything the build printed: status, then warnings."""
        return self.app._status.getvalue() + self.app._warning.getvalue()

    def path(self, page: str = "index") -> Path:
        """The output file of *page*: a document name gets the builder's suffix
        (``index`` -> ``index.html``), a name with a suffix is taken as it is."""
        if "." in page.rsplit("/", 1)[-1]:
            return Path(self.app.outdir) / page
        return Path(self.app.outdir) / f"{page}{self.app.builder.out_suffix}"

    def text(self, page: str = "index") -> str:
        """The output file of *page*, as written (HTML source, plain text ...)."""
        return self.path(page).read_text(encoding="utf-8")

    def soup(self, page: str = "index") -> BeautifulSoup:
        """The output file of *page*, parsed as HTML."""
        return soup(self.path(page))

    def assert_clean(self) -> None:
        """The build succeeded and printed no traceback."""
        assert self.app.statuscode == 0
        assert "Traceback" not in self.log and "Exception occurred" not in self.log, self.log

    def rebuild(self, **options) -> Built:
        """The same project built again, as it is on disk now, by a new application of
        the same builder reusing the environment (``freshenv=False``); *options* go to
        ``make_app``."""
        return self._again(**options)


#: wall-clock nets (work inside one regular expression match, which no Python line
#: counts) run only with ``PUBS_TIMING=1``: a busy or slow machine must not fail the suite
timing_net = pytest.mark.skipif(
    os.environ.get("PUBS_TIMING") != "1", reason="wall-clock net: set PUBS_TIMING=1"
)


def best_seconds(work: Callable[[], object], repeat: int = 3) -> float:
    """The processor time of the quickest of *repeat* runs of *work*: for the
    ``timing_net`` tests, which compare inputs of growing size as a ratio."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def lines_run(work: Callable[[], object], package: str = "sphinx_pubs") -> int:
    """How many lines of *package*'s Python code *work* executes: a count of work that
    is the same on every machine, for tests that cost must grow linearly."""
    count = 0
    marker = os.sep + package + os.sep

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def call(frame, event, arg):
        return local if marker in frame.f_code.co_filename else None

    previous = sys.gettrace()
    sys.settrace(call)
    try:
        work()
    finally:
        sys.settrace(previous)
    return count


def pybtex_parse(text: str):
    """*text* read by pybtex (strict where the ``strict_pybtex`` fixture is used)."""
    import pybtex.database

    return pybtex.database.parse_string(text, "bibtex")
