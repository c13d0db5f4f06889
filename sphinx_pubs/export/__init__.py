"""Write records back out: a ``.bib`` file and a CSL-JSON file.  Pure Python.

Both writers work from the parsed :class:`~sphinx_pubs.core.model.Publication` records,
never from the file's text, so they serve records read from BibTeX and from CSL-JSON
alike (the CSL reader fills :attr:`~sphinx_pubs.core.model.Publication.fields` in BibTeX
form), and what a page hides is left out by the caller's choice of records and fields.

:func:`to_bibtex` writes each field's value as the reader kept it (the file's LaTeX,
macros expanded), so that BibTeX, pybtex and this package read back the same values.
:func:`to_csl_json` writes the decoded text (Unicode, CSL's small HTML subset for
markup), mapping entry types and fields to CSL's as the CSL reader maps them back
(:mod:`sphinx_pubs.sources.csl`).

Both are deterministic: the same records give the same text, byte for byte.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Collection, Sequence
from typing import Any

from pybtex.bibtex.utils import split_name_list, split_tex_string

from sphinx_pubs.core.latex import balance_braces, decode, decode_plain
from sphinx_pubs.core.latex import escape as latex_escape
from sphinx_pubs.core.model import (
    Link,
    Math,
    Person,
    Problem,
    Publication,
    RichText,
    Styled,
    clean_json,
    clean_text,
    key_name,
    plain,
    printable,
)
from sphinx_pubs.core.names import comma_list, name_parts
from sphinx_pubs.sources.csl import DATE_FIELDS, NAME_FIELDS, TYPE_MAP
from sphinx_pubs.view.format import tidy_piece
from sphinx_pubs.view.links import DEFAULT_BIBTEX_HIDDEN, is_hidden

__all__ = [
    "CSL_TYPES",
    "DOWNLOAD_HIDDEN",
    "bibtex_key",
    "bibtex_problems",
    "csl_rich",
    "entry_bibtex",
    "to_bibtex",
    "to_csl_json",
]

#: The page-only fields a download leaves out: :data:`~sphinx_pubs.view.links.DEFAULT_BIBTEX_HIDDEN`
#: without ``abstract`` (an abstract belongs in a reference manager's record, so a
#: download keeps it even though the BibTeX box of the page does not show it).
DOWNLOAD_HIDDEN: frozenset[str] = frozenset(DEFAULT_BIBTEX_HIDDEN) - {"abstract"}

# -- BibTeX ----------------------------------------------------------------------------

#: a field name BibTeX can read (pybtex's NAME, which BibTeX's own scanner also
#: accepts), not starting with "@" (which would start a new entry on its own line)
_FIELD_NAME = re.compile(r"[A-Za-z!$&*+\-./:;<>?\[\\\]^_`|~][A-Za-z0-9@!$&*+\-./:;<>?\[\\\]^_`|~]*")
#: a line of a value starting with "@" would start a new entry for readers that
#: resynchronise at line-initial "@" (this package's reader, biber's recovery)
_AT_LINE = re.compile(r"(\n[ \t]*)(?=@)")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: entry types that are not entries
_NOT_ENTRIES = frozenset({"comment", "string", "preamble"})
_NAME_FIELDS = ("author", "editor")
_SPACES = re.compile(r"[ \t\n\r]+")


def bibtex_key(key: str) -> str:
    """*key* as a BibTeX key: :func:`sphinx_pubs.core.model.key_name` (each run of
    whitespace, control characters and ``, { } ( ) " # % = \\`` made ``_``, an empty
    key ``entry``, a very long key cut and given a hash).  A key that needs no change
    is returned as it is."""
    return key_name(key)


def _comment(text: str) -> str:
    """*text* safe in a ``%`` comment line: no line breaks, no control characters, and
    no ``@`` (pybtex and BibTeX look for entries even in comment lines)."""
    out = []
    for char in text:
        if char == "@" or (unicodedata.category(char)[0] in "CZ" and char != " "):
            out.append(f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def _safe_value(value: str) -> str:
    """*value* ready to go between the braces of ``name = {...}``: line ends made
    ``\\n``, braces balanced, no line starting with ``@``."""
    value = balance_braces(clean_text(value))  # CR line ends made LF, no controls
    if "@" in value and "\n" in value:
        value = _AT_LINE.sub(_at_line, value)
    return value


def _at_line(match: re.Match[str]) -> str:
    # a line break is a space to BibTeX: joining the lines changes nothing but the
    # layout; after a blank line (a paragraph break, kept) "{}" goes before the "@"
    if match.string[: match.start()].rstrip(" \t").endswith("\n"):
        return match.group(1) + "{}"
    return " "


def _name_list(value: str) -> str:
    """A name list pybtex parses without error in strict mode: a name with more than
    two commas (``von Last, Jr, First`` has two) is written as this package's reader
    takes it: names separated by commas (:func:`~sphinx_pubs.core.names.comma_list`) joined
    with "and", anything else braced whole (one last name)."""
    names = split_name_list(" ".join(value.split()))
    if all(len(split_tex_string(name, ",")) <= 3 for name in names):
        return value
    return " and ".join(_one_name(name) for name in names)


def _one_name(name: str) -> str:
    if len(split_tex_string(name, ",")) <= 3:
        return name
    listed = comma_list(name.strip(" ,"))  # names separated by commas: as they are read
    return " and ".join(listed) if listed else "{" + name + "}"


def _person_bibtex(person: Person) -> str:
    """One decoded name as BibTeX: ``von Last, Jr, First Middle``, every part
    LaTeX-escaped and braced when it holds a comma or the word "and"."""
    if person.is_others:
        return "others"

    def part(words: tuple[str, ...]) -> str:
        text = latex_escape(" ".join(words))
        return f"{{{text}}}" if "," in text or re.search(r"\band\b", text, re.I) else text

    last = " ".join(w for w in (part(person.prelast), part(person.last)) if w)
    if not last:  # a given name alone: one last name
        return "{" + latex_escape(" ".join(person.first + person.middle)) + "}"
    given = part(person.first + person.middle)
    lineage = part(person.lineage)
    if lineage:
        return f"{last}, {lineage}, {given}"
    if not person.first and not person.middle and not person.prelast and " " in last:
        return f"{{{last}}}"  # an organisation
    return f"{last}, {given}" if given else last


def _bibtex_fields(
    record: Publication, hidden: Collection[str], one_line: bool = False
) -> tuple[list[tuple[str, str]], list[str]]:
    """The ``(name, value)`` pairs written for *record*, and the names left out because
    BibTeX cannot write them; *one_line*: each value's whitespace collapsed to single
    spaces (the page's BibTeX box)."""
    out: list[tuple[str, str]] = []
    unwritable: list[str] = []
    written: set[str] = set()
    people = {"author": record.authors, "editor": record.editors}
    for name in _NAME_FIELDS:  # names the fields lack (records made in code)
        if name not in record.fields and people[name] and name not in hidden:
            names = " and ".join(_person_bibtex(p) for p in people[name])
            out.append((name, _safe_value(balance_braces(names, name_list=True))))
            written.add(name)
    for name, value in record.fields.items():
        name = name.lower()
        if name == "crossref" or is_hidden(name, hidden) or name in written:
            continue  # a name twice (differing in case only): the first is kept
        if not _FIELD_NAME.fullmatch(name):
            unwritable.append(name)
            continue
        written.add(name)
        if one_line:
            value = _SPACES.sub(" ", value).strip(" ")
        if name in _NAME_FIELDS:
            if not people[name] and value.strip():
                # a parent's names that the entry does not take (crossref): the page
                # shows none, so the download has none
                continue
            value = _name_list(balance_braces(value, name_list=True))
            if _read_people(value) != people[name]:
                # the field does not say the names the page shows (a CSL reader's
                # LaTeX that BibTeX splits otherwise): written from the names
                value = balance_braces(
                    " and ".join(_person_bibtex(p) for p in people[name]), name_list=True
                )
        out.append((name, _safe_value(value)))
    return out, unwritable


def to_bibtex(records: Sequence[Publication], hidden: Collection[str] = ()) -> str:
    """*records* as the text of a ``.bib`` file, in their order.

    The file starts with a comment line ``% sphinx-pubs: N entries`` (``1 entry``);
    each entry is ``@type{key,``, one ``  name = {value},`` line per field in the
    record's field order (the file's order), and ``}``, entries separated by a blank
    line; the text ends with a newline.

    - Values are written as the reader kept them: the file's LaTeX, ``@string`` macros
      expanded, so BibTeX and pybtex read back the same values (pybtex compares
      equal after its whitespace normalisation).  ``author`` and ``editor`` are
      written from the raw field; a record without one (made in code) gets it from
      its :class:`~sphinx_pubs.core.model.Person` parts as ``von Last, Jr, First``.
    - Left out: ``crossref`` (entries come already completed from their parent), the
      fields named in *hidden* (case-insensitive; :data:`DOWNLOAD_HIDDEN` lists the
      page-only fields, and keeps ``abstract``), a parent's ``author`` that the entry
      does not take (its record has no authors), and fields whose name BibTeX cannot
      write (possible from CSL-JSON's ``custom``), which a comment line before the
      entry names.
    - A value never breaks its entry or the next one: unbalanced braces (a damaged
      file, a CSL value) are written ``\\textbraceleft{}``/``\\textbraceright{}``; a
      line of a value that would start with ``@`` is joined to the line before
      (BibTeX reads a line break as a space) or, after a blank line, starts with
      ``{}``; CR line ends become LF.  A name with more than two commas, which
      pybtex refuses in strict mode, is braced whole.
    - Keys: a key holding whitespace, control characters or ``, { } ( ) " # % = \\``
      is written as :func:`bibtex_key` makes it, and a key equal (ignoring case, as
      BibTeX compares keys) to one written before gets ``-2``, ``-3``...; a comment
      line before the entry gives the original key.  Entry types that are not a
      BibTeX name (or are ``comment``, ``string``, ``preamble``) are written ``misc``.
    - Lone surrogates (from ``\\ud800`` escapes in a JSON file) become U+FFFD.
    """
    hidden = frozenset(name.lower() for name in hidden)
    reserved = {record.key.lower() for record in records if bibtex_key(record.key) == record.key}
    used: set[str] = set()
    count = len(records)
    lines = [f"% sphinx-pubs: {count} {'entry' if count == 1 else 'entries'}"]
    for record in records:
        lines.append("")
        key = bibtex_key(record.key)
        if key != record.key or key.lower() in used:
            key = _unique(key, used | reserved)
            lines.append(f"% key {_comment(repr(record.key))} written as {_comment(key)}")
        used.add(key.lower())
        kind = _entry_kind(record)
        if kind != record.type.lower():
            lines.append(f"% type {_comment(repr(record.type))} written as misc")
        fields, unwritable = _bibtex_fields(record, hidden)
        if unwritable:
            names = ", ".join(_comment(repr(name)) for name in unwritable)
            lines.append(f"% fields left out (not valid BibTeX field names): {names}")
        lines.append(f"@{kind}{{{key},")
        lines.extend(f"  {name} = {{{value}}}," for name, value in fields)
        lines.append("}")
    return _output("\n".join(lines) + "\n")


def _output(text: str) -> str:
    """The last guard of a written file: lone surrogates (from ``\\ud800`` escapes in
    a JSON file) made U+FFFD, control characters gone (:func:`~sphinx_pubs.core.model.clean_text`;
    records come cleaned by the readers)."""
    return clean_text(_SURROGATE.sub("\ufffd", text))


def _entry_kind(record: Publication) -> str:
    kind = record.type.lower()
    return "misc" if not _FIELD_NAME.fullmatch(kind) or kind in _NOT_ENTRIES else kind


def entry_bibtex(record: Publication, hidden: Collection[str] = ()) -> str:
    """One entry as the page shows it in its BibTeX box (and copies it): the writer of
    :func:`to_bibtex`, for one record, without the comment lines, each value on one
    line (whitespace collapsed)::

        @article{key,
          title = {...},
        }

    The key is :func:`bibtex_key`'s, the type ``misc`` when BibTeX cannot hold it,
    and fields named in *hidden* or that BibTeX cannot name are left out (see
    :func:`bibtex_problems` for the warning), so that BibTeX and pybtex read the text
    as exactly this one entry, whatever the record holds.
    """
    hidden = frozenset(name.lower() for name in hidden)
    fields, _ = _bibtex_fields(record, hidden, one_line=True)
    lines = [f"@{_entry_kind(record)}{{{bibtex_key(record.key)},"]
    lines.extend(f"  {name} = {{{value}}}," for name, value in fields)
    lines.append("}")
    return _output("\n".join(lines))


def bibtex_problems(record: Publication, hidden: Collection[str] = ()) -> list[Problem]:
    """What the BibTeX of *record* leaves out: a ``pubs.bibtex`` warning naming the
    fields whose names BibTeX cannot hold (possible from CSL-JSON's ``custom``)."""
    hidden = frozenset(name.lower() for name in hidden)
    _, unwritable = _bibtex_fields(record, hidden)
    if not unwritable:
        return []
    names = ", ".join(repr(name) for name in unwritable)
    return [
        Problem(
            record.source,
            printable(
                f"entry {record.key!r}: field{'s' if len(unwritable) > 1 else ''} {names} "
                "left out of its BibTeX (not a BibTeX field name)"
            ),
            "bibtex",
        )
    ]


def _unique(key: str, taken: set[str]) -> str:
    """*key*, else *key* ``-2``, ``-3``...: the first whose lower case is not *taken*."""
    if key.lower() not in taken:
        return key
    number = 2
    while f"{key}-{number}".lower() in taken:
        number += 1
    return f"{key}-{number}"


# -- CSL-JSON --------------------------------------------------------------------------

#: entry type -> CSL item type: the inverse of the CSL reader's table (each type reads
#: back as itself where CSL has a type for it); others are ``document`` (read as
#: ``misc``, as the page shows them)
CSL_TYPES: dict[str, str] = {
    "article": "article-journal",
    "suppperiodical": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "incollection": "chapter",
    "inbook": "chapter",
    "bookinbook": "chapter",
    "suppbook": "chapter",
    "suppcollection": "chapter",
    "book": "book",
    "mvbook": "book",
    "proceedings": "book",
    "mvproceedings": "book",
    "manual": "book",
    "reference": "book",
    "mvreference": "book",
    "collection": "collection",
    "mvcollection": "collection",
    "periodical": "periodical",
    "booklet": "pamphlet",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "online": "webpage",
    "www": "webpage",
    "electronic": "webpage",
    "web_page": "webpage",
    "dataset": "dataset",
    "software": "software",
    "patent": "patent",
    "unpublished": "manuscript",
    "standard": "standard",
    "review": "review",
    "legislation": "legislation",
    "jurisdiction": "legal_case",
    "legal": "hearing",
    "movie": "motion_picture",
    "video": "broadcast",
    "music": "song",
    "audio": "song",
    "artwork": "graphic",
    "image": "figure",
    "performance": "performance",
    "letter": "personal_communication",
    "misc": "document",
}

#: field -> CSL variable, for the fields that are a variable whatever the type
_CSL_RENAMED: dict[str, str] = {
    "title": "title",
    "shorttitle": "title-short",
    "shortjournal": "container-title-short",
    "series": "collection-title",
    "seriesnumber": "collection-number",
    "address": "publisher-place",
    "location": "event-place",
    "eventtitle": "event-title",
    "volume": "volume",
    "edition": "edition",
    "chapter": "chapter-number",
    "pagetotal": "number-of-pages",
    "volumes": "number-of-volumes",
    "type": "genre",
    "pubstate": "status",
    "origtitle": "original-title",
    "language": "language",
    "version": "version",
    "note": "note",
    "keywords": "keyword",
}

#: identifier fields, written as in the file (``\\_`` and the like unescaped)
_IDENTIFIERS: dict[str, str] = {
    "doi": "DOI",
    "url": "URL",
    "isbn": "ISBN",
    "issn": "ISSN",
    "pmid": "PMID",
    "pmcid": "PMCID",
}

#: name-list fields -> CSL name variables (``author`` and ``editor`` come from the
#: record's people): the CSL reader's table, inverted
_CSL_NAMES: dict[str, str] = {
    field: variable
    for variable, field in NAME_FIELDS.items()
    if variable not in ("author", "editor")
}

#: date fields -> CSL date variables: the CSL reader's table, inverted
_CSL_DATES: dict[str, str] = {field: variable for variable, field in DATE_FIELDS.items()}

#: variables written as CSL rich text (markup as tags, ``& < >`` escaped): those the
#: CSL reader reads as rich text; the others (numbers, identifiers, links) are plain
_RICH = frozenset(
    """
    title title-short container-title container-title-short collection-title publisher
    publisher-place event-title event-place note abstract genre medium original-title
    status version
    """.split()
)

#: the order of an item's variables
_ORDER = (
    "id type title title-short author editor translator container-author "
    "collection-editor director interviewer recipient reviewed-author composer "
    "illustrator editorial-director original-author container-title "
    "container-title-short collection-title collection-number publisher "
    "publisher-place event-title event-place issued volume issue number page edition "
    "chapter-number number-of-pages number-of-volumes genre status medium "
    "original-title language version DOI URL ISBN ISSN PMID PMCID accessed "
    "original-date event-date submitted keyword note abstract custom"
).split()

#: fields never written to ``custom``: what ``issued`` and the people hold already
_NOT_CUSTOM = frozenset({"crossref", "year", "month", "date", "author", "editor"})

_TAGS = {"emph": "i", "strong": "b", "sup": "sup", "sub": "sub"}
_SMALLCAPS = ('<span style="font-variant:small-caps;">', "</span>")
_ISO = re.compile(r"^\s*(-?\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")
_DASHES = re.compile(r"\s*(?:--+|[\u2010-\u2015])\s*")
_TEX_ESCAPE = re.compile(r"\\([_%&#$])")
_CSL_WS = re.compile(r"\s+")
_MASTERS_KEYWORDS = {"mathesis": "Master's thesis", "phdthesis": "PhD thesis"}
_DEFAULT_GENRE = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}


