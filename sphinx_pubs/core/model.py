"""Plain data records shared by every stage: no Sphinx, no docutils.

A bibliography file is read into :class:`Publication` records (``sources``), chosen
and grouped (``select``) and turned into nodes (``render``).  Everything here is
picklable so that parsed files can live in the Sphinx environment.

Text that came from LaTeX is held as :data:`RichText`: a tuple of inline items, each
either a plain ``str`` or one of the small named tuples below.  The decoder in
:mod:`sphinx_pubs.core.latex.decoder` produces it; the renderer turns it into docutils nodes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from sphinx_pubs.core.subtype import Subtype


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
    subtype: Subtype


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
    #: the line of each field (lower-case name), where the reader knows it
    field_lines: dict[str, int] = field(default_factory=dict)

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


# -- text that may reach an output file ------------------------------------------------
#: C0 and C1 control characters but tab and line feed (CR is a line end, below), the
#: Unicode line and paragraph separators (line ends to JavaScript and JSON readers),
#: and lone surrogates (from ``\\ud800`` escapes in a JSON file: no UTF-8 encoder
#: writes them)
_UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
#: the unwanted characters that separate words: a space in their place
_SPACING = frozenset("\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029")


def _replacement(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\r":
        return "" if match.string.startswith("\n", match.end()) else "\n"
    if "\ud800" <= char <= "\udfff":
        return "\ufffd"
    return " " if char in _SPACING else ""


def clean_text(text: str) -> str:
    """*text* without control characters: CR line ends made LF, the controls that
    separate (vertical tab, form feed, the information separators, NEL, U+2028,
    U+2029) a space, every other C0 and C1 control but tab and line feed removed,
    lone surrogates made U+FFFD.  Text without any is returned as it is."""
    if _UNWANTED.search(text) is None:
        return text
    return _UNWANTED.sub(_replacement, text)


def clean_json(value: object) -> object:
    """*value* (JSON data: dicts, lists, strings...) with :func:`clean_text` applied to
    every string, names included (JSON would write a control character as an escape,
    which a consumer reads back as the character)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_json(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(str(name)): clean_json(item) for name, item in value.items()}
    return value


_SPACE_RUN = re.compile(r"\s{2,}")


def _clean_rich(rich: RichText, top: bool = True) -> RichText:
    """*rich* cleaned, its spacing as the decoders leave it (one space between words,
    none at the ends) where a control character was taken out."""
    out: list[Inline] = []
    for item in rich:
        if isinstance(item, str):
            cleaned = clean_text(item)
            if cleaned != item:
                cleaned = _SPACE_RUN.sub(" ", cleaned.replace("\n", " "))
                if out and isinstance(out[-1], str):
                    cleaned = _SPACE_RUN.sub(" ", out.pop() + cleaned)  # type: ignore[operator]
            item = cleaned
            if not item:
                continue
        elif isinstance(item, Math):
            item = Math(clean_text(item.latex))
        else:
            children = _clean_rich(item.children, top=False)
            if isinstance(item, Link):
                item = Link(clean_text(item.url), children)
            else:
                item = Styled(item.style, children)
        out.append(item)
    if top and out and isinstance(out[0], str):
        out[0] = out[0].lstrip(" ")
    if top and out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip(" ")
    return tuple(item for item in out if item != "")


def _rich_is_clean(rich: RichText) -> bool:
    for item in rich:
        if isinstance(item, str):
            if _UNWANTED.search(item):
                return False
        elif isinstance(item, Math):
            if _UNWANTED.search(item.latex):
                return False
        else:
            if isinstance(item, Link) and _UNWANTED.search(item.url):
                return False
            if not _rich_is_clean(item.children):
                return False
    return True


def _clean_person(person: Person) -> Person:
    return Person(
        *(
            tuple(word for word in map(clean_text, part) if word)
            for part in (person.first, person.middle, person.prelast, person.last, person.lineage)
        )
    )


def _person_is_clean(person: Person) -> bool:
    parts = (person.first, person.middle, person.prelast, person.last, person.lineage)
    return not any(_UNWANTED.search(word) for part in parts for word in part)


