"""A linear-time BibTeX scanner: the text of a file into blocks (entries, ``@string``,
``@preamble``), each with its line, its fields and their lines, and its syntax errors.

It reads what pybtex's ``LowLevelParser`` reads (the same names, keys, values, ``#``
concatenation, case-insensitive ``@string`` macros, month macros, brace nesting limit),
with the recovery rules the reader has always had:

* a *block* starts at an ``@`` at the beginning of a line (after spaces or tabs), so a
  broken entry never costs the entries on the lines after it; inside a block, further
  entries are looked for at every ``@`` after the previous one (``... } @misc{b, ...``);
* an ``@comment{...}`` runs to its balancing brace (parenthesis for ``@comment(``), over
  the lines after it, so entries commented out inside it are not read; one never closed
  ends at the next block;
* an error costs as little as it can: a value that is not closed costs that field when
  a later line of the block starts a field (``author = ...``: the entry is read on
  there, once per block), else the rest of its entry (the fields read before it are
  kept); a missing comma between fields costs
  nothing (it is reported and the next field is read), any other error in a field costs
  that field (the scan goes on at the next ``,`` or the entry's end outside braces).

Every error is reported at the line where it is: an unclosed value at the line where it
was opened, a missing comma at the line of the field after it.

Linear time: every position of the text is examined a bounded number of times (each
search starts where the previous one stopped and consumes what it examined), and the
work is counted in :attr:`Scanner.steps` (one step per token or search) so that tests can
check it grows linearly with the input.

Values (braced, quoted, numbers, macros and their expansion budget) are read by
:mod:`sphinx_pubs.sources.scanner_values`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from sphinx_pubs.core.braces import scan as scan_braces
from sphinx_pubs.sources.scanner_values import (
    MONTH_WORDS,
    NAME,
    NAME_RE,
    WS_RE,
    Block,
    Resume,
    Stop,
    ValueScanner,
)

_KEY_BRACE = re.compile(r"[^\s,}]+").match
_KEY_PAREN = re.compile(r"[^\s,]+").match
#: a field's name and "=", with the whitespace around them
_FIELD_HEAD = re.compile(rf"{WS_RE}({NAME_RE}){WS_RE}={WS_RE}").match
#: the common field, read by one match: a name, "=", one braced or quoted value with no
#: group inside, a number or a macro, and a comma (or the entry's end) after it
_SIMPLE_FIELD = re.compile(
    rf"{WS_RE}({NAME_RE}){WS_RE}={WS_RE}"
    rf'(?:\{{([^{{}}]*)\}}|"([^"{{}}]*)"|([0-9]+)|({NAME_RE}))'
    rf"{WS_RE}(?:(,)|(?=[}})]))"
).match
_NAME_THEN_EQUALS = re.compile(rf"({NAME_RE}){WS_RE}=").match
_BLOCK_START = re.compile(r"^[ \t]*@", re.MULTILINE)
_COMMENT_AT = re.compile(r"@\s*comment\s*([{(])", re.IGNORECASE)


class Scanner(ValueScanner):
    """Scans one text; iterate over it for its :class:`~sphinx_pubs.sources.scanner_values.Block`
    records.

    *macros* (lower-case names) are defined beforehand and receive the file's
    ``@string`` definitions; *undefined* receives the lower-case names of macros used
    and not defined.
    """

    def __init__(
        self,
        text: str,
        macros: dict[str, str] | None = None,
        undefined: set[str] | None = None,
        month_words: frozenset[str] = MONTH_WORDS,
    ) -> None:
        super().__init__(text, macros, undefined, month_words)
        self._comment_ends: dict[str, dict[int, int]] = {}

    # -- blocks ----------------------------------------------------------------------

    def __iter__(self) -> Iterator[Block]:
        text = self.text
        starts = [match.start() for match in _BLOCK_START.finditer(text)]
        self.steps += len(starts) + 1
        index = 0
        while index < len(starts):
            at = text.index("@", starts[index])
            following = index + 1
            comment = _COMMENT_AT.match(text, at)
            if comment:
                close = self.comment_end(comment.group(1), comment.end())
                if close > 0:
                    following = bisect.bisect_left(starts, close, following)
            end = starts[following] if following < len(starts) else len(text)
            yield from self._chunk(at, end)
            index = following

    def comment_end(self, opening: str, pos: int) -> int:
        """Where the ``@comment`` whose *opening* bracket ends at *pos* is closed (the
        position after its balancing bracket), -1 when never.

        All comments of the text are answered in one pass over its brackets (a stack of
        the comments open, by depth), so that many unclosed comments cost linear time.
        """
        ends = self._comment_ends.get(opening)
        if ends is None:
            ends = self._comment_ends[opening] = {}
            closing = "}" if opening == "{" else ")"
            pattern = re.compile(
                rf"@\s*comment\s*{re.escape(opening)}|[{re.escape(opening + closing)}]",
                re.IGNORECASE,
            )
            depth = 0
            open_comments: list[tuple[int, int]] = []  # (depth before it, position)
            # depths are compared, never read whole: counting starts at the first comment
            first = _COMMENT_AT.search(self.text)
            for match in pattern.finditer(self.text, first.start() if first else 0):
                self.steps += 1
                token = match.group()
                if token == closing:
                    depth -= 1
                    if open_comments and open_comments[-1][0] == depth:
                        ends[open_comments.pop()[1]] = match.end()
                else:
                    if token != opening:
                        open_comments.append((depth, match.end()))
                    depth += 1
        return ends.get(pos, -1)

    def _chunk(self, pos: int, end: int) -> Iterator[Block]:
        """The blocks between *pos* (an ``@``) and *end*."""
        text = self.text
        self._may_resume = True
        while True:
            self.steps += 1
            at = text.find("@", pos, end)
            if at < 0:
                return
            self._block = block = Block("", self.line(at))
            pos = self._command(at, end)
            if block.command or block.errors:
                yield block

    def _command(self, at: int, end: int) -> int:
        """Read the block at *at* into ``self._block``; the position after it."""
        text, block = self.text, self._block
        pos = self._ws(at + 1, end)
        name = NAME(text, pos, end)
        if name is None:
            self._error(at, "BibTeX syntax error: '@' not followed by an entry type; ignored")
            return pos
        pos = self._ws(name.end(), end)
        opening = text[pos] if pos < end else ""
        if opening not in ("{", "("):
            self._error(
                pos if pos < end else at,
                f"BibTeX syntax error: '{{' or '(' expected after '@{name.group()}'; ignored",
            )
            return pos
        closing = "}" if opening == "{" else ")"
        pos += 1
        command = name.group()
        kind = command.lower()
        if kind == "comment":
            close = self.comment_end(opening, pos)
            return close if 0 < close <= end else end
        block.command = command
        try:
            if kind == "string":
                return self._string(pos, end, closing)
            if kind == "preamble":
                return self._preamble(pos, end, closing)
            return self._entry(pos, end, closing)
        except Stop:
            return end

    def _close(self, pos: int, end: int, closing: str, what: str) -> int:
        pos = self._ws(pos, end)
        if pos < end and self.text[pos] == closing:
            return pos + 1
        if pos >= end:
            self._error(
                self._last_token(pos),
                f"BibTeX syntax error: {what} is not closed ('{closing}' missing)",
            )
            return end
        self._error(pos, f"BibTeX syntax error: '{closing}' expected to close {what}")
        return pos

    def _string(self, pos: int, end: int, closing: str) -> int:
        text = self.text
        head = _FIELD_HEAD(text, pos, end)
        self.steps += 1
        if head is None:
            pos = self._ws(pos, end)
            self._error(pos, "BibTeX syntax error: '@string' without 'name = value'")
            return pos
        name = head.group(1)
        line = self.line(head.start(1))
        value, pos = self._value(head.end(), end, name, line)
        if value is not None:
            self.macros[name.lower()] = value
            self._block.fields.append((name, value, line))
        return self._close(pos, end, closing, "the @string")

    def _preamble(self, pos: int, end: int, closing: str) -> int:
        pos = self._ws(pos, end)
        line = self.line(pos)
        value, pos = self._value(pos, end, "preamble", line)
        if value is not None:
            self._block.fields.append(("preamble", value, line))
        return self._close(pos, end, closing, "the @preamble")

    def _entry(self, pos: int, end: int, closing: str) -> int:
        text, block = self.text, self._block
        pos = self._ws(pos, end)
        key = (_KEY_BRACE if closing == "}" else _KEY_PAREN)(text, pos, end)
        self.steps += 1
        if key is not None:
            block.key = key.group()
            pos = key.end()
        while True:
            # at a field's name (pybtex, like BibTeX, needs no comma after the key)
            self.steps += 1
            pos, name, next_field = self._field(pos, end, closing)
            if next_field:
                continue
            pos = self._ws(pos, end)
            char = text[pos] if pos < end else ""
            if char == ",":
                pos += 1
            elif char == closing:
                return pos + 1
            elif not char:
                self._error(
                    self._last_token(pos),
                    f"BibTeX syntax error: the entry is not closed ('{closing}' missing)",
                )
                return end
            else:
                pos = self._not_a_separator(pos, end, closing, name)

    def _field(self, pos: int, end: int, closing: str) -> tuple[int, str | None, bool]:
        """Read the field at *pos* into the block: the position after it, its name
        (None when no field starts there) and whether the next field starts there (its
        comma was read, or its value was never closed and the entry is read on)."""
        text = self.text
        head = _SIMPLE_FIELD(text, pos, end)
        if head is not None:
            name, value, quoted, number, macro, comma = head.groups()
            if value is None:
                value = quoted if quoted is not None else number
                if value is None:
                    value = self._macro(macro, head.start(5), name, False)
            self._block.fields.append((name, value, self.line(head.start(1))))
            return head.end(), name, bool(comma)
        head = _FIELD_HEAD(text, pos, end)
        if head is None:
            return pos, None, False
        name = head.group(1)
        line = self.line(head.start(1))
        try:
            value, pos = self._value(head.end(), end, name, line)
        except Resume as resume:
            return resume.pos, name, True
        if value is None:  # an error in the value: on at the next field
            return self._resync(pos, end, closing), name, False
        self._block.fields.append((name, value, line))
        return pos, name, False

    def _not_a_separator(self, pos: int, end: int, closing: str, field: str | None) -> int:
        """Report what stands at *pos* after *field* (None: after no field) where a
        comma or *closing* should; the position the field loop reads on from."""
        text = self.text
        if field is not None and (after := _NAME_THEN_EQUALS(text, pos, end)):
            self._error(pos, f"BibTeX syntax error: missing comma before field {after.group(1)!r}")
            return pos
        if field is not None:
            message = f"',' or '{closing}' expected after field {field!r}"
        elif (word := NAME(text, pos, end)) is not None:
            message = f"'=' expected after field name {word.group()!r}"
        else:
            message = f"a field name or '{closing}' expected"
        self._error(pos, f"BibTeX syntax error: {message}")
        return self._resync(pos, end, closing)

    def _resync(self, pos: int, end: int, closing: str) -> int:
        """After an error at *pos*: the next ``,`` or *closing* outside braces (its
        position, so that the field loop reads it), or *end*."""
        while True:
            found = scan_braces(self.text, pos, end, escapes=False, stops="," + closing)
            self.steps += found.tokens + 1
            if found.at < 0:
                return end
            if self.text[found.at] in ("," + closing):
                return found.at
            pos = found.at + 1  # a "}" that closes nothing, when ")" closes the entry


def scan(text: str, macros: dict[str, str] | None = None) -> list[Block]:
    """The blocks of *text* (see :class:`Scanner`)."""
    return list(Scanner(text, macros))