def _html(rich: RichText, dollars: bool) -> str:
    """*rich* as CSL rich text; *dollars*: write ``$`` in text as ``&#36;``."""
    parts: list[str] = []
    for item in rich:
        if isinstance(item, str):
            text = html.escape(item, quote=False)
            parts.append(text.replace("$", "&#36;") if dollars else text)
        elif isinstance(item, Math):
            latex = " ".join(item.latex.split())
            parts.append(f"${html.escape(latex, quote=False)}$" if latex else "")
        elif isinstance(item, Styled):
            inner = _html(item.children, dollars)
            if item.style == "smallcaps":
                parts.append(_SMALLCAPS[0] + inner + _SMALLCAPS[1])
            elif item.style in _TAGS:
                tag = _TAGS[item.style]
                parts.append(f"<{tag}>{inner}</{tag}>")
            else:  # code, and any other style: CSL has no markup for it
                parts.append(inner)
        elif isinstance(item, Link):
            inner = _html(item.children, dollars)
            parts.append(inner)
            if plain(item.children).strip() != item.url.strip():
                parts.append(" (" + html.escape(item.url, quote=False) + ")")
    return "".join(parts)


def _literal_dollars(rich: RichText) -> int:
    count = 0
    for item in rich:
        if isinstance(item, str):
            count += item.count("$")
        elif isinstance(item, (Styled, Link)):
            count += _literal_dollars(item.children)
    return count