def clean_record(record: Publication) -> Publication:
    """*record* with :func:`clean_text` applied to every text it holds (its key, type,
    fields, decoded texts, names, abstract): what a reader calls on each record it
    makes, so that no control character of a bibliography reaches an output file.
    A record without any is returned as it is (the same object)."""
    if (
        _UNWANTED.search(record.key) is None
        and _UNWANTED.search(record.type) is None
        and _UNWANTED.search(record.year_text) is None
        and not any(_UNWANTED.search(n) or _UNWANTED.search(v) for n, v in record.fields.items())
        and all(_rich_is_clean(rich) for rich in (record.title, *record.abstract))
        and all(_rich_is_clean(rich) for rich in record.text.values())
        and all(_person_is_clean(p) for p in (*record.authors, *record.editors))
    ):
        return record
    return replace(
        record,
        key=clean_text(record.key),
        type=clean_text(record.type),
        title=_clean_rich(record.title),
        authors=tuple(_clean_person(p) for p in record.authors),
        editors=tuple(_clean_person(p) for p in record.editors),
        year_text=clean_text(record.year_text),
        abstract=tuple(_clean_rich(p) for p in record.abstract),
        fields={clean_text(n): clean_text(v) for n, v in record.fields.items()},
        text={clean_text(n): _clean_rich(r) for n, r in record.text.items()},
    )


# -- citation keys where they become names, ids and file names ---------------------------
#: what a key cannot hold to be a name (in BibTeX, in ``objects.inv``, in a
#: ``\cite`` or ``:pub:`` role): whitespace, control characters and
#: ``, { } ( ) " # % = \`` (BibTeX ends a key at whitespace, ``,`` and the closing
#: delimiter; biber, LaTeX and the inventory's line format trip over the others)
_KEY_BAD = re.compile(r'[\s,{}()"#%=\\\x00-\x1f\x7f-\x9f\u2028\u2029]+')
#: what an HTML id fragment or a file name is made of
_SLUG_BAD = re.compile(r"[^A-Za-z0-9_-]+")
#: the longest key used as it is (longer ones are cut and given a hash)
KEY_MAX = 100


def _key_hash(key: str) -> str:
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()


def key_name(key: str) -> str:
    r"""*key* as a name: each run of whitespace, control characters and
    ``, { } ( ) " # % = \`` made ``_``; an empty key is ``entry``; a key longer than
    :data:`KEY_MAX` is cut and given a short hash of the whole key.  A key that
    needs no change (almost every key) is returned as it is.

    This is the key of the BibTeX that the page shows and downloads, and the name of
    the entry in ``objects.inv``.
    """
    name = _KEY_BAD.sub("_", key) or "entry"
    if len(name) > KEY_MAX:
        name = name[: KEY_MAX - 9].rstrip("_") + "-" + _key_hash(key)
    return name


def key_slug(key: str, unique: bool = False) -> str:
    """*key* as an HTML id fragment and a file name: ASCII letters, digits, ``_`` and
    ``-`` (each run of other characters made ``-``, ``Smith:2020`` ->
    ``Smith-2020``), at most :data:`KEY_MAX` characters, ``entry`` when nothing is
    left.  *unique*: a key that had to change gets a short hash of the key, so that
    two keys never share a slug (paper page names)."""
    slug = _SLUG_BAD.sub("-", key).strip("-") or "entry"
    changed = slug != key
    if len(slug) > KEY_MAX:
        slug = slug[: KEY_MAX - 9].rstrip("-")
        changed = True
    if unique and changed:
        slug += "-" + _key_hash(key)
    return slug


def key_problem(record: Publication) -> Problem | None:
    """The warning for a key that cannot be used as it is, as a name (see
    :func:`key_name`), else None."""
    name = key_name(record.key)
    if name == record.key:
        return None
    return Problem(
        record.source,
        printable(
            f"entry key {record.key!r} cannot be used as it is (whitespace, control "
            f"characters, ',{{}}()\"#%=\\' or too long); it is written as {name!r}"
        ),
        Subtype.KEY,
    )
