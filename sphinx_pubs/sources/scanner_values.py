"""The values of a BibTeX file, as :mod:`sphinx_pubs.sources.scanner` reads them:
braced and quoted text, numbers, ``@string`` macros joined by ``#``, and where a value
never closed lets the entry be read on.

Linear memory: ``@string`` macros that double themselves (``@string{m1 = m0 # m0}``)
would grow exponentially, so macro expansion is capped (see :data:`MAX_VALUE` and
:data:`MACRO_BUDGET_FACTOR`): past the cap the value is cut and a ``macro`` problem says
so at its line.
"""

from __future__ import annotations

import re
from string import ascii_letters, digits

from sphinx_pubs.core.braces import scan as scan_braces
from sphinx_pubs.core.subtype import Subtype

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
MONTH_WORDS = frozenset(
    """january february march april june july august september sept october november
    december""".split()
)


#: deepest brace nesting inside a value (pybtex's limit)
MAX_NESTING = 100

_NAME_CHARS = re.escape(ascii_letters + "@!$&*+-./:;<>?[\\]^_`|~\x7f")
NAME_RE = rf"[{_NAME_CHARS}][{_NAME_CHARS}{digits}]*"
#: whitespace, and biber's "% comments" between tokens (no BibTeX token starts with "%");
#: written so that a text matches it in one way only: when what follows fails, the
#: regular expression engine has no other splits of a long run to try (``(?:\s+)+``
#: would try exponentially many)
WS_RE = r"\s*(?:%[^\n]*(?:\n\s*|$))*"
_WS = re.compile(WS_RE).match
NAME = re.compile(NAME_RE).match
_NUMBER = re.compile(r"[0-9]+").match
#: a line that starts a field, where an entry is read on after a value never closed
_FIELD_LINE = re.compile(rf"\n[ \t]*({NAME_RE})[ \t]*=").search


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
        self.errors: list[tuple[int, str, Subtype]] = []

    def __repr__(self) -> str:
        return f"Block({self.command!r}, line={self.line}, key={self.key!r}, {self.fields!r})"


class Stop(Exception):
    """The value being read is not closed before the block ends: the entry ends here."""


class Resume(Exception):
    """The value being read is not closed; the entry is read on at the field at *pos*."""

    def __init__(self, pos: int) -> None:
        super().__init__(pos)
        self.pos = pos


class ValueScanner:
    """The state of a scan of *text* (positions, lines, work done, macros, the block
    being read) and the reading of its values; :class:`~sphinx_pubs.sources.scanner.Scanner`
    reads the blocks around them."""

    def __init__(
        self,
        text: str,
        macros: dict[str, str] | None = None,
        undefined: set[str] | None = None,
        month_words: frozenset[str] = MONTH_WORDS,
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

    def _error(self, pos: int, message: str, subtype: Subtype = Subtype.SYNTAX) -> None:
        self._block.errors.append((self.line(pos), message, subtype))

    def _last_token(self, pos: int) -> int:
        """The end of the last thing read before *pos* (whitespace skipped back), so
        that an error at the end of a block is reported on a line of its entry."""
        text = self.text
        while pos > 0 and text[pos - 1] in " \t\n\r\f\v":
            pos -= 1
        return pos

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
            elif (name := NAME(text, pos, end)) is not None:
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
                        Subtype.MACRO,
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
                    Subtype.MACRO,
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
            return Stop()
        self._may_resume = False
        self._error(start, f"{message}; read on at line {self.line(found.start(1))}")
        return Resume(found.start(1))

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
        group = scan_braces(text, pos, end, escapes=False)
        self.steps += group.tokens
        if group.at < 0:
            raise self._unclosed(start, end, field, "brace")
        if group.deepest > MAX_NESTING:
            self._error(start, f"BibTeX syntax error: field {field!r}: too many nested braces")
            return None, group.at + 1
        return text[pos : group.at], group.at + 1

    def _quoted(self, start: int, end: int, field: str) -> tuple[str | None, int]:
        """A ``"..."`` value at *start* (braces balanced inside, where a ``"`` is text)."""
        text = self.text
        value = scan_braces(text, start + 1, end, escapes=False, stops='"')
        self.steps += value.tokens + 1
        if value.at < 0:
            raise self._unclosed(start, end, field, "quote")
        if text[value.at] == "}":
            self._error(value.at, f"BibTeX syntax error: field {field!r}: unbalanced braces")
            return None, value.at
        if value.deepest > MAX_NESTING:
            self._error(start, f"BibTeX syntax error: field {field!r}: too many nested braces")
            return None, value.at + 1
        return text[start + 1 : value.at], value.at + 1