def _has_math(rich: RichText) -> bool:
    return any(
        isinstance(item, Math) or (isinstance(item, (Styled, Link)) and _has_math(item.children))
        for item in rich
    )


def csl_rich(rich: RichText) -> str:
    """*rich* as CSL rich text, whitespace collapsed.

    Text is HTML-escaped (``&``, ``<``, ``>``), so no consumer that renders CSL's
    markup can be made to render anything else; emphasis, strong, superscript and
    subscript are ``<i>``, ``<b>``, ``<sup>``, ``<sub>``, small capitals
    ``<span style="font-variant:small-caps;">``; other styles (code) are their text.
    A link is its text, followed by `` (URL)`` when the text is not the URL (CSL has
    no links).  Math is its LaTeX between ``$`` signs, as pandoc writes it; a ``$``
    of the text is written ``&#36;`` when the value holds math or two ``$`` (else a
    reader could take text for math).
    """
    dollars = _has_math(rich) or _literal_dollars(rich) > 1
    return _CSL_WS.sub(" ", _html(rich, dollars)).strip()


def _plain_text(rich: RichText) -> str:
    return _CSL_WS.sub(" ", plain(rich)).strip()


def _csl_name(person: Person) -> dict[str, str]:
    """One person as a CSL name: ``literal`` for BibTeX's ``others`` and for a braced
    name of several words standing alone (an organisation), else ``family``,
    ``given``, ``non-dropping-particle`` (BibTeX's "von"), ``suffix``."""
    only_last = not (person.first or person.middle or person.prelast or person.lineage)
    if person.is_others or (only_last and len(person.last) == 1 and " " in person.last[0]):
        return {"literal": _name_text(person.last)}
    name: dict[str, str] = {}
    if person.last:
        name["family"] = _name_text(person.last)
    if person.first or person.middle:
        name["given"] = _name_text(person.first + person.middle)
    if person.prelast:
        name["non-dropping-particle"] = _name_text(person.prelast)
    if person.lineage:
        name["suffix"] = _name_text(person.lineage)
    return name


