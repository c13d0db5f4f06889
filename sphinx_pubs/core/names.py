"""Who wrote it: matching names to the site's owners and homepages, and author marks.

Pure Python.  A name given in ``conf.py`` ("Albert Einstein", "Einstein, A.") matches
an author when the last names agree and the first names agree or are compatible
initials, ignoring case, accents, braces and punctuation.  Co-first and
corresponding-author marks (``*``, ``†``, ``‡``, ``§``, ``¶``) written at the end of a
last name are split off so that they can be shown as superscripts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pybtex.database import Person as PybtexPerson
from pybtex.exceptions import PybtexError

from sphinx_pubs.core.latex.decoder import decode_plain
from sphinx_pubs.core.model import Person

#: marks al-folio shows as superscripts after a name
MARKS = "*†‡§¶"
_TRAILING_MARKS = re.compile(f"[{re.escape(MARKS)}]+$")
_NOT_LETTERS = re.compile(r"[^\w\s-]+")
_SEPARATORS = re.compile(r"[\s-]+")
#: what only pybtex's own name splitter handles (see _plain_name_parts)
_PLAIN_NAME = re.compile(r"[{}\\~]")


@dataclass(frozen=True)
class NameKey:
    """A name reduced for matching: the last name and the first-name words."""

    last: str
    first: tuple[str, ...]


def split_mark(person: Person) -> tuple[Person, str]:
    """*person* without the marks at the end of the last name, and the marks."""
    if not person.last:
        return person, ""
    last = person.last[-1]
    match = _TRAILING_MARKS.search(last)
    if match is None or match.start() == 0:
        return person, ""
    stripped = (*person.last[:-1], last[: match.start()])
    return Person(person.first, person.middle, person.prelast, stripped, person.lineage), (
        match.group()
    )


_ONLY_MARKS = re.compile(f"^[{re.escape(MARKS)}]+$")
_NAME_ENDS = " \t\n,;"
_STRAY_AND = re.compile(r"^(?:and\s+)+|(?:\s+and)+$", re.IGNORECASE)
_LINEAGE = re.compile(r"^(?:jr|sr|jnr|snr|[IVX]+|\d+(?:st|nd|rd|th))\.?$", re.IGNORECASE)


def gather_marks(person: Person) -> Person:
    """*person* with the marks written after any of its words (``Navneet* Agarwal``,
    ``Emad Bahrami *``) moved to the end of the last name, where :func:`split_mark`
    finds them."""
    words = (*person.first, *person.middle, *person.prelast, *person.last)
    if not any(word[-1:] in MARKS for word in words if word):
        return person
    marks: list[str] = []

    def strip(part: tuple[str, ...]) -> tuple[str, ...]:
        out = []
        for word in part:
            match = _TRAILING_MARKS.search(word)
            if match is not None:
                marks.append(match.group())
                word = word[: match.start()]
            if word:
                out.append(word)
        return tuple(out)

    first, middle, prelast, last = (
        strip(p) for p in (person.first, person.middle, person.prelast, person.last)
    )
    if not last:  # "Emad Bahrami *": the last name was the mark
        if middle:
            middle, last = middle[:-1], middle[-1:]
        elif first:
            first, last = first[:-1], first[-1:]
        else:
            return person
    seen = "".join(dict.fromkeys("".join(marks)))
    last = (*last[:-1], last[-1] + seen)
    return Person(first, middle, prelast, last, person.lineage)


def clean_names(names: list[str]) -> list[str]:
    """The names of a split name list without what a name cannot be: the commas
    and spaces at their ends (``Vagliano, Iacopo,``), a stray ``and`` (``A, and and
    B``), empty names."""
    out = []
    for name in names:
        name = name.strip(_NAME_ENDS)
        if name[:4].lower() == "and " or name[-4:].lower() == " and" or name.lower() == "and":
            name = _STRAY_AND.sub("", name).strip(_NAME_ENDS)
            if name.lower() == "and":
                continue
        if name:
            out.append(name)
    return out


def comma_list(name: str) -> list[str] | None:
    """The names of *name* when it is a list separated by commas instead of ``and``,
    else None: three or more parts, each a name of two or more words (``Qiu Quan, Sun
    Na, Bai He``) or a pair of one-word parts written "Last, First" (``Zhang, Linqi,
    Sriharsha Karumuri``), none a "Jr"."""
    if name.count(",") < 2 or "{" in name:
        return None
    parts = [part.strip() for part in name.split(",")]
    if any(_LINEAGE.match(part) or not part for part in parts):
        return None
    names: list[str] = []
    index = 0
    while index < len(parts):
        part = parts[index]
        if len(part.split()) >= 2:
            names.append(part)
            index += 1
        elif index + 1 < len(parts) and len(parts[index + 1].split()) == 1:
            names.append(f"{part}, {parts[index + 1]}")
            index += 2
        else:
            return None
    return names if len(names) >= 2 else None


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NOT_LETTERS.sub("", text.replace(".", " ")).lower().strip()


def key_of(person: Person) -> NameKey:
    first = " ".join(person.first + person.middle)
    last = " ".join(person.prelast + person.last)
    return NameKey(_fold(last), tuple(w for w in _SEPARATORS.split(_fold(first)) if w))


def _is_von(word: str) -> bool:
    """pybtex's test of a word with no braces nor backslash: its first letter is lower case."""
    for char in word:
        if char.isalpha():
            return char.islower()
    return False


