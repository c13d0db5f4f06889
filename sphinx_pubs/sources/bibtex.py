"""Read BibTeX (and biblatex) files into :class:`~sphinx_pubs.model.Publication` records.

pybtex's low-level scanner does the tokenising; this module drives it so that every
entry keeps its line number, a syntax error costs only the entry it is in (the scanner
resynchronises at the next ``@``), and every problem becomes a
:class:`~sphinx_pubs.model.Problem` instead of an exception.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import Any

from pybtex.bibtex.utils import split_name_list
from pybtex.database.input.bibtex import (
    LowLevelParser,
    SkipEntry,
    UndefinedMacro,
    month_names,
)
from pybtex.exceptions import PybtexError
from pybtex.scanner import Pattern, PrematureEOF, PybtexSyntaxError
from pybtex.utils import CaseInsensitiveDict

from ..latex import decode, decode_plain
from ..markup import read_field_html, read_markdown, strip_tags, written_html
from ..model import Content, Person, Problem, Publication, RichText, Source, printable
from ..names import clean_names, comma_list, gather_marks, name_parts
from .crossref import resolve_crossrefs

#: Entry types BibTeX and biblatex define; anything else is rendered like ``misc``
#: with a warning.
KNOWN_TYPES = frozenset(
    [
        "article",
        "book",
        "booklet",
        "conference",
        "inbook",
        "incollection",
        "inproceedings",
        "manual",
        "mastersthesis",
        "misc",
        "phdthesis",
        "proceedings",
        "techreport",
        "unpublished",
        "bookinbook",
        "collection",
        "dataset",
        "electronic",
        "mvbook",
        "mvcollection",
        "mvproceedings",
        "mvreference",
        "online",
        "patent",
        "periodical",
        "reference",
        "report",
        "set",
        "software",
        "suppbook",
        "suppcollection",
        "suppperiodical",
        "thesis",
        "www",
        "artwork",
        "audio",
        "image",
        "jurisdiction",
        "legislation",
        "legal",
        "letter",
        "movie",
        "music",
        "performance",
        "review",
        "standard",
        "video",
    ]
)

#: Entry types of other tools (Zotero's and CSL's names, exported as BibTeX types by
#: some sites) read as the nearest BibTeX type, for the venue and the type groups.
TYPE_ALIASES = {
    "journalarticle": "article",
    "journal-article": "article",
    "articlejournal": "article",
    "article-journal": "article",
    "magazinearticle": "article",
    "newspaperarticle": "article",
    "conferencepaper": "inproceedings",
    "paper-conference": "inproceedings",
    "paperconference": "inproceedings",
    "conferenceproceedings": "proceedings",
    "proceedingsarticle": "inproceedings",
    "posterabstract": "inproceedings",
    "poster": "inproceedings",
    "presentation": "misc",
    "abstract": "inproceedings",
    "chapter": "incollection",
    "bookchapter": "incollection",
    "book-chapter": "incollection",
    "booksection": "incollection",
    "encyclopediaarticle": "incollection",
    "dictionaryentry": "incollection",
    "preprint": "misc",
    "workingpaper": "techreport",
    "webpage": "online",
    "blogpost": "online",
    "computerprogram": "software",
    "dissertation": "phdthesis",
}

#: Name-list fields, split into :class:`Person` records.
PERSON_FIELDS = ("author", "editor")

#: Fields decoded from LaTeX when the file is read: the ones the page shows.  Every
#: other field is kept as written in :attr:`Publication.fields` (identifiers, links,
#: dates, and fields no page shows, whose LaTeX would only cause warnings).
TEXT_FIELDS = frozenset(
    """
    title subtitle titleaddon shorttitle maintitle booktitle booksubtitle journal
    journaltitle journalsubtitle issuetitle school institution publisher organization
    howpublished location address venue eventtitle note addendum additional_info
    series edition chapter volume number pages type version language award award_name
    annotation abbr
    """.split()
)

#: biblatex entry types that hold data for other entries rather than a publication
DATA_TYPES = frozenset({"set", "xdata"})

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january", "janvier", "januar"),
            ("feb", "february", "fevrier", "februar"),
            ("mar", "march", "mars", "marz"),
            ("apr", "april", "avril"),
            ("may", "mai"),
            ("jun", "june", "juin", "juni"),
            ("jul", "july", "juillet", "juli"),
            ("aug", "august", "aout"),
            ("sep", "sept", "september", "septembre"),
            ("oct", "october", "octobre", "oktober"),
            ("nov", "november", "novembre"),
            ("dec", "december", "decembre", "dezember"),
        ],
        start=1,
    )
    for name in names
}

#: year texts that mark an entry as deliberately undated: no warning for these
UNDATED_WORDS = frozenset(
    {
        "in press",
        "inpress",
        "forthcoming",
        "to appear",
        "accepted",
        "submitted",
        "under review",
        "in review",
        "in preparation",
        "in prep.",
        "preprint",
        "n.d.",
        "nd",
        "no date",
        "undated",
    }
)
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_ISO_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?")
_WS = re.compile(r"\s+")
_COMMENT = re.compile(r"comment\s*[{(]", re.IGNORECASE)
_COMMENT_BLOCK = re.compile(r"[ \t]*@\s*comment\s*([{(])", re.IGNORECASE)
_BLOCK_START = re.compile(r"^[ \t]*@", re.MULTILINE)
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n\s*|\\par\b\s*")


def parse_month(value: str) -> int | None:
    """Month number from ``mar``, ``March``, ``3``, ``03`` or ``Mar.``; None if unknown."""
    text = value.strip().rstrip(".").lower()
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= 12 else None
    return MONTHS.get(text)


_MONTH_PIECE = re.compile(
    r"([^\W\d_]+)\.?|(\d{1,2})(?:st|nd|rd|th)?|([-\u2010-\u2015/]+|to)|([\s,]+)"
)
_ISO_DATETIME = re.compile(r"^\d{4}-(\d{1,2})(?:-(\d{1,2}))?(?:[T ][\d:.]*(?:Z|[+-][\d:]+)?)?$")
_SEASONS = frozenset({"spring", "summer", "fall", "autumn", "winter"})
_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def read_month(value: str) -> tuple[int | None, str]:
    """The month of a ``month`` field and how it reads when it is more than a month:
    ``(3, "")`` for ``mar``, ``(5, "May 17")`` for ``may # "~17"``, ``(10, "Oct–Nov")``
    for ``oct # {-} # nov``, ``(5, "May 17")`` for ``2023-05-17T10:00:00Z``,
    ``(None, "Spring")`` for a season; ``(None, "")`` when nothing can be understood."""
    text = value.replace("\xa0", " ").strip()
    number = parse_month(text)
    if number is not None:
        return number, ""
    iso = _ISO_DATETIME.match(text)
    if iso:
        number = int(iso.group(1))
        if not 1 <= number <= 12:
            return None, ""
        date = int(iso.group(2) or 0)
        return number, f"{_ABBR[number - 1]} {date}" if 1 <= date <= 31 else ""
    if text.lower() in _SEASONS:
        return None, text.capitalize()
    pieces: list[str] = []
    first: int | None = None
    pos = 0
    while pos < len(text):
        m = _MONTH_PIECE.match(text, pos)
        if m is None:
            return None, ""
        pos = m.end()
        word, day, dash = m.group(1), m.group(2), m.group(3)
        if word is not None and word.lower() != "to":
            month = MONTHS.get(word.lower())
            if month is None:
                return None, ""
            first = first or month
            pieces.append(_ABBR[month - 1])
        elif day is not None:
            if not 1 <= int(day) <= 31:
                return None, ""
            pieces.append(str(int(day)))
        elif dash is not None or word is not None:
            pieces.append("\u2013")
        elif pieces and pieces[-1] not in (" ", "\u2013"):
            pieces.append(" ")
    if first is None:
        return None, ""
    label = "".join(pieces).strip(" \u2013")
    return first, label.replace(" \u2013", "\u2013").replace("\u2013 ", "\u2013")


def parse_year(value: str) -> int | None:
    """The first four-digit number in *value* (``2021``, ``2021a``, ``{2021}``)."""
    match = _YEAR.search(value)
    return int(match.group(1)) if match else None


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """``(first line, text)`` of each block that starts with ``@`` at a line start.

    An ``@comment{...}`` block runs to its closing brace, over the lines that
    follow it: entries commented out inside it are not read.
    """
    starts = [match.start() for match in _BLOCK_START.finditer(text)]
    line, previous, skip_to = 1, 0, -1
    for index, start in enumerate(starts):
        if start < skip_to:
            continue
        line += text.count("\n", previous, start)
        previous = start
        following = index + 1
        comment = _COMMENT_BLOCK.match(text, start)
        if comment:
            # an unclosed comment is taken to end at the next entry: damage in one
            # place must not cost every entry after it
            skip_to = _balanced_end(text, comment.end(), comment.group(1))
            following = bisect.bisect_left(starts, skip_to, following)
        end = starts[following] if following < len(starts) else len(text)
        yield line, text[start:end]


def _balanced_end(text: str, pos: int, opening: str) -> int:
    """Where the group opened just before *pos* by *opening* (``{`` or ``(``) ends;
    -1 when it is never closed."""
    closing = "}" if opening == "{" else ")"
    depth = 1
    while depth and pos < len(text):
        char = text[pos]
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
        pos += 1
    return pos if depth == 0 else -1


class _Scanner(LowLevelParser):  # type: ignore[misc]
    """pybtex's scanner, keeping the line of each entry and collecting errors."""

    #: whitespace, and biber's "% comments" between fields (no BibTeX token starts
    #: with "%"); one regular expression keeps the scanner's hottest path fast
    WHITESPACE = Pattern(r"(?:\s+|%[^\n]*)+", "whitespace")

    pos: int
    lineno: int
    end_pos: int
    text: str

    def __init__(
        self,
        text: str,
        macros: dict[str, str],
        errors: list[tuple[int, str]],
        undefined: set[str],
    ):
        super().__init__(text, macros=macros, handle_error=self._collect)
        self.errors = errors
        self.undefined = undefined
        self.entry_line = 1
        #: line of each field of the entry being read (lower-case names)
        self.field_lines: dict[str, int] = {}

    def _collect(self, error: Exception) -> None:
        line = getattr(error, "lineno", None) or self.lineno
        if isinstance(error, UndefinedMacro):
            self.undefined.add(PybtexError.__str__(error).lower())
        self.errors.append((line, _error_message(error)))

    def parse_command(self) -> Iterator[Any]:
        # ``command_start`` points at the "@"; count lines up to it.
        self.entry_line = self.lineno
        self.field_lines = {}
        comment = _COMMENT.match(self.text, self.pos)
        if comment:
            self._skip_comment(comment.end())
        result = super().parse_command()
        return result  # type: ignore[no-any-return]

    def _skip_comment(self, start: int) -> None:
        """Skip an ``@comment{...}`` body, braces balanced (as biber and JabRef do)."""
        closing = ")" if self.text[start - 1] == "(" else "}"
        depth, pos = 1, start
        while pos < self.end_pos and depth:
            char = self.text[pos]
            if char == "{" or (char == "(" and closing == ")"):
                depth += 1
            elif char == "}" or (char == ")" and closing == ")"):
                depth -= 1
            pos += 1
        self.update_lineno(self.text[self.pos : pos])
        self.pos = pos
        raise SkipEntry

    def parse_field(self) -> None:
        self.eat_whitespace()
        line = self.lineno
        super().parse_field()
        if self.current_field_name:
            self.field_lines.setdefault(self.current_field_name.lower(), line)


def _error_message(error: Exception) -> str:
    if isinstance(error, PybtexSyntaxError):
        detail = PybtexError.__str__(error)
        if isinstance(error, PrematureEOF):
            return "BibTeX syntax error: the entry ends before a brace or quote is closed"
        if isinstance(error, UndefinedMacro):
            return f"BibTeX syntax error: undefined @string macro {detail!r}, left empty"
        return f"BibTeX syntax error: {detail}"
    return str(error)


def _subtype(message: str) -> str:
    """Name-splitting problems are ``entry`` problems; the rest come from the decoder."""
    return "entry" if message.startswith("name ") else "latex"


class BibtexReader:
    """Turns the text of one BibTeX file into records and problems."""

    def __init__(self, path: str, macros: dict[str, str] | None = None) -> None:
        self.path = path
        # BibTeX ignores case in macro names (``@string{stoc=...}`` ... ``STOC``)
        # ``month = June``: the full names read as the abbreviations do
        full = {name.lower(): name for name in month_names.values()} | {"sept": "September"}
        self.macros = CaseInsensitiveDict({**full, **month_names, **(macros or {})})
        self._given = CaseInsensitiveDict(dict(self.macros.items()))
        #: macros used and not defined (lower-case names)
        self.undefined: set[str] = set()
        self.records: list[Publication] = []
        self.problems: list[Problem] = []
        #: parsed names, by their text in the file
        self._names: dict[str, tuple[Person, list[str]]] = {}

    def problem(self, line: int, message: str, subtype: str) -> None:
        self.problems.append(Problem(Source(self.path, line), printable(message), subtype))

    def read(self, text: str) -> None:
        """Parse *text*, one ``@`` block at a time.

        Each block starts at an ``@`` at the beginning of a line, so an error (an
        unclosed brace, a missing comma) is confined to its own entry and the parse
        resumes at the next one.  ``@string`` macros carry over between blocks.
        """
        seen: dict[str, int] = {}
        for first_line, chunk in _blocks(text):
            errors: list[tuple[int, str]] = []
            scanner = _Scanner(chunk, self.macros, errors, self.undefined)
            scanner.lineno = first_line
            for item in scanner:
                self._entry(item, scanner.entry_line, scanner.field_lines, errors, seen)
                errors.clear()
            for error_line, message in errors:
                self.problem(error_line, message, "syntax")

    def _entry(
        self,
        item: tuple[str, Any],
        line: int,
        field_lines: dict[str, int],
        errors: list[tuple[int, str]],
        seen: dict[str, int],
    ) -> None:
        command, body = item
        kind = command.lower()
        if kind in ("string", "preamble") or kind in DATA_TYPES:
            for error_line, message in errors:
                self.problem(error_line, message, "syntax")
            return
        key, raw_fields = body
        for error_line, message in errors:
            where = f"entry {key!r}: " if key else ""
            self.problem(error_line, where + message, "syntax")
        if not key:
            self.problem(line, f"@{command} entry without a key skipped", "syntax")
            return
        if errors and not raw_fields:
            self.problem(line, f"entry {key!r} skipped: none of its fields could be read", "syntax")
            return
        if key in seen:
            self.problem(
                line,
                f"duplicate key {key!r} (first defined at line {seen[key]}); this entry is skipped",
                "duplicate",
            )
            return
        seen[key] = line
        try:
            self.records.append(self._record(kind, key, raw_fields, line, field_lines))
        except Exception as error:  # one broken entry must never break a build
            self.problem(line, f"entry {key!r} skipped: {error}", "entry")

    def _record(
        self,
        kind: str,
        key: str,
        raw_fields: list[tuple[str, list[str]]],
        line: int,
        field_lines: dict[str, int],
    ) -> Publication:
        source = Source(self.path, line)
        kind = TYPE_ALIASES.get(kind.replace("_", ""), kind)
        record = Publication(key=key, type=kind, source=source)
        if kind not in KNOWN_TYPES:
            self.problem(line, f"entry {key!r} has unknown type @{kind}; shown as @misc", "type")
        fields: dict[str, str] = {}
        for name, parts in raw_fields:
            lname = name.lower()
            if lname in fields:
                self.problem(line, f"entry {key!r}: duplicate field {name!r} ignored", "duplicate")
                continue
            fields[lname] = "".join(parts)
        record.fields = fields
        for name, value in fields.items():
            at = field_lines.get(name, line)
            if name in PERSON_FIELDS:
                people = self._people(key, name, value, at)
                if name == "author":
                    record.authors = people
                else:
                    record.editors = people
            elif name == "abstract":
                record.abstract = self._paragraphs(key, name, value, at)
            elif name in TEXT_FIELDS:
                record.text[name] = self._decode(key, name, value, at)
        record.title = record.text.get("title", ())
        if not record.title and "crossref" not in fields:  # may come from the parent
            self.problem(line, f"entry {key!r} has no title", "entry")
        self._date(
            record,
            field_lines.get("year", field_lines.get("date", line)),
            field_lines.get("month", line),
        )
        return record

    def _decode(self, key: str, name: str, value: str, line: int) -> RichText:
        rich, messages = decode(value)  # fast when there is nothing to decode
        for message in messages:
            self.problem(line, f"entry {key!r}, field {name!r}: {message}", "latex")
        if written_html(value):  # al-folio passes the HTML of fields through: read it
            rich = read_field_html(rich)
        if name == "additional_info":  # al-folio renders it as Markdown
            rich = read_markdown(rich)
        return rich

    def _paragraphs(self, key: str, name: str, value: str, line: int) -> tuple[RichText, ...]:
        paragraphs = []
        chunks = _PARAGRAPH.split(value) if "\n" in value or "\\par" in value else [value]
        for chunk in chunks:
            rich = self._decode(key, name, chunk, line)
            if rich:
                paragraphs.append(rich)
        return tuple(paragraphs)

    def _people(self, key: str, name: str, value: str, line: int) -> tuple[Person, ...]:
        value = _WS.sub(" ", strip_tags(value)).strip()
        people = []
        names = []
        for text in clean_names(split_name_list(value)):
            parts = comma_list(text)
            if parts is None:
                names.append(text)
                continue
            self.problem(
                line,
                f"entry {key!r}, field {name!r}: names separated by commas, not 'and': "
                f"{text!r} read as {len(parts)} names",
                "entry",
            )
            names.extend(parts)
        for text in names:
            known = self._names.get(text)
            if known is None:
                known = self._names[text] = self._person(text)
            person, messages = known
            for message in messages:
                self.problem(line, f"entry {key!r}, field {name!r}: {message}", _subtype(message))
            people.append(person)
        return tuple(people)

    def _person(self, text: str) -> tuple[Person, list[str]]:
        """One name split into parts and decoded, and the problems met doing it.

        Names repeat across a bibliography (its owner is on every entry), so the
        reader keeps each answer for the rest of the file.
        """
        messages: list[str] = []
        parts, error = name_parts(text)
        if error:
            messages.append(f"name {text!r} kept whole: {error}")
        decoded = []
        for part in parts:
            words = []
            for word in part:
                word, problems = decode_plain(word)
                messages.extend(problems)
                if word:
                    words.append(word)
            decoded.append(tuple(words))
        return gather_marks(Person(*decoded)), messages

    def _date(self, record: Publication, line: int, month_line: int) -> None:
        fields = record.fields
        year_text = fields.get("year", "").strip()
        month_text = fields.get("month", "").strip()
        date = fields.get("date", "").strip()
        if not year_text and date:
            # biblatex: date = {2021-05-03} (or a range, 2021-05/2021-06)
            match = _ISO_DATE.match(date)
            if match:
                year_text = match.group(1)
                if not month_text and match.group(2):
                    month_text = match.group(2)
            elif date.lower() not in UNDATED_WORDS:
                self.problem(
                    line,
                    f"entry {record.key!r}: date {date!r} not understood (biblatex dates "
                    "are YYYY, YYYY-MM or YYYY-MM-DD); listed with the undated entries",
                    "entry",
                )
                return
            else:
                year_text = date
        if year_text:
            year_text, _ = decode_plain(year_text)
        record.year_text = year_text
        record.year = parse_year(year_text) if year_text else None
        if record.year is None and year_text.strip().lower() not in UNDATED_WORDS:
            if year_text:
                self.problem(
                    line,
                    f"entry {record.key!r} has no usable year ({year_text!r}); "
                    "listed with the undated entries",
                    "entry",
                )
            elif "crossref" not in fields:  # the parent may have it
                self.problem(
                    line,
                    f"entry {record.key!r} has no year; listed with the undated entries",
                    "entry",
                )
        if month_text:
            record.month, record.month_label = read_month(decode_plain(month_text)[0])
            if record.month is None and not record.month_label:
                self.problem(
                    month_line,
                    f"entry {record.key!r}: month {month_text!r} not understood; ignored",
                    "entry",
                )

    def defined(self) -> dict[str, str]:
        """The macros the file defined (or redefined), by lower-case name."""
        return {
            name.lower(): value
            for name, value in self.macros.items()
            if self._given.get(name) != value
        }


def read_bibtex(path: str, text: str, macros: dict[str, str] | None = None) -> Content:
    """Parse BibTeX *text* (the content of the file at *path*), with *macros* (those of
    the files before it in a list) defined beforehand."""
    if "\r" in text:  # old Mac (CR) and Windows (CRLF) line ends: lines as editors count them
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = BibtexReader(path, macros)
    reader.read(text)
    # children take what they lack from parents in the same file now, once; the
    # directive completes those whose parent is in another file of its list
    records, _ = resolve_crossrefs(reader.records, final=False)
    return Content(records, reader.problems, reader.defined(), frozenset(reader.undefined))


def read_bibtex_text(path: str, text: str) -> tuple[list[Publication], list[Problem]]:
    """Records and problems of BibTeX *text* (the content of the file at *path*)."""
    content = read_bibtex(path, text)
    return content.records, content.problems