def _name_text(words: tuple[str, ...]) -> str:
    text = " ".join(words)
    escaped = html.escape(text, quote=False)
    return escaped.replace("$", "&#36;") if text.count("$") > 1 else escaped


def _read_people(value: str) -> tuple[Person, ...]:
    """A BibTeX name list read as the BibTeX reader reads it: split, decoded."""
    people = []
    for text in split_name_list(" ".join(value.split())):
        parts, _ = name_parts(text)
        decoded = [
            tuple(w for w in (decode_plain(word)[0] for word in part) if w) for part in parts
        ]
        people.append(Person(*decoded))
    return tuple(people)


def _people(value: str) -> list[dict[str, str]]:
    """A BibTeX name list (a field other than ``author``/``editor``) as CSL names."""
    names = [_csl_name(person) for person in _read_people(value)]
    return [name for name in names if name]


def _decoded_words(words: list[str]) -> tuple[str, ...]:
    return tuple(word for word in (decode_plain(word)[0] for word in words) if word)


def _date(text: str) -> dict[str, Any] | None:
    """An ISO date (``2021``, ``2021-05``, ``2021-05-03``) as CSL ``date-parts``, any
    other text as ``literal``; None when empty."""
    text = text.strip()
    if not text:
        return None
    match = _ISO.match(text)
    if not match:
        return {"literal": decode_plain(text)[0]}
    parts = [int(match.group(1))]
    for group in match.groups()[1:]:
        if group is None:
            break
        parts.append(int(group))
    return {"date-parts": [parts]}


