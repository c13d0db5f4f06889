"""Balanced braces, counted as LaTeX counts them (a backslash escapes the character
after it) or as BibTeX does (every brace counts): the one brace scanner of the package.

:func:`scan` answers "where does this group end" for the BibTeX scanner, the LaTeX
decoder and the math checks; :func:`brace_scan` and :func:`balance_braces` find and
mend the braces of a value a writer puts between the braces of ``name = {...}``.
All of them run in time linear in the text they read.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple


class Scan(NamedTuple):
    """What :func:`scan` found."""

    #: position of the stop character (or of the ``}`` that closes nothing) that ended
    #: the scan; -1 when the text ended first
    at: int
    #: deepest nesting of braces reached
    deepest: int
    #: nesting of braces where the scan ended
    depth: int
    #: braces and stop characters read: the work done
    tokens: int


@functools.cache
def _tokens(escapes: bool, stops: str) -> re.Pattern[str]:
    chars = re.escape("{}" + stops)
    return re.compile(rf"\\.|[{chars}]" if escapes else f"[{chars}]", re.S)


def scan(
    text: str, pos: int = 0, end: int | None = None, *, escapes: bool = True, stops: str = ""
) -> Scan:
    """Read *text* from *pos* to *end* counting braces, up to the first character of
    *stops* outside braces, or the first ``}`` that closes nothing.

    *escapes*: a backslash escapes the character after it (``\\{``, ``\\}`` are text),
    as LaTeX reads it; else every brace counts, as BibTeX reads it.  A group opened at
    *pos* - 1 therefore ends at ``scan(text, pos).at``.
    """
    search = _tokens(escapes, stops).search
    end = len(text) if end is None else end
    depth = deepest = tokens = 0
    while True:
        match = search(text, pos, end)
        if match is None:
            return Scan(-1, deepest, depth, tokens)
        tokens += 1
        char = match.group()
        pos = match.end()
        if char == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif depth and char == "}":
            depth -= 1
        elif not depth and len(char) == 1:
            return Scan(match.start(), deepest, depth, tokens)


def is_escape(text: str, pos: int) -> bool:
    """Whether the backslash at *pos* starts an escape (an even number of backslashes
    stands before it)."""
    start = pos
    while start and text[start - 1] == "\\":
        start -= 1
    return (pos - start) % 2 == 0


def brace_scan(text: str) -> tuple[list[int], list[int], list[int]]:
    """Where *text*'s braces are, read as LaTeX reads them: a backslash escapes the
    character after it (``\\{``, ``\\}`` are text, ``\\\\`` is one command), other
    braces group.  Returns the positions of the escaped braces, of the ``{`` never
    closed and of the ``}`` that close nothing; all three are empty for a value whose
    braces are balanced both for LaTeX and for BibTeX (which ignores escapes)."""
    escaped: list[int] = []
    unclosed: list[int] = []  # positions of "{" still open
    stray: list[int] = []  # positions of "}" that close nothing
    for match in _tokens(True, "").finditer(text):
        token = match.group()
        if token == "{":
            unclosed.append(match.start())
        elif token == "}":
            if unclosed:
                unclosed.pop()
            else:
                stray.append(match.start())
        elif token[1] in "{}":
            escaped.append(match.start() + 1)
    if escaped and not unclosed and not stray:
        # escaped braces that pair up among themselves and with the others in the
        # order BibTeX counts them are harmless to BibTeX: "\\{x\\}" stays
        bibtex = scan(text, escapes=False)
        if bibtex.at < 0 and not bibtex.depth:
            escaped = []
    return escaped, unclosed, stray


def balance_braces(text: str, name_list: bool = False) -> str:
    """*text* with braces that BibTeX and LaTeX both read as balanced and that decode
    as before: when :func:`brace_scan` finds anything, escaped braces and braces that
    pair with nothing are written ``\\textbraceleft{}`` and ``\\textbraceright{}``
    (which the LaTeX decoder reads as ``{`` and ``}``).  Balanced text is returned as
    it is.

    *name_list*: *text* is a BibTeX name list, where a brace group hides the commas
    and ``and`` in it from BibTeX even when LaTeX escapes the brace; every escaped
    brace is written as a command then.
    """
    if "{" not in text and "}" not in text:
        return text
    escaped, unclosed, stray = brace_scan(text)
    if name_list and not escaped:
        escaped = [
            pos + 1
            for pos in range(len(text) - 1)
            if text[pos] == "\\" and text[pos + 1] in "{}" and is_escape(text, pos)
        ]
    if not escaped and not unclosed and not stray:
        return text
    drop = {pos - 1 for pos in escaped}  # the backslash of an escaped brace
    bad = {pos: "\\textbraceleft{}" for pos in unclosed}
    bad.update({pos: "\\textbraceright{}" for pos in stray})
    for pos in escaped:
        bad[pos] = "\\textbraceleft{}" if text[pos] == "{" else "\\textbraceright{}"
    return "".join(bad.get(pos, char) for pos, char in enumerate(text) if pos not in drop)