def _plain_name_parts(text: str) -> list[list[str]]:
    """pybtex's split of a name with no braces, backslash nor ``~`` and at most two
    commas (most names), without pybtex's machinery; the same answer (tested)."""
    parts = [part.strip() for part in text.strip().split(",")]
    first: list[str] = []
    middle: list[str] = []
    prelast: list[str] = []
    last: list[str] = []
    lineage: list[str] = []

    def von_last(words: list[str]) -> None:
        # the last word is never "von"; the "von" part ends at the last von word before it
        cut = 0
        for index in range(len(words) - 2, -1, -1):
            if _is_von(words[index]):
                cut = index + 1
                break
        prelast.extend(words[:cut])
        last.extend(words[cut:])

    def first_middle(words: list[str]) -> None:
        first.extend(words[:1])
        middle.extend(words[1:])

    if len(parts) == 1:
        words = text.split()
        split = next((i for i, word in enumerate(words) if _is_von(word)), len(words))
        given, rest = words[:split], words[split:]
        if not rest and given:
            rest = [given.pop()]
        first_middle(given)
        von_last(rest)
    else:
        von_last(parts[0].split())
        if len(parts) == 3:
            lineage.extend(parts[1].split())
        first_middle(parts[-1].split())
    return [first, middle, prelast, last, lineage]


def name_parts(text: str) -> tuple[list[list[str]], str]:
    """BibTeX's split of a name into first, middle, prelast ("von"), last and lineage
    ("Jr") words, as written (LaTeX not decoded), and "" -- or, when pybtex cannot
    split it, the whole text as the last name and pybtex's reason."""
    text = text.strip(_NAME_ENDS)
    if _PLAIN_NAME.search(text) is None and text.count(",") <= 2:
        return _plain_name_parts(text), ""
    try:
        person = PybtexPerson(text)
    except PybtexError as error:
        return [[], [], [], [text], []], str(error)
    parts = [
        person.first_names,
        person.middle_names,
        person.prelast_names,
        person.last_names,
        person.lineage_names,
    ]
    return parts, ""


def parse_name(text: str) -> NameKey | None:
    """The key of a name as written in ``conf.py``; None if it cannot be read."""
    words, error = name_parts(text)
    if error:
        return None
    parts = [tuple(decode_plain(word)[0] for word in part) for part in words]
    key = key_of(split_mark(Person(*parts))[0])
    return key if key.last else None


def matches(candidate: NameKey, wanted: NameKey) -> bool:
    """Whether an author (*candidate*) is the person named in the configuration."""
    if candidate.last != wanted.last:
        return False
    if not wanted.first:
        return True  # the configuration names a last name only
    if not candidate.first:
        return False
    for mine, theirs in zip(candidate.first, wanted.first, strict=False):
        if mine == theirs:
            continue
        short, full = sorted((mine, theirs), key=len)
        if len(short) == 1 and full.startswith(short):
            continue  # an initial
        return False
    return True
