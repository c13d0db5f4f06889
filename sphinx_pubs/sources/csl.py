"""Read CSL-JSON files (Zotero, Mendeley, pandoc, citeproc) into records.

Each CSL item becomes the :class:`~sphinx_pubs.model.Publication` the BibTeX reader
gives for the equivalent entry: a BibTeX entry type, the BibTeX names of the fields
(``container-title`` is ``journal`` for an article, ``booktitle`` for a paper in
proceedings, ``issue`` is ``number``...), names split into pybtex's parts, and the
date as ``year`` and ``month``.  Every later stage (grouping, the venue line, link
buttons, the BibTeX toggle) therefore works unchanged.

The file is decoded one item at a time, so every record knows the line of its ``{``,
and a syntax error costs only the item it is in: the reader resynchronises at the
next item.  No input raises; every problem becomes a :class:`~sphinx_pubs.model.Problem`.

Text variables may hold CSL's rich-text subset of HTML (``<i>``, ``<b>``, ``<sup>``,
``<sub>``, ``<span style="font-variant:small-caps;">``, ``<span class="nocase">``,
``<span class="nodecor">``) and character references.  It is read into rich text;
anything else is kept as literal text.  Math between ``$`` signs, pandoc's way of
writing math into CSL-JSON, is read as the BibTeX reader reads it.
"""

from __future__ import annotations

import bisect
import contextlib
import html
import json
import re
from collections.abc import Iterator
from typing import Any

from ..latex import decode
from ..latex import escape as latex_escape
from ..markup import CSL, parse
from ..model import Person, Problem, Publication, RichText, Source, Styled, plain, printable
from .bibtex import TEXT_FIELDS, UNDATED_WORDS, parse_month, parse_year

#: CSL item type -> BibTeX/biblatex entry type.  ``thesis`` depends on ``genre``.
TYPE_MAP: dict[str, str] = {
    "article": "article",
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "paper-conference": "inproceedings",
    "chapter": "incollection",
    "entry": "incollection",
    "entry-dictionary": "incollection",
    "entry-encyclopedia": "incollection",
    "book": "book",
    "classic": "book",
    "collection": "collection",
    "periodical": "periodical",
    "pamphlet": "booklet",
    "thesis": "phdthesis",
    "report": "techreport",
    "webpage": "online",
    "post": "online",
    "post-weblog": "online",
    "dataset": "dataset",
    "software": "software",
    "patent": "patent",
    "manuscript": "unpublished",
    "standard": "standard",
    "review": "review",
    "review-book": "review",
    "legislation": "legislation",
    "bill": "legislation",
    "regulation": "legislation",
    "legal_case": "jurisdiction",
    "hearing": "legal",
    "treaty": "legal",
    "motion_picture": "movie",
    "broadcast": "video",
    "song": "music",
    "musical_score": "music",
    "graphic": "artwork",
    "figure": "image",
    "map": "image",
    "performance": "performance",
    "speech": "misc",
    "presentation": "misc",
    "event": "misc",
    "interview": "misc",
    "personal_communication": "misc",
    "document": "misc",
}

#: ``genre`` words that make a CSL ``thesis`` a master's thesis
_MASTERS = re.compile(r"\bmaster|\bM\.?\s?(?:Sc|A|S|Phil|Eng)\b\.?|\bmagister", re.IGNORECASE)

#: types whose ``container-title`` is a journal, and types whose is a book
_JOURNAL_TYPES = frozenset({"article"})
_BOOK_TYPES = frozenset({"inproceedings", "incollection"})