def _issued(record: Publication) -> dict[str, Any] | None:
    """The record's date: ``date-parts`` of its year, month and (from a biblatex
    ``date`` that agrees with them) day, or ``literal`` for a year without a number
    ("in press")."""
    if record.year is None:
        text = _CSL_WS.sub(" ", record.year_text).strip()
        return {"literal": text} if text else None
    parts = [record.year]
    if record.month:
        parts.append(record.month)
        match = _ISO.match(record.fields.get("date", ""))
        if (
            match
            and match.group(3)
            and int(match.group(1)) == record.year
            and int(match.group(2)) == record.month
        ):
            parts.append(int(match.group(3)))
    return {"date-parts": [parts]}


def _text_of(record: Publication, name: str) -> RichText:
    """The decoded text of field *name*: the reader's, else decoded now."""
    rich = record.text.get(name)
    if rich is not None:
        return rich
    value = record.fields.get(name, "")
    return decode(value)[0] if value.strip() else ()


def _venue_fields(back: str, record: Publication) -> tuple[str, str]:
    """The fields that give ``container-title`` and ``publisher`` for an item the CSL
    reader reads back as type *back* (it maps the two variables by type)."""
    fields = record.fields
    if back == "article":
        container = "journal" if "journal" in fields else "journaltitle"
    elif back in ("inproceedings", "incollection"):
        container = "booktitle"
    else:
        container = "howpublished"
    if back in ("phdthesis", "mastersthesis"):
        publisher = "school" if "school" in fields else "institution"
    elif back == "techreport":
        publisher = "institution"
    elif "publisher" not in fields and record.type in ("manual", "proceedings"):
        publisher = "organization"  # their venue, when they have no publisher
    else:
        publisher = "publisher"
    return container, publisher


