"""Read BibTeX (and biblatex) files into :class:`~sphinx_pubs.core.model.Publication` records.

Our own linear-time scanner (:mod:`.scanner`) reads the file into blocks, each with its
line, fields and syntax errors (an error costs as little of its entry as it can, and
never the entries after it); this module makes records of them, and every problem a
:class:`~sphinx_pubs.core.model.Problem` instead of an exception.  pybtex splits names.
"""

from __future__ import annotations

import re
import unicodedata

from pybtex.bibtex.utils import split_name_list

from sphinx_pubs.core.html import read_field_html, strip_tags, written_html
from sphinx_pubs.core.latex.decoder import decode, decode_plain
from sphinx_pubs.core.markdown import read_markdown
from sphinx_pubs.core.model import (
    Content,
    Person,
    Problem,
    Publication,
    RichText,
    Source,
    printable,
)
from sphinx_pubs.core.names import clean_names, comma_list, gather_marks, name_parts
from sphinx_pubs.core.subtype import Subtype
from sphinx_pubs.core.vocab import (
    DATA_TYPES,
    ISO_YEAR_MONTH,
    KNOWN_TYPES,
    PERSON_FIELDS,
    TEXT_FIELDS,
    TYPE_ALIASES,
)
from sphinx_pubs.sources.crossref import resolve_crossrefs
from sphinx_pubs.sources.dates import MONTHS, UNDATED_WORDS, parse_year, read_month
from sphinx_pubs.sources.scanner import Scanner
from sphinx_pubs.sources.scanner_values import MONTH_MACROS, Block

_WS = re.compile(r"\s+")
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n\s*|\\par\b\s*")


_SHORT_WORDS = frozenset("a an the of on in at to for and or with from by is are".split())
_NOT_ASCII_WORD = re.compile(r"[^a-z0-9]+")