#: CSL variables with a BibTeX twin of another name (``container-title``,
#: ``publisher``, ``issue`` and ``number`` depend on the type and are handled apart)
RENAMED: dict[str, str] = {
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

#: CSL name variables kept, as BibTeX name lists, under these field names
NAME_FIELDS: dict[str, str] = {
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

#: CSL date variables other than ``issued``, kept as ISO dates
DATE_FIELDS: dict[str, str] = {
    "accessed": "urldate",
    "original-date": "origdate",
    "event-date": "eventdate",
    "submitted": "submitted",
}

#: variables whose text is CSL rich text (the others are identifiers, numbers, links)
_RICH_VARIABLES = frozenset(
    """
    title title-short shortTitle container-title container-title-short collection-title
    publisher publisher-place event event-title event-place note abstract genre medium
    original-title original-publisher original-publisher-place status version
    references annote archive archive-place authority dimensions section source
    part-title volume-title reviewed-title
    """.split()
)

#: what is written to ``fields`` never comes from these item keys
_IGNORED = frozenset({"id", "type", "issued", "custom", "citation-key", "citation-label"})

_WS = re.compile(r"\s+")
_PARAGRAPHS = re.compile(r"\s*\n\s*")
_ISO_DATE = re.compile(r"^\s*(-?\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?(?:[T/].*)?\s*$")
_STYLE_OF = {"i": "emph", "b": "strong", "sup": "sup", "sub": "sub", "small-caps": "smallcaps"}
_LATEX_OF = {
    "emph": "\\textit",
    "strong": "\\textbf",
    "sup": "\\textsuperscript",
    "sub": "\\textsubscript",
    "smallcaps": "\\textsc",
}
#: pandoc's tex_math_dollars rule: ``$`` then a non-space ... a non-space then ``$``,
#: not followed by a digit ("$5 and $6" is no math)
_MATH = re.compile(r"\$(?=[^\s$])((?:[^$\\\n]|\\.)*?[^\s\\$])\$(?!\d)")
_PAGE_RANGE = re.compile(r"(?<=[0-9A-Za-z])\s*[-\u2010-\u2013]\s*(?=[0-9A-Za-z])")
_CSL_ID_IN = re.compile(r"\"id\"\s*:\s*(\"(?:[^\"\\\n]|\\.)*\"|-?\d+)")


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return "text" if isinstance(value, str) else "a number"


# -- rich text ---------------------------------------------------------------------------
#: a parsed text: strings, ``(style, children)`` pairs, and ``("$", tex)`` math
_Node = str | tuple[str, Any]


def _parse_markup(text: str) -> list[_Node]:
    """CSL rich text as a tree; a tag that is not CSL's, or not closed, is literal."""
    return parse([text], CSL)  # type: ignore[no-any-return]


def _split_math(text: str) -> Iterator[_Node]:
    pos = 0
    for match in _MATH.finditer(text):
        if match.start() > pos:
            yield text[pos : match.start()]
        yield ("$", match.group(1))
        pos = match.end()
    if pos < len(text):
        yield text[pos:]


def _with_math(nodes: list[_Node]) -> list[_Node]:
    out: list[_Node] = []
    for node in nodes:
        if isinstance(node, str):
            out.extend(_split_math(html.unescape(node)) if "$" in node else [html.unescape(node)])
        else:
            out.append((node[0], _with_math(node[1])))
    return out


def _rich(nodes: list[_Node], problems: list[str]) -> list[Any]:
    out: list[Any] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif node[0] == "$":
            rich, messages = decode(f"${node[1]}$")
            problems.extend(messages)
            out.extend(rich)
        else:
            children = _rich(node[1], problems)
            style = _STYLE_OF.get(node[0])
            if style is None:  # nocase, nodecor: no style of their own
                out.extend(children)
            elif children:
                out.append(Styled(style, tuple(children)))
    return out


def _latex(nodes: list[_Node]) -> str:
    """The tree as BibTeX field text: markup as LaTeX commands, specials escaped."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(latex_escape(node))
        elif node[0] == "$":
            parts.append(f"${node[1]}$")
        else:
            inner = _latex(node[1])
            command = _LATEX_OF.get(_STYLE_OF.get(node[0], ""))
            parts.append(f"{command}{{{inner}}}" if command else f"{{{inner}}}")
    return "".join(parts)


def _tidy(rich: list[Any]) -> RichText:
    """Whitespace collapsed, the ends stripped, adjacent strings joined, straight
    apostrophes curled (as citeproc and the BibTeX reader print them)."""
    merged = list(_tidy_inner(tuple(rich)))
    if merged and isinstance(merged[0], str):
        merged[0] = merged[0].lstrip(" ")
    if merged and isinstance(merged[-1], str):
        merged[-1] = merged[-1].rstrip(" ")
    return tuple(item for item in merged if item != "")


def _tidy_inner(rich: tuple[Any, ...]) -> RichText:
    out: list[Any] = []
    for item in rich:
        if isinstance(item, str):
            item = _WS.sub(" ", item).replace("'", "\u2019")
            if out and isinstance(out[-1], str):
                out[-1] += item
                continue
        elif isinstance(item, Styled):
            item = Styled(item.style, _tidy_inner(item.children))
        out.append(item)
    return tuple(item for item in out if item != "")


def read_rich(text: str) -> tuple[RichText, str, list[str]]:
    """CSL rich *text* as rich text, as BibTeX (LaTeX) field text, and its problems."""
    problems: list[str] = []
    if "<" not in text and "&" not in text and "$" not in text:
        tree: list[_Node] = [text]
    else:
        tree = _with_math(_parse_markup(text))
    return _tidy(_rich(tree, problems)), _latex(tree), problems


# -- names --------------------------------------------------------------------------------
def _words(value: str) -> tuple[str, ...]:
    return tuple(value.split())


def _braced(part: str) -> str:
    return f"{{{part}}}" if "," in part or " and " in part.lower() else part


# -- the reader ---------------------------------------------------------------------------
class CslReader:
    """Turns the text of one CSL-JSON file into records and problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.records: list[Publication] = []
        self.problems: list[Problem] = []
        self._newlines: list[int] = []
        self._decoder = json.JSONDecoder()

    def problem(self, line: int, message: str, subtype: str) -> None:
        self.problems.append(Problem(Source(self.path, line), printable(message), subtype))

    def line_at(self, pos: int) -> int:
        return bisect.bisect_left(self._newlines, pos) + 1

    # -- the file ------------------------------------------------------------------------
    def read(self, text: str) -> None:
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        pos = self._skip(text, 0)
        if pos >= len(text):
            return  # an empty file lists nothing, like an empty .bib
        seen: dict[str, int] = {}
        if text[pos] == "{":
            self._one(text, pos, seen)
            return
        if text[pos] != "[":
            self.problem(
                self.line_at(pos),
                "CSL-JSON syntax error: the file must hold an array of items ([...]) "
                "or a single item ({...}); nothing read",
                "syntax",
            )
            return
        self._array(text, pos + 1, seen)

    def _skip(self, text: str, pos: int) -> int:
        while pos < len(text) and text[pos] in " \t\n\r\ufeff":
            pos += 1
        return pos

    def _array(self, text: str, pos: int, seen: dict[str, int]) -> None:
        number = 0
        expect_item = True
        while True:
            pos = self._skip(text, pos)
            if pos >= len(text):
                self.problem(
                    self.line_at(len(text)),
                    "CSL-JSON syntax error: the file ends before the array is closed with ']'",
                    "syntax",
                )
                return
            char = text[pos]
            if char == "]":
                end = self._skip(text, pos + 1)
                if end < len(text):
                    self.problem(
                        self.line_at(end),
                        "CSL-JSON syntax error: text after the closing ']' ignored",
                        "syntax",
                    )
                return
            if char == ",":
                if expect_item:
                    self.problem(self.line_at(pos), "CSL-JSON syntax error: stray ','", "syntax")
                expect_item = True
                pos += 1
                continue
            if not expect_item:
                self.problem(
                    self.line_at(pos), "CSL-JSON syntax error: ',' missing between items", "syntax"
                )
            number += 1
            pos = self._item(text, pos, number, seen)
            expect_item = False

    def _item(self, text: str, pos: int, number: int, seen: dict[str, int]) -> int:
        """Decode the value at *pos*; returns where the next one may start."""
        try:
            value, end = self._decoder.raw_decode(text, pos)
        except json.JSONDecodeError as error:
            resume = self._resync(text, max(error.pos, pos + 1))
            ident = _CSL_ID_IN.search(text, pos, resume)
            where = ""
            if ident:
                with contextlib.suppress(ValueError):
                    where = f"entry {str(json.loads(ident.group(1)))!r} skipped: "
            self.problem(
                error.lineno,
                f"{where or 'item skipped: '}CSL-JSON syntax error: {error.msg}",
                "syntax",
            )
            return resume
        if isinstance(value, dict):
            self._one_value(value, self.line_at(pos), seen)
        else:
            self.problem(
                self.line_at(pos),
                f"item {number} is {_describe(value)}, not an object; skipped",
                "entry",
            )
        return end

    def _resync(self, text: str, pos: int) -> int:
        """Where the next whole item starts after a syntax error (or the end of the
        text): an object with an ``id`` or a ``type``, followed by ``,``, ``]`` or the
        ``{`` of an item after a missing comma."""
        start = text.find("{", pos)
        while start != -1:
            try:
                value, end = self._decoder.raw_decode(text, start)
            except json.JSONDecodeError:
                pass
            else:
                after = self._skip(text, end)
                if (
                    isinstance(value, dict)
                    and ("id" in value or "type" in value)
                    and (after >= len(text) or text[after] in ",]{")
                ):
                    return start
            start = text.find("{", start + 1)
        return len(text)

    def _one(self, text: str, pos: int, seen: dict[str, int]) -> None:
        """A file that is one item."""
        try:
            value, end = self._decoder.raw_decode(text, pos)
        except json.JSONDecodeError as error:
            self.problem(error.lineno, f"CSL-JSON syntax error: {error.msg}", "syntax")
            return
        self._one_value(value, self.line_at(pos), seen)
        end = self._skip(text, end)
        if end < len(text):
            self.problem(
                self.line_at(end), "CSL-JSON syntax error: text after the item ignored", "syntax"
            )

    def _one_value(self, item: dict[str, Any], line: int, seen: dict[str, int]) -> None:
        ident = item.get("id")
        if (
            isinstance(ident, bool)
            or not isinstance(ident, (str, int, float))
            or not str(ident).strip()
        ):
            title = item.get("title")
            named = f" (title {title[:60]!r})" if isinstance(title, str) and title else ""
            found = "" if ident is None else f" ({_describe(ident)})"
            self.problem(line, f"item without a usable id{found}{named} skipped", "entry")
            return
        key = str(ident).strip()
        if key in seen:
            self.problem(
                line,
                f"duplicate id {key!r} (first defined at line {seen[key]}); this entry is skipped",
                "duplicate",
            )
            return
        seen[key] = line
        try:
            self.records.append(self._record(key, item, line))
        except Exception as error:  # one broken item must never break a build
            self.problem(line, f"entry {key!r} skipped: {error}", "entry")

    # -- one item -------------------------------------------------------------------------
    def _record(self, key: str, item: dict[str, Any], line: int) -> Publication:
        kind = self._type(key, item, line)
        record = Publication(key=key, type=kind, source=Source(self.path, line))
        fields: dict[str, str] = {}
        names: dict[str, str] = {}
        for variable, value in item.items():
            if variable in _IGNORED or value is None:
                continue
            if variable in NAME_FIELDS:
                people, bibtex = self._people(key, variable, value, line)
                if variable == "author":
                    record.authors = people
                elif variable == "editor":
                    record.editors = people
                if bibtex:
                    names[NAME_FIELDS[variable]] = bibtex
                continue
            if variable in DATE_FIELDS:
                iso = self._iso(value)
                if iso:
                    fields.setdefault(DATE_FIELDS[variable], iso)
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
            self.problem(line, f"entry {key!r} has no title", "entry")
        return record

    def _type(self, key: str, item: dict[str, Any], line: int) -> str:
        csl_type = item.get("type")
        if not isinstance(csl_type, str) or not csl_type.strip():
            found = "" if csl_type is None else f" ({_describe(csl_type)})"
            self.problem(line, f"entry {key!r} has no CSL type{found}; shown as @misc", "type")
            return "misc"
        csl_type = csl_type.strip()
        kind = TYPE_MAP.get(csl_type) or TYPE_MAP.get(csl_type.lower().replace("_", "-"))
        if kind is None:
            kind = TYPE_MAP.get(csl_type.lower())
        if kind is None:
            self.problem(
                line, f"entry {key!r} has unknown CSL type {csl_type!r}; shown as @misc", "type"
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
            f"entry {key!r}, variable {variable!r}: expected text, found {_describe(value)}; "
            "ignored",
            "entry",
        )
        return None

    def _field_name(self, variable: str, kind: str, item: dict[str, Any]) -> str | None:
        if variable == "container-title":
            if kind in _JOURNAL_TYPES:
                return "journal"
            if kind in _BOOK_TYPES:
                return "booktitle"
            return "howpublished"
        if variable == "publisher":
            if kind in ("phdthesis", "mastersthesis"):
                return "school"
            if kind == "techreport":
                return "institution"
            return "publisher"
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
        return RENAMED.get(variable, variable.lower())

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
        if variable in _RICH_VARIABLES:
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
            self.problem(line, f"entry {key!r}, variable {variable!r}: {message}", "latex")
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
                f"{_describe(custom)}; ignored",
                "entry",
            )
            return
        for name, value in custom.items():
            lname = str(name).lower()
            if isinstance(value, bool):
                value = "true" if value else "false"
            elif isinstance(value, (int, float)):
                value = str(value)
            if isinstance(value, str) and lname not in fields and lname not in NAME_FIELDS:
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
                f"{_describe(value)}; read as one name",
                "entry",
            )
            value = [value]
        if not isinstance(value, list):
            self.problem(
                line,
                f"entry {key!r}, variable {variable!r}: expected a list of names, found "
                f"{_describe(value)}; ignored",
                "entry",
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
                    f"({_describe(name)}) has no family, given or literal name; left out",
                    "entry",
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
                if isinstance(number, str) and number.strip().lstrip("-").isdigit():
                    number = int(number)
                numbers.append(
                    number if isinstance(number, int) and not isinstance(number, bool) else None
                )
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
        if isinstance(issued, (bool, list, float)):
            self.problem(
                line,
                f"entry {key!r}, variable 'issued': expected a date object, found "
                f"{_describe(issued)}; ignored",
                "entry",
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
                        line, f"entry {key!r}: month {month!r} not understood; ignored", "entry"
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
                "entry",
            )
        else:
            self.problem(
                line, f"entry {key!r} has no date; listed with the undated entries", "entry"
            )


def _read_date(text: str) -> tuple[int | None, int | None, int | None]:
    """``2021-05-03``, ``2021-05``, ``May 2021``, ``3 May 2021``, ``May 3, 2021``."""
    match = _ISO_DATE.match(text)
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
