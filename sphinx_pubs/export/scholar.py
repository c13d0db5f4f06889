"""What search engines read about a paper: Highwire Press ``citation_*`` meta tags
(Google Scholar's inclusion guidelines) and schema.org JSON-LD.  Pure Python.

Every value is plain text from the parsed record; the functions that make HTML
escape it (attribute values) or encode it so that it cannot end the ``<script>``
element it sits in.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from typing import Any

from sphinx_pubs.core.model import Person, Publication, clean_json, clean_text, plain
from sphinx_pubs.core.names import split_mark
from sphinx_pubs.core.vocab import (
    BOOK_PART,
    CONFERENCE,
    ENTRY_TYPES,
    JOURNAL,
    OTHER_TYPE,
    REPORT,
    THESIS,
)
from sphinx_pubs.view.format import tidy_piece
from sphinx_pubs.view.links import entry_links

_PAGES = re.compile(r"^\s*([^-\u2013\u2014\s]+)\s*(?:-+|\u2013|\u2014)\s*([^-\s]+)\s*$")


def _text(record: Publication, *names: str) -> str:
    """The plain text of the first of the fields *names* that the entry has."""
    for name in names:
        rich = record.text.get(name)
        value = (
            plain(tidy_piece(rich)).strip()  # "Phys. Rev.," is "Phys. Rev."
            if rich is not None
            else record.fields.get(name, "").strip()
        )
        if value:
            return " ".join(value.split())
    return ""


def _clean(person: Person) -> Person:
    return split_mark(person)[0]


def family_name(person: Person) -> str:
    return " ".join(person.prelast + person.last)


def given_name(person: Person) -> str:
    return " ".join(person.first + person.middle)


def _people(people: Sequence[Person]) -> list[Person]:
    return [_clean(person) for person in people if not person.is_others]


def publication_date(record: Publication, separator: str = "/") -> str:
    """``2025/03`` (Highwire) or ``2025-03`` (ISO, schema.org); ``2025``; "" if none."""
    if record.year is None:
        return ""
    if record.month:
        return f"{record.year:04d}{separator}{record.month:02d}"
    return f"{record.year:04d}"


def page_range(record: Publication) -> tuple[str, str]:
    """First and last page of ``pages = {12--34}``; ("12", "") for one page."""
    pages = _text(record, "pages")
    match = _PAGES.match(pages)
    if match:
        return match.group(1), match.group(2)
    return (pages, "") if pages and " " not in pages and "," not in pages else ("", "")


def identifiers(record: Publication) -> dict[str, str]:
    """The entry's DOI and arXiv identifier (bare, as validated for its buttons),
    and the address of its PDF when that is a web address."""
    links, _ = entry_links(record)
    found: dict[str, str] = {}
    for link in links:
        if link.url is None:
            continue
        if link.field == "doi":
            found["doi"] = link.url.removeprefix("https://doi.org/")
            found["doi_url"] = link.url
        elif link.field == "arxiv":
            found["arxiv"] = link.url.removeprefix("https://arxiv.org/abs/")
            found["arxiv_url"] = link.url
        elif link.field == "pdf":
            found["pdf"] = link.url
        elif link.field == "html":
            found["html"] = link.url
    return found


def _family(record: Publication) -> str:
    """What kind of publication *record* is (:attr:`~sphinx_pubs.core.vocab.EntryType.family`)."""
    return ENTRY_TYPES.get(record.type, OTHER_TYPE).family


def highwire_tags(
    record: Publication, pdf_url: str = "", language: str = ""
) -> list[tuple[str, str]]:
    """``(name, content)`` of the Highwire Press meta tags for *record*, in the order
    Google Scholar's guidelines list them.  *pdf_url* is the address of the full
    text when the caller knows one (a project file it copied)."""
    tags: list[tuple[str, str]] = []
    title = plain(record.title).strip()
    if title:
        tags.append(("citation_title", " ".join(title.split())))
    for person in _people(record.authors):
        given = given_name(person)
        family = family_name(person) or person.display
        tags.append(("citation_author", f"{family}, {given}" if given else family))
    date = publication_date(record)
    if date:
        tags.append(("citation_publication_date", date))
    tags.extend(_venue_tags(record))
    tags.extend(_number_tags(record))
    tags.extend(_identifier_tags(record, pdf_url))
    if language:
        tags.append(("citation_language", language))
    return tags


#: the venue tag of each kind of publication, and the fields it is read from
_VENUE_OF: dict[str, tuple[str, tuple[str, ...]]] = {
    JOURNAL: ("citation_journal_title", ("journal", "journaltitle")),
    CONFERENCE: ("citation_conference_title", ("booktitle", "eventtitle")),
    BOOK_PART: ("citation_inbook_title", ("booktitle",)),
    THESIS: ("citation_dissertation_institution", ("school", "institution")),
    REPORT: ("citation_technical_report_institution", ("institution",)),
}


def _venue_tags(record: Publication) -> list[tuple[str, str]]:
    """The tag of the venue of *record*'s kind of publication; for other kinds (and
    for an article without a journal...) the venue field the entry has whatever its
    type, as the page shows it: ``@inproceedings`` with a journal, ``@misc`` with a
    booktitle.  A report's number goes with its institution."""
    family = _family(record)
    tags: list[tuple[str, str]] = []
    if family in _VENUE_OF:
        name, fields = _VENUE_OF[family]
        venue = _text(record, *fields)
        if venue:
            tags.append((name, venue))
    if family == REPORT:
        number = _text(record, "number")
        if number:
            tags.append(("citation_technical_report_number", number))
    if family not in (THESIS, REPORT) and not tags:
        journal, book = _text(record, "journal", "journaltitle"), _text(record, "booktitle")
        if journal:
            tags.append(("citation_journal_title", journal))
        elif book:
            tags.append(("citation_conference_title", book))
    return tags


