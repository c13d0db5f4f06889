"""Dates as bibliographies write them: month names and numbers in several languages,
``month`` fields that are more than a month (``may # "~17"``, ``oct # {-} # nov``, a
season, an ISO date and time), years in text (``2021a``), and the words of an entry
that is undated on purpose ("in press").  Read by the BibTeX and the CSL reader.  Pure
Python.
"""

from __future__ import annotations

import re

from sphinx_pubs.core.vocab import ISO_DATETIME, MONTH_ABBR

#: month names and abbreviations (English, French, German, ASCII-folded) -> number
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
_SEASONS = frozenset({"spring", "summer", "fall", "autumn", "winter"})


def read_month(value: str) -> tuple[int | None, str]:
    """The month of a ``month`` field and how it reads when it is more than a month:
    ``(3, "")`` for ``mar``, ``(5, "May 17")`` for ``may # "~17"``, ``(10, "Oct–Nov")``
    for ``oct # {-} # nov``, ``(5, "May 17")`` for ``2023-05-17T10:00:00Z``,
    ``(None, "Spring")`` for a season; ``(None, "")`` when nothing can be understood."""
    text = value.replace("\xa0", " ").strip()
    number = parse_month(text)
    if number is not None:
        return number, ""
    iso = ISO_DATETIME.match(text)
    if iso:
        number = int(iso.group(1))
        if not 1 <= number <= 12:
            return None, ""
        date = int(iso.group(2) or 0)
        return number, f"{MONTH_ABBR[number - 1]} {date}" if 1 <= date <= 31 else ""
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
            pieces.append(MONTH_ABBR[month - 1])
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
