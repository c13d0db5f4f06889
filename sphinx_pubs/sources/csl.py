"""Read CSL-JSON files (Zotero, Mendeley, pandoc, citeproc) into records.

Each CSL item becomes the :class:`~sphinx_pubs.core.model.Publication` the BibTeX reader
gives for the equivalent entry: a BibTeX entry type, the BibTeX names of the fields
(``container-title`` is ``journal`` for an article, ``booktitle`` for a paper in
proceedings, ``issue`` is ``number``...), names split into pybtex's parts, and the
date as ``year`` and ``month``.  Every later stage (grouping, the venue line, link
buttons, the BibTeX toggle) therefore works unchanged.

The file is decoded one item at a time, so every record knows the line of its ``{``,
and a syntax error costs only the item it is in: the reader resynchronises at the
next item.  No input raises; every problem becomes a :class:`~sphinx_pubs.core.model.Problem`.

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
import math
import re
from collections.abc import Iterator
from typing import Any

from sphinx_pubs.core.latex import decode
from sphinx_pubs.core.latex import escape as latex_escape
from sphinx_pubs.core.markup import CSL, parse
from sphinx_pubs.core.model import (
    Person,
    Problem,
    Publication,
    RichText,
    Source,
    Styled,
    plain,
    printable,
)
from sphinx_pubs.core.vocab import (
    CSL_DATE_FIELDS,
    CSL_FIELDS,
    CSL_NAME_FIELDS,
    CSL_STYLES,
    ENTRY_TYPES,
    ISO_DATE_FIRST,
    OTHER_TYPE,
    RICH_VARIABLES,
    TEXT_FIELDS,
    TYPE_MAP,
)
from sphinx_pubs.sources.bibtex import UNDATED_WORDS, parse_month, parse_year

#: ``genre`` words that make a CSL ``thesis`` a master's thesis
_MASTERS = re.compile(r"\bmaster|\bM\.?\s?(?:Sc|A|S|Phil|Eng)\b\.?|\bmagister", re.IGNORECASE)

#: what is written to ``fields`` never comes from these item keys
_IGNORED = frozenset({"id", "type", "issued", "custom", "citation-key", "citation-label"})

_WS = re.compile(r"\s+")
_PARAGRAPHS = re.compile(r"\s*\n\s*")
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
#: a date part written as text: ASCII digits only (``"²".isdigit()`` is true)
_DATE_PART = re.compile(r"\s*-?[0-9]{1,4}\s*\Z")
_SPACE = re.compile(r"[ \t\n\r\ufeff]*")

#: how deep an item may nest (the item itself is level 1; a CSL item needs 4:
#: item, ``issued``, ``date-parts``, one date).  Deeper input is refused before it is
#: decoded, so that the decoder's recursion stays far below Python's limit.
MAX_DEPTH = 64
#: the most digits a JSON integer may have: every Python converts that many
#: (``sys.set_int_max_str_digits`` allows no limit below 640)
MAX_DIGITS = 600
#: the rest of a JSON string after its opening quote, up to and with the closing one
_STRING_REST = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
#: text outside strings and whole strings, up to the next bracket (or the quote of a
#: string that does not close)
_TO_BRACKET = re.compile(r'[^"\[\]{}]*(?:"[^"\\]*(?:\\.[^"\\]*)*"[^"\[\]{}]*)*', re.DOTALL)
#: text outside strings up to the next bracket or quote
_NO_STRING = re.compile(r'[^"\[\]{}]*')
#: where the decoded text may hold what :data:`_UNWRITABLE` matches: an escape of such
#: a character (``\ud800``, ``\u0000``, ``\b``, ``\f``) or the character itself
_MAY_BE_UNWRITABLE = re.compile(
    r"\\(?:[bf]|u(?:[dD][89a-fA-F]|00[01]|00[89]|007[fF]|[fF]{3}[eEfF]))"
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
)
#: what no output file may hold: lone surrogates (not encodable in UTF-8) and the
#: control characters other than tab, newline and carriage return
_UNWRITABLE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


class Unusable:
    """A JSON number this reader does not use: ``NaN``, ``Infinity`` (not JSON, but
    Python's decoder reads them), a float too large for a double, an integer of more
    than :data:`MAX_DIGITS` digits.  Every check of a value's type refuses it, so it
    is reported as a value of the wrong kind."""

    __slots__ = ("what",)

    def __init__(self, what: str) -> None:
        self.what = what

    def __repr__(self) -> str:
        return self.what


def _parse_int(digits: str) -> int | Unusable:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        return Unusable(f"a number of {len(digits.lstrip('-'))} digits")
    return int(digits)


def _parse_float(literal: str) -> float | Unusable:
    value = float(literal)
    if math.isfinite(value):
        return value
    return Unusable(f"a number too large ({literal[:20]}{'...' if len(literal) > 20 else ''})")


def _parse_constant(name: str) -> Unusable:
    return Unusable(f"{name} (not a JSON value)")


def clean_text(text: str) -> tuple[str, int]:
    """*text* with lone surrogates and control characters (but tab, newline and
    carriage return) replaced by U+FFFD, and how many were replaced."""
    if not _UNWRITABLE.search(text):
        return text, 0
    return _UNWRITABLE.subn("\ufffd", text)


def _clean(value: Any) -> tuple[Any, int]:
    """*value* (decoded JSON, at most :data:`MAX_DEPTH` deep) with :func:`clean_text`
    applied to every string in it, object keys too; and how many characters were
    replaced."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        count = 0
        items = []
        for item in value:
            item, replaced = _clean(item)
            items.append(item)
            count += replaced
        return items, count
    if isinstance(value, dict):
        count = 0
        out = {}
        for name, item in value.items():
            name, replaced = clean_text(name)
            item, more = _clean(item)
            out[name] = item
            count += replaced + more
        return out, count
    return value, 0


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Unusable):
        return value.what
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


