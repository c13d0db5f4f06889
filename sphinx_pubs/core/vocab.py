"""The one vocabulary: entry types, field names, CSL's names for them, date patterns.

Every stage reads its tables from here: the readers (which types they know, which
fields they decode, what CSL's variables are called in BibTeX), the view (which
field holds the venue of a type), the grouping (what a type's group is called, and
the groups' order), the writers and the search-engine tags (what a type and a field
are called in CSL, what kind of publication a type is).

An entry type is one row of :data:`ENTRY_TYPES`: adding a type means adding a row.
Where a table is the inverse of another (CSL's type for a BibTeX type, and the
BibTeX type a CSL type reads as; a field's CSL variable and a variable's field) it is
derived by :func:`invert`, which asks for an explicit choice wherever the inverse is
not one-to-one.  Pure Python.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# -- entry types -------------------------------------------------------------------------

#: what search engines call a kind of publication (:attr:`EntryType.family`)
JOURNAL = "journal"
CONFERENCE = "conference"
BOOK = "book"
BOOK_PART = "book part"
THESIS = "thesis"
REPORT = "report"


@dataclass(frozen=True)
class EntryType:
    """What the package knows about one BibTeX or biblatex entry type."""

    #: the name of its ``:group-by: type`` group; "" for the type's name capitalised
    group: str = ""
    #: the CSL item type it is written as (``document``: CSL has none for it)
    csl: str = "document"
    #: the fields that hold its venue, the first the entry has wins
    venue: tuple[str, ...] = ("howpublished",)
    #: its venue reads "In <venue>"
    venue_in: bool = False
    #: the field a CSL ``container-title`` is for an item read as this type
    container: str = "howpublished"
    #: the field a CSL ``publisher`` is for an item read as this type
    publisher: str = "publisher"
    #: what kind of publication it is (:data:`JOURNAL`, :data:`THESIS`...); "" for none
    family: str = ""


_JOURNAL_ARTICLE = EntryType(
    "Journal articles",
    "article-journal",
    ("journal", "journaltitle"),
    container="journal",
    family=JOURNAL,
)
_PAPER = EntryType(
    "Conference papers",
    "paper-conference",
    ("booktitle",),
    True,
    container="booktitle",
    family=CONFERENCE,
)
_CHAPTER = EntryType(
    "Book chapters", "chapter", ("booktitle",), True, container="booktitle", family=BOOK_PART
)
_BOOK_PART = EntryType("Book chapters", "chapter", container="booktitle", family=BOOK_PART)
_THESIS = EntryType(
    "Theses", "thesis", ("school", "institution"), publisher="school", family=THESIS
)
_REPORT = EntryType("Reports", "report", ("institution",), publisher="institution", family=REPORT)

#: Every entry type BibTeX and biblatex define (anything else is rendered like
#: ``misc``, with a warning).  The rows' order is the default order of the type
#: groups: a group's place is that of its first row; groups of types without a
#: group name come after, in order of appearance.
ENTRY_TYPES: dict[str, EntryType] = {
    "article": _JOURNAL_ARTICLE,
    "inproceedings": _PAPER,
    "conference": _PAPER,
    "book": EntryType("Books", "book", ("publisher",), family=BOOK),
    "mvbook": EntryType("Books", "book", family=BOOK),
    "collection": EntryType("Edited volumes", "collection", ("publisher",), family=BOOK),
    "mvcollection": EntryType("Edited volumes", "collection"),
    "proceedings": EntryType("Edited volumes", "book", ("publisher", "organization"), family=BOOK),
    "mvproceedings": EntryType("Edited volumes", "book"),
    "incollection": _CHAPTER,
    "inbook": _CHAPTER,
    "bookinbook": _BOOK_PART,
    "suppbook": _BOOK_PART,
    "suppcollection": EntryType("Book chapters", "chapter", container="booktitle"),
    "phdthesis": _THESIS,
    "mastersthesis": _THESIS,
    "thesis": _THESIS,
    "techreport": _REPORT,
    "report": _REPORT,
    "patent": EntryType("Patents", "patent"),
    "software": EntryType("Software", "software"),
    "dataset": EntryType("Datasets", "dataset"),
    "manual": EntryType("Manuals", "book", ("organization",)),
    "online": EntryType("Online", "webpage", ("howpublished", "organization")),
    "electronic": EntryType("Online", "webpage"),
    "www": EntryType("Online", "webpage"),
    "unpublished": EntryType("Unpublished", "manuscript"),
    "misc": EntryType("Other", "document"),
    "booklet": EntryType("Other", "pamphlet"),
    "periodical": EntryType(csl="periodical"),
    "suppperiodical": EntryType(csl="article-journal"),
    "reference": EntryType(csl="book", family=BOOK),
    "mvreference": EntryType(csl="book"),
    "set": EntryType(),
    "standard": EntryType(csl="standard"),
    "review": EntryType(csl="review"),
    "legislation": EntryType(csl="legislation"),
    "jurisdiction": EntryType(csl="legal_case"),
    "legal": EntryType(csl="hearing"),
    "letter": EntryType(csl="personal_communication"),
    "movie": EntryType(csl="motion_picture"),
    "video": EntryType(csl="broadcast"),
    "music": EntryType(csl="song"),
    "audio": EntryType(csl="song"),
    "artwork": EntryType(csl="graphic"),
    "image": EntryType(csl="figure"),
    "performance": EntryType(csl="performance"),
}

#: the row of an entry type no table knows: rendered like ``misc``
OTHER_TYPE = ENTRY_TYPES["misc"]

#: the entry types BibTeX and biblatex define
KNOWN_TYPES = frozenset(ENTRY_TYPES)

#: biblatex entry types that hold data for other entries rather than a publication
DATA_TYPES = frozenset({"set", "xdata"})

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

#: What ``:group-by: type`` calls each entry type; types with the same name share a
#: group.  ``pubs_type_names`` and ``pubs_type_order`` change names and order.
TYPE_NAMES: dict[str, str] = {name: row.group for name, row in ENTRY_TYPES.items() if row.group}


def _first_of_each_group() -> tuple[str, ...]:
    first: dict[str, str] = {}
    for name, row in ENTRY_TYPES.items():
        if row.group:
            first.setdefault(row.group, name)
    return tuple(first.values())


#: the default order of the type groups, by entry type: the first type of each group
TYPE_ORDER = _first_of_each_group()


# -- fields -----------------------------------------------------------------------------

#: Name-list fields, split into :class:`~sphinx_pubs.core.model.Person` records.
PERSON_FIELDS = ("author", "editor")

#: Fields decoded from LaTeX when a file is read: the ones the page shows.  Every
#: other field is kept as written in :attr:`~sphinx_pubs.core.model.Publication.fields`
#: (identifiers, links, dates, and fields no page shows, whose LaTeX would only cause
#: warnings).
TEXT_FIELDS = frozenset(
    """
    title subtitle titleaddon shorttitle maintitle booktitle booksubtitle journal
    journaltitle journalsubtitle issuetitle school institution publisher organization
    howpublished location address venue eventtitle note addendum additional_info
    series edition chapter volume number pages type version language award award_name
    annotation abbr
    """.split()
)

#: entry types whose ``organization`` is their publisher when they have no
#: ``publisher`` (a manual's company, a proceedings volume's society): written as
#: CSL's ``publisher``
ORGANIZATION_PUBLISHERS = frozenset({"manual", "proceedings"})

#: where a venue is looked for when the fields of the entry's type are empty
#: (``@inproceedings`` with a ``journal``, ``@misc`` with a ``booktitle``...), in
#: order, and whether it reads "In <venue>"
ANY_VENUE: tuple[tuple[str, bool], ...] = (
    ("journal", False),
    ("journaltitle", False),
    ("booktitle", True),
    ("eventtitle", False),
    ("howpublished", False),
)

#: BibTeX fields and biblatex's name for the same field, which a writer takes when
#: the entry lacks the BibTeX one
BIBLATEX_NAMES = {"journal": "journaltitle", "school": "institution"}


# -- CSL --------------------------------------------------------------------------------


def invert(table: Mapping[str, str], prefer: Mapping[str, str]) -> dict[str, str]:
    """*table* read backwards.  A value that several keys have maps back to the key
    *prefer* names for it; a value missing from *prefer* there is an error, and so is
    a choice that is not among the keys (both caught by the tests, at import)."""
    keys: dict[str, list[str]] = {}
    for key, value in table.items():
        keys.setdefault(value, []).append(key)
    out: dict[str, str] = {}
    for value, candidates in keys.items():
        if len(candidates) == 1:
            out[value] = candidates[0]
        elif prefer.get(value) in candidates:
            out[value] = prefer[value]
        else:
            raise ValueError(f"{value!r} inverts to any of {candidates}: choose one")
    return out


#: entry type -> the CSL item type it is written as
CSL_TYPES: dict[str, str] = {name: row.csl for name, row in ENTRY_TYPES.items()}

#: The entry type a CSL type reads as, where several are written as it: the most
#: general one (a CSL ``thesis`` is a PhD thesis unless its ``genre`` says master's).
_READ_BACK_AS = {
    "article-journal": "article",
    "paper-conference": "inproceedings",
    "chapter": "incollection",
    "book": "book",
    "collection": "collection",
    "thesis": "phdthesis",
    "report": "techreport",
    "webpage": "online",
    "song": "music",
    "document": "misc",
}

#: CSL types read otherwise than :data:`CSL_TYPES` inverted: those no entry type is
#: written as, and ``personal_communication`` (a letter is written as one, but CSL's
#: is any personal communication: read as ``misc``)
_CSL_ONLY_TYPES = {
    "article": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "entry": "incollection",
    "entry-dictionary": "incollection",
    "entry-encyclopedia": "incollection",
    "classic": "book",
    "post": "online",
    "post-weblog": "online",
    "review-book": "review",
    "bill": "legislation",
    "regulation": "legislation",
    "treaty": "legal",
    "musical_score": "music",
    "map": "image",
    "speech": "misc",
    "presentation": "misc",
    "event": "misc",
    "interview": "misc",
    "personal_communication": "misc",
}

#: CSL item type -> the BibTeX/biblatex entry type it reads as
TYPE_MAP: dict[str, str] = {**invert(CSL_TYPES, _READ_BACK_AS), **_CSL_ONLY_TYPES}

#: CSL variables with a BibTeX twin of another name (``container-title``,
#: ``publisher``, ``issue`` and ``number`` depend on the type and are handled apart;
#: the other variables are the fields of their name in lower case)
CSL_FIELDS: dict[str, str] = {
    "publisher-place": "address",
    "event-place": "location",
    "event-title": "eventtitle",
    "event": "eventtitle",
    "page": "pages",
    "keyword": "keywords",
    "collection-title": "series",
    "collection-number": "seriesnumber",
    "title-short": "shorttitle",
    "shortTitle": "shorttitle",
    "container-title-short": "shortjournal",
    "journalAbbreviation": "shortjournal",
    "chapter-number": "chapter",
    "number-of-pages": "pagetotal",
    "number-of-volumes": "volumes",
    "genre": "type",
    "status": "pubstate",
    "medium": "howpublished",
    "original-title": "origtitle",
    "DOI": "doi",
    "URL": "url",
    "ISBN": "isbn",
    "ISSN": "issn",
    "PMID": "pmid",
    "PMCID": "pmcid",
}

#: CSL variables written under their own name (the others a writer leaves to ``custom``)
SAME_NAME_VARIABLES = ("title", "volume", "edition", "language", "version", "note")

#: the CSL variable a field is written as, where several read as it: CSL's own
#: name, not the one Zotero or an older CSL wrote
_WRITE_AS = {
    "eventtitle": "event-title",
    "shorttitle": "title-short",
    "shortjournal": "container-title-short",
}

#: field -> the CSL variable it is written as, for the fields that are a variable
#: whatever the type
FIELD_VARIABLES: dict[str, str] = {
    **{name: name for name in SAME_NAME_VARIABLES},
    **invert(CSL_FIELDS, _WRITE_AS),
}

#: CSL variables that are identifiers, written as in the file (``\\_`` unescaped)
IDENTIFIER_VARIABLES = frozenset({"DOI", "URL", "ISBN", "ISSN", "PMID", "PMCID"})

#: CSL name variables kept, as BibTeX name lists, under these field names
CSL_NAME_FIELDS: dict[str, str] = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "container-author": "bookauthor",
    "collection-editor": "serieseditor",
    "director": "director",
    "interviewer": "interviewer",
    "recipient": "recipient",
    "reviewed-author": "reviewedauthor",
    "composer": "composer",
    "illustrator": "illustrator",
    "editorial-director": "editorialdirector",
    "original-author": "origauthor",
}

#: name-list fields -> CSL name variables, but ``author`` and ``editor`` (which come
#: from the record's people)
NAME_VARIABLES: dict[str, str] = {
    field: variable
    for field, variable in invert(CSL_NAME_FIELDS, {}).items()
    if field not in PERSON_FIELDS
}

#: CSL date variables other than ``issued``, kept as ISO dates
CSL_DATE_FIELDS: dict[str, str] = {
    "accessed": "urldate",
    "original-date": "origdate",
    "event-date": "eventdate",
    "submitted": "submitted",
}

#: date fields -> CSL date variables
DATE_VARIABLES: dict[str, str] = invert(CSL_DATE_FIELDS, {})

#: CSL variables whose text is CSL rich text (the others are identifiers, numbers, links)
RICH_VARIABLES = frozenset(
    """
    title title-short shortTitle container-title container-title-short collection-title
    publisher publisher-place event event-title event-place note abstract genre medium
    original-title original-publisher original-publisher-place status version
    references annote archive archive-place authority dimensions section source
    part-title volume-title reviewed-title
    """.split()
)

#: rich-text styles and the tags CSL writes them with (small capitals are a
#: ``<span style="font-variant:small-caps;">``; other styles have no CSL markup)
CSL_TAGS: dict[str, str] = {"emph": "i", "strong": "b", "sup": "sup", "sub": "sub"}

#: CSL's tags, and the ``small-caps`` of its span, -> the style they mark
CSL_STYLES: dict[str, str] = {**invert(CSL_TAGS, {}), "small-caps": "smallcaps"}

# -- dates ------------------------------------------------------------------------------

#: the months as the page abbreviates them
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


#: an ISO date and nothing else: ``2021``, ``2021-05``, ``2021-05-03`` (a writer's
#: ``date-parts``)
ISO_DATE = re.compile(r"^\s*(-?\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")
#: an ISO date with anything after it, a time or the end of an interval (a CSL
#: date written as text)
ISO_DATE_FIRST = re.compile(r"^\s*(-?\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?(?:[T/].*)?\s*$")
#: the year and month an ISO date starts with (biblatex's ``date`` field)
ISO_YEAR_MONTH = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?")
#: an ISO date or date and time, its month and day taken (a ``month`` field
#: holding a date)
ISO_DATETIME = re.compile(r"^\d{4}-(\d{1,2})(?:-(\d{1,2}))?(?:[T ][\d:.]*(?:Z|[+-][\d:]+)?)?$")
