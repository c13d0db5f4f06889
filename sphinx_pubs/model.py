"""Plain data records shared by every stage: no Sphinx, no docutils.

A bibliography file is read into :class:`Publication` records (``sources``), chosen
and grouped (``select``) and turned into nodes (``render``).  Everything here is
picklable so that parsed files can live in the Sphinx environment.

Text that came from LaTeX is held as :data:`RichText`: a tuple of inline items, each
either a plain ``str`` or one of the small named tuples below.  The decoder in
:mod:`sphinx_pubs.latex` produces it; the renderer turns it into docutils nodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple


class Styled(NamedTuple):
    """A run of inline text in one style (``emph``, ``strong``, ``code``, ...)."""

    style: str
    children: tuple[Inline, ...]


class Link(NamedTuple):
    """A hyperlink; ``url`` is kept exactly as written and vetted by the renderer."""

    url: str
    children: tuple[Inline, ...]


class Math(NamedTuple):
    """Inline math, as LaTeX source without the delimiters."""

    latex: str


Inline = str | Styled | Link | Math
RichText = tuple[Inline, ...]

EMPTY: RichText = ()


def plain(rich: RichText) -> str:
    """The text of *rich* with all markup dropped (math keeps its LaTeX source)."""
    parts: list[str] = []
    _plain_into(rich, parts)
    return "".join(parts)


def _plain_into(rich: RichText, parts: list[str]) -> None:
    for item in rich:
        if isinstance(item, str):
            parts.append(item)
        elif isinstance(item, Math):
            parts.append(item.latex)
        else:
            _plain_into(item.children, parts)


@dataclass(frozen=True)
class Source:
    """Where a record (or a problem) comes from: a file and a 1-based line."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def printable(message: str) -> str:
    """*message* with control characters written as ``\\xNN`` (a bibliography must not
    drive the terminal that shows its warnings)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", message)


@dataclass(frozen=True)
class Problem:
    """Something wrong with the input, reported as a Sphinx warning.

    ``subtype`` is the warning subtype (``pubs.<subtype>``) users can list in
    ``suppress_warnings``.
    """

    source: Source
    message: str
    subtype: str


@dataclass(frozen=True)
class Person:
    """One name, split as BibTeX splits it (pybtex's name parts), decoded to Unicode."""

    first: tuple[str, ...] = ()
    middle: tuple[str, ...] = ()
    prelast: tuple[str, ...] = ()
    last: tuple[str, ...] = ()
    lineage: tuple[str, ...] = ()

    @property
    def is_others(self) -> bool:
        """True for BibTeX's ``and others`` (rendered as "et al.")."""
        return (
            not self.first
            and not self.middle
            and not self.prelast
            and not self.lineage
            and self.last == ("others",)
        )

    @property
    def display(self) -> str:
        """The name in "First Middle von Last, Jr." order."""
        name = " ".join(self.first + self.middle + self.prelast + self.last)
        if self.lineage:
            name += ", " + " ".join(self.lineage)
        return name


@dataclass
class Publication:
    """One bibliography entry, decoded and ready to select and render.

    ``fields`` holds every field but the name lists, lower-cased, as the raw
    (LaTeX) string of the file after macro expansion; ``text`` holds the decoded
    rich text of the fields that are shown as text.  ``abstract`` is split into
    paragraphs.
    """

    key: str
    type: str
    source: Source
    title: RichText = EMPTY
    authors: tuple[Person, ...] = ()
    editors: tuple[Person, ...] = ()
    year: int | None = None
    year_text: str = ""
    month: int | None = None
    #: how the month reads when it is more than a month ("May 17", "Oct–Nov"); the
    #: date line shows ``month``'s abbreviation when empty
    month_label: str = ""
    abstract: tuple[RichText, ...] = ()
    fields: dict[str, str] = field(default_factory=dict)
    text: dict[str, RichText] = field(default_factory=dict)

    def rich(self, name: str) -> RichText:
        """The decoded text of field *name*, or an empty tuple."""
        return self.text.get(name, EMPTY)


class Content(NamedTuple):
    """What a reader makes of one file's text.

    ``macros`` are the BibTeX ``@string`` macros the file defines (lower-case names),
    which the files after it in a list may use; ``undefined`` names the macros it uses
    without defining them.
    """

    records: list[Publication]
    problems: list[Problem]
    macros: dict[str, str] = {}
    undefined: frozenset[str] = frozenset()