def _unescape(text: str) -> str:
    """*text* with its character references read.  ``html.unescape`` drops the
    references to control characters and lone surrogates but one: ``&#12;``, a form
    feed, is whitespace here."""
    return html.unescape(text).replace("\x0c", " ") if "&" in text else text


def _with_math(nodes: list[_Node]) -> list[_Node]:
    out: list[_Node] = []
    for node in nodes:
        if isinstance(node, str):
            text = _unescape(node)
            out.extend(_split_math(text) if "$" in node else [text])
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
            style = CSL_STYLES.get(node[0])
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
            command = _LATEX_OF.get(CSL_STYLES.get(node[0], ""))
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
        self._decoder = json.JSONDecoder(
            parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant
        )
        #: the quote of a string that never closes, once found (see _scan_to_bracket)
        self._unclosed = -1

    def problem(self, line: int, message: str, subtype: str) -> None:
        message = clean_text(message)[0]  # an id quoted from a broken item may hold any
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
        match = _SPACE.match(text, pos)
        return match.end() if match else pos

    def _scan_to_bracket(self, text: str, pos: int) -> int:
        """The position of the next bracket outside strings from *pos* (outside a
        string), or -1 if there is none: the text ends, or a string that does not close
        begins.

        Once a string from quote *q* is found not to close, no string from a later
        quote closes either (the failed match read every later quote as escaped, so a
        match from one reads the same text the same way), nor does one that reaches
        past *q*; one may end at *q*.  So strings are looked for only up to *q*, and
        beyond it only brackets up to the next quote: no string is read twice to the
        end of the file, whatever the position the scans start from.
        """
        unclosed = self._unclosed
        if unclosed < 0:
            end = _TO_BRACKET.match(text, pos).end()  # type: ignore[union-attr]
        elif pos <= unclosed:
            end = _TO_BRACKET.match(text, pos, unclosed + 1).end()  # type: ignore[union-attr]
            if end == unclosed + 1:  # a string that ends at the quote
                end = _NO_STRING.match(text, end).end()  # type: ignore[union-attr]
        else:
            end = _NO_STRING.match(text, pos).end()  # type: ignore[union-attr]
        if end >= len(text):
            return -1
        if text[end] == '"':
            if unclosed < 0 or end < unclosed:
                self._unclosed = end
            return -1
        return end

    def _depth(self, text: str, pos: int, to_end: bool) -> tuple[int, int]:
        """``(deep, end)`` of the JSON value starting with the bracket at *pos*: where
        it first nests deeper than :data:`MAX_DEPTH` (-1 if nowhere), and where it ends
        (-1 if its brackets do not close, or close with the wrong kind).  Strings are
        skipped, not decoded.  Without *to_end*, the scan stops where the value is too
        deep (the end is then -1).
        """
        opened: list[str] = []  # the closing bracket each open one needs
        deep = -1
        skip = _TO_BRACKET.match
        size = len(text)
        while True:
            if self._unclosed < 0:  # _scan_to_bracket inlined: this runs for every
                start = skip(text, pos).end()  # type: ignore[union-attr]  # bracket of every item
                if start < size and text[start] == '"':
                    self._unclosed = start
                    return deep, -1
            else:
                start = self._scan_to_bracket(text, pos)
                if start < 0:
                    return deep, -1
            if start >= size:
                return deep, -1
            char = text[start]
            pos = start + 1
            if char in "[{":
                opened.append("]" if char == "[" else "}")
                if len(opened) > MAX_DEPTH and deep < 0:
                    deep = start
                    if not to_end:
                        return deep, -1
            elif not opened or opened.pop() != char:
                return deep, -1  # a bracket closed by the wrong one: no end
            elif not opened:
                return deep, pos

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
            pos, resynced = self._item(text, pos, number, seen)
            # after a broken item the reader stands at the next item, past its ','
            expect_item = resynced

    def _item(self, text: str, pos: int, number: int, seen: dict[str, int]) -> tuple[int, bool]:
        """Decode the value at *pos*; returns where the next one may start, and whether
        that is the start of an item found after a broken one (see :meth:`_resync`)."""
        if text[pos] in "[{":
            deep, end = self._depth(text, pos, to_end=True)
            if deep >= 0:
                self._too_deep(text, pos, deep, f"item {number}")
                return (end, False) if end >= 0 else (self._resync(text, deep), True)
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
            return resume, True
        if isinstance(value, dict):
            unclean = _MAY_BE_UNWRITABLE.search(text, pos, end) is not None
            self._one_value(value, self.line_at(pos), seen, unclean)
        else:
            self.problem(
                self.line_at(pos),
                f"item {number} is {_describe(value)}, not an object; skipped",
                "entry",
            )
        return end, False

    def _resync(self, text: str, pos: int) -> int:
        """Where the next whole item starts after a syntax error at *pos* (or the end
        of the text): the first object with an ``id`` or a ``type``, followed by ``,``,
        ``]`` or the ``{`` of an item after a missing comma.

        The error may be inside a string or outside: the text after *pos* is read both
        ways, and the earlier item found wins.
        """
        found = self._resync_from(text, pos)
        rest = _STRING_REST.match(text, pos)  # pos inside a string: after its end
        if rest is not None and rest.end() < found:
            found = min(found, self._resync_from(text, rest.end()))
        return found

    def _resync_from(self, text: str, pos: int) -> int:
        """:meth:`_resync`, reading the text from *pos* (outside a string) once.

        Each object that closes, nesting at most :data:`MAX_DEPTH` levels, is a
        candidate; candidates are decoded in the order they start, each once, as soon
        as no object that starts before them can still become one.  So the text is
        read once, and decoded at most :data:`MAX_DEPTH` times over.
        """
        stack: list[tuple[str, int]] = []  # (the closing bracket needed, where it opened)
        floor = 0  # the entries of the stack below this nest too deep to be items
        pending: list[int] = []  # where the candidates not yet decoded start
        while True:
            start = self._scan_to_bracket(text, pos)
            if start < 0:
                break
            char = text[start]
            pos = start + 1
            if char in "[{":
                stack.append(("]" if char == "[" else "}", start))
                floor = max(floor, len(stack) - MAX_DEPTH)
                continue
            if not stack or stack[-1][0] != char:
                stack.clear()  # a bracket closed by the wrong one: nothing open is an item
                floor = 0
            else:
                need, opened = stack.pop()
                if need == "}" and len(stack) >= floor:
                    pending.append(opened)
                floor = min(floor, len(stack))
            if pending:
                # an object still open (and not too deep) starts before the candidates
                # inside it: they wait for it
                first_open = next(
                    (where for need, where in stack[floor:] if need == "}"), len(text)
                )
                found = self._first_item(text, pending, first_open)
                if found >= 0:
                    return found
        found = self._first_item(text, pending, len(text))
        return found if found >= 0 else len(text)

    def _first_item(self, text: str, pending: list[int], before: int) -> int:
        """Decode the candidates of *pending* that start before *before*, in order;
        where the first that is an item starts, or -1.  Those decoded leave *pending*."""
        ready = sorted(start for start in pending if start < before)
        if not ready:
            return -1
        pending[:] = [start for start in pending if start >= before]
        for start in ready:
            try:
                value, end = self._decoder.raw_decode(text, start)
            except ValueError:  # JSONDecodeError is one
                continue
            after = self._skip(text, end)
            if (
                isinstance(value, dict)
                and ("id" in value or "type" in value)
                and (after >= len(text) or text[after] in ",]{")
            ):
                return start
        return -1

    def _one(self, text: str, pos: int, seen: dict[str, int]) -> None:
        """A file that is one item."""
        deep, _ = self._depth(text, pos, to_end=False)
        if deep >= 0:
            self._too_deep(text, pos, deep, "the item")
            return
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

    def _too_deep(self, text: str, pos: int, deep: int, what: str) -> None:
        ident = _CSL_ID_IN.search(text, pos, deep)
        if ident:
            with contextlib.suppress(ValueError):
                what = f"entry {str(json.loads(ident.group(1)))!r}"
        self.problem(
            self.line_at(deep),
            f"{what} (line {self.line_at(pos)}) nests more than {MAX_DEPTH} levels of "
            "lists and objects deep here; skipped",
            "syntax",
        )

    def _one_value(
        self, item: dict[str, Any], line: int, seen: dict[str, int], unclean: bool = True
    ) -> None:
        """Read the decoded *item*; *unclean* false says its text holds nothing for
        :func:`_clean` to replace."""
        item, replaced = _clean(item) if unclean else (item, 0)
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
        if replaced:
            self.problem(
                line,
                f"entry {key!r}: {replaced} character{'s' if replaced > 1 else ''} that no "
                "file can hold (lone surrogates, control characters) replaced with U+FFFD",
                "encoding",
            )
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