def _csl_item(record: Publication, hidden: frozenset[str]) -> dict[str, Any]:
    kind = record.type.lower()
    csl_type = CSL_TYPES.get(kind, "document")
    # the type the CSL reader reads the item back as (it maps some variables by type)
    back = "mastersthesis" if kind == "mastersthesis" else TYPE_MAP.get(csl_type, "misc")
    container, publisher = _venue_fields(back, record)
    item: dict[str, Any] = {"id": record.key, "type": csl_type}
    custom: dict[str, Any] = {}
    if record.authors and "author" not in hidden:
        item["author"] = [_csl_name(p) for p in record.authors]
    if record.editors and "editor" not in hidden:
        item["editor"] = [_csl_name(p) for p in record.editors]
    issued = _issued(record)
    if issued is not None:
        item["issued"] = issued
    for name, value in record.fields.items():
        name = name.lower()
        if name in _NOT_CUSTOM or is_hidden(name, hidden):
            continue
        variable = _variable(name, back, container, publisher, record)
        if variable is not None and variable in item:
            variable = None  # taken by another field (journal and journaltitle)
        if variable is None:
            custom[name] = _custom_value(record, name, value)
            continue
        if variable in _CSL_NAMES.values():
            names = _people(value)
            if names:
                item[variable] = names
            continue
        written = _csl_value(record, name, variable, value)
        if written:
            item[variable] = written
    if csl_type == "thesis" and "genre" not in item and kind in _DEFAULT_GENRE:
        item["genre"] = _DEFAULT_GENRE[kind]
    if custom:
        item["custom"] = custom
    return {name: item[name] for name in _ORDER if name in item}


