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

Linear memory: ``@string`` macros that double themselves (``@string{m1 = m0 # m0}``)
would grow exponentially, so macro expansion is capped (see :data:`MAX_VALUE` and
:data:`MACRO_BUDGET_FACTOR`): past the cap the value is cut and a ``macro`` problem says
so at its line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from string import ascii_letters, digits

#: BibTeX's own month macros (``month = jan``)
MONTH_MACROS = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}

#: Longest value (field, ``@string`` or ``@preamble``) in characters, after macro
#: expansion: 1,000,000.  A longer one is cut to this size with a ``macro`` problem.
MAX_VALUE = 1_000_000

#: Macro expansion budget of one file: ``MAX_VALUE + MACRO_BUDGET_FACTOR * len(text)``
#: characters, i.e. 1,000,000 plus ten times the file's size, spent by every use of a
#: macro longer than :data:`SMALL_MACRO`.  A use that would overspend it is cut to what
#: is left (nothing, once it is spent), with a ``macro`` problem (once per value).
#: Real files stay far below (``journal = jmlr`` gives about three times its length).
MACRO_BUDGET_FACTOR = 10

#: Macros up to this length (month names, journal abbreviations) are always expanded:
#: each use costs at most this many characters for the two or more of its name, so
#: they cannot grow the output faster than linearly.
SMALL_MACRO = 100

#: bare words (undefined macros) read as text without a warning: al-folio's flags
#: (``bibtex_show = true``, ``selected = false``)
BARE_WORDS = frozenset({"true", "false", "yes", "no"})

#: month names and abbreviations a bare ``month = June`` may use without a warning
_MONTH_WORDS = frozenset(
    """january february march april june july august september sept october november
    december""".split()
)


#: deepest brace nesting inside a value (pybtex's limit)
MAX_NESTING = 100

_NAME_CHARS = re.escape(ascii_letters + "@!$&*+-./:;<>?[\\]^_`|~\x7f")
_NAME_RE = rf"[{_NAME_CHARS}][{_NAME_CHARS}{digits}]*"
#: whitespace, and biber's "% comments" between tokens (no BibTeX token starts with "%");
#: written so that a text matches it in one way only: when what follows fails, the
#: regular expression engine has no other splits of a long run to try (``(?:\s+)+``
#: would try exponentially many)
_WS_RE = r"\s*(?:%[^\n]*(?:\n\s*|$))*"
_WS = re.compile(_WS_RE).match
_NAME = re.compile(_NAME_RE).match
_NUMBER = re.compile(r"[0-9]+").match
_KEY_BRACE = re.compile(r"[^\s,}]+").match
_KEY_PAREN = re.compile(r"[^\s,]+").match
#: a field's name and "=", with the whitespace around them
_FIELD_HEAD = re.compile(rf"{_WS_RE}({_NAME_RE}){_WS_RE}={_WS_RE}").match
#: the common field, read by one match: a name, "=", one braced or quoted value with no
#: group inside, a number or a macro, and a comma (or the entry's end) after it
_SIMPLE_FIELD = re.compile(
    rf"{_WS_RE}({_NAME_RE}){_WS_RE}={_WS_RE}"
    rf'(?:\{{([^{{}}]*)\}}|"([^"{{}}]*)"|([0-9]+)|({_NAME_RE}))'
    rf"{_WS_RE}(?:(,)|(?=[}})]))"
).match
#: a line that starts a field, where an entry is read on after a value never closed
_FIELD_LINE = re.compile(rf"\n[ \t]*({_NAME_RE})[ \t]*=").search
_NAME_THEN_EQUALS = re.compile(rf"({_NAME_RE}){_WS_RE}=").match
_BRACES = re.compile(r"[{}]").search
_QUOTE_OR_BRACES = re.compile(r'["{}]').search
_BLOCK_START = re.compile(r"^[ \t]*@", re.MULTILINE)
_COMMENT_AT = re.compile(r"@\s*comment\s*([{(])", re.IGNORECASE)
_RESYNC = {"}": re.compile(r"[{},]").search, ")": re.compile(r"[{}),]").search}


class Block:
    """One ``@`` block: an entry, ``@string``, ``@preamble``, or a stray ``@`` (whose
    :attr:`command` is empty and which has only errors)."""

    __slots__ = ("command", "errors", "fields", "key", "line")

    def __init__(self, command: str, line: int) -> None:
        #: the type as written (``Article``), ``string``, ``preamble``; "" for stray text
        self.command = command
        self.line = line
        #: the entry's key; None when it has none (or for @string and @preamble)
        self.key: str | None = None
        #: ``(name as written, value, line of the name)`` of each field read; the one
        #: definition of an ``@string``; ``("preamble", value, line)`` of a preamble
        self.fields: list[tuple[str, str, int]] = []
        #: ``(line, message, subtype)``: subtype ``syntax`` or ``macro``
        self.errors: list[tuple[int, str, str]] = []

    def __repr__(self) -> str:
        return f"Block({self.command!r}, line={self.line}, key={self.key!r}, {self.fields!r})"


class _Stop(Exception):
    """The value being read is not closed before the block ends: the entry ends here."""


class _Resume(Exception):
    """The value being read is not closed; the entry is read on at the field at *pos*."""

    def __init__(self, pos: int) -> None:
        super().__init__(pos)
        self.pos = pos


class Scanner:
    """Scans one text; iterate over it for its :class:`Block` records.

    *macros* (lower-case names) are defined beforehand and receive the file's
    ``@string`` definitions; *undefined* receives the lower-case names of macros used
    and not defined.
    """

    def __init__(
        self,
        text: str,
        macros: dict[str, str] | None = None,
        undefined: set[str] | None = None,
        month_words: frozenset[str] = _MONTH_WORDS,
    ) -> None:
        self.text = text
        #: lower-case month names a bare ``month = June`` may use without a warning
        self.month_words = month_words
        self.macros: dict[str, str] = dict(MONTH_MACROS) if macros is None else macros
        self.undefined: set[str] = set() if undefined is None else undefined
        #: work done: one step per token read or search made
        self.steps = 0
        #: characters macros may still expand to (see MACRO_BUDGET_FACTOR)
        self.budget = MAX_VALUE + MACRO_BUDGET_FACTOR * len(text)
        self._line_pos = 0
        self._line_no = 1
        self._comment_ends: dict[str, dict[int, int]] = {}
        self._block: Block = Block("", 1)
        #: whether a value never closed may be read past (once per chunk: linear time)
        self._may_resume = False

    # -- positions -------------------------------------------------------------------

    def line(self, pos: int) -> int:
        """Line of *pos*; counted on from the last position asked (linear when, as
        here, positions are asked in order)."""
        if pos >= self._line_pos:
            self._line_no += self.text.count("\n", self._line_pos, pos)
        else:
            self._line_no -= self.text.count("\n", pos, self._line_pos)
        self._line_pos = pos
        return self._line_no

    def _ws(self, pos: int, end: int) -> int:
        self.steps += 1
        match = _WS(self.text, pos, end)
        return match.end() if match else pos

    def _error(self, pos: int, message: str, subtype: str = "syntax") -> None:
        self._block.errors.append((self.line(pos), message, subtype))

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
        name = _NAME(text, pos, end)
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
        except _Stop:
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
        fields = block.fields
        while True:
            # at a field's name (pybtex, like BibTeX, needs no comma after the key)
            self.steps += 1
            head = _SIMPLE_FIELD(text, pos, end)
            if head is not None:
                name, value, quoted, number, macro, comma = head.groups()
                if value is None:
                    value = quoted if quoted is not None else number
                    if value is None:
                        value = self._macro(macro, head.start(5), name, False)
                fields.append((name, value, self.line(head.start(1))))
                pos = head.end()
                if comma:
                    continue
            elif (head := _FIELD_HEAD(text, pos, end)) is not None:
                name = head.group(1)
                line = self.line(head.start(1))
                try:
                    value, pos = self._value(head.end(), end, name, line)
                except _Resume as resume:
                    pos = resume.pos
                    continue
                if value is None:  # an error in the value: on at the next field
                    pos = self._resync(pos, end, closing)
                else:
                    fields.append((name, value, line))
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
            elif head is not None and (after := _NAME_THEN_EQUALS(text, pos, end)):
                self._error(
                    pos, f"BibTeX syntax error: missing comma before field {after.group(1)!r}"
                )
            else:
                if head is not None:
                    message = f"',' or '{closing}' expected after field {head.group(1)!r}"
                elif (word := _NAME(text, pos, end)) is not None:
                    message = f"'=' expected after field name {word.group()!r}"
                else:
                    message = f"a field name or '{closing}' expected"
                self._error(pos, f"BibTeX syntax error: {message}")
                pos = self._resync(pos, end, closing)

    def _last_token(self, pos: int) -> int:
        """The end of the last thing read before *pos* (whitespace skipped back), so
        that an error at the end of a block is reported on a line of its entry."""
        text = self.text
        while pos > 0 and text[pos - 1] in " \t\n\r\f\v":
            pos -= 1
        return pos

    def _resync(self, pos: int, end: int, closing: str) -> int:
        """After an error at *pos*: the next ``,`` or *closing* outside braces (its
        position, so that the field loop reads it), or *end*."""
        search = _RESYNC[closing]
        text = self.text
        depth = 0
        while True:
            self.steps += 1
            match = search(text, pos, end)
            if match is None:
                return end
            char = match.group()
            pos = match.end()
            if char == "{":
                depth += 1
            elif char == "}" and depth:
                depth -= 1
            elif depth == 0 and char in (",", closing):
                return pos - 1

    # -- values ----------------------------------------------------------------------

    def _value(self, pos: int, end: int, field: str, line: int) -> tuple[str | None, int]:
        """The value at *pos* (parts joined by ``#``) and the position after it; None
        for the value when it cannot be read (the error is recorded)."""
        text = self.text
        parts: list[str] = []
        size = 0
        cut = False
        while True:
            char = text[pos] if pos < end else ""
            if char == "{":
                part, pos = self._braced(pos, end, field)
            elif char == '"':
                part, pos = self._quoted(pos, end, field)
            elif char.isdigit() and (number := _NUMBER(text, pos, end)) is not None:
                part, pos = number.group(), number.end()
            elif (name := _NAME(text, pos, end)) is not None:
                pos = name.end()
                part = self._macro(name.group(), name.start(), field, cut)
                if self.budget <= 0:
                    cut = True
            else:
                at = pos if char else self._last_token(pos)
                self._error(at, f"BibTeX syntax error: field {field!r}: value expected")
                return None, pos
            self.steps += 1
            if part is None:
                return None, pos
            if size + len(part) > MAX_VALUE:
                part = part[: MAX_VALUE - size]
                if not cut:
                    self._error(
                        pos,
                        f"field {field!r}: value longer than {MAX_VALUE:,} characters; cut",
                        "macro",
                    )
                cut = True
            size += len(part)
            parts.append(part)
            after = self._ws(pos, end)
            if after < end and text[after] == "#":
                pos = self._ws(after + 1, end)
                continue
            return (parts[0] if len(parts) == 1 else "".join(parts)), pos

    def _macro(self, name: str, pos: int, field: str, cut: bool) -> str:
        """The value of macro *name*: "" when undefined, cut to what is left of the
        budget when that is short (both recorded; the budget once per value)."""
        value = self.macros.get(name.lower())
        if value is None:
            return self._undefined(name, pos, field)
        if len(value) <= SMALL_MACRO:
            return value
        if len(value) > self.budget:
            if not cut:
                self._error(
                    pos,
                    f"field {field!r}: macro {name!r} cut: the file's macros expand to more "
                    f"than {MAX_VALUE:,} characters plus {MACRO_BUDGET_FACTOR} times the "
                    "file's size",
                    "macro",
                )
            value = value[: self.budget]
        self.budget -= len(value)
        return value

    def _is_month(self, word: str) -> bool:
        word = word.rstrip(".")
        return word in self.month_words or word in MONTH_MACROS

    def _undefined(self, name: str, pos: int, field: str) -> str:
        """An undefined macro is read as its own name, as al-folio (Jekyll Scholar)
        reads it (BibTeX leaves it empty): ``selected = true``, ``month = June``.  A
        warning says so, except for the words that are text there (:data:`BARE_WORDS`,
        and month names in ``month``)."""
        lower = name.lower()
        self.undefined.add(lower)
        if lower not in BARE_WORDS and not (field.lower() == "month" and self._is_month(lower)):
            self._error(
                pos,
                f"BibTeX syntax error: undefined @string macro {name!r}, read as the text {name!r}",
            )
        return name

    def _unclosed(self, start: int, end: int, field: str, what: str) -> Exception:
        """The error of a value opened at *start* and not closed before *end*.

        The entry is read on at the next line that starts a field (``author = ...``),
        once per chunk (a second search to the chunk's end could make the time
        quadratic); else the rest of the entry is lost."""
        found = _FIELD_LINE(self.text, start, end) if self._may_resume else None
        self.steps += 1
        if self._block.command.lower() in ("string", "preamble"):
            found = None
        message = f"BibTeX syntax error: field {field!r}: the {what} opened here is not closed"
        if found is None:
            self._error(start, message + " before the next entry; the rest of the entry is lost")
            return _Stop()
        self._may_resume = False
        self._error(start, f"{message}; read on at line {self.line(found.start(1))}")
        return _Resume(found.start(1))

    def _braced(self, start: int, end: int, field: str) -> tuple[str | None, int]:
        """A ``{...}`` value at *start*: its text and the position after it."""
        text = self.text
        pos = start + 1
        close = text.find("}", pos, end)
        self.steps += 1
        if close < 0:
            raise self._unclosed(start, end, field, "brace")
        if text.find("{", pos, close) < 0:  # the common case: no group inside
            return text[pos:close], close + 1
        depth, deepest = 1, 1
        while True:
            self.steps += 1
            match = _BRACES(text, pos, end)
            if match is None:
                raise self._unclosed(start, end, field, "brace")
            pos = match.end()
            if match.group() == "{":
                depth += 1
                deepest = max(deepest, depth)
            else:
                depth -= 1
                if not depth:
                    break
        if deepest > MAX_NESTING + 1:
            self._error(start, f"BibTeX syntax error: field {field!r}: too many nested braces")
            return None, pos
        return text[start + 1 : pos - 1], pos

    def _quoted(self, start: int, end: int, field: str) -> tuple[str | None, int]:
        """A ``"..."`` value at *start* (braces balanced inside, where a ``"`` is text)."""
        text = self.text
        pos = start + 1
        depth, deepest = 0, 0
        while True:
            self.steps += 1
            match = _QUOTE_OR_BRACES(text, pos, end)
            if match is None:
                raise self._unclosed(start, end, field, "quote")
            pos = match.end()
            char = match.group()
            if char == "{":
                depth += 1
                deepest = max(deepest, depth)
            elif char == "}":
                if not depth:
                    self._error(pos - 1, f"BibTeX syntax error: field {field!r}: unbalanced braces")
                    return None, pos - 1
                depth -= 1
            elif not depth:
                break
        if deepest > MAX_NESTING:
            self._error(start, f"BibTeX syntax error: field {field!r}: too many nested braces")
            return None, pos
        return text[start + 1 : pos - 1], pos


def scan(text: str, macros: dict[str, str] | None = None) -> list[Block]:
    """The blocks of *text* (see :class:`Scanner`)."""
    return list(Scanner(text, macros))
