"""Write records as CSL-JSON (as Zotero and pandoc write it).  Pure Python.

:func:`to_csl_json` writes the decoded text (Unicode, CSL's small HTML subset for
markup), mapping entry types and fields to CSL's by the tables of
:mod:`sphinx_pubs.core.vocab`, the ones the CSL reader (:mod:`sphinx_pubs.sources.csl`)
maps them back by, so that an item reads back as the record it was written from.
Deterministic: the same records give the same text, byte for byte.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Collection, Sequence
from typing import Any

from sphinx_pubs.core.latex.decoder import decode, decode_plain
from sphinx_pubs.core.markup import has_math
from sphinx_pubs.core.model import (
    Link,
    Math,
    Person,
    Publication,
    RichText,
    Styled,
    clean_json,
    plain,
)
from sphinx_pubs.core.vocab import (
    BIBLATEX_NAMES,
    CSL_TAGS,
    CSL_TYPES,
    DATE_VARIABLES,
    ENTRY_TYPES,
    FIELD_VARIABLES,
    IDENTIFIER_VARIABLES,
    ISO_DATE,
    NAME_VARIABLES,
    ORGANIZATION_PUBLISHERS,
    OTHER_TYPE,
    RICH_VARIABLES,
    TYPE_MAP,
)
from sphinx_pubs.export import no_surrogates
from sphinx_pubs.export.bibtex import decoded_names
from sphinx_pubs.view.format import tidy_piece
from sphinx_pubs.view.links import is_hidden

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

_SMALLCAPS = ('<span style="font-variant:small-caps;">', "</span>")
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
            elif item.style in CSL_TAGS:
                tag = CSL_TAGS[item.style]
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
    dollars = has_math(rich) or _literal_dollars(rich) > 1
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


def _people(value: str) -> list[dict[str, str]]:
    """A BibTeX name list (a field other than ``author``/``editor``) as CSL names."""
    names = [_csl_name(person) for person in decoded_names(value)]
    return [name for name in names if name]


def _date(text: str) -> dict[str, Any] | None:
    """An ISO date (``2021``, ``2021-05``, ``2021-05-03``) as CSL ``date-parts``, any
    other text as ``literal``; None when empty."""
    text = text.strip()
    if not text:
        return None
    match = ISO_DATE.match(text)
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
        match = ISO_DATE.match(record.fields.get("date", ""))
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
    reader reads back as type *back* (it maps the two variables by type:
    :attr:`~sphinx_pubs.core.vocab.EntryType.container` and ``publisher``); biblatex's
    name of the field where the entry lacks BibTeX's."""
    fields = record.fields
    row = ENTRY_TYPES.get(back, OTHER_TYPE)
    container, publisher = row.container, row.publisher
    if container not in fields:
        container = BIBLATEX_NAMES.get(container, container)
    if publisher not in fields:
        publisher = BIBLATEX_NAMES.get(publisher, publisher)
    if (
        publisher == "publisher"
        and "publisher" not in fields
        and record.type in ORGANIZATION_PUBLISHERS
    ):
        publisher = "organization"  # their venue, when they have no publisher
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
        if variable in NAME_VARIABLES.values():
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
    if name == "number":
        return "issue" if back == "article" else "number"
    if name == "abstract":
        return "abstract"
    for table in (FIELD_VARIABLES, NAME_VARIABLES, DATE_VARIABLES):
        if name in table:
            return table[name]
    return None


def _csl_value(record: Publication, name: str, variable: str, value: str) -> Any:
    """The value of *variable*, from field *name* (raw *value*) of *record*."""
    if variable in IDENTIFIER_VARIABLES:
        return _TEX_ESCAPE.sub(r"\1", value.strip())
    if variable in DATE_VARIABLES.values():
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
    return csl_rich(rich) if variable in RICH_VARIABLES else _plain_text(rich)


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

    Each item has ``id`` (the key) and ``type``
    (:data:`~sphinx_pubs.core.vocab.CSL_TYPES`: the inverse of the CSL reader's
    table, ``document`` for types CSL lacks), then, when the record has them, in a
    fixed order:

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
    return no_surrogates(text) + "\n"