def _ascii_words(text: str) -> list[str]:
    """The words of *text* in lower-case ASCII, accents dropped."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return [word for word in _NOT_ASCII_WORD.split(folded.lower()) if word]


_AND = re.compile(" [Aa][Nn][Dd] ")


def split_names(value: str) -> list[str]:
    """pybtex's ``split_name_list`` (names separated by `` and `` outside braces),
    without its machinery when the text has no braces (most lists)."""
    if "{" in value:
        return list(split_name_list(value))
    return [name.strip() for name in _AND.split(value)] if value else []


def decode_name(text: str) -> tuple[Person, list[str]]:
    """One BibTeX name split into its parts (:func:`~sphinx_pubs.core.names.name_parts`)
    and each word decoded from LaTeX, and the problems met doing it."""
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
    return Person(*decoded), messages


def _subtype(message: str) -> Subtype:
    """Name-splitting problems are ``entry`` problems; the rest come from the decoder."""
    return Subtype.ENTRY if message.startswith("name ") else Subtype.LATEX


class BibtexReader:
    """Turns the text of one BibTeX file into records and problems."""

    def __init__(self, path: str, macros: dict[str, str] | None = None) -> None:
        self.path = path
        # BibTeX ignores case in macro names (``@string{stoc=...}`` ... ``STOC``)
        self.macros = {**MONTH_MACROS, **{k.lower(): v for k, v in (macros or {}).items()}}
        self._given = dict(self.macros)
        #: macros used and not defined (lower-case names)
        self.undefined: set[str] = set()
        self.records: list[Publication] = []
        self.problems: list[Problem] = []
        #: parsed names, by their text in the file
        self._names: dict[str, tuple[Person, list[str]]] = {}

    def problem(self, line: int, message: str, subtype: Subtype) -> None:
        self.problems.append(Problem(Source(self.path, line), printable(message), subtype))

    def read(self, text: str) -> None:
        """Parse *text*.  ``@string`` macros carry over between blocks."""
        blocks = list(Scanner(text, self.macros, self.undefined, frozenset(MONTHS)))
        keys = {block.key for block in blocks if block.key}
        seen: dict[str, int] = {}
        for block in blocks:
            self._entry(block, seen, keys)

    def _entry(self, block: Block, seen: dict[str, int], keys: set[str]) -> None:
        command, line, key = block.command, block.line, block.key
        kind = command.lower()
        if not kind or kind in ("string", "preamble") or kind in DATA_TYPES:
            for error_line, message, subtype in block.errors:
                self.problem(error_line, message, Subtype(subtype))
            return
        for error_line, message, subtype in block.errors:
            where = f"entry {key!r}: " if key else ""
            self.problem(error_line, where + message, Subtype(subtype))
        fields = block.fields
        syntax = any(subtype == Subtype.SYNTAX for _, _, subtype in block.errors)
        if not fields:
            if not key:
                self.problem(line, f"@{command} entry without a key skipped", Subtype.SYNTAX)
                return
            if syntax:
                self.problem(
                    line, f"entry {key!r} skipped: none of its fields could be read", Subtype.SYNTAX
                )
                return
        if not key:
            key = self._made_key(fields, keys)
            keys.add(key)
            self.problem(line, f"@{command} entry without a key; listed as {key!r}", Subtype.SYNTAX)
        if key in seen:
            self.problem(
                line,
                f"duplicate key {key!r} (first defined at line {seen[key]}); this entry is skipped",
                Subtype.DUPLICATE,
            )
            return
        seen[key] = line
        field_lines: dict[str, int] = {}
        for name, _, field_line in fields:
            field_lines.setdefault(name.lower(), field_line)
        try:
            self.records.append(self._record(kind, key, fields, line, field_lines))
        except Exception as error:  # one broken entry must never break a build
            self.problem(line, f"entry {key!r} skipped: {error}", Subtype.ENTRY)

    def _made_key(self, fields: list[tuple[str, str, int]], keys: set[str]) -> str:
        """A key for an entry that has none (Mendeley writes ``@article{,``): ``anon-``,
        the first author's last name, the year and the first word of the title that is
        not a short word, in lower-case ASCII (``anon-lee2020deep``); ``-2``, ``-3`` ...
        after it when another entry of the file has that key.  The same file gives the
        same keys on every build."""
        values: dict[str, str] = {}
        for name, value, _ in fields:
            values.setdefault(name.lower(), value)
        last = ""
        names = split_names(_WS.sub(" ", values.get("author", values.get("editor", ""))))
        if names:
            parts, _ = name_parts(names[0])
            last = " ".join(parts[3])
        year = parse_year(values.get("year", values.get("date", "")))
        words = [
            word
            for word in _ascii_words(decode_plain(values.get("title", ""))[0])
            if word not in _SHORT_WORDS
        ]
        stem = "anon-" + "".join(_ascii_words(decode_plain(last)[0]))
        stem += (str(year) if year else "") + (words[0] if words else "")
        key, number = stem, 1
        while key in keys:
            number += 1
            key = f"{stem}-{number}"
        return key

    def _record(
        self,
        kind: str,
        key: str,
        raw_fields: list[tuple[str, str, int]],
        line: int,
        field_lines: dict[str, int],
    ) -> Publication:
        source = Source(self.path, line)
        kind = TYPE_ALIASES.get(kind.replace("_", ""), kind)
        record = Publication(key=key, type=kind, source=source)
        if kind not in KNOWN_TYPES:
            self.problem(
                line, f"entry {key!r} has unknown type @{kind}; shown as @misc", Subtype.TYPE
            )
        fields: dict[str, str] = {}
        for name, value, at in raw_fields:
            lname = name.lower()
            if lname in fields:  # reported at the repeated field's own line
                self.problem(
                    at or line,
                    f"entry {key!r}: duplicate field {name!r} ignored",
                    Subtype.DUPLICATE,
                )
                continue
            fields[lname] = value
        record.fields = fields
        record.field_lines = field_lines
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
            self.problem(line, f"entry {key!r} has no title", Subtype.ENTRY)
        self._date(
            record,
            field_lines.get("year", field_lines.get("date", line)),
            field_lines.get("month", line),
        )
        return record

    def _decode(self, key: str, name: str, value: str, line: int) -> RichText:
        rich, messages = decode(value)  # fast when there is nothing to decode
        for message in messages:
            self.problem(line, f"entry {key!r}, field {name!r}: {message}", Subtype.LATEX)
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
        for text in clean_names(split_names(value)):
            parts = comma_list(text)
            if parts is None:
                names.append(text)
                continue
            self.problem(
                line,
                f"entry {key!r}, field {name!r}: names separated by commas, not 'and': "
                f"{text!r} read as {len(parts)} names",
                Subtype.ENTRY,
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
        person, messages = decode_name(text)
        return gather_marks(person), messages

    def _date(self, record: Publication, line: int, month_line: int) -> None:
        fields = record.fields
        year_text = fields.get("year", "").strip()
        month_text = fields.get("month", "").strip()
        date = fields.get("date", "").strip()
        if not year_text and date:
            # biblatex: date = {2021-05-03} (or a range, 2021-05/2021-06)
            match = ISO_YEAR_MONTH.match(date)
            if match:
                year_text = match.group(1)
                if not month_text and match.group(2):
                    month_text = match.group(2)
            elif date.lower() not in UNDATED_WORDS:
                self.problem(
                    line,
                    f"entry {record.key!r}: date {date!r} not understood (biblatex dates "
                    "are YYYY, YYYY-MM or YYYY-MM-DD); listed with the undated entries",
                    Subtype.ENTRY,
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
                    Subtype.ENTRY,
                )
            elif "crossref" not in fields:  # the parent may have it
                self.problem(
                    line,
                    f"entry {record.key!r} has no year; listed with the undated entries",
                    Subtype.ENTRY,
                )
        if month_text:
            record.month, record.month_label = read_month(decode_plain(month_text)[0])
            if record.month is None and not record.month_label:
                self.problem(
                    month_line,
                    f"entry {record.key!r}: month {month_text!r} not understood; ignored",
                    Subtype.ENTRY,
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
