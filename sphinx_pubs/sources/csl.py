"""Read CSL-JSON files (Zotero, Mendeley, pandoc, citeproc) into records.

Each CSL item becomes the :class:`~sphinx_pubs.core.model.Publication` the BibTeX reader
gives for the equivalent entry: a BibTeX entry type, the BibTeX names of the fields
(``container-title`` is ``journal`` for an article, ``booktitle`` for a paper in
proceedings, ``issue`` is ``number``...), names split into pybtex's parts, and the
date as ``year`` and ``month``.  Every later stage (grouping, the venue line, link
buttons, the BibTeX toggle) therefore works unchanged.

The file is decoded one item at a time (:mod:`sphinx_pubs.sources.json_items`), so
every record knows the line of its ``{``, and a syntax error costs only the item it is
in.  No input raises; every problem becomes a :class:`~sphinx_pubs.core.model.Problem`.
Text variables may hold CSL's rich text (:mod:`sphinx_pubs.sources.csl_rich`).
"""

from __future__ import annotations

import re
from typing import Any

from sphinx_pubs.core.model import (
    Person,
    Problem,
    Publication,
    RichText,
    Source,
    plain,
)
from sphinx_pubs.core.subtype import Subtype
from sphinx_pubs.core.vocab import (
    CSL_DATE_FIELDS,
    CSL_FIELDS,
    CSL_NAME_FIELDS,
    ENTRY_TYPES,
    ISO_DATE_FIRST,
    OTHER_TYPE,
    RICH_VARIABLES,
    TEXT_FIELDS,
    TYPE_MAP,
)
from sphinx_pubs.sources.csl_rich import read_rich
from sphinx_pubs.sources.dates import UNDATED_WORDS, parse_month, parse_year
from sphinx_pubs.sources.json_items import JsonItems, Unusable, clean_value, describe

#: ``genre`` words that make a CSL ``thesis`` a master's thesis
_MASTERS = re.compile(r"\bmaster|\bM\.?\s?(?:Sc|A|S|Phil|Eng)\b\.?|\bmagister", re.IGNORECASE)

#: what is written to ``fields`` never comes from these item keys
_IGNORED = frozenset({"id", "type", "issued", "custom", "citation-key", "citation-label"})

_WS = re.compile(r"\s+")
_PARAGRAPHS = re.compile(r"\s*\n\s*")
_PAGE_RANGE = re.compile(r"(?<=[0-9A-Za-z])\s*[-\u2010-\u2013]\s*(?=[0-9A-Za-z])")
#: a date part written as text: ASCII digits only (``"²".isdigit()`` is true)
_DATE_PART = re.compile(r"\s*-?[0-9]{1,4}\s*\Z")


# -- names --------------------------------------------------------------------------------
def _words(value: str) -> tuple[str, ...]:
    return tuple(value.split())


def _braced(part: str) -> str:
    return f"{{{part}}}" if "," in part or " and " in part.lower() else part


