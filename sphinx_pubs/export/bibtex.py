"""Write records as BibTeX: the ``.bib`` download and the page's BibTeX box.  Pure Python.

:func:`to_bibtex` writes each field's value as the reader kept it (the file's LaTeX,
macros expanded), so that BibTeX, pybtex and this package read back the same values;
:func:`entry_bibtex` is the same writer for one entry, as the page's BibTeX box shows
it.  The writer works from the parsed :class:`~sphinx_pubs.core.model.Publication`
records, never from the file's text, so it serves records read from BibTeX and from
CSL-JSON alike (the CSL reader fills :attr:`~sphinx_pubs.core.model.Publication.fields`
in BibTeX form).  Deterministic: the same records give the same text, byte for byte.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence

from pybtex.bibtex.utils import split_name_list, split_tex_string

from sphinx_pubs.core.braces import balance_braces
from sphinx_pubs.core.latex.plain import escape as latex_escape
from sphinx_pubs.core.model import Person, Problem, Publication, clean_text, key_name, printable
from sphinx_pubs.core.names import comma_list
from sphinx_pubs.core.subtype import Subtype
from sphinx_pubs.core.vocab import PERSON_FIELDS
from sphinx_pubs.export import written_text
from sphinx_pubs.sources.bibtex import decode_name
from sphinx_pubs.view.links import is_hidden

#: a field name BibTeX can read (pybtex's NAME, which BibTeX's own scanner also
#: accepts), not starting with "@" (which would start a new entry on its own line)
_FIELD_NAME = re.compile(r"[A-Za-z!$&*+\-./:;<>?\[\\\]^_`|~][A-Za-z0-9@!$&*+\-./:;<>?\[\\\]^_`|~]*")
#: a line of a value starting with "@" would start a new entry for readers that
#: resynchronise at line-initial "@" (this package's reader, biber's recovery)
_AT_LINE = re.compile(r"(\n[ \t]*)(?=@)")
#: entry types that are not entries
_NOT_ENTRIES = frozenset({"comment", "string", "preamble"})
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
    for name in PERSON_FIELDS:  # names the fields lack (records made in code)
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
        if name in PERSON_FIELDS:
            if not people[name] and value.strip():
                # a parent's names that the entry does not take (crossref): the page
                # shows none, so the download has none
                continue
            value = _name_list(balance_braces(value, name_list=True))
            if decoded_names(value) != people[name]:
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
        lines.extend(_entry_lines(record, key, hidden))
    return written_text("\n".join(lines) + "\n")


def _entry_lines(record: Publication, key: str, hidden: frozenset[str]) -> list[str]:
    """One entry of :func:`to_bibtex` under *key*, after the comment lines saying what
    it could not write as the record has it."""
    lines = []
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
    return lines


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
    return written_text("\n".join(lines))


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
            Subtype.BIBTEX,
        )
    ]


def decoded_names(value: str) -> tuple[Person, ...]:
    """A BibTeX name list read as the BibTeX reader reads it: split, decoded."""
    return tuple(decode_name(text)[0] for text in split_name_list(" ".join(value.split())))


def _unique(key: str, taken: set[str]) -> str:
    """*key*, else *key* ``-2``, ``-3``...: the first whose lower case is not *taken*."""
    if key.lower() not in taken:
        return key
    number = 2
    while f"{key}-{number}".lower() in taken:
        number += 1
    return f"{key}-{number}"
