"""How an entry's lines read: the author line, the venue line, the date.

Pure functions over :class:`~sphinx_pubs.core.model.Publication`, shared by every output
format.  Words that are shown to readers come in through arguments so the renderer
can translate them.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from sphinx_pubs.core.markup import merge
from sphinx_pubs.core.model import Inline, Person, Publication, RichText, plain
from sphinx_pubs.core.vocab import ANY_VENUE, BOOK, ENTRY_TYPES, MONTH_ABBR, OTHER_TYPE


@dataclass(frozen=True)
class AuthorLine:
    """The people of an entry, split into those shown and those behind "N more"."""

    shown: tuple[Person, ...]
    hidden: tuple[Person, ...]
    #: the list ended in BibTeX's "and others"
    et_al: bool
    #: "author" or "editor"
    role: str

    @property
    def everyone(self) -> tuple[Person, ...]:
        return self.shown + self.hidden


def author_line(record: Publication, max_authors: int) -> AuthorLine | None:
    """Who to name for *record* (authors, else editors); None when nobody.

    *max_authors* ``0`` (or less) shows everyone.  A list one longer than the limit
    is still cut, as al-folio does ("A, B, C, and 1 more author").
    """
    role = "author"
    people = record.authors
    if not people and record.editors:
        role, people = "editor", record.editors
    et_al = bool(people) and people[-1].is_others
    people = tuple(p for p in people if not p.is_others)
    if not people:
        return None
    if max_authors > 0 and len(people) > max_authors:
        return AuthorLine(people[:max_authors], people[max_authors:], et_al, role)
    return AuthorLine(people, (), et_al, role)


def date_text(record: Publication) -> str:
    """ "Mar 2025", "2025", or the year text as written ("in press"); may be empty."""
    if record.year is None:
        return record.year_text
    if record.month or record.month_label:
        month = record.month_label or MONTH_ABBR[record.month - 1]  # type: ignore[operator]
        return f"{month} {record.year_text or record.year}"
    return record.year_text or str(record.year)


def venue_of(record: Publication) -> tuple[RichText, bool]:
    """The venue of *record* and whether it reads "In <venue>": the field of its type
    first (:attr:`~sphinx_pubs.core.vocab.EntryType.venue`), else any venue field it
    has (:data:`~sphinx_pubs.core.vocab.ANY_VENUE`)."""
    entry_type = ENTRY_TYPES.get(record.type, OTHER_TYPE)
    fields, prefixed = entry_type.venue, entry_type.venue_in
    book = record.rich("booktitle")
    if entry_type.family == BOOK and book and plain(book) != plain(record.title):
        # a book with a book title is a part of that book (a chapter filed as @book)
        fields, prefixed = ("booktitle",), True
    for name in fields:
        venue = tidy_piece(record.rich(name))
        if venue:
            return venue, prefixed
    for name, prefixed in ANY_VENUE:
        venue = tidy_piece(record.rich(name))
        if venue:
            return venue, prefixed
    return (), False


_LEAD = " ,;:."
_TRAIL = " ,;:"


def tidy_piece(rich: RichText) -> RichText:
    """One piece of a comma-separated line without the punctuation that the line's
    own commas would double: a leading ``. ,;:`` (``additional_info = {. More}``),
    a trailing ``,;:`` (``journal = {Phys. Rev.,}``), a period after a number
    (``CISIS 2023.``), empty pieces of a list (``Paris, , France``)."""
    if not rich:
        return rich
    out = list(rich)
    if isinstance(out[0], str):
        out[0] = out[0].lstrip(_LEAD)
    if isinstance(out[-1], str):
        last = out[-1].rstrip(_TRAIL)
        if last.endswith(".") and last[-2:-1].isdigit():
            last = last[:-1]
        out[-1] = last
    out = [_EMPTY_PIECES.sub(", ", item) if isinstance(item, str) else item for item in out]
    return tuple(item for item in out if item != "")


_EMPTY_PIECES = re.compile(r"\s*,(?:\s*,)+\s*")


def venue_line(record: Publication, in_word: str = "In") -> RichText:
    """The venue, the location, the extra info and the date, comma-separated.

    ``@article`` gives the journal; ``@inproceedings``/``@incollection`` "In " and the
    book title; theses the school; books the publisher; an empty venue is left out
    rather than printed as "In , ".
    """
    parts: list[RichText] = []
    venue, prefixed = venue_of(record)
    if venue:
        parts.append((f"{in_word} ", *venue) if prefixed else venue)
    place = tidy_piece(record.rich("location")) or tidy_piece(record.rich("address"))
    if place:
        parts.append(place)
    extra = tidy_piece(record.rich("additional_info"))
    if extra:
        parts.append(extra)
    date = date_text(record)
    if date:
        parts.append((date,))
    line: list[Inline] = []
    for index, part in enumerate(parts):
        if index:
            line.append(", ")
        line.extend(part)
    return merge(line)


def short_citation(record: Publication, and_word: str = "and", et_al: str = "et al.") -> str:
    """ "Ko et al., 2025", "Ko and Lee, 2025", "Ko, 2025": the last names of the
    authors (else the editors; else the title) and the year as written."""
    people = [p for p in (record.authors or record.editors) if not p.is_others]
    names = [" ".join(p.prelast + p.last) or p.display for p in people]
    more = len(people) < len(record.authors or record.editors)
    if not names:
        who = plain(record.title) or record.key
    elif len(names) == 1:
        who = f"{names[0]} {et_al}" if more else names[0]
    elif len(names) == 2 and not more:
        who = f"{names[0]} {and_word} {names[1]}"
    else:
        who = f"{names[0]} {et_al}"
    when = record.year_text or (str(record.year) if record.year else "")
    return f"{who}, {when}" if when else who


# -- templates: labels with placeholders ("{n} more authors") -------------------------

_TEMPLATE = string.Formatter()


def template_problem(template: str, names: tuple[str, ...]) -> str | None:
    """What is wrong with *template*, whose placeholders may only be ``{name}`` for
    *names* (``{{`` and ``}}`` are braces); None when nothing is.  No attribute or
    index (``{n.x}``, ``{n[0]}``), position (``{0}``, ``{}``), conversion or format."""
    allowed = ", ".join("{" + name + "}" for name in names) or "none"
    try:
        parts = list(_TEMPLATE.parse(template))
    except ValueError as error:
        return f"malformed template ({error}; write {{{{ and }}}} for braces)"
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in names:
            return f"unknown placeholder {{{name}}} (placeholders: {allowed})"
        if spec or conversion:
            return f"the placeholder {{{name}}} takes no format or conversion"
    return None


def fill(template: str, fallback: str, **values: object) -> str:
    """*template* with its placeholders replaced by *values*; *fallback* (a good
    template) when the template has others, or a format (see :func:`template_problem`)."""
    names = tuple(values)
    if template_problem(template, names) is not None:
        template = fallback
    out = []
    for literal, name, _, _ in _TEMPLATE.parse(template):
        out.append(literal)
        if name is not None:
            out.append(str(values[name]))
    return "".join(out)