def _variable(
    name: str, back: str, container: str, publisher: str, record: Publication
) -> str | None:
    """The CSL variable field *name* is written as, or None for ``custom``."""
    if name == container:
        return "container-title"
    if name == publisher:
        return "publisher"
    if name == "howpublished":
        return "medium"  # the CSL reader reads it back as howpublished
    if name == "number":
        return "issue" if back == "article" else "number"
    if name == "pages":
        return "page"
    if name == "abstract":
        return "abstract"
    for table in (_CSL_RENAMED, _IDENTIFIERS, _CSL_NAMES, _CSL_DATES):
        if name in table:
            return table[name]
    return None


def _csl_value(record: Publication, name: str, variable: str, value: str) -> Any:
    """The value of *variable*, from field *name* (raw *value*) of *record*."""
    if variable in _IDENTIFIERS.values():
        return _TEX_ESCAPE.sub(r"\1", value.strip())
    if variable in _CSL_DATES.values():
        return _date(value)
    if variable == "abstract":
        paragraphs = record.abstract if name == "abstract" else (_text_of(record, name),)
        return "\n".join(csl_rich(p) for p in paragraphs if p)
    if variable == "page":
        return _DASHES.sub("-", _plain_text(_text_of(record, name)))
    if variable == "genre" and value.strip().lower() in _MASTERS_KEYWORDS:
        return _MASTERS_KEYWORDS[value.strip().lower()]  # biblatex's thesis types
    rich = _text_of(record, name)
    if variable in _PIECES:  # "Phys. Rev.," is "Phys. Rev." (as on the page)
        rich = tidy_piece(rich)
    return csl_rich(rich) if variable in _RICH else _plain_text(rich)