def _number_tags(record: Publication) -> list[tuple[str, str]]:
    """Volume, issue (a report's number is its own tag), publisher, ISBN, ISSN and
    the page range."""
    tags: list[tuple[str, str]] = []
    for name, fields in (
        ("citation_volume", ("volume",)),
        ("citation_issue", ("number",) if _family(record) != REPORT else ()),
        ("citation_publisher", ("publisher",)),
        ("citation_isbn", ("isbn",)),
        ("citation_issn", ("issn",)),
    ):
        value = _text(record, *fields) if fields else ""
        if value:
            tags.append((name, value))
    first, last = page_range(record)
    if first:
        tags.append(("citation_firstpage", first))
    if last:
        tags.append(("citation_lastpage", last))
    return tags


def _identifier_tags(record: Publication, pdf_url: str) -> list[tuple[str, str]]:
    """The full text's address, the DOI and the arXiv identifier."""
    tags: list[tuple[str, str]] = []
    found = identifiers(record)
    pdf = pdf_url or found.get("pdf", "")
    if pdf:
        tags.append(("citation_pdf_url", pdf))
    if "doi" in found:
        tags.append(("citation_doi", found["doi"]))
    if "arxiv" in found:
        tags.append(("citation_arxiv_id", found["arxiv"]))
    return tags


def meta_html(tags: Sequence[tuple[str, str]]) -> str:
    """The tags as ``<meta name="..." content="...">`` lines, values escaped."""
    return "".join(
        f'<meta name="{html.escape(name)}" content="{html.escape(clean_text(content))}">\n'
        for name, content in tags
    )


def _person_ld(person: Person, brief: bool = False) -> dict[str, str]:
    data = {"@type": "Person", "name": person.display}
    if brief:
        return data
    if given_name(person):
        data["givenName"] = given_name(person)
    if family_name(person):
        data["familyName"] = family_name(person)
    return data


def scholarly_article(record: Publication, url: str = "", brief: bool = False) -> dict[str, Any]:
    """A schema.org ``ScholarlyArticle`` for *record* (no ``@context``); *brief*
    keeps the name, people's names, date, venue, address and links (an item of a
    list: a page of thousands of entries must not carry all their details twice)."""
    data: dict[str, Any] = {"@type": "ScholarlyArticle"}
    if url:
        data["url"] = url
    title = " ".join(plain(record.title).split())
    if title:
        data["name"] = title
        data["headline"] = title if len(title) <= 110 else title[:109] + "…"
    authors = _people(record.authors)
    if authors:
        data["author"] = [_person_ld(person, brief) for person in authors]
    editors = _people(record.editors)
    if editors:
        data["editor"] = [_person_ld(person, brief) for person in editors]
    date = publication_date(record, "-")
    if date:
        data["datePublished"] = date
    part_of = _part_of(record)
    if part_of:
        data["isPartOf"] = part_of
    if not brief:
        data.update(_details(record))
    found = identifiers(record)
    same = [found[name] for name in ("doi_url", "arxiv_url", "html") if name in found]
    if same:
        data["sameAs"] = same
    if not brief:
        data.update(_keywords(record))
    return data


def _part_of(record: Publication) -> dict[str, Any]:
    """What *record* is part of: its journal (and volume), or the book it is in."""
    family = _family(record)
    if family == JOURNAL:
        venue, venue_type = _text(record, "journal", "journaltitle"), "Periodical"
    elif family in (CONFERENCE, BOOK_PART):
        venue, venue_type = _text(record, "booktitle"), "Book"
    else:
        return {}
    if not venue:
        return {}
    part_of: dict[str, Any] = {"@type": venue_type, "name": venue}
    volume = _text(record, "volume")
    if volume and venue_type == "Periodical":
        part_of = {"@type": "PublicationVolume", "volumeNumber": volume, "isPartOf": part_of}
    return part_of


def _details(record: Publication) -> dict[str, Any]:
    """Publisher, pages, abstract and DOI: what a list's brief items leave out."""
    data: dict[str, Any] = {}
    publisher = _text(record, "publisher", "school", "institution", "organization")
    if publisher:
        data["publisher"] = {"@type": "Organization", "name": publisher}
    first, last = page_range(record)
    if first:
        data["pageStart"] = first
    if last:
        data["pageEnd"] = last
    abstract = "\n\n".join(" ".join(plain(p).split()) for p in record.abstract)
    if abstract:
        data["abstract"] = abstract
    found = identifiers(record)
    if "doi" in found:
        data["identifier"] = [
            {"@type": "PropertyValue", "propertyID": "DOI", "value": found["doi"]}
        ]
    return data


def _keywords(record: Publication) -> dict[str, Any]:
    keywords = _text(record, "keywords")
    if not keywords:
        return {}
    return {"keywords": [k.strip() for k in re.split(r"[,;]", keywords) if k.strip()]}


def item_list(items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A schema.org ``ItemList`` of *items* (a publications list page)."""
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "numberOfItems": len(items),
        "itemListElement": [
            {"@type": "ListItem", "position": index, "item": item}
            for index, item in enumerate(items, start=1)
        ],
    }


def json_ld_html(data: dict[str, Any], compact: bool = False) -> str:
    """*data* in a ``<script type="application/ld+json">`` element (*compact*: on
    one line).  ``<``, ``>`` and ``&`` are written as JSON escapes, so no value can
    close the element."""
    data = clean_json(data)  # type: ignore[assignment]  # records come cleaned; a guard
    if compact:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    else:
        text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">\n{text}\n</script>\n'
