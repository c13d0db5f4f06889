"""A JSON file of items read as a bibliography reader needs it: item by item, each with
the line of its ``{``, a syntax error costing only the item it is in (the reader
resynchronises at the next item), nesting bounded before anything is decoded, and no
input raising.  Pure Python; :mod:`sphinx_pubs.sources.csl` maps the items to records.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import math
import re
from typing import Any

from sphinx_pubs.core.model import Problem, Source, printable
from sphinx_pubs.core.subtype import Subtype

_ID_IN = re.compile(r"\"id\"\s*:\s*(\"(?:[^\"\\\n]|\\.)*\"|-?\d+)")
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


def clean_value(value: Any) -> tuple[Any, int]:
    """*value* (decoded JSON, at most :data:`MAX_DEPTH` deep) with :func:`clean_text`
    applied to every string in it, object keys too; and how many characters were
    replaced."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        count = 0
        items = []
        for item in value:
            item, replaced = clean_value(item)
            items.append(item)
            count += replaced
        return items, count
    if isinstance(value, dict):
        count = 0
        out = {}
        for name, item in value.items():
            name, replaced = clean_text(name)
            item, more = clean_value(item)
            out[name] = item
            count += replaced + more
        return out, count
    return value, 0


def describe(value: object) -> str:
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


class JsonItems:
    """Reads the text of one JSON file of items, reporting its syntax problems;
    :meth:`item` is given each decoded item (a subclass makes records of them)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self._newlines: list[int] = []
        self._decoder = json.JSONDecoder(
            parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant
        )
        #: the quote of a string that never closes, once found (see _scan_to_bracket)
        self._unclosed = -1

    def problem(self, line: int, message: str, subtype: Subtype) -> None:
        message = clean_text(message)[0]  # an id quoted from a broken item may hold any
        self.problems.append(Problem(Source(self.path, line), printable(message), subtype))

    def line_at(self, pos: int) -> int:
        return bisect.bisect_left(self._newlines, pos) + 1

    def item(self, item: dict[str, Any], line: int, seen: dict[str, int], unclean: bool) -> None:
        """Take the decoded *item* that starts at *line*; *seen*: the ids taken so far
        and their lines; *unclean* false says its text holds nothing for
        :func:`clean_value` to replace."""
        raise NotImplementedError

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
                Subtype.SYNTAX,
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
                    Subtype.SYNTAX,
                )
                return
            char = text[pos]
            if char == "]":
                end = self._skip(text, pos + 1)
                if end < len(text):
                    self.problem(
                        self.line_at(end),
                        "CSL-JSON syntax error: text after the closing ']' ignored",
                        Subtype.SYNTAX,
                    )
                return
            if char == ",":
                if expect_item:
                    self.problem(
                        self.line_at(pos), "CSL-JSON syntax error: stray ','", Subtype.SYNTAX
                    )
                expect_item = True
                pos += 1
                continue
            if not expect_item:
                self.problem(
                    self.line_at(pos),
                    "CSL-JSON syntax error: ',' missing between items",
                    Subtype.SYNTAX,
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
            ident = _ID_IN.search(text, pos, resume)
            where = ""
            if ident:
                with contextlib.suppress(ValueError):
                    where = f"entry {str(json.loads(ident.group(1)))!r} skipped: "
            self.problem(
                error.lineno,
                f"{where or 'item skipped: '}CSL-JSON syntax error: {error.msg}",
                Subtype.SYNTAX,
            )
            return resume, True
        if isinstance(value, dict):
            unclean = _MAY_BE_UNWRITABLE.search(text, pos, end) is not None
            self.item(value, self.line_at(pos), seen, unclean)
        else:
            self.problem(
                self.line_at(pos),
                f"item {number} is {describe(value)}, not an object; skipped",
                Subtype.ENTRY,
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
            self.problem(error.lineno, f"CSL-JSON syntax error: {error.msg}", Subtype.SYNTAX)
            return
        self.item(value, self.line_at(pos), seen, True)
        end = self._skip(text, end)
        if end < len(text):
            self.problem(
                self.line_at(end),
                "CSL-JSON syntax error: text after the item ignored",
                Subtype.SYNTAX,
            )

    def _too_deep(self, text: str, pos: int, deep: int, what: str) -> None:
        ident = _ID_IN.search(text, pos, deep)
        if ident:
            with contextlib.suppress(ValueError):
                what = f"entry {str(json.loads(ident.group(1)))!r}"
        self.problem(
            self.line_at(deep),
            f"{what} (line {self.line_at(pos)}) nests more than {MAX_DEPTH} levels of "
            "lists and objects deep here; skipped",
            Subtype.SYNTAX,
        )