class CslReader(JsonItems):
    """Turns the text of one CSL-JSON file into records and problems."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.records: list[Publication] = []

    def item(self, item: dict[str, Any], line: int, seen: dict[str, int], unclean: bool) -> None:
        """Read the decoded *item* into a record (see :meth:`JsonItems.item`)."""
        item, replaced = clean_value(item) if unclean else (item, 0)
        ident = item.get("id")
        if (
            isinstance(ident, bool)
            or not isinstance(ident, (str, int, float))
            or not str(ident).strip()
        ):
            title = item.get("title")
            named = f" (title {title[:60]!r})" if isinstance(title, str) and title else ""
            found = "" if ident is None else f" ({describe(ident)})"
            self.problem(line, f"item without a usable id{found}{named} skipped", Subtype.ENTRY)
            return
        key = str(ident).strip()
        if key in seen:
            self.problem(
                line,
                f"duplicate id {key!r} (first defined at line {seen[key]}); this entry is skipped",
                Subtype.DUPLICATE,
            )
            return
        seen[key] = line
        if replaced:
            self.problem(
                line,
                f"entry {key!r}: {replaced} character{'s' if replaced > 1 else ''} that no "
                "file can hold (lone surrogates, control characters) replaced with U+FFFD",
                Subtype.ENCODING,
            )
        try:
            self.records.append(self._record(key, item, line))
        except Exception as error:  # one broken item must never break a build
            self.problem(line, f"entry {key!r} skipped: {error}", Subtype.ENTRY)

    # -- one item -------------------------------------------------------------------------
    def _record(self, key: str, item: dict[str, Any], line: int) -> Publication:
        kind = self._type(key, item, line)
        record = Publication(key=key, type=kind, source=Source(self.path, line))
        fields: dict[str, str] = {}
        names: dict[str, str] = {}
        for variable, value in item.items():
            if variable in _IGNORED or value is None:
                continue
            if variable in CSL_NAME_FIELDS:
                people, bibtex = self._people(key, variable, value, line)
                if variable == "author":
                    record.authors = people
                elif variable == "editor":
                    record.editors = people
                if bibtex:
                    names[CSL_NAME_FIELDS[variable]] = bibtex
                continue
            if variable in CSL_DATE_FIELDS:
                iso = self._iso(value)
                if iso:
                    fields.setdefault(CSL_DATE_FIELDS[variable], iso)
                continue
            text = self._text(key, variable, value, line)
            if text is None:
                continue
            name = self._field_name(variable, kind, item)
            if name is None or name in fields:
                continue
            self._store(record, fields, key, name, variable, text, line)
        self._custom(record, item.get("custom"), fields, line)
        self._date(record, item, fields, line)
        # the BibTeX toggle lists names and title first, as BibTeX files usually do
        title = {"title": fields.pop("title")} if "title" in fields else {}
        record.fields = {**names, **title, **fields}
        record.title = record.text.get("title", ())
        if not record.title:
            self.problem(line, f"entry {key!r} has no title", Subtype.ENTRY)
        return record

    def _type(self, key: str, item: dict[str, Any], line: int) -> str:
        csl_type = item.get("type")
        if not isinstance(csl_type, str) or not csl_type.strip():
            found = "" if csl_type is None else f" ({describe(csl_type)})"
            self.problem(
                line, f"entry {key!r} has no CSL type{found}; shown as @misc", Subtype.TYPE
            )
            return "misc"
        csl_type = csl_type.strip()
        kind = TYPE_MAP.get(csl_type) or TYPE_MAP.get(csl_type.lower().replace("_", "-"))
        if kind is None:
            kind = TYPE_MAP.get(csl_type.lower())
        if kind is None:
            self.problem(
                line,
                f"entry {key!r} has unknown CSL type {csl_type!r}; shown as @misc",
                Subtype.TYPE,
            )
            return "misc"
        if kind == "phdthesis":
            genre = item.get("genre")
            if isinstance(genre, str) and _MASTERS.search(genre):
                return "mastersthesis"
        return kind

    def _text(self, key: str, variable: str, value: object, line: int) -> str | None:
        """A text variable's value; numbers are text; anything else is reported."""
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if variable == "keyword" and isinstance(value, list):  # some exporters write a list
            words = [str(word) for word in value if isinstance(word, (str, int, float))]
            return ", ".join(words)
        self.problem(
            line,
            f"entry {key!r}, variable {variable!r}: expected text, found {describe(value)}; "
            "ignored",
            Subtype.ENTRY,
        )
        return None

    def _field_name(self, variable: str, kind: str, item: dict[str, Any]) -> str | None:
        if variable == "container-title":
            return ENTRY_TYPES.get(kind, OTHER_TYPE).container
        if variable == "publisher":
            return ENTRY_TYPES.get(kind, OTHER_TYPE).publisher
        if variable == "issue":
            return "number"
        if variable == "number":
            return None if "issue" in item else "number"
        if (
            kind == "misc"
            and variable in ("event", "event-title")
            and "container-title" not in item
        ):
            return "howpublished"  # a talk's venue is its event
        return CSL_FIELDS.get(variable, variable.lower())

    def _store(
        self,
        record: Publication,
        fields: dict[str, str],
        key: str,
        name: str,
        variable: str,
        text: str,
        line: int,
    ) -> None:
        if variable == "abstract":
            paragraphs = []
            latex = []
            for chunk in _PARAGRAPHS.split(text.strip()):
                rich, raw = self._rich(key, variable, chunk, line)
                if rich:
                    paragraphs.append(rich)
                    latex.append(raw)
            record.abstract = tuple(paragraphs)
            fields[name] = "\n\n".join(latex)
            return
        if variable == "page":
            fields[name] = _PAGE_RANGE.sub("--", text.strip())
            if name in TEXT_FIELDS:
                record.text[name] = (_PAGE_RANGE.sub("\u2013", _WS.sub(" ", text).strip()),)
            return
        if variable in RICH_VARIABLES:
            rich, raw = self._rich(key, variable, text, line)
            fields[name] = raw
        else:
            fields[name] = text.strip()
            rich = (_WS.sub(" ", text).strip(),) if text.strip() else ()
        if name in TEXT_FIELDS and rich:
            record.text[name] = rich

    def _rich(self, key: str, variable: str, text: str, line: int) -> tuple[RichText, str]:
        rich, raw, messages = read_rich(text)
        for message in messages:
            self.problem(line, f"entry {key!r}, variable {variable!r}: {message}", Subtype.LATEX)
        return rich, raw

    def _custom(
        self, record: Publication, custom: object, fields: dict[str, str], line: int
    ) -> None:
        """CSL 1.0.2's ``custom`` object: its text, number and true/false values become
        fields of their own (al-folio's ``pdf``, ``code``, ``selected``, ``abbr``...)."""
        if custom is None:
            return
        if not isinstance(custom, dict):
            self.problem(
                line,
                f"entry {record.key!r}, variable 'custom': expected an object, found "
                f"{describe(custom)}; ignored",
                Subtype.ENTRY,
            )
            return
        for name, value in custom.items():
            lname = str(name).lower()
            if isinstance(value, bool):
                value = "true" if value else "false"
            elif isinstance(value, (int, float)):
                value = str(value)
            if isinstance(value, str) and lname not in fields and lname not in CSL_NAME_FIELDS:
                fields[lname] = value
                if lname in TEXT_FIELDS and value.strip():
                    record.text[lname] = (_WS.sub(" ", value).strip(),)

    # -- names ----------------------------------------------------------------------------
    def _people(
        self, key: str, variable: str, value: object, line: int
    ) -> tuple[tuple[Person, ...], str]:
        if isinstance(value, (dict, str)) and value:
            self.problem(
                line,
                f"entry {key!r}, variable {variable!r}: expected a list of names, found "
                f"{describe(value)}; read as one name",
                Subtype.ENTRY,
            )
            value = [value]
        if not isinstance(value, list):
            self.problem(
                line,
                f"entry {key!r}, variable {variable!r}: expected a list of names, found "
                f"{describe(value)}; ignored",
                Subtype.ENTRY,
            )
            return (), ""
        people: list[Person] = []
        bibtex: list[str] = []
        for index, name in enumerate(value, start=1):
            if isinstance(name, str) and name.strip():
                name = {"literal": name}
            person = self._person(name) if isinstance(name, dict) else None
            if person is None:
                self.problem(
                    line,
                    f"entry {key!r}, variable {variable!r}: name {index} "
                    f"({describe(name)}) has no family, given or literal name; left out",
                    Subtype.ENTRY,
                )
                continue
            people.append(person[0])
            bibtex.append(person[1])
        return tuple(people), " and ".join(bibtex)

    def _person(self, name: dict[str, Any]) -> tuple[Person, str] | None:
        def part(label: str) -> str:
            value = name.get(label)
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                text, _, _ = read_rich(str(value))
                return " ".join(plain(text).split())
            return ""

        literal = part("literal")
        family = part("family")
        given = part("given")
        if not family and not given:
            if not literal:
                return None
            # "others" is BibTeX's "and others" (printed "et al."), as a name
            return Person(last=(literal,)), literal if literal == "others" else f"{{{literal}}}"
        particles = _words(part("dropping-particle")) + _words(part("non-dropping-particle"))
        words = _words(given)
        lineage = _words(part("suffix"))
        person = Person(
            first=words[:1],
            middle=words[1:],
            prelast=particles,
            last=_words(family),
            lineage=lineage,
        )
        if not family:  # a single name ("Plato"), given as a given name
            return person, f"{{{given}}}"
        last = _braced(" ".join((*particles, family)))
        if not given:
            return person, f"{last}, {' '.join(lineage)}," if lineage else last
        if lineage:
            return person, f"{last}, {' '.join(lineage)}, {_braced(given)}"
        return person, f"{last}, {_braced(given)}"

    # -- dates ----------------------------------------------------------------------------
    def _parts(self, value: object) -> tuple[int | None, int | None, int | None, str]:
        """``(year, month, day, text)`` of a CSL date; *text* is a date written out
        (``raw``, ``literal``, a string) that was not understood."""
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            value = {"raw": str(value)}
        if not isinstance(value, dict):
            return None, None, None, ""
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            numbers = []
            for number in parts[0][:3]:
                if isinstance(number, str) and _DATE_PART.match(number):
                    number = int(number)
                usable = isinstance(number, int) and not isinstance(number, bool)
                # a year of five digits or more is no year (nor a month, nor a day)
                numbers.append(number if usable and -10_000 < number < 10_000 else None)
            numbers += [None] * (3 - len(numbers))
            if numbers[0] is not None:
                return numbers[0], numbers[1], numbers[2], ""
        for label in ("raw", "literal"):
            text = value.get(label)
            if isinstance(text, (str, int)) and not isinstance(text, bool) and str(text).strip():
                return (*_read_date(str(text)), str(text).strip())
        return None, None, None, ""

    def _iso(self, value: object) -> str:
        year, month, day, text = self._parts(value)
        if year is None:
            return text
        iso = f"{year:04d}"
        if month and 1 <= month <= 12:
            iso += f"-{month:02d}"
            if day and 1 <= day <= 31:
                iso += f"-{day:02d}"
        return iso

    def _date(
        self, record: Publication, item: dict[str, Any], fields: dict[str, str], line: int
    ) -> None:
        key = record.key
        issued = item.get("issued")
        if isinstance(issued, (bool, list, float, Unusable)):
            self.problem(
                line,
                f"entry {key!r}, variable 'issued': expected a date object, found "
                f"{describe(issued)}; ignored",
                Subtype.ENTRY,
            )
            issued = None
        year, month, day, written = self._parts(issued)
        if year is not None:
            record.year = year
            record.year_text = str(year)
            fields["year"] = record.year_text
            if month is not None:
                if 1 <= month <= 12:
                    record.month = month
                    fields["month"] = str(month)
                    if day and 1 <= day <= 31:
                        fields["date"] = f"{year:04d}-{month:02d}-{day:02d}"
                elif not 13 <= month <= 24:  # 13-24: seasons, as citeproc-js writes them
                    self.problem(
                        line,
                        f"entry {key!r}: month {month!r} not understood; ignored",
                        Subtype.ENTRY,
                    )
            return
        status = fields.get("pubstate", "")
        text = written or (status if status.strip().lower() in UNDATED_WORDS else "")
        record.year_text = _WS.sub(" ", text).strip()
        if record.year_text:
            fields["year"] = record.year_text
        if record.year_text.lower() in UNDATED_WORDS:
            return
        if record.year_text:
            self.problem(
                line,
                f"entry {key!r} has no usable year ({record.year_text!r}); "
                "listed with the undated entries",
                Subtype.ENTRY,
            )
        else:
            self.problem(
                line, f"entry {key!r} has no date; listed with the undated entries", Subtype.ENTRY
            )


def _read_date(text: str) -> tuple[int | None, int | None, int | None]:
    """``2021-05-03``, ``2021-05``, ``May 2021``, ``3 May 2021``, ``May 3, 2021``."""
    match = ISO_DATE_FIRST.match(text)
    if match:
        year, month, day = (int(group) if group else None for group in match.groups())
        return year, month, day
    year = parse_year(text)
    if year is None:
        return None, None, None
    month = None
    for word in re.findall(r"[^\W\d_]+\.?", text):
        month = parse_month(word)
        if month is not None:
            break
    return year, month, None


def read_csl_text(path: str, text: str) -> tuple[list[Publication], list[Problem]]:
    """Parse CSL-JSON *text* (the content of the file at *path*)."""
    if "\r" in text:  # CR and CRLF line ends: lines as editors count them
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = CslReader(path)
    reader.read(text)
    return reader.records, reader.problems