#: variables that are pieces of a comma-separated line in citation styles
_PIECES = frozenset({"container-title", "publisher", "publisher-place", "event-place"})


def _custom_value(record: Publication, name: str, value: str) -> Any:
    """A field without a CSL variable, for ``custom``: ``true``/``false`` as JSON
    booleans, a text field the page shows as its plain text, any other as written."""
    flag = value.strip().lower()
    if flag in ("true", "false"):
        return flag == "true"
    if name in record.text:
        return _plain_text(record.text[name])
    return value


def to_csl_json(records: Sequence[Publication], hidden: Collection[str] = ()) -> str:
    """*records* as a CSL-JSON array (as Zotero and pandoc write it), in their order,
    with a newline at the end; ``[]`` for no records.

    Each item has ``id`` (the key) and ``type`` (:data:`CSL_TYPES`: the inverse of
    the CSL reader's table, ``document`` for types CSL lacks), then, when the record
    has them, in a fixed order:

    - ``author``, ``editor`` from the record's people (``family``, ``given``,
      ``non-dropping-particle`` for BibTeX's "von" part, ``suffix``; ``literal`` for
      "others" and organisations), other name lists (``translator``,
      ``container-author``...) from their fields;
    - ``title``, ``container-title`` (the journal of an article, the book title of a
      paper or chapter, else ``howpublished``), ``publisher`` (the school of a
      thesis, the institution of a report, else the publisher), ``publisher-place``
      (``address``), ``event-title``, ``event-place`` (``location``), ``volume``,
      ``issue`` (an article's ``number``; ``number`` otherwise), ``page`` (ranges
      with ``-``), ``genre`` (``type``; a thesis without one gets "PhD thesis" or
      "Master's thesis"), ``DOI``, ``URL``, ``ISBN``, ``ISSN``, ``keyword``,
      ``note``, ``abstract`` (paragraphs separated by a line break), and the other
      variables the CSL reader maps (its tables, reversed);
    - ``issued``: ``{"date-parts": [[year, month, day]]}`` as far as known, or
      ``{"literal": "in press"}`` for a year without a number;
    - ``custom`` (CSL 1.0.2): every other field, under its BibTeX name (al-folio's
      ``pdf``, ``selected``..., a ``journal`` where the type has another venue), so
      that the CSL reader gives them back; ``true``/``false`` as JSON booleans.

    Text is the decoded text (Unicode, LaTeX gone), written with :func:`csl_rich` for
    the variables CSL reads as rich text (``& < >`` escaped, markup as CSL's tags,
    math as ``$LaTeX$``); numbers and identifiers are plain text, identifiers as
    written (``\\_`` unescaped).  ``crossref``, and the fields named in *hidden*
    (case-insensitive), are left out.  The JSON is indented by two spaces, not
    ASCII-escaped; lone surrogates become U+FFFD.
    """
    hidden = frozenset(name.lower() for name in hidden)
    items = [_csl_item(record, hidden) for record in records]
    text = json.dumps(clean_json(items), ensure_ascii=False, indent=2, sort_keys=False)
    return _SURROGATE.sub("\ufffd", text) + "\n"
